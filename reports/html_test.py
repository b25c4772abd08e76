"""Tests for the HTML report, read as a browser would (reports/dom.py).

chromium_test.py checks the same page after its script ran.
"""

import base64
import hashlib
import re

import pytest

from reports import dom
from reports import fixtures
from reports import html
from reports import html_pack


@pytest.fixture(scope="module")
def page():
    return html.render(fixtures.report())


@pytest.fixture(scope="module")
def doc(page):
    return dom.parse_report(page)


def _result(doc, scenario, target):
    for card in doc.find_all("details", cls="result"):
        if (card.find("span", cls="sid").text() == scenario and
                card.find("span", cls="starget").text() == target):
            return card
    raise AssertionError("no result %s @ %s" % (scenario, target))


def test_page_loads_nothing(page, doc):
    # One self-contained file: no src, no stylesheet links, no CSS
    # imports or urls; the only links point inside the page or at RFCs.
    assert doc.find_all("link") == []
    for node in doc.find_all():
        assert "src" not in node.attrs, node.tag
    style = doc.find("style").text()
    assert "url(" not in style and "@import" not in style
    for a in doc.find_all("a"):
        href = a.attrs["href"]
        assert href.startswith("#") or href.startswith(
            "https://www.rfc-editor.org/rfc/rfc"), href
    assert "http://" not in page


def test_csp_allows_only_the_page_script(doc):
    scripts = doc.find_all("script")
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(
        scripts[0].text().encode("utf-8")).digest()).decode()
    csp = doc.find("meta", http_equiv="Content-Security-Policy")
    assert "default-src 'none'" in csp.attrs["content"]
    assert "script-src 'sha256-%s'" % digest in csp.attrs["content"]


def test_hostile_transcript_renders_as_text(page, doc):
    # The scenario step and the client's DATA line both carry
    # </script><script>alert(1)</script>: it must stay text.
    assert "<script>alert(1)" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    card = _result(doc, "data-bare-lf", "legacy-mta")
    row = card.find("tr", id="r-5-s-9")
    assert "Subject: </script><script>alert(1)</script>" in row.text()
    assert len(doc.find_all("script")) == 1
    # A reply with markup shows the markup as text, not bold.
    assert [b.attrs for b in doc.find_all("b")] == [{"id": "shown-count"}]


def test_hostile_report_fields_are_escaped():
    report = fixtures.report()
    evil = '"><img src=x onerror=alert(1)>'
    report["results"][0]["scenario"]["title"] = evil
    report["results"][0]["scenario"]["tags"] = ['x" onmouseover="alert(1)']
    report["targets"][0]["name"] = "<svg onload=alert(1)>"
    report["smtpspec_version"] = "</title><script>alert(2)</script>"
    # Result 0 passed: its body is packed, and is checked unpacked.
    doc = dom.parse_report(html.render(report))
    assert doc.find_all("img") == [] and doc.find_all("svg") == []
    assert len(doc.find_all("script")) == 1
    for node in doc.find_all():
        assert not any(k.startswith("on") for k in node.attrs), node.attrs
    assert evil in doc.text()


def test_summary_cards_count_the_run(doc):
    counts = {c.attrs["id"]: c.text() for c in doc.find_all("div", cls="n")}
    assert counts == {"count-passed": "13", "count-failed": "3",
                      "count-error": "1", "count-inconclusive": "1",
                      "count-skipped": "1", "count-expected-failure": "1",
                      "count-stale": "1", "count-incidental": "3"}
    assert doc.find("title").text() == (
        "smtpspec report: 13 passed, 4 failed, 1 skipped, 1 inconclusive")


