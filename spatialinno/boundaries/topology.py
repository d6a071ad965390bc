"""Topology of a layer of units: projection for geometry work, components, island links.

Shared by :mod:`spatialinno.measures.weights` (at run time) and ``boundaries/build.py`` (when the
bundled contiguity and island links are precomputed), so both use exactly the same algorithm.
Geometry only: nothing here is a statistic.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .projection import to_equal_area

__all__ = ["attach_components", "components", "projected"]


def projected(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Geometry in :data:`EQUAL_AREA_CRS` (metres), positions 0..n-1 as the index."""
    return to_equal_area(gdf.geometry).reset_index(drop=True)


def components(focal: np.ndarray, neighbor: np.ndarray, n: int) -> np.ndarray:
    """Connected-component label of each of the n units, from directed links focal -> neighbor."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    m = sp.coo_matrix((np.ones(focal.size), (focal, neighbor)), shape=(n, n))
    return connected_components(m, directed=True, connection="weak")[1]


def attach_components(
    geoms: gpd.GeoSeries, focal: np.ndarray, neighbor: np.ndarray, n: int
) -> pd.DataFrame:
    """Links that make the graph connected: each island group -> nearest unit outside it.

    Borůvka-style rounds: in every round each component except the largest gets one link to the
    closest unit outside it (boundary-to-boundary distance in the equal-area CRS), until one
    component is left. Each round at least halves the number of components, and each link is the
    shortest possible for its component, so no island is tied to a far-away region.
    """
    from shapely import STRtree

    arr = np.asarray(geoms.values)
    f, nb = focal.copy(), neighbor.copy()
    rows: list[tuple[int, int, float]] = []
    seen: set[tuple[int, int]] = set()
    while True:
        labels = components(f, nb, n)
        counts = np.bincount(labels)
        if counts.size <= 1:
            break
        main = int(np.argmax(counts))
        new: list[tuple[int, int, float]] = []
        for comp in range(counts.size):
            if comp == main:
                continue
            inside = np.flatnonzero(labels == comp)
            outside = np.flatnonzero(labels != comp)
            tree = STRtree(arr[outside])
            (src, dst), dist = tree.query_nearest(
                arr[inside], return_distance=True, all_matches=False
            )
            best = int(np.argmin(dist))
            a, b = int(inside[src[best]]), int(outside[dst[best]])
            pair = (min(a, b), max(a, b))
            if pair not in seen:  # two islands may pick each other in the same round
                seen.add(pair)
                new.append((a, b, float(dist[best]) / 1000.0))
        rows.extend(new)
        add_f = np.array([r[0] for r in new], dtype=int)
        add_n = np.array([r[1] for r in new], dtype=int)
        f = np.concatenate([f, add_f, add_n])
        nb = np.concatenate([nb, add_n, add_f])
    return pd.DataFrame(
        {
            "focal": np.array([r[0] for r in rows], dtype=int),
            "neighbor": np.array([r[1] for r in rows], dtype=int),
            "distance_km": np.array([r[2] for r in rows], dtype=float),
        }
    )
