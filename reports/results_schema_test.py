"""docs/results-schema.md says what reports/results_schema.json says: the
same objects, fields in the same order, of the same types and values. A
field added to one and not the other fails here."""

import json
import os
import re

import pytest

from reports import json_report
from reports import outcome
from reports import results_schema as schema

DOC = os.path.join(os.path.dirname(schema.SCHEMA_FILE), os.pardir, "docs",
                   "results-schema.md")
with open(DOC, encoding="utf-8") as _f:
    TEXT = _f.read()

# The field tables, by the heading above each.
TABLES = {"Result": "Result", "Finding": "Finding",
          "Run report (`--report-json`)": "Incidental"}
# The objects written as `{"field", ...}` at the start of their section,
# by its heading.
INLINE = {"Scenario": "Scenario", "Target": "Target", "Step": "Step",
          "Event": "Event", "Expectation": "Expectation",
          "Scenario metadata": "Metadata", "Scenario record": "ScenarioRecord",
          "Selection record": "SelectionRecord",
          "Serving record": "ServingRecord", "Served script": "ServedScript"}


def sections():
    """{heading: its text up to the next heading}."""
    parts = re.split(r"^#+ (.*)$", TEXT, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def doc_type(field):
    """The type as a field table writes it."""
    return field["type"] + (" or absent" if field.get("optional") else "")


def table_rows(text):
    """[(field, type, meaning)] of the first `| field | type | meaning |`
    table in `text`; a cell of several names gives a row each."""
    lines = text[text.index("| field | type | meaning |"):].splitlines()
    rows = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        names, kind, meaning = [c.strip() for c in line.strip("|").split("|",
                                                                         2)]
        rows += [(n, kind, meaning) for n in re.findall(r"`(\w+)`", names)]
    return rows


def braces(text):
    """The field names and written types of the first `{"a", "b": T}`."""
    inner = re.search(r'`\{(".*?)\}`', text).group(1)
    out = []
    for entry in re.split(r',\s*(?=")', inner):
        name, _, written = entry.partition(":")
        out.append((name.strip().strip('"'), written.strip()))
    return out


def written_matches(field, written):
    """Whether a type written in braces (string, [string], "a"|"b") agrees
    with the field; no type written agrees with any."""
    if not written:
        return True
    if written.startswith('"'):
        return [v.strip('"') for v in written.split("|")] == list(
            schema.values(field) or ())
    if written == "[string]":
        return field["type"] == "array" and field.get("items") == "string"
    return written == field["type"]


def required(name):
    return [f for f in schema.OBJECTS[name] if not f.get("optional")]


@pytest.mark.parametrize("heading", sorted(TABLES))
def test_each_field_table_is_the_schema(heading):
    name = TABLES[heading]
    rows = table_rows(sections()[heading])
    assert [(n, kind) for n, kind, _ in rows] == [
        (f["name"], doc_type(f)) for f in schema.OBJECTS[name]]
    # A row that spells out the object it holds spells out its fields.
    fields = {f["name"]: f for f in schema.OBJECTS[name]}
    for row, _, meaning in rows:
        inner = fields[row].get("object") or fields[row].get("items")
        if inner in schema.OBJECTS and '`{"' in meaning:
            assert [n for n, _ in braces(meaning)] == [
                f["name"] for f in schema.OBJECTS[inner]], row


@pytest.mark.parametrize("heading", sorted(INLINE))
def test_each_inline_object_is_the_schema(heading):
    name = INLINE[heading]
    text = sections()[heading]
    written = braces(text)
    assert [n for n, _ in written] == [f["name"] for f in required(name)]
    for (field_name, kind), field in zip(written, required(name)):
        assert written_matches(field, kind), (field_name, kind)
    for field in schema.OBJECTS[name]:
        if field.get("optional"):
            assert "`%s`" % field["name"] in text, field["name"]


def examples():
    return [json.loads(block) for block in re.findall(
        r"```json\n(.*?)```", sections()["Run report (`--report-json`)"],
        re.S)]


def test_the_run_report_example_has_the_schemas_fields():
    report, item = examples()
    assert list(report) == [f["name"] for f in schema.OBJECTS["RunReport"]]
    assert list(report["summary"]) == [
        f["name"] for f in schema.OBJECTS["Summary"]]
    assert report["schema"] == schema.RUN_SCHEMA
    assert list(item) == [f["name"] for f in required("Incidental")]
    assert json_report.validate(report) == []


def test_the_summary_is_what_summarize_gives():
    assert list(json_report.summarize([])) == [
        f["name"] for f in schema.OBJECTS["Summary"]]


def test_the_verdict_table_lists_the_verdicts():
    verdicts = re.findall(r"^\| `([A-Z-]+)` \|", sections()["Verdicts"],
                          re.M)
    assert tuple(verdicts) == outcome.VERDICTS


def test_every_object_of_the_schema_is_documented():
    checked = set(TABLES.values()) | set(INLINE.values()) | {
        "RunReport", "Summary", "IncidentalExpectation", "RuleExpectation"}
    assert checked == set(schema.OBJECTS)
