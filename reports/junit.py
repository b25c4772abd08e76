"""JUnit XML: one <testcase> per scenario x target.

The format is the Ant/Surefire one that Jenkins (junit and xunit plugins),
GitLab and the GitHub test-report actions read; reports/testdata/junit.xsd
is the schema the tests validate against. Layout:

    <testsuites>                      the run
      <testsuite name=TARGET>         one per target, with its properties
        <testcase classname="TARGET.FOLDER" name=SCENARIO-ID time=...
                  file=SCENARIO-FILE line=LINE>

Dots in a target name become "_" in classname, because CI servers split
classname at its last dot into package and class, and the target should be
the package. How each verdict is written:

    OK, UNIMPLEMENTED          passed (UNIMPLEMENTED says so in system-out)
    NON-STRICT                 passed, its SHOULD findings in system-out;
                               <failure> under --strict
    FAILED                     <failure message=FIRST-FINDING>, body: every
                               finding with its citation, rule and the RFC
                               sentence it quotes, and the transcript
                               excerpt around the failing step
    expected failure           passed, with the note and the findings in
                               system-out
    stale expectation          passed with a note; <failure> under --strict
    INCONCLUSIVE               <skipped message="INCONCLUSIVE: REASON">
    SKIPPED                    <skipped message=REASON>
    ERROR                      <error message=REASON>

Each testcase has properties: `verdict` (the verdict, or EXPECTED
FAILURE / STALE), `level`, one `rfc` per citation and one `rule` per rule
id of the scenario. Incidental findings of the run report (a model
finding about a rule the scenario does not test) are a testsuite named
"incidental" per target, one testcase each (classname TARGET.incidental,
name the rule id or, without one, the citation and message): <failure>
for MUST, passed with system-out for SHOULD (<failure> under --strict)
and MAY; the body names every scenario it was seen in. One whose rule the
expectations file lists passes with the note in system-out (an expected
failure, or a stale entry; a stale one is a <failure type="STALE"> under
--strict).

LINE is the line of the step the first finding (or first mismatch) is at,
else the scenario's first line.

junit-10.xsd (Jenkins xUnit) has no <properties> inside <testcase> and no
file and line attributes; the Jenkins JUnit plugin, GitLab and pytest's
files have them, and reports/testdata/junit.xsd allows them (its two
departures).
"""

import collections
import xml.etree.ElementTree as ET

from reports import divergence
from reports import excerpt
from reports import outcome
from reports import wire


def _seconds(ms):
    # junit.xsd's time type: digits and an optional fraction, no exponent.
    return "%.3f" % (max(0.0, ms) / 1000.0)


def _classname(result):
    return "%s.%s" % (result["target"]["name"].replace(".", "_"),
                      outcome.folder(result).replace("/", "."))


def _set(element, name, value):
    element.set(name, wire.clean(str(value)))


def _body(result):
    return "\n".join(divergence.describe(result, sentence=True)) + "\n"


def _note(result):
    """The system-out of a passing result that still has something to say."""
    status = outcome.expectation_status(result)
    verdict = result["verdict"]
    if not status and verdict not in ("NON-STRICT", "UNIMPLEMENTED"):
        return ""
    if status == "expected-failure":
        head = "Expected failure (listed in the expectations file)."
    elif status == "stale":
        head = ("Stale expectation: the scenario is listed as a known "
                "deviation but no longer fails; remove the entry.")
    elif verdict == "NON-STRICT":
        should = [f for f in result.get("findings", [])
                  if f["level"] == "SHOULD"]
        head = ("NON-STRICT: %d SHOULD-level finding%s (this fails under "
                "--strict): %s" % (len(should), "" if len(should) == 1
                                   else "s", "; ".join(
                                       divergence.finding_name(f)
                                       for f in should)))
    else:
        head = ("UNIMPLEMENTED: the target answered 502 or 504 to an "
                "optional command.")
    return head + "\n" + _body(result)


def _properties(parent, pairs):
    if not pairs:
        return
    props = ET.SubElement(parent, "properties")
    for key, value in pairs:
        prop = ET.SubElement(props, "property")
        _set(prop, "name", key)
        _set(prop, "value", value)


def _testcase(parent, result, strict):
    case = ET.SubElement(parent, "testcase")
    scenario = result["scenario"]
    _set(case, "classname", _classname(result))
    _set(case, "name", scenario["id"])
    _set(case, "time", _seconds(result.get("duration_ms", 0)))
    # Where a reader should look: the failing step's line, else the
    # scenario's first (pytest's xunit2 and GitLab read file and line).
    _set(case, "file", scenario["file"])
    _set(case, "line", str(excerpt.focus_line(result)))
    _properties(case, [("verdict", outcome.label(result)),
                       ("level", scenario.get("level", ""))] +
                [("rfc", c) for c in scenario.get("rfc", [])] +
                [("rule", r) for r in scenario.get("rules") or []])
    kind = outcome.outcome(result, strict)
    if kind == outcome.INCONCLUSIVE:
        skipped = ET.SubElement(case, "skipped")
        _set(skipped, "message", "INCONCLUSIVE: " + (result.get("reason") or
                                                     "a premise did not hold"))
        _set(skipped, "type", "INCONCLUSIVE")
        skipped.text = _text(_body(result))
    elif kind == outcome.SKIPPED:
        skipped = ET.SubElement(case, "skipped")
        _set(skipped, "message", result.get("reason") or "skipped")
    elif kind == outcome.ERROR:
        error = ET.SubElement(case, "error")
        _set(error, "message", divergence.headline(result))
        _set(error, "type", "ERROR")
        error.text = _text(_body(result))
    elif kind == outcome.FAILED:
        failure = ET.SubElement(case, "failure")
        _set(failure, "message", divergence.headline(result))
        _set(failure, "type", outcome.label(result))
        failure.text = _text(_body(result))
    else:
        note = _note(result)
        if note:
            ET.SubElement(case, "system-out").text = _text(note)
    return kind