def test_matrix_of_scenarios_and_targets(doc):
    matrix = doc.find("table", cls="matrix")
    heads = [th.text() for th in matrix.find_all("th", cls="tcol")]
    assert heads == ["reference", "legacy-mta"]
    rows = matrix.find("tbody").find_all("tr")
    assert len(rows) == 8
    cells = {row.find("span", cls="sid").text():
             [a.text() for a in row.find_all("a", cls="badge")]
             for row in rows}
    assert cells["rcpt-before-mail"] == ["OK", "EXPECTED FAILURE"]
    assert cells["starttls-upgrade"] == ["SKIPPED", "ERROR"]
    assert cells["postmaster-accepted"] == ["OK", "STALE"]
    assert cells["rcpt-unknown-mailbox"] == ["OK", "INCONCLUSIVE"]
    # Failures first: each row by its worst result (as the result cards),
    # scenario order within a group.
    assert [row.find("span", cls="sid").text() for row in rows] == [
        "data-bare-lf", "quit-closes", "starttls-upgrade",
        "rcpt-unknown-mailbox", "ehlo-multiline", "rcpt-before-mail",
        "postmaster-accepted", "vrfy-postmaster"]
    # Each cell links to its result.
    by_id = {row.find("span", cls="sid").text(): row for row in rows}
    link = by_id["rcpt-before-mail"].find_all("a", cls="badge")[1].attrs[
        "href"]
    assert doc.find("details", id=link[1:]).attrs["data-label"] == (
        "EXPECTED FAILURE")
    # A matrix, so no grid.
    assert doc.find("section", id="overview") is None


def test_a_client_target_shows_its_command():
    report = fixtures.report()
    report["targets"].append({"name": "swaks", "address": "", "tls": "none",
                              "command": "swaks --server {host}:{port}"})
    table = dom.parse(html.render(report)).find("table", cls="targets")
    rows = [[td.text() for td in tr.find_all("td")][:2]
            for tr in table.find("tbody").find_all("tr")]
    assert rows[-1] == ["swaks", "swaks --server {host}:{port}"]
    assert rows[0][1] != ""  # a server: its address


def test_one_target_gets_a_grid_not_a_matrix():
    doc = dom.parse(html.render(fixtures.report(only_target="legacy-mta")))
    assert doc.find("table", cls="matrix") is None
    assert len(doc.find_all("details", cls="result")) == 8
    section = doc.find("section", id="overview")
    blocks = section.find_all("div", cls="gtarget")
    assert [b.find("h3").text() for b in blocks] == ["legacy-mta 8 results"]
    # One row per scenario folder, one square per result in it, failures
    # first within the row.
    rows = {r.find("span", cls="gname").text():
            [(a.attrs["title"], a.classes()) for a in r.find_all(
                "a", cls="gc")]
            for r in blocks[0].find_all("div", cls="grow")}
    assert list(rows) == ["rfc3207", "rfc5321"]
    assert [title for title, _ in rows["rfc5321"]] == [
        "data-bare-lf: FAILED", "quit-closes: FAILED",
        "rcpt-unknown-mailbox: INCONCLUSIVE", "ehlo-multiline: NON-STRICT",
        "rcpt-before-mail: EXPECTED FAILURE", "postmaster-accepted: STALE",
        "vrfy-postmaster: UNIMPLEMENTED"]
    assert rows["rfc3207"] == [("starttls-upgrade: ERROR", ["gc", "v-error"])]
    # Each square links to its result card.
    for square in section.find_all("a", cls="gc"):
        card = doc.find("details", id=square.attrs["href"][1:])
        assert square.attrs["title"] == "%s: %s" % (
            card.find("span", cls="sid").text(), card.attrs["data-label"])
        assert "v-" + card.attrs["data-label"].lower().replace(
            " ", "-") in square.classes()


def test_targets_without_shared_scenarios_get_a_grid_each():
    # A server and a client under test run scenarios of their own: a
    # matrix would be mostly empty cells.
    report = fixtures.report()
    for result in report["results"]:
        if result["target"]["name"] == "reference":
            result["scenario"]["id"] += "-client"
            result["scenario"]["file"] = "scenarios/rfc5321/client/x.smtp"
    doc = dom.parse(html.render(report))
    assert doc.find("table", cls="matrix") is None
    blocks = doc.find("section", id="overview").find_all("div",
                                                         cls="gtarget")
    assert [b.find("h3").text() for b in blocks] == [
        "reference 8 results", "legacy-mta 8 results"]
    assert [r.find("span", cls="gname").text()
            for r in blocks[0].find_all("div", cls="grow")] == [
        "rfc5321/client"]


def test_no_results_no_overview():
    report = fixtures.report()
    report["results"] = []
    doc = dom.parse(html.render(report))
    assert doc.find("section", id="overview") is None
    assert doc.find("table", cls="matrix") is None


