# Sharing modes and memory (fairshare-policy(5), SHARING): under `lend` a
# working set within the grant stays resident (MemoryMin=/MemoryLow=, with
# fairshare.slice's own protection) while another user's hog meets the
# pool's limit; under `strict` the same hog evicts it; reclaim lowers the
# borrower's MemoryHigh= while the lender stalls. cgroup v2 only: v1 has
# no memory.low and lend keeps memory strict there (26-lending.sh checks it).
# testbed: vm
# cgroup-v2: yes

# Bytes of page cache charged to USER's slice (v2 memory.stat "file").
file_bytes() { cg_key "$(cg_file memory "$(unit_cgroup "fairshare-$(uid_of "$1").slice")" memory.stat)" file; }

# Memory on cgroup v2. The policy: MODE, RESERVE of memory kept from the
# pool; alice holds 160M, carol CAROL_GRANT ("rest": all the pool has
# left). alice writes a 96M file and keeps reading it (page cache: without
# protection it is evicted, the VM has no swap).
memory_setup() { # MODE RESERVE CAROL_GRANT
    inside sh -c 'printf "allocator: none\nreserve: {cpu: 0, mem: %s}\nmax: {cpu: 2, mem: 1G}\nsharing: %s\n" "$2" "$1" > /etc/fairshare/policy.d/zz-lend.yaml
        systemctl reload fairshared' sh "$1" "$2"
    sleep 0.3
    as alice fairshare request --cpu 1 --mem 160M > /dev/null
    local grant=$3
    if [ "$grant" = rest ]; then
        grant=$(as carol fairshare status --json | inside python3 -c 'import json, sys; print(json.load(sys.stdin)["available"]["mem"] >> 20)')M
        echo "    # carol's grant: all the pool has left, $grant" >&2
    fi
    as carol fairshare request --cpu 0.5 --mem "$grant" > /dev/null
    as alice fairshare exec -q -- sh -c 'dd if=/dev/zero of=$HOME/ws bs=1M count=96 status=none; cat $HOME/ws > /dev/null'
    background alice-reader alice fairshare exec -q -- sh -c 'while :; do cat $HOME/ws > /dev/null; sleep 0.3; done'
    sleep 1
}

