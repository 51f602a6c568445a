# Shared by reference_r.bats and reference_statsmodels.bats: nf-decompose
# against a reference STL on the three NAB series of data/nab, period 288.
# What is compared: for each of trend, seasonal and remainder, the largest
# |nf-decompose - reference| over all rows divided by the range (max - min)
# of the input series; every one must be below 1e-6 (maxdiff.sh).

T=$BATS_TEST_DIRNAME

setup() {
    W=$BATS_TEST_TMPDIR
}

# within_1e6 "a b c": every relative difference below 1e-6
within_1e6() {
    echo "$1" | awk '{ exit !($1 < 1e-6 && $2 < 1e-6 && $3 < 1e-6) }'
}

# compare_stl SWINDOW ROBUST "nf-decompose options" "reference name=value ..." REFERENCE-COMMAND...
# The reference command gets: series.csv 288 SWINDOW ROBUST name=value...
compare_stl() {
    local sw=$1 robust=$2 ours=$3 theirs=$4 f name d
    shift 4
    for f in "$DATA"/nab/*.csv; do
        name=$(basename "$f" .csv)
        "$T/nab-ndjson.sh" "$f" >"$W/$name.ndjson"
        nf-decompose --period 288 --s-window "$sw" $ours "$W/$name.ndjson" >"$W/$name.out"
        "$@" "$f" 288 "$sw" "$robust" $theirs >"$W/$name.ref"
        d=$("$T/maxdiff.sh" "$W/$name.out" "$W/$name.ref" "$f")
        echo "$name s.window=$sw robust=$robust $ours: $d"
        within_1e6 "$d" || return 1
    done
}
