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
# measure writes. ArcGIS draws them with patterned symbols: flat fills, gradients (new, intensifying,
# diminishing) and dots (sporadic: white dots; oscillating: dots in the colour of the other side).
# spatialinno draws flat fills: the ArcGIS fill where it is known, so a map reads like ArcGIS's.
# Every value, its source and its rule: tests/reference/emerging_colors.json (checked by
# tests/test_emerging_colors.py). Sources:
#   [L] the drawingInfo of an ArcGIS-generated Emerging Hot Spot layer on ArcGIS Online (Chicago
#       "violentCrimeTrend", ArcMap renderer), read when the four hot colours were first set;
#   [N] github.com/Jotaemegv/dashboard, "CORES E PADROES STC.txt" (commit 6a6f50ce): a user's
#       transcription of the ArcGIS Pro Emerging Hot Spot symbols, RGB of every symbol layer
#       (fill, dots, gradient); it matches [L] on all four hot colours [L] has;
#   [A] the same repository's app.R (same commit): the author's redraw of the ArcGIS output, the
#       only source for the cold colours [N] leaves blank (not confirmed by a second source).
# Not from ArcGIS: sporadic hot spot = its ArcGIS fill #f2a888 mixed 50 % with its white dots
# (ArcGIS's fill alone is the oscillating fill #eda882 within CIEDE2000 2.6: ArcGIS tells them
# apart only by the dots); sporadic cold spot (no source has it) = the oscillating cold fill
# #a3b5c4 mixed 50 % with white, by the same rule; no pattern detected (no source) = the LISA
# map's not-significant grey. Isolated and no data: the LISA map's purple and grey.
# All 19 colours differ by CIEDE2000 >= 4 (the closest pairs are ArcGIS's own: diminishing vs
# historical cold spot 4.1, new vs intensifying hot spot 4.9).
EMERGING_COLORS: dict[str, str] = {
    "new hot spot": "#cb0800",  # [L] [N] [A] (ArcGIS: gradient to white)
    "consecutive hot spot": "#bd6d5e",  # [L] [N] [A]
    "intensifying hot spot": "#e01709",  # [L] [N] [A] (ArcGIS: gradient to #e0b392)
    "persistent hot spot": "#851400",  # [L] [N] [A]
    "diminishing hot spot": "#fac99d",  # [N] [A] (ArcGIS: radial gradient)
    "sporadic hot spot": "#f8d4c4",  # [N] #f2a888 + white dots, mixed 50 %
    "oscillating hot spot": "#eda882",  # [N] (ArcGIS: + #3468a8 dots)
    "historical hot spot": "#debda4",  # [N] ([A] #debca4)
    "new cold spot": "#174c9c",  # [A]
    "consecutive cold spot": "#6883ba",  # [A]
    "intensifying cold spot": "#4571ad",  # [A]
    "persistent cold spot": "#1b3659",  # [A]
    "diminishing cold spot": "#afc4cc",  # [N] (ArcGIS: radial gradient); [A] outline
    "sporadic cold spot": "#d1dae2",  # no source: #a3b5c4 mixed 50 % with white
    "oscillating cold spot": "#a3b5c4",  # [N] (ArcGIS: + #b33c2d dots)
    "historical cold spot": "#bcc6cc",  # [A]
    "no pattern detected": LISA_COLORS[NOT_SIGNIFICANT],  # no source
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
