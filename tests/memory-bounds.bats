#!/usr/bin/env bats
# Every stage's memory bound (the MEMORY section of its man page) on a
# pathological input: what a streaming stage holds must not grow with the
# input, what a whole-table stage holds grows with the table only. Each
# ends within the stated time and resident memory of the plain build
# (x4 time and no memory bound under the sanitizers). More pathological
# inputs with their bounds: tests/reliability.bats.

load helpers

setup_file() {
    export MEM="$BATS_FILE_TMPDIR/mem"
    mkdir -p "$MEM"
    python3 - "$MEM" <<'PY'
import os, random, sys
out = sys.argv[1]
r = random.Random(5)
t0 = 1554336000000
flow = ('{"IP_SRC_ADDR":"10.0.%d.%d","IP_DST_ADDR":"10.1.0.1","L4_SRC_PORT":%d,"L4_DST_PORT":80,'
        '"PROTOCOL_NUM":6,"FIRST_SWITCHED":%d,"LAST_SWITCHED":%d,"IN_PKTS":1,"IN_BYTES":60}\n')
with open(os.path.join(out, "spread.ndjson"), "w") as f:  # 200,000 flows, a window each
    for i in range(200000):
        t = t0 + i * 300000
        f.write(flow % (i % 256, i // 256 % 256, i % 65536, t, t))
with open(os.path.join(out, "onewindow.ndjson"), "w") as f:  # 100,000 flows, one window
    for i in range(100000):
        t = t0 + i
        f.write('{"WINDOW_START":%d,"IP_SRC_ADDR":"10.%d.%d.%d","IP_DST_ADDR":"172.16.0.1",'
                '"L4_SRC_PORT":%d,"L4_DST_PORT":80,"PROTOCOL_NUM":6,"TCP_FLAGS":2,'
                '"FIRST_SWITCHED":%d,"LAST_SWITCHED":%d,"IN_PKTS":1,"IN_BYTES":60}\n'
                % (t0, i >> 16 & 255, i >> 8 & 255, i & 255, i % 65536, t, t))
with open(os.path.join(out, "series.ndjson"), "w") as f:  # 100,000 rows x 4 columns
    for i in range(100000):
        f.write('{"WINDOW_START":%d,"a":%.3f,"b":%.3f,"c":%d,"d":%.3f}\n'
                % (t0 + i * 300000, r.random(), r.gauss(0, 1), r.randint(0, 100), r.random() * 1e6))
with open(os.path.join(out, "long-line.ndjson"), "w") as f:  # one 20 MB line
    f.write('{"IP_SRC_ADDR":"10.0.0.1","label":"' + "x" * 20000000 + '"}\n')
PY
}

# within SECONDS MB CMD: CMD (bash -c) ends with status 0-2 within the bounds.
within() {
    local secs=$1 mb=$2 scale=1 elapsed rss_kb
    shift 2
    [ "${NF_SAN:-0}" = 1 ] && scale=4
    status=0
    /usr/bin/time -f '%e %M' -o "$BATS_TEST_TMPDIR/time" \
        timeout $((secs * scale * 2)) bash -c "set -o pipefail; $*" >/dev/null 2>"$BATS_TEST_TMPDIR/err" || status=$?
    read -r elapsed rss_kb < <(tail -n 1 "$BATS_TEST_TMPDIR/time")
    echo "status $status, $elapsed s, $((rss_kb / 1024)) MB (bounds $((secs * scale)) s, $mb MB): $*"
    head -n 3 "$BATS_TEST_TMPDIR/err"
    [ "$status" -le 2 ]
    awk -v e="$elapsed" -v l="$((secs * scale))" 'BEGIN { exit !(e <= l) }'
    [ "$scale" != 1 ] || [ $((rss_kb / 1024)) -le "$mb" ]
}

@test "memory: nf-parse streams (200,000 records, and one 20 MB line, in bounded memory)" {
    within 10 40 "nf-parse '$MEM/spread.ndjson'"
    within 5 150 "nf-parse '$MEM/long-line.ndjson'"
}

@test "memory: nf-window holds open windows only (200,000 flows in 200,000 windows)" {
    within 10 40 "nf-window '$MEM/spread.ndjson'"
    within 10 40 "nf-window --flows '$MEM/spread.ndjson'"
    within 5 150 "nf-window '$MEM/long-line.ndjson'"
}

@test "memory: nf-features holds one window (100,000 flows in one window; 200,000 windows)" {
    within 10 300 "nf-features --per-flow '$MEM/onewindow.ndjson'"
    within 10 50 "nf-window --flows '$MEM/spread.ndjson' | nf-features --per-flow"
    within 10 50 "nf-window '$MEM/spread.ndjson' | nf-features -i 10.0.0.0/8"
}

@test "memory: nf-pca, nf-pelt, nf-decompose, nf-explain hold the table (100,000 rows x 4 columns)" {
    local s="$MEM/series.ndjson"
    within 10 150 "nf-pca '$s'"
    within 10 150 "nf-pelt '$s'"
    within 20 200 "nf-decompose --period 288 '$s'"
    nf-pelt "$s" >"$BATS_TEST_TMPDIR/cp.ndjson"
    within 10 200 "nf-explain --features '$s' '$BATS_TEST_TMPDIR/cp.ndjson'"
}
