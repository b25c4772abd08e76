"""Tests for the run report: counts, expectations, order, validation."""

import copy
import json

import pytest

from reports import fixtures
from reports import json_report


def _by_name(report):
    return {(r["scenario"]["id"], r["target"]["name"]): r
            for r in report["results"]}


def test_summary_counts_every_verdict():
    # docs/results-schema.md verdict table, counted by hand for the
    # fixture: 7 OK + NON-STRICT + UNIMPLEMENTED + expected failure + stale
    # OK pass; data-bare-lf and quit-closes fail; one SKIPPED, one ERROR,
    # one INCONCLUSIVE. Then the 3 incidental findings, one item each: the
    # MUST one fails, the SHOULD and the MAY one pass.
    assert fixtures.report()["summary"] == {
        "total": 19, "passed": 13, "failed": 3, "skipped": 1, "errors": 1,
        "inconclusive": 1, "expected_failures": 1, "stale": 1,
        "incidental": 3}


def test_strict_fails_non_strict_and_stale():
    # --strict: NON-STRICT counts as FAILED (the result and the SHOULD
    # incidental finding), and a stale entry fails; INCONCLUSIVE stays
    # inconclusive and the MAY incidental finding passes.
    assert fixtures.report(strict=True)["summary"] == {
        "total": 19, "passed": 10, "failed": 6, "skipped": 1, "errors": 1,
        "inconclusive": 1, "expected_failures": 1, "stale": 1,
        "incidental": 3}


def test_apply_expectations_marks_expected_and_stale():
    results = json_report.apply_expectations(fixtures.results(),
                                             fixtures.entries())
    marked = {(r["scenario"]["id"], r["target"]["name"]): r["expectation"]
              for r in results if "expectation" in r}
    assert marked == {
        ("rcpt-before-mail", "legacy-mta"): {
            "status": "expected-failure",
            "note": "accepts RCPT before MAIL (ticket OPS-231)"},
        ("postmaster-accepted", "legacy-mta"): {
            "status": "stale",
            "note": "rejected <postmaster> without a domain until 4.1"},
    }


def test_apply_expectations_does_not_modify_its_input():
    results = fixtures.results()
    before = copy.deepcopy(results)
    json_report.apply_expectations(results, fixtures.entries())
    assert results == before


def test_skipped_error_and_inconclusive_results_get_no_expectation():
    # A SKIPPED, ERROR or INCONCLUSIVE run shows nothing about the
    # deviation.
    entries = json_report.expectations_lib.parse(
        "target *\nstarttls-upgrade x\nrcpt-unknown-mailbox y\n").entries
    results = json_report.apply_expectations(fixtures.results(), entries)
    marked = [(r["scenario"]["id"], r["target"]["name"]) for r in results
              if "expectation" in r]
    # Only the reference's OK rcpt-unknown-mailbox is judged (stale).
    assert marked == [("rcpt-unknown-mailbox", "reference")]


def test_a_listed_non_strict_result_is_expected_only_under_strict():
    entries = json_report.expectations_lib.parse(
        "target legacy-mta\nehlo-multiline SHOULD-level only\n").entries
    loose = json_report.apply_expectations(fixtures.results(), entries)
    strict = json_report.apply_expectations(fixtures.results(), entries, True)
    pick = lambda rs: [r["expectation"]["status"] for r in rs
                       if "expectation" in r]
    assert pick(loose) == ["stale"]
    assert pick(strict) == ["expected-failure"]


def test_build_orders_by_scenario_then_target():
    shuffled = list(reversed(fixtures.results()))
    targets = [{"name": "reference", "address": "127.0.0.1:40123",
                "tls": "none"},
               {"name": "legacy-mta", "address": "127.0.0.1:40124",
                "tls": "none"}]
    report = json_report.build(shuffled, targets=targets)
    order = [(r["scenario"]["id"], r["target"]["name"])
             for r in report["results"]]
    # Scenario order is first appearance (reversed here), then targets.
    assert order[:4] == [("rcpt-unknown-mailbox", "reference"),
                         ("rcpt-unknown-mailbox", "legacy-mta"),
                         ("quit-closes", "reference"),
                         ("quit-closes", "legacy-mta")]
    assert report["targets"] == targets


