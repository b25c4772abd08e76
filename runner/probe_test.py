"""`smtpspec probe` against servers on loopback: the reference server
(conformant and with faults), and a small STARTTLS server that keeps the
plaintext it read before the handshake (CVE-2011-0411). Each run checks the
report's sections and verdicts, and that nothing was delivered."""

import json
import os
import socket
import ssl
import threading

from runner import testing_util as t
from runner import tls
from runner.refserver import ReferenceServer

FAST = ("--delay", "0.01", "--timeout", "5")


def stored(maildir):
    return [f for folder, _, files in os.walk(maildir)
            if os.path.basename(folder) in ("new", "cur") for f in files]


def reference(tmp_path, *faults, implicit=None):
    """The reference server as `run` starts it: the corpus's configuration,
    a maildir, STARTTLS with a throw-away certificate."""
    cert = tls.self_signed(str(tmp_path))
    assert cert, "openssl is needed to make the certificate"
    args = ["--config", os.path.join(t.ROOT, "scenarios",
                                     "reference-target.yaml"),
            "--maildir", str(tmp_path / "md"),
            "--set", "tls.certificate=" + cert.certificate,
            "--set", "tls.key=" + cert.key]
    if faults:
        args += ["--faults", ",".join(faults)]
    if implicit:
        args += ["--set", "tls.implicit_listen=127.0.0.1:%d" % implicit]
    (tmp_path / "md").mkdir(exist_ok=True)
    return ReferenceServer(t.SERVER, args), cert


def probe(address, out, *extra):
    proc = t.smtpspec("probe", address, *FAST, "--json", str(out), *extra,
                      timeout=300)
    report = json.loads(out.read_text()) if out.exists() else None
    return proc, report


def verdicts(report):
    return {c["id"]: c["verdict"] for c in report["checks"]}


def test_the_reference_server_passes_and_gets_no_message(tmp_path):
    implicit = t.free_port()
    server, cert = reference(tmp_path, implicit=implicit)
    with server:
        proc, report = probe(server.address, tmp_path / "p.json",
                             "--ca", cert.certificate,
                             "--server-name", cert.name,
                             "--implicit-tls=%d" % implicit,
                             "--html", str(tmp_path / "p.html"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["schema"] == "smtpspec.probe/1"
    assert report["greeting"]["code"] == 220
    keywords = {k["keyword"]: k["params"]
                for k in report["ehlo"]["parsed"]["keywords"]}
    assert "STARTTLS" in keywords and "PIPELINING" in keywords
    assert report["size"] == {"advertised": True,
                              "limit": int(keywords["SIZE"][0])}
    assert report["pipelining"]["replies"] == [250, 250, 250]
    got = verdicts(report)
    for id_ in ("rfc5321.4.5.1.noop", "rfc5321.4.5.1.rset",
                "rfc5321.4.5.1.vrfy", "rfc5321.4.1.4.rcpt-without-mail",
                "rfc5321.4.1.4.data-without-rcpt",
                "rfc5321.4.5.1.postmaster-at-domain",
                "rfc5321.4.5.3.1.4.command-line-512",
                "rfc5321.4.5.1.helo"):
        assert got[id_] == "OK", (id_, report["checks"])
    assert not [i for i in got if "smuggling" in i]
    starttls = report["starttls"]
    assert starttls["version"].startswith("TLSv1")
    assert starttls["versions"]["TLSv1.2"] == "accepted"
    # OpenSSL's defaults: TLS 1.3's three default suites, and some for 1.2.
    assert "TLS_AES_128_GCM_SHA256" in \
        starttls["ciphers"]["TLSv1.3"]["accepted"], starttls["ciphers"]
    assert starttls["ciphers"]["TLSv1.2"]["accepted"]
    assert starttls["verified"] is True
    assert starttls["name_matches"] is True
    assert starttls["certificate"]["subject"]
    implicit_tls = report["implicit_tls"]
    assert implicit_tls["mode"] == "implicit"
    assert implicit_tls["address"] == "127.0.0.1:%d" % implicit
    assert implicit_tls["version"].startswith("TLSv1")
    assert implicit_tls["verified"] is True
    assert "\nImplicit TLS" in proc.stdout
    [injection] = report["tls_checks"]
    assert injection["verdict"] == "OK", injection
    assert injection["rule"] == "rfc3207/5-no-plaintext-after"
    assert injection["level"] == "MUST"
    for section in ("Greeting", "EHLO", "Minimum implementation",
                    "Size limit", "Pipelining", "STARTTLS", "Timings"):
        assert "\n" + section in proc.stdout, proc.stdout
    assert "nothing was delivered" in proc.stdout
    page = (tmp_path / "p.html").read_text()
    assert '<section id="server">' in page and "EHLO capabilities" in page
    assert "rfc5321.4.5.1.noop" in page
    assert stored(tmp_path / "md") == []


def test_a_faulty_server_fails_under_the_rule(tmp_path):
    server, _ = reference(tmp_path, "rcpt-before-mail", "no-vrfy")
    with server:
        proc, report = probe(server.address, tmp_path / "p.json",
                             "--server-name", "wrong.example")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    got = verdicts(report)
    assert got["rfc5321.4.1.4.rcpt-without-mail"] == "FAILED"
    assert got["rfc5321.4.5.1.noop"] == "OK"
    [check] = [c for c in report["checks"]
               if c["id"] == "rfc5321.4.1.4.rcpt-without-mail"]
    assert check["findings"][0]["level"] == "MUST"
    assert "FAILED" in proc.stdout
    # A certificate for localhost, no CA given: neither verifies.
    assert report["starttls"]["name_matches"] is False
    assert report["starttls"]["verified"] is False
    assert "host name matches: no" in proc.stdout
    assert stored(tmp_path / "md") == []


class InjectableServer:
    """Answers STARTTLS with 220, then, after the handshake, whatever
    commands it had read in plaintext: the CVE-2011-0411 bug. With
    `before_tls`, it answers them in plaintext at once instead."""

    def __init__(self, cert, before_tls=False):
        self.before_tls = before_tls
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.address = "127.0.0.1:%d" % self.sock.getsockname()[1]
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert.certificate, cert.key)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,),
                             daemon=True).start()

    def _session(self, conn):
        # Its own buffer, not conn.makefile(): what a read brought in past
        # the STARTTLS line is exactly what the buggy server keeps.
        buf = b""
        try:
            conn.sendall(b"220 bad.example ESMTP\r\n")
            while True:
                while b"\n" not in buf:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                line, buf = buf.split(b"\n", 1)
                verb = line.strip().upper()[:4]
                if verb in (b"EHLO", b"HELO"):
                    conn.sendall(b"250-bad.example\r\n250 STARTTLS\r\n")
                elif verb == b"STAR" and self.before_tls:
                    conn.sendall(b"220 go ahead\r\n250 ok\r\n")
                    return
                elif verb == b"STAR":
                    conn.sendall(b"220 go ahead\r\n")
                    tls_conn = self.ctx.wrap_socket(conn, server_side=True)
                    for _ in buf.splitlines():
                        tls_conn.sendall(b"250 ok\r\n")
                    tls_conn.recv(1024)
                    return
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")
        except (OSError, ssl.SSLError):
            return
        finally:
            conn.close()

    def close(self):
        self.sock.close()


