"""The furniture of a print map: South China Sea inset, north arrow, scale bar, legend, names.

* **Inset** (:func:`add_inset`): a framed axes in the lower right of the main map showing the
  ten-dash line and the island groups (:func:`spatialinno.figures.geometry.scs_extent`) in the
  same projection, named 南海诸岛 / South China Sea Islands, with its own scale bar (it is drawn
  at a smaller scale than the main map). :func:`inset_place` widens the main map's extent until
  the inset covers no land.
* **North arrow** (:func:`add_north_arrow`): true north along the central meridian (105°E); in
  the conic projection meridians converge, so elsewhere north deviates from "up" by up to about
  20° at the map's western and eastern edges (Kashgar, Fuyuan).
* **Scale bar** (:func:`add_scale_bar`, matplotlib-scalebar, metric only): the map is in metres
  of an Albers equal-area projection with standard parallels 25°N and 47°N, so the bar is
  **exact along those two parallels only**. Between them east-west distances are shortened
  (by up to 1.8 % at 36°N) and north-south ones lengthened by as much; outside they are the
  other way round: 2.6 % at 18°N (Hainan), 3.4 % at 53.5°N (Mohe) and 11 % at 4°N in the inset.
* **Legend** (:func:`add_legend`): the legend rows of :mod:`spatialinno.styles.legend` (the
  web map's classes, colours, labels and counts) as matplotlib handles, plus the greyscale
  hatches of :mod:`spatialinno.styles.printing`.
* **Names** (:func:`add_names`): labels placed greedily from the largest unit down, each at
  the first of five positions that overlaps no label already placed nor the legend, inset,
  arrow or scale bar; a label that fits nowhere is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Bbox

from .._escape import plot_text
from ..styles import BORDER_COLOR, TEXT, LegendRow
from ..styles.printing import PRINT_COLORS, PRINT_TEXT
from .fonts import families
from .geometry import Lines, Points, Polygons, draw_layers, scs_extent

__all__ = [
    "Entry",
    "add_inset",
    "add_legend",
    "add_names",
    "add_north_arrow",
    "add_scale_bar",
    "entry_label",
    "inset_place",
]

INSET_HEIGHT = 0.30  # of the main map's height
_PT_PER_PX_AT_96DPI = 0.75  # web legend sizes are CSS px


@dataclass(frozen=True)
class Entry:
    """A legend row with what only print adds: a hatch, a line style, a width, a marker.

    ``size_pt`` overrides the size of a circle (its diameter in pt, as drawn on the map).
    """

    row: LegendRow
    hatch: str = ""
    linestyle: Any = "-"
    lw: float | None = None
    marker: str | None = None
    size_pt: float | None = None


def inset_place(
    extent: tuple[float, float, float, float], land: Sequence[np.ndarray]
) -> tuple[tuple[float, float, float, float], tuple[float, float, float, float]]:
    """The main map's extent widened for the inset, and the inset's (x, y, w, h) in it.

    The inset is :data:`INSET_HEIGHT` of the map's height, in the lower right; the extent grows
    to the east until no polygon of ``land`` (main-map geometries) lies under the inset.
    """
    x0, y0, x1, y1 = extent
    sx0, sy0, sx1, sy1 = scs_extent()
    h = INSET_HEIGHT * (y1 - y0)
    w = h * (sx1 - sx0) / (sy1 - sy0)
    margin = 0.012 * (y1 - y0)
    gap = 0.02 * (x1 - x0)
    band_top = y0 + margin + h + gap
    east = -np.inf
    for geoms in land:
        box = shapely.bounds(geoms)  # only what reaches the band is clipped (10^5 grid cells)
        geoms = geoms[(box[:, 1] <= band_top) & (box[:, 3] >= y0)]
        band = shapely.clip_by_rect(geoms, x0, y0, x1, band_top)
        band = band[~shapely.is_empty(band)]
        if len(band):
            east = max(east, float(shapely.total_bounds(band)[2]))
    x1 = max(x1, east + gap + w + margin)
    return (x0, y0, x1, y1), (x1 - margin - w, y0 + margin, w, h)


def add_inset(
    ax: Any, layers: list[Polygons | Lines | Points], place: tuple[float, float, float, float],
    lang: str, fontsize: float, transform: Any = None,
) -> Any:  # fmt: skip
    """The framed South China Sea inset at ``place`` (x, y, w, h in ``transform``, default data)."""
    rect = scs_extent()
    inset = ax.inset_axes(list(place), transform=transform or ax.transData, zorder=6)
    inset.set_facecolor("white")
    draw_layers(inset, layers, "inset", rect=rect)
    inset.set_xlim(rect[0], rect[2])
    inset.set_ylim(rect[1], rect[3])
    inset.set_aspect("equal", adjustable="box")
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_linewidth(0.6)
        spine.set_edgecolor(PRINT_COLORS["frame"])
    name = inset.text(0.04, 0.03, plot_text(PRINT_TEXT[lang]["inset"]).replace("Sea ", "Sea\n"),
               transform=inset.transAxes, ha="left", va="bottom", multialignment="left",
               fontsize=fontsize * (0.7 if lang == "zh" else 0.6), color=PRINT_COLORS["text"],
               linespacing=1.1,
               path_effects=[withStroke(linewidth=1.5, foreground=PRINT_COLORS["halo"])])  # fmt: skip
    # the bar above the name (measured: the inset is small in a single column), both in the
    # open sea west of the ten-dash line
    renderer = ax.figure.canvas.get_renderer()
    top = name.get_window_extent(renderer).transformed(inset.transAxes.inverted()).y1
    above = float(top) + 0.02
    add_scale_bar(inset, fontsize * 0.6, location="lower left", length=0.3, anchor=(0.03, above))
    inset.set_gid("si-inset")  # the SVG group of the inset; tests find the inset by it
    return inset


def add_north_arrow(
    ax: Any, lang: str, fontsize: float, xy: tuple[float, float] = (0.05, 0.86)
) -> Any:
    """A two-tone north arrow with "N" at ``xy`` (axes fraction; true north at 105°E)."""
    x, y = xy
    fig_w, fig_h = ax.get_window_extent().size
    h = 0.085
    w = h * 0.55 * fig_h / fig_w  # the arrow keeps its shape whatever the map's aspect
    left = Polygon([(x, y), (x, y + h), (x - w / 2, y - h * 0.12)], closed=True,
                   transform=ax.transAxes, facecolor=PRINT_COLORS["arrow_dark"],
                   edgecolor=PRINT_COLORS["arrow_dark"], lw=0.5, zorder=7)  # fmt: skip
    right = Polygon([(x, y), (x, y + h), (x + w / 2, y - h * 0.12)], closed=True,
                    transform=ax.transAxes, facecolor=PRINT_COLORS["arrow_light"],
                    edgecolor=PRINT_COLORS["arrow_dark"], lw=0.5, zorder=7)  # fmt: skip
    ax.add_patch(left)
    ax.add_patch(right)
    return ax.text(x, y + h + 0.01, PRINT_TEXT[lang]["north"], transform=ax.transAxes,
                   ha="center", va="bottom", fontsize=fontsize, color=PRINT_COLORS["text"],
                   zorder=7)  # fmt: skip


def _kilometres() -> Any:
    """A matplotlib-scalebar dimension of kilometres (and metres below 1 km), never "Mm"."""
    from matplotlib_scalebar.dimension import _Dimension

    dim = _Dimension("km")
    dim.add_units("m", 1e-3)
    return dim


def add_scale_bar(
    ax: Any, fontsize: float, location: str = "lower left", length: float = 0.2,
    anchor: tuple[float, float] | None = None,
) -> Any:  # fmt: skip
    """A metric scale bar in km (map units are metres; exact along 25°N and 47°N, see above)."""
    from matplotlib_scalebar.scalebar import ScaleBar

    extra = {} if anchor is None else {"bbox_to_anchor": anchor, "bbox_transform": ax.transAxes}
    bar = ScaleBar(
        1e-3, units="km", dimension=_kilometres(), location=location, length_fraction=length,
        width_fraction=0.012, frameon=False, color=PRINT_COLORS["text"], box_alpha=0.0,
        font_properties={"family": list(families()), "size": fontsize}, scale_loc="top",
        border_pad=0.2, pad=0.0, sep=1.5, **extra,
    )  # fmt: skip
    ax.add_artist(bar)
    return bar


def _handle(entry: Entry) -> Any:
    row = entry.row
    if entry.marker is not None:
        return Line2D([], [], linestyle="none", marker=entry.marker, markersize=entry.size_pt or 4,
                      markerfacecolor=row.color, markeredgecolor=row.border or row.color)  # fmt: skip
    if row.shape == "line":
        return Line2D([], [], color=row.color, lw=entry.lw or 1.2, linestyle=entry.linestyle)
    if row.shape == "circle":
        size_pt = entry.size_pt or max(3.0, 2 * row.size * _PT_PER_PX_AT_96DPI * 0.6)
        return Line2D([], [], linestyle="none", marker="o", markersize=size_pt,
                      markerfacecolor=row.color, markeredgecolor=row.border or BORDER_COLOR,
                      markeredgewidth=entry.lw or 0.6)  # fmt: skip
    return Patch(
        facecolor=row.color, edgecolor=BORDER_COLOR, linewidth=0.4, hatch=entry.hatch or None
    )


def entry_label(row: LegendRow, lang: str) -> str:
    """The row's label with its count, as the web legend writes it: ``"1 – 3 (12个)"``."""
    count = "" if row.count is None else f" ({row.count}{TEXT[lang]['n']})"
    return plot_text(f"{row.label}{count}")


