"""Hand results to QGIS: GeoPackage and Shapefile exports that lose nothing, with QGIS styles.

:func:`export` writes a GeoDataFrame (regions x indicators, LISA clusters, Gi* bins ...) to

* a **GeoPackage** (``.gpkg``, the default and the recommended format): every column name kept as
  is, several layers per file, written as GeoPackage 1.2 so that QGIS 3.22 (Debian bookworm) opens
  it without a version warning, the style stored in the file's ``layer_styles`` table as the
  layer's default so QGIS applies it when the layer is added;
* a **Shapefile** (``.shp`` with ``.shx .dbf .prj .cpg``): field names made safe for DBF (ASCII,
  at most 10 bytes, unique, readable), a sidecar ``<name>.fields.csv`` mapping each short field to
  the full column name, UTF-8 declared in ``.cpg``, and the style as ``<name>.qml`` next to the
  ``.shp`` (QGIS loads a same-named ``.qml`` by default) referring to the short field names.

Styles come from :mod:`spatialinno.styles`, the same objects the folium maps use, so the QGIS
layer shows the same colours, class breaks and (bilingual) labels as the map.

CRS: the layer is written in the frame's CRS (EPSG:4490, CGCS2000, for spatialinno boundaries);
the Shapefile gets a ``.prj`` that QGIS and geopandas read back as EPSG:4490.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import shutil
import sqlite3
import tempfile
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from .. import styles as _styles
from .._errors import ColumnError, ExportError, ExportWarning, InputError
from .._escape import write_csv
from .._validate import region_labels
from .qml import GEOMETRY_KINDS, style_documents

FORMATS: dict[str, str] = {".gpkg": "GPKG", ".shp": "ESRI Shapefile"}
STYLE_NAMES: tuple[str, ...] = ("lisa", "hotspots")

# Files that make up one Shapefile "layer" (plus the sidecars this module writes); all of them
# are replaced together, so an overwrite never leaves a stale index or style from an older export.
SHAPEFILE_PARTS: tuple[str, ...] = (
    ".shp",
    ".shx",
    ".dbf",
    ".prj",
    ".cpg",
    ".qml",
    ".qmd",
    ".fields.csv",
    ".qix",
    ".sbn",
    ".sbx",
    ".shp.xml",
)

DBF_NAME_BYTES = 10  # dBASE field names: at most 10 bytes (GDAL truncates longer ones)
DBF_TEXT_BYTES = 254  # longest DBF character field
DBF_MAX_FIELDS = 255  # dBASE III limit; QGIS/ArcGIS refuse or misread wider tables
# GDAL reads a numeric DBF field wider than 18 characters as Real, so an integer needs at most
# 18 characters including the minus sign to come back as an integer (measured with GDAL 3.12:
# 999999999999999999 -> int64, -100000000000000000 -> float64).
DBF_INT_CHARS = 18
# GDAL writes Real fields as N(24, 15): 15 decimals; smaller magnitudes lose significant digits.
DBF_DECIMALS = 15

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

# Chinese words common in indicator column names -> ASCII, for Shapefile field names. pypinyin is
# not a dependency; a term list gives readable names (研发人员_2021 -> rd_stf_21) and a name with
# any character outside it falls back to the column position (f_07). Every mapping is recorded in
# the <name>.fields.csv sidecar. Longest match wins, so 地区生产总值 is "gdp", not 地区 + 生产总值.
ZH_TERMS: dict[str, str] = {
    "研究与试验发展": "rd",
    "地区生产总值": "gdp",
    "国内生产总值": "gdp",
    "全时当量": "fte",
    "规模以上": "abv",
    "夜间灯光": "ntl",
    "生产总值": "gdp",
    "研发": "rd",
    "科研": "rd",
    "人员": "staff",
    "人数": "staff",
    "经费": "exp",
    "支出": "exp",
    "投入": "input",
    "专利": "pat",
    "申请": "app",
    "授权": "grant",
    "发明": "inv",
    "论文": "paper",
    "数量": "n",
    "人口": "pop",
    "常住": "res",
    "户籍": "hukou",
    "城镇": "urb",
    "农村": "rur",
    "合计": "tot",
    "总量": "tot",
    "总计": "tot",
    "人均": "pc",
    "年份": "year",
    "年度": "year",
    "代码": "code",
    "编码": "code",
    "名称": "name",
    "简称": "short",
    "省份": "prov",
    "省会": "cap",
    "首府": "cap",
    "城市": "city",
    "地区": "area",
    "区域": "region",
    "面积": "area",
    "密度": "dens",
    "比重": "shr",
    "占比": "shr",
    "份额": "shr",
    "比例": "ratio",
    "强度": "int",
    "增长率": "gr",
    "增长": "gr",
    "指数": "idx",
    "基尼": "gini",
    "系数": "coef",
    "首位度": "prim",
    "集聚": "aggl",
    "创新": "inno",
    "科技": "st",
    "高校": "univ",
    "企业": "firm",
    "工业": "ind",
    "财政": "fisc",
    "收入": "rev",
    "就业": "emp",
    "教育": "edu",
    "经济": "econ",
    "资源": "rsrc",
    "聚类": "clus",
    "热点": "hot",
    "冷点": "cold",
    "类型": "type",
    "等级": "level",
    "排名": "rank",
    "灯光": "ntl",
    "东部": "east",
    "中部": "central",
    "西部": "west",
    "东北": "ne",
    "沿海": "coastal",
    "亿元": "100m_yuan",
    "万元": "10k_yuan",
    "万人": "10k_pers",
    "亿": "100m",
    "万": "10k",
    "元": "yuan",
    "人": "pers",
    "率": "rate",
    "数": "n",
    "值": "val",
    "省": "prov",
    "市": "city",
    "县": "county",
    "年": "y",
    "总": "tot",
}

# English words -> abbreviations, applied only while a field name is longer than 10 bytes.
EN_ABBREVIATIONS: dict[str, str] = {
    "population": "pop",
    "total": "tot",
    "number": "num",
    "province": "prov",
    "prefecture": "pref",
    "county": "cnty",
    "capital": "cap",
    "cluster": "clus",
    "patents": "pat",
    "patent": "pat",
    "staff": "stf",
    "spending": "spend",
    "expenditure": "exp",
    "employment": "emp",
    "revenue": "rev",
    "budget": "bdgt",
    "income": "inc",
    "urban": "urb",
    "rural": "rur",
    "resident": "res",
    "registered": "reg",
    "household": "hh",
    "share": "shr",
    "ratio": "rat",
    "density": "dens",
    "growth": "gr",
    "index": "idx",
    "value": "val",
    "count": "cnt",
    "average": "avg",
    "median": "med",
    "percent": "pct",
    "location": "loc",
    "quotient": "q",
    "innovation": "inno",
    "research": "rsch",
    "intensity": "int",
    "degree": "deg",
    "network": "net",
    "neighbor": "nb",
    "neighbour": "nb",
    "neighbors": "nb",
    "neighbours": "nb",
    "difference": "diff",
    "change": "chg",
    "region": "reg",
    "short": "shrt",
    "category": "cat",
    "significance": "sig",
}

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


# --------------------------------------------------------------------------------------------
# result object


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export` wrote.

    Attributes
    ----------
    path : pathlib.Path
        The ``.gpkg`` or ``.shp`` file.
    layer : str
        Layer name (the file stem for a Shapefile).
    driver : str
        OGR driver: ``"GPKG"`` or ``"ESRI Shapefile"``.
    n_features : int
        Number of features written (one per row of the frame).
    crs : str
        CRS of the layer, e.g. ``"EPSG:4490"``.
    fields : tuple of (str, str)
        ``(column, field)`` pairs: the frame's column and its name in the file (differs only for
        Shapefiles, where names are shortened to 10 bytes).
    style : str or None
        Where the QGIS style went: ``"layer_styles"`` (GeoPackage) or the ``.qml`` path.
    files : tuple of pathlib.Path
        Every file written or updated.
    """

    path: Path
    layer: str
    driver: str
    n_features: int
    crs: str
    fields: tuple[tuple[str, str], ...]
    style: str | None
    files: tuple[Path, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per exported column: ``column``, ``field`` (name in the file), ``renamed``."""
        return pd.DataFrame(
            {
                "column": [c for c, _ in self.fields],
                "field": [f for _, f in self.fields],
                "renamed": [c != f for c, f in self.fields],
            }
        )

    def __repr__(self) -> str:
        renamed = sum(c != f for c, f in self.fields)
        style = f", style={self.style}" if self.style else ""
        return (
            f"ExportResult({self.driver} {str(self.path)!r}, layer={self.layer!r}, "
            f"{self.n_features} features, {len(self.fields)} fields ({renamed} renamed), "
            f"crs={self.crs}{style})"
        )


# --------------------------------------------------------------------------------------------
# public entry point


def export(
    gdf: object,
    path: str | Path,
    layer: str | None = None,
    style: str | _styles.CategorizedStyle | _styles.GraduatedStyle | None = None,
    overwrite: bool = False,
    *,
    lang: str = "both",
) -> ExportResult:
    """Write ``gdf`` to a GeoPackage or Shapefile that QGIS opens already styled.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        One row per region with a CRS (spatialinno layers are EPSG:4490, CGCS2000). All
        geometries must be of one kind (polygons, lines or points); Polygon and MultiPolygon are
        written together as MultiPolygon. A named index is written as column(s); an unnamed one
        (e.g. the RangeIndex of :func:`spatialinno.load_boundaries`) is not.
    path : str or pathlib.Path
        ``.gpkg`` (GeoPackage, the default when there is no extension) or ``.shp`` (Shapefile).
        Missing parent directories are created.
    layer : str, optional
        GeoPackage layer name (default: the file stem). Other layers in an existing GeoPackage are
        left intact. A Shapefile holds one layer named after the file, so ``layer`` must be
        omitted or equal the stem.
    style : {"lisa", "hotspots"}, CategorizedStyle, GraduatedStyle, optional
        QGIS style: ``"lisa"`` (column ``lisa_cluster``), ``"hotspots"`` (column ``gi_bin``), a
        :class:`~spatialinno.styles.CategorizedStyle` or a
        :class:`~spatialinno.styles.GraduatedStyle` (``styles.graduated(column, scheme, k)``).
        A graduated style is resolved on the exported values, so its breaks equal those of the map
        drawn from the same frame. GeoPackage: stored in ``layer_styles`` as the layer's default.
        Shapefile: written to ``<name>.qml``.
    overwrite : bool
        Replace an existing Shapefile (all its parts) or an existing GeoPackage *layer* of the same
        name (other layers are kept). Default False: an existing file/layer raises ``ExportError``.
    lang : {"both", "zh", "en"}
        Legend labels of the style: bilingual ``"高-高集聚 / High-High"`` (default), Chinese or
        English.

    Returns
    -------
    ExportResult
        Path, layer, driver, feature count, CRS, ``(column, field)`` name pairs, style location
        and the files written; ``.to_frame()`` lists the field names.

    Raises
    ------
    ExportError
        Unknown extension, existing file or layer without ``overwrite=True``, no CRS, mixed
        geometry kinds, columns that no format can hold (lists, mixed text/numbers, time spans).
    ColumnError
        The style's column is not in the frame.

    Warns
    -----
    ExportWarning
        Shapefile only: values DBF cannot hold are converted, naming the columns: text over 254
        bytes (cut at a character boundary), integers over 18 digits (written as text), datetimes
        (written as ISO 8601 text), floats smaller than DBF's 15 decimals can represent.

    Notes
    -----
    Date-times: a GeoPackage keeps them to the millisecond (a warning names columns with finer
    times) and stores time-zone-aware ones in UTC, as the standard asks (same instants, read
    back in UTC); Python ``datetime.date`` values are written as ISO text (``2021-01-01``).

    QGIS' graduated renderer draws nothing for rows without a value (the folium maps draw them
    grey as "no data"); categorised styles get a grey "no data" category for them.

    Shapefile field names: non-ASCII names are mapped with :data:`ZH_TERMS` (研发人员 -> rd_staff)
    or, if a character is not covered, replaced by ``f_<position>``; then years are shortened
    (2021 -> 21), long English words abbreviated (:data:`EN_ABBREVIATIONS`, e.g. staff -> stf),
    vowels dropped and words cut until the name fits 10 bytes; clashes get ``_2``, ``_3``. See
    :func:`dbf_field_names`. The mapping is in ``<name>.fields.csv`` (UTF-8 with BOM so Excel
    shows the Chinese names) and in :attr:`ExportResult.fields`.

    Examples
    --------
    >>> import tempfile, pathlib, geopandas as gpd
    >>> import spatialinno as si
    >>> prov = si.load_boundaries("province")
    >>> prov["rd_staff_2021"] = prov["code"].str[:2].astype(int) * 1000.0
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> res = si.export(prov, out / "rd.gpkg", layer="rd_2021",
    ...                 style=si.styles.graduated("rd_staff_2021", k=5))
    >>> res.n_features, res.crs, res.style
    (34, 'EPSG:4490', 'layer_styles')
    >>> res = si.export(prov, out / "rd.shp", style=si.styles.graduated("rd_staff_2021", k=5))
    >>> dict(res.fields)["rd_staff_2021"]
    'rd_stf_21'
    >>> gpd.read_file(out / "rd.shp")["rd_stf_21"].equals(prov["rd_staff_2021"])
    True
    """
    frame = _check_frame(gdf)
    target, driver = _target(path)
    kind, promote = _geometry_kind(frame)
    frame = _plain_columns(frame)
    resolved = _resolve_style(style, frame)
    if driver == "GPKG":
        return _export_gpkg(frame, target, layer, resolved, overwrite, kind, promote, lang)
    return _export_shp(frame, target, layer, resolved, overwrite, kind, promote, lang)


# --------------------------------------------------------------------------------------------
# input checks


def _check_frame(gdf: object) -> pd.DataFrame:
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


def _target(path: str | Path) -> tuple[Path, str]:
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


def _geometry_kind(frame: pd.DataFrame) -> tuple[str, bool]:
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


def _resolve_style(
    style: object, frame: pd.DataFrame
) -> _styles.CategorizedStyle | _styles.GraduatedStyle | None:
    if style is None:
        return None
    if isinstance(style, str):
        key = style.strip().lower()
        if key == "lisa":
            style = _styles.LISA
        elif key in ("hotspots", "hotspot", "gi"):
            style = _styles.HOTSPOTS
        else:
            raise ExportError(
                f"unknown style {style!r}; use 'lisa', 'hotspots', a CategorizedStyle or "
                "styles.graduated(column, scheme, k)"
            )
    if not isinstance(style, (_styles.CategorizedStyle, _styles.GraduatedStyle)):
        raise ExportError(
            "style must be 'lisa', 'hotspots', a CategorizedStyle or a GraduatedStyle, "
            f"not {type(style).__name__}"
        )
    if style.column not in frame.columns:
        available = ", ".join(map(str, frame.columns.drop(frame.geometry.name)))
        hint = {
            "lisa_cluster": " (run si.lisa(gdf, column) first)",
            "gi_bin": " (run si.hotspots(gdf, column) first)",
        }.get(style.column, "")
        raise ColumnError(
            f"the style colours column {style.column!r}, which is not in the frame{hint}; "
            f"available columns: {available}"
        )
    if isinstance(style, _styles.GraduatedStyle):
        values = frame[style.column]
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            raise ExportError(
                f"a graduated style needs a numeric column, but {style.column!r} has dtype "
                f"{values.dtype}; convert it with pd.to_numeric or use a CategorizedStyle"
            )
        # Breaks are computed here, on the very values written to the file, with the same function
        # the maps use, so QGIS and the folium map draw the same classes.
        try:
            style = style.resolve(values.to_numpy(dtype=float, na_value=np.nan))
        except InputError as exc:  # e.g. no finite value: say which column
            raise ExportError(
                f"cannot classify column {style.column!r} for the style: {exc}"
            ) from None
    return style


def _plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
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


# --------------------------------------------------------------------------------------------
# GeoPackage


def _existing_gpkg_layers(path: Path) -> list[str]:
    import pyogrio

    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # not a GeoPackage / unreadable: never clobber it silently
        raise ExportError(
            f"{str(path)!r} exists but cannot be opened as a GeoPackage ({exc}); "
            "choose another file name or delete it"
        ) from None


def _export_gpkg(
    frame: pd.DataFrame,
    path: Path,
    layer: str | None,
    style: _styles.CategorizedStyle | _styles.GraduatedStyle | None,
    overwrite: bool,
    kind: str,
    promote: bool,
    lang: str,
) -> ExportResult:

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
    if exists:
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
    else:
        path.parent.mkdir(parents=True, exist_ok=True)

    docs: tuple[str, str] | None = None
    if style is not None:  # built first: a style problem must not leave a half-done export
        docs = style_documents(
            style,
            kind,
            layer=name,
            lang=lang,
            other=_needs_other(style, frame[style.column]),
            no_data_when=_hotspot_no_data(style, frame),
        )
    _warn_sub_millisecond(frame)
    frame = frame.copy()
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.DatetimeTZDtype):
            # the GeoPackage standard stores date-times in UTC ("...Z"); GDAL would write the
            # +08:00 offset, which GDAL and QGIS then flag as non-conformant on every read.
            # The instants are unchanged; they read back in UTC.
            frame[col] = frame[col].dt.tz_convert("UTC")
    geom_col = _free_name("geom", frame.columns.drop(frame.geometry.name))
    layer_options = {"GEOMETRY_NAME": geom_col}
    if any(str(c).lower() == "fid" for c in frame.columns):
        # GDAL would take a column called "fid" as the feature id and drop it from the fields;
        # give the id another name so the user's column is kept as data.
        layer_options["FID"] = _free_name("gpkg_fid", frame.columns)
    # VERSION=1.2: QGIS 3.22 warns that GPKG 1.4 (the default of recent GDAL) is newer than it
    # supports. It is a dataset option, so it only applies when the file is created.
    dataset_options = None if exists else {"VERSION": "1.2"}
    _write(
        frame,
        path,
        name,
        "GPKG",
        promote,
        layer_options=layer_options,
        dataset_options=dataset_options,
    )
    fields = tuple((c, c) for c in frame.columns if c != frame.geometry.name)
    _check_written_fields(path, name, [f for _, f in fields])

    where: str | None = None
    if docs is not None:
        _store_gpkg_style(path, name, geom_col, docs[0], docs[1], _style_title(style))
        where = GPKG_LAYER_STYLES
    elif overwrite:
        _drop_gpkg_style(path, name)  # a replaced layer must not keep a style for old columns
    return ExportResult(
        path=path,
        layer=name,
        driver="GPKG",
        n_features=len(frame),
        crs=_crs_text(frame),
        fields=fields,
        style=where,
        files=(path,),
    )


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


def _store_gpkg_style(
    path: Path, layer: str, geom_col: str, qml: str, sld: str, title: str
) -> None:
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


# --------------------------------------------------------------------------------------------
# Shapefile


def _export_shp(
    frame: pd.DataFrame,
    path: Path,
    layer: str | None,
    style: _styles.CategorizedStyle | _styles.GraduatedStyle | None,
    overwrite: bool,
    kind: str,
    promote: bool,
    lang: str,
) -> ExportResult:
    stem = path.name[: -len(path.suffix)]
    if layer is not None and layer != stem:
        raise ExportError(
            f"a Shapefile holds one layer named after its file ({stem!r}), so layer={layer!r} "
            f"cannot be used; name the file {layer}.shp, or write a GeoPackage (.gpkg) for named "
            "layers"
        )
    parts = [path.with_name(stem + ext) for ext in SHAPEFILE_PARTS]
    existing = [p for p in parts if p.exists()]
    if existing and not overwrite:
        raise ExportError(
            f"{', '.join(p.name for p in existing)} already exist(s) in {str(path.parent)!r}; "
            "pass overwrite=True to replace the Shapefile (all its parts) or choose another name"
        )
    columns = [c for c in frame.columns if c != frame.geometry.name]
    if len(columns) > DBF_MAX_FIELDS:
        raise ExportError(
            f"a Shapefile's DBF holds at most {DBF_MAX_FIELDS} fields, the frame has "
            f"{len(columns)}; select fewer columns or write a GeoPackage (.gpkg)"
        )
    names = dbf_field_names(columns)
    data, notes = _dbf_values(frame, columns, names)
    data = data.rename(columns=names)

    qml: str | None = None
    if style is not None:  # built first: a style problem must not leave half an export behind
        other = _needs_other(style, frame[style.column])
        no_data = [(names[c], v) for c, v in _hotspot_no_data(style, frame)]
        qml, _sld = style_documents(
            style,
            kind,
            column=names[style.column],
            layer=stem,
            lang=lang,
            other=other,
            no_data_when=no_data,
        )

    path.parent.mkdir(parents=True, exist_ok=True)
    # Write into a staging folder next to the target and move the parts into place only when
    # everything is written, so a failed overwrite never destroys the previous export.
    staging = Path(tempfile.mkdtemp(prefix=f".{stem}-", dir=path.parent))
    try:
        staged = staging / path.name
        _write(data, staged, stem, "ESRI Shapefile", promote, encoding="UTF-8")
        _check_written_fields(staged, stem, [names[c] for c in columns])
        cpg = staged.with_name(stem + ".cpg")
        if not cpg.exists():  # GDAL writes it with ENCODING=UTF-8; make sure QGIS never guesses
            cpg.write_text("UTF-8", encoding="ascii")
        prj = staged.with_name(stem + ".prj")
        if not prj.exists():
            prj.write_text(frame.crs.to_wkt(version="WKT1_ESRI"), encoding="ascii")
        fields = pd.DataFrame(
            {
                "field": [names[c] for c in columns],
                "column": columns,
                "type": [str(data[names[c]].dtype) for c in columns],
                "note": [notes.get(c, "") for c in columns],
            }
        )  # column names are user text: written safe to open in Excel (see _escape.csv_cell)
        write_csv(fields, staged.with_name(stem + ".fields.csv"), encoding="utf-8-sig")
        if qml is not None:
            staged.with_name(stem + ".qml").write_text(qml, encoding="utf-8")
        for p in existing:
            p.unlink()  # every old part goes: a stale .qix or .qml would not match the data
        files = []
        for ext in SHAPEFILE_PARTS:
            part = staged.with_name(stem + ext)
            if part.exists():
                os.replace(part, path.with_name(stem + ext))
                files.append(path.with_name(stem + ext))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    where = str(path.with_name(stem + ".qml")) if qml is not None else None
    return ExportResult(
        path=path,
        layer=stem,
        driver="ESRI Shapefile",
        n_features=len(frame),
        crs=_crs_text(frame),
        fields=tuple((c, names[c]) for c in columns),
        style=where,
        files=tuple(files),
    )


def _dbf_values(
    frame: pd.DataFrame, columns: Sequence[str], names: dict[str, str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Convert the values DBF cannot hold, warning once per kind of loss with the column names."""
    out = frame.copy()
    notes: dict[str, str] = {}
    labels = region_labels(frame)
    long_text: list[str] = []
    big_ints: list[str] = []
    dates: list[str] = []
    tiny: list[str] = []
    for col in columns:
        s = out[col]
        short = names[col]
        renamed = f"field {short!r}; " if short != col else ""
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = _iso_text(s)
            notes[col] = renamed + "datetime written as ISO 8601 text"
            dates.append(col)
        elif pd.api.types.is_integer_dtype(s) and not pd.api.types.is_bool_dtype(s):
            v = s.dropna()
            too_wide = v.astype(str).str.len() > DBF_INT_CHARS
            if too_wide.any():
                out[col] = s.astype("string").astype(object).where(s.notna(), None)
                first = too_wide.idxmax()
                notes[col] = renamed + f"integers over {DBF_INT_CHARS} digits: written as text"
                big_ints.append(
                    f"{col!r} ({too_wide.sum()} values, first {v.loc[first]} at "
                    f"{labels.loc[first]})"
                )
        elif pd.api.types.is_float_dtype(s):
            x = s.to_numpy(dtype=float, na_value=np.nan)
            with np.errstate(invalid="ignore", divide="ignore"):
                rel = np.abs(np.round(x, DBF_DECIMALS) - x) / np.abs(x)
            lossy = np.isfinite(rel) & (rel > 1e-9)
            if lossy.any():
                smallest = float(np.nanmin(np.abs(x[lossy])))
                notes[col] = renamed + f"{DBF_DECIMALS} decimals: values below ~1e-6 lose digits"
                tiny.append(f"{col!r} ({int(lossy.sum())} values, smallest {smallest:.3g})")
        elif pd.api.types.is_string_dtype(s) or s.dtype == object:
            text = s.dropna()
            text = text[text.map(lambda t: isinstance(t, str))]
            nbytes = text.map(lambda t: len(t.encode("utf-8")))
            over = nbytes > DBF_TEXT_BYTES
            if over.any():
                cut = text[over].map(_cut_utf8)
                out[col] = s.astype(object)
                out.loc[cut.index, col] = cut
                first = over.idxmax()
                notes[col] = renamed + f"text cut to {DBF_TEXT_BYTES} bytes in {over.sum()} rows"
                long_text.append(
                    f"{col!r} ({over.sum()} values, longest {nbytes.max()} bytes, first at "
                    f"{labels.loc[first]})"
                )
        if col not in notes and short != col:
            notes[col] = "renamed: DBF field names hold at most 10 bytes"
    msgs = []
    if long_text:
        msgs.append(
            f"text longer than DBF's {DBF_TEXT_BYTES} bytes was cut at a character boundary in "
            + "; ".join(long_text)
        )
    if big_ints:
        msgs.append(
            f"integers wider than {DBF_INT_CHARS} characters would come back as rounded floats, "
            "so they were written as text in " + "; ".join(big_ints)
        )
    if dates:
        msgs.append(
            "DBF has no date-time type, so datetime column(s) "
            + ", ".join(map(repr, dates))
            + " were written as ISO 8601 text (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"
        )
    if tiny:
        msgs.append(
            f"DBF stores floats with {DBF_DECIMALS} decimals, so small values lose significant "
            "digits in " + "; ".join(tiny)
        )
    for m in msgs:
        warnings.warn(
            f"Shapefile export: {m}. A GeoPackage (.gpkg) keeps these values exactly.",
            ExportWarning,
            stacklevel=4,
        )
    return out, notes


