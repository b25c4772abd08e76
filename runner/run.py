"""`smtpspec run`: scenarios against targets, streamed into the reports.

The steps, each of which may stop the run with a Fatal (exit 2) before any
scenario runs: read the expectations files and the targets, find the
binaries, find and select the scenarios (then keep this Bazel shard's
share), make sure every server answers (or start the reference server),
and fill in the client templates. Servers get the server scenarios and
clients the client scenarios (runner/targets.py, plan). Then, per target,
the C++ binary runs the scenarios (concurrently for a server, one at a time
for a client) and streams one JSON result per line; each result is matched
against the expectations and shown at once. Last, the run report is built
and written in every format asked for.

Exit codes: 0 when everything passed, 1 on a divergence (a failed or error
result, or a stale expectation under --strict), 2 on a usage or
environment error.
"""

import collections
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
from reports import outcome
from reports import terminal
from runner import binaries
from runner import clients
from runner import delivery
from runner import discovery
from runner import preflight
from runner import processes
from runner import selection
from runner import targets as targets_lib
from runner import tls
from runner import variables
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


def load_expectations(paths):
    """[(path, entries)] for each --expect file, in the order given."""
    out = []
    for path in paths or ():
        entries, errors = expectations.parse(
            _read(path, "expectations file"), path)
        if errors:
            raise Fatal(errors[0])
        out.append((path, entries))
    return out


def select_scenarios(args, cli, root, env):
    """Metadata of the scenarios to run: found, filtered, then sharded."""
    files = discovery.expand(cli, args.paths, root)
    found = discovery.list_metadata(cli, files, root)
    chosen = selection.select(found, selection.filters(
        args.tags, args.rfc, args.id, args.level))
    if not chosen:
        raise Fatal("no scenario matches the selection (%d scenarios found)"
                    % len(found))
    return selection.shard(chosen, env)


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
        value = getattr(args, name, None)
        if value:
            flags += ["--" + name, str(value)]
    if args.strict:
        flags.append("--strict")
    return flags


def _server_flags(args):
    """Flags only a server under test has a use for: how to reach it."""
    flags = ["--tls", args.tls]
    for name in ("ca", "server_name"):
        value = getattr(args, name, None)
        if value:
            flags += ["--" + name.replace("_", "-"), str(value)]
    if args.insecure:
        flags.append("--insecure")
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
    out = {"name": target.name, "address": target.address,
           "tls": "none" if target.command else tls_mode}
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


def _given_targets(args):
    """(servers, clients) named on the command line, not yet reached."""
    servers = targets_lib.parse_all(args.target or [])
    given = [targets_lib.parse_client(c) for c in args.client or []]
    if args.client_cmd is not None:
        if not args.client_cmd.strip():
            raise Fatal("--client-cmd: the command template is empty")
        given.append(targets_lib.Target(targets_lib.CLIENT, "",
                                        args.client_cmd))
    for target in given:
        # Brace syntax now; unknown names once the scenarios are known.
        clients.Template(target.command, "client %s" % target.name)
    targets_lib.check_names(servers + given)
    return servers, given


def _client_commands(target, scenarios, flags, root, target_defaults):
    """[(command, scenarios)]: the template filled in for each scenario;
    scenarios with the same command share one smtpspec_cli run (usually
    all of them: only a scenario's own `vars` can make a difference)."""
    template = clients.Template(target.command, "client %s" % target.name)
    groups = collections.OrderedDict()
    for meta in scenarios:
        command = template.render(clients.placeholders(
            root, meta.get("vars"), flags, target_defaults))
        groups.setdefault(command, []).append(meta)
    return list(groups.items())


def _cli_runs(args, target, scenarios, vars_, root, target_defaults=(),
              one_by_one=False):
    """The `smtpspec_cli run` argument lists for one target; a server
    checked with --delivered command:CMD gets one run per scenario. A
    client's template is filled in with `target_defaults`
    (variables.defaults())."""
    flags = variables.for_target(vars_, target.name)
    common = ["--target-name", target.name] + _common_flags(args)
    for key, value in flags:
        common += ["--var", "%s=%s" % (key, value)]
    if not target.command:
        files = [m["file"] for m in scenarios]
        head = ["--target", target.address] + _server_flags(args) + common
        if one_by_one:
            return [head + [f] for f in files]
        return [head + files] if files else []
    return [["--client-cmd", command] + common + [m["file"] for m in group]
            for command, group in _client_commands(
                target, scenarios, flags, root, target_defaults)]


