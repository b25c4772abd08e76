"""Tests for the terminal report."""

import io

from reports import excerpt
from reports import fixtures
from reports import json_report
from reports import terminal


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def _feed(out, env, report):
    term = terminal.Terminal(out, total=len(report["results"]), env=env)
    for result in report["results"]:
        term.add(result)
    term.finish(report)
    return term, out.getvalue()


def test_last_line_is_passed_failed_skipped_with_errors_as_failed():
    # 13 passed (two of them incidental findings); 2 FAILED + 1 ERROR + the
    # MUST incidental finding; 1 SKIPPED; 1 INCONCLUSIVE, on its own
    # (docs/reports.md).
    text = terminal.render(fixtures.report())
    assert text.splitlines()[-1] == (
        "13 passed, 4 failed, 1 skipped, 1 inconclusive")
    strict = terminal.render(fixtures.report(strict=True))
    assert strict.splitlines()[-1] == (
        "10 passed, 7 failed, 1 skipped, 1 inconclusive")
    # Without an inconclusive result the line is exactly as before.
    only = terminal.render(fixtures.report(only_target="reference"))
    assert only.splitlines()[-1] == "8 passed, 0 failed, 1 skipped"


def test_ci_gets_plain_lines_and_no_colour():
    _, text = _feed(FakeTTY(), {"CI": "true"}, fixtures.report())
    lines = text.splitlines()
    assert lines[0].split() == ["OK", "ehlo-multiline", "@", "reference",
                                "(1.3", "ms)"]
    assert lines[3].startswith("EXPECTED FAILURE rcpt-before-mail @ legacy")
    assert "\r" not in text and "\x1b" not in text
    assert lines[-1] == "13 passed, 4 failed, 1 skipped, 1 inconclusive"


def test_no_tty_gets_plain_lines():
    term, text = _feed(io.StringIO(), {}, fixtures.report())
    assert not term.progress_bar
    assert text.count("@ legacy-mta  (") == 8
    assert "INCONCLUSIVE     rcpt-unknown-mailbox @ legacy-mta  (2.4 ms)" in (
        text)
    assert "\x1b" not in text


def test_tty_gets_a_progress_bar_and_colour():
    term, text = _feed(FakeTTY(), {}, fixtures.report())
    assert term.progress_bar
    assert "\r\x1b[K[" in text
    assert "16/16" in text
    assert "\x1b[1;31mFAILED\x1b[0m data-bare-lf @ legacy-mta" in text
    assert "\x1b[34mINCONCLUSIVE\x1b[0m rcpt-unknown-mailbox" in text
    # The closing line stays plain even on a TTY.
    assert text.splitlines()[-1] == (
        "13 passed, 4 failed, 1 skipped, 1 inconclusive")


def test_no_color_turns_colour_off_on_a_tty():
    term, text = _feed(FakeTTY(), {"NO_COLOR": "1"}, fixtures.report())
    assert term.progress_bar
    assert "\x1b[1;31m" not in text and "\x1b[0m" not in text


def test_divergences_show_findings_citations_and_context():
    text = terminal.render(fixtures.report())
    block = text.split("FAILED data-bare-lf @ legacy-mta")[1].split(
        "\n\n")[0]
    assert "MUST RFC 5321 4.1.1.4: The server ended the mail data" in block
    assert "MUST RFC 5321 2.3.8: The server ended a reply line" in block
    # RFC 5321 2.3.8: the bare LF and the 8-bit bytes are visible.
    assert "    > C: Caf\\xE9 cr\\xC3\\xA8me\\n" in block
    assert "      S: 250 2.0.0 queued as 4F2A\\x00" in block
    assert "... 10 earlier lines" in block
    # Passing results are not divergences.
    assert "EXPECTED FAILURE rcpt-before-mail" not in text
    assert "ERROR starttls-upgrade @ legacy-mta" in text
    assert "The TLS handshake failed" in text


def _headings(text):
    return [line for line in text.splitlines()
            if line.split(" ")[0] in ("FAILED", "ERROR", "INCONCLUSIVE",
                                      "STALE", "NON-STRICT")
            and " @ " in line and "incidental" not in line]


def test_every_divergence_is_shown_failures_first():
    # --strict: 4 failures (in scenario order, whatever made them fail),
    # then the error, then the inconclusive result with its reason.
    text = terminal.render(fixtures.report(strict=True))
    assert _headings(text) == [
        "NON-STRICT ehlo-multiline @ legacy-mta",
        "FAILED data-bare-lf @ legacy-mta",
        "STALE postmaster-accepted @ legacy-mta",
        "FAILED quit-closes @ legacy-mta",
        "ERROR starttls-upgrade @ legacy-mta",
        "INCONCLUSIVE rcpt-unknown-mailbox @ legacy-mta"]
    assert text.count("\n  transcript:") == 5
    assert "more divergence" not in text
    assert ("INCONCLUSIVE rcpt-unknown-mailbox @ legacy-mta\n  The target "
            "accepted RCPT for a mailbox that does not exist") in text


