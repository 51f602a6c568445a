#!/usr/bin/env bats
# The decoder's memory budget (--template-memory): templates and pending
# data of all exporters together stay inside it, the least recently used
# templates go first, exporter keys beyond the key cap evict the oldest,
# and every eviction is counted in --stats and on stderr.
load ../../tests/helpers
bats_require_minimum_version 1.5.0

FLOOD=$BATS_TEST_DIRNAME/template_flood.py

# RSS in KB of a command (GNU time), output to $T/out, stderr to $T/err.
# (a flood of templates alone decodes no flow: exit 1 by design)
rss() {
    /usr/bin/time -f '%M' -o "$T/rss" "$@" >"$T/out" 2>"$T/err" || true
    tail -1 "$T/rss"
}

stat_of() { grep -o "\"$1\":[0-9]*" "$T/err" | cut -d: -f2; }

setup() { T=$BATS_TEST_TMPDIR; }

@test "memory: 8,192 templates of 1,024 fields (135 MB unbounded) stay within the default 64M" {
    require_cmd python3
    require_cmd /usr/bin/time
    python3 "$FLOOD" "$T/flood.ipfix" 2 4096 1024
    kb=$(rss nf-parse --stats "$T/flood.ipfix")
    [ "$NF_SAN" = 1 ] || [ "$kb" -lt 90000 ] # 64 MiB budget plus the program
    # a template of n one-byte fields counts 140 + 16 n bytes: 16,524 here
    [ "$(stat_of templates)" -eq 8192 ]
    [ "$(stat_of templates_evicted)" -eq $((8192 - 67108864 / 16524)) ]
    [ "$(stat_of template_memory_peak)" -le 67108864 ]
    grep -q 'templates evicted, least recently used first, to stay within --template-memory 64 MiB' "$T/err"
}

@test "memory: --template-memory 4M bounds RSS and counts every eviction" {
    require_cmd python3
    require_cmd /usr/bin/time
    python3 "$FLOOD" "$T/flood.ipfix" 2 4096 1024
    kb=$(rss nf-parse --stats --template-memory 4M "$T/flood.ipfix")
    [ "$NF_SAN" = 1 ] || [ "$kb" -lt 20000 ]
    [ "$(stat_of templates_evicted)" -eq $((8192 - 4194304 / 16524)) ]
    [ "$(stat_of template_memory_peak)" -le 4194304 ]
}

@test "memory: a template in use survives a flood of unused ones (least recently used goes)" {
    require_cmd python3
    # the victim key sends one data record after every 10 flood messages
    python3 "$FLOOD" "$T/flood.ipfix" 2 4096 1024 10
    run --separate-stderr nf-parse --stats --template-memory 4M "$T/flood.ipfix"
    [ "$status" -eq 0 ]
    [ "$(grep -c '"IP_SRC_ADDR":"10.0.0.1"' <<<"$output")" -eq 54 ]
    [[ $stderr == *'"undecodable_sets":0'* ]]
    [[ $stderr == *'"lost_records":0'* ]]
}

@test "memory: 5,000 spoofed observation domains evict the 904 oldest keys" {
    require_cmd python3
    python3 "$FLOOD" "$T/keys.ipfix" 5000 1 4
    run --separate-stderr nf-parse --stats "$T/keys.ipfix"
    [ "$status" -eq 1 ] # templates only, no flow
    [[ $stderr == *'"exporters_evicted":904'* ]]
    [[ $stderr == *'904 exporter keys evicted, least recently used first: more than 4096'* ]]
}

@test "memory: --template-memory refuses sizes it cannot use (exit 2)" {
    run --separate-stderr nf-parse --template-memory 100K /dev/null
    [ "$status" -eq 2 ]
    [[ $stderr == *"--template-memory: '100K' is not a size from 1M to 1024G"* ]]
    run --separate-stderr nf-parse --template-memory lots /dev/null
    [ "$status" -eq 2 ]
    run nf-parse --template-memory 2G /dev/null
    [ "$status" -eq 0 ]
}

@test "memory: the shared amplification reproducer (16 keys, 269 MB) stays near 64 MiB" {
    require_shared
    require_cmd python3
    [ "$NF_SAN" != 1 ] || skip "slow under the sanitizers"
    python3 "$SHARED/../reliability/template-amplification-gen.py" 16 "$T/t.pcap" >/dev/null
    kb=$(rss nf-parse --stats "$T/t.pcap")
    [ "$kb" -lt 90000 ] # was 1.06 GB
    [ "$(stat_of templates_evicted)" -eq $((65536 - 67108864 / 16524)) ]
}
