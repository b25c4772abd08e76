"""`smtpspec serve --script`: a scripted SMTP server for client authors.

`smtpspec_cli serve` parses and selects the scripts (the scenarios that
test a client), listens, and plays one script per connection, chosen by
the client's EHLO name (interpreter/script_book.h; docs/user-guide.md).
This module starts it, says where it listens and what each script is
called, shows each connection's verdict as the connection ends, as `run`
does, and at the end (after --count connections, or on Ctrl-C or SIGTERM)
writes the summary and the reports from the same run report as `run`.

Exit codes: with --count, `run`'s (0 everything passed, 1 a failure, 2 a
usage or setup error); Ctrl-C exits 130, after the summary and reports.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

from reports import expectations
from reports import json_report
from reports import outcome
from reports import terminal
from runner import binaries
from runner import discovery
from runner import processes
from runner import run
from runner import selection
from runner import targets as targets_lib
from runner import tls
from runner import variables
from runner.errors import Fatal

# The flags that mean nothing without --script: (attribute, flag).
_SCRIPT_FLAGS = (("count", "--count"), ("name", "--name"),
                 ("timeout", "--timeout"), ("var", "--var"),
                 ("strict", "--strict"), ("expect", "--expect"),
                 ("report_json", "--report-json"),
                 ("report_junit", "--report-junit"),
                 ("report_html", "--report-html"), ("verbose", "-v"),
                 ("tags", "--tags"), ("rfc", "--rfc"), ("id", "--id"),
                 ("level", "--level"))


def add_arguments(p):
    """The flags of `serve` that make it a scripted server."""
    p.add_argument("--script", action="append", metavar="PATH",
                   help="play these scenarios to the clients that connect "
                   "instead of being the reference server: files, folders "
                   "or globs (repeatable), the scenarios among them that "
                   "test a client; one per connection, chosen by the "
                   "client's EHLO name (the first --script's first file "
                   "greets)")
    p.add_argument("--count", metavar="N",
                   help="with --script: serve N connections, then exit "
                   "with run's exit codes (default: until Ctrl-C)")
    p.add_argument("--name", metavar="NAME",
                   help="with --script: what the reports call the client "
                   "under test (default: client), as in an --expect file's "
                   "'target NAME'")
    p.add_argument("--timeout", metavar="DURATION",
                   help="with --script: how long each step waits for the "
                   "client (default 10s)")
    p.add_argument("--var", action="append", metavar="K=V",
                   help="with --script: set a scenario variable "
                   "(repeatable)")
    p.add_argument("--strict", action="store_true",
                   help="with --script: SHOULD findings and stale "
                   "expectations fail")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="with --script: the transcript of each failure, "
                   "with the RFC sentence of each finding")
    p.add_argument("--expect", action="append", metavar="FILE",
                   help="with --script: known deviations (docs/reports.md; "
                   "repeatable)")
    p.add_argument("--report-json", metavar="FILE",
                   help="with --script: write the run report "
                   "(docs/results-schema.md)")
    p.add_argument("--report-junit", metavar="FILE",
                   help="with --script: write JUnit XML, one testcase per "
                   "connection")
    p.add_argument("--report-html", metavar="FILE",
                   help="with --script: write a self-contained HTML report")


def check_flags(args):
    """Whether `serve` is the scripted server; raises Fatal on flags that
    do not go together."""
    if not args.script:
        for attr, flag in _SCRIPT_FLAGS:
            if getattr(args, attr, None):
                raise Fatal("%s needs --script: without it serve is the "
                            "reference server" % flag)
        return False
    for attr, flag in (("maildir", "--maildir"), ("config", "--config")):
        if getattr(args, attr, None):
            raise Fatal("%s is the reference server's: serve --script plays "
                        "its scripts and stores no mail" % flag)
    return True


def _files(cli, args, root):
    """The scripts' files, in the order of the --script flags (a folder's
    in name order), each once: the first greets every connection."""
    out = []
    for path in args.script:
        for found in discovery.expand(cli, [path], root):
            if found not in out:
                out.append(found)
    return out


def _cli_args(args, name, vars_, cert, files):
    out = ["--target-name", name]
    if args.listen:
        out += ["--listen", args.listen]
    for flag in ("count", "timeout"):
        value = getattr(args, flag, None)
        if value is not None:
            out += ["--" + flag, str(value)]
    if args.strict:
        out.append("--strict")
    for key, value in variables.for_target(vars_, name):
        out += ["--var", "%s=%s" % (key, value)]
    if cert:
        out += ["--tls-cert", cert.certificate, "--tls-key", cert.key]
    # No shard: a server serves every script it is given.
    return out + selection.flags(args, {}) + files


class ServeProcess:
    """`smtpspec_cli serve`: its serving record, then its results."""

    def __init__(self, cli, root, command):
        self.serving = None
        self._errors = tempfile.TemporaryFile()
        try:
            self._proc = subprocess.Popen(
                [cli, "serve", *command], cwd=root, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=self._errors)
        except OSError as e:
            self._errors.close()
            raise Fatal("cannot run %s: %s" % (cli, e.strerror or e))

    def start(self):
        """Waits until it listens: the serving record."""
        line = self._proc.stdout.readline()
        if not line:
            self._proc.wait()
            raise self._failure()
        value = self._parse(line, json_report.SERVING_SCHEMA)
        self.serving = value
        return value

    def results(self):
        """Each connection's result as it ends; returns at the end."""
        for line in self._proc.stdout:
            if line.strip():
                yield self._parse(line, json_report.RESULT_SCHEMA)
        self._proc.wait()
        if self._proc.returncode not in (0, 1):
            raise self._failure()

    def stop(self):
        """Asks it to stop (it answers the open connections 421 and gives
        their results); results() then reads to the end."""
        if self._proc.poll() is None:
            try:
                self._proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass

    def close(self):
        processes.stop(self._proc)
        if self._proc.stdout and not self._proc.stdout.closed:
            self._proc.stdout.close()
        self._errors.close()

    def _failure(self):
        self._errors.seek(0)
        text = binaries.usage_error(
            self._errors.read().decode("utf-8", "replace"), "serve")
        return Fatal(text or binaries.ended("serve", self._proc.returncode))

    @staticmethod
    def _parse(line, schema):
        try:
            value = json.loads(line)
        except ValueError:
            raise Fatal("internal error: the scripted server gave a line "
                        "that is not JSON: %.80r" % line)
        if not isinstance(value, dict) or value.get("schema") != schema:
            raise Fatal("internal error: the scripted server gave %.80r "
                        "where a %s was due" % (line, schema))
        validate = (json_report.validate_serving
                    if schema == json_report.SERVING_SCHEMA
                    else json_report.validate_result)
        problems = validate(value)
        if problems:
            raise Fatal("internal error: the scripted server gave an "
                        "invalid record: " + problems[0])
        return value


