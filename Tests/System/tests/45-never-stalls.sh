# The daemon never waits on systemd on behalf of one user while others
# wait: calls are asynchronous and finished from systemd's JobRemoved
# signal (issue 16).

# The field after KEY in latency.py's line.
latency_field() { printf '%s\n' "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }

test_a_slow_release_does_not_stall_other_users() {
    local uid scope out p99 errors
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    # A process that ignores SIGTERM: stopping its scope takes systemd's stop timeout.
    background stubborn alice fairshare exec --name stubborn -- python3 -c \
        'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)'
    scope=fairshare-$uid-exec-stubborn.scope
    for _ in $(seq 100); do [ "$(inside systemctl is-active "$scope")" = active ] && break; sleep 0.1; done
    assert_eq active "$(inside systemctl is-active "$scope")" "the stubborn scope runs"
    background releasing alice fairshare release
    sleep 1
    assert_eq deactivating "$(inside systemctl is-active "$scope")" "alice's release waits on the scope (SIGTERM ignored)"
    out=$(as carol python3 "$GUEST_SHARE/latency.py" 100 status)
    p99=$(latency_field "$out" p99)
    errors=$(latency_field "$out" errors)
    echo "# carol's 100 status calls during alice's release: $out"
    assert_eq 0 "$errors" "every status call answered: $out"
    assert_eq yes "$(awk -v p="$p99" 'BEGIN { print (p < 50) ? "yes" : "no" }')" "p99 under 50 ms while alice's release waits: $out"
    assert_eq deactivating "$(inside systemctl is-active "$scope")" "… and the release was still waiting meanwhile"
    # The release completes once systemd's stop timeout sends SIGKILL.
    for _ in $(seq 200); do [ "$(inside systemctl is-active fairshare-$uid.slice)" = active ] || break; sleep 0.1; done
    assert_eq inactive "$(inside systemctl is-active "$scope")" "SIGKILL followed SIGTERM within the scope's stop timeout"
    capture as alice fairshare status
    assert_contains "$OUT" "Your slice: none" "alice's allocation is gone"
}

test_the_daemon_comes_back_after_the_bus_restarts() {
    local uid start elapsed out
    uid=$(uid_of alice)
    as alice fairshare request --cpu 0.5 --mem 64M >/dev/null
    inside systemctl restart dbus
    start=$(date +%s%N)
    for _ in $(seq 100); do
        out=$(as alice fairshare request --cpu 0.75 2>/dev/null) && break
        sleep 0.05
    done
    elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
    echo "    # a request answered ${elapsed} ms after the bus restarted"
    assert_contains "$out" "Request approved" "a request works again after the bus restart: $out"
    assert_eq yes "$([ "$elapsed" -lt 5000 ] && echo yes || echo no)" "… within 5 s (${elapsed} ms)"
    capture as alice fairshare status
    assert_contains "$OUT" "Allocation: 0.75 CPUs / 64M" "the allocation was kept (memory as granted before, CPU as changed after)"
    assert_eq 750000 "$(inside systemctl show -p CPUQuotaPerSecUSec --value fairshare-$uid.slice | sed 's/ms$/000/;s/s$/000000/')" \
        "… and systemd holds it" 
    assert_contains "$(fairshared_journal 200)" "lost the connection to the system bus; exiting so that systemd restarts fairshared" \
        "the journal says why the daemon restarted"
}

test_ten_thousand_ended_jobs_are_retired_and_restart_stays_fast() {
    local uid ms count
    uid=$(uid_of alice)
    # 10,000 ended jobs of alice in state.json, as if she had run them all.
    inside systemctl stop fairshared
    inside python3 -c '
import json, sys, time
uid, path = int(sys.argv[1]), "/var/lib/fairshare/state.json"
now = int(time.time())  # ended within the 7 days jobs are kept anyway
try:
    state = json.load(open(path))
except FileNotFoundError:
    state = {"version": 1, "allocations": [], "notices": {}}
state["jobs"] = [{"id": i, "uid": uid, "user": "alice", "argv": ["/bin/true", "x" * 100], "started": now - 20000,
                  "end": {"exit_status": 0, "signal": None, "stopped": False, "ended": now - 10001 + i}} for i in range(1, 10001)]
state["next_job"] = 10001
json.dump(state, open(path, "w"))' "$uid"
    ms=$( { inside sh -c 's=$(date +%s%N); systemctl start fairshared; echo $(( ($(date +%s%N) - s) / 1000000 ))'; } )
    echo "    # start with 10,000 ended jobs in state.json: ${ms} ms to READY"
    assert_eq yes "$([ "$ms" -lt 1000 ] && echo yes || echo no)" "the daemon starts in under 1 s (${ms} ms)"
    count=$(as alice fairshare jobs --json | inside python3 -c 'import json, sys; print(len(json.load(sys.stdin)["jobs"]))')
    assert_eq 500 "$count" "kept_jobs_per_user (500 by default) retired the oldest ended jobs"
    ms=$( { inside sh -c 's=$(date +%s%N); systemctl restart fairshared; echo $(( ($(date +%s%N) - s) / 1000000 ))'; } )
    echo "    # restart with the 500 kept: ${ms} ms"
    assert_eq yes "$([ "$ms" -lt 1000 ] && echo yes || echo no)" "… and restarts in under 1 s afterwards (${ms} ms)"
    # The limit on running jobs holds too.
    inside sh -c 'printf "daemon:\n  running_jobs_per_user: 2\n" > /etc/fairshare/policy.d/50-jobs.yaml && systemctl reload fairshared'
    as alice fairshare run -- sleep 60 >/dev/null
    as alice fairshare run -- sleep 60 >/dev/null
    capture as alice fairshare run -- sleep 60
    assert_eq 1 "$RC" "a third running job is refused"
    assert_contains "$ERR" "you have 2 jobs running, the most the policy allows (daemon.running_jobs_per_user)" "… saying which limit"
}
