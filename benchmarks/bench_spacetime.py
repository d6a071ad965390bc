"""Space-time measures (issue 18) on the county layer: 20 years x 2,891 counties.

Target (issue 18): ``si.emerging_hotspots`` with 999 permutations per year
(``inference="permutation"``) in under 10 s. The panel: the bundled county layer repeated for
2005-2024 with a spatially structured value that moves over the years (unit area in km² in the
Albers CRS times a wave drifting east, plus seeded noise) -- deterministic, complete, no missing
value. Informative rows (no target): the analytic default, a one-year space-time window, the
Markov chains, the centre of gravity and ellipse, LISA transitions on the same panel.

Agreement is checked, not only speed: the categories of the timed run must equal those of a
second run with the same seed, and the per-year Gi* z of the analytic run must equal
``si.hotspots`` on that year.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from _harness import Section, Target, fmt_s, profile_call, run_standalone, timed
from _inputs import VARIABLE, graph, layer

import spatialinno as si

YEARS = range(2005, 2025)
PERMUTATIONS = 999
TARGET_S = 10.0


def county_panel() -> pd.DataFrame:
    """20 yearly copies of the county layer with a drifting, noisy, spatially structured value."""
    base = layer("county")
    x = base.to_crs(si.boundaries.EQUAL_AREA_CRS).centroid.x.to_numpy() / 1e6
    rng = np.random.default_rng(0)
    frames = []
    for k, year in enumerate(YEARS):
        wave = 1.0 + np.exp(-((x - (-1.5 + 0.15 * k)) ** 2) / 0.2)  # a high band moving east
        value = base[VARIABLE].to_numpy() * wave * rng.lognormal(0.0, 0.1, len(base))
        frames.append(base.assign(year=year, v=value))
    return pd.concat(frames, ignore_index=True)


def run(quick: bool = False) -> Section:
    sec = Section(
        title="Space-time measures: 20 years x 2,891 counties",
        intro=(
            "Panel: the bundled county layer for 2005-2024 (57,820 unit-years), value = unit area "
            "(km², Albers) times a band of high values drifting east, times seeded log-normal "
            "noise. Same queen graph (islands linked) for every call. Median (min) of n runs in "
            "this process after an untimed warm-up call (imports, caches)."
        ),
        headers=["call", "time", "result"],
    )
    panel = county_panel()
    w = graph("county", "nearest")
    reps = 1 if quick else 3

    def ehsa_perm():
        return si.emerging_hotspots(
            panel, "v", w=w, inference="permutation", permutations=PERMUTATIONS, seed=0
        )

    si.emerging_hotspots(panel, "v", w=w)  # warm-up: imports, weights
    perm_t, perm = timed(ehsa_perm, reps)
    again = ehsa_perm()
    same = bool((perm["category"].to_numpy() == again["category"].to_numpy()).all())
    counts = perm["category"].value_counts()
    top = ", ".join(f"{k} {v}" for k, v in counts.head(4).items())
    sec.rows.append(
        [f"emerging_hotspots, permutation, {PERMUTATIONS} per year", perm_t.cell(), top]
    )
    sec.targets.append(
        Target(
            "emerging_hotspots 20 x 2,891, 999 permutations/year",
            f"< {TARGET_S:.0f} s",
            f"{fmt_s(perm_t.median)} (same seed, same categories: {same})",
            perm_t.median < TARGET_S and same,
        )
    )
    sec.profiles["emerging_hotspots (permutation)"] = profile_call(
        ehsa_perm, limit=12, only="spatialinno"
    )

    analytic_t, analytic = timed(lambda: si.emerging_hotspots(panel, "v", w=w), reps)
    year = panel[panel["year"] == 2015].reset_index(drop=True)
    z_year = si.hotspots(year, "v", w=w)["gi_z"].to_numpy()
    by_year = si.hotspots_by_year(panel, "v", w=w)
    diff = float(np.max(np.abs(by_year.loc[by_year["year"] == 2015, "gi_z"].to_numpy() - z_year)))
    sec.rows.append(
        ["emerging_hotspots, analytic (default)", analytic_t.cell(),
         f"{(analytic['category'] != 'no pattern detected').sum()} units with a pattern; "
         f"Gi* 2015 vs si.hotspots: max |dz| = {diff:.1e}"]
    )  # fmt: skip
    window_t, _ = timed(lambda: si.emerging_hotspots(panel, "v", w=w, time_window=1), reps)
    sec.rows.append(["emerging_hotspots, analytic, time_window=1", window_t.cell(), ""])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for label, fn in (
            ("spatial_markov k=5", lambda: si.spatial_markov(panel, "v", k=5, w=w)),
            ("lisa_markov", lambda: si.lisa_markov(panel, "v", w=w)),
            ("gravity_center", lambda: si.gravity_center(panel, "v")),
            ("deviational_ellipse", lambda: si.deviational_ellipse(panel, "v")),
            ("lisa_transitions (999 permutations, 19 pairs)",
             lambda: si.lisa_transitions(panel, "v", w=w, seed=0)),
        ):  # fmt: skip
            fn()
            t, res = timed(fn, reps)
            sec.rows.append([label, t.cell(), type(res).__name__])
    return sec


if __name__ == "__main__":
    run_standalone(run)
