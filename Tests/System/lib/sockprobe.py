#!/usr/bin/env python3
"""Send one payload to a Unix stream socket and report how the peer answered.

    sockprobe.py SOCKET hello|long

hello: b"hello\\n"; long: 70 000 bytes without a newline. Prints a JSON
object: {"lines": [every reply line, decoded], "closed": true if the peer
closed the connection within 5 s, "partial": bytes after the last newline}.
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
            closed = True  # closed with our bytes still unread: also a close
            break
        except socket.timeout:
            break
        if not chunk:
            closed = True
            break
        data += chunk
    *lines, partial = data.split(b"\n")
    print(json.dumps({"lines": [l.decode(errors="replace") for l in lines],
                      "closed": closed, "partial": partial.decode(errors="replace")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
