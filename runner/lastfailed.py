"""`smtpspec run --lf`: the scenario files whose results failed last time.

Every `smtpspec run` that gets to its report keeps the files of its failed
and error results in lastfailed.json, in the state folder (.smtpspec/ in
the repository, or SMTPSPEC_STATE_DIR). As pytest's cache does, a run
replaces only what it ran: a file that now passes is dropped, one that
failed is added, and the failures of files it did not run are kept, so
`run --lf` after a run of one folder still knows the others' failures.

`--lf` runs the files listed there among those the paths name (the
selection flags still apply); when none of them is, it says so and runs
them all, as `pytest --lf` does.
"""

import json
import os

from reports import outcome
from runner.errors import Fatal

FILE = "lastfailed.json"
SCHEMA = "smtpspec.lastfailed/1"


def state_dir(root, env):
    return env.get("SMTPSPEC_STATE_DIR") or os.path.join(root, ".smtpspec")


def load(folder):
    """The files that failed last time (a set; empty when none are kept)."""
    path = os.path.join(folder, FILE)
    try:
        with open(path, encoding="utf-8") as f:
            value = json.load(f)
    except FileNotFoundError:
        return set()
    except (OSError, ValueError) as e:
        raise Fatal("cannot read %s: %s (delete it to start afresh)" %
                    (path, getattr(e, "strerror", None) or e))
    if not isinstance(value, dict) or value.get("schema") != SCHEMA or \
            not isinstance(value.get("files"), list):
        raise Fatal("%s is not a list of failures (delete it to start "
                    "afresh)" % path)
    return {f for f in value["files"] if isinstance(f, str)}


def failed(results, strict):
    """The files of the results that failed or could not run."""
    return {r["scenario"]["file"] for r in results
            if outcome.outcome(r, strict) in (outcome.FAILED, outcome.ERROR)}


def save(folder, results, strict):
    """Keeps this run's failures, and the others' of files it did not run."""
    ran = {r["scenario"]["file"] for r in results}
    files = (load(folder) - ran) | failed(results, strict)
    path = os.path.join(folder, FILE)
    try:
        os.makedirs(folder, exist_ok=True)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump({"schema": SCHEMA, "files": sorted(files)}, f,
                      indent=1)
            f.write("\n")
        os.replace(path + ".tmp", path)
    except OSError as e:
        raise Fatal("cannot write %s: %s" % (path, e.strerror or e))


def only_failed(files, folder, say):
    """FILES narrowed to those that failed last time; all of them, with a
    word through SAY, when none did."""
    last = load(folder)
    kept = [f for f in files if f in last]
    if kept:
        return kept
    say("smtpspec: --lf: no failure of the last run is among these "
        "scenarios; running them all")
    return files
