#!/usr/bin/env python3
"""Reference server benchmark (issue 5). Not a timed test: it prints
figures and ratios side by side, in one run.

Postfix's smtp-source (tools/peers/postfix-tools.sh) drives, one after the
other, our server (built -c opt, sink = discard) and Postfix's smtp-sink:
1 KB messages, one session at a time, then 20 concurrent sessions. It
prints msgs/s for both and the ratio (goal >= 1.0x smtp-sink), our figure
with the fsynced maildir sink, callgrind instructions per session for both
(goal: ours at most half of smtp-sink's), and our RSS with 10,000 idle
connections open (goal < 100 MB).

    python3 bench/server_bench.py [--messages 1000] [--rounds 3]
        [--bazel-output-base DIR | --server-binary PATH]

Only 127.0.0.1 is used. Every process started is stopped by its PID.
"""

import argparse
import contextlib
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "tools", "peers", "postfix-tools.sh")


def bazel(args, output_base):
    cmd = ["bazel"] + ([f"--output_base={output_base}"] if output_base else [])
    return subprocess.run(cmd + args, cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()


def build_server(output_base):
    bazel(["build", "-c", "opt", "//agents/server:smtpspec_server"],
          output_base)
    bin_dir = bazel(["info", "-c", "opt", "bazel-bin"], output_base)
    return os.path.join(bin_dir, "agents", "server", "smtpspec_server")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early ({proc.returncode})")
        with contextlib.suppress(OSError), socket.create_connection(
                ("127.0.0.1", port), timeout=1) as s:
            s.recv(512)  # the greeting: the server really is up
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def stop(proc, sig=signal.SIGTERM, timeout=60):
    if proc.poll() is None:
        os.kill(proc.pid, sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


@contextlib.contextmanager
def running(cmd, port):
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, proc)
        yield proc
    finally:
        stop(proc)


def ours(binary, port, *sink):
    return [binary, "--listen", f"127.0.0.1:{port}", *sink, "--set",
            "limits.connections=20000"]


def postfix_dir():
    """Where postfix-tools.sh unpacked Debian's postfix."""
    return subprocess.run([PEERS], check=True, capture_output=True,
                          text=True).stdout.strip()


def smtp_sink(port):
    # Run directly (not through the wrapper script) so that callgrind sees
    # smtp-sink itself. Backlog 256; as root it must drop privileges (-u).
    return [os.path.join(postfix_dir(), "usr", "sbin", "smtp-sink"), "-u",
            "nobody", f"127.0.0.1:{port}", "256"]


def source(port, sessions, messages):
    """smtp-source: `messages` 1 KB messages, `sessions` at once, one
    message per session; returns msgs/s."""
    start = time.monotonic()
    subprocess.run([PEERS, "smtp-source", "-s", str(sessions), "-m",
                    str(messages), "-l", "1024", "-f", "a@example.org", "-t",
                    "b@example.org", f"127.0.0.1:{port}"], check=True,
                   stdout=subprocess.DEVNULL)
    return messages / (time.monotonic() - start)


def cpu_seconds(pid):
    """User + system CPU time the process has used."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(commands, messages, rounds):
    """msgs/s for each server command in `commands` (functions of the
    port), one session at a time and 20 at once, and the server's own CPU
    time per message. The servers run side by side and are driven in turn,
    `rounds` times; the best round counts, so that load from elsewhere on
    the machine hurts neither side more."""
    ports = [free_port() for _ in commands]
    best = [[0.0, 0.0, 0.0] for _ in commands]
    with contextlib.ExitStack() as stack:
        procs = []
        for command, port in zip(commands, ports):
            procs.append(stack.enter_context(running(command(port), port)))
            source(port, 1, 50)  # warm up
        for _ in range(rounds):
            for i, port in enumerate(ports):
                cpu = cpu_seconds(procs[i].pid)
                best[i][0] = max(best[i][0], source(port, 1, messages))
                best[i][1] = max(best[i][1], source(port, 20, messages))
                used = (cpu_seconds(procs[i].pid) - cpu) / (2 * messages)
                best[i][2] = used if not best[i][2] else min(best[i][2], used)
    return best


def callgrind_total(cmd_for_port, sessions, tmp):
    """Instructions (Ir) the server executes for `sessions` sequential
    1 KB sessions, start-up included."""
    port = free_port()
    out = os.path.join(tmp, f"callgrind.{port}")
    # smtp-sink drops privileges to nobody before valgrind writes the file.
    os.chmod(tmp, 0o777)
    with open(out, "w"):
        pass
    os.chmod(out, 0o666)
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"
           ] + cmd_for_port(port)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, proc, timeout=120)
        if sessions:
            source(port, 1, sessions)
    finally:
        stop(proc, timeout=120)
    with open(out) as f:
        for line in f:
            m = re.match(r"(?:summary|totals):\s+(\d+)", line)
            if m:
                return int(m.group(1))
    raise RuntimeError(f"no totals in {out}")


def per_session(cmd_for_port, sessions, tmp):
    base = callgrind_total(cmd_for_port, 0, tmp)
    loaded = callgrind_total(cmd_for_port, sessions, tmp)
    return (loaded - base) / sessions


def idle_rss(binary, connections):
    """VmRSS (kB) of our server holding `connections` idle connections."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # ulimit -n
    port = free_port()
    socks = []
    with running(ours(binary, port, "--discard"), port) as proc:
        for _ in range(connections):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.connect(("127.0.0.1", port))
            socks.append(s)
        fd_dir = f"/proc/{proc.pid}/fd"
        deadline = time.monotonic() + 60
        while (len(os.listdir(fd_dir)) < connections and
               time.monotonic() < deadline):
            time.sleep(0.2)
        time.sleep(1)
        with open(f"/proc/{proc.pid}/status") as f:
            rss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
        accepted = len(os.listdir(fd_dir))
        for s in socks:
            s.close()
    return rss, accepted


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--callgrind-sessions", type=int, default=100)
    parser.add_argument("--idle", type=int, default=10000)
    parser.add_argument("--server-binary", help="skip the Bazel build")
    parser.add_argument("--bazel-output-base")
    args = parser.parse_args()
    for tool in ("valgrind",):
        if not shutil.which(tool):
            sys.exit(f"server_bench: {tool} missing: run tools/setup.sh")
    binary = args.server_binary or build_server(args.bazel_output_base)
    os.environ["LD_LIBRARY_PATH"] = os.path.join(postfix_dir(), "usr", "lib",
                                                 "postfix")
    n = args.messages
    r = args.rounds
    print(f"smtp-source, {n} messages of 1 KB, one session per message, "
          f"best of {r} rounds")
    with tempfile.TemporaryDirectory() as md:
        (ours_seq, ours_par, ours_cpu), (sink_seq, sink_par, sink_cpu), (
            md_seq, md_par, md_cpu) = throughput(
                [lambda p: ours(binary, p, "--discard"), smtp_sink,
                 lambda p: ours(binary, p, "--maildir", md)], n, r)
    print(f"{'':28}{'1 session':>14}{'20 sessions':>14}{'server CPU/msg':>17}")
    print(f"{'ours (discard)':28}{ours_seq:>10.0f} m/s{ours_par:>10.0f} m/s"
          f"{ours_cpu * 1e6:>14.0f} us")
    print(f"{'postfix smtp-sink':28}{sink_seq:>10.0f} m/s{sink_par:>10.0f} m/s"
          f"{sink_cpu * 1e6:>14.0f} us")
    print(f"{'ratio ours/smtp-sink':28}{ours_seq / sink_seq:>13.2f}x"
          f"{ours_par / sink_par:>13.2f}x   (goal >= 1.0x)")
    print(f"{'ours (maildir, fsync)':28}{md_seq:>10.0f} m/s{md_par:>10.0f} m/s"
          f"{md_cpu * 1e6:>14.0f} us")

    k = args.callgrind_sessions
    with tempfile.TemporaryDirectory() as tmp:
        ours_ir = per_session(lambda p: ours(binary, p, "--discard"), k, tmp)
        sink_ir = per_session(smtp_sink, k, tmp)
    print(f"\ncallgrind, instructions per session ({k} sequential sessions, "
          "start-up subtracted)")
    print(f"{'ours (discard)':28}{ours_ir:>14,.0f}")
    print(f"{'postfix smtp-sink':28}{sink_ir:>14,.0f}")
    print(f"{'ratio ours/smtp-sink':28}{ours_ir / sink_ir:>13.2f}x"
          "   (goal <= 0.50x)")

    rss, fds = idle_rss(binary, args.idle)
    print(f"\nRSS with {args.idle} idle connections: {rss / 1024:.1f} MB "
          f"({fds} fds open in the server; goal < 100 MB)")


if __name__ == "__main__":
    main()
