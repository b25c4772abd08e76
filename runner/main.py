"""The `smtpspec` command: run conformance scenarios, serve, lint, test.

Every error ends in one line on stderr and exit code 2, never a Python
traceback (set SMTPSPEC_DEBUG=1 to see one); Ctrl-C exits 130 after the
child processes are stopped.
"""

import argparse
import os
import sys
import textwrap
import traceback

# runner/ is a package beside the repository's other folders.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from reports import json_report  # noqa: E402
from runner import bazel  # noqa: E402
from runner import commands  # noqa: E402
from runner import completion  # noqa: E402
from runner import explain  # noqa: E402
from runner import helptext  # noqa: E402
from runner import lastfailed  # noqa: E402
from runner import probe  # noqa: E402
from runner import record  # noqa: E402
from runner import processes  # noqa: E402
from runner import run  # noqa: E402
from runner import run_config  # noqa: E402
from runner import serve_script  # noqa: E402
from runner import suggest  # noqa: E402
from runner import targets  # noqa: E402
from runner import testsuite  # noqa: E402
from runner.errors import Fatal  # noqa: E402


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag in one line and exits 2."""

    def error(self, message):
        raise Fatal(message)


def _command(sub, name, help_):
    """A subcommand's parser, its examples and exit codes below the flags
    (runner/helptext.py)."""
    return sub.add_parser(name, help=help_,
                          description=textwrap.fill(help_, 79),
                          epilog=helptext.EPILOGS[name],
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _add_selection(p):
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="scenario files, folders or globs (default: "
                   "scenarios/**/*.smtp)")
    _add_selection_flags(p)
    # Not in serve, whose --config is the reference server's.
    p.add_argument("-c", "--config", metavar="FILE",
                   help="run configuration (default: ./smtpspec.yaml when "
                   "there is one): targets, variables, TLS, "
                   "expectations; the flags override or add to it "
                   "(docs/user-guide.md)")


def _add_selection_flags(p):
    p.add_argument("--tags", action="append",
                   help="only scenarios with one of these tags (a,b)")
    p.add_argument("-s", "--rfc", action="append", metavar="SECTION",
                   help='only scenarios citing this section or one inside '
                   'it: "RFC 3207 4", or a bare section of RFC 5321 '
                   '("4.1" selects 4.1.4, not 4.10)')
    p.add_argument("--id", action="append", metavar="GLOB",
                   help="only scenario ids matching this glob (rfc5321.*)")
    p.add_argument("--level", action="append",
                   help="only MUST, SHOULD or MAY scenarios (a,b)")


def _add_run(sub):
    p = _command(sub, "run", "run scenarios (default targets: the "
                 "reference server, started on a free loopback port, and the "
                 "reference client)")
    _add_selection(p)
    p.add_argument("--target", action="append", metavar="[NAME=]HOST:PORT",
                   help="a server under test (repeatable: one matrix)")
    p.add_argument("--client", action="append", metavar="NAME=TEMPLATE",
                   help="a client under test: a shell command template "
                   "with {host}, {port}, {message} and the variables, e.g. "
                   "'swaks --server {host}:{port} --from {sender} --to "
                   "{mailbox} --data {message}' (repeatable)")
    p.add_argument("--client-cmd", metavar="TEMPLATE",
                   help="one client under test, named 'client'")
    p.add_argument("--tls", choices=targets.TLS_MODES,
                   help="how to reach the servers under test: plain SMTP "
                   "(default; scenarios may still say !starttls), STARTTLS "
                   "first, or TLS from the first byte")
    p.add_argument("--ca", metavar="FILE",
                   help="CA certificates to verify the target's TLS")
    p.add_argument("--insecure", action="store_true",
                   help="do not verify the target's TLS certificate")
    p.add_argument("--server-name", metavar="NAME",
                   help="TLS server name (SNI and verification)")
    p.add_argument("--delivered", action="append",
                   metavar="[TARGET=]KIND:WHERE",
                   help="check what the server stored against what was "
                   "sent: maildir:DIR, mbox:FILE or command:CMD (prints the "
                   "last message stored); TARGET= for one of several "
                   "servers (repeatable)")
    p.add_argument("--var", action="append", metavar="[TARGET:]K=V",
                   help="set a scenario variable, for every target or for "
                   "the one named TARGET (repeatable)")
    # Not type=int: smtpspec_cli run owns what N may be (1 to 1000), and
    # says so in one line for 0 as for "many".
    p.add_argument("--jobs", metavar="N",
                   help="scenarios at once per target")
    p.add_argument("--timeout", metavar="DURATION",
                   help="each step's timeout (5s, 500ms)")
    p.add_argument("--strict", action="store_true",
                   help="SHOULD findings and stale expectations fail")
    p.add_argument("-x", "--exitfirst", action="store_true",
                   help="stop at the first failed (or error) result")
    p.add_argument("--lf", "--last-failed", dest="last_failed",
                   action="store_true",
                   help="run only the scenarios that failed in the last "
                   "run (kept in .smtpspec/lastfailed.json); all of them "
                   "when none did")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="print the transcript of each failure, with the RFC "
                   "sentence of each finding beside the bytes")
    p.add_argument("--expect", action="append", metavar="FILE",
                   help="known deviations (docs/reports.md; repeatable)")
    p.add_argument("--update-expectations", nargs="?", const="",
                   metavar="PATH",
                   help="after the run, rewrite each target's expectations "
                   "to its current failures, for review: the --expect "
                   "files in place, or --update-expectations=FILE, or =DIR/ "
                   "for DIR/TARGET.expect")
    p.add_argument("--report-json", metavar="FILE",
                   help="write the run report (docs/results-schema.md)")
    p.add_argument("--report-junit", metavar="FILE",
                   help="write JUnit XML, one testcase per scenario and "
                   "target")
    p.add_argument("--report-html", metavar="FILE",
                   help="write a self-contained HTML report")
    p.add_argument("--github", action="store_true",
                   help="GitHub Actions annotations (::error file=,line=) "
                   "and a job summary in $GITHUB_STEP_SUMMARY; automatic "
                   "when GITHUB_ACTIONS=true")
    p.add_argument("--yes", action="store_true",
                   help="no warning for a target that is not on loopback")


def build_parser():
    parser = Parser(prog="smtpspec",
                    description="Conformance test harness for SMTP.",
                    epilog=helptext.EPILOGS["smtpspec"],
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version",
                        version="smtpspec " + json_report.VERSION,
                        help="print smtpspec's version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                parser_class=Parser)
    sub.required = True
    _add_run(sub)
    p = _command(sub, "list", "what `run` would run: ids, levels, "
                 "citations; nothing is contacted")
    _add_selection(p)
    files = "scenario files or folders (default: scenarios/)"
    p = _command(sub, "lint", "check scenario files")
    p.add_argument("paths", nargs="*", metavar="PATH", help=files)
    p = _command(sub, "fmt", "format scenario files in place")
    p.add_argument("--check", action="store_true",
                   help="write nothing: show a diff of each file that is "
                   "not formatted")
    p.add_argument("paths", nargs="*", metavar="PATH", help=files)
    p = _command(sub, "serve", "run the reference server in the "
                 "foreground, or with --script a scripted server that "
                 "plays scenarios to the clients that connect and judges "
                 "them")
    p.add_argument("--listen", metavar="HOST:PORT",
                   help="where to listen (default: the --config file's "
                   "listen:, or the reference server's default, "
                   "docs/reference-server.md, also with --script; port 0 "
                   "picks a free one)")
    p.add_argument("--maildir", metavar="DIR",
                   help="where messages go (default .smtpspec/maildir, or "
                   "the --config file's sink:)")
    p.add_argument("--config", metavar="FILE",
                   help="server configuration (docs/reference-server.md)")
    serve_script.add_arguments(p)
    _add_selection_flags(p)
    p = _command(sub, "explain", "a scenario's metadata, RFC sections and "
                 "transcript")
    p.add_argument("scenario_id", metavar="ID",
                   help="the scenario's id (an unknown one suggests the "
                   "closest)")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="where to look (default: the corpus)")
    probe.add_arguments(_command(sub, "probe", probe.HELP))
    record.add_arguments(_command(sub, "record", record.HELP))
    _command(sub, "test", "run every test of the project")
    completion.add_arguments(_command(sub, "completion", completion.HELP))
    parser.commands = sub.choices  # {name: its parser}
    return parser


def check_command(parser, argv):
    """An unknown subcommand is one line naming the closest one: argparse
    would list every choice instead ("did you mean 'run'?")."""
    word = next((a for a in argv if not a.startswith("-")), None)
    names = list(parser.commands)
    if word is not None and word not in names:
        raise Fatal("unknown command '%s'%s (commands: %s; see smtpspec "
                    "--help)" % (word, suggest.did_you_mean(word, names),
                                 ", ".join(names)))


def dispatch(args, argv):
    if args.command in ("run", "list"):
        run_config.apply(args, os.getcwd())
    if args.command == "run":
        try:
            return run.execute(args, ROOT, command=["smtpspec", *argv],
                               state=lastfailed.state_dir(ROOT, os.environ))
        except Fatal as e:
            raise Fatal(run_config.placed(args, str(e)))
    if args.command == "list":
        return commands.cmd_list(args, ROOT)
    if args.command == "lint":
        return commands.cmd_passthrough("lint", [], args, ROOT)
    if args.command == "fmt":
        extra = ["--check"] if args.check else []
        return commands.cmd_passthrough("fmt", extra, args, ROOT)
    if args.command == "serve":
        if serve_script.check_flags(args):
            return serve_script.execute(args, ROOT,
                                        command=["smtpspec", *argv])
        return commands.cmd_serve(args, ROOT)
    if args.command == "probe":
        return probe.execute(args, ROOT, command=["smtpspec", *argv])
    if args.command == "record":
        return record.execute(args, ROOT, sys.stderr)
    if args.command == "explain":
        return explain.cmd_explain(args, ROOT)
    if args.command == "completion":
        return completion.cmd_completion(args, build_parser())
    return testsuite.main(args)


def _one_line(text):
    lines = [l for l in str(text).splitlines() if l.strip()]
    return "\n".join(lines) if lines else type(text).__name__


def main(argv):
    processes.interrupt_on_sigterm()
    try:
        parser = build_parser()
        check_command(parser, argv)
        return dispatch(parser.parse_args(argv), argv)
    except Fatal as e:
        print("smtpspec: " + _one_line(e), file=sys.stderr)
    except bazel.BazelError as e:
        print("smtpspec: " + _one_line(e), file=sys.stderr)
    except KeyboardInterrupt:
        print("smtpspec: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `smtpspec list | head`: the reader left; nothing to say.
        sys.stderr.close()
        return 0
    except Exception as e:  # noqa: BLE001 (the last resort: no traceback)
        if os.environ.get("SMTPSPEC_DEBUG"):
            traceback.print_exc()
        print("smtpspec: internal error: %s: %s (SMTPSPEC_DEBUG=1 shows "
              "where)" % (type(e).__name__, _one_line(e).splitlines()[0]),
              file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
