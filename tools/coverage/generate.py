"""Writes docs/coverage.md: which scenarios cover each RFC 5321 requirement.

    python3 tools/coverage/generate.py [--cli PATH] [--check]

The requirements are the rules of rules/rfc5321.tsv (rules/README.md). A
scenario covers a rule when its front matter `rules:` lists it
(rfc5321/<id>); a scenario without `rules:` covers a rule when it cites the
rule's section in `rfc`, tests the rule's side (or both) and has all the
rule's tags. The scenarios' front
matter comes from `smtpspec_cli list`, the same parser the harness runs
on, so the matrix never disagrees with what the harness reads. The binary
is --cli, else $SMTPSPEC_CLI, else bazel-bin/cli/smtpspec_cli (build it
with `bazel build //cli:smtpspec_cli`). `bazel run //tools/coverage:generate`
does all of that at once.

With --check nothing is written: the exit status is 1, with a diff, when
docs/coverage.md is out of date.
"""

import argparse
import dataclasses
import difflib
import json
import os
import subprocess
import sys

REQUIREMENTS = "rules/rfc5321.tsv"
STEM = "rfc5321/"
COVERAGE = "docs/coverage.md"
SCENARIOS = "scenarios/rfc5321"
RFC = "RFC 5321 "
LEVELS = ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY")
SIDES = ("server", "client", "both")
HEADER = ["id", "section", "level", "side", "tags", "sentence"]


class Error(Exception):
    """Bad input, with a message that says where and why."""


@dataclasses.dataclass
class Requirement:
    id: str
    section: str
    level: str
    side: str
    tags: list
    text: str


@dataclasses.dataclass
class Scenario:
    id: str
    title: str
    file: str
    rfc: list
    level: str
    tests: str
    tags: list
    rules: list = dataclasses.field(default_factory=list)


def parse_requirements(text, name=REQUIREMENTS):
    """The rules of a catalogue file, in order.

    Tab-separated: '#' lines are comments, the first other line is the
    header (id, section, level, side, tags, sentence), then one rule a line.
    """
    rows = []
    seen = set()
    header_done = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        where = f"{name}:{number}"
        if not header_done:
            if cells != HEADER:
                raise Error(f"{where}: the header must be "
                            f"'{' '.join(HEADER)}', tab-separated")
            header_done = True
            continue
        if len(cells) != 6:
            raise Error(f"{where}: a row needs 6 tab-separated cells (id, "
                        f"section, level, side, tags, sentence), not "
                        f"{len(cells)}")
        rid, section, level, side, tags, req = cells
        if not rid or rid in seen:
            raise Error(f"{where}: the id '{rid}' is empty or used twice")
        seen.add(rid)
        if not section or not all(p.isdigit() for p in section.split(".")):
            raise Error(f"{where}: '{section}' is not a section number")
        if level not in LEVELS:
            raise Error(f"{where}: level '{level}' is not one of "
                        f"{', '.join(LEVELS)}")
        if side not in SIDES:
            raise Error(f"{where}: side '{side}' is not server, client or "
                        f"both")
        rows.append(Requirement(rid, section, level, side,
                                [t.strip() for t in tags.split(",")
                                 if t.strip()], req))
    if not rows:
        raise Error(f"{name}: no rules found")
    return rows


def parse_list_output(text):
    """Scenarios from `smtpspec_cli list` JSON lines."""
    scenarios = []
    for line in text.splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        scenarios.append(Scenario(d["id"], d["title"], d["file"], d["rfc"],
                                  d["level"], d["tests"], d["tags"],
                                  d.get("rules", [])))
    return scenarios


def covers(scenario, requirement):
    """Whether `scenario` covers `requirement` (see the module comment)."""
    if scenario.rules:
        return STEM + requirement.id in scenario.rules
    return (RFC + requirement.section in scenario.rfc
            and (scenario.tests == "both" or requirement.side == "both"
                 or scenario.tests == requirement.side)
            and set(requirement.tags) <= set(scenario.tags))


def weaker(scenario, requirement):
    """Whether `scenario` checks `requirement` at a lower level than the
    RFC's (a MAY scenario under a MUST row): shown beside its id, so that a
    MUST is not taken as tested at MUST level when it is not."""
    rank = {"MUST": 2, "SHOULD": 1, "MAY": 0}
    if scenario.rules and scenario.rules[0] != STEM + requirement.id:
        return False  # checked by its own steps, at the rule's level
    return rank[scenario.level] < rank[requirement.level.split()[0]]


def section_key(section):
    return [int(p) for p in section.split(".")]


def cell(text):
    return text.replace("|", "\\|")


