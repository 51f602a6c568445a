# Fixtures and comparisons for the nf-pca bats files.

# A real multi-column matrix from one NAB series: the value and its LAGS
# previous values (v0..vLAGS), as NDJSON (with a text time key and a label
# to pass through) and as CSV with a header.
make_nab_lagged() { # CSV_IN LAGS OUT_NDJSON OUT_CSV
    awk -F, -v lags="$2" -v nd="$3" -v csv="$4" '
    NR == 1 { h = "v0"; for (k = 1; k <= lags; k++) h = h ",v" k; print h > csv; next }
    { v[NR] = $2
      if (NR <= lags + 1) next
      line = "{\"WINDOW_START\":\"" $1 "\""; row = ""
      for (k = 0; k <= lags; k++) {
          line = line ",\"v" k "\":" v[NR - k]
          row = row (k ? "," : "") v[NR - k]
      }
      print line ",\"label\":\"nab\"}" > nd; print row > csv }' "$1"
}

# Real feature-like data: per-5-minute aggregates of the Argus flows of
# data/ctu-argus-24h.binetflow (flows, packets, bytes, source share, TCP/UDP
# counts, distinct destinations and ports, mean duration).
make_argus_features() { # OUT_NDJSON OUT_CSV
    awk -F, -v nd="$1" -v csv="$2" '
    NR == 1 { next }
    { split($1, d, /[\/ :.]/)
      b = d[4] * 12 + int(d[5] / 5) + (d[3] == "05" ? 288 : 0)
      if (!(b in flows)) order[++nb] = b
      key[b] = sprintf("%s/%s/%s %02d:%02d:00", d[1], d[2], d[3], d[4], int(d[5] / 5) * 5)
      flows[b]++; pk[b] += $12; by[b] += $13; sb[b] += $14; sp[b] += $15; dur[b] += $2
      if ($3 == "tcp") tcp[b]++; else if ($3 == "udp") udp[b]++
      if (!((b, $7) in seen)) { seen[b, $7] = 1; dst[b]++ }
      if (!((b, "p" $8) in seen)) { seen[b, "p" $8] = 1; dport[b]++ } }
    END {
      print "flows,packets,bytes,src_bytes,src_packets,tcp,udp,dsts,dports,mean_dur" > csv
      for (i = 1; i <= nb; i++) {
          b = order[i]
          printf "{\"WINDOW_START\":\"%s\",\"flows\":%d,\"packets\":%d,\"bytes\":%d,\"src_bytes\":%d,\"src_packets\":%d,\"tcp\":%d,\"udp\":%d,\"dsts\":%d,\"dports\":%d,\"mean_dur\":%.17g,\"host\":\"10.8.0.69\"}\n", key[b], flows[b], pk[b], by[b], sb[b], sp[b], tcp[b] + 0, udp[b] + 0, dst[b], dport[b], dur[b] / flows[b] > nd
          printf "%d,%d,%d,%d,%d,%d,%d,%d,%d,%.17g\n", flows[b], pk[b], by[b], sb[b], sp[b], tcp[b] + 0, udp[b] + 0, dst[b], dport[b], dur[b] / flows[b] > csv
      } }' "$DATA/ctu-argus-24h.binetflow"
}

# The values of the given keys of each NDJSON line, as CSV.
to_csv() { # FILE KEY...
    local f=$1
    shift
    awk -v keys="$*" 'BEGIN { n = split(keys, k, " ") }
    { row = ""
      for (i = 1; i <= n; i++) {
          p = index($0, "\"" k[i] "\":")
          if (!p) { v = "NA" } else {
              s = substr($0, p + length(k[i]) + 3)
              v = substr(s, 1, match(s, /[,}]/) - 1)
          }
          row = row (i > 1 ? "," : "") v
      }
      print row }' "$f"
}

# The loadings of a model file, one component per line.
model_loadings() { sed -e 's/.*"loadings":\[\[//' -e 's/\]\].*//' -e 's/\],\[/\n/g' "$1"; }
# One array member of a model file on one line.
model_array() { sed -e "s/.*\"$2\":\[//" -e 's/\].*//' "$1"; }

