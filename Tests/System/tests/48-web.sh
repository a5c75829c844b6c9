# fairshare-web (issue 19): a real Prometheus scrapes it, promtool checks
# the exposition, headless Chromium renders the dashboard, `fairshare top`
# runs in tmux, the bearer token, and the unit's confinement.
#
# Prometheus, promtool, Chromium, curl and tmux are the HOST's
# (contrib/install-deps); the container has a network namespace of its own
# (nspawn --private-network), so they run in it with `nsenter --net`,
# reaching fairshare-web on the container's 127.0.0.1:9325. Screenshots go
# to $WEB_OUTPUT (default /var/tmp/fairshare-system/48-web), kept after the run.

WEB_OUTPUT=${WEB_OUTPUT:-/var/tmp/fairshare-system/48-web}

# In the container's network namespace, as the host's root.
in_net() { nsenter --net="/proc/$("$TESTBED" leader "$TB")/ns/net" -- "$@"; }

# Installs fairshare-web as the package does (symlink, units, sysusers:
# user fairshare-web in fairshare and fairshare-readers), makes
# fairshare-readers the policy's reader_group and starts the socket.
web_setup() {
    inside sh -ec '
        ln -sf fairshare /usr/bin/fairshare-web
        install -m 0644 "$1/fairshare-web.service" "$1/fairshare-web.socket" /etc/systemd/system/
        install -m 0644 "$1/fairshare.sysusers" /usr/lib/sysusers.d/fairshare.conf
        systemd-sysusers fairshare.conf >/dev/null 2>&1
        printf "reader_group: fairshare-readers\n" > /etc/fairshare/policy.d/50-readers.yaml
        fairshare admin reload >/dev/null
        systemctl daemon-reload
        systemctl start fairshare-web.socket' setup "$GUEST_SHARE" || { fail "fairshare-web setup"; return 1; }
}

# alice holds 1 CPU and runs a hog in it.
alice_hog() {
    as alice fairshare request --cpu 1 --mem 128M >/dev/null
    background web-hog alice fairshare exec -q -- sh -c 'while :; do :; done'
}

