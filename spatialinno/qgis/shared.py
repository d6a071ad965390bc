"""Several styled layers on one set of geometries: a GeoPackage that stores each outline once.

A run writes three layers per column (values, LISA clusters, Gi* bins) on the same units; written
as separate layers each carries the full geometry (the demo's results.gpkg: 24 MB, a county run
with five columns: 147 MB). :func:`export_shared` writes

* one **units table** per set of geometries (``units_<level>``, written by GDAL with the
  columns of the first layer on these units): the geometry of each unit once;
* beside it ``units_<level>_results``, an attributes table with the further columns of every
  layer (``<layer>.<column>``), one row per unit; a column with the very same values as one
  stored already (``code``, ``name``, the indicator ...) is not stored again;
* one **spatial view** per layer (``CREATE VIEW <layer> AS SELECT ... FROM units_<level> JOIN
  units_<level>_results``), registered in ``gpkg_contents`` and ``gpkg_geometry_columns`` as
  GDAL documents for spatial views (feature id ``OGC_FID``), with the layer's own column names
  and its QGIS style as the default in ``layer_styles``: QGIS lists it as a layer and opens it
  styled, as before.

:func:`export_border_lines` adds the national border lines (境界线, incl. the South China Sea
line) as a styled line layer, so a map made in QGIS from the file is complete.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd

from .. import styles as _styles
from .._errors import ExportError
from .classes import bilingual
from .frame import check_frame, crs_text, geometry_kind, plain_columns
from .gpkg import GPKG_LAYER_STYLES, export_gpkg, store_gpkg_style
from .qml import single_symbol_qml
from .sld import single_symbol_sld
from .writing import ExportResult, export_result, layer_style, style_title, write_layer

__all__ = ["BORDER_LINES_LAYER", "export_border_lines", "export_shared"]

#: the layer of the national border lines in every GeoPackage a run writes
BORDER_LINES_LAYER = "境界线"
_UNITS_NOTE = "spatialinno shared geometry "  # + digest, in gpkg_contents.description
_SQL_TYPES = {"f": "REAL", "i": "INTEGER", "u": "INTEGER", "b": "BOOLEAN"}


def export_shared(
    gdf: object,
    path: str | Path,
    layer: str,
    style: object = None,
    *,
    lang: str = "both",
    title: str | None = None,
) -> ExportResult:
    """Write ``gdf`` as layer ``layer`` of the GeoPackage ``path``, sharing stored geometry.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        One row per unit (spatialinno layers: EPSG:4490); frames on the same geometries (same
        shapes, same order, same CRS) share one units table.
    path : str or pathlib.Path
        The ``.gpkg`` file (created as GeoPackage 1.2 when missing).
    layer : str
        Name of the view QGIS lists; an existing layer of that name is replaced.
    style : str, CategorizedStyle or GraduatedStyle, optional
        As for :func:`spatialinno.export`; stored as the layer's default style.
    lang : {"both", "zh", "en"}
        Legend labels.
    title : str, optional
        The layer's human title (a label and unit, ``"常住人口（人）：LISA 聚类"``), stored as
        ``gpkg_contents.identifier`` and ``description`` (QGIS shows them as the layer's
        metadata title and abstract) and in its style's description; ``layer`` when not given.
        The table name stays ``layer``, so code reading the file back finds it by that name.

    Returns
    -------
    ExportResult
        ``style`` is ``"layer_styles"`` when a style was stored.

    Notes
    -----
    A frame with date-time or other columns SQLite has no plain type for is written as a
    separate layer with its own geometry (:func:`spatialinno.export`'s GeoPackage writer).
    """
    from .export import _resolve_style

    frame = plain_columns(check_frame(gdf)).copy(deep=False)
    frame.attrs = {}  # else pandas deep-copies them into every column read below
    target = Path(path)
    kind, promote = geometry_kind(frame)
    resolved = _resolve_style(style, frame)
    data = frame.drop(columns=frame.geometry.name)
    if any(_sql_type(data[c]) is None for c in data.columns):
        return export_gpkg(frame, target, layer, resolved, True, kind, promote, lang, title)
    docs = layer_style(resolved, frame, kind, layer=layer, lang=lang) if resolved else None
    _drop_layer(target, layer)
    units = _units_table(frame, target, promote, lang)
    with closing(sqlite3.connect(target)) as con, con:
        columns = _store_columns(con, units, layer, data)
        _create_view(con, units, layer, columns, title)
    if docs is not None:
        store_gpkg_style(target, layer, "geom", docs[0], docs[1], title or style_title(resolved))
    fields = tuple((c, c) for c in data.columns)
    where = GPKG_LAYER_STYLES if docs is not None else None
    return export_result(frame, target, layer, "GPKG", fields, where, [target])


def _sql_type(values: pd.Series) -> str | None:
    """The SQLite column type of ``values`` (None: no plain type; written the usual way)."""
    if pd.api.types.is_bool_dtype(values):
        return "BOOLEAN"
    if pd.api.types.is_numeric_dtype(values):
        return _SQL_TYPES.get(values.dtype.kind, "REAL")
    if pd.api.types.is_string_dtype(values) or values.dtype == object:
        v = values.dropna()
        return "TEXT" if all(isinstance(x, str) for x in v.tolist()) else None
    return None


def _cells(values: pd.Series) -> list[object]:
    """Python values for sqlite3 (NaN/NA as NULL), in row order."""
    return values.astype(object).where(values.notna(), None).tolist()


_NUMBER_CELLS = {float, int, bool, type(None)}


def _column_digest(cells: list[object]) -> str:
    """Identity of a column's values (numbers compared exactly, 1 and 1.0 alike)."""
    if set(map(type, cells)) <= _NUMBER_CELLS:
        # numbers and NULLs: their float64 bytes (exact, -0.0 apart from 0.0 as repr has it)
        # and where the NULLs are; ten times faster than repr on 2,891 floats
        null = np.fromiter((c is None for c in cells), bool, len(cells))
        numbers = np.array([0.0 if c is None else float(c) for c in cells], dtype=float)
        return hashlib.sha1(b"numbers" + null.tobytes() + numbers.tobytes()).hexdigest()
    return hashlib.sha1(
        repr([float(c) if isinstance(c, int) else c for c in cells]).encode()
    ).hexdigest()


# digests of the last geometry arrays seen, by the identity of their (immutable) shapely
# objects, which the entry keeps alive so that no id is reused: the layers of a run share one
# set of outlines, and hashing their WKB once per layer took 0.5 s of a county run
_DIGESTS: dict[tuple[str, tuple[int, ...]], tuple[np.ndarray, str]] = {}


def _digest(frame: pd.DataFrame) -> str:
    """Identity of the geometries (shapes, order and CRS)."""
    import shapely

    geoms = np.asarray(frame.geometry.values)
    crs = crs_text(frame)
    key = (crs, tuple(map(id, geoms.tolist())))
    hit = _DIGESTS.get(key)
    if hit is not None:
        return hit[1]
    h = hashlib.sha1(crs.encode())
    for wkb in shapely.to_wkb(geoms, output_dimension=2):
        h.update(wkb)
    if len(_DIGESTS) >= 4:
        _DIGESTS.pop(next(iter(_DIGESTS)))
    _DIGESTS[key] = (geoms.copy(), h.hexdigest())
    return h.hexdigest()


def _units_table(frame: pd.DataFrame, path: Path, promote: bool, lang: str = "both") -> str:
    """The units table holding ``frame``'s geometries, written (with its columns) if new.

    Beside it, ``<units>_results`` (an attributes table, one row per unit, joined on ``fid``)
    takes the further columns of the layers on these units; its ``gpkg_contents.description``
    records a digest of every stored column, so an equal column is stored once.
    """
    digest = _digest(frame)
    taken: list[str] = []
    if path.exists():
        with closing(sqlite3.connect(path)) as con:
            rows = con.execute("SELECT table_name, description FROM gpkg_contents").fetchall()
        for name, note in rows:
            if note == _UNITS_NOTE + digest:
                return str(name)
            taken.append(str(name).lower())
    levels = frame["level"].dropna().unique() if "level" in frame.columns else []
    base = f"units_{levels[0]}" if len(levels) == 1 and str(levels[0]).isidentifier() else "units"
    name, i = base, 2
    while name.lower() in taken or f"{name}_results".lower() in taken:
        name, i = f"{base}_{i}", i + 1
    options = None if path.exists() else {"VERSION": "1.2"}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_layer(
        frame, path, name, "GPKG", promote,
        layer_options={"GEOMETRY_NAME": "geom", "FID": "fid"}, dataset_options=options,
    )  # fmt: skip
    data = frame.drop(columns=frame.geometry.name)
    known = {str(c): _column_digest(_cells(data[c])) for c in data.columns}
    # the units themselves, drawn as plain outlines (a base map under the styled layers)
    label = bilingual(f"{name}：各图层共用的单元轮廓", f"{name}: the units the layers share", lang)
    with closing(sqlite3.connect(path)) as con, con:
        con.execute(
            "UPDATE gpkg_contents SET description = ?, identifier = ? WHERE table_name = ?",
            (_UNITS_NOTE + digest, label, name),
        )
        results = f"{name}_results"
        con.execute(f'CREATE TABLE "{_q(results)}" (fid INTEGER PRIMARY KEY NOT NULL)')
        con.execute(f'INSERT INTO "{_q(results)}" (fid) SELECT fid FROM "{_q(name)}"')
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
            "last_change, srs_id) VALUES (?, 'attributes', ?, ?, "
            "strftime('%Y-%m-%dT%H:%M:%fZ','now'), 0)",
            (results, results, json.dumps({"units": known, "results": {}})),
        )
    fill = _styles.MAP_COLORS["background"]  # neutral, as the web maps' background
    qml = single_symbol_qml("polygon", fill, label)
    store_gpkg_style(path, name, "geom", qml, single_symbol_sld(name, "polygon", fill), label)
    return name


