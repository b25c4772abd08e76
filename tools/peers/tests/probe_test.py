"""`smtpspec probe` against each real server on loopback (docs/peers.md):
a full report (greeting, EHLO capabilities, the minimum-implementation
checks with verdicts, timings), and the server's maildirs show that
nothing was delivered (issue 15: the probe is safe by default)."""

import json
import os
import subprocess
import time

import pytest

import peer_instance
from runner import testing_util as t
from runner import tls

HERE = os.path.dirname(os.path.realpath(__file__))
PEERS = os.path.dirname(HERE)
SERVERS = ["postfix", "exim", "opensmtpd", "aiosmtpd"]
VERDICTS = {"OK", "NON-STRICT", "FAILED", "INCONCLUSIVE", "SKIPPED"}


def stored(root):
    return [os.path.join(folder, f) for folder, _, files in os.walk(root)
            if os.path.basename(folder) in ("new", "cur") for f in files]


instance = peer_instance.instance


@pytest.mark.parametrize("name", SERVERS)
def test_probe_reports_and_delivers_nothing(name, instance, tmp_path):
    script = os.path.join(PEERS, name + ".sh")
    port = t.free_port()
    env = dict(os.environ, PEER_PORT=str(port), PEER_DIR=instance)
    started = subprocess.run([script, "start"], env=env, capture_output=True,
                             text=True, timeout=300)
    out = tmp_path / "probe.json"
    try:
        assert started.returncode == 0, started.stderr
        proc = t.smtpspec("probe", "127.0.0.1:%d" % port, "--domain",
                          "smtpspec.test", "--delay", "0.01", "--timeout",
                          "10", "--json", str(out), timeout=300)
        # Nothing arrives late either: a server may deliver after its 250.
        time.sleep(2)
        leftovers = stored(instance)
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True,
                       timeout=60)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    report = json.loads(out.read_text())
    assert report["greeting"]["code"] == 220
    assert report["ehlo"]["code"] == 250
    assert report["ehlo"]["parsed"]["keywords"], report["ehlo"]
    got = {c["id"]: c["verdict"] for c in report["checks"]}
    assert set(got.values()) <= VERDICTS
    for id_ in ("rfc5321.4.5.1.noop", "rfc5321.4.5.1.rset",
                "rfc5321.4.1.4.rcpt-without-mail",
                "rfc5321.4.5.1.postmaster-at-domain"):
        assert got[id_] == "OK", (name, id_, report["checks"])
    assert "rfc5321.4.5.1.vrfy" in got
    assert not [i for i in got if "smuggling" in i]
    assert report["not_run"] == []
    for section in ("Greeting", "EHLO", "Minimum implementation",
                    "Pipelining", "Timings"):
        assert "\n" + section in proc.stdout, proc.stdout
    assert leftovers == [], leftovers


@pytest.mark.parametrize("name", SERVERS)
def test_probe_starttls_details_and_injection(name, instance, tmp_path):
    # The same servers with STARTTLS offered (a certificate made now,
    # lib.sh tls_files): the TLS section is filled in from a real
    # handshake, and none of them carries plaintext read before the
    # handshake into the TLS session (RFC 3207 6, CVE-2011-0411).
    cert = tls.self_signed(str(tmp_path))
    assert cert, "openssl is needed to make the certificate"
    script = os.path.join(PEERS, name + ".sh")
    port = t.free_port()
    env = dict(os.environ, PEER_PORT=str(port), PEER_DIR=instance,
               PEER_TLS_CERT=cert.certificate, PEER_TLS_KEY=cert.key)
    started = subprocess.run([script, "start"], env=env, capture_output=True,
                             text=True, timeout=300)
    out = tmp_path / "probe.json"
    try:
        assert started.returncode == 0, started.stderr
        proc = t.smtpspec("probe", "127.0.0.1:%d" % port, "--domain",
                          "smtpspec.test", "--delay", "0.01", "--timeout",
                          "10", "--ca", cert.certificate, "--json", str(out),
                          timeout=300)
        time.sleep(1)
        leftovers = stored(instance)
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True,
                       timeout=60)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    report = json.loads(out.read_text())
    starttls = report["starttls"]
    [injection] = report["tls_checks"]
    if name == "opensmtpd":
        # Debian 12's OpenSMTPD 6.8.0p2 cannot finish a handshake with
        # OpenSSL 3 (OpenSMTPD issues 1171 and 1239; docs/peers.md): the
        # probe says the handshake failed, and the injection check, which
        # needs one, is INCONCLUSIVE rather than a failure.
        assert "internal error" in starttls["error"], starttls
        assert injection["verdict"] == "INCONCLUSIVE", injection
        assert "handshake failed: " in proc.stdout
        assert leftovers == [], leftovers
        return
    assert starttls and "error" not in starttls, (name, starttls)
    assert starttls["version"] in ("TLSv1.2", "TLSv1.3"), starttls
    accepted = [v for v, what in starttls["versions"].items()
                if what == "accepted"]
    assert starttls["version"] in accepted, starttls["versions"]
    for version in accepted:
        assert starttls["ciphers"][version]["accepted"], (name, starttls)
    assert starttls["certificate"]["subject"] == "commonName=localhost"
    assert starttls["verified"] is True, starttls
    assert injection["verdict"] == "OK", (name, injection)
    assert "\nSTARTTLS" in proc.stdout
    assert leftovers == [], leftovers
