"""Geometry of the print maps: the projection, the mainland and South China Sea extents, layers.

Projection: **Albers equal-area conic, standard parallels 25°N and 47°N, central meridian
105°E** (``spatialinno.boundaries.EQUAL_AREA_CRS``, metres; the CGCS2000 coordinates of the
layers are taken as WGS84, a centimetre difference). Areas are true everywhere; distances are
true along the standard parallels only (see :func:`spatialinno.figures.cartography.add_scale_bar`).

A map of the whole country is drawn in two parts, as 《公开地图内容表示规范》 allows: the main map
clipped to the mainland box (:data:`MAINLAND_LONLAT`: everything north of 17.5°N, so Hainan
Island stays and the islands of the South China Sea go to the inset), and the inset
(:func:`scs_extent`: the ten-dash line and the island groups, 3.4°-24.7°N), both in the same
projection. What a map draws is a list of layers (:class:`Polygons`, :class:`Lines`,
:class:`Points`) holding both geometries, so the main map and the inset draw the same rows with
the same colours.

>>> x0, y0, x1, y1 = scs_extent()
>>> round((x1 - x0) / 1e3), round((y1 - y0) / 1e3)  # km
(1894, 2660)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.path import Path

from ..boundaries.load import EQUAL_AREA_CRS, load_boundaries
from .raster import add_cell_image

__all__ = [
    "ALBERS",
    "MAINLAND_LONLAT",
    "NATIONAL_WIDTH_M",
    "Lines",
    "Points",
    "Polygons",
    "border_lines",
    "bounds_of",
    "draw_layers",
    "mainland_outline",
    "project",
    "projected_layer",
    "scs_extent",
]

ALBERS = EQUAL_AREA_CRS
# (west, south, east, north) in degrees: the main map of a national figure (the rest is inset)
MAINLAND_LONLAT: tuple[float, float, float, float] = (70.0, 17.5, 140.0, 56.0)
# a map whose units span more than this (projected, m) is national: inset and mainland clip
NATIONAL_WIDTH_M = 3.0e6
_SCS_PAD = 0.06  # of the inset's extent, around the ten-dash line and the islands
_SCS_WEST = 0.22  # more to the west, where the inset's name and scale bar go


def project(frame: gpd.GeoDataFrame, mainland: bool) -> tuple[np.ndarray, np.ndarray]:
    """Projected geometry of ``frame`` (EPSG:4490 or any CRS): full, and clipped to the mainland.

    The second array is the first when ``mainland`` is False.
    """
    lonlat = frame.to_crs(4490).geometry.to_numpy() if not frame.crs.equals(4490) else (
        frame.geometry.to_numpy()
    )  # fmt: skip
    full = gpd.GeoSeries(lonlat, crs=4490).to_crs(ALBERS).to_numpy()
    if not mainland:
        return full, full
    # only what crosses or leaves the box is clipped and projected again: a grid of 10^5 cells
    # is projected once (the clip keeps a unit inside the box vertex for vertex)
    x0, y0, x1, y1 = MAINLAND_LONLAT
    b = shapely.bounds(lonlat)
    inside = (b[:, 0] >= x0) & (b[:, 1] >= y0) & (b[:, 2] <= x1) & (b[:, 3] <= y1)
    main = full.copy()
    if not inside.all():
        clipped = shapely.clip_by_rect(lonlat[~inside], *MAINLAND_LONLAT)
        main[~inside] = gpd.GeoSeries(clipped, crs=4490).to_crs(ALBERS).to_numpy()
    return full, main


@lru_cache(maxsize=16)
def projected_layer(level: str, simplified: bool) -> gpd.GeoDataFrame:
    """A bundled layer in :data:`ALBERS` with a second geometry column ``mainland`` (cached).

    Do not modify the result: it is shared by every figure of the process.
    """
    layer = load_boundaries(level, simplified=simplified)
    full, main = project(layer, mainland=True)
    out = gpd.GeoDataFrame(layer.drop(columns="geometry"), geometry=full, crs=ALBERS)
    out["mainland"] = main
    return out


@lru_cache(maxsize=1)
def border_lines() -> tuple[np.ndarray, np.ndarray]:
    """The 境界线 of the ``lines`` layer (incl. the ten-dash line), projected: full and mainland."""
    return project(load_boundaries("lines"), mainland=True)


@lru_cache(maxsize=1)
def mainland_outline() -> Any:
    """The mainland box :data:`MAINLAND_LONLAT` projected (a polygon; its edges along parallels
    and meridians followed every 0.25°): what the main map of a raster layer shows."""
    west, south, east, north = MAINLAND_LONLAT
    lon = np.arange(west, east, 0.25)
    lat = np.arange(south, north, 0.25)
    ring = np.concatenate([
        np.column_stack([lon, np.full(lon.size, south)]),
        np.column_stack([np.full(lat.size, east), lat]),
        np.column_stack([lon[::-1] + 0.25, np.full(lon.size, north)]),
        np.column_stack([np.full(lat.size, west), lat[::-1] + 0.25]),
    ])  # fmt: skip
    box = gpd.GeoSeries([shapely.Polygon(ring)], crs=4490).to_crs(ALBERS)
    return box.iloc[0]


@lru_cache(maxsize=1)
def scs_extent() -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the South China Sea inset in :data:`ALBERS` metres.

    The bounds of what lies south of the mainland box -- the line features reaching south of
    17.5°N (the ten-dash line) and the province polygons there (the island groups) -- padded by
    6 %, and by 22 % more to the west (open sea, where the inset's name and scale bar go).
    """
    south = MAINLAND_LONLAT[1]
    lines = load_boundaries("lines")
    provinces = load_boundaries("province", simplified=True)
    parts = [g for g in lines.geometry if g.bounds[1] < south]
    parts += [shapely.clip_by_rect(g, -180, -90, 180, south) for g in provinces.geometry]
    union = gpd.GeoSeries([shapely.union_all([p for p in parts if not p.is_empty])], crs=4490)
    x0, y0, x1, y1 = union.to_crs(ALBERS).total_bounds
    dx, dy = (x1 - x0) * _SCS_PAD, (y1 - y0) * _SCS_PAD
    # open sea to the west (Gulf of Thailand): room for the inset's name and scale bar
    west = (x1 - x0) * _SCS_WEST
    return float(x0 - dx - west), float(y0 - dy), float(x1 + dx), float(y1 + dy)


