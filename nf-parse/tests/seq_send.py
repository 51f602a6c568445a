#!/usr/bin/env python3
"""Sends a numbered NetFlow v9 or IPFIX stream with planned faults, for the
loss-accounting tests of nf-parse.

Usage: seq_send.py HOST PORT [--pid PID] | --file OUT, then
       VERSION DATAGRAMS RECORDS [FAULT...]

VERSION is 9 or 10. The stream is one template datagram (sequence number
0, no data records) and then DATAGRAMS data datagrams of RECORDS records
each; record k of the whole stream carries IN_BYTES = k + 1, so the
receiver's distinct records can be counted. Sequence numbers follow the
specifications: v9 counts export packets, IPFIX counts data records sent
before the message. FAULTs change what goes on the wire:

  lose:I       datagram I is not sent (I counts data datagrams from 1)
  swap:I       datagram I+1 is sent before datagram I
  dup:I        datagram I is sent twice
  garbage:I    after datagram I, a well-formed message of the same exporter
               with a random sequence number and no records
  junk:I       after datagram I, 16 random bytes
  stop:I       before datagram I, stop the collector (SIGSTOP to --pid PID),
               so what follows queues in its socket buffer or overflows it
  cont:I       before datagram I, let the collector go on (SIGCONT) and give
               it a second to read its queue
  restart:I    before datagram I, the exporter restarts: its template again
               with sequence number 0, then numbers counted from there
  retemplate:I before datagram I, the template id gets a new layout (octets
               first, a destination port 2055 added); data from I use it

Any stop: or cont: fault sends the whole stream in one burst (no pause
between datagrams).

With --file OUT the datagrams are written to OUT instead (IPFIX only: an
RFC 5655 file). Prints one JSON line: records sent, records lost on
purpose, datagrams and records duplicated."""
import json, os, random, signal, socket, struct, sys, time

args = sys.argv[1:]
pid = None
if args[0] == "--file":
    host, port, out = None, None, args[1]
    args = args[2:]
else:
    host, port, out = args[0], int(args[1]), None
    args = args[2:]
    if args[0] == "--pid":
        pid = int(args[1])
        args = args[2:]
version, ndgram, nrec = int(args[0]), int(args[1]), int(args[2])
faults = [f.split(":") for f in args[3:]]
lose = {int(i) for k, i in faults if k == "lose"}
swap = {int(i) for k, i in faults if k == "swap"}
dup = {int(i) for k, i in faults if k == "dup"}
garbage = {int(i) for k, i in faults if k == "garbage"}
junk = {int(i) for k, i in faults if k == "junk"}
stop = {int(i) for k, i in faults if k == "stop"}
cont = {int(i) for k, i in faults if k == "cont"}
restart = {int(i) for k, i in faults if k == "restart"}
retemplate = {int(i) for k, i in faults if k == "retemplate"}
rng = random.Random(7)
DOMAIN, TID, UNIX = 42, 256, 1700000000

# sourceIPv4Address, destinationIPv4Address, octetDeltaCount, packetDeltaCount,
# protocolIdentifier, padding to 24 bytes per record
FIELDS = [(8, 4), (12, 4), (1, 8), (2, 4), (4, 1), (210, 3)]
# after retemplate: octets first, then the addresses, packets, protocol and
# destinationTransportPort, 25 bytes per record
FIELDS2 = [(1, 8), (8, 4), (12, 4), (2, 4), (4, 1), (11, 2), (210, 2)]

def layout(i):  # the fields datagram i is encoded with
    return FIELDS2 if any(r <= i for r in retemplate) else FIELDS

def template_set(fields):
    body = struct.pack(">HH", TID, len(fields)) + b"".join(struct.pack(">HH", t, l) for t, l in fields)
    return struct.pack(">HH", 0 if version == 9 else 2, 4 + len(body)) + body

def record(k, fields):
    src, dst = bytes([10, 0, (k >> 8) & 255, k & 255]), bytes([192, 0, 2, 1])
    if fields is FIELDS:
        return struct.pack(">4s4sQIB3x", src, dst, k + 1, 1, 17)
    return struct.pack(">Q4s4sIBH2x", k + 1, src, dst, 1, 17, 2055)

def data_set(first, fields):
    recs = b"".join(record(k, fields) for k in range(first, first + nrec))
    return struct.pack(">HH", TID, 4 + len(recs)) + recs

def message(seq, sets):
    body = b"".join(sets)
    if version == 9:
        return struct.pack(">HHIIII", 9, len(sets), 1000, UNIX, seq, DOMAIN) + body
    return struct.pack(">HHIII", 10, 16 + len(body), UNIX, seq, DOMAIN) + body

def seq_of(i):
    """Sequence number of data datagram i: v9 counts packets (templates
    too) since the last restart, IPFIX the data records before it."""
    base = max([r for r in restart if r <= i], default=1)
    if version == 9:
        extra = len([r for r in retemplate if base <= r <= i])
        return i - base + 1 + extra
    return (i - base) * nrec

def data_dgram(i):  # i from 1
    return message(seq_of(i), [data_set((i - 1) * nrec, layout(i))])

def template_dgram(i):  # sent just before data datagram i
    if i in restart:
        return message(0, [template_set(layout(i))])
    return message(seq_of(i) - (1 if version == 9 else 0), [template_set(layout(i))])

wire = [message(0, [template_set(FIELDS)])]
order = list(range(1, ndgram + 1))
for i in sorted(swap):
    a, b = order.index(i), order.index(i + 1)
    order[a], order[b] = order[b], order[a]
signals = {}  # index on the wire -> signal to send before it
dups = 0
for i in order:
    if i in stop:
        signals[len(wire)] = signal.SIGSTOP
    if i in cont:
        signals[len(wire)] = signal.SIGCONT
    if i in restart or i in retemplate:
        wire.append(template_dgram(i))
    if i in lose:
        continue
    wire.append(data_dgram(i))
    if i in dup:
        wire.append(data_dgram(i))
        dups += 1
    if i in garbage:
        wire.append(message(rng.randrange(1 << 32), []))
    if i in junk:
        wire.append(os.urandom(16))

if out:
    with open(out, "wb") as f:
        f.write(b"".join(wire))
else:
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
    for n, d in enumerate(wire):
        if n in signals:
            os.kill(pid, signals[n])
            time.sleep(0.2 if signals[n] == signal.SIGSTOP else 1.0)
        s.sendto(d, (host, port))
        if not signals:
            time.sleep(0.0005)  # well inside the socket buffer
print(json.dumps({"records_sent": ndgram * nrec, "records_lost": len(lose) * nrec,
                  "datagrams_duplicated": dups, "records_duplicated": dups * nrec,
                  "datagrams_on_wire": len(wire)}))
