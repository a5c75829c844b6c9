# What the kernel enforces on work started with `fairshare exec`.
# cgroup-v2: yes

exec_scope_cgroup() { # newest exec scope of UID → its ControlGroup
    local unit
    unit=$(inside systemctl list-units --plain --no-legend "fairshare-$1-exec-*.scope" | awk '{print $1}' | tail -n 1)
    [ -n "$unit" ] && inside systemctl show -p ControlGroup --value "$unit"
}

test_cpu_hog_held_at_quota() {
    local uid pid scope cg m pct
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M > /dev/null
    background cpu-hog alice fairshare exec -q -- sh -c 'while :; do :; done'
    pid=$(inside systemctl show -p MainPID --value cpu-hog.service)
    scope=fairshare-$uid-exec-$pid.scope
    for _ in $(seq 50); do [ "$(inside systemctl is-active "$scope")" = active ] && break; sleep 0.1; done
    assert_eq active "$(inside systemctl is-active "$scope")" "the hog (PID $pid) runs in $scope"
    cg=$(unit_cgroup "$scope")
    assert_eq "/fairshare.slice/fairshare-$uid.slice/$scope" "$cg" "… below the user's slice"
    # systemd leaves CPUUsageNSec unset on the v1 layout (cpu and cpuacct
    # apart); cpu.stat (v1: in the cgroup2 tracking hierarchy) has it.
    sleep 0.5
    m=$(inside sh -c 'u() { while read -r k v; do if [ "$k" = usage_usec ]; then echo "$v"; fi; done < "$1"; }
        a=$(u "$1"); read -r t0 _ < /proc/uptime; sleep 4; b=$(u "$1"); read -r t1 _ < /proc/uptime
        echo "$a $b $t0 $t1"' sh "$(cg_file unified "$cg" cpu.stat)")
    pct=$(echo "$m" | awk '{ if (NF == 4 && $4 > $3) printf "%.1f", ($2 - $1) / (($4 - $3) * 1e6) * 100 }')
    echo "    # CPU hog under CPUQuota=50%: ${pct:-?}% of one CPU over 4 s (usage_usec, uptime: $m)"
    assert_between 40 55 "${pct:-x}" "the hog gets 40-55 % of one CPU"
    inside systemctl kill --signal=KILL "$scope"
    for _ in $(seq 50); do [ "$(inside systemctl is-active cpu-hog.service)" = active ] || break; sleep 0.1; done
    assert_ne active "$(inside systemctl is-active "$scope")" "the hog is killed"
}

test_memory_hog_killed_at_memory_max() {
    local rc
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    as alice fairshare exec -q -- dd if=/dev/zero of=/dev/null bs=200M count=1 2>/dev/null; rc=$?
    assert_ne 0 "$rc" "a 200M allocation under MemoryMax=64M dies (status $rc)"
    echo "    # OOM kills counted for the slice: $(oom_kills "$(unit_cgroup "fairshare-$(uid_of alice).slice")")"
    as alice fairshare exec -q -- dd if=/dev/zero of=/dev/null bs=16M count=1 2>/dev/null; rc=$?
    assert_eq 0 "$rc" "a 16M allocation succeeds"
}

test_fork_storm_stopped_at_tasks_max() {
    local uid cg peak scope ev storm pids
    uid=$(uid_of alice)
    capture as alice fairshare request --cpu 0.5 --mem 64M --tasks 32
    assert_eq 0 "$RC" "request with --tasks 32"
    cg=$(unit_cgroup "fairshare-$uid.slice")
    pids=$(cg_dir pids "$cg")
    assert_eq 32 "$(pids_limit "$cg")" "kernel: the slice's pids.max is 32"
    # The storm runs while the slice's pids.current is sampled every 50 ms
    # for 3 s; its children sleep 5 s, so they pile up.
    storm=$TMPDIR/storm
    as alice fairshare exec -q -- sh -c 'for i in $(seq 100); do sleep 5 & done; wait' > "$storm.out" 2> "$storm.err" &
    peak=$(inside sh -c 'p=0; i=0; while [ $i -lt 60 ]; do read -r n < "$1/pids.current"; [ "$n" -le "$p" ] || p=$n; i=$((i + 1)); sleep 0.05; done; echo $p' sh "$pids")
    wait $!
    echo "    # fork storm of 100 under TasksMax=32: at most $peak tasks in the slice; the storm said: $(head -c 200 "$storm.err" | tr '\n' ' ')"
    assert_between 20 32 "$peak" "tasks pile up to TasksMax=32 and never beyond"
    # The kernel's own high-water mark (pids.peak, Linux 6.x), where there is one.
    if inside test -f "$pids/pids.peak"; then
        assert_between 20 32 "$(inside cat "$pids/pids.peak")" "kernel: the slice's pids.peak"
    fi
    # Fork failures: the shell's message (dash: "Cannot fork"), or the pids
    # controller's counter (v1: in the cgroup that forked, the exec scope).
    ev=$(inside sh -c 'cat "$1/pids.events" "$1"/fairshare-*-exec-*.scope/pids.events 2>/dev/null' sh "$pids" | awk '$1 == "max" { s += $2 } END { print s + 0 }')
    if grep -Eq 'Resource temporarily unavailable|Cannot fork' "$storm.err" || [ "$ev" -gt 0 ]; then
        pass "forks fail at the limit (pids.events max: $ev)"
    else
        fail "no fork failure: pids.events max $ev, stderr: $(head -c 300 "$storm.err")"
    fi
}

test_exec_exit_status_passes_through() {
    as alice fairshare exec -q -- sh -c 'exit 42'; assert_eq 42 "$?" "exit status 42 passes through"
    as alice fairshare exec -q -- /nonexistent 2>/dev/null; assert_eq 127 "$?" "a missing command gives 127"
    inside sh -c 'printf "#!/bin/sh\n" > /tmp/noexec; chmod 644 /tmp/noexec'
    as alice fairshare exec -q -- /tmp/noexec 2>/dev/null; assert_eq 126 "$?" "a non-executable file gives 126"
    # As a calling shell sees it: 128 + SIGTERM.
    assert_eq 143 "$(as alice sh -c 'fairshare exec -q -- sh -c "kill -TERM \$\$"; echo $?')" "death by signal shows as 128+15 to the caller"
}

test_exec_announces_the_slice() {
    local uid out
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    capture as alice fairshare exec -- true
    assert_eq 0 "$RC" "exec -- true exits 0"
    assert_eq "Running under fairshare-$uid.slice (CPUQuota=50%, MemoryMax=64M)" "$ERR" "exec prints the slice and limits on stderr"
    assert_eq "" "$OUT" "… and nothing on stdout"
    out=$(as alice fairshare exec -q -- cat /proc/self/cgroup)
    # v1: the memory hierarchy's line; v2: the only line, "0::PATH".
    local line="memory:"
    [ "$(cgroup_version)" = 1 ] || line="^0::"
    assert_match "$out" "$line/fairshare.slice/fairshare-$uid.slice/fairshare-$uid-exec-[0-9]+.scope" "the command runs in the exec scope"
}

# exec hands systemd the caller as a pidfd (PIDFDs=, systemd 253+); a
# systemd that does not know the property says so and gets PIDs= instead
# (PropertyCompatibility). The daemon decides from systemd's answer, never
# from its version; the test knows the version to know what to expect.
test_exec_unknown_property_falls_back_once() {
    local uid version n entries
    uid=$(uid_of alice)
    for n in 1 2 3; do
        capture as alice fairshare exec -q -- cat /proc/self/cgroup
        assert_eq 0 "$RC" "exec $n exits 0"
        assert_contains "$OUT" "fairshare-$uid-exec-" "exec $n runs in its scope"
    done
    version=$(inside systemctl --version | awk 'NR == 1 { print $2 }')
    entries=$(inside journalctl -u fairshared MESSAGE_ID=d182b358ea2744db9b6a05c349b4ee8c -o verbose --no-pager 2>/dev/null)
    n=$(printf '%s\n' "$entries" | grep -c '^ *FAIRSHARE_PROPERTY=')
    if [ "$version" -lt 253 ]; then
        assert_eq 1 "$n" "systemd $version: the unknown property is journalled once for three execs"
        assert_contains "$entries" "FAIRSHARE_PROPERTY=PIDFDs" "… and it is PIDFDs"
        assert_contains "$entries" "FAIRSHARE_DBUS_ERROR=org.freedesktop.DBus.Error.PropertyReadOnly" "… with systemd's D-Bus error"
    else
        assert_eq 0 "$n" "systemd $version knows every property sent: nothing journalled"
    fi
}

test_exec_without_allocation_takes_defaults() {
    local uid
    uid=$(uid_of alice)
    as alice fairshare release >/dev/null
    as alice fairshare exec -q -- true; assert_eq 0 "$?" "exec works without a prior request"
    assert_eq "MemoryMax=67108864" "$(inside systemctl show -p MemoryMax "fairshare-$uid.slice")" "the slice got the policy defaults"
}

test_exec_limits_narrow_one_command() {
    local uid scope cg
    uid=$(uid_of alice)
    as alice fairshare request --cpu 1 --mem 128M >/dev/null
    background named-hog alice fairshare exec -q --cpu 0.25 --mem 32M --name hog -- sh -c 'while :; do :; done'
    scope=fairshare-$uid-exec-hog.scope
    for _ in $(seq 50); do [ "$(inside systemctl is-active "$scope")" = active ] && break; sleep 0.1; done
    assert_eq active "$(inside systemctl is-active "$scope")" "--name names the scope $scope"
    assert_eq "CPUQuotaPerSecUSec=250ms" "$(inside systemctl show -p CPUQuotaPerSecUSec "$scope")" "systemd: the scope's own CPUQuota is 25%"
    assert_eq "MemoryMax=33554432" "$(inside systemctl show -p MemoryMax "$scope")" "systemd: the scope's own MemoryMax is 32M"
    cg=$(unit_cgroup "$scope")
    assert_eq 0.25 "$(cpu_quota_fraction "$cg")" "kernel: the scope's CPU quota ($(cpu_quota_files)) is 0.25 of a CPU"
    assert_eq "CPUQuotaPerSecUSec=1s" "$(inside systemctl show -p CPUQuotaPerSecUSec "fairshare-$uid.slice")" "the slice keeps the allocation"
    capture as alice fairshare exec --name hog -- true
    assert_eq 1 "$RC" "a second scope with the same name is refused"
    assert_contains "$ERR" "a scope named 'hog' is already running" "… and says why"
    capture as alice fairshare exec --mem 1G -- true
    assert_eq 1 "$RC" "an exec limit above the allocation is refused"
    assert_contains "$ERR" "--mem 1G is above your allocation of 128M" "… naming the allocation"
    inside systemctl kill --signal=KILL "$scope"
}
