"""Print maps of the reference study: the eastern coastal lead and the capital effect (省会效应).

The static twins of :func:`spatialinno.coastal_lead_map` and
:func:`spatialinno.capital_effect_map`. Both draw a province table (``code``, ``year``, a
column) on the province layer, every province drawn, those missing as "no data". Classes,
colours, thresholds and words come from :mod:`spatialinno.styles`; the regional means from
:func:`spatialinno.region_summary`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import styles
from .._errors import InputError
from .._validate import region_labels
from ..boundaries.regions import REGION_EN, REGION_ZH, REGIONS
from ..measures.concentration import region_summary
from ..styles.printing import PRINT_COLORS, PRINT_TEXT, REGION_LINESTYLES
from .base import MapSpec, map_figure
from .cartography import Entry
from .choropleth import graduated_entries, graduated_layers, resolve_style, value_label
from .frames import drawn_rows, province_rows
from .geometry import Lines, Points, projected_layer
from .page import Page, PrintFigure

__all__ = ["CAPITAL_RADIUS_PT", "capital_shares", "plot_capital_effect", "plot_coastal_lead"]

# radius (pt) of a capital's circle at a share of 100 % (area ∝ share), by page width
CAPITAL_RADIUS_PT = {"single": 5.0, "double": 7.0}


@lru_cache(maxsize=1)
def _region_outlines() -> gpd.GeoDataFrame:
    """The four NBS regions dissolved from the simplified provinces (projected, mainland)."""
    layer = projected_layer("province", True).dropna(subset=["region"])
    full = layer.dissolve(by="region")
    main = gpd.GeoSeries(layer["mainland"].to_numpy(), index=layer.index).groupby(
        layer["region"]
    ).agg(lambda s: shapely.union_all(s.to_numpy()))  # fmt: skip
    full["mainland"] = main.reindex(full.index).to_numpy()
    return full


def _means(g: pd.DataFrame, column: str, by: str) -> pd.DataFrame:
    """Mean and n of ``column`` per value of ``by`` over the provinces with a value."""
    rows = g[g[column].notna() & g[by].notna()]
    return region_summary(rows, column, by=by) if len(rows) else pd.DataFrame()


def _region_entries(g: pd.DataFrame, column: str, lang: str) -> list[Entry]:
    """One line per NBS region (its line style, mean and n) and the coastal / inland line."""
    t = styles.TEXT[lang]
    fmt = styles.format_number
    means = _means(g, column, "region")
    entries = []
    for r in REGIONS:
        name = REGION_ZH[r] if lang == "zh" else REGION_EN[r]
        mean, n = (means.loc[r, column], means.loc[r, "n_units"]) if r in means.index else (None, 0)
        text = f"{name} {fmt(mean) if n else '—'} (n={int(n)})"
        row = styles.LegendRow(styles.REGION_OUTLINE_COLOR, text, shape="line")
        entries.append(Entry(row, linestyle=REGION_LINESTYLES[r], lw=1.2))
    coast = _means(g.assign(coastal=g["coastal"].fillna(False).astype(bool)), column, "coastal")
    part = {True: t["coastal_word"], False: t["inland_word"]}
    line = " · ".join(
        f"{part[c]} {fmt(coast.loc[c, column]) if c in coast.index else '—'} "
        f"(n={int(coast.loc[c, 'n_units']) if c in coast.index else 0})"
        for c in (True, False)
    )
    marker = styles.LegendRow(
        PRINT_COLORS["frame"], f"{PRINT_TEXT[lang]['coastal_marker']}: {line}"
    )
    return [*entries, Entry(marker, marker="^", size_pt=4.0)]


def _coastal_layers() -> list[Lines | Points]:
    """Region outlines (one line style each) and a triangle on every coastal province."""
    regions = _region_outlines()
    layers: list[Lines | Points] = [
        Lines(np.array([regions.geometry[r]]), np.array([regions["mainland"][r]]),
              styles.REGION_OUTLINE_COLOR, 1.1, linestyle=REGION_LINESTYLES[r], zorder=3.2)
        for r in REGIONS if r in regions.index
    ]  # fmt: skip
    layer = projected_layer("province", True)
    coastal = layer[layer["coastal"].fillna(False).astype(bool) & layer["region"].notna()]
    points = shapely.point_on_surface(coastal["mainland"].to_numpy())
    layers.append(Points(shapely.get_x(points), shapely.get_y(points), np.full(len(points), 9.0),
                         PRINT_COLORS["frame"], PRINT_COLORS["halo"], 0.4, marker="^"))  # fmt: skip
    return layers


def plot_coastal_lead(
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
    inset: bool | None = None,
    names: bool | str = False,
    review_number: str | None = None,
    width: str | float = "double",
    dpi: int = 300,
    style: str = "color",
) -> PrintFigure:
    """Provinces by ``column`` with the four NBS regions outlined and their means in the legend.

    The static twin of :func:`~spatialinno.coastal_lead_map`. The four regions are told apart
    by line style (solid east, dashed central, dotted west, dash-dot northeast), coastal
    provinces carry a triangle, and the second legend gives the mean of ``column`` over the
    provinces with data in each region and for coastal vs inland provinces
    (:func:`spatialinno.region_summary`).

    Parameters
    ----------
    frame, column, year, scheme, k, bins, title, label, unit, lang
        As in :func:`~spatialinno.coastal_lead_map`.
    inset, names, review_number, width, dpi, style
        As in :func:`~spatialinno.plot_choropleth`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spatialinno as si
    >>> fig = si.plot_coastal_lead(si.load_dataset("zhao2025_table2"), "gini_innovation")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][0][:2]
    '东部'
    """
    page = Page.of(width, dpi, lang, style)
    g = province_rows(frame, column, year, "table")
    drawn = drawn_rows(g, "table", inset)
    values = drawn.frame[column].to_numpy(dtype=float)
    gstyle = resolve_style(values, styles.graduated(column, scheme, k, bins, unit=unit))
    layers, classes = graduated_layers(drawn, values, gstyle, page.grey)
    legend_title = value_label(column, page.lang, frame, label, unit)
    entries = graduated_entries(gstyle, classes, page.lang, page.grey)
    extra = (styles.TEXT[page.lang]["region_means"], _region_entries(g, column, page.lang))
    spec = MapSpec([*layers, *_coastal_layers()], legend_title, entries,
                   [styles.class_note(gstyle, page.lang)], extra_legend=extra)  # fmt: skip
    if title is None:
        title = legend_title if year is None else (
            f"{legend_title}（{year} 年）：四大地区与沿海" if page.lang == "zh"
            else f"{legend_title} ({year}): four regions and the coast"
        )  # fmt: skip
    return map_figure(page, drawn, spec, title=title, names=names, review_number=review_number)


def capital_shares(g: pd.DataFrame, column: str, year: int | None) -> np.ndarray:
    """The capital shares checked (0..1, or 0..100 read as percent) and as 0..1."""
    share = g[column].to_numpy(dtype=float)
    finite = np.isfinite(share)
    if not finite.any():
        raise InputError(
            f"column {column!r} has no values{f' for {year}' if year is not None else ''}; "
            "check the column and the year"
        )
    bad = finite & ((share < 0) | (share > 100))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"column {column!r} is {share[i]!r} at {region_labels(g).iloc[i]}; a capital share "
            "must be between 0 and 1 (or 0 and 100 as a percentage)"
        )
    return share / 100.0 if share[finite].max() > 1.0 else share


# greyscale capitals: the class in the fill (light ≤ 50 %, mid 50-80 %, dark > 80 %), black
# outlines (the web map tells the classes apart by outline colour, which grey cannot)
_GREY_CAPITAL = ("#d9d9d9", "#969696", "#252525")


def _capital_look(share: float, grey: bool) -> tuple[str, str, float]:
    """Fill, outline colour and outline width (pt) of a capital's circle."""
    color, width = styles.capital_outline(share)
    if not grey:
        return styles.CAPITAL_COLORS["fill"], color, width * 0.5
    lo, hi = styles.CAPITAL_SHARE_THRESHOLDS
    klass = 2 if share > hi else 1 if share > lo else 0
    return _GREY_CAPITAL[klass], PRINT_COLORS["arrow_dark"], 0.6