def test_no_cap_on_divergences():
    report = fixtures.report()
    failed = [r for r in report["results"] if r["verdict"] == "FAILED"
              and not r.get("expectation")]
    report["results"] = failed * 12
    text = terminal.render(report)
    assert text.count("\n  transcript:") == 24
    assert len(_headings(text)) == 24


def test_summary_names_stale_entries_and_targets():
    text = terminal.render(fixtures.report())
    assert ("  expectations: 1 expected failure, 1 stale (remove: "
            "postmaster-accepted @ legacy-mta)") in text
    assert ("  legacy-mta: 4 passed, 2 failed, 1 error, 0 skipped, 1 "
            "inconclusive; incidental findings: 1 passed, 1 failed") in text
    assert ("  reference: 7 passed, 0 failed, 0 errors, 1 skipped; "
            "incidental findings: 1 passed, 0 failed") in text
    assert "  verdicts: 8 OK, 1 NON-STRICT, 1 UNIMPLEMENTED, 3 FAILED, " \
           "1 INCONCLUSIVE, 1 SKIPPED, 1 ERROR" in text
    assert "  incidental findings: 1 FAILED, 1 NON-STRICT, 1 OK" in text
    assert ("smtpspec 0.1.0: 16 results and 3 incidental findings against 2 "
            "targets in 5.0 s") in text


def test_hostile_text_cannot_drive_the_terminal():
    report = fixtures.report()
    finding = report["results"][13]["findings"][0]
    finding["message"] = "evil \x1b]0;pwned\x07 \x1b[2J"
    text = terminal.render(report)
    assert "\x1b" not in text and "\x07" not in text
    assert "evil \\x1B]0;pwned\\x07 \\x1B[2J" in text


def test_excerpt_centres_on_the_failing_step():
    result = [r for r in fixtures.report()["results"]
              if r["scenario"]["id"] == "rcpt-before-mail"
              and r["target"]["name"] == "legacy-mta"][0]
    assert excerpt.excerpt(result, radius=1) == [
        "  ... 5 earlier lines",
        "  C: RCPT TO:<alice@example.org>",
        "> S: 250 2.1.5 Ok",
        "  C: QUIT",
        "  ... 1 more line"]


def test_excerpt_says_when_nothing_arrived_for_the_step():
    result = fixtures.results()[0]
    result["findings"] = [{"kind": "pattern", "rfc": "RFC 5321 4.1.1.10",
                           "level": "MUST", "message": "no reply",
                           "step": 5, "expected": "S: 221 *",
                           "observed": ""}]
    result["transcript"] = result["transcript"][:-1]
    lines = excerpt.excerpt(result, radius=1)
    assert lines[-1] == "> (nothing observed for 'S: 221 *', line 13)"
    assert lines[-2] == "  C: QUIT"


def test_excerpt_cuts_floods():
    result = fixtures.results()[0]
    result["transcript"][-1]["data"] = "221 " + "x" * 10000000 + "\r\n"
    lines = excerpt.excerpt(result)
    assert max(len(line) for line in lines) < 250
    assert lines[-1].endswith("xxx... (9999844 more bytes)")


def test_empty_run():
    text = terminal.render(json_report.build([]))
    assert text.splitlines()[-2:] == [
        "smtpspec 0.1.0: 0 results against 0 targets in 0.0 s",
        "0 passed, 0 failed, 0 skipped"]


def test_incidental_findings_one_line_each_after_the_results():
    text = terminal.render(fixtures.report())
    lines = text.splitlines()
    first = lines.index("FAILED  incidental rfc5321/4.1.1.10-221-close @ "
                        "legacy-mta: After its 221 reply to QUIT the server "
                        "must close the connection, but it kept it open for "
                        "200 ms. (seen in 5 scenarios: ehlo-multiline, "
                        "postmaster-accepted, rcpt-before-mail, "
                        "rcpt-unknown-mailbox, vrfy-postmaster)")
    # After every scenario result, failures first, before the summary.
    assert first > max(lines.index(h) for h in _headings(text))
    assert lines[first + 1].startswith(
        "NON-STRICT incidental RFC 5321 4.1.1.1 @ legacy-mta: The first "
        "line of the EHLO reply should start")
    # Six scenarios: the first five, then "...".
    assert lines[first + 1].endswith(
        "(seen in 6 scenarios: data-bare-lf, postmaster-accepted, "
        "rcpt-before-mail, rcpt-unknown-mailbox, starttls-upgrade, ...)")
    assert lines[first + 2].startswith("OK      incidental RFC 5321 4.1.1.1 "
                                       "@ reference: ")
    assert lines[first + 3] == ""


