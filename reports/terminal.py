"""The terminal report: progress while results stream, then the verdict.

On a TTY the runner gets a progress bar; in CI (CI=true) or when the output
is not a TTY it gets one plain line per result, which reads well in a CI
log. Either way the run ends with the first divergences and a summary
whose last line is exactly `N passed, N failed, N skipped`; errors count as
failed in that line, so a run that could not reach its target never looks
green.
"""

import collections
import os
import shutil
import sys

from reports import divergence as divergence_lib
from reports import outcome
from reports import wire

_RESET = "\x1b[0m"
_COLOURS = {
    "OK": "\x1b[32m", "NON-STRICT": "\x1b[33m", "UNIMPLEMENTED": "\x1b[36m",
    "EXPECTED FAILURE": "\x1b[35m", "STALE": "\x1b[33m",
    "FAILED": "\x1b[1;31m", "SKIPPED": "\x1b[2m", "ERROR": "\x1b[1;35m",
}
_LABEL_WIDTH = len("EXPECTED FAILURE")


def is_ci(env):
    return env.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def wants_colour(out, env):
    """Colour only on a TTY, never in CI, and never when NO_COLOR is set
    (https://no-color.org: any non-empty value)."""
    return _isatty(out) and not is_ci(env) and not env.get("NO_COLOR")


def _isatty(out):
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def summary_line(summary):
    """`N passed, N failed, N skipped`, with errors counted as failed."""
    return "%d passed, %d failed, %d skipped" % (
        summary["passed"], summary["failed"] + summary["errors"],
        summary["skipped"])


class _Paint:
    def __init__(self, colour):
        self.colour = colour

    def __call__(self, text, label):
        if not self.colour or label not in _COLOURS:
            return text
        return _COLOURS[label] + text + _RESET


def _name(result):
    return wire.clean("%s @ %s" % (result["scenario"]["id"],
                                   result["target"]["name"]))


def _plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def result_line(result, paint=None):
    """One plain line per result: label, scenario @ target, duration."""
    paint = paint or _Paint(False)
    label = outcome.label(result)
    return "%s %s  (%s ms)" % (paint(label.ljust(_LABEL_WIDTH), label),
                               _name(result),
                               _ms(result.get("duration_ms", 0)))


def _ms(value):
    return ("%.1f" % value) if value < 100 else ("%d" % round(value))


def divergence(result, paint=None, radius=3):
    """A divergence as text, its verdict label coloured."""
    paint = paint or _Paint(False)
    lines = divergence_lib.describe(result, radius)
    label = outcome.label(result)
    lines[0] = paint(label, label) + lines[0][len(label):]
    return lines


def _by_target(report):
    counts = collections.OrderedDict(
        (t["name"], collections.Counter()) for t in report["targets"])
    for result in report["results"]:
        counts.setdefault(result["target"]["name"], collections.Counter())
        counts[result["target"]["name"]][outcome.outcome(
            result, report["strict"])] += 1
    return counts


def render(report, colour=False, max_divergences=5, radius=3):
    """The end of the terminal report: divergences, then the summary."""
    paint = _Paint(colour)
    strict = report["strict"]
    lines = []
    bad = [r for r in report["results"]
           if outcome.outcome(r, strict) in (outcome.FAILED, outcome.ERROR)]
    for result in bad[:max_divergences]:
        lines.append("")
        lines.extend(divergence(result, paint, radius))
    if len(bad) > max_divergences:
        lines.append("")
        lines.append("... and %d more %s: see the HTML or JSON report." %
                     (len(bad) - max_divergences, "divergence"
                      if len(bad) - max_divergences == 1 else "divergences"))
    lines.append("")
    summary = report["summary"]
    lines.append("smtpspec %s: %s against %s in %.1f s%s" %
                 (wire.clean(report.get("smtpspec_version", "")),
                  _plural(summary["total"], "result"),
                  _plural(len(report["targets"]), "target"),
                  report.get("duration_ms", 0) / 1000.0,
                  " (strict)" if strict else ""))
    verdicts = collections.Counter(r["verdict"] for r in report["results"])
    if verdicts:
        lines.append("  verdicts: " + ", ".join(
            "%d %s" % (verdicts[v], paint(v, v)) for v in outcome.VERDICTS
            if verdicts[v]))
    for name, counts in _by_target(report).items():
        lines.append("  %s: %d passed, %d failed, %s, %d skipped" %
                     (wire.clean(name), counts[outcome.PASSED],
                      counts[outcome.FAILED],
                      _plural(counts[outcome.ERROR], "error"),
                      counts[outcome.SKIPPED]))
    if summary["expected_failures"] or summary["stale"]:
        stale = ["%s @ %s" % (r["scenario"]["id"], r["target"]["name"])
                 for r in report["results"]
                 if outcome.expectation_status(r) == "stale"]
        lines.append("  expectations: %s, %d stale%s" %
                     (_plural(summary["expected_failures"],
                              "expected failure"), summary["stale"],
                      (" (remove: %s)" % ", ".join(stale)) if stale else ""))
    # The closing line stays uncoloured: CI log readers match it as text.
    lines.append(summary_line(summary))
    return "\n".join(lines) + "\n"


class Terminal:
    """What the runner feeds results into as they stream.

        term = terminal.Terminal(sys.stdout, total=len(jobs))
        for result in stream: term.add(result)
        term.finish(report)
    """

    def __init__(self, out=None, total=0, env=None, max_divergences=5,
                 strict=False):
        self._out = out if out is not None else sys.stdout
        self._strict = strict
        env = os.environ if env is None else env
        self._bar = _isatty(self._out) and not is_ci(env)
        self._paint = _Paint(wants_colour(self._out, env))
        self._total = total
        self._done = 0
        self._failed = 0
        self._max = max_divergences

    @property
    def progress_bar(self):
        """True on a TTY outside CI; plain lines otherwise."""
        return self._bar

    def add(self, result):
        self._done += 1
        if outcome.outcome(result, self._strict) in (outcome.FAILED,
                                                     outcome.ERROR):
            self._failed += 1
        if self._bar:
            self._out.write("\r\x1b[K" + self._bar_text(result))
        else:
            self._out.write(result_line(result, self._paint) + "\n")
        self._out.flush()

    def _bar_text(self, result):
        width = shutil.get_terminal_size((80, 24)).columns
        total = max(self._total, self._done)
        counter = "%d/%d" % (self._done, total)
        failed = (" %d failing" % self._failed) if self._failed else ""
        room = max(10, min(40, width - len(counter) - len(failed) - 30))
        filled = room * self._done // total if total else room
        bar = "#" * filled + "-" * (room - filled)
        name = _name(result)
        tail = max(0, width - room - len(counter) - len(failed) - 6)
        return "[%s] %s%s %s" % (bar, counter, self._paint(failed, "FAILED"),
                                 name[:tail])

    def finish(self, report):
        if self._bar:
            self._out.write("\r\x1b[K")
        self._out.write(render(report, colour=self._paint.colour,
                               max_divergences=self._max))
        self._out.flush()
