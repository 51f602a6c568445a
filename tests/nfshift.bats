#!/usr/bin/env bats
# nfshift detect / nfshift flag: the one-command paths give the same files,
# events and reports as the hand-written chains of scripts/demo.
load helpers

setup_file() {
    # the demo's own chains, once for every test of this file
    export DEMO_OUT="$BATS_FILE_TMPDIR/demo"
    "$NF_TOP/scripts/demo" >"$BATS_FILE_TMPDIR/demo.log" 2>&1
}

setup() {
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
}


@test "nfshift detect on the demo week: the demo's features, change points and reports; events from them" {
    run nfshift detect --internal 10.8.0.0/16 --out "$TMP/d" "$DEMO_OUT/flows.csv"
    echo "$output"
    [ "$status" -eq 0 ]
    for f in features components adjusted changepoints; do
        cmp "$TMP/d/$f.ndjson" "$DEMO_OUT/$f.ndjson"
    done
    diff -r "$TMP/d/reports" "$DEMO_OUT/reports/generated"
    # attribution is on: the first report's headline names the new UDP service's subnet (10.8.227.70:443/udp)
    grep '^|    1 |' "$TMP/d/reports/README.md" | grep -q 'UDP share of ingress [a-z]* rose .*: 10\.8\.227\.0/24 (grew.*10\.8\.227\.70 (grew.*443/udp (new'
    grep -q '^## Who carried the shift' "$TMP/d/reports/cp-001-"*.md
    # the event records of nf-pelt --events, each with its time key and score
    [ "$(grep -c '' "$TMP/d/events.ndjson")" -ge 1 ]
    [ "$(jq -s 'map(select(.kind == "event")) | length' "$DEMO_OUT/changepoints.ndjson")" -eq "$(grep -c '' "$TMP/d/events.ndjson")" ]
    [ "$(jq -s 'map(.WINDOW_START)' "$TMP/d/events.ndjson")" = "$(jq -s 'map(select(.kind == "event") | .WINDOW_START)' "$DEMO_OUT/changepoints.ndjson")" ]
    [ "$(jq -s 'map(.score) | all(. > 0)' "$TMP/d/events.ndjson")" = true ]
    # one event per lasting injected shift, at its window, and none else (no nightly transition;
    # the 1-hour scan is a short event, the flagged-row path's)
    [ "$(jq -s -c 'map(select(.end_ms == null) | .window)' "$DEMO_OUT/truth.ndjson")" = "[972,1608]" ]
    [ "$(jq -s -c 'map(.index)' "$TMP/d/events.ndjson")" = "[972,1608]" ]
    [[ "$output" == *"nfshift: $(grep -c '' "$TMP/d/events.ndjson") events in 2016 windows; reports in $TMP/d/reports/README.md"* ]]
}

@test "nfshift detect: every stage's file can be rerun by hand from commands.sh" {
    nfshift detect --quiet --internal 10.8.0.0/16 --penalty BIC --out "$TMP/d" "$DEMO_OUT/flows.csv"
    [ "$(grep -c '' "$TMP/d/commands.sh")" -eq 7 ]
    grep -q -- '--penalty BIC' "$TMP/d/commands.sh"
    # the period test runs with the decomposition's period (docs/method.md)
    grep nf-pelt "$TMP/d/commands.sh" | grep -q -- '--period-test 1d'
    # rerun the nf-pelt line by hand: the same change points
    cp "$TMP/d/changepoints.ndjson" "$TMP/cp.before"
    sh -c "$(grep nf-pelt "$TMP/d/commands.sh")"
    cmp "$TMP/cp.before" "$TMP/d/changepoints.ndjson"
}

