"""Tests of si.emerging_hotspots / si.hotspots_by_year (spatialinno.measures.emerging).

Independent references:
- pymannkendall 1.4.3 ``original_test`` for every Mann-Kendall statistic (S, Var S, Z, p, tau,
  trend), on random series, series with ties and constant series;
- si.hotspots called year by year by the test (the package's corrected Gi*), and a brute-force
  Ord-Getis z over an explicit space-time neighbour list for the time window;
- the 17 ArcGIS Pro categories on hand-built hot/cold series (one case per rule and the overlaps),
  and a plain per-unit if/elif transcription of ArcGIS's wording applied to real data.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pymannkendall as pmk
import pytest
from shapely.geometry import box

import spatialinno as si
from spatialinno import ColumnError, DataWarning, InputError, WeightsError
from spatialinno.measures.emerging import _classify, _mann_kendall, _smallest_mk_p


def grid(nx: int = 5, ny: int = 5) -> gpd.GeoDataFrame:
    """nx x ny squares of 0.5 degrees near (110E, 30N), codes g<row><col>."""
    cells = [(r, c) for r in range(ny) for c in range(nx)]
    return gpd.GeoDataFrame(
        {
            "code": [f"g{r}{c}" for r, c in cells],
            "name": [f"cell {r}-{c}" for r, c in cells],
            "row": [r for r, _ in cells],
            "col": [c for _, c in cells],
        },
        geometry=[
            box(110 + 0.5 * c, 30 + 0.5 * r, 110.5 + 0.5 * c, 30.5 + 0.5 * r) for r, c in cells
        ],
        crs="EPSG:4490",
    )


def grid_panel(years: range, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    g = grid()
    frames = []
    for t in years:
        # a hot corner that grows over the years, plus noise
        v = np.exp(-((g["row"] - 4) ** 2 + (g["col"] - 4) ** 2) / 4.0) * (1 + 0.2 * (t - years[0]))
        frames.append(g.assign(year=t, v=v + rng.normal(0, 0.05, len(g))))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def province_panel() -> gpd.GeoDataFrame:
    """R&D spending 2010-2023 of the 31 provinces with data (HK, Macau, Taiwan have none)."""
    df = si.load_dataset("province_panel")
    df = df[(df["gb"] != "156000000") & df["year"].between(2010, 2023)]
    g = si.join_indicators(df[["gb", "year", "rd_exp_total_10k_yuan"]], "province")
    return g[g["rd_exp_total_10k_yuan"].notna()].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Mann-Kendall
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 4, 7, 14, 20])
def test_mann_kendall_equals_pymannkendall(n: int) -> None:
    rng = np.random.default_rng(n)
    series = [rng.normal(size=n) for _ in range(60)]
    series += [np.cumsum(rng.normal(0.5, 1, size=n)) for _ in range(20)]  # trends
    series += [rng.integers(0, 3, size=n).astype(float) for _ in range(40)]  # many ties
    series += [np.full(n, 2.5), np.r_[np.ones(n - 1), 2.0]]  # constant, one step
    x = np.vstack(series)
    ours = _mann_kendall(x)
    for i, row in enumerate(x):
        ref = pmk.original_test(row, alpha=0.05)
        assert ours["s"][i] == ref.s
        assert ours["var_s"][i] == pytest.approx(ref.var_s, abs=1e-12)
        assert ours["z"][i] == pytest.approx(ref.z, abs=1e-12)
        assert ours["p"][i] == pytest.approx(ref.p, abs=1e-12)
        assert ours["tau"][i] == pytest.approx(ref.Tau, abs=1e-12)
        trend = "no trend"
        if ours["p"][i] < 0.05:
            trend = "increasing" if ours["z"][i] > 0 else "decreasing"
        assert trend == ref.trend


def test_smallest_mann_kendall_p_is_that_of_a_monotone_series() -> None:
    for n in (3, 4, 5, 10):
        assert _smallest_mk_p(n) == pytest.approx(pmk.original_test(np.arange(n)).p, abs=1e-12)
    # with 4 years no trend can reach 0.05: the reason for the warning below
    assert _smallest_mk_p(4) > 0.05 > _smallest_mk_p(5)


def test_few_years_warn_that_no_trend_can_be_significant() -> None:
    with pytest.warns(UserWarning, match="smallest possible Mann-Kendall p-value is 0.089"):
        si.emerging_hotspots(grid_panel(range(2020, 2024)), "v")


# ---------------------------------------------------------------------------------------------
# the categories, rule by rule
# ---------------------------------------------------------------------------------------------

# H = significant hot, C = significant cold, . = neither; trend of the Gi* z series
CASES: list[tuple[str, str | None, str]] = [
    (".........H", None, "new hot spot"),
    ("......HHHH", "up", "consecutive hot spot"),  # the trend does not matter below 90 %
    ("HHHHHHHHHH", "up", "intensifying hot spot"),
    (".HHHHHHHHH", None, "persistent hot spot"),  # 9 of 10 = 90 %, final hot
    ("HHHHHHHHHH", "down", "diminishing hot spot"),
    ("..H..H...H", "up", "sporadic hot spot"),
    ("C....H...H", None, "oscillating hot spot"),
    ("HHHHHHHHH.", "down", "historical hot spot"),
    (".........C", None, "new cold spot"),
    (".......CCC", None, "consecutive cold spot"),
    ("CCCCCCCCCC", "down", "intensifying cold spot"),  # z decreasing = colder
    ("CCCCCCCCCC", None, "persistent cold spot"),
    ("CCCCCCCCCC", "up", "diminishing cold spot"),
    ("C.C....C.C", None, "sporadic cold spot"),
    ("..H....CCC", None, "oscillating cold spot"),
    ("CCCCCCCCC.", None, "historical cold spot"),
    ("..........", None, "no pattern detected"),
    # boundaries and overlaps of ArcGIS's wording
    ("H.........", None, "no pattern detected"),  # hot long ago only
    ("HHHHHHHH..", None, "no pattern detected"),  # 80 % and not hot now
    ("C........H", None, "oscillating hot spot"),  # new, but a cold year before: oscillating
    ("C......HHH", None, "oscillating hot spot"),  # consecutive run, but cold before
    ("H......HHH", None, "sporadic hot spot"),  # hot before the final run: not consecutive
    ("HHHHHHHHHC", None, "oscillating cold spot"),  # the final year decides, not history
    ("CHHHHHHHHH", "up", "intensifying hot spot"),  # >= 90 % hot wins over the cold year
    ("HHHHHHH..H", "up", "sporadic hot spot"),  # 90 % needs 9 of 10: 8 is sporadic
]


@pytest.mark.parametrize(("flags", "trend", "expected"), CASES)
def test_category_rules_on_hand_built_series(flags: str, trend: str | None, expected: str) -> None:
    hot = np.array([[c == "H" for c in flags]])
    cold = np.array([[c == "C" for c in flags]])
    up, down = np.array([trend == "up"]), np.array([trend == "down"])
    assert _classify(hot, cold, up, down).tolist() == [expected]


def test_every_arcgis_category_is_covered_and_described() -> None:
    covered = {c for _, _, c in CASES}
    arcgis = {k for k, v in si.EHSA_CATEGORIES.items() if v["code"] is not None}
    assert covered == arcgis and len(arcgis) == 17
    codes = sorted(v["code"] for v in si.EHSA_CATEGORIES.values() if v["code"] is not None)
    assert codes == list(range(-8, 9))
    assert si.EHSA_CATEGORIES["intensifying hot spot"]["zh"] == "加强的热点"
    # the colours moved to styles (one place for every colour): one per category
    from spatialinno import styles

    assert all(
        styles.EMERGING.color_of(k).startswith("#") and len(styles.EMERGING.color_of(k)) == 7
        for k in si.EHSA_CATEGORIES
    )


def test_ninety_percent_with_twenty_years() -> None:
    # 18 of 20 years is exactly 90 %; 17 is not
    hot18 = np.array([[False, False] + [True] * 18])
    hot17 = np.array([[False, False, False] + [True] * 17])
    none = np.zeros((1, 20), dtype=bool)
    no = np.array([False])
    assert _classify(hot18, none, no, no).tolist() == ["persistent hot spot"]
    assert _classify(hot17, none, no, no).tolist() == ["consecutive hot spot"]


# ---------------------------------------------------------------------------------------------
# the whole analysis against an independent pipeline
# ---------------------------------------------------------------------------------------------


def arcgis_category(flags: list[str], trend: str) -> str:
    """ArcGIS Pro's wording, transcribed unit by unit (independent of the vectorised code)."""
    n = len(flags)
    for spot, mark, other, rise, fall in (("hot", "H", "C", "increasing", "decreasing"),
                                          ("cold", "C", "H", "decreasing", "increasing")):  # fmt: skip
        count = flags.count(mark)
        if flags[-1] != mark:
            continue
        if count >= 0.9 * n:
            return f"{'intensifying' if trend == rise else 'diminishing' if trend == fall else 'persistent'} {spot} spot"
        if other in flags:
            return f"oscillating {spot} spot"
        if count == 1:
            return f"new {spot} spot"
        run = len(flags) - len("".join(flags).rstrip(mark))
        return f"{'consecutive' if run == count else 'sporadic'} {spot} spot"
    for spot, mark in (("hot", "H"), ("cold", "C")):
        if flags.count(mark) >= 0.9 * n:
            return f"historical {spot} spot"
    return "no pattern detected"


