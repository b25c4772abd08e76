"""A few lines of transcript around the step where a result went wrong.

The terminal and JUnit reports show this excerpt under each divergence, so
a reader sees what was said just before and after the failing step without
opening the full transcript.
"""

import collections

from reports import wire

# One transcript line: the step that sent or consumed it (-1 for none),
# the direction ("C" or "S"), the raw line and how it ended (wire.Line).
Row = collections.namedtuple("Row", "step dir raw ending")

# Longest line shown in an excerpt: a peer that floods a 10 MB line must
# not flood the terminal (the full line is in the JSON report).
MAX_LINE = 160


def rows(result):
    """Every line of the transcript, in order."""
    out = []
    for event in result.get("transcript", []):
        for raw, ending in wire.split_raw(event["data"]):
            out.append(Row(event["step"], event["dir"], raw, ending))
    return out


def focus_step(result):
    """The step to centre on: the first finding's, else the first mismatch.

    -1 when nothing points at a step (a wire finding between steps, or an
    ERROR result): the excerpt then shows the lines tied to no step, or the
    end of the transcript, which is where the harness gave up.
    """
    for finding in result.get("findings", []):
        if finding["step"] >= 0:
            return finding["step"]
    for step in result.get("steps", []):
        if step["status"] == "mismatch":
            return step["index"]
    return -1


def focus_line(result):
    """The transcript line to point a reader at: the focus step's line,
    else the scenario's first line (its front matter)."""
    step = focus_step(result)
    for one in result.get("steps", []):
        if one["index"] == step:
            return one["line"]
    return result["scenario"].get("line", 1) or 1


def incidental_location(report, item):
    """(file, line) of the first scenario an incidental item was seen in:
    the line of that finding's step there, else the scenario's first
    line; (None, None) when no result of the report is that scenario."""
    for result in report.get("results", []):
        scenario = result["scenario"]
        if (result["target"]["name"] != item["target"] or not item["seen_in"]
                or scenario["id"] != item["seen_in"][0]):
            continue
        lines = {s["index"]: s["line"] for s in result.get("steps", [])}
        for finding in result.get("incidental", []):
            if ((finding.get("rule") or "") == (item["rule"] or "") and
                    finding["message"] == item["message"] and
                    finding.get("step", -1) in lines):
                return scenario["file"], lines[finding["step"]]
        return scenario["file"], scenario.get("line", 1) or 1
    return None, None


def _format(mark, row):
    # Escape only what is shown: escaping a 10 MB line costs seconds.
    text = wire.display(wire.Line(wire.escape(row.raw[:MAX_LINE]),
                                  row.ending))
    if len(row.raw) > MAX_LINE:
        text = "%s... (%d more bytes)" % (text[:MAX_LINE],
                                          len(row.raw) - MAX_LINE)
    return "%s %s: %s" % (mark, row.dir, text)


def excerpt(result, radius=3):
    """Text lines: `radius` lines either side of the focus step's lines.

    Lines of the focus step start with ">"; others with a space. When the
    focus step got no data at all, a ">" line says so where it would be.
    """
    all_rows = rows(result)
    step = focus_step(result)
    marked = [i for i, r in enumerate(all_rows) if r.step == step]
    missing = None
    if step >= 0 and not marked:
        # Nothing arrived for this step: point just after the last line of
        # an earlier step.
        before = [i for i, r in enumerate(all_rows) if 0 <= r.step < step]
        anchor = before[-1] + 1 if before else 0
        steps = result.get("steps", [])
        text = steps[step]["text"] if step < len(steps) else "step %d" % step
        missing = (anchor, "> (nothing observed for '%s', line %s)" %
                   (text, steps[step]["line"] if step < len(steps) else "?"))
        lo, hi = max(0, anchor - radius), min(len(all_rows), anchor + radius)
    elif marked:
        lo = max(0, marked[0] - radius)
        # A step with many lines (a long body) shows its first few only.
        last = min(marked[-1], marked[0] + 2 * radius)
        hi = min(len(all_rows), last + 1 + radius)
    else:
        lo, hi = max(0, len(all_rows) - 2 * radius), len(all_rows)
    out = []
    if lo > 0:
        out.append("  ... %d earlier line%s" % (lo, "" if lo == 1 else "s"))
    for i in range(lo, hi):
        if missing and missing[0] == i:
            out.append(missing[1])
        out.append(_format(">" if i in marked else " ", all_rows[i]))
    if missing and missing[0] >= hi:
        out.append(missing[1])
    if hi < len(all_rows):
        rest = len(all_rows) - hi
        out.append("  ... %d more line%s" % (rest, "" if rest == 1 else "s"))
    return out


def _annotation(finding):
    """The line under a step's bytes: the finding's rule (or citation) and
    the RFC sentence it quotes, or its message when it quotes none."""
    name = wire.clean(finding.get("rule") or finding["rfc"])
    if finding.get("sentence"):
        text = 'RFC says: "%s"' % wire.clean(finding["sentence"])
    else:
        text = wire.clean(finding["message"])
    return "    ^ %s %s: %s" % (finding["level"], name, text)


def full(result):
    """Every line of the transcript (long lines cut), for -v.

    Lines of a step with a finding or a mismatch start with ">", and under
    the last of
    them each finding of that step gives its rule and the RFC sentence it
    quotes, so the sentence sits beside the bytes it judges. A step with a
    finding but no data gets a ">" line saying so where it would be.
    """
    all_rows = rows(result)
    steps = result.get("steps", [])
    by_step = collections.OrderedDict()
    for finding in result.get("findings", []):
        if finding["step"] >= 0:
            by_step.setdefault(finding["step"], []).append(finding)
    last = {}
    for i, row in enumerate(all_rows):
        if row.step >= 0:
            last[row.step] = i
    after = {}  # row index (-1: before the first row) -> lines
    for step, findings in by_step.items():
        notes = [_annotation(f) for f in findings]
        if step in last:
            after.setdefault(last[step], []).extend(notes)
            continue
        before = [i for i, r in enumerate(all_rows) if 0 <= r.step < step]
        text = steps[step]["text"] if step < len(steps) else "step %d" % step
        line = steps[step]["line"] if step < len(steps) else "?"
        after.setdefault(before[-1] if before else -1, []).extend(
            ["> (nothing observed for '%s', line %s)" % (text, line)] + notes)
    marked = set(by_step) | {s["index"] for s in steps
                             if s["status"] == "mismatch"}
    out = list(after.get(-1, []))
    for i, row in enumerate(all_rows):
        out.append(_format(">" if row.step in marked else " ", row))
        out.extend(after.get(i, []))
    return out
