"""Spatial weights of a regular grid read off the cell indices: linear time, no polygon test.

A square cell (ix, iy) of :func:`spatialinno.boundaries.grids.grid` has its rook neighbours at
(ix ± 1, iy), (ix, iy ± 1) and its queen neighbours also at the four diagonals; an H3 cell has
its neighbours in its ring 1 (``h3.grid_disk(c, 1)``: 6 cells, 5 around a pentagon). Only
neighbours that are rows of the grid count, so a cell whose ring holds no row is an island
(``isolated`` in the local statistics). The graph is built from the index arithmetic in one
pass over the cells (a dense lookup table over the grid's bounding box, or a sort when the box
is sparse), and is registered like a graph of :func:`spatialinno.spatial_weights`: every
statistic checks it against the frame's ``code`` column and refuses it on a frame re-sorted,
filtered or holding other cells.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from .._errors import WeightsError
from .alignment import GraphInfo, remember, row_keys

if TYPE_CHECKING:
    import geopandas as gpd
    from libpysal.graph import Graph

__all__ = ["grid_weights", "lattice_pairs"]

_ROOK = ((1, 0), (-1, 0), (0, 1), (0, -1))
_QUEEN = (*_ROOK, (1, 1), (1, -1), (-1, 1), (-1, -1))
#: a dense lookup table is used while the grid's bounding box has at most _DENSE_FACTOR cells
#: per row plus _DENSE_EXTRA; beyond, a sort and binary searches (cells scattered over a box)
_DENSE_FACTOR = 8
_DENSE_EXTRA = 1_000_000


def grid_weights(
    grid: gpd.GeoDataFrame, kind: Literal["queen", "rook", "ring"] | None = None
) -> Graph:
    """Binary contiguity weights of a grid from :func:`spatialinno.grid`, in linear time.

    Parameters
    ----------
    grid : GeoDataFrame
        The cells, with ``ix``/``iy`` (square cells) or ``h3`` (hexagons) as :func:`grid` writes
        them, in any row order (a subset is fine: the weights are those among its rows).
    kind : {"queen", "rook", "ring"}, optional
        Square cells: ``queen`` (default; 8 neighbours: edges and corners) or ``rook`` (4, edges).
        H3 cells: ``ring`` (default and only choice: the 6 cells sharing an edge; hexagons share
        no corners only).

    Returns
    -------
    libpysal.graph.Graph
        Ids 0..n-1 (row positions), weight 1 per neighbour, cells without neighbour as
        libpysal's zero self-link (islands kept: the statistics label them ``isolated``).

    Examples
    --------
    >>> import pandas as pd
    >>> cells = pd.DataFrame({"code": ["a", "b", "c", "d"], "ix": [0, 1, 0, 5], "iy": [0, 0, 1, 5]})
    >>> g = grid_weights(cells)
    >>> sorted(g[0].index.tolist()), g.cardinalities.tolist()
    ([1, 2], [2, 2, 2, 0])
    """
    focal, neighbor, kind = lattice_pairs(grid, kind)
    n = len(grid)
    keep = np.arange(n)
    graph, links = _lattice_graph(focal, neighbor, n)
    key_name, keys = row_keys(grid)
    empty = pd.DataFrame(
        {"focal": pd.Series(dtype=int), "neighbor": pd.Series(dtype=int), "distance_km": []}
    )
    info = GraphInfo(f"{kind} (grid)", "keep", "grid lattice", n, empty, (), key_name, keys, None)
    remember(graph, keep, *links, info)
    return graph


def _lattice_graph(
    focal: np.ndarray, neighbor: np.ndarray, n: int
) -> tuple[Graph, tuple[np.ndarray, np.ndarray]]:
    """The Graph of the (distinct) pairs, islands as zero self-links, and its sorted links.

    Built directly in libpysal's canonical order (focal, then neighbor, ids 0..n-1), so the
    Graph skips its own sort: ``Graph.from_arrays`` spends about 11 s re-sorting 8 million links
    of a 1000 x 1000 queen lattice, this 0.3 s."""
    from libpysal.graph import Graph

    key = np.sort(focal.astype(np.int64) * n + neighbor)
    f, nb = np.divmod(key, n)
    has = np.zeros(n, dtype=bool)
    has[f] = True
    lonely = np.flatnonzero(~has)
    if lonely.size:
        all_key = np.concatenate([key, lonely * n + lonely])
        order = np.argsort(all_key, kind="stable")
        all_f, all_nb = np.divmod(all_key[order], n)
        weight = np.concatenate([np.ones(key.size), np.zeros(lonely.size)])[order]
    else:
        all_f, all_nb, weight = f, nb, np.ones(key.size)
    ids = pd.RangeIndex(n)
    codes = [all_f.astype(np.int32), all_nb.astype(np.int32)] if n < 2**31 else [all_f, all_nb]
    index = pd.MultiIndex(
        levels=[ids, ids], codes=codes, names=["focal", "neighbor"], verify_integrity=False
    )
    graph = Graph(pd.Series(weight, index=index, name="weight"), is_sorted=True)
    # Graph.sparse and Graph.unique_ids are cached properties that libpysal derives through a
    # pandas sparse pivot (1.8 s at 10^6 cells); the same CSR matrix (explicit zero self-links
    # of islands included, rows sorted) and ids are known here already
    import scipy.sparse as sp

    indptr = np.concatenate([[0], np.cumsum(np.bincount(all_f, minlength=n))])
    graph.__dict__["sparse"] = sp.csr_array((weight, all_nb, indptr), shape=(n, n))
    graph.__dict__["unique_ids"] = pd.Index(np.arange(n), name="focal")
    return graph, (f, nb)


def lattice_pairs(grid: pd.DataFrame, kind: str | None) -> tuple[np.ndarray, np.ndarray, str]:
    """Directed neighbour pairs (focal, neighbor) as row positions, and the kind used."""
    if "h3" in grid.columns and "ix" not in grid.columns:
        if kind not in (None, "ring"):
            raise WeightsError(f"H3 cells have ring-1 neighbours only (kind='ring'), not {kind!r}")
        return (*_h3_pairs(grid["h3"].to_numpy(dtype=object)), "ring")
    if "ix" not in grid.columns or "iy" not in grid.columns:
        raise WeightsError(
            "grid_weights needs the cells of si.grid(): columns ix and iy (square cells) or h3 "
            "(hexagons); for polygons use si.spatial_weights(gdf)"
        )
    kind = kind or "queen"
    if kind not in ("queen", "rook"):
        raise WeightsError(f"square cells have kind='queen' or 'rook', not {kind!r}")
    ix = grid["ix"].to_numpy(dtype=np.int64)
    iy = grid["iy"].to_numpy(dtype=np.int64)
    return (*_square_pairs(ix, iy, _QUEEN if kind == "queen" else _ROOK), kind)


def _square_pairs(
    ix: np.ndarray, iy: np.ndarray, offsets: tuple[tuple[int, int], ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour pairs among cells (ix, iy) at the given offsets."""
    n = ix.size
    if n == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    # one cell of margin around the box: a neighbour offset never leaves the table
    x0, y0 = int(ix.min()) - 1, int(iy.min()) - 1
    width, height = int(ix.max()) - x0 + 2, int(iy.max()) - y0 + 2
    flat = (ix - x0) * height + (iy - y0)
    if width * height <= _DENSE_FACTOR * n + _DENSE_EXTRA:
        table = np.full(width * height, -1, dtype=np.int64)
        table[flat] = np.arange(n)
        if np.count_nonzero(table >= 0) != n:
            raise WeightsError(
                "the grid repeats a cell (same ix, iy in two rows); one row per cell"
            )

        def lookup(target: np.ndarray) -> np.ndarray:
            return table[target]
    else:
        order = np.argsort(flat)
        sorted_flat = flat[order]
        if (np.diff(sorted_flat) == 0).any():
            raise WeightsError(
                "the grid repeats a cell (same ix, iy in two rows); one row per cell"
            )

        def lookup(target: np.ndarray) -> np.ndarray:
            pos = np.minimum(np.searchsorted(sorted_flat, target), n - 1)
            return np.where(sorted_flat[pos] == target, order[pos], -1)

    focal, neighbor = [], []
    rows = np.arange(n)
    for dx, dy in offsets:
        found = lookup(flat + dx * height + dy)
        has = found >= 0
        focal.append(rows[has])
        neighbor.append(found[has])
    return np.concatenate(focal), np.concatenate(neighbor)


def _h3_pairs(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ring-1 neighbour pairs among H3 cells."""
    import h3

    index = pd.Index(ids)
    if not index.is_unique:
        raise WeightsError("the grid repeats an H3 cell in two rows; one row per cell")
    focal: list[int] = []
    ring: list[str] = []
    for i, cell in enumerate(ids.tolist()):
        around = h3.grid_ring(cell, 1)
        ring.extend(around)
        focal.extend([i] * len(around))
    found = index.get_indexer(pd.Index(ring, dtype=object)) if ring else np.empty(0, np.int64)
    f = np.asarray(focal, dtype=np.int64)
    has = found >= 0
    return f[has], found[has].astype(np.int64)
