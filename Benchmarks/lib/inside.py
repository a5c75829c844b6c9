#!/usr/bin/env python3
"""The benchmarks that need a real systemd: run as root inside a testbed
container that Tests/System/lib/container.sh's setup_container prepared
(fairshare installed, fairshared running under the shipped unit, user alice
in group fairshare, the system tests' policy).

    inside.py --share DIR [--iterations N] [--users N] [--seconds S]
              [--rounds N] [--stage-iterations N] [--restarts N]

DIR holds loadgen and echoserver, and syslib/ the system tests' helpers
(Tests/System/lib/*.py: fsclient, latency, daemonload), which the
never-stalls and fairness benchmarks run as the system tests do. Prints
one JSON object with every raw figure on standard output, progress on
standard error. In order:

  idle      the daemon's RSS before its first request
  exec      `fairshare exec -q -- true` by alice vs `systemd-run --scope
            --quiet --slice=fairshare-UID.slice true` by root
  request   `fairshare request --cpu 0.3|0.4` by alice vs `systemctl
            set-property --runtime fairshare-UID.slice CPUQuota=30%|40%` by root
  status    `fairshare status` vs `systemctl show -p MemoryCurrent,
            CPUUsageNSec,TasksCurrent fairshare-UID.slice`, both by alice
  versus    `fairshare status` vs `fairshare --version`, both by alice: what
            one connect, request and reply cost on top of starting the client
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
  stalls    (Tests/System/tests/45-never-stalls.sh) alice's `fairshare
            release` waits on a scope whose process ignores SIGTERM; carol's
            100 status requests on the socket (latency.py) and 100 runs of
            `fairshare status` meanwhile
  flood     (Tests/System/tests/38-daemon-fairness.sh) alice opens 1000
            connections and pipelines status requests on those admitted
            without reading replies (daemonload.py flood); carol's status
            latency meanwhile, the daemon's MemoryCurrent sampled every
            0.1 s, NRestarts

Each pair runs interleaved (A B B A ...) after a warm-up, so load from other
work on the machine falls on both sides alike; every command is started the
same way (subprocess with an explicit uid, gid and groups, also for root).
"""
import argparse
import json
import threading
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

    def popen(self, argv):
        """Starts argv as this account in the background."""
        return subprocess.Popen(argv, user=self.uid, group=self.gid, extra_groups=self.groups, env=self.env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd="/")


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
    out = {"paired_diff_ms": []}
    for side in ("a", "b"):
        # "CPUQuota=30%|40%" for arguments that alternate
        argv = " ".join(x if x == y else f"{x}|{y}" for x, y in zip(sides[side](0)[1], sides[side](1)[1]))
        out[side] = {"argv": argv, "user": sides[side](0)[0].name,
                     **stats_ms(times[side]), **fails[side].json()}
    if times["a"] and times["b"]:
        out["ratio"] = round(statistics.median(times["a"]) / statistics.median(times["b"]), 3)
        out["diff_ms"] = round((statistics.median(times["a"]) - statistics.median(times["b"])) * 1000, 3)
        # Each round's A minus its B (they ran back to back): less noisy than the medians' difference.
        pairs = [(x - y) * 1000 for x, y in zip(times["a"], times["b"])]
        out["paired_diff_ms"] = round(statistics.median(pairs), 3)
    else:
        del out["paired_diff_ms"]
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
    since = time.time()
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
    # The start-up line of this start (journald may write it a moment after the socket answers).
    m = None
    for _ in range(50):
        journal = subprocess.run(["journalctl", "-u", "fairshared", "-o", "cat", "--no-pager",
                                  "--since", f"@{since:.6f}"], capture_output=True, text=True).stdout
        for m in re.finditer(r"(\d+) allocations \((\d+) adopted, (\d+) dropped\)", journal):
            pass
        if m:
            break
        time.sleep(0.1)
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


# ------------------------------------------- never stalls, fairness (issue 16) ---

def unit_active(unit):
    return subprocess.run(["systemctl", "is-active", unit], capture_output=True, text=True).stdout.strip()


def unit_property(unit, prop):
    return subprocess.run(["systemctl", "show", "-p", prop, "--value", unit], capture_output=True, text=True).stdout.strip()


