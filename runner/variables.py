"""Scenario variables from the command line, for every target or for one.

    --var KEY=VALUE          every target
    --var TARGET:KEY=VALUE   only the target named TARGET (it wins over the
                             global value for that target)

Both reach smtpspec_cli as plain `--var KEY=VALUE`, the per-target ones
after the global ones; what a scenario sees, the target variables'
defaults and a client's command template filled in with them are
smtpspec_cli's (cli/client_command.h), so the runner keeps no copy.
"""

import collections
import re

from runner.errors import Fatal

# A variable name, as in the transcript format's ${name}.
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# The --var flags, split: `common` for every target, `by_target` maps a
# target name to its own; both are lists of (key, value), in flag order.
Vars = collections.namedtuple("Vars", "common by_target")


def parse(specs):
    """Vars from the --var values; raises Fatal on a malformed one."""
    common, by_target = [], collections.OrderedDict()
    for spec in specs or ():
        left, sep, value = spec.partition("=")
        # A target name may hold ':' (an unnamed target is HOST:PORT), a
        # variable name may not: the key is after the last ':'.
        target, colon, key = left.rpartition(":")
        if not sep or not NAME.match(key) or (colon and not target):
            raise Fatal("--var %s: write KEY=VALUE, or TARGET:KEY=VALUE for "
                        "one target (KEY is letters, digits and '_')" % spec)
        if colon:
            by_target.setdefault(target, []).append((key, value))
        else:
            common.append((key, value))
    return Vars(common, by_target)


def check_targets(parsed, names):
    """Raises Fatal if a TARGET:KEY=VALUE names no target of the run."""
    for target in parsed.by_target:
        if target not in names:
            raise Fatal("--var %s:...: there is no target '%s' in this run "
                        "(targets: %s)" % (target, target, ", ".join(names)))


def for_target(parsed, name):
    """The (key, value) pairs for one target: global, then its own."""
    return list(parsed.common) + list(parsed.by_target.get(name, ()))