# Compares two CSV files cell by cell, relative to each column's scale:
# |a-b| <= tol * max(1, largest |b| in the column), so a score near 0 in
# a column of millions is judged against the millions. Prints the worst
# cell; fails when any cell is off or the shapes differ.
csv_close() { # A B TOL
    awk -F, -v tol="$3" '
    function abs(x) { return x < 0 ? -x : x }
    NR == FNR { for (i = 1; i <= NF; i++) a[FNR, i] = $i; na = FNR; wa = NF; next }
    { nb = FNR
      if (NF != wa) { print "width differs at line " FNR; bad = 1 }
      for (i = 1; i <= NF; i++) { b[FNR, i] = $i; if (abs($i) > m[i]) m[i] = abs($i) } }
    END { if (na != nb) { print "rows differ: " na " vs " nb; bad = 1 }
          for (r = 1; r <= nb; r++)
              for (i = 1; i <= wa; i++) {
                  d = abs(a[r, i] - b[r, i]) / (m[i] > 1 ? m[i] : 1)
                  if (d > worst) { worst = d; at = r ":" i }
              }
          printf "worst difference %.3g (relative to the column scale) at %s\n", worst, at
          exit bad || worst > tol }' "$1" "$2"
}

# The model's columns of each NDJSON row, as CSV with a header (for the references).
model_matrix() { # MODEL NDJSON
    local cols
    cols=$(sed -e 's/.*"columns":\[//' -e 's/\].*//' -e 's/"//g' "$1")
    echo "$cols"
    to_csv "$2" ${cols//,/ }
}

# Runs nf-pca and a reference (r: prcomp_ref.R, sk: sklearn_ref.py) on the
# same rows and compares scores, spe, t2 (1e-8), loadings (1e-8),
# eigenvalues (1e-8, absolute below 1) and, for R, the limits (1e-10).
compare_with() { # REF NDJSON K SCALE(1|0) FITROWS(0 = all)
    local ref=$1 in=$2 k=$3 sc=$4 fr=$5 d=$BATS_TEST_TMPDIR/cmp.$1 opts=()
    mkdir -p "$d"
    [ "$sc" = 1 ] || opts+=(--no-scale)
    [ "$fr" = 0 ] || opts+=(--fit-rows "$fr")
    nf-pca --components "$k" "${opts[@]}" --save-model "$d/m.json" "$in" > "$d/out" 2> "$d/err"
    model_matrix "$d/m.json" "$in" > "$d/x.csv"
    if [ "$ref" = r ]; then
        Rscript "$BATS_TEST_DIRNAME/prcomp_ref.R" "$d/x.csv" "$k" "$sc" 0.01 "$fr" "$d/ref"
    else
        /usr/bin/python3 "$BATS_TEST_DIRNAME/sklearn_ref.py" "$d/x.csv" "$k" "$sc" "$fr" "$d/ref"
    fi
    to_csv "$d/out" $(seq -f 'pc%g' 1 "$k") spe t2 > "$d/scores.csv"
    model_loadings "$d/m.json" > "$d/load.csv"
    model_array "$d/m.json" eigenvalues > "$d/eig.csv"
    echo "scores:" && csv_close "$d/scores.csv" "$d/ref_scores.csv" 1e-8
    echo "loadings:" && csv_close "$d/load.csv" "$d/ref_load.csv" 1e-8
    echo "eigenvalues:" && csv_close "$d/eig.csv" "$d/ref_eig.csv" 1e-8
    if [ "$ref" = r ]; then
        to_csv "$d/out" spe_limit t2_limit | head -1 > "$d/limits.csv"
        echo "limits:" && csv_close "$d/limits.csv" "$d/ref_limits.csv" 1e-10
    fi
}

# Feature vectors of the Argus day from the real pipeline, when it is built.
make_pipeline_features() { # OUT_NDJSON
    local t
    for t in nf-parse nf-window nf-features; do
        [ -x "$NF_BIN/$t" ] || skip "needs $t"
    done
    nf-parse "$DATA/ctu-argus-24h.binetflow" | nf-window | nf-features --internal 10.0.0.0/8 > "$1"
}

# Wide input (fewer rows than columns, nf-pca's Gram route): NROWS rows of
# NCOLS columns c0.. built from three latent factors plus noise, one
# constant column (c1), seeded so every run writes the same numbers.
make_wide() { # NROWS NCOLS OUT_NDJSON
    awk -v n="$1" -v p="$2" 'BEGIN {
        srand(7)
        for (j = 0; j < p; j++) for (f = 0; f < 3; f++) w[f, j] = rand() - 0.5
        for (i = 0; i < n; i++) {
            for (f = 0; f < 3; f++) s[f] = (rand() - 0.5) * (6 - 2 * f)
            line = "{\"WINDOW_START\":" (1577836800000 + i * 300000)
            for (j = 0; j < p; j++) {
                v = j == 1 ? 5 : s[0] * w[0, j] + s[1] * w[1, j] + s[2] * w[2, j] + 0.1 * (rand() - 0.5)
                line = line sprintf(",\"c%d\":%.6f", j, v)
            }
            print line ",\"label\":\"wide\"}"
        } }' > "$3"
}
