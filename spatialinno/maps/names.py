"""Place-name labels on any map kind: ``names=True | "province" | "prefecture" | "county"``.

``names=True`` labels the units the map draws, ``names="province"`` (or another level) the units
of that boundary layer, e.g. province names over a prefecture choropleth. Chinese maps show the
short name (``河北``, ``内蒙古``), English maps the English name; a unit the user renamed in the
frame shows the user's name. Labels are laid out in the page without collisions
(:mod:`spatialinno.maps.layout`): larger units first, capitals first among prefectures; what
does not fit at a zoom is hidden until the user zooms in.

>>> import spatialinno as si
>>> g = si.load_boundaries("province", simplified=True)
>>> texts, _, _ = name_texts(g, "zh", level="province")
>>> texts[:3]
['北京', '天津', '河北']
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import styles
from .._errors import InputError
from .._validate import POLYGON_LEVELS
from .base import boundary_layer
from .layout import add_labels, label_points, layer_label_points

__all__ = ["NAMES", "add_names", "check_names", "city_names", "name_texts"]

NAMES: tuple[object, ...] = (None, False, True, *POLYGON_LEVELS)


def check_names(names: object) -> object:
    """``names`` if it is one of None, False, True or a level name, else InputError."""
    if isinstance(names, (bool, type(None))) or names in POLYGON_LEVELS:
        return names
    raise InputError(
        f"names must be True, False or one of {', '.join(map(repr, POLYGON_LEVELS))} "
        f"(the level whose names are shown), not {names!r}"
    )


def _level_of(g: gpd.GeoDataFrame) -> str | None:
    if "code" not in g.columns:
        return None
    codes = g["code"].astype("string")
    for level in POLYGON_LEVELS:
        if codes.isin(boundary_layer(level)["code"]).all():
            return level
    return None


def name_texts(
    g: gpd.GeoDataFrame, lang: str, level: str | None
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Label text, ``(lat, lon)`` label point and priority of every row of ``g``.

    On a boundary layer (``level``): the layer's short / English name, unless the frame's
    ``name`` differs from the layer's (then the frame's own name), and the layer's label point.
    """
    area = shapely.area(g.geometry.to_numpy())  # degrees²: only the order matters
    capital = g["is_capital"].fillna(False).astype(bool).to_numpy() if "is_capital" in g else 0
    priority = area + np.where(capital, area.max() + 1.0, 0.0)
    own_zh = g["name"].astype("string") if "name" in g else pd.Series([pd.NA] * len(g))
    own_en = g["name_en"].astype("string") if "name_en" in g else own_zh
    if level is None:
        texts = own_zh if lang == "zh" else own_en.fillna(own_zh)
        return texts.fillna("").tolist(), label_points(g), priority
    layer = boundary_layer(level).set_index("code")
    codes = g["code"].astype(str).to_numpy()
    ref = layer.loc[codes]
    same = (own_zh.fillna("").to_numpy() == ref["name"].to_numpy()) | own_zh.isna().to_numpy()
    short = ref["name_short"] if lang == "zh" else ref["name_en"]
    mine = own_zh if lang == "zh" else own_en.fillna(own_zh)
    texts = np.where(same, short.to_numpy(), mine.fillna("").to_numpy())
    points = layer_label_points(level)
    latlon = np.array([points[c] for c in codes], dtype=float).reshape(-1, 2)
    return [str(t) for t in texts], latlon, priority


def add_names(
    m: folium.Map,
    g: gpd.GeoDataFrame,
    names: object,
    lang: str,
) -> folium.FeatureGroup | None:
    """Add the name labels ``names`` asks for (see the module docstring); None adds nothing.

    ``g`` is the frame the map draws (its rows are labelled with ``names=True``). Every circle
    set laid out on the map (:func:`~spatialinno.maps.layout.add_circle_layout`) is an obstacle
    the labels keep clear of.
    """
    names = check_names(names)
    if not names:
        return None
    if names is True:
        level = _level_of(g)
        frame = g
    else:
        level = str(names)
        frame = boundary_layer(level)
    texts, latlon, priority = name_texts(frame, lang, level)
    keep = [i for i, t in enumerate(texts) if t]
    small = "" if level == "province" else "si-label-small"
    return add_labels(
        m,
        latlon[keep],
        [texts[i] for i in keep],
        priority[keep],
        styles.MAP_TEXT[lang]["names"],
        css_class=small,
    )


def city_names(nodes: pd.DataFrame, lang: str) -> list[str]:
    """Label of each city of a network (``code``, ``name``, ``name_en``): as in :func:`name_texts`.

    The prefecture layer's short (or English) name when the city's name is the layer's, else
    the city's own name.
    """
    layer = boundary_layer("prefecture").set_index("code")
    out = []
    for code, zh, en in zip(nodes["code"], nodes["name"], nodes.get("name_en", nodes["name"]),
                            strict=True):  # fmt: skip
        own = zh if lang == "zh" else (en if isinstance(en, str) and en else zh)
        if code in layer.index and zh == layer.at[code, "name"]:
            own = layer.at[code, "name_short" if lang == "zh" else "name_en"]
        out.append("" if own is None or (isinstance(own, float) and np.isnan(own)) else str(own))
    return out
