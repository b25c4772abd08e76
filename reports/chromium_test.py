"""The HTML report in headless Chromium: the DOM after the script ran.

Skips only when Chromium is absent (Debian package `chromium`, installed by
tools/setup.sh).
"""

import os
import re
import struct

import pytest

from reports import chromium
from reports import dom
from reports import fixtures
from reports import html

pytestmark = pytest.mark.skipif(
    chromium.find() is None,
    reason="chromium is not installed (Debian package: chromium; "
    "tools/setup.sh installs it)")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "report.html"
    path.write_text(html.render(fixtures.report()), encoding="utf-8")
    return str(path)


def _dump(path, fragment=""):
    code, out = chromium.dump_dom(path, fragment)
    assert code == 0, out
    assert "</html>" in out, out[:500]
    return dom.parse(out)


def _visible(doc):
    return [(card.find("span", cls="sid").text(),
             card.find("span", cls="starget").text())
            for card in doc.find_all("details", cls="result")
            if not card.hidden()]


def _shown(doc):
    return doc.find("b", id="shown-count").text()


def _matrix_rows(doc):
    return [row.find("span", cls="sid").text()
            for row in doc.find("table", cls="matrix").find_all("tr")
            if row.parent.tag == "tbody" and not row.hidden()]


def test_everything_shows_without_filters(page):
    doc = _dump(page)
    assert len(_visible(doc)) == 16
    assert _shown(doc) == "16"
    # Failures first, as rendered.
    assert _visible(doc)[:4] == [("data-bare-lf", "legacy-mta"),
                                 ("quit-closes", "legacy-mta"),
                                 ("starttls-upgrade", "legacy-mta"),
                                 ("rcpt-unknown-mailbox", "legacy-mta")]
    # The incidental findings are there, outside the filtered results.
    assert len(doc.find("section", id="incidental").find_all(
        "div", cls="incidental-item")) == 3
    assert doc.find("p", id="no-match").hidden()
    assert doc.find("body").attrs["data-filtered"] == "false"
    # The script ran, and the hostile DATA line is still text: the only
    # script element is the page's own.
    assert len(doc.find_all("script")) == 1
    row = doc.find("tr", id="r-5-s-9")
    assert "</script><script>alert(1)</script>" in row.text()


def test_verdict_fragment_filters_results_and_matrix(page):
    doc = _dump(page, "verdict=FAILED")
    assert _visible(doc) == [("data-bare-lf", "legacy-mta"),
                             ("quit-closes", "legacy-mta")]
    assert _shown(doc) == "2"
    assert _matrix_rows(doc) == ["data-bare-lf", "quit-closes"]
    pressed = [c.attrs["data-verdict"] for c in doc.find_all("button",
                                                             cls="chip")
               if c.attrs["aria-pressed"] == "true"]
    assert pressed == ["FAILED"]
    assert doc.find("body").attrs["data-filtered"] == "true"


def test_tag_rfc_and_verdict_combine(page):
    # RFC 5321 2.3 selects 2.3.8 (a section inside it), and only results
    # tagged wire with an OK or FAILED label remain.
    doc = _dump(page, "verdict=OK,FAILED&tag=wire&rfc=5321:2.3")
    assert _visible(doc) == [("data-bare-lf", "legacy-mta"),
                             ("data-bare-lf", "reference")]
    assert doc.find("select", id="filter-tag").find(
        "option", value="wire") is not None


def test_inconclusive_chip_filters_on_its_own(page):
    doc = _dump(page, "verdict=INCONCLUSIVE")
    assert _visible(doc) == [("rcpt-unknown-mailbox", "legacy-mta")]
    assert _matrix_rows(doc) == ["rcpt-unknown-mailbox"]
    pressed = [c.attrs["data-verdict"] for c in doc.find_all("button",
                                                             cls="chip")
               if c.attrs["aria-pressed"] == "true"]
    assert pressed == ["INCONCLUSIVE"]


