"""Tests of si.lisa_transitions (spatialinno.measures.transitions).

Independent references: si.lisa called year by year by the test with the same seeded generator,
pandas.crosstab of its labels, counts by hand, and Rey's (2001) four transition types enumerated
for all 16 pairs of quadrants.
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import spatialinno as si
from spatialinno import DataWarning, InputError
from spatialinno.measures.transitions import _leap_type


@pytest.fixture(scope="module")
def panel() -> gpd.GeoDataFrame:
    df = si.load_dataset("province_panel")
    df = df[(df["gb"] != "156000000") & df["year"].isin([2012, 2015, 2018, 2023])]
    g = si.join_indicators(df[["gb", "year", "rd_exp_total_10k_yuan"]], "province")
    return g[g["rd_exp_total_10k_yuan"].notna()].reset_index(drop=True)


def test_transitions_are_the_crosstab_of_yearly_si_lisa(panel) -> None:
    got = si.lisa_transitions(panel, "rd_exp_total_10k_yuan", permutations=999, seed=5)
    assert got.pairs == ((2012, 2015), (2015, 2018), (2018, 2023))
    rng = np.random.default_rng(5)
    w = si.spatial_weights(panel[panel["year"] == 2012].reset_index(drop=True))
    labels = {}
    for t in (2012, 2015, 2018, 2023):
        year = panel[panel["year"] == t].reset_index(drop=True)
        res = si.lisa(year, "rd_exp_total_10k_yuan", w=w, permutations=999, seed=rng)
        labels[t] = res.set_index("code")["lisa_cluster"]
        clusters = got.clusters[got.clusters["year"] == t].set_index("unit")
        pd.testing.assert_series_equal(clusters["lisa_cluster"], labels[t], check_names=False)
        np.testing.assert_array_equal(clusters["lisa_p"], res["lisa_p"])
    for y0, y1 in got.pairs:
        ref = pd.crosstab(labels[y0], labels[y1])
        table = got.table(y0, y1)
        for a in ref.index:
            for b in ref.columns:
                assert table.loc[a, b] == ref.loc[a, b]
        assert table.loc["total", "total"] == 31
        tidy = got.transitions.query("year_from == @y0 and year_to == @y1")
        assert tidy["count"].sum() == 31 and (tidy["count"] > 0).all()
        same = int((labels[y0] == labels[y1]).sum())
        row = got.stability.query("year_from == @y0 and year_to == @y1").iloc[0]
        assert row["n"] == 31 and row["stable"] == same
        assert row["share_stable"] == pytest.approx(same / 31)
        clustered = labels[y0].isin(["HH", "LL", "HL", "LH"])
        assert row["n_clustered"] == clustered.sum()
        assert row["kept"] == int((clustered & (labels[y0] == labels[y1])).sum())
    text = repr(got)
    assert "2018->2023" in text and "units kept their label" in text


@pytest.mark.parametrize(("q0", "q1"), list(itertools.product([1, 2, 3, 4], repeat=2)))
def test_rey_transition_types(q0: int, q1: int) -> None:
    # quadrant = (own value high?, neighbours high?): 1 HH, 2 LH, 3 LL, 4 HL
    letters = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
    own = letters[q0][0] != letters[q1][0]
    lag = letters[q0][1] != letters[q1][1]
    expected = {(False, False): "0", (True, False): "I", (False, True): "II", (True, True): "III"}
    assert _leap_type(np.array([q0]), np.array([q1])).tolist() == [expected[(own, lag)]]


def test_leaps_count_quadrant_moves_of_units_with_data(panel) -> None:
    got = si.lisa_transitions(panel, "rd_exp_total_10k_yuan", pairs="first-last", seed=0)
    assert got.pairs == ((2012, 2023),)
    q = got.clusters.pivot(index="unit", columns="year", values="lisa_q")
    types = _leap_type(q[2012].to_numpy(int), q[2023].to_numpy(int))
    counts = got.leaps.set_index("type")["count"]
    assert counts.sum() == 31
    for code in ("0", "I", "II", "III"):
        assert counts[code] == (types == code).sum()
    assert got.leaps["share"].sum() == pytest.approx(1.0)


def test_missing_years_are_no_data_and_out_of_the_shares(panel) -> None:
    holed = panel[~((panel["code"] == "110000") & (panel["year"] == 2015))]
    with pytest.warns(DataWarning, match=r"北京市 \(110000\): 2015"):
        got = si.lisa_transitions(holed, "rd_exp_total_10k_yuan", pairs=[(2012, 2015)], seed=0)
    clusters = got.clusters.set_index(["unit", "year"])["lisa_cluster"]
    assert clusters[("110000", 2015)] == "no data"
    row = got.stability.iloc[0]
    assert row["n"] == 30  # Beijing has no label in 2015
    table = got.table(2012, 2015)
    assert table.loc["total", "no data"] == 1 and table.loc["total", "total"] == 31
    leaps = got.leaps["count"].sum()
    assert leaps == 30


def test_bad_pairs_are_named(panel) -> None:
    with pytest.raises(
        InputError, match=r"pair \(2015, 2012\) must be \(earlier year, later year\)"
    ):
        si.lisa_transitions(panel, "rd_exp_total_10k_yuan", pairs=[(2015, 2012)])
    with pytest.raises(InputError, match="among the years of the frame: 2012, 2015, 2018, 2023"):
        si.lisa_transitions(panel, "rd_exp_total_10k_yuan", pairs=[(2012, 2020)])
    with pytest.raises(InputError, match="pairs must be 'consecutive'"):
        si.lisa_transitions(panel, "rd_exp_total_10k_yuan", pairs="all")
    got = si.lisa_transitions(panel, "rd_exp_total_10k_yuan", pairs=[(2012, 2023)], seed=0)
    with pytest.raises(InputError, match="no transition 2012 -> 2015; available pairs: 2012->2023"):
        got.table(2012, 2015)
