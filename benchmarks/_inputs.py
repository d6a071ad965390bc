"""The inputs every section shares: the three bundled polygon layers, one variable, one graph.

Variable: unit area in km², computed in the Albers equal-area CRS
(:data:`spatialinno.boundaries.EQUAL_AREA_CRS`). It is real (the bundled geometry), deterministic,
defined for all 34 / 375 / 2,891 units (no missing value, which ``inequality.Gini_Spatial`` could
not handle) and spatially structured (large units in the west), so permutation tests do real work.

Weights: the package's queen contiguity (precomputed vertex-based contiguity of the bundled layer),
ids = row positions 0..n-1. The peers get the *same* graph (as a libpysal ``W`` via ``Graph.to_W``),
so both sides compute the same statistic on the same neighbours.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

import spatialinno as si

if TYPE_CHECKING:
    import geopandas as gpd
    from libpysal.graph import Graph

LEVELS: tuple[str, ...] = ("province", "prefecture", "county")
VARIABLE = "area_km2"


@lru_cache(maxsize=4)
def layer(level: str) -> gpd.GeoDataFrame:
    """Bundled layer (EPSG:4490, sorted by code) with ``area_km2`` (Albers equal-area)."""
    from spatialinno.boundaries import EQUAL_AREA_CRS

    frame = si.load_boundaries(level)
    frame[VARIABLE] = frame.to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6
    return frame


def values(level: str) -> np.ndarray:
    return layer(level)[VARIABLE].to_numpy(dtype=float)


@lru_cache(maxsize=8)
def graph(level: str, islands: str = "nearest") -> Graph:
    """``si.spatial_weights(layer, "queen", islands=islands)``: binary, ids 0..n-1."""
    return si.spatial_weights(layer(level), kind="queen", islands=islands)


def clear_weights_caches() -> None:
    """Forget the contiguity table and island links spatialinno cached in this process.

    Times the *first* ``spatial_weights`` call of a process on a layer the user already loaded,
    without paying the imports again (those are timed separately in a fresh interpreter).
    """
    from spatialinno.boundaries import load as boundaries

    boundaries._weights_data.cache_clear()


def clear_layer_cache() -> None:
    """Forget the layers spatialinno read from its GeoPackage (the next load reads the file)."""
    from spatialinno.boundaries import load as boundaries

    boundaries._read.cache_clear()
