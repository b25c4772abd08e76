"""smtpspec(1) renders with groff and man without a warning, and says
what --help says: every subcommand, every flag, the examples and the exit
codes (read from build_parser(), so a new flag is checked too)."""

import os
import shutil
import subprocess

import pytest

from runner import argspec
from runner import main
from runner import manpage

PARSER = main.build_parser()
COMMANDS = argspec.read(PARSER)


def groff(source):
    """(plain text, warnings) of SOURCE rendered by groff -man, every
    warning on (-ww)."""
    if not shutil.which("groff"):
        pytest.fail("groff is not installed: tools/setup.sh installs it")
    proc = subprocess.run(["groff", "-man", "-ww", "-Tutf8", "-P-c",
                           "-P-b", "-P-u"], input=source,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=60,
                          env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def rendered():
    return groff(manpage.render(PARSER))


def test_renders_without_warnings(rendered):
    text, warnings = rendered
    assert warnings == ""
    assert text.startswith("SMTPSPEC(1)")


def test_man_l_renders_it(tmp_path):
    if not shutil.which("man"):
        pytest.fail("man is not installed: tools/setup.sh installs man-db")
    page = tmp_path / "smtpspec.1"
    page.write_text(manpage.render(PARSER))
    proc = subprocess.run(["man", "-l", str(page)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=60,
                          env={**os.environ, "MANPAGER": "cat",
                               "PAGER": "cat", "MANWIDTH": "100",
                               "LC_ALL": "C.UTF-8"})
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert "smtpspec completion" in proc.stdout


def words(text):
    return " ".join(text.split())


@pytest.mark.parametrize("command", COMMANDS[1:], ids=lambda c: c.name)
def test_every_command_and_flag_is_in_it(rendered, command):
    text = rendered[0]
    assert "smtpspec " + command.name in text
    for option in command.options:
        for flag in option.flags:
            # ASCII '-' in the output: \- renders as a minus, which -Tutf8
            # writes as U+2212 only when the page says '-' bare.
            assert flag in text, flag
    # The examples and exit codes of helptext's epilog, line by line (the
    # headings are capitalised: "Examples:").
    for line in command.epilog.splitlines():
        if line.strip() and not manpage._HEADING.match(line):
            assert words(line) in words(text), line


def test_roff_in_help_text_is_text_not_requests():
    # A help line starting with '.' or "'" would be a request; a
    # backslash an escape. Both must come out as written.
    parser = main.build_parser()
    parser.commands["lint"].add_argument(
        "--frobnicate", help=".TH breaks the page \\fB unless escaped")
    parser.commands["lint"].add_argument("--quote", help="'br too")
    text, warnings = groff(manpage.render(parser))
    assert warnings == ""
    assert ".TH breaks the page \\fB unless escaped" in words(text)
    assert "'br too" in text
