#!/usr/bin/env bats
# NetFlow v5 / v9 / IPFIX decoding on the samples shipped in data/netflow
# (no ../shared needed): record counts, field values, times, sampling,
# data before its template, sequence numbers and malformed datagrams.
load ../../tests/helpers
bats_require_minimum_version 1.5.0

NFD=$DATA/netflow

# Value of KEY in line N of $output (numbers and strings as printed).
field() {
    printf '%s\n' "$output" | sed -n "${1}p" | grep -o "\"$2\":[^,}]*" | head -1 | cut -d: -f2- | tr -d '"'
}

@test "v9: Cisco ASA template then data decodes to 14 flows" {
    run --separate-stderr nf-parse "$NFD/netflow9_test_cisco_asa_1_tpl.dat" "$NFD/netflow9_test_cisco_asa_1_data.dat"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 14 ]
    [ -z "$stderr" ]
}

@test "v9: Cisco ASA flow 2 has its addresses, ICMP type 8 as port 2048, bytes and start time" {
    run --separate-stderr nf-parse "$NFD/netflow9_test_cisco_asa_1_tpl.dat" "$NFD/netflow9_test_cisco_asa_1_data.dat"
    [ "$(field 2 IP_SRC_ADDR)" = 192.168.23.22 ]
    [ "$(field 2 IP_DST_ADDR)" = 164.164.37.11 ]
    [ "$(field 2 L4_SRC_PORT)" = 17549 ]
    [ "$(field 2 L4_DST_PORT)" = 2048 ]
    [ "$(field 2 PROTOCOL_NUM)" = 1 ]
    [ "$(field 2 IN_BYTES)" = 56 ]
    # flowStartMilliseconds (152) as logstash decodes it: 1444384068169
    [ "$(field 2 FIRST_SWITCHED)" = 1444384068169 ]
    [ "$(field 2 OBSERVATION_DOMAIN_ID)" = 0 ]
    [ "$(field 2 EXPORT_TIME)" = 1444384071000 ]
}

@test "v9: data before its template is held and decoded when the template comes" {
    run --separate-stderr nf-parse --stats "$NFD/netflow9_test_cisco_asa_1_data.dat" "$NFD/netflow9_test_cisco_asa_1_tpl.dat"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 14 ]
    [[ $stderr == *'"pending_sets":1,"pending_decoded":1,"pending_dropped":0,"undecodable_sets":0'* ]]
}

@test "IPFIX: Mikrotik template + data258 gives 28 flows, + data259 46 (as logstash)" {
    run --separate-stderr nf-parse "$NFD/ipfix_test_mikrotik_tpl.dat" "$NFD/ipfix_test_mikrotik_data258.dat"
    [ "$(line_count)" -eq 28 ]
    run --separate-stderr nf-parse "$NFD/ipfix_test_mikrotik_tpl.dat" "$NFD/ipfix_test_mikrotik_data258.dat" "$NFD/ipfix_test_mikrotik_data259.dat"
    [ "$(line_count)" -eq 46 ]
    [ "$(field 1 IP_SRC_ADDR)" = 10.10.8.197 ]
    [ "$(field 1 IN_BYTES)" = 152 ]
    [ "$(field 46 NEXT_HOP)" = ff02::1 ]
    [ "$(field 46 IP_SRC_ADDR)" = fe80::ff:fe00:1201 ]
}

@test "IPFIX: sysUpTime times without systemInitTime are null, EXPORT_TIME from the header" {
    run --separate-stderr nf-parse "$NFD/ipfix_test_mikrotik_tpl.dat" "$NFD/ipfix_test_mikrotik_data258.dat"
    [ "$(field 1 FIRST_SWITCHED)" = null ]
    [ "$(field 1 LAST_SWITCHED)" = null ]
    [ "$(field 1 FLOW_DURATION_MILLISECONDS)" = 0 ]
    [ "$(field 1 EXPORT_TIME)" = 1500481088000 ]
}

