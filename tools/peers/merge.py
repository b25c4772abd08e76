#!/usr/bin/python3
"""Merges the run reports of tools/peers/matrix.sh into one matrix report.

    merge.py --json OUT.json --html OUT.html [--expect FILE]... \
        PART.json[:NAME]...

`./smtpspec run --client-cmd` names its one target "client", so each
client's part is given its real name here (`client-swaks.json:swaks`).
The expectations files (one per peer, docs/reports.md) are applied again
to every result under its final name, then the report is rebuilt with
reports.json_report.build, so the summary matches the results. Prints the
terminal summary; exits 1 if anything failed without being expected, as
`./smtpspec run` does.
"""

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from reports import expectations  # noqa: E402
from reports import html  # noqa: E402
from reports import json_report  # noqa: E402
from reports import terminal  # noqa: E402


def read_part(spec):
    """(results, targets) of one part, renamed if `spec` says so."""
    path, _, name = spec.partition(":")
    with open(path, encoding="utf-8") as f:
        report, errors = json_report.loads(f.read(), path)
    if errors:
        raise SystemExit("merge.py: " + errors[0])
    results, targets = report["results"], report["targets"]
    if name:
        if len(targets) != 1:
            raise SystemExit("merge.py: %s has %d targets; only a report "
                             "with one can be renamed" % (path, len(targets)))
        targets = [dict(targets[0], name=name)]
        for result in results:
            result["target"] = dict(result["target"], name=name)
    return results, targets


def read_expectations(paths):
    entries = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            parsed = expectations.parse(f.read(), path)
        if parsed.errors:
            raise SystemExit("merge.py: " + parsed.errors[0])
        entries += parsed.entries
    return entries


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", required=True)
    parser.add_argument("--html", required=True)
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("parts", nargs="+", metavar="PART.json[:NAME]")
    args = parser.parse_args(argv)
    results, targets = [], []
    for spec in args.parts:
        part_results, part_targets = read_part(spec)
        results += part_results
        targets += part_targets
    entries = read_expectations(args.expect)
    results = json_report.apply_expectations(results, entries)
    report = json_report.build(
        results, targets=targets, command=["tools/peers/matrix.sh"])
    problems = json_report.validate(report)
    if problems:
        raise SystemExit("merge.py: the merged report is invalid: " +
                         problems[0])
    for entry in expectations.unused(entries, results):
        print("merge.py: warning: %s @ %s is expected to fail but was not "
              "run" % (entry.scenario, entry.target), file=sys.stderr)
    with open(args.json, "w", encoding="utf-8") as f:
        f.write(json_report.dumps(report))
    with open(args.html, "w", encoding="utf-8") as f:
        f.write(html.render(report))
    terminal.Terminal(sys.stdout).finish(report)
    summary = report["summary"]
    return 1 if summary["failed"] or summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