def _iso_text(s: pd.Series) -> pd.Series:
    times = s.dt.tz_localize(None) if s.dt.tz is not None else s
    date_only = s.dt.tz is None and bool((times.dropna() == times.dropna().dt.normalize()).all())
    if date_only:
        text = s.dt.strftime("%Y-%m-%d")
    else:
        text = s.map(lambda t: t.isoformat() if pd.notna(t) else None)
    return text.astype(object).where(s.notna(), None)


def _cut_utf8(text: str, limit: int = DBF_TEXT_BYTES) -> str:
    """Longest prefix of ``text`` whose UTF-8 encoding fits ``limit`` bytes (never half a character).

    >>> _cut_utf8("北京市" * 100, 10)
    '北京市'
    """
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


# --------------------------------------------------------------------------------------------
# Shapefile field names


def dbf_field_names(columns: Iterable[str], limit: int = DBF_NAME_BYTES) -> dict[str, str]:
    """Safe, unique, readable ASCII field names of at most ``limit`` bytes, one per column.

    Names that already fit (ASCII letters, digits, ``_``, at most 10 bytes) are kept as they are;
    the others are transliterated (:data:`ZH_TERMS`; a name with an unmapped non-ASCII character
    becomes ``f_<1-based position>``) and shortened step by step until they fit: four-digit years
    to two digits, English words to :data:`EN_ABBREVIATIONS`, vowels dropped, the longest word
    cut, separators removed. Clashes (compared case-insensitively, like DBF readers do) get a
    ``_2``, ``_3`` suffix. The result never depends on anything but the column names and order.

    Parameters
    ----------
    columns : iterable of str
        Column names in the order they are written.
    limit : int
        Maximum field name length in bytes (10 for DBF).

    Returns
    -------
    dict
        ``{column: field name}``.

    Examples
    --------
    >>> dbf_field_names(["code", "rd_staff_2021", "rd_staff_2020", "研发人员", "名称"])
    {'code': 'code', 'rd_staff_2021': 'rd_stf_21', 'rd_staff_2020': 'rd_stf_20', \
'研发人员': 'rd_staff', '名称': 'name'}
    >>> dbf_field_names(["population_total", "lisa_cluster", "省会首位度指标"])
    {'population_total': 'pop_total', 'lisa_cluster': 'lisa_clus', '省会首位度指标': 'f_03'}
    """
    columns = list(columns)
    out: dict[str, str] = {}
    taken: set[str] = set()
    # Names that are already valid keep priority, so a shortened name never takes them.
    for col in columns:
        if _valid_dbf_name(col, limit) and col.lower() not in taken:
            out[col] = col
            taken.add(col.lower())
    width = max(2, len(str(len(columns))))
    for pos, col in enumerate(columns, start=1):
        if col in out:
            continue
        ascii_ = _ascii_name(col, pos, width)
        name = _shorten(ascii_, limit)
        k = 2
        while name.lower() in taken:
            # shorten the name again to make room for the suffix, rather than cutting its end:
            # rd_staff_2021 next to an existing rd_stf_21 becomes rd_st_21_2, not rd_stf_2_2
            suffix = f"_{k}"
            name = _shorten(ascii_, limit - len(suffix)).rstrip("_") + suffix
            k += 1
        out[col] = name
        taken.add(name.lower())
    return {c: out[c] for c in columns}


