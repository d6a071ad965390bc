"""Maps of space-time results: emerging hot spot categories, the centre of gravity and its ellipses.

The emerging hot spot map reads the ``category`` column :func:`spatialinno.emerging_hotspots`
writes and colours it with :data:`spatialinno.styles.EMERGING` (the 17 ArcGIS Pro categories,
``isolated`` and ``no data``). The centre-of-gravity map draws the output of
:func:`spatialinno.gravity_center` (a point per year joined in year order) and, optionally, of
:func:`spatialinno.deviational_ellipse` (one ellipse per year, graded from the first year's
colour to the last's, :func:`spatialinno.styles.year_colors`). Both take ``m=`` and are built
only from :mod:`spatialinno.maps.base`.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import styles
from .._errors import InputError
from .._validate import region_labels, require_columns
from ..measures.centrography import centers_frame
from .base import (
    add_border_lines,
    add_features,
    add_legend,
    add_outline,
    check_lang,
    finish,
    start_map,
)
from .clusters import add_categorized_regions
from .frames import display_frame, plain

__all__ = ["emerging_hotspot_map", "gravity_map"]


def _fmt(value: object, digits: int = 3) -> str:
    """A number of a tooltip: ``digits`` significant digits (large numbers grouped)."""
    return styles.format_number(value, digits)


def _deg(value: object) -> str:
    """Longitude or latitude with 3 decimals (about 100 m)."""
    return styles.format_measure(value, "lon")


def _emerging_tips(g: pd.DataFrame, lang: str) -> dict[str, list[str]]:
    """Tooltip rows: the Mann-Kendall trend and its p, hot and cold years (when present)."""
    t = styles.SPACETIME_TEXT[lang]
    tips: dict[str, list[str]] = {}
    if "mk_trend" in g.columns:
        tips[t["trend"]] = [
            t.get(str(v), "—") if isinstance(v, str) else "—" for v in g["mk_trend"]
        ]
    if "mk_p" in g.columns:
        tips[t["mk_p"]] = [_fmt(v, 3) for v in pd.to_numeric(g["mk_p"], errors="coerce")]
    for col in ("n_hot", "n_cold"):
        if col in g.columns:
            tips[t[col]] = [_fmt(v) for v in pd.to_numeric(g[col], errors="coerce")]
    return tips


def emerging_hotspot_map(
    ehsa_gdf: pd.DataFrame,
    value: str | None = None,
    *,
    category_column: str = "category",
    title: str | None = None,
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
    m: folium.Map | None = None,
) -> folium.Map:
    """Map of emerging hot spot categories: 8 hot (reds), 8 cold (blues), no pattern, isolated.

    Parameters
    ----------
    ehsa_gdf : (Geo)DataFrame
        Output of :func:`spatialinno.emerging_hotspots` (one row per unit with ``code``), or any
        frame whose ``category_column`` holds the English category names ("intensifying hot
        spot" ...), ``isolated`` or ``no data`` (missing = no data). ``mk_trend``, ``mk_p``,
        ``n_hot`` and ``n_cold`` are shown in the tooltips when present.
    value : str, optional
        The analysed variable, named in the default title.
    category_column : str, default "category"
    title, lang, tiles, width, height, m
        As in :func:`~spatialinno.choropleth_map` (``m``: draw on an existing map).

    Returns
    -------
    folium.Map
        The legend lists all 17 categories with the number of units in each (0 included), so
        maps of different variables or years can be compared.

    Examples
    --------
    >>> import spatialinno as si
    >>> g = si.load_boundaries("province")[["code", "name", "geometry"]]
    >>> g["category"] = ["intensifying hot spot"] * 4 + ["no pattern detected"] * 30
    >>> type(si.emerging_hotspot_map(g)).__name__
    'Map'
    """
    lang = check_lang(lang)
    require_columns(ehsa_gdf, category_column, "emerging hot spot frame")
    g = display_frame(ehsa_gdf, "emerging hot spot frame")
    style = styles.emerging(category_column)
    allowed = {c.value for c in style.categories}
    raw = g[category_column]
    values = [styles.NO_DATA_LABEL["en"] if styles.is_missing(v) else v for v in raw]
    bad = [i for i, v in enumerate(values) if v not in allowed]
    if bad:
        raise InputError(
            f"column {category_column!r} has {plain(values[bad[0]])!r} at "
            f"{region_labels(g).iloc[bad[0]]}"
            f"{f' and {len(bad) - 1} more rows' if len(bad) > 1 else ''}; the categories are "
            "those of si.emerging_hotspots (e.g. 'new hot spot', 'no pattern detected', "
            "'isolated', 'no data')"
        )
    if title is None:
        sep = "：" if lang == "zh" else ": "
        title = style.title(lang) + (f"{sep}{value}" if value else "")
    m = start_map(m, title, lang=lang, tiles=tiles, width=width, height=height)
    years = ehsa_gdf.attrs.get("emerging_hotspots", {}).get("years")
    notes = []
    if years:
        notes.append(f"{styles.SPACETIME_TEXT[lang]['years']}: {years[0]}–{years[-1]}")
    return add_categorized_regions(m, g, style, values, _emerging_tips(g, lang), lang, notes)


# --------------------------------------------------------------------------------------------
# the centre of gravity
# --------------------------------------------------------------------------------------------
def _year_text(value: object) -> str:
    v = plain(value)
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _add_ellipses(m: folium.Map, ellipses: pd.DataFrame, lang: str) -> list[styles.LegendRow]:
    """One outline per year, graded first -> last year; tooltips with axes, orientation, area."""
    t = styles.SPACETIME_TEXT[lang]
    if not isinstance(ellipses, gpd.GeoDataFrame) or ellipses.geometry.isna().any():
        raise InputError("ellipses must be the GeoDataFrame of si.deviational_ellipse (polygons)")
    e = ellipses.to_crs(4490) if ellipses.crs is not None else ellipses
    e = e.sort_values("year", kind="stable") if "year" in e.columns else e
    colors = styles.year_colors(len(e))
    years = [_year_text(y) for y in e["year"]] if "year" in e.columns else [""] * len(e)
    style = [
        {"fill": True, "fillColor": c, "fillOpacity": 0.02, "color": c, "weight": 2,
         "className": "si-ellipse"}
        for c in colors
    ]  # fmt: skip
    tips = {t["year"]: years}
    for col, key, digits in (
        ("semi_major_km", "semi_major", 4),
        ("semi_minor_km", "semi_minor", 4),
        ("orientation_deg", "orientation", 3),
        ("area_km2", "area", 4),
    ):
        if col in e.columns:
            tips[t[key]] = [_fmt(v, digits) for v in pd.to_numeric(e[col], errors="coerce")]
    add_features(m, e, style, t["ellipses"], tooltip_rows=tips, id_prefix="e")
    if len(e) == 1:
        return [styles.LegendRow(colors[0], f"{t['ellipses']} {years[0]}", shape="line")]
    return [
        styles.LegendRow(colors[0], f"{t['ellipses']} {years[0]}", shape="line"),
        styles.LegendRow(colors[-1], f"{t['ellipses']} {years[-1]}", shape="line"),
    ]


def _add_path(m: folium.Map, c: pd.DataFrame, lang: str) -> None:
    """The path (one segment per pair of years, tooltip: shift and direction) and the points."""
    t = styles.SPACETIME_TEXT[lang]
    lon, lat = c["lon"].to_numpy(float), c["lat"].to_numpy(float)
    years = [_year_text(y) for y in c["year"]]
    shift = pd.to_numeric(c.get("shift_km", pd.Series(np.nan, index=c.index)), errors="coerce")
    dir_col = "direction_zh" if lang == "zh" else "direction"
    direction = c[dir_col] if dir_col in c.columns else pd.Series([None] * len(c))
    if len(c) > 1:
        segs = gpd.GeoDataFrame(
            geometry=shapely.linestrings(
                np.stack([np.c_[lon[:-1], lat[:-1]], np.c_[lon[1:], lat[1:]]], axis=1)
            ),
            crs=4490,
        )
        seg_style = {"color": styles.GRAVITY_COLORS["path"], "weight": 2.5, "opacity": 0.9,
                     "className": "si-center-path"}  # fmt: skip
        add_features(
            m, segs, seg_style, t["path"], id_prefix="s", pane="si-outlines",
            tooltip_rows={
                t["years"]: [t["from_to"].format(a=a, b=b) for a, b in pairwise(years)],
                t["shift"]: [_fmt(v) for v in shift.iloc[1:]],
                t["direction"]: list(direction.iloc[1:]),
            },
        )  # fmt: skip
    colors = styles.year_colors(len(c))
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4490)
    pt_style = [
        {"radius": 5, "fill": True, "fillColor": col, "fillOpacity": 1.0,
         "color": styles.GRAVITY_COLORS["path"], "weight": 1.2, "className": "si-center",
         "pane": "si-points"}
        for col in colors
    ]  # fmt: skip
    add_features(
        m, pts, pt_style, t["center"], id_prefix="c", marker=folium.CircleMarker(),
        pane="si-points",
        tooltip_rows={
            t["year"]: years,
            t["lon"]: [_deg(v) for v in lon],
            t["lat"]: [_deg(v) for v in lat],
            t["shift"]: [_fmt(v) for v in shift],
            t["direction"]: list(direction),
        },
    )  # fmt: skip


def _view(c: pd.DataFrame, ellipses: gpd.GeoDataFrame | None) -> list[list[float]]:
    """``[[south, west], [north, east]]`` around the ellipses (or the path), a little wider."""
    west, east = float(c["lon"].min()) - 3, float(c["lon"].max()) + 3
    south, north = float(c["lat"].min()) - 3, float(c["lat"].max()) + 3
    if isinstance(ellipses, gpd.GeoDataFrame) and len(ellipses):
        e = ellipses.to_crs(4490) if ellipses.crs is not None else ellipses
        x0, y0, x1, y1 = (float(v) for v in e.total_bounds)
        west, south, east, north = min(west, x0), min(south, y0), max(east, x1), max(north, y1)
    return [[south - 1, west - 1], [north + 1, east + 1]]


def gravity_map(
    centers: pd.DataFrame,
    ellipses: gpd.GeoDataFrame | None = None,
    *,
    outline: str | None = "province",
    title: str | None = None,
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
    bounds: Sequence[Sequence[float]] | None = None,
    m: folium.Map | None = None,
) -> folium.Map:
    """Map of the centre of gravity's path over the years and the yearly deviational ellipses.

    Parameters
    ----------
    centers : (Geo)DataFrame
        Output of :func:`spatialinno.gravity_center`: ``year``, ``lon``, ``lat`` (EPSG:4490
        degrees) and, when present, ``shift_km`` and ``direction`` / ``direction_zh`` (shown in
        the tooltips of the points and of each segment of the path).
    ellipses : GeoDataFrame, optional
        Output of :func:`spatialinno.deviational_ellipse`: one polygon per year, outlines graded
        from the first year's colour to the last's; axes, orientation and area in the tooltips.
    outline : str or None, default "province"
        Boundary layer drawn as thin outlines under the path (None: none).
    title, lang, tiles, width, height, m
        As in :func:`~spatialinno.choropleth_map`.
    bounds : [[south, west], [north, east]], optional
        View of a new map (default: the ellipses, or the path, with a margin).

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> import pandas as pd, spatialinno as si
    >>> c = pd.DataFrame({"year": [2010, 2023], "lon": [114.2, 114.9], "lat": [32.6, 32.1]})
    >>> type(si.gravity_map(c)).__name__
    'Map'
    """
    lang = check_lang(lang)
    c = centers_frame(centers)
    t = styles.SPACETIME_TEXT[lang]
    if bounds is None:
        bounds = _view(c, ellipses)
    m = start_map(
        m, title or t["center_title"], lang=lang, tiles=tiles, width=width, height=height,
        bounds=bounds,
    )  # fmt: skip
    if outline is not None:
        add_outline(m, outline, styles.TEXT[lang]["regions"], lang=lang,
                    color=styles.BORDER_COLOR, weight=0.7)  # fmt: skip
    rows: list[styles.LegendRow] = []
    if ellipses is not None:
        rows += _add_ellipses(m, ellipses, lang)
    _add_path(m, c, lang)
    add_border_lines(m, lang)
    colors = styles.year_colors(len(c))
    years = [_year_text(y) for y in c["year"]]
    rows = [
        styles.LegendRow(colors[0], f"{t['center']} {years[0]}", "circle", 5,
                         border=styles.GRAVITY_COLORS["path"]),
        *([styles.LegendRow(colors[-1], f"{t['center']} {years[-1]}", "circle", 5,
                            border=styles.GRAVITY_COLORS["path"])] if len(c) > 1 else []),
        styles.LegendRow(styles.GRAVITY_COLORS["path"], t["path"], shape="line"),
        *rows,
    ]  # fmt: skip
    notes = [t["ellipse_note"]] if ellipses is not None else []
    add_legend(m, t["center_title"], rows, [*notes, styles.TEXT[lang]["source"]], lang)
    return finish(m)
