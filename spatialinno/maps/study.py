"""The maps of the reference study: the eastern coastal lead and the capital effect (省会效应).

Both draw a province table (``code``, optionally ``year``, a column) on the province layer; every
province is drawn, those missing from the table as "no data". They also take what the package's
functions return: :func:`~spatialinno.capital_share` (indexed by ``province_code``) goes straight
into :func:`capital_effect_map`, :func:`~spatialinno.region_summary` (one row per NBS region) into
:func:`coastal_lead_map`. Colours, classes, thresholds and words come from
:mod:`spatialinno.styles` (:func:`~spatialinno.styles.capital_share`,
:func:`~spatialinno.styles.capital_outline`), shared with the QGIS styles and the print figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import styles
from .._errors import ColumnError, InputError
from .._validate import numeric_column, require_columns
from ..boundaries.projection import albers_geoms
from .base import (
    add_border_lines,
    add_features,
    add_legend,
    boundary_layer,
    finish,
    start_map,
)
from .capitals import add_capitals, capital_legend, capital_shares
from .choropleth import add_graduated_regions, choropleth_map
from .frames import frame_codes, measure_table, result_label, result_unit, row_labels
from .layout import add_circle_layout, layer_label_points
from .names import add_names, check_names

__all__ = ["capital_effect_map", "coastal_lead_map", "province_year", "region_outlines"]

LATEST = "latest"
# outlines of the four regions are drawn this far inside each region, so the lines of two
# neighbouring regions run side by side instead of on top of each other (metres; ~1.5 px at
# the default zoom)
_OUTLINE_INSET_M = 12_000.0


def _pick_year(frame: pd.DataFrame, column: str, year: object, what: str) -> object:
    """The year to map: ``year``, or for ``"latest"`` the last year with a value (None: no
    ``year`` column, every row is mapped)."""
    if year is None:
        return None
    if isinstance(year, str) and year == LATEST:
        if "year" not in frame.columns:
            return None
        years = pd.to_numeric(frame["year"], errors="coerce")
        values = pd.to_numeric(frame[column], errors="coerce")
        have = years[values.notna() & years.notna()]
        if have.empty:
            have = years.dropna()
        return int(have.max()) if not have.empty else None
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
        raise InputError(f"year must be a year such as 2021, 'latest' or None, not {year!r}")
    require_columns(frame, "year", what)
    return int(year)


def province_year(
    frame: pd.DataFrame, column: str, year: object, what: str
) -> tuple[gpd.GeoDataFrame, int | None]:
    """Rows of ``year`` with a 6-digit ``code``, checked against the province layer, on it.

    ``year`` is a year, ``"latest"`` (the last year in which ``column`` has a value; every row
    when the table has no ``year`` column) or None (every row). Returns every province of the
    layer (EPSG:4490) with ``column`` (NaN where the table has no row), so a map draws the
    provinces missing from the table as "no data", and the year mapped (None: no year).
    """
    require_columns(frame, column, what)
    year = _pick_year(frame, column, year, what)
    if year is not None:
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
    if "capital" in frame.columns:  # si.capital_share's capital names
        out["capital"] = frame["capital"].to_numpy()
    # every province is drawn; those missing from the table are "no data"
    layer = provinces.drop(columns="geometry")
    joined = layer.merge(out, on="code", how="left")
    g = gpd.GeoDataFrame(joined, geometry=provinces.geometry.to_numpy(), crs=4490)
    g.attrs = dict(getattr(frame, "attrs", {}))  # the table's labels travel with the values
    return g, year


def _region_table(frame: pd.DataFrame) -> pd.DataFrame | None:
    """A table with one row per NBS region (``si.region_summary``), indexed by region; else None."""
    from ..boundaries.regions import REGIONS

    if frame_codes(frame) is not None:
        return None
    if "region" in frame.columns:
        table = frame.set_index("region")
    elif frame.index.name == "region":
        table = frame
    else:
        return None
    regions = table.index.astype("string")
    if not regions.isin(REGIONS).all() or regions.duplicated().any():
        return None
    return table


def _from_regions(table: pd.DataFrame, column: str) -> gpd.GeoDataFrame:
    """Every province with the value of its region (a region table drawn on the provinces)."""
    require_columns(table, column, "region table")
    values = pd.Series(numeric_column(table, column, "region table"), index=table.index)
    provinces = boundary_layer("province")
    out = provinces.drop(columns="geometry").copy()
    out[column] = out["region"].map(values).astype(float)
    g = gpd.GeoDataFrame(out, geometry=provinces.geometry.to_numpy(), crs=4490)
    g.attrs = dict(getattr(table, "attrs", {}))
    return g


def _region_means(
    g: gpd.GeoDataFrame, column: str, lang: str, table: pd.DataFrame | None
) -> tuple[list[str], str]:
    """One legend line per NBS region (mean of ``column``, n) and the coastal / inland line.

    From a region table (``table``) the lines are its rows (n from its ``n_units``); coastal and
    inland means cannot be computed from regions, and the line says so.
    """
    from ..boundaries.regions import REGION_EN, REGION_ZH, REGIONS

    t = styles.TEXT[lang]
    fmt = styles.format_number
    values = g[column].to_numpy(dtype=float)
    rows = []
    for r in REGIONS:
        name = REGION_ZH[r] if lang == "zh" else REGION_EN[r]
        if table is not None:
            v = numeric_column(table, column, "region table")[table.index == r]
            n = table.loc[table.index == r, "n_units"] if "n_units" in table.columns else None
            mean = fmt(v[0]) if v.size and np.isfinite(v[0]) else "—"
            rows.append(
                f"{name} {mean}" + (f" (n={int(n.iloc[0])})" if n is not None and len(n) else "")
            )
            continue
        sel = (g["region"] == r).to_numpy() & np.isfinite(values)
        mean = fmt(values[sel].mean()) if sel.any() else "—"
        rows.append(f"{name} {mean} (n={int(sel.sum())})")
    if table is not None:
        return rows, styles.MAP_TEXT[lang]["no_coastal_means"]
    coastal = g["coastal"].fillna(False).astype(bool).to_numpy()
    cm = values[coastal & np.isfinite(values)]
    im = values[~coastal & np.isfinite(values) & g["region"].notna().to_numpy()]
    coast_line = (
        f"{t['coastal_means']}: "
        f"{t['coastal_word']} {fmt(cm.mean()) if cm.size else '—'} (n={cm.size}) · "
        f"{t['inland_word']} {fmt(im.mean()) if im.size else '—'} (n={im.size})"
    )
    return rows, coast_line


@cache
def region_outlines() -> gpd.GeoDataFrame:
    """The outline of each NBS region, drawn :data:`_OUTLINE_INSET_M` inside it (EPSG:4490).

    The simplified provinces are dissolved by region (shared edges are identical, so the union
    is clean), shrunk in the equal-area CRS and turned into lines: on an edge between two
    regions the two outlines run side by side, each in its region's colour and dash.
    """
    layer = boundary_layer("province").dropna(subset=["region"])
    regions = layer[["region", "geometry"]].dissolve(by="region")
    inner = gpd.GeoSeries(albers_geoms(regions.geometry.to_numpy()))
    inner = inner.buffer(-_OUTLINE_INSET_M).boundary.simplify(1500.0)
    geoms = albers_geoms(inner.to_numpy(), inverse=True)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, 5))
    return gpd.GeoDataFrame({"region": regions.index.to_numpy()}, geometry=geoms, crs=4490)


def _add_region_outlines(m: folium.Map, lang: str) -> list[tuple[str, str, str | None]]:
    """The four region outlines (one layer); returns (region, colour, dash) in NBS order."""
    from ..boundaries.regions import REGIONS

    outlines = region_outlines().set_index("region").loc[list(REGIONS)].reset_index()
    drawn = [(r, styles.REGION_OUTLINE_COLORS[r], styles.REGION_OUTLINE_DASHES[r]) for r in REGIONS]
    style = [
        {"color": c, "weight": 2.6, "opacity": 0.95, "dashArray": d, "lineCap": "butt",
         "fill": False, "className": f"si-outline si-outline-{r}"}
        for r, c, d in drawn
    ]  # fmt: skip
    add_features(m, outlines, style, styles.TEXT[lang]["region_outlines"], id_prefix="o",
                 pane="si-outlines", interactive=False)  # fmt: skip
    return drawn


def _add_coastal_marks(m: folium.Map, lang: str) -> int:
    """A small dot on each coastal province (at its label point); returns how many."""
    layer = boundary_layer("province")
    coastal = layer.loc[layer["coastal"].fillna(False).astype(bool)]
    points = layer_label_points("province")
    latlon = np.array([points[c] for c in coastal["code"]], dtype=float).reshape(-1, 2)
    frame = gpd.GeoDataFrame(
        {"code": coastal["code"].to_numpy()},
        geometry=gpd.points_from_xy(latlon[:, 1], latlon[:, 0]),
        crs=4490,
    )
    style = {"radius": 4.5, "fill": True, "fillColor": styles.COASTAL_COLORS["fill"],
             "fillOpacity": 1.0, "color": styles.COASTAL_COLORS["rim"], "weight": 1.5,
             "className": "si-coastal"}  # fmt: skip
    marker = folium.CircleMarker(radius=4.5, pane="si-points")
    layer_ = add_features(m, frame, style, styles.MAP_TEXT[lang]["coastal_provinces"],
                          id_prefix="k", marker=marker, interactive=False)  # fmt: skip
    add_circle_layout(m, layer_, move=False)  # obstacles for the name labels
    return len(frame)


def coastal_lead_map(
    frame: pd.DataFrame,
    column: str,
    year: int | str | None = LATEST,
    *,
    scheme: str = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
    title: str | None = None,
    label: str | None = None,
    unit: str = "",
    labels: Mapping[str, object] | None = None,
    names: bool | str | None = None,
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
    m: folium.Map | None = None,
) -> folium.Map:
    """Provinces coloured by ``column``, the four NBS regions outlined apart, coastal provinces
    marked, and the regions' means listed.

    Each region (East, Central, West, Northeast; NBS 2011 division) is outlined just inside its
    border in its own colour and dash, and the legend lists the mean of ``column`` over its
    provinces with data next to the same line; a dot marks every coastal province, and the
    coastal vs inland means are given, so the eastern coastal lead can be read off the map.

    Parameters
    ----------
    frame : pandas.DataFrame
        Province table with ``code`` (6-digit) and ``column`` (and ``year`` for a panel), e.g.
        ``si.load_dataset("zhao2025_table2")``; or a table with one row per region (the output
        of ``si.region_summary``), drawn as each province with its region's value.
    column : str
        Numeric column to map (e.g. ``"gini_innovation"``).
    year : int, "latest" or None
        Year to map; ``"latest"`` (default) the last year with a value, or every row when the
        table has no ``year`` column; ``None``: every row (one per province).
    scheme, k, bins, title, label, unit, labels, names, lang, tiles, width, height, m
        As in :func:`~spatialinno.choropleth_map` (``m``: draw on an existing map).

    Returns
    -------
    folium.Map
        Provinces have class ``si-region``, the region outlines ``si-outline`` (and
        ``si-outline-east`` ...), the coastal marks ``si-coastal``.

    Examples
    --------
    >>> import spatialinno as si
    >>> t2 = si.load_dataset("zhao2025_table2")
    >>> m = si.coastal_lead_map(t2, "gini_innovation", year=2023)
    >>> type(m).__name__
    'Map'
    """
    lang = styles.check_lang(lang)
    check_names(names)
    table = _region_table(frame)
    if table is not None:
        g, year = _from_regions(table, column), None
        label = label or styles.MAP_TEXT[lang]["region_mean_of"].format(
            label=result_label(frame, column, lang, labels, with_unit=False)
        )
    else:
        g, year = province_year(frame, column, year, "table")
    words = styles.MAP_TEXT[lang]
    value = result_label(frame, column, lang, labels, label, unit)
    key = "coastal_lead" if year is None else "coastal_lead_year"
    m = choropleth_map(
        g, column, scheme, k, bins, title=title or words[key].format(label=value, year=year),
        label=label or result_label(frame, column, lang, labels, with_unit=False),
        unit=unit or result_unit(frame, column, lang, labels), labels=labels, lang=lang,
        tiles=tiles, width=width, height=height, m=m,
    )  # fmt: skip
    drawn = _add_region_outlines(m, lang)
    n_coastal = _add_coastal_marks(m, lang)
    add_names(m, g, names, lang)
    finish(m)
    lines, coast_line = _region_means(g, column, lang, table)
    legend = [
        styles.LegendRow(c, text, shape="line", dash=d)
        for (_, c, d), text in zip(drawn, lines, strict=True)
    ]
    legend.append(
        styles.LegendRow(styles.COASTAL_COLORS["fill"], words["coastal_provinces"],
                         shape="circle", size=4.5, count=n_coastal)
    )  # fmt: skip
    add_legend(
        m, styles.TEXT[lang]["region_means"], legend, [coast_line], lang, position="bottomleft"
    )
    return m


def _share_column(frame: pd.DataFrame, column: str | None) -> str:
    """The share column: ``column``, else ``capital_share``, else that of a si.capital_share
    table (its one indicator, or ``mean`` over several)."""
    if column is not None:
        return column
    if "capital_share" in frame.columns or measure_table(frame) != "capital_share":
        return "capital_share"
    indicators = [
        c for c in frame.columns if c not in ("province", "capital", "n_units", "mean", "note")
    ]
    return str(indicators[0]) if len(indicators) == 1 else "mean"


def capital_effect_map(
    frame: pd.DataFrame,
    column: str | None = None,
    year: int | str | None = LATEST,
    *,
    title: str | None = None,
    label: str | None = None,
    labels: Mapping[str, object] | None = None,
    names: bool | str | None = None,
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
    m: folium.Map | None = None,
) -> folium.Map:
    """Provinces coloured by the capital's share, capitals as labelled circles sized by it.

    Classes are split at the thresholds of the capital effect (省会效应): ≤ 50 %, 50–80 %
    (capital-dominated) and > 80 % (extreme), shared with the QGIS style
    (:func:`spatialinno.styles.capital_share`). Each capital is a circle whose *area* is
    proportional to the share (radius = 18 px · √share; a thick dark outline above 50 %, red
    above 80 %), labelled with its name; circles never hide each other (the page moves one
    that would overlap and draws a leader line to the capital, see
    :mod:`spatialinno.maps.capitals`).

    Parameters
    ----------
    frame : pandas.DataFrame
        Province table with ``code`` and the share in 0..1 (values in 0..100 are read as
        percentages), optionally ``year``, e.g. ``si.load_dataset("zhao2025_table2")``; or the
        output of ``si.capital_share`` as it is.
    column : str, optional
        The share column: default ``capital_share``, or for a ``si.capital_share`` table its
        one indicator (``mean`` with several).
    year : int, "latest" or None
        Year to map; ``"latest"`` (default) the last year with a value, or every row when the
        table has no ``year`` column; ``None``: every row.
    title, label, labels, names, lang, tiles, width, height, m
        As in :func:`~spatialinno.choropleth_map` (``m``: draw on an existing map).

    Returns
    -------
    folium.Map
        Provinces have class ``si-region``, capital circles ``si-capital``, capital names
        ``si-label-capital``.

    Examples
    --------
    >>> import spatialinno as si
    >>> t2 = si.load_dataset("zhao2025_table2")
    >>> m = si.capital_effect_map(t2, "capital_share", year=2021)
    >>> type(m).__name__
    'Map'
    """
    lang = styles.check_lang(lang)
    check_names(names)
    column = _share_column(frame, column)
    g, year = province_year(frame, column, year, "table")
    share = capital_shares(g, column, year)
    g[column] = share
    label = label or result_label(frame, column, lang, labels)
    style = styles.capital_share(column).resolve(share)
    words = styles.MAP_TEXT[lang]
    key = "capital_effect" if year is None else "capital_effect_year"
    m = start_map(m, title or words[key].format(label=label, year=year), lang=lang, tiles=tiles,
                  width=width, height=height)  # fmt: skip
    classes = add_graduated_regions(m, g, share, style, label, label, lang)
    add_capitals(m, g, share, style, label, lang)
    add_border_lines(m, lang)
    add_names(m, g, names, lang)
    rows = capital_legend(style, classes, lang)
    t = styles.TEXT[lang]
    notes = [t["capital_circle"], words["moved"], t["thresholds"], t["source"]]
    # bottom left: the empty corner south of Tibet, clear of the eastern capitals
    add_legend(m, label, rows, notes, lang, position="bottomleft")
    return finish(m)
