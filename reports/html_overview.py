"""The HTML report's view of every verdict at a glance, above the filters.

When some scenario ran against several targets: the conformance matrix,
scenarios x targets, one badge per cell. Otherwise (one target, or
targets that ran scenarios of their own, such as a server and a client):
a compact grid per target, one small square per scenario coloured by its
verdict, grouped by the scenario's folder (the corpus keeps one folder per
RFC section: rfc5321/4.1.1-commands), like Autobahn's testsuite report.
Both put failures first: matrix rows by their worst result, grid squares
within their group; every cell links to its result.
"""

import collections
import re

from reports import outcome
from reports.html_result import css_class
from reports.html_result import esc


def render(report, ids):
    """The overview section; IDS are the results' element ids."""
    if _shared(report["results"]):
        return _matrix(report, ids)
    return _grid(report, ids)


def _shared(results):
    """Whether some scenario ran against more than one target."""
    targets = collections.defaultdict(set)
    for result in results:
        targets[result["scenario"]["id"]].add(result["target"]["name"])
    return any(len(names) > 1 for names in targets.values())


def _matrix(report, ids):
    targets = [t["name"] for t in report["targets"]]
    strict = report["strict"]
    cells = collections.OrderedDict()
    for i, result in enumerate(report["results"]):
        row = cells.setdefault(result["scenario"]["id"],
                               (result["scenario"], {}))
        row[1][result["target"]["name"]] = (result, ids[i])
    # Failures first: a row sorts by its worst result, rows keep scenario
    # order within a group.
    order = sorted(cells.values(), key=lambda row: min(
        outcome.sort_key(result, strict) for result, _ in row[1].values()))
    head = "".join('<th class="tcol"><span>%s</span></th>' % esc(t)
                   for t in targets)
    rows = []
    for scenario, by_target in order:
        tds = []
        for name in targets:
            if name not in by_target:
                tds.append('<td class="cell none">&ndash;</td>')
                continue
            result, rid = by_target[name]
            label = outcome.label(result)
            tds.append('<td class="cell"><a class="badge v-%s" href="#%s" '
                       'title="%s">%s</a></td>' %
                       (css_class(label), rid, esc(label), esc(label)))
        rows.append('<tr data-results="%s"><th class="sname"><span '
                    'class="sid">%s</span><span class="stitle">%s</span>'
                    '</th><td class="lvl-col">%s</td>%s</tr>' %
                    (" ".join(r for _, r in by_target.values()),
                     esc(scenario["id"]), esc(scenario.get("title", "")),
                     esc(scenario.get("level", "")), "".join(tds)))
    return ('<section id="matrix"><h2>Conformance matrix</h2><div '
            'class="scroll"><table class="matrix"><thead><tr><th>Scenario'
            '</th><th>Level</th>%s</tr></thead><tbody>%s</tbody></table>'
            '</div></section>' % (head, "".join(rows)))


def _natural(text):
    """"rfc5321/4.1.10-x" after "rfc5321/4.1.9-x": numbers by value."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", text) if part]


def _grid(report, ids):
    strict = report["strict"]
    by_target = collections.OrderedDict(
        (t["name"], collections.defaultdict(list)) for t in report["targets"])
    for i, result in enumerate(report["results"]):
        groups = by_target.setdefault(result["target"]["name"],
                                      collections.defaultdict(list))
        groups[outcome.folder(result)].append((result, ids[i]))
    blocks = []
    for name, groups in by_target.items():
        if not groups:
            continue
        rows = []
        for folder in sorted(groups, key=_natural):
            # Failures first within the group, scenario order otherwise.
            members = sorted(groups[folder], key=lambda m: outcome.sort_key(
                m[0], strict))
            cells = "".join(
                '<a class="gc v-%s" href="#%s" title="%s: %s"></a>' %
                (css_class(outcome.label(result)), rid,
                 esc(result["scenario"]["id"]), esc(outcome.label(result)))
                for result, rid in members)
            rows.append('<div class="grow"><span class="gname">%s</span>'
                        '<span class="gcells">%s</span></div>' %
                        (esc(folder), cells))
        count = sum(len(m) for m in groups.values())
        blocks.append('<div class="gtarget"><h3>%s <span class="gcount">%d '
                      'result%s</span></h3>%s</div>' %
                      (esc(name), count, "" if count == 1 else "s",
                       "".join(rows)))
    if not blocks:  # no results: nothing to overview
        return ""
    return ('<section id="overview"><h2>Overview</h2><p class="hint">One '
            'square per result, failures first in each folder; hover for '
            'the scenario, click to open it.</p>%s</section>' %
            "".join(blocks))
