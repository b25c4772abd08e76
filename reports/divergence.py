"""A divergence described in plain text: what went wrong, and where.

The terminal report prints this under each failing result, and the JUnit
report puts it in the body of <failure> and <error>, so both say the same.
Each finding shows the sentence of the RFC its rule quotes beside the
observed text (always in JUnit, with -v on the terminal). Incidental
findings of the run report (docs/results-schema.md) are described here
too.
"""

from reports import excerpt
from reports import outcome
from reports import wire


def quote(sentence):
    """The RFC sentence a rule quotes, as shown beside observed bytes."""
    return "RFC says: \"%s\"" % wire.clean(sentence)


def finding_lines(finding, sentence=False):
    """A finding: level, citation and message, then its rule, expected and
    observed, and (with `sentence`) the RFC sentence the rule quotes."""
    lines = ["%s %s: %s" % (finding["level"], wire.clean(finding["rfc"]),
                            wire.clean(finding["message"]))]
    if finding.get("rule"):
        lines.append("    rule: " + wire.clean(finding["rule"]))
    if finding.get("expected"):
        lines.append("    expected: " + wire.clean(finding["expected"]))
    if finding.get("observed"):
        lines.append("    observed: " + wire.clean(finding["observed"]))
    if sentence and finding.get("sentence"):
        lines.append("    " + quote(finding["sentence"]))
    return lines


def finding_name(finding):
    """"SHOULD RFC 5321 4.1.1.1: message", one line."""
    return "%s %s: %s" % (finding["level"], wire.clean(finding["rfc"]),
                          wire.clean(finding["message"]))


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


def describe(result, radius=3, verbose=False, sentence=None):
    """Lines: label and name, title and file, reason, findings, excerpt.

    The first line starts with outcome.label(result). `verbose` shows the
    whole transcript instead of an excerpt, each finding's RFC sentence
    under the lines of its step; `sentence` (default: `verbose`) shows the
    RFC sentence of each finding in the list of findings.
    """
    if sentence is None:
        sentence = verbose
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
    rules = result["scenario"].get("rules") or []
    if rules:
        lines.append("  tests %s: %s" % ("rule" if len(rules) == 1
                                         else "rules",
                                         wire.clean(", ".join(rules))))
    for finding in result.get("findings", []):
        lines.extend("  " + line for line in finding_lines(finding, sentence))
    if result.get("transcript"):
        lines.append("  transcript:")
        shown = (excerpt.full(result) if verbose
                 else excerpt.excerpt(result, radius=radius))
        lines.extend("    " + line for line in shown)
    return lines


def brief(result):
    """Two lines for a result that needs a look but did not fail
    (INCONCLUSIVE): label and name, then why."""
    lines = ["%s %s @ %s" % (outcome.label(result),
                             wire.clean(result["scenario"]["id"]),
                             wire.clean(result["target"]["name"]))]
    if result.get("reason"):
        lines.append("  " + wire.clean(result["reason"]))
    return lines


def incidental_name(item):
    """The rule id, or the citation when the finding has no rule."""
    return wire.clean(item["rule"] or item["rfc"])


def seen_in(item, limit=None):
    """"seen in 6 scenarios: a, b, c, ..." (the first `limit` ids)."""
    ids = item["seen_in"]
    shown = ids if limit is None else ids[:limit]
    return "seen in %d scenario%s: %s%s" % (
        len(ids), "" if len(ids) == 1 else "s",
        wire.clean(", ".join(shown)), ", ..." if len(shown) < len(ids) else "")


def expectation_note(item):
    """What the expectations file says about an incidental item, in one
    sentence; "" when it does not list the item's rule."""
    expectation = item.get("expectation") or {}
    status = expectation.get("status")
    if not status:
        return ""
    note = wire.clean(expectation.get("note", "")) or "(no note)"
    where = "expectations line %d" % expectation.get("line", 0)
    if status == "expected-failure":
        return "expected (%s): %s" % (where, note)
    if not item["count"]:
        return ("listed as a known deviation (%s: %s), but no scenario of "
                "this run found it; remove the entry." % (where, note))
    return ("listed as a known deviation (%s: %s), but it no longer fails; "
            "remove the entry." % (where, note))


def incidental_line(item, limit=5):
    """One line for an incidental finding of the run report:
    `FAILED  incidental RULE @ TARGET: message (seen in N scenarios: ...)`;
    one the expectations file lists is EXPECTED FAILURE or STALE, with
    what the file says.
    """
    label = outcome.incidental_label(item)
    if not item["count"]:
        return "%s incidental %s @ %s: %s" % (
            label.ljust(7), incidental_name(item),
            wire.clean(item["target"]), expectation_note(item))
    line = "%s incidental %s @ %s: %s (%s)" % (
        label.ljust(7), incidental_name(item),
        wire.clean(item["target"]), wire.clean(item["message"]),
        seen_in(item, limit))
    note = expectation_note(item)
    return line + (" [%s]" % note if note else "")


def incidental_detail(item):
    """Lines under an incidental finding: level and citation, observed, the
    RFC sentence, every scenario it was seen in, and how often (for a
    stale entry that matched nothing, what the expectations file says)."""
    if not item["count"]:
        return ["rule %s: %s" % (wire.clean(item["rule"]),
                                 expectation_note(item))]
    lines = ["%s %s%s" % (item["level"], wire.clean(item["rfc"]),
                          (" (rule %s)" % wire.clean(item["rule"]))
                          if item["rule"] else " (no rule id)")]
    if item.get("observed"):
        lines.append("observed: " + wire.clean(item["observed"]))
    if item.get("sentence"):
        lines.append(quote(item["sentence"]))
    lines.append(seen_in(item) + " (%d finding%s)" % (
        item["count"], "" if item["count"] == 1 else "s"))
    return lines
