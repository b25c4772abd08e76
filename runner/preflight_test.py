"""The check before any scenario runs (runner/preflight.py), against tiny
servers on 127.0.0.1: plaintext SMTP with and without STARTTLS, implicit
TLS (a certificate made with openssl), a listener that never greets, and a
port nothing listens on."""

import contextlib
import socket
import ssl
import threading

import pytest

from runner import preflight
from runner import targets
from runner import tls
from runner.errors import Fatal


@contextlib.contextmanager
def listener(serve):
    """Calls serve(conn) for each connection on a loopback port; yields a
    Target for it. Stopped (and every connection closed) on exit."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    stop = threading.Event()

    def one(conn):
        with conn:
            conn.settimeout(5)
            try:
                serve(conn)
            except (OSError, ssl.SSLError):
                pass

    def loop():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield targets.parse("mx=127.0.0.1:%d" % sock.getsockname()[1])
    finally:
        stop.set()
        sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        thread.join(5)


def smtp(extensions):
    def serve(conn):
        conn.sendall(b"220 mx.example ESMTP\r\n")
        f = conn.makefile("rb")
        for line in f:
            if line.upper().startswith(b"EHLO"):
                lines = [b"mx.example"] + extensions
                conn.sendall(b"".join(
                    b"250%s%s\r\n" % (b" " if i == len(lines) - 1 else b"-",
                                      l) for i, l in enumerate(lines)))
            elif line.upper().startswith(b"QUIT"):
                conn.sendall(b"221 bye\r\n")
                return
    return serve


def test_plaintext_server_and_tls_implicit():
    with listener(smtp([b"PIPELINING"])) as target:
        with pytest.raises(Fatal) as e:
            preflight.check(target, "implicit")
    assert str(e.value) == ("mx: --tls implicit, but the server speaks "
                            "plaintext SMTP (it sent '220 mx.example "
                            "ESMTP')")


def test_starttls_advertised_or_not():
    with listener(smtp([b"PIPELINING", b"STARTTLS"])) as target:
        preflight.check(target, "starttls")
        preflight.check(target, "none")
    with listener(smtp([b"PIPELINING", b"XSTARTTLS"])) as target:
        with pytest.raises(Fatal) as e:
            preflight.check(target, "starttls")
        preflight.check(target, "none")
    assert str(e.value) == ("mx: --tls starttls, but the server does not "
                            "advertise STARTTLS")


def test_implicit_tls_server(tmp_path):
    cert = tls.self_signed(str(tmp_path))
    assert cert, "openssl is needed for this test"
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert.certificate, cert.key)

    def serve(conn):
        with context.wrap_socket(conn, server_side=True) as t:
            smtp([])(t)

    with listener(serve) as target:
        preflight.check(target, "implicit")
        # Plain SMTP to a TLS port: no greeting, but --tls none only
        # checks the connection (a server may be slow to greet).
        preflight.check(target, "none")
        # No greeting within the timeout: the scenarios will say so.
        preflight.check(target, "starttls", timeout=0.5)


def test_a_failed_handshake_is_named():
    # Accepts, says nothing, and answers a ClientHello with garbage.
    def serve(conn):
        conn.recv(4096)
        conn.sendall(b"\x00" * 64)

    with listener(serve) as target:
        with pytest.raises(Fatal, match="^mx: --tls implicit, but the TLS "
                           "handshake failed: "):
            preflight.check(target, "implicit", timeout=2)


def test_unreachable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(Fatal) as e:
        preflight.check(targets.parse("dead=127.0.0.1:%d" % port),
                        "starttls")
    assert str(e.value) == ("cannot reach target dead at 127.0.0.1:%d: "
                            "Connection refused" % port)
