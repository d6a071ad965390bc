"""Tests of si.spatial_markov / si.lisa_markov (spatialinno.measures.markov).

Independent reference: giddy 2.3 (``giddy.markov.Spatial_Markov`` / ``LISA_Markov``) called by the
test on the same unit x year array and the same row-standardised weights, built here from the
graph's neighbour lists (not through the package's panel code); the quadrants are also checked
against si.lisa, and the transition counts against a direct count.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from giddy.ergodic import steady_state
from giddy.markov import LISA_Markov, Spatial_Markov
from libpysal.weights import W

import spatialinno as si
from spatialinno import DataWarning, InputError, WeightsError


@pytest.fixture(scope="module")
def joined() -> gpd.GeoDataFrame:
    """Province panel 2010-2023, all 34 units (HK, Macau, Taiwan without data)."""
    df = si.load_dataset("province_panel")
    df = df[(df["gb"] != "156000000") & df["year"].between(2010, 2023)]
    cols = ["gb", "year", "rd_exp_total_10k_yuan", "patent_grant_total"]
    return si.join_indicators(df[cols], "province")


@pytest.fixture(scope="module")
def graph(joined: gpd.GeoDataFrame):
    return si.spatial_weights(joined[joined["year"] == 2010].reset_index(drop=True))


def reference_inputs(joined, graph, column: str) -> tuple[np.ndarray, W, list[str]]:
    """(units x years) array of the complete units and a row-standardised W among them."""
    wide = joined.pivot(index="code", columns="year", values=column)
    codes = joined.loc[joined["year"] == 2010, "code"].tolist()
    wide = wide.loc[codes]
    keep = [c for c in codes if wide.loc[c].notna().all()]
    pos = {c: i for i, c in enumerate(codes)}
    new = {c: i for i, c in enumerate(keep)}
    neighbors = {
        new[c]: [new[codes[j]] for j in graph[pos[c]].index if codes[j] in new] for c in keep
    }
    w = W(neighbors, silence_warnings=True)
    w.transform = "r"
    return wide.loc[keep].to_numpy(dtype=float), w, keep


def test_spatial_markov_equals_giddy(joined, graph) -> None:
    y, w, keep = reference_inputs(joined, graph, "patent_grant_total")
    ref = Spatial_Markov(y / y.mean(axis=0), w, k=4, m=4)
    with pytest.warns(DataWarning) as caught:
        got = si.spatial_markov(joined, "patent_grant_total", k=4, w=graph)
    messages = [str(c.message) for c in caught]
    assert any("台湾省 (710000): every year" in m for m in messages)
    assert any("lag class 3, class 1: only 3 transition(s)" in m for m in messages)
    assert got.n_units == len(keep) == 31 and len(got.left_out) == 3
    np.testing.assert_array_equal(got.T, ref.T)
    np.testing.assert_allclose(got.P, ref.P, atol=1e-15)
    np.testing.assert_allclose(got.p, ref.p, atol=1e-15)
    np.testing.assert_array_equal(got.transitions, ref.transitions)
    np.testing.assert_allclose(got.cutoffs, ref.cutoffs)
    np.testing.assert_allclose(got.lag_cutoffs, ref.lag_cutoffs)
    for name in ("Q", "Q_p_value", "LR", "LR_p_value"):
        assert getattr(got, name) == pytest.approx(getattr(ref, name), abs=1e-12)
    assert got.dof == ref.dof_hom
    for ours, theirs in zip(got.S, ref.S, strict=True):  # reducible chains: several states
        np.testing.assert_allclose(np.atleast_2d(ours), np.atleast_2d(theirs), atol=1e-12)
    # the tidy frame is the same numbers, classes from 1
    tidy = got.to_frame()
    assert tidy["count"].sum() == got.T.sum() == 31 * 13
    cell = tidy.query("lag_class == 2 and from_class == 3 and to_class == 3")
    assert cell["probability"].item() == pytest.approx(ref.P[1, 2, 2])
    assert got.tests()["p_value"].tolist() == pytest.approx([ref.Q_p_value, ref.LR_p_value])


def test_empty_rows_are_noted_and_steady_states_still_computed(joined, graph) -> None:
    y, w, _ = reference_inputs(joined, graph, "rd_exp_total_10k_yuan")
    ref = Spatial_Markov(y / y.mean(axis=0), w, k=4, m=4)
    with pytest.raises(ValueError, match="rows full of 0s"):
        _ = ref.S  # giddy issue 109: its S raises on a row nobody started from
    with pytest.warns(DataWarning) as caught:
        got = si.spatial_markov(joined, "rd_exp_total_10k_yuan", k=4, w=graph)
    notes = " ".join(str(c.message) for c in caught)
    assert "lag class 3, class 1: no transition observed" in notes
    assert any("lag class 3, class 1: no transition" in n for n in got.notes)
    assert got.T[2, 0].sum() == 0 and (got.P[2, 0] == 0).all()  # P keeps the empty row
    for lag in range(4):
        expected = steady_state(ref.P[lag], fill_empty_classes=True)
        np.testing.assert_allclose(
            np.atleast_2d(np.asarray(got.S[lag], dtype=float)), np.atleast_2d(expected), atol=1e-12
        )
    states = got.steady_states()
    assert set(states.columns) == {"lag_class", "solution", "class", "probability"}
    sums = states.groupby(["lag_class", "solution"])["probability"].sum()
    np.testing.assert_allclose(sums, 1.0, atol=1e-12)
    text = repr(got)
    assert "Q = " in text and "P[lag class 1]" in text and "note: lag class 3, class 1" in text


def test_raw_values_and_counts_by_hand() -> None:
    # 6 units on a line, 3 years, values chosen so that classes and lags are easy to follow
    g = gpd.GeoDataFrame(
        {"code": [f"u{i}" for i in range(6)]},
        geometry=gpd.points_from_xy(np.arange(6) * 0.1 + 110, np.full(6, 30.0)),
        crs="EPSG:4490",
    )
    from libpysal.graph import Graph

    line = Graph.from_arrays(
        [0, 1, 1, 2, 2, 3, 3, 4, 4, 5], [1, 0, 2, 1, 3, 2, 4, 3, 5, 4], np.ones(10)
    )
    values = {2000: [1, 2, 3, 4, 5, 6], 2001: [2, 1, 3, 4, 6, 5], 2002: [2, 1, 4, 3, 6, 5]}
    long = pd.concat([g.assign(year=t, v=np.array(v, float)) for t, v in values.items()])
    with pytest.warns(DataWarning, match="lag class 1, class 2: no transition observed"):
        got = si.spatial_markov(long, "v", k=2, w=line, relative=False, min_transitions=1)
    y = np.array(list(values.values()), float).T
    ref = Spatial_Markov(y, _w(line), k=2, m=2)
    np.testing.assert_array_equal(got.T, ref.T)
    # direct count: class = above the pooled median (3.5), lag class likewise on the lags
    assert got.T.sum() == 12 and got.transitions.trace() == 10


def _w(graph) -> W:
    w = graph.to_W()
    w.transform = "r"
    return w


def test_lisa_markov_equals_giddy_and_si_lisa_quadrants(joined, graph) -> None:
    y, w, keep = reference_inputs(joined, graph, "rd_exp_total_10k_yuan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = LISA_Markov(y, w)
        got = si.lisa_markov(joined, "rd_exp_total_10k_yuan", w=graph)
    assert list(got.units) == keep
    np.testing.assert_array_equal(got.q, ref.q)
    np.testing.assert_array_equal(got.transitions, ref.transitions)
    np.testing.assert_allclose(got.p, ref.p, atol=1e-15)
    np.testing.assert_allclose(got.expected_t, ref.expected_t, atol=1e-9)
    assert got.chi_2[0] == pytest.approx(ref.chi_2[0], abs=1e-9)
    assert got.chi_2[1] == pytest.approx(ref.chi_2[1], abs=1e-12)
    assert got.chi_2[2] == ref.chi_2[2]
    np.testing.assert_allclose(
        got.steady_state, np.ravel(steady_state(ref.p, fill_empty_classes=True)), atol=1e-12
    )
    # the quadrants are those of the package's own LISA (lisa_q) on the 31 units
    units = joined[joined["code"].isin(keep)]
    sub = graph_sub(joined, graph, keep)
    for j, t in enumerate(range(2010, 2024)):
        year = units[units["year"] == t].reset_index(drop=True)
        lisa = si.lisa(
            year, "rd_exp_total_10k_yuan", w=sub, permutations=99, seed=0
        )  # quadrants do not depend on permutations; 0 is refused since issue 13
        np.testing.assert_array_equal(lisa["lisa_q"].to_numpy(dtype=int), got.q[:, j])
    tidy = got.to_frame()
    assert tidy["count"].sum() == 31 * 13
    assert (
        tidy.loc[(tidy["from"] == "HH") & (tidy["to"] == "HH"), "count"].item()
        == ref.transitions[0, 0]
    )
    quads = got.quadrants()
    assert len(quads) == 31 * 14 and set(quads["quadrant"]) <= {"HH", "LH", "LL", "HL"}
    assert "chi2 = " in repr(got)


def graph_sub(joined, graph, keep):
    from libpysal.graph import Graph

    codes = joined.loc[joined["year"] == 2010, "code"].tolist()
    pos = [codes.index(c) for c in keep]
    m = graph.sparse.tocsr()[pos][:, pos]
    return Graph.from_sparse(m)


def test_islands_and_bad_input(joined, graph) -> None:
    complete = joined[joined["rd_exp_total_10k_yuan"].notna()].reset_index(drop=True)
    units = complete[complete["year"] == 2010].reset_index(drop=True)
    kept = si.spatial_weights(units, islands="keep")  # Hainan has no land neighbour
    with pytest.warns(DataWarning) as caught:
        got = si.spatial_markov(complete, "rd_exp_total_10k_yuan", k=3, w=kept)
    assert any("without a neighbour were left out" in str(c.message) and "海南省" in str(c.message)
               for c in caught)  # fmt: skip
    assert got.n_units == 30 and any("海南" in u for u in got.left_out)
    with pytest.raises(InputError, match="k must be at least 2"):
        si.spatial_markov(complete, "rd_exp_total_10k_yuan", k=1)
    negative = complete.assign(v=-complete["rd_exp_total_10k_yuan"])
    with pytest.raises(InputError, match=r"mean of 'v' is .* in year 2010.*relative=False"):
        si.spatial_markov(negative, "v", k=3)
    with pytest.raises(WeightsError, match="w has 34 units but the frame has 31"):
        si.lisa_markov(complete, "rd_exp_total_10k_yuan", w=graph)
    codes = units["code"].tolist()
    nb = {c: [codes[j] for j in kept[i].index if j != i] for i, c in enumerate(codes)}
    reversed_w = W(nb, id_order=codes[::-1], silence_warnings=True)
    with pytest.raises(WeightsError, match="ids of w are the 'code' values in a different order"):
        si.lisa_markov(complete, "rd_exp_total_10k_yuan", w=reversed_w)
    in_order = W(nb, id_order=codes, silence_warnings=True)
    with pytest.warns(DataWarning, match="海南省"):  # the same graph in the right order works
        assert si.lisa_markov(complete, "rd_exp_total_10k_yuan", w=in_order).q.shape == (30, 14)
    with pytest.raises(InputError, match="at least 2 years"):
        si.lisa_markov(complete[complete["year"] == 2010], "rd_exp_total_10k_yuan")
