"""The runner's one error type: a usage or environment problem.

Anything raised as Fatal ends the command with exit code 2 and its message
on one line of stderr (a bad flag, a missing file or binary, an unreachable
target). Divergences are not errors: they are results, and exit 1.
"""


class Fatal(Exception):
    """A usage or environment error; the message is one sentence."""
