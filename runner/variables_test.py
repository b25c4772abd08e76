"""--var for every target and per target, and the values a scenario sees
(runner/variables.py)."""

import os
import re

import pytest

from runner import testing_util as t
from runner import variables
from runner.errors import Fatal

DEFAULTS = variables.defaults(t.CLI)


def test_global_and_per_target_values_in_flag_order():
    parsed = variables.parse(["domain=example.org", "mx1:domain=mx1.test",
                              "mailbox=a=b@example.org", "mx1:sender=",
                              "[::1]:2525:domain=v6.test"])
    assert parsed.common == [("domain", "example.org"),
                             ("mailbox", "a=b@example.org")]
    assert variables.for_target(parsed, "mx1") == [
        ("domain", "example.org"), ("mailbox", "a=b@example.org"),
        ("domain", "mx1.test"), ("sender", "")]
    assert variables.for_target(parsed, "[::1]:2525")[-1] == ("domain",
                                                              "v6.test")
    assert variables.for_target(parsed, "other") == parsed.common


@pytest.mark.parametrize("spec", ["domain", "=x", "mx1:=x", ":domain=x",
                                  "bad key=x", "mx1:9lives=x", "a:b c=x"])
def test_malformed_vars_are_usage_errors(spec):
    with pytest.raises(Fatal, match="KEY=VALUE"):
        variables.parse([spec])


def test_a_var_for_an_unknown_target_names_the_known_ones():
    parsed = variables.parse(["mx9:domain=x"])
    with pytest.raises(Fatal, match=r"no target 'mx9'.*mx1, swaks"):
        variables.check_targets(parsed, ["mx1", "swaks"])
    variables.check_targets(variables.parse(["mx1:domain=x"]), ["mx1"])


def test_defaults_come_from_the_binary_in_its_order():
    # The Player's own values: cli/variables_test.cc checks the two agree.
    assert [name for name, _ in DEFAULTS] == ["domain", "mailbox",
                                              "client_domain", "sender"]


def test_the_format_reference_gives_the_same_defaults():
    # docs/transcript-format.md, "Target variables": | `${name}` | ... |
    # `default` |, one row a variable.
    with open(os.path.join(t.ROOT, "docs", "transcript-format.md")) as f:
        rows = re.findall(r"^\| `\$\{(\w+)\}` \|[^|]*\| `([^`]*)`",
                          f.read(), re.M)
    documented = [(name, default) for name, default in rows
                  if name != "unknown_mailbox"]
    assert documented == DEFAULTS


def test_defaults_follow_the_player():
    assert variables.values({}, [], DEFAULTS) == {
        "domain": "localhost", "mailbox": "postmaster@localhost",
        "client_domain": "client.smtpspec.test",
        "sender": "smtpspec@client.smtpspec.test"}
    # mailbox and sender follow domain and client_domain wherever those
    # come from.
    seen = variables.values({"domain": "example.org"},
                            [("client_domain", "c.test")], DEFAULTS)
    assert seen["mailbox"] == "postmaster@example.org"
    assert seen["sender"] == "smtpspec@c.test"


def test_the_command_line_beats_the_scenario_and_the_last_flag_wins():
    seen = variables.values({"domain": "scenario.test", "extra": "1"},
                            [("domain", "global.test"),
                             ("domain", "target.test")], DEFAULTS)
    assert seen["domain"] == "target.test"
    assert seen["extra"] == "1"
    assert seen["mailbox"] == "postmaster@target.test"


def test_a_binary_without_the_command_is_one_line(tmp_path):
    fake = tmp_path / "smtpspec_cli"
    fake.write_text("#!/bin/sh\necho \"smtpspec: unknown command '$1'\" >&2\n"
                    "exit 2\n")
    fake.chmod(0o755)
    with pytest.raises(Fatal, match=r"^smtpspec: unknown command "
                       "'variables'$"):
        variables.defaults(str(fake))
    fake.write_text("#!/bin/sh\necho '[]'\n")
    with pytest.raises(Fatal, match="printed no defaults"):
        variables.defaults(str(fake))
    with pytest.raises(Fatal, match="cannot run"):
        variables.defaults(str(tmp_path / "missing"))
