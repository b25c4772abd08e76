#!/usr/bin/env python3
"""Issue 6 benchmark: the corpus against the reference server on loopback,
beside the round-trip bound measured in the same run.

The bound: a scenario needs at least one loopback round trip to connect and
one per reply it waits for, plus the sleeps it asks for. bench/pingpong measures the round
trip with SMTP-sized lines; the bound on scenarios/s is then
    scenarios / sum(round_trips * rtt + sleeps).
Goal (issue 6): the harness reaches at least 50% of the bound, sequentially.

Usage: bench/interpreter_bench.py [SCENARIO_DIR ...]   (default: scenarios)
"""

import json
import os
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = ["//cli:smtpspec_cli", "//agents/server:smtpspec_server",
           "//bench:pingpong"]


def build():
    subprocess.run(["bazel", "build", "-c", "opt", "--symlink_prefix=/",
                    *TARGETS], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = subprocess.run(["bazel", "info", "-c", "opt", "bazel-bin"],
                         cwd=ROOT, check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    return out.stdout.strip()


def duration_seconds(text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m)", text.strip())
    if not m:
        return 0.0
    value = float(m.group(1))
    return value / 1000 if m.group(2) == "ms" else (
        value * 60 if m.group(2) == "m" else value)


def cost(scenario):
    """(round trips, seconds of sleep) a scenario needs at the least: one
    round trip for the TCP handshake, one per reply waited for."""
    round_trips = 1
    sleep = 0.0
    for line in scenario["text"].splitlines():
        if line.startswith("S:") and not re.match(r"S: \S{3}-", line):
            round_trips += 1
        elif line.startswith("!sleep "):
            sleep += duration_seconds(line[len("!sleep "):])
    return round_trips, sleep


def start_server(binary):
    config = os.path.join(ROOT, "scenarios", "reference-target.yaml")
    proc = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--discard",
                             "--config", config],
                            stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    words = proc.stdout.readline().split()
    if not words or words[0] != "listening":
        proc.kill()
        sys.exit("interpreter_bench: the reference server did not start")
    return proc, words[1]


def run_corpus(cli, address, files, jobs):
    started = time.monotonic()
    out = subprocess.run([cli, "run", "--target", address, "--jobs",
                          str(jobs), "--timeout", "5s", *files],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True)
    elapsed = time.monotonic() - started
    results = [json.loads(line) for line in out.stdout.splitlines()]
    return elapsed, results


def main(argv):
    dirs = argv or [os.path.join(ROOT, "scenarios")]
    bin_dir = build()
    cli = os.path.join(bin_dir, "cli", "smtpspec_cli")
    listed = subprocess.run([cli, "list", *dirs], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    scenarios = [json.loads(line) for line in listed.stdout.splitlines()]
    # Server scenarios only: client scenarios need a client under test.
    # A file without an id is an include fragment, which run never plays.
    scenarios = [s for s in scenarios
                 if s["tests"] != "client" and s.get("id")]
    files = [s["file"] for s in scenarios]
    round_trips = sum(cost(s)[0] for s in scenarios)
    sleeps = sum(cost(s)[1] for s in scenarios)

    ping = subprocess.run([os.path.join(bin_dir, "bench", "pingpong"),
                           "20000"], stdout=subprocess.PIPE, text=True,
                          check=True).stdout
    rtt = float(re.search(r"mean_round_trip_us ([\d.]+)", ping).group(1))
    bound_seconds = round_trips * rtt / 1e6 + sleeps
    bound = len(scenarios) / bound_seconds

    server, address = start_server(os.path.join(bin_dir, "agents", "server",
                                                "smtpspec_server"))
    # Sleeps dominate the bound where scenarios sleep; the scenarios without
    # !sleep show the harness's own overhead against pure round trips.
    quick = [s for s in scenarios if cost(s)[1] == 0]
    quick_bound = len(quick) / (sum(cost(s)[0] for s in quick) * rtt / 1e6)
    try:
        seq_time, seq_results = run_corpus(cli, address, files, 1)
        par_time, _ = run_corpus(cli, address, files, 8)
        quick_time, _ = run_corpus(cli, address, [s["file"] for s in quick], 1)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    verdicts = {}
    for r in seq_results:
        verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1

    seq_rate = len(scenarios) / seq_time
    print("corpus: %d server scenarios, %d replies waited for, %.2f s of "
          "!sleep; verdicts %s" % (len(scenarios), round_trips, sleeps,
                                   verdicts))
    print("loopback ping-pong (anchor): %.1f us per round trip, %.0f round "
          "trips/s" % (rtt, 1e6 / rtt))
    print()
    print("%-34s %12s" % ("", "scenarios/s"))
    print("%-34s %12.1f" % ("bound from round trips (anchor)", bound))
    print("%-34s %12.1f" % ("smtpspec, --jobs 1", seq_rate))
    print("%-34s %12.1f" % ("smtpspec, --jobs 8", len(scenarios) / par_time))
    print("%-34s %12.1f" % ("bound, %d scenarios without !sleep" % len(quick),
                            quick_bound))
    print("%-34s %12.1f" % ("smtpspec on those, --jobs 1",
                            len(quick) / quick_time))
    print()
    for label, rate, limit in [
            ("whole corpus", seq_rate, bound),
            ("without !sleep", len(quick) / quick_time, quick_bound)]:
        ratio = rate / limit
        print("ratio --jobs 1 / bound, %-15s %.2f (goal >= 0.50: %s)"
              % (label + ":", ratio, "met" if ratio >= 0.5 else "MISSED"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
