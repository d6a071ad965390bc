"""Input checks shared by every stage.

They live in one place so that the same mistake gets the same message everywhere: the message names
the column, row or region and says what to do.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ._errors import ColumnError, DataWarning, InputError
from ._notes import Note

__all__ = [
    "LEVELS",
    "MAX_LISTED",
    "POLYGON_LEVELS",
    "check_level",
    "check_non_negative",
    "check_seed",
    "list_regions",
    "numeric_column",
    "region_labels",
    "require_columns",
    "seed_record",
    "warn_left_out",
]

LEVELS: tuple[str, ...] = ("province", "prefecture", "county", "lines")
POLYGON_LEVELS: tuple[str, ...] = ("province", "prefecture", "county")
#: regions named in one message; the rest are counted ("and 12 more")
MAX_LISTED = 10


def check_level(level: str, allowed: Sequence[str] = LEVELS) -> str:
    """Return ``level`` normalised, or raise ``InputError`` listing the valid levels."""
    if not isinstance(level, str) or level.strip().lower() not in allowed:
        raise InputError(f"unknown level {level!r}; valid levels are: {', '.join(allowed)}")
    return level.strip().lower()


def require_columns(
    frame: pd.DataFrame, columns: str | Iterable[str], what: str = "table"
) -> list[str]:
    """Return ``columns`` as a list, or raise ``ColumnError`` naming the missing ones and the available."""
    cols = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        available = ", ".join(map(str, frame.columns.drop("geometry", errors="ignore")))
        raise ColumnError(
            f"column(s) {', '.join(map(repr, missing))} not found in the {what}; "
            f"available columns: {available}"
        )
    return cols


def region_labels(frame: pd.DataFrame) -> pd.Series:
    """Human-readable label per row: the Chinese name (and code) when the frame has them."""
    if "name" in frame.columns and "code" in frame.columns:
        return frame["name"].astype(str) + " (" + frame["code"].astype(str) + ")"
    if "name" in frame.columns:
        return frame["name"].astype(str)
    if "code" in frame.columns:
        return frame["code"].astype(str)
    return pd.Series([f"row {i}" for i in frame.index], index=frame.index)


def numeric_column(frame: pd.DataFrame, column: str, what: str = "table") -> np.ndarray:
    """Column as a float array (NaN kept), or ``InputError`` naming the first non-numeric row."""
    require_columns(frame, column, what)
    series = frame[column]
    if pd.api.types.is_bool_dtype(series) or not (
        pd.api.types.is_numeric_dtype(series) or series.isna().all()
    ):
        coerced = pd.to_numeric(series, errors="coerce")
        bad = coerced.isna() & series.notna()
        if bad.any():
            first = bad.idxmax()
            label = region_labels(frame).loc[first]
            raise InputError(
                f"column {column!r} must be numeric but has {series.loc[first]!r} at {label}; "
                "clean the value or convert the column with pandas.to_numeric"
            )
        series = coerced
    return series.to_numpy(dtype=float, na_value=np.nan)


def check_non_negative(
    values: np.ndarray, labels: Sequence[str], column: str, measure: str
) -> None:
    """Raise ``InputError`` naming the regions with negative values (Gini/Theil are undefined there)."""
    neg = np.flatnonzero(values < 0)
    if neg.size:
        raise InputError(
            f"{measure} is undefined for negative values; column {column!r} is negative at "
            f"{list_regions(labels, neg)}"
        )


def list_regions(labels: Sequence[object], idx: Sequence[int] | np.ndarray) -> str:
    """The labels at positions ``idx``: the first :data:`MAX_LISTED`, then how many more.

    >>> list_regions(["a", "b", "c"], [0, 2])
    'a, c'
    >>> list_regions([f"r{i}" for i in range(12)], range(12))
    'r0, r1, r2, r3, r4, r5, r6, r7, r8, r9 and 2 more'
    """
    idx = list(idx)
    names = ", ".join(str(labels[i]) for i in idx[:MAX_LISTED])
    return names + (f" and {len(idx) - MAX_LISTED} more" if len(idx) > MAX_LISTED else "")


def warn_left_out(
    subject: str,
    idx: Sequence[int] | np.ndarray,
    labels: Sequence[object],
    why: str,
    *,
    noun: str = "unit(s)",
    stacklevel: int = 2,
    reason: str = "",
    column: object = None,
) -> None:
    """The one :class:`~spatialinno.DataWarning` for rows a computation leaves out.

    Says ``"<subject>: <n> <noun> <why>: <the regions>"``; ``stacklevel`` is the caller's own,
    as it would pass it to ``warnings.warn``. The message is a :class:`~spatialinno._notes.Note`
    (key ``"left_out"``) that also carries the subject, ``reason`` (``"value"``: no value in
    ``column``; ``"group"``: no group in ``column``; ``"weight"``: no weight), ``column`` and every
    unit's label, so the report can say it in its own language and tell apart the units without
    a value from those left out for another reason.
    """
    text = f"{subject}: {len(idx)} {noun} {why}: {list_regions(labels, idx)}"
    units = tuple(str(labels[i]) for i in idx)
    note = Note("left_out", text, subject=subject, reason=reason, column=column, units=units)
    warnings.warn(note, DataWarning, stacklevel=stacklevel + 1)


def check_seed(seed: object) -> np.random.Generator:
    """A numpy Generator from ``seed`` (None, an int >= 0 or a Generator).

    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    spatialinno._errors.InputError: seed must be a whole number >= 0 (or None, or a numpy Generator), not -1; use e.g. seed=0 ...
    """
    if isinstance(seed, (bool, np.bool_)):
        raise InputError(f"seed must be a whole number >= 0 (or None), not the boolean {seed}")
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, (int, np.integer)):
        if seed < 0:
            raise InputError(
                f"seed must be a whole number >= 0 (or None, or a numpy Generator), not {seed}; "
                "use e.g. seed=0 (numpy's random generators accept no negative seeds)"
            )
        return np.random.default_rng(int(seed))
    if isinstance(seed, np.random.Generator):
        return seed
    raise InputError(f"seed must be None, an int or a numpy Generator, not {type(seed).__name__}")


def seed_record(seed: object) -> int | None:
    """The seed as results record it: the int given, or None (no seed, or a Generator)."""
    return int(seed) if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) else None
