"""The values a measure of levels works on: Gini, spatial Gini, Theil, shares, quotients.

Every such measure reads its values the same way -- from a (Geo)DataFrame column, a Series or an
array, with a label per value for messages -- and checks them the same way: negative or infinite
values are refused naming the regions, missing values are left out with a
:class:`~spatialinno.DataWarning` that names them, all-zero data and fewer than two values are
refused. :func:`sum_abs_diff` is the O(n log n) kernel behind every Gini here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ColumnError, InputError
from .._validate import (
    check_non_negative,
    list_regions,
    numeric_column,
    region_labels,
    warn_left_out,
)

__all__ = ["as_values", "as_weights", "sum_abs_diff", "valid_mask", "weights_mask"]


def as_values(
    data: Any, column: str | None, what: str
) -> tuple[np.ndarray, list[str], pd.DataFrame | None, str]:
    """Values as float array, a label per value, the frame (if any) and the column's name."""
    if isinstance(data, pd.DataFrame):
        if column is None:
            numeric = [c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])]
            raise ColumnError(
                f"{what} needs column= when given a table; numeric columns: {', '.join(numeric)}"
            )
        values = numeric_column(data, column)
        return values, list(region_labels(data)), data, column
    if column is not None:
        raise InputError(
            f"column={column!r} was given but the data is a {type(data).__name__}, not a table; "
            "pass the DataFrame/GeoDataFrame itself, or drop column="
        )
    if isinstance(data, pd.Series):
        name = str(data.name) if data.name is not None else "values"
        values = numeric_column(data.to_frame(name=name), name)
        if isinstance(data.index, pd.RangeIndex):
            labels = [f"position {i}" for i in range(values.size)]
        else:
            labels = [str(i) for i in data.index]
        return values, labels, None, name
    try:
        values = np.asarray(data, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"{what} needs numbers; could not convert the input to floats ({exc})"
        ) from None
    if values.ndim != 1:
        raise InputError(f"{what} needs a 1-D sequence of values, got shape {values.shape}")
    return values, [f"position {i}" for i in range(values.size)], None, "values"


def valid_mask(
    values: np.ndarray,
    labels: Sequence[str],
    column: str,
    measure: str,
    skip: np.ndarray | None = None,
) -> np.ndarray:
    """Boolean mask of usable values; NaN warned about, inf/negative/too few/all-zero raise.

    ``skip`` marks units already left out for another reason (no weight, no group), which
    the caller has warned about; they are not reported again as missing values.
    """
    if skip is None:
        skip = np.zeros(values.size, dtype=bool)
    inf = np.flatnonzero(np.isinf(values) & ~skip)
    if inf.size:
        raise InputError(
            f"column {column!r} is infinite at {list_regions(labels, inf)}; "
            "fix the division that produced it or set those values to NaN"
        )
    missing = np.isnan(values) & ~skip
    if missing.any():
        idx = np.flatnonzero(missing)
        warn_left_out(measure, idx, labels, f"without a value in {column!r} left out", stacklevel=3,
                      reason="value", column=column)  # fmt: skip
    valid = ~missing & ~skip
    check_non_negative(np.where(valid, values, 0.0), labels, column, measure)
    if valid.sum() < 2:
        raise InputError(
            f"{measure} needs at least 2 values; column {column!r} has {int(valid.sum())} "
            "non-missing value(s)"
        )
    if not np.any(values[valid] > 0):
        raise InputError(
            f"{measure} is undefined when every value is zero (column {column!r}): the mean is 0"
        )
    return valid


def as_weights(
    weights: Any, frame: pd.DataFrame | None, n: int, labels: Sequence[str], measure: str
) -> tuple[np.ndarray, str]:
    """Unit weights (e.g. population) as float array; a column name needs a frame."""
    if isinstance(weights, str):
        if frame is None:
            raise InputError(
                f"weights={weights!r} names a column, but the data is not a table; pass an array"
            )
        return numeric_column(frame, weights), weights
    wts = np.asarray(weights, dtype=float)
    if wts.shape != (n,):
        raise InputError(f"{measure}: weights must have one value per unit ({n}), got {wts.shape}")
    return wts, "weights"


def weights_mask(wts: np.ndarray, labels: Sequence[str], name: str, measure: str) -> np.ndarray:
    """Units with a weight (NaN: none); negative or infinite weights refused naming the regions."""
    bad = np.flatnonzero(np.isinf(wts) | (wts < 0))
    if bad.size:
        raise InputError(
            f"{measure}: weights {name!r} must be finite and non-negative; bad at "
            f"{list_regions(labels, bad)}"
        )
    return ~np.isnan(wts)


def sum_abs_diff(x: np.ndarray, w: np.ndarray | None = None) -> tuple[float, float, float]:
    """(S, W, mean) with S = sum_i sum_j w_i w_j |x_i - x_j| over all ordered pairs, O(n log n).

    After sorting, the k-th smallest value is larger than everything before it and smaller than
    everything after it, so its contribution to the double sum is x_(k) w_(k) (W_below - W_above),
    counted twice (pair (i, j) and (j, i)). With unit weights this is 2 sum_k (2k - n - 1) x_(k).
    """
    order = np.argsort(x, kind="stable")
    xs = x[order]
    if w is None:
        n = xs.size
        k = np.arange(1, n + 1, dtype=float)
        return float(2.0 * np.sum((2.0 * k - n - 1.0) * xs)), float(n), float(xs.mean())
    ws = w[order]
    total = float(ws.sum())
    cum = np.cumsum(ws)
    below = cum - ws
    above = total - cum
    sad = float(2.0 * np.sum(ws * xs * (below - above)))
    return sad, total, float(np.sum(ws * xs) / total)
