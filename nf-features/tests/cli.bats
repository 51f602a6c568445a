#!/usr/bin/env bats
# nf-features: options, input checks, and every choice docs/features.md
# makes where the published feature list is silent (one test per choice).

load ../../tests/helpers

setup() {
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
}

W0=1554393600000 # a 300 s window start
W1=1554393900000
W2=1554394200000

# agg START SRC DST PROTO FLOWS PACKETS BYTES: one nf-window aggregate record
agg() {
    printf '{"WINDOW_START":%s,"WINDOW_END":%s,"SRC_NET":"%s","DST_NET":"%s","PROTOCOL_NUM":%s,"FLOWS":%s,"PACKETS":%s,"BYTES":%s}\n' \
        "$1" "$(($1 + 300000))" "$2" "$3" "$4" "$5" "$6" "$7"
}

empty() {
    printf '{"WINDOW_START":%s,"WINDOW_END":%s,"SRC_NET":null,"DST_NET":null,"PROTOCOL_NUM":null,"FLOWS":0,"PACKETS":0,"BYTES":0}\n' \
        "$1" "$(($1 + 300000))"
}

# f FEATURE [RECORD#]: value of a feature in the output of the last run
f() {
    printf '%s\n' "$output" | sed -n "${2:-1}p" | jq -c ".$1"
}

@test "--help and --version exit 0 and name the tool" {
    run nf-features --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"--internal"* ]]
    [[ "$output" == *"--per-flow"* ]]
    run nf-features --version
    [ "$status" -eq 0 ]
    [[ "$output" == "nf-features (nfshift) "* ]]
}

@test "interval mode without --internal is a usage error (exit 2) that says what is missing" {
    run nf-features </dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"needs the internal prefixes: --internal"* ]]
}

@test "a bad --internal prefix and --window in interval mode are usage errors" {
    run nf-features --internal 10.0.0.0/33 </dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"--internal: not a CIDR prefix: '10.0.0.0/33'"* ]]
    run nf-features --internal 10.0.0.0/8 --window 300 </dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"--window applies to --per-flow only"* ]]
}

@test "output: WINDOW_START, WINDOW_END, then the 116 features with the names and order of the list" {
    require_shared
    agg $W0 10.0.0.0/24 8.8.8.0/24 17 1 2 100 | nf-features --internal 10.0.0.0/8 >"$TMP/out"
    jq -r 'keys_unsorted[]' "$TMP/out" >"$TMP/keys"
    [ "$(wc -l <"$TMP/keys")" -eq 118 ]
    [ "$(sed -n 1p "$TMP/keys")" = WINDOW_START ]
    [ "$(sed -n 2p "$TMP/keys")" = WINDOW_END ]
    # The list's table rows: "ID | name | description |"
    grep -E '^[0-9]+ \| ' "$SHARED/../vds-features.md" | awk -F' [|] ' '{print $2}' >"$TMP/want"
    [ "$(wc -l <"$TMP/want")" -eq 116 ]
    tail -n +3 "$TMP/keys" | diff - "$TMP/want"
}

# def_rows FILE MACRO: the names of lib/FILE's rows, then a tab and the count flag
def_rows() {
    sed -n "s/^$2(\([A-Za-z0-9_]*\), *\([01]\),.*/\1\t\2/p" "$NF_TOP/lib/$1"
}

@test "output keys are lib/features.def's rows in order; docs/features.md has the same IDs, names and integers" {
    agg $W0 10.0.0.0/24 8.8.8.0/24 17 1 2 100 | nf-features --internal 10.0.0.0/8 >"$TMP/out"
    jq -r 'keys_unsorted[]' "$TMP/out" | tail -n +3 >"$TMP/keys"
    def_rows features.def NF_FEATURE >"$TMP/def"
    [ "$(wc -l <"$TMP/def")" -eq 116 ]
    cut -f1 "$TMP/def" | diff - "$TMP/keys"
    # docs: "| ID | `name` | formula | integer or number |", IDs 1-116 in order
    sed -n '/^## The 116 features/,/^## /p' "$NF_TOP/docs/features.md" |
        awk -F' [|] ' '/^[|] [0-9]+ [|]/ {gsub(/[|` ]/, "", $1); gsub(/`/, "", $2); print $1 "\t" $2 "\t" ($NF ~ /^integer/)}' >"$TMP/doc"
    awk '{print NR "\t" $0}' "$TMP/def" | diff - "$TMP/doc"
}

