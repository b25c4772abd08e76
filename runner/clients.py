"""Clients under test: command templates and how they are filled in.

A client under test is a shell command template (`--client NAME=TEMPLATE`,
or `--client-cmd TEMPLATE` for one client named "client"). For each
scenario, smtpspec listens on loopback, runs the command with /bin/sh, and
plays the server. Placeholders (docs/user-guide.md, "Clients under test"):

    {host} {port}   where smtpspec listens (filled in by smtpspec_cli, which
                    knows the port only once it listens)
    {message}       the absolute path of the standard message,
                    scenarios/client-message.eml
    {NAME}          any variable the scenario sees: {domain}, {mailbox},
                    {client_domain}, {sender} (the target variables, with
                    their defaults), the scenario's own `vars`, and --var
    {{ and }}       a literal brace (a shell's ${HOME} is ${{HOME}})

Values are inserted shell-quoted (unchanged when they need no quotes), so a
value never splits into two words or runs as shell syntax. Anything else
in braces is a usage error, reported before any scenario runs.
"""

import os
import re
import shlex

from runner import variables
from runner.errors import Fatal

MESSAGE = os.path.join("scenarios", "client-message.eml")
# Placeholders smtpspec_cli fills in per scenario; passed through as is.
LATE = ("host", "port")

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class Template:
    """A parsed template: literal text and placeholder names, in order.

    Parsing checks the brace syntax; render() checks that every name is
    known, since which names are known depends on the scenario.
    """

    def __init__(self, text, where):
        self.text = text
        self._where = where
        self._parts = []  # (is_name, text)
        at = 0
        for match in _TOKEN.finditer(text):
            self._parts.append((False, text[at:match.start()]))
            at = match.end()
            token = match.group(0)
            if token in ("{{", "}}"):
                self._parts.append((False, token[0]))
            elif match.group(1) is not None and variables.NAME.match(
                    match.group(1)):
                self._parts.append((True, match.group(1)))
            else:
                raise Fatal("%s: '%s' at column %d is not a placeholder; "
                            "write {{ and }} for literal braces" %
                            (where, token if len(token) < 30 else
                             token[:27] + "...", match.start() + 1))
        self._parts.append((False, text[at:]))

    @property
    def names(self):
        return [text for is_name, text in self._parts if is_name]

    def render(self, values):
        """The command for smtpspec_cli: every placeholder but {host} and
        {port} replaced by its shell-quoted value; raises Fatal on an
        unknown one."""
        out = []
        for is_name, text in self._parts:
            if not is_name:
                out.append(text)
            elif text in LATE:
                out.append("{%s}" % text)
            elif text in values:
                out.append(shlex.quote(values[text]))
            else:
                known = list(LATE) + list(values)
                raise Fatal("%s: unknown placeholder {%s} (known: %s; {{ "
                            "and }} are literal braces)" %
                            (self._where, text, ", ".join(
                                "{%s}" % k for k in known)))
        command = "".join(out)
        # smtpspec_cli replaces every "{host}" and "{port}" in what it is
        # given, so one must not come from a value or from {{host}}.
        for late in LATE:
            if command.count("{%s}" % late) != self.names.count(late):
                raise Fatal("%s: the command would contain a literal {%s}, "
                            "which smtpspec_cli would replace with the "
                            "listening %s" % (self._where, late, late))
        return command


def placeholders(root, scenario_vars, flags, target_defaults=()):
    """Every value a template may use for one scenario and target, in the
    order an error lists them: the message, the target variables, then the
    rest by name. `target_defaults` is variables.defaults(cli); without it
    only the variables set by the scenario or by `flags` are there."""
    found = variables.values(scenario_vars, flags, target_defaults)
    first = [name for name, _ in target_defaults if name in found]
    out = {"message": os.path.abspath(os.path.join(root, MESSAGE))}
    for name in first + sorted(set(found) - set(first)):
        out.setdefault(name, found[name])  # {message} is always the file
    return out


def reference_template(send_binary):
    """The reference client (smtpspec_send) as a template: the standard
    message from ${sender} to ${mailbox}, EHLO ${client_domain}, in plain
    text (as interpreter:corpus_test plays it in memory)."""
    binary = shlex.quote(send_binary).replace("{", "{{").replace("}", "}}")
    return ("%s --server {host}:{port} --helo {client_domain} --from "
            "{sender} --to {mailbox} --file {message} --starttls off" %
            binary)
