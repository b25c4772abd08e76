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
