#!/usr/bin/env bats
# nf-features --flow-medians: the five medians over the flows between
# internal and external hosts (docs/features.md, "Flow medians"), computed
# by hand here, the pooling of thin windows, and the input checks.

load ../../tests/helpers

setup() {
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
}

W0=1554393600000 # 300 s windows
W1=1554393900000
W2=1554394200000
M="int_packets_median,int_bytes_median,ext_packets_median,ext_bytes_median,ext_packet_size_median"

agg() { # START: one aggregate record of the window
    printf '{"WINDOW_START":%s,"WINDOW_END":%s,"SRC_NET":"10.0.0.0/24","DST_NET":"8.8.8.0/24","PROTOCOL_NUM":6,"FLOWS":1,"PACKETS":2,"BYTES":100}\n' \
        "$1" "$(($1 + 300000))"
}

# flow START SRC DST IN_PKTS IN_BYTES OUT_PKTS OUT_BYTES: a flow record as nf-window --with-flows writes it
flow() {
    printf '{"WINDOW_START":%s,"WINDOW_END":%s,"IP_SRC_ADDR":"%s","IP_DST_ADDR":"%s","L4_SRC_PORT":40000,"L4_DST_PORT":443,"PROTOCOL_NUM":6,"TCP_FLAGS":27,"FIRST_SWITCHED":%s,"LAST_SWITCHED":%s,"IN_PKTS":%s,"IN_BYTES":%s,"OUT_PKTS":%s,"OUT_BYTES":%s}\n' \
        "$1" "$(($1 + 300000))" "$2" "$3" "$(($1 + 1000))" "$(($1 + 2000))" "$4" "$5" "$6" "$7"
}

medians() { # the five medians of each output record, one line per record
    jq -c "[$(sed 's/\([a-z_]*\)/.\1/g' <<<"$M")]" "$@"
}

@test "the five medians follow the 116 features, named as docs/features.md names them" {
    { agg $W0; flow $W0 10.0.0.1 8.8.8.8 2 100 3 900; } |
        nf-features --internal 10.0.0.0/8 --flow-medians >"$TMP/out"
    jq -r 'keys_unsorted[]' "$TMP/out" >"$TMP/keys"
    [ "$(wc -l <"$TMP/keys")" -eq 123 ]
    [ "$(sed -n 118p "$TMP/keys")" = sym_coeff_packets ]
    [ "$(tail -n 5 "$TMP/keys" | paste -sd, -)" = "$M" ]
}

@test "sides: what the internal host sent is IN_ when it is the source and OUT_ when it is the destination" {
    # window 0: three crossing flows, internal as source twice and as destination once,
    # and two that do not cross (internal to internal, external to external)
    {
        agg $W0
        flow $W0 10.0.0.1 8.8.8.8 2 100 3 900      # int 2/100, ext 3/900, size 300
        flow $W0 10.0.0.2 8.8.4.4 10 5000 20 1000  # int 10/5000, ext 20/1000, size 50
        flow $W0 9.9.9.9 10.0.0.3 4 4000 6 60      # ext 4/4000 (IN), int 6/60 (OUT), size 1000
        flow $W0 10.0.0.1 10.0.0.2 99 99999 99 99999
        flow $W0 9.9.9.9 8.8.8.8 99 99999 99 99999
    } | nf-features --internal 10.0.0.0/8 --flow-medians --median-pool 0 >"$TMP/out"
    run medians "$TMP/out"
    [ "$output" = "[6,100,4,1000,300]" ]
}

@test "an even number of flows takes the mean of the middle two; a flow whose external side sent nothing has no packet size" {
    {
        agg $W0
        flow $W0 10.0.0.1 8.8.8.8 1 10 0 0
        flow $W0 10.0.0.1 8.8.8.8 2 30 1 40
        flow $W0 10.0.0.1 8.8.8.8 5 50 3 60
        flow $W0 10.0.0.1 8.8.8.8 8 70 4 100
    } | nf-features --internal 10.0.0.0/8 --flow-medians --median-pool 0 >"$TMP/out"
    run medians "$TMP/out"
    # packet sizes 40, 20, 25 (the first flow has none): median 25
    [ "$output" = "[3.5,40,2,50,25]" ]
}

