# GPUs (device access) and IO bandwidth, checked in the kernel on both
# cgroup versions.
# cgroup-v2: yes

# Opens each PATH write-only as the caller and prints "PATH ok" or "PATH
# ERRNO-NAME" (the GPU stand-ins are /dev/kmsg and /dev/loop-control, which
# anyone may open write-only where the device cgroup lets them).
OPEN_EACH='import errno, os, sys
for p in sys.argv[1:]:
    try:
        os.close(os.open(p, os.O_WRONLY)); print(p, "ok")
    except OSError as e:
        print(p, errno.errorcode[e.errno])'

# Stand-in GPU nodes, then the policy that hands out one GPU per user.
gpu_setup() {
    inside sh -ec '
        mknod -m 0666 /dev/nvidia0 c 1 11
        mknod -m 0666 /dev/nvidia1 c 10 237
        mknod -m 0666 /dev/nvidiactl c 1 3
        printf "max:\n  gpus: 1\n" > /etc/fairshare/policy.d/50-gpus.yaml'
    as carol fairshare admin reload > /dev/null
}

test_gpu_access_follows_the_grant() {
    local uid
    uid=$(uid_of alice)
    gpu_setup
    capture as alice fairshare request --gpus 1
    assert_eq 0 "$RC" "alice asks for a GPU"
    assert_contains "$OUT" "GPUs: /dev/nvidia0" "… and gets the first"
    capture as alice fairshare exec -q -- python3 -c "$OPEN_EACH" /dev/nvidia0 /dev/nvidia1 /dev/nvidiactl /dev/null
    assert_eq "/dev/nvidia0 ok
/dev/nvidia1 EPERM
/dev/nvidiactl ok
/dev/null ok" "$OUT" "kernel: alice opens her GPU and its control node; the other GPU gives EPERM"
    capture as carol fairshare request --gpus 1
    assert_contains "$OUT" "GPUs: /dev/nvidia1" "carol gets the other GPU"
    capture as carol fairshare exec -q -- python3 -c "$OPEN_EACH" /dev/nvidia0 /dev/nvidia1
    assert_eq "/dev/nvidia0 EPERM
/dev/nvidia1 ok" "$OUT" "kernel: carol is denied alice's GPU"
    capture as alice fairshare request --gpus 2
    assert_eq 1 "$RC" "two GPUs are above alice's max of one"
    assert_contains "$ERR" "gpus 2 exceeds your maximum of 1" "… and the refusal says so"
    capture as carol fairshare status --json
    assert_contains "$OUT" '"/dev/nvidia1"' "status names the GPU held"
    capture as carol fairshare admin list
    assert_match "$OUT" "alice .*/dev/nvidia0" "admin list shows alice's GPU"
    if [ "$(cgroup_version)" = 1 ]; then
        local list
        list=$(inside cat "$(cg_file devices "/fairshare.slice/fairshare-$uid.slice" devices.list)")
        assert_contains "$list" "c 1:11 rw" "kernel (v1 devices.list): the granted node's 1:11 is allowed"
        case "$list" in *"10:237"*|*"a *:*"*) fail "devices.list allows the other GPU: $list" ;; *) pass "devices.list has no entry for 10:237" ;; esac
    fi
    # v2 has no file to read back: the check is a BPF program systemd
    # attaches for these properties; the opens above are its result.
    assert_eq "DevicePolicy=closed" "$(inside systemctl show -p DevicePolicy "fairshare-$uid.slice")" "systemd: the slice's DevicePolicy"
    assert_contains "$(inside systemctl show -p DeviceAllow "fairshare-$uid.slice")" "/dev/nvidia0 rw" "systemd: DeviceAllow names the GPU held"
    as alice fairshare release > /dev/null
    capture as carol fairshare exec -q -- python3 -c "$OPEN_EACH" /dev/nvidia0
    assert_eq "/dev/nvidia0 EPERM" "$OUT" "a released GPU is not open to others without a grant"
}

