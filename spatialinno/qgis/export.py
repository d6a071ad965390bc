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

The writers live in :mod:`spatialinno.qgis.gpkg` and :mod:`spatialinno.qgis.shapefile`, the frame
checks in :mod:`spatialinno.qgis.frame`, the Shapefile field names in :mod:`spatialinno.qgis.fields`
and the QGIS style documents in :mod:`spatialinno.qgis.qml` and :mod:`spatialinno.qgis.sld`.

Styles come from :mod:`spatialinno.styles`, the same objects the folium maps use, so the QGIS
layer shows the same colours, class breaks and (bilingual) labels as the map.

CRS: the layer is written in the frame's CRS (EPSG:4490, CGCS2000, for spatialinno boundaries);
the Shapefile gets a ``.prj`` that QGIS and geopandas read back as EPSG:4490.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import styles as _styles
from .._errors import ColumnError, ExportError, InputError
from ..measures import results
from .fields import DBF_NAME_BYTES, EN_ABBREVIATIONS, ZH_TERMS, dbf_field_names
from .frame import FORMATS, check_frame, geometry_kind, plain_columns, target_path
from .gpkg import GPKG_LAYER_STYLES, export_gpkg
from .shapefile import (
    DBF_DECIMALS,
    DBF_INT_CHARS,
    DBF_MAX_FIELDS,
    DBF_TEXT_BYTES,
    SHAPEFILE_PARTS,
    export_shp,
)
from .writing import ExportResult

# the constants and helpers of the writers are named here too, where the first layout had them
__all__ = [
    "DBF_DECIMALS",
    "DBF_INT_CHARS",
    "DBF_MAX_FIELDS",
    "DBF_NAME_BYTES",
    "DBF_TEXT_BYTES",
    "EN_ABBREVIATIONS",
    "FORMATS",
    "GPKG_LAYER_STYLES",
    "SHAPEFILE_PARTS",
    "STYLE_NAMES",
    "ZH_TERMS",
    "ExportResult",
    "dbf_field_names",
    "export",
]

STYLE_NAMES: tuple[str, ...] = ("lisa", "hotspots")
# what to run before a style's column exists in the frame
_HINTS = {
    results.LISA.klass: " (run si.lisa(gdf, column) first)",
    results.GI.klass: " (run si.hotspots(gdf, column) first)",
}


def export(
    gdf: object,
    path: str | Path,
    layer: str | None = None,
    style: str | _styles.CategorizedStyle | _styles.GraduatedStyle | None = None,
    overwrite: bool = False,
    *,
    lang: str = "both",
    title: str | None = None,
) -> ExportResult:
    """Write ``gdf`` to a GeoPackage or Shapefile that QGIS opens already styled.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        One row per region with a CRS (spatialinno layers: EPSG:4490), geometries of one kind
        (polygons, lines or points; Polygon and MultiPolygon are written as MultiPolygon). A
        named index is written as column(s), an unnamed one (a RangeIndex) is not.
    path : str or pathlib.Path
        ``.gpkg`` (GeoPackage, the default when there is no extension) or ``.shp`` (Shapefile).
        Missing parent directories are created.
    layer : str, optional
        GeoPackage layer name (default: the file stem); other layers of the file are left intact.
        A Shapefile holds one layer named after the file: omit ``layer`` or give the stem.
    style : {"lisa", "hotspots"}, CategorizedStyle, GraduatedStyle, optional
        QGIS style: ``"lisa"`` (column ``lisa_cluster``), ``"hotspots"`` (column ``gi_bin``) or a
        style of :mod:`spatialinno.styles` (e.g. ``styles.graduated(column, scheme, k)``, resolved
        on the exported values, so its breaks equal those of the map of the same frame).
        GeoPackage: stored in ``layer_styles`` as the layer's default; Shapefile: ``<name>.qml``.
    overwrite : bool
        Replace an existing Shapefile (all its parts) or an existing GeoPackage *layer* of the same
        name (other layers are kept). Default False: an existing file/layer raises ``ExportError``.
    lang : {"both", "zh", "en"}
        Legend labels: bilingual ``"高-高集聚 / High-High"`` (default), Chinese or English.
    title : str, optional
        The layer's human title (a label and unit: ``"研发经费（万元）：LISA 聚类"``), which QGIS
        shows as the layer's metadata title and abstract. GeoPackage: ``gpkg_contents.identifier``
        and ``description``; Shapefile: ``<name>.qmd``, the QGIS metadata file QGIS loads with the
        layer (QGIS' Layers panel still *names* a Shapefile layer after its file; the project of
        :func:`spatialinno.qgis.project.write_shapefile_project` lists it under its title).
        The layer and file names stay as given.

    Returns
    -------
    ExportResult
        What was written: path, layer, CRS, ``(column, field)`` pairs, style, files.

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
        Shapefile only, naming the columns: values DBF cannot hold are converted (long text,
        huge integers, datetimes as ISO 8601 text, floats below 15 decimals).

    Notes
    -----
    Categorised styles get a grey "no data" category for rows without a value. Date-times: see
    :mod:`spatialinno.qgis.gpkg`; Shapefile field names: :func:`dbf_field_names`.

    Examples
    --------
    >>> import tempfile, pathlib, spatialinno as si
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
    """
    frame = check_frame(gdf)
    target, driver = target_path(path)
    kind, promote = geometry_kind(frame)
    frame = plain_columns(frame)
    resolved = _resolve_style(style, frame)
    write = export_gpkg if driver == "GPKG" else export_shp
    return write(frame, target, layer, resolved, overwrite, kind, promote, lang, title)


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
        hint = _HINTS.get(style.column, "")
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
