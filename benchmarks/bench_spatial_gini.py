"""Side-by-side timing: ``si.spatial_gini`` vs ``inequality.gini.Gini_Spatial``, 999 permutations.

Layers: province (34), prefecture (375), county (2,891). Values: unit area in km² (Albers
equal-area). Both get the same weights -- the package's queen contiguity with islands kept as
islands (``si.spatial_weights(layer, islands="keep")``, what ``spatial_gini`` uses by default),
handed to inequality as a ``W`` with integer ids 0..n-1 in row order, the only layout on which
inequality is correct (it looks values up by weight id).

Agreement: G, the neighbour sum wg and the non-neighbour sum wcg must be equal (relative
difference printed); the pseudo p-values differ only through the random permutations.

Run alone: ``python benchmarks/bench_spatial_gini.py [--quick]``; ``benchmarks/run.py`` runs it
with the other sections. (Started by the inequality engineer for the county layer; extended to the
three layers and folded into the runner.)
"""

from __future__ import annotations

import numpy as np
from _harness import (
    Section,
    Target,
    fmt_ratio,
    run_standalone,
    timed_alternating,
)
from _inputs import LEVELS, graph, values

import spatialinno as si

PERMUTATIONS = 999
TARGET = 50.0


def run(quick: bool = False) -> Section:
    from inequality.gini import Gini_Spatial

    sec = Section(
        title="Spatial Gini: si.spatial_gini vs inequality.Gini_Spatial",
        intro=(
            f"{PERMUTATIONS} permutations; values = unit area (km², Albers equal-area); same queen "
            "graph for both (islands kept as islands, ids 0..n-1 = rows). Times are median (min) "
            "of n runs in this process, after one untimed warm-up of spatialinno; the two sides "
            "alternate run by run."
        ),
        headers=[
            "layer",
            "n",
            "si.spatial_gini",
            "inequality.Gini_Spatial",
            "speed-up (median)",
            "max rel. diff of G, wg, wcg",
            "p (si / inequality)",
        ],
    )
    for level in LEVELS:
        x = values(level)
        g = graph(level, "keep")
        w = g.to_W()
        si.spatial_gini(x, w=g, permutations=9, seed=0)  # warm-up: imports, first-call caches
        # inequality has no seed argument: it draws from numpy's global generator
        np.random.seed(0)
        reps = {"province": 7, "prefecture": 5, "county": 3}[level]
        if quick:
            reps = 1 if level == "county" else 2
        # alternate the two (ours, peer, ours, peer ...) so both see the same machine load
        (ours_t, peer_t), (ours, ref) = timed_alternating(
            [
                lambda x=x, g=g: si.spatial_gini(x, w=g, permutations=PERMUTATIONS, seed=0),
                lambda x=x, w=w: Gini_Spatial(x, w, permutations=PERMUTATIONS),
            ],
            reps,
        )
        rel = max(
            abs(a - b) / abs(b)
            for a, b in ((ours.gini, ref.g), (ours.wg, ref.wg), (ours.wcg, ref.wcg))
        )
        ratio = peer_t.median / ours_t.median
        sec.rows.append(
            [
                level,
                f"{x.size:,}",
                ours_t.cell(),
                peer_t.cell(),
                fmt_ratio(ratio),
                f"{rel:.1e}",
                f"{ours.p_value:.3f} / {float(ref.p_sim):.3f}",
            ]
        )
        sec.targets.append(
            Target(
                f"spatial_gini vs Gini_Spatial, {level} ({x.size:,} units)",
                f">= {TARGET:.0f}x",
                f"{fmt_ratio(ratio)} ({ours_t.median * 1e3:.1f} ms vs {peer_t.median:.2f} s)",
                ratio >= TARGET and rel < 1e-9,
            )
        )
    return sec


if __name__ == "__main__":
    run_standalone(run)
