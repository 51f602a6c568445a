#!/usr/bin/env python3
"""Writes hostile inputs for tests/robustness.bats into the directory argv[1]:
binary noise, a 2 MB line, deep nesting, numbers at and past every limit,
wrong types, random flow records, broken CSV of every supported kind and
degenerate series. Seeded, so every run writes the same bytes."""
import os
import random
import sys

random.seed(7)
out = sys.argv[1]
cases = {
    "empty": b"",
    "blank-lines": b"\n\n\r\n  \n",
    "binary": bytes(random.getrandbits(8) for _ in range(20000)),
    "long-line": b'{"a":"' + b"x" * 2000000 + b'"}\n',
    "deep-array": b'{"a":' + b"[" * 5000 + b"]" * 5000 + b"}\n",
    "deep-object": b'{"WINDOW_START":0,"x":' + b'{"a":' * 900 + b"1" + b"}" * 900 + b"}\n",
}

limits = [(b"1e999", b"0", b"1", b"1", b"1"),
          (b"-1e308", b"1e308", b"-0", b"-1", b"1e20"),
          (b"9223372036854775807", b"9223372036854775808", b"1e-320", b"18446744073709551616",
           b"-9223372036854775808"),
          (b"0", b"300000", b"1e308", b"1e308", b"1e308"),
          (b"300000", b"0", b"-1e308", b"0.5", b"NaN"),
          (b"null", b"null", b"null", b"null", b"null"),
          (b'"x"', b'"2019-01-01"', b'"1"', b"[]", b"{}"),
          (b"true", b"false", b"true", b"false", b"true"),
          (b"-300000", b"0", b"3", b"3", b"3")]
cases["number-limits"] = b"".join(
    b'{"WINDOW_START":%s,"WINDOW_END":%s,"x":%s,"FLOWS":%s,"IN_PKTS":%s}\n' % row for row in limits)

flow = ('{"ID":%s,"IP_SRC_ADDR":%s,"IP_DST_ADDR":%s,"L4_SRC_PORT":%s,"L4_DST_PORT":%s,'
        '"PROTOCOL_NUM":%s,"TCP_FLAGS":%s,"FIRST_SWITCHED":%s,"LAST_SWITCHED":%s,'
        '"FLOW_DURATION_MILLISECONDS":%s,"IN_PKTS":%s,"IN_BYTES":%s,"OUT_PKTS":%s,"OUT_BYTES":%s,"FLOWS":%s}')
values = ["0", "1", "-1", "1e308", "-1e308", "18446744073709551615", "18446744073709551616",
          "9007199254740993", "0.5", "null", '"x"', '""', "[]", "{}", "true", '"10.0.0.1"', '"::1"',
          '"::ffff:1.2.3.4"', '"999.1.1.1"', '"1:2:3:4:5:6:7:8:9"', "1554336000000",
          "-9223372036854775808"]
cases["flows-random"] = "".join(
    flow % tuple(random.choice(values) for _ in range(15)) + "\n" for _ in range(2000)).encode()

wild = []
for i in range(400):
    t = 1554336000000 + random.randint(-10**9, 10**9) * random.choice([1, 1, 1, 1000, 10**6])
    wild.append(flow % (i, '"10.0.%d.%d"' % (random.randint(0, 3), random.randint(0, 255)),
                        random.choice(['"10.8.0.1"', '"2001:db8::1"', '"8.8.8.8"']),
                        random.randint(0, 65535), random.choice([0, 53, 443, 65535]),
                        random.choice([0, 1, 6, 17, 255]), random.randint(0, 255), t,
                        t + random.randint(-5, 10**8), random.randint(0, 10**8),
                        random.randint(0, 10**6), random.randint(0, 10**9), random.randint(0, 10),
                        random.randint(0, 10**4), 1))
cases["flows-wild-times"] = ("\n".join(wild) + "\n").encode()

cases["nfdump-broken"] = b"ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt\n" + b"\n".join([
    b"2019-01-01 00:00:00,1970-01-01 00:00:00,-5,1.2.3.4,::1,99999,-1,XYZ,........,0,0,1,2,3,4",
    b'"unterminated,quote', b",,,,,,,,,,,,,,",
    b"2019-13-45 25:61:61,2019-01-01 00:00:00,1,a,b,c,d,e,f,g,h,i,j,k,l",
    b"Summary", b"flows,bytes", b"1,2"]) + b"\n"
cases["series-broken"] = (b"timestamp,value\n2014-02-14 14:30:00,1\n2014-02-14 14:25:00,2\n"
                          b"not a time,3\n2014-02-14 14:35:00,nan\n2014-02-14 14:40:00,1e999\n"
                          b"2014-02-14 14:45:00,\n,,,\n")
cases["argus-broken"] = (b"StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,"
                         b"TotPkts,TotBytes,SrcBytes,Label\n" + b"\n".join([
                             b"2019/04/04 16:23:00.325010,-1,tcp,1.2.3.4,0xffffff,->,5.6.7.8,80,S_,0,0,1,2,3,x",
                             b"9999/99/99 99:99:99,1e999,udp,x,y,<?>,z,w,,,,,,,",
                             b"2019/04/04 16:23:00,0,arp,,,,,,,,,,,,"]) + b"\n")

odd = ['{"WINDOW_START":%d,"a":%s,"b":%s,"c":1}' % (
    i * 300000, random.choice(["1", "2", "1e300", "-1e300", "0", repr(random.random())]),
    random.choice(["1", "null", '"t"', "5e-324", "3"])) for i in range(700)]
cases["series-odd"] = ("\n".join(odd) + "\n").encode()
cases["series-constant"] = "".join(
    '{"WINDOW_START":%d,"a":1,"b":1}\n' % (i * 300000) for i in range(700)).encode()
cases["series-two-rows"] = b'{"WINDOW_START":0,"a":1}\n{"WINDOW_START":300000,"a":2}\n'
cases["series-one-time"] = "".join('{"WINDOW_START":0,"a":%d}\n' % i for i in range(600)).encode()

os.makedirs(out, exist_ok=True)
for name, data in cases.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
