# What the kernel enforces on work started with `fairshare exec`.

exec_scope_cgroup() { # newest exec scope of UID → its ControlGroup
    local unit
    unit=$(inside systemctl list-units --plain --no-legend "fairshare-$1-exec-*.scope" | awk '{print $1}' | tail -n 1)
    [ -n "$unit" ] && inside systemctl show -p ControlGroup --value "$unit"
}

test_cpu_hog_held_at_quota() {
    local uid cg a b pct
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    "$TESTBED" run "$TB" --user alice --background cpu-hog -- fairshare exec -q -- sh -c 'while :; do :; done'
    for i in $(seq 50); do cg=$(exec_scope_cgroup "$uid") && [ -n "$cg" ] && break; sleep 0.1; done
    [ -n "$cg" ] || { fail "no exec scope appeared"; return; }
    sleep 1
    a=$(inside awk '/^usage_usec/{print $2}' "/sys/fs/cgroup/unified$cg/cpu.stat")
    sleep 4
    b=$(inside awk '/^usage_usec/{print $2}' "/sys/fs/cgroup/unified$cg/cpu.stat")
    pct=$(( (b - a) / 40000 ))
    echo "# CPU hog under CPUQuota=50%: ${pct}% of one CPU over 4 s"
    assert_between 40 55 "$pct" "CPU hog held at its quota"
    inside systemctl stop cpu-hog >/dev/null 2>&1
}

test_memory_hog_killed_at_memory_max() {
    local rc
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    as alice fairshare exec -q -- dd if=/dev/zero of=/dev/null bs=200M count=1 2>/dev/null; rc=$?
    assert_ne 0 "$rc" "a 200M allocation under MemoryMax=64M dies (status $rc)"
    as alice fairshare exec -q -- dd if=/dev/zero of=/dev/null bs=16M count=1 2>/dev/null; rc=$?
    assert_eq 0 "$rc" "a 16M allocation succeeds"
}

test_fork_storm_stopped_at_tasks_max() {
    local uid peak=0 n i log
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M --tasks 32 >/dev/null
    assert_eq 32 "$(inside cat "/sys/fs/cgroup/pids/fairshare.slice/fairshare-$uid.slice/pids.max")" "kernel pids.max is 32"
    # bash keeps going when fork fails; the children sleep so they pile up.
    # Counted from outside: once the slice is full, nothing inside can fork.
    "$TESTBED" run "$TB" --user alice --background fork-storm -- fairshare exec -q -- bash -c \
        'exec 2>/tmp/fork-storm.err; for i in $(seq 100); do sleep 4 & done; wait'
    for i in $(seq 30); do
        n=$(inside cat "/sys/fs/cgroup/pids/fairshare.slice/fairshare-$uid.slice/pids.current")
        [ "$n" -gt "$peak" ] && peak=$n
        sleep 0.1
    done
    echo "# fork storm of 100 under TasksMax=32: at most $peak tasks in the slice"
    assert_between 20 32 "$peak" "tasks pile up to TasksMax and never beyond"
    # bash retries a failed fork with back-off before it reports it.
    for i in $(seq 40); do
        log=$(inside cat /tmp/fork-storm.err 2>/dev/null)
        printf '%s' "$log" | grep -Eq 'Resource temporarily unavailable|retry' && break
        sleep 0.25
    done
    assert_match "$log" 'Resource temporarily unavailable|retry' "forks fail at the limit"
    inside systemctl stop fork-storm >/dev/null 2>&1
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
    out=$(as alice fairshare exec -- true 2>&1)
    assert_eq "Running under fairshare-$uid.slice (CPUQuota=50%, MemoryMax=64M)" "$out" "exec prints the slice and limits on stderr"
    out=$(as alice fairshare exec -q -- cat /proc/self/cgroup)
    assert_match "$out" "memory:/fairshare.slice/fairshare-$uid.slice/fairshare-$uid-exec-[0-9]+.scope" "the command runs in the exec scope"
}

test_exec_without_allocation_takes_defaults() {
    local uid
    uid=$(uid_of alice)
    as alice fairshare release >/dev/null
    as alice fairshare exec -q -- true; assert_eq 0 "$?" "exec works without a prior request"
    assert_eq "MemoryMax=67108864" "$(inside systemctl show -p MemoryMax "fairshare-$uid.slice")" "the slice got the policy defaults"
}
