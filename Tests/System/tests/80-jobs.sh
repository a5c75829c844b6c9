# Detached jobs: fairshare run, jobs, logs [-f], stop, as real users.

job_state() { # USER ID → the job's state in `fairshare jobs --json`
    as "$1" fairshare jobs --json | inside python3 -c '
import json, sys
for j in json.load(sys.stdin)["jobs"]:
    if j["id"] == int(sys.argv[1]): print(j["state"])' "$2"
}

test_job_output_is_kept_from_the_first_byte() {
    local id uid expected out
    uid=$(uid_of alice)
    id=$(as alice fairshare run --name demo --io-weight 50 -- sh -c 'echo first; id -u; echo to-stderr >&2; sleep 2; printf "last\n"')
    assert_match "$id" "^[0-9]+$" "run prints the job id alone: '$id'"
    sleep 0.5
    # A follower joining mid-run gets everything, the first line included.
    capture as alice fairshare logs -f "$id"
    expected=$(printf 'first\n%s\nto-stderr\nlast' "$uid")
    assert_eq 0 "$RC" "logs -f ends with the job's status"
    assert_eq "$expected" "$OUT" "logs -f joined mid-run: byte-identical to what the job wrote, stdout and stderr in order, run as alice's uid"
    capture as alice fairshare logs "$id"
    assert_eq "$expected" "$OUT" "logs after the end: the same bytes"
    assert_eq exited "$(job_state alice "$id")" "jobs shows it exited"
    assert_eq active "$(inside systemctl is-active fairshare-$uid.slice)" "it ran in alice's slice"
    capture as alice fairshare run --io-weight 0 -- true
    assert_eq 64 "$RC" "--io-weight out of range is a usage error"
}

test_jobs_are_their_owners() {
    local id out rc
    id=$(as alice fairshare run -- sleep 600)
    for _ in $(seq 30); do [ "$(job_state alice "$id")" = running ] && break; sleep 0.1; done
    assert_eq running "$(job_state alice "$id")" "the job runs"
    capture as carol fairshare logs "$id"
    assert_eq 0 "$RC" "an admin may read another user's job"
    capture as bob fairshare logs "$id"
    assert_eq 77 "$RC" "someone outside group fairshare may not"
    inside sh -c 'groupadd auditors && useradd --create-home --groups fairshare,auditors rita &&
        printf "reader_group: auditors\n" > /etc/fairshare/policy.d/zz-readers.yaml && systemctl reload fairshared'
    capture as rita fairshare logs "$id"
    assert_eq 0 "$RC" "a reader_group member may read alice's job"
    capture as rita fairshare stop "$id"
    assert_eq 77 "$RC" "… but not stop it"
    assert_contains "$ERR" "belongs to alice; only they and admin_group may change it" "… and is told who may"
    assert_match "$(as rita fairshare jobs --all)" "^$id +alice +- +running " "the reader sees it in jobs --all"
    inside sh -c 'useradd --create-home --groups fairshare dave'
    capture as dave fairshare stop "$id"
    assert_eq 1 "$RC" "another member does not even see it"
    assert_contains "$ERR" "no job $id of yours" "… and is told"
    capture as alice fairshare stop "$id"
    assert_eq 0 "$RC" "the owner stops it"
    assert_eq stopped "$(job_state alice "$id")" "jobs shows it stopped"
    capture as alice fairshare stop "$id"
    assert_eq 1 "$RC" "stopping it again is refused"
    assert_contains "$ERR" "has already ended" "… saying why"
}

test_jobs_survive_kill_9_of_the_daemon() {
    local id
    id=$(as alice fairshare run -- sh -c 'echo before; sleep 3; echo after')
    # A follower already attached when the daemon dies reattaches by itself.
    background early-follower alice sh -c "fairshare logs -f $id > /tmp/early-follower.out 2>&1; echo \$? >> /tmp/early-follower.out"
    sleep 0.5
    inside systemctl kill --signal=KILL fairshared
    sleep 0.5
    inside systemctl start fairshared
    capture as alice fairshare logs -f "$id"
    assert_eq 0 "$RC" "logs -f after a kill -9 of the daemon"
    assert_eq "before
after" "$OUT" "the job kept running and its whole output is there"
    for _ in $(seq 50); do [ "$(inside systemctl is-active early-follower)" = active ] || break; sleep 0.1; done
    assert_eq "before
after
0" "$(inside cat /tmp/early-follower.out)" "a follower attached before the kill -9 got everything and the job's status"
    assert_match "$(as alice fairshare jobs)" "^$id +alice +- +exited +- +0 " "jobs shows how it ended"
}

