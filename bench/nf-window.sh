#!/usr/bin/env bash
# bench/nf-window.sh - nf-window throughput and peak memory on >= 10 million
# real flows, beside nfdump aggregating the same flows
# (nfdump -A srcip4/24,dstip4/24,proto) in the same run.
#
# The flows: the 4,593 real flows of the CTU nfcapd file
# (../shared/data/nfdump-csv/slips-ctu-test1-malicious.nfcapd, shipped as
# data/ctu-test1-malicious.nfdump.csv), replayed COPIES times. For nf-window
# each copy is shifted by 300 s, so 10 million flows cover 2,178 windows
# (7.5 days); nfdump reads the same nfcapd file COPIES times (-R over a
# directory of links). Memory is measured at two sizes (1/10 and all of
# the flows, so 10x the windows) to show it does not grow with windows.
#
# Usage: bench/nf-window.sh [FLOWS]   (default 10000000; BENCH_TMP=dir for the 3.5 GB file)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${NF_BIN:-$top/build/bin}
want=${1:-10000000}
base_csv=$top/data/ctu-test1-malicious.nfdump.csv
nfcapd=${NFSHIFT_SHARED:-$top/../shared/data}/nfdump-csv/slips-ctu-test1-malicious.nfcapd
tmp=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/nf-window-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
[ -x "$py" ] || py=python3

