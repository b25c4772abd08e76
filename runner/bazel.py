"""Runs Bazel for the runner: builds binaries and runs test suites.

Bazel's own output goes to the terminal only when something fails, so the
user sees a short progress line instead of pages of build log: when a
build has something to compile (Bazel reports an action other than its
workspace status), one line says so, and only then; a build with nothing
to do is silent.
"""

import os
import re
import subprocess
import sys

# A progress line of Bazel's ("[12 / 40] Compiling cli/run.cc; 3s ..."),
# and the one action every build runs, even with nothing to do.
_PROGRESS = re.compile(r"^\[[\d,]+ / [\d,]+\] ")
_ALWAYS = "BazelWorkspaceStatusAction"
BUILDING = "smtpspec: building smtpspec (the first build can take minutes)..."

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class BazelError(Exception):
    """Bazel failed; the message says which command and why."""


def bazel_command(*args):
    """`bazel ARGS`; SMTPSPEC_BAZEL_OUTPUT_BASE picks another output base
    (several checkouts or engineers sharing one machine)."""
    base = os.environ.get("SMTPSPEC_BAZEL_OUTPUT_BASE")
    startup = ["--output_base=" + base] if base else []
    return ["bazel", *startup, *args]


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


def compiles(line):
    """Whether this line of Bazel's output says it is building something."""
    return bool(_PROGRESS.match(line)) and _ALWAYS not in line


def build(targets, config=None, flags=(), announce=BUILDING):
    """Builds TARGETS, saying `announce` once if it has work to do; raises
    BazelError with Bazel's output on failure."""
    args = ["build", "--config=" + config] if config else ["build"]
    proc = subprocess.Popen(bazel_command(*args, *flags, *targets), cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            errors="replace")
    lines, said = [], False
    try:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if announce and not said and compiles(line):
                say(announce)
                said = True
        status = proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    if status != 0:
        tail = "\n".join(lines[-40:])
        raise BazelError("bazel build failed:\n" + tail)


def binary_path(target, config=None):
    """Path of a built cc_binary, e.g. //cli:smtpspec_cli."""
    build([target], config)
    package, name = target.lstrip("/").split(":")
    return os.path.join(ROOT, "bazel-bin", package, name)


def output_path(targets, config=None):
    """A function from a cc_binary label to where Bazel puts it.

    Asks `bazel info` rather than following the bazel-bin link, which
    points at whichever configuration was built last.
    """
    args = ["info", "--config=" + config] if config else ["info"]
    proc = subprocess.run(bazel_command(*args, "bazel-bin"), cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors="replace")
    if proc.returncode != 0 or not proc.stdout.strip():
        tail = "\n".join(proc.stderr.splitlines()[-20:])
        raise BazelError("bazel info failed:\n" + tail)
    bin_dir = proc.stdout.strip().splitlines()[-1]

    def path(target):
        package, name = target.lstrip("/").split(":")
        return os.path.join(bin_dir, package, name)
    return path


def say(message):
    print(message, file=sys.stderr, flush=True)
