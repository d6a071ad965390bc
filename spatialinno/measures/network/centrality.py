"""What a city's position in a network is: degree, strength, betweenness, eigenvector, closeness
and its tier (core / key / auxiliary)."""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np
import pandas as pd

from ..classify import fisher_jenks

__all__ = ["TIERS", "TIER_ZH", "centrality_table", "tiers", "weighted_betweenness"]

TIERS: tuple[str, ...] = ("core", "key", "auxiliary")
TIER_ZH: dict[str, str] = {"core": "核心城市", "key": "重要城市", "auxiliary": "辅助城市"}


def centrality_table(g: nx.Graph, year: Hashable) -> pd.DataFrame:
    """One row per node of ``g``: degree, strength, betweenness, eigenvector, closeness, tier
    (see :meth:`spatialinno.measures.network.CityNetwork.centrality`)."""
    nodes = list(g.nodes)
    frame = pd.DataFrame(
        {
            "year": [year] * len(nodes),
            "code": nodes,
            "name": [g.nodes[c]["name"] for c in nodes],
            "province": [g.nodes[c]["province"] for c in nodes],
        }
    )
    deg = dict(g.degree())
    strength = dict(g.degree(weight="weight"))
    frame["degree"] = [deg[c] for c in nodes]
    frame["weighted_degree"] = [float(strength[c]) for c in nodes]
    if g.is_directed():
        for col, values in (
            ("in_degree", dict(g.in_degree())),
            ("out_degree", dict(g.out_degree())),
            ("in_weight", dict(g.in_degree(weight="weight"))),
            ("out_weight", dict(g.out_degree(weight="weight"))),
        ):
            frame[col] = [values[c] for c in nodes]
    if nodes:
        btw = nx.betweenness_centrality(g)
        btw_w = weighted_betweenness(g, "distance")
        clo = nx.closeness_centrality(g)
        clo_w = nx.closeness_centrality(g, distance="distance")
        eig = _eigenvector(g)
    else:
        btw = btw_w = clo = clo_w = eig = {}
    frame["betweenness"] = [btw[c] for c in nodes]
    frame["betweenness_weighted"] = [btw_w[c] for c in nodes]
    frame["eigenvector"] = [eig[c] for c in nodes]
    frame["closeness"] = [clo[c] for c in nodes]
    frame["closeness_weighted"] = [clo_w[c] for c in nodes]
    frame["tier"] = tiers(frame["weighted_degree"].to_numpy())
    frame = frame.sort_values(["weighted_degree", "code"], ascending=[False, True])
    return frame.reset_index(drop=True)


_TIE_RTOL = 1e-10  # relative tolerance under which two path lengths count as equal (as igraph)


