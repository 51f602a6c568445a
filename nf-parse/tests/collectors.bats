#!/usr/bin/env bats
# JSON flow records of the collectors people run: pmacct (nfacctd print /
# Kafka JSON) and GoFlow2 (v1 CamelCase, v2 snake_case), sniffed from the
# first record or named with --format pmacct|goflow2.
load ../../tests/helpers
bats_require_minimum_version 1.5.0

PM=$SHARED/pmacct-nfv9-ipfix
GF=$BATS_TEST_DIRNAME/goflow2
CMP=$BATS_TEST_DIRNAME/collector_compare.py

# nfacctd's expected output for test N against nf-parse's decoding of the
# same pcaps. nfacctd aggregates flows that share its primitives into one
# record (test 400: 766 decoded flows, 75 records), so the comparison groups
# both sides by (addresses, ports, protocol) and compares the sums of
# packets and bytes per group; nfacctd renormalises sampled counts, hence
# --scale-sampling on the pcap side.
pmacct_agrees() {
    require_shared
    require_cmd python3
    local json
    json=$(ls "$PM/$1"__expected-output-flow-00.json)
    run --separate-stderr nf-parse "$json"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/json.ndjson"
    [ "$(grep -c '' "$BATS_TEST_TMPDIR/json.ndjson")" -eq "$(grep -c '' "$json")" ]
    nf-parse --scale-sampling "$PM/$1"__traffic-*.pcap >"$BATS_TEST_TMPDIR/pcap.ndjson" 2>/dev/null
    python3 "$CMP" "$BATS_TEST_TMPDIR/json.ndjson" "$BATS_TEST_TMPDIR/pcap.ndjson"
}

@test "pmacct JSON 100-IPFIXv10-CISCO: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 100-IPFIXv10-CISCO
}

@test "pmacct JSON 101-NFv9-CISCO-cust_primitives: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 101-NFv9-CISCO-cust_primitives
}

@test "pmacct JSON 102-NFv9-CISCO-f2rd-pretag-sampling-reload: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 102-NFv9-CISCO-f2rd-pretag-sampling-reload
}

@test "pmacct JSON 104-IPFIXv10-IPv6-CISCO-sampling_option: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 104-IPFIXv10-IPv6-CISCO-sampling_option
}

@test "pmacct JSON 106-IPFIXv10-HUAWEI-vrf_name: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 106-IPFIXv10-HUAWEI-vrf_name
}

@test "pmacct JSON 111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources
}

@test "pmacct JSON 112-IPFIXv10-CISCO-options-map-reassignment: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 112-IPFIXv10-CISCO-options-map-reassignment
}

@test "pmacct JSON 400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources
}

@test "pmacct JSON 401-IPFIXv10-BMP-IPv6-CISCO-MPLS-multiple-sources: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 401-IPFIXv10-BMP-IPv6-CISCO-MPLS-multiple-sources
}

@test "pmacct JSON 403-IPFIXv10-BMP-IPv6-CISCO-locrib-peerdown-vrf: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 403-IPFIXv10-BMP-IPv6-CISCO-locrib-peerdown-vrf
}

@test "pmacct JSON 500-IPFIXv10-BGP-CISCO-SRv6: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 500-IPFIXv10-BGP-CISCO-SRv6
}

@test "pmacct JSON 501-IPFIXv10-BGP-IPv6-CISCO-MPLS: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 501-IPFIXv10-BGP-IPv6-CISCO-MPLS
}

@test "pmacct JSON 502-IPFIXv10-BGP-IPv6-CISCO-SRv6-lcomms: addresses, ports, protocol, packets and bytes equal the pcap's (sums per 5-tuple)" {
    pmacct_agrees 502-IPFIXv10-BGP-IPv6-CISCO-SRv6-lcomms
}

@test "pmacct JSON: sniffed from ip_src, ip_proto names and peer_ip_src mapped" {
    require_shared
    run --separate-stderr nf-parse "$PM/100-IPFIXv10-CISCO__expected-output-flow-00.json"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == '{"ID":1,"IP_SRC_ADDR":"10.231.65.56","IP_DST_ADDR":"10.192.12.213","L4_SRC_PORT":17000,"L4_DST_PORT":17000,"PROTOCOL_NUM":17,'* ]]
    [[ ${lines[0]} == *'"IN_PKTS":2,"IN_BYTES":220,'*'"SRC_TOS":184,"INPUT_SNMP":995,"OUTPUT_SNMP":841,'*'"EXPORTER_IP":"172.21.1.101"'* ]]
    [ "$(nf-parse --format pmacct "$PM/100-IPFIXv10-CISCO__expected-output-flow-00.json")" = "$output" ]
}

