"""Which binary runs: a SMTPSPEC_* variable first, then a release's
prebuilt bin/, and Bazel only for what neither gives."""

import pytest

from runner import bazel
from runner import binaries
from runner.errors import Fatal


def executable(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def no_bazel(monkeypatch):
    """Bazel that fails the test if it is asked for anything; the labels
    it was asked to build."""
    asked = []

    def output_path(targets, config):
        asked.extend(targets)
        raise OSError(2, "bazel must not run here")
    monkeypatch.setattr(bazel, "output_path", output_path)
    return asked


def test_a_release_uses_its_prebuilt_binaries(tmp_path, no_bazel):
    cli = executable(tmp_path / "bin" / "smtpspec_cli")
    server = executable(tmp_path / "bin" / "smtpspec_server")
    got = binaries.paths([binaries.CLI, binaries.SERVER], env={},
                         root=str(tmp_path))
    assert got == [cli, server] and no_bazel == []


def test_the_variable_wins_over_the_prebuilt(tmp_path, no_bazel):
    executable(tmp_path / "bin" / "smtpspec_cli")
    given = executable(tmp_path / "elsewhere" / "cli")
    assert binaries.paths([binaries.CLI], env={"SMTPSPEC_CLI": given},
                          root=str(tmp_path)) == [given]


def test_bazel_builds_only_what_is_not_there(tmp_path, no_bazel):
    executable(tmp_path / "bin" / "smtpspec_cli")
    with pytest.raises(Fatal, match="cannot run bazel"):
        binaries.paths([binaries.CLI, binaries.SEND], env={},
                       root=str(tmp_path))
    assert no_bazel == [binaries.SEND]


def test_a_prebuilt_that_is_not_executable_is_one_line(tmp_path, no_bazel):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "smtpspec_cli").write_text("")
    with pytest.raises(Fatal, match="no executable file at .*smtpspec_cli"):
        binaries.paths([binaries.CLI], env={}, root=str(tmp_path))
