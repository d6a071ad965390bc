"""Grids of 10^4-10^7: si.lisa vs esda (numba, n_jobs=2) and pygeoda; weights, Gi*, points.

Issue 20. Inputs are synthetic and seeded: a square lattice whose value is a gamma(1, 1) noise
plus a smooth bump (a cluster), cells keyed ``c0 .. c{n-1}``, queen weights from
``si.grid_weights`` (read off the lattice). The peers get the *same* graph: esda as
``Graph.to_W()``; pygeoda builds its own queen weights from the cells as unit squares, and the
neighbour counts are checked equal.

* LISA, 270 x 270 = 72,900 cells, 9,999 permutations, row-standardised: ``si.lisa`` vs
  ``esda.Moran_Local(transformation="r", n_jobs=2, keep_simulations=False)`` with numba
  (compiled in a warm-up call first; the compile time is reported) vs
  ``pygeoda.local_moran(cpu_threads=2)``. Agreement: identical I (all three compute the same
  I_i), p-values within Monte Carlo error of each other, identical labels where both p-values
  are far from alpha (< 0.01 or > 0.10).
* 1000 x 1000 = 10^6 cells, each in a fresh process (peak RSS is the process's maximum resident
  set size, imports included): ``si.grid_weights``; analytic ``si.hotspots`` including the
  weights; ``si.lisa`` with 999 permutations; ``si.moran`` and ``si.spatial_gini`` with 99.
* ``libpysal.graph.Graph.build_contiguity`` on the 72,900 cells as polygons (the peer of
  ``si.grid_weights``; at 10^6 polygons it is not run: minutes and gigabytes).
* 10^7 points (seeded, around four city centres) to 5 km cells with ``si.grid``.

Heavy: about 5 minutes on two cores (pygeoda with 9,999 permutations alone takes 1-2 minutes).
Run alone: ``python benchmarks/bench_scale.py``; in the report: ``python benchmarks/run.py --only
scale``.
"""

from __future__ import annotations

import json
import time
import warnings

import numpy as np
import pandas as pd
from _harness import (
    REPO,
    Section,
    Target,
    fmt_ratio,
    fmt_s,
    python_cmd,
    run_checked,
    run_standalone,
)

import spatialinno as si

PERMUTATIONS = 9999
SIDE = 270
BIG = 1000


def lattice(side: int, seed: int = 0) -> pd.DataFrame:
    """``side`` x ``side`` cells (ix, iy, code) with a clustered, skewed value ``x``."""
    ix, iy = np.divmod(np.arange(side * side), side)
    rng = np.random.default_rng(seed)
    bump = 3.0 * np.exp(-((ix - side / 3) ** 2 + (iy - side / 2) ** 2) / (2 * (side / 10) ** 2))
    codes = pd.Series(np.arange(side * side)).astype(str).radd("c").to_numpy(dtype=object)
    return pd.DataFrame(
        {"code": codes, "ix": ix, "iy": iy, "x": rng.gamma(1.0, 1.0, ix.size) + bump}
    )


def _squares(cells: pd.DataFrame):
    import geopandas as gpd
    import shapely

    ix, iy = cells["ix"].to_numpy(float), cells["iy"].to_numpy(float)
    return gpd.GeoDataFrame(cells, geometry=shapely.box(ix, iy, ix + 1, iy + 1))


_LABELS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
_GEODA = {0: "ns", 1: "HH", 2: "LL", 3: "LH", 4: "HL"}


def _agreement(p: np.ndarray, q: np.ndarray, la: np.ndarray, lb: np.ndarray) -> tuple[float, bool]:
    """Share of p-values within 4 Monte Carlo errors; labels equal where both are far from 0.05."""
    se = np.sqrt(2 * np.maximum(p * (1 - p), 1e-4) / PERMUTATIONS)
    within = float(np.mean(np.abs(p - q) <= 4 * se))
    far = ((p < 0.01) & (q < 0.01)) | ((p > 0.10) & (q > 0.10))
    return within, bool((la[far] == lb[far]).all()) and far.mean() > 0.5


