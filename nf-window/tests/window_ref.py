#!/usr/bin/env python3
"""Independent reference for nf-window's aggregates, written differently:
Python's ipaddress for subnets, exact Fractions for --split, and one pass
holding every window in a dict (no streaming). Standard library only.

Usage: window_ref.py [--window S] [--prefix4 N] [--prefix6 N] [--split]
                     [--uniflow] [--no-fill] [--max-gap S] < flows.ndjson > aggregates
"""
import argparse
import ipaddress
import json
import sys
from fractions import Fraction


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--window", type=int, default=300)
    ap.add_argument("--prefix4", type=int, default=24)
    ap.add_argument("--prefix6", type=int, default=64)
    ap.add_argument("--split", action="store_true")
    ap.add_argument("--uniflow", action="store_true")
    ap.add_argument("--no-fill", action="store_true")
    ap.add_argument("--max-gap", type=int, default=86400)
    a = ap.parse_args()
    width = a.window * 1000
    sums = {}  # (window start, key) -> [flows, packets, bytes]

    def add(w, key, fl, pk, by):
        s = sums.setdefault((w, key), [0, 0, 0])
        s[0] += fl
        s[1] += pk
        s[2] += by

    def place(t, end, key, flows, pk, by):
        w0 = t // width * width
        if not a.split or end <= t or (end - 1) // width * width == w0:
            add(w0, key, flows, pk, by)
            return
        wins = list(range(w0, (end - 1) // width * width + 1, width))
        span = end - t
        overlap = [min(end, w + width) - max(t, w) for w in wins]
        for idx, total in ((1, pk), (2, by)):
            quota = [Fraction(total * o, span) for o in overlap]
            share = [q.numerator // q.denominator for q in quota]
            order = sorted(range(len(wins)), key=lambda i: (-(quota[i] - share[i]), i))
            for i in order[: total - sum(share)]:
                share[i] += 1
            for i, w in enumerate(wins):
                v = [0, 0, 0]
                v[idx] = share[i]
                if idx == 1 and i == 0:
                    v[0] = flows
                if any(v):
                    add(w, key, *v)

    for line in sys.stdin:
        if not line.strip():
            continue
        f = json.loads(line)
        t = f["FIRST_SWITCHED"]
        end = f["LAST_SWITCHED"]
        if t is None:
            t = end = f.get("EXPORT_TIME")
            if t is None:
                continue
        keys = []
        for name, addr in (("src", f["IP_SRC_ADDR"]), ("dst", f["IP_DST_ADDR"])):
            ip = ipaddress.ip_address(addr)
            plen = a.prefix4 if ip.version == 4 else a.prefix6
            keys.append(ipaddress.ip_network((ip, plen), strict=False))
        flows = f.get("FLOWS", 1)
        ipk, iby = f["IN_PKTS"], f["IN_BYTES"]
        opk, oby = f.get("OUT_PKTS", 0), f.get("OUT_BYTES", 0)
        if a.uniflow:  # each direction that carried traffic its own flow, reverse key
            parts = [((keys[0], keys[1], f["PROTOCOL_NUM"]), flows, ipk, iby)]
            if opk or oby:
                parts.append(((keys[1], keys[0], f["PROTOCOL_NUM"]), flows, opk, oby))
        else:
            parts = [((keys[0], keys[1], f["PROTOCOL_NUM"]), flows, ipk + opk, iby + oby)]
        for key, fl, pk, by in parts:
            place(t, end, key, fl, pk, by)

    def order(item):
        (w, (s, d, p)) = item[0], item[1]
        return (w, s.version, s.network_address.packed, s.prefixlen,
                d.version, d.network_address.packed, d.prefixlen, p)

    rows = sorted(((w, k) for (w, k), v in sums.items() if any(v)), key=lambda x: order(x))
    out = sys.stdout
    prev = None
    for w, (s, d, p) in rows:
        if prev is not None and w != prev and not a.no_fill:
            gap = w - (prev + width)
            if gap > a.max_gap * 1000:
                print("gap", prev + width, w, file=sys.stderr)
            else:
                for e in range(prev + width, w, width):
                    out.write('{"WINDOW_START":%d,"WINDOW_END":%d,"SRC_NET":null,"DST_NET":null,'
                              '"PROTOCOL_NUM":null,"FLOWS":0,"PACKETS":0,"BYTES":0}\n' % (e, e + width))
        prev = w
        fl, pk, by = sums[(w, (s, d, p))]
        out.write('{"WINDOW_START":%d,"WINDOW_END":%d,"SRC_NET":"%s","DST_NET":"%s",'
                  '"PROTOCOL_NUM":%d,"FLOWS":%d,"PACKETS":%d,"BYTES":%d}\n'
                  % (w, w + width, s, d, p, fl, pk, by))


if __name__ == "__main__":
    main()
