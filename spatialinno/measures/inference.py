"""Permutation inference shared by every permutation statistic of spatialinno.

One module decides, for Moran's I, Geary's C, bivariate Moran, LISA, Getis–Ord Gi* and the
Rey–Smith spatial Gini alike: how many permutations to draw, how to draw them in bounded memory,
when to enumerate the null distribution exactly instead, how to turn the draws into a pseudo
p-value, what to say when a statistic cannot be tested, and how to correct for multiple tests.

**Pseudo p-value, ties on both sides.** With P random permutations and the observed value s::

    ge = #{s* >= s},   le = #{s* <= s},   p = (min(ge, le) + 1) / (P + 1)

(Hope 1968; Davison & Hinkley 1997, ch. 4), folded to the tail s falls in, a tie counting as at
least as extreme on both sides (within a relative :data:`TIE_RTOL`, so that sums of the same
values in another order still tie). esda and GeoDa fold ``#{s* >= s}`` with ``P - #{s* >= s}``,
which puts ties on the far side: a region whose neighbours are all zeros in a zero-inflated
column ties most draws and got p = 0.001 (or 1 - P(tie)); here p >= P(tie), so a statistic
whose exact probability of a tie is >= 0.9 never has p < 0.9.

**Exact enumeration.** When there are no more distinct arrangements than permutations asked for
(n! orderings of a global statistic; C(n-1, k) neighbour sets of a local one with equal weights,
(n-1)!/(n-1-k)! ordered sets otherwise), all N are enumerated and p = min(ge, le) / N, the
observed arrangement among them, is the exact permutation p-value.

**Not testable.** If every arrangement gives the observed value (ge = le = all: a region whose
neighbours are all the others with equal weights, a LISA value equal to the mean, a constant
column in the spatial Gini) p is NaN and the caller says so in a note -- never a p-value.

**Bounded memory and time.** Draws are made in chunks of about :data:`DRAW_BLOCK` numbers and
only running counts and moments are kept, never an n x P matrix. A count whose estimated run
time exceeds :data:`MAX_SECONDS` is refused with the largest useful count: the Monte Carlo
standard error of p is sqrt(p (1 - p) / P), below 10 % of the smallest threshold t a decision
uses (alpha / m after a correction) once P >= 100 (1 - t) / t, where 1 / (P + 1) is at least
100 times below t; more permutations only refine p-values far from any decision.

The arrangements themselves -- random permutations in chunks, every ordering or neighbour set
of an exact test, conditional draws -- and the tie counts over them are produced by
:mod:`spatialinno.measures.arrangements`; everything else about a permutation test is decided
here.

**Multiple testing.** ``fdr``: Benjamini & Hochberg (1995) step-up; ``bonferroni``: alpha / m,
m the regions tested (untestable ones are no tests). "auto" counts let a correction reject:
1 / (P + 1) <= alpha / m.

References
----------
Hope, A. C. A. (1968) A simplified Monte Carlo significance test procedure. *JRSS B* 30: 582-598.
Davison, A. C. & Hinkley, D. V. (1997) *Bootstrap Methods and their Application*, ch. 4. CUP.
Anselin, L. (1995) Local indicators of spatial association -- LISA. *Geographical Analysis* 27(2).
Benjamini, Y. & Hochberg, Y. (1995) Controlling the false discovery rate. *JRSS B* 57(1): 289-300.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import InputError
from .._notes import Note
from .arrangements import (
    DRAW_BLOCK,
    arrangement_blocks,
    arrangement_counts,
    by_cardinality,
    count_ties,
    distinct_draws,
    enumerate_sets,
    equal_row_weights,
    row_reduce,
    row_weights,
    shared_sum_counts,
)

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = [
    "CORRECTIONS",
    "EXACT_MAX",
    "GLOBAL_THRESHOLD",
    "MAX_SECONDS",
    "SHARED_MIN_UNITS",
    "TIE_RTOL",
    "GlobalTest",
    "LocalTest",
    "check_alpha_correction",
    "check_permutations",
    "conditional_test",
    "folded_p",
    "global_test",
    "largest_useful",
    "replayed_test",
    "resolve_permutations",
    "significant",
    "threshold",
    "tie_tolerance",
    "two_sided_p",
    "two_sided_p_array",
]

CORRECTIONS: tuple[str | None, ...] = (None, "fdr", "bonferroni")
#: relative tolerance under which two values of a statistic are a tie (scaled by the largest
#: value the statistic can take); sums of the same numbers in another order differ by ~1e-16
TIE_RTOL = 1e-10
#: largest number of arrangements enumerated exactly (per statistic or per neighbourhood size)
EXACT_MAX = 2**20
#: estimated run time above which a permutation count is refused
MAX_SECONDS = 300.0
#: seconds per element visited and permutation, measured on the 2-core reference machine
#: (2,891 counties, 999-9,999 permutations: Moran 5-6 ns, spatial Gini 8-9 ns, LISA 14-15 ns),
#: rounded up: a permutation of a global statistic touches n values and the links of w (the
#: spatial Gini: its neighbour pairs); a conditional draw one neighbour value per link of w
_SECONDS_PER_ELEMENT: dict[str, float] = {"global": 1e-8, "conditional": 1.5e-8}
#: the smallest conventional level: the threshold a global test is sized for
GLOBAL_THRESHOLD = 0.001
#: from this many units on (grids; the bundled layers have at most 2,891), neighbourhoods with
#: equal weights share the sums of their draws (arrangements.shared_sum_counts): O(P k + n log P)
SHARED_MIN_UNITS = 10_000


# ---------------------------------------------------------------------------------------------
# arguments
# ---------------------------------------------------------------------------------------------


def check_permutations(
    permutations: Any, *, allow_auto: bool = False, allow_zero: bool = True, what: str = ""
) -> None:
    """Refuse anything but a non-negative integer (or "auto"), and 0 where nothing is tested.

    ``allow_zero=False`` is for statistics whose only inference is by permutation (LISA, Gi*
    with ``inference="permutation"``): 0 would leave every region untested, which a map would
    show as "not significant".
    """
    if allow_auto and isinstance(permutations, str) and permutations == "auto":
        return
    if (
        isinstance(permutations, bool)
        or not isinstance(permutations, (int, np.integer))
        or permutations < 0
    ):
        allowed = "'auto' or " if allow_auto else ""
        raise InputError(
            f"permutations must be {allowed}a non-negative integer (e.g. 999), not {permutations!r}"
        )
    if permutations == 0 and not allow_zero:
        text = (
            f"{what} needs permutations >= 1: its p-values come only from permutations, and with "
            "permutations=0 no region would be tested (a map would show them all as not "
            "significant); use permutations='auto' or e.g. 999"
        )
        raise InputError(Note("zero_permutations", text, what=what))


def check_alpha_correction(alpha: float, correction: str | None) -> None:
    """Refuse an unknown correction or an alpha outside (0, 1)."""
    if correction not in CORRECTIONS:
        raise InputError(
            f"unknown correction {correction!r}; use None, 'fdr' (Benjamini–Hochberg) or "
            "'bonferroni'"
        )
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise InputError(f"alpha must be a probability between 0 and 1 (e.g. 0.05), not {alpha!r}")


def resolve_permutations(
    permutations: int | str, correction: str | None, n_tests: int, alpha: float
) -> tuple[int, str]:
    """Permutation count and a note saying how it was chosen.

    With m tests, a correction can only reject when the smallest attainable pseudo p-value,
    1 / (P + 1), is at most alpha / m (Bonferroni, and the first step of Benjamini–Hochberg).
    "auto" therefore takes P = 10^k - 1 with 10^k >= m / alpha (at least 999).
    """
    if permutations == "auto":
        if correction is None:
            text = "permutations='auto': 999 (no multiple-testing correction)"
            return 999, Note("auto_permutations_plain", text, count=999)
        k = max(3, math.ceil(math.log10(n_tests / alpha - 1e-9)))
        count = 10**k - 1
        text = (
            f"permutations='auto': {count} so that {correction} over {n_tests} tests at "
            f"alpha={alpha:g} can reject (needs 1/(P+1) <= alpha/m = {alpha / n_tests:.2e})"
        )
        facts = {"count": count, "correction": correction, "tests": n_tests, "alpha": alpha}
        return count, Note("auto_permutations", text, **facts)
    count = int(permutations)
    note = Note("permutations", f"permutations={count}", count=count)
    if correction is not None and count and 1.0 / (count + 1) > alpha / max(n_tests, 1):
        smallest, threshold = f"{1 / (count + 1):.2g}", f"{alpha / n_tests:.2g}"
        text = (
            f"with {count} permutations the smallest pseudo p-value is {smallest}, above "
            f"alpha/m = {threshold} for {n_tests} tests, so the {correction} correction cannot "
            "reject anything; use permutations='auto'"
        )
        facts = {"smallest": smallest, "threshold": threshold, "tests": n_tests}
        note = Note("few_permutations", text, count=count, correction=correction, **facts)
        warnings.warn(note, UserWarning, stacklevel=3)
    return count, note


def largest_useful(threshold: float) -> int:
    """Smallest 10^k - 1 with 10^k >= 100 (1 - t) / t (at least 999): the Monte Carlo standard
    error of a p-value at the threshold t, sqrt(t (1 - t) / P), is then at most 10 % of t.

    >>> largest_useful(0.05), largest_useful(0.05 / 375)
    (9999, 999999)
    """
    need = 100.0 * (1.0 - threshold) / threshold
    return 10 ** max(3, math.ceil(math.log10(need))) - 1


def _check_time(
    requested: int, seconds: float, seconds_per_draw: float, threshold: float, what: str,
    threshold_text: str = "",
) -> None:  # fmt: skip
    """Refuse a count whose estimated run time exceeds MAX_SECONDS, saying what is useful."""
    if seconds <= MAX_SECONDS:
        return
    useful = largest_useful(threshold)
    feasible = max(1, int(MAX_SECONDS / max(seconds_per_draw, 1e-12)))
    key = "too_slow" if useful <= feasible else "too_slow_feasible"
    advice = (f"Use permutations={useful:,} or fewer." if key == "too_slow"
              else f"About {feasible:,} finish in that time: use that many or fewer.")  # fmt: skip
    text = (
        f"{what}: permutations={requested:,} would take about {_duration(seconds)} here "
        f"(counts estimated to need more than {_duration(MAX_SECONDS)} are refused). More than "
        f"{useful:,} permutations add nothing: the Monte Carlo standard error of a pseudo p-value "
        f"p is sqrt(p(1-p)/P), so at the smallest threshold a decision uses here "
        f"({threshold_text or f'{threshold:.2g}'}) it is below 10 % of that threshold from "
        f"P = {useful:,} on, and the smallest attainable p, 1/(P+1), is at least 100 times "
        f"below it; more draws only refine p-values far from any decision. {advice}"
    )
    raise InputError(Note(key, text, what=what, count=requested, seconds=seconds, limit=MAX_SECONDS,
                          useful=useful, threshold=threshold, feasible=feasible))  # fmt: skip


def _shared_seconds(card: np.ndarray, n: int, permutations: int) -> float:
    """Estimated seconds per draw of the shared path: k + 1 values drawn and summed per
    neighbour count k, and a binary search per region per chunk of draws."""
    ks = np.unique(card)
    chunks = sum(math.ceil(permutations / max(1, DRAW_BLOCK // (int(k) + 1))) for k in ks)
    per_draw = float((ks + 1).sum()) * 4 * _SECONDS_PER_ELEMENT["conditional"]
    return per_draw + chunks * n * 20 * _SECONDS_PER_ELEMENT["conditional"] / permutations


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 86400:,.0f} days"


# ---------------------------------------------------------------------------------------------
# p-values and multiple testing
# ---------------------------------------------------------------------------------------------


def folded_p(ge: Any, le: Any, total: Any, exact: bool = False) -> np.ndarray:
    """Pseudo p-value with ties on both sides; NaN where every draw tied (not testable).

    Monte Carlo: ``(min(ge, le) + 1) / (P + 1)`` with P = ``total`` random draws (the observed
    arrangement counted once more, Hope 1968). Exact: ``min(ge, le) / N`` over all N =
    ``total`` arrangements, the observed one among them. At most 1 either way. ``total`` may
    be an array (one count per statistic).

    Examples
    --------
    999 draws, 900 of them tie the observed value and the other 99 are larger: no evidence at
    all (esda's rule, which puts the ties on the far side, gives 0.001):

    >>> float(folded_p(999, 900, 999))
    0.901
    >>> float(folded_p(999, 999, 999))  # every draw tied: not testable
    nan
    >>> float(folded_p(1, 3, 3, exact=True))  # exact: 1 of 3 neighbour sets is as large
    0.3333333333333333
    """
    ge = np.asarray(ge, dtype=float)
    le = np.asarray(le, dtype=float)
    total = np.asarray(total, dtype=float)
    low = np.minimum(ge, le)
    p = low / total if exact else (low + 1.0) / (total + 1.0)
    p = np.minimum(p, 1.0)
    return np.where((ge >= total) & (le >= total), np.nan, p)


def significant(p: np.ndarray, alpha: float, correction: str | None) -> np.ndarray:
    """Rejections among the finite p-values (NaN = not tested) at level alpha.

    ``fdr``: Benjamini & Hochberg (1995) step-up -- reject the k smallest p-values, k the largest
    rank with p_(k) <= k alpha / m. ``bonferroni``: p <= alpha / m. m counts finite p-values only.
    """
    tested = np.isfinite(p)
    m = int(tested.sum())
    out = np.zeros(p.shape, dtype=bool)
    if m == 0:
        return out
    pt = p[tested]
    if correction is None:
        out[tested] = pt <= alpha
    elif correction == "bonferroni":
        out[tested] = pt <= alpha / m
    else:
        ordered = np.sort(pt)
        below = np.flatnonzero(ordered <= alpha * np.arange(1, m + 1) / m)
        if below.size:
            out[tested] = pt <= ordered[below[-1]]
    return out


def threshold(p: np.ndarray, sig: np.ndarray) -> float:
    """Largest p-value declared significant (NaN if none): the cut-off actually applied."""
    return float(p[sig].max()) if sig.any() else float("nan")


def two_sided_p(z: float) -> float:
    """Two-sided p-value of a z-score under the standard normal: erfc(|z| / sqrt 2).

    >>> round(two_sided_p(1.959964), 6)
    0.05
    """
    return float(math.erfc(abs(z) / math.sqrt(2.0)))


def two_sided_p_array(z: np.ndarray) -> np.ndarray:
    """:func:`two_sided_p` of every z (NaN stays NaN), vectorised: 10^6 z-scores in
    milliseconds instead of seconds.

    >>> two_sided_p_array(np.array([0.0, 1.959964, np.nan])).round(6).tolist()
    [1.0, 0.05, nan]
    """
    from scipy.special import erfc

    return erfc(np.abs(np.asarray(z, dtype=float)) / math.sqrt(2.0))


# ---------------------------------------------------------------------------------------------
# global statistics: permutations of all values
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GlobalTest:
    """Outcome of a permutation test of one global statistic."""

    p: float  # folded, ties on both sides; NaN if untestable
    p_greater: float  # one-sided, #{s* >= s}
    mean: float  # of the permuted statistic
    sd: float  # population sd of the permuted statistic
    count: int  # random draws made, or arrangements enumerated
    exact: bool
    untestable: bool
    kept: np.ndarray = field(repr=False)  # the first `keep` permuted values, in draw order
    note: str = ""


class _Moments:
    """Running count, mean and sum of squared deviations (Chan et al. 1979), chunk by chunk."""

    def __init__(self) -> None:
        self.n, self.mean, self.m2 = 0, 0.0, 0.0

    def add(self, x: np.ndarray) -> None:
        if x.size == 0:
            return
        n_b, mean_b = x.size, float(x.mean())
        m2_b = float(((x - mean_b) ** 2).sum())
        delta = mean_b - self.mean
        total = self.n + n_b
        self.mean += delta * n_b / total
        self.m2 += m2_b + delta * delta * self.n * n_b / total
        self.n = total

    @property
    def sd(self) -> float:
        return math.sqrt(self.m2 / self.n) if self.n else float("nan")


def global_test(
    statistic: Callable[[np.ndarray], np.ndarray],
    values: np.ndarray,
    observed: float,
    permutations: int,
    rng: np.random.Generator,
    *,
    scale: float,
    work_per_draw: float,
    chunk: int | None = None,
    keep: int = 0,
    what: str = "the statistic",
    rows: bool = True,
) -> GlobalTest:
    """Permutation test of a global statistic, exact when n! <= ``permutations``.

    ``statistic`` maps a block of arrangements of ``values`` -- the rows of a (c, n) array, or
    with ``rows=False`` the columns of an (n, c) array (the layout a sparse product wants) -- to
    the c values of the statistic; ``observed`` must come from the same function (so that the
    identity arrangement ties exactly). Random draws are made ``chunk`` at a time, each an
    independent permutation; only running counts and moments are kept, plus the first ``keep``
    permuted values. ``scale`` bounds the magnitude of the statistic (for the tie tolerance);
    ``work_per_draw`` is the number of elements one permutation visits (for the time estimate).
    ``chunk`` defaults to at most 1,000 arrangements and 4 million values at once.
    """
    n = values.size
    if chunk is None:
        chunk = max(1, min(1000, 4_000_000 // max(n, 1)))
    n_arrangements = math.factorial(n) if n <= 20 else None
    exact = n_arrangements is not None and n_arrangements <= min(permutations, EXACT_MAX)
    count = int(n_arrangements) if exact else int(permutations)  # type: ignore[arg-type]
    seconds_per_draw = work_per_draw * _SECONDS_PER_ELEMENT["global"]
    _check_time(permutations, count * seconds_per_draw, seconds_per_draw, GLOBAL_THRESHOLD, what,
                "0.001, the smallest conventional significance level")  # fmt: skip
    tol = tie_tolerance(scale, observed)
    ge = le = 0
    moments = _Moments()
    kept: list[np.ndarray] = []
    n_kept = 0
    for block in arrangement_blocks(values, count, exact, rng, chunk, rows):
        sims = np.asarray(statistic(block), dtype=float)
        ge += int(np.count_nonzero(sims >= observed - tol))
        le += int(np.count_nonzero(sims <= observed + tol))
        moments.add(sims)
        if n_kept < keep:
            kept.append(sims[: keep - n_kept])
            n_kept += kept[-1].size
    kept_values = np.concatenate(kept) if kept else np.empty(0)
    if kept_values.size == count:  # all kept: moments of the array, whatever the chunking
        moments.mean, moments.m2 = float(kept_values.mean()), float(kept_values.var()) * count
    return _outcome(ge, le, count, exact, moments, kept_values, n)


def replayed_test(observed: float, sims: np.ndarray, *, scale: float = 0.0) -> GlobalTest:
    """The test of a global statistic from given permuted values (e.g. another library's draws
    replayed): the same tie tolerance, pseudo p-values and moments as :func:`global_test`.

    >>> t = replayed_test(3.0, np.array([1.0, 2.0, 3.0, 4.0]))
    >>> float(t.p), float(t.p_greater)  # 2 of 4 draws >= 3, 3 of 4 <= 3
    (0.6, 0.6)
    """
    sims = np.asarray(sims, dtype=float)
    tol = tie_tolerance(scale, observed)
    moments = _Moments()
    moments.add(sims)
    ge = int(np.count_nonzero(sims >= observed - tol))
    le = int(np.count_nonzero(sims <= observed + tol))
    return _outcome(ge, le, sims.size, False, moments, sims, 0)


def tie_tolerance(scale: float, observed: float) -> float:
    """Distance under which a permuted value ties the observed one: :data:`TIE_RTOL` times the
    largest magnitude the statistic can take (``scale``) or the observed value."""
    return TIE_RTOL * max(abs(scale), abs(observed), np.finfo(float).tiny)


def _outcome(
    ge: int, le: int, count: int, exact: bool, moments: _Moments, kept: np.ndarray, n: int
) -> GlobalTest:
    """The :class:`GlobalTest` of the tail counts ``ge``/``le`` of ``count`` arrangements."""
    p = float(folded_p(ge, le, count, exact))
    untestable = bool(np.isnan(p))
    extra = 0 if exact else 1  # Monte Carlo: the observed arrangement counted once more
    p_greater = float("nan") if untestable else (ge + extra) / (count + extra)
    note = f"exact: all {count:,} orderings of the {n} values enumerated" if exact else ""
    if untestable:
        note = (
            f"not testable: every one of the {count:,} "
            f"{'orderings' if exact else 'permutations'} gives the observed value, so no p-value"
        )
    return GlobalTest(
        p=p,
        p_greater=p_greater,
        mean=moments.mean if moments.n else float("nan"),
        sd=moments.sd,
        count=count,
        exact=exact,
        untestable=untestable,
        kept=kept,
        note=note,
    )


# ---------------------------------------------------------------------------------------------
# local statistics: conditional randomisation
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalTest:
    """Outcome of the conditional permutation test of a local statistic, per region."""

    p: np.ndarray  # folded, ties on both sides; NaN for regions without neighbours / untestable
    exact: np.ndarray  # bool: finite p from the enumeration of every neighbour set
    untestable: np.ndarray  # bool: every draw (or arrangement) equals the observed value
    count: int  # random draws per region (regions with exact p: see `exact`)

    def note(self) -> str:
        """One sentence on the exact and untestable regions (empty if none)."""
        parts = []
        if self.exact.any():
            parts.append(
                f"{int(self.exact.sum())} region(s) with exact p-values (every possible set of "
                "neighbours enumerated: no more of them than permutations asked for)"
            )
        if self.untestable.any():
            parts.append(
                f"{int(self.untestable.sum())} region(s) not testable (every permutation gives the "
                "observed value, e.g. all other regions are neighbours or the value equals the "
                "mean): p-value NaN, not counted as tests"
            )
        return "; ".join(parts)


def conditional_test(
    off: sp.csr_matrix,
    values: np.ndarray,
    sign: np.ndarray,
    permutations: int,
    rng: np.random.Generator,
    *,
    threshold: float,
    what: str,
    threshold_text: str = "",
) -> LocalTest:
    """Folded pseudo p-values of a local statistic by conditional randomisation.

    Region i keeps its value; its k_i neighbours get values drawn without replacement from the
    other n - 1 regions. The statistic is ``sign_i * sum_j w_ij v_j`` (j != i): local Moran's I
    is that lag times z_i times a positive constant, Gi* is the lag plus a constant self term, so
    the ranks -- and the pseudo p-values -- are those of the statistics themselves (Anselin 1995).
    As in esda, each chunk of draws is shared by all regions (index skipping i). Regions whose
    number of possible neighbour sets is at most ``permutations`` get the exact p-value over all
    of them. ``off`` holds the weights without the diagonal, zeros eliminated, indices sorted.
    From :data:`SHARED_MIN_UNITS` units on (grids), when every randomised region has equal
    weights (binary or row-standardised contiguity), the draws' neighbour sums are shared by all
    regions with the same number of neighbours (:func:`arrangements.shared_sum_counts`): each
    region still gets P uniformly random neighbour sets, but the run time no longer grows with
    n x P (72,900 cells, 9,999 permutations: seconds instead of minutes).
    ``threshold`` is the smallest p-value a decision uses, ``threshold_text`` says how it comes
    about (both for the message refusing a count that cannot finish).
    """
    n = values.size
    card = np.diff(off.indptr)
    p = np.full(n, np.nan)
    exact = np.zeros(n, dtype=bool)
    untestable = np.zeros(n, dtype=bool)
    if card.max(initial=0) == 0:
        return LocalTest(p, exact, untestable, int(permutations))
    observed = sign * (off @ values)
    row_abs = row_reduce(np.add, off, np.abs(off.data))
    tol = TIE_RTOL * np.abs(sign) * row_abs * float(np.abs(values).max())
    equal = equal_row_weights(off)
    arrangements = arrangement_counts(n, card, equal)
    exact = (card > 0) & (arrangements <= min(permutations, EXACT_MAX))
    random_units = (card > 0) & ~exact
    work = float(np.dot(np.where(exact, arrangements, 0.0), card))
    shared = n >= SHARED_MIN_UNITS and bool(equal[random_units].all())
    per_draw = float(card[random_units].sum() + n) * _SECONDS_PER_ELEMENT["conditional"]
    if shared:  # per draw: k + 1 values per neighbour count, a binary search per unit
        per_draw = _shared_seconds(card[random_units], n, permutations)
    seconds = work * _SECONDS_PER_ELEMENT["conditional"]
    if random_units.any():
        seconds += permutations * per_draw
    _check_time(permutations, seconds, per_draw, threshold, what, threshold_text)

    ge = np.zeros(n)
    le = np.zeros(n)
    if shared:
        shared_sum_counts(off, values, sign, observed, tol, random_units,
                          permutations, rng, ge, le)  # fmt: skip
    groups = (
        []
        if shared
        else [(k, u, row_weights(off, u)) for k, u in by_cardinality(card, random_units)]
    )
    if groups:
        kmax = int(card[random_units].max())
        chunk = max(1, min(permutations, DRAW_BLOCK // kmax))
        for start in range(0, permutations, chunk):
            draws = distinct_draws(rng, min(chunk, permutations - start), n - 1, kmax)
            for k, units, weights in groups:
                count_ties(draws[:, :k], units, weights, values, sign, observed, tol, ge, le)
    for k, units in by_cardinality(card, exact):
        for eq in (True, False):
            sub = units[equal[units] == eq]
            if sub.size:
                enumerate_sets(k, sub, off, values, sign, observed, tol, eq, n, ge, le)
    p[random_units] = folded_p(ge[random_units], le[random_units], permutations)
    p[exact] = folded_p(ge[exact], le[exact], arrangements[exact], exact=True)
    untestable = (card > 0) & np.isnan(p)
    return LocalTest(p, exact & ~untestable, untestable, int(permutations))
