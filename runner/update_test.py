"""`smtpspec run --update-expectations` (runner/update.py) against the
reference server with deliberate faults, on loopback: the files it writes
parse back and make a rerun pass, --strict included; an update in place
keeps what still fails, drops what is fixed; and its usage errors."""

import json
import os

from reports import expectations
from runner import testing_util as t
from runner import update
from runner.refserver import ReferenceServer

CORPUS = os.path.join("scenarios", "rfc5321")
FAULTS = "rcpt-before-mail,bare-lf-end,no-vrfy"


def faulty(tmp_path, faults):
    """The reference server as the corpus wants it, with `faults`."""
    maildir = tmp_path / ("md-" + faults.replace(",", "-"))
    maildir.mkdir()
    return ReferenceServer(t.SERVER, [
        "--config", os.path.join(t.ROOT, "scenarios", "reference-target.yaml"),
        "--maildir", str(maildir), "--faults", faults])


def run(*args):
    proc = t.smtpspec("run", CORPUS, *args, timeout=300)
    assert "Traceback" not in proc.stderr
    return proc


def summary(path):
    return json.loads(path.read_text())["summary"]


def listed(path):
    parsed = expectations.parse(path.read_text(), str(path))
    assert parsed.errors == []
    return {expectations.ident(e): e.note for e in parsed.entries}


def test_written_expectations_make_a_rerun_pass(tmp_path):
    out = tmp_path / "expect"
    report = tmp_path / "run.json"
    with faulty(tmp_path, FAULTS) as server:
        target = "faulty=" + server.address
        plain = run("--target", target, "--report-json", str(report))
        written = run("--target", target, "--update-expectations=%s/" % out)
        rerun = run("--target", target, "--expect", str(out / "faulty.expect"),
                    "--strict", "--report-json", str(report))
    assert plain.returncode == 1
    before = json.loads(report.read_text())
    failed = {r["scenario"]["id"] for r in before["results"]
              if r["verdict"] == "FAILED"}
    rules = {i["rule"] for i in before["incidental"]
             if i["verdict"] == "FAILED"}
    unjudged = {r["scenario"]["id"] for r in before["results"]
                if r["verdict"] in ("INCONCLUSIVE", "SKIPPED", "ERROR")}
    assert failed and rules and unjudged
    # Exactly the failures, each with a note for a reviewer to replace.
    assert written.returncode == 0, written.stdout + written.stderr
    entries = listed(out / "faulty.expect")
    assert set(entries) == failed | rules
    assert all(note.startswith(update.expectations_update.PLACEHOLDER)
               for note in entries.values())
    assert ("faulty.expect: target faulty: %d added, 0 removed, 0 kept" %
            len(entries)) in written.stderr
    assert written.stderr.count("\n  + ") == len(entries)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    after = summary(report)
    assert (after["failed"], after["expected_failures"]) == (0, len(entries))


def test_an_update_in_place_keeps_what_fails_and_drops_what_is_fixed(
        tmp_path):
    expect = tmp_path / "faulty.expect"
    with faulty(tmp_path, FAULTS) as server:
        run("--target", "faulty=" + server.address,
            "--update-expectations=%s" % expect)
    text = expect.read_text()
    # A reviewer gives reasons, and lists a scenario the run leaves out.
    text = text.replace(
        [l for l in text.splitlines() if "rcpt-without-mail" in l][0],
        "    # OPS-7\n    rfc5321.4.1.4.rcpt-without-mail  RCPT before MAIL "
        "is accepted")
    text += "    rfc3030.not-in-this-run  kept: not judged\n"
    expect.write_text(text)
    # Fixed since: the bare-LF and VRFY faults.
    config = tmp_path / "smtpspec.yaml"
    with faulty(tmp_path, "rcpt-before-mail") as server:
        config.write_text("targets:\n  - name: faulty\n    address: '%s'\n"
                          "    expect: faulty.expect\n" % server.address)
        proc = run("-c", str(config), "--update-expectations")
        rerun = run("-c", str(config), "--strict", "--report-json",
                    str(tmp_path / "run.json"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entries = listed(expect)
    assert entries["rfc5321.4.1.4.rcpt-without-mail"] == (
        "RCPT before MAIL is accepted")
    assert "    # OPS-7\n    rfc5321.4.1.4.rcpt-without-mail" in (
        expect.read_text())
    assert entries["rfc3030.not-in-this-run"] == "kept: not judged"
    assert not [i for i in entries if "smuggling" in i or "vrfy" in i]
    assert "rfc5321/3.3-rcpt-needs-mail" in entries
    assert "rfc5321/4.3.2-required-not-500" not in entries
    assert "(passes now)" in proc.stderr and "\n  + " not in proc.stderr
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert summary(tmp_path / "run.json")["stale"] == 0


def test_usage_errors_stop_before_the_run(tmp_path):
    proc = run("--update-expectations")
    assert proc.returncode == 2
    assert proc.stderr == (
        "smtpspec: --update-expectations: there is no --expect file to "
        "update in place; write --update-expectations=FILE, or =DIR/ for a "
        "file a target\n")
    proc = t.smtpspec("run", "--update-expectations", CORPUS)
    assert proc.returncode == 2
    assert "that is where scenarios are" in proc.stderr
    proc = run("-x", "--update-expectations=%s" % (tmp_path / "x.expect"))
    assert proc.returncode == 2 and "and -x" in proc.stderr
    one, two = tmp_path / "one.expect", tmp_path / "two.expect"
    one.write_text("target a\n")
    two.write_text("target b\n")
    proc = run("--target", "c=127.0.0.1:1", "--expect", str(one), "--expect",
               str(two), "--update-expectations")
    assert proc.returncode == 2
    assert "no --expect file has a 'target c' section" in proc.stderr
    assert not (tmp_path / "x.expect").exists()


def made(target, ident, verdict):
    failed = verdict == "FAILED"
    return {"target": {"name": target}, "scenario": {"id": ident},
            "verdict": verdict, "reason": "", "incidental": [],
            "findings": [{"level": "MUST", "rule": "r/1-x", "rfc": "RFC 1",
                          "message": "m"}] if failed else []}


class Args:
    def __init__(self, value):
        self.update_expectations = value
        self.exitfirst = False


def test_the_exit_status_is_the_results_against_the_files_written(
        tmp_path):
    folder = str(tmp_path / "out") + "/"
    plan = update.plan(Args(folder), ["a", "b"], [])
    assert plan.homes == {"a": folder + "a.expect", "b": folder + "b.expect"}
    with open(os.devnull, "w") as err:
        assert update.write(plan, [made("a", "s", "FAILED"),
                                   made("b", "s", "OK")], False, err) == 0
        assert listed(tmp_path / "out" / "a.expect") == {
            "s": "REVIEW: r/1-x: m"}
        # b has no failure: its file only says where it came from.
        assert listed(tmp_path / "out" / "b.expect") == {}
        # An ERROR is never an expectation: the run still fails.
        again = update.plan(Args(folder), ["a"], [])
        assert update.write(again, [made("a", "s", "FAILED"),
                                    made("a", "t", "ERROR")], False,
                            err) == 1
    assert list(listed(tmp_path / "out" / "a.expect")) == ["s"]
