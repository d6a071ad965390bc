"""Every colour spatialinno draws with, in one place: maps, print figures, QGIS styles, the report.

Class colours (ColorBrewer sequential palettes, the LISA and Gi* categories, network tiers) and the
colours of what surrounds them (borders, outlines, highlights, the map and report chrome) are
defined here and nowhere else, so that a web map, a print figure and the QGIS layer of the same
result agree, and a colour changes everywhere at once. ``tests/test_maps.py`` checks that no other
module of the package writes a hex colour.

>>> palette(3, "Blues")
('#deebf7', '#9ecae1', '#3182bd')
>>> PAGE_COLORS["text"], MAP_COLORS["background"]
('#222', '#f4f8fb')
"""

from __future__ import annotations

from .._errors import InputError
from ..measures.results import ISOLATED, NOT_SIGNIFICANT

__all__ = [
    "BORDER_COLOR",
    "CAPITAL_COLORS",
    "COASTAL_COLORS",
    "DEFAULT_PALETTE",
    "EDGE_COLOR",
    "EMERGING_COLORS",
    "GRAVITY_COLORS",
    "HIGHLIGHT_COLOR",
    "HOTSPOT_COLORS",
    "ISOLATED_COLOR",
    "LABEL_COLORS",
    "LISA_COLORS",
    "MAP_COLORS",
    "NATIONAL_BORDER_COLOR",
    "NETWORK_COLORS",
    "NO_DATA_COLOR",
    "NO_DATA_HATCH",
    "PAGE_COLORS",
    "REGION_OUTLINE_COLOR",
    "REGION_OUTLINE_COLORS",
    "REGION_OUTLINE_DASHES",
    "SEQUENTIAL",
    "TIER_COLORS",
    "palette",
    "year_colors",
]

# No data: the web maps (and print figures) draw units without a value white with grey diagonal
# hatching, so they never read as a class -- in particular not as "not significant", which is a
# flat light grey (LISA_COLORS["ns"], HOTSPOT_COLORS[0]). NO_DATA_COLOR is the flat grey used
# where a pattern cannot be drawn.
NO_DATA_COLOR = "#d9d9d9"
NO_DATA_HATCH: dict[str, str] = {"background": "#ffffff", "line": "#8c8c8c"}
BORDER_COLOR = "#636363"  # thin outline of every region (web map and QGIS symbol)
NATIONAL_BORDER_COLOR = "#252525"  # 境界线, incl. the South China Sea line
REGION_OUTLINE_COLOR = "#111111"  # the four NBS regions drawn over the provinces
# each NBS region outlined in its own colour and dash pattern (told apart in colour and in
# grey print): dark, saturated hues that stand out on the yellow-orange-red class colours
REGION_OUTLINE_COLORS: dict[str, str] = {
    "east": "#08519c",
    "central": "#006d2c",
    "west": "#54278f",
    "northeast": "#111111",
}
REGION_OUTLINE_DASHES: dict[str, str | None] = {
    "east": None,
    "central": "10 5",
    "west": "2 4",
    "northeast": "12 4 2 4",
}
# coastal provinces on the coastal-lead map: a small anchor-blue dot with a white rim
COASTAL_COLORS: dict[str, str] = {"fill": "#0868ac", "rim": "#ffffff"}
# place-name labels: dark text with a white halo, readable on every class colour
LABEL_COLORS: dict[str, str] = {"text": "#1a1a1a", "halo": "#ffffff", "capital": "#3f007d"}
HIGHLIGHT_COLOR = "#000000"  # outline of the feature under the mouse

