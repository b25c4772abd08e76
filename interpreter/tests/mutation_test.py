"""Issue 6: the deliberately broken server. Each fault of smtpspec_server
(--faults) switched on alone must make at least one corpus scenario fail,
with a finding citing the right RFC section. The detection rate is printed
(pytest -s shows it; the JUnit output keeps it in system-out)."""

import pytest

import harness

# fault -> the section a finding must cite.
FAULTS = {
    "wrong-codes": "RFC 5321 4.1.1.10",
    "rcpt-before-mail": "RFC 5321 3.3",
    "broken-multiline": "RFC 5321 4.2.1",
    "bare-lf-end": "RFC 5321 4.1.1.4",
    # A stall is a step that never got its reply: the finding is the
    # scenario's own, under its rule, and says so.
    "stall": "no reply from the server",
    "early-close": "RFC 5321 3.8",
    "reject-postmaster": "RFC 5321 4.5.1",
    # 500 to VRFY: "producing a 'command not recognized' error in response
    # to the required subset of these commands is a violation" (4.3.2).
    "no-vrfy": "RFC 5321 4.3.2",
}

detected = {}


def run_corpus(*server_flags):
    with harness.reference_server(*server_flags) as address:
        return harness.run(harness.corpus(), "--target", address,
                           "--timeout", "1s", "--jobs", "8", timeout=600)


def test_corpus_passes_against_the_reference_server():
    code, results, err = run_corpus()
    bad = [(r["scenario"]["id"], r["verdict"], r["reason"])
           for r in results
           if r["verdict"] not in ("OK", "UNIMPLEMENTED", "SKIPPED")]
    assert bad == [], err
    assert code == 0


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_detected_with_its_section(fault, record_property):
    code, results, err = run_corpus("--faults", fault)
    failing = [r for r in results if r["verdict"] in ("FAILED", "ERROR")]
    detected[fault] = len(failing)
    # Kept in the JUnit XML (test.xml) as a property of the test case.
    record_property("caught_by", "%d of %d scenarios"
                    % (len(failing), len(results)))
    assert code == 1, err
    assert failing, "no scenario caught " + fault
    expected = FAULTS[fault]
    if expected.startswith("RFC "):
        assert expected in harness.sections(failing)
    else:
        assert any(expected in f["message"]
                   for r in failing for f in r["findings"])


def test_zz_detection_rate(record_property):
    caught = sum(1 for n in detected.values() if n > 0)
    record_property("detection_rate", "%d of %d faults" % (caught, len(FAULTS)))
    assert caught == len(FAULTS)
