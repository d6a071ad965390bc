"""Maps of local statistics: LISA clusters and Getis–Ord Gi* hot and cold spots.

The columns read and the rule that makes a row "no data" come from
:mod:`spatialinno.measures.results` (the same rule the QGIS export and the CLI apply); colours,
labels and legend rows from :mod:`spatialinno.styles`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from .. import styles
from .._errors import InputError
from .._validate import numeric_column, region_labels, require_columns
from ..measures import results
from ..styles.text import inference_note
from .base import add_border_lines, add_legend, add_regions, check_lang, finish, start_map
from .frames import display_frame, name_rows, plain, result_label
from .names import add_names, check_names
from .raster import add_categorized_grid, is_grid

__all__ = ["add_categorized_regions", "hotspot_map", "lisa_map"]


def add_categorized_regions(
    m: folium.Map,
    g: gpd.GeoDataFrame,
    style: styles.CategorizedStyle,
    values: Sequence[object],
    extra_tips: dict[str, list[str]],
    lang: str,
    notes: Sequence[str] = (),
    names: bool | str | None = None,
) -> folium.Map:
    """Regions of ``g`` coloured by category, the border lines, the legend with counts; finished.

    ``values`` holds one category value, ``"isolated"`` or ``"no data"`` per row; ``extra_tips``
    are tooltip rows shown between the names and the class; ``names`` as in
    :func:`~spatialinno.maps.names.add_names`. Units without data are hatched.
    """
    t = styles.TEXT[lang]
    tips = name_rows(g, lang)
    tips.update(extra_tips)
    tips[t["class"]] = [style.label_of(v, lang) for v in values]
    fill = [style.color_of(v) if style.category(v) is not None else None for v in values]
    add_regions(m, g, fill, tips, name=style.title(lang))
    add_border_lines(m, lang)
    add_names(m, g, names, lang)
    rows = styles.categorized_legend(style, values, lang)
    add_legend(m, style.title(lang), rows, [*notes, t["source"]], lang)
    return finish(m)


def _local_tips(
    g: gpd.GeoDataFrame,
    value: str | None,
    value_label: str,
    columns: results.LocalColumns,
    key: str,
    lang: str,
    what: str,
) -> dict[str, list[str]]:
    """Tooltip rows: the analysed value, the local statistic and its p-value when present.

    The statistic and its p-value are written as the report writes them
    (:func:`spatialinno.styles.format_measure`: local Moran's I 4 decimals, z 2, p 3 and
    ``< 0.001`` below), so a tooltip and the report never show one number two ways.
    """
    t = styles.TEXT[lang]
    shown = {columns.statistic: t[key], columns.p: t["p"]}
    extra: dict[str, list[str]] = {}
    if value is not None:
        extra[value_label] = [styles.format_number(v) for v in numeric_column(g, value, what)]
    for col, label in shown.items():
        if col in g.columns:
            extra[label] = [
                styles.format_measure(v, col, fmt=styles.LABEL) for v in numeric_column(g, col)
            ]
    return extra


def _default_title(style: styles.CategorizedStyle, value_label: str | None, lang: str) -> str:
    if lang == "zh":
        return f"{style.title_zh}{'：' + value_label if value_label else ''}"
    return f"{style.title_en}{': ' + value_label if value_label else ''}"


def _analysed(frame: pd.DataFrame, value: str | None, key: str) -> str | None:
    """The analysed column: ``value``, else the one ``si.lisa`` / ``si.hotspots`` recorded."""
    if value is not None:
        return value
    column = (getattr(frame, "attrs", {}).get(key) or {}).get("column")
    return column if isinstance(column, str) and column in frame.columns else None


def lisa_map(
    lisa_gdf: pd.DataFrame,
    value: str | None = None,
    *,
    cluster_column: str = results.LISA.label,
    title: str | None = None,
    labels: Mapping[str, object] | None = None,
    names: bool | str | None = None,
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
    m: folium.Map | None = None,
) -> folium.Map:
    """Map of LISA clusters: HH red, LL blue, HL pink, LH light blue, ns grey, isolated purple,
    no data hatched.

    Parameters
    ----------
    lisa_gdf : geopandas.GeoDataFrame
        Output of ``si.lisa`` (or any frame with ``lisa_cluster`` in {HH, LL, HL, LH, ns,
        isolated, no data}; missing values count as no data). ``lisa_I`` and ``lisa_p`` are
        shown in the tooltips when present.
    value : str, optional
        The analysed variable, shown (by its label) in the title and the tooltips; default: the
        column ``si.lisa`` analysed (``.attrs["lisa"]``).
    cluster_column : str
        Column holding the cluster labels.
    title, labels, names, lang, tiles, width, height, m
        As in :func:`~spatialinno.choropleth_map` (``m``: draw on an existing map).

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> import spatialinno as si
    >>> g = si.load_boundaries("province")[["code", "name", "geometry"]]
    >>> g["lisa_cluster"] = ["HH"] * 5 + ["ns"] * 29
    >>> type(si.lisa_map(g)).__name__
    'Map'
    """
    lang = check_lang(lang)
    check_names(names)
    require_columns(lisa_gdf, cluster_column, "LISA frame")
    value = _analysed(lisa_gdf, value, "lisa")
    grid = is_grid(lisa_gdf)  # cells of si.grid: one image, not one path per cell
    g = lisa_gdf if grid else display_frame(lisa_gdf, "LISA frame")
    allowed = [c.value for c in styles.LISA.categories]
    values = results.lisa_classes(g, cluster_column).tolist()
    bad = [i for i, v in enumerate(values) if v not in allowed]
    if bad:
        labels = region_labels(g.iloc[bad]).tolist()
        raise InputError(
            f"column {cluster_column!r} has {plain(values[bad[0]])!r} at {labels[0]}"
            f"{f' and {len(bad) - 1} more rows' if len(bad) > 1 else ''}; "
            f"LISA clusters must be one of {', '.join(map(str, allowed))}"
        )
    value_label = result_label(lisa_gdf, value, lang, labels) if value else None
    style = styles.lisa(cluster_column)
    title = title or _default_title(style, value_label, lang)
    m = start_map(m, title, lang=lang, tiles=tiles, width=width, height=height)
    if grid:
        return add_categorized_grid(m, g, style, values, lang)
    extra = _local_tips(g, value, value_label, results.LISA, "lisa_statistic", lang, "LISA frame")
    return add_categorized_regions(m, g, style, values, extra, lang, names=names)


def hotspot_map(
    hot_gdf: pd.DataFrame,
    value: str | None = None,
    *,
    bin_column: str = results.GI.klass,
    title: str | None = None,
    labels: Mapping[str, object] | None = None,
    names: bool | str | None = None,
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
    m: folium.Map | None = None,
) -> folium.Map:
    """Map of Getis–Ord Gi* hot and cold spots in 7 bins (99/95/90 % cold, ns, 90/95/99 % hot).

    Parameters
    ----------
    hot_gdf : geopandas.GeoDataFrame
        Output of ``si.hotspots`` (or any frame with ``gi_bin`` in -3..3). Rows with
        ``gi_cluster == "isolated"`` are drawn as isolated (no neighbours), other rows with a
        missing bin, a missing ``gi_z`` or ``gi_cluster == "no data"`` as no data (hatched)
        (:func:`spatialinno.measures.results.gi_classes`). ``gi_z`` and ``gi_p`` are shown in
        the tooltips when present.
    value : str, optional
        The analysed variable, shown (by its label) in the title and the tooltips; default: the
        column ``si.hotspots`` analysed (``.attrs["hotspots"]``).
    bin_column : str
        Column holding the bins.
    title, labels, names, lang, tiles, width, height, m
        As in :func:`~spatialinno.choropleth_map` (``m``: draw on an existing map).

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> import spatialinno as si
    >>> g = si.load_boundaries("province")[["code", "name", "geometry"]]
    >>> g["gi_bin"] = [3, 2, 1, 0, -1, -2, -3] * 4 + [0] * 6
    >>> type(si.hotspot_map(g)).__name__
    'Map'
    """
    lang = check_lang(lang)
    check_names(names)
    require_columns(hot_gdf, bin_column, "hot-spot frame")
    value = _analysed(hot_gdf, value, "hotspots")
    grid = is_grid(hot_gdf)  # cells of si.grid: one image, not one path per cell
    g = hot_gdf if grid else display_frame(hot_gdf, "hot-spot frame")
    raw = pd.to_numeric(g[bin_column], errors="coerce")
    bad = (g[bin_column].notna() & raw.isna()) | (raw.notna() & ~raw.isin(results.GI_BINS))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"column {bin_column!r} has {plain(g[bin_column].iloc[i])!r} at "
            f"{region_labels(g).iloc[i]}; Gi* bins are integers -3..3 (99/95/90 % cold .. hot)"
        )
    # the one rule of Gi* rows: isolated units and units without data (a bin without a z-score)
    # are their own classes, not "ns"
    values = results.gi_classes(g, bin_column).tolist()
    value_label = result_label(hot_gdf, value, lang, labels) if value else None
    style = styles.hotspots(bin_column)
    title = title or _default_title(style, value_label, lang)
    m = start_map(m, title, lang=lang, tiles=tiles, width=width, height=height)
    if grid:
        note = inference_note(hot_gdf.attrs.get("hotspots"), lang)
        return add_categorized_grid(m, g, style, values, lang, note)
    extra = _local_tips(g, value, value_label, results.GI, "gi_statistic", lang, "hot-spot frame")
    return add_categorized_regions(m, g, style, values, extra, lang, names=names)