@test "nfshift detect: options reach their stage (--window, --prefix4, --period, --penalty, --min-seg-len)" {
    nfshift detect --quiet --internal 10.8.0.0/16 --window 10m --prefix4 16 --period 12h \
        --penalty 50 --min-seg-len 6 --out "$TMP/d" "$DEMO_OUT/flows.csv"
    nf-parse "$DEMO_OUT/flows.csv" | nf-window --window 10m --prefix4 16 >"$TMP/w"
    cmp "$TMP/w" "$TMP/d/windows.ndjson"
    nf-parse "$DEMO_OUT/flows.csv" | nf-window --with-flows --window 10m --prefix4 16 |
        nf-features --internal 10.8.0.0/16 --flow-medians | nf-pca --transform log1p --variance 0.99 | nf-decompose --period 12h --robust --columns 'pc*' --keep adjusted \
        | nf-pelt --sigma auto --columns '*_adjusted' --joint --events --sparse --lasting 288 --min-score 1.5 --median-score --period-test 12h --min-seg-len 6 --penalty 50 >"$TMP/cp"
    cmp "$TMP/cp" "$TMP/d/changepoints.ndjson"
    grep nf-pelt "$TMP/d/commands.sh" | grep -q -- '--period-test 12h --sparse '
    # --no-sparse: the joint changes alone
    nfshift detect --quiet --internal 10.8.0.0/16 --no-sparse --out "$TMP/j" "$DEMO_OUT/flows.csv"
    run grep -c -- '--sparse' "$TMP/j/commands.sh"
    [ "$output" -eq 0 ]
    nf-pelt --sigma auto --columns '*_adjusted' --joint --events --lasting 288 --min-score 1.5 --median-score \
        --period-test 1d --min-seg-len 12 "$TMP/j/adjusted.ndjson" | cmp - "$TMP/j/changepoints.ndjson"
    # --period none: no seasonal stage, nf-pelt reads the components
    nfshift detect --quiet --internal 10.8.0.0/16 --period none --out "$TMP/n" "$DEMO_OUT/flows.csv"
    [ ! -e "$TMP/n/adjusted.ndjson" ]
    grep -q "nf-pelt --columns pc\\\\\\* " "$TMP/n/commands.sh"
    # no season, no period to test against, and so no changes of a few components (docs/method.md)
    run grep -c -- '--period-test\|--sparse' "$TMP/n/commands.sh"
    [ "$output" -eq 0 ]
    # --components K replaces detect's --variance 0.99; --min-score reaches nf-pelt
    nfshift detect --quiet --internal 10.8.0.0/16 --components 4 --min-score 3 --out "$TMP/c" "$DEMO_OUT/flows.csv"
    [ "$(jq .components "$TMP/c/model.json")" -eq 4 ]
    run grep -c -- '--variance' "$TMP/c/commands.sh"
    [ "$output" -eq 0 ]
    grep -q -- 'nf-pelt .*--min-score 3 ' "$TMP/c/commands.sh"
}

@test "nfshift detect --stage-args window --uniflow: split windows, and nf-explain reads the flows the same way" {
    nfshift detect --quiet --internal 10.8.0.0/16 --stage-args window --uniflow --out "$TMP/u" "$DEMO_OUT/flows.csv"
    nf-parse "$DEMO_OUT/flows.csv" | nf-window --uniflow >"$TMP/w"
    cmp "$TMP/w" "$TMP/u/windows.ndjson"
    grep -q -- 'nf-explain .*--flows [^ ]*flows.ndjson .*--uniflow' "$TMP/u/commands.sh"
    # without it nf-explain is told nothing
    run grep -c -- '--uniflow' <(grep nf-explain "$DEMO_OUT/commands.sh" 2>/dev/null; nfshift detect --quiet --internal 10.8.0.0/16 --out "$TMP/d" "$DEMO_OUT/flows.csv" && cat "$TMP/d/commands.sh")
    [ "$output" -eq 0 ]
}

@test "nfshift flag on the CTU day: the demo's scores and flagged-flow reports; events are the flagged flows" {
    run nfshift flag --out "$TMP/f" "$DATA/ctu-argus-24h.binetflow"
    echo "$output"
    [ "$status" -eq 0 ]
    cmp "$TMP/f/features.ndjson" "$DEMO_OUT/flow-context.ndjson"
    cmp "$TMP/f/scores.ndjson" "$DEMO_OUT/flow-scores.ndjson"
    diff -r "$TMP/f/reports" "$DEMO_OUT/reports/flows"
    flagged=$(jq -c 'select(.spe_flag or .t2_flag)' "$DEMO_OUT/flow-scores.ndjson" | grep -c '')
    [ "$(grep -c '' "$TMP/f/events.ndjson")" -eq "$flagged" ]
    [[ "$output" == *"nfshift: $flagged flagged of 6751 flows"* ]]
}

