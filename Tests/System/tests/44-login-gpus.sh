# GPUs closed to logins: with a policy that hands out GPUs, an ssh login
# cannot open a GPU node (EPERM from the kernel) while every other device
# keeps working; the GPU opens under `fairshare exec` after a grant;
# `login_gpus: open` keeps logins as they were; a policy without gpus
# sets no device policy; an account created later gets its drop-in at
# its first login.
# cgroup-v2: yes

. "$HERE/lib/login.sh"

# The stand-in GPUs of 90-devices.sh: /dev/nvidia0 is c 1 11 (kmsg's
# number, mem's major), /dev/nvidia1 c 10 237 (loop-control's, misc's
# major). A driver-level allow list would open them with /dev/null, so
# fairshared closes those two majors and allows their other nodes one by
# one (LoginDeviceRules): /dev/fuse (misc, 10:229) is allowed by path;
# nodes that open the stand-ins' very devices (kmsg, loop-control) would
# stay closed. /dev/loop0 (block 7, driver "loop") stands for the devices
# allowed by driver name: its driver must be registered (/proc/devices)
# before fairshared reads the drivers, which bookworm's VM and the
# container's host kernel have at boot and trixie's VM loads only on
# demand (modprobe loop; in a container it fails and is not needed).
# open-each PATH…: "PATH ok" or "PATH ERRNO-NAME" for an O_WRONLY open
# (anyone may write to these where the device cgroup lets them), and
# "pty ok" for a new pseudo-terminal pair.
stand_ins() {
    inside sh -ec '
        grep -qw loop /proc/devices || modprobe loop 2>/dev/null || true
        mknod -m 0666 /dev/nvidia0 c 1 11
        mknod -m 0666 /dev/nvidia1 c 10 237
        [ -e /dev/loop0 ] || mknod /dev/loop0 b 7 0
        [ -e /dev/fuse ] || mknod /dev/fuse c 10 229
        chmod 0666 /dev/loop0 /dev/fuse
        cat > /usr/local/bin/open-each <<"PY"
#!/usr/bin/python3
import errno, os, sys
for p in sys.argv[1:]:
    try:
        if p == "pty":
            a, b = os.openpty(); os.close(a); os.close(b)
        else:
            os.close(os.open(p, os.O_WRONLY))
        print(p, "ok")
    except OSError as e:
        print(p, errno.errorcode[e.errno])
PY
        chmod 0755 /usr/local/bin/open-each'
}

# Puts TEXT in /etc/fairshare/policy.d/50-gpus.yaml, reloads fairshared
# and waits until systemd lists our drop-in for UID (WANT yes) or not.
gpu_policy() { # TEXT UID WANT
    inside sh -c 'printf "%s\n" "$1" > /etc/fairshare/policy.d/50-gpus.yaml' sh "$1"
    inside systemctl reload fairshared
    wait_dropin "$2" "$3"
}

ALL="/dev/nvidia0 /dev/nvidia1 /dev/null /dev/zero /dev/urandom pty /dev/loop0"

test_gpu_is_eperm_in_an_ssh_login_and_opens_under_exec_after_a_grant() {
    local uid
    uid=$(uid_of alice)
    stand_ins
    gpu_policy 'max:
  gpus: 1' "$uid" yes || return
    assert_contains "$(inside cat "/run/systemd/system/user-$uid.slice.d/$DROPIN")" "DevicePolicy=closed" "alice's drop-in closes devices, though she has no login cap"
    assert_contains "$(inside cat "/run/systemd/system/user-$uid.slice.d/$DROPIN")" "DeviceAllow=block-loop rwm" "… and allows the loop driver by name"
    assert_not_contains "$(inside cat "/run/systemd/system/user-$uid.slice.d/$DROPIN")" "char-mem" "… and not mem's major, a stand-in's"
    ssh_setup alice
    capture ssh_as alice open-each $ALL
    assert_eq 0 "$RC" "ssh alice@localhost"
    assert_eq "/dev/nvidia0 EPERM
/dev/nvidia1 EPERM
/dev/null ok
/dev/zero ok
/dev/urandom ok
pty ok
/dev/loop0 ok" "$OUT" "kernel: in alice's ssh login both GPUs are EPERM, everything else opens"
    capture ssh_as alice open-each /dev/fuse
    assert_not_contains "$OUT" EPERM "kernel: /dev/fuse, on the major of a stand-in, is allowed by path ($OUT)"
    assert_eq closed "$(inside systemctl show -p DevicePolicy --value "user-$uid.slice")" "systemd: user-$uid.slice has DevicePolicy=closed"
    capture as alice fairshare request --gpus 1
    assert_contains "$OUT" "GPUs: /dev/nvidia0" "alice is granted /dev/nvidia0"
    capture ssh_as alice fairshare exec -q -- open-each /dev/nvidia0 /dev/nvidia1 /dev/null
    assert_eq "/dev/nvidia0 ok
/dev/nvidia1 EPERM
/dev/null ok" "$OUT" "kernel: from the same ssh login, under fairshare exec, her GPU opens and the other does not"
    capture ssh_as alice open-each /dev/nvidia0
    assert_eq "/dev/nvidia0 EPERM" "$OUT" "… and outside exec her login still cannot open it"
    capture as alice fairshare status
    assert_contains "$OUT" "GPUs in logins: closed" "status says GPUs are closed to her logins"
}

