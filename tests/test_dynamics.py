"""Tests of spatialinno.measures.dynamics: kernel densities, sigma- and beta-convergence.

Cross-checks: scipy.stats.gaussian_kde called directly (the bandwidth rules), root finding on
the exact KDE function for the width and tail features, plain-Python standard deviations for
sigma-convergence, and scipy.stats.linregress plus a hand-written closed form for beta.
"""

from __future__ import annotations

import math
import statistics
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq
from scipy.stats import gaussian_kde, linregress

import spatialinno as si
from spatialinno import DataWarning, InputError


def panel(rng: np.random.Generator) -> pd.DataFrame:
    parts = []
    for t, scale in ((2015, 1.0), (2020, 1.6)):
        x = np.concatenate([rng.gamma(4.0, 2.0, 60), rng.gamma(30.0, 1.0, 25)]) * scale
        parts.append(pd.DataFrame({"year": t, "x": x, "code": [f"u{i}" for i in range(x.size)]}))
    return pd.concat(parts, ignore_index=True)


# ----------------------------------------------------------------------------------------------
# kernel density
# ----------------------------------------------------------------------------------------------


def test_scott_is_exactly_scipys_default_and_silverman_and_h_are_scipys_too() -> None:
    df = panel(np.random.default_rng(1))
    kd = si.kernel_density(df, "x", year="year")
    for t, part in df.groupby("year"):
        x = part["x"].to_numpy()
        curve = kd.curves[kd.curves["year"] == t]
        assert np.array_equal(curve["density"].to_numpy(), gaussian_kde(x)(curve["x"].to_numpy()))
        feat = kd.features.set_index("year").loc[t]
        assert feat["bandwidth"] == math.sqrt(gaussian_kde(x).covariance[0, 0])
        silver = si.kernel_density(part, "x", bandwidth="silverman")
        grid = silver.curves["x"].to_numpy()
        assert np.array_equal(
            silver.curves["density"].to_numpy(), gaussian_kde(x, bw_method="silverman")(grid)
        )
        fixed = si.kernel_density(part, "x", bandwidth=1.5)
        assert fixed.features.loc[0, "bandwidth"] == pytest.approx(1.5, rel=1e-12)
        # by the definition, with h = 1.5 directly
        g0 = fixed.curves["x"].to_numpy()[200]
        direct = np.mean(np.exp(-((g0 - x) ** 2) / (2 * 1.5**2))) / (1.5 * math.sqrt(2 * math.pi))
        assert fixed.curves["density"].to_numpy()[200] == pytest.approx(direct, rel=1e-12)


def test_one_shared_grid_and_relative_values() -> None:
    df = panel(np.random.default_rng(2))
    kd = si.kernel_density(df, "x", year="year", relative=True, grid=300)
    grids = [g["x"].to_numpy() for _, g in kd.curves.groupby("year")]
    assert len(grids) == 2 and np.array_equal(grids[0], grids[1]) and grids[0].size == 300
    rel = {t: p["x"].to_numpy() / p["x"].mean() for t, p in df.groupby("year")}
    h = max(math.sqrt(gaussian_kde(v).covariance[0, 0]) for v in rel.values())
    lo = min(v.min() for v in rel.values()) - 3 * h
    hi = max(v.max() for v in rel.values()) + 3 * h
    assert grids[0][0] == pytest.approx(lo, rel=1e-12) and grids[0][-1] == pytest.approx(hi)
    curve = kd.curves[kd.curves["year"] == 2020]["density"].to_numpy()
    np.testing.assert_array_equal(curve, gaussian_kde(rel[2020])(grids[0]))
    assert kd.features["mean"].tolist() == pytest.approx([1.0, 1.0])
    assert list(kd.to_frame().columns) == ["year", "x", "density"]
    assert "relative to the yearly mean" in repr(kd)