@test "counts print as integers, shares and means as numbers" {
    run sh -c "{ $(declare -f agg); agg $W0 10.0.0.0/24 8.8.8.0/24 17 3 10 1000; agg $W0 10.0.0.0/24 9.9.9.0/24 6 1 1 1; } | nf-features --internal 10.0.0.0/8"
    [[ "$output" == *'"n":2,"flows":4,"bytes":1001,"packets":11,'* ]]
    [[ "$output" == *'"UDP_flows_share_out":0.75,'* ]]
}

@test "direction: ingress = destination inside, egress = source inside, inside->inside counts as both" {
    run sh -c "{ $(declare -f agg)
        agg $W0 8.8.8.0/24 10.0.1.0/24 17 1 1 10      # ingress
        agg $W0 10.0.1.0/24 8.8.8.0/24 17 2 2 20      # egress
        agg $W0 10.0.1.0/24 10.0.2.0/24 6 4 4 40      # inside -> inside: both
        agg $W0 8.8.8.0/24 9.9.9.0/24 17 8 8 80       # outside only: ignored
    } | nf-features --internal 10.0.0.0/8"
    [ "$status" -eq 0 ]
    [ "$(f in_n)" = 2 ]
    [ "$(f in_flows)" = 5 ]
    [ "$(f out_n)" = 2 ]
    [ "$(f out_flows)" = 6 ]
    # totals count each record touching an internal subnet once; outside-only records are left out
    [ "$(f n)" = 3 ]
    [ "$(f flows)" = 7 ]
    [ "$(f bytes)" = 70 ]
}

@test "--internal longer than the records' subnets (a /26 or /32 on /24 records) is refused, naming both and the fix" {
    run sh -c "{ $(declare -f agg); agg $W0 10.0.0.0/24 8.8.8.0/24 17 1 1 1; } | nf-features --internal 10.0.0.64/26"
    [ "$status" -eq 2 ]
    [ "$output" = "nf-features: --internal 10.0.0.64/26 is longer than the records' subnets (/24, e.g. 10.0.0.0/24): no subnet lies inside it, so every internal feature would be 0; give --internal 10.0.0.0/24, or window with nf-window --prefix4 26" ]
    # the issue's case: the CTU host 10.8.0.69/32 on nf-window's default /24
    nf-parse "$DATA/ctu-argus-24h.binetflow" | nf-window >"$BATS_TEST_TMPDIR/agg"
    run nf-features --internal 10.8.0.69/32 "$BATS_TEST_TMPDIR/agg"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--internal 10.8.0.69/32 is longer than the records' subnets (/24, e.g. "*"give --internal 10.8.0.0/24, or window with nf-window --prefix4 32" ]]
    # the fix it names works, and so does the other one
    run nf-features --internal 10.8.0.0/24 "$BATS_TEST_TMPDIR/agg"
    [ "$status" -eq 0 ]
    nf-parse "$DATA/ctu-argus-24h.binetflow" | nf-window --prefix4 32 | nf-features --internal 10.8.0.69/32 >"$BATS_TEST_TMPDIR/f32"
    [ "$(jq -s 'map(.out_flows) | add' "$BATS_TEST_TMPDIR/f32")" -gt 0 ]
    # an IPv6 prefix is checked against IPv6 subnets only
    run sh -c "{ $(declare -f agg); agg $W0 10.0.0.0/24 8.8.8.0/24 17 1 1 1; } | nf-features --internal 10.0.0.0/8,2001:db8::/80"
    [ "$status" -eq 0 ]
}

@test "--internal that no record (or under 1 %) touches is a warning with the address ranges seen most" {
    nf-parse "$DATA/ctu-argus-24h.binetflow" | nf-window >"$BATS_TEST_TMPDIR/agg"
    run nf-features --internal 172.31.0.0/16 "$BATS_TEST_TMPDIR/agg"
    [ "$status" -eq 0 ]
    [[ "$output" == *"nf-features: warning: none of the 1972 records has a subnet inside --internal 172.31.0.0/16, so every internal feature is 0; the address ranges seen most (windows): 8.8.0.0/16 (192), 10.8.0.0/16 (173), "* ]]
    # the issue's typo: 192.168.0.0/16 for 10.8.0.0/16 touches 4 records
    run nf-features --internal 192.168.0.0/16 "$BATS_TEST_TMPDIR/agg"
    [[ "$output" == *"nf-features: warning: only 4 of the 1972 records (0.2 %) have a subnet inside --internal 192.168.0.0/16"* ]]
    run nf-features --internal 10.8.0.0/16 "$BATS_TEST_TMPDIR/agg"
    [[ "$output" != *warning* ]]
}

