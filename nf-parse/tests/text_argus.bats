#!/usr/bin/env bats
# nf-parse on Argus binetflow CSV (data/ctu-argus-24h.binetflow, shipped).
load ../../tests/helpers
bats_require_minimum_version 1.5.0

ARGUS=$DATA/ctu-argus-24h.binetflow

# The file is parsed once; the spot-value tests read the saved output.
setup_file() {
    nf-parse "$DATA/ctu-argus-24h.binetflow" >"$BATS_FILE_TMPDIR/argus.ndjson"
}
# Record N of the saved output, or of the last run's output with "run".
rec() { sed -n "${1}p" "$BATS_FILE_TMPDIR/argus.ndjson"; }
rrec() { printf '%s\n' "$output" | sed -n "${1}p"; }
has() {
    local n=$1 r
    shift
    r=$(rec "$n")
    for frag in "$@"; do
        [[ $r == *"$frag"* ]] || { echo "record $n lacks $frag: $r"; return 1; }
    done
}

@test "Argus CSV: the CTU 24-hour file gives exactly 6,751 flows and no complaints" {
    run --separate-stderr nf-parse "$ARGUS"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 6751 ]
    [ -z "$stderr" ]
}

@test "Argus CSV: the same file in ../shared gives the same output" {
    require_shared
    nf-parse "$SHARED/slips-ctu-argus-binetflow/test2-malicious.binetflow" | cmp - "$BATS_FILE_TMPDIR/argus.ndjson"
}

@test "Argus CSV: first flow as in docs/records.md; source side is IN, the rest of the totals OUT" {
    [ "$(rec 1)" = '{"ID":1,"IP_SRC_ADDR":"10.8.0.69","IP_DST_ADDR":"8.8.8.8","L4_SRC_PORT":48427,"L4_DST_PORT":53,"PROTOCOL_NUM":17,"TCP_FLAGS":0,"FIRST_SWITCHED":1554394980325,"LAST_SWITCHED":1554394980352,"FLOW_DURATION_MILLISECONDS":27,"IN_PKTS":1,"IN_BYTES":63,"OUT_PKTS":1,"OUT_BYTES":79,"FLOWS":1,"SRC_TOS":0,"DST_TOS":0,"ARGUS_DIR":"<->","ARGUS_STATE":"CON"}' ]
}

@test "Argus CSV: ICMP Sport 0x0008 (echo request) becomes L4_DST_PORT 8*256, source port 0" {
    has 12 '"IP_DST_ADDR":"192.168.170.1"' '"L4_SRC_PORT":0,' '"L4_DST_PORT":2048,' \
        '"PROTOCOL_NUM":1,' '"FIRST_SWITCHED":1554394987963,' '"ARGUS_STATE":"ECO"'
}

@test "Argus CSV: ICMP 0x0403 (type 3 code 4, state URF) becomes 772; empty dTos gives no DST_TOS" {
    has 31 '"L4_DST_PORT":772,' '"FLOW_DURATION_MILLISECONDS":3469472,' \
        '"LAST_SWITCHED":1554398598686,' '"IN_PKTS":96,' '"IN_BYTES":55296,' '"SRC_TOS":192,' \
        '"ARGUS_DIR":"->"'
    [[ $(rec 31) != *DST_TOS* ]]
}

@test "Argus CSV: IGMP without ports gives ports 0; the <?> arrow is kept" {
    has 28 '"IP_DST_ADDR":"0.0.0.1"' '"L4_SRC_PORT":0,' '"L4_DST_PORT":0,' '"PROTOCOL_NUM":2,'
    has 3272 '"ARGUS_DIR":"<?>"' '"ARGUS_STATE":"PA_PA"' '"IN_PKTS":75,' '"IN_BYTES":36029,' \
        '"OUT_PKTS":72,' '"OUT_BYTES":4581,'
}

@test "Argus CSV: protocol counts match the file (3925 tcp, 2754 udp, 65 icmp, 7 igmp)" {
    out=$BATS_FILE_TMPDIR/argus.ndjson
    [ "$(grep -c '"PROTOCOL_NUM":6,' "$out")" -eq 3925 ]
    [ "$(grep -c '"PROTOCOL_NUM":17,' "$out")" -eq 2754 ]
    [ "$(grep -c '"PROTOCOL_NUM":1,' "$out")" -eq 65 ]
    [ "$(grep -c '"PROTOCOL_NUM":2,' "$out")" -eq 7 ]
}

