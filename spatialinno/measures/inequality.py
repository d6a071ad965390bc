"""Agglomeration measures: Gini, Rey–Smith spatial Gini, per-province Gini, capital share, Theil,
location quotient and regional means.

The reference study (Zhao et al. 2025, 区域经济评论 2025(2):24-35) measures how concentrated
innovation resources are inside each province with the Gini coefficient of the province's
prefecture-level cities, ``G = sum_i sum_j |x_i - x_j| / (2 n^2 mean(x))``, and with the
provincial capital's share of the province total ("capital effect", 省会效应). It calls the Gini
*spatial* because it splits it, after Rey & Smith (2013), into the part coming from neighbouring
pairs of units and the part coming from non-neighbouring pairs.

Conventions shared by every function here:

* Values are levels (people, patents, yuan ...); no CRS is involved: the only geometry used is
  the neighbour structure of the spatial weights, and ``spatial_gini`` builds queen contiguity
  from the polygons when no weights are given.
* Negative values make Gini and Theil undefined -> :class:`~spatialinno.InputError` naming the
  regions. Missing values (NaN) are left out and the regions are listed in a
  :class:`~spatialinno.DataWarning`; they are never propagated silently. All-zero data and fewer
  than two values -> ``InputError``.
* Every random procedure takes ``seed=``; the same seed gives the same result.

References
----------
Rey, S. J. & Smith, R. J. (2013). A spatial decomposition of the Gini coefficient.
*Letters in Spatial and Resource Sciences* 6(2):55-70. doi:10.1007/s12076-012-0086-z
Theil, H. (1967). *Economics and Information Theory*. Amsterdam: North-Holland.
Shorrocks, A. F. (1980). The class of additively decomposable inequality measures.
*Econometrica* 48(3):613-625.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._errors import InputError
from .._validate import numeric_column, region_labels, require_columns, warn_left_out

# The split of the old inequality module keeps every name importable from here (the workflow
# and the CLI import them so); each is defined once, in the module that says what it is.
from .values import as_values, as_weights, sum_abs_diff, valid_mask, weights_mask

__all__ = ["Theil", "gini", "theil"]


def gini(values: Any, weights: Any = None, *, column: str | None = None) -> float:
    """Gini coefficient of non-negative values (relative mean absolute difference / 2).

    .. math::

        G = \\frac{\\sum_i \\sum_j |x_i - x_j|}{2 n^2 \\bar{x}}

    With ``weights`` :math:`p_i` (e.g. population, each unit stands for :math:`p_i` people who
    all have the value :math:`x_i`, typically a per-capita figure):

    .. math::

        G_p = \\frac{\\sum_i \\sum_j p_i p_j |x_i - x_j|}{2 P^2 \\bar{x}_p},
        \\quad P = \\sum_i p_i, \\quad \\bar{x}_p = \\sum_i p_i x_i / P

    which equals the unweighted Gini of the values repeated :math:`p_i` times. Computed in
    O(n log n) by sorting. 0 means equal values; :math:`(n-1)/n` means one unit holds everything.
    Unitless.

    Parameters
    ----------
    values : array-like, pandas.Series or DataFrame
        Non-negative values (any unit). A DataFrame needs ``column=``.
    weights : array-like or str, optional
        Non-negative unit weights, or a column name when ``values`` is a table.
    column : str, optional
        Column of ``values`` when it is a (Geo)DataFrame.

    Returns
    -------
    float

    Raises
    ------
    InputError
        Negative or infinite values (regions named), all values zero, fewer than 2 values.
        Missing values are left out with a :class:`~spatialinno.DataWarning` listing them.

    References
    ----------
    Rey & Smith (2013), eq. (1); the form used by Zhao et al. (2025) and ``inequality.gini.Gini``.

    Examples
    --------
    >>> import spatialinno as si
    >>> si.gini([1, 2, 3, 4])
    0.25
    >>> si.gini([0, 0, 0, 10])  # one unit holds everything: (n - 1) / n
    0.75
    >>> si.gini([1.0, 2.0], weights=[3, 1]) == si.gini([1.0, 1.0, 1.0, 2.0])
    True
    """
    x, labels, frame, name = as_values(values, column, "gini")
    wts = None
    skip = np.zeros(x.size, dtype=bool)
    if weights is not None:
        wts, wname = as_weights(weights, frame, x.size, labels, "Gini")
        skip = ~weights_mask(wts, labels, wname, "Gini")
        if skip.any():
            idx = np.flatnonzero(skip)
            warn_left_out("Gini", idx, labels, f"without a weight in {wname!r} left out",
                          reason="weight", column=wname)  # fmt: skip
    valid = valid_mask(x, labels, name, "Gini", skip)
    if wts is None:
        sad, n, mean = sum_abs_diff(x[valid])
    else:
        w = wts[valid]
        if not np.any(w > 0):
            raise InputError("Gini: every weight is zero; nothing to measure")
        if not np.any(x[valid][w > 0] > 0):
            raise InputError(f"Gini is undefined: every weighted value of {name!r} is zero")
        sad, n, mean = sum_abs_diff(x[valid], w)
    return sad / (2.0 * n * n * mean)


@dataclass(frozen=True)
class Theil:
    """Theil's T with its between/within-group decomposition.

    .. math::

        T = \\sum_i s_i \\ln\\frac{s_i}{\\pi_i}
          = \\underbrace{\\sum_g S_g \\ln\\frac{S_g}{\\Pi_g}}_{T_b}
          + \\underbrace{\\sum_g S_g T_g}_{T_w}

    :math:`s_i` is unit :math:`i`'s share of the total, :math:`\\pi_i` its share of the
    weights (:math:`1/n` unweighted), :math:`S_g`, :math:`\\Pi_g` the group sums and
    :math:`T_g` the Theil index inside group :math:`g`; :math:`0 \\ln 0 = 0`.

    Attributes
    ----------
    total, between, within : float
        :math:`T`, :math:`T_b`, :math:`T_w` (nats; ``between + within == total``).
    between_share, within_share : float
        :math:`T_b / T`, :math:`T_w / T`.
    n, n_groups : int
        Units and groups used.
    weighted : bool
        Whether unit weights (e.g. population) were used.
    groups : pandas.DataFrame
        Per group: ``n_units``, ``share`` (:math:`S_g`), ``weight_share`` (:math:`\\Pi_g`),
        ``theil`` (:math:`T_g`), ``within_contribution`` (:math:`S_g T_g`),
        ``between_contribution`` (:math:`S_g \\ln(S_g/\\Pi_g)`). Not shown in the repr.
    """

    total: float
    between: float
    within: float
    between_share: float
    within_share: float
    n: int
    n_groups: int
    weighted: bool
    groups: pd.DataFrame = field(repr=False, compare=False)

    def __repr__(self) -> str:
        w = ", population-weighted" if self.weighted else ""
        return (
            f"Theil(T={self.total:.4f} = between T_b {self.between:.4f} ({self.between_share:.1%})"
            f" + within T_w {self.within:.4f} ({self.within_share:.1%}); "
            f"n={self.n}, {self.n_groups} groups{w})"
        )

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the components (per-group detail is in ``.groups``)."""
        row = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "groups"}
        return pd.DataFrame([row])


