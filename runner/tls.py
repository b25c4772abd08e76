"""A throw-away certificate, so the reference server can offer STARTTLS.

`run` without --target starts the reference server; with a certificate it
advertises STARTTLS (RFC 3207) and the STARTTLS scenarios run instead of
being skipped. The runner trusts exactly this certificate (--ca). Made
with the openssl command; without it the server simply offers no TLS.
"""

import collections
import os
import shutil
import subprocess

Certificate = collections.namedtuple("Certificate", "certificate key name")

NAME = "localhost"


def self_signed(directory, openssl=None):
    """A certificate for localhost in `directory`, or None."""
    openssl = openssl or shutil.which("openssl")
    if not openssl:
        return None
    cert = os.path.join(directory, "reference-cert.pem")
    key = os.path.join(directory, "reference-key.pem")
    command = [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
               "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
               "-subj", "/CN=" + NAME, "-addext",
               "subjectAltName=DNS:%s,IP:127.0.0.1,IP:::1" % NAME,
               "-keyout", key, "-out", cert]
    try:
        proc = subprocess.run(command, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    return Certificate(cert, key, NAME)
