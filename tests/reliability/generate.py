#!/usr/bin/env python3
"""Writes the big reproducers of ../shared/reliability/ into the directory
argv[1] instead of committing them (see README.md here). The three key-heavy
files come out byte-identical to the shared ones; pca-wide-50x2000.ndjson
has the same shape (50 rows x 2,000 columns, values 0.000-0.999, seeded)
but its own random values. window-shuffled-argus.ndjson is the same flows
in another order: given argv[2], the flow records nf-parse makes of
data/ctu-argus-24h.binetflow, it writes them shuffled with a fixed seed.
Usage: generate.py OUT [ARGUS_FLOWS_NDJSON]"""
import json
import os
import random
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, lines):
    with open(os.path.join(out, name), "w") as f:
        for line in lines:
            f.write(line + "\n")


flow = {"ID": 0, "IP_SRC_ADDR": "10.0.0.1", "IP_DST_ADDR": "10.0.1.1", "L4_SRC_PORT": 1,
        "L4_DST_PORT": 2, "PROTOCOL_NUM": 6, "FIRST_SWITCHED": 1554336000000,
        "LAST_SWITCHED": 1554336000000, "IN_PKTS": 1, "IN_BYTES": 60}
many = []
for i in range(1, 4):
    rec = dict(flow, ID=i)
    rec.update(("x%d" % k, k) for k in range(20000))
    many.append(json.dumps(rec))
write("flows-manykeys.ndjson", many)


def compact(pairs):
    return "{" + ",".join('"%s":%s' % kv for kv in pairs) + "}"


start = 1577836800000
write("nf-features-scratch-uaf.ndjson", [
    compact([("WINDOW_START", start)] + [("c%d" % k, 0) for k in range(20000)]),
    compact([("WINDOW_START", start + 300000)] + [("c%d" % k, k % 13) for k in range(20000)])])
write("quadratic-keys40000.ndjson",
      [compact([("WINDOW_START", start)] + [("k%d" % k, 1) for k in range(40000)])])

rnd = random.Random(13)
write("pca-wide-50x2000.ndjson", [
    compact([("WINDOW_START", start + r * 300000)] +
            [("c%d" % k, "%.3f" % rnd.random()) for k in range(2000)]) for r in range(50)])


if len(sys.argv) > 2:
    with open(sys.argv[2]) as f:
        lines = f.readlines()
    random.Random(1).shuffle(lines)
    with open(os.path.join(out, "window-shuffled-argus.ndjson"), "w") as f:
        f.writelines(lines)
