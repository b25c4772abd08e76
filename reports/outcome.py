"""How a result counts: what a verdict means for the run.

The verdict is what the interpreter saw; the outcome is what it means for
the run, once --strict and the expectations file are taken into account.
Incidental findings (a model finding about a rule the scenario does not
test) are counted as items of their own: see incidental_verdict() and
incidental_outcome().

The table itself (each verdict's outcome with and without --strict, an
incidental finding's verdict by level, the outcomes that fail the run) is
data, cli/verdicts.json, which smtpspec_cli also compiles in for the exit
status of `smtpspec_cli run`; the functions here apply it.
"""

import json
import os

PASSED = "passed"
FAILED = "failed"
SKIPPED = "skipped"
ERROR = "error"
INCONCLUSIVE = "inconclusive"

OUTCOMES = (PASSED, FAILED, SKIPPED, ERROR, INCONCLUSIVE)

TABLE_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          os.pardir, "cli", "verdicts.json")


def _load_table(path):
    with open(path, encoding="utf-8") as f:
        table = json.load(f)
    meanings = {v["verdict"]: (v["outcome"], v["strict"])
                for v in table["verdicts"]}
    for verdict, both in meanings.items():
        for name in both:
            if name not in OUTCOMES:
                raise ValueError("%s: %s counts as %r, not one of %s" %
                                 (path, verdict, name, ", ".join(OUTCOMES)))
    return (meanings, {i["level"]: i["verdict"] for i in table["incidental"]},
            tuple(table["failing"]))


# {verdict: (outcome, outcome under --strict)}, {level: verdict}, and the
# outcomes that fail the run.
_MEANINGS, INCIDENTAL_VERDICTS, FAILING = _load_table(TABLE_FILE)

VERDICTS = tuple(_MEANINGS)

# Verdicts that say nothing about whether a deviation happens (they count
# as neither passed nor failed): the expectations file does not apply to
# them.
UNJUDGED = tuple(v for v, both in _MEANINGS.items()
                 if not set(both) & {PASSED, FAILED})

# What people read first: failures, then what needs a look, then passes.
# outcome.sort_key() puts every result whose outcome is FAILED in the first
# group, whatever its verdict (NON-STRICT or STALE under --strict).
ORDER = ("FAILED", "ERROR", "INCONCLUSIVE", "NON-STRICT", "EXPECTED FAILURE",
         "STALE", "UNIMPLEMENTED", "SKIPPED", "OK")

# The summary's count of each outcome (json_report.summarize()).
SUMMARY_COUNTS = {PASSED: "passed", FAILED: "failed", SKIPPED: "skipped",
                  ERROR: "errors", INCONCLUSIVE: "inconclusive"}


def verdict_outcome(verdict, strict):
    """What a verdict counts as, by the table alone (no expectations); an
    unknown verdict counts as failed."""
    normal, under_strict = _MEANINGS.get(verdict, (FAILED, FAILED))
    return under_strict if strict else normal


def expectation_status(result):
    expectation = result.get("expectation") or {}
    return expectation.get("status", "")


def _strict_fails(findings):
    """Whether NON-STRICT findings fail under --strict: SHOULD ones do, MAY
    ones never (a producer that called MAY-only findings NON-STRICT does
    not make --strict fail on them)."""
    levels = [f.get("level") for f in findings]
    return not (levels and all(level == "MAY" for level in levels))


def deviates(result, strict):
    """Whether the verdict itself is a failure (before expectations)."""
    if verdict_outcome(result["verdict"], strict) != FAILED:
        return False
    return (verdict_outcome(result["verdict"], False) == FAILED or
            _strict_fails(result.get("findings", [])))


def outcome(result, strict):
    """PASSED, FAILED, SKIPPED, ERROR or INCONCLUSIVE for one result."""
    if result["verdict"] in UNJUDGED:
        # SKIPPED, ERROR, INCONCLUSIVE (a premise of the scenario did not
        # hold): neither a pass nor a failure, with or without --strict.
        return verdict_outcome(result["verdict"], strict)
    return _expected(result, strict, deviates(result, strict))


def _expected(item, strict, deviated):
    """PASSED or FAILED for a result or incidental item that `deviated`
    (or not), after the expectations file: a listed deviation passes; a
    stale entry (the deviation no longer happens) fails only under
    --strict, which insists that the entry be removed."""
    status = expectation_status(item)
    if status == "expected-failure":
        return PASSED
    if status == "stale":
        return FAILED if strict else PASSED
    return FAILED if deviated else PASSED


def incidental_verdict(level):
    """FAILED for MUST, NON-STRICT for SHOULD, OK for MAY (the table's);
    FAILED for a level it does not know."""
    return INCIDENTAL_VERDICTS.get(level, "FAILED")


def incidental_deviates(item, strict):
    """Whether an incidental item's verdict is a failure (before
    expectations): FAILED, or NON-STRICT under --strict."""
    return verdict_outcome(item["verdict"], strict) == FAILED


def incidental_outcome(item, strict):
    """PASSED or FAILED for one incidental finding of the run report: a
    MUST one fails, a SHOULD one fails under --strict, a MAY one passes.
    One the expectations file lists passes (expected failure); a stale
    entry fails only under --strict, as for results."""
    return _expected(item, strict, incidental_deviates(item, strict))


def incidental_label(item):
    """An incidental item's verdict as shown to people: EXPECTED FAILURE or
    STALE when the expectations file lists its rule."""
    return label(item)


def incidental_sort_key(item, strict):
    """Failures first, then as ORDER; use with a stable sort."""
    shown = incidental_label(item)
    return (incidental_outcome(item, strict) != FAILED,
            ORDER.index(shown) if shown in ORDER else len(ORDER))


def failing(summary):
    """Whether a run with this summary failed: the exit status is 1 when
    anything failed (results or incidental findings) or could not run."""
    return any(summary[SUMMARY_COUNTS[name]] for name in FAILING)


def label(result):
    """The verdict as shown to people, naming an expectation if any (a
    result, or an incidental item of the run report)."""
    status = expectation_status(result)
    if status == "expected-failure":
        return "EXPECTED FAILURE"
    if status == "stale":
        return "STALE"
    return result["verdict"]


def sort_key(result, strict):
    """Failures first (see ORDER); use with a stable sort."""
    if outcome(result, strict) == FAILED:
        return 0
    shown = label(result)
    return ORDER.index(shown) if shown in ORDER else len(ORDER)


def failures_first(results, strict):
    """The results, failures first, in their order within each group."""
    return sorted(results, key=lambda r: sort_key(r, strict))


def folder(result):
    """The scenario's folder inside scenarios/, e.g. "rfc5321"."""
    path = result["scenario"].get("file", "")
    parts = path.replace("\\", "/").split("/")[:-1]
    if parts and parts[0] == "scenarios":
        parts = parts[1:]
    return "/".join(p for p in parts if p and p != ".") or "scenarios"
