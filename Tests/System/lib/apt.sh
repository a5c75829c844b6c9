# shellcheck shell=bash
# Helpers for tests that install fairshare with apt from a signed repository
# served inside the testbed (tests/46-apt-upgrade.sh).
#
#   apt_repo NAME DEB...   build repository NAME on the host (contrib/
#                          build-apt-repo, one throw-away test key per run,
#                          dated SOURCE_DATE_EPOCH or APT_EPOCH)
#                          into $WORK/share/apt/NAME: /opt/fairshare-test/apt/NAME inside
#   apt_publish NAME       serve NAME at $APT_URL inside: its files replace
#                          /srv/apt's (python3 -m http.server in unit
#                          fs-apt-http, started on first use)
#   apt_configure          the keyring in /etc/apt/keyrings/fairshare.gpg and
#                          fairshare.sources as a user would install them;
#                          the image's Debian sources are set aside, so
#                          apt sees only this repository
#   apt_update             apt-get update; fails the test on any W: or E:
#                          line (stderr kept in APT_ERR)
#   apt_get ARGS...        apt-get -y -q ARGS, noninteractive

APT_PORT=8765
APT_URL=http://127.0.0.1:$APT_PORT
# The repositories' date: the newest debian/changelog entry (the default),
# fixed so that the same debs make the same repository.
APT_EPOCH=$(date -d "$(sed -n 's/^ -- .*>  //p' "$ROOT/debian/changelog" | head -n 1)" +%s)

apt_repo() {
    local name=$1; shift
    SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$APT_EPOCH} "$ROOT/contrib/build-apt-repo" --test-key "$WORK/apt-gnupg" \
        --url "$APT_URL" --output "$WORK/share/apt/$name" "$@" > /dev/null 2> "$WORK/apt-repo.log" ||
        { sed 's/^/    # /' "$WORK/apt-repo.log"; return 1; }
}

apt_publish() {
    # Copied, not preserved: files dated now, so the server's
    # Last-Modified never tells apt an index is unchanged.
    inside sh -ec 'mkdir -p /srv/apt; rm -rf /srv/apt/*; cp -r "$1/." /srv/apt/' sh "$GUEST_SHARE/apt/$1"
    if [ "$(inside systemctl is-active fs-apt-http)" != active ]; then
        background fs-apt-http root python3 -m http.server "$APT_PORT" --bind 127.0.0.1 --directory /srv/apt
        inside sh -c 'for i in $(seq 100); do python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1])" "$1" 2>/dev/null && exit 0; sleep 0.05; done; exit 1' \
            sh "$APT_URL/dists/stable/InRelease" || fail "the repository's HTTP server did not answer"
    fi
}

apt_configure() {
    inside sh -ec '
        mkdir -p /etc/apt/keyrings /etc/apt/sources.list.d
        install -m 0644 /srv/apt/fairshare.gpg /etc/apt/keyrings/fairshare.gpg
        install -m 0644 /srv/apt/fairshare.sources /etc/apt/sources.list.d/fairshare.sources
        [ ! -e /etc/apt/sources.list ] || mv /etc/apt/sources.list /etc/apt/sources.list.testbed-off'
}

apt_update() {
    local out rc
    out=$(inside sh -c 'apt-get update -q 2>/tmp/apt-update.err >/dev/null; rc=$?; cat /tmp/apt-update.err; exit $rc'); rc=$?
    APT_ERR=$out
    assert_eq 0 "$rc" "apt-get update succeeds: $out"
    assert_not_contains "$out" "W:" "apt-get update prints no warning"
    assert_not_contains "$out" "E:" "apt-get update prints no error"
}

apt_get() { inside env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0 "$@"; }
