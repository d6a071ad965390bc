"""The units a spatial statistic uses, and its results written back to every row of the frame.

Moran's I, Geary's C, bivariate Moran, LISA and Gi* all start the same way: the frame's values,
a weights graph checked against the frame (:mod:`spatialinno.measures.alignment`; queen
contiguity with islands linked to the nearest unit when ``w`` is None), and the rows left out --
a region with a missing value is dropped **with its links**, so the statistic is exactly the one
computed on the other regions and one NaN never moves anyone else's result; a region the graph
does not cover (``islands="drop"``) is *outside*. Local statistics then write one value per
used unit back to its row (:meth:`Units.spread`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import InputError
from .._validate import numeric_column, region_labels, require_columns, warn_left_out
from .alignment import aligned

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["Units", "prepare", "warn_missing"]


@dataclass
class Units:
    """The units a statistic uses, in the graph's order, and the rows it leaves out."""

    values: np.ndarray  # (units, columns) values of the units used, in graph order
    positions: np.ndarray  # frame positions of the units used
    matrix: sp.csr_matrix  # weights among the units used, not transformed
    missing: np.ndarray  # frame positions excluded because a value is missing
    outside: np.ndarray  # frame positions not covered by w (islands dropped when building it)
    labels: np.ndarray  # labels of every frame row
    columns: tuple[str, ...] = ()  # the columns the values are of (named in the warnings)

    def spread(self, values: np.ndarray, fill: Any, dtype: Any) -> np.ndarray:
        """One value per row of the frame: ``values`` (one per unit used) at the units' rows,
        ``fill`` at the rows left out."""
        out = np.full(self.labels.size, fill, dtype=dtype)
        out[self.positions] = values
        return out

    def names(self, positions: np.ndarray) -> list[str]:
        """The labels of frame rows ``positions`` (for the records of a result)."""
        return [str(self.labels[i]) for i in positions]


def prepare(gdf: Any, columns: list[str], w: Any, minimum: int = 4) -> Units:
    """The units with a value in every column of ``columns``, and the weights among them.

    Refuses (naming the region) a frame that is not a DataFrame, a missing or non-numeric column,
    an infinite value, fewer than ``minimum`` regions with values, a constant column; ``w`` is
    checked against the frame (:func:`spatialinno.measures.alignment.aligned`).
    """
    data, labels = _values(gdf, columns)
    if w is None:
        from .weights import spatial_weights

        w = spatial_weights(gdf)
    positions, matrix = aligned(w, len(gdf), gdf)
    # a mask, not np.setdiff1d: its hash-based unique took 2.4 s for 10^6 rows
    uncovered = np.ones(len(gdf), dtype=bool)
    uncovered[positions] = False
    outside = np.flatnonzero(uncovered)
    valid = ~np.isnan(data[positions]).any(axis=1)
    missing = positions[~valid]
    keep = np.flatnonzero(valid)
    # dropping a region removes its links too: the statistic is exactly the one computed on the
    # subset, so a missing value cannot move anyone else's result
    if keep.size < valid.size:  # (a full copy of 10^6 rows costs a second: only when needed)
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
    return Units(values, positions, matrix, missing, outside, labels, tuple(columns))


def _values(gdf: Any, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The columns as an (n, c) float array (NaN kept) and a label per row; inf refused."""
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
    return data, labels


def warn_missing(units: Units, what: str) -> tuple[str, ...]:
    """Warn about the regions left out because a value is missing; their labels.

    Called by the statistic itself (the warning points at the statistic's caller).
    """
    names = tuple(units.names(units.missing))
    if names:
        warn_left_out(what, units.missing, units.labels,
                      "with a missing value were left out with their links", noun="region(s)",
                      stacklevel=3, reason="value",
                      column=units.columns[0] if len(units.columns) == 1 else None)  # fmt: skip
    return names
