#!/usr/bin/env python3
"""A stand-in fairshared for fairshare-web's scrape benchmark (issue 19):
answers status, list (paged, N users with live-looking usage), jobs and
metrics on a Unix socket, as the real daemon's replies look.

    fakedaemon.py SOCKET USERS
"""
import json, os, socket, sys, threading, time

path, users = sys.argv[1], int(sys.argv[2])
PAGE = 120
start = time.time()

def row(i):
    t = time.time() - start
    return {"user": "user%d" % i, "uid": 2000 + i, "cpu": 0.5, "mem": 268435456, "tasks": 256,
            "lease": None if i % 3 else 1900000000, "since": 1700000000, "io": None, "gpus": [],
            "usage": {"cpu_percent": 12.5, "mem": 1048576 * (i % 200), "tasks": i % 17, "io_read": 4096 * i,
                      "io_write": 8192 * i, "cpu_usec": int(t * 1e6 * (i % 7) / 10)},
            "disk": None, "login": None}

def answer(req):
    op = req.get("op")
    if op == "status":
        return {"uid": 999, "user": "fairshare-web", "system": {"cpu": 256, "mem": 1 << 40},
                "available": {"cpu": 4, "mem": 1 << 30}, "slice": None, "allocation": None, "lease_end": None,
                "usage": None, "disk": None, "login": None}
    if op == "list":
        after = req.get("after", -1)
        first = 0 if after == -1 else after - 2000 + 1
        rows = [row(i) for i in range(first, min(users, first + PAGE))]
        out = {"allocations": rows, "logins": []}
        if first + PAGE < users:
            out["next"] = rows[-1]["uid"]
        return out
    if op == "jobs":
        return {"jobs": []}
    if op == "metrics":
        return {"version": "bench", "started": int(start), "requests": [{"op": "status", "result": "ok", "reason": "", "count": 5}],
                "latency": {"bounds_usec": [250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
                                            1000000, 2500000, 5000000, 10000000, 30000000, 60000000],
                            "ops": [{"op": "status", "counts": [5] + [0] * 17, "count": 5, "sum_usec": 1000}]},
                "refusals": []}
    return None

def serve(conn):
    f = conn.makefile("rwb")
    for line in f:
        result = answer(json.loads(line))
        reply = {"ok": True, "result": result} if result is not None else \
            {"ok": False, "error": {"code": "unknown_operation", "message": "no"}}
        f.write((json.dumps(reply, separators=(",", ":")) + "\n").encode()); f.flush()
    conn.close()

if os.path.exists(path):
    os.unlink(path)
s = socket.socket(socket.AF_UNIX); s.bind(path); s.listen(16)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
