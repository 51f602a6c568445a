#!/usr/bin/env bats
# nf-explain --records: "Who carried the shift" on hand-made nf-window
# aggregates whose actor is known (make-records.py), the parts adding up
# to the whole change on every report of the demo's generated week, the
# JSON schema and the command line.

load ../../tests/helpers
load ../../tests/demo_week
bats_require_minimum_version 1.5.0

SCHEMA="$NF_TOP/docs/nf-explain.schema.json"

# The demo's week with its flows and window records, made once for the file
# (tests/demo_week.bash); demo_week links it into the test's directory.
demo_week() {
    local f
    if [ ! -e "$BATS_FILE_TMPDIR/demo/changepoints.ndjson" ]; then
        mkdir -p "$BATS_FILE_TMPDIR/demo"
        make_demo_week "$BATS_FILE_TMPDIR/demo" --records
    fi
    for f in "$BATS_FILE_TMPDIR"/demo/*; do ln -sf "$f" .; done
}

setup() {
    T="$BATS_TEST_TMPDIR"
}

# craft KIND: records, features and the change point of make-records.py KIND in $T.
craft() {
    python3 "$BATS_TEST_DIRNAME/make-records.py" "$1" "$T/$1.rec" "$T/$1.cp"
    nf-features --internal 10.0.0.0/16 <"$T/$1.rec" >"$T/$1.feat"
}

explain() {
    local kind=$1
    shift
    nf-explain --features "$T/$kind.feat" --records "$T/$kind.rec" --internal 10.0.0.0/16 "$@" "$T/$kind.cp"
}

# jq over the first quantity's dimension DIM of the JSON report of KIND.
dim() {
    explain "$1" --format json | jq -r --arg d "$2" ".attribution.quantities[0].dimensions[] | select(.dimension == \$d) | $3"
}

@test "attribution: the section comes before the feature tables" {
    craft udp-service
    run explain udp-service
    [ "$status" -eq 0 ]
    who=$(echo "$output" | grep -n '^## Who carried the shift' | cut -d: -f1)
    moved=$(echo "$output" | grep -n '^## Features that moved most' | cut -d: -f1)
    [ -n "$who" ] && [ -n "$moved" ] && [ "$who" -lt "$moved" ]
}

@test "attribution: a new UDP service on 10.0.5.0/24 is named by subnet and protocol, in the headline too" {
    craft udp-service
    [ "$(dim udp-service 'internal subnet' '.keys[0].key')" = "10.0.5.0/24" ]
    [ "$(dim udp-service 'internal subnet' '.dominant')" = "true" ]
    [ "$(dim udp-service protocol '.keys[0].label + " " + .keys[0].status')" = "UDP (17) new" ]
    [ "$(dim udp-service 'external subnet' '[.keys[] | select(.status == "new")] | length')" = 5 ]
    run explain udp-service
    echo "$output" | grep -q '^- Who: .*10\.0\.5\.0/24 (grew, 100 % of the rise), from 8 new external subnets, UDP (17) (new'
    echo "$output" | grep -q '^\*\*By internal subnet.\*\* 1 of 20 internal subnets carries 100 % of the rise, led by 10.0.5.0/24'
    mkdir "$T/out"
    explain udp-service --out-dir "$T/out"
    grep -q '10\.0\.5\.0/24' "$T/out/README.md"
}

@test "attribution: a subnet that goes silent is named as vanished" {
    craft silent
    [ "$(dim silent 'internal subnet' '.keys[0].key + " " + .keys[0].status')" = "10.0.3.0/24 vanished" ]
    run explain silent
    echo "$output" | grep -q 'led by 10.0.3.0/24 (vanished, 100 %)'
    echo "$output" | grep -Eq '^\| 10\.0\.3\.0/24 +\|.*\| vanished +\|$'
}

@test "attribution: an evenly spread rise is called broad, with numbers" {
    craft broad
    [ "$(dim broad 'internal subnet' '.broad')" = "true" ]
    [ "$(dim broad 'internal subnet' '.dominant')" = "false" ]
    run explain broad
    echo "$output" | grep -q 'The rise is broad, spread like the traffic: the top internal subnet (10.0.13.0/24) carries 5.2 % of it and had 5.0 % before; no internal subnet carries more than 0.16 % of it beyond its share; 20 of 20 internal subnets grew.'
    echo "$output" | grep -q '^- Who: .*broad over 20 internal subnets, spread like the traffic (the top one carries 5.2 % of the rise, had 5.0 % before)'
    run ! grep -q 'led by 10\.0\.' <<<"$(echo "$output" | grep '^\*\*By internal subnet')"
}

@test "attribution: a proportional +30 % rise on skewed subnets (one 70 % of the traffic) is called broad" {
    craft skewed
    [ "$(dim skewed 'internal subnet' '.broad')" = "true" ]
    [ "$(dim skewed 'internal subnet' '.dominant')" = "false" ]
    [ "$(dim skewed 'internal subnet' '.keys[0].key')" = "10.0.1.0/24" ]
    # the top subnet carries 70 % of the rise and had 70 % before: no excess
    [ "$(dim skewed 'internal subnet' '(.keys[0].share * 100 | round | tostring) + " " + (.keys[0].prior_share * 100 | round | tostring)')" = "70 70" ]
    run explain skewed
    echo "$output" | grep -q '^\*\*By internal subnet.\*\* The rise is broad, spread like the traffic: the top internal subnet (10.0.1.0/24) carries 70 % of it and had 70 % before;.* 20 of 20 internal subnets grew.'
    echo "$output" | grep -q '^- Who: .*broad over 20 internal subnets, spread like the traffic (the top one carries 70 % of the rise, had 70 % before)'
    run ! grep -q '10\.0\.1\.0/24 (grew' <<<"$(echo "$output" | grep '^- Who')"
}

@test "attribution: a +30 % rise carried by one small subnet of a skewed set is named" {
    craft skewed-one
    [ "$(dim skewed-one 'internal subnet' '.broad')" = "false" ]
    [ "$(dim skewed-one 'internal subnet' '.dominant')" = "true" ]
    [ "$(dim skewed-one 'internal subnet' '.actor_key + " " + .keys[0].key + " " + .keys[0].status')" = "10.0.7.0/24 10.0.7.0/24 grew" ]
    run explain skewed-one
    echo "$output" | grep -q '^- Who: .*rose .*, +30 %): 10\.0\.7\.0/24 (grew, 100 % of the rise)'
    echo "$output" | grep -q '^\*\*By internal subnet.\*\* 1 of 20 internal subnets carries 100 % of the rise, led by 10.0.7.0/24 (grew, 100 %), which had 1.6 % before.'
    run ! grep -q 'broad over' <<<"$(echo "$output" | grep '^- Who')"
}

@test "attribution: a share is split through numerator and denominator and its parts add up" {
    craft udp-service
    explain udp-service --format json --top-features 116 >"$T/r.ndjson"
    # UDP_bytes_share_in is among the features attributed when the top features reach it
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-attrib-sums.py" <"$T/r.ndjson"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "attribution: --attrib-span bounds the windows compared on each side" {
    craft udp-service
    run explain udp-service --format json --attrib-span 4
    [ "$status" -eq 0 ]
    [ "$(echo "$output" | jq -r '.attribution | "\(.windows_before) \(.windows_after)"')" = "4 4" ]
    # 4 windows a side of 20 TCP subnets both ways plus 8 UDP records after
    [ "$(echo "$output" | jq -r .attribution.records_read)" = $((8 * 40 + 4 * 8)) ]
    run explain udp-service --format json
    [ "$(echo "$output" | jq -r '.attribution | "\(.windows_before) \(.windows_after)"')" = "24 24" ]
}

@test "attribution: the parts add up to the whole change on every report of the demo week" {
    [ -x /usr/bin/python3 ] || skip "needs /usr/bin/python3"
    cd "$T"
    demo_week
    nf-explain --features features.ndjson --records windows.ndjson --internal 10.8.0.0/16 --format json \
        <changepoints.ndjson >reports.ndjson
    [ "$(wc -l <reports.ndjson)" -ge 10 ]
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-attrib-sums.py" <reports.ndjson
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *" 0 mismatches" ]]
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/validate-schema.py" "$SCHEMA" <reports.ndjson
    echo "$output"
    [ "$status" -eq 0 ]
    # the first report: the injected UDP service's subnet leads
    [ "$(head -1 reports.ndjson | jq -r '.attribution.quantities[0].dimensions[0].keys[0].key')" = "10.8.227.0/24" ]
}

@test "attribution --flows: the demo week's new UDP service is named by host, port and subnet; parts add up" {
    [ -x /usr/bin/python3 ] || skip "needs /usr/bin/python3"
    cd "$T"
    demo_week
    nf-explain --features features.ndjson --records windows.ndjson --flows flows.ndjson --internal 10.8.0.0/16 \
        --format json <changepoints.ndjson >reports.ndjson
    # the injected service is 10.8.227.70, UDP port 443, new after the change point
    first() { head -1 reports.ndjson | jq -r --arg d "$1" ".attribution.quantities[0].dimensions[] | select(.dimension == \$d) | .keys[0] | .key + \" \" + .status"; }
    [ "$(first 'internal host')" = "10.8.227.70 grew" ]
    [ "$(first 'port and protocol')" = "443/udp new" ]
    [ "$(first 'service port')" = "443 new" ]
    [ "$(first 'internal subnet')" = "10.8.227.0/24 grew" ]
    head -1 reports.ndjson | jq -r .headline | grep -q '10\.8\.227\.0/24 .*10\.8\.227\.70 .*443/udp (new'
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-attrib-sums.py" <reports.ndjson
    echo "$output"
    [ "$status" -eq 0 ]
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/validate-schema.py" "$SCHEMA" <reports.ndjson
    [ "$status" -eq 0 ]
    run nf-explain --features features.ndjson --flows flows.ndjson --internal 10.8.0.0/16 <changepoints.ndjson
    [ "$status" -eq 2 ]
}

@test "attribution: --records may be nf-window --with-flows output: its flows are passed over, the reports are those of the aggregates" {
    cd "$T"
    demo_week
    nf-window --with-flows flows.ndjson >mixed.ndjson
    nf-explain --features features.ndjson --records windows.ndjson --flows flows.ndjson --internal 10.8.0.0/16 \
        --format json <changepoints.ndjson | jq -c 'del(.attribution.records)' >plain.json
    run --separate-stderr nf-explain --features features.ndjson --records mixed.ndjson --flows flows.ndjson \
        --internal 10.8.0.0/16 --format json <changepoints.ndjson
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [ "$(grep -c '"IP_SRC_ADDR"' mixed.ndjson)" -gt 100000 ]
    printf '%s\n' "$output" | jq -c 'del(.attribution.records)' | cmp - plain.json
    [ "$(jq -s 'map(.attribution.quantities | length) | add' plain.json)" -gt 0 ]
}

@test "attribution: when no top feature is a sum (a flow median first), the first sums further down say who carried the shift" {
    cd "$T"
    demo_week
    nf-window --with-flows flows.ndjson | nf-features --internal 10.8.0.0/16 --flow-medians >fm.ndjson
    nf-explain --features fm.ndjson --records windows.ndjson --flows flows.ndjson --internal 10.8.0.0/16 \
        --top-features 1 --format json <changepoints.ndjson >r.json
    # the egress step of 2019-04-09 14:00: its one top feature is a flow median, no sum to split
    r=$(jq -c 'select(.time_utc == "2019-04-09 14:00:00 UTC")' r.json)
    [ "$(jq -r '.features[0].category' <<<"$r")" = "flow medians" ]
    [ "$(jq '.attribution.quantities | length' <<<"$r")" -ge 1 ]
    [ -n "$(jq -r '.attribution.quantities[0].feature' <<<"$r")" ]
    [ "$(jq -r '.attribution.quantities[0].feature | test("median")' <<<"$r")" = false ]
    # the sums still add up
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-attrib-sums.py" <r.json
    [ "$status" -eq 0 ]
}

@test "attribution: the sum check fails when a part is wrong" {
    craft udp-service
    explain udp-service --format json |
        jq -c '.attribution.quantities[0].dimensions[0].keys[0].contribution += 1' >"$T/bad.ndjson"
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-attrib-sums.py" <"$T/bad.ndjson"
    [ "$status" -eq 1 ]
}

@test "attribution: JSON with and without --records validates against the schema" {
    craft silent
    { explain silent --format json
      nf-explain --features "$T/silent.feat" --format json "$T/silent.cp"; } >"$T/all.ndjson"
    [ "$(jq -r '.attribution == null' "$T/all.ndjson" | tr '\n' ' ')" = "false true " ]
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/validate-schema.py" "$SCHEMA" <"$T/all.ndjson"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "attribution: --records needs --internal and --internal needs --records (exit 2)" {
    craft silent
    run nf-explain --features "$T/silent.feat" --records "$T/silent.rec" "$T/silent.cp"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--records needs --internal"* ]]
    run nf-explain --features "$T/silent.feat" --internal 10.0.0.0/16 "$T/silent.cp"
    [ "$status" -eq 2 ]
    run nf-explain --features "$T/silent.feat" --records "$T/silent.rec" --internal 10.0.0.0/99 "$T/silent.cp"
    [ "$status" -eq 2 ]
}

@test "attribution: a bad record is named by file and line and skipped; --strict stops" {
    craft silent
    sed -i '5s/"SRC_NET":"[^"]*"/"SRC_NET":"not-a-net"/' "$T/silent.rec"
    run explain silent
    [ "$status" -eq 0 ]
    [[ "$output" == *"silent.rec:5: SRC_NET: not a CIDR prefix"* ]]
    run explain silent --strict
    [ "$status" -eq 1 ]
}

@test "attribution: records outside the compared windows change nothing and are not kept" {
    craft silent
    # nine earlier copies of the 48 windows (days before the features begin)
    for k in 9 8 7 6 5 4 3 2 1; do
        jq -c --argjson d $((k * 86400000)) '.WINDOW_START -= $d | .WINDOW_END -= $d' "$T/silent.rec"
    done >"$T/long.rec"
    cat "$T/silent.rec" >>"$T/long.rec"
    explain silent --format json | jq -c '.attribution | del(.records)' >"$T/short.json"
    nf-explain --features "$T/silent.feat" --records "$T/long.rec" --internal 10.0.0.0/16 --format json "$T/silent.cp" |
        jq -c '.attribution | del(.records)' >"$T/long.json"
    cmp "$T/short.json" "$T/long.json"
    [ "$(jq -r .records_read "$T/long.json")" = "$(grep -c '' "$T/silent.rec")" ]
}

@test "attribution --flows: a new UDP service on 10.0.5.7:4500 is named by host, port and subnet" {
    python3 "$BATS_TEST_DIRNAME/make-records.py" udp-flows "$T/f.flows" "$T/f.cp"
    nf-window <"$T/f.flows" >"$T/f.rec"
    nf-features --internal 10.0.0.0/16 <"$T/f.rec" >"$T/f.feat"
    nf-explain --features "$T/f.feat" --records "$T/f.rec" --flows "$T/f.flows" --internal 10.0.0.0/16 \
        --format json "$T/f.cp" >"$T/r.json"
    key() { jq -r --arg d "$1" '[.attribution.quantities[] | .dimensions[] | select(.dimension == $d)][0].keys[0] | .key + " " + .status' "$T/r.json"; }
    [ "$(key 'internal host')" = "10.0.5.7 new" ]
    [ "$(key 'service port')" = "4500 new" ]
    [ "$(key 'port and protocol')" = "4500/udp new" ]
    [ "$(key 'internal subnet')" = "10.0.5.0/24 grew" ]
    [ "$(jq -r '[.attribution.quantities[] | .dimensions[] | select(.dimension == "external host")][0].keys | map(.key) | sort | .[0]' "$T/r.json")" = "100.64.1.9" ]
    jq -r .headline "$T/r.json" | grep -q '10\.0\.5\.0/24 (grew, 100 % of the rise).* 10\.0\.5\.7 (new, 100 % of the rise), 4500/udp (new, 100 % of the rise)'
    [ "$(jq -r .attribution.flows_read "$T/r.json")" = "$(grep -c '' "$T/f.flows")" ]
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-attrib-sums.py" <"$T/r.json"
    [ "$status" -eq 0 ]
    # Markdown: the host and port tables
    nf-explain --features "$T/f.feat" --records "$T/f.rec" --flows "$T/f.flows" --internal 10.0.0.0/16 "$T/f.cp" >"$T/r.md"
    grep -Eq '^\| 10\.0\.5\.7 +\|.*\| new +\|$' "$T/r.md"
    grep -Eq '^\| 4500/udp +\|.*\| new +\|$' "$T/r.md"
}

@test "attribution: the conclusion says what is still out of reach: hosts without --flows, users and cause with them" {
    python3 "$BATS_TEST_DIRNAME/make-records.py" udp-flows "$T/f.flows" "$T/f.cp"
    nf-window <"$T/f.flows" >"$T/f.rec"
    nf-features --internal 10.0.0.0/16 <"$T/f.rec" >"$T/f.feat"
    cannot() { nf-explain --features "$T/f.feat" "$@" --format json "$T/f.cp" | jq -r .conclusion.cannot_tell; }
    run cannot
    [[ "$output" == "Interval features count records"*"do not show which hosts, users or applications"* ]]
    run cannot --records "$T/f.rec" --internal 10.0.0.0/16
    [[ "$output" == "The attribution above splits the change over the subnet pairs"*"cannot name hosts or ports"* ]]
    [[ "$output" != *"do not show which hosts"* ]]
    run cannot --records "$T/f.rec" --flows "$T/f.flows" --internal 10.0.0.0/16
    [[ "$output" == "The attribution above names the subnets, hosts and ports"*"users or the application behind a port"*"those hosts' logs"* ]]
    [[ "$output" != *"do not show which hosts"* ]]
    # the Markdown conclusion is the same text
    nf-explain --features "$T/f.feat" --records "$T/f.rec" --flows "$T/f.flows" --internal 10.0.0.0/16 "$T/f.cp" >"$T/r.md"
    grep -q '^\*\*What it cannot tell.\*\* The attribution above names the subnets, hosts and ports' "$T/r.md"
}

@test "attribution --flows --uniflow: records of nf-window --uniflow get their hosts from both directions of each flow" {
    python3 "$BATS_TEST_DIRNAME/make-records.py" udp-flows "$T/f.flows" "$T/f.cp"
    nf-window --uniflow <"$T/f.flows" >"$T/f.rec" # the answers are records of their own
    nf-features --internal 10.0.0.0/16 <"$T/f.rec" >"$T/f.feat"
    both() { nf-explain --features "$T/f.feat" --records "$T/f.rec" --flows "$T/f.flows" --internal 10.0.0.0/16 \
        --format json "$@" "$T/f.cp"; }
    both --uniflow >"$T/u.json"
    both >"$T/b.json"
    host() { jq -r '.attribution.quantities[] | select(.feature == "flows") | .dimensions[] | select(.dimension == "internal host") | .keys[0] | .key + " " + .status + " " + (.share | tostring)' "$1"; }
    # 8 new clients and the server's 8 answers: 16 new flows, all of them 10.0.5.7's
    [ "$(host "$T/u.json")" = "10.0.5.7 new 1" ]
    jq -r .headline "$T/u.json" | grep -q '10\.0\.5\.7 (new, 100 % of the rise), 4500/udp (new, 100 % of the rise)'
    # read as if each flow were one record, the answers are missing: half the rise
    [ "$(host "$T/b.json")" = "10.0.5.7 new 0.5" ]
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-attrib-sums.py" <"$T/u.json"
    [ "$status" -eq 0 ]
    run nf-explain --features "$T/f.feat" --uniflow "$T/f.cp"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--uniflow says how to read the --flows FILE"* ]]
}

# burst: flows, records, features and scored rows of make-records.py burst-flows in $T
# (the UDP service 10.0.5.7:4500 only in window 30).
burst() {
    python3 "$BATS_TEST_DIRNAME/make-records.py" burst-flows "$T/b.flows" "$T/b.cp"
    nf-window <"$T/b.flows" >"$T/b.rec"
    nf-features --internal 10.0.0.0/16 <"$T/b.rec" >"$T/b.feat"
    nf-pca <"$T/b.feat" >"$T/b.scored" 2>/dev/null
}

@test "attribution --flagged: a one-window UDP service on 10.0.5.7:4500 is named by host, port and subnet against the span before it" {
    burst
    # nf-pca flags the burst window and only it
    [ "$(jq -r 'select(.spe_flag or .t2_flag) | .WINDOW_START' "$T/b.scored")" = $((1569974400000 + 30 * 300000)) ]
    nf-explain --flagged --features "$T/b.feat" --records "$T/b.rec" --flows "$T/b.flows" --internal 10.0.0.0/16 \
        --format json "$T/b.scored" >"$T/r.json"
    [ "$(jq -r .kind "$T/r.json")" = flagged_interval ]
    [ "$(jq -r '.attribution | "\(.comparison) \(.windows_before) \(.windows_after)"' "$T/r.json")" = "interval_against_span 30 1" ]
    key() { jq -r --arg d "$1" '[.attribution.quantities[] | .dimensions[] | select(.dimension == $d)][0].keys[0] | .key + " " + .status' "$T/r.json"; }
    [ "$(key 'internal subnet')" = "10.0.5.0/24 new" ]
    [ "$(key 'internal host')" = "10.0.5.7 new" ]
    [ "$(key 'service port')" = "4500 new" ]
    [ "$(key 'port and protocol')" = "4500/udp new" ]
    [ "$(key protocol)" = "17 new" ]
    [ "$(jq -r '[.attribution.quantities[0].dimensions[] | select(.dimension == "external subnet")][0].keys_total' "$T/r.json")" = 8 ]
    jq -r .attribution.actors "$T/r.json" | grep -q '^10\.0\.5\.0/24 (new, 100 % of the rise), from 8 new external subnets, UDP (17) (new, 100 % of the rise), 10\.0\.5\.7 (new, 100 % of the rise), 4500/udp (new'
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-attrib-sums.py" <"$T/r.json"
    echo "$output"
    [ "$status" -eq 0 ]
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/validate-schema.py" "$SCHEMA" <"$T/r.json"
    echo "$output"
    [ "$status" -eq 0 ]
    # Markdown: the section after the summary, the span's columns, the Who line in the summary and the index
    mkdir "$T/out"
    nf-explain --flagged --features "$T/b.feat" --records "$T/b.rec" --flows "$T/b.flows" --internal 10.0.0.0/16 \
        --out-dir "$T/out" "$T/b.scored"
    md=$(ls "$T/out"/interval-001-*.md)
    who=$(grep -n '^## Which records made it unusual' "$md" | cut -d: -f1)
    obs=$(grep -n '^## Observable Features' "$md" | cut -d: -f1)
    [ -n "$who" ] && [ -n "$obs" ] && [ "$who" -lt "$obs" ]
    grep -q '^- Who: Ingress .* in the interval against .* per window over the 30 windows before it .*: 10\.0\.5\.0/24 (new' "$md"
    grep -Eq '^\| Internal host +\| Span mean \| Interval +\|' "$md"
    grep -Eq '^\| 10\.0\.5\.7 +\|.*\| new +\|$' "$md"
    grep -q '10\.0\.5\.7 (new, 100 % of the rise), 4500/udp' "$T/out/README.md"
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-markdown.py" "$md"
    [ "$status" -eq 0 ]
}

@test "attribution --flagged: --attrib-span sets the span; without --records the report has none" {
    burst
    run nf-explain --flagged --features "$T/b.feat" --records "$T/b.rec" --internal 10.0.0.0/16 --attrib-span 6 \
        --format json "$T/b.scored"
    [ "$status" -eq 0 ]
    [ "$(echo "$output" | jq -r '.attribution | "\(.windows_before) \(.records_read)"')" = "6 $((7 * 20 + 8))" ]
    run nf-explain --flagged --features "$T/b.feat" --format json "$T/b.scored"
    [ "$(echo "$output" | jq -r '.attribution')" = null ]
    run nf-explain --flagged --features "$T/b.feat" "$T/b.scored"
    [[ "$output" != *"Which records made it unusual"* ]]
}

@test "attribution --flagged: the parts add up on every flagged interval of the demo week" {
    [ -x /usr/bin/python3 ] || skip "needs /usr/bin/python3"
    cd "$T"
    demo_week
    nf-explain --flagged --top all --features features.ndjson --records windows.ndjson --internal 10.8.0.0/16 \
        --format json components.ndjson >flagged.ndjson
    [ "$(wc -l <flagged.ndjson)" -ge 100 ]
    [ "$(jq -s 'map(select(.attribution != null)) | length' flagged.ndjson)" -eq "$(wc -l <flagged.ndjson)" ]
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-attrib-sums.py" <flagged.ndjson
    echo "$output" | tail -3
    [ "$status" -eq 0 ]
    [[ "$output" == *" 0 mismatches" ]]
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/validate-schema.py" "$SCHEMA" <flagged.ndjson
    [ "$status" -eq 0 ]
    # the scan's windows (2019-04-10 03:00-04:00) name the scanner's subnet as new or grown
    jq -r 'select(.time_utc == "2019-04-10 03:00:00 UTC") | .attribution.actors' flagged.ndjson | grep -q '^from 203\.0\.113\.0/24 (new'
}

@test "attribution --flagged: flagged flows get no attribution, and stderr says so" {
    burst
    run nf-explain --flagged --features "$BATS_TEST_DIRNAME/fixtures/step-features.ndjson" --records "$T/b.rec" \
        --internal 10.0.0.0/16 --format json "$BATS_TEST_DIRNAME/fixtures/step-scored.ndjson"
    [ "$status" -eq 0 ]
    run nf-explain --flagged --records "$T/b.rec" --internal 10.0.0.0/16 --format json --top 1 \
        <(zcat "$BATS_TEST_DIRNAME/fixtures/scan-scored.ndjson.gz")
    [ "$status" -eq 0 ]
    [[ "$output" == *"--records: 1 flagged rows are flows; attribution splits intervals over their records, so those reports have none"* ]]
    [ "$(echo "$output" | grep '^{' | jq -r .attribution)" = null ]
}

@test "attribution --plot: the timeline stacks the top keys under the moved quantity, change point marked" {
    require_cmd gnuplot
    craft udp-service
    explain udp-service --plot --out-dir "$T/out"
    md=$(ls "$T/out"/cp-001-*.md)
    svg=$(ls "$T/out"/cp-001-*.svg)
    # the first attributed quantity is the record count n
    grep -q '^!\[records over the compared windows, its top internal subnets stacked, change point marked\](cp-001-.*\.svg)$' "$md"
    # legend: the one key that raised it, the rest, the quantity
    [ "$(grep -o '>[^<>]*<' "$svg" | sort -u | grep -c -e '>10\.0\.5\.0/24<' -e '>other internal subnets<' -e '>n<')" -eq 3 ]
    grep -q '>records by internal subnet - change point 2019-10-02 02:00 UTC<' "$svg"
    # from a pipe the records cannot be read twice: the plain timeline, said on stderr
    run nf-explain --features "$T/udp-service.feat" --records <(cat "$T/udp-service.rec") --internal 10.0.0.0/16 \
        --plot --out-dir "$T/out2" "$T/udp-service.cp"
    [ "$status" -eq 0 ]
    [[ "$output" == *"is not a regular file and cannot be read again; the pictures show the top feature, not its keys"* ]]
    grep -q 'over time, change point marked' "$T/out2"/cp-001-*.md
}
