# Allocation through the CLI, checked in systemd and in the kernel's files.
# cgroup-v2: yes

slice_path() { echo "/org/freedesktop/systemd1/unit/fairshare_2d$1_2eslice"; }

test_request_sets_slice_limits() {
    local uid cg
    uid=$(uid_of alice)
    capture as alice fairshare request --cpu 0.5 --mem 64M
    assert_eq 0 "$RC" "request exits 0"
    assert_contains "$OUT" "Request approved" "stdout says the request is approved"
    assert_contains "$OUT" "fairshare-$uid.slice" "stdout names the slice"
    # systemctl renders the quota as a time span; the bus has the raw value.
    assert_eq "CPUQuotaPerSecUSec=500ms" "$(inside systemctl show -p CPUQuotaPerSecUSec "fairshare-$uid.slice")" "systemctl shows CPUQuotaPerSecUSec=500ms"
    assert_eq "t 500000" "$(inside busctl get-property org.freedesktop.systemd1 "$(slice_path "$uid")" org.freedesktop.systemd1.Slice CPUQuotaPerSecUSec)" "CPUQuotaPerSecUSec on the bus is 500000 µs/s"
    assert_eq "MemoryMax=67108864" "$(inside systemctl show -p MemoryMax "fairshare-$uid.slice")" "MemoryMax in systemd"
    cg=$(unit_cgroup "fairshare-$uid.slice")
    assert_eq "/fairshare.slice/fairshare-$uid.slice" "$cg" "the slice sits under fairshare.slice"
    assert_eq 0.5 "$(cpu_quota_fraction "$cg")" "kernel: the CPU quota ($(cpu_quota_files)) is 0.5 of a CPU"
    assert_eq 67108864 "$(memory_limit "$cg")" "kernel: the memory limit ($(memory_limit_file))"
}

test_request_above_max_is_refused() {
    local uid
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M > /dev/null
    capture as alice fairshare request --cpu 4
    assert_eq 1 "$RC" "a request above max exits 1"
    assert_contains "$ERR" "refused" "stderr says refused"
    assert_match "$ERR" "cpu" "stderr names the limit (cpu)"
    assert_eq "t 500000" "$(inside busctl get-property org.freedesktop.systemd1 "$(slice_path "$uid")" org.freedesktop.systemd1.Slice CPUQuotaPerSecUSec)" "the slice's quota is unchanged"
}

test_status_lines() {
    local uid out
    uid=$(uid_of alice)
    as alice fairshare release >/dev/null
    out=$(as alice fairshare status)
    assert_eq "Your slice: none" "$(printf '%s\n' "$out" | sed -n 3p)" "no slice before a request"
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    out=$(as alice fairshare status)
    assert_match "$(printf '%s\n' "$out" | sed -n 1p)" '^System: [0-9.]+ CPUs? / [0-9.]+[KMGT] RAM$' "line 1: System"
    assert_match "$(printf '%s\n' "$out" | sed -n 2p)" '^Available: [0-9.]+ CPUs? / [0-9.]+[KMGT]$' "line 2: Available"
    assert_eq "Your slice: fairshare-$uid.slice" "$(printf '%s\n' "$out" | sed -n 3p)" "line 3: Your slice"
    assert_eq "Allocation: 0.5 CPUs / 64M" "$(printf '%s\n' "$out" | sed -n 4p)" "line 4: Allocation"
    local cpus
    cpus=$(inside nproc)
    assert_match "$(printf '%s\n' "$out" | sed -n 1p)" "^System: $cpus CPUs? " "System shows the container's $cpus CPUs"
    as alice fairshare status --json | inside python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["allocation"]["mem"] == 67108864, d' \
        && pass "status --json is JSON with the allocation" || fail "status --json"
}

test_whoami() {
    local uid
    uid=$(uid_of alice)
    capture as alice fairshare whoami
    assert_eq 0 "$RC" "whoami exits 0"
    assert_contains "$OUT" "uid: $uid" "whoami shows the uid"
    assert_contains "$OUT" "user: alice" "whoami shows the user"
    assert_match "$OUT" '^groups: .*\bfairshare\b' "whoami lists group fairshare"
    assert_match "$OUT" 'none' "without an allocation the slice is none"
    as alice fairshare request --cpu 0.5 --mem 64M > /dev/null
    assert_contains "$(as alice fairshare whoami)" "fairshare-$uid.slice" "with an allocation it names the slice"
    assert_contains "$(as carol fairshare whoami)" "role: admin" "an admin_group member is admin"
}

