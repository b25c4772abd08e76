"""End to end: `smtpspec run` against the reference server and client it
starts, servers given with --target, clients given with --client (the
reference client as a template), and a deliberately broken server; the
exit codes and the reports (JSON validated, JUnit parsed, HTML written)."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET

from reports import json_report
from runner import clients
from runner import testing_util as t

BROKEN = "--faults", "rcpt-before-mail"


def run(*args, **env):
    proc = t.smtpspec("run", *args, **env)
    assert "Traceback" not in proc.stderr
    return proc


def report_args(tmp_path):
    return ["--report-json", str(tmp_path / "run.json"),
            "--report-junit", str(tmp_path / "junit.xml"),
            "--report-html", str(tmp_path / "report.html")]


def load(tmp_path):
    report, errors = json_report.loads((tmp_path / "run.json").read_text())
    assert errors == []
    return report


def by_id(report):
    return {(r["scenario"]["id"], r["target"]["name"]): r
            for r in report["results"]}


def test_default_target_is_the_reference_server(tmp_path):
    proc = run(t.PASS, t.SKIPPED, *report_args(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "1 passed, 0 failed, 1 skipped"
    report = load(tmp_path)
    # No client scenario: the reference client has nothing to do.
    assert [tg["name"] for tg in report["targets"]] == ["reference-server"]
    assert report["targets"][0]["address"].startswith("127.0.0.1:")
    results = by_id(report)
    assert results["runner.noop", "reference-server"]["verdict"] == "OK"
    skipped = results["runner.needs-xnothing", "reference-server"]
    assert skipped["verdict"] == "SKIPPED"
    assert "XNOTHING" in skipped["reason"]
    # JUnit: one testcase per scenario x target, the skipped one marked.
    cases = list(ET.parse(tmp_path / "junit.xml").getroot().iter("testcase"))
    assert sorted(c.get("name") for c in cases) == ["runner.needs-xnothing",
                                                    "runner.noop"]
    skips = [c.get("name") for c in cases if c.find("skipped") is not None]
    assert skips == ["runner.needs-xnothing"]
    html = (tmp_path / "report.html").read_text()
    assert "runner.noop" in html and "<script src" not in html


def finished(proc, tmp_path, code, last_line, targets):
    """The run's JSON report, after checking its exit code, summary line
    and target names."""
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == last_line
    report = load(tmp_path)
    assert [tg["name"] for tg in report["targets"]] == targets
    return report


def sent(result):
    """What the client sent in a result, as one string."""
    return "".join(e["data"] for e in result["transcript"]
                   if e["dir"] == "C")


def test_default_run_covers_servers_and_clients(tmp_path):
    proc = run(t.PASS, t.ENVELOPE, t.DOT_STUFFING, *report_args(tmp_path))
    report = finished(proc, tmp_path, 0, "3 passed, 0 failed, 0 skipped",
                      ["reference-server", "reference-client"])
    client = report["targets"][1]
    assert client["address"] == "" and "--file {message}" in client["command"]
    # Each side runs only its scenarios: no SKIPPED row across.
    verdicts = {k: r["verdict"] for k, r in by_id(report).items()}
    assert verdicts == {
        ("runner.noop", "reference-server"): "OK",
        ("runner.client-envelope", "reference-client"): "OK",
        ("rfc5321.client.dot-stuffing", "reference-client"): "OK"}
    # The client was given the runner's defaults of the target variables,
    # and the scenario (with the Player's defaults) accepted them: the two
    # agree.
    envelope = sent(by_id(report)["runner.client-envelope",
                                  "reference-client"])
    assert "EHLO client.smtpspec.test\r\n" in envelope
    assert "MAIL FROM:<smtpspec@client.smtpspec.test>" in envelope
    assert "RCPT TO:<postmaster@localhost>" in envelope
    assert "html" in (tmp_path / "report.html").read_text()


def test_only_client_scenarios_start_no_server(tmp_path):
    proc = run(t.ENVELOPE, "--var", "reference-client:sender=me@x.example",
               "--report-json", str(tmp_path / "run.json"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = load(tmp_path)
    assert [tg["name"] for tg in report["targets"]] == ["reference-client"]
    result = report["results"][0]
    assert "MAIL FROM:<me@x.example>" in sent(result)


def reference_client(sender="{sender}"):
    """The reference client as a --client template."""
    return ("%s --server {host}:{port} --helo {client_domain} --from %s "
            "--to {mailbox} --file {message} --starttls off" % (t.SEND,
                                                                sender))


def test_named_clients_with_their_own_variables(tmp_path):
    proc = run(t.ENVELOPE, "--client", "a=" + reference_client(),
               "--client", "b=" + reference_client(),
               "--client", "fixed=" + reference_client("fixed@x.example"),
               "--var", "client_domain=c.example",
               "--var", "b:sender=b@b.example",
               "--var", "fixed:sender=other@x.example",
               *report_args(tmp_path))
    # `fixed` ignores {sender}: the scenario expects other@x.example.
    results = by_id(finished(proc, tmp_path, 1,
                             "2 passed, 1 failed, 0 skipped",
                             ["a", "b", "fixed"]))
    key = "runner.client-envelope"
    assert [results[key, n]["verdict"] for n in ("a", "b", "fixed")] == [
        "OK", "OK", "FAILED"]
    assert "MAIL FROM:<smtpspec@c.example>" in sent(results[key, "a"])
    assert "MAIL FROM:<b@b.example>" in sent(results[key, "b"])
    assert "EHLO c.example" in sent(results[key, "b"])
    suites = ET.parse(tmp_path / "junit.xml").getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == ["a", "b", "fixed"]


def test_client_cmd_is_a_client_named_client():
    proc = run(t.ENVELOPE, "--client-cmd", reference_client())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "runner.client-envelope @ client" in proc.stdout


def test_servers_and_clients_in_one_matrix(tmp_path):
    with t.server() as a, t.server() as b:
        proc = run(t.PASS, t.SERVER_VARS, t.ENVELOPE,
                   "--target", "a=" + a.address, "--target",
                   "b=" + b.address, "--client", "c=" + reference_client(),
                   "--var", "client_domain=all.example",
                   "--var", "b:client_domain=b.example",
                   *report_args(tmp_path))
    results = by_id(finished(proc, tmp_path, 0,
                             "5 passed, 0 failed, 0 skipped",
                             ["a", "b", "c"]))
    assert sorted(results) == sorted(
        [("runner.noop", "a"), ("runner.noop", "b"),
         ("runner.server-vars", "a"), ("runner.server-vars", "b"),
         ("runner.client-envelope", "c")])
    assert "EHLO all.example" in sent(results["runner.server-vars", "a"])
    assert "EHLO b.example" in sent(results["runner.server-vars", "b"])
    assert "EHLO all.example" in sent(results["runner.client-envelope", "c"])
    html = (tmp_path / "report.html").read_text()
    assert "Conformance matrix" in html


def test_only_servers_skip_the_client_scenarios():
    with t.server() as server:
        proc = run(t.PASS, t.ENVELOPE, "--target", server.address)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "1 passed, 0 failed, 1 skipped"
    assert re.search(r"SKIPPED +runner.client-envelope @ 127.0.0.1:",
                     proc.stdout), proc.stdout


def test_the_reference_server_is_stopped_after_the_run(tmp_path):
    proc = run(t.PASS, "--report-json", str(tmp_path / "run.json"))
    assert proc.returncode == 0, proc.stderr
    address = load(tmp_path)["targets"][0]["address"]
    host, port = address.rsplit(":", 1)
    again = run(t.PASS, "--target", address)
    assert again.returncode == 2
    assert "cannot reach target" in again.stderr


def cli_results(*args):
    """`smtpspec_cli run ARGS` itself: its exit status and result lines."""
    proc = subprocess.run([t.CLI, "run", "--timeout", "5s", *args],
                          cwd=t.ROOT, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_what_the_binary_prints_is_valid_under_the_schema():
    # reports/results_schema.json against smtpspec_cli's own output: a
    # server that breaks a rule (findings), a skipped scenario, a client.
    with t.server(*BROKEN) as server:
        results = cli_results("--target", server.address, t.PASS, t.RCPT,
                              t.SKIPPED, t.SERVER_VARS, t.ENVELOPE)
    results += cli_results("--client-cmd", reference_client(), "--message",
                           clients.message(t.ROOT), t.ENVELOPE,
                           t.DOT_STUFFING)
    for result in results:
        assert json_report.validate_result(result) == [], result
    # --metadata: one record a scenario, then the selection record, all
    # before the first result.
    with t.server() as server:
        lines = cli_results("--target", server.address, "--metadata",
                            t.PASS, t.SKIPPED)
    assert [l["schema"] for l in lines] == [json_report.RECORD_SCHEMA] * 2 + [
        json_report.SELECTION_SCHEMA] + [json_report.RESULT_SCHEMA] * 2
    for record in lines[:2]:
        assert json_report.validate_record(record) == [], record
    assert json_report.validate_selection(lines[2]) == []
    assert (lines[2]["found"], lines[2]["selected"]) == (2, 2)
    verdicts = {r["verdict"] for r in results}
    assert {"OK", "FAILED", "SKIPPED"} <= verdicts
    assert {r["mode"] for r in results} == {"server", "client"}
    assert any(f["rule"] for r in results for f in r["findings"])


def logging_cli(tmp_path):
    """smtpspec_cli behind a script that notes each subcommand it runs."""
    log = tmp_path / "commands.log"
    script = tmp_path / "smtpspec_cli"
    script.write_text('#!/bin/sh\necho "$1" >> %s\nexec %s "$@"\n' %
                      (log, os.path.abspath(t.CLI)))
    script.chmod(0o755)
    return str(script), log


def test_no_run_needs_a_list_pass(tmp_path):
    cli, log = logging_cli(tmp_path)
    with t.server() as server:
        proc = run(t.TESTDATA, "--target", "ref=" + server.address,
                   "--report-json", str(tmp_path / "run.json"),
                   SMTPSPEC_CLI=cli)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        # The folder from the binary, then one run: no `list` pass.
        assert log.read_text().split() == ["files", "run"]
        ids = [r["scenario"]["id"] for r in load(tmp_path)["results"]]
        # File order, as `list` gives it (client_envelope, delivery_dots,
        # pass, rcpt_before_mail, server_vars, skipped).
        assert ids == ["runner.client-envelope", "runner.delivery-dots",
                       "runner.noop", "runner.rcpt-before-mail",
                       "runner.server-vars", "runner.needs-xnothing"]
        # Selection flags and a Bazel shard: the run selects.
        log.write_text("")
        proc = run(t.TESTDATA, "--target", server.address, "--tags",
                   "noop", SMTPSPEC_CLI=cli, TEST_TOTAL_SHARDS="1")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert log.read_text().split() == ["files", "run"]
        # A server and a client: one run each, each of its own side.
        log.write_text("")
        proc = run(t.TESTDATA, "--target", "ref=" + server.address,
                   "--client", "c=" + reference_client(), "--report-json",
                   str(tmp_path / "run.json"), SMTPSPEC_CLI=cli)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert log.read_text().split() == ["files", "run", "run"]
        assert {(r["scenario"]["id"], r["target"]["name"]) for r in load(
            tmp_path)["results"]} >= {("runner.noop", "ref"),
                                      ("runner.client-envelope", "c")}
    # The reference agents: one run each, the client's template filled in
    # by the binary.
    log.write_text("")
    proc = run(t.TESTDATA, "--level", "MUST", SMTPSPEC_CLI=cli)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert log.read_text().split() == ["files", "run", "run"]


def test_the_reference_server_starts_only_for_server_scenarios(tmp_path):
    cli, log = logging_cli(tmp_path)
    proc = run(t.ENVELOPE, "--report-json", str(tmp_path / "run.json"),
               SMTPSPEC_CLI=cli)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [t_["name"] for t_ in load(tmp_path)["targets"]] == [
        "reference-client"]


def test_include_fragments_are_not_run(tmp_path):
    fragment = tmp_path / "greeting.smtp"  # no id: for !include only
    fragment.write_text("S: 220 *\nC: EHLO x.example\nS: 250 ...\n")
    fragment = str(fragment)
    with t.server() as server:
        proc = run(fragment, t.PASS, "--target", server.address)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout.splitlines()[-1] == "1 passed, 0 failed, 0 skipped"
        proc = run(fragment, "--target", server.address)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("smtpspec: no scenario matches the "
                                   "selection (0 scenarios found)")


def test_conformant_server_as_target_passes():
    with t.server() as server:
        proc = run(t.PASS, t.RCPT, "--target", "ref=" + server.address)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK               runner.rcpt-before-mail @ ref" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "2 passed, 0 failed, 0 skipped"


def test_broken_server_fails_citing_rfc_5321_3_3(tmp_path):
    with t.server(*BROKEN) as server:
        proc = run(t.PASS, t.RCPT, "--target", "broken=" + server.address,
                   *report_args(tmp_path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert out.splitlines()[-1] == "1 passed, 1 failed, 0 skipped"
    # The terminal shows the divergence with its citation and transcript.
    assert "RFC 5321 3.3" in out
    assert "RCPT TO:<postmaster@example.org>" in out
    failed = by_id(load(tmp_path))["runner.rcpt-before-mail", "broken"]
    assert failed["verdict"] == "FAILED"
    assert "RFC 5321 3.3" in [f["rfc"] for f in failed["findings"]]
    cases = {c.get("name"): c for c in
             ET.parse(tmp_path / "junit.xml").getroot().iter("testcase")}
    failure = cases["runner.rcpt-before-mail"].find("failure")
    assert failure is not None and "RFC 5321" in failure.get("message")
    assert cases["runner.noop"].find("failure") is None


def test_github_actions_get_annotations_and_a_job_summary(tmp_path):
    summary = tmp_path / "summary.md"
    with t.server(*BROKEN) as server:
        proc = run(t.PASS, t.RCPT, "--target", "broken=" + server.address,
                   GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    notes = [l for l in proc.stdout.splitlines() if l.startswith("::")]
    assert len(notes) == 1, notes
    assert notes[0].startswith("::error file=") and ",line=" in notes[0]
    assert "file=runner/testdata/rcpt_before_mail.smtp" in notes[0]
    assert "RFC 5321 3.3" in notes[0]
    # The closing line stays last; the summary names the failure.
    assert proc.stdout.splitlines()[-1] == "1 passed, 1 failed, 0 skipped"
    assert "| FAILED | runner.rcpt-before-mail | broken |" in (
        summary.read_text())
    # Outside GitHub Actions, nothing of it without --github.
    with t.server(*BROKEN) as server:
        proc = run(t.PASS, t.RCPT, "--target", "broken=" + server.address)
    assert not any(l.startswith("::") for l in proc.stdout.splitlines())


def test_verbose_prints_the_transcript_and_the_rule_sentence(tmp_path):
    with t.server(*BROKEN) as server:
        quiet = run(t.RCPT, "--target", "broken=" + server.address)
        loud = run(t.RCPT, "--target", "broken=" + server.address, "-v")
    assert loud.returncode == 1, loud.stdout + loud.stderr
    # -v adds the whole conversation, greeting included, and the quoted
    # sentence of the rule broken.
    assert "MUST return a 503" in loud.stdout
    assert "220 " in loud.stdout
    assert len(loud.stdout.splitlines()) > len(quiet.stdout.splitlines())


def test_expected_failure_passes_and_stale_entry_is_flagged(tmp_path):
    expect = tmp_path / "expect.txt"
    expect.write_text("target broken\n"
                      "    runner.rcpt-before-mail  accepts RCPT before MAIL\n"
                      "    runner.noop              stale: it passes\n"
                      "    runner.typo              not a scenario\n")
    with t.server(*BROKEN) as server:
        args = [t.PASS, t.RCPT, "--target", "broken=" + server.address,
                "--expect", str(expect), "--report-json",
                str(tmp_path / "run.json")]
        proc = run(*args)
        strict = run(*args[:-2], "--strict")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = load(tmp_path)
    results = by_id(report)
    assert results["runner.rcpt-before-mail", "broken"]["expectation"] == {
        "status": "expected-failure", "note": "accepts RCPT before MAIL"}
    assert results["runner.noop", "broken"]["expectation"]["status"] == \
        "stale"
    assert report["summary"]["expected_failures"] == 1
    assert report["summary"]["stale"] == 1
    assert "remove: runner.noop @ broken" in proc.stdout
    # The typo is reported, with the file's line.
    assert "expect.txt:4: no result for runner.typo @ broken" in proc.stderr
    # Under --strict a stale expectation fails the run.
    assert strict.returncode == 1, strict.stdout
    assert strict.stdout.splitlines()[-1] == "1 passed, 1 failed, 0 skipped"


def test_expectations_from_several_files(tmp_path):
    one, two = tmp_path / "one.expect", tmp_path / "two.expect"
    one.write_text("target broken\n    runner.rcpt-before-mail  known\n")
    two.write_text("# the other peer\ntarget other\n    runner.noop  gone\n")
    with t.server(*BROKEN) as server:
        proc = run(t.PASS, t.RCPT, "--target", "broken=" + server.address,
                   "--expect", str(one), "--expect", str(two))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "two.expect:3: no result for runner.noop @ other" in proc.stderr
    assert "one.expect" not in proc.stderr


def test_several_targets_make_a_matrix(tmp_path):
    with t.server() as good, t.server(*BROKEN) as bad:
        proc = run(t.PASS, t.RCPT, "--target", "good=" + good.address,
                   "--target", "bad=" + bad.address, *report_args(tmp_path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    report = load(tmp_path)
    assert [tg["name"] for tg in report["targets"]] == ["good", "bad"]
    verdicts = {k: r["verdict"] for k, r in by_id(report).items()}
    assert verdicts == {
        ("runner.noop", "good"): "OK", ("runner.noop", "bad"): "OK",
        ("runner.rcpt-before-mail", "good"): "OK",
        ("runner.rcpt-before-mail", "bad"): "FAILED"}
    suites = ET.parse(tmp_path / "junit.xml").getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == ["good", "bad"]
    assert "matrix" in (tmp_path / "report.html").read_text().lower()


def test_selection_flags_choose_what_runs(tmp_path):
    proc = run(t.TESTDATA, "--rfc", "RFC 5321 3.3",
               "--report-json", str(tmp_path / "run.json"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ids = [r["scenario"]["id"] for r in load(tmp_path)["results"]]
    assert ids == ["runner.rcpt-before-mail"]


def test_report_json_records_the_run(tmp_path):
    proc = run(t.PASS, "--strict", "--report-json",
               str(tmp_path / "run.json"))
    assert proc.returncode == 0, proc.stderr
    report = load(tmp_path)
    assert report["strict"] is True
    assert report["command"][:2] == ["smtpspec", "run"]
    assert report["started_at"].endswith("Z")
    assert json.loads(json_report.dumps(report)) == report
    assert os.path.getsize(tmp_path / "run.json") > 0


def _children(pid):
    out = []
    for task in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/children" % (pid, task)) as f:
            out += [int(p) for p in f.read().split()]
    return out


def test_ctrl_c_stops_the_binary_by_pid_and_exits_130():
    # A target that accepts and never greets: the scenario waits on it.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        address = "127.0.0.1:%d" % listener.getsockname()[1]
        proc = subprocess.Popen(
            [sys.executable, t.MAIN, "run", "--target", address,
             "--timeout", "60s", t.PASS], cwd=t.ROOT, env=t.env(),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        accepted = []
        try:
            listener.settimeout(30)
            # The reachability check, then the scenario's connection.
            for _ in range(2):
                accepted.append(listener.accept()[0])
            children = _children(proc.pid)
            assert children, "the binary is not running"
            proc.send_signal(signal.SIGINT)  # the runner only, not its group
            assert proc.wait(timeout=30) == 130
            assert "Traceback" not in proc.stderr.read()
            for child in children:
                assert not os.path.exists("/proc/%d" % child), child
        finally:
            for conn in accepted:
                conn.close()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
