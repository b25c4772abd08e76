"""Child processes the runner starts, and how it stops them.

Every process is stopped by its own PID, never by name: SIGTERM, a short
wait, then SIGKILL. The runner turns SIGTERM into KeyboardInterrupt so that
the same clean-up runs whether the user pressed Ctrl-C or CI cancelled
the job.
"""

import signal
import subprocess


def stop(proc, grace=5.0):
    """Stops `proc` (a subprocess.Popen) and reaps it; safe to call twice."""
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    except ProcessLookupError:
        pass


def exit_reason(returncode):
    """How a child ended, for a one-line error: "exited with status 3", or
    "was killed by SIGKILL" (subprocess's negative returncode), never the
    number the shell would make of a signal (137, 250)."""
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = "signal %d" % -returncode
        return "was killed by %s" % name
    return "exited with status %s" % returncode


def _interrupt(signum, frame):
    raise KeyboardInterrupt()


def interrupt_on_sigterm():
    """SIGTERM raises KeyboardInterrupt in the main thread (see above)."""
    signal.signal(signal.SIGTERM, _interrupt)