@test "--internal with --per-flow is refused (exit 2): per-flow context does not depend on direction" {
    run nf-features --per-flow --internal 10.0.0.0/8 /dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"--internal does not apply to --per-flow"* ]]
}

@test "non-empty input that yields no record exits 1 with a message; empty input exits 0" {
    run sh -c "printf 'garbage\n{\"x\":1}\n' | nf-features --internal 10.0.0.0/8"
    [ "$status" -eq 1 ]
    [[ "$output" == *"nf-features: error: no record written from non-empty input (2 records skipped as bad)"* ]]
    run sh -c "printf 'garbage\n' | nf-features --per-flow"
    [ "$status" -eq 1 ]
    run nf-features --internal 10.0.0.0/8 </dev/null
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "IPv6 subnets and --internal-file with comments" {
    printf '# our prefixes\n2001:db8::/32   # lab\n\n10.0.0.0/8\n' >"$TMP/internal"
    run sh -c "{ $(declare -f agg); agg $W0 2001:db8:1::/64 2a02:a90::/64 6 1 5 500; agg $W0 2a02:a90::/64 2001:db8:1::/64 6 1 4 400; } | nf-features --internal-file $TMP/internal"
    [ "$status" -eq 0 ]
    [ "$(f in_bytes)" = 400 ]
    [ "$(f out_bytes)" = 500 ]
    printf '10.0.0.0/8\nnot-a-prefix\n' >"$TMP/bad"
    run nf-features --internal-file "$TMP/bad" </dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"$TMP/bad:2: not a CIDR prefix: 'not-a-prefix'"* ]]
}

@test "dominating protocol: the protocol with the most flows, per direction and in total" {
    run sh -c "{ $(declare -f agg)
        agg $W0 10.0.1.0/24 8.8.8.0/24 17 6 6 6
        agg $W0 10.0.1.0/24 8.8.4.0/24 6 3 3 3
        agg $W0 8.8.8.0/24 10.0.1.0/24 6 1 1 1
        agg $W0 8.8.8.0/24 10.0.1.0/24 1 2 2 2
    } | nf-features --internal 10.0.0.0/8"
    [ "$(f dom_prot_share_out)" = 0.6666666666666666 ] # UDP 6 of 9 egress flows
    [ "$(f dom_prot_share_in)" = 0.6666666666666666 ]  # ICMP 2 of 3 ingress flows
    [ "$(f dom_prot_share_total)" = 0.5 ]              # UDP 6 of 12 flows
    [ "$(f n_protocols)" = 3 ]
    [ "$(f n_protocols_ingress)" = 2 ]
    [ "$(f n_protocols_egress)" = 2 ]
}

@test "shares, means and symmetry are 0 where the denominator is 0; an egress-only window has sym -1" {
    run sh -c "{ $(declare -f agg); agg $W0 10.0.1.0/24 8.8.8.0/24 17 2 4 400; } | nf-features --internal 10.0.0.0/8"
    [ "$(f TCP_n_share_in)" = 0 ]
    [ "$(f mean_in_flows)" = 0 ]
    [ "$(f dom_prot_share_in)" = 0 ]
    [ "$(f UDP_mean_bytes_in)" = 0 ]
    [ "$(f sym_coeff)" = -1 ]
    [ "$(f sym_coeff_bytes)" = -1 ]
}

@test "standard deviations are sample (n-1) and 0 with fewer than two records" {
    run sh -c "{ $(declare -f agg)
        agg $W0 10.0.1.0/24 8.8.8.0/24 17 1 1 1
        agg $W0 10.0.1.0/24 8.8.4.0/24 17 3 3 3
        agg $W0 8.8.8.0/24 10.0.1.0/24 17 5 5 5
    } | nf-features --internal 10.0.0.0/8"
    [ "$(f sd_out_flows)" = 1.4142135623730951 ] # sd(1,3) with n-1 = sqrt(2)
    [ "$(f sd_flows)" = 2 ]                      # sd(1,3,5) = 2
    [ "$(f sd_in_flows)" = 0 ]                   # one ingress record
    [ "$(f mean_flows)" = 3 ]
}

