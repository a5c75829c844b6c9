# Who may talk to the daemon, and what happens when it is down or abused.
# cgroup-v2: when named

test_outsider_is_refused() {
    local uid
    uid=$(uid_of bob)
    capture as bob fairshare status
    assert_eq 77 "$RC" "bob (not in group fairshare) gets exit 77"
    assert_contains "$ERR" "not in group 'fairshare'" "stderr names the group"
    as bob fairshare request --cpu 0.5 > /dev/null 2>&1
    assert_eq "" "$(inside systemctl list-units --all --plain --no-legend "fairshare-$uid.slice")" "no fairshare-$uid.slice exists"
    if inside test -d "$(cg_dir memory "/fairshare.slice/fairshare-$uid.slice")"; then fail "bob has a cgroup"; else pass "bob has no cgroup"; fi
}

test_garbage_on_the_socket() {
    local kind
    # As root inside: one line of garbage, and a line longer than 64 KiB.
    for kind in hello long; do
        capture inside python3 "$GUEST_SHARE/sockprobe.py" /run/fairshare.sock "$kind"
        assert_eq 0 "$RC" "$kind: the probe ran"
        assert_contains "$OUT" "lines 1" "$kind: exactly one reply line"
        assert_contains "$OUT" "json yes" "$kind: the reply is a JSON object"
        assert_contains "$OUT" "ok false" "$kind: with \"ok\":false"
        assert_contains "$OUT" "closed yes" "$kind: and the daemon closes the connection"
        case "$kind" in
            hello) assert_match "$OUT" '^reply .*"bad_request"' "hello: the error is bad_request" ;;
            long) assert_match "$OUT" '^reply .*"line_too_long"' "long: the error is line_too_long" ;;
        esac
    done
    capture as alice fairshare status
    assert_eq 0 "$RC" "afterwards alice's status still works"
}

test_socket_mode_and_group() {
    assert_eq "660 root fairshare" "$(inside stat -c '%a %U %G' /run/fairshare.sock)" "socket is 0660 root:fairshare"
}

test_daemon_down() {
    inside systemctl stop fairshared
    capture as alice fairshare status
    assert_eq 69 "$RC" "unreachable daemon gives 69"
    assert_contains "$ERR" "cannot reach fairshared at /run/fairshare.sock" "stderr says where"
    inside systemctl start fairshared
}

test_allocations_survive_a_daemon_restart() {
    local uid before after
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M --for 1h >/dev/null
    as carol fairshare request --cpu 0.25 --mem 32M --tasks 100 >/dev/null
    "$TESTBED" run "$TB" --user alice --background survivor -- fairshare exec -q -- sleep 300
    sleep 0.5
    columns='import json,sys; rows=json.load(sys.stdin)["allocations"]; print(json.dumps(sorted([{k: r[k] for k in ("user","uid","cpu","mem","tasks","lease")} for r in rows], key=lambda r: r["uid"])))'
    before=$(as carol fairshare admin list --json | inside python3 -c "$columns")
    inside systemctl kill --signal=KILL fairshared
    sleep 0.5
    inside systemctl start fairshared
    after=$(as carol fairshare admin list --json | inside python3 -c "$columns")
    echo "# admin list before kill -9: $before"
    assert_eq "$before" "$after" "admin list's allocation columns are identical after kill -9 and restart"
    assert_eq "Your slice: fairshare-$uid.slice" "$(as alice fairshare status | sed -n 3p)" "the allocation is adopted"
    assert_eq active "$(inside systemctl is-active "fairshare-$uid.slice")" "the slice kept running"
    assert_eq active "$(inside systemctl is-active survivor)" "the running exec process survived"
    assert_contains "$(inside journalctl -u fairshared -o cat --no-pager | tail -n 5)" "2 allocations (0 adopted, 0 dropped)" "the restarted daemon found both in its state"
    inside systemctl stop survivor >/dev/null 2>&1
}

test_slices_are_adopted_without_state() {
    local uid
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    # A clean stop: after kill -9, Restart=on-failure would race the rm.
    inside systemctl stop fairshared
    inside rm -f /var/lib/fairshare/state.json
    inside systemctl start fairshared
    assert_contains "$(inside journalctl -u fairshared -o cat --no-pager | grep 'started on' | tail -n 1)" "1 adopted" "the live slice is adopted from systemd"
    assert_eq "Allocation: 0.5 CPUs / 64M" "$(as alice fairshare status | sed -n 4p)" "with the limits systemd holds"
    inside systemctl stop fairshared
    inside sh -c 'echo "{\"version\": 99, \"allocations\": []}" > /var/lib/fairshare/state.json'
    inside systemctl start fairshared 2>/dev/null
    assert_ne active "$(inside systemctl is-active fairshared)" "a state file from a newer version stops the daemon"
    assert_contains "$(inside journalctl -u fairshared -o cat --no-pager | grep 'newer than' | tail -n 1)" "state format version 99 is newer than this fairshared understands" "… saying why"
    inside systemctl stop fairshared
    inside rm -f /var/lib/fairshare/state.json
    inside systemctl reset-failed fairshared
    inside systemctl start fairshared
}
