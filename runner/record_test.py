"""`smtpspec record` against the reference server on loopback, with
Python's smtplib as the client: bad flags and an unreachable upstream are
one line and exit 2; STARTTLS passed through is recorded up to the 220 and
the file says the rest was not recorded; terminated (--tls-terminate), the
session inside TLS is recorded and replays (RFC 3207 4)."""

import smtplib
import ssl
import subprocess
import sys

import pytest

from runner import testing_util as t
from runner import tls


def record(*args):
    """`smtpspec record ARGS` started; returns it once it listens."""
    proc = subprocess.Popen([sys.executable, t.MAIN, "record", *args],
                            cwd=t.ROOT, env=t.env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    line = proc.stderr.readline()
    assert "listening on" in line, line + proc.stderr.read()
    return proc


def finish(proc):
    try:
        status = proc.wait(timeout=60)
        return status, proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
        proc.stdout.close()


def send(port, starttls):
    with smtplib.SMTP("127.0.0.1", port, "client.record.test",
                      timeout=20) as smtp:
        smtp.ehlo()
        if starttls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            smtp.starttls(context=context)
            smtp.ehlo()
        smtp.sendmail("rec@client.record.test", ["postmaster@localhost"],
                      b"Subject: recorded\r\n\r\nhello\r\n")


@pytest.fixture
def tls_server(tmp_path):
    cert = tls.self_signed(str(tmp_path))
    assert cert, "openssl made no certificate"
    with t.server("--set", "tls.certificate=" + cert.certificate, "--set",
                  "tls.key=" + cert.key) as server:
        yield server, cert


@pytest.mark.parametrize("flags,says", [
    (["-o", "x.smtp"], "one of the arguments --upstream --client is "
     "required"),
    (["--upstream", "127.0.0.1:1", "-o", "x.smtp"], "--listen"),
    (["--upstream", "nowhere", "--listen", "127.0.0.1:0", "-o", "x.smtp"],
     "--upstream nowhere: write HOST:PORT"),
    (["--client", "true", "--frobnicate", "-o", "x.smtp"], "--frobnicate"),
    (["--client", "true", "-o", "x.smtp", "--id", "a b"], "--id a b"),
])
def test_bad_flags_are_one_line_and_exit_2(flags, says):
    proc = t.smtpspec("record", *flags)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert says in proc.stderr, proc.stderr


def test_an_unreachable_upstream_is_one_line_and_exit_2(tmp_path):
    port = t.free_port()
    proc = t.smtpspec("record", "--listen", "127.0.0.1:0", "--upstream",
                      "127.0.0.1:%d" % port, "-o", str(tmp_path / "x.smtp"))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert "cannot reach the upstream server 127.0.0.1:%d" % port in \
        proc.stderr, proc.stderr
    assert not (tmp_path / "x.smtp").exists()


def test_starttls_passthrough_records_up_to_the_220(tls_server, tmp_path):
    server, _ = tls_server
    out, port = tmp_path / "pass.smtp", t.free_port()
    proc = record("--listen", "127.0.0.1:%d" % port, "--upstream",
                  server.address, "-o", str(out), "--timeout", "20")
    send(port, starttls=True)
    status, err = finish(proc)
    assert status == 0, err
    text = out.read_text()
    assert "C: STARTTLS\nS: 220 2.0.0" in text, text
    steps = text.split("!starttls\n", 1)[1]
    assert "Not recorded" in steps, text
    assert "C: " not in steps and "S: " not in steps, text
    assert t.smtpspec("lint", str(out)).returncode == 0


def test_tls_terminate_records_the_plaintext_inside(tls_server, tmp_path):
    server, cert = tls_server
    out, port = tmp_path / "tls.smtp", t.free_port()
    proc = record("--listen", "127.0.0.1:%d" % port, "--upstream",
                  server.address, "-o", str(out), "--timeout", "20",
                  "--tls-terminate")
    send(port, starttls=True)
    status, err = finish(proc)
    assert status == 0, err
    text = out.read_text()
    inside = text.split("!starttls\n", 1)[1]
    # smtplib writes its verbs in lower case.
    assert "C: ehlo ${client_domain}\n" in inside, text
    assert "C: mail FROM:<${sender}>" in inside, text
    assert "C: QUIT\nS: 221 2.0.0 ${domain} Service" in inside, text
    assert "S!" not in text, text
    assert "!body\nSubject: recorded\n\nhello\n!end\n" in inside, text
    assert "terminated by `smtpspec record" in text, text
    assert t.smtpspec("lint", str(out)).returncode == 0
    replay = t.smtpspec("run", "--target", server.address, "--ca",
                        cert.certificate, "--server-name", cert.name,
                        str(out))
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert "1 passed, 0 failed" in replay.stdout, replay.stdout
