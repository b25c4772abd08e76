"""`smtpspec` flags, errors and exit codes (runner/main.py).

Every usage or environment error is exit 2 with one line on stderr, never
a traceback.
"""

import os

import pytest

from runner import testing_util as t


def one_line_error(proc, words):
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("smtpspec: ")
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("args, words", [
    (["run", "--bogus", t.PASS], ["--bogus"]),
    (["run", "--tls", "sometimes", t.PASS], ["--tls"]),
    (["run", "--jobs", "many", t.PASS], ["--jobs many"]),
    # 0 was taken for "not given" and ran with the default.
    (["run", "--jobs", "0", t.PASS], ["--jobs 0", "1 to 1000"]),
    (["run", "--jobs", "0", "--client-cmd", "true", t.ENVELOPE],
     ["--jobs 0"]),
    (["run", "--timeout", "0s", t.PASS], ["--timeout 0s"]),
    (["run", "--level", "MUSTNT", t.PASS], ["--level MUSTNT"]),
    (["run", "--rfc", "section 4", t.PASS], ["--rfc"]),
    (["run", "--target", "localhost", t.PASS], ["HOST:PORT"]),
    (["run", "--client", "swaks --server {host}:{port}", t.PASS],
     ["--client", "NAME=TEMPLATE"]),
    (["run", "--client", "a=true", "--client", "a=false", t.PASS],
     ["'a' is given twice"]),
    (["run", "--target", "a=127.0.0.1:25", "--client", "a=true", t.PASS],
     ["'a' is given twice"]),
    (["run", "--client", "a=echo ${HOME", t.PASS],
     ["client a", "'{' at column 7", "{{"]),
    (["run", "--client", "a=echo ${HOME}", t.ENVELOPE],
     ["client a: unknown placeholder {HOME}", "{{ and }}"]),
    (["run", "--client", "a=echo {recipient}", t.ENVELOPE],
     ["client a: unknown placeholder {recipient}", "{mailbox}"]),
    (["run", "--var", "nobody:domain=x", t.PASS],
     ["no target 'nobody'", "reference-server, reference-client"]),
    (["run", "--var", "bad key=x", t.PASS], ["--var bad key=x", "KEY=VALUE"]),
    (["run", "--client-cmd", " ", t.PASS], ["--client-cmd", "empty"]),
    (["frobnicate"], ["frobnicate"]),
    ([], ["required"]),
])
def test_bad_flags(args, words):
    one_line_error(t.smtpspec(*args), words)


def test_missing_file():
    one_line_error(t.smtpspec("run", "runner/testdata/nothing-here.smtp"),
                   ["no such scenario file", "nothing-here.smtp"])
    one_line_error(t.smtpspec("run", "runner/testdata/*.nothing"),
                   ["no scenario file matches"])


def test_a_folder_without_scenarios(tmp_path):
    (tmp_path / "notes.txt").write_text("no transcript here\n")
    one_line_error(t.smtpspec("run", str(tmp_path)),
                   ["no *.smtp file under", str(tmp_path)])


def test_missing_expectations_file():
    one_line_error(t.smtpspec("run", "--expect", "/nonexistent/expect.txt",
                              t.PASS), ["/nonexistent/expect.txt"])


def test_bad_expectations_file(tmp_path):
    path = tmp_path / "expect.txt"
    path.write_text("runner.noop  listed before any target line\n")
    one_line_error(t.smtpspec("run", "--expect", str(path), t.PASS),
                   ["expect.txt:1:", "before any 'target NAME' line"])


def test_unreachable_host_before_any_scenario():
    port = t.free_port()
    proc = t.smtpspec("run", "--target", "127.0.0.1:%d" % port, t.PASS)
    one_line_error(proc, ["cannot reach target", "127.0.0.1:%d" % port])
    assert proc.stdout == ""  # no result was shown


def test_missing_binary():
    proc = t.smtpspec("run", t.PASS, SMTPSPEC_CLI="/nonexistent/cli")
    one_line_error(proc, ["SMTPSPEC_CLI", "/nonexistent/cli"])


def test_selection_that_selects_nothing():
    one_line_error(t.smtpspec("run", "--id", "no.such.*", t.TESTDATA),
                   ["no scenario matches"])


def test_list_is_a_table_of_what_would_run():
    proc = t.smtpspec("list", t.TESTDATA)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["ID", "LEVEL", "TESTS", "DELIVERS", "RFC",
                                "FILE"]
    assert any(l.startswith("runner.rcpt-before-mail") and
               " server  no  " in l and
               "RFC 5321 3.3, RFC 5321 4.1.4" in l for l in lines)
    assert any(l.startswith("runner.delivery-dots ") and " yes  " in l
               for l in lines), lines
    assert lines[-1] == "6 of 6 scenarios selected; 1 delivers a message"


