# shellcheck shell=bash
# Assertions for the system tests (sourced into each test's shell by run).
#
# Every assertion prints "    ok - WHAT" or "    not ok - WHAT" with the
# reason, and after a failure the last command run through `capture` (its
# exit status, stdout and stderr). Nothing is fatal: a test goes on after a
# failed assertion. Each result is also appended to $RESULTS, from which run
# decides whether the test passed (no failure), failed, or was skipped.
#
#   capture CMD...                    run CMD; sets RC, OUT (stdout), ERR (stderr)
#   assert_eq EXPECTED ACTUAL WHAT
#   assert_ne UNWANTED ACTUAL WHAT
#   assert_contains TEXT NEEDLE WHAT
#   assert_not_contains TEXT NEEDLE WHAT
#   assert_match TEXT EXTENDED-REGEX WHAT     (some line of TEXT matches)
#   assert_line N TEXT EXTENDED-REGEX WHAT    (line N of TEXT matches)
#   assert_between LOW HIGH VALUE WHAT        (numbers, bounds included)
#   assert_exit EXPECTED WHAT -- CMD...       (captures CMD, checks its status)
#   pass WHAT / fail WHAT / skip REASON       (for checks of one's own)

RC=0 OUT="" ERR="" CAPTURED=""

_record() { [ -z "${RESULTS:-}" ] || printf '%s\n' "$1" >> "$RESULTS"; }
_indent() { sed -e 's/^/        /' | head -n 25; }
_show_captured() {
    [ -n "$CAPTURED" ] || return 0
    echo "        # last captured: $CAPTURED -> exit $RC"
    [ -z "$OUT" ] || { echo "        # stdout:"; printf '%s\n' "$OUT" | _indent; }
    [ -z "$ERR" ] || { echo "        # stderr:"; printf '%s\n' "$ERR" | _indent; }
}
_shorten() { # TEXT: at most 8 lines / 600 characters, for reasons
    local t
    t=$(printf '%s' "$1" | head -n 8 | head -c 600)
    [ "$t" = "$1" ] && printf '%s' "$t" || printf '%s…' "$t"
}

pass() { _record pass; echo "    ok - $*"; }
# shellcheck disable=SC2034 # CURRENT_FAILED: for tests that look at it
fail() { _record fail; CURRENT_FAILED=1; echo "    not ok - $*"; _show_captured; }
skip() { _record "skip $*"; echo "    skip - $*"; }

capture() {
    local o e
    o=$(mktemp "${TMPDIR:-/tmp}/capture.XXXXXX") e=$(mktemp "${TMPDIR:-/tmp}/capture.XXXXXX")
    "$@" > "$o" 2> "$e" < /dev/null
    RC=$?
    OUT=$(cat "$o") ERR=$(cat "$e")
    rm -f "$o" "$e"
    CAPTURED="$*"
    return 0
}

assert_eq() {
    if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: expected '$(_shorten "$1")', got '$(_shorten "$2")'"; fi
}
assert_ne() {
    if [ "$1" != "$2" ]; then pass "$3"; else fail "$3: got '$(_shorten "$2")'"; fi
}
assert_contains() {
    case "$1" in
        *"$2"*) pass "$3" ;;
        *) fail "$3: '$2' not in:"; printf '%s\n' "$1" | _indent ;;
    esac
}
assert_not_contains() {
    case "$1" in
        *"$2"*) fail "$3: '$2' unexpectedly in:"; printf '%s\n' "$1" | _indent ;;
        *) pass "$3" ;;
    esac
}
assert_match() {
    if printf '%s\n' "$1" | grep -Eq -- "$2"; then pass "$3"
    else fail "$3: no line matches /$2/ in:"; printf '%s\n' "$1" | _indent; fi
}
assert_line() {
    local line
    line=$(printf '%s\n' "$2" | sed -n "${1}p")
    if printf '%s\n' "$line" | grep -Eq -- "$3"; then pass "$4"
    else fail "$4: line $1 is '$line', wanted /$3/; the text:"; printf '%s\n' "$2" | _indent; fi
}
assert_between() {
    if awk -v lo="$1" -v hi="$2" -v v="$3" 'BEGIN { exit !(v ~ /^-?[0-9]+(\.[0-9]+)?$/ && v + 0 >= lo + 0 && v + 0 <= hi + 0) }'
    then pass "$4 ($3 in $1..$2)"; else fail "$4: '$3' is not in $1..$2"; fi
}
assert_exit() {
    local want=$1 what=$2
    shift 2
    [ "${1:-}" != -- ] || shift
    capture "$@"
    if [ "$RC" = "$want" ]; then pass "$what (exit $RC)"; else fail "$what: exit $RC, expected $want"; fi
}
