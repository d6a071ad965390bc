"""QGIS style documents (QML, with the SLD beside it) for the shared map styles of :mod:`spatialinno.styles`.

QGIS keeps a layer's symbology in a QML document: a ``<renderer-v2>`` element with the classes
(categories or ranges), one symbol per class and the legend labels. :func:`style_documents` turns a
:class:`~spatialinno.styles.CategorizedStyle` (LISA clusters, Gi* bins) or a resolved
:class:`~spatialinno.styles.GraduatedStyle` (choropleth) into

* a QML string, written next to a Shapefile (``<name>.qml``, which QGIS loads by default) or stored
  in a GeoPackage's ``layer_styles`` table, and
* an SLD 1.1 string (OGC Styled Layer Descriptor), which QGIS stores beside the QML in
  ``layer_styles`` and which GeoServer or other clients can read.

The XML follows what QGIS 3.22 itself writes (symbol layer properties both as ``<Option>`` maps and
as legacy ``<prop>`` elements), so QGIS 3.x opens it without conversion. Colours, class breaks and
labels come unchanged from the style objects, so the QGIS layer and the folium map of the same
frame agree class by class.

>>> from spatialinno import styles
>>> qml, sld = style_documents(styles.LISA, "polygon")
>>> 'type="categorizedSymbol"' in qml and 'attr="lisa_cluster"' in qml
True
>>> 'label="高-高集聚 / High-High"' in qml
True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from .. import styles as _styles
from .._errors import ExportError
from .classes import (
    GEOMETRY_KINDS,
    StyleClass,
    bilingual,
    categorized_classes,
    category_value,
    check_kind,
    check_labels,
    check_xml_text,
    graduated_classes,
    number_text,
)
from .sld import style_sld

__all__ = [
    "GEOMETRY_KINDS",
    "NO_DATA_VALUE",
    "StyleClass",
    "bilingual",
    "categorized_classes",
    "categorized_qml",
    "graduated_classes",
    "graduated_qml",
    "hex_to_qgis",
    "no_data_expression",
    "single_symbol_qml",
    "style_documents",
    "style_sld",
]


# QGIS writes this doctype line first; QgsMapLayer::importNamedStyle accepts documents without it,
# but keeping it makes the file identical in shape to a style saved from QGIS.
_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
# The version attribute tells QGIS which conversions to apply when reading; 3.22 is the oldest
# QGIS we test against (Debian bookworm), and newer versions read 3.22 styles unchanged.
_QGIS_VERSION = "3.22.16-Białowieża"

# Outline and size of the symbols, in millimetres on the map canvas (QGIS' "MM" unit).
_POLYGON_OUTLINE_MM = 0.1  # thin enough that 2,891 county borders do not hide the fills
_LINE_WIDTH_MM = 0.6
_MARKER_SIZE_MM = 2.4


def hex_to_qgis(color: str, alpha: int = 255) -> str:
    """``"#d7191c"`` -> ``"215,25,28,255"``, the RGBA notation of QML symbol properties.

    >>> hex_to_qgis("#d7191c")
    '215,25,28,255'
    """
    c = color.lstrip("#")
    if len(c) != 6:
        raise ExportError(f"colour {color!r} is not a #rrggbb hex colour")
    try:
        r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        raise ExportError(f"colour {color!r} is not a #rrggbb hex colour") from None
    return f"{r},{g},{b},{alpha}"


# --------------------------------------------------------------------------------------------
# QML


def _symbol_properties(kind: str, color: str) -> dict[str, str]:
    """Properties of the single symbol layer drawing one class (QGIS property names)."""
    if kind == "polygon":
        return {
            "border_width_map_unit_scale": "3x:0,0,0,0,0,0",
            "color": hex_to_qgis(color),
            "joinstyle": "bevel",
            "offset": "0,0",
            "offset_map_unit_scale": "3x:0,0,0,0,0,0",
            "offset_unit": "MM",
            "outline_color": hex_to_qgis(_styles.BORDER_COLOR),
            "outline_style": "solid",
            "outline_width": str(_POLYGON_OUTLINE_MM),
            "outline_width_unit": "MM",
            "style": "solid",
        }
    if kind == "line":
        return {
            "capstyle": "square",
            "joinstyle": "bevel",
            "line_color": hex_to_qgis(color),
            "line_style": "solid",
            "line_width": str(_LINE_WIDTH_MM),
            "line_width_unit": "MM",
            "offset": "0",
            "offset_unit": "MM",
        }
    return {
        "angle": "0",
        "color": hex_to_qgis(color),
        "joinstyle": "bevel",
        "name": "circle",
        "offset": "0,0",
        "offset_unit": "MM",
        "outline_color": hex_to_qgis(_styles.BORDER_COLOR),
        "outline_style": "solid",
        "outline_width": "0.2",
        "outline_width_unit": "MM",
        "scale_method": "diameter",
        "size": str(_MARKER_SIZE_MM),
        "size_unit": "MM",
    }


_SYMBOL_TYPE = {"polygon": "fill", "line": "line", "point": "marker"}
_LAYER_CLASS = {"polygon": "SimpleFill", "line": "SimpleLine", "point": "SimpleMarker"}


def _symbol(parent: ET.Element, name: str, kind: str, color: str) -> None:
    sym = ET.SubElement(
        parent,
        "symbol",
        {
            "type": _SYMBOL_TYPE[kind],
            "name": name,
            "alpha": "1",
            "clip_to_extent": "1",
            "force_rhr": "0",
        },
    )
    layer = ET.SubElement(
        sym, "layer", {"class": _LAYER_CLASS[kind], "pass": "0", "locked": "0", "enabled": "1"}
    )
    props = _symbol_properties(kind, color)
    # QGIS 3.22 writes the properties twice: as an <Option> map (read by 3.20+) and as <prop>
    # elements (read by older 3.x); writing both keeps the file readable by every QGIS 3.
    option_map = ET.SubElement(layer, "Option", {"type": "Map"})
    for key, value in props.items():
        ET.SubElement(option_map, "Option", {"name": key, "type": "QString", "value": value})
    for key, value in props.items():
        ET.SubElement(layer, "prop", {"k": key, "v": value})


def _renderer(kind: str, renderer: str, attr: str, **extra: str) -> tuple[ET.Element, ET.Element]:
    """The QML root and its ``<renderer-v2>`` of type ``renderer`` classifying ``attr``."""
    check_kind(kind)
    # styleCategories="Symbology": loading the style replaces only the renderer, so a user's own
    # labels, forms or actions on the layer are left alone.
    root = ET.Element("qgis", {"version": _QGIS_VERSION, "styleCategories": "Symbology"})
    attrs = {
        "type": renderer,
        "attr": attr,
        **extra,
        "symbollevels": "0",
        "enableorderby": "0",
        "forceraster": "0",
        "referencescale": "-1",
    }
    return root, ET.SubElement(root, "renderer-v2", attrs)


def _qml_string(root: ET.Element, renderer: ET.Element) -> str:
    """The finished document: the renderer's closing elements, indented, after the doctype."""
    ET.SubElement(renderer, "rotation")
    ET.SubElement(renderer, "sizescale")
    ET.indent(root, space="  ")
    return _DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


