"""Entry point that lets Bazel run a pytest file as a py_test.

It writes JUnit XML to Bazel's XML_OUTPUT_FILE, so `smtpspec test` counts
pytest cases like GoogleTest cases.
"""

import os
import sys

import pytest


def main():
    args = [a for a in sys.argv[1:]]
    xml = os.environ.get("XML_OUTPUT_FILE")
    if xml:
        args.append("--junitxml=" + xml)
    # Bazel's sandbox is read-only for sources: no cache directory.
    args += ["-p", "no:cacheprovider", "-q"]
    sys.exit(pytest.main(args))


if __name__ == "__main__":
    main()
