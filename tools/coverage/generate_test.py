"""The coverage matrix: docs/coverage.md is what the generator makes of the
requirements and the scenarios now, and the generator's rules hold."""

import os

import pytest

import generate

ROOT = os.path.join(os.environ.get("TEST_SRCDIR", ""),
                    os.environ.get("TEST_WORKSPACE", ""))
CLI = os.path.join(ROOT, "cli/smtpspec_cli")  # a data dependency

TABLE = (
    "# Rules: comments are ignored, and so are blank lines.\n"
    "\n"
    "id\tsection\tlevel\tside\ttags\tsentence\n"
    "a-must\t4.1.4\tMUST\tserver\tsequence\tA 503 for a bad sequence.\n"
    "a-client\t4.1.4\tMUST\tclient\t\tQUIT last.\n"
    "a-tagged\t4.5.1\tMUST\tserver\tminimum, vrfy\tVRFY | supported.\n"
    "a-none\t4.2.5\tSHOULD NOT\tserver\t\tNothing covers this.\n"
)


def scenario(sid, rfc, tests="server", tags=(), level="MUST", rules=()):
    return generate.Scenario(sid, "title of " + sid, sid + ".smtp",
                             ["RFC 5321 " + r for r in rfc], level, tests,
                             list(tags), list(rules))


def test_coverage_md_is_up_to_date():
    """Fails when a scenario, its front matter or the requirements changed
    without `python3 tools/coverage/generate.py` being run."""
    text = generate.generate(ROOT, CLI)
    with open(os.path.join(ROOT, generate.COVERAGE), encoding="utf-8") as f:
        assert f.read() == text, (
            "docs/coverage.md is out of date: run "
            "python3 tools/coverage/generate.py")


def test_the_real_requirements_parse_and_scenarios_are_listed():
    with open(os.path.join(ROOT, generate.REQUIREMENTS),
              encoding="utf-8") as f:
        rows = generate.parse_requirements(f.read())
    assert len(rows) >= 100
    # RFC 5321 4.5.1: each command of the minimum implementation has a row.
    for verb in ("ehlo", "helo", "mail", "rcpt", "data", "rset", "noop",
                 "quit", "vrfy"):
        assert "4.5.1-" + verb in {r.id for r in rows}
    files = generate.scenario_files(ROOT)
    assert len(files) >= 100
    assert all(f.startswith("scenarios/rfc5321/") for f in files)


def test_table_rows_are_read_and_comments_skipped():
    rows = generate.parse_requirements(TABLE)
    assert [r.id for r in rows] == ["a-must", "a-client", "a-tagged",
                                    "a-none"]
    assert rows[2].tags == ["minimum", "vrfy"]
    assert rows[1].tags == []
    assert rows[3].level == "SHOULD NOT"


@pytest.mark.parametrize("row, message", [
    ("x\t4.1\tMUST\tserver\t", "needs 6"),
    ("x\t4.1\tMAYBE\tserver\t\tt", "level 'MAYBE'"),
    ("x\t4.1\tMUST\teither\t\tt", "side 'either'"),
    ("x\tfour\tMUST\tserver\t\tt", "not a section number"),
    ("a-must\t4.1\tMUST\tserver\t\tt", "used twice"),
])
def test_bad_rows_are_errors_with_their_line(row, message):
    with pytest.raises(generate.Error) as e:
        generate.parse_requirements(TABLE + row + "\n", "r.tsv")
    assert message in str(e.value)
    assert "r.tsv:8:" in str(e.value)


def test_may_and_both_are_levels_and_sides():
    [r] = generate.parse_requirements(
        "id\tsection\tlevel\tside\ttags\tsentence\n"
        "m\t2.3.8\tMAY\tboth\t\tLimits MAY be imposed.\n")
    assert (r.level, r.side) == ("MAY", "both")


def test_a_file_without_rows_or_header_is_an_error():
    with pytest.raises(generate.Error):
        generate.parse_requirements("# nothing here\n")
    with pytest.raises(generate.Error):
        generate.parse_requirements("a\t4.1\tMUST\tserver\t\tt\n")


def test_a_scenario_with_rules_covers_exactly_its_rules():
    must, client, tagged, _ = generate.parse_requirements(TABLE)
    s = scenario("s", ["4.1.4"], tags=["sequence"],
                 rules=["rfc5321/a-tagged"])
    assert generate.covers(s, tagged)
    assert not generate.covers(s, must)


