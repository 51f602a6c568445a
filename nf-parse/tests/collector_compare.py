#!/usr/bin/env python3
"""Compares two NDJSON flow streams (nf-parse output) as nfacctd would see
them: flows are grouped by (IP_SRC_ADDR, IP_DST_ADDR, L4_SRC_PORT,
L4_DST_PORT, PROTOCOL_NUM) and IN_PKTS and IN_BYTES are summed per group
(nfacctd aggregates flows that share its primitives into one record, so a
sum is what both sides have in common). Exit 0 when every group has the
same sums on both sides; otherwise prints the first differences.
Usage: collector_compare.py A.ndjson B.ndjson"""
import json, sys
from collections import defaultdict

def groups(path):
    g = defaultdict(lambda: [0, 0])
    for line in open(path):
        r = json.loads(line)
        k = (r["IP_SRC_ADDR"], r["IP_DST_ADDR"], r["L4_SRC_PORT"], r["L4_DST_PORT"], r["PROTOCOL_NUM"])
        g[k][0] += r["IN_PKTS"]
        g[k][1] += r["IN_BYTES"]
    return g

a, b = groups(sys.argv[1]), groups(sys.argv[2])
bad = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
for k in bad[:10]:
    print("differs:", k, a.get(k), b.get(k), file=sys.stderr)
print(len(a), "groups,", len(bad), "differ", file=sys.stderr)
sys.exit(1 if bad else 0)
