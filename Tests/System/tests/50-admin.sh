# Administrators: everyone's allocations with live usage, and revocation.

test_admin_list_shows_live_usage() {
    local out uid
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    "$TESTBED" run "$TB" --user alice --background list-hog -- fairshare exec -q -- sh -c 'while :; do :; done'
    sleep 2
    out=$(as carol fairshare admin list --json); rc=$?
    assert_eq 0 "$rc" "an admin_group member may list"
    printf '%s' "$out" | inside python3 -c '
import json, sys
rows = json.load(sys.stdin)["allocations"]
a = [r for r in rows if r["user"] == "alice"][0]
assert a["uid"] == int(sys.argv[1]) and a["cpu"] == 0.5 and a["mem"] == 67108864, a
assert a["usage"]["tasks"] >= 1, a
assert a["usage"]["mem"] > 0, a
assert a["usage"]["cpu_percent"] is not None and a["usage"]["cpu_percent"] > 5, a
print("# admin list: alice uses %s%% CPU, %d bytes, %d tasks" % (a["usage"]["cpu_percent"], a["usage"]["mem"], a["usage"]["tasks"]))
' "$uid" && pass "admin list --json has the allocation and live CPU, memory and task usage" || fail "admin list --json: $out"
    assert_match "$(as carol fairshare admin list)" "^alice +$uid +0.5 +64M +64 " "the table lists alice"
    out=$(as alice fairshare admin list 2>&1); rc=$?
    assert_eq 77 "$rc" "a plain member may not list"
    inside systemctl stop list-hog >/dev/null 2>&1
}

test_admin_revoke_kills_running_work() {
    local uid out rc
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    "$TESTBED" run "$TB" --user alice --background revoked-work -- fairshare exec -q -- sleep 600
    sleep 1
    assert_eq active "$(inside systemctl is-active revoked-work)" "alice's command is running"
    out=$(as alice fairshare admin revoke alice 2>&1); rc=$?
    assert_eq 77 "$rc" "a member may not revoke"
    out=$(as carol fairshare admin revoke alice 2>&1); rc=$?
    assert_eq 0 "$rc" "an admin revokes: $out"
    sleep 0.5
    assert_ne active "$(inside systemctl is-active revoked-work)" "the running command was killed"
    assert_ne active "$(inside systemctl is-active "fairshare-$uid.slice")" "the slice is gone"
    out=$(as alice fairshare status 2>&1)
    assert_contains "$out" "notice: your allocation (0.5 CPUs / 64M) was revoked by carol" "alice's next command says why"
    assert_not_contains "$(as alice fairshare status 2>&1)" "notice" "… once"
}