@test "Argus CSV: --tz Europe/Prague moves April (summer time) times back by two hours" {
    run nf-parse --tz Europe/Prague "$ARGUS"
    [[ $(rrec 1) == *'"FIRST_SWITCHED":1554387780325,"LAST_SWITCHED":1554387780352,'* ]]
}

@test "Argus CSV: a quoted Label with a comma is one field (libcsv), written as LABEL" {
    { head -1 "$ARGUS"; printf '%s\n' '2019/04/04 16:23:00.325010,0.5,udp,10.8.0.69,48427,  <->,8.8.8.8,53,CON,0,0,2,142,63,1,"From-Botnet,V1"'; } \
        >"$BATS_TEST_TMPDIR/l.binetflow"
    run nf-parse "$BATS_TEST_TMPDIR/l.binetflow"
    [ "$status" -eq 0 ]
    [[ $(rrec 1) == *'"FLOW_DURATION_MILLISECONDS":500,'*'"ARGUS_STATE":"CON","LABEL":"From-Botnet,V1"}' ]]
}

@test "Argus CSV: arp records are kept with PROTOCOL_NUM 0 and ARGUS_PROTO; an unknown protocol is rejected" {
    { head -1 "$ARGUS"
      printf '%s\n' '2019/04/04 16:23:00.325010,0.5,arp,10.8.0.1,,   ->,10.8.0.69,,CON,,,1,60,60,1,'
      printf '%s\n' '2019/04/04 16:23:00.325010,0.5,frobnicate,10.8.0.1,,   ->,10.8.0.69,,CON,,,1,60,60,1,'; } \
        >"$BATS_TEST_TMPDIR/a.binetflow"
    run --separate-stderr nf-parse "$BATS_TEST_TMPDIR/a.binetflow"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 1 ]
    [[ $(rrec 1) == *'"PROTOCOL_NUM":0,'*'"ARGUS_PROTO":"arp"'* ]]
    [[ $stderr == *"a.binetflow:3: Proto: unknown protocol ('frobnicate')"* ]]
}

@test "Argus CSV: SrcBytes above TotBytes is rejected naming the column" {
    { head -1 "$ARGUS"; printf '%s\n' '2019/04/04 16:23:00.325010,0.5,udp,10.8.0.69,48427,  <->,8.8.8.8,53,CON,0,0,2,142,999,1,'; } \
        >"$BATS_TEST_TMPDIR/b.binetflow"
    run --separate-stderr nf-parse "$BATS_TEST_TMPDIR/b.binetflow"
    [ "$status" -eq 1 ] # the only row rejected: exit 1
    [ -z "$output" ]
    [[ $stderr == *"b.binetflow:2: SrcBytes: not a number up to 142 ('999')"* ]]
}

@test "Argus: TCP_FLAGS come from the source side of State (S_ is a lone SYN, FSPA_FSRPA is 27)" {
    hdr='StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,SrcPkts,Label'
    printf '%s\n' "$hdr" \
        '2019/04/04 16:23:00.000000,0.1,tcp,10.8.0.69,40000,   ->,1.2.3.4,22,S_,0,0,1,60,60,1,' \
        '2019/04/04 16:23:01.000000,0.1,tcp,10.8.0.69,40001,   ->,1.2.3.4,443,FSPA_FSRPA,0,0,9,900,400,5,' \
        '2019/04/04 16:23:02.000000,0.1,udp,10.8.0.69,40002,  <->,8.8.8.8,53,CON,0,0,2,100,50,1,' >"$BATS_TEST_TMPDIR/a.csv"
    run nf-parse "$BATS_TEST_TMPDIR/a.csv"
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == *'"PROTOCOL_NUM":6,"TCP_FLAGS":2,'* ]]
    [[ "${lines[1]}" == *'"PROTOCOL_NUM":6,"TCP_FLAGS":27,'* ]]
    [[ "${lines[2]}" == *'"PROTOCOL_NUM":17,"TCP_FLAGS":0,'* ]]
}

@test "Argus CSV: a header without TotBytes is refused naming the column" {
    printf 'StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,TotPkts\n' >"$BATS_TEST_TMPDIR/a.binetflow"
    run nf-parse --format argus "$BATS_TEST_TMPDIR/a.binetflow"
    [ "$status" -eq 1 ]
    [[ $output == *"a.binetflow:1: Argus CSV header lacks the column 'TotBytes'"* ]]
}