def test_build_derives_targets_in_order_of_appearance():
    report = fixtures.report()
    assert [t["name"] for t in report["targets"]] == ["reference",
                                                      "legacy-mta"]
    assert json_report.validate(report) == []


def test_dumps_and_loads_keep_every_wire_byte():
    report = fixtures.report()
    text = json_report.dumps(report)
    assert text.isascii()
    loaded, errors = json_report.loads(text)
    assert errors == []
    assert loaded == report
    event = _by_name(loaded)[("data-bare-lf", "legacy-mta")]["transcript"][10]
    # docs/results-schema.md: U+0000-U+00FF are the bytes.
    assert event["data"].encode("latin-1") == b"Caf\xe9 cr\xc3\xa8me\n.\n"


def test_validate_reports_each_problem_with_its_path():
    report = fixtures.report()
    bad = _by_name(report)[("quit-closes", "legacy-mta")]
    bad["verdict"] = "BROKEN"
    bad["findings"][0]["step"] = 9
    del bad["scenario"]["title"]
    bad["transcript"][0]["dir"] = "X"
    errors = json_report.validate(report)
    assert any(".verdict: is \"BROKEN\", not one of OK" in e for e in errors)
    assert any(".findings[0].step: 9 is neither -1 nor a step index" in e
               for e in errors)
    assert any(".scenario: the field 'title' is missing" in e
               for e in errors)
    assert any(".transcript[0].dir: is \"X\"" in e for e in errors)


def test_validate_checks_the_summary_against_the_results():
    report = fixtures.report()
    report["summary"]["passed"] = 14
    report["summary"]["inconclusive"] = 0
    assert json_report.validate(report) == [
        "report.summary.passed: is 14 but the results give 13.",
        "report.summary.inconclusive: is 0 but the results give 1."]


def test_validate_requires_reasons_and_no_findings_on_ok():
    report = fixtures.report()
    by_name = _by_name(report)
    by_name[("starttls-upgrade", "legacy-mta")]["reason"] = ""
    by_name[("quit-closes", "reference")]["findings"] = [
        by_name[("quit-closes", "legacy-mta")]["findings"][0]]
    errors = json_report.validate(report)
    assert any("an ERROR result says why" in e for e in errors)
    assert any("an OK result has no findings but MAY-level ones" in e
               for e in errors)


def test_validate_rejects_non_objects():
    assert json_report.validate([]) == ["report: must be an object."]
    report = fixtures.report()
    report["results"][0] = "x"
    assert json_report.validate(report) == [
        "report.results[0]: must be an object."]


def test_parse_results_reads_json_lines_and_reports_bad_lines():
    lines = [json.dumps(r) for r in fixtures.results()[:3]]
    text = lines[0] + "\n{not json\n\n" + lines[1] + "\n[1]\n" + lines[2]
    parsed = json_report.parse_results(text, "run.jsonl")
    assert len(parsed.results) == 3
    assert len(parsed.errors) == 2
    assert parsed.errors[0].startswith("run.jsonl:2: not valid JSON")
    assert parsed.errors[1] == "run.jsonl:5: a result must be a JSON object."


def test_parse_results_reads_an_array():
    parsed = json_report.parse_results(fixtures.read("results.json"))
    assert parsed.errors == []
    assert len(parsed.results) == 16
    assert json_report.parse_results("[1, 2]").errors


def test_loads_rejects_invalid_json_and_invalid_reports():
    report, errors = json_report.loads("{", "run.json")
    assert report is None and errors[0].startswith("run.json: not valid JSON")
    report, errors = json_report.loads("{}", "run.json")
    assert report is None
    assert "run.json: report: the field 'schema' is missing." in errors


# The "Verdicts" fields: INCONCLUSIVE, finding rule and sentence, the
# result's incidental findings, the scenario's rules.


def _good_result():
    return _by_name(fixtures.report())[("rcpt-before-mail", "legacy-mta")]


def test_a_good_result_passes_validation():
    result = _good_result()
    assert result["incidental"] and result["findings"][1]["rule"]
    assert json_report.validate_result(result) == []


