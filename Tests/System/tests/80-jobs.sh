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
    id=$(as alice fairshare run --name demo -- sh -c 'echo first; id -u; echo to-stderr >&2; sleep 2; printf "last\n"')
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
    sleep 0.5
    inside systemctl kill --signal=KILL fairshared
    sleep 0.5
    inside systemctl start fairshared
    capture as alice fairshare logs -f "$id"
    assert_eq 0 "$RC" "logs -f after a kill -9 of the daemon"
    assert_eq "before
after" "$OUT" "the job kept running and its whole output is there"
}
