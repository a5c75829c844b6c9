# fairshare-remote (issue 21): remote jobs over real TCP and TLS 1.3 on the
# container's loopback, through the packaged unit (its own system user,
# credentials) and the policy's `remote: {gateway: fairshare-remote}`.
# Certificates come from contrib/fairshare-remote-certs, made on the host
# once per run into the share: alice as writer and as reader; alice from
# another CA, expired, without a role and revoked; bob, who is not in group
# fairshare. The client is the real `fairshare --remote`, run in the
# container. Container only: the VM suites' lists leave it out (nothing
# here depends on the cgroup version; 80-jobs covers the jobs themselves).

REMOTE=127.0.0.1:9326
PKI=$GUEST_SHARE/remote-pki

# The CA and every certificate, on the host, into the share (bound into
# each container): made once, kept for the rest of the run.
remote_pki() {
    local dir=$WORK/share/remote-pki tmp=$WORK/share/remote-pki.tmp certs=$ROOT/contrib/fairshare-remote-certs
    [ -e "$dir/done" ] && return 0
    rm -rf "$tmp"
    (
        set -e
        "$certs" ca "$tmp"
        "$certs" server "$tmp" 127.0.0.1
        # Expired: valid for 0 days. Revoked: a writer certificate of
        # alice's put in the CRL. Both renamed before the good ones exist.
        "$certs" client "$tmp" alice writer 0
        mv "$tmp/alice-writer.crt" "$tmp/expired.crt"; mv "$tmp/alice-writer.key" "$tmp/expired.key"
        "$certs" client "$tmp" alice writer
        "$certs" revoke "$tmp" "$tmp/alice-writer.crt"
        mv "$tmp/alice-writer.crt" "$tmp/revoked.crt"; mv "$tmp/alice-writer.key" "$tmp/revoked.key"
        "$certs" client "$tmp" alice writer
        "$certs" client "$tmp" alice reader
        "$certs" client "$tmp" bob writer
        # No role: CN only, signed by the same CA, by hand.
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/norole.key" 2> /dev/null
        openssl req -new -key "$tmp/norole.key" -subj "/O=fairshare/CN=alice" -out "$tmp/norole.csr"
        printf 'extendedKeyUsage=clientAuth\n' > "$tmp/norole.ext"
        openssl x509 -req -in "$tmp/norole.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" -CAserial "$tmp/ca.srl" \
            -days 30 -sha256 -extfile "$tmp/norole.ext" -out "$tmp/norole.crt" 2> /dev/null
        # Another CA's certificate for alice.
        "$certs" ca "$tmp/other"
        "$certs" client "$tmp/other" alice writer
        mv "$tmp/other/alice-writer.crt" "$tmp/otherca.crt"; mv "$tmp/other/alice-writer.key" "$tmp/otherca.key"
        # Test certificates only: every file readable by the container's users.
        chmod 0755 "$tmp"; chmod 0644 "$tmp"/*.crt "$tmp"/*.key "$tmp"/*.crl
        touch "$tmp/done"
    ) > "$WORK/remote-pki.log" 2>&1 || { cat "$WORK/remote-pki.log"; return 1; }
    mv "$tmp" "$dir"
}

# Installs the gateway as the package does and starts it; waits until it
# accepts connections.
remote_setup() {
    remote_pki || { fail "making the test CA with contrib/fairshare-remote-certs"; return 1; }
    inside sh -ec '
        ln -sf fairshare /usr/bin/fairshare-remote
        install -m 0644 "$1/fairshare-remote.service" /etc/systemd/system/
        install -m 0644 "$1/fairshare.sysusers" /usr/lib/sysusers.d/fairshare.conf
        systemd-sysusers fairshare.conf > /dev/null 2>&1
        mkdir -p /etc/fairshare/remote
        install -m 0644 "$2/ca.crt" /etc/fairshare/remote/ca.crt
        install -m 0644 "$2/server-127.0.0.1.crt" /etc/fairshare/remote/server.crt
        install -m 0600 "$2/server-127.0.0.1.key" /etc/fairshare/remote/server.key
        install -m 0644 "$2/ca.crl" /etc/fairshare/remote/crl.pem
        printf "remote:\n  gateway: fairshare-remote\n" > /etc/fairshare/policy.d/60-remote.yaml
        fairshare admin reload > /dev/null
        systemctl daemon-reload
        systemctl start fairshare-remote.service
        for i in $(seq 200); do
            bash -c "exec 3<>/dev/tcp/127.0.0.1/9326" 2> /dev/null && exit 0
            sleep 0.05
        done
        echo "fairshare-remote does not accept connections on 127.0.0.1:9326" >&2
        journalctl -u fairshare-remote --no-pager -n 20 >&2
        exit 1' setup "$GUEST_SHARE" "$PKI" || { fail "fairshare-remote setup"; return 1; }
}

# remote USER CERT ARGS…: `fairshare --remote` as USER with the certificate CERT.
remote() {
    local user=$1 cert=$2
    shift 2
    as "$user" fairshare --remote "$REMOTE" --ca "$PKI/ca.crt" --cert "$PKI/$cert.crt" --key "$PKI/$cert.key" "$@"
}

# The command line of `remote`, for a shell in the container (root's).
remote_cmd() { echo "fairshare --remote $REMOTE --ca $PKI/ca.crt --cert $PKI/$1.crt --key $PKI/$1.key"; }

# Waits until job ID has ended (its local `logs -f` returns).
wait_job() { as alice fairshare logs -f "$1" > /dev/null 2>&1; }

# sha256 of a file in the container.
sha() { inside sha256sum "$1" | cut -d' ' -f1; }

test_a_writer_starts_a_job_that_runs_as_alice_in_her_slice() {
    remote_setup || return
    local uid id local_id remote_env local_env
    uid=$(uid_of alice)
    capture remote alice alice-writer run --name remote-demo -- sh -c '
        id -un; pwd; grep -o "fairshare-[0-9]*\.slice/fairshare-[0-9]*-job-[0-9]*\.service" /proc/self/cgroup | head -n 1
        env | grep -E "^(HOME|USER|LOGNAME|SHELL|PATH|LANG)=" | sort'
    assert_eq 0 "$RC" "a writer certificate starts a job ($ERR)"
    id=$OUT
    assert_match "$id" '^[0-9]+$' "run prints the job id alone: '$id'"
    capture remote alice alice-writer logs -f "$id"
    assert_eq 0 "$RC" "logs -f ends with the job's status ($ERR)"
    assert_eq "alice" "$(sed -n 1p <<< "$OUT")" "the job ran as alice"
    assert_eq "/home/alice" "$(sed -n 2p <<< "$OUT")" "… in her home directory"
    assert_eq "fairshare-$uid.slice/fairshare-$uid-job-$id.service" "$(sed -n 3p <<< "$OUT")" "… in her slice, as a job unit"
    remote_env=$(sed -n '4,$p' <<< "$OUT")
    local_id=$(as alice sh -c 'cd && fairshare run -- sh -c "env | grep -E \"^(HOME|USER|LOGNAME|SHELL|PATH|LANG)=\" | sort"')
    wait_job "$local_id"
    local_env=$(as alice fairshare logs "$local_id")
    assert_eq "$local_env" "$remote_env" "the environment a local 'fairshare run' gives"
    assert_eq "$(as alice fairshare logs "$id")" "$(remote alice alice-writer logs "$id")" "remote logs and local logs are the same bytes"
    assert_eq "$(as alice fairshare jobs)" "$(remote alice alice-writer jobs)" "remote jobs prints what local jobs prints"
    assert_contains "$(remote alice alice-writer status)" "alice" "status answers for alice"
    # The gateway itself: its own system user, no capabilities, confined.
    assert_eq "fairshare-remote" "$(inside ps -o user= -p "$(inside systemctl show -p MainPID --value fairshare-remote.service)")" \
        "the gateway runs as the system user fairshare-remote"
    assert_eq "0000000000000000" "$(inside sh -c 'sed -n "s/^CapEff:\t//p" /proc/$(systemctl show -p MainPID --value fairshare-remote.service)/status')" \
        "… with no capabilities"
    local exposure
    exposure=$(inside systemd-analyze security --no-pager fairshare-remote.service 2>&1 | tail -n 1)
    echo "    # $exposure"
    assert_match "$exposure" 'Overall exposure level for fairshare-remote.service: [0-2]\.[0-9] (OK|SAFE)' "exposure at most 2.9"
    capture remote alice alice-writer logs 999999
    assert_eq 1 "$RC" "an unknown job: exit 1 as locally"
    assert_contains "$ERR" "no job 999999" "… with fairshared's message"
}

test_a_stream_joined_before_and_after_the_end_is_byte_exact() {
    remote_setup || return
    local id
    # Text, then raw random bytes (NULs included), no newline at the end, status 3.
    id=$(remote alice alice-writer run -- sh -c '
        for i in $(seq 1 3000); do echo "line $i of the job"; done
        sleep 2
        head -c 300000 /dev/urandom
        printf "the end, without a newline"
        exit 3')
    assert_match "$id" '^[0-9]+$' "the job started: '$id'"
    sleep 0.5
    inside sh -c "$(remote_cmd alice-writer) logs -f $id > /tmp/before.out; echo \$? > /tmp/before.rc" &
    local follower=$!
    wait_job "$id"
    wait "$follower"
    inside sh -c "$(remote_cmd alice-writer) logs $id > /tmp/after.out"
    as alice fairshare logs "$id" > /dev/null
    inside sh -c "fairshare logs $id > /tmp/local.out"
    local size
    size=$(inside stat -c %s /tmp/local.out)
    assert_between 360000 400000 "$size" "the job wrote its output"
    assert_eq "$(sha /tmp/local.out)" "$(sha /tmp/before.out)" "Stream joined while the job ran: every byte, in order"
    assert_eq "$(sha /tmp/local.out)" "$(sha /tmp/after.out)" "Stream joined after the end: every byte, in order"
    assert_eq 3 "$(inside cat /tmp/before.rc)" "logs -f exits with the job's status"
}

test_a_reader_may_query_and_stream_but_not_start_or_stop() {
    remote_setup || return
    local id
    id=$(as alice fairshare run -- sh -c 'echo hello from alice; sleep 60')
    sleep 0.3
    capture remote alice alice-reader jobs
    assert_eq 0 "$RC" "a reader lists the account's jobs ($ERR)"
    assert_match "$OUT" "^$id +alice " "… the job is there"
    capture remote alice alice-reader logs "$id"
    assert_eq "hello from alice" "$OUT" "a reader reads the output"
    capture remote alice alice-reader run -- true
    assert_eq 77 "$RC" "a reader may not start a job (PERMISSION_DENIED)"
    assert_contains "$ERR" "reader certificate may not" "… and is told why"
    capture remote alice alice-reader stop "$id"
    assert_eq 77 "$RC" "a reader may not stop one"
    assert_match "$(as alice fairshare jobs)" "^$id +alice +- +running " "the job still runs"
    capture remote bob bob-writer status
    assert_eq 77 "$RC" "bob's certificate is valid, but bob is not in group fairshare"
    assert_contains "$ERR" "not in group 'fairshare'" "… and the message says so"
    capture remote alice alice-writer stop "$id"
    assert_eq 0 "$RC" "a writer stops it ($ERR)"
}

test_certificates_from_another_ca_expired_revoked_or_without_a_role_are_refused() {
    remote_setup || return
    local cert
    for cert in otherca expired norole revoked; do
        capture remote alice "$cert" status
        assert_ne 0 "$RC" "$cert: refused"
        assert_not_contains "$OUT" "alice" "$cert: nothing answered"
    done
    capture remote alice norole status
    assert_contains "$ERR" "no role" "no role: the reason reaches the client"
    capture remote alice revoked status
    assert_contains "$ERR" "revoked" "revoked: the reason reaches the client"
    assert_contains "$(inside journalctl -u fairshare-remote --no-pager)" "no role" "the gateway logs the refusal"
    # TLS 1.3 only; a valid client certificate gets a handshake.
    local probe='
import socket, ssl, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(sys.argv[1] + "/ca.crt")
ctx.load_cert_chain(sys.argv[1] + "/alice-writer.crt", sys.argv[1] + "/alice-writer.key")
if sys.argv[2] == "1.2":
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
try:
    with socket.create_connection(("127.0.0.1", 9326)) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            print(tls.version())
except ssl.SSLError as e:
    print("refused:", e.reason)'
    assert_eq "TLSv1.3" "$(inside python3 -c "$probe" "$PKI" 1.3)" "a client certificate from the CA gets TLS 1.3"
    assert_contains "$(inside python3 -c "$probe" "$PKI" 1.2)" "refused" "TLS 1.2 is refused"
}

test_a_hundred_concurrent_streams_each_get_the_whole_output() {
    remote_setup || return
    local id good
    id=$(remote alice alice-writer run -- sh -c 'for i in $(seq 1 100); do head -c 10000 /dev/urandom; sleep 0.03; done')
    assert_match "$id" '^[0-9]+$' "the job started: '$id'"
    local t0=$SECONDS
    inside sh -c 'mkdir -p /tmp/streams; for i in $(seq 100); do $1 logs -f $2 > /tmp/streams/$i.out 2> /tmp/streams/$i.err & done; wait' \
        sh "$(remote_cmd alice-writer)" "$id"
    echo "    # 100 concurrent followers done in $((SECONDS - t0)) s"
    inside sh -c "fairshare logs $id > /tmp/local.out"
    assert_eq 1000000 "$(inside stat -c %s /tmp/local.out)" "the job wrote 1,000,000 bytes"
    good=$(inside sh -c 'want=$(sha256sum < /tmp/local.out); n=0; for f in /tmp/streams/*.out; do [ "$(sha256sum < $f)" = "$want" ] && n=$((n+1)); done; echo $n')
    assert_eq 100 "$good" "100 concurrent Stream clients each got the complete output ($(inside sh -c 'cat /tmp/streams/*.err | sort | uniq -c | head -3'))"
}

test_killing_the_gateway_mid_stream_loses_no_output() {
    remote_setup || return
    local id good restarts
    id=$(remote alice alice-writer run -- sh -c 'for i in $(seq 1 60); do echo "line $i"; head -c 2000 /dev/urandom; sleep 0.1; done')
    assert_match "$id" '^[0-9]+$' "the job started: '$id'"
    inside sh -c 'mkdir -p /tmp/streams; for i in $(seq 5); do $1 logs -f $2 > /tmp/streams/$i.out 2> /tmp/streams/$i.err & done; wait' \
        sh "$(remote_cmd alice-writer)" "$id" &
    local followers=$!
    sleep 2
    inside systemctl kill --signal=KILL fairshare-remote.service
    sleep 2
    inside systemctl kill --signal=KILL fairshare-remote.service
    wait "$followers"
    restarts=$(inside systemctl show -p NRestarts --value fairshare-remote.service)
    assert_eq 2 "$restarts" "the gateway was killed twice mid-stream and restarted"
    inside sh -c "fairshare logs $id > /tmp/local.out"
    good=$(inside sh -c 'want=$(sha256sum < /tmp/local.out); n=0; for f in /tmp/streams/*.out; do [ "$(sha256sum < $f)" = "$want" ] && n=$((n+1)); done; echo $n')
    assert_eq 5 "$good" "every follower reconnected and resumed from its offset: complete output, nothing twice"
}

# The figures of the closing note: stream throughput for a job that writes
# as fast as it can, the TLS handshake, and a remote command's wall time.
test_remote_figures() {
    remote_setup || return
    local id
    id=$(remote alice alice-writer run -- sh -c 'head -c 33554432 /dev/zero')
    wait_job "$id"
    local timing='
import subprocess, sys, time
def best(cmd, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return min(times)
print("%.3f" % best(sys.argv[1], int(sys.argv[2])))'
    local remote_s local_s
    remote_s=$(inside python3 -c "$timing" "$(remote_cmd alice-writer) logs $id" 3)
    local_s=$(inside python3 -c "$timing" "fairshare logs $id" 3)
    echo "    # Stream of 32 MiB: $remote_s s remote ($(python3 -c "print(round(32 / $remote_s))") MiB/s), $local_s s local logs ($(python3 -c "print(round(32 / $local_s))") MiB/s)"
    local handshake='
import socket, ssl, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(sys.argv[1] + "/ca.crt")
ctx.load_cert_chain(sys.argv[1] + "/alice-writer.crt", sys.argv[1] + "/alice-writer.key")
ctx.set_alpn_protocols(["h2"])
times = []
for _ in range(50):
    t = time.perf_counter()
    with socket.create_connection(("127.0.0.1", 9326)) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1"):
            times.append(time.perf_counter() - t)
times.sort()
print("%.2f ms median, %.2f ms p90" % (times[25] * 1e3, times[45] * 1e3))'
    echo "    # TLS 1.3 handshake with a client certificate (connect included): $(inside python3 -c "$handshake" "$PKI")"
    echo "    # status: $(inside python3 -c "$timing" "$(remote_cmd alice-writer) status" 10) s remote, $(inside python3 -c "$timing" "fairshare status" 10) s local (best of 10, process start included)"
    assert_ne "" "$remote_s" "the throughput was measured"
}