def test_a_result_missing_the_new_fields_is_rejected():
    for path, name in ((lambda r: r, "incidental"),
                       (lambda r: r["scenario"], "rules"),
                       (lambda r: r["findings"][0], "rule"),
                       (lambda r: r["findings"][0], "sentence"),
                       (lambda r: r["incidental"][0], "sentence")):
        result = _good_result()
        del path(result)[name]
        errors = json_report.validate_result(result)
        assert len(errors) == 1, (name, errors)
        assert errors[0].endswith("the field '%s' is missing." % name)


def test_a_bad_verdict_is_rejected():
    result = _good_result()
    result["verdict"] = "PASSED"
    assert json_report.validate_result(result) == [
        'result.verdict: is "PASSED", not one of OK, NON-STRICT, '
        'UNIMPLEMENTED, FAILED, INCONCLUSIVE, SKIPPED, ERROR.']


def test_inconclusive_is_a_verdict_that_says_why():
    result = _by_name(fixtures.report())[("rcpt-unknown-mailbox",
                                          "legacy-mta")]
    assert result["verdict"] == "INCONCLUSIVE"
    assert json_report.validate_result(result) == []
    result["reason"] = ""
    assert json_report.validate_result(result) == [
        "result.reason: an INCONCLUSIVE result says why."]


def test_rule_ids_are_checked():
    result = _good_result()
    result["findings"][0]["rule"] = "not a rule id"
    result["scenario"]["rules"] = ["rfc5321/3.3-rcpt-needs-mail", ""]
    result["incidental"][0]["rule"] = 7
    errors = json_report.validate_result(result)
    assert errors == [
        "result.scenario.rules: holds an empty rule id.",
        'result.findings[0].rule: is "not a rule id", not a rule id like '
        '"rfc5321/3.3-rcpt-needs-mail" or "".',
        "result.incidental[0].rule: must be a string."]


def test_levels_agree_with_the_verdict():
    # MAY-level findings alone leave the verdict OK; NON-STRICT means
    # SHOULD findings and no MUST one.
    by_name = _by_name(fixtures.report())
    ok = by_name[("ehlo-multiline", "reference")]
    assert ok["verdict"] == "OK" and ok["findings"][0]["level"] == "MAY"
    assert json_report.validate_result(ok) == []
    ok["findings"][0]["level"] = "SHOULD"
    assert json_report.validate_result(ok) == [
        "result.findings: an OK result has no findings but MAY-level ones."]
    non_strict = by_name[("ehlo-multiline", "legacy-mta")]
    non_strict["findings"][0]["level"] = "MAY"
    assert json_report.validate_result(non_strict) == [
        "result.findings: a NON-STRICT result has a SHOULD-level finding."]
    non_strict["findings"][0]["level"] = "MUST"
    assert "a NON-STRICT result has no MUST-level finding" in (
        json_report.validate_result(non_strict)[0])


def test_incidental_findings_are_collected_per_target_and_rule():
    items = fixtures.report()["incidental"]
    assert [(i["target"], i["rule"] or i["rfc"], i["verdict"], i["count"])
            for i in items] == [
        ("reference", "RFC 5321 4.1.1.1", "OK", 2),
        ("legacy-mta", "rfc5321/4.1.1.10-221-close", "FAILED", 5),
        ("legacy-mta", "RFC 5321 4.1.1.1", "NON-STRICT", 6)]
    must = items[1]
    assert must == {
        "target": "legacy-mta", "rule": "rfc5321/4.1.1.10-221-close",
        "rfc": "RFC 5321 4.1.1.10", "level": "MUST",
        "sentence": 'The receiver MUST send a "221 OK" reply, and then '
                    'close the transmission channel.',
        # The first one seen, in scenario order (ehlo-multiline is first).
        "message": "After its 221 reply to QUIT the server must close the "
                   "connection, but it kept it open for 200 ms.",
        "observed": "221 Bye", "verdict": "FAILED",
        "seen_in": ["ehlo-multiline", "postmaster-accepted",
                    "rcpt-before-mail", "rcpt-unknown-mailbox",
                    "vrfy-postmaster"],
        "count": 5}
    # quit-closes tests that rule: there it is a finding, not incidental.
    assert "quit-closes" not in must["seen_in"]


