"""Command line for debugging the reports.

    python3 -m reports assemble --results R.jsonl [--expect F] [--strict]
                                --out run.json
    python3 -m reports render --json run.json [--html out.html]
                              [--junit out.xml] [--terminal [-v]]
    python3 -m reports validate run.json
    python3 -m reports screenshot --json run.json --png out.png
                                  [--fragment verdict=FAILED]

Exit codes: 0 on success, 1 when `validate` finds problems or `render
--terminal` shows divergences (a failed or error result, or a failing
incidental finding), 2 on a usage or input error.
"""

import argparse
import os
import sys
import tempfile

from reports import chromium
from reports import expectations
from reports import html
from reports import json_report
from reports import junit
from reports import outcome
from reports import terminal


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError("cannot read %s: %s" % (path, e))


def _write(path, text):
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise UsageError("cannot write %s: %s" % (path, e))


def _load_report(path):
    report, errors = json_report.loads(_read(path), path)
    if errors:
        raise UsageError("%s (and %d more problems)" % (errors[0],
                                                        len(errors) - 1)
                         if len(errors) > 1 else errors[0])
    return report


def cmd_assemble(args):
    parsed = json_report.parse_results(_read(args.results), args.results)
    if parsed.errors:
        raise UsageError(parsed.errors[0])
    for i, result in enumerate(parsed.results):
        problems = json_report.validate_result(result, "result %d" % i)
        if problems:
            raise UsageError("%s: %s" % (args.results, problems[0]))
    results = parsed.results
    if args.expect:
        entries, errors = expectations.parse(_read(args.expect), args.expect)
        if errors:
            raise UsageError(errors[0])
        results = json_report.apply_expectations(results, entries,
                                                 args.strict)
    report = json_report.build(
        results, strict=args.strict,
        command=["python3", "-m", "reports"] + sys.argv[1:],
        duration_ms=sum(r.get("duration_ms", 0) for r in results),
        started_at=min((r["started_at"] for r in results), default=""))
    _write(args.out, json_report.dumps(report))
    return 0


def cmd_render(args):
    report = _load_report(args.json)
    if args.html:
        _write(args.html, html.render(report))
    if args.junit:
        _write(args.junit, junit.render(report))
    if args.terminal:
        terminal.Terminal(sys.stdout, strict=report["strict"],
                          verbose=args.verbose).finish(report)
        return 1 if outcome.failing(report["summary"]) else 0
    return 0


def cmd_validate(args):
    report, errors = json_report.loads(_read(args.report), args.report)
    for error in errors:
        print(error)
    if not errors:
        print("%s: valid %s, %s" % (args.report, report["schema"],
                                    terminal.summary_line(report["summary"])))
    return 1 if errors else 0


def cmd_screenshot(args):
    report = _load_report(args.json)
    with tempfile.TemporaryDirectory(prefix="smtpspec-report-") as tmp:
        page = os.path.join(tmp, "report.html")
        _write(page, html.render(report))
        error = chromium.screenshot(page, args.png, args.fragment,
                                    args.width, args.height)
    if error:
        raise UsageError(error)
    return 0


def build_parser():
    parser = _Parser(prog="python3 -m reports",
                     description="Render smtpspec run reports.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                parser_class=_Parser)
    sub.required = True
    p = sub.add_parser("assemble", help="results + expectations -> run.json")
    p.add_argument("--results", required=True,
                   help="results as JSON lines or a JSON array")
    p.add_argument("--expect", help="expectations file (docs/reports.md)")
    p.add_argument("--strict", action="store_true")
    p.add_argument("--out", required=True)
    p = sub.add_parser("render", help="run.json -> HTML, JUnit, terminal")
    p.add_argument("--json", required=True, help="the run report")
    p.add_argument("--html")
    p.add_argument("--junit")
    p.add_argument("--terminal", action="store_true")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="terminal: whole transcripts and RFC sentences")
    p = sub.add_parser("validate", help="check a run report's schema")
    p.add_argument("report")
    p = sub.add_parser("screenshot", help="PNG of the HTML report")
    p.add_argument("--json", required=True)
    p.add_argument("--png", required=True)
    p.add_argument("--fragment", default="",
                   help="URL fragment, e.g. verdict=FAILED")
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=1600)
    return parser


COMMANDS = {"assemble": cmd_assemble, "render": cmd_render,
            "validate": cmd_validate, "screenshot": cmd_screenshot}


def main(argv):
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except UsageError as e:
        print("reports: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
