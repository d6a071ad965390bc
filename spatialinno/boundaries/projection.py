"""Longitude/latitude to the equal-area CRS and back, without PROJ's search for an operation.

``GeoSeries.to_crs`` and ``Transformer.from_crs`` first ask PROJ which operations lead from one
CRS to the other; between CGCS2000 (EPSG:4490) or WGS 84 (EPSG:4326) longitude/latitude and
:data:`~spatialinno.boundaries.EQUAL_AREA_CRS` (an Albers projection on the WGS 84 datum) the
answer is the projection alone (PROJ's "ballpark" step between the two datums: no shift), but
finding it takes 0.3-0.5 s per pair of CRS and process -- 1.2 s of the demo's CPU in the centre
of gravity alone. ``pyproj.Proj`` applies that projection directly: the same coordinates
(tests/test_projection.py compares them with ``to_crs`` on every county outline), found at once.
Any other CRS goes through ``to_crs`` as before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from .load import EQUAL_AREA_CRS

__all__ = ["albers_geoms", "albers_xy", "is_lonlat", "to_equal_area"]

# geographic CRS whose path to EQUAL_AREA_CRS is the projection alone (checked in the tests)
_LONLAT = ("EPSG:4490", "EPSG:4326")


@lru_cache(maxsize=1)
def _proj() -> Any:
    import pyproj

    return pyproj.Proj(EQUAL_AREA_CRS)


@lru_cache(maxsize=8)
def _lonlat(crs_text: str) -> bool:
    from pyproj import CRS as ProjCRS

    crs = ProjCRS.from_user_input(crs_text)
    return any(crs.equals(code) for code in _LONLAT)


def is_lonlat(crs: Any) -> bool:
    """Whether ``crs`` is CGCS2000 or WGS 84 longitude/latitude (EPSG:4490 / 4326)."""
    if crs is None:
        return False
    return _lonlat(crs.to_wkt() if hasattr(crs, "to_wkt") else str(crs))


def albers_xy(x: np.ndarray, y: np.ndarray, inverse: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Longitude/latitude (degrees) to equal-area metres, or back with ``inverse=True``."""
    out = _proj()(np.asarray(x, dtype=float), np.asarray(y, dtype=float), inverse=inverse)
    return np.asarray(out[0], dtype=float), np.asarray(out[1], dtype=float)


def albers_geoms(geoms: np.ndarray, inverse: bool = False) -> np.ndarray:
    """Shapely geometries in longitude/latitude to equal-area metres (or back)."""
    return shapely.transform(
        geoms, lambda xy: np.column_stack(albers_xy(xy[:, 0], xy[:, 1], inverse=inverse))
    )


def to_equal_area(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """``geoms.to_crs(EQUAL_AREA_CRS)``, directly when they are in longitude/latitude (2-D)."""
    values = geoms.to_numpy()
    if not is_lonlat(geoms.crs) or shapely.has_z(values).any():  # heights: to_crs keeps them
        return geoms.to_crs(EQUAL_AREA_CRS)
    return gpd.GeoSeries(
        albers_geoms(values), index=geoms.index, crs=EQUAL_AREA_CRS, name=geoms.name
    )