def render(requirements, scenarios):
    """docs/coverage.md as text."""
    by_req = {r.id: [s for s in scenarios if covers(s, r)]
              for r in requirements}
    used = {s.id for ss in by_req.values() for s in ss}
    covered = [r for r in requirements if by_req[r.id]]
    out = [
        "# RFC 5321 coverage",
        "",
        "Generated by `python3 tools/coverage/generate.py` from",
        "[the rules](../rules/rfc5321.tsv) and the front matter of",
        f"`{SCENARIOS}/`; do not edit by hand. A test fails when this file is",
        "out of date.",
        "",
        f"{len(requirements)} requirements, {len(covered)} covered, "
        f"{len(requirements) - len(covered)} not covered; "
        f"{len(scenarios)} scenarios.",
        "",
        "## By section",
        "",
        "| Section | MUST | SHOULD | MAY | Covered | Not covered |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    sections = sorted({r.section for r in requirements}, key=section_key)
    for section in sections:
        rows = [r for r in requirements if r.section == section]
        must = sum(r.level.startswith("MUST") for r in rows)
        may = sum(r.level == "MAY" for r in rows)
        ok = sum(bool(by_req[r.id]) for r in rows)
        out.append(f"| {section} | {must} | {len(rows) - must - may} | "
                   f"{may} | {ok} | {len(rows) - ok} |")
    out += ["", "## Requirements", ""]
    for section in sections:
        out += [f"### {section}", "",
                "| ID | Level | Side | Requirement | Scenarios |",
                "| --- | --- | --- | --- | --- |"]
        for r in requirements:
            if r.section != section:
                continue
            found = ", ".join(
                f"`{s.id}`" + (f" ({s.level})" if weaker(s, r) else "")
                for s in sorted(by_req[r.id], key=lambda s: s.id))
            found = found or "**not covered**"
            out.append(f"| {r.id} | {r.level} | {r.side} | {cell(r.text)} | "
                       f"{found} |")
        out.append("")
    extra = sorted((s for s in scenarios if s.id not in used),
                   key=lambda s: s.id)
    out += ["## Scenarios that cover no listed requirement", "",
            "They check something the table has no row for (a finding of the",
            "reference models, or a case of a requirement written for the",
            "other side).", ""]
    if extra:
        out += ["| Scenario | Cites | Title |", "| --- | --- | --- |"]
        out += [f"| `{s.id}` | {', '.join(s.rfc)} | {cell(s.title)} |"
                for s in extra]
    else:
        out.append("None.")
    return "\n".join(out) + "\n"


def scenario_files(root):
    files = []
    for directory, _, names in os.walk(os.path.join(root, SCENARIOS)):
        files += [os.path.join(directory, n) for n in names
                  if n.endswith(".smtp")]
    return sorted(os.path.relpath(f, root) for f in files)


def list_scenarios(cli, files, cwd):
    """Runs `smtpspec_cli list` on `files`; its diagnostics become an Error."""
    if not files:
        raise Error("no scenario files found")
    result = subprocess.run([cli, "list", *files], cwd=cwd,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise Error(f"smtpspec_cli list failed (exit {result.returncode}):\n"
                    f"{result.stderr}")
    return parse_list_output(result.stdout)


def find_cli(root, given):
    for candidate in (given, os.environ.get("SMTPSPEC_CLI"),
                      os.path.join(root, "bazel-bin/cli/smtpspec_cli")):
        if candidate and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    raise Error("smtpspec_cli not found: build it with "
                "`bazel build //cli:smtpspec_cli`, or pass --cli PATH")


def generate(root, cli):
    with open(os.path.join(root, REQUIREMENTS), encoding="utf-8") as f:
        requirements = parse_requirements(f.read())
    scenarios = list_scenarios(cli, scenario_files(root), root)
    return render(requirements, scenarios)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cli", help="the smtpspec_cli binary")
    parser.add_argument("--check", action="store_true",
                        help="only report whether docs/coverage.md is "
                             "up to date")
    parser.add_argument("--root", help="the repository (default: this "
                        "checkout, or $BUILD_WORKSPACE_DIRECTORY)")
    args = parser.parse_args(argv)
    root = (args.root or os.environ.get("BUILD_WORKSPACE_DIRECTORY") or
            os.path.dirname(os.path.dirname(os.path.dirname(
                os.path.abspath(__file__)))))
    try:
        text = generate(root, find_cli(root, args.cli))
    except Error as e:
        print(f"coverage: {e}", file=sys.stderr)
        return 2
    path = os.path.join(root, COVERAGE)
    if args.check:
        try:
            with open(path, encoding="utf-8") as f:
                old = f.read()
        except FileNotFoundError:
            old = ""
        if old != text:
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), text.splitlines(True), COVERAGE,
                "generated"))
            print(f"coverage: {COVERAGE} is out of date; run "
                  f"python3 tools/coverage/generate.py", file=sys.stderr)
            return 1
        return 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {COVERAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
