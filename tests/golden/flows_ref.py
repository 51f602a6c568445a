#!/usr/bin/env python3
"""Test-fixture builder (stdlib only): stands in for nf-parse | nf-window
where those tools are not built, so the nf-features golden tests can run
on real flow files anyway. When build/bin/nf-parse and nf-window exist the
tests use the real pipeline as well.

Reads nfdump `-o csv` (48 columns) or Argus binetflow, times as UTC, and
writes one of:
  agg     nf-window aggregates: 300 s windows by flow start, /24 and /64
          subnets, PACKETS/BYTES = both directions, empty windows in gaps
          of up to one day written as one all-null record (longer gaps,
          e.g. the pmacct captures years apart, are left unfilled)
  wflows  nf-window --flows records: WINDOW_START, WINDOW_END, then the
          flow keys of docs/records.md, grouped by window in time order
Flows without a time (nfdump prints 1970-01-01) are left out.

usage: flows_ref.py agg|wflows [--window 300] FILE...
"""
import csv
import datetime as dt
import ipaddress
import json
import socket
import sys

FLAG_BITS = {"C": 128, "E": 64, "U": 32, "A": 16, "P": 8, "R": 4, "S": 2, "F": 1}
PROTO = {"ICMP6": 58, "IPV6-ICMP": 58, "IPV6": 41, "VRRP": 112, "IGMP": 2, "ICMP": 1,
         "TCP": 6, "UDP": 17, "GRE": 47, "ESP": 50}


def proto_num(text):
    t = text.strip().upper()
    if t.isdigit():
        return int(t)
    if t in PROTO:
        return PROTO[t]
    try:
        return socket.getprotobyname(t.lower())
    except OSError:
        return None


def ms(text, fmt):
    text = text.strip()
    if "." in text:
        base, frac = text.split(".", 1)
    else:
        base, frac = text, "0"
    t = dt.datetime.strptime(base, fmt).replace(tzinfo=dt.timezone.utc)
    return int(t.timestamp()) * 1000 + int((frac + "000")[:3])


def flags(text):
    v = 0
    for c in text.strip():
        v |= FLAG_BITS.get(c, 0)
    return v


def read_flows(path):
    with open(path, newline="") as fh:
        rd = csv.reader(fh)
        head = next(rd)
        if head[:3] == ["ts", "te", "td"]:
            for r in rd:
                if len(r) < 15 or r[0].startswith("1970"):
                    continue
                try:
                    first, last = ms(r[0], "%Y-%m-%d %H:%M:%S"), ms(r[1], "%Y-%m-%d %H:%M:%S")
                except ValueError:
                    continue
                p = proto_num(r[7])
                if p is None:
                    continue
                yield {"IP_SRC_ADDR": str(ipaddress.ip_address(r[3].strip())),
                       "IP_DST_ADDR": str(ipaddress.ip_address(r[4].strip())),
                       "L4_SRC_PORT": int(float(r[5])), "L4_DST_PORT": int(float(r[6])),
                       "PROTOCOL_NUM": p, "TCP_FLAGS": flags(r[8]),
                       "FIRST_SWITCHED": first, "LAST_SWITCHED": max(first, last),
                       "FLOW_DURATION_MILLISECONDS": max(0, last - first),
                       "IN_PKTS": int(r[11]), "IN_BYTES": int(r[12]),
                       "OUT_PKTS": int(r[13]), "OUT_BYTES": int(r[14]), "FLOWS": 1}
        elif head[:4] == ["StartTime", "Dur", "Proto", "SrcAddr"]:
            for r in rd:
                p = proto_num(r[2])
                try:
                    a, b = ipaddress.ip_address(r[3].strip()), ipaddress.ip_address(r[6].strip())
                except ValueError:
                    continue
                if p is None:
                    continue
                first = ms(r[0], "%Y/%m/%d %H:%M:%S")
                dur = int(round(float(r[1]) * 1000))
                port = lambda s: int(s, 16) if s.startswith("0x") else (int(s) if s.strip() else 0)
                tot_p, tot_b, src_b, src_p = int(r[11]), int(r[12]), int(r[13]), int(r[14])
                yield {"IP_SRC_ADDR": str(a), "IP_DST_ADDR": str(b),
                       "L4_SRC_PORT": port(r[4]), "L4_DST_PORT": port(r[7]),
                       "PROTOCOL_NUM": p, "TCP_FLAGS": 0,
                       "FIRST_SWITCHED": first, "LAST_SWITCHED": first + dur,
                       "FLOW_DURATION_MILLISECONDS": dur,
                       "IN_PKTS": src_p, "IN_BYTES": src_b,
                       "OUT_PKTS": tot_p - src_p, "OUT_BYTES": tot_b - src_b, "FLOWS": 1}
        else:
            sys.exit(f"{path}: unknown header")


