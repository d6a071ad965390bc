"""Local spatial statistics: LISA clusters (local Moran's I) and Getis–Ord Gi* hot spots.

Computed with numpy/scipy and cross-checked in the tests against esda and R spdep 1.2-7 (to 1e-9
or better), around the known pitfalls of the usual tools:

- regions with a missing value are dropped **with their links** and labelled ``no data``; the
  others' results are those of the subset (esda turns every unit into an LL cluster);
- islands (no neighbour in ``w``) are labelled ``isolated`` and never significant (esda gives them
  the smallest pseudo p-value);
- LISA quadrant labels follow the Moran scatterplot (esda's ``geoda_quads=True`` swaps LL and LH);
- Gi* z-scores use the Getis–Ord (1995) moments for the weights actually used, so they are right for
  row-standardised weights too (esda's ``G_Local(star=True)`` applies the binary-weight variance);
- permutation inference (:mod:`spatialinno.measures.inference`) counts a tied draw as at least as
  extreme on both sides, enumerates the neighbour sets exactly when there are few, uses a seeded
  Generator (``seed=``), and ``permutations="auto"`` gives a multiple-testing correction enough
  draws to be able to reject.

The columns they write, their labels and the no-data rule are those of
:mod:`spatialinno.measures.results`. Why not esda: besides the points above, :func:`lisa` and
:func:`hotspots` with 999 permutations ran 1.2-1.7 times faster than ``esda.Moran_Local`` and
``esda.G_Local(n_jobs=1)`` on the three bundled layers (benchmarks/RESULTS.md, "local").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._errors import InputError
from .._validate import check_seed, seed_record
from .arrangements import off_diagonal
from .inference import (
    LocalTest,
    check_alpha_correction,
    check_permutations,
    conditional_test,
    resolve_permutations,
    significant,
    threshold,
    two_sided_p_array,
)
from .results import (
    COLD,
    GI,
    GI_LEVELS,
    GI_P_SIM,
    HOT,
    ISOLATED,
    LISA,
    LISA_QUADRANT,
    NO_DATA,
    NOT_SIGNIFICANT,
    QUADRANT_LABELS,
)
from .units import Units, prepare
from .weights import transform_matrix

if TYPE_CHECKING:
    import geopandas as gpd
    import scipy.sparse as sp

__all__ = ["hotspots", "lisa"]


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
    prep = prepare(gdf, [column], w)
    m = transform_matrix(prep.matrix, transform)
    x = prep.values[:, 0]
    n = x.size
    z = x - x.mean()
    lag = m @ z
    isolated = np.diff(m.indptr) == 0
    local_i = (n - 1) * z * lag / float(z @ z)
    n_tests = int((~isolated).sum())
    count, note = resolve_permutations(permutations, correction, max(n_tests, 1), alpha)
    # z_i = 0 makes I_i = 0 in every permutation: every draw ties, so the region is untestable
    test = _local_test(m, z, z, count, seed, alpha, correction, n_tests, f"lisa({column!r})")
    p = test.p
    sig = significant(p, alpha, correction)
    quadrant = np.where(z > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3))
    cluster = np.where(sig, [QUADRANT_LABELS[q] for q in quadrant], NOT_SIGNIFICANT).astype(object)
    cluster[isolated] = ISOLATED

    out_i = prep.spread(np.where(isolated, 0.0, local_i), np.nan, float)
    out_i[prep.outside] = 0.0
    out_q = pd.array([pd.NA] * len(gdf), dtype="Int64")
    out_q[prep.positions] = quadrant
    result = gdf.copy()
    result[LISA.statistic] = out_i
    result[LISA.p] = prep.spread(p, np.nan, float)
    result[LISA_QUADRANT] = out_q
    result[LISA.label] = _labels(prep, cluster)
    result.attrs["lisa"] = {
        "column": column,
        **_settings(count, note, alpha, correction),
        "p_threshold": threshold(p, sig),
        "n_tests": int(np.isfinite(p).sum()),
        "exact": int(test.exact.sum()),
        **_records(prep, test.untestable, test.note(), seed, str(transform or "O")),
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
    prep = prepare(gdf, [column], w)
    star, isolated = _gi_star_weights(prep.matrix, transform)
    x = prep.values[:, 0]
    gi_z = _gi_z(star, x)
    untestable = ~isolated & ~np.isfinite(gi_z)
    n_tests = int((~isolated).sum())
    count, note = _gi_permutations(permutations, inference, correction, n_tests, alpha)
    p_note = (
        f"{int(untestable.sum())} region(s) not testable (all other regions are neighbours: "
        "Gi* has no variance): no z, no p-value"
        if untestable.any()
        else ""
    )
    p_sim = None
    if count:
        # the strictest decision is the 99 % bin: 0.01, or 0.01 / m after a correction
        test = _local_test(star, x, np.ones(x.size), count, seed, 0.01, correction, n_tests,
                           f"hotspots({column!r})", bin99=True)  # fmt: skip
        p_sim = np.minimum(1.0, 2.0 * test.p)  # NaN (untestable) stays NaN
        untestable = untestable | test.untestable
        p_note = "; ".join(t for t in (p_note, test.note()) if t)
    p_norm = two_sided_p_array(gi_z)
    p = p_sim if p_sim is not None and inference == "permutation" else p_norm
    p = np.where(isolated, np.nan, p)
    gi_z = np.where(isolated, np.nan, gi_z)
    bins, cutoffs = _gi_bins(p, gi_z, correction)
    sig_alpha = significant(p, alpha, correction)
    cluster = np.where(sig_alpha, np.where(gi_z > 0, HOT, COLD), NOT_SIGNIFICANT).astype(object)
    cluster[isolated] = ISOLATED

    result = gdf.copy()
    result[GI.statistic] = prep.spread(gi_z, np.nan, float)
    result[GI.p] = prep.spread(p, np.nan, float)
    result[GI.klass] = prep.spread(bins, 0, int)
    result[GI.label] = _labels(prep, cluster)
    if p_sim is not None:
        result[GI_P_SIM] = prep.spread(np.where(isolated, np.nan, p_sim), np.nan, float)
    result.attrs["hotspots"] = {
        "column": column,
        "inference": inference,
        **_settings(count, note, alpha, correction),
        "p_cutoffs": cutoffs,
        "n_tests": int(np.isfinite(p).sum()),
        **_records(prep, untestable, p_note, seed, transform),
    }
    return result


def _local_test(
    m: sp.csr_matrix,
    values: np.ndarray,
    sign: np.ndarray,
    count: int,
    seed: Any,
    level: float,
    correction: str | None,
    n_tests: int,
    what: str,
    bin99: bool = False,
) -> LocalTest:
    """Conditional permutation test of a local statistic whose strictest decision is at
    ``level`` (``level / m`` after a correction), for the message refusing a count."""
    if correction:
        text = f"0.01/m = 0.01/{n_tests}" if bin99 else f"alpha/m = {level:g}/{n_tests}"
    else:
        text = "0.01" if bin99 else f"alpha = {level:g}"
    return conditional_test(
        off_diagonal(m), values, sign, count, check_seed(seed),
        threshold=level / max(n_tests, 1) if correction else level, what=what,
        threshold_text=f"{text}, the 99 % bin" if bin99 else text,
    )  # fmt: skip


def _labels(prep: Units, labels: np.ndarray) -> np.ndarray:
    """The label of every row: the units' own, isolated outside the graph, no data otherwise."""
    out = prep.spread(labels, NO_DATA, object)
    out[prep.outside] = ISOLATED
    return out


