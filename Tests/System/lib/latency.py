#!/usr/bin/env python3
"""Time N requests to fairshared, each on a fresh connection, as a client
script would make them.

    latency.py N [OP]

Prints one line: "n N p50 MS p99 MS max MS errors E" (milliseconds).
"""
import json
import sys
import time

from fsclient import connect, percentile, read_line


def once(op: str) -> bool:
    s = connect(timeout=60)
    s.sendall(json.dumps({"v": 1, "op": op}).encode() + b"\n")
    reply = read_line(s)
    s.close()
    try:
        return reply is not None and json.loads(reply).get("ok") is True
    except ValueError:
        return False


def main() -> int:
    n = int(sys.argv[1])
    op = sys.argv[2] if len(sys.argv) > 2 else "status"
    times, errors = [], 0
    for _ in range(n):
        start = time.monotonic()
        if not once(op):
            errors += 1
        times.append((time.monotonic() - start) * 1000)
    times.sort()
    p = lambda q: percentile(times, q)
    print("n %d p50 %.2f p99 %.2f max %.2f errors %d" % (n, p(0.50), p(0.99), times[-1], errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
