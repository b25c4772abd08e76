"""How a result counts: the verdict table of docs/results-schema.md.

The verdict is what the interpreter saw; the outcome is what it means for
the run, once --strict and the expectations file are taken into account.
"""

PASSED = "passed"
FAILED = "failed"
SKIPPED = "skipped"
ERROR = "error"

VERDICTS = ("OK", "NON-STRICT", "UNIMPLEMENTED", "FAILED", "SKIPPED",
            "ERROR")


def expectation_status(result):
    expectation = result.get("expectation") or {}
    return expectation.get("status", "")


def deviates(result, strict):
    """Whether the verdict itself is a failure (before expectations)."""
    verdict = result["verdict"]
    return verdict == "FAILED" or (strict and verdict == "NON-STRICT")


def outcome(result, strict):
    """PASSED, FAILED, SKIPPED or ERROR for one result."""
    verdict = result["verdict"]
    if verdict == "SKIPPED":
        return SKIPPED
    if verdict == "ERROR":
        return ERROR
    status = expectation_status(result)
    if status == "expected-failure":
        return PASSED
    if status == "stale":
        # The deviation no longer happens: only --strict insists that the
        # entry be removed.
        return FAILED if strict else PASSED
    return FAILED if deviates(result, strict) else PASSED


def label(result):
    """The verdict as shown to people, naming an expectation if any."""
    status = expectation_status(result)
    if status == "expected-failure":
        return "EXPECTED FAILURE"
    if status == "stale":
        return "STALE"
    return result["verdict"]


def folder(result):
    """The scenario's folder inside scenarios/, e.g. "rfc5321"."""
    path = result["scenario"].get("file", "")
    parts = path.replace("\\", "/").split("/")[:-1]
    if parts and parts[0] == "scenarios":
        parts = parts[1:]
    return "/".join(p for p in parts if p and p != ".") or "scenarios"
