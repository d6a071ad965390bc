"""Categorised styles: LISA clusters, Gi* bins and city-network tiers, one colour and label per class.

The category values are the labels and bins the measures write (:mod:`spatialinno.measures.results`),
the colours come from :mod:`spatialinno.styles.palette`.

>>> LISA.column, LISA.color_of("HH"), LISA.label_of("ns", "en")
('lisa_cluster', '#d7191c', 'not significant')
>>> HOTSPOTS.column, HOTSPOTS.color_of(-3), HOTSPOTS.color_of(9)
('gi_bin', '#4575b5', '#d9d9d9')
>>> HOTSPOTS.color_of("isolated") == LISA.color_of("isolated"), HOTSPOTS.label_of("isolated", "en")
(True, 'isolated (no neighbours)')
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..measures import results
from .palette import (
    EMERGING_COLORS,
    HOTSPOT_COLORS,
    ISOLATED_COLOR,
    LISA_COLORS,
    NO_DATA_COLOR,
    TIER_COLORS,
)
from .text import NO_DATA_LABEL

__all__ = [
    "EMERGING",
    "HOTSPOTS",
    "ISOLATED_CATEGORY",
    "LISA",
    "CategorizedStyle",
    "Category",
    "emerging",
    "hotspots",
    "lisa",
    "network_tiers",
]


@dataclass(frozen=True)
class Category:
    """One class of a categorised style: the value in the data, its colour and bilingual label."""

    value: object
    color: str
    label_zh: str
    label_en: str

    def label(self, lang: str = "zh") -> str:
        return self.label_zh if lang == "zh" else self.label_en


@dataclass(frozen=True)
class CategorizedStyle:
    """Colours by category of ``column`` (LISA clusters, Gi* bins)."""

    column: str
    categories: tuple[Category, ...]
    title_zh: str = ""
    title_en: str = ""

    def category(self, value: object) -> Category | None:
        """The category of ``value``: the style's own, the shared "isolated" one, or None.

        Every style of a local statistic tells isolated units (no neighbours) apart from units
        without data, with the same colour and words, whether or not it lists them.
        """
        for cat in self.categories:
            if cat.value == value:
                return cat
        if isinstance(value, str) and value == results.ISOLATED:
            return ISOLATED_CATEGORY
        return None

    def color_of(self, value: object) -> str:
        cat = self.category(value)
        return cat.color if cat is not None else NO_DATA_COLOR

    def label_of(self, value: object, lang: str = "zh") -> str:
        cat = self.category(value)
        return cat.label(lang) if cat is not None else NO_DATA_LABEL[lang]

    def bilingual_label(self, value: object) -> str:
        return f"{self.label_of(value, 'zh')} / {self.label_of(value, 'en')}"

    def title(self, lang: str = "zh") -> str:
        """The style's title in ``lang`` (legend title, layer name)."""
        return self.title_zh if lang == "zh" else self.title_en

    def with_column(self, column: str) -> CategorizedStyle:
        return replace(self, column=column)


_LISA_WORDS: dict[str, tuple[str, str]] = {
    "HH": ("高-高集聚", "High-High"),
    "LL": ("低-低集聚", "Low-Low"),
    "HL": ("高-低异常", "High-Low"),
    "LH": ("低-高异常", "Low-High"),
    results.NOT_SIGNIFICANT: ("不显著", "not significant"),
    results.ISOLATED: ("孤立（无邻居）", "isolated (no neighbours)"),
}

#: the class of units without neighbours, shared by every local statistic's style
ISOLATED_CATEGORY = Category(results.ISOLATED, ISOLATED_COLOR, *_LISA_WORDS[results.ISOLATED])

LISA = CategorizedStyle(
    column=results.LISA.klass,
    categories=(
        *(Category(v, LISA_COLORS[v], zh, en) for v, (zh, en) in _LISA_WORDS.items()),
        Category(results.NO_DATA, NO_DATA_COLOR, NO_DATA_LABEL["zh"], NO_DATA_LABEL["en"]),
    ),
    title_zh="LISA 聚类",
    title_en="LISA clusters",
)


def _gi_words(b: int) -> tuple[str, str]:
    if b == 0:
        return "不显著", "not significant"
    level = {3: 99, 2: 95, 1: 90}[abs(b)]
    if b > 0:
        return f"热点 {level}% 置信", f"Hot spot, {level}% confidence"
    return f"冷点 {level}% 置信", f"Cold spot, {level}% confidence"


HOTSPOTS = CategorizedStyle(
    column=results.GI.klass,
    categories=tuple(Category(b, HOTSPOT_COLORS[b], *_gi_words(b)) for b in results.GI_BINS),
    title_zh="Getis–Ord Gi* 冷热点",
    title_en="Getis–Ord Gi* hot and cold spots",
)


def _emerging() -> CategorizedStyle:
    from ..measures.emerging import EHSA_CATEGORIES

    words = {name: (v["zh"], name) for name, v in EHSA_CATEGORIES.items()}
    words[results.ISOLATED] = _LISA_WORDS[results.ISOLATED]
    return CategorizedStyle(
        column="category",
        categories=(
            *(Category(name, color, *words[name]) for name, color in EMERGING_COLORS.items()),
            Category(results.NO_DATA, NO_DATA_COLOR, NO_DATA_LABEL["zh"], NO_DATA_LABEL["en"]),
        ),
        title_zh="时空热点模式（新兴热点分析）",
        title_en="Emerging hot spots",
    )


#: The 17 categories of :func:`spatialinno.emerging_hotspots` (8 hot, 8 cold, no pattern) with
#: ``isolated`` and ``no data``: colours from :data:`spatialinno.styles.EMERGING_COLORS`, the
#: Chinese words of ArcGIS Pro's Chinese edition.
EMERGING = _emerging()


def emerging(column: str = "category") -> CategorizedStyle:
    """The emerging hot spot style (``category`` of :func:`spatialinno.emerging_hotspots`).

    >>> from spatialinno.styles import emerging
    >>> emerging().label_of("intensifying hot spot"), emerging().color_of("persistent cold spot")
    ('加强的热点', '#1b3659')
    """
    return EMERGING.with_column(column)


def lisa(column: str = results.LISA.klass) -> CategorizedStyle:
    """The LISA cluster style (HH red, LL blue, HL pink/orange, LH light blue, ns grey)."""
    return LISA.with_column(column)


def hotspots(column: str = results.GI.klass) -> CategorizedStyle:
    """The Gi* hot-spot style: 7 bins, cold blue to hot red, 90/95/99 % confidence."""
    return HOTSPOTS.with_column(column)


def network_tiers() -> CategorizedStyle:
    """The categorised style of the ``tier`` column (core / key / auxiliary), shared with QGIS.

    >>> from spatialinno.styles import network_tiers
    >>> network_tiers().color_of("core"), network_tiers().label_of("core", "en")
    ('#b30000', 'core')
    """
    from ..measures.network import TIER_ZH, TIERS

    return CategorizedStyle(
        column="tier",
        categories=tuple(Category(t, TIER_COLORS[t], TIER_ZH[t], t) for t in TIERS),
        title_zh="城市层级（加权度自然断点）",
        title_en="City tier (natural breaks of weighted degree)",
    )
