#!/usr/bin/env python3
"""Send one request line to fairshared and print its reply, as a hostile
member would: no client-side checks.

    rawrequest.py JSON [SOCKET]

JSON is sent as given, followed by a newline; the first reply line is
printed. Exits 0 when a reply came, 1 otherwise.
"""
import socket
import sys


def main() -> int:
    line = sys.argv[1].encode() + b"\n"
    path = sys.argv[2] if len(sys.argv) > 2 else "/run/fairshare.sock"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(path)
    s.sendall(line)
    data = b""
    while b"\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    if b"\n" not in data:
        print("no reply", file=sys.stderr)
        return 1
    sys.stdout.write(data.split(b"\n")[0].decode(errors="replace") + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