def test_incidental_dedup_key_and_count():
    results = fixtures.results()
    legacy = [r for r in results if r["target"]["name"] == "legacy-mta"]
    # The same rule twice in one scenario: counted twice, seen in once.
    legacy[1]["incidental"].append(dict(legacy[1]["incidental"][1],
                                        message="another wording"))
    # Without a rule id, a different message is a different item.
    legacy[2]["incidental"].append(dict(legacy[2]["incidental"][0],
                                        message="Something else."))
    items = json_report.build(results)["incidental"]
    by_key = {(i["target"], i["rule"], i["message"]): i for i in items}
    must = [i for i in items if i["rule"]][0]
    assert must["count"] == 6 and len(must["seen_in"]) == 5
    assert must["message"].endswith("open for 200 ms.")
    other = by_key[("legacy-mta", "", "Something else.")]
    assert (other["count"], other["seen_in"]) == (1, ["data-bare-lf"])
    assert len(items) == 4


def test_incidental_findings_do_not_change_a_verdict_but_count():
    # postmaster-accepted @ legacy-mta is OK (stale) with a MUST incidental
    # finding: the result passes, the incidental item fails.
    report = fixtures.report()
    result = _by_name(report)[("postmaster-accepted", "legacy-mta")]
    assert result["verdict"] == "OK"
    assert any(f["level"] == "MUST" for f in result["incidental"])
    only = json_report.build([result])
    assert only["summary"]["failed"] == 1
    assert only["summary"]["passed"] == 2  # the result, the SHOULD item
    assert json_report.outcome.failing(only["summary"])
    without = dict(result, incidental=[])
    assert not json_report.outcome.failing(
        json_report.build([without])["summary"])


def test_validate_checks_the_incidental_array():
    report = fixtures.report()
    report["incidental"][1]["seen_in"].reverse()
    report["incidental"][2]["verdict"] = "FAILED"
    errors = json_report.validate(report)
    assert errors == [
        "report.incidental[1].seen_in: must be sorted, each scenario once.",
        'report.incidental[2].verdict: a SHOULD finding is NON-STRICT, not '
        '"FAILED".']
    report = fixtures.report()
    report["incidental"][1]["count"] = 4
    assert json_report.validate(report) == [
        "report.incidental: holds 3 items but the results' incidental "
        "findings give 3 (item 1 differs in count)."]
    report = fixtures.report()
    del report["incidental"]
    assert json_report.validate(report) == [
        "report: the field 'incidental' is missing."]


def test_may_findings_never_fail_under_strict():
    result = _by_name(fixtures.report())[("ehlo-multiline", "legacy-mta")]
    assert json_report.outcome.outcome(result, True) == "failed"
    # A producer that calls MAY-only findings NON-STRICT: --strict does not
    # fail it.
    result["findings"][0]["level"] = "MAY"
    assert json_report.outcome.outcome(result, True) == "passed"
    inconclusive = _by_name(fixtures.report())[("rcpt-unknown-mailbox",
                                                "legacy-mta")]
    assert json_report.outcome.outcome(inconclusive, True) == "inconclusive"


# Rule entries of the expectations file: known incidental findings.

CLOSE = "rfc5321/4.1.1.10-221-close"


def _entries(text):
    parsed = fixtures.expectations.parse(text, "rules.expect")
    assert parsed.errors == []
    return parsed.entries


def _passing_with_must_incidental():
    # postmaster-accepted is OK on both targets; on legacy-mta the model saw
    # the MUST-level 221 finding (and a SHOULD one) in it.
    return [r for r in fixtures.results()
            if r["scenario"]["id"] == "postmaster-accepted"]


def _item(report, target, rule):
    found = [i for i in report["incidental"]
             if (i["target"], i["rule"]) == (target, rule)]
    assert len(found) == 1, report["incidental"]
    return found[0]


