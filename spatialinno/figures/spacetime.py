"""Print figures of space-time results: emerging hot spots, the centre of gravity, Markov chains,
LISA transitions.

The static twins of :func:`spatialinno.emerging_hotspot_map` and :func:`spatialinno.gravity_map`
(same categories, colours, labels and legend rows from :mod:`spatialinno.styles`), and two charts:
the heat-map of a spatial Markov chain's conditional transition matrices
(:func:`spatialinno.spatial_markov`) and the heat-map of the LISA cluster transitions between two
years (:func:`spatialinno.lisa_transitions`). Figures read results; they compute nothing.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import styles
from .._errors import InputError
from .._escape import plot_text
from .._validate import region_labels, require_columns
from ..measures.centrography import centers_frame
from ..styles.printing import GREYS, PRINT_COLORS
from .base import MapSpec, map_figure, render
from .cartography import Entry
from .clusters import categorized_spec
from .frames import drawn_rows
from .geometry import Lines, Points, Polygons, project, projected_layer
from .page import Page, PrintFigure
from .raster import check_raster_names, raster_mode

__all__ = ["plot_emerging", "plot_gravity", "plot_lisa_transitions", "plot_markov"]


def _no_grey(style: str, what: str) -> None:
    if style == "grey":
        raise InputError(
            f"{what} has more classes than greys can tell apart in print; use style='color'"
        )


def plot_emerging(
    ehsa_gdf: pd.DataFrame,
    value: str | None = None,
    *,
    category_column: str = "category",
    title: str | None = None,
    lang: str = "zh",
    inset: bool | None = None,
    names: bool | str = False,
    review_number: str | None = None,
    width: str | float = "double",
    dpi: int = 300,
    style: str = "color",
    raster: bool | None = None,
) -> PrintFigure:
    """Print map of emerging hot spot categories (static twin of :func:`~spatialinno.emerging_hotspot_map`).

    The 17 categories of :func:`spatialinno.emerging_hotspots` (8 hot in reds, 8 cold in blues,
    no pattern), isolated and no data, in the web map's colours; the legend lists the 17 with
    their counts. Colour only: 19 classes cannot be told apart in grey.

    Parameters
    ----------
    ehsa_gdf, value, category_column, title, lang
        As in :func:`~spatialinno.emerging_hotspot_map`.
    inset, names, review_number, width, dpi, raster
        As in :func:`~spatialinno.plot_choropleth` (``raster``: the units as one image, by
        default from 20,000 units on -- the cells of a grid, e.g. emerging hot spots of a
        fishnet as ArcGIS makes them).
    style : {"color"}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spatialinno as si
    >>> g = si.load_boundaries("province")[["code", "name", "geometry"]]
    >>> g["category"] = ["persistent hot spot"] * 4 + ["no pattern detected"] * 30
    >>> fig = si.plot_emerging(g, width="single")
    >>> fig.axes[0].get_legend().get_texts()[3].get_text()
    '持续的热点 (4个)'
    """
    _no_grey(style, "the emerging hot spot map")
    page = Page.of(width, dpi, lang, style)
    raster_mode(raster, 0)  # a wrong value refused before any work
    require_columns(ehsa_gdf, category_column, "emerging hot spot frame")
    drawn = drawn_rows(ehsa_gdf, "emerging hot spot frame", inset)
    cstyle = styles.emerging(category_column)
    allowed = {c.value for c in cstyle.categories}
    raw = drawn.frame[category_column] if category_column in drawn.frame.columns else None
    values = [
        styles.NO_DATA_LABEL["en"] if raw is None or styles.is_missing(v) else v
        for v in (raw if raw is not None else [None] * len(drawn.frame))
    ]
    bad = [i for i, v in enumerate(values) if v not in allowed]
    if bad:
        raise InputError(
            f"column {category_column!r} has {values[bad[0]]!r} at "
            f"{region_labels(drawn.frame).iloc[bad[0]]}; the categories are those of "
            "si.emerging_hotspots"
        )
    spec = categorized_spec(drawn, cstyle, values, page, raster)
    check_raster_names(names, spec.layers[0].raster, len(drawn.frame))
    if title is None:
        sep = "：" if page.lang == "zh" else ": "
        title = cstyle.title(page.lang) + (f"{sep}{value}" if value else "")
    return map_figure(page, drawn, spec, title=title, names=names, review_number=review_number)


# --------------------------------------------------------------------------------------------
# centre of gravity
# --------------------------------------------------------------------------------------------
def _gravity_layers(
    c: pd.DataFrame, ellipses: gpd.GeoDataFrame | None, use_inset: bool, page: Page
) -> tuple[list, list[Entry]]:
    """Ellipse outlines graded by year, the path, the yearly points; the ellipses' legend rows."""
    t = styles.SPACETIME_TEXT[page.lang]
    grey = page.grey
    n = len(c)
    colors = list(styles.year_colors(n)) if not grey else list(_grey_steps(n))
    path_color = styles.GRAVITY_COLORS["path"]
    layers: list = []
    entries: list[Entry] = []
    years = [str(y) for y in c["year"]]
    if ellipses is not None:
        e = ellipses.sort_values("year") if "year" in ellipses.columns else ellipses
        full, main = project(e, mainland=use_inset)
        edge = list(styles.year_colors(len(e))) if not grey else list(_grey_steps(len(e)))
        layers.append(Lines(full, main, edge, 0.8, zorder=3.2))
        entries += [Entry(styles.LegendRow(edge[0], f"{t['ellipses']} {years[0]}", "line"))]
        if len(e) > 1:
            row = styles.LegendRow(edge[-1], f"{t['ellipses']} {years[-1]}", "line")
            entries.append(Entry(row))
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(c["lon"], c["lat"]), crs=4490)
    full, main = project(pts, mainland=False)
    x, y = np.array([p.x for p in full]), np.array([p.y for p in full])
    if n > 1:
        line = shapely.linestrings(np.c_[x, y])
        layers.append(Lines(np.array([line]), np.array([line]), path_color, 0.9, zorder=3.8))
    layers.append(Points(x, y, np.full(n, 9.0), colors, path_color, 0.4, zorder=4.5))
    return layers, entries


