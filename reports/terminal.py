"""The terminal report: progress while results stream, then the verdict.

On a TTY the runner gets a progress bar; in CI (CI=true) or when the output
is not a TTY it gets one plain line per result, which reads well in a CI
log. Either way the run ends with every divergence (failures first, then
errors, then the INCONCLUSIVE results with their reasons), one line per
incidental finding (EXPECTED FAILURE or STALE when the expectations file
lists its rule), and a summary whose last line is exactly `N passed, N
failed, N skipped` (then `, N inconclusive` when there are any); errors
count as failed in that line, so a run that could not reach its target
never looks green. With `verbose` each divergence shows its whole
transcript, and each finding the RFC sentence its rule quotes beside the
observed bytes.
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
    "INCONCLUSIVE": "\x1b[34m",
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
    """`N passed, N failed, N skipped`, with errors counted as failed, then
    `, N inconclusive` when any result was inconclusive."""
    line = "%d passed, %d failed, %d skipped" % (
        summary["passed"], summary["failed"] + summary["errors"],
        summary["skipped"])
    if summary.get("inconclusive"):
        line += ", %d inconclusive" % summary["inconclusive"]
    return line


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


def divergence(result, paint=None, radius=3, verbose=False):
    """A divergence as text, its verdict label coloured."""
    paint = paint or _Paint(False)
    if outcome.outcome(result, False) == outcome.INCONCLUSIVE and not verbose:
        lines = divergence_lib.brief(result)
    else:
        lines = divergence_lib.describe(result, radius, verbose=verbose)
    label = outcome.label(result)
    lines[0] = paint(label, label) + lines[0][len(label):]
    return lines


def incidental(report, paint=None, verbose=False):
    """One line per incidental finding, failures first; with `verbose`,
    its citation, observed text, RFC sentence and every scenario."""
    paint = paint or _Paint(False)
    lines = []
    items = sorted(report.get("incidental", []),
                   key=lambda i: outcome.incidental_sort_key(
                       i, report["strict"]))
    for item in items:
        line = divergence_lib.incidental_line(item)
        label = outcome.incidental_label(item)
        lines.append(paint(label, label) + line[len(label):])
        if verbose:
            lines.extend("    " + detail
                         for detail in divergence_lib.incidental_detail(item))
    return lines


_SHOWN = (outcome.FAILED, outcome.ERROR, outcome.INCONCLUSIVE)


def _by_target(report):
    counts = collections.OrderedDict(
        (t["name"], collections.Counter()) for t in report["targets"])
    for result in report["results"]:
        counts.setdefault(result["target"]["name"], collections.Counter())
        counts[result["target"]["name"]][outcome.outcome(
            result, report["strict"])] += 1
    for item in report.get("incidental", []):
        counts.setdefault(item["target"], collections.Counter())
        counts[item["target"]]["incidental " + outcome.incidental_outcome(
            item, report["strict"])] += 1
    return counts


def _target_line(name, counts):
    line = "  %s: %d passed, %d failed, %s, %d skipped" % (
        wire.clean(name), counts[outcome.PASSED], counts[outcome.FAILED],
        _plural(counts[outcome.ERROR], "error"), counts[outcome.SKIPPED])
    if counts[outcome.INCONCLUSIVE]:
        line += ", %d inconclusive" % counts[outcome.INCONCLUSIVE]
    failed = counts["incidental " + outcome.FAILED]
    passed = counts["incidental " + outcome.PASSED]
    if failed or passed:
        line += "; incidental findings: %d passed, %d failed" % (passed,
                                                                 failed)
    return line


def render(report, colour=False, radius=3, verbose=False):
    """The end of the terminal report: every divergence (failures first),
    the INCONCLUSIVE results, the incidental findings, then the summary."""
    paint = _Paint(colour)
    strict = report["strict"]
    lines = []
    shown = [r for r in outcome.failures_first(report["results"], strict)
             if outcome.outcome(r, strict) in _SHOWN]
    for result in shown:
        lines.append("")
        lines.extend(divergence(result, paint, radius, verbose))
    found = incidental(report, paint, verbose)
    if found:
        lines.append("")
        lines.extend(found)
    lines.append("")
    summary = report["summary"]
    items = summary.get("incidental", 0)
    lines.append("smtpspec %s: %s%s against %s in %.1f s%s" %
                 (wire.clean(report.get("smtpspec_version", "")),
                  _plural(summary["total"] - items, "result"),
                  (" and %s" % _plural(items, "incidental finding"))
                  if items else "",
                  _plural(len(report["targets"]), "target"),
                  report.get("duration_ms", 0) / 1000.0,
                  " (strict)" if strict else ""))
    verdicts = collections.Counter(r["verdict"] for r in report["results"])
    if verdicts:
        lines.append("  verdicts: " + ", ".join(
            "%d %s" % (verdicts[v], paint(v, v)) for v in outcome.VERDICTS
            if verdicts[v]))
    kinds = collections.Counter(outcome.incidental_label(i)
                                for i in report.get("incidental", []))
    if kinds:
        lines.append("  incidental findings: " + ", ".join(
            "%d %s" % (kinds[v], paint(v, v)) for v in outcome.ORDER
            if kinds[v]))
    for name, counts in _by_target(report).items():
        lines.append(_target_line(name, counts))
    if summary["expected_failures"] or summary["stale"]:
        stale = ["%s @ %s" % (r["scenario"]["id"], r["target"]["name"])
                 for r in report["results"]
                 if outcome.expectation_status(r) == "stale"]
        stale += ["%s @ %s" % (i["rule"], i["target"])
                  for i in report.get("incidental", [])
                  if outcome.expectation_status(i) == "stale"]
        stale = [wire.clean(s) for s in stale]
        lines.append("  expectations: %s, %d stale%s" %
                     (_plural(summary["expected_failures"],
                              "expected failure"), summary["stale"],
                      (" (remove: %s)" % ", ".join(stale)) if stale else ""))
    # The closing line stays uncoloured: CI log readers match it as text.
    lines.append(summary_line(summary))
    return "\n".join(lines) + "\n"


class Terminal:
    """What the runner feeds results into as they stream.

        term = terminal.Terminal(sys.stdout, total=len(jobs),
                                 strict=args.strict, verbose=args.verbose)
        for result in stream: term.add(result)
        term.finish(report)
    """

    def __init__(self, out=None, total=0, env=None, strict=False,
                 verbose=False, lines=False):
        """`lines`: one plain line per result even on a TTY (a run of no
        known length: `serve --script`)."""
        self._out = out if out is not None else sys.stdout
        self._strict = strict
        env = os.environ if env is None else env
        self._bar = not lines and _isatty(self._out) and not is_ci(env)
        self._paint = _Paint(wants_colour(self._out, env))
        self._total = total
        self._done = 0
        self._failed = 0
        self._verbose = verbose

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
                               verbose=self._verbose))
        self._out.flush()
