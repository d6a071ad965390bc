"""QGIS projects that list a run's layers under their human titles, styled; layer metadata.

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

Shapefiles have no such table: QGIS names a layer added from ``lisa_patent.shp`` by its file
name, and reads the layer's title and abstract from the ``lisa_patent.qmd`` beside it (the
layer metadata QGIS itself saves there; QGIS 3.22 loads it, as it loads the same-named ``.qml``
style, when the layer is added: :func:`metadata_xml`). :func:`write_shapefile_project` writes
``spatialinno.qgs`` into the folder of the Shapefiles: every ``.shp`` there listed under the title
of its ``.qmd``, with its ``.qml`` style, the sources relative to the project (``./name.shp``).
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

__all__ = [
    "PROJECT_NAME",
    "SHAPEFILE_PROJECT",
    "metadata_xml",
    "read_metadata_title",
    "write_project",
    "write_shapefile_project",
]

#: the name of the project in the GeoPackage (QGIS lists it under the file in its Browser)
PROJECT_NAME = "spatialinno"
#: the project written beside a run's Shapefiles (``shp/spatialinno.qgs``)
SHAPEFILE_PROJECT = f"{PROJECT_NAME}.qgs"
_DOCTYPE = b"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
_QGIS_VERSION = "3.22.16-Białowieża"  # the oldest QGIS the exports are tested with
_KIND = {"LINESTRING": "Line", "MULTILINESTRING": "Line", "POINT": "Point", "MULTIPOINT": "Point"}
_WKB = {
    "POINT": "Point", "MULTIPOINT": "MultiPoint", "LINESTRING": "LineString",
    "MULTILINESTRING": "MultiLineString", "POLYGON": "Polygon", "MULTIPOLYGON": "MultiPolygon",
}  # fmt: skip


def _xml_text(value: object) -> str:
    """User text as every XML reader reads it back: a character XML cannot hold (a control
    character) as U+FFFD, line breaks as ``\\n`` (a bare ``\\r`` is read as ``\\n`` by some
    readers and kept by QGIS)."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("\ufffd", text)


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
            "title": _xml_text(ident or t),
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
    # the layer's metadata as QGIS keeps it in a project: the title and abstract it shows
    meta = ET.SubElement(node, "resourceMetadata")
    for tag, text in (("identifier", layer["table"]), ("title", layer["title"]),
                      ("abstract", layer["title"])):  # fmt: skip
        ET.SubElement(meta, tag).text = text
    _srs(ET.SubElement(node, "srs"), layer["crs"])
    ET.SubElement(node, "provider", encoding="UTF-8").text = "ogr"
    if layer["qml"]:
        style = ET.fromstring(layer["qml"].encode("utf-8"))  # the QML's <qgis> root
        for child in style:
            node.append(child)
        for key in ("labelsEnabled", "hasScaleBasedVisibilityFlag"):
            if key in style.attrib:
                node.set(key, style.attrib[key])


def project_xml(path: Path, layers: list[dict[str, str]], title: str, shown: int = 2) -> bytes:
    """The ``.qgs`` document of ``layers`` (top first), their sources relative to ``path``: the
    layer ``table`` of the GeoPackage ``path``, or a layer's own ``source``. The first ``shown``
    layers are switched on."""
    title = _xml_text(title)
    root = ET.Element("qgis", projectname=title, version=_QGIS_VERSION)
    ET.SubElement(root, "title").text = title
    crs = layers[-1]["crs"] if layers else "EPSG:4490"
    _srs(ET.SubElement(root, "projectCrs"), crs)
    tree = ET.SubElement(root, "layer-tree-group")
    maplayers = ET.SubElement(root, "projectlayers")
    order = ET.Element("custom-order", enabled="0")
    for i, layer in enumerate(layers):
        lid = f"spatialinno_layer_{i}"
        source = layer.get("source") or f"./{path.name}|layername={layer['table']}"
        checked = "Qt::Checked" if i < shown <= len(layers) else "Qt::Unchecked"
        ET.SubElement(
            tree, "layer-tree-layer", id=lid, name=layer["title"], source=source,
            providerKey="ogr", checked=checked, expanded="1",
        )  # fmt: skip
        ET.SubElement(order, "item").text = lid
        _map_layer(maplayers, layer, lid, source)
    tree.append(order)
    props = ET.SubElement(ET.SubElement(root, "properties"), "Paths")
    ET.SubElement(props, "Absolute", type="bool").text = "false"
    return _DOCTYPE + ET.tostring(root, encoding="utf-8")


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


