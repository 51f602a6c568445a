#!/usr/bin/python3
"""Independent reference for nf-features, written with pandas.

It recomputes every one of the 116 interval features (docs/features.md)
from nf-window aggregate records, or with --per-flow the per-flow context
features from nf-window --flows records. It shares no code with the C
tool: direction comes from Python's ipaddress module, the statistics from
pandas (Series.std(ddof=1), groupby/nunique/value_counts).

usage: features_ref.py --internal CIDR[,CIDR...] [FILE]
       features_ref.py --per-flow [FILE]
Output: NDJSON like nf-features (compare with tests/golden/compare.py).
"""
import argparse
import ipaddress
import json
import math
import sys

import numpy as np
import pandas as pd

NAMES = """n flows bytes packets in_n in_flows in_packets in_bytes out_n out_flows out_packets
out_bytes n_protocols n_protocols_ingress n_protocols_egress dom_prot_share_in
dom_prot_share_out dom_prot_share_total n_receiving_subnets n_sending_subnets""".split()
for cat in ("TCP", "UDP", "Other"):
    for d in ("in", "out"):
        NAMES += [f"{cat}_n_{d}", f"{cat}_bytes_{d}", f"{cat}_packets_{d}", f"{cat}_flows_{d}",
                  f"{cat}_n_share_{d}", f"{cat}_bytes_share_{d}", f"{cat}_packets_share_{d}",
                  f"{cat}_flows_share_{d}"]
for pre in ("", "in_", "out_"):
    NAMES += [f"mean_{pre}flows", f"mean_{pre}bytes", f"mean_{pre}packets",
              f"sd_{pre}flows", f"sd_{pre}bytes", f"sd_{pre}packets"]
NAMES += ["mean_packets_per_in_flows", "sd_packets_per_in_flows",
          "mean_packets_per_out_flows", "sd_packets_per_out_flows",
          "mean_bytes_per_in_packets", "sd_bytes_per_in_packets",
          "mean_bytes_per_out_packets", "sd_bytes_per_out_packets"]
for cat in ("Other", "TCP", "UDP"):
    for d in ("in", "out"):
        NAMES += [f"{cat}_mean_flows_{d}", f"{cat}_mean_bytes_{d}", f"{cat}_mean_packets_{d}"]
NAMES += ["sym_coeff", "sym_coeff_flows", "sym_coeff_bytes", "sym_coeff_packets"]
assert len(NAMES) == 116, len(NAMES)


def div(a, b):
    return float(a) / float(b) if b != 0 else 0.0


def sd(s):
    return float(s.std(ddof=1)) if len(s) >= 2 else 0.0


def mean(s):
    return float(s.mean()) if len(s) else 0.0


def window_features(g):
    """g: the window's records that touch an internal subnet."""
    f = {}
    i, o = g[g.ingress], g[g.egress]
    f["n"], f["flows"], f["bytes"], f["packets"] = len(g), g.flows.sum(), g.bytes.sum(), g.packets.sum()
    for pre, s in (("in", i), ("out", o)):
        f[f"{pre}_n"], f[f"{pre}_flows"] = len(s), s.flows.sum()
        f[f"{pre}_packets"], f[f"{pre}_bytes"] = s.packets.sum(), s.bytes.sum()
    f["n_protocols"] = g.proto.nunique()
    f["n_protocols_ingress"] = i.proto.nunique()
    f["n_protocols_egress"] = o.proto.nunique()
    for name, s in (("in", i), ("out", o), ("total", g)):
        per = s.groupby("proto").flows.sum()
        f[f"dom_prot_share_{name}"] = div(per.max() if len(per) else 0, s.flows.sum())
    f["n_receiving_subnets"] = o.dst.nunique()
    f["n_sending_subnets"] = i.src.nunique()
    for cat in ("TCP", "UDP", "Other"):
        for d, s in (("in", i), ("out", o)):
            c = s[s.cat == cat]
            f[f"{cat}_n_{d}"], f[f"{cat}_bytes_{d}"] = len(c), c.bytes.sum()
            f[f"{cat}_packets_{d}"], f[f"{cat}_flows_{d}"] = c.packets.sum(), c.flows.sum()
            f[f"{cat}_n_share_{d}"] = div(len(c), len(s))
            for col in ("bytes", "packets", "flows"):
                f[f"{cat}_{col}_share_{d}"] = div(c[col].sum(), s[col].sum())
    for pre, s in (("", g), ("in_", i), ("out_", o)):
        for col in ("flows", "bytes", "packets"):
            f[f"mean_{pre}{col}"] = mean(s[col])
            f[f"sd_{pre}{col}"] = sd(s[col])
    for d, s in (("in", i), ("out", o)):
        r = s.packets[s.flows > 0] / s.flows[s.flows > 0]
        f[f"mean_packets_per_{d}_flows"], f[f"sd_packets_per_{d}_flows"] = mean(r), sd(r)
        r = s.bytes[s.packets > 0] / s.packets[s.packets > 0]
        f[f"mean_bytes_per_{d}_packets"], f[f"sd_bytes_per_{d}_packets"] = mean(r), sd(r)
    for cat in ("Other", "TCP", "UDP"):
        for d, s in (("in", i), ("out", o)):
            c = s[s.cat == cat]
            k = c.proto.nunique()
            for col in ("flows", "bytes", "packets"):
                f[f"{cat}_mean_{col}_{d}"] = div(c[col].sum(), k)
    for name, a, b in (("sym_coeff", len(i), len(o)),
                       ("sym_coeff_flows", i.flows.sum(), o.flows.sum()),
                       ("sym_coeff_bytes", i.bytes.sum(), o.bytes.sum()),
                       ("sym_coeff_packets", i.packets.sum(), o.packets.sum())):
        f[name] = div(a - b, a + b)
    return f


