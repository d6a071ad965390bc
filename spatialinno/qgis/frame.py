"""The checks an export makes on the frame before anything is written, and the path it writes.

Everything a GeoPackage or Shapefile cannot hold is refused here with an :class:`ExportError`
that names the column (and the first row) and says how to convert it: duplicate or case-only
different column names, extra geometry columns, mixed geometry kinds, time spans, complex
numbers, lists, mixed text and numbers. Values both formats can hold are put into dtypes both
drivers write faithfully (categories as values, object columns of numbers as numbers, Python
``datetime.date`` values as ISO text such as ``2021-01-01`` ...).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import ExportError, InputError
from .._validate import region_labels
from .classes import GEOMETRY_KINDS

__all__ = ["FORMATS", "check_frame", "crs_text", "geometry_kind", "plain_columns", "target_path"]

FORMATS: dict[str, str] = {".gpkg": "GPKG", ".shp": "ESRI Shapefile"}


def check_frame(gdf: object) -> pd.DataFrame:
    """``gdf`` checked for export (a GeoDataFrame with CRS, rows, unique text column names, one
    geometry column), with a named index written as column(s)."""
    import geopandas as gpd

    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError(
            f"export needs a GeoDataFrame, not {type(gdf).__name__}; attach geometries first, "
            "e.g. with si.join_indicators(table, level)"
        )
    dupes = gdf.columns[gdf.columns.duplicated()].unique().tolist()
    if dupes:
        raise ExportError(
            f"column(s) {', '.join(map(repr, dupes))} appear more than once; a file field "
            "name is unique: rename or drop the copies"
        )
    try:
        geom_name = gdf.geometry.name
    except AttributeError:
        raise ExportError(
            "the GeoDataFrame has no active geometry column; call gdf.set_geometry(column)"
        ) from None
    if gdf.crs is None:
        raise ExportError(
            "the GeoDataFrame has no CRS, so no .prj / srs could be written; set it, e.g. "
            "gdf.set_crs(4490) for coordinates in CGCS2000 longitude/latitude"
        )
    if len(gdf) == 0:
        raise ExportError("nothing to export: the GeoDataFrame has no rows")
    extra_geoms = [
        c
        for c in gdf.columns
        if c != geom_name and isinstance(gdf[c].dtype, gpd.array.GeometryDtype)
    ]
    if extra_geoms:
        raise ExportError(
            f"column(s) {', '.join(map(repr, extra_geoms))} hold geometries besides the active "
            f"geometry {geom_name!r}; a layer has one geometry column: drop them or convert "
            "them to text with gdf[col].to_wkt()"
        )
    # A named index (e.g. code) is data the user expects to see in QGIS; an unnamed RangeIndex is
    # only row numbering, which GeoPackage's fid already provides.
    if any(n is not None for n in gdf.index.names):
        gdf = _index_as_columns(gdf)
    names = [c for c in gdf.columns if c != geom_name]
    bad = [c for c in names if not isinstance(c, str) or not c.strip()]
    if bad:
        raise ExportError(
            f"column names must be non-empty text; rename {', '.join(map(repr, bad))} "
            "(e.g. gdf.columns = gdf.columns.map(str))"
        )
    seen: dict[str, str] = {}
    for c in names:
        # SQLite (GeoPackage) and DBF compare field names case-insensitively
        if c.lower() in seen:
            raise ExportError(
                f"columns {seen[c.lower()]!r} and {c!r} differ only in upper/lower case; "
                "GeoPackage and Shapefile field names are case-insensitive, rename one of them"
            )
        seen[c.lower()] = c
    return gdf


def _index_as_columns(gdf: pd.DataFrame) -> pd.DataFrame:
    """Named index levels as columns; a level that repeats a column (set_index(drop=False))
    is dropped, one that conflicts with a column of the same name is an error."""
    keep: list[object] = []
    for level, name in enumerate(gdf.index.names):
        if name is None:
            continue
        if name in gdf.columns:
            if not np.array_equal(
                gdf.index.get_level_values(level).astype(object), gdf[name].astype(object)
            ):
                raise ExportError(
                    f"the index {name!r} and the column {name!r} hold different values; "
                    "rename one of them (e.g. gdf.rename_axis('row_code'))"
                )
            continue
        keep.append(name)
    return gdf.reset_index(level=keep) if keep else gdf


def target_path(path: str | Path) -> tuple[Path, str]:
    """The file to write (``.gpkg`` when there is no extension) and its OGR driver."""
    if not isinstance(path, (str, Path)):
        raise ExportError(f"path must be a str or pathlib.Path, not {type(path).__name__}")
    p = Path(path).expanduser()
    if p.is_dir():
        raise ExportError(f"{str(p)!r} is a directory; give a file name such as {p / 'out.gpkg'}")
    # the nearest existing ancestor must be a folder: "notes.txt/out.gpkg" cannot be created
    above = p.parent
    while not above.exists() and above != above.parent:
        above = above.parent
    if above.exists() and not above.is_dir():
        raise ExportError(
            f"cannot write {str(p)!r}: {str(above)!r} is a file, not a folder; choose a path "
            f"in a folder (for example {str(above.parent / p.name)!r})"
        )
    suffix = p.suffix.lower()
    if suffix == "":
        p = p.with_suffix(".gpkg")  # GeoPackage is the default format
        suffix = ".gpkg"
    if suffix in FORMATS and p.suffix != suffix:
        # GDAL names a Shapefile's parts .shx/.dbf in lower case whatever the .shp case is;
        # writing "P.SHP" would leave a file set that other tools cannot pair up.
        p = p.with_suffix(suffix)
    if suffix not in FORMATS:
        raise ExportError(
            f"cannot export to {str(p)!r}: unknown extension {p.suffix!r}; spatialinno writes "
            "GeoPackage (.gpkg, recommended: keeps full field names and several layers) or "
            "Shapefile (.shp); for other formats use gdf.to_file()"
        )
    return p, FORMATS[suffix]


def geometry_kind(frame: pd.DataFrame) -> tuple[str, bool]:
    """Geometry kind (polygon/line/point) and whether single parts must be promoted to multi."""
    types = frame.geometry.geom_type.dropna()
    types = types[~frame.geometry.is_empty.reindex(types.index, fill_value=True)]
    present = set(types.unique())
    if not present:
        raise ExportError("every geometry is missing or empty; nothing QGIS could draw")
    families = {
        "Polygon": "polygon",
        "MultiPolygon": "polygon",
        "LineString": "line",
        "MultiLineString": "line",
        "LinearRing": "line",
        "Point": "point",
        "MultiPoint": "point",
    }
    unknown = present - set(families)
    if unknown:
        raise ExportError(
            f"geometry type(s) {', '.join(sorted(unknown))} cannot be written to one layer; "
            "explode collections first (gdf.explode())"
        )
    kinds = {families[t] for t in present}
    if len(kinds) > 1:
        counts = types.value_counts().to_dict()
        raise ExportError(
            f"a layer holds one kind of geometry, but the frame mixes {counts}; export each kind "
            "separately, e.g. gdf[gdf.geom_type.isin(['Polygon', 'MultiPolygon'])]"
        )
    kind = kinds.pop()
    assert kind in GEOMETRY_KINDS
    promote = len(present) > 1  # e.g. Polygon + MultiPolygon: write all as MultiPolygon
    return kind, promote


def plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in dtypes both drivers write faithfully; clear errors for those none can hold."""
    out = frame.copy()
    labels = None
    for col in out.columns:
        if col == out.geometry.name:
            continue
        s = out[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            # the category codes mean nothing in QGIS; write the values themselves
            out[col] = s.astype(s.cat.categories.dtype) if len(s.cat.categories) else s.astype(str)
            s = out[col]
        if pd.api.types.is_timedelta64_dtype(s):
            raise ExportError(
                f"column {col!r} holds time spans, which neither GeoPackage nor Shapefile can "
                f"store; convert it to a number, e.g. gdf[{col!r}].dt.total_seconds()"
            )
        if pd.api.types.is_complex_dtype(s):
            raise ExportError(
                f"column {col!r} holds complex numbers; store real and imaginary parts"
            )
        if s.dtype == object:
            kinds = s.dropna().map(_value_kind)
            found = set(kinds.unique())
            if "other" in found:
                first = kinds.index[kinds.eq("other").argmax()]
                labels = region_labels(out) if labels is None else labels
                raise ExportError(
                    f"column {col!r} holds {type(s.loc[first]).__name__} values "
                    f"(first at {labels.loc[first]}); a file field holds text, numbers, booleans "
                    f"or dates: convert it, e.g. gdf[{col!r}].astype(str)"
                )
            if len(found) > 1:
                labels = region_labels(out) if labels is None else labels
                firsts = {k: kinds.index[kinds.eq(k).argmax()] for k in sorted(found)}
                examples = "; ".join(
                    f"{k} {s.loc[i]!r} at {labels.loc[i]}" for k, i in firsts.items()
                )
                raise ExportError(
                    f"column {col!r} mixes {', '.join(sorted(found))} values ({examples}); a file "
                    f"field has one type: clean it with pd.to_numeric(gdf[{col!r}]) or "
                    f"gdf[{col!r}].astype(str)"
                )
            if found == {"number"}:
                out[col] = pd.to_numeric(s)
            elif found == {"bool"}:
                out[col] = s.astype("boolean")
            elif found == {"datetime"}:
                # Timestamps kept as Python objects: make them a datetime column, so both
                # formats treat them like any other datetime (GDAL would guess otherwise)
                try:
                    out[col] = pd.to_datetime(s)
                except (ValueError, TypeError) as exc:
                    raise ExportError(
                        f"column {col!r} holds date-times that do not form one column ({exc}); "
                        f"convert them, e.g. pd.to_datetime(gdf[{col!r}], utc=True)"
                    ) from None
            elif found == {"date"}:
                # calendar dates without time: ISO text (2021-01-01) in both formats, which
                # reads back unchanged, rather than a date-time at midnight
                out[col] = s.map(lambda d: d.isoformat() if pd.notna(d) else None).astype(object)
    return out


def _value_kind(v: object) -> str:
    if isinstance(v, str):
        return "text"
    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, (int, float, np.integer, np.floating)):
        return "number"
    if isinstance(v, (pd.Timestamp, np.datetime64, datetime.datetime)):
        return "datetime"
    if isinstance(v, datetime.date):
        return "date"
    return "other"


def crs_text(frame: pd.DataFrame) -> str:
    """The frame's CRS as ``"EPSG:4490"`` (authority code) or, without one, its PROJ text."""
    auth = frame.crs.to_authority()
    return f"{auth[0]}:{auth[1]}" if auth else frame.crs.to_string()