def test_folders_sort_by_section_number():
    report = fixtures.report(only_target="reference")
    for result, folder in zip(report["results"], [
            "rfc5321/4.1.10-x", "rfc5321/4.1.9-x", "rfc5321/4.1.1-x",
            "examples", "rfc3030", "rfc5321/4.1.9-x", "rfc5321/10-x",
            "rfc5321/2-x"]):
        result["scenario"]["file"] = "scenarios/%s/a.smtp" % folder
    doc = dom.parse(html.render(report))
    assert [n.text() for n in doc.find_all("span", cls="gname")] == [
        "examples", "rfc3030", "rfc5321/2-x", "rfc5321/4.1.1-x",
        "rfc5321/4.1.9-x", "rfc5321/4.1.10-x", "rfc5321/10-x"]


def test_expected_against_observed_side_by_side(doc):
    card = _result(doc, "data-bare-lf", "legacy-mta")
    assert "open" in card.attrs  # failed results start open
    row = card.find("tr", id="r-5-s-12")
    assert row.classes() == ["st-mismatch", "has-finding"]
    cells = row.find_all("td")
    assert cells[1].text() == "21"  # the line in the scenario file
    assert cells[2].find("code", cls="pat").text() == "S: 250 *"
    observed = cells[3].find("code")
    assert observed.text().startswith("500 5.5.2 Syntax error <b>.</b>")
    # RFC 5321 2.3.8: the bare LF is flagged on the line it ends.
    assert observed.find("span", cls="bad").text() == "bare LF"
    # 8-bit and NUL bytes are shown escaped and highlighted.
    escs = [s.text() for s in card.find_all("span", cls="esc")]
    assert "\\xE9" in escs and "\\xC3" in escs and "\\x00" in escs
    # Data tied to no step (the early 250) keeps its place in wire order.
    loose = card.find("tr", cls="st-loose")
    assert "queued as 4F2A" in loose.text()
    assert card.find("tr", id="r-5-s-13").classes() == ["st-not-reached"]


def test_findings_are_highlighted_and_linked_to_their_section(doc):
    card = _result(doc, "data-bare-lf", "legacy-mta")
    findings = card.find_all("div", cls="finding")
    assert len(findings) == 3
    links = [f.find("a", cls="cite").attrs["href"] for f in findings]
    assert set(links) == {
        "https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.4",
        "https://www.rfc-editor.org/rfc/rfc5321#section-2.3.8"}
    # A finding tied to a step sits under that step and links to it.
    row = card.find("tr", id="r-5-s-10")
    assert "has-finding" in row.classes()
    under = card.find_all("tr", cls="finding-row")[0]
    assert under.find("a", cls="step-link").attrs["href"] == "#r-5-s-10"
    assert under.find("span", cls="lvl").text() == "MUST"


def test_filters_list_verdicts_tags_and_sections(doc):
    chips = [c.attrs["data-verdict"] for c in doc.find_all("button",
                                                           cls="chip")]
    assert chips == ["OK", "NON-STRICT", "UNIMPLEMENTED", "EXPECTED FAILURE",
                     "STALE", "FAILED", "ERROR", "INCONCLUSIVE", "SKIPPED"]
    # Each chip counts its results (the fixtures: 16 in all, 7 OK).
    counts = {c.attrs["data-verdict"]: int(c.find("span", cls="n").text())
              for c in doc.find_all("button", cls="chip")}
    assert counts["OK"] == 7 and counts["FAILED"] == 2
    assert sum(counts.values()) == 16
    tags = [o.attrs["value"] for o in doc.find("select", id="filter-tag")
            .find_all("option")]
    assert tags == ["", "8bit", "data", "ehlo", "minimum", "optional",
                    "quit", "rcpt", "sequence", "starttls", "tls", "vrfy",
                    "wire"]
    rfcs = [(o.attrs["value"], o.text()) for o in doc.find(
        "select", id="filter-rfc").find_all("option")]
    assert ("3207:", "RFC 3207 (all)") in rfcs
    assert ("5321:4.1.4", "RFC 5321 4.1.4") in rfcs
    values = [v for v, _ in rfcs]
    assert values.index("5321:4.1.1.1") < values.index("5321:4.1.1.10")
    card = _result(doc, "rcpt-before-mail", "legacy-mta")
    # The scenario's citations, then its findings' (the rule's section).
    assert card.attrs["data-refs"].split() == ["5321:4.1.4", "5321:4.3.2",
                                               "5321:3.3"]
    assert card.attrs["data-tags"] == " sequence minimum "


