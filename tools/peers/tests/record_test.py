"""`smtpspec record` with real peers on loopback (issue 15): swaks
recorded through the proxy against Postfix, and msmtp recorded against the
reference server (--client); each scenario written lints and replays green
with `smtpspec run` against the same kind of peer."""

import os
import subprocess
import sys

import peer_instance
from runner import testing_util as t

HERE = os.path.dirname(os.path.realpath(__file__))
PEERS = os.path.dirname(HERE)
# Not the target variables' defaults, so that the recorded vars are seen.
HELO = "recorder.client.test"
SENDER = "rec@recorder.client.test"
MAILBOX = "alice@smtpspec.test"  # tools/peers/lib.sh: Postfix delivers it
MSMTP = ("msmtp --file=/dev/null --host={host} --port={port} "
         "--domain={client_domain} --from={sender} --auth=off --tls=off "
         "{mailbox} < {message}")

instance = peer_instance.instance


def wait_listening(proc):
    """The first line `smtpspec record` prints, once it listens (or ""
    if it ended first)."""
    line = proc.stderr.readline()
    assert "listening on" in line, line + proc.stderr.read()


def lint(path):
    proc = t.smtpspec("lint", str(path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no problems" in proc.stdout + proc.stderr


def test_swaks_through_the_proxy_to_postfix_replays(instance, tmp_path):
    script = os.path.join(PEERS, "postfix.sh")
    port, listen = t.free_port(), t.free_port()
    env = dict(os.environ, PEER_PORT=str(port), PEER_DIR=instance)
    started = subprocess.run([script, "start"], env=env, capture_output=True,
                             text=True, timeout=300)
    out = tmp_path / "swaks.smtp"
    try:
        assert started.returncode == 0, started.stderr
        recorder = subprocess.Popen(
            [sys.executable, t.MAIN, "record", "--listen",
             "127.0.0.1:%d" % listen, "--upstream", "127.0.0.1:%d" % port,
             "-o", str(out), "--timeout", "30"],
            cwd=t.ROOT, env=t.env(), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_listening(recorder)
            swaks = subprocess.run(
                ["swaks", "--server", "127.0.0.1:%d" % listen, "--helo",
                 HELO, "--from", SENDER, "--to", MAILBOX, "--pipeline",
                 "--timeout", "30"], capture_output=True, text=True,
                timeout=60)
            assert swaks.returncode == 0, swaks.stdout + swaks.stderr
            assert recorder.wait(timeout=60) == 0, recorder.stderr.read()
        finally:
            recorder.kill()
            recorder.wait()
        text = out.read_text()
        # Variables, a pattern for the queue id, the pipelined group.
        assert "client_domain: %s" % HELO in text, text
        assert "sender: %s" % SENDER in text, text
        assert "mailbox: %s" % MAILBOX in text, text
        assert "C: EHLO ${client_domain}\n" in text, text
        assert ("!pipeline\n  C: MAIL FROM:<${sender}>\n"
                "  C: RCPT TO:<${mailbox}>\n  C: DATA\n!end\n") in text, text
        assert "S: 250 2.0.0 Ok: queued as *\n" in text, text
        assert "!body\n" in text and "delivers: true" in text, text
        lint(out)
        replay = t.smtpspec("run", "--target", "127.0.0.1:%d" % port,
                            str(out), timeout=120)
        assert replay.returncode == 0, replay.stdout + replay.stderr
        assert "1 passed, 0 failed" in replay.stdout, replay.stdout
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True,
                       timeout=60)


def test_msmtp_against_the_reference_server_replays(tmp_path):
    out = tmp_path / "msmtp.smtp"
    proc = t.smtpspec("record", "--client", MSMTP, "-o", str(out),
                      "--timeout", "30", timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = out.read_text()
    assert "tests: client" in text, text
    assert "C: EHLO ${client_domain}\n" in text, text
    assert "C: MAIL FROM:<${sender}>" in text, text
    assert "RCPT TO:<${mailbox}>" in text, text
    # The reference server's replies, exactly: the harness sends them.
    assert "S: 220 localhost smtpspec reference server ready\n" in text, text
    lint(out)
    replay = t.smtpspec("run", "--client", "msmtp=" + MSMTP, str(out),
                        timeout=120)
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert "1 passed, 0 failed" in replay.stdout, replay.stdout