def _grey_steps(n: int) -> tuple[str, ...]:
    ramp = GREYS[7][2:]  # light grey .. near black
    idx = np.linspace(0, len(ramp) - 1, n).round().astype(int) if n > 1 else [len(ramp) - 1]
    return tuple(ramp[i] for i in idx)


def plot_gravity(
    centers: pd.DataFrame,
    ellipses: gpd.GeoDataFrame | None = None,
    *,
    title: str | None = None,
    lang: str = "zh",
    inset: bool | None = None,
    review_number: str | None = None,
    width: str | float = "double",
    dpi: int = 300,
    style: str = "color",
) -> PrintFigure:
    """Print map of the centre of gravity's path and the yearly ellipses (twin of
    :func:`~spatialinno.gravity_map`), on the provinces.

    Parameters
    ----------
    centers, ellipses, title, lang
        As in :func:`~spatialinno.gravity_map` (outputs of :func:`spatialinno.gravity_center`
        and :func:`spatialinno.deviational_ellipse`).
    inset, review_number, width, dpi
        As in :func:`~spatialinno.plot_choropleth`.
    style : {"color", "grey"}
        Greyscale: years from light to dark grey.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd, spatialinno as si
    >>> c = pd.DataFrame({"year": [2010, 2023], "lon": [114.2, 114.9], "lat": [32.6, 32.1]})
    >>> fig = si.plot_gravity(c, width="single", lang="en")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:2]
    ['centre of gravity 2010', 'centre of gravity 2023']
    """
    page = Page.of(width, dpi, lang, style)
    c = centers_frame(centers)
    if ellipses is not None and not isinstance(ellipses, gpd.GeoDataFrame):
        raise InputError("ellipses must be the GeoDataFrame of si.deviational_ellipse")
    prov = projected_layer("province", True)
    drawn = drawn_rows(pd.DataFrame({"code": prov["code"].to_numpy()}), "provinces", inset)
    base = Polygons(drawn.geoms, drawn.main, [PRINT_COLORS["land"]] * len(drawn.geoms),
                    PRINT_COLORS["land_border"], 0.3)  # fmt: skip
    layers, ellipse_entries = _gravity_layers(c, ellipses, drawn.inset, page)
    t = styles.SPACETIME_TEXT[page.lang]
    colors = list(styles.year_colors(len(c))) if not page.grey else list(_grey_steps(len(c)))
    years = [str(y) for y in c["year"]]
    path = styles.GRAVITY_COLORS["path"]
    entries = [Entry(styles.LegendRow(colors[0], f"{t['center']} {years[0]}", "circle", 3,
                                      border=path))]  # fmt: skip
    if len(c) > 1:
        entries.append(Entry(styles.LegendRow(colors[-1], f"{t['center']} {years[-1]}",
                                              "circle", 3, border=path)))  # fmt: skip
        entries.append(Entry(styles.LegendRow(path, t["path"], "line")))
    spec = MapSpec([base, *layers], t["center_title"], entries + ellipse_entries,
                   notes=[t["ellipse_note"]] if ellipses is not None else [])  # fmt: skip
    return map_figure(page, drawn, spec, title=title or t["center_title"],
                      review_number=review_number)  # fmt: skip


