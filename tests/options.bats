#!/usr/bin/env bats
# The option vocabulary every tool shares (lib/opt): -h/--help and
# -V/--version, and a bad option reported once (opterr = 0, nf_opt_bad),
# then the one line pointing at --help, exit 2.

load helpers
bats_require_minimum_version 1.5.0

TOOLS="nf-parse nf-window nf-features nf-pca nf-decompose nf-pelt nf-explain nf-replay"

@test "options: -h and --help print the usage to stdout, -V and --version the version, exit 0" {
    for t in $TOOLS; do
        for o in -h --help; do
            run --separate-stderr "$t" "$o"
            [ "$status" -eq 0 ] || { echo "$t $o: status $status"; false; }
            [[ "${lines[0]}" == [Uu]"sage: $t"* ]] || { echo "$t $o: ${lines[0]}"; false; }
            [ -z "$stderr" ]
        done
        for o in -V --version; do
            run --separate-stderr "$t" "$o"
            [ "$status" -eq 0 ] || { echo "$t $o: status $status"; false; }
            [ "$output" = "$t (nfshift) 0.1.0" ] || { echo "$t $o: $output"; false; }
        done
    done
}

@test "options: an unknown option is named once, then the --help line, exit 2, nothing on stdout" {
    for t in $TOOLS; do
        for o in --bogus -Z; do
            run --separate-stderr "$t" "$o" </dev/null
            [ "$status" -eq 2 ] || { echo "$t $o: status $status"; false; }
            [ -z "$output" ]
            [ "$stderr" = "$t: unknown option '$o'
Try '$t --help' for more information." ] || { echo "$t $o: $stderr"; false; }
        done
    done
}

@test "options: an option without its value, or a value given to a flag, is named once, exit 2" {
    run --separate-stderr nf-window --window
    [ "$status" -eq 2 ]
    [ "$stderr" = "nf-window: option '--window' needs a value
Try 'nf-window --help' for more information." ]
    run --separate-stderr nf-parse -f
    [ "$status" -eq 2 ]
    [[ "$stderr" == "nf-parse: option '-f' needs a value"* ]]
    run --separate-stderr nf-pca --help=3
    [ "$status" -eq 2 ]
    [[ "$stderr" == "nf-pca: option '--help' takes no value"* ]]
}

# bad N: N lines no tool can use, then one good flow record
bad_input() {
    for i in $(seq 1 "$1"); do echo 'not json'; done
}

@test "options: 1000 bad records give the first 20 messages, 'further messages suppressed', one summary line; --verbose all" {
    bad_input 1000 >"$BATS_TEST_TMPDIR/bad"
    for t in nf-parse nf-window nf-features nf-pca nf-decompose nf-pelt nf-explain; do
        args=()
        case $t in
        nf-parse) args=(--format ndjson) ;;
        nf-features) args=(--internal 10.0.0.0/8) ;;
        nf-decompose) args=(--period none) ;;
        esac
        "$t" "${args[@]}" "$BATS_TEST_TMPDIR/bad" >/dev/null 2>"$BATS_TEST_TMPDIR/err" || true
        n=$(grep -c "$BATS_TEST_TMPDIR/bad:[0-9]*: " "$BATS_TEST_TMPDIR/err" || true)
        [ "$n" -eq 20 ] || { echo "$t: $n located messages"; cat "$BATS_TEST_TMPDIR/err" | tail -5; false; }
        [ "$(grep -c "^$t: further messages suppressed" "$BATS_TEST_TMPDIR/err")" -eq 1 ] || { echo "$t: no suppressed line"; false; }
        # input with no usable record at all ends in an error that says so
        grep -Eq "^$t: (1000 records skipped|.*no usable record \(all 1000 skipped\))" "$BATS_TEST_TMPDIR/err" || { echo "$t: no summary"; tail -3 "$BATS_TEST_TMPDIR/err"; false; }
        "$t" "${args[@]}" --verbose "$BATS_TEST_TMPDIR/bad" >/dev/null 2>"$BATS_TEST_TMPDIR/err" || true
        n=$(grep -c "$BATS_TEST_TMPDIR/bad:[0-9]*: " "$BATS_TEST_TMPDIR/err" || true)
        [ "$n" -eq 1000 ] || { echo "$t --verbose: $n located messages"; false; }
        run ! grep -q 'further messages suppressed' "$BATS_TEST_TMPDIR/err"
    done
}

