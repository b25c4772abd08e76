"""Reading and writing the runner's text files (reports, expectations, run
configuration), each failure one line: a Fatal naming the file."""

import os

from runner.errors import Fatal


def read_text(path, what):
    """The UTF-8 text of `path`; `what` names it in the error ("cannot read
    expectations file x: No such file or directory")."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise Fatal("cannot read %s %s: %s" %
                    (what, path, getattr(e, "strerror", None) or e))


def write_text(path, text):
    """Writes `text` to `path`, making its folder first."""
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise Fatal("cannot write %s: %s" % (path, e.strerror or e))
