"""Rewriting expectations files to a run's failures (`smtpspec run
--update-expectations`, docs/reports.md#updating-expectations).

Given the files' texts, the run's results and where each target's new
entries go, update() returns each file's new text and what changed. For a
target of the run, the files end up listing exactly its current failures:

- a FAILED result (a NON-STRICT one too under --strict) and a failed
  incidental finding (json_report.collect_incidental; MUST, SHOULD under
  --strict) are *failing*; another judged result, or a rule the target's
  results tell about (expectations.rule_checked) without failing, is
  *passing*; a SKIPPED, ERROR or INCONCLUSIVE result, or a scenario or
  rule the run did not judge, tells nothing;
- an entry whose deviation is failing is kept as written, note and
  comments included; a stale one (passing) is removed, with the comments
  above it unless they also stand above an entry that stays; one that
  tells nothing is kept;
- a `target *` entry is kept while no target it applies to passes;
  otherwise it is removed and each target still failing gets a named entry
  with its note;
- a failure no entry covers is added to its target's section (made at the
  end of the target's home file when there is none), with a note to be
  replaced by a reviewer: PLACEHOLDER, then the first finding's rule and
  message.

Incidental findings without a rule id cannot be listed (the format names
rules), so they are left out; `unlisted` says which. Sections of targets
not in the run are left alone. Pure: texts in, texts out.
"""

import collections

from reports import expectations as expectations_lib
from reports import json_report
from reports import outcome
from reports import wire

# What starts the note of an entry this module adds: the reviewer writes
# the reason in its place.
PLACEHOLDER = "REVIEW:"
_NOTE_MAX = 110
_INDENT = "    "

# What happened in one file to one target's entries ("*" for the wildcard
# section): `added` and `removed` are [(scenario or rule id, note)], `kept`
# the ids that stay.
Change = collections.namedtuple("Change", "path target added removed kept")

# What update() returns: {path: new text}, [Change], and the failing
# incidental items that have no rule id.
Updated = collections.namedtuple("Updated", "texts changes unlisted")

# Line kinds.
_BLANK, _COMMENT, _TARGET, _ENTRY = "blank", "comment", "target", "entry"


def _note(text):
    text = " ".join(wire.clean(text).split())
    if len(text) > _NOTE_MAX:
        text = text[:_NOTE_MAX - 3] + "..."
    return "%s %s" % (PLACEHOLDER, text)


def placeholder(result):
    """The note of a new entry for a failing result: its first finding's
    rule (or citation) and message, else its verdict and reason."""
    for finding in result.get("findings") or []:
        label = finding.get("rule") or finding.get("rfc") or finding.get(
            "level", "")
        return _note("%s: %s" % (label, finding.get("message", "")))
    return _note("%s: %s" % (result["verdict"], result.get("reason", "")))


class _Judged:
    """What the run says about each (target, scenario or rule id): True
    failing, False passing, absent nothing."""

    def __init__(self, results, strict):
        raw = json_report.apply_expectations(results, [], strict)
        self.state = {}
        self.new = collections.OrderedDict()  # (target, id) -> note
        self.unlisted = []
        for r in raw:
            if r["verdict"] in outcome.UNJUDGED:
                continue
            key = (r["target"]["name"], r["scenario"]["id"])
            failing = outcome.deviates(r, strict)
            self.state[key] = self.state.get(key, False) or failing
            if failing and key not in self.new:
                self.new[key] = placeholder(r)
        self._raw = raw
        for item in json_report.collect_incidental(raw, strict=strict):
            if not outcome.incidental_deviates(item, strict):
                continue
            if not item["rule"]:
                self.unlisted.append(item)
                continue
            key = (item["target"], item["rule"])
            self.state[key] = True
            self.new[key] = _note(item["message"])
        self.targets = list(dict.fromkeys(r["target"]["name"] for r in raw))

    def get(self, target, ident):
        key = (target, ident)
        if key not in self.state and "/" in ident and (
                expectations_lib.rule_checked(self._raw, target, ident)):
            self.state[key] = False
        return self.state.get(key)