def add_legend(
    ax: Any, title: str, entries: Sequence[Entry], lang: str, loc: str = "lower left",
    anchor: tuple[float, float] | None = None, ncols: int = 1, transform: Any = None,
) -> Any:  # fmt: skip
    """The legend: one handle per entry (swatch, circle or line), labels with counts."""
    handles = [_handle(e) for e in entries]
    labels = [entry_label(e.row, lang) for e in entries]
    kwargs = {} if anchor is None else {"bbox_to_anchor": anchor}
    if transform is not None:
        kwargs["bbox_transform"] = transform
    legend = ax.legend(
        handles, labels, title=plot_text(title), loc=loc, ncols=ncols, frameon=False,
        handlelength=1.6, handleheight=1.0, handletextpad=0.5, labelspacing=0.3,
        borderaxespad=0.3, alignment="left", labelcolor=PRINT_COLORS["text"], **kwargs,
    )  # fmt: skip
    # a white ground without an edge: lines under the legend (borders beyond a regional map's
    # units) never run through its text
    legend.set_frame_on(True)
    legend.get_frame().set(facecolor=PRINT_COLORS["halo"], edgecolor="none", alpha=0.9)
    legend.set_zorder(8)
    return legend


def _overlaps(box: Any, others: Sequence[Any]) -> bool:
    return any(box.overlaps(o) for o in others)


