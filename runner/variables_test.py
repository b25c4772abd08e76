"""--var for every target and per target (runner/variables.py), and the
target variables' defaults as documented."""

import json
import os
import re
import subprocess

import pytest

from runner import testing_util as t
from runner import variables
from runner.errors import Fatal

# The Player's own values: cli/variables_test.cc checks the two agree.
DEFAULTS = [(d["name"], d["default"]) for d in json.loads(subprocess.run(
    [t.CLI, "variables", "--json"], stdout=subprocess.PIPE, check=True,
    text=True).stdout)]


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


def test_the_format_reference_gives_the_same_defaults():
    # docs/transcript-format.md, "Target variables": | `${name}` | ... |
    # `default` |, one row a variable.
    with open(os.path.join(t.ROOT, "docs", "transcript-format.md")) as f:
        rows = re.findall(r"^\| `\$\{(\w+)\}` \|[^|]*\| `([^`]*)`",
                          f.read(), re.M)
    documented = [(name, default) for name, default in rows
                  if name != "unknown_mailbox"]
    assert documented == DEFAULTS
