# Disk quotas set by fairshared with quotactl_fd(2), checked in the kernel:
# a write past the hard limit fails with EDQUOT for the user.
# Only on the VM testbed: the container testbed shares the host's kernel,
# which here is built without CONFIG_QUOTA (dmesg: "The kernel was not built
# with CONFIG_QUOTA and CONFIG_QFMT_V2"); quotas do not depend on the cgroup
# version, and Debian's kernels have them.
# cgroup-v2: yes
# testbed: vm

# A 64M ext4 with the quota feature on a loop device, at /srv/q (mount
# options: $1); alice may write in /srv/q/alice.
quota_filesystem() {
    inside sh -ec '
        modprobe loop 2>/dev/null || true
        truncate -s 64M /var/tmp/quota.img
        mkfs.ext4 -q -O quota -E quotatype=usrquota /var/tmp/quota.img
        mkdir -p /srv/q
        mount -o "$1" /var/tmp/quota.img /srv/q
        install -d -o alice /srv/q/alice' sh "$1"
}

# alice writes /srv/q/alice/big until the kernel stops her: EDQUOT at the
# 8M hard limit, and status shows the use against the quota.
assert_alice_stops_at_8M() {
    local used
    capture as alice python3 -c 'import errno, os
fd = os.open("/srv/q/alice/big", os.O_WRONLY | os.O_CREAT, 0o644)
total = 0
try:
    while total < (32 << 20):
        total += os.write(fd, b"x" * 65536)
        os.fsync(fd)
    print("wrote", total)
except OSError as e:
    print(errno.errorcode[e.errno], "after", total)'
    assert_match "$OUT" "^EDQUOT after [0-9]+" "kernel: writing past the hard limit fails with EDQUOT, as alice"
    used=$(inside stat -c %s /srv/q/alice/big)
    assert_between 4194304 8388608 "$used" "the file stopped at the 8M hard limit ($used bytes)"
    capture as alice fairshare status
    assert_match "$OUT" "Disk: [0-9.]+M of 8M on /srv/q \(soft 4M\)" "status shows usage against the quota"
}

test_disk_quota_stops_writes_at_the_hard_limit() {
    # Without usrquota ext4 tracks usage but does not enforce limits: the
    # daemon sets them and says they are not enforced.
    quota_filesystem loop || { fail "could not make a loop-mounted ext4 with quotas"; return; }
    inside sh -c 'printf "disk: {path: /srv/q, soft: 4M, hard: 8M}\n" > /etc/fairshare/policy.d/50-disk.yaml'
    capture as carol fairshare admin reload
    assert_eq 0 "$RC" "reload with a disk quota"
    assert_contains "$(fairshared_journal 20)" "disk quota of alice: /srv/q, soft 4M, hard 8M" "the daemon set alice's quota (journal)"
    assert_contains "$(fairshared_journal 20)" "disk quotas on the file system of /srv/q are recorded but not enforced: mount it with usrquota" \
        "… and says the mount does not enforce them"
    # The limits live in the file system's quota file: mounted with
    # usrquota they hold at once.
    inside sh -ec 'umount /srv/q; mount -o loop,usrquota /var/tmp/quota.img /srv/q'
    assert_contains "$(as alice fairshare status)" "of 8M on /srv/q (soft 4M)" "status reads the limits after the remount"
    assert_alice_stops_at_8M
    inside umount /srv/q
}

# The usual case: the quota file system is in fstab, mounted before the
# daemon starts. In the daemon's namespace (ProtectSystem=strict) it is a
# read-only bind mount, where quotactl_fd refuses Q_SETQUOTA (EROFS); the
# daemon sets the limits through the file system's block device instead.
test_disk_quota_on_a_file_system_mounted_before_the_daemon_starts() {
    local pid
    quota_filesystem loop,usrquota || { fail "could not make a loop-mounted ext4 with usrquota"; return; }
    inside sh -c 'printf "disk: {path: /srv/q, soft: 4M, hard: 8M}\n" > /etc/fairshare/policy.d/50-disk.yaml'
    assert_exit 0 "fairshared restarts with /srv/q mounted" inside systemctl restart fairshared
    pid=$(inside systemctl show -p MainPID --value fairshared)
    assert_match "$(inside nsenter -t "$pid" -m findmnt -n -o OPTIONS /srv/q)" "^ro," \
        "/srv/q is read-only in the daemon's mount namespace (the case under test)"
    assert_contains "$(fairshared_journal 20)" "disk quota of alice: /srv/q, soft 4M, hard 8M" "the daemon set alice's quota at start (journal)"
    assert_not_contains "$(fairshared_journal 20)" "cannot set the disk quota" "… with no error"
    assert_contains "$(as alice fairshare status)" "of 8M on /srv/q (soft 4M)" "status reads the limits"
    assert_alice_stops_at_8M
    inside umount /srv/q
}
