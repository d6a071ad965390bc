"""Print maps of local statistics: LISA clusters and Getis–Ord Gi* hot and cold spots.

The static twins of :func:`spatialinno.lisa_map` and :func:`spatialinno.hotspot_map`: the
columns read and the no-data rule come from :mod:`spatialinno.measures.results`, colours,
labels and legend rows (with counts) from :mod:`spatialinno.styles`; in greyscale
(``style="grey"``) the clusters of interest are solid (dark = high, mid grey = low) and the
outliers, cold spots, isolated units and no data are hatched
(:func:`spatialinno.styles.printing.grey_fill`), so every class stays distinguishable in black
and white.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from .. import styles
from .._errors import InputError
from .._validate import region_labels, require_columns
from ..measures import results
from ..styles.printing import PRINT_COLORS, grey_fill
from ..styles.text import inference_note
from .base import MapSpec, map_figure
from .cartography import Entry
from .choropleth import EDGE_PT, province_outlines
from .frames import Drawn, drawn_rows
from .geometry import Polygons
from .page import Page, PrintFigure
from .raster import check_raster_names, raster_cells, raster_mode

__all__ = ["categorized_spec", "plot_hotspots", "plot_lisa"]


def _fill(style: styles.CategorizedStyle, value: object, grey: bool) -> tuple[str, str]:
    return grey_fill(style, value) if grey else (style.color_of(value), "")


def categorized_spec(
    drawn: Drawn, style: styles.CategorizedStyle, values: list[object], page: Page,
    raster: object = False,
) -> MapSpec:  # fmt: skip
    """Units filled by category (colours or greys with hatches) and the legend with counts;
    ``raster`` as in :func:`plot_lisa` (default: vectors)."""
    codes, uniq = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    pairs = [_fill(style, v, page.grey) for v in uniq]  # once per class, not per unit
    faces = np.array([f for f, _ in pairs], dtype=object)[codes].tolist()
    hatches = np.array([h for _, h in pairs], dtype=object)[codes].tolist()
    image, lattice = raster_cells(drawn, raster)
    layer = Polygons(drawn.geoms, drawn.main, faces, styles.BORDER_COLOR, EDGE_PT[drawn.level],
                     hatches=hatches, hatchcolor=PRINT_COLORS["frame"], raster=image,
                     lattice=lattice)  # fmt: skip
    rows = styles.categorized_legend(style, values, page.lang)
    by_label = {c.label(page.lang): c.value for c in style.categories}
    entries = []
    for row in rows:
        color, hatch = _fill(style, by_label.get(row.label, results.NO_DATA), page.grey)
        entries.append(Entry(replace(row, color=color), hatch))
    layers = [layer, *province_outlines(drawn.level, drawn.national, image)]
    return MapSpec(layers, style.title(page.lang), entries)


def _title(style: styles.CategorizedStyle, value: str | None, frame: object, lang: str) -> str:
    if not value:
        return style.title(lang)
    label = styles.column_label(value, lang, frame=frame)
    return f"{style.title(lang)}：{label}" if lang == "zh" else f"{style.title(lang)}: {label}"


def _lisa_values(drawn: Drawn, column: str) -> list[object]:
    allowed = [c.value for c in styles.LISA.categories]
    values = results.lisa_classes(drawn.frame, column).tolist()
    bad = [i for i, v in enumerate(values) if v not in allowed]
    if bad:
        where = region_labels(drawn.frame.iloc[bad]).tolist()
        raise InputError(
            f"column {column!r} has {values[bad[0]]!r} at {where[0]}"
            f"{f' and {len(bad) - 1} more rows' if len(bad) > 1 else ''}; "
            f"LISA clusters must be one of {', '.join(map(str, allowed))}"
        )
    return values


def plot_lisa(
    lisa_gdf: pd.DataFrame,
    value: str | None = None,
    *,
    cluster_column: str = results.LISA.label,
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
    """Print map of LISA clusters (the static twin of :func:`~spatialinno.lisa_map`).

    HH red, LL blue, HL pink, LH light blue, not significant light grey, isolated and no data
    (the web map's colours and labels); the legend counts the units of each class. Projection,
    inset, north arrow, scale bar and caption as in :func:`~spatialinno.plot_choropleth`.

    Parameters
    ----------
    lisa_gdf, value, cluster_column, title, lang
        As in :func:`~spatialinno.lisa_map`.
    inset, names, review_number, width, dpi, raster
        As in :func:`~spatialinno.plot_choropleth` (``raster``: the units as one image, by
        default from 20,000 units on -- the cells of a grid).
    style : {"color", "grey"}
        ``"grey"``: HH near-black, LL mid grey, HL hatched ``////``, LH dotted, not
        significant white, isolated ``oo``, no data crossed.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spatialinno as si
    >>> g = si.load_boundaries("province")[["code", "name", "geometry"]]
    >>> g["lisa_cluster"] = ["HH"] * 5 + ["ns"] * 29
    >>> fig = si.plot_lisa(g, style="grey", width="single")
    >>> fig.axes[0].get_legend().get_texts()[0].get_text()
    '高-高集聚 (5个)'
    """
    page = Page.of(width, dpi, lang, style)
    raster_mode(raster, 0)  # a wrong value refused before any work
    require_columns(lisa_gdf, cluster_column, "LISA frame")
    drawn = drawn_rows(lisa_gdf, "LISA frame", inset)
    values = _lisa_values(drawn, cluster_column)
    cstyle = styles.lisa(cluster_column)
    spec = categorized_spec(drawn, cstyle, values, page, raster)
    check_raster_names(names, spec.layers[0].raster, len(drawn.frame))
    title = _title(cstyle, value, lisa_gdf, page.lang) if title is None else title
    return map_figure(page, drawn, spec, title=title, names=names, review_number=review_number)


def _gi_values(drawn: Drawn, column: str) -> list[object]:
    frame = drawn.frame
    raw = pd.to_numeric(frame[column], errors="coerce")
    bad = (frame[column].notna() & raw.isna()) | (raw.notna() & ~raw.isin(results.GI_BINS))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"column {column!r} has {frame[column].iloc[i]!r} at {region_labels(frame).iloc[i]}; "
            "Gi* bins are integers -3..3 (99/95/90 % cold .. hot)"
        )
    return results.gi_classes(frame, column).tolist()


def plot_hotspots(
    hot_gdf: pd.DataFrame,
    value: str | None = None,
    *,
    bin_column: str = results.GI.klass,
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
    """Print map of Gi* hot and cold spots (the static twin of :func:`~spatialinno.hotspot_map`).

    Seven bins (99/95/90 % cold, not significant, 90/95/99 % hot) in the web map's colours and
    labels; rows with a missing bin or z-score are no data (:func:`spatialinno.measures.results.gi_classes`).

    Parameters
    ----------
    hot_gdf, value, bin_column, title, lang
        As in :func:`~spatialinno.hotspot_map`.
    inset, names, review_number, width, dpi, raster
        As in :func:`~spatialinno.plot_choropleth` (``raster``: the units as one image, by
        default from 20,000 units on -- the cells of a grid).
    style : {"color", "grey"}
        ``"grey"``: hot spots solid (darker = more confident), cold spots hatched (denser = more
        confident), not significant white, isolated ``oo`` (as on the LISA map), no data
        crossed.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spatialinno as si
    >>> g = si.load_boundaries("province")[["code", "name", "geometry"]]
    >>> g["gi_bin"] = [3, 2, 1, 0, -1, -2, -3] * 4 + [0] * 6
    >>> fig = si.plot_hotspots(g, lang="en", width="single")
    >>> fig.axes[0].get_legend().get_texts()[0].get_text()
    'Hot spot, 99% confidence (4)'
    """
    page = Page.of(width, dpi, lang, style)
    raster_mode(raster, 0)  # a wrong value refused before any work
    require_columns(hot_gdf, bin_column, "hot-spot frame")
    drawn = drawn_rows(hot_gdf, "hot-spot frame", inset)
    values = _gi_values(drawn, bin_column)
    cstyle = styles.hotspots(bin_column)
    spec = categorized_spec(drawn, cstyle, values, page, raster)
    check_raster_names(names, spec.layers[0].raster, len(drawn.frame))
    # analytic p-values (the default on grids of many cells) are said, as the web map says them
    record = hot_gdf.attrs.get("hotspots") or {}
    if record.get("inference") == "analytic":
        spec.notes.extend(inference_note(record, page.lang))
    title = _title(cstyle, value, hot_gdf, page.lang) if title is None else title
    return map_figure(page, drawn, spec, title=title, names=names, review_number=review_number)
