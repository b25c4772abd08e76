"""Verdict snapshots keep what a run decided and drop what varies."""

import json

import snapshot


def report(verdict="OK", address="127.0.0.1:1", rules=(), seen=("s",)):
    return {
        "results": [{
            "target": {"name": "ref", "address": address},
            "scenario": {"id": "s"}, "verdict": verdict,
            "duration_ms": 12.5,
            "findings": [{"rule": r, "rfc": "RFC 5321 4.2",
                          "message": "varies %s" % address} for r in rules],
        }],
        "incidental": [{"target": "ref", "rule": "rfc5321/4.2-one-reply",
                        "rfc": "RFC 5321 4.2", "verdict": "FAILED",
                        "seen_in": list(seen)}],
    }


def test_lines_leave_out_addresses_times_and_messages():
    a = snapshot.lines(report(address="127.0.0.1:1", rules=["r/b", "r/a"]))
    b = snapshot.lines(report(address="127.0.0.1:2", rules=["r/a", "r/b"]))
    assert a == b == ["ref\ts\tOK\tr/a,r/b",
                      "incidental\tref\trfc5321/4.2-one-reply\tFAILED\ts"]


def test_compare_shows_a_changed_verdict_and_a_changed_incidental():
    before = snapshot.lines(report())
    after = snapshot.lines(report(verdict="FAILED", seen=("s", "t")))
    assert snapshot.compare(before, before) == []
    assert snapshot.compare(before, after) == [
        "- incidental\tref\trfc5321/4.2-one-reply\tFAILED\ts",
        "- ref\ts\tOK\t",
        "+ incidental\tref\trfc5321/4.2-one-reply\tFAILED\ts,t",
        "+ ref\ts\tFAILED\t"]


def test_main_exit_codes(tmp_path, capsys):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report()))
    assert snapshot.main(["take", str(path)]) == 0
    taken = capsys.readouterr().out
    (tmp_path / "a.tsv").write_text(taken)
    (tmp_path / "b.tsv").write_text(taken.replace("OK", "FAILED"))
    assert snapshot.main(["compare", str(tmp_path / "a.tsv"),
                          str(tmp_path / "a.tsv")]) == 0
    assert snapshot.main(["compare", str(tmp_path / "a.tsv"),
                          str(tmp_path / "b.tsv")]) == 1
    assert snapshot.main(["take", str(tmp_path / "missing.json")]) == 2
    assert snapshot.main(["nothing"]) == 2
