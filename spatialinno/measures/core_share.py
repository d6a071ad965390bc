"""Core shares: how much of a container's total sits in its core (international comparison).

``capital_share`` measures one province's capital against the province from unit-level data;
:func:`core_share` does the same for any *published* pair of figures -- a city or metropolitan
area (the core) and the state, province or country around it (the container) -- whatever the
country, unit or currency, as long as value and total of a row are in the same unit.

.. math::

    s = \\frac{x_{core}}{X_{container}}

Unitless, 0-1.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataWarning, InputError
from .._validate import numeric_column, require_columns

__all__ = ["core_share"]

_MAX_LISTED = 10


def _rows(table: pd.DataFrame, mask: np.ndarray, core: str, container: str) -> str:
    idx = np.flatnonzero(mask)
    names = [f"{table[core].iloc[i]} in {table[container].iloc[i]}" for i in idx[:_MAX_LISTED]]
    more = f" and {idx.size - _MAX_LISTED} more" if idx.size > _MAX_LISTED else ""
    return "; ".join(names) + more


def _check_units(table: pd.DataFrame, unit: str, total_unit: str, names: tuple[str, str]) -> None:
    if unit in table.columns and total_unit in table.columns:
        differ = (table[unit].astype("string") != table[total_unit].astype("string")).fillna(True)
        if differ.any():
            raise InputError(
                f"core_share: value and total are in different units ({unit!r} vs "
                f"{total_unit!r}) at {_rows(table, differ.to_numpy(), *names)}; convert one of "
                "them so that the share compares like with like"
            )


def _check_totals(table: pd.DataFrame, keys: list[str], total: str, names: tuple[str, str]) -> None:
    """The same container, indicator (and year) must have one total, whatever the core."""
    spread = table.groupby(keys, dropna=False)[total].transform(lambda s: s.nunique())
    bad = (spread > 1).to_numpy()
    if bad.any():
        raise InputError(
            f"core_share: different totals for the same {', '.join(keys)} at "
            f"{_rows(table, bad, *names)}; the figures come from different sources or years -- "
            "keep one total per container and indicator"
        )


def core_share(
    table: pd.DataFrame,
    *,
    core: str = "core",
    container: str = "container",
    indicator: str = "indicator",
    value: str = "value",
    total: str = "total",
    year: str | None = "year",
    unit: str = "unit",
    total_unit: str = "total_unit",
) -> pd.DataFrame:
    """Share of each container's total held by its core, from a focus-within-container table.

    Parameters
    ----------
    table : DataFrame
        One row per core, container and indicator (and year): e.g.
        ``si.load_dataset("core_shares_international")``.
    core, container, indicator, value, total : str
        Column names: the core's name, the container's name, what is measured, the core's
        figure and the container's figure (same unit, any scale: people, 亿元, million USD ...).
    year : str or None, default "year"
        Year column, used when present (rows are keyed by it).
    unit, total_unit : str
        Optional columns with the unit of ``value`` and of ``total``; when both exist they must
        agree row by row.

    Returns
    -------
    pandas.DataFrame
        Tidy, in the order of ``table``: ``core, container, indicator`` (``year`` when
        present), ``value, total, share`` (:math:`x_{core}/X_{container}`, 0-1), then the
        table's other columns unchanged (unit, notes, source ...). Rows missing a value or a
        total keep a NaN share and are named in a :class:`~spatialinno.DataWarning`.

    Raises
    ------
    ColumnError
        A missing column. InputError: negative, infinite or zero totals, a value larger than its
        total, units that differ, two rows for the same key, or two different totals for the
        same container and indicator (rows named).

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> t = pd.DataFrame({"core": ["A city"], "container": ["A state"], "indicator": ["rd"],
    ...                   "value": [30.0], "total": [120.0]})
    >>> si.core_share(t)[["core", "share"]]
         core  share
    0  A city   0.25
    """
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"core_share needs a DataFrame, not {type(table).__name__}")
    keys = require_columns(table, [core, container, indicator], "table")
    require_columns(table, [value, total], "table")
    if year is not None and year in table.columns:
        keys.append(year)
    names = (core, container)
    x, big = numeric_column(table, value), numeric_column(table, total)
    for col, v in ((value, x), (total, big)):
        bad = np.isinf(v) | (v < 0)
        if bad.any():
            raise InputError(
                f"core_share: column {col!r} must be finite and non-negative; bad at "
                f"{_rows(table, bad, *names)}"
            )
    both = ~np.isnan(x) & ~np.isnan(big)
    if (big[both] == 0).any():
        raise InputError(f"core_share: total is zero at {_rows(table, both & (big == 0), *names)}")
    over = both & (x > big)
    if over.any():
        raise InputError(
            f"core_share: the core's value exceeds the container's total at "
            f"{_rows(table, over, *names)}; check that both figures measure the same thing"
        )
    dup = table.duplicated(keys, keep=False).to_numpy()
    if dup.any():
        raise InputError(
            f"core_share: two rows for the same {', '.join(keys)}: {_rows(table, dup, *names)}"
        )
    _check_units(table, unit, total_unit, names)
    _check_totals(table.assign(**{total: big}), [k for k in keys if k != core], total, names)
    if not both.all():
        warnings.warn(
            f"core_share: {int((~both).sum())} row(s) without a value or a total get no share: "
            f"{_rows(table, ~both, *names)}",
            DataWarning,
            stacklevel=2,
        )
    out: dict[str, Any] = {k: table[k].to_numpy() for k in keys}
    out.update(
        {value: x, total: big, "share": np.where(both, x / np.where(both, big, 1.0), np.nan)}
    )
    result = pd.DataFrame(out, index=table.index)
    rest = [c for c in table.columns if c not in result.columns]
    return pd.concat([result, table[rest]], axis=1).rename(
        columns={
            core: "core",
            container: "container",
            indicator: "indicator",
            value: "value",
            total: "total",
        }
    )
