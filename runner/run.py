"""`smtpspec run`: scenarios against targets, streamed into the reports.

The steps, each of which may stop the run with a Fatal (exit 2) before any
scenario runs: read the expectations file, find the binaries, find and
select the scenarios (then keep this Bazel shard's share), and make sure
every target answers. Then, per target, the C++ binary runs the scenarios
concurrently and streams one JSON result per line; each result is matched
against the expectations and shown at once. Last, the run report is built
and written in every format asked for.

Exit codes: 0 when everything passed, 1 on a divergence (a failed or error
result, or a stale expectation under --strict), 2 on a usage or
environment error.
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

from reports import expectations
from reports import html
from reports import json_report
from reports import junit
from reports import terminal
from runner import binaries
from runner import discovery
from runner import processes
from runner import selection
from runner import targets as targets_lib
from runner import tls
from runner.errors import Fatal
from runner.refserver import ReferenceServer

REFERENCE_CONFIG = os.path.join("scenarios", "reference-target.yaml")


def _read(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise Fatal("cannot read %s %s: %s" %
                    (what, path, getattr(e, "strerror", None) or e))


def _write(path, text):
    try:
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise Fatal("cannot write %s: %s" % (path, e.strerror or e))


def load_expectations(path):
    if not path:
        return []
    entries, errors = expectations.parse(_read(path, "expectations file"),
                                         path)
    if errors:
        raise Fatal(errors[0])
    return entries


def select_scenarios(args, cli, root, env):
    """Metadata of the scenarios to run: found, filtered, then sharded."""
    files = discovery.expand(args.paths, root)
    found = discovery.list_metadata(cli, files, root)
    chosen = selection.select(found, selection.filters(
        args.tags, args.rfc, args.id, args.level))
    if not chosen:
        raise Fatal("no scenario matches the selection (%d scenarios found)"
                    % len(found))
    return selection.shard(chosen, env)


def _check_flags(args):
    if args.client_cmd and args.target:
        raise Fatal("give --target (servers under test) or --client-cmd (a "
                    "client under test), not both")
    if args.tls == "implicit" and not args.target:
        raise Fatal("--tls implicit needs --target: the reference server "
                    "started by `run` speaks plain SMTP and STARTTLS")


def _cli_flags(args):
    """Flags passed through to `smtpspec_cli run` for every target."""
    flags = []
    for name in ("jobs", "timeout", "ca", "server_name"):
        value = getattr(args, name, None)
        if value:
            flags += ["--" + name.replace("_", "-"), str(value)]
    for var in args.var or ():
        flags += ["--var", var]
    if args.insecure:
        flags.append("--insecure")
    if args.strict:
        flags.append("--strict")
    return flags


class Stream:
    """Runs the binary for one target and yields its results as they come."""

    def __init__(self, cli, root, command):
        self._cli = cli
        self._root = root
        self._command = command

    def results(self):
        with tempfile.TemporaryFile() as errors:
            try:
                proc = subprocess.Popen(
                    [self._cli, "run", *self._command], cwd=self._root,
                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                    stderr=errors)
            except OSError as e:
                raise Fatal("cannot run %s: %s" % (self._cli,
                                                   e.strerror or e))
            try:
                for line in proc.stdout:
                    if line.strip():
                        yield self._parse(line)
                proc.wait()
            finally:
                processes.stop(proc)
                proc.stdout.close()
            if proc.returncode not in (0, 1):
                errors.seek(0)
                text = errors.read().decode("utf-8", "replace").strip()
                raise Fatal(text or "smtpspec_cli run exited %d" %
                            proc.returncode)

    @staticmethod
    def _parse(line):
        try:
            result = json.loads(line)
        except ValueError:
            raise Fatal("smtpspec_cli run printed a line that is not JSON: "
                        "%.80r" % line)
        problems = json_report.validate_result(result)
        if problems:
            raise Fatal("smtpspec_cli run printed an invalid result: " +
                        problems[0])
        return result


def _target_json(target, tls_mode):
    out = {"name": target.name, "address": target.address, "tls": tls_mode}
    if target.command:
        out["command"] = target.command
    return out


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def _write_reports(args, report):
    if args.report_json:
        _write(args.report_json, json_report.dumps(report))
    if args.report_junit:
        _write(args.report_junit, junit.render(report))
    if args.report_html:
        _write(args.report_html, html.render(report))


def _target_command(args, target, files):
    if target.command:
        command = ["--client-cmd", target.command]
    else:
        command = ["--target", target.address]
    command += ["--target-name", target.name, "--tls", args.tls]
    return command + _cli_flags(args) + [m["file"] for m in files]


def execute(args, root, env=None, out=None, command=()):
    """The whole run; returns the exit code (0 or 1) or raises Fatal."""
    env = os.environ if env is None else env
    out = out or sys.stdout
    started, clock = _now(), time.monotonic()
    _check_flags(args)
    entries = load_expectations(args.expect)
    with tempfile.TemporaryDirectory(prefix="smtpspec-run-") as tmp:
        if args.target or args.client_cmd:
            cli = binaries.cli(env)
            server = None
        else:
            cli, server = binaries.paths([binaries.CLI, binaries.SERVER], env)
        scenarios = select_scenarios(args, cli, root, env)
        selection.touch_shard_status(env)
        term = terminal.Terminal(out, env=env, strict=args.strict)
        results, targets = [], []
        # An empty Bazel shard runs nothing, but still writes its reports.
        if scenarios:
            with _targets(args, server, tmp, root) as targets:
                term = terminal.Terminal(
                    out, total=len(scenarios) * len(targets), env=env,
                    strict=args.strict)
                for target in targets:
                    stream = Stream(cli, root, _target_command(args, target,
                                                               scenarios))
                    for result in stream.results():
                        result = json_report.apply_expectations(
                            [result], entries, args.strict)[0]
                        results.append(result)
                        term.add(result)
        # Results stream in completion order; reports list them in file
        # order (then target order), the same on every run.
        rank = {meta["id"]: i for i, meta in enumerate(scenarios)}
        results.sort(key=lambda r: rank.get(r["scenario"]["id"], len(rank)))
        report = json_report.build(
            results, targets=[_target_json(t, args.tls) for t in targets],
            command=list(command), strict=args.strict, started_at=started,
            duration_ms=round((time.monotonic() - clock) * 1000, 1))
    for entry in expectations.unused(entries, results):
        print("smtpspec: warning: %s:%d: no result for %s @ %s (a typo, or "
              "not run)" % (args.expect, entry.line, entry.scenario,
                            entry.target), file=sys.stderr)
    _write_reports(args, report)
    term.finish(report)
    summary = report["summary"]
    return 1 if summary["failed"] or summary["errors"] else 0


def reference_config(args, root):
    """The reference server's configuration when it is the target.

    --server-config (the Bazel tests) or scenarios/reference-target.yaml,
    which matches the corpus's target variables (${domain} is localhost,
    only ${mailbox} exists); None when neither is there.
    """
    given = getattr(args, "server_config", None)
    if given:
        if not os.path.isfile(given):
            raise Fatal("no such server configuration: %s" % given)
        return os.path.abspath(given)
    default = os.path.join(root, REFERENCE_CONFIG)
    return default if os.path.isfile(default) else None


class _targets:
    """The run's targets; starts (and stops) the reference server if none
    was given."""

    def __init__(self, args, server, tmp, root):
        self._args = args
        self._root = root
        self._server_binary = server
        self._tmp = tmp
        self._server = None

    def __enter__(self):
        args = self._args
        if args.client_cmd:
            return [targets_lib.Target("client", "", args.client_cmd)]
        if args.target:
            found = targets_lib.parse_all(args.target)
            for target in found:
                targets_lib.check_reachable(target)
            return found
        server_args = []
        config = reference_config(args, self._root)
        if config:
            server_args += ["--config", config]
        # Flags override the file: messages are not kept.
        server_args.append("--discard")
        cert = tls.self_signed(self._tmp)
        if cert:
            server_args += ["--set", "tls.certificate=" + cert.certificate,
                            "--set", "tls.key=" + cert.key]
            if not args.ca and not args.insecure:
                args.ca, args.server_name = cert.certificate, cert.name
        self._server = ReferenceServer(self._server_binary, server_args)
        self._server.start()
        return [targets_lib.Target(targets_lib.REFERENCE,
                                   self._server.address, "")]

    def __exit__(self, *exc):
        if self._server:
            self._server.stop()
        return False
