"""Dagum (1997) decomposition of the Gini coefficient by groups, per year, with bootstrap intervals.

The overall Gini ratio of :math:`n` units in :math:`k` groups (group :math:`j` has :math:`n_j`
units with values :math:`y_{ji}` and mean :math:`\\bar{y}_j`; :math:`\\bar{y}` is the overall mean)
is split into three additive contributions (Dagum 1997, Empirical Economics 22:515-531):

.. math::

    \\text{(D1)}\\quad G = \\frac{\\sum_{j}\\sum_{h}\\sum_{i}\\sum_{r} |y_{ji} - y_{hr}|}
                              {2 n^2 \\bar{y}} = G_w + G_{nb} + G_t

    \\text{(D2)}\\quad G_{jj} = \\frac{\\sum_i \\sum_r |y_{ji} - y_{jr}|}{2 n_j^2 \\bar{y}_j}
    \\qquad \\text{(Gini inside group } j)

    \\text{(D3)}\\quad G_w = \\sum_j G_{jj}\\, p_j s_j, \\qquad p_j = n_j / n, \\quad
    s_j = n_j \\bar{y}_j / (n \\bar{y})

    \\text{(D4)}\\quad G_{jh} = \\frac{\\sum_i \\sum_r |y_{ji} - y_{hr}|}
                                  {n_j n_h (\\bar{y}_j + \\bar{y}_h)}
    \\qquad \\text{(Gini between groups } j \\text{ and } h)

    \\text{(D5)}\\quad d_{jh} = \\frac{1}{n_j n_h}\\sum_i \\sum_r \\max(y_{ji} - y_{hr}, 0), \\quad
    p_{jh} = \\frac{1}{n_j n_h}\\sum_i \\sum_r \\max(y_{hr} - y_{ji}, 0)
    \\qquad (\\bar{y}_j \\ge \\bar{y}_h)

    \\text{(D6)}\\quad D_{jh} = \\frac{d_{jh} - p_{jh}}{d_{jh} + p_{jh}}
    \\qquad \\text{(relative economic affluence, 0..1)}

    \\text{(D7)}\\quad G_{nb} = \\sum_{j > h} G_{jh} (p_j s_h + p_h s_j) D_{jh}
    \\qquad \\text{(net between-group contribution)}

    \\text{(D8)}\\quad G_t = \\sum_{j > h} G_{jh} (p_j s_h + p_h s_j) (1 - D_{jh})
    \\qquad \\text{(transvariation: overlap of the groups)}

The labels (D1)-(D8) are this module's; they follow the order of Dagum's section on the
decomposition (ratio, within, between, affluence, net and transvariation terms). The paper's own
equation numbers could not be checked on the machine this was written on, so they are not quoted.

The vectorised computation (sorted cumulative sums, no loop over units, bounded memory) is
described in :mod:`spatialinno.measures._dagum_kernel`.

References
----------
Dagum, C. (1997). A new approach to the decomposition of the Gini income inequality ratio.
*Empirical Economics* 22(4):515-531. doi:10.1007/BF01205777
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataWarning, InputError
from .._notes import Note
from .._validate import (
    check_non_negative,
    check_seed,
    numeric_column,
    region_labels,
    require_columns,
)
from . import _dagum_kernel as _k
from ._groups import with_regions

__all__ = ["DagumGini", "DagumPanel", "dagum_gini"]

_MAX_LISTED = 10  # units named in one warning; the rest are counted


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class DagumGini:
    """Dagum decomposition of one cross-section: ``gini = within + between + transvariation``.

    Attributes
    ----------
    gini : float
        :math:`G`, the Gini coefficient of all units used (unitless; equals ``si.gini``).
    within, between, transvariation : float
        Contributions :math:`G_w` (D3), :math:`G_{nb}` (D7, *net* between-group) and
        :math:`G_t` (D8); they sum to ``gini``.
    within_share, between_share, transvariation_share : float
        Each contribution divided by ``gini`` (NaN when ``gini`` is 0).
    gross_between : float
        :math:`G_{gb} = G_{nb} + G_t`, the between-group Gini before the overlap is separated.
    n, n_groups : int
        Units and groups used.
    group_gini : pandas.Series
        :math:`G_{jj}` by group (D2); NaN for a group whose values are all zero.
    pair_gini : pandas.DataFrame
        group x group :math:`G_{jh}` (D4), symmetric; the diagonal is :math:`G_{jj}`.
    relative_affluence : pandas.DataFrame
        group x group :math:`D_{jh}` (D6) with the row group as :math:`j`: in [0, 1] when the row
        group has the larger mean, its negative otherwise (the formula with the order reversed);
        NaN on the diagonal and where both groups hold one identical constant value.
    group_table : pandas.DataFrame
        One row per group: ``group, n_units, mean, population_share`` (:math:`p_j`),
        ``value_share`` (:math:`s_j`), ``G_jj, within_contribution`` (:math:`G_{jj} p_j s_j`),
        ``note``; with ``G_jj_lower, G_jj_upper`` after a bootstrap.
    pair_table : pandas.DataFrame
        One row per pair, richer group first: ``group_j, group_h, mean_j, mean_h, G_jh, D_jh,
        d_jh, p_jh, weight`` (:math:`p_j s_h + p_h s_j`), ``between_contribution,
        transvariation_contribution``; with ``G_jh_lower/upper, D_jh_lower/upper`` after a
        bootstrap.
    left_out : tuple of str
        Units left out for lacking a value or a group (also given in a DataWarning).
    column, groups : str
        The value column and the group column.
    year : object or None
        The year of this cross-section when it comes from a panel.
    bootstrap : int
        Number of bootstrap draws (0: none). ``seed`` is the seed given (None for a Generator).
    level : float
        Coverage of the percentile intervals.
    ci : pandas.DataFrame or None
        Per statistic (the scalars above, ``G_jj[group]``, ``G_jh[j|h]``, ``D_jh[j|h]``):
        ``estimate, se`` (sd of the draws), ``lower, upper`` (percentile interval).
    draws : pandas.DataFrame or None
        The bootstrap draws, one row per draw, same columns as ``ci``'s index.
    """

    gini: float
    within: float
    between: float
    transvariation: float
    within_share: float
    between_share: float
    transvariation_share: float
    gross_between: float
    n: int
    n_groups: int
    group_gini: pd.Series = field(compare=False)
    pair_gini: pd.DataFrame = field(compare=False)
    relative_affluence: pd.DataFrame = field(compare=False)
    group_table: pd.DataFrame = field(compare=False)
    pair_table: pd.DataFrame = field(compare=False)
    left_out: tuple[str, ...] = ()
    column: str = ""
    groups: str = ""
    year: Any = None
    bootstrap: int = 0
    seed: int | None = None
    level: float = 0.95
    ci: pd.DataFrame | None = field(default=None, compare=False)
    draws: pd.DataFrame | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        year = f", year={self.year}" if self.year is not None else ""
        boot = ""
        if self.ci is not None:
            lo, hi = self.ci.loc["gini", ["lower", "upper"]]
            boot = f", {self.level:.0%} CI of G [{lo:.4f}, {hi:.4f}] ({self.bootstrap} draws)"
        left = f", {len(self.left_out)} left out" if self.left_out else ""
        return (
            f"DagumGini({self.column!r} by {self.groups!r}{year}: G={self.gini:.4f} = within "
            f"G_w {self.within:.4f} ({self.within_share:.1%}) + net between G_nb "
            f"{self.between:.4f} ({self.between_share:.1%}) + transvariation G_t "
            f"{self.transvariation:.4f} ({self.transvariation_share:.1%}); n={self.n}, "
            f"{self.n_groups} groups{left}{boot})"
        )

    def to_frame(self) -> pd.DataFrame:
        """One tidy row: ``year`` (if any), the scalars, ``n, n_groups``, and after a bootstrap
        ``<statistic>_lower``/``_upper`` for every scalar."""
        row: dict[str, Any] = {"year": self.year} if self.year is not None else {}
        row.update({k: getattr(self, k) for k in _k.SCALARS})
        row.update(n=self.n, n_groups=self.n_groups)
        if self.ci is not None:
            for k in _k.SCALARS:
                row[f"{k}_lower"] = self.ci.loc[k, "lower"]
                row[f"{k}_upper"] = self.ci.loc[k, "upper"]
        return pd.DataFrame([row])


@dataclass(frozen=True, repr=False)
class DagumPanel:
    """Dagum decompositions of a panel, one :class:`DagumGini` per year.

    ``panel[year]`` is that year's :class:`DagumGini`. The by-year views below are built from
    them: ``gini``, ``within``, ``between``, ``transvariation`` and the shares are Series by year;
    ``group_gini`` is a year x group frame of :math:`G_{jj}`; ``pair_gini`` and
    ``relative_affluence`` are stacked group x group frames indexed by (year, group).

    Attributes
    ----------
    years : tuple
        Years decomposed, ascending.
    results : Mapping
        year -> :class:`DagumGini` (read-only).
    skipped : Mapping
        year -> reason, for years that could not be decomposed (no values, one unit, all zero).
    column, groups, year_column : str
    bootstrap, seed, level
        As in :class:`DagumGini`; every year is resampled independently from one generator.
    """

    years: tuple[Any, ...]
    results: Mapping[Any, DagumGini] = field(compare=False)
    skipped: Mapping[Any, str] = field(compare=False)
    column: str = ""
    groups: str = ""
    year_column: str = "year"
    bootstrap: int = 0
    seed: int | None = None
    level: float = 0.95

    def __getitem__(self, year: Any) -> DagumGini:
        if year not in self.results:
            raise InputError(f"no Dagum decomposition for year {year!r}; years: {list(self.years)}")
        return self.results[year]

    def __repr__(self) -> str:
        first, last = self.results[self.years[0]], self.results[self.years[-1]]
        skipped = f", {len(self.skipped)} year(s) skipped" if self.skipped else ""
        return (
            f"DagumPanel({self.column!r} by {self.groups!r}, {len(self.years)} years "
            f"{self.years[0]}-{self.years[-1]}: G {first.gini:.4f} -> {last.gini:.4f}, "
            f"between share {first.between_share:.1%} -> {last.between_share:.1%}{skipped})"
        )

    def _series(self, name: str) -> pd.Series:
        values = [getattr(self.results[y], name) for y in self.years]
        return pd.Series(values, index=pd.Index(self.years, name=self.year_column), name=name)

    gini = property(lambda self: self._series("gini"))
    within = property(lambda self: self._series("within"))
    between = property(lambda self: self._series("between"))
    transvariation = property(lambda self: self._series("transvariation"))
    within_share = property(lambda self: self._series("within_share"))
    between_share = property(lambda self: self._series("between_share"))
    transvariation_share = property(lambda self: self._series("transvariation_share"))

    @property
    def group_gini(self) -> pd.DataFrame:
        """year x group frame of :math:`G_{jj}` (the lines of the G_jj-by-group figure)."""
        frame = pd.DataFrame({y: self.results[y].group_gini for y in self.years}).T
        frame.index.name = self.year_column
        return frame

    @property
    def pair_gini(self) -> pd.DataFrame:
        return pd.concat({y: self.results[y].pair_gini for y in self.years}, names=["year"])

    @property
    def relative_affluence(self) -> pd.DataFrame:
        return pd.concat(
            {y: self.results[y].relative_affluence for y in self.years}, names=["year"]
        )

    def to_frame(self) -> pd.DataFrame:
        """Tidy, one row per year: ``year, gini, within, between, transvariation``, the three
        shares, ``gross_between, n, n_groups`` (and the interval bounds after a bootstrap)."""
        out = pd.concat([self.results[y].to_frame() for y in self.years], ignore_index=True)
        return out.rename(columns={"year": self.year_column})

    def group_frame(self) -> pd.DataFrame:
        """Tidy: one row per year and group (``group_table`` of each year with ``year``)."""
        return self._stack("group_table")

    def pair_frame(self) -> pd.DataFrame:
        """Tidy: one row per year and pair of groups (``pair_table`` with ``year``)."""
        return self._stack("pair_table")

    def _stack(self, name: str) -> pd.DataFrame:
        parts = [getattr(self.results[y], name).assign(**{self.year_column: y}) for y in self.years]
        out = pd.concat(parts, ignore_index=True)
        return out[[self.year_column, *[c for c in out.columns if c != self.year_column]]]


# ---------------------------------------------------------------------------------------------
# assembling a result
# ---------------------------------------------------------------------------------------------


def _decompose(
    xs: list[np.ndarray],
    names: list,
    draws: int,
    rng: np.random.Generator,
    level: float,
    **meta: Any,
) -> DagumGini:
    """The decomposition (and bootstrap) of groups ``xs`` named ``names``."""
    lay = _k.Layout.build(xs)
    est = _k.terms(lay, [np.ones((1, x.size)) for x in lay.xs])
    e = {k: v[0] for k, v in est.items()}
    pairs = _k.pair_order(e["mean_j"])
    group_table = _k.group_table(e, names, lay.n)
    pair_table = _k.pair_table(e, names, lay.n, pairs)
    ci = draws_frame = None
    if draws:
        draws_frame = pd.DataFrame(_k.flatten(_k.bootstrap(lay, draws, rng), names, pairs))
        ci = _k.interval(draws_frame, _k.flatten(est, names, pairs), level)
        group_table["G_jj_lower"] = [ci.loc[f"G_jj[{g}]", "lower"] for g in names]
        group_table["G_jj_upper"] = [ci.loc[f"G_jj[{g}]", "upper"] for g in names]
        for stat in ("G_jh", "D_jh"):
            keys = [
                f"{stat}[{a}|{b}]"
                for a, b in zip(pair_table.group_j, pair_table.group_h, strict=True)
            ]
            pair_table[f"{stat}_lower"] = [ci.loc[k, "lower"] for k in keys]
            pair_table[f"{stat}_upper"] = [ci.loc[k, "upper"] for k in keys]
    index = pd.Index(names, name=meta["groups"])
    g_jh = e["g_jh"].copy()
    np.fill_diagonal(g_jh, e["g_jj"])  # G_jh with h = j is G_jj, (D4) = (D2)
    d_jh = e["d_jh"].copy()
    np.fill_diagonal(d_jh, np.nan)
    affluence = pd.DataFrame(d_jh, index=index, columns=index.copy())
    return DagumGini(
        **{k: float(e[k]) for k in _k.SCALARS},
        n=int(lay.n.sum()),
        n_groups=len(names),
        group_gini=pd.Series(e["g_jj"], index=index, name="G_jj"),
        pair_gini=pd.DataFrame(g_jh, index=index, columns=index.copy()),
        relative_affluence=affluence,
        group_table=group_table,
        pair_table=pair_table,
        bootstrap=int(draws),
        level=level,
        ci=ci,
        draws=draws_frame,
        **meta,
    )


# ---------------------------------------------------------------------------------------------
# input
# ---------------------------------------------------------------------------------------------


def _warn_left_out(reason: str, labels: Sequence[str]) -> None:
    shown = ", ".join(map(str, labels[:_MAX_LISTED]))
    more = f" and {len(labels) - _MAX_LISTED} more" if len(labels) > _MAX_LISTED else ""
    warnings.warn(
        f"dagum_gini: {len(labels)} unit(s) without {reason} left out: {shown}{more}",
        DataWarning,
        stacklevel=4,
    )


def _group_order(key: pd.Series, order: Sequence[Hashable] | None, groups: str) -> list:
    present = pd.unique(key.dropna())
    if order is None:
        if isinstance(key.dtype, pd.CategoricalDtype):
            return [c for c in key.cat.categories if c in set(present)]
        return list(present)  # first appearance: NBS order east, central, west, northeast
    order = list(order)
    missing = [g for g in present if g not in order]
    if missing:
        raise InputError(
            f"order= does not list the group(s) {missing[:_MAX_LISTED]} of column {groups!r}; "
            "list every group, or drop order= to use the order of first appearance"
        )
    return [g for g in order if g in set(present)]


def _check_options(bootstrap: Any, level: Any) -> int:
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, (int, np.integer)) or bootstrap < 0:
        raise InputError(f"bootstrap must be a whole number of draws >= 0, not {bootstrap!r}")
    if not isinstance(level, (int, float)) or not 0.0 < float(level) < 1.0:
        raise InputError(f"level must be a coverage between 0 and 1 (e.g. 0.95), not {level!r}")
    return int(bootstrap)


def _usable(values: np.ndarray, what: str, column: str) -> str | None:
    """Why these values cannot be decomposed (None if they can)."""
    if values.size < 2:
        return f"{what}: fewer than 2 units with a value in {column!r}"
    if not np.any(values > 0):
        return f"{what}: every value of {column!r} is zero, the Gini is undefined"
    return None


def dagum_gini(
    frame: pd.DataFrame,
    column: str,
    groups: str = "region",
    year: str | None = None,
    bootstrap: int = 0,
    seed: int | np.random.Generator | None = None,
    *,
    level: float = 0.95,
    order: Sequence[Hashable] | None = None,
) -> DagumGini | DagumPanel:
    """Dagum (1997) Gini decomposition: within-group, net between-group and transvariation.

    :math:`G = G_w + G_{nb} + G_t` with the formulas (D1)-(D8) of
    :mod:`spatialinno.measures.dagum`: :math:`G_w` is the inequality inside the groups,
    :math:`G_{nb}` the net gap between the groups' levels and :math:`G_t` the overlap
    (transvariation) of their distributions: pairs in which a unit of the poorer group exceeds a
    unit of the richer one. Unweighted: every unit counts once. Values are levels in any unit
    (people, yuan, patents); no CRS is involved.

    Parameters
    ----------
    frame : DataFrame or GeoDataFrame
        One row per unit (and year): e.g. ``si.join_indicators`` output.
    column : str
        Non-negative values.
    groups : str, default "region"
        Column with each unit's group; the default is the NBS four regions of the boundary
        layers, looked up from ``code`` / ``gb`` when the table has no ``region`` column. Any
        column works (``coastal``, a YRD flag, ``province_code`` ...).
    year : str, optional
        Column holding the year of a long panel: one decomposition per year, returned as a
        :class:`DagumPanel` (``.to_frame()`` tidy by year). None: one cross-section.
    bootstrap : int, default 0
        Bootstrap draws for percentile intervals. Scheme: stratified by group -- in each draw
        every group's units are resampled with replacement, keeping its size :math:`n_j` (the
        groups are fixed by design, e.g. the four regions, so their sizes are not random). Each
        year of a panel is resampled independently.
    seed : int, numpy Generator or None
        Seed of the bootstrap; the same seed gives the same draws.
    level : float, default 0.95
        Coverage of the percentile intervals.
    order : list, optional
        Order of the groups in the result. Default: the column's categories when it is
        categorical, otherwise the order of first appearance (east, central, west, northeast on
        the code-sorted boundary layers).

    Returns
    -------
    DagumGini or DagumPanel
        :class:`DagumGini` without ``year``; with ``year``, a :class:`DagumPanel` whose
        ``panel[y]`` is each year's :class:`DagumGini`.

    Raises
    ------
    ColumnError
        A missing column. InputError: negative or infinite values (units named), a
        cross-section with fewer than 2 units or only zeros, a panel in which no year can be
        decomposed, bad ``bootstrap``/``level``/``order``.

    Notes
    -----
    Units without a value or without a group are left out, named in a
    :class:`~spatialinno.DataWarning` and listed in ``.left_out``. A panel year in which nothing
    can be decomposed (no value, one unit, all zero) is skipped with a warning and listed in
    ``.skipped``. One group: :math:`G = G_w`, :math:`G_{nb} = G_t = 0`. All values equal:
    every term is 0 and the shares are NaN. A group whose values are all zero has no Gini of
    its own (:math:`\\bar{y}_j = 0` in (D2)): ``G_jj`` is NaN with a note, its within
    contribution is 0 (its share :math:`s_j` is 0), and its pairs still count (their
    :math:`D_{jh} = 1`, everything it differs by is net between-group gap); the decomposition
    still sums to :math:`G`. A group of one unit has :math:`G_{jj} = 0`.

    References
    ----------
    Dagum (1997), Empirical Economics 22:515-531.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 6.0, 8.0, 10.0], "region": list("aaabbb")})
    >>> d = si.dagum_gini(df, "x")
    >>> round(d.gini, 6) == round(si.gini(df["x"]), 6)
    True
    >>> round(d.within + d.between + d.transvariation - d.gini, 12)
    0.0
    >>> d.group_gini.round(4).tolist()
    [0.2222, 0.1111]
    >>> float(d.relative_affluence.loc["b", "a"])  # no unit of "a" exceeds one of "b": D = 1
    1.0
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"dagum_gini needs a DataFrame/GeoDataFrame, not {type(frame).__name__}")
    draws = _check_options(bootstrap, level)
    rng = check_seed(seed)
    if groups == "region":  # the default: from the unit codes when the table has no region
        frame = with_regions(frame)
    require_columns(frame, [column, groups] + ([year] if year is not None else []), "table")
    labels = list(region_labels(frame))
    values = numeric_column(frame, column)
    inf = np.flatnonzero(np.isinf(values))
    if inf.size:
        raise InputError(
            f"column {column!r} is infinite at {', '.join(labels[i] for i in inf[:10])}; "
            "fix the division that produced it or set those values to NaN"
        )
    check_non_negative(np.nan_to_num(values), labels, column, "the Dagum Gini decomposition")
    key = frame[groups].reset_index(drop=True)
    names = _group_order(key, order, groups)
    code = key.map({g: i for i, g in enumerate(names)}).to_numpy(dtype=float, na_value=np.nan)
    meta = {"column": column, "groups": groups}
    seed_used = int(seed) if isinstance(seed, (int, np.integer)) else None
    if year is None:
        keep = _leave_out(values, code, labels, column, groups)
        why = _usable(values[keep], "dagum_gini", column)
        if why:
            raise InputError(why)
        left = tuple(labels[i] for i in np.flatnonzero(~keep))
        return _one(values, code, keep, names, draws, rng, level, left, seed_used, meta)
    return _panel(frame, values, code, labels, year, names, draws, rng, level, seed_used, meta)


