"""LISA clusters over time: what each unit's cluster became between two years.

Every year gets the package's own LISA (:func:`spatialinno.lisa`: islands ``isolated``, missing
values ``no data``, seeded permutations, optional FDR); this module cross-tabulates the labels
between pairs of years, measures how many units kept their cluster, and classifies the quadrant
moves as Rey's (2001) space-time transition types.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._errors import DataWarning, InputError, SpatialinnoError
from .._notes import Note
from .._validate import check_seed
from ._panel import Panel, default_weights, panel, plain
from .local import lisa

__all__ = ["LisaTransitions", "lisa_transitions"]

# the package's LISA labels (si.lisa), in its order; significant clusters first
LABELS: tuple[str, ...] = ("HH", "LL", "HL", "LH", "ns", "isolated", "no data")
_CLUSTERS = ("HH", "LL", "HL", "LH")
_QUADRANT_CODES = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}  # lisa_q / giddy
# Rey (2001): which letters change between the two quadrants (own value, neighbours' average)
_LEAP_TYPES: tuple[tuple[str, str], ...] = (
    ("0", "no move (unit and neighbours keep their quadrant)"),
    ("I", "only the unit moves (HH<->LH, LL<->HL)"),
    ("II", "only the neighbours move (HH<->HL, LL<->LH)"),
    ("III", "both move (HH<->LL, LH<->HL)"),
)


@dataclass(frozen=True, eq=False, repr=False)
class LisaTransitions:
    """LISA cluster labels per year and their transitions between pairs of years.

    Attributes
    ----------
    clusters : DataFrame
        Long: ``unit``, ``year``, ``lisa_cluster`` (HH, LL, HL, LH, ns, isolated, no data),
        ``lisa_q`` (quadrant 1 HH, 2 LH, 3 LL, 4 HL; <NA> without data), ``lisa_I``, ``lisa_p``.
    transitions : DataFrame
        Tidy, one row per observed move (Sankey links): ``year_from``, ``year_to``, ``from``,
        ``to``, ``count``.
    stability : DataFrame
        Per pair: ``n`` (units with a label other than isolated/no data in both years),
        ``stable`` and ``share_stable`` (same label, ns included), ``n_clustered`` (in a
        significant cluster in ``year_from``), ``kept`` and ``share_kept`` (still in the same
        cluster in ``year_to``).
    leaps : DataFrame
        Per pair and Rey type (0, I, II, III): ``count`` and ``share`` of the units with a
        quadrant in both years.
    """

    column: str
    years: tuple[Any, ...]
    pairs: tuple[tuple[Any, Any], ...]
    clusters: pd.DataFrame
    transitions: pd.DataFrame
    stability: pd.DataFrame
    leaps: pd.DataFrame
    options: dict[str, Any]

    def table(self, year_from: Any = None, year_to: Any = None) -> pd.DataFrame:
        """Cross-tabulation (rows ``year_from`` label, columns ``year_to`` label) with totals.

        Default: the first pair.
        """
        if year_from is None and year_to is None:
            year_from, year_to = self.pairs[0]
        if (year_from, year_to) not in self.pairs:
            raise InputError(
                f"no transition {year_from} -> {year_to}; available pairs: "
                + ", ".join(f"{a}->{b}" for a, b in self.pairs)
            )
        t = self.transitions
        t = t[(t["year_from"] == year_from) & (t["year_to"] == year_to)]
        grid = t.pivot_table(index="from", columns="to", values="count", aggfunc="sum",
                             fill_value=0)  # fmt: skip
        grid = grid.reindex(index=list(LABELS), columns=list(LABELS), fill_value=0)
        used = [lab for lab in LABELS if grid.loc[lab].sum() or grid[lab].sum()]
        grid = grid.loc[used, used].astype(int)
        grid["total"] = grid.sum(axis=1)
        grid.loc["total"] = grid.sum(axis=0)
        grid.index.name, grid.columns.name = str(year_from), str(year_to)
        return grid

    def to_frame(self) -> pd.DataFrame:
        """The tidy transitions (``year_from``, ``year_to``, ``from``, ``to``, ``count``)."""
        return self.transitions.copy()

    def __repr__(self) -> str:
        lines = [
            f"LisaTransitions({self.column!r}: {len(self.years)} years, {len(self.pairs)} "
            f"pair(s); permutations={self.options.get('permutations')}, "
            f"alpha={self.options.get('alpha')}, correction={self.options.get('correction')})"
        ]
        for row in self.stability.itertuples(index=False):
            lines.append(
                f"  {row.year_from}->{row.year_to}: {row.stable}/{row.n} units kept their label "
                f"({row.share_stable:.1%}); {row.kept}/{row.n_clustered} clustered units kept "
                f"their cluster ({row.share_kept:.1%})"
            )
        return "\n".join(lines)


def _pairs(pairs: Any, years: np.ndarray) -> list[tuple[Any, Any]]:
    if isinstance(pairs, str):
        if pairs == "consecutive":
            return list(itertools.pairwise(years))
        if pairs == "first-last":
            return [(years[0], years[-1])]
        raise InputError(
            f"pairs must be 'consecutive', 'first-last' or a list of (from, to), not {pairs!r}"
        )
    out = []
    known = set(years.tolist())
    for pair in pairs:
        if len(pair) != 2 or pair[0] not in known or pair[1] not in known or pair[0] >= pair[1]:
            raise InputError(
                f"pair {pair!r} must be (earlier year, later year) among the years of the frame: "
                + ", ".join(str(y) for y in years)
            )
        out.append((pair[0], pair[1]))
    if not out:
        raise InputError("pairs is empty; give at least one (from, to) pair of years")
    return out


def _lisa_years(pan: Panel, w: Any, years: list[Any], options: dict[str, Any]) -> pd.DataFrame:
    """si.lisa for each year in ``years``: long frame unit, year, lisa_* columns."""
    base = pd.DataFrame({"code": pan.units.astype(str), "name": pan.labels})
    rng = check_seed(options.pop("seed"))
    frames, other = [], {}
    for year in years:
        t = int(np.searchsorted(pan.years, year))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                res = lisa(base.assign(value=pan.values[:, t]), "value", w=w, seed=rng,
                              **options)  # fmt: skip
            except SpatialinnoError as exc:
                raise type(exc)(f"{pan.time} {year}: {exc}") from None
        for c in caught:
            if not issubclass(c.category, DataWarning):
                other.setdefault(
                    c.message.args[0] if c.message.args else str(c.message)
                )  # a Note stays one
        part = res[["lisa_cluster", "lisa_q", "lisa_I", "lisa_p"]].copy()
        part.insert(0, "year", year)
        part.insert(0, "unit", pan.units.to_numpy())
        frames.append(part)
    for message in other:
        warnings.warn(message, UserWarning, stacklevel=3)
    return pd.concat(frames, ignore_index=True)


def _leap_type(q0: np.ndarray, q1: np.ndarray) -> np.ndarray:
    """Rey's type per unit from quadrant codes (1 HH, 2 LH, 3 LL, 4 HL) in two years."""
    own0 = np.isin(q0, (1, 4))  # own value above the mean
    own1 = np.isin(q1, (1, 4))
    lag0 = np.isin(q0, (1, 2))  # neighbours' average above the mean
    lag1 = np.isin(q1, (1, 2))
    own, lag = own0 != own1, lag0 != lag1
    return np.select([~own & ~lag, own & ~lag, ~own & lag], ["0", "I", "II"], default="III")


