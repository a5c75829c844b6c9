# shellcheck shell=bash
# Helpers for tests (and demo) acting in testbed $TB: run things inside,
# as a user, and install fairshare there the way a package would.
#
#   inside CMD...          as root, in a transient service (stdio piped, status returned)
#   as USER CMD...         the same as USER (with USER's groups, cwd = home)
#   background UNIT USER CMD...   start CMD as USER in service UNIT and return
#   uid_of USER            USER's uid inside
#   unit_cgroup UNIT       the unit's ControlGroup (a path below /sys/fs/cgroup/<hierarchy>)
#   is_json TEXT           TEXT is one valid JSON document (checked inside)
#   fairshared_journal [N] the daemon's last N journal lines
#   croot                  the container's root directory seen from the host
#   setup_container        fairshare, its unit, the test policy, groups and users
#
# The share bound read-only at /opt/fairshare-test inside holds the binary,
# contrib/fairshared.service and lib/sockprobe.py.

GUEST_SHARE=/opt/fairshare-test

inside() { "$TESTBED" run "$TB" -- "$@"; }
as() { local u=$1; shift; "$TESTBED" run "$TB" --user "$u" -- "$@"; }
background() { local unit=$1 u=$2; shift 2; "$TESTBED" run "$TB" --user "$u" --background "$unit" -- "$@"; }
uid_of() { inside id -u "$1"; }
unit_cgroup() { inside systemctl show -p ControlGroup --value "$1"; }
croot() { "$TESTBED" root "$TB"; }
is_json() { printf '%s' "$1" | inside python3 -c 'import json, sys; json.load(sys.stdin)' 2>/dev/null; }
fairshared_journal() { inside journalctl -u fairshared --no-pager -o short-monotonic -n "${1:-60}"; }

# The policy every test starts from (the first milestone's contract).
TEST_POLICY='defaults:
  cpu: 0.5
  mem: 64M
  tasks: 64
max:
  cpu: 1
  mem: 256M
  tasks: 256
admin_group: sysadmins'

setup_container() {
    inside sh -ec '
        install -m 0755 "$1/fairshare" /usr/bin/fairshare
        ln -sf ../bin/fairshare /usr/sbin/fairshared
        install -m 0644 "$1/fairshared.service" /etc/systemd/system/fairshared.service
        groupadd --system fairshare
        groupadd sysadmins
        useradd --create-home --groups fairshare alice
        useradd --create-home bob
        useradd --create-home --groups fairshare,sysadmins carol
        mkdir -p /etc/fairshare/policy.d
        printf "%s\n" "$2" > /etc/fairshare/policy.d/default.yaml
        systemctl daemon-reload
        systemctl start fairshared
        for i in $(seq 100); do [ -S /run/fairshare.sock ] && exit 0; sleep 0.05; done
        echo "setup: fairshared is active but /run/fairshare.sock did not appear" >&2
        exit 1' setup "$GUEST_SHARE" "$TEST_POLICY"
}
