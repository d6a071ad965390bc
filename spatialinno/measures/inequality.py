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
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ColumnError, DataWarning, InputError, WeightsError
from .._validate import (
    check_non_negative,
    check_seed,
    numeric_column,
    region_labels,
    require_columns,
)
from ..boundaries.regions import MUNICIPALITIES, REGION_ZH, REGIONS
from .inference import TIE_RTOL, check_permutations, folded_p, global_test

__all__ = [
    "STUDY_EXCLUDED",
    "SpatialGini",
    "Theil",
    "capital_share",
    "gini",
    "gini_by",
    "location_quotient",
    "region_summary",
    "spatial_gini",
    "theil",
]

#: Province codes the reference study leaves out of its per-province tables: the four
#: municipalities (a single prefecture-level unit each, so no within-province distribution)
#: and Tibet (540000, too few cities with data). Taiwan, Hong Kong and Macau have no data.
STUDY_EXCLUDED: tuple[str, ...] = (*MUNICIPALITIES, "540000")

# Upper bound on the temporary (chunk x pairs) float64 block of the permutation test. 2 MB keeps
# each chunk inside the CPU caches: the permutation test is memory-bound, and measured on the
# 2,891-county layer 32 MB chunks took 91 ms, 2 MB 55 ms (benchmarks/FINDINGS.md, finding 3);
# smaller chunks gain nothing more.
_CHUNK_BYTES = 2 * 2**20
# permuted G_NN values kept on the result (the first ones drawn): 0.8 MB, whatever the count
_KEEP_SIMS = 100_000

_MAX_LISTED = 10  # regions named in one message; the rest are counted


# ---------------------------------------------------------------------------------------------
# input handling
# ---------------------------------------------------------------------------------------------


def _warn_left_out(
    measure: str, what: str, idx: np.ndarray, labels: Sequence[str], stacklevel: int
) -> None:
    """DataWarning naming the units ``idx`` left out of ``measure`` for lacking ``what``.

    ``stacklevel`` is the caller's own, as it would pass it to ``warnings.warn``."""
    warnings.warn(
        f"{measure}: {idx.size} unit(s) without {what} left out: {_list_regions(labels, idx)}",
        DataWarning,
        stacklevel=stacklevel + 1,
    )


def _list_regions(labels: Sequence[str], idx: np.ndarray) -> str:
    names = ", ".join(str(labels[i]) for i in idx[:_MAX_LISTED])
    more = f" and {idx.size - _MAX_LISTED} more" if idx.size > _MAX_LISTED else ""
    return names + more


def _as_values(
    data: Any, column: str | None, what: str
) -> tuple[np.ndarray, list[str], pd.DataFrame | None, str]:
    """Values as float array, a label per value, the frame (if any) and the column's name."""
    if isinstance(data, pd.DataFrame):
        if column is None:
            numeric = [c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])]
            raise ColumnError(
                f"{what} needs column= when given a table; numeric columns: {', '.join(numeric)}"
            )
        values = numeric_column(data, column)
        return values, list(region_labels(data)), data, column
    if column is not None:
        raise InputError(
            f"column={column!r} was given but the data is a {type(data).__name__}, not a table; "
            "pass the DataFrame/GeoDataFrame itself, or drop column="
        )
    if isinstance(data, pd.Series):
        name = str(data.name) if data.name is not None else "values"
        values = numeric_column(data.to_frame(name=name), name)
        if isinstance(data.index, pd.RangeIndex):
            labels = [f"position {i}" for i in range(values.size)]
        else:
            labels = [str(i) for i in data.index]
        return values, labels, None, name
    try:
        values = np.asarray(data, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"{what} needs numbers; could not convert the input to floats ({exc})"
        ) from None
    if values.ndim != 1:
        raise InputError(f"{what} needs a 1-D sequence of values, got shape {values.shape}")
    return values, [f"position {i}" for i in range(values.size)], None, "values"


def _valid_mask(
    values: np.ndarray,
    labels: Sequence[str],
    column: str,
    measure: str,
    skip: np.ndarray | None = None,
) -> np.ndarray:
    """Boolean mask of usable values; NaN warned about, inf/negative/too few/all-zero raise.

    ``skip`` marks units already left out for another reason (no weight, no group), which
    the caller has warned about; they are not reported again as missing values.
    """
    if skip is None:
        skip = np.zeros(values.size, dtype=bool)
    inf = np.flatnonzero(np.isinf(values) & ~skip)
    if inf.size:
        raise InputError(
            f"column {column!r} is infinite at {_list_regions(labels, inf)}; "
            "fix the division that produced it or set those values to NaN"
        )
    missing = np.isnan(values) & ~skip
    if missing.any():
        idx = np.flatnonzero(missing)
        _warn_left_out(measure, f"a value in {column!r}", idx, labels, stacklevel=3)
    valid = ~missing & ~skip
    check_non_negative(np.where(valid, values, 0.0), labels, column, measure)
    if valid.sum() < 2:
        raise InputError(
            f"{measure} needs at least 2 values; column {column!r} has {int(valid.sum())} "
            "non-missing value(s)"
        )
    if not np.any(values[valid] > 0):
        raise InputError(
            f"{measure} is undefined when every value is zero (column {column!r}): the mean is 0"
        )
    return valid


