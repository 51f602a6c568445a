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
