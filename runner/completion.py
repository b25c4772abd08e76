"""`smtpspec completion bash|zsh`: a completion script for the shell,
made from the argparse definitions (runner/argspec.py), so every
subcommand, flag and choice is in it.

bash: `source <(smtpspec completion bash)`, or the file in
~/.local/share/bash-completion/completions/smtpspec. zsh: the file
`_smtpspec` in a folder of $fpath, or `source <(smtpspec completion zsh)`
after compinit. Both complete `smtpspec` and `./smtpspec`.
"""

import sys

from runner import argspec

SHELLS = ("bash", "zsh")
# The names the scripts complete: installed, and run from its folder.
NAMES = ("smtpspec", "./smtpspec")


def _sh(text):
    """TEXT as one single-quoted shell word (bash and zsh alike)."""
    return "'" + text.replace("'", "'\\''") + "'"


# bash ---------------------------------------------------------------------

_BASH_HEAD = """\
# bash completion for smtpspec, generated from its argparse definitions
# (`smtpspec completion bash`, runner/completion.py): do not edit.
_smtpspec_words() {
    mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
}
_smtpspec_files() {
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen "$1" -- "$cur")
}
_smtpspec() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev= command= i
    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}
    # bash splits --flag=value at '=' (COMP_WORDBREAKS).
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
    # The subcommand: the first word that is not a flag (smtpspec's own
    # flags take no value).
    for (( i = 1; i < COMP_CWORD; i++ )); do
        case ${COMP_WORDS[i]} in
            -*|=) ;;
            *) command=${COMP_WORDS[i]}; break ;;
        esac
    done
    COMPREPLY=()
    case $command in
"""

_BASH_TAIL = """\
    esac
}
complete -F _smtpspec %s
""" % " ".join(NAMES)


def _bash_value(kind, choices):
    """The bash statement completing a value of this kind."""
    if kind == "choice":
        return "_smtpspec_words %s" % _sh(" ".join(choices))
    if kind == "file":
        return "_smtpspec_files -f"
    if kind == "dir":
        return "_smtpspec_files -d"
    return ":"  # free text: nothing to offer


def _bash_command(command, names):
    label = _sh(command.name) if command.name else "''"
    lines = ["    %s)" % label]
    valued = [o for o in command.options if o.kind and not o.optional]
    if valued:
        lines.append("        case $prev in")
        for o in valued:
            lines.append("            %s) %s; return ;;" % (
                "|".join(o.flags), _bash_value(o.kind, o.choices)))
        lines.append("        esac")
    flags = " ".join(f for o in command.options for f in o.flags)
    lines.append("        if [[ $cur == -* ]]; then")
    lines.append("            _smtpspec_words %s; return" % _sh(flags))
    lines.append("        fi")
    if names:
        lines.append("        _smtpspec_words %s" % _sh(" ".join(names)))
    elif command.positionals:
        # Every positional of smtpspec's commands is one kind of word.
        p = command.positionals[-1]
        lines.append("        " + _bash_value(p.kind, p.choices))
    lines.append("        ;;")
    return lines


def bash(commands):
    top, subs = commands[0], commands[1:]
    lines = _bash_command(top, [c.name for c in subs])
    for c in subs:
        lines += _bash_command(c, [])
    return _BASH_HEAD + "\n".join(lines) + "\n" + _BASH_TAIL


# zsh ----------------------------------------------------------------------

def _zsh_text(text, specials):
    """TEXT inside an _arguments spec: a backslash before each of
    SPECIALS (and before a backslash)."""
    out = text.replace("\\", "\\\\")
    for c in specials:
        out = out.replace(c, "\\" + c)
    return out


def _zsh_action(kind, choices):
    if kind == "choice":
        return "(%s)" % " ".join(_zsh_text(c, " ()") for c in choices)
    if kind == "file":
        return "_files"
    if kind == "dir":
        return "_files -/"
    return " "  # free text: the message, no matches


def _zsh_option(option):
    specs = []
    # Flags that exclude each other: the aliases of a flag given once;
    # -h and --version end the command line.
    if "-h" in option.flags or "--version" in option.flags:
        exclude = "(- *)"
    elif option.repeatable:
        exclude = "*"
    elif len(option.flags) > 1:
        exclude = "(%s)" % " ".join(option.flags)
    else:
        exclude = ""
    description = "[%s]" % _zsh_text(option.help, "[]")
    for flag in option.flags:
        if option.kind is None:
            specs.append(exclude + flag + description)
            continue
        # --flag=: the value after '=' or as the next word; optional
        # values only after '='. A short flag's value may follow it (-s+).
        long_ = flag.startswith("--")
        if option.optional:
            form, colons = ("=-" if long_ else "-"), "::"
        else:
            form, colons = ("=" if long_ else "+"), ":"
        specs.append("%s%s%s%s%s%s:%s" % (
            exclude, flag, form, description, colons,
            _zsh_text(option.metavar, ":"),
            _zsh_action(option.kind, option.choices)))
    return specs


def _zsh_positionals(command):
    specs = []
    for i, p in enumerate(command.positionals, 1):
        where = "*" if p.many else str(i)
        specs.append("%s:%s:%s" % (where, _zsh_text(p.metavar, ":"),
                                   _zsh_action(p.kind, p.choices)))
    return specs


def _zsh_arguments(specs, indent):
    pad = " " * indent
    return (" \\\n" + pad).join(["_arguments -s -S"] +
                                [_sh(s) for s in specs])


def zsh(commands):
    top, subs = commands[0], commands[1:]
    head = [s for o in top.options for s in _zsh_option(o)]
    head += ["1: :->command", "*:: :->args"]
    described = "\n".join("        %s" % _sh("%s:%s" % (
        _zsh_text(c.name, ":"), " ".join(c.help.split()))) for c in subs)
    cases = []
    for c in subs:
        specs = [s for o in c.options for s in _zsh_option(o)]
        specs += _zsh_positionals(c)
        cases.append("        (%s)\n            %s && ret=0 ;;" % (
            c.name, _zsh_arguments(specs, 16)))
    return """\
#compdef %(names)s
# zsh completion for smtpspec, generated from its argparse definitions
# (`smtpspec completion zsh`, runner/completion.py): do not edit.
_smtpspec() {
    local curcontext=$curcontext state line ret=1
    typeset -A opt_args
    %(top)s && ret=0
    case $state in
    (command)
        local -a commands=(
%(described)s
        )
        _describe -t commands 'smtpspec command' commands && ret=0 ;;
    (args)
        curcontext=${curcontext%%:*:*}:smtpspec-$line[1]:
        case $line[1] in
%(cases)s
        esac ;;
    esac
    return ret
}
if [[ $funcstack[1] == _smtpspec ]]; then
    _smtpspec "$@"
else
    compdef _smtpspec %(names)s
fi
""" % {"names": " ".join(NAMES), "top": _zsh_arguments(head, 8),
       "described": described, "cases": "\n".join(cases)}


def script(shell, parser):
    """The completion script for SHELL (one of SHELLS)."""
    commands = argspec.read(parser)
    return bash(commands) if shell == "bash" else zsh(commands)


def add_arguments(p):
    """The flags of `smtpspec completion` (runner/main.py)."""
    p.add_argument("shell", choices=SHELLS, metavar="SHELL",
                   help="the shell to complete for")
    return p


def cmd_completion(args, parser):
    sys.stdout.write(script(args.shell, parser))
    return 0


HELP = "print a completion script for bash or zsh: every subcommand, flag " \
    "and choice of smtpspec"

