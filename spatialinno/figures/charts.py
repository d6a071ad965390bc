"""The charts a paper needs beside the maps: regional means over years, capital shares, Moran.

* :func:`plot_region_means` -- the mean of a column in each of the four NBS regions, year by year
  (line chart; the means are :func:`spatialinno.region_summary`'s);
* :func:`plot_capital_shares` -- the capital's share of each province, sorted, with guides at
  30, 50 and 80 % and the capital-effect classes of the map (:func:`spatialinno.styles.capital_share`);
* :func:`plot_moran_scatter` -- each unit's standardised value against the spatial lag of its
  neighbours, the four quadrants labelled, the slope and Moran's I of :func:`spatialinno.moran`.

Same page sizes, fonts, words and colours as the maps (:mod:`spatialinno.styles`,
:mod:`spatialinno.styles.printing`); in greyscale the regions differ by line style and marker.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import styles
from .._errors import InputError
from .._escape import plot_text
from .._validate import numeric_column, require_columns
from ..boundaries.regions import REGION_EN, REGION_ZH, REGIONS
from ..measures import results
from ..measures.concentration import region_summary
from ..styles.printing import (
    CAPITAL_GUIDES,
    PRINT_COLORS,
    PRINT_TEXT,
    REGION_COLORS,
    REGION_LINESTYLES,
    REGION_MARKERS,
    graduated_fills,
    grey_fill,
)
from .base import render
from .cartography import add_legend
from .choropleth import graduated_entries, resolve_style, value_label
from .frames import frame_codes, province_rows
from .geometry import projected_layer
from .page import Page, PrintFigure
from .study import capital_shares

__all__ = ["plot_capital_shares", "plot_moran_scatter", "plot_region_means"]


def _chart(page: Page, height_mm: float) -> tuple[PrintFigure, Any]:
    """A figure of the page's width with one axes, laid out by matplotlib (constrained)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = page.figure(height_mm)
    fig.set_layout_engine("constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=PRINT_COLORS["text"], labelcolor=PRINT_COLORS["text"])
    return fig, ax


def _with_regions(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the NBS ``region`` of each row (from the province or prefecture layer)."""
    if "region" in frame.columns:
        return frame
    codes = frame_codes(frame)
    if codes is None:
        raise InputError(
            "the table needs a 'region' column (east, central, west, northeast) or unit codes "
            "('code' or 'gb') to look the regions up"
        )
    for level in ("province", "prefecture", "county"):
        layer = projected_layer(level, True).set_index("code")["region"]
        if codes.isin(layer.index).all():
            return frame.assign(region=codes.map(layer).to_numpy())
    raise InputError("the codes of the table are not all units of one boundary level")


def plot_region_means(
    frame: pd.DataFrame,
    column: str,
    *,
    years: list[int] | None = None,
    title: str | None = None,
    label: str | None = None,
    unit: str = "",
    lang: str = "zh",
    width: str | float = "single",
    dpi: int = 300,
    style: str = "color",
) -> PrintFigure:
    """Line chart of the mean of ``column`` in the four NBS regions, year by year.

    Means are unweighted, over the units with a value (:func:`spatialinno.region_summary`);
    units without a region (Hong Kong, Macao, Taiwan) are not in any region. The legend gives
    the number of units of each region in the last year.

    Parameters
    ----------
    frame : pandas.DataFrame
        A panel with ``year``, ``column`` and a ``region`` column or unit codes (``code`` /
        ``gb``), e.g. ``si.load_dataset("zhao2025_table2")``.
    column : str
    years : list of int, optional
        The years to show (default: all).
    title, label, unit, lang, width, dpi, style
        As in :func:`~spatialinno.plot_choropleth` (default width: one column).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spatialinno as si
    >>> fig = si.plot_region_means(si.load_dataset("zhao2025_table2"), "gini_innovation")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['东部 (n=7)', '中部 (n=6)', '西部 (n=10)', '东北 (n=3)']
    """
    page = Page.of(width, dpi, lang, style)
    require_columns(frame, ["year", column], "table")
    data = _with_regions(frame)
    data = data.assign(**{column: numeric_column(data, column, "table")})
    data = data[data[column].notna() & data["region"].notna()]
    if years is not None:
        data = data[data["year"].isin(years)]
    if data.empty:
        raise InputError(f"no values of {column!r} with a region in the years asked for")
    means = {y: region_summary(rows, column) for y, rows in data.groupby("year", sort=True)}
    ylabel = value_label(column, page.lang, frame, label, unit)

    def build() -> PrintFigure:
        fig, ax = _chart(page, page.width_mm * 0.72)
        last = means[max(means)]
        for r in REGIONS:
            xs = [y for y, m in means.items() if r in m.index]
            ys = [means[y].loc[r, column] for y in xs]
            name = REGION_ZH[r] if page.lang == "zh" else REGION_EN[r]
            n = int(last.loc[r, "n_units"]) if r in last.index else 0
            color = PRINT_COLORS["text"] if page.grey else REGION_COLORS[r]
            ax.plot(xs, ys, color=color, linestyle=REGION_LINESTYLES[r], marker=REGION_MARKERS[r],
                    markersize=3.5, lw=1.2, label=plot_text(f"{name} (n={n})"))  # fmt: skip
        if len(means) <= 12:  # the years of the data as ticks (2012, 2015, 2018 ...)
            ax.set_xticks(sorted(means))
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(PRINT_TEXT[page.lang]["year"])
        ax.set_ylabel(plot_text(ylabel))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: styles.format_number(v)))
        ax.legend(frameon=False, loc="best")
        if title != "":
            text = title or PRINT_TEXT[page.lang]["region_means_title"].format(label=ylabel)
            ax.set_title(plot_text(text))
        return fig

    return render(page, build)


def plot_capital_shares(
    frame: pd.DataFrame,
    column: str = "capital_share",
    year: int | None = 2021,
    *,
    title: str | None = None,
    label: str | None = None,
    lang: str = "zh",
    width: str | float = "single",
    dpi: int = 300,
    style: str = "color",
) -> PrintFigure:
    """Sorted bar chart of the capital's share of each province, guides at 30, 50 and 80 %.

    Bars are coloured by the capital-effect classes of the map (≤ 50 %, 50-80 %, > 80 %;
    :func:`spatialinno.styles.capital_share`), provinces without a value are left out.

    Parameters
    ----------
    frame, column, year, title, label, lang
        As in :func:`~spatialinno.capital_effect_map` (also the output of
        :func:`spatialinno.capital_share`).
    width, dpi, style
        As in :func:`~spatialinno.plot_choropleth` (default width: one column).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spatialinno as si
    >>> fig = si.plot_capital_shares(si.load_dataset("zhao2025_table2"), year=2021, lang="en")
    >>> fig.axes[0].get_yticklabels()[-1].get_text()  # the largest share on top
    'Gansu'
    """
    page = Page.of(width, dpi, lang, style)
    g = province_rows(frame, column, year, "table")
    g[column] = capital_shares(g, column, year)
    g = g[g[column].notna()].sort_values(column, kind="stable")
    cstyle = resolve_style(g[column].to_numpy(), styles.capital_share(column))
    classes = cstyle.classify(g[column].to_numpy())
    fills = graduated_fills(cstyle, page.grey)
    names = g["name_short"] if page.lang == "zh" else g["name_en"]
    xlabel = value_label(column, page.lang, frame, label, "")

    def build() -> PrintFigure:
        fig, ax = _chart(page, max(60.0, 4.2 * len(g) + 22))
        y = np.arange(len(g))
        ax.barh(y, g[column].to_numpy() * 100, color=[fills[c] for c in classes],
                edgecolor=styles.BORDER_COLOR, linewidth=0.3, height=0.72)  # fmt: skip
        ax.set_yticks(y, [plot_text(n) for n in names])
        for guide in CAPITAL_GUIDES:
            ax.axvline(guide * 100, color=PRINT_COLORS["guide"], lw=0.6, linestyle=(0, (3, 2)))
            ax.text(guide * 100, len(g) - 0.45, f"{guide:.0%}".replace("%", " %"), ha="center",
                    va="bottom", fontsize=page.base_pt * 0.8, color=PRINT_COLORS["guide"])  # fmt: skip
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.6, len(g) + 0.5)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f} %"))
        ax.set_xlabel(plot_text(xlabel))
        add_legend(ax, xlabel, graduated_entries(cstyle, classes, page.lang, page.grey),
                   page.lang, loc="lower right")  # fmt: skip
        if title != "":
            ax.set_title(
                plot_text(title or PRINT_TEXT[page.lang]["capital_title"].format(year=year))
            )
        return fig

    return render(page, build)


def _moran_points(
    gdf: pd.DataFrame, column: str, w: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardised values, their spatial lags (row-standardised weights among the units with
    a value) and the frame positions of those units."""
    from ..measures.units import prepare
    from ..measures.weights import transform_matrix

    units = prepare(gdf, [column], w)
    x = units.values[:, 0]
    z = (x - x.mean()) / x.std()
    lag = transform_matrix(units.matrix, "R") @ z
    return z, np.asarray(lag).ravel(), units.positions


_CLUSTER_MARKERS = {"HH": "o", "LL": "s", "HL": "^", "LH": "v"}


def _moran_groups(
    gdf: pd.DataFrame, positions: np.ndarray, grey: bool
) -> list[tuple[str | None, np.ndarray, str, str]]:
    """Point groups: (LISA cluster or None, mask, colour, marker); clusters only when the frame
    has ``lisa_cluster``. In greyscale the clusters differ by marker as well as by grey."""
    n = len(positions)
    if results.LISA.label not in gdf.columns:
        return [(None, np.ones(n, dtype=bool), PRINT_COLORS["point"], "o")]
    labels = results.lisa_classes(gdf.iloc[positions]).to_numpy()
    groups = []
    rest = np.ones(n, dtype=bool)
    for cluster, marker in _CLUSTER_MARKERS.items():
        mask = labels == cluster
        if mask.any():
            color = grey_fill(styles.LISA, cluster)[0] if grey else styles.LISA.color_of(cluster)
            groups.append((cluster, mask, color, marker if grey else "o"))
            rest &= ~mask
    return [(None, rest, PRINT_COLORS["halo"] if grey else PRINT_COLORS["point"], "o"), *groups]


def plot_moran_scatter(
    gdf: pd.DataFrame,
    column: str,
    w: Any = None,
    *,
    permutations: int = 999,
    seed: int | np.random.Generator | None = None,
    title: str | None = None,
    label: str | None = None,
    lang: str = "zh",
    width: str | float = "single",
    dpi: int = 300,
    style: str = "color",
) -> PrintFigure:
    """Moran scatter plot: standardised value (x) against the spatial lag (y), quadrants labelled.

    x = (x_i - mean) / sd, y = sum_j w_ij x_j with row-standardised weights among the units
    with a value (the units and weights :func:`spatialinno.moran` uses); the line is the
    least-squares slope through the origin, which equals Moran's I when every unit has a
    neighbour (Anselin 1996). The title gives Moran's I and its permutation p-value from
    :func:`spatialinno.moran`. Points are coloured by LISA cluster when the frame has
    ``lisa_cluster`` (the output of :func:`spatialinno.lisa`); the quadrants are named with
    the LISA labels (HH upper right, LH upper left, LL lower left, HL lower right).

    Parameters
    ----------
    gdf, column, w, permutations, seed
        As in :func:`~spatialinno.moran`.
    title, label, lang, width, dpi, style
        As in :func:`~spatialinno.plot_choropleth` (default width: one column).

    References
    ----------
    Anselin, L. (1996) The Moran scatterplot as an ESDA tool to assess local instability in
    spatial association. In *Spatial Analytical Perspectives on GIS*, 111-125.

    Examples
    --------
    >>> import spatialinno as si
    >>> prov = si.load_boundaries("province").query("region.notna()", engine="python")
    >>> prov["lon"] = prov.to_crs(si.boundaries.EQUAL_AREA_CRS).centroid.x / 1000
    >>> fig = si.plot_moran_scatter(prov, "lon", permutations=99, seed=0, lang="en")
    >>> fig.axes[0].get_title()
    'Moran scatter plot: I = 0.762, p (permutation) = 0.01'
    """
    from ..measures.autocorrelation import moran

    page = Page.of(width, dpi, lang, style)
    result = moran(gdf, column, w=w, permutations=permutations, seed=seed)
    z, lag, positions = _moran_points(gdf, column, w)
    groups = _moran_groups(gdf, positions, page.grey)
    text = PRINT_TEXT[page.lang]
    xlabel = text["moran_x"].format(label=value_label(column, page.lang, gdf, label, ""))
    head = text["moran_title"].format(I=styles.format_number(result.I))
    if result.permutations:
        head += ("，" if page.lang == "zh" else ", ") + text["moran_p"].format(
            p=styles.format_number(result.p_sim)
        )

    def build() -> PrintFigure:
        fig, ax = _chart(page, page.width_mm * 0.9)
        ax.axhline(0, color=PRINT_COLORS["guide"], lw=0.5)
        ax.axvline(0, color=PRINT_COLORS["guide"], lw=0.5)
        for cluster, mask, color, marker in groups:
            name = (
                None
                if cluster is None
                else f"{styles.LISA.label_of(cluster, page.lang)} ({int(mask.sum())})"
            )
            ax.scatter(z[mask], lag[mask], s=9, c=color, marker=marker, linewidths=0.3, zorder=3,
                       edgecolors=PRINT_COLORS["frame"], label=None if name is None else plot_text(name))  # fmt: skip
        slope = float(z @ lag / (z @ z))
        xs = np.array([z.min(), z.max()])
        ax.plot(xs, slope * xs, color=PRINT_COLORS["text"], lw=0.9, zorder=4)
        for quadrant, (qx, qy, ha, va) in {"HH": (0.98, 0.98, "right", "top"),
                                          "LH": (0.02, 0.98, "left", "top"),
                                          "LL": (0.02, 0.02, "left", "bottom"),
                                          "HL": (0.98, 0.02, "right", "bottom")}.items():  # fmt: skip
            ax.text(qx, qy, plot_text(styles.LISA.label_of(quadrant, page.lang)), ha=ha, va=va,
                    transform=ax.transAxes, fontsize=page.base_pt * 0.9, zorder=5,
                    color=PRINT_COLORS["muted"],
                    bbox={"facecolor": PRINT_COLORS["halo"], "edgecolor": "none", "alpha": 0.8,
                          "pad": 1.0})  # fmt: skip
        if len(groups) > 1:
            ax.legend(
                frameon=False, loc="upper left", bbox_to_anchor=(0.0, 0.93), handletextpad=0.2
            )
        ax.set_xlabel(plot_text(xlabel))
        ax.set_ylabel(text["moran_y"])
        if title != "":
            ax.set_title(plot_text(title or head))
        return fig

    return render(page, build)