def bounds_of(geoms: np.ndarray) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the non-empty ``geoms``."""
    keep = geoms[~shapely.is_empty(geoms) & ~shapely.is_missing(geoms)]
    x0, y0, x1, y1 = shapely.total_bounds(keep)
    return float(x0), float(y0), float(x1), float(y1)


# --------------------------------------------------------------------------------------------
# layers: what a map draws, in the main map and in the inset
# --------------------------------------------------------------------------------------------
@dataclass
class Polygons:
    """Filled polygons, one colour (and hatch) per row.

    ``raster``: drawn as one image (:mod:`spatialinno.figures.raster`), without edges; square
    cells of a grid carry their ``lattice`` and are found by it rather than by their polygons.
    """

    geoms: np.ndarray
    main: np.ndarray
    faces: list[str]
    edge: str
    lw: float
    hatches: list[str] | None = None
    hatchcolor: str | None = None
    zorder: float = 1.0
    alpha: float = 1.0
    fill: bool = True
    raster: bool = False
    lattice: Any = None


@dataclass
class Lines:
    """Lines (LineStrings or polygon outlines), one width per row or one for all."""

    geoms: np.ndarray
    main: np.ndarray
    color: str | list[str]
    lw: float | np.ndarray
    linestyle: Any = "-"
    zorder: float = 3.0
    alpha: float = 1.0
    in_inset: bool = True  # False: main map only (region outlines would blot out the islands)


@dataclass
class Points:
    """Circles at projected ``x``, ``y``; ``sizes`` are areas in pt² (matplotlib's ``s``)."""

    x: np.ndarray
    y: np.ndarray
    sizes: np.ndarray
    faces: list[str] | str
    edges: list[str] | str
    lws: np.ndarray | float
    zorder: float = 4.0
    alpha: float = 1.0
    marker: str = "o"
    extra: dict[str, Any] = field(default_factory=dict)


def _polygon_path(geom: Any) -> Path | None:
    """One compound path (exteriors and holes) of a (Multi)Polygon; None when empty."""
    polys = shapely.get_parts(geom)
    polys = polys[shapely.get_type_id(polys) == 3]  # GeometryCollections from clipping
    rings = []
    for poly in polys:
        rings.append(shapely.get_exterior_ring(poly))
        rings.extend(
            shapely.get_interior_ring(poly, i) for i in range(shapely.get_num_interior_rings(poly))
        )
    if not rings:
        return None
    verts, codes = [], []
    for ring in rings:
        xy = shapely.get_coordinates(ring)
        if len(xy) < 3:
            continue
        code = np.full(len(xy), Path.LINETO, dtype=np.uint8)
        code[0], code[-1] = Path.MOVETO, Path.CLOSEPOLY
        verts.append(xy)
        codes.append(code)
    return Path(np.concatenate(verts), np.concatenate(codes)) if verts else None


def _segments(geoms: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Coordinate arrays of every line (polygon boundaries included) and the row of each."""
    bounds = shapely.boundary(geoms)
    lines = np.where(shapely.get_dimensions(geoms) == 2, bounds, geoms)
    parts, index = shapely.get_parts(lines, return_index=True)
    keep = ~shapely.is_empty(parts)
    parts, index = parts[keep], index[keep]
    return [shapely.get_coordinates(p) for p in parts], index


def _draw_polygons(ax: Any, layer: Polygons, geoms: np.ndarray) -> None:
    hatches = layer.hatches or [""] * len(geoms)
    for hatch in dict.fromkeys(hatches):  # one collection per hatch: a collection has one
        rows = [i for i, h in enumerate(hatches) if h == hatch]
        paths, faces = [], []
        for i in rows:
            path = _polygon_path(geoms[i])
            if path is not None:
                paths.append(path)
                faces.append(layer.faces[i])
        if not paths:
            continue
        col = PathCollection(
            paths,
            facecolors=faces if layer.fill else "none",
            edgecolors=layer.edge,
            linewidths=layer.lw,
            zorder=layer.zorder,
            alpha=layer.alpha,
        )
        if hatch:
            col.set_hatch(hatch)
            if hasattr(col, "set_hatchcolor"):  # matplotlib 3.10+; before, hatches use the edge
                col.set_hatchcolor(layer.hatchcolor or layer.edge)
        ax.add_collection(col, autolim=False)


def _draw_lines(ax: Any, layer: Lines, geoms: np.ndarray) -> LineCollection | None:
    segments, index = _segments(geoms)
    if not segments:
        return None
    lw = np.broadcast_to(np.asarray(layer.lw, dtype=float), (len(geoms),))[index]
    colors = layer.color if isinstance(layer.color, str) else [layer.color[i] for i in index]
    col = LineCollection(segments, colors=colors, linewidths=lw, linestyles=layer.linestyle,
                         zorder=layer.zorder, alpha=layer.alpha, capstyle="round")  # fmt: skip
    ax.add_collection(col, autolim=False)
    return col


def _pick(value: Any, keep: np.ndarray) -> Any:
    """``value`` for the kept points: a scalar or colour name as it is, an array subset."""
    return value if np.isscalar(value) or isinstance(value, str) else np.asarray(value)[keep]


def _draw_points(ax: Any, layer: Points, rect: tuple[float, float, float, float] | None) -> None:
    keep = np.ones(len(layer.x), dtype=bool)
    if rect is not None:
        keep = (
            (layer.x >= rect[0])
            & (layer.x <= rect[2])
            & (layer.y >= rect[1])
            & (layer.y <= rect[3])
        )
    ax.scatter(layer.x[keep], layer.y[keep], s=_pick(layer.sizes, keep), c=_pick(layer.faces, keep),
               edgecolors=_pick(layer.edges, keep), linewidths=_pick(layer.lws, keep),
               zorder=layer.zorder, alpha=layer.alpha, marker=layer.marker, **layer.extra)  # fmt: skip


def draw_layers(
    ax: Any, layers: list[Polygons | Lines | Points], part: str,
    rect: tuple[float, float, float, float] | None = None,
) -> None:  # fmt: skip
    """Draw ``layers`` on ``ax``: ``part`` "main" (mainland-clipped), "full", or "inset".

    For the inset, geometries are clipped to ``rect`` (x0, y0, x1, y1) first, so the inset
    draws only what it shows.
    """
    for layer in layers:
        if isinstance(layer, Points):
            _draw_points(ax, layer, rect)
            continue
        if part == "inset" and isinstance(layer, Lines) and not layer.in_inset:
            continue
        if isinstance(layer, Polygons) and layer.raster:  # the image shows what the axes show
            add_cell_image(ax, layer, part, mainland_outline() if part == "main" else None)
            continue
        geoms = layer.main if part == "main" else layer.geoms
        if rect is not None:
            geoms = shapely.clip_by_rect(geoms, *rect)
        if isinstance(layer, Polygons):
            _draw_polygons(ax, layer, geoms)
        else:
            _draw_lines(ax, layer, geoms)
