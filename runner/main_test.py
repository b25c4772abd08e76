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
