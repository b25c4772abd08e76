"""Clients under test: command templates.

A client under test is a shell command template (`--client NAME=TEMPLATE`,
or `--client-cmd TEMPLATE` for one client named "client"). For each
scenario, smtpspec listens on loopback, runs the command with /bin/sh, and
plays the server. smtpspec_cli fills in the placeholders ({host}, {port},
{message}, the variables the scenario sees, {{ and }}) and reports a bad
template before any scenario runs (cli/client_command.h,
docs/user-guide.md "Clients under test"); the runner passes it the
template as it is and the standard message's path (message()).
"""

import os
import shlex

MESSAGE = os.path.join("scenarios", "client-message.eml")


def message(root):
    """The absolute path of the standard message, {message}."""
    return os.path.abspath(os.path.join(root, MESSAGE))


def reference_template(send_binary):
    """The reference client (smtpspec_send) as a template: the standard
    message from ${sender} to ${mailbox}, EHLO ${client_domain}, in plain
    text (as interpreter:corpus_test plays it in memory)."""
    binary = shlex.quote(send_binary).replace("{", "{{").replace("}", "}}")
    return ("%s --server {host}:{port} --helo {client_domain} --from "
            "{sender} --to {mailbox} --file {message} --starttls off" %
            binary)
