#!/usr/bin/env python3
"""Turn Benchmarks/run's raw figures (JSON) into BENCHMARKS.md.

    report.py ALL.json              the whole document on standard output
    report.py --summary ALL.json    only the results table (for the terminal)

Every word of BENCHMARKS.md comes from here, so the file is always exactly
what one run of Benchmarks/run produced.
"""
import json
import os
import sys
import time

MIB = 1024


def ms(x):
    return "—" if x is None else f"{x:.2f} ms"


def mib(kib):
    return "—" if kib is None else f"{kib / MIB:.1f} MiB"


def ratio(x):
    return "—" if x is None else f"{x:.2f}×"


def met(ok):
    return "—" if ok is None else ("**met**" if ok else "not met")


def failures(side):
    if not side or not side.get("failed"):
        return ""
    return f" ({side['failed']} failed: {side['first_failure']})"


class Row:
    """One line of the results table from one run: VALUE is the figure as a
    number (None: no figure), FMT formats it, OK says if it meets TARGET."""
    def __init__(self, num, name, fs, ref, fig, value, fmt, target, ok):
        self.num, self.name, self.fs, self.ref, self.text = num, name, fs, ref, fig
        self.value, self.fmt, self.target, self.ok = value, fmt, target, ok

    @property
    def key(self):
        return (self.num, self.name)

    @property
    def fig(self):
        return self.text if self.value is None or self.fmt is None else self.fmt(self.value)


