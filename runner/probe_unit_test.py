"""The probe's pure parts: addresses, loopback, the budget, and the warning
`run` gives for a target that is not on this machine. No network."""

import argparse
import contextlib
import io
import time

import pytest

from runner import run
from runner.errors import Fatal
from runner.probe_session import Budget, parse_address
from runner.targets import is_loopback
from runner.targets import Target


def test_addresses():
    assert parse_address("mx.example.org") == ("mx.example.org", 25)
    assert parse_address("127.0.0.1:2525") == ("127.0.0.1", 2525)
    assert parse_address("[::1]:587") == ("::1", 587)
    assert parse_address("[::1]") == ("::1", 25)
    for bad in ("127.0.0.1:x", "127.0.0.1:0", ":25", "[::1", "[::1]x"):
        with pytest.raises(Fatal):
            parse_address(bad)


def test_loopback():
    for host in ("127.0.0.1", "127.8.9.10", "::1", "localhost"):
        assert is_loopback(host), host
    for host in ("192.0.2.1", "mx.example.org", "2001:db8::1"):
        assert not is_loopback(host), host


def test_budget_waits_between_connections_and_runs_out():
    budget = Budget(delay=0.05, budget=0.3)
    start = time.monotonic()
    assert budget.before_connection()  # the first: no wait
    assert time.monotonic() - start < 0.04
    assert budget.before_connection()
    assert time.monotonic() - start >= 0.05
    time.sleep(0.3)
    assert not budget.before_connection()
    assert budget.connections == 3


class FakeRun:
    def __init__(self, name, address, delivers):
        self.target = Target(name, address, "")
        self.scenarios = [{"id": "s%d" % i, "delivers": d}
                          for i, d in enumerate(delivers)]


def warning(runs, yes=False):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        run._warn_live(argparse.Namespace(yes=yes), runs)
    return err.getvalue()


def test_run_warns_once_for_targets_off_this_machine():
    runs = [FakeRun("mx", "192.0.2.1:25", [True, False, True]),
            FakeRun("other", "198.51.100.7:25", [False]),
            FakeRun("local", "127.0.0.1:2525", [True])]
    text = warning(runs)
    assert text.count("\n") == 1, text
    assert "mx gets 2 messages" in text and "other gets 0 messages" in text
    assert "local" not in text
    assert warning(runs, yes=True) == ""
    assert warning(runs[2:]) == ""


def test_weak_suites_are_the_ones_rfc_7525_forbids():
    from runner import probe_ciphers
    for name in ("RC4-SHA", "NULL-SHA256", "EXP-RC4-MD5", "ADH-AES128-SHA",
                 "DES-CBC3-SHA", "AECDH-AES256-SHA"):
        assert probe_ciphers.weak(name), name
    for name in ("ECDHE-ECDSA-AES128-GCM-SHA256", "AES256-SHA",
                 "TLS_AES_256_GCM_SHA384", "ECDHE-RSA-CHACHA20-POLY1305"):
        assert not probe_ciphers.weak(name), name