def _lisa_section(sec: Section) -> None:
    import esda
    import pygeoda

    cells = lattice(SIDE)
    n = len(cells)
    y = cells["x"].to_numpy()
    g = si.grid_weights(cells)
    w = g.to_W()
    small = lattice(30, seed=1)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        esda.Moran_Local(small["x"].to_numpy(), si.grid_weights(small).to_W(), transformation="r",
                         permutations=99, n_jobs=2, keep_simulations=False, seed=0)  # fmt: skip
    compile_s = time.perf_counter() - t0

    si.lisa(cells, "x", w=g, permutations=99, seed=0)  # warm-up
    t0 = time.perf_counter()
    ours = si.lisa(cells, "x", w=g, permutations=PERMUTATIONS, seed=0)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.Moran_Local(y, w, transformation="r", permutations=PERMUTATIONS, n_jobs=2,
                               keep_simulations=False, seed=0)  # fmt: skip
    t_esda = time.perf_counter() - t0
    gda = pygeoda.open(_squares(cells))
    t0 = time.perf_counter()
    gw = pygeoda.queen_weights(gda)
    t_gw = time.perf_counter() - t0
    same_w = [len(gw.get_neighbors(i)) for i in range(n)] == g.cardinalities.tolist()
    t0 = time.perf_counter()
    geo = pygeoda.local_moran(gw, list(y), permutations=PERMUTATIONS, cpu_threads=2, seed=1)
    t_geoda = time.perf_counter() - t0

    p_si = ours["lisa_p"].to_numpy()
    lab_si = ours["lisa_cluster"].to_numpy(dtype=object)
    lab_esda = np.where(ref.p_sim <= 0.05, pd.Series(ref.q).map(_LABELS).to_numpy(), "ns")
    p_geo = np.asarray(geo.lisa_pvalues())
    lab_geo = pd.Series(geo.lisa_clusters()).map(_GEODA).fillna("?").to_numpy()
    i_geo = np.asarray(geo.lisa_values())  # the same I as esda and si.lisa (checked to 1e-13)
    d_esda = float(np.max(np.abs(ours["lisa_I"].to_numpy() - ref.Is)))
    d_geo = float(np.max(np.abs(ours["lisa_I"].to_numpy() - i_geo)))
    in_esda, lab_ok_esda = _agreement(p_si, ref.p_sim, lab_si, lab_esda)
    in_geo, lab_ok_geo = _agreement(p_si, p_geo, lab_si, lab_geo)
    fastest = min(t_esda, t_geoda)
    ratio = fastest / t_ours
    agree = d_esda < 1e-9 and d_geo < 1e-6 and in_esda >= 0.99 and in_geo >= 0.99
    agree = agree and lab_ok_esda and lab_ok_geo and same_w
    sec.rows.append([
        f"LISA, {PERMUTATIONS:,} permutations", f"{n:,}", fmt_s(t_ours),
        f"esda+numba n_jobs=2: {fmt_s(t_esda)} (compile {fmt_s(compile_s)}); pygeoda 2 threads: "
        f"{fmt_s(t_geoda)} (+ its queen weights {fmt_s(t_gw)})",
        fmt_ratio(ratio),
        f"max |dI| esda {d_esda:.1e}, GeoDa {d_geo:.1e}; p within 4 MC errors: esda "
        f"{in_esda:.2%}, GeoDa {in_geo:.2%}; labels equal where p far from alpha: "
        f"{lab_ok_esda and lab_ok_geo}; same neighbour counts: {same_w}",
    ])  # fmt: skip
    sec.targets.append(Target(
        f"si.lisa {PERMUTATIONS:,} permutations, {n:,} cells vs the faster of esda+numba and pygeoda",
        ">= 2x faster, statistically equivalent",
        f"{fmt_s(t_ours)} vs {fmt_s(fastest)} ({fmt_ratio(ratio)}); agreement {agree}",
        ratio >= 2.0 and agree,
    ))  # fmt: skip
    # peer of the lattice weights: polygon contiguity on the same cells
    from libpysal.graph import Graph

    squares = _squares(cells)
    t0 = time.perf_counter()
    poly = Graph.build_contiguity(squares.geometry, rook=False)
    t_poly = time.perf_counter() - t0
    t0 = time.perf_counter()
    si.grid_weights(cells)
    t_lat = time.perf_counter() - t0
    same = poly.cardinalities.tolist() == g.cardinalities.tolist()
    sec.rows.append([
        "queen weights", f"{n:,}", fmt_s(t_lat), f"libpysal build_contiguity: {fmt_s(t_poly)}",
        fmt_ratio(t_poly / t_lat), f"same neighbour counts: {same}",
    ])  # fmt: skip


