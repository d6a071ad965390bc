"""The shared base of every print map: page layout, layers, inset, furniture, legend, caption.

A map kind (:mod:`~spatialinno.figures.choropleth`, :mod:`~spatialinno.figures.clusters`,
:mod:`~spatialinno.figures.study`, :mod:`~spatialinno.figures.network`) turns its input into a
:class:`MapSpec` -- layers (:mod:`spatialinno.figures.geometry`), legend entries built from the
legend rows of :mod:`spatialinno.styles.legend`, notes -- and :func:`map_figure` (one map) or
:func:`panels_figure` (small multiples) lays out the page: the main map in the projection of
:mod:`~spatialinno.figures.geometry`, the 境界线 on top, the South China Sea inset for a
national map, north arrow, scale bar, legend, optional names, and a caption with the class
scheme, the boundary source (or the review-number statement) and the projection.

Every text goes through :func:`spatialinno._escape.plot_text` (never mathtext) and the figure
is checked for characters outside the bundled font (:func:`spatialinno.figures.fonts.check_glyphs`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.transforms import Bbox

from .._escape import plot_text
from ..styles import TEXT, check_lang
from ..styles.printing import PRINT_COLORS, PRINT_TEXT, review_statement
from .cartography import (
    Entry,
    add_inset,
    add_legend,
    add_names,
    add_north_arrow,
    add_scale_bar,
    inset_place,
)
from .fonts import check_glyphs
from .frames import Drawn
from .geometry import Lines, Points, Polygons, border_lines, bounds_of, draw_layers, projected_layer
from .page import MM_PER_INCH, Page, PrintFigure

__all__ = ["MapSpec", "caption_lines", "map_figure", "name_points", "panels_figure", "render"]

_SIDE_MM = 2.0
_PAD = 0.02  # of the map's extent, around the units drawn
NAMES = (False, True, "province", "units")


@dataclass
class MapSpec:
    """What a map kind draws: layers, the legend (title and entries), notes for the caption."""

    layers: list[Polygons | Lines | Points]
    legend_title: str
    entries: list[Entry]
    notes: list[str] = field(default_factory=list)
    extra_legend: tuple[str, list[Entry]] | None = None


def _pt_mm(pt: float) -> float:
    return pt / 72 * MM_PER_INCH


def border_layer() -> Lines:
    """The 境界线 (incl. the ten-dash line) as a layer, on top of the regions."""
    full, main = border_lines()
    return Lines(full, main, PRINT_COLORS["frame"], 0.7, zorder=3.5)


def caption_lines(lang: str, notes: Sequence[str], review_number: str | None) -> list[str]:
    """Notes (class scheme ...), the boundary source or the review statement, the projection."""
    lang = check_lang(lang)
    sep = "；" if lang == "zh" else "; "
    lines = [sep.join(notes)] if notes else []
    if review_number is not None:
        lines.append(review_statement(review_number, lang))
    lines.append(TEXT[lang]["source"])
    lines.append(PRINT_TEXT[lang]["projection"])
    return lines


def name_points(drawn: Drawn, names: object, lang: str) -> pd.DataFrame | None:
    """Label, point (projected) and priority (area) of each name to place; None for no names."""
    if names not in NAMES:
        raise_names(names)
    if names is False:
        return None
    if names == "units":
        frame, geoms = drawn.frame, drawn.main
        labels = frame.get("name_short", frame["name"]) if lang == "zh" else frame["name_en"]
    else:
        layer = projected_layer("province", True)
        keep = layer["code"].isin(_provinces_of(drawn))
        frame, geoms = layer[keep], layer.loc[keep, "mainland"].to_numpy()
        labels = frame["name_short"] if lang == "zh" else frame["name_en"]
    ok = ~shapely.is_empty(geoms)
    points = shapely.point_on_surface(geoms[ok])
    return pd.DataFrame({
        "label": pd.Series(labels).astype("string").fillna("").to_numpy()[ok],
        "x": shapely.get_x(points),
        "y": shapely.get_y(points),
        "area": shapely.area(geoms[ok]),
    })  # fmt: skip


def raise_names(names: object) -> None:
    from .._errors import InputError

    raise InputError(f"names must be False, True ('province') or 'units', not {names!r}")


def _provinces_of(drawn: Drawn) -> set[str]:
    if "province_code" in drawn.frame.columns:
        codes = set(drawn.frame["province_code"].dropna().astype(str))
        if codes:
            return codes
    return set(projected_layer("province", True)["code"])


def _extent(drawn: Drawn, spec: MapSpec) -> tuple[tuple[float, float, float, float], Any]:
    """The main map's extent and the inset's place in it (None without an inset)."""
    x0, y0, x1, y1 = bounds_of(drawn.main)
    pad = _PAD * max(x1 - x0, y1 - y0)
    extent = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    if not drawn.inset:
        return extent, None
    land = [layer.main for layer in spec.layers if isinstance(layer, Polygons)]
    return inset_place(extent, land)


def _axes_mm(page: Page, extent: Sequence[float]) -> tuple[float, float]:
    w = page.width_mm - 2 * _SIDE_MM
    return w, w * (extent[3] - extent[1]) / (extent[2] - extent[0])


def _add_legends(ax: Any, spec: MapSpec, page: Page, below: bool) -> list[Any]:
    """The legend (and the second one, to its right): inside the lower left, or below the map."""
    loc, anchor = ("upper left", (0.0, -0.01)) if below else ("lower left", (0.0, 0.0))
    ncols = 2 if below and len(spec.entries) > 4 and spec.extra_legend is None else 1
    legend = add_legend(ax, spec.legend_title, spec.entries, page.lang, loc=loc, anchor=anchor,
                        ncols=ncols)  # fmt: skip
    if spec.extra_legend is None:
        return [legend]
    renderer = ax.figure.canvas.get_renderer()
    box = legend.get_window_extent(renderer).transformed(ax.transAxes.inverted())
    title, entries = spec.extra_legend
    extra = add_legend(ax, title, entries, page.lang, loc=loc, anchor=(box.x1 + 0.01, anchor[1]))
    ax.add_artist(legend)  # a second ax.legend() replaces the first unless re-added
    return [legend, extra]


def _on_land(ax: Any, artists: Sequence[Any], land: Sequence[np.ndarray]) -> bool:
    """Whether any of ``artists`` (legends) covers a polygon of ``land`` (data coordinates)."""
    renderer = ax.figure.canvas.get_renderer()
    inverse = ax.transData.inverted()
    pad = 1.5 / MM_PER_INCH * ax.figure.dpi  # 1.5 mm: a legend touching a coast is on land
    for artist in artists:
        extent = artist.get_window_extent(renderer).padded(pad)
        (x0, y0), (x1, y1) = inverse.transform(extent.get_points())
        box = shapely.box(x0, y0, x1, y1)
        if any(bool(shapely.intersects(geoms, box).any()) for geoms in land):
            return True
    return False


def _scale_bar_and_inset(ax: Any, spec: MapSpec, page: Page, place: Any) -> list[Any]:
    """The inset (lower right) with the scale bar above it, or the scale bar alone; obstacles."""
    out = []
    if place is not None:  # above the inset, right-aligned with it
        out.append(add_inset(ax, spec.layers, place, page.lang, page.base_pt))
        corner = ax.transData.transform((place[0] + place[2], place[1] + place[3]))
        x, y = ax.transAxes.inverted().transform(corner)
        anchor = (float(x), float(y) + 0.01)
        box = (anchor[0] - 0.2, anchor[1], anchor[0], anchor[1] + 0.07)
    else:
        anchor, box = (1.0, 0.0), (0.8, 0.0, 1.0, 0.07)
    add_scale_bar(ax, page.base_pt * 0.85, location="lower right", anchor=anchor, length=0.12)
    out.append(Bbox.from_extents(*box).transformed(ax.transAxes))
    return out


def _caption(fig: Any, lines: Sequence[str], page: Page, height_mm: float) -> None:
    size = page.base_pt * 0.8
    step = _pt_mm(size) * 1.45
    for i, line in enumerate(lines):
        y = (_pt_mm(size) * 0.6 + (len(lines) - 1 - i) * step + 1.0) / height_mm
        fig.text(_SIDE_MM / page.width_mm, y, plot_text(line), ha="left", va="bottom",
                 fontsize=size, color=PRINT_COLORS["muted"])  # fmt: skip


def _caption_mm(lines: Sequence[str], page: Page) -> float:
    return 2.0 + len(lines) * _pt_mm(page.base_pt * 0.8) * 1.45


def _title_mm(title: str, page: Page) -> float:
    return _pt_mm(page.base_pt + 1) * 2.0 if title else 1.5


def _new_figure(page: Page, height_mm: float) -> PrintFigure:
    fig = page.figure(height_mm)
    FigureCanvasAgg(fig)  # a renderer to measure text (names, legends) before saving
    return fig


def render(page: Page, build: Any) -> PrintFigure:
    """Run ``build()`` under the page's matplotlib settings; check the glyphs of the result."""
    with matplotlib.rc_context(page.rc()):
        fig = build()
    check_glyphs(fig)
    return fig


