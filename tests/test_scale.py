"""Local statistics on grids of 10^4-10^6 cells: the shared-draw conditional randomisation.

From ``inference.SHARED_MIN_UNITS`` units on, equal-weight neighbourhoods share the sums of their
draws (``arrangements.shared_sum_counts``). Checked here against (1) the exact enumeration of every
neighbour set on a small graph (the path forced on), (2) esda ``Moran_Local`` on a 12,000-cell
lattice (identical I, p within Monte Carlo error, identical labels where p is far from alpha),
and (3) a memory bound that an n x permutations matrix would break.
"""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import spatialinno as si
from spatialinno.measures import inference
from spatialinno.measures.arrangements import off_diagonal


def _lattice(nx: int, ny: int, seed: int = 0) -> pd.DataFrame:
    """Cells of an nx x ny lattice with a spatially structured, skewed value."""
    ix, iy = np.divmod(np.arange(nx * ny), ny)
    rng = np.random.default_rng(seed)
    bump = 3.0 * np.exp(-((ix - nx / 3) ** 2 + (iy - ny / 2) ** 2) / (2 * (nx / 8) ** 2))
    return pd.DataFrame(
        {
            "code": [f"c{i}" for i in range(nx * ny)],
            "ix": ix,
            "iy": iy,
            "x": rng.gamma(1.0, 1.0, nx * ny) + bump,
        }
    )


def test_shared_draws_match_the_exact_enumeration(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    n = 14
    a = np.triu((rng.random((n, n)) < 0.25).astype(float), 1)
    a = a + a.T
    for i in np.flatnonzero(a.sum(1) == 0):
        a[i, (i + 1) % n] = a[(i + 1) % n, i] = 1.0
    off = off_diagonal(sp.csr_matrix(a / a.sum(1, keepdims=True)))
    v = rng.normal(size=n)
    v[3] = v[5]  # a tie
    z = v - v.mean()
    exact = inference.conditional_test(
        off, z, z, 10**6, np.random.default_rng(0), threshold=0.05, what="t"
    )
    assert exact.exact.all()
    monkeypatch.setattr(inference, "SHARED_MIN_UNITS", 0)
    monkeypatch.setattr(inference, "EXACT_MAX", 0)
    p_count = 400_000
    shared = inference.conditional_test(
        off, z, z, p_count, np.random.default_rng(0), threshold=0.05, what="t"
    )
    assert not shared.exact.any()
    se = np.sqrt(exact.p * (1 - exact.p) / p_count)
    # every region within 4.5 Monte Carlo standard errors of its exact p-value (at n = 14 a
    # region is among a draw's first k in k/14 of the draws: without the correction of those
    # draws the p-values are off by tens of standard errors)
    assert np.all(np.abs(shared.p - exact.p) <= 4.5 * se), (shared.p - exact.p) / se


def test_lisa_on_a_12000_cell_lattice_agrees_with_esda() -> None:
    esda = pytest.importorskip("esda")
    cells = _lattice(120, 100)
    g = si.grid_weights(cells)
    perms = 999
    out = si.lisa(cells, "x", w=g, permutations=perms, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.Moran_Local(
            cells["x"].to_numpy(), g.to_W(), transformation="r", permutations=perms, seed=0
        )
    np.testing.assert_allclose(out["lisa_I"], ref.Is, atol=1e-9)
    p, q = out["lisa_p"].to_numpy(), ref.p_sim
    se = np.sqrt(2 * np.maximum(p * (1 - p), 1e-3) / perms)  # two independent Monte Carlo runs
    assert np.mean(np.abs(p - q) <= 4 * se) >= 0.999
    far = ((p < 0.01) & (q < 0.01)) | ((p > 0.2) & (q > 0.2))
    assert far.sum() > 5000  # half the cells: the comparison covers most of the map
    esda_label = np.where(
        q <= 0.05, pd.Series(ref.q).map({1: "HH", 2: "LH", 3: "LL", 4: "HL"}), "ns"
    )
    assert (out["lisa_cluster"].to_numpy()[far] == esda_label[far]).all()
    again = si.lisa(cells, "x", w=g, permutations=perms, seed=0)
    np.testing.assert_array_equal(again["lisa_p"], out["lisa_p"])  # same seed, same p


def test_permutations_on_40000_cells_hold_no_n_by_p_matrix() -> None:
    cells = _lattice(200, 200, seed=2)
    g = si.grid_weights(cells)
    si.lisa(cells, "x", w=g, permutations=99, seed=0)  # warm-up: imports, caches
    tracemalloc.start()
    out = si.lisa(cells, "x", w=g, permutations=9999, seed=0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # an n x P matrix of float64 would be 40,000 x 9,999 x 8 B = 3.2 GB
    assert peak < 250e6, peak
    assert out.attrs["lisa"]["permutations"] == 9999
    assert out["lisa_p"].min() == pytest.approx(1 / 10000)


def test_hotspots_at_scale_default_to_analytic_gi_and_say_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cells = _lattice(110, 100, seed=3)
    g = si.grid_weights(cells)
    hot = si.hotspots(cells, "x", w=g)
    rec = hot.attrs["hotspots"]
    assert rec["inference"] == "analytic" and rec["permutations"] == 0
    assert "analytic" in rec["permutations_note"]
    # analytic Gi* z for binary weights with the self link: esda G_Local(star=True) Zs
    esda = pytest.importorskip("esda")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.G_Local(
            cells["x"].to_numpy(), g.to_W(), transform="B", star=True, permutations=0
        )
    np.testing.assert_allclose(hot["gi_z"], ref.Zs, atol=1e-9)
    # permutation Gi*: the shared draws agree with the per-region draws within Monte Carlo error
    perm = si.hotspots(cells, "x", w=g, inference="permutation", permutations=999, seed=1)
    monkeypatch.setattr(inference, "SHARED_MIN_UNITS", 10**9)
    slow = si.hotspots(cells, "x", w=g, inference="permutation", permutations=999, seed=1)
    p, q = perm["gi_p"].to_numpy(), slow["gi_p"].to_numpy()
    folded = q / 2  # gi_p is two-sided: twice the folded pseudo p
    se = 2 * np.sqrt(2 * np.maximum(folded * (1 - folded), 1e-3) / 999)
    # both paths compare all regions with one shared set of draws (esda does the same), so their
    # Monte Carlo errors move together: a few extreme draws shift every strong hot spot at once
    # (seed 1: 31 cells at 0.016 against 0.002); hence 99 %, not 99.9 %, within 4 errors
    assert np.mean(np.abs(p - q) <= 4 * se) >= 0.99
    far = (p < 0.01) & (q < 0.01) | (p > 0.3) & (q > 0.3)
    assert (perm["gi_bin"].to_numpy()[far] == slow["gi_bin"].to_numpy()[far]).all()