def _valid_dbf_name(name: str, limit: int) -> bool:
    return (
        re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) is not None
        and len(name.encode("ascii")) <= limit
    )


def _ascii_name(name: str, pos: int, width: int) -> str:
    """ASCII letters, digits and ``_`` only, starting with a letter."""
    # NFKC folds full-width forms (（）％２０２１) to ASCII; NFKD + dropping combining marks
    # turns accented Latin letters into plain ones.
    text = unicodedata.normalize("NFKC", name)
    pieces: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if _CJK.match(ch):
            for n in range(min(7, len(text) - i), 0, -1):
                term = ZH_TERMS.get(text[i : i + n])
                if term is not None:
                    pieces.append(f"_{term}_")
                    i += n
                    break
            else:
                return f"f_{pos:0{width}d}"  # not covered: positional name, documented in sidecar
            continue
        if ord(ch) >= 128:
            folded = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            if not folded.isascii():
                return f"f_{pos:0{width}d}"
            ch = folded
        pieces.append(ch)
        i += 1
    ascii_ = re.sub(r"[^A-Za-z0-9]+", "_", "".join(pieces)).strip("_")
    if not ascii_:
        return f"f_{pos:0{width}d}"
    if not ascii_[0].isalpha():
        ascii_ = "f" + ascii_  # dBASE field names start with a letter
    return ascii_


_TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def _shorten(name: str, limit: int) -> str:
    """Shorten an ASCII name to ``limit`` bytes, keeping numbers and word starts readable."""
    if len(name) <= limit:
        return name
    # Words: split at "_", at letter/digit boundaries and at camelCase humps, remembering which
    # words were separated by "_" so the name is put back together the same way.
    tokens: list[str] = []
    seps: list[str] = []
    for k, part in enumerate(p for p in name.split("_") if p):
        for j, tok in enumerate(_TOKEN.findall(part)):
            tokens.append(tok)
            seps.append("_" if k > 0 and j == 0 else "")

    def joined() -> str:
        return "".join(sep + tok for sep, tok in zip(seps, tokens, strict=True))

    def shrink_words(step: Callable[[str], str]) -> None:
        # apply ``step`` to the longest word first, until the name fits or no word changes
        while len(joined()) > limit:
            order = sorted(
                (i for i, t in enumerate(tokens) if t.isalpha() and step(t) != t),
                key=lambda i: (-len(tokens[i]), i),
            )
            if not order:
                return
            tokens[order[0]] = step(tokens[order[0]])

    # 1. years: 2021 -> 21. Numbers are what tell rd_staff_2020 from rd_staff_2021 (or 10000
    #    from 1000), so apart from years they are never shortened.
    tokens = [t[2:] if _YEAR.match(t) else t for t in tokens]
    # 2. known abbreviations (population -> pop), 3. vowels dropped (staff -> stf)
    shrink_words(_abbreviate)
    shrink_words(_drop_vowels)
    # 4. cut words, one letter at a time, down to 3 letters
    shrink_words(lambda t: t[:-1] if len(t) > 3 else t)
    # 5. drop "_" between a word and a number (age_15 -> age15), left to right
    for i in range(1, len(tokens)):
        if len(joined()) <= limit:
            break
        if seps[i] and tokens[i - 1][-1].isdigit() != tokens[i][0].isdigit():
            seps[i] = ""
    # 6. cut words down to 2 letters, 7. drop every separator, 8. cut the end
    shrink_words(lambda t: t[:-1] if len(t) > 2 else t)
    if len(joined()) > limit:
        seps = [""] * len(seps)
    return joined()[:limit]  # the caller restores uniqueness with _2, _3 ...


