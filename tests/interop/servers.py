"""Processes for the interop tests: our binaries from Bazel's runfiles, a
real aiosmtpd server, test certificates made with the openssl command, and
maildir reading. Only 127.0.0.1 and ::1 are ever used; every process is
stopped by its PID when the test ends, failed or not."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time


def runfile(path):
    """Path of a Bazel data dependency, e.g. agents/server/smtpspec_server."""
    base = os.path.join(os.environ.get("TEST_SRCDIR", ""),
                        os.environ.get("TEST_WORKSPACE", ""))
    full = os.path.join(base, path)
    return full if os.path.exists(full) else path


def stop(proc):
    """Stops `proc` by its PID: SIGTERM, then SIGKILL after 5 s."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


@contextlib.contextmanager
def reference_server(*args):
    """Our server on a free port; yields (process, host, port)."""
    proc = subprocess.Popen(
        [runfile("agents/server/smtpspec_server"), "--listen", "127.0.0.1:0",
         *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().split()
        assert line[:1] == ["listening"], (line, proc.stderr.read())
        host, port = line[1].rsplit(":", 1)
        yield proc, host, int(port)
    finally:
        stop(proc)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server exited early"
        with contextlib.suppress(OSError), socket.create_connection(
                ("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


def python_with(module):
    """A Python interpreter that can import `module` (Debian's for
    python3-aiosmtpd when Bazel runs another)."""
    for candidate in (sys.executable, "/usr/bin/python3"):
        if subprocess.run([candidate, "-c", f"import {module}"],
                          capture_output=True).returncode == 0:
            return candidate
    raise AssertionError(f"no Python can import {module}: run tools/setup.sh")


@contextlib.contextmanager
def aiosmtpd_server(maildir):
    """A real aiosmtpd storing into `maildir`; yields its port."""
    port = free_port()
    proc = subprocess.Popen(
        [python_with("aiosmtpd"), "-m", "aiosmtpd", "-n", "-l",
         f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, proc)
        yield port
    finally:
        stop(proc)


def make_certificate(directory):
    """A self-signed certificate for localhost and 127.0.0.1: (cert, key)."""
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(
        [shutil.which("openssl") or "openssl", "req", "-x509", "-newkey",
         "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True)
    return cert, key


def read_maildir(directory):
    """Messages our maildir sink stored: a list of (envelope dict, bytes)."""
    out = []
    new = os.path.join(directory, "new")
    for name in sorted(os.listdir(new)) if os.path.isdir(new) else []:
        with open(os.path.join(new, name), "rb") as f:
            header, _, data = f.read().partition(b"\n")
        prefix = b"X-Smtpspec-Envelope: "
        assert header.startswith(prefix), header
        out.append((json.loads(header[len(prefix):]), data))
    return out
