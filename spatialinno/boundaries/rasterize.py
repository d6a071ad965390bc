"""Which unit lies under each pixel: grids and polygon layers rasterised at the pixel centres.

A map of 10^4-10^6 cells is drawn as one image, not one path per cell: the web maps
(:mod:`spatialinno.maps.raster`, a PNG in Web Mercator) and the print figures
(:mod:`spatialinno.figures.raster`, an image in the figures' Albers projection) both ask, for
every pixel, which row of the frame lies under the pixel's centre (-1: none). Two answers, one
rule (the pixel centre decides):

* **square cells** of :func:`spatialinno.grid` (:class:`Lattice`): the centre's coordinates in
  :data:`~spatialinno.boundaries.EQUAL_AREA_CRS` divided by the cell size give the column and row
  of the lattice (:func:`square_rows`; exact, no geometry read);
* **any polygons** (H3 hexagons, irregular cells, administrative units; :func:`polygon_rows`): an
  even-odd scanline fill of the polygons' edges at the pixel-row centres, vectorised in numpy, in
  time linear in the edges plus the pixels covered. Holes and multi-part units are filled as
  shapely draws them; a pixel centre exactly on an edge shared by two units goes to one of them.

Geometry only, no drawing library: both output stages import this module.

>>> import shapely
>>> sq = shapely.box(0.0, 0.0, 2.0, 2.0)
>>> polygon_rows(np.array([sq]), (0.0, 0.0, 4.0, 4.0), (4, 4)).tolist()
[[-1, -1, -1, -1], [-1, -1, -1, -1], [0, 0, -1, -1], [0, 0, -1, -1]]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from .._errors import InputError

__all__ = ["Lattice", "is_grid", "lattice_of", "polygon_rows", "square_rows", "square_size"]

#: cells of a lattice's box up to 8 per cell plus this many: dense lookup table; beyond, binary
#: search (scattered cells: small cells, points all over China)
_DENSE_EXTRA = 4_000_000
#: polygons filled per numpy pass: the edge crossings held at once stay bounded whatever the
#: number of polygons (10^6 H3 cells)
_CHUNK = 20_000
#: pixels written per pass: bounds the index arrays of a 600 dpi image
_PIXELS = 1 << 22


def is_grid(frame: Any) -> bool:
    """Is ``frame`` a grid of :func:`spatialinno.grid` (square cells or H3 hexagons)?"""
    cols = getattr(frame, "columns", ())
    return "code" in cols and (("ix" in cols and "iy" in cols) or "h3" in cols)


def square_size(codes: pd.Series) -> float:
    """The cell side in metres, from the codes ``"<size>m:<ix>:<iy>"`` :func:`grid` writes."""
    codes = codes.astype(str)
    first = re.match(r"(\d+(?:\.\d+)?)m:", codes.iloc[0]) if len(codes) else None
    if first is not None and codes.str.startswith(first[0]).all():  # 10^6 codes in 0.1 s
        return float(first[1])
    sizes = codes.str.extract(r"^(\d+(?:\.\d+)?)m:", expand=False)
    if sizes.isna().any() or sizes.nunique() != 1:
        raise InputError(
            "the grid's code column does not hold the codes si.grid writes ('<size>m:<ix>:<iy>', "
            "one size); map the frame si.grid returned (filtered rows are fine)"
        )
    return float(sizes.iloc[0])


@dataclass(frozen=True)
class Lattice:
    """Square cells: column ``ix`` and row ``iy`` of each frame row, side ``size`` (m, Albers)."""

    ix: np.ndarray
    iy: np.ndarray
    size: float


def lattice_of(frame: Any) -> Lattice | None:
    """The :class:`Lattice` of a square grid of :func:`spatialinno.grid`; None for any other frame
    (H3 cells, polygons), which :func:`polygon_rows` rasterises from their geometry."""
    cols = getattr(frame, "columns", ())
    if not ("code" in cols and "ix" in cols and "iy" in cols) or len(frame) == 0:
        return None
    size = square_size(frame["code"])
    ix = frame["ix"].to_numpy(dtype=np.int64)
    iy = frame["iy"].to_numpy(dtype=np.int64)
    return Lattice(ix, iy, size)


def square_rows(lattice: Lattice, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The row of the square cell under each point (``x``, ``y``: equal-area CRS; -1: none)."""
    ix, iy, size = lattice.ix, lattice.iy, lattice.size
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    out = np.full(x.size, -1, dtype=np.int64)
    if ix.size == 0:
        return out
    x0, y0 = int(ix.min()), int(iy.min())
    w, h = int(ix.max()) - x0 + 1, int(iy.max()) - y0 + 1
    with np.errstate(invalid="ignore"):  # NaN coordinates (outside a projection) find no cell
        px = np.floor(x / size) - x0
        py = np.floor(y / size) - y0
    inside = (px >= 0) & (px < w) & (py >= 0) & (py < h)
    flat = (ix - x0) * h + (iy - y0)
    target = px[inside].astype(np.int64) * h + py[inside].astype(np.int64)
    if w * h <= 8 * ix.size + _DENSE_EXTRA:  # a dense lookup table over the cells' box
        table = np.full(w * h, -1, dtype=np.int64)
        table[flat] = np.arange(ix.size)
        out[inside] = table[target]
    else:  # scattered cells: binary search in the sorted keys
        order = np.argsort(flat)
        pos = np.minimum(np.searchsorted(flat[order], target), ix.size - 1)
        out[inside] = np.where(flat[order][pos] == target, order[pos], -1)
    return out


