"""What the test helpers share (they run inside the testbed): a connection
to fairshared's socket and the first line of its reply, and timing
requests the way a client script makes them. Benchmarks/lib/inside.py uses
them too (Benchmarks/run copies this directory into the container)."""
import json
import math
import socket
import subprocess
import time

SOCKET = "/run/fairshare.sock"


def connect(path: str = SOCKET, timeout: float = 30) -> socket.socket:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


def read_line(s: socket.socket):
    """The first reply line (without its newline), or None if the daemon
    closed the connection first."""
    data = b""
    while b"\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            return None
        data += chunk
    return data.split(b"\n")[0]


def percentile(ordered, q: float) -> float:
    """The nearest-rank percentile of sorted values: of 100 times, p99 is
    the 99th, p50 the 50th."""
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def request_ok(op: str = "status", path: str = SOCKET, timeout: float = 60) -> bool:
    """One request on a fresh connection: did the daemon answer ok?"""
    try:
        s = connect(path, timeout=timeout)
        try:
            s.sendall(json.dumps({"v": 1, "op": op}).encode() + b"\n")
            reply = read_line(s)
        finally:
            s.close()
        return reply is not None and json.loads(reply).get("ok") is True
    except (OSError, ValueError):
        return False


def client_ok(argv=("fairshare", "status")) -> bool:
    """One run of the real client: did it exit 0?"""
    return subprocess.run(list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def timed(count: int, once):
    """Calls once() COUNT times, timing each with time.monotonic; returns
    (sorted milliseconds, how many returned False)."""
    times, failed = [], 0
    for _ in range(count):
        start = time.monotonic()
        if not once():
            failed += 1
        times.append((time.monotonic() - start) * 1000)
    times.sort()
    return times, failed


def latency_summary(times, failed) -> dict:
    """n, p50, p99, max (ms) and failed, of timed()'s result."""
    return {"n": len(times), "p50": round(percentile(times, 0.50), 3), "p99": round(percentile(times, 0.99), 3),
            "max": round(times[-1], 3), "failed": failed}
