# The policy as administrators change it: admin set-max on a live system,
# reload of a broken file, who may do what, checking without a daemon.
# cgroup-v2: when named

test_set_max_lowers_a_live_slice() {
    local uid cg before
    uid=$(uid_of alice)
    as alice fairshare request --cpu 1 --mem 128M >/dev/null
    assert_eq "CPUQuotaPerSecUSec=1s" "$(inside systemctl show -p CPUQuotaPerSecUSec "fairshare-$uid.slice")" "alice holds 1 CPU"
    before=$(inside sha256sum /etc/fairshare/policy.d/default.yaml)
    capture as carol fairshare admin set-max --user alice --cpu 0.5
    assert_eq 0 "$RC" "an admin_group member sets alice's max"
    assert_contains "$OUT" "Lowered alice from 1 CPU / 128M to 0.5 CPUs / 128M (new max)." "the reply lists the lowered allocation"
    assert_eq "CPUQuotaPerSecUSec=500ms" "$(inside systemctl show -p CPUQuotaPerSecUSec "fairshare-$uid.slice")" "systemd: the live slice's CPUQuota is lowered to 50%"
    cg=$(unit_cgroup "fairshare-$uid.slice")
    assert_eq 0.5 "$(cpu_quota_fraction "$cg")" "kernel: the CPU quota ($(cpu_quota_files)) is 0.5 of a CPU"
    assert_eq "MemoryMax=134217728" "$(inside systemctl show -p MemoryMax "fairshare-$uid.slice")" "memory, under the max, is kept"
    assert_eq "$before" "$(inside sha256sum /etc/fairshare/policy.d/default.yaml)" "the administrator's file is untouched"
    assert_contains "$(inside cat /var/lib/fairshare/policy.d/admin.yaml)" "users:
  alice:
    max:
      cpu: 0.5" "the change is in the daemon's own file"
    capture as alice fairshare status
    assert_contains "$ERR" "notice: the policy changed: your allocation was lowered from 1 CPU / 128M to 0.5 CPUs / 128M" "alice is told"
    assert_exit 1 "alice may no longer ask for more than the new max" as alice fairshare request --cpu 1
    capture as carol fairshare admin show-policy --user alice
    assert_match "$OUT" "^max\\.cpu +0\\.5 +/var/lib/fairshare/policy\\.d/admin\\.yaml:[0-9]+$" "show-policy names the file of the new max"
    assert_match "$OUT" "^max\\.mem +256M +/etc/fairshare/policy\\.d/default\\.yaml:[0-9]+$" "… and of the values it did not change"
    # The change survives a restart of the daemon.
    inside systemctl restart fairshared
    assert_exit 1 "after a restart the new max still holds" as alice fairshare request --cpu 1
    assert_exit 0 "--reset removes alice's max again" as carol fairshare admin set-max --user alice --reset
    assert_exit 0 "… and she may have 1 CPU again" as alice fairshare request --cpu 1
}

test_broken_policy_on_reload_keeps_the_running_one() {
    # zz-: after default.yaml, so its max overrides (files apply in lexical order).
    inside sh -c 'printf "max:\n  mem: 512M\n  memory: 1G\n" > /etc/fairshare/policy.d/zz-lab.yaml'
    capture as carol fairshare admin reload
    assert_eq 1 "$RC" "admin reload of a broken policy fails"
    assert_contains "$ERR" "/etc/fairshare/policy.d/zz-lab.yaml:3:3: error: unknown key 'memory' in 'max'; did you mean 'mem'?
      memory: 1G
      ^" "the error names file, line and column, with the line and a caret"
    assert_contains "$ERR" "the running policy is kept" "… and says the running policy stays"
    assert_exit 1 "the old max (256M) still applies, not the broken file's 512M" as alice fairshare request --mem 300M
    assert_exit 0 "requests within the old policy are served" as alice fairshare request --mem 128M
    inside systemctl reload fairshared
    assert_contains "$(fairshared_journal 40)" "zz-lab.yaml:3:3: error: unknown key 'memory'" "SIGHUP with the broken file: the journal has the error"
    assert_eq active "$(inside systemctl is-active fairshared)" "the daemon keeps running"
    assert_exit 1 "fairshare admin check finds the error without asking the daemon" inside fairshare admin check
    inside sh -c 'printf "max:\n  mem: 512M\n" > /etc/fairshare/policy.d/zz-lab.yaml'
    assert_exit 0 "once fixed, admin check passes" inside fairshare admin check
    assert_exit 0 "… and admin reload puts it in force" as carol fairshare admin reload
    assert_exit 0 "the new max (512M) applies" as alice fairshare request --mem 300M
}

