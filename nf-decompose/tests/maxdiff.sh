#!/usr/bin/env bash
# maxdiff.sh OURS.ndjson REF.csv INPUT.csv
# OURS: nf-decompose output with value_trend, value_seasonal, value_remainder;
# REF: "trend,seasonal,remainder" per row from R or statsmodels; INPUT: the
# NAB CSV. Prints, per component, max over rows |ours - ref| / (max y - min y)
# of the input series y, and fails when the row counts differ.
set -eu
ours=$(wc -l <"$1")
ref=$(wc -l <"$2")
[ "$ours" -eq "$ref" ] || { echo "row counts differ: $ours vs $ref" >&2; exit 1; }
paste -d, <(sed 's/.*"value_trend":\([^,]*\),"value_seasonal":\([^,]*\),"value_remainder":\([^,}]*\)}$/\1,\2,\3/' "$1") \
    "$2" <(tail -n +2 "$3" | cut -d, -f2) |
    awk -F, 'NR == 1 { lo = $7; hi = $7 }
        NF != 7 { print "bad row " NR > "/dev/stderr"; exit 1 }
        { if ($7 < lo) lo = $7; if ($7 > hi) hi = $7
          for (i = 1; i <= 3; i++) { d = $i - $(i + 3); if (d < 0) d = -d; if (d > m[i]) m[i] = d } }
        END { r = hi - lo; printf "%.3g %.3g %.3g\n", m[1] / r, m[2] / r, m[3] / r }'
