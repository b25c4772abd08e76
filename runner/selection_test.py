"""Selection flags and Bazel sharding (runner/selection.py)."""

import os

import pytest

from runner import selection
from runner.errors import Fatal

SCENARIOS = [
    {"id": "rfc5321.noop", "level": "MUST", "tags": ["minimum"],
     "rfc": ["RFC 5321 4.1.1.9"]},
    {"id": "rfc5321.rcpt-before-mail", "level": "MUST",
     "tags": ["minimum", "sequence"],
     "rfc": ["RFC 5321 3.3", "RFC 5321 4.1.4"]},
    {"id": "rfc5321.limits", "level": "MUST", "tags": ["limits"],
     "rfc": ["RFC 5321 4.10"]},
    {"id": "rfc1870.size", "level": "SHOULD", "tags": ["size"],
     "rfc": ["RFC 1870 4"]},
    {"id": "rfc3207.starttls", "level": "MAY", "tags": ["tls"],
     "rfc": ["RFC 3207"]},
]


def ids(**flags):
    return [m["id"] for m in selection.select(SCENARIOS,
                                              selection.filters(**flags))]


def test_no_flags_select_everything():
    assert ids() == [m["id"] for m in SCENARIOS]


def test_tags_any_of_comma_separated_and_repeated():
    assert ids(tags=["sequence"]) == ["rfc5321.rcpt-before-mail"]
    assert ids(tags=["size,tls"]) == ["rfc1870.size", "rfc3207.starttls"]
    assert ids(tags=["size", "limits"]) == ["rfc5321.limits", "rfc1870.size"]


def test_rfc_selects_the_section_and_those_inside_it():
    # "RFC 5321 4.1" covers 4.1.4 and 4.1.1.9 but not 4.10.
    assert ids(rfcs=["RFC 5321 4.1"]) == ["rfc5321.noop",
                                          "rfc5321.rcpt-before-mail"]
    assert ids(rfcs=["RFC 5321 3.3"]) == ["rfc5321.rcpt-before-mail"]
    assert ids(rfcs=["RFC 5321"]) == ["rfc5321.noop",
                                      "rfc5321.rcpt-before-mail",
                                      "rfc5321.limits"]
    # A citation of a whole RFC is selected by the RFC, not by a section.
    assert ids(rfcs=["RFC 3207"]) == ["rfc3207.starttls"]
    assert ids(rfcs=["RFC 3207 4"]) == []


def test_id_glob_and_level():
    assert ids(ids=["rfc5321.*"]) == ["rfc5321.noop",
                                      "rfc5321.rcpt-before-mail",
                                      "rfc5321.limits"]
    assert ids(ids=["*size", "*tls"]) == ["rfc1870.size", "rfc3207.starttls"]
    assert ids(levels=["should,may"]) == ["rfc1870.size", "rfc3207.starttls"]


def test_flags_combine_with_and():
    assert ids(tags=["minimum"], rfcs=["RFC 5321 4.1.4"]) == [
        "rfc5321.rcpt-before-mail"]
    assert ids(tags=["minimum"], levels=["SHOULD"]) == []


@pytest.mark.parametrize("flags, message", [
    ({"levels": ["MUSTN'T"]}, "--level MUSTN'T"),
    ({"rfcs": ["section 4"]}, "--rfc section 4"),
])
def test_bad_values_are_usage_errors(flags, message):
    with pytest.raises(Fatal, match=message):
        selection.filters(**flags)


def test_shard_keeps_every_nth_and_shards_cover_everything_once():
    items = list(range(11))
    assert selection.shard(items, {}) == items
    shards = [selection.shard(items, {"TEST_TOTAL_SHARDS": "3",
                                      "TEST_SHARD_INDEX": str(i)})
              for i in range(3)]
    assert shards[0] == [0, 3, 6, 9]
    assert sorted(sum(shards, [])) == items
    # More shards than items: some shards are empty, none overlap.
    many = [selection.shard(items[:2], {"TEST_TOTAL_SHARDS": "4",
                                        "TEST_SHARD_INDEX": str(i)})
            for i in range(4)]
    assert many == [[0], [1], [], []]


@pytest.mark.parametrize("total, index", [("x", "0"), ("2", "2"),
                                          ("0", "0"), ("2", "-1")])
def test_bad_shard_variables_are_errors(total, index):
    with pytest.raises(Fatal):
        selection.shard([1, 2], {"TEST_TOTAL_SHARDS": total,
                                 "TEST_SHARD_INDEX": index})


def test_shard_status_file_is_touched(tmp_path):
    path = tmp_path / "shard-status"
    selection.touch_shard_status({"TEST_SHARD_STATUS_FILE": str(path)})
    assert path.exists()
    selection.touch_shard_status({})  # no variable: nothing to do