test_login_gpus_open_leaves_logins_as_they_were() {
    local uid
    uid=$(uid_of alice)
    stand_ins
    gpu_policy 'max:
  gpus: 1
login_gpus: open' "$uid" no || return
    ssh_setup alice
    capture ssh_as alice open-each /dev/nvidia0 /dev/nvidia1 /dev/null
    assert_eq "/dev/nvidia0 ok
/dev/nvidia1 ok
/dev/null ok" "$OUT" "kernel: with login_gpus: open the ssh login opens the GPUs"
    assert_eq auto "$(inside systemctl show -p DevicePolicy --value "user-$uid.slice")" "systemd: user-$uid.slice keeps DevicePolicy=auto"
    assert_eq no "$(inside sh -c 'ls /run/systemd/system/user-*.slice.d/50-fairshare-login.conf 2>/dev/null || echo no')" "no login drop-in at all (no login cap either)"
}

test_a_policy_without_gpus_sets_no_device_policy() {
    local uid
    uid=$(uid_of alice)
    stand_ins
    gpu_policy 'login_gpus: closed
login:
  tasks: 500' "$uid" yes || return
    assert_not_contains "$(inside cat "/run/systemd/system/user-$uid.slice.d/$DROPIN")" "Device" "without gpus the login drop-in has no device setting, login_gpus or not"
    ssh_setup alice
    capture ssh_as alice open-each /dev/nvidia0 /dev/nvidia1
    assert_eq "/dev/nvidia0 ok
/dev/nvidia1 ok" "$OUT" "kernel: nothing is closed"
    assert_eq auto "$(inside systemctl show -p DevicePolicy --value "user-$uid.slice")" "systemd: DevicePolicy=auto"
}

test_an_account_created_later_gets_its_drop_in_at_its_first_login() {
    local uid n lines
    stand_ins
    gpu_policy 'max:
  gpus: 1' "$(uid_of alice)" yes || return
    inside useradd -m -s /bin/sh dave
    uid=$(uid_of dave)
    assert_eq no "$(inside sh -c "ls /run/systemd/system/user-$uid.slice.d/$DROPIN 2>/dev/null || echo no")" "dave, created after the reload, has no drop-in yet"
    background session-dave root su -l dave -c 'sleep 600'
    for n in $(seq 100); do
        [ "$(inside systemctl show -p DevicePolicy --value "user-$uid.slice")" = closed ] && break
        sleep 0.1
    done
    assert_eq closed "$(inside systemctl show -p DevicePolicy --value "user-$uid.slice")" "logind's UserNew: his drop-in is written and systemd re-read, so his running slice is closed"
    capture inside su -l dave -c 'open-each /dev/nvidia0 /dev/null'
    assert_eq "/dev/nvidia0 EPERM
/dev/null ok" "$OUT" "kernel: his next login cannot open the GPU"
    inside su -l dave -c true
    lines=$(inside journalctl -u fairshared --no-pager -o cat -g 'new account dave' | wc -l)
    assert_eq 1 "$lines" "one drop-in write and one daemon-reload for the new account, none for his later logins"
    inside systemctl stop session-dave
}