def _place_axes(fig: Any, ax: Any, page: Page, mm: Sequence[float]) -> float:
    """Size the figure to ``mm`` = (top, map height, legend band, caption) and place the map."""
    top, h, band, bottom = mm
    height = top + h + band + bottom
    fig.set_size_inches(page.inches(page.width_mm), page.inches(height))
    w = page.width_mm - 2 * _SIDE_MM
    ax.set_position(
        [_SIDE_MM / page.width_mm, (bottom + band) / height, w / page.width_mm, h / height]
    )
    return height


def map_figure(
    page: Page, drawn: Drawn, spec: MapSpec, *, title: str, names: object = False,
    review_number: str | None = None,
) -> PrintFigure:  # fmt: skip
    """One map on a page: main map (+ inset), furniture, legend, names, title and caption.

    The legend sits in the lower left of the map; when it would cover land there (a single
    column, a regional map), it moves below the map.
    """
    spec.layers.append(border_layer())
    lines = caption_lines(page.lang, spec.notes, review_number)
    points = name_points(drawn, names, page.lang)
    part = "main" if drawn.inset else "full"
    land = [layer.main if drawn.inset else layer.geoms for layer in spec.layers
            if isinstance(layer, Polygons)]  # fmt: skip

    def build() -> PrintFigure:
        extent, place = _extent(drawn, spec)
        mm = [_title_mm(title, page), _axes_mm(page, extent)[1], 0.0, _caption_mm(lines, page)]
        fig = _new_figure(page, sum(mm))
        ax = fig.add_axes([0, 0, 1, 1])
        height = _place_axes(fig, ax, page, mm)
        draw_layers(ax, spec.layers, part)
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
        ax.set_aspect("equal", adjustable="box")
        ax.set_axis_off()
        obstacles = [add_north_arrow(ax, page.lang, page.base_pt)]
        obstacles += _scale_bar_and_inset(ax, spec, page, place)
        legends = _add_legends(ax, spec, page, below=False)
        if _on_land(ax, legends, land):
            for legend in legends:
                legend.remove()
            legends = _add_legends(ax, spec, page, below=True)
            renderer = fig.canvas.get_renderer()
            px = max(lg.get_window_extent(renderer).height for lg in legends)
            mm[2] = px / fig.dpi * MM_PER_INCH + 1.0
            height = _place_axes(fig, ax, page, mm)
        else:
            obstacles += legends
        if points is not None:
            add_names(ax, list(points["label"]), points["x"].to_numpy(), points["y"].to_numpy(),
                      points["area"].to_numpy(), page.base_pt * 0.8, obstacles)  # fmt: skip
        if title:
            fig.text(0.5, 1 - mm[0] / 2 / height, plot_text(title), ha="center", va="center",
                     fontsize=page.base_pt + 1, color=PRINT_COLORS["text"])  # fmt: skip
        _caption(fig, lines, page, height)
        return fig

    return render(page, build)