test_policy_changes_are_for_admins_only() {
    capture as alice fairshare admin set-max --cpu 2
    assert_eq 77 "$RC" "a member may not set-max"
    assert_contains "$ERR" "only root and members of admin_group may change the policy" "… and is told who may"
    assert_exit 77 "a member may not reload" as alice fairshare admin reload
    assert_exit 77 "a member may not see another user's policy" as alice fairshare admin show-policy --user carol
    assert_exit 77 "someone outside group fairshare may do nothing" as bob fairshare admin set-default --cpu 0.25
    assert_eq no "$(inside sh -c '[ -e /var/lib/fairshare/policy.d/admin.yaml ] && echo yes || echo no')" "nothing was written"
    capture as alice fairshare admin show-policy --json
    assert_eq 0 "$RC" "a member sees their own policy"
    printf '%s' "$OUT" | inside python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["user"] == "alice" and r["defaults"]["cpu"]["value"] == "0.5" and r["max"]["mem"]["value"] == "256M", r
assert r["defaults"]["cpu"]["origin"].startswith("/etc/fairshare/policy.d/default.yaml:"), r
' && pass "show-policy --json has values and origins" || fail "show-policy --json: $OUT"
    capture as carol fairshare admin set-default --group students --cpu 0.25
    assert_eq 0 "$RC" "an admin may set a default for a group that does not exist yet"
    assert_contains "$ERR" "warning: group 'students' does not exist (yet)" "… with a warning"
}

test_check_policy_needs_no_daemon() {
    inside systemctl stop fairshared
    capture inside fairshared --check-policy
    assert_eq 0 "$RC" "fairshared --check-policy with the daemon stopped"
    assert_contains "$OUT" "policy is valid: 1 file" "it says the policy is valid"
    inside sh -c 'printf "defaults:\n  cpu: 2\nmax:\n  cpu: x\n  tasks: 0\n" > /etc/fairshare/policy.d/50-bad.yaml'
    capture inside fairshared --check-policy
    assert_eq 1 "$RC" "a broken policy exits 1"
    assert_contains "$ERR" "50-bad.yaml:4:8: error: invalid CPU amount 'x'" "every error is listed: the CPU amount"
    assert_contains "$ERR" "50-bad.yaml:5:10: error: the value is 0; it must be more than 0" "… and the task count"
    assert_contains "$ERR" "the policy is invalid: 2 errors in 2 files" "… and counted"
    capture inside systemctl start fairshared
    assert_ne active "$(inside systemctl is-active fairshared)" "the daemon refuses to start on it"
    assert_contains "$(fairshared_journal 20)" "50-bad.yaml:4:8: error: invalid CPU amount 'x'" "… and says why in the journal"
}

test_sighup_reload_lowers_allocations_above_a_lowered_max() {
    local uid
    uid=$(uid_of alice)
    as alice fairshare request --cpu 1 --mem 200M >/dev/null
    # zz-: after default.yaml, so its max overrides (files apply in lexical order).
    inside sh -c 'printf "max:\n  mem: 100M\n" > /etc/fairshare/policy.d/zz-tight.yaml && systemctl reload fairshared'
    for _ in $(seq 30); do
        [ "$(inside systemctl show -p MemoryMax --value "fairshare-$uid.slice")" = 104857600 ] && break
        sleep 0.1
    done
    assert_eq "MemoryMax=104857600" "$(inside systemctl show -p MemoryMax "fairshare-$uid.slice")" "SIGHUP: the live slice's MemoryMax is lowered to the new max"
    assert_eq "CPUQuotaPerSecUSec=1s" "$(inside systemctl show -p CPUQuotaPerSecUSec "fairshare-$uid.slice")" "… the CPU, under its max, is kept"
    assert_contains "$(fairshared_journal 20)" "lowered the allocation of alice from 1 CPU / 200M to 1 CPU / 100M" "the journal says so"
    capture as alice fairshare status
    assert_contains "$ERR" "notice: the policy changed: your allocation was lowered" "alice is told on her next command"
}
