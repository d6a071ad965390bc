"""Print-only rules of the figures: journal widths, greyscale fills, print chrome, print words.

The print figures (:mod:`spatialinno.figures`) draw the classes, colours and labels of the web
maps (:mod:`spatialinno.styles.graduated`, :mod:`~spatialinno.styles.categorized`,
:mod:`~spatialinno.styles.legend`); what only paper needs lives here: column widths, the
greyscale versions of the class colours (grey ramps, and hatching that keeps LISA and Gi*
classes apart in black and white), the colours of the frame, inset, arrow and guides, line
styles that tell the four NBS regions apart without colour, and the words only a printed figure
shows (the inset's name, the review-number statement, axis titles of the charts).

>>> COLUMN_WIDTH_MM["single"], COLUMN_WIDTH_MM["double"]
(90.0, 190.0)
>>> grey_fill(LISA, "HH"), grey_fill(LISA, "ns")
(('#252525', ''), ('#ffffff', ''))
>>> review_statement("GS(2024)0650", "zh")
'基于审图号GS(2024)0650的标准地图制作，底图无修改'
"""

from __future__ import annotations

import re
from typing import Any

from .._errors import InputError
from ..measures import results
from .categorized import HOTSPOTS, LISA, CategorizedStyle
from .graduated import GraduatedStyle

__all__ = [
    "CAPITAL_GUIDES",
    "COLUMN_WIDTH_MM",
    "FIGURE_STYLES",
    "GREYS",
    "GREY_CAPITAL",
    "PRINT_COLORS",
    "PRINT_TEXT",
    "REGION_COLORS",
    "REGION_LINESTYLES",
    "REGION_MARKERS",
    "graduated_fills",
    "grey_fill",
    "review_statement",
]

# Journal column widths (mm): Elsevier's single (90 mm) and double (190 mm) columns; Springer
# (84 / 174 mm) and the Chinese geography journals (about 80-85 / 170-175 mm) are narrower, so
# a figure made for Elsevier is scaled down, never up, for them.
COLUMN_WIDTH_MM: dict[str, float] = {"single": 90.0, "double": 190.0}

FIGURE_STYLES: tuple[str, ...] = ("color", "grey")

# the chrome of a printed figure (text, frames, inset, arrow, guides, name halos)
PRINT_COLORS: dict[str, str] = {
    "text": "#222222",
    "muted": "#555555",
    "frame": "#333333",
    "land": "#f2efe9",  # the shared inset of small multiples: land without data classes
    "land_border": "#8c8c8c",
    "guide": "#555555",
    "grid": "#d9d9d9",
    "halo": "#ffffff",
    "arrow_light": "#ffffff",
    "arrow_dark": "#222222",
    "point": "#7f7f7f",  # Moran scatter points that are not in a significant cluster
}

# ColorBrewer "Greys" (Cynthia Brewer, Apache-2.0 colour specs), 3..7 classes, light to dark
GREYS: dict[int, tuple[str, ...]] = {
    3: ("#f0f0f0", "#bdbdbd", "#636363"),
    4: ("#f7f7f7", "#cccccc", "#969696", "#525252"),
    5: ("#f7f7f7", "#cccccc", "#969696", "#636363", "#252525"),
    6: ("#f7f7f7", "#d9d9d9", "#bdbdbd", "#969696", "#636363", "#252525"),
    7: ("#f7f7f7", "#d9d9d9", "#bdbdbd", "#969696", "#737373", "#525252", "#252525"),
}
_WHITE = "#ffffff"
# no data in greyscale: white crossed, so it is never read as the lightest class
GREY_NO_DATA: tuple[str, str] = (_WHITE, "xxxx")

# greyscale fill and hatch of each LISA cluster and Gi* bin: the clusters of interest solid
# (dark = high, mid grey = low), outliers and cold spots hatched, "not significant" plain white
_GREY_LISA: dict[object, tuple[str, str]] = {
    "HH": ("#252525", ""),
    "LL": ("#969696", ""),
    "HL": (_WHITE, "////"),
    "LH": (_WHITE, "...."),
    results.NOT_SIGNIFICANT: (_WHITE, ""),
    results.ISOLATED: (_WHITE, "oo"),
    results.NO_DATA: GREY_NO_DATA,
}
_GREY_GI: dict[object, tuple[str, str]] = {
    3: ("#252525", ""),
    2: ("#737373", ""),
    1: ("#cccccc", ""),
    0: (_WHITE, ""),
    -1: (_WHITE, "\\\\"),
    -2: (_WHITE, "\\\\\\\\"),
    -3: ("#cccccc", "\\\\\\\\\\\\"),
    results.ISOLATED: (_WHITE, "oo"),  # as on the LISA map, not the no-data cross
    results.NO_DATA: GREY_NO_DATA,
}

# greyscale capitals (capital-effect map): the class in the fill (light ≤ 50 %, mid 50-80 %,
# dark > 80 %) with black outlines -- the web map tells the classes apart by outline colour,
# which grey cannot
GREY_CAPITAL: tuple[str, str, str] = ("#d9d9d9", "#969696", "#252525")