def test_an_expected_incidental_must_finding_lets_the_run_pass():
    results = _passing_with_must_incidental()
    assert json_report.build(results)["summary"]["failed"] == 1
    entries = _entries("target legacy-mta\n"
                       "    %s  keeps the line open (OPS-400)\n" % CLOSE)
    report = json_report.build(
        json_report.apply_expectations(results, entries))
    item = _item(report, "legacy-mta", CLOSE)
    assert item["verdict"] == "FAILED" and item["level"] == "MUST"
    assert item["expectation"] == {"status": "expected-failure",
                                   "note": "keeps the line open (OPS-400)",
                                   "line": 2}
    summary = report["summary"]
    assert summary["failed"] == 0 and summary["errors"] == 0
    assert summary["expected_failures"] == 1 and summary["stale"] == 0
    assert summary["passed"] == summary["total"] == 4
    assert not json_report.outcome.failing(summary)
    assert json_report.validate(report) == []
    # It survives the trip through JSON: the report is all the renderers
    # and the validator get.
    again, errors = json_report.loads(json_report.dumps(report))
    assert errors == [] and again["summary"] == summary


def test_a_stale_rule_entry_is_an_item_that_fails_only_under_strict():
    results = _passing_with_must_incidental()
    entries = _entries("target legacy-mta\n"
                       "    %s  known\n"
                       "    rfc2034/4-status-codes  221 without 2.0.0\n"
                       % CLOSE)
    for strict in (False, True):
        report = json_report.build(
            json_report.apply_expectations(results, entries, strict),
            strict=strict)
        stale = _item(report, "legacy-mta", "rfc2034/4-status-codes")
        assert stale == {
            "target": "legacy-mta", "rule": "rfc2034/4-status-codes",
            "rfc": "", "level": "", "sentence": "", "message": "",
            "observed": "", "verdict": "OK", "seen_in": [], "count": 0,
            "expectation": {"status": "stale", "note": "221 without 2.0.0",
                            "line": 3}}
        # The target's findings come first, then the stale entry.
        assert report["incidental"][-1] is stale
        summary = report["summary"]
        assert summary["stale"] == 1 and summary["expected_failures"] == 1
        assert summary["incidental"] == 3 and summary["total"] == 5
        # Under --strict the stale entry fails, and so does the SHOULD
        # incidental finding nobody listed.
        assert summary["failed"] == (2 if strict else 0)
        assert json_report.validate(report) == []


def test_a_listed_rule_that_no_longer_fails_is_stale():
    # A SHOULD finding is not a failure without --strict: listed, it is
    # stale, as a listed NON-STRICT result is.
    results = fixtures.results()
    rule = "rfc5321/4.1.1.1-greeting"
    for r in results:
        for f in r["incidental"]:
            if f["level"] == "SHOULD":
                f["rule"] = rule
    entries = _entries("target legacy-mta\n    %s  greets with Hello\n" %
                       rule)
    plain = json_report.build(json_report.apply_expectations(
        results, entries))
    assert _item(plain, "legacy-mta", rule)["expectation"]["status"] == (
        "stale")
    strict = json_report.build(json_report.apply_expectations(
        results, entries, True), strict=True)
    assert _item(strict, "legacy-mta", rule)["expectation"]["status"] == (
        "expected-failure")


def test_a_rule_entry_for_another_target_does_not_apply():
    results = _passing_with_must_incidental()
    entries = _entries("target reference\n    %s  not legacy-mta\n" % CLOSE)
    report = json_report.build(
        json_report.apply_expectations(results, entries))
    must = _item(report, "legacy-mta", CLOSE)
    assert "expectation" not in must
    assert report["summary"]["failed"] == 1
    assert json_report.outcome.failing(report["summary"])
    # On reference, where it applies, the rule was never seen: stale.
    assert _item(report, "reference", CLOSE)["expectation"]["status"] == (
        "stale")
    assert json_report.validate(report) == []


def test_a_named_rule_entry_beats_the_wildcard():
    results = _passing_with_must_incidental()
    entries = _entries("target *\n    %s  everyone\n"
                       "target legacy-mta\n    %s  just us\n" % (CLOSE, CLOSE))
    report = json_report.build(
        json_report.apply_expectations(results, entries))
    assert _item(report, "legacy-mta", CLOSE)["expectation"] == {
        "status": "expected-failure", "note": "just us", "line": 4}
    assert _item(report, "reference", CLOSE)["expectation"]["note"] == (
        "everyone")


