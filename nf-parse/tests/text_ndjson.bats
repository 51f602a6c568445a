#!/usr/bin/env bats
# nf-parse on NDJSON flow records: validated, renumbered, unknown keys kept.
load ../../tests/helpers
bats_require_minimum_version 1.5.0

@test "NDJSON: nf-parse output read back gives the same bytes (Argus, with its own keys)" {
    nf-parse "$DATA/ctu-argus-24h.binetflow" >"$BATS_TEST_TMPDIR/a.ndjson"
    run nf-parse "$BATS_TEST_TMPDIR/a.ndjson"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | md5sum)" = "$(md5sum <"$BATS_TEST_TMPDIR/a.ndjson")" ]
}

@test "NDJSON: nfdump records with null times and optional keys round-trip" {
    require_shared
    nf-parse "$SHARED/nfdump-csv/pmacct-swisscom-routers.nfdump.csv" >"$BATS_TEST_TMPDIR/p.ndjson"
    run nf-parse --format ndjson "$BATS_TEST_TMPDIR/p.ndjson"
    [ "$(printf '%s\n' "$output" | md5sum)" = "$(md5sum <"$BATS_TEST_TMPDIR/p.ndjson")" ]
}

@test "NDJSON: IDs are renumbered over the run; unknown keys pass through after the flow keys" {
    printf '%s\n' '{"ID":77,"attack":"scan","IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"10.0.0.2","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":6,"FIRST_SWITCHED":1000,"LAST_SWITCHED":2000,"IN_PKTS":1,"IN_BYTES":40}' \
        >"$BATS_TEST_TMPDIR/x.ndjson"
    run nf-parse "$BATS_TEST_TMPDIR/x.ndjson" "$BATS_TEST_TMPDIR/x.ndjson"
    [ "$status" -eq 0 ]
    [ "$output" = '{"ID":1,"IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"10.0.0.2","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":6,"TCP_FLAGS":0,"FIRST_SWITCHED":1000,"LAST_SWITCHED":2000,"FLOW_DURATION_MILLISECONDS":0,"IN_PKTS":1,"IN_BYTES":40,"OUT_PKTS":0,"OUT_BYTES":0,"FLOWS":1,"attack":"scan"}
{"ID":2,"IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"10.0.0.2","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":6,"TCP_FLAGS":0,"FIRST_SWITCHED":1000,"LAST_SWITCHED":2000,"FLOW_DURATION_MILLISECONDS":0,"IN_PKTS":1,"IN_BYTES":40,"OUT_PKTS":0,"OUT_BYTES":0,"FLOWS":1,"attack":"scan"}' ]
}

@test "NDJSON: a record that is not a valid flow is rejected with the reason; blank lines ignored" {
    printf '%s\n' '{"IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"10.0.0.2","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":6,"FIRST_SWITCHED":null,"LAST_SWITCHED":null,"IN_PKTS":1,"IN_BYTES":40}' \
        '' '{"IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"10.0.0.2","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":6,"FIRST_SWITCHED":null,"LAST_SWITCHED":null,"IN_PKTS":1,"IN_BYTES":"x"}' \
        '[1,2]' >"$BATS_TEST_TMPDIR/b.ndjson"
    run --separate-stderr nf-parse --rejects "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/b.ndjson"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 1 ]
    [[ $stderr == *"b.ndjson:3: IN_BYTES: expected an unsigned integer"* ]]
    [[ $stderr == *"b.ndjson:4: not a JSON object"* ]]
    [[ $stderr == *"2 records skipped"* ]]
    cmp "$BATS_TEST_TMPDIR/rej" <(sed -n '3p;4p' "$BATS_TEST_TMPDIR/b.ndjson")
}
