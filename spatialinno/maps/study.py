"""The maps of the reference study: the eastern coastal lead and the capital effect (省会效应).

Both draw a province table (``code``, ``year``, a column) on the province layer; every province is
drawn, those missing from the table as "no data". Colours, classes, thresholds and words come
from :mod:`spatialinno.styles` (:func:`~spatialinno.styles.capital_share`,
:func:`~spatialinno.styles.capital_outline`), shared with the QGIS styles and the print figures.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from .. import styles
from .._errors import ColumnError, InputError
from .._validate import numeric_column, region_labels, require_columns
from .base import (
    add_border_lines,
    add_features,
    add_legend,
    add_outline,
    boundary_layer,
    finish,
    start_map,
)
from .choropleth import add_graduated_regions, choropleth_map
from .frames import frame_codes, plain, row_labels

__all__ = ["CAPITAL_RADIUS_PX", "capital_effect_map", "coastal_lead_map", "province_year"]

CAPITAL_RADIUS_PX = 20.0  # radius at a share of 100 %; area ∝ share


def province_year(frame: pd.DataFrame, column: str, year: int | None, what: str) -> pd.DataFrame:
    """Rows of ``year`` with a 6-digit ``code``, checked against the province layer, on it.

    Returns every province of the layer (EPSG:4490) with ``column`` (NaN where the table has no
    row), so a map draws the provinces missing from the table as "no data".
    """
    require_columns(frame, column, what)
    if year is not None:
        require_columns(frame, "year", what)
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
    provinces = boundary_layer("province")
    unknown = ~codes.isin(provinces["code"])
    if unknown.any():
        labels = row_labels(frame.loc[unknown])
        raise InputError(
            f"the {what} has codes that are not province codes: {', '.join(labels[:6])}; "
            "province codes end in 0000 (e.g. 130000 for 河北)"
        )
    if codes.duplicated().any():
        labels = row_labels(frame.loc[codes.duplicated(keep=False)])
        raise InputError(
            f"the {what} has more than one row for {', '.join(labels[:6])}"
            f"{f' in {year}' if year is not None else ''}; keep one row per province"
        )
    out = pd.DataFrame({"code": codes.to_numpy(), column: numeric_column(frame, column, what)})
    # every province is drawn; those missing from the table are "no data"
    layer = provinces.drop(columns="geometry")
    joined = layer.merge(out, on="code", how="left")
    return gpd.GeoDataFrame(joined, geometry=provinces.geometry.to_numpy(), crs=4490)


def _region_means(g: gpd.GeoDataFrame, column: str, lang: str) -> tuple[list[str], str]:
    """One legend line per NBS region (mean of ``column``, n) and the coastal / inland line."""
    from ..boundaries.regions import REGION_EN, REGION_ZH, REGIONS

    t = styles.TEXT[lang]
    fmt = styles.format_number
    values = g[column].to_numpy(dtype=float)
    rows = []
    for r in REGIONS:
        sel = (g["region"] == r).to_numpy() & np.isfinite(values)
        name = REGION_ZH[r] if lang == "zh" else REGION_EN[r]
        mean = fmt(values[sel].mean()) if sel.any() else "—"
        rows.append(f"{name} {mean} (n={int(sel.sum())})")
    coastal = g["coastal"].fillna(False).astype(bool).to_numpy()
    cm = values[coastal & np.isfinite(values)]
    im = values[~coastal & np.isfinite(values) & g["region"].notna().to_numpy()]
    coast_line = (
        f"{t['coastal_word']} {fmt(cm.mean()) if cm.size else '—'} (n={cm.size}) · "
        f"{t['inland_word']} {fmt(im.mean()) if im.size else '—'} (n={im.size})"
    )
    return rows, coast_line


def coastal_lead_map(
    frame: pd.DataFrame,
    column: str,
    year: int | None = 2023,
    *,
    scheme: str = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
    title: str | None = None,
    label: str | None = None,
    unit: str = "",
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
    m: folium.Map | None = None,
) -> folium.Map:
    """Provinces coloured by ``column`` with the four NBS regions outlined and their means listed.

    The legend gives the mean of ``column`` over the provinces with data in each region
    (East, Central, West, Northeast; NBS 2011 division) and for coastal vs inland provinces, so
    the eastern coastal lead can be read off the map.

    Parameters
    ----------
    frame : pandas.DataFrame
        Province table with ``code`` (6-digit), ``year`` and ``column``, one row per province and
        year, e.g. ``si.load_dataset("zhao2025_table2")``.
    column : str
        Numeric column to map (e.g. ``"gini_innovation"``).
    year : int or None
        Year to map; ``None`` when the table has one row per province and no year.
    scheme, k, bins, title, label, unit, lang, tiles, width, height, m
        As in :func:`~spatialinno.choropleth_map` (``m``: draw on an existing map).

    Returns
    -------
    folium.Map
        Provinces have class ``si-region``; the region outlines ``si-outline``.

    Examples
    --------
    >>> import spatialinno as si
    >>> t2 = si.load_dataset("zhao2025_table2")
    >>> m = si.coastal_lead_map(t2, "gini_innovation", year=2023)
    >>> type(m).__name__
    'Map'
    """
    lang = styles.check_lang(lang)
    g = province_year(frame, column, year, "table")
    t = styles.TEXT[lang]
    label = label or styles.column_label(column, lang)
    default_title = label
    if year is not None:
        default_title = (
            f"{label}（{year} 年）：四大地区与沿海"
            if lang == "zh"
            else f"{label} ({year}): four regions and the coast"
        )
    m = choropleth_map(
        g, column, scheme, k, bins, title=title or default_title, label=label, unit=unit,
        lang=lang, tiles=tiles, width=width, height=height, m=m,
    )  # fmt: skip
    # four-region outlines: dissolve the simplified provinces (shared edges are identical, so the
    # union is clean) and draw the result unfilled above the provinces
    layer = boundary_layer("province").dropna(subset=["region"])
    regions = layer.dissolve(by="region").reset_index()
    color = styles.REGION_OUTLINE_COLOR
    add_outline(m, regions, t["region_outlines"], lang, color=color, weight=2.6)
    finish(m)
    rows, coast_line = _region_means(g, column, lang)
    legend = [styles.LegendRow(color, line, shape="line") for line in rows]
    notes = [f"{t['coastal_means']}: {coast_line}"]
    add_legend(m, t["region_means"], legend, notes, lang, position="bottomleft")
    return m


def _capital_shares(g: gpd.GeoDataFrame, column: str, year: int | None) -> np.ndarray:
    """The capital shares of ``g`` checked (0..1, or 0..100 read as percent) and as 0..1."""
    share = g[column].to_numpy(dtype=float)
    finite = np.isfinite(share)
    if not finite.any():
        raise InputError(
            f"column {column!r} has no values"
            f"{f' for {year}' if year is not None else ''}; check the column and the year"
        )
    out_of_range = finite & ((share < 0) | (share > 100))
    if out_of_range.any():
        i = int(np.flatnonzero(out_of_range)[0])
        raise InputError(
            f"column {column!r} is {plain(share[i])!r} at {region_labels(g).iloc[i]}; a capital "
            "share must be between 0 and 1 (or 0 and 100 as a percentage)"
        )
    if share[finite].max() > 1.0:
        share = share / 100.0  # given in percent: the legend and classes work on 0..1
    return share


def _add_capitals(
    m: folium.Map,
    g: gpd.GeoDataFrame,
    share: np.ndarray,
    style: styles.GraduatedStyle,
    label: str,
    lang: str,
) -> None:
    """A circle per capital at the representative point of its prefecture unit, area ∝ share."""
    t = styles.TEXT[lang]
    pref = boundary_layer("prefecture")
    caps = pref.loc[
        pref["is_capital"].astype(bool), ["province_code", "code", "name", "name_en", "geometry"]
    ]
    caps = caps.drop_duplicates("province_code").set_index("province_code")
    has = np.isfinite(share) & g["code"].isin(caps.index).to_numpy()
    cg = g.loc[has]
    cap = caps.loc[cg["code"]]
    # the representative point always lies inside the capital's unit
    points = gpd.GeoDataFrame(
        {"code": cap["code"].to_numpy()},
        geometry=cap.geometry.representative_point().to_numpy(),
        crs=4490,
    )
    s = share[has]
    tips = {
        t["capital"]: [f"{a} / {b}" for a, b in zip(cap["name"], cap["name_en"], strict=True)],
        t["name"]: cg["name"].tolist(),
        label: [style.format_value(v) for v in s],
    }
    circles = [
        {
            "radius": float(CAPITAL_RADIUS_PX * np.sqrt(max(v, 0.0))),
            # one fill for every capital (the size carries the share, the outline the class),
            # distinct from the yellow-red provinces underneath
            "fill": True,  # folium.CircleMarker defaults to fill=False without a fill_color
            "fillColor": styles.CAPITAL_COLORS["fill"],
            "fillOpacity": 0.55,
            "color": styles.capital_outline(v)[0],
            "weight": styles.capital_outline(v)[1],
            "className": "si-capital",
        }
        for v in s
    ]
    marker = folium.CircleMarker(radius=8, pane="si-points")
    add_features(m, points, circles, t["capitals"], tooltip_rows=tips, id_prefix="c", marker=marker)


def _capital_legend(
    style: styles.GraduatedStyle, classes: np.ndarray, lang: str
) -> list[styles.LegendRow]:
    """The class rows (with counts) and one example circle per class: typical size, its outline."""
    t = styles.TEXT[lang]
    rows = styles.graduated_legend(style, classes, lang)
    for example, text in zip((0.3, 0.65, 0.9), style.class_labels(lang), strict=False):
        rows.append(
            styles.LegendRow(
                styles.CAPITAL_COLORS["fill"],
                f"{t['capital']} {text}",
                shape="circle",
                size=CAPITAL_RADIUS_PX * np.sqrt(example),
                border=styles.capital_outline(example)[0],
            )
        )
    return rows


def capital_effect_map(
    frame: pd.DataFrame,
    column: str = "capital_share",
    year: int | None = 2021,
    *,
    title: str | None = None,
    label: str | None = None,
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
    m: folium.Map | None = None,
) -> folium.Map:
    """Provinces coloured by the capital's share, capitals as circles sized by it, 50 %/80 % marked.

    Classes are split at the thresholds of the capital effect (省会效应): ≤ 50 %, 50–80 %
    (capital-dominated) and > 80 % (extreme), shared with the QGIS style
    (:func:`spatialinno.styles.capital_share`). Each province capital is drawn at the
    representative point of its prefecture unit (``is_capital`` on the prefecture layer), as a
    circle whose *area* is proportional to the share (radius = 20 px · √share); circles of
    capital-dominated provinces get a thick dark outline, extreme ones a red outline.

    Parameters
    ----------
    frame : pandas.DataFrame
        Province table with ``code``, ``year`` and ``column`` as a share in 0..1 (values in
        0..100 are read as percentages), e.g. ``si.load_dataset("zhao2025_table2")``.
    column : str
        The share column.
    year : int or None
        Year to map.
    title, label, lang, tiles, width, height, m
        As in :func:`~spatialinno.choropleth_map` (``m``: draw on an existing map).

    Returns
    -------
    folium.Map
        Provinces have class ``si-region``, capital circles ``si-capital``.

    Examples
    --------
    >>> import spatialinno as si
    >>> t2 = si.load_dataset("zhao2025_table2")
    >>> m = si.capital_effect_map(t2, "capital_share", year=2021)
    >>> type(m).__name__
    'Map'
    """
    lang = styles.check_lang(lang)
    g = province_year(frame, column, year, "table")
    share = _capital_shares(g, column, year)
    g[column] = share
    t = styles.TEXT[lang]
    label = label or styles.column_label(column, lang)
    style = styles.capital_share(column).resolve(share)
    default_title = (
        f"省会效应：{label}（{year} 年）"
        if lang == "zh"
        else f"The capital effect: {label} ({year})"
    )
    m = start_map(m, title or default_title, lang=lang, tiles=tiles, width=width, height=height)
    classes = add_graduated_regions(m, g, share, style, label, label, lang)
    _add_capitals(m, g, share, style, label, lang)
    add_border_lines(m, lang)
    rows = _capital_legend(style, classes, lang)
    add_legend(m, label, rows, [t["capital_circle"], t["thresholds"], t["source"]], lang)
    return finish(m)
