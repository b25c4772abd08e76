"""Rewriting expectations files to a run's failures
(reports/expectations_update.py), on results made here."""

import pytest

from reports import expectations
from reports import expectations_update as update
from reports import json_report

PLACE = update.PLACEHOLDER


def result(target, ident, verdict, rule="r/1-x", message="it broke",
           level="MUST", incidental=()):
    findings = [] if verdict in ("OK", "SKIPPED", "ERROR", "INCONCLUSIVE") \
        else [{"level": level, "rule": rule, "rfc": "RFC 5321 1",
               "message": message}]
    return {"target": {"name": target}, "scenario": {"id": ident},
            "verdict": verdict, "reason": "why", "findings": findings,
            "incidental": [{"level": lvl, "rule": r, "rfc": "RFC 5321 2",
                            "message": m} for lvl, r, m in incidental]}


def run(text, results, strict=False, homes=None, path="a.expect"):
    homes = homes or {r["target"]["name"]: path for r in results}
    out = update.update({path: text}, results, strict, homes)
    return out.texts[path], out


def entries(text):
    parsed = expectations.parse(text)
    assert parsed.errors == []
    return [(e.target, expectations.ident(e), e.note)
            for e in parsed.entries]


def rejudged(text, results, strict=False):
    """The summary of the results against the text: what a rerun gives."""
    judged = json_report.apply_expectations(
        results, expectations.parse(text).entries, strict)
    return json_report.summarize(judged, strict)


TEXT = """\
# Known deviations of mx.
target mx
    # OPS-1: fixed in 4.2
    still-fails   the reason we wrote
    now-passes    it used to fail

    # These two go together.
    fixed-a       a
    fixed-b       b
    # Incidental findings.
    r/9-rule      a rule it breaks
target other
    anything      not in this run
"""


def test_failing_entries_stay_and_stale_ones_go_with_their_comments():
    results = [result("mx", "still-fails", "FAILED"),
               result("mx", "now-passes", "OK"),
               result("mx", "fixed-a", "OK"), result("mx", "fixed-b", "OK"),
               result("mx", "new-one", "FAILED", rule="r/2-new",
                      message="line 3: 250 is not 503",
                      incidental=[("MUST", "r/9-rule", "broke it")])]
    text, out = run(TEXT, results)
    assert text == """\
# Known deviations of mx.
target mx
    # OPS-1: fixed in 4.2
    still-fails   the reason we wrote
    new-one       %s r/2-new: line 3: 250 is not 503

    # Incidental findings.
    r/9-rule      a rule it breaks
target other
    anything      not in this run
""" % PLACE
    [change] = out.changes
    assert change.target == "mx"
    assert change.added == [("new-one", PLACE + " r/2-new: line 3: 250 is "
                             "not 503")]
    assert [i for i, _ in change.removed] == ["now-passes", "fixed-a",
                                              "fixed-b"]
    assert change.kept == ["still-fails", "r/9-rule"]
    assert rejudged(text, results)["failed"] == 0


def test_a_rule_that_no_longer_fails_goes_and_a_new_one_comes():
    results = [result("mx", "still-fails", "FAILED",
                      incidental=[("MUST", "r/5-new", "a new one\nsplit")])]
    text, out = run(TEXT, results)
    assert ("mx", "r/9-rule", "a rule it breaks") not in entries(text)
    # Control characters shown escaped, as the reports show them.
    assert ("mx", "r/5-new", PLACE + " a new one\\nsplit") in entries(text)
    # The entries the run did not judge stay.
    assert ("mx", "now-passes", "it used to fail") in entries(text)
    assert rejudged(text, results)["failed"] == 0


def test_unjudged_results_are_never_written_and_their_entries_stay():
    results = [result("mx", "still-fails", "INCONCLUSIVE"),
               result("mx", "now-passes", "SKIPPED"),
               result("mx", "errs", "ERROR"),
               result("mx", "unsure", "INCONCLUSIVE")]
    text, out = run(TEXT, results)
    assert text == TEXT
    assert out.changes[0].added == out.changes[0].removed == []
    # The ERROR still fails a rerun: the exit status says so.
    assert rejudged(text, results)["errors"] == 1


def test_non_strict_results_are_failures_only_under_strict():
    results = [result("mx", "should", "NON-STRICT", level="SHOULD"),
               result("mx", "may", "NON-STRICT", level="MAY"),
               result("mx", "x", "OK",
                      incidental=[("SHOULD", "r/3-should", "soft")])]
    text, _ = run("", results)
    assert entries(text) == []
    text, _ = run("", results, strict=True)
    assert [i for _, i, _ in entries(text)] == ["should", "r/3-should"]
    assert rejudged(text, results, strict=True)["failed"] == 0
    assert text.startswith("# Known deviations of mx, written by")


def test_a_wildcard_entry_stays_while_no_target_passes():
    text = "target *\n    shared   every server does this\n"
    both = [result("a", "shared", "FAILED"), result("b", "shared", "FAILED")]
    out = update.update({"x": text}, both, False, {"a": "x", "b": "x"})
    assert out.texts["x"] == text
    # b passes now: the * entry goes, a keeps the note in its own.
    one = [result("a", "shared", "FAILED"), result("b", "shared", "OK")]
    out = update.update({"x": text}, one, False, {"a": "x", "b": "x"})
    assert entries(out.texts["x"]) == [("a", "shared",
                                        "every server does this")]
    assert rejudged(out.texts["x"], one, strict=True)["failed"] == 0


def test_new_entries_go_to_each_target_s_home_laid_out_like_its_section():
    texts = {"a.expect": "target a\n  old-one         kept note\n",
             "b.expect": ""}
    results = [result("a", "old-one", "FAILED"),
               result("a", "fresh", "FAILED", rule="", message="m"),
               result("b", "bee", "FAILED")]
    out = update.update(texts, results, False,
                        {"a": "a.expect", "b": "b.expect"})
    assert out.texts["a.expect"] == (
        "target a\n  old-one         kept note\n"
        "  fresh           %s RFC 5321 1: m\n" % PLACE)
    assert entries(out.texts["b.expect"]) == [
        ("b", "bee", PLACE + " r/1-x: it broke")]


def test_a_target_without_a_home_or_a_file_that_does_not_parse():
    with pytest.raises(ValueError, match="no expectations file for target"):
        update.update({"x": ""}, [result("c", "s", "FAILED")], False,
                      {"a": "x"})
    with pytest.raises(ValueError, match="x:1:"):
        update.update({"x": "orphan\n"}, [], False, {})


def test_an_incidental_finding_without_a_rule_id_is_named_not_written():
    results = [result("mx", "s", "OK",
                      incidental=[("MUST", "", "no rule here")])]
    text, out = run("", results)
    assert entries(text) == []
    assert [i["message"] for i in out.unlisted] == ["no rule here"]


def test_a_long_or_hostile_note_is_one_short_line():
    results = [result("mx", "s", "FAILED", message="\x1b[31m" + "x" * 300)]
    text, _ = run("", results)
    [(_, _, note)] = entries(text)
    assert len(note) <= len(PLACE) + 1 + 110 and note.endswith("...")
    assert "\x1b" not in text
