#!/usr/bin/python3
"""Generates a synthetic multi-tier supply graph for bench/chain (deterministic by seed).

usage: gen.py FIRMS EDGES OUT.csv PROJ.csv
Tier 0 are raw suppliers; every other firm needs 1-5 inputs, each with 1-6 sources drawn
from earlier tiers, mostly from a nearby cluster (industries), ~20% single-source inputs.
PROJ.csv is the single-input projection (one input per customer, all its suppliers)."""
import random
import sys


def main():
    n, m, out, proj = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    rng = random.Random(7)
    tiers = 8
    raw = n // 10
    per = (n - raw) // (tiers - 1)
    tier_start = [0, raw] + [raw + per * t for t in range(1, tiers - 1)] + [n]
    customers = n - raw
    per_cust = 1.04 * m / customers
    grades = ["high", "standard", "low"]
    regions = ["local", "domestic", "foreign"]
    edges = set()
    rows = []
    for c in range(raw, n):
        t = next(k for k in range(tiers) if tier_start[k] <= c < tier_start[k + 1])
        lo, hi = tier_start[max(0, t - 2)], tier_start[t]
        budget = max(1, int(rng.expovariate(1 / per_cust)) + 1)
        ninp = rng.randint(1, 5)
        for k in range(ninp):
            nsrc = 1 if rng.random() < 0.2 else max(2, round(budget / ninp) + rng.randint(-1, 1))
            centre = lo + (c * 7919 + k * 104729) % max(1, hi - lo)
            for _ in range(nsrc):
                s = centre + int(rng.gauss(0, 200)) if rng.random() < 0.8 else rng.randrange(lo, hi)
                if not lo <= s < hi:
                    s = rng.randrange(lo, hi)
                key = (s, c, k)
                if key in edges:
                    continue
                edges.add(key)
                rows.append((s, c, k))
    with open(out, "w") as f:
        f.write("supplier,customer,input,grade,region,value\n")
        for s, c, k in rows:
            f.write(f"F{s},F{c},I{k},{grades[(s * 31 + c) % 3]},{regions[(s * 17 + k) % 3]},{(s * 131 + c) % 9000 + 100}\n")
    pe = sorted({(s, c) for s, c, _ in rows})
    with open(proj, "w") as f:
        f.write("supplier,customer,input,grade,region,value\n")
        for s, c in pe:
            f.write(f"F{s},F{c},x,standard,domestic,1\n")
    print(f"firms {n} edges {len(rows)} projection-edges {len(pe)}", file=sys.stderr)


main()
