# Upgrades through a signed APT repository keep everything alive: the real
# 0.1.0 package (commit 684257b, built from git history and cached by
# lib/old-deb), installed with apt from a repository served inside the
# testbed, upgraded to this tree's package with allocations held, an exec'd
# process in its scope, a detached job writing with a follower attached and a
# client asking all along; and the downgrade back. The repository itself is
# reproducible.
# testbed: clean
# old-deb: 684257b

. "$HERE/lib/apt.sh"

OLD_COMMIT=684257b
OLD_VERSION=0.1.0-1

old_deb() { echo "$WORK/share/old-debs/$OLD_COMMIT.deb"; }
new_deb() { ls "$WORK"/share/fairshare_*_amd64.deb; }
new_version() { dpkg-deb -f "$(new_deb)" Version; }

# The allocations as "user cpu mem tasks" lines, sorted (root may list).
allocations() {
    inside fairshare admin list --json | python3 -c '
import json, sys
for r in sorted(json.load(sys.stdin)["allocations"], key=lambda r: r["user"]):
    print(r["user"], r["cpu"], r["mem"], r["tasks"])'
}

# The limits the kernel holds for cgroup CG: "cpu mem tasks".
limits_of() { echo "$(cpu_quota_fraction "$1") $(memory_limit "$1") $(pids_limit "$1")"; }

# "fairshared VERSION started" lines in the journal.
daemon_starts() { inside journalctl -u fairshared --no-pager -o cat | grep -c "^fairshared $1 started"; }

# Installs the old release from the repository: what an administrator does.
install_old_release() {
    local out
    apt_repo v1 "$(old_deb)" || { fail "contrib/build-apt-repo could not build the old release's repository"; return 1; }
    apt_publish v1
    apt_configure
    apt_update
    out=$(apt_get install fairshare 2>&1) || { fail "apt-get install fairshare: $(printf '%s' "$out" | tail -n 3 | tr '\n' '|')"; return 1; }
    assert_eq "$OLD_VERSION" "$(inside dpkg-query -W -f '${Version}' fairshare)" "apt installed $OLD_VERSION (commit $OLD_COMMIT)"
    assert_eq 0.1.0 "$(inside fairshare --version)" "… whose binary says 0.1.0"
    inside sh -ec 'useradd --create-home --groups fairshare alice; useradd --create-home --groups fairshare carol'
}

