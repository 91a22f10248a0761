#!/usr/bin/python3
"""Outside baselines for bench/chain: dominator tree of the single-input projection.

usage: baseline.py igraph|networkx PROJ.csv  -> prints 'ms <wall ms> cpu_ms <process CPU ms>' of the algorithm
Graph construction is outside the timed region; the fastest of 3 runs is reported; a super-root feeds every firm without inputs."""
import sys
import time


def main():
    which, path = sys.argv[1], sys.argv[2]
    idx = {}
    el = []
    with open(path) as f:
        next(f)
        for line in f:
            a, b = line.split(",", 2)[:2]
            el.append((idx.setdefault(a, len(idx)), idx.setdefault(b, len(idx))))
    n = len(idx)
    indeg = [0] * n
    for _, b in el:
        indeg[b] += 1
    el += [(n, i) for i in range(n) if indeg[i] == 0]
    if which == "igraph":
        import igraph
        g = igraph.Graph(n=n + 1, edges=el, directed=True)

        def algo():
            g.dominator(n, mode="out")
    else:
        import networkx as nx
        g = nx.DiGraph()
        g.add_nodes_from(range(n + 1))
        g.add_edges_from(el)

        def algo():
            nx.immediate_dominators(g, n)
    best = None
    for _ in range(3):  # fastest of 3, as chainfuse reports the fastest of --repeat 3
        t, c = time.perf_counter(), time.process_time()
        algo()
        run = ((time.perf_counter() - t) * 1e3, (time.process_time() - c) * 1e3)
        best = run if best is None or run[1] < best[1] else best
    print(f"ms {best[0]:.1f} cpu_ms {best[1]:.1f}")


main()
