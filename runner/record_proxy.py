"""The recording proxy of `smtpspec record`: one SMTP connection relayed
between a client and a server, and what went by written as a capture
(the format cli/capture.h owns), for `smtpspec_cli record` to turn into a
scenario.

STARTTLS (RFC 3207): after the server's 220 to the client's STARTTLS,
either the proxy terminates TLS on both sides (tls_context given: it is the
TLS server to the client with a certificate made for this run, and a TLS
client, without verification, to the upstream server) and goes on
recording the plaintext, or it relays the TLS bytes as they are and
records nothing more ("passthrough").

Memory is bounded: the capture stops at MAX_BYTES of recorded data.
"""

import selectors
import socket
import ssl
import time

MAX_BYTES = 16 << 20
READ = 65536


class _Side:
    def __init__(self, sock, mark):
        self.sock = sock
        self.mark = mark  # "C" or "S": who sent what arrives on it
        self.open = True


class Recorder:
    """Relays one connection and writes its capture to `out` (a text
    file). `client` and `upstream` are connected sockets."""

    def __init__(self, client, upstream, out, tls_context=None,
                 idle_timeout=30.0):
        self._client = _Side(client, "C")
        self._server = _Side(upstream, "S")
        self._out = out
        self._tls = tls_context
        self._idle = idle_timeout
        self._start = time.monotonic()
        self._recording = True
        self._recorded = 0
        self._client_line = b""  # the client's last unfinished line
        self._starttls = False  # STARTTLS sent, its reply not yet seen
        self._server_line = b""
        self._tls_started = False
        out.write("smtpspec-capture 1\n")

    def _event(self, text):
        if self._recording:
            self._out.write("%s %.3f%s\n" % (
                text[0], time.monotonic() - self._start, text[1]))

    def _record(self, side, data):
        if not self._recording:
            return
        self._recorded += len(data)
        if self._recorded > MAX_BYTES:
            self._event(("stop", " the capture reached its limit of %d "
                         "MiB" % (MAX_BYTES >> 20)))
            self._recording = False
            return
        self._event((side.mark, " " + data.hex()))

    def _watch_client(self, data):
        """Sets _starttls once the client has sent a STARTTLS line."""
        lines = (self._client_line + data).split(b"\n")
        self._client_line = lines.pop()[-512:]
        for line in lines:
            self._starttls = line.rstrip(b"\r").upper() == b"STARTTLS"

    def _reply_to_starttls(self, data):
        """Whether `data` completes the server's 220 to STARTTLS."""
        text = self._server_line + data
        self._server_line = b"" if text.endswith(b"\n") else \
            text.rsplit(b"\n", 1)[-1][-512:]
        last = text.rstrip(b"\r\n").rsplit(b"\n", 1)[-1]
        return (self._starttls and text.endswith(b"\n") and
                last[:4] == b"220 ")

    def _handshake(self):
        """RFC 3207 4: both sides start TLS after the 220."""
        self._starttls = False
        self._tls_started = True
        if self._tls is None:
            self._event(("passthrough", ""))
            self._recording = False
            return
        timeout = self._idle
        for side, server in ((self._client, True), (self._server, False)):
            side.sock.settimeout(timeout)
            if server:
                side.sock = self._tls.server.wrap_socket(
                    side.sock, server_side=True)
            else:
                side.sock = self._tls.client.wrap_socket(
                    side.sock, server_hostname=None)
            side.sock.setblocking(False)
        self._event(("tls", ""))

    def run(self):
        """Relays until both sides have closed, a side is idle for
        idle_timeout seconds, or TLS fails; returns "" or why it stopped."""
        try:
            return self._relay()
        except ssl.SSLError as e:
            self._event(("stop", " the TLS handshake failed: %s" %
                         (e.reason or e)))
            return "the TLS handshake failed: %s" % (e.reason or e)
        except OSError as e:
            self._event(("stop", " %s" % (e.strerror or e)))
            return e.strerror or str(e)

    def _relay(self):
        sides = (self._client, self._server)
        while any(s.open for s in sides):
            with selectors.DefaultSelector() as sel:
                for s in sides:
                    if s.open:
                        s.sock.setblocking(False)
                        sel.register(s.sock, selectors.EVENT_READ, s)
                ready = [key.data for key, _ in sel.select(self._idle)]
            if not ready:
                self._event(("stop", " nothing happened for %g s" %
                             self._idle))
                return "nothing happened for %g s" % self._idle
            for side in ready:
                if self._pump(side):
                    self._handshake()
                    break
        return ""

    def _pump(self, side):
        """Relays what `side` has; True when that was the 220 to
        STARTTLS (TLS starts now)."""
        other = self._server if side is self._client else self._client
        chunks = []
        while True:
            try:
                data = side.sock.recv(READ)
            except (BlockingIOError, ssl.SSLWantReadError):
                break
            except ConnectionResetError:
                data = b""
            if not data:
                side.open = False
                self._event(("eof " + side.mark, ""))
                # The other side sees the end too: a half close in plain
                # text. TLS has none (a shutdown() would leave the TLS
                # bytes to be read as plaintext), so there the session is
                # over.
                if isinstance(other.sock, ssl.SSLSocket):
                    other.open = False
                    break
                try:
                    other.sock.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                break
            chunks.append(data)
            if not isinstance(side.sock, ssl.SSLSocket) or \
                    not side.sock.pending():
                break
        data = b"".join(chunks)
        if not data:
            return False
        self._record(side, data)
        other.sock.setblocking(True)
        try:
            other.sock.sendall(data)
        finally:
            other.sock.setblocking(False)
        if self._tls_started:
            return False
        if side is self._client:
            self._watch_client(data)
            return False
        return self._reply_to_starttls(data)
