# The trust boundary (DESIGN.md §5): whatever a member of group fairshare
# sends, no setting reaches systemd that the daemon did not mean to set —
# not even after `systemctl daemon-reload`, when systemd re-reads the
# transient units it wrote out as text.
# cgroup-v2: when named

# The reply of one raw request line sent as USER.
raw() { as "$1" python3 "$GUEST_SHARE/rawrequest.py" "$2"; }
# One field of a JSON reply: json_field JSON 'error.code'.
json_field() {
    printf '%s' "$1" | inside python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."): v = v.get(k) if isinstance(v, dict) else None
print("" if v is None else v)' "$2"
}
# Every transient unit file systemd keeps for fairshare, concatenated.
transient_files() { inside sh -c 'cat /run/systemd/transient/fairshare-* 2>/dev/null || true'; }

test_a_working_directory_cannot_inject_a_unit_setting() {
    # The report: a directory named "x<newline>ExecStopPost=+…" as the job's cwd.
    local script reply
    script='d=$(printf "/tmp/x\nExecStopPost=+/bin/sh -c \"id > /root/pwned\""); mkdir -p "$d" && cd "$d" && exec fairshare run -- sleep 300'
    capture as alice sh -c "$script"
    assert_eq 64 "$RC" "fairshare run from that directory is refused before anything starts"
    assert_contains "$ERR" 'invalid "cwd" at character 7: U+000A is a control character' "… naming the field and the character"
    # The same request sent raw, past any client-side check.
    reply=$(raw alice '{"v":1,"op":"run","argv":["/bin/sleep","300"],"cwd":"/tmp/x\nExecStopPost=+/bin/sh -c \"id > /root/pwned\""}')
    assert_eq False "$(json_field "$reply" ok)" "the daemon refuses the raw request: $reply"
    assert_eq bad_request "$(json_field "$reply" error.code)" "… as a bad request"
    assert_eq cwd "$(json_field "$reply" error.field)" "… naming the field"
    assert_eq 7 "$(json_field "$reply" error.position)" "… and the character"
    # Whatever was started, started nothing that runs as root on the next reload.
    inside systemctl daemon-reload
    as alice fairshare jobs --json >/dev/null
    local unit
    for unit in $(inside systemctl list-units --all --plain --no-legend 'fairshare-*-job-*' | awk '{print $1}'); do
        assert_eq "" "$(inside systemctl show -p ExecStopPost --value "$unit")" "$unit has no ExecStopPost after daemon-reload"
        inside systemctl stop "$unit"
    done
    assert_eq "" "$(transient_files | grep -a '^ExecStopPost' || true)" "no transient unit file holds an ExecStopPost line"
    assert_eq no "$(inside sh -c 'test -e /root/pwned && echo yes || echo no')" "nothing ran as root"
}

test_an_io_device_cannot_inject_slice_settings() {
    local uid reply
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    # A newline in a device key used to plant MemoryMax= and DeviceAllow= lines in the slice's file.
    reply=$(raw alice '{"v":1,"op":"request","io":{"write_bw":{"/dev/null 1\nMemoryMax=infinity\nDeviceAllow=/dev/sda rw\nIOWriteBandwidthMax=/dev/null":1048576}}}')
    assert_eq False "$(json_field "$reply" ok)" "the device key is refused: $reply"
    assert_eq bad_request "$(json_field "$reply" error.code)" "… as a bad request"
    assert_eq io.write_bw "$(json_field "$reply" error.field)" "… naming the field"
    assert_eq 12 "$(json_field "$reply" error.position)" "… and the character (the line break after '/dev/null 1')"
    reply=$(raw alice '{"v":1,"op":"request","io":{"read_bw":{"/dev/no-such-disk":1048576}}}')
    assert_eq bad_request "$(json_field "$reply" error.code)" "a device that does not exist is refused: $reply"
    assert_contains "$(json_field "$reply" error.message)" "no device '/dev/no-such-disk' on this machine" "… by name"
    inside systemctl daemon-reload
    local slice=fairshare-$uid.slice
    assert_eq 67108864 "$(inside systemctl show -p MemoryMax --value "$slice")" "the slice keeps MemoryMax=64M after daemon-reload"
    assert_eq 67108864 "$(memory_limit "$(unit_cgroup "$slice")")" "… in the kernel too"
    assert_eq "" "$(transient_files | grep -a -e '^MemoryMax=infinity' -e '^DeviceAllow=/dev/sda' || true)" "no planted line in any transient unit file"
}

