#!/usr/bin/env bats
# NetFlow/IPFIX decoding of every shared sample (../shared/data): the
# pinned outcome of each of the 92 logstash datagrams and 27 akvorado
# pcaps, the nfcapd flow count of every pmacct pcap, and field-by-field
# agreement with nfdump's decoding of the same exports.
load ../../tests/helpers
bats_require_minimum_version 1.5.0

# Runs nf-parse on the files of one row (in DIR) and checks FLOWS,
# UNDECODABLE data sets and, if given, the rejection reason.
# Row: "file [file...]|flows|undecodable sets|rejection (after 'packet 1, ')"
check_rows() {
    local dir=$1 table=$2 bad=0 files flows undec reason n u
    while IFS='|' read -r files flows undec reason; do
        [ -n "$files" ] || continue
        (cd "$dir" && nf-parse $files >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err")
        n=$(grep -c '' "$BATS_TEST_TMPDIR/out")
        u=$(grep -o '[0-9]* data sets ([0-9]* bytes) undecodable' "$BATS_TEST_TMPDIR/err" | cut -d' ' -f1)
        u=${u:-0}
        if [ "$n" != "$flows" ] || [ "$u" != "$undec" ]; then
            echo "$files: $n flows, $u undecodable sets; pinned $flows, $undec"
            bad=$((bad + 1))
        fi
        if [ -n "$reason" ] && ! grep -qF "packet 1, $reason" "$BATS_TEST_TMPDIR/err"; then
            echo "$files: expected rejection '$reason', stderr: $(cat "$BATS_TEST_TMPDIR/err")"
            bad=$((bad + 1))
        fi
        if [ -z "$reason" ] && grep -q 'packet [0-9]*, byte' "$BATS_TEST_TMPDIR/err"; then
            echo "$files: unexpected rejection: $(cat "$BATS_TEST_TMPDIR/err")"
            bad=$((bad + 1))
        fi
    done <"$table"
    [ "$bad" -eq 0 ]
}

@test "logstash: every one of the 92 datagrams has its pinned outcome (flows, undecodable sets, rejection)" {
    require_shared
    cat >"$BATS_TEST_TMPDIR/table" <<'TABLE'
ipfix.dat|12|0|
ipfix_test_barracuda_tpl.dat ipfix_test_barracuda_data256.dat|8|0|
ipfix_test_barracuda_extended_uniflow_tpl256.dat ipfix_test_barracuda_extended_uniflow_data256.dat|2|0|
ipfix_test_ixia_tpldata256.dat|1|0|
ipfix_test_ixia_tpldata271.dat|2|0|
ipfix_test_juniper_mx240_junos151r6s3_opttpl512.dat ipfix_test_juniper_mx240_junos151r6s3_data512.dat|0|0|
ipfix_test_mikrotik_tpl.dat ipfix_test_mikrotik_data258.dat|28|0|
ipfix_test_mikrotik_tpl.dat ipfix_test_mikrotik_data258.dat ipfix_test_mikrotik_data259.dat|46|0|
ipfix_test_netscaler_tpl.dat ipfix_test_netscaler_data.dat|3|1|
ipfix_test_nokia_bras_tpl.dat ipfix_test_nokia_bras_data256.dat|1|0|
ipfix_test_openbsd_pflow_tpl.dat ipfix_test_openbsd_pflow_data.dat|26|0|
ipfix_test_procera_tpl52935.dat ipfix_test_procera_data52935.dat|8|0|
ipfix_test_viptela_tpl257.dat ipfix_test_viptela_data257.dat|1|0|
ipfix_test_vmware_vds_tpl.dat ipfix_test_vmware_vds_data264.dat ipfix_test_vmware_vds_data266.dat ipfix_test_vmware_vds_data266_267.dat|5|0|
ipfix_test_yaf_tpls_option_tpl.dat ipfix_test_yaf_tpl45841.dat ipfix_test_yaf_data45841.dat ipfix_test_yaf_data45873.dat ipfix_test_yaf_data53248.dat|2|0|
netflow5.dat|2|0|
netflow5_test_invalid01.dat|0|0|byte 2: NetFlow v5 record count 55582 (1 to 30 allowed)
netflow5_test_invalid02.dat|0|0|byte 2: NetFlow v5 record count 163 (1 to 30 allowed)
netflow5_test_juniper_mx80.dat|29|0|
netflow5_test_microtik.dat|30|0|
netflow9_cisco_asr1001x_tpl259.dat|25|0|
netflow9_test_0length_fields_tpl_data.dat|10|0|
netflow9_test_cisco_1941K9.dat|29|0|
netflow9_test_cisco_aci_tpl256-258.dat netflow9_test_cisco_aci_data256.dat|3|0|
netflow9_test_cisco_asa_1_tpl.dat netflow9_test_cisco_asa_1_data.dat|14|0|
netflow9_test_cisco_asa_2_tpl_26x.dat netflow9_test_cisco_asa_2_tpl_27x.dat netflow9_test_cisco_asa_2_data.dat|19|0|
netflow9_test_cisco_asr9k_opttpl256.dat netflow9_test_cisco_asr9k_opttpl257.dat netflow9_test_cisco_asr9k_opttpl334.dat netflow9_test_cisco_asr9k_tpl260.dat netflow9_test_cisco_asr9k_tpl266.dat netflow9_test_cisco_asr9k_data256.dat netflow9_test_cisco_asr9k_data260.dat|21|0|
netflow9_test_cisco_nbar_opttpl260.dat netflow9_test_cisco_nbar_tpl262.dat netflow9_test_cisco_nbar_data262.dat|5|0|
netflow9_test_cisco_wlc_tpl.dat netflow9_test_cisco_wlc_8510_tpl_262.dat netflow9_test_cisco_wlc_data261.dat|19|0|
netflow9_test_field_layer2segmentid_tpl.dat netflow9_test_field_layer2segmentid_data.dat|1|0|
netflow9_test_fortigate_fortios_521_tpl.dat netflow9_test_fortigate_fortios_521_data256.dat netflow9_test_fortigate_fortios_521_data257.dat|1|0|
netflow9_test_fortigate_fortios_542_appid_tpl258-269.dat netflow9_test_fortigate_fortios_542_appid_data258_262.dat|17|0|
netflow9_test_h3c_tpl3281.dat netflow9_test_h3c_data3281.dat|16|0|
netflow9_test_h3c_netstream_varstring_tpl3281.dat netflow9_test_h3c_netstream_varstring_data3281.dat|1|0|
netflow9_test_huawei_netstream_tpl.dat netflow9_test_huawei_netstream_data.dat|1|0|
netflow9_test_invalid01.dat|0|0|byte 2: header count 2, but the packet holds 6 flowsets
netflow9_test_iptnetflow_reduced_size_encoding_tpldata260.dat|12|6|
netflow9_test_juniper_srx_tplopt.dat|0|0|
netflow9_test_macaddr_tpl.dat netflow9_test_macaddr_data.dat|29|0|
netflow9_test_nprobe_tpl.dat netflow9_test_nprobe_data.dat|1|0|
netflow9_test_nprobe_tpl.dat netflow9_test_softflowd_tpl_data.dat netflow9_test_nprobe_data.dat|8|0|
netflow9_test_nprobe_dpi.dat|1|0|
netflow9_test_paloalto_81_tpl256-263.dat netflow9_test_paloalto_81_data257_1flowset_in_large_zerofilled_packet.dat|1|0|
netflow9_test_paloalto_panos_tpl.dat netflow9_test_paloalto_panos_data.dat|8|0|
netflow9_test_softflowd_tpl_data.dat|7|0|
netflow9_test_streamcore_tpl_data256.dat|2|0|
netflow9_test_streamcore_tpl_data260.dat|2|0|
netflow9_test_ubnt_edgerouter_tpl.dat netflow9_test_ubnt_edgerouter_data1024.dat netflow9_test_ubnt_edgerouter_data1025.dat|16|0|
netflow9_test_unknown_tpl266_292_data.dat|2|0|
netflow9_test_valid01.dat|7|0|
TABLE
    # every file of the folder is in the table
    [ "$(tr ' |' '\n\n' <"$BATS_TEST_TMPDIR/table" | grep '\.dat$' | sort -u | wc -l)" -eq 92 ]
    [ "$(ls "$SHARED/logstash-netflow-payloads"/*.dat | wc -l)" -eq 92 ]
    run check_rows "$SHARED/logstash-netflow-payloads" "$BATS_TEST_TMPDIR/table"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "akvorado: every one of the 27 pcaps has its pinned outcome" {
    require_shared
    cat >"$BATS_TEST_TMPDIR/table" <<'TABLE'
data+templates.pcap|21|0|
data.pcap|0|1|
template.pcap|0|0|
template.pcap data.pcap|4|0|
datalink-template.pcap datalink-data.pcap|1|0|
datalink-data.pcap|0|1|
ethernet-over-mpls-with-control-word-template.pcap ethernet-over-mpls-with-control-word-data.pcap|10|0|
icmp-template.pcap icmp-data.pcap|4|0|
ipfix-srv6-template.pcap ipfix-srv6-data.pcap|1|0|
ipfixprobe-templates.pcap ipfixprobe-data.pcap|4|0|
juniper-cpid-template.pcap juniper-cpid-data.pcap|1|0|
mpls.pcap|2|0|
multiplesamplingrates-options-template.pcap multiplesamplingrates-options-data.pcap multiplesamplingrates-template.pcap multiplesamplingrates-data.pcap|12|0|
nat.pcap|9|0|
nfv5.pcap|29|0|
options-template.pcap options-data.pcap|0|0|
physicalinterfaces.pcap|8|0|
samplingrate-template.pcap samplingrate-data.pcap|6|0|
TABLE
    [ "$(tr ' |' '\n\n' <"$BATS_TEST_TMPDIR/table" | grep '\.pcap$' | sort -u | wc -l)" -eq 27 ]
    [ "$(ls "$SHARED/akvorado-netflow-pcaps"/*.pcap | wc -l)" -eq 27 ]
    run check_rows "$SHARED/akvorado-netflow-pcaps" "$BATS_TEST_TMPDIR/table"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "pmacct: every pcap gives the nfcapd flow count of the data README" {
    require_shared
    bad=0
    while read -r prefix want; do
        got=$(nf-parse "$SHARED/pmacct-nfv9-ipfix/$prefix"*.pcap 2>/dev/null | grep -c '')
        if [ "$got" != "$want" ]; then
            echo "$prefix: $got flows, nfcapd $want"
            bad=1
        fi
    done <<'COUNTS'
100-IPFIXv10-CISCO__traffic-00 12
101-NFv9-CISCO-cust_primitives__traffic-00 51
102-NFv9-CISCO-f2rd-pretag-sampling-reload__traffic-00 35
104-IPFIXv10-IPv6-CISCO-sampling_option__traffic-00 3
106-IPFIXv10-HUAWEI-vrf_name__traffic-00 3
111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources__traffic-00 11
111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources__traffic-01 13
112-IPFIXv10-CISCO-options-map-reassignment__traffic-00 9
400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources__traffic-00 657
400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources__traffic-01 109
401-IPFIXv10-BMP-IPv6-CISCO-MPLS-multiple-sources__traffic-00 748
401-IPFIXv10-BMP-IPv6-CISCO-MPLS-multiple-sources__traffic-01 716
403-IPFIXv10-BMP-IPv6-CISCO-locrib-peerdown-vrf__traffic-00 480
500-IPFIXv10-BGP-CISCO-SRv6__traffic-00 43
501-IPFIXv10-BGP-IPv6-CISCO-MPLS__traffic-00 74
502-IPFIXv10-BGP-IPv6-CISCO-SRv6-lcomms__traffic-00 75
COUNTS
    [ "$bad" -eq 0 ]
}

@test "pmacct: addresses, ports, protocol, packets, bytes and times agree with nfdump for all 3,039 rows" {
    require_shared
    require_cmd python3
    # each pcap to its own decoder, as each went to its own nfcapd
    for f in "$SHARED"/pmacct-nfv9-ipfix/*.pcap; do
        nf-parse "$f" 2>/dev/null
    done >"$BATS_TEST_TMPDIR/flows"
    run python3 "$BATS_TEST_DIRNAME/netflow_compare.py" "$SHARED/nfdump-csv/pmacct-swisscom-routers.nfdump.csv" <"$BATS_TEST_TMPDIR/flows"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"3039 rows compared with 3039, 0 only in nfdump, 0 only in nf-parse"* ]]
}

@test "CESNET IPFIX file: every field compared agrees with nfdump for all 3,979 rows" {
    require_shared
    require_cmd python3
    nf-parse "$SHARED/cesnet-ipfix-file/example_flows.ipfix" >"$BATS_TEST_TMPDIR/flows"
    run python3 "$BATS_TEST_DIRNAME/netflow_compare.py" "$SHARED/nfdump-csv/cesnet-ipfixcol2-example.nfdump.csv" <"$BATS_TEST_TMPDIR/flows"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"3979 rows compared with 3979, 0 only"* ]]
}

@test "comparison script catches a changed byte count (the check can fail)" {
    require_shared
    require_cmd python3
    nf-parse "$SHARED/cesnet-ipfix-file/example_flows.ipfix" | sed '7s/"IN_BYTES":[0-9]*/"IN_BYTES":1/' >"$BATS_TEST_TMPDIR/flows"
    run python3 "$BATS_TEST_DIRNAME/netflow_compare.py" "$SHARED/nfdump-csv/cesnet-ipfixcol2-example.nfdump.csv" <"$BATS_TEST_TMPDIR/flows"
    [ "$status" -eq 1 ]
    [[ $output == *"1 only in nfdump, 1 only in nf-parse"* ]]
}

@test "CESNET wrapped pcap gives the same records as the IPFIX file, plus the exporter address" {
    require_shared
    nf-parse "$SHARED/cesnet-ipfix-file/example_flows.ipfix" >"$BATS_TEST_TMPDIR/a"
    nf-parse "$SHARED/cesnet-ipfix-file/example_flows.wrapped-udp4739.pcap" | sed 's/,"EXPORTER_IP":"192.0.2.1"//' >"$BATS_TEST_TMPDIR/b"
    cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
}

@test "pcap --port keeps only datagrams to or from that port" {
    require_shared
    run --separate-stderr nf-parse --port 4739 "$SHARED/cesnet-ipfix-file/example_flows.wrapped-udp4739.pcap"
    [ "$(line_count)" -eq 3979 ]
    run --separate-stderr nf-parse --port 2055 --stats "$SHARED/cesnet-ipfix-file/example_flows.wrapped-udp4739.pcap"
    [ -z "$output" ]
    [[ $stderr == *'"udp_other_port":68'* ]]
}
