"""Where the C++ binaries are: given, prebuilt, or built by Bazel.

SMTPSPEC_CLI, SMTPSPEC_SERVER and SMTPSPEC_SEND name the binaries directly
(the Bazel tests and packagers use them); else an unpacked release
(`bazel build //:release`) has them prebuilt in bin/ beside the smtpspec
script, and no Bazel is needed; else `./smtpspec` builds them with `bazel
build --config=opt` (quick when nothing changed) and asks Bazel where they
are. output() runs smtpspec_cli for what it prints.
"""

import os
import subprocess

from runner import bazel
from runner import processes
from runner.errors import Fatal

CLI = "//cli:smtpspec_cli"
SERVER = "//agents/server:smtpspec_server"
# The reference client: the default client under test.
SEND = "//agents/client:smtpspec_send"
_ENV = {CLI: "SMTPSPEC_CLI", SERVER: "SMTPSPEC_SERVER",
        SEND: "SMTPSPEC_SEND"}
# The optimised build is what runs the corpus (see .bazelrc, build:opt).
CONFIG = "opt"
# Where a release keeps its binaries, by their Bazel names (//:release,
# tools/release/release.bzl).
PREBUILT = "bin"


def _check(path, where):
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        raise Fatal("%s: no executable file at %s" % (where, path))
    return path


def prebuilt(target, root=None):
    """Where a release has TARGET's binary (ROOT/bin/NAME), or None."""
    path = os.path.join(root or bazel.ROOT, PREBUILT, target.split(":")[-1])
    return path if os.path.lexists(path) else None


def _given(target, env, root):
    """(path, who said so) for a binary that needs no build, or None."""
    if env.get(_ENV[target]):
        return env[_ENV[target]], _ENV[target]
    path = prebuilt(target, root)
    return (path, "the prebuilt " + target.split(":")[-1]) if path else None


def paths(targets, env=None, root=None):
    """The binaries of the given Bazel labels, in the same order."""
    env = os.environ if env is None else env
    given = [_given(t, env, root) for t in targets]
    missing = [t for t, g in zip(targets, given) if not g]
    if missing:
        try:
            out = bazel.output_path(missing, CONFIG)
            # No bazel-* links: they would point at the opt configuration
            # and confuse whoever reads bazel-bin or bazel-testlogs next.
            # Bazel says whether it has anything to build; a line tells
            # the user.
            bazel.build(missing, CONFIG, ["--symlink_prefix=/"])
        except OSError as e:
            raise Fatal("cannot run bazel to build the binaries: %s" %
                        (e.strerror or e))
    return [_check(*g) if g else _check(out(t), t)
            for g, t in zip(given, targets)]


def cli(env=None):
    return paths([CLI], env)[0]


def server(env=None):
    return paths([SERVER], env)[0]


# What each smtpspec_cli command does, as an error names it: the user typed
# `smtpspec`, and the binary behind it is no business of theirs.
_DOING = {"run": "the scenario run", "list": "reading the scenarios",
          "files": "finding the scenario files", "lint": "lint",
          "fmt": "fmt", "--help": "asking smtpspec for its commands"}


def ended(command, returncode):
    """'the scenario run was killed by SIGKILL', 'reading the scenarios
    exited with status 3': a binary that failed without saying why."""
    return "%s %s" % (_DOING.get(command, "smtpspec " + command),
                      processes.exit_reason(returncode))


def usage_error(text, command):
    """What smtpspec_cli said on stderr, for `smtpspec: ...`: its usage
    errors are about the flags the user gave `smtpspec` (passed through),
    so they lose their "smtpspec_cli COMMAND: " prefix."""
    prefix = "smtpspec_cli %s: " % command
    return "\n".join(l[len(prefix):] if l.startswith(prefix) else l
                     for l in text.splitlines() if l.strip())


def output(cli, args, cwd=None):
    """What `smtpspec_cli ARGS` prints on stdout; raises Fatal with what it
    printed on stderr (its diagnostics, or a usage error) if it fails."""
    try:
        proc = subprocess.run([cli, *args], cwd=cwd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, errors="replace")
    except OSError as e:
        raise Fatal("cannot run %s: %s" % (cli, e.strerror or e))
    if proc.returncode != 0:
        text = usage_error(proc.stderr, args[0])
        raise Fatal(text or ended(args[0], proc.returncode))
    return proc.stdout
