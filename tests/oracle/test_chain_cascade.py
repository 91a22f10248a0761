"""Oracle: every node's cascade from `chainfuse chain analyze --json`
- single-input graphs: equals the set the node dominates (super-root -> firms without inputs),
  checked against networkx.immediate_dominators and igraph's dominator tree, on generated
  graphs (acyclic and cyclic) and on the 38 Willems (2008) supply chains;
- >= 200 random small multi-input graphs (some cyclic): equals a naive simulation written here."""
import csv
import json
import random

import networkx as nx
import pytest

ROOT = "__root__"


def write_csv(path, edges):
    """edges: (supplier, customer, input[, grade, region, value])"""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["supplier", "customer", "input", "grade", "region", "value"])
        for e in edges:
            s, c, i = e[:3]
            rest = list(e[3:]) + ["standard", "domestic", "1"][len(e) - 3:]
            w.writerow([s, c, i, *rest])


def analyze(cf, path):
    out = json.loads(cf("chain", "analyze", "--supply", path, "--json", check=True).stdout)
    return {n["id"]: set(n["cascade"]) for n in out["nodes"]}, out


def dominated_sets(nodes, edges):
    """node -> set it dominates (itself included), via networkx, with a super-root."""
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    g.add_node(ROOT)
    g.add_edges_from((s, c) for s, c in edges)
    for v in nodes:
        if g.in_degree(v) == 0:
            g.add_edge(ROOT, v)
    idom = nx.immediate_dominators(g, ROOT)
    dom = {v: {v} for v in nodes}
    for v in idom:
        if v == ROOT:
            continue
        u = idom[v]
        while u != ROOT:
            dom[u].add(v)
            u = idom[u]
    for v in nodes:  # unreachable from the root: never runs, dominated by nothing
        if v not in idom:
            dom[v] = set()
    return dom


def igraph_dominated_sets(nodes, edges):
    import igraph
    idx = {v: i for i, v in enumerate(nodes)}
    r = len(nodes)
    el = [(idx[s], idx[c]) for s, c in edges]
    indeg = [0] * len(nodes)
    for _, c in el:
        indeg[c] += 1
    el += [(r, i) for i in range(len(nodes)) if indeg[i] == 0]
    g = igraph.Graph(n=len(nodes) + 1, edges=el, directed=True)
    d = g.dominator(r, mode="out")
    dom = {v: {v} for v in nodes}
    for i, v in enumerate(nodes):
        u = d[i]
        if u is None or u != u or u < 0:  # unreachable
            dom[v] = set()
            continue
        while u != r:
            dom[nodes[u]].add(v)
            u = int(d[u])
    return dom


def random_single_input(rng, n, m, cyclic):
    nodes = [f"F{i}" for i in range(n)]
    edges = set()
    while len(edges) < m:
        a, b = rng.randrange(n), rng.randrange(n)
        if a == b or (not cyclic and a > b):
            continue
        edges.add((nodes[a], nodes[b]))
    return nodes, sorted(edges)


def check_single_input(cf, tmp_path, nodes, edges, tag):
    p = tmp_path / f"{tag}.csv"
    write_csv(p, [(s, c, "x") for s, c in edges])
    ours, _ = analyze(cf, p)
    used = sorted({v for e in edges for v in e})
    nxd = dominated_sets(used, edges)
    igd = igraph_dominated_sets(used, edges)
    for v in used:
        assert ours[v] == nxd[v], f"{tag}: cascade of {v}: ours {sorted(ours[v])} vs networkx {sorted(nxd[v])}"
        assert nxd[v] == igd[v], f"{tag}: networkx and igraph disagree on {v}"
    return sum(len(s) for s in ours.values())


@pytest.mark.parametrize("seed,n,m,cyclic", [(1, 40, 60, False), (2, 300, 700, False), (3, 300, 450, True),
                                            (4, 1000, 1400, True), (5, 200, 250, False)])
