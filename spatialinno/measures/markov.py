"""Spatial Markov and LISA Markov chains of a long panel, computed by giddy.

:func:`spatial_markov` classes each unit-year by its relative level (value / mean of the year) into
k quantile classes and estimates the transition probabilities between consecutive years,
conditioned on the class of the neighbourhood's average (the spatial lag); :func:`lisa_markov`
follows the Moran-scatterplot quadrant of each unit over the years. Both hand the numbers to
``giddy.markov`` (Rey 2001; Rey, Kang & Wolf 2016) and keep its names (``P``, ``T``, ``S``, ``Q``,
``LR`` ...); this module adds the panel handling of the package (long frame, missing years and
islands left out and listed), notes on empty or thin rows (giddy issue 109: a class nobody
started from has a row of zeros, and giddy's ``S`` then raises), tidy frames and a readable repr.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataWarning, InputError
from .._notes import Note
from ._panel import Panel, default_weights, panel, plain, subgraph_w, unit_matrix

__all__ = ["LisaMarkov", "SpatialMarkov", "lisa_markov", "spatial_markov"]

QUADRANTS: tuple[str, ...] = ("HH", "LH", "LL", "HL")  # giddy / esda codes 1..4 (PySAL scheme)


def _units_used(pan: Panel, w: Any, what: str) -> tuple[np.ndarray, Any]:
    """Units with a value every year and a neighbour among such units; warn about the others."""
    matrix = unit_matrix(default_weights(pan, w), pan)
    keep = pan.complete.copy()
    while True:  # dropping a unit can take the last neighbour of another (asymmetric graphs)
        linked = np.asarray(matrix[:, keep].sum(axis=1)).ravel() > 0
        new = keep & linked
        if (new == keep).all():
            break
        keep = new
    missing = ~pan.complete
    if missing.any():
        text = (
            f"{what}: {int(missing.sum())} unit(s) with missing years were left out with their "
            f"links: {pan.describe_missing()}"
        )
        warnings.warn(
            Note("gaps_markov", text, what=what, column=pan.column, **pan.gaps()),
            DataWarning,
            stacklevel=3,
        )
    isolated = pan.complete & ~keep
    if isolated.any():
        names = ", ".join(str(v) for v in pan.labels[isolated][:10])
        warnings.warn(
            f"{what}: {int(isolated.sum())} unit(s) without a neighbour were left out (their "
            f"spatial lag is undefined): {names}",
            DataWarning,
            stacklevel=3,
        )
    if keep.sum() < 4:
        raise InputError(
            f"{what}: only {int(keep.sum())} unit(s) have {pan.column!r} in every year and a "
            "neighbour; at least 4 are needed"
        )
    return keep, matrix


def _relative(y: np.ndarray, pan: Panel) -> np.ndarray:
    means = y.mean(axis=0)
    bad = np.flatnonzero(means <= 0)
    if bad.size:
        raise InputError(
            f"the mean of {pan.column!r} is {means[bad[0]]:g} in {pan.time} {pan.years[bad[0]]}, "
            "so relative levels (value / yearly mean) are undefined; pass relative=False"
        )
    return y / means


def _left_out(pan: Panel, keep: np.ndarray) -> tuple[str, ...]:
    return tuple(str(v) for v in pan.labels[~keep])


def _years(pan: Panel) -> tuple[Any, ...]:
    return tuple(plain(v) for v in pan.years)


# ---------------------------------------------------------------------------------------------
# spatial Markov
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class SpatialMarkov:
    """Spatial Markov chain (giddy ``Spatial_Markov``): transitions conditioned on the lag class.

    Arrays keep giddy's names and 0-based class numbers; tidy frames number classes from 1
    (class 1 = lowest relative level).

    Attributes
    ----------
    P : ndarray (m, k, k)
        Transition probabilities, P[l, i, j] = Pr(class j next year | class i now, lag class l).
        A row without observations is all zero (see ``notes``).
    T : ndarray (m, k, k)
        Transition counts.
    S : ndarray
        Steady state of each conditional chain (rows of zeros made absorbing first, see
        ``notes``); an object array when a chain has several.
    p, transitions : ndarray (k, k)
        Classic (a-spatial) Markov probabilities and counts.
    Q, Q_p_value, LR, LR_p_value, dof : float, float, float, float, int
        Bickenbach & Bode (2003) homogeneity tests of P[l] = p across lag classes (chi-square,
        ``dof`` degrees of freedom).
    cutoffs, lag_cutoffs : ndarray
        Upper bounds of the classes 1..k-1 (of the relative level and of its spatial lag).
    notes : tuple of str
        Empty or thin rows (fewer than ``min_transitions`` transitions) and reducible chains.
    left_out : tuple of str
        Units left out (missing years, no neighbour).
    """

    column: str
    relative: bool
    years: tuple[Any, ...]
    n_units: int
    k: int
    m: int
    P: np.ndarray
    T: np.ndarray
    S: np.ndarray
    p: np.ndarray
    transitions: np.ndarray
    Q: float
    Q_p_value: float
    LR: float
    LR_p_value: float
    dof: int
    cutoffs: np.ndarray
    lag_cutoffs: np.ndarray
    notes: tuple[str, ...] = ()
    left_out: tuple[str, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        """Tidy transitions: ``lag_class``, ``from_class``, ``to_class``, ``count``, ``probability``
        (classes from 1), one row per cell of every conditional matrix."""
        m, k, _ = self.T.shape
        lag, i, j = np.meshgrid(np.arange(m), np.arange(k), np.arange(k), indexing="ij")
        return pd.DataFrame(
            {
                "lag_class": lag.ravel() + 1,
                "from_class": i.ravel() + 1,
                "to_class": j.ravel() + 1,
                "count": self.T.ravel().astype(int),
                "probability": self.P.ravel(),
            }
        )

    def steady_states(self) -> pd.DataFrame:
        """Tidy steady states: ``lag_class``, ``solution`` (1 unless the chain is reducible and
        has several), ``class``, ``probability``."""
        rows = []
        for lag, s in enumerate(self.S):
            for sol, dist in enumerate(np.atleast_2d(np.asarray(s, dtype=float)), start=1):
                rows += [(lag + 1, sol, c + 1, float(v)) for c, v in enumerate(dist)]
        return pd.DataFrame(rows, columns=["lag_class", "solution", "class", "probability"])

    def tests(self) -> pd.DataFrame:
        """The homogeneity tests as a small table: ``test``, ``statistic``, ``dof``, ``p_value``."""
        return pd.DataFrame(
            {
                "test": ["Q", "LR"],
                "statistic": [self.Q, self.LR],
                "dof": [self.dof, self.dof],
                "p_value": [self.Q_p_value, self.LR_p_value],
            }
        )

    def __repr__(self) -> str:
        level = "relative level (value / yearly mean)" if self.relative else "value"
        lines = [
            f"SpatialMarkov({self.column!r}: {self.k} quantile classes of the {level}, "
            f"{self.m} lag classes; {self.n_units} units, {self.years[0]}-{self.years[-1]}, "
            f"{int(self.T.sum())} transitions)",
            f"  homogeneity: Q = {self.Q:.3f} (p = {self.Q_p_value:.4f}), LR = {self.LR:.3f} "
            f"(p = {self.LR_p_value:.4f}), dof = {self.dof}",
        ]
        with np.printoptions(precision=3, suppress=True):
            for lag in range(self.m):
                body = str(np.asarray(self.P[lag])).replace("\n", "\n      ")
                lines.append(f"  P[lag class {lag + 1}] =\n      {body}")
        lines += [f"  note: {n}" for n in self.notes]
        if self.left_out:
            lines.append(f"  left out: {len(self.left_out)} unit(s)")
        return "\n".join(lines)


def _notes(T: np.ndarray, min_transitions: int, where: Callable[[int, int], str]) -> list[str]:
    """Notes on the rows of every matrix of ``T`` with no or fewer than ``min_transitions``.

    ``where(lag, i)`` names the row in English ("lag class 2, class 1"); the notes keep ``lag``
    and ``row`` (1-based, ``lag`` 0 for a chain without lag classes) for other languages."""
    notes: list[str] = []
    for lag, mat in enumerate(T):
        for i, total in enumerate(mat.sum(axis=1)):
            at = {"lag": lag + 1 if len(T) > 1 else 0, "row": i + 1, "where": where(lag, i)}
            if total == 0:
                text = (
                    f"{where(lag, i)}: no transition observed; that row of P is all zero (giddy "
                    "issue 109) and the state is made absorbing for the steady state"
                )
                notes.append(Note("no_transition", text, **at))
            elif total < min_transitions:
                text = (
                    f"{where(lag, i)}: only {int(total)} transition(s); its probabilities are "
                    "unreliable"
                )
                notes.append(Note("few_transitions", text, n=int(total), **at))
    return notes


def _single(s: Any) -> np.ndarray:
    """giddy returns one steady state as (1, k) for some reducible chains: make it (k,)."""
    s = np.asarray(s, dtype=float)
    return s[0] if s.ndim == 2 and s.shape[0] == 1 else s


def _steady_states(P: np.ndarray, notes: list[str]) -> np.ndarray:
    from giddy.ergodic import steady_state

    out = []
    for lag, p in enumerate(P):
        s = _single(steady_state(p, fill_empty_classes=True))
        if np.asarray(s).ndim > 1:
            text = f"lag class {lag + 1}: the chain is reducible and has {len(s)} steady states"
            notes.append(Note("reducible", text, lag=lag + 1, n=len(s)))
        out.append(s)
    if all(np.ndim(s) == 1 for s in out):
        return np.array(out)
    ragged = np.empty(len(out), dtype=object)  # element-wise: numpy would try to broadcast
    for i, s in enumerate(out):
        ragged[i] = s
    return ragged


def spatial_markov(
    frame: pd.DataFrame,
    column: str,
    time: str = "year",
    k: int = 4,
    w: Any = None,
    *,
    m: int | None = None,
    unit: str = "code",
    relative: bool = True,
    min_transitions: int = 5,
) -> SpatialMarkov:
    """Spatial Markov chain of a long panel: class transitions conditioned on the neighbours.

    Each unit-year gets a class from 1 (lowest) to k: quantiles of the relative level
    r_it = y_it / mean_i(y_it) pooled over all unit-years (giddy ``fixed=True``), and a lag class
    from the quantiles of the spatial lag sum_j w_ij r_jt (row-standardised ``w``). The
    maximum-likelihood transition probabilities are P[l, i, j] = n_lij / n_li, with n_lij the
    number of unit-years in class i with lag class l that are in class j the next year (Rey 2001).
    The homogeneity tests (Bickenbach & Bode 2003) ask whether P[l] differs across lag classes:
    Q = sum_l sum_i n_li sum_j (p_lij - p_ij)² / p_ij and LR = 2 sum n_lij ln(p_lij / p_ij),
    both chi-square with sum_i (b_i - 1)(a_i - 1) degrees of freedom.

    Parameters
    ----------
    frame : (Geo)DataFrame
        Long panel, one row per unit and year.
    column, time : str
        Value column and year column.
    k : int, default 4
        Number of quantile classes (giddy may return fewer when many values tie).
    w : libpysal Graph or W, optional
        Aligned with the units in order of first appearance; default queen contiguity with
        islands linked to the nearest unit. Row-standardised here.
    m : int, optional
        Number of lag classes; default ``k``.
    unit : str, default "code"
        Column identifying the units.
    relative : bool, default True
        Class the relative level (value / yearly mean over the units used); False classes the
        values as they are.
    min_transitions : int, default 5
        Rows with fewer transitions are flagged in ``notes``.

    Returns
    -------
    SpatialMarkov
        Frozen result with giddy's ``P``, ``T``, ``S``, ``Q``, ``Q_p_value``, ``LR``,
        ``LR_p_value`` and tidy ``to_frame()``, ``steady_states()``, ``tests()``.

    Warns
    -----
    DataWarning
        Units left out (a missing year: never filled in; no neighbour: no lag) and, once, the
        notes on empty or thin rows.

    References
    ----------
    Rey, S. J. (2001) Spatial empirics for economic growth and convergence. *Geographical
    Analysis* 33(3): 195-214. Bickenbach, F. & Bode, E. (2003) Evaluating the Markov property in
    studies of economic convergence. *International Regional Science Review* 26(3): 363-392.
    Rey, S. J., Kang, W. & Wolf, L. (2016) The properties of tests for spatial effects in
    discrete Markov chain models of regional income distribution dynamics. *Journal of
    Geographical Systems* 18(4): 377-398.
    """
    from giddy.markov import Spatial_Markov

    for name, value in (
        ("k", k),
        ("m", k if m is None else m),
        ("min_transitions", min_transitions),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise InputError(f"{name} must be a positive integer, not {value!r}")
    if k < 2:
        raise InputError(f"k must be at least 2 classes, not {k}")
    pan = panel(frame, column, time, unit, min_years=2)
    keep, matrix = _units_used(pan, w, "spatial_markov")
    y = pan.values[keep]
    y = _relative(y, pan) if relative else y
    sm = Spatial_Markov(y, subgraph_w(matrix, np.flatnonzero(keep)), k=k, m=k if m is None else m)
    notes = _notes(sm.T, min_transitions, lambda lag, i: f"lag class {lag + 1}, class {i + 1}")
    if sm.k < k or sm.m < (k if m is None else m):
        notes.insert(0, f"tied values left {sm.k} classes and {sm.m} lag classes (asked: {k})")
    S = _steady_states(sm.P, notes)
    if notes:
        warnings.warn("spatial_markov: " + "; ".join(notes), DataWarning, stacklevel=2)
    return SpatialMarkov(
        column=column,
        relative=relative,
        years=_years(pan),
        n_units=int(keep.sum()),
        k=int(sm.k),
        m=int(sm.m),
        P=sm.P,
        T=sm.T,
        S=S,
        p=sm.p,
        transitions=sm.transitions,
        Q=float(sm.Q),
        Q_p_value=float(sm.Q_p_value),
        LR=float(sm.LR),
        LR_p_value=float(sm.LR_p_value),
        dof=int(sm.dof_hom),
        cutoffs=np.asarray(sm.cutoffs),
        lag_cutoffs=np.asarray(sm.lag_cutoffs),
        notes=tuple(notes),
        left_out=_left_out(pan, keep),
    )


# ---------------------------------------------------------------------------------------------
# LISA Markov
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class LisaMarkov:
    """Markov chain of Moran-scatterplot quadrants (giddy ``LISA_Markov``).

    States 1..4 = HH, LH, LL, HL (own value, neighbours' average, each above or below the mean
    of the year; the package's ``lisa_q`` codes). Quadrants, not significance: every unit has one.

    Attributes
    ----------
    transitions : ndarray (4, 4)
        Counts of quadrant moves between consecutive years.
    p : ndarray (4, 4)
        Transition probabilities (rows of zeros where a quadrant was never left from).
    steady_state : ndarray (4,)
        Long-run share of each quadrant (giddy, empty rows made absorbing).
    chi_2 : tuple (statistic, p_value, dof)
        Test that the unit's own moves and its neighbours' moves are independent (giddy
        ``LISA_Markov.chi_2``); ``expected_t`` are the expected counts under that null.
    q : ndarray (units, years)
        Quadrant of every unit used in every year.
    """

    column: str
    years: tuple[Any, ...]
    units: tuple[Any, ...]
    transitions: np.ndarray
    p: np.ndarray
    steady_state: np.ndarray
    chi_2: tuple[float, float, int]
    expected_t: np.ndarray
    q: np.ndarray
    notes: tuple[str, ...] = ()
    left_out: tuple[str, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        """Tidy transitions: ``from``, ``to`` (HH, LH, LL, HL), ``count``, ``probability``."""
        i, j = np.meshgrid(np.arange(4), np.arange(4), indexing="ij")
        return pd.DataFrame(
            {
                "from": [QUADRANTS[v] for v in i.ravel()],
                "to": [QUADRANTS[v] for v in j.ravel()],
                "count": self.transitions.ravel().astype(int),
                "probability": self.p.ravel(),
            }
        )

    def quadrants(self) -> pd.DataFrame:
        """Long frame ``unit``, ``year``, ``quadrant`` (HH, LH, LL, HL) of the units used."""
        n, t = self.q.shape
        return pd.DataFrame(
            {
                "unit": np.repeat(np.asarray(self.units, dtype=object), t),
                "year": np.tile(np.asarray(self.years, dtype=object), n),
                "quadrant": [QUADRANTS[v - 1] for v in self.q.ravel()],
            }
        )

    def __repr__(self) -> str:
        stat, pval, dof = self.chi_2
        with np.printoptions(precision=3, suppress=True):
            body = str(np.asarray(self.p)).replace("\n", "\n      ")
            ss = np.asarray(self.steady_state, dtype=float)
        lines = [
            f"LisaMarkov({self.column!r}: {len(self.units)} units, {self.years[0]}-"
            f"{self.years[-1]}, {int(self.transitions.sum())} quadrant moves; states HH LH LL HL)",
            f"  independence of own and neighbour moves: chi2 = {stat:.3f}, dof = {dof}, "
            f"p = {pval:.4f}",
            f"  p =\n      {body}",
            f"  steady state = {np.array2string(ss, precision=3)}",
        ]
        lines += [f"  note: {n}" for n in self.notes]
        if self.left_out:
            lines.append(f"  left out: {len(self.left_out)} unit(s)")
        return "\n".join(lines)


def lisa_markov(
    frame: pd.DataFrame,
    column: str,
    time: str = "year",
    w: Any = None,
    *,
    unit: str = "code",
    min_transitions: int = 5,
) -> LisaMarkov:
    """LISA Markov chain: how units move between the Moran-scatterplot quadrants over the years.

    In every year each unit is in quadrant HH (1), LH (2), LL (3) or HL (4) of the Moran
    scatterplot: its value above/below the mean of the year (first letter) and the average of
    its neighbours (row-standardised ``w``) above/below it (second letter). The quadrant moves
    between consecutive years form a Markov chain with p_ij = n_ij / n_i (Rey 2001; giddy
    ``LISA_Markov`` with ``geoda_quads=False``). ``chi_2`` tests whether the unit's moves and its
    neighbours' moves are independent (the expected counts are the Kronecker product of the two
    2-state chains). Significance of the clusters is not used here: see
    :func:`spatialinno.lisa_transitions` for significant LISA clusters year to year.

    Parameters
    ----------
    frame : (Geo)DataFrame
        Long panel, one row per unit and year.
    column, time, unit : str
        Value column, year column, column identifying the units (default ``"code"``).
    w : libpysal Graph or W, optional
        Aligned with the units in order of first appearance; default queen contiguity with
        islands linked to the nearest unit.
    min_transitions : int, default 5
        Quadrants left fewer times than this are flagged in ``notes``.

    Returns
    -------
    LisaMarkov
        Frozen result with giddy's ``transitions``, ``p``, ``steady_state``, ``chi_2``,
        ``expected_t``, ``q`` and tidy ``to_frame()``, ``quadrants()``.

    References
    ----------
    Rey, S. J. (2001) Spatial empirics for economic growth and convergence. *Geographical
    Analysis* 33(3): 195-214.
    """
    from giddy.ergodic import steady_state
    from giddy.markov import LISA_Markov

    pan = panel(frame, column, time, unit, min_years=2)
    keep, matrix = _units_used(pan, w, "lisa_markov")
    with warnings.catch_warnings():
        # esda warns about row-standardising a W that is already row-standardised
        warnings.simplefilter("ignore", UserWarning)
        lm = LISA_Markov(pan.values[keep], subgraph_w(matrix, np.flatnonzero(keep)))
    notes = _notes(lm.transitions[None], min_transitions, lambda _, i: f"quadrant {QUADRANTS[i]}")
    if notes:
        warnings.warn("lisa_markov: " + "; ".join(notes), DataWarning, stacklevel=2)
    stat, pval, dof = lm.chi_2
    return LisaMarkov(
        column=column,
        years=_years(pan),
        units=tuple(pan.units[keep]),
        transitions=lm.transitions,
        p=lm.p,
        steady_state=_single(steady_state(lm.p, fill_empty_classes=True)),
        chi_2=(float(stat), float(pval), int(dof)),
        expected_t=lm.expected_t,
        q=lm.q,
        notes=tuple(notes),
        left_out=_left_out(pan, keep),
    )
