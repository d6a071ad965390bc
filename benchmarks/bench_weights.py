"""Side-by-side timing: ``si.spatial_weights`` on the bundled layers vs libpysal contiguity.

spatialinno reads the contiguity precomputed at build time; libpysal computes it from the polygons:

* ``libpysal.graph.Graph.build_contiguity(gdf.geometry, rook=False)`` (vertex-based, strict=False
  default -- the same definition the build uses),
* ``libpysal.weights.Queen.from_dataframe(gdf, use_index=False)`` (the classic W).

spatialinno is timed three ways: ``islands="keep"`` (pure contiguity, the like-for-like case),
the default ``islands="nearest"`` (also links islands to the nearest unit) with the per-process
caches warm, and the *first* default call of a process (caches of the contiguity table and of the
island links cleared before each run; the layer itself already loaded, imports done).

Agreement: the set of directed links of ``islands="keep"`` must equal libpysal's.
"""

from __future__ import annotations

import numpy as np
from _harness import (
    Section,
    Target,
    fmt_ratio,
    profile_call,
    run_standalone,
    timed,
    timed_alternating,
)
from _inputs import LEVELS, clear_weights_caches, layer

import spatialinno as si

TARGET = 20.0


def _links(g: object) -> set[tuple[int, int]]:
    adj = g.adjacency  # type: ignore[attr-defined]
    adj = adj[adj != 0]
    return set(
        zip(
            adj.index.get_level_values(0).to_numpy(dtype=int).tolist(),
            adj.index.get_level_values(1).to_numpy(dtype=int).tolist(),
            strict=True,
        )
    )


def run(quick: bool = False) -> Section:
    from libpysal.graph import Graph
    from libpysal.weights import Queen

    sec = Section(
        title="Spatial weights: si.spatial_weights (precomputed) vs libpysal contiguity from polygons",
        intro=(
            "Queen contiguity of the bundled layers (EPSG:4490 polygons as loaded). Median (min) "
            "of n runs in this process. 'first call' = caches of the contiguity table and island "
            "links cleared before each run (what the first call of a script or of "
            "`spatialinno analyze` pays, imports excluded)."
        ),
        headers=[
            "layer",
            "n",
            "links",
            "si keep (warm)",
            "si default nearest (warm)",
            "si default, first call",
            "Graph.build_contiguity",
            "Queen.from_dataframe",
            "speed-up vs Graph (keep / nearest warm / first call)",
            "same links",
        ],
    )
    for level in LEVELS:
        gdf = layer(level)
        n = len(gdf)
        si.spatial_weights(gdf, islands="keep")  # warm-up (imports, caches)
        si.spatial_weights(gdf)
        reps = (1 if level == "county" else 2) if quick else (3 if level == "county" else 5)
        # the four alternate run by run so that they all see the same machine load
        (keep_t, warm_t, graph_t, queen_t), (keep_g, _, peer_g, _) = timed_alternating(
            [
                lambda gdf=gdf: si.spatial_weights(gdf, islands="keep"),
                lambda gdf=gdf: si.spatial_weights(gdf),
                lambda gdf=gdf: Graph.build_contiguity(gdf.geometry, rook=False),
                lambda gdf=gdf: Queen.from_dataframe(gdf, use_index=False, silence_warnings=True),
            ],
            reps,
        )
        cold_t, _ = timed(
            lambda gdf=gdf: si.spatial_weights(gdf), reps, before=clear_weights_caches
        )
        ours_links = _links(keep_g)
        same = ours_links == _links(peer_g)
        r_keep = graph_t.median / keep_t.median
        r_warm = graph_t.median / warm_t.median
        r_cold = graph_t.median / cold_t.median
        sec.rows.append(
            [
                level,
                f"{n:,}",
                f"{len(ours_links):,}",
                keep_t.cell(),
                warm_t.cell(),
                cold_t.cell(),
                graph_t.cell(),
                queen_t.cell(),
                f"{fmt_ratio(r_keep)} / {fmt_ratio(r_warm)} / {fmt_ratio(r_cold)}",
                "yes" if same else "**NO**",
            ]
        )
        for what, t, r in (
            ("islands='keep'", keep_t, r_keep),
            ("default islands='nearest', warm", warm_t, r_warm),
            ("default, first call in a process", cold_t, r_cold),
        ):
            sec.targets.append(
                Target(
                    f"spatial_weights {what} vs Graph.build_contiguity, {level}",
                    f">= {TARGET:.0f}x",
                    f"{fmt_ratio(r)} ({t.median * 1e3:.1f} ms vs {graph_t.median * 1e3:.0f} ms)",
                    bool(r >= TARGET and same),
                )
            )
        if r_cold < TARGET:
            sec.profiles[f"first si.spatial_weights call, {level} (cumulative s, own s, calls)"] = (
                profile_call(
                    lambda gdf=gdf: (clear_weights_caches(), si.spatial_weights(gdf)),
                    limit=16,
                )
            )
    # a sanity check that the island links exist (otherwise the nearest/keep gap means nothing)
    g = si.spatial_weights(layer("prefecture"))
    sec.notes.append(
        f"Prefecture default graph: {int(g.n_components)} component(s), "
        f"{int(np.sum(g.cardinalities == 0))} unit(s) without neighbour."
    )
    return sec


if __name__ == "__main__":
    run_standalone(run)
