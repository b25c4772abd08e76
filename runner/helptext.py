"""What `smtpspec COMMAND --help` shows below the flags: examples and exit
codes, one epilog per subcommand (runner/main.py). The flags themselves
are described where they are defined."""



def _exit(ok, diverged=None):
    return ("\nexit codes:\n  0  %s\n" % ok +
            ("  1  %s\n" % diverged if diverged else "") +
            '  2  a usage or environment error (one line on stderr, '
            '"smtpspec: ...")\n')


EPILOGS = {
    "smtpspec": """
examples:
  smtpspec run                      the corpus against the reference agents
  smtpspec run --target 127.0.0.1:25 -s 4.1.4
  smtpspec list --tags minimum
  smtpspec COMMAND --help           every flag of COMMAND

Documentation: docs/user-guide.md.
""" + _exit("all good", "a divergence (run), problems (lint), files to "
               "reformat (fmt --check)"),
    "run": """
examples:
  smtpspec run                                  reference server and client
  smtpspec run scenarios/rfc5321 -x             stop at the first failure
  smtpspec run --target mx=127.0.0.1:2525 --report-html report.html
  smtpspec run --target 127.0.0.1:2525 --tls starttls --insecure
  smtpspec run --target 127.0.0.1:2525 --lf -v  rerun the last failures
  smtpspec run --client swaks='swaks --server {host}:{port} --from {sender}
      --to {mailbox} --data {message}' scenarios/rfc5321/client
  smtpspec run -c ci/smtpspec.yaml              targets and all from a file
  smtpspec run --target mx=127.0.0.1:2525 --update-expectations=expect/
                                                write expect/mx.expect

A ./smtpspec.yaml is read when there is one (docs/smtpspec.example.yaml).
With --update-expectations the exit status is that of the results against
the files as written: 0 unless an error result remains.
""" + _exit("every result passed", "a divergence: a failed or error "
               "result, a MUST incidental finding\n     (or a SHOULD one, "
               "or a stale expectation, under --strict)"),
    "list": """
examples:
  smtpspec list                        the whole corpus
  smtpspec list -s 4.1.4               what cites RFC 5321 4.1.4 (or inside it)
  smtpspec list --rfc "RFC 3207" --level MUST
  smtpspec list -c smtpspec.yaml       the paths and selection of that file
""" + _exit("the table was printed"),
    "lint": """
examples:
  smtpspec lint                        every scenario file
  smtpspec lint scenarios/rfc5321/x.smtp

Problems are printed as file:line:col: message; without any, one line:
"lint: N files, no problems".
""" + _exit("no problems", "problems found"),
    "fmt": """
examples:
  smtpspec fmt --check                 a diff of each file it would change
  smtpspec fmt scenarios/rfc5321       rewrite in place
""" + _exit("everything is formatted (or was rewritten)",
               "--check found files to reformat, or a file does not parse"),
    "serve": """
examples:
  smtpspec serve                                  messages in .smtpspec/maildir
  smtpspec serve --listen 127.0.0.1:0 --maildir /tmp/mail
  smtpspec serve --config server.yaml             its listen: and sink:
  smtpspec serve --script suite/                  a scripted server, until Ctrl-C
  smtpspec serve --script ok.smtp --script rcpt_452.smtp --count 2 \\
      --report-junit junit.xml                    then: swaks --helo rcpt-452 ...
  smtpspec serve --script scenarios/rfc5321/client --name swaks \\
      --expect expectations/swaks.expect

With --script, each connection plays one script (a client scenario): the
one its client names in EHLO or HELO, by id or by the id's last label
(docs/user-guide.md); the first script greets, and has the connections
that name none. Each verdict is printed as its connection ends, the
summary at the end. Ctrl-C stops it (exit 130, after the summary).
""" + _exit("the server stopped cleanly; with --script --count, every "
               "result passed", "with --script --count: a failed or error "
               "result"),
    "explain": """
examples:
  smtpspec explain rfc5321.4.1.4.rcpt-before-mail
  smtpspec explain my.scenario my-scenarios/
""" + _exit("the scenario was shown"),
    "probe": """
examples:
  smtpspec probe mx.example.org              port 25; delivers nothing
  smtpspec probe 127.0.0.1:2525 --delay 0.1 --json probe.json --html p.html
  smtpspec probe mx.example.org --implicit-tls --ca ca.pem
  smtpspec probe 127.0.0.1:2525 --deliver    also the DATA checks; asks first

It never completes a DATA transaction unless --deliver is given, sends RCPT
only to postmaster and one unknown mailbox, and opens one connection at a
time, --delay seconds apart, within --budget seconds.
""" + _exit("no check failed", "a check FAILED"),
    "completion": """
examples:
  smtpspec completion bash > ~/.local/share/bash-completion/completions/smtpspec
  smtpspec completion zsh > ~/.zfunc/_smtpspec     a folder on $fpath
  source <(smtpspec completion bash)               this shell only

The script is made from smtpspec's own flags; a release has both files in
share/ (docs/building.md).
""" + _exit("the script was printed"),
    "record": """
examples:
  smtpspec record --listen 127.0.0.1:2526 --upstream 127.0.0.1:25 -o new.smtp
      then point a client at 127.0.0.1:2526; one session is recorded
  smtpspec record --listen 127.0.0.1:2526 --upstream 127.0.0.1:25 \\
      --tls-terminate -o new.smtp      also what was said inside STARTTLS
  smtpspec record --client 'msmtp --host={host} --port={port} --from={sender}
      --domain={client_domain} {mailbox} < {message}' -o client.smtp

The scenario is parsed back before it is written, so it lints; replay it
with `smtpspec run` (--target for a server recording, --client for a client).
""" + _exit("the scenario was written"),
    "test": """
examples:
  smtpspec test                 Bazel tests, sanitizers, layer check, peers

The last line is "N passed, N failed".
""" + _exit("every test passed", "a test failed"),
}
