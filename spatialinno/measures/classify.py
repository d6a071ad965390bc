"""Class breaks: the one function that splits values into classes.

Used by every map, print figure and QGIS style (through :mod:`spatialinno.styles`) and by the
measures that classify units (network tiers), so a map and a statistic never disagree on a class.
Quantiles, natural breaks and equal intervals come from mapclassify; Fisher–Jenks is
:func:`fisher_jenks` here, the one implementation in the package.

Why not ``mapclassify.FisherJenks``: without numba (optional for mapclassify, not installed
here) it is pure Python, O(k n²) in the number of values. Measured (mapclassify 2.10, k = 5,
``benchmarks/bench_classify.py``): 2.3-3.1 s for the 1,285 edge weights of the bundled 2014 air
network, 1.2-1.4 s for 1,000 values and 12.5 s for 3,000 (the county layer has 2,891 units),
plus about 1.5-1.9 s to import mapclassify; :func:`fisher_jenks` finds the same breaks in
1-2 ms, 62-69 ms and 0.3 s (the tests compare it with mapclassify and an exhaustive search).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._errors import InputError

__all__ = [
    "SCHEMES",
    "class_breaks",
    "class_index",
    "fisher_jenks",
    "is_integer_data",
    "quantile_breaks",
    "scheme_breaks",
    "tidy_breaks",
]

SCHEMES: tuple[str, ...] = ("quantiles", "fisher_jenks", "natural_breaks", "equal_interval", "user")


def class_breaks(
    values: Sequence[float] | np.ndarray,
    scheme: str = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
) -> tuple[float, ...]:
    """Upper bounds of the classes of ``values`` (NaN ignored): no class empty, no class twice.

    The breaks of ``scheme`` (:func:`scheme_breaks`) made usable for a legend
    (:func:`tidy_breaks`): a break repeated by tied values is kept once, a class that no value
    falls in is merged into the next one (so ``k`` is an upper limit: fewer distinct values or
    heavy ties give fewer classes), and on integer data (every value a whole number: counts,
    patents, staff) every break is a whole number, so class ``i`` holds the integers
    ``breaks[i-1] + 1 .. breaks[i]``. User ``bins`` are kept as given (an empty class there is a
    threshold the user asked for, such as the 50 % of the capital effect), only deduplicated.

    >>> class_breaks([1] * 14 + [2, 2, 3, 4, 5, 7, 9, 12, 20], "quantiles", k=5)
    (1.0, 4.0, 20.0)
    >>> class_breaks([0.5, 1.5, 2.5, 9.5], "equal_interval", k=4)  # (2.75, 4.5] and (4.5, 7.25] empty
    (2.75, 9.5)
    """
    x = _finite(values)
    user = scheme == "user" or bins is not None
    return tidy_breaks(x, scheme_breaks(x, scheme, k, bins), keep_empty=user)


def scheme_breaks(
    values: Sequence[float] | np.ndarray,
    scheme: str = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
) -> tuple[float, ...]:
    """Upper bounds of the classes of ``values`` by the formula of ``scheme`` (NaN ignored).

    ``scheme`` is one of quantiles, fisher_jenks, natural_breaks, equal_interval or user (with
    ``bins``, the upper bounds; the maximum is appended when the last bin is below it).
    ``fisher_jenks`` is the exact optimum (:func:`fisher_jenks`); ``natural_breaks`` is seeded
    so the same data always gives the same breaks. The bounds are those of the formula, empty or
    repeated classes included; maps and styles use :func:`class_breaks`.
    """
    x = _finite(values)
    if scheme == "user" or bins is not None:
        if bins is None:
            raise InputError("scheme='user' needs bins=, the upper bounds of the classes")
        upper = sorted(float(b) for b in bins)
        if upper[-1] < x.max():
            upper.append(float(x.max()))
        return tuple(upper)
    k = min(k, np.unique(x).size)
    if scheme == "fisher_jenks":
        return tuple(float(b) for b in fisher_jenks(x, k))
    if scheme not in SCHEMES:
        raise InputError(f"unknown scheme {scheme!r}; valid schemes: {', '.join(SCHEMES)}")
    if scheme == "quantiles":
        # the formula of mapclassify.Quantiles, here: importing mapclassify costs 0.5-2 s
        # (scipy.stats, sklearn, matplotlib.pyplot when installed) for a few percentiles
        return tuple(float(b) for b in quantile_breaks(x, k))
    import mapclassify  # lazy: keeps ``import spatialinno`` fast

    if scheme == "natural_breaks":
        # mapclassify's NaturalBreaks draws random starts from numpy's *global* RNG: seed it so
        # the same data always gives the same breaks, and restore the caller's RNG state after
        state = np.random.get_state()
        try:
            np.random.seed(0)
            cls = mapclassify.NaturalBreaks(x, k=k, initial=10)
        finally:
            np.random.set_state(state)
    else:
        cls = mapclassify.EqualInterval(x, k=k)
    return tuple(float(b) for b in cls.bins)


def is_integer_data(values: Sequence[float] | np.ndarray) -> bool:
    """True when every finite value is a whole number (counts: patents, staff, people).

    >>> is_integer_data([1.0, 2, 30]), is_integer_data([1, 2.5]), is_integer_data([])
    (True, False, False)
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    return bool(x.size) and bool(np.all(x == np.floor(x)))