def _store_columns(
    con: sqlite3.Connection, units: str, layer: str, data: pd.DataFrame
) -> list[tuple[str, str]]:
    """``(stored column, layer column)`` pairs (stored as ``u."x"`` or ``r."x"``): a column
    equal to one stored already is reused, the others go into the results table."""
    results = f"{units}_results"
    note = con.execute(
        "SELECT description FROM gpkg_contents WHERE table_name = ?", (results,)
    ).fetchone()
    known = json.loads(note[0])
    n = con.execute(f'SELECT count(*) FROM "{_q(results)}"').fetchone()[0]
    if n != len(data):
        raise ExportError(f"table {units!r} holds {n} units, the layer {len(data)}")
    pairs, added = [], []
    for col in data.columns:
        cells = _cells(data[col])
        digest = _column_digest(cells)
        if known["units"].get(str(col)) == digest:
            pairs.append((f'u."{_q(col)}"', str(col)))
            continue
        stored = f"{layer}.{col}"
        if stored in known["results"]:  # an earlier layer of this name (its view is gone)
            con.execute(f'ALTER TABLE "{_q(results)}" DROP COLUMN "{_q(stored)}"')
        con.execute(f'ALTER TABLE "{_q(results)}" ADD COLUMN "{_q(stored)}" {_sql_type(data[col])}')
        known["results"][stored] = digest
        added.append((stored, cells))
        pairs.append((f'r."{_q(stored)}"', str(col)))
    if added:
        sets = ", ".join(f'"{_q(s)}" = ?' for s, _ in added)
        fids = [r[0] for r in con.execute(f'SELECT fid FROM "{_q(results)}" ORDER BY fid')]
        rows = zip(*(c for _, c in added), fids, strict=True)  # GDAL numbers rows 1..n
        con.executemany(f'UPDATE "{_q(results)}" SET {sets} WHERE fid = ?', rows)
    con.execute(
        "UPDATE gpkg_contents SET description = ? WHERE table_name = ?",
        (json.dumps(known), results),
    )
    return pairs