def test_the_starttls_injection_is_a_must_failure(tmp_path):
    cert = tls.self_signed(str(tmp_path))
    server = InjectableServer(cert)
    try:
        proc, report = probe(server.address, tmp_path / "p.json",
                             "--budget", "60")
    finally:
        server.close()
    [injection] = report["tls_checks"]
    assert injection["verdict"] == "FAILED", injection
    assert injection["level"] == "MUST"
    assert "250 ok" in injection["reason"]
    assert proc.returncode == 1
    assert "FAILED        STARTTLS command injection" in proc.stdout


def test_a_plaintext_answer_before_the_handshake_is_inconclusive(tmp_path):
    # The probe broke RFC 3207 4 by sending NOOP after STARTTLS; a server
    # that answers it before TLS is not shown to carry it into TLS.
    cert = tls.self_signed(str(tmp_path))
    server = InjectableServer(cert, before_tls=True)
    try:
        proc, report = probe(server.address, tmp_path / "p.json",
                             "--budget", "60")
    finally:
        server.close()
    [injection] = report["tls_checks"]
    assert injection["verdict"] == "INCONCLUSIVE", injection
    assert "before the handshake" in injection["reason"]


def test_deliver_runs_the_delivering_checks_only_when_asked(tmp_path):
    server, _ = reference(tmp_path)
    with server:
        refused = t.smtpspec("probe", server.address, "--deliver", *FAST)
        assert refused.returncode == 2
        assert refused.stderr.startswith("smtpspec: --deliver sends "
                                         "messages"), refused.stderr
        assert stored(tmp_path / "md") == []
        proc, report = probe(server.address, tmp_path / "p.json",
                             "--deliver", "--yes", "--budget", "200")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [i for i in verdicts(report) if "smuggling" in i]
    assert stored(tmp_path / "md") != []


def test_bad_flags_are_one_line_and_exit_2():
    for args in (["probe"], ["probe", "127.0.0.1:notaport"],
                 ["probe", "127.0.0.1:1", "--delay", "-1"],
                 ["probe", "127.0.0.1:%d" % t.free_port()]):
        proc = t.smtpspec(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1, (args, proc.stderr)
        assert proc.stderr.startswith("smtpspec: "), proc.stderr


def test_the_accepted_cipher_suites_are_listed_in_the_servers_order(
        tmp_path):
    # TLS 1.2 only, two suites, the server's preference deciding: N + 1
    # handshakes find both, in that order, and nothing for TLS 1.3.
    cert = tls.self_signed(str(tmp_path))
    server = InjectableServer(cert)
    server.ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    server.ctx.set_ciphers("ECDHE-ECDSA-AES256-SHA:"
                           "ECDHE-ECDSA-AES128-GCM-SHA256")
    server.ctx.options |= ssl.OP_CIPHER_SERVER_PREFERENCE
    try:
        proc, report = probe(server.address, tmp_path / "p.json",
                             "--budget", "120")
    finally:
        server.close()
    starttls = report["starttls"]
    assert starttls["versions"]["TLSv1.2"] == "accepted"
    assert starttls["versions"]["TLSv1.3"].startswith("refused")
    assert starttls["ciphers"] == {"TLSv1.2": {
        "accepted": ["ECDHE-ECDSA-AES256-SHA",
                     "ECDHE-ECDSA-AES128-GCM-SHA256"], "weak": []}}
    assert ("2 suites, in the order the server chose them: "
            "ECDHE-ECDSA-AES256-SHA, ECDHE-ECDSA-AES128-GCM-SHA256"
            in proc.stdout), proc.stdout


def test_no_ciphers_skips_the_enumeration(tmp_path):
    server, _ = reference(tmp_path)
    with server:
        proc, report = probe(server.address, tmp_path / "p.json",
                             "--no-ciphers")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["starttls"]["versions"]["TLSv1.2"] == "accepted"
    assert "ciphers" not in report["starttls"]
