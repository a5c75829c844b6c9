# The .deb on a clean system: install, use through socket activation,
# audit trail, reload with a broken policy, purge.
# testbed: clean

GRANTED_ID=3a680982f31641fb9d695b3dbd6650cf
REJECTED_ID=8c1aeaaba3e74582a659ddb97f910983

test_package_install_session_and_purge() {
    local out rc uid deb
    deb=$(inside sh -c 'ls /opt/fairshare-test/fairshare_*_amd64.deb')
    out=$(inside dpkg -i "$deb" 2>&1); rc=$?
    assert_eq 0 "$rc" "dpkg -i succeeds: $(printf '%s' "$out" | tail -n 2)"
    assert_contains "$(inside getent group fairshare)" "fairshare:" "systemd-sysusers created group fairshare"
    assert_eq enabled "$(inside systemctl is-enabled fairshared.socket)" "the socket is enabled"
    assert_eq active "$(inside systemctl is-active fairshared.socket)" "the socket is listening"
    assert_eq inactive "$(inside systemctl is-active fairshared.service)" "the daemon waits for its first client"
    assert_eq "660 root fairshare" "$(inside stat -c '%a %U %G' /run/fairshare.sock)" "socket is 0660 root:fairshare"

    inside useradd --create-home --groups fairshare alice
    uid=$(uid_of alice)
    out=$(as alice fairshare status); rc=$?
    assert_eq 0 "$rc" "status through the activated socket"
    assert_eq "Your slice: none" "$(printf '%s\n' "$out" | sed -n 3p)" "no slice yet"
    assert_eq active "$(inside systemctl is-active fairshared.service)" "socket activation started the daemon"
    assert_contains "$(as alice fairshare request --cpu 0.5 --mem 64M)" "Request approved" "request"
    assert_eq "Allocation: 0.5 CPUs / 64M" "$(as alice fairshare status | sed -n 4p)" "status shows the allocation"
    assert_contains "$(as alice fairshare exec -- sh -c 'cat /proc/self/cgroup' 2>&1)" "fairshare-$uid.slice/fairshare-$uid-exec-" "exec runs in the slice"
    assert_contains "$(as alice fairshare release)" "released" "release"

    out=$(inside journalctl MESSAGE_ID=$GRANTED_ID -o verbose --no-pager)
    assert_contains "$out" "FAIRSHARE_USER=alice" "the grant is in the journal with its user"
    assert_contains "$out" "FAIRSHARE_UID=$uid" "… its uid"
    assert_contains "$out" "FAIRSHARE_MEM=67108864" "… and its memory"
    assert_contains "$(inside journalctl -x MESSAGE_ID=$GRANTED_ID --no-pager)" "Allocation granted to alice" "the catalog explains it"

    inside sh -c 'echo "max: {cpu: [" > /etc/fairshare/policy.d/zz-broken.yaml'
    inside systemctl reload fairshared
    sleep 0.5
    assert_eq active "$(inside systemctl is-active fairshared.service)" "a broken policy on reload leaves the daemon running"
    assert_contains "$(inside journalctl MESSAGE_ID=$REJECTED_ID --no-pager -o cat)" "zz-broken.yaml:1:" "the journal names the broken file and line"
    as alice fairshare status >/dev/null; assert_eq 0 "$?" "the old policy keeps serving"
    inside rm /etc/fairshare/policy.d/zz-broken.yaml

    out=$(inside dpkg --purge fairshare 2>&1); rc=$?
    assert_eq 0 "$rc" "dpkg --purge succeeds: $(printf '%s' "$out" | tail -n 2)"
    assert_eq "" "$(inside sh -c 'ls /lib/systemd/system/fairshared.* /etc/systemd/system/*/fairshared.* 2>/dev/null')" "no unit file or enablement link is left"
    inside test -e /run/fairshare.sock && fail "the socket is left behind" || pass "no socket is left behind"
    inside test -e /var/lib/fairshare && fail "state is left behind" || pass "no state is left behind"
    assert_eq "" "$(inside systemctl list-units --all --plain --no-legend 'fairshared*')" "no fairshared unit is loaded"
}

test_lintian_reports_no_errors() {
    if ! command -v lintian >/dev/null; then
        fail "lintian is not installed (contrib/install-deps installs it)"
        return
    fi
    local out
    out=$(lintian "$WORK"/share/fairshare_*_amd64.deb 2>&1)
    echo "# lintian: $(printf '%s\n' "$out" | grep -c '^W:') warnings"
    assert_not_contains "$out" "E: " "lintian reports no errors"
}

test_man_pages_render_cleanly() {
    local page out
    for page in "$ROOT"/man/*.[1-8]; do
        out=$(groff -ww -man -Tutf8 "$page" 2>&1 >/dev/null)
        assert_eq "" "$out" "groff -ww has no warnings for $(basename "$page")"
    done
}