test_apt_upgrade_keeps_allocations_scopes_jobs_and_clients() {
    local out rc uid_a uid_c before_alloc after_alloc pid cg_before cg_after scope slice lim_slice lim_scope id
    local log_before log_after follow pid_before pid_after t0 t1 lines upstream
    install_old_release || return
    uid_a=$(uid_of alice) uid_c=$(uid_of carol)

    # ---- what users hold before the upgrade -----------------------------
    as alice fairshare request --cpu 0.5 --mem 128M --tasks 100 > /dev/null
    as carol fairshare request --cpu 0.3 --mem 96M --tasks 50 > /dev/null
    before_alloc=$(allocations)
    assert_eq "alice 0.5 134217728 100
carol 0.3 100663296 50" "$before_alloc" "admin list holds both allocations"
    background fs-exec alice fairshare exec -q --cpu 0.25 --mem 64M -- sleep 1000
    for _ in $(seq 50); do pid=$(inside pgrep -u alice -x sleep) && break; sleep 0.1; done
    [ -n "$pid" ] || { fail "fairshare exec sleep did not start"; return; }
    cg_before=$(inside cat "/proc/$pid/cgroup")
    scope=$(printf '%s\n' "$cg_before" | sed -n 's|^0::||p')
    assert_match "$scope" "^/fairshare.slice/fairshare-$uid_a.slice/fairshare-$uid_a-exec-.*\.scope$" "sleep runs in alice's exec scope"
    slice=/fairshare.slice/fairshare-$uid_a.slice
    lim_slice=$(limits_of "$slice") lim_scope=$(limits_of "$scope")
    assert_eq "0.5 134217728 100" "$lim_slice" "the kernel holds alice's slice at her allocation ($(cpu_quota_files), $(memory_limit_file), pids.max)"
    assert_eq "0.25 67108864" "${lim_scope% *}" "… and the scope at its own CPU and memory"
    id=$(as carol fairshare run -- sh -c 'i=0; while :; do i=$((i+1)); echo "line $i"; sleep 0.05; done')
    # Nothing of the users' in the daemon's own cgroup, which systemd empties
    # when it stops fairshared.service (KillMode=control-group).
    assert_match "$(unit_cgroup "fairshare-$uid_c-job-$id.service")" "^/fairshare.slice/fairshare-$uid_c.slice/" "the job runs in carol's slice, not under fairshared.service"
    background fs-follow carol sh -c "fairshare logs -f $id > /tmp/follow.out 2> /tmp/follow.err; echo \$? > /tmp/follow.rc"
    # A client asking all along: one status after the other, each timed.
    background fs-ask alice sh -c 'while [ ! -e /tmp/stop-asking ]; do s=$(date +%s%N); fairshare status > /dev/null 2>> /tmp/ask.err; rc=$?; echo "$rc $(( ($(date +%s%N) - s) / 1000000 ))" >> /tmp/ask.out; done'
    sleep 1
    log_before=$(as carol fairshare logs "$id")
    pid_before=$(inside systemctl show -p MainPID --value fairshared)

    # ---- the upgrade ------------------------------------------------------
    apt_repo v2 "$(old_deb)" "$(new_deb)" || { fail "contrib/build-apt-repo could not build the new release's repository"; return; }
    apt_publish v2
    apt_update
    t0=$(date +%s.%N)
    out=$(apt_get install --only-upgrade fairshare 2>&1); rc=$?
    t1=$(date +%s.%N)
    assert_eq 0 "$rc" "apt-get install --only-upgrade fairshare: $(printf '%s' "$out" | tail -n 3 | tr '\n' '|')"
    echo "    # apt-get install --only-upgrade took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
    assert_eq "$(new_version)" "$(inside dpkg-query -W -f '${Version}' fairshare)" "the package is now $(new_version)"
    pid_after=$(inside systemctl show -p MainPID --value fairshared)
    assert_ne "$pid_before" "$pid_after" "the daemon restarted (MainPID $pid_before -> $pid_after)"
    upstream=$(new_version | sed 's/-[^-]*$//')
    assert_eq 1 "$(daemon_starts "$upstream")" "the running daemon is $upstream (journal: fairshared $upstream started)"
    assert_eq active "$(inside systemctl is-active fairshared.socket)" "the socket stayed up"
    sleep 1

    # ---- everything is still there ---------------------------------------
    after_alloc=$(allocations)
    assert_eq "$before_alloc" "$after_alloc" "admin list: every allocation with the same values"
    cg_after=$(inside cat "/proc/$pid/cgroup" 2> /dev/null)
    assert_eq "$cg_before" "$cg_after" "the exec'd sleep (pid $pid) is alive, in the same scope"
    assert_eq "$lim_slice" "$(limits_of "$slice")" "the slice's limits in the kernel are unchanged"
    assert_eq "$lim_scope" "$(limits_of "$scope")" "the scope's limits in the kernel are unchanged"
    assert_match "$(as carol fairshare jobs)" "^$id +carol +- +running " "the job is still running"
    lines=$(printf '%s\n' "$log_before" | wc -l)
    for _ in $(seq 50); do [ "$(as carol fairshare logs "$id" | wc -l)" -gt $((lines + 40)) ] && break; sleep 0.1; done
    log_after=$(as carol fairshare logs "$id")
    assert_eq "$log_before" "$(printf '%s\n' "$log_after" | head -n "$lines")" "the log before the upgrade is the start of the log after it"
    assert_between $((lines + 41)) 100000 "$(printf '%s\n' "$log_after" | wc -l)" "the job's log went on growing"

    # ---- the client that asked during the restart ------------------------
    inside touch /tmp/stop-asking
    for _ in $(seq 50); do [ "$(inside systemctl is-active fs-ask)" = active ] || break; sleep 0.1; done
    out=$(inside cat /tmp/ask.out)
    echo "    # status during the upgrade: $(printf '%s\n' "$out" | wc -l) requests, longest wait $(printf '%s\n' "$out" | sort -k2,2n | tail -n 1 | cut -d' ' -f2) ms, median $(printf '%s\n' "$out" | sort -k2,2n | awk '{ a[NR] = $2 } END { print a[int((NR + 1) / 2)] }') ms"
    assert_eq 0 "$(printf '%s\n' "$out" | awk '$1 != 0' | wc -l)" "every status during the upgrade was answered: $(inside cat /tmp/ask.err | sort | uniq -c | head -n 3)"
    assert_between 0 5000 "$(printf '%s\n' "$out" | sort -k2,2n | tail -n 1 | cut -d' ' -f2)" "no client waited 5 s or more"

    # ---- the job's whole output, once -------------------------------------
    as carol fairshare stop "$id" > /dev/null
    for _ in $(seq 100); do [ "$(inside systemctl is-active fs-follow)" = active ] || break; sleep 0.1; done
    assert_eq inactive "$(inside systemctl is-active fs-follow)" "the follower ended with the job"
    log_after=$(as carol fairshare logs "$id")
    follow=$(inside cat /tmp/follow.out)
    assert_eq "$(printf '%s\n' "$log_after" | wc -l)" "$(printf '%s\n' "$follow" | wc -l)" "the follower got as many lines as the log holds"
    assert_eq "$log_after" "$follow" "the follower attached before the upgrade got the whole log, byte for byte"
    assert_eq "" "$(printf '%s\n' "$log_after" | awk '$0 != "line " NR { print NR ": " $0; exit }')" "the log is line 1 to $(printf '%s\n' "$log_after" | wc -l), none lost, none twice"
    assert_eq "" "$(inside cat /tmp/follow.err)" "the follower printed no error"

    # ---- a downgrade below what reads the state is refused ----------------
    # (0.1.0 reads it: the next test; a stand-in 0.0.9-1 does not.)
    mkdir -p "$WORK/fake/DEBIAN"
    printf 'Package: fairshare\nVersion: 0.0.9-1\nArchitecture: amd64\nMaintainer: t <t@example.org>\nDescription: stand-in\n stand-in\n' > "$WORK/fake/DEBIAN/control"
    dpkg-deb --root-owner-group --build "$WORK/fake" "$WORK/share/fake-0.0.9.deb" > /dev/null
    capture inside dpkg -i "$GUEST_SHARE/fake-0.0.9.deb"
    assert_ne 0 "$RC" "dpkg refuses a downgrade to 0.0.9-1"
    assert_contains "$ERR" "refusing to downgrade to 0.0.9-1: its fairshared cannot read /var/lib/fairshare/state.json" "… and says why"
    assert_eq "$(new_version)" "$(inside dpkg-query -W -f '${Version}' fairshare)" "… leaving $(new_version) installed"
    assert_eq active "$(inside systemctl is-active fairshared.socket)" "… and its socket listening"
}

