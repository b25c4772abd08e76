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
    # 16 results and 3 incidental findings.
    assert len(cases) == 19
    # classname = target name + scenario folder; name = scenario id.
    assert ("reference.rfc5321", "rcpt-before-mail") in cases
    assert ("legacy-mta.rfc3207", "starttls-upgrade") in cases
    assert cases[("legacy-mta.rfc5321", "quit-closes")].get("time") == "5.004"


def test_suites_per_target_with_counts_and_properties():
    root = ET.fromstring(junit.render(fixtures.report()))
    # The MUST incidental finding is the third failure.
    assert (root.get("tests"), root.get("failures"),
            root.get("errors")) == ("19", "3", "1")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["reference", "legacy-mta",
                                               "incidental", "incidental"]
    legacy = suites[1]
    # INCONCLUSIVE is written as a skipped testcase.
    assert (legacy.get("tests"), legacy.get("failures"), legacy.get("errors"),
            legacy.get("skipped")) == ("8", "2", "1", "1")
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
    case = [c for c in ET.fromstring(text).iter("testcase")
            if c.get("classname") == "mx_example_org.rfc5321"][-1]
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


def _props(case):
    return [(p.get("name"), p.get("value"))
            for p in case.find("properties").findall("property")]


def test_testcases_carry_verdict_level_citations_and_rules():
    cases = _cases(junit.render(fixtures.report()))
    assert _props(cases[("legacy-mta.rfc5321", "data-bare-lf")]) == [
        ("verdict", "FAILED"), ("level", "MUST"),
        ("rfc", "RFC 5321 4.1.1.4"), ("rfc", "RFC 5321 2.3.8"),
        ("rule", "rfc5321/4.1.1.4-no-bare-lf"),
        ("rule", "rfc5321/2.3.8-crlf-only")]
    # No rules: no rule property.
    assert ("verdict", "UNIMPLEMENTED") in _props(
        cases[("legacy-mta.rfc5321", "vrfy-postmaster")])
    assert "rule" not in dict(_props(
        cases[("legacy-mta.rfc5321", "vrfy-postmaster")]))
    assert ("verdict", "EXPECTED FAILURE") in _props(
        cases[("legacy-mta.rfc5321", "rcpt-before-mail")])


def test_inconclusive_is_skipped_and_says_so():
    cases = _cases(junit.render(fixtures.report(strict=True)))
    case = cases[("legacy-mta.rfc5321", "rcpt-unknown-mailbox")]
    assert case.find("failure") is None and case.find("error") is None
    skipped = case.find("skipped")
    assert skipped.get("message") == (
        "INCONCLUSIVE: The target accepted RCPT for a mailbox that does not "
        "exist (250 2.1.5 Ok): it is a catch-all, so this scenario cannot "
        "tell whether it refuses unknown mailboxes.")
    assert ("verdict", "INCONCLUSIVE") in _props(case)
    assert "C: RCPT TO:<no-such-user-7f3a@example.org>" in skipped.text
    # The reference refused the unknown mailbox: a plain pass.
    ok = cases[("reference.rfc5321", "rcpt-unknown-mailbox")]
    assert ok.find("skipped") is None
    assert ("verdict", "OK") in _props(ok)


def test_non_strict_names_its_should_findings():
    case = _cases(junit.render(fixtures.report()))[
        ("legacy-mta.rfc5321", "ehlo-multiline")]
    assert case.find("failure") is None
    assert ("verdict", "NON-STRICT") in _props(case)
    out = case.find("system-out").text
    assert out.startswith(
        "NON-STRICT: 1 SHOULD-level finding (this fails under --strict): "
        "SHOULD RFC 5321 4.1.1.1: The first line of the EHLO reply should "
        "start with the server's domain name")


def test_failure_body_quotes_the_rfc_sentence_beside_the_observed():
    case = _cases(junit.render(fixtures.report()))[
        ("legacy-mta.rfc5321", "quit-closes")]
    body = case.find("failure").text
    assert ("      observed: 421 4.4.2 <b>legacy-mta</b> idle timeout\n"
            "      RFC says: \"The receiver MUST send a \"221 OK\" reply, and "
            "then close the transmission channel.\"") in body
    assert "      rule: rfc5321/4.1.1.10-221-close" in body


