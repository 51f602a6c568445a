#!/usr/bin/env python3
"""Argus binetflow CSV -> nfshift flow records (NDJSON), for nf-window's tests.

A stand-in for `nf-parse` while that tool is being written; it follows
docs/records.md for the keys nf-window uses (addresses, protocol, times,
counters) and is not meant to match nf-parse byte for byte elsewhere:
  FIRST_SWITCHED  StartTime (UTC) truncated to ms
  LAST_SWITCHED   StartTime + Dur, truncated to ms
  IN_PKTS/BYTES   SrcPkts / SrcBytes
  OUT_PKTS/BYTES  TotPkts - SrcPkts / TotBytes - SrcBytes
Usage: argus2flows.py [FILE.binetflow] > flows.ndjson
"""
import calendar
import csv
import json
import sys

PROTO = {"tcp": 6, "udp": 17, "icmp": 1, "igmp": 2, "ipv6-icmp": 58, "esp": 50, "gre": 47}


def port(text):
    text = text.strip()
    if not text:
        return 0
    return int(text, 16) if text.startswith("0x") else int(text)


def epoch_us(text):
    day, clock = text.split(" ")
    hms, _, frac = clock.partition(".")
    y, mo, d = (int(x) for x in day.split("/"))
    h, mi, s = (int(x) for x in hms.split(":"))
    frac = (frac + "000000")[:6]
    return calendar.timegm((y, mo, d, h, mi, s)) * 1000000 + int(frac)


def main():
    src = open(sys.argv[1], newline="") if len(sys.argv) > 1 else sys.stdin
    rows = csv.DictReader(src)
    out = sys.stdout
    for n, r in enumerate(rows, 1):
        start = epoch_us(r["StartTime"])
        dur_us = round(float(r["Dur"]) * 1000000)
        first = start // 1000
        last = (start + dur_us) // 1000
        tot_p, tot_b = int(r["TotPkts"]), int(r["TotBytes"])
        src_p, src_b = int(r["SrcPkts"]), int(r["SrcBytes"])
        rec = {
            "ID": n,
            "IP_SRC_ADDR": r["SrcAddr"],
            "IP_DST_ADDR": r["DstAddr"],
            "L4_SRC_PORT": port(r["Sport"]) & 0xFFFF,
            "L4_DST_PORT": port(r["Dport"]) & 0xFFFF,
            "PROTOCOL_NUM": PROTO[r["Proto"]],
            "TCP_FLAGS": 0,
            "FIRST_SWITCHED": first,
            "LAST_SWITCHED": last,
            "FLOW_DURATION_MILLISECONDS": last - first,
            "IN_PKTS": src_p,
            "IN_BYTES": src_b,
            "OUT_PKTS": tot_p - src_p,
            "OUT_BYTES": tot_b - src_b,
            "FLOWS": 1,
        }
        if r["sTos"].strip():
            rec["SRC_TOS"] = int(r["sTos"])
        if r["dTos"].strip():
            rec["DST_TOS"] = int(r["dTos"])
        rec["ARGUS_STATE"] = r["State"]
        rec["ARGUS_DIR"] = r["Dir"].strip()
        out.write(json.dumps(rec, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
