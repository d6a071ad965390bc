"""A QGIS project inside the GeoPackage: every layer listed under its human title, styled.

QGIS names a layer added from a GeoPackage by its table name (``lisa_patent``), whatever the
file's ``gpkg_contents.identifier`` says (QGIS 3.22 reads that only as the layer's metadata
title). A project stored in the file -- the ``qgis_projects`` table QGIS itself writes with
*Project > Save To > GeoPackage* -- lists the layers in the Layers panel under their titles
("专利申请（件）：LISA 聚类"), each with its default style, the national border lines on top and
the shared units at the bottom. The user opens it from the Browser panel (the GeoPackage's
project entry) or with *Project > Open From > GeoPackage*; the layers themselves still open one
by one as before.

The project refers to its layers relative to the GeoPackage (``./results.gpkg|layername=...``),
as QGIS does: the file can move to any folder, but renamed it needs the project's layers
pointed at the new name (QGIS asks). Every user text (a title) is written by ElementTree, so
it is XML-escaped; the styles are the QML documents of ``layer_styles``, parsed and embedded.
"""

from __future__ import annotations

import io
import json
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from .classes import _NOT_XML

__all__ = ["PROJECT_NAME", "write_project"]

#: the name of the project in the GeoPackage (QGIS lists it under the file in its Browser)
PROJECT_NAME = "spatialinno"
_QGIS_VERSION = "3.22.16-Białowieża"  # the oldest QGIS the exports are tested with
_KIND = {"LINESTRING": "Line", "MULTILINESTRING": "Line", "POINT": "Point", "MULTIPOINT": "Point"}
_WKB = {
    "POINT": "Point", "MULTIPOINT": "MultiPoint", "LINESTRING": "LineString",
    "MULTILINESTRING": "MultiLineString", "POLYGON": "Polygon", "MULTIPOLYGON": "MultiPolygon",
}  # fmt: skip


def _layers(con: sqlite3.Connection) -> list[dict[str, str]]:
    """The feature layers of the file with their title, geometry, CRS and default style."""
    rows = con.execute(
        "SELECT c.table_name, c.identifier, g.geometry_type_name, c.srs_id, "
        "s.organization, s.organization_coordsys_id FROM gpkg_contents AS c "
        "JOIN gpkg_geometry_columns AS g ON g.table_name = c.table_name "
        "LEFT JOIN gpkg_spatial_ref_sys AS s ON s.srs_id = c.srs_id "
        "WHERE c.data_type = 'features' ORDER BY c.rowid"
    ).fetchall()
    styles: dict[str, str] = {}
    if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'layer_styles'").fetchone():
        for table, qml in con.execute(
            "SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault ORDER BY id"
        ):
            styles[str(table).lower()] = qml
    return [
        {
            "table": str(t),
            # a character XML cannot hold (a control character) would make the whole project
            # unreadable: shown as U+FFFD instead (the identifier itself is kept as given)
            "title": _NOT_XML.sub("\ufffd", str(ident or t)),
            "wkb": str(geom).upper(),
            "crs": f"{org}:{code}" if org and code is not None else f"EPSG:{srs}",
            "qml": styles.get(str(t).lower(), ""),
        }
        for t, ident, geom, srs, org, code in rows
    ]


def _order(layers: list[dict[str, str]]) -> list[dict[str, str]]:
    """Drawing order, top first: lines, then the result layers as written, the units last."""
    lines = [ly for ly in layers if ly["wkb"] in _KIND]
    units = [ly for ly in layers if ly not in lines and ly["table"].startswith("units")]
    return [*lines, *(ly for ly in layers if ly not in lines and ly not in units), *units]


def _srs(parent: ET.Element, authid: str) -> None:
    ref = ET.SubElement(parent, "spatialrefsys")
    ET.SubElement(ref, "authid").text = authid


def _map_layer(parent: ET.Element, layer: dict[str, str], lid: str, source: str) -> None:
    node = ET.SubElement(
        parent, "maplayer", type="vector", geometry=_KIND.get(layer["wkb"], "Polygon"),
        wkbType=_WKB.get(layer["wkb"], "MultiPolygon"), styleCategories="AllStyleCategories",
    )  # fmt: skip
    ET.SubElement(node, "id").text = lid
    ET.SubElement(node, "datasource").text = source
    ET.SubElement(node, "layername").text = layer["title"]
    _srs(ET.SubElement(node, "srs"), layer["crs"])
    ET.SubElement(node, "provider", encoding="UTF-8").text = "ogr"
    if layer["qml"]:
        style = ET.fromstring(layer["qml"].encode("utf-8"))  # the QML's <qgis> root
        for child in style:
            node.append(child)
        for key in ("labelsEnabled", "hasScaleBasedVisibilityFlag"):
            if key in style.attrib:
                node.set(key, style.attrib[key])


def project_xml(path: Path, layers: list[dict[str, str]], title: str) -> bytes:
    """The ``.qgs`` document of ``layers`` (top first), their sources relative to ``path``."""
    title = _NOT_XML.sub("\ufffd", title)
    root = ET.Element("qgis", projectname=title, version=_QGIS_VERSION)
    ET.SubElement(root, "title").text = title
    crs = layers[-1]["crs"] if layers else "EPSG:4490"
    _srs(ET.SubElement(root, "projectCrs"), crs)
    tree = ET.SubElement(root, "layer-tree-group")
    maplayers = ET.SubElement(root, "projectlayers")
    shown = {layers[0]["table"], layers[1]["table"]} if len(layers) > 1 else set()
    order = ET.Element("custom-order", enabled="0")
    for i, layer in enumerate(layers):
        lid = f"spatialinno_layer_{i}"
        source = f"./{path.name}|layername={layer['table']}"
        checked = "Qt::Checked" if layer["table"] in shown else "Qt::Unchecked"
        ET.SubElement(
            tree, "layer-tree-layer", id=lid, name=layer["title"], source=source,
            providerKey="ogr", checked=checked, expanded="1",
        )  # fmt: skip
        ET.SubElement(order, "item").text = lid
        _map_layer(maplayers, layer, lid, source)
    tree.append(order)
    props = ET.SubElement(ET.SubElement(root, "properties"), "Paths")
    ET.SubElement(props, "Absolute", type="bool").text = "false"
    head = b"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
    return head + ET.tostring(root, encoding="utf-8")


def write_project(path: str | Path, title: str = PROJECT_NAME) -> None:
    """Store (or replace) the project :data:`PROJECT_NAME` in the GeoPackage ``path``.

    Parameters
    ----------
    path : str or pathlib.Path
        A GeoPackage written by spatialinno; every feature layer in it is listed, under its
        ``gpkg_contents.identifier`` (the title :func:`~spatialinno.qgis.shared.export_shared`
        stores), with its default style from ``layer_styles``.
    title : str
        The project's title.
    """
    target = Path(path)
    with closing(sqlite3.connect(target)) as con, con:
        layers = _order(_layers(con))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(f"{PROJECT_NAME}.qgs", project_xml(target, layers, title))
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        meta = json.dumps({"last_modified_time": now, "last_modified_user": "spatialinno"})
        con.execute(
            "CREATE TABLE IF NOT EXISTS qgis_projects"
            "(name TEXT PRIMARY KEY, metadata BLOB, content BLOB)"
        )
        # as QGIS stores it: the zipped project (.qgz) as hexadecimal text
        con.execute(
            "INSERT OR REPLACE INTO qgis_projects (name, metadata, content) VALUES (?, ?, ?)",
            (PROJECT_NAME, meta, buf.getvalue().hex()),
        )