@test "options: the older spellings give the same bytes as the documented ones" {
    T=$BATS_TEST_TMPDIR
    nf-parse --input-format argus "$DATA/ctu-argus-24h.binetflow" >"$T/a"
    nf-parse --format argus "$DATA/ctu-argus-24h.binetflow" >"$T/b"
    cmp "$T/a" "$T/b"
    [ -s "$T/a" ]
    head -400 "$T/a" >"$T/flows"
    nf-window --flows "$T/flows" >"$T/wf"
    nf-features --per-flow "$T/wf" >"$T/pf1"
    nf-features -f "$T/wf" >"$T/pf2"
    cmp "$T/pf1" "$T/pf2"
    # nf-replay: -o/--output for -w/--write, --output-format, --max-records, --protocol
    nf-replay --output "$T/r1" --output-format ipfix --max-records 3 --protocol ipfix "$T/flows"
    nf-replay -w "$T/r2" --write-format ipfix --records 3 -p ipfix "$T/flows"
    nf-replay --write "$T/r3" --write-format ipfix --records 3 "$T/flows"
    cmp "$T/r1" "$T/r2"
    cmp "$T/r1" "$T/r3"
    run --separate-stderr nf-replay -o "$T/r4" --max-records 4 "$T/flows"
    [ "$status" -eq 0 ]
    run ! cmp -s "$T/r1" "$T/r4" # a different option value is a different file
    # the short letters of --time-key, --columns, --exclude
    nf-window "$T/flows" | nf-features --internal 10.8.0.0/16 >"$T/feat"
    nf-pca --time-key WINDOW_START --columns 'UDP_*,TCP_*' --exclude 'TCP_flows_*' --components 2 "$T/feat" >"$T/p1" 2>/dev/null
    nf-pca -t WINDOW_START -c 'UDP_*,TCP_*' -x 'TCP_flows_*' --components 2 "$T/feat" >"$T/p2" 2>/dev/null
    cmp "$T/p1" "$T/p2"
    # nf-explain: --output-format/--format, --output-dir/--out-dir
    f=$NF_TOP/nf-explain/tests/fixtures
    nf-explain --features "$f/step-features.ndjson" --output-format json "$f/step-changepoints.ndjson" >"$T/e1"
    nf-explain --features "$f/step-features.ndjson" --format json "$f/step-changepoints.ndjson" >"$T/e2"
    cmp "$T/e1" "$T/e2"
    nf-explain --features "$f/step-features.ndjson" --output-dir "$T/d1" "$f/step-changepoints.ndjson"
    nf-explain --features "$f/step-features.ndjson" --out-dir "$T/d2" "$f/step-changepoints.ndjson"
    diff -r "$T/d1" "$T/d2"
    [ -s "$T/d1/README.md" ]
}

@test "options: nfshift --out and --format are --output-dir and --input-format" {
    T=$BATS_TEST_TMPDIR
    head -1500 "$DATA/ctu-argus-24h.binetflow" >"$T/f.csv"
    nfshift flag --quiet --output-dir "$T/a" --input-format argus "$T/f.csv"
    nfshift flag --quiet --out "$T/b" --format argus "$T/f.csv"
    for f in flows.ndjson windows.ndjson features.ndjson scores.ndjson events.ndjson; do
        cmp "$T/a/$f" "$T/b/$f"
    done
    diff -r "$T/a/reports" "$T/b/reports"
    # commands.sh names the documented spelling whichever was given
    sed "s|$T/a|DIR|g" "$T/a/commands.sh" >"$T/ca"
    sed "s|$T/b|DIR|g" "$T/b/commands.sh" >"$T/cb"
    cmp "$T/ca" "$T/cb"
    grep -q -- '--input-format argus' "$T/ca"
    grep -q -- '--output-dir DIR/reports' "$T/ca"
}
