#!/usr/bin/env bats
# nf-features --per-flow: the context features of each flow over its window.

load ../../tests/helpers

setup() {
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
}

W0=1554393600000
W1=1554393900000

# wf WINDOW SRC DST DPORT PROTO FLAGS FIRST INPKTS INBYTES: one nf-window --flows record
wf() {
    printf '{"WINDOW_START":%s,"WINDOW_END":%s,"ID":1,"IP_SRC_ADDR":"%s","IP_DST_ADDR":"%s","L4_SRC_PORT":4000,"L4_DST_PORT":%s,"PROTOCOL_NUM":%s,"TCP_FLAGS":%s,"FIRST_SWITCHED":%s,"LAST_SWITCHED":%s,"FLOW_DURATION_MILLISECONDS":0,"IN_PKTS":%s,"IN_BYTES":%s,"OUT_PKTS":0,"OUT_BYTES":0,"FLOWS":1,"LABEL":"x"}\n' \
        "$1" "$(($1 + 300000))" "$2" "$3" "$4" "$5" "$6" "$7" "$7" "$8" "$9"
}

# c KEY RECORD#: a value in the output of the last run
c() {
    printf '%s\n' "$output" | grep '^{' | sed -n "${2}p" | jq -c ".$1"
}

@test "each record comes out byte for byte, then the 11 context features in order" {
    wf $W0 10.0.0.1 8.8.8.8 53 17 0 $((W0 + 5)) 2 100 >"$TMP/in"
    run nf-features --per-flow "$TMP/in"
    [ "$status" -eq 0 ]
    [[ "$output" == "$(head -c -2 "$TMP/in"),\"avg_in_packet_size\":50,"* ]]
    [ "$(printf '%s\n' "$output" | jq -r 'keys_unsorted[-11:] | join(" ")')" = \
      "avg_in_packet_size inter_arrival_ms src_flows_in_window dst_flows_in_window src_IN_PKTS_sum src_IN_BYTES_sum src_flag_SYN src_entropy_PROTOCOL src_entropy_L4_DST_PORT src_distinct_dst dst_distinct_src" ]
}

@test "the context keys are lib/context.def's rows in order; docs/features.md has the same names and integers" {
    wf $W0 10.0.0.1 8.8.8.8 53 17 0 $((W0 + 5)) 2 100 | nf-features --per-flow >"$TMP/out"
    jq -r 'keys_unsorted[]' "$TMP/out" | tail -n 11 >"$TMP/keys"
    sed -n 's/^NF_CONTEXT(\([A-Za-z0-9_]*\), *\([01]\),.*/\1\t\2/p' "$NF_TOP/lib/context.def" >"$TMP/def"
    [ "$(wc -l <"$TMP/def")" -eq 11 ]
    cut -f1 "$TMP/def" | diff - "$TMP/keys"
    sed -n '/^## Per-flow context features/,/^## /p' "$NF_TOP/docs/features.md" |
        awk -F' [|] ' '/^[|] `/ {gsub(/[|` ]/, "", $1); print $1 "\t" ($NF ~ /^integer/)}' | diff "$TMP/def" -
}

@test "inter_arrival_ms: gap to the previous start of the same source in the window, by start time; 0 for the first" {
    run sh -c "{ $(declare -f wf)
        wf $W0 10.0.0.1 8.8.8.8 53 17 0 $((W0 + 900)) 1 1
        wf $W0 10.0.0.1 8.8.8.8 53 17 0 $((W0 + 100)) 1 1
        wf $W0 10.0.0.2 8.8.8.8 53 17 0 $((W0 + 150)) 1 1
        wf $W0 10.0.0.1 8.8.8.8 53 17 0 $((W0 + 400)) 1 1
        wf $W1 10.0.0.1 8.8.8.8 53 17 0 $((W1 + 50)) 1 1
    } | nf-features --per-flow"
    [ "$(c inter_arrival_ms 1)" = 500 ]  # 900 - 400
    [ "$(c inter_arrival_ms 2)" = 0 ]    # earliest of 10.0.0.1
    [ "$(c inter_arrival_ms 3)" = 0 ]    # another source
    [ "$(c inter_arrival_ms 4)" = 300 ]  # 400 - 100
    [ "$(c inter_arrival_ms 5)" = 0 ]    # a new window starts afresh
    [ "$(c src_flows_in_window 1)" = 3 ]
    [ "$(c dst_flows_in_window 1)" = 4 ]
    [ "$(c src_flows_in_window 5)" = 1 ]
}