def _abbreviate(token: str) -> str:
    abbr = EN_ABBREVIATIONS.get(token.lower())
    if abbr is None:
        return token
    return abbr.upper() if token.isupper() else abbr


def _drop_vowels(token: str) -> str:
    if len(token) <= 3:
        return token
    rest = re.sub(r"[aeiouAEIOU]", "", token[1:])
    squeezed = re.sub(r"(.)\1+", r"\1", token[0] + rest)  # staff -> stff -> stf
    return squeezed if len(squeezed) >= 2 else token


# --------------------------------------------------------------------------------------------
# shared helpers


def _write(
    frame: pd.DataFrame,
    path: Path,
    layer: str,
    driver: str,
    promote: bool,
    **kwargs: object,
) -> None:
    import pyogrio

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            pyogrio.write_dataframe(
                frame,
                path,
                layer=layer,
                driver=driver,
                promote_to_multi=True if promote else None,
                **kwargs,
            )
        except Exception as exc:
            raise ExportError(f"writing layer {layer!r} to {str(path)!r} failed: {exc}") from exc
    for w in caught:
        # GDAL's own warnings (renamed fields, truncated values) would mean data changed without
        # the checks above noticing; surface them instead of letting them scroll by.
        if "laundered" in str(w.message) or "truncated" in str(w.message):
            raise ExportError(
                f"GDAL changed the data while writing {str(path)!r}: {w.message}; please report "
                "this with the column names"
            )
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _check_written_fields(path: Path, layer: str, expected: Sequence[str]) -> None:
    import pyogrio

    written = [str(f) for f in pyogrio.read_info(path, layer=layer)["fields"]]
    if written != list(expected):
        raise ExportError(
            f"the fields written to {str(path)!r} ({written}) differ from the expected "
            f"{list(expected)}; the file was not written as intended"
        )


