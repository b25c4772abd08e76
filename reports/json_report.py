"""The JSON run report (docs/results-schema.md): assemble and validate.

The fields of every object are reports/results_schema.json's
(results_schema.py); the rules across fields are validated here.

The runner collects the results the binary streams, applies the
expectations file, and calls build(); every other report is rendered from
what build() returns.
"""

import collections
import json

from reports import expectations as expectations_lib
from reports import outcome
from reports import results_schema as schema

RESULT_SCHEMA = schema.RESULT_SCHEMA
RUN_SCHEMA = schema.RUN_SCHEMA
RECORD_SCHEMA = schema.RECORD_SCHEMA
SELECTION_SCHEMA = schema.SELECTION_SCHEMA
SERVING_SCHEMA = schema.SERVING_SCHEMA

# smtpspec's version: `smtpspec --version` and every run report's
# smtpspec_version (the one place it is written).
VERSION = "0.1.0"

# What parse_results() returns: the results, and one reason per problem.
Parsed = collections.namedtuple("Parsed", "results errors")


def parse_results(text, filename="results"):
    """Results from JSON lines (as the binary streams them) or a JSON array.

    A line that is not JSON is reported and skipped; the others are kept.
    """
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            value = json.loads(text)
        except ValueError as e:
            return Parsed([], ["%s: not valid JSON: %s." % (filename, e)])
        if not all(isinstance(r, dict) for r in value):
            return Parsed([], ["%s: the array must hold result objects." %
                               filename])
        return Parsed(value, [])
    results = []
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as e:
            errors.append("%s:%d: not valid JSON: %s." % (filename, number, e))
            continue
        if not isinstance(value, dict):
            errors.append("%s:%d: a result must be a JSON object." %
                          (filename, number))
            continue
        results.append(value)
    return Parsed(results, errors)


def apply_expectations(results, entries, strict=False):
    """Results with `expectation` set from the expectations file's entries.

    A listed result that deviates (FAILED, or NON-STRICT under --strict) is
    an expected failure; a listed result that passes is stale. A listed
    SKIPPED, ERROR or INCONCLUSIVE result gets no expectation: it shows
    nothing about whether the deviation still happens.

    Rule entries (incidental findings) cannot be settled one result at a
    time, so every result of a target they apply to carries them in
    `incidental_expectations` ([{"rule", "note", "line"}]), whatever its
    verdict; collect_incidental() matches them against the run's
    incidental items. The input is not modified.
    """
    out = []
    by_target = {}
    for result in results:
        result = dict(result)
        result.pop("expectation", None)
        result.pop("incidental_expectations", None)
        name = result["target"]["name"]
        entry = expectations_lib.lookup(entries, name,
                                        result["scenario"]["id"])
        if entry is not None and result["verdict"] not in outcome.UNJUDGED:
            status = ("expected-failure" if outcome.deviates(result, strict)
                      else "stale")
            result["expectation"] = {"status": status, "note": entry.note}
        if name not in by_target:
            by_target[name] = [
                {"rule": e.rule, "note": e.note, "line": e.line}
                for e in expectations_lib.rule_entries(entries, name)]
        if by_target[name]:
            result["incidental_expectations"] = [dict(e)
                                                 for e in by_target[name]]
        out.append(result)
    return out


def _incidental_key(target, finding):
    """Incidental findings are one item per target and rule; a finding
    without a rule id is one item per target, citation and message."""
    if finding.get("rule"):
        return (target, finding["rule"])
    return (target, "", finding.get("rfc", ""), finding.get("message", ""))