@test "src_flag_SYN counts the source's TCP flows with SYN; flags on other protocols do not count" {
    run sh -c "{ $(declare -f wf)
        wf $W0 10.0.0.1 8.8.8.8 80 6 2 $W0 1 60
        wf $W0 10.0.0.1 8.8.8.8 81 6 18 $W0 1 60
        wf $W0 10.0.0.1 8.8.8.8 82 6 16 $W0 1 60
        wf $W0 10.0.0.1 8.8.8.8 53 17 2 $W0 1 60
    } | nf-features --per-flow"
    [ "$(c src_flag_SYN 1)" = 2 ]
}

@test "entropies in bits over the source's flows; distinct destinations and sources; sums" {
    run sh -c "{ $(declare -f wf)
        wf $W0 10.0.0.1 8.8.8.8 1 6 0 $W0 1 10
        wf $W0 10.0.0.1 8.8.4.4 2 6 0 $W0 2 20
        wf $W0 10.0.0.1 8.8.4.4 3 17 0 $W0 3 30
        wf $W0 10.0.0.1 8.8.4.4 3 17 0 $W0 4 40
        wf $W0 10.0.0.9 8.8.4.4 3 17 0 $W0 0 0
    } | nf-features --per-flow"
    [ "$(c src_entropy_L4_DST_PORT 1)" = 1.5 ]  # ports 1,2,3,3
    [ "$(c src_entropy_PROTOCOL 1)" = 1 ]       # TCP,TCP,UDP,UDP
    [ "$(c src_entropy_PROTOCOL 5)" = 0 ]
    [ "$(c src_distinct_dst 1)" = 2 ]
    [ "$(c dst_distinct_src 2)" = 2 ]           # 8.8.4.4 from 10.0.0.1 and 10.0.0.9
    [ "$(c dst_distinct_src 1)" = 1 ]
    [ "$(c src_IN_PKTS_sum 1)" = 10 ]
    [ "$(c src_IN_BYTES_sum 1)" = 100 ]
    [ "$(c avg_in_packet_size 5)" = 0 ]         # no packets: 0
}

@test "--window takes each flow's window from FIRST_SWITCHED (input without WINDOW_START)" {
    printf '{"ID":%d,"IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"8.8.8.8","L4_SRC_PORT":1,"L4_DST_PORT":53,"PROTOCOL_NUM":17,"TCP_FLAGS":0,"FIRST_SWITCHED":%s,"LAST_SWITCHED":%s,"FLOW_DURATION_MILLISECONDS":0,"IN_PKTS":1,"IN_BYTES":1,"OUT_PKTS":0,"OUT_BYTES":0,"FLOWS":1}\n' \
        1 $W0 $W0 2 $((W0 + 59000)) $((W0 + 59000)) 3 $((W0 + 61000)) $((W0 + 61000)) >"$TMP/in"
    run nf-features --per-flow --window 60 "$TMP/in"
    [ "$status" -eq 0 ]
    [ "$(c src_flows_in_window 1)" = 2 ]
    [ "$(c src_flows_in_window 3)" = 1 ]
    run nf-features --per-flow "$TMP/in"
    [[ "$output" == *"WINDOW_START: missing or not epoch ms (use nf-window --flows, or --window)"* ]]
    [[ "$output" == *"3 records skipped"* ]]
}

@test "a null FIRST_SWITCHED gives inter_arrival_ms 0 and leaves the other gaps alone" {
    run sh -c "{ $(declare -f wf)
        wf $W0 10.0.0.1 8.8.8.8 53 17 0 $((W0 + 100)) 1 1
        wf $W0 10.0.0.1 8.8.8.8 53 17 0 null 1 1
        wf $W0 10.0.0.1 8.8.8.8 53 17 0 $((W0 + 350)) 1 1
    } | nf-features --per-flow"
    [ "$(c inter_arrival_ms 2)" = 0 ]
    [ "$(c inter_arrival_ms 3)" = 250 ]
    [ "$(c src_flows_in_window 2)" = 3 ]
}
