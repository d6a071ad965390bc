"""What a map draws: the rows of the user's frame with the geometry and names to draw them with.

Rows whose ``code`` matches a boundary layer are drawn with that layer's *simplified* geometry
(``load_boundaries(level, simplified=True)``: identical neighbours, coordinates rounded to 5
decimals, a prefecture map well under 1.5 MB); frames without codes are drawn with their own
geometry in EPSG:4490. Bad input gets an error that names the rows and says what to do.

>>> import spatialinno as si
>>> t = si.load_dataset("zhao2025_table2").query("year == 2023")
>>> g = display_frame(t, "table")
>>> len(g), g.crs.to_epsg(), g.loc[g["code"] == "410000", "name_en"].iloc[0]
(26, 4490, 'Henan')
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from .._errors import ColumnError, DataWarning, InputError
from .._validate import POLYGON_LEVELS, region_labels
from ..styles import MAP_TEXT, TEXT, column_label
from ..tables.labels import label_of
from .base import boundary_layer

__all__ = [
    "CODE_INDEX_NAMES",
    "display_frame",
    "frame_codes",
    "measure_table",
    "name_rows",
    "plain",
    "result_label",
    "result_unit",
    "row_labels",
]

# columns a map may show or group by, taken from the boundary layer when the frame lacks them
_LAYER_COLUMNS = ("name", "name_en", "province", "region", "coastal", "is_capital")


def row_labels(frame: pd.DataFrame) -> list[str]:
    """Distinct row labels for messages: name (or province / city column) and code."""
    for col in ("name", "province", "city", "cityName_CN"):
        if col in frame.columns:
            named = frame[col].astype("string").fillna("?")
            if "code" in frame.columns:
                named = named + " (" + frame["code"].astype("string") + ")"
            return list(dict.fromkeys(named.tolist()))
    return list(dict.fromkeys(region_labels(frame).tolist()))


def plain(value: object) -> object:
    """numpy scalar -> Python scalar, so messages show ``4`` rather than ``np.int64(4)``."""
    return value.item() if isinstance(value, np.generic) else value


#: index names that hold unit codes (the tables of gini_by / capital_share are indexed by the
#: group column, "province_code" by default)
CODE_INDEX_NAMES = ("code", "province_code", "prefecture_code", "county_code", "city_code")


def frame_codes(frame: pd.DataFrame) -> pd.Series | None:
    """6-digit codes of ``frame`` from ``code`` (or ``gb`` = "156" + code), else None.

    A frame without such a column whose index is named like a code column (``province_code``:
    the tables of ``si.gini_by`` and ``si.capital_share``) gives the codes of its index.
    """
    if "code" in frame.columns:
        codes = frame["code"]
    elif "gb" in frame.columns:
        codes = frame["gb"].astype("string").str.removeprefix("156")
    elif frame.index.name in CODE_INDEX_NAMES:
        codes = pd.Series(frame.index.to_numpy(), index=frame.index, dtype="string")
    else:
        return None
    codes = codes.astype("string").str.strip()
    if codes.isna().any():
        first = codes.isna().to_numpy().argmax()
        raise InputError(
            f"the code column is empty at row {frame.index[first]!r}; fill it in or drop the row"
        )
    codes = codes.where(~codes.str.fullmatch(r"\d+"), codes.str.zfill(6))
    return codes


def _matching_level(frame: pd.DataFrame, codes: pd.Series, what: str) -> str | None:
    """The polygon level whose layer holds every code of ``frame`` (one row per code), or None."""
    dup = codes[codes.duplicated(keep=False)]
    if not dup.empty:
        labels = row_labels(frame.loc[dup.index])
        raise InputError(
            f"the {what} has {dup.nunique()} code(s) on more than one row "
            f"({', '.join(labels[:6])}); a map draws one region per code -- filter one year "
            "or aggregate first"
        )
    hint = frame["level"].iloc[0] if "level" in frame.columns else None
    candidates = [hint] if hint in POLYGON_LEVELS else list(POLYGON_LEVELS)
    for level in candidates:
        if codes.isin(boundary_layer(level)["code"]).all():
            return level
    return None


def _on_layer(frame: pd.DataFrame, codes: pd.Series, level: str) -> gpd.GeoDataFrame:
    """``frame`` with the simplified geometry (and missing name columns) of its ``level``."""
    layer = boundary_layer(level).set_index("code")
    out = pd.DataFrame(frame).copy()
    out["code"] = codes.to_numpy()
    for col in _LAYER_COLUMNS:
        if col not in out.columns:
            out[col] = layer.loc[codes, col].to_numpy()
    out = out.drop(columns=[c for c in ("geometry",) if c in out.columns])
    gdf = gpd.GeoDataFrame(out, geometry=layer.loc[codes, "geometry"].to_numpy(), crs=4490)
    gdf.index = frame.index
    return gdf


def _warn_own_geometry(frame: pd.DataFrame, codes: pd.Series, what: str) -> None:
    # codes that match no layer: the frame's own (full) geometry is drawn, so say so
    known = pd.concat([boundary_layer(lv)["code"] for lv in POLYGON_LEVELS])
    unknown = row_labels(frame.loc[~codes.isin(known).to_numpy()])
    why = (
        f"{len(unknown)} code(s) of the {what} are in no boundary layer ({', '.join(unknown[:5])})"
        if unknown
        else f"the codes of the {what} mix boundary levels"
    )
    warnings.warn(
        f"{why}; drawing the frame's own geometry, not the simplified layer, so the saved "
        "map may be large",
        DataWarning,
        stacklevel=4,
    )


def _own_geometry(frame: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    """A GeoDataFrame drawn as it is: checked (names, CRS, geometry) and in EPSG:4490."""
    if "name" not in frame.columns:
        raise ColumnError(
            f"the {what} needs a 'name' column (Chinese region names for the tooltips); "
            f"available columns: {', '.join(map(str, frame.columns.drop('geometry')))}"
        )
    if frame.crs is None:
        raise InputError(
            f"the {what} has no CRS; set it with .set_crs(4490) (CGCS2000 degrees) before mapping"
        )
    missing = frame.geometry.isna() | frame.geometry.is_empty
    if missing.any():
        labels = region_labels(frame.loc[missing]).tolist()
        raise InputError(
            f"the {what} has rows without geometry ({', '.join(labels[:6])}); "
            "drop them or attach boundaries with si.join_indicators"
        )
    gdf = frame.to_crs(4490) if not frame.crs.equals("EPSG:4490") else frame.copy()
    if "name_en" not in gdf.columns:
        gdf["name_en"] = ""
    return gdf


def display_frame(frame: pd.DataFrame, what: str) -> gpd.GeoDataFrame:
    """``frame`` with the geometry to draw (simplified layer when codes match) and name columns.

    Rows whose ``code`` matches a boundary layer get that layer's simplified geometry (and
    ``name``/``name_en`` when missing), so a frame built on the full layer still makes a small
    file. Frames without codes are drawn with their own geometry, in EPSG:4490. ``what`` names
    the frame in error messages ("frame", "LISA frame" ...).
    """
    if len(frame) == 0:
        raise InputError(f"the {what} has no rows: nothing to draw")
    codes = frame_codes(frame)
    level = _matching_level(frame, codes, what) if codes is not None else None
    if level is not None:
        return _on_layer(frame, codes, level)
    if not isinstance(frame, gpd.GeoDataFrame):
        if codes is None:
            raise InputError(
                f"the {what} has neither geometry nor a 'code' column; join it to boundaries "
                "first with si.join_indicators(table, level) or pass a GeoDataFrame"
            )
        raise InputError(
            f"the {what} is a plain table whose codes do not all match one boundary level "
            "(province, prefecture or county); join it first with si.join_indicators(table, level) "
            "or pass a GeoDataFrame"
        )
    if codes is not None:
        _warn_own_geometry(frame, codes, what)
    return _own_geometry(frame, what)


def name_rows(frame: pd.DataFrame, lang: str) -> dict[str, list[str]]:
    """The first tooltip rows of every map: the Chinese and the English name of each region."""
    t = TEXT[lang]
    return {
        t["name"]: frame["name"].astype("string").fillna("—").tolist(),
        t["name_en"]: frame["name_en"].astype("string").fillna("—").tolist(),
    }


# the columns of si.gini_by / si.capital_share tables that are not indicators
_MEASURE_COLUMNS = ("province", "capital", "n_units", "mean", "note", "geometry", "name")


def measure_table(frame: pd.DataFrame) -> str | None:
    """``"gini_by"`` or ``"capital_share"`` for the tables those functions return, else None.

    Recognised by their columns (``n_units``, ``mean``, ``note``; ``capital`` for the shares),
    so a map of such a table can say what its values are.
    """
    cols = {str(c) for c in frame.columns}
    if not {"n_units", "mean", "note"} <= cols:
        return None
    return "capital_share" if "capital" in cols else "gini_by"


def result_label(
    frame: pd.DataFrame,
    column: str,
    lang: str,
    labels: Mapping[str, object] | None = None,
    label: str | None = None,
    unit: str | None = None,
    with_unit: bool = True,
) -> str:
    """The readable label (with its unit) of ``column`` on a map: legend heading and title.

    ``label`` / ``unit`` (the map functions' own arguments) override the name / unit of
    ``labels`` (column -> label spec), which override the frame's and the bundled labels
    (:func:`spatialinno.styles.column_label`). A column of a ``gini_by`` or ``capital_share``
    table is named for what it holds ("R&D 经费的基尼系数", "mean of 3 indicators"), unitless.
    ``with_unit=False``: the name alone (a layer name).
    """
    spec = dict(labels or {})
    kind = measure_table(frame)
    if label or unit:
        spec[column] = {"zh": label or "", "en": label or "", "unit": unit or ""}
    elif kind is not None and column not in spec:
        words = MAP_TEXT[lang]
        indicators = [str(c) for c in frame.columns if str(c) not in _MEASURE_COLUMNS]
        if column == "mean" and len(indicators) != 1:
            what = words["mean_of"].format(n=len(indicators))
        else:
            source = indicators[0] if column == "mean" else column
            what = column_label(source, lang, frame=frame, labels=labels)
        key = "gini_of" if kind == "gini_by" else "share_of"
        return words[key].format(label=what)
    return column_label(column, lang, frame=frame, labels=spec, unit=with_unit)


def result_unit(
    frame: pd.DataFrame, column: str, lang: str, labels: Mapping[str, object] | None = None
) -> str:
    """The unit of ``column`` as ``labels``, the frame or the bundled labels give it ("" if none).

    The columns of a ``gini_by`` or ``capital_share`` table are unitless (a coefficient, a share)
    unless ``labels`` says otherwise.
    """
    if measure_table(frame) is not None and column not in (labels or {}):
        return ""
    return label_of(frame, column, labels).unit(lang)