def _capital_points(g: pd.DataFrame, share: np.ndarray, radius: float, grey: bool) -> Points:
    """A circle per capital at the point on the surface of its unit, area ∝ share."""
    pref = projected_layer("prefecture", True)
    caps = pref[pref["is_capital"].astype(bool)].drop_duplicates("province_code")
    caps = caps.set_index("province_code")
    has = np.isfinite(share) & g["code"].isin(caps.index).to_numpy()
    points = shapely.point_on_surface(caps.loc[g.loc[has, "code"], "mainland"].to_numpy())
    s = share[has]
    looks = [_capital_look(v, grey) for v in s]
    return Points(shapely.get_x(points), shapely.get_y(points), (2 * radius) ** 2 * np.maximum(s, 0),
                  [f for f, _, _ in looks], [c for _, c, _ in looks],
                  np.array([w for _, _, w in looks]), zorder=4.5, alpha=1.0 if grey else 0.6)  # fmt: skip


def _capital_entries(
    style: styles.GraduatedStyle, radius: float, lang: str, grey: bool
) -> list[Entry]:
    """One example circle per class: a typical share, its size and outline."""
    t = styles.TEXT[lang]
    out = []
    for example, text in zip((0.3, 0.65, 0.9), style.class_labels(lang), strict=False):
        fill, color, lw = _capital_look(example, grey)
        row = styles.LegendRow(fill, f"{t['capital']} {text}", shape="circle", border=color)
        out.append(Entry(row, lw=lw, size_pt=2 * radius * np.sqrt(example)))
    return out