@test "nfshift: usage errors exit 2 and name the fix; a failing stage names itself" {
    run nfshift detect "$DEMO_OUT/flows.csv"
    [ "$status" -eq 2 ]
    [[ "$output" == *"detect needs the internal networks: --internal CIDR[,CIDR...] or --internal-file FILE"* ]]
    run nfshift flag --internal 10.0.0.0/8 "$DATA/ctu-argus-24h.binetflow"
    [ "$status" -eq 2 ]
    run nfshift detect --internal 10.0.0.0/8
    [ "$status" -eq 2 ]
    [[ "$output" == *"no input FILE"* ]]
    run nfshift frobnicate
    [ "$status" -eq 2 ]
    run nfshift detect --internal 10.0.0.0/8 --bogus x f
    [ "$status" -eq 2 ]
    [[ "$output" == *"unknown option '--bogus'"* ]]
    printf 'garbage\n' >"$TMP/g.csv"
    run nfshift detect --internal 10.0.0.0/8 --out "$TMP/x" "$TMP/g.csv"
    [ "$status" -eq 1 ]
    [[ "$output" == *"nfshift: nf-parse failed"* ]]
    run nfshift --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"usage: nfshift detect"* ]]
}

@test "nfshift: progress per stage on stderr when it is a terminal, none otherwise" {
    require_cmd script
    script -qec "nfshift flag --out '$TMP/f' '$DATA/ctu-argus-24h.binetflow'" /dev/null >"$TMP/tty" 2>&1
    grep -q 'nfshift: \[1/5\] nf-parse: 6751 records in' "$TMP/tty"
    grep -q 'nfshift: \[5/5\] nf-explain --flagged' "$TMP/tty"
    run nfshift flag --out "$TMP/g" "$DATA/ctu-argus-24h.binetflow"
    [[ "$output" != *"[1/5]"* ]]
}

@test "make install puts nfshift, its man page and the experiments Makefile beside the tools" {
    make -C "$NF_TOP" install PREFIX=/usr DESTDIR="$TMP/root" >/dev/null
    [ -x "$TMP/root/usr/bin/nfshift" ]
    [ -x "$TMP/root/usr/bin/nf-parse" ]
    [ -f "$TMP/root/usr/share/man/man1/nfshift.1" ]
    grep -q '^NF_BIN     ?= /usr/bin$' "$TMP/root/usr/share/nfshift/experiments/Makefile"
    # the installed driver finds the installed tools beside it
    PATH=/usr/bin:/bin NF_BIN= "$TMP/root/usr/bin/nfshift" flag --quiet --out "$TMP/f" "$DATA/ctu-argus-24h.binetflow"
    grep -q "^$TMP/root/usr/bin/nf-parse " "$TMP/f/commands.sh"
}

@test "README.md quotes the demo's first headline as the demo writes it (subnet, host and port of the injected service)" {
    headline=$(grep '^|    1 |' "$DEMO_OUT/reports/generated/README.md" | awk -F' [|] ' '{ print $5 }' | sed 's/ *|$//')
    [[ "$headline" == *"10.8.227.0/24 (grew"*"443/udp (new"* ]]
    quoted=$(awk '/injected service is 10\.8\.227\.70:443\/udp:$/ { f = 1; next }
                  f && /^    / { sub(/^    /, ""); printf "%s%s", sep, $0; sep = " " }
                  f && /^$/ && sep { exit }' "$NF_TOP/README.md")
    echo "README: $quoted"
    echo "demo:   $headline"
    [ "$quoted" = "$headline" ]
}

@test "demo: the NAB series get the pipeline's events (make evaluate's options), so the one-hour spike of 5abac7 is no shift" {
    # scripts/evaluate's NAB_PELT: the pipeline's nf-pelt options on value_adjusted
    opts=$(python3 -c "import runpy; print(runpy.run_path('$NF_TOP/scripts/evaluate', run_name='x')['NAB_PELT'])")
    [[ "$opts" == *"--events"* ]]
    n=0
    for f in "$NF_TOP"/data/nab/*.csv; do
        name=$(basename "$f" .csv)
        nf-parse --input-format series "$f" | nf-decompose --period 288 --robust --keep adjusted >"$TMP/adj"
        eval "nf-pelt $opts" <"$TMP/adj" >"$TMP/ev"
        cmp "$TMP/ev" "$DEMO_OUT/nab-$name.changepoints.ndjson"
        [ "$(jq -s 'map(select(.kind != "event")) | length' "$TMP/ev")" -eq 0 ]
        n=$((n + 1))
    done
    [ "$n" -eq 3 ]
    # 5abac7: up at 18:51, down at 19:51 on 2014-03-10, an excursion, not a shift
    [ "$(grep -c '' "$DEMO_OUT/nab-ec2_network_in_5abac7.changepoints.ndjson")" -eq 0 ]
    [ ! -e "$DEMO_OUT/reports/nab-ec2_network_in_5abac7/cp-001-20140310T1851Z.md" ]
}
