"""`smtpspec test`: runs every test of the project and counts them.

Counts come from the JUnit XML that each Bazel test target writes
(GoogleTest and pytest both write it), so the closing line reports test
cases, not targets: `N passed, N failed` (CI reads that exact shape), after
a line `N skipped`.

After the Bazel suites, the layer check (tools/layers/check.py: no link
goes up a layer, no private header is included from another package)
counts as one case, and the real-peer matrix (tools/peers/matrix.sh,
docs/peers.md) runs the RFC 5321 and RFC 3030 scenarios against Postfix,
Exim, OpenSMTPD, aiosmtpd, swaks, msmtp, curl and smtplib on loopback, with
the expectations files; its JUnit cases (scenario x peer; a listed deviation
passes) are counted too, so a peer result that changes fails CI.
"""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from runner import bazel
from runner import processes
from runner.errors import Fatal

# Suites run in order. The engine and the transcript parser, being pure and
# fuzz-facing (they take bytes from peers and files), also run under
# AddressSanitizer + UBSan (issues 3 and 4).
SUITES = [
    ("all tests", []),
    ("engine and parser under asan+ubsan", ["--config=asan"]),
]
SANITIZED_PATTERNS = ["//engine/...", "//parser/..."]


class Counts:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []  # "target: testcase" strings

    def add(self, other):
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped
        self.failures += other.failures


def count_xml(path, target):
    """Counts the test cases in one JUnit XML file."""
    counts = Counts()
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        counts.failed += 1
        counts.failures.append(target + ": no readable test.xml")
        return counts
    cases = list(root.iter("testcase"))
    if not cases:
        # A target that ran no test case still ran: count the target.
        counts.failed += 1
        counts.failures.append(target + ": ran no test case")
        return counts
    for case in cases:
        name = case.get("classname", "") + "." + case.get("name", "")
        if case.find("failure") is not None or case.find("error") is not None:
            counts.failed += 1
            counts.failures.append(target + ": " + name)
        elif (case.find("skipped") is not None
              or case.get("status") == "notrun"
              or case.get("result") == "skipped"):
            counts.skipped += 1
        else:
            counts.passed += 1
    return counts


def test_targets(patterns):
    # `bazel test PATTERN` skips targets tagged manual; so must the count.
    tests = "tests(" + " + ".join(patterns) + ")"
    query = tests + ' except attr("tags", "\\bmanual\\b", ' + tests + ")"
    proc = subprocess.run(
        ["bazel", "query", query],
        cwd=bazel.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    if proc.returncode != 0:
        raise bazel.BazelError("bazel query failed:\n" + proc.stderr[-3000:])
    return [t for t in proc.stdout.split() if t.startswith("//")]


def run_suite(label, flags, patterns):
    bazel.say("smtpspec test: " + label)
    targets = test_targets(patterns)
    # --keep_going: a failing target must not hide the others' results.
    proc = bazel.run(["test", "--keep_going"] + flags + patterns,
                     quiet=False)
    counts = Counts()
    testlogs = os.path.join(bazel.ROOT, "bazel-testlogs")
    for target in targets:
        package, name = target[2:].split(":")
        xml = os.path.join(testlogs, package, name, "test.xml")
        counts.add(count_xml(xml, target))
    if proc.returncode not in (0, 3) and not counts.failed:
        # 3 means tests failed (already counted); anything else is a build
        # or infrastructure failure that must not pass silently.
        counts.failed += 1
        counts.failures.append(label + ": bazel " +
                               processes.exit_reason(proc.returncode))
    return counts


def run_layers():
    """The layer check over the whole build graph: one case."""
    label = "layers (tools/layers/check.py)"
    bazel.say("smtpspec test: " + label)
    proc = subprocess.run([sys.executable, os.path.join(
        bazel.ROOT, "tools", "layers", "check.py")], cwd=bazel.ROOT)
    counts = Counts()
    if proc.returncode == 0:
        counts.passed += 1
    else:
        counts.failed += 1
        counts.failures.append(label + ": " +
                               processes.exit_reason(proc.returncode))
    return counts


def run_matrix():
    """The real-peer matrix, counted from its JUnit XML."""
    label = "real peers (tools/peers/matrix.sh)"
    bazel.say("smtpspec test: " + label)
    xml = os.path.join(bazel.ROOT, ".smtpspec", "matrix", "matrix.xml")
    if os.path.exists(xml):
        os.remove(xml)  # a stale report must not be counted
    proc = subprocess.run([os.path.join(bazel.ROOT, "tools", "peers",
                                        "matrix.sh")], cwd=bazel.ROOT)
    counts = count_xml(xml, label)
    if proc.returncode != 0 and not counts.failed:
        # 1 with no failed case would be a stale expectation under --strict;
        # 2 or anything else means the matrix could not run.
        counts.failed += 1
        counts.failures.append(label + ": " +
                               processes.exit_reason(proc.returncode))
    return counts


def main(args):
    # An unpacked release (//:release) has the prebuilt binaries and the
    # runner, but neither the sources nor the tests.
    if not os.path.exists(os.path.join(bazel.ROOT, "WORKSPACE")):
        raise Fatal("smtpspec test runs the project's own tests, which a "
                    "release does not ship (no sources, no WORKSPACE): run "
                    "it in a checkout")
    total = Counts()
    for label, flags in SUITES:
        patterns = SANITIZED_PATTERNS if flags else ["//..."]
        total.add(run_suite(label, flags, patterns))
    total.add(run_layers())
    total.add(run_matrix())
    for failure in total.failures:
        print("FAILED " + failure)
    print("%d skipped" % total.skipped)
    print("%d passed, %d failed" % (total.passed, total.failed))
    return 0 if total.failed == 0 else 1
