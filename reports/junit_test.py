"""Tests for the JUnit XML report, validated against testdata/junit.xsd
(which follows the Jenkins xUnit plugin's junit-10.xsd)."""

import xml.etree.ElementTree as ET

import pytest
from lxml import etree

from reports import fixtures
from reports import json_report
from reports import junit


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(fixtures.path("junit.xsd")))


def _valid(schema, text):
    doc = etree.fromstring(text.encode("utf-8"))
    ok = schema.validate(doc)
    return ok, str(schema.error_log)


def _cases(text):
    root = ET.fromstring(text)
    return {(c.get("classname"), c.get("name")): c
            for c in root.iter("testcase")}


def test_report_validates_against_the_junit_schema(schema):
    for strict in (False, True):
        ok, log = _valid(schema, junit.render(fixtures.report(strict)))
        assert ok, log


def test_schema_rejects_what_ci_servers_would_not_read(schema):
    # The validation can fail: a testsuite without its required counts and
    # an unknown element are refused.
    ok, _ = _valid(schema, '<testsuites><testsuite name="x"/></testsuites>')
    assert not ok
    ok, _ = _valid(schema, '<testsuites><testsuite name="x" tests="1" '
                   'failures="0" errors="0"><testcase name="a"><oops/>'
                   '</testcase></testsuite></testsuites>')
    assert not ok
    ok, _ = _valid(schema, '<testsuites time="1e3"/>')
    assert not ok


def test_one_testcase_per_scenario_and_target():
    cases = _cases(junit.render(fixtures.report()))
    assert len(cases) == 14
    # classname = target name + scenario folder; name = scenario id.
    assert ("reference.rfc5321", "rcpt-before-mail") in cases
    assert ("legacy-mta.rfc3207", "starttls-upgrade") in cases
    assert cases[("legacy-mta.rfc5321", "quit-closes")].get("time") == "5.004"


def test_suites_per_target_with_counts_and_properties():
    root = ET.fromstring(junit.render(fixtures.report()))
    assert (root.get("tests"), root.get("failures"),
            root.get("errors")) == ("14", "2", "1")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["reference", "legacy-mta"]
    legacy = suites[1]
    assert (legacy.get("tests"), legacy.get("failures"), legacy.get("errors"),
            legacy.get("skipped")) == ("7", "2", "1", "0")
    props = {p.get("name"): p.get("value") for p in legacy.iter("property")}
    assert props["address"] == "127.0.0.1:40124"
    assert props["strict"] == "false"


def test_failure_message_is_the_first_finding_and_body_has_all():
    case = _cases(junit.render(fixtures.report()))[
        ("legacy-mta.rfc5321", "data-bare-lf")]
    failure = case.find("failure")
    assert failure.get("message") == (
        "MUST RFC 5321 4.1.1.4: The server ended the mail data at "
        "<LF>.<LF>; only <CRLF>.<CRLF> ends it, so the bare-LF line must "
        "stay part of the message.")
    assert failure.get("type") == "FAILED"
    body = failure.text
    # Every finding with its citation (RFC 5321 4.1.1.4, 2.3.8) ...
    assert body.count("MUST RFC 5321 4.1.1.4:") == 2
    assert "MUST RFC 5321 2.3.8: The server ended a reply line" in body
    # ... and the transcript around the failing step, bytes escaped (an
    # XML 1.0 document cannot even hold the NUL the server sent).
    assert "> C: Caf\\xE9 cr\\xC3\\xA8me\\n" in body
    assert "S: 250 2.0.0 queued as 4F2A\\x00" in body


def test_skipped_and_error():
    cases = _cases(junit.render(fixtures.report()))
    skipped = cases[("reference.rfc3207", "starttls-upgrade")].find("skipped")
    assert skipped.get("message") == (
        "The target did not advertise STARTTLS in its EHLO reply, and this "
        "scenario requires it.")
    error = cases[("legacy-mta.rfc3207", "starttls-upgrade")].find("error")
    assert error.get("message").startswith("The TLS handshake failed")
    assert "S: 220 2.0.0 Ready to start TLS" in error.text


def test_expected_failure_passes_with_a_note():
    case = _cases(junit.render(fixtures.report()))[
        ("legacy-mta.rfc5321", "rcpt-before-mail")]
    assert case.find("failure") is None and case.find("error") is None
    out = case.find("system-out").text
    assert out.startswith("Expected failure")
    assert "accepts RCPT before MAIL (ticket OPS-231)" in out
    assert "MUST RFC 5321 4.1.4: RCPT before MAIL" in out


def test_stale_expectation_fails_only_under_strict():
    key = ("legacy-mta.rfc5321", "postmaster-accepted")
    loose = _cases(junit.render(fixtures.report()))[key]
    assert loose.find("failure") is None
    assert loose.find("system-out").text.startswith("Stale expectation")
    strict = _cases(junit.render(fixtures.report(strict=True)))[key]
    failure = strict.find("failure")
    assert failure.get("type") == "STALE"
    assert failure.get("message").startswith(
        "stale expectation: postmaster-accepted no longer fails")


def test_non_strict_and_unimplemented_pass_with_notes():
    cases = _cases(junit.render(fixtures.report()))
    non_strict = cases[("legacy-mta.rfc5321", "ehlo-multiline")]
    assert non_strict.find("failure") is None
    assert "SHOULD RFC 5321 4.1.1.1" in non_strict.find("system-out").text
    unimpl = cases[("legacy-mta.rfc5321", "vrfy-postmaster")]
    assert unimpl.find("system-out").text.startswith("UNIMPLEMENTED")
    strict = _cases(junit.render(fixtures.report(strict=True)))
    failure = strict[("legacy-mta.rfc5321", "ehlo-multiline")].find("failure")
    assert failure.get("message").startswith("SHOULD RFC 5321 4.1.1.1")


def test_hostile_text_still_gives_valid_xml(schema):
    report = fixtures.report()
    result = report["results"][13]
    result["scenario"]["id"] = "q\x00uit]]>&<\x1b"
    result["findings"][0]["message"] = "bad \x0c\x1b[0m \ud800 \uffff"
    result["target"]["name"] = "mx.example.org"
    text = junit.render(report)
    ok, log = _valid(schema, text)
    assert ok, log
    case = ET.fromstring(text).findall(".//testcase")[-1]
    assert case.get("name") == "q\\x00uit]]>&<\\x1B"
    # Dots in the target name would split the CI's package/class grouping.
    assert case.get("classname") == "mx_example_org.rfc5321"
    assert case.find("failure").get("message") == (
        "MUST RFC 5321 4.1.1.10: bad \\x0C\\x1B[0m \\uD800 \\uFFFF")


def test_empty_run_is_valid(schema):
    text = junit.render(json_report.build([]))
    ok, log = _valid(schema, text)
    assert ok, log
    assert ET.fromstring(text).get("tests") == "0"
