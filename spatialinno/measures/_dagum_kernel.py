"""Numeric kernel of :mod:`spatialinno.measures.dagum`: every term for B weightings at once.

No loop over units. With a group's values sorted, the sum of :math:`w_i w_r |y_i - y_r|` over
its ordered pairs is :math:`2\\sum_k w_k y_k (2 C_k - w_k - W)` (:math:`C_k` the cumulative
weight up to :math:`k`, :math:`W` the total). For two groups :math:`j, h` the values are merged
in sorted order once; walking it, a unit of :math:`j` at :math:`y` adds
:math:`w (y\\,C^h_{<} - Y^h_{<})` to :math:`\\sum_{i,r} \\max(y_{ji} - y_{hr}, 0)`, where
:math:`C^h_{<}` and :math:`Y^h_{<}` are the weight and weighted value of group :math:`h` below it
(cumulative sums); the units of :math:`h` give :math:`\\sum \\max(y_{hr} - y_{ji}, 0)` the same
way. These are :math:`n_j n_h d_{jh}` and :math:`n_j n_h p_{jh}` of Dagum's (D5) directly, so the
transvariation of two groups that do not overlap is exactly 0.

The weights are 1 for the estimate and bootstrap multiplicities for the draws, so estimate and
draws share one code path, with O(B n) memory per block of draws.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__: list[str] = []  # private to measures.dagum

# bound on one (draws x units) float block of the bootstrap; ~3 such blocks are alive at once
_CHUNK_BYTES = 16 * 2**20

#: the scalar statistics, in the order of ``DagumGini.to_frame()``
SCALARS = (
    "gini",
    "within",
    "between",
    "transvariation",
    "within_share",
    "between_share",
    "transvariation_share",
    "gross_between",
)


@dataclass(frozen=True)
class Layout:
    """Sorted values per group and the merged order of every pair of groups (computed once)."""

    xs: tuple[np.ndarray, ...]
    n: np.ndarray
    pairs: tuple[tuple[int, int, np.ndarray, np.ndarray, np.ndarray], ...]

    @classmethod
    def build(cls, xs: Sequence[np.ndarray]) -> Layout:
        xs = tuple(np.sort(np.asarray(x, dtype=float)) for x in xs)
        pairs = []
        for j in range(len(xs)):
            for h in range(j + 1, len(xs)):
                both = np.concatenate([xs[j], xs[h]])
                perm = np.argsort(both, kind="stable")
                pairs.append((j, h, both[perm], perm, perm < xs[j].size))
        return cls(xs, np.array([x.size for x in xs], dtype=float), tuple(pairs))


def _sums(lay: Layout, ws: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Within sums S_jj, directed cross sums P[j, h] and value totals T_j per weighting.

    ``ws[j]`` has shape (B, n_j): the multiplicity of each sorted unit of group j (each row sums
    to n_j). S_jj = sum over ordered pairs of group j of w w' |y - y'|;
    P[j, h] = sum_{i in j, r in h} w_i w_r max(y_ji - y_hr, 0); T_j = sum_i w_i y_ji.
    """
    k = len(lay.xs)
    b = ws[0].shape[0]
    within = np.empty((b, k))
    totals = np.empty((b, k))
    pos = np.zeros((b, k, k))
    for j, (x, w) in enumerate(zip(lay.xs, ws, strict=True)):
        cum = np.cumsum(w, axis=1)
        within[:, j] = 2.0 * ((w * (2.0 * cum - w - lay.n[j])) @ x)
        totals[:, j] = w @ x
    for j, h, xu, perm, in_j in lay.pairs:
        wu = np.concatenate([ws[j], ws[h]], axis=1)[:, perm]
        wa = np.where(in_j, wu, 0.0)
        wb = wu - wa
        # cumulative sums include the unit itself, which belongs to the other group: no effect
        pos[:, j, h] = np.einsum(
            "bk,bk->b", wa, np.cumsum(wb, axis=1) * xu - np.cumsum(wb * xu, axis=1)
        )
        pos[:, h, j] = np.einsum(
            "bk,bk->b", wb, np.cumsum(wa, axis=1) * xu - np.cumsum(wa * xu, axis=1)
        )
    return within, pos, totals


