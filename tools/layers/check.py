"""The C++ layers depend one way only (docs/architecture.md).

    engine (1) < parser (2) < agents (3) < interpreter (4) < cli (5)

A library or binary may link (`deps`) only targets of its own layer or a
lower one; tests may also link the layer above them (an interpreter test
reads the corpus from disk as the CLI does). Programs used as `data` (a
binary a test starts) are not links and are not checked. Bazel
`visibility` makes most such links a build error already; this reads the
whole graph once and names every edge that goes up:

    python3 tools/layers/check.py          (runs `bazel query`)
    bazel query 'kind("cc_.*", //...)' --output=xml | check.py -

Exits 0 when every edge goes down or sideways, 1 otherwise, 2 when the
graph could not be read.
"""

import subprocess
import sys
import xml.etree.ElementTree as ET

LAYERS = [("engine", 1), ("parser", 2), ("agents", 3), ("interpreter", 4),
          ("cli", 5)]


def layer(label):
    """The layer of a label such as //engine/model:x, or None."""
    if not label.startswith("//"):
        return None
    package = label[2:].split(":")[0]
    top = package.split("/")[0]
    for name, number in LAYERS:
        if top == name:
            return number
    return None


def edges(xml_text):
    """(rule, class, dep) for every `deps` entry of every rule."""
    root = ET.fromstring(xml_text)
    for rule in root.iter("rule"):
        for attr in rule.iter("list"):
            if attr.get("name") != "deps":
                continue
            for dep in attr.iter("label"):
                yield rule.get("name"), rule.get("class"), dep.get("value")


def upward(xml_text):
    """The edges that go up a layer, as "rule -> dep" lines."""
    out = []
    for rule, kind, dep in edges(xml_text):
        low, high = layer(rule), layer(dep)
        if low is None or high is None or high <= low:
            continue
        if kind.endswith("_test") and high == low + 1:
            continue
        out.append("%s (layer %d) -> %s (layer %d)" % (rule, low, dep, high))
    return sorted(out)


def main(argv):
    if argv == ["-"]:
        text = sys.stdin.read()
    else:
        proc = subprocess.run(
            ["bazel", "query", 'kind("cc_.* rule", //...)', "--output=xml"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            print("check.py: bazel query failed: %s" %
                  proc.stderr.strip().splitlines()[-1:], file=sys.stderr)
            return 2
        text = proc.stdout
    try:
        bad = upward(text)
    except ET.ParseError as e:
        print("check.py: not bazel query XML: %s" % e, file=sys.stderr)
        return 2
    for line in bad:
        print(line)
    print("%d dependencies go up a layer" % len(bad) if bad else
          "layers: every dependency goes down", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
