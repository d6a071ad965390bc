"""Rey–Smith spatial Gini: the Gini coefficient split into neighbour and non-neighbour pairs.

The reference study (Zhao et al. 2025) calls its Gini *spatial* because it splits it, after
Rey & Smith (2013), into the part coming from neighbouring pairs of units and the part coming
from non-neighbouring pairs, and tests the split by permuting the values over the units
(:mod:`spatialinno.measures.inference`). Values, missing values and weights are read as every
measure of levels reads them (:mod:`spatialinno.measures.values`).

References
----------
Rey, S. J. & Smith, R. J. (2013). A spatial decomposition of the Gini coefficient.
*Letters in Spatial and Resource Sciences* 6(2):55-70. doi:10.1007/s12076-012-0086-z
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import InputError, WeightsError
from .._validate import check_seed, seed_record
from .alignment import aligned
from .inference import check_permutations, global_test, replayed_test
from .values import as_values, sum_abs_diff, valid_mask

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["SpatialGini", "spatial_gini"]

# Upper bound on the (chunk x pairs) float64 block of values the permutation test gathers.
# 2 MB keeps it inside the CPU caches (32 MB chunks took 91 ms, 2 MB 55 ms on the 2,891-county
# layer: benchmarks/FINDINGS.md, finding 3); the absolute differences are then taken
# _PIECE_BYTES at a time, so that they and their temporary fit in one core's 2 MB L2 cache
# next to the block: with other jobs on the machine 2 MB pieces ran 0.3-0.9 s per 9,999
# county permutations, 0.5 MB pieces 0.27-0.29 s (the same sums, row by row).
_CHUNK_BYTES = 2 * 2**20
_PIECE_BYTES = 2**19
# permuted G_NN values kept on the result (the first ones drawn): 0.8 MB, whatever the count
_KEEP_SIMS = 100_000


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
    from .weights import spatial_weights

    # islands stay without neighbours: in the Rey–Smith split an island simply forms only
    # non-neighbour pairs, so linking it to a "nearest" unit would invent neighbour pairs
    return spatial_weights(frame, kind="queen", islands="keep")


def _neighbor_sad(
    xp: np.ndarray, focal: np.ndarray, neigh: np.ndarray, factor: float
) -> np.ndarray:
    """Sum of |x_i - x_j| over the neighbour links for each row of ``xp`` (rows = permutations)."""
    out = np.empty(xp.shape[0])
    rows = max(1, _PIECE_BYTES // (8 * max(focal.size, 1)))
    for start in range(0, xp.shape[0], rows):
        piece = xp[start : start + rows]
        # np.take + in-place ufuncs: one temporary instead of four, ~3x faster than fancy indexing
        a = np.take(piece, focal, axis=1)
        np.subtract(a, np.take(piece, neigh, axis=1), out=a)
        np.abs(a, out=a)
        out[start : start + rows] = a.sum(axis=1)
    return factor * out


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
    x, labels, frame, name = as_values(gdf_or_values, column, "spatial_gini")
    check_permutations(permutations)
    rng = check_seed(seed)
    # the default is built from these very rows; any w is checked against the frame
    graph = _default_queen(frame) if w is None else w
    positions, adj = aligned(graph, x.size, frame, noun="data" if frame is None else "frame")
    valid = valid_mask(x, labels, name, "spatial Gini")
    focal, neigh = _links(positions, adj, valid)
    x = x[valid]
    n = x.size
    n_links = focal.size
    f_use, n_use, factor = _pairs_once(focal, neigh)

    sad, _, mean = sum_abs_diff(x)
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
            chunk=_chunk_rows(f_use.size, n),
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
        seed=seed_record(seed),
        n=int(n),
        n_neighbor_pairs=n_n_pairs,
        nonneighbor_sim=wcg_sim / den,
        note=note,
    )


def _links(
    positions: np.ndarray, adj: sp.csr_matrix, valid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Directed neighbour links (focal, neighbour) as positions among the units with a value.

    ``positions`` are the frame rows of the graph's units, ``adj`` its weights; self links and
    zero weights are no links; a unit without a value is left out with its links and the rest
    are renumbered 0..m-1.
    """
    coo = adj.tocoo()
    links = (coo.data != 0) & (coo.row != coo.col)
    # graph order -> data positions (a graph built with islands="drop" covers fewer rows)
    focal = positions[coo.row[links]].astype(np.intp)
    neigh = positions[coo.col[links]].astype(np.intp)
    if not valid.all():
        keep = valid[focal] & valid[neigh]
        newpos = np.cumsum(valid) - 1
        focal, neigh = newpos[focal[keep]], newpos[neigh[keep]]
    if focal.size == 0:
        raise WeightsError(
            "the weights have no neighbour pair among the units with data, so the neighbour part "
            "of the spatial Gini is empty; use weights that connect units (e.g. k-nearest)"
        )
    return focal, neigh


def _pairs_once(focal: np.ndarray, neigh: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The links to sum and the factor to sum them with: with symmetric weights every unordered
    pair appears twice, so each is summed once and doubled (half the work of every permutation)."""
    # symmetric iff the sorted links equal the sorted reversed links (CSR links are distinct);
    # in numpy, not a set of tuples: 20 s for the 4 million links of 700 x 700 cells
    size = int(max(focal.max(initial=0), neigh.max(initial=0))) + 1
    key = np.sort(focal.astype(np.int64) * size + neigh)
    rev = np.sort(neigh.astype(np.int64) * size + focal)
    if np.array_equal(key, rev):
        once = focal < neigh
        return focal[once], neigh[once], 2.0
    return focal, neigh, 1.0


def _chunk_rows(n_links: int, n: int) -> int:
    """Arrangements evaluated at once: a (chunk x links) float64 block of at most _CHUNK_BYTES."""
    return max(1, _CHUNK_BYTES // (8 * max(n_links, n)))


def _permuted_wg(
    x: np.ndarray, focal: np.ndarray, neigh: np.ndarray, factor: float, permutations: np.ndarray
) -> np.ndarray:
    """Neighbour sums of absolute differences for given (P, n) index permutations, chunked.

    The tests replay inequality's own draws through it; :func:`spatial_gini` itself draws through
    :func:`spatialinno.measures.inference.global_test` with the same kernel, :func:`_neighbor_sad`.
    """
    total = permutations.shape[0]
    chunk = min(total, _chunk_rows(focal.size, x.size))
    out = np.empty(total)
    for start in range(0, total, chunk):
        stop = min(total, start + chunk)
        out[start:stop] = _neighbor_sad(x[permutations[start:stop]], focal, neigh, factor)
    return out


def _permutation_summary(wcg: float, wcg_sim: np.ndarray) -> tuple[float, float, float, float]:
    """(folded p, one-sided p, mean, z) of given permuted values, ties on both sides.

    Without ties the folded p is inequality's ``p_sim``; the p-values come from
    :func:`spatialinno.measures.inference.replayed_test`, as those of every test here.
    """
    test = replayed_test(wcg, wcg_sim, scale=float(np.abs(wcg_sim).max(initial=0.0)))
    z = (wcg - test.mean) / test.sd if test.sd > 0 else float("nan")
    return test.p, test.p_greater, test.mean, z