def _incidental_case(parent, item, strict, report):
    case = ET.SubElement(parent, "testcase")
    _set(case, "classname", "%s.incidental" % item["target"].replace(".",
                                                                     "_"))
    _set(case, "name", item["rule"] or "%s: %s" % (item["rfc"],
                                                   item["message"]))
    _set(case, "time", _seconds(0))
    # Where it was first seen: that scenario's file and the finding's line.
    file, line = excerpt.incidental_location(report, item)
    if file:
        _set(case, "file", file)
        _set(case, "line", str(line))
    label = outcome.incidental_label(item)
    _properties(case, [("verdict", label)] +
                [(key, item[key]) for key in ("level", "rfc") if item[key]] +
                ([("rule", item["rule"])] if item["rule"] else []))
    body = _text("%s\n%s\n" % (
        wire.clean(item["message"]),
        "\n".join(divergence.incidental_detail(item))))
    if not item["count"]:
        body = ""
    status = outcome.expectation_status(item)
    kind = outcome.incidental_outcome(item, strict)
    if status:
        note = divergence.expectation_note(item)
        if kind == outcome.FAILED:
            failure = ET.SubElement(case, "failure")
            _set(failure, "message", "stale expectation: %s @ %s: %s" % (
                divergence.incidental_name(item), item["target"], note))
            _set(failure, "type", "STALE")
            failure.text = _text(note + "\n") + body
        else:
            head = ("Expected failure (listed in the expectations file)"
                    if status == "expected-failure" else
                    "Stale expectation (this fails under --strict)")
            ET.SubElement(case, "system-out").text = _text(
                "%s: incidental %s; %s\n" % (
                    head, divergence.incidental_name(item), note)) + body
    elif kind == outcome.FAILED:
        failure = ET.SubElement(case, "failure")
        _set(failure, "message", "%s %s: %s" % (
            item["level"], divergence.incidental_name(item),
            wire.clean(item["message"])))
        _set(failure, "type", item["verdict"])
        failure.text = body
    else:
        ET.SubElement(case, "system-out").text = _text(
            "%s: incidental %s finding; it does not change any scenario's "
            "verdict.\n" % (item["verdict"], item["level"])) + body
    return kind


def _incidental_suites(root, report):
    """One testsuite named "incidental" per target that has any."""
    by_target = collections.OrderedDict()
    for item in report.get("incidental", []):
        by_target.setdefault(item["target"], []).append(item)
    totals = collections.Counter()
    for name, items in by_target.items():
        suite = ET.SubElement(root, "testsuite")
        _properties(suite, [("target", name),
                            ("strict", "true" if report["strict"]
                             else "false")])
        counts = collections.Counter(
            _incidental_case(suite, item, report["strict"], report)
            for item in items)
        _set(suite, "name", "incidental")
        _set(suite, "tests", len(items))
        _set(suite, "failures", counts[outcome.FAILED])
        _set(suite, "errors", 0)
        _set(suite, "skipped", 0)
        _set(suite, "time", _seconds(0))
        if report.get("started_at"):
            _set(suite, "timestamp", report["started_at"])
        totals.update(counts)
        totals["tests"] += len(items)
    return totals


def _text(text):
    # Keep newlines (wire.clean would escape them): the body is multi-line.
    return "\n".join(wire.clean(line) for line in text.split("\n"))


def render(report):
    """The JUnit XML document for a run report, as text."""
    strict = report["strict"]
    root = ET.Element("testsuites")
    _set(root, "name", "smtpspec")
    by_target = collections.OrderedDict(
        (t["name"], (t, [])) for t in report["targets"])
    for result in report["results"]:
        name = result["target"]["name"]
        by_target.setdefault(name, (result["target"], []))[1].append(result)
    totals = collections.Counter()
    total_ms = 0.0
    for name, (target, results) in by_target.items():
        suite = ET.SubElement(root, "testsuite")
        props = ET.SubElement(suite, "properties")
        for key, value in (("address", target.get("address", "")),
                           ("tls", target.get("tls", "")),
                           ("strict", "true" if strict else "false"),
                           ("smtpspec_version",
                            report.get("smtpspec_version", ""))):
            prop = ET.SubElement(props, "property")
            _set(prop, "name", key)
            _set(prop, "value", value)
        counts = collections.Counter(
            _testcase(suite, r, strict) for r in results)
        ms = sum(r.get("duration_ms", 0) for r in results)
        _set(suite, "name", name)
        _set(suite, "tests", len(results))
        _set(suite, "failures", counts[outcome.FAILED])
        _set(suite, "errors", counts[outcome.ERROR])
        _set(suite, "skipped",
             counts[outcome.SKIPPED] + counts[outcome.INCONCLUSIVE])
        _set(suite, "time", _seconds(ms))
        if report.get("started_at"):
            _set(suite, "timestamp", report["started_at"])
        totals.update(counts)
        totals["tests"] += len(results)
        total_ms += ms
    totals.update(_incidental_suites(root, report))
    _set(root, "tests", totals["tests"])
    _set(root, "failures", totals[outcome.FAILED])
    _set(root, "errors", totals[outcome.ERROR])
    _set(root, "time", _seconds(report.get("duration_ms", total_ms)))
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' +
            ET.tostring(root, encoding="unicode") + "\n")
