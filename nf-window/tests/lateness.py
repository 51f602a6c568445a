#!/usr/bin/env python3
"""Lateness of flow records as nf-window sees it, by brute force.

Reads flow NDJSON on stdin. A flow's lateness is how far its start
(FIRST_SWITCHED, or EXPORT_TIME when that is null) lies behind the newest
start seen before it. A flow more than MAX_GAP behind starts a new run
(nf-window's restart) and is not lateness. Prints one line:
  flows=N timeless=N runs=N late>0=N p50=S p99=S max=S   (seconds)
"""
import json
import sys

MAX_GAP_MS = 86400000

def main():
    newest = None
    lat = []
    flows = timeless = runs = 0
    for line in sys.stdin:
        rec = json.loads(line)
        flows += 1
        t = rec.get("FIRST_SWITCHED")
        if t is None:
            t = rec.get("EXPORT_TIME")
        if t is None:
            timeless += 1
            continue
        if newest is None or newest - t > MAX_GAP_MS:
            newest = t
            runs += 1
        newest = max(newest, t)
        lat.append(newest - t)
    lat.sort()
    def q(p):
        return lat[min(len(lat) - 1, int(p * len(lat)))] / 1000 if lat else 0
    print("flows=%d timeless=%d runs=%d late>0=%d p50=%g p99=%g max=%g" % (
        flows, timeless, runs, sum(1 for x in lat if x > 0), q(0.5), q(0.99),
        lat[-1] / 1000 if lat else 0))

main()
