"""Spatial autocorrelation: Moran's I, Geary's C, bivariate Moran, LISA clusters, Getis–Ord Gi*.

The statistics are computed here with numpy/scipy (and cross-checked in the tests against esda and
R spdep 1.2-7, which they match to 1e-9 or better). They are wrapped around the known pitfalls of
the usual tools:

- regions with a missing value are dropped **with their links** and the statistic is computed on the
  rest, so one NaN never changes anyone else's result (esda turns every unit into an LL cluster);
- islands (no neighbour in ``w``) are labelled ``isolated`` and never significant (esda gives them
  the smallest pseudo p-value);
- LISA quadrant labels follow the Moran scatterplot (esda's ``geoda_quads=True`` swaps LL and LH);
- Gi* z-scores use the Getis–Ord (1995) moments for the weights actually used, so they are right for
  row-standardised weights too (esda's ``G_Local(star=True)`` applies the binary-weight variance);
- permutation inference (:mod:`spatialinno.measures.inference`) counts a tied permutation as at least as
  extreme on both sides (esda and GeoDa put ties on the far side, so a region whose neighbours
  are all zeros is "significant"), enumerates the null distribution exactly when it is small,
  says when a statistic cannot be tested, uses a seeded :class:`numpy.random.Generator`
  (``seed=``), runs in-process in bounded memory, and ``permutations="auto"`` gives a
  multiple-testing correction enough draws to be able to reject.

Every ``w=`` is a libpysal ``Graph`` or ``W`` aligned by position with the frame, and checked
against it: a graph from :func:`spatialinno.spatial_weights` must meet the frame it was built on
(same codes in the same order), a user graph whose ids are the frame's codes or index must list
them in the frame's order (see :mod:`spatialinno.measures.weights`); a mismatch is a
:class:`~spatialinno.WeightsError` naming the first rows that differ, never a silent result.
``None`` builds queen contiguity with islands attached to their nearest neighbour.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._errors import DataWarning, InputError, WeightsError
from .._validate import check_seed, numeric_column, region_labels, require_columns
from .alignment import _aligned
from .inference import (
    CORRECTIONS,
    GlobalTest,
    check_alpha_correction,
    check_permutations,
    conditional_test,
    global_test,
    resolve_permutations,
    significant,
    threshold,
)
from .results import GI_LEVELS, LISA_LABELS, QUADRANT_LABELS
from .weights import _transformed

if TYPE_CHECKING:
    import geopandas as gpd
    import scipy.sparse as sp

__all__ = [
    "CORRECTIONS",
    "LISA_LABELS",
    "BivariateMoran",
    "Geary",
    "Moran",
    "bivariate_moran",
    "geary",
    "hotspots",
    "lisa",
    "moran",
    "moran_by_year",
]

# the permutation count rule lives in spatialinno.measures.inference; the old private name is kept
_resolve_permutations = resolve_permutations


# ---------------------------------------------------------------------------------------------
# result objects
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Result:
    def to_frame(self) -> pd.DataFrame:
        """The statistic as a one-row DataFrame (columns = field names except the text ``note``)."""
        row = asdict(self)
        row["missing"] = ", ".join(row["missing"])
        row.pop("note", None)
        return pd.DataFrame([row])

    def _note_repr(self) -> str:
        return f", note={self.note!r}" if getattr(self, "note", "") else ""


@dataclass(frozen=True)
class Moran(_Result):
    """Global Moran's I with analytic (randomisation) and permutation inference.

    Attributes
    ----------
    I : float
        Moran's I = (n / S0) * sum_ij w_ij z_i z_j / sum_i z_i², z = x - mean(x).
    EI : float
        Expectation under the null, -1 / (n - 1).
    VI : float
        Variance under randomisation (Cliff & Ord 1981, eq. 1.38 with kurtosis).
    z : float
        (I - EI) / sqrt(VI).
    p_norm : float
        Two-sided p-value of ``z`` under the normal approximation.
    p_sim : float
        Pseudo p-value from ``permutations`` random permutations, one-sided in the direction of
        the observed I, a tie counting on both sides:
        (min(#{I_sim >= I}, #{I_sim <= I}) + 1) / (permutations + 1). With n! <= permutations
        every ordering is enumerated and p_sim = min(#{I_sim >= I}, #{I_sim <= I}) / n! is exact.
        NaN without permutations, or when every permutation gives the observed I (see ``note``).
    EI_sim : float
        Mean of the permuted I (NaN without permutations).
    n : int
        Units used (rows with a missing value and rows outside ``w`` are not counted).
    permutations, seed : int, int or None
        Permutations drawn (or orderings enumerated) and seed.
    column, transform : str
        Variable and weights transformation ("R" row-standardised, "B" binary, "O" as given).
    missing : tuple of str
        Regions left out because the value is missing.
    note : str
        How ``p_sim`` was obtained when it is exact, or why there is none (not in ``to_frame``).
    """

    I: float  # noqa: E741 - the statistic's notation
    EI: float
    VI: float
    z: float
    p_norm: float
    p_sim: float
    EI_sim: float
    n: int
    permutations: int
    seed: int | None
    column: str
    transform: str
    missing: tuple[str, ...] = field(default=())
    note: str = ""

    def __repr__(self) -> str:
        sim = f", p_sim={self.p_sim:.4g} ({self.permutations} perm.)" if self.permutations else ""
        return (
            f"Moran(column={self.column!r}, n={self.n}, I={self.I:.4f}, EI={self.EI:.4f}, "
            f"z={self.z:.3f}, p_norm={self.p_norm:.4g}{sim}{self._note_repr()})"
        )


@dataclass(frozen=True)
class Geary(_Result):
    """Global Geary's C with analytic (randomisation) and permutation inference.

    Attributes
    ----------
    C : float
        Geary's C = (n - 1) sum_ij w_ij (x_i - x_j)² / (2 S0 sum_i z_i²); below 1 = positive
        autocorrelation.
    EC : float
        Expectation under the null, 1.
    VC : float
        Variance under randomisation (Cliff & Ord 1981).
    z : float
        (C - EC) / sqrt(VC): negative for positive autocorrelation (R spdep's ``geary.test``
        reports the opposite sign, (EC - C) / sqrt(VC)).
    p_norm, p_sim, EC_sim : float
        Two-sided normal p-value, folded pseudo p-value (ties on both sides, as in
        :class:`Moran`), mean of permuted C.
    n, permutations, seed, column, transform, missing, note
        As in :class:`Moran`.
    """

    C: float
    EC: float
    VC: float
    z: float
    p_norm: float
    p_sim: float
    EC_sim: float
    n: int
    permutations: int
    seed: int | None
    column: str
    transform: str
    missing: tuple[str, ...] = field(default=())
    note: str = ""

    def __repr__(self) -> str:
        sim = f", p_sim={self.p_sim:.4g} ({self.permutations} perm.)" if self.permutations else ""
        return (
            f"Geary(column={self.column!r}, n={self.n}, C={self.C:.4f}, z={self.z:.3f}, "
            f"p_norm={self.p_norm:.4g}{sim}{self._note_repr()})"
        )


@dataclass(frozen=True)
class BivariateMoran(_Result):
    """Bivariate Moran's I between ``x`` and the spatial lag of ``y``.

    Attributes
    ----------
    I : float
        I_xy = (n / S0) * sum_ij w_ij zx_i zy_j / sum_i zx_i², with zx, zy the values standardised
        by their mean and sample standard deviation (equal to esda ``Moran_BV`` when every unit
        has a neighbour and weights are row-standardised).
    EI_sim, z_sim : float
        Mean of the permuted I (y permuted across units) and (I - EI_sim) / sd(I_sim).
    p_sim : float
        Folded pseudo p-value (ties on both sides), as in :class:`Moran`. No analytic inference
        is given.
    n, permutations, seed, transform, missing, note
        As in :class:`Moran`.
    x, y : str
        The two variables.
    """

    I: float  # noqa: E741
    EI_sim: float
    z_sim: float
    p_sim: float
    n: int
    permutations: int
    seed: int | None
    x: str
    y: str
    transform: str
    missing: tuple[str, ...] = field(default=())
    note: str = ""

    def __repr__(self) -> str:
        return (
            f"BivariateMoran(x={self.x!r}, y={self.y!r}, n={self.n}, I={self.I:.4f}, "
            f"z_sim={self.z_sim:.3f}, p_sim={self.p_sim:.4g} ({self.permutations} perm.)"
            f"{self._note_repr()})"
        )


# ---------------------------------------------------------------------------------------------
# shared preparation
# ---------------------------------------------------------------------------------------------


@dataclass
class _Prepared:
    values: np.ndarray  # (units, columns) values of the units used, in graph order
    positions: np.ndarray  # frame positions of the units used
    matrix: sp.csr_matrix  # weights among the units used, not transformed
    missing: np.ndarray  # frame positions excluded because a value is missing
    outside: np.ndarray  # frame positions not covered by w (islands dropped when building it)
    labels: np.ndarray  # labels of every frame row


def _prepare(gdf: Any, columns: list[str], w: Any, minimum: int = 4) -> _Prepared:
    if not isinstance(gdf, pd.DataFrame):
        raise InputError(
            f"expected a (Geo)DataFrame of regions, not {type(gdf).__name__}; join your table to "
            "boundaries first (si.join_indicators)"
        )
    require_columns(gdf, columns, "frame")
    data = np.column_stack([numeric_column(gdf, c, "frame") for c in columns])
    labels = region_labels(gdf).to_numpy()
    infinite = np.isinf(data).any(axis=1)
    if infinite.any():
        first = int(np.flatnonzero(infinite)[0])
        raise InputError(
            f"column(s) {', '.join(columns)} hold an infinite value at {labels[first]}; "
            "replace it with a number or NaN (NaN regions are left out and labelled 'no data')"
        )
    if w is None:
        from .weights import spatial_weights

        w = spatial_weights(gdf)
    positions, matrix = _aligned(w, len(gdf), gdf)
    outside = np.setdiff1d(np.arange(len(gdf)), positions)
    valid = ~np.isnan(data[positions]).any(axis=1)
    missing = positions[~valid]
    keep = np.flatnonzero(valid)
    # dropping a region removes its links too: the statistic is exactly the one computed on the
    # subset, so a missing value cannot move anyone else's result
    matrix = matrix[keep][:, keep].tocsr()
    positions = positions[keep]
    values = data[positions]
    if len(positions) < minimum:
        raise InputError(
            f"only {len(positions)} region(s) have a value for {', '.join(columns)}; at least "
            f"{minimum} are needed"
        )
    for j, col in enumerate(columns):
        if np.ptp(values[:, j]) == 0:
            raise InputError(
                f"column {col!r} has the same value ({values[0, j]:g}) in every region used, so "
                "its spatial autocorrelation is undefined; choose a column that varies"
            )
    return _Prepared(values, positions, matrix, missing, outside, labels)


def _warn_missing(prep: _Prepared, what: str) -> tuple[str, ...]:
    names = tuple(str(prep.labels[i]) for i in prep.missing)
    if names:
        shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        warnings.warn(
            f"{what}: {len(names)} region(s) with a missing value were left out with their "
            f"links: {shown}",
            DataWarning,
            stacklevel=3,
        )
    return names


def _seed_value(seed: Any) -> int | None:
    return int(seed) if isinstance(seed, (int, np.integer)) else None


def _weight_sums(m: sp.csr_matrix) -> tuple[float, float, float]:
    """S0 = sum w_ij, S1 = 1/2 sum (w_ij + w_ji)², S2 = sum_i (w_i. + w_.i)²."""
    s0 = float(m.sum())
    sym = m + m.T
    s1 = 0.5 * float(sym.multiply(sym).sum())
    rows = np.asarray(m.sum(axis=1)).ravel()
    cols = np.asarray(m.sum(axis=0)).ravel()
    s2 = float(((rows + cols) ** 2).sum())
    return s0, s1, s2


def _require_links(m: sp.csr_matrix, what: str) -> None:
    if m.nnz == 0 or float(m.sum()) == 0:
        raise WeightsError(
            f"{what}: no region has a neighbour among the regions used; check w (islands='keep' "
            "on scattered units?) or use kind='knn'"
        )


def _global_test(
    statistic: Any,
    values: np.ndarray,
    permutations: int,
    seed: Any,
    scale: float,
    work: float,
    what: str,
) -> GlobalTest | None:
    """Permutation test of a global statistic (None without permutations); see inference.

    ``statistic`` takes an (n, c) array whose columns are arrangements of ``values`` (the
    layout ``m @ block`` wants)."""
    if not permutations:
        return None
    observed = float(statistic(values[:, None])[0])  # same code path as the draws: exact ties
    n = values.size
    chunk = max(1, min(1000, 4_000_000 // max(n, 1)))
    return global_test(statistic, values, observed, int(permutations), check_seed(seed),
                       scale=scale, work_per_draw=work, chunk=chunk, what=what,
                       rows=False)  # fmt: skip


def _off_diagonal(m: sp.csr_matrix) -> sp.csr_matrix:
    """Weights without self links, explicit zeros removed, indices sorted (conditional draws)."""
    import scipy.sparse as sp

    off = sp.csr_matrix(m, copy=True)
    off.setdiag(0)
    off.eliminate_zeros()
    off.sort_indices()
    return off


# ---------------------------------------------------------------------------------------------
# global statistics
# ---------------------------------------------------------------------------------------------


def moran(
    gdf: pd.DataFrame,
    column: str,
    w: Any = None,
    permutations: int = 999,
    seed: int | np.random.Generator | None = None,
    transform: str | None = "R",
) -> Moran:
    """Global Moran's I of a column, with randomisation and permutation inference.

    I = (n / S0) * sum_i sum_j w_ij z_i z_j / sum_i z_i², z_i = x_i - mean(x), S0 = sum w_ij.
    The analytic variance is the randomisation variance of Cliff & Ord (1981), the one of R spdep
    ``moran.test(randomisation=TRUE)``; regions without neighbours stay in n (spdep
    ``zero.policy=TRUE, adjust.n=FALSE``).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or pandas.DataFrame
        One row per region. A plain DataFrame needs ``w``.
    column : str
        Numeric column. Rows with a missing value are left out together with their links (a
        :class:`~spatialinno.DataWarning` names them).
    w : libpysal Graph or W, optional
        Weights aligned by position with ``gdf`` and checked against it (a graph built for
        another row order or other regions is refused); default queen contiguity with islands
        linked to their nearest neighbour (:func:`spatialinno.spatial_weights`).
    permutations : int, default 999
        Random permutations of the values for ``p_sim``; 0 skips them. With n! <= permutations
        (n <= 6 for 999) every ordering is enumerated and ``p_sim`` is exact. A count that would
        run for more than a few minutes is refused with the largest useful count
        (:mod:`spatialinno.measures.inference`).
    seed : int or numpy Generator, optional
        Seed of the permutations; the same seed gives the same ``p_sim``.
    transform : {"R", "B", None}, default "R"
        Weights transformation applied to ``w``: row-standardised, binary, or ``None`` = as given.

    Returns
    -------
    Moran
        Frozen result with ``I``, ``EI``, ``VI``, ``z``, ``p_norm`` (two-sided), ``p_sim``, ``n``;
        ``.to_frame()`` gives a one-row table.

    References
    ----------
    Cliff, A. D. & Ord, J. K. (1981) *Spatial Processes: Models and Applications*. Pion.

    Examples
    --------
    >>> import spatialinno as si
    >>> prov = si.load_boundaries("province").query("region.notna()", engine="python")
    >>> prov["lon"] = prov.to_crs(si.boundaries.EQUAL_AREA_CRS).centroid.x / 1000
    >>> m = si.moran(prov, "lon", permutations=99, seed=0)
    >>> round(m.I, 4), m.n, m.p_sim
    (0.7624, 31, 0.01)
    """
    check_permutations(permutations)
    prep = _prepare(gdf, [column], w)
    missing = _warn_missing(prep, f"moran({column!r})")
    m = _transformed(prep.matrix, transform)
    _require_links(m, f"moran({column!r})")
    x = prep.values[:, 0]
    n = x.size
    z = x - x.mean()
    zz = float(z @ z)
    s0, s1, s2 = _weight_sums(m)
    i_obs = n / s0 * float(z @ (m @ z)) / zz
    ei = -1.0 / (n - 1)
    kurt = n * float((z**4).sum()) / zz**2
    vi = (
        n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0 * s0)
        - kurt * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0 * s0)
    ) / ((n - 1) * (n - 2) * (n - 3) * s0 * s0) - ei * ei
    z_i = (i_obs - ei) / math.sqrt(vi)

    def stat(zp: np.ndarray) -> np.ndarray:  # columns of zp are arrangements of z
        return n / s0 * np.einsum("ij,ij->j", zp, m @ zp) / zz

    abs_w = float(abs(m).sum())
    test = _global_test(stat, z, permutations, seed, n / s0 * abs_w * float(np.max(z * z)) / zz,
                        2 * n + m.nnz, f"moran({column!r})")  # fmt: skip
    return Moran(
        I=i_obs,
        EI=ei,
        VI=vi,
        z=z_i,
        p_norm=_two_sided(z_i),
        p_sim=test.p if test else float("nan"),
        EI_sim=test.mean if test else float("nan"),
        n=n,
        permutations=test.count if test else 0,
        seed=_seed_value(seed),
        column=column,
        transform=str(transform or "O"),
        missing=missing,
        note=test.note if test else "",
    )


def geary(
    gdf: pd.DataFrame,
    column: str,
    w: Any = None,
    permutations: int = 999,
    seed: int | np.random.Generator | None = None,
    transform: str | None = "R",
) -> Geary:
    """Global Geary's C, with randomisation and permutation inference.

    C = (n - 1) sum_ij w_ij (x_i - x_j)² / (2 S0 sum_i (x_i - mean)²); E[C] = 1 and the
    randomisation variance is that of Cliff & Ord (1981), as in R spdep
    ``geary.test(randomisation=TRUE)``. C < 1 means similar values cluster.

    Parameters
    ----------
    gdf, column, w, permutations, seed, transform
        As in :func:`moran`.

    Returns
    -------
    Geary
        Frozen result with ``C``, ``EC``, ``VC``, ``z`` = (C - 1) / sqrt(VC) (negative for
        clustering), ``p_norm`` (two-sided), ``p_sim``; ``.to_frame()``.

    References
    ----------
    Geary, R. C. (1954) The contiguity ratio and statistical mapping. *The Incorporated
    Statistician* 5(3): 115-145. Cliff & Ord (1981), *Spatial Processes*.

    Examples
    --------
    >>> import spatialinno as si
    >>> prov = si.load_boundaries("province").query("region.notna()", engine="python")
    >>> prov["lon"] = prov.to_crs(si.boundaries.EQUAL_AREA_CRS).centroid.x / 1000
    >>> g = si.geary(prov, "lon", permutations=0)
    >>> round(g.C, 4), g.z < 0
    (0.1647, True)
    """
    check_permutations(permutations)
    prep = _prepare(gdf, [column], w)
    missing = _warn_missing(prep, f"geary({column!r})")
    m = _transformed(prep.matrix, transform)
    _require_links(m, f"geary({column!r})")
    x = prep.values[:, 0]
    n = x.size
    z = x - x.mean()
    zz = float(z @ z)
    s0, s1, s2 = _weight_sums(m)
    rows = np.asarray(m.sum(axis=1)).ravel()
    cols = np.asarray(m.sum(axis=0)).ravel()

    def stat(v: np.ndarray) -> np.ndarray:
        # sum_ij w_ij (v_i - v_j)² = sum_i v_i² r_i + sum_j v_j² c_j - 2 v'Wv, for columns of v
        sq = v * v
        cross = np.einsum("ij,ij->j", v, m @ v) if v.ndim == 2 else float(v @ (m @ v))
        return (n - 1) * (rows @ sq + cols @ sq - 2 * cross) / (2 * s0 * zz)

    c_obs = float(stat(z))
    n2 = n * n
    kurt = n * float((z**4).sum()) / zz**2
    a = (n - 1) * s1 * (n2 - 3 * n + 3 - (n - 1) * kurt)
    b = 0.25 * (n - 1) * s2 * (n2 + 3 * n - 6 - (n2 - n + 2) * kurt)
    c = s0 * s0 * (n2 - 3 - (n - 1) ** 2 * kurt)
    vc = (a - b + c) / (n * (n - 2) * (n - 3) * s0 * s0)
    z_c = (c_obs - 1.0) / math.sqrt(vc)
    abs_w = float(abs(m).sum())
    test = _global_test(stat, z, permutations, seed,
                        (n - 1) * 4 * abs_w * float(np.max(z * z)) / (2 * s0 * zz),
                        3 * n + m.nnz, f"geary({column!r})")  # fmt: skip
    return Geary(
        C=c_obs,
        EC=1.0,
        VC=vc,
        z=z_c,
        p_norm=_two_sided(z_c),
        p_sim=test.p if test else float("nan"),
        EC_sim=test.mean if test else float("nan"),
        n=n,
        permutations=test.count if test else 0,
        seed=_seed_value(seed),
        column=column,
        transform=str(transform or "O"),
        missing=missing,
        note=test.note if test else "",
    )


def bivariate_moran(
    gdf: pd.DataFrame,
    x: str,
    y: str,
    w: Any = None,
    permutations: int = 999,
    seed: int | np.random.Generator | None = None,
    transform: str | None = "R",
) -> BivariateMoran:
    """Bivariate Moran's I: does ``x`` in a region go with ``y`` in its neighbours?

    I_xy = (n / S0) * sum_ij w_ij zx_i zy_j / sum_i zx_i², zx and zy standardised (mean 0,
    sample sd 1), e.g. innovation (x) against the economic weight of the neighbours (y).
    Inference by permuting y across regions (Wartenberg 1985; Anselin, Syabri & Smirnov 2002).

    Parameters
    ----------
    gdf : GeoDataFrame or DataFrame
        One row per region; rows missing x or y are left out with their links.
    x, y : str
        Numeric columns.
    w, permutations, seed, transform
        As in :func:`moran` (at least 1 permutation).

    Returns
    -------
    BivariateMoran
        ``I``, ``EI_sim``, ``z_sim``, ``p_sim``, ``n``; ``.to_frame()``.

    Examples
    --------
    >>> import spatialinno as si
    >>> prov = si.load_boundaries("province").query("region.notna()", engine="python")
    >>> prov["lon"] = prov.to_crs(si.boundaries.EQUAL_AREA_CRS).centroid.x / 1000
    >>> bv = si.bivariate_moran(prov, "lon", "lon", permutations=99, seed=1)
    >>> abs(bv.I - si.moran(prov, "lon", permutations=0).I) < 1e-12  # x = y gives Moran's I
    True
    """
    check_permutations(permutations)
    if permutations < 1:
        raise InputError("bivariate_moran has only permutation inference; use permutations >= 1")
    prep = _prepare(gdf, [x, y], w)
    missing = _warn_missing(prep, f"bivariate_moran({x!r}, {y!r})")
    m = _transformed(prep.matrix, transform)
    _require_links(m, f"bivariate_moran({x!r}, {y!r})")
    vx, vy = prep.values[:, 0], prep.values[:, 1]
    n = vx.size
    s0 = float(m.sum())
    zx = (vx - vx.mean()) / vx.std(ddof=1)
    zy = (vy - vy.mean()) / vy.std(ddof=1)
    scale = n / s0 / float(zx @ zx)
    i_obs = scale * float(zx @ (m @ zy))

    def stat(zp: np.ndarray) -> np.ndarray:  # columns of zp are arrangements of zy
        return scale * (zx @ (m @ zp))

    bound = scale * float(abs(m).sum()) * float(np.abs(zx).max() * np.abs(zy).max())
    test = _global_test(stat, zy, permutations, seed, bound, 2 * n + m.nnz,
                        f"bivariate_moran({x!r}, {y!r})")  # fmt: skip
    assert test is not None  # permutations >= 1 was checked
    return BivariateMoran(
        I=i_obs,
        EI_sim=test.mean,
        z_sim=(i_obs - test.mean) / test.sd if test.sd > 0 else float("nan"),
        p_sim=test.p,
        n=n,
        permutations=test.count,
        seed=_seed_value(seed),
        x=x,
        y=y,
        transform=str(transform or "O"),
        missing=missing,
        note=test.note,
    )


def moran_by_year(
    long_gdf: pd.DataFrame,
    column: str,
    year: str = "year",
    w: Any = None,
    permutations: int = 999,
    seed: int | None = None,
    transform: str | None = "R",
) -> pd.DataFrame:
    """Moran's I of a column for every year of a long (region x year) frame.

    Parameters
    ----------
    long_gdf : GeoDataFrame
        One row per region and year (e.g. ``si.join_indicators`` output stacked over years).
    column : str
        Numeric column.
    year : str, default "year"
        Column holding the year.
    w : libpysal Graph or W, optional
        Weights aligned by position with the rows of **each** year (same regions, same order),
        checked year by year: a year whose rows are in another order is refused, naming the year;
        default: queen contiguity with islands attached (built once when every year holds the same
        regions in the same order).
    permutations, seed, transform
        As in :func:`moran`; every year uses the same ``seed``.

    Returns
    -------
    pandas.DataFrame
        One row per year (sorted): ``year``, ``n``, ``I``, ``EI``, ``VI``, ``z``, ``p_norm``,
        ``p_sim``, ``missing`` -- the trend of clustering.

    Examples
    --------
    >>> import spatialinno as si
    >>> prov = si.load_boundaries("province").query("region.notna()", engine="python")
    >>> lon = prov.to_crs(si.boundaries.EQUAL_AREA_CRS).centroid.x / 1000
    >>> long = pd.concat([prov.assign(year=t, v=lon * t) for t in (2020, 2021)])
    >>> out = si.moran_by_year(long, "v", permutations=0)
    >>> out["year"].tolist(), out["I"].round(4).tolist()
    ([2020, 2021], [0.7624, 0.7624])
    """
    require_columns(long_gdf, [year, column], "frame")
    years = long_gdf[year]
    if years.isna().any():
        first = int(np.flatnonzero(years.isna().to_numpy())[0])
        raise InputError(
            f"column {year!r} is missing at {region_labels(long_gdf).iloc[first]}; every row needs "
            "a year"
        )
    rows = []
    shared_w = w
    shared_key: tuple[str, ...] | None = None
    for value in sorted(years.unique()):
        frame = long_gdf[(years == value).to_numpy()]
        year_w = shared_w
        if w is None:
            # the same regions in the same order share one graph; otherwise build it per year
            key = tuple(region_labels(frame))
            if key != shared_key:
                from .weights import spatial_weights

                shared_w, shared_key = spatial_weights(frame), key
            year_w = shared_w
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataWarning)
            try:
                res = moran(frame, column, w=year_w, permutations=permutations, seed=seed,
                            transform=transform)  # fmt: skip
            except WeightsError as exc:
                raise WeightsError(f"year {value}: {exc}") from None
        for c in caught:
            warnings.warn(f"year {value}: {c.message}", DataWarning, stacklevel=2)
        rows.append(
            {
                "year": value,
                "n": res.n,
                "I": res.I,
                "EI": res.EI,
                "VI": res.VI,
                "z": res.z,
                "p_norm": res.p_norm,
                "p_sim": res.p_sim,
                "missing": ", ".join(res.missing),
            }
        )
    return pd.DataFrame(rows)


def _two_sided(z: float) -> float:
    return float(math.erfc(abs(z) / math.sqrt(2.0)))


# ---------------------------------------------------------------------------------------------
# local statistics
# ---------------------------------------------------------------------------------------------


def lisa(
    gdf: gpd.GeoDataFrame,
    column: str,
    w: Any = None,
    permutations: int | Literal["auto"] = "auto",
    alpha: float = 0.05,
    correction: Literal["fdr", "bonferroni"] | None = None,
    seed: int | np.random.Generator | None = None,
    transform: str | None = "R",
) -> gpd.GeoDataFrame:
    """Local Moran's I (LISA) with cluster labels HH, LL, HL, LH, ns, isolated, no data.

    I_i = (n - 1) z_i sum_j w_ij z_j / sum_k z_k², z = x - mean(x) (Anselin 1995; R spdep
    ``localmoran(mlvar=FALSE)``, esda ``Moran_Local``). Significance from conditional
    randomisation: folded pseudo p = (min(#{I* >= I}, #{I* <= I}) + 1) / (P + 1), a tied draw
    counting on both sides (GeoDa and esda count ties on one side only, so a region whose
    neighbourhood is all zeros in a zero-inflated column comes out "significant"), exact over all
    C(n-1, k) neighbour sets when there are no more of them than permutations
    (:mod:`spatialinno.measures.inference`); optionally corrected for the m regions tested.

    Parameters
    ----------
    gdf : GeoDataFrame
        One row per region.
    column : str
        Numeric column. Regions with a missing value are left out with their links (the others'
        results are those of the subset) and labelled ``no data``.
    w : libpysal Graph or W, optional
        Aligned by position with ``gdf`` and checked against it (see :func:`moran`); default
        queen with islands linked to the nearest unit. Regions without neighbours in ``w`` (or
        left out of it by ``islands="drop"``) are labelled ``isolated``, with ``lisa_I`` 0 (no
        neighbours) and no p-value.
    permutations : int or "auto", default "auto"
        "auto": 999 without correction; with a correction the smallest 10^k - 1 >= m / alpha, so
        that a region can pass the corrected threshold (9,999 for 375 prefectures at 0.05).
        At least 1 (LISA has no other inference; 0 is refused rather than labelling every region
        "ns"). A count that would run for more than a few minutes is refused with the largest
        useful count.
    alpha : float, default 0.05
        Significance level.
    correction : {None, "fdr", "bonferroni"}
        ``fdr``: Benjamini–Hochberg false discovery rate; ``bonferroni``: alpha / m.
    seed : int or numpy Generator, optional
        Same seed, same p-values.
    transform : {"R", "B", None}, default "R"
        Weights transformation (row-standardised, binary, as given).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``gdf`` with ``lisa_I``, ``lisa_p`` (pseudo p; NaN for isolated / no data and
        for regions that cannot be tested), ``lisa_q`` (Moran scatterplot quadrant 1 HH, 2 LH,
        3 LL, 4 HL; <NA> for no data), ``lisa_cluster``. A region that cannot be tested (every
        permutation gives its observed I: its value equals the mean, or all other regions are
        its neighbours with equal weights) gets ``lisa_p`` NaN, the label ``ns``, is not counted
        among the tests, and is listed in ``.attrs["lisa"]["untestable"]``. ``.attrs["lisa"]``
        records permutations (and how "auto" chose them), alpha, correction, the p threshold
        actually applied, the number of tests, the regions with exact p-values, the seed.

    References
    ----------
    Anselin, L. (1995) Local indicators of spatial association -- LISA. *Geographical Analysis*
    27(2): 93-115. Benjamini, Y. & Hochberg, Y. (1995) *JRSS B* 57(1): 289-300.

    Examples
    --------
    >>> import spatialinno as si
    >>> prov = si.load_boundaries("province").query("region.notna()", engine="python")
    >>> prov["lon"] = prov.to_crs(si.boundaries.EQUAL_AREA_CRS).centroid.x / 1000
    >>> out = si.lisa(prov, "lon", seed=0)
    >>> out.set_index("name_short").loc[["上海", "新疆"], "lisa_cluster"].tolist()
    ['HH', 'LL']
    >>> out.attrs["lisa"]["permutations"]
    999
    """
    check_alpha_correction(alpha, correction)
    check_permutations(permutations, allow_auto=True, allow_zero=False, what="lisa")
    prep = _prepare(gdf, [column], w)
    m = _transformed(prep.matrix, transform)
    x = prep.values[:, 0]
    n = x.size
    z = x - x.mean()
    lag = m @ z
    isolated = np.diff(m.indptr) == 0
    local_i = (n - 1) * z * lag / float(z @ z)
    n_tests = int((~isolated).sum())
    count, note = resolve_permutations(permutations, correction, max(n_tests, 1), alpha)
    # z_i = 0 makes I_i = 0 in every permutation: every draw ties, so the region is untestable
    test = conditional_test(
        _off_diagonal(m), z, z, count, check_seed(seed),
        threshold=alpha / max(n_tests, 1) if correction else alpha, what=f"lisa({column!r})",
        threshold_text=f"alpha/m = {alpha:g}/{n_tests}" if correction else f"alpha = {alpha:g}",
    )  # fmt: skip
    p = test.p
    sig = significant(p, alpha, correction)
    quadrant = np.where(z > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3))
    cluster = np.where(sig, [QUADRANT_LABELS[q] for q in quadrant], "ns").astype(object)
    cluster[isolated] = "isolated"

    total = len(gdf)
    out_i = np.full(total, np.nan)
    out_p = np.full(total, np.nan)
    out_q = pd.array([pd.NA] * total, dtype="Int64")
    out_c = np.full(total, "no data", dtype=object)
    out_i[prep.positions] = np.where(isolated, 0.0, local_i)
    out_p[prep.positions] = p
    out_q[prep.positions] = quadrant
    out_c[prep.positions] = cluster
    out_c[prep.outside] = "isolated"
    out_i[prep.outside] = 0.0
    result = gdf.copy()
    result["lisa_I"] = out_i
    result["lisa_p"] = out_p
    result["lisa_q"] = out_q
    result["lisa_cluster"] = out_c
    result.attrs["lisa"] = {
        "column": column,
        "permutations": count,
        "permutations_note": note,
        "alpha": alpha,
        "correction": correction,
        "p_threshold": threshold(p, sig),
        "n_tests": int(np.isfinite(p).sum()),
        "exact": int(test.exact.sum()),
        "untestable": [str(prep.labels[i]) for i in prep.positions[test.untestable]],
        "p_note": test.note(),
        "seed": _seed_value(seed),
        "transform": str(transform or "O"),
        "no_data": [str(prep.labels[i]) for i in prep.missing],
    }
    return result


def hotspots(
    gdf: gpd.GeoDataFrame,
    column: str,
    w: Any = None,
    permutations: int | Literal["auto"] = "auto",
    alpha: float = 0.05,
    correction: Literal["fdr", "bonferroni"] | None = None,
    seed: int | np.random.Generator | None = None,
    transform: Literal["B", "R"] = "B",
    inference: Literal["analytic", "permutation"] = "analytic",
) -> gpd.GeoDataFrame:
    """Getis–Ord Gi* hot and cold spots, binned -3..3 as ArcGIS Pro reports them.

    Gi* includes the region itself (w_ii = 1 before any row-standardisation). With
    W_i = sum_j w_ij, S1_i = sum_j w_ij², mean x̄ and population sd s over the n regions used::

        z_i = (sum_j w_ij x_j - W_i x̄) / (s * sqrt((n S1_i - W_i²) / (n - 1)))

    (Ord & Getis 1995, eq. 5-6; ArcGIS "Hot Spot Analysis"; R spdep ``localG`` with
    ``include.self``), which is right for any weights -- binary (default, as ArcGIS) or
    row-standardised.

    Parameters
    ----------
    gdf : GeoDataFrame
        One row per region.
    column : str
        Numeric column; missing values are left out with their links (``no data``).
    w : libpysal Graph or W, optional
        Aligned by position with ``gdf`` and checked against it (see :func:`moran`); default
        queen with islands linked to the nearest unit. A self weight already in ``w`` is replaced
        by 1. Regions without other neighbours are ``isolated``: their "Gi*" would only restate
        their own value, so they get no z, p or bin.
    permutations : int or "auto", default "auto"
        Conditional-randomisation draws. "auto": none for ``inference="analytic"``; for
        ``"permutation"`` 999, or with a correction the smallest 10^k - 1 >= m / alpha (as
        :func:`lisa`). The 99 % bin under Bonferroni needs 10^k - 1 >= m / 0.01: pass that count
        explicitly if you need it. An explicit count with analytic inference adds the column
        ``gi_p_sim`` (two-sided pseudo p) without changing the bins. ``inference="permutation"``
        needs at least 1 (0 is refused); counts that would run for more than a few minutes are
        refused with the largest useful count.
    alpha : float, default 0.05
        Level of the ``gi_cluster`` label (hot / cold / ns); the bins use 0.10/0.05/0.01.
    correction : {None, "fdr", "bonferroni"}
        Applied at every confidence level of the bins and to ``gi_cluster``. ``fdr``: for each
        level a in (0.10, 0.05, 0.01) the Benjamini–Hochberg cut-off over the m tested regions,
        like ArcGIS Pro's "Apply False Discovery Rate (FDR) Correction"; ``bonferroni``: a / m.
    seed : int or numpy Generator, optional
        Seed of the permutations.
    transform : {"B", "R"}, default "B"
        Binary (self weight 1) or row-standardised after adding the self weight.
    inference : {"analytic", "permutation"}, default "analytic"
        Which p-value drives ``gi_p``, ``gi_bin`` and ``gi_cluster``: the two-sided normal p of
        ``gi_z`` (ArcGIS Pro), or the two-sided pseudo p = min(1, 2 x folded pseudo p), ties
        counting on both sides (as :func:`lisa`).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``gdf`` with ``gi_z``, ``gi_p``, ``gi_bin`` (int: 3/2/1 hot at 99/95/90 %,
        -1/-2/-3 cold, 0 not significant, isolated or no data), ``gi_cluster`` (hot, cold, ns,
        isolated, no data) and, when permutations ran, ``gi_p_sim``. A region that cannot be
        tested -- all other regions are its neighbours (Gi* has no variance, no z), or every
        permutation ties its observed Gi* -- gets p NaN, bin 0, ``ns``, is not counted among
        the tests and is listed in ``.attrs["hotspots"]["untestable"]``. ``.attrs["hotspots"]``
        records inference, permutations, alpha, correction, the p cut-offs per level, the number
        of tests and the seed.

    References
    ----------
    Ord, J. K. & Getis, A. (1995) Local spatial autocorrelation statistics: distributional issues
    and an application. *Geographical Analysis* 27(4): 286-306.

    Examples
    --------
    >>> import spatialinno as si
    >>> prov = si.load_boundaries("province").query("region.notna()", engine="python")
    >>> prov["lon"] = prov.to_crs(si.boundaries.EQUAL_AREA_CRS).centroid.x / 1000
    >>> hot = si.hotspots(prov, "lon")
    >>> hot.set_index("name_short").loc[["浙江", "上海", "西藏"], "gi_bin"].tolist()
    [2, 1, -3]
    """
    import scipy.sparse as sp

    check_alpha_correction(alpha, correction)
    if inference not in ("analytic", "permutation"):
        raise InputError(f"inference must be 'analytic' or 'permutation', not {inference!r}")
    check_permutations(permutations, allow_auto=True, allow_zero=inference == "analytic",
                       what="hotspots(..., inference='permutation')")  # fmt: skip
    if transform not in ("B", "R"):
        raise InputError(
            f"hotspots supports transform='B' (binary, as ArcGIS) or 'R' (row-standardised), "
            f"not {transform!r}"
        )
    prep = _prepare(gdf, [column], w)
    base = sp.csr_matrix(prep.matrix, copy=True)
    base.setdiag(0)
    base.eliminate_zeros()
    isolated = np.diff(base.indptr) == 0
    base.data[:] = 1.0
    star = (base + sp.identity(base.shape[0], format="csr")).tocsr()
    if transform == "R":
        star = _transformed(star, "R")
    x = prep.values[:, 0]
    n = x.size
    xbar = float(x.mean())
    s = float(x.std())  # population sd (ddof=0), computed on centred values: no cancellation
    wi = np.asarray(star.sum(axis=1)).ravel()
    s1i = np.asarray(star.multiply(star).sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        # a region whose neighbours are all the others has n S1 = W²: its Gi* has no variance
        gi_z = (star @ x - wi * xbar) / (s * np.sqrt((n * s1i - wi * wi) / (n - 1)))
    p_norm = np.array([_two_sided(v) for v in gi_z])
    untestable = ~isolated & ~np.isfinite(gi_z)

    n_tests = int((~isolated).sum())
    if inference == "permutation":
        # sized for alpha like lisa: m / 0.01 would mean 10^6 draws on counties (5 minutes); the
        # 99 % bin is still reachable under FDR once a few regions reach the smallest p-value
        count, note = resolve_permutations(permutations, correction, max(n_tests, 1), alpha)
    elif permutations == "auto":
        count, note = 0, "permutations='auto': none (analytic inference)"
    else:
        count, note = int(permutations), f"permutations={int(permutations)} (gi_p_sim only)"
    p_sim = None
    p_note = (
        f"{int(untestable.sum())} region(s) not testable (all other regions are neighbours: "
        "Gi* has no variance): no z, no p-value"
        if untestable.any()
        else ""
    )
    if count:
        # the strictest decision is the 99 % bin: 0.01, or 0.01 / m after a correction
        test = conditional_test(
            _off_diagonal(star), x, np.ones(n), count, check_seed(seed),
            threshold=0.01 / max(n_tests, 1) if correction else 0.01, what=f"hotspots({column!r})",
            threshold_text=f"0.01/m = 0.01/{n_tests}, the 99 % bin" if correction
            else "0.01, the 99 % bin",
        )  # fmt: skip
        p_sim = np.minimum(1.0, 2.0 * test.p)  # NaN (untestable) stays NaN
        untestable = untestable | test.untestable
        p_note = "; ".join(t for t in (p_note, test.note()) if t)
    p = p_sim if p_sim is not None and inference == "permutation" else p_norm
    p = np.where(isolated, np.nan, p)
    gi_z = np.where(isolated, np.nan, gi_z)

    bins = np.zeros(n, dtype=int)
    cutoffs = {}
    for level, a in reversed(GI_LEVELS):  # 90 % first, then overwrite with 95 % and 99 %
        sig = significant(p, a, correction)
        bins[sig] = level * np.sign(gi_z[sig]).astype(int)
        cutoffs[f"{round((1 - a) * 100)}%"] = threshold(p, sig)
    sig_alpha = significant(p, alpha, correction)
    cluster = np.where(sig_alpha, np.where(gi_z > 0, "hot", "cold"), "ns").astype(object)
    cluster[isolated] = "isolated"

    total = len(gdf)

    def spread(values: np.ndarray, fill: Any, dtype: Any) -> np.ndarray:
        out = np.full(total, fill, dtype=dtype)
        out[prep.positions] = values
        return out

    result = gdf.copy()
    result["gi_z"] = spread(gi_z, np.nan, float)
    result["gi_p"] = spread(p, np.nan, float)
    result["gi_bin"] = spread(bins, 0, int)
    clusters = spread(cluster, "no data", object)
    clusters[prep.outside] = "isolated"
    result["gi_cluster"] = clusters
    if p_sim is not None:
        result["gi_p_sim"] = spread(np.where(isolated, np.nan, p_sim), np.nan, float)
    result.attrs["hotspots"] = {
        "column": column,
        "inference": inference,
        "permutations": count,
        "permutations_note": note,
        "alpha": alpha,
        "correction": correction,
        "p_cutoffs": cutoffs,
        "n_tests": int(np.isfinite(p).sum()),
        "untestable": [str(prep.labels[i]) for i in prep.positions[untestable]],
        "p_note": p_note,
        "seed": _seed_value(seed),
        "transform": transform,
        "no_data": [str(prep.labels[i]) for i in prep.missing],
    }
    return result
