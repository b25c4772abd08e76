"""A Bazel test that runs scenario files against the reference server.

tools/scenarios.bzl (smtp_scenario_suite) makes py_tests with this file as
main:

    scenario_test.py --cli PATH --server PATH [--send PATH]
                     [--server-config YAML] [--strict] [--expect FILE] FILE...

It is `smtpspec run FILE...` without tools/setup.sh or Bazel inside Bazel:
the binaries come from the runfiles. Client scenarios run against the
reference client when --send gives smtpspec_send; without it they are
SKIPPED against the reference server. It honours Bazel's test protocol:
TEST_TOTAL_SHARDS / TEST_SHARD_INDEX (every Nth scenario),
TEST_SHARD_STATUS_FILE (touched), XML_OUTPUT_FILE (JUnit, one testcase per
scenario, so `bazel test` counts scenarios), and TEST_UNDECLARED_OUTPUTS_DIR
(the JSON and HTML reports, in Bazel's outputs.zip).
"""

import os
import sys

# Python puts this file's folder first on sys.path; the repository root
# (the runfiles root, the test's working directory) is what we import from.
HERE = os.path.dirname(os.path.realpath(__file__))
sys.path[:] = [p for p in sys.path if os.path.realpath(p or ".") != HERE]
sys.path.insert(0, os.getcwd())

from runner import main as runner_main  # noqa: E402
from runner import run  # noqa: E402
from runner.errors import Fatal  # noqa: E402


def parse(argv):
    p = runner_main.Parser(prog="scenario_test")
    p.add_argument("--cli", required=True)
    p.add_argument("--server", required=True)
    p.add_argument("--send")
    p.add_argument("--strict", action="store_true")
    p.add_argument("--expect")
    p.add_argument("--server-config")
    p.add_argument("paths", nargs="+")
    return p.parse_args(argv)


def run_args(test_args, env):
    """The `smtpspec run` arguments for this test, reports included."""
    args = runner_main.build_parser().parse_args(
        ["run", *test_args.paths] + (["--strict"] if test_args.strict else [])
        + (["--expect", test_args.expect] if test_args.expect else []))
    args.server_config = test_args.server_config
    args.reference_client = bool(test_args.send)
    args.report_junit = env.get("XML_OUTPUT_FILE")
    outputs = env.get("TEST_UNDECLARED_OUTPUTS_DIR")
    if outputs:
        args.report_json = os.path.join(outputs, "report.json")
        args.report_html = os.path.join(outputs, "report.html")
    return args


def main(argv, env=None):
    env = dict(os.environ if env is None else env)
    try:
        test_args = parse(argv)
        env["SMTPSPEC_CLI"] = os.path.abspath(test_args.cli)
        env["SMTPSPEC_SERVER"] = os.path.abspath(test_args.server)
        if test_args.send:
            env["SMTPSPEC_SEND"] = os.path.abspath(test_args.send)
        # Plain lines in the test log, never a progress bar.
        env["CI"] = "true"
        args = run_args(test_args, env)
        return run.execute(args, os.getcwd(), env=env,
                           command=["scenario_test", *argv])
    except Fatal as e:
        print("scenario_test: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