def test_single_input_generated_vs_dominators(cf, tmp_path, seed, n, m, cyclic):
    rng = random.Random(seed)
    nodes, edges = random_single_input(rng, n, m, cyclic)
    total = check_single_input(cf, tmp_path, nodes, edges, f"gen{seed}")
    assert total > len({v for e in edges for v in e})  # some node cascades beyond itself


def willems_arcs(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[1]
    fi, ti = head.index("/arcs/arc/@from"), head.index("/arcs/arc/@to")
    return [(r[fi], r[ti]) for r in rows[2:] if len(r) > ti and r[fi] and r[ti]]


def test_willems_chains_vs_dominators(cf, tmp_path, shared_data):
    d = shared_data / "willems2008"
    if not d.is_dir():
        pytest.skip(f"{d} absent")
    files = sorted(d.glob("[0-9][0-9].csv"))
    assert len(files) == 38
    for f in files:
        edges = sorted(set(willems_arcs(f)))
        assert edges, f
        check_single_input(cf, tmp_path, sorted({v for e in edges for v in e}), edges, "willems" + f.stem)


def test_willems_multi_input_vs_naive(cf, tmp_path, shared_data):
    """Assembly reading: a stage needs every upstream stage (each arc its own input)."""
    d = shared_data / "willems2008"
    if not d.is_dir():
        pytest.skip(f"{d} absent")
    for name in ("01", "05", "09", "14", "20"):
        edges = sorted(set(willems_arcs(d / f"{name}.csv")))
        multi = [(s, c, "in:" + s) for s, c in edges]
        p = tmp_path / f"wm{name}.csv"
        write_csv(p, multi)
        ours, _ = analyze(cf, p)
        ref = naive_all(multi)
        assert ours == ref, name


def naive_alive(edges, stopped):
    """Least fixpoint: a firm runs when each of its inputs has a running source."""
    inputs = {}
    firms = set()
    for s, c, i in edges:
        firms |= {s, c}
        inputs.setdefault(c, {}).setdefault(i, set()).add(s)
    alive = set()
    changed = True
    while changed:
        changed = False
        for f in firms:
            if f in alive or f in stopped:
                continue
            if all(srcs & alive for srcs in inputs.get(f, {}).values()):
                alive.add(f)
                changed = True
    return alive, firms


def naive_all(edges):
    base, firms = naive_alive(edges, set())
    return {v: (base - naive_alive(edges, {v})[0]) for v in firms}


def random_multi_input(rng):
    n = rng.randrange(4, 15)
    nodes = [f"N{i}" for i in range(n)]
    cyclic = rng.random() < 0.3
    edges = set()
    for c in range(n):
        if rng.random() < 0.25:
            continue  # raw supplier
        for inp in rng.sample(["a", "b", "c"], rng.randrange(1, 4)):
            for _ in range(rng.randrange(1, 4)):
                s = rng.randrange(n)
                if s == c or (not cyclic and s > c):
                    continue
                edges.add((nodes[s], nodes[c], inp))
    return sorted(edges)


def test_random_multi_input_vs_naive(cf, tmp_path):
    rng = random.Random(20261129)
    checked = nontrivial = 0
    for k in range(240):
        edges = random_multi_input(rng)
        if not edges:
            continue
        p = tmp_path / f"m{k}.csv"
        write_csv(p, edges)
        ours, _ = analyze(cf, p)
        ref = naive_all(edges)
        assert ours == ref, f"graph {k}: {edges}"
        checked += 1
        nontrivial += any(len(s) > 1 for s in ref.values())
    assert checked >= 200 and nontrivial >= 100


def test_cycle_without_outside_source_never_runs(cf, tmp_path):
    p = tmp_path / "cyc.csv"
    write_csv(p, [("A", "B", "x"), ("B", "A", "x"), ("R", "C", "x"), ("B", "C", "y")])
    ours, out = analyze(cf, p)
    by = {n["id"]: n for n in out["nodes"]}
    assert not by["A"]["grounded"] and not by["B"]["grounded"] and not by["C"]["grounded"]
    assert ours == {"A": set(), "B": set(), "C": set(), "R": {"R"}}
