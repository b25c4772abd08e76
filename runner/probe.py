"""`smtpspec probe HOST[:PORT]`: what a live server is and how it fares,
safe by default.

It never completes a mail transaction: its own connections send no MAIL,
RCPT or DATA, and the conformance checks are corpus scenarios that
deliver nothing (`smtpspec_cli run --delivers no`: the parser knows from
the steps, parser/delivers.h), run one at a time with a delay between
connections, within a time budget, with `${mailbox}` set to postmaster
and `${unknown_mailbox}` to a mailbox that does not exist, the only
recipients they name. Their verdicts are the engine's: the same rules,
levels and INCONCLUSIVE as `run`. `--deliver` adds scenarios that
complete DATA (the smuggling checks), after a confirmation.
"""

import json
import subprocess
import sys
import time

from reports import probe_html
from runner import binaries
from runner import delivery
from runner import discovery
from runner import files as files_lib
from runner import probe_ciphers
from runner import probe_report
from runner import probe_tls
from runner.errors import Fatal
from runner import targets
from runner.probe_session import (Budget, ProbeError, Session, address_text,
                                  parse_address)
from runner.run import TargetRun

DEFAULT_EHLO = "smtpspec-probe.invalid"

# (section, scenario id): the checks, in the order shown.
CHECKS = [
    ("greeting", "rfc5321.4.2.greeting-220"),
    ("ehlo", "rfc5321.4.5.1.ehlo"),
    ("ehlo", "rfc5321.4.2.1.ehlo-multiline-reply"),
    ("helo", "rfc5321.4.5.1.helo"),
    ("minimum", "rfc5321.4.5.1.noop"),
    ("minimum", "rfc5321.4.5.1.rset"),
    ("minimum", "rfc5321.4.5.1.vrfy"),
    ("minimum", "rfc5321.4.1.1.8.help-without-argument"),
    ("minimum", "rfc5321.4.2.4.unknown-command-500"),
    ("minimum", "rfc5321.4.1.4.rcpt-without-mail"),
    ("minimum", "rfc5321.4.1.4.data-without-rcpt"),
    ("minimum", "rfc5321.4.5.1.postmaster-at-domain"),
    ("minimum", "rfc5321.3.3.unknown-recipient-550"),
    ("minimum", "rfc5321.4.5.3.1.4.command-line-512"),
    ("minimum", "rfc5321.4.5.1.quit"),
    ("size", "rfc1870.6.1.mail-size-over-limit"),
]
# With --deliver: scenarios that complete DATA.
DELIVERING = [("smuggling", "rfc5321.4.1.1.4.smuggling-*")]


HELP = ("what a live server offers and how it fares, delivering nothing "
        "(docs/user-guide.md)")


