"""GeoJSON of the web maps: each geometry written once as text, coordinates rounded.

Coordinates: EPSG:4490 longitude/latitude in degrees, rounded to :data:`COORD_DECIMALS`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = ["COORD_DECIMALS", "feature_collection", "geometry_texts"]

COORD_DECIMALS = 5  # ~1 m at China's latitudes: invisible on a web map, keeps files small


def _round_coords(geoms: np.ndarray) -> np.ndarray:
    """Coordinates rounded to 5 decimals (the saved file is mostly digits)."""
    return shapely.transform(geoms, lambda xy: np.round(xy, COORD_DECIMALS))


# GeoJSON text of geometries already written, by the id of the (immutable) shapely object. The
# entry keeps the object alive, so its id cannot be reused by another geometry while cached. The
# boundary layers hand out the same geometry objects on every load, so the maps of a run (15 of
# the 2,891 counties for five columns) serialise each geometry once.
_TEXTS: dict[int, tuple[Any, str, str]] = {}
_TEXTS_MAX = 60_000  # a little over every unit of the three levels, twice


def geometry_texts(geoms: Sequence[Any] | np.ndarray) -> tuple[list[str | None], list[str | None]]:
    """GeoJSON text and type of each geometry, coordinates rounded to 5 decimals (``None``: none).

    Made once per geometry object and reused (see ``_TEXTS``); the text is what
    ``json.dumps`` of the parsed GeoJSON would write, the shortest form of every number.

    >>> from shapely.geometry import Point
    >>> geometry_texts([Point(116.123456789, 40.0), None])
    (['{"type":"Point","coordinates":[116.12346,40.0]}', None], ['Point', None])
    """
    arr = np.asarray(geoms, dtype=object)
    texts: list[str | None] = [None] * arr.size
    kinds: list[str | None] = [None] * arr.size
    todo = []
    for i, g in enumerate(arr):
        hit = _TEXTS.get(id(g))
        if hit is not None and hit[0] is g:
            texts[i], kinds[i] = hit[1], hit[2]
        elif g is not None:
            todo.append(i)
    if todo:
        if len(_TEXTS) + len(todo) > _TEXTS_MAX:
            _TEXTS.clear()
        new = arr[todo]
        for i, g, text, kind in zip(
            todo, new, shapely.to_geojson(_round_coords(new)), shapely.get_type_id(new), strict=True
        ):
            texts[i], kinds[i] = str(text), _GEOM_TYPES[int(kind)]
            _TEXTS[id(g)] = (g, texts[i], kinds[i])
    return texts, kinds


_GEOM_TYPES = (
    "Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString",
    "MultiPolygon", "GeometryCollection",
)  # fmt: skip


def feature_collection(
    frame: gpd.GeoDataFrame, properties: pd.DataFrame, ids: Sequence[str]
) -> dict[str, Any]:
    """GeoJSON dict with ``id`` per feature (folium's styler switches on it), rounded coordinates.

    ``properties`` has one row per row of ``frame`` (its values must already be safe text).
    """
    texts, _ = geometry_texts(frame.geometry.to_numpy())
    records = properties.to_dict(orient="records")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": fid,
                "properties": props,
                "geometry": None if text is None else json.loads(text),
            }
            for fid, props, text in zip(ids, records, texts, strict=True)
        ],
    }
