"""Headless Chromium for the HTML report: DOM dumps and screenshots.

Used by the tests (does the page render, does filtering work) and by
`python3 -m reports screenshot` (the picture in docs/reports.md). Every
run gets a new, empty profile, and the flags keep Chromium from calling
home: the page itself loads nothing.
"""

import os
import shutil
import subprocess
import tempfile
import urllib.parse

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions",
         "--hide-scrollbars", "--mute-audio")


def find():
    """The Chromium binary (Debian `chromium`), or None when absent."""
    for path in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if path and os.access(path, os.X_OK):
            return path
    return None


def url(path, fragment=""):
    """file:// URL of a local file, with an optional #fragment."""
    out = "file://" + urllib.parse.quote(os.path.abspath(path))
    if fragment:
        out += "#" + urllib.parse.quote(fragment, safe="=&,:")
    return out


def run(args, timeout=90):
    """Runs Chromium with FLAGS, a fresh profile and `args`.

    Returns (exit code, stdout); exit code -1 means it did not finish in
    time or could not start, and stdout then says why.
    """
    binary = find()
    if binary is None:
        return -1, "chromium is not installed (Debian package: chromium)"
    profile = tempfile.mkdtemp(prefix="smtpspec-chromium-")
    env = dict(os.environ, HOME=profile)
    try:
        proc = subprocess.run(
            [binary] + list(FLAGS) + ["--user-data-dir=" + profile] + args,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL, env=env, timeout=timeout, check=False)
        return proc.returncode, proc.stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired) as e:
        return -1, "chromium failed: %s" % e
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def dump_dom(path, fragment=""):
    """(exit code, the DOM after the page's script ran, serialised).

    The report's script runs while the page is parsed, but it unpacks
    the bodies of closed cards (reports/html_pack.py) asynchronously: the
    virtual time budget lets those tasks finish before the dump (headless
    Chromium runs virtual time fast when the page is idle, so this waits
    only as long as the work takes).
    """
    return run(["--virtual-time-budget=5000", "--dump-dom",
                url(path, fragment)])


def screenshot(path, png, fragment="", width=1280, height=1600):
    """Writes a PNG of the page; returns "" or a reason it failed."""
    code, out = run(["--window-size=%d,%d" % (width, height),
                     "--screenshot=" + os.path.abspath(png),
                     url(path, fragment)])
    if code != 0 or not os.path.exists(png):
        return "no screenshot (exit %d): %s" % (code, out.strip()[:200])
    return ""
