"""Print choropleths: a numeric column in classes, one map or one panel per year.

The static twin of :func:`spatialinno.choropleth_map`: the same arguments, classes (breaks from
:mod:`spatialinno.measures.classify` through :func:`spatialinno.styles.graduated`), colours,
class labels and legend rows (:func:`spatialinno.styles.graduated_legend`), so the web map, the
figure and the QGIS layer of a column agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from .. import styles
from .._errors import InputError
from .._validate import numeric_column, require_columns
from ..styles.printing import GREY_NO_DATA, PRINT_COLORS, PRINT_TEXT, graduated_fills
from .base import MapSpec, map_figure, panels_figure
from .cartography import Entry
from .frames import Drawn, drawn_rows
from .geometry import Lines, Polygons, projected_layer
from .page import Page, PrintFigure
from .raster import check_raster_names, raster_cells, raster_mode

__all__ = [
    "EDGE_PT",
    "MAX_PANELS",
    "graduated_entries",
    "graduated_layers",
    "plot_choropleth",
    "province_outlines",
    "resolve_style",
    "value_label",
]

MAX_PANELS = 12
# outline width (pt) of the units by level: fine enough that 2,891 counties stay readable
EDGE_PT = {"province": 0.3, "prefecture": 0.15, "county": 0.06, None: 0.2}


def value_label(column: str, lang: str, frame: object, label: str | None, unit: str) -> str:
    """Legend title: the column's readable label with its unit (``styles.column_label``).

    ``label`` and ``unit`` given by the caller replace the label's name and unit.
    """
    spec: dict[str, str] = {}
    if label:
        spec.update(zh=label, en=label)
    if unit:
        spec["unit"] = unit
    labels = {column: spec} if spec else None
    return styles.column_label(column, lang, frame=frame, labels=labels, unit=True)


def province_outlines(level: str | None, national: bool, raster: bool = False) -> list[Lines]:
    """Province borders over prefecture or county units (none over provinces), and over any
    units drawn as an image (whose own outlines are not drawn)."""
    if level not in ("prefecture", "county") and not raster:
        return []
    layer = projected_layer("province", national)
    return [Lines(layer.geometry.to_numpy(), layer["mainland"].to_numpy(),
                  PRINT_COLORS["frame"], 0.35, zorder=2.5)]  # fmt: skip


def graduated_layers(
    drawn: Drawn, values: np.ndarray, style: styles.GraduatedStyle, grey: bool,
    raster: object = False,
) -> tuple[list, np.ndarray]:  # fmt: skip
    """The units filled by class of ``values`` (no data grey, or white crossed in greyscale);
    ``raster`` as in :func:`plot_choropleth` (default: vectors)."""
    classes = style.classify(values)
    fills = np.array([*graduated_fills(style, grey), None], dtype=object)
    no_fill, no_hatch = GREY_NO_DATA if grey else (styles.NO_DATA_COLOR, "")
    fills[-1] = no_fill  # class -1: no data
    faces = fills[classes].tolist()
    hatches = np.where(classes >= 0, "", no_hatch).tolist()
    image, lattice = raster_cells(drawn, raster)
    layer = Polygons(drawn.geoms, drawn.main, faces, styles.BORDER_COLOR, EDGE_PT[drawn.level],
                     hatches=hatches, hatchcolor=PRINT_COLORS["muted"], raster=image,
                     lattice=lattice)  # fmt: skip
    return [layer, *province_outlines(drawn.level, drawn.national, image)], classes


def graduated_entries(
    style: styles.GraduatedStyle, classes: np.ndarray, lang: str, grey: bool, counts: bool = True
) -> list[Entry]:
    """The legend rows of the classes (styles.graduated_legend), in greyscale when asked."""
    rows = styles.graduated_legend(style, classes, lang)
    fills = graduated_fills(style, grey)
    entries = []
    for i, row in enumerate(rows):
        hatch = ""
        if i >= len(fills):  # the "no data" row
            color, hatch = GREY_NO_DATA if grey else (row.color, "")
        else:
            color = fills[i]
        entries.append(Entry(replace(row, color=color, count=row.count if counts else None), hatch))
    return entries


def resolve_style(values: np.ndarray, style: styles.GraduatedStyle) -> styles.GraduatedStyle:
    if not np.isfinite(values).any():
        raise InputError(
            f"column {style.column!r} has no finite values to classify; check the join or the year"
        )
    return style.resolve(values[np.isfinite(values)])


def _panels(
    gdf: pd.DataFrame, column: str, by: str, inset: bool | None
) -> list[tuple[object, Drawn, np.ndarray]]:
    """One (key, rows, values) per value of ``by``, in sorted order."""
    require_columns(gdf, by, "frame")
    keys = sorted(gdf[by].dropna().unique().tolist())
    if not keys:
        raise InputError(f"column {by!r} has no values: nothing to draw one panel per value of")
    if len(keys) > MAX_PANELS:
        raise InputError(
            f"column {by!r} has {len(keys)} values; small multiples take at most {MAX_PANELS} "
            "panels -- filter the frame first"
        )
    out = []
    for key in keys:
        drawn = drawn_rows(gdf.loc[gdf[by] == key], f"panel {by} = {key}", inset)
        out.append((key, drawn, numeric_column(drawn.frame, column, "frame")))
    return out


def _small_multiples(
    gdf: pd.DataFrame, style: styles.GraduatedStyle, by: str, page: Page, legend_title: str,
    title: str, inset: bool | None, review_number: str | None, raster: object,
) -> PrintFigure:  # fmt: skip
    panels = _panels(gdf, style.column, by, inset)
    style = resolve_style(np.concatenate([v for _, _, v in panels]), style)
    text = PRINT_TEXT[page.lang]
    drawn_panels, all_classes = [], []
    for key, drawn, values in panels:
        layers, classes = graduated_layers(drawn, values, style, page.grey, raster)
        n = int(np.isfinite(values).sum())
        drawn_panels.append((text["panel_n"].format(key=key, n=n), layers, drawn.main))
        all_classes.append(classes)
    entries = graduated_entries(style, np.concatenate(all_classes), page.lang, page.grey, False)
    notes = [styles.class_note(style, page.lang), text["shared_classes"]]
    spec = MapSpec([], legend_title, entries, notes)
    province = projected_layer("province", True)
    land = [Polygons(province.geometry.to_numpy(), province["mainland"].to_numpy(),
                     [PRINT_COLORS["land"]] * len(province), PRINT_COLORS["land_border"], 0.2)]  # fmt: skip
    with_inset = panels[0][1].inset
    return panels_figure(page, drawn_panels, spec, land if with_inset else [], title=title,
                         review_number=review_number, inset=with_inset)  # fmt: skip


def plot_choropleth(
    gdf: pd.DataFrame,
    column: str,
    scheme: str = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
    *,
    title: str | None = None,
    label: str | None = None,
    unit: str = "",
    palette: str = styles.DEFAULT_PALETTE,
    value_format: str = "number",
    lang: str = "zh",
    by: str | None = None,
    inset: bool | None = None,
    names: bool | str = False,
    review_number: str | None = None,
    width: str | float = "double",
    dpi: int = 300,
    style: str = "color",
    raster: bool | None = None,
) -> PrintFigure:
    """Print choropleth of a numeric column (the static twin of :func:`~spatialinno.choropleth_map`).

    Projection: Albers equal-area conic, standard parallels 25°N and 47°N, central meridian
    105°E (metres). A national map gets the South China Sea inset (lower right, framed: the
    ten-dash line and the island groups from the bundled layers, same projection) and its main
    map is clipped to the mainland (north of 17.5°N) so the inset covers no land; a north arrow
    (true along 105°E); a metric scale bar (exact along 25°N and 47°N only; within ±3.4 % on the
    mainland); the legend with classes, counts and the unit; a caption with the class scheme,
    the boundary source (or the review-number statement) and the projection.

    Parameters
    ----------
    gdf, column, scheme, k, bins, title, label, unit, palette, value_format, lang
        As in :func:`~spatialinno.choropleth_map`: the same classes, colours and labels.
        ``title=""`` draws no title (journals put it in the caption).
    by : str, optional
        Small multiples: one panel per value of this column (e.g. ``"year"``; at most 12), with
        the same classes in every panel, one shared legend and one inset.
    inset : bool, optional
        Draw the South China Sea inset; default: when the units drawn span the country (more
        than 3,000 km east-west). ``False`` for regional maps (a province, the Yangtze delta).
    names : bool or {"province", "units"}
        Province names (``True``), names of the units drawn (``"units"``), placed without
        collisions (a name that fits nowhere is left out).
    review_number : str, optional
        The map review number (审图号) the user obtained, e.g. ``"GS(2024)0650"``: the caption
        says "基于审图号GS(2024)0650的标准地图制作，底图无修改" (or the English equivalent).
    width : {"single", "double"} or float
        Journal column: single 90 mm, double 190 mm (Elsevier's widths), or a width in mm.
    dpi : int
        Resolution of PNG/TIFF files (300 or 600; the figure's ``savefig`` default).
    style : {"color", "grey"}
        ``"grey"``: grey ramp and hatched no data, for journals printed in black and white.
    raster : bool, optional
        Draw the units as one image (:mod:`spatialinno.figures.raster`) rather than one path
        each; default (None): from 20,000 units on (``figures.raster.RASTER_UNITS``: the cells
        of :func:`~spatialinno.grid`), so a map of 10^5-10^6 cells renders in seconds and its
        PDF stays small. The image has the figure's dpi; text, legend, outlines, inset frame,
        arrow and scale bar stay vectors; the units' own outlines are not drawn (province
        outlines are), and ``names="units"`` is refused.

    Returns
    -------
    matplotlib.figure.Figure
        A :class:`~spatialinno.figures.page.PrintFigure`: ``fig.savefig("map.pdf")`` embeds the
        fonts, ``.svg`` keeps text as text, ``.png`` / ``.tiff`` at ``dpi``.

    Examples
    --------
    >>> import spatialinno as si
    >>> t = si.load_dataset("province_panel").query("year == 2020 and gb != '156000000'")
    >>> fig = si.plot_choropleth(t, "rd_fte_total_person_years", k=5, width="single")
    >>> round(fig.get_figwidth() * 25.4)
    90
    """
    page = Page.of(width, dpi, lang, style)
    gstyle = styles.graduated(column, scheme, k, bins, palette_name=palette, unit=unit,
                              value_format=value_format)  # fmt: skip
    legend_title = value_label(column, page.lang, gdf, label, unit)
    title = legend_title if title is None else title
    raster_mode(raster, 0)  # a wrong value refused before any work
    if by is not None:
        return _small_multiples(gdf, gstyle, by, page, legend_title, title, inset, review_number,
                                raster)  # fmt: skip
    drawn = drawn_rows(gdf, "frame", inset)
    values = numeric_column(drawn.frame, column, "frame")
    gstyle = resolve_style(values, gstyle)
    layers, classes = graduated_layers(drawn, values, gstyle, page.grey, raster)
    check_raster_names(names, layers[0].raster, len(drawn.frame))
    entries = graduated_entries(gstyle, classes, page.lang, page.grey)
    spec = MapSpec(layers, legend_title, entries, [styles.class_note(gstyle, page.lang)])
    return map_figure(page, drawn, spec, title=title, names=names, review_number=review_number)