def add_names(
    ax: Any, names: Sequence[str], x: np.ndarray, y: np.ndarray, priority: np.ndarray,
    fontsize: float, obstacles: Sequence[Any] = (),
) -> list[Any]:  # fmt: skip
    """Place ``names`` at (x, y) (data) without collisions, most important (largest) first.

    Each label tries its point, then above, below, right and left of it; it is kept at the
    first position whose box overlaps no placed label, no ``obstacles`` (artists: legend,
    inset, arrow, scale bar) and lies inside the axes. Returns the texts placed.
    """
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    # obstacles: artists (legend, inset, arrow) or boxes in display units (the scale bar)
    blocked = [o if isinstance(o, Bbox) else o.get_window_extent(renderer) for o in obstacles]
    placed: list[Any] = []
    offsets = [(0, 0), (0, 1), (0, -1), (1, 0), (-1, 0)]
    halo = [withStroke(linewidth=1.6, foreground=PRINT_COLORS["halo"])]
    for i in np.argsort(-np.asarray(priority), kind="stable"):
        text = ax.text(x[i], y[i], plot_text(names[i]), ha="center", va="center",
                       fontsize=fontsize, color=PRINT_COLORS["text"], zorder=5,
                       path_effects=halo, clip_on=True)  # fmt: skip
        box0 = text.get_window_extent(renderer)
        for dx, dy in offsets:
            box = box0.translated(dx * (box0.width * 0.6 + 2), dy * (box0.height * 0.9))
            inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            if inside and not _overlaps(box.expanded(1.08, 1.15), blocked):
                xd, yd = ax.transData.inverted().transform(
                    (box.x0 + box.width / 2, box.y0 + box.height / 2)
                )
                text.set_position((xd, yd))
                blocked.append(box)
                placed.append(text)
                break
        else:
            text.remove()
    return placed