def metadata_xml(identifier: str, title: str, abstract: str = "", language: str = "") -> bytes:
    """A layer's QGIS metadata document (``.qmd``): its identifier, title and abstract.

    QGIS reads a ``<name>.qmd`` beside a file-based layer as the layer's metadata (Layer
    Properties > Information and Metadata, the Browser's preview). User text is written by
    ElementTree (escaped); a character XML cannot hold is written as U+FFFD.

    >>> print(metadata_xml("lisa_x", "研发经费（万元）：<LISA>").decode("utf-8"))  # doctest: +ELLIPSIS
    <!DOCTYPE qgis ...>
    <qgis version="..."><identifier>lisa_x</identifier>...<title>研发经费（万元）：&lt;LISA&gt;</title>...
    """
    root = ET.Element("qgis", version=_QGIS_VERSION)
    for tag, text in (
        ("identifier", identifier), ("parentidentifier", ""), ("language", language),
        ("type", "dataset"), ("title", title), ("abstract", abstract),
    ):  # fmt: skip
        ET.SubElement(root, tag).text = _xml_text(text)
    return _DOCTYPE + ET.tostring(root, encoding="utf-8")


def read_metadata_title(path: str | Path) -> str | None:
    """The ``<title>`` of a ``.qmd`` document (None when there is no file or no title)."""
    target = Path(path)
    if not target.is_file():
        return None
    try:
        node = ET.parse(target).getroot().find("title")
    except ET.ParseError:
        return None
    return node.text if node is not None and node.text else None


def _shapefile_layer(shp: Path) -> dict[str, str]:
    """A Shapefile as a project layer: its title (``.qmd``), geometry, CRS and ``.qml`` style."""
    import pyogrio

    info = pyogrio.read_info(shp)
    qml = shp.with_suffix(".qml")
    return {
        "table": shp.stem,
        "source": f"./{shp.name}",
        "title": _xml_text(read_metadata_title(shp.with_suffix(".qmd")) or shp.stem),
        "wkb": str(info["geometry_type"]).upper().replace(" ", ""),
        "crs": str(info["crs"] or "EPSG:4490"),
        "qml": qml.read_text(encoding="utf-8") if qml.is_file() else "",
    }


def write_shapefile_project(folder: str | Path, title: str = PROJECT_NAME) -> Path:
    """Write (or replace) :data:`SHAPEFILE_PROJECT` in ``folder``, listing its Shapefiles.

    Every ``.shp`` of ``folder`` is listed under the title of its ``.qmd`` (its file name when it
    has none), styled with its ``.qml``; layers already in an earlier project keep their place,
    new ones follow in name order. The first layer is switched on. Returns the project's path.
    """
    base = Path(folder)
    target = base / SHAPEFILE_PROJECT
    order: list[str] = []
    if target.is_file():
        try:
            order = [e.text or "" for e in ET.parse(target).getroot().iter("datasource")]
        except ET.ParseError:
            order = []
    found = {f"./{p.name}": p for p in base.glob("*.shp")}
    sources = [s for s in order if s in found] + sorted(set(found) - set(order))
    layers = [_shapefile_layer(found[s]) for s in sources]
    target.write_bytes(project_xml(target, layers, title, shown=1))
    return target