def test_emerging_hotspots_equals_yearly_hotspots_pymannkendall_and_arcgis_rules(
    province_panel: gpd.GeoDataFrame,
) -> None:
    panel = province_panel
    years = sorted(panel["year"].unique())
    out = si.emerging_hotspots(panel, "rd_exp_total_10k_yuan", alpha=0.10)
    w = si.spatial_weights(panel[panel["year"] == years[-1]].reset_index(drop=True))
    z = {}
    flags = {}
    for t in years:
        year = panel[panel["year"] == t].reset_index(drop=True)
        res = si.hotspots(year, "rd_exp_total_10k_yuan", w=w, alpha=0.10)
        for code, gz, cl in zip(res["code"], res["gi_z"], res["gi_cluster"], strict=True):
            z.setdefault(code, []).append(gz)
            flags.setdefault(code, []).append({"hot": "H", "cold": "C"}.get(cl, "."))
    categories = set()
    for row in out.itertuples():
        ref = pmk.original_test(np.array(z[row.code]), alpha=0.10)
        assert row.mk_z == pytest.approx(ref.z, abs=1e-12)
        assert row.mk_p == pytest.approx(ref.p, abs=1e-12)
        assert row.mk_tau == pytest.approx(ref.Tau, abs=1e-12)
        assert row.mk_trend == ref.trend
        assert row.category == arcgis_category(flags[row.code], ref.trend)
        assert row.n_hot == flags[row.code].count("H")
        assert row.gi_z_last == pytest.approx(z[row.code][-1], abs=1e-12)
        categories.add(row.category)
    assert len(out) == 31 and len(categories) >= 3  # the data exercise several rules