@test "a thin window pools the windows before it, nearest first, whole windows, until it has --median-pool flows" {
    {
        agg $W0
        flow $W0 10.0.0.1 8.8.8.8 100 1000 1 100
        flow $W0 10.0.0.1 8.8.8.8 200 2000 1 100
        agg $W1
        flow $W1 10.0.0.1 8.8.8.8 1 10 1 100
        flow $W1 10.0.0.1 8.8.8.8 3 30 1 100
        agg $W2
        flow $W2 10.0.0.1 8.8.8.8 2 20 1 100
    } >"$TMP/in"
    nf-features --internal 10.0.0.0/8 --flow-medians --median-pool 3 "$TMP/in" >"$TMP/out"
    run medians "$TMP/out"
    # W0 alone (2 flows, nothing before); W1 pools W0 (4 flows); W2 pools W1 (3 flows) but not W0
    [ "${lines[0]}" = "[150,1500,1,100,100]" ]
    [ "${lines[1]}" = "[51.5,515,1,100,100]" ]
    [ "${lines[2]}" = "[2,20,1,100,100]" ]
    # --median-pool 0: every window its own flows
    nf-features --internal 10.0.0.0/8 --flow-medians --median-pool 0 "$TMP/in" >"$TMP/out0"
    run medians "$TMP/out0"
    [ "${lines[1]}" = "[2,20,1,100,100]" ]
}

@test "--median-span bounds how far back a window pools; a window with no flow at all pools too" {
    {
        agg $W0
        flow $W0 10.0.0.1 8.8.8.8 100 1000 1 100
        agg $W1
        agg $W2
    } >"$TMP/in"
    nf-features --internal 10.0.0.0/8 --flow-medians --median-pool 1 --median-span 300 "$TMP/in" >"$TMP/out"
    run medians "$TMP/out"
    [ "${lines[1]}" = "[100,1000,1,100,100]" ] # W0 is 300 s back: in the span
    [ "${lines[2]}" = "[0,0,0,0,0]" ]          # W0 is 600 s back: out of it, and W1 had none
    nf-features --internal 10.0.0.0/8 --flow-medians --median-pool 1 --median-span 10m "$TMP/in" >"$TMP/out"
    run medians "$TMP/out"
    [ "${lines[2]}" = "[100,1000,1,100,100]" ]
}

@test "IPv6 flows count by the same rule" {
    { agg $W0; flow $W0 2001:db8::1 2a00::1 7 700 3 30; } |
        nf-features --internal 2001:db8::/32 --flow-medians >"$TMP/out"
    run medians "$TMP/out"
    [ "$output" = "[7,700,3,30,10]" ]
}

@test "no crossing flow in the whole input: the medians are 0 and a warning says where flows come from" {
    run --separate-stderr nf-features --internal 10.0.0.0/8 --flow-medians < <(agg $W0; agg $W1)
    [ "$status" -eq 0 ]
    [ "$(medians <<<"$output" | sort -u)" = "[0,0,0,0,0]" ]
    [[ "$stderr" == *"--flow-medians: no flow between an internal and an external address"*"nf-window --with-flows"* ]]
}

@test "flow records without --flow-medians are rejected, counted, and say which option uses them" {
    run --separate-stderr nf-features --internal 10.0.0.0/8 < <(agg $W0; flow $W0 10.0.0.1 8.8.8.8 1 1 1 1)
    [ "$status" -eq 0 ]
    [ "$(jq -c 'keys|length' <<<"$output")" = 118 ]
    [[ "$stderr" == *"<stdin>:2: "*"a flow record (IP_SRC_ADDR), not an aggregate: use --flow-medians"* ]]
    [[ "$stderr" == *"nf-features: 1 records skipped"* ]]
    run nf-features --internal 10.0.0.0/8 --strict < <(agg $W0; flow $W0 10.0.0.1 8.8.8.8 1 1 1 1)
    [ "$status" -eq 1 ]
}

@test "a bad flow record is rejected naming its field, kept in --rejects, and does not count" {
    {
        agg $W0
        flow $W0 10.0.0.1 8.8.8.8 2 100 3 900
        flow $W0 10.0.0.1 8.8.8.8 1 1 1 1 | sed 's/"IN_BYTES":1/"IN_BYTES":"many"/'
        flow $((W0 - 300000)) 10.0.0.1 8.8.8.8 1 1 1 1
    } >"$TMP/in"
    run --separate-stderr nf-features --internal 10.0.0.0/8 --flow-medians --median-pool 0 \
        --rejects "$TMP/rej" "$TMP/in"
    [ "$status" -eq 0 ]
    [ "$(medians <<<"$output")" = "[2,100,3,900,300]" ]
    [[ "$stderr" == *"in:3: "*"IN_BYTES"* ]]
    [[ "$stderr" == *"in:4: "*"WINDOW_START"* ]]
    [ "$(wc -l <"$TMP/rej")" -eq 2 ]
}

