"""The GeoPackage writer: GeoPackage 1.2 layers with their QGIS style stored as the default.

Every column name is kept as is, several layers share a file (other layers are left intact), the
file is written as GeoPackage 1.2 so that QGIS 3.22 (Debian bookworm) opens it without a version
warning, and the style goes into the file's ``layer_styles`` table as the layer's default, so QGIS
applies it when the layer is added.

Date-times are kept to the millisecond (a warning names columns with finer times); time-zone-aware
ones are stored in UTC, as the standard asks (the same instants, read back in UTC).
"""

from __future__ import annotations

import sqlite3
import warnings
from contextlib import closing
from pathlib import Path

import pandas as pd

from .. import __version__
from .._errors import ExportError, ExportWarning
from .writing import (
    ExportResult,
    Style,
    check_written_fields,
    export_result,
    free_name,
    layer_style,
    style_title,
    write_layer,
)

__all__ = ["GPKG_LAYER_STYLES", "export_gpkg", "store_gpkg_style"]

GPKG_LAYER_STYLES = "layer_styles"
# The exact table QGIS creates when a user saves a style into a GeoPackage (QGIS 3.22,
# QgsOgrProviderUtils), so QGIS finds and updates the rows this module writes.
_LAYER_STYLES_DDL = (
    'CREATE TABLE IF NOT EXISTS "layer_styles" ( "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
    '"f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256), '
    '"f_geometry_column" TEXT(256), "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT, '
    '"useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30), '
    "\"update_time\" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
)


def _existing_gpkg_layers(path: Path) -> list[str]:
    import pyogrio

    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # not a GeoPackage / unreadable: never clobber it silently
        raise ExportError(
            f"{str(path)!r} exists but cannot be opened as a GeoPackage ({exc}); "
            "choose another file name or delete it"
        ) from None


def _layer_name(path: Path, layer: str | None, overwrite: bool) -> tuple[str, bool]:
    """The layer name (checked against reserved and existing names) and whether the file exists."""
    name = layer if layer is not None else path.stem
    if not isinstance(name, str) or not name.strip():
        raise ExportError(f"layer name must be non-empty text, not {name!r}")
    low = name.lower()
    if low.startswith(("gpkg_", "rtree_", "sqlite_")) or low == GPKG_LAYER_STYLES:
        raise ExportError(
            f"layer name {name!r} is reserved by the GeoPackage format (gpkg_*, rtree_*, "
            "sqlite_*, layer_styles); choose another name"
        )
    exists = path.exists()
    if not exists:
        path.parent.mkdir(parents=True, exist_ok=True)
        return name, exists
    layers = _existing_gpkg_layers(path)
    same = [n for n in layers if n.lower() == low]
    if same and same[0] != name:
        raise ExportError(
            f"{str(path)!r} already has a layer {same[0]!r}; GeoPackage layer names are "
            f"case-insensitive, so {name!r} would clash: use layer={same[0]!r} (with "
            "overwrite=True to replace it) or another name"
        )
    if same and not overwrite:
        raise ExportError(
            f"layer {name!r} already exists in {str(path)!r} (layers: {', '.join(layers)}); "
            "pass overwrite=True to replace this layer (other layers are kept) or choose "
            "another layer name"
        )
    return name, exists


def _in_utc(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.DatetimeTZDtype):
            # the GeoPackage standard stores date-times in UTC ("...Z"); GDAL would write the
            # +08:00 offset, which GDAL and QGIS then flag as non-conformant on every read.
            # The instants are unchanged; they read back in UTC.
            frame[col] = frame[col].dt.tz_convert("UTC")
    return frame


def export_gpkg(
    frame: pd.DataFrame,
    path: Path,
    layer: str | None,
    style: Style | None,
    overwrite: bool,
    kind: str,
    promote: bool,
    lang: str,
    title: str | None = None,
) -> ExportResult:
    """Write ``frame`` as layer ``layer`` of the GeoPackage ``path`` (see :func:`spatialinno.export`);
    ``title``: the layer's human title (``gpkg_contents.identifier`` and ``description``)."""
    name, exists = _layer_name(path, layer, overwrite)
    docs: tuple[str, str] | None = None
    if style is not None:  # built first: a style problem must not leave a half-done export
        docs = layer_style(style, frame, kind, layer=name, lang=lang)
    _warn_sub_millisecond(frame)
    frame = _in_utc(frame)
    geom_col = free_name("geom", frame.columns.drop(frame.geometry.name))
    layer_options = {"GEOMETRY_NAME": geom_col}
    if any(str(c).lower() == "fid" for c in frame.columns):
        # GDAL would take a column called "fid" as the feature id and drop it from the fields;
        # give the id another name so the user's column is kept as data.
        layer_options["FID"] = free_name("gpkg_fid", frame.columns)
    # VERSION=1.2: QGIS 3.22 warns that GPKG 1.4 (the default of recent GDAL) is newer than it
    # supports. It is a dataset option, so it only applies when the file is created.
    dataset_options = None if exists else {"VERSION": "1.2"}
    write_layer(
        frame, path, name, "GPKG", promote,
        layer_options=layer_options, dataset_options=dataset_options,
    )  # fmt: skip
    fields = tuple((c, c) for c in frame.columns if c != frame.geometry.name)
    check_written_fields(path, name, [f for _, f in fields])
    where: str | None = None
    shown = str(title).strip() if title is not None else ""
    if shown:
        _set_title(path, name, shown)
    if docs is not None:
        store_gpkg_style(path, name, geom_col, docs[0], docs[1], shown or style_title(style))
        where = GPKG_LAYER_STYLES
    elif overwrite:
        _drop_gpkg_style(path, name)  # a replaced layer must not keep a style for old columns
    return export_result(frame, path, name, "GPKG", fields, where, [path])