def key_values(text):
    """"p50 1.2 p99 3.4 …" (one line or one pair a line) as a dict of numbers."""
    words = text.split()
    out = {}
    for k, v in zip(words[0::2], words[1::2]):
        try:
            out[k] = float(v)
        except ValueError:
            out[k] = v
    return out


def carol_latency(args, carol, real_client, tool="daemonload"):
    """Carol's COUNT status calls, timed by the system tests' helpers: on the
    socket (each on a fresh connection) or as runs of `fairshare status`."""
    lib = os.path.join(args.share, "syslib")
    if tool == "latency":
        argv = ["python3", os.path.join(lib, "latency.py"), str(args.latency_calls), "status"]
    else:
        argv = ["python3", os.path.join(lib, "daemonload.py"), "latency", SOCKET, str(args.latency_calls)]
        if real_client:
            argv.append("fairshare")
    _, rc, out, err = carol.run(argv, capture=True)
    if rc != 0:
        return {"error": f"exit {rc}: {err.strip()[:300]}"}
    kv = key_values(out)
    return {"n": args.latency_calls, "p50": kv.get("p50"), "p99": kv.get("p99"), "max": kv.get("max"),
            "failed": int(kv.get("failed", kv.get("errors", 0)))}


def bench_stalls(args, alice, carol):
    """45-never-stalls: carol's status while alice's release waits on a
    scope that ignores SIGTERM (systemd sends SIGKILL after the scope's stop
    timeout, 10 s)."""
    log("stalls: alice's release waits on a scope that ignores SIGTERM; carol's status meanwhile")
    _, rc, _, err = alice.run(["fairshare", "request", "--cpu", "0.5", "--mem", "64M"])
    if rc != 0:
        return {"error": f"alice's request failed: {err.strip()[:300]}"}
    scope = f"fairshare-{alice.uid}-exec-stubborn.scope"
    stubborn = alice.popen(["fairshare", "exec", "--name", "stubborn", "--", "python3", "-c",
                            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
    for _ in range(100):
        if unit_active(scope) == "active":
            break
        time.sleep(0.1)
    out = {"scope_before": unit_active(scope)}
    t0 = time.monotonic()
    release = alice.popen(["fairshare", "release"])
    time.sleep(1)
    out["scope_during"] = unit_active(scope)
    out["socket"] = carol_latency(args, carol, False, tool="latency")
    out["client"] = carol_latency(args, carol, True)
    out["scope_after"] = unit_active(scope)
    try:
        out["release_rc"] = release.wait(timeout=60)
    except subprocess.TimeoutExpired:
        release.kill()
        out["release_rc"] = None
    out["release_s"] = round(time.monotonic() - t0, 2)
    try:
        stubborn.wait(timeout=30)
    except subprocess.TimeoutExpired:
        stubborn.kill()
    out["scope_end"] = unit_active(scope)
    # Waited throughout: the scope was still stopping when carol's calls were done.
    out["waited"] = out["scope_during"] == "deactivating" and out["scope_after"] == "deactivating"
    return out


class MemorySampler(threading.Thread):
    """The daemon's MemoryCurrent every INTERVAL seconds, read from its
    cgroup's file (memory.current, or memory.usage_in_bytes on v1: what
    systemd reports as MemoryCurrent) rather than by running systemctl."""
    def __init__(self, interval=0.1):
        super().__init__(daemon=True)
        self.interval, self.peak, self.samples = interval, 0, 0
        self.stop = threading.Event()
        cg = unit_property("fairshared", "ControlGroup")
        self.path = next((p for p in (f"/sys/fs/cgroup{cg}/memory.current",
                                      f"/sys/fs/cgroup/memory{cg}/memory.usage_in_bytes") if os.path.exists(p)), None)

    def read(self):
        try:
            if self.path:
                with open(self.path) as f:
                    return int(f.read())
            return int(unit_property("fairshared", "MemoryCurrent"))
        except (OSError, ValueError):
            return 0

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, self.read())
            self.samples += 1
            self.stop.wait(self.interval)


FAIRNESS_POLICY = "/etc/fairshare/policy.d/50-fairness.yaml"


def bench_flood(args, alice, carol):
    """38-daemon-fairness: alice floods the daemon from 1000 connections;
    carol's status meanwhile, the daemon's memory and restarts."""
    log(f"flood: alice opens {args.flood_connections} connections and pipelines without reading; carol's status meanwhile")
    # The smallest reply buffer, as the system test sets it.
    with open(FAIRNESS_POLICY, "w") as f:
        f.write("daemon:\n  reply_buffer: 64K\n")
    subprocess.run(["systemctl", "reload", "fairshared"], check=True)
    time.sleep(0.2)
    out = {"connections": args.flood_connections, "seconds": args.flood_seconds,
           "nrestarts_before": int(unit_property("fairshared", "NRestarts") or 0),
           "memory_before": int(unit_property("fairshared", "MemoryCurrent") or 0)}
    sampler = MemorySampler()
    sampler.start()
    result = "/tmp/bench-flood.json"
    try:
        os.unlink(result)
    except FileNotFoundError:
        pass
    flood = alice.popen(["python3", os.path.join(args.share, "syslib", "daemonload.py"), "flood", SOCKET,
                         str(args.flood_connections), str(args.flood_seconds), result])
    time.sleep(2.5)     # her connections are admitted or refused after ~1 s; then she pipelines
    out["socket"] = carol_latency(args, carol, False)
    out["client"] = carol_latency(args, carol, True)
    deadline = time.monotonic() + args.flood_seconds + 30
    while not os.path.exists(result) and time.monotonic() < deadline and flood.poll() is None:
        time.sleep(0.2)
    try:
        with open(result) as f:
            out["flood"] = json.load(f)
    except (OSError, ValueError):
        out["flood"] = {"error": (flood.stderr.read().decode(errors="replace")[:300] if flood.poll() is not None else "no summary")}
    out["memory_end"] = int(unit_property("fairshared", "MemoryCurrent") or 0)
    sampler.stop.set()
    sampler.join()
    out["memory_peak"] = max(sampler.peak, out["memory_end"])
    out["memory_samples"] = sampler.samples
    out["active"] = unit_active("fairshared")
    out["nrestarts"] = int(unit_property("fairshared", "NRestarts") or 0)
    flood.kill()
    flood.wait()
    os.unlink(FAIRNESS_POLICY)
    subprocess.run(["systemctl", "reload", "fairshared"], check=True)
    # The daemon lets alice's closed connections go at their next read or write.
    t0 = time.monotonic()
    while time.monotonic() - t0 < 10:
        if alice.run(["fairshare", "status"])[1] == 0:
            break
        time.sleep(0.1)
    out["alice_back_s"] = round(time.monotonic() - t0, 2)
    return out


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
    ap.add_argument("--latency-calls", type=int, default=100)
    ap.add_argument("--flood-connections", type=int, default=1000)
    ap.add_argument("--flood-seconds", type=float, default=12)
    args = ap.parse_args()

    result = {"container": {}}
    sysd = subprocess.run(["systemctl", "--version"], capture_output=True, text=True).stdout.splitlines()
    result["container"]["systemd"] = sysd[0] if sysd else "?"
    result["container"]["fairshare"] = subprocess.run(["fairshare", "--version"], capture_output=True,
                                                      text=True).stdout.strip()
    # Before any request: the idle daemon.
    time.sleep(0.5)
    result["idle"] = {"rss_kib": rss_kib()}

    alice, root, carol = Account("alice"), Account("root"), Account("carol")
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
    result["versus"] = timed_pair(
        "status vs --version", lambda i: (alice, ["fairshare", "status"]),
        lambda i: (alice, ["fairshare", "--version"]), n)
    result["throughput"] = bench_throughput(args, alice)
    result["busy"] = {"rss_kib": rss_kib()}
    if args.users > 0:
        result["scale"] = bench_scale(args, alice, root)
    # Last: the flood leaves the daemon's heap grown, which the RSS figures above must not see.
    result["stalls"] = bench_stalls(args, alice, carol)
    result["flood"] = bench_flood(args, alice, carol)
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