# ColorBrewer sequential palettes (Cynthia Brewer, Apache-2.0 licensed colour specs), 3..7 classes
SEQUENTIAL: dict[str, dict[int, tuple[str, ...]]] = {
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

# LISA clusters: HH red, LL blue, HL pink, LH light blue (GeoDa's colours), ns light grey
LISA_COLORS: dict[str, str] = {
    "HH": "#d7191c",
    "LL": "#2c7bb6",
    "HL": "#f4a5ae",
    "LH": "#abd9e9",
    NOT_SIGNIFICANT: "#f0f0f0",
    ISOLATED: "#8c6bb1",
}

# units without neighbours: one colour on the LISA and the Gi* maps
ISOLATED_COLOR = LISA_COLORS[ISOLATED]

# Gi* bins -3..3: cold blue to hot red (ArcGIS Pro's hot spot colours)
HOTSPOT_COLORS: dict[int, str] = {
    3: "#d62f27",
    2: "#ed7551",
    1: "#fab984",
    0: "#f7f7f7",
    -1: "#c0ccbe",
    -2: "#849eba",
    -3: "#4575b5",
}

# Emerging hot spot categories (ArcGIS Pro's Emerging Hot Spot Analysis), by the English name the
# measure writes. The new/consecutive/intensifying/persistent hot colours were read from the
# drawingInfo of an ArcGIS-generated Emerging Hot Spot layer published on ArcGIS Online (Chicago
# "violentCrimeTrend", ArcMap renderer); the other hot colours and the cold ones are the same
# families (reds hot, blues cold; cold = the hot colour with red and blue swapped), not read from
# an Esri layer file. No pattern, isolated and no data are the LISA map's grey, purple and grey.
# Every colour is distinct (tests/test_spacetime_maps.py).
EMERGING_COLORS: dict[str, str] = {
    "new hot spot": "#cb0800",
    "consecutive hot spot": "#bd6d5e",
    "intensifying hot spot": "#e01709",
    "persistent hot spot": "#851400",
    "diminishing hot spot": "#f08070",
    "sporadic hot spot": "#f5b9a9",
    "oscillating hot spot": "#e8a0c8",
    "historical hot spot": "#c8b4a0",
    "new cold spot": "#0050cb",
    "consecutive cold spot": "#5e8ebd",
    "intensifying cold spot": "#0952e0",
    "persistent cold spot": "#003085",
    "diminishing cold spot": "#70a0f0",
    "sporadic cold spot": "#a9c8f5",
    "oscillating cold spot": "#a0c8e8",
    "historical cold spot": "#a0b4c8",
    "no pattern detected": LISA_COLORS[NOT_SIGNIFICANT],
    ISOLATED: LISA_COLORS[ISOLATED],
}

# the centre of gravity and its ellipses: the path and its points, the ellipses of the first and
# the last year (the years between are graded from one to the other, ``year_colors``)
GRAVITY_COLORS: dict[str, str] = {
    "path": "#252525",
    "point": "#ffffff",
    "first": "#fdae6b",
    "last": "#7f2704",
}

# city networks: tiers (core / key / auxiliary) and edge lines, shared by network_map and QGIS
TIER_COLORS: dict[str, str] = {"core": "#b30000", "key": "#fc8d59", "auxiliary": "#fdd49e"}
EDGE_COLOR = "#2c7fb8"
NETWORK_COLORS: dict[str, str] = {
    "unit_fill": "#f2efe9",  # the light prefecture units under a network
    "unit_border": "#c8c8c8",
    "province_outline": "#8c8c8c",
    "edge_highlight": "#08306b",
    "node_outline": "#333333",
    "key_fill": "#ffffff",  # the size-key circles of the legend
}

# the capital effect: one fill for every capital circle (its size carries the share), outlines
# by class of the share (thin grey <= 50 %, thick dark > 50 %, red > 80 %)
CAPITAL_COLORS: dict[str, str] = {
    "fill": "#6a51a3",
    "low": "#555555",
    "dominant": "#222222",
    "extreme": "#b2182b",
    "leader": "#4d4d4d",  # the line from a displaced circle back to its capital
}

# the web maps' title box, legend and background (CSS; three-digit forms as the CSS writes them)
MAP_COLORS: dict[str, str] = {
    "text": "#222",
    "swatch_border": "#888",
    "symbol_border": "#333",
    "note": "#555",
    "count": "#777",
    "background": "#f4f8fb",
}

# the one-page HTML report
PAGE_COLORS: dict[str, str] = {
    "text": "#222",
    "rule": "#ddd",
    "muted": "#555",
    "grid": "#ccc",
    "header": "#f3f3f3",
    "code": "#f6f6f6",
    "warn_background": "#fff8e1",
    "warn_border": "#f0b400",
}


def palette(k: int, name: str = DEFAULT_PALETTE) -> tuple[str, ...]:
    """``k`` colours (3..7) of a sequential ColorBrewer palette, light to dark."""
    if name not in SEQUENTIAL:
        raise InputError(f"unknown palette {name!r}; available: {', '.join(SEQUENTIAL)}")
    if k not in SEQUENTIAL[name]:
        raise InputError(f"palette {name!r} has 3 to 7 classes, not k={k}")
    return SEQUENTIAL[name][k]


def year_colors(n: int) -> tuple[str, ...]:
    """``n`` colours from ``GRAVITY_COLORS["first"]`` to ``["last"]`` (equal steps in sRGB).

    >>> year_colors(3)
    ('#fdae6b', '#be6a38', '#7f2704')
    """
    if n < 1:
        raise InputError(f"year_colors needs n >= 1, not {n}")
    a, b = ([int(GRAVITY_COLORS[k][i : i + 2], 16) for i in (1, 3, 5)] for k in ("first", "last"))
    out = []
    for j in range(n):
        t = j / (n - 1) if n > 1 else 1.0
        out.append(
            "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))
        )
    return tuple(out)
