# shellcheck shell=bash
# The benchmarks that run on the host, for Benchmarks/run (sourced).
#
#   startup_bench BINARY RUNS WORK   CLI start-up: hyperfine over
#                                    `fairshare --version`, `systemctl --version`
#                                    and /bin/true, then instructions counted by
#                                    callgrind for each, with the profile's top
#                                    functions for fairshare; JSON on stdout
#   machine_info                     the machine, as JSON on stdout
#
# valgrind cannot read the Swift binary's DWARF, so callgrind runs a copy
# with `objcopy --strip-debug` (the symbol table stays, so the profile still
# names functions). The copy keeps the name `fairshare`: the binary picks
# client or daemon by argv[0].

startup_bench() {
    local bin=$1 runs=$2 work=$3 c
    mkdir -p "$work/nodebug"
    objcopy --strip-debug "$bin" "$work/nodebug/fairshare" || return 1
    hyperfine --shell=none --warmup 20 --runs "$runs" --style none --export-json "$work/hyperfine.json" \
        "$bin --version" "systemctl --version" "/bin/true" > "$work/hyperfine.log" 2>&1 ||
        { cat "$work/hyperfine.log" >&2; return 1; }
    for c in fairshare systemctl true; do
        local argv
        case "$c" in
            fairshare) argv=("$work/nodebug/fairshare" --version) ;;
            systemctl) argv=(systemctl --version) ;;
            true) argv=(/bin/true) ;;
        esac
        valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.$c.out" "${argv[@]}" \
            > /dev/null 2> "$work/callgrind.$c.log" || { cat "$work/callgrind.$c.log" >&2; return 1; }
    done
    callgrind_annotate --inclusive=yes "$work/callgrind.fairshare.out" 2>/dev/null | head -n 60 > "$work/annotate.txt"
    local demangle=cat
    if command -v swift-demangle > /dev/null; then
        demangle="swift-demangle --simplified"
    elif [ -x "$(dirname "$(command -v "${SWIFT:-swift}" 2>/dev/null || echo /x)")/swift-demangle" ]; then
        demangle="$(dirname "$(command -v "${SWIFT:-swift}")")/swift-demangle --simplified"
    fi
    $demangle < "$work/annotate.txt" > "$work/annotate.demangled.txt" 2>/dev/null ||
        cp "$work/annotate.txt" "$work/annotate.demangled.txt"
    python3 - "$work" "$bin" <<'EOF'
import json, re, sys
work, binary = sys.argv[1:]
h = json.load(open(f"{work}/hyperfine.json"))
names = ["fairshare", "systemctl", "true"]
out = {"binary": binary, "hyperfine": {}, "callgrind": {}, "profile": []}
for name, r in zip(names, h["results"]):
    out["hyperfine"][name] = {"command": r["command"], "runs": len(r["times"]),
                              **{k: round(r[k] * 1000, 3) for k in ("median", "mean", "stddev", "min", "max")}}
for name in names:
    log = open(f"{work}/callgrind.{name}.log").read()
    m = re.search(r"Collected : (\d+)", log)
    out["callgrind"][name] = int(m.group(1)) if m else None
# Inclusive profile of fairshare --version: the top entries below main.
for line in open(f"{work}/annotate.demangled.txt", errors="replace"):
    m = re.match(r"^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*?)\s*$", line)
    if not m or "PROGRAM TOTALS" in line:
        continue
    fn = m.group(3)
    fn = re.sub(r"^\?\?\?:", "", fn)
    fn = re.sub(r" \[[^\]]*\]$", "", fn)
    if fn.startswith("0x") or "below main" in fn or "libc_start" in fn or "libc-start" in fn:
        continue
    out["profile"].append({"instructions": int(m.group(1).replace(",", "")), "percent": float(m.group(2)),
                           "function": fn[:160]})
    if len(out["profile"]) >= 15:
        break
json.dump(out, sys.stdout, indent=1)
EOF
}

machine_info() {
    python3 - <<'EOF'
import json, os, platform, re, subprocess
def sh(*a):
    try:
        return subprocess.run(a, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
swift = sh(os.environ.get("SWIFT", "swift"), "--version").splitlines()
print(json.dumps({
    "cpu": cpu, "cpus": os.cpu_count(), "mem_gib": round(mem / 1024 / 1024, 1),
    "kernel": platform.release(), "os": "Debian " + open("/etc/debian_version").read().strip(),
    "cgroup": sh("stat", "-f", "-c", "%T", "/sys/fs/cgroup"),
    "swift": swift[0] if swift else "?", "loadavg": open("/proc/loadavg").read().split()[:3],
    "hyperfine": sh("hyperfine", "--version"), "valgrind": sh("valgrind", "--version"),
}, indent=1))
EOF
}
