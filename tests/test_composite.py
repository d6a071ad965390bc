"""Tests of spatialinno.measures.composite: entropy weights and coupling coordination.

Reference: a small worked table computed by hand in plain Python (loops, ``math``), independent
of the numpy code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import spatialinno as si
from spatialinno import ColumnError, DataWarning, InputError

TABLE = {
    "staff": [120.0, 80.0, 200.0, 40.0],
    "patents": [30.0, 55.0, 90.0, 5.0],
    "energy": [3.0, 2.0, 4.0, 1.5],  # a cost indicator: less is better
}


def by_hand(table: dict[str, list[float]], cost: set[str], shift: float) -> tuple[dict, list]:
    """Entropy weights and scores with plain Python."""
    m = len(next(iter(table.values())))
    norm = {}
    for name, xs in table.items():
        lo, hi = min(xs), max(xs)
        if name in cost:
            norm[name] = [(hi - x) / (hi - lo) for x in xs]
        else:
            norm[name] = [(x - lo) / (hi - lo) for x in xs]
    d = {}
    for name, zs in norm.items():
        total = sum(z + shift for z in zs)
        e = 0.0
        for z in zs:
            p = (z + shift) / total
            if p > 0:
                e -= p * math.log(p)
        d[name] = 1 - e / math.log(m)
    w = {name: d[name] / sum(d.values()) for name in d}
    scores = [sum(w[name] * norm[name][i] for name in table) for i in range(m)]
    return w, scores


@pytest.mark.parametrize("shift", [1e-4, 0.01, 0.0])
def test_entropy_weights_match_hand_computation(shift: float) -> None:
    df = pd.DataFrame(TABLE, index=["a", "b", "c", "d"])
    ew = si.entropy_weights(df, list(TABLE), direction={"energy": "-"}, shift=shift)
    w, scores = by_hand(TABLE, {"energy"}, shift)
    for name in TABLE:
        assert ew.weights[name] == pytest.approx(w[name], abs=1e-12)
    assert ew.weights.sum() == pytest.approx(1.0, abs=1e-15)
    np.testing.assert_allclose(ew.scores.to_numpy(), scores, atol=1e-12)
    assert list(ew.scores.index) == ["a", "b", "c", "d"]
    assert ew.normalized.loc["d", "energy"] == 1.0  # least energy: best
    assert ew.divergence["staff"] == pytest.approx(1 - ew.entropy["staff"], abs=1e-15)
    tidy = ew.to_frame()
    assert list(tidy.columns) == ["indicator", "direction", "entropy", "divergence", "weight"]
    assert tidy.set_index("indicator").loc["energy", "direction"] == -1


def test_panel_pools_years_and_per_year_weighs_each_year() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "year": [2020] * 6 + [2021] * 6,
            "x": rng.gamma(2, 2, 12),
            "y": rng.gamma(3, 1, 12),
        }
    )
    pooled = si.entropy_weights(df, ["x", "y"], year="year")
    w, scores = by_hand({"x": df["x"].tolist(), "y": df["y"].tolist()}, set(), 1e-4)
    assert pooled.weights.tolist() == pytest.approx([w["x"], w["y"]], abs=1e-12)
    np.testing.assert_allclose(pooled.scores, scores, atol=1e-12)
    per = si.entropy_weights(df, ["x", "y"], panel=False, year="year")
    assert per.weights.shape == (2, 2) and per.weights.index.name == "year"
    for t, part in df.groupby("year"):
        one = si.entropy_weights(part, ["x", "y"])
        assert per.weights.loc[t].tolist() == pytest.approx(one.weights.tolist(), abs=1e-15)
        np.testing.assert_allclose(per.scores[part.index], one.scores, atol=1e-15)
    tidy = per.to_frame()
    assert list(tidy.columns) == [
        "year",
        "indicator",
        "direction",
        "entropy",
        "divergence",
        "weight",
    ]
    assert len(tidy) == 4
    assert "per 'year'" in repr(per) and "pooled panel" in repr(pooled)


def test_entropy_weights_bad_input_and_missing_rows() -> None:
    df = pd.DataFrame({"name": list("abcd"), **TABLE})
    df.loc[1, "patents"] = np.nan
    with pytest.warns(DataWarning, match=r"1 row\(s\).*b"):
        ew = si.entropy_weights(df, list(TABLE), direction={"energy": "cost"})
    assert math.isnan(ew.scores[1]) and ew.left_out == ("b",)
    sub = {k: [v for i, v in enumerate(vs) if i != 1] for k, vs in TABLE.items()}
    _, scores = by_hand(sub, {"energy"}, 1e-4)
    np.testing.assert_allclose(ew.scores.drop(1), scores, atol=1e-12)
    with pytest.raises(InputError, match=r"'energy'.*single value"):
        si.entropy_weights(df.dropna().assign(energy=2.0), list(TABLE))
    with pytest.raises(InputError, match="not among the indicators"):
        si.entropy_weights(df, ["staff"], direction={"energy": "-"})
    with pytest.raises(InputError, match="'-' \\(cost"):
        si.entropy_weights(df, ["staff"], direction={"staff": "down"})
    with pytest.raises(InputError, match="year="):
        si.entropy_weights(df, ["staff"], panel=False)
    with pytest.raises(ColumnError, match="'gdp'"):
        si.entropy_weights(df, ["gdp"])


# ----------------------------------------------------------------------------------------------
# coupling coordination
# ----------------------------------------------------------------------------------------------


def test_coupling_coordination_matches_hand_computation() -> None:
    u1 = [0.81, 0.25, 0.60, 0.05, 0.90]
    u2 = [0.49, 0.64, 0.60, 0.45, 0.10]
    df = pd.DataFrame({"innovation": u1, "economy": u2}, index=list("pqrst"))
    out = si.coupling_coordination(df, "innovation", "economy", alpha=0.6, beta=0.4)
    names = ["极度失调", "严重失调", "中度失调", "轻度失调", "濒临失调"]
    names += ["勉强协调", "初级协调", "中级协调", "良好协调", "优质协调"]
    for i, (a, b) in enumerate(zip(u1, u2, strict=True)):
        c = 2 * math.sqrt(a * b) / (a + b)
        t = 0.6 * a + 0.4 * b
        d = math.sqrt(c * t)
        row = out.iloc[i]
        assert row["C"] == pytest.approx(c, abs=1e-14)
        assert row["T"] == pytest.approx(t, abs=1e-14)
        assert row["D"] == pytest.approx(d, abs=1e-14)
        level = int(d * 10) + 1  # [0, 0.1) -> 1 ... [0.9, 1] -> 10
        assert row["level"] == level and row["class_zh"] == names[level - 1]
    assert list(out.index) == list("pqrst")
    assert out.loc["r", "C"] == 1.0  # equal systems couple fully
    # p by hand: C = 2 * 0.63 / 1.3, T = 0.6 * 0.81 + 0.4 * 0.49 = 0.682, D = 0.8130
    assert out.loc["p", "D"] == pytest.approx(0.8130, abs=1e-4)
    assert out.loc["p", "class_en"] == "good coordination"


def test_coordination_class_boundaries_both_conventions() -> None:
    u = [0.09, 0.25, 1.0, 0.0, 0.36]  # equal systems: C = 1, D = sqrt(u) = 0.3, 0.5, 1, 0, 0.6
    df = pd.DataFrame({"a": u, "b": u})
    left = si.coupling_coordination(df, "a", "b")
    right = si.coupling_coordination(df, "a", "b", closed="right")
    assert left["level"].tolist() == [4, 6, 10, 1, 7]
    assert right["level"].tolist() == [3, 5, 10, 1, 6]
    assert math.isnan(left.loc[3, "C"]) and left.loc[3, "D"] == 0.0
    assert right.loc[1, "class_zh"] == "濒临失调" and left.loc[1, "class_zh"] == "勉强协调"


def test_coupling_coordination_bad_input() -> None:
    df = pd.DataFrame({"name": ["甲", "乙"], "a": [0.2, 1.5], "b": [0.3, np.nan]})
    with pytest.raises(InputError, match=r"'a' must lie in \[0, 1\].*乙"):
        si.coupling_coordination(df, "a", "b")
    with pytest.warns(DataWarning, match="乙"):
        out = si.coupling_coordination(df.assign(a=[0.2, 0.5]), "a", "b")
    assert out.loc[1, ["C", "T", "D"]].isna().all() and out["level"].isna().tolist() == [
        False,
        True,
    ]
    with pytest.raises(InputError, match="alpha \\+ beta must be 1"):
        si.coupling_coordination(df.assign(a=0.1), "a", "b", alpha=0.7, beta=0.7)
