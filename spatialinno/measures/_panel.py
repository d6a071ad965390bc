"""A long frame (one row per unit and year) as a units x years cube, and weights aligned to units.

Shared by the space-time measures (emerging hot spots, Markov chains, LISA transitions). The rules
live here once: units are identified by a column (default ``code``) and kept in the order of their
first appearance; years are sorted; a unit without a row (or with NaN) in a year is *missing* there
and is never filled in; ``w`` is aligned by position with the units in that order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import InputError, WeightsError
from .._validate import numeric_column, region_labels, require_columns

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__: list[str] = []  # private helpers of the space-time measures


@dataclass(frozen=True, eq=False)
class Panel:
    """Values of one column as a (units, years) array, NaN where a unit-year has no value."""

    column: str
    time: str
    unit: str
    units: pd.Index  # unit ids, in order of first appearance in the frame
    years: np.ndarray  # sorted distinct years
    values: np.ndarray  # (n_units, n_years) float, NaN = missing
    frame: pd.DataFrame  # one row per unit (its latest row), index 0..n-1, in the order of units
    labels: np.ndarray  # readable label per unit ("name (code)")

    @property
    def complete(self) -> np.ndarray:
        """Units with a value in every year."""
        return ~np.isnan(self.values).any(axis=1)

    def gaps(self, limit: int = 10) -> dict[str, object]:
        """The units with missing years as a note's values: ``n``, ``missing`` (label, years
        missing -- ``()`` for every year -- of at most ``limit`` units) and ``more``."""
        rows = np.flatnonzero(~self.complete)
        missing = []
        for i in rows[:limit]:
            gaps = self.years[np.isnan(self.values[i])]
            shown = () if gaps.size == self.years.size else tuple(gaps[:6].tolist())
            missing.append((str(self.labels[i]), shown, int(gaps.size)))
        return {"n": int(rows.size), "missing": tuple(missing), "more": max(rows.size - limit, 0)}

    def describe_missing(self, limit: int = 10) -> str:
        """Units with missing years as "name (code): 2016, 2017; ..." (at most ``limit``)."""
        rows = np.flatnonzero(~self.complete)
        parts = []
        for i in rows[:limit]:
            gaps = self.years[np.isnan(self.values[i])]
            if gaps.size == self.years.size:
                shown = "every year"
            else:
                shown = ", ".join(str(y) for y in gaps[:6]) + (" ..." if gaps.size > 6 else "")
            parts.append(f"{self.labels[i]}: {shown}")
        more = f"; and {rows.size - limit} more" if rows.size > limit else ""
        return "; ".join(parts) + more


def panel(
    frame: Any, column: str, time: str, unit: str, min_years: int = 2, what: str = "frame"
) -> Panel:
    """Check a long frame and turn ``column`` into a :class:`Panel`.

    Raises ``InputError``/``ColumnError`` naming the row, unit or year at fault: a missing year or
    unit id, two rows for the same unit and year, an infinite value, fewer than ``min_years``
    years.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"expected a long (Geo)DataFrame with one row per unit and year, not "
            f"{type(frame).__name__}"
        )
    if unit not in frame.columns:
        require_columns(frame, [unit], what)  # raises ColumnError listing the columns
    require_columns(frame, [time, column], what)
    labels_all = region_labels(frame).to_numpy()
    for col in (time, unit):
        bad = frame[col].isna().to_numpy()
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"column {col!r} is empty at row {first} ({labels_all[first]}); every row needs "
                f"a {'year' if col == time else 'unit id'}"
            )
    values = numeric_column(frame, column, what)
    if np.isinf(values).any():
        first = int(np.flatnonzero(np.isinf(values))[0])
        raise InputError(
            f"column {column!r} is infinite at {labels_all[first]} in {time} "
            f"{frame[time].iloc[first]}; replace it with a number or NaN (missing)"
        )
    ids = frame[unit].to_numpy()
    times = frame[time].to_numpy()
    dup = pd.DataFrame({"u": ids, "t": times}).duplicated(keep=False).to_numpy()
    if dup.any():
        first = int(np.flatnonzero(dup)[0])
        same = int(((ids == ids[first]) & (times == times[first])).sum())
        raise InputError(
            f"{labels_all[first]} has {same} rows for {time} {times[first]}; keep one row per "
            f"unit and year (column {unit!r} identifies the units), e.g. aggregate first"
        )
    years = np.array(sorted(pd.unique(times)))
    if years.size < min_years:
        raise InputError(
            f"column {time!r} holds {years.size} distinct value(s); this measure needs at least "
            f"{min_years} years"
        )
    units = pd.Index(pd.unique(ids))
    u = units.get_indexer(ids)
    t = np.searchsorted(years, times)
    cube = np.full((units.size, years.size), np.nan)
    cube[u, t] = values
    # each unit's latest row carries its attributes (name, geometry ...) into one-row-per-unit
    order = np.lexsort((t, u))
    last = order[np.r_[np.flatnonzero(np.diff(u[order])), order.size - 1]]
    units_frame = frame.iloc[last].reset_index(drop=True)
    return Panel(
        column=column,
        time=time,
        unit=unit,
        units=units,
        years=years,
        values=cube,
        frame=units_frame,
        labels=region_labels(units_frame).to_numpy(),
    )