@test "pmacct JSON: times as text or since the epoch, tcp_flags as a number or names" {
    printf '%s\n' '{"ip_src":"10.0.0.1","ip_dst":"10.0.0.2","port_src":1,"port_dst":2,"ip_proto":"tcp","tcp_flags":"18","packets":1,"bytes":60,"timestamp_start":"2023-02-28 10:26:01.250000","timestamp_end":"2023-02-28 10:26:02.000000"}' \
        '{"ip_src":"10.0.0.1","ip_dst":"10.0.0.2","ip_proto":6,"tcp_flags":["SYN","ACK"],"packets":1,"bytes":60,"timestamp_start":"1677579961.250000","timestamp_end":1677579962}' \
        >"$BATS_TEST_TMPDIR/p.json"
    run --separate-stderr nf-parse "$BATS_TEST_TMPDIR/p.json"
    [ "$status" -eq 0 ]
    for i in 0 1; do
        [[ ${lines[$i]} == *'"PROTOCOL_NUM":6,"TCP_FLAGS":18,"FIRST_SWITCHED":1677579961250,"LAST_SWITCHED":1677579962000,"FLOW_DURATION_MILLISECONDS":750,'* ]]
    done
}

@test "pmacct JSON: a bad value is rejected naming the key; without addresses too" {
    printf '%s\n' '{"ip_src":"10.0.0.1","ip_dst":"10.0.0.2","packets":"many","bytes":1}' \
        '{"ip_src":"10.0.0.1","ip_dst":"10.0.0.2","packets":1,"bytes":1}' '{"peer_ip_src":"10.0.0.9","packets":1}' >"$BATS_TEST_TMPDIR/b.json"
    run --separate-stderr nf-parse "$BATS_TEST_TMPDIR/b.json"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ $stderr == *"b.json:1: packets: not a value nf-parse can read"* ]]
    [[ $stderr == *"b.json:3: ip_src and ip_dst: required"* ]]
}

@test "GoFlow2 v1 JSON (hand-written from its schema): every mapped field" {
    run --separate-stderr nf-parse "$GF/v1.json"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = '{"ID":1,"IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"198.51.100.7","L4_SRC_PORT":49152,"L4_DST_PORT":443,"PROTOCOL_NUM":6,"TCP_FLAGS":27,"FIRST_SWITCHED":1700000000250,"LAST_SWITCHED":1700000005750,"FLOW_DURATION_MILLISECONDS":5500,"IN_PKTS":3,"IN_BYTES":1500,"OUT_PKTS":0,"OUT_BYTES":0,"FLOWS":1,"SRC_TOS":0,"INPUT_SNMP":10,"OUTPUT_SNMP":20,"SRC_AS":64500,"DST_AS":64501,"SRC_MASK":24,"DST_MASK":16,"EXPORTER_IP":"192.0.2.1","EXPORT_TIME":1700000010000}' ]
    [[ ${lines[1]} == *'"IP_SRC_ADDR":"2001:db8:1::5",'*'"EXPORTER_IP":"2001:db8::1","SAMPLING_INTERVAL":100,'* ]]
    [[ ${lines[2]} == *'"FIRST_SWITCHED":null,"LAST_SWITCHED":null,'* ]]
}

@test "GoFlow2 v2 JSON: snake_case keys, protocol names, sniffed or --format goflow2" {
    run --separate-stderr nf-parse "$GF/v2.json"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == '{"ID":1,"IP_SRC_ADDR":"10.1.0.1","IP_DST_ADDR":"10.2.0.2","L4_SRC_PORT":22,"L4_DST_PORT":50000,"PROTOCOL_NUM":6,"TCP_FLAGS":0,"FIRST_SWITCHED":1700000015000,"LAST_SWITCHED":1700000019000,"FLOW_DURATION_MILLISECONDS":4000,"IN_PKTS":5,"IN_BYTES":4000,'* ]]
    [[ ${lines[1]} == *'"PROTOCOL_NUM":17,'*'"SAMPLING_INTERVAL":10,'* ]]
    [ "$(nf-parse --format goflow2 - <"$GF/v2.json")" = "$output" ]
}

@test "collectors: a GoFlow2 file read as pmacct is refused record by record, exit 1" {
    run --separate-stderr nf-parse --format pmacct "$GF/v1.json"
    [ "$status" -eq 1 ]
    [[ $stderr == *"v1.json:1: ip_src and ip_dst: required"* ]]
    [[ $stderr == *"no flow record in the input"* ]]
}
