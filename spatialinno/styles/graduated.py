"""Graduated styles: sequential colours by class of a numeric column (choropleths, capital share, edges).

Breaks come from the one class-break function, :func:`spatialinno.measures.classify.class_breaks`
(mapclassify underneath: no empty class, no class twice, whole-number breaks on integer data),
and are fixed once a style is resolved on data, so the web map, the print figure and the QGIS
layer of the same values draw the same classes with the same labels.

>>> s = graduated("rd_staff", scheme="quantiles", k=4).resolve([1, 2, 3, 4, 5, 6, 7, 8])
>>> s.breaks, s.colors[0], s.class_labels()
((2.0, 4.0, 6.0, 8.0), '#ffffb2', ['1 – 2', '3 – 4', '5 – 6', '7 – 8'])
>>> s = graduated("x", scheme="quantiles", k=4).resolve([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4])
>>> s.breaks, s.class_labels()[0]
((1.375, 2.25, 3.125, 4.0), '0.5 – 1.38')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from .._errors import InputError
from ..measures.classify import SCHEMES, class_breaks, class_index, is_integer_data
from .numbers import VALUE_FORMATS, format_value
from .palette import CAPITAL_COLORS, DEFAULT_PALETTE, palette

__all__ = [
    "CAPITAL_SHARE_THRESHOLDS",
    "GraduatedStyle",
    "capital_outline",
    "capital_share",
    "edge_weights",
    "graduated",
]


@dataclass(frozen=True)
class GraduatedStyle:
    """Sequential colours by class of a numeric ``column``; breaks fixed once resolved on data."""

    column: str
    scheme: str = "quantiles"
    k: int = 5
    bins: tuple[float, ...] | None = None
    palette_name: str = DEFAULT_PALETTE
    breaks: tuple[float, ...] | None = None
    lower: float | None = None
    unit: str = ""
    title_zh: str = ""
    title_en: str = ""
    extra: dict = field(default_factory=dict, compare=False)
    # "percent": values are shares in 0..1, labelled "50 %" (capital share); added after the
    # first release of this class, so it comes last and defaults to the old behaviour
    value_format: str = "number"
    # the data are whole numbers: breaks are whole numbers and class i holds breaks[i-1] + 1 ..
    # breaks[i] ("1", "2 – 3", "4 – 10"); set by resolve()
    integer: bool = False

    def format_value(self, value: float) -> str:
        """One value as the legend and tooltips write it (``value_format`` applied)."""
        return format_value(value, self.value_format)

    def resolve(self, values: Sequence[float] | np.ndarray) -> GraduatedStyle:
        """The same style with class breaks computed from ``values`` (a no-op if already fixed)."""
        if self.breaks is not None:
            return self
        breaks = class_breaks(values, self.scheme, self.k, self.bins)
        x = np.asarray(values, dtype=float)
        lower = float(np.nanmin(np.where(np.isfinite(x), x, np.nan)))
        return replace(self, breaks=breaks, lower=lower, integer=is_integer_data(x))

    @property
    def colors(self) -> tuple[str, ...]:
        if self.breaks is None:
            raise InputError("style not resolved: call .resolve(values) first")
        n = len(self.breaks)
        if n < 3:  # the palettes start at 3 classes: take the darker end for 1-2 classes
            return palette(3, self.palette_name)[3 - n :]
        return palette(n, self.palette_name)

    def class_labels(self, lang: str = "zh") -> list[str]:
        """Label per class, such as ``"1,200 – 3,400"``; ``lang`` only changes the unit text.

        A class holding one value is labelled by it (``"1"``, never ``"1 – 1"``); on integer data
        class ``i`` runs from ``breaks[i-1] + 1`` (``"2 – 3"`` after ``"1"``).

        >>> graduated("n", scheme="user", bins=[1, 3, 10]).resolve([1, 1, 2, 3, 7, 10]).class_labels()
        ['1', '2 – 3', '4 – 10']
        """
        if self.breaks is None:
            raise InputError("style not resolved: call .resolve(values) first")
        suffix = f" {self.unit}" if self.unit else ""
        b = [float(v) for v in self.breaks]
        step = 1.0 if self.integer else 0.0
        lows = [b[i - 1] + step for i in range(1, len(b))]
        labels = [self._range(lo, hi, suffix) for lo, hi in zip(lows, b[1:], strict=True)]
        # the first class runs from the data minimum; with user bins the minimum can lie above
        # the first bound (shares 0.6..0.9 with bins 0.5/0.8/1.0): "≤ 50 %", never "60 % – 50 %"
        if self.lower is None or self.lower > b[0]:
            first = f"≤ {self.format_value(b[0])}{suffix}"
        else:
            first = self._range(self.lower, b[0], suffix)
        return [first, *labels]

    def _range(self, lo: float, hi: float, suffix: str) -> str:
        if lo == hi:
            return f"{self.format_value(hi)}{suffix}"
        return f"{self.format_value(lo)} – {self.format_value(hi)}{suffix}"

    def classify(self, values: Sequence[float] | np.ndarray) -> np.ndarray:
        """Class (0-based) of each value under this resolved style; -1 for missing values."""
        if self.breaks is None:
            raise InputError("style not resolved: call .resolve(values) first")
        return class_index(values, self.breaks)


def graduated(
    column: str,
    scheme: str = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
    palette_name: str = DEFAULT_PALETTE,
    unit: str = "",
    value_format: str = "number",
) -> GraduatedStyle:
    """A graduated (choropleth) style for ``column``; breaks are computed when data is known.

    ``value_format="percent"`` writes shares in 0..1 as percentages in labels and tooltips.

    >>> graduated("x", scheme="equal_interval", k=3).resolve([0, 3, 6, 9]).breaks
    (3.0, 6.0, 9.0)
    """
    if scheme not in SCHEMES:
        raise InputError(f"unknown scheme {scheme!r}; valid schemes: {', '.join(SCHEMES)}")
    if value_format not in VALUE_FORMATS:
        raise InputError(
            f"unknown value_format {value_format!r}; valid: {', '.join(VALUE_FORMATS)}"
        )
    return GraduatedStyle(
        column=column,
        scheme=scheme,
        k=k,
        bins=tuple(bins) if bins is not None else None,
        palette_name=palette_name,
        unit=unit,
        value_format=value_format,
    )


# The capital effect (省会效应): the reference study calls a province capital-dominated when its
# capital holds more than half of the province's innovation resources, and extreme above 80 %.
CAPITAL_SHARE_THRESHOLDS: tuple[float, float] = (0.5, 0.8)


def capital_share(column: str = "capital_share") -> GraduatedStyle:
    """Style for a capital's share (0..1): three classes split at the 50 % and 80 % thresholds.

    >>> s = capital_share().resolve([0.3, 0.55, 0.85])
    >>> s.breaks, s.class_labels()
    ((0.5, 0.8, 1.0), ['30 % – 50 %', '50 % – 80 %', '80 % – 100 %'])
    >>> capital_share().resolve([0.6, 0.9]).class_labels()
    ['≤ 50 %', '50 % – 80 %', '80 % – 100 %']
    """
    return graduated(
        column,
        scheme="user",
        bins=(*CAPITAL_SHARE_THRESHOLDS, 1.0),
        palette_name="YlOrRd",
        value_format="percent",
    )


def capital_outline(share: float) -> tuple[str, float]:
    """Outline colour and width (px) of a capital's symbol: thin ≤ 50 %, thick dark, red > 80 %.

    >>> capital_outline(0.3), capital_outline(0.65), capital_outline(0.9)
    (('#555555', 1.2), ('#222222', 3.0), ('#b2182b', 3.0))
    """
    lo, hi = CAPITAL_SHARE_THRESHOLDS
    if share > hi:
        return CAPITAL_COLORS["extreme"], 3.0
    if share > lo:
        return CAPITAL_COLORS["dominant"], 3.0
    return CAPITAL_COLORS["low"], 1.2


def edge_weights(weights: Sequence[float]) -> GraduatedStyle:
    """Graduated style of the edge ``weight`` column: Fisher–Jenks breaks (up to 5), Blues.

    The breaks come from :func:`spatialinno.measures.classify.fisher_jenks` and are handed to the style as user bins:
    mapclassify's pure-Python Fisher–Jenks (without numba) needs seconds for a thousand edges.

    >>> from spatialinno.styles import edge_weights
    >>> edge_weights([1, 1, 2, 3, 8, 9, 10, 30, 31, 60]).breaks
    (1.0, 3.0, 10.0, 31.0, 60.0)
    """
    from ..measures.classify import fisher_jenks

    x = np.asarray(weights, dtype=float)
    breaks = tuple(float(b) for b in fisher_jenks(x, 5))
    style = graduated("weight", scheme="user", bins=breaks, palette_name="Blues")
    # breaks set here, so resolve() is a no-op and mapclassify (4 s to import) is not needed
    return replace(style, breaks=breaks, lower=float(np.nanmin(x)))