def _quote_field(name: str) -> str:
    r"""A field reference in a QGIS expression, as ``QgsExpression.quotedColumnRef`` writes it.

    Inside ``"..."`` QGIS reads ``""`` as one ``"`` and nothing else specially, so any name
    (quotes, backslashes, ``OR 1=1``) stays one field reference.

    >>> print(_quote_field('a"b\\'))
    "a""b\"
    """
    return '"' + str(name).replace('"', '""') + '"'


def _quote_literal(value: object) -> str:
    r"""A literal in a QGIS expression, as ``QgsExpression.quotedString`` writes text.

    Inside ``'...'`` QGIS reads ``''`` as ``'`` and a backslash as the start of an escape
    (``\\``, ``\n``, ``\t``), so a backslash must be doubled: text ending in ``\`` would
    otherwise swallow the closing quote and break (or extend) the expression.

    >>> print(_quote_literal("it's \\"))
    'it''s \\'
    """
    if isinstance(value, str):
        text = (
            value.replace("'", "''").replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
        )
        return "'" + text + "'"
    return category_value(value)


def no_data_expression(column: str, conditions: Sequence[tuple[str, object]]) -> str:
    """QGIS expression: NULL where any ``(field, value)`` condition holds, else ``column``.

    ``value=None`` means "the field is NULL". Used for Gi* layers, where :func:`si.hotspots`
    keeps units without data with ``gi_bin`` 0 but ``gi_z`` NULL and ``gi_cluster`` "no data":
    the maps draw them as no data, not as "not significant", and so must QGIS.

    >>> print(no_data_expression("gi_bin", [("gi_z", None), ("gi_cluster", "no data")]))
    CASE WHEN "gi_z" IS NULL OR "gi_cluster" = 'no data' THEN NULL ELSE "gi_bin" END
    """
    tests = [
        f"{_quote_field(f)} IS NULL" if v is None else f"{_quote_field(f)} = {_quote_literal(v)}"
        for f, v in conditions
    ]
    return f"CASE WHEN {' OR '.join(tests)} THEN NULL ELSE {_quote_field(column)} END"


