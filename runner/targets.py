"""Targets: the servers and clients a run is checked against.

`--target HOST:PORT` names a server by its address; `--target
NAME=HOST:PORT` gives it a name, which is what the expectations file and
the reports use. `--client NAME=TEMPLATE` is a client under test (a
command template, runner/clients.py); `--client-cmd TEMPLATE` is the
unnamed form, named "client". Names are unique across servers and clients.
Before any scenario runs, each server target must accept a TCP connection:
an unreachable host is an environment error (exit 2), not a page of ERROR
results.
"""

import collections
import ipaddress
import re
import socket

from runner.errors import Fatal

# A target to run against. `address` is HOST:PORT for a server under test;
# for a client under test it is "" and `command` holds the template.
Target = collections.namedtuple("Target", "name address command")

# The default targets of `run`: the reference server and client.
REFERENCE_SERVER = "reference-server"
REFERENCE_CLIENT = "reference-client"
# What --client-cmd names its client.
CLIENT = "client"
# How `run` reaches a server under test (--tls); "none" is the default.
TLS_MODES = ("none", "starttls", "implicit")
# A server's TLS settings: --tls, --ca, --insecure and --server-name.
Tls = collections.namedtuple("Tls", "mode ca insecure server_name")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def is_loopback(host):
    """Whether HOST is a loopback address (127.0.0.0/8, ::1) or localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_ip(host):
    """Whether HOST is an IPv4 or IPv6 address, not a name."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def connect(host, port, timeout, what):
    """A TCP connection to (host, port), or Fatal saying why `what` (as in
    "cannot reach WHAT: ...") could not be reached."""
    try:
        return socket.create_connection((host, port), timeout=timeout)
    except OSError as e:
        reason = e.strerror or str(e) or type(e).__name__
        if isinstance(e, socket.timeout):
            reason = "no answer within %g s" % timeout
        raise Fatal("cannot reach %s: %s" % (what, reason))


def split_address(address, flag="--target", any_port=False):
    """(host, port) from HOST:PORT or [V6]:PORT; raises Fatal naming
    `flag`. Port 0 (any free port, for a listening address) only with
    `any_port`."""
    match = re.match(r"^\[([^\]]+)\]:(\d+)$", address) or re.match(
        r"^([^:\[\]]+):(\d+)$", address)
    lowest = 0 if any_port else 1
    if not match or not lowest <= int(match.group(2)) < 65536:
        raise Fatal("%s %s: write HOST:PORT, [IPV6]:PORT%s" %
                    (flag, address, " or NAME=HOST:PORT"
                     if flag == "--target" else ""))
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


def parse_client(spec):
    """A client Target from a --client NAME=TEMPLATE value; raises Fatal."""
    name, sep, template = spec.partition("=")
    if not sep or not _NAME.match(name):
        raise Fatal("--client %s: write NAME=TEMPLATE (NAME is letters, "
                    "digits, '.', '_' and '-'), or --client-cmd TEMPLATE "
                    "for one unnamed client" % spec)
    if not template.strip():
        raise Fatal("--client %s: the command template is empty" % spec)
    return Target(name, "", template)


def tls_for(args, name):
    """The TLS settings for the server named NAME: its own, when a run
    configuration gave it some (`target_tls`, runner/run_config.py), else
    the flags'."""
    own = (getattr(args, "target_tls", None) or {}).get(name)
    return own or Tls(args.tls or TLS_MODES[0], args.ca, args.insecure,
                      args.server_name)


def check_names(targets):
    """Raises Fatal if two targets (servers or clients) share a name."""
    seen = set()
    for target in targets:
        if target.name in seen:
            raise Fatal("the target name '%s' is given twice (--target and "
                        "--client names must differ)" % target.name)
        seen.add(target.name)
    return targets


def parse_all(specs):
    return check_names([parse(s) for s in specs])


def plan(servers, clients):
    """[(target, side)]: which side's scenarios each target gets, for
    `smtpspec_cli run --side` (which knows each scenario's side).

    With servers and clients, each gets the scenarios of its side (None is
    every scenario). With only one kind, it gets every scenario, and those
    of the other side come back SKIPPED with the reason, as a reminder
    that they exist.
    """
    both = bool(servers and clients)
    return ([(t, "server" if both else None) for t in servers] +
            [(t, "client" if both else None) for t in clients])


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
