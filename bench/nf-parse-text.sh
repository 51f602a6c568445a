#!/usr/bin/env bash
# bench/nf-parse-text.sh - nf-parse throughput on nfdump CSV -> NDJSON, beside
# nfdump writing CSV from the same flows (nfdump -R DIR -o csv), in one run.
#
# The flows: the 4,593 real flows of the CTU file
# (data/ctu-test1-malicious.nfdump.csv, nfdump -o csv of
# ../shared/data/nfdump-csv/slips-ctu-test1-malicious.nfcapd), replicated
# COPIES times into one CSV (one header, the Summary block at the end) of at
# least FLOWS rows. nfdump reads the nfcapd file COPIES times (-R over a
# directory of links to it) and writes CSV. Both write to /dev/null.
# Rates use wall-clock time (and CPU time, user+sys, beside it, since the
# machine may be shared). Peak RSS is measured at half and all of the
# rows: a streaming reader stays flat.
#
# Usage: bench/nf-parse-text.sh [FLOWS]   (default 2000000; BENCH_TMP=dir for the ~700 MB file)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${NF_BIN:-$top/build/bin}
want=${1:-2000000}
base_csv=$top/data/ctu-test1-malicious.nfdump.csv
nfcapd=${NFSHIFT_SHARED:-$top/../shared/data}/nfdump-csv/slips-ctu-test1-malicious.nfcapd
tmp=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/nf-parse-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

[ -x "$bin/nf-parse" ] || { echo "build nf-parse first (make build/bin/nf-parse)" >&2; exit 1; }
nbase=$(grep -Ec '^[0-9]{4}-' "$base_csv")
copies=$(((want + nbase - 1) / nbase))
half=$(((copies + 1) / 2))

# One header, COPIES times the rows, then the Summary block.
grep -E '^[0-9]{4}-' "$base_csv" >"$tmp/rows.csv"
make_csv() { # copies file
    {
        head -1 "$base_csv"
        for _ in $(seq "$1"); do cat "$tmp/rows.csv"; done
        tail -3 "$base_csv"
    } >"$2"
}
make_csv "$copies" "$tmp/all.csv"
make_csv "$half" "$tmp/half.csv"
rows=$((copies * nbase))
hrows=$((half * nbase))

# Runs a command under /usr/bin/time; prints "wall cpu maxrss_kb".
measure() {
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" >/dev/null
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$tmp/time"
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

# Check the replicated file parses whole before timing it.
got=$("$bin/nf-parse" "$tmp/half.csv" | wc -l)
[ "$got" -eq "$hrows" ] || { echo "nf-parse wrote $got records for $hrows rows" >&2; exit 1; }

read -r p_wall p_cpu p_rss < <(measure "$bin/nf-parse" "$tmp/all.csv")
read -r h_wall h_cpu h_rss < <(measure "$bin/nf-parse" "$tmp/half.csv")
printf 'input: %d nfdump CSV rows (%d copies of %d real flows), %s MB\n' "$rows" "$copies" "$nbase" \
    "$(($(stat -c %s "$tmp/all.csv") / 1000000))"
printf 'nf-parse nfdump CSV -> NDJSON: %.2f s wall, %.2f s CPU, %s flows/s (wall), %s flows/s (CPU), peak RSS %d KB\n' \
    "$p_wall" "$p_cpu" "$(rate "$rows" "$p_wall")" "$(rate "$rows" "$p_cpu")" "$p_rss"

if command -v nfdump >/dev/null 2>&1 && [ -r "$nfcapd" ]; then
    mkdir "$tmp/nfcapd"
    for i in $(seq "$copies"); do
        ln -s "$nfcapd" "$tmp/nfcapd/nfcapd.$(printf '%06d' "$i")"
    done
    # flows nfdump prints per copy (4,593 of the file's 4,597 records), times the copies
    n_rows=$(($(nfdump -q -r "$nfcapd" -o csv | wc -l) * copies))
    read -r n_wall n_cpu n_rss < <(measure nfdump -R "$tmp/nfcapd" -o csv)
    printf 'nfdump -R (%d nfcapd copies) -o csv: %.2f s wall, %.2f s CPU, %s flows/s (wall), %s flows/s (CPU), peak RSS %d KB\n' \
        "$copies" "$n_wall" "$n_cpu" "$(rate "$n_rows" "$n_wall")" "$(rate "$n_rows" "$n_cpu")" "$n_rss"
    awk -v a="$(rate "$rows" "$p_wall")" -v b="$(rate "$n_rows" "$n_wall")" \
        -v c="$(rate "$rows" "$p_cpu")" -v d="$(rate "$n_rows" "$n_cpu")" \
        'BEGIN { printf "ratio nf-parse/nfdump flows/s: %.2f (wall), %.2f (CPU)\n", a / b, c / d }'
else
    echo "nfdump or $nfcapd missing: no reference run (install the Debian package nfdump)"
fi
# The ceiling the CSV library sets: libcsv alone over the same file, with
# callbacks that only count (the Debian build nf-parse links). nf-parse
# must parse every byte with libcsv (the project's rule), so its rate
# cannot pass this one.
cat >"$tmp/libcsv_only.c" <<'CEOF'
#include <csv.h>
#include <stdio.h>
#include <time.h>
static unsigned long rows;
static void on_field(void *s, size_t n, void *d) { (void)s; (void)n; (void)d; }
static void on_row(int c, void *d) { (void)c; (void)d; rows++; }
int main(int argc, char **argv)
{
    static char buf[1 << 16];
    struct csv_parser p;
    size_t n;
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
    clock_t t0;
    if (!f || csv_init(&p, CSV_APPEND_NULL) != 0)
        return 1;
    t0 = clock();
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        csv_parse(&p, buf, n, on_field, on_row, NULL);
    csv_fini(&p, on_field, on_row, NULL);
    printf("%lu %.3f\n", rows, (double)(clock() - t0) / CLOCKS_PER_SEC);
    csv_free(&p);
    return 0;
}
CEOF
if cc -O2 -o "$tmp/libcsv_only" "$tmp/libcsv_only.c" -lcsv 2>/dev/null; then
    best=""
    for _ in 1 2 3; do
        read -r lrows lsec < <("$tmp/libcsv_only" "$tmp/all.csv")
        if [ -z "$best" ] || [ "$(echo "$lsec < $best" | bc -l)" = 1 ]; then best=$lsec; fi
    done
    printf 'libcsv alone (same file, counting callbacks, best of 3 CPU): %.2f s, %s rows/s: the most any libcsv reader can do here\n' \
        "$best" "$(rate "$lrows" "$best")"
fi
printf 'memory: peak RSS %d KB at %d rows, %d KB at %d rows (ratio %.2f; flat = streaming)\n' \
    "$h_rss" "$hrows" "$p_rss" "$rows" "$(awk -v a="$p_rss" -v b="$h_rss" 'BEGIN { print a / b }')"
awk -v r="$(rate "$rows" "$p_wall")" -v c="$(rate "$rows" "$p_cpu")" \
    'BEGIN { printf "target 1.5 million flows/s: %s (wall), %s (CPU)\n", (r >= 1500000 ? "met" : "not met"), (c >= 1500000 ? "met" : "not met") }'