def read_ndjson(path):
    fh = open(path) if path != "-" else sys.stdin
    rows = [json.loads(line) for line in fh if line.strip()]
    return rows


def interval(args):
    nets = [ipaddress.ip_network(p.strip(), strict=False)
            for p in args.internal.split(",") if p.strip()]
    rows = read_ndjson(args.file)
    df = pd.DataFrame(rows, columns=["WINDOW_START", "WINDOW_END", "SRC_NET", "DST_NET",
                                     "PROTOCOL_NUM", "FLOWS", "PACKETS", "BYTES"])
    df.columns = ["ws", "we", "src", "dst", "proto", "flows", "packets", "bytes"]
    inside = {}

    def is_inside(text):
        if text not in inside:
            net = ipaddress.ip_network(text, strict=False).network_address
            inside[text] = any(net.version == n.version and net in n for n in nets)
        return inside[text]

    real = df.src.notna()
    df["ingress"] = False
    df["egress"] = False
    df.loc[real, "ingress"] = df.loc[real, "dst"].map(is_inside).astype(bool)
    df.loc[real, "egress"] = df.loc[real, "src"].map(is_inside).astype(bool)
    df["cat"] = np.where(df.proto == 6, "TCP", np.where(df.proto == 17, "UDP", "Other"))
    out = sys.stdout
    for ws, g in df.groupby("ws", sort=True):
        we = int(g.we.iloc[0])
        rel = g[(g.ingress | g.egress)].copy()
        rel["proto"] = rel.proto.astype(int)
        f = window_features(rel)
        rec = {"WINDOW_START": int(ws), "WINDOW_END": we}
        for name in NAMES:
            v = float(f[name])
            rec[name] = int(v) if v == int(v) and abs(v) < 2**53 else v
        out.write(json.dumps(rec) + "\n")


def entropy_by(df, key):
    """Shannon entropy (bits) of column key over each source's flows."""
    counts = df.groupby(["src", key]).size().rename("c").reset_index()
    counts["N"] = counts.groupby("src").c.transform("sum")
    counts["p"] = counts.c / counts.N
    counts["h"] = -counts.p * np.log2(counts.p)
    return counts.groupby("src").h.sum()


def per_flow(args):
    rows = read_ndjson(args.file)
    out = sys.stdout
    df = pd.DataFrame({
        "ws": [r["WINDOW_START"] for r in rows],
        "src": [r["IP_SRC_ADDR"] for r in rows],
        "dst": [r["IP_DST_ADDR"] for r in rows],
        "proto": [r["PROTOCOL_NUM"] for r in rows],
        "port": [r["L4_DST_PORT"] for r in rows],
        "flags": [r["TCP_FLAGS"] for r in rows],
        "first": [r["FIRST_SWITCHED"] for r in rows],
        "ipkts": [float(r["IN_PKTS"]) for r in rows],
        "ibytes": [float(r["IN_BYTES"]) for r in rows],
    })
    df["pos"] = np.arange(len(df))
    parts = []
    df["syn"] = ((df.proto == 6) & ((df["flags"] & 2) != 0)).astype(int)
    for ws, g in df.groupby("ws", sort=False):
        g = g.copy()
        bysrc = g.groupby("src")
        ctx = pd.DataFrame(index=g.index)
        ctx["avg_in_packet_size"] = np.where(g.ipkts > 0, g.ibytes / g.ipkts.where(g.ipkts > 0, 1), 0.0)
        t = g[g["first"].notna()].sort_values(["src", "first", "pos"], kind="mergesort")
        gap = t.groupby("src")["first"].diff().fillna(0)
        ctx["inter_arrival_ms"] = 0.0
        ctx.loc[gap.index, "inter_arrival_ms"] = gap.astype(float)
        ctx["src_flows_in_window"] = bysrc.src.transform("size")
        ctx["dst_flows_in_window"] = g.groupby("dst").dst.transform("size")
        ctx["src_IN_PKTS_sum"] = bysrc.ipkts.transform("sum")
        ctx["src_IN_BYTES_sum"] = bysrc.ibytes.transform("sum")
        ctx["src_flag_SYN"] = bysrc.syn.transform("sum")
        ctx["src_entropy_PROTOCOL"] = g.src.map(entropy_by(g, "proto"))
        ctx["src_entropy_L4_DST_PORT"] = g.src.map(entropy_by(g, "port"))
        ctx["src_distinct_dst"] = bysrc.dst.transform("nunique")
        ctx["dst_distinct_src"] = g.groupby("dst").src.transform("nunique")
        parts.append(ctx)
    ctx = pd.concat(parts) if parts else pd.DataFrame()
    cols = list(ctx.columns)
    for idx, vals in zip(ctx.index, ctx.itertuples(index=False, name=None)):
        rec = dict(rows[idx])
        for k, v in zip(cols, vals):
            v = float(v)
            rec[k] = int(v) if v == int(v) else v
        out.write(json.dumps(rec) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--internal")
    ap.add_argument("--per-flow", action="store_true")
    ap.add_argument("file", nargs="?", default="-")
    args = ap.parse_args()
    if args.per_flow:
        per_flow(args)
    elif args.internal:
        interval(args)
    else:
        ap.error("--internal is required in interval mode")


if __name__ == "__main__":
    main()
