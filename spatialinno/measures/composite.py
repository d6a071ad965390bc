"""Composite indices: entropy-weight index (熵值法) and coupling coordination degree (耦合协调度).

Both work on any table of indicators (one row per unit, or per unit and year); no CRS is involved.
Indicator values are in their own units; normalised values, weights, scores and the coupling
measures are unitless.

References
----------
Shannon, C. E. (1948). A mathematical theory of communication. *Bell System Technical Journal*
27:379-423 (the entropy). The entropy-weight method as used in Chinese regional studies: see
e.g. 王淑佳, 孔伟, 任亮, 治丹丹, 戴彦德 (2021) 国内耦合协调度模型的误区及修正, 自然资源学报
36(3):793-810, which also gives the coupling coordination formulas used here.
廖重斌 (1999) 环境与经济协调发展的定量评判及其分类体系——以珠江三角洲城市群为例, 热带地理
19(2):171-177 (the ten coordination classes).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataWarning, InputError
from .._validate import numeric_column, region_labels, require_columns

__all__ = ["COORDINATION_CLASSES", "EntropyWeights", "coupling_coordination", "entropy_weights"]

_MAX_LISTED = 10
_DIRECTIONS = {"+": 1, "-": -1, "benefit": 1, "cost": -1, "positive": 1, "negative": -1}
_DIRECTIONS.update({1: 1, -1: -1})

#: The ten coordination classes of D, lower bounds 0.0, 0.1, ..., 0.9: (Chinese, English).
COORDINATION_CLASSES: tuple[tuple[str, str], ...] = (
    ("极度失调", "extreme imbalance"),
    ("严重失调", "serious imbalance"),
    ("中度失调", "moderate imbalance"),
    ("轻度失调", "mild imbalance"),
    ("濒临失调", "verge of imbalance"),
    ("勉强协调", "barely coordinated"),
    ("初级协调", "primary coordination"),
    ("中级协调", "intermediate coordination"),
    ("良好协调", "good coordination"),
    ("优质协调", "high-quality coordination"),
)


def _warn(measure: str, reason: str, labels: Sequence[str]) -> None:
    shown = ", ".join(map(str, labels[:_MAX_LISTED]))
    more = f" and {len(labels) - _MAX_LISTED} more" if len(labels) > _MAX_LISTED else ""
    warnings.warn(
        f"{measure}: {len(labels)} row(s) {reason} left out: {shown}{more}",
        DataWarning,
        stacklevel=3,
    )


# ---------------------------------------------------------------------------------------------
# entropy weights
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class EntropyWeights:
    """Entropy-weight composite index (see :func:`entropy_weights` for the formulas).

    Attributes
    ----------
    weights : pandas.Series or pandas.DataFrame
        :math:`w_j` by indicator (sum 1). Per year (``panel=False``): a year x indicator frame.
    entropy, divergence : pandas.Series or pandas.DataFrame
        :math:`e_j` and :math:`d_j = 1 - e_j`, shaped like ``weights``.
    scores : pandas.Series
        The composite :math:`S_i = \\sum_j w_j x'_{ij}` (0-1) per row of the input frame,
        aligned to its index (NaN for rows left out).
    normalized : pandas.DataFrame
        :math:`x'_{ij}`, the min-max normalised indicators (0-1, 1 = best), aligned likewise.
    direction : Mapping
        Indicator -> +1 (benefit) or -1 (cost).
    shift : float
        What was added to :math:`x'` before the logarithm (0: the limit :math:`0 \\ln 0 = 0`).
    panel : bool
        True: one normalisation and one weight set over all rows (years pooled).
    year : str or None
        Year column (needed for ``panel=False``).
    left_out : tuple of str
        Rows without a value in some indicator.
    """

    weights: pd.Series | pd.DataFrame = field(compare=False)
    entropy: pd.Series | pd.DataFrame = field(compare=False)
    divergence: pd.Series | pd.DataFrame = field(compare=False)
    scores: pd.Series = field(compare=False)
    normalized: pd.DataFrame = field(compare=False)
    direction: Mapping[str, int] = field(default_factory=dict, compare=False)
    shift: float = 1e-4
    panel: bool = True
    year: str | None = None
    left_out: tuple[str, ...] = ()

    def __repr__(self) -> str:
        if isinstance(self.weights, pd.Series):
            shown = ", ".join(f"{k} {v:.3f}" for k, v in self.weights.items())
        else:
            shown = f"{len(self.weights)} years x {self.weights.shape[1]} indicators"
        mode = "pooled panel" if self.panel else f"per {self.year!r}"
        return (
            f"EntropyWeights({mode}, shift={self.shift:g}, weights: {shown}; "
            f"{int(self.scores.notna().sum())} scores)"
        )

    def to_frame(self) -> pd.DataFrame:
        """Tidy weights: ``[year,] indicator, direction, entropy, divergence, weight``."""
        parts = {"entropy": self.entropy, "divergence": self.divergence, "weight": self.weights}
        if isinstance(self.weights, pd.Series):
            out = pd.DataFrame(parts).rename_axis("indicator").reset_index()
        else:
            long = {k: v.stack() for k, v in parts.items()}
            out = pd.DataFrame(long).rename_axis([self.year, "indicator"]).reset_index()
        out.insert(
            out.columns.get_loc("indicator") + 1, "direction", out["indicator"].map(self.direction)
        )
        return out


def _directions(columns: list[str], direction: Mapping[str, Any] | None) -> dict[str, int]:
    direction = dict(direction or {})
    unknown = [k for k in direction if k not in columns]
    if unknown:
        raise InputError(
            f"direction names column(s) {unknown} that are not among the indicators {columns}"
        )
    out = {}
    for c in columns:
        d = direction.get(c, "+")
        if d not in _DIRECTIONS:
            raise InputError(
                f"direction of {c!r} must be '+' (benefit: more is better) or '-' (cost: less is "
                f"better), not {d!r}"
            )
        out[c] = _DIRECTIONS[d]
    return out


def _normalise(block: np.ndarray, columns: list[str], signs: np.ndarray, where: str) -> np.ndarray:
    lo, hi = block.min(axis=0), block.max(axis=0)
    flat = np.flatnonzero(hi == lo)
    if flat.size:
        raise InputError(
            f"entropy_weights: indicator(s) {[columns[j] for j in flat]} take a single value "
            f"{where}; min-max normalisation is undefined -- drop them"
        )
    up = (block - lo) / (hi - lo)
    return np.where(signs > 0, up, 1.0 - up)  # cost: (max - x) / (max - min)


def _entropy(norm: np.ndarray, shift: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(e_j, d_j, w_j) of normalised values (rows = units, columns = indicators)."""
    z = norm + shift
    p = z / z.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)  # the limit 0 ln 0 = 0 when shift = 0
    e = -plogp.sum(axis=0) / math.log(norm.shape[0])
    d = 1.0 - e
    return e, d, d / d.sum()


