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
# The kernel's cgroup files, for either layout (a container on a v1/hybrid
# host, or a pure cgroup v2 VM); CG is a ControlGroup such as unit_cgroup's:
#   cgroup_version         1 or 2 (detected inside once per test: CGROUP_VERSION)
#   cg_dir CONTROLLER CG   v1: /sys/fs/cgroup/CONTROLLER/CG, v2: /sys/fs/cgroup/CG
#                          (CONTROLLER "unified": v1's cgroup2 tracking hierarchy)
#   cg_dirs CG             every directory of CG (v1: cpu memory pids unified)
#   cg_file CONTROLLER CG FILE   the file in cg_dir
#   cpu_quota_fraction CG  0.5 for 50 % of a CPU (v1 cpu.cfs_quota_us /
#                          cpu.cfs_period_us, v2 cpu.max); "max" if unlimited
#   memory_limit CG        bytes (v1 memory.limit_in_bytes, v2 memory.max)
#   cpu_quota_files, memory_limit_file   those files' names, for messages
#   pids_limit CG          pids.max
#   cpu_usage_usec CG      usage_usec in cpu.stat (v1: from the unified hierarchy)
#   oom_kills CG           OOM kills in CG (v2 memory.events, v1 memory.oom_control)
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

cgroup_version() {
    [ -n "${CGROUP_VERSION:-}" ] ||
        case "$(inside stat -f -c %T /sys/fs/cgroup)" in cgroup2fs) CGROUP_VERSION=2 ;; *) CGROUP_VERSION=1 ;; esac
    echo "$CGROUP_VERSION"
}
cg_dir() {
    if [ "$(cgroup_version)" = 2 ]; then echo "/sys/fs/cgroup$2"; else echo "/sys/fs/cgroup/$1$2"; fi
}
cg_dirs() {
    if [ "$(cgroup_version)" = 2 ]; then echo "/sys/fs/cgroup$1"; return; fi
    local h
    for h in cpu memory pids unified; do echo "/sys/fs/cgroup/$h$1"; done
}
cg_file() { echo "$(cg_dir "$1" "$2")/$3"; }
# KEY's value in a flat-keyed file ("key value" lines) inside.
cg_key() { inside sh -c 'while read -r k v; do [ "$k" != "$2" ] || echo "$v"; done < "$1"' sh "$1" "$2"; }

cpu_quota_fraction() {
    local quota period
    if [ "$(cgroup_version)" = 2 ]; then
        read -r quota period < <(inside cat "$(cg_file cpu "$1" cpu.max)")
    else
        quota=$(inside cat "$(cg_file cpu "$1" cpu.cfs_quota_us)")
        period=$(inside cat "$(cg_file cpu "$1" cpu.cfs_period_us)")
    fi
    case "$quota" in max|-1) echo max ;; *) awk -v q="$quota" -v p="$period" 'BEGIN { printf "%g\n", q / p }' ;; esac
}
cpu_quota_files() {
    if [ "$(cgroup_version)" = 2 ]; then echo cpu.max; else echo cpu.cfs_quota_us/cpu.cfs_period_us; fi
}
memory_limit_file() {
    if [ "$(cgroup_version)" = 2 ]; then echo memory.max; else echo memory.limit_in_bytes; fi
}
memory_limit() { inside cat "$(cg_file memory "$1" "$(memory_limit_file)")"; }
pids_limit() { inside cat "$(cg_file pids "$1" pids.max)"; }
cpu_usage_usec() { cg_key "$(cg_file unified "$1" cpu.stat)" usage_usec; }
oom_kills() {
    if [ "$(cgroup_version)" = 2 ]; then cg_key "$(cg_file memory "$1" memory.events)" oom_kill
    else cg_key "$(cg_file memory "$1" memory.oom_control)" oom_kill; fi
}

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

# CPU share of CG over SECONDS, in % of one CPU: usage_usec from the
# kernel against the machine's uptime clock.
cpu_share() { # CG SECONDS
    local m
    m=$(inside sh -c 'u() { while read -r k v; do if [ "$k" = usage_usec ]; then echo "$v"; fi; done < "$1"; }
        a=$(u "$1"); read -r t0 _ < /proc/uptime; sleep "$2"; b=$(u "$1"); read -r t1 _ < /proc/uptime
        echo "$a $b $t0 $t1"' sh "$(cg_file unified "$1" cpu.stat)" "$2")
    echo "$m" | awk '{ if (NF == 4 && $4 > $3) printf "%.1f\n", ($2 - $1) / (($4 - $3) * 1e6) * 100 }'
}
