"""Targets: the servers (or the client) a run is checked against.

`--target HOST:PORT` names a target by its address; `--target NAME=HOST:PORT`
gives it a name, which is what the expectations file and the reports use.
Before any scenario runs, each server target must accept a TCP connection:
an unreachable host is an environment error (exit 2), not a page of ERROR
results.
"""

import collections
import re
import socket

from runner.errors import Fatal

# A target to run against. `address` is HOST:PORT for a server under test;
# for a client under test it is "" and `command` holds the template.
Target = collections.namedtuple("Target", "name address command")

REFERENCE = "reference"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def split_address(address):
    """(host, port) from HOST:PORT or [V6]:PORT; raises Fatal."""
    match = re.match(r"^\[([^\]]+)\]:(\d+)$", address) or re.match(
        r"^([^:\[\]]+):(\d+)$", address)
    if not match or not 0 < int(match.group(2)) < 65536:
        raise Fatal("--target %s: write HOST:PORT, [IPV6]:PORT or "
                    "NAME=HOST:PORT" % address)
    return match.group(1), int(match.group(2))


def parse(spec):
    """A Target from a --target value; raises Fatal on a bad one."""
    name, sep, address = spec.partition("=")
    if not sep:
        name, address = spec, spec
    elif not _NAME.match(name):
        raise Fatal("--target %s: a name is letters, digits, '.', '_' and "
                    "'-'" % spec)
    split_address(address)
    return Target(name, address, "")


def parse_all(specs):
    targets = [parse(s) for s in specs]
    seen = set()
    for target in targets:
        if target.name in seen:
            raise Fatal("--target: the name '%s' is given twice" %
                        target.name)
        seen.add(target.name)
    return targets


def check_reachable(target, timeout=5.0):
    """Raises Fatal unless the target's address accepts a TCP connection.

    The connection is closed at once; a server logs an SMTP session that
    ended before the greeting, which is harmless.
    """
    host, port = split_address(target.address)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as e:
        reason = e.strerror or str(e) or type(e).__name__
        if isinstance(e, socket.timeout):
            reason = "no answer within %g s" % timeout
        raise Fatal("cannot reach target %s at %s: %s" %
                    (target.name, target.address, reason))
