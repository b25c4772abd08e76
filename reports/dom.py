"""A small DOM for tests, built with the standard library's HTML parser.

Tests read the HTML report (and Chromium's dump of it after the script
ran) through this, the way a browser would see it: text is unescaped, and
a <script> inside text would show up as an element.
"""

import html.parser

from reports import html_pack

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
         "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []  # Nodes and strings

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        out = []
        for child in self.children:
            out.append(child if isinstance(child, str) else child.text())
        return "".join(out)

    def find_all(self, tag=None, cls=None, **attrs):
        """Every descendant with this tag, class and attribute values."""
        found = []
        for child in self.children:
            if isinstance(child, str):
                continue
            if ((tag is None or child.tag == tag) and
                    (cls is None or cls in child.classes()) and
                    all(child.attrs.get(k.replace("_", "-")) == v
                        for k, v in attrs.items())):
                found.append(child)
            found.extend(child.find_all(tag, cls, **attrs))
        return found

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def hidden(self):
        """Whether this node or an ancestor has the `hidden` attribute."""
        node = self
        while node is not None:
            if "hidden" in node.attrs:
                return True
            node = node.parent
        return False


class _Builder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [])
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(text):
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def parse_report(page):
    """The HTML report as its script shows it once every card was opened:
    each packed body (reports/html_pack.py) parsed into its card."""
    root = parse(page)
    bodies = html_pack.unpack(page)
    for card in root.find_all("details", cls="result"):
        body = card.find("div", cls="rbody")
        if body is None or "data-packed" not in body.attrs:
            continue
        filled = parse('<div class="rbody">%s</div>' % bodies[card.attrs[
            "id"]]).find("div")
        filled.parent = card
        for child in filled.children:
            if isinstance(child, Node):
                child.parent = filled
        card.children[card.children.index(body)] = filled
    return root
