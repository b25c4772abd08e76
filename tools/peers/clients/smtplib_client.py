#!/usr/bin/python3
"""Python's smtplib as a client under test.

    smtplib_client.py HOST PORT CLIENT_DOMAIN SENDER RECIPIENT MESSAGE_FILE

Sends the message from SENDER to RECIPIENT after EHLO CLIENT_DOMAIN, the
way an application would: one sendmail() call, then QUIT. smtplib does the
dot-stuffing. Errors end the program with status 1 and one line.
"""

import smtplib
import sys

USAGE = ("usage: smtplib_client.py HOST PORT CLIENT_DOMAIN SENDER RECIPIENT "
         "MESSAGE_FILE")


def main(argv):
    if len(argv) != 7 or not argv[2].isdigit():
        print(USAGE, file=sys.stderr)
        return 2
    host, port, helo, sender, recipient, path = argv[1:]
    # A str, as applications pass it: smtplib turns its bare line ends
    # into CRLF. (It sends bytes unchanged, bare LF and all.)
    with open(path, encoding="ascii") as f:
        message = f.read()
    try:
        with smtplib.SMTP(host, int(port), local_hostname=helo,
                          timeout=30) as client:
            client.sendmail(sender, [recipient], message)
    except (smtplib.SMTPException, OSError) as e:
        print("smtplib_client: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
