"""Side-by-side timing: spatialinno.spatial_gini vs inequality.gini.Gini_Spatial.

Data: the 2,891-unit county layer (``si.load_boundaries("county")``), values = county area in km²
(Albers equal-area, ``spatialinno.boundaries.EQUAL_AREA_CRS``), queen contiguity precomputed at
build time (``spatialinno.boundaries.contiguity``), 999 permutations. Both get the same weights
with integer ids 0..n-1 in row order -- the only layout on which inequality is correct.

Run: ``python benchmarks/bench_spatial_gini.py [repeats]`` (default 3). Prints the best and
median wall time of each, the speed-up and the agreement of g, wg and wcg.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
import pandas as pd
from inequality.gini import Gini_Spatial
from libpysal.graph import Graph

import spatialinno as si
from spatialinno.boundaries import EQUAL_AREA_CRS, contiguity

PERMUTATIONS = 999


def county_inputs() -> tuple[np.ndarray, Graph]:
    layer = si.load_boundaries("county")
    x = (layer.to_crs(EQUAL_AREA_CRS).area / 1e6).to_numpy()
    edges = contiguity("county")
    pos = pd.Series(np.arange(len(layer)), index=layer["code"].to_numpy())
    f, t = pos[edges["focal"]].to_numpy(), pos[edges["neighbor"]].to_numpy()
    iso = np.setdiff1d(np.arange(len(layer)), f)  # islands: a zero self-weight keeps them
    focal, neighbor = np.r_[f, iso], np.r_[t, iso]
    weight = np.r_[np.ones(f.size), np.zeros(iso.size)]
    order = np.lexsort((neighbor, focal))  # Graph keeps first-appearance order: id k = row k
    return x, Graph.from_arrays(focal[order], neighbor[order], weight[order])


def timed(fn, repeats: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def main(repeats: int = 3) -> None:
    x, g = county_inputs()
    w = g.to_W()
    si.spatial_gini(x, w=g, permutations=9, seed=0)  # warm-up (imports, caches)
    t_si, ours = timed(lambda: si.spatial_gini(x, w=g, permutations=PERMUTATIONS, seed=0), repeats)
    np.random.seed(0)
    t_iq, ref = timed(lambda: Gini_Spatial(x, w, permutations=PERMUTATIONS), repeats)
    print(f"county layer: n={x.size}, {int(g.n_edges)} directed links, {PERMUTATIONS} permutations")
    for name, t in (("spatialinno.spatial_gini", t_si), ("inequality.Gini_Spatial", t_iq)):
        print(f"  {name:26s} best {min(t):8.3f} s   median {statistics.median(t):8.3f} s")
    print(f"  speed-up (median): {statistics.median(t_iq) / statistics.median(t_si):.0f}x")
    rel = [
        abs(a - b) / abs(b) for a, b in ((ours.gini, ref.g), (ours.wg, ref.wg), (ours.wcg, ref.wcg))
    ]
    print(f"  max relative difference of g, wg, wcg: {max(rel):.1e}")
    print(f"  p_value {ours.p_value:.4f} (spatialinno), p_sim {ref.p_sim:.4f} (inequality)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
