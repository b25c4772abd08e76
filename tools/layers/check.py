"""The C++ layers depend one way only (docs/architecture.md).

    util (0) < engine (1) < parser (2) < agents (3) < interpreter (4) < cli (5)

A library or binary may link (`deps`) only targets of its own layer or a
lower one; tests may also link the layer above them (an interpreter test
reads the corpus from disk as the CLI does). Programs used as `data` (a
binary a test starts) are not links and are not checked. Bazel
`visibility` makes most such links a build error already; this reads the
whole graph once and names every edge that goes up. It also keeps a package's
private headers private: a header listed in a library's `srcs` (Bazel's
place for private headers, docs/architecture.md) may be included only from
its own package, which the gcc build cannot enforce by itself:

    python3 tools/layers/check.py          (runs `bazel query`)
    bazel query 'kind("cc_.*", //...)' --output=xml | check.py -

Exits 0 when every edge goes down or sideways and no private header is
included from another package, 1 otherwise, 2 when the graph could not be
read.
"""

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

LAYERS = [("util", 0), ("engine", 1), ("parser", 2), ("agents", 3), ("interpreter", 4),
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


def _file(label):
    """'engine/server/params.h' for //engine/server:params.h."""
    package, _, name = label[2:].partition(":")
    return os.path.join(package, name) if package else name


def files(xml_text):
    """(package, path, private) for every source and header file of every
    C++ rule; a header in `srcs` is private to its package."""
    root = ET.fromstring(xml_text)
    for rule in root.iter("rule"):
        package = rule.get("name")[2:].split(":")[0]
        for attr in rule.iter("list"):
            if attr.get("name") not in ("srcs", "hdrs"):
                continue
            for item in attr.iter("label"):
                value = item.get("value")
                if not value.startswith("//"):
                    continue
                path = _file(value)
                private = attr.get("name") == "srcs" and path.endswith(".h")
                yield package, path, private


_INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def private_includes(xml_text, read):
    """"file includes header (private to package)" for every include of a
    private header from outside its package; `read(path)` gives a file's
    text."""
    listed = list(files(xml_text))
    owner = {path: package for package, path, private in listed if private}
    out = set()
    for package, path, _ in listed:
        for header in _INCLUDE.findall(read(path)):
            home = owner.get(header)
            if home is not None and home != package:
                out.add("%s includes %s (private to //%s)" %
                        (path, header, home))
    return sorted(out)


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""  # a generated file: nothing of ours to include


def main(argv):
    # Labels name files from the workspace root.
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                          ".."))
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
        hidden = private_includes(text, _read)
    except ET.ParseError as e:
        print("check.py: not bazel query XML: %s" % e, file=sys.stderr)
        return 2
    for line in bad + hidden:
        print(line)
    print("%d dependencies go up a layer" % len(bad) if bad else
          "layers: every dependency goes down", file=sys.stderr)
    print("%d includes of another package's private header" % len(hidden)
          if hidden else "layers: no private header is included from "
          "another package", file=sys.stderr)
    return 1 if bad or hidden else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
