"""Tests of spatialinno.measures.autocorrelation: Moran, Geary, bivariate Moran, LISA, Gi* hot spots.

Independent references:
- R spdep 1.2-7 (tests/reference/spdep_reference.R on the inputs written by
  tests/reference/make_spdep_input.py; outputs committed in tests/reference/spdep/): Moran's I, E, V,
  z; Geary's C, V, z; local I; Gi* z with binary and row-standardised self-included weights;
  on 31 provinces (R&D spending 2010-2023), 375 prefectures (islands linked or kept) and the 2020
  census population with 16 missing units (dropped with their links in R by subset.nb);
- esda 2.9 (live): the same statistics, and its known failures (G_Local with row-standardised
  weights, geoda_quads, islands' p-values);
- exact enumeration of the conditional-randomisation distribution on a 3 x 3 grid, brute-force
  Getis–Ord formulas, scipy's Benjamini–Hochberg adjustment.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
import warnings
from pathlib import Path

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from libpysal.graph import Graph
from scipy.stats import false_discovery_control, norm
from shapely.geometry import box

import spatialinno as si
from spatialinno import ColumnError, DataWarning, InputError, WeightsError
from spatialinno.measures.inference import resolve_permutations as _resolve_permutations

SPDEP = Path(__file__).parent / "reference" / "spdep"
TOL = {"rtol": 1e-9, "atol": 1e-12}


def read_input(case: str) -> pd.DataFrame:
    return pd.read_csv(SPDEP / f"input_{case}.csv", dtype={"code": str})


def graph_from_nb(case: str, n: int) -> Graph:
    """The exact neighbour list R used, as a binary Graph over positions 0..n-1."""
    nb = pd.read_csv(SPDEP / f"nb_{case}.csv")
    lonely = sorted(set(range(n)) - set(nb["focal"]))
    focal = np.concatenate([nb["focal"].to_numpy(), lonely]).astype(int)
    neighbor = np.concatenate([nb["neighbor"].to_numpy(), lonely]).astype(int)
    weight = np.concatenate([np.ones(len(nb)), np.zeros(len(lonely))])
    order = np.lexsort((neighbor, focal))
    return Graph.from_arrays(focal[order], neighbor[order], weight[order])


@pytest.fixture(scope="module")
def spdep_global() -> pd.DataFrame:
    return pd.read_csv(SPDEP / "spdep_global.csv")


@pytest.fixture(scope="module")
def spdep_local() -> pd.DataFrame:
    return pd.read_csv(SPDEP / "spdep_local.csv", dtype={"code": str})


@pytest.fixture(scope="module")
def pref() -> gpd.GeoDataFrame:
    frame = si.load_boundaries("prefecture")
    ref = read_input("prefecture").set_index("code")
    frame["v"] = frame["code"].map(ref["v"])
    census = read_input("prefecture_census").set_index("code")
    frame["pop"] = frame["code"].map(census["popu_2020"])
    return frame


@pytest.fixture(scope="module")
def w_pref(pref: gpd.GeoDataFrame) -> Graph:
    return si.spatial_weights(pref)


CASES = [("province31", f"rd_exp_{y}") for y in range(2010, 2024)] + [
    ("prefecture", "v"),
    ("prefecture_keep", "v"),
    ("prefecture_census", "popu_2020"),
]


# ----------------------------------------------------------------------------------------------
# R spdep agreement (1e-9)
# ----------------------------------------------------------------------------------------------


@pytest.mark.rspdep
@pytest.mark.parametrize(("case", "variable"), CASES)
def test_global_statistics_match_spdep(
    case: str, variable: str, spdep_global: pd.DataFrame
) -> None:
    data = read_input(case)
    w = graph_from_nb(case, len(data))
    ref = spdep_global.query("case == @case and variable == @variable").iloc[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the census case has 16 missing units
        m = si.moran(data, variable, w=w, permutations=0)
        g = si.geary(data, variable, w=w, permutations=0)
    assert m.n == g.n == ref["n"]
    np.testing.assert_allclose(
        [m.I, m.EI, m.VI, m.z, m.p_norm], ref[["I", "EI", "VI", "z_I", "p_I"]].astype(float), **TOL
    )
    # spdep's geary.test reports (EC - C) / sd; spatialinno (C - EC) / sd as esda
    np.testing.assert_allclose(
        [g.C, g.EC, g.VC, -g.z, g.p_norm], ref[["C", "EC", "VC", "z_C", "p_C"]].astype(float), **TOL
    )


@pytest.mark.rspdep
@pytest.mark.parametrize(
    "case", ["province31", "prefecture", "prefecture_keep", "prefecture_census"]
)
def test_local_statistics_match_spdep(case: str, spdep_local: pd.DataFrame) -> None:
    data = read_input(case)
    ref = spdep_local.query("case == @case").set_index("code")
    variable = ref["variable"].iloc[0]
    frame = gpd.GeoDataFrame(data, geometry=[box(i, 0, i + 1, 1) for i in range(len(data))])
    w = graph_from_nb(case, len(data))
    # lisa refuses permutations=0 (it would label every region "ns" untested); 99 is enough
    # here: only lisa_I and the isolated / no data labels are compared
    out = si.lisa(frame, variable, w=w, permutations=99, seed=0).set_index("code")
    hb = si.hotspots(frame, variable, w=w, transform="B").set_index("code")
    hr = si.hotspots(frame, variable, w=w, transform="R").set_index("code")
    used = ref.index  # spdep saw only the units with a value
    assert len(used) == data[variable].notna().sum()
    np.testing.assert_allclose(out.loc[used, "lisa_I"], ref["Ii"], **TOL)
    linked = ref.index[ref["n_neighbors"] > 0]  # islands: no Gi* (only their own value)
    np.testing.assert_allclose(hb.loc[linked, "gi_z"], ref.loc[linked, "Gstar_z_B"], **TOL)
    np.testing.assert_allclose(hr.loc[linked, "gi_z"], ref.loc[linked, "Gstar_z_W"], **TOL)
    assert (out.loc[ref.index[ref["n_neighbors"] == 0], "lisa_cluster"] == "isolated").all()
    missing = data.loc[data[variable].isna(), "code"]
    assert (out.loc[missing, "lisa_cluster"] == "no data").all()
    assert out.loc[missing, "lisa_I"].isna().all()


def test_worked_example_province_rd_spending_2010_2023(spdep_global: pd.DataFrame) -> None:
    """Is R&D spending spatially clustered across provinces, and more so over time?"""
    prov = si.load_boundaries("province")
    prov = prov[prov["region"].notna()].reset_index(drop=True)
    panel = si.load_dataset("province_panel")
    panel = panel[panel["year"].between(2010, 2023) & (panel["gb"] != "156000000")]
    panel = panel.assign(code=panel["gb"].str[3:])[["code", "year", "rd_exp_total_10k_yuan"]]
    long = prov.merge(panel, on="code", validate="1:m").sort_values(["year", "code"])
    trend = si.moran_by_year(long, "rd_exp_total_10k_yuan", permutations=999, seed=7)
    assert trend["year"].tolist() == list(range(2010, 2024))
    assert (trend["n"] == 31).all()
    ref = spdep_global.query("case == 'province31'").set_index("variable")
    ref = ref.loc[[f"rd_exp_{y}" for y in range(2010, 2024)]]
    np.testing.assert_allclose(trend["I"], ref["I"], **TOL)
    np.testing.assert_allclose(trend["z"], ref["z_I"], **TOL)
    # esda on the same (row-standardised, Hainan linked to Guangdong) weights
    w = si.spatial_weights(prov).to_W()
    for year, row in trend.set_index("year").iterrows():
        x = long.loc[long["year"] == year, "rd_exp_total_10k_yuan"].to_numpy()
        e = esda.Moran(x, w, permutations=0)
        assert row["I"] == pytest.approx(e.I, abs=1e-12)
        assert row["z"] == pytest.approx(e.z_rand, abs=1e-9)
    # the finding: weak positive clustering of R&D spending (I between 0.157 and 0.204); it peaks
    # in 2017 (I = 0.2035, two-sided p = 0.039) and is significant at 5 % only in 2014-2017
    assert trend["I"].iloc[0] == pytest.approx(0.158079, abs=1e-6)
    assert trend.loc[trend["I"].idxmax(), "year"] == 2017
    assert trend.loc[trend["p_norm"] < 0.05, "year"].tolist() == [2014, 2015, 2016, 2017]
    assert (trend["p_sim"] > 0).all() and trend["p_sim"].notna().all()


# ----------------------------------------------------------------------------------------------
# esda agreement, and esda's failures that spatialinno avoids
# ----------------------------------------------------------------------------------------------


def test_global_statistics_match_esda(pref: gpd.GeoDataFrame, w_pref: Graph) -> None:
    W = w_pref.to_W()
    y = pref["v"].to_numpy()
    m = si.moran(pref, "v", w=w_pref, permutations=0)
    e = esda.Moran(y, W, permutations=0)
    np.testing.assert_allclose([m.I, m.EI, m.VI, m.z], [e.I, e.EI, e.VI_rand, e.z_rand], **TOL)
    g = si.geary(pref, "v", w=w_pref, permutations=0)
    e = esda.Geary(y, W, permutations=0)
    np.testing.assert_allclose([g.C, g.VC, g.z], [e.C, e.VC_rand, e.z_rand], **TOL)
    mb = si.moran(pref, "v", w=w_pref, permutations=0, transform="B")
    eb = esda.Moran(y, W, transformation="b", permutations=0)
    np.testing.assert_allclose([mb.I, mb.z], [eb.I, eb.z_rand], **TOL)
    x = pref["v"].to_numpy() ** 0.5 + np.cos(np.arange(len(pref)))
    frame = pref.assign(x=x)
    bv = si.bivariate_moran(frame, "x", "v", w=w_pref, permutations=99, seed=0)
    assert abs(bv.I - esda.Moran_BV(x, y, W, permutations=0).I) < 1e-12


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_permutation_p_agrees_with_esda_statistically(
    pref: gpd.GeoDataFrame, w_pref: Graph
) -> None:
    ours = si.lisa(pref, "v", w=w_pref, permutations=9999, seed=3)
    e = esda.Moran_Local(pref["v"].to_numpy(), w_pref.to_W(), permutations=9999, seed=3, n_jobs=1)
    np.testing.assert_allclose(ours["lisa_I"], e.Is, **TOL)
    diff = np.abs(ours["lisa_p"].to_numpy() - e.p_sim)
    # two independent Monte Carlo estimates of the same p: sd <= sqrt(2 * 0.25 / 10^4) = 0.007
    assert diff.mean() < 0.006 and diff.max() < 0.04
    assert (ours["lisa_q"].to_numpy(dtype=int) == e.q).all()  # esda geoda_quads=False numbering
    # global: pseudo p of a strongly clustered variable is the minimum for both
    m = si.moran(pref, "v", w=w_pref, permutations=999, seed=3)
    assert m.p_sim == pytest.approx(0.001)
    assert abs(m.EI_sim - m.EI) < 0.01


@pytest.mark.filterwarnings("ignore:Gi\\* requested:UserWarning")
def test_gi_star_z_is_right_for_row_standardised_weights_where_esda_is_not(
    pref: gpd.GeoDataFrame, w_pref: Graph, spdep_local: pd.DataFrame
) -> None:
    y = pref["v"].to_numpy()
    hb = si.hotspots(pref, "v", w=w_pref, transform="B")
    eb = esda.G_Local(y, w_pref.to_W(), transform="B", star=True, permutations=0, n_jobs=1)
    np.testing.assert_allclose(hb["gi_z"], eb.Zs, **TOL)  # binary: esda is right
    hr = si.hotspots(pref, "v", w=w_pref, transform="R")
    er = esda.G_Local(y, w_pref.to_W(), transform="R", star=True, permutations=0, n_jobs=1)
    ref = spdep_local.query("case == 'prefecture'")["Gstar_z_W"].to_numpy()
    np.testing.assert_allclose(hr["gi_z"], ref, **TOL)
    assert np.abs(er.Zs - ref).max() > 1.0  # esda's row-standardised Gi* z is off
    # brute force of the Getis–Ord formula for one unit, row-standardised with self weight
    i = int(np.flatnonzero(pref["name"].to_numpy() == "上海市")[0])
    nbrs = [i, *w_pref[i].index]
    wts = np.full(len(nbrs), 1.0 / len(nbrs))
    n, xbar, s = len(y), y.mean(), y.std()
    z = (wts @ y[nbrs] - wts.sum() * xbar) / (
        s * np.sqrt((n * (wts**2).sum() - wts.sum() ** 2) / (n - 1))
    )
    assert hr["gi_z"].iloc[i] == pytest.approx(z, rel=1e-12)


# ----------------------------------------------------------------------------------------------
# LISA labels on a hand-made 3 x 3 grid
# ----------------------------------------------------------------------------------------------


def grid3(values: list[float]) -> gpd.GeoDataFrame:
    cells = [box(c, -r, c + 1, -r + 1) for r in range(3) for c in range(3)]
    return gpd.GeoDataFrame(
        {"name": [f"r{r}c{c}" for r in range(3) for c in range(3)], "x": values},
        geometry=cells,
        crs="EPSG:3857",
    )


# 9 9 1      mean 41/9 = 4.56; row-standardised queen lags worked out by hand:
# 9 1 1      r0c0 9 | lag (9+9+1)/3 = 6.33 -> HH     r0c1 9 | (9+1+9+1+1)/5 = 4.2 -> HL
# 1 1 9      r0c2 1 | 11/3 = 3.67 -> LL               r1c0 9 | 21/5 = 4.2 -> HL
#            r1c1 1 | 40/8 = 5 -> LH                  r1c2 1 | 21/5 -> LL   r2c0 1 | 11/3 -> LL
#            r2c1 1 | 21/5 -> LL                      r2c2 9 | 3/3 = 1 -> HL
GRID_VALUES = [9.0, 9.0, 1.0, 9.0, 1.0, 1.0, 1.0, 1.0, 9.0]
GRID_LABELS = ["HH", "HL", "LL", "HL", "LH", "LL", "LL", "LL", "HL"]


def test_lisa_labels_on_hand_made_grid() -> None:
    g = grid3(GRID_VALUES)
    # alpha 0.999 makes every testable unit "significant" (a folded p with ties on both sides is
    # at most P/(P+1) or (N-1)/N unless every draw ties), so the cluster column shows the quadrant
    # label of every unit. (This test used alpha 0.6 and "a folded p never exceeds 0.5 + 1/(P+1)",
    # which held only while ties were counted on one side; r0c1 has exact p = 40/56 = 0.71.)
    out = si.lisa(g, "x", w=si.spatial_weights(g), alpha=0.999, seed=0)
    # r1c1 has all 8 other cells as neighbours with equal weights: its lag is the same in every
    # permutation, so it cannot be tested (p NaN, "ns") -- it used to be labelled LH
    assert np.isnan(out["lisa_p"].iloc[4]) and out.attrs["lisa"]["untestable"] == ["r1c1"]
    assert out["lisa_cluster"].tolist() == [*GRID_LABELS[:4], "ns", *GRID_LABELS[5:]]
    assert out["lisa_q"].tolist() == [{"HH": 1, "LH": 2, "LL": 3, "HL": 4}[s] for s in GRID_LABELS]
    # esda's GeoDa numbering (1 HH, 2 LL, 3 LH, 4 HL) read with the scatterplot numbering swaps
    # LL and LH: the bug this module avoids by numbering quadrants itself
    e = esda.Moran_Local(np.array(GRID_VALUES), si.spatial_weights(g).to_W(), geoda_quads=True,
                         permutations=0)  # fmt: skip
    naive = [{1: "HH", 2: "LH", 3: "LL", 4: "HL"}[q] for q in e.q]
    assert naive != GRID_LABELS
    assert naive[4] == "LL" and GRID_LABELS[4] == "LH"


def test_conditional_randomisation_matches_exact_enumeration() -> None:
    # r1c1 (LH) has all 8 others as neighbours: the permutation distribution is degenerate; take
    # r0c0: 3 neighbours drawn from the 8 other values -> C(8, 3) = 56 equally likely sets
    g = grid3(GRID_VALUES)
    w = si.spatial_weights(g)
    out = si.lisa(g, "x", w=w, permutations=99_999, seed=11)
    x = np.array(GRID_VALUES)
    z = x - x.mean()
    for unit in (0, 2, 8):
        others = np.delete(z, unit)
        k = len(w[unit])
        obs = z[unit] * z[list(w[unit].index)].mean()
        sims = np.array([z[unit] * np.mean(c) for c in itertools.combinations(others, k)])
        above = np.mean(sims >= obs - 1e-12)
        below = np.mean(sims <= obs + 1e-12)
        # a tie is at least as extreme on both sides. (This reference was min(above, 1 - above),
        # which puts the ties on the far side: r2c2 (9 among three 1s) got exact p 0 although 10
        # of its 56 neighbour sets tie it; its exact p is 10/56.)
        exact = min(above, below)
        # p = (min(#>=, #<=) + 1) / (P + 1), or exact over the C(8, 3) = 56 sets (56 <= P)
        assert out["lisa_p"].iloc[unit] == pytest.approx(exact, abs=0.006), unit
    assert out.attrs["lisa"]["exact"] == 8  # every cell but r1c1 (untestable) is enumerated
    assert out["lisa_p"].iloc[8] == pytest.approx(10 / 56, abs=1e-12)


# ----------------------------------------------------------------------------------------------
# islands, missing values
# ----------------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::RuntimeWarning")
def test_islands_are_isolated_never_significant(pref: gpd.GeoDataFrame) -> None:
    keep = si.spatial_weights(pref, islands="keep")
    out = si.lisa(pref, "v", w=keep, alpha=0.99, seed=0)  # everything else would be significant
    islands = pref["name"].isin(["舟山市", "三沙市", "台湾省"]).to_numpy()
    assert (out.loc[islands, "lisa_cluster"] == "isolated").all()
    assert out.loc[islands, "lisa_p"].isna().all() and (out.loc[islands, "lisa_I"] == 0).all()
    assert (out.loc[~islands, "lisa_cluster"] != "isolated").all()
    # esda reports the smallest possible pseudo p for the same islands
    e = esda.Moran_Local(pref["v"].to_numpy(), keep.to_W(), permutations=999, seed=0, n_jobs=1)
    assert np.allclose(e.p_sim[islands], 0.001)
    hot = si.hotspots(pref, "v", w=keep)
    assert (hot.loc[islands, "gi_cluster"] == "isolated").all()
    assert (hot.loc[islands, "gi_bin"] == 0).all() and hot.loc[islands, "gi_z"].isna().all()
    # islands="drop": the rows outside the graph are isolated as well, others as with "keep"
    drop = si.lisa(pref, "v", w=si.spatial_weights(pref, islands="drop"), seed=0)
    assert (drop.loc[islands, "lisa_cluster"] == "isolated").all()
    # the subset excludes the islands' values, so others differ from "keep" only through the mean
    assert drop.attrs["lisa"]["n_tests"] == 372


def test_missing_value_does_not_change_anyone_else(pref: gpd.GeoDataFrame, w_pref: Graph) -> None:
    gap = pref.copy()
    hole = int(np.flatnonzero(gap["name"].to_numpy() == "武汉市")[0])
    gap.loc[hole, "v"] = np.nan
    out = si.lisa(gap, "v", w=w_pref, seed=5)
    hot = si.hotspots(gap, "v", w=w_pref, inference="permutation", permutations=999, seed=5)
    # reference: the subset frame with the subgraph (the hole and its links removed)
    rest = [i for i in range(len(pref)) if i != hole]
    sub_w = w_pref.subgraph(rest)
    subset = gap.iloc[rest].reset_index(drop=True)
    ref = si.lisa(subset, "v", w=sub_w, seed=5)
    ref_hot = si.hotspots(subset, "v", w=sub_w, inference="permutation", permutations=999, seed=5)
    assert out.loc[hole, "lisa_cluster"] == "no data" and pd.isna(out.loc[hole, "lisa_q"])
    assert hot.loc[hole, "gi_cluster"] == "no data" and hot.loc[hole, "gi_bin"] == 0
    others = out.drop(index=hole).reset_index(drop=True)
    for col in ["lisa_I", "lisa_p", "lisa_cluster"]:
        pd.testing.assert_series_equal(others[col], ref[col], check_names=False)
    hot_others = hot.drop(index=hole).reset_index(drop=True)
    for col in ["gi_z", "gi_p", "gi_bin"]:
        pd.testing.assert_series_equal(hot_others[col], ref_hot[col], check_names=False)
    with pytest.warns(DataWarning, match=r"1 region\(s\) with a missing value.*武汉市 \(420100\)"):
        m = si.moran(gap, "v", w=w_pref, permutations=99, seed=1)
    assert m.missing == ("武汉市 (420100)",) and m.n == 374
    m_sub = si.moran(subset, "v", w=sub_w, permutations=99, seed=1)
    assert (m.I, m.z, m.p_sim) == (m_sub.I, m_sub.z, m_sub.p_sim)
    # esda on the same data: one NaN makes the whole map LL (esda issue 215)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        e = esda.Moran_Local(gap["v"].to_numpy(), w_pref.to_W(), permutations=99, seed=0)
    assert not np.isfinite(e.Is).any()


# ----------------------------------------------------------------------------------------------
# multiple testing: FDR / Bonferroni with "auto" permutations
# ----------------------------------------------------------------------------------------------


def test_fdr_with_auto_permutations_rejects_on_prefectures(
    pref: gpd.GeoDataFrame, w_pref: Graph
) -> None:
    start = time.perf_counter()
    out = si.lisa(pref, "v", w=w_pref, correction="fdr", seed=0)
    elapsed = time.perf_counter() - start
    info = out.attrs["lisa"]
    assert info["permutations"] == 9999  # 375 / 0.05 = 7500 -> 10^4 - 1
    assert "9999" in info["permutations_note"] and info["n_tests"] == 375
    significant = out["lisa_cluster"].isin(["HH", "LL", "HL", "LH"])
    assert significant.sum() >= 20
    # same rejections as scipy's Benjamini–Hochberg adjustment
    adjusted = false_discovery_control(out["lisa_p"].to_numpy())
    assert (significant.to_numpy() == (adjusted <= 0.05)).all()
    assert info["p_threshold"] <= 0.05
    assert elapsed < 5.0  # measured ~0.2 s: in-process, no pool
    bonf = si.lisa(pref, "v", w=w_pref, correction="bonferroni", seed=0)
    bsig = bonf["lisa_cluster"].isin(["HH", "LL", "HL", "LH"])
    assert 0 < bsig.sum() <= significant.sum()
    assert (bsig == (bonf["lisa_p"] <= 0.05 / 375)).all()
    # 999 permutations cannot reject anything after correction: warned, and nothing rejected
    with pytest.warns(UserWarning, match="cannot reject anything; use permutations='auto'"):
        few = si.lisa(pref, "v", w=w_pref, correction="bonferroni", permutations=999, seed=0)
    assert (few["lisa_cluster"] == "ns").all()


def test_auto_permutation_counts() -> None:
    assert _resolve_permutations("auto", None, 375, 0.05)[0] == 999
    assert _resolve_permutations("auto", "fdr", 31, 0.05)[0] == 999  # 620 -> at least 999
    assert _resolve_permutations("auto", "fdr", 375, 0.05)[0] == 9999
    assert _resolve_permutations("auto", "bonferroni", 2891, 0.05)[0] == 99999
    assert _resolve_permutations("auto", "fdr", 1000, 0.01)[0] == 99999  # 10^5 exactly
    assert _resolve_permutations("auto", "fdr", 100, 0.1)[0] == 999


def test_gi_bins_follow_arcgis_levels(pref: gpd.GeoDataFrame, w_pref: Graph) -> None:
    hot = si.hotspots(pref, "pop", w=w_pref)
    z = hot["gi_z"].to_numpy()
    finite = np.isfinite(z)
    # no correction: |z| >= 2.576 / 1.960 / 1.645 -> 3 / 2 / 1, sign of z
    level = np.select([np.abs(z) >= norm.isf(0.005), np.abs(z) >= norm.isf(0.025),
                       np.abs(z) >= norm.isf(0.05)], [3, 2, 1], 0)  # fmt: skip
    assert (hot["gi_bin"].to_numpy()[finite] == (np.sign(z) * level)[finite]).all()
    assert set(hot["gi_bin"]) == {-3, -2, -1, 0, 1, 2, 3}
    np.testing.assert_allclose(hot["gi_p"][finite], 2 * norm.sf(np.abs(z[finite])), rtol=1e-12)
    assert hot.attrs["hotspots"]["permutations"] == 0
    # FDR: each level is the Benjamini–Hochberg decision at that level (scipy's adjusted p)
    fdr = si.hotspots(pref, "pop", w=w_pref, correction="fdr")
    p = fdr["gi_p"].to_numpy()
    adj = np.full(p.shape, np.nan)
    adj[np.isfinite(p)] = false_discovery_control(p[np.isfinite(p)])
    expected = np.select([adj <= 0.01, adj <= 0.05, adj <= 0.10], [3, 2, 1], 0)
    expected = np.sign(np.nan_to_num(fdr["gi_z"].to_numpy())) * expected
    assert (fdr["gi_bin"].to_numpy() == expected).all()
    assert (np.abs(fdr["gi_bin"]) <= np.abs(hot["gi_bin"])).all()
    assert (np.abs(fdr["gi_bin"]) < np.abs(hot["gi_bin"])).any()  # FDR removes some bins
    # cluster label at alpha, hot/cold by the sign of z
    hot_units = fdr["gi_cluster"] == "hot"
    assert (fdr.loc[hot_units, "gi_z"] > 0).all()
    assert set(fdr.loc[fdr["pop"].isna(), "gi_cluster"]) == {"no data"}


def test_gi_permutation_inference(pref: gpd.GeoDataFrame, w_pref: Graph) -> None:
    perm = si.hotspots(pref, "v", w=w_pref, inference="permutation", correction="fdr", seed=2)
    info = perm.attrs["hotspots"]
    assert info["permutations"] == 9999  # 375 / 0.05 = 7,500 -> 10^4 - 1
    # min two-sided pseudo p = 2e-4; BH at 1 % rejects once 8 regions reach it: 99 % bins exist
    assert (np.abs(perm["gi_bin"]) == 3).sum() > 0
    adj = false_discovery_control(perm["gi_p"].to_numpy())
    expected = np.select([adj <= 0.01, adj <= 0.05, adj <= 0.10], [3, 2, 1], 0)
    assert (perm["gi_bin"].to_numpy() == np.sign(perm["gi_z"].to_numpy()) * expected).all()
    assert (perm["gi_p"] == perm["gi_p_sim"]).all()
    # pseudo p and analytic p agree on this near-normal variable
    analytic = si.hotspots(pref, "v", w=w_pref)
    assert np.corrcoef(perm["gi_p"], analytic["gi_p"])[0, 1] > 0.95
    extra = si.hotspots(pref, "v", w=w_pref, permutations=99, seed=2)
    assert "gi_p_sim" in extra.columns
    assert (extra["gi_bin"] == analytic["gi_bin"]).all()  # bins stay analytic


# ----------------------------------------------------------------------------------------------
# reproducibility, result objects
# ----------------------------------------------------------------------------------------------


def test_same_seed_same_output(pref: gpd.GeoDataFrame, w_pref: Graph) -> None:
    a = si.lisa(pref, "v", w=w_pref, seed=42)
    b = si.lisa(pref, "v", w=w_pref, seed=42)
    c = si.lisa(pref, "v", w=w_pref, seed=43)
    pd.testing.assert_frame_equal(a, b)
    assert not a["lisa_p"].equals(c["lisa_p"])
    assert si.moran(pref, "v", seed=1).p_sim == si.moran(pref, "v", seed=1).p_sim
    g1 = si.geary(pref, "v", seed=np.random.default_rng(9))
    g2 = si.geary(pref, "v", seed=np.random.default_rng(9))
    assert g1.p_sim == g2.p_sim
    h1 = si.hotspots(pref, "v", inference="permutation", seed=4)
    h2 = si.hotspots(pref, "v", inference="permutation", seed=4)
    pd.testing.assert_frame_equal(h1, h2)


def test_result_objects(pref: gpd.GeoDataFrame) -> None:
    m = si.moran(pref, "v", permutations=99, seed=0)
    assert isinstance(m, si.Moran)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.I = 0.0  # type: ignore[misc]
    text = repr(m)
    assert text.startswith("Moran(column='v', n=375, I=") and "p_sim=0.01 (99 perm.)" in text
    frame = m.to_frame()
    assert frame.shape == (1, 13) and frame.loc[0, "I"] == m.I
    g = si.geary(pref, "v", permutations=0)
    assert "C=" in repr(g) and np.isnan(g.p_sim) and g.to_frame().loc[0, "C"] == g.C
    with pytest.warns(DataWarning, match="16 region"):
        bv = si.bivariate_moran(pref, "v", "pop", permutations=99, seed=0)
    assert "BivariateMoran(x='v', y='pop'" in repr(bv) and bv.n == 359
    assert bv.to_frame().loc[0, "missing"].count("(") == 16


def test_county_layer_is_fast() -> None:
    county = si.load_boundaries("county")
    county["v"] = county["code"].str[:2].astype(float) + county["code"].str[4:].astype(float) / 50
    w = si.spatial_weights(county)
    start = time.perf_counter()
    m = si.moran(county, "v", w=w, permutations=999, seed=0)
    out = si.lisa(county, "v", w=w, permutations=999, seed=0)
    hot = si.hotspots(county, "v", w=w)
    assert time.perf_counter() - start < 10.0  # measured ~1 s in-process
    assert m.n == 2891 and m.I > 0.5
    assert out["lisa_cluster"].isin(["HH", "LL"]).sum() > 500
    assert (hot["gi_bin"] != 0).sum() > 500


# ----------------------------------------------------------------------------------------------
# bad input
# ----------------------------------------------------------------------------------------------


def test_bad_input_messages(pref: gpd.GeoDataFrame, w_pref: Graph) -> None:
    with pytest.raises(ColumnError, match=r"'rd' not found.*available columns: code, name"):
        si.moran(pref, "rd")
    text = pref.assign(t=pref["v"].astype(str))
    text.loc[3, "t"] = "n/a"
    with pytest.raises(InputError, match="'t' must be numeric but has 'n/a' at"):
        si.lisa(text, "t")
    with pytest.raises(InputError, match=r"same value .* in every region"):
        si.moran(pref.assign(c=1.0), "c")
    inf = pref.assign(i=pref["v"])
    inf.loc[7, "i"] = np.inf
    with pytest.raises(InputError, match=f"infinite value at {pref['name'][7]}"):
        si.hotspots(inf, "i")
    with pytest.raises(InputError, match="only 2 region\\(s\\) have a value"):
        si.moran(pref.assign(s=np.where(np.arange(375) < 2, 1.0, np.nan)), "s")
    with pytest.raises(InputError, match="unknown correction 'holm'"):
        si.lisa(pref, "v", correction="holm")
    with pytest.raises(InputError, match="alpha must be a probability"):
        si.lisa(pref, "v", alpha=5)
    with pytest.raises(InputError, match="permutations must be 'auto' or a non-negative"):
        si.lisa(pref, "v", permutations=-1)
    with pytest.raises(InputError, match="permutations must be a non-negative integer"):
        si.moran(pref, "v", permutations="auto")
    with pytest.raises(InputError, match="only permutation inference"):
        si.bivariate_moran(pref, "v", "pop", permutations=0)
    with pytest.raises(InputError, match="inference must be"):
        si.hotspots(pref, "v", inference="bayes")
    with pytest.raises(InputError, match="transform='B'"):
        si.hotspots(pref, "v", transform="O")
    with pytest.raises(WeightsError, match="unknown transform 'Z'"):
        si.moran(pref, "v", transform="Z")
    with pytest.raises(WeightsError, match="w has 34 units but the frame has 375 rows"):
        si.lisa(pref, "v", w=si.spatial_weights(si.load_boundaries("province")))
    with pytest.raises(WeightsError, match="libpysal Graph or W"):
        si.moran(pref, "v", w=np.eye(375))
    with pytest.raises(InputError, match="expected a \\(Geo\\)DataFrame"):
        si.moran(pref["v"], "v")
    lonely = gpd.GeoDataFrame(
        {"name": list("abcd"), "x": [1.0, 2.0, 3.0, 4.0]},
        geometry=[box(3 * i, 0, 3 * i + 1, 1) for i in range(4)],
        crs="EPSG:3857",
    )
    with pytest.raises(WeightsError, match="no region has a neighbour"):
        si.moran(lonely, "x", w=si.spatial_weights(lonely, islands="keep"))
    long = pref.assign(year=2020)
    long.loc[0, "year"] = np.nan
    with pytest.raises(InputError, match="'year' is missing at 北京市"):
        si.moran_by_year(long, "v")