# Loop device nodes inside (a container has none of its own): the
# control node and /dev/loop0-63.
loop_nodes() {
    inside sh -ec '
        modprobe loop 2>/dev/null || true
        [ -e /dev/loop-control ] || mknod /dev/loop-control c 10 237
        for i in $(seq 0 63); do [ -e /dev/loop$i ] || mknod /dev/loop$i b 7 $i; done'
}

# A 64M loop device alice may read and write: the block device to throttle
# (the same on both testbeds; the host's own disk cannot be opened here).
io_device() {
    loop_nodes
    inside sh -ec 'truncate -s 64M /var/tmp/io.img
        dev=$(losetup -f --show /var/tmp/io.img)
        chmod 0666 "$dev"; echo "$dev"'
}

# Runs dd as alice in her slice; prints MiB/s from dd's own count of bytes
# and seconds (the copy alone, not the start of a process under emulation),
# or "failed: …" with dd's message.
dd_rate() {
    as alice fairshare exec -q -- sh -c 'dd "$@" 2>/tmp/dd.err || { echo "failed: $(cat /tmp/dd.err)"; exit; }
        tail -n 1 /tmp/dd.err' dd "$@" |
        awk '/^failed/ { print; next } / copied, / { for (i = 1; i < NF; i++) if ($i == "copied,") printf "%.2f", $1 / 1048576 / $(i + 1) }'
}

test_io_bandwidth_is_held_at_the_limit() {
    local uid dev majmin rate read cg
    uid=$(uid_of alice)
    dev=$(io_device)
    majmin=$(inside stat -L -c '%Hr:%Lr' "$dev")
    capture as alice fairshare request --io-read-bw "$dev=8M" --io-write-bw "$dev=8M" --io-weight 200
    assert_eq 0 "$RC" "alice asks for 8M/s read and write on $dev ($majmin)"
    assert_contains "$OUT" "IO: weight 200, read_bw $dev 8M/s, write_bw $dev 8M/s" "… and the reply says what she holds"
    cg=/fairshare.slice/fairshare-$uid.slice
    if [ "$(cgroup_version)" = 2 ]; then
        assert_contains "$(inside cat "$(cg_file io "$cg" io.max)")" "$majmin rbps=8388608 wbps=8388608" "kernel (v2 io.max)"
        assert_eq "default 200" "$(inside cat "$(cg_file io "$cg" io.weight)")" "kernel (v2 io.weight)"
    else
        assert_eq "$majmin 8388608" "$(inside cat "$(cg_file blkio "$cg" blkio.throttle.read_bps_device)")" "kernel (v1 blkio.throttle.read_bps_device)"
        assert_eq "$majmin 8388608" "$(inside cat "$(cg_file blkio "$cg" blkio.throttle.write_bps_device)")" "kernel (v1 blkio.throttle.write_bps_device)"
        # systemd maps IOWeight=200 onto BFQ's scale (181 in systemd 252);
        # it takes effect where the device uses the BFQ scheduler.
        assert_between 101 1000 "$(inside cat "$(cg_file blkio "$cg" blkio.bfq.weight)")" "kernel (v1 blkio.bfq.weight): above BFQ's default 100"
    fi
    rate=$(dd_rate if=/dev/zero of="$dev" bs=1M count=24 oflag=direct)
    echo "    # direct write of 24M under 8M/s: $rate MiB/s"
    assert_between 6.8 9.2 "$rate" "write bandwidth within 15 % of 8M/s"
    rate=$(dd_rate if="$dev" of=/dev/null bs=1M count=24 iflag=direct)
    echo "    # direct read of 24M under 8M/s: $rate MiB/s"
    assert_between 6.8 9.2 "$rate" "read bandwidth within 15 % of 8M/s"
    capture as alice fairshare status --json
    read=$(printf '%s' "$OUT" | inside python3 -c 'import json, sys; print(json.load(sys.stdin)["usage"]["io_read"])')
    assert_between 25165824 999999999999 "$read" "status counts the bytes read ($read)"
    capture as alice fairshare status
    # At least the 24M each way.
    assert_match "$OUT" "IO so far: ([2-9][0-9]|[0-9]{3})(\\.[0-9])?M read, ([2-9][0-9]|[0-9]{3})(\\.[0-9])?M written" "status shows the IO done"
    inside losetup -d "$dev"
}