def execute(args, root, env=None, out=None, command=()):
    """The whole run; returns the exit code (0 or 1) or raises Fatal."""
    env = os.environ if env is None else env
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
    if default:
        variables.check_targets(vars_, [targets_lib.REFERENCE_SERVER] + (
            [targets_lib.REFERENCE_CLIENT] if with_client else []))
    else:
        variables.check_targets(vars_, [t.name for t in servers + clients_])
    with tempfile.TemporaryDirectory(prefix="smtpspec-run-") as tmp:
        wanted = [binaries.CLI]
        if default:
            wanted += [binaries.SERVER] + ([binaries.SEND] if with_client
                                           else [])
        found = dict(zip(wanted, binaries.paths(wanted, env)))
        # The run starts now: a first build can take minutes.
        started, clock = _now(), time.monotonic()
        cli = found[binaries.CLI]
        scenarios = select_scenarios(args, cli, root, env)
        selection.touch_shard_status(env)
        verbose = getattr(args, "verbose", False)
        term = terminal.Terminal(out, env=env, strict=args.strict,
                                 verbose=verbose)
        results, targets = [], []
        # An empty Bazel shard runs nothing, but still writes its reports.
        if scenarios:
            with _Targets(args, found, tmp, root) as started_targets:
                if default:
                    servers, clients_ = started_targets.defaults(scenarios,
                                                                 with_client)
                else:
                    started_targets.check(servers)
                work = targets_lib.plan(scenarios, servers, clients_)
                targets = [t for t, _ in work]
                checkers = _checkers(args, started_targets, servers, root)
                target_defaults = (variables.defaults(cli) if any(
                    t.command for t, _ in work) else ())
                runs = [(t, _cli_runs(
                    args, t, chosen, vars_, root, target_defaults,
                    isinstance(checkers.get(t.name),
                               delivery.CommandChecker)))
                        for t, chosen in work]
                term = terminal.Terminal(
                    out, total=sum(len(chosen) for _, chosen in work),
                    env=env, strict=args.strict, verbose=verbose)
                def show(ready):
                    for result in ready:
                        result = json_report.apply_expectations(
                            [result], entries, args.strict)[0]
                        results.append(result)
                        term.add(result)

                for target, cli_runs in runs:
                    check = checkers.get(target.name)
                    if check:
                        check.start()
                    for cli_args in cli_runs:
                        for result in Stream(cli, root, cli_args).results():
                            if target.command:
                                show([result])
                            elif check:
                                show(check.add(result))
                            else:
                                show([delivery.inconclusive(result)])
                    if check:
                        show(check.finish())
        # Results stream in completion order; reports list them in file
        # order (then target order), the same on every run.
        rank = {meta["id"]: i for i, meta in enumerate(scenarios)}
        results.sort(key=lambda r: rank.get(r["scenario"]["id"], len(rank)))
        report = json_report.build(
            results, targets=[_target_json(t, args.tls) for t in targets],
            command=list(command), strict=args.strict, started_at=started,
            duration_ms=round((time.monotonic() - clock) * 1000, 1))
    for path, file_entries in expected:
        for warning in expectations.unused_warnings(path, file_entries,
                                                    results):
            print("smtpspec: warning: " + warning, file=sys.stderr)
    _write_reports(args, report)
    term.finish(report)
    return 1 if outcome.failing(report["summary"]) else 0


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
    or starts the reference server (and stops it at the end)."""

    def __init__(self, args, found, tmp, root):
        self._args = args
        self._root = root
        self._found = found
        self._tmp = tmp
        self._server = None
        # The reference server's maildir, checked after its scenarios.
        self.maildir = None

    def check(self, servers):
        for target in servers:
            preflight.check(target, self._args.tls)

    def defaults(self, scenarios, with_client):
        """(servers, clients) of a run with no target given: the reference
        server for the server scenarios, the reference client for the
        client ones; each only if it has something to run."""
        server_side, client_side = targets_lib.sides(scenarios)
        if not with_client:
            server_side, client_side = scenarios, []
        clients_ = []
        if client_side:
            clients_.append(targets_lib.Target(
                targets_lib.REFERENCE_CLIENT, "", clients.reference_template(
                    self._found[binaries.SEND])))
        return ([self._start_server()] if server_side else []), clients_

    def _start_server(self):
        args = self._args
        server_args = []
        config = reference_config(args, self._root)
        if config:
            server_args += ["--config", config]
        # Flags override the file: messages go to a maildir of the run's
        # own, which the delivery check reads (runner/delivery.py).
        self.maildir = os.path.join(self._tmp, "maildir")
        os.makedirs(self.maildir, exist_ok=True)
        server_args += ["--maildir", self.maildir]
        cert = tls.self_signed(self._tmp)
        if cert:
            server_args += ["--set", "tls.certificate=" + cert.certificate,
                            "--set", "tls.key=" + cert.key]
            if not args.ca and not args.insecure:
                args.ca, args.server_name = cert.certificate, cert.name
        self._server = ReferenceServer(self._found[binaries.SERVER],
                                       server_args)
        self._server.start()
        target = targets_lib.Target(targets_lib.REFERENCE_SERVER,
                                    self._server.address, "")
        preflight.check(target, args.tls)
        return target

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._server:
            self._server.stop()
        return False
