#!/usr/bin/env bats
# nf-parse's command line: help, usage errors, inputs (files, stdin, several),
# format detection, and the bad-line policy (messages, --rejects, --strict).
load ../../tests/helpers
bats_require_minimum_version 1.5.0

NF=$DATA/ctu-test1-malicious.nfdump.csv

# A copy of the nfdump file's header and first five rows with rows 3 and 5 broken.
make_bad() {
    {
        sed -n 1,3p "$NF"
        sed -n 4p "$NF" | sed 's/,1,60,0,0,/,1,x1,0,0,/'
        sed -n 5p "$NF"
        sed -n 6p "$NF" | sed 's/,TCP,/,NOPE,/'
        sed -n 7p "$NF"
    } >"$BATS_TEST_TMPDIR/bad.csv"
}

@test "cli: --help prints the usage on stdout and exits 0" {
    run --separate-stderr nf-parse --help
    [ "$status" -eq 0 ]
    [[ $output == *"Usage: nf-parse"* ]]
    [[ $output == *"--format"* && $output == *"--rejects"* && $output == *"--listen"* ]]
    [ -z "$stderr" ]
}

@test "cli: --version names the program and nfshift" {
    run nf-parse --version
    [ "$status" -eq 0 ]
    [[ $output == "nf-parse (nfshift) "* ]]
}

@test "cli: usage errors exit 2 (unknown option, bad --input-format, bad --tz, bad --port, --listen with files)" {
    run nf-parse --bogus
    [ "$status" -eq 2 ]
    run nf-parse --input-format xml "$NF"
    [ "$status" -eq 2 ]
    [[ $output == *"--input-format: unknown format 'xml'"* ]]
    # the older spelling is the same option
    run nf-parse --format xml "$NF"
    [ "$status" -eq 2 ]
    [[ $output == *"--input-format: unknown format 'xml'"* ]]
    run nf-parse --tz Mars/Olympus "$NF"
    [ "$status" -eq 2 ]
    [[ $output == *"unknown time zone 'Mars/Olympus'"* ]]
    run nf-parse --port 70000 "$NF"
    [ "$status" -eq 2 ]
    run nf-parse --pending abc "$NF"
    [ "$status" -eq 2 ]
    run nf-parse --listen 127.0.0.1:9995 "$NF"
    [ "$status" -eq 2 ]
}

@test "cli: a missing file is exit 1 naming it" {
    run nf-parse "$BATS_TEST_TMPDIR/nope.csv"
    [ "$status" -eq 1 ]
    [[ $output == *"cannot open $BATS_TEST_TMPDIR/nope.csv"* ]]
}

@test "cli: stdin gives the same records as the file, for each text format" {
    for f in "$NF" "$DATA/ctu-argus-24h.binetflow" "$DATA/nab/ec2_network_in_257a54.csv"; do
        [ "$(nf-parse <"$f" | md5sum)" = "$(nf-parse "$f" | md5sum)" ]
        [ "$(nf-parse - <"$f" | md5sum)" = "$(nf-parse "$f" | md5sum)" ]
    done
}

@test "cli: binary NetFlow from stdin is sniffed and read like the file" {
    require_shared
    f=$SHARED/akvorado-netflow-pcaps/nfv5.pcap
    run --separate-stderr nf-parse <"$f"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 29 ]
    [ "$output" = "$(nf-parse "$f")" ]
}

@test "cli: several files keep one ID sequence, whatever their formats" {
    run nf-parse "$NF" "$DATA/ctu-argus-24h.binetflow"
    [ "$(line_count)" -eq $((4593 + 6751)) ]
    [[ $(printf '%s\n' "$output" | sed -n 4594p) == '{"ID":4594,"IP_SRC_ADDR":"10.8.0.69",'* ]]
    [[ $(printf '%s\n' "$output" | tail -1) == '{"ID":11344,'* ]]
}

