"""Our reference client (smtpspec_send) sends to a real third-party server,
aiosmtpd from Debian, on a loopback port; the message is checked on
aiosmtpd's side (its Maildir handler)."""

import mailbox
import subprocess

from servers import aiosmtpd_server, runfile


def send(port, *args, body=b"Subject: to aiosmtpd\n\nhello\n.dot\n"):
    return subprocess.run(
        [runfile("agents/client/smtpspec_send"), "--server",
         f"127.0.0.1:{port}", "--from", "us@example.org", "--timeout", "10",
         *args], input=body, capture_output=True, timeout=60)


def test_our_client_to_aiosmtpd(tmp_path):
    directory = str(tmp_path / "aiosmtpd")
    with aiosmtpd_server(directory) as port:
        result = send(port, "--to", "them@example.org", "--to",
                      "other@example.org", "--starttls", "opportunistic")
        assert result.returncode == 0, result.stdout + result.stderr
        assert b"delivered 1 of 1" in result.stdout
    messages = list(mailbox.Maildir(directory, create=False))
    assert len(messages) == 1
    message = messages[0]
    assert message["Subject"] == "to aiosmtpd"
    assert message["X-MailFrom"] == "us@example.org"
    assert message["X-RcptTo"] == "them@example.org, other@example.org"
    # Dot-stuffed on the wire (RFC 5321 4.5.2), un-stuffed by aiosmtpd.
    assert message.get_payload() == "hello\n.dot\n"


def test_required_starttls_sends_nothing_without_it(tmp_path):
    directory = str(tmp_path / "aiosmtpd")
    with aiosmtpd_server(directory) as port:
        result = send(port, "--to", "them@example.org", "--starttls",
                      "required")
        assert result.returncode == 1, result.stdout + result.stderr
    assert len(list(mailbox.Maildir(directory, create=False))) == 0
