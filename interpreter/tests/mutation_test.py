"""Issue 6 and 13: the deliberately broken server. Each fault of
smtpspec_server (--faults) switched on alone must make at least one corpus
scenario fail, with a finding under the rule that names it (or, for the
faults from before rule ids, citing the RFC section). A fault that breaks
a SHOULD is caught under --strict (NON-STRICT counts as failing there); a
fault that breaks a MAY is not a failure at all, and must only be
reported, as a MAY finding under its rule. `no-unstuff` changes nothing
on the wire: only the delivery check (runner/delivery.py) reading the
server's maildir sees it. The detection rate is printed (pytest -s shows
it; the JUnit output keeps it in system-out)."""

import collections
import os

import pytest

import harness
from runner import delivery

# rule: the rule id a finding must carry (None: check `section` only);
# section: the citation it must carry; strict: a SHOULD, caught under
# --strict; reported_only: a MAY, reported but never failing;
# delivered: the server stores into a maildir and the delivery check runs.
# message: words a finding's message must hold (for a fault that no one
# rule names).
Expect = collections.namedtuple(
    "Expect", "section rule strict reported_only delivered message")


def expect(section, rule=None, strict=False, reported_only=False,
           delivered=False, message=None):
    return Expect(section, rule, strict, reported_only, delivered, message)


FAULTS = {
    "wrong-codes": expect("RFC 5321 4.1.1.10"),
    "rcpt-before-mail": expect("RFC 5321 3.3"),
    "broken-multiline": expect("RFC 5321 4.2.1"),
    "bare-lf-end": expect("RFC 5321 4.1.1.4"),
    # A stall is a step that never got its reply: a finding of the
    # scenario's own, under its rule, that says so.
    "stall": expect(None, message="no reply from the server"),
    "early-close": expect("RFC 5321 3.8"),
    "reject-postmaster": expect("RFC 5321 4.5.1"),
    # 500 to VRFY: "producing a 'command not recognized' error in response
    # to the required subset of these commands is a violation" (4.3.2).
    "no-vrfy": expect("RFC 5321 4.3.2", "rfc5321/4.3.2-required-not-500"),
    # The stuffed dot stays in the stored message (RFC 5321 4.5.2).
    "no-unstuff": expect("RFC 5321 4.5.2", "rfc5321/4.5.2-unstuffing",
                         delivered=True),
    # rfc5321.4.1.4.nested-mail: 503 to a nested MAIL is a MAY.
    "nested-mail": expect("RFC 5321 4.1.4", "rfc5321/4.1.4-nested-mail-503",
                          reported_only=True),
    # rfc5321.3.1.greeting-554-then-503: a SHOULD.
    "greet-554-serve": expect("RFC 5321 3.1", "rfc5321/3.1-554-then-503",
                              strict=True),
    # rfc5321.4.5.3.1.4.command-line-512: the connection closes without a
    # reply to a 512-octet line.
    "long-line-close": expect("RFC 5321 4.3.2",
                              "rfc5321/4.3.2-not-too-long"),
    # rfc1870.6.1.mail-size-over-limit.
    "ignore-size": expect("RFC 1870 6.1", "rfc1870/6-552-over-limit"),
}

RULES = delivery.load_rules(harness.RUNFILES)
detected = {}


def run_corpus(*server_flags, strict=False, maildir=None):
    with harness.reference_server(*server_flags, maildir=maildir) as address:
        check = None
        if maildir:
            check = delivery.Checker(delivery.Spec("maildir", maildir), RULES,
                                     settle=1.0)
            check.start()
        code, results, err = harness.run(
            harness.corpus(), "--target", address, "--timeout", "1s",
            "--jobs", "8", *(["--strict"] if strict else []), timeout=600)
        if check:
            checked = []
            for result in results:
                checked += check.add(result)
            results = checked + check.finish()
    return code, results, err


def failing(results, strict):
    """The results that fail the run: a failing verdict, or an incidental
    finding that fails the target (reported once per target, seen here)."""
    bad = ("FAILED", "ERROR") + (("NON-STRICT",) if strict else ())
    levels = ("MUST", "SHOULD") if strict else ("MUST",)
    return [r for r in results
            if r["verdict"] in bad
            or any(f["level"] in levels for f in r.get("incidental", []))]


def findings(results):
    return [f for r in results for f in r["findings"] + r.get("incidental", [])]


def test_corpus_passes_against_the_reference_server(tmp_path):
    # With the delivery check too: every stored message is what was sent.
    code, results, err = run_corpus(maildir=str(tmp_path / "md"))
    # INCONCLUSIVE only where the very first step is the premise that fails:
    # a scenario for another kind of server (one that greets 554).
    bad = [(r["scenario"]["id"], r["verdict"], r["reason"],
            [f["message"] for f in r["findings"]])
           for r in results
           if r["verdict"] not in ("OK", "UNIMPLEMENTED", "SKIPPED")
           and not (r["verdict"] == "INCONCLUSIVE"
                    and r["steps"][0]["status"] == "mismatch")]
    assert bad == [], err
    assert [f for f in findings(results) if f["level"] != "MAY"] == []
    assert code == 0


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_detected_under_its_rule(fault, record_property, tmp_path):
    want = FAULTS[fault]
    code, results, err = run_corpus(
        "--faults", fault, strict=want.strict,
        maildir=str(tmp_path / "md") if want.delivered else None)
    if want.reported_only:
        seen = [r for r in results for f in findings([r])
                if f.get("rule") == want.rule and f["level"] == "MAY"]
        detected[fault] = len(seen)
        record_property("reported_by", "%d of %d scenarios"
                        % (len(seen), len(results)))
        assert seen, "no scenario reported %s under %s" % (fault, want.rule)
        return
    caught = failing(results, want.strict)
    detected[fault] = len(caught)
    # Kept in the JUnit XML (test.xml) as a property of the test case.
    record_property("caught_by", "%d of %d scenarios"
                    % (len(caught), len(results)))
    if not want.delivered:
        assert code == 1, err
    assert caught, "no scenario caught " + fault
    if want.section:
        assert want.section in harness.sections(caught)
    if want.rule:
        rules = {f.get("rule") for f in findings(caught)}
        assert want.rule in rules, sorted(r for r in rules if r)
    if want.message:
        assert any(want.message in f["message"] for f in findings(caught))


def test_zz_detection_rate(record_property):
    caught = sum(1 for n in detected.values() if n > 0)
    record_property("detection_rate", "%d of %d faults" % (caught, len(FAULTS)))
    assert caught == len(FAULTS)
