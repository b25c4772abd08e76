"""runner/bazel.py against a fake `bazel` on PATH: a build with work to do
says so on stderr, once; one with nothing to do says nothing; a failed
build's output is the error."""

import os

import pytest

from runner import bazel

UP_TO_DATE = """\
INFO: Analyzed 3 targets (0 packages loaded, 0 targets configured).
INFO: Found 3 targets...
[0 / 1] [Prepa] BazelWorkspaceStatusAction stable-status.txt
INFO: Elapsed time: 0.442s, Critical Path: 0.00s
INFO: Build completed successfully, 1 total action
"""

REBUILD = """\
INFO: Analyzed 3 targets (0 packages loaded, 0 targets configured).
[0 / 1] [Prepa] BazelWorkspaceStatusAction stable-status.txt
[12 / 40] Compiling cli/run.cc; 3s processwrapper-sandbox
[13 / 40] Compiling cli/list.cc; 5s processwrapper-sandbox
INFO: Build completed successfully, 40 total actions
"""


@pytest.fixture
def fake_bazel(tmp_path, monkeypatch):
    """Makes `bazel` print OUTPUT and exit STATUS."""
    def make(output, status=0):
        (tmp_path / "out.txt").write_text(output)
        script = tmp_path / "bazel"
        script.write_text("#!/bin/sh\ncat '%s'\nexit %d\n" %
                          (tmp_path / "out.txt", status))
        script.chmod(0o755)
    monkeypatch.setenv("PATH", "%s:%s" % (tmp_path, os.environ["PATH"]))
    monkeypatch.delenv("SMTPSPEC_BAZEL_OUTPUT_BASE", raising=False)
    return make


def test_a_build_with_nothing_to_do_is_silent(fake_bazel, capsys):
    fake_bazel(UP_TO_DATE)
    bazel.build(["//cli:x"])
    assert capsys.readouterr() == ("", "")


def test_a_build_that_compiles_says_so_once(fake_bazel, capsys):
    fake_bazel(REBUILD)
    bazel.build(["//cli:x"])
    assert capsys.readouterr() == ("", bazel.BUILDING + "\n")
    assert bazel.BUILDING.startswith("smtpspec: building smtpspec ")


def test_a_failed_build_is_the_error(fake_bazel, capsys):
    fake_bazel("ERROR: cli/run.cc:3:1: expected ';'\n", 1)
    with pytest.raises(bazel.BazelError) as e:
        bazel.build(["//cli:x"])
    assert "bazel build failed:\nERROR: cli/run.cc:3:1" in str(e.value)
    assert capsys.readouterr() == ("", "")
