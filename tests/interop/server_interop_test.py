"""Third-party clients from Debian send to our reference server (issue 5):
Python's smtplib (plain, pipelined and STARTTLS, RFC 3207), swaks and
msmtp (plain and STARTTLS). Each message is checked in the maildir sink,
envelope and bytes."""

import smtplib
import ssl
import subprocess

from servers import make_certificate, read_maildir, reference_server

BODY = "Subject: interop\r\n\r\nline one\r\n.starts with a dot\r\n"


def only_message(maildir):
    stored = read_maildir(maildir)
    assert len(stored) == 1, stored
    return stored[0]


def tls_server_args(tmp_path):
    """A test certificate, a maildir, and the server flags for both."""
    cert, key = make_certificate(str(tmp_path))
    maildir = str(tmp_path / "md")
    return cert, maildir, ["--maildir", maildir, "--set",
                           f"tls.certificate={cert}", "--set",
                           f"tls.key={key}"]


def test_smtplib(tmp_path):
    maildir = str(tmp_path / "md")
    with reference_server("--maildir", maildir) as (_, host, port):
        with smtplib.SMTP(host, port, timeout=10) as smtp:
            assert smtp.ehlo()[0] == 250
            assert smtp.has_extn("pipelining")
            refused = smtp.sendmail("a@example.org",
                                    ["b@example.org", "c@example.org"], BODY)
            assert refused == {}
            assert smtp.noop()[0] == 250
        envelope, data = only_message(maildir)
    assert envelope["mail_from"] == "a@example.org"
    assert envelope["rcpt_to"] == ["b@example.org", "c@example.org"]
    assert envelope["tls"] is False
    assert data == BODY.encode()


def test_smtplib_starttls(tmp_path):
    cert, maildir, args = tls_server_args(tmp_path)
    with reference_server(*args) as (_, host, port):
        context = ssl.create_default_context(cafile=cert)
        with smtplib.SMTP(host, port, timeout=10) as smtp:
            smtp.ehlo()
            assert smtp.has_extn("starttls")
            assert smtp.starttls(context=context)[0] == 220
            smtp.ehlo()
            assert not smtp.has_extn("starttls")  # RFC 3207 4.2
            smtp.sendmail("a@example.org", ["b@example.org"], BODY)
        envelope, data = only_message(maildir)
    assert envelope["tls"] is True
    assert data == BODY.encode()


def test_swaks(tmp_path):
    maildir = str(tmp_path / "md")
    with reference_server("--maildir", maildir) as (_, host, port):
        result = subprocess.run(
            ["swaks", "--server", f"{host}:{port}", "--from", "s@example.org",
             "--to", "t@example.org", "--header", "Subject: swaks",
             "--body", "from swaks", "--timeout", "10"],
            capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stdout + result.stderr
        envelope, data = only_message(maildir)
    assert envelope["mail_from"] == "s@example.org"
    assert envelope["rcpt_to"] == ["t@example.org"]
    assert b"Subject: swaks\r\n" in data
    assert b"from swaks\r\n" in data


def test_swaks_starttls(tmp_path):
    # swaks --tls needs Net::SSLeay (libnet-ssleay-perl, tools/setup.sh).
    _, maildir, args = tls_server_args(tmp_path)
    with reference_server(*args) as (_, host, port):
        result = subprocess.run(
            ["swaks", "--server", f"{host}:{port}", "--tls", "--from",
             "s@example.org", "--to", "t@example.org", "--body",
             "over tls", "--timeout", "10"],
            capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "STARTTLS" in result.stdout
        envelope, data = only_message(maildir)
    assert envelope["tls"] is True
    assert b"over tls\r\n" in data


def run_msmtp(host, port, *tls_args):
    return subprocess.run(
        ["msmtp", f"--host={host}", f"--port={port}",
         "--from=m@example.org", "--auth=off", *tls_args, "n@example.org"],
        input=b"Subject: msmtp\n\nfrom msmtp\n", capture_output=True,
        timeout=30)


def test_msmtp(tmp_path):
    maildir = str(tmp_path / "md")
    with reference_server("--maildir", maildir) as (_, host, port):
        result = run_msmtp(host, port, "--tls=off")
        assert result.returncode == 0, result.stderr
        envelope, data = only_message(maildir)
    assert envelope["rcpt_to"] == ["n@example.org"]
    # msmtp adds a From: header; the rest arrives with CRLF line ends.
    assert data.endswith(b"Subject: msmtp\r\n\r\nfrom msmtp\r\n"), data


def test_msmtp_starttls(tmp_path):
    cert, maildir, args = tls_server_args(tmp_path)
    with reference_server(*args) as (_, host, port):
        result = run_msmtp("localhost" if host == "127.0.0.1" else host,
                           port, "--tls=on", "--tls-starttls=on",
                           f"--tls-trust-file={cert}")
        assert result.returncode == 0, result.stderr
        envelope, _ = only_message(maildir)
    assert envelope["tls"] is True