@test "symmetry coefficient is (in - out) / (in + out)" {
    run sh -c "{ $(declare -f agg)
        agg $W0 8.8.8.0/24 10.0.1.0/24 17 3 30 300
        agg $W0 10.0.1.0/24 8.8.8.0/24 17 1 10 100
    } | nf-features --internal 10.0.0.0/8"
    [ "$(f sym_coeff)" = 0 ]
    [ "$(f sym_coeff_flows)" = 0.5 ]
    [ "$(f sym_coeff_bytes)" = 0.5 ]
}

@test "per-record ratios leave out records with a zero denominator (FLOWS 0 from nf-window --split)" {
    run sh -c "{ $(declare -f agg)
        agg $W0 10.0.1.0/24 8.8.8.0/24 6 2 10 1000
        agg $W0 10.0.1.0/24 8.8.4.0/24 6 0 6 600
    } | nf-features --internal 10.0.0.0/8"
    [ "$(f mean_packets_per_out_flows)" = 5 ]     # only the record with flows
    [ "$(f sd_packets_per_out_flows)" = 0 ]
    [ "$(f mean_bytes_per_out_packets)" = 100 ]   # both records, 100 each
    [ "$(f mean_out_flows)" = 1 ]                 # the plain means keep it
}

@test "Other_mean_*: category totals divided by the distinct Other protocols of that direction" {
    run sh -c "{ $(declare -f agg)
        agg $W0 10.0.1.0/24 8.8.8.0/24 1 4 4 40
        agg $W0 10.0.1.0/24 8.8.4.0/24 47 2 2 20
        agg $W0 10.0.2.0/24 8.8.4.0/24 47 2 2 20
        agg $W0 10.0.2.0/24 8.8.4.0/24 6 7 7 70
    } | nf-features --internal 10.0.0.0/8"
    [ "$(f Other_mean_flows_out)" = 4 ]   # (4 + 2 + 2) / 2 protocols (ICMP, GRE)
    [ "$(f Other_mean_bytes_out)" = 40 ]
    [ "$(f TCP_mean_flows_out)" = 7 ]     # one TCP protocol: the total
    [ "$(f Other_flows_out)" = 8 ]
}

@test "n_receiving_subnets counts egress destinations, n_sending_subnets ingress sources (inside ones too)" {
    run sh -c "{ $(declare -f agg)
        agg $W0 10.0.1.0/24 8.8.8.0/24 17 1 1 1
        agg $W0 10.0.1.0/24 8.8.4.0/24 6 1 1 1
        agg $W0 10.0.2.0/24 8.8.4.0/24 17 1 1 1
        agg $W0 10.0.1.0/24 10.0.2.0/24 17 1 1 1
        agg $W0 9.9.9.0/24 10.0.1.0/24 17 1 1 1
    } | nf-features --internal 10.0.0.0/8"
    [ "$(f n_receiving_subnets)" = 3 ] # 8.8.8, 8.8.4, 10.0.2
    [ "$(f n_sending_subnets)" = 2 ]   # 9.9.9, 10.0.1
}

@test "an empty-window record gives an all-zero vector; every window comes out in order" {
    run sh -c "{ $(declare -f agg empty); agg $W0 10.0.1.0/24 8.8.8.0/24 17 1 1 1; empty $W1; agg $W2 10.0.1.0/24 8.8.8.0/24 17 2 2 2; } | nf-features --internal 10.0.0.0/8"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 3 ]
    [ "$(f WINDOW_START 2)" = $W1 ]
    [ "$(printf '%s\n' "$output" | sed -n 2p | jq '[to_entries[] | select(.key | startswith("WINDOW") | not) | .value] | map(select(. != 0)) | length')" = 0 ]
    [ "$(f flows 3)" = 2 ]
}

@test "a window of only outside traffic still gives a (zero) vector" {
    run sh -c "{ $(declare -f agg); agg $W0 8.8.8.0/24 9.9.9.0/24 17 1 1 1; } | nf-features --internal 10.0.0.0/8 2>/dev/null"
    [ "$(line_count)" -eq 1 ]
    [ "$(f n)" = 0 ]
}

