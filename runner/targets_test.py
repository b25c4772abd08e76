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


def test_named_clients():
    assert targets.parse_client("swaks=swaks --to={mailbox}") == \
        targets.Target("swaks", "", "swaks --to={mailbox}")


@pytest.mark.parametrize("spec", ["swaks --server {host}:{port}",
                                  "msmtp --host={host}", "=true",
                                  "a b=true", "swaks=", "swaks=  "])
def test_bad_clients_are_usage_errors(spec):
    with pytest.raises(Fatal, match="--client"):
        targets.parse_client(spec)


def test_a_name_is_unique_across_servers_and_clients():
    with pytest.raises(Fatal, match="'mx' is given twice"):
        targets.check_names([targets.parse("mx=127.0.0.1:25"),
                             targets.parse_client("mx=true")])


def sides(work):
    return [(t.name, side) for t, side in work]


def test_with_servers_and_clients_each_side_gets_its_scenarios():
    # Which scenario is on which side is smtpspec_cli's (cli/selection.h).
    servers = [targets.parse("mx=127.0.0.1:25")]
    clients = [targets.parse_client("a=true"), targets.parse_client("b=x")]
    assert sides(targets.plan(servers, clients)) == [
        ("mx", "server"), ("a", "client"), ("b", "client")]


def test_with_one_kind_of_target_it_gets_everything():
    assert sides(targets.plan([targets.parse("127.0.0.1:25")], [])) == [
        ("127.0.0.1:25", None)]
    assert sides(targets.plan([], [targets.parse_client("a=true")])) == [
        ("a", None)]
