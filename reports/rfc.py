"""RFC citations ("RFC 5321 4.1.4") and links to their sections."""

import collections
import re

# One cited section; `section` is "" when only the RFC is cited.
Ref = collections.namedtuple("Ref", "rfc section")

_RFC = re.compile(r"RFC\s*(\d+)", re.IGNORECASE)
_SECTION = re.compile(r"\d+(?:\.\d+)*")


def parse(citation):
    """All sections a citation names, in order.

    "RFC 5321 4.1.4 / 4.3.2" names two sections of one RFC, and "RFC 3207"
    names the whole RFC. Text that names no RFC gives an empty list.
    """
    refs = []
    matches = list(_RFC.finditer(citation))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(
            citation)
        sections = _SECTION.findall(citation, match.end(), end)
        if not sections:
            refs.append(Ref(int(match.group(1)), ""))
        refs.extend(Ref(int(match.group(1)), s) for s in sections)
    return refs


def url(ref):
    """The rfc-editor.org address of a section (a link, never fetched)."""
    base = "https://www.rfc-editor.org/rfc/rfc%d" % ref.rfc
    if ref.section:
        return base + "#section-" + ref.section
    return base


def label(ref):
    if ref.section:
        return "RFC %d %s" % (ref.rfc, ref.section)
    return "RFC %d" % ref.rfc


def sort_key(citation):
    """Orders citations by RFC number, then section numerically."""
    refs = parse(citation)
    if not refs:
        return (1, (), citation)
    ref = refs[0]
    parts = tuple(int(p) for p in ref.section.split(".") if p)
    return (0, (ref.rfc,) + parts, citation)
