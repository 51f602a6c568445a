"""Writes the nf-pca benchmark matrix: ROWS 5-minute rows of 116 features
driven by a few latent factors (daily and weekly cycles, a random walk,
bursts) plus noise; 60 count columns (integers) and 56 share columns
(doubles in full precision), as NDJSON and as the same numbers in CSV.
Usage: /usr/bin/python3 nf-pca-gen.py ROWS OUT.ndjson OUT.csv"""
import sys

import numpy as np

rows, nd_path, csv_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = np.random.default_rng(20240501)
t = np.arange(rows)
day = 2 * np.pi * t / 288
factors = np.column_stack([
    np.sin(day), np.cos(day), np.sin(day / 7), np.cos(2 * day),
    np.cumsum(rng.normal(0, 0.02, rows)),
    (rng.random(rows) < 0.01) * rng.exponential(3, rows),
    rng.normal(0, 1, rows), rng.normal(0, 1, rows),
])
nc, ns = 60, 56
load = rng.normal(0, 1, (factors.shape[1], nc + ns))
mix = factors @ load + rng.normal(0, 0.5, (rows, nc + ns))
counts = np.rint(np.exp(8 + 0.1 * mix[:, :nc]) * rng.uniform(0.5, 50, nc))
shares = 1 / (1 + np.exp(-0.3 * mix[:, nc:]))
names = ["f%03d" % (i + 1) for i in range(nc + ns)]
start = 1554336000000
times = start + 300000 * t
data = np.column_stack([times, counts, shares])
fmts = ["%d"] + ["%d"] * nc + ["%.17g"] * ns
head = '{"WINDOW_START":%d,' + ",".join('"%s":%s' % (n, f) for n, f in zip(names, fmts[1:])) + "}"
np.savetxt(nd_path, data, fmt=head)
np.savetxt(csv_path, data, fmt=fmts, delimiter=",", header=",".join(["WINDOW_START"] + names), comments="")
