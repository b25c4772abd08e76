"""Wire bytes shown as text a person can read.

Event data carries each byte 0x00-0xFF as the code point U+0000-U+00FF
(docs/results-schema.md). The display must never hide a byte: a bare LF or
an 8-bit byte is often exactly the bug being reported (RFC 5321 2.3.8: lines
end in CRLF; RFC 5321 2.4: commands and replies are 7-bit US-ASCII).
"""

import collections

# One displayed line: `text` is the escaped line without its terminator,
# `ending` is "CRLF", "LF" (a bare LF) or "" (no terminator: the peer
# stopped in the middle of a line, or the event was cut there).
Line = collections.namedtuple("Line", "text ending")

_NAMED = {"\\": "\\\\", "\r": "\\r", "\n": "\\n", "\t": "\\t"}


def tokens(data):
    """(text, escaped) pieces: runs of printable US-ASCII, and escapes.

    Printable US-ASCII stays as is; every other byte becomes \\r, \\n, \\t
    or \\xNN and a backslash is doubled, so the escaped form is
    unambiguous. The HTML report highlights the escaped pieces.
    """
    out = []
    plain = []
    for ch in data:
        code = ord(ch)
        if 0x20 <= code < 0x7F and ch != "\\":
            plain.append(ch)
            continue
        if plain:
            out.append(("".join(plain), False))
            plain = []
        if ch in _NAMED:
            out.append((_NAMED[ch], True))
        elif code <= 0xFF:
            out.append(("\\x%02X" % code, True))
        else:
            # Not a wire byte: the producer broke the encoding. Show it
            # rather than drop it.
            out.append(("\\u%04X" % code, True))
    if plain:
        out.append(("".join(plain), False))
    return out


def escape(data):
    """The data as printable text; see tokens()."""
    return "".join(text for text, _ in tokens(data))


def split_raw(data):
    """(raw, ending) pairs: the data cut at each LF; see Line for ending."""
    lines = []
    start = 0
    while start < len(data):
        end = data.find("\n", start)
        if end < 0:
            lines.append((data[start:], ""))
            break
        if end > start and data[end - 1] == "\r":
            lines.append((data[start:end - 1], "CRLF"))
        else:
            lines.append((data[start:end], "LF"))
        start = end + 1
    return lines


def split_lines(data):
    """Splits event data into Lines at each LF, keeping how each one ended."""
    return [Line(escape(raw), ending) for raw, ending in split_raw(data)]


def display(line):
    """The line as plain text: a CRLF is implied, anything else is shown."""
    if line.ending == "CRLF":
        return line.text
    if line.ending == "LF":
        return line.text + "\\n"
    return line.text + " [no line end]"


def clean(text):
    """Text from a result (titles, messages) with control characters shown.

    Unlike escape(), letters beyond ASCII stay as they are; only C0/C1
    controls and DEL are escaped, so hostile text cannot drive a terminal
    (ESC sequences) or break an XML 1.0 document (which cannot hold most
    control characters at all).
    """
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code < 0xA0:
            out.append(_NAMED.get(ch, "\\x%02X" % code))
        elif 0xD800 <= code < 0xE000 or code in (0xFFFE, 0xFFFF):
            out.append("\\u%04X" % code)
        else:
            out.append(ch)
    return "".join(out)
