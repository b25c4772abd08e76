"""How a result counts: the verdict table of docs/results-schema.md.

The verdict is what the interpreter saw; the outcome is what it means for
the run, once --strict and the expectations file are taken into account.
Incidental findings (a model finding about a rule the scenario does not
test) are counted as items of their own: see incidental_verdict() and
incidental_outcome().
"""

PASSED = "passed"
FAILED = "failed"
SKIPPED = "skipped"
ERROR = "error"
INCONCLUSIVE = "inconclusive"

OUTCOMES = (PASSED, FAILED, SKIPPED, ERROR, INCONCLUSIVE)

VERDICTS = ("OK", "NON-STRICT", "UNIMPLEMENTED", "FAILED", "INCONCLUSIVE",
            "SKIPPED", "ERROR")

# Verdicts that say nothing about whether a deviation happens: the
# expectations file does not apply to them.
UNJUDGED = ("SKIPPED", "ERROR", "INCONCLUSIVE")

# What people read first: failures, then what needs a look, then passes.
# outcome.sort_key() puts every result whose outcome is FAILED in the first
# group, whatever its verdict (NON-STRICT or STALE under --strict).
ORDER = ("FAILED", "ERROR", "INCONCLUSIVE", "NON-STRICT", "EXPECTED FAILURE",
         "STALE", "UNIMPLEMENTED", "SKIPPED", "OK")

# An incidental finding's verdict, from its level.
INCIDENTAL_VERDICTS = {"MUST": "FAILED", "SHOULD": "NON-STRICT", "MAY": "OK"}


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
    verdict = result["verdict"]
    return verdict == "FAILED" or (
        strict and verdict == "NON-STRICT" and
        _strict_fails(result.get("findings", [])))


def outcome(result, strict):
    """PASSED, FAILED, SKIPPED, ERROR or INCONCLUSIVE for one result."""
    verdict = result["verdict"]
    if verdict == "SKIPPED":
        return SKIPPED
    if verdict == "ERROR":
        return ERROR
    if verdict == "INCONCLUSIVE":
        # A premise of the scenario did not hold: neither a pass nor a
        # failure, with or without --strict.
        return INCONCLUSIVE
    status = expectation_status(result)
    if status == "expected-failure":
        return PASSED
    if status == "stale":
        # The deviation no longer happens: only --strict insists that the
        # entry be removed.
        return FAILED if strict else PASSED
    return FAILED if deviates(result, strict) else PASSED


def incidental_verdict(level):
    """FAILED for MUST, NON-STRICT for SHOULD, OK for MAY."""
    return INCIDENTAL_VERDICTS.get(level, "FAILED")


def incidental_deviates(item, strict):
    """Whether an incidental item's verdict is a failure (before
    expectations): FAILED, or NON-STRICT under --strict."""
    verdict = item["verdict"]
    return verdict == "FAILED" or (strict and verdict == "NON-STRICT")


def incidental_outcome(item, strict):
    """PASSED or FAILED for one incidental finding of the run report: a
    MUST one fails, a SHOULD one fails under --strict, a MAY one passes.
    One the expectations file lists passes (expected failure); a stale
    entry fails only under --strict, as for results."""
    status = expectation_status(item)
    if status == "expected-failure":
        return PASSED
    if status == "stale":
        return FAILED if strict else PASSED
    return FAILED if incidental_deviates(item, strict) else PASSED


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
    return bool(summary["failed"] or summary["errors"])


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
