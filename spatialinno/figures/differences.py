"""Charts of regional differences: Dagum decomposition, kernel densities, convergence, core shares.

* :func:`plot_dagum` -- the shares of the three Dagum contributions stacked by year, beside the
  within-group Gini :math:`G_{jj}` of each group by year (:func:`spatialinno.dagum_gini`);
* :func:`plot_kernel_density` -- the density curves of :func:`spatialinno.kernel_density`
  overlaid in 2D, or stacked into a 3D year-value-density surface;
* :func:`plot_convergence` -- sigma-convergence (CV and SD of logs by year,
  :func:`spatialinno.sigma_convergence`) beside the beta-convergence scatter and its fitted line
  (:func:`spatialinno.beta_convergence`);
* :func:`plot_core_shares` -- the core shares of :func:`spatialinno.core_share` ranked side by
  side, one panel per indicator.

Each takes ``style="print"`` (journal column width, ``dpi``) or ``"web"`` (the report's
screen figure); colours and words come from :mod:`spatialinno.styles.charts`, numbers from
:func:`spatialinno.styles.format_number`, and every user text is drawn through
:func:`spatialinno._escape.plot_text` (never parsed as mathtext). The charts draw results;
they compute nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .._errors import InputError
from .._escape import plot_text
from ..boundaries.regions import REGION_EN, REGION_ZH
from ..styles import TABLE, format_number
from ..styles.charts import CHART_COLORS, DAGUM_COLORS, DENSITY_RAMP, SERIES_COLORS, chart_word
from ..styles.printing import REGION_COLORS, REGION_LINESTYLES, REGION_MARKERS
from ._chart import ChartPage, render_chart
from .page import PrintFigure

__all__ = ["plot_convergence", "plot_core_shares", "plot_dagum", "plot_kernel_density"]

_PARTS = ("within", "between", "transvariation")


def _tidy(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _title(ax: Any, title: str | None, default: str) -> None:
    if title != "":
        ax.set_title(plot_text(default if title is None else title), loc="left")


def group_name(group: Any, lang: str) -> str:
    """A group's name for a legend: the NBS regions in ``lang``, any other group as given."""
    names = REGION_ZH if lang == "zh" else REGION_EN
    return names.get(group, str(group)) if isinstance(group, str) else str(group)


def _group_look(groups: list[Any]) -> dict[Any, tuple[str, Any, str]]:
    """Colour, line style and marker of each group: the NBS regions' own, others in order."""
    out, k = {}, 0
    for g in groups:
        if isinstance(g, str) and g in REGION_COLORS:
            out[g] = (REGION_COLORS[g], REGION_LINESTYLES[g], REGION_MARKERS[g])
        else:
            out[g] = (SERIES_COLORS[k % len(SERIES_COLORS)], "-", "o")
            k += 1
    return out


def _percent(v: float, _: Any = None) -> str:
    return f"{v:.0f} %"