def _warn_sub_millisecond(frame: pd.DataFrame) -> None:
    """GeoPackage stores date-times as text with milliseconds: name the columns that lose digits."""
    lossy = []
    for col in frame.columns:
        s = frame[col]
        if col != frame.geometry.name and pd.api.types.is_datetime64_any_dtype(s):
            v = s.dropna()
            n = int(((v.dt.microsecond % 1000 != 0) | (v.dt.nanosecond != 0)).sum())
            if n:
                lossy.append(f"{col!r} ({n} values)")
    if lossy:
        warnings.warn(
            "GeoPackage export: GeoPackage stores date-times to the millisecond, so the "
            f"microseconds of {', '.join(lossy)} are cut; round them first, e.g. "
            "gdf[col].dt.floor('ms'), or keep a text copy",
            ExportWarning,
            stacklevel=4,
        )


def store_gpkg_style(path: Path, layer: str, geom_col: str, qml: str, sld: str, title: str) -> None:
    """Insert the style as the layer's default in ``layer_styles``, the table QGIS reads."""
    description = f"spatialinno {__version__}: {title}".strip()
    with closing(sqlite3.connect(path)) as con, con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if GPKG_LAYER_STYLES not in tables:
            con.execute(_LAYER_STYLES_DDL)
            # Register it as an attributes table, as GDAL/QGIS do; a GeoPackage validator
            # flags unregistered user tables, and OGR lists only registered ones.
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
                "last_change, srs_id) VALUES (?, 'attributes', ?, '', "
                "strftime('%Y-%m-%dT%H:%M:%fZ','now'), 0)",
                (GPKG_LAYER_STYLES, GPKG_LAYER_STYLES),
            )
            if "gpkg_ogr_contents" in tables:
                # GDAL's cached feature count, kept current by the same triggers GDAL creates
                con.execute(
                    "INSERT INTO gpkg_ogr_contents (table_name, feature_count) VALUES (?, 0)",
                    (GPKG_LAYER_STYLES,),
                )
                for op, sign in (("INSERT", "+"), ("DELETE", "-")):
                    con.execute(
                        f'CREATE TRIGGER "trigger_{op.lower()}_feature_count_layer_styles" '
                        f'AFTER {op} ON "layer_styles" BEGIN UPDATE gpkg_ogr_contents SET '
                        f"feature_count = feature_count {sign} 1 WHERE lower(table_name) = "
                        "lower('layer_styles'); END"
                    )
        # One default per layer: the user's own styles (QGIS "Save as default" also names them
        # after the layer) stay available in QGIS' style manager but no longer win; only the
        # style an earlier export wrote is replaced.
        con.execute(
            "DELETE FROM layer_styles WHERE lower(f_table_name) = lower(?) AND styleName = ? "
            "AND description LIKE 'spatialinno %'",
            (layer, layer),
        )
        con.execute(
            "UPDATE layer_styles SET useAsDefault = 0 WHERE lower(f_table_name) = lower(?)",
            (layer,),
        )
        con.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, "
            "ui) VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '', NULL)",
            (layer, geom_col, layer, qml, sld, description),
        )


def _set_title(path: Path, layer: str, title: str) -> None:
    """``gpkg_contents.identifier`` and ``description`` of ``layer``: ``title`` (QGIS shows them as
    the layer's metadata title and abstract); the identifier is unique in a GeoPackage, so a
    title another layer has already gets `` (layer)`` after it."""
    with closing(sqlite3.connect(path)) as con, con:
        taken = con.execute(
            "SELECT 1 FROM gpkg_contents WHERE identifier = ? AND table_name <> ?", (title, layer)
        ).fetchone()
        identifier = f"{title} ({layer})" if taken else title
        con.execute(
            "UPDATE gpkg_contents SET identifier = ?, description = ? WHERE table_name = ?",
            (identifier, title, layer),
        )


def _drop_gpkg_style(path: Path, layer: str) -> None:
    with closing(sqlite3.connect(path)) as con, con:
        exists = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (GPKG_LAYER_STYLES,)
        ).fetchone()
        if exists:
            con.execute(
                "DELETE FROM layer_styles WHERE lower(f_table_name) = lower(?) AND styleName = ? "
                "AND description LIKE 'spatialinno %'",
                (layer, layer),
            )
