"""The delivery check: what the server stored against what it was sent.

A server that answers every command right can still store the wrong
message: `..line` with the stuffed dot left in (RFC 5321 4.5.2), a chunk
altered, a message lost after 250. With `--delivered [TARGET=]KIND:WHERE`
the runner reads the messages the server under test stored and compares
them with what the scenarios sent:

    maildir:DIR    every maildir under DIR (DIR itself, or one per
                   mailbox below it): the files in new/ and cur/
    mbox:FILE      an mbox file: split on "From " lines, ">From " unquoted
    command:CMD    a shell command that prints the last message stored;
                   the target's scenarios then run one at a time, and CMD
                   runs after each

For each result of a server scenario, every transaction the server
accepted (250 after the end of data, or after BDAT LAST) gives the
message it should have stored: for DATA the octets between the 354 and
CRLF.CRLF, dot-unstuffed (RFC 5321 4.5.2), with the last line's CRLF; for
BDAT the chunks' octets exactly (RFC 3030 2). A stored message matches
when, after CRLF -> LF on both sides (maildirs and mboxes store LF), its
body is the sent body octet for octet and every header line the client
sent is among its header lines (servers add trace fields and the header
fields they find missing, so the stored message has more). A sent message
without a header section must end the stored message. Messages are
matched by content, each to a distinct stored message, never by order:
the scenarios of a target run concurrently.

A sent message that no stored message matches gives a MUST finding of
kind "delivery": under rfc5321/4.5.2-unstuffing when the stored message
is the sent one still dot-stuffed, rfc5321/4.5.2-reversible (BDAT: the
octets of RFC 3030 2) when it differs otherwise, and rfc5321/4.1.1.4-reply
when nothing like it was stored; the verdict becomes FAILED. Only
messages that appeared after the target's run started count. Servers
that deliver after the 250 (Postfix, Exim) get a few seconds to do so.

Without --delivered for a server, a result of a scenario tagged
`delivery` (its point is the stored content) that would be OK is
INCONCLUSIVE instead: nothing was checked.
"""

import collections
import glob
import os
import re
import subprocess
import time

from runner import processes
from runner.errors import Fatal
from runner.stored import (Store, legal_text, matches, normalize, similarity,
                            split_message)

KINDS = ("maildir", "mbox", "command")
TAG = "delivery"
INCONCLUSIVE_REASON = ("what the server stored was not checked (give "
                       "--delivered maildir:DIR)")

# The rules a delivery finding can name, with their catalogue rows
# (rules/*.tsv) as fallback when the catalogue is not at hand.
Rule = collections.namedtuple("Rule", "id rfc level sentence")
_FALLBACK = {
    "rfc5321/4.5.2-unstuffing": Rule(
        "rfc5321/4.5.2-unstuffing", "RFC 5321 4.5.2", "MUST",
        "If the line is composed of a single period, it is treated as the "
        "end of mail indicator. If the first character is a period and "
        "there are other characters on the line, the first character is "
        "deleted."),
    "rfc5321/4.5.2-reversible": Rule(
        "rfc5321/4.5.2-reversible", "RFC 5321 4.5.2", "MUST",
        "If such transformations are necessary, they MUST be reversible."),
    "rfc5321/4.1.1.4-reply": Rule(
        "rfc5321/4.1.1.4-reply", "RFC 5321 4.1.1.4", "MUST",
        "If the processing is successful, the receiver MUST send an OK "
        "reply. If the processing fails, the receiver MUST send a failure "
        "reply."),
}
UNSTUFFING = "rfc5321/4.5.2-unstuffing"
REVERSIBLE = "rfc5321/4.5.2-reversible"
NOT_STORED = "rfc5321/4.1.1.4-reply"
# The rule a changed BDAT message breaks, if the catalogue has it; until
# then REVERSIBLE.
BDAT_OCTETS = "rfc3030/2-octets"

# How long a server may take to store what it accepted (Postfix and Exim
# queue first, then deliver), and how long the store must stay unchanged
# before a missing message is called missing.
WAIT_SECONDS = 20.0
SETTLE_SECONDS = 2.0

Spec = collections.namedtuple("Spec", "kind where")
# One accepted transaction: "DATA" or "BDAT", the message the server should
# have stored, the octets on the wire (DATA: still dot-stuffed), and the
# step that took the final 250.
Sent = collections.namedtuple("Sent", "kind message wire step")


