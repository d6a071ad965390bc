"""One palette and one class scheme, shared by the folium maps and the QGIS styles.

A map and the QGIS layer exported from the same frame must show the same colours, the same class
breaks and the same labels, so both read them from the objects defined here.

>>> from spatialinno import styles
>>> styles.LISA.color_of("HH")
'#d7191c'
>>> s = styles.graduated("rd_staff", scheme="quantiles", k=4).resolve([1, 2, 3, 4, 5, 6, 7, 8])
>>> s.breaks
(2.75, 4.5, 6.25, 8.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ._errors import InputError
from .measures.classify import SCHEMES, class_breaks, class_index

NO_DATA_COLOR = "#d9d9d9"
NO_DATA_LABEL = {"zh": "无数据", "en": "no data"}
BORDER_COLOR = "#636363"
NATIONAL_BORDER_COLOR = "#252525"

# ColorBrewer sequential palettes (Cynthia Brewer, Apache-2.0 licensed colour specs), 3..7 classes
_SEQUENTIAL: dict[str, dict[int, tuple[str, ...]]] = {
    "YlOrRd": {
        3: ("#ffeda0", "#feb24c", "#f03b20"),
        4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
        5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
        6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
        7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    },
    "Blues": {
        3: ("#deebf7", "#9ecae1", "#3182bd"),
        4: ("#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"),
        5: ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
        6: ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"),
        7: ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"),
    },
}
DEFAULT_PALETTE = "YlOrRd"


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

    def color_of(self, value: object) -> str:
        for cat in self.categories:
            if cat.value == value:
                return cat.color
        return NO_DATA_COLOR

    def label_of(self, value: object, lang: str = "zh") -> str:
        for cat in self.categories:
            if cat.value == value:
                return cat.label(lang)
        return NO_DATA_LABEL[lang]

    def bilingual_label(self, value: object) -> str:
        return f"{self.label_of(value, 'zh')} / {self.label_of(value, 'en')}"

    def with_column(self, column: str) -> CategorizedStyle:
        return replace(self, column=column)


LISA = CategorizedStyle(
    column="lisa_cluster",
    categories=(
        Category("HH", "#d7191c", "高-高集聚", "High-High"),
        Category("LL", "#2c7bb6", "低-低集聚", "Low-Low"),
        Category("HL", "#f4a5ae", "高-低异常", "High-Low"),
        Category("LH", "#abd9e9", "低-高异常", "Low-High"),
        Category("ns", "#f0f0f0", "不显著", "not significant"),
        Category("isolated", "#8c6bb1", "孤立（无邻居）", "isolated (no neighbours)"),
        Category("no data", NO_DATA_COLOR, "无数据", "no data"),
    ),
    title_zh="LISA 聚类",
    title_en="LISA clusters",
)

HOTSPOTS = CategorizedStyle(
    column="gi_bin",
    categories=(
        Category(3, "#d62f27", "热点 99% 置信", "Hot spot, 99% confidence"),
        Category(2, "#ed7551", "热点 95% 置信", "Hot spot, 95% confidence"),
        Category(1, "#fab984", "热点 90% 置信", "Hot spot, 90% confidence"),
        Category(0, "#f7f7f7", "不显著", "not significant"),
        Category(-1, "#c0ccbe", "冷点 90% 置信", "Cold spot, 90% confidence"),
        Category(-2, "#849eba", "冷点 95% 置信", "Cold spot, 95% confidence"),
        Category(-3, "#4575b5", "冷点 99% 置信", "Cold spot, 99% confidence"),
    ),
    title_zh="Getis–Ord Gi* 冷热点",
    title_en="Getis–Ord Gi* hot and cold spots",
)


def palette(k: int, name: str = DEFAULT_PALETTE) -> tuple[str, ...]:
    """``k`` colours (3..7) of a sequential ColorBrewer palette, light to dark."""
    if name not in _SEQUENTIAL:
        raise InputError(f"unknown palette {name!r}; available: {', '.join(_SEQUENTIAL)}")
    if k not in _SEQUENTIAL[name]:
        raise InputError(f"palette {name!r} has 3 to 7 classes, not k={k}")
    return _SEQUENTIAL[name][k]


def format_number(value: float, digits: int = 3) -> str:
    """Readable number for labels and tooltips: thousands separators, ``digits`` significant."""
    if value is None or not np.isfinite(value):
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


VALUE_FORMATS: tuple[str, ...] = ("number", "percent")


def format_value(value: float, value_format: str = "number", digits: int = 3) -> str:
    """``format_number``, or a share (0..1) written as a percentage when ``value_format="percent"``.

    >>> format_value(0.5), format_value(0.8567, "percent"), format_value(12345.6)
    ('0.5', '85.7 %', '12,346')
    """
    if value_format == "percent":
        if value is None or not np.isfinite(value):
            return "—"
        pct = 100.0 * float(value)
        text = f"{pct:.1f}".rstrip("0").rstrip(".")  # 50 %, 85.7 %: no trailing zeros
        return f"{text} %"
    return format_number(value, digits)


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

    def format_value(self, value: float) -> str:
        """One value as the legend and tooltips write it (``value_format`` applied)."""
        return format_value(value, self.value_format)

    def resolve(self, values: Sequence[float] | np.ndarray) -> GraduatedStyle:
        """The same style with class breaks computed from ``values`` (a no-op if already fixed)."""
        if self.breaks is not None:
            return self
        breaks = class_breaks(values, self.scheme, self.k, self.bins)
        x = np.asarray(values, dtype=float)
        return replace(self, breaks=breaks, lower=float(np.nanmin(x)))

    @property
    def colors(self) -> tuple[str, ...]:
        if self.breaks is None:
            raise InputError("style not resolved: call .resolve(values) first")
        n = len(self.breaks)
        if n < 3:  # the palettes start at 3 classes: take the darker end for 1-2 classes
            return palette(3, self.palette_name)[3 - n :]
        return palette(n, self.palette_name)

    def class_labels(self, lang: str = "zh") -> list[str]:
        """Label per class, such as ``"1,200 – 3,400"``; ``lang`` only changes the unit text."""
        if self.breaks is None:
            raise InputError("style not resolved: call .resolve(values) first")
        suffix = f" {self.unit}" if self.unit else ""
        labels = [
            f"{self.format_value(lo)} – {self.format_value(hi)}{suffix}"
            for lo, hi in zip(self.breaks[:-1], self.breaks[1:], strict=True)
        ]
        b0 = self.breaks[0]
        # the first class runs from the data minimum; with user bins the minimum can lie above
        # the first bound (shares 0.6..0.9 with bins 0.5/0.8/1.0): "≤ 50 %", never "60 % – 50 %"
        if self.lower is None or self.lower > b0:
            first = f"≤ {self.format_value(b0)}{suffix}"
        else:
            first = f"{self.format_value(self.lower)} – {self.format_value(b0)}{suffix}"
        return [first, *labels]

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

    >>> from spatialinno import styles
    >>> styles.graduated("x", scheme="equal_interval", k=3).resolve([0, 3, 6, 9]).breaks
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

    >>> from spatialinno import styles
    >>> s = styles.capital_share().resolve([0.3, 0.55, 0.85])
    >>> s.breaks, s.class_labels()
    ((0.5, 0.8, 1.0), ['30 % – 50 %', '50 % – 80 %', '80 % – 100 %'])
    >>> styles.capital_share().resolve([0.6, 0.9]).class_labels()
    ['≤ 50 %', '50 % – 80 %', '80 % – 100 %']
    """
    return graduated(
        column,
        scheme="user",
        bins=(*CAPITAL_SHARE_THRESHOLDS, 1.0),
        palette_name="YlOrRd",
        value_format="percent",
    )


