"""Client command templates as the runner passes them (runner/clients.py);
filling them in is smtpspec_cli's (cli/client_command_test.cc), and
e2e_test runs them."""

import os

from runner import clients


def test_the_message_path_is_absolute():
    path = clients.message("relative/root")
    assert os.path.isabs(path)
    assert path.endswith(os.path.join("relative", "root", "scenarios",
                                      "client-message.eml"))


def test_the_reference_template_escapes_braces_in_the_binary():
    template = clients.reference_template("/b/smtp{s}end")
    assert template.startswith("'/b/smtp{{s}}end' --server {host}:{port} ")
    for name in ("client_domain", "sender", "mailbox", "message"):
        assert "{%s}" % name in template
