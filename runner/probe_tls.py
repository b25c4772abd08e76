"""STARTTLS and implicit TLS details for `smtpspec probe`, with Python's
ssl module (and `openssl s_client` for the chain and OCSP stapling, when
it is installed): each handshake is one polite connection (Budget)."""

import datetime
import shutil
import socket
import ssl
import subprocess
import time

from runner.probe_session import ProbeError, Session

VERSIONS = [("TLSv1", "TLSv1"), ("TLSv1.1", "TLSv1_1"),
            ("TLSv1.2", "TLSv1_2"), ("TLSv1.3", "TLSv1_3")]

INJECTION_RULE = "rfc3207/5-no-plaintext-after"


def context(version=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    except ssl.SSLError:
        pass
    if version:
        v = getattr(ssl.TLSVersion, version)
        try:
            ctx.minimum_version = v
            ctx.maximum_version = v
        except (ValueError, ssl.SSLError):
            return None
    return ctx


def _starttls(probe, session):
    """EHLO, STARTTLS on a fresh session; the plaintext socket, ready for
    the handshake."""
    probe.greet(session)
    code, lines, _ = session.command("STARTTLS", "starttls_ms")
    if code != 220:
        raise ProbeError("STARTTLS got %d %s" % (code, " ".join(lines)))
    if session.pending():
        raise ProbeError("bytes after the 220 to STARTTLS, before the "
                         "handshake")
    return session.sock


def handshake(probe, ctx, implicit):
    """(ssl socket, handshake ms) on a new connection."""
    host, port = probe.tls_address(implicit)
    if implicit:
        raw = socket.create_connection((host, port), timeout=probe.timeout)
    else:
        raw = _starttls(probe, Session(host, port, probe.timeout))
    start = time.monotonic()
    wrapped = ctx.wrap_socket(raw, server_hostname=probe.server_name)
    return wrapped, round((time.monotonic() - start) * 1000, 1)


def _cert_summary(cert):
    def name(seq):
        return ", ".join("%s=%s" % kv for rdn in seq for kv in rdn)
    out = {"subject": name(cert.get("subject", ())),
           "issuer": name(cert.get("issuer", ())),
           "not_before": cert.get("notBefore", ""),
           "not_after": cert.get("notAfter", ""),
           "names": [v for k, v in cert.get("subjectAltName", ())
                     if k == "DNS"]}
    try:
        expires = ssl.cert_time_to_seconds(out["not_after"])
        out["days_left"] = int((expires - time.time()) // 86400)
        out["expired"] = expires < time.time()
    except (ValueError, TypeError):
        pass
    return out


def _verify(probe, implicit, ca):
    """Whether the chain verifies (against CA or the system's CAs); the
    reason when not. The name is matched against the certificate's names
    apart (_decode), so that each answer stands on its own."""
    ctx = ssl.create_default_context(cafile=ca)
    ctx.check_hostname = False
    try:
        sock, _ = handshake(probe, ctx, implicit)
    except ssl.SSLCertVerificationError as e:
        return False, e.verify_message or str(e)
    except (ssl.SSLError, OSError, ProbeError) as e:
        return False, str(e)
    sock.close()
    return True, ""


def _openssl_chain(probe, implicit):
    """The chain (subject, issuer per certificate) and OCSP stapling, from
    `openssl s_client`; None without openssl."""
    openssl = shutil.which("openssl")
    if not openssl:
        return None
    host, port = probe.tls_address(implicit)
    cmd = [openssl, "s_client", "-connect", "%s:%d" % (host, port),
           "-showcerts", "-status"]
    if not implicit:
        cmd += ["-starttls", "smtp", "-name", probe.ehlo_name]
    if probe.server_name:
        cmd += ["-servername", probe.server_name]
    try:
        proc = subprocess.run(cmd, input=b"QUIT\r\n", capture_output=True,
                              timeout=probe.timeout + 5)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = proc.stdout.decode("utf-8", "replace")
    chain = []
    for line in text.splitlines():
        line = line.strip()
        if line[:1].isdigit() and " s:" in line:
            chain.append({"subject": line.split(" s:", 1)[1]})
        elif line.startswith("i:") and chain:
            chain[-1]["issuer"] = line[2:]
    ocsp = ("stapled" if "OCSP Response Status: successful" in text
            else "not stapled" if "OCSP response: no response sent" in text
            else "unknown")
    return {"chain": chain, "ocsp": ocsp}


def details(probe, implicit=False):
    """The TLS section: versions, cipher, certificate, verification."""
    out = {"mode": "implicit" if implicit else "starttls",
           "address": "%s:%d" % probe.tls_address(implicit)}
    try:
        sock, ms = handshake(probe, context(), implicit)
    except (ssl.SSLError, OSError, ProbeError) as e:
        out["error"] = str(e)
        return out
    out["handshake_ms"] = ms
    out["version"] = sock.version()
    cipher = sock.cipher()
    out["cipher"] = {"name": cipher[0], "protocol": cipher[1],
                     "bits": cipher[2]} if cipher else None
    der = sock.getpeercert(binary_form=True)
    sock.close()
    out["certificate"] = _decode(der, probe) if der else None
    versions = {}
    for label, attr in VERSIONS:
        if not probe.budget.before_connection():
            versions[label] = "not tried (time budget spent)"
            continue
        ctx = context(attr)
        if ctx is None:
            versions[label] = "not tried (this OpenSSL cannot offer it)"
            continue
        try:
            s, _ = handshake(probe, ctx, implicit)
            s.close()
            versions[label] = "accepted"
        except (ssl.SSLError, OSError, ProbeError) as e:
            versions[label] = "refused (%s)" % (
                getattr(e, "reason", None) or e)
    out["versions"] = versions
    if probe.budget.before_connection():
        ok, why = _verify(probe, implicit, probe.ca)
        out["verified"] = ok
        if why:
            out["verify_error"] = why
    cert = out.get("certificate") or {}
    out["name_matches"] = cert.get("name_in_certificate")
    if probe.budget.before_connection():
        chain = _openssl_chain(probe, implicit)
        if chain:
            out.update(chain)
    return out


def _decode(der, probe):
    """The leaf certificate's fields (the ssl module decodes only a file)."""
    import os
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".pem",
                                     delete=False) as f:
        f.write(ssl.DER_cert_to_PEM_cert(der))
    try:
        cert = ssl._ssl._test_decode_cert(f.name)  # noqa: SLF001
    except (AttributeError, ssl.SSLError, ValueError):
        return {}
    finally:
        os.unlink(f.name)
    out = _cert_summary(cert)
    if probe.server_name:
        # RFC 6125 6.4: the DNS names of subjectAltName; the common name
        # only when there are none.
        names = out.get("names") or [
            v for rdn in cert.get("subject", ()) for k, v in rdn
            if k == "commonName"]
        out["name"] = probe.server_name
        out["name_in_certificate"] = any(
            _name_matches(n, probe.server_name) for n in names)
    return out


def _name_matches(pattern, name):
    pattern, name = pattern.lower(), name.lower()
    if pattern.startswith("*."):
        return name.split(".", 1)[-1] == pattern[2:] and "." in name
    return pattern == name


def injection(probe, rules):
    """STARTTLS\\r\\nNOOP\\r\\n in one segment: a reply to the NOOP after
    the handshake means the server kept plaintext it read before TLS
    (RFC 3207 6, CVE-2011-0411): a MUST failure."""
    rule = rules.get(INJECTION_RULE)
    check = {"check": "starttls-injection", "rule": INJECTION_RULE,
             "level": rule.level if rule else "MUST",
             "rfc": rule.rfc if rule else "RFC 3207 6",
             "sentence": rule.sentence if rule else ""}
    host, port = probe.tls_address(False)
    try:
        session = Session(host, port, probe.timeout)
        probe.greet(session)
        session.send("STARTTLS\r\nNOOP\r\n")
        code, lines, _ = session.read_reply()
        if code != 220:
            check.update(verdict="INCONCLUSIVE", reason="STARTTLS got %d %s"
                         % (code, " ".join(lines)))
            return check
        if session.pending():
            # Answered before TLS began: the client broke RFC 3207 4 here
            # ("MUST start the TLS negotiation before giving any other SMTP
            # commands"), and nothing says how a server must treat that; no
            # handshake can follow, so whether plaintext reaches the TLS
            # session cannot be told.
            check.update(verdict="INCONCLUSIVE", reason="the server "
                         "answered the NOOP in plaintext, before the "
                         "handshake (%.60r), so no handshake could follow" %
                         session.pending())
            return check
        sock = context().wrap_socket(session.sock,
                                      server_hostname=probe.server_name)
        sock.settimeout(min(2.0, probe.timeout))
        try:
            data = sock.recv(4096)
        except (socket.timeout, ssl.SSLError, OSError):
            data = b""
        if data:
            check.update(verdict="FAILED", reason="after the handshake, the "
                         "server answered the NOOP sent in plaintext: %.80r"
                         % data)
        else:
            check.update(verdict="OK", reason="nothing came after the "
                         "handshake: the plaintext NOOP was discarded")
        sock.close()
    except (ssl.SSLError, OSError, ProbeError) as e:
        check.update(verdict="INCONCLUSIVE", reason=str(e))
    return check


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
