"""Compiles cli/verdicts.json, what a verdict means for a run, into C++.

    embed_verdicts.py cli/verdicts.json OUT.h

The file is checked here, so that a mistake stops the build with the
reason instead of changing an exit status: every verdict once, each with
an `outcome` and a `strict` outcome; every incidental level once, with a
verdict of the table; `failing` a list of outcomes the table uses.
"""

import json
import sys


def fail(path, why):
    sys.exit("%s: %s" % (path, why))


def literal(text):
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            table = json.load(f)
    except (OSError, ValueError) as e:
        fail(path, e)
    try:
        verdicts = [(v["verdict"], v["outcome"], v["strict"])
                    for v in table["verdicts"]]
        incidental = [(i["level"], i["verdict"]) for i in table["incidental"]]
        failing = list(table["failing"])
    except (KeyError, TypeError) as e:
        fail(path, "not the shape the file's 'about' describes (%s)" % e)
    names = [v[0] for v in verdicts]
    outcomes = {o for v in verdicts for o in v[1:]}
    if len(set(names)) != len(names):
        fail(path, "a verdict is listed twice")
    if len({level for level, _ in incidental}) != len(incidental):
        fail(path, "an incidental level is listed twice")
    for level, verdict in incidental:
        if verdict not in names:
            fail(path, "incidental %s: %s is not a verdict of the table" %
                 (level, verdict))
    for name in failing:
        if name not in outcomes:
            fail(path, "failing: %s is no verdict's outcome" % name)
    strings = [s for row in verdicts + incidental for s in row] + failing
    if not all(isinstance(s, str) and s for s in strings):
        fail(path, "every name is a non-empty string")
    return verdicts, incidental, failing


def header(verdicts, incidental, failing):
    rows = lambda items: "".join(
        "    {%s},\n" % ", ".join(literal(s) for s in item) for item in items)
    return ("// Generated from cli/verdicts.json by cli/embed_verdicts.py.\n"
            "#ifndef SMTPSPEC_CLI_VERDICT_TABLE_H_\n"
            "#define SMTPSPEC_CLI_VERDICT_TABLE_H_\n\n"
            "#include <string_view>\n\n"
            "namespace smtpspec::cli::table {\n\n"
            "struct Verdict {\n"
            "  std::string_view name, outcome, strict;\n"
            "};\n"
            "inline constexpr Verdict kVerdicts[] = {\n%s};\n\n"
            "struct Incidental {\n"
            "  std::string_view level, verdict;\n"
            "};\n"
            "inline constexpr Incidental kIncidental[] = {\n%s};\n\n"
            "inline constexpr std::string_view kFailing[] = {%s};\n\n"
            "}  // namespace smtpspec::cli::table\n\n"
            "#endif  // SMTPSPEC_CLI_VERDICT_TABLE_H_\n" %
            (rows(verdicts), rows(incidental),
             ", ".join(literal(s) for s in failing)))


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: embed_verdicts.py verdicts.json OUT.h")
    text = header(*load(argv[0]))
    with open(argv[1], "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
