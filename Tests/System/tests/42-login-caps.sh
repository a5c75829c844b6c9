# Login caps: the policy's login: on user-UID.slice of every regular
# account, for real logins (ssh with a key, su -l) that logind places;
# what the kernel holds them to, across restart, logout and reload.
# cgroup-v2: yes

LOGIN_POLICY='login:
  cpu: 0.5
  mem: 128M
  tasks: 100'
. "$HERE/lib/login.sh"

# Puts TEXT in /etc/fairshare/policy.d/50-login.yaml (none: removes it),
# reloads fairshared and waits until systemd has re-read its
# configuration: user-UID.slice's drop-ins then do (or do not) list ours.
set_login_policy() { # TEXT UID
    local want=yes
    if [ "$1" = none ]; then
        want=no
        inside rm -f /etc/fairshare/policy.d/50-login.yaml
    else
        inside sh -c 'printf "%s\n" "$1" > /etc/fairshare/policy.d/50-login.yaml' sh "$1"
    fi
    inside systemctl reload fairshared
    wait_dropin "$2" "$want"
}

# The one cgroup line of a process's /proc/PID/cgroup that names its
# login (the name=systemd line on v1, the 0:: line on v2).
login_cgroup_of() { sed -n -e 's/^[0-9]*:name=systemd://p' -e 's/^0:://p' | head -n 1; }

# The slice's CPU quota as a fraction, "max" without one (on v1 systemd
# then takes the slice out of the cpu hierarchy: no directory).
slice_cpu_quota() { # CG
    local f
    if [ "$(cgroup_version)" = 2 ]; then f=cpu.max; else f=cpu.cfs_quota_us; fi
    if inside test -e "$(cg_file cpu "$1" "$f")"; then cpu_quota_fraction "$1"; else echo max; fi
}

wait_active() { # UNIT
    local n
    for n in $(seq 100); do [ "$(inside systemctl is-active "$1")" = active ] && return 0; sleep 0.1; done
    return 1
}

# Two busy loops (200 % of a CPU uncapped) in USER's login, held by a
# service on the host side of the login (ssh, or su -l); then the share
# the kernel gave the user's slice.
hog_share() { # HOW USER UID
    local how=$1 u=$2 uid=$3 cg pct
    local loops='sh -c "while :; do :; done & while :; do :; done"'
    case "$how" in
        ssh) background "hog-$u" root ssh -q -i /root/.ssh/login_key -o BatchMode=yes -o StrictHostKeyChecking=no \
                 -o UserKnownHostsFile=/dev/null "$u@localhost" "$loops" ;;
        su) background "hog-$u" root su -l "$u" -c "$loops" ;;
    esac
    wait_active "user-$uid.slice" || { fail "user-$uid.slice never became active"; return 1; }
    cg=$(unit_cgroup "user-$uid.slice")
    sleep 1
    pct=$(cpu_share "$cg" 3)
    echo "    # CPU hog (2 loops) in $u's $how login under login.cpu 0.5: ${pct:-?}% of one CPU over 3 s ($(cpu_quota_files): $(cpu_quota_fraction "$cg"))"
    inside systemctl stop "hog-$u" > /dev/null 2>&1
    inside loginctl terminate-user "$u" > /dev/null 2>&1
    assert_between 40 56 "${pct:-x}" "$u's slice gets 40-56 % of one CPU (cap 0.5, 200 % asked)"
}

