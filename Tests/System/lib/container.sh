# Helpers shared by run and demo: act inside container $TB (set by the
# caller), and install fairshare there the way a package would.
# In container $TB: run as root / as a user / read a file.
inside() { "$TESTBED" run "$TB" -- "$@"; }
as() { local u=$1; shift; "$TESTBED" run "$TB" --user "$u" -- "$@"; }
uid_of() { inside id -u "$1"; }
croot() { "$TESTBED" root "$TB"; }

# Installs fairshare the way a package would, with the test policy, and
# starts the daemon under the shipped unit.
setup_container() {
    inside sh -ec '
        install -m 0755 /opt/fairshare-test/fairshare /usr/bin/fairshare
        ln -sf ../bin/fairshare /usr/sbin/fairshared
        install -m 0644 /opt/fairshare-test/fairshared.service /etc/systemd/system/fairshared.service
        groupadd --system fairshare; groupadd sysadmins
        useradd --create-home --groups fairshare alice
        useradd --create-home bob
        useradd --create-home --groups fairshare,sysadmins carol
        mkdir -p /etc/fairshare/policy.d
        cat > /etc/fairshare/policy.d/default.yaml <<POLICY
defaults:
  cpu: 0.5
  mem: 64M
  tasks: 64

max:
  cpu: 1
  mem: 256M
  tasks: 256

admin_group: sysadmins
POLICY
        systemctl daemon-reload
        systemctl start fairshared
        for i in $(seq 50); do [ -S /run/fairshare.sock ] && exit 0; sleep 0.1; done
        echo "fairshared did not create its socket" >&2; exit 1'
}

