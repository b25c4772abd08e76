"""Which scenarios run: the selection flags and Bazel test sharding, passed
on to smtpspec_cli, which owns what they mean (cli/selection.h):

    --tags a,b      scenarios with any of these tags
    --rfc CITATION  scenarios citing that section or one inside it
    (-s)            ("RFC 5321 4.1" selects 4.1.4, not 4.10; a bare
                    section, "4.1", is one of RFC 5321)
    --id GLOB       scenario ids matching a shell glob (rfc5321.*)
    --level L,...   MUST, SHOULD or MAY

Each flag may be repeated; a scenario must pass every flag given, and any
one value of a flag. Sharding (TEST_TOTAL_SHARDS, TEST_SHARD_INDEX) keeps
every Nth scenario of the selection, in file order (`--shard INDEX/TOTAL`),
so the shards of one run never overlap and together run everything. A bad
value is the binary's one-line usage error.
"""

from runner.errors import Fatal


def flags(args, env):
    """The `smtpspec_cli run|list` flags for the selection flags in `args`
    (argparse values) and this Bazel test shard in `env`."""
    out = []
    for name in ("tags", "rfc", "id", "level"):
        for value in getattr(args, name, None) or ():
            out += ["--" + name, value]
    total = env.get("TEST_TOTAL_SHARDS", "")
    if total:
        out += ["--shard", "%s/%s" % (env.get("TEST_SHARD_INDEX", "") or "0",
                                      total)]
    return out


def touch_shard_status(env):
    """Tells Bazel the test understands sharding (TEST_SHARD_STATUS_FILE)."""
    path = env.get("TEST_SHARD_STATUS_FILE")
    if path:
        try:
            with open(path, "a"):
                pass
        except OSError as e:
            raise Fatal("cannot touch TEST_SHARD_STATUS_FILE %s: %s" %
                        (path, e.strerror or e))
