"""Tests for the test-case counting behind `smtpspec test` and CI."""

import os
import tempfile

from runner import testsuite


def write(text):
    fd, path = tempfile.mkstemp(suffix=".xml")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def test_counts_gtest_xml():
    path = write("""<?xml version="1.0"?>
<testsuites tests="3" failures="1">
  <testsuite name="A">
    <testcase name="ok" classname="A" status="run" result="completed"/>
    <testcase name="bad" classname="A" status="run">
      <failure message="x"/>
    </testcase>
    <testcase name="skip" classname="A" status="run" result="skipped">
      <skipped/>
    </testcase>
  </testsuite>
</testsuites>""")
    counts = testsuite.count_xml(path, "//x:y")
    assert (counts.passed, counts.failed, counts.skipped) == (1, 1, 1)
    assert counts.failures == ["//x:y: A.bad"]


def test_missing_xml_is_a_failure():
    counts = testsuite.count_xml("/nonexistent/test.xml", "//x:y")
    assert (counts.passed, counts.failed) == (0, 1)


def test_xml_without_cases_is_a_failure():
    path = write("<testsuites/>")
    counts = testsuite.count_xml(path, "//x:y")
    assert counts.failed == 1
    assert "ran no test case" in counts.failures[0]


def test_pytest_error_counts_as_failure():
    path = write("""<testsuites><testsuite>
<testcase classname="t" name="e"><error message="boom"/></testcase>
</testsuite></testsuites>""")
    assert testsuite.count_xml(path, "//x:y").failed == 1
