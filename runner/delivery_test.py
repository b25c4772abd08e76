"""The delivery check (runner/delivery.py): transcripts replayed into the
messages a server should have stored, and stores read back and matched."""

import os

import pytest

from runner import delivery
from runner.stored import split_mbox
from runner.errors import Fatal

RULES = delivery.load_rules(os.getcwd())
EHLO = [("S", "220 mx ready\r\n"), ("C", "EHLO c.example\r\n"),
        ("S", "250-mx\r\n250-CHUNKING\r\n250 PIPELINING\r\n")]
ENVELOPE = [("C", "MAIL FROM:<a@c.example>\r\n"), ("S", "250 ok\r\n"),
            ("C", "RCPT TO:<b@mx.example>\r\n"), ("S", "250 ok\r\n")]


def result(events, verdict="OK", tags=(), mode="server", name="s"):
    return {"scenario": {"id": name, "tags": list(tags)}, "mode": mode,
            "verdict": verdict, "reason": "", "findings": [],
            "transcript": [{"t_ms": 0, "dir": d, "data": data, "step": i}
                           for i, (d, data) in enumerate(events)]}


def data_result(content, end="250 queued\r\n", **kw):
    return result(EHLO + ENVELOPE + [
        ("C", "DATA\r\n"), ("S", "354 go\r\n"), ("C", content),
        ("S", end), ("C", "QUIT\r\n"), ("S", "221 bye\r\n")], **kw)


STUFFED = "Subject: dots\r\n\r\n..hidden\r\n...two\r\n..\r\nend\r\n.\r\n"
UNSTUFFED = b"Subject: dots\r\n\r\n.hidden\r\n..two\r\n.\r\nend\r\n"


def test_data_is_unstuffed_up_to_the_end_of_data():
    sent = delivery.accepted(data_result(STUFFED))
    assert [(s.kind, s.message) for s in sent] == [("DATA", UNSTUFFED)]
    assert sent[0].wire == STUFFED[:-3].encode()
    # The step that took the 250 after the data.
    assert sent[0].step == 10


def test_refused_data_and_refused_message_are_not_accepted():
    assert delivery.accepted(data_result(STUFFED, end="452 full\r\n")) == []
    refused = result(EHLO + ENVELOPE + [
        ("C", "DATA\r\n"), ("S", "554 no\r\n"), ("C", "QUIT\r\n"),
        ("S", "221 bye\r\n")])
    assert delivery.accepted(refused) == []


def test_an_empty_message_and_a_bare_lf_dot_inside_a_line():
    assert delivery.accepted(data_result(".\r\n"))[0].message == b""
    # "\n." is inside a line (RFC 5321: lines end in CRLF): not unstuffed.
    sent = delivery.accepted(data_result("a\n..b\r\n..c\r\n.\r\n"))
    assert sent[0].message == b"a\n..b\r\n.c\r\n"


def test_pipelined_transactions_each_pair_with_their_replies():
    events = EHLO + [
        ("C", "MAIL FROM:<a@c>\r\nRCPT TO:<b@m>\r\nDATA\r\n"),
        ("S", "250 ok\r\n250 ok\r\n354 go\r\n"),
        ("C", "one\r\n.\r\n"), ("S", "250 ok\r\n"),
        ("C", "MAIL FROM:<a@c>\r\nRCPT TO:<x@m>\r\nDATA\r\n"),
        ("S", "250 ok\r\n550 no such user\r\n554 no valid recipients\r\n"),
        ("C", "NOOP\r\n"), ("S", "250 ok\r\n")]
    assert [s.message for s in delivery.accepted(result(events))] == [
        b"one\r\n"]


def test_bdat_chunks_are_octets_and_a_refused_chunk_spoils_the_message():
    events = EHLO + ENVELOPE + [
        ("C", "BDAT 5\r\n..a\r\n"), ("S", "250 5 octets\r\n"),
        ("C", "BDAT 3 LAST\r\nb\r\n"), ("S", "250 ok\r\n")]
    sent = delivery.accepted(result(events))
    assert [(s.kind, s.message) for s in sent] == [("BDAT", b"..a\r\nb\r\n")]
    spoilt = EHLO + ENVELOPE + [
        ("C", "BDAT 5\r\n..a\r\n"), ("S", "552 too big\r\n"),
        ("C", "BDAT 3 LAST\r\nb\r\n"), ("S", "250 ok\r\n")]
    assert delivery.accepted(result(spoilt)) == []


def test_matches_allows_trace_fields_added_headers_and_lf():
    sent = b"Subject: x\nTo: b@m\n\nbody\n.line\n"
    stored = (b"Return-Path: <a@c>\nReceived: from c\nSubject: x\n"
              b"Message-Id: <1@m>\nTo: b@m\n\nbody\n.line\n")
    assert delivery.matches(sent, stored)
    assert not delivery.matches(sent, stored.replace(b".line", b"..line"))
    assert not delivery.matches(sent, stored.replace(b"To: b@m\n", b""))
    assert not delivery.matches(sent, stored + b"\n")
    # Without a header section, the sent message ends the stored one.
    assert delivery.matches(b".a\n", b"Received: x\n\n.a\n")
    assert not delivery.matches(b".a\n", b"Received: x\n\n..a\n")


