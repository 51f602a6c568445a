#!/usr/bin/env bats
# "Out of time order" has one wording in every tool that needs time order
# (lib/order.h, nf_order_text), each naming FILE:LINE, both times and what
# fixes or relaxes it:
#   TOOL: FILE:LINE: out of time order: KEY T UTC (ms) is D earlier than THAN, P UTC (ms); ADVICE

load helpers
bats_require_minimum_version 1.5.0

setup() {
    T=$BATS_TEST_TMPDIR
    # three rows of two columns, the second 5 minutes before the first
    printf '%s\n' '{"WINDOW_START":1554393900000,"a":1,"b":5}' \
        '{"WINDOW_START":1554393600000,"a":2,"b":3}' \
        '{"WINDOW_START":1554394200000,"a":4,"b":4}' \
        '{"WINDOW_START":1554394500000,"a":3,"b":7}' >"$T/u"
}

# The message of TOOL at FILE:LINE in $stderr, the times of row 2 of $T/u.
expect_row2() {
    local tool=$1 advice=$2
    [[ $stderr == *"$tool: $T/u:2: out of time order: WINDOW_START 2019-04-04 16:00:00 UTC (1554393600000) is 5m earlier than the row before, 2019-04-04 16:05:00 UTC (1554393900000); $advice"* ]] ||
        { echo "$tool: $stderr"; false; }
}

@test "time order: nf-pca, nf-decompose, nf-pelt, nf-pelt --online name the row, both times and the fix in one wording" {
    run --separate-stderr nf-pca --components 1 "$T/u"
    [ "$status" -eq 0 ]
    expect_row2 nf-pca "rows are kept in input order (the first such row named)"
    run --separate-stderr nf-decompose --period none "$T/u"
    [ "$status" -eq 1 ]
    expect_row2 nf-decompose "sort the input by time"
    run --separate-stderr nf-pelt "$T/u"
    [ "$status" -eq 1 ]
    expect_row2 nf-pelt "sort the input by time"
    run --separate-stderr nf-pelt --online "$T/u"
    [ "$status" -eq 0 ]
    expect_row2 nf-pelt "skipped: --online needs rows in time order"
}

@test "time order: nf-pca --model (streaming) words it as the batch path does" {
    sort "$T/u" >"$T/sorted"
    nf-pca --components 1 --save-model "$T/m.json" "$T/sorted" >/dev/null 2>&1
    run --separate-stderr nf-pca --model "$T/m.json" "$T/u"
    [ "$status" -eq 0 ]
    expect_row2 nf-pca "rows are kept in input order (the first such row named)"
}

@test "time order: nf-explain names the feature stream's line (was 'FILE: line N:' without the times)" {
    f=$BATS_TEST_DIRNAME/../nf-explain/tests/fixtures
    { sed -n 1p "$f/step-features.ndjson"; sed -n 3p "$f/step-features.ndjson"; sed -n 2p "$f/step-features.ndjson"
      sed -n '4,$p' "$f/step-features.ndjson"; } >"$T/feat"
    run --separate-stderr nf-explain --features "$T/feat" "$f/step-changepoints.ndjson"
    [ "$status" -eq 1 ]
    [[ $stderr == "nf-explain: $T/feat:3: out of time order: WINDOW_START 2019-10-02 03:05:00 UTC (1569985500000) is 5m earlier than the row before, 2019-10-02 03:10:00 UTC (1569985800000); sort the feature stream by time" ]] ||
        { echo "$stderr"; false; }
}

@test "time order: nf-features rejects a window before the current one in the same wording" {
    a='"SRC_NET":"10.0.1.0/24","DST_NET":"8.8.8.0/24","PROTOCOL_NUM":17,"FLOWS":1,"PACKETS":1,"BYTES":1'
    printf '%s\n' "{\"WINDOW_START\":1554393900000,\"WINDOW_END\":1554394200000,$a}" \
        "{\"WINDOW_START\":1554393600000,\"WINDOW_END\":1554393900000,$a}" >"$T/agg"
    run --separate-stderr nf-features --internal 10.0.0.0/8 "$T/agg"
    [[ $stderr == *"nf-features: $T/agg:2: out of time order: WINDOW_START 2019-04-04 16:00:00 UTC (1554393600000) is 5m earlier than the current window, 2019-04-04 16:05:00 UTC (1554393900000); input must be grouped by window in time order"* ]] ||
        { echo "$stderr"; false; }
}

@test "time order: nf-window names the option that relaxes it (--lateness for a late flow, --max-gap for a restart)" {
    fl() { printf '{"IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"10.1.0.1","L4_SRC_PORT":1000,"L4_DST_PORT":53,"PROTOCOL_NUM":6,"FIRST_SWITCHED":%s,"LAST_SWITCHED":%s,"IN_PKTS":1,"IN_BYTES":40,"OUT_PKTS":1,"OUT_BYTES":100,"FLOWS":1}\n' "$1" "$1"; }
    { fl 1554393600000; fl 1554404400000; fl 1554393601000; } >"$T/late"
    run --separate-stderr nf-window --strict "$T/late"
    [ "$status" -eq 1 ]
    [[ $stderr == "nf-window: $T/late:3: out of time order: FIRST_SWITCHED 2019-04-04 16:00:01 UTC (1554393601000) is 2h 59m 59s earlier than the newest flow time, 2019-04-04 19:00:00 UTC (1554404400000); its window was already written (a longer --lateness keeps windows open) (--lateness 2h, --strict)" ]] ||
        { echo "$stderr"; false; }
    run --separate-stderr nf-window --max-gap 1h "$T/late"
    [ "$status" -eq 1 ]
    [[ $stderr == *"nf-window: $T/late:3: error: out of time order: FIRST_SWITCHED 2019-04-04 16:00:01 UTC (1554393601000) is 2h 59m 59s earlier than the newest flow time, 2019-04-04 19:00:00 UTC (1554404400000); more than --max-gap (1h): "* ]] ||
        { echo "$stderr"; false; }
}
