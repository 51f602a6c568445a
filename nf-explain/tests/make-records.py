#!/usr/bin/env python3
"""Hand-made nf-window aggregates with a known actor, for attrib.bats.

make-records.py KIND OUT_RECORDS OUT_CHANGEPOINT
  udp-service  from window 24 a new UDP service on 10.0.5.0/24, reached
               from 8 new external subnets 100.64.K.0/24
  silent       from window 24 the internal subnet 10.0.3.0/24 (ten times busier
               than the others)
               sends and receives nothing
  broad        from window 24 every one of the 20 internal subnets sends
               twice the bytes and packets
  skewed       10.0.1.0/24 carries 70 % of the traffic (44 times each other
               subnet's); from window 24 every internal subnet sends and
               receives 30 % more bytes and packets (a proportional rise)
  skewed-one   the same skewed subnets; from window 24 only 10.0.7.0/24 (1.6 %
               of the traffic) sends and receives 20 times as much, which
               raises the total by about 30 %
  udp-flows    flow records (nf-parse's format, to go through nf-window):
               from window 24 a new UDP service 10.0.5.7:4500 reached from 8
               external hosts 100.64.K.9 (source ports 30000+K)
  burst-flows  flow records like udp-flows, the UDP service 10.0.5.7:4500 only in
               window 30 (a flagged interval, not a change point)
48 windows of 5 minutes from 2019-10-02 00:00 UTC; internal 10.0.0.0/16;
every internal subnet 10.0.S.0/24 (S = 1..20) talks TCP with
198.51.100.0/24 both ways. The change point is at window 24, in the
record format nf-pelt writes.
"""
import json
import sys

kind, out_rec, out_cp = sys.argv[1:4]
T0, STEP, N, CP = 1569974400000, 300000, 48, 24


def line(obj):
    return json.dumps(obj, separators=(",", ":"))


def rec(w, src, dst, proto, flows, packets, nbytes):
    t = T0 + w * STEP
    return {"WINDOW_START": t, "WINDOW_END": t + STEP, "SRC_NET": src, "DST_NET": dst,
            "PROTOCOL_NUM": proto, "FLOWS": flows, "PACKETS": packets, "BYTES": nbytes}


def flow(i, t, src, dst, sport, dport, proto, pkts, nbytes):
    return {"ID": i, "IP_SRC_ADDR": src, "IP_DST_ADDR": dst, "L4_SRC_PORT": sport, "L4_DST_PORT": dport,
            "PROTOCOL_NUM": proto, "TCP_FLAGS": 0, "FIRST_SWITCHED": t, "LAST_SWITCHED": t + 1000,
            "FLOW_DURATION_MILLISECONDS": 1000, "IN_PKTS": pkts, "IN_BYTES": nbytes, "OUT_PKTS": pkts // 2,
            "OUT_BYTES": nbytes // 4, "FLOWS": 1}


if kind in ("udp-flows", "burst-flows"):
    i = 0
    with open(out_rec, "w") as f:
        for w in range(N):
            t = T0 + w * STEP + 1000
            for s in range(1, 21):
                i += 1
                wiggle = 1 + 0.1 * ((w * 7 + s * 3) % 5)
                f.write(line(flow(i, t + s, "10.0.%d.10" % s, "198.51.100.7", 40000 + s, 443, 6,
                                  int(50 * wiggle), int(30000 * wiggle))) + "\n")
            if (kind == "udp-flows" and w >= CP) or (kind == "burst-flows" and w == 30):
                for k in range(1, 9):
                    i += 1
                    f.write(line(flow(i, t + 100 + k, "100.64.%d.9" % k, "10.0.5.7", 30000 + k, 4500, 17,
                                      3000, 3000000 + 1000 * k)) + "\n")
flows = kind in ("udp-flows", "burst-flows")
with open(out_rec, "a" if flows else "w") as f:
    for w in range(0 if flows else N):
        for s in range(1, 21):
            if kind == "silent" and s == 3 and w >= CP:
                continue
            wiggle = 1 + 0.1 * ((w * 7 + s * 3) % 5)
            big = 10 if s == 3 and kind == "silent" else 1
            up = 2 if kind == "broad" and w >= CP else 1
            if kind in ("skewed", "skewed-one"):
                big = 44 if s == 1 else 1
                rise = 1.3 if kind == "skewed" else (20 if s == 7 else 1)
                big *= rise if w >= CP else 1
            net = "10.0.%d.0/24" % s
            f.write(line(rec(w, "198.51.100.0/24", net, 6, 10 * big, int(100 * big * wiggle),
                                   int(50000 * big * wiggle))) + "\n")
            f.write(line(rec(w, net, "198.51.100.0/24", 6, 10 * big, int(80 * big * wiggle * up),
                                   int(20000 * big * wiggle * up))) + "\n")
        if kind == "udp-service" and w >= CP:
            for k in range(1, 9):
                f.write(line(rec(w, "100.64.%d.0/24" % k, "10.0.5.0/24", 17, 40, 4000 + 100 * k,
                                       4000000 + 10000 * k + 1000 * (w % 3))) + "\n")
with open(out_cp, "w") as f:
    f.write(line({"WINDOW_START": T0 + CP * STEP, "index": CP, "columns": ["pc1"], "mean_before": [-1.0],
                        "mean_after": [1.0], "cost_reduction": 100.0, "penalty": 10.0, "before_start": T0,
                        "after_end": T0 + (N - 1) * STEP}) + "\n")
