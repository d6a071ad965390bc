"""The one number formatter: how every map label, tooltip, legend, QGIS label, report cell and figure
writes a number.

The rule, by magnitude (the same in every output, so a table and a legend never disagree):

* counts and codes (integers) are exact, with thousands separators from 1,000: ``14,007``;
* from 1,000 on, a number is written whole with thousands separators: ``3,030`` (never
  ``3029.737``: the digits after the point are noise at that magnitude);
* below 1,000, three significant digits, trailing zeros dropped: ``813``, ``12.3``, ``0.457``,
  ``0.0123`` (a whole number stays whole: ``5``);
* shares (``percent=True``): ``100 x`` with one decimal, trailing ``.0`` dropped: ``85.7 %``,
  ``50 %``; below 1 % two significant digits (``0.42 %``);
* statistics whose scale is fixed are written with a fixed number of decimals by measure
  (:func:`format_measure`): Gini, Theil and the spatial Gini 3, Moran's I and Geary's C 4, z-scores
  2; p-values 3 decimals, and ``< 0.001`` below (APA style).

:data:`LABEL` (maps, legends, tooltips, figures, QGIS labels) and :data:`TABLE` (report tables)
differ only in how they write a missing (``—`` / ``–``) or infinite value.

>>> format_number(1234.56), format_number(3029.737), format_number(0.012345), format_number(813.0)
('1,235', '3,030', '0.0123', '813')
>>> format_number(999.6), format_number(12.3456), format_number(None), format_number(14007)
('1,000', '12.3', '—', '14,007')
>>> format_number(0.8567, percent=True), format_number(0.5, percent=True)
('85.7 %', '50 %')
>>> format_measure(0.123456, "gini"), format_measure(0.25713, "I"), format_measure(2e-5, "p_sim")
('0.123', '0.2571', '< 0.001')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "LABEL",
    "MEASURE_DECIMALS",
    "TABLE",
    "VALUE_FORMATS",
    "NumberFormat",
    "format_measure",
    "format_number",
    "format_value",
    "is_missing",
    "measure_kind",
]

VALUE_FORMATS: tuple[str, ...] = ("number", "percent")
#: from this magnitude on a number is written whole, with thousands separators
GROUP_FROM = 1000.0


@dataclass(frozen=True)
class NumberFormat:
    """How one kind of output writes what is not a number.

    Attributes
    ----------
    missing : str
        Text for a missing value (None, NaN, ``pd.NA``, ``pd.NaT``).
    finite_only : bool
        Infinite values are written as ``missing`` (True) or as ``inf`` (False).
    """

    missing: str = "—"
    finite_only: bool = True


#: maps, legends, tooltips, print figures and QGIS labels
LABEL = NumberFormat()
#: report tables
TABLE = NumberFormat(missing="–", finite_only=False)

#: decimals of the statistics written with a fixed number of decimals (see :func:`measure_kind`)
MEASURE_DECIMALS: dict[str, int] = {
    "index": 3, "moran": 4, "z": 2, "p": 3,
    # degrees of longitude/latitude (0.001° is about 100 m); transition probabilities
    "degree": 3, "probability": 2,
}  # fmt: skip
#: statistic names (the fields and columns the measures write) -> kind; matched in this order
_KINDS: tuple[tuple[str, str], ...] = (
    (r"^(n|n_units|n_.*|count|.*_count|units|year|tests)$", "count"),
    (r"(^|_)p(_sim|_norm|_value)?$|^p_", "p"),
    (r"(^|_)z(_|$)|^gi_z$", "z"),
    (r"(^|_)(I|EI|moran|geary|C|lisa_I)(_|$)", "moran"),
    (r"share|_pct$|percent", "percent"),
    (r"gini|theil|^G$", "index"),
    (r"^(lon|lat|longitude|latitude)$", "degree"),
    (r"^probability$", "probability"),
)


def is_missing(value: object) -> bool:
    """True for None, ``pd.NA``, ``pd.NaT`` and a float NaN (never for text or other objects)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _is_int(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _significant(x: float, digits: int) -> str:
    """``x`` to ``digits`` significant digits, positional (never ``1e+03``), zeros trimmed."""
    rounded = float(f"{x:.{digits}g}")
    if abs(rounded) >= GROUP_FROM:
        return f"{rounded:,.0f}"
    text = np.format_float_positional(rounded, precision=digits, fractional=False, trim="-")
    return "0" if text in ("-0", "0") else text


def _percent(x: float) -> str:
    p = 100.0 * x
    if p == 0:
        return "0 %"
    if abs(p) >= GROUP_FROM:
        return f"{p:,.0f} %"
    if abs(p) < 1:
        return f"{_significant(p, 2)} %"
    text = f"{p:.1f}"
    return f"{text[:-2] if text.endswith('.0') else text} %"


def format_number(
    value: object, digits: int = 3, *, percent: bool = False, fmt: NumberFormat = LABEL
) -> str:
    """``value`` written by the rule of this module; a share in 0..1 as a percentage.

    Parameters
    ----------
    value : int, float or None
        The number; missing values give ``fmt.missing``.
    digits : int
        Significant digits below 1,000 (3 by default).
    percent : bool
        ``value`` is a share: written as ``100 * value`` and ``" %"``.
    fmt : NumberFormat
        :data:`LABEL` (maps, figures, QGIS; the default) or :data:`TABLE` (report tables).

    Examples
    --------
    >>> format_number(12), format_number(123456), format_number(float("inf"))
    ('12', '123,456', '—')
    >>> format_number(5.0, fmt=TABLE), format_number(0.5), format_number(None, fmt=TABLE)
    ('5', '0.5', '–')
    >>> format_number(-0.00004), format_number(0.0042, percent=True)
    ('-0.00004', '0.42 %')
    """
    if is_missing(value):
        return fmt.missing
    if _is_int(value) and not percent:  # counts and codes: exact, never rounded
        v = int(value)  # type: ignore[call-overload]
        return f"{v:,}" if abs(v) >= GROUP_FROM else str(v)
    x = float(value)  # type: ignore[arg-type]
    if not math.isfinite(x):
        return fmt.missing if fmt.finite_only else ("inf" if x > 0 else "-inf")
    if percent:
        return _percent(x)
    if abs(x) >= GROUP_FROM:
        return f"{x:,.0f}"
    if x.is_integer():
        return str(int(x))
    return _significant(x, digits)


def measure_kind(name: object) -> str:
    """How a statistic named ``name`` is written: "count", "p", "z", "moran", "percent", "index"
    or "number" (the magnitude rule).

    >>> [measure_kind(n) for n in ("gini", "I", "p_sim", "z", "theil_between_share", "popu_2020")]
    ['index', 'moran', 'p', 'z', 'percent', 'number']
    """
    text = str(name)
    for pattern, kind in _KINDS:
        if re.search(pattern, text):
            return kind
    return "number"


def format_measure(value: object, measure: str, *, fmt: NumberFormat = TABLE) -> str:
    """``value`` of the statistic ``measure`` (a name such as ``gini``, ``I``, ``p_sim``, ``z``).

    Fixed decimals by kind (:data:`MEASURE_DECIMALS`), p-values below 0.001 as ``< 0.001``,
    shares as percentages, counts exact, anything else by :func:`format_number`.

    >>> format_measure(0.05, "gini"), format_measure(-0.00279, "EI"), format_measure(5.4321, "z")
    ('0.050', '-0.0028', '5.43')
    >>> format_measure(0.0495, "p_norm"), format_measure(0.4, "capital_share"), format_measure(7.0, "n")
    ('0.050', '40 %', '7')
    """
    kind = measure_kind(measure)
    if is_missing(value) or kind in ("number", "count") or isinstance(value, (bool, np.bool_)):
        return format_number(value, fmt=fmt)
    if kind == "percent":
        return format_number(value, percent=True, fmt=fmt)
    x = float(value)  # type: ignore[arg-type]
    if not math.isfinite(x):
        return format_number(x, fmt=fmt)
    decimals = MEASURE_DECIMALS[kind]
    if kind == "p" and x < 10.0**-decimals:
        return f"< {10.0**-decimals:.{decimals}f}"
    text = f"{x:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


def format_value(value: float, value_format: str = "number", digits: int = 3) -> str:
    """:func:`format_number` for a map label: a share (0..1) as a percentage with ``"percent"``.

    >>> format_value(0.5), format_value(0.8567, "percent"), format_value(12345.6)
    ('0.5', '85.7 %', '12,346')
    """
    return format_number(value, digits, percent=value_format == "percent")
