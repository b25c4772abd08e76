"""`smtpspec run --update-expectations`: after the run, each target's
expectations file is rewritten to its current failures, for review with
git diff (the rewriting: reports/expectations_update.py).

Where the entries go, settled before the run (plan()):

    --update-expectations            the --expect files in place (with a
                                     run configuration's); a target's own
                                     file (`expect:` of the target), else
                                     the file with its `target` section,
                                     else the only file
    --update-expectations=FILE       every target's in FILE
    --update-expectations=DIR/       DIR/TARGET.expect for each target (a
                                     folder that exists needs no '/')

After the run (write()), the files that changed are written, and one
line per file and target says what changed, with a line per entry added
(+) or removed (-), on stderr. The exit status is then that of the run's
results judged against the files as written: 0, unless a result is an
ERROR (never written as an expectation) or something else still fails.
"""

import collections
import glob
import os
import sys

from reports import expectations
from reports import expectations_update
from reports import json_report
from reports import outcome
from runner import files as files_lib
from runner.errors import Fatal

SUFFIX = ".expect"

# The files to rewrite ({path: text now, "" for a new one}) and each
# target's home among them.
Plan = collections.namedtuple("Plan", "texts homes")

_FLAG = "--update-expectations"


def _in_place(args, names, expected):
    """The Plan for the --expect files, rewritten where they are."""
    paths = [path for path, _ in expected]
    if not paths:
        raise Fatal("%s: there is no --expect file to update in place; "
                    "write %s=FILE, or =DIR/ for a file a target" %
                    (_FLAG, _FLAG))
    own = getattr(args, "target_expect", None) or {}
    homes = {}
    for name in names:
        sections = [path for path, entries in expected
                    if any(e.target == name for e in entries)]
        home = (own.get(name) or [None])[0] or (sections or [None])[0] or (
            paths[0] if len(paths) == 1 else None)
        if home is None:
            raise Fatal("%s: no --expect file has a 'target %s' section "
                        "(files: %s); add one, or write %s=FILE" % (
                            _FLAG, name, ", ".join(paths), _FLAG))
        homes[name] = home
    texts = collections.OrderedDict(
        (path, files_lib.read_text(path, "expectations file"))
        for path in dict.fromkeys(paths))
    return Plan(texts, homes)


def _holds_scenarios(path):
    if path.endswith(".smtp"):
        return True
    return os.path.isdir(path) and next(glob.iglob(
        os.path.join(glob.escape(path), "**", "*.smtp"), recursive=True),
        None) is not None


def plan(args, names, expected):
    """The Plan for a run with `names` (its targets) and the --expect
    files `expected` ([(path, entries)]), or None without the flag; raises
    Fatal before anything runs."""
    value = getattr(args, "update_expectations", None)
    if value is None:
        return None
    if getattr(args, "exitfirst", False):
        raise Fatal("%s and -x: a run stopped at its first failure does not "
                    "say which expectations still hold" % _FLAG)
    if value == "":
        return _in_place(args, names, expected)
    if _holds_scenarios(value):
        raise Fatal("%s %s: that is where scenarios are; write %s=PATH "
                    "(with '='), after the scenario paths" % (
                        _FLAG, value, _FLAG))
    if value.endswith("/") or os.path.isdir(value):
        homes = {name: os.path.join(value, name + SUFFIX) for name in names}
    else:
        homes = {name: value for name in names}
    texts = collections.OrderedDict()
    for path in dict.fromkeys(homes.values()):
        text = (files_lib.read_text(path, "expectations file")
                if os.path.exists(path) else "")
        errors = expectations.parse(text, path).errors
        if errors:
            raise Fatal(errors[0])
        texts[path] = text
    return Plan(texts, homes)


def _say(change, err):
    added, removed = change.added, change.removed
    print("smtpspec: %s: target %s: %d added, %d removed, %d kept" % (
        change.path, change.target, len(added), len(removed),
        len(change.kept)), file=err)
    for ident, note in added:
        print("  + %s  %s" % (ident, note), file=err)
    for ident, note in removed:
        print("  - %s  %s (passes now)" % (ident, note), file=err)


def write(the_plan, results, strict, err=None):
    """Writes the updated files and says what changed; the exit status of
    the results against them (0 or 1)."""
    err = err or sys.stderr
    try:
        updated = expectations_update.update(the_plan.texts, results, strict,
                                             the_plan.homes)
    except ValueError as e:
        raise Fatal("%s: %s" % (_FLAG, e))
    entries = []
    for path, text in updated.texts.items():
        parsed = expectations.parse(text, path)
        if parsed.errors:
            raise Fatal("internal error: %s would write %s" % (
                _FLAG, parsed.errors[0]))
        entries += parsed.entries
        if text != the_plan.texts[path] or not os.path.exists(path):
            files_lib.write_text(path, text)
    for change in updated.changes:
        _say(change, err)
    if not updated.changes:
        print("smtpspec: %s: no failure and no entry: nothing to write" %
              _FLAG, file=err)
    for item in updated.unlisted:
        print("smtpspec: %s: not written: the incidental finding '%s' @ %s "
              "has no rule id to list" % (_FLAG, item["message"],
                                          item["target"]), file=err)
    judged = json_report.apply_expectations(results, entries, strict)
    return 1 if outcome.failing(json_report.summarize(judged, strict)) else 0
