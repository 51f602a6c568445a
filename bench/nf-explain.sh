#!/usr/bin/env bash
# bench/nf-explain.sh - the cost of attribution: nf-explain on the change
# points of a generated week, without attribution (the reference run, in
# the same session), with --records and with --records --flows; wall and
# cpu seconds, records/s and flows/s, peak RSS (/usr/bin/time -v). Two
# weeks: the demo's (bench/generate-flows --rate 0.5 --seed 1, ~300,000
# flows) and one of >= FLOWS flows (bench_generated_csv, default 10
# million). A second reference is one awk pass over the same files summing
# bytes per DST_NET (records) and per IP_DST_ADDR (flows): the least a
# by-hand comparison reads. Memory is flat in the input's length: the demo
# week's records with three earlier weeks before them (outside every
# compared window) take the same RSS.
#
# Usage: bench/nf-explain.sh [FLOWS]   (default 10000000; 0 = the demo week
# only; BENCH_TMP=dir holds the generated CSV, ~3.4 GB, and the 10 million
# flow records, ~4 GB, deleted at the end)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${NF_BIN:-$top/build/bin}
want=${1:-10000000}
cache=${BENCH_TMP:-${TMPDIR:-/tmp}}
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/nf-explain-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
internal=10.8.0.0/16
export PATH="$bin:$PATH"

for t in nf-parse nf-window nf-features nf-pca nf-decompose nf-pelt nf-explain; do
    [ -x "$bin/$t" ] || { echo "nf-explain bench: $t not built (make); skipped"; exit 0; }
done
[ -x /usr/bin/time ] || { echo "nf-explain bench: skipped, needs GNU time (/usr/bin/time)"; exit 0; }

times() {
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
                /Maximum resident set size/ { kb = $2 } /User time|System time/ { cpu += $2 }
                END { printf "%.3f %d %.3f\n", s, kb, cpu }' "$tmp/time.$1"
}
measure() { # LABEL OUT command...: "wall_seconds peak_rss_kb cpu_seconds"
    local label=$1 out=$2
    shift 2
    /usr/bin/time -v -o "$tmp/time.$label" "$@" >"$out" 2>"$tmp/err.$label" || {
        cat "$tmp/err.$label" >&2
        exit 1
    }
    times "$label"
}
rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", n / t; else printf "0" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "0" }'; }
line() { # label wall cpu rss note
    printf "  %-34s %8.2f s wall %8.2f s cpu  peak RSS %8d KiB  %s\n" "$1" "$2" "$3" "$4" "${5:-}"
}

# week DIR CSV: the chain up to the change points, with flows.ndjson and windows.ndjson kept.
week() {
    local d=$1 csv=$2
    nf-parse "$csv" >"$d/flows.ndjson"
    nf-window <"$d/flows.ndjson" >"$d/windows.ndjson"
    nf-features --internal "$internal" <"$d/windows.ndjson" >"$d/features.ndjson"
    nf-pca --save-model "$d/model.json" <"$d/features.ndjson" 2>/dev/null >"$d/components.ndjson"
    nf-decompose --period 1d --robust --columns 'pc*' --keep adjusted <"$d/components.ndjson" >"$d/adjusted.ndjson"
    nf-pelt --joint --events --lasting 288 --min-seg-len 12 --columns '*_adjusted' <"$d/adjusted.ndjson" >"$d/cp.ndjson"
}

