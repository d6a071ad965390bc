"""QGIS style documents (QML and SLD) for the shared map styles of :mod:`spatialinno.styles`.

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

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from .. import styles as _styles
from .._errors import ExportError

# QGIS writes this doctype line first; QgsMapLayer::importNamedStyle accepts documents without it,
# but keeping it makes the file identical in shape to a style saved from QGIS.
_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
# The version attribute tells QGIS which conversions to apply when reading; 3.22 is the oldest
# QGIS we test against (Debian bookworm), and newer versions read 3.22 styles unchanged.
_QGIS_VERSION = "3.22.16-Białowieża"

GEOMETRY_KINDS: tuple[str, ...] = ("polygon", "line", "point")

# Outline and size of the symbols, in millimetres on the map canvas (QGIS' "MM" unit).
_POLYGON_OUTLINE_MM = 0.1  # thin enough that 2,891 county borders do not hide the fills
_LINE_WIDTH_MM = 0.6
_MARKER_SIZE_MM = 2.4


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
    """Legend entries of a categorised style; ``other=True`` appends the "no data" catch-all.

    The catch-all mirrors :meth:`CategorizedStyle.color_of`, which colours every value without a
    category (and NULL) grey in the folium maps.
    """
    out = [
        StyleClass(color=c.color, label=bilingual(c.label_zh, c.label_en, lang), value=c.value)
        for c in style.categories
    ]
    if other:
        label = bilingual(_styles.NO_DATA_LABEL["zh"], _styles.NO_DATA_LABEL["en"], lang)
        out.append(StyleClass(color=_styles.NO_DATA_COLOR, label=label, value=None))
    return out


def graduated_classes(style: _styles.GraduatedStyle, lang: str = "both") -> list[StyleClass]:
    """Legend entries of a resolved graduated style: one range per class break.

    The first range starts at ``style.lower`` (the minimum of the data the style was resolved on),
    each next range at the previous upper bound, exactly like the map legend.
    """
    if style.breaks is None:
        raise ExportError("graduated style not resolved: call style.resolve(values) first")
    breaks = [float(b) for b in style.breaks]
    first = float(style.lower) if style.lower is not None else breaks[0]
    # with user bins the data minimum can lie above the first bin's upper bound (shares 0.6..0.9
    # with bins 0.5/0.8/1.0); QGIS needs lower <= upper for every range
    lows = [min(first, breaks[0]), *breaks[:-1]]
    zh, en = style.class_labels("zh"), style.class_labels("en")
    return [
        StyleClass(color=col, label=bilingual(z, e, lang), lower=lo, upper=hi)
        for lo, hi, col, z, e in zip(lows, breaks, style.colors, zh, en, strict=True)
    ]


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


def _qml_root() -> ET.Element:
    # styleCategories="Symbology": loading the style replaces only the renderer, so a user's own
    # labels, forms or actions on the layer are left alone.
    return ET.Element(
        "qgis",
        {"version": _QGIS_VERSION, "styleCategories": "Symbology"},
    )


def _qml_string(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return _DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


def _number(x: float) -> str:
    # repr() is the shortest text that reads back to the same double, so QGIS gets exactly the
    # breaks the folium map uses (QGIS itself writes 15 decimals, which can round a break).
    return repr(float(x))


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
    return _category_value(value)


# characters XML 1.0 cannot hold at all (not even as a character reference)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _check_xml_text(text: object, what: str) -> None:
    """Refuse text that would make the QML/SLD document unreadable (ElementTree writes it raw)."""
    bad = _NOT_XML.search(str(text))
    if bad:
        raise ExportError(
            f"{what} {str(text)!r} holds the control character U+{ord(bad.group(0)):04X}, which "
            "a QGIS style (XML) cannot hold; rename it without control characters"
        )


def _check_labels(classes: Sequence[StyleClass]) -> None:
    for cls in classes:  # labels carry user text (e.g. the unit of a graduated style)
        _check_xml_text(cls.label, "legend label")


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
    _check_kind(kind)
    root = _qml_root()
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        {
            "type": "categorizedSymbol",
            "attr": no_data_expression(column, no_data_when) if no_data_when else column,
            "symbollevels": "0",
            "enableorderby": "0",
            "forceraster": "0",
            "referencescale": "-1",
        },
    )
    cats = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, cls in enumerate(classes):
        value = "" if cls.value is None else _category_value(cls.value)
        ET.SubElement(
            cats,
            "category",
            {"value": value, "symbol": str(i), "label": cls.label, "render": "true"},
        )
        _symbol(symbols, str(i), kind, cls.color)
    source = ET.SubElement(renderer, "source-symbol")
    _symbol(source, "0", kind, _styles.NO_DATA_COLOR)
    ET.SubElement(renderer, "rotation")
    ET.SubElement(renderer, "sizescale")
    return _qml_string(root)


def graduated_qml(column: str, classes: Sequence[StyleClass], kind: str = "polygon") -> str:
    """QML of a graduated renderer on ``column`` with one range per class.

    The classification method is written as ``Custom`` on purpose: QGIS' own Quantile and Jenks
    implementations give other breaks than mapclassify, and "Custom" keeps the map's breaks if the
    user reopens the classification dialog.

    >>> from spatialinno import styles
    >>> s = styles.graduated("x", scheme="equal_interval", k=3).resolve([0, 3, 6, 9])
    >>> qml = graduated_qml("x", graduated_classes(s))
    >>> 'lower="0.0"' in qml and 'upper="9.0"' in qml
    True
    """
    _check_kind(kind)
    root = _qml_root()
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        {
            "type": "graduatedSymbol",
            "attr": column,
            "graduatedMethod": "GraduatedColor",
            "symbollevels": "0",
            "enableorderby": "0",
            "forceraster": "0",
            "referencescale": "-1",
        },
    )
    ranges = ET.SubElement(renderer, "ranges")
    symbols = ET.SubElement(renderer, "symbols")
    for i, cls in enumerate(classes):
        if cls.lower is None or cls.upper is None:
            raise ExportError(f"range {i} of the graduated style has no lower/upper bound")
        ET.SubElement(
            ranges,
            "range",
            {
                "lower": _number(cls.lower),
                "upper": _number(cls.upper),
                "symbol": str(i),
                "label": cls.label,
                "render": "true",
            },
        )
        _symbol(symbols, str(i), kind, cls.color)
    source = ET.SubElement(renderer, "source-symbol")
    _symbol(source, "0", kind, classes[-1].color if classes else _styles.NO_DATA_COLOR)
    method = ET.SubElement(renderer, "classificationMethod", {"id": "Custom"})
    ET.SubElement(method, "symmetricMode", {"enabled": "0", "symmetrypoint": "0", "astride": "0"})
    ET.SubElement(
        method,
        "labelFormat",
        {"format": "%1 - %2", "labelprecision": "4", "trimtrailingzeroes": "1"},
    )
    ET.SubElement(renderer, "rotation")
    ET.SubElement(renderer, "sizescale")
    return _qml_string(root)


def _category_value(value: object) -> str:
    # QGIS matches categories on the text form of the attribute (QVariant::toString), where an
    # integer 3 and a double 3.0 both read "3"; write integral numbers without ".0" so a Gi* bin
    # stored as REAL (because of missing values) still matches its category.
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_kind(kind: str) -> None:
    if kind not in GEOMETRY_KINDS:
        raise ExportError(f"geometry kind must be one of {', '.join(GEOMETRY_KINDS)}, not {kind!r}")


# --------------------------------------------------------------------------------------------
# SLD 1.1 (what QGIS stores in layer_styles.styleSLD next to the QML)

_SLD_NS = {
    "xmlns": "http://www.opengis.net/sld",
    "xmlns:ogc": "http://www.opengis.net/ogc",
    "xmlns:se": "http://www.opengis.net/se",
    "xmlns:xlink": "http://www.w3.org/1999/xlink",
    "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xsi:schemaLocation": "http://www.opengis.net/sld "
    "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd",
    "version": "1.1.0",
}


def _sld_symbolizer(rule: ET.Element, kind: str, color: str) -> None:
    if kind == "polygon":
        sym = ET.SubElement(rule, "se:PolygonSymbolizer")
        fill = ET.SubElement(sym, "se:Fill")
        ET.SubElement(fill, "se:SvgParameter", {"name": "fill"}).text = color
        stroke = ET.SubElement(sym, "se:Stroke")
        ET.SubElement(stroke, "se:SvgParameter", {"name": "stroke"}).text = _styles.BORDER_COLOR
        ET.SubElement(stroke, "se:SvgParameter", {"name": "stroke-width"}).text = "0.5"
    elif kind == "line":
        sym = ET.SubElement(rule, "se:LineSymbolizer")
        stroke = ET.SubElement(sym, "se:Stroke")
        ET.SubElement(stroke, "se:SvgParameter", {"name": "stroke"}).text = color
        ET.SubElement(stroke, "se:SvgParameter", {"name": "stroke-width"}).text = "2"
    else:
        sym = ET.SubElement(rule, "se:PointSymbolizer")
        graphic = ET.SubElement(sym, "se:Graphic")
        mark = ET.SubElement(graphic, "se:Mark")
        ET.SubElement(mark, "se:WellKnownName").text = "circle"
        fill = ET.SubElement(mark, "se:Fill")
        ET.SubElement(fill, "se:SvgParameter", {"name": "fill"}).text = color
        ET.SubElement(graphic, "se:Size").text = "9"


def _ogc_compare(parent: ET.Element, op: str, column: str, literal: str) -> None:
    cmp_ = ET.SubElement(parent, f"ogc:{op}")
    ET.SubElement(cmp_, "ogc:PropertyName").text = column
    ET.SubElement(cmp_, "ogc:Literal").text = literal


def style_sld(
    layer: str,
    column: str,
    classes: Sequence[StyleClass],
    kind: str = "polygon",
    no_data_when: Sequence[tuple[str, object]] = (),
) -> str:
    """SLD 1.1 document with one rule per class (equality filters or range filters).

    The catch-all class (``value=None``) gets an explicit filter (NULL, any value without a
    category, or a ``no_data_when`` condition), and ``no_data_when`` conditions are excluded from
    every category rule, so each feature matches exactly one rule.

    >>> from spatialinno import styles
    >>> sld = style_sld("lisa", "lisa_cluster", categorized_classes(styles.LISA))
    >>> sld.count("<se:Rule>")
    7
    """
    _check_kind(kind)
    root = ET.Element("StyledLayerDescriptor", _SLD_NS)
    named = ET.SubElement(root, "NamedLayer")
    ET.SubElement(named, "se:Name").text = layer
    user = ET.SubElement(named, "UserStyle")
    ET.SubElement(user, "se:Name").text = layer
    fts = ET.SubElement(user, "se:FeatureTypeStyle")
    for i, cls in enumerate(classes):
        rule = ET.SubElement(fts, "se:Rule")
        ET.SubElement(rule, "se:Name").text = cls.label
        desc = ET.SubElement(rule, "se:Description")
        ET.SubElement(desc, "se:Title").text = cls.label
        if cls.lower is not None and cls.upper is not None:
            filt = ET.SubElement(rule, "ogc:Filter")
            both = ET.SubElement(filt, "ogc:And")
            # first class includes its lower bound, later ones start just above the previous break
            low_op = "PropertyIsGreaterThanOrEqualTo" if i == 0 else "PropertyIsGreaterThan"
            _ogc_compare(both, low_op, column, _number(cls.lower))
            _ogc_compare(both, "PropertyIsLessThanOrEqualTo", column, _number(cls.upper))
        elif cls.value is None:
            # Not <se:ElseFilter/>: QGIS 3.22 imports it as a rule without filter, which then
            # paints every feature grey on top. Spell the catch-all out instead: NULL, a value
            # without a category, or one of the no-data conditions.
            filt = ET.SubElement(rule, "ogc:Filter")
            anyof = ET.SubElement(filt, "ogc:Or")
            ET.SubElement(
                ET.SubElement(anyof, "ogc:PropertyIsNull"), "ogc:PropertyName"
            ).text = column
            unlisted = ET.SubElement(anyof, "ogc:And")
            for other in classes:
                if other.value is not None:
                    _ogc_compare(
                        unlisted, "PropertyIsNotEqualTo", column, _category_value(other.value)
                    )
            for field, value in no_data_when:
                if value is None:
                    isnull = ET.SubElement(anyof, "ogc:PropertyIsNull")
                    ET.SubElement(isnull, "ogc:PropertyName").text = field
                else:
                    _ogc_compare(anyof, "PropertyIsEqualTo", field, str(value))
        else:
            filt = ET.SubElement(rule, "ogc:Filter")
            parent = ET.SubElement(filt, "ogc:And") if no_data_when else filt
            _ogc_compare(parent, "PropertyIsEqualTo", column, _category_value(cls.value))
            for field, value in no_data_when:
                if value is None:
                    isnull = ET.SubElement(ET.SubElement(parent, "ogc:Not"), "ogc:PropertyIsNull")
                    ET.SubElement(isnull, "ogc:PropertyName").text = field
                else:
                    _ogc_compare(parent, "PropertyIsNotEqualTo", field, str(value))
        _sld_symbolizer(rule, kind, cls.color)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def style_documents(
    style: _styles.CategorizedStyle | _styles.GraduatedStyle,
    kind: str = "polygon",
    *,
    column: str | None = None,
    layer: str = "layer",
    lang: str = "both",
    other: bool = False,
    no_data_when: Sequence[tuple[str, object]] = (),
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

    Examples
    --------
    >>> from spatialinno import styles
    >>> qml, sld = style_documents(styles.HOTSPOTS, "point", column="gi_bin", lang="en")
    >>> 'label="Hot spot, 99% confidence"' in qml and 'class="SimpleMarker"' in qml
    True
    """
    col = column or style.column
    _check_xml_text(col, "column")
    _check_xml_text(layer, "layer name")
    for field, value in no_data_when:
        _check_xml_text(field, "column")
        _check_xml_text(value if value is not None else "", "value")
    if isinstance(style, _styles.CategorizedStyle):
        classes = categorized_classes(style, lang, other or bool(no_data_when))
        _check_labels(classes)
        return (
            categorized_qml(col, classes, kind, no_data_when),
            style_sld(layer, col, classes, kind, no_data_when),
        )
    if isinstance(style, _styles.GraduatedStyle):
        classes = graduated_classes(style, lang)
        _check_labels(classes)
        return graduated_qml(col, classes, kind), style_sld(layer, col, classes, kind)
    raise ExportError(
        f"style must be a CategorizedStyle or GraduatedStyle, not {type(style).__name__}"
    )