def _as_weights(
    weights: Any, frame: pd.DataFrame | None, n: int, labels: Sequence[str], measure: str
) -> tuple[np.ndarray, str]:
    """Unit weights (e.g. population) as float array; a column name needs a frame."""
    if isinstance(weights, str):
        if frame is None:
            raise InputError(
                f"weights={weights!r} names a column, but the data is not a table; pass an array"
            )
        return numeric_column(frame, weights), weights
    wts = np.asarray(weights, dtype=float)
    if wts.shape != (n,):
        raise InputError(f"{measure}: weights must have one value per unit ({n}), got {wts.shape}")
    return wts, "weights"


def _weights_mask(wts: np.ndarray, labels: Sequence[str], name: str, measure: str) -> np.ndarray:
    bad = np.flatnonzero(np.isinf(wts) | (wts < 0))
    if bad.size:
        raise InputError(
            f"{measure}: weights {name!r} must be finite and non-negative; bad at "
            f"{_list_regions(labels, bad)}"
        )
    return ~np.isnan(wts)


# ---------------------------------------------------------------------------------------------
# Gini
# ---------------------------------------------------------------------------------------------


def _sum_abs_diff(x: np.ndarray, w: np.ndarray | None = None) -> tuple[float, float, float]:
    """(S, W, mean) with S = sum_i sum_j w_i w_j |x_i - x_j| over all ordered pairs, O(n log n).

    After sorting, the k-th smallest value is larger than everything before it and smaller than
    everything after it, so its contribution to the double sum is x_(k) w_(k) (W_below - W_above),
    counted twice (pair (i, j) and (j, i)). With unit weights this is 2 sum_k (2k - n - 1) x_(k).
    """
    order = np.argsort(x, kind="stable")
    xs = x[order]
    if w is None:
        n = xs.size
        k = np.arange(1, n + 1, dtype=float)
        return float(2.0 * np.sum((2.0 * k - n - 1.0) * xs)), float(n), float(xs.mean())
    ws = w[order]
    total = float(ws.sum())
    cum = np.cumsum(ws)
    below = cum - ws
    above = total - cum
    sad = float(2.0 * np.sum(ws * xs * (below - above)))
    return sad, total, float(np.sum(ws * xs) / total)


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
    x, labels, frame, name = _as_values(values, column, "gini")
    wts = None
    skip = np.zeros(x.size, dtype=bool)
    if weights is not None:
        wts, wname = _as_weights(weights, frame, x.size, labels, "Gini")
        skip = ~_weights_mask(wts, labels, wname, "Gini")
        if skip.any():
            idx = np.flatnonzero(skip)
            _warn_left_out("Gini", f"a weight in {wname!r}", idx, labels, stacklevel=2)
    valid = _valid_mask(x, labels, name, "Gini", skip)
    if wts is None:
        sad, n, mean = _sum_abs_diff(x[valid])
    else:
        w = wts[valid]
        if not np.any(w > 0):
            raise InputError("Gini: every weight is zero; nothing to measure")
        if not np.any(x[valid][w > 0] > 0):
            raise InputError(f"Gini is undefined: every weighted value of {name!r} is zero")
        sad, n, mean = _sum_abs_diff(x[valid], w)
    return sad / (2.0 * n * n * mean)


