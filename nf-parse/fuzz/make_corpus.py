#!/usr/bin/env python3
"""Writes the libFuzzer seed corpus: every shared NetFlow/IPFIX datagram.
Raw .dat files are copied; pcaps (classic, Ethernet/Linux-cooked, IPv4/
IPv6) give one file per UDP payload that starts with version 5, 9 or 10;
the RFC 5655 IPFIX file gives one file per message. Identical payloads are
stored once (named by content hash). Also writes framed seeds (2-byte
length before each datagram) pairing each template file with its data, so
the fuzzer starts from decodable state.
Usage: make_corpus.py SHARED OUT [MAX]: MAX keeps at most that many
datagrams per pcap or IPFIX file (the small corpus committed to the repo)."""
import glob, hashlib, os, struct, sys

shared, out = sys.argv[1], sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
os.makedirs(out, exist_ok=True)

def put(data, prefix=""):
    name = prefix + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

def pcap_payloads(path):
    b = open(path, "rb").read()
    if len(b) < 24:
        return []
    magic = b[:4]
    e = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    linktype = struct.unpack(e + "I", b[20:24])[0]
    off, out_ = 24, []
    while off + 16 <= len(b):
        _, _, caplen, _ = struct.unpack(e + "IIII", b[off:off + 16])
        pkt = b[off + 16:off + 16 + caplen]
        off += 16 + caplen
        if linktype == 1:
            l2, et = 14, pkt[12:14]
            while et in (b"\x81\x00", b"\x88\xa8") and len(pkt) >= l2 + 4:
                et, l2 = pkt[l2 + 2:l2 + 4], l2 + 4
        elif linktype == 113:
            l2, et = 16, pkt[14:16]
        else:
            continue
        ip = pkt[l2:]
        if et == b"\x08\x00" and len(ip) >= 20 and ip[9] == 17:
            udp = ip[(ip[0] & 15) * 4:]
        elif et == b"\x86\xdd" and len(ip) >= 48 and ip[6] == 17:
            udp = ip[40:]
        else:
            continue
        payload = udp[8:]
        if len(payload) >= 4 and payload[:2] in (b"\x00\x05", b"\x00\x09", b"\x00\x0a"):
            out_.append(payload)
    return out_

for f in sorted(glob.glob(os.path.join(shared, "logstash-netflow-payloads", "*.dat"))):
    put(open(f, "rb").read())
for f in sorted(glob.glob(os.path.join(shared, "*", "*.pcap"))):
    for p in pcap_payloads(f)[:limit]:
        put(p)
b = open(os.path.join(shared, "cesnet-ipfix-file", "example_flows.ipfix"), "rb").read()
off = 0
kept = 0
while off + 4 <= len(b) and (limit is None or kept < limit):
    kept += 1
    n = struct.unpack(">H", b[off + 2:off + 4])[0]
    if n < 16:
        break
    put(b[off:off + n])
    off += n

def framed(paths):
    return b"".join(struct.pack(">H", len(d)) + d for d in (open(p, "rb").read() for p in paths))

ls = os.path.join(shared, "logstash-netflow-payloads")
for group in (["netflow9_test_cisco_asa_1_tpl.dat", "netflow9_test_cisco_asa_1_data.dat"],
              ["ipfix_test_mikrotik_tpl.dat", "ipfix_test_mikrotik_data258.dat"],
              ["ipfix_test_netscaler_tpl.dat", "ipfix_test_netscaler_data.dat"],
              ["netflow9_test_cisco_asr9k_opttpl256.dat", "netflow9_test_cisco_asr9k_tpl260.dat",
               "netflow9_test_cisco_asr9k_data260.dat"],
              ["ipfix_test_yaf_tpls_option_tpl.dat", "ipfix_test_yaf_tpl45841.dat",
               "ipfix_test_yaf_data45841.dat"]):
    put(framed(os.path.join(ls, g) for g in group), "framed-")
print(len(os.listdir(out)), "seeds in", out)
