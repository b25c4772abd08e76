"""Tests for the expectations file format (docs/reports.md)."""

from reports import expectations
from reports import fixtures


def test_parses_the_fixture():
    parsed = expectations.parse(fixtures.read("expectations.txt"))
    assert parsed.errors == []
    assert [(e.target, e.scenario) for e in parsed.entries] == [
        ("legacy-mta", "rcpt-before-mail"),
        ("legacy-mta", "postmaster-accepted"),
        ("*", "8bitmime-downgrade")]
    assert parsed.entries[0].note == (
        "accepts RCPT before MAIL (ticket OPS-231)")
    assert parsed.entries[0].line == 5


def test_note_is_optional_and_indentation_free():
    parsed = expectations.parse("target a\nx\n   y   some note  \n")
    assert parsed.errors == []
    assert [(e.scenario, e.note) for e in parsed.entries] == [
        ("x", ""), ("y", "some note")]


def test_errors_name_file_and_line():
    text = ("rcpt-before-mail  before any target\n"
            "target\n"
            "target a b\n"
            "target mx\n"
            "s1 first\n"
            "s1 again\n")
    parsed = expectations.parse(text, "exp.txt")
    assert len(parsed.errors) == 4
    assert parsed.errors[0].startswith("exp.txt:1: ")
    assert "before any 'target NAME' line" in parsed.errors[0]
    assert parsed.errors[1].startswith("exp.txt:2: ")
    assert parsed.errors[2].startswith("exp.txt:3: ")
    assert parsed.errors[3] == ("exp.txt:6: scenario 's1' is already listed "
                                "for target 'mx' on line 5.")
    assert [e.scenario for e in parsed.entries] == ["s1"]


def test_lookup_prefers_the_named_target_over_the_wildcard():
    entries = expectations.parse(
        "target *\ns all\ntarget mx\ns mine\n").entries
    assert expectations.lookup(entries, "mx", "s").note == "mine"
    assert expectations.lookup(entries, "other", "s").note == "all"
    assert expectations.lookup(entries, "mx", "t") is None


def test_unused_entries_are_reported():
    unused = expectations.unused(fixtures.entries(), fixtures.results())
    assert [(e.target, e.scenario) for e in unused] == [
        ("*", "8bitmime-downgrade")]


def test_a_few_unused_entries_get_a_line_each():
    warnings = expectations.unused_warnings(
        "expectations.txt", fixtures.entries(), fixtures.results())
    assert warnings == [
        "expectations.txt:11: no result for 8bitmime-downgrade @ * "
        "(a typo, or not run)"]


def test_many_unused_entries_get_one_line_with_their_line_numbers():
    text = "target peer\n" + "".join(
        "    scenario-%d  not run\n" % i for i in range(6))
    text += "# a comment\n    scenario-9  not run\n"
    entries = expectations.parse(text, "peer.expect").entries
    assert expectations.unused_warnings("peer.expect", entries, []) == [
        "peer.expect: 7 entries have no result in this run, on lines "
        "2-7, 9 (scenarios or targets left out of the run, or typos)"]
    # With a result for all but three, those three are named one by one.
    results = [{"target": {"name": "peer"}, "scenario": {"id": e.scenario}}
               for e in entries[3:]]
    assert expectations.unused_warnings("peer.expect", entries, results) == [
        "peer.expect:%d: no result for scenario-%d @ peer (a typo, or not "
        "run)" % (i + 2, i) for i in range(3)]


# Rule entries: a word with a '/' lists an incidental finding of that rule.


def test_a_rule_line_lists_an_incidental_finding():
    parsed = expectations.parse(
        "target mx1\n"
        "    rcpt-before-mail        a scenario\n"
        "    rfc2034/4-status-codes  our 221 has no enhanced status code\n"
        "    rfc5321/4.1.1.10-221-close\n", "mx1.expect")
    assert parsed.errors == []
    scenario, rule, bare = parsed.entries
    assert (scenario.scenario, scenario.rule) == ("rcpt-before-mail", "")
    assert rule == expectations.Entry(
        "mx1", "", "our 221 has no enhanced status code", 3,
        "rfc2034/4-status-codes")
    assert (bare.rule, bare.note, bare.line) == (
        "rfc5321/4.1.1.10-221-close", "", 4)
    assert [expectations.ident(e) for e in parsed.entries] == [
        "rcpt-before-mail", "rfc2034/4-status-codes",
        "rfc5321/4.1.1.10-221-close"]


def test_rule_lines_have_errors_of_their_own():
    parsed = expectations.parse(
        "rfc2034/4-status-codes  before any target\n"
        "target mx\n"
        "rule:rfc2034/4-status-codes  prefixed\n"
        "/4-status-codes  no RFC part\n"
        "rfc2034/4-status-codes  first\n"
        "rfc2034/4-status-codes  again\n", "exp.txt")
    assert parsed.errors == [
        "exp.txt:1: rule 'rfc2034/4-status-codes' is listed before any "
        "'target NAME' line.",
        "exp.txt:3: 'rule:rfc2034/4-status-codes' is not a rule id: a word "
        "with a '/' names a rule, written alone, like "
        "'rfc2034/4-status-codes'.",
        "exp.txt:4: '/4-status-codes' is not a rule id: a word with a '/' "
        "names a rule, written alone, like 'rfc2034/4-status-codes'.",
        "exp.txt:6: rule 'rfc2034/4-status-codes' is already listed for "
        "target 'mx' on line 5."]
    assert [e.rule for e in parsed.entries] == ["rfc2034/4-status-codes"]


def test_rule_and_scenario_lookups_do_not_mix():
    entries = expectations.parse(
        "target *\nr/x all\ntarget mx\nr/x mine\ns scenario\n").entries
    assert expectations.lookup(entries, "mx", "", "r/x").note == "mine"
    assert expectations.lookup(entries, "other", "", "r/x").note == "all"
    assert expectations.lookup(entries, "mx", "r/x") is None
    assert expectations.lookup(entries, "mx", "s").note == "scenario"
    assert expectations.lookup(entries, "mx", "", "s") is None
    assert [e.note for e in expectations.rule_entries(entries, "mx")] == [
        "mine"]
    assert [e.note for e in expectations.rule_entries(entries, "b")] == [
        "all"]


def test_rule_entries_without_a_result_are_warned_about():
    text = ("target legacy-mta\n    rfc5321/4.1.1.10-221-close  seen\n"
            "    rfc2034/4-status-codes  never seen: stale, not unused\n"
            "target mx9\n    rfc2034/4-status-codes  target not run\n"
            "target *\n    rfc3030/2-bdat  some target ran\n")
    entries = expectations.parse(text, "e.txt").entries
    assert expectations.unused_warnings(
        "e.txt", entries, fixtures.results()) == [
        "e.txt:5: no result for rfc2034/4-status-codes @ mx9 (a typo, or "
        "not run)"]
    # A target whose results were all ERROR tells nothing about a rule it
    # did not show: the entry is unused, not stale.
    errors = [dict(r, verdict="ERROR", incidental=[])
              for r in fixtures.results()
              if r["target"]["name"] == "legacy-mta"]
    assert [e.line for e in expectations.unused(entries, errors)] == [
        2, 3, 5, 7]
    assert not expectations.rule_checked(errors, "legacy-mta",
                                         "rfc2034/4-status-codes")