test_output_far_beyond_the_cap_is_cut_and_the_job_stopped() {
    local id uid size
    uid=$(uid_of alice)
    # The testbed's /var is tmpfs: the log's pages count against alice's
    # MemoryMax, so she holds more than the 64M cap.
    as alice fairshare request --mem 256M >/dev/null
    id=$(as alice fairshare run -- yes fairshare-output-that-never-ends)
    for _ in $(seq 100); do [ "$(job_state alice "$id")" = stopped ] && break; sleep 0.1; done
    assert_eq stopped "$(job_state alice "$id")" "a job writing without end is stopped"
    size=$(inside stat -c %s "/var/lib/fairshare/jobs/$uid/$id.log")
    echo "    # log after the cap: $size bytes"
    assert_between 67108864 67109100 "$size" "its log holds the 64M cap plus the line that says so"
    assert_contains "$(as alice fairshare logs "$id" | tail -n 1)" "stopped: its output reached the 64M cap" "the log says why it ends there"
    capture as alice fairshare status "$id"
    assert_contains "$OUT" "State: stopped" "status ID: stopped"
    assert_contains "$(fairshared_journal 20)" "stopped job $id of alice: output above 64M" "the journal says so (alice's next command did too)"
}

test_fifty_followers_each_get_the_whole_output() {
    local id ok
    id=$(as alice fairshare run -- sh -c 'i=0; while [ $i -lt 20 ]; do echo line-$i; i=$((i+1)); sleep 0.1; done')
    ok=$(inside sh -c '
        for f in $(seq 50); do runuser -u alice -- fairshare logs -f "$1" > /tmp/follower-$f.out 2>&1 & done
        wait
        n=0; for f in $(seq 50); do [ "$(cat /tmp/follower-$f.out)" = "$(seq 0 19 | sed s/^/line-/)" ] && n=$((n+1)); done
        echo $n' sh "$id")
    assert_eq 50 "$ok" "50 followers joined at once; every one got all 20 lines in order"
    capture as alice fairshare status "$id"
    assert_contains "$OUT" "Exit: 0" "status ID: the exit status"
    assert_eq active "$(inside systemctl is-active fairshared)" "the daemon keeps serving"
}

# Jobs are tracked from systemd's signals: the end is in state.json with
# no request asking, killed jobs keep their signal, and daemon-reload
# (which makes systemd send UnitRemoved for every unit) ends nothing.
test_a_job_end_is_recorded_from_systemds_signals() {
    local exits killed sleeper uid state
    uid=$(uid_of alice)
    exits=$(as alice fairshare run -- sh -c 'exit 3')
    killed=$(as alice fairshare run -- sleep 600)
    sleeper=$(as alice fairshare run -- sleep 600)
    for _ in $(seq 30); do
        inside systemctl is-active --quiet "fairshare-$uid-job-$killed.service" && break; sleep 0.1
    done
    inside systemctl kill --signal=KILL "fairshare-$uid-job-$killed.service"
    inside systemctl daemon-reload
    state=""
    for _ in $(seq 50); do
        state=$(inside python3 -c '
import json, sys
jobs = {j["id"]: j for j in json.load(open("/var/lib/fairshare/state.json"))["jobs"]}
def end(i):
    e = jobs[int(i)].get("end")
    return "running" if e is None else "exit=%s signal=%s" % (e["exit_status"], e["signal"])
print(end(sys.argv[1]), end(sys.argv[2]), end(sys.argv[3]), sep=",")' "$exits" "$killed" "$sleeper")
        [ "$state" = "exit=3 signal=None,exit=None signal=9,running" ] && break
        sleep 0.1
    done
    assert_eq "exit=3 signal=None,exit=None signal=9,running" "$state" \
        "state.json holds both ends (exit 3, SIGKILL) with no request asking, and the sleeper still runs after daemon-reload"
    assert_eq running "$(job_state alice "$sleeper")" "jobs shows the sleeper running"
    capture as alice fairshare status "$killed"
    assert_contains "$OUT" "Exit: killed by signal 9" "status ID says how the killed job ended"
    assert_eq inactive "$(inside systemctl is-active "fairshare-$uid-job-$exits.service")" "the ended job's unit was let go"
}
