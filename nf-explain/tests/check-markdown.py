#!/usr/bin/python3
"""Checks that Markdown reports render well: no empty section (a heading
followed by a heading of the same or a higher level, or by the end), every
table's rows the same width with the '|' in the same columns, and no
leftover "nan"/"inf" text. Prints problems; exit 1 if any."""
import re, sys

bad = 0
def problem(path, lineno, msg):
    global bad
    bad += 1
    print("%s:%d: %s" % (path, lineno, msg))

for path in sys.argv[1:]:
    lines = open(path, encoding='utf-8').read().split('\n')
    heads = [(i, len(m.group(1))) for i, l in enumerate(lines) for m in [re.match(r'^(#+) ', l)] if m]
    for k, (i, level) in enumerate(heads):
        nxt = heads[k + 1] if k + 1 < len(heads) else None
        body_end = nxt[0] if nxt else len(lines)
        has_body = any(l.strip() for l in lines[i + 1:body_end])
        if not has_body and (nxt is None or nxt[1] <= level):
            problem(path, i + 1, "empty section: " + lines[i])
    i = 0
    while i < len(lines):
        if lines[i].startswith('|'):
            j = i
            while j < len(lines) and lines[j].startswith('|'):
                j += 1
            block = lines[i:j]
            bars = [tuple(p for p, ch in enumerate(l) if ch == '|' and (p == 0 or l[p - 1] != '\\')) for l in block]
            if len(set(len(l) for l in block)) != 1 or len(set(bars)) != 1:
                problem(path, i + 1, "table not aligned")
            i = j
        else:
            i += 1
    for n, l in enumerate(lines, 1):
        if re.search(r'\b(nan|inf|-nan)\b', l, re.I):
            problem(path, n, "non-number in text: " + l)
print("%d files checked, %d problems" % (len(sys.argv) - 1, bad))
sys.exit(1 if bad or len(sys.argv) < 2 else 0)
