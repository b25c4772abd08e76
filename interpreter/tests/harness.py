"""Shared by the interpreter's end-to-end tests: the built binaries, the
reference server as a process, and `smtpspec_cli run` with parsed results.

Every process started here is stopped by PID, also when a test fails.
"""

import contextlib
import glob
import json
import os
import signal
import subprocess
import time

RUNFILES = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.path.join(RUNFILES, "cli", "smtpspec_cli")
SERVER = os.path.join(RUNFILES, "agents", "server", "smtpspec_server")
# The reference target's configuration, matching the target variables.
TARGET_CONFIG = os.path.join(RUNFILES, "scenarios", "reference-target.yaml")


def corpus():
    """Every scenario file Bazel gave the test, the whole corpus."""
    files = glob.glob(os.path.join(RUNFILES, "scenarios", "**", "*.smtp"),
                      recursive=True)
    return sorted(f for f in files if "/testdata/" not in f)


def testdata(name):
    return os.path.join(os.path.dirname(__file__), "testdata", name)


@contextlib.contextmanager
def reference_server(*flags, maildir=None):
    """Starts smtpspec_server on a free loopback port; yields HOST:PORT.
    Messages are discarded, or stored in `maildir`."""
    sink = ["--maildir", maildir] if maildir else ["--discard"]
    proc = subprocess.Popen(
        [SERVER, "--listen", "127.0.0.1:0", *sink,
         "--config", TARGET_CONFIG, *flags],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline().split()
        assert line and line[0] == "listening", "server did not start"
        yield line[1]
    finally:
        stop(proc)


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run(files, *flags, timeout=120):
    """Runs smtpspec_cli run; returns (exit code, results, stderr)."""
    started = time.monotonic()
    proc = subprocess.run([CLI, "run", *flags, *files],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout)
    results = [json.loads(line)
               for line in proc.stdout.decode("utf-8").splitlines()]
    run.elapsed = time.monotonic() - started
    return proc.returncode, results, proc.stderr.decode("utf-8", "replace")


def sections(results):
    """Every RFC citation among the findings of `results`."""
    return {f["rfc"] for r in results
            for f in r["findings"] + r.get("incidental", [])}
