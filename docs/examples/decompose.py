#!/usr/bin/python3
"""decompose.py - a stand-in for `nf-decompose` written with statsmodels.

    nf-pca < features.ndjson | /usr/bin/python3 docs/examples/decompose.py --period 288 | nf-pelt ...

Reads NDJSON records (docs/records.md), decomposes every numeric column
(all but the time key and WINDOW_END, or those given with --columns) with
STL configured exactly as R's stats::stl defaults for the given period and
s.window, and writes each record's other keys followed by <col>_trend,
<col>_seasonal and <col>_remainder. Needs Debian's python3-statsmodels.
"""
import argparse
import json
import math
import sys

import numpy as np
from statsmodels.tsa.seasonal import STL


def nextodd(x):
    x = int(round(x))
    return x + 1 if x % 2 == 0 else x


def r_stl(x, period, s_window):
    """R's stl(x, s.window) defaults, through statsmodels' STL."""
    periodic = s_window == "periodic"
    sw = 10 * len(x) + 1 if periodic else int(s_window)
    s_degree = 0
    t_window = nextodd(math.ceil(1.5 * period / (1 - 1.5 / sw)))
    l_window = nextodd(period)
    fit = STL(x, period=period, seasonal=sw, trend=t_window, low_pass=l_window,
              seasonal_deg=s_degree, trend_deg=1, low_pass_deg=1,
              seasonal_jump=math.ceil(sw / 10), trend_jump=math.ceil(t_window / 10),
              low_pass_jump=math.ceil(l_window / 10)).fit(inner_iter=2, outer_iter=0)
    trend, seasonal = np.asarray(fit.trend), np.asarray(fit.seasonal)
    if periodic:  # R replaces the seasonal part by its mean at each cycle position
        pos = np.arange(len(x)) % period
        means = np.array([seasonal[pos == k].mean() for k in range(period)])
        seasonal = means[pos]
    return trend, seasonal, x - trend - seasonal


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--period", type=int, required=True)
    ap.add_argument("--s-window", default="periodic")
    ap.add_argument("--time-key", default="WINDOW_START")
    ap.add_argument("--columns", help="comma-separated column names")
    args = ap.parse_args()
    rows = [json.loads(line) for line in sys.stdin if line.strip()]
    if args.columns:
        cols = args.columns.split(",")
    else:
        cols = []
        for r in rows:
            for k, v in r.items():
                if k not in (args.time_key, "WINDOW_END") and k not in cols and \
                        isinstance(v, (int, float)) and not isinstance(v, bool):
                    cols.append(k)
    parts = {c: r_stl(np.array([float(r[c]) for r in rows]), args.period, args.s_window) for c in cols}
    for i, r in enumerate(rows):
        out = {k: v for k, v in r.items() if k not in cols}
        for c in cols:
            t, s, e = parts[c]
            out[c + "_trend"], out[c + "_seasonal"], out[c + "_remainder"] = t[i], s[i], e[i]
        print(json.dumps(out, separators=(",", ":")))


if __name__ == "__main__":
    main()
