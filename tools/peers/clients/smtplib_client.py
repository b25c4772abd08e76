#!/usr/bin/python3
"""Python's smtplib as a client under test.

    smtplib_client.py HOST PORT MESSAGE_FILE

Sends the message from sender@client.smtpspec.test to alice@smtpspec.test
after EHLO client.smtpspec.test, the way an application would: one
sendmail() call, then QUIT. smtplib does the dot-stuffing. Errors end the program with status 1 and one line.
"""

import smtplib
import sys


def main(argv):
    host, port, path = argv[1], int(argv[2]), argv[3]
    # A str, as applications pass it: smtplib turns its bare line ends
    # into CRLF. (It sends bytes unchanged, bare LF and all.)
    with open(path, encoding="ascii") as f:
        message = f.read()
    try:
        with smtplib.SMTP(host, port, local_hostname="client.smtpspec.test",
                          timeout=30) as client:
            client.sendmail("sender@client.smtpspec.test",
                            ["alice@smtpspec.test"], message)
    except (smtplib.SMTPException, OSError) as e:
        print("smtplib_client: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