[ -x "$bin/nf-window" ] || { echo "build nf-window first (make build/bin/nf-window)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "nf-window bench: skipped, needs GNU time (/usr/bin/time, Debian package time)"; exit 0; }
nbase=$(grep -Ec '^[0-9]{4}-' "$base_csv")
copies=$(((want + nbase - 1) / nbase))
small=$(((copies + 9) / 10))

# Flow records (docs/records.md) from the nfdump CSV, COPIES times, each copy 300 s later.
gen() { # copies
    "$py" - "$base_csv" "$1" <<'PY'
import calendar, csv, sys
PROTO = {"TCP": 6, "UDP": 17, "ICMP": 1, "IGMP": 2, "GRE": 47, "ESP": 50, "ICMP6": 58}
def ms(text):
    day, clock = text.split(" ")
    hms, _, frac = clock.partition(".")
    y, mo, d = map(int, day.split("-"))
    h, mi, s = map(int, hms.split(":"))
    return calendar.timegm((y, mo, d, h, mi, s)) * 1000 + int((frac + "000")[:3])
rows = []
with open(sys.argv[1], newline="") as f:
    for r in csv.DictReader(f):
        if not r["ts"][:1].isdigit():
            break
        first, last = ms(r["ts"]), ms(r["te"])
        pr = r["pr"].strip()
        head = '"IP_SRC_ADDR":"%s","IP_DST_ADDR":"%s","L4_SRC_PORT":%d,"L4_DST_PORT":%d,"PROTOCOL_NUM":%d,"TCP_FLAGS":0,"FIRST_SWITCHED":' % (
            r["sa"], r["da"], int(float(r["sp"])), int(float(r["dp"])), PROTO.get(pr, int(pr) if pr.isdigit() else 0))
        tail = ',"FLOW_DURATION_MILLISECONDS":%d,"IN_PKTS":%s,"IN_BYTES":%s,"OUT_PKTS":%s,"OUT_BYTES":%s,"FLOWS":1,"SRC_TOS":%s}\n' % (
            max(last - first, 0), r["ipkt"], r["ibyt"], r["opkt"], r["obyt"], r["stos"])
        rows.append((head, first, last, tail))
out = sys.stdout
n = 0
for k in range(int(sys.argv[2])):
    off = k * 300000
    chunk = []
    for head, first, last, tail in rows:
        n += 1
        chunk.append('{"ID":%d,%s%d,"LAST_SWITCHED":%d%s' % (n, head, first + off, last + off, tail))
    out.write("".join(chunk))
PY
}

# measure LABEL OUT command...: runs it on one core (taskset when there),
# stdout to OUT; prints "wall_seconds peak_rss_kb cpu_seconds" (user + system:
# the one-core figure that does not depend on what else shares the machine).
pin=""
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
measure() {
    local label=$1 out=$2
    shift 2
    /usr/bin/time -v -o "$tmp/time.$label" $pin "$@" >"$out" 2>"$tmp/err.$label" || {
        # nf-window exits 1 after reporting a gap; anything else is a failure
        grep -q 'gap longer' "$tmp/err.$label" || { cat "$tmp/err.$label" >&2; exit 1; }
    }
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
                /Maximum resident set size/ { kb = $2 } /User time|System time/ { cpu += $2 }
                END { printf "%.3f %d %.3f\n", s, kb, cpu }' "$tmp/time.$label"
}

load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
echo "# nf-window bench: $((copies * nbase)) flows ($copies copies of $nbase real CTU flows, 300 s apart)"
gen "$copies" >"$tmp/flows.ndjson"
head -n $((small * nbase)) "$tmp/flows.ndjson" >"$tmp/small.ndjson"
nflows=$(wc -l <"$tmp/flows.ndjson")
nsmall=$(wc -l <"$tmp/small.ndjson")
echo "# input: $nflows flows, $(($(wc -c <"$tmp/flows.ndjson") / 1048576)) MiB of NDJSON (page cache warmed)"
cat "$tmp/flows.ndjson" >/dev/null

read -r t_win rss_win c_win < <(measure win "$tmp/agg" "$bin/nf-window" "$tmp/flows.ndjson")
nwin=$(cut -d, -f1 "$tmp/agg" | uniq | wc -l)
read -r t_small rss_small c_small < <(measure small "$tmp/agg.small" "$bin/nf-window" "$tmp/small.ndjson")
nwin_small=$(cut -d, -f1 "$tmp/agg.small" | uniq | wc -l)
# --merge as a Hadoop reducer: sorted input streams; reversed input holds every window
LC_ALL=C sort "$tmp/agg" >"$tmp/agg.sorted"
tac "$tmp/agg" >"$tmp/agg.reversed"
nagg=$(wc -l <"$tmp/agg")
read -r t_msort rss_msort c_msort < <(measure msort "$tmp/merged" "$bin/nf-window" --merge "$tmp/agg.sorted")
cmp -s "$tmp/merged" "$tmp/agg" || { echo "nf-window --merge of the sorted aggregates differs from the single run" >&2; exit 1; }
read -r t_mrev rss_mrev c_mrev < <(measure mrev "$tmp/merged" "$bin/nf-window" --merge "$tmp/agg.reversed")
cmp -s "$tmp/merged" "$tmp/agg" || { echo "nf-window --merge of the reversed aggregates differs from the single run" >&2; exit 1; }
read -r t_split rss_split c_split < <(measure split /dev/null "$bin/nf-window" --split "$tmp/flows.ndjson")

# The ceiling the JSON library sets: cJSON alone parsing every line of the
# same file, with the scratch allocator nf-window uses (lib/scratch) and
# nothing else. Every stage reads NDJSON with cJSON (the project's rule),
# so nf-window's rate cannot pass this one.
cat >"$tmp/cjson_only.c" <<'CEOF'
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "scratch.h"
int main(int argc, char **argv)
{
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long rows = 0, members = 0;
    clock_t t0 = clock();
    if (!f)
        return 1;
    nf_scratch_begin();
    while ((n = getline(&line, &cap, f)) > 0) {
        cJSON *obj, *item;
        nf_scratch_reset();
        obj = cJSON_ParseWithLength(line, (size_t)n);
        if (!obj)
            continue;
        rows++;
        cJSON_ArrayForEach(item, obj) members++;
        cJSON_Delete(obj);
    }
    nf_scratch_end();
    printf("%lu %.3f\n", rows, (double)(clock() - t0) / CLOCKS_PER_SEC);
    free(line);
    return members == 0;
}
CEOF
c_json=""
if cc -O2 -I"$top/lib" $(pkg-config --cflags libcjson 2>/dev/null) -o "$tmp/cjson_only" "$tmp/cjson_only.c" \
    "$top/build/libnf.a" $(pkg-config --libs libcjson 2>/dev/null) 2>/dev/null; then
    read -r _ c_json < <($pin "$tmp/cjson_only" "$tmp/flows.ndjson")
fi

have_nfdump=0
if command -v nfdump >/dev/null 2>&1 && [ -r "$nfcapd" ]; then
    have_nfdump=1
    mkdir "$tmp/cap"
    for i in $(seq -w 1 "$copies"); do ln -s "$nfcapd" "$tmp/cap/nfcapd.$i"; done
    read -r t_nfd rss_nfd c_nfd < <(measure nfdump "$tmp/nfdump.out" nfdump -R "$tmp/cap" -A srcip4/24,dstip4/24,proto -q -o csv)
    nfd_flows=$((copies * nbase))
fi

rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", n / t; else printf "0" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "0" }'; }
r_win=$(rate "$nflows" "$c_win")
line() { # label count wall cpu rss [note]; UNIT=records for aggregate input
    local u=${UNIT:-flows}
    printf "%-22s %9d %-7s %7.2f s wall %7.2f s cpu  %8d $u/s wall %8d $u/s cpu  peak RSS %6d KiB  %s\n" \
        "$1" "$2" "$u" "$3" "$4" "$(rate "$2" "$3")" "$(rate "$2" "$4")" "$5" "${6:-}"
}
echo "# load average at start: $load (2 cores shared with other work: the cpu figures are the one-core speed)"
line "nf-window" "$nflows" "$t_win" "$c_win" "$rss_win" "($nwin windows)"
line "nf-window (1/10)" "$nsmall" "$t_small" "$c_small" "$rss_small" "($nwin_small windows)"
line "nf-window --split" "$nflows" "$t_split" "$c_split" "$rss_split"
UNIT=records line "--merge, sorted input" "$nagg" "$t_msort" "$c_msort" "$rss_msort" "(aggregate records; streams; output identical)"
UNIT=records line "--merge, reversed input" "$nagg" "$t_mrev" "$c_mrev" "$rss_mrev" "(aggregate records; holds all windows; output identical)"
[ -n "$c_json" ] && printf 'cJSON alone (same file, every line parsed, nothing else): %.2f s cpu, %s flows/s: the most any cJSON reader can do here\n' \
    "$c_json" "$(rate "$nflows" "$c_json")"
echo "memory vs windows: ${rss_small} KiB for $nwin_small windows, ${rss_win} KiB for $nwin windows (ratio $(ratio "$rss_win" "$rss_small"))"
if [ $have_nfdump = 1 ]; then
    r_nfd=$(rate "$nfd_flows" "$c_nfd")
    line "nfdump -A (reference)" "$nfd_flows" "$t_nfd" "$c_nfd" "$rss_nfd" "(-A srcip4/24,dstip4/24,proto; binary nfcapd input, no windows)"
    echo "ratio nf-window/nfdump: speed (cpu) $(ratio "$r_win" "$r_nfd"), speed (wall) $(ratio "$(rate "$nflows" "$t_win")" "$(rate "$nfd_flows" "$t_nfd")"), peak memory $(ratio "$rss_win" "$rss_nfd")"
else
    echo "nfdump: not installed or ../shared/data missing; no reference run"
fi
if [ "$r_win" -lt 1000000 ]; then
    echo "note: below the 1 million flows/s (cpu) target"
fi
