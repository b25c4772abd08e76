"""Client command templates (runner/clients.py): placeholders, quoting,
literal braces and the errors."""

import os

import pytest

from runner import clients
from runner import testing_util as t
from runner import variables
from runner.errors import Fatal

DEFAULTS = variables.defaults(t.CLI)
VALUES = clients.placeholders("/repo", {"extra": "x y"}, [], DEFAULTS)


def render(text, values=VALUES):
    return clients.Template(text, "client t").render(values)


def test_variables_and_the_message_are_filled_in():
    assert render("swaks --server {host}:{port} --from {sender} --to "
                  "{mailbox} --helo {client_domain} --data {message}") == (
        "swaks --server {host}:{port} --from smtpspec@client.smtpspec.test "
        "--to postmaster@localhost --helo client.smtpspec.test --data "
        "/repo/scenarios/client-message.eml")


def test_the_message_path_is_absolute():
    values = clients.placeholders("relative/root", {}, [], DEFAULTS)
    assert os.path.isabs(values["message"])
    assert values["message"].endswith(os.path.join("relative", "root",
                                                   "scenarios",
                                                   "client-message.eml"))


def test_values_are_shell_quoted():
    assert render("echo {extra}") == "echo 'x y'"
    values = dict(VALUES, sender="", mailbox="a;rm -rf x@b")
    assert render("send --from {sender} --to {mailbox}", values) == (
        "send --from '' --to 'a;rm -rf x@b'")


def test_doubled_braces_are_literal():
    assert render("sh -c 'echo ${{HOME}} {{}}' {domain}") == (
        "sh -c 'echo ${HOME} {}' localhost")


def test_unknown_placeholder_names_it_and_the_known_ones():
    with pytest.raises(Fatal) as e:
        render("swaks --to {recipient}")
    message = str(e.value)
    assert "client t: unknown placeholder {recipient}" in message
    assert ("(known: {host}, {port}, {message}, {domain}, {mailbox}, "
            "{client_domain}, {sender}, {extra}; {{ and }} are literal "
            "braces)") in message
    assert "\n" not in message


@pytest.mark.parametrize("text, token", [
    ("echo ${HOME", "{"), ("echo }", "}"), ("awk '{print $1}'",
                                            "{print $1}"),
    ("echo {}", "{}")])
def test_braces_that_are_no_placeholder_are_errors(text, token):
    with pytest.raises(Fatal, match="'%s' at column" % token.replace(
            "$", r"\$").replace("{", r"\{").replace("}", r"\}")):
        clients.Template(text, "client t")


def test_a_literal_host_placeholder_cannot_be_smuggled_in():
    # smtpspec_cli would replace it: refused rather than surprising.
    with pytest.raises(Fatal, match="literal {host}"):
        render("echo {{host}}")
    with pytest.raises(Fatal, match="literal {port}"):
        render("echo {domain}", dict(VALUES, domain="{port}"))


def test_reference_template_uses_the_target_variables():
    template = clients.Template(clients.reference_template("/b/smtp{s}end"),
                                "reference-client")
    assert template.names == ["host", "port", "client_domain", "sender",
                              "mailbox", "message"]
    assert template.render(VALUES).startswith("'/b/smtp{s}end' --server "
                                              "{host}:{port}")


def test_without_the_defaults_only_what_is_set_is_known():
    values = clients.placeholders("/repo", {"message": "not the file"},
                                  [("sender", "a@b.test")])
    assert list(values) == ["message", "sender"]
    assert values["message"] == "/repo/scenarios/client-message.eml"
