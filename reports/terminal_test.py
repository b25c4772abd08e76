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
    # 10 passed; 2 FAILED + 1 ERROR; 1 SKIPPED (docs/reports.md).
    text = terminal.render(fixtures.report())
    assert text.splitlines()[-1] == "10 passed, 3 failed, 1 skipped"
    strict = terminal.render(fixtures.report(strict=True))
    assert strict.splitlines()[-1] == "8 passed, 5 failed, 1 skipped"


def test_ci_gets_plain_lines_and_no_colour():
    _, text = _feed(FakeTTY(), {"CI": "true"}, fixtures.report())
    lines = text.splitlines()
    assert lines[0].split() == ["OK", "ehlo-multiline", "@", "reference",
                                "(1.3", "ms)"]
    assert lines[3].startswith("EXPECTED FAILURE rcpt-before-mail @ legacy")
    assert "\r" not in text and "\x1b" not in text
    assert lines[-1] == "10 passed, 3 failed, 1 skipped"


def test_no_tty_gets_plain_lines():
    term, text = _feed(io.StringIO(), {}, fixtures.report())
    assert not term.progress_bar
    assert text.count("@ legacy-mta  (") == 7
    assert "\x1b" not in text


def test_tty_gets_a_progress_bar_and_colour():
    term, text = _feed(FakeTTY(), {}, fixtures.report())
    assert term.progress_bar
    assert "\r\x1b[K[" in text
    assert "14/14" in text
    assert "\x1b[1;31mFAILED\x1b[0m data-bare-lf @ legacy-mta" in text
    # The closing line stays plain even on a TTY.
    assert text.splitlines()[-1] == "10 passed, 3 failed, 1 skipped"


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


def test_only_the_first_divergences_are_shown():
    text = terminal.render(fixtures.report(strict=True), max_divergences=2)
    assert text.count("\n  transcript:") == 2
    assert "... and 3 more divergences: see the HTML or JSON report." in text


def test_summary_names_stale_entries_and_targets():
    text = terminal.render(fixtures.report())
    assert ("  expectations: 1 expected failure, 1 stale (remove: "
            "postmaster-accepted @ legacy-mta)") in text
    assert "  legacy-mta: 4 passed, 2 failed, 1 error, 0 skipped" in text
    assert "  verdicts: 7 OK, 1 NON-STRICT, 1 UNIMPLEMENTED, 3 FAILED, " \
           "1 SKIPPED, 1 ERROR" in text


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
