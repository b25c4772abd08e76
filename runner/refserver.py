"""The reference server as a child process: the default target of `run`.

It listens on a free loopback port (port 0, so parallel runs and Bazel
test shards never collide) and prints `listening HOST:PORT` first; the
runner reads that line, runs against the address, and stops the server
by PID when done, on error, and on Ctrl-C.
"""

import collections
import os
import select
import sys
import subprocess
import threading
import time

from runner import processes
from runner.errors import Fatal

STARTUP_SECONDS = 20.0
# How the binary starts its lines on stderr; the user reads them as
# smtpspec's ("smtpspec: warning: ...").
_PREFIX = "smtpspec_server: "


def _own(line):
    return line[len(_PREFIX):] if line.startswith(_PREFIX) else line


def _say(line):
    print("smtpspec: " + line, file=sys.stderr, flush=True)


class ReferenceServer:
    """Runs smtpspec_server; use as a context manager.

        with ReferenceServer(binary, ["--discard"]) as server:
            connect(server.address)
    """

    def __init__(self, binary, args=(), listen="127.0.0.1:0", quiet=True,
                 echo=None):
        # listen=None: where the configuration says (`serve --config`).
        self._command = [binary, *(["--listen", listen] if listen else []),
                         *args]
        self._proc = None
        # What the server says on stderr is always read (a pipe nobody
        # reads could fill up and stall it): kept to say why it did not
        # start, and, unless quiet, shown once it has started, as
        # smtpspec's own lines ("smtpspec: warning: ...").
        self._quiet = quiet
        self._errors = collections.deque(maxlen=50)
        self._errors_lock = threading.Lock()
        self._errors_done = threading.Event()
        self._live = False
        self.address = ""
        # Where stdout after the first line goes (a file object or None);
        # it is always read, so the server never blocks on a full pipe.
        self._echo = echo

    @property
    def pid(self):
        return self._proc.pid if self._proc else None

    def start(self):
        try:
            self._proc = subprocess.Popen(
                self._command, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as e:
            raise Fatal("cannot start the reference server %s: %s" %
                        (self._command[0], e.strerror or e))
        threading.Thread(target=self._drain_errors, daemon=True).start()
        try:
            self.address = self._read_address()
        except BaseException:
            self.stop()
            raise
        with self._errors_lock:
            self._live = True
            if not self._quiet:
                for line in self._errors:
                    _say(line)
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _drain_errors(self):
        try:
            for raw in self._proc.stderr:
                line = _own(raw.decode("utf-8", "replace").rstrip("\r\n"))
                if not line.strip():
                    continue
                with self._errors_lock:
                    self._errors.append(line)
                    if self._live and not self._quiet:
                        _say(line)
        except (OSError, ValueError):
            pass
        finally:
            self._errors_done.set()

    def _drain(self):
        fd = self._proc.stdout.fileno()
        try:
            while True:
                chunk = os.read(fd, 65536)
                if not chunk:
                    return
                if self._echo:
                    self._echo.write(chunk.decode("utf-8", "replace"))
                    self._echo.flush()
        except (OSError, ValueError):
            return

    def _read_address(self):
        """The address from the first stdout line, within STARTUP_SECONDS."""
        deadline = time.monotonic() + STARTUP_SECONDS
        line = b""
        fd = self._proc.stdout.fileno()
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                raise Fatal("the reference server did not start within "
                            "%d s" % STARTUP_SECONDS)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1)
            if not chunk:
                raise Fatal("the reference server did not start: %s" %
                            self._stderr_line())
            line += chunk
        words = line.decode("utf-8", "replace").split()
        if len(words) != 2 or words[0] != "listening":
            raise Fatal("the reference server said %r, not 'listening "
                        "HOST:PORT'" % line.decode("utf-8", "replace"))
        return words[1]

    def _stderr_line(self):
        """Why the server did not start: its last line on stderr but the
        usage line, or how it ended."""
        try:
            self._proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        self._errors_done.wait(timeout=2)
        with self._errors_lock:
            lines = [l for l in self._errors if not l.startswith("usage:")]
        if lines:
            return lines[-1]
        return processes.exit_reason(self._proc.returncode)

    def wait(self):
        """Waits in the foreground (`smtpspec serve`); the exit status."""
        return self._proc.wait()

    def stop(self):
        processes.stop(self._proc)
        if self._proc:
            for pipe in (self._proc.stdout, self._proc.stderr):
                if pipe:
                    pipe.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False