def lisa(column: str = "lisa_cluster") -> CategorizedStyle:
    """The LISA cluster style (HH red, LL blue, HL pink/orange, LH light blue, ns grey)."""
    return LISA.with_column(column)


def hotspots(column: str = "gi_bin") -> CategorizedStyle:
    """The Gi* hot-spot style: 7 bins, cold blue to hot red, 90/95/99 % confidence."""
    return HOTSPOTS.with_column(column)


# city networks: tiers (core / key / auxiliary) and edge lines, shared by network_map and QGIS
TIER_COLORS: dict[str, str] = {"core": "#b30000", "key": "#fc8d59", "auxiliary": "#fdd49e"}
EDGE_COLOR = "#2c7fb8"


def network_tiers() -> CategorizedStyle:
    """The categorised style of the ``tier`` column (core / key / auxiliary), shared with QGIS.

    >>> from spatialinno.styles import network_tiers
    >>> network_tiers().color_of("core"), network_tiers().label_of("core", "en")
    ('#b30000', 'core')
    """
    from .measures.network import TIER_ZH, TIERS

    return CategorizedStyle(
        column="tier",
        categories=tuple(Category(t, TIER_COLORS[t], TIER_ZH[t], t) for t in TIERS),
        title_zh="城市层级（加权度自然断点）",
        title_en="City tier (natural breaks of weighted degree)",
    )


def edge_weights(weights: Sequence[float]) -> GraduatedStyle:
    """Graduated style of the edge ``weight`` column: Fisher–Jenks breaks (up to 5), Blues.

    The breaks come from :func:`spatialinno.measures.network.jenks_breaks` and are handed to the style as user bins:
    mapclassify's pure-Python Fisher–Jenks (without numba) needs seconds for a thousand edges.

    >>> from spatialinno.styles import edge_weights
    >>> edge_weights([1, 1, 2, 3, 8, 9, 10, 30, 31, 60]).breaks
    (1.0, 3.0, 10.0, 31.0, 60.0)
    """
    from .measures.network import jenks_breaks

    x = np.asarray(weights, dtype=float)
    breaks = tuple(float(b) for b in jenks_breaks(x, 5))
    style = graduated("weight", scheme="user", bins=breaks, palette_name="Blues")
    # breaks set here, so resolve() is a no-op and mapclassify (4 s to import) is not needed
    return replace(style, breaks=breaks, lower=float(np.nanmin(x)))