# --------------------------------------------------------------------------------------------
# charts: Markov heat-map, LISA transitions
# --------------------------------------------------------------------------------------------
def _cmap(grey: bool) -> Any:
    from matplotlib.colors import LinearSegmentedColormap

    colors = GREYS[7] if grey else styles.palette(7, "Blues")
    return LinearSegmentedColormap.from_list("si", list(colors))


def _heat(ax: Any, values: np.ndarray, labels: list[str], cmap: Any, fmt: Any, vmax: float):
    im = ax.imshow(values, cmap=cmap, vmin=0, vmax=vmax)
    for (i, j), v in np.ndenumerate(values):
        dark = vmax > 0 and v / vmax > 0.6
        ax.text(j, i, fmt(v), ha="center", va="center", fontsize="small",
                color=PRINT_COLORS["halo"] if dark else PRINT_COLORS["text"])  # fmt: skip
    ax.set_xticks(range(len(labels[1])), [plot_text(x) for x in labels[1]])
    ax.set_yticks(range(len(labels[0])), [plot_text(x) for x in labels[0]])
    ax.tick_params(length=0)
    return im


def plot_markov(
    sm: Any,
    *,
    title: str | None = None,
    lang: str = "zh",
    width: str | float = "double",
    dpi: int = 300,
    style: str = "color",
) -> PrintFigure:
    """Heat-map of a spatial Markov chain: one k x k matrix of transition probabilities per
    neighbourhood (lag) class, rows the class at t, columns the class at t+1, cells annotated.

    Parameters
    ----------
    sm : SpatialMarkov
        Result of :func:`spatialinno.spatial_markov`.
    title, lang, width, dpi, style
        As in :func:`~spatialinno.plot_moran_scatter`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np, pandas as pd, spatialinno as si
    >>> prov = si.load_boundaries("province").query("region.notna()", engine="python")
    >>> rng = np.random.default_rng(0)
    >>> long = pd.concat([prov.assign(year=t, v=rng.gamma(2, size=len(prov)))
    ...                   for t in range(2010, 2020)])
    >>> fig = si.plot_markov(si.spatial_markov(long, "v", k=3), lang="en")
    >>> len(fig.axes)  # three lag classes and the colour bar
    4
    """
    from ..measures.markov import SpatialMarkov

    if not isinstance(sm, SpatialMarkov):
        raise InputError(
            f"plot_markov needs the result of si.spatial_markov, not {type(sm).__name__}"
        )
    page = Page.of(width, dpi, lang, style)
    t = styles.SPACETIME_TEXT[page.lang]
    k = sm.k
    labels = [[str(i) for i in range(1, k + 1)]] * 2

    def build() -> PrintFigure:
        fig = page.figure(page.width_mm / max(sm.m, 2) * 1.25 + 12)
        fig.set_layout_engine("constrained")
        axes = fig.subplots(1, sm.m, squeeze=False)[0]
        for lag, ax in enumerate(axes):
            n = sm.T[lag].sum(axis=1).astype(int)
            im = _heat(ax, sm.P[lag], labels, _cmap(page.grey),
                       lambda v: styles.format_measure(v, "probability"), 1.0)  # fmt: skip
            ax.set_title(plot_text(f"{t['markov_lag']} {lag + 1}"), fontsize=page.base_pt)
            ax.set_yticks(range(k), [plot_text(f"{i + 1} (n={n[i]})") for i in range(k)])
            ax.set_xlabel(plot_text(t["markov_to"]))
            if lag == 0:
                ax.set_ylabel(plot_text(t["markov_from"]))
        bar = fig.colorbar(im, ax=list(axes), shrink=0.8)
        bar.set_label(plot_text(t["probability"]))
        head = title if title is not None else f"{sm.column}: {t['probability']}"
        fig.suptitle(plot_text(head), fontsize=page.base_pt + 1)
        return fig

    return render(page, build)


