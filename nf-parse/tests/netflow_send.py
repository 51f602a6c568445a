#!/usr/bin/env python3
"""Replays NetFlow/IPFIX export datagrams to a UDP collector, in order:
the UDP payloads of pcap files (Ethernet or Linux cooked, IPv4/IPv6), the
messages of RFC 5655 IPFIX files, or a raw datagram file as it is.
Usage: netflow_send.py HOST PORT FILE..."""
import socket, struct, sys, time

def pcap_payloads(b):
    e = "<" if b[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    linktype = struct.unpack(e + "I", b[20:24])[0]
    off = 24
    while off + 16 <= len(b):
        caplen = struct.unpack(e + "I", b[off + 8:off + 12])[0]
        pkt = b[off + 16:off + 16 + caplen]
        off += 16 + caplen
        if linktype == 1:
            l2, et = 14, pkt[12:14]
            while et in (b"\x81\x00", b"\x88\xa8"):
                et, l2 = pkt[l2 + 2:l2 + 4], l2 + 4
        elif linktype == 113:
            l2, et = 16, pkt[14:16]
        else:
            continue
        ip = pkt[l2:]
        if et == b"\x08\x00" and ip[9] == 17:
            udp = ip[(ip[0] & 15) * 4:]
        elif et == b"\x86\xdd" and ip[6] == 17:
            udp = ip[40:]
        else:
            continue
        yield udp[8:struct.unpack(">H", udp[4:6])[0]]

def ipfix_messages(b):
    off = 0
    while off + 4 <= len(b):
        n = struct.unpack(">H", b[off + 2:off + 4])[0]
        yield b[off:off + n]
        off += n

host, port = sys.argv[1], int(sys.argv[2])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
sent = 0
for path in sys.argv[3:]:
    b = open(path, "rb").read()
    if b[:4] in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"):
        datagrams = pcap_payloads(b)
    elif b[:2] == b"\x00\x0a":
        datagrams = ipfix_messages(b)
    else:
        datagrams = [b]
    for d in datagrams:
        s.sendto(d, (host, port))
        sent += 1
        time.sleep(0.002)  # stay well inside the loopback socket buffer
print(sent, "datagrams sent", file=sys.stderr)