def test_rule_entries_travel_on_the_results():
    results = _passing_with_must_incidental()
    entries = _entries("target legacy-mta\n    %s  known\n"
                       "    rcpt-before-mail  a scenario\n" % CLOSE)
    applied = json_report.apply_expectations(results, entries)
    legacy = [r for r in applied if r["target"]["name"] == "legacy-mta"]
    other = [r for r in applied if r["target"]["name"] != "legacy-mta"]
    assert legacy[0]["incidental_expectations"] == [
        {"rule": CLOSE, "note": "known", "line": 2}]
    assert all("incidental_expectations" not in r for r in other)
    assert all("incidental_expectations" not in r for r in results)
    assert json_report.validate_result(legacy[0]) == []
    # Applying again (or with no entries) replaces them.
    assert all("incidental_expectations" not in r for r in
               json_report.apply_expectations(applied, []))
    bad = copy.deepcopy(legacy[0])
    bad["incidental_expectations"][0].update(rule="", line="2")
    assert json_report.validate_result(bad) == [
        "result.incidental_expectations[0].line: must be an integer.",
        "result.incidental_expectations[0].rule: must not be empty."]


def test_validate_checks_the_expectation_of_incidental_items():
    results = _passing_with_must_incidental()
    entries = _entries("target legacy-mta\n    %s  known\n"
                       "    rfc2034/4-status-codes  stale\n" % CLOSE)
    good = json_report.build(json_report.apply_expectations(results,
                                                            entries))
    report = copy.deepcopy(good)
    item = _item(report, "legacy-mta", CLOSE)
    item["expectation"]["status"] = "known"
    del item["expectation"]["line"]
    assert json_report.validate(report) == [
        'report.incidental[1].expectation.status: is "known", not one of '
        'expected-failure, stale.',
        "report.incidental[1].expectation: the field 'line' is missing."]
    # A stale item that matched nothing has count 0 and no scenario; a
    # finding item may not.
    report = copy.deepcopy(good)
    _item(report, "legacy-mta", "rfc2034/4-status-codes")["seen_in"] = ["x"]
    assert json_report.validate(report) == [
        "report.incidental[2].seen_in: must be [] (no finding matched)."]
    report = copy.deepcopy(good)
    _item(report, "legacy-mta", CLOSE)["count"] = 0
    assert json_report.validate(report) == [
        "report.incidental[1].count: must be an integer of at least 1."]
    # An expectation the results do not give, or a summary that ignores
    # one, is caught.
    report = copy.deepcopy(good)
    del _item(report, "legacy-mta", CLOSE)["expectation"]
    assert json_report.validate(report) == [
        "report.incidental: holds 3 items but the results' incidental "
        "findings give 3 (item 1 differs in expectation)."]
    report = copy.deepcopy(good)
    report["summary"]["expected_failures"] = 0
    assert json_report.validate(report) == [
        "report.summary.expected_failures: is 0 but the results give 1."]


def test_the_verdict_table_is_cli_verdicts_json():
    # One table for smtpspec_cli's exit status and for every report.
    table = json_report.outcome
    assert table.VERDICTS == ("OK", "NON-STRICT", "UNIMPLEMENTED", "FAILED",
                              "INCONCLUSIVE", "SKIPPED", "ERROR")
    assert table.UNJUDGED == ("INCONCLUSIVE", "SKIPPED", "ERROR")
    assert table.FAILING == ("failed", "error")
    assert [table.verdict_outcome("NON-STRICT", s) for s in (False, True)] \
        == ["passed", "failed"]
    assert table.verdict_outcome("MAYBE", False) == "failed"
    assert table.failing({"failed": 0, "errors": 1})
    assert not table.failing({"failed": 0, "errors": 0})


def test_a_verdict_table_with_an_unknown_outcome_is_refused(tmp_path):
    path = tmp_path / "verdicts.json"
    path.write_text('{"verdicts": [{"verdict": "OK", "outcome": "fine", '
                    '"strict": "passed"}], "incidental": [], "failing": []}')
    with pytest.raises(ValueError, match="OK counts as 'fine'"):
        json_report.outcome._load_table(str(path))