# ---------------------------------------------------------------------------------------------
# spatial Gini (Rey & Smith 2013)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpatialGini:
    """Rey–Smith spatial decomposition of the Gini coefficient, with a permutation test.

    ``gini = neighbor + nonneighbor`` where

    .. math::

        G_N = \\frac{\\sum_i \\sum_j w_{ij} |x_i - x_j|}{2 n^2 \\bar{x}}, \\quad
        G_{NN} = \\frac{\\sum_i \\sum_j (1 - w_{ij}) |x_i - x_j|}{2 n^2 \\bar{x}}

    with binary weights :math:`w_{ij}` (1 for neighbours). If neighbours are more alike than
    chance, :math:`G_{NN}` is larger than under random relabelling of the units.

    Attributes
    ----------
    gini : float
        :math:`G`, the Gini coefficient (unitless).
    neighbor : float
        :math:`G_N`, the part of :math:`G` from neighbouring pairs.
    nonneighbor : float
        :math:`G_{NN}`, the part from non-neighbouring pairs (``inequality``'s ``wcg_share``).
    wg, wcg : float
        The same two parts as sums of absolute differences over ordered pairs, in the unit of the
        values (``inequality.Gini_Spatial.wg`` / ``.wcg``).
    polarization : float
        :math:`(wcg / wg)\\,(n_N / n_{NN})` with :math:`n_N`, :math:`n_{NN}` the numbers of
        neighbouring and non-neighbouring pairs: the mean non-neighbour difference over the mean
        neighbour difference; 1 when neighbourhood does not matter.
    p_value : float
        Folded pseudo p-value, a tie counting on both sides:
        ``(min(#{wcg* >= wcg}, #{wcg* <= wcg}) + 1) / (permutations + 1)``, i.e. the count in
        the smaller tail of the permutation distribution of :math:`wcg`; one-sided in the
        direction the observed value falls, not doubled. Without ties it is
        ``inequality.Gini_Spatial.p_sim``, which counts ties on the far side only (so a constant
        column got p = 0.001). With n! <= permutations every ordering is enumerated and
        ``p_value = min(#{>=}, #{<=}) / n!`` is exact. NaN without permutations, and NaN with a
        ``note`` when every permutation gives the observed value (e.g. a constant column).
    p_greater : float
        One-sided pseudo p-value for "neighbours are more alike than chance":
        ``(#{wcg* >= wcg} + 1) / (permutations + 1)`` (exact: ``#{>=} / n!``).
    expected_nonneighbor : float
        Mean of :math:`G_{NN}` over the permutations (``inequality``'s ``e_wcg / den``).
    z : float
        :math:`(wcg - E[wcg^*]) / sd(wcg^*)` (``inequality``'s ``z_wcg``; population sd).
    permutations, seed, n : int
        Permutations drawn (or orderings enumerated), the seed used (None if a Generator or no
        seed) and number of units used (after leaving out missing values).
    n_neighbor_pairs : float
        Neighbouring unordered pairs (directed links / 2).
    nonneighbor_sim : numpy.ndarray
        :math:`G_{NN}` of each permutation, the first 100,000 when more were drawn (not shown in
        the repr).
    note : str
        Why there is no p-value, or that it is exact (empty otherwise; not in ``to_frame``).
    """

    gini: float
    neighbor: float
    nonneighbor: float
    wg: float
    wcg: float
    polarization: float
    p_value: float
    p_greater: float
    expected_nonneighbor: float
    z: float
    permutations: int
    seed: int | None
    n: int
    n_neighbor_pairs: float
    nonneighbor_sim: np.ndarray = field(repr=False, compare=False)
    note: str = ""

    def __repr__(self) -> str:
        share = self.nonneighbor / self.gini if self.gini else float("nan")
        test = (
            f"p_value={self.p_value:.4g}, p_greater={self.p_greater:.4g} "
            f"({self.permutations} permutations, seed={self.seed})"
            if self.permutations
            else "no permutation test"
        )
        if self.note:
            test += f"; {self.note}"
        return (
            f"SpatialGini(n={self.n}, G={self.gini:.4f} = neighbor G_N {self.neighbor:.4f} + "
            f"nonneighbor G_NN {self.nonneighbor:.4f} ({share:.1%}), "
            f"E[G_NN]={self.expected_nonneighbor:.4f}, z={self.z:.3f}, {test})"
        )

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the scalar fields (the permutation values are left out)."""
        row = {k: v for k, v in asdict(self).items() if k not in ("nonneighbor_sim", "note")}
        return pd.DataFrame([row])


def _default_queen(frame: pd.DataFrame | None) -> Any:
    import geopandas as gpd

    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(
            "spatial_gini needs spatial weights: pass w= (a libpysal Graph or W aligned by "
            "position with the values), or pass a GeoDataFrame so queen contiguity can be built"
        )
    try:  # the package's own weights (island policy, checks) when that module is installed
        from .weights import spatial_weights
    except ImportError:
        spatial_weights = None
    if spatial_weights is not None:
        # islands stay without neighbours: in the Rey–Smith split an island simply forms only
        # non-neighbour pairs, so linking it to a "nearest" unit would invent neighbour pairs
        return spatial_weights(frame, kind="queen", islands="keep")
    # vertex-based queen contiguity (strict=False): keeps the 连云港/日照 pair that a
    # "touches"-based test drops because of a 0.27 km² overlap (see DESIGN.md).
    from libpysal.graph import Graph

    return Graph.build_contiguity(frame.geometry.reset_index(drop=True), rook=False)


def _neighbor_sad(
    xp: np.ndarray, focal: np.ndarray, neigh: np.ndarray, factor: float
) -> np.ndarray:
    """Sum of |x_i - x_j| over the neighbour links for each row of ``xp`` (rows = permutations)."""
    # np.take + in-place ufuncs: one temporary instead of four, about 3x faster than fancy indexing
    a = np.take(xp, focal, axis=1)
    np.subtract(a, np.take(xp, neigh, axis=1), out=a)
    np.abs(a, out=a)
    return factor * a.sum(axis=1)


def spatial_gini(
    gdf_or_values: Any,
    column: str | None = None,
    w: Any = None,
    permutations: int = 999,
    seed: int | np.random.Generator | None = None,
) -> SpatialGini:
    """Rey–Smith spatial Gini: split G into neighbour and non-neighbour parts, test by permutation.

    .. math::

        G = \\underbrace{\\frac{\\sum_i\\sum_j w_{ij}|x_i - x_j|}{2n^2\\bar{x}}}_{G_N}
          + \\underbrace{\\frac{\\sum_i\\sum_j (1-w_{ij})|x_i - x_j|}{2n^2\\bar{x}}}_{G_{NN}}

    :math:`w_{ij}` is 1 when :math:`j` is a neighbour of :math:`i` (any non-zero weight counts
    as a neighbour, so row-standardised weights give the same result as binary ones; self links
    are ignored). Under the null of no spatial structure the values are randomly relabelled
    ``permutations`` times and :math:`G_{NN}` recomputed; neighbours more alike than chance make
    the observed :math:`G_{NN}` large. Same results as ``inequality.gini.Gini_Spatial`` (``g``,
    ``wg``, ``wcg``; and ``p_sim`` given the same permutations and no ties) but values are
    aligned with the weights *by position* (row k of the data is unit k of ``w``, whatever its
    ids; ``w`` is checked against the frame, see :func:`spatialinno.spatial_weights`), a tie
    counts on both sides of the folded p-value, there is a ``seed=``, and the permutations are
    vectorised with numpy in memory-bounded chunks (about 100x faster on the 2,891 counties)
    with only running counts kept (:mod:`spatialinno.measures.inference`).

    Parameters
    ----------
    gdf_or_values : GeoDataFrame, DataFrame, pandas.Series or array-like
        Non-negative values, one per unit.
    column : str, optional
        Column to use when the first argument is a table.
    w : libpysal.graph.Graph or libpysal.weights.W, optional
        Spatial weights aligned by position with the rows, and checked against the frame when
        one is given (a graph built for another row order or other regions is refused).
        Default: vertex-based queen
        contiguity of the GeoDataFrame's polygons with islands kept as islands
        (``si.spatial_weights(gdf, "queen", islands="keep")``). Required for plain values.
    permutations : int, default 999
        Random relabellings for the pseudo p-value; 0 skips the test. With n! <= permutations
        every ordering is enumerated (exact p); a count that would run for more than a few
        minutes is refused with the largest useful count.
    seed : int or numpy.random.Generator, optional
        Seed of the permutations.

    Returns
    -------
    SpatialGini
        ``gini``, ``neighbor``, ``nonneighbor``, ``p_value`` (the folded p of ``inequality``),
        ``p_greater`` (one-sided) ... see :class:`SpatialGini`.

    Raises
    ------
    WeightsError
        Weights of another size, built on other rows or the same rows in another order, whose
        ids are the frame's index/codes in another order, or without any neighbour pair.
    InputError
        Negative values, all zero, fewer than 2 values, plain values without ``w``. Missing values
        are left out (with their links) and listed in a :class:`~spatialinno.DataWarning`.

    References
    ----------
    Rey, S. J. & Smith, R. J. (2013). A spatial decomposition of the Gini coefficient.
    Letters in Spatial and Resource Sciences 6:55-70.

    Examples
    --------
    Four units on a line; neighbours (1-2, 2-3, 3-4) are alike, the ends are not:

    >>> import spatialinno as si
    >>> from libpysal.graph import Graph
    >>> line = Graph.from_arrays([0, 1, 1, 2, 2, 3], [1, 0, 2, 1, 3, 2], [1] * 6)
    >>> sg = si.spatial_gini([1, 2, 3, 4], w=line, permutations=99, seed=0)
    >>> sg.gini, sg.neighbor, sg.nonneighbor
    (0.25, 0.075, 0.175)
    >>> round(sg.neighbor + sg.nonneighbor - sg.gini, 12)
    0.0
    """
    from .alignment import _aligned

    x, labels, frame, name = _as_values(gdf_or_values, column, "spatial_gini")
    check_permutations(permutations)
    rng = check_seed(seed)
    # the default is built from these very rows; any w is checked against the frame
    graph = _default_queen(frame) if w is None else w
    positions, adj = _aligned(graph, x.size, frame, noun="data" if frame is None else "frame")

    valid = _valid_mask(x, labels, name, "spatial Gini")
    coo = adj.tocoo()
    links = (coo.data != 0) & (coo.row != coo.col)
    # graph order -> data positions (a graph built with islands="drop" covers fewer rows)
    focal = positions[coo.row[links]].astype(np.intp)
    neigh = positions[coo.col[links]].astype(np.intp)
    if not valid.all():
        # drop the missing units and their links, then renumber the rest 0..m-1
        keep = valid[focal] & valid[neigh]
        focal, neigh = focal[keep], neigh[keep]
        newpos = np.cumsum(valid) - 1
        focal, neigh = newpos[focal], newpos[neigh]
        x = x[valid]
    n = x.size
    n_links = focal.size
    if n_links == 0:
        raise WeightsError(
            "the weights have no neighbour pair among the units with data, so the neighbour part "
            "of the spatial Gini is empty; use weights that connect units (e.g. k-nearest)"
        )
    # With symmetric weights every unordered pair appears twice; summing each pair once and
    # doubling halves the work of the permutation loop.
    pairs = set(zip(focal.tolist(), neigh.tolist(), strict=True))
    symmetric = all((j, i) in pairs for i, j in pairs)
    if symmetric:
        once = focal < neigh
        f_use, n_use, factor = focal[once], neigh[once], 2.0
    else:
        f_use, n_use, factor = focal, neigh, 1.0

    sad, _, mean = _sum_abs_diff(x)
    den = 2.0 * n * n * mean
    # observed neighbour sum through the same routine as the permuted ones, so an exact tie
    # between an observed and a permuted value compares equal (as in inequality's loop)
    wg = float(_neighbor_sad(x[None, :], f_use, n_use, factor)[0])
    wcg = sad - wg
    n_pairs = n * (n - 1) / 2.0
    n_n_pairs = n_links / 2.0
    n_d_pairs = n_pairs - n_n_pairs
    scale = n_n_pairs / n_d_pairs if n_d_pairs > 0 else float("nan")
    polarization = (wcg / wg) * scale if wg > 0 else float("inf") if wcg > 0 else float("nan")

    wcg_sim = np.empty(0)
    p_value = p_greater = e_wcg = z = float("nan")
    note = ""
    if permutations:

        def nonneighbor_sums(xp: np.ndarray) -> np.ndarray:  # rows of xp: arrangements of x
            return sad - _neighbor_sad(xp, f_use, n_use, factor)

        test = global_test(
            nonneighbor_sums, x, wcg, int(permutations), rng, scale=sad,
            work_per_draw=n + f_use.size, keep=_KEEP_SIMS, what="spatial_gini",
            chunk=max(1, _CHUNK_BYTES // (8 * max(f_use.size, n))),
        )  # fmt: skip
        wcg_sim, note = test.kept, test.note
        p_value, p_greater, e_wcg = test.p, test.p_greater, test.mean
        z = (wcg - e_wcg) / test.sd if test.sd > 0 else float("nan")
        permutations = test.count
    return SpatialGini(
        gini=sad / den,
        neighbor=wg / den,
        nonneighbor=wcg / den,
        wg=wg,
        wcg=wcg,
        polarization=float(polarization),
        p_value=p_value,
        p_greater=p_greater,
        expected_nonneighbor=e_wcg / den,
        z=z,
        permutations=int(permutations),
        seed=int(seed) if isinstance(seed, (int, np.integer)) else None,
        n=int(n),
        n_neighbor_pairs=n_n_pairs,
        nonneighbor_sim=wcg_sim / den,
        note=note,
    )


def _permuted_wg(
    x: np.ndarray, focal: np.ndarray, neigh: np.ndarray, factor: float, permutations: np.ndarray
) -> np.ndarray:
    """Neighbour sums of absolute differences for given (P, n) index permutations, chunked.

    The tests replay inequality's own draws through it; :func:`spatial_gini` itself draws through
    :func:`spatialinno.measures.inference.global_test` with the same kernel, :func:`_neighbor_sad`.
    """
    total = permutations.shape[0]
    chunk = max(1, min(total, _CHUNK_BYTES // (8 * max(focal.size, x.size))))
    out = np.empty(total)
    for start in range(0, total, chunk):
        stop = min(total, start + chunk)
        out[start:stop] = _neighbor_sad(x[permutations[start:stop]], focal, neigh, factor)
    return out


def _permutation_summary(wcg: float, wcg_sim: np.ndarray) -> tuple[float, float, float, float]:
    """(folded p, one-sided p, mean, z) of given permuted values, ties on both sides.

    Without ties the folded p is inequality's ``p_sim``; see :func:`spatialinno.measures.inference.folded_p`.
    """
    p = wcg_sim.size
    tol = TIE_RTOL * max(abs(wcg), float(np.abs(wcg_sim).max(initial=0.0)))
    larger = int(np.sum(wcg_sim >= wcg - tol))
    smaller = int(np.sum(wcg_sim <= wcg + tol))
    folded = float(folded_p(larger, smaller, p))
    e = float(wcg_sim.mean())
    sd = float(wcg_sim.std())
    z = (wcg - e) / sd if sd > 0 else float("nan")
    greater = float("nan") if np.isnan(folded) else (larger + 1.0) / (p + 1.0)
    return folded, greater, e, z


# ---------------------------------------------------------------------------------------------
# per-group Gini and capital share
# ---------------------------------------------------------------------------------------------


def _resolve_exclude(exclude: Any, by: str) -> set[str]:
    if exclude is None:
        return set()
    if isinstance(exclude, str):
        if exclude != "study":
            raise InputError(
                f"exclude must be 'study', None or a list of {by} values, not {exclude!r}"
            )
        return set(STUDY_EXCLUDED) if by == "province_code" else set()
    return {str(e) for e in exclude}


def _exclusion_note(code: str) -> str:
    kind = "municipality" if code in MUNICIPALITIES else "Tibet" if code == "540000" else "listed"
    return f"excluded ({kind}; study convention, pass exclude=None to include)"


def _group_frame(
    gdf: pd.DataFrame, columns: str | Iterable[str], by: str, measure: str
) -> tuple[list[str], dict[str, np.ndarray], pd.Series, list[str]]:
    """Checked columns, their float values, the group key per row (as str) and row labels."""
    if not isinstance(gdf, pd.DataFrame):
        raise InputError(f"{measure} needs a DataFrame/GeoDataFrame, not {type(gdf).__name__}")
    cols = require_columns(gdf, columns, "table")
    if not cols:
        raise InputError(f"{measure} needs at least one column")
    require_columns(gdf, by, "table")
    labels = list(region_labels(gdf))
    values = {c: numeric_column(gdf, c) for c in cols}
    for c, v in values.items():
        check_non_negative(np.where(np.isnan(v), 0.0, v), labels, c, measure)
        inf = np.flatnonzero(np.isinf(v))
        if inf.size:
            raise InputError(
                f"column {c!r} is infinite at {_list_regions(labels, inf)}; set those to NaN"
            )
    key = gdf[by]
    nokey = key.isna().to_numpy()
    if nokey.any():
        idx = np.flatnonzero(nokey)
        _warn_left_out(measure, f"a {by!r}", idx, labels, stacklevel=3)
    return cols, values, key.astype("string").where(~nokey), labels


def _warn_missing(
    values: dict[str, np.ndarray], rows: np.ndarray, labels: Sequence[str], measure: str
) -> None:
    for c, v in values.items():
        idx = rows[np.isnan(v[rows])]
        if idx.size:
            _warn_left_out(measure, f"a value in {c!r}", idx, labels, stacklevel=3)


def _group_name(gdf: pd.DataFrame, rows: np.ndarray, by: str) -> Any:
    if by == "province_code" and "province" in gdf.columns:
        return gdf["province"].iloc[rows[0]]
    return pd.NA


def _finish_table(records: list[dict[str, Any]], by: str, cols: list[str]) -> pd.DataFrame:
    table = pd.DataFrame.from_records(records)
    if table.empty:
        table = pd.DataFrame(columns=[by, "province", "n_units", *cols, "mean", "note"])
    table = table.set_index(by).sort_index()
    table["n_units"] = table["n_units"].astype(int)
    for c in [*cols, "mean"]:
        table[c] = table[c].astype(float)
    return table


def gini_by(
    gdf: pd.DataFrame,
    columns: str | Sequence[str],
    by: str = "province_code",
    exclude: str | Iterable[str] | None = "study",
) -> pd.DataFrame:
    """Gini across the units of each group (e.g. the cities of each province), per column + mean.

    For group :math:`g` with units :math:`i \\in g` (:math:`n_g` of them) and each column,
    :math:`G_g = \\sum_{i,j \\in g} |x_i - x_j| / (2 n_g^2 \\bar{x}_g)`; ``mean`` is the
    unweighted mean of the columns' Gini (the study's "Gini 1" over its 8 indicators).

    Parameters
    ----------
    gdf : DataFrame or GeoDataFrame
        Typically the prefecture layer joined with indicators (``si.join_indicators``); uses
        ``by``, and ``province``/``name``/``code`` for labels when present.
    columns : str or list of str
        Non-negative indicator columns.
    by : str, default "province_code"
        Group column.
    exclude : "study", None or list of group values, default "study"
        ``"study"`` leaves out the four municipalities and Tibet (the reference study's 26
        provinces) when grouping by ``province_code``; None keeps every group.

    Returns
    -------
    pandas.DataFrame
        Indexed by group: ``province`` (name, when grouping by province), ``n_units`` (units in
        the group), one Gini column per input column, ``mean`` (NaN unless every column has a
        value) and ``note`` (why a value is NaN, units without data). Groups with fewer than 2
        units with data, or all zero, give NaN with a note; excluded groups stay in the table
        with NaN and a note.

    Raises
    ------
    ColumnError
        Missing columns. InputError: negative or infinite values (regions named). Units with
        missing values or without a group are left out with a :class:`~spatialinno.DataWarning`.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> cities = pd.DataFrame({
    ...     "province_code": ["A", "A", "A", "A", "B"],
    ...     "staff": [1.0, 2.0, 3.0, 4.0, 5.0],
    ...     "patents": [0.0, 0.0, 0.0, 8.0, 1.0],
    ... })
    >>> t = si.gini_by(cities, ["staff", "patents"])
    >>> t[["n_units", "staff", "patents", "mean"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
                   n_units  staff  patents  mean
    province_code
    A                    4   0.25     0.75   0.5
    B                    1    NaN      NaN   NaN
    >>> t.loc["B", "note"]
    'fewer than 2 units'
    """
    cols, values, key, labels = _group_frame(gdf, columns, by, "gini_by")
    excluded = _resolve_exclude(exclude, by)
    groups = _groups(key)
    # one warning per column for all groups used (not one per group): excluded groups' gaps
    # do not matter
    used = [rows for code, rows in groups if code not in excluded]
    _warn_missing(values, np.concatenate(used) if used else np.array([], int), labels, "gini_by")
    records: list[dict[str, Any]] = []
    for code, rows in groups:
        rec: dict[str, Any] = {by: code, "province": _group_name(gdf, rows, by)}
        rec["n_units"] = rows.size
        notes: list[str] = []
        if code in excluded:
            rec.update(dict.fromkeys(cols, np.nan))
            notes.append(_exclusion_note(code))
        elif rows.size < 2:
            rec.update(dict.fromkeys(cols, np.nan))
            notes.append("fewer than 2 units")
        else:
            for c in cols:
                v = values[c][rows]
                ok = v[~np.isnan(v)]
                if ok.size < v.size:
                    notes.append(f"{c}: {v.size - ok.size} unit(s) without data left out")
                if ok.size < 2:
                    rec[c] = np.nan
                    notes.append(f"{c}: fewer than 2 units with data")
                elif not np.any(ok > 0):
                    rec[c] = np.nan
                    notes.append(f"{c}: all values zero")
                else:
                    sad, n, mean = _sum_abs_diff(ok)
                    rec[c] = sad / (2.0 * n * n * mean)
        rec["mean"] = _mean_all(rec, cols)
        rec["note"] = "; ".join(dict.fromkeys(notes)) if notes else pd.NA
        records.append(rec)
    return _finish_table(records, by, cols)


def _groups(key: pd.Series) -> list[tuple[str, np.ndarray]]:
    # positional row indices per group; rows without a group (NA) are dropped by groupby
    indices = key.reset_index(drop=True).groupby(key.to_numpy(), sort=True).indices
    return [(str(code), np.asarray(rows)) for code, rows in indices.items()]


def _mean_all(rec: dict[str, Any], cols: list[str]) -> float:
    vals = [rec[c] for c in cols]
    # the study's average is over all indicators; a mean over a subset would not be comparable
    return float(np.mean(vals)) if not any(math.isnan(v) for v in vals) else np.nan


def capital_share(
    gdf: pd.DataFrame,
    columns: str | Sequence[str],
    by: str = "province_code",
    exclude: str | Iterable[str] | None = "study",
    capital: str = "is_capital",
) -> pd.DataFrame:
    """The capital's share of its group's total (省会首位度 / capital effect), per column + mean.

    .. math::

        s_g = \\frac{x_{c(g)}}{\\sum_{i \\in g} x_i}

    where :math:`c(g)` is the unit flagged as capital in group :math:`g` (unitless, 0–1);
    ``mean`` is the unweighted mean over the columns (the study's "capital share").

    Parameters
    ----------
    gdf : DataFrame or GeoDataFrame
        Prefecture layer joined with indicators; needs ``by`` and the boolean ``capital`` column
        (``is_capital`` of :func:`spatialinno.load_boundaries`).
    columns : str or list of str
        Non-negative indicator columns (totals, not per-capita figures: a share of a sum).
    by : str, default "province_code"
    exclude : "study", None or list of group values, default "study"
        As in :func:`gini_by`: municipalities and Tibet are left out by default.
    capital : str, default "is_capital"
        Boolean column flagging the capital unit of each group.

    Returns
    -------
    pandas.DataFrame
        Indexed by group: ``province``, ``capital`` (its name), ``n_units``, one share column per
        input column, ``mean`` and ``note``. NaN with a note for groups without a capital unit,
        with fewer than 2 units, where the capital has no value or the total is zero. Units with
        missing values are left out of the total with a :class:`~spatialinno.DataWarning` (the
        share is then overstated; the note says so).

    Raises
    ------
    ColumnError
        Missing columns. InputError: negative or infinite values, a group with two capitals.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> cities = pd.DataFrame({
    ...     "province_code": ["A", "A", "A", "B", "B"],
    ...     "name": ["a1", "a2", "a3", "b1", "b2"],
    ...     "is_capital": [True, False, False, False, False],
    ...     "patents": [60.0, 30.0, 10.0, 5.0, 5.0],
    ... })
    >>> t = si.capital_share(cities, "patents")
    >>> t[["capital", "n_units", "patents"]]  # doctest: +NORMALIZE_WHITESPACE
                  capital  n_units  patents
    province_code
    A                  a1        3      0.6
    B                 NaN        2      NaN
    >>> t.loc["B", "note"]
    'no capital unit'
    """
    cols, values, key, labels = _group_frame(gdf, columns, by, "capital_share")
    require_columns(gdf, capital, "table")
    flag = gdf[capital]
    if not (pd.api.types.is_bool_dtype(flag) or flag.isna().all()):
        uniq = set(flag.dropna().unique().tolist())
        if not uniq <= {0, 1}:  # True == 1, False == 0
            raise InputError(
                f"column {capital!r} must be boolean (True for the capital unit), found values "
                f"{sorted(map(str, uniq))[:5]}"
            )
    is_cap = flag.fillna(False).astype(bool).to_numpy()
    names = gdf["name"].astype(str).to_numpy() if "name" in gdf.columns else np.array(labels)
    excluded = _resolve_exclude(exclude, by)
    groups = _groups(key)
    used = [rows for code, rows in groups if code not in excluded and rows.size > 1]
    _warn_missing(
        values, np.concatenate(used) if used else np.array([], int), labels, "capital_share"
    )
    records: list[dict[str, Any]] = []
    for code, rows in groups:
        caps = rows[is_cap[rows]]
        if caps.size > 1:
            raise InputError(
                f"group {code!r} has {caps.size} capital units ({_list_regions(labels, caps)}); "
                f"fix the {capital!r} column so each group flags at most one"
            )
        rec: dict[str, Any] = {by: code, "province": _group_name(gdf, rows, by)}
        rec["capital"] = names[caps[0]] if caps.size else pd.NA
        rec["n_units"] = rows.size
        notes: list[str] = []
        if code in excluded:
            rec.update(dict.fromkeys(cols, np.nan))
            notes.append(_exclusion_note(code))
        elif caps.size == 0:
            rec.update(dict.fromkeys(cols, np.nan))
            notes.append("no capital unit")
        elif rows.size < 2:
            rec.update(dict.fromkeys(cols, np.nan))
            notes.append("fewer than 2 units")
        else:
            for c in cols:
                v = values[c][rows]
                cap_v = values[c][caps[0]]
                total = np.nansum(v)
                if np.isnan(cap_v):
                    rec[c] = np.nan
                    notes.append(f"{c}: capital has no value")
                elif np.count_nonzero(~np.isnan(v)) < 2:
                    # the capital alone would trivially hold 100 % of a "total" of one unit
                    rec[c] = np.nan
                    notes.append(f"{c}: fewer than 2 units with data")
                elif total == 0:
                    rec[c] = np.nan
                    notes.append(f"{c}: total is zero")
                else:
                    rec[c] = cap_v / total
                    miss = int(np.isnan(v).sum())
                    if miss:
                        notes.append(
                            f"{c}: {miss} unit(s) without data left out of the total "
                            "(share overstated)"
                        )
        rec["mean"] = _mean_all(rec, cols)
        rec["note"] = "; ".join(dict.fromkeys(notes)) if notes else pd.NA
        records.append(rec)
    table = _finish_table(records, by, cols)
    return table[["province", "capital", "n_units", *cols, "mean", "note"]]


# ---------------------------------------------------------------------------------------------
# Theil
# ---------------------------------------------------------------------------------------------


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
        pmask = _weights_mask(p, labels, weights, "Theil")
        if not pmask.all():
            idx = np.flatnonzero(~pmask)
            _warn_left_out("Theil", f"a weight in {weights!r}", idx, labels, stacklevel=2)
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
                _warn_left_out("Theil", f"a group in {groups!r}", idx, labels, stacklevel=2)
            drop |= nogroup
        gkey = g.astype("string").to_numpy(dtype=object)
    else:
        gkey = np.full(x.size, "all", dtype=object)
    valid = _valid_mask(x, labels, column, "Theil", drop)
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
    table = pd.DataFrame(rows).set_index("group")
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


# ---------------------------------------------------------------------------------------------
# location quotient and regional means
# ---------------------------------------------------------------------------------------------


def location_quotient(gdf: pd.DataFrame, column: str, base: str) -> pd.Series:
    """Location quotient: a unit's share of the indicator over its share of the base.

    .. math::

        LQ_i = \\frac{x_i / X}{b_i / B}, \\quad X = \\sum_i x_i,\\ B = \\sum_i b_i

    e.g. ``column="rd_staff"``, ``base="population"``: LQ > 1 means the unit holds more R&D staff
    than its population share (unitless). Totals are over the units that have both values.

    Parameters
    ----------
    gdf : DataFrame or GeoDataFrame
    column, base : str
        Non-negative columns; ``base`` must be positive where ``column`` has a value.

    Returns
    -------
    pandas.Series
        ``lq_<column>``, aligned with ``gdf`` (NaN where a value or the base is missing, listed in
        a :class:`~spatialinno.DataWarning`).

    Raises
    ------
    ColumnError, InputError
        Missing columns; negative or infinite values; a zero base (regions named); all zero.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> df = pd.DataFrame({"staff": [30.0, 10.0], "population": [50.0, 50.0]})
    >>> si.location_quotient(df, "staff", base="population").tolist()
    [1.5, 0.5]
    """
    if not isinstance(gdf, pd.DataFrame):
        raise InputError(f"location_quotient needs a DataFrame, not {type(gdf).__name__}")
    require_columns(gdf, [column, base], "table")
    labels = list(region_labels(gdf))
    x = numeric_column(gdf, column)
    b = numeric_column(gdf, base)
    both = np.where(np.isnan(b), np.nan, x)
    valid = _valid_mask(both, labels, f"{column}/{base}", "location quotient")
    check_non_negative(np.where(valid, b, 0.0), labels, base, "location quotient")
    zero = np.flatnonzero(valid & (b == 0))
    if zero.size:
        raise InputError(
            f"location quotient: base {base!r} is zero at {_list_regions(labels, zero)}; the "
            "share of nothing is undefined -- drop those units or use another base"
        )
    inf = np.flatnonzero(np.isinf(b))
    if inf.size:
        raise InputError(f"column {base!r} is infinite at {_list_regions(labels, inf)}")
    lq = np.full(x.size, np.nan)
    lq[valid] = (x[valid] / x[valid].sum()) / (b[valid] / b[valid].sum())
    return pd.Series(lq, index=gdf.index, name=f"lq_{column}")


def region_summary(
    frame: pd.DataFrame, columns: str | Sequence[str], by: str = "region"
) -> pd.DataFrame:
    """Mean of each column by region (the "coastal lead": East/Central/West/Northeast).

    Parameters
    ----------
    frame : DataFrame or GeoDataFrame
        Needs ``by`` (``region`` of the boundary layers / ``si.provinces()``) and ``columns``.
    columns : str or list of str
        Numeric columns to average (unweighted mean over units with a value).
    by : str, default "region"
        Group column. With ``"region"`` the rows follow the NBS order east, central, west,
        northeast and a ``region_zh`` column is added.

    Returns
    -------
    pandas.DataFrame
        Indexed by group: ``n_units`` then the mean of each column. Units with missing values or
        without a group are left out of the means and listed in a
        :class:`~spatialinno.DataWarning`.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> df = pd.DataFrame({"region": ["east", "east", "west"], "gini": [0.4, 0.6, 0.7]})
    >>> si.region_summary(df, "gini")  # doctest: +NORMALIZE_WHITESPACE
           region_zh  n_units  gini
    region
    east          东部        2   0.5
    west          西部        1   0.7
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"region_summary needs a DataFrame, not {type(frame).__name__}")
    cols = require_columns(frame, columns, "table")
    require_columns(frame, by, "table")
    labels = list(region_labels(frame))
    values = {c: numeric_column(frame, c) for c in cols}
    key = frame[by]
    nokey = key.isna().to_numpy()
    if nokey.any():
        idx = np.flatnonzero(nokey)
        _warn_left_out("region_summary", f"a {by!r}", idx, labels, stacklevel=2)
    present = np.flatnonzero(~nokey)
    _warn_missing(values, present, labels, "region_summary")
    data = pd.DataFrame({c: values[c] for c in cols}, index=frame.index)
    data[by] = key
    data = data[~nokey]
    grouped = data.groupby(by, sort=True)
    table = grouped[cols].mean()
    table.insert(0, "n_units", grouped.size())
    if by == "region":
        order = [r for r in REGIONS if r in table.index]
        order += [r for r in table.index if r not in REGIONS]
        table = table.loc[order]
        table.insert(0, "region_zh", [REGION_ZH.get(r, pd.NA) for r in table.index])
    return table
