"""Which cipher suites a server accepts, per protocol version, for
`smtpspec probe`: the enumeration sslscan and nmap's ssl-enum-ciphers do,
one polite handshake at a time (the probe's Budget).

Up to TLS 1.2 the client offers every suite its OpenSSL knows and the
server picks one; that one is struck off and the rest offered again, until
the server refuses them all. So N accepted suites cost N + 1 handshakes,
and the list comes out in the order the server chose them. Python's ssl
module cannot narrow the TLS 1.3 suites, so those (five at most, RFC 8446
B.4) are tried one by one with `openssl s_client -ciphersuites`.
"""

import shutil
import ssl
import subprocess

from runner import probe_tls
from runner.probe_session import ProbeError

# A server with more accepted suites than this per version is unusual; the
# cap keeps a misbehaving one from costing a connection per suite known.
MAX_PER_VERSION = 48

# RFC 8446 B.4, in OpenSSL's names (which are the RFC's).
TLS13_SUITES = ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_AES_128_GCM_SHA256", "TLS_AES_128_CCM_SHA256",
                "TLS_AES_128_CCM_8_SHA256"]

# What RFC 7525 3.1.1 and 4.1 (BCP 195) say a TLS client or server "MUST
# NOT negotiate": NULL, RC4 and export-grade suites, and anonymous ones
# (no authentication); single DES and 3DES are below its 112-bit floor.
# Listed for the reader; the probe's verdicts stay with SMTP's own rules.
_WEAK = ("NULL", "RC4", "EXP", "ADH", "AECDH", "DES-CBC-", "DES-CBC3",
         "3DES", "MD5", "anon")


def weak(name):
    return any(w in name for w in _WEAK)


def _known(version):
    """The suites this OpenSSL can offer for `version` (up to TLS 1.2)."""
    ctx = probe_tls.context(version)
    if ctx is None:
        return []
    return [c["name"] for c in ctx.get_ciphers()
            if c.get("protocol") != "TLSv1.3"]


def _handshake(probe, implicit, version, offered):
    """The suite the server chose from `offered`, or None if it refused
    them all."""
    ctx = probe_tls.context(version)
    try:
        # @SECLEVEL=0: offer the weak ones too, to see whether they are
        # taken.
        ctx.set_ciphers(":".join(offered) + ":@SECLEVEL=0")
    except ssl.SSLError:
        return None
    try:
        sock, _ = probe_tls.handshake(probe, ctx, implicit)
    except ssl.SSLError:
        return None
    cipher = sock.cipher()
    sock.close()
    return cipher[0] if cipher else None


def _up_to_tls12(probe, implicit, version):
    """(accepted suites in the server's order, note or "")."""
    offered = _known(version)
    accepted = []
    while offered:
        if len(accepted) >= MAX_PER_VERSION:
            return accepted, "stopped after %d suites" % MAX_PER_VERSION
        if not probe.budget.before_connection():
            return accepted, "stopped: time budget spent"
        chosen = _handshake(probe, implicit, version, offered)
        if chosen is None or chosen not in offered:
            break
        accepted.append(chosen)
        offered.remove(chosen)
    return accepted, ""


def _tls13(probe, implicit):
    openssl = shutil.which("openssl")
    if not openssl:
        return [], "not enumerated: openssl is not installed"
    host, port = probe.tls_address(implicit)
    accepted = []
    for suite in TLS13_SUITES:
        if not probe.budget.before_connection():
            return accepted, "stopped: time budget spent"
        cmd = [openssl, "s_client", "-connect", "%s:%d" % (host, port),
               "-tls1_3", "-ciphersuites", suite]
        if not implicit:
            cmd += ["-starttls", "smtp", "-name", probe.ehlo_name]
        if probe.server_name:
            cmd += ["-servername", probe.server_name]
        try:
            proc = subprocess.run(cmd, input=b"QUIT\r\n", capture_output=True,
                                  timeout=probe.timeout + 5)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if ("Cipher is " + suite).encode() in proc.stdout:
            accepted.append(suite)
    return accepted, ""


def enumerate_suites(probe, implicit, versions):
    """{version: {"accepted": [...], "weak": [...], "note": ...}} for each
    version `versions` (probe_tls.details's answers) says was accepted."""
    out = {}
    for label, attr in probe_tls.VERSIONS:
        if versions.get(label) != "accepted":
            continue
        try:
            if label == "TLSv1.3":
                accepted, note = _tls13(probe, implicit)
            else:
                accepted, note = _up_to_tls12(probe, implicit, attr)
        except (OSError, ProbeError) as e:
            accepted, note = [], "stopped: %s" % e
        entry = {"accepted": accepted, "weak": [c for c in accepted
                                                if weak(c)]}
        if note:
            entry["note"] = note
        out[label] = entry
    return out
