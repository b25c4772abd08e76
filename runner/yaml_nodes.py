"""A YAML file read as nodes, so that every error names its place.

PyYAML (Debian's python3-yaml) composes the file into nodes that keep
where they start; the readers here turn them into plain values, and any
surprise into a Fatal of one line:

    smtpspec.yaml:4:14: targets[0].tls: 'startls' is not one of none,
    starttls, implicit; did you mean 'starttls'?

Only the safe subset is read: mappings, lists and scalars (no tags of
YAML's own beyond the standard ones, nothing constructed). Aliases are
followed, but each reader takes scalars where it wants scalars, so an
alias bomb fails on its first node instead of being expanded.
"""

import collections
import os

from runner import suggest
from runner.errors import Fatal

try:
    import yaml
except ImportError:  # every command but reading a run configuration works
    yaml = None

# A file larger than this is no configuration.
MAX_BYTES = 1 << 20

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
# Scalars whose text is taken as written where a string is wanted: `port:
# 25`, `jobs: 4` (never `yes` or `~`, which YAML reads as true and null).
_TEXT_TAGS = (_STR, _INT, _FLOAT)


def _kind(node):
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _BOOL:
        return "true or false"
    if node.tag == "tag:yaml.org,2002:null":
        return "empty"
    return "'%s'" % node.value


class File:
    """One YAML file: `root` is its top node (None when it is empty)."""

    def __init__(self, path, text):
        if yaml is None:
            raise Fatal("%s: reading a run configuration needs PyYAML: "
                        "install python3-yaml (tools/setup.sh)" % path)
        self.filename = path
        self.base = os.path.dirname(os.path.abspath(path))
        if len(text.encode("utf-8", "replace")) > MAX_BYTES:
            raise Fatal("%s: larger than %d bytes: not a configuration" %
                        (path, MAX_BYTES))
        try:
            self.root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            reason = " ".join(p for p in (e.context, e.problem) if p)
            raise Fatal("%s:%d:%d: %s" % (path, mark.line + 1,
                                          mark.column + 1, reason))
        except yaml.YAMLError as e:
            raise Fatal("%s: %s" % (path, " ".join(str(e).split())))

    def where(self, node):
        mark = node.start_mark
        return "%s:%d:%d" % (self.filename, mark.line + 1, mark.column + 1)

    def error(self, node, key, message):
        """The Fatal for `key` (a dotted path, "targets[0].tls") at node."""
        return Fatal("%s: %s: %s" % (self.where(node), key, message))

    def pairs(self, node, key):
        """{name: (key node, value node)} of a mapping, each name once."""
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, key or "the file", "write a mapping "
                             "(key: value), not %s" % _kind(node))
        out = collections.OrderedDict()
        for name_node, value in node.value:
            name = self.text(name_node, key or "key")
            if name in out:
                raise self.error(name_node, self.key(key, name), "given "
                                 "twice (first at %s)" %
                                 self.where(out[name][0]))
            out[name] = (name_node, value)
        return out

    def mapping(self, node, key, keys):
        """pairs() of a mapping whose names must be among `keys`."""
        out = self.pairs(node, key)
        for name, (name_node, _) in out.items():
            if name not in keys:
                raise self.error(name_node, self.key(key, name),
                                 "unknown key%s (keys: %s)" % (
                                     suggest.did_you_mean(name, keys),
                                     ", ".join(keys)))
        return out

    @staticmethod
    def key(parent, name):
        """The dotted path of `name` inside `parent` ("" is the top)."""
        return "%s.%s" % (parent, name) if parent else name

    def text(self, node, key, what="a string"):
        """A scalar as written: a string, or a number taken as text."""
        if isinstance(node, yaml.ScalarNode) and node.tag in _TEXT_TAGS:
            return node.value
        raise self.error(node, key, "write %s, not %s%s" % (
            what, _kind(node), " (quote it)" if isinstance(
                node, yaml.ScalarNode) and node.value else ""))

    def texts(self, node, key):
        """One string or a list of them, as a list."""
        if isinstance(node, yaml.SequenceNode):
            return [self.text(item, "%s[%d]" % (key, i))
                    for i, item in enumerate(node.value)]
        return [self.text(node, key)]

    def items(self, node, key):
        """The nodes of a list."""
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, key, "write a list (- ...), not %s" %
                             _kind(node))
        return node.value

    def boolean(self, node, key):
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
            return yaml.constructor.SafeConstructor().construct_yaml_bool(
                node)
        raise self.error(node, key, "write true or false, not %s" %
                         _kind(node))

    def _from_here(self, path):
        """`path` (relative to this file's folder) as the current folder
        sees it: relative inside it, else absolute."""
        full = os.path.join(self.base, os.path.expanduser(path))
        shown = os.path.relpath(full)
        return full if shown.startswith("..") else shown

    def path(self, node, key):
        """A file or folder name, relative to this file's folder."""
        return self._from_here(self.text(node, key))

    def paths(self, node, key):
        return [self._from_here(p) for p in self.texts(node, key)]

    def choice(self, node, key, choices):
        value = self.text(node, key)
        if value not in choices:
            raise self.error(node, key, "'%s' is not one of %s%s" % (
                value, ", ".join(choices),
                suggest.did_you_mean(value, choices)))
        return value