@pytest.mark.parametrize("flags, want", [
    (["--tags", "sequence"], ["runner.rcpt-before-mail"]),
    (["--rfc", "RFC 5321 4.1"], ["runner.noop", "runner.rcpt-before-mail"]),
    (["--rfc", "RFC 5321 3.2"], ["runner.client-envelope",
                                 "runner.server-vars"]),
    # A bare section is one of RFC 5321, as h2spec's -s.
    (["-s", "4.1"], ["runner.noop", "runner.rcpt-before-mail"]),
    (["--rfc", "4.1.4"], ["runner.rcpt-before-mail"]),
    (["--id", "runner.n*"], ["runner.needs-xnothing", "runner.noop"]),
    (["--level", "SHOULD"], ["runner.needs-xnothing"]),
])
def test_list_selection(flags, want):
    proc = t.smtpspec("list", *flags, t.TESTDATA)
    assert proc.returncode == 0, proc.stderr
    got = [l.split()[0] for l in proc.stdout.splitlines()[1:-1]]
    assert sorted(got) == sorted(want)


def test_list_honours_sharding():
    # Bazel's variables select every Nth scenario, in file order.
    got = []
    for index in range(2):
        proc = t.smtpspec("list", t.TESTDATA, TEST_TOTAL_SHARDS="2",
                          TEST_SHARD_INDEX=str(index))
        assert proc.returncode == 0, proc.stderr
        got.append([l.split()[0] for l in proc.stdout.splitlines()[1:-1]])
    # Files sorted: client_envelope, delivery_dots, pass, rcpt_before_mail,
    # server_vars, skipped.
    assert got == [["runner.client-envelope", "runner.noop",
                    "runner.server-vars"],
                   ["runner.delivery-dots", "runner.rcpt-before-mail",
                    "runner.needs-xnothing"]]


def test_explain_links_the_rfc_and_shows_the_transcript():
    proc = t.smtpspec("explain", "runner.rcpt-before-mail", t.TESTDATA)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("runner.rcpt-before-mail: RCPT before MAIL gets 503")
    assert "https://www.rfc-editor.org/rfc/rfc5321#section-3.3" in out
    assert "https://www.rfc-editor.org/rfc/rfc5321#section-4.1.4" in out
    assert "  C: RCPT TO:<postmaster@example.org>\n  S: 503 *\n" in out
    assert "\ndelivers: no\n" in out


def test_explain_says_a_scenario_delivers():
    proc = t.smtpspec("explain", "runner.delivery-dots", t.TESTDATA)
    assert proc.returncode == 0, proc.stderr
    assert "\ndelivers: yes: it completes a mail transaction\n" in \
        proc.stdout


def test_explain_unknown_id_suggests_the_closest():
    one_line_error(t.smtpspec("explain", "runner.rcpt-befor-mail",
                              t.TESTDATA),
                   ["runner.rcpt-befor-mail", "did you mean",
                    "runner.rcpt-before-mail"])


@pytest.mark.parametrize("command", ["lint", "fmt"])
def test_lint_and_fmt_use_the_binary(command):
    # lint and fmt are commands of smtpspec_cli; a build without them must
    # say so in one line rather than fail obscurely.
    extra = ["--check"] if command == "fmt" else []
    proc = t.smtpspec(command, *extra, t.PASS)
    if t.cli_has(command):
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr
        # A one-line summary says it went well.
        assert proc.stdout == {"lint": "lint: 1 file, no problems\n",
                               "fmt": "fmt: 1 file, all formatted\n"}[command]
    else:
        one_line_error(proc, ["has no '%s' command" % command])


INTERNAL_NAMES = ("smtpspec_cli", "smtpspec_server", "smtpspec_send")


@pytest.mark.parametrize("args", [
    ["run", "--jobs", "0", t.PASS],
    ["run", "--rfc", "section 4", t.PASS],
    ["list", "--level", "X", t.TESTDATA],
    ["run", "--client", "a=echo {{host}}", t.ENVELOPE],
    ["serve", "--listen", "nonsense"],
    ["serve", "--listen", "1.2.3.4:1"],  # not this machine's address
    ["rn"],
])
def test_errors_name_no_internal_binary(args):
    # The user typed `smtpspec`; the binaries behind it are not theirs to
    # know (their "smtpspec_cli run: " prefixes, usage lines).
    proc = t.smtpspec(*args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    for name in INTERNAL_NAMES:
        assert name not in proc.stderr


def test_a_bad_server_config_is_one_line_without_the_binary(tmp_path):
    config = tmp_path / "server.yaml"
    config.write_text("listen: nonsense\n")
    proc = t.smtpspec("serve", "--config", str(config))
    one_line_error(proc, ["the reference server did not start",
                          "server.yaml:1:9", "nonsense"])
    for name in INTERNAL_NAMES:
        assert name not in proc.stderr


def dying_cli(tmp_path, command):
    """An smtpspec_cli that kills itself with SIGABRT for COMMAND (-6, which
    became exit 250) and is the real one otherwise."""
    path = tmp_path / "cli"
    path.write_text('#!/bin/sh\nif [ "$1" = %s ]; then kill -ABRT $$; fi\n'
                    'exec "%s" "$@"\n' % (command, os.path.abspath(t.CLI)))
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize("args, words", [
    (["lint", t.PASS], ["lint was killed by SIGABRT"]),
    (["fmt", "--check", t.PASS], ["fmt was killed by SIGABRT"]),
    (["list", t.PASS], ["reading the scenarios was killed by SIGABRT"]),
    (["run", t.PASS], ["the scenario run was killed by SIGABRT"]),
])
def test_a_killed_child_is_one_line_and_exit_2(tmp_path, args, words):
    proc = t.smtpspec(*args, SMTPSPEC_CLI=dying_cli(tmp_path, args[0]))
    one_line_error(proc, words)
