"""Side-by-side timing: ``si.lisa`` / ``si.hotspots`` vs calling esda directly, 999 permutations.

Layers: province (34), prefecture (375), county (2,891); values = unit area (km²); the same graph
for both sides: the package's default queen weights (islands linked to the nearest unit), given to
esda as a libpysal ``W``.

* LISA: ``si.lisa(gdf, col, w=g, permutations=999, seed=0)`` (row-standardised) vs
  ``esda.Moran_Local(y, W, transformation="r", permutations=999, seed=0)`` (its default
  ``n_jobs=1``).
* Gi*: ``si.hotspots(gdf, col, w=g, permutations=999, inference="permutation", seed=0)``
  (binary weights with self weight 1) vs ``esda.G_Local(y, W, transform="B", star=True,
  permutations=999, seed=0)`` twice: as a user calls it (default ``n_jobs=-1``, a process pool)
  and with ``n_jobs=1``.

Agreement (same statistic, different random draws): local I must equal esda's ``Is``; Gi* z with
binary weights must equal esda's ``Zs`` (esda is right for binary weights, see DESIGN.md).
"""

from __future__ import annotations

import warnings

import numpy as np
from _harness import (
    Section,
    Target,
    fmt_ratio,
    run_standalone,
    timed,
    timed_alternating,
)
from _inputs import LEVELS, VARIABLE, graph, layer

import spatialinno as si

PERMUTATIONS = 999


def run(quick: bool = False) -> Section:
    import esda

    sec = Section(
        title="Local statistics: si.lisa / si.hotspots vs esda",
        intro=(
            f"{PERMUTATIONS} permutations, seed 0; values = unit area (km²); same queen graph "
            "(islands linked to the nearest unit) for both. esda 2.9 runs without numba (not "
            "installed), i.e. its pure-numpy path. Median (min) of n runs in this process; the "
            "two sides alternate run by run so that both see the same machine load."
        ),
        headers=[
            "statistic",
            "layer",
            "n",
            "spatialinno",
            "esda",
            "esda / spatialinno",
            "agreement",
        ],
    )
    reps = 5 if quick else 15
    first_pool_call: float | None = None
    for level in LEVELS:
        gdf = layer(level)
        g = graph(level, "nearest")
        w = g.to_W()
        y = gdf[VARIABLE].to_numpy(dtype=float)
        n = len(gdf)

        # ---- LISA -------------------------------------------------------------------------
        si.lisa(gdf, VARIABLE, w=g, permutations=9, seed=0)  # warm-up
        (ours_t, peer_t), (ours, ref) = timed_alternating(
            [
                lambda gdf=gdf, g=g: si.lisa(gdf, VARIABLE, w=g, permutations=PERMUTATIONS, seed=0),
                lambda y=y, w=w: esda.Moran_Local(
                    y, w, transformation="r", permutations=PERMUTATIONS, seed=0
                ),
            ],
            reps,
        )
        diff_i = float(np.max(np.abs(ours["lisa_I"].to_numpy() - ref.Is)))
        ratio = peer_t.median / ours_t.median
        sec.rows.append(
            [
                "LISA (local Moran)",
                level,
                f"{n:,}",
                ours_t.cell(),
                f"Moran_Local: {peer_t.cell()}",
                fmt_ratio(ratio),
                f"max abs diff of I_i: {diff_i:.1e}",
            ]
        )
        sec.targets.append(
            Target(
                f"si.lisa vs esda.Moran_Local, {level}",
                "no slower than esda",
                f"{ours_t.median * 1e3:.1f} ms vs {peer_t.median * 1e3:.1f} ms ({fmt_ratio(ratio)})",
                ratio >= 1.0 and diff_i < 1e-9,
            )
        )

        # ---- Gi* --------------------------------------------------------------------------
        si.hotspots(gdf, VARIABLE, w=g, permutations=9, inference="permutation", seed=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # esda warns about its own transform handling
            (ours_t, one_t), (ours, ref) = timed_alternating(
                [
                    lambda gdf=gdf, g=g: si.hotspots(
                        gdf,
                        VARIABLE,
                        w=g,
                        permutations=PERMUTATIONS,
                        inference="permutation",
                        seed=0,
                    ),
                    lambda y=y, w=w: esda.G_Local(
                        y, w, transform="B", star=True, permutations=PERMUTATIONS, seed=0, n_jobs=1
                    ),
                ],
                reps,
            )
            # the default process pool costs seconds per call; fewer runs keep the suite short
            pool_t, _ = timed(
                lambda y=y, w=w: esda.G_Local(
                    y, w, transform="B", star=True, permutations=PERMUTATIONS, seed=0
                ),
                1 if quick else 3,
            )
        if first_pool_call is None:
            first_pool_call = pool_t.runs[0]
        # the package's default Gi* inference is analytic (normal p of z, as ArcGIS): no draws
        analytic_t, _ = timed(lambda gdf=gdf, g=g: si.hotspots(gdf, VARIABLE, w=g), reps)
        diff_z = float(np.nanmax(np.abs(ours["gi_z"].to_numpy() - ref.Zs)))
        r_one = one_t.median / ours_t.median
        r_pool = pool_t.median / ours_t.median
        sec.rows.append(
            [
                "Gi* (Getis–Ord, star)",
                level,
                f"{n:,}",
                ours_t.cell(),
                f"G_Local n_jobs=1: {one_t.cell()}; default n_jobs=-1: {pool_t.cell()}",
                f"{fmt_ratio(r_one)} (n_jobs=1), {fmt_ratio(r_pool)} (default)",
                f"max abs diff of z_i: {diff_z:.1e}; si.hotspots default (analytic, no "
                f"permutations): {analytic_t.cell()}",
            ]
        )
        sec.targets.append(
            Target(
                f"si.hotspots vs esda.G_Local n_jobs=1, {level}",
                "no slower than esda",
                f"{ours_t.median * 1e3:.1f} ms vs {one_t.median * 1e3:.1f} ms ({fmt_ratio(r_one)})",
                r_one >= 1.0 and diff_z < 1e-9,
            )
        )
        sec.targets.append(
            Target(
                f"si.hotspots vs esda.G_Local default (n_jobs=-1), {level}",
                "no slower than esda",
                f"{ours_t.median * 1e3:.1f} ms vs {pool_t.median:.2f} s ({fmt_ratio(r_pool)})",
                r_pool >= 1.0 and diff_z < 1e-9,
            )
        )
    sec.notes.append(
        f"The first default (n_jobs=-1) G_Local call of the process took {first_pool_call:.2f} s "
        "(joblib/loky starts its worker processes; later calls reuse them). DESIGN.md measured "
        "32 s with numba installed, where every worker also compiles; numba is not installed here."
    )
    return sec


if __name__ == "__main__":
    run_standalone(run)