def test_verbose_shows_transcripts_and_rfc_sentences():
    plain = terminal.render(fixtures.report())
    verbose = terminal.render(fixtures.report(), verbose=True)
    sentence = ('RFC says: "If a RCPT command appears without a previous '
                'MAIL command, the server MUST return a 503 "Bad sequence of '
                'commands" response."')
    # rcpt-before-mail is an expected failure: not shown either way.
    assert sentence not in verbose
    block = verbose.split("FAILED data-bare-lf @ legacy-mta")[1].split(
        "\n\n")[0]
    # The sentence sits beside the observed bytes, in the finding ...
    assert ("      observed: 250 2.0.0 queued as 4F2A\\x00\n      RFC says: "
            '"SMTP server systems MUST NOT [accept lines ending only in '
            '<LF>]') in block
    # ... and under the lines of the step it judges, in the whole
    # transcript (no "earlier lines" elision).
    assert ("    > C: .\\n\n        ^ MUST rfc5321/4.1.1.4-no-bare-lf: RFC "
            'says: "SMTP server systems') in block
    assert "      S: 220 legacy-mta ESMTP ready" in block
    assert "earlier line" not in block
    assert "RFC says:" not in plain
    # Incidental findings: every scenario and the sentence.
    assert ("    seen in 6 scenarios: data-bare-lf, postmaster-accepted, "
            "rcpt-before-mail, rcpt-unknown-mailbox, starttls-upgrade, "
            "vrfy-postmaster (6 findings)") in verbose
    assert ('    RFC says: "The receiver MUST send a "221 OK" reply, and '
            'then close the transmission channel."') in verbose
    # The INCONCLUSIVE result shows its transcript too, the step whose
    # premise did not hold marked.
    inconclusive = verbose.split("INCONCLUSIVE rcpt-unknown-mailbox")[1]
    inconclusive = inconclusive.split("\n\n")[0]
    assert "    > S: 250 2.1.5 Ok\n      C: QUIT" in inconclusive
    assert "      S: 250 2.1.0 Ok" in inconclusive


def test_terminal_passes_verbose_through():
    out = io.StringIO()
    term = terminal.Terminal(out, total=0, env={}, verbose=True)
    term.finish(fixtures.report())
    assert "RFC says:" in out.getvalue()


def _with_rule_entries(strict=False):
    text = fixtures.read("expectations.txt") + (
        "target legacy-mta\n"
        "    rfc5321/4.1.1.10-221-close  keeps the line open (OPS-400)\n"
        "    rfc2034/4-status-codes      221 without 2.0.0\n")
    entries = fixtures.expectations.parse(text, "e.txt").entries
    return json_report.build(
        json_report.apply_expectations(fixtures.results(), entries, strict),
        strict=strict)


def test_incidental_lines_say_expected_failure_and_stale():
    lines = terminal.render(_with_rule_entries()).splitlines()
    assert ("EXPECTED FAILURE incidental rfc5321/4.1.1.10-221-close @ "
            "legacy-mta: After its 221 reply to QUIT the server must close "
            "the connection, but it kept it open for 200 ms. (seen in 5 "
            "scenarios: ehlo-multiline, postmaster-accepted, "
            "rcpt-before-mail, rcpt-unknown-mailbox, vrfy-postmaster) "
            "[expected (expectations line 13): keeps the line open "
            "(OPS-400)]") in lines
    assert ("STALE   incidental rfc2034/4-status-codes @ legacy-mta: listed "
            "as a known deviation (expectations line 14: 221 without "
            "2.0.0), but no scenario of this run found it; remove the "
            "entry.") in lines
    assert ("  incidental findings: 1 NON-STRICT, 1 EXPECTED FAILURE, "
            "1 STALE, 1 OK") in lines
    assert ("  expectations: 2 expected failures, 2 stale (remove: "
            "postmaster-accepted @ legacy-mta, rfc2034/4-status-codes @ "
            "legacy-mta)") in lines
    # The MUST finding no longer fails the run: one failure fewer.
    assert lines[-1] == "15 passed, 3 failed, 1 skipped, 1 inconclusive"
    strict = terminal.render(_with_rule_entries(True)).splitlines()
    # Under --strict the stale entry is a failure, listed among the
    # failures (with the SHOULD finding), before the expected failure.
    found = [l.split(" incidental ")[0].strip() for l in strict
             if " incidental " in l and not l.startswith((" ", "smtpspec"))]
    assert found == ["NON-STRICT", "STALE", "EXPECTED FAILURE", "OK"]
    assert strict[-1] == "11 passed, 7 failed, 1 skipped, 1 inconclusive"
    verbose = terminal.render(_with_rule_entries(), verbose=True)
    assert ("    rule rfc2034/4-status-codes: listed as a known deviation "
            "(expectations line 14") in verbose
