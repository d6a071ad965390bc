"""The one number formatter: how every map label, tooltip, legend, report cell and figure writes a number.

One function, :func:`format_number`, with a :class:`NumberFormat` that states the few ways outputs
differ: maps and figures write three *significant* digits and group thousands from 1,000
(:data:`LABEL`); report tables write three *decimals*, group from 10,000 and write whole numbers
from 100 without decimals (:data:`TABLE`). Integers are always written exactly.

>>> format_number(1234.5), format_number(0.012345), format_number(813.0), format_number(None)
('1,234', '0.0123', '813', '—')
>>> format_number(0.8567, percent=True), format_number(0.5, percent=True)
('85.7 %', '50 %')
>>> format_number(0.123456, fmt=TABLE), format_number(21893095.0, fmt=TABLE)
('0.123', '21,893,095')
>>> format_number(250.0, fmt=TABLE), format_number(0.5, fmt=TABLE, percent=True)
('250', '50.0 %')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._errors import InputError

__all__ = [
    "LABEL",
    "TABLE",
    "VALUE_FORMATS",
    "NumberFormat",
    "format_number",
    "format_value",
    "is_missing",
]

VALUE_FORMATS: tuple[str, ...] = ("number", "percent")


@dataclass(frozen=True)
class NumberFormat:
    """How one kind of output writes numbers.

    Attributes
    ----------
    decimals : {"significant", "fixed"}
        ``digits`` counts significant digits (``%.3g``: 0.0123, 12.3) or decimals (``%.3f``).
    group_from : float
        From this magnitude on, a number is written whole with thousands separators (12,346).
    whole_from : float or None
        ``"fixed"`` only: whole numbers from this magnitude on are written without decimals.
    missing : str
        Text for a missing value (None, NaN, ``pd.NA``, ``pd.NaT``).
    finite_only : bool
        Infinite values are written as ``missing`` (True) or as ``inf`` (False).
    percent_trim : bool
        Shares written as percentages drop trailing zeros: ``50 %`` (True) or ``50.0 %``.
    """

    decimals: str = "significant"
    group_from: float = 1000.0
    whole_from: float | None = None
    missing: str = "—"
    finite_only: bool = True
    percent_trim: bool = True

    def __post_init__(self) -> None:
        if self.decimals not in ("significant", "fixed"):
            raise InputError(f"decimals must be 'significant' or 'fixed', not {self.decimals!r}")


#: maps, legends, tooltips and print figures: 3 significant digits, thousands from 1,000
LABEL = NumberFormat()
#: report tables: 3 decimals, thousands from 10,000, whole numbers from 100 without decimals
TABLE = NumberFormat(
    decimals="fixed",
    group_from=10_000.0,
    whole_from=100.0,
    missing="–",
    finite_only=False,
    percent_trim=False,
)


def is_missing(value: object) -> bool:
    """True for None, ``pd.NA``, ``pd.NaT`` and a float NaN (never for text or other objects)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def format_number(
    value: object, digits: int = 3, *, percent: bool = False, fmt: NumberFormat = LABEL
) -> str:
    """``value`` written as ``fmt`` says; a share in 0..1 as a percentage with ``percent=True``.

    Parameters
    ----------
    value : int, float or None
        The number; missing values give ``fmt.missing``.
    digits : int
        Significant digits or decimals, see :attr:`NumberFormat.decimals`.
    percent : bool
        ``value`` is a share: written as ``100 * value`` with one decimal and ``" %"``.
    fmt : NumberFormat
        :data:`LABEL` (maps, figures; the default) or :data:`TABLE` (report tables).

    Examples
    --------
    >>> format_number(12), format_number(123456), format_number(float("inf"))
    ('12', '123,456', '—')
    >>> format_number(5.0, fmt=TABLE), format_number(7, fmt=TABLE), format_number(None, fmt=TABLE)
    ('5.000', '7', '–')
    """
    if is_missing(value):
        return fmt.missing
    is_int = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if is_int and not percent:  # counts and codes: exact, never rounded
        v = int(value)
        return f"{v:,}" if abs(v) >= fmt.group_from else str(v)
    x = float(value)  # type: ignore[arg-type]
    if fmt.finite_only and not math.isfinite(x):
        return fmt.missing
    if percent:
        text = f"{100.0 * x:.1f}"
        if fmt.percent_trim:
            text = text.rstrip("0").rstrip(".")  # 50 %, 85.7 %: no trailing zeros
        return f"{text} %"
    if abs(x) >= fmt.group_from:
        return f"{x:,.0f}"
    if fmt.decimals == "fixed":
        if fmt.whole_from is not None and x.is_integer() and abs(x) >= fmt.whole_from:
            return f"{x:.0f}"
        return f"{x:.{digits}f}"
    return f"{x:.{digits}g}"


def format_value(value: float, value_format: str = "number", digits: int = 3) -> str:
    """:func:`format_number` for a map label: a share (0..1) as a percentage with ``"percent"``.

    >>> format_value(0.5), format_value(0.8567, "percent"), format_value(12345.6)
    ('0.5', '85.7 %', '12,346')
    """
    return format_number(value, digits, percent=value_format == "percent")
