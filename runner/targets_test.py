"""--target values and the reachability check (runner/targets.py)."""

import socket

import pytest

from runner import targets
from runner.errors import Fatal


def test_address_alone_is_its_own_name():
    assert targets.parse("127.0.0.1:2525") == targets.Target(
        "127.0.0.1:2525", "127.0.0.1:2525", "")


def test_named_target_and_ipv6():
    assert targets.parse("mx1=127.0.0.1:25") == targets.Target(
        "mx1", "127.0.0.1:25", "")
    assert targets.split_address("[::1]:2525") == ("::1", 2525)


@pytest.mark.parametrize("spec", ["localhost", "127.0.0.1:0",
                                  "127.0.0.1:70000", "::1:25",
                                  "bad name=127.0.0.1:25", "=127.0.0.1:25"])
def test_bad_targets_are_usage_errors(spec):
    with pytest.raises(Fatal):
        targets.parse(spec)


def test_a_name_given_twice_is_an_error():
    with pytest.raises(Fatal, match="given twice"):
        targets.parse_all(["a=127.0.0.1:25", "a=127.0.0.1:26"])


def test_reachable_and_unreachable():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        targets.check_reachable(targets.parse("127.0.0.1:%d" % port))
    # The listener is closed: nothing accepts on that port now.
    with pytest.raises(Fatal, match="cannot reach target"):
        targets.check_reachable(targets.parse("dead=127.0.0.1:%d" % port))