def test_matches_allows_a_rewritten_field_but_not_a_lost_one():
    sent = b"From: <sender>\nSubject: x\n\nbody\n"
    # Postfix qualifies the address: the field is still there.
    rewritten = b"Received: r\nFrom: <sender@localhost>\nSubject: x\n\nbody\n"
    assert delivery.matches(sent, rewritten)
    assert not delivery.matches(sent, b"Received: r\nSubject: x\n\nbody\n")


def test_matches_a_malformed_header_section_moved_into_the_body():
    # The first line is no header field: a server may put its own header
    # section and a blank line in front; the sent text still ends the message.
    sent = b"not a header\nSubject: x\n\nHello.\n"
    stored = b"Received: r\n\nnot a header\nSubject: x\n\nHello.\n"
    assert delivery.matches(sent, stored)
    assert not delivery.matches(sent, stored.replace(b"Hello.", b"Hullo."))


def test_only_smtp_text_is_checked():
    assert delivery.legal_text(b"a\r\nb\r\n")
    assert not delivery.legal_text(b"a\rb\r\n")
    assert not delivery.legal_text(b"a\nb\r\n")


def test_split_mbox_undoes_from_quoting():
    mbox = (b"From a@c Mon Jan  1 00:00:00 2026\nSubject: 1\n\n>From here\n"
            b"\nFrom a@c Mon Jan  1 00:00:01 2026\nSubject: 2\n\n>>From x\n"
            b"\n")
    assert split_mbox(mbox) == [b"Subject: 1\n\nFrom here\n",
                                         b"Subject: 2\n\n>From x\n"]


def _maildir(top, *names):
    for name in names:
        for sub in ("new", "cur", "tmp"):
            os.makedirs(os.path.join(top, name, sub), exist_ok=True)


def _store(folder, name, data):
    with open(os.path.join(folder, "new", name), "wb") as f:
        f.write(data)


def _checker(spec):
    check = delivery.Checker(spec, RULES, wait=1.0, settle=0.2)
    check.start()
    return check


def _rules(r):
    return [f["rule"] for f in r["findings"]]


def test_maildir_match_and_each_failure(tmp_path):
    top = str(tmp_path)
    _maildir(top, "alice", "postmaster")
    _store(os.path.join(top, "alice"), "0.old", UNSTUFFED)  # before start
    check = _checker(delivery.Spec("maildir", top))
    good = data_result(STUFFED, name="good")
    _store(os.path.join(top, "alice"), "1.a",
           b"Received: from c\r\n" + UNSTUFFED)
    assert check.add(good) == [good]
    # The stuffed dots left in: held, then judged under 4.5.2-unstuffing.
    dotted = data_result(STUFFED, name="dotted")
    _store(os.path.join(top, "postmaster"), "2.b",
           b"Received: from c\r\n" + STUFFED[:-3].encode())
    assert check.add(dotted) == []
    # Another change: 4.5.2-reversible.
    changed = data_result("Subject: c\r\n\r\nhello\r\nworld\r\n.\r\n",
                          name="changed")
    _store(os.path.join(top, "alice"), "3.c",
           b"Received: x\nSubject: c\n\nhello\nWORLD\n")
    assert check.add(changed) == []
    # Not stored at all (the old message does not count).
    lost = data_result(STUFFED, name="lost")
    assert check.add(lost) == []
    out = {r["scenario"]["id"]: r for r in check.finish()}
    assert set(out) == {"dotted", "changed", "lost"}
    assert _rules(out["dotted"]) == ["rfc5321/4.5.2-unstuffing"]
    assert out["dotted"]["verdict"] == "FAILED"
    f = out["dotted"]["findings"][0]
    assert f["kind"] == "delivery" and f["level"] == "MUST"
    assert f["rfc"] == "RFC 5321 4.5.2" and f["step"] == 10
    assert ".hidden" in f["expected"] and "..hidden" in f["observed"]
    assert _rules(out["changed"]) == ["rfc5321/4.5.2-reversible"]
    assert "world" in out["changed"]["findings"][0]["expected"]
    assert "WORLD" in out["changed"]["findings"][0]["observed"]
    assert _rules(out["lost"]) == ["rfc5321/4.1.1.4-reply"]
    assert "answered 250 but the message was not stored" in \
        out["lost"]["findings"][0]["message"]


def test_identical_messages_need_one_stored_message_each(tmp_path):
    top = str(tmp_path)
    _maildir(top, "")
    check = _checker(delivery.Spec("maildir", top))
    one, two = (data_result("Subject: same\r\n\r\nHi\r\n.\r\n", name=n)
                for n in ("one", "two"))
    _store(top, "1", b"Subject: same\n\nHi\n")
    assert check.add(one) == [one]
    assert check.add(two) == []
    # A late delivery (Postfix, Exim): found while finish() waits.
    os.rename(os.path.join(top, "new", "1"), os.path.join(top, "cur",
                                                          "1:2,S"))
    _store(top, "2", b"Subject: same\n\nHi\n")
    assert check.finish() == [two]


