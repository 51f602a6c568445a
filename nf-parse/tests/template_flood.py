#!/usr/bin/env python3
"""Writes an RFC 5655 IPFIX file that floods the decoder with templates,
for the --template-memory tests.

Usage: template_flood.py OUT KEYS TEMPLATES FIELDS [EVERY]

KEYS observation domains (1..KEYS, each a new exporter key) each send
TEMPLATES templates (ids 256..) of FIELDS one-byte fields, 15 per message.
With EVERY, a small "victim" exporter key (domain 0) first defines
template 256 (sourceIPv4Address, destinationIPv4Address, octetDeltaCount)
and then sends one data record for it after every EVERY flood messages;
its sequence numbers count its records, so nothing is lost."""
import struct, sys

out, keys, ntmpl, fields = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
every = int(sys.argv[5]) if len(sys.argv) > 5 else 0

def message(domain, seq, sets):
    body = b"".join(sets)
    return struct.pack(">HHIII", 10, 16 + len(body), 0, seq, domain) + body

def template_set(first, count, nfields):
    recs = b""
    for tid in range(first, first + count):
        recs += struct.pack(">HH", tid, nfields)
        recs += b"".join(struct.pack(">HH", 1 + (j % 200), 1) for j in range(nfields))
    return struct.pack(">HH", 2, 4 + len(recs)) + recs

victim_seq = 0
def victim_data():
    global victim_seq
    rec = struct.pack(">4s4sQ", bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]), 1000 + victim_seq)
    m = message(0, victim_seq, [struct.pack(">HH", 256, 4 + len(rec)) + rec])
    victim_seq += 1
    return m

with open(out, "wb") as f:
    if every:
        t = struct.pack(">HHHHHHHH", 256, 3, 8, 4, 12, 4, 1, 8)
        f.write(message(0, 0, [struct.pack(">HH", 2, 4 + len(t)) + t]))
    n = 0
    for k in range(1, keys + 1):
        tid = 256
        while tid < 256 + ntmpl:
            c = min(15, 256 + ntmpl - tid)
            f.write(message(k, 0, [template_set(tid, c, fields)]))
            tid += c
            n += 1
            if every and n % every == 0:
                f.write(victim_data())
print(n, "flood messages,", victim_seq, "victim records", file=sys.stderr)
