"""Aggregate unit values to a coarser level: prefectures or counties to provinces or prefectures."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import geopandas as gpd
import pandas as pd

from .._errors import DataWarning, InputError
from .._notes import Note
from .._validate import check_level, require_columns
from ..boundaries.load import load_boundaries

__all__ = ["aggregate"]

_PARENT = {"province": "province_code", "prefecture": "prefecture_code"}


def aggregate(
    gdf: pd.DataFrame,
    columns: str | Sequence[str],
    to: Literal["province", "prefecture"] = "province",
    how: Literal["sum", "mean", "min", "max"] = "sum",
    skipna: bool = False,
) -> gpd.GeoDataFrame:
    """Aggregate prefecture (or county) values to provinces (or prefectures).

    Parameters
    ----------
    gdf : GeoDataFrame or DataFrame
        Output of :func:`join_indicators` (or any frame with ``code``, ``province_code`` and,
        for ``to="prefecture"``, ``prefecture_code``); a ``year`` column makes it per year.
    columns : str or list of str
        Numeric columns to aggregate.
    to : {"province", "prefecture"}, default "province"
        Target layer; its geometry (EPSG:4490) is taken from :func:`spatialinno.load_boundaries`.
    how : {"sum", "mean", "min", "max"}, default "sum"
        Sum is right for counts and money (R&D staff, spending, patents, GDP); use "mean" only
        for already-normalised values, and prefer recomputing ratios from aggregated parts.
    skipna : bool, default False
        By default a target unit with *any* missing member gets NaN, because a sum that
        silently leaves out members (for example the province-administered county-level cities
        仙桃/潜江/天门 that city yearbooks omit) would understate it; a :class:`DataWarning` names
        the members. ``True`` aggregates the members that have values (still named in
        ``n_missing``). Units of type ``other`` (three Tianditu areas in Gansu coded
        629700/629800/629900 that are not statistical units) never count as missing.

    Returns
    -------
    geopandas.GeoDataFrame
        Every unit of the target layer in layer order, its attributes, the aggregated columns,
        ``n_units`` (members in the source frame) and ``n_missing`` (members with a missing
        value in any of ``columns``; which column is decided per column). For a panel, one row
        per unit and year.

    Examples
    --------
    >>> import spatialinno as si
    >>> census = si.load_dataset("city_census")
    >>> gdf = si.join_indicators(census[["gb", "popu_2020"]], level="prefecture")
    >>> prov = si.aggregate(gdf, "popu_2020", to="province", skipna=True)
    >>> int(prov.loc[prov["name"] == "广东省", "popu_2020"].item())
    126012510
    """
    to = check_level(to, ("province", "prefecture"))
    if how not in ("sum", "mean", "min", "max"):
        raise InputError(f"how must be 'sum', 'mean', 'min' or 'max', not {how!r}")
    cols = require_columns(gdf, columns, "frame")
    parent = _PARENT[to]
    require_columns(gdf, ["code", parent], "frame (join it with join_indicators first)")
    for column in cols:
        if not pd.api.types.is_numeric_dtype(gdf[column]):
            raise InputError(
                f"column {column!r} is not numeric ({gdf[column].dtype}); aggregate numeric "
                "columns only (parse them with read_table)"
            )
    frame = pd.DataFrame(gdf.drop(columns="geometry", errors="ignore"))
    if "unit_type" in frame.columns:
        frame = frame[frame["unit_type"] != "other"]
    by = [parent] + (["year"] if "year" in frame.columns else [])
    has_value = frame[cols].notna().all(axis=1)
    grouped = frame.groupby(by, sort=False, dropna=False)
    values = grouped[cols].agg(how, **({"min_count": 1} if how == "sum" else {}))
    if not skipna:
        # per column: a unit missing only popu_2010 must not blank its province's popu_2020
        incomplete = frame[cols].isna().groupby([frame[b] for b in by]).any()
        values = values.mask(incomplete.reindex(values.index).fillna(False).astype(bool))
    counts = pd.DataFrame(
        {
            "n_units": grouped.size(),
            "n_missing": (~has_value).groupby([frame[b] for b in by]).sum(),
        }
    )
    result = values.join(counts).reset_index().rename(columns={parent: "code"})

    _warn_missing(frame[~has_value], cols, parent, skipna)
    target = load_boundaries(to)
    out = target.merge(result, on="code", how="left")
    out["n_units"] = out["n_units"].fillna(0).astype(int)
    out["n_missing"] = out["n_missing"].fillna(0).astype(int)
    out = out[[c for c in out.columns if c != "geometry"] + ["geometry"]]
    if "year" in frame.columns:
        out = out[out["year"].notna()].sort_values("year", kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=target.crs)


def _warn_missing(missing: pd.DataFrame, cols: list[str], parent: str, skipna: bool) -> None:
    """A DataWarning naming, per target unit, the members with missing values (and in which of
    ``cols`` when there are several)."""
    if missing.empty:
        return
    names = missing.get("name", missing["code"]).astype(str)
    lacking = (
        missing[cols]
        .isna()
        .apply(lambda r: "/".join(c for c in cols if r[c]) if len(cols) > 1 else "", axis=1)
    )
    names = names + lacking.map(lambda t: f" ({t})" if t else "")
    per_parent = names.groupby(missing[parent]).agg(lambda s: ", ".join(sorted(set(s))))
    detail = "; ".join(f"{p}: {n}" for p, n in per_parent.head(10).items())
    more = f" and {len(per_parent) - 10} more" if len(per_parent) > 10 else ""
    effect = "left out of the totals" if skipna else "the totals of their units are NaN"
    text = (
        f"{len(missing)} unit(s) have missing values in {cols} ({effect}; pass "
        f"skipna={not skipna} to change): {detail}{more}"
    )
    named = zip(missing.get("name", missing["code"]), missing["code"], strict=True)
    units = tuple(f"{n} ({c})" for n, c in named)
    key = "aggregate_missing" if skipna else "aggregate_missing_nan"
    warnings.warn(Note(key, text, n=len(missing), units=units), DataWarning, stacklevel=3)
