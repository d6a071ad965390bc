"""Reference values for tests/test_inequality.py, computed with the ``inequality`` package.

Run from the repository root (needs ``pip install inequality libpysal``)::

    python tests/reference/make_inequality_reference.py

It writes ``tests/reference/inequality_reference.json``. The values come from PySAL's own
implementations, so the tests compare spatialinno against an independent code base:

* ``inequality.gini.Gini`` and ``Gini_Spatial`` (g, wg, wcg, wcg_share, polarization, and, with
  ``numpy.random.seed(12345)`` and 99 permutations, p_sim / e_wcg / z_wcg) on libpysal's
  ``mexico`` example (32 states, per-capita GDP 1940-2000) with the block weights of the
  ``hanson98`` regimes -- the data and weights of inequality's own test suite;
* ``inequality.theil.TheilD`` (T, bg, wg) on the same data and regimes, and on a vector with
  zeros.
"""

from __future__ import annotations

import json
from pathlib import Path

import inequality
import libpysal
import numpy as np
from inequality.gini import Gini, Gini_Spatial
from inequality.theil import TheilD

OUT = Path(__file__).with_name("inequality_reference.json")
SEED = 12345
PERMUTATIONS = 99


def main() -> None:
    f = libpysal.io.open(libpysal.examples.get_path("mexico.csv"))
    years = list(range(1940, 2010, 10))
    y = np.array([f.by_col[f"pcgdp{yr}"] for yr in years], dtype=float).T
    regimes = np.array(f.by_col("hanson98"))
    w = libpysal.weights.block_weights(regimes, silence_warnings=True)

    spatial = {}
    for k, yr in enumerate(years):
        np.random.seed(SEED)  # inequality has no seed argument; it uses numpy's global state
        gs = Gini_Spatial(y[:, k], w, permutations=PERMUTATIONS)
        spatial[str(yr)] = {
            "gini": float(Gini(y[:, k]).g),
            "g": float(gs.g),
            "wg": float(gs.wg),
            "wcg": float(gs.wcg),
            "wcg_share": float(gs.wcg_share),
            "polarization": float(gs.polarization),
            "p_sim": float(gs.p_sim),
            "e_wcg": float(gs.e_wcg),
            "z_wcg": float(gs.z_wcg),
            "dtotal": float(gs.dtotal),
            "den": float(gs.den),
        }

    td = TheilD(y, regimes)
    zeros = TheilD(
        np.array([0.0, 0.0, 0.0, 10.0, 10.0, 10.0, 0.0, 5.0]), np.array(list("aaabbbcc"))
    )
    ref = {
        "generated_by": "tests/reference/make_inequality_reference.py",
        "inequality_version": inequality.__version__,
        "libpysal_version": libpysal.__version__,
        "numpy_seed": SEED,
        "permutations": PERMUTATIONS,
        "mexico": {
            "years": years,
            "values": y.tolist(),
            "regimes": regimes.tolist(),
            "spatial_gini": spatial,
            "theil": {"T": td.T.tolist(), "bg": td.bg.tolist(), "wg": td.wg.tolist()},
        },
        "theil_zeros": {
            "values": [0.0, 0.0, 0.0, 10.0, 10.0, 10.0, 0.0, 5.0],
            "groups": list("aaabbbcc"),
            "T": float(np.ravel(zeros.T)[0]),
            "bg": float(np.ravel(zeros.bg)[0]),
            "wg": float(np.ravel(zeros.wg)[0]),
        },
    }
    OUT.write_text(json.dumps(ref, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