test_ssh_login_lands_in_user_slice_held_at_login_cap() {
    local uid cg
    uid=$(uid_of alice)
    set_login_policy "$LOGIN_POLICY" "$uid" || return
    ssh_setup alice
    capture ssh_as alice cat /proc/self/cgroup
    assert_eq 0 "$RC" "ssh alice@localhost with a key"
    assert_match "$(printf '%s\n' "$OUT" | login_cgroup_of)" "^/user.slice/user-$uid.slice/session-[0-9a-z]+.scope$" "the ssh login is in user-$uid.slice"
    # The kernel's limits as the session's first command sees them.
    capture ssh_as alice "cat /sys/fs/cgroup/pids/user.slice/user-$uid.slice/pids.max /sys/fs/cgroup/user.slice/user-$uid.slice/pids.max 2>/dev/null"
    assert_eq 100 "$OUT" "pids.max of user-$uid.slice is login.tasks from the session's first command (Debian's TasksMax=33% replaced)"
    cg=$(unit_cgroup "user-$uid.slice")
    hog_share ssh alice "$uid"
    wait_active "user-$uid.slice"
    assert_eq "100" "$(inside systemctl show -p TasksMax --value "user-$uid.slice")" "systemd: TasksMax=100, ours over Debian's 10-defaults.conf"
    assert_contains "$(inside cat "/run/systemd/system/user-$uid.slice.d/$DROPIN")" "CPUQuota=50%" "the drop-in"
}

test_su_login_memory_hog_killed_at_login_mem() {
    local uid rc
    uid=$(uid_of alice)
    set_login_policy "$LOGIN_POLICY" "$uid" || return
    capture inside su -l alice -c 'cat /proc/self/cgroup'
    assert_match "$(printf '%s\n' "$OUT" | login_cgroup_of)" "^/user.slice/user-$uid.slice/session-[0-9a-z]+.scope$" "su -l alice is in user-$uid.slice"
    capture inside su -l alice -c "cat /sys/fs/cgroup/memory/user.slice/user-$uid.slice/memory.limit_in_bytes /sys/fs/cgroup/user.slice/user-$uid.slice/memory.max 2>/dev/null"
    assert_eq 134217728 "$OUT" "the slice's memory limit is login.mem 128M"
    inside su -l alice -c 'dd if=/dev/zero of=/dev/null bs=300M count=1' 2> /dev/null; rc=$?
    assert_eq 137 "$rc" "a 300M allocation in alice's login past login.mem 128M is killed (SIGKILL)"
    if [ "$(cgroup_version)" = 2 ]; then
        echo "    # OOM kills counted for user-$uid.slice: $(oom_kills "/user.slice/user-$uid.slice")"
    fi
    inside sh -c "journalctl -k --no-pager -g 'Memory cgroup out of memory|oom-kill' | tail -n 2" | sed 's/^/    # /'
    inside su -l alice -c 'dd if=/dev/zero of=/dev/null bs=32M count=1' 2> /dev/null; rc=$?
    assert_eq 0 "$rc" "a 32M allocation succeeds"
    hog_share su alice "$uid"
}

test_bob_not_in_group_fairshare_capped_too() {
    local uid
    uid=$(uid_of bob)
    assert_not_contains "$(inside id -nG bob)" fairshare "bob is not in group fairshare"
    set_login_policy "$LOGIN_POLICY" "$uid" || return
    capture inside su -l bob -c 'cat /proc/self/cgroup'
    assert_match "$(printf '%s\n' "$OUT" | login_cgroup_of)" "^/user.slice/user-$uid.slice/session-[0-9a-z]+.scope$" "su -l bob is in user-$uid.slice"
    ssh_setup bob
    hog_share ssh bob "$uid"
    # Root's login is never capped.
    inside su -l root -c true
    assert_eq "infinity" "$(inside systemctl show -p CPUQuotaPerSecUSec --value user-0.slice)" "root's user-0.slice has no CPU cap"
    assert_eq no "$(inside sh -c 'ls -d /run/systemd/system/user-0.slice.d 2>/dev/null || echo no')" "no drop-in for root"
}