class Report:
    def __init__(self, d):
        self.d = d
        self.rows = []      # Row

    def row(self, num, name, fs, ref, fig, target, ok, value=None, fmt=None):
        """FIG: the figure as text, or VALUE and FMT (FIG = FMT(VALUE))."""
        self.rows.append(Row(num, name, fs, ref, fig, value, fmt, target, ok))

    def build(self):
        d = self.d
        ins = d["inside"]
        # 1-3: side by side in the container
        for num, key, name, target in (("1", "exec", "exec overhead", 1.0),
                                       ("2", "request", "request / change", 1.0),
                                       ("3", "status", "status", 0.5)):
            b = ins.get(key)
            if not b:
                continue
            r = b.get("ratio")
            self.row(num, name, ms(b["a"].get("median")) + failures(b["a"]),
                     f"{ms(b['b'].get('median'))} `{short(b['b']['argv'])}`" + failures(b["b"]),
                     ratio(r), f"≤ {target}", None if r is None else r <= target, value=r, fmt=ratio)
            v = ins.get("versus")
            if key == "status" and v:
                # The figure pairs each status with the --version run next to
                # it, so that load from elsewhere falls on both alike; the
                # difference of the two medians is given too.
                diff = v.get("paired_diff_ms")
                self.row("3", "status − `fairshare --version` (paired, same run, as alice)",
                         ms(v["a"].get("median")) + failures(v["a"]) +
                         f" (difference of the medians {ms(v.get('diff_ms'))})",
                         f"{ms(v['b'].get('median'))} `fairshare --version`" + failures(v["b"]),
                         ms(diff), "≤ 1 ms", None if diff is None else diff <= 1.0, value=diff, fmt=ms)
        # 4: start-up, on the host
        su = d["startup"]
        hf = su["hyperfine"]
        r = hf["fairshare"]["median"] / hf["systemctl"]["median"]
        self.row("4", "CLI start-up (hyperfine median)", ms(hf["fairshare"]["median"]),
                 f"{ms(hf['systemctl']['median'])} `systemctl --version`; `/bin/true` {ms(hf['true']['median'])}",
                 ratio(r), "≤ 1.0", r <= 1.0, value=r, fmt=ratio)
        cg = su["callgrind"]
        if cg.get("fairshare") and cg.get("systemctl"):
            r = cg["fairshare"] / cg["systemctl"]
            self.row("4", "CLI start-up (callgrind instructions)", f"{cg['fairshare'] / 1e6:.1f} M",
                     f"{cg['systemctl'] / 1e6:.1f} M `systemctl --version`; `/bin/true` {cg['true'] / 1e6:.2f} M",
                     ratio(r), "≤ 1.0", r <= 1.0, value=r, fmt=ratio)
        # 5: throughput
        tp = ins.get("throughput")
        if tp:
            s = tp["summary"]
            pct = s.get("percent_of_ceiling")
            self.row("5", f"daemon throughput ({tp['connections']} connections, status)",
                     f"{rps(s['daemon']['rps'])}, p50 {us(s['daemon']['p50_us'])}, p99 {us(s['daemon']['p99_us'])}",
                     f"echo server {rps(s['echo']['rps'])}, p50 {us(s['echo']['p50_us'])}, p99 {us(s['echo']['p99_us'])}",
                     "—" if pct is None else f"{pct:.0f} % of ceiling", "≥ 50 %", None if pct is None else pct >= 50,
                     value=pct, fmt=lambda x: f"{x:.0f} % of ceiling")
        # 6: scale
        sc = ins.get("scale")
        if sc and sc["stages"]:
            last = sc["stages"][-1]
            n = last["users"]
            al = last["admin_list"]
            if al.get("failed"):
                detail = f"{al['failed']} of {al['failed'] + al['n']} runs failed: {al['first_failure']}"
                if al["n"]:
                    detail += f"; the others {ms(al['median'])}"
                fig = "**fails**"
            else:
                detail = f"{ms(al['median'])} ({al['output_bytes']:,} bytes of output)"
                fig = ms(al["median"])
            self.row("6", f"`fairshare admin list`, {n} users", detail, "—", fig, "exits 0 (no time target)",
                     not al.get("failed"), value=None if al.get("failed") else al["median"], fmt=ms)
            rss = max(last["rss_kib"]["VmRSS"], last["rss_after_kib"]["VmRSS"])
            self.row("6", f"daemon RSS, {n} users", mib(rss), "—", mib(rss), "< 20 MiB", rss < 20 * MIB, value=rss, fmt=mib)
            for cold in (False, True):
                rs = [x for x in sc["restarts"] if x.get("cold", False) == cold]
                if not rs:
                    continue
                what = (f"restart re-adopts {n} slices" +
                        (" (state.json removed)" if cold else " (state.json kept)"))
                answers = [x["to_answer_s"] for x in rs if x.get("to_answer_s") is not None]
                # Every slice must be back: matched with the file (kept) or adopted (removed).
                back = [(x.get("adopted") if cold else x.get("allocations")) for x in rs]
                dropped = [x.get("dropped") for x in rs]
                complete = all(b == n for b in back) and all(not x for x in dropped)
                if len(answers) < len(rs):
                    self.row("6", what, f"the socket did not answer after {len(rs) - len(answers)} of {len(rs)}",
                             "—", "—", "< 3 s", False)
                    continue
                med = sorted(answers)[len(answers) // 2]
                note = ("median of " if len(answers) > 1 else "") + ", ".join(f"{a:.2f}" for a in answers) + " s"
                note += f"; {'adopted' if cold else 'allocations back'} " + "/".join(str(b) for b in back) + f" of {n}"
                if any(dropped):
                    note += f", dropped {'/'.join(str(x) for x in dropped)}"
                self.row("6", what, note, "—", f"{med:.2f} s", "< 3 s", med < 3.0 and complete, value=med,
                         fmt=lambda x: f"{x:.2f} s")
        idle = ins["idle"]["rss_kib"]["VmRSS"]
        self.row("6", "daemon RSS, idle (before its first request)", mib(idle), "—", mib(idle), "< 10 MiB",
                 idle < 10 * MIB, value=idle, fmt=mib)
        # 7: policy
        po = d["policy"]
        r = po["fairshare_parse"]["median_ms"] / po["yams_compose"]["median_ms"]
        self.row("7", f"policy parse, {po['bytes'] / 1048576:.2f} MiB file", ms(po["fairshare_parse"]["median_ms"]),
                 f"{ms(po['yams_compose']['median_ms'])} `Yams.compose`", ratio(r), "no target (ratio)", None,
                 value=r, fmt=ratio)
        # 9, 10: issue 16, the daemon never stalls and stays fair (after the scale benchmarks)
        st = ins.get("stalls")
        if st:
            for kind, what in (("socket", "100 requests on the socket"), ("client", "100 runs of `fairshare status`")):
                c = st.get(kind) or {}
                if "error" in st or "error" in c or c.get("p99") is None:
                    self.row("9", f"status while a release waits on a stuck scope (carol, {what})",
                             st.get("error") or c.get("error", "—"), "—", "—", "p99 < 50 ms", False)
                    continue
                waited = st.get("waited")
                self.row("9", f"status while a release waits on a stuck scope (carol, {what})",
                         f"p50 {ms(c['p50'])}, p99 {ms(c['p99'])}, max {ms(c['max'])}, {c['failed']} failed",
                         f"the scope {st.get('scope_during')} before, {st.get('scope_after')} after; "
                         f"the release took {st.get('release_s')} s",
                         f"p99 {ms(c['p99'])}", "p99 < 50 ms, all answered, the release waiting throughout",
                         c["p99"] < 50 and c["failed"] == 0 and bool(waited), value=c["p99"], fmt=lambda x: f"p99 {ms(x)}")
        fl = ins.get("flood")
        if fl:
            f = fl.get("flood") or {}
            admitted = (f"alice: {f.get('admitted')} admitted, {f.get('refused')} refused, {f.get('unread')} no longer read"
                        if "admitted" in f else f"alice's flood: {f.get('error', '?')}")
            for kind, what in (("socket", "100 requests on the socket"), ("client", "100 runs of `fairshare status`")):
                c = fl.get(kind) or {}
                if "error" in c or c.get("p99") is None:
                    self.row("10", f"status during a {fl['connections']}-connection flood (carol, {what})",
                             c.get("error", "—"), admitted, "—", "p99 < 50 ms", False)
                    continue
                self.row("10", f"status during a {fl['connections']}-connection flood (carol, {what})",
                         f"p50 {ms(c['p50'])}, p99 {ms(c['p99'])}, max {ms(c['max'])}, {c['failed']} failed", admitted,
                         f"p99 {ms(c['p99'])}", "p99 < 50 ms, all answered", c["p99"] < 50 and c["failed"] == 0,
                         value=c["p99"], fmt=lambda x: f"p99 {ms(x)}")
            peak = fl["memory_peak"] / 1024
            self.row("10", "daemon MemoryCurrent during the flood (peak)",
                     f"{mib(fl['memory_before'] / 1024)} before, {mib(peak)} peak, {mib(fl['memory_end'] / 1024)} at the end",
                     f"sampled {fl['memory_samples']} times", mib(peak), "< 64 MiB", peak < 64 * MIB, value=peak, fmt=mib)
            self.row("10", "daemon restarts during the flood (NRestarts)",
                     f"NRestarts {fl['nrestarts_before']} → {fl['nrestarts']}, {fl['active']}",
                     f"alice answered again {fl['alice_back_s']} s after her flood ended", str(fl["nrestarts"]), "0",
                     fl["nrestarts"] == 0 and fl["active"] == "active", value=fl["nrestarts"], fmt=lambda x: f"{x:.0f}")
        return self



class Merged:
    """The rows of several runs: each figure's median over the runs (the
    run that has it gives the row's other cells) and its spread."""
    def __init__(self, reports):
        self.reports = reports
        self.rows = []      # (Row of the median run, [values of every run], runs)
        order, by_key = [], {}
        for rep in reports:
            for r in rep.rows:
                if r.key not in by_key:
                    order.append(r.key)
                    by_key[r.key] = []
                by_key[r.key].append(r)
        for key in order:
            rs = by_key[key]
            vals = sorted((r for r in rs if r.value is not None), key=lambda r: r.value)
            mid = vals[(len(vals) - 1) // 2] if vals else rs[0]
            self.rows.append((mid, [r.value for r in rs], rs))
        self.unmet = [f"{r.num} {r.name}: {r.fig} (target {r.target})" for r, _, _ in self.rows if r.ok is False]

    def representative(self):
        """The run that gives the most rows their median."""
        counts = [0] * len(self.reports)
        for mid, _, rs in self.rows:
            for i, rep in enumerate(self.reports):
                if mid in rep.rows:
                    counts[i] += 1
        return max(range(len(counts)), key=lambda i: (counts[i], -i))

    def table(self):
        n = len(self.reports)
        out = [f"| # | benchmark | fairshare (the median run) | reference (the median run) | figure: median of {n} | "
               f"spread: min – max ({n} runs) | target | |",
               "|---|---|---|---|---|---|---|---|"]
        for mid, vals, rs in self.rows:
            known = sorted(v for v in vals if v is not None)
            if len(known) > 1 and mid.value is not None and mid.fmt is not None:
                spread = f"{mid.fmt(known[0])} – {mid.fmt(known[-1])}"
                misses = sum(1 for r in rs if r.ok is False)
                if misses and mid.ok is not False:
                    spread += f" (not met in {misses} of {len(rs)})"
            else:
                spread = "—"
            out.append("| " + " | ".join(cell(c) for c in (mid.num, mid.name, mid.fs, mid.ref, mid.fig, spread,
                                                          mid.target, met(mid.ok))) + " |")
        return "\n".join(out)


def cell(text):
    """A table cell: a '|' would end it, even inside backticks."""
    return str(text).replace("|", "\\|")


def short(argv):
    return argv.replace("/usr/bin/", "")


def rps(x):
    return "—" if x is None else f"{x:,.0f} req/s"


def us(x):
    return "—" if x is None else f"{x:,.0f} µs"


def stats_table(title_rows):
    out = ["| what | runs | min | median | mean | p90 | p99 | max | failed |",
           "|---|---|---|---|---|---|---|---|---|"]
    for title, s in title_rows:
        if not s or not s.get("n"):
            out.append(f"| {cell(title)} | 0 | | | | | | | {s.get('failed', '') if s else ''} |")
            continue
        out.append(f"| {cell(title)} | {s['n']} | {s['min']:.2f} | {s['median']:.2f} | {s['mean']:.2f} | "
                   f"{s['p90']:.2f} | {s['p99']:.2f} | {s['max']:.2f} | {s.get('failed', 0)} |")
    return "\n".join(out)


def normalise(d):
    """One run's JSON (older Benchmarks/run) as a list of runs."""
    if "runs" in d:
        return d
    return {"runs": [{k: d[k] for k in ("machine", "startup", "policy", "inside")}], "run": d["run"]}


def merged(d):
    return Merged([Report(r).build() for r in d["runs"]])


def document(d):
    d = normalise(d)
    rep = merged(d)
    k = rep.representative()
    nruns = len(d["runs"])
    d1 = d["runs"][k]
    ins, m, run = d1["inside"], d1["machine"], d["run"]
    o = []
    w = o.append
    w("# fairshare benchmarks")
    w("")
    w("Issue 9: what fairshare costs next to doing the same by hand with systemd's tools, and how")
    w("the daemon grows with its users. Every comparison below is a ratio of two things measured")
    w("side by side in one run on one machine (interleaved, A B B A …); the raw numbers follow.")
    w("Issue 16 adds benchmarks 9 and 10: another user's status while a release waits on systemd,")
    w("and while one user floods the daemon with connections and requests she never reads.")
    w("")
    w(f"**This file is generated** by `make bench` (`Benchmarks/run`); do not edit it by hand. "
      f"Run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(d['run'].get('generated', time.time())))}, "
      f"{run['total_s']:.0f} s in all ({run['build_s']:.0f} s of it builds, {run['container_s']:.0f} s in the container).")
    w("")
    w("## How to run")
    w("")
    w("```sh")
    w("make bench                                  # = Benchmarks/run --runs 3: build, measure three times, write BENCHMARKS.md")
    w("Benchmarks/run --binary path/to/fairshare   # a binary built elsewhere (static Swift stdlib)")
    w("Benchmarks/run --runs 1 --iterations 50 --users 100 --output /tmp/b.md --json /tmp/b.json   # quicker")
    w("python3 Benchmarks/lib/report.py /tmp/b.json > /tmp/b.md     # the report again from kept figures")
    w("Benchmarks/run --help")
    w("```")
    w("")
    w("It needs root and what the system tests need (`make deps`: systemd-nspawn, debootstrap, a")
    w("cgroup v1/hybrid host), and installs `hyperfine` and `valgrind` with apt-get when missing.")
    w("It builds the release binary the way `Tests/System/run` does (scratch path `.build-system`)")
    w("and `Benchmarks/loadgen` (`.build-bench`), boots one throw-away container with a real")
    w("systemd through `Tests/System/testbed`, prepares it with the system tests'")
    w("`setup_container` (fairshare under the shipped unit, user `alice` in group `fairshare`, the")
    w("system tests' policy) and runs `Benchmarks/lib/inside.py` there as root; with `--runs N` it")
    w("does all of that (and the host's start-up and policy benchmarks) N times, each in a fresh")
    w("container. Benchmarks 9 and 10 run the system tests' own helpers (`Tests/System/lib`:")
    w("`latency.py`, `daemonload.py`, `fsclient.py`), as `45-never-stalls.sh` and")
    w("`38-daemon-fairness.sh` do.")
    w("")
    w("## Results")
    w("")
    w(rep.table())
    w("")
    w(f"Run with `--runs {nruns}` `--iterations {run['iterations']}` (exec, request, status, start-up), "
      f"`--users {run['users']}`, `--seconds {run['seconds']:g}` per throughput round. "
      "Figures are fairshare ÷ reference on medians. "
      f"Each of the {nruns} runs is a fresh container; a row's figure is the median over the runs, the spread their "
      "lowest and highest, and the other cells come from the run whose figure is the median. "
      "Benchmarks 9 and 10 run last (after the scale benchmarks, with their 1,000 users): a flood grows the "
      "daemon's heap, which the RSS figures must not see.")
    w("")
    w(f"Load averages (1, 5, 15 min) at the start of each run: "
      + "; ".join(" ".join(r["machine"]["loadavg"]) for r in d["runs"]) + ".")
    w("")
    if nruns > 1:
        w(f"The sections below, after the cost growth, are run {k + 1} of {nruns} (the run that gives most "
          "rows their median), except where they say otherwise.")
        w("")
    sc = ins.get("scale")
    if sc:
        w("### Cost growth (benchmark 8)")
        w("")
        w("Users holding allocations (alice included); alice's `fairshare request --cpu 0.3|0.4` and")
        w("`fairshare status`, root's `fairshare admin list` (medians), and the daemon's resident memory")
        w("before and after those.")
        w("")
        if nruns > 1:
            w(f"Each cell: the median over the {nruns} runs of each run's median, and in brackets the lowest and "
              "highest of them.")
            w("")
        w("| users | request | status | `admin list` | daemon RSS | RSS after | peak RSS (VmHWM) |")
        w("|---:|---:|---:|---:|---:|---:|---:|")
        stages_by_run = [{st["users"]: st for st in (r["inside"].get("scale") or {}).get("stages", [])} for r in d["runs"]]

        def over_runs(users, get, fmt):
            vals = sorted(v for v in (get(sr[users]) if users in sr else None for sr in stages_by_run) if v is not None)
            if not vals:
                return "—"
            mid = vals[(len(vals) - 1) // 2]
            return fmt(mid) + (f" ({fmt(vals[0])} – {fmt(vals[-1])})" if len(vals) > 1 else "")
        for s in sc["stages"]:
            u = s["users"]
            al = s["admin_list"]
            alt = (over_runs(u, lambda x: None if x["admin_list"].get("failed") else x["admin_list"].get("median"), ms)
                   if not al.get("failed") else f"**fails** ({al['first_failure']})")
            w(f"| {u} | {over_runs(u, lambda x: x['request'].get('median'), ms)}{failures(s['request'])} | "
              f"{over_runs(u, lambda x: x['status'].get('median'), ms)}{failures(s['status'])} | {alt} | "
              f"{over_runs(u, lambda x: x['rss_kib']['VmRSS'], mib)} | "
              f"{over_runs(u, lambda x: x['rss_after_kib']['VmRSS'], mib)} | "
              f"{over_runs(u, lambda x: x['rss_after_kib']['VmHWM'], mib)} |")
        w("")
    if rep.unmet:
        w("### Targets not met (on the median)")
        w("")
        for u in rep.unmet:
            w(f"* {u}")
        w("")
    floors = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "FLOORS.md")
    if os.path.exists(floors):
        with open(floors) as f:
            w(f.read().rstrip("\n"))
        w("")
    w("## What each benchmark measures")
    w("")
    w("1. **exec overhead** — `fairshare exec -q -- true` run by alice (the daemon moves the process")
    w("   into a new scope in her slice, then it execs `true`) against `systemd-run --scope --quiet")
    w("   --slice=fairshare-UID.slice true` run by root, in the same container. Wall time per run,")
    w("   process start included on both sides.")
    w("2. **request / change** — `fairshare request --cpu 0.3` and `0.4` alternating (a real change")
    w("   every time) against `systemctl set-property --runtime fairshare-UID.slice CPUQuota=30%|40%`.")
    w("3. **status** — `fairshare status` against `systemctl show -p MemoryCurrent,CPUUsageNSec,")
    w("   TasksCurrent fairshare-UID.slice`, both run by alice.")
    w("   Its second row, **status − `fairshare --version`**: both run by alice, interleaved, in the")
    w("   same run and container, started the same way: what one connect, one request and one reply")
    w("   cost on top of starting the client. The paired difference is the median of each round's")
    w("   status minus the `--version` that ran right before or after it.")
    w("4. **CLI start-up** — `fairshare --version` against `systemctl --version` and `/bin/true`")
    w("   with `hyperfine --shell=none` on the host, and instructions counted by `valgrind")
    w("   --tool=callgrind` (on a copy stripped of debug info with `objcopy --strip-debug`).")
    w("5. **daemon throughput** — `Benchmarks/loadgen`: 8 threads, each holding one connection open")
    w("   and sending `{\"v\":1,\"op\":\"status\"}` lines one at a time as alice, against fairshared")
    w("   and against `echoserver`, a bare Dispatch line server built like the daemon's (one serial")
    w("   queue, a read source per connection) that answers each line with itself: the ceiling.")
    w("   Alternating rounds; the medians of the rounds.")
    w("6. **scale** — the policy gets `allocator: none` and `overcommit: {cpu: 1000}`; users")
    w("   `bu0001…` (written straight into `/etc/passwd`, primary group `fairshare`) each take")
    w("   0.01 CPU, 1M, 16 tasks over the socket, 4 at a time. At the last step: root's `fairshare")
    w("   admin list`, the daemon's VmRSS (idle: before its first request), and `systemctl restart")
    w("   fairshared` (the unit is `Type=notify`, so it returns at READY) until a status request on")
    w("   the socket is answered: three times as it is (the daemon matches `state.json` against the")
    w("   slices systemd lists), then once with `state.json` removed (every slice adopted from")
    w("   systemd alone). The counts come from the daemon's start-up line in the journal.")
    w("7. **policy** — a generated 1 MiB policy (`Benchmarks/lib/genpolicy.py`: 200 groups and")
    w("   ~10,600 users, block and flow forms, comments, quotes) parsed by FairshareCore's")
    w("   `YAMLParser.parse` and by Yams 6.2.2's `Yams.compose` (both build a node tree), on the host.")
    w("8. **cost growth** — the table above: the same measurements at 10, 100 and 1,000 users.")
    w("9. **never stalls** (issue 16, as `Tests/System/tests/45-never-stalls.sh`) — alice's")
    w("   `fairshare release` waits on a scope whose process ignores SIGTERM (systemd sends SIGKILL")
    w("   after the scope's 10 s stop timeout); meanwhile carol makes 100 status requests on the")
    w("   socket, each on a fresh connection (`latency.py`), then 100 runs of `fairshare status`")
    w("   (`daemonload.py latency … fairshare`). The scope must still be stopping afterwards.")
    w("10. **fairness under a flood** (issue 16, as `Tests/System/tests/38-daemon-fairness.sh`) —")
    w("   policy `daemon: {reply_buffer: 64K}`; alice opens 1000 connections at once (those past")
    w("   `daemon.connections_per_user`, 64, are refused) and pipelines status requests on the")
    w("   admitted ones, 8 at a time, for 12 s without reading a reply (`daemonload.py flood`);")
    w("   2.5 s in, carol's 100 requests on the socket and 100 runs of `fairshare status`. The")
    w("   daemon's MemoryCurrent is read from its cgroup (`memory.usage_in_bytes` on v1, what")
    w("   systemd reports) every 0.1 s; NRestarts from systemd at the end.")
    w("")
    w("## Raw numbers")
    w("")
    w("Milliseconds of wall time per run, from the driver's point of view (Python `subprocess`,")
    w("started the same way for both sides).")
    w("")
    rows = []
    for key, label in (("exec", "exec"), ("request", "request"), ("status", "status"), ("versus", "versus")):
        b = ins.get(key)
        if b:
            rows.append((f"{label}: `{b['a']['argv']}` ({b['a']['user']})", b["a"]))
            rows.append((f"{label}: `{b['b']['argv']}` ({b['b']['user']})", b["b"]))
    w(stats_table(rows))
    w("")
    if ins.get("exec_check"):
        w(f"Check: `fairshare exec -q -- cat /proc/self/cgroup` runs in `{ins['exec_check']}`.")
        w("")
    su = d1["startup"]
    w("CLI start-up on the host (hyperfine, ms; callgrind, instructions):")
    w("")
    w("| command | runs | median | mean | stddev | min | max | instructions |")
    w("|---|---|---|---|---|---|---|---|")
    for k in ("fairshare", "systemctl", "true"):
        h = su["hyperfine"][k]
        w(f"| `{h['command']}` | {h['runs']} | {h['median']:.2f} | {h['mean']:.2f} | {h['stddev']:.2f} | "
          f"{h['min']:.2f} | {h['max']:.2f} | {su['callgrind'].get(k) or 0:,} |")
    w("")
    tp = ins.get("throughput")
    if tp:
        w(f"Throughput rounds ({tp['connections']} connections, {tp['seconds']:g} s each, after 0.3 s warm-up):")
        w("")
        w("| round | server | requests/s | p50 µs | p90 µs | p99 µs | max µs | errors |")
        w("|---|---|---|---|---|---|---|---|")
        for kind in ("echo", "daemon"):
            for i, r in enumerate(tp["rounds"][kind]):
                if "error" in r:
                    w(f"| {i + 1} | {kind} | {r['error']} | | | | | |")
                else:
                    w(f"| {i + 1} | {kind} | {r['rps']:,.0f} | {r['p50_us']:.0f} | {r['p90_us']:.0f} | "
                      f"{r['p99_us']:.0f} | {r['max_us']:.0f} | {r['errors']} |")
        w("")
    if sc:
        w(f"Scale: {sc['users_written_s']:.3f} s to write the users; {sc['allocating_s']:.1f} s to grant their "
          f"allocations ({sc['allocation_failures']['failed']} failed"
          + (f": {sc['allocation_failures']['first_failure']}" if sc['allocation_failures']['failed'] else "") + ").")
        w("")
        rows = []
        for s in sc["stages"]:
            rows.append((f"{s['users']} users: request", s["request"]))
            rows.append((f"{s['users']} users: status", s["status"]))
            rows.append((f"{s['users']} users: admin list", s["admin_list"]))
        w(stats_table(rows))
        w("")
        w("| restart | state.json | `systemctl restart` returned | socket answered | allocations | adopted | dropped | RSS after |")
        w("|---|---|---|---|---|---|---|---|")
        for i, r in enumerate(sc["restarts"]):
            answered = "—" if r["to_answer_s"] is None else f"{r['to_answer_s']:.3f} s"
            w(f"| {i + 1} | {'removed' if r.get('cold') else 'kept'} | {r['to_ready_s']:.3f} s | {answered} | "
              f"{r['allocations']} | {r['adopted']} | {r['dropped']} | {mib(r['rss_kib']['VmRSS'])} |")
        w("")
        w("The scale policy, added as `/etc/fairshare/policy.d/90-bench.yaml`:")
        w("")
        w("```yaml")
        w(sc["policy"].rstrip())
        w("```")
        w("")
    if any(r["inside"].get("stalls") or r["inside"].get("flood") for r in d["runs"]):
        w("Benchmarks 9 and 10 (issue 16), every run: carol's status p50 / p99 / max in ms and failures, "
          "on the socket (the system tests' `latency.py` / `daemonload.py latency`) and as runs of "
          "`fairshare status`.")
        w("")
        w("| run | benchmark | socket p50 / p99 / max | failed | `fairshare status` p50 / p99 / max | failed | meanwhile |")
        w("|---|---|---|---|---|---|---|")

        def lat(c):
            if not c or c.get("p99") is None:
                return (c or {}).get("error", "—"), ""
            return f"{c['p50']:.2f} / {c['p99']:.2f} / {c['max']:.2f}", str(c["failed"])
        for i, r in enumerate(d["runs"]):
            st, fl = r["inside"].get("stalls"), r["inside"].get("flood")
            if st:
                a, b = lat(st.get("socket")), lat(st.get("client"))
                w(f"| {i + 1} | 9 stuck release | {a[0]} | {a[1]} | {b[0]} | {b[1]} | scope "
                  f"{st.get('scope_before')} → {st.get('scope_during')} → {st.get('scope_after')} → {st.get('scope_end')}; "
                  f"release exit {st.get('release_rc')} after {st.get('release_s')} s |")
            if fl:
                a, b = lat(fl.get("socket")), lat(fl.get("client"))
                f = fl.get("flood") or {}
                w(f"| {i + 1} | 10 flood | {a[0]} | {a[1]} | {b[0]} | {b[1]} | "
                  + cell(f"{f.get('opened')} opened, {f.get('admitted')} admitted, {f.get('refused')} refused "
                         f"({(f.get('first_error') or {}).get('code')}), {f.get('batches')} batches of 8, "
                         f"{f.get('unread')} no longer read; MemoryCurrent {mib(fl['memory_before'] / 1024)} → "
                         f"peak {mib(fl['memory_peak'] / 1024)}; NRestarts {fl['nrestarts']}") + " |")
        w("")
    w(f"Daemon RSS: idle {mib(ins['idle']['rss_kib']['VmRSS'])}, after benchmarks 1–5 "
      f"{mib(ins['busy']['rss_kib']['VmRSS'])} (peak {mib(ins['busy']['rss_kib']['VmHWM'])}).")
    w("")
    po = d1["policy"]
    w(f"Policy parse ({po['bytes']:,} bytes, {po['lines']:,} lines; ms, {po['fairshare_parse']['n']} runs each):")
    w("")
    w("| what | median | min | max |")
    w("|---|---|---|---|")
    for k, label in (("fairshare_parse", "FairshareCore `YAMLParser.parse` (node tree)"),
                     ("yams_compose", "Yams `compose` (node tree)"),
                     ("fairshare_compile", "FairshareCore `PolicyCompiler.compile` (parse, schema, checks)"),
                     ("yams_load", "Yams `load` (typed values)")):
        p = po[k]
        w(f"| {label} | {p['median_ms']:.1f} | {p['min_ms']:.1f} | {p['max_ms']:.1f} |")
    w("")
    if su.get("profile"):
        w("## Profile: `fairshare --version`")
        w("")
        w("callgrind, inclusive instructions, the top entries below `main`:")
        w("")
        w("| instructions | % | function |")
        w("|---:|---:|---|")
        for p in su["profile"][:12]:
            fn = p["function"]
            if "swift::" in fn and "(" in fn:        # runtime C++: the name is enough
                fn = fn[:fn.index("(")] + "(…)"
            fn = cell(fn)
            w(f"| {p['instructions']:,} | {p['percent']:.1f} | `{fn}` |")
        w("")
    w("## Machine")
    w("")
    w(f"* {m['cpu']}, {m['cpus']} CPUs, {m['mem_gib']} GiB; {m['os']}, kernel {m['kernel']}, "
      f"cgroup v1/hybrid (`/sys/fs/cgroup` is {m['cgroup']})")
    w(f"* container: {ins['container']['systemd']} (Debian 12 rootfs, systemd-nspawn), "
      f"fairshare {ins['container']['fairshare']}")
    w(f"* {m['swift']}; {m['hyperfine']}; {m['valgrind']}")
    w(f"* load average at the start: {' '.join(m['loadavg'])} — the machine is shared with other builds, so")
    w("  absolute times drift from run to run; the side-by-side ratios are what to compare.")
    w("")
    return "\n".join(o)


def main():
    args = sys.argv[1:]
    summary = args and args[0] == "--summary"
    if summary:
        args = args[1:]
    d = json.load(open(args[0]))
    if summary:
        print(merged(normalise(d)).table())
        print(f"\ntotal run time {d['run']['total_s']:.0f} s")
    else:
        print(document(d))


if __name__ == "__main__":
    main()
