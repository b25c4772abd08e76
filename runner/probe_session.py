"""A small, polite SMTP client for `smtpspec probe`: one connection at a
time, a delay between connections, a global time budget, and never a
completed mail transaction (it has no DATA at all)."""

import socket
import time

from runner.errors import Fatal


def parse_address(text, default_port=25):
    """(host, port) from HOST, HOST:PORT, [V6] or [V6]:PORT."""
    text = text.strip()
    host, port = text, default_port
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise Fatal("%s: an IPv6 address is written [ADDRESS]:PORT" % text)
        host, rest = text[1:end], text[end + 1:]
        if rest:
            if not rest.startswith(":"):
                raise Fatal("%s: expected :PORT after ]" % text)
            port = rest[1:]
    elif text.count(":") == 1:
        host, port = text.split(":")
    if not host:
        raise Fatal("%s: no host" % text)
    try:
        port = int(port)
    except ValueError:
        raise Fatal("%s: the port must be a number" % text)
    if not 0 < port < 65536:
        raise Fatal("%s: the port must be 1 to 65535" % text)
    return host, port


def address_text(host, port):
    return "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)


class Budget:
    """The probe's politeness: a delay before every connection but the
    first, and a global time budget."""

    def __init__(self, delay, budget):
        self.delay = delay
        self.budget = budget
        self._start = time.monotonic()
        self._connections = 0

    def left(self):
        return self.budget - (time.monotonic() - self._start)

    def spent(self):
        return self.left() <= 0

    def before_connection(self):
        """Waits the delay; False when the budget is spent."""
        if self._connections:
            time.sleep(min(self.delay, max(self.left(), 0)))
        self._connections += 1
        return not self.spent()

    @property
    def connections(self):
        return self._connections


class ProbeError(Exception):
    """A connection failed or the server said something unreadable."""


class Session:
    """One SMTP connection, with the time of each exchange."""

    def __init__(self, host, port, timeout):
        self.timings = {}
        self._buf = b""
        start = time.monotonic()
        try:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        except OSError as e:
            raise ProbeError("cannot connect to %s: %s" % (
                address_text(host, port), e.strerror or e))
        self.timings["connect_ms"] = _ms(start)
        self.timeout = timeout

    def read_reply(self):
        """(code, [text lines], raw bytes) of the next reply."""
        lines, raw = [], b""
        while True:
            line = self._line()
            raw += line
            text = line.rstrip(b"\r\n").decode("utf-8", "replace")
            if len(text) < 3 or not text[:3].isdigit():
                raise ProbeError("not a reply line: %.80r" % text)
            lines.append(text[4:])
            if len(text) == 3 or text[3] != "-":
                return int(text[:3]), lines, raw

    def _line(self):
        while b"\n" not in self._buf:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                raise ProbeError("no reply within %g s" % self.timeout)
            except OSError as e:
                raise ProbeError("connection error: %s" % (e.strerror or e))
            if not data:
                raise ProbeError("the server closed the connection")
            self._buf += data
        line, _, self._buf = self._buf.partition(b"\n")
        return line + b"\n"

    def pending(self):
        return self._buf

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        try:
            self.sock.sendall(data)
        except OSError as e:
            raise ProbeError("cannot send: %s" % (e.strerror or e))

    def command(self, line, timing=None):
        start = time.monotonic()
        self.send(line + "\r\n")
        reply = self.read_reply()
        if timing:
            self.timings[timing] = _ms(start)
        return reply

    def greeting(self):
        start = time.monotonic()
        reply = self.read_reply()
        self.timings["greeting_ms"] = _ms(start)
        return reply

    def quit(self):
        try:
            self.command("QUIT")
        except ProbeError:
            pass
        self.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def _ms(start):
    return round((time.monotonic() - start) * 1000, 1)
