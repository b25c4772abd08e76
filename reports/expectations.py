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
                % (filename, e.line, e.scenario, e.target) for e in left]
    return ["%s: %d entries have no result in this run, on lines %s "
            "(scenarios or targets left out of the run, or typos)"
            % (filename, len(left), _ranges(e.line for e in left))]
