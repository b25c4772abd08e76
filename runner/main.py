"""The `smtpspec` command: run conformance scenarios, serve, lint, test."""

import argparse
import os
import sys

# runner/ is a package beside the repository's other folders.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from runner import bazel  # noqa: E402
from runner import testsuite  # noqa: E402


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag in one line and exits 2."""

    def error(self, message):
        raise UsageError(message)


def build_parser():
    parser = Parser(prog="smtpspec",
                    description="Conformance test harness for SMTP.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                parser_class=Parser)
    sub.required = True
    sub.add_parser("run", help="run the scenario corpus (default target: "
                   "the built-in reference implementation)")
    sub.add_parser("test", help="run every test of the project")
    return parser


def cmd_run(args):
    binary = bazel.binary_path("//engine/examples:loopback_demo")
    os.execv(binary, [binary])


def main(argv):
    try:
        args = build_parser().parse_args(argv)
        if args.command == "run":
            return cmd_run(args)
        if args.command == "test":
            return testsuite.main(args)
    except UsageError as e:
        print("smtpspec: " + str(e), file=sys.stderr)
        return 2
    except bazel.BazelError as e:
        print("smtpspec: " + str(e), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