def test_mbox_store(tmp_path):
    mbox = tmp_path / "mbox"
    mbox.write_bytes(b"From x Mon Jan  1 00:00:00 2026\nSubject: dots\n\n"
                     b".hidden\n\n")
    check = _checker(delivery.Spec("mbox", str(mbox)))
    with open(mbox, "ab") as f:
        f.write(b"From x Mon Jan  1 00:00:01 2026\n" + UNSTUFFED.replace(
            b"\r\n", b"\n") + b"\n")
    r = data_result(STUFFED)
    assert check.add(r) == [r]
    again = data_result(STUFFED, name="again")
    assert check.add(again) == []
    assert _rules(check.finish()[0]) == ["rfc5321/4.1.1.4-reply"]


def test_command_store(tmp_path):
    stored = tmp_path / "last"
    stored.write_bytes(STUFFED[:-3].encode())
    check = delivery.CommandChecker(
        delivery.Spec("command", "cat '%s'" % stored), RULES)
    r = check.add(data_result(STUFFED))[0]
    assert _rules(r) == ["rfc5321/4.5.2-unstuffing"]
    stored.write_bytes(UNSTUFFED)
    assert check.add(data_result(STUFFED))[0]["verdict"] == "OK"
    broken = delivery.CommandChecker(delivery.Spec("command", "exit 3"),
                                     RULES)
    with pytest.raises(Fatal, match="exited with status 3"):
        broken.add(data_result(STUFFED))


def test_results_without_a_check():
    tagged = data_result(STUFFED, tags=["delivery"])
    assert delivery.inconclusive(tagged)["verdict"] == "INCONCLUSIVE"
    assert delivery.inconclusive(tagged)["reason"] == (
        "what the server stored was not checked (give --delivered "
        "maildir:DIR)")
    for r in (data_result(STUFFED), data_result(STUFFED, tags=["delivery"],
                                                verdict="FAILED"),
              data_result(STUFFED, tags=["delivery"], mode="client")):
        assert delivery.inconclusive(r) == r


def test_skipped_error_and_client_results_are_not_checked(tmp_path):
    check = _checker(delivery.Spec("maildir", str(tmp_path)))
    for r in (data_result(STUFFED, verdict="ERROR"),
              data_result(STUFFED, mode="client")):
        assert check.add(r) == [r]


def test_specs(tmp_path):
    where = str(tmp_path)
    assert delivery.specs_by_target(["maildir:" + where], ["mx"]) == {
        "mx": delivery.Spec("maildir", where)}
    assert delivery.specs_by_target(
        ["b=mbox:%s/m" % where, "a=command:cat x"], ["a", "b"]) == {
        "a": delivery.Spec("command", "cat x"),
        "b": delivery.Spec("mbox", where + "/m")}
    for values, names, message in (
            (["maildir:" + where], ["a", "b"], "2 servers"),
            (["c=maildir:" + where], ["a"], "no server target 'c'"),
            (["maildir:%s/none" % where], ["a"], "no such folder"),
            (["mdir:x"], ["a"], "write maildir:DIR"),
            (["maildir:" + where] * 2, ["a"], "twice")):
        with pytest.raises(Fatal, match=message):
            delivery.specs_by_target(values, names)


def test_the_fallback_rows_are_the_catalogue_s():
    # //rules:tsv is data of this test; the runner reads ROOT/rules.
    assert os.path.isfile(os.path.join("rules", "rfc5321.tsv"))
    for rule_id, fallback in delivery._FALLBACK.items():
        assert RULES[rule_id] == fallback


def test_a_message_placed_first_moves_for_one_that_fits_only_there(tmp_path):
    # A headerless "Hello." matches any stored message ending in it; taken
    # greedily it would take the smaller stored message, the only one the
    # message with a Subject field fits (the pause scenario, CI run of
    # stop 18). The matching moves it.
    top = str(tmp_path)
    _maildir(top, "")
    check = _checker(delivery.Spec("maildir", top))
    bare = data_result("Hello.\r\n.\r\n", name="bare")
    subject = data_result("Subject: slow\r\n\r\nHello.\r\n.\r\n",
                          name="subject")
    _store(top, "1", b"Received: from a-much-longer-client-name.example\n"
           b"\tfor <b@mx.example>; Mon, 7 Dec 2026 10:00:00 +0000\nHello.\n")
    _store(top, "2", b"Received: from c\nSubject: slow\n\nHello.\n")
    assert check.add(bare) == [bare]
    assert check.add(subject) == [subject]
    assert check.finish() == []
    # Both placements are kept: a third "Hello." has nothing left.
    third = data_result("Hello.\r\n.\r\n", name="third")
    assert check.add(third) == []
    assert _rules(check.finish()[0]) == ["rfc5321/4.1.1.4-reply"]
