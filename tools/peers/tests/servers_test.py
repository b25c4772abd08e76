"""Each peer script starts its real server on a free loopback port, the
server accepts a message from Python's smtplib and delivers it to a
maildir, and `stop` leaves no process of it behind (RFC 5321 4.5.1: the
minimum command set carries one message end to end)."""

import os
import smtplib
import socket
import subprocess
import time

import pytest

import peer_instance

HERE = os.path.dirname(os.path.realpath(__file__))
PEERS = os.path.dirname(HERE)
SERVERS = ["postfix", "exim", "opensmtpd", "aiosmtpd"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid):
    """PIDs of the process tree under `pid`, `pid` included."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += parents.get(current, [])
    return found


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def delivered(maildir_root, timeout=15.0):
    """Files in any new/ folder under `maildir_root`, waiting for one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = []
        for folder, _, files in os.walk(maildir_root):
            if os.path.basename(folder) == "new":
                found += [os.path.join(folder, f) for f in files]
        if found:
            return found
        time.sleep(0.2)
    return []


instance = peer_instance.instance


@pytest.mark.parametrize("name", SERVERS)
def test_start_deliver_stop(name, instance):
    script = os.path.join(PEERS, name + ".sh")
    port = free_port()
    env = dict(os.environ, PEER_PORT=str(port), PEER_DIR=instance)
    started = subprocess.run([script, "start"], env=env, capture_output=True,
                             text=True, timeout=300)
    try:
        assert started.returncode == 0, started.stderr
        # The line is the `./smtpspec run` arguments for this server.
        words = started.stdout.split()
        assert words[:2] == ["--target", "%s=127.0.0.1:%d" % (name, port)]
        # Its own variables, which hold for it alone in a shared run.
        assert "%s:domain=smtpspec.test" % name in words
        assert "%s:mailbox=alice@smtpspec.test" % name in words
        with open(os.path.join(instance, "pid")) as f:
            pid = int(f.read())
        tree = descendants(pid)

        with smtplib.SMTP("127.0.0.1", port, timeout=20,
                          local_hostname="client.smtpspec.test") as client:
            refused = client.sendmail(
                "sender@client.smtpspec.test", ["alice@smtpspec.test"],
                "Subject: smtpspec peer test\r\n\r\n.one dot\r\nend\r\n")
        assert refused == {}
        messages = delivered(instance)
        assert len(messages) == 1, "no message in a maildir under " + instance
        with open(messages[0], "rb") as f:
            body = f.read()
        # Dot-stuffing undone by the server (RFC 5321 4.5.2).
        assert b"\n.one dot" in body and b"..one dot" not in body
        assert b"smtpspec peer test" in body
    finally:
        stopped = subprocess.run([script, "stop"], env=env,
                                 capture_output=True, text=True, timeout=60)
    assert stopped.returncode == 0, stopped.stderr
    deadline = time.monotonic() + 10
    while any(alive(p) for p in tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p for p in tree if alive(p)] == []
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


@pytest.mark.parametrize("name", SERVERS)
def test_stop_when_not_running_is_quiet(name, instance):
    env = dict(os.environ, PEER_DIR=instance)
    stopped = subprocess.run([os.path.join(PEERS, name + ".sh"), "stop"],
                             env=env, capture_output=True, text=True,
                             timeout=30)
    assert (stopped.returncode, stopped.stdout, stopped.stderr) == (0, "", "")


def test_unknown_subcommand_is_a_usage_error(instance):
    result = subprocess.run([os.path.join(PEERS, "aiosmtpd.sh"), "restart"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "usage" in result.stderr