def test_incidental_findings_are_testcases_of_their_own(schema):
    text = junit.render(fixtures.report())
    root = ET.fromstring(text)
    suites = [s for s in root.findall("testsuite")
              if s.get("name") == "incidental"]
    assert [dict((p.get("name"), p.get("value"))
                 for p in s.find("properties"))["target"]
            for s in suites] == ["reference", "legacy-mta"]
    legacy = suites[1]
    assert (legacy.get("tests"), legacy.get("failures")) == ("2", "1")
    must, should = legacy.findall("testcase")
    assert (must.get("classname"), must.get("name")) == (
        "legacy-mta.incidental", "rfc5321/4.1.1.10-221-close")
    failure = must.find("failure")
    assert failure.get("message") == (
        "MUST rfc5321/4.1.1.10-221-close: After its 221 reply to QUIT the "
        "server must close the connection, but it kept it open for 200 ms.")
    assert ("seen in 5 scenarios: ehlo-multiline, postmaster-accepted, "
            "rcpt-before-mail, rcpt-unknown-mailbox, vrfy-postmaster "
            "(5 findings)") in failure.text
    assert 'RFC says: "The receiver MUST send' in failure.text
    assert ("verdict", "FAILED") in _props(must)
    # SHOULD: passes with its text, fails under --strict.
    assert should.find("failure") is None
    assert should.get("name").startswith("RFC 5321 4.1.1.1: The first line")
    assert should.find("system-out").text.startswith(
        "NON-STRICT: incidental SHOULD finding")
    assert "starttls-upgrade, vrfy-postmaster" in should.find(
        "system-out").text
    strict = junit.render(fixtures.report(strict=True))
    strict_should = [c for c in ET.fromstring(strict).iter("testcase")
                     if c.get("name") == should.get("name")
                     and c.get("classname") == "legacy-mta.incidental"][0]
    assert strict_should.find("failure").get("type") == "NON-STRICT"
    ok, log = _valid(schema, strict)
    assert ok, log


def test_schema_still_rejects_properties_out_of_place(schema):
    # The one departure from junit-10.xsd is <properties> first in a
    # testcase; after an outcome it is still refused.
    ok, _ = _valid(schema, '<testsuites><testsuite name="x" tests="1" '
                   'failures="0" errors="0"><testcase name="a"><properties>'
                   '<property name="v" value="1"/></properties></testcase>'
                   '</testsuite></testsuites>')
    assert ok
    ok, _ = _valid(schema, '<testsuites><testsuite name="x" tests="1" '
                   'failures="0" errors="0"><testcase name="a"><skipped/>'
                   '<properties/></testcase></testsuite></testsuites>')
    assert not ok


def _with_rule_entries(strict=False):
    text = ("target legacy-mta\n"
            "    rfc5321/4.1.1.10-221-close  keeps the line open\n"
            "    rfc2034/4-status-codes      221 without 2.0.0\n")
    entries = fixtures.expectations.parse(text, "e.txt").entries
    return json_report.build(
        json_report.apply_expectations(fixtures.results(), entries, strict),
        strict=strict)


def test_expected_incidental_failure_passes_with_the_note(schema):
    text = junit.render(_with_rule_entries())
    assert _valid(schema, text) == (True, "")
    cases = _cases(text)
    case = cases[("legacy-mta.incidental", "rfc5321/4.1.1.10-221-close")]
    assert case.find("failure") is None
    out = case.find("system-out").text
    assert out.startswith("Expected failure (listed in the expectations "
                          "file): incidental rfc5321/4.1.1.10-221-close; "
                          "expected (expectations line 2): keeps the line "
                          "open\n")
    assert "seen in 5 scenarios" in out
    props = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert props["verdict"] == "EXPECTED FAILURE"
    stale = cases[("legacy-mta.incidental", "rfc2034/4-status-codes")]
    assert stale.find("failure") is None
    assert stale.find("system-out").text.startswith("Stale expectation")
    root = ET.fromstring(text)
    suite = [s for s in root.iter("testsuite")
             if s.get("name") == "incidental" and any(
                 p.get("value") == "legacy-mta" for p in s.iter("property"))]
    assert suite[0].get("failures") == "0" and suite[0].get("tests") == "3"


def test_stale_incidental_entry_fails_under_strict(schema):
    text = junit.render(_with_rule_entries(strict=True))
    assert _valid(schema, text) == (True, "")
    stale = _cases(text)[("legacy-mta.incidental", "rfc2034/4-status-codes")]
    failure = stale.find("failure")
    assert failure.get("type") == "STALE"
    assert failure.get("message").startswith(
        "stale expectation: rfc2034/4-status-codes @ legacy-mta: listed as "
        "a known deviation (expectations line 3: 221 without 2.0.0)")


def test_testcases_point_at_the_file_and_the_failing_steps_line(schema):
    text = junit.render(fixtures.report())
    cases = _cases(text)
    failed = cases[("legacy-mta.rfc5321", "quit-closes")]
    assert failed.get("file") == "scenarios/rfc5321/quit-closes.smtp"
    assert failed.get("line") == "7"  # step 2, the first finding's
    passed = cases[("reference.rfc5321", "quit-closes")]
    assert passed.get("line") == "1"  # nothing to point at: the first line
    assert all(c.get("file") and c.get("line").isdigit()
               for c in cases.values())
    assert _valid(schema, text) == (True, "")
