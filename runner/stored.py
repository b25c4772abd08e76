"""What a server stored, read back, and whether it holds what was sent.

The stores of the delivery check (runner/delivery.py): a maildir tree or
an mbox file, read for the messages that appeared since mark(); and the
comparison of a sent message with a stored one, after CRLF -> LF on both
sides (maildirs and mboxes store LF).
"""

import collections
import os
import re

def normalize(data):
    return data.replace(b"\r\n", b"\n")


def split_message(message):
    """(header lines or None, body) of a normalised message."""
    if message.startswith(b"\n"):
        return [], message[1:]
    end = message.find(b"\n\n")
    if end < 0:
        return None, message
    return message[:end].split(b"\n"), message[end + 2:]


_FIELD = re.compile(rb"^([!-9;-~]+):")


def _field_names(lines):
    return {m.group(1).lower() for m in map(_FIELD.match, lines) if m}


def matches(sent, stored):
    """Whether normalised `stored` holds normalised `sent`: the body octet
    for octet at its end (a server adds trace fields in front, and may put
    its own header section before a malformed one), and no header field
    lost. A relay may rewrite a field (Postfix qualifies addresses in From:
    and To:), so fields are compared by name: what is checked is that none
    is lost."""
    headers, body = split_message(sent)
    if headers is None:
        return stored == sent or stored.endswith(b"\n" + sent)
    if body and not (stored == body or stored.endswith(b"\n" + body)):
        return False
    have = _field_names(stored.split(b"\n"))
    return _field_names(headers) <= have


def legal_text(message):
    """Whether `message` is SMTP text: CR and LF only as CRLF (RFC 5321
    2.3.8). What a server stores of other content (a bare CR kept, turned
    into a space or a line break) no rule decides: the wire checks judge
    such messages, the delivery check does not."""
    return (message.count(b"\r") == message.count(b"\r\n") ==
            message.count(b"\n"))


class Store:
    """Messages that appeared in a maildir tree or an mbox since mark()."""

    def __init__(self, spec):
        self.spec = spec
        self._seen = set()
        self._offset = 0
        self._cache = collections.OrderedDict()

    def mark(self):
        if self.spec.kind == "maildir":
            self._seen = set(self._keys())
        elif self.spec.kind == "mbox":
            try:
                self._offset = os.path.getsize(self.spec.where)
            except OSError:
                self._offset = 0

    def _files(self):
        for top, dirs, files in os.walk(self.spec.where):
            if os.path.basename(top) in ("new", "cur"):
                dirs[:] = []
                for name in files:
                    yield os.path.join(top, name), name.split(":", 1)[0]
            elif os.path.basename(top) == "tmp":
                dirs[:] = []

    def _keys(self):
        return [os.path.join(os.path.dirname(os.path.dirname(path)), key)
                for path, key in self._files()]

    def messages(self):
        """{key: normalised message} of what is new since mark()."""
        if self.spec.kind == "mbox":
            return self._mbox()
        for path, key in self._files():
            key = os.path.join(os.path.dirname(os.path.dirname(path)), key)
            if key in self._seen or key in self._cache:
                continue
            try:
                with open(path, "rb") as f:
                    self._cache[key] = normalize(f.read())
            except OSError:
                continue  # moved from new/ to cur/ meanwhile: next time
        return self._cache

    def _mbox(self):
        try:
            with open(self.spec.where, "rb") as f:
                if os.path.getsize(self.spec.where) >= self._offset:
                    f.seek(self._offset)
                data = f.read()
        except OSError:
            return {}
        out = collections.OrderedDict()
        for i, text in enumerate(split_mbox(data)):
            out["mbox:%d" % i] = text
        return out


def split_mbox(data):
    """The messages of an mbox: "From " lines start them, the blank line
    after the last one is the writer's, and ">From " (mboxrd: ">>From ")
    loses one '>'."""
    parts = re.split(rb"(?:^|\n)From [^\n]*\n", normalize(data))[1:]
    if parts and parts[-1].endswith(b"\n\n"):
        parts[-1] = parts[-1][:-1]
    return [re.sub(rb"(?m)^>(>*From )", rb"\1", p) for p in parts]


# Findings.

def similarity(sent, stored):
    lines = [l for l in sent.split(b"\n") if l.strip()]
    if not lines:
        return 0.0
    have = set(stored.split(b"\n"))
    return sum(1 for l in lines if l in have) / float(len(lines))
