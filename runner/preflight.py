"""Before any scenario runs: is each server there, and does it speak the
--tls mode asked for?

One connection per server target, closed at once (QUIT when there was
SMTP to say it to). A mismatch would otherwise show as a page of results
that all say the same thing (--tls implicit against a plaintext server:
every scenario FAILED at the greeting; --tls starttls against a server
without STARTTLS: every scenario an ERROR). Each problem is a Fatal, so
one line on stderr and exit 2:

    cannot reach target NAME at HOST:PORT: Connection refused
    NAME: --tls implicit, but the server speaks plaintext SMTP (it sent '220 ...')
    NAME: --tls implicit, but the TLS handshake failed: ...
    NAME: --tls starttls, but the server does not advertise STARTTLS

The certificate is not verified here (the binary does that, with --ca):
this check is about the mode. With --tls none only the TCP connection is
checked, since a server may take its time to greet.
"""

import select
import ssl

from runner import targets as targets_lib
from runner.errors import Fatal

# How long a server that speaks first (plaintext SMTP) takes to greet
# before the check concludes it is waiting for a TLS ClientHello.
PLAINTEXT_GREETING_SECONDS = 1.0
EHLO_NAME = "preflight.smtpspec.invalid"


def _connect(target, timeout):
    host, port = targets_lib.split_address(target.address)
    return targets_lib.connect(host, port, timeout, "target %s at %s" %
                               (target.name, target.address))


def _shown(line):
    text = line.decode("latin-1").rstrip("\r\n")
    return text if len(text) <= 60 else text[:57] + "..."


class _Lines:
    """Reads CRLF lines and replies from a socket (plain or TLS)."""

    def __init__(self, sock, timeout):
        self._sock = sock
        self._buffer = b""
        sock.settimeout(timeout)

    def line(self):
        while b"\n" not in self._buffer:
            try:
                chunk = self._sock.recv(4096)
            except (OSError, ssl.SSLError):
                chunk = b""
            if not chunk:
                line, self._buffer = self._buffer, b""
                return line
            self._buffer += chunk
            if len(self._buffer) > 65536:
                break
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line + b"\n"

    def reply(self):
        """[lines] of one reply (all of a multiline one)."""
        lines = []
        while True:
            line = self.line()
            if not line:
                return lines
            lines.append(line)
            if line[3:4] != b"-":
                return lines


def _quit(sock):
    try:
        sock.sendall(b"QUIT\r\n")
    except OSError:
        pass


def _implicit(target, sock, timeout):
    ready, _, _ = select.select([sock], [], [], PLAINTEXT_GREETING_SECONDS)
    if ready:
        first = _Lines(sock, timeout).line()
        if first[:3].isdigit():
            _quit(sock)
            raise Fatal("%s: --tls implicit, but the server speaks plaintext "
                        "SMTP (it sent '%s')" % (target.name, _shown(first)))
        if not first:
            raise Fatal("%s: --tls implicit, but the server closed the "
                        "connection before the TLS handshake" % target.name)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    sock.settimeout(timeout)
    try:
        tls = context.wrap_socket(sock)
    except (OSError, ssl.SSLError) as e:
        reason = getattr(e, "reason", None) or e.strerror or str(e)
        raise Fatal("%s: --tls implicit, but the TLS handshake failed: %s" %
                    (target.name, reason))
    try:
        _quit(tls)
    finally:
        tls.close()


def _starttls(target, sock, timeout):
    lines = _Lines(sock, timeout)
    greeting = lines.reply()
    if not greeting or greeting[-1][:3] != b"220":
        # A refusal (554) or silence: the scenarios say what it means.
        return
    sock.sendall(b"EHLO " + EHLO_NAME.encode() + b"\r\n")
    reply = lines.reply()
    _quit(sock)
    if not reply or reply[-1][:3] != b"250":
        return
    keywords = {l[4:].split()[0].upper() for l in reply if l[4:].split()}
    if b"STARTTLS" not in keywords:
        raise Fatal("%s: --tls starttls, but the server does not advertise "
                    "STARTTLS" % target.name)


def check(target, tls_mode="none", timeout=5.0):
    """Raises Fatal unless `target` answers in `tls_mode` (see above)."""
    sock = _connect(target, timeout)
    try:
        if tls_mode == "implicit":
            _implicit(target, sock, timeout)
        elif tls_mode == "starttls":
            _starttls(target, sock, timeout)
    finally:
        sock.close()