def test_hotspots_by_year_is_si_hotspots_each_year_with_one_seeded_generator() -> None:
    panel = grid_panel(range(2015, 2020))
    got = si.hotspots_by_year(panel, "v", inference="permutation", permutations=99, seed=7)
    rng = np.random.default_rng(7)
    w = si.spatial_weights(grid())
    for t in range(2015, 2020):
        ref = si.hotspots(panel[panel["year"] == t].reset_index(drop=True), "v", w=w,
                          inference="permutation", permutations=99, seed=rng)  # fmt: skip
        part = got[got["year"] == t].reset_index(drop=True)
        np.testing.assert_array_equal(part["code"], ref["code"])
        np.testing.assert_allclose(part["gi_z"], ref["gi_z"], atol=1e-12)
        np.testing.assert_array_equal(part["gi_p"], ref["gi_p"])
        np.testing.assert_array_equal(part["gi_bin"], ref["gi_bin"])
    again = si.hotspots_by_year(panel, "v", inference="permutation", permutations=99, seed=7)
    pd.testing.assert_frame_equal(got, again)


# ---------------------------------------------------------------------------------------------
# space-time window
# ---------------------------------------------------------------------------------------------


def brute_force_window_z(panel: gpd.GeoDataFrame, k: int, binary: bool = True) -> np.ndarray:
    """Ord-Getis z of every (unit, year) over the explicit space-time neighbour list."""
    g = grid()
    years = sorted(panel["year"].unique())
    values = panel.pivot(index="code", columns="year", values="v").loc[g["code"]].to_numpy()
    w = si.spatial_weights(g)
    nbrs = [set(w[i].index) for i in range(len(g))]
    out = np.full(values.shape, np.nan)
    for t in range(len(years)):
        window = list(range(max(0, t - k), t + 1))
        x = values[:, window]
        xbar, s, n = x.mean(), x.std(), x.size
        for i in range(len(g)):
            weights = np.zeros_like(x)
            for j in nbrs[i] | {i}:
                weights[j, :] = 1.0
            if not binary:
                weights /= weights.sum()
            wi, s1 = weights.sum(), (weights**2).sum()
            out[i, t] = ((weights * x).sum() - wi * xbar) / (
                s * np.sqrt((n * s1 - wi**2) / (n - 1))
            )
    return out