def collect_incidental(results, targets=(), strict=False):
    """The run report's `incidental` array, from the results' own.

    One item per (target name, rule id), or per (target name, citation,
    message) when the rule is "": the message and observed text of the
    first finding seen (in the order of `results`), the scenarios it was
    seen in (sorted, unique) and how many findings were merged. Items are
    in target order (`targets`, then first appearance), then in the order
    they were first seen.

    The rule entries of the expectations file, which apply_expectations()
    put in the results' `incidental_expectations`, are matched here: an
    item of a listed rule gets `expectation` {"status", "note", "line"},
    "expected-failure" when it deviates (FAILED, or NON-STRICT under
    `strict`) and "stale" when it does not. A listed rule that gave no item
    on a target whose results tell about it
    (expectations.rule_checked) is an item of its own, after that target's
    findings: verdict "OK", level and texts "", seen in no scenario, count
    0, expectation "stale".
    """
    items = collections.OrderedDict()
    listed = collections.OrderedDict()
    for result in results:
        target = result["target"]["name"]
        for entry in result.get("incidental_expectations") or []:
            listed.setdefault((target, entry["rule"]), entry)
        for finding in result.get("incidental") or []:
            key = _incidental_key(target, finding)
            item = items.get(key)
            if item is None:
                item = items[key] = {
                    "target": target,
                    "rule": finding.get("rule", ""),
                    "rfc": finding.get("rfc", ""),
                    "level": finding.get("level", ""),
                    "sentence": finding.get("sentence", ""),
                    "message": finding.get("message", ""),
                    "observed": finding.get("observed", ""),
                    "verdict": outcome.incidental_verdict(
                        finding.get("level", "")),
                    "seen_in": [],
                    "count": 0,
                }
            item["count"] += 1
            if result["scenario"]["id"] not in item["seen_in"]:
                item["seen_in"].append(result["scenario"]["id"])
    for (target, rule), entry in listed.items():
        item = items.get((target, rule))
        if item is None:
            if not expectations_lib.rule_checked(results, target, rule):
                continue
            item = items[(target, rule)] = {
                "target": target, "rule": rule, "rfc": "", "level": "",
                "sentence": "", "message": "", "observed": "",
                "verdict": "OK", "seen_in": [], "count": 0}
        status = ("expected-failure"
                  if outcome.incidental_deviates(item, strict) else "stale")
        item["expectation"] = {"status": status, "note": entry["note"],
                               "line": entry["line"]}
    rank = {}
    for name in [t["name"] for t in targets] + [k[0] for k in items]:
        rank.setdefault(name, len(rank))
    out = sorted(items.values(), key=lambda item: rank[item["target"]])
    for item in out:
        item["seen_in"].sort()
    return out


def summarize(results, strict=False, incidental=None):
    """The `summary` object: every count is derived from the results and
    the incidental findings (collect_incidental(results) when None).

    passed + failed + skipped + errors + inconclusive == total, where
    total counts the results and the incidental findings (`incidental` of
    them), each one item: a MUST incidental finding is one failure.
    expected_failures are among the passed, stale ones among the passed or
    (--strict) failed; both count results and incidental items.
    """
    if incidental is None:
        incidental = collect_incidental(results, strict=strict)
    counts = collections.Counter(outcome.outcome(r, strict) for r in results)
    counts.update(outcome.incidental_outcome(i, strict) for i in incidental)
    statuses = collections.Counter(
        outcome.expectation_status(r)
        for r in list(results) + list(incidental))
    return {
        "total": len(results) + len(incidental),
        "passed": counts[outcome.PASSED],
        "failed": counts[outcome.FAILED],
        "skipped": counts[outcome.SKIPPED],
        "errors": counts[outcome.ERROR],
        "inconclusive": counts[outcome.INCONCLUSIVE],
        "expected_failures": statuses["expected-failure"],
        "stale": statuses["stale"],
        "incidental": len(incidental),
    }


def build(results, *, targets=None, command=(), strict=False, started_at="",
          duration_ms=0.0, version=VERSION):
    """The run report. Results are put in scenario order, then target order.

    Scenario order is the order in which scenarios first appear; target
    order is `targets` (default: the order in which targets first appear).
    """
    if targets is None:
        targets = []
        for result in results:
            if result["target"] not in targets:
                targets.append(dict(result["target"]))
    target_rank = {t["name"]: i for i, t in enumerate(targets)}
    scenario_rank = {}
    for result in results:
        scenario_rank.setdefault(result["scenario"]["id"], len(scenario_rank))
    ordered = sorted(results,
                     key=lambda r: (scenario_rank[r["scenario"]["id"]],
                                    target_rank.get(r["target"]["name"],
                                                    len(target_rank))))
    incidental = collect_incidental(ordered, targets, strict)
    return {
        "schema": RUN_SCHEMA,
        "smtpspec_version": version,
        "started_at": started_at,
        "duration_ms": duration_ms,
        "command": list(command),
        "strict": bool(strict),
        "targets": list(targets),
        "summary": summarize(ordered, strict, incidental),
        "results": ordered,
        "incidental": incidental,
    }


def dumps(report):
    """The report as JSON text (ASCII only, so any byte survives any pipe)."""
    return json.dumps(report, indent=1, ensure_ascii=True) + "\n"