def plot_capital_effect(
    frame: pd.DataFrame,
    column: str = "capital_share",
    year: int | None = 2021,
    *,
    title: str | None = None,
    label: str | None = None,
    lang: str = "zh",
    inset: bool | None = None,
    names: bool | str = False,
    review_number: str | None = None,
    width: str | float = "double",
    dpi: int = 300,
    style: str = "color",
) -> PrintFigure:
    """Provinces by the capital's share, capitals as circles (area ∝ share), 50 %/80 % classes.

    The static twin of :func:`~spatialinno.capital_effect_map`: classes ≤ 50 %, 50–80 %
    (capital-dominated) and > 80 % (extreme) (:func:`spatialinno.styles.capital_share`); each
    capital is a circle at a point inside its prefecture unit, radius 7 pt · √share (5 pt in
    a single column), outlined by class (:func:`spatialinno.styles.capital_outline`). Also
    accepts the output of :func:`spatialinno.capital_share` (indexed by ``province_code``).

    Parameters
    ----------
    frame, column, year, title, label, lang
        As in :func:`~spatialinno.capital_effect_map`.
    inset, names, review_number, width, dpi, style
        As in :func:`~spatialinno.plot_choropleth`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spatialinno as si
    >>> from matplotlib.legend import Legend
    >>> fig = si.plot_capital_effect(si.load_dataset("zhao2025_table2"), year=2021, lang="en")
    >>> [lg.get_title().get_text() for lg in fig.axes[0].findobj(Legend)]
    ['Capital share', 'Provincial capitals']
    """
    page = Page.of(width, dpi, lang, style)
    g = province_rows(frame, column, year, "table")
    share = capital_shares(g, column, year)
    g[column] = share
    drawn = drawn_rows(g, "table", inset)
    cstyle = resolve_style(share, styles.capital_share(column))
    layers, classes = graduated_layers(drawn, share, cstyle, page.grey)
    radius = CAPITAL_RADIUS_PT["single" if page.width_mm < 140 else "double"]
    t = styles.TEXT[page.lang]
    legend_title = value_label(column, page.lang, frame, label, "")
    entries = graduated_entries(cstyle, classes, page.lang, page.grey)
    extra = (t["capitals"], _capital_entries(cstyle, radius, page.lang, page.grey))
    spec = MapSpec([*layers, _capital_points(g, share, radius, page.grey)], legend_title, entries,
                   [t["capital_circle"], t["thresholds"]], extra_legend=extra)  # fmt: skip
    if title is None:
        title = (f"省会效应：{legend_title}（{year} 年）" if page.lang == "zh"
                 else f"The capital effect: {legend_title} ({year})")  # fmt: skip
    return map_figure(page, drawn, spec, title=title, names=names, review_number=review_number)
