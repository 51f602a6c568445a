#!/usr/bin/env bats
# --sigma ar1, nf-pelt's default noise scale (nf-pelt/ar1.h): the AR(1)
# long-run SD of the residuals of its own segmentation, checked against
# statsmodels; and plain nf-pelt on the Turing Change Point Dataset dev
# series (issue 16 target 4), scored as van den Burg & Williams (2020).
load ../../tests/helpers

setup() {
    T=$BATS_TEST_TMPDIR
}

# n rows of AR(1) noise (rho, scale 1) or MA(1) noise (theta) with shifts
# at rows 200 and 450, seeded: KIND PARAM
noisy_steps() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
import numpy as np
kind, a = sys.argv[1], float(sys.argv[2])
rng = np.random.default_rng(16)
e = rng.standard_normal(700)
u = np.empty(700)
u[0] = e[0]
for t in range(1, 700):
    u[t] = a * u[t - 1] + e[t] if kind == "ar" else e[t] + a * e[t - 1]
level = np.where(np.arange(700) < 200, 0.0, np.where(np.arange(700) < 450, 8.0, 3.0))
for t, v in enumerate(level + u):
    print(json.dumps({"t": t, "x": round(float(v), 6)}))
PY
}

# statsmodels' acf of the residuals about the segment means of INDICES
# (comma-separated), the long-run SD from it and IQR/1.349 of the values:
# prints "sigma rho start".
reference_scale() { # FILE INDICES
    /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
import numpy as np
from statsmodels.tsa.stattools import acf
x = np.array([json.loads(l)["x"] for l in open(sys.argv[1])])
cps = [int(c) for c in sys.argv[2].split(",") if c]
r = x.copy()
for a, b in zip([0] + cps, cps + [len(x)]):
    r[a:b] -= x[a:b].mean()
rho = acf(r, nlags=1, fft=False)[1]
g0 = np.mean(r ** 2)
rc = min(max(rho, 0.0), 0.99)
q1, q3 = np.percentile(x, [25, 75])  # numpy's default is R's type 7
print("%.12g %.12g %.12g" % (np.sqrt(g0 * (1 + rc) / (1 - rc)), rho, (q3 - q1) / 1.3489795003921634))
PY
}

# "sigma rho start" from nf-pelt -v, then the change points' indices.
run_ar1() { # FILE [options]
    local f=$1
    shift
    nf-pelt -v --time-key t "$@" "$f" >"$T/cp" 2>"$T/err"
    sed -n 's/.*sigma \([^ ]*\) (ar1: rho \([^,]*\), start \([^,]*\), \([0-9]*\) PELT runs).*/\1 \2 \3/p' "$T/err"
}

indices() { sed 's/.*"index":\([0-9]*\).*/\1/' "$T/cp" | paste -sd,; }

close() { # A B RELATIVE
    /usr/bin/awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; exit !(d <= r * m + 1e-12) }'
}

@test "ar1: sigma is the AR(1) long-run SD of its own segmentation's residuals (statsmodels acf), from IQR/1.349" {
    require_py statsmodels
    noisy_steps ar 0.6 >"$T/s.ndjson"
    read -r sigma rho start < <(run_ar1 "$T/s.ndjson")
    cps=$(indices)
    [ -n "$sigma" ] && [ -n "$cps" ]
    read -r want_sigma want_rho want_start < <(reference_scale "$T/s.ndjson" "$cps")
    echo "nf-pelt: $sigma $rho $start cps $cps; statsmodels: $want_sigma $want_rho $want_start" >&2
    close "$sigma" "$want_sigma" 1e-7
    close "$rho" "$want_rho" 1e-7
    close "$start" "$want_start" 1e-7
    # the shifts are found: within 5 rows of 200 and 450
    /usr/bin/python3 -c 'import sys; c = [int(v) for v in sys.argv[1].split(",")]; assert all(any(abs(v - t) <= 5 for v in c) for t in (200, 450)), c' "$cps"
    # a fixed point: the same scale given by hand gives the same change points
    [ "$(nf-pelt --time-key t --sigma "$sigma" "$T/s.ndjson" | sed 's/.*"index":\([0-9]*\).*/\1/' | paste -sd,)" = "$cps" ]
}

