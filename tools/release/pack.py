"""Packs the release tarball (//:release): what `./smtpspec` needs to run
without Bazel or the sources.

    pack.py --out OUT.tar.gz --bin BINARY... --src FILE...

Every --src keeps its repository path (a generated file loses Bazel's
bazel-out/CONFIG/bin/ prefix); every --bin goes to bin/ under its own
name, where runner/binaries.py looks for prebuilt binaries. The man page
and the shell completions are made here from the argparse definitions,
into share/ where man and the shells look (docs/building.md, "Release").
Everything is under smtpspec-VERSION/. The tarball is the same bytes for
the same inputs: sorted, owned by root, dated 1970, modes 0755 or 0644.
"""

import argparse
import gzip
import io
import os
import re
import sys
import tarfile

from reports import json_report
from runner import completion
from runner import main
from runner import manpage

_GENERATED = re.compile(r"^bazel-out/[^/]+/bin/")


def _member(name, data, executable):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o755 if executable else 0o644
    info.mtime = 0
    info.uname = info.gname = "root"
    return info, data


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def members(bins, srcs):
    """{path in the release: (bytes, executable)}."""
    out = {}
    for path in srcs:
        out[os.path.normpath(_GENERATED.sub("", path))] = (_read(path),
                                         os.access(path, os.X_OK))
    for path in bins:
        out["bin/" + os.path.basename(path)] = (_read(path), True)
    parser = main.build_parser()
    share = {
        "share/man/man1/smtpspec.1": manpage.render(parser),
        "share/bash-completion/completions/smtpspec":
            completion.script("bash", parser),
        "share/zsh/site-functions/_smtpspec":
            completion.script("zsh", parser),
    }
    for path, text in share.items():
        out[path] = (text.encode(), False)
    return out


def write(out_path, files):
    top = "smtpspec-%s/" % json_report.VERSION
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(files):
            data, executable = files[path]
            info, data = _member(top + path, data, executable)
            tar.addfile(info, io.BytesIO(data))
    with open(out_path, "wb") as f:
        # mtime=0: no date in the gzip header either.
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as gz:
            gz.write(raw.getvalue())


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="the tarball to write")
    p.add_argument("--bin", nargs="+", default=[], action="extend",
                   help="a prebuilt binary, into bin/")
    p.add_argument("--src", nargs="+", default=[], action="extend",
                   help="a file, at its repository path")
    return p.parse_args(argv)


if __name__ == "__main__":
    args = parse_args(sys.argv[1:])
    write(args.out, members(args.bin, args.src))