def _announce(serving, cert, count, out):
    scripts = serving["scripts"]
    out.write("smtpspec: scripted server listening on %s: %d script%s\n" %
              (serving["address"], len(scripts),
               "" if len(scripts) == 1 else "s"))
    if len(scripts) == 1:
        out.write("  every client gets %s (%s)\n" %
                  (scripts[0]["id"], scripts[0]["file"]))
    else:
        width = max(len(s["name"]) for s in scripts)
        out.write("  the client's EHLO name picks one; the first greets, "
                  "and has a client that names none:\n")
        for script in scripts:
            out.write("  EHLO %s  %s (%s)\n" % (
                script["name"].ljust(width), script["id"], script["file"]))
    for note in serving["notes"]:
        out.write("smtpspec: note: %s\n" % note)
    if cert:
        out.write("smtpspec: STARTTLS with the self-signed certificate %s "
                  "(%s)\n" % (cert.certificate, cert.name))
    out.write("smtpspec: %s\n" % ("serving %s connection%s" % (
        count, "" if count == "1" else "s") if count else
        "Ctrl-C stops it"))
    out.flush()


def execute(args, root, env=None, out=None, command=()):
    """The scripted server; returns the exit code or raises Fatal."""
    env = os.environ if env is None else env
    out = out or sys.stdout
    expected = run.load_expectations(args.expect)
    entries = [e for _, file_entries in expected for e in file_entries]
    name = args.name or targets_lib.CLIENT
    vars_ = variables.parse(args.var)
    variables.check_targets(vars_, [name])
    cli = binaries.cli(env)
    files = _files(cli, args, root)
    results = []
    with tempfile.TemporaryDirectory(prefix="smtpspec-serve-") as tmp:
        # `!starttls` in a script needs a certificate (RFC 3207); without
        # openssl those scripts end in ERROR, saying so.
        cert = tls.self_signed(tmp)
        started, clock = run.utc_now(), time.monotonic()
        server = ServeProcess(cli, root, _cli_args(args, name, vars_, cert,
                                                   files))
        shown = terminal.Terminal(out, env=env, strict=args.strict,
                                  verbose=args.verbose, lines=True)

        def take(result):
            result = json_report.apply_expectations(
                [result], entries, args.strict)[0]
            results.append(result)
            shown.add(result)

        stopping = []

        def stop(signum, frame):
            # The first Ctrl-C (or SIGTERM) asks the server to stop: the
            # connections still open end as results of their own, read to
            # the end as any other, then come the summary and the reports.
            # A flag, not KeyboardInterrupt: no result half read is lost.
            # A second one aborts.
            if stopping:
                raise KeyboardInterrupt
            stopping.append(signum)
            server.stop()

        try:
            serving = server.start()
            previous = {sig: signal.signal(sig, stop)
                        for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                _announce(serving, cert, args.count, out)
                for result in server.results():
                    take(result)
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
        finally:
            server.close()
    interrupted = bool(stopping)
    target = {"name": name, "address": serving["address"], "tls": "none"}
    report = json_report.build(
        results, targets=[target], command=list(command), strict=args.strict,
        started_at=started,
        duration_ms=round((time.monotonic() - clock) * 1000, 1))
    for path, file_entries in [] if interrupted else expected:
        for warning in expectations.unused_warnings(path, file_entries,
                                                    results):
            print("smtpspec: warning: " + warning, file=sys.stderr)
    run.write_reports(args, report)
    run.github_report(args, report, env, out)
    shown.finish(report)
    if interrupted:
        return 130
    return 1 if outcome.failing(report["summary"]) else 0
