"""Timing: ``si.dagum_gini`` with 999 bootstrap draws on the 2,891 counties.

Values: unit area in km² (Albers equal-area, ``_inputs.layer``) -- real, deterministic, complete.
Groups: the NBS four regions (``region``; the 39 units of Taiwan, Hong Kong and Macau have no
region and are left out, 2,852 used) -- the target of issue 17 (< 2 s). Informative: the 34
provinces as groups (561 pairs of groups, all 2,891 units).

No peer: no licensed Python implementation of Dagum's decomposition exists (DESIGN.md). Each run
also checks the result: ``within + between + transvariation == gini == si.gini`` to 1e-12.

Run alone: ``python benchmarks/bench_dagum.py [--quick]``.
"""

from __future__ import annotations

import warnings

from _harness import Section, Target, fmt_s, run_standalone, timed
from _inputs import VARIABLE, layer

import spatialinno as si

DRAWS = 999
TARGET_S = 2.0


def run(quick: bool = False) -> Section:
    sec = Section(
        title="Dagum Gini decomposition: si.dagum_gini, 999 bootstrap draws",
        intro=(
            f"{DRAWS} stratified bootstrap draws (seed=0); values = county area (km², Albers "
            "equal-area); median (min) of n runs in this process after one untimed warm-up."
        ),
        headers=["groups", "units used", "groups x pairs", "time", "G", "|sum - G|, |G - si.gini|"],
    )
    county = layer("county")
    reps = 1 if quick else 5
    for groups, target in (("region", True), ("province_code", False)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", si.DataWarning)  # 39 units without a region
            si.dagum_gini(county, VARIABLE, groups=groups, bootstrap=9, seed=0)  # warm-up
            timing, res = timed(
                lambda g=groups: si.dagum_gini(county, VARIABLE, groups=g, bootstrap=DRAWS, seed=0),
                reps,
            )
            used = county[county[groups].notna()]
            ref = si.gini(used[VARIABLE])
        err = abs(res.within + res.between + res.transvariation - res.gini)
        err_ref = abs(res.gini - ref)
        pairs = res.n_groups * (res.n_groups - 1) // 2
        sec.rows.append(
            [
                groups,
                f"{res.n:,}",
                f"{res.n_groups} x {pairs}",
                timing.cell(),
                f"{res.gini:.4f}",
                f"{err:.1e}, {err_ref:.1e}",
            ]
        )
        sec.targets.append(
            Target(
                f"dagum_gini, {DRAWS} draws, {res.n:,} counties by {groups}",
                f"< {TARGET_S:.0f} s" if target else "-",
                fmt_s(timing.median),
                (timing.median < TARGET_S and err < 1e-12 and err_ref < 1e-12) if target else None,
            )
        )
    return sec


if __name__ == "__main__":
    run_standalone(run)
