#!/usr/bin/env python3
"""The benchmarks that need a real systemd: run as root inside a testbed
container that Tests/System/lib/container.sh's setup_container prepared
(fairshare installed, fairshared running under the shipped unit, user alice
in group fairshare, the system tests' policy).

    inside.py --share DIR [--iterations N] [--users N] [--seconds S]
              [--rounds N] [--stage-iterations N] [--restarts N]

DIR holds loadgen and echoserver. Prints one JSON object with every raw
figure on standard output, progress on standard error. In order:

  idle      the daemon's RSS before its first request
  exec      `fairshare exec -q -- true` by alice vs `systemd-run --scope
            --quiet --slice=fairshare-UID.slice true` by root
  request   `fairshare request --cpu 0.3|0.4` by alice vs `systemctl
            set-property --runtime fairshare-UID.slice CPUQuota=30%|40%` by root
  status    `fairshare status` vs `systemctl show -p MemoryCurrent,
            CPUUsageNSec,TasksCurrent fairshare-UID.slice`, both by alice
  throughput  loadgen (8 connections, status requests) against fairshared
            and against echoserver, alternating, ROUNDS times each
  scale     policy `allocator: none`, `overcommit: {cpu: 1000}`; users
            bu0001... (written straight into /etc/passwd, primary group
            fairshare) take 0.01 CPU each until 10, 100, ..., USERS users hold
            allocations (alice included); at each step: alice's request and
            status latency, `fairshare admin list` by root, the daemon's RSS;
            at the last, `systemctl restart fairshared` until the socket
            answers, RESTARTS times, then once more with state.json removed
            (every slice adopted from systemd alone), with the allocations
            the daemon's start-up line reports.

Each pair runs interleaved (A B B A ...) after a warm-up, so load from other
work on the machine falls on both sides alike; every command is started the
same way (subprocess with an explicit uid, gid and groups, also for root).
"""
import argparse
import json
import os
import pwd
import grp
import re
import socket
import statistics
import subprocess
import sys
import time

GUEST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SOCKET = "/run/fairshare.sock"
STATE_FILE = "/var/lib/fairshare/state.json"
ECHO_SOCKET = "/run/bench-echo.sock"
WARMUP = 5


def log(msg):
    print(f"inside: {msg}", file=sys.stderr, flush=True)


class Account:
    def __init__(self, name):
        pw = pwd.getpwnam(name)
        self.name, self.uid, self.gid, self.home = name, pw.pw_uid, pw.pw_gid, pw.pw_dir
        self.groups = os.getgrouplist(name, pw.pw_gid)
        self.env = {"PATH": GUEST_PATH, "HOME": self.home, "USER": name, "LOGNAME": name, "LANG": "C.UTF-8"}

    def run(self, argv, capture=False):
        """Runs argv as this account; returns (seconds, returncode, stdout, stderr)."""
        t0 = time.perf_counter_ns()
        p = subprocess.run(argv, user=self.uid, group=self.gid, extra_groups=self.groups, env=self.env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                           stderr=subprocess.PIPE, cwd="/")
        t1 = time.perf_counter_ns()
        return (t1 - t0) / 1e9, p.returncode, (p.stdout or b"").decode(errors="replace"), p.stderr.decode(errors="replace")


