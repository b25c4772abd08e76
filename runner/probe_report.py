"""The terminal report of `smtpspec probe` (smtpspec.probe/1)."""

from reports import wire
from reports.probe_html import cipher_list

SECTIONS = [("greeting", "Greeting"), ("ehlo", "EHLO"),
            ("helo", "HELO fallback"),
            ("minimum", "Minimum implementation (RFC 5321 4.5.1)"),
            ("size", "Size limit (RFC 1870)"),
            ("smuggling", "SMTP smuggling (--deliver)"), ("other", "Other")]


def _c(text):
    return wire.clean(str(text))


def _checks(report, section, w):
    for c in report["checks"]:
        if c["section"] != section:
            continue
        w("  %-13s %s  (%s, %s)" % (c["verdict"], _c(c["title"]), c["level"],
                                    c["id"]))
        if c["verdict"] not in ("OK",) and c["reason"]:
            w("                %s" % _c(c["reason"]))
        for f in c["findings"]:
            w("                %s %s: %s" % (f["level"], _c(f["rfc"]),
                                             _c(f["message"])))


def _tls(title, tls, w):
    w("")
    w(title)
    if tls.get("error"):
        w("  handshake failed: %s" % _c(tls["error"]))
        return
    w("  %s, %s (%s bits), handshake %s ms" % (
        tls.get("version"), (tls.get("cipher") or {}).get("name"),
        (tls.get("cipher") or {}).get("bits"), tls.get("handshake_ms")))
    ciphers = tls.get("ciphers") or {}
    for version, what in (tls.get("versions") or {}).items():
        w("  %-8s %s" % (version, _c(what)))
        suites = ciphers.get(version)
        if suites:
            w("           %s" % _c(cipher_list(suites)))
    cert = tls.get("certificate") or {}
    if cert:
        w("  certificate: %s" % _c(cert.get("subject")))
        w("    issuer: %s" % _c(cert.get("issuer")))
        w("    valid: %s to %s%s" % (
            cert.get("not_before"), cert.get("not_after"),
            " (EXPIRED)" if cert.get("expired") else
            " (%s day%s left)" % (cert["days_left"],
                                  "" if cert["days_left"] == 1 else "s")
            if "days_left" in cert else ""))
        if cert.get("names"):
            w("    names: %s" % _c(", ".join(cert["names"])))
    if "verified" in tls:
        w("  chain verifies: %s%s" % (
            "yes" if tls["verified"] else "no",
            "" if tls["verified"] else " (%s)" % _c(tls.get("verify_error"))))
    if tls.get("name_matches") is not None:
        w("  host name matches: %s" % ("yes" if tls["name_matches"] else "no"))
    for i, c in enumerate(tls.get("chain") or []):
        w("  chain %d: %s" % (i, _c(c.get("subject"))))
    if tls.get("ocsp"):
        w("  OCSP: %s" % tls["ocsp"])


def render(report, out):
    def w(line=""):
        out.write(line + "\n")

    w("smtpspec probe %s  (EHLO %s)" % (report["target"],
                                        report["ehlo_name"]))
    g = report.get("greeting", {})
    w("")
    w("Greeting")
    w("  %s %s" % (g.get("code"), _c(" / ".join(g.get("lines", [])))))
    _checks(report, "greeting", w)
    w("")
    w("EHLO")
    ehlo = report.get("ehlo", {})
    parsed = ehlo.get("parsed") or {}
    if ehlo.get("code") == 250:
        w(("  %s %s" % (_c(parsed.get("domain", "")),
                        _c(parsed.get("greeting", "")))).rstrip())
        for k in parsed.get("keywords", []):
            w(("  %-20s %s" % (_c(k["keyword"]),
                               _c(" ".join(k["params"])))).rstrip())
        for p in parsed.get("problems", []):
            w("  grammar (RFC 5321 4.1.1.1), octet %d: %s" % (
                p["offset"], _c(p["reason"])))
    else:
        w("  refused: %s %s" % (ehlo.get("code"),
                                _c(" ".join(ehlo.get("lines", [])))))
        helo = report.get("helo_fallback") or {}
        w("  HELO fallback: %s %s" % (helo.get("code"),
                                      _c(" ".join(helo.get("lines", [])))))
    _checks(report, "ehlo", w)
    for key, title in SECTIONS[2:]:
        if key == "size":
            w("")
            w(title)
            size = report.get("size", {})
            w("  %s" % ("SIZE %s" % size.get("limit")
                        if size.get("advertised") else "no SIZE advertised"))
            _checks(report, key, w)
            continue
        if any(c["section"] == key for c in report["checks"]):
            w("")
            w(title)
            _checks(report, key, w)
    p = report.get("pipelining")
    if p:
        w("")
        w("Pipelining (RFC 2920)")
        w("  advertised: %s" % ("yes" if p["advertised"] else "no"))
        if p.get("error"):
            w("  three NOOPs in one write: %s" % _c(p["error"]))
        else:
            w("  three NOOPs in one write: replies %s in %s ms" % (
                " ".join(map(str, p["replies"])), p["ms"]))
    if report.get("starttls"):
        _tls("STARTTLS (RFC 3207)", report["starttls"], w)
    elif report.get("starttls") is None:
        w("")
        w("STARTTLS (RFC 3207)")
        w("  not advertised")
    for c in report.get("tls_checks", []):
        w("  %-13s STARTTLS command injection (%s %s, %s)" % (
            c["verdict"], c["level"], c["rfc"], c["rule"]))
        w("                %s" % _c(c.get("reason", "")))
    if report.get("implicit_tls"):
        _tls("Implicit TLS", report["implicit_tls"], w)
    t = report.get("timings", {})
    w("")
    w("Timings")
    w("  connect %s ms, greeting %s ms, EHLO %s ms; %d connections in %.1f s"
      % (t.get("connect_ms"), t.get("greeting_ms"), t.get("ehlo_ms"),
         report["connections"], report["duration_ms"] / 1000))
    if report.get("not_run"):
        w("  not run (time budget spent): %s" % ", ".join(report["not_run"]))
    w("")
    counts = report["summary"]
    w("%s; nothing was delivered%s" % (
        ", ".join("%d %s" % (n, v) for v, n in sorted(counts.items()))
        or "no checks", "" if not report["settings"]["deliver"]
        else " but by the --deliver checks"))
