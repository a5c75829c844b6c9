#!/usr/bin/env python3
"""Time N requests to fairshared, each on a fresh connection, as a client
script would make them.

    latency.py N [OP]

Prints one line: "n N p50 MS p99 MS max MS errors E" (milliseconds).
"""
import sys

from fsclient import latency_summary, request_ok, timed


def main() -> int:
    n = int(sys.argv[1])
    op = sys.argv[2] if len(sys.argv) > 2 else "status"
    s = latency_summary(*timed(n, lambda: request_ok(op)))
    print("n %d p50 %.2f p99 %.2f max %.2f errors %d" % (s["n"], s["p50"], s["p99"], s["max"], s["failed"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