def load_rules(root):
    """{rule id: Rule} from ROOT/rules/*.tsv; the fallback rows if absent."""
    rules = dict(_FALLBACK)
    for path in sorted(glob.glob(os.path.join(root or "", "rules", "*.tsv"))):
        prefix = os.path.splitext(os.path.basename(path))[0]
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines:
            cols = line.split("\t")
            if line.startswith("#") or len(cols) < 6 or cols[0] == "id":
                continue
            number = re.sub(r"\D", "", prefix)
            rules["%s/%s" % (prefix, cols[0])] = Rule(
                "%s/%s" % (prefix, cols[0]),
                "RFC %s %s" % (number, cols[1]),
                "MUST" if cols[2].startswith("MUST") else (
                    "SHOULD" if cols[2].startswith("SHOULD") else "MAY"),
                cols[5])
    return rules


# --delivered values.

def parse_spec(value, base=None):
    """(target name or None, Spec) from [NAME=]KIND:WHERE; raises Fatal. A
    relative DIR or FILE is taken from `base` (default: the current
    folder) and comes back absolute."""
    name = None
    head, sep, rest = value.partition("=")
    if sep and ":" not in head:
        name, value = head, rest
    kind, colon, where = value.partition(":")
    if not colon or kind not in KINDS or not where:
        raise Fatal("--delivered %s: write maildir:DIR, mbox:FILE or "
                    "command:CMD, or NAME=... for the target NAME" % value)
    if kind != "command":
        where = os.path.abspath(os.path.join(base or "", where))
    if kind == "maildir" and not os.path.isdir(where):
        raise Fatal("--delivered %s: no such folder" % value)
    if kind == "mbox" and os.path.isdir(where):
        raise Fatal("--delivered %s: a folder, not an mbox file" % value)
    return name, Spec(kind, where)


def specs_by_target(values, server_names):
    """{server name: Spec}; an unnamed value is for the only server."""
    out = {}
    for value in values or ():
        name, spec = parse_spec(value)
        if name is None:
            if len(server_names) != 1:
                raise Fatal("--delivered %s: there are %d servers in this "
                            "run; write NAME=%s for each" % (
                                value, len(server_names), value))
            name = server_names[0]
        elif name not in server_names:
            raise Fatal("--delivered %s: there is no server target '%s' in "
                        "this run (servers: %s)" % (
                            value, name, ", ".join(server_names) or "none"))
        if name in out:
            raise Fatal("--delivered is given twice for target %s" % name)
        out[name] = spec
    return out


# What was sent: the transcript, replayed.

def _replies(server):
    """[(code or None)] of the complete replies in the server's bytes."""
    codes = []
    for line in server.split(b"\n")[:-1]:
        line = line.rstrip(b"\r")
        code = int(line[:3]) if line[:3].isdigit() else None
        if line[3:4] != b"-":
            codes.append(code)
    return codes


def unstuff(content):
    """DATA content with the first of each line's leading dots deleted
    (RFC 5321 4.5.2). Lines end in CRLF; a bare LF ends none."""
    lines = content.split(b"\r\n")
    return b"\r\n".join(l[1:] if l.startswith(b".") else l for l in lines)


def _reply_steps(transcript):
    """The step that consumed each server reply, in reply order."""
    steps, line_step = [], -1
    pending = b""
    for event in transcript:
        if event["dir"] != "S":
            continue
        pending += event["data"].encode("latin-1")
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            line_step = event["step"]
            if line.rstrip(b"\r")[3:4] != b"-":
                steps.append(line_step)
    return steps


def accepted(result):
    """[Sent] of every transaction of `result` the server accepted."""
    transcript = result.get("transcript") or []
    client = b"".join(e["data"].encode("latin-1") for e in transcript
                      if e["dir"] == "C")
    server = b"".join(e["data"].encode("latin-1") for e in transcript
                      if e["dir"] == "S")
    codes = _replies(server)
    steps = _reply_steps(transcript)
    out = []
    pos, reply = 0, 1  # replies[0] is the greeting
    chunks = []  # the BDAT chunks of the transaction so far

    def next_reply():
        nonlocal reply
        reply += 1
        return codes[reply - 1] if reply - 1 < len(codes) else None

    while pos < len(client):
        eol = client.find(b"\n", pos)
        if eol < 0:
            break
        line = client[pos:eol + 1]
        pos = eol + 1
        words = line.split()
        verb = words[0].upper() if words else b""
        code = next_reply()
        if verb == b"DATA" and len(words) == 1 and code == 354:
            if client.startswith(b".\r\n", pos):
                content, pos = b"", pos + 3
            else:
                end = client.find(b"\r\n.\r\n", pos)
                if end < 0:
                    break
                content, pos = client[pos:end + 2], end + 5
            if next_reply() == 250:
                out.append(Sent("DATA", unstuff(content), content,
                                steps[reply - 1] if reply - 1 < len(steps)
                                else -1))
            chunks = []
        elif verb == b"BDAT" and len(words) >= 2 and words[1].isdigit():
            size = int(words[1])
            chunk = client[pos:pos + size]
            pos += size
            last = len(words) == 3 and words[2].upper() == b"LAST"
            if code != 250:
                chunks = None  # refused: the transaction is spoilt
            elif chunks is not None:
                chunks.append(chunk)
                if last:
                    message = b"".join(chunks)
                    out.append(Sent("BDAT", message, message,
                                    steps[reply - 1] if reply - 1 <
                                    len(steps) else -1))
            if last:
                chunks = []
        elif verb in (b"MAIL", b"RSET", b"EHLO", b"HELO"):
            chunks = []
    return out


