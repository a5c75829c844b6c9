#!/usr/bin/env python3
"""cpusamples.py N INTERVAL FILE... - N samples INTERVAL seconds apart of
"seconds usage_usec(FILE1) usage_usec(FILE2) ..." from cgroup cpu.stat files
(runs inside). One process that forks nothing: under the VM's emulated CPUs
a shell loop's forks cost tens of milliseconds, which both steals CPU from
what is measured and puts the reading late after its time stamp."""
import os
import sys
import time


def usage_usec(path):
    with open(path) as f:
        for line in f:
            key, _, value = line.partition(" ")
            if key == "usage_usec":
                return int(value)
    raise SystemExit(f"cpusamples.py: {path} has no usage_usec line")


def main():
    if len(sys.argv) < 4:
        raise SystemExit("usage: cpusamples.py N INTERVAL CPU.STAT...")
    n, interval, files = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
    try:
        os.nice(-10)  # wake on time even beside CPU hogs
    except OSError:
        pass
    start = time.monotonic()
    for i in range(n):
        t = time.monotonic()
        print(f"{t:.6f} " + " ".join(str(usage_usec(f)) for f in files), flush=True)
        if i + 1 < n:
            time.sleep(max(0.0, start + (i + 1) * interval - time.monotonic()))


main()
