"""`smtpspec serve`: the reference server in the foreground, with a maildir;
Ctrl-C stops it (and the runner stops it by PID)."""

import os
import signal
import smtplib
import subprocess
import sys
import time

from runner import testing_util as t


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes; only its parent could reap it.
    with open("/proc/%d/stat" % pid) as f:
        return f.read().split(")")[-1].split()[0] != "Z"


def test_serve_delivers_to_the_maildir_and_stops_on_ctrl_c(tmp_path):
    maildir = tmp_path / "mail"
    proc = subprocess.Popen(
        [sys.executable, t.MAIN, "serve", "--listen", "127.0.0.1:0",
         "--maildir", str(maildir)], cwd=t.ROOT, env=t.env(),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    server_pid = None
    try:
        line = proc.stdout.readline()
        assert line.startswith("smtpspec: reference server listening on "
                               "127.0.0.1:"), line + proc.stderr.read()
        address = line.split()[5]
        server_pid = int(line.split("(pid ")[1].rstrip(")\n"))
        assert str(maildir) in proc.stdout.readline()
        host, port = address.rsplit(":", 1)
        with smtplib.SMTP(host, int(port), timeout=10) as smtp:
            smtp.sendmail("alice@example.org", ["bob@example.org"],
                          b"Subject: hi\r\n\r\nhello\r\n")
        # RFC 5321 4.1.1.4: 250 only once the message is safe.
        assert len(os.listdir(maildir / "new")) == 1
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 130
        deadline = time.monotonic() + 10
        while alive(server_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(server_pid), "the reference server was left running"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if server_pid and alive(server_pid):
            os.kill(server_pid, signal.SIGKILL)
        proc.stdout.close()
        proc.stderr.close()


def test_serve_with_a_missing_config_is_exit_2():
    proc = t.smtpspec("serve", "--config", "/nonexistent/server.yaml")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("smtpspec: no such configuration file: "
                                   "/nonexistent/server.yaml")


def test_serve_listens_where_the_config_file_says(tmp_path):
    # --config without --listen: the file's listen:, not 127.0.0.1:2525.
    port = t.free_port()
    config = tmp_path / "server.yaml"
    config.write_text('listen: "127.0.0.1:%d"\nsink:\n  kind: maildir\n'
                      '  path: "%s"\n' % (port, tmp_path / "mail"))
    proc = subprocess.Popen(
        [sys.executable, t.MAIN, "serve", "--config", str(config)],
        cwd=t.ROOT, env=t.env(), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("smtpspec: reference server listening on "
                               "127.0.0.1:%d " % port), (
            line + proc.stderr.read())
        assert "the sink set in" in proc.stdout.readline()
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            assert smtp.noop()[0] == 250
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
