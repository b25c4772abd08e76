"""smtpspec(1): the man page, made from the argparse definitions
(runner/argspec.py) and the examples and exit codes of runner/helptext.py,
so it says what `smtpspec COMMAND --help` says.

//runner:manpage builds it into the release (share/man/man1/smtpspec.1);
in a checkout, `/usr/bin/python3 -m runner.manpage | man -l -` shows it.
"""

import re
import sys

from reports import json_report
from runner import argspec

# "examples:", "exit codes:": the headings of helptext's epilogs.
_HEADING = re.compile(r"^([a-z][a-z ]*):$")


def text(s):
    """S as roff text: no escapes or requests of its own; '-' is a minus
    (so flags stay ASCII in the UTF-8 output)."""
    s = s.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + s if s[:1] in (".", "'") else s


def _bold(s):
    return "\\fB%s\\fR" % text(s)


def _italic(s):
    return "\\fI%s\\fR" % text(s)


def _lower_first(s):
    return s[:1].lower() + s[1:]


def _option(o):
    value = (" " + _italic(o.metavar)) if o.metavar else ""
    if o.optional:
        value = "[%s]" % ("=" + _italic(o.metavar))
    return ", ".join(_bold(f) + value for f in o.flags)


def _synopsis(command):
    words = [_bold("smtpspec" + (" " + command.name if command.name else ""))]
    if any(o.flags != ("-h", "--help") for o in command.options):
        words.append("[%s]" % _italic("options"))
    for p in command.positionals:
        word = _italic(p.metavar)
        words.append("[%s ...]" % word if p.many else word)
    return " ".join(words)


def _epilog(epilog, heading):
    """helptext's blocks: each heading through HEADING(name), its lines
    as they are (they are laid out in columns)."""
    out, block = [], []

    def flush():
        if block:
            out.extend([".nf", *(text(l) if l else "" for l in block),
                        ".fi"])
            block.clear()
    for line in epilog.strip("\n").splitlines():
        m = _HEADING.match(line)
        if m:
            flush()
            out.append(heading(m.group(1)))
        elif line.strip() or block:
            block.append(line.rstrip())
    flush()
    return out


def _options(command):
    out = []
    for o in command.options:
        out += [".TP", _option(o), text(o.help)]
    for p in command.positionals:
        out += [".TP", _italic(p.metavar), text(p.help)]
    return out


def render(parser):
    commands = argspec.read(parser)
    top, subs = commands[0], commands[1:]
    out = [
        '.TH SMTPSPEC 1 "" "smtpspec %s" "User Commands"' %
        json_report.VERSION,
        # Flags and file names read better unhyphenated, ragged right.
        ".nh",
        ".ad l",
        ".SH NAME",
        "smtpspec \\- " + text(_lower_first(top.description.rstrip("."))),
        ".SH SYNOPSIS",
        _synopsis(top) + " " + _italic("COMMAND") + " [%s]" %
        _italic("ARGS"),
        ".SH DESCRIPTION",
        text(top.description),
        "Every command takes " + _bold("--help") + ".",
        ".SH OPTIONS",
        *_options(top),
        ".SH COMMANDS",
    ]
    for c in subs:
        out += ['.SS "%s"' % c.name, _synopsis(c), ".PP", text(c.help),
                *_options(c)]
        out += _epilog(c.epilog, lambda h: ".PP\n" + _italic(
            h[:1].upper() + h[1:] + ":"))
    out += _epilog(top.epilog, lambda h: '.SH "%s"' % (
        "EXIT STATUS" if h == "exit codes" else h.upper()))
    out += [".SH SEE ALSO",
            "docs/user\\-guide.md, docs/transcript\\-format.md and "
            "docs/ci.md in the smtpspec release or repository."]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    from runner import main
    sys.stdout.write(render(main.build_parser()))
