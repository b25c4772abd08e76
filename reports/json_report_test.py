"""Tests for the run report: counts, expectations, order, validation."""

import copy
import json

from reports import fixtures
from reports import json_report


def _by_name(report):
    return {(r["scenario"]["id"], r["target"]["name"]): r
            for r in report["results"]}


def test_summary_counts_every_verdict():
    # docs/results-schema.md verdict table, counted by hand for the
    # fixture: 6 OK + NON-STRICT + UNIMPLEMENTED + expected failure + stale
    # OK pass; data-bare-lf and quit-closes fail; one SKIPPED, one ERROR.
    assert fixtures.report()["summary"] == {
        "total": 14, "passed": 10, "failed": 2, "skipped": 1, "errors": 1,
        "expected_failures": 1, "stale": 1}


def test_strict_fails_non_strict_and_stale():
    # --strict: NON-STRICT counts as FAILED, and a stale entry fails.
    assert fixtures.report(strict=True)["summary"] == {
        "total": 14, "passed": 8, "failed": 4, "skipped": 1, "errors": 1,
        "expected_failures": 1, "stale": 1}


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


def test_skipped_and_error_results_get_no_expectation():
    # A SKIPPED or ERROR run shows nothing about the deviation.
    entries = json_report.expectations_lib.parse(
        "target *\nstarttls-upgrade x\n").entries
    results = json_report.apply_expectations(fixtures.results(), entries)
    assert not any("expectation" in r for r in results)


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
    assert order[:4] == [("quit-closes", "reference"),
                         ("quit-closes", "legacy-mta"),
                         ("starttls-upgrade", "reference"),
                         ("starttls-upgrade", "legacy-mta")]
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
    assert json_report.validate(report) == [
        "report.summary.passed: is 14 but the results give 10."]


def test_validate_requires_reasons_and_no_findings_on_ok():
    report = fixtures.report()
    by_name = _by_name(report)
    by_name[("starttls-upgrade", "legacy-mta")]["reason"] = ""
    by_name[("quit-closes", "reference")]["findings"] = [
        by_name[("quit-closes", "legacy-mta")]["findings"][0]]
    errors = json_report.validate(report)
    assert any("a ERROR result says why" in e for e in errors)
    assert any("an OK result has no findings" in e for e in errors)


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
    assert len(parsed.results) == 14
    assert json_report.parse_results("[1, 2]").errors


def test_loads_rejects_invalid_json_and_invalid_reports():
    report, errors = json_report.loads("{", "run.json")
    assert report is None and errors[0].startswith("run.json: not valid JSON")
    report, errors = json_report.loads("{}", "run.json")
    assert report is None
    assert "run.json: report: the field 'schema' is missing." in errors
