"""The GitHub action's step, tools/action/run.sh, run as GitHub would run
it (INPUT_* variables, $GITHUB_OUTPUT), with smtpspec from the release
tarball (//:release): `how: direct` runs its ./smtpspec; `how: image`
runs a `docker` that records its arguments and runs the same smtpspec
(no container can start on the test machine; the image itself is built
by hand, docs/building.md). Also: action.yml passes every input to the
script, and the script writes every output action.yml declares."""

import json
import os
import re
import select
import signal
import subprocess
import tarfile
import time
import xml.etree.ElementTree as ET

import pytest
import yaml

RUN_SH = os.path.abspath(os.path.join("tools", "action", "run.sh"))
ACTION = "action.yml"
TARBALL = os.path.join("tools", "release", "smtpspec.tar.gz")
PASSING = ["scenarios/examples/rcpt_before_mail.smtp",
           "scenarios/rfc3030/before_mail.smtp"]


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    base = tmp_path_factory.mktemp("release")
    with tarfile.open(TARBALL) as tar:
        top = tar.getmembers()[0].name.split("/")[0]
        tar.extractall(base)
    return base / top


@pytest.fixture(scope="module")
def server(release):
    """The address of a reference server (the release's `smtpspec serve`)
    on loopback: the server under test."""
    proc = subprocess.Popen(
        [str(release / "smtpspec"), "serve", "--listen", "127.0.0.1:0",
         "--maildir", str(release / "maildir")],
        stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline, address = time.monotonic() + 30, None
        while address is None and time.monotonic() < deadline:
            if select.select([proc.stdout], [], [], 0.5)[0]:
                line = proc.stdout.readline()
                assert line, "smtpspec serve exited"
                m = re.search(r"listening on (\S+)", line)
                address = m and m.group(1)
        assert address, "smtpspec serve did not say where it listens"
        yield address
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def step(workspace, release, inputs, extra_env=None):
    """Runs run.sh in WORKSPACE with INPUTS ({name: value}); returns
    (exit code, stderr, {output: value})."""
    output = workspace / "github-output"
    output.write_text("")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "HOME": str(workspace), "LC_ALL": "C.UTF-8",
           "GITHUB_OUTPUT": str(output),
           "SMTPSPEC_ACTION_PATH": str(release)}
    env.update({"INPUT_" + k.upper(): v for k, v in inputs.items()})
    env.update(extra_env or {})
    proc = subprocess.run([RUN_SH], cwd=workspace, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=300)
    outputs = dict(line.split("=", 1) for line in
                   output.read_text().splitlines())
    return proc.returncode, proc.stderr, outputs


def copy_scenarios(release, workspace, names):
    for name in names:
        (workspace / os.path.basename(name)).write_text(
            (release / name).read_text())
    return [os.path.basename(n) for n in names]


def test_direct_run_against_a_target(release, server, tmp_path):
    files = copy_scenarios(release, tmp_path, PASSING)
    code, err, out = step(tmp_path, release, {
        "how": "direct",
        "target": "\nmy-mta=%s\n\n" % server,   # blank lines are skipped
        "scenarios": "\n".join(files) + "\n",
        "reports": "results",
    })
    assert code == 0, err
    assert out == {"exit-code": "0", "junit": "results/junit.xml",
                   "html": "results/report.html",
                   "json": "results/run.json"}
    run = json.loads((tmp_path / "results" / "run.json").read_text())
    assert {r["target"]["name"] for r in run["results"]} == {"my-mta"}
    assert {os.path.basename(r["scenario"]["file"])
            for r in run["results"]} == set(files)
    cases = ET.parse(tmp_path / "results" / "junit.xml").iter("testcase")
    assert len(list(cases)) == 2
    assert (tmp_path / "results" / "report.html").stat().st_size > 0


def test_a_divergence_is_exit_code_1(release, server, tmp_path):
    (wrong,) = copy_scenarios(release, tmp_path, PASSING[:1])
    text = (tmp_path / wrong).read_text()
    (tmp_path / wrong).write_text(text.replace("S: 503 *", "S: 250 *", 1))
    code, err, out = step(tmp_path, release, {
        "how": "direct", "target": "my-mta=" + server, "scenarios": wrong})
    assert code == 1
    assert out["exit-code"] == "1"
    assert (tmp_path / "smtpspec-results" / "junit.xml").exists()


