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
