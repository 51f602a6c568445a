#!/usr/bin/env bats
# Every option is documented everywhere it should be, for every tool:
# the getopt_long table (and short-option string) of TOOL/main.c, the
# option column of --help, the OPTIONS section of the man page, and the
# table of docs/options.md name the same long and short options; every
# option --help lists is accepted (not "unknown option"). nfshift (a
# script) has no table: its --help, man page and behaviour are compared.

load helpers
bats_require_minimum_version 1.5.0

TOOLS="nf-parse nf-window nf-features nf-pca nf-decompose nf-pelt nf-explain nf-replay nfshift"

man_page() {
    case $1 in
    nfshift) echo "$NF_TOP/nfshift/nfshift.1" ;;
    *) echo "$NF_TOP/$1/$1.1" ;;
    esac
}

# Options of the option column of --help, one a line (--long or -s):
# lines indented less than 20 that start with '-' (nfshift: also
# "  nf-x   --opt ..." lines), up to the first two spaces (the description).
help_options() {
    "$1" --help | awk -v tool="$1" '
    {
        match($0, /^ */); indent = RLENGTH; rest = substr($0, indent + 1)
        if (tool == "nfshift" && rest ~ /^nf-[a-z]+ +-/) sub(/^nf-[a-z]+ +/, "", rest)
        if (indent >= 20 || rest !~ /^-/) next
        if ((i = index(rest, "  ")) > 0) rest = substr(rest, 1, i - 1)
        print_tokens(rest)
    }
    function print_tokens(s,   t) {
        while (match(s, /(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*/)) {
            t = substr(s, RSTART, RLENGTH); sub(/^[ ,]/, "", t)
            if (t ~ /^--/ || length(t) == 2) print t
            s = substr(s, RSTART + RLENGTH)
        }
    }' | sort -u
}

# Options in the tags (the line after .TP) of the man page's OPTIONS section.
man_options() {
    awk '
    /^\.SH/ { in_opts = ($0 ~ /^\.SH "?OPTIONS"?$/); next }
    in_opts && /^\.TP/ { tag = 1; next }
    in_opts && tag {
        tag = 0; s = $0
        gsub(/\\-/, "-", s); gsub(/\\f[BIRP]/, "", s); gsub(/"/, " ", s)
        while (match(s, /(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*/)) {
            t = substr(s, RSTART, RLENGTH); sub(/^[ ,]/, "", t)
            if (t ~ /^--/ || length(t) == 2) print t
            s = substr(s, RSTART + RLENGTH)
        }
    }' "$(man_page "$1")" | sort -u
}

# The getopt_long table and short-option string of a C tool's main.c.
table_options() {
    local src=$NF_TOP/$1/main.c
    grep -oE '\{"[a-z0-9-]+", *(no|required|optional)_argument' "$src" | sed -E 's/^\{"([^"]*)".*/--\1/'
    sed -nE 's/^#define SHORTOPTS "([^"]*)".*/\1/p' "$src" | tr -d ':' | fold -w1 | sed 's/^/-/'
}

# The options docs/options.md gives TOOL in its table (rows "| TOOL | -s | --long | ...").
docs_options() {
    awk -F'|' -v tool="$1" '
    $2 == " " tool " " {
        for (f = 3; f <= 4; f++) {
            s = $f
            while (match(s, /`--?[A-Za-z0-9][A-Za-z0-9-]*`/)) {
                print substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH)
            }
        }
    }' "$NF_TOP/docs/options.md" | sort -u
}

# Fails naming what one list has and the other lacks.
same_options() {
    local what=$1 a=$2 b=$3 only
    only=$(comm -3 <(printf '%s\n' "$a" | sed '/^$/d') <(printf '%s\n' "$b" | sed '/^$/d'))
    [ -z "$only" ] || { echo "$what (left column: only in the first; indented: only in the second):"; echo "$only"; false; }
}

@test "options docs: --help and the man page list the same options, for every tool" {
    bad=0
    for t in $TOOLS; do
        h=$(help_options "$t")
        [ -n "$h" ] || { echo "$t: no option found in --help"; false; }
        same_options "$t: --help vs $(man_page "$t")" "$h" "$(man_options "$t")" || bad=1
    done
    [ $bad = 0 ]
}

@test "options docs: --help lists exactly the getopt_long table and short options of each C tool" {
    bad=0
    for t in $TOOLS; do
        [ "$t" = nfshift ] && continue
        tab=$(table_options "$t" | sort -u)
        [ -n "$tab" ] || { echo "$t: no getopt table found in $t/main.c"; false; }
        same_options "$t: --help vs $t/main.c" "$(help_options "$t")" "$tab" || bad=1
    done
    [ $bad = 0 ]
}

@test "options docs: every option --help lists is accepted (no 'unknown option')" {
    cd "$BATS_TEST_TMPDIR"
    for t in $TOOLS; do
        pre=()
        [ "$t" = nfshift ] && pre=(detect)
        for o in $(help_options "$t"); do
            # --opt=1 is "takes no value" for a flag; a value goes on to the unknown
            # --zz-end, so no tool starts working; nfshift needs its command first
            case $o in --*) a=("${pre[@]}" "$o=1") ;; *) a=("${pre[@]}" "$o" 1) ;; esac
            run --separate-stderr timeout 20 "$t" "${a[@]}" --zz-end </dev/null
            [[ $stderr != *"unknown option '$o'"* ]] || { echo "$t ${a[*]}: $stderr"; false; }
            [ "$status" -ne 124 ] || { echo "$t ${a[*]}: timed out"; false; }
        done
        # and the check can fail: an option no tool has is refused
        run --separate-stderr timeout 20 "$t" "${pre[@]}" --zz-end </dev/null
        [[ $stderr == *"unknown option '--zz-end'"* ]] || { echo "$t: $stderr"; false; }
    done
}

@test "options docs: docs/options.md names every option of every tool in its table" {
    bad=0
    for t in $TOOLS; do
        same_options "$t: --help vs docs/options.md" "$(help_options "$t")" "$(docs_options "$t")" || bad=1
    done
    [ $bad = 0 ]
}