def test_notes_for_reasons_and_expectations(doc):
    error = _result(doc, "starttls-upgrade", "legacy-mta")
    assert "The TLS handshake failed" in error.find("p", cls="reason").text()
    stale = _result(doc, "postmaster-accepted", "legacy-mta")
    assert "Remove the entry" in stale.find("p", cls="stale").text()
    expected = _result(doc, "rcpt-before-mail", "legacy-mta")
    assert "OPS-231" in expected.find("p", cls="expected").text()


def test_flood_is_cut(page):
    report = fixtures.report()
    report["results"][0]["transcript"][0]["data"] = "220 " + "x" * 5000000
    text = html.render(report)
    assert len(text) < len(page) + 10000
    body = html_pack.unpack(text)["r-0"]
    assert re.search(r"\u2026 4998004 more bytes", body)


def test_identical_lines_show_once_with_their_count():
    # A BDAT chunk of equal lines (rfc3030.2.size-across-chunks sends
    # 12,000): one line and its count, in a failing (inline) card too.
    report = fixtures.report()
    result = report["results"][5]  # data-bare-lf @ legacy-mta, FAILED
    event = result["transcript"][0]
    event["data"] = "220 hi\r\n" + "chunk line\r\n" * 12000 + "end\r\n"
    doc = dom.parse(html.render(report))
    card = doc.find("details", id="r-5")
    assert "open" in card.attrs
    code = card.find("div", cls="ev").find("code")
    assert code.text() == ("220 hi\u21b5\nchunk line\u21b5\n(the same line "
                           "11999 more times)\nend\u21b5")
    assert len(str(card.text())) < 10000
    # Two equal lines are just two lines.
    event["data"] = "a\r\na\r\nb\n"
    code = dom.parse(html.render(report)).find("details", id="r-5").find(
        "div", cls="ev").find("code")
    assert code.text() == "a\u21b5\na\u21b5\nbbare LF"


def test_results_are_sorted_failures_first(doc):
    order = [(c.find("span", cls="sid").text(),
              c.find("span", cls="starget").text(), c.attrs["data-label"])
             for c in doc.find_all("details", cls="result")]
    labels = [label for _, _, label in order]
    assert order[:4] == [("data-bare-lf", "legacy-mta", "FAILED"),
                         ("quit-closes", "legacy-mta", "FAILED"),
                         ("starttls-upgrade", "legacy-mta", "ERROR"),
                         ("rcpt-unknown-mailbox", "legacy-mta",
                          "INCONCLUSIVE")]
    assert labels[4:9] == ["NON-STRICT", "EXPECTED FAILURE", "STALE",
                           "UNIMPLEMENTED", "SKIPPED"]
    assert set(labels[9:]) == {"OK"} and len(labels) == 16
    # Stable within a group: the OK ones keep scenario order.
    assert [sid for sid, _, label in order if label == "OK"][:3] == [
        "ehlo-multiline", "rcpt-before-mail", "data-bare-lf"]
    # Ids still follow the report's order, so links and fragments hold.
    assert _result(doc, "data-bare-lf", "legacy-mta").attrs["id"] == "r-5"


def test_strict_puts_non_strict_among_the_failures():
    doc = dom.parse(html.render(fixtures.report(strict=True)))
    labels = [c.attrs["data-label"]
              for c in doc.find_all("details", cls="result")]
    assert labels[:6] == ["NON-STRICT", "FAILED", "STALE", "FAILED", "ERROR",
                          "INCONCLUSIVE"]


def test_findings_quote_the_rfc_sentence_and_name_the_rule(doc):
    card = _result(doc, "quit-closes", "legacy-mta")
    finding = card.find("div", cls="finding")
    assert finding.find("code", cls="rule").text() == (
        "rfc5321/4.1.1.10-221-close")
    assert finding.find("blockquote", cls="sentence").text() == (
        'The receiver MUST send a "221 OK" reply, and then close the '
        'transmission channel.')
    # The sentence follows the observed bytes.
    eo = finding.find_all("div", cls="eo")
    assert eo[-1].find("span").text() == "observed"
    meta = card.find("dl", cls="meta").text()
    assert "Rules" in meta and "rfc5321/4.1.1.10-221-close" in meta
    # A finding without a rule shows no rule and no sentence.
    pattern = _result(doc, "rcpt-before-mail", "legacy-mta").find_all(
        "div", cls="finding")[0]
    assert pattern.find("code", cls="rule") is None
    assert pattern.find("blockquote") is None


