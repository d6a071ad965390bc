"""SLD 1.1 (OGC Styled Layer Descriptor) documents for the shared map styles.

QGIS stores an SLD beside the QML in a GeoPackage's ``layer_styles`` table (``styleSLD``), and
GeoServer or other clients read it. One rule per class of :mod:`spatialinno.qgis.classes`, with
explicit filters so that each feature matches exactly one rule.

>>> from spatialinno import styles
>>> from spatialinno.qgis.classes import categorized_classes
>>> sld = style_sld("lisa", "lisa_cluster", categorized_classes(styles.LISA))
>>> sld.count("<se:Rule>"), '<se:SvgParameter name="fill">#d7191c</se:SvgParameter>' in sld
(7, True)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from .. import styles as _styles
from .classes import StyleClass, category_value, check_kind, number_text

__all__ = ["single_symbol_sld", "style_sld"]

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


def _is_null(parent: ET.Element, field: str) -> ET.Element:
    node = ET.SubElement(parent, "ogc:PropertyIsNull")
    ET.SubElement(node, "ogc:PropertyName").text = field
    return node


def _range_filter(rule: ET.Element, column: str, cls: StyleClass, first: bool) -> None:
    both = ET.SubElement(ET.SubElement(rule, "ogc:Filter"), "ogc:And")
    # first class includes its lower bound, later ones start just above the previous break
    low_op = "PropertyIsGreaterThanOrEqualTo" if first else "PropertyIsGreaterThan"
    _ogc_compare(both, low_op, column, number_text(cls.lower))
    _ogc_compare(both, "PropertyIsLessThanOrEqualTo", column, number_text(cls.upper))


def _catch_all_filter(
    rule: ET.Element,
    column: str,
    classes: Sequence[StyleClass],
    no_data_when: Sequence[tuple[str, object]],
) -> None:
    # Not <se:ElseFilter/>: QGIS 3.22 imports it as a rule without filter, which then paints
    # every feature grey on top. Spell the catch-all out instead: NULL, a value without a
    # category, or one of the no-data conditions.
    anyof = ET.SubElement(ET.SubElement(rule, "ogc:Filter"), "ogc:Or")
    _is_null(anyof, column)
    unlisted = ET.SubElement(anyof, "ogc:And")
    for other in classes:
        if other.value is not None:
            _ogc_compare(unlisted, "PropertyIsNotEqualTo", column, category_value(other.value))
    for field, value in no_data_when:
        if value is None:
            _is_null(anyof, field)
        else:
            _ogc_compare(anyof, "PropertyIsEqualTo", field, str(value))


def _category_filter(
    rule: ET.Element, column: str, cls: StyleClass, no_data_when: Sequence[tuple[str, object]]
) -> None:
    # the category's value, and none of the no-data conditions (those rows are the catch-all's)
    filt = ET.SubElement(rule, "ogc:Filter")
    parent = ET.SubElement(filt, "ogc:And") if no_data_when else filt
    _ogc_compare(parent, "PropertyIsEqualTo", column, category_value(cls.value))
    for field, value in no_data_when:
        if value is None:
            _is_null(ET.SubElement(parent, "ogc:Not"), field)
        else:
            _ogc_compare(parent, "PropertyIsNotEqualTo", field, str(value))


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
    >>> from spatialinno.qgis.classes import categorized_classes
    >>> sld = style_sld("lisa", "lisa_cluster", categorized_classes(styles.LISA))
    >>> sld.count("<se:Rule>")
    7
    """
    check_kind(kind)
    root = ET.Element("StyledLayerDescriptor", _SLD_NS)
    named = ET.SubElement(root, "NamedLayer")
    ET.SubElement(named, "se:Name").text = layer
    user = ET.SubElement(named, "UserStyle")
    ET.SubElement(user, "se:Name").text = layer
    fts = ET.SubElement(user, "se:FeatureTypeStyle")
    graduated = any(c.lower is not None for c in classes)
    for i, cls in enumerate(classes):
        rule = ET.SubElement(fts, "se:Rule")
        ET.SubElement(rule, "se:Name").text = cls.label
        desc = ET.SubElement(rule, "se:Description")
        ET.SubElement(desc, "se:Title").text = cls.label
        if cls.lower is not None and cls.upper is not None:
            _range_filter(rule, column, cls, first=i == 0)
        elif cls.value is None and graduated:
            # the "no data" class of a graduated style: the units without a value
            _is_null(ET.SubElement(rule, "ogc:Filter"), column)
        elif cls.value is None:
            _catch_all_filter(rule, column, classes, no_data_when)
        else:
            _category_filter(rule, column, cls, no_data_when)
        _sld_symbolizer(rule, kind, cls.color)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def single_symbol_sld(layer: str, kind: str, color: str, label: str = "") -> str:
    """SLD 1.1 document with one rule without filter: every feature in ``color``.

    >>> single_symbol_sld("lines", "line", "#252525").count("<se:Rule>")
    1
    """
    check_kind(kind)
    root = ET.Element("StyledLayerDescriptor", _SLD_NS)
    named = ET.SubElement(root, "NamedLayer")
    ET.SubElement(named, "se:Name").text = layer
    user = ET.SubElement(named, "UserStyle")
    ET.SubElement(user, "se:Name").text = layer
    rule = ET.SubElement(ET.SubElement(user, "se:FeatureTypeStyle"), "se:Rule")
    ET.SubElement(rule, "se:Name").text = label or layer
    _sld_symbolizer(rule, kind, color)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