@test "bad records are reported with file:line, skipped, written to --rejects; --strict stops with 1" {
    {
        agg $W0 10.0.1.0/24 8.8.8.0/24 17 1 1 1
        echo 'not json'
        agg $W0 10.0.1.0/24 8.8.8.0/24 300 1 1 1
        agg $W0 10.0.1.0/24 nonsense 17 1 1 1
        printf '{"WINDOW_START":%s,"WINDOW_END":%s,"SRC_NET":null,"DST_NET":null,"PROTOCOL_NUM":null,"FLOWS":1,"PACKETS":0,"BYTES":0}\n' $W0 $W1
        agg $W1 10.0.1.0/24 8.8.8.0/24 17 -1 1 1
    } >"$TMP/in"
    run nf-features --internal 10.0.0.0/8 --rejects "$TMP/rej" "$TMP/in"
    [ "$status" -eq 0 ]
    [[ "$output" == *"$TMP/in:2: not valid JSON"* ]]
    [[ "$output" == *"$TMP/in:3: PROTOCOL_NUM: missing or not an integer 0-255"* ]]
    [[ "$output" == *"$TMP/in:4: DST_NET: not a CIDR prefix"* ]]
    [[ "$output" == *"$TMP/in:5: empty-window record"*"nonzero counters"* ]]
    [[ "$output" == *"$TMP/in:6: FLOWS: missing or not a number >= 0"* ]]
    [[ "$output" == *"5 records skipped"* ]]
    [ "$(wc -l <"$TMP/rej")" -eq 5 ]
    [ "$(sed -n 1p "$TMP/rej")" = 'not json' ]
    run nf-features --internal 10.0.0.0/8 --strict "$TMP/in"
    [ "$status" -eq 1 ]
}

@test "a window before the current one is rejected (input must be grouped by window in time order)" {
    run sh -c "{ $(declare -f agg); agg $W1 10.0.1.0/24 8.8.8.0/24 17 1 1 1; agg $W0 10.0.1.0/24 8.8.8.0/24 17 1 1 1; agg $W1 10.0.1.0/24 8.8.8.0/24 17 1 1 1; } | nf-features --internal 10.0.0.0/8"
    [[ "$output" == *"<stdin>:2: out of time order: WINDOW_START "*" ($W0) is "*" earlier than the current window, "*" ($W1); input must be grouped by window in time order"* ]]
    [ "$(printf '%s\n' "$output" | grep -c '^{"WINDOW_START"')" -eq 1 ]
}

@test "records with escapes or extra keys read the same as plain ones (cJSON fallback)" {
    printf '{"WINDOW_START":%s, "WINDOW_END":%s,"SRC_NET":"10.0.1.0\\/24","DST_NET":"8.8.8.0/24","PROTOCOL_NUM":17,"FLOWS":2,"PACKETS":3,"BYTES":4,"x":{"a":[1]}}\n' $W0 $W1 >"$TMP/in"
    run nf-features --internal 10.0.0.0/8 "$TMP/in"
    [ "$status" -eq 0 ]
    [ "$(f out_flows)" = 2 ]
}

@test "| head ends quietly" {
    for i in $(seq 0 2000); do empty $((W0 + i * 300000)); done >"$TMP/in"
    run sh -c "nf-features --internal 10.0.0.0/8 $TMP/in | head -1"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 1 ]
}

@test "memory follows one window, not the input: 40x more windows, same peak RSS" {
    require_cmd /usr/bin/time
    [ "${NF_SAN:-0}" = 1 ] && skip "RSS under ASan is not meaningful"
    /usr/bin/python3 - "$TMP" <<'PY'
import sys
d = sys.argv[1]
for name, nwin in (("small", 50), ("big", 2000)):
    with open(f"{d}/{name}", "w") as fh:
        for w in range(nwin):
            s = 1554393600000 + w * 300000
            for i in range(500):
                fh.write('{"WINDOW_START":%d,"WINDOW_END":%d,"SRC_NET":"10.0.%d.0/24","DST_NET":"8.%d.%d.0/24","PROTOCOL_NUM":%d,"FLOWS":1,"PACKETS":2,"BYTES":3}\n'
                         % (s, s + 300000, i % 200, w % 256, i % 256, (6, 17, 1)[i % 3]))
PY
    /usr/bin/time -f %M -o "$TMP/rs" nf-features --internal 10.0.0.0/8 "$TMP/small" >/dev/null
    /usr/bin/time -f %M -o "$TMP/rb" nf-features --internal 10.0.0.0/8 "$TMP/big" >/dev/null
    small=$(tail -1 "$TMP/rs") big=$(tail -1 "$TMP/rb")
    echo "peak RSS small $small KB, big $big KB"
    [ "$big" -lt $((small + 2048)) ]
}