# carol's anonymous hog grows by 16M every 0.15 s to 896M, past what
# fairshare.slice (or the VM) has; it asks to be the OOM killer's first choice, so a full VM loses
# the hog, not its sshd. Prints alice's file bytes "before lowest after"
# over 20 s and at their end.
anonymous_hog_round() {
    local before min after m
    # alice stops reading: her pages are then as easy to reclaim as any
    # others, and only memory.min/memory.low can keep them (read every
    # 0.3 s they stayed active, and strict lost only 10 % of them).
    inside systemctl stop alice-reader
    before=$(file_bytes alice)
    background carol-hog carol fairshare exec -q -- python3 -c '
import time
open("/proc/self/oom_score_adj", "w").write("1000")
chunks = []
for _ in range(56):
    chunks.append(b"\1" * (16 << 20))
    time.sleep(0.15)
time.sleep(10)'
    # 20 s of samples every 0.5 s, inside: alice's lowest file bytes and
    # carol's highest memory.current.
    m=$(inside sh -c 'min=$3; peak=0; i=0
        while [ $i -lt 40 ]; do
            while read -r k v; do [ "$k" != file ] || { [ "$v" -ge "$min" ] || min=$v; }; done < "$1/memory.stat"
            read -r c < "$2/memory.current"; [ "$c" -le "$peak" ] || peak=$c
            sleep 0.5; i=$((i + 1)); done
        echo "$min $peak"' sh "$(cg_dir memory "$(unit_cgroup "fairshare-$(uid_of alice).slice")")" \
        "$(cg_dir memory "$(unit_cgroup "fairshare-$(uid_of carol).slice")")" "$before")
    min=${m% *}
    echo "    # carol's peak memory.current $(( ${m#* } >> 20 ))M; her slice's memory.events: $(inside cat "$(cg_file memory "$(unit_cgroup "fairshare-$(uid_of carol).slice")" memory.events)" | tr '\n' ' ')" >&2
    after=$(file_bytes alice)
    [ -z "$after" ] || [ "$after" -ge "$min" ] || min=$after
    echo "$before $min $after"
}

resident() { echo "$1" | awk '$1 > 0 { printf "%.0f", $2 * 100 / $1 }'; }

test_lend_memory_keeps_the_working_set() {
    local m pct
    # fairshare.slice is capped at the pool, 400M below the VM's memory, so
    # carol's hog meets that limit, not the machine's.
    memory_setup lend 400M 64M
    assert_eq 167772160 "$(inside cat "$(cg_file memory "$(unit_cgroup "fairshare-$(uid_of alice).slice")" memory.min)")" "kernel: alice's memory.min is her grant"
    m=$(anonymous_hog_round)
    pct=$(resident "$m")
    echo "    # lend: alice's file bytes before / lowest / after carol's hog: $m (lowest $pct %)"
    echo "    # carol's hog: $(inside systemctl show -p Result --value carol-hog.service 2>/dev/null)"
    assert_between 90 100 "${pct:-x}" "lend: alice's working set stays ≥ 90 % resident while carol's hog fills the machine"
}

test_strict_memory_evicts_the_working_set() {
    local m pct
    # Under strict nobody can push fairshare.slice against its limit (the
    # grants fit in the pool and each slice stays within its own), so the
    # same hog needs a grant as large, and it is the machine that fills:
    # nothing protects alice's pages from its reclaim. carol takes all the
    # pool has left (with 768M the hog sometimes met her own limit just
    # before the machine filled, and alice kept 90 %).
    memory_setup strict 0 rest
    m=$(anonymous_hog_round)
    pct=$(resident "$m")
    echo "    # strict: alice's file bytes before / lowest / after carol's hog: $m (lowest $pct %)"
    assert_between 0 89 "${pct:-x}" "strict: the same working set is evicted (below 90 % resident)"
}

# Reclaim: fairshare.slice is capped at a 560M pool; carol keeps 600M of
# file cache coming (far above her 64M grant) while alice, at her grant's
# side, keeps allocating: her allocations stall reclaiming carol's pages,
# the daemon lowers carol's MemoryHigh= step by step (journal), and raises
# it again once alice's pressure has cleared.
test_lend_memory_reclaim_steps() {
    local out i
    memory_setup lend 398M 64M
    inside systemctl stop alice-reader
    background carol-cache carol fairshare exec -q -- sh -c 'dd if=/dev/zero of=$HOME/big bs=1M count=600 status=none; while :; do cat $HOME/big > /dev/null; done'
    background alice-grow alice fairshare exec -q -- sh -c 'while :; do cat $HOME/ws > /dev/null; python3 -c "b = b\"\\1\" * (48 << 20)"; done'
    for i in $(seq 60); do
        out=$(inside journalctl -u fairshared --no-pager -o cat MESSAGE_ID=6f0d3a8e2b5c4e71a9d4c7b1e8f25a36)
        case $out in *"lowered MemoryHigh= of carol"*) break ;; esac
        sleep 1
    done
    printf '%s\n' "$out" | head -n 4 | sed 's/^/    # /'
    echo "    # alice's memory.pressure: $(inside head -n 1 "$(cg_file memory "$(unit_cgroup "fairshare-$(uid_of alice).slice")" memory.pressure)")"
    echo "    # carol's status: $(as carol fairshare status | grep -E '^(Sharing|Pressure)' | tr '\n' ' ')"
    assert_contains "$out" "reclaim: lowered MemoryHigh= of carol" "the reclaim step is in the journal (after ${i} s)"
    inside systemctl stop carol-cache alice-grow
}
