#!/usr/bin/env python3
"""Independent check of nf-features --flow-medians (docs/features.md,
"Flow medians"): recomputes the five medians of every output window from
the flow records themselves (nf-parse output, each flow in the window of
its FIRST_SWITCHED) with ipaddress and statistics, sharing no code with
the C tool, and prints each disagreement.

usage: medians_ref.py FLOWS.ndjson FEATURES.ndjson CIDR[,CIDR] POOL SPAN_S
Exit 0 when every value agrees within a relative 1e-9, 1 otherwise."""
import ipaddress
import json
import statistics
import sys

NAMES = ["int_packets_median", "int_bytes_median", "ext_packets_median",
         "ext_bytes_median", "ext_packet_size_median"]


def main(flows_path, features_path, cidrs, pool, span_s):
    nets = [ipaddress.ip_network(c) for c in cidrs.split(",")]
    rows = [json.loads(l) for l in open(features_path)]
    width = rows[0]["WINDOW_END"] - rows[0]["WINDOW_START"]

    def inside(a):
        ip = ipaddress.ip_address(a)
        return any(ip.version == n.version and ip in n for n in nets)

    win = {}
    for line in open(flows_path):
        r = json.loads(line)
        if r.get("FIRST_SWITCHED") is None or r["IP_SRC_ADDR"] is None or r["IP_DST_ADDR"] is None:
            continue
        s_in, d_in = inside(r["IP_SRC_ADDR"]), inside(r["IP_DST_ADDR"])
        if s_in == d_in:
            continue
        fwd, rev = (r["IN_PKTS"], r["IN_BYTES"]), (r["OUT_PKTS"], r["OUT_BYTES"])
        (ip, ib), (ep, eb) = (fwd, rev) if s_in else (rev, fwd)
        w = r["FIRST_SWITCHED"] // width * width
        cols = win.setdefault(w, [[], [], [], [], []])
        for c, v in zip(cols, (ip, ib, ep, eb)):
            c.append(v)
        if ep > 0:
            cols[4].append(eb / ep)
    bad = 0
    for row in rows:
        w = row["WINDOW_START"]
        got = [list(c) for c in win.get(w, [[]] * 5)]
        back = 1
        while len(got[0]) < pool and back * width <= span_s * 1000:
            for c, more in zip(got, win.get(w - back * width, [[]] * 5)):
                c.extend(more)
            back += 1
        for name, c in zip(NAMES, got):
            want = statistics.median(c) if c else 0
            if abs(row[name] - want) > 1e-9 * max(1.0, abs(want)):
                print("%d %s: nf-features %r, reference %r" % (w, name, row[name], want))
                bad += 1
    print("%d windows, %d values differ" % (len(rows), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