def subnet(addr):
    a = ipaddress.ip_address(addr)
    return str(ipaddress.ip_network(f"{a}/{24 if a.version == 4 else 64}", strict=False))


def main():
    mode = sys.argv[1]
    args = sys.argv[2:]
    win = 300
    if args[:1] == ["--window"]:
        win, args = int(args[1]), args[2:]
    wms = win * 1000
    flows = [f for p in args for f in read_flows(p)]
    for i, f in enumerate(flows):
        f["ID"] = i + 1
    if not flows:
        return
    out = sys.stdout
    if mode == "wflows":
        by = {}
        for f in flows:
            by.setdefault(f["FIRST_SWITCHED"] // wms * wms, []).append(f)
        keys = ["ID", "IP_SRC_ADDR", "IP_DST_ADDR", "L4_SRC_PORT", "L4_DST_PORT", "PROTOCOL_NUM",
                "TCP_FLAGS", "FIRST_SWITCHED", "LAST_SWITCHED", "FLOW_DURATION_MILLISECONDS",
                "IN_PKTS", "IN_BYTES", "OUT_PKTS", "OUT_BYTES", "FLOWS"]
        for w in sorted(by):
            for f in by[w]:
                rec = {"WINDOW_START": w, "WINDOW_END": w + wms}
                rec.update((k, f[k]) for k in keys)
                out.write(json.dumps(rec, separators=(",", ":")) + "\n")
        return
    agg = {}
    for f in flows:
        w = f["FIRST_SWITCHED"] // wms * wms
        k = (w, subnet(f["IP_SRC_ADDR"]), subnet(f["IP_DST_ADDR"]), f["PROTOCOL_NUM"])
        a = agg.setdefault(k, [0, 0, 0])
        a[0] += f["FLOWS"]
        a[1] += f["IN_PKTS"] + f["OUT_PKTS"]
        a[2] += f["IN_BYTES"] + f["OUT_BYTES"]
    windows = sorted({k[0] for k in agg})
    by = {}
    for k, v in agg.items():
        by.setdefault(k[0], []).append((k, v))
    fill = []
    for a, b in zip(windows, windows[1:]):
        if b - a <= 86400000:  # nf-window's --max-gap default: longer gaps stay unfilled
            fill.extend(range(a + wms, b, wms))
    for w in sorted(set(windows) | set(fill)):
        recs = sorted(by.get(w, []))
        if not recs:
            out.write(json.dumps({"WINDOW_START": w, "WINDOW_END": w + wms, "SRC_NET": None,
                                  "DST_NET": None, "PROTOCOL_NUM": None, "FLOWS": 0,
                                  "PACKETS": 0, "BYTES": 0}, separators=(",", ":")) + "\n")
        for k, v in recs:
            out.write(json.dumps({"WINDOW_START": w, "WINDOW_END": w + wms, "SRC_NET": k[1],
                                  "DST_NET": k[2], "PROTOCOL_NUM": k[3], "FLOWS": v[0],
                                  "PACKETS": v[1], "BYTES": v[2]}, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
