"""Tests of spatialinno.measures.dagum (Dagum 1997 Gini decomposition).

Cross-checks: a plain double-loop implementation of every formula (below, written from the
paper's definitions, independent of the vectorised kernel), ``si.gini`` for the overall ratio,
exact enumeration of the stratified bootstrap on a tiny example, and the bundled provincial panel.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import spatialinno as si
from spatialinno import ColumnError, DataWarning, InputError

# ----------------------------------------------------------------------------------------------
# the reference: Dagum's definitions with explicit loops over units
# ----------------------------------------------------------------------------------------------


def brute_dagum(groups: list[list[float]]) -> dict:
    """Every Dagum term by double loops (groups in the given order)."""
    k = len(groups)
    n = sum(len(g) for g in groups)
    allv = [y for g in groups for y in g]
    ybar = sum(allv) / n
    total = 0.0
    for a in allv:
        for b in allv:
            total += abs(a - b)
    gini = total / (2 * n * n * ybar)
    n_j = [len(g) for g in groups]
    m_j = [sum(g) / len(g) for g in groups]
    p_j = [nj / n for nj in n_j]
    s_j = [nj * mj / (n * ybar) for nj, mj in zip(n_j, m_j, strict=True)]
    g_jj = []
    for g, nj, mj in zip(groups, n_j, m_j, strict=True):
        sad = sum(abs(a - b) for a in g for b in g)
        g_jj.append(sad / (2 * nj * nj * mj) if mj > 0 else math.nan)
    g_w = sum(
        0.0 if math.isnan(gj) else gj * p * s for gj, p, s in zip(g_jj, p_j, s_j, strict=True)
    )
    g_jh, dd, pp, big_d = {}, {}, {}, {}
    g_nb = g_t = 0.0
    for j, h in itertools.combinations(range(k), 2):
        if m_j[j] < m_j[h]:
            j, h = h, j  # Dagum: j is the group with the larger mean
        cross = sum(abs(a - b) for a in groups[j] for b in groups[h])
        d = sum(max(a - b, 0.0) for a in groups[j] for b in groups[h]) / (n_j[j] * n_j[h])
        p = sum(max(b - a, 0.0) for a in groups[j] for b in groups[h]) / (n_j[j] * n_j[h])
        gjh = cross / (n_j[j] * n_j[h] * (m_j[j] + m_j[h])) if m_j[j] + m_j[h] > 0 else math.nan
        big = (d - p) / (d + p) if d + p > 0 else math.nan
        g_jh[j, h], dd[j, h], pp[j, h], big_d[j, h] = gjh, d, p, big
        if d + p > 0:
            weight = p_j[j] * s_j[h] + p_j[h] * s_j[j]
            g_nb += gjh * weight * big
            g_t += gjh * weight * (1 - big)
    return {
        "gini": gini,
        "within": g_w,
        "between": g_nb,
        "transvariation": g_t,
        "g_jj": g_jj,
        "g_jh": g_jh,
        "d": dd,
        "p": pp,
        "D": big_d,
    }


def frame_of(groups: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [y for g in groups for y in g],
            "g": [f"g{j}" for j, g in enumerate(groups) for _ in g],
        }
    )


def random_case(rng: np.random.Generator) -> list[list[float]]:
    k = int(rng.integers(1, 6))
    kind = rng.integers(0, 3)
    out = []
    for _ in range(k):
        m = int(rng.integers(1, 16))  # unequal sizes, groups of one unit included
        if kind == 0:  # heavy ties and zeros
            vals = rng.integers(0, 4, size=m).astype(float)
        elif kind == 1:  # zero-inflated continuous
            vals = np.where(rng.random(m) < 0.3, 0.0, rng.lognormal(2.0, 1.0, m))
        else:
            vals = rng.gamma(2.0, 3.0 * (1 + rng.random()), m)
        out.append(vals.tolist())
    if sum(len(g) for g in out) < 2:  # a Gini needs two units
        out[0].append(2.0)
    if not any(v > 0 for g in out for v in g):
        out[0][0] = 1.0
    return out


def assert_matches_brute(groups: list[list[float]], res: si.DagumGini) -> None:
    ref = brute_dagum(groups)
    for key in ("gini", "within", "between", "transvariation"):
        assert getattr(res, key) == pytest.approx(ref[key], abs=1e-12), key
    np.testing.assert_allclose(res.group_gini.to_numpy(), ref["g_jj"], atol=1e-12)
    names = list(res.group_gini.index)
    for (j, h), value in ref["g_jh"].items():
        a, b = f"g{j}", f"g{h}"
        assert res.pair_gini.loc[a, b] == pytest.approx(value, abs=1e-12, nan_ok=True)
        assert res.pair_gini.loc[b, a] == pytest.approx(value, abs=1e-12, nan_ok=True)
        assert res.relative_affluence.loc[a, b] == pytest.approx(
            ref["D"][j, h], abs=1e-12, nan_ok=True
        )
        row = res.pair_table.query("group_j == @a and group_h == @b")
        if len(row) == 0:  # equal means: the table may list the pair the other way round
            row = res.pair_table.query("group_j == @b and group_h == @a")
            assert ref["d"][j, h] == pytest.approx(ref["p"][j, h], abs=1e-12)
        assert row["d_jh"].iloc[0] == pytest.approx(ref["d"][j, h], abs=1e-12)
        assert row["p_jh"].iloc[0] == pytest.approx(ref["p"][j, h], abs=1e-12)
    assert names == [f"g{j}" for j in range(len(groups))]


# ----------------------------------------------------------------------------------------------
# the decomposition
# ----------------------------------------------------------------------------------------------


def test_terms_sum_to_gini_and_equal_double_loops_on_random_cases() -> None:
    rng = np.random.default_rng(20250217)
    for _ in range(150):
        groups = random_case(rng)
        df = frame_of(groups)
        res = si.dagum_gini(df, "x", groups="g")
        total = res.within + res.between + res.transvariation
        assert abs(total - res.gini) < 1e-12
        assert abs(res.gini - si.gini(df["x"])) < 1e-12
        assert_matches_brute(groups, res)
        # the pair table's contributions add up to the totals too
        assert res.pair_table["between_contribution"].sum() == pytest.approx(res.between, abs=1e-12)
        assert res.pair_table["transvariation_contribution"].sum() == pytest.approx(
            res.transvariation, abs=1e-12
        )
        assert res.group_table["within_contribution"].sum() == pytest.approx(res.within, abs=1e-12)


def test_two_groups_apart_have_no_transvariation_and_full_affluence() -> None:
    groups = [[1.0, 2.0, 3.0], [6.0, 8.0, 10.0, 12.0]]
    res = si.dagum_gini(frame_of(groups), "x", groups="g")
    assert res.transvariation == 0.0  # exactly: no unit of g0 exceeds one of g1
    assert res.relative_affluence.loc["g1", "g0"] == 1.0
    assert res.relative_affluence.loc["g0", "g1"] == -1.0
    # G_nb = G_12 (p_1 s_2 + p_2 s_1) with D = 1; by hand: cross sum 3*36 - 4*(1+2+3) = 84
    p = np.array([3, 4]) / 7
    s = np.array([6.0, 36.0]) / 42.0
    g12 = 84.0 / (12 * (2.0 + 9.0))  # n1 n2 (mean1 + mean2)
    assert res.between == pytest.approx(g12 * (p[0] * s[1] + p[1] * s[0]), abs=1e-15)
    assert res.between == pytest.approx(2 / 7, abs=1e-15)  # = 84 * 2 / (2 * 49 * 6)
    assert_matches_brute(groups, res)


def test_two_identical_groups_are_all_transvariation() -> None:
    groups = [[1.0, 4.0, 9.0], [9.0, 1.0, 4.0]]
    res = si.dagum_gini(frame_of(groups), "x", groups="g")
    assert res.between == pytest.approx(0.0, abs=1e-15)
    assert res.relative_affluence.loc["g0", "g1"] == pytest.approx(0.0, abs=1e-15)
    assert res.transvariation == pytest.approx(res.gross_between, abs=1e-15)
    assert res.within + res.transvariation == pytest.approx(res.gini, abs=1e-15)


def test_one_group_is_all_within() -> None:
    df = pd.DataFrame({"x": [3.0, 1.0, 4.0, 1.0, 5.0], "g": "only"})
    res = si.dagum_gini(df, "x", groups="g")
    assert res.n_groups == 1
    assert res.within == res.gini == pytest.approx(si.gini(df["x"]), abs=1e-15)
    assert res.between == 0.0 and res.transvariation == 0.0
    assert res.within_share == 1.0
    assert res.pair_table.empty and res.pair_gini.shape == (1, 1)


def test_group_of_one_unit_all_equal_and_zero_mean_group() -> None:
    one = si.dagum_gini(frame_of([[5.0], [1.0, 2.0]]), "x", groups="g")
    assert one.group_gini["g0"] == 0.0
    assert one.group_table.loc[0, "note"] == "one unit: G_jj = 0"

    flat = si.dagum_gini(frame_of([[2.0, 2.0], [2.0]]), "x", groups="g")
    assert (flat.gini, flat.within, flat.between, flat.transvariation) == (0.0, 0.0, 0.0, 0.0)
    assert math.isnan(flat.within_share)
    assert math.isnan(flat.relative_affluence.loc["g0", "g1"])  # D undefined: nothing differs

    groups = [[0.0, 0.0, 0.0], [1.0, 5.0], [2.0, 2.0, 7.0]]
    zero = si.dagum_gini(frame_of(groups), "x", groups="g")
    assert math.isnan(zero.group_gini["g0"])
    assert zero.group_table.loc[0, "within_contribution"] == 0.0
    assert "all values zero" in zero.group_table.loc[0, "note"]
    assert zero.relative_affluence.loc["g1", "g0"] == 1.0
    assert zero.within + zero.between + zero.transvariation == pytest.approx(zero.gini, abs=1e-15)
    assert_matches_brute(groups, zero)


def test_bad_input_is_refused_with_the_unit_named() -> None:
    df = pd.DataFrame(
        {"name": ["甲", "乙", "丙"], "x": [1.0, -2.0, 3.0], "region": ["e", "w", "e"]}
    )
    with pytest.raises(InputError, match=r"negative.*乙"):
        si.dagum_gini(df, "x")
    with pytest.raises(ColumnError, match="'grp'"):
        si.dagum_gini(df, "x", groups="grp")
    with pytest.raises(InputError, match=r"infinite.*丙"):
        si.dagum_gini(df.assign(x=[1.0, 2.0, np.inf]), "x")
    with pytest.raises(InputError, match=r"every value .* zero"):
        si.dagum_gini(df.assign(x=0.0), "x")
    with pytest.raises(InputError, match="bootstrap"):
        si.dagum_gini(df.assign(x=1.0), "x", bootstrap=-1)
    with pytest.raises(InputError, match="order="):
        si.dagum_gini(df.assign(x=1.0), "x", order=["e"])


def test_units_without_value_or_group_are_left_out_and_named() -> None:
    df = pd.DataFrame(
        {
            "name": ["甲", "乙", "丙", "丁", "戊"],
            "x": [1.0, np.nan, 3.0, 4.0, 8.0],
            "region": ["e", "e", None, "w", "w"],
        }
    )
    with pytest.warns(DataWarning) as record:
        res = si.dagum_gini(df, "x")
    messages = " | ".join(str(r.message) for r in record)
    assert "without a value in 'x'" in messages and "乙" in messages
    assert "without a group in 'region'" in messages and "丙" in messages
    assert res.left_out == ("乙", "丙")
    assert res.n == 3
    ref = si.dagum_gini(df.iloc[[0, 3, 4]], "x")
    assert res.gini == ref.gini and res.between == ref.between


def test_default_groups_are_the_nbs_regions_in_layer_order() -> None:
    prov = si.load_boundaries("province")
    prov["v"] = np.arange(len(prov), dtype=float) + 1
    with pytest.warns(DataWarning, match="3 unit.*台湾省"):
        res = si.dagum_gini(prov, "v")
    assert list(res.group_gini.index) == ["east", "central", "west", "northeast"]
    assert res.group_gini.index.name == "region"
    assert res.n == 31


# ----------------------------------------------------------------------------------------------
# panels and bootstrap
# ----------------------------------------------------------------------------------------------


def province_rd_panel() -> pd.DataFrame:
    panel = si.load_dataset("province_panel")
    panel = panel[panel["gb"] != "156000000"].assign(code=lambda d: d["gb"].str[3:])
    return panel.merge(si.provinces()[["code", "name", "region"]], on="code", how="left")


def test_panel_by_year_equals_each_cross_section() -> None:
    panel = province_rd_panel()
    with pytest.warns(DataWarning, match="year\\(s\\) skipped"):
        res = si.dagum_gini(panel, "rd_exp_total_10k_yuan", year="year")
    assert isinstance(res, si.DagumPanel)
    assert res.years == tuple(range(2010, 2024))  # R&D spending is in the panel 2010-2023
    assert set(res.skipped) == {2005, 2006, 2007, 2008, 2009, 2024}
    tidy = res.to_frame()
    assert list(tidy.columns[:5]) == ["year", "gini", "within", "between", "transvariation"]
    assert {"within_share", "between_share", "transvariation_share"} <= set(tidy.columns)
    for row in tidy.itertuples():
        one = panel[panel["year"] == row.year]
        assert row.gini == pytest.approx(si.gini(one["rd_exp_total_10k_yuan"]), abs=1e-12)
        assert row.within + row.between + row.transvariation == pytest.approx(row.gini, abs=1e-12)
        cross = si.dagum_gini(one, "rd_exp_total_10k_yuan")
        assert row.between == cross.between
    assert res.group_gini.shape == (14, 4)
    assert res.group_gini.loc[2015, "east"] == res[2015].group_gini["east"]
    assert res.pair_gini.loc[(2015, "east"), "west"] == res[2015].pair_gini.loc["east", "west"]
    groups = res.group_frame()
    assert list(groups.columns[:3]) == ["year", "group", "n_units"] and len(groups) == 56
    assert len(res.pair_frame()) == 14 * 6
    assert "DagumPanel('rd_exp_total_10k_yuan' by 'region', 14 years 2010-2023" in repr(res)


def test_bootstrap_is_reproducible_and_each_draw_decomposes() -> None:
    rng = np.random.default_rng(7)
    groups = [
        rng.gamma(2, 3, 12).tolist(),
        rng.gamma(3, 3, 7).tolist(),
        rng.gamma(1, 9, 20).tolist(),
    ]
    df = frame_of(groups)
    a = si.dagum_gini(df, "x", groups="g", bootstrap=300, seed=42)
    b = si.dagum_gini(df, "x", groups="g", bootstrap=300, seed=42)
    c = si.dagum_gini(df, "x", groups="g", bootstrap=300, seed=43)
    pd.testing.assert_frame_equal(a.draws, b.draws)
    pd.testing.assert_frame_equal(a.ci, b.ci)
    assert not a.draws.equals(c.draws)
    d = a.draws
    np.testing.assert_allclose(
        d["within"] + d["between"] + d["transvariation"], d["gini"], atol=1e-12
    )
    assert a.ci.loc["gini", "estimate"] == a.gini
    assert a.ci.loc["gini", "lower"] < a.gini < a.ci.loc["gini", "upper"]
    assert list(a.ci.columns) == ["estimate", "se", "lower", "upper"]
    tidy = a.to_frame()
    assert tidy.loc[0, "between_share_lower"] == a.ci.loc["between_share", "lower"]
    assert "G_jj_lower" in a.group_table and "D_jh_upper" in a.pair_table
    assert "95% CI of G" in repr(a)


def test_bootstrap_resamples_within_groups_exact_enumeration() -> None:
    # group a = {0, 1} resampled: {0,0}, {0,1}, {1,0}, {1,1} with probability 1/4 each;
    # group b = {5} always stays 5. So G takes three values with probabilities 1/4, 1/2, 1/4.
    df = pd.DataFrame({"x": [0.0, 1.0, 5.0], "g": ["a", "a", "b"]})
    expected: dict[float, float] = {}
    for pick in itertools.product([0.0, 1.0], repeat=2):
        g = si.gini([*pick, 5.0])
        expected[round(g, 12)] = expected.get(round(g, 12), 0.0) + 0.25
    res = si.dagum_gini(df, "x", groups="g", bootstrap=8000, seed=1)
    freq = res.draws["gini"].round(12).value_counts(normalize=True).to_dict()
    assert set(freq) == set(expected)
    for value, prob in expected.items():
        assert abs(freq[value] - prob) < 0.02
    assert (res.draws["G_jj[b]"] == 0.0).all()  # b keeps its single unit in every draw


def test_frozen_result_and_readable_repr() -> None:
    res = si.dagum_gini(frame_of([[1.0, 2.0], [4.0, 9.0]]), "x", groups="g")
    with pytest.raises(AttributeError):
        res.gini = 0.0  # type: ignore[misc]
    text = repr(res)
    assert text.startswith("DagumGini('x' by 'g': G=") and "transvariation G_t" in text
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        row = res.to_frame()
    assert row.shape[0] == 1 and "year" not in row


def test_default_regions_from_the_codes_of_a_table_without_region() -> None:
    """Table 2 as shipped has codes, no region: the default groups are looked up from them."""
    raw = si.load_dataset("zhao2025_table2")
    assert "region" not in raw.columns
    joined = si.join_indicators(raw, "province")
    joined = joined[joined["gini_innovation"].notna()]
    a = si.dagum_gini(raw, "gini_innovation", year="year")
    b = si.dagum_gini(joined, "gini_innovation", year="year")
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame(), rtol=1e-12)
    pd.testing.assert_frame_equal(a.group_gini, b.group_gini, rtol=1e-12)
    # codes of prefectures and counties carry their province's two digits; gb has a 156 prefix
    frame = pd.DataFrame({"gb": ["156440300", "156110000", "156810000"], "v": [1.0, 2.0, 3.0]})
    with pytest.warns(DataWarning, match="810000|without a group"):
        res = si.dagum_gini(frame, "v")
    assert res.n == 2 and list(res.group_gini.index) == ["east"]
    with pytest.raises(ColumnError, match="join it to a boundary layer first"):
        si.dagum_gini(pd.DataFrame({"v": [1.0, 2.0]}), "v")