def categorized_qml(
    column: str,
    classes: Sequence[StyleClass],
    kind: str = "polygon",
    no_data_when: Sequence[tuple[str, object]] = (),
) -> str:
    """QML of a categorised renderer on ``column`` with one category per class.

    A class with ``value=None`` becomes QGIS' "all other values" category (``value=""``), which
    draws NULL and any value without its own category. With ``no_data_when`` the renderer
    classifies an expression instead of the bare field (see :func:`no_data_expression`), so rows
    matching a condition fall into that catch-all too.

    >>> from spatialinno import styles
    >>> qml = categorized_qml("gi_bin", categorized_classes(styles.HOTSPOTS))
    >>> qml.count("<category ")
    7
    """
    attr = no_data_expression(column, no_data_when) if no_data_when else column
    root, renderer = _renderer(kind, "categorizedSymbol", attr)
    cats = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, cls in enumerate(classes):
        value = "" if cls.value is None else category_value(cls.value)
        ET.SubElement(
            cats,
            "category",
            {"value": value, "symbol": str(i), "label": cls.label, "render": "true"},
        )
        _symbol(symbols, str(i), kind, cls.color)
    source = ET.SubElement(renderer, "source-symbol")
    _symbol(source, "0", kind, _styles.NO_DATA_COLOR)
    return _qml_string(root, renderer)


#: the value units without data take in a graduated style's classification expression: far below
#: any indicator, so it falls in the "no data" range only (QGIS' graduated renderer draws nothing
#: for a NULL value, so without it those units would vanish from the layer)
NO_DATA_VALUE = -1e300


def graduated_qml(column: str, classes: Sequence[StyleClass], kind: str = "polygon") -> str:
    """QML of a graduated renderer on ``column`` with one range per class.

    The classification method is written as ``Custom`` on purpose: QGIS' own Quantile and Jenks
    implementations give other breaks than mapclassify, and "Custom" keeps the map's breaks if the
    user reopens the classification dialog.

    A last class without range (:func:`~spatialinno.qgis.classes.no_data_class`) draws the units
    without a value: the renderer then classifies ``coalesce("column", NO_DATA_VALUE)`` and the
    "no data" range holds that one value.

    >>> from spatialinno import styles
    >>> s = styles.graduated("x", scheme="equal_interval", k=3).resolve([0, 3, 6, 9])
    >>> qml = graduated_qml("x", graduated_classes(s))
    >>> 'lower="0.0"' in qml and 'upper="9.0"' in qml and 'attr="x"' in qml
    True
    >>> qml = graduated_qml("x", graduated_classes(s, no_data=True))
    >>> 'attr="coalesce(&quot;x&quot;, -1e+300)"' in qml and 'lower="-1e+300"' in qml
    True
    """
    ranged = [c for c in classes if c.lower is not None or c.upper is not None]
    no_data = [c for c in classes if c.lower is None and c.upper is None]
    attr = column
    if no_data:
        attr = f"coalesce({_quote_field(column)}, {number_text(NO_DATA_VALUE)})"
    root, renderer = _renderer(kind, "graduatedSymbol", attr, graduatedMethod="GraduatedColor")
    ranges = ET.SubElement(renderer, "ranges")
    symbols = ET.SubElement(renderer, "symbols")
    for i, cls in enumerate(classes):
        if cls in no_data:
            lower = upper = number_text(NO_DATA_VALUE)
        elif cls.lower is None or cls.upper is None:
            raise ExportError(f"range {i} of the graduated style has no lower/upper bound")
        else:
            lower, upper = number_text(cls.lower), number_text(cls.upper)
        ET.SubElement(
            ranges,
            "range",
            {
                "lower": lower,
                "upper": upper,
                "symbol": str(i),
                "label": cls.label,
                "render": "true",
            },
        )
        _symbol(symbols, str(i), kind, cls.color)
    source = ET.SubElement(renderer, "source-symbol")
    _symbol(source, "0", kind, ranged[-1].color if ranged else _styles.NO_DATA_COLOR)
    method = ET.SubElement(renderer, "classificationMethod", {"id": "Custom"})
    ET.SubElement(method, "symmetricMode", {"enabled": "0", "symmetrypoint": "0", "astride": "0"})
    ET.SubElement(
        method,
        "labelFormat",
        {"format": "%1 - %2", "labelprecision": "4", "trimtrailingzeroes": "1"},
    )
    return _qml_string(root, renderer)


