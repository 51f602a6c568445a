#!/usr/bin/env python3
"""Compares nf-parse flow records (NDJSON on stdin) with nfdump -o csv rows
of the same exports: addresses, ports, protocol, packets, bytes, start and
end times (ms). Rows are compared as multisets; prints the first differences and
exits 1 when any row differs. Usage: netflow_compare.py NFDUMP.csv < flows"""
import collections, csv, datetime, json, sys

def nfdump_ms(text):
    d = datetime.datetime.strptime(text[:19], "%Y-%m-%d %H:%M:%S")
    ms = int(round(float("0" + text[19:]) * 1000)) if len(text) > 19 else 0
    return int(d.replace(tzinfo=datetime.timezone.utc).timestamp()) * 1000 + ms

def v4ish(a):
    """nfdump prints an IPv4 flow from a template that also carries IPv6
    address fields as the IPv4-compatible "::a.b.c.d"; nf-parse writes the
    IPv4 address. Compare the embedded IPv4 address on both sides."""
    return a[2:] if a.startswith("::") and a.count(".") == 3 else a

def proto_num(p):
    names = {"TCP": 6, "UDP": 17, "ICMP": 1, "ICMP6": 58, "GRE": 47, "ESP": 50,
             "IPv6": 41, "VRRP": 112}
    return names.get(p.strip(), None) if not p.strip().isdigit() else int(p)

def csv_rows(path):
    rows = []
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        ix = {k: i for i, k in enumerate(header)}
        for row in r:
            if not row or row[0] == "Summary":
                break
            ts, te = nfdump_ms(row[ix["ts"]]), nfdump_ms(row[ix["te"]])
            if ts == 0 and te == 0:  # nfdump's 1970: the exporter sent no time
                ts = te = None
            elif ts > te:
                # nfdump 1.7.1 swaps IPFIX flowStartSysUpTime (22) and
                # flowEndSysUpTime (21): 2,241 pmacct rows have te < ts and
                # an underflowed td. Compare the interval, not its order.
                ts, te = te, ts
            dp = int(row[ix["dp"]])
            pr = proto_num(row[ix["pr"]])
            rows.append((v4ish(row[ix["sa"]]), v4ish(row[ix["da"]]), int(row[ix["sp"]]), dp, pr,
                         int(row[ix["ipkt"]]), int(row[ix["ibyt"]]), ts, te))
    return rows

def sec(ms):
    """nfdump's CSV prints whole seconds."""
    return None if ms is None else ms // 1000 * 1000

def flow_rows(lines):
    rows = []
    for line in lines:
        o = json.loads(line)
        rows.append((v4ish(o["IP_SRC_ADDR"]), v4ish(o["IP_DST_ADDR"]), o["L4_SRC_PORT"], o["L4_DST_PORT"],
                     o["PROTOCOL_NUM"], o["IN_PKTS"], o["IN_BYTES"],
                     sec(o["FIRST_SWITCHED"]), sec(o["LAST_SWITCHED"])))
    return rows

def key(r):
    return tuple("" if v is None else (f"{v:020d}" if isinstance(v, int) else v) for v in r)

want = collections.Counter(csv_rows(sys.argv[1]))
got = collections.Counter(flow_rows(sys.stdin))
only_nfdump = want - got
only_ours = got - want
# nfdump 1.7.1 prints "::" -> "::" for Cisco SRv6 records (template 341)
# whose outer IPv6 pair is zero and whose addresses are in the repeated
# inner pair; nf-parse writes the inner pair. Match those on every other
# field.
unaddressed = [r for r in only_nfdump.elements() if r[0] == "::" and r[1] == "::"]
rest = collections.Counter(r[2:] for r in only_ours.elements())
for r in unaddressed:
    if rest[r[2:]] > 0:
        rest[r[2:]] -= 1
        only_nfdump[r] -= 1
        for o in only_ours:
            if o[2:] == r[2:] and only_ours[o] > 0:
                only_ours[o] -= 1
                break
only_nfdump = sorted((+only_nfdump).elements(), key=key)
only_ours = sorted((+only_ours).elements(), key=key)
for w in only_nfdump[:5]:
    print(f"only nfdump   {w}")
for g in only_ours[:5]:
    print(f"only nf-parse {g}")
print(f"{sum(got.values())} rows compared with {sum(want.values())}, "
      f"{len(only_nfdump)} only in nfdump, {len(only_ours)} only in nf-parse")
sys.exit(1 if only_nfdump or only_ours else 0)
