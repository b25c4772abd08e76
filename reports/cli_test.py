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
        "valid smtpspec.run/1, 10 passed, 3 failed, 1 skipped\n")
    page, xml = tmp_path / "out.html", tmp_path / "out.xml"
    assert cli.main(["render", "--json", str(run), "--html", str(page),
                     "--junit", str(xml)]) == 0
    assert page.read_text().startswith("<!DOCTYPE html>")
    assert "<testsuites" in xml.read_text()
    # --terminal exits 1 when there are divergences.
    assert cli.main(["render", "--json", str(run), "--terminal"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "10 passed, 3 failed, 1 skipped")


def test_strict_assemble(tmp_path):
    run = tmp_path / "run.json"
    assert cli.main(["assemble", "--results", fixtures.path("results.json"),
                     "--expect", fixtures.path("expectations.txt"),
                     "--strict", "--out", str(run)]) == 0
    assert json.loads(run.read_text())["summary"]["failed"] == 4


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
