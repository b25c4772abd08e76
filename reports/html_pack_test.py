"""The HTML report's packed card bodies (reports/html_pack.py), and the
size of a corpus run's report.

The corpus run of issue 15 (176 results against the reference server and
client) made a 3.2 MB page; the code before packing writes 2.97 MB for
corpus_like() below, the same shape of run. The bound here is ten times
smaller than that, so losing the pack (or the deduplicated lines) fails.
"""

import base64

from reports import dom
from reports import fixtures
from reports import html
from reports import html_pack
from reports import html_result
from reports import json_report

_EHLO = ("250-localhost greets client.smtpspec.test\r\n250-8BITMIME\r\n"
         "250-PIPELINING\r\n250-SIZE 10485760\r\n250-ENHANCEDSTATUSCODES\r\n"
         "250-STARTTLS\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n")
_BODY = ("From: <smtpspec@client.smtpspec.test>\r\nTo: <postmaster@localhost>"
         "\r\nSubject: smtpspec\r\nMessage-ID: <1@client.smtpspec.test>\r\n"
         "\r\nHello.\r\n.\r\n")
_CONVERSATION = [
    ("S: 220 ...", "S", "220 localhost smtpspec reference server ready\r\n"),
    ("C: EHLO ${client_domain}", "C", "EHLO client.smtpspec.test\r\n"),
    ("S: 250 ...", "S", _EHLO),
    ("C: MAIL FROM:<${sender}>", "C",
     "MAIL FROM:<smtpspec@client.smtpspec.test>\r\n"),
    ("S: 250 ...", "S", "250 2.1.0 OK\r\n"),
    ("C: RCPT TO:<${mailbox}>", "C", "RCPT TO:<postmaster@localhost>\r\n"),
    ("S: 250|251 ...", "S", "250 2.1.5 OK\r\n"),
    ("C: DATA", "C", "DATA\r\n"),
    ("S: 354 ...", "S", "354 End data with <CR><LF>.<CR><LF>\r\n"),
    ("!body\nHello.\n!end", "C", _BODY),
    ("S: 250 ...", "S", "250 2.0.0 OK: message accepted\r\n"),
    ("C: QUIT", "C", "QUIT\r\n"),
    ("S: 221 ...", "S",
     "221 2.0.0 localhost Service closing transmission channel\r\n"),
]


def _result(n, target, folder):
    steps = []
    transcript = []
    for index, (text, direction, data) in enumerate(_CONVERSATION):
        steps.append({"index": index, "line": 11 + index, "text": text,
                      "status": "ok"})
        transcript.append({"t_ms": 0.2 + index, "dir": direction,
                           "data": data, "step": index})
    return {
        "schema": "smtpspec.result/1",
        "scenario": {"id": "%s.scenario-%d" % (folder.replace("/", "."), n),
                     "title": "Scenario %d of a corpus-like run" % n,
                     "file": "scenarios/%s/s%d.smtp" % (folder, n),
                     "line": 1, "rfc": ["RFC 5321 4.1.1.1"],
                     "rules": ["rfc5321/4.1.1.1-ehlo"], "level": "MUST",
                     "tags": ["ehlo"],
                     "tests": "client" if target["name"].endswith("client")
                     else "server"},
        "target": target,
        "mode": "server",
        "verdict": "OK", "reason": "", "findings": [], "incidental": [],
        "steps": steps, "transcript": transcript,
        "started_at": "2026-12-07T20:54:40Z", "duration_ms": 16.0}


def corpus_like():
    """A run report shaped like the corpus run: 150 server and 26 client
    results, all OK, each a whole mail transaction with the reference
    server's EHLO reply, 20 folders; one BDAT chunk of 12,000 lines."""
    server = {"name": "reference-server", "address": "127.0.0.1:2525",
              "tls": "none"}
    client = {"name": "reference-client", "address": "", "tls": "none",
              "command": "smtpspec_send --server {host}:{port}"}
    results = []
    for n in range(176):
        target = client if n >= 150 else server
        results.append(_result(n, target, "rfc5321/4.1.%d-x" % (n % 20)))
    # rfc3030.2.size-across-chunks sends one BDAT chunk of 12,000 lines.
    results[0]["transcript"][9]["data"] = ("0123456789" * 7 + "\r\n") * 12000
    return json_report.build(results, command=["smtpspec", "run"],
                             strict=False, started_at="2026-12-07T20:54:40Z",
                             duration_ms=26000.0)


def test_a_corpus_run_makes_a_small_page():
    report = corpus_like()
    json_report.loads(json_report.dumps(report))  # a valid run report
    page = html.render(report)
    assert len(page) < 300000, len(page)
    # Nothing was lost on the way: every card's body is in the pack.
    bodies = html_pack.unpack(page)
    assert len(bodies) == 176
    assert "(the same line 11999 more times)" in bodies["r-0"]
    card = dom.parse_report(page).find("details", id="r-0")
    assert "250-PIPELINING" in card.find("table", cls="transcript").text()


def test_closed_cards_are_packed_open_ones_written_out():
    report = fixtures.report()
    page = html.render(report)
    bodies = html_pack.unpack(page)
    doc = dom.parse(page)
    cards = doc.find_all("details", cls="result")
    assert len(cards) == 16
    for card in cards:
        body = card.find("div", cls="rbody")
        rid = card.attrs["id"]
        if "open" in card.attrs:  # FAILED or ERROR: readable without script
            assert rid not in bodies
            assert body.find("table", cls="transcript") is not None
        else:
            assert "data-packed" in body.attrs
            assert body.text() == "Packed: JavaScript shows the details."
            result = report["results"][int(rid[2:])]
            assert bodies[rid] == html_result.body(result, rid)
    assert len(bodies) == 13  # all but 2 FAILED and 1 ERROR
    # Until the script runs, the page says where the details are.
    assert doc.find("p", id="packed-note") is not None


def test_packing_is_deterministic():
    # No time stamp in the gzip header (RFC 1952 2.3.1: MTIME 0 means
    # none): the same report, the same page.
    page = html.render(fixtures.report())
    tag = '<template id="packed">'
    start = page.index(tag) + len(tag)
    blob = base64.b64decode(page[start:page.index("</template>", start)])
    assert blob[:2] == b"\x1f\x8b" and blob[4:8] == b"\0\0\0\0"
    assert page == html.render(fixtures.report())


def test_a_run_of_failures_has_no_pack():
    report = fixtures.report()
    report["results"] = [r for r in report["results"]
                         if r["verdict"] in ("FAILED", "ERROR") and
                         "expectation" not in r]
    page = html.render(report)
    assert html_pack.unpack(page) == {}
    doc = dom.parse(page)
    assert doc.find("template") is None
    assert doc.find("p", id="packed-note") is None
    assert len(doc.find_all("details", cls="result")) == 3