test_cap_survives_restart_logout_and_reload_drops_it() {
    local uid cg before after q
    uid=$(uid_of alice)
    set_login_policy "$LOGIN_POLICY" "$uid" || return
    background session-alice root su -l alice -c 'sleep 600'
    wait_active "user-$uid.slice"
    cg=$(unit_cgroup "user-$uid.slice")
    assert_eq 0.5 "$(cpu_quota_fraction "$cg")" "a live login: the kernel's quota is 0.5 CPU"
    # A daemon restart changes no file: no daemon-reload, the cap stays.
    before=$(inside journalctl -u fairshared --no-pager -g 'login caps' -o cat | wc -l)
    inside systemctl restart fairshared
    wait_active fairshared.service
    after=$(inside journalctl -u fairshared --no-pager -g 'login caps' -o cat | wc -l)
    assert_eq "$before" "$after" "a restart writes nothing and reloads nothing"
    assert_eq 0.5 "$(cpu_quota_fraction "$cg")" "after the restart: still 0.5 CPU"
    # Logout (the slice goes) and a new login: capped from its first command.
    inside systemctl stop session-alice
    inside sh -c 'pkill -KILL -u "$1"; loginctl terminate-user "$1"' sh alice
    for q in $(seq 200); do [ "$(inside systemctl is-active "user-$uid.slice")" = active ] || break; sleep 0.1; done
    assert_ne active "$(inside systemctl is-active "user-$uid.slice")" "after logout user-$uid.slice is gone ($(inside systemd-cgls --no-pager "/user.slice/user-$uid.slice" | tr '\n' ' '))"
    capture inside su -l alice -c "cat /sys/fs/cgroup/cpu/user.slice/user-$uid.slice/cpu.cfs_quota_us /sys/fs/cgroup/user.slice/user-$uid.slice/cpu.max 2>/dev/null"
    assert_match '^(50000|50000 100000)$' "$OUT" "a new login's first command already sees the 0.5 CPU quota"
    # A reload that drops a key lifts that cap on the live slice…
    background session-alice2 root su -l alice -c 'sleep 600'
    wait_active "user-$uid.slice"
    set_login_policy 'login:
  mem: 128M' "$uid" || return
    for q in $(seq 50); do [ "$(slice_cpu_quota "$cg")" = max ] && break; sleep 0.1; done
    assert_eq max "$(slice_cpu_quota "$cg")" "login.cpu dropped: the live slice has no CPU quota"
    assert_eq 134217728 "$(memory_limit "$cg")" "… and keeps login.mem"
    assert_ne 100 "$(pids_limit "$cg")" "… and Debian's TasksMax again ($(inside systemctl show -p TasksMax --value "user-$uid.slice"))"
    # …and one without login: removes the drop-ins.
    set_login_policy none "$uid" || return
    assert_eq no "$(inside sh -c 'ls /run/systemd/system/user-*.slice.d/50-fairshare-login.conf 2>/dev/null || echo no')" "no login cap drop-in is left"
    assert_eq "infinity" "$(inside systemctl show -p MemoryMax --value "user-$uid.slice")" "the live slice has no memory cap"
    inside systemctl stop session-alice2
}

# A cap that a policy reload adds must hold on a login that is running:
# systemd 252 wrote the re-read drop-in into the live slice's cgroup at
# daemon-reload; 257 only re-reads it (systemctl show has the new values,
# the kernel keeps the old) until it next realizes the slice. fairshared
# settles each changed live slice after the reload (LiveSliceSettling):
# an empty child slice started and stopped, gone afterwards.
test_a_reload_caps_a_live_login_in_the_kernel() {
    local uid cg q
    uid=$(uid_of alice)
    background session-alice root su -l alice -c 'sleep 600'
    wait_active "user-$uid.slice"
    cg=$(unit_cgroup "user-$uid.slice")
    assert_eq max "$(slice_cpu_quota "$cg")" "before: alice's live login has no CPU quota"
    set_login_policy "$LOGIN_POLICY" "$uid" || return
    for q in $(seq 50); do [ "$(slice_cpu_quota "$cg")" = 0.5 ] && [ "$(pids_limit "$cg")" = 100 ] && break; sleep 0.1; done
    assert_eq 0.5 "$(slice_cpu_quota "$cg")" "after the reload: the kernel holds the live login at 0.5 CPU ($(cpu_quota_files))"
    assert_eq 100 "$(pids_limit "$cg")" "… and at login.tasks 100 (pids.max)"
    assert_eq 134217728 "$(memory_limit "$cg")" "… and at login.mem 128M ($(memory_limit_file))"
    assert_eq "" "$(inside systemctl list-units --all --plain --no-legend 'user-*-fairshare*')" "no settling slice is left"
    inside systemctl stop session-alice
}