def _show(data, start, end):
    text = data[max(0, start):end].decode("latin-1")
    text = text.replace("\\", "\\\\").replace("\r", "\\r").replace(
        "\n", "\\n").replace("\t", "\\t")
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: "\\x%02x" % ord(m.group()),
                  text)


def _excerpt(expected, observed, width=30):
    """(expected, observed): a few octets on each side of the first
    difference, the observed side aligned where the sent message starts."""
    first = expected.split(b"\n", 1)[0]
    headers, body = split_message(expected)
    if headers is not None:
        stored_headers, stored_body = split_message(observed)
        if stored_headers is not None:
            missing = [h for h in headers if h not in set(stored_headers)]
            if body == stored_body and missing:
                return (_show(missing[0], 0, 200),
                        "(no such header line among the stored ones)")
            expected, observed = body, stored_body
            first = None
    start = observed.find(first) if first else 0
    if start < 0:
        start = max(0, len(observed) - len(expected))
    observed = observed[start:]
    i = 0
    while i < min(len(expected), len(observed)) and expected[i] == \
            observed[i]:
        i += 1
    return (_show(expected, i - width, i + width) or "(end of message)",
            _show(observed, i - width, i + width) or "(end of message)")


def finding(rules, rule_id, message, step, expected="", observed=""):
    rule = rules.get(rule_id) or _FALLBACK[rule_id]
    return {"kind": "delivery", "rule": rule.id, "rfc": rule.rfc,
            "level": rule.level, "sentence": rule.sentence,
            "message": message, "step": step, "expected": expected,
            "observed": observed}


def judge(rules, sent, stored):
    """The finding for a Sent that no stored message matched; `stored` is
    the normalised message that looks most like it, or None."""
    where = "the message sent with %s" % sent.kind
    if stored is None:
        return finding(rules, NOT_STORED,
                       "the server answered 250 but the message was not "
                       "stored (%s)" % where, sent.step)
    message, wire = normalize(sent.message), normalize(sent.wire)
    expected, observed = _excerpt(message, stored)
    if sent.kind == "DATA" and wire != message and matches(wire, stored):
        return finding(rules, UNSTUFFING,
                       "the server stored %s with the stuffed dots left in: "
                       "a line that starts with '.' must lose its first dot "
                       "(dot-unstuffing)" % where, sent.step, expected,
                       observed)
    rule = REVERSIBLE
    if sent.kind == "BDAT" and BDAT_OCTETS in rules:
        rule = BDAT_OCTETS
    return finding(rules, rule,
                   "the server stored %s changed: the stored message must "
                   "be what was sent (trace header fields added in front)"
                   % where, sent.step, expected, observed)


def fail(result, findings):
    """`result` with delivery findings added; MUST ones make it FAILED."""
    if not findings:
        return result
    result = dict(result)
    result["findings"] = list(result.get("findings") or []) + findings
    if any(f["level"] == "MUST" for f in findings):
        result["verdict"] = "FAILED"
    elif result["verdict"] in ("OK", "UNIMPLEMENTED"):
        result["verdict"] = "NON-STRICT"
    return result


def inconclusive(result):
    """A delivery-tagged server result that would be OK, when nothing
    checks the store: INCONCLUSIVE, with the reason."""
    if (result.get("mode") == "server" and result["verdict"] == "OK" and
            TAG in (result["scenario"].get("tags") or [])):
        result = dict(result)
        result["verdict"] = "INCONCLUSIVE"
        result["reason"] = INCONCLUSIVE_REASON
    return result


def _checkable(result):
    return (result.get("mode") == "server" and
            result["verdict"] not in ("SKIPPED", "ERROR"))


