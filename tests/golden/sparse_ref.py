#!/usr/bin/env python3
"""Independent reference of nf-pelt --sparse (nf-pelt/sparse.h), by brute force.

sparse_ref.py data ROWS STEP_ROW AMP MODE SEED
    30 columns of unit Gaussian noise (random.Random(SEED)); c0 and c1 step
    by AMP from row STEP_ROW on: at every hour (MODE all) or only between
    08:00 and 18:00 (MODE day, an offset of some hours); 5-minute rows.
sparse_ref.py split FILE MINSEG
    The best split of the whole series, every tau tried: S(tau) = sum over
    columns of max(0, G_j - 2 log d), G_j the mean cost's reduction at unit
    sigma; prints its row, the sum of the counted G_j, their number and the
    penalty 3 log n + k 2 log d (MBIC for one column), or "none" when no
    split has S above 3 log n.
Standard library only; nothing shared with the C code.
"""
import json
import math
import random
import sys


def data(rows, at, amp, mode, seed):
    rng = random.Random(seed)
    for r in range(rows):
        hour = r % 288 / 12
        on = r >= at and (mode == "all" or 8 <= hour < 18)
        row = {"WINDOW_START": 1554336000000 + r * 300000}
        for c in range(30):
            row["c%d" % c] = round(rng.gauss(0, 1) + (amp if on and c < 2 else 0), 6)
        print(json.dumps(row))


def cost(x):
    m = sum(x) / len(x)
    return sum((v - m) ** 2 for v in x)


def split(path, minseg):
    rows = [json.loads(line) for line in open(path)]
    cols = [k for k in rows[0] if k != "WINDOW_START"]
    n, d = len(rows), len(cols)
    alpha, beta = 2 * math.log(d), 3 * math.log(n)
    series = [[r[c] for r in rows] for c in cols]
    best = (0, None, 0, 0)
    for tau in range(minseg, n - minseg + 1):
        s = gain = 0
        k = 0
        for x in series:
            g = cost(x) - cost(x[:tau]) - cost(x[tau:])
            if g > alpha:
                s += g - alpha
                gain += g
                k += 1
        if s > best[0]:
            best = (s, tau, gain, k)
    if best[0] <= beta:
        print("none")
    else:
        print(best[1], "%.6f" % best[2], best[3], "%.6f" % (beta + best[3] * alpha))


if __name__ == "__main__":
    if sys.argv[1] == "data":
        data(*[int(a) for a in sys.argv[2:4]], float(sys.argv[4]), sys.argv[5], int(sys.argv[6]))
    else:
        split(sys.argv[2], int(sys.argv[3]))
