"""`smtpspec record`: one real SMTP session written down as a scenario.

With --upstream, a recording proxy listens on --listen, relays the first
client that connects to the upstream server, and writes the session as a
`tests: server` scenario: replaying it sends the same commands to a
server. With --client, the command is a client under test, run against
the reference server through the same proxy, and the scenario is `tests:
client`: replaying it sends the same replies to a client. The proxy is
runner/record_proxy.py; smtpspec_cli record (cli/record.h) writes the
scenario from its capture.
"""

import os
import re
import socket
import ssl
import subprocess
import tempfile
import collections

from runner import binaries
from runner import clients
from runner import processes
from runner import targets
from runner import tls
from runner.errors import Fatal
from runner.record_proxy import Recorder
from runner.refserver import ReferenceServer

HELP = ("record a real SMTP session as a scenario: a proxy between a client "
        "and a server (--upstream), or a client under test against the "
        "reference server (--client)")

TlsContexts = collections.namedtuple("TlsContexts", "server client")


def add_arguments(p):
    """The flags on its subcommand's parser (runner/main.py)."""
    p.add_argument("--listen", metavar="HOST:PORT",
                   help="where the proxy listens (required with --upstream; "
                   "default 127.0.0.1:0 with --client)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--upstream", metavar="HOST:PORT",
                       help="the server to relay the client to: the "
                       "scenario tests servers")
    where.add_argument("--client", metavar="CMD",
                       help="a client command template, as for `run "
                       "--client-cmd` ({host}, {port}, {sender}, {mailbox}, "
                       "{client_domain}, {message}): run against the "
                       "reference server, the scenario tests clients")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the scenario file to write")
    p.add_argument("--tls-terminate", action="store_true",
                   help="after STARTTLS, terminate TLS on both sides (with "
                   "a certificate made for this run) and go on recording; "
                   "without it the TLS bytes are relayed and not recorded")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="how long to wait for a client, and for anything to "
                   "happen in the session (default 60)")
    p.add_argument("--id", metavar="ID",
                   help="the scenario's id (default: recorded. and the "
                   "output file's name)")


def _scenario_id(args):
    if args.id:
        if not re.match(r"^[A-Za-z0-9._-]+$", args.id):
            raise Fatal("--id %s: an id is letters, digits, '.', '-' and "
                        "'_'" % args.id)
        return args.id
    stem = os.path.splitext(os.path.basename(args.output))[0]
    return "recorded." + (re.sub(r"[^A-Za-z0-9._-]+", "-", stem) or "session")


def _listen(address, timeout):
    host, port = targets.split_address(address, "--listen", any_port=True)
    try:
        sock = socket.create_server((host, port))
    except OSError as e:
        raise Fatal("--listen %s: cannot listen there: %s" %
                    (address, e.strerror or e))
    sock.settimeout(timeout)
    return sock


def _connect(address, timeout):
    host, port = targets.split_address(address, "--upstream")
    return targets.connect(host, port, timeout,
                           "the upstream server %s" % address)


def _tls_contexts(directory):
    """A TLS server context with a certificate made now, and a client
    context that accepts any certificate (the proxy checks no one)."""
    cert = tls.self_signed(directory)
    if cert is None:
        raise Fatal("--tls-terminate needs the openssl command to make a "
                    "certificate")
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert.certificate, cert.key)
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.check_hostname = False
    client.verify_mode = ssl.CERT_NONE
    return TlsContexts(server, client)


def _accept(listener, timeout):
    try:
        conn, _ = listener.accept()
    except socket.timeout:
        raise Fatal("no client connected within %g s" % timeout)
    return conn


def _relay(listener, upstream_address, capture, args, work, started=None):
    """Connects upstream, accepts one client and records the session."""
    contexts = _tls_contexts(work) if args.tls_terminate else None
    upstream = _connect(upstream_address, args.timeout)
    if started:
        started()
    client = _accept(listener, args.timeout)
    with client, upstream, open(capture, "w") as out:
        return Recorder(client, upstream, out, contexts,
                        idle_timeout=args.timeout).run()


def _convert(cli, capture, args, side, source):
    binaries.output(cli, ["record", "--tests", side, "--id",
                                _scenario_id(args), "--source", source,
                                capture, os.path.abspath(args.output)])


def _fill(cli, template, root, listen):
    """The client command, filled in as `run --client-cmd` fills it."""
    command = binaries.output(cli, ["template", "--message",
                                    clients.message(root), template])
    host, port = targets.split_address(listen, "--listen")
    return command.strip().replace("{host}", host).replace("{port}",
                                                           str(port))


def execute(args, root, err):
    """Records one session; 0 when the scenario was written."""
    if args.upstream and not args.listen:
        raise Fatal("--upstream needs --listen HOST:PORT (where the client "
                    "connects)")
    if args.timeout <= 0:
        raise Fatal("--timeout must be more than 0 seconds")
    if args.upstream:
        targets.split_address(args.upstream, "--upstream")
    if args.listen:
        targets.split_address(args.listen, "--listen", any_port=True)
    _scenario_id(args)
    cli = binaries.cli()
    with tempfile.TemporaryDirectory(prefix="smtpspec-record-") as work:
        capture = os.path.join(work, "capture")
        if args.upstream:
            listener = _listen(args.listen, args.timeout)
            where = "%s:%d" % listener.getsockname()[:2]
            with listener:
                def started():
                    err.write("smtpspec: recording: listening on %s, "
                              "relaying to %s\n" % (where, args.upstream))
                    err.flush()
                stopped = _relay(listener, args.upstream, capture, args,
                                 work, started)
            side, source = "server", "a client relayed to %s" % args.upstream
        else:
            stopped, side = _record_client(args, root, cli, capture, work)
            source = "the client command %s" % args.client
        if stopped:
            err.write("smtpspec: warning: the recording stopped early: %s\n"
                      % stopped)
        _convert(cli, capture, args, side, source)
    err.write("smtpspec: wrote %s\n" % args.output)
    return 0


def _record_client(args, root, cli, capture, work):
    """The client under test against the reference server, through the
    proxy."""
    listener = _listen(args.listen or "127.0.0.1:0", args.timeout)
    with listener:
        where = "%s:%d" % listener.getsockname()[:2]
        command = _fill(cli, args.client, root, where)
        server_args = ["--discard"]
        if args.tls_terminate:
            cert = tls.self_signed(work)
            if cert:
                server_args += ["--set", "tls.certificate=" +
                                cert.certificate, "--set",
                                "tls.key=" + cert.key]
        with ReferenceServer(binaries.server(), server_args) as server:
            try:
                proc = subprocess.Popen(["/bin/sh", "-c", command],
                                        stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
            except OSError as e:
                raise Fatal("cannot start the client: %s" % (e.strerror or e))
            try:
                stopped = _relay(listener, server.address, capture, args,
                                 work)
                try:
                    proc.wait(timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    pass
            finally:
                processes.stop(proc)
    return stopped, "client"