# run_week NAME DIR: the three nf-explain runs and the awk references.
run_week() {
    local name=$1 d=$2 nrec nfl ncp
    nrec=$(grep -c '' "$d/windows.ndjson")
    nfl=$(grep -c '' "$d/flows.ndjson")
    ncp=$(grep -c '' "$d/cp.ndjson")
    echo "$name: $nfl flows, $nrec records, $(grep -c '' "$d/features.ndjson") windows, $ncp change points"
    local ex=(nf-explain --features "$d/features.ndjson" --model "$d/model.json" --format json "$d/cp.ndjson")
    read -r w0 r0 c0 < <(measure ref "$tmp/ref.out" "${ex[@]}")
    read -r w1 r1 c1 < <(measure rec "$tmp/rec.out" "${ex[@]}" --records "$d/windows.ndjson" --internal "$internal")
    read -r w2 r2 c2 < <(measure flo "$tmp/flo.out" "${ex[@]}" --records "$d/windows.ndjson" --flows "$d/flows.ndjson" --internal "$internal")
    read -r wa ra ca < <(measure awkr /dev/null awk -F'"DST_NET":"' '{ split($2, a, "\""); n = split($0, b, "\"BYTES\":"); s[a[1]] += b[2] + 0 } END { for (k in s) c++; print c }' "$d/windows.ndjson")
    read -r wb rb cb < <(measure awkf /dev/null awk -F'"IP_DST_ADDR":"' '{ split($2, a, "\""); s[a[1]]++ } END { for (k in s) c++; print c }' "$d/flows.ndjson")
    line "reference: no attribution" "$w0" "$c0" "$r0"
    line "--records" "$w1" "$c1" "$r1" "$(rate "$nrec" "$(awk -v a="$c1" -v b="$c0" 'BEGIN { print a - b }')") records/s beyond the reference; ratio $(ratio "$c1" "$c0")x"
    line "--records --flows" "$w2" "$c2" "$r2" "$(rate "$nfl" "$(awk -v a="$c2" -v b="$c1" 'BEGIN { print a - b }')") flows/s beyond --records; ratio $(ratio "$c2" "$c0")x"
    line "awk, bytes per DST_NET (records)" "$wa" "$ca" "$ra" "nf-explain --records / awk: $(ratio "$(awk -v a="$c1" -v b="$c0" 'BEGIN { print a - b }')" "$ca")x"
    line "awk, flows per IP_DST_ADDR (flows)" "$wb" "$cb" "$rb" "nf-explain --flows part / awk: $(ratio "$(awk -v a="$c2" -v b="$c1" 'BEGIN { print a - b }')" "$cb")x"
}

echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores shared)"
mkdir "$tmp/demo"
python3 "$top/bench/generate-flows" --days 7 --rate 0.5 --seed 1 --start 2019-04-04T00:00:00 \
    --shift +81h:new-udp-service --shift +134h:egress-step --shift +147h:scan -o "$tmp/demo/flows.csv"
week "$tmp/demo" "$tmp/demo/flows.csv"
run_week "demo week" "$tmp/demo"

# Memory against the input's length: three earlier weeks of the same records before the demo week's.
for k in 3 2 1; do
    awk -v d=$((k * 7 * 86400000)) -F'"WINDOW_START":' '{ split($2, a, ","); t = a[1] - d; e = t + 300000
        sub(/"WINDOW_START":[0-9]+/, "\"WINDOW_START\":" t); sub(/"WINDOW_END":[0-9]+/, "\"WINDOW_END\":" e); print }' \
        "$tmp/demo/windows.ndjson"
done >"$tmp/long.ndjson"
cat "$tmp/demo/windows.ndjson" >>"$tmp/long.ndjson"
read -r w4 r4 c4 < <(measure long "$tmp/long.out" nf-explain --features "$tmp/demo/features.ndjson" --model "$tmp/demo/model.json" \
    --format json --records "$tmp/long.ndjson" --internal "$internal" "$tmp/demo/cp.ndjson")
line "--records, 4x the records" "$w4" "$c4" "$r4" "RSS $(ratio "$r4" "$r1")x of 1x; same reports: $(cmp -s <(jq -c 'del(.attribution.records)' "$tmp/long.out") <(jq -c 'del(.attribution.records)' "$tmp/rec.out") && echo yes || echo no)"

if [ "$want" -gt 0 ]; then
    . "$top/bench/lib.sh"
    csv=$(bench_generated_csv "$want" "$cache")
    mkdir "$tmp/big"
    week "$tmp/big" "$csv"
    run_week "generated week ($csv)" "$tmp/big"
fi