def _create_view(
    con: sqlite3.Connection,
    units: str,
    layer: str,
    columns: list[tuple[str, str]],
    title: str | None = None,
) -> None:
    """The spatial view ``layer`` on ``units``, registered as GDAL reads spatial views.

    ``gpkg_contents.identifier`` (unique in a GeoPackage) is ``title`` -- with `` (layer)``
    after it when another layer has that title already -- and ``description`` the title too.
    """
    shown = str(title).strip() if title is not None and str(title).strip() else layer
    taken = con.execute("SELECT 1 FROM gpkg_contents WHERE identifier = ?", (shown,)).fetchone()
    identifier = f"{shown} ({layer})" if taken and shown != layer else shown
    select = ", ".join(f'{s} AS "{_q(c)}"' for s, c in columns)
    con.execute(
        f'CREATE VIEW "{_q(layer)}" AS SELECT u.fid AS OGC_FID, u.geom AS geom, {select} '
        f'FROM "{_q(units)}" AS u JOIN "{_q(units)}_results" AS r ON r.fid = u.fid'
    )
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, "
        "min_x, min_y, max_x, max_y, srs_id) SELECT ?, 'features', ?, ?, "
        "strftime('%Y-%m-%dT%H:%M:%fZ','now'), min_x, min_y, max_x, max_y, srs_id "
        "FROM gpkg_contents WHERE table_name = ?",
        (layer, identifier, "" if shown == layer else shown, units),
    )
    con.execute(
        "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, "
        "z, m) SELECT ?, 'geom', geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns "
        "WHERE table_name = ?",
        (layer, units),
    )


