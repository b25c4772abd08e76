"""`smtpspec serve --script`: a scripted server that real clients (swaks,
msmtp, Python's smtplib) and a hand-written non-conforming client connect
to on loopback; each connection's verdict, the summary, the reports and
the exit codes, with --count and with Ctrl-C."""

import json
import os
import signal
import smtplib
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET

from runner import testing_util as t

# Not in runner/testdata, which other tests run whole.
SERVE = os.path.join("runner", "serve_scripts")
OK = os.path.join(SERVE, "ok.smtp")
RCPT_550 = os.path.join(SERVE, "rcpt_550.smtp")
MESSAGE = b"Subject: hi\r\n\r\nhello\r\n"


class Served:
    """`smtpspec serve --script ...` started, its announcement read up to
    where it says it serves; the port it listens on."""

    def __init__(self, *args):
        self.proc = subprocess.Popen(
            [sys.executable, t.MAIN, "serve", "--listen", "127.0.0.1:0",
             *args], cwd=t.ROOT, env=t.env(), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.announced = []
        while True:
            line = self.proc.stdout.readline()
            assert line, "".join(self.announced) + self.proc.stderr.read()
            self.announced.append(line)
            if line.startswith("smtpspec: serving ") or "Ctrl-C" in line:
                break
        first = self.announced[0]
        assert first.startswith("smtpspec: scripted server listening on "
                                "127.0.0.1:"), first
        self.port = int(first.split()[5].rstrip(":").rsplit(":", 1)[1])

    def finish(self, timeout=60):
        """The exit code, stdout after the announcement, stderr."""
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def swaks(port, helo):
    return subprocess.run(
        ["swaks", "--server", "127.0.0.1:%d" % port, "--helo", helo,
         "--from", "alice@example.org", "--to", "bob@example.org",
         "--timeout", "10"], stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=30)


def msmtp(port, domain):
    return subprocess.run(
        ["msmtp", "--file=/dev/null", "--host=127.0.0.1",
         "--port=%d" % port, "--domain=" + domain,
         "--from=alice@example.org", "--auth=off", "--tls=off",
         "bob@example.org"], input=MESSAGE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, timeout=30)


def smtplib_send(port, helo):
    """smtplib's sendmail() then QUIT; the recipients it had refused."""
    with smtplib.SMTP("127.0.0.1", port, local_hostname=helo,
                      timeout=10) as client:
        try:
            client.sendmail("alice@example.org", ["bob@example.org"],
                            MESSAGE)
        except smtplib.SMTPRecipientsRefused as e:
            return e.recipients
    return {}


class Raw:
    """A hand-written client: one line at a time, each reply read."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.file = self.sock.makefile("rb")
        self.greeting = self.file.readline()

    def say(self, line):
        self.sock.sendall(line + b"\r\n")
        return self.file.readline()

    def close(self):
        self.file.close()
        self.sock.close()


def results(path):
    with open(path) as f:
        report = json.load(f)
    return [(r["scenario"]["id"], r["verdict"]) for r in report["results"]]


def test_real_clients_get_the_script_their_ehlo_names(tmp_path):
    report, junit = tmp_path / "r.json", tmp_path / "r.xml"
    with Served("--script", OK, "--script", RCPT_550, "--count", "5",
                "--report-json", str(report), "--report-junit",
                str(junit)) as served:
        text = "".join(served.announced)
        assert "EHLO ok        serve.ok (%s)" % OK in text, text
        assert "EHLO rcpt-550  serve.rcpt-550 (%s)" % RCPT_550 in text
        assert "serving 5 connections" in text
        sent = swaks(served.port, "ok")
        assert sent.returncode == 0, sent.stdout
        assert "<-  250 2.0.0 queued" in sent.stdout
        # The injected error: RCPT answered 550. Each client gives up on
        # the message and quits, without DATA (RFC 5321 4.2.1, 3.3).
        refused = swaks(served.port, "rcpt-550")
        assert refused.returncode != 0
        assert "<** 550 5.1.1 no such mailbox here" in refused.stdout
        assert " -> DATA" not in refused.stdout
        # The reply to QUIT is the QUIT's, not the skipped RSET's.
        assert "<-  221 " in refused.stdout, refused.stdout
        assert msmtp(served.port, "ok").returncode == 0
        assert smtplib_send(served.port, "ok") == {}
        assert smtplib_send(served.port, "RCPT-550") == {
            "bob@example.org": (550, b"5.1.1 no such mailbox here")}
        code, out, err = served.finish()
    assert code == 0, out + err
    assert out.splitlines()[-1] == "5 passed, 0 failed, 0 skipped", out
    # In the order the connections ended, which a client's last close
    # may reorder.
    assert sorted(results(report)) == [("serve.ok", "OK")] * 3 + [
        ("serve.rcpt-550", "OK")] * 2
    cases = ET.parse(junit).getroot().iter("testcase")
    assert len(list(cases)) == 5


def test_msmtp_closing_without_quit_after_the_550_fails(tmp_path):
    # msmtp hangs up after the refusal (expectations/msmtp.expect): RFC
    # 5321 4.1.1.10, the client MUST NOT close before it sends QUIT.
    report = tmp_path / "r.json"
    with Served("--script", RCPT_550, "--count", "1", "--name", "msmtp",
                "--report-json", str(report)) as served:
        refused = msmtp(served.port, "rcpt-550")
        code, out, err = served.finish()
    assert refused.returncode != 0
    assert b"no such mailbox here" in refused.stdout
    assert code == 1, out + err
    assert "FAILED           serve.rcpt-550 @ msmtp" in out, out
    assert "the client closed the connection" in out
    assert results(report) == [("serve.rcpt-550", "FAILED")]


def test_a_client_that_sends_data_after_the_550_fails(tmp_path):
    report = tmp_path / "r.json"
    with Served("--script", OK, "--script", RCPT_550, "--count", "1",
                "--report-json", str(report)) as served:
        client = Raw(served.port)
        assert client.greeting.startswith(b"220 ")
        assert client.say(b"EHLO rcpt-550").startswith(b"250 ")
        assert client.say(b"MAIL FROM:<alice@example.org>").startswith(
            b"250 ")
        assert client.say(b"RCPT TO:<bob@example.org>").startswith(b"550 ")
        client.say(b"DATA")
        client.close()
        code, out, err = served.finish()
    assert code == 1, out + err
    assert "FAILED           serve.rcpt-550 @ client" in out, out
    assert "'DATA' does not match 'QUIT'" in out
    assert out.splitlines()[-1] == "0 passed, 1 failed, 0 skipped"
    assert results(report) == [("serve.rcpt-550", "FAILED")]


def test_a_name_no_script_has_is_answered_421_and_is_an_error(tmp_path):
    report = tmp_path / "r.json"
    with Served("--script", OK, "--script", RCPT_550, "--count", "1",
                "--report-json", str(report)) as served:
        client = Raw(served.port)
        reply = client.say(b"EHLO mail.client.example")
        client.close()
        code, out, err = served.finish()
    # RFC 5321 3.8: 421 is how a server says it closes the channel.
    assert reply == (b'421 4.3.0 smtpspec: no script is named '
                     b'"mail.client.example"; the names are ok, '
                     b'rcpt-550\r\n'), reply
    assert code == 1, out + err
    assert "ERROR            serve.ok @ client" in out, out
    with open(report) as f:
        result = json.load(f)["results"][0]
    assert result["verdict"] == "ERROR"
    assert result["reason"] == (
        "the client's EHLO name 'mail.client.example' names no script "
        "served (ok, rcpt-550); it was answered 421")


def test_one_script_greets_every_client_whatever_its_name():
    with Served("--script", OK, "--count", "1") as served:
        assert "every client gets serve.ok" in "".join(served.announced)
        assert smtplib_send(served.port, "anything.example") == {}
        code, out, err = served.finish()
    assert code == 0, out + err


def test_ctrl_c_answers_open_connections_421_and_reports(tmp_path):
    report = tmp_path / "r.json"
    with Served("--script", OK, "--report-json", str(report)) as served:
        assert "Ctrl-C stops it" in served.announced[-1]
        assert smtplib_send(served.port, "ok") == {}
        client = Raw(served.port)
        assert client.say(b"EHLO ok").startswith(b"250 ")
        served.proc.send_signal(signal.SIGINT)
        # The connection still open is told, then closed (RFC 5321 3.8).
        assert client.file.readline().startswith(b"421 4.3.2 ")
        assert client.file.readline() == b""
        client.close()
        code, out, err = served.finish()
    assert code == 130, out + err
    assert "Traceback" not in err, err
    assert out, err
    # The interrupted connection is the harness's ERROR, counted as run
    # counts it.
    assert out.splitlines()[-1] == "1 passed, 1 failed, 0 skipped", out
    assert "smtpspec serve was stopped (SIGINT or SIGTERM)" in out
    assert results(report) == [("serve.ok", "OK"), ("serve.ok", "ERROR")]


def test_bad_flags_are_one_line_and_exit_2():
    proc = t.smtpspec("serve", "--count", "2")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("smtpspec: --count needs --script: "
                                   "without it serve is the reference "
                                   "server")
    proc = t.smtpspec("serve", "--script", OK, "--count", "0")
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "--count 0" in proc.stderr
    # Scenarios that test a server give the harness nothing to serve.
    proc = t.smtpspec("serve", "--listen", "127.0.0.1:0", "--script", t.PASS)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "test a client" in proc.stderr