test_apt_downgrade_to_the_old_release_keeps_allocations_and_jobs() {
    local out id before pid
    apt_repo v2 "$(new_deb)" || { fail "contrib/build-apt-repo failed"; return; }
    # The rolled-back repository is dated a minute later, as a real one
    # would be.
    SOURCE_DATE_EPOCH=$((APT_EPOCH + 60)) apt_repo v1 "$(old_deb)" || { fail "contrib/build-apt-repo failed"; return; }
    apt_publish v2
    apt_configure
    apt_update
    out=$(apt_get install fairshare 2>&1) || { fail "apt-get install fairshare: $(printf '%s' "$out" | tail -n 3 | tr '\n' '|')"; return; }
    inside useradd --create-home --groups fairshare alice
    as alice fairshare request --cpu 0.5 --mem 128M > /dev/null
    id=$(as alice fairshare run -- sleep 1000)
    before=$(allocations)
    pid=$(inside systemctl show -p MainPID --value fairshared)

    # The repository goes back to the old release; apt needs to be told.
    apt_publish v1
    apt_update
    out=$(apt_get install fairshare 2>&1)
    assert_contains "$out" "fairshare is already the newest version ($(new_version))" "apt does not downgrade unasked"
    out=$(apt_get install "fairshare=$OLD_VERSION" 2>&1)
    assert_contains "$out" "E: Packages were downgraded and -y was used without --allow-downgrades" "… nor with the version named but without --allow-downgrades"
    out=$(apt_get install --allow-downgrades "fairshare=$OLD_VERSION" 2>&1)
    assert_eq 0 "$?" "apt-get install --allow-downgrades fairshare=$OLD_VERSION: $(printf '%s' "$out" | tail -n 3 | tr '\n' '|')"
    assert_eq "$OLD_VERSION" "$(inside dpkg-query -W -f '${Version}' fairshare)" "the package is $OLD_VERSION again"
    assert_ne "$pid" "$(inside systemctl show -p MainPID --value fairshared)" "the daemon restarted on the old binary"
    assert_eq 1 "$(daemon_starts 0.1.0)" "the running daemon is 0.1.0"
    assert_eq "$before" "$(allocations)" "the old release reads the new one's state: every allocation kept"
    assert_match "$(as alice fairshare jobs)" "^$id +alice +- +running " "the job is still running"
}

