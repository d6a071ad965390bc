"""Legend rows: what a legend lists for a style and the values drawn with it, whatever draws it.

A web map renders the rows as HTML (:func:`spatialinno.maps.base.add_legend`); a print figure
renders the same rows with matplotlib. The rows carry colours, labels in one language and the
number of units in each class, so both legends agree with each other and with the QGIS style.

>>> from spatialinno.styles import graduated
>>> s = graduated("x", scheme="equal_interval", k=3).resolve([0.0, 3, 6, 9])
>>> [(r.label, r.count) for r in graduated_legend(s, s.classify([0.0, 3, 6, 9, None]), "en")]
[('0 – 3', 2), ('4 – 6', 1), ('7 – 9', 1), ('no data', 1)]
>>> graduated_legend(s, s.classify([0.0, None]), "en")[-1].pattern
'hatch'

>>> class_note(s, "en")
'classes: equal interval (k=3)'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..measures import results
from .categorized import CategorizedStyle
from .graduated import GraduatedStyle
from .palette import NO_DATA_HATCH
from .text import TEXT

__all__ = [
    "LegendRow",
    "categorized_legend",
    "class_counts",
    "class_note",
    "graduated_legend",
    "no_data_row",
]


@dataclass(frozen=True)
class LegendRow:
    """One legend entry: a colour swatch (``box``), a circle of ``size`` px, or a ``line``.

    ``count`` is the number of units drawn in the class (shown in brackets), ``border`` the
    outline colour of a circle. ``pattern="hatch"``: the box is white
    (``NO_DATA_HATCH["background"]``) with diagonal lines in ``color`` (units without data).
    ``dash``: the dash pattern of a ``line`` (SVG ``stroke-dasharray``, e.g. ``"10 5"``; None:
    solid).
    """

    color: str
    label: str
    shape: str = "box"
    size: float = 12.0
    count: int | None = None
    border: str | None = None
    pattern: str | None = None
    dash: str | None = None


def no_data_row(lang: str, count: int | None = None) -> LegendRow:
    """The legend row of units without data: a hatched box, "无数据" / "no data"."""
    return LegendRow(NO_DATA_HATCH["line"], TEXT[lang]["no_data"], count=count, pattern="hatch")


def class_counts(classes: np.ndarray, n: int) -> list[int]:
    """Number of units in each of the ``n`` classes (``classes`` from ``style.classify``)."""
    return [int(np.sum(classes == i)) for i in range(n)]


def graduated_legend(style: GraduatedStyle, classes: np.ndarray, lang: str) -> list[LegendRow]:
    """One row per class of a resolved ``style`` with its count, and "no data" when some are missing.

    ``classes`` is ``style.classify(values)`` (-1 for a missing value).
    """
    colors = style.colors
    counts = class_counts(classes, len(colors))
    labels = style.class_labels(lang)
    rows = [LegendRow(c, lab, count=n) for c, lab, n in zip(colors, labels, counts, strict=True)]
    missing = int((np.asarray(classes) < 0).sum())
    if missing:
        rows.append(no_data_row(lang, missing))
    return rows


def categorized_legend(
    style: CategorizedStyle, values: Sequence[object], lang: str
) -> list[LegendRow]:
    """One row per category of ``style`` with the number of ``values`` in it.

    ``values`` are category values, ``"isolated"`` or ``"no data"``; "isolated" (its own colour)
    and "no data" (hatched) are listed, after the categories, only when some unit has them.

    >>> from spatialinno.styles import HOTSPOTS
    >>> rows = categorized_legend(HOTSPOTS, [3, 0, "isolated", "no data"], "en")
    >>> [(r.label, r.count, r.pattern) for r in rows[-3:]]
    [('Cold spot, 99% confidence', 0, None), ('isolated (no neighbours)', 1, None), ('no data', 1, 'hatch')]
    """
    counts = pd.Series(list(values), dtype=object).value_counts()
    optional = (results.ISOLATED, results.NO_DATA)
    rows = [
        LegendRow(c.color, c.label(lang), count=int(counts.get(c.value, 0)))
        for c in style.categories
        if c.value not in optional
    ]
    n_isolated = int(counts.get(results.ISOLATED, 0))
    if n_isolated:
        cat = style.category(results.ISOLATED)
        rows.append(LegendRow(cat.color, cat.label(lang), count=n_isolated))
    # values the style has no category for are drawn as no data, and counted so
    known = {c.value for c in style.categories} | {results.ISOLATED}
    n_missing = int(sum(n for v, n in counts.items() if v not in known or v == results.NO_DATA))
    if n_missing:
        rows.append(no_data_row(lang, n_missing))
    return rows


def class_note(style: GraduatedStyle, lang: str) -> str:
    """The legend note naming the class scheme: ``"分级: 分位数 (k=5)"``."""
    t = TEXT[lang]
    scheme = t["scheme"][style.scheme if style.bins is None else "user"]
    return f"{t['classes']}: {scheme} (k={len(style.colors)})"