def _grid(n: int, page: Page) -> tuple[int, int]:
    """Columns and rows of ``n`` panels and one more cell for the legend and the inset."""
    ncols = 2 if page.width_mm < 140 else 3
    return ncols, math.ceil((n + 1) / ncols)


def panels_figure(
    page: Page, panels: Sequence[tuple[str, list[Any], np.ndarray]], spec: MapSpec,
    land: list[Any], *, title: str, review_number: str | None = None, inset: bool = True,
) -> PrintFigure:  # fmt: skip
    """Small multiples: one national map per panel (same classes), one legend, one inset.

    ``panels`` holds (panel title, layers, main-map geometries) per panel; ``land`` is the
    neutral layer the shared inset draws (the panels differ, the islands do not).
    """
    lines = caption_lines(page.lang, spec.notes, review_number)
    border = border_layer()

    def build() -> PrintFigure:
        x0, y0, x1, y1 = bounds_of(np.concatenate([g for _, _, g in panels]))
        pad = _PAD * (x1 - x0)
        extent = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
        ncols, nrows = _grid(len(panels), page)
        gap = 2.0
        cell_w = (page.width_mm - 2 * _SIDE_MM - (ncols - 1) * gap) / ncols
        map_h = cell_w * (extent[3] - extent[1]) / (extent[2] - extent[0])
        head = _pt_mm(page.base_pt) * 1.8
        cell_h = map_h + head
        top, bottom = _title_mm(title, page), _caption_mm(lines, page)
        height = top + nrows * cell_h + (nrows - 1) * gap + bottom
        fig = _new_figure(page, height)

        def cell(i: int) -> list[float]:
            r, c = divmod(i, ncols)
            left = _SIDE_MM + c * (cell_w + gap)
            lower = height - top - (r + 1) * cell_h - r * gap
            return [left / page.width_mm, lower / height, cell_w / page.width_mm, map_h / height]

        for i, (key, layers, _) in enumerate(panels):
            ax = fig.add_axes(cell(i))
            draw_layers(ax, [*layers, border], "main")
            ax.set_xlim(extent[0], extent[2])
            ax.set_ylim(extent[1], extent[3])
            ax.set_aspect("equal", adjustable="box")
            ax.set_axis_off()
            ax.set_title(plot_text(key), fontsize=page.base_pt, color=PRINT_COLORS["text"], pad=2)
            if i == 0:
                add_north_arrow(ax, page.lang, page.base_pt * 0.9, xy=(0.06, 0.8))
                add_scale_bar(ax, page.base_pt * 0.75, location="lower left", length=0.25)
        _shared_cell(fig, cell(len(panels)), spec, [*land, border] if inset else None, page)
        if title:
            fig.text(0.5, 1 - top / 2 / height, plot_text(title), ha="center", va="center",
                     fontsize=page.base_pt + 1, color=PRINT_COLORS["text"])  # fmt: skip
        _caption(fig, lines, page, height)
        return fig

    return render(page, build)


def _shared_cell(
    fig: Any, rect: list[float], spec: MapSpec, land: list[Any] | None, page: Page
) -> None:
    """The cell after the last panel: the shared legend (left) and the inset (right)."""
    holder = fig.add_axes(rect)
    holder.set_axis_off()
    add_legend(holder, spec.legend_title, spec.entries, page.lang, loc="center left",
               anchor=(0.0, 0.5))  # fmt: skip
    if land is not None:
        add_inset(holder, land, [0.62, 0.02, 0.36, 0.96], page.lang, page.base_pt,
                  transform=holder.transAxes)  # fmt: skip
