"""The HTML report: one self-contained file people browse.

Inline CSS and JS, nothing loaded from anywhere: a Content-Security-Policy
meta tag forbids every fetch and allows only the page's own script (by
hash), so even a mistake in escaping could not run injected script.
Sections: a summary, an overview (html_overview.py: a conformance matrix
of scenarios x targets when targets share scenarios, else a compact grid
per target), filters (verdict, tag, RFC section, text; the state lives in
the URL fragment, e.g. #verdict=FAILED,ERROR&tag=wire), every result with
its transcript, expected against observed (failures first), and the
incidental findings (model findings about rules a scenario does not test,
one item per target and rule). The bodies of the cards that start closed
are packed (html_pack.py), which keeps a corpus run's page small.
"""

import base64
import collections
import hashlib
import os

from reports import html_overview
from reports import html_pack
from reports import html_result
from reports import outcome
from reports import rfc
from reports.html_result import css_class
from reports.html_result import esc

LABELS = ("OK", "NON-STRICT", "UNIMPLEMENTED", "EXPECTED FAILURE", "STALE",
          "FAILED", "ERROR", "INCONCLUSIVE", "SKIPPED")

_ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets")


def _asset(name):
    with open(os.path.join(_ASSETS, name), encoding="utf-8") as f:
        return f.read()


def _csp(script):
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            "script-src 'sha256-%s'" % base64.b64encode(digest).decode())


def _header(report):
    summary = report["summary"]
    failing = summary["failed"] + summary["errors"]
    status = "fail" if failing else "pass"
    command = " ".join(report.get("command", []))
    return (
        '<header class="top"><div class="brand"><span class="logo">'
        'smtpspec</span><span class="sub">conformance report</span></div>'
        '<div class="status %s">%s</div><div class="runmeta">'
        '<span>%s</span><span>%.2f s</span><span>smtpspec %s</span>%s%s'
        '</div></header>' %
        (status, "All passed" if not failing else
         "%d divergence%s" % (failing, "" if failing == 1 else "s"),
         esc(report.get("started_at", "")),
         report.get("duration_ms", 0) / 1000.0,
         esc(report.get("smtpspec_version", "")),
         '<span class="strict">--strict</span>' if report["strict"] else "",
         '<code class="cmd">%s</code>' % esc(command) if command else ""))


def _cards(summary):
    cards = (("passed", "Passed", summary["passed"]),
             ("failed", "Failed", summary["failed"]),
             ("error", "Errors", summary["errors"]),
             ("inconclusive", "Inconclusive", summary.get("inconclusive", 0)),
             ("skipped", "Skipped", summary["skipped"]),
             ("expected-failure", "Expected failures",
              summary["expected_failures"]),
             ("stale", "Stale expectations", summary["stale"]),
             ("incidental", '<a href="#incidental">Incidental findings</a>',
              summary.get("incidental", 0)))
    return '<div class="cards">%s</div>' % "".join(
        '<div class="card c-%s"><div class="n" id="count-%s">%d</div>'
        '<div class="l">%s</div></div>' % (cls, cls, n, text)
        for cls, text, n in cards)


def _bar(results):
    counts = collections.Counter(outcome.label(r) for r in results)
    total = max(1, len(results))
    segments = "".join(
        '<a class="seg v-%s" href="#verdict=%s" style="width:%.3f%%" '
        'title="%s: %d"></a>' % (css_class(label), esc(label),
                                 100.0 * counts[label] / total, esc(label),
                                 counts[label])
        for label in LABELS if counts[label])
    legend = "".join(
        '<span class="lg"><span class="dot v-%s"></span>%s %d</span>' %
        (css_class(label), esc(label), counts[label])
        for label in LABELS if counts[label])
    return '<div class="bar">%s</div><div class="legend">%s</div>' % (
        segments, legend)


