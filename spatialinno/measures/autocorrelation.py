"""Global spatial autocorrelation: Moran's I, Geary's C, bivariate Moran, Moran's I by year.

The statistics are computed here with numpy/scipy (and cross-checked in the tests against esda and
R spdep 1.2-7, which they match to 1e-9 or better). They are wrapped around the known pitfalls of
the usual tools:

- regions with a missing value are dropped **with their links** and the statistic is computed on the
  rest, so one NaN never changes anyone else's result (:mod:`spatialinno.measures.units`);
- permutation inference (:mod:`spatialinno.measures.inference`) counts a tied permutation as at
  least as extreme on both sides, enumerates every ordering when there are no more of them than
  permutations, says when a statistic cannot be tested, uses a seeded
  :class:`numpy.random.Generator` (``seed=``) and runs in-process in bounded memory.

The local statistics (LISA, Getis–Ord Gi*) are in :mod:`spatialinno.measures.local`, the result
objects in :mod:`spatialinno.measures.results`.

Every ``w=`` is a libpysal ``Graph`` or ``W`` aligned by position with the frame, and checked
against it: a graph from :func:`spatialinno.spatial_weights` must meet the frame it was built on
(same codes in the same order), a user graph whose ids are the frame's codes or index must list
them in the frame's order (see :mod:`spatialinno.measures.weights`); a mismatch is a
:class:`~spatialinno.WeightsError` naming the first rows that differ, never a silent result.
``None`` builds queen contiguity with islands attached to their nearest neighbour.

Why not esda: its permutation p-values put a tied draw on the far side (see
:mod:`spatialinno.measures.inference`) and ``esda.Moran`` takes no seed; the point statistics
are a few lines of numpy that agree with esda to 1e-15, and ``esda.Moran(y, graph,
permutations=0)`` took 7.3 ms on the prefectures and 24 ms on the counties against 4.3 and
10 ms for :func:`moran` with all its checks (esda 2.9, no numba; CONTRIBUTING.md).
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import DataWarning, InputError, WeightsError
from .._notes import Note
from .._validate import check_seed, region_labels, require_columns, seed_record

# CORRECTIONS, LISA_LABELS, lisa and hotspots: names other stages import from here (the local
# statistics lived here before); each is defined once, in inference, results and local
from .inference import GlobalTest, check_permutations, global_test, two_sided_p
from .results import BivariateMoran, Geary, Moran
from .units import Units, prepare, warn_missing
from .weights import transform_matrix

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = [
    "BivariateMoran",
    "Geary",
    "Moran",
    "bivariate_moran",
    "geary",
    "moran",
    "moran_by_year",
]


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
    return global_test(statistic, values, observed, int(permutations), check_seed(seed),
                       scale=scale, work_per_draw=work, what=what, rows=False)  # fmt: skip


def _simulated(test: GlobalTest | None, mean_name: str) -> dict[str, Any]:
    """The permutation fields of a result: p_sim, the permuted mean, permutations, note."""
    if test is None:
        return {"p_sim": float("nan"), mean_name: float("nan"), "permutations": 0, "note": ""}
    return {"p_sim": test.p, mean_name: test.mean, "permutations": test.count, "note": test.note}


def _setup(
    gdf: Any, columns: list[str], w: Any, transform: str | None, what: str
) -> tuple[Units, tuple[str, ...], sp.csr_matrix]:
    """The units used, the regions left out for a missing value (warned about), the weights
    transformed among the units used, refused when no unit has a neighbour."""
    prep = prepare(gdf, columns, w)
    missing = warn_missing(prep, what)
    m = transform_matrix(prep.matrix, transform)
    _require_links(m, what)
    return prep, missing, m


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
    what = f"moran({column!r})"
    prep, missing, m = _setup(gdf, [column], w, transform, what)
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
                        2 * n + m.nnz, what)  # fmt: skip
    return Moran(I=i_obs, EI=ei, VI=vi, z=z_i, p_norm=two_sided_p(z_i),
                 **_simulated(test, "EI_sim"), n=n, seed=seed_record(seed), column=column,
                 transform=str(transform or "O"), missing=missing)  # fmt: skip


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
    what = f"geary({column!r})"
    prep, missing, m = _setup(gdf, [column], w, transform, what)
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
                        3 * n + m.nnz, what)  # fmt: skip
    return Geary(C=c_obs, EC=1.0, VC=vc, z=z_c, p_norm=two_sided_p(z_c),
                 **_simulated(test, "EC_sim"), n=n, seed=seed_record(seed), column=column,
                 transform=str(transform or "O"), missing=missing)  # fmt: skip


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
    what = f"bivariate_moran({x!r}, {y!r})"
    prep, missing, m = _setup(gdf, [x, y], w, transform, what)
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
    test = _global_test(stat, zy, permutations, seed, bound, 2 * n + m.nnz, what)
    assert test is not None  # permutations >= 1 was checked
    return BivariateMoran(
        I=i_obs,
        EI_sim=test.mean,
        z_sim=(i_obs - test.mean) / test.sd if test.sd > 0 else float("nan"),
        p_sim=test.p,
        n=n,
        permutations=test.count,
        seed=seed_record(seed),
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
            inner = c.message.args[0] if c.message.args else str(c.message)
            # a Note: the report says "years 2010-2023: ..." once, in its own language
            note = Note("year", f"year {value}: {c.message}", year=value, note=inner)
            warnings.warn(note, DataWarning, stacklevel=2)
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
