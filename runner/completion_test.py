"""`smtpspec completion bash|zsh` completes in a real bash and a real zsh:
every subcommand, every flag of each (read from build_parser(), so a new
one is checked without touching this file), every choice, and file names
where a flag takes a FILE."""

import fcntl
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import termios
import time

import pytest

from runner import argspec
from runner import completion
from runner import main

PARSER = main.build_parser()
COMMANDS = argspec.read(PARSER)


def flags(command):
    return {f for o in command.options for f in o.flags}


def bash_complete(script, words, cwd):
    """What _smtpspec puts in COMPREPLY for WORDS (the last one being
    completed), in a real bash that sourced SCRIPT and registered it."""
    driver = r'''
source "$1"; shift
spec=$(complete -p "$1") || exit 3
fn=${spec#*-F }; fn=${fn%% *}
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
'''
    proc = subprocess.run(["bash", "--norc", "-c", driver, "bash", script,
                           *words], cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=30)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    return set(proc.stdout.split("\n")) - {""}


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory):
    path = tmp_path_factory.mktemp("bash") / "smtpspec"
    path.write_text(completion.script("bash", PARSER))
    return str(path)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "report.html").write_text("")
    (tmp_path / "reports").mkdir()
    return tmp_path


def test_bash_completes_every_subcommand(bash_script, files):
    names = {c.name for c in COMMANDS[1:]}
    assert names == set(PARSER.commands) and "completion" in names
    assert bash_complete(bash_script, ["smtpspec", ""], files) == names
    assert bash_complete(bash_script, ["./smtpspec", "ru"], files) == {"run"}
    assert bash_complete(bash_script, ["smtpspec", "-"], files) == \
        flags(COMMANDS[0])


@pytest.mark.parametrize("command", COMMANDS[1:], ids=lambda c: c.name)
def test_bash_completes_every_flag(bash_script, files, command):
    got = bash_complete(bash_script, ["smtpspec", command.name, "-"], files)
    assert got == flags(command)


def valued(kind):
    return [(c.name, o) for c in COMMANDS[1:] for o in c.options
            if o.kind == kind and not o.optional]


@pytest.mark.parametrize("name, option", valued("choice"),
                         ids=lambda x: getattr(x, "flags", [x])[0])
def test_bash_completes_choices(bash_script, files, name, option):
    flag = option.flags[-1]
    assert bash_complete(bash_script, ["smtpspec", name, flag, ""],
                         files) == set(option.choices)
    # --flag=value: bash splits the word at '='.
    first = option.choices[0]
    assert bash_complete(bash_script, ["smtpspec", name, flag, "=",
                                       first[:2]], files) == \
        {c for c in option.choices if c.startswith(first[:2])}


def test_bash_completes_file_names_for_file_values(bash_script, files):
    got = bash_complete(bash_script, ["smtpspec", "run", "--report-html",
                                      "rep"], files)
    assert got == {"report.html", "reports"}
    # A free value (a host) gets nothing rather than file names.
    assert bash_complete(bash_script, ["smtpspec", "run", "--target", "r"],
                         files) == set()
    assert bash_complete(bash_script, ["smtpspec", "completion", ""],
                         files) == set(completion.SHELLS)


def test_a_new_flag_is_completed_without_being_listed(files, tmp_path):
    parser = main.build_parser()
    parser.commands["lint"].add_argument("--frobnicate", metavar="FILE",
                                         help="a flag added by this test")
    script = tmp_path / "smtpspec.bash"
    script.write_text(completion.script("bash", parser))
    assert "--frobnicate" in bash_complete(str(script), [
        "smtpspec", "lint", "--fr"], files)
    assert bash_complete(str(script), ["smtpspec", "lint", "--frobnicate",
                                       "rep"], files) == \
        {"report.html", "reports"}
    assert "--frobnicate" in completion.script("zsh", parser)


def test_an_unknown_shell_is_one_line(capsys):
    code = main.main(["completion", "fish"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("smtpspec: argument SHELL: invalid choice: 'fish'")
    assert err.count("\n") == 1


# zsh: an interactive zsh on a pseudo-terminal presses TAB; compadd is
# wrapped to write each match it is given to a file.
ZSH = shutil.which("zsh")
_ZSH_INIT = (
    "fpath=(%(dir)s $fpath); autoload -Uz compinit; compinit -u -D; "
    "compadd() { local -a hits; "
    "if (( ${@[(I)-[OAD]]} )); then builtin compadd \"$@\"; return; fi; "
    "builtin compadd -O hits \"$@\"; "
    "(( $#hits )) && print -rl -- $hits >> %(out)s; "
    "builtin compadd \"$@\"; }; "
    "complete-and-mark() { zle complete-word; print ok > %(done)s; }; "
    "zle -N complete-and-mark; bindkey '^I' complete-and-mark\n")


def zsh_complete(directory, line, cwd):
    """The matches zsh offers for LINE, TAB pressed at its end."""
    out, done = directory / "matches", directory / "done"
    for f in (out, done):
        if f.exists():
            f.unlink()
    master, slave = pty.openpty()
    # Rows enough that zsh lists every match without asking first.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 500, 200, 0,
                                                       0))
    proc = subprocess.Popen(
        [ZSH, "-f", "-i"], stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
             "TERM": "xterm", "HOME": str(directory)},
        start_new_session=True)
    os.close(slave)
    try:
        os.write(master, (_ZSH_INIT % {"dir": directory, "out": out,
                                      "done": done}).encode())
        # TAB completes, then writes the marker file; no key is sent
        # before that (zle gives up completing when keys are waiting).
        os.write(master, line.encode() + b"\t")
        deadline = time.monotonic() + 20
        while not done.exists() and time.monotonic() < deadline:
            if select.select([master], [], [], 0.05)[0]:
                os.read(master, 65536)
        assert done.exists(), "zsh did not finish completing %r" % line
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
    return set(out.read_text().split("\n")) - {""} if out.exists() else set()


@pytest.fixture(scope="module")
def zsh_dir(tmp_path_factory):
    if not ZSH:
        pytest.fail("zsh is not installed: tools/setup.sh installs it")
    directory = tmp_path_factory.mktemp("zsh")
    (directory / "_smtpspec").write_text(completion.script("zsh", PARSER))
    return directory


def test_zsh_completes_every_subcommand(zsh_dir, files):
    names = {c.name for c in COMMANDS[1:]}
    assert zsh_complete(zsh_dir, "smtpspec ", files) == names
    assert zsh_complete(zsh_dir, "./smtpspec comp", files) == {"completion"}


@pytest.mark.parametrize("command", COMMANDS[1:], ids=lambda c: c.name)
def test_zsh_completes_every_flag(zsh_dir, files, command):
    got = zsh_complete(zsh_dir, "smtpspec %s -" % command.name, files)
    assert got == flags(command)


def test_zsh_completes_choices_and_files(zsh_dir, files):
    assert zsh_complete(zsh_dir, "smtpspec run --tls ", files) == \
        {"none", "starttls", "implicit"}
    assert zsh_complete(zsh_dir, "smtpspec run --tls=st", files) == \
        {"starttls"}
    assert zsh_complete(zsh_dir, "smtpspec completion ", files) == \
        set(completion.SHELLS)
    assert zsh_complete(zsh_dir, "smtpspec run --report-html rep",
                        files) >= {"report.html"}