class Checker:
    """The delivery check of one server target with a maildir or mbox.

        checker.start()               before its scenarios run
        ready = checker.add(result)   as each result arrives: [] while the
                                      message is not (yet) found
        rest = checker.finish()       after the last: the held results
    """

    def __init__(self, spec, rules, wait=WAIT_SECONDS,
                 settle=SETTLE_SECONDS, clock=time.monotonic,
                 sleep=time.sleep):
        self._store = Store(spec)
        self._rules = rules
        self._wait, self._settle = wait, settle
        self._clock, self._sleep = clock, sleep
        # A matching of sent messages to stored ones: messages are matched
        # by content, and a sent message can match several stored ones
        # (one with only a Subject field matches any stored message with a
        # Subject and the same body), so a greedy first pick can take the
        # stored message a later result needs. Each new message is placed
        # by an augmenting path (Kuhn), moving earlier ones when that frees
        # a stored message; placed messages stay placed.
        self._owner = {}  # stored key -> index into self._sent
        self._sent = []  # normalised messages placed so far
        self._spent = set()  # stored keys judged as another's changed copy
        self._held = []  # (result, [Sent])

    def start(self):
        self._store.mark()

    def _place(self, index, stored, seen):
        message = self._sent[index]
        for key in sorted(stored, key=lambda k: len(stored[k])):
            if (key in seen or key in self._spent or
                    not matches(message, stored[key])):
                continue
            seen.add(key)
            owner = self._owner.get(key)
            if owner is None or self._place(owner, stored, seen):
                self._owner[key] = index
                return True
        return False

    def _claim(self, sents):
        """Places every Sent on a distinct stored message (moving earlier
        placements if need be) and returns True, or places none and
        returns False."""
        stored = self._store.messages()
        owner, count = dict(self._owner), len(self._sent)
        for sent in sents:
            self._sent.append(normalize(sent.message))
            if not self._place(len(self._sent) - 1, stored, set()):
                self._owner, self._sent = owner, self._sent[:count]
                return False
        return True

    def add(self, result):
        if not _checkable(result):
            return [result]
        sents = [s for s in accepted(result) if legal_text(s.message)]
        if not sents or self._claim(sents):
            return [result]
        self._held.append((result, sents))
        return []

    def finish(self):
        """The held results, once their messages are found, or judged when
        the store has not changed for `settle` seconds (or `wait` passed)."""
        deadline = self._clock() + self._wait
        count, changed, done = -1, self._clock(), []
        while True:
            held = []
            for result, sents in self._held:
                if not self._claim(sents):
                    held.append((result, sents))
                else:
                    done.append(result)
            self._held = held
            if not held:
                break
            now = self._clock()
            size = len(self._store.messages())
            if size != count:
                count, changed = size, now
            if now >= deadline or now - changed >= self._settle:
                break
            self._sleep(0.1)
        out = done + [self._judged(r, s) for r, s in self._held]
        self._held = []
        return out

    def _judged(self, result, sents):
        stored = self._store.messages()
        findings = []
        for sent in sents:
            message = normalize(sent.message)
            if self._claim([sent]):
                continue
            best, score = None, 0.5
            for k, text in stored.items():
                if k in self._owner or k in self._spent:
                    continue
                s = max(similarity(message, text),
                        similarity(normalize(sent.wire), text))
                if s >= score and (best is None or s > score or
                                   len(text) < len(stored[best])):
                    best, score = k, s
            if best is not None:
                self._spent.add(best)
            findings.append(judge(self._rules, sent,
                                  stored[best] if best else None))
        return fail(result, findings)


class CommandChecker:
    """The delivery check with command:CMD: CMD prints the last message
    stored, so each scenario runs alone and CMD runs after it; the last
    transaction a result's server accepted is compared with CMD's output."""

    def __init__(self, spec, rules, root=None):
        self._command = spec.where
        self._rules = rules
        self._root = root

    def start(self):
        pass

    def last_stored(self):
        try:
            proc = subprocess.run(
                ["/bin/sh", "-c", self._command], cwd=self._root,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise Fatal("--delivered command:%s: %s" % (
                self._command, getattr(e, "strerror", None) or e))
        if proc.returncode != 0:
            lines = proc.stderr.decode("utf-8", "replace").strip()
            raise Fatal("--delivered command:%s %s%s" % (
                self._command, processes.exit_reason(proc.returncode),
                ": " + lines.splitlines()[-1] if lines else ""))
        return normalize(proc.stdout)

    def add(self, result):
        if not _checkable(result):
            return [result]
        sents = accepted(result)
        if not sents or not legal_text(sents[-1].message):
            return [result]
        sent = sents[-1]
        stored = self.last_stored()
        if matches(normalize(sent.message), stored):
            return [result]
        similar = max(similarity(normalize(sent.message), stored),
                      similarity(normalize(sent.wire), stored)) >= 0.5
        return [fail(result, [judge(self._rules, sent,
                                    stored if similar else None)])]

    def finish(self):
        return []


def checker(spec, rules, root=None):
    if spec.kind == "command":
        return CommandChecker(spec, rules, root)
    return Checker(spec, rules)
