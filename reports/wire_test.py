"""Tests for wire-byte display and RFC citations."""

from reports import rfc
from reports import wire


def test_escape_keeps_printable_ascii_and_shows_every_other_byte():
    # RFC 5321 2.4: commands and replies are US-ASCII; any other byte must
    # be visible in a report, and unambiguously so.
    assert wire.escape("MAIL FROM:<a@b>") == "MAIL FROM:<a@b>"
    assert wire.escape("Caf\u00e9\x00\x1b\t\\") == "Caf\\xE9\\x00\\x1B\\t\\\\"


def test_escape_is_unambiguous():
    # A literal backslash-n in the data differs from a real LF.
    assert wire.escape("\\n") != wire.escape("\n")


def test_tokens_mark_the_escaped_pieces():
    assert wire.tokens("ab\u00ffc") == [("ab", False), ("\\xFF", True),
                                         ("c", False)]


def test_split_lines_keeps_how_each_line_ended():
    # RFC 5321 2.3.8: lines end in CRLF; a bare LF and a missing end are
    # exactly what a report has to show.
    lines = wire.split_lines("250-a\r\n250 b\n221")
    assert lines == [wire.Line("250-a", "CRLF"), wire.Line("250 b", "LF"),
                     wire.Line("221", "")]
    assert [wire.display(line) for line in lines] == [
        "250-a", "250 b\\n", "221 [no line end]"]


def test_split_lines_of_a_lone_crlf_and_of_nothing():
    assert wire.split_lines("\r\n") == [wire.Line("", "CRLF")]
    assert wire.split_lines("") == []
    assert wire.split_lines("\r") == [wire.Line("\\r", "")]


def _unescape(text):
    out = []
    i = 0
    named = {"r": "\r", "n": "\n", "t": "\t", "\\": "\\"}
    while i < len(text):
        if text[i] != "\\":
            out.append(text[i])
            i += 1
        elif text[i + 1] == "x":
            out.append(chr(int(text[i + 2:i + 4], 16)))
            i += 4
        else:
            out.append(named[text[i + 1]])
            i += 2
    return "".join(out)


def test_every_byte_survives_display():
    # Lossless: the escaped text gives back every byte 0x00-0xFF.
    data = "".join(chr(b) for b in range(256)) * 2
    assert _unescape(wire.escape(data)) == data
    shown = wire.escape(data)
    assert all(0x20 <= ord(c) < 0x7F for c in shown)


def test_clean_escapes_controls_but_keeps_letters():
    assert wire.clean("caf\u00e9 \u2713") == "caf\u00e9 \u2713"
    assert wire.clean("a\x1b[31mb\x00\x85") == "a\\x1B[31mb\\x00\\x85"


def test_rfc_parse_and_links():
    refs = rfc.parse("RFC 5321 4.1.4 / 4.3.2")
    assert refs == [rfc.Ref(5321, "4.1.4"), rfc.Ref(5321, "4.3.2")]
    assert rfc.url(refs[0]) == (
        "https://www.rfc-editor.org/rfc/rfc5321#section-4.1.4")
    assert rfc.parse("RFC 3207") == [rfc.Ref(3207, "")]
    assert rfc.url(rfc.Ref(3207, "")) == (
        "https://www.rfc-editor.org/rfc/rfc3207")
    assert rfc.parse("RFC 5321 2.3.8, RFC 3207 4") == [
        rfc.Ref(5321, "2.3.8"), rfc.Ref(3207, "4")]
    assert rfc.parse("no citation") == []


def test_rfc_sort_key_orders_sections_numerically():
    cites = ["RFC 5321 4.10", "RFC 5321 4.2", "RFC 3207 4", "RFC 5321 4.1.4"]
    assert sorted(cites, key=rfc.sort_key) == [
        "RFC 3207 4", "RFC 5321 4.1.4", "RFC 5321 4.2", "RFC 5321 4.10"]
