"""Test fixtures: the hand-written results in reports/testdata.

results.json holds 16 results, 8 scenarios against two targets:
`reference` passes everything it runs (one SKIPPED; one OK result has a
MAY-level finding), `legacy-mta` shows every other verdict: NON-STRICT,
FAILED (one listed in expectations.txt, so an expected failure),
UNIMPLEMENTED, ERROR, INCONCLUSIVE (a catch-all accepts an unknown
mailbox), and an OK scenario that expectations.txt still lists (stale).
Transcripts carry bare LF, 8-bit bytes, a NUL and HTML/script text.

Incidental findings give the run report three items: on legacy-mta a MUST
one with a rule id (221 without closing, seen in 5 scenarios, FAILED) and a
SHOULD one without (the EHLO greeting, seen in 6 scenarios, NON-STRICT);
on reference a MAY one without a rule id (seen in 2 scenarios, OK).
"""

import json
import os

from reports import expectations
from reports import json_report

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "testdata")


def path(name):
    return os.path.join(TESTDATA, name)


def read(name):
    with open(path(name), encoding="utf-8") as f:
        return f.read()


def results():
    """A fresh copy of the 16 results, without expectations."""
    return json.loads(read("results.json"))


def entries():
    parsed = expectations.parse(read("expectations.txt"), "expectations.txt")
    assert not parsed.errors, parsed.errors
    return parsed.entries


def report(strict=False, only_target=None):
    """The run report, expectations applied; optionally one target only."""
    rs = results()
    if only_target:
        rs = [r for r in rs if r["target"]["name"] == only_target]
    return json_report.build(
        json_report.apply_expectations(rs, entries(), strict),
        command=["smtpspec", "run", "--expect", "expectations.txt"],
        strict=strict, started_at="2026-11-23T16:00:00.100Z",
        duration_ms=5012.3)