@test "cli: empty input and a header alone are not errors" {
    run --separate-stderr nf-parse </dev/null
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    [ -z "$stderr" ]
    head -1 "$NF" >"$BATS_TEST_TMPDIR/h.csv"
    run --separate-stderr nf-parse "$BATS_TEST_TMPDIR/h.csv"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    [ -z "$stderr" ]
}

@test "cli: input of unknown form is exit 1 with a hint to use --input-format" {
    printf 'hello world\n' >"$BATS_TEST_TMPDIR/w.txt"
    run nf-parse "$BATS_TEST_TMPDIR/w.txt"
    [ "$status" -eq 1 ]
    [[ $output == *"w.txt: cannot tell the input format"*"use --input-format"* ]]
}

@test "cli: --format nfdump on an Argus file is refused at the header" {
    run nf-parse --format nfdump "$DATA/ctu-argus-24h.binetflow"
    [ "$status" -eq 1 ]
    [[ $output == *"ctu-argus-24h.binetflow:1: not an nfdump CSV header"* ]]
}

@test "cli: bad lines are skipped with file:line and the column, and counted" {
    make_bad
    run --separate-stderr nf-parse "$BATS_TEST_TMPDIR/bad.csv"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 4 ]
    [[ $stderr == *"bad.csv:4: ibyt: not a number up to 18446744073709551615 ('x1')"* ]]
    [[ $stderr == *"bad.csv:6: pr: unknown protocol ('NOPE')"* ]]
    [[ $stderr == *"nf-parse: 2 records skipped"* ]]
    # IDs stay dense over the good rows
    [[ $(printf '%s\n' "$output" | tail -1) == '{"ID":4,'* ]]
}

@test "cli: --rejects keeps the bad lines byte for byte" {
    make_bad
    printf '\r\n' >>"$BATS_TEST_TMPDIR/bad.csv"   # a CRLF blank line is not a row
    run nf-parse --rejects "$BATS_TEST_TMPDIR/rej.csv" "$BATS_TEST_TMPDIR/bad.csv"
    [ "$status" -eq 0 ]
    cmp "$BATS_TEST_TMPDIR/rej.csv" <(sed -n '4p;6p' "$BATS_TEST_TMPDIR/bad.csv")
}

@test "cli: a bad row whose quoted field spans lines is rejected whole, from its first line" {
    { head -1 "$DATA/ctu-argus-24h.binetflow"
      printf '2019/04/04 16:23:00.325010,x,udp,10.8.0.69,1,  <->,8.8.8.8,53,CON,0,0,2,142,63,1,"two\nlines"\n'
      sed -n 2p "$DATA/ctu-argus-24h.binetflow"; } >"$BATS_TEST_TMPDIR/q.binetflow"
    run --separate-stderr nf-parse --rejects "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/q.binetflow"
    [ "$(line_count)" -eq 1 ]
    [[ $stderr == *"q.binetflow:2: Dur: not a duration in seconds ('x')"* ]]
    cmp "$BATS_TEST_TMPDIR/rej" <(sed -n '2,3p' "$BATS_TEST_TMPDIR/q.binetflow")
}

@test "cli: --strict exits 1 at the first bad line" {
    make_bad
    run --separate-stderr nf-parse --strict "$BATS_TEST_TMPDIR/bad.csv"
    [ "$status" -eq 1 ]
    [[ $stderr == *"bad.csv:4: ibyt"* ]]
    [[ $stderr != *"bad.csv:6"* ]]
}

@test "cli: output into a closed pipe (| head -1) ends quietly" {
    f=$DATA/ctu-test1-malicious.nfdump.csv
    run --separate-stderr bash -c "nf-parse '$f' '$f' '$f' '$f' '$f' '$f' | head -1"
    [ "$status" -eq 0 ]
    [[ $output == '{"ID":1,'* ]]
    [ -z "$stderr" ]
}

@test "cli: output is the same bytes on every run" {
    [ "$(nf-parse "$NF" | md5sum)" = "$(nf-parse "$NF" | md5sum)" ]
}

