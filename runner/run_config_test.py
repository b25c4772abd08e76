"""The run configuration (runner/run_config.py): where it is found, how the
command line overrides or adds to it, and each error with its place."""

import os
import re

import pytest

from runner import main as runner_main
from runner import run_config
from runner import targets
from runner.errors import Fatal

EXAMPLE = os.path.join("docs", "smtpspec.example.yaml")


def flags(*argv, command="run"):
    return runner_main.build_parser().parse_args([command, *argv])


def config(folder, text, name=run_config.FILENAME):
    path = folder / name
    path.write_text(text)
    return path


def apply(folder, *argv, command="run"):
    args = flags(*argv, command=command)
    run_config.apply(args, str(folder), err=open(os.devnull, "w"))
    return args


FILE = """\
paths: [mine]
tags: noop
level: [MUST, SHOULD]
jobs: 3
timeout: 2s
strict: true
tls: starttls
ca: ca.pem
vars: {domain: example.org}
expect: all.expect
report-json: out/run.json
targets:
  - name: mx1
    address: 127.0.0.1:2525
    vars: {domain: mx1.example}
    expect: mx1.expect
    delivered: maildir:md
  - name: plain
    address: 127.0.0.1:2526
    tls: none
    insecure: true
clients:
  - name: swaks
    command: swaks --server {host}:{port}
"""


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A folder with the configuration above, as the current folder."""
    (tmp_path / "md").mkdir()
    config(tmp_path, FILE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_file_in_the_current_folder_is_read(here):
    args = apply(here)
    assert args.paths == ["mine"]
    assert (args.tags, args.level) == (["noop"], ["MUST", "SHOULD"])
    assert (args.jobs, args.timeout, args.strict) == ("3", "2s", True)
    assert args.target == ["mx1=127.0.0.1:2525", "plain=127.0.0.1:2526"]
    assert args.client == ["swaks=swaks --server {host}:{port}"]
    assert args.var == ["domain=example.org", "mx1:domain=mx1.example"]
    assert args.expect == ["all.expect", "mx1.expect"]
    assert args.target_expect == {"mx1": ["mx1.expect"]}
    assert args.delivered == ["mx1=maildir:%s" % (here / "md")]
    assert args.report_json == os.path.join("out", "run.json")
    assert args.target_tls == {
        "mx1": targets.Tls("starttls", "ca.pem", False, None),
        "plain": targets.Tls("none", "ca.pem", True, None)}
    # `list` takes the paths and the selection only.
    listed = apply(here, command="list")
    assert (listed.paths, listed.tags) == (["mine"], ["noop"])


def test_no_file_changes_nothing(tmp_path):
    args = flags("--target", "127.0.0.1:25")
    before = dict(vars(args))
    assert run_config.apply(args, str(tmp_path)) is None
    assert vars(args) == before


def test_c_names_the_file_and_its_paths_are_from_its_folder(here, tmp_path):
    other = tmp_path / "ci"
    other.mkdir()
    config(other, "paths: [s]\nexpect: [a.expect]\nlevel: MAY\n",
           name="conf.yaml")
    args = apply(here, "-c", os.path.join("ci", "conf.yaml"))
    # Only that file: the one in the current folder is not read.
    assert args.paths == [os.path.join("ci", "s")]
    assert args.expect == [os.path.join("ci", "a.expect")]
    assert args.level == ["MAY"] and args.tags is None
    assert args.target == []
    with pytest.raises(Fatal, match=r"^--config nope.yaml: no such file$"):
        apply(here, "--config", "nope.yaml")


def test_the_command_line_wins(here):
    args = apply(here, "other", "--tags", "x", "--jobs", "9", "--tls",
                 "implicit", "--ca", "mine.pem", "--report-json", "r.json",
                 "--var", "domain=cli.example", "--expect", "cli.expect",
                 "--delivered", "mx1=mbox:box")
    assert args.paths == ["other"]
    assert (args.tags, args.level) == (["x"], ["MUST", "SHOULD"])
    assert (args.jobs, args.timeout, args.report_json) == ("9", "2s",
                                                           "r.json")
    # Flags apply to every target, over each target's own.
    assert args.target_tls["plain"] == targets.Tls("implicit", "mine.pem",
                                                   True, None)
    # --var comes after the file's (it wins in its scope); --expect adds.
    assert args.var[-1] == "domain=cli.example"
    assert args.expect == ["all.expect", "mx1.expect", "cli.expect"]
    # A --delivered for mx1 replaces the file's.
    assert args.delivered == ["mx1=mbox:box"]


def test_a_target_on_the_command_line_replaces_the_files(here):
    args = apply(here, "--target", "new=127.0.0.1:9", "--insecure")
    assert args.target == ["new=127.0.0.1:9"] and args.client == []
    # What the file's targets carried goes with them; the rest stays.
    assert args.var == ["domain=example.org"]
    assert args.expect == ["all.expect"] and args.delivered == []
    assert args.target_tls == {}
    assert (args.tls, args.ca, args.insecure) == ("starttls", "ca.pem", True)
    assert targets.tls_for(args, "new") == targets.Tls(
        "starttls", "ca.pem", True, None)


def test_a_target_without_a_name_is_named_by_its_address(tmp_path):
    config(tmp_path, "targets:\n  - address: 127.0.0.1:2525\n    tls: "
           "starttls\n")
    args = apply(tmp_path)
    assert args.target == ["127.0.0.1:2525"]
    assert targets.tls_for(args, "127.0.0.1:2525").mode == "starttls"


def test_what_smtpspec_cli_judges_is_put_at_its_place_in_the_file(
        tmp_path, monkeypatch):
    config(tmp_path, "strict: true\njobs: abc\ntimeout: 1x\n")
    monkeypatch.chdir(tmp_path)
    args = apply(tmp_path)
    assert (args.jobs, args.timeout) == ("abc", "1x")
    where = run_config.FILENAME
    assert run_config.placed(args, "--jobs abc: a number") == (
        "%s:2:7: jobs: --jobs abc: a number" % where)
    assert run_config.placed(args, "--timeout 1x: a duration") == (
        "%s:3:10: timeout: --timeout 1x: a duration" % where)
    assert run_config.placed(args, "--jobsx: other") == "--jobsx: other"
    # Given on the command line, it is the flag's, not the file's.
    args = apply(tmp_path, "--jobs", "x")
    assert run_config.placed(args, "--jobs x: a number") == (
        "--jobs x: a number")


ERRORS = [
    ("tragets: []\n", "1:1: tragets: unknown key; did you mean 'targets'?"),
    ("targets:\n  - {address: 127.0.0.1}\n",
     "2:15: targets[0].address: --target 127.0.0.1: write HOST:PORT"),
    ("targets:\n  - name: a b\n    address: 127.0.0.1:25\n",
     "2:11: targets[0].name: --target a b=127.0.0.1:25: a name is letters"),
    ("targets:\n  - name: a\n    adress: 127.0.0.1:25\n",
     "3:5: targets[0].adress: unknown key; did you mean 'address'?"),
    ("targets:\n  - name: a\n", "2:5: targets[0]: a target needs an "
     "address"),
    ("targets:\n  - {address: '127.0.0.1:25', tls: startls}\n",
     "2:36: targets[0].tls: 'startls' is not one of none, starttls, "
     "implicit; did you mean 'starttls'?"),
    ("targets: {a: 1}\n", "1:10: targets: write a list"),
    ("targets:\n  - {name: a, address: '127.0.0.1:1'}\nclients:\n"
     "  - {name: a, command: x}\n",
     "4:5: clients[0].name: the target name 'a' is given twice"),
    ("clients:\n  - {name: c, command: ''}\n",
     "2:24: clients[0].command: --client c=: the command template is empty"),
    ("clients:\n  - {name: 'c=d', command: x}\n",
     "2:12: clients[0].name: a name is letters"),
    ("vars: {a:b: 1}\n", "1:8: vars.a:b: not a variable name"),
    ("vars: {1x: 1}\n", "1:8: vars.1x: --var 1x=1: write KEY=VALUE"),
    ("vars: {x: yes}\n", "1:11: vars.x: write a string, not true or false "
     "(quote it)"),
    ("vars: [a]\n", "1:7: vars: write a mapping"),
    ("strict: maybe\n", "1:9: strict: write true or false, not 'maybe'"),
    ("jobs: [1]\n", "1:7: jobs: write a value, not a list"),
    ("paths: a\npaths: b\n", "2:1: paths: given twice (first at "),
    ("targets:\n  - {address: '127.0.0.1:1', delivered: 'maildir:nope'}\n",
     "2:41: targets[0].delivered: --delivered maildir:nope: no such folder"),
    ("- a\n", "1:1: the file: write a mapping (key: value), not a list"),
    ("a: [\n", "2:1: while parsing a flow node expected the node content"),
]


@pytest.mark.parametrize("text,want", ERRORS)
def test_each_error_names_its_place_and_key(tmp_path, text, want):
    path = config(tmp_path, text, name="bad.yaml")
    with pytest.raises(Fatal) as e:
        run_config.load(str(path))
    message = str(e.value)
    assert message.startswith("%s:%s" % (path, want)), message
    assert "\n" not in message


def test_a_missing_file_named_by_c_is_one_line_and_exit_2(tmp_path, capsys):
    assert runner_main.main(["run", "-c", str(tmp_path / "no.yaml")]) == 2
    assert capsys.readouterr().err == (
        "smtpspec: --config %s: no such file\n" % (tmp_path / "no.yaml"))


def test_the_example_in_the_docs_is_valid_and_every_key_is_documented():
    example = run_config.load(EXAMPLE)
    assert [t.target.name for t in example.targets + example.clients] == [
        "mx1", "legacy", "swaks"]
    guide = open(os.path.join("docs", "user-guide.md")).read()
    section = guide[guide.index("## Run configuration"):]
    section = section[:section.index("\n## ", 1)]
    documented = set(re.findall(r"`([a-z-]+):`", section))
    keys = set(run_config.KEYS + run_config.TARGET_KEYS +
               run_config.CLIENT_KEYS)
    assert keys - documented == set()
    assert documented - keys == set()