def add_arguments(p):
    """The probe's flags on its subcommand's parser (runner/main.py)."""
    p.add_argument("address", metavar="HOST[:PORT]",
                   help="the server (port 25 unless given)")
    p.add_argument("--delay", type=float, default=1.0, metavar="SECONDS",
                   help="pause between connections (default 1)")
    p.add_argument("--budget", type=float, default=300.0, metavar="SECONDS",
                   help="stop starting checks after this long (default 300)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                   help="each reply's timeout (default 10)")
    p.add_argument("--ehlo-name", default=DEFAULT_EHLO, metavar="NAME",
                   help="the name given in EHLO and HELO (default %s)" %
                   DEFAULT_EHLO)
    p.add_argument("--domain", metavar="DOMAIN",
                   help="the server's mail domain, for postmaster@DOMAIN "
                   "(default: the name in its EHLO reply)")
    p.add_argument("--server-name", metavar="NAME",
                   help="TLS server name (default: HOST if a name)")
    p.add_argument("--ca", metavar="FILE",
                   help="CA certificates to verify the certificate with")
    p.add_argument("--implicit-tls", nargs="?", const=465, type=int,
                   metavar="PORT", help="also probe implicit TLS (port 465 "
                   "unless given)")
    p.add_argument("--no-ciphers", dest="ciphers", action="store_false",
                   help="do not list the accepted cipher suites (that costs "
                   "one handshake per suite, plus one, per TLS version)")
    p.add_argument("--json", metavar="FILE", help="write the report as JSON")
    p.add_argument("--html", metavar="FILE",
                   help="write the report as a self-contained HTML page")
    p.add_argument("--deliver", action="store_true",
                   help="also run the checks that complete DATA (they "
                   "deliver messages); asks first")
    p.add_argument("--yes", action="store_true",
                   help="with --deliver: do not ask (needed without a TTY)")
    return p


def _tls(probe, args, implicit):
    """The TLS details, with the accepted suites unless --no-ciphers."""
    details = probe_tls.details(probe, implicit=implicit)
    if args.ciphers and details.get("versions"):
        details["ciphers"] = probe_ciphers.enumerate_suites(
            probe, implicit, details["versions"])
    return details


class Probe:
    """The probe's settings and the helpers its parts share."""

    def __init__(self, args):
        self.host, self.port = parse_address(args.address)
        if args.delay < 0 or args.budget <= 0 or args.timeout <= 0:
            raise Fatal("--delay must be 0 or more, --budget and --timeout "
                        "more than 0")
        self.address = address_text(self.host, self.port)
        self.timeout = args.timeout
        self.ehlo_name = args.ehlo_name
        self.budget = Budget(args.delay, args.budget)
        self.ca = args.ca
        self.implicit_port = args.implicit_tls
        name = args.server_name
        # A name is the TLS server name; an address or localhost is not.
        if not name and not (targets.is_ip(self.host) or
                             targets.is_loopback(self.host)):
            name = self.host
        self.server_name = name

    def tls_address(self, implicit):
        return (self.host, self.implicit_port if implicit else self.port)

    def greet(self, session):
        """Greeting and EHLO (HELO if EHLO is refused)."""
        code, lines, _ = session.greeting()
        if code != 220:
            raise ProbeError("greeting %d %s" % (code, " ".join(lines)))
        code, lines, raw = session.command("EHLO " + self.ehlo_name,
                                           "ehlo_ms")
        if code != 250:
            code, lines, raw = session.command("HELO " + self.ehlo_name)
        return code, lines, raw


def _confirm(args, probe, out):
    if not args.deliver or args.yes:
        return
    if not sys.stdin.isatty():
        raise Fatal("--deliver sends messages to %s; without a terminal to "
                    "ask on, add --yes" % probe.address)
    out.write("smtpspec: --deliver completes DATA: %s will receive messages "
              "(to postmaster). Go on? [y/N] " % probe.address)
    out.flush()
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        raise Fatal("not confirmed; nothing was sent")


def _ehlo_parsed(cli, raw):
    """The engine's reading of an EHLO reply (smtpspec_cli ehlo)."""
    try:
        proc = subprocess.run([cli, "ehlo"], input=raw, capture_output=True,
                              timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Fatal("cannot run %s: %s" % (cli, e))
    if proc.returncode != 0:
        return {"error": proc.stderr.decode("utf-8", "replace").strip()}
    return json.loads(proc.stdout)


def _first_contact(probe, cli):
    """Greeting, banner, EHLO (or the HELO fallback), its capabilities."""
    out = {}
    session = Session(probe.host, probe.port, probe.timeout)
    try:
        code, lines, _ = session.greeting()
        out["greeting"] = {"code": code, "lines": lines}
        code, lines, raw = session.command("EHLO " + probe.ehlo_name,
                                           "ehlo_ms")
        out["ehlo"] = {"code": code, "lines": lines}
        if code == 250:
            out["ehlo"]["parsed"] = _ehlo_parsed(cli, raw)
        else:
            code, lines, _ = session.command("HELO " + probe.ehlo_name,
                                             "helo_ms")
            out["helo_fallback"] = {"code": code, "lines": lines}
        out["timings"] = dict(session.timings)
    finally:
        session.quit()
    return out


def _keywords(contact):
    parsed = contact.get("ehlo", {}).get("parsed", {})
    return {k["keyword"]: k["params"] for k in parsed.get("keywords", [])}


def _pipelining(probe, advertised):
    """Three NOOPs in one write: how many replies, in how long."""
    out = {"advertised": advertised}
    session = Session(probe.host, probe.port, probe.timeout)
    try:
        probe.greet(session)
        start = time.monotonic()
        session.send("NOOP\r\nNOOP\r\nNOOP\r\n")
        codes = []
        for _ in range(3):
            codes.append(session.read_reply()[0])
        out["replies"] = codes
        out["ms"] = round((time.monotonic() - start) * 1000, 1)
    except ProbeError as e:
        out["error"] = str(e)
    finally:
        session.quit()
    return out


def _scenario_args(probe, args, domain, ids, deliver):
    mailbox = "postmaster@" + domain
    out = ["--target", probe.address, "--target-name", probe.address,
           "--jobs", "1", "--timeout", "%gs" % probe.timeout,
           "--var", "client_domain=" + probe.ehlo_name,
           "--var", "sender=smtpspec-probe@" + probe.ehlo_name,
           "--var", "domain=" + domain, "--var", "mailbox=" + mailbox,
           "--var", "unknown_mailbox=smtpspec-probe-no-such-user@" + domain]
    for id_ in ids:
        out += ["--id", id_]
    if not deliver:
        out += ["--delivers", "no"]
    return out + ["--one-by-one", "--metadata", "--hold"]


def _scenarios(probe, args, root, cli, domain):
    """Each check's result, one connection at a time; the ones the budget
    left out."""
    checks = CHECKS + (DELIVERING if args.deliver else [])
    files = discovery.expand(cli, [], root)
    run = TargetRun(cli, root, None, _scenario_args(
        probe, args, domain, [i for _, i in checks], args.deliver) + files,
        step=True)
    results, skipped = [], []
    try:
        run.start()
        planned = [m["id"] for m in run.scenarios]
        if not probe.budget.before_connection():
            return [], planned
        run.go()
        for result in run.results():
            results.append(delivery.inconclusive(result))
            if len(results) < len(planned) and \
                    not probe.budget.before_connection():
                skipped = planned[len(results):]
                break
    finally:
        run.close()
    return results, skipped


def execute(args, root, out=None, command=()):
    out = out or sys.stdout
    probe = Probe(args)
    _confirm(args, probe, out)
    cli = binaries.cli()
    started, clock = probe_tls.now(), time.monotonic()
    report = {"schema": "smtpspec.probe/1", "target": probe.address,
              "command": list(command),
              "started_at": started, "ehlo_name": probe.ehlo_name,
              "settings": {"delay_s": args.delay, "budget_s": args.budget,
                           "timeout_s": args.timeout,
                           "deliver": bool(args.deliver)}}
    probe.budget.before_connection()
    try:
        contact = _first_contact(probe, cli)
    except ProbeError as e:
        raise Fatal("cannot probe %s: %s" % (probe.address, e))
    report.update(contact)
    keywords = _keywords(contact)
    domain = args.domain or contact.get("ehlo", {}).get(
        "parsed", {}).get("domain") or probe.host
    report["domain"] = domain
    size = keywords.get("SIZE")
    report["size"] = {"advertised": size is not None,
                      "limit": int(size[0]) if size and size[0].isdigit()
                      else None}
    if probe.budget.before_connection():
        report["pipelining"] = _pipelining(probe, "PIPELINING" in keywords)
    results, skipped = _scenarios(probe, args, root, cli, domain)
    sections = dict((i, s) for s, i in CHECKS + DELIVERING)
    order = {i: n for n, (_, i) in enumerate(CHECKS + DELIVERING)}
    report["checks"] = sorted(
        (_check_json(r, sections) for r in results),
        key=lambda c: order.get(c["id"], len(order)))
    report["not_run"] = skipped
    rules = delivery.load_rules(root)
    tls_checks = []
    if "STARTTLS" in keywords:
        report["starttls"] = _tls(probe, args, implicit=False)
        if probe.budget.before_connection():
            tls_checks.append(probe_tls.injection(probe, rules))
    else:
        report["starttls"] = None
    if probe.implicit_port and probe.budget.before_connection():
        report["implicit_tls"] = _tls(probe, args, implicit=True)
    report["tls_checks"] = tls_checks
    report["connections"] = probe.budget.connections
    report["duration_ms"] = round((time.monotonic() - clock) * 1000, 1)
    report["results"] = results
    report["summary"] = _summary(report)
    if args.json:
        files_lib.write_text(args.json, json.dumps(report, indent=1) + "\n")
    if args.html:
        files_lib.write_text(args.html, probe_html.render(report))
    probe_report.render(report, out)
    return 1 if report["summary"].get("FAILED") else 0


def _check_json(result, sections):
    sid = result["scenario"]["id"]
    section = sections.get(sid) or next(
        (s for i, s in sections.items() if i.endswith("*") and
         sid.startswith(i[:-1])), "other")
    return {"section": section, "id": sid,
            "title": result["scenario"]["title"],
            "level": result["scenario"]["level"],
            "verdict": result["verdict"], "reason": result["reason"],
            "findings": [{"rule": f.get("rule", ""), "level": f.get("level"),
                          "rfc": f.get("rfc", ""), "message":
                          f.get("message", "")}
                         for f in result.get("findings", [])],
            "duration_ms": result.get("duration_ms")}


def _summary(report):
    counts = {}
    for c in report["checks"] + report["tls_checks"]:
        counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
    return counts


__all__ = ["HELP", "add_arguments", "execute"]
