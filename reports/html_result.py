"""One result in the HTML report: findings, then expected against observed.

Everything from a result is hostile input (a server chooses its replies, a
scenario author its titles): every string goes through esc(), and wire data
through wire.tokens(), before it reaches the page.
"""

import html

from reports import outcome
from reports import rfc
from reports import wire

# Longest wire line shown in full; a 10 MB flood stays readable (the whole
# line is in the JSON report).
MAX_LINE = 2000

# How a line ended: CRLF faintly (the header's legend names it), anything
# else flagged.
_ENDINGS = {"CRLF": "<i>\u21b5</i>",
            "LF": '<span class="eol bad" title="a bare LF: RFC 5321 2.3.8 '
                  'requires CRLF">bare LF</span>',
            "": '<span class="eol bad" title="the line was not terminated">'
                'no line end</span>'}

# A run of at least this many identical lines in one event shows once,
# with its count: a BDAT chunk of 12,000 equal lines is one line to read
# (the JSON report has every byte).
REPEAT = 3


def esc(text):
    """Text for HTML content or a quoted attribute."""
    return html.escape(wire.clean(str(text)), quote=True)


def css_class(label):
    """"EXPECTED FAILURE" -> "expected-failure", for class names."""
    return label.lower().replace(" ", "-")


def citation(text):
    """A citation with a link per section it names."""
    refs = rfc.parse(text)
    if not refs:
        return '<span class="cite">%s</span>' % esc(text)
    return " / ".join('<a class="cite" href="%s" title="Open %s">%s</a>' %
                      (esc(rfc.url(r)), esc(rfc.label(r)), esc(rfc.label(r)))
                      for r in refs)


def ref_keys(result):
    """"5321:4.1.4"-style keys of every section the result cites, for the
    RFC filter (the script matches a section and the ones inside it)."""
    citations = list(result["scenario"].get("rfc", []))
    citations += [f["rfc"] for f in result.get("findings", [])]
    keys = []
    for text in citations:
        for ref in rfc.parse(text):
            key = "%d:%s" % (ref.rfc, ref.section)
            if key not in keys:
                keys.append(key)
    return keys


def wire_line(raw, ending):
    """One line of wire data, escapes and the line end highlighted."""
    extra = ""
    if len(raw) > MAX_LINE:
        extra = ('<span class="trunc">\u2026 %d more bytes</span>' %
                 (len(raw) - MAX_LINE))
        raw = raw[:MAX_LINE]
    parts = []
    for text, escaped in wire.tokens(raw):
        if escaped:
            parts.append('<span class="esc">%s</span>' % html.escape(text))
        else:
            parts.append(html.escape(text))
    return "".join(parts) + extra + _ENDINGS[ending]


def _runs(lines):
    """(raw, ending, count) for each run of identical consecutive lines."""
    out = []
    for line in lines:
        if out and (out[-1][0], out[-1][1]) == line:
            out[-1][2] += 1
        else:
            out.append([line[0], line[1], 1])
    return out


def _event_lines(data):
    shown = []
    for raw, ending, count in _runs(wire.split_raw(data)):
        if count < REPEAT:
            shown.extend([wire_line(raw, ending)] * count)
            continue
        shown.append(wire_line(raw, ending))
        shown.append('<span class="rep">(the same line %d more times)</span>'
                     % (count - 1))
    return "\n".join(shown)


def _events(events):
    """One block per event: its time and direction once, then its lines
    (the lines of one event arrived together)."""
    return "".join(
        '<div class="ev %s"><span class="ts">%s</span><span class="dir">%s'
        '</span><code>%s</code></div>' %
        ("c" if event["dir"] == "C" else "s", _time(event["t_ms"]),
         esc(event["dir"]), _event_lines(event["data"]))
        for event in events)


def _time(ms):
    if ms >= 1000:
        return "%.2f s" % (ms / 1000.0)
    return "%.1f ms" % ms


