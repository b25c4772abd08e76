"""Runs Bazel for the runner: builds binaries and runs test suites.

Bazel's own output goes to the terminal only when something fails, so the
user sees a short progress line instead of pages of build log.
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class BazelError(Exception):
    """Bazel failed; the message says which command and why."""


def bazel_command(*args):
    return ["bazel", *args]


def run(args, quiet=True):
    """Runs `bazel ARGS` in the repository; returns the completed process.

    With quiet=True the output is captured and printed only on failure.
    """
    cmd = bazel_command(*args)
    if not quiet:
        return subprocess.run(cmd, cwd=ROOT)
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True,
                          errors="replace")
    return proc


def build(targets, config=None):
    """Builds TARGETS; raises BazelError with Bazel's output on failure."""
    args = ["build", "--config=" + config] if config else ["build"]
    proc = run(args + list(targets))
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-40:])
        raise BazelError("bazel build failed:\n" + tail)


def binary_path(target, config=None):
    """Path of a built cc_binary, e.g. //cli:smtpspec_cli."""
    build([target], config)
    package, name = target.lstrip("/").split(":")
    return os.path.join(ROOT, "bazel-bin", package, name)


def say(message):
    print(message, file=sys.stderr, flush=True)