def test_args_and_tags_reach_smtpspec(release, server, tmp_path):
    # An unknown flag among the args: smtpspec's own one-line error, 2.
    code, err, out = step(tmp_path, release, {
        "how": "direct", "target": "my-mta=" + server,
        "args": "--frobnicate\n"})
    assert code == 2 and out["exit-code"] == "2"
    assert "--frobnicate" in err and err.count("\n") == 1


FAKE_DOCKER = r'''#!/usr/bin/env python3
import os, sys
with open(os.environ["DOCKER_LOG"], "a") as log:
    log.write(repr(sys.argv[1:]) + "\n")
if sys.argv[1] == "build":
    sys.exit(0)
args = sys.argv[2:]
i = args.index("smtpspec-action:local")
os.chdir(args[args.index("--workdir") + 1])
os.execv(os.environ["SMTPSPEC"], [os.environ["SMTPSPEC"]] + args[i + 1:])
'''


def test_image_builds_then_runs_on_the_host_network(release, server,
                                                    tmp_path):
    fake = tmp_path / "fake-docker"
    fake.write_text(FAKE_DOCKER)
    fake.chmod(0o755)
    log = tmp_path / "docker.log"
    summary = tmp_path / "summary" / "step-summary.md"
    summary.parent.mkdir()
    files = copy_scenarios(release, tmp_path, PASSING)
    code, err, out = step(tmp_path, release, {
        "target": "my-mta=" + server, "scenarios": "\n".join(files)}, {
        "DOCKER": str(fake), "DOCKER_LOG": str(log),
        "SMTPSPEC": str(release / "smtpspec"),
        "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true"})
    assert code == 0, err
    build, run = [eval(line) for line in log.read_text().splitlines()]
    assert build[:1] == ["build"] and build[-1] == str(release)
    head = run[:run.index("smtpspec-action:local")]
    assert head[:3] == ["run", "--rm", "--network"] and head[3] == "host"
    assert "%s:%s" % (tmp_path, tmp_path) in head
    assert "%s:%s" % (summary.parent, summary.parent) in head
    assert head[head.index("--workdir") + 1] == str(tmp_path)
    assert run[run.index("smtpspec-action:local") + 1] == "run"
    # GITHUB_ACTIONS reached smtpspec: the job summary was written.
    assert "my-mta" in summary.read_text()
    assert out["exit-code"] == "0"


def test_image_that_does_not_build_is_one_line(release, tmp_path):
    fake = tmp_path / "fake-docker"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    code, err, _ = step(tmp_path, release, {}, {"DOCKER": str(fake)})
    assert code == 2
    assert err.startswith("smtpspec action: could not build the image")
    assert err.count("\n") == 1


def test_bad_how_and_no_github_output_are_one_line(release, tmp_path):
    code, err, _ = step(tmp_path, release, {"how": "sideways"})
    assert code == 2 and err.count("\n") == 1 and "'sideways'" in err
    proc = subprocess.run([RUN_SH], cwd=tmp_path, env={
        "PATH": os.environ["PATH"]}, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 2 and "GITHUB_OUTPUT" in proc.stderr


def test_action_yml_and_run_sh_agree():
    with open(ACTION) as f:
        action = yaml.safe_load(f)
    with open(RUN_SH) as f:
        script = f.read()
    assert action["runs"]["using"] == "composite"
    (run_step,) = action["runs"]["steps"]
    assert "tools/action/run.sh" in run_step["run"]
    inputs = set(action["inputs"])
    # Every input reaches the script as INPUT_NAME, and it reads each.
    assert run_step["env"] == {
        "INPUT_" + name.upper(): "${{ inputs.%s }}" % name
        for name in inputs}
    assert set(re.findall(r"INPUT_([A-Z]+)", script)) == {
        n.upper() for n in inputs}
    # Every output is one the script writes.
    for name, output in action["outputs"].items():
        assert output["value"] == "${{ steps.%s.outputs.%s }}" % (
            run_step["id"], name)
        assert re.search(r'echo "%s=' % name, script), name
