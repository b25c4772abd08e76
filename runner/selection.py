"""Which scenarios run: the selection flags, then Bazel test sharding.

    --tags a,b      scenarios with any of these tags
    --rfc CITATION  scenarios citing that section or one inside it
                    ("RFC 5321 4.1" selects 4.1.4, not 4.10)
    --id GLOB       scenario ids matching a shell glob (rfc5321.*)
    --level L,...   MUST, SHOULD or MAY

Each flag may be repeated; a scenario must pass every flag given, and any
one value of a flag. Sharding (TEST_TOTAL_SHARDS, TEST_SHARD_INDEX) keeps
every Nth scenario of the selection, in file order, so the shards of one
run never overlap and together run everything.
"""

import collections
import fnmatch

from reports import rfc
from runner.errors import Fatal

LEVELS = ("MUST", "SHOULD", "MAY")

Filters = collections.namedtuple("Filters", "tags rfc ids levels")


def _values(flags):
    """Comma-separated values of a repeated flag, stripped, without blanks."""
    out = []
    for flag in flags or ():
        out.extend(v.strip() for v in flag.split(",") if v.strip())
    return out


def filters(tags=None, rfcs=None, ids=None, levels=None):
    """Filters from the flags' raw values; raises Fatal on a bad value."""
    levels = [v.upper() for v in _values(levels)]
    for level in levels:
        if level not in LEVELS:
            raise Fatal("--level %s: use MUST, SHOULD or MAY" % level)
    rfcs = [r.strip() for r in rfcs or () if r.strip()]
    for citation in rfcs:
        if not rfc.parse(citation):
            raise Fatal("--rfc %s: write a citation such as "
                        "\"RFC 5321 4.1\"" % citation)
    return Filters(_values(tags), rfcs, _values(ids), levels)


def matches(meta, f):
    """Whether one scenario's metadata (smtpspec_cli list) passes `f`."""
    if f.tags and not set(f.tags) & set(meta.get("tags", [])):
        return False
    if f.levels and meta.get("level", "MUST") not in f.levels:
        return False
    if f.ids and not any(fnmatch.fnmatchcase(meta.get("id", ""), g)
                         for g in f.ids):
        return False
    if f.rfc and not any(rfc.covers(want, cited) for want in f.rfc
                         for cited in meta.get("rfc", [])):
        return False
    return True


def select(scenarios, f):
    return [m for m in scenarios if matches(m, f)]


def shard(items, env):
    """The items of this Bazel test shard: every Nth, starting at index I.

    Without TEST_TOTAL_SHARDS (or with 1) everything is kept.
    """
    total = env.get("TEST_TOTAL_SHARDS", "")
    index = env.get("TEST_SHARD_INDEX", "")
    if not total:
        return list(items)
    try:
        total, index = int(total), int(index or "0")
    except ValueError:
        raise Fatal("TEST_TOTAL_SHARDS=%s TEST_SHARD_INDEX=%s: not numbers" %
                    (total, index))
    if total < 1 or not 0 <= index < total:
        raise Fatal("TEST_SHARD_INDEX=%d is outside 0..TEST_TOTAL_SHARDS-1 "
                    "(%d)" % (index, total - 1))
    return list(items)[index::total]


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
