"""The probe's HTML page (reports/probe_html.py): the server sections
above `run`'s report of the checks, escaped like the rest, and still one
self-contained page."""

from reports import dom
from reports import fixtures
from reports import probe_html


def probe_report():
    results = [r for r in fixtures.results()
               if r["target"]["name"] == fixtures.results()[0]["target"][
                   "name"]]
    return {
        "schema": "smtpspec.probe/1", "target": "127.0.0.1:2525",
        "started_at": "2026-12-07T16:00:00Z", "duration_ms": 1234.5,
        "ehlo_name": "smtpspec-probe.invalid",
        "greeting": {"code": 220, "lines": ["mx <script>alert(1)</script>"]},
        "ehlo": {"code": 250, "lines": [], "parsed": {
            "code": 250, "domain": "mx.example", "greeting": "hi",
            "keywords": [{"keyword": "SIZE", "params": ["10240000"]},
                         {"keyword": "STARTTLS", "params": []}],
            "problems": [{"offset": 20, "reason": "not an ehlo-line"}]}},
        "size": {"advertised": True, "limit": 10240000},
        "pipelining": {"advertised": True, "replies": [250, 250, 250],
                       "ms": 0.4},
        "starttls": {"version": "TLSv1.3", "cipher": {
            "name": "TLS_AES_256_GCM_SHA384", "bits": 256},
            "versions": {"TLSv1": "refused (alert)", "TLSv1.3": "accepted"},
            "certificate": {"subject": "commonName=mx.example",
                            "issuer": "commonName=CA", "names": ["mx.example"],
                            "not_before": "a", "not_after": "b"},
            "verified": False, "verify_error": "self-signed certificate",
            "ocsp": "not stapled"},
        "tls_checks": [{"check": "starttls-injection", "verdict": "FAILED",
                        "rule": "rfc3207/5-no-plaintext-after",
                        "level": "MUST", "rfc": "RFC 3207 6",
                        "reason": "answered the NOOP: '250 ok'",
                        "sentence": "clients and servers MUST discard"}],
        "timings": {"connect_ms": 1.0, "greeting_ms": 2.0, "ehlo_ms": 3.0},
        "connections": 20, "not_run": [], "results": results,
    }


def test_the_server_sections_come_before_the_summary():
    page = probe_html.render(probe_report())
    assert page.index('id="server"') < page.index('id="summary"')
    root = dom.parse(page)
    text = root.text()
    for heading in ("Greeting", "EHLO capabilities", "Size and pipelining",
                    "STARTTLS", "STARTTLS command injection", "Timings"):
        assert "<h3>%s</h3>" % heading in page, heading
    assert "10240000" in text and "TLS_AES_256_GCM_SHA384" in text
    assert 'class="badge v-failed">FAILED' in page
    assert "rfc3207/5-no-plaintext-after" in page
    # The checks are run's report: one card per result.
    assert page.count('id="r-') >= len(probe_report()["results"])


def test_server_text_is_escaped():
    page = probe_html.render(probe_report())
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page
