"""`smtpspec run` driven by a run configuration (runner/run_config.py)
against reference servers on loopback: found in the current folder or
given with -c, its targets with their own variables, TLS and
expectations, the command line over it, and its errors."""

import json
import os
import shutil
import subprocess
import sys

from runner import testing_util as t
from runner import tls

BROKEN = "--faults", "rcpt-before-mail"


def smtpspec(cwd, *args):
    """`smtpspec ARGS` run from the folder `cwd`."""
    proc = subprocess.run([sys.executable, os.path.join(t.ROOT, t.MAIN),
                           *args], cwd=str(cwd), env=t.env(),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=120)
    assert "Traceback" not in proc.stderr
    return proc


def scenarios(folder):
    """Copies of three runner scenarios in folder/scen."""
    (folder / "scen").mkdir()
    for path in (t.PASS, t.RCPT, t.SERVER_VARS):
        shutil.copy(os.path.join(t.ROOT, path), str(folder / "scen"))


def tls_server(folder):
    """The reference server offering STARTTLS with a throw-away
    certificate."""
    cert = tls.self_signed(str(folder))
    assert cert, "openssl is needed to make the certificate"
    return t.server("--set", "tls.certificate=" + cert.certificate,
                    "--set", "tls.key=" + cert.key)


CONFIG = """\
paths: [scen]
vars: {client_domain: all.example}
report-json: out/run.json
targets:
  - name: secure
    address: %s
    tls: starttls
    insecure: true
    vars: {client_domain: secure.example}
  - name: broken
    address: %s
    expect: broken.expect
"""


def sent(result):
    return "".join(e["data"] for e in result["transcript"]
                   if e["dir"] == "C")


def results(path):
    report = json.loads(path.read_text())
    return report, {(r["scenario"]["id"], r["target"]["name"]): r
                    for r in report["results"]}


def test_a_run_from_the_file_in_the_current_folder(tmp_path):
    scenarios(tmp_path)
    (tmp_path / "broken.expect").write_text(
        "target broken\n    runner.rcpt-before-mail  known (OPS-1)\n")
    with tls_server(tmp_path) as secure, t.server(*BROKEN) as broken:
        (tmp_path / "smtpspec.yaml").write_text(
            CONFIG % (secure.address, broken.address))
        proc = smtpspec(tmp_path, "run")
        first = results(tmp_path / "out" / "run.json")
        # The command line over it: another report, --strict, --id.
        again = smtpspec(tmp_path, "run", "--strict", "--id",
                         "runner.server-vars", "--var",
                         "broken:client_domain=cli.example",
                         "--report-json", "again.json")
        # A --target replaces the file's targets, and what they carried:
        # without broken.expect, the broken server fails.
        alone = smtpspec(tmp_path, "run", "--target",
                         "b=" + broken.address)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr.startswith(
        "smtpspec: run configuration smtpspec.yaml\n"), proc.stderr
    assert proc.stdout.splitlines()[-1] == "6 passed, 0 failed, 0 skipped"
    report, by_id = first
    assert [(x["name"], x["tls"]) for x in report["targets"]] == [
        ("secure", "starttls"), ("broken", "none")]
    # Each target's own variables over the file's.
    assert "EHLO secure.example" in sent(by_id["runner.server-vars",
                                               "secure"])
    assert "EHLO all.example" in sent(by_id["runner.server-vars", "broken"])
    # The target's expectations file, from the file's folder.
    assert by_id["runner.rcpt-before-mail", "broken"]["expectation"] == {
        "status": "expected-failure", "note": "known (OPS-1)"}
    assert by_id["runner.rcpt-before-mail", "secure"]["verdict"] == "OK"
    assert again.returncode == 0, again.stdout + again.stderr
    report, by_id = results(tmp_path / "again.json")
    assert report["strict"] is True
    assert sorted(by_id) == [("runner.server-vars", "broken"),
                             ("runner.server-vars", "secure")]
    assert "EHLO cli.example" in sent(by_id["runner.server-vars", "broken"])
    assert alone.returncode == 1, alone.stdout + alone.stderr
    report, by_id = results(tmp_path / "out" / "run.json")
    assert [x["name"] for x in report["targets"]] == ["b"]
    assert by_id["runner.rcpt-before-mail", "b"]["verdict"] == "FAILED"


def test_c_gives_the_file_from_anywhere(tmp_path):
    scenarios(tmp_path)
    (tmp_path / "ci").mkdir()
    conf = tmp_path / "ci" / "conf.yaml"
    with t.server() as server:
        conf.write_text("paths: [../scen]\nid: runner.noop\ntargets:\n"
                        "  - {name: mx, address: '%s'}\n" % server.address)
        proc = smtpspec(t.ROOT, "run", "-c", str(conf))
        listed = smtpspec(t.ROOT, "list", "--config", str(conf))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK               runner.noop @ mx" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "1 passed, 0 failed, 0 skipped"
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[-1] == "1 of 3 scenarios selected"


def test_a_target_s_own_tls_mode_is_checked_before_the_run(tmp_path):
    scenarios(tmp_path)
    with t.server() as plain:
        (tmp_path / "smtpspec.yaml").write_text(
            "paths: [scen]\ntls: starttls\ntargets:\n"
            "  - {name: plain, address: '%s'}\n" % plain.address)
        proc = smtpspec(tmp_path, "run")
        # Its own `tls: none` over the file's.
        (tmp_path / "smtpspec.yaml").write_text(
            "paths: [scen]\ntls: starttls\ntargets:\n"
            "  - {name: plain, address: '%s', tls: none}\n" % plain.address)
        fine = smtpspec(tmp_path, "run", "--id", "runner.noop")
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == (
        "smtpspec: plain: --tls starttls, but the server does not advertise "
        "STARTTLS")
    assert fine.returncode == 0, fine.stdout + fine.stderr


def test_errors_are_one_line_with_the_place_and_exit_2(tmp_path):
    (tmp_path / "smtpspec.yaml").write_text(
        "targets:\n  - name: mx\n    address: 127.0.0.1:25\n"
        "    tls: startls\n")
    proc = smtpspec(tmp_path, "run")
    assert proc.returncode == 2
    assert proc.stderr == (
        "smtpspec: smtpspec.yaml:4:10: targets[0].tls: 'startls' is not one "
        "of none, starttls, implicit; did you mean 'starttls'?\n")
    # A value smtpspec_cli judges, at its place in the file too.
    (tmp_path / "smtpspec.yaml").write_text(
        "targets:\n  - address: 127.0.0.1:1\njobs: many\n")
    proc = smtpspec(tmp_path, "run")
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == (
        "smtpspec: smtpspec.yaml:3:7: jobs: --jobs many: a number from 1 to "
        "1000")
    proc = smtpspec(tmp_path, "list", "-c", "missing.yaml")
    assert proc.returncode == 2
    assert proc.stderr == "smtpspec: --config missing.yaml: no such file\n"
