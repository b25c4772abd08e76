"""GitHub Actions annotations and the job summary, from the fixtures."""

from reports import fixtures
from reports import github


def test_annotations_worst_first_with_file_and_line():
    lines = github.annotations(fixtures.report())
    kinds = [line.split(" ", 1)[0] for line in lines]
    assert kinds == sorted(kinds, key=["::error", "::warning",
                                       "::notice"].index)
    quit_closes = [l for l in lines if "quit-closes @ legacy-mta" in l]
    assert quit_closes == [quit_closes[0]]
    assert quit_closes[0].startswith(
        "::error file=scenarios/rfc5321/quit-closes.smtp,line=7,"
        "title=FAILED quit-closes @ legacy-mta::MUST RFC 5321")
    # NON-STRICT and INCONCLUSIVE are visible, as warnings.
    assert any(l.startswith("::warning") and "NON-STRICT ehlo-multiline" in l
               for l in lines)
    assert any(l.startswith("::warning") and "INCONCLUSIVE rcpt-unknown" in l
               for l in lines)
    # An expected failure is a notice; what passed is not annotated.
    assert any(l.startswith("::notice") and "rcpt-before-mail" in l
               for l in lines)
    assert not any("@ reference::" in l and "postmaster" in l for l in lines)


def test_messages_and_properties_are_escaped():
    line = github._command("error", "50% done\nnext", "a,b:c.smtp", 3,
                           "t: x, y")
    assert line == ("::error file=a%2Cb%3Ac.smtp,line=3,title=t%3A x%2C y"
                    "::50%25 done%0Anext")


def test_summary_counts_each_target_and_lists_divergences():
    text = github.summary(fixtures.report())
    assert text.startswith("## smtpspec\n")
    rows = [l for l in text.splitlines() if l.startswith("| legacy-mta |")]
    assert len(rows) == 1
    assert "| FAILED | quit-closes | legacy-mta | " \
           "`scenarios/rfc5321/quit-closes.smtp:7` |" in text
