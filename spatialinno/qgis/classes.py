"""The classes of a QGIS style: one legend entry per category or value range, for QML and SLD.

:func:`categorized_classes` and :func:`graduated_classes` turn a style of :mod:`spatialinno.styles`
into :class:`StyleClass` entries (colour, label, value or range) that :mod:`spatialinno.qgis.qml`
and :mod:`spatialinno.qgis.sld` write, so both documents list the same classes as the web map.
The checks and number texts both writers need are here too.

>>> from spatialinno import styles
>>> [c.label for c in categorized_classes(styles.LISA, "en")][:2]
['High-High', 'Low-Low']
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .. import styles as _styles
from .._errors import ExportError

__all__ = [
    "GEOMETRY_KINDS",
    "StyleClass",
    "bilingual",
    "categorized_classes",
    "category_value",
    "check_kind",
    "check_labels",
    "check_xml_text",
    "graduated_classes",
    "no_data_class",
    "number_text",
]

GEOMETRY_KINDS: tuple[str, ...] = ("polygon", "line", "point")


@dataclass(frozen=True)
class StyleClass:
    """One legend entry: a category value or a value range, its colour and label.

    ``value`` is set for categories (``None`` for the catch-all "no data" category, which QGIS
    writes as ``value=""`` and uses for NULL and for values without their own category); ``lower``
    and ``upper`` are set for ranges (lower bound exclusive except for the first class, as in QGIS
    and :func:`spatialinno.styles.class_index`).
    """

    color: str
    label: str
    value: object = None
    lower: float | None = None
    upper: float | None = None


def bilingual(zh: str, en: str, lang: str = "both") -> str:
    """Legend label in ``lang``: ``"zh"``, ``"en"`` or ``"both"`` (``"中文 / English"``).

    >>> bilingual("热点", "Hot spot")
    '热点 / Hot spot'
    >>> bilingual("1 – 2", "1 – 2")
    '1 – 2'
    """
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    if lang != "both":
        raise ExportError(f"lang must be 'zh', 'en' or 'both', not {lang!r}")
    return zh if zh == en else f"{zh} / {en}"


def categorized_classes(
    style: _styles.CategorizedStyle, lang: str = "both", other: bool = False
) -> list[StyleClass]:
    """Legend entries of a categorised style; ``other=True`` appends the "no data" catch-all
    (which then also stands for a "no data" category of the style, drawn in the same grey).

    The catch-all mirrors :meth:`CategorizedStyle.color_of`, which colours every value without a
    category (and NULL) grey in the folium maps.
    """
    out = [
        StyleClass(color=c.color, label=bilingual(c.label_zh, c.label_en, lang), value=c.value)
        for c in style.categories
        # with the catch-all, a category of its own for "no data" (LISA's) would be a second
        # identical legend entry: the catch-all draws those units (an unlisted value) instead
        if not (other and c.label_en == _styles.NO_DATA_LABEL["en"])
    ]
    if other:
        out.append(no_data_class(lang))
    return out


def graduated_classes(
    style: _styles.GraduatedStyle, lang: str = "both", no_data: bool = False
) -> list[StyleClass]:
    """Legend entries of a resolved graduated style: one range per class break.

    The first range starts at ``style.lower`` (the minimum of the data the style was resolved on),
    each next range at the previous upper bound, exactly like the map legend. ``no_data=True``
    appends the grey "no data" class (no value, no range) for units without a value, which the
    writers draw as such (:func:`spatialinno.qgis.qml.graduated_qml`).
    """
    if style.breaks is None:
        raise ExportError("graduated style not resolved: call style.resolve(values) first")
    breaks = [float(b) for b in style.breaks]
    first = float(style.lower) if style.lower is not None else breaks[0]
    # with user bins the data minimum can lie above the first bin's upper bound (shares 0.6..0.9
    # with bins 0.5/0.8/1.0); QGIS needs lower <= upper for every range
    lows = [min(first, breaks[0]), *breaks[:-1]]
    zh, en = style.class_labels("zh"), style.class_labels("en")
    out = [
        StyleClass(color=col, label=bilingual(z, e, lang), lower=lo, upper=hi)
        for lo, hi, col, z, e in zip(lows, breaks, style.colors, zh, en, strict=True)
    ]
    if no_data:
        out.append(no_data_class(lang))
    return out


def no_data_class(lang: str = "both") -> StyleClass:
    """The grey "no data" class (the colour and label of the maps' no-data entry).

    >>> no_data_class("en").label
    'no data'
    """
    label = bilingual(_styles.NO_DATA_LABEL["zh"], _styles.NO_DATA_LABEL["en"], lang)
    return StyleClass(color=_styles.NO_DATA_COLOR, label=label, value=None)


def number_text(x: float) -> str:
    """A class bound as QGIS reads it back exactly.

    ``repr()`` is the shortest text that reads back to the same double, so QGIS gets exactly the
    breaks the folium map uses (QGIS itself writes 15 decimals, which can round a break).
    """
    return repr(float(x))


def category_value(value: object) -> str:
    """A category value as QGIS compares it (``QVariant::toString``): ``3.0`` is written ``"3"``.

    QGIS matches categories on the text form of the attribute, where an integer 3 and a double
    3.0 both read "3"; integral numbers are written without ".0" so a Gi* bin stored as REAL
    (because of missing values) still matches its category.

    >>> category_value(3.0), category_value(True), category_value("HH")
    ('3', '1', 'HH')
    """
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def check_kind(kind: str) -> None:
    """``kind`` must be one of :data:`GEOMETRY_KINDS`."""
    if kind not in GEOMETRY_KINDS:
        raise ExportError(f"geometry kind must be one of {', '.join(GEOMETRY_KINDS)}, not {kind!r}")


# characters XML 1.0 cannot hold at all (not even as a character reference)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def check_xml_text(text: object, what: str) -> None:
    """Refuse text that would make the QML/SLD document unreadable (ElementTree writes it raw)."""
    bad = _NOT_XML.search(str(text))
    if bad:
        raise ExportError(
            f"{what} {str(text)!r} holds the control character U+{ord(bad.group(0)):04X}, which "
            "a QGIS style (XML) cannot hold; rename it without control characters"
        )


def check_labels(classes: Sequence[StyleClass]) -> None:
    """Every legend label is XML text (labels carry user text, e.g. the unit of a style)."""
    for cls in classes:
        check_xml_text(cls.label, "legend label")
