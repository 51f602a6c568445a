#!/usr/bin/awk -f
# window.awk - a stand-in for `nf-window` (default settings) in plain awk,
# to show that any program honouring docs/records.md can replace a stage.
#
#   nf-parse flows.csv | awk -f docs/examples/window.awk | nf-features --internal 10.0.0.0/8
#
# Aggregates flow records into 5-minute windows per (source /24, destination
# /24, protocol), and writes nf-window's aggregate records, with the empty
# windows between the first and the last filled. IPv4 only: IPv6 flows and
# flows without a time are counted on stderr and skipped. Records come out
# in awk's order inside a window; nf-features does not care, and `sort`
# makes the output comparable with nf-window's.

# The value of a top-level key in a one-line record with plain values.
function value(key,    m) {
    if (!match($0, "\"" key "\":(\"[^\"]*\"|[^,}]*)"))
        return ""
    m = substr($0, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
    gsub(/"/, "", m)
    return m
}

function net24(addr,    o) {
    split(addr, o, ".")
    return o[1] "." o[2] "." o[3] ".0/24"
}

BEGIN { width = 300000 }

{
    first = value("FIRST_SWITCHED")
    src = value("IP_SRC_ADDR")
    if (first == "null" || first == "" || index(src, ":")) {
        skipped++
        next
    }
    w = int(first / width) * width   # not %: mawk takes the modulus in 32 bits
    ws = sprintf("%.0f", w)          # awk would turn 13 digits into 1.55439e+12 in keys
    key = ws SUBSEP net24(src) SUBSEP net24(value("IP_DST_ADDR")) SUBSEP value("PROTOCOL_NUM")
    flows[key] += value("FLOWS")
    packets[key] += value("IN_PKTS") + value("OUT_PKTS")
    bytes[key] += value("IN_BYTES") + value("OUT_BYTES")
    busy[ws] = 1
    if (lo == "" || w < lo) lo = w
    if (hi == "" || w > hi) hi = w
}

END {
    for (k in flows) {
        split(k, part, SUBSEP)
        printf "{\"WINDOW_START\":%.0f,\"WINDOW_END\":%.0f,\"SRC_NET\":\"%s\",\"DST_NET\":\"%s\",\"PROTOCOL_NUM\":%s,\"FLOWS\":%.0f,\"PACKETS\":%.0f,\"BYTES\":%.0f}\n", \
            part[1], part[1] + width, part[2], part[3], part[4], flows[k], packets[k], bytes[k]
    }
    for (w = lo; lo != "" && w <= hi; w += width)
        if (!(sprintf("%.0f", w) in busy))
            printf "{\"WINDOW_START\":%.0f,\"WINDOW_END\":%.0f,\"SRC_NET\":null,\"DST_NET\":null,\"PROTOCOL_NUM\":null,\"FLOWS\":0,\"PACKETS\":0,\"BYTES\":0}\n", w, w + width
    if (skipped)
        printf "window.awk: %d flows skipped (IPv6 or no time)\n", skipped > "/dev/stderr"
}