# ---- Dagum ------------------------------------------------------------------------------------
def _dagum_frames(result: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shares (year x part, in %) and G_jj (year x group) of a DagumPanel or a DagumGini."""
    from ..measures.dagum import DagumGini, DagumPanel

    if isinstance(result, DagumPanel):
        shares = pd.DataFrame({p: getattr(result, f"{p}_share") for p in _PARTS}) * 100
        return shares, result.group_gini
    if isinstance(result, DagumGini):
        year = result.year if result.year is not None else ""
        shares = pd.DataFrame({p: [getattr(result, f"{p}_share") * 100] for p in _PARTS})
        shares.index = [year]
        return shares, pd.DataFrame([result.group_gini.to_numpy()], index=[year],
                                    columns=result.group_gini.index)  # fmt: skip
    raise InputError(
        f"plot_dagum draws the result of si.dagum_gini (DagumGini or DagumPanel), not "
        f"{type(result).__name__}"
    )


def plot_dagum(
    result: Any,
    *,
    title: str | None = None,
    label: str | None = None,
    lang: str = "zh",
    style: str = "print",
    width: str | float = "double",
    dpi: int = 300,
) -> PrintFigure:
    """Dagum decomposition by year: contribution shares stacked (left), :math:`G_{jj}` by group (right).

    The left panel stacks, for each year, the shares of the within-group (:math:`G_w / G`),
    net between-group (:math:`G_{nb} / G`) and transvariation (:math:`G_t / G`) contributions;
    they add up to 100 %. The right panel draws the Gini inside each group, :math:`G_{jj}`, by
    year (the four NBS regions in their chart colours, line styles and markers).

    Parameters
    ----------
    result : DagumPanel or DagumGini
        From :func:`spatialinno.dagum_gini` (with ``year=`` for a panel).
    title : str, optional
        Figure title ("" for none); default names the column.
    label : str, optional
        How to name the column in the title (default: the column).
    lang : {"zh", "en"}
    style : {"print", "web"}
        Journal figure (``width``, ``dpi``) or the report's screen figure.
    width : "single", "double" or float (mm)
    dpi : int

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spatialinno as si
    >>> t2 = si.join_indicators(si.load_dataset("zhao2025_table2"), "province")
    >>> t2 = t2[t2["gini_innovation"].notna()]  # the 26 provinces of the study's Table 2
    >>> fig = plot_dagum(si.dagum_gini(t2, "gini_innovation", year="year"), lang="en")
    >>> [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    ['East', 'Central', 'West', 'Northeast']
    """
    page = ChartPage.of(style, width, dpi, lang)
    shares, gjj = _dagum_frames(result)
    column = label or result.column
    look = _group_look(list(gjj.columns))

    def build() -> PrintFigure:
        fig = page.figure(page.width_mm * 0.42)
        ax, bx = fig.subplots(1, 2)
        x = np.arange(len(shares))
        bottom = np.zeros(len(shares))
        for p in _PARTS:
            h = shares[p].to_numpy()
            ax.bar(x, h, bottom=bottom, width=0.72, color=DAGUM_COLORS[p],
                   edgecolor=CHART_COLORS["edge"], linewidth=0.4,
                   label=chart_word(p, page.lang))  # fmt: skip
            for xi, b, hi in zip(x, bottom, h, strict=True):
                if hi >= 8 and len(x) <= 10:  # more bars: too narrow for a number
                    ax.text(xi, b + hi / 2, f"{hi:.0f}", ha="center", va="center",
                            fontsize=page.base_pt * 0.75)  # fmt: skip
            bottom += np.nan_to_num(h)
        _year_ticks(ax, list(shares.index))
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_formatter(FuncFormatter(_percent))
        ax.set_ylabel(chart_word("share", page.lang))
        ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3)
        years = list(gjj.index)
        for g in gjj.columns:
            color, ls, marker = look[g]
            bx.plot(range(len(years)), gjj[g].to_numpy(), color=color, linestyle=ls,
                    marker=marker, markersize=3.5, label=plot_text(group_name(g, page.lang)))  # fmt: skip
        _year_ticks(bx, years)
        bx.set_ylabel(chart_word("group_gini", page.lang))
        bx.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v)))
        bx.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1),
                  ncols=min(len(gjj.columns), 4))  # fmt: skip
        for a in (ax, bx):
            _tidy(a)
        if title != "":
            head = chart_word("dagum_title", page.lang).format(label=column)
            fig.suptitle(plot_text(head if title is None else title), x=0.01, ha="left")
        return fig

    return render_chart(page, build)


def _year_ticks(ax: Any, years: list[Any], axis: str = "x", most: int = 8) -> None:
    """Years as category ticks at 0, 1, ...; every k-th labelled so that at most ``most`` show."""
    step = -(-len(years) // most)
    ticks = list(range(0, len(years), step))
    getattr(ax, f"set_{axis}ticks")(ticks, [plot_text(years[i]) for i in ticks])


# ---- kernel density -----------------------------------------------------------------------------
def _curves(kd: Any) -> tuple[pd.DataFrame, str | None]:
    from ..measures.dynamics import KernelDensity

    if not isinstance(kd, KernelDensity):
        raise InputError(f"plot_kernel_density draws si.kernel_density's result, not {kd!r:.60}")
    year = next((c for c in kd.curves.columns if c not in ("x", "density")), None)
    return kd.curves, year


def _ramp(n: int) -> list[Any]:
    cmap = LinearSegmentedColormap.from_list("density", DENSITY_RAMP)
    return [cmap(v) for v in (np.linspace(0.15, 1.0, n) if n > 1 else [1.0])]


def plot_kernel_density(
    kd: Any,
    kind: str = "overlay",
    *,
    title: str | None = None,
    label: str | None = None,
    lang: str = "zh",
    style: str = "print",
    width: str | float = "single",
    dpi: int = 300,
) -> PrintFigure:
    """Kernel density curves by year: overlaid in 2D, or a 3D year-value-density surface.

    ``kind="overlay"`` draws each year's curve on one pair of axes (light = first year, dark =
    last); ``kind="surface"`` stacks the curves (one shared grid, see
    :func:`spatialinno.kernel_density`) into a surface over value (x) and year (y).

    Parameters
    ----------
    kd : KernelDensity
        From :func:`spatialinno.kernel_density`.
    kind : {"overlay", "surface"}
    title, label, lang, style, width, dpi
        As in :func:`plot_dagum` (default width: one column).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spatialinno as si
    >>> t2 = si.load_dataset("zhao2025_table2")
    >>> kd = si.kernel_density(t2, "gini_innovation", year="year")
    >>> fig = plot_kernel_density(kd, lang="en")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['2012', '2015', '2018', '2021', '2023']
    >>> plot_kernel_density(kd, "surface").axes[0].name
    '3d'
    """
    if kind not in ("overlay", "surface"):
        raise InputError(f"kind must be 'overlay' or 'surface', not {kind!r}")
    page = ChartPage.of(style, width, dpi, lang)
    curves, year = _curves(kd)
    what = label or kd.column
    xlabel = chart_word("relative" if kd.relative else "value", page.lang).format(label=what)
    groups = list(curves.groupby(year, sort=True)) if year else [("", curves)]

    def build() -> PrintFigure:
        if kind == "surface":
            return _surface(page, groups, xlabel)
        fig = page.figure(page.width_mm * 0.68)
        ax = fig.add_subplot()
        for (when, part), color in zip(groups, _ramp(len(groups)), strict=True):
            ax.plot(part["x"], part["density"], color=color, lw=1.1, label=plot_text(when))
        ax.set_xlabel(plot_text(xlabel))
        ax.set_ylabel(chart_word("density", page.lang))
        ax.set_ylim(bottom=0)
        if year:
            ax.legend(frameon=False, loc="upper right", ncols=1 if len(groups) <= 8 else 2)
        _tidy(ax)
        _title(ax, title, chart_word("kde_title", page.lang).format(label=what))
        return fig

    return render_chart(page, build)


def _surface(page: ChartPage, groups: list[tuple[Any, pd.DataFrame]], xlabel: str) -> PrintFigure:
    fig = page.figure(page.width_mm * 0.8)
    ax = fig.add_subplot(projection="3d")
    xs = groups[0][1]["x"].to_numpy()
    years = np.arange(len(groups))
    z = np.vstack([part["density"].to_numpy() for _, part in groups])
    gx, gy = np.meshgrid(xs, years)
    cmap = LinearSegmentedColormap.from_list("density", DENSITY_RAMP)
    ax.plot_surface(gx, gy, z, cmap=cmap, linewidth=0.1, edgecolor=CHART_COLORS["grid"],
                    rcount=len(years), ccount=min(len(xs), 120), antialiased=True)  # fmt: skip
    _year_ticks(ax, [w for w, _ in groups], axis="y", most=6)
    ax.set_xlabel(plot_text(xlabel), labelpad=2)
    ax.set_ylabel(chart_word("year", page.lang), labelpad=2)
    ax.set_zlabel(chart_word("density", page.lang), labelpad=2)
    ax.view_init(elev=28, azim=-58)
    ax.set_box_aspect(None, zoom=0.82)  # room for the axis titles inside the figure
    ax.tick_params(pad=0)
    return fig


# ---- convergence ------------------------------------------------------------------------------
def plot_convergence(
    sigma: pd.DataFrame,
    beta: Any = None,
    *,
    title: str | None = None,
    label: str | None = None,
    lang: str = "zh",
    style: str = "print",
    width: str | float = "double",
    dpi: int = 300,
) -> PrintFigure:
    """Sigma-convergence by year (left) and the beta-convergence scatter (right).

    Left: the coefficient of variation and the standard deviation of logs by year, as
    :func:`spatialinno.sigma_convergence` gives them (a falling line is sigma-convergence).
    Right (when ``beta`` is given): each unit's mean annual log growth against its log initial
    level, the OLS line, and :math:`\\beta`, its standard error and the half-life.

    Parameters
    ----------
    sigma : pandas.DataFrame
        The output of :func:`spatialinno.sigma_convergence` (its first column is the year).
    beta : BetaConvergence, optional
        The output of :func:`spatialinno.beta_convergence`.
    title, label, lang, style, width, dpi
        As in :func:`plot_dagum`; ``title`` is the left panel's.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spatialinno as si
    >>> p = si.load_dataset("province_panel").query("gb != '156000000'")
    >>> s = si.sigma_convergence(p, "rd_exp_total_10k_yuan")
    >>> b = si.beta_convergence(p, "rd_exp_total_10k_yuan", start=2010, end=2023, unit="gb")
    >>> len(plot_convergence(s, b, lang="en").axes)
    2
    """
    if not isinstance(sigma, pd.DataFrame) or not {"cv", "sd_log"} <= set(sigma.columns):
        raise InputError("plot_convergence needs the frame si.sigma_convergence returns")
    page = ChartPage.of(style, width, dpi, lang)
    what = label or beta.column if beta is not None else (label or "")
    years = sigma.iloc[:, 0].to_numpy()

    def build() -> PrintFigure:
        fig = page.figure(page.width_mm * (0.42 if beta is not None else 0.68))
        axes = fig.subplots(1, 2 if beta is not None else 1, squeeze=False)[0]
        ax = axes[0]
        ax.plot(years, sigma["cv"], color=SERIES_COLORS[0], marker="o", markersize=3,
                label=chart_word("cv", page.lang))  # fmt: skip
        ax.plot(years, sigma["sd_log"], color=SERIES_COLORS[1], marker="s", markersize=3,
                linestyle=(0, (5, 2)), label=chart_word("sd_log", page.lang))  # fmt: skip
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(chart_word("year", page.lang))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v)))
        ax.legend(frameon=False, loc="best")
        _title(ax, title, chart_word("sigma_title", page.lang).format(label=what))
        if beta is not None:  # the column in the figure's title, each panel names its method
            ax.set_title(plot_text(chart_word("sigma", page.lang)), loc="left")
            if title != "":
                head = chart_word("convergence_title", page.lang).format(label=what)
                fig.suptitle(plot_text(head if title is None else title), x=0.01, ha="left")
        if beta is not None:
            _beta_axes(axes[1], beta, page, what)
        for a in axes:
            _tidy(a)
        return fig

    return render_chart(page, build)


def _beta_axes(ax: Any, beta: Any, page: ChartPage, what: str) -> None:
    d = beta.data
    ax.scatter(d["log_initial"], d["growth"], s=10, color=CHART_COLORS["point"], zorder=3)
    xs = np.linspace(float(d["log_initial"].min()), float(d["log_initial"].max()), 2)
    ax.plot(xs, beta.alpha + beta.beta * xs, color=CHART_COLORS["fit"], lw=1.0, zorder=4)
    half = (
        chart_word("years", page.lang).format(v=format_number(beta.half_life))
        if np.isfinite(beta.half_life)
        else chart_word("no_half", page.lang)
    )
    note = chart_word("beta_note", page.lang).format(
        beta=format_number(beta.beta), se=format_number(beta.se), half=half
    )
    ax.set_xlabel(chart_word("log_initial", page.lang).format(start=beta.start))
    ax.set_ylabel(chart_word("growth", page.lang))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, 3)))
    head = chart_word("beta_title", page.lang).format(start=beta.start, end=beta.end)
    ax.set_title(plot_text(f"{head}\n{note}"), loc="left")


# ---- core shares ------------------------------------------------------------------------------
def _core_label(row: Any, lang: str) -> str:
    core, cont = row["core"], row["container"]
    if lang == "zh" and isinstance(row.get("core_local"), str):
        core = row["core_local"]
        cont = row["container_local"] if isinstance(row.get("container_local"), str) else cont
    year = f" ({row['year']})" if "year" in row and pd.notna(row["year"]) else ""
    return f"{core} / {cont}{year}"


def plot_core_shares(
    shares: pd.DataFrame,
    *,
    indicators: list[str] | None = None,
    title: str | None = None,
    lang: str = "zh",
    style: str = "print",
    width: str | float = "double",
    dpi: int = 300,
) -> PrintFigure:
    """Core shares ranked side by side: one panel per indicator, largest share on top.

    Each bar is one core within its container (``core / container (year)``; the local names
    with ``lang="zh"`` when the table has ``core_local`` / ``container_local``), its length the
    share in %, written at its end.

    Parameters
    ----------
    shares : pandas.DataFrame
        The output of :func:`spatialinno.core_share` (``core, container, indicator, share``).
    indicators : list of str, optional
        The indicators to draw, in this order (default: all, in the table's order).
    title, lang, style, width, dpi
        As in :func:`plot_dagum`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spatialinno as si
    >>> t = si.core_share(si.load_dataset("core_shares_international"))
    >>> fig = plot_core_shares(t, indicators=["rd_expenditure"], lang="en")
    >>> fig.axes[0].get_yticklabels()[-1].get_text()  # the largest share on top
    'Pearl River Delta / Guangdong (2019)'
    """
    need = {"core", "container", "indicator", "share"}
    if not isinstance(shares, pd.DataFrame) or not need <= set(shares.columns):
        raise InputError("plot_core_shares needs the frame si.core_share returns")
    page = ChartPage.of(style, width, dpi, lang)
    order = list(dict.fromkeys(shares["indicator"])) if indicators is None else list(indicators)
    unknown = [i for i in order if i not in set(shares["indicator"])]
    if unknown or not order:
        raise InputError(
            f"indicator(s) {unknown} not in the table; it has: "
            f"{', '.join(map(str, dict.fromkeys(shares['indicator'])))}"
        )
    panels = [shares[shares["indicator"] == i].sort_values("share", kind="stable") for i in order]
    rows = max(len(p) for p in panels)

    def build() -> PrintFigure:
        ncols = min(len(panels), 2)
        nrows = -(-len(panels) // ncols)
        fig = page.figure(max(45.0, nrows * (4.5 * rows + 14)))
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for ax, ind, part in zip(axes, order, panels, strict=False):
            y = np.arange(len(part))
            share = part["share"].to_numpy()
            ax.barh(y, share * 100, color=CHART_COLORS["bar"], height=0.7)
            ax.set_yticks(y, [plot_text(_core_label(r, page.lang)) for _, r in part.iterrows()])
            ax.set_ylim(-0.6, rows - 0.4)  # bars of every panel the same thickness
            for yi, vi in zip(y, share, strict=True):
                ax.text(vi * 100 + 1.5, yi, format_number(vi, percent=True, fmt=TABLE),
                        va="center", fontsize=page.base_pt * 0.8)  # fmt: skip
            ax.set_xlim(0, 115)
            ax.set_xticks([0, 25, 50, 75, 100])
            ax.xaxis.set_major_formatter(FuncFormatter(_percent))
            ax.set_title(plot_text(_indicator_name(ind, page.lang)), loc="left")
            _tidy(ax)
        for ax in axes[len(panels) :]:
            ax.set_visible(False)
        if title != "":
            head = chart_word("core_title", page.lang)
            fig.suptitle(plot_text(head if title is None else title), x=0.01, ha="left")
        return fig

    return render_chart(page, build)


def _indicator_name(indicator: str, lang: str) -> str:
    from ..styles.charts import CHART_TEXT

    return CHART_TEXT[lang].get(f"indicator_{indicator}", str(indicator).replace("_", " "))