@test "ar1: autocorrelated noise raises the scale above the residual SD by sqrt((1+rho)/(1-rho))" {
    noisy_steps ar 0.6 >"$T/s.ndjson"
    read -r sigma rho start < <(run_ar1 "$T/s.ndjson")
    # AR(1) with rho 0.6 and unit innovations: residual SD 1.25, long-run SD 2.5
    /usr/bin/awk -v s="$sigma" -v r="$rho" 'BEGIN { exit !(r > 0.45 && r < 0.75 && s > 2.0 && s < 3.0) }'
    # the i.i.d. estimate (--sigma diff) sees only the differences: sqrt(1.25 (1 - 0.6)) = 0.79
    d=$(nf-pelt -v --time-key t --sigma diff "$T/s.ndjson" 2>&1 >/dev/null | sed -n 's/.*sigma \([0-9.]*\),.*/\1/p')
    /usr/bin/awk -v d="$d" 'BEGIN { exit !(d > 0.6 && d < 1.0) }'
}

@test "ar1: negative autocorrelation is clipped to 0: sigma is the residuals' RMS (statsmodels)" {
    require_py statsmodels
    noisy_steps ma -0.8 >"$T/s.ndjson"
    read -r sigma rho start < <(run_ar1 "$T/s.ndjson")
    /usr/bin/awk -v r="$rho" 'BEGIN { exit !(r < -0.3) }'
    read -r want_sigma want_rho want_start < <(reference_scale "$T/s.ndjson" "$(indices)")
    close "$sigma" "$want_sigma" 1e-7
}

@test "ar1: a random walk gets one change point, not a staircase (its scale grows with the wander)" {
    /usr/bin/python3 -c '
import json, numpy as np
x = np.cumsum(np.random.default_rng(3).standard_normal(800))
for t, v in enumerate(x): print(json.dumps({"t": t, "x": round(float(v), 6)}))' >"$T/rw.ndjson"
    run nf-pelt --time-key t "$T/rw.ndjson"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -le 1 ]
    # the i.i.d. scale cuts the walk into a staircase
    [ "$(nf-pelt --time-key t --sigma diff "$T/rw.ndjson" | grep -c index)" -gt 10 ]
}

@test "ar1: --joint takes each column's scale from the joint segmentation; --crops and --method op run with it" {
    require_py statsmodels
    noisy_steps ar 0.6 | /usr/bin/python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l); r["y"] = -2 * r["x"] + 1; print(json.dumps(r))' >"$T/j.ndjson"
    nf-pelt -v --joint --time-key t "$T/j.ndjson" >"$T/cp" 2>"$T/err"
    [ "$(grep -c 'ar1: rho' "$T/err")" -eq 2 ]
    sx=$(sed -n 's/^nf-pelt: x: .*sigma \([^ ]*\) (ar1.*/\1/p' "$T/err")
    sy=$(sed -n 's/^nf-pelt: y: .*sigma \([^ ]*\) (ar1.*/\1/p' "$T/err")
    close "$sy" "$(/usr/bin/awk -v s="$sx" 'BEGIN { printf "%.12g", 2 * s }')" 1e-6
    nf-pelt --time-key t --method op "$T/j.ndjson" | cmp - <(nf-pelt --time-key t "$T/j.ndjson")
    run nf-pelt --time-key t --columns x --crops 5,50 "$T/j.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *'"penalty_min"'* ]]
}

@test "ar1: --sigma-block goes with --sigma auto only (usage error, exit 2)" {
    noisy_steps ar 0.6 >"$T/s.ndjson"
    run nf-pelt --time-key t --sigma-block 10 "$T/s.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--sigma-block goes with --sigma auto"* ]]
    run nf-pelt --time-key t --sigma auto --sigma-block 10 "$T/s.ndjson"
    [ "$status" -eq 0 ]
}