def _xlogx_ratio(s: np.ndarray, p: np.ndarray) -> np.ndarray:
    """s * ln(s / p) elementwise with the limit 0 ln 0 = 0 (a unit with nothing adds nothing)."""
    out = np.zeros_like(s)
    pos = s > 0
    out[pos] = s[pos] * np.log(s[pos] / p[pos])
    return out


def theil(
    gdf: pd.DataFrame,
    column: str,
    groups: str | None = "region",
    weights: str | None = None,
) -> Theil:
    """Theil's T of a column, decomposed into between- and within-group inequality.

    Unweighted, each unit counts once: :math:`s_i = x_i / \\sum x`, :math:`\\pi_i = 1/n`, so
    :math:`T = \\frac{1}{n}\\sum_i \\frac{x_i}{\\bar{x}} \\ln\\frac{x_i}{\\bar{x}}`.
    With ``weights`` (e.g. population :math:`p_i`) the column is read as a per-weight level
    (per-capita :math:`y_i`): :math:`s_i = p_i y_i / \\sum_j p_j y_j` and
    :math:`\\pi_i = p_i / \\sum_j p_j`, i.e. :math:`T = \\sum_i s_i \\ln(s_i / \\pi_i)` --
    the population-weighted Theil of regional income shares against population shares. (If your
    column holds totals :math:`Y_i`, divide by population first.) Zeros are allowed
    (:math:`0 \\ln 0 = 0`); results in nats, between 0 and :math:`\\ln n`.

    Parameters
    ----------
    gdf : DataFrame or GeoDataFrame
    column : str
        Non-negative values.
    groups : str or None, default "region"
        Column with the group of each unit (NBS four regions on the boundary layers). None gives
        one group (between = 0).
    weights : str, optional
        Column of non-negative unit weights (e.g. population).

    Returns
    -------
    Theil
        ``total``, ``between``, ``within``, their shares, and ``groups`` (per-group table).

    Raises
    ------
    ColumnError, InputError
        Missing columns; negative/infinite values or weights; all zero; fewer than 2 units.
        Units with a missing value, weight or group are left out with a
        :class:`~spatialinno.DataWarning`.

    References
    ----------
    Theil (1967); Shorrocks (1980). Unweighted results equal ``inequality.theil.TheilD``.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> df = pd.DataFrame({"x": [0, 0, 0, 10, 10, 10], "region": list("aaabbb")})
    >>> t = si.theil(df, "x")
    >>> round(t.total, 6), round(t.between, 6), round(t.within, 6)  # ln 2 all between groups
    (0.693147, 0.693147, 0.0)
    """
    if not isinstance(gdf, pd.DataFrame):
        raise InputError(f"theil needs a DataFrame/GeoDataFrame, not {type(gdf).__name__}")
    require_columns(gdf, column, "table")
    labels = list(region_labels(gdf))
    x = numeric_column(gdf, column)
    drop = np.zeros(x.size, dtype=bool)
    if weights is not None:
        p = numeric_column(gdf, weights)
        pmask = weights_mask(p, labels, weights, "Theil")
        if not pmask.all():
            idx = np.flatnonzero(~pmask)
            warn_left_out("Theil", idx, labels, f"without a weight in {weights!r} left out",
                          reason="weight", column=weights)  # fmt: skip
            drop |= ~pmask
    else:
        p = np.ones(x.size)
    if groups is not None:
        require_columns(gdf, groups, "table")
        g = gdf[groups]
        nogroup = g.isna().to_numpy()
        if nogroup.any():
            idx = np.flatnonzero(nogroup & ~drop)
            if idx.size:
                warn_left_out("Theil", idx, labels, f"without a group in {groups!r} left out",
                              reason="group", column=groups)  # fmt: skip
            drop |= nogroup
        gkey = g.astype("string").to_numpy(dtype=object)
    else:
        gkey = np.full(x.size, "all", dtype=object)
    valid = valid_mask(x, labels, column, "Theil", drop)
    x, p, gkey = x[valid], p[valid], gkey[valid]
    if not np.any(p > 0):
        raise InputError(f"Theil: every weight in {weights!r} is zero")
    if not np.any(x * p > 0):
        raise InputError(f"Theil is undefined: every weighted value of {column!r} is zero")

    mass = x * p
    s = mass / mass.sum()
    pi = p / p.sum()
    if np.any((pi == 0) & (s > 0)):  # pragma: no cover - impossible: s > 0 implies p > 0
        raise InputError("Theil: a unit with zero weight has a positive share")
    total = float(_xlogx_ratio(s, pi).sum())
    table = _theil_groups(s, pi, gkey)
    table.index.name = groups or "group"
    between = float(table["between_contribution"].sum())
    within = float(table["within_contribution"].sum())
    return Theil(
        total=total,
        between=between,
        within=within,
        between_share=between / total if total > 0 else float("nan"),
        within_share=within / total if total > 0 else float("nan"),
        n=int(x.size),
        n_groups=len(table),
        weighted=weights is not None,
        groups=table,
    )


def _theil_groups(s: np.ndarray, pi: np.ndarray, gkey: np.ndarray) -> pd.DataFrame:
    """Per group: n_units, share S_g, weight_share Pi_g, theil T_g and the two contributions."""
    rows = []
    for name in sorted(set(gkey)):
        m = gkey == name
        sg, pg = float(s[m].sum()), float(pi[m].sum())
        tg = float(_xlogx_ratio(s[m] / sg, pi[m] / pg).sum()) if sg > 0 else 0.0
        between_c = sg * math.log(sg / pg) if sg > 0 else 0.0
        rows.append(
            {
                "group": name,
                "n_units": int(m.sum()),
                "share": sg,
                "weight_share": pg,
                "theil": tg,
                "within_contribution": sg * tg,
                "between_contribution": between_c,
            }
        )
    return pd.DataFrame(rows).set_index("group")