def _leave_out(
    values: np.ndarray,
    code: np.ndarray,
    labels: Sequence[str],
    column: str,
    groups: str,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Mask of usable units among ``rows`` (all by default); warns about the others."""
    rows = np.ones(values.size, dtype=bool) if rows is None else rows
    novalue = np.isnan(values) & rows
    nogroup = np.isnan(code) & rows & ~novalue
    if novalue.any():
        _warn_left_out(f"a value in {column!r}", [labels[i] for i in np.flatnonzero(novalue)])
    if nogroup.any():
        _warn_left_out(f"a group in {groups!r}", [labels[i] for i in np.flatnonzero(nogroup)])
    return rows & ~novalue & ~nogroup


def _one(
    values: np.ndarray,
    code: np.ndarray,
    keep: np.ndarray,
    names: list,
    draws: int,
    rng: np.random.Generator,
    level: float,
    left: tuple[str, ...],
    seed: int | None,
    meta: dict[str, Any],
    year: Any = None,
) -> DagumGini:
    xs, present = [], []
    for i, name in enumerate(names):
        x = values[keep & (code == i)]
        if x.size:
            xs.append(x)
            present.append(name)
    return _decompose(xs, present, draws, rng, level, left_out=left, seed=seed, year=year, **meta)


def _panel(
    frame: pd.DataFrame,
    values: np.ndarray,
    code: np.ndarray,
    labels: list[str],
    year: str,
    names: list,
    draws: int,
    rng: np.random.Generator,
    level: float,
    seed: int | None,
    meta: dict[str, Any],
) -> DagumPanel:
    when = frame[year].reset_index(drop=True)
    noyear = when.isna().to_numpy()
    if noyear.any():
        _warn_left_out(f"a year in {year!r}", [labels[i] for i in np.flatnonzero(noyear)])
    years = sorted(pd.unique(when.dropna()))
    has_value = pd.Series(~np.isnan(values)).groupby(when.to_numpy()).any()
    skipped = {y: f"no value of {meta['column']!r}" for y in years if not has_value[y]}
    years = [y for y in years if y not in skipped]
    tagged = [f"{lab} {y}" for lab, y in zip(labels, when.astype("string").fillna(""), strict=True)]
    rows = when.isin(years).to_numpy()
    keep = _leave_out(values, code, tagged, meta["column"], meta["groups"], rows)
    results: dict[Any, DagumGini] = {}
    for y in years:
        in_year = keep & (when == y).to_numpy()
        why = _usable(values[in_year], str(y), meta["column"])
        if why:
            skipped[y] = why
            continue
        left = tuple(tagged[i] for i in np.flatnonzero(rows & (when == y).to_numpy() & ~keep))
        results[y] = _one(values, code, in_year, names, draws, rng, level, left, seed, meta, y)
    if skipped:
        text = "dagum_gini: year(s) skipped: " + "; ".join(f"{y}: {r}" for y, r in skipped.items())
        if not any(has_value.get(y, True) for y in skipped):  # only years without a value
            said, column = ", ".join(map(str, skipped)), meta["column"]
            text = Note("years_no_value", text, what="dagum_gini", column=column, years=said)
        warnings.warn(text, DataWarning, stacklevel=3)
    if not results:
        reasons = "; ".join(f"{y}: {r}" for y, r in skipped.items())
        raise InputError(f"dagum_gini: no year of {year!r} can be decomposed ({reasons})")
    return DagumPanel(
        years=tuple(results),
        results=MappingProxyType(results),
        skipped=MappingProxyType(dict(sorted(skipped.items()))),
        year_column=year,
        bootstrap=draws,
        seed=seed,
        level=level,
        **meta,
    )
