"""`smtpspec list`, `lint`, `fmt` and `serve`: the smaller subcommands."""

import os
import subprocess
import sys

from reports import wire
from runner import binaries
from runner import discovery
from runner import processes
from runner import selection
from runner.errors import Fatal
from runner.refserver import ReferenceServer


def _table(rows, out):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths)]
        out.write("  ".join(cells).rstrip() + "\n")


def cmd_list(args, root, out=None):
    """What `run` with the same paths and selection flags would run."""
    out = out or sys.stdout
    cli = binaries.cli()
    files = discovery.expand(cli, args.paths, root)
    listing = discovery.list_metadata(cli, files, root,
                                      selection.flags(args, os.environ))
    chosen = listing.scenarios
    if chosen:
        # DELIVERS: whether a server under test would receive a message
        # (parser/delivers.h), what matters before aiming at a live host.
        rows = [("ID", "LEVEL", "TESTS", "DELIVERS", "RFC", "FILE")]
        for meta in chosen:
            rows.append(tuple(wire.clean(str(v)) for v in (
                meta["id"], meta.get("level", ""), meta.get("tests", ""),
                "yes" if meta.get("delivers") else "no",
                ", ".join(meta.get("rfc", [])), meta.get("file", ""))))
        _table(rows, out)
    delivering = sum(1 for m in chosen if m.get("delivers"))
    out.write("%d of %d scenarios selected%s\n" % (
        len(chosen), listing.found,
        "; %d deliver%s" % (delivering, "s a message" if delivering == 1
                            else " messages") if delivering else ""))
    return 0


def _cli_knows(cli, command):
    """Whether this smtpspec_cli has COMMAND (per its usage text)."""
    try:
        proc = subprocess.run([cli, "--help"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              errors="replace", timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Fatal("cannot run %s: %s" % (cli, e))
    if proc.returncode < 0:
        raise Fatal(binaries.ended("--help", proc.returncode))
    return any(line.split()[:1] == [command]
               for line in proc.stdout.splitlines())


def cmd_passthrough(command, extra, args, root):
    """`lint` and `fmt`: the C++ binary does the work; its exit code is
    ours (0 clean, 1 findings or files to reformat, 2 usage error). Killed
    by a signal, it is one line and exit 2 (not the 250 that SIGABRT's -6
    would become)."""
    cli = binaries.cli()
    if not _cli_knows(cli, command):
        raise Fatal("this build of smtpspec has no '%s' command (rebuild it: "
                    "unset SMTPSPEC_CLI)" % command)
    files = discovery.expand(cli, args.paths, root)
    try:
        status = subprocess.run([cli, command, *extra, *files],
                                cwd=root).returncode
    except OSError as e:
        raise Fatal("cannot run %s: %s" % (cli, e.strerror or e))
    if status not in (0, 1, 2):
        raise Fatal(binaries.ended(command, status))
    return status


def cmd_serve(args, root, out=None):
    """The reference server in the foreground until Ctrl-C (or SIGTERM)."""
    out = out or sys.stdout
    server_args = []
    if args.config:
        if not os.path.isfile(args.config):
            raise Fatal("no such configuration file: %s" % args.config)
        server_args += ["--config", os.path.abspath(args.config)]
    maildir = args.maildir
    if not maildir and not args.config:
        maildir = os.path.join(root, ".smtpspec", "maildir")
    if maildir:
        maildir = os.path.abspath(maildir)
        try:
            os.makedirs(maildir, exist_ok=True)
        except OSError as e:
            raise Fatal("cannot create %s: %s" % (maildir, e.strerror or e))
        server_args += ["--maildir", maildir]
    # No --listen: where the --config file's listen: says, or the
    # reference server's own default (agents/config.h owns it).
    server = ReferenceServer(binaries.server(), server_args,
                             listen=args.listen, quiet=False, echo=out)
    with server:
        where = ("maildir %s (new messages in %s)" %
                 (maildir, os.path.join(maildir, "new")) if maildir
                 else "the sink set in %s" % args.config)
        out.write("smtpspec: reference server listening on %s (pid %d)\n"
                  "smtpspec: messages go to %s\n"
                  "smtpspec: Ctrl-C stops it\n" %
                  (server.address, server.pid, where))
        out.flush()
        status = server.wait()
    if status != 0:
        raise Fatal("the reference server %s" %
                    processes.exit_reason(status))
    return 0
