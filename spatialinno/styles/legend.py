"""Legend rows: what a legend lists for a style and the values drawn with it, whatever draws it.

A web map renders the rows as HTML (:func:`spatialinno.maps.base.add_legend`); a print figure
renders the same rows with matplotlib. The rows carry colours, labels in one language and the
number of units in each class, so both legends agree with each other and with the QGIS style.

>>> from spatialinno.styles import graduated
>>> s = graduated("x", scheme="equal_interval", k=3).resolve([0.0, 3, 6, 9])
>>> [(r.label, r.count) for r in graduated_legend(s, s.classify([0.0, 3, 6, 9, None]), "en")]
[('0 – 3', 2), ('3 – 6', 1), ('6 – 9', 1), ('no data', 1)]
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
from .palette import NO_DATA_COLOR
from .text import TEXT

__all__ = ["LegendRow", "categorized_legend", "class_counts", "class_note", "graduated_legend"]


@dataclass(frozen=True)
class LegendRow:
    """One legend entry: a colour swatch (``box``), a circle of ``size`` px, or a ``line``.

    ``count`` is the number of units drawn in the class (shown in brackets), ``border`` the
    outline colour of a circle.
    """

    color: str
    label: str
    shape: str = "box"
    size: float = 12.0
    count: int | None = None
    border: str | None = None


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
        rows.append(LegendRow(NO_DATA_COLOR, TEXT[lang]["no_data"], count=missing))
    return rows


def categorized_legend(
    style: CategorizedStyle, values: Sequence[object], lang: str
) -> list[LegendRow]:
    """One row per category of ``style`` with the number of ``values`` in it.

    ``values`` are category values or ``"no data"``; "isolated" and "no data" are listed only when
    some unit has them.
    """
    counts = pd.Series(list(values), dtype=object).value_counts()
    optional = (results.ISOLATED, results.NO_DATA)
    rows = [
        LegendRow(c.color, c.label(lang), count=int(counts.get(c.value, 0)))
        for c in style.categories
        if counts.get(c.value, 0) > 0 or c.value not in optional
    ]
    n_missing = int(counts.get(results.NO_DATA, 0))
    if n_missing and all(c.value != results.NO_DATA for c in style.categories):
        rows.append(LegendRow(NO_DATA_COLOR, TEXT[lang]["no_data"], count=n_missing))
    return rows


def class_note(style: GraduatedStyle, lang: str) -> str:
    """The legend note naming the class scheme: ``"分级: 分位数 (k=5)"``."""
    t = TEXT[lang]
    scheme = t["scheme"][style.scheme if style.bins is None else "user"]
    return f"{t['classes']}: {scheme} (k={len(style.colors)})"
