#!/usr/bin/env python3
"""Compares two NDJSON files record by record (stdlib only).

Same number of records, the same keys in the same order, equal strings,
numbers within a relative 1e-9 (|a-b| <= 1e-9*max(|a|,|b|)); values below
1e-12 in magnitude on both sides count as equal (rounding residue of a
zero, e.g. an entropy of -0.0 against 1e-17). Prints every difference
(at most --max) and exits 1 when there is any.

usage: compare.py [--rel 1e-9] [--max 20] GOT EXPECTED
"""
import argparse
import json
import sys


def close(a, b, rel):
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a == b
    if abs(a) < 1e-12 and abs(b) < 1e-12:
        return True
    return abs(a - b) <= rel * max(abs(a), abs(b))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rel", type=float, default=1e-9)
    ap.add_argument("--max", type=int, default=20)
    ap.add_argument("got")
    ap.add_argument("expected")
    a = ap.parse_args()
    got = [json.loads(l) for l in open(a.got) if l.strip()]
    exp = [json.loads(l) for l in open(a.expected) if l.strip()]
    bad = []
    if len(got) != len(exp):
        bad.append(f"record count: got {len(got)}, expected {len(exp)}")
    values = 0
    for i, (g, e) in enumerate(zip(got, exp)):
        if list(g) != list(e):
            bad.append(f"record {i + 1}: keys differ: got {list(g)[:5]}..., expected {list(e)[:5]}...")
            continue
        for k in g:
            x, y = g[k], e[k]
            values += 1
            num = isinstance(x, (int, float)) and isinstance(y, (int, float))
            if (num and not close(x, y, a.rel)) or (not num and x != y):
                bad.append(f"record {i + 1} (WINDOW_START {g.get('WINDOW_START')}): {k}: got {x!r}, expected {y!r}")
    for line in bad[:a.max]:
        print(line, file=sys.stderr)
    if bad:
        print(f"{len(bad)} differences", file=sys.stderr)
        sys.exit(1)
    print(f"{len(got)} records, {values} values equal")


if __name__ == "__main__":
    main()