def plain(value: Any) -> Any:
    """A numpy scalar as the Python value (years in results and attrs print as 2015, not
    np.int64(2015))."""
    return value.item() if isinstance(value, np.generic) else value


def default_weights(pan: Panel, w: Any) -> Any:
    """``w`` as given, or the package's default graph on the units (queen, islands attached)."""
    if w is not None:
        return w
    import geopandas as gpd

    from .weights import spatial_weights

    if not isinstance(pan.frame, gpd.GeoDataFrame) or pan.frame.geometry.isna().all():
        raise InputError(
            "the frame has no geometry, so no default weights can be built; pass w= (a libpysal "
            "Graph or W aligned with the units in order of first appearance) or join boundaries "
            "first (si.join_indicators)"
        )
    return spatial_weights(pan.frame)


def unit_matrix(w: Any, pan: Panel) -> sp.csr_matrix:
    """Binary neighbour matrix (no self links) of ``w``, aligned with ``pan.units``.

    ``w`` must cover every unit (a graph built with ``islands="drop"`` does not: use ``"keep"``,
    islands are then labelled ``isolated``). A graph keyed by the unit ids in another order is
    refused rather than silently misaligned.
    """
    from .alignment import graph_of

    graph = graph_of(w)
    ids = pd.Index(graph.unique_ids)
    n = pan.units.size
    if ids.size != n:
        raise WeightsError(
            f"w has {ids.size} units but the frame has {n} units ({pan.unit!r} values); build w "
            "on one row per unit in order of first appearance (islands='keep' rather than 'drop')"
        )
    as_str = ids.astype(str)
    for what, labels in (
        (f"{pan.unit!r} values", pan.units),
        ("positions 0..n-1", pd.RangeIndex(n)),
    ):
        expected = pd.Index(labels).astype(str)
        if not as_str.equals(expected) and set(as_str) == set(expected):
            raise WeightsError(
                f"the ids of w are the {what} in a different order; w is aligned by position "
                "with the units in order of first appearance, so rebuild or reorder it"
            )
    m = graph.sparse.tocsr().astype(float)
    m.setdiag(0)
    m.eliminate_zeros()
    m.data[:] = 1.0
    return m


def subgraph_w(matrix: sp.csr_matrix, keep: np.ndarray, transform: str = "r") -> Any:
    """libpysal ``W`` on the units ``keep`` (positions), links among them only, transformed."""
    from libpysal.graph import Graph

    sub = matrix[keep][:, keep].tocsr()
    w = Graph.from_sparse(sub).to_W()
    w.transform = transform
    return w
