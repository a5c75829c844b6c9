# `fairshare exec` the way shell scripts use it: set -e, pipelines, nohup,
# a terminal, --json kept off stdout, and many calls in a row.

test_exec_under_set_e_stops_the_script() {
    capture as alice sh -ec 'fairshare exec -q -- true; echo reached; fairshare exec -q -- false; echo not reached'
    assert_eq 1 "$RC" "set -e: the script ends with the command's status"
    assert_eq "reached" "$OUT" "… after the command that succeeded, before the one after the failure"
}

test_exec_in_a_pipeline() {
    capture as alice sh -c 'fairshare exec -q -- printf "a\nb\nc\n" | fairshare exec -q -- wc -l'
    assert_eq 0 "$RC" "both ends of a pipeline run under fairshare exec"
    assert_eq 3 "$(echo "$OUT" | tr -d ' ')" "the data flows through untouched"
    capture as alice bash -c 'set -o pipefail; fairshare exec -q -- false | cat'
    assert_eq 1 "$RC" "bash's pipefail sees the command's own status"
}

test_exec_json_stays_off_stdout() {
    capture as alice fairshare exec --json -- echo payload
    assert_eq 0 "$RC" "exec --json runs the command"
    assert_eq "payload" "$OUT" "stdout holds only what the command wrote"
    printf '%s' "$ERR" | inside python3 -c 'import json, sys; r = json.load(sys.stdin); assert r["scope"].startswith("fairshare-"), r' \
        && pass "the daemon's result is JSON on stderr" || fail "stderr is not the JSON result: $ERR"
}

test_exec_under_nohup_and_a_terminal() {
    capture as alice sh -c 'cd /tmp && nohup fairshare exec -q -- sh -c "echo from-nohup" > nohup.out 2>&1; cat nohup.out'
    assert_eq "from-nohup" "$OUT" "nohup: the command runs and writes where nohup sends it"
    # script(1) gives the command a pseudo-terminal: stdin stays a tty.
    capture as alice script -qec 'fairshare exec -q -- sh -c "tty; test -t 0 && echo stdin-is-a-tty"' /dev/null
    assert_match "$OUT" "^/dev/pts/[0-9]+" "the command sees the terminal"
    assert_contains "$OUT" "stdin-is-a-tty" "… on its standard input"
}

test_exec_many_times_in_a_row() {
    local uid n
    uid=$(uid_of alice)
    capture as alice sh -c 'i=0; while [ $i -lt 200 ]; do fairshare exec -q -- true || exit 1; i=$((i+1)); done; echo done'
    assert_eq 0 "$RC" "200 execs in a row all succeed"
    assert_eq done "$OUT" "… and the loop finishes"
    n=$(inside sh -c "systemctl list-units --all --plain --no-legend 'fairshare-$uid-exec-*.scope' | wc -l")
    assert_eq 0 "$n" "no exec scope is left behind"
    assert_eq active "$(inside systemctl is-active fairshared)" "the daemon is still serving"
}