@test "ar1: --online estimates the scale on the first window: both shifts, and no staircase on a random walk" {
    noisy_steps ar 0.6 >"$T/s.ndjson"
    run nf-pelt --online --online-window 300 --time-key t "$T/s.ndjson"
    [ "$status" -eq 0 ]
    /usr/bin/python3 -c '
import json, sys
c = [json.loads(l)["index"] for l in sys.argv[1].splitlines() if l.startswith("{")]
assert all(any(abs(v - t) <= 5 for v in c) for t in (200, 450)), c' "$output"
    /usr/bin/python3 -c '
import json, numpy as np
x = np.cumsum(np.random.default_rng(3).standard_normal(800))
for t, v in enumerate(x): print(json.dumps({"t": t, "x": round(float(v), 6)}))' >"$T/rw.ndjson"
    [ "$(nf-pelt --online --online-window 300 --time-key t "$T/rw.ndjson" 2>/dev/null | grep -c index)" -le 1 ]
    # the robust block scale (the pipeline's --sigma auto) cuts the walk's wander
    [ "$(nf-pelt --online --sigma auto --online-window 300 --time-key t "$T/rw.ndjson" 2>/dev/null | grep -c index)" -gt 5 ]
}

# ---------------------------------------------------------------- TCPD dev

TCPD=$SHARED/tcpd-dev

@test "tcpd: the scorer reproduces the paper's published per-series F1 and Cover of \"zero\" (no change point)" {
    [ -d "$TCPD" ] || skip "needs ../shared/data/tcpd-dev"
    python3 - "$NF_TOP/scripts/evaluate" "$TCPD" <<'PY'
import importlib.machinery, importlib.util, json, sys
loader = importlib.machinery.SourceFileLoader("ev", sys.argv[1])
spec = importlib.util.spec_from_loader("ev", loader)
ev = importlib.util.module_from_spec(spec)
loader.exec_module(ev)
base = sys.argv[2]
ann = json.load(open(base + "/annotations.json"))
pub = json.load(open(base + "/published_default_scores.json"))
for name in sorted(ann):
    n = json.load(open("%s/%s/%s.json" % (base, name, name)))["n_obs"]
    a = list(ann[name].values())
    f1, cover = ev.tcpd_f1([], a, n), ev.tcpd_cover([], a, n)
    assert abs(f1 - pub["f1"][name]["zero"]) < 1e-9, (name, f1, pub["f1"][name]["zero"])
    assert abs(cover - pub["cover"][name]["zero"]) < 1e-9, (name, cover, pub["cover"][name]["zero"])
print(len(ann))
PY
}

@test "tcpd: plain nf-pelt (no options) scores at least binary segmentation's F1 0.70 and Cover 0.67 on the 13 univariate series" {
    [ -d "$TCPD" ] || skip "needs ../shared/data/tcpd-dev"
    EVAL_OUT=$T/eval.md run python3 "$NF_TOP/scripts/evaluate" --only tcpd
    [ "$status" -eq 0 ]
    mean=$(grep '^| \*\*mean\*\*' "$T/eval.md")
    [ "$(grep -c '^| [a-z0-9_]* | [0-9]' "$T/eval.md")" -eq 13 ]
    f1=$(printf '%s\n' "$mean" | awk -F'|' '{ gsub(/[* ]/, "", $4); print $4 }')
    cover=$(printf '%s\n' "$mean" | awk -F'|' '{ gsub(/[* ]/, "", $5); print $5 }')
    echo "plain nf-pelt on tcpd-dev: F1 $f1, Cover $cover" >&2
    /usr/bin/awk -v f="$f1" -v c="$cover" 'BEGIN { exit !(f >= 0.70 && c >= 0.67) }'
}
