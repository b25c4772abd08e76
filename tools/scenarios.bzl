"""Scenario files as `bazel test` targets, run against the reference agents
(server scenarios against smtpspec_server, client ones against
smtpspec_send).

    load("//tools:scenarios.bzl", "smtp_scenario_suite")

    smtp_scenario_suite(
        name = "examples_suite",
        prefix = "examples",
        srcs = ["//scenarios/examples:bdat.smtp", ...],
        data = ["//scenarios/examples:files"],   # includes (common/*.smtp)
    )

makes, for each file, a test named PREFIX_STEM (`examples_bdat`), so
`bazel test` shows one line per scenario; and NAME, one test over all of
them in `shard_count` shards (runner/scenario_test.py keeps every Nth
scenario per shard), for Bazel remote execution or a CI matrix. Both write
JUnit with one testcase per scenario. NAME is tagged manual by default, so
`bazel test //...` runs each scenario once, through the per-file tests;
run it by name: `bazel test //scenarios:examples_suite`.

NAME must not be the name of a folder that is a package (`examples`):
the test's executable and runfiles would collide with that package's
outputs in bazel-bin.
"""

_CLI = "//cli:smtpspec_cli"
_SERVER = "//agents/server:smtpspec_server"
_SEND = "//agents/client:smtpspec_send"
_MESSAGE = "//scenarios:client-message.eml"
_MAIN = "//runner:scenario_test.py"

def _stem(label):
    """`bdat` from `//scenarios/examples:bdat.smtp` or `sub/bdat.smtp`."""
    name = label.split(":")[-1]
    if name.endswith(".smtp"):
        name = name[:-len(".smtp")]
    return name.replace("/", "_").replace("-", "_").replace(".", "_")

def _scenario_test(
        name,
        srcs,
        data,
        server_config,
        strict,
        size,
        shard_count,
        tags):
    args = [
        "--cli",
        "$(location %s)" % _CLI,
        "--server",
        "$(location %s)" % _SERVER,
        # Client scenarios play against the reference client, which sends
        # the standard message (docs/transcript-format.md).
        "--send",
        "$(location %s)" % _SEND,
    ]
    if server_config:
        args += ["--server-config", "$(location %s)" % server_config]
        data = data + [server_config]
    if strict:
        args.append("--strict")
    native.py_test(
        name = name,
        srcs = [_MAIN],
        main = _MAIN,
        args = args + ["$(location %s)" % s for s in srcs],
        data = srcs + data + [_CLI, _SERVER, _SEND, _MESSAGE],
        deps = ["//runner:scenario_test_lib"],
        python_version = "PY3",
        size = size,
        shard_count = shard_count,
        tags = tags,
    )

def smtp_scenario_suite(
        name,
        srcs,
        prefix = None,
        data = [],
        server_config = None,
        strict = False,
        per_file = True,
        shard_count = 2,
        suite_tags = ["manual"],
        tags = [],
        size = "small"):
    """One test per scenario file, and one sharded test over all of them.

    Args:
      name: the sharded test over every file.
      srcs: the scenario files (labels of *.smtp files).
      prefix: per-file tests are PREFIX_STEM (default: NAME).
      data: other files they need at run time (included fragments).
      server_config: the reference server's YAML configuration
        (docs/reference-server.md), e.g. "reference-target.yaml".
      strict: SHOULD-level findings fail the test too.
      per_file: make the per-file tests (False: only the sharded one).
      shard_count: shards of the test over every file.
      suite_tags: tags of the sharded test; "manual" keeps it out of
        `bazel test //...` when the per-file tests run the same files.
      tags: tags of every test.
      size: size of every test (each starts a server; "small" is 60 s).
    """
    if per_file:
        for src in srcs:
            _scenario_test(
                name = "%s_%s" % (prefix or name, _stem(src)),
                srcs = [src],
                data = data,
                server_config = server_config,
                strict = strict,
                size = size,
                shard_count = None,
                tags = tags,
            )
    _scenario_test(
        name = name,
        srcs = srcs,
        data = data,
        server_config = server_config,
        strict = strict,
        size = size,
        shard_count = shard_count,
        tags = tags + (suite_tags if per_file else []),
    )
