#!/usr/bin/env python3
"""Load on fairshared for the fairness system test (runs inside the guest).

    daemonload.py flood SOCKET CONNECTIONS SECONDS OUT.json
    daemonload.py latency SOCKET COUNT [fairshare]

flood: opens CONNECTIONS connections at once, waits for the daemon's
answers and counts those it refused (an error reply, then closed); on the
rest it pipelines `status` requests, 8 at a time (the most one connection may
have queued) each time the daemon has read the previous 8, for SECONDS, and
never reads a reply. Writes a JSON summary to OUT.json: opened, refused,
admitted, the first refusal's error, batches sent, and "unread", how many
admitted connections the daemon had stopped reading at the end (requests
sent that it left in the socket for 2 s).

latency: COUNT `status` requests, each on a fresh connection (as the
client does), timed with time.monotonic from connect to the reply line;
with "fairshare", COUNT runs of `fairshare status` timed around the whole
process. Prints "p50 MS", "p99 MS", "max MS", "failed N".
"""
import fcntl
import json
import os
import resource
import select
import socket
import struct
import sys
import termios
import time

from fsclient import client_ok, latency_summary, request_ok, timed

STATUS = b'{"v":1,"op":"status"}\n'


def unread(sock: socket.socket) -> int:
    """Bytes we sent that the peer has not read yet (SIOCOUTQ)."""
    return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"))[0]


def flood(path: str, count: int, seconds: float, out: str) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 64)), hard))
    socks = []
    for _ in range(count):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        socks.append(s)
    # Refusals come at once; admitted connections say nothing until asked.
    time.sleep(1.0)
    refused, admitted, first_error = 0, [], None
    for s in socks:
        r, _, _ = select.select([s], [], [], 0)
        if not r:
            admitted.append(s)
            continue
        data = b""
        s.settimeout(2)
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except (ConnectionResetError, socket.timeout):
            pass
        reply = json.loads(data.split(b"\n", 1)[0]) if data else {}
        if first_error is None:
            first_error = reply.get("error")
        refused += 1
        s.close()
    for s in admitted:
        s.setblocking(False)
    batches, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        for s in admitted:
            if unread(s) == 0:
                try:
                    s.send(STATUS * 8)
                    batches += 1
                except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                    pass
        time.sleep(0.01)
    # Which connections does the daemon no longer read?
    pending = [s for s in admitted if unread(s) > 0]
    time.sleep(2.0)
    stuck = sum(1 for s in pending if unread(s) > 0)
    summary = {"opened": count, "refused": refused, "admitted": len(admitted), "first_error": first_error,
               "batches": batches, "unread": stuck}
    with open(out + ".tmp", "w") as f:
        json.dump(summary, f)
    os.rename(out + ".tmp", out)
    # Hold the connections until killed, so the daemon's memory can be read.
    time.sleep(3600)
    return 0


def latency(path: str, count: int, real_client: bool) -> int:
    once = client_ok if real_client else (lambda: request_ok("status", path, timeout=10))
    s = latency_summary(*timed(count, once))
    print(f"p50 {s['p50']:.2f}")
    print(f"p99 {s['p99']:.2f}")
    print(f"max {s['max']:.2f}")
    print(f"failed {s['failed']}")
    return 0


def main() -> int:
    if len(sys.argv) == 6 and sys.argv[1] == "flood":
        return flood(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    if len(sys.argv) in (4, 5) and sys.argv[1] == "latency":
        return latency(sys.argv[2], int(sys.argv[3]), len(sys.argv) == 5 and sys.argv[4] == "fairshare")
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main())