def _finding(finding, rid, cls=""):
    step = finding["step"]
    where = ""
    if step >= 0:
        where = ' <a class="step-link" href="#%s-s-%d">step %d</a>' % (
            rid, step, step)
    detail = ""
    for name in ("expected", "observed"):
        if finding.get(name):
            detail += ('<div class="eo"><span>%s</span><code>%s</code></div>'
                       % (name, esc(finding[name])))
    if finding.get("sentence"):
        # The RFC sentence the rule quotes, beside the observed bytes.
        detail += ('<blockquote class="sentence">%s</blockquote>' %
                   esc(finding["sentence"]))
    rule = ""
    if finding.get("rule"):
        rule = '<code class="rule">%s</code>' % esc(finding["rule"])
    return ('<div class="finding lvl-%s%s"><div class="fhead">'
            '<span class="lvl">%s</span>%s%s<span class="kind">%s</span>'
            '%s</div><p>%s</p>%s</div>' %
            (esc(finding["level"].lower()), cls, esc(finding["level"]),
             citation(finding["rfc"]), rule, esc(finding["kind"]), where,
             esc(finding["message"]), detail))


def _group_events(result):
    """Events per step, and events tied to no step keyed by the step they
    came after (-1: before any step), so the table keeps wire order."""
    by_step = {}
    loose = {}
    last = -1
    for event in result.get("transcript", []):
        if event["step"] >= 0:
            by_step.setdefault(event["step"], []).append(event)
            last = max(last, event["step"])
        else:
            loose.setdefault(last, []).append(event)
    return by_step, loose


def _loose_row(events):
    return ('<tr class="st-loose"><td></td><td></td><td class="none">'
            'not tied to a step</td><td>%s</td></tr>' % _events(events))


def transcript(result, rid):
    """The side-by-side table: each step as written, and what went over the
    wire for it; findings appear under the step they are about."""
    by_step, loose = _group_events(result)
    findings = {}
    for finding in result.get("findings", []):
        findings.setdefault(finding["step"], []).append(finding)
    rows = []
    if -1 in loose:
        rows.append(_loose_row(loose[-1]))
    for step in result.get("steps", []):
        index = step["index"]
        # An ok step (most of them) needs no class and no status.
        classes = [] if step["status"] == "ok" else ["st-" + step["status"]]
        if index in findings:
            classes.append("has-finding")
        observed = _events(by_step.get(index, []))
        if not observed:
            observed = '<span class="none">%s</span>' % (
                "not reached" if step["status"] == "not-reached" else
                "nothing observed")
        status = ""
        if step["status"] != "ok":
            status = '<span class="status">%s</span>' % esc(step["status"])
        rows.append('<tr%s id="%s-s-%d"><td>%d</td><td>%s</td><td><code '
                    'class="pat">%s</code>%s</td><td>%s</td></tr>' %
                    (' class="%s"' % esc(" ".join(classes)) if classes else "",
                     rid, index, index, esc(step["line"]), esc(step["text"]),
                     status, observed))
        for finding in findings.get(index, []):
            rows.append('<tr class="finding-row"><td></td><td colspan="3">%s'
                        '</td></tr>' % _finding(finding, rid))
        if index in loose:
            rows.append(_loose_row(loose[index]))
    return ('<table class="transcript"><thead><tr><th>#</th><th>Line</th>'
            '<th>Expected (scenario)</th><th>Observed (wire; \u21b5 CRLF)'
            '</th></tr></thead><tbody>%s</tbody></table>' % "".join(rows))


def _meta(result):
    scenario = result["scenario"]
    target = result["target"]
    tags = "".join('<span class="tag">%s</span>' % esc(t)
                   for t in scenario.get("tags", []))
    cites = ", ".join(citation(c) for c in scenario.get("rfc", []))
    items = [
        ("Scenario", "<code>%s:%s</code>" % (esc(scenario.get("file", "")),
                                             esc(scenario.get("line", "")))),
        ("Level", esc(scenario.get("level", ""))),
        ("Cites", cites or "&mdash;"),
        ("Rules", ", ".join('<code class="rule">%s</code>' % esc(r)
                            for r in scenario.get("rules") or [])
         or "&mdash;"),
        ("Target", "%s <code>%s</code> TLS %s, %s under test" %
         (esc(target["name"]), esc(target.get("address", "")),
          esc(target.get("tls", "")), esc(result.get("mode", "")))),
        ("Started", "%s, %.1f ms" % (esc(result.get("started_at", "")),
                                      result.get("duration_ms", 0))),
    ]
    if tags:
        items.append(("Tags", tags))
    return '<dl class="meta">%s</dl>' % "".join(
        "<dt>%s</dt><dd>%s</dd>" % item for item in items)


