"""Issue 6: client mode with real clients from Debian. The harness plays
the server; each client sends one message and must pass."""

import shutil
import sys

import pytest

import harness

SCENARIO = harness.testdata("client_send.smtp")
BODY = harness.testdata("body.eml")

CLIENTS = {
    "swaks": "swaks --server {host}:{port} --helo client.smtpspec.test "
             "--from sender@client.smtpspec.test --to postmaster@localhost "
             "--body 'Hello.' --silent 2",
    "curl": "curl -s --url smtp://{host}:{port}/client.smtpspec.test "
            "--mail-from sender@client.smtpspec.test "
            "--mail-rcpt postmaster@localhost --upload-file " + BODY,
    "msmtp": "msmtp --host={host} --port={port} --auth=off --tls=off "
             "--domain=client.smtpspec.test "
             "--from=sender@client.smtpspec.test postmaster@localhost < "
             + BODY,
    "smtplib": sys.executable + " -c \"import smtplib; "
               "s = smtplib.SMTP('{host}', {port}, "
               "local_hostname='client.smtpspec.test'); "
               "s.sendmail('sender@client.smtpspec.test', "
               "['postmaster@localhost'], open('" + BODY + "').read()); "
               "s.quit()\"",
}


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_real_client_passes(client):
    program = client if client != "smtplib" else sys.executable
    if shutil.which(program) is None:
        pytest.fail(program + " is not installed: tools/setup.sh installs it")
    code, results, err = harness.run([SCENARIO], "--client-cmd",
                                     CLIENTS[client], "--timeout", "5s")
    (r,) = results
    assert r["verdict"] == "OK", (r["reason"], r["findings"], err)
    assert code == 0
    sent = "".join(e["data"] for e in r["transcript"] if e["dir"] == "C")
    assert "mail from:<sender@client.smtpspec.test>" in sent.lower()