def test_covers_needs_the_exact_section_the_side_and_every_tag():
    must, client, tagged, _ = generate.parse_requirements(TABLE)
    assert generate.covers(scenario("s", ["4.1.4"], tags=["sequence"]), must)
    # 4.1.4.1 is not 4.1.4, and 4.1 is not either.
    assert not generate.covers(
        scenario("s", ["4.1.4.1", "4.1"], tags=["sequence"]), must)
    # Wrong side; "both" counts for either side.
    assert not generate.covers(
        scenario("s", ["4.1.4"], "client", ["sequence"]), must)
    assert generate.covers(scenario("s", ["4.1.4"], "both"), client)
    # Every tag of the row, not just one.
    assert not generate.covers(scenario("s", ["4.5.1"], tags=["vrfy"]),
                               tagged)
    assert generate.covers(
        scenario("s", ["4.5.1"], tags=["vrfy", "minimum", "x"]), tagged)


def test_render_lists_scenarios_gaps_and_strays():
    rows = generate.parse_requirements(TABLE)
    text = generate.render(rows, [
        scenario("z.seq", ["4.1.4"], tags=["sequence"]),
        scenario("a.seq", ["4.1.4"], "both", ["sequence"]),
        scenario("stray", ["2.4"]),
    ])
    assert "4 requirements, 2 covered, 2 not covered; 3 scenarios." in text
    # Sorted scenario ids, and the "not covered" mark for gaps.
    assert ("| a-must | MUST | server | A 503 for a bad sequence. | "
            "`a.seq`, `z.seq` |") in text
    assert "| a-none | SHOULD NOT | server | Nothing covers this. | " \
           "**not covered** |" in text
    # A '|' in the text stays escaped in the output table.
    assert "VRFY \\| supported." in text
    assert "| `stray` | RFC 5321 2.4 | title of stray |" in text
    assert "| 4.1.4 | 2 | 0 | 0 | 2 | 0 |" in text


def test_a_scenario_below_the_rows_level_is_marked():
    must, client, _, _ = generate.parse_requirements(TABLE)
    may = scenario("m.seq", ["4.1.4"], tags=["sequence"], level="MAY")
    assert generate.weaker(may, must)
    assert not generate.weaker(scenario("s", ["4.1.4"]), must)
    text = generate.render([must], [may, scenario("a.seq", ["4.1.4"],
                                                  tags=["sequence"])])
    assert "`a.seq`, `m.seq` (MAY) |" in text


def test_list_output_is_parsed():
    line = ('{"id": "x.y", "title": "T", "description": "", "file": "f", '
            '"rfc": ["RFC 5321 4.2"], "level": "SHOULD", "tests": "client", '
            '"tags": ["a"], "requires": [], "vars": {}, "steps": 3}')
    [s] = generate.parse_list_output(line + "\n\n")
    assert (s.id, s.rfc, s.tests, s.tags) == ("x.y", ["RFC 5321 4.2"],
                                              "client", ["a"])


def test_check_mode_reports_a_stale_file(tmp_path, capsys):
    # A tiny repository: one requirement, one scenario, the real binary.
    (tmp_path / "docs").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules/rfc5321.tsv").write_text(
        "id\tsection\tlevel\tside\ttags\tsentence\n"
        "r\t4.1.1.9\tMUST\tserver\t\tNOOP gets 250.\n")
    (tmp_path / "scenarios/rfc5321").mkdir(parents=True)
    (tmp_path / "scenarios/rfc5321/noop.smtp").write_text(
        "---\nid: t.noop\ntitle: NOOP\nrfc: [RFC 5321 4.1.1.9]\n"
        "level: MUST\ntests: server\n---\nS: 220 *\nC: NOOP\nS: 250 *\n")
    args = ["--root", str(tmp_path), "--cli", CLI]
    assert generate.main(args + ["--check"]) == 1
    assert generate.main(args) == 0
    assert "`t.noop`" in (tmp_path / "docs/coverage.md").read_text()
    assert generate.main(args + ["--check"]) == 0
    capsys.readouterr()


def test_bad_scenario_is_an_error(tmp_path):
    (tmp_path / "scenarios/rfc5321").mkdir(parents=True)
    (tmp_path / "scenarios/rfc5321/bad.smtp").write_text(
        "---\nid: bad\nlevel: MAYBE\n---\n")
    with pytest.raises(generate.Error) as e:
        generate.list_scenarios(CLI, generate.scenario_files(tmp_path),
                                tmp_path)
    assert "bad.smtp" in str(e.value)
