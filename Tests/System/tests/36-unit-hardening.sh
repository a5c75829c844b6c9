# The daemon under the shipped unit's sandbox: what systemd and the kernel
# hold it to, and that it still does its work inside it.
# cgroup-v2: yes

# The highest `systemd-analyze security` exposure the shipped unit may have
# (systemd 252 in the testbeds: 1.8 with the hardening, 2.9 before it).
MAX_EXPOSURE=1.8

main_pid() { inside systemctl show -p MainPID --value fairshared; }
# FIELD of the daemon's /proc/PID/status ("CapBnd", "Threads", …).
status_field() { inside sh -c 'sed -n "s/^$2:[[:space:]]*//p" /proc/$1/status' sh "$(main_pid)" "$1"; }

test_systemd_and_the_kernel_hold_the_daemon_to_the_unit() {
    local props cg exposure threads
    props=$(inside systemctl show fairshared -p RestrictRealtime -p UMask -p MemoryMax -p TasksMax \
        -p CapabilityBoundingSet -p PrivateNetwork -p PrivateIPC -p IPAddressDeny -p ProtectSystem -p DevicePolicy -p WatchdogUSec)
    assert_contains "$props" "RestrictRealtime=yes" "RestrictRealtime=yes"
    assert_contains "$props" "UMask=0077" "UMask=0077"
    assert_contains "$props" "TasksMax=64" "TasksMax=64"
    assert_contains "$props" "MemoryMax=268435456" "MemoryMax=256M"
    assert_contains "$props" "WatchdogUSec=30s" "WatchdogSec=30s"
    assert_contains "$props" "CapabilityBoundingSet=cap_chown cap_sys_admin" "capabilities: CAP_CHOWN and CAP_SYS_ADMIN only"
    assert_contains "$props" "PrivateNetwork=yes" "PrivateNetwork=yes"
    assert_contains "$props" "PrivateIPC=yes" "PrivateIPC=yes"
    assert_contains "$props" "ProtectSystem=strict" "ProtectSystem=strict"
    assert_contains "$props" "DevicePolicy=closed" "DevicePolicy=closed"

    # The kernel's view: bounding set bits 0 (CAP_CHOWN) and 21 (CAP_SYS_ADMIN).
    assert_eq 0000000000200001 "$(status_field CapBnd)" "the daemon's bounding set in the kernel"
    assert_eq 0000000000200001 "$(status_field CapEff)" "… and its effective set"
    cg=$(unit_cgroup fairshared.service)
    assert_eq 64 "$(pids_limit "$cg")" "pids.max of $cg"
    assert_eq 268435456 "$(memory_limit "$cg")" "the memory limit of $cg in the kernel"

    # Working under it: a request, an exec, a status; then the threads it
    # runs are well inside TasksMax.
    assert_contains "$(as alice fairshare request --cpu 0.5 --mem 64M)" "Request approved" "a request under the sandbox"
    assert_contains "$(as alice fairshare exec -- cat /proc/self/cgroup 2>&1)" "fairshare-$(uid_of alice)-exec-" "an exec under the sandbox"
    threads=$(status_field Threads)
    assert_between 1 16 "$threads" "the daemon runs $threads threads (TasksMax=64)"

    capture inside systemd-analyze security --no-pager fairshared.service
    exposure=$(printf '%s\n' "$OUT" | sed -n 's/.*Overall exposure level for fairshared.service: \([0-9.]*\).*/\1/p')
    echo "    # systemd-analyze security: exposure $exposure"
    assert_match "$exposure" '^[0-9]+\.[0-9]$' "systemd-analyze security reports an exposure level"
    if awk -v e="$exposure" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(e != "" && e + 0 <= m + 0) }'; then
        pass "exposure $exposure is at most $MAX_EXPOSURE"
    else
        fail "exposure '$exposure' is above $MAX_EXPOSURE"
    fi
}

test_files_keep_their_modes_under_umask_0077() {
    local id
    # setup started fairshared without fairshared.socket: the daemon bound
    # the socket itself.
    assert_eq "660 root fairshare" "$(inside stat -c '%a %U %G' /run/fairshare.sock)" "the daemon's own socket is 0660 root:fairshare"
    assert_exit 0 "an admin changes the policy" as carol fairshare admin set-default --cpu 0.25
    assert_eq "755 644" "$(inside stat -c %a /var/lib/fairshare/policy.d /var/lib/fairshare/policy.d/admin.yaml | paste -sd' ')" \
        "the daemon's policy directory and file keep 0755/0644 (fairshare admin check reads them)"
    capture as alice fairshare admin check
    assert_eq 0 "$RC" "a member checks the whole policy, the daemon's file included"
    assert_contains "$(as alice fairshare request --cpu 0.5)" "Request approved" "request"
    assert_eq 600 "$(inside stat -c %a /var/lib/fairshare/state.json)" "state.json is 0600"
    id=$(as alice fairshare run -- sh -c 'echo from-the-job')
    assert_match "$id" "^[0-9]+$" "a job starts: '$id'"
    capture as alice fairshare logs -f "$id"
    assert_eq "from-the-job" "$OUT" "its log is written and read back"
}