def single_symbol_qml(kind: str, color: str, label: str = "") -> str:
    """QML of a single-symbol renderer: every feature drawn in ``color`` (e.g. border lines).

    >>> 'type="singleSymbol"' in single_symbol_qml("line", "#252525")
    True
    """
    check_xml_text(label, "legend label")
    root, renderer = _renderer(kind, "singleSymbol", "")
    del renderer.attrib["attr"]
    symbols = ET.SubElement(renderer, "symbols")
    _symbol(symbols, "0", kind, color)
    return _qml_string(root, renderer)


def style_documents(
    style: _styles.CategorizedStyle | _styles.GraduatedStyle,
    kind: str = "polygon",
    *,
    column: str | None = None,
    layer: str = "layer",
    lang: str = "both",
    other: bool = False,
    no_data_when: Sequence[tuple[str, object]] = (),
    no_data: bool = False,
) -> tuple[str, str]:
    """``(qml, sld)`` for ``style`` drawn on geometries of ``kind`` (polygon, line or point).

    Parameters
    ----------
    style : CategorizedStyle or GraduatedStyle
        A style from :mod:`spatialinno.styles`; a graduated style must be resolved (breaks set).
    kind : str
        Geometry kind of the layer: ``"polygon"``, ``"line"`` or ``"point"``.
    column : str, optional
        Field name in the written file when it differs from ``style.column`` (Shapefile fields are
        shortened to 10 bytes).
    layer : str
        Layer name written into the SLD.
    lang : str
        Legend labels: ``"both"`` (``"高-高集聚 / High-High"``), ``"zh"`` or ``"en"``.
    other : bool
        Categorised styles only: add the "no data" catch-all category for NULL and unlisted values.
    no_data_when : sequence of (str, object)
        Categorised styles only: ``(field, value)`` conditions (``value=None``: field is NULL)
        under which a row is drawn as no data whatever its category value; implies ``other``.
    no_data : bool
        Graduated styles only: add the grey "no data" class for units without a value.

    Examples
    --------
    >>> from spatialinno import styles
    >>> qml, sld = style_documents(styles.HOTSPOTS, "point", column="gi_bin", lang="en")
    >>> 'label="Hot spot, 99% confidence"' in qml and 'class="SimpleMarker"' in qml
    True
    """
    col = column or style.column
    check_xml_text(col, "column")
    check_xml_text(layer, "layer name")
    for field, value in no_data_when:
        check_xml_text(field, "column")
        check_xml_text(value if value is not None else "", "value")
    if isinstance(style, _styles.CategorizedStyle):
        classes = categorized_classes(style, lang, other or bool(no_data_when))
        check_labels(classes)
        return (
            categorized_qml(col, classes, kind, no_data_when),
            style_sld(layer, col, classes, kind, no_data_when),
        )
    if isinstance(style, _styles.GraduatedStyle):
        classes = graduated_classes(style, lang, no_data)
        check_labels(classes)
        return graduated_qml(col, classes, kind), style_sld(layer, col, classes, kind)
    raise ExportError(
        f"style must be a CategorizedStyle or GraduatedStyle, not {type(style).__name__}"
    )