def _notes(result):
    out = []
    if result.get("reason"):
        out.append('<p class="note reason">%s</p>' % esc(result["reason"]))
    status = outcome.expectation_status(result)
    note = esc((result.get("expectation") or {}).get("note", ""))
    if status == "expected-failure":
        out.append('<p class="note expected">Known deviation, listed in the '
                   'expectations file: %s</p>' % (note or "(no note)"))
    elif status == "stale":
        out.append('<p class="note stale">Stale expectation: the '
                   'expectations file lists this deviation (%s), but it no '
                   'longer happens. Remove the entry.</p>' %
                   (note or "no note"))
    if result["verdict"] == "UNIMPLEMENTED":
        out.append('<p class="note">The target answered 502 or 504 to an '
                   'optional command.</p>')
    if result["verdict"] == "INCONCLUSIVE":
        out.append('<p class="note inconclusive">Inconclusive: a premise of '
                   'the scenario did not hold for this target, so it can '
                   'neither pass nor fail here.</p>')
    incidental = result.get("incidental") or []
    if incidental:
        out.append('<p class="note incidental">%d incidental finding%s '
                   '(rules this scenario does not test; not part of its '
                   'verdict): %s. See <a href="#incidental">Incidental '
                   'findings</a>.</p>' %
                   (len(incidental), "" if len(incidental) == 1 else "s",
                    ", ".join("%s %s" % (esc(f["level"]),
                                         esc(f.get("rule") or f["rfc"]))
                              for f in incidental)))
    return "".join(out)


def starts_open(result, strict):
    """Whether the card starts open: the result counts as failed or error.
    Such a body is always in the page as HTML, readable without script."""
    return outcome.outcome(result, strict) in (outcome.FAILED, outcome.ERROR)


def body(result, rid):
    """What a card shows when opened: details, notes, findings, and the
    transcript."""
    loose = [f for f in result.get("findings", []) if f["step"] < 0]
    return "%s%s%s%s" % (_meta(result), _notes(result),
                         "".join(_finding(f, rid, " loose") for f in loose),
                         transcript(result, rid))


# In place of a packed body (reports/html_pack.py) until the script
# unpacks it; without script, this is what the card says.
PACKED = '<p class="packed">Packed: JavaScript shows the details.</p>'


def render(result, rid, strict, packed=False):
    """A <details> card; open when the result counts as failed or error.

    With PACKED, the body is left for the script to fill in from the
    page's pack (html.py puts body() there)."""
    scenario = result["scenario"]
    label = outcome.label(result)
    findings = result.get("findings", [])
    # The script searches these and the summary's id, title and target.
    search = " ".join([result.get("reason", "")] +
                      list(scenario.get("rules") or []) +
                      [f["message"] for f in findings] +
                      [f.get("rule", "") for f in findings]).strip()
    count = ""
    if findings:
        count = '<span class="nfind">%d finding%s</span>' % (
            len(findings), "" if len(findings) == 1 else "s")
    return (
        '<details class="result v-%s" id="%s" data-label="%s" '
        'data-outcome="%s" data-tags=" %s " data-refs=" %s " '
        'data-search="%s"%s><summary><span class="badge v-%s">%s</span>'
        '<span class="sid">%s</span><span class="stitle">%s</span>'
        '<span class="starget">%s</span>%s</summary>%s</details>' %
        (css_class(label), rid, esc(label), outcome.outcome(result, strict),
         esc(" ".join(scenario.get("tags", []))),
         esc(" ".join(ref_keys(result))), esc(search.lower()),
         " open" if starts_open(result, strict) else "",
         css_class(label), esc(label), esc(scenario["id"]),
         esc(scenario.get("title", "")), esc(result["target"]["name"]),
         count,
         '<div class="rbody" data-packed="">%s</div>' % PACKED if packed
         else '<div class="rbody">%s</div>' % body(result, rid)))
