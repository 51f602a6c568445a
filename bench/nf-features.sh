#!/usr/bin/env bash
# bench/nf-features.sh - the pipeline nf-parse | nf-window | nf-features on
# >= 10 million generated flows (bench/generate-flows: real flows replayed
# over 7 days with a daily cycle and three injected shifts), stage by stage:
# wall and cpu seconds, records/s and peak RSS (/usr/bin/time -v) of each
# stage; beside nfdump -A srcip4/24,dstip4/24,proto in the same run.
# nf-parse and nf-window run as a pipe, each on its own core: the 4.5 GB of
# flow records between them never touch the disk (written to a file, the
# kernel's dirty-page writeback and reclaim charged nf-parse 3 s of system
# time per 1.4 GB on this machine, more than its own work).
#
# nfdump reference: nfdump 1.7 reads only its binary nfcapd files and has
# no CSV importer, so the generated CSV cannot be handed to it without
# re-exporting every flow over UDP to nfcapd (lossy at this rate, and a
# NetFlow v5/v9 exporter of its own). Like bench/nf-window.sh, nfdump
# therefore aggregates the same number of real flows: the CTU nfcapd file
# (the real capture behind data/ctu-test1-malicious.nfdump.csv, one of the
# generator's sources) read as many times as needed.
#
# Usage: bench/nf-features.sh [FLOWS]   (default 10000000; BENCH_TMP=dir,
# the generated CSV (~3.4 GB) is kept there and reused by later runs)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${NF_BIN:-$top/build/bin}
want=${1:-10000000}
days=7   # bench_generated_csv makes 7 days
nfcapd=${NFSHIFT_SHARED:-$top/../shared/data}/nfdump-csv/slips-ctu-test1-malicious.nfcapd
cache=${BENCH_TMP:-${TMPDIR:-/tmp}}
tmp=$(mktemp -d "$cache/nf-features-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
internal=10.8.0.0/16,2001:db8::/32

for t in nf-parse nf-window nf-features; do
    [ -x "$bin/$t" ] || { echo "nf-features bench: $t not built (make build/bin/$t); skipped"; exit 0; }
done
[ -x /usr/bin/time ] || { echo "nf-features bench: skipped, needs GNU time (/usr/bin/time)"; exit 0; }

pin="" pin1=""
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0" && pin1="taskset -c $(($(nproc) > 1 ? 1 : 0))"
# times LABEL: "wall_seconds peak_rss_kb cpu_seconds" of a run under /usr/bin/time -v -o $tmp/time.LABEL
times() {
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
                /Maximum resident set size/ { kb = $2 } /User time|System time/ { cpu += $2 }
                END { printf "%.3f %d %.3f\n", s, kb, cpu }' "$tmp/time.$1"
}
# measure LABEL OUT command...: "wall_seconds peak_rss_kb cpu_seconds"
measure() {
    local label=$1 out=$2
    shift 2
    /usr/bin/time -v -o "$tmp/time.$label" $pin "$@" >"$out" 2>"$tmp/err.$label" || {
        cat "$tmp/err.$label" >&2
        exit 1
    }
    times "$label"
}
rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", n / t; else printf "0" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "0" }'; }
line() { # label count unit wall cpu rss [note]
    printf "%-24s %9d %-8s %7.2f s wall %7.2f s cpu %9d/s cpu  peak RSS %7d KiB  %s\n" \
        "$1" "$2" "$3" "$4" "$5" "$(rate "$2" "$5")" "$6" "${7:-}"
}

# The flows: 7 days from 2019-04-04, rate so that there are >= FLOWS.
. "$top/bench/lib.sh"
csv=$(bench_generated_csv "$want" "$cache")
nflows=$(($(wc -l <"$csv") - 1))
echo "# input: $nflows flows, $(($(wc -c <"$csv") / 1048576)) MiB nfdump CSV, $days days ($csv)"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores shared; cpu = user + system of the stage, on one core)"

