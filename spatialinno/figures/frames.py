"""What a print map draws: the user's rows with projected geometry, checked, and the extent.

Rows whose ``code`` (or ``gb`` = "156" + code) matches a bundled boundary layer are drawn with
that layer's geometry: the coverage-simplified one (3 km, about 0.1 mm on a national map) for a
national map, the full one for a regional map, where 3 km would show. Frames without codes are
drawn with their own geometry (any CRS). The same checks as the web maps (one row per code, a
CRS, no empty geometry), with messages that name the rows.

>>> import spatialinno as si
>>> t = si.load_dataset("zhao2025_table2").query("year == 2023")
>>> d = drawn_rows(t, "table", inset=None)
>>> len(d.frame), d.level, d.national, d.inset  # the 8 provinces the table lacks are added
(34, 'province', True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from .._errors import ColumnError, InputError
from .._validate import POLYGON_LEVELS, numeric_column, region_labels, require_columns
from .geometry import NATIONAL_WIDTH_M, bounds_of, project, projected_layer

__all__ = ["NAME_COLUMNS", "Drawn", "drawn_rows", "frame_codes", "province_rows"]

# columns a figure may show, taken from the boundary layer when the frame lacks them
NAME_COLUMNS = ("name", "name_short", "name_en", "province_code", "region", "coastal", "is_capital")


@dataclass
class Drawn:
    """The rows to draw (``frame``, one per unit) with projected geometry.

    ``geoms`` is the full projected geometry, ``main`` the geometry clipped to the mainland box
    (the same array without an inset); ``national`` says the units span the country and
    ``inset`` whether the South China Sea inset is drawn.
    """

    frame: pd.DataFrame
    geoms: np.ndarray
    main: np.ndarray
    level: str | None
    national: bool
    inset: bool


def frame_codes(frame: pd.DataFrame) -> pd.Series | None:
    """6-digit codes of ``frame`` from ``code`` (or ``gb``), else None; an empty code refused."""
    if "code" in frame.columns:
        codes = frame["code"]
    elif "gb" in frame.columns:
        codes = frame["gb"].astype("string").str.removeprefix("156")
    else:
        return None
    codes = codes.astype("string").str.strip()
    if codes.isna().any():
        first = frame.index[int(codes.isna().to_numpy().argmax())]
        raise InputError(f"the code column is empty at row {first!r}; fill it in or drop the row")
    return codes.where(~codes.str.fullmatch(r"\d+"), codes.str.zfill(6))


def _level_of(frame: pd.DataFrame, codes: pd.Series, what: str) -> str | None:
    """The polygon level whose layer holds every code (one row per code), or None."""
    dup = codes[codes.duplicated(keep=False)]
    if not dup.empty:
        labels = list(dict.fromkeys(region_labels(frame.loc[dup.index]).tolist()))
        raise InputError(
            f"the {what} has {dup.nunique()} code(s) on more than one row ({', '.join(labels[:6])}); "
            "a map draws one region per code -- filter one year, aggregate, or use by='year' "
            "for one panel per year"
        )
    hint = frame["level"].iloc[0] if "level" in frame.columns else None
    for level in [hint] if hint in POLYGON_LEVELS else POLYGON_LEVELS:
        if codes.isin(projected_layer(level, True)["code"]).all():
            return level
    return None


def _national(geoms: np.ndarray) -> bool:
    x0, _, x1, _ = bounds_of(geoms)
    return (x1 - x0) > NATIONAL_WIDTH_M


def _own_geometry(frame: pd.DataFrame, what: str) -> gpd.GeoDataFrame:
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(
            f"the {what} has neither geometry nor codes of one boundary level; join it first with "
            "si.join_indicators(table, level) or pass a GeoDataFrame"
        )
    if frame.crs is None:
        raise InputError(f"the {what} has no CRS; set it with .set_crs(4490) before plotting")
    empty = frame.geometry.isna() | frame.geometry.is_empty
    if empty.any():
        labels = region_labels(frame.loc[empty]).tolist()
        raise InputError(
            f"the {what} has rows without geometry ({', '.join(labels[:6])}); drop them or "
            "attach boundaries with si.join_indicators"
        )
    return frame


def drawn_rows(frame: pd.DataFrame, what: str, inset: bool | None) -> Drawn:
    """The rows of ``frame`` with the geometry to draw; ``inset`` None decides by the extent.

    On a national map every unit of the level is drawn: units the frame lacks are added (after
    the frame's rows, their values missing), so they show as "no data" and a map of China never
    leaves out Taiwan, Hong Kong or Macao because a table did.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"the {what} must be a DataFrame or GeoDataFrame, not {type(frame).__name__}"
        )
    if len(frame) == 0:
        raise InputError(f"the {what} has no rows: nothing to draw")
    codes = frame_codes(frame)
    level = _level_of(frame, codes, what) if codes is not None else None
    out = pd.DataFrame(frame).drop(columns=["geometry"], errors="ignore").copy()
    if level is None:
        own = _own_geometry(frame, what)
        full, clipped = project(own, mainland=True)  # projected once (10^5 grid cells)
        national = _national(full)
        use_inset = national if inset is None else bool(inset)
        main = clipped if use_inset else full
        for col in ("name", "name_en"):
            if col not in out.columns:
                out[col] = ""
        return Drawn(out, full, main, None, national, use_inset)
    light = projected_layer(level, True).set_index("code")
    national = _national(light.loc[codes.to_numpy()].geometry.to_numpy())
    use_inset = national if inset is None else bool(inset)
    out["code"] = codes.to_numpy()
    if national:  # a map of China shows all of it: units not in the frame are "no data"
        rest = light.index.difference(pd.Index(codes))
        out = pd.concat([out, pd.DataFrame({"code": rest})], ignore_index=True)
    layer = (light if national else projected_layer(level, False).set_index("code")).loc[
        out["code"]
    ]
    for col in NAME_COLUMNS:
        if col not in out.columns:
            out[col] = layer[col].to_numpy()
    full = layer.geometry.to_numpy()
    main = layer["mainland"].to_numpy() if use_inset else full
    return Drawn(out, full, main, level, national, use_inset)


