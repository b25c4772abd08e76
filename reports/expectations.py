"""The expectations file: known deviations, per target (docs/reports.md).

    # comment
    target legacy-mta
        rcpt-before-mail     accepts RCPT before MAIL (ticket OPS-231)
        postmaster-accepted  rejected <postmaster> until 4.1
    target *
        8bitmime-downgrade   needs a relay we do not run in CI

A `target NAME` line opens a section (`*` means every target); each other
line names a scenario id, then optionally a note. Blank lines and lines
starting with `#` are ignored; indentation is free.
"""

import collections

# One known deviation; `line` is where it was written, for messages.
Entry = collections.namedtuple("Entry", "target scenario note line")

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
        if target is None:
            errors.append(where + "scenario '%s' is listed before any "
                          "'target NAME' line." % words[0])
            continue
        key = (target, words[0])
        if key in seen:
            errors.append(where + "scenario '%s' is already listed for "
                          "target '%s' on line %d." %
                          (words[0], target, seen[key]))
            continue
        seen[key] = number
        note = words[1].strip() if len(words) > 1 else ""
        entries.append(Entry(target, words[0], note, number))
    return Parsed(entries, errors)


def lookup(entries, target, scenario):
    """The entry for this target and scenario; a named target beats `*`."""
    wildcard = None
    for entry in entries:
        if entry.scenario != scenario:
            continue
        if entry.target == target:
            return entry
        if entry.target == "*" and wildcard is None:
            wildcard = entry
    return wildcard


def unused(entries, results):
    """Entries that match no result: a typo, or a scenario that was not run."""
    ran = {(r["target"]["name"], r["scenario"]["id"]) for r in results}
    ids = {scenario for _, scenario in ran}
    out = []
    for entry in entries:
        if entry.target == "*":
            if entry.scenario not in ids:
                out.append(entry)
        elif (entry.target, entry.scenario) not in ran:
            out.append(entry)
    return out
