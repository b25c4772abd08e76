"""The `smtpspec` command line itself (runner/main.py), without binaries:
--version, subcommand suggestions, and --help of every subcommand."""

import pytest

from reports import json_report
from runner import main


def run_main(capsys, *argv):
    """main(ARGV): (exit code, stdout, stderr); --help and --version exit
    through SystemExit as argparse does."""
    try:
        code = main.main(list(argv))
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_version_is_the_reports_version(capsys):
    code, out, err = run_main(capsys, "--version")
    assert (code, out, err) == (0, "smtpspec %s\n" % json_report.VERSION, "")
    # The run report says the same version.
    assert json_report.build([])["smtpspec_version"] == json_report.VERSION


@pytest.mark.parametrize("typo, want", [
    ("rn", "run"), ("lsit", "list"), ("serv", "serve"), ("explian", "explain"),
])
def test_an_unknown_command_suggests_the_closest(capsys, typo, want):
    code, out, err = run_main(capsys, typo)
    assert code == 2 and out == ""
    assert err.splitlines() == [err.rstrip("\n")]  # one line
    assert err.startswith("smtpspec: unknown command '%s'; did you mean "
                          "'%s'?" % (typo, want)), err


def test_an_unknown_command_far_from_any_lists_them(capsys):
    code, _, err = run_main(capsys, "frobnicate")
    assert code == 2
    assert "did you mean" not in err
    assert "commands: run, list, lint, fmt, serve, explain" in err


def test_every_flag_of_every_command_is_described():
    parser = main.build_parser()
    for name, sub in [("smtpspec", parser), *parser.commands.items()]:
        for action in sub._actions:
            if action.dest in ("help", "command"):
                continue
            assert action.help, "%s: %s has no help" % (
                name, action.option_strings or action.dest)
        text = sub.format_help()
        assert "\nexamples:\n" in text, name
        assert "\nexit codes:\n  0  " in text, name
        assert "  2  a usage or environment error" in text, name


@pytest.mark.parametrize("command", ["run", "list", "lint", "fmt", "serve",
                                     "explain", "test"])
def test_help_shows_examples_and_exit_codes(capsys, command):
    code, out, err = run_main(capsys, command, "--help")
    assert code == 0 and err == ""
    assert "examples:\n  smtpspec %s" % command in out
    assert "exit codes:" in out
