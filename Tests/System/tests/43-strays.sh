# Strays: a cron job of alice runs outside any login (Debian's cron PAM
# stack includes common-session-noninteractive, which has no
# pam_systemd: the job stays in cron.service). `admin audit` lists it
# within one sweep; with `strays: adopt` it moves into a scope under
# user-UID.slice, where the login cap holds it; the journal says so.
# cgroup-v2: yes

STRAY_MESSAGE_ID=4f7b2d9e61c84a0b9e35d18c7a2f60e1
FOUND_MESSAGE_ID=a18856fdb2234fbbaec9eaa752c88a15

# Puts TEXT in /etc/fairshare/policy.d/50-strays.yaml and reloads.
set_strays_policy() { # TEXT
    inside sh -c 'printf "%s\n" "$1" > /etc/fairshare/policy.d/50-strays.yaml' sh "$1"
    inside systemctl reload fairshared
}

# The systemd cgroup of a process (name=systemd on v1, 0:: on v2).
cgroup_of() { # PID
    inside sed -n -e 's/^[0-9]*:name=systemd://p' -e 's/^0:://p' "/proc/$1/cgroup" | head -n 1
}

# alice's crontab: an @reboot job (run when cron starts without
# /run/crond.reboot) with two busy loops, 200 % of a CPU uncapped; it
# writes its start time and pid first.
start_cron_hog() {
    inside sh -ec '
        cat > /usr/local/bin/strays-hog <<"HOG"
#!/bin/sh
date +%s.%N > /tmp/hog.start
echo $$ > /tmp/hog.pid
(while :; do :; done) &
while :; do :; done
HOG
        chmod 0755 /usr/local/bin/strays-hog
        echo "@reboot /usr/local/bin/strays-hog" | crontab -u alice -
        rm -f /run/crond.reboot /tmp/hog.start /tmp/hog.pid
        systemctl restart cron'
    local n
    for n in $(seq 100); do inside test -s /tmp/hog.pid && return 0; sleep 0.1; done
    fail "alice's cron job never started: $(inside journalctl -u cron --no-pager -n 20)"
    return 1
}

# Polls `admin audit --json` until it lists PID; prints the seconds from
# the job's start to the first listing.
audit_latency() { # PID
    inside python3 - "$1" <<'PY'
import json, subprocess, sys, time
pid = int(sys.argv[1])
start = float(open("/tmp/hog.start").read())
deadline = time.time() + 30
while time.time() < deadline:
    out = subprocess.run(["fairshare", "admin", "audit", "--json"], capture_output=True, text=True).stdout
    try:
        strays = json.loads(out)["strays"]
    except Exception:
        strays = []
    if any(s["pid"] == pid for s in strays):
        print("%.2f" % (time.time() - start))
        sys.exit(0)
    time.sleep(0.1)
print("never")
PY
}

test_cron_job_is_listed_within_one_sweep_then_adopted_and_capped() {
    local uid pid lat cg scope pct n
    uid=$(uid_of alice)
    set_strays_policy "login: {cpu: 0.5}" || return
    start_cron_hog || return
    pid=$(inside cat /tmp/hog.pid)
    assert_eq "/system.slice/cron.service" "$(cgroup_of "$pid")" "alice's cron job runs in cron.service (no logind session for cron on Debian)"
    lat=$(audit_latency "$pid")
    echo "    # audit lists the cron job ${lat}s after it started (default sweep interval 10 s)"
    assert_between 0 12 "${lat/never/99}" "listed within one sweep (10 s) plus the sweep"
    capture inside fairshare admin audit
    assert_eq 0 "$RC" "admin audit exits 0"
    echo "    # $(printf '%s\n' "$OUT" | head -n 1)"
    assert_match "$OUT" "$pid +alice +$uid +strays-hog +cron.service" "the table lists pid, user, uid, command, unit"
    assert_contains "$OUT" "Strays: report, every 10s" "the header says the mode and interval"
    capture inside fairshare admin audit --json
    assert_contains "$OUT" '"cgroup": "/system.slice/cron.service"' "--json has the cgroup"
    capture as alice fairshare admin audit
    assert_eq 77 "$RC" "a member who is not a reader may not audit"
    assert_eq "/system.slice/cron.service" "$(cgroup_of "$pid")" "report mode moves nothing"
    assert_eq 1 "$(inside journalctl --no-pager -o cat "MESSAGE_ID=$FOUND_MESSAGE_ID" FAIRSHARE_UNIT=cron.service | grep -c "stray process")" \
        "report mode journals the group once, with its MESSAGE_ID and unit"

    # Adopt: the job moves under alice's login slice and its cap.
    set_strays_policy "login: {cpu: 0.5}
strays: {mode: adopt, interval: 2s}" || return
    for n in $(seq 150); do
        cg=$(cgroup_of "$pid")
        case "$cg" in /user.slice/*) break ;; esac
        sleep 0.1
    done
    echo "    # adopted after the reload in ~$((n / 10)).$((n % 10)) s (interval 2s): $cg"
    assert_match "$cg" "^/user.slice/user-$uid.slice/fairshare-stray-$uid-[0-9]+.scope$" "the cron job is in a scope under user-$uid.slice"
    scope=${cg##*/}
    assert_eq active "$(inside systemctl is-active "$scope")" "$scope is active"
    assert_eq "user-$uid.slice" "$(inside systemctl show -p Slice --value "$scope")" "$scope's slice"
    assert_eq "/system.slice/cron.service" "$(cgroup_of "$(inside pgrep -x -u root cron | head -n 1)")" "cron itself (root) stays in cron.service"
    sleep 1
    pct=$(cpu_share "/user.slice/user-$uid.slice" 3)
    echo "    # the adopted hog (2 loops) under login.cpu 0.5: ${pct:-?}% of one CPU over 3 s ($(cpu_quota_files): $(cpu_quota_fraction "/user.slice/user-$uid.slice"))"
    assert_between 40 56 "${pct:-x}" "held at the login cap (40-56 % of one CPU)"
    capture inside journalctl --no-pager -o verbose "MESSAGE_ID=$STRAY_MESSAGE_ID"
    assert_contains "$OUT" "FAIRSHARE_USER=alice" "the journal has the adoption with its MESSAGE_ID"
    assert_contains "$OUT" "FAIRSHARE_UNIT=cron.service" "… and the unit it left"
    assert_contains "$OUT" "FAIRSHARE_SCOPE=$scope" "… and the scope"
    capture inside fairshare admin audit --json
    assert_not_contains "$OUT" "\"pid\": $pid," "no longer a stray"
    inside pkill -u alice -f strays-hog > /dev/null 2>&1
}

test_root_and_ignored_units_are_left_alone() {
    local pid uid
    uid=$(uid_of alice)
    set_strays_policy "strays: {mode: adopt, interval: 1s, ignore: [\"hold-*.service\"]}" || return
    background hold-alice alice sleep 600
    background root-sleeper root sleep 600
    sleep 3
    pid=$(inside systemctl show -p MainPID --value hold-alice)
    assert_eq "/system.slice/hold-alice.service" "$(cgroup_of "$pid")" "an ignored unit's process of alice stays"
    pid=$(inside systemctl show -p MainPID --value root-sleeper)
    assert_eq "/system.slice/root-sleeper.service" "$(cgroup_of "$pid")" "root's process stays"
    capture inside fairshare admin audit --json
    assert_not_contains "$OUT" "hold-alice" "an ignored unit is not listed"
    inside systemctl stop hold-alice root-sleeper > /dev/null 2>&1
    : "$uid"
}
