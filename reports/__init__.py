"""Reports of an smtpspec run: terminal, JSON, JUnit XML and HTML.

Every report is rendered from the run report of docs/results-schema.md (a
plain dict), so the reports never disagree with each other. See
docs/reports.md for what each one contains.
"""
