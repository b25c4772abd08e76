"""Suggestions for misspelt names: "did you mean 'run'?".

The runner's one implementation (subcommands, scenario ids); the C++ has
its own, util/did_you_mean.h, for the names the binaries read.
"""

import difflib


def close(word, choices, n=1):
    """Up to N of CHOICES close enough to WORD to be a plausible typo,
    closest first."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)


def did_you_mean(word, choices, n=1):
    """"; did you mean 'x'?" (or "'x' or 'y'"), or "" when nothing is
    close."""
    found = close(word, choices, n)
    if not found:
        return ""
    return "; did you mean %s?" % " or ".join("'%s'" % c for c in found)