@test "IPFIX: --pending 1 keeps one early data set and drops the next, counted as undecodable" {
    run --separate-stderr nf-parse --pending 1 --stats "$NFD/ipfix_test_mikrotik_data258.dat" "$NFD/ipfix_test_mikrotik_data259.dat" "$NFD/ipfix_test_mikrotik_tpl.dat"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 28 ]
    [[ $stderr == *"1 data sets (1424 bytes) undecodable"* ]]
    [[ $stderr == *'"pending_dropped":1'* ]]
}

@test "IPFIX: Netscaler variable-length fields (one over 255 bytes) decode to 3 flows" {
    run --separate-stderr nf-parse "$NFD/ipfix_test_netscaler_tpl.dat" "$NFD/ipfix_test_netscaler_data.dat"
    [ "$(line_count)" -eq 3 ]
    [ "$(field 3 IP_SRC_ADDR)" = 192.168.0.1 ]
    [ "$(field 3 L4_DST_PORT)" = 443 ]
    [ "$(field 3 IN_BYTES)" = 1541 ]
    # flowStart/EndMicroseconds are NTP timestamps: 2016-11-11 12:09:19 UTC
    [ "$(field 3 FIRST_SWITCHED)" = 1478866159000 ]
}

@test "v5: netflow5.dat holds 2 records with sysUptime-relative times before the export" {
    run --separate-stderr nf-parse "$NFD/netflow5.dat"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 2 ]
    [ "$(field 1 IP_SRC_ADDR)" = 10.0.2.2 ]
    [ "$(field 1 L4_SRC_PORT)" = 54435 ]
    [ "$(field 1 TCP_FLAGS)" = 16 ]
    [ "$(field 1 IN_PKTS)" = 5 ]
    [ "$(field 1 IN_BYTES)" = 230 ]
    # export 18:38:08.280 (secs + nsecs); last 804 ms and first 3382 ms before it
    [ "$(field 1 EXPORT_TIME)" = 1430591888280 ]
    [ "$(field 1 LAST_SWITCHED)" = 1430591887476 ]
    [ "$(field 1 FIRST_SWITCHED)" = 1430591884898 ]
    [ "$(field 1 FLOW_DURATION_MILLISECONDS)" = 2578 ]
}

@test "v5 pcap: 29 records with exporter, AS numbers, masks and next hop" {
    run --separate-stderr nf-parse "$NFD/nfv5.pcap"
    [ "$(line_count)" -eq 29 ]
    [ "$(field 1 EXPORTER_IP)" = 10.19.144.41 ]
    [ "$(field 1 SRC_AS)" = 36351 ]
    [ "$(field 1 DST_MASK)" = 24 ]
    [ "$(field 1 NEXT_HOP)" = 61.6.255.150 ]
}

@test "RFC 5655 IPFIX file: 3,979 flows, 20 of them IPv6, times in 2015-08-03 12:08-12:11" {
    run --separate-stderr nf-parse "$NFD/cesnet-example_flows.ipfix"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 3979 ]
    [ "$(printf '%s\n' "$output" | grep -c '"IP_SRC_ADDR":"[^"]*:')" -eq 20 ]
    min=$(printf '%s\n' "$output" | grep -o '"FIRST_SWITCHED":[0-9]*' | cut -d: -f2 | sort -n | head -1)
    max=$(printf '%s\n' "$output" | grep -o '"FIRST_SWITCHED":[0-9]*' | cut -d: -f2 | sort -n | tail -1)
    [ "$min" -ge 1438603680000 ] && [ "$min" -lt 1438603740000 ] # 12:08
    [ "$max" -ge 1438603860000 ] && [ "$max" -lt 1438603920000 ] # 12:11
}

@test "sampling: v9 option SAMPLING_INTERVAL 2048 is carried by every flow" {
    run --separate-stderr nf-parse "$NFD/samplingrate-template.pcap" "$NFD/samplingrate-data.pcap"
    [ "$(line_count)" -eq 6 ]
    [ "$(printf '%s\n' "$output" | grep -c '"SAMPLING_INTERVAL":2048,')" -eq 6 ]
}