test_apt_repository_is_reproducible_and_signed() {
    local a=$WORK/repro-a b=$WORK/repro-b c=$WORK/repro-c out
    SOURCE_DATE_EPOCH=$APT_EPOCH "$ROOT/contrib/build-apt-repo" --test-key "$WORK/apt-gnupg" --url "$APT_URL" --output "$a" "$(new_deb)" > /dev/null 2>&1
    sleep 1.1
    SOURCE_DATE_EPOCH=$APT_EPOCH "$ROOT/contrib/build-apt-repo" --test-key "$WORK/apt-gnupg" --url "$APT_URL" --output "$b" "$(new_deb)" > /dev/null 2>&1
    out=$(diff -r "$a" "$b" 2>&1)
    assert_eq "" "$out" "the same deb, key and SOURCE_DATE_EPOCH a second later: a byte-identical repository"
    SOURCE_DATE_EPOCH=$((APT_EPOCH + 86400)) "$ROOT/contrib/build-apt-repo" --test-key "$WORK/apt-gnupg" --url "$APT_URL" --output "$c" "$(new_deb)" > /dev/null 2>&1
    assert_eq "dists/stable/InRelease dists/stable/Release dists/stable/Release.gpg" \
        "$(diff -rq "$a" "$c" | sed "s|^Files $a/\([^ ]*\) and .*|\1|" | sort | tr '\n' ' ' | sed 's/ $//')" \
        "another SOURCE_DATE_EPOCH changes the Release file and its signatures only"
    assert_contains "$(gpgv --keyring "$a/fairshare.gpg" "$a/dists/stable/InRelease" 2>&1)" "Good signature" "InRelease verifies with fairshare.gpg"
    assert_contains "$(gpgv --keyring "$a/fairshare.gpg" "$a/dists/stable/Release.gpg" "$a/dists/stable/Release" 2>&1)" "Good signature" "Release.gpg verifies with fairshare.gpg"
    assert_contains "$(cat "$a/fairshare.sources")" "Signed-By: /etc/apt/keyrings/fairshare.gpg" "fairshare.sources names the keyring"
    assert_eq "Date: $(LC_ALL=C date -u -R -d "@$APT_EPOCH" | sed 's/+0000$/UTC/')" "$(grep '^Date:' "$a/dists/stable/Release")" "the Release file is dated SOURCE_DATE_EPOCH"
}

