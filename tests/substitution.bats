#!/usr/bin/env bats
# Any program that honours docs/records.md can replace a stage: the awk,
# Python and R examples in docs/examples/ give what the C stage gives
# (docs/substitution.md).

load helpers

setup() {
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
    EX="$NF_TOP/docs/examples"
}

nab_series() {
    nf-parse --format series "$DATA/nab/ec2_network_in_257a54.csv"
}

@test "substitution: window.awk gives nf-window's aggregates (same records, after sort)" {
    require_cmd awk
    nf-parse "$DATA/ctu-argus-24h.binetflow" >"$TMP/flows"
    nf-window <"$TMP/flows" | LC_ALL=C sort >"$TMP/c"
    awk -f "$EX/window.awk" <"$TMP/flows" | LC_ALL=C sort >"$TMP/awk"
    [ "$(wc -l <"$TMP/c")" -gt 288 ]
    cmp "$TMP/c" "$TMP/awk"
}

@test "substitution: nf-features reads window.awk's output and gives the same features" {
    require_cmd awk
    nf-parse "$DATA/ctu-argus-24h.binetflow" >"$TMP/flows"
    nf-window <"$TMP/flows" | nf-features --internal 10.8.0.0/24 >"$TMP/c"
    awk -f "$EX/window.awk" <"$TMP/flows" | LC_ALL=C sort | nf-features --internal 10.8.0.0/24 >"$TMP/awk"
    # Records reach nf-features in another order inside a window, so sums of
    # doubles (standard deviations) may differ in the last bit: compare to 1e-12.
    python3 - "$TMP/c" "$TMP/awk" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b) == 288, (len(a), len(b))
for x, y in zip(a, b):
    assert list(x) == list(y)
    for k in x:
        assert abs(x[k] - y[k]) <= 1e-12 * max(1.0, abs(x[k])), (k, x[k], y[k])
PY
}

@test "substitution: decompose.py (statsmodels) agrees with nf-decompose within 1e-6 of the range" {
    require_py statsmodels
    nab_series >"$TMP/series"
    nf-decompose --period 288 --s-window periodic <"$TMP/series" >"$TMP/c"
    /usr/bin/python3 "$EX/decompose.py" --period 288 --s-window periodic <"$TMP/series" >"$TMP/py"
    /usr/bin/python3 - "$TMP/c" "$TMP/py" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b) > 0
vals = [r["value_trend"] + r["value_seasonal"] + r["value_remainder"] for r in a]
tol = 1e-6 * (max(vals) - min(vals))
worst = max(abs(x[k] - y[k]) for x, y in zip(a, b) for k in ("value_trend", "value_seasonal", "value_remainder"))
print("worst difference", worst, "tolerance", tol)
assert worst <= tol, worst
PY
}

@test "substitution: pca.R (prcomp) agrees with nf-pca within 1e-8 and feeds nf-decompose" {
    require_cmd Rscript
    Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || skip "needs r-cran-jsonlite"
    nf-parse "$DATA/ctu-argus-24h.binetflow" | nf-window | nf-features --internal 10.8.0.0/24 >"$TMP/features"
    nf-pca --components 3 <"$TMP/features" >"$TMP/c"
    Rscript "$EX/pca.R" 3 <"$TMP/features" >"$TMP/r"
    /usr/bin/python3 - "$TMP/c" "$TMP/r" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b) > 0
worst = 0.0
for k in ("pc1", "pc2", "pc3", "spe", "t2"):
    scale = max(1.0, max(abs(r[k]) for r in a))
    worst = max(worst, max(abs(x[k] - y[k]) / scale for x, y in zip(a, b)))
print("worst relative difference", worst)
assert worst < 1e-8, worst
PY
    nf-decompose --period 12 --columns 'pc*' <"$TMP/r" >"$TMP/dec"
    [ "$(wc -l <"$TMP/dec")" -eq "$(wc -l <"$TMP/r")" ]
}
