"""Helpers for the runner's tests: the built binaries, `smtpspec` as a
subprocess, and servers that are always stopped by PID.

Under Bazel the working directory is the runfiles root, where the binaries
are `data` of the test. Only 127.0.0.1 is ever used.
"""

import contextlib
import os
import socket
import subprocess
import sys

from runner.refserver import ReferenceServer

ROOT = os.getcwd()
# Outside Bazel (running pytest by hand) the environment names them.
CLI = os.environ.get("SMTPSPEC_CLI",
                     os.path.join(ROOT, "cli", "smtpspec_cli"))
SERVER = os.environ.get("SMTPSPEC_SERVER",
                        os.path.join(ROOT, "agents", "server",
                                     "smtpspec_server"))
SEND = os.environ.get("SMTPSPEC_SEND",
                      os.path.join(ROOT, "agents", "client", "smtpspec_send"))
MAIN = os.path.join(ROOT, "runner", "main.py")
TESTDATA = os.path.join("runner", "testdata")
PASS = os.path.join(TESTDATA, "pass.smtp")
RCPT = os.path.join(TESTDATA, "rcpt_before_mail.smtp")
SKIPPED = os.path.join(TESTDATA, "skipped.smtp")
# The target variables in use: a client scenario and a server scenario.
ENVELOPE = os.path.join(TESTDATA, "client_envelope.smtp")
SERVER_VARS = os.path.join(TESTDATA, "server_vars.smtp")
# The corpus's check of the standard message (scenarios/client-message.eml).
DOT_STUFFING = os.path.join("scenarios", "rfc5321", "client",
                            "dot_stuffing.smtp")

# Bazel's test protocol variables must not leak into the runs under test.
_BAZEL_VARS = ("TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX",
               "TEST_SHARD_STATUS_FILE", "XML_OUTPUT_FILE",
               "TEST_UNDECLARED_OUTPUTS_DIR")


def env(**extra):
    out = {k: v for k, v in os.environ.items() if k not in _BAZEL_VARS}
    out.update(SMTPSPEC_CLI=CLI, SMTPSPEC_SERVER=SERVER, SMTPSPEC_SEND=SEND,
               CI="true")
    # --lf's record of failures: the test's own, not the runfiles'.
    out.setdefault("SMTPSPEC_STATE_DIR", os.path.join(
        os.environ.get("TEST_TMPDIR", "/tmp"), "smtpspec-state"))
    out.update(extra)
    return out


def smtpspec(*args, timeout=120, **extra):
    """`smtpspec ARGS` (runner/main.py) to completion, output captured."""
    return subprocess.run([sys.executable, MAIN, *args], cwd=ROOT,
                          env=env(**extra), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=timeout)


@contextlib.contextmanager
def server(*args):
    """A reference server (with smtpspec_server ARGS) on a free port."""
    with ReferenceServer(SERVER, ["--discard", *args]) as s:
        yield s


def free_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli_has(command):
    """Whether smtpspec_cli lists COMMAND in its usage text."""
    out = subprocess.run([CLI, "--help"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True).stdout
    return any(l.split()[:1] == [command] for l in out.splitlines())