@test "usage errors: the median options without --flow-medians, --flow-medians with --per-flow" {
    run nf-features --internal 10.0.0.0/8 --median-pool 5 </dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"--median-pool and --median-span apply to --flow-medians only"* ]]
    run nf-features --per-flow --flow-medians </dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"--flow-medians is an interval feature"* ]]
    run nf-features --internal 10.0.0.0/8 --flow-medians --median-pool x </dev/null
    [ "$status" -eq 2 ]
    run nf-features --internal 10.0.0.0/8 --flow-medians --median-span -5 </dev/null
    [ "$status" -eq 2 ]
}

@test "every median of every window of the CTU 24 h capture equals an independent Python implementation" {
    nf-parse "$BATS_TEST_DIRNAME/../../data/ctu-argus-24h.binetflow" >"$TMP/flows" 2>/dev/null
    nf-window --with-flows "$TMP/flows" | nf-features --internal 10.8.0.0/24 --flow-medians >"$TMP/f100"
    run python3 "$BATS_TEST_DIRNAME/../../tests/golden/medians_ref.py" "$TMP/flows" "$TMP/f100" 10.8.0.0/24 100 3600
    [ "$status" -eq 0 ]
    [ "$output" = "288 windows, 0 values differ" ]
    # some windows hold medians at all (the check is not of zeros only)
    [ "$(jq -c 'select(.ext_bytes_median > 0)' "$TMP/f100" | wc -l)" -gt 100 ]
    nf-window --with-flows "$TMP/flows" |
        nf-features --internal 10.8.0.0/24 --flow-medians --median-pool 0 >"$TMP/f0"
    run python3 "$BATS_TEST_DIRNAME/../../tests/golden/medians_ref.py" "$TMP/flows" "$TMP/f0" 10.8.0.0/24 0 3600
    [ "$output" = "288 windows, 0 values differ" ]
}

@test "the 116 features do not change with --flow-medians" {
    nf-parse "$BATS_TEST_DIRNAME/../../data/ctu-argus-24h.binetflow" >"$TMP/flows" 2>/dev/null
    nf-window "$TMP/flows" | nf-features --internal 10.8.0.0/24 >"$TMP/plain"
    nf-window --with-flows "$TMP/flows" | nf-features --internal 10.8.0.0/24 --flow-medians |
        jq -c 'del(.int_packets_median, .int_bytes_median, .ext_packets_median, .ext_bytes_median, .ext_packet_size_median)' >"$TMP/with"
    jq -c . "$TMP/plain" | cmp - "$TMP/with"
}

@test "hostile flow records in the stream (wrong types, huge and negative counters, cut lines, time going back) are rejected with a reason, never a crash" {
    nf-parse "$BATS_TEST_DIRNAME/../../data/ctu-argus-24h.binetflow" 2>/dev/null | head -n 3000 |
        nf-window --with-flows >"$TMP/good"
    python3 - "$TMP/good" >"$TMP/bad" <<'PY'
import json, random, sys
rng = random.Random(7)
values = [None, "x", -1, 1e300, 18446744073709551616, [], {}, 0.5, True, ""]
for i, line in enumerate(open(sys.argv[1])):
    r = json.loads(line)
    if "IP_SRC_ADDR" in r and i % 7 == 0:
        k = rng.choice(sorted(r))
        r[k] = rng.choice(values)
    line = json.dumps(r)
    if i % 101 == 0:
        line = line[: len(line) // 2]
    print(line)
PY
    run --separate-stderr nf-features --internal 10.8.0.0/24 --flow-medians --median-pool 5 "$TMP/bad"
    [ "$status" -le 1 ]
    [[ "$stderr" == *"records skipped"* ]]
    [[ "$stderr" != *"runtime error"* ]]
    [[ "$stderr" != *"Sanitizer"* ]]
    [ "$(printf '%s\n' "$output" | jq -c 'select(.ext_bytes_median >= 0)' | wc -l)" -gt 0 ]
}