def test_inconclusive_card_says_why(doc):
    card = _result(doc, "rcpt-unknown-mailbox", "legacy-mta")
    assert "open" not in card.attrs
    assert card.attrs["data-outcome"] == "inconclusive"
    assert "it is a catch-all" in card.find("p", cls="reason").text()
    assert "neither pass nor fail" in card.find(
        "p", cls="inconclusive").text()
    assert card.find("tr", id="r-15-s-6").classes() == ["st-mismatch"]


def test_incidental_findings_section(doc):
    section = doc.find("section", id="incidental")
    assert section.find("h2").text() == "Incidental findings"
    items = section.find_all("div", cls="incidental-item")
    # Failures first, then NON-STRICT, then OK.
    assert [i.find("span", cls="badge").text() for i in items] == [
        "FAILED", "NON-STRICT", "OK"]
    must = items[0]
    assert must.find("code", cls="rule").text() == (
        "rfc5321/4.1.1.10-221-close")
    assert must.find("span", cls="starget").text() == "@ legacy-mta"
    assert must.find("blockquote", cls="sentence").text().startswith(
        'The receiver MUST send a "221 OK" reply')
    assert must.find("p", cls="seen").text() == (
        "Seen in 5 scenarios (5 findings): ehlo-multiline, "
        "postmaster-accepted, rcpt-before-mail, rcpt-unknown-mailbox, "
        "vrfy-postmaster")
    assert must.find("a", cls="cite").attrs["href"] == (
        "https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.10")
    # Without a rule id the citation names it.
    assert items[2].find("code", cls="rule").text() == "RFC 5321 4.1.1.1"
    # The cards that saw one point at the section.
    card = _result(doc, "postmaster-accepted", "legacy-mta")
    note = card.find("p", cls="incidental")
    assert note.text().startswith("2 incidental findings")
    assert "MUST rfc5321/4.1.1.10-221-close" in note.text()
    assert note.find("a").attrs["href"] == "#incidental"


def test_no_incidental_findings_says_so():
    report = fixtures.report()
    report["incidental"] = []
    section = dom.parse(html.render(report)).find("section", id="incidental")
    assert section.find("p", cls="empty").text() == "No incidental findings."


def test_incidental_expectations_are_shown():
    text = ("target legacy-mta\n"
            "    rfc5321/4.1.1.10-221-close  keeps the line open\n"
            "    rfc2034/4-status-codes      <b>221</b> without 2.0.0\n")
    entries = fixtures.expectations.parse(text, "e.txt").entries
    report = fixtures.json_report.build(
        fixtures.json_report.apply_expectations(fixtures.results(), entries))
    doc = dom.parse(html.render(report))
    items = doc.find("section", id="incidental").find_all(
        "div", cls="incidental-item")
    assert [i.find("span", cls="badge").text() for i in items] == [
        "NON-STRICT", "EXPECTED FAILURE", "STALE", "OK"]
    expected, stale = items[1], items[2]
    assert "v-expected-failure" in expected.find("span", cls="badge").attrs[
        "class"]
    assert expected.attrs["data-outcome"] == "passed"
    assert expected.find("p", cls="expected").text() == (
        "Expected failure, listed in the expectations file (line 2): keeps "
        "the line open")
    assert stale.find("code", cls="rule").text() == "rfc2034/4-status-codes"
    assert stale.find("p", cls="stale").text().startswith(
        "Stale expectation: the expectations file lists this rule (line 3: "
        "<b>221</b> without 2.0.0)")
    assert stale.find("p", cls="seen").text() == "Seen in no scenario."
    # The cards count them: the only expectations of this file, and the
    # MUST finding is no longer among the failures.
    assert doc.find("div", id="count-expected-failure").text() == "1"
    assert doc.find("div", id="count-stale").text() == "1"
    assert doc.find("div", id="count-failed").text() == str(
        report["summary"]["failed"])
    assert report["summary"]["failed"] == fixtures.json_report.build(
        fixtures.results())["summary"]["failed"] - 1