def test_features_against_the_exact_kde_function() -> None:
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.normal(10, 1.0, 300), rng.normal(20, 1.5, 150)])
    kd = si.kernel_density(pd.DataFrame({"x": x}), "x", grid=4000)
    f = kd.features.iloc[0]
    kde = gaussian_kde(x)
    assert f["n_peaks"] == 2
    assert f["peak_positions"][0] == pytest.approx(10, abs=0.3)
    assert f["peak_positions"][1] == pytest.approx(20, abs=0.4)
    top = f["main_peak_x"]
    assert f["main_peak_height"] == pytest.approx(kde(top)[0], rel=1e-12)
    step = float(np.diff(kd.curves["x"].to_numpy()[:2])[0])
    half = f["main_peak_height"] / 2
    left = brentq(lambda v: kde(v)[0] - half, top - 10, top)
    right = brentq(lambda v: kde(v)[0] - half, top, 15)  # between the two modes
    assert f["half_max_width"] == pytest.approx(right - left, abs=step)
    floor = 0.01 * f["main_peak_height"]
    tail_end = brentq(lambda v: kde(v)[0] - floor, 21, 40)
    assert f["right_tail_length"] == pytest.approx(tail_end - top, abs=step)
    n, m = x.size, x.mean()
    m2, m3 = np.mean((x - m) ** 2), np.mean((x - m) ** 3)
    g1 = m3 / m2**1.5 * math.sqrt(n * (n - 1)) / (n - 2)  # adjusted Fisher-Pearson
    assert f["skewness"] == pytest.approx(g1, rel=1e-12)


def test_small_bumps_are_not_peaks() -> None:
    rng = np.random.default_rng(4)
    x = np.concatenate([rng.normal(0, 1, 2000), [12.0]])  # one far outlier: a 0.05 % bump
    kd = si.kernel_density(pd.DataFrame({"x": x + 20}), "x")
    assert kd.features.loc[0, "n_peaks"] == 1
    loose = si.kernel_density(pd.DataFrame({"x": x + 20}), "x", peak_floor=0.0)
    assert loose.features.loc[0, "n_peaks"] >= 2
    assert max(loose.features.loc[0, "peak_positions"]) == pytest.approx(32.0, abs=0.2)


def test_kernel_density_bad_input() -> None:
    df = pd.DataFrame({"name": ["a", "b", "c", "d"], "x": [1.0, np.nan, 3.0, 4.0]})
    with pytest.warns(DataWarning, match="1 unit.*b"):
        kd = si.kernel_density(df, "x")
    assert kd.left_out == ("b",) and kd.features.loc[0, "n"] == 3
    with pytest.raises(InputError, match=r"non-negative.*c"):
        si.kernel_density(df.assign(x=[1.0, 2.0, -3.0, 4.0]), "x")
    with pytest.raises(InputError, match="2 different values"):
        si.kernel_density(df.assign(x=2.0), "x")
    with pytest.raises(InputError, match="bandwidth"):
        si.kernel_density(df.fillna(2.0), "x", bandwidth="auto")
    with pytest.raises(InputError, match="grid"):
        si.kernel_density(df.fillna(2.0), "x", grid=[3.0, 2.0, 1.0])


# ----------------------------------------------------------------------------------------------
# sigma convergence
# ----------------------------------------------------------------------------------------------


def test_sigma_convergence_by_hand() -> None:
    df = pd.DataFrame(
        {
            "year": [2000, 2000, 2000, 2000, 2010, 2010, 2010, 2010],
            "name": list("abcdabcd"),
            "x": [1.0, 2.0, 4.0, 0.0, 3.0, 4.0, 6.0, 5.0],
        }
    )
    with pytest.warns(DataWarning, match="zero value.*d 2000"):
        out = si.sigma_convergence(df, "x")
    for row, vals in zip(
        out.itertuples(), ([1.0, 2.0, 4.0, 0.0], [3.0, 4.0, 6.0, 5.0]), strict=True
    ):
        assert row.cv == pytest.approx(statistics.pstdev(vals) / statistics.mean(vals), rel=1e-12)
        logs = [math.log(v) for v in vals if v > 0]
        assert row.sd_log == pytest.approx(statistics.pstdev(logs), rel=1e-12)
        assert row.n_log == len(logs)
    sample = si.sigma_convergence(df[df["x"] > 0], "x", ddof=1)
    assert sample["sd"].iloc[1] == pytest.approx(statistics.stdev([3.0, 4.0, 6.0, 5.0]))
    assert list(out.columns) == ["year", "n", "mean", "sd", "cv", "n_log", "sd_log"]


# ----------------------------------------------------------------------------------------------
# beta convergence
# ----------------------------------------------------------------------------------------------