def stats_ms(seconds):
    """min/median/mean/p90/p99/max in milliseconds."""
    if not seconds:
        return {"n": 0}
    s = sorted(seconds)

    def pct(p):
        return s[min(len(s) - 1, max(0, int(-(-p * len(s) // 100)) - 1))]
    r = lambda x: round(x * 1000, 3)
    return {"n": len(s), "min": r(s[0]), "median": r(statistics.median(s)), "mean": r(statistics.fmean(s)),
            "p90": r(pct(90)), "p99": r(pct(99)), "max": r(s[-1])}


class Failures:
    """Counts failed runs, keeping the first message."""
    def __init__(self):
        self.count, self.first = 0, None

    def add(self, rc, err):
        self.count += 1
        if self.first is None:
            self.first = f"exit {rc}: {err.strip()[:300]}"

    def json(self):
        return {"failed": self.count, "first_failure": self.first}


def timed_pair(label, a, b, n):
    """a, b: functions i -> (account, argv). Interleaved A B B A ...; returns raw figures."""
    log(f"{label}: {WARMUP} warm-up + {n} runs each, interleaved")
    times = {"a": [], "b": []}
    fails = {"a": Failures(), "b": Failures()}
    sides = {"a": a, "b": b}
    for i in range(-WARMUP, n):
        order = ("a", "b") if i % 2 == 0 else ("b", "a")
        for side in order:
            account, argv = sides[side](i)
            dt, rc, _, err = account.run(argv)
            if rc != 0:
                fails[side].add(rc, err)
            elif i >= 0:
                times[side].append(dt)
    out = {}
    for side in ("a", "b"):
        # "CPUQuota=30%|40%" for arguments that alternate
        argv = " ".join(x if x == y else f"{x}|{y}" for x, y in zip(sides[side](0)[1], sides[side](1)[1]))
        out[side] = {"argv": argv, "user": sides[side](0)[0].name,
                     **stats_ms(times[side]), **fails[side].json()}
    if times["a"] and times["b"]:
        out["ratio"] = round(statistics.median(times["a"]) / statistics.median(times["b"]), 3)
    return out


def daemon_pid():
    out = subprocess.run(["systemctl", "show", "-p", "MainPID", "--value", "fairshared"],
                         capture_output=True, text=True).stdout.strip()
    return int(out or 0)


def rss_kib(pid=None):
    pid = pid or daemon_pid()
    vals = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                vals[k] = int(v.split()[0])
    return vals


def request_line(sock_path, line, timeout=10):
    """One request on a fresh connection as the current process; the reply line."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(sock_path)
        s.sendall(line.encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return data.decode(errors="replace")
    finally:
        s.close()


def requests_as(users, line, parallel=4):
    """Sends LINE once as each (uid, gid, groups), PARALLEL forked clients at a
    time; returns (ok count, failures)."""
    fails, ok, running = Failures(), 0, {}

    def reap():
        nonlocal ok
        pid, status = os.wait()
        running.pop(pid, None)
        code = os.waitstatus_to_exitcode(status)
        if code == 0:
            ok += 1
        else:
            fails.add(code, f"request as uid {users_by_pid.pop(pid, '?')} failed (see the daemon's journal)")

    users_by_pid = {}
    for uid, gid, groups in users:
        while len(running) >= parallel:
            reap()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.setgroups(groups)
                os.setgid(gid)
                os.setuid(uid)
                reply = request_line(SOCKET, line, timeout=60)
                code = 0 if '"ok":true' in reply.replace(" ", "") else 3
                if code:
                    os.write(2, f"inside: uid {uid}: {reply.strip()[:300]}\n".encode())
            finally:
                os._exit(code)
        running[pid] = uid
        users_by_pid[pid] = uid
    while running:
        reap()
    return ok, fails


def wait_for_socket(path, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            s.close()
            return True
        except OSError:
            time.sleep(0.01)
    return False


# ---------------------------------------------------------------- benches ---

def bench_throughput(args, alice):
    out = {"echo": [], "daemon": []}
    subprocess.run(["systemctl", "stop", "bench-echo"], capture_output=True)
    subprocess.run(["systemd-run", "--quiet", "--collect", "--unit=bench-echo", "-p", "Type=exec",
                    os.path.join(args.share, "echoserver"), ECHO_SOCKET], check=True)
    if not wait_for_socket(ECHO_SOCKET):
        raise SystemExit("inside: echoserver did not come up")
    loadgen = os.path.join(args.share, "loadgen")
    for r in range(args.rounds):
        for kind, path, expect in (("echo", ECHO_SOCKET, "status"), ("daemon", SOCKET, '"ok":true')):
            log(f"throughput round {r + 1}/{args.rounds}: {kind}")
            _, rc, stdout, err = alice.run([loadgen, "--socket", path, "--connections", str(args.connections),
                                            "--seconds", str(args.seconds), "--expect", expect], capture=True)
            if rc != 0:
                out[kind].append({"error": f"exit {rc}: {err.strip()[:300]}"})
            else:
                out[kind].append(json.loads(stdout))
    subprocess.run(["systemctl", "stop", "bench-echo"], capture_output=True)

    def med(kind, key):
        vals = [x[key] for x in out[kind] if key in x]
        return statistics.median(vals) if vals else None
    summary = {k: {"rps": med(k, "rps"), "p50_us": med(k, "p50_us"), "p99_us": med(k, "p99_us")} for k in out}
    if summary["echo"]["rps"] and summary["daemon"]["rps"]:
        summary["percent_of_ceiling"] = round(100 * summary["daemon"]["rps"] / summary["echo"]["rps"], 1)
    return {"connections": args.connections, "seconds": args.seconds, "rounds": out, "summary": summary}


BENCH_POLICY = """\
# Benchmarks/lib/inside.py: 1,000 users at 0.01 CPU each on 2 CPUs.
allocator: none
overcommit:
  cpu: 1000
"""
BENCH_REQUEST = json.dumps({"v": 1, "op": "request", "cpu": 0.01, "mem": 1 << 20, "tasks": 16})


def add_bench_users(count):
    """Users bu0001..: written straight into /etc/passwd (useradd takes
    ~30 ms each), primary group fairshare, no home."""
    gid = grp.getgrnam("fairshare").gr_gid
    existing = {p.pw_name for p in pwd.getpwall()}
    lines = []
    users = []
    for i in range(1, count + 1):
        name, uid = f"bu{i:04d}", 30000 + i
        if name not in existing:
            lines.append(f"{name}:x:{uid}:{gid}:bench:/nonexistent:/usr/sbin/nologin\n")
        users.append((uid, gid, [gid]))
    with open("/etc/passwd", "a") as f:
        f.writelines(lines)
    return users


def admin_list(root, reps):
    times, fails, out_bytes = [], Failures(), 0
    for _ in range(reps):
        dt, rc, stdout, err = root.run(["fairshare", "admin", "list"], capture=True)
        if rc == 0:
            times.append(dt)
            out_bytes = len(stdout)
        else:
            fails.add(rc, err)
    return {**stats_ms(times), **fails.json(), "output_bytes": out_bytes}


def alternating_requests(alice, n):
    times, fails = [], Failures()
    for i in range(-2, n):
        dt, rc, _, err = alice.run(["fairshare", "request", "--cpu", "0.3" if i % 2 == 0 else "0.4"])
        if rc != 0:
            fails.add(rc, err)
        elif i >= 0:
            times.append(dt)
    return {**stats_ms(times), **fails.json()}


def repeated(account, argv, n):
    times, fails = [], Failures()
    for i in range(-2, n):
        dt, rc, _, err = account.run(argv)
        if rc != 0:
            fails.add(rc, err)
        elif i >= 0:
            times.append(dt)
    return {**stats_ms(times), **fails.json()}


def restart_once(cold=False, root_timeout=30):
    """`systemctl restart fairshared` until a status request is answered.
    cold: state.json removed first, so every allocation is adopted from the
    slices systemd holds rather than matched against the daemon's file."""
    if cold:
        try:
            os.unlink(STATE_FILE)
        except FileNotFoundError:
            pass
    t0 = time.perf_counter()
    p = subprocess.run(["systemctl", "restart", "fairshared"], capture_output=True, text=True, timeout=root_timeout)
    t_ready = time.perf_counter()
    answered = None
    deadline = time.monotonic() + root_timeout
    while time.monotonic() < deadline:
        try:
            reply = request_line(SOCKET, '{"v":1,"op":"status"}', timeout=5)
            if '"ok":true' in reply.replace(" ", ""):
                answered = time.perf_counter()
                break
        except OSError:
            pass
        time.sleep(0.005)
    journal = subprocess.run(["journalctl", "-u", "fairshared", "-o", "cat", "-n", "100", "--no-pager"],
                             capture_output=True, text=True).stdout
    m = None
    for m in re.finditer(r"(\d+) allocations \((\d+) adopted, (\d+) dropped\)", journal):
        pass
    return {"cold": cold, "restart_rc": p.returncode, "to_ready_s": round(t_ready - t0, 3),
            "to_answer_s": round(answered - t0, 3) if answered else None,
            "allocations": int(m.group(1)) if m else None, "adopted": int(m.group(2)) if m else None,
            "dropped": int(m.group(3)) if m else None, "error": p.stderr.strip()[:300] or None}


def bench_scale(args, alice, root):
    stages = sorted({s for s in (10, 100, 1000) if s < args.users} | {args.users})
    log(f"scale: policy allocator none, overcommit cpu 1000; stages {stages}")
    with open("/etc/fairshare/policy.d/90-bench.yaml", "w") as f:
        f.write(BENCH_POLICY)
    _, rc, _, err = root.run(["fairshare", "admin", "reload"])
    if rc != 0:
        raise SystemExit(f"inside: admin reload failed: {err}")
    t0 = time.perf_counter()
    users = add_bench_users(max(stages) - 1)
    users_s = time.perf_counter() - t0
    held = 1        # alice
    rows, alloc_s, alloc_fails = [], 0.0, Failures()
    for stage in stages:
        log(f"scale: {stage} users: allocating {stage - held} more")
        t0 = time.perf_counter()
        ok, fails = requests_as(users[held - 1:stage - 1], BENCH_REQUEST)
        alloc_s += time.perf_counter() - t0
        if fails.count:
            alloc_fails.count += fails.count
            alloc_fails.first = alloc_fails.first or fails.first
        held = stage
        log(f"scale: {stage} users: measuring")
        row = {"users": stage, "granted": ok}
        row["rss_kib"] = rss_kib()
        row["request"] = alternating_requests(alice, args.stage_iterations)
        row["status"] = repeated(alice, ["fairshare", "status"], args.stage_iterations)
        row["admin_list"] = admin_list(root, args.list_reps)
        row["rss_after_kib"] = rss_kib()
        rows.append(row)
    restarts = []
    for r in range(args.restarts + 1):
        cold = r == args.restarts
        log(f"scale: restart {r + 1}/{args.restarts + 1} with {held} allocations{' (state.json removed)' if cold else ''}")
        res = restart_once(cold=cold)
        res["rss_kib"] = rss_kib()
        restarts.append(res)
    return {"stages": rows, "restarts": restarts, "users_written_s": round(users_s, 3),
            "allocating_s": round(alloc_s, 3), "allocation_failures": alloc_fails.json(),
            "policy": BENCH_POLICY, "request": json.loads(BENCH_REQUEST)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--share", required=True)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--users", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--stage-iterations", type=int, default=50)
    ap.add_argument("--list-reps", type=int, default=5)
    ap.add_argument("--restarts", type=int, default=3)
    args = ap.parse_args()

    result = {"container": {}}
    sysd = subprocess.run(["systemctl", "--version"], capture_output=True, text=True).stdout.splitlines()
    result["container"]["systemd"] = sysd[0] if sysd else "?"
    result["container"]["fairshare"] = subprocess.run(["fairshare", "--version"], capture_output=True,
                                                      text=True).stdout.strip()
    # Before any request: the idle daemon.
    time.sleep(0.5)
    result["idle"] = {"rss_kib": rss_kib()}

    alice, root = Account("alice"), Account("root")
    _, rc, _, err = alice.run(["fairshare", "request"])
    if rc != 0:
        raise SystemExit(f"inside: alice's first request failed: {err}")
    slice_name = f"fairshare-{alice.uid}.slice"
    _, rc, cg, _ = alice.run(["fairshare", "exec", "-q", "--", "cat", "/proc/self/cgroup"], capture=True)
    result["exec_check"] = next((l for l in cg.splitlines() if "name=systemd" in l or l.startswith("0::")), cg.strip())
    n = args.iterations

    result["exec"] = timed_pair(
        "exec", lambda i: (alice, ["fairshare", "exec", "-q", "--", "true"]),
        lambda i: (root, ["systemd-run", "--scope", "--quiet", f"--slice={slice_name}", "true"]), n)
    result["request"] = timed_pair(
        "request", lambda i: (alice, ["fairshare", "request", "--cpu", "0.3" if i % 2 == 0 else "0.4"]),
        lambda i: (root, ["systemctl", "set-property", "--runtime", slice_name,
                          "CPUQuota=30%" if i % 2 == 0 else "CPUQuota=40%"]), n)
    result["status"] = timed_pair(
        "status", lambda i: (alice, ["fairshare", "status"]),
        lambda i: (alice, ["systemctl", "show", "-p", "MemoryCurrent,CPUUsageNSec,TasksCurrent", slice_name]), n)
    result["throughput"] = bench_throughput(args, alice)
    result["busy"] = {"rss_kib": rss_kib()}
    if args.users > 0:
        result["scale"] = bench_scale(args, alice, root)
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