test_names_with_control_characters_are_refused() {
    local reply
    capture as alice fairshare exec --name "$(printf 'a\nb')" -- true
    assert_eq 64 "$RC" "exec --name with a newline is a usage error"
    capture as alice fairshare run --name "$(printf 'x\033[2J')" -- true
    assert_eq 64 "$RC" "run --name with an escape character is a usage error"
    reply=$(raw alice '{"v":1,"op":"exec","name":"x\nKillMode=none"}')
    assert_eq name "$(json_field "$reply" error.field)" "a raw exec name with a newline is refused: $reply"
    reply=$(raw alice '{"v":1,"op":"run","argv":["/bin/true"],"cwd":"/","name":"j\r"}')
    assert_eq name "$(json_field "$reply" error.field)" "a raw run name with a carriage return is refused: $reply"
    reply=$(raw carol '{"v":1,"op":"revoke","user":"alice\nroot"}')
    assert_eq user "$(json_field "$reply" error.field)" "an admin's revoke of a name with a newline is refused: $reply"
    reply=$(raw carol '{"v":1,"op":"set-policy","scope":"user","name":"bob\nmax: {cpu: 64}","block":"max","cpu":"1"}')
    assert_eq name "$(json_field "$reply" error.field)" "set-policy for such a name is refused: $reply"
    assert_eq no "$(inside sh -c 'test -e /var/lib/fairshare/policy.d/admin.yaml && echo yes || echo no')" "… and nothing was written"
    assert_eq "" "$(inside systemctl list-units --all --plain --no-legend 'fairshare-*-exec-*' 'fairshare-*-job-*')" "no unit was started"
}

test_argv_and_cwd_reach_the_program_byte_for_byte() {
    # Each word once, with characters that mean something to a shell, to
    # systemd's unit files (newline, %, \, quotes, ;) and to the journal.
    local dir id uid unit out expected
    uid=$(uid_of alice)
    dir='/tmp/a dir; $HOME %h '"'q'"' "d" \x'
    inside install -d -o alice "$dir"
    id=$(as alice sh -c 'cd "$1" && fairshare run -- /bin/sh -c '"'"'printf "<%s>" "$@"; printf "[%s]" "$PWD"; exec sleep 60'"'"' sh "a
ExecStartPre=/bin/false" "; \$HOME %h %n" "'"'q'"' \"d\" \\" ""' sh "$dir")
    assert_match "$id" "^[0-9]+$" "the job started: '$id'"
    unit=fairshare-$uid-job-$id.service
    for _ in $(seq 50); do [ -n "$(as alice fairshare logs "$id")" ] && break; sleep 0.1; done
    out=$(as alice fairshare logs "$id")
    expected=$(printf '<a\nExecStartPre=/bin/false><; $HOME %%h %%n><'"'q'"' "d" \\><>[%s]' "$dir")
    assert_eq "$expected" "$out" "the program got every argument and the directory byte for byte"
    inside systemctl daemon-reload
    assert_eq "" "$(inside systemctl show -p ExecStartPre --value "$unit")" "no ExecStartPre after daemon-reload"
    assert_eq "" "$(inside grep -a '^ExecStartPre' "/run/systemd/transient/$unit" || true)" "… nor in the unit file"
    assert_eq "$dir" "$(inside systemctl show -p WorkingDirectory --value "$unit")" "WorkingDirectory is the directory, after daemon-reload too"
    assert_eq running "$(as alice fairshare jobs --json | inside python3 -c 'import json, sys; print(json.load(sys.stdin)["jobs"][0]["state"])')" \
        "the job runs on, untouched by the reload"
    as alice fairshare stop "$id" >/dev/null
}

test_exec_never_moves_a_setuid_program() {
    # alice connects, then her process becomes a setuid-root program (same
    # pid, same start time) that asks to be moved into her scope.
    local out uid
    uid=$(uid_of alice)
    inside sh -c 'cp "$(readlink -f /usr/bin/python3)" /usr/local/bin/suid-python && chmod 4755 /usr/local/bin/suid-python'
    out=$(as alice python3 "$GUEST_SHARE/setuid-exec.py" connect /usr/local/bin/suid-python)
    assert_contains "$out" "euid 0" "the request was sent by a setuid-root process"
    assert_contains "$out" '"code":"permission_denied"' "the daemon refuses to move it"
    assert_contains "$out" "runs with the rights of uid 0, not yours" "… saying why"
    assert_eq "" "$(printf '%s\n' "$out" | grep '^cgroup .*fairshare' || true)" "it stayed outside fairshare's slices: $out"
    assert_eq "" "$(inside systemctl list-units --all --plain --no-legend "fairshare-$uid-exec-*")" "no exec scope was made"
    # alice's own process, the same way but without the setuid step, is moved.
    capture as alice fairshare exec -- cat /proc/self/cgroup
    assert_eq 0 "$RC" "her own exec still works"
    assert_contains "$OUT" "fairshare-$uid-exec-" "… and lands in her scope"
}
