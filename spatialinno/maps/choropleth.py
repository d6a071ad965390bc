"""Choropleth maps: a numeric column in classes (mapclassify schemes), offline.

Built on :mod:`spatialinno.maps.base`; the classes, colours, labels and legend rows come from
:func:`spatialinno.styles.graduated`, so the QGIS style of the same column has the same breaks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from .. import styles
from .._errors import InputError
from .._validate import numeric_column
from .base import add_border_lines, add_legend, add_regions, check_lang, finish, start_map
from .frames import display_frame, name_rows, result_label
from .names import add_names, check_names

__all__ = ["add_graduated_regions", "choropleth_map"]


def add_graduated_regions(
    m: folium.Map,
    g: gpd.GeoDataFrame,
    values: np.ndarray,
    style: styles.GraduatedStyle,
    value_label: str,
    name: str,
    lang: str,
) -> np.ndarray:
    """Regions of ``g`` coloured by the class of ``values`` under the resolved ``style``.

    Tooltips show the names, the formatted value (under ``value_label``) and the class; regions
    without a value are grey ("no data"). Returns the class of each row (-1: no data), from
    which :func:`spatialinno.styles.graduated_legend` makes the legend rows.
    """
    t = styles.TEXT[lang]
    classes = style.classify(values)
    colors = style.colors
    labels = style.class_labels(lang)
    tips = name_rows(g, lang)
    tips[value_label] = [style.format_value(v) for v in values]
    tips[t["class"]] = [labels[c] if c >= 0 else t["no_data"] for c in classes]
    fill = [colors[c] if c >= 0 else styles.NO_DATA_COLOR for c in classes]
    add_regions(m, g, fill, tips, name=name)
    return classes


def _classified(
    gdf: pd.DataFrame, style: styles.GraduatedStyle
) -> tuple[gpd.GeoDataFrame, np.ndarray, styles.GraduatedStyle]:
    """The frame to draw, the values of the style's column and the style resolved on them."""
    g = display_frame(gdf, "frame")
    values = numeric_column(g, style.column, "frame")
    if not np.isfinite(values).any():
        raise InputError(
            f"column {style.column!r} has no finite values to classify; check the join or the year"
        )
    return g, values, style.resolve(values)


def choropleth_map(
    gdf: pd.DataFrame,
    column: str,
    scheme: str = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
    *,
    title: str | None = None,
    label: str | None = None,
    unit: str = "",
    labels: Mapping[str, object] | None = None,
    names: bool | str | None = None,
    palette: str = styles.DEFAULT_PALETTE,
    value_format: str = "number",
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
    m: folium.Map | None = None,
) -> folium.Map:
    """Choropleth of a numeric column, classed by a mapclassify scheme, offline.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or pandas.DataFrame
        One row per region, e.g. from ``si.join_indicators``, or a table of ``si.gini_by`` /
        ``si.capital_share`` (indexed by ``province_code``). Rows with a ``code`` (6-digit
        string) of a boundary level are drawn with the simplified layer; a plain DataFrame must
        have codes.
    column : str
        Numeric column to map; missing values are drawn hatched ("no data").
    scheme : {"quantiles", "fisher_jenks", "natural_breaks", "equal_interval", "user"}
        Class scheme (mapclassify); ``"user"`` with ``bins`` = upper bounds of the classes.
    k : int
        Number of classes, 3 to 7 at most: fewer when the column has fewer distinct values or
        ties would leave a class empty; whole-number breaks on integer data
        (:func:`spatialinno.styles.class_breaks`).
    bins : sequence of float, optional
        User class upper bounds (implies ``scheme="user"``).
    title : str, optional
        Map title (default: the column's label with its unit).
    label, unit : str, optional
        Name and unit of the value, overriding those of ``labels`` / the frame / the bundled
        data sets (e.g. ``unit="人年"``); an explicit ``unit`` is also written in the classes.
    labels : mapping of column -> label spec, optional
        Readable labels, e.g. ``{"rd": "R&D经费|万元"}`` (see :func:`spatialinno.with_labels`).
    names : {None, True, "province", "prefecture", "county"}
        Name labels: ``True`` the mapped units, a level name that layer's units (e.g. province
        names over prefectures); laid out without collisions, hidden where they do not fit.
    palette : str
        ColorBrewer sequential palette (``"YlOrRd"``, ``"Blues"``).
    value_format : {"number", "percent"}
        ``"percent"`` writes shares in 0..1 as percentages.
    lang : {"zh", "en"}
        Language of titles, legend and tooltip labels (names are shown in both languages).
    tiles : str, optional
        Online background tiles (folium name or URL template); ``None`` keeps the map offline.
    width, height : str or int
        Size of the map (CSS or pixels).
    m : folium.Map, optional
        Draw on this map (e.g. another spatialinno map) instead of a new one, as
        ``GeoDataFrame.explore(m=...)`` does: the layer and its legend are added, the map keeps
        its title, tiles, size and view (``title``, ``tiles``, ``width``, ``height`` are unused).

    Returns
    -------
    folium.Map
        Self-contained when saved; regions have the SVG class ``si-region``.

    Examples
    --------
    >>> import spatialinno as si
    >>> t = si.load_dataset("province_panel").query("year == 2020 and gb != '156000000'")
    >>> m = si.choropleth_map(t, "rd_fte_total_person_years", k=5, names=True)
    >>> type(m).__name__
    'Map'
    """
    lang = check_lang(lang)
    check_names(names)
    style = styles.graduated(
        column, scheme, k, bins, palette_name=palette, unit=unit, value_format=value_format
    )
    g, values, style = _classified(gdf, style)
    value_label = result_label(gdf, column, lang, labels, label, unit)
    name = result_label(gdf, column, lang, labels, label, unit, with_unit=False)
    m = start_map(m, title or value_label, lang=lang, tiles=tiles, width=width, height=height)
    classes = add_graduated_regions(m, g, values, style, value_label, name, lang)
    add_border_lines(m, lang)
    add_names(m, g, names, lang)
    rows = styles.graduated_legend(style, classes, lang)
    notes = [styles.class_note(style, lang), styles.TEXT[lang]["source"]]
    add_legend(m, value_label, rows, notes, lang)
    return finish(m)
