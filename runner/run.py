"""`smtpspec run`: scenarios against targets, streamed into the reports.

The steps, each of which may stop the run with a Fatal (exit 2) before any
scenario runs: read the expectations files and the targets, find the
binaries and the scenario files, then start one `smtpspec_cli run
--metadata --hold` per target (TargetRun). Each parses its files once,
selects (the selection flags and this Bazel shard's share,
runner/selection.py, and its target's side: servers get the server
scenarios and clients the client scenarios, runner/targets.py plan), fills
in a client's command template for each scenario, and reports the
metadata of what it will run, then how many scenarios were found and
selected; a bad flag value, a file that does not parse or a bad template
ends it with one line on stderr. Only when every target's run has said so
does anything run: the reference server is started if it has scenarios,
every server is checked to answer, and then, per target, the runs go on
(concurrently for a server, one at a time for a client) and stream one
JSON result per line; each result is matched against the expectations and
shown at once. Last, the run report is built and written in every format
asked for. No `list` pass: the runner neither parses nor selects.

With -x the run stops at the first failed or error result; --lf narrows
the files to those that failed last time (runner/lastfailed.py), which
every run from the command line keeps.

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
from reports import github
from reports import html
from reports import json_report
from reports import junit
from reports import outcome
from reports import terminal
from runner import binaries
from runner import clients
from runner import delivery
from runner import discovery
from runner import files as files_lib
from runner import lastfailed
from runner import preflight
from runner import processes
from runner import selection
from runner import targets as targets_lib
from runner import tls
from runner import update
from runner import variables
from runner.errors import Fatal
from runner.refserver import ReferenceServer

REFERENCE_CONFIG = os.path.join("scenarios", "reference-target.yaml")


def load_expectations(paths):
    """[(path, entries)] for each --expect file, in the order given."""
    out = []
    for path in paths or ():
        entries, errors = expectations.parse(
            files_lib.read_text(path, "expectations file"), path)
        if errors:
            raise Fatal(errors[0])
        out.append((path, entries))
    return out


def _check_flags(args):
    if getattr(args, "delivered", None) and not args.target:
        raise Fatal("--delivered needs --target: the reference server "
                    "started by `run` is checked in its own maildir")
    if args.tls == "implicit" and not args.target:
        raise Fatal("--tls implicit needs --target: the reference server "
                    "started by `run` speaks plain SMTP and STARTTLS")


def _common_flags(args):
    """Flags passed through to `smtpspec_cli run` for every target."""
    flags = []
    for name in ("jobs", "timeout"):
        # Every value given, "0" too: the binary judges it (one line, exit 2).
        value = getattr(args, name, None)
        if value is not None:
            flags += ["--" + name, str(value)]
    if args.strict:
        flags.append("--strict")
    return flags


def _server_flags(tls):
    """Flags only a server under test has a use for: how to reach it (its
    targets.Tls)."""
    flags = ["--tls", tls.mode]
    for name in ("ca", "server_name"):
        value = getattr(tls, name)
        if value:
            flags += ["--" + name.replace("_", "-"), str(value)]
    if tls.insecure:
        flags.append("--insecure")
    return flags


class TargetRun:
    """One target's `smtpspec_cli run --metadata --hold`.

    start() runs the binary and reads what it will run: `scenarios` (the
    metadata records) and `selection` (how many scenarios were found and
    selected); the binary then waits. go() lets it run (giving it the
    target's address if its arguments had none) and results() yields its
    results as they come. With `step` (--one-by-one), each next scenario
    starts only once the caller has handled the result before it.
    """

    def __init__(self, cli, root, target, command, step=False):
        self.target = target
        self.scenarios = []
        self.selection = None
        self._cli = cli
        self._root = root
        self._command = command
        self._step = step
        self._proc = None
        self._errors = None

    def start(self):
        self._errors = tempfile.TemporaryFile()
        try:
            self._proc = subprocess.Popen(
                [self._cli, "run", *self._command], cwd=self._root,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=self._errors)
        except OSError as e:
            raise Fatal("cannot run %s: %s" % (self._cli, e.strerror or e))
        for line in self._proc.stdout:
            if not line.strip():
                continue
            value = self._parse(line)
            kind = value.get("schema")
            if kind == json_report.RECORD_SCHEMA:
                self.scenarios.append(value["scenario"])
            elif kind == json_report.SELECTION_SCHEMA:
                self.selection = value
                return self
            else:
                raise Fatal("internal error: the scenario run gave a result "
                            "before its selection record")
        self._proc.wait()
        raise self._failure()

    def go(self, line=""):
        self._say(line)
        if not self._step:
            self._proc.stdin.close()

    def results(self):
        for line in self._proc.stdout:
            if not line.strip():
                continue
            value = self._parse(line)
            if value.get("schema") != json_report.RESULT_SCHEMA:
                raise Fatal("internal error: the scenario run gave a record "
                            "among its results")
            yield value
            if self._step:
                self._say("")  # the caller is done with it: the next one
        self._proc.wait()
        if self._proc.returncode not in (0, 1):
            raise self._failure()

    def close(self):
        """Stops the binary if it still runs (or waits for go)."""
        if self._proc:
            processes.stop(self._proc)
            for pipe in (self._proc.stdin, self._proc.stdout):
                if pipe and not pipe.closed:
                    try:
                        pipe.close()
                    except OSError:
                        pass
        if self._errors:
            self._errors.close()

    def _say(self, line):
        try:
            self._proc.stdin.write(line.encode("utf-8") + b"\n")
            self._proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # it has ended: results() says how

    def _failure(self):
        self._errors.seek(0)
        text = binaries.usage_error(
            self._errors.read().decode("utf-8", "replace"), "run")
        return Fatal(text or binaries.ended("run", self._proc.returncode))

    @staticmethod
    def _parse(line):
        try:
            value = json.loads(line)
        except ValueError:
            raise Fatal("internal error: the scenario run gave a line that "
                        "is not JSON: %.80r" % line)
        kind = value.get("schema") if isinstance(value, dict) else None
        if kind == json_report.RECORD_SCHEMA:
            what, problems = "record", json_report.validate_record(value)
        elif kind == json_report.SELECTION_SCHEMA:
            what, problems = "record", json_report.validate_selection(value)
        else:
            what, problems = "result", json_report.validate_result(value)
        if problems:
            raise Fatal("internal error: the scenario run gave an invalid "
                        "%s: %s" % (what, problems[0]))
        return value


def _target_json(target, args):
    out = {"name": target.name, "address": target.address,
           "tls": "none" if target.command else targets_lib.tls_for(
               args, target.name).mode}
    if target.command:
        out["command"] = target.command
    return out


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def write_reports(args, report):
    if args.report_json:
        files_lib.write_text(args.report_json, json_report.dumps(report))
    if args.report_junit:
        files_lib.write_text(args.report_junit, junit.render(report))
    if args.report_html:
        files_lib.write_text(args.report_html, html.render(report))


def github_report(args, report, env, out):
    """Under GitHub Actions (or with --github): the workflow-command
    annotations, before the closing lines, and the job summary appended
    to $GITHUB_STEP_SUMMARY (reports/github.py)."""
    if not (getattr(args, "github", False) or
            env.get("GITHUB_ACTIONS") == "true"):
        return
    for line in github.annotations(report):
        print(line, file=out)
    summary_path = env.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        try:
            with open(summary_path, "a", encoding="utf-8") as f:
                f.write(github.summary(report))
        except OSError as e:
            raise Fatal("GITHUB_STEP_SUMMARY %s: %s" % (summary_path,
                                                        e.strerror))


def _given_targets(args):
    """(servers, clients) named on the command line, not yet reached."""
    servers = targets_lib.parse_all(args.target or [])
    given = [targets_lib.parse_client(c) for c in args.client or []]
    if args.client_cmd is not None:
        if not args.client_cmd.strip():
            raise Fatal("--client-cmd: the command template is empty")
        given.append(targets_lib.Target(targets_lib.CLIENT, "",
                                        args.client_cmd))
    targets_lib.check_names(servers + given)
    return servers, given


def _cli_args(args, target, side, vars_, root, files, env, one_by_one):
    """The `smtpspec_cli run` arguments for one target: its side's share
    of the selection, its metadata reported first, then held (TargetRun).
    A server without an address yet (the reference server, not started)
    gets it on go(); one checked with --delivered command:CMD runs its
    scenarios one by one."""
    out = ["--target-name", target.name] + _common_flags(args)
    for key, value in variables.for_target(vars_, target.name):
        out += ["--var", "%s=%s" % (key, value)]
    out += selection.flags(args, env)
    if side:
        out += ["--side", side]
    if target.command:
        out = ["--client-cmd", target.command, "--message",
               clients.message(root)] + out
    else:
        out = (["--target", target.address] if target.address else []) + (
            _server_flags(targets_lib.tls_for(args, target.name)) + out +
            (["--one-by-one"] if one_by_one else []))
    return out + ["--metadata", "--hold"] + files


class _FirstFailure(Exception):
    """-x: a result failed; the run stops there."""


def execute(args, root, env=None, out=None, command=(), state=None):
    """The whole run; returns the exit code (0 or 1) or raises Fatal.

    With `state` (a folder: `smtpspec run`, not the Bazel tests), the
    run's failures are kept there for --lf (runner/lastfailed.py)."""
    env = os.environ if env is None else env
    first_failure, stopped = getattr(args, "exitfirst", False), False
    out = out or sys.stdout
    _check_flags(args)
    expected = load_expectations(args.expect)
    entries = [e for _, file_entries in expected for e in file_entries]
    vars_ = variables.parse(args.var)
    servers, clients_ = _given_targets(args)
    default = not servers and not clients_
    # The reference client needs smtpspec_send; the Bazel scenario tests
    # may run without it (runner/scenario_test.py).
    with_client = default and getattr(args, "reference_client", True)
    names = ([targets_lib.REFERENCE_SERVER] + (
        [targets_lib.REFERENCE_CLIENT] if with_client else [])) if default \
        else [t.name for t in servers + clients_]
    variables.check_targets(vars_, names)
    golden = update.plan(args, names, expected)
    with tempfile.TemporaryDirectory(prefix="smtpspec-run-") as tmp:
        wanted = [binaries.CLI]
        if default:
            wanted += [binaries.SERVER] + ([binaries.SEND] if with_client
                                           else [])
        found = dict(zip(wanted, binaries.paths(wanted, env)))
        # The run starts now: a first build can take minutes.
        started, clock = utc_now(), time.monotonic()
        cli = found[binaries.CLI]
        files = discovery.expand(cli, args.paths, root)
        if getattr(args, "last_failed", False):
            files = lastfailed.only_failed(
                files, state or lastfailed.state_dir(root, env), _warn)
        selection.touch_shard_status(env)
        verbose = getattr(args, "verbose", False)
        term = terminal.Terminal(out, env=env, strict=args.strict,
                                 verbose=verbose)
        results, targets = [], []
        with _Targets(args, found, tmp, root) as started_targets:
            if default:
                servers, clients_ = started_targets.defaults(with_client)
            checkers = _checkers(args, started_targets, servers, root)
            runs = []
            for target, side in targets_lib.plan(servers, clients_):
                # CMD prints the last message stored: one scenario at a time.
                one_by_one = isinstance(checkers.get(target.name),
                                        delivery.CommandChecker)
                runs.append(started_targets.add(TargetRun(
                    cli, root, target, _cli_args(args, target, side, vars_,
                                                 root, files, env,
                                                 one_by_one),
                    step=one_by_one)))
            # Every target's run has parsed and selected before any runs.
            for run_ in runs:
                run_.start()
            _warn_live(args, runs)
            counts = runs[0].selection
            if not counts["selected"]:
                raise Fatal("no scenario matches the selection (%d "
                            "scenarios found)" % counts["found"])
            # An empty Bazel shard runs nothing, but still writes its
            # reports; the reference agents run only if they have work.
            total = sum(len(r.scenarios) for r in runs)
            runs = [r for r in runs if total and (
                r.scenarios or not default)]
            go = {}
            for run_ in runs:
                if not run_.target.address and not run_.target.command:
                    run_.target = started_targets.start_server()
                    go[run_.target.name] = run_.target.address
                elif not run_.target.command:
                    started_targets.check([run_.target])
            targets = [r.target for r in runs]
            shown = terminal.Terminal(out, total=total, env=env,
                                      strict=args.strict, verbose=verbose)

            def show(ready):
                for result in ready:
                    result = json_report.apply_expectations(
                        [result], entries, args.strict)[0]
                    results.append(result)
                    shown.add(result)
                    if first_failure and outcome.outcome(
                            result, args.strict) in (outcome.FAILED,
                                                     outcome.ERROR):
                        raise _FirstFailure()

            try:
                for run_ in runs:
                    _play(run_, checkers.get(run_.target.name),
                          go.get(run_.target.name, ""), show)
            except _FirstFailure:
                # The targets' runs are stopped as the with block ends.
                _warn("smtpspec: -x: stopped at the first failure")
                stopped = True
            term = shown if runs else term
        # Results stream in completion order; reports list them in file
        # order (then target order), the same on every run.
        rank = {path: i for i, path in enumerate(files)}
        results.sort(key=lambda r: rank.get(r["scenario"]["file"],
                                            len(rank)))
        report = json_report.build(
            results, targets=[_target_json(t, args) for t in targets],
            command=list(command), strict=args.strict, started_at=started,
            duration_ms=round((time.monotonic() - clock) * 1000, 1))
    # Stopped by -x, most entries had no chance to match.
    for path, file_entries in [] if stopped else expected:
        for warning in expectations.unused_warnings(path, file_entries,
                                                    results):
            _warn("smtpspec: warning: " + warning)
    if state:
        lastfailed.save(state, results, args.strict)
    write_reports(args, report)
    github_report(args, report, env, out)
    term.finish(report)
    if golden:
        return update.write(golden, results, args.strict)
    return 1 if outcome.failing(report["summary"]) else 0


def _warn(line):
    print(line, file=sys.stderr, flush=True)


def _play(run_, check, address, show):
    """Lets one target's run go and shows its results as they come, with
    what the delivery check `check` (or None) makes of them."""
    target = run_.target
    if check:
        check.start()
    run_.go(address)
    for result in run_.results():
        if target.command:
            show([result])
        elif check:
            show(check.add(result))
        else:
            show([delivery.inconclusive(result)])
    if check:
        show(check.finish())


def _warn_live(args, runs):
    """Once per run: the servers given that are not on this machine, and
    how many messages the selected scenarios may deliver to each (the
    metadata's `delivers`, parser/delivers.h). --yes silences it."""
    if getattr(args, "yes", False):
        return
    live = []
    for run_ in runs:
        target = run_.target
        if target.command or not target.address:
            continue
        host, _ = targets_lib.split_address(target.address)
        if not targets_lib.is_loopback(host):
            live.append((target.name, sum(
                1 for m in run_.scenarios if m.get("delivers"))))
    if live:
        print("smtpspec: warning: not a loopback address: %s; `smtpspec "
              "probe` delivers nothing (--yes silences this)" % "; ".join(
                  "%s gets %d message%s from the selected scenarios" %
                  (name, n, "" if n == 1 else "s") for name, n in live),
              file=sys.stderr)


def _checkers(args, started_targets, servers, root):
    """{server name: delivery checker} from --delivered, and the reference
    server's own maildir."""
    specs = delivery.specs_by_target(getattr(args, "delivered", None),
                                     [t.name for t in servers])
    if started_targets.maildir:
        specs[targets_lib.REFERENCE_SERVER] = delivery.Spec(
            "maildir", started_targets.maildir)
    rules = delivery.load_rules(root)
    return {name: delivery.checker(spec, rules, root)
            for name, spec in specs.items()}


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


class _Targets:
    """Gets the run's targets ready: checks that the servers given answer,
    or starts the reference server; stops it and every target's run at the
    end."""

    def __init__(self, args, found, tmp, root):
        self._args = args
        self._root = root
        self._found = found
        self._tmp = tmp
        self._server = None
        self._server_args = []
        self._runs = []
        # The reference server's maildir, checked after its scenarios.
        self.maildir = None

    def add(self, run_):
        self._runs.append(run_)
        return run_

    def check(self, servers):
        for target in servers:
            preflight.check(target, targets_lib.tls_for(
                self._args, target.name).mode)

    def defaults(self, with_client):
        """(servers, clients) of a run with no target given: the reference
        server (its address comes once it is started, start_server()) and
        the reference client; without the client the server gets every
        scenario."""
        clients_ = []
        if with_client:
            clients_.append(targets_lib.Target(
                targets_lib.REFERENCE_CLIENT, "", clients.reference_template(
                    self._found[binaries.SEND])))
        self._prepare_server()
        return [targets_lib.Target(targets_lib.REFERENCE_SERVER, "", "")], \
            clients_

    def _prepare_server(self):
        """What the reference server and its run are given, before either
        starts: its configuration, a maildir of the run's own, and a
        certificate the run trusts."""
        args = self._args
        config = reference_config(args, self._root)
        if config:
            self._server_args += ["--config", config]
        # Flags override the file: messages go to a maildir of the run's
        # own, which the delivery check reads (runner/delivery.py).
        self.maildir = os.path.join(self._tmp, "maildir")
        os.makedirs(self.maildir, exist_ok=True)
        self._server_args += ["--maildir", self.maildir]
        cert = tls.self_signed(self._tmp)
        if cert:
            self._server_args += ["--set", "tls.certificate=" +
                                  cert.certificate, "--set",
                                  "tls.key=" + cert.key]
            if not args.ca and not args.insecure:
                args.ca, args.server_name = cert.certificate, cert.name

    def start_server(self):
        """The reference server, started: its Target, with its address."""
        self._server = ReferenceServer(self._found[binaries.SERVER],
                                       self._server_args)
        self._server.start()
        target = targets_lib.Target(targets_lib.REFERENCE_SERVER,
                                    self._server.address, "")
        preflight.check(target, targets_lib.tls_for(self._args,
                                                    target.name).mode)
        return target

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for run_ in self._runs:
            run_.close()
        if self._server:
            self._server.stop()
        return False
