# Assertions for the system tests. Each prints "ok - NAME" or
# "not ok - NAME" with the reason; failures are counted, never fatal.
PASSED=0 FAILED=0 SKIPPED=0 CURRENT=""

pass() { PASSED=$((PASSED + 1)); echo "ok - $CURRENT: $*"; }
fail() { FAILED=$((FAILED + 1)); CURRENT_FAILED=1; echo "not ok - $CURRENT: $*"; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "skip - $CURRENT: $*"; }

assert_eq() { # EXPECTED ACTUAL WHAT
    if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: expected '$1', got '$2'"; fi
}
assert_contains() { # HAYSTACK NEEDLE WHAT
    case "$1" in *"$2"*) pass "$3";; *) fail "$3: '$2' not in: $(printf '%s' "$1" | head -c 600)";; esac
}
assert_not_contains() {
    case "$1" in *"$2"*) fail "$3: '$2' unexpectedly in: $(printf '%s' "$1" | head -c 600)";; *) pass "$3";; esac
}
assert_match() { # TEXT EXTENDED-REGEX WHAT
    if printf '%s\n' "$1" | grep -Eq -- "$2"; then pass "$3"; else fail "$3: /$2/ does not match: $(printf '%s' "$1" | head -c 600)"; fi
}
assert_between() { # LOW HIGH VALUE WHAT (integers)
    if [ "$3" -ge "$1" ] && [ "$3" -le "$2" ]; then pass "$4 ($3 in $1..$2)"; else fail "$4: $3 not in $1..$2"; fi
}
assert_ne() { if [ "$1" != "$2" ]; then pass "$3"; else fail "$3: got '$2'"; fi; }