def _free_name(preferred: str, taken: Iterable[object]) -> str:
    lowered = {str(t).lower() for t in taken}
    name, k = preferred, 1
    while name.lower() in lowered:
        name = f"{preferred}_{k}"
        k += 1
    return name


def _needs_other(
    style: _styles.CategorizedStyle | _styles.GraduatedStyle, values: pd.Series
) -> bool:
    """True when some values (or NULLs) have no category: they get the "no data" catch-all."""
    if not isinstance(style, _styles.CategorizedStyle):
        return False
    known = {_key(c.value) for c in style.categories}
    present = {_key(v) for v in values.dropna().unique()}
    unknown = present - known
    if unknown:
        listed = ", ".join(sorted(map(repr, unknown))[:10])
        warnings.warn(
            f"column {style.column!r} has value(s) {listed} that the style has no category for; "
            "QGIS draws them as 'no data' (grey), like the maps",
            ExportWarning,
            stacklevel=4,
        )
    return bool(unknown) or bool(values.isna().any())


def _hotspot_no_data(
    style: _styles.CategorizedStyle | _styles.GraduatedStyle, frame: pd.DataFrame
) -> list[tuple[str, object]]:
    """Conditions under which a Gi* row is no data although its bin is set (as in the maps).

    ``si.hotspots`` keeps every unit and gives those without data ``gi_bin`` 0 with ``gi_z``
    NULL and ``gi_cluster`` "no data"; :func:`spatialinno.hotspot_map` draws them as no data,
    so the QGIS style does the same. Only conditions that change some row are returned, so a
    layer without such rows keeps a plain field renderer that users can edit as usual.
    """
    if not isinstance(style, _styles.CategorizedStyle):
        return []
    if {_key(c.value) for c in style.categories} != {
        _key(c.value) for c in _styles.HOTSPOTS.categories
    }:
        return []
    has_bin = frame[style.column].notna()
    out: list[tuple[str, object]] = []
    if "gi_z" in frame.columns:
        z_missing = pd.to_numeric(frame["gi_z"], errors="coerce").isna()
        if (z_missing & has_bin).any():
            out.append(("gi_z", None))
    if "gi_cluster" in frame.columns:
        no_data = frame["gi_cluster"].astype(object).eq("no data")
        if (no_data & has_bin).any():
            out.append(("gi_cluster", "no data"))
    return out


def _key(v: object) -> object:
    # gi_bin may be float (because of NaN): 3.0 and 3 are the same category
    if isinstance(v, (float, np.floating)) and math.isfinite(v) and float(v).is_integer():
        return int(v)
    if isinstance(v, np.integer):
        return int(v)
    return v


def _style_title(style: _styles.CategorizedStyle | _styles.GraduatedStyle) -> str:
    zh, en = getattr(style, "title_zh", ""), getattr(style, "title_en", "")
    if zh or en:
        return " / ".join(t for t in (zh, en) if t)
    return f"{type(style).__name__} on {style.column}"


def _crs_text(frame: pd.DataFrame) -> str:
    auth = frame.crs.to_authority()
    return f"{auth[0]}:{auth[1]}" if auth else frame.crs.to_string()
