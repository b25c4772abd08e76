"""The JSON run report (docs/results-schema.md): assemble and validate.

The runner collects the results the binary streams, applies the
expectations file, and calls build(); every other report is rendered from
what build() returns.
"""

import collections
import json

from reports import expectations as expectations_lib
from reports import outcome

RESULT_SCHEMA = "smtpspec.result/1"
RUN_SCHEMA = "smtpspec.run/1"

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
    SKIPPED or ERROR result gets no expectation: it shows nothing about
    whether the deviation still happens. The input is not modified.
    """
    out = []
    for result in results:
        result = dict(result)
        result.pop("expectation", None)
        entry = expectations_lib.lookup(entries, result["target"]["name"],
                                        result["scenario"]["id"])
        if entry is not None and result["verdict"] not in ("SKIPPED",
                                                           "ERROR"):
            status = ("expected-failure" if outcome.deviates(result, strict)
                      else "stale")
            result["expectation"] = {"status": status, "note": entry.note}
        out.append(result)
    return out


def summarize(results, strict=False):
    """The `summary` object: every count is derived from the results.

    passed + failed + skipped + errors == total; expected_failures are
    among the passed, stale ones among the passed or (--strict) failed.
    """
    counts = collections.Counter(outcome.outcome(r, strict) for r in results)
    statuses = collections.Counter(
        outcome.expectation_status(r) for r in results)
    return {
        "total": len(results),
        "passed": counts[outcome.PASSED],
        "failed": counts[outcome.FAILED],
        "skipped": counts[outcome.SKIPPED],
        "errors": counts[outcome.ERROR],
        "expected_failures": statuses["expected-failure"],
        "stale": statuses["stale"],
    }


def build(results, *, targets=None, command=(), strict=False, started_at="",
          duration_ms=0.0, version="0.1.0"):
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
    return {
        "schema": RUN_SCHEMA,
        "smtpspec_version": version,
        "started_at": started_at,
        "duration_ms": duration_ms,
        "command": list(command),
        "strict": bool(strict),
        "targets": list(targets),
        "summary": summarize(ordered, strict),
        "results": ordered,
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


# Validation. Each checker appends "PATH: reason." strings to `errors`.


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check(obj, path, fields, errors):
    """Checks that `obj` is an object whose fields pass their checkers."""
    if not isinstance(obj, dict):
        errors.append("%s: must be an object." % path)
        return False
    for name, check in fields.items():
        if name not in obj:
            errors.append("%s: the field '%s' is missing." % (path, name))
            continue
        reason = check(obj[name])
        if reason:
            errors.append("%s.%s: %s." % (path, name, reason))
    return True


def _string(value):
    return None if isinstance(value, str) else "must be a string"


def _number(value):
    return None if _is_number(value) else "must be a number"


def _integer(value):
    return None if _is_int(value) else "must be an integer"


def _strings(value):
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return None
    return "must be an array of strings"


def _one_of(*choices):
    def check(value):
        if value in choices:
            return None
        return "is %s, not one of %s" % (json.dumps(value), ", ".join(choices))
    return check


def _array(value):
    return None if isinstance(value, list) else "must be an array"


def _object(value):
    return None if isinstance(value, dict) else "must be an object"


def _boolean(value):
    return None if isinstance(value, bool) else "must be true or false"


_SCENARIO = {"id": _string, "title": _string, "file": _string,
             "line": _integer, "rfc": _strings,
             "level": _one_of("MUST", "SHOULD", "MAY"), "tags": _strings,
             "tests": _one_of("server", "client", "both")}
_TARGET = {"name": _string, "address": _string,
           "tls": _one_of("none", "starttls", "implicit")}
_FINDING = {"kind": _one_of("pattern", "model", "wire"), "rfc": _string,
            "level": _one_of("MUST", "SHOULD", "MAY"), "message": _string,
            "step": _integer, "expected": _string, "observed": _string}
_STEP = {"index": _integer, "line": _integer, "text": _string,
         "status": _one_of("ok", "mismatch", "not-reached", "skipped")}
_EVENT = {"t_ms": _number, "dir": _one_of("C", "S"), "data": _string,
          "step": _integer}
_EXPECTATION = {"status": _one_of("expected-failure", "stale"),
                "note": _string}
_RESULT = {"schema": _one_of(RESULT_SCHEMA), "mode": _one_of(
    "server", "client"), "verdict": _one_of(*outcome.VERDICTS),
    "reason": _string, "findings": _array, "steps": _array,
    "transcript": _array, "started_at": _string, "duration_ms": _number}
_RUN = {"schema": _one_of(RUN_SCHEMA), "smtpspec_version": _string,
        "started_at": _string, "duration_ms": _number, "command": _strings,
        "strict": _boolean, "targets": _array, "summary": _object,
        "results": _array}


def _step_ref(value, steps):
    return _is_int(value) and (value == -1 or 0 <= value < steps)


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
    for name, fields in (("findings", _FINDING), ("transcript", _EVENT)):
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
    verdict = result.get("verdict")
    if verdict == "OK" and result.get("findings"):
        errors.append("%s.findings: an OK result has no findings." % path)
    if verdict in ("SKIPPED", "ERROR") and not result.get("reason"):
        errors.append("%s.reason: a %s result says why." % (path, verdict))
    return errors


def validate(report):
    """Every way a run report departs from the schema, one sentence each."""
    errors = []
    if not _check(report, "report", _RUN, errors):
        return errors
    targets = report.get("targets")
    for i, target in enumerate(targets if isinstance(targets, list) else []):
        _check(target, "report.targets[%d]" % i, _TARGET, errors)
    results = report.get("results")
    results = results if isinstance(results, list) else []
    for i, result in enumerate(results):
        errors.extend(validate_result(result, "report.results[%d]" % i))
    if errors:
        return errors
    want = summarize(results, report["strict"])
    for name, count in want.items():
        got = report["summary"].get(name)
        if got != count:
            errors.append("report.summary.%s: is %r but the results give %d."
                          % (name, got, count))
    return errors
