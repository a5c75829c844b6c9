# Fair share without numbers (fairshare-policy(5), SHRINK TO FIT): with the
# packaged policy, plain first requests shrink to what fits instead of
# failing; named amounts stay all or nothing; below `min`, a refusal that
# says what is held and by how many users.
# cgroup-v2: yes

use_packaged_policy() {
    inside sh -ec 'rm -f /etc/fairshare/policy.d/*.yaml
        install -m 0644 "$1/default.yaml" /etc/fairshare/policy.d/default.yaml
        systemctl reload fairshared' sh "$GUEST_SHARE"
    sleep 0.3
}

test_plain_requests_shrink_to_fit_with_the_packaged_policy() {
    local i name rc err cpus
    use_packaged_policy
    cpus=$(inside nproc)
    if [ "$(cgroup_version)" = 2 ]; then
        # The VM testbed: the first plain request succeeds.
        capture as alice fairshare request
        assert_eq 0 "$RC" "the first plain request is granted on the VM's $cpus CPUs: $ERR"
        return
    fi
    # Five users in a row, each only running 'fairshare exec -- true'.
    for i in 1 2 3 4 5; do
        inside useradd --create-home --groups fairshare "fs$i"
    done
    for i in 1 2 3 4 5; do
        name=fs$i
        capture as "$name" fairshare exec -- true
        assert_eq 0 "$RC" "$name's 'fairshare exec -- true' exits 0 (user $i of 5 on $cpus CPUs): $ERR"
        if [ "$i" -ge 5 ]; then
            assert_contains "$ERR" "your fair share now; the default is 1 CPU" "… and $name is told it got less than the default"
        fi
    done
    inside fairshare admin list
    # A named amount above the fair share is still refused, exit 1.
    inside useradd --create-home --groups fairshare fs6
    capture as fs6 fairshare request --cpu 1
    assert_eq 1 "$RC" "an explicit 'request --cpu 1' above the fair share is refused"
    assert_contains "$ERR" "exceeds your fair share" "… saying why"
    # Raise the floor (a file read after default.yaml): the next plain
    # request would be shrunk below it.
    inside sh -c 'printf "min:\n  cpu: 0.5\n" > /etc/fairshare/policy.d/zz-floor.yaml && systemctl reload fairshared'
    sleep 0.3
    capture as fs6 fairshare request
    assert_eq 1 "$RC" "a default shrunk below min is refused"
    assert_contains "$ERR" "below the policy's minimum of 0.5 CPUs (policy 'min.cpu')" "… naming the floor"
    assert_match "$ERR" "held by 5 users" "… and what is held by how many users"
}

test_admin_check_capacity_forecasts_the_row() {
    local out
    out=$(inside fairshare admin check --capacity "$GUEST_SHARE/default.yaml")
    printf '%s\n' "$out" | sed 's/^/    # /'
    assert_contains "$out" "policy is valid" "the packaged policy is valid"
    # The container shows the host's memory (4 users with full defaults on
    # 2 CPUs); the VM has under 1G, where every user gets less memory.
    assert_match "$out" "^(Users 1–[0-9]+ in a row get|User 1 gets|No user gets) the full defaults" "it says how many get the full defaults"
    assert_match "$out" "^User [0-9]+ is refused: (cpu|mem): your fair share now is" "… and where the row ends"
}
