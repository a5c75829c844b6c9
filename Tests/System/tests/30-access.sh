# Who may talk to the daemon, and what happens when it is down or abused.

test_outsider_is_refused() {
    local uid out rc
    uid=$(uid_of bob)
    out=$(as bob fairshare status 2>&1); rc=$?
    assert_eq 77 "$rc" "bob gets exit 77"
    assert_contains "$out" "not in group 'fairshare'" "the message names the group"
    out=$(as bob fairshare request --cpu 0.5 2>&1)
    assert_ne active "$(inside systemctl is-active "fairshare-$uid.slice")" "no slice was created for bob"
}

test_garbage_on_the_socket() {
    local sock reply
    sock="$(croot)/run/fairshare.sock"
    reply=$(python3 - "$sock" <<'PY'
import socket, sys
def exchange(payload):
    s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1]); s.sendall(payload)
    data = b""
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk: break
            data += chunk
    except ConnectionResetError:
        pass
    return data.decode()
print(exchange(b"hello\n").strip())
print(exchange(b"x" * 70000).strip())
PY
)
    assert_match "$(printf '%s\n' "$reply" | sed -n 1p)" '"ok":false.*"bad_request"' "garbage gets a JSON error and the connection closes"
    assert_match "$(printf '%s\n' "$reply" | sed -n 2p)" '"ok":false.*"line_too_long"' "an over-long line gets a JSON error and the connection closes"
    as alice fairshare status >/dev/null; assert_eq 0 "$?" "the daemon keeps serving"
}

test_socket_mode_and_group() {
    assert_eq "660 root fairshare" "$(inside stat -c '%a %U %G' /run/fairshare.sock)" "socket is 0660 root:fairshare"
}

test_daemon_down() {
    local out rc
    inside systemctl stop fairshared
    out=$(as alice fairshare status 2>&1); rc=$?
    assert_eq 69 "$rc" "unreachable daemon gives 69"
    assert_contains "$out" "cannot reach fairshared at /run/fairshare.sock" "the message says where"
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
    before=$(as carol fairshare admin list --json | python3 -c "$columns")
    inside systemctl kill --signal=KILL fairshared
    sleep 0.5
    inside systemctl start fairshared
    after=$(as carol fairshare admin list --json | python3 -c "$columns")
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
    inside systemctl kill --signal=KILL fairshared
    inside rm -f /var/lib/fairshare/state.json
    inside systemctl start fairshared
    assert_contains "$(inside journalctl -u fairshared -o cat --no-pager | tail -n 5)" "1 adopted" "the live slice is adopted from systemd"
    assert_eq "Allocation: 0.5 CPUs / 64M" "$(as alice fairshare status | sed -n 4p)" "with the limits systemd holds"
    inside sh -c 'echo "{\"version\": 99, \"allocations\": []}" > /var/lib/fairshare/state.json'
    inside systemctl restart fairshared
    assert_ne active "$(inside systemctl is-active fairshared)" "a state file from a newer version stops the daemon"
    assert_contains "$(inside journalctl -u fairshared -o cat --no-pager | tail -n 8)" "newer than this fairshared understands" "… saying why"
    inside rm -f /var/lib/fairshare/state.json
    inside systemctl reset-failed fairshared
    inside systemctl start fairshared
}
