"""The smtpspec command line as data, read from its argparse definitions
(runner/main.py, build_parser): what the shell completions
(runner/completion.py) and the man page (runner/manpage.py) are made
from, so that a new flag or subcommand is in both without anyone listing
it again.

What a value completes to comes from the parser too: its choices if it
has them; file names when its metavar is FILE, PATH or DIR (DIR: folders
only), or ends with one of them; otherwise nothing (a host, a template).
"""

import argparse
import collections

# kind: None (a flag without a value), "choice", "file", "dir" or "text".
Option = collections.namedtuple(
    "Option", "flags metavar help kind choices repeatable optional")
Positional = collections.namedtuple(
    "Positional", "metavar help kind choices many")
Command = collections.namedtuple(
    "Command", "name help description options positionals epilog")


def _kind(action, metavar):
    if action.choices:
        return "choice"
    word = metavar.strip("[]").upper()
    if word.endswith("DIR"):
        return "dir"
    if word.endswith(("FILE", "PATH")):
        return "file"
    return "text"


def _metavar(action):
    if action.metavar is not None:
        return action.metavar
    if action.choices:
        return "{%s}" % ",".join(action.choices)
    return action.dest.upper()


def _help(parser, action):
    """The help text as --help shows it (%(default)s filled in), on one
    line."""
    text = parser._get_formatter()._expand_help(action)
    return " ".join(text.split())


def _subparsers(parser):
    return next((a for a in parser._actions
                 if isinstance(a, argparse._SubParsersAction)), None)


def _command(name, parser, help_):
    options, positionals = [], []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        metavar = _metavar(action)
        takes = action.nargs != 0
        if action.option_strings:
            options.append(Option(
                flags=tuple(action.option_strings),
                metavar=metavar if takes else None,
                help=_help(parser, action),
                kind=_kind(action, metavar) if takes else None,
                choices=tuple(action.choices or ()),
                repeatable=isinstance(action, (argparse._AppendAction,
                                               argparse._CountAction)),
                optional=action.nargs == "?"))
        else:
            positionals.append(Positional(
                metavar=metavar, help=_help(parser, action),
                kind=_kind(action, metavar),
                choices=tuple(action.choices or ()),
                many=action.nargs in ("*", "+", argparse.REMAINDER)))
    return Command(name=name, help=help_, description=parser.description,
                   options=options, positionals=positionals,
                   epilog=parser.epilog or "")


def read(parser):
    """[the top-level Command (name ""), then one per subcommand in the
    order --help lists them]."""
    out = [_command("", parser, parser.description)]
    sub = _subparsers(parser)
    if sub is not None:
        helps = {a.dest: a.help for a in sub._choices_actions}
        for name, p in sub.choices.items():
            out.append(_command(name, p, helps.get(name, "")))
    return out
