#!/usr/bin/env bats
# The text rule of docs/records.md ("Text from the data"), from the user's
# side: output is valid UTF-8 JSON, U+0000 in a string is refused (an
# address is exactly an address), stderr gets no raw control bytes, and a
# UTF-8 BOM reads the same in every tool.

load helpers

flow() { # IP_SRC_ADDR-json label-json
    printf '{"IP_SRC_ADDR":%s,"IP_DST_ADDR":"10.0.1.1","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":6,"FIRST_SWITCHED":1554336000000,"LAST_SWITCHED":1554336000000,"IN_PKTS":1,"IN_BYTES":60,"label":%s}\n' "$1" "$2"
}

# Every line of FILE is JSON and the whole file strict UTF-8.
valid_utf8_json() {
    /usr/bin/python3 -c '
import json, sys
data = open(sys.argv[1], "rb").read()
text = data.decode("utf-8")  # strict: raises on a bad byte
for line in text.splitlines():
    json.loads(line)
' "$1"
}

@test "text rule: invalid UTF-8 in a string becomes U+FFFD in every writer, valid UTF-8 is kept byte for byte" {
    local d=$BATS_TEST_TMPDIR
    flow '"10.0.0.1"' $'"caf\xc3\xa9 \xff\xfe \xc0\xaf end"' >"$d/flows.ndjson"
    nf-parse "$d/flows.ndjson" >"$d/parsed.ndjson"
    nf-window --flows "$d/parsed.ndjson" >"$d/wflows.ndjson"
    nf-features --per-flow "$d/wflows.ndjson" >"$d/perflow.ndjson"
    for f in parsed wflows perflow; do
        valid_utf8_json "$d/$f.ndjson"
        grep -q $'caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd end' "$d/$f.ndjson"
    done
    # the table stages' pass-through (nf-pca), and a key name
    printf '{"WINDOW_START":0,"a":1,"t\xffx":"\xe2\x82\xac\xff"}\n{"WINDOW_START":300000,"a":2,"t\xffx":"y"}\n' >"$d/series.ndjson"
    nf-pca "$d/series.ndjson" >"$d/pca.ndjson" 2>/dev/null
    valid_utf8_json "$d/pca.ndjson"
    grep -q $'"t\xef\xbf\xbdx":"\xe2\x82\xac\xef\xbf\xbd"' "$d/pca.ndjson"
}

@test "text rule: \"10.0.0.1\\u0000evil\" is refused, not read as 10.0.0.1" {
    local d=$BATS_TEST_TMPDIR
    # each file: the bad record, then a good one (so the stage has output)
    { flow '"10.0.0.1\u0000evil"' '"x"'; flow '"10.0.0.9"' '"good"'; } >"$d/nul.ndjson"
    flow '"10.0.0.1\\u0000evil"' '"x"' >"$d/escaped-backslash.ndjson"
    { flow '"10.0.0.1"' '"a\u0000b"'; flow '"10.0.0.9"' '"good"'; } >"$d/nul-label.ndjson"
    for tool in "nf-parse" "nf-window --flows"; do
        for f in nul nul-label; do
            run $tool "$d/$f.ndjson"
            [ "$status" -eq 0 ]
            [ "$(printf '%s\n' "$output" | grep -c '^{')" -eq 1 ]
            [[ "$(printf '%s\n' "$output" | grep '^{')" == *'"10.0.0.9"'* ]]
            [[ "$output" == *"holds U+0000 (NUL), which cannot be read exactly"* ]]
            run $tool --strict "$d/$f.ndjson"
            [ "$status" -eq 1 ]
        done
        # a backslash before u0000 is text, not a NUL: then the address is just bad
        run $tool "$d/escaped-backslash.ndjson"
        [[ "$output" == *"IP_SRC_ADDR: not an IPv4 or IPv6 address"* ]]
    done
    nf-window --flows "$d/nul-label.ndjson" >/dev/null 2>&1
    printf '{"WINDOW_START":0,"IP_SRC_ADDR":"10.0.0.1\\u0000x","IP_DST_ADDR":"10.0.1.1","L4_DST_PORT":2,"PROTOCOL_NUM":6,"TCP_FLAGS":0,"FIRST_SWITCHED":0,"IN_PKTS":1,"IN_BYTES":1}\n' >"$d/pf.ndjson"
    run nf-features --per-flow "$d/pf.ndjson"
    [[ "$output" == *"holds U+0000"* ]]
    # a raw NUL byte in an nfdump CSV address column
    printf 'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt\n2019-04-04 00:00:00,2019-04-04 00:00:01,1.000,10.0.0.1\0evil,10.0.1.1,1,2,TCP,........,0,0,1,60,0,0\n' >"$d/nul.csv"
    run nf-parse "$d/nul.csv"
    [ -z "$(printf '%s' "$output" | grep '^{')" ]
}

@test "text rule: control characters and ANSI escapes in key names do not reach stderr raw" {
    local d=$BATS_TEST_TMPDIR
    # a column whose name clears the screen, turns red and forges a message line
    printf '{"WINDOW_START":0,"\\u001b[2J\\u001b[31mx\\nnf-decompose: all fine":1}\n{"WINDOW_START":300000}\n{"WINDOW_START":600000,"\\u001b[2J\\u001b[31mx\\nnf-decompose: all fine":2}\n' >"$d/ansi.ndjson"
    run nf-decompose --period none "$d/ansi.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *'\x1b[2J\x1b[31mx\nnf-decompose: all fine'* ]]
    [[ "$output" != *$'\x1b'* ]]
    [ "$(printf '%s\n' "$output" | grep -c '^nf-decompose: all fine')" -eq 0 ]
}

@test "text rule: a UTF-8 BOM at the start of a file reads the same in every tool" {
    local d=$BATS_TEST_TMPDIR
    printf '{"WINDOW_START":%d,"a":%d,"b":%d}\n' 0 1 5 300000 2 3 600000 4 4 900000 3 9 1200000 8 1 1500000 5 5 >"$d/plain.ndjson"
    { printf '\xef\xbb\xbf'; cat "$d/plain.ndjson"; } >"$d/bom.ndjson"
    for tool in "nf-pca" "nf-pelt" "nf-decompose --period none"; do
        $tool "$d/plain.ndjson" >"$d/out-plain" 2>/dev/null
        $tool "$d/bom.ndjson" >"$d/out-bom" 2>/dev/null
        cmp "$d/out-plain" "$d/out-bom"
    done
    flow '"10.0.0.1"' '"x"' >"$d/flow.ndjson"
    { printf '\xef\xbb\xbf'; cat "$d/flow.ndjson"; } >"$d/flow-bom.ndjson"
    for tool in "nf-window --flows" "nf-window" "nf-parse"; do
        $tool "$d/flow.ndjson" >"$d/out-plain"
        run $tool "$d/flow-bom.ndjson"
        [ "$status" -eq 0 ]
        [ "$output" = "$(cat "$d/out-plain")" ]
    done
    printf 'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt\n2019-04-04 00:00:00,2019-04-04 00:00:01,1.000,10.0.0.1,10.0.1.1,1,2,TCP,........,0,0,1,60,0,0\n' >"$d/f.csv"
    { printf '\xef\xbb\xbf'; cat "$d/f.csv"; } >"$d/f-bom.csv"
    nf-parse "$d/f.csv" >"$d/out-plain"
    run nf-parse "$d/f-bom.csv"
    [ "$status" -eq 0 ]
    [ "$output" = "$(cat "$d/out-plain")" ]
}
