"""What the test helpers share (they run inside the testbed): a connection
to fairshared's socket and the first line of its reply."""
import math
import socket

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