test_release_removes_the_slice() {
    local uid cg d
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M > /dev/null
    cg=$(unit_cgroup "fairshare-$uid.slice")
    capture as alice fairshare release
    assert_eq 0 "$RC" "release exits 0"
    assert_contains "$OUT" "released" "stdout says released"
    assert_ne active "$(inside systemctl is-active "fairshare-$uid.slice")" "the slice is no longer active"
    for d in $(cg_dirs "$cg"); do
        if inside test -d "$d"; then fail "cgroup $d still exists"; else pass "cgroup $d removed"; fi
    done
    assert_contains "$(as alice fairshare release)" "Nothing to release" "a second release is harmless"
}

test_fair_share_leaves_room_for_newcomers() {
    local out rc
    # Polynomial fairdist (the default) on the container's 2 CPUs: the first
    # holder may take 2/2 = 1 CPU; then 1 CPU is left, and the second may
    # take at most (1 + 0) / 3 of it.
    as alice fairshare release >/dev/null
    assert_contains "$(as carol fairshare request --cpu 1 --mem 64M)" "Request approved" "the first holder gets half the pool"
    out=$(as alice fairshare request --cpu 1 --mem 64M 2>&1); rc=$?
    assert_eq 1 "$rc" "the second holder cannot take all that is left"
    assert_contains "$out" "fair share" "the refusal names the fair-share bound"
    assert_contains "$out" "at most 0.33 CPUs would be granted now" "and says what would fit"
    assert_contains "$(as alice fairshare request --cpu 0.33 --mem 64M)" "Request approved" "what it said fits is granted"
    as alice fairshare status --json | inside python3 -c 'import json,sys; d=json.load(sys.stdin); assert abs(d["available"]["cpu"] - 0.67) < 0.011, d' \
        && pass "available is capacity minus both holdings" || fail "available after two grants"
    as carol fairshare release >/dev/null
}

test_pool_is_capped_at_capacity() {
    local uid cpus
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    cpus=$(inside nproc)
    assert_eq "t $((cpus * 1000000))" "$(inside busctl get-property org.freedesktop.systemd1 /org/freedesktop/systemd1/unit/fairshare_2eslice org.freedesktop.systemd1.Slice CPUQuotaPerSecUSec)" "fairshare.slice is capped at the pool's $cpus CPUs"
    assert_eq "$cpus" "$(cpu_quota_fraction /fairshare.slice)" "… and the kernel applies it"
    assert_ne "MemoryMax=infinity" "$(inside systemctl show -p MemoryMax fairshare.slice)" "fairshare.slice has a memory cap"
}

test_lease_ends_by_itself() {
    local uid out
    uid=$(uid_of alice)
    out=$(as alice fairshare request --cpu 0.5 --mem 64M --for 3s 2>&1)
    assert_contains "$out" "Lease: ends" "the grant states the lease"
    assert_contains "$(as alice fairshare status 2>&1)" "warning: your lease ends in" "commands warn when the lease ends soon"
    sleep 4.5
    assert_ne active "$(inside systemctl is-active "fairshare-$uid.slice")" "the slice stopped when the lease ended"
    out=$(as alice fairshare status 2>&1)
    assert_contains "$out" "notice: your lease of 0.5 CPUs / 64M ended" "the next command says why"
    assert_contains "$(inside journalctl MESSAGE_ID=e4b1d2c39f8a4b7e8d6c5a4f3e2d1c0b -o verbose --no-pager)" "FAIRSHARE_USER=alice" "the expiry is in the journal"
}

test_idle_allocations_are_released() {
    local uid
    uid=$(uid_of alice)
    inside sh -c 'echo "idle_release: 3s" > /etc/fairshare/policy.d/90-idle.yaml && systemctl reload fairshared'
    as alice fairshare release >/dev/null
    as carol fairshare release >/dev/null
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    as carol fairshare request --cpu 0.5 --mem 64M >/dev/null
    # carol's slice stays busy: one task in it the whole time.
    "$TESTBED" run "$TB" --user carol --background busy-carol -- fairshare exec -q -- sleep 30
    sleep 6
    assert_ne active "$(inside systemctl is-active "fairshare-$uid.slice")" "an idle slice is released after idle_release"
    assert_contains "$(as alice fairshare status 2>&1)" "notice: your allocation of 0.5 CPUs / 64M was idle for 3s and was released" "the user is told why"
    assert_eq active "$(inside systemctl is-active "fairshare-$(uid_of carol).slice")" "a slice with running work is kept"
    assert_contains "$(inside journalctl MESSAGE_ID=7c3e9a1f5b2d4c6e8a0f1e3d5c7b9a24 -o verbose --no-pager)" "FAIRSHARE_USER=alice" "the release is in the journal"
    inside systemctl stop busy-carol >/dev/null 2>&1
    inside sh -c 'rm /etc/fairshare/policy.d/90-idle.yaml && systemctl reload fairshared'
    as carol fairshare release >/dev/null
}
