"""The arrangements a permutation test runs through, and the tie counts over them.

:mod:`spatialinno.measures.inference` decides how many arrangements a test needs and turns the
counts into p-values; this module produces the arrangements: random permutations of all values in
chunks of bounded size, every ordering of a few values (exact enumeration), random or
enumerated neighbour sets of a region for conditional randomisation, and the counts of draws at
least as large / at least as small as the observed value.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = [
    "DRAW_BLOCK",
    "arrangement_blocks",
    "arrangement_counts",
    "by_cardinality",
    "count_ties",
    "distinct_draws",
    "enumerate_sets",
    "equal_row_weights",
    "off_diagonal",
    "reused_draws",
    "row_reduce",
    "row_weights",
    "shared_sum_counts",
]

#: numbers drawn per chunk (about 8 MB of int64): memory stays bounded whatever the count
DRAW_BLOCK = 2**20
# neighbour values gathered at once by count_ties (regions x draws x neighbours). Small enough
# that the index, value and product arrays (2 MB each) stay in the CPU caches: 4 million (32 MB
# arrays) took twice as long on the 2-core reference machine (LISA, 2,891 counties, 9,999
# permutations: 1.2 s -> 0.6 s); the counts do not depend on it.
_BATCH_ELEMENTS = 2**18


class _Draws:
    """Random permutations made once and handed out again, within :func:`reused_draws`.

    A permutation test draws from a generator in a given state; the arrangements it gets
    depend only on that state, the number of values and the count -- not on the values, the
    statistic, the chunking or the layout (checked in tests/test_inference.py). Tests of the
    same seed on the same number of values (Moran's I and the spatial Gini of every column of
    a run) therefore use the same permutations: made once as indices, they are handed out again
    as ``values[indices]``, and the generator is left in the state the draws would have left it.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used = 0
        self.permutations: dict[tuple[Any, ...], tuple[np.ndarray, dict[str, Any]]] = {}

    def permutation_indices(
        self, rng: np.random.Generator, count: int, n: int
    ) -> np.ndarray | None:
        """The (count, n) indices of ``count`` random permutations from ``rng`` (advanced as if
        drawn); None when they would not fit in the budget (the caller draws as usual)."""
        key = (_state_key(rng.bit_generator.state), count, n)
        hit = self.permutations.get(key)
        if hit is None:
            dtype = np.int16 if n <= np.iinfo(np.int16).max else np.int32
            size = count * n * np.dtype(dtype).itemsize
            if self.used + size > self.max_bytes:
                return None
            # the same stream as permuting the values themselves: a shuffle moves positions
            idx = np.tile(np.arange(n, dtype=dtype), (count, 1))
            rng.permuted(idx, axis=1, out=idx)
            idx.flags.writeable = False
            hit = self.permutations[key] = (idx, rng.bit_generator.state)
            self.used += size
        else:
            rng.bit_generator.state = hit[1]
        return hit[0]


def _state_key(state: dict[str, Any]) -> Any:
    """A generator state (nested dicts of numbers and arrays) as a hashable value."""
    if isinstance(state, dict):
        return tuple((k, _state_key(v)) for k, v in sorted(state.items()))
    if isinstance(state, np.ndarray):
        return (state.dtype.str, state.tobytes())
    return state


_REUSED: ContextVar[_Draws | None] = ContextVar("spatialinno_reused_draws", default=None)


@contextmanager
def reused_draws(max_bytes: int = 256 * 2**20) -> Iterator[None]:
    """Inside the block, random permutations of n values from the same generator state are
    drawn once and reused (see :class:`_Draws`): the same arrangements, hence the same p-values,
    as drawing them again. ``max_bytes`` bounds the indices kept (int16 below 32,768 values:
    58 MB for 9,999 permutations of the 2,891 counties); beyond it tests draw as usual. Used by
    :func:`spatialinno.workflow.section.cross_section`, whose columns share one seed.

    >>> from spatialinno.measures.inference import global_test
    >>> x = np.arange(50.0)
    >>> def run():
    ...     t = global_test(lambda b: b[:, :25].sum(axis=1), x, 300.0, 999,
    ...                     np.random.default_rng(1), scale=1.0, work_per_draw=50)
    ...     return t.p, t.mean
    >>> with reused_draws():
    ...     inside = run(), run()
    >>> inside[0] == inside[1] == run()
    True
    """
    token = _REUSED.set(_Draws(max_bytes))
    try:
        yield
    finally:
        _REUSED.reset(token)