@test "sampling: v9 sampler IDs map flows to their own interval (2000 and 4000)" {
    run --separate-stderr nf-parse "$NFD"/multiplesamplingrates-options-template.pcap "$NFD"/multiplesamplingrates-options-data.pcap "$NFD"/multiplesamplingrates-template.pcap "$NFD"/multiplesamplingrates-data.pcap
    [ "$(line_count)" -eq 12 ]
    [ "$(printf '%s\n' "$output" | grep -c '"SAMPLING_INTERVAL":2000,')" -eq 11 ]
    [ "$(printf '%s\n' "$output" | grep -c '"SAMPLING_INTERVAL":4000,')" -eq 1 ]
}

@test "sampling: IPFIX PSAMP random 1-out-of-256 selector, --scale-sampling gives pmacct's 256 packets" {
    run --separate-stderr nf-parse "$NFD/pmacct-104-sampling_option.pcap"
    [ "$(line_count)" -eq 3 ]
    [ "$(field 1 SAMPLING_INTERVAL)" = 256 ]
    [ "$(field 1 IN_PKTS)" = 1 ]
    [ "$(field 1 IN_BYTES)" = 72 ]
    run --separate-stderr nf-parse --scale-sampling "$NFD/pmacct-104-sampling_option.pcap"
    [ "$(field 1 IN_PKTS)" = 256 ]
    [ "$(field 1 IN_BYTES)" = 18432 ]
}

@test "data without templates (nDPI netflowv9.pcap) is counted on stderr, never guessed" {
    run --separate-stderr nf-parse --stats "$NFD/ndpi-netflowv9.pcap"
    [ "$status" -eq 1 ] # nothing decoded: exit 1
    [ -z "$output" ]
    [[ $stderr == *"23 data sets (13176 bytes) undecodable: their template never arrived"* ]]
    [[ $stderr == *'"v9_packets":10'* && $stderr == *'"flows":0'* ]]
}

@test "malformed: netflow5 invalid01/02 and netflow9 invalid01 are rejected naming file, packet and byte" {
    run --separate-stderr nf-parse "$NFD/netflow5_test_invalid01.dat"
    [ "$status" -eq 1 ] # nothing decoded: exit 1
    [ -z "$output" ]
    [[ $stderr == *"netflow5_test_invalid01.dat: packet 1, byte 2: NetFlow v5 record count 55582 (1 to 30 allowed)"* ]]
    run --separate-stderr nf-parse "$NFD/netflow5_test_invalid02.dat"
    [[ $stderr == *"netflow5_test_invalid02.dat: packet 1, byte 2: NetFlow v5 record count 163"* ]]
    run --separate-stderr nf-parse "$NFD/netflow9_test_invalid01.dat"
    [ -z "$output" ]
    [[ $stderr == *"netflow9_test_invalid01.dat: packet 1, byte 2: header count 2, but the packet holds 6 flowsets"* ]]
}

@test "malformed: --strict makes a rejected datagram exit 1" {
    run --separate-stderr nf-parse --strict "$NFD/netflow5.dat" "$NFD/netflow5_test_invalid01.dat"
    [ "$status" -eq 1 ]
    [[ $stderr == *"record count 55582"* ]]
}

# Writes a datagram built by python3 (stdlib struct) from a Python expression.
mkdgram() {
    python3 -c "import struct,sys; sys.stdout.buffer.write($2)" >"$BATS_TEST_TMPDIR/$1"
}

