"""The release tarball (//:release) unpacked in a temporary folder runs
without Bazel: first on PATH is a `bazel` that records being called and
fails, and every command below checks it was never called. It has the
binaries prebuilt, the runner, the corpus, the docs, the man page and the
completions, and no sources or tests; its binaries load only libraries of
the packages `tools/setup.sh --runtime` installs."""

import glob
import json
import os
import re
import subprocess
import tarfile

import pytest

TARBALL = os.path.join("tools", "release", "smtpspec.tar.gz")


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """(the unpacked release's folder, the environment to run it in)."""
    base = tmp_path_factory.mktemp("release")
    with tarfile.open(TARBALL) as tar:
        tops = {m.name.split("/")[0] for m in tar.getmembers()}
        assert len(tops) == 1, tops
        tar.extractall(base)
    # PATH is one folder: every command of the test's PATH but Bazel's,
    # and a `bazel` that says it was called.
    shim = base / "path"
    shim.mkdir()
    for folder in reversed(os.environ.get("PATH", "/usr/bin:/bin").split(
            ":")):
        for name in os.listdir(folder) if os.path.isdir(folder) else ():
            if not name.startswith("bazel"):
                link = shim / name
                if os.path.lexists(link):
                    link.unlink()
                link.symlink_to(os.path.join(folder, name))
    called = base / "bazel-was-called"
    (shim / "bazel").write_text("#!/bin/sh\necho \"$@\" >> %s\nexit 97\n" %
                                called)
    (shim / "bazel").chmod(0o755)
    env = {"PATH": str(shim), "HOME": str(base), "LC_ALL": "C.UTF-8",
           "TMPDIR": str(base)}
    yield base / tops.pop(), env
    assert not called.exists(), "bazel was run: " + called.read_text()


def smtpspec(release, *args, timeout=120):
    root, env = release
    return subprocess.run(["./smtpspec", *args], cwd=root, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=timeout)


def test_version(release):
    proc = smtpspec(release, "--version")
    assert proc.returncode == 0, proc.stderr
    version = re.fullmatch(r"smtpspec (\d+\.\d+\.\d+)\n", proc.stdout)
    assert version, proc.stdout
    # The folder is named after the version it runs.
    assert release[0].name == "smtpspec-" + version.group(1)


SCENARIOS = [
    "scenarios/examples/rcpt_before_mail.smtp",      # a server scenario
    "scenarios/rfc3030/before_mail.smtp",
    "scenarios/examples/client_transient_rcpt.smtp",  # a client scenario
]


def test_run_against_the_reference_agents(release, tmp_path):
    report = tmp_path / "results.json"
    proc = smtpspec(release, "run", "--report-json", str(report), *SCENARIOS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 passed, 0 failed" in proc.stdout
    results = json.loads(report.read_text())["results"]
    assert len(results) == 3
    assert {r["scenario"]["file"] for r in results} == set(SCENARIOS)
    # The client under test is the release's own prebuilt smtpspec_send.
    client = [r["target"]["command"] for r in results
              if r["mode"] == "client"]
    assert client and client[0].startswith(
        str(release[0] / "bin" / "smtpspec_send") + " ")


def test_a_failing_run_exits_1(release, tmp_path):
    # The reference server refuses RCPT before MAIL with 503; a scenario
    # that wants 250 there must fail: the run really talks to it.
    root = release[0]
    text = (root / SCENARIOS[0]).read_text()
    wrong = tmp_path / "wrong.smtp"
    wrong.write_text(text.replace("S: 503 *", "S: 250 *", 1))
    assert wrong.read_text() != text
    proc = smtpspec(release, "run", str(wrong))
    assert proc.returncode == 1, proc.stdout + proc.stderr


def test_list_lint_and_explain(release):
    assert smtpspec(release, "lint", "scenarios").returncode == 0
    listed = smtpspec(release, "list")
    assert listed.returncode == 0
    assert "rfc5321.4.1.4.rcpt-before-mail" in listed.stdout
    assert smtpspec(release, "explain",
                    "rfc5321.4.1.4.rcpt-before-mail").returncode == 0


def test_smtpspec_test_needs_a_checkout(release):
    proc = smtpspec(release, "test")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "checkout" in proc.stderr


def test_contents(release):
    root = release[0]
    names = {os.path.relpath(p, root) for p in
             glob.glob(str(root / "**"), recursive=True)
             if os.path.isfile(p)}
    for wanted in ["bin/smtpspec_cli", "bin/smtpspec_server",
                   "bin/smtpspec_send", "smtpspec", "tools/setup.sh",
                   "README.md", "docs/user-guide.md", "rules/rfc5321.tsv",
                   "share/man/man1/smtpspec.1",
                   "share/bash-completion/completions/smtpspec",
                   "share/zsh/site-functions/_smtpspec"]:
        assert wanted in names, wanted
    assert any(n.startswith("scenarios/rfc5321/") for n in names)
    # No sources, no tests, no build files.
    assert not [n for n in names if n.endswith(("_test.py", ".cc", ".h",
                                                "BUILD", ".bzl"))]
    assert os.access(root / "smtpspec", os.X_OK)


def test_man_page_renders(release):
    proc = subprocess.run(["groff", "-man", "-ww", "-Tutf8", "-z",
                           str(release[0] / "share/man/man1/smtpspec.1")],
                          stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr


def _package(path):
    """The Debian package that owns PATH (usr-merged or not)."""
    real = os.path.realpath(path)
    for candidate in (path, real, "/usr" + real, real.replace("/usr/", "/",
                                                              1)):
        proc = subprocess.run(["dpkg-query", "-S", candidate],
                              stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
        if proc.returncode == 0:
            return proc.stdout.split(":")[0].split(",")[0].strip()
    return None


def test_binaries_need_only_the_runtime_packages(release):
    root, env = release
    runtime = subprocess.run([str(root / "tools/setup.sh"), "--print"],
                             env=env, stdout=subprocess.PIPE, text=True,
                             check=True).stdout.split()
    # A release has no WORKSPACE: its setup.sh installs the runtime tier.
    assert "bazel-bootstrap" not in runtime and "libssl3" in runtime
    for binary in glob.glob(str(root / "bin" / "*")):
        ldd = subprocess.run(["ldd", binary], stdout=subprocess.PIPE,
                             text=True, check=True).stdout
        libraries = re.findall(r"(/\S+) \(0x", ldd)
        assert any("libssl" in lib for lib in libraries), ldd
        for lib in libraries:
            assert _package(lib) in runtime, (binary, lib, _package(lib))