def loads(text, filename="run report"):
    """(report, errors): the report is None unless it is valid."""
    try:
        report = json.loads(text)
    except ValueError as e:
        return None, ["%s: not valid JSON: %s." % (filename, e)]
    errors = ["%s: %s" % (filename, e) for e in validate(report)]
    return (None if errors else report), errors


# Validation: the shapes come from reports/results_schema.json; the rules
# across fields are here. Each check appends "PATH: reason." strings.

_check = schema.check
_is_int = schema.is_int
_one_of = schema.one_of
_SCENARIO = schema.fields("Scenario")
_TARGET = schema.fields("Target")
_FINDING = schema.fields("Finding")
_STEP = schema.fields("Step")
_EVENT = schema.fields("Event")
_EXPECTATION = schema.fields("Expectation")
# An incidental item's expectation also says where its entry was written.
_INCIDENTAL_EXPECTATION = schema.fields("IncidentalExpectation")
# What apply_expectations() puts in a result's `incidental_expectations`.
_RULE_EXPECTATION = schema.fields("RuleExpectation")
_RESULT = schema.fields("Result", skip=("scenario", "target"))
_INCIDENTAL = schema.fields("Incidental")
_RUN = schema.fields("RunReport")
_METADATA = schema.fields("Metadata")
_RECORD = schema.fields("ScenarioRecord", skip=("scenario",))
_SELECTION = schema.fields("SelectionRecord")
_SERVING = schema.fields("ServingRecord", skip=("scripts",))
_SERVED_SCRIPT = schema.fields("ServedScript")


def _step_ref(value, steps):
    return _is_int(value) and (value == -1 or 0 <= value < steps)


def _levels(findings):
    return {f.get("level") for f in findings if isinstance(f, dict)}


def validate_result(result, path="result"):
    """Every way `result` departs from the schema, one sentence each."""
    errors = []
    if not _check(result, path, _RESULT, errors):
        return errors
    _check(result.get("scenario"), path + ".scenario", _SCENARIO, errors)
    _check(result.get("target"), path + ".target", _TARGET, errors)
    steps = result.get("steps") if isinstance(result.get("steps"),
                                              list) else []
    for i, step in enumerate(steps):
        where = "%s.steps[%d]" % (path, i)
        if _check(step, where, _STEP, errors) and step.get("index") != i:
            errors.append("%s.index: is %r but the step is number %d." %
                          (where, step.get("index"), i))
    for name, fields in (("findings", _FINDING), ("incidental", _FINDING),
                         ("transcript", _EVENT)):
        items = result.get(name) if isinstance(result.get(name),
                                               list) else []
        for i, item in enumerate(items):
            where = "%s.%s[%d]" % (path, name, i)
            if (_check(item, where, fields, errors) and
                    _is_int(item.get("step")) and
                    not _step_ref(item["step"], len(steps))):
                errors.append("%s.step: %d is neither -1 nor a step index." %
                              (where, item["step"]))
    if "expectation" in result:
        _check(result["expectation"], path + ".expectation", _EXPECTATION,
               errors)
    if "incidental_expectations" in result:
        listed = result["incidental_expectations"]
        if not isinstance(listed, list):
            errors.append("%s.incidental_expectations: must be an array." %
                          path)
            listed = []
        for i, entry in enumerate(listed):
            where = "%s.incidental_expectations[%d]" % (path, i)
            if _check(entry, where, _RULE_EXPECTATION, errors) and (
                    entry.get("rule") == ""):
                errors.append("%s.rule: must not be empty." % where)
    verdict = result.get("verdict")
    findings = result.get("findings")
    levels = _levels(findings) if isinstance(findings, list) else set()
    if verdict == "OK" and levels - {"MAY"}:
        errors.append("%s.findings: an OK result has no findings but "
                      "MAY-level ones." % path)
    if verdict == "NON-STRICT" and "MUST" in levels:
        errors.append("%s.findings: a NON-STRICT result has no MUST-level "
                      "finding (that is FAILED)." % path)
    if verdict == "NON-STRICT" and "SHOULD" not in levels:
        errors.append("%s.findings: a NON-STRICT result has a SHOULD-level "
                      "finding." % path)
    if verdict in ("SKIPPED", "ERROR", "INCONCLUSIVE") and not result.get(
            "reason"):
        errors.append("%s.reason: a%s %s result says why." %
                      (path, "n" if verdict[0] in "AEIOU" else "", verdict))
    return errors