def weighted_betweenness(g: nx.Graph, distance: str = "distance") -> dict[str, float]:
    r"""Betweenness with edge lengths ``distance``, treating float-equal path lengths as ties.

    Brandes (2001) J. Math. Sociol. 25:163: :math:`C_B(v) = \sum_{s \ne v \ne t}
    \sigma_{st}(v) / \sigma_{st}`, normalised like ``networkx.betweenness_centrality`` (by
    :math:`(n-1)(n-2)/2` for undirected, :math:`(n-1)(n-2)` for directed graphs).

    Why not ``networkx.betweenness_centrality(weight=...)``: with distance 1 / weight, two
    equally short paths have lengths that differ in the last bit (1/3 + 1/3 + 1/3 vs 1/1), and
    networkx compares them exactly, so it drops one of the shortest paths. On the 2014 air
    network that moves weighted betweenness by up to 2.4e-4. Here lengths within a relative
    1e-10 are equal, as in igraph; the result matches exact rational arithmetic to 1e-15.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> # a-b-d and a-c-d are equally short: 0.1 + 0.2 vs 0.15 + 0.15 (= 0.3 in exact numbers)
    >>> g.add_weighted_edges_from([("a", "b", 0.1), ("b", "d", 0.2), ("a", "c", 0.15),
    ...                            ("c", "d", 0.15)], weight="distance")
    >>> weighted_betweenness(g)["b"], weighted_betweenness(g)["c"]  # one half of a-d each
    (0.16666666666666666, 0.16666666666666666)
    >>> nx.betweenness_centrality(g, weight="distance")["b"]  # 0.1 + 0.2 > 0.3 in floats
    0.0
    """
    import heapq

    nodes = list(g.nodes)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    # integer ids and plain lists: about twice as fast as dict-of-dict lookups in the loop
    adjacency = g.succ if g.is_directed() else g.adj
    neighbours = [
        [(index[w], float(data[distance])) for w, data in adjacency[v].items()] for v in nodes
    ]
    between = [0.0] * n
    for s in range(n):
        order: list[int] = []  # nodes in order of non-decreasing distance from s
        preds: list[list[int]] = [[] for _ in range(n)]
        sigma = [0.0] * n
        sigma[s] = 1.0
        done = [False] * n
        seen: list[float | None] = [None] * n
        seen[s] = 0.0
        heap = [(0.0, 0, s, s)]
        counter = 1
        while heap:
            dist, _, pred, v = heapq.heappop(heap)
            if done[v]:
                continue
            if pred != v:
                sigma[v] += sigma[pred]
            order.append(v)
            done[v] = True
            for w, length in neighbours[v]:
                if done[w]:
                    continue
                alt = dist + length
                old = seen[w]
                if old is None or alt < old - _TIE_RTOL * max(alt, old):
                    # strictly shorter: restart w's path count from v
                    seen[w] = alt
                    heapq.heappush(heap, (alt, counter, v, w))
                    counter += 1
                    sigma[w] = 0.0
                    preds[w] = [v]
                elif abs(alt - old) <= _TIE_RTOL * max(alt, old):
                    # as short within the tolerance: one more shortest path, through v
                    sigma[w] += sigma[v]
                    preds[w].append(v)
        delta = [0.0] * n
        for w in reversed(order):
            coefficient = (1.0 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coefficient
            if w != s:
                between[w] += delta[w]
    # every unordered pair is counted from both ends in an undirected graph: dividing by
    # (n-1)(n-2) gives networkx's normalisation by (n-1)(n-2)/2 for both kinds of graph
    scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return {v: between[i] * scale for i, v in enumerate(nodes)}


def _eigenvector(g: nx.Graph) -> dict[str, float]:
    """Leading eigenvector of the weighted adjacency matrix (see CityNetwork.centrality)."""
    h = g.to_undirected(as_view=False) if g.is_directed() else g
    if g.is_directed():
        # w_ij + w_ji: to_undirected keeps only one direction's data, so rebuild the sum
        h = nx.Graph()
        h.add_nodes_from(g.nodes)
        for u, v, d in g.edges(data=True):
            w = d["weight"] + (h[u][v]["weight"] if h.has_edge(u, v) else 0.0)
            h.add_edge(u, v, weight=w)
    result = dict.fromkeys(h.nodes, 0.0)
    comps = [c for c in nx.connected_components(h) if len(c) > 1]
    if not comps:
        return result
    # networkx refuses disconnected graphs (the eigenvector is then not unique in general); the
    # Perron vector of the whole matrix lives on the component with the largest spectral radius.
    radii = []
    for c in comps:
        a = nx.to_numpy_array(h.subgraph(c), weight="weight")
        radii.append(float(np.max(np.abs(np.linalg.eigvalsh(a)))))
    best = comps[int(np.argmax(radii))]
    sub = h.subgraph(best)
    if len(best) == 2:  # networkx's sparse solver needs k < n - 1; a single tie is symmetric
        vec = dict.fromkeys(best, 1 / math.sqrt(2))
    else:
        vec = nx.eigenvector_centrality_numpy(sub, weight="weight")
    result.update({k: float(abs(v)) for k, v in vec.items()})
    return result


def tiers(strength: np.ndarray) -> list[str]:
    """core / key / auxiliary by Fisher–Jenks natural breaks of weighted degree (3 classes)."""
    if strength.size == 0:
        return []
    uppers = fisher_jenks(strength, 3)
    classes = np.searchsorted(uppers, strength, side="left")  # 0 = lowest class
    names = TIERS[: uppers.size][::-1]  # named from the top: core, key, auxiliary
    return [names[c] for c in classes]