@test "cli: non-empty input that yields no flow record is exit 1 with a message" {
    printf 'garbage\nmore garbage\n' >"$BATS_TEST_TMPDIR/garbage.txt"
    run --separate-stderr nf-parse --format ipfix "$BATS_TEST_TMPDIR/garbage.txt"
    [ "$status" -eq 1 ]
    [ -z "$output" ]
    [[ $stderr == *"no flow record in the input (every record was skipped)"* ]]
    head -1 "$NF" >"$BATS_TEST_TMPDIR/bad.csv"
    printf 'not,a,flow\n' >>"$BATS_TEST_TMPDIR/bad.csv"
    run --separate-stderr nf-parse "$BATS_TEST_TMPDIR/bad.csv"
    [ "$status" -eq 1 ]
    [[ $stderr == *"no flow record in the input"* ]]
    # a template-only capture decodes no flow either
    run --separate-stderr nf-parse "$DATA/netflow/multiplesamplingrates-template.pcap"
    [ "$status" -eq 1 ]
    [[ $stderr == *"no flow record in the input (no NetFlow data records)"* ]]
}

@test "cli: --tz keeps nfdump's 1970-01-01 00:00:00 (no time) null, export time too" {
    run --separate-stderr nf-parse --tz Europe/Prague "$NF"
    [ "$status" -eq 0 ]
    [[ $output != *':-'* ]] # was EXPORT_TIME -3600000
    [[ $(printf '%s\n' "$output" | head -1) != *'"EXPORT_TIME"'* ]]
}

@test "cli: --stats prints the counts of a CSV input" {
    run --separate-stderr nf-parse --stats "$NF"
    [ "$status" -eq 0 ]
    [[ $stderr == '{"stats":"csv","input":"'"$NF"'","format":"nfdump","records":4593,"flows":4593,"rejected":0}' ]]
}

@test "cli: --tz Europe/Prague keeps the 16 no-time rows of the pmacct export null" {
    require_shared
    run --separate-stderr nf-parse --tz Europe/Prague "$SHARED/nfdump-csv/pmacct-swisscom-routers.nfdump.csv"
    [ "$(grep -c '"FIRST_SWITCHED":null,"LAST_SWITCHED":null,' <<<"$output")" -eq 16 ]
    [[ $output != *'"FIRST_SWITCHED":-3600000'* ]]
}

@test "cli: a UTF-8 byte order mark is skipped in every text format (nfdump, Argus, series, NDJSON)" {
    bom() { printf '\357\273\277'; cat "$1"; }
    for f in "$NF" "$DATA/ctu-argus-24h.binetflow"; do
        bom "$f" >"$BATS_TEST_TMPDIR/bom"
        nf-parse "$f" >"$BATS_TEST_TMPDIR/plain.out"
        run --separate-stderr nf-parse "$BATS_TEST_TMPDIR/bom"
        [ "$status" -eq 0 ]
        [ "$output" = "$(cat "$BATS_TEST_TMPDIR/plain.out")" ]
    done
    printf 'timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,2\n' >"$BATS_TEST_TMPDIR/s.csv"
    bom "$BATS_TEST_TMPDIR/s.csv" >"$BATS_TEST_TMPDIR/bs.csv"
    [ "$(nf-parse "$BATS_TEST_TMPDIR/bs.csv")" = "$(nf-parse "$BATS_TEST_TMPDIR/s.csv")" ]
    [ "$(nf-parse --format series "$BATS_TEST_TMPDIR/bs.csv")" = "$(nf-parse "$BATS_TEST_TMPDIR/s.csv")" ]
    nf-parse "$NF" | head -5 >"$BATS_TEST_TMPDIR/f.ndjson"
    bom "$BATS_TEST_TMPDIR/f.ndjson" >"$BATS_TEST_TMPDIR/bf.ndjson"
    [ "$(nf-parse "$BATS_TEST_TMPDIR/bf.ndjson")" = "$(cat "$BATS_TEST_TMPDIR/f.ndjson")" ]
    [ "$(nf-parse --format ndjson - <"$BATS_TEST_TMPDIR/bf.ndjson")" = "$(cat "$BATS_TEST_TMPDIR/f.ndjson")" ]
}
