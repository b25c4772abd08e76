"""The selection flags and Bazel sharding as passed on to smtpspec_cli
(runner/selection.py); what they select is cli/selection_test.cc's."""

import argparse

import pytest

from runner import selection
from runner.errors import Fatal


def args(**values):
    base = {"tags": None, "rfc": None, "id": None, "level": None}
    base.update(values)
    return argparse.Namespace(**base)


def test_no_flags_pass_nothing():
    assert selection.flags(args(), {}) == []


def test_each_value_is_passed_as_given_in_order():
    assert selection.flags(args(tags=["a,b", "c"], rfc=["RFC 5321 4.1"],
                                id=["rfc5321.*"], level=["should"]), {}) == [
        "--tags", "a,b", "--tags", "c", "--rfc", "RFC 5321 4.1", "--id",
        "rfc5321.*", "--level", "should"]


def test_the_bazel_shard_is_passed_as_index_and_total():
    assert selection.flags(args(), {"TEST_TOTAL_SHARDS": "3",
                                    "TEST_SHARD_INDEX": "2"}) == [
        "--shard", "2/3"]
    assert selection.flags(args(), {"TEST_TOTAL_SHARDS": "3"}) == [
        "--shard", "0/3"]


def test_shard_status_file_is_touched(tmp_path):
    path = tmp_path / "shard-status"
    selection.touch_shard_status({"TEST_SHARD_STATUS_FILE": str(path)})
    assert path.exists()
    selection.touch_shard_status({})  # no variable: nothing to do
    with pytest.raises(Fatal, match="cannot touch"):
        selection.touch_shard_status(
            {"TEST_SHARD_STATUS_FILE": str(tmp_path / "no" / "such")})