@pytest.mark.parametrize(("k", "transform"), [(1, "B"), (2, "B"), (1, "R")])
def test_space_time_window_equals_brute_force(k: int, transform: str) -> None:
    panel = grid_panel(range(2015, 2021))
    got = si.hotspots_by_year(panel, "v", time_window=k, transform=transform)
    z = got.pivot(index="code", columns="year", values="gi_z").loc[grid()["code"]].to_numpy()
    np.testing.assert_allclose(z, brute_force_window_z(panel, k, transform == "B"), atol=1e-12)
    # the first year has no earlier year: its window is the year itself
    plain = si.hotspots_by_year(panel, "v", transform=transform)
    first = got["year"] == 2015
    np.testing.assert_allclose(got.loc[first, "gi_z"], plain.loc[first, "gi_z"], atol=1e-12)


def test_space_time_window_keeps_islands_isolated() -> None:
    panel = grid_panel(range(2015, 2019))
    g = grid()
    # cut the corner cell g00 off: a graph without its links
    w = si.spatial_weights(g, islands="keep")
    adj = w.adjacency.reset_index()
    adj = adj[(adj["focal"] != 0) & (adj["neighbor"] != 0)]
    from libpysal.graph import Graph

    focal, neighbor = np.r_[0, adj["focal"]], np.r_[0, adj["neighbor"]]
    cut = Graph.from_arrays(focal, neighbor, np.r_[0.0, adj["weight"]])  # g00: a zero self-link
    with pytest.warns(UserWarning, match="no trend can be significant"):
        out = si.emerging_hotspots(panel, "v", w=cut, time_window=1)
    assert out.loc[out["code"] == "g00", "category"].tolist() == ["isolated"]
    assert np.isnan(out.loc[out["code"] == "g00", "mk_z"]).all()
    by_year = si.hotspots_by_year(panel, "v", w=cut, time_window=1)
    assert set(by_year.loc[by_year["code"] == "g00", "gi_cluster"]) == {"isolated"}


# ---------------------------------------------------------------------------------------------
# missing data, islands, errors
# ---------------------------------------------------------------------------------------------


def test_missing_year_gives_no_data_and_leaves_others_as_without_the_unit() -> None:
    panel = grid_panel(range(2015, 2021))
    gone = (panel["code"] == "g22") & (panel["year"] == 2017)
    holed = panel[~gone].reset_index(drop=True)  # the row is absent
    nan = panel.copy()
    nan.loc[gone, "v"] = np.nan  # or present with NaN: the same
    for frame in (holed, nan):
        with pytest.warns(DataWarning, match=r"cell 2-2 \(g22\): 2017"):
            out = si.emerging_hotspots(frame, "v")
        row = out[out["code"] == "g22"].iloc[0]
        assert row["category"] == "no data" and row["category_zh"] == "无数据"
        assert pd.isna(row["category_code"]) and np.isnan(row["mk_z"]) and pd.isna(row["mk_trend"])
    # in 2017 the others are computed as if g22 did not exist (left out with its links)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        by_year = si.hotspots_by_year(nan, "v")
    year = nan[nan["year"] == 2017].reset_index(drop=True)
    ref = si.hotspots(year.drop(index=12).reset_index(drop=True), "v")
    got = by_year[(by_year["year"] == 2017) & (by_year["code"] != "g22")]
    np.testing.assert_allclose(got["gi_z"], ref["gi_z"], atol=1e-12)
    assert (
        by_year.loc[(by_year["year"] == 2017) & (by_year["code"] == "g22"), "gi_cluster"].item()
        == "no data"
    )