def _drop_layer(path: Path, layer: str) -> None:
    """Remove an earlier view ``layer`` (its columns stay in the units table, unused)."""
    if not path.exists():
        return
    with closing(sqlite3.connect(path)) as con, con:
        kind = con.execute(
            "SELECT type FROM sqlite_master WHERE lower(name) = lower(?)", (layer,)
        ).fetchone()
        if kind is None:
            return
        if kind[0] != "view":
            raise ExportError(
                f"{str(path)!r} already has a table {layer!r} (not a layer spatialinno shares "
                "geometry for); choose another layer name"
            )
        con.execute(f'DROP VIEW "{_q(layer)}"')
        for table in ("gpkg_geometry_columns", "gpkg_contents"):
            con.execute(f"DELETE FROM {table} WHERE lower(table_name) = lower(?)", (layer,))


def _q(name: str) -> str:
    """An identifier inside double quotes (a quote doubled)."""
    return str(name).replace('"', '""')


def export_border_lines(path: str | Path, *, lang: str = "both") -> ExportResult:
    """Add the national border lines (境界线, incl. the South China Sea line) to ``path``, styled.

    Parameters
    ----------
    path : str or pathlib.Path
        GeoPackage to add the layer :data:`BORDER_LINES_LAYER` to (replaced if present).
    lang : {"both", "zh", "en"}
        Legend label of the line symbol.

    Returns
    -------
    ExportResult
        The line layer written (8 MultiLineString features, EPSG:4490).
    """
    from ..boundaries.load import load_boundaries
    from .export import export

    lines = load_boundaries("lines")
    target = Path(path)
    res = export(lines, target, layer=BORDER_LINES_LAYER, overwrite=True)
    label = bilingual("境界线", "national boundary line", lang)
    qml = single_symbol_qml("line", _styles.NATIONAL_BORDER_COLOR, label)
    sld = single_symbol_sld(BORDER_LINES_LAYER, "line", _styles.NATIONAL_BORDER_COLOR, label)
    store_gpkg_style(target, BORDER_LINES_LAYER, "geom", qml, sld, label)
    with closing(sqlite3.connect(target)) as con, con:  # its title in QGIS, in ``lang``
        con.execute(
            "UPDATE gpkg_contents SET identifier = ?, description = ? WHERE table_name = ?",
            (label, label, BORDER_LINES_LAYER),
        )
    return export_result(
        lines, target, BORDER_LINES_LAYER, "GPKG", res.fields, GPKG_LAYER_STYLES, [target]
    )
