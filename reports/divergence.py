"""A divergence described in plain text: what went wrong, and where.

The terminal report prints this under each failing result, and the JUnit
report puts it in the body of <failure> and <error>, so both say the same.
"""

from reports import excerpt
from reports import outcome
from reports import wire


def finding_lines(finding):
    """A finding: level, citation and message, then expected and observed."""
    lines = ["%s %s: %s" % (finding["level"], wire.clean(finding["rfc"]),
                            wire.clean(finding["message"]))]
    if finding.get("expected"):
        lines.append("    expected: " + wire.clean(finding["expected"]))
    if finding.get("observed"):
        lines.append("    observed: " + wire.clean(finding["observed"]))
    return lines


def headline(result):
    """One line for a divergence: the first finding, the reason, or why
    the result counts as it does."""
    findings = result.get("findings", [])
    if outcome.expectation_status(result) == "stale":
        return ("stale expectation: %s no longer fails on %s; remove it "
                "from the expectations file" %
                (wire.clean(result["scenario"]["id"]),
                 wire.clean(result["target"]["name"])))
    if findings:
        first = findings[0]
        return "%s %s: %s" % (first["level"], wire.clean(first["rfc"]),
                              wire.clean(first["message"]))
    if result.get("reason"):
        return wire.clean(result["reason"])
    return result["verdict"]


def describe(result, radius=3):
    """Lines: label and name, title and file, reason, findings, excerpt.

    The first line starts with outcome.label(result).
    """
    scenario = result["scenario"]
    lines = [
        "%s %s @ %s" % (outcome.label(result), wire.clean(scenario["id"]),
                        wire.clean(result["target"]["name"])),
        "  %s (%s:%s)" % (wire.clean(scenario.get("title", "")),
                          wire.clean(scenario.get("file", "")),
                          scenario.get("line", "")),
    ]
    if result.get("reason"):
        lines.append("  " + wire.clean(result["reason"]))
    if outcome.expectation_status(result):
        note = wire.clean(result["expectation"].get("note") or "")
        lines.append("  expectations file: " + (note or "(no note)"))
    if outcome.expectation_status(result) == "stale":
        lines.append("  The scenario is listed as a known deviation but no "
                     "longer fails: remove the entry.")
    for finding in result.get("findings", []):
        lines.extend("  " + line for line in finding_lines(finding))
    if result.get("transcript"):
        lines.append("  transcript:")
        lines.extend("    " + line
                     for line in excerpt.excerpt(result, radius=radius))
    return lines
