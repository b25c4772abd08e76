"""The reference server as a child process: the default target of `run`.

It listens on a free loopback port (port 0, so parallel runs and Bazel
test shards never collide) and prints `listening HOST:PORT` first; the
runner reads that line, runs against the address, and stops the server
by PID when done, on error, and on Ctrl-C.
"""

import os
import select
import subprocess
import tempfile
import threading
import time

from runner import processes
from runner.errors import Fatal

STARTUP_SECONDS = 20.0


class ReferenceServer:
    """Runs smtpspec_server; use as a context manager.

        with ReferenceServer(binary, ["--discard"]) as server:
            connect(server.address)
    """

    def __init__(self, binary, args=(), listen="127.0.0.1:0", quiet=True,
                 echo=None):
        self._command = [binary, "--listen", listen, *args]
        self._proc = None
        # Quiet: stderr goes to a file (a pipe nobody reads could fill up
        # and stall the server), read back only to say why it exited.
        self._stderr = tempfile.TemporaryFile() if quiet else None
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
                stdout=subprocess.PIPE, stderr=self._stderr)
        except OSError as e:
            raise Fatal("cannot start the reference server %s: %s" %
                        (self._command[0], e.strerror or e))
        try:
            self.address = self._read_address()
        except BaseException:
            self.stop()
            raise
        threading.Thread(target=self._drain, daemon=True).start()
        return self

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
                raise Fatal("the reference server exited: %s" %
                            self._stderr_line())
            line += chunk
        words = line.decode("utf-8", "replace").split()
        if len(words) != 2 or words[0] != "listening":
            raise Fatal("the reference server said %r, not 'listening "
                        "HOST:PORT'" % line.decode("utf-8", "replace"))
        return words[1]

    def _stderr_line(self):
        text = ""
        try:
            self._proc.wait(timeout=2)
            if self._stderr:
                self._stderr.seek(0)
                text = self._stderr.read().decode("utf-8", "replace")
        except (subprocess.TimeoutExpired, OSError):
            pass
        lines = [l for l in text.splitlines() if l.strip()]
        return lines[-1] if lines else "exit status %s" % self._proc.returncode

    def wait(self):
        """Waits in the foreground (`smtpspec serve`); the exit status."""
        return self._proc.wait()

    def stop(self):
        processes.stop(self._proc)
        if self._proc and self._proc.stdout:
            self._proc.stdout.close()
        if self._stderr:
            self._stderr.close()
            self._stderr = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False
