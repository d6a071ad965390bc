"""The Shapefile writer: ``.shp .shx .dbf .prj .cpg``, the field-name map, the ``.qml`` style and
the ``.qmd`` metadata (the layer's title).

Field names are made safe for DBF (:mod:`spatialinno.qgis.fields`: ASCII, at most 10 bytes,
unique, readable), a sidecar ``<name>.fields.csv`` maps each short field to the full column name,
UTF-8 is declared in ``.cpg``, and the style is written as ``<name>.qml`` next to the ``.shp``
(QGIS loads a same-named ``.qml`` by default) referring to the short field names; a title (the
column's label and unit) is written as the layer's QGIS metadata, ``<name>.qmd``, which QGIS
loads the same way (:func:`spatialinno.qgis.project.metadata_xml`). Values DBF
cannot hold are converted with a warning that names the columns. The parts are written into a
staging folder and moved into place only when all are written, so a failed overwrite never
destroys the previous export.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import ExportError, ExportWarning
from .._escape import write_csv
from .._validate import region_labels
from .fields import dbf_field_names
from .project import metadata_xml
from .writing import (
    ExportResult,
    Style,
    check_written_fields,
    export_result,
    layer_style,
    write_layer,
)

__all__ = [
    "DBF_DECIMALS",
    "DBF_INT_CHARS",
    "DBF_MAX_FIELDS",
    "DBF_TEXT_BYTES",
    "SHAPEFILE_PARTS",
    "export_shp",
]


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

DBF_TEXT_BYTES = 254  # longest DBF character field
DBF_MAX_FIELDS = 255  # dBASE III limit; QGIS/ArcGIS refuse or misread wider tables
# GDAL reads a numeric DBF field wider than 18 characters as Real, so an integer needs at most
# 18 characters including the minus sign to come back as an integer (measured with GDAL 3.12:
# 999999999999999999 -> int64, -100000000000000000 -> float64).
DBF_INT_CHARS = 18
# GDAL writes Real fields as N(24, 15): 15 decimals; smaller magnitudes lose significant digits.
DBF_DECIMALS = 15


def _parts(path: Path, layer: str | None, overwrite: bool) -> tuple[str, list[Path]]:
    """The file stem (the layer name) and the parts of an existing Shapefile to replace."""
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
    return stem, existing


def export_shp(
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
    """Write ``frame`` as the Shapefile ``path`` with its sidecars (see :func:`spatialinno.export`);
    ``title``: the layer's human title, written to ``<name>.qmd`` (title and abstract)."""
    stem, existing = _parts(path, layer, overwrite)
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
        qml, _sld = layer_style(style, frame, kind, layer=stem, lang=lang, names=names)
    fields = pd.DataFrame(
        {
            "field": [names[c] for c in columns],
            "column": columns,
            "type": [str(data[names[c]].dtype) for c in columns],
            "note": [notes.get(c, "") for c in columns],
        }
    )
    qmd = None
    if title is not None and str(title).strip():
        shown = str(title).strip()
        qmd = metadata_xml(stem, shown, shown, lang if lang in ("zh", "en") else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    files = _write_parts(data, frame, path, stem, existing, promote, fields, qml, qmd)
    where = str(path.with_name(stem + ".qml")) if qml is not None else None
    fields_written = [(c, names[c]) for c in columns]
    return export_result(frame, path, stem, "ESRI Shapefile", fields_written, where, files)


def _write_parts(
    data: pd.DataFrame,
    frame: pd.DataFrame,
    path: Path,
    stem: str,
    existing: Sequence[Path],
    promote: bool,
    fields: pd.DataFrame,
    qml: str | None,
    qmd: bytes | None = None,
) -> list[Path]:
    """Write every part into a staging folder beside ``path``, then move them into place."""
    # Write into a staging folder next to the target and move the parts into place only when
    # everything is written, so a failed overwrite never destroys the previous export.
    staging = Path(tempfile.mkdtemp(prefix=f".{stem}-", dir=path.parent))
    try:
        staged = staging / path.name
        write_layer(data, staged, stem, "ESRI Shapefile", promote, encoding="UTF-8")
        check_written_fields(staged, stem, list(fields["field"]))
        cpg = staged.with_name(stem + ".cpg")
        if not cpg.exists():  # GDAL writes it with ENCODING=UTF-8; make sure QGIS never guesses
            cpg.write_text("UTF-8", encoding="ascii")
        prj = staged.with_name(stem + ".prj")
        if not prj.exists():
            prj.write_text(frame.crs.to_wkt(version="WKT1_ESRI"), encoding="ascii")
        # column names are user text: written safe to open in Excel (see _escape.csv_cell)
        write_csv(fields, staged.with_name(stem + ".fields.csv"), encoding="utf-8-sig")
        if qml is not None:
            staged.with_name(stem + ".qml").write_text(qml, encoding="utf-8")
        if qmd is not None:
            staged.with_name(stem + ".qmd").write_bytes(qmd)
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
    return files


def _dbf_column(s: pd.Series, labels: pd.Series) -> tuple[pd.Series | None, str, str, str]:
    """One column made DBF-safe: ``(new values or None, note, kind of loss, what was lost)``.

    ``note`` is empty when nothing changes; the kinds are ``text``, ``ints``, ``dates``, ``tiny``.
    """
    col = s.name
    if pd.api.types.is_datetime64_any_dtype(s):
        return _iso_text(s), "datetime written as ISO 8601 text", "dates", repr(col)
    if pd.api.types.is_integer_dtype(s) and not pd.api.types.is_bool_dtype(s):
        v = s.dropna()
        too_wide = v.astype(str).str.len() > DBF_INT_CHARS
        if too_wide.any():
            first = too_wide.idxmax()
            return (
                s.astype("string").astype(object).where(s.notna(), None),
                f"integers over {DBF_INT_CHARS} digits: written as text",
                "ints",
                f"{col!r} ({too_wide.sum()} values, first {v.loc[first]} at {labels.loc[first]})",
            )
    elif pd.api.types.is_float_dtype(s):
        x = s.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            rel = np.abs(np.round(x, DBF_DECIMALS) - x) / np.abs(x)
        lossy = np.isfinite(rel) & (rel > 1e-9)
        if lossy.any():
            smallest = float(np.nanmin(np.abs(x[lossy])))
            note = f"{DBF_DECIMALS} decimals: values below ~1e-6 lose digits"
            return (
                None,
                note,
                "tiny",
                f"{col!r} ({int(lossy.sum())} values, smallest {smallest:.3g})",
            )
    elif pd.api.types.is_string_dtype(s) or s.dtype == object:
        text = s.dropna()
        text = text[text.map(lambda t: isinstance(t, str))]
        nbytes = text.map(lambda t: len(t.encode("utf-8")))
        over = nbytes > DBF_TEXT_BYTES
        if over.any():
            new = s.astype(object)
            new.loc[over[over].index] = text[over].map(_cut_utf8)
            first = over.idxmax()
            return (
                new,
                f"text cut to {DBF_TEXT_BYTES} bytes in {over.sum()} rows",
                "text",
                f"{col!r} ({over.sum()} values, longest {nbytes.max()} bytes, first at "
                f"{labels.loc[first]})",
            )
    return None, "", "", ""


def _loss_messages(lost: dict[str, list[str]]) -> list[str]:
    msgs = []
    if lost["text"]:
        msgs.append(
            f"text longer than DBF's {DBF_TEXT_BYTES} bytes was cut at a character boundary in "
            + "; ".join(lost["text"])
        )
    if lost["ints"]:
        msgs.append(
            f"integers wider than {DBF_INT_CHARS} characters would come back as rounded floats, "
            "so they were written as text in " + "; ".join(lost["ints"])
        )
    if lost["dates"]:
        msgs.append(
            "DBF has no date-time type, so datetime column(s) "
            + ", ".join(lost["dates"])
            + " were written as ISO 8601 text (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"
        )
    if lost["tiny"]:
        msgs.append(
            f"DBF stores floats with {DBF_DECIMALS} decimals, so small values lose significant "
            "digits in " + "; ".join(lost["tiny"])
        )
    return msgs


def _dbf_values(
    frame: pd.DataFrame, columns: Sequence[str], names: dict[str, str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Convert the values DBF cannot hold, warning once per kind of loss with the column names."""
    out = frame.copy()
    notes: dict[str, str] = {}
    labels = region_labels(frame)
    lost: dict[str, list[str]] = {"text": [], "ints": [], "dates": [], "tiny": []}
    for col in columns:
        short = names[col]
        renamed = f"field {short!r}; " if short != col else ""
        new, note, kind, what = _dbf_column(out[col], labels)
        if new is not None:
            out[col] = new
        if note:
            notes[col] = renamed + note
            lost[kind].append(what)
        elif short != col:
            notes[col] = "renamed: DBF field names hold at most 10 bytes"
    for m in _loss_messages(lost):
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