def entropy_weights(
    frame: pd.DataFrame,
    columns: Sequence[str],
    direction: Mapping[str, Any] | None = None,
    panel: bool = True,
    year: str | None = None,
    *,
    shift: float = 1e-4,
) -> EntropyWeights:
    """Entropy-weight method (熵值法): objective indicator weights and a composite score.

    For :math:`m` rows (units, or unit-years pooled) and indicators :math:`j`:

    .. math::

        x'_{ij} = \\frac{x_{ij} - \\min_i x_{ij}}{\\max_i x_{ij} - \\min_i x_{ij}}\\ (+),
        \\qquad x'_{ij} = \\frac{\\max_i x_{ij} - x_{ij}}{\\max_i x_{ij} - \\min_i x_{ij}}\\ (-)

        p_{ij} = \\frac{x'_{ij} + a}{\\sum_i (x'_{ij} + a)}, \\qquad
        e_j = -\\frac{1}{\\ln m} \\sum_i p_{ij} \\ln p_{ij}, \\qquad d_j = 1 - e_j, \\qquad
        w_j = \\frac{d_j}{\\sum_k d_k}, \\qquad S_i = \\sum_j w_j x'_{ij}

    An indicator whose values differ more across rows has lower entropy :math:`e_j` and gets
    more weight. :math:`a` is ``shift``.

    Parameters
    ----------
    frame : DataFrame
        One row per unit (and year).
    columns : list of str
        Indicator columns (any finite numbers).
    direction : dict, optional
        Indicator -> ``"+"`` (benefit, more is better) or ``"-"`` (cost, less is better);
        also ``"benefit"/"cost"``, ``"positive"/"negative"``, ``1/-1``. Unlisted: ``"+"``.
    panel : bool, default True
        True: normalise over the pooled rows (all years) and compute one weight set, so that
        scores are comparable across years. False: normalise and weigh each year separately
        (needs ``year``); weights then differ by year.
    year : str, optional
        Year column; required with ``panel=False``.
    shift : float, default 1e-4
        The literature varies on how to avoid :math:`\\ln 0` for the worst row (where
        :math:`x'_{ij} = 0`): most papers add a small constant after normalising
        ("平移", 0.0001 here, 0.01 in some); ``shift=0`` uses the limit
        :math:`0 \\ln 0 = 0` instead. The score always uses the unshifted :math:`x'` (0-1).

    Returns
    -------
    EntropyWeights
        ``.weights`` (Series by indicator; year x indicator with ``panel=False``),
        ``.scores`` (per row, aligned to ``frame.index``), ``.entropy``, ``.divergence``,
        ``.normalized``, ``.to_frame()``.

    Raises
    ------
    ColumnError, InputError
        Missing columns, non-numeric or infinite values (rows named), an indicator with one
        value only, a bad direction or shift, fewer than 2 rows. Rows missing an indicator are
        left out (score NaN) and named in a :class:`~spatialinno.DataWarning`.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> df = pd.DataFrame({"staff": [1.0, 2.0, 3.0], "cost": [3.0, 1.0, 2.0]})
    >>> ew = si.entropy_weights(df, ["staff", "cost"], direction={"cost": "-"}, shift=0)
    >>> ew.weights.round(4).tolist(), ew.scores.round(4).tolist()
    ([0.5, 0.5], [0.0, 0.75, 0.75])
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"entropy_weights needs a DataFrame, not {type(frame).__name__}")
    cols = require_columns(frame, columns, "table")
    if not cols:
        raise InputError("entropy_weights needs at least one indicator column")
    if not (isinstance(shift, (int, float)) and math.isfinite(shift) and shift >= 0):
        raise InputError(f"shift must be a finite number >= 0 (e.g. 1e-4, or 0), not {shift!r}")
    if not panel and year is None:
        raise InputError("panel=False weighs each year separately: name the year column, year=")
    signs_map = _directions(cols, direction)
    signs = np.array([signs_map[c] for c in cols])
    labels = list(region_labels(frame))
    block = np.column_stack([numeric_column(frame, c) for c in cols])
    bad = np.flatnonzero(np.isinf(block).any(axis=1))
    if bad.size:
        raise InputError(
            f"entropy_weights: infinite values at {', '.join(labels[i] for i in bad[:10])}"
        )
    ok = ~np.isnan(block).any(axis=1)
    if year is not None:
        require_columns(frame, year, "table")
        ok &= frame[year].notna().to_numpy()
    left = [labels[i] for i in np.flatnonzero(~ok)]
    if left:
        _warn("entropy_weights", f"without a value in {cols}", left)
    keys = frame[year].to_numpy() if (year is not None and not panel) else np.zeros(len(frame))
    norm = np.full(block.shape, np.nan)
    tables: dict[Any, tuple[np.ndarray, ...]] = {}
    for key in pd.unique(keys[ok]):
        rows = ok & (keys == key)
        where = "over the pooled rows" if panel else f"in {year} {key}"
        if rows.sum() < 2:
            raise InputError(f"entropy_weights needs at least 2 rows {where}")
        norm[rows] = _normalise(block[rows], cols, signs, where)
        tables[key] = _entropy(norm[rows], float(shift))
    return _entropy_result(frame, cols, signs_map, norm, keys, tables, shift, panel, year, left)


def _entropy_result(
    frame: pd.DataFrame,
    cols: list[str],
    signs: dict[str, int],
    norm: np.ndarray,
    keys: np.ndarray,
    tables: dict[Any, tuple[np.ndarray, ...]],
    shift: float,
    panel: bool,
    year: str | None,
    left: list[str],
) -> EntropyWeights:
    weights = np.full(norm.shape, np.nan)  # each row's weights, to score it
    for key, (_, _, w) in tables.items():
        weights[keys == key] = w
    scores = pd.Series(np.sum(weights * norm, axis=1), index=frame.index, name="score")
    if panel:
        e, d, w = next(iter(tables.values()))
        parts = [pd.Series(v, index=pd.Index(cols, name="indicator")) for v in (e, d, w)]
    else:
        years = sorted(tables)
        parts = [
            pd.DataFrame(
                [tables[y][k] for y in years],
                index=pd.Index(years, name=year),
                columns=pd.Index(cols, name="indicator"),
            )
            for k in range(3)
        ]
    return EntropyWeights(
        weights=parts[2].rename("weight") if panel else parts[2],
        entropy=parts[0].rename("entropy") if panel else parts[0],
        divergence=parts[1].rename("divergence") if panel else parts[1],
        scores=scores,
        normalized=pd.DataFrame(norm, index=frame.index, columns=cols),
        direction=signs,
        shift=float(shift),
        panel=bool(panel),
        year=year,
        left_out=tuple(left),
    )


# ---------------------------------------------------------------------------------------------
# coupling coordination
# ---------------------------------------------------------------------------------------------


def coupling_coordination(
    frame: pd.DataFrame,
    a: str,
    b: str,
    alpha: float = 0.5,
    beta: float = 0.5,
    *,
    closed: str = "left",
) -> pd.DataFrame:
    """Coupling coordination degree (耦合协调度) of two systems, with its ten classes.

    .. math::

        C = \\frac{2\\sqrt{U_1 U_2}}{U_1 + U_2}, \\qquad T = \\alpha U_1 + \\beta U_2,
        \\qquad D = \\sqrt{C\\,T}

    :math:`U_1, U_2` are the two systems' levels in [0, 1] (e.g. the scores of
    :func:`entropy_weights` for innovation and for the economy). :math:`C` (coupling, 耦合度)
    is 1 when the two are equal; :math:`T` (comprehensive coordination index) is their weighted
    level; :math:`D` (耦合协调度) combines both.

    Classes of :math:`D` (:data:`COORDINATION_CLASSES`, ten equal-width classes going back to
    廖重斌 1999): 1 极度失调 extreme imbalance [0, 0.1), 2 严重失调 serious imbalance
    [0.1, 0.2), 3 中度失调 moderate imbalance [0.2, 0.3), 4 轻度失调 mild imbalance [0.3, 0.4),
    5 濒临失调 verge of imbalance [0.4, 0.5), 6 勉强协调 barely coordinated [0.5, 0.6),
    7 初级协调 primary coordination [0.6, 0.7), 8 中级协调 intermediate coordination
    [0.7, 0.8), 9 良好协调 good coordination [0.8, 0.9), 10 优质协调 high-quality coordination
    [0.9, 1.0]. Papers write the boundaries both ways; ``closed="right"`` gives (a, b] with
    the first class [0, 0.1] (as in e.g. 田深圳 et al. 2021, 地理学报 76(4):781, table 1).

    Parameters
    ----------
    frame : DataFrame
    a, b : str
        Columns holding :math:`U_1` and :math:`U_2`, each in [0, 1].
    alpha, beta : float, default 0.5
        Contributions of the two systems to :math:`T`; non-negative, summing to 1.
    closed : "left" or "right", default "left"
        Which end of each class interval is included.

    Returns
    -------
    pandas.DataFrame
        Aligned to ``frame.index``: ``C, T, D``, ``level`` (1-10, nullable integer),
        ``class_zh``, ``class_en``. Both systems at 0: :math:`C` is undefined (NaN) and
        :math:`D = 0` (its limit, as :math:`C \\le 1`). Rows missing a value get NaN and are
        named in a :class:`~spatialinno.DataWarning`.

    Raises
    ------
    ColumnError, InputError
        Missing columns; values outside [0, 1] (rows named: normalise first); bad weights.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> df = pd.DataFrame({"u1": [0.64, 0.2], "u2": [0.36, 0.2]})
    >>> si.coupling_coordination(df, "u1", "u2")[["C", "T", "D", "class_zh"]]
          C    T         D class_zh
    0  0.96  0.5  0.692820     初级协调
    1  1.00  0.2  0.447214     濒临失调
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"coupling_coordination needs a DataFrame, not {type(frame).__name__}")
    require_columns(frame, [a, b], "table")
    for name, w in (("alpha", alpha), ("beta", beta)):
        if not isinstance(w, (int, float)) or not 0.0 <= w <= 1.0:
            raise InputError(f"{name} must be a weight between 0 and 1, not {w!r}")
    if not math.isclose(alpha + beta, 1.0, abs_tol=1e-12):
        raise InputError(f"alpha + beta must be 1 (got {alpha} + {beta} = {alpha + beta})")
    if closed not in ("left", "right"):
        raise InputError(f"closed must be 'left' or 'right', not {closed!r}")
    labels = list(region_labels(frame))
    u1, u2 = numeric_column(frame, a), numeric_column(frame, b)
    for name, u in ((a, u1), (b, u2)):
        bad = np.flatnonzero(~np.isnan(u) & ((u < 0) | (u > 1)))
        if bad.size:
            raise InputError(
                f"coupling_coordination: {name!r} must lie in [0, 1] (a normalised level, e.g. "
                f"an entropy_weights score); outside at {', '.join(labels[i] for i in bad[:10])}"
            )
    missing = np.isnan(u1) | np.isnan(u2)
    if missing.any():
        _warn(
            "coupling_coordination",
            f"without a value in {a!r} or {b!r}",
            [labels[i] for i in np.flatnonzero(missing)],
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        c = 2.0 * np.sqrt(u1 * u2) / (u1 + u2)
    t = alpha * u1 + beta * u2
    d = np.where(t == 0, 0.0, np.sqrt(c * t))
    return _classes(pd.DataFrame({"C": c, "T": t, "D": d}, index=frame.index), closed)


def _classes(out: pd.DataFrame, closed: str) -> pd.DataFrame:
    d = out["D"].to_numpy()
    # integer tenths, with a tolerance so that 0.3 computed as 0.29999999999999993 is 0.3
    scaled = np.round(d * 10.0, 9)
    if closed == "left":
        level = np.floor(scaled) + 1
    else:
        level = np.ceil(scaled)
        level = np.where(scaled == 0, 1, level)
    level = np.clip(level, 1, 10)
    out["level"] = pd.array(np.where(np.isnan(d), pd.NA, level), dtype="Int64")
    zh = {i + 1: z for i, (z, _) in enumerate(COORDINATION_CLASSES)}
    en = {i + 1: e for i, (_, e) in enumerate(COORDINATION_CLASSES)}
    out["class_zh"] = out["level"].map(zh).astype("string")
    out["class_en"] = out["level"].map(en).astype("string")
    return out
