"""The bodies of the HTML report's closed cards, packed into the page.

A corpus run repeats itself: every scenario greets, says EHLO and gets the
same capabilities, so most of a report is the same transcript lines over
and over. The bodies of the cards that start closed (everything but
failures and errors) are therefore one JSON object, {element id: HTML},
gzip-compressed and base64-encoded into a <template> (never rendered, and
no script to run). The page's script unpacks it with the browser's
DecompressionStream (Chromium 80, Firefox 113, Safari 16.4) when a card is
first opened, and sets that card's body.

The HTML is made by html_result.body(), escaping and all, exactly as for a
body written into the page; the pack is only a way to carry it. Without
script, closed cards say where their details are (html_result.PACKED),
while summary, overview and the failed and error results read in full.
"""

import base64
import gzip
import json

ELEMENT_ID = "packed"


def pack(bodies):
    """The <template> carrying BODIES ({element id: HTML}); "" for none.

    The same bodies give the same bytes (no time stamp in the gzip
    header), so a report can be compared with an earlier one."""
    if not bodies:
        return ""
    # ASCII JSON: a stray surrogate from a broken producer cannot make
    # the bytes invalid UTF-8.
    data = json.dumps(bodies, separators=(",", ":"), sort_keys=True)
    blob = gzip.compress(data.encode("ascii"), compresslevel=9, mtime=0)
    return '<template id="%s">%s</template>' % (
        ELEMENT_ID, base64.b64encode(blob).decode("ascii"))


def unpack(page):
    """The bodies packed into PAGE (the HTML text), for tests and tools;
    {} when it has none."""
    start = page.find('<template id="%s">' % ELEMENT_ID)
    if start < 0:
        return {}
    start = page.index(">", start) + 1
    blob = base64.b64decode(page[start:page.index("</template>", start)])
    return json.loads(gzip.decompress(blob).decode("ascii"))
