"""GitHub Actions output: workflow-command annotations and a job summary.

Under GitHub Actions (GITHUB_ACTIONS=true) or with --github, `smtpspec run`
prints one workflow command per result that needs a look, so the pull
request shows it on the scenario's line:

    ::error file=F,line=L,title=FAILED ID @ TARGET::MUST RFC 5321 ...: msg
    ::warning file=F,line=L,title=NON-STRICT ID @ TARGET::SHOULD ...
    ::notice file=F,line=L,title=INCONCLUSIVE ID @ TARGET::reason

FAILED and ERROR are errors; NON-STRICT, INCONCLUSIVE and a stale
expectation are warnings; an expected failure is a notice. Incidental
findings are annotated once per target, at the first scenario they were
seen in. With
$GITHUB_STEP_SUMMARY set, a Markdown table of the counts per target and the
divergences is appended to that file (GitHub renders it on the run's page).
Escaping follows GitHub's rules for workflow commands: % CR LF in the
message, and also : , in properties.
"""

import collections

from reports import divergence
from reports import excerpt
from reports import outcome
from reports import wire


def _data(text):
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text):
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind, message, file=None, line=None, title=None):
    props = []
    if file:
        props.append("file=" + _prop(file))
    if line:
        props.append("line=%d" % line)
    if title:
        props.append("title=" + _prop(title))
    return "::%s %s::%s" % (kind, ",".join(props), _data(message))


def _kind(result, strict):
    """error, warning, notice, or None for a result that needs no look."""
    status = outcome.expectation_status(result)
    kind = outcome.outcome(result, strict)
    if kind in (outcome.FAILED, outcome.ERROR):
        return "error"
    if status == "expected-failure":
        return "notice"
    if status == "stale" or kind == outcome.INCONCLUSIVE:
        return "warning"
    if result["verdict"] == "NON-STRICT":
        return "warning"
    return None


def annotations(report):
    """The workflow-command lines for a run report, worst first."""
    strict = report.get("strict", False)
    order = {"error": 0, "warning": 1, "notice": 2}
    out = []
    for result in report["results"]:
        kind = _kind(result, strict)
        if kind is None:
            continue
        scenario = result["scenario"]
        title = "%s %s @ %s" % (outcome.label(result), scenario["id"],
                                result["target"]["name"])
        out.append((order[kind], _command(
            kind, wire.clean(divergence.headline(result)), scenario["file"],
            excerpt.focus_line(result), title)))
    for item in report.get("incidental", []):
        kind = outcome.incidental_outcome(item, strict)
        if kind == outcome.FAILED:
            level = "error"
        elif item["verdict"] == "NON-STRICT":
            level = "warning"
        else:
            continue
        title = "incidental %s @ %s" % (divergence.incidental_name(item),
                                        item["target"])
        file, line = excerpt.incidental_location(report, item)
        out.append((order[level], _command(
            level, "%s %s: %s (%s)" % (item["level"], item["rfc"],
                                       wire.clean(item["message"]),
                                       divergence.seen_in(item, 5)),
            file, line, title)))
    return [line for _, line in sorted(out, key=lambda pair: pair[0])]


def _cell(text):
    return wire.clean(text).replace("|", "\\|")


def summary(report):
    """Markdown for $GITHUB_STEP_SUMMARY: counts per target, divergences."""
    strict = report.get("strict", False)
    counts = collections.OrderedDict()
    for result in report["results"]:
        per = counts.setdefault(result["target"]["name"],
                                collections.Counter())
        per[outcome.outcome(result, strict)] += 1
    kinds = [outcome.PASSED, outcome.FAILED, outcome.ERROR,
             outcome.INCONCLUSIVE, outcome.SKIPPED]
    lines = ["## smtpspec", "",
             "| target | " + " | ".join(kinds) + " |",
             "| --- |" + " ---: |" * len(kinds)]
    for target, per in counts.items():
        lines.append("| %s | %s |" % (_cell(target), " | ".join(
            str(per[k]) for k in kinds)))
    rows = []
    for result in report["results"]:
        if _kind(result, strict) is None:
            continue
        scenario = result["scenario"]
        rows.append("| %s | %s | %s | `%s:%d` | %s |" % (
            _cell(outcome.label(result)), _cell(scenario["id"]),
            _cell(result["target"]["name"]), _cell(scenario["file"]),
            excerpt.focus_line(result),
            _cell(divergence.headline(result))))
    if rows:
        lines += ["", "| verdict | scenario | target | where | what |",
                  "| --- | --- | --- | --- | --- |"] + rows
    return "\n".join(lines) + "\n"