def _targets(report):
    rows = []
    for target in report["targets"]:
        mine = [r for r in report["results"]
                if r["target"]["name"] == target["name"]]
        counts = collections.Counter(
            outcome.outcome(r, report["strict"]) for r in mine)
        # Skipped and inconclusive results neither pass nor fail.
        ran = (len(mine) - counts[outcome.SKIPPED] -
               counts[outcome.INCONCLUSIVE])
        share = 100.0 * counts[outcome.PASSED] / ran if ran else 0.0
        incidental = collections.Counter(
            outcome.incidental_outcome(i, report["strict"])
            for i in report.get("incidental", [])
            if i["target"] == target["name"])
        rows.append(
            '<tr><td class="tname">%s</td><td><code>%s</code></td><td>%s</td>'
            '<td class="num">%d</td><td class="num">%d</td>'
            '<td class="num">%d</td><td class="num">%d</td>'
            '<td class="num">%d</td><td class="num">%d / %d</td><td>'
            '<div class="meter"><span style="width:%.1f%%"></span></div>'
            '<span class="pct">%.0f%%</span></td></tr>' %
            # A client under test has no address: its command says more.
            (esc(target["name"]), esc(target.get("address") or
                                      target.get("command", "")),
             esc(target.get("tls", "")), counts[outcome.PASSED],
             counts[outcome.FAILED], counts[outcome.ERROR],
             counts[outcome.INCONCLUSIVE], counts[outcome.SKIPPED],
             incidental[outcome.FAILED], sum(incidental.values()), share,
             share))
    return ('<table class="targets"><thead><tr><th>Target</th><th>Address '
            'or command</th><th>TLS</th><th>Passed</th><th>Failed</th><th>Errors</th>'
            '<th>Inconclusive</th><th>Skipped</th><th title="failing of all '
            'incidental findings">Incidental failing</th><th>Pass rate</th>'
            '</tr></thead><tbody>%s</tbody></table>' % "".join(rows))


def _filters(report):
    results = report["results"]
    present = collections.Counter(outcome.label(r) for r in results)
    # Each chip says how many results it would show.
    chips = "".join(
        '<button type="button" class="chip v-%s" data-verdict="%s" '
        'aria-pressed="false">%s <span class="n">%d</span></button>' %
        (css_class(label), esc(label), esc(label), present[label])
        for label in LABELS if label in present)
    tags = sorted({t for r in results for t in r["scenario"].get("tags", [])})
    citations = set()
    for result in results:
        citations.update(result["scenario"].get("rfc", []))
        citations.update(f["rfc"] for f in result.get("findings", []))
    options = []
    seen = set()
    for text in sorted(citations, key=rfc.sort_key):
        for ref in rfc.parse(text):
            for key, label in (("%d:" % ref.rfc, "RFC %d (all)" % ref.rfc),
                               ("%d:%s" % ref, rfc.label(ref))):
                if key not in seen:
                    seen.add(key)
                    options.append((key, label))
    options.sort(key=lambda o: rfc.sort_key(o[1].replace(" (all)", "")))
    return (
        '<section id="filters" class="filters"><div class="chips" '
        'role="group" aria-label="Verdict">%s</div><label>Tag <select '
        'id="filter-tag"><option value="">any</option>%s</select></label>'
        '<label>RFC <select id="filter-rfc"><option value="">any</option>'
        '%s</select></label><input id="filter-q" type="search" '
        'placeholder="Search id, title, target, finding" aria-label="Search">'
        '<span class="shown"><b id="shown-count">%d</b> of %d shown</span>'
        '<button type="button" id="filter-reset" class="link">Reset</button>'
        '<button type="button" id="expand-all" class="link">Expand all'
        '</button><button type="button" id="collapse-all" class="link">'
        'Collapse all</button></section>' %
        (chips, "".join('<option value="%s">%s</option>' % (esc(t), esc(t))
                        for t in tags),
         "".join('<option value="%s">%s</option>' % (esc(k), esc(v))
                 for k, v in options), len(results), len(results)))


# Shown until the script runs: what a reader without it gets.
_PACKED_NOTE = ('<p id="packed-note" class="note">Failed and error results '
                'show their details below. The others are packed in this '
                'file to keep it small; JavaScript unpacks them when a '
                'result is opened.</p>')