# mkpcap OUT DGRAM...: a pcap (raw IPv4) of one exporter's UDP datagrams,
# the payloads given as Python expressions (sequence state is per file).
mkpcap() {
    local out=$1
    shift
    python3 - "$@" >"$BATS_TEST_TMPDIR/$out" <<'PY'
import struct, sys
w = sys.stdout.buffer
w.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
for expr in sys.argv[1:]:
    p = eval(expr)
    udp = struct.pack(">HHHH", 50000, 2055, 8 + len(p), 0) + p
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])) + udp
    w.write(struct.pack("<IIII", 1, 0, len(ip), len(ip)) + ip)
PY
}

@test "malformed: a flowset length past the datagram end is rejected at that byte" {
    require_cmd python3
    # v9 header (count 1) + flowset 256 claiming 200 bytes with only 8 present
    mkdgram lie.dat "struct.pack('>HHIIII',9,1,1000,1500000000,1,0)+struct.pack('>HH',256,200)+bytes(4)"
    run --separate-stderr nf-parse --format datagram "$BATS_TEST_TMPDIR/lie.dat"
    [ "$status" -eq 1 ] # nothing decoded: exit 1
    [ -z "$output" ]
    [[ $stderr == *"lie.dat: packet 1, byte 22: flowset 256 length 200 runs past the datagram end (8 bytes left)"* ]]
}

@test "malformed: an IPFIX template of zero-length fields is rejected, no endless loop" {
    require_cmd python3
    # message 36 bytes: template set with template 300 of two fields of length 0
    mkdgram zero.dat "struct.pack('>HHIII',10,36,1500000000,0,0)+struct.pack('>HHHHHHHH',2,20,300,2,8,0,12,0)+bytes(0)+struct.pack('>HH',300,4)"
    run --separate-stderr timeout 10 nf-parse --format datagram "$BATS_TEST_TMPDIR/zero.dat"
    [ "$status" -eq 1 ] # nothing decoded: exit 1
    [[ $stderr == *"zero.dat: packet 1, byte 20: template 300 describes zero-length records"* ]]
}

@test "malformed: an IPFIX message length longer than the datagram is rejected" {
    require_cmd python3
    mkdgram short.dat "struct.pack('>HHIII',10,400,1500000000,0,0)+bytes(8)"
    run --separate-stderr nf-parse --format datagram "$BATS_TEST_TMPDIR/short.dat"
    [[ $stderr == *"short.dat: packet 1, byte 2: IPFIX message length 400, only 24 bytes left"* ]]
}

@test "sequence numbers: a gap in v5 flow_sequence is reported as lost records" {
    require_cmd python3
    rec="bytes(48)"
    mkpcap ab.pcap "struct.pack('>HHIIIIBBH',5,1,1000,1500000000,0,100,0,0,0)+$rec" \
        "struct.pack('>HHIIIIBBH',5,1,2000,1500000001,0,105,0,0,0)+$rec"
    run --separate-stderr nf-parse --stats "$BATS_TEST_TMPDIR/ab.pcap"
    [ "$(line_count)" -eq 2 ]
    [[ $stderr == *"4 flow records lost (v5/IPFIX sequence numbers)"* ]]
    [[ $stderr == *'"lost_records":4'* ]]
}

@test "sequence numbers: v9 counts lost export packets" {
    require_cmd python3
    tpl="struct.pack('>HHHHHHHHHH',0,20,256,3,8,4,12,4,2,4)"
    data="struct.pack('>HHIII',256,16,0x0a000001,0x0a000002,7)"
    mkdgram p1.dat "struct.pack('>HHIIII',9,2,1000,1500000000,10,0)+$tpl+$data"
    mkdgram p2.dat "struct.pack('>HHIIII',9,1,2000,1500000001,13,0)+$data"
    mkpcap p.pcap "struct.pack('>HHIIII',9,2,1000,1500000000,10,0)+$tpl+$data" \
        "struct.pack('>HHIIII',9,1,2000,1500000001,13,0)+$data"
    run --separate-stderr nf-parse --stats "$BATS_TEST_TMPDIR/p.pcap"
    [ "$(line_count)" -eq 2 ]
    [ "$(field 2 IN_PKTS)" = 7 ]
    [[ $stderr == *"2 export packets lost (v9 sequence numbers)"* ]]
    # raw datagram files are separate streams: templates carry over, sequence numbers do not
    run --separate-stderr nf-parse --stats "$BATS_TEST_TMPDIR/p1.dat" "$BATS_TEST_TMPDIR/p2.dat"
    [ "$(line_count)" -eq 2 ]
    [[ $stderr == *'"lost_packets":0,'* ]]
}

