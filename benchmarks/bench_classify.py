"""Side-by-side timing: ``spatialinno.measures.classify.fisher_jenks`` vs ``mapclassify.FisherJenks``.

Why the package has its own Fisher–Jenks (the comment in ``measures/classify.py``): without numba
mapclassify's implementation is pure Python, O(k n²) in the number of values. Inputs, all real or
seeded: the 1,285 edge weights (k=5) and the 161 weighted degrees (k=3, the tiers) of the bundled
2014 air network, the unit areas (km², equal-area CRS) of the 375 prefectures (k=5), and 1,000
lognormal values (seed 0, k=5). Both sides must give the same breaks (the optimum is unique on
these inputs); a fast wrong answer does not pass.
"""

from __future__ import annotations

import warnings

import numpy as np
from _harness import (
    Section,
    Target,
    Timing,
    fmt_ratio,
    python_cmd,
    run_checked,
    run_standalone,
    timed_alternating,
)
from _inputs import VARIABLE, layer

import spatialinno as si
from spatialinno.measures.classify import fisher_jenks


def _inputs() -> list[tuple[str, np.ndarray, int]]:
    air = si.load_dataset("air_routes_2014")
    net = si.city_network(air, "gb_o", "gb_d", weight="n_route_records", year="year")
    nodes, edges = net.to_frames()
    return [
        ("air network, weighted degree (tiers)", nodes["weighted_degree"].to_numpy(float), 3),
        ("air network, edge weights (edge style)", edges["weight"].to_numpy(float), 5),
        ("prefecture areas (km²)", layer("prefecture")[VARIABLE].to_numpy(float), 5),
        ("1,000 lognormal values, seed 0", np.random.default_rng(0).lognormal(3, 1, 1000), 5),
    ]


def run(quick: bool = False) -> Section:
    import mapclassify

    sec = Section(
        title="Class breaks: classify.fisher_jenks vs mapclassify.FisherJenks",
        intro=(
            "Exact Fisher–Jenks natural breaks of the same values by both; mapclassify 2.10 runs "
            "without numba (not installed). Median (min) of n runs in this process, the two sides "
            "alternating run by run."
        ),
        headers=[
            "values",
            "n (distinct)",
            "k",
            "fisher_jenks",
            "mapclassify",
            "speed-up",
            "same breaks",
        ],
    )
    reps = 2 if quick else 3
    for what, x, k in _inputs():
        fisher_jenks(x, k)  # warm-up
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # mapclassify warns about ties in the data
            (ours_t, peer_t), (ours, peer) = timed_alternating(
                [
                    lambda x=x, k=k: fisher_jenks(x, k),
                    lambda x=x, k=k: mapclassify.FisherJenks(x, k=k).bins,
                ],
                reps,
            )
        same = bool(np.array_equal(np.asarray(ours), np.asarray(peer, dtype=float)))
        ratio = peer_t.median / ours_t.median
        sec.rows.append(
            [
                what,
                f"{x.size:,} ({np.unique(x).size:,})",
                str(k),
                ours_t.cell(),
                peer_t.cell(),
                fmt_ratio(ratio),
                "yes" if same else "NO",
            ]
        )
        sec.targets.append(
            Target(
                f"fisher_jenks vs mapclassify.FisherJenks, {what}",
                "no slower, same breaks",
                f"{ours_t.median * 1e3:.1f} ms vs {peer_t.median * 1e3:.0f} ms "
                f"({fmt_ratio(ratio)})",
                ratio >= 1.0 and same,
            )
        )
    code = (
        "import time; t = time.perf_counter(); import mapclassify; print(time.perf_counter() - t)"
    )
    imports = Timing(tuple(float(run_checked(python_cmd("-c", code))) for _ in range(reps)))
    sec.notes.append(
        f"`import mapclassify` in a fresh interpreter: {imports.cell()} (numpy, scipy and pandas "
        "included); fisher_jenks needs only numpy."
    )
    return sec


if __name__ == "__main__":
    run_standalone(run)