def render(report, preface=""):
    """The whole page, as text. PREFACE is HTML put before the summary
    (`smtpspec probe`'s server sections, reports/probe_html.py)."""
    results = report["results"]
    ids = ["r-%d" % i for i in range(len(results))]
    script = _asset("report.js")
    overview = html_overview.render(report, ids)
    # Failures first, stable within a group; ids keep the report's order.
    order = sorted(range(len(results)), key=lambda i: outcome.sort_key(
        results[i], report["strict"]))
    cards = []
    bodies = {}
    for i in order:
        # A closed card's body goes into the pack (html_pack.py); failures
        # and errors start open, so theirs stay HTML, readable without
        # script.
        packed = not html_result.starts_open(results[i], report["strict"])
        if packed:
            bodies[ids[i]] = html_result.body(results[i], ids[i])
        cards.append(html_result.render(results[i], ids[i], report["strict"],
                                        packed=packed))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="%s">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light">'
        '<title>smtpspec report: %s</title><style>%s</style></head>'
        '<body>%s<main>%s<section id="summary"><h2>Summary</h2>%s%s%s'
        '</section>%s<section id="results"><h2>Results</h2>%s%s'
        '<p id="no-match" class="empty" hidden>No result matches these '
        'filters.</p>%s</section>%s</main><footer>Generated by smtpspec %s '
        'from the run report (schema %s). This file is self-contained and '
        'loads nothing; RFC links open rfc-editor.org.</footer>'
        '%s<script>%s</script></body></html>\n' %
        (esc(_csp(script)), esc(_title(report)), _asset("report.css"),
         _header(report), preface, _cards(report["summary"]), _bar(results),
         _targets(report), overview, _filters(report),
         _PACKED_NOTE if bodies else "", "".join(cards), _incidental(report),
         esc(report.get("smtpspec_version", "")), esc(report["schema"]),
         html_pack.pack(bodies), script))


def _title(report):
    summary = report["summary"]
    title = "%d passed, %d failed, %d skipped" % (
        summary["passed"], summary["failed"] + summary["errors"],
        summary["skipped"])
    if summary.get("inconclusive"):
        title += ", %d inconclusive" % summary["inconclusive"]
    return title


def _incidental_note(item):
    """The expectations file's word on an incidental item, as a note."""
    status = outcome.expectation_status(item)
    if not status:
        return ""
    expectation = item["expectation"]
    note = esc(expectation.get("note", "")) or "(no note)"
    line = expectation.get("line", 0)
    if status == "expected-failure":
        return ('<p class="note expected">Expected failure, listed in the '
                'expectations file (line %d): %s</p>' % (line, note))
    if not item["count"]:
        return ('<p class="note stale">Stale expectation: the expectations '
                'file lists this rule (line %d: %s), but no scenario of this '
                'run found it broken on this target; remove the entry.</p>'
                % (line, note))
    return ('<p class="note stale">Stale expectation: the expectations file '
            'lists this rule (line %d: %s), but it no longer fails; remove '
            'the entry.</p>' % (line, note))


def _incidental_item(item, index, strict):
    kind = outcome.incidental_outcome(item, strict)
    label = outcome.incidental_label(item)
    name = item["rule"] or item["rfc"]
    sentence = ""
    if item.get("sentence"):
        sentence = ('<blockquote class="sentence">%s</blockquote>' %
                    esc(item["sentence"]))
    observed = ""
    if item.get("observed"):
        observed = ('<div class="eo"><span>observed</span><code>%s</code>'
                    '</div>' % esc(item["observed"]))
    seen = ", ".join('<code>%s</code>' % esc(s) for s in item["seen_in"])
    message = ('<p>%s</p>' % esc(item["message"])) if item["message"] else ""
    seen_line = (
        '<p class="seen">Seen in %d scenario%s (%d finding%s): %s</p>' %
        (len(item["seen_in"]), "" if len(item["seen_in"]) == 1 else "s",
         item["count"], "" if item["count"] == 1 else "s", seen)
        if item["count"] else '<p class="seen">Seen in no scenario.</p>')
    return (
        '<div class="incidental-item finding lvl-%s" id="i-%d" '
        'data-outcome="%s"><div class="fhead"><span class="badge v-%s">%s'
        '</span><span class="lvl">%s</span>%s<code class="rule">%s</code>'
        '<span class="starget">@ %s</span></div>%s%s%s%s%s</div>' %
        (esc(item["level"].lower()), index, kind, css_class(label),
         esc(label), esc(item["level"]), html_result.citation(item["rfc"]),
         esc(name), esc(item["target"]), message, _incidental_note(item),
         sentence, observed, seen_line))


def _incidental(report):
    """The "Incidental findings" section: one item per target and rule,
    failures first."""
    items = report.get("incidental", [])
    strict = report["strict"]
    order = sorted(range(len(items)), key=lambda i: (
        outcome.incidental_sort_key(items[i], strict)))
    body = "".join(_incidental_item(items[i], i, strict) for i in order)
    if not items:
        body = '<p class="empty">No incidental findings.</p>'
    return ('<section id="incidental"><h2>Incidental findings</h2>'
            '<p class="hint">Model findings about rules the scenarios do not '
            'test. They do not change any scenario\'s verdict; each counts '
            'once, per target and rule: MUST ones as failures, SHOULD ones '
            'as failures under --strict, unless the expectations file '
            'lists the rule.</p>%s</section>' % body)