def _capital_share_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The output of ``si.capital_share`` (indexed by ``province_code``) as a table with codes."""
    has_codes = "code" in frame.columns or "gb" in frame.columns
    if not has_codes and (frame.index.name == "province_code" or "province_code" in frame.columns):
        table = frame.reset_index() if frame.index.name == "province_code" else frame
        return table.rename(columns={"province_code": "code"})
    return frame


def province_rows(frame: pd.DataFrame, column: str, year: int | None, what: str) -> pd.DataFrame:
    """Every province of the layer with ``column`` of ``year`` (NaN where the table has no row).

    Accepts a province table with ``code`` (or ``gb``) and ``year``, a one-year table without a
    ``year`` column, and the output of ``si.capital_share`` (indexed by ``province_code``).
    """
    frame = _capital_share_table(frame)
    require_columns(frame, column, what)
    if year is not None and "year" in frame.columns:
        years = pd.to_numeric(frame["year"], errors="coerce")
        if not (years == year).any():
            have = ", ".join(str(int(y)) for y in sorted(years.dropna().unique()))
            raise InputError(f"no rows for year {year} in the {what}; years available: {have}")
        frame = frame.loc[years == year]
    codes = frame_codes(frame)
    if codes is None:
        raise ColumnError(
            f"the {what} needs a 'code' column (6-digit province code, e.g. '130000'); "
            f"available columns: {', '.join(map(str, frame.columns))}"
        )
    layer = projected_layer("province", True)
    unknown = ~codes.isin(layer["code"])
    if unknown.any():
        labels = region_labels(frame.loc[unknown]).tolist()
        raise InputError(
            f"the {what} has codes that are not province codes: {', '.join(labels[:6])}; "
            "province codes end in 0000 (e.g. 130000 for 河北)"
        )
    if codes.duplicated().any():
        labels = region_labels(frame.loc[codes.duplicated(keep=False).to_numpy()]).tolist()
        raise InputError(
            f"the {what} has more than one row for {', '.join(labels[:6])}; keep one row per "
            "province (pass year=)"
        )
    values = pd.Series(numeric_column(frame, column, what), index=codes.to_numpy())
    out = pd.DataFrame(layer.drop(columns=["geometry", "mainland"]))
    out[column] = out["code"].map(values).astype(float)
    return out