def quantile_breaks(x: np.ndarray, k: int) -> np.ndarray:
    """The k quantiles of ``x`` (distinct values, ascending), as ``mapclassify.Quantiles(x, k).bins``.

    Percentiles p = 100/k, 200/k, ..., 100 at the fractional rank p/100 * (n - 1) of the sorted
    values, interpolated linearly between the two neighbouring values -- step for step the
    computation of mapclassify 2.x (``quantile``) and ``scipy.stats.scoreatpercentile`` it
    calls, so the breaks are the same numbers (tests/test_export.py and
    tests/test_maps_finished.py compare them with mapclassify).
    """
    w = 100.0 / k
    p = np.arange(w, 100 + w, w)
    if p[-1] > 100.0:
        p[-1] = 100.0
    ordered = np.sort(np.asarray(x).flatten())
    scores = []
    for pct in p:
        idx = pct / 100.0 * (ordered.size - 1)
        i = int(idx)
        if i == idx:
            scores.append(np.add.reduce(ordered[i : i + 1] * np.array(1)) / 1.0)
        else:
            weights = np.array([(i + 1 - idx), (idx - i)], float)
            scores.append(np.add.reduce(ordered[i : i + 2] * weights) / weights.sum())
    return np.unique(np.array(scores))


def tidy_breaks(
    values: Sequence[float] | np.ndarray, breaks: Sequence[float], keep_empty: bool = False
) -> tuple[float, ...]:
    """``breaks`` without repeated bounds, without empty classes, whole numbers on integer data.

    On integer data each bound is rounded down (``v <= 2.75`` and ``v <= 2`` hold for the same
    whole numbers, so no value changes class). Then each class ``(previous bound, bound]`` that
    no value falls in is merged into the next (the last bound, the maximum, always stays);
    ``keep_empty=True`` (user bins) keeps them. Class membership of every value is unchanged
    except that empty classes disappear.

    >>> tidy_breaks([1, 1, 1, 2, 5], (1.0, 1.0, 1.2, 4.6, 5.0))
    (1.0, 4.0, 5.0)
    >>> tidy_breaks([0.5, 0.9, 3.0], (1.0, 2.0, 3.0))  # (1, 2] is empty
    (1.0, 3.0)
    """
    x = _finite(values)
    b = np.asarray(breaks, dtype=float)
    if is_integer_data(x):
        b = np.floor(b)
    b = np.unique(b)  # sorted, each bound once
    if keep_empty:
        return tuple(float(v) for v in b)
    kept: list[float] = []
    lower = -np.inf
    for i, upper in enumerate(b):
        last = i == b.size - 1
        if last or np.any((x > lower) & (x <= upper)):
            kept.append(float(upper))
            lower = upper
    if len(kept) > 1 and not np.any((x > kept[-2]) & (x <= kept[-1])):
        kept.pop(-2)  # the last class is empty (bounds above the data): merge it downwards
    return tuple(kept)


def _finite(values: Sequence[float] | np.ndarray) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        raise InputError("cannot classify: no finite values")
    return x


def class_index(values: Sequence[float] | np.ndarray, breaks: Sequence[float]) -> np.ndarray:
    """Class (0-based) of each value for the upper bounds ``breaks``; -1 for NaN."""
    x = np.asarray(values, dtype=float)
    idx = np.searchsorted(np.asarray(breaks, dtype=float), x, side="left")
    idx = np.minimum(idx, len(breaks) - 1)
    return np.where(np.isfinite(x), idx, -1)


def fisher_jenks(values: Sequence[float] | np.ndarray, k: int = 5) -> np.ndarray:
    r"""Exact Fisher–Jenks natural breaks: upper bounds of ``k`` classes of ``values``.

    The classes minimise the total within-class sum of squared deviations
    :math:`\sum_c \sum_{x \in c} (x - \bar{x}_c)^2` over all partitions of the sorted values
    into ``k`` contiguous groups (Fisher 1958, JASA 53:789; Jenks 1977), found by dynamic
    programming on the distinct values weighted by their counts, so tied values always share a
    class. Deterministic (on a tie of two partitions, the one whose last class starts at the
    lowest value); the same optimum as ``mapclassify.FisherJenks``. NaN and infinite values are
    ignored; fewer than ``k`` distinct values give one class per value.

    Examples
    --------
    >>> fisher_jenks([1, 2, 3, 10, 11, 12, 30, 31], k=3).tolist()
    [3.0, 12.0, 31.0]
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        raise InputError("cannot classify: no finite values")
    v, w = np.unique(x, return_counts=True)
    n = v.size
    k = min(k, n)
    cw = np.concatenate([[0.0], np.cumsum(w)])
    cs = np.concatenate([[0.0], np.cumsum(w * v)])
    cq = np.concatenate([[0.0], np.cumsum(w * v * v)])

    def ssd(i: np.ndarray | int, j: int | np.ndarray) -> np.ndarray:
        # within-class sum of squares of distinct values i..j (inclusive), from prefix sums
        ww = cw[np.add(j, 1)] - cw[i]
        ss = cs[np.add(j, 1)] - cs[i]
        return np.maximum((cq[np.add(j, 1)] - cq[i]) - ss * ss / ww, 0.0)

    cost = np.full((k, n), np.inf)
    start = np.zeros((k, n), dtype=int)
    cost[0] = ssd(0, np.arange(n))
    for c in range(1, k):
        for j in range(c, n):
            first = np.arange(c, j + 1)  # first value of the last class
            total = cost[c - 1][first - 1] + ssd(first, j)
            best = int(np.argmin(total))  # lowest index on exact ties: deterministic
            cost[c, j], start[c, j] = total[best], first[best]
    uppers = [v[n - 1]]
    j = n - 1
    for c in range(k - 1, 0, -1):
        j = start[c, j] - 1
        uppers.append(v[j])
    return np.array(uppers[::-1], dtype=float)