# the four NBS regions in the charts (Okabe & Ito's colour-blind-safe colours), and the line
# styles and markers that tell them apart in greyscale and on the coastal-lead map's outlines
REGION_COLORS: dict[str, str] = {
    "east": "#d55e00",
    "central": "#0072b2",
    "west": "#009e73",
    "northeast": "#cc79a7",
}
REGION_LINESTYLES: dict[str, Any] = {
    "east": "-",
    "central": (0, (5, 2)),
    "west": (0, (1, 1.5)),
    "northeast": (0, (6, 2, 1, 2)),
}
REGION_MARKERS: dict[str, str] = {"east": "o", "central": "s", "west": "^", "northeast": "D"}

# guide lines of the capital-share bar chart: the 50 % and 80 % thresholds of the capital
# effect (styles.graduated.CAPITAL_SHARE_THRESHOLDS) and 30 %, where the study's least
# concentrated provinces sit
CAPITAL_GUIDES: tuple[float, ...] = (0.3, 0.5, 0.8)

# the words only a printed figure shows; everything else comes from styles.text
PRINT_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "inset": "南海诸岛",
        "north": "N",
        "review": "基于审图号{number}的标准地图制作，底图无修改",
        "projection": "投影：Albers 等积圆锥投影（标准纬线 25°N、47°N，中央经线 105°E）",
        "panel_n": "{key}（n = {n}）",
        "shared_classes": "各分图分级相同",
        "year": "年份",
        "mean_of": "{label}地区均值",
        "share_axis": "省会份额",
        "moran_x": "{label}（标准化）",
        "moran_y": "空间滞后",
        "moran_title": "Moran 散点图：I = {I}",
        "moran_p": "p（置换）= {p}",
        "coastal_marker": "沿海省份",
        "capital_title": "省会份额（{year} 年）",
        "region_means_title": "{label}：四大地区均值",
    },
    "en": {
        "inset": "South China Sea Islands",
        "north": "N",
        "review": "Based on the standard map {number}; base map not modified",
        "projection": "Projection: Albers equal-area conic (standard parallels 25°N, 47°N; "
        "central meridian 105°E)",
        "panel_n": "{key} (n = {n})",
        "shared_classes": "same classes in every panel",
        "year": "Year",
        "mean_of": "{label}, regional mean",
        "share_axis": "Capital share",
        "moran_x": "{label} (standardised)",
        "moran_y": "Spatial lag",
        "moran_title": "Moran scatter plot: I = {I}",
        "moran_p": "p (permutation) = {p}",
        "coastal_marker": "coastal province",
        "capital_title": "Capital share ({year})",
        "region_means_title": "{label}: means of the four regions",
    },
}

# 审图号 as the map review authorities issue them: GS(2024)0650, GS京(2023)1234号, 粤S(2021)023
_REVIEW_NUMBER = re.compile(r"^(?:GS[\u4e00-\u9fff]?|[\u4e00-\u9fff]S)[(（]\d{4}[)）]\d{1,6}号?$")


def grey_fill(style: CategorizedStyle, value: object) -> tuple[str, str]:
    """Greyscale fill colour and hatch of ``value`` of the LISA or Gi* style.

    Any other categorised style (city tiers) gets its grey by rank: darker for earlier classes.
    """
    if style.column == LISA.column or style.categories == LISA.categories:
        table = _GREY_LISA
    elif style.column == HOTSPOTS.column or style.categories == HOTSPOTS.categories:
        table = _GREY_GI
    else:
        values = [c.value for c in style.categories]
        ramp = GREYS[max(3, min(7, len(values)))][::-1]
        return (ramp[values.index(value)], "") if value in values else GREY_NO_DATA
    return table.get(value, GREY_NO_DATA)


def graduated_fills(style: GraduatedStyle, grey: bool) -> tuple[str, ...]:
    """The class colours of a resolved graduated ``style``: its palette, or the grey ramp.

    With 1-2 classes the darker end of the 3-class ramp is used, as the colour palettes do.
    """
    colors = style.colors
    if not grey:
        return colors
    n = len(colors)
    return GREYS[3][3 - n :] if n < 3 else GREYS[n]


def review_statement(number: str, lang: str) -> str:
    """The journal statement of a map made on a reviewed standard map (审图号), checked.

    ``number`` is the review number the user obtained, such as ``"GS(2024)0650"``; the
    statement is "基于审图号GS(2024)0650的标准地图制作，底图无修改" (zh) or its English
    equivalent.
    """
    text = str(number).strip()
    if not _REVIEW_NUMBER.match(text):
        raise InputError(
            f"review_number {number!r} does not look like a map review number (审图号) such as "
            "'GS(2024)0650' or 'GS京(2023)1234号'; copy it from the standard map you used"
        )
    return PRINT_TEXT[lang]["review"].format(number=text)