def validate_metadata(meta, path="scenario"):
    """Every way a scenario's metadata (a line of `smtpspec_cli list`)
    departs from the schema."""
    errors = []
    _check(meta, path, _METADATA, errors)
    return errors


def validate_record(record, path="record"):
    """Every way a metadata record of `smtpspec_cli run --metadata`
    departs from the schema."""
    errors = []
    if _check(record, path, _RECORD, errors):
        errors += validate_metadata(record.get("scenario"), path + ".scenario")
    return errors


def validate_selection(record, path="selection"):
    """Every way the selection record that ends the scenario records of
    `smtpspec_cli run --metadata` and `list --summary` departs from the
    schema."""
    errors = []
    if _check(record, path, _SELECTION, errors):
        for name in ("found", "selected"):
            if _is_int(record.get(name)) and record[name] < 0:
                errors.append("%s.%s: is negative." % (path, name))
    return errors


def validate_serving(record, path="serving"):
    """Every way the serving record of `smtpspec_cli serve` (where it
    listens, each script's EHLO name) departs from the schema."""
    errors = []
    if not _check(record, path, _SERVING, errors):
        return errors
    scripts = record.get("scripts")
    if not isinstance(scripts, list):
        errors.append("%s.scripts: must be an array." % path)
        return errors
    for i, script in enumerate(scripts):
        _check(script, "%s.scripts[%d]" % (path, i), _SERVED_SCRIPT, errors)
    return errors


def _validate_incidental(item, where):
    """Every way one item of the run report's `incidental` departs from
    the schema. A stale rule entry that matched no finding is an item too:
    level and texts "", verdict OK, seen in no scenario, count 0."""
    errors = []
    if not isinstance(item, dict):
        return ["%s: must be an object." % where]
    expectation = item.get("expectation")
    unmatched = (item.get("count") == 0 and
                 isinstance(expectation, dict) and
                 expectation.get("status") == "stale")
    fields = dict(_INCIDENTAL)
    if unmatched:
        fields.update(level=_one_of(""), verdict=_one_of("OK"),
                      seen_in=_empty_list, count=_zero)
    _check(item, where, fields, errors)
    if "expectation" in item:
        _check(expectation, where + ".expectation", _INCIDENTAL_EXPECTATION,
               errors)
        if unmatched and not item.get("rule"):
            errors.append("%s.rule: an item for an expectation that matched "
                          "no finding names its rule." % where)
    if (item.get("level") in outcome.INCIDENTAL_VERDICTS and
            item.get("verdict") != outcome.incidental_verdict(
                item["level"])):
        errors.append("%s.verdict: a %s finding is %s, not %s." %
                      (where, item["level"],
                       outcome.incidental_verdict(item["level"]),
                       json.dumps(item.get("verdict"))))
    return errors


def _empty_list(value):
    return None if value == [] else "must be [] (no finding matched)"


def _zero(value):
    return None if _is_int(value) and value == 0 else (
        "must be 0 (no finding matched)")


def validate(report):
    """Every way a run report departs from the schema, one sentence each."""
    errors = []
    if not _check(report, "report", _RUN, errors):
        return errors
    targets = report.get("targets")
    targets = targets if isinstance(targets, list) else []
    for i, target in enumerate(targets):
        _check(target, "report.targets[%d]" % i, _TARGET, errors)
    results = report.get("results")
    results = results if isinstance(results, list) else []
    for i, result in enumerate(results):
        errors.extend(validate_result(result, "report.results[%d]" % i))
    incidental = report.get("incidental")
    incidental = incidental if isinstance(incidental, list) else []
    for i, item in enumerate(incidental):
        errors.extend(_validate_incidental(item, "report.incidental[%d]" % i))
    if errors:
        return errors
    want_incidental = collect_incidental(results, targets, report["strict"])
    if incidental != want_incidental:
        errors.append("report.incidental: holds %d item%s but the results' "
                      "incidental findings give %d%s." %
                      (len(incidental), "" if len(incidental) == 1 else "s",
                       len(want_incidental), _first_difference(
                           incidental, want_incidental)))
    want = summarize(results, report["strict"], want_incidental)
    for name, count in want.items():
        got = report["summary"].get(name)
        if got != count:
            errors.append("report.summary.%s: is %r but the results give %d."
                          % (name, got, count))
    return errors


def _first_difference(got, want):
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            fields = [k for k in b if a.get(k) != b[k]]
            return " (item %d differs in %s)" % (i, ", ".join(fields))
    return ""
