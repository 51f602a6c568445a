#!/usr/bin/env bats
# nf-parse on generic timestamp,value CSV (the NAB series in data/nab).
load ../../tests/helpers
bats_require_minimum_version 1.5.0

NAB=$DATA/nab

@test "series CSV: each NAB file gives one record per row (4,032 / 4,730 / 1,243)" {
    run --separate-stderr nf-parse "$NAB/ec2_network_in_257a54.csv"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 4032 ]
    [ -z "$stderr" ]
    run nf-parse "$NAB/ec2_network_in_5abac7.csv"
    [ "$(line_count)" -eq 4730 ]
    run nf-parse "$NAB/iio_us-east-1_i-a2eb1cd9_NetworkIn.csv"
    [ "$(line_count)" -eq 1243 ]
}

@test "series CSV: time as epoch ms under WINDOW_START, the value column by its header name" {
    run nf-parse "$NAB/ec2_network_in_257a54.csv"
    [ "$(printf '%s\n' "$output" | head -1)" = '{"WINDOW_START":1397088240000,"value":251643}' ]
    [ "$(printf '%s\n' "$output" | tail -1)" = '{"WINDOW_START":1398298140000,"value":242084}' ]
    run nf-parse "$NAB/ec2_network_in_5abac7.csv"
    [ "$(printf '%s\n' "$output" | sed -n 2p)" = '{"WINDOW_START":1393695660000,"value":94.8}' ]
}

@test "series CSV: the shared NAB copies give the same records" {
    require_shared
    run nf-parse "$SHARED/nab-aws-network-timeseries/ec2_network_in_257a54.csv"
    [ "$(printf '%s\n' "$output" | md5sum)" = "$(nf-parse "$NAB/ec2_network_in_257a54.csv" | md5sum)" ]
}

@test "series CSV: --time-key renames the time; several columns; empty cell is null" {
    printf 'timestamp,a,b\n2014-04-10 00:04:00,,-2.5\n2014-04-10 00:09:00,1e3,0\n' >"$BATS_TEST_TMPDIR/s.csv"
    run nf-parse --time-key t "$BATS_TEST_TMPDIR/s.csv"
    [ "$status" -eq 0 ]
    [ "$output" = '{"t":1397088240000,"a":null,"b":-2.5}
{"t":1397088540000,"a":1000,"b":0}' ]
}

@test "series CSV: --tz America/New_York moves the NAB times forward by the zone offset (4 h in April)" {
    run nf-parse --tz America/New_York "$NAB/ec2_network_in_257a54.csv"
    [ "$(printf '%s\n' "$output" | head -1)" = '{"WINDOW_START":1397102640000,"value":251643}' ]
}

@test "series CSV: a text value is rejected with file:line and the column name" {
    printf 'timestamp,value\n2014-04-10 00:04:00,1\n2014-04-10 00:09:00,lots\n' >"$BATS_TEST_TMPDIR/s.csv"
    run --separate-stderr nf-parse "$BATS_TEST_TMPDIR/s.csv"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 1 ]
    [[ $stderr == *"s.csv:3: value: not a number ('lots')"* ]]
    [[ $stderr == *"1 records skipped"* ]]
}

@test "series CSV: without a header the columns are called value" {
    printf '2014-04-10 00:04:00,7\n' | {
        run nf-parse --format series
        [ "$output" = '{"WINDOW_START":1397088240000,"value":7}' ]
    }
}

@test "series CSV: epoch-second timestamps are read too" {
    printf 'time,bytes\n1397088240,5\n' >"$BATS_TEST_TMPDIR/e.csv"
    run nf-parse "$BATS_TEST_TMPDIR/e.csv"
    [ "$output" = '{"WINDOW_START":1397088240000,"bytes":5}' ]
}
