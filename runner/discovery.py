"""Finding scenario files and reading their metadata.

Paths may be files, folders (every `*.smtp` below them) or globs (`**`
crosses folders); the default is the whole corpus, the scenarios/ folder.
Files are passed to the C++ binary relative to the folder it runs in (the
repository root), so results name them as `scenarios/rfc5321/...`, which
the reports group by folder.

What a folder holds is the binary's to say (`smtpspec_cli files`), as for
every folder its subcommands are given; globs are the runner's own, since
the binary takes none. Metadata comes from `smtpspec_cli list` (for `list`
and `explain`; `run` has each target's run report it), so the runner never
parses the transcript format itself, nor selects. A file without an `id`
is an include fragment (`!include common/greeting.smtp`), not a scenario,
and is left out.
"""

import collections
import glob
import json
import os

from reports import json_report
from runner import binaries
from runner.errors import Fatal

DEFAULT_FOLDER = "scenarios"


def folder_files(cli, folder):
    """The transcripts under `folder`, as `smtpspec_cli files` finds them
    (maybe none)."""
    return [l for l in binaries.output(cli, ["files", folder]).splitlines()
            if l]


def _expand_one(cli, path, cwd):
    full = path if os.path.isabs(path) else os.path.join(cwd, path)
    if glob.has_magic(path):
        found = [p for p in glob.glob(full, recursive=True)
                 if os.path.isfile(p)]
        if not found:
            raise Fatal("no scenario file matches %s" % path)
        return found
    if os.path.isdir(full):
        found = folder_files(cli, full)
        if not found:
            raise Fatal("no *.smtp file under %s" % path)
        return found
    if not os.path.isfile(full):
        raise Fatal("no such scenario file: %s" % path)
    return [full]


def expand(cli, paths, root, cwd=None):
    """Scenario files for PATHS (default: the corpus), sorted, no repeats.

    Relative paths are taken from `cwd` (where the user typed them); the
    files come back relative to `root` when they are inside it.
    """
    cwd = cwd or os.getcwd()
    if not paths:
        corpus = os.path.join(root, DEFAULT_FOLDER)
        found = folder_files(cli, corpus) if os.path.isdir(corpus) else []
        if not found:
            raise Fatal("no scenario files under %s" % corpus)
    else:
        found = []
        for path in paths:
            found.extend(_expand_one(cli, path, cwd))
    out = []
    for path in found:
        path = os.path.abspath(path)
        rel = os.path.relpath(path, root)
        out.append(path if rel.startswith("..") else rel)
    return sorted(set(out))


# What `smtpspec_cli list --summary` says: the metadata of the scenarios
# selected (in file order), and how many scenarios the files hold.
Listing = collections.namedtuple("Listing", "scenarios found")


def list_metadata(cli, files, root, flags=()):
    """A Listing of `files`, selected by `flags` (runner/selection.py).

    Include fragments (no id) are left out. A file that does not parse is a
    usage error: the binary's `file:line:col: message` lines are passed on,
    as is its one line about a bad flag value.
    """
    if not files:
        return Listing([], 0)
    text = binaries.output(cli, ["list", "--summary", *flags, *files],
                           cwd=root)
    scenarios, found = [], None
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            meta = json.loads(line)
        except ValueError:
            raise Fatal("internal error: reading the scenarios gave a line "
                        "that is not JSON: %.80s" % line)
        if isinstance(meta, dict) and (
                meta.get("schema") == json_report.SELECTION_SCHEMA):
            problems = json_report.validate_selection(meta)
            found = meta.get("found")
        else:
            problems = json_report.validate_metadata(meta)
        if problems:
            raise Fatal("internal error: reading the scenarios gave invalid "
                        "metadata: " + problems[0])
        if found is None and meta["id"]:
            scenarios.append(meta)
    if found is None:
        raise Fatal("internal error: reading the scenarios gave no "
                    "selection record")
    return Listing(scenarios, found)
