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


def fake_matrix(tmp_path, monkeypatch, xml, code):
    """A checkout whose tools/peers/matrix.sh writes `xml` (if any) as
    .smtpspec/matrix/matrix.xml and exits with `code`."""
    script = tmp_path / "tools" / "peers" / "matrix.sh"
    script.parent.mkdir(parents=True)
    out = tmp_path / ".smtpspec" / "matrix"
    out.mkdir(parents=True)
    (out / "matrix.xml").write_text("<stale/>")  # must not be counted
    body = "#!/bin/sh\n"
    if xml is not None:
        (tmp_path / "report.xml").write_text(xml)
        body += "cp '%s' '%s'\n" % (tmp_path / "report.xml",
                                    out / "matrix.xml")
    script.write_text(body + "exit %d\n" % code)
    script.chmod(0o755)
    monkeypatch.setattr(testsuite.bazel, "ROOT", str(tmp_path))


MATRIX_XML = """<?xml version="1.0"?>
<testsuites>
  <testsuite name="postfix">
    <testcase classname="postfix.rfc5321" name="a"/>
    <testcase classname="postfix.rfc5321" name="b">
      <failure type="FAILED" message="MUST RFC 5321 4.1.2: x"/>
    </testcase>
  </testsuite>
  <testsuite name="swaks">
    <testcase classname="swaks.rfc5321" name="c"><system-out>Expected failure</system-out></testcase>
  </testsuite>
</testsuites>"""


def test_matrix_cases_are_counted(tmp_path, monkeypatch):
    fake_matrix(tmp_path, monkeypatch, MATRIX_XML, 1)
    counts = testsuite.run_matrix()
    assert (counts.passed, counts.failed, counts.skipped) == (2, 1, 0)
    assert counts.failures == [
        "real peers (tools/peers/matrix.sh): postfix.rfc5321.b"]


def test_matrix_that_could_not_run_is_a_failure(tmp_path, monkeypatch):
    # Exit 2 and no report: the stale matrix.xml from before is not used.
    fake_matrix(tmp_path, monkeypatch, None, 2)
    counts = testsuite.run_matrix()
    assert counts.failed == 1 and counts.passed == 0


def test_matrix_exit_code_counts_without_failed_cases(tmp_path, monkeypatch):
    passing = MATRIX_XML.replace(
        '<failure type="FAILED" message="MUST RFC 5321 4.1.2: x"/>', "")
    fake_matrix(tmp_path, monkeypatch, passing, 1)
    counts = testsuite.run_matrix()
    assert (counts.passed, counts.failed) == (3, 1)
    assert counts.failures[-1].endswith("exited with status 1")