set +e
/usr/bin/time -v -o "$tmp/time.parse" $pin "$bin/nf-parse" "$csv" 2>"$tmp/err.parse" |
    /usr/bin/time -v -o "$tmp/time.window" $pin1 "$bin/nf-window" >"$tmp/agg.ndjson" 2>"$tmp/err.window"
status=("${PIPESTATUS[@]}")
set -e
if [ "${status[0]}" != 0 ] || [ "${status[1]}" != 0 ]; then
    cat "$tmp/err.parse" "$tmp/err.window" >&2
    exit 1
fi
read -r t_p rss_p c_p < <(times parse)
read -r t_w rss_w c_w < <(times window)
nagg=$(wc -l <"$tmp/agg.ndjson")
read -r t_f rss_f c_f < <(measure features "$tmp/features.ndjson" "$bin/nf-features" --internal "$internal" "$tmp/agg.ndjson")
nwin=$(wc -l <"$tmp/features.ndjson")
# memory against the number of windows: the first day only
awk -F'[:,]' '$2 < 1554422400000' "$tmp/agg.ndjson" >"$tmp/agg1.ndjson"
read -r t_f1 rss_f1 c_f1 < <(measure features1 /dev/null "$bin/nf-features" --internal "$internal" "$tmp/agg1.ndjson")

line "nf-parse (nfdump CSV)" "$nflows" flows "$t_p" "$c_p" "$rss_p"
line "nf-window" "$nflows" flows "$t_w" "$c_w" "$rss_w" "($nagg aggregate records)"
line "nf-features" "$nagg" records "$t_f" "$c_f" "$rss_f" "($nwin windows; = $(rate "$nflows" "$c_f") flows/s)"
line "nf-features, day 1" "$(wc -l <"$tmp/agg1.ndjson")" records "$t_f1" "$c_f1" "$rss_f1" "(memory vs windows: $(ratio "$rss_f" "$rss_f1")x for $days x the windows)"
c_all=$(awk -v a="$c_p" -v b="$c_w" -v c="$c_f" 'BEGIN { print a + b + c }')
# nf-parse and nf-window ran side by side: the longer of the two, then nf-features
t_all=$(awk -v a="$t_p" -v b="$t_w" -v c="$t_f" 'BEGIN { print (a > b ? a : b) + c }')
line "pipeline (sum)" "$nflows" flows "$t_all" "$c_all" "$(printf '%s\n' "$rss_p" "$rss_w" "$rss_f" | sort -n | tail -1)" "(peak = largest stage)"

if command -v nfdump >/dev/null 2>&1 && [ -r "$nfcapd" ]; then
    nbase=$(nfdump -r "$nfcapd" -q -o csv 2>/dev/null | grep -c '^[0-9]' || true)
    [ "$nbase" -gt 0 ] || nbase=4593
    copies=$(((nflows + nbase - 1) / nbase))
    mkdir "$tmp/cap"
    for i in $(seq -w 1 "$copies"); do ln -s "$nfcapd" "$tmp/cap/nfcapd.$i"; done
    read -r t_n rss_n c_n < <(measure nfdump "$tmp/nfdump.out" nfdump -R "$tmp/cap" -A srcip4/24,dstip4/24,proto -q -o csv)
    nfd=$((copies * nbase))
    line "nfdump -A (reference)" "$nfd" flows "$t_n" "$c_n" "$rss_n" "(-A srcip4/24,dstip4/24,proto; binary nfcapd, no windows)"
    echo "ratio nf-features/nfdump (cpu flows/s): $(ratio "$(rate "$nflows" "$c_f")" "$(rate "$nfd" "$c_n")")  (nf-features reads aggregates, $nagg records for $nflows flows)"
    echo "ratio nf-window/nfdump (cpu flows/s): $(ratio "$(rate "$nflows" "$c_w")" "$(rate "$nfd" "$c_n")")"
    echo "ratio pipeline/nfdump (cpu flows/s, nf-parse + nf-window + nf-features from CSV): $(ratio "$(rate "$nflows" "$c_all")" "$(rate "$nfd" "$c_n")")"
else
    echo "nfdump: not installed or ../shared/data missing; no reference run"
fi