def test_whole_rfc_and_text_search(page):
    doc = _dump(page, "rfc=3207:&q=handshake")
    assert _visible(doc) == [("starttls-upgrade", "legacy-mta")]
    doc = _dump(page, "verdict=FAILED&tag=vrfy")
    assert _visible(doc) == []
    assert not doc.find("p", id="no-match").hidden()


def test_clicking_chips_filters_and_updates_the_fragment(page, tmp_path):
    # Drive the page the way a person does: click two verdict chips.
    copy = _copy_with_script(
        page, tmp_path, "clicked.html",
        'document.querySelector(\'.chip[data-verdict="ERROR"]\').click();'
        'document.querySelector(\'.chip[data-verdict="SKIPPED"]\').click();'
        'document.body.setAttribute("data-hash", '
        'decodeURIComponent(location.hash));')
    doc = _dump(copy)
    assert _visible(doc) == [("starttls-upgrade", "legacy-mta"),
                             ("starttls-upgrade", "reference")]
    assert doc.find("body").attrs["data-hash"] == "#verdict=ERROR,SKIPPED"
    assert _shown(doc) == "2"


def _copy_with_script(page, tmp_path, name, code):
    """A copy of PAGE that runs CODE after the page's script, the CSP
    (which rightly refuses any other script) removed."""
    text = open(page, encoding="utf-8").read()
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "",
                  text)
    copy = tmp_path / name
    copy.write_text(text.replace("</body>", "<script>%s</script></body>" %
                                 code), encoding="utf-8")
    return str(copy)


def test_a_link_into_a_packed_card_opens_it_with_its_transcript(page):
    # r-0 (ehlo-multiline @ reference, OK) starts closed and packed; a
    # link to its step 1 opens it, and the script unpacks its body.
    before = dom.parse(open(page, encoding="utf-8").read())
    assert "data-packed" in before.find("details", id="r-0").find(
        "div", cls="rbody").attrs
    doc = _dump(page, "r-0-s-1")
    card = doc.find("details", id="r-0")
    assert "open" in card.attrs
    body = card.find("div", cls="rbody")
    assert "data-packed" not in body.attrs
    row = body.find("tr", id="r-0-s-1")
    assert "EHLO" in row.text()
    assert "250-PIPELINING" in body.find("table", cls="transcript").text()
    # The script ran, so the note for readers without it is gone.
    assert doc.find("p", id="packed-note").hidden()


def test_expand_all_unpacks_every_card(page, tmp_path):
    copy = _copy_with_script(page, tmp_path, "expanded.html",
                             'document.getElementById("expand-all").click();')
    doc = _dump(copy)
    cards = doc.find_all("details", cls="result")
    assert len(cards) == 16
    for card in cards:
        assert "open" in card.attrs, card.attrs["id"]
        body = card.find("div", cls="rbody")
        assert "data-packed" not in body.attrs, card.attrs["id"]
        assert body.find("table", cls="transcript") is not None


def test_one_target_grid_fades_what_the_filters_hide(tmp_path):
    path = tmp_path / "one.html"
    path.write_text(html.render(fixtures.report(only_target="legacy-mta")),
                    encoding="utf-8")
    doc = _dump(str(path), "verdict=FAILED")
    squares = doc.find("section", id="overview").find_all("a", cls="gc")
    assert len(squares) == 8
    shown = [s.attrs["title"] for s in squares if "off" not in s.classes()]
    assert shown == ["data-bare-lf: FAILED", "quit-closes: FAILED"]


def test_screenshot(page):
    out_dir = os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR") or os.path.dirname(
        page)
    png = os.path.join(out_dir, "report.png")
    assert chromium.screenshot(page, png, width=1280, height=1600) == ""
    with open(png, "rb") as f:
        head = f.read(24)
        size = len(head) + len(f.read())
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1280, 1600)
    assert size > 20000  # a rendered page, not a blank one
