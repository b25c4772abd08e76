"""The HTML page of `smtpspec probe` (smtpspec.probe/1): the server's
sections (greeting, EHLO capabilities, size, pipelining, TLS, the
STARTTLS injection check, timings) above the checks, which are the run
report of the probe's scenarios, rendered as `run`'s report is
(reports/html.py)."""

from reports import html
from reports import json_report
from reports.html_result import css_class
from reports.html_result import esc


def cipher_list(suites):
    """One TLS version's accepted suites in a line, for this page and the
    terminal's (runner/probe_report.py)."""
    text = "%d suite%s%s: %s" % (
        len(suites["accepted"]), "" if len(suites["accepted"]) == 1 else "s",
        ", in the order the server chose them" if len(suites["accepted"]) > 1
        else "", ", ".join(suites["accepted"]) or "none")
    if suites.get("weak"):
        text += " (weak, RFC 7525 4.1: %s)" % ", ".join(suites["weak"])
    if suites.get("note"):
        text += " (%s)" % suites["note"]
    return text


def _table(title, rows):
    body = "".join('<tr><th>%s</th><td>%s</td></tr>' % (esc(k), v)
                   for k, v in rows)
    return ('<h3>%s</h3><table class="targets"><tbody>%s</tbody></table>' %
            (esc(title), body))


def _reply(reply):
    reply = reply or {}
    return "<code>%s %s</code>" % (esc(reply.get("code", "")), esc(
        " / ".join(reply.get("lines", []))))


def _badge(verdict):
    return '<span class="badge v-%s">%s</span>' % (css_class(verdict),
                                                 esc(verdict))


def _tls(title, tls):
    if tls.get("error"):
        return _table(title, [("handshake", esc(tls["error"]))])
    cipher = tls.get("cipher") or {}
    cert = tls.get("certificate") or {}
    rows = [("version", esc(tls.get("version", ""))),
            ("cipher", esc("%s (%s bits)" % (cipher.get("name"),
                                             cipher.get("bits"))))]
    ciphers = tls.get("ciphers") or {}
    for v, what in (tls.get("versions") or {}).items():
        rows.append((v, esc(what)))
        if ciphers.get(v):
            rows.append((v + " suites", esc(cipher_list(ciphers[v]))))
    rows += [("certificate", esc(cert.get("subject", ""))),
             ("issuer", esc(cert.get("issuer", ""))),
             ("valid", esc("%s to %s%s" % (
                 cert.get("not_before", ""), cert.get("not_after", ""),
                 " (expired)" if cert.get("expired") else ""))),
             ("names", esc(", ".join(cert.get("names", []))))]
    if "verified" in tls:
        rows.append(("chain verifies", esc("yes" if tls["verified"] else
                                           "no: %s" % tls.get("verify_error"))))
    if tls.get("name_matches") is not None:
        rows.append(("host name matches",
                     "yes" if tls["name_matches"] else "no"))
    for i, c in enumerate(tls.get("chain") or []):
        rows.append(("chain %d" % i, esc(c.get("subject", ""))))
    if tls.get("ocsp"):
        rows.append(("OCSP", esc(tls["ocsp"])))
    return _table(title, rows)


def server_sections(probe):
    parsed = (probe.get("ehlo") or {}).get("parsed") or {}
    parts = [_table("Greeting", [("banner", _reply(probe.get("greeting")))])]
    if parsed:
        rows = [("name", esc("%s %s" % (parsed.get("domain", ""),
                                        parsed.get("greeting", ""))))]
        rows += [(k["keyword"], "<code>%s</code>" % esc(" ".join(k["params"])))
                 for k in parsed.get("keywords", [])]
        rows += [("grammar, octet %d" % p["offset"], esc(p["reason"]))
                 for p in parsed.get("problems", [])]
        parts.append(_table("EHLO capabilities", rows))
    else:
        parts.append(_table("EHLO", [
            ("EHLO", _reply(probe.get("ehlo"))),
            ("HELO fallback", _reply(probe.get("helo_fallback")))]))
    size = probe.get("size") or {}
    pipe = probe.get("pipelining") or {}
    parts.append(_table("Size and pipelining", [
        ("SIZE", esc(size.get("limit") if size.get("advertised")
                     else "not advertised")),
        ("PIPELINING", "advertised" if pipe.get("advertised")
         else "not advertised"),
        ("three NOOPs in one write", esc(pipe.get("error") or "replies %s in "
                                         "%s ms" % (pipe.get("replies"),
                                                    pipe.get("ms"))))]))
    if probe.get("starttls"):
        parts.append(_tls("STARTTLS", probe["starttls"]))
    for c in probe.get("tls_checks", []):
        parts.append(_table("STARTTLS command injection", [
            ("verdict", _badge(c["verdict"])),
            ("rule", esc("%s %s (%s)" % (c["level"], c["rfc"], c["rule"]))),
            ("observed", esc(c.get("reason", ""))),
            ("rule text", esc(c.get("sentence", "")))]))
    if probe.get("implicit_tls"):
        parts.append(_tls("Implicit TLS", probe["implicit_tls"]))
    t = probe.get("timings") or {}
    parts.append(_table("Timings", [
        ("connect", esc("%s ms" % t.get("connect_ms"))),
        ("greeting", esc("%s ms" % t.get("greeting_ms"))),
        ("EHLO", esc("%s ms" % t.get("ehlo_ms"))),
        ("connections", esc(probe.get("connections"))),
        ("not run (budget)", esc(", ".join(probe.get("not_run", []))
                                 or "none"))]))
    return ('<section id="server"><h2>Server %s</h2>%s</section>' %
            (esc(probe["target"]), "".join(parts)))


def render(probe):
    """The whole page for a probe report."""
    run = json_report.build(
        probe.get("results", []),
        targets=[{"name": probe["target"], "address": probe["target"],
                  "tls": "none"}],
        command=probe.get("command", []), strict=False,
        started_at=probe.get("started_at", ""),
        duration_ms=probe.get("duration_ms", 0.0))
    return html.render(run, preface=server_sections(probe))
