"""Stage 4, styles: one palette, one class-break rule, one number format, zh/en words, legend rows.

Everything that decides how a result *looks* -- shared by the web maps (:mod:`spatialinno.maps`),
the print figures and the QGIS styles (:mod:`spatialinno.qgis`) -- so a map and the QGIS layer
exported from the same frame show the same colours, class breaks, labels and numbers.

Modules
-------
palette      every colour (class palettes, LISA / Gi* / tier colours, borders, page chrome)
numbers      the one number formatter (maps and figures: LABEL; report tables: TABLE)
text         words in Chinese and English, readable column labels
mapwords     words the web maps added with issue 15 (labels, coastal marks, result titles)
categorized  categorised styles: LISA clusters, Gi* bins, network tiers
graduated    graduated styles: choropleth classes, the capital share, edge weights
legend       legend rows (colour, label, count) of a style and the values drawn with it

Class breaks come from the one class-break function, :func:`spatialinno.measures.classify.class_breaks`.

>>> from spatialinno import styles
>>> styles.LISA.color_of("HH")
'#d7191c'
>>> s = styles.graduated("rd_staff", scheme="quantiles", k=4).resolve([1, 2, 3, 4, 5, 6, 7, 8])
>>> s.breaks
(2.0, 4.0, 6.0, 8.0)
"""

from __future__ import annotations

from ..measures.classify import SCHEMES, class_breaks, class_index, is_integer_data
from .categorized import (
    EMERGING,
    HOTSPOTS,
    ISOLATED_CATEGORY,
    LISA,
    CategorizedStyle,
    Category,
    emerging,
    hotspots,
    lisa,
    network_tiers,
)
from .graduated import (
    CAPITAL_SHARE_THRESHOLDS,
    GraduatedStyle,
    capital_outline,
    capital_share,
    edge_weights,
    graduated,
)
from .legend import (
    LegendRow,
    categorized_legend,
    class_counts,
    class_note,
    graduated_legend,
    no_data_row,
)
from .mapwords import MAP_TEXT
from .numbers import (
    LABEL,
    TABLE,
    VALUE_FORMATS,
    NumberFormat,
    format_measure,
    format_number,
    format_value,
    is_missing,
    measure_kind,
)
from .palette import (
    BORDER_COLOR,
    CAPITAL_COLORS,
    COASTAL_COLORS,
    DEFAULT_PALETTE,
    EDGE_COLOR,
    EMERGING_COLORS,
    GRAVITY_COLORS,
    HIGHLIGHT_COLOR,
    HOTSPOT_COLORS,
    ISOLATED_COLOR,
    LABEL_COLORS,
    LISA_COLORS,
    MAP_COLORS,
    NATIONAL_BORDER_COLOR,
    NETWORK_COLORS,
    NO_DATA_COLOR,
    NO_DATA_HATCH,
    PAGE_COLORS,
    REGION_OUTLINE_COLOR,
    REGION_OUTLINE_COLORS,
    REGION_OUTLINE_DASHES,
    TIER_COLORS,
    palette,
    year_colors,
)
from .text import (
    LANGS,
    NETWORK_TEXT,
    NO_DATA_LABEL,
    SPACETIME_TEXT,
    TEXT,
    check_lang,
    column_label,
)

__all__ = [
    "BORDER_COLOR",
    "CAPITAL_COLORS",
    "CAPITAL_SHARE_THRESHOLDS",
    "COASTAL_COLORS",
    "DEFAULT_PALETTE",
    "EDGE_COLOR",
    "EMERGING",
    "EMERGING_COLORS",
    "GRAVITY_COLORS",
    "HIGHLIGHT_COLOR",
    "HOTSPOTS",
    "HOTSPOT_COLORS",
    "ISOLATED_CATEGORY",
    "ISOLATED_COLOR",
    "LABEL",
    "LABEL_COLORS",
    "LANGS",
    "LISA",
    "LISA_COLORS",
    "MAP_COLORS",
    "MAP_TEXT",
    "NATIONAL_BORDER_COLOR",
    "NETWORK_COLORS",
    "NETWORK_TEXT",
    "NO_DATA_COLOR",
    "NO_DATA_HATCH",
    "NO_DATA_LABEL",
    "PAGE_COLORS",
    "REGION_OUTLINE_COLOR",
    "REGION_OUTLINE_COLORS",
    "REGION_OUTLINE_DASHES",
    "SCHEMES",
    "SPACETIME_TEXT",
    "TABLE",
    "TEXT",
    "TIER_COLORS",
    "VALUE_FORMATS",
    "CategorizedStyle",
    "Category",
    "GraduatedStyle",
    "LegendRow",
    "NumberFormat",
    "capital_outline",
    "capital_share",
    "categorized_legend",
    "check_lang",
    "class_breaks",
    "class_counts",
    "class_index",
    "class_note",
    "column_label",
    "edge_weights",
    "emerging",
    "format_measure",
    "format_number",
    "format_value",
    "graduated",
    "graduated_legend",
    "hotspots",
    "is_integer_data",
    "is_missing",
    "lisa",
    "measure_kind",
    "network_tiers",
    "no_data_row",
    "palette",
    "year_colors",
]