def test_beta_convergence_matches_closed_form_and_linregress() -> None:
    rng = np.random.default_rng(5)
    y0 = rng.lognormal(3.0, 0.8, 40)
    y1 = y0 * np.exp(12 * (0.08 - 0.02 * np.log(y0) + rng.normal(0, 0.01, 40)))
    df = pd.DataFrame(
        {
            "code": [f"c{i}" for i in range(40)] * 3,
            "year": [2008] * 40 + [2014] * 40 + [2020] * 40,
            "x": np.concatenate([y0, np.sqrt(y0 * y1), y1]),
        }
    )
    b = si.beta_convergence(df, "x")
    assert (b.start, b.end, b.periods, b.n) == (2008, 2020, 12.0, 40)
    x = [math.log(v) for v in y0]
    g = [(math.log(v1) - math.log(v0)) / 12 for v0, v1 in zip(y0, y1, strict=True)]
    mx, mg = sum(x) / 40, sum(g) / 40
    sxx = sum((a - mx) ** 2 for a in x)
    beta = sum((a - mx) * (c - mg) for a, c in zip(x, g, strict=True)) / sxx
    alpha = mg - beta * mx
    ssr = sum((c - alpha - beta * a) ** 2 for a, c in zip(x, g, strict=True))
    se = math.sqrt(ssr / 38 / sxx)
    assert b.beta == pytest.approx(beta, rel=1e-10) and b.alpha == pytest.approx(alpha, rel=1e-10)
    assert b.se == pytest.approx(se, rel=1e-10) and b.t == pytest.approx(beta / se, rel=1e-10)
    ref = linregress(x, g)
    assert b.beta == pytest.approx(ref.slope, rel=1e-10)
    assert b.se == pytest.approx(ref.stderr, rel=1e-10)
    assert b.p_value == pytest.approx(ref.pvalue, rel=1e-6, abs=1e-300)
    assert b.r2 == pytest.approx(ref.rvalue**2, rel=1e-10)
    lam = -math.log(1 + beta * 12) / 12
    assert b.speed == pytest.approx(lam, rel=1e-10)
    assert b.half_life == pytest.approx(math.log(2) / lam, rel=1e-10)
    mid = si.beta_convergence(df, "x", start=2014)
    assert mid.periods == 6.0
    assert list(b.data.columns) == [
        "unit",
        "initial",
        "final",
        "log_initial",
        "growth",
        "fitted",
        "residual",
    ]
    assert b.to_frame().loc[0, "beta"] == b.beta
    assert repr(b).startswith("BetaConvergence('x' 2008-2020: beta=-0.0")


def test_beta_convergence_divergence_and_bad_input() -> None:
    df = pd.DataFrame(
        {
            "code": list("abcdeabcde"),
            "year": [2000] * 5 + [2010] * 5,
            "x": [1.0, 2.0, 3.0, 4.0, 5.0, 1.0, 3.0, 6.0, 10.0, np.nan],
        }
    )
    with pytest.warns(DataWarning, match="1 unit.*e"):
        b = si.beta_convergence(df, "x")
    assert b.left_out == ("e",) and b.n == 4
    assert b.beta > 0 and b.speed < 0 and math.isnan(b.half_life)  # divergence: no half-life
    with pytest.raises(InputError, match="twice"):
        si.beta_convergence(pd.concat([df, df.iloc[[0]]]), "x")
    with pytest.raises(InputError, match="start=1999"):
        si.beta_convergence(df, "x", start=1999)
    with pytest.raises(InputError, match="at least 3 units"):
        si.beta_convergence(df.iloc[[0, 1, 5, 6]], "x")
    with pytest.raises(si.ColumnError, match="'code'"):
        si.beta_convergence(df.drop(columns="code"), "x")


def test_convergence_on_the_bundled_provincial_panel() -> None:
    prov = si.load_dataset("province_panel")
    prov = prov[prov["gb"] != "156000000"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every province has both years: nothing to report
        b = si.beta_convergence(prov, "rd_exp_total_10k_yuan", unit="gb", start=2010, end=2023)
    assert b.n == 31
    wide = prov.pivot(index="gb", columns="year", values="rd_exp_total_10k_yuan")
    ref = linregress(np.log(wide[2010]), np.log(wide[2023] / wide[2010]) / 13)
    assert b.beta == pytest.approx(ref.slope, rel=1e-10)
    with pytest.warns(DataWarning, match="without any value.*2005, 2006, 2007, 2008, 2009, 2024$"):
        sig = si.sigma_convergence(prov, "rd_exp_total_10k_yuan")
    assert sig["year"].tolist() == list(range(2010, 2024))