def _pair_tables(clusters: pd.DataFrame, pairs: list[tuple[Any, Any]]):
    wide = clusters.pivot(index="unit", columns="year", values="lisa_cluster")
    quad = clusters.pivot(index="unit", columns="year", values="lisa_q")
    moves, stable_rows, leap_rows = [], [], []
    for y0, y1 in pairs:
        a, b = wide[y0].to_numpy(), wide[y1].to_numpy()
        counts = pd.DataFrame({"from": a, "to": b}).value_counts().rename("count").reset_index()
        counts["year_from"], counts["year_to"] = y0, y1
        moves.append(counts)
        valid = ~np.isin(a, ("isolated", "no data")) & ~np.isin(b, ("isolated", "no data"))
        clustered = valid & np.isin(a, _CLUSTERS)
        n, n_cl = int(valid.sum()), int(clustered.sum())
        stable, kept = int((valid & (a == b)).sum()), int((clustered & (a == b)).sum())
        stable_rows.append((y0, y1, n, stable, stable / n if n else np.nan, n_cl, kept,
                            kept / n_cl if n_cl else np.nan))  # fmt: skip
        has_q = quad[y0].notna().to_numpy() & quad[y1].notna().to_numpy()
        types = _leap_type(quad[y0].to_numpy()[has_q].astype(int),
                           quad[y1].to_numpy()[has_q].astype(int))  # fmt: skip
        for code, _ in _LEAP_TYPES:
            count = int((types == code).sum())
            leap_rows.append((y0, y1, code, count, count / has_q.sum() if has_q.any() else np.nan))
    order = {lab: i for i, lab in enumerate(LABELS)}
    transitions = pd.concat(moves, ignore_index=True)
    transitions = transitions.assign(_f=transitions["from"].map(order),
                                     _t=transitions["to"].map(order))  # fmt: skip
    transitions = (
        transitions.sort_values(["year_from", "year_to", "_f", "_t"])
        .loc[:, ["year_from", "year_to", "from", "to", "count"]]
        .reset_index(drop=True)
    )
    stability = pd.DataFrame(
        stable_rows,
        columns=["year_from", "year_to", "n", "stable", "share_stable", "n_clustered", "kept",
                 "share_kept"],
    )  # fmt: skip
    leaps = pd.DataFrame(leap_rows, columns=["year_from", "year_to", "type", "count", "share"])
    return transitions, stability, leaps


