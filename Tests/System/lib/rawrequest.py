#!/usr/bin/env python3
"""Send one request line to fairshared and print its reply, as a hostile
member would: no client-side checks.

    rawrequest.py JSON [SOCKET]

JSON is sent as given, followed by a newline; the first reply line is
printed. Exits 0 when a reply came, 1 otherwise.
"""
import sys

from fsclient import SOCKET, connect, read_line


def main() -> int:
    line = sys.argv[1].encode() + b"\n"
    s = connect(sys.argv[2] if len(sys.argv) > 2 else SOCKET)
    s.sendall(line)
    reply = read_line(s)
    if reply is None:
        print("no reply", file=sys.stderr)
        return 1
    sys.stdout.write(reply.decode(errors="replace") + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
