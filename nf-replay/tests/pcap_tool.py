#!/usr/bin/env python3
"""Small pcap edits for nf-replay's tests (classic pcap, stdlib only).

pcap_tool.py drop IN OUT N...   copy IN to OUT without packets N... (1-based)
pcap_tool.py sizes IN           print each packet's UDP payload length
"""
import struct
import sys


def packets(path):
    data = open(path, "rb").read()
    off = 24  # after the file header
    while off + 16 <= len(data):
        caplen = struct.unpack("<I", data[off + 8:off + 12])[0]
        yield data[off:off + 16 + caplen]
        off += 16 + caplen


def main():
    cmd, src = sys.argv[1], sys.argv[2]
    head = open(src, "rb").read()[:24]
    if cmd == "drop":
        drop = {int(n) for n in sys.argv[4:]}
        with open(sys.argv[3], "wb") as out:
            out.write(head)
            for i, p in enumerate(packets(src), 1):
                if i not in drop:
                    out.write(p)
    elif cmd == "sizes":
        for p in packets(src):
            ethertype = struct.unpack(">H", p[16 + 12:16 + 14])[0]
            ip = 14 + (40 if ethertype == 0x86DD else 20)
            print(len(p) - 16 - ip - 8)


main()
