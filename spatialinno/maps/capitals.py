"""The capitals of the capital-effect map: circles sized by the share, kept apart, labelled.

Each province capital is drawn at the label point of its prefecture unit (``is_capital`` on the
prefecture layer, the pole of inaccessibility of the unit, so always inside it) as a circle whose
*area* is proportional to the share: radius = :data:`CAPITAL_RADIUS_PX` · √share. Circles are
added largest first (a smaller one is never under a larger one), and the page keeps every pair
apart at every zoom (:func:`spatialinno.maps.layout.add_circle_layout`): a circle that would
overlap a neighbour (兰州 / 西宁, 长春 / 哈尔滨 at the default zoom) is moved just enough and a
thin leader line leads back to a dot at the capital. Each circle is labelled with the capital's
name, placed beside it where no other label or circle is.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from .. import styles
from .._errors import InputError
from .._validate import region_labels
from .base import add_features, boundary_layer
from .frames import plain
from .layout import add_circle_layout, add_labels, layer_label_points

__all__ = ["CAPITAL_RADIUS_PX", "add_capitals", "capital_legend", "capital_shares"]

CAPITAL_RADIUS_PX = 18.0  # radius at a share of 100 %; area ∝ share


def capital_shares(g: gpd.GeoDataFrame, column: str, year: object) -> np.ndarray:
    """The capital shares of ``g`` checked (0..1, or 0..100 read as percent) and as 0..1."""
    share = g[column].to_numpy(dtype=float)
    finite = np.isfinite(share)
    if not finite.any():
        raise InputError(
            f"column {column!r} has no values"
            f"{f' for {year}' if year is not None else ''}; check the column and the year"
        )
    out_of_range = finite & ((share < 0) | (share > 100))
    if out_of_range.any():
        i = int(np.flatnonzero(out_of_range)[0])
        raise InputError(
            f"column {column!r} is {plain(share[i])!r} at {region_labels(g).iloc[i]}; a capital "
            "share must be between 0 and 1 (or 0 and 100 as a percentage)"
        )
    if share[finite].max() > 1.0:
        share = share / 100.0  # given in percent: the legend and classes work on 0..1
    return share


def _capital_units(g: gpd.GeoDataFrame, share: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """The capital unit of every province of ``g`` with a share, largest share first."""
    pref = boundary_layer("prefecture")
    caps = pref.loc[
        pref["is_capital"].astype(bool), ["province_code", "code", "name", "name_short", "name_en"]
    ]
    caps = caps.drop_duplicates("province_code").set_index("province_code")
    rows = np.flatnonzero(np.isfinite(share) & g["code"].isin(caps.index).to_numpy())
    rows = rows[np.argsort(-share[rows], kind="stable")]  # largest first: drawn underneath
    return caps.loc[g["code"].to_numpy()[rows]], rows


def _capital_names(g: gpd.GeoDataFrame, rows: np.ndarray, cap: pd.DataFrame, lang: str) -> list:
    """Label of each capital: its short name (English on English maps), or the table's own.

    A ``capital`` column (``si.capital_share`` writes the capital's name) that names another
    unit than the layer's capital wins: the user's table says what its capital is.
    """
    short = cap["name_short"] if lang == "zh" else cap["name_en"]
    if "capital" not in g.columns:
        return short.tolist()
    own = g["capital"].astype("string").to_numpy()[rows]
    return [
        s if pd.isna(o) or o == full else str(o)
        for s, o, full in zip(short, own, cap["name"], strict=True)
    ]


def add_capitals(
    m: folium.Map,
    g: gpd.GeoDataFrame,
    share: np.ndarray,
    style: styles.GraduatedStyle,
    label: str,
    lang: str,
) -> None:
    """The capital circles of ``g`` (see the module docstring), laid out and labelled."""
    t = styles.TEXT[lang]
    cap, rows = _capital_units(g, share)
    points = layer_label_points("prefecture")
    latlon = np.array([points[c] for c in cap["code"]], dtype=float).reshape(-1, 2)
    frame = gpd.GeoDataFrame(
        {"code": cap["code"].to_numpy()},
        geometry=gpd.points_from_xy(latlon[:, 1], latlon[:, 0]),
        crs=4490,
    )
    s = share[rows]
    tips = {
        t["capital"]: [f"{a} / {b}" for a, b in zip(cap["name"], cap["name_en"], strict=True)],
        t["name"]: g["name"].to_numpy()[rows].tolist(),
        label: [style.format_value(v) for v in s],
    }
    circles = []
    for v in s:
        color, weight = styles.capital_outline(v)
        circles.append(
            {
                "radius": float(CAPITAL_RADIUS_PX * np.sqrt(max(v, 0.0))),
                # one fill for every capital (the size carries the share, the outline the
                # class), distinct from the yellow-red provinces underneath
                "fill": True,  # folium.CircleMarker defaults to fill=False without a fill_color
                "fillColor": styles.CAPITAL_COLORS["fill"],
                "fillOpacity": 0.8,
                "color": color,
                "weight": weight,
                "className": "si-capital",
            }
        )
    marker = folium.CircleMarker(radius=8, pane="si-points")
    layer = add_features(
        m, frame, circles, t["capitals"], tooltip_rows=tips, id_prefix="c", marker=marker
    )
    layout = add_circle_layout(m, layer, gap=3.0, leader_color=styles.CAPITAL_COLORS["leader"])
    add_labels(
        m,
        latlon,
        _capital_names(g, rows, cap, lang),
        1e12 + s,  # capitals before every place name, larger shares first
        styles.MAP_TEXT[lang]["capital_names"],
        css_class="si-label-capital si-label-small",
        circles=layout,
        circle_index=range(len(rows)),
    )


def capital_legend(
    style: styles.GraduatedStyle, classes: np.ndarray, lang: str
) -> list[styles.LegendRow]:
    """The class rows (with counts) and one example circle per class: typical size, its outline."""
    t = styles.TEXT[lang]
    rows = styles.graduated_legend(style, classes, lang)
    for example, text in zip((0.3, 0.65, 0.9), style.class_labels(lang), strict=False):
        rows.append(
            styles.LegendRow(
                styles.CAPITAL_COLORS["fill"],
                f"{t['capital']} {text}",
                shape="circle",
                size=CAPITAL_RADIUS_PX * np.sqrt(example),
                border=styles.capital_outline(example)[0],
            )
        )
    return rows
