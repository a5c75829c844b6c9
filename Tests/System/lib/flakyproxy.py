#!/usr/bin/env python3
"""A stand-in for a daemon that restarts between a request and its reply:
listens on LISTEN, closes the first DROP connections right after their
request line arrives (unanswered), and relays every later connection to
the real daemon at UPSTREAM, line by line. Each connection's first request
line is appended to LOG, with "dropped" or "relayed".

    flakyproxy.py LISTEN UPSTREAM DROP LOG

Runs until killed (runs inside, as the member whose client uses it)."""
import os
import socket
import sys

from fsclient import connect


def main() -> int:
    listen, upstream, drop, log = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    if os.path.exists(listen):
        os.unlink(listen)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(listen)
    server.listen(16)
    seen = 0
    while True:
        client, _ = server.accept()
        reader = client.makefile("rb")
        line = reader.readline()
        seen += 1
        verdict = "dropped" if seen <= drop else "relayed"
        with open(log, "a") as f:
            f.write("%s %s\n" % (verdict, line.decode(errors="replace").strip()))
        if verdict == "dropped":
            # The reader holds the socket open too: shut it down for real.
            client.shutdown(socket.SHUT_RDWR)
            reader.close()
            client.close()
            continue
        daemon = connect(upstream)
        replies = daemon.makefile("rb")
        while line:
            daemon.sendall(line)
            client.sendall(replies.readline())
            line = reader.readline()
        daemon.close()
        reader.close()
        client.close()


if __name__ == "__main__":
    sys.exit(main())
