"""The Bazel test entry point (runner/scenario_test.py): Bazel's sharding
variables, the shard status file, JUnit in XML_OUTPUT_FILE, and the
reports in TEST_UNDECLARED_OUTPUTS_DIR."""

import xml.etree.ElementTree as ET

from runner import scenario_test
from runner import testing_util as t

FILES = [t.PASS, t.RCPT, t.SKIPPED]


def run_shard(tmp_path, index, total, files=FILES):
    xml = tmp_path / ("shard%d.xml" % index)
    status = tmp_path / ("shard%d.status" % index)
    outputs = tmp_path / ("outputs%d" % index)
    outputs.mkdir()
    env = t.env(TEST_TOTAL_SHARDS=str(total), TEST_SHARD_INDEX=str(index),
                TEST_SHARD_STATUS_FILE=str(status), XML_OUTPUT_FILE=str(xml),
                TEST_UNDECLARED_OUTPUTS_DIR=str(outputs))
    code = scenario_test.main(["--cli", t.CLI, "--server", t.SERVER, *files],
                              env)
    assert status.exists(), "TEST_SHARD_STATUS_FILE was not touched"
    names = [c.get("name") for c in ET.parse(xml).getroot().iter("testcase")]
    assert (outputs / "report.json").exists()
    assert (outputs / "report.html").exists()
    return code, names


def test_shards_split_the_scenarios_and_cover_them_once(tmp_path):
    got = [run_shard(tmp_path, i, 2) for i in range(2)]
    assert [code for code, _ in got] == [0, 0]
    # Every other scenario in file order: pass, rcpt_before_mail, skipped.
    assert got[0][1] == ["runner.noop", "runner.needs-xnothing"]
    assert got[1][1] == ["runner.rcpt-before-mail"]


def test_one_shard_runs_everything(tmp_path):
    code, names = run_shard(tmp_path, 0, 1)
    assert code == 0
    assert sorted(names) == ["runner.needs-xnothing", "runner.noop",
                             "runner.rcpt-before-mail"]


def test_an_empty_shard_passes(tmp_path):
    code, names = run_shard(tmp_path, 3, 4)
    assert (code, names) == (0, [])


def test_usage_error_is_exit_2(tmp_path, capsys):
    code = scenario_test.main(["--cli", "/nonexistent/cli", "--server",
                               t.SERVER, t.PASS], t.env())
    assert code == 2
    assert "/nonexistent/cli" in capsys.readouterr().err


def test_server_config_is_used_and_a_missing_one_is_exit_2(tmp_path, capsys):
    # A configuration without PIPELINING: the server must be started with it.
    config = tmp_path / "server.yaml"
    config.write_text("extensions: {pipelining: false}\n")
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    env = t.env(TEST_UNDECLARED_OUTPUTS_DIR=str(outputs))
    assert scenario_test.main(["--cli", t.CLI, "--server", t.SERVER,
                               "--server-config", str(config), t.PASS],
                              env) == 0
    report = (outputs / "report.json").read_text()
    assert "250-PIPELINING" not in report and "250-SIZE" in report
    assert scenario_test.main(["--cli", t.CLI, "--server", t.SERVER,
                               "--server-config", str(tmp_path / "none.yaml"),
                               t.PASS], env) == 2
    assert "no such server configuration" in capsys.readouterr().err