_CHILD = r"""
import json, resource, sys, time, warnings
sys.path.insert(0, {bench!r})
import numpy as np
from bench_scale import lattice
import spatialinno as si
import libpysal  # imported before timing: the import is not the work measured
cells = lattice({side})
out = {{}}
t0 = time.perf_counter(); w = si.grid_weights(cells); out["weights"] = time.perf_counter() - t0
t0 = time.perf_counter(); w2 = si.grid_weights(cells); hot = si.hotspots(cells, "x", w=w2)
out["gi_analytic_with_weights"] = time.perf_counter() - t0
out["gi_inference"] = hot.attrs["hotspots"]["inference"]
t0 = time.perf_counter(); lisa = si.lisa(cells, "x", w=w, permutations=999, seed=0)
out["lisa_999"] = time.perf_counter() - t0
out["rss_after_lisa_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter(); m = si.moran(cells, "x", w=w, permutations=99, seed=0)
out["moran_99"] = time.perf_counter() - t0; out["moran_I"] = m.I
t0 = time.perf_counter(); g = si.spatial_gini(cells, "x", w=w, permutations=99, seed=0)
out["spatial_gini_99"] = time.perf_counter() - t0
out["rss_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""

_POINTS = r"""
import json, sys, time, warnings
import numpy as np, pandas as pd
import spatialinno as si
from spatialinno.boundaries.grids import _transformer
rng = np.random.default_rng(7)
c = np.array([[116.4, 39.9], [121.47, 31.23], [113.26, 23.13], [104.07, 30.67]])
xy = c[rng.integers(0, 4, 10_000_000)] + rng.normal(0, 0.7, (10_000_000, 2))
pts = pd.DataFrame({{"lon": xy[:, 0], "lat": xy[:, 1]}})
si.grid(pts.head(10), cell="5km", agg="count", extent=None)  # warm-up: layers, transformers
out = {{}}
t0 = time.perf_counter(); g = si.grid(pts, cell="5km", agg="count", extent=None)
out["none"] = time.perf_counter() - t0; out["cells_none"] = len(g)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    t0 = time.perf_counter(); g = si.grid(pts, cell="5km", agg="count", extent="china")
out["china"] = time.perf_counter() - t0; out["cells_china"] = len(g)
print(json.dumps(out))
"""


def _big_section(sec: Section) -> None:
    code = _CHILD.format(bench=str(REPO / "benchmarks"), side=BIG)
    out = json.loads(run_checked(python_cmd("-c", code), timeout=1800).splitlines()[-1])
    n = BIG * BIG
    sec.rows.append(["grid weights (queen, lattice)", f"{n:,}", fmt_s(out["weights"]), "–", "–",
                     "linear: dense lookup over the lattice"])  # fmt: skip
    sec.rows.append(["Gi* analytic incl. weights", f"{n:,}",
                     fmt_s(out["gi_analytic_with_weights"]), "–", "–",
                     f"inference recorded: {out['gi_inference']}"])  # fmt: skip
    sec.rows.append(["LISA, 999 permutations", f"{n:,}", fmt_s(out["lisa_999"]), "–", "–",
                     f"peak RSS after it {out['rss_after_lisa_mb']:,.0f} MB"])  # fmt: skip
    sec.rows.append(["Moran's I, 99 permutations", f"{n:,}", fmt_s(out["moran_99"]), "–", "–",
                     f"I = {out['moran_I']:.4f}"])  # fmt: skip
    sec.rows.append(["spatial Gini, 99 permutations", f"{n:,}", fmt_s(out["spatial_gini_99"]),
                     "–", "–", f"process peak RSS {out['rss_peak_mb']:,.0f} MB"])  # fmt: skip
    sec.targets += [
        Target("grid weights, 10^6 cells", "< 5 s", fmt_s(out["weights"]), out["weights"] < 5),
        Target("analytic Gi* incl. weights, 10^6 cells", "< 5 s",
               fmt_s(out["gi_analytic_with_weights"]), out["gi_analytic_with_weights"] < 5),
        Target("LISA 999 permutations, 10^6 cells", "< 60 s and < 4 GB",
               f"{fmt_s(out['lisa_999'])}, {out['rss_after_lisa_mb']:,.0f} MB",
               out["lisa_999"] < 60 and out["rss_after_lisa_mb"] < 4096),
    ]  # fmt: skip
    pts = json.loads(run_checked(python_cmd("-c", _POINTS.format()), timeout=1800).splitlines()[-1])
    sec.rows.append(["10^7 points -> 5 km cells", "10,000,000", fmt_s(pts["none"]), "–", "–",
                     f"extent=None: {pts['cells_none']:,} cells; extent='china' (every cell of "
                     f"China, {pts['cells_china']:,}): {fmt_s(pts['china'])}"])  # fmt: skip
    sec.targets.append(Target("10^7 points to 5 km cells (extent=None)", "< 10 s",
                              fmt_s(pts["none"]), pts["none"] < 10))  # fmt: skip


def run(quick: bool = False) -> Section:
    sec = Section(
        title="Grids at scale: si.lisa vs esda + numba and pygeoda; 10^6 cells; 10^7 points",
        intro=(
            "Issue 20. Synthetic seeded lattice (gamma noise + a bump), queen weights from "
            "si.grid_weights, the same graph for esda (to_W) and the same neighbour counts for "
            "pygeoda's own queen weights. One run per measurement (minutes each for the peers). "
            "10^6-cell rows run in a fresh process each; peak memory is that process's maximum "
            "RSS. See bench_scale.py for the exact calls."
        ),
        headers=[
            "benchmark",
            "n",
            "spatialinno",
            "peers",
            "peer / spatialinno",
            "agreement / notes",
        ],
    )
    _lisa_section(sec)
    _big_section(sec)
    return sec


if __name__ == "__main__":
    run_standalone(run)
