"""The expectations file: known deviations, per target (docs/reports.md).

    # comment
    target legacy-mta
        rcpt-before-mail     accepts RCPT before MAIL (ticket OPS-231)
        postmaster-accepted  rejected <postmaster> until 4.1
    target *
        8bitmime-downgrade   needs a relay we do not run in CI

    target mx1
        rfc2034/4-status-codes  our 221 has no enhanced status code

A `target NAME` line opens a section (`*` means every target); each other
line names a scenario id or a rule id, then optionally a note. A word with
a '/' is a rule id (scenario ids never have one): it lists an incidental
finding of that rule on that target (json_report.collect_incidental) as a
known deviation. Blank lines and lines starting with `#` are ignored;
indentation is free.
"""

import collections
import re

# One known deviation; `line` is where it was written, for messages. A
# scenario entry has `scenario` set and `rule` ""; a rule entry (an
# incidental finding) has `rule` set and `scenario` "".
Entry = collections.namedtuple("Entry", "target scenario note line rule",
                               defaults=("",))

# The shape of a rule id (json_report checks the same one in results).
_RULE_ID = re.compile(r"[^/\s]+/\S+\Z")

# Verdicts that say nothing about whether a deviation happens (as
# outcome.UNJUDGED; not imported, so that this module stands alone).
_UNJUDGED = ("SKIPPED", "ERROR", "INCONCLUSIVE")

# What parse() returns: the entries, and one "FILE:LINE: reason" per
# problem. Entries come back even when there are problems, so a caller can
# decide; the runner treats any problem as a usage error.
Parsed = collections.namedtuple("Parsed", "entries errors")


def parse(text, filename="expectations"):
    entries = []
    errors = []
    seen = {}
    target = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = "%s:%d: " % (filename, number)
        if not line or line.startswith("#"):
            continue
        words = line.split(None, 1)
        if words[0] == "target":
            if len(words) < 2 or len(words[1].split()) != 1:
                errors.append(where + "a target line names exactly one "
                              "target, e.g. 'target mx1' or 'target *'.")
                target = None
                continue
            target = words[1].strip()
            continue
        ident = words[0]
        what = "rule" if "/" in ident else "scenario"
        if target is None:
            errors.append(where + "%s '%s' is listed before any "
                          "'target NAME' line." % (what, ident))
            continue
        if what == "rule" and (ident.lower().startswith("rule:") or
                               not _RULE_ID.match(ident)):
            errors.append(where + "'%s' is not a rule id: a word with a '/' "
                          "names a rule, written alone, like "
                          "'rfc2034/4-status-codes'." % ident)
            continue
        key = (target, ident)
        if key in seen:
            errors.append(where + "%s '%s' is already listed for "
                          "target '%s' on line %d." %
                          (what, ident, target, seen[key]))
            continue
        seen[key] = number
        note = words[1].strip() if len(words) > 1 else ""
        if what == "rule":
            entries.append(Entry(target, "", note, number, ident))
        else:
            entries.append(Entry(target, ident, note, number))
    return Parsed(entries, errors)


def ident(entry):
    """The scenario id or rule id an entry lists."""
    return entry.rule or entry.scenario


def lookup(entries, target, scenario, rule=""):
    """The entry for this target and scenario (or, with `rule`, for this
    target and rule id); a named target beats `*`."""
    wildcard = None
    for entry in entries:
        if (entry.rule, entry.scenario) != ((rule, "") if rule
                                            else ("", scenario)):
            continue
        if entry.target == target:
            return entry
        if entry.target == "*" and wildcard is None:
            wildcard = entry
    return wildcard


def rule_entries(entries, target):
    """The rule entries that apply to `target`, one per rule id (a named
    target beats `*`), in the order the rules are first listed."""
    out = []
    for rule in dict.fromkeys(e.rule for e in entries if e.rule):
        entry = lookup(entries, target, "", rule)
        if entry is not None:
            out.append(entry)
    return out


def rule_checked(results, target, rule):
    """Whether the results tell anything about `rule` on `target`: one of
    the target's results has an incidental finding of that rule (which an
    entry makes an expected failure), or was judged at all (so the rule's
    absence makes the entry stale). A target with only SKIPPED, ERROR or
    INCONCLUSIVE results and no such finding tells nothing."""
    for r in results:
        if r["target"]["name"] != target:
            continue
        if r.get("verdict") not in _UNJUDGED:
            return True
        if any(f.get("rule") == rule for f in r.get("incidental") or []):
            return True
    return False


def unused(entries, results):
    """Entries that match no result: a typo, or a scenario (for a rule
    entry, a target) that was not run, or whose target's results tell
    nothing about the rule (see rule_checked)."""
    ran = {(r["target"]["name"], r["scenario"]["id"]) for r in results}
    ids = {scenario for _, scenario in ran}
    names = list(dict.fromkeys(r["target"]["name"] for r in results))
    out = []
    for entry in entries:
        if entry.rule:
            wanted = names if entry.target == "*" else [entry.target]
            if not any(rule_checked(results, name, entry.rule)
                       for name in wanted):
                out.append(entry)
        elif entry.target == "*":
            if entry.scenario not in ids:
                out.append(entry)
        elif (entry.target, entry.scenario) not in ran:
            out.append(entry)
    return out


def _ranges(numbers):
    """[5, 6, 7, 9] -> "5-7, 9"."""
    spans = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else "%d-%d" % (a, b)
                     for a, b in spans)


def unused_warnings(filename, entries, results, most=3):
    """Warnings for the entries of one file that match no result.

    One line an entry, which is what a typo needs. Past `most` entries the
    run was most likely of a subset of the scenarios or targets (a peer's
    file holds its whole corpus's deviations), and one line for the file,
    with the line numbers, says so without burying the rest of the output.
    """
    left = unused(entries, results)
    if len(left) <= most:
        return ["%s:%d: no result for %s @ %s (a typo, or not run)"
                % (filename, e.line, ident(e), e.target) for e in left]
    return ["%s: %d entries have no result in this run, on lines %s "
            "(scenarios or targets left out of the run, or typos)"
            % (filename, len(left), _ranges(e.line for e in left))]
