"""Tests for `python3 -m reports`."""

import json

from reports import __main__ as cli
from reports import fixtures


def test_assemble_validate_render(tmp_path, capsys):
    run = tmp_path / "run.json"
    assert cli.main(["assemble", "--results", fixtures.path("results.json"),
                     "--expect", fixtures.path("expectations.txt"),
                     "--out", str(run)]) == 0
    report = json.loads(run.read_text())
    assert report["summary"]["expected_failures"] == 1
    assert cli.main(["validate", str(run)]) == 0
    assert capsys.readouterr().out.endswith(
        "valid smtpspec.run/1, 13 passed, 4 failed, 1 skipped, "
        "1 inconclusive\n")
    page, xml = tmp_path / "out.html", tmp_path / "out.xml"
    assert cli.main(["render", "--json", str(run), "--html", str(page),
                     "--junit", str(xml)]) == 0
    assert page.read_text().startswith("<!DOCTYPE html>")
    assert "<testsuites" in xml.read_text()
    # --terminal exits 1 when there are divergences.
    assert cli.main(["render", "--json", str(run), "--terminal"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == (
        "13 passed, 4 failed, 1 skipped, 1 inconclusive")
    assert "RFC says:" not in out
    assert cli.main(["render", "--json", str(run), "--terminal", "-v"]) == 1
    assert "RFC says:" in capsys.readouterr().out


def test_strict_assemble(tmp_path):
    run = tmp_path / "run.json"
    assert cli.main(["assemble", "--results", fixtures.path("results.json"),
                     "--expect", fixtures.path("expectations.txt"),
                     "--strict", "--out", str(run)]) == 0
    assert json.loads(run.read_text())["summary"]["failed"] == 6


def test_a_must_incidental_finding_alone_fails_the_run(tmp_path, capsys):
    # postmaster-accepted @ legacy-mta is OK, but the model saw a MUST-level
    # incidental finding in it: the run fails (exit 1), as the runner's
    # summary["failed"] check makes it too.
    results = [r for r in fixtures.results()
               if r["scenario"]["id"] == "postmaster-accepted"]
    assert {r["verdict"] for r in results} == {"OK"}
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    run = tmp_path / "run.json"
    assert cli.main(["assemble", "--results", str(path), "--out",
                     str(run)]) == 0
    assert json.loads(run.read_text())["summary"]["failed"] == 1
    assert cli.main(["render", "--json", str(run), "--terminal"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "3 passed, 1 failed, 0 skipped")
    for r in results:
        r["incidental"] = [f for f in r["incidental"] if f["level"] != "MUST"]
    path.write_text(json.dumps(results))
    assert cli.main(["assemble", "--results", str(path), "--out",
                     str(run)]) == 0
    assert cli.main(["render", "--json", str(run), "--terminal"]) == 0


def test_an_expected_incidental_finding_lets_the_run_pass(tmp_path, capsys):
    # The same run, with the 221 finding listed in the expectations file by
    # its rule id: it passes, and every report says why.
    results = [r for r in fixtures.results()
               if r["scenario"]["id"] == "postmaster-accepted"]
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    exp = tmp_path / "legacy.expect"
    exp.write_text("target legacy-mta\n"
                   "    rfc5321/4.1.1.10-221-close  keeps the line open\n")
    run = tmp_path / "run.json"
    assert cli.main(["assemble", "--results", str(path), "--expect",
                     str(exp), "--out", str(run)]) == 0
    summary = json.loads(run.read_text())["summary"]
    assert (summary["failed"], summary["expected_failures"]) == (0, 1)
    assert cli.main(["validate", str(run)]) == 0
    capsys.readouterr()
    assert cli.main(["render", "--json", str(run), "--terminal"]) == 0
    out = capsys.readouterr().out
    assert ("EXPECTED FAILURE incidental rfc5321/4.1.1.10-221-close @ "
            "legacy-mta: ") in out
    assert out.splitlines()[-1] == "4 passed, 0 failed, 0 skipped"


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    assert cli.main(["render", "--json", str(tmp_path / "nope.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reports: cannot read ") and err.count("\n") == 1
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "smtpspec.run/1"}')
    assert cli.main(["render", "--json", str(bad)]) == 2
    assert "the field 'smtpspec_version' is missing" in capsys.readouterr().err
    assert cli.main(["validate", str(bad)]) == 1
    exp = tmp_path / "exp.txt"
    exp.write_text("orphan\n")
    assert cli.main(["assemble", "--results", fixtures.path("results.json"),
                     "--expect", str(exp), "--out", str(tmp_path / "x")]) == 2
    assert "exp.txt:1: scenario 'orphan' is listed before" in (
        capsys.readouterr().err)
    assert cli.main(["frobnicate"]) == 2
