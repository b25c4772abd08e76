"""Runs a pytest file as a Bazel py_test (see pytest.bzl).

It writes JUnit XML to Bazel's XML_OUTPUT_FILE, so `smtpspec test` counts
pytest cases like GoogleTest cases. Python puts the main file's folder
first on sys.path, where a module such as reports/html.py would shadow the
standard library; that folder is removed first (Python resolves the symlink
Bazel runs, so real paths are compared too). Packages are imported from the
runfiles root.
"""

import os
import sys

HERE = {os.path.dirname(os.path.abspath(__file__)),
        os.path.dirname(os.path.realpath(__file__))}
sys.path[:] = [p for p in sys.path
               if os.path.realpath(p or ".") not in HERE and
               os.path.abspath(p or ".") not in HERE]

import pytest  # noqa: E402


def main():
    args = sys.argv[1:]
    xml = os.environ.get("XML_OUTPUT_FILE")
    if xml:
        # Bazel reads per-case results from this file.
        args.append("--junitxml=" + xml)
    # The runfiles tree is read-only: no cache directory.
    sys.exit(pytest.main(args + ["-p", "no:cacheprovider", "-q"]))


if __name__ == "__main__":
    main()
