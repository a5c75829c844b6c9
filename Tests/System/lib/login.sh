# Logins for the tests of login slices (42-login-caps, 44-login-gpus).

# USER may log in over ssh on localhost with a key root holds.
ssh_setup() { # USER
    inside sh -ec '
        [ -f /root/.ssh/login_key ] || { mkdir -p -m 0700 /root/.ssh; ssh-keygen -q -t ed25519 -N "" -f /root/.ssh/login_key; }
        home=$(getent passwd "$1" | cut -d: -f6)
        install -d -m 0700 -o "$1" -g "$1" "$home/.ssh"
        install -m 0600 -o "$1" -g "$1" /root/.ssh/login_key.pub "$home/.ssh/authorized_keys"
        systemctl start ssh' sh "$1"
}
ssh_as() { # USER CMD: CMD in a login over ssh
    local u=$1; shift
    inside ssh -q -i /root/.ssh/login_key -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "$u@localhost" "$*"
}

DROPIN=50-fairshare-login.conf

# Waits (10 s at most) until systemd lists fairshared's drop-in for
# user-UID.slice (WANT yes) or no longer does (WANT no): it has then
# re-read its configuration after fairshared wrote or removed the file.
wait_dropin() { # UID WANT
    local n
    for n in $(seq 100); do
        case "$(inside systemctl show -p DropInPaths --value "user-$1.slice")" in
            *"user-$1.slice.d/$DROPIN"*) [ "$2" = yes ] && return 0 ;;
            *) [ "$2" = no ] && return 0 ;;
        esac
        sleep 0.1
    done
    local state="still there"
    [ "$2" = yes ] && state="not there"
    fail "user-$1.slice: our drop-in is $state after the reload: $(inside systemctl show -p DropInPaths --value "user-$1.slice")"
    return 1
}
