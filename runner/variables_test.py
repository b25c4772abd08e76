"""--var for every target and per target, and the values a scenario sees
(runner/variables.py)."""

import pytest

from runner import variables
from runner.errors import Fatal


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


def test_defaults_follow_the_player():
    assert variables.values({}, []) == {
        "domain": "localhost", "mailbox": "postmaster@localhost",
        "client_domain": "client.smtpspec.test",
        "sender": "smtpspec@client.smtpspec.test"}
    # mailbox and sender follow domain and client_domain wherever those
    # come from.
    seen = variables.values({"domain": "example.org"},
                            [("client_domain", "c.test")])
    assert seen["mailbox"] == "postmaster@example.org"
    assert seen["sender"] == "smtpspec@c.test"


def test_the_command_line_beats_the_scenario_and_the_last_flag_wins():
    seen = variables.values({"domain": "scenario.test", "extra": "1"},
                            [("domain", "global.test"),
                             ("domain", "target.test")])
    assert seen["domain"] == "target.test"
    assert seen["extra"] == "1"
    assert seen["mailbox"] == "postmaster@target.test"