def lisa_transitions(
    frame: pd.DataFrame,
    column: str,
    time: str = "year",
    w: Any = None,
    *,
    pairs: Literal["consecutive", "first-last"] | list[tuple[Any, Any]] = "consecutive",
    unit: str = "code",
    permutations: int | Literal["auto"] = "auto",
    alpha: float = 0.05,
    correction: Literal["fdr", "bonferroni"] | None = None,
    seed: int | np.random.Generator | None = None,
    transform: str | None = "R",
) -> LisaTransitions:
    """LISA clusters year by year and their transitions (HH->HH, LL->HH, ...) between years.

    Every year involved is one call of :func:`spatialinno.lisa` (local Moran's I, conditional
    permutation, labels HH, LL, HL, LH, ns, isolated, no data; options passed through). For each
    pair of years the labels are cross-tabulated; ``stability`` gives the share of units whose
    label is the same in both years (units isolated or without data in either year are not
    counted) and, of the units in a significant cluster in the first year, the share still in
    the same cluster. ``leaps`` classifies the moves between Moran-scatterplot quadrants (own
    value, neighbours' average) regardless of significance, after Rey (2001): type 0 none
    moves, I only the unit, II only its neighbours, III both (Chinese studies: 时空跃迁; the
    share of type 0 is the "space-time cohesion").

    Parameters
    ----------
    frame : (Geo)DataFrame
        Long panel, one row per unit and year.
    column, time, unit : str
        Value column, year column, column identifying units (default ``"code"``).
    w : libpysal Graph or W, optional
        Aligned with the units in order of first appearance; default queen contiguity with
        islands linked to the nearest unit.
    pairs : "consecutive", "first-last" or list of (from, to), default "consecutive"
        Which years to compare, e.g. ``[(2012, 2015), (2015, 2018), (2018, 2023)]``.
    permutations, alpha, correction, transform
        As in :func:`spatialinno.lisa`.
    seed : int or numpy Generator, optional
        One generator drives the years in order: same seed, same labels.

    Returns
    -------
    LisaTransitions
        ``clusters``, ``transitions`` (tidy, for a Sankey figure), ``stability`` (report
        table), ``leaps`` and ``table(year_from, year_to)`` (cross-tabulation with totals).

    References
    ----------
    Anselin, L. (1995) *Geographical Analysis* 27(2): 93-115. Rey, S. J. (2001) Spatial empirics
    for economic growth and convergence. *Geographical Analysis* 33(3): 195-214.

    Examples
    --------
    >>> import pandas as pd, spatialinno as si
    >>> prov = si.load_boundaries("province").query("region.notna()", engine="python")
    >>> x = prov.to_crs(si.boundaries.EQUAL_AREA_CRS).centroid.x.to_numpy()
    >>> long = pd.concat([prov.assign(year=2015, v=x), prov.assign(year=2020, v=-x)])
    >>> tr = si.lisa_transitions(long, "v", seed=0)
    >>> tr.table()
    2020   HH  LL  ns  total
    2015
    HH      0   5   0      5
    LL      6   0   0      6
    ns      0   0  20     20
    total   6   5  20     31
    >>> tr.leaps.set_index("type")["count"].to_dict()
    {'0': 0, 'I': 0, 'II': 0, 'III': 31}
    """
    pan = panel(frame, column, time, unit, min_years=2)
    chosen = _pairs(pairs, pan.years)
    years = sorted({y for pair in chosen for y in pair})
    if not pan.complete.all():
        text = (
            f"lisa_transitions: {int((~pan.complete).sum())} unit(s) have no {column!r} value in "
            f"some years (labelled 'no data' there): {pan.describe_missing()}"
        )
        warnings.warn(
            Note("gaps_transitions", text, column=column, **pan.gaps()),
            DataWarning,
            stacklevel=2,
        )
    options = {"permutations": permutations, "alpha": alpha, "correction": correction,
               "seed": seed, "transform": transform}  # fmt: skip
    clusters = _lisa_years(pan, default_weights(pan, w), years, dict(options))
    transitions, stability, leaps = _pair_tables(clusters, chosen)
    options["seed"] = int(seed) if isinstance(seed, (int, np.integer)) else None
    return LisaTransitions(
        column=column,
        years=tuple(plain(v) for v in years),
        pairs=tuple((plain(a), plain(b)) for a, b in chosen),
        clusters=clusters,
        transitions=transitions,
        stability=stability,
        leaps=leaps,
        options=options,
    )
