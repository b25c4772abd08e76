"""`smtpspec run -x` (stop at the first failure) and `--lf` (rerun the last
run's failures), against the reference server with and without a fault."""

import json

from reports import json_report
from runner import testing_util as t

BROKEN = "--faults", "rcpt-before-mail"
# In file order: runner.noop passes, runner.rcpt-before-mail fails against
# BROKEN, the other two pass or are skipped.
FILES = [t.PASS, t.RCPT, t.SERVER_VARS, t.SKIPPED]


def run(tmp_path, *args):
    report = tmp_path / "run.json"
    proc = t.smtpspec("run", *args, "--report-json", str(report),
                      SMTPSPEC_STATE_DIR=str(tmp_path / "state"))
    assert "Traceback" not in proc.stderr
    parsed, errors = json_report.loads(report.read_text())
    assert errors == []
    return proc, [r["scenario"]["id"] for r in parsed["results"]]


def test_exitfirst_stops_at_the_first_failure(tmp_path):
    # An entry for a scenario -x never reached is no typo to warn about.
    expect = tmp_path / "expect.txt"
    expect.write_text("target broken\n    runner.needs-xnothing  never run\n")
    with t.server(*BROKEN) as server:
        target = ["--target", "broken=" + server.address, "--jobs", "1",
                  "--expect", str(expect)]
        whole, all_ids = run(tmp_path, *FILES, *target)
        stopped, ids = run(tmp_path, *FILES, *target, "-x")
    assert whole.returncode == 1 and len(all_ids) == 4
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    assert stopped.stderr == "smtpspec: -x: stopped at the first failure\n"
    # One at a time, in file order: the failure is the last result.
    assert ids == ["runner.noop", "runner.rcpt-before-mail"]


def test_last_failed_reruns_the_failures_until_they_pass(tmp_path):
    state = tmp_path / "state" / "lastfailed.json"
    with t.server(*BROKEN) as broken:
        first, ids = run(tmp_path, *FILES, "--target", broken.address)
        assert first.returncode == 1 and len(ids) == 4
        assert json.loads(state.read_text())["files"] == [t.RCPT]
        again, ids = run(tmp_path, *FILES, "--target", broken.address,
                         "--lf")
    assert again.returncode == 1
    assert ids == ["runner.rcpt-before-mail"]
    with t.server() as fixed:
        fixed_run, ids = run(tmp_path, *FILES, "--target", fixed.address,
                             "--lf")
        assert fixed_run.returncode == 0, fixed_run.stdout + fixed_run.stderr
        assert ids == ["runner.rcpt-before-mail"]
        assert json.loads(state.read_text())["files"] == []
        # Nothing failed last time: --lf runs the whole selection, and says
        # so.
        everything, ids = run(tmp_path, *FILES, "--target", fixed.address,
                              "--lf")
    assert everything.returncode == 0
    assert len(ids) == 4
    assert "--lf: no failure of the last run" in everything.stderr


def test_a_run_keeps_the_failures_of_files_it_did_not_run(tmp_path):
    state = tmp_path / "state" / "lastfailed.json"
    with t.server(*BROKEN) as broken:
        run(tmp_path, t.RCPT, "--target", broken.address)
        proc, _ = run(tmp_path, t.PASS, "--target", broken.address)
    assert proc.returncode == 0
    assert json.loads(state.read_text())["files"] == [t.RCPT]