def terms(lay: Layout, ws: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
    """Every Dagum quantity for each weighting (leading axis B); formulas (D1)-(D8)."""
    within, pos, totals = _sums(lay, ws)
    n_j = lay.n
    big_n = n_j.sum()
    mean_j = totals / n_j
    mean = totals.sum(axis=1) / big_n
    denom = 2.0 * big_n**2 * mean  # 2 n^2 ybar, (D1)
    pos_t = np.swapaxes(pos, 1, 2)
    cross = pos + pos_t  # sum |y_ji - y_hr| over i in j, r in h
    nn = np.multiply.outer(n_j, n_j)
    upper = np.triu(np.ones((n_j.size, n_j.size), dtype=bool), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        gini = (within.sum(axis=1) + cross.sum(axis=(1, 2))) / denom
        g_jj = within / (2.0 * n_j**2 * mean_j)  # (D2); NaN for an all-zero group
        g_jh = cross / (nn * (mean_j[:, :, None] + mean_j[:, None, :]))  # (D4)
        d_jh = (pos - pos_t) / cross  # (D6), signed: > 0 when the row group is the richer
        # G_jh (p_j s_h + p_h s_j) = 2 S_jh / denom, of which D_jh is net and 1 - D_jh overlap
        net = 2.0 * np.abs(pos - pos_t) / denom[:, None, None]
        trans = 4.0 * np.minimum(pos, pos_t) / denom[:, None, None]
        g_w = within.sum(axis=1) / denom  # = sum_j G_jj p_j s_j (D3), also for all-zero groups
        g_nb = np.where(upper, net, 0.0).sum(axis=(1, 2))  # (D7)
        g_t = np.where(upper, trans, 0.0).sum(axis=(1, 2))  # (D8)
        shares = np.stack([g_w, g_nb, g_t]) / gini
    return {
        "gini": gini,
        "within": g_w,
        "between": g_nb,
        "transvariation": g_t,
        "within_share": shares[0],
        "between_share": shares[1],
        "transvariation_share": shares[2],
        "gross_between": g_nb + g_t,
        "mean_j": mean_j,
        "s_j": totals / totals.sum(axis=1, keepdims=True),
        "g_jj": g_jj,
        "within_contribution": within / denom[:, None],
        "g_jh": g_jh,
        "d_jh": d_jh,
        "d_mean": pos / nn,  # [j, h]: d_jh of (D5) with j first; [h, j]: p_jh
        "net": net,
        "trans": trans,
    }


def bootstrap(lay: Layout, draws: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Stratified bootstrap: each group's units resampled with replacement, n_j fixed.

    A resample is drawn as indices (``rng.integers``) and turned into multiplicities with
    ``bincount``; blocks of draws keep memory bounded.
    """
    per = max(1, int(_CHUNK_BYTES // (8 * lay.n.sum())))
    parts: list[dict[str, np.ndarray]] = []
    for start in range(0, draws, per):
        b = min(per, draws - start)
        ws = []
        for x in lay.xs:
            m = x.size
            idx = rng.integers(0, m, size=(b, m)) + (np.arange(b) * m)[:, None]
            ws.append(np.bincount(idx.ravel(), minlength=b * m).reshape(b, m).astype(float))
        parts.append(terms(lay, ws))
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def pair_order(mean_j: np.ndarray) -> list[tuple[int, int]]:
    """Unordered pairs of groups, each as (richer, poorer) by mean; ties keep group order."""
    k = mean_j.size
    return [(j, h) if mean_j[j] >= mean_j[h] else (h, j) for j in range(k) for h in range(j + 1, k)]


def flatten(t: Mapping[str, np.ndarray], names: list, pairs: list[tuple[int, int]]) -> dict:
    """Scalars, ``G_jj[g]``, ``G_jh[j|h]`` and ``D_jh[j|h]`` as named columns (one row per B)."""
    cols: dict[str, np.ndarray] = {k: t[k] for k in SCALARS}
    for j, name in enumerate(names):
        cols[f"G_jj[{name}]"] = t["g_jj"][:, j]
    for j, h in pairs:
        cols[f"G_jh[{names[j]}|{names[h]}]"] = t["g_jh"][:, j, h]
        cols[f"D_jh[{names[j]}|{names[h]}]"] = t["d_jh"][:, j, h]
    return cols


def interval(draws: pd.DataFrame, estimate: Mapping[str, np.ndarray], level: float) -> pd.DataFrame:
    """Per statistic: estimate, se (sd of the draws), percentile interval at ``level``."""
    alpha = (1.0 - level) / 2.0
    values = draws.to_numpy()
    with warnings.catch_warnings():
        # a statistic undefined in every draw (an all-zero group) is NaN, not an error
        warnings.simplefilter("ignore", RuntimeWarning)
        lo, hi = np.nanquantile(values, [alpha, 1.0 - alpha], axis=0)
        se = np.nanstd(values, axis=0, ddof=1)
    return pd.DataFrame(
        {
            "estimate": [float(estimate[c][0]) for c in draws.columns],
            "se": se,
            "lower": lo,
            "upper": hi,
        },
        index=pd.Index(draws.columns, name="statistic"),
    )


def group_table(e: Mapping[str, np.ndarray], names: list, n_j: np.ndarray) -> pd.DataFrame:
    """One row per group (see ``DagumGini.group_table``)."""
    notes: list = []
    for j in range(len(names)):
        if e["mean_j"][j] == 0:
            notes.append("all values zero: G_jj undefined (contribution 0)")
        elif n_j[j] == 1:
            notes.append("one unit: G_jj = 0")
        else:
            notes.append(pd.NA)
    return pd.DataFrame(
        {
            "group": names,
            "n_units": n_j.astype(int),
            "mean": e["mean_j"],
            "population_share": n_j / n_j.sum(),
            "value_share": e["s_j"],
            "G_jj": e["g_jj"],
            "within_contribution": e["within_contribution"],
            "note": pd.array(notes, dtype="string"),
        }
    )


def pair_table(
    e: Mapping[str, np.ndarray], names: list, n_j: np.ndarray, pairs: list[tuple[int, int]]
) -> pd.DataFrame:
    """One row per pair, richer group first (see ``DagumGini.pair_table``)."""
    p_j = n_j / n_j.sum()
    rows = [
        {
            "group_j": names[j],
            "group_h": names[h],
            "mean_j": e["mean_j"][j],
            "mean_h": e["mean_j"][h],
            "G_jh": e["g_jh"][j, h],
            "D_jh": e["d_jh"][j, h],
            "d_jh": e["d_mean"][j, h],
            "p_jh": e["d_mean"][h, j],
            "weight": p_j[j] * e["s_j"][h] + p_j[h] * e["s_j"][j],
            "between_contribution": e["net"][j, h],
            "transvariation_contribution": e["trans"][j, h],
        }
        for j, h in pairs
    ]
    columns = ["group_j", "group_h", "mean_j", "mean_h", "G_jh", "D_jh", "d_jh", "p_jh", "weight"]
    columns += ["between_contribution", "transvariation_contribution"]
    return pd.DataFrame(rows, columns=columns)