@test "IPFIX: a withdrawn template no longer decodes its data" {
    require_cmd python3
    tpl="struct.pack('>HHHHHHHHHH',2,20,256,3,8,4,12,4,2,4)"
    data="struct.pack('>HHIII',256,16,0x0a000001,0x0a000002,7)"
    wd="struct.pack('>HHHH',2,8,256,0)"
    mkdgram m1.dat "struct.pack('>HHIII',10,52,1500000000,0,1)+$tpl+$data"
    mkdgram m2.dat "struct.pack('>HHIII',10,40,1500000001,1,1)+$wd+$data"
    run --separate-stderr nf-parse --stats "$BATS_TEST_TMPDIR/m1.dat" "$BATS_TEST_TMPDIR/m2.dat"
    [ "$(line_count)" -eq 1 ]
    [[ $stderr == *'"template_withdrawals":1'* ]]
    [[ $stderr == *"1 data sets (12 bytes) undecodable"* ]]
}

@test "IPFIX file from stdin is read like the file" {
    run --separate-stderr bash -c "nf-parse < '$NFD/cesnet-example_flows.ipfix' | wc -l"
    [ "$output" -eq 3979 ]
}

@test "pcapng: the same capture as pcapng gives the same records" {
    require_cmd editcap
    editcap -F pcapng "$NFD/nfv5.pcap" "$BATS_TEST_TMPDIR/nfv5.pcapng"
    nf-parse "$NFD/nfv5.pcap" >"$BATS_TEST_TMPDIR/a"
    nf-parse "$BATS_TEST_TMPDIR/nfv5.pcapng" >"$BATS_TEST_TMPDIR/b"
    [ "$(grep -c '' "$BATS_TEST_TMPDIR/b")" -eq 29 ]
    cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
}

@test "pcap: UDP datagrams that are not NetFlow are skipped and counted, not rejected" {
    require_cmd python3
    # one Ethernet/IPv4/UDP frame carrying a DNS-like payload
    python3 -c "
import struct,sys
p=b'\x12\x34\x01\x00'+bytes(20)
udp=struct.pack('>HHHH',53,5353,8+len(p),0)+p
ip=struct.pack('>BBHHHBBH4s4s',0x45,0,20+len(udp),0,0,64,17,0,bytes(4),bytes(4))+udp
fr=bytes(12)+b'\x08\x00'+ip
sys.stdout.buffer.write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,1)+struct.pack('<IIII',0,0,len(fr),len(fr))+fr)" >"$BATS_TEST_TMPDIR/dns.pcap"
    run --separate-stderr nf-parse --stats "$BATS_TEST_TMPDIR/dns.pcap"
    [ "$status" -eq 1 ] # nothing decoded: exit 1
    [ -z "$output" ]
    [[ $stderr == *'"udp_not_export":1'* && $stderr == *'"rejected_datagrams":0'* ]]
}

@test "pcap: a capture cut mid-packet keeps what came before and names the packet" {
    head -c 1000 "$NFD/nfv5.pcap" >"$BATS_TEST_TMPDIR/cut.pcap"
    run --separate-stderr nf-parse "$BATS_TEST_TMPDIR/cut.pcap"
    [ "$status" -eq 1 ] # nothing decoded: exit 1
    [[ $stderr == *"cut.pcap: packet 1: truncated dump file"* ]]
    run --separate-stderr nf-parse --format datagram /dev/null
    [[ $stderr == *"packet 1, byte 0: 0 bytes is too short for a NetFlow/IPFIX header"* ]]
}