def arrangement_blocks(
    values: np.ndarray, count: int, exact: bool, rng: np.random.Generator, chunk: int, rows: bool
) -> Iterator[np.ndarray]:
    """Blocks of arrangements of ``values``: all n! orderings, or ``count`` random ones; as the
    rows of (c, n) arrays, or the columns of (n, c) arrays."""
    n = values.size
    chunk = max(1, int(chunk))
    if exact:
        orders = itertools.permutations(range(n))
        for idx in _index_blocks(orders, count, chunk, n):
            yield values[idx] if rows else values[idx.T]
        return
    shared = _REUSED.get()
    indices = None if shared is None else shared.permutation_indices(rng, count, n)
    if indices is not None:
        for start in range(0, count, chunk):
            block = indices[start : start + chunk]
            # columns: transpose the (small, int16) indices, not the values, so that the block
            # is C-ordered -- a sparse product copies an F-ordered one first (Moran's I on the
            # counties: 54 -> 32 ms per 1,000 draws; the same numbers)
            yield values[block] if rows else values[np.ascontiguousarray(block.T)]
        return
    for start in range(0, count, chunk):
        size = min(chunk, count - start)
        # each row (column) an independent random permutation of the values
        if rows:
            yield rng.permuted(np.tile(values, (size, 1)), axis=1)
        else:
            yield rng.permuted(np.repeat(values[:, None], size, axis=1), axis=0)


def off_diagonal(m: sp.csr_matrix) -> sp.csr_matrix:
    """Weights without self links, explicit zeros removed, indices sorted: the ``off`` matrix
    :func:`conditional_test` draws neighbours for."""
    import scipy.sparse as sp

    off = sp.csr_matrix(m, copy=True)
    # zero the stored diagonal entries in place: setdiag rebuilds the matrix (1 s at 10^6 units)
    rows = np.repeat(np.arange(off.shape[0]), np.diff(off.indptr))
    off.data[off.indices == rows] = 0.0
    off.eliminate_zeros()
    off.sort_indices()
    return off