scrape() { in_net curl -s -m 10 "$@" http://127.0.0.1:9325/metrics; }

test_web_prometheus_scrapes_alice() {
    web_setup || return
    alice_hog
    local dir out t0 t1 granted used
    dir=$(mktemp -d "$TMPDIR/prom.XXXXXX")
    scrape > "$dir/scrape.txt"
    assert_contains "$(cat "$dir/scrape.txt")" 'fairshare_user_granted_cpus{user="alice"' "the scrape has alice's grant"
    capture promtool check metrics < "$dir/scrape.txt"
    assert_eq 0 "$RC" "promtool check metrics passes on a scrape: $OUT $ERR"
    echo "    # a scrape from the cache: $(scrape -o /dev/null -w '%{time_total}') s ($(wc -c < "$dir/scrape.txt") bytes)"
    cat > "$dir/prometheus.yml" <<'YML'
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: fairshare
    static_configs: [{targets: ["127.0.0.1:9325"]}]
YML
    in_net prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
        --web.listen-address=127.0.0.1:19090 > "$dir/prometheus.log" 2>&1 &
    local prom=$!
    query() { in_net curl -s -m 5 --data-urlencode "query=$1" http://127.0.0.1:19090/api/v1/query |
        python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2>/dev/null; }
    granted="" used=""
    for _ in $(seq 40); do
        granted=$(query 'fairshare_user_granted_cpus{user="alice"}')
        used=$(query 'rate(fairshare_user_cpu_seconds_total{user="alice"}[4s])')
        [ -n "$granted" ] && [ -n "$used" ] && awk -v u="$used" 'BEGIN { exit !(u > 0.1) }' && break
        sleep 1
    done
    kill "$prom" 2>/dev/null; wait "$prom" 2>/dev/null
    echo "    # PromQL: alice granted ${granted:-?} CPUs, using ${used:-?} CPUs (rate over 4 s)"
    assert_eq 1 "$granted" "Prometheus has alice's granted CPU (fairshare_user_granted_cpus)"
    # Busy, and within her 1 CPU (the machine is shared: the hog may get less).
    awk -v u="${used:-0}" 'BEGIN { exit !(u > 0.1 && u < 1.15) }' &&
        pass "Prometheus measures alice's hog: rate(fairshare_user_cpu_seconds_total) = $used CPUs" ||
        fail "rate(fairshare_user_cpu_seconds_total{user=alice}) = '${used}'; $(tail -n 5 "$dir/prometheus.log")"
    out=$(query 'sum(fairshare_requests_total{op="list",result="ok"})')
    assert_match "${out:-0}" '^[1-9]' "the daemon's counters reach Prometheus (fairshare_requests_total: $out)"
    inside systemctl stop web-hog >/dev/null 2>&1
}

test_web_dashboard_in_chromium() {
    web_setup || return
    alice_hog
    mkdir -p "$WEB_OUTPUT"
    local dom
    in_net curl -s -o /dev/null http://127.0.0.1:9325/  # a first reading, so the page has CPU rates
    sleep 3
    dom=$(in_net chromium --headless --no-sandbox --disable-gpu --dump-dom http://127.0.0.1:9325/ 2>/dev/null)
    assert_contains "$dom" 'id="user-alice"' "the rendered DOM has alice's row"
    assert_contains "$dom" 'data-cpu-granted="1"' "alice's row shows her granted CPU"
    printf '%s' "$dom" | python3 -c '
import re, sys
dom = sys.stdin.read()
row = re.search(r"<tr id=\"user-alice\"[^>]*data-cpu-used=\"([0-9.]+)\"", dom)
assert row and float(row.group(1)) > 0.1, row and row.group(0)
print("    # dashboard: alice uses %s of 1 CPU" % row.group(1))' &&
        pass "the dashboard shows alice's measured CPU use" || fail "no CPU use in alice's row"
    assert_contains "$dom" 'id="pool"' "the dashboard shows the pool"
    in_net chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,800 \
        --screenshot="$WEB_OUTPUT/dashboard-laptop.png" http://127.0.0.1:9325/ >/dev/null 2>&1
    in_net chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=390,844 \
        --screenshot="$WEB_OUTPUT/dashboard-phone.png" http://127.0.0.1:9325/ >/dev/null 2>&1
    [ -s "$WEB_OUTPUT/dashboard-laptop.png" ] && [ -s "$WEB_OUTPUT/dashboard-phone.png" ] &&
        pass "screenshots: $WEB_OUTPUT/dashboard-laptop.png $WEB_OUTPUT/dashboard-phone.png" || fail "no screenshot in $WEB_OUTPUT"
    local api
    api=$(in_net curl -s http://127.0.0.1:9325/api/v1/allocations)
    printf '%s' "$api" | python3 -c '
import json, sys
a = [r for r in json.load(sys.stdin)["allocations"] if r["user"] == "alice"][0]
assert a["cpu"] == 1 and a["usage"]["cpu_usec"] > 0, a' && pass "/api/v1/allocations has alice" || fail "/api/v1/allocations: $api"
    inside systemctl stop web-hog >/dev/null 2>&1
}

test_top_in_tmux() {
    web_setup || return
    alice_hog
    local s="fs-top-$TB" screen
    tmux new-session -d -s "$s" -x 120 -y 30 "$TESTBED run $TB --user carol -- fairshare top; sleep 30"
    sleep 4
    screen=$(tmux capture-pane -p -t "$s")
    assert_match "$screen" 'fairshare top' "top draws its heading"
    assert_match "$screen" '(^|[^a-z])alice +[0-9]+ +[0-9.]+ +1 ' "top shows alice's line with her CPU use and grant"
    echo "$screen" | grep -m1 alice | sed 's/^/    # /'
    tmux send-keys -t "$s" q
    sleep 2
    screen=$(tmux capture-pane -p -t "$s")
    assert_not_contains "$screen" "USER   " "q quits top (the screen is restored)"
    tmux kill-session -t "$s" 2>/dev/null
    capture as carol fairshare top
    assert_eq 0 "$RC" "top without a terminal exits by itself"
    assert_match "$OUT" '(^|[^a-z])alice ' "plain output has alice's line"
    capture as alice fairshare top
    assert_eq 77 "$RC" "a plain member may not watch everyone"
    inside systemctl stop web-hog >/dev/null 2>&1
}

test_web_token() {
    web_setup || return
    inside sh -ec '
        umask 077; printf "s3cret-token\n" > /etc/fairshare/web-token
        mkdir -p /etc/systemd/system/fairshare-web.service.d
        printf "[Service]\nLoadCredential=token:/etc/fairshare/web-token\n" > /etc/systemd/system/fairshare-web.service.d/token.conf
        systemctl daemon-reload; systemctl restart fairshare-web.service' || { fail "token setup"; return; }
    assert_eq 401 "$(scrape -o /dev/null -w '%{http_code}')" "a scrape without the token gets 401"
    assert_eq 401 "$(scrape -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong')" "a wrong token gets 401"
    assert_eq 200 "$(scrape -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer s3cret-token')" "with the token: 200"
    assert_eq 401 "$(in_net curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:9325/api/v1/status)" "the API needs it too"
}

test_web_runs_confined() {
    web_setup || return
    in_net curl -s -o /dev/null http://127.0.0.1:9325/healthz
    local pid uid gid out
    pid=$(inside systemctl show -p MainPID --value fairshare-web.service)
    assert_match "$pid" '^[1-9]' "fairshare-web runs (socket-activated)"
    out=$(inside grep -E '^(CapEff|CapPrm|CapBnd|NoNewPrivs)' "/proc/$pid/status")
    assert_match "$out" 'CapEff:[[:space:]]+0+$' "no effective capabilities"
    assert_match "$out" 'CapBnd:[[:space:]]+0+$' "an empty capability bounding set"
    assert_match "$out" 'NoNewPrivs:[[:space:]]+1' "no new privileges"
    uid=$(inside id -u fairshare-web); gid=$(inside id -g fairshare-web)
    assert_eq "$uid" "$(inside stat -c %u "/proc/$pid")" "it runs as the system user fairshare-web ($uid)"
    # Writes from inside its mount namespace, as its user.
    out=$(inside nsenter --target "$pid" --mount --setuid "$uid" --setgid "$gid" sh -c '
        for d in /run/fairshare-web /etc /var/lib /var/tmp /tmp /run /home /opt /usr /dev/shm; do
            if (: > "$d/.probe") 2>/dev/null; then echo "writable $d"; rm -f "$d/.probe"; else echo "refused $d"; fi
        done')
    assert_contains "$out" "writable /run/fairshare-web" "it may write its runtime directory"
    assert_not_contains "$(echo "$out" | grep -v /run/fairshare-web)" "writable" "and nothing else: $(echo $out)"
    out=$(inside nsenter --target "$pid" --mount sh -c ': > /etc/.probe' 2>&1)
    assert_contains "$out" "Read-only file system" "even root in its mount namespace cannot write /etc"
    out=$(inside systemd-analyze security --no-pager fairshare-web.service 2>&1 | tail -n 1)
    echo "    # systemd-analyze security fairshare-web.service: $out"
    assert_match "$out" 'Overall exposure level for fairshare-web.service: [0-2]\.[0-9] (OK|SAFE)' "exposure at most 2.9"
}