def plot_lisa_transitions(
    tr: Any,
    year_from: Any = None,
    year_to: Any = None,
    *,
    title: str | None = None,
    lang: str = "zh",
    width: str | float = "single",
    dpi: int = 300,
    style: str = "color",
) -> PrintFigure:
    """Heat-map of LISA cluster transitions between two years (units moving from each cluster,
    rows, to each cluster, columns), counts in the cells; the stable share in the title.

    Parameters
    ----------
    tr : LisaTransitions
        Result of :func:`spatialinno.lisa_transitions`.
    year_from, year_to
        The pair (default: the first pair of ``tr``).
    title, lang, width, dpi, style
        As in :func:`~spatialinno.plot_moran_scatter`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from ..measures.transitions import LisaTransitions

    if not isinstance(tr, LisaTransitions):
        raise InputError(
            f"plot_lisa_transitions needs the result of si.lisa_transitions, not {type(tr).__name__}"
        )
    page = Page.of(width, dpi, lang, style)
    table = tr.table(year_from, year_to)
    a, b = table.index.name, table.columns.name
    grid = table.drop(index="total", columns="total")
    t = styles.SPACETIME_TEXT[page.lang]
    lab = [[styles.LISA.label_of(v, page.lang) for v in grid.index],
           [styles.LISA.label_of(v, page.lang) for v in grid.columns]]  # fmt: skip
    st = tr.stability
    row = st[(st["year_from"].astype(str) == a) & (st["year_to"].astype(str) == b)]
    share = styles.format_number(float(row["share_stable"].iloc[0]), percent=True)

    def build() -> PrintFigure:
        fig = page.figure(page.width_mm * 0.95)
        fig.set_layout_engine("constrained")
        ax = fig.add_subplot()
        values = grid.to_numpy(dtype=float)
        _heat(ax, values, lab, _cmap(page.grey), lambda v: str(int(v)), max(values.max(), 1))
        ax.set_xlabel(plot_text(f"{t['transitions_to']} {b}"))
        ax.set_ylabel(plot_text(f"{t['transitions_from']} {a}"))
        ax.tick_params(axis="x", labelrotation=45)
        head = (
            title
            if title is not None
            else t["transitions_title"].format(c=tr.column, a=a, b=b, share=share)
        )
        ax.set_title(plot_text(head), fontsize=page.base_pt + 1)
        return fig

    return render(page, build)
