"""Checks the JSON a ScenarioResult becomes against docs/results-schema.md.

The C++ side writes it (result_json_dump, a small binary that plays a
scenario in memory); the reports package's validator reads it.
"""

import json
import os
import subprocess

from reports import json_report


def dump():
    binary = os.path.join(os.path.dirname(__file__), "result_json_dump")
    out = subprocess.run([binary], check=True, stdout=subprocess.PIPE).stdout
    return [json.loads(line) for line in out.decode("utf-8").splitlines()]


def test_every_line_is_a_valid_result():
    results = dump()
    assert len(results) >= 2
    report = json_report.build(results, targets=[results[0]["target"]],
                               command=["test"], strict=False)
    assert json_report.validate(report) == []


def test_wire_bytes_survive_exactly():
    results = dump()
    data = b"".join(e["data"].encode("latin-1")
                    for r in results for e in r["transcript"])
    assert b"\xe9t\xe9" in data  # 8-bit bytes sent by the scenario
    assert b"\r\n" in data


def test_verdicts_and_findings():
    verdicts = {r["scenario"]["id"]: r for r in dump()}
    assert verdicts["dump.ok"]["verdict"] == "OK"
    failed = verdicts["dump.rcpt-before-mail"]
    assert failed["verdict"] == "FAILED"
    assert any(f["rfc"] == "RFC 5321 3.3" and f["kind"] == "model"
               for f in failed["findings"])


def test_enum_fields_are_named_as_the_schema_says():
    results = {r["scenario"]["id"]: r for r in dump()}
    ok = results["dump.ok"]
    assert (ok["scenario"]["level"], ok["scenario"]["tests"],
            ok["target"]["tls"]) == ("MUST", "server", "none")
    named = results["dump.names"]
    assert (named["scenario"]["level"], named["scenario"]["tests"],
            named["target"]["tls"]) == ("SHOULD", "both", "implicit")
