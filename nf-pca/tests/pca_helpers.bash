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

# Compares two CSV files cell by cell: |a-b| <= tol * max(1, |b|).
# Prints the worst cell; fails when any cell is off or the shapes differ.
csv_close() { # A B TOL
    awk -F, -v tol="$3" '
    function abs(x) { return x < 0 ? -x : x }
    NR == FNR { for (i = 1; i <= NF; i++) a[FNR, i] = $i; na = FNR; wa = NF; next }
    { nb = FNR
      if (NF != wa) { print "width differs at line " FNR; bad = 1 }
      for (i = 1; i <= NF; i++) {
          d = abs(a[FNR, i] - $i); s = abs($i) > 1 ? abs($i) : 1
          if (d / s > worst) { worst = d / s; at = FNR ":" i }
      } }
    END { if (na != nb) { print "rows differ: " na " vs " nb; bad = 1 }
          printf "worst relative difference %.3g at %s\n", worst, at
          exit bad || worst > tol }' "$1" "$2"
}
