"""`smtpspec run` checks what the server stored (--delivered, the
reference server's own maildir) and checks the --tls mode before any
scenario runs; against the reference server on 127.0.0.1, conformant and
with the fault no-unstuff (it stores "..line" as sent)."""

import json
import os
import stat

from runner import testing_util as t
from runner.refserver import ReferenceServer

DOTS = os.path.join(t.TESTDATA, "delivery_dots.smtp")


def one_line_error(proc, words):
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("smtpspec: "), proc.stderr
    for word in words:
        assert word in lines[0]


def server(maildir, *faults):
    args = ["--maildir", str(maildir)]
    if faults:
        args += ["--faults", ",".join(faults)]
    return ReferenceServer(t.SERVER, args)


def results(path):
    with open(path) as f:
        return {r["scenario"]["id"]: r for r in json.load(f)["results"]}


def test_a_leftover_stuffed_dot_fails_under_its_rule(tmp_path):
    out = tmp_path / "run.json"
    with server(tmp_path / "md", "no-unstuff") as s:
        proc = t.smtpspec("run", "--target", "mx=" + s.address,
                          "--delivered", "maildir:%s" % (tmp_path / "md"),
                          "--report-json", str(out), DOTS, t.PASS)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    got = results(out)
    assert got["runner.noop"]["verdict"] == "OK"
    dots = got["runner.delivery-dots"]
    assert dots["verdict"] == "FAILED"
    [finding] = dots["findings"]
    assert finding["kind"] == "delivery"
    assert finding["rule"] == "rfc5321/4.5.2-unstuffing"
    assert finding["rfc"] == "RFC 5321 4.5.2" and finding["level"] == "MUST"
    assert "..hidden" in finding["observed"]


def test_a_conformant_server_passes_the_check(tmp_path):
    out = tmp_path / "run.json"
    with server(tmp_path / "md") as s:
        proc = t.smtpspec("run", "--target", "mx=" + s.address,
                          "--delivered", "mx=maildir:%s" % (tmp_path / "md"),
                          "--report-json", str(out), DOTS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert results(out)["runner.delivery-dots"]["verdict"] == "OK"


def test_without_delivered_a_delivery_scenario_is_inconclusive(tmp_path):
    out = tmp_path / "run.json"
    with server(tmp_path / "md", "no-unstuff") as s:
        proc = t.smtpspec("run", "--target", "mx=" + s.address,
                          "--report-json", str(out), DOTS, t.PASS)
    got = results(out)
    assert got["runner.delivery-dots"]["verdict"] == "INCONCLUSIVE"
    assert got["runner.delivery-dots"]["reason"] == (
        "what the server stored was not checked (give --delivered "
        "maildir:DIR)")
    assert got["runner.noop"]["verdict"] == "OK"
    assert "Traceback" not in proc.stderr


def test_the_reference_server_is_checked_by_default(tmp_path):
    # The server `run` starts, with the fault: caught without any flag.
    wrapper = tmp_path / "server"
    wrapper.write_text('#!/bin/sh\nexec %s "$@" --faults no-unstuff\n'
                       % os.path.abspath(t.SERVER))
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    out = tmp_path / "run.json"
    proc = t.smtpspec("run", "--report-json", str(out), DOTS,
                      SMTPSPEC_SERVER=str(wrapper))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    dots = results(out)["runner.delivery-dots"]
    assert [f["rule"] for f in dots["findings"]] == [
        "rfc5321/4.5.2-unstuffing"]
    proc = t.smtpspec("run", "--report-json", str(out), DOTS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert results(out)["runner.delivery-dots"]["verdict"] == "OK"


def test_delivered_errors(tmp_path):
    one_line_error(t.smtpspec("run", "--delivered", "maildir:" + str(
        tmp_path), DOTS), ["--delivered needs --target"])
    with server(tmp_path / "md") as s:
        one_line_error(t.smtpspec(
            "run", "--target", "mx=" + s.address, "--delivered",
            "other=maildir:%s" % tmp_path, DOTS), ["no server target 'other'"])


def test_tls_mode_mismatch_is_one_error_before_any_scenario(tmp_path):
    with server(tmp_path / "md") as s:
        proc = t.smtpspec("run", "--target", "mx=" + s.address, "--tls",
                          "implicit", t.PASS)
        one_line_error(proc, [
            "mx: --tls implicit, but the server speaks plaintext SMTP (it "
            "sent '220 "])
        assert proc.stdout == ""
        # No certificate: the reference server offers no STARTTLS.
        proc = t.smtpspec("run", "--target", "mx=" + s.address, "--tls",
                          "starttls", t.PASS)
        one_line_error(proc, ["mx: --tls starttls, but the server does not "
                              "advertise STARTTLS"])
        assert proc.stdout == ""