def polygon_rows(
    geoms: np.ndarray, bounds: tuple[float, float, float, float], shape: tuple[int, int]
) -> np.ndarray:
    """The row of ``geoms`` whose polygon holds each pixel centre (-1: none), shape (h, w).

    ``bounds`` (x0, y0, x1, y1) is the image's extent in the geometries' coordinates; pixel
    (i, j) has its centre at ``x0 + (j + 0.5) (x1 - x0) / w``, ``y1 - (i + 0.5) (y1 - y0) / h``
    (row 0 at the top). Where polygons overlap, the later row has the pixel (as a later path is
    drawn over an earlier one). Non-polygon parts (points, lines of a clipped collection) are
    ignored.
    """
    height, width = shape
    out = np.full(height * width, -1, dtype=np.int64)
    geoms = np.asarray(geoms, dtype=object)
    x0, y0, x1, y1 = bounds
    box = shapely.bounds(geoms)
    near = np.flatnonzero(
        (box[:, 0] <= x1) & (box[:, 2] >= x0) & (box[:, 1] <= y1) & (box[:, 3] >= y0)
    )
    scale = (width / (x1 - x0), height / (y1 - y0))
    for start in range(0, near.size, _CHUNK):
        rows = near[start : start + _CHUNK]
        spans = _spans(geoms[rows], bounds, scale, shape)
        if spans is None:
            continue
        owner, row, first, length = spans
        # spans written a few million pixels at a time; where polygons overlap the later row
        # wins (the larger index, also within one pass), as when they are drawn as paths
        ends = np.cumsum(length)
        cut = np.searchsorted(ends, np.arange(_PIXELS, ends[-1], _PIXELS), side="right")
        for a, b in zip([0, *cut.tolist()], [*cut.tolist(), length.size], strict=True):
            n = length[a:b]
            span = np.repeat(np.arange(a, b), n)
            col = first[span] + np.arange(span.size) - np.repeat(np.cumsum(n) - n, n)
            np.maximum.at(out, row[span] * width + col, rows[owner[span]])
    return out.reshape(height, width)


def _edges(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start and end coordinates of every ring edge of the polygons, and the row of each."""
    single = shapely.get_type_id(geoms) == 3  # polygons as they are: no part objects made
    multi, multi_owner = shapely.get_parts(geoms[~single], return_index=True)
    parts = np.concatenate([geoms[single], multi])
    owner = np.concatenate([np.flatnonzero(single), np.flatnonzero(~single)[multi_owner]])
    keep = shapely.get_type_id(parts) == 3  # polygons (clipping may leave lines and points)
    parts, owner = parts[keep], owner[keep]
    holes = shapely.get_num_interior_rings(parts) > 0
    # a polygon without holes is one ring: its coordinates are read directly (get_rings is
    # the slowest step for 10^5 hexagons); polygons with holes ring by ring
    rings, ring_owner = shapely.get_rings(parts[holes], return_index=True)
    starts, ends, whos = [], [], []
    for geoms, owners in ((parts[~holes], owner[~holes]), (rings, owner[holes][ring_owner])):
        xy, ring = shapely.get_coordinates(geoms, return_index=True)
        same = ring[1:] == ring[:-1]  # consecutive vertices of one (closed) ring
        starts.append(xy[:-1][same])
        ends.append(xy[1:][same])
        whos.append(owners[ring[:-1][same]])
    return np.concatenate(starts), np.concatenate(ends), np.concatenate(whos)


def _spans(
    geoms: np.ndarray, bounds: tuple[float, float, float, float], scale: tuple[float, float],
    shape: tuple[int, int],
) -> tuple[np.ndarray, ...] | None:  # fmt: skip
    """The runs of pixel centres inside a polygon: row in ``geoms``, pixel row, first column,
    length (in the order of the rows in ``geoms``)."""
    height, width = shape
    a, b, who = _edges(geoms)
    if who.size == 0:
        return None
    # pixel units: column j and row i have their centres at u = j, v = i
    ua, ub = (a[:, 0] - bounds[0]) * scale[0] - 0.5, (b[:, 0] - bounds[0]) * scale[0] - 0.5
    va, vb = (bounds[3] - a[:, 1]) * scale[1] - 0.5, (bounds[3] - b[:, 1]) * scale[1] - 0.5
    # an edge crosses pixel row i when min(va, vb) <= i < max(va, vb): half-open, so a ring
    # crosses every row an even number of times (a vertex on the row counts once)
    lo = np.clip(np.ceil(np.minimum(va, vb)), 0, height).astype(np.int64)
    hi = np.clip(np.ceil(np.maximum(va, vb)), 0, height).astype(np.int64)
    n = np.maximum(hi - lo, 0)
    edge = np.repeat(np.arange(n.size), n)
    if edge.size == 0:
        return None
    row = lo[edge] + np.arange(edge.size) - np.repeat(np.cumsum(n) - n, n)
    t = (row - va[edge]) / (vb[edge] - va[edge])
    u = ua[edge] + t * (ub[edge] - ua[edge])
    owner = who[edge]
    order = np.lexsort((u, row, owner))
    u, row, owner = u[order], row[order], owner[order]
    # even-odd: consecutive crossings of one polygon on one row bound a span inside it
    first = np.clip(np.ceil(u[0::2]), 0, width).astype(np.int64)
    last = np.clip(np.ceil(u[1::2]), 0, width).astype(np.int64)
    keep = last > first
    return owner[0::2][keep], row[0::2][keep], first[keep], (last - first)[keep]
