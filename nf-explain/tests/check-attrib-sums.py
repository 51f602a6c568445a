#!/usr/bin/env python3
"""Checks that the parts of every attributed change add up to the change.

Reads nf-explain --format json reports on stdin. For every quantity of every
report and every dimension: the contributions of the listed keys plus
rest_contribution equal the quantity's change within 1e-9 relative (1e-12
absolute for shares); for a sum, the change from the records equals the
feature's change over the same windows within 1e-9 relative (the records
are what nf-features summed); and every listed key's status agrees with
its means per window (new: 0 before, vanished: 0 after, grew, shrank),
the sides having their own number of windows. Prints one line per report;
exit 1 on a mismatch.
"""


def status_of(before, after):
    if before == 0 and after > 0:
        return "new"
    if before > 0 and after == 0:
        return "vanished"
    return "grew" if after > before else "shrank" if after < before else "unchanged"

import json
import sys

bad = 0
quantities = 0
for lineno, line in enumerate(sys.stdin, 1):
    r = json.loads(line)
    a = r.get("attribution")
    if not a:
        continue
    for q in a["quantities"]:
        quantities += 1
        change = q["change"]
        tol = 1e-9 * max(1.0, abs(change)) if q["kind"] == "sum" else 1e-12
        for d in q["dimensions"]:
            for k in d["keys"]:
                if "denominator" not in k["status"] and k["status"] != status_of(k["before"], k["after"]):
                    bad += 1
                    print("report %d %s by %s: %s is %s with means %r and %r" % (
                        lineno, q["feature"], d["dimension"], k["key"], k["status"], k["before"], k["after"]))
            parts = sum(k["contribution"] for k in d["keys"]) + d["rest_contribution"]
            if abs(parts - change) > tol:
                bad += 1
                print("report %d %s by %s: parts %r, change %r" % (lineno, q["feature"], d["dimension"], parts, change))
        if q["kind"] == "sum":
            fchange = q["feature_after"] - q["feature_before"]
            if abs(fchange - change) > 1e-9 * max(1.0, abs(fchange)):
                bad += 1
                print("report %d %s: records change %r, feature change %r" % (lineno, q["feature"], change, fchange))
print("%d quantities checked, %d mismatches" % (quantities, bad))
sys.exit(1 if bad or not quantities else 0)
