# The pool: the machine, bounded by cgroup limits above the daemon, minus
# the policy's reserve.

test_capacity_follows_cgroup_limits_and_reserve() {
    local out cpus
    cpus=$(inside nproc)
    out=$(as alice fairshare status)
    assert_match "$(printf '%s\n' "$out" | sed -n 1p)" "^System: $cpus CPUs / " "unbounded: all $cpus CPUs"
    inside systemctl set-property --runtime system.slice MemoryMax=1G CPUQuota=150%
    inside systemctl restart fairshared
    out=$(as alice fairshare status)
    assert_eq "System: 1.5 CPUs / 1G RAM" "$(printf '%s\n' "$out" | sed -n 1p)" "bounded by system.slice's CPUQuota and MemoryMax"
    inside sh -c 'printf "reserve:\n  cpu: 0.5\n  mem: 256M\n" > /etc/fairshare/policy.d/50-reserve.yaml && systemctl reload fairshared'
    sleep 0.3
    assert_eq "System: 1 CPU / 768M RAM" "$(as alice fairshare status | sed -n 1p)" "the reserve is kept back"
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    assert_eq "Available: 0.5 CPUs / 704M" "$(as alice fairshare status | sed -n 2p)" "available is the pool minus allocations"
    # Without the fairdist bound, what is left is the only limit.
    inside sh -c 'echo "allocator: none" > /etc/fairshare/policy.d/60-none.yaml && systemctl reload fairshared'
    sleep 0.3
    out=$(as carol fairshare request --cpu 0.75 --mem 64M 2>&1)
    assert_contains "$out" "cpu 0.75 CPUs exceeds what is available (0.5 CPUs free for you); at most 0.5 CPUs would be granted now" "a request over available is refused, saying what fits"
    assert_contains "$(as carol fairshare request --cpu 0.5 --mem 64M)" "Request approved" "what fits is granted"
}