def _settings(count: int, note: str, alpha: float, correction: str | None) -> dict[str, Any]:
    """The inference settings a local result records in its ``attrs``."""
    return {
        "permutations": count,
        "permutations_note": note,
        "alpha": alpha,
        "correction": correction,
    }


def _records(
    prep: Units, untestable: np.ndarray, p_note: str, seed: Any, transform: str
) -> dict[str, Any]:
    """The untestable regions, the note on p-values, seed, transform and the regions without
    data, as a local result records them in its ``attrs``."""
    return {
        "untestable": prep.names(prep.positions[untestable]),
        "p_note": p_note,
        "seed": seed_record(seed),
        "transform": transform,
        "no_data": prep.names(prep.missing),
    }


def _gi_star_weights(matrix: sp.csr_matrix, transform: str) -> tuple[sp.csr_matrix, np.ndarray]:
    """Gi* weights (binary, self weight 1, row-standardised after for "R") and the islands."""
    import scipy.sparse as sp

    base = off_diagonal(matrix)
    isolated = np.diff(base.indptr) == 0
    base.data[:] = 1.0
    star = (base + sp.identity(base.shape[0], format="csr")).tocsr()
    if transform == "R":
        star = transform_matrix(star, "R")
    return star, isolated


def _gi_z(star: sp.csr_matrix, x: np.ndarray) -> np.ndarray:
    """Getis–Ord (1995) z of Gi* for the weights ``star``; NaN where Gi* has no variance."""
    n = x.size
    xbar = float(x.mean())
    s = float(x.std())  # population sd (ddof=0), computed on centred values: no cancellation
    wi = np.asarray(star.sum(axis=1)).ravel()
    s1i = np.asarray(star.multiply(star).sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        # a region whose neighbours are all the others has n S1 = W²: its Gi* has no variance
        return (star @ x - wi * xbar) / (s * np.sqrt((n * s1i - wi * wi) / (n - 1)))


def _gi_permutations(
    permutations: int | str, inference: str, correction: str | None, n_tests: int, alpha: float
) -> tuple[int, str]:
    """Permutation count of :func:`hotspots` and how it was chosen."""
    if inference == "permutation":
        # sized for alpha like lisa: m / 0.01 would mean 10^6 draws on counties (5 minutes); the
        # 99 % bin is still reachable under FDR once a few regions reach the smallest p-value
        return resolve_permutations(permutations, correction, max(n_tests, 1), alpha)
    if permutations == "auto":
        return 0, "permutations='auto': none (analytic inference)"
    return int(permutations), f"permutations={int(permutations)} (gi_p_sim only)"


def _gi_bins(
    p: np.ndarray, gi_z: np.ndarray, correction: str | None
) -> tuple[np.ndarray, dict[str, float]]:
    """Bins -3..3 at the levels of :data:`~spatialinno.measures.results.GI_LEVELS` and the p
    cut-off applied at each level."""
    bins = np.zeros(p.size, dtype=int)
    cutoffs = {}
    for level, a in reversed(GI_LEVELS):  # 90 % first, then overwrite with 95 % and 99 %
        sig = significant(p, a, correction)
        bins[sig] = level * np.sign(gi_z[sig]).astype(int)
        cutoffs[f"{round((1 - a) * 100)}%"] = threshold(p, sig)
    return bins, cutoffs
