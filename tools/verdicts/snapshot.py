"""Verdict snapshots: what a run decided, without what varies between runs.

A refactoring must leave every verdict as it was (issue 14). A snapshot is
one line per result and per incidental item of run reports
(`--report-json`, or the matrix's matrix.json):

    target  scenario  verdict  rule,rule,...

the rules of its findings, sorted, then `incidental` lines, one per
(target, rule) with the scenarios it was seen in. Addresses, times,
messages and transcripts are left out: they change from run to run.

    python3 tools/verdicts/snapshot.py take REPORT.json... > before.tsv
    python3 tools/verdicts/snapshot.py compare before.tsv after.tsv

`compare` prints each line only one side has and exits 1 when there is
one, 0 when the snapshots are the same, 2 on a bad file.
"""

import json
import sys


def lines(report):
    """The snapshot lines of one run report (a dict)."""
    out = []
    for result in report.get("results", []):
        rules = sorted({f.get("rule") or f.get("rfc", "")
                        for f in result.get("findings", [])})
        out.append("\t".join([result["target"]["name"],
                              result["scenario"]["id"], result["verdict"],
                              ",".join(rules)]))
    for item in report.get("incidental", []):
        out.append("\t".join(["incidental", item["target"],
                              item["rule"] or item["rfc"], item["verdict"],
                              ",".join(item.get("seen_in", []))]))
    return out


def take(paths):
    out = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            out += lines(json.load(f))
    return sorted(out)


def compare(before, after):
    """The lines only one side has, as "- line" and "+ line"."""
    old, new = set(before), set(after)
    return (["- " + line for line in sorted(old - new)] +
            ["+ " + line for line in sorted(new - old)])


def _read(path):
    with open(path, encoding="utf-8") as f:
        return [line for line in f.read().splitlines() if line]


def main(argv):
    try:
        if len(argv) >= 2 and argv[0] == "take":
            print("\n".join(take(argv[1:])))
            return 0
        if len(argv) == 3 and argv[0] == "compare":
            diff = compare(_read(argv[1]), _read(argv[2]))
            for line in diff:
                print(line)
            print("%d results and incidental items differ" % len(diff)
                  if diff else "same verdicts", file=sys.stderr)
            return 1 if diff else 0
    except (OSError, ValueError, KeyError) as e:
        print("snapshot.py: %s" % e, file=sys.stderr)
        return 2
    print("usage: snapshot.py take REPORT.json... | compare A.tsv B.tsv",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