def by_cardinality(card: np.ndarray, mask: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """(k, the units with k neighbours) for every neighbour count k among the units ``mask``."""
    for k in np.unique(card[mask]):
        yield int(k), np.flatnonzero(mask & (card == k))


def row_weights(off: sp.csr_matrix, units: np.ndarray) -> np.ndarray:
    """The stored weights of the rows ``units`` (all with the same number of entries), stacked."""
    return np.stack([off.data[off.indptr[i] : off.indptr[i + 1]] for i in units])


def row_reduce(ufunc: np.ufunc, off: sp.csr_matrix, data: np.ndarray) -> np.ndarray:
    """``ufunc`` reduced over the stored entries of each row (0 for rows without entries)."""
    card = np.diff(off.indptr)
    out = np.zeros(off.shape[0])
    rows = np.flatnonzero(card > 0)
    if rows.size:
        # consecutive non-empty rows: the next start is this row's end (empty rows have length 0)
        out[rows] = ufunc.reduceat(data, off.indptr[rows])
    return out


def equal_row_weights(off: sp.csr_matrix) -> np.ndarray:
    """Per row: are all its weights equal (binary or row-standardised binary weights)?"""
    hi = row_reduce(np.maximum, off, off.data)
    lo = row_reduce(np.minimum, off, off.data)
    return hi - lo <= 1e-12 * np.maximum(np.abs(hi), np.abs(lo))


def arrangement_counts(n: int, card: np.ndarray, equal: np.ndarray) -> np.ndarray:
    """Distinct neighbour assignments of each region: C(n-1, k) sets, or (n-1)!/(n-1-k)! ordered
    ones when the weights differ (as floats; inf beyond 1e300)."""
    out = np.empty(card.size)
    for k, eq in set(zip(card.tolist(), equal.tolist(), strict=True)):
        count = math.comb(n - 1, k) if eq else math.perm(n - 1, k)
        out[(card == k) & (equal == eq)] = float(count) if count < 1e300 else math.inf
    return out


def count_ties(
    idx: np.ndarray,
    units: np.ndarray,
    weights: np.ndarray,
    values: np.ndarray,
    sign: np.ndarray,
    observed: np.ndarray,
    tol: np.ndarray,
    ge: np.ndarray,
    le: np.ndarray,
) -> None:
    """Add to ge/le the draws ``idx`` (c x k positions among the n - 1 others) of ``units``."""
    c, k = idx.shape
    batch = max(1, _BATCH_ELEMENTS // max(c * k, 1))
    signed = sign[units, None] * weights  # the sign folded into the weights: one product less
    # position j of the n - 1 others is region j before region i, region j + 1 from i on:
    # both values gathered once for all regions, each region selects (no gather per region)
    before, after = values[idx], values[idx + 1]
    # the comparisons on the narrowest integers that hold the positions (int16 for the
    # counties): a quarter of the memory traffic of int64
    narrow = np.min_scalar_type(-max(values.size, 1))
    idx, units = idx.astype(narrow), units.astype(narrow)
    for start in range(0, units.size, batch):
        u = units[start : start + batch]
        picked = np.where(idx[None, :, :] >= u[:, None, None], after[None], before[None])
        # (b, c, k) @ (b, k, 1): the statistic of every draw, one row per region
        sims = np.matmul(picked, signed[start : start + batch, :, None])[..., 0]
        # bool .sum is several times faster than count_nonzero along an axis
        ge[u] += (sims >= (observed[u] - tol[u])[:, None]).sum(axis=1)
        le[u] += (sims <= (observed[u] + tol[u])[:, None]).sum(axis=1)


def enumerate_sets(
    k: int,
    units: np.ndarray,
    off: sp.csr_matrix,
    values: np.ndarray,
    sign: np.ndarray,
    observed: np.ndarray,
    tol: np.ndarray,
    equal: bool,
    n: int,
    ge: np.ndarray,
    le: np.ndarray,
) -> None:
    """Exact counts over every neighbour set (equal weights) or ordered set (unequal weights)."""
    pick = itertools.combinations if equal else itertools.permutations
    total = math.comb(n - 1, k) if equal else math.perm(n - 1, k)
    weights = row_weights(off, units)
    sets = pick(range(n - 1), k)
    chunk = max(1, DRAW_BLOCK // k)
    for idx in _index_blocks(sets, total, chunk, k):
        count_ties(idx, units, weights, values, sign, observed, tol, ge, le)


def _index_blocks(
    tuples: Iterator[tuple[int, ...]], total: int, chunk: int, width: int
) -> Iterator[np.ndarray]:
    """The ``total`` tuples of ``width`` indices of an itertools iterator, ``chunk`` at a time,
    as (size, width) integer arrays."""
    for start in range(0, total, chunk):
        size = min(chunk, total - start)
        flat = itertools.chain.from_iterable(itertools.islice(tuples, size))
        yield np.fromiter(flat, dtype=np.intp, count=size * width).reshape(size, width)


def distinct_draws(rng: np.random.Generator, rows: int, pool: int, k: int) -> np.ndarray:
    """``rows`` x ``k`` integers in [0, pool), distinct within each row, uniformly random order."""
    if k == 0:
        return np.zeros((rows, 0), dtype=np.int64)
    if k * k < pool:
        # draw with replacement and redraw the rare rows with a repeat (probability about
        # k²/2pool) -- far cheaper than permuting all regions per draw
        out = rng.integers(0, pool, size=(rows, k))
        while True:
            s = np.sort(out, axis=1)
            bad = np.flatnonzero((s[:, 1:] == s[:, :-1]).any(axis=1))
            if bad.size == 0:
                return out
            out[bad] = rng.integers(0, pool, size=(bad.size, k))
    out = np.empty((rows, k), dtype=np.int64)
    step = max(1, 20_000_000 // pool)
    for start in range(0, rows, step):
        stop = min(rows, start + step)
        out[start:stop] = np.argsort(rng.random((stop - start, pool)), axis=1)[:, :k]
    return out


def shared_sum_counts(
    off: sp.csr_matrix,
    values: np.ndarray,
    sign: np.ndarray,
    observed: np.ndarray,
    tol: np.ndarray,
    units: np.ndarray,
    permutations: int,
    rng: np.random.Generator,
    ge: np.ndarray,
    le: np.ndarray,
) -> None:
    """Conditional-randomisation tie counts of equal-weight neighbourhoods from shared draws.

    Unit i's statistic is ``c_i S``, S the sum of its k neighbours' values and c_i = sign_i w_i
    (all its weights equal w_i). Each draw r is k + 1 distinct positions among all n units; for a
    unit i it stands for the first k of them other than i -- a uniformly random k-set of the
    other n - 1 units, as conditional randomisation asks. Its sum is therefore S_r (the first k)
    for every unit not among them and S_r + v[last] - v_i for the k units that are: the sums are
    shared, so the counts #{S_r >= S_i - t_i} come from one sorted array (binary search per unit)
    and only k units per draw are corrected. Work O(P k + n log P) per neighbour count k instead
    of O(n P k). Adds the counts of the rows ``units`` (a boolean mask; rows of ``off`` with equal weights) to ge/le.
    """
    card = np.diff(off.indptr)
    first = off.data[np.minimum(off.indptr[:-1], max(off.data.size - 1, 0))]
    coef = sign * np.where(card > 0, first, 0.0)
    for k, group in by_cardinality(card, units):
        _shared_group(k, group, values, coef, observed, tol, permutations, rng, ge, le)


def _shared_group(
    k: int,
    group: np.ndarray,
    values: np.ndarray,
    coef: np.ndarray,
    observed: np.ndarray,
    tol: np.ndarray,
    permutations: int,
    rng: np.random.Generator,
    ge: np.ndarray,
    le: np.ndarray,
) -> None:
    """:func:`shared_sum_counts` for the units ``group``, all with k neighbours."""
    n = values.size
    c = coef[group]
    flat = c == 0  # sign 0 (z_i = 0): every draw ties
    scale = np.where(flat, 1.0, np.abs(c))
    s_obs = np.where(flat, 0.0, observed[group] / np.where(flat, 1.0, c))
    lo = s_obs - tol[group] / scale  # S >= lo: a draw at least as large (c > 0)
    hi = s_obs + tol[group] / scale
    member = np.full(n, -1, dtype=np.int64)  # unit -> its place in the group
    member[group] = np.arange(group.size)
    n_ge = np.zeros(group.size)
    n_le = np.zeros(group.size)
    chunk = max(1, min(permutations, DRAW_BLOCK // (k + 1)))
    for start in range(0, permutations, chunk):
        size = min(chunk, permutations - start)
        idx = distinct_draws(rng, size, n, k + 1)
        s_k = values[idx[:, :k]].sum(axis=1)
        s_k1 = s_k + values[idx[:, k]]
        ordered = np.sort(s_k)
        n_ge += size - np.searchsorted(ordered, lo, side="left")
        n_le += np.searchsorted(ordered, hi, side="right")
        # the k units drawn in row r see S_r + v[last] - v_i instead of S_r
        rows, cols = np.nonzero(member[idx[:, :k]] >= 0)
        who = member[idx[rows, cols]]
        old = s_k[rows]
        new = s_k1[rows] - values[idx[rows, cols]]
        n_ge += np.bincount(who, (new >= lo[who]).astype(float) - (old >= lo[who]), group.size)
        n_le += np.bincount(who, (new <= hi[who]).astype(float) - (old <= hi[who]), group.size)
    # c < 0 reverses the order of the statistic: its upper tail is the lower tail of S
    neg = c < 0
    ge[group] += np.where(flat, permutations, np.where(neg, n_le, n_ge))
    le[group] += np.where(flat, permutations, np.where(neg, n_ge, n_le))
