#!/usr/bin/env python3
"""Send one payload to a Unix stream socket and report how the peer answered.

    sockprobe.py SOCKET hello|long

hello sends b"hello\\n"; long sends 70 000 bytes without a newline. Reads for
up to 5 s, until the peer closes the connection, and prints (one per line):

    lines N            complete reply lines received
    closed yes|no      the peer closed the connection (EOF or reset)
    json yes|no        the first line is a JSON object
    ok VALUE           its "ok" member: true, false or missing
    reply LINE         the first line itself
"""
import json
import socket
import sys
import time

PAYLOADS = {"hello": b"hello\n", "long": b"x" * 70000}


def main() -> int:
    path, kind = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(path)
    try:
        s.sendall(PAYLOADS[kind])
    except (BrokenPipeError, ConnectionResetError):
        pass  # the peer may close before it has read everything
    data, closed, deadline = b"", False, time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            closed = True  # closed with our bytes unread: a close all the same
            break
        except socket.timeout:
            break
        if not chunk:
            closed = True
            break
        data += chunk
    lines = data.split(b"\n")[:-1]
    first = lines[0].decode(errors="replace") if lines else ""
    try:
        obj = json.loads(first)
        is_json = isinstance(obj, dict)
    except ValueError:
        obj, is_json = None, False
    ok = json.dumps(obj.get("ok")) if is_json and "ok" in obj else "missing"
    print("lines %d" % len(lines))
    print("closed %s" % ("yes" if closed else "no"))
    print("json %s" % ("yes" if is_json else "no"))
    print("ok %s" % ok)
    print("reply %s" % first)
    return 0


if __name__ == "__main__":
    sys.exit(main())
