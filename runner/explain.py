"""`smtpspec explain ID`: what a scenario checks, where the RFC says so,
and its transcript."""

import sys

from reports import rfc
from reports import wire
from runner import binaries
from runner import discovery
from runner import suggest
from runner.errors import Fatal


def find(scenarios, scenario_id):
    """The metadata with this id; raises Fatal naming the closest ids."""
    for meta in scenarios:
        if meta["id"] == scenario_id:
            return meta
    hint = suggest.did_you_mean(scenario_id, [m["id"] for m in scenarios],
                                n=3)
    raise Fatal("no scenario has the id '%s'%s" % (scenario_id, hint))


def transcript(text):
    """The lines after the front matter (which render() shows parsed)."""
    lines = text.rstrip("\n").split("\n")
    if lines and lines[0].strip() == "---" and "---" in [
            l.strip() for l in lines[1:]]:
        end = [l.strip() for l in lines[1:]].index("---") + 1
        lines = lines[end + 1:]
    return lines


def render(meta):
    """The explanation as text."""
    lines = ["%s: %s" % (meta["id"], meta.get("title", ""))]
    if meta.get("description"):
        lines += ["", meta["description"].strip()]
    lines.append("")
    for label, key in (("file", "file"), ("level", "level"),
                       ("tests", "tests")):
        lines.append("%-9s %s" % (label + ":", meta.get(key, "")))
    if "delivers" in meta:
        # What a live target would receive (parser/delivers.h decides).
        lines.append("%-9s %s" % ("delivers:", "yes: it completes a mail "
                                  "transaction" if meta["delivers"] else
                                  "no"))
    for label, key in (("tags", "tags"), ("requires", "requires")):
        if meta.get(key):
            lines.append("%-9s %s" % (label + ":", ", ".join(meta[key])))
    variables = meta.get("vars") or []
    if variables:
        pairs = (variables.items() if isinstance(variables, dict) else
                 ((v.get("name", ""), v.get("value", "")) if
                  isinstance(v, dict) else (str(v), "") for v in variables))
        lines.append("%-9s %s" % ("vars:", ", ".join(
            "%s=%s" % (k, v) if v != "" else k for k, v in pairs)))
    lines += ["", "RFC text:"]
    for citation in meta.get("rfc", []):
        refs = rfc.parse(citation)
        links = ", ".join(rfc.url(r) for r in refs) or "(no RFC number)"
        lines.append("  %s  %s" % (citation, links))
    lines += ["", "Transcript:"]
    lines += ["  " + line for line in transcript(meta.get("text", ""))]
    return "\n".join(wire.clean(line) for line in lines) + "\n"


def cmd_explain(args, root, out=None):
    out = out or sys.stdout
    cli = binaries.cli()
    scenarios = discovery.list_metadata(
        cli, discovery.expand(cli, args.paths, root), root).scenarios
    out.write(render(find(scenarios, args.scenario_id)))
    return 0