# The client's own retry (fairshare(1) RESTARTS), which an upgrade seldom
# needs because the socket stays up: here the socket itself goes away.
test_client_retries_while_the_socket_is_down_and_gives_up_after_5_s() {
    local out rc took
    out=$(inside dpkg -i "$(ls "$WORK"/share/fairshare_*_amd64.deb | sed "s|^$WORK/share|$GUEST_SHARE|")" 2>&1) ||
        { fail "dpkg -i: $(printf '%s' "$out" | tail -n 3 | tr '\n' '|')"; return; }
    inside useradd --create-home --groups fairshare alice
    as alice fairshare request --cpu 0.5 > /dev/null
    # Socket and daemon stopped: no socket file (RemoveOnStop=yes), ENOENT.
    inside systemctl stop fairshared.socket fairshared.service
    inside test ! -e /run/fairshare.sock || fail "the socket file is still there"
    background fs-early alice sh -c 's=$(date +%s%N); fairshare status > /tmp/early.out 2>&1; echo "$? $(( ($(date +%s%N) - s) / 1000000 ))" > /tmp/early.rc'
    background fs-early-request alice sh -c 'fairshare request --cpu 0.75 > /tmp/early-request.out 2>&1; echo $? > /tmp/early-request.rc'
    sleep 1.5
    inside systemctl start fairshared.socket
    for _ in $(seq 50); do inside test -s /tmp/early.rc && inside test -s /tmp/early-request.rc && break; sleep 0.1; done
    read -r rc took < <(inside cat /tmp/early.rc)
    echo "    # a status sent 1.5 s before the socket came back was answered after $took ms"
    assert_eq 0 "$rc" "a status sent while the socket was gone is answered once it is back: $(inside cat /tmp/early.out | tr '\n' '|')"
    assert_between 300 5000 "$took" "… after waiting for it"
    assert_eq 0 "$(inside cat /tmp/early-request.rc)" "a request (which changes things) waits the same way: nothing was sent yet"
    assert_contains "$(as alice fairshare status)" "Allocation: 0.75 CPUs" "… and was granted once"
    # A socket that stays away: the client gives up after 5 s, and says so.
    inside systemctl stop fairshared.socket fairshared.service
    capture as alice sh -c 's=$(date +%s%N); fairshare status; rc=$?; echo "took $(( ($(date +%s%N) - s) / 1000000 ))" >&2; exit $rc'
    assert_eq 69 "$RC" "with no daemon, status fails with 69"
    assert_contains "$ERR" "cannot reach fairshared at /run/fairshare.sock: No such file or directory, tried again for 5 s" "… saying it tried for 5 s"
    took=$(printf '%s\n' "$ERR" | sed -n 's/^took //p')
    echo "    # gave up after $took ms"
    assert_between 4900 6500 "$took" "… and gives up after 5 s"
}

# A connection closed before the reply (what a daemon restart between a
# request and its answer looks like): read-only requests are sent again,
# requests that change something are not.
test_client_resends_only_reads_after_a_connection_closed_unanswered() {
    local out
    out=$(inside dpkg -i "$(ls "$WORK"/share/fairshare_*_amd64.deb | sed "s|^$WORK/share|$GUEST_SHARE|")" 2>&1) ||
        { fail "dpkg -i: $(printf '%s' "$out" | tail -n 3 | tr '\n' '|')"; return; }
    inside useradd --create-home --groups fairshare alice
    as alice fairshare request --cpu 0.5 > /dev/null
    background fs-flaky alice python3 "$GUEST_SHARE/flakyproxy.py" /tmp/flaky.sock /run/fairshare.sock 1 /tmp/flaky.log
    for _ in $(seq 50); do inside test -S /tmp/flaky.sock && break; sleep 0.1; done
    capture as alice env FAIRSHARE_SOCKET=/tmp/flaky.sock fairshare status
    assert_eq 0 "$RC" "status through a connection closed unanswered once: answered ($ERR)"
    assert_contains "$OUT" "Allocation: 0.5 CPUs" "… with the real answer"
    assert_eq "dropped relayed" "$(inside cut -d' ' -f1 /tmp/flaky.log | tr '\n' ' ' | sed 's/ $//')" "… sent twice: once dropped, once relayed"
    inside systemctl stop fs-flaky
    inside rm -f /tmp/flaky.log
    background fs-flaky2 alice python3 "$GUEST_SHARE/flakyproxy.py" /tmp/flaky.sock /run/fairshare.sock 1 /tmp/flaky.log
    for _ in $(seq 50); do inside test -S /tmp/flaky.sock && break; sleep 0.1; done
    capture as alice env FAIRSHARE_SOCKET=/tmp/flaky.sock fairshare release
    assert_eq 69 "$RC" "release through a connection closed unanswered: not sent again, exit 69"
    assert_contains "$ERR" "fairshared closed the connection without answering" "… saying so"
    assert_eq "dropped" "$(inside cut -d' ' -f1 /tmp/flaky.log | tr '\n' ' ' | sed 's/ $//')" "… sent once"
    inside systemctl stop fs-flaky2
}
