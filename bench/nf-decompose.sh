#!/usr/bin/env bash
# nf-decompose against R stats::stl and statsmodels STL (R's settings) on
# 10^5 points, period 288, s.window 7 and "periodic". Whole-process wall
# time, best of 3 runs each: every program reads the series from a file
# (NDJSON for nf-decompose, the same numbers as CSV for R and Python) and
# writes time, trend, seasonal and remainder for every point to a file.
# Prints seconds, points/s and the ratio to the fastest reference
# (ratio > 1: nf-decompose is faster). Also checks that the trends agree.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${NF_BIN:-$top/build/bin}
tmp=${BENCH_TMP:-$top/build/bench}/nf-decompose
mkdir -p "$tmp"
n=${NF_BENCH_POINTS:-100000}
runs=3

# A 5-minute series: slow trend, daily cycle, deterministic noise.
awk -v n="$n" 'BEGIN { srand(1)
    for (i = 0; i < n; i++) {
        v = 1000 + 0.01 * i + 200 * sin(2 * 3.141592653589793 * i / 288) + 50 * rand()
        printf "{\"WINDOW_START\":%.0f,\"value\":%.6f}\n", 1.7e12 + i * 300000, v } }' >"$tmp/in.ndjson"
{ echo "timestamp,value"; sed 's/.*"WINDOW_START":\([0-9]*\),"value":\([^}]*\)}/\1,\2/' "$tmp/in.ndjson"; } >"$tmp/in.csv"

cat >"$tmp/stl.R" <<'REOF'
a <- commandArgs(TRUE)
d <- read.csv(a[1])
sw <- if (a[2] == "periodic") "periodic" else as.integer(a[2])
s <- stl(ts(d$value, frequency = 288), s.window = sw)
out <- data.frame(timestamp = d$timestamp, s$time.series[, c("trend", "seasonal", "remainder")])
write.csv(out, a[3], row.names = FALSE)
REOF
cat >"$tmp/stl.py" <<'PEOF'
import sys, math
import numpy as np, pandas as pd
from statsmodels.tsa.seasonal import STL
d = pd.read_csv(sys.argv[1]); x = d["value"].to_numpy(); n = len(x); p = 288
periodic = sys.argv[2] == "periodic"
sw = 10 * n + 1 if periodic else int(sys.argv[2])
def nextodd(v):
    v = int(round(v)); return v + 1 if v % 2 == 0 else v
tw = nextodd(math.ceil(1.5 * p / (1 - 1.5 / sw))); lw = nextodd(p)
r = STL(x, period=p, seasonal=sw, trend=tw, low_pass=lw, seasonal_deg=0, trend_deg=1,
        low_pass_deg=1, seasonal_jump=math.ceil(sw / 10), trend_jump=math.ceil(tw / 10),
        low_pass_jump=math.ceil(lw / 10)).fit(inner_iter=2, outer_iter=0)
s = np.asarray(r.seasonal)
if periodic:
    s = np.array([s[i::p].mean() for i in range(p)])[np.arange(n) % p]
t = np.asarray(r.trend)
pd.DataFrame({"timestamp": d["timestamp"], "trend": t, "seasonal": s,
              "remainder": x - s - t}).to_csv(sys.argv[3], index=False)
PEOF

# best WALL CPU: the least wall-clock and the least CPU (user + sys) seconds of $runs runs
best() {
    local bw="" bc="" i w u sy c TIMEFORMAT='%R %U %S'
    for i in $(seq $runs); do
        { time "$@" >/dev/null 2>"$tmp/err"; } 2>"$tmp/time" || { cat "$tmp/err" >&2; echo "fail fail"; return; }
        read -r w u sy <"$tmp/time"
        c=$(echo "$u + $sy" | bc -l)
        if [ -z "$bw" ] || [ "$(echo "$w < $bw" | bc -l)" = 1 ]; then bw=$w; fi
        if [ -z "$bc" ] || [ "$(echo "$c < $bc" | bc -l)" = 1 ]; then bc=$c; fi
    done
    printf '%.3f %.3f' "$bw" "$bc"
}

have_r=0; command -v Rscript >/dev/null 2>&1 && have_r=1
have_sm=0; /usr/bin/python3 -c 'import statsmodels, pandas' 2>/dev/null && have_sm=1
echo "points: $n, period 288, best of $runs runs, whole process (read file, decompose, write file)"
echo "ratio = fastest reference / this program (> 1: nf-decompose is faster); CPU = user + sys"
printf '%-10s %-16s %8s %11s %9s %8s %9s\n' s.window program wall-s points/s ratio CPU-s CPU-ratio
for sw in 7 periodic; do
    ours=$(best sh -c "'$bin/nf-decompose' --period 288 --s-window $sw '$tmp/in.ndjson' >'$tmp/ours.$sw'")
    r="fail fail"; py="fail fail"
    [ $have_r = 1 ] && r=$(best Rscript "$tmp/stl.R" "$tmp/in.csv" "$sw" "$tmp/r.$sw")
    [ $have_sm = 1 ] && py=$(best /usr/bin/python3 "$tmp/stl.py" "$tmp/in.csv" "$sw" "$tmp/sm.$sw")
    refw=""; refc=""
    for t in "$r" "$py"; do
        set -- $t
        [ "$1" = fail ] && continue
        if [ -z "$refw" ] || [ "$(echo "$1 < $refw" | bc -l)" = 1 ]; then refw=$1; fi
        if [ -z "$refc" ] || [ "$(echo "$2 < $refc" | bc -l)" = 1 ]; then refc=$2; fi
    done
    for row in "nf-decompose:$ours" "R stl:$r" "statsmodels STL:$py"; do
        name=${row%%:*}
        set -- ${row#*:}
        if [ "$1" = fail ]; then printf '%-10s %-16s %8s\n' "$sw" "$name" "n/a"; continue; fi
        rw="-"; rc="-"
        [ -n "$refw" ] && rw=$(echo "scale=2; $refw / $1" | bc -l)
        [ -n "$refc" ] && rc=$(echo "scale=2; $refc / $2" | bc -l)
        printf '%-10s %-16s %8s %11.0f %9s %8s %9s\n' "$sw" "$name" "$1" "$(echo "$n / $1" | bc -l)" "$rw" "$2" "$rc"
    done
    if [ $have_r = 1 ] && [ -s "$tmp/r.$sw" ]; then
        # largest trend difference to R relative to the series range
        paste -d, <(sed 's/.*"value_trend":\([^,]*\),.*/\1/' "$tmp/ours.$sw") \
            <(tail -n +2 "$tmp/r.$sw" | cut -d, -f2) <(tail -n +2 "$tmp/in.csv" | cut -d, -f2) |
            awk -F, -v sw="$sw" 'NR == 1 { lo = $3; hi = $3 }
                { if ($3 < lo) lo = $3; if ($3 > hi) hi = $3; d = $1 - $2; if (d < 0) d = -d; if (d > m) m = d }
                END { printf "%-10s trend vs R: max |diff| / range = %.2g\n", sw, m / (hi - lo) }'
    fi
done