class _File:
    """One file's lines, their kinds, and the edits asked for."""

    def __init__(self, path, text):
        self.path = path
        self.lines = text.splitlines()
        parsed = expectations_lib.parse(text, path)
        if parsed.errors:
            raise ValueError(parsed.errors[0])
        self.entries = parsed.entries
        by_line = {e.line - 1: e for e in parsed.entries}
        self.kinds, self.section = [], []
        target = None
        for i, raw in enumerate(self.lines):
            words = raw.split()
            if not words:
                kind = _BLANK
            elif words[0].startswith("#"):
                kind = _COMMENT
            elif i in by_line:
                kind = _ENTRY
            else:
                kind, target = _TARGET, words[1]
            self.kinds.append(kind)
            self.section.append(target)
        self.dropped = set()  # line indexes
        self.inserts = collections.defaultdict(list)  # index -> lines
        self.appended = collections.OrderedDict()  # target -> lines

    def add(self, target, ident, note):
        """A new entry for `target`, in its last section (a scenario after
        the section's last scenario, a rule after its last entry, one that
        stays if any does), or in a new section at the end."""
        heads = [i for i, t in enumerate(self.section)
                 if t == target and self.kinds[i] == _TARGET]
        if not heads:
            self.appended.setdefault(target, []).append((ident, note))
            return
        rows = [heads[-1]]
        while (rows[-1] + 1 < len(self.lines) and
               self.kinds[rows[-1] + 1] != _TARGET):
            rows.append(rows[-1] + 1)
        entries = [i for i in rows if self.kinds[i] == _ENTRY]
        if "/" not in ident:
            entries = [i for i in entries
                       if "/" not in self.lines[i].split()[0]]
        kept = [i for i in entries if i not in self.dropped]
        at = (kept or entries or rows[:1])[-1]
        self.inserts[at].append(self._line(rows, ident, note))

    def _line(self, rows, ident, note):
        """An entry line laid out as its section's first entry is."""
        indent, column = _INDENT, 0
        for i in rows:
            if self.kinds[i] == _ENTRY:
                line = self.lines[i]
                indent = line[:len(line) - len(line.lstrip())]
                words = line.split(None, 1)
                if len(words) > 1:
                    column = line.index(words[1], len(indent) + len(words[0]))
                break
        head = indent + ident
        return (head.ljust(column) if len(head) + 2 <= column
                else head + "  ") + note

    def text(self):
        keep = [i not in self.dropped for i in range(len(self.lines))]
        # A comment block goes with the entries right below it when every
        # one of them goes.
        i = 0
        while i < len(self.lines):
            if self.kinds[i] != _COMMENT:
                i += 1
                continue
            start = i
            while i < len(self.lines) and self.kinds[i] == _COMMENT:
                i += 1
            group = []
            while i < len(self.lines) and self.kinds[i] == _ENTRY:
                group.append(i)
                i += 1
            if group and all(j in self.dropped for j in group):
                for j in range(start, group[0]):
                    keep[j] = False
        out = []
        for i, line in enumerate(self.lines):
            if keep[i]:
                out.append(line)
            out.extend(self.inserts.get(i, []))
        for target, entries in self.appended.items():
            if out and out[-1].strip():
                out.append("")
            out.append("target " + target)
            width = max(len(ident) for ident, _ in entries)
            out.extend("%s%s  %s" % (_INDENT, ident.ljust(width), note)
                       for ident, note in entries)
        return "\n".join(out) + "\n" if out else ""


def _header(targets):
    return ("# Known deviations of %s, written by `smtpspec run "
            "--update-expectations`.\n# Replace each '%s' note with the "
            "reason; format: docs/reports.md.\n" % (", ".join(targets),
                                                    PLACEHOLDER))


def update(texts, results, strict, homes):
    """Updated for `texts` ({path: text}, "" for a file to make), the run's
    `results` and `homes` ({target: path} for its new entries); raises
    ValueError if a text does not parse or a failing target has no home."""
    judged = _Judged(results, strict)
    ran = set(judged.targets) | set(homes)
    files = collections.OrderedDict(
        (path, _File(path, text)) for path, text in texts.items())
    changes = collections.OrderedDict()

    def change(path, target):
        return changes.setdefault((path, target), Change(
            path, target, [], [], []))

    named = set()  # (target, id) covered by a named entry that stays
    for f in files.values():
        for e in f.entries:
            if e.target == "*" or e.target not in ran:
                continue
            ident = expectations_lib.ident(e)
            if judged.get(e.target, ident) is False:
                f.dropped.add(e.line - 1)
                change(f.path, e.target).removed.append((ident, e.note))
            else:
                named.add((e.target, ident))
                change(f.path, e.target).kept.append(ident)
    carried = {}  # (target, id) -> the note of a `*` entry removed
    for f in files.values():
        for e in [e for e in f.entries if e.target == "*"]:
            ident = expectations_lib.ident(e)
            states = {t: judged.get(t, ident) for t in judged.targets
                      if (t, ident) not in named}
            if False not in states.values():
                named.update((t, ident) for t in states)
                change(f.path, "*").kept.append(ident)
                continue
            f.dropped.add(e.line - 1)
            change(f.path, "*").removed.append((ident, e.note))
            for t, state in states.items():
                if state:
                    carried.setdefault((t, ident), e.note)
    for (target, ident), note in judged.new.items():
        if (target, ident) in named:
            continue
        if target not in homes:
            raise ValueError("no expectations file for target %s" % target)
        note = carried.get((target, ident), note)
        files[homes[target]].add(target, ident, note)
        change(homes[target], target).added.append((ident, note))
    out = collections.OrderedDict()
    for path, f in files.items():
        text = f.text()
        if not texts[path]:
            text = _header([t for t, p in homes.items() if p == path]) + text
        out[path] = text
    return Updated(out, list(changes.values()), judged.unlisted)