def test_unit_without_neighbour_is_isolated_never_a_category() -> None:
    panel = grid_panel(range(2015, 2021))
    far = panel[panel["code"] == "g00"].copy()
    far["code"], far["name"] = "far", "far away"
    far["geometry"] = far.geometry.translate(xoff=20)
    panel = pd.concat([panel, far], ignore_index=True)
    units = panel.drop_duplicates("code").reset_index(drop=True)
    w = si.spatial_weights(units, islands="keep")
    out = si.emerging_hotspots(panel, "v", w=w)
    assert out.loc[out["code"] == "far", "category"].item() == "isolated"
    assert out.loc[out["code"] == "far", "n_years"].item() == 0


def test_result_keeps_each_units_latest_row_and_records_options() -> None:
    panel = grid_panel(range(2015, 2021))
    out = si.emerging_hotspots(
        panel, "v", alpha=0.1, seed=3, inference="permutation", permutations=99
    )
    assert len(out) == 25 and isinstance(out, gpd.GeoDataFrame)
    assert (out["year"] == 2020).all() and out["code"].tolist() == grid()["code"].tolist()
    meta = out.attrs["emerging_hotspots"]
    assert meta["years"] == list(range(2015, 2021)) and meta["seed"] == 3
    assert meta["inference"] == "permutation" and meta["permutations"] == 99
    assert out.loc[out["code"] == "g44", "category"].item().endswith("hot spot")


def test_bad_input_is_named() -> None:
    panel = grid_panel(range(2015, 2021))
    with pytest.raises(ColumnError, match="'unit_id'"):
        si.emerging_hotspots(panel, "v", unit="unit_id")
    dup = pd.concat([panel, panel.iloc[[3]]], ignore_index=True)
    with pytest.raises(InputError, match=r"cell 0-3 \(g03\) has 2 rows for year 2015"):
        si.emerging_hotspots(dup, "v")
    with pytest.raises(InputError, match="time_window must be >= 0"):
        si.emerging_hotspots(panel, "v", time_window=-1)
    with pytest.raises(InputError, match="at least 3 years"):
        si.emerging_hotspots(panel[panel["year"] < 2017], "v")
    flat = panel.copy()
    flat.loc[flat["year"] == 2018, "v"] = 1.0
    with pytest.raises(InputError, match=r"^year 2018: column 'value' has the same value"):
        si.emerging_hotspots(flat, "v")
    with pytest.raises(InputError, match="no geometry"):
        si.emerging_hotspots(pd.DataFrame(panel.drop(columns="geometry")), "v")


def test_graph_keyed_by_codes_in_another_order_is_refused() -> None:
    from libpysal.weights import W

    panel = grid_panel(range(2015, 2021))
    g = grid()
    w = si.spatial_weights(g)
    codes = g["code"].tolist()
    nb = {codes[i]: [codes[j] for j in w[i].index] for i in range(len(codes))}
    backwards = W(nb, id_order=codes[::-1], silence_warnings=True)
    for k in (0, 1):  # k = 0 is checked by si.hotspots, k > 0 by the window builder
        with pytest.raises(WeightsError, match="in a different order"):
            si.emerging_hotspots(panel, "v", w=backwards, time_window=k)
    ok = W(nb, id_order=codes, silence_warnings=True)
    pd.testing.assert_frame_equal(
        si.emerging_hotspots(panel, "v", w=ok), si.emerging_hotspots(panel, "v", w=w)
    )
