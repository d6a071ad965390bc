"""Points aggregated to a regular grid: square cells in the equal-area projection, or H3 hexagons.

Users who geocode patents, firms or labs look for concentrations below the prefecture: 1-10 km
square cells or H3 hexagons over China, 10^5-10^6 cells. :func:`grid` turns points (a
GeoDataFrame of points, or a table with longitude / latitude columns in CGCS2000) into one row
per cell with the count, sum or mean of a value, the cell's geometry and the province and
prefecture its centre falls in, so that results can be summarised by unit.

Square cells are the squares ``[i s, (i+1) s) x [j s, (j+1) s)`` of :data:`EQUAL_AREA_CRS`
(Albers equal-area for China, metres): every cell has the same area, s². A cell is identified by
its column ``ix`` and row ``iy``; its code is ``"<size>m:<ix>:<iy>"``. H3 cells (Uber's hexagonal
hierarchical index, ``h3`` >= 4) are identified by their H3 index, which is their code; at
resolution 6 a hexagon covers about 36 km². The lattice weights of either grid
(:func:`spatialinno.measures.lattice.grid_weights`) are read off the cell indices, without any
polygon intersection.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._errors import ColumnError, DataWarning, InputError
from .load import CRS, EQUAL_AREA_CRS, load_boundaries
from .projection import albers_xy, to_equal_area

__all__ = ["MAX_CELLS", "GridSpec", "grid", "parse_cell"]

#: largest number of candidate cells ``extent="china"`` may enumerate (about 1.6 km squares)
MAX_CELLS = 4_000_000
_AGGS = ("count", "sum", "mean")
#: ix and iy of a cell are packed into one int64 key ix * 2^31 + (iy + 2^30): |iy| < 2^30
#: (Albers coordinates are below 2 x 10^7 m), so the key orders cells by ix, then iy
_PACK = np.int64(2**31)
_OFFSET = np.int64(2**30)


def _pack(ix: np.ndarray, iy: np.ndarray) -> np.ndarray:
    return ix * _PACK + (iy + _OFFSET)


def _unpack(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ix, rest = np.divmod(key, _PACK)
    return ix, rest - _OFFSET


@dataclass(frozen=True)
class GridSpec:
    """A grid: ``kind`` "square" with ``size`` in metres, or "h3" with ``resolution``."""

    kind: Literal["square", "h3"]
    size: float = 0.0
    resolution: int = 0

    @property
    def label(self) -> str:
        """The cell argument that gives this grid back ("5km", "h3:6")."""
        if self.kind == "h3":
            return f"h3:{self.resolution}"
        return f"{self.size / 1000:g}km" if self.size % 1000 == 0 else f"{self.size:g}m"


def parse_cell(cell: Any) -> GridSpec:
    """``"5km"``, ``"500m"``, ``"h3:6"`` -> :class:`GridSpec`; anything else refused.

    >>> parse_cell("5km"), parse_cell("h3:6").resolution
    (GridSpec(kind='square', size=5000.0, resolution=0), 6)
    """
    text = str(cell).strip().lower() if isinstance(cell, str) else ""
    found = re.fullmatch(r"h3:(\d{1,2})", text)
    if found and 0 <= int(found[1]) <= 15:
        return GridSpec("h3", resolution=int(found[1]))
    found = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(km|m)", text)
    if found and float(found[1]) > 0:
        size = float(found[1]) * (1000.0 if found[2] == "km" else 1.0)
        if size >= 100.0:
            return GridSpec("square", size=size)
    raise InputError(
        f"cell must be a square cell size such as '5km' or '500m' (at least 100 m) or an H3 "
        f"resolution such as 'h3:6' (0-15), not {cell!r}"
    )


def grid(
    data: pd.DataFrame,
    cell: str = "5km",
    value: str | None = None,
    agg: Literal["sum", "count", "mean"] = "sum",
    extent: Literal["china"] | None = "china",
    lon: str = "lon",
    lat: str = "lat",
) -> Any:
    """Aggregate points to square equal-area cells or H3 hexagons.

    Parameters
    ----------
    data : GeoDataFrame of points, or DataFrame
        One row per point (a patent, a firm). A GeoDataFrame is read in its own CRS; a plain
        table needs the columns ``lon`` and ``lat`` (degrees, CGCS2000 / WGS84).
    cell : str, default "5km"
        ``"<n>km"`` / ``"<n>m"``: squares of that side in :data:`EQUAL_AREA_CRS` (Albers, metres);
        ``"h3:<r>"``: H3 hexagons of resolution r.
    value : str, optional
        Numeric column to aggregate; rows where it is missing are left out (counted in
        ``attrs``). Without it, ``agg`` must be "count".
    agg : {"sum", "count", "mean"}, default "sum"
        Aggregate per cell of ``value`` (``count``: points per cell).
    extent : {"china", None}, default "china"
        ``"china"``: every cell whose centre lies in China (the 34 province-level units) is a row,
        empty cells with count / sum 0 and mean NaN, as a hot-spot analysis needs; points outside
        China are left out with a :class:`DataWarning`. ``None``: only the cells holding points.
    lon, lat : str
        Coordinate columns of a plain table.

    Returns
    -------
    geopandas.GeoDataFrame
        In :data:`CRS` (EPSG:4490), one row per cell, sorted by (ix, iy) or H3 index: ``code`` (cell code),
        ``ix``/``iy`` (square) or ``h3`` (hexagon), ``n_points``, the aggregate (named after
        ``value``, or ``count``), ``province_code``, ``prefecture_code``, ``prefecture`` (the
        unit the cell's centre falls in; missing outside any unit), the cell polygon.
        ``.attrs["grid"]`` records the cell, agg, value, extent, points used and left out.

    Examples
    --------
    >>> import pandas as pd, spatialinno as si
    >>> pts = pd.DataFrame({"lon": [116.40, 116.41, 121.47], "lat": [39.90, 39.91, 31.23]})
    >>> g = si.grid(pts, cell="5km", agg="count", extent=None)
    >>> g[["n_points", "prefecture"]].values.tolist()
    [[2, '北京市'], [1, '上海市']]
    """
    spec = parse_cell(cell)
    if agg not in _AGGS:
        raise InputError(f"agg must be one of {', '.join(_AGGS)}, not {agg!r}")
    if value is None and agg != "count":
        raise InputError(f"agg={agg!r} needs value= (a numeric column); without it use agg='count'")
    if extent not in ("china", None):
        raise InputError(f"extent must be 'china' or None, not {extent!r}")
    x, y, v, no_value = _points(data, value, lon, lat)
    if spec.kind == "square":
        cells, stats, outside = _square_cells(spec, x, y, v, extent)
    else:
        cells, stats, outside = _h3_cells(spec, x, y, v, extent)
    if outside:
        warnings.warn(
            f"{outside:,} point(s) lie outside China (no cell of extent='china' holds them) and "
            "are left out; use extent=None to keep every cell with points",
            DataWarning,
            stacklevel=2,
        )
    frame = _assemble(spec, cells, stats, value, agg)
    frame.attrs["grid"] = {
        "cell": spec.label,
        "kind": spec.kind,
        "agg": agg,
        "value": value,
        "extent": extent,
        "points": int(x.size - outside),
        "points_outside": int(outside),
        "points_without_value": int(no_value),
        "equal_area_crs": EQUAL_AREA_CRS if spec.kind == "square" else None,
    }
    return frame


def _points(
    data: Any, value: str | None, lon: str, lat: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Longitude, latitude (degrees, EPSG:4490), values (1 for a count) of the usable points."""
    import geopandas as gpd

    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a (Geo)DataFrame of points, not {type(data).__name__}")
    if isinstance(data, gpd.GeoDataFrame) and data.geometry.name in data.columns:
        if data.crs is None:
            raise InputError("the points have no CRS; set it (e.g. gdf.set_crs('EPSG:4490'))")
        geom = data.geometry.to_crs(CRS)
        if not geom.geom_type.dropna().eq("Point").all():
            raise InputError("grid() needs point geometries (one point per row)")
        xs, ys = geom.x.to_numpy(float), geom.y.to_numpy(float)
    else:
        for col in (lon, lat):
            if col not in data.columns:
                raise ColumnError(
                    f"column {col!r} not found: a table of points needs longitude and latitude "
                    f"columns (lon=, lat=); available: {', '.join(map(str, data.columns))}"
                )
        xs = pd.to_numeric(data[lon], errors="coerce").to_numpy(float)
        ys = pd.to_numeric(data[lat], errors="coerce").to_numpy(float)
    bad = ~(np.isfinite(xs) & np.isfinite(ys))
    if bad.any() or (np.abs(xs[~bad]) > 180).any() or (np.abs(ys[~bad]) > 90).any():
        rows = np.flatnonzero(bad | (np.abs(xs) > 180) | (np.abs(ys) > 90))
        raise InputError(
            f"{rows.size} point(s) have no valid longitude/latitude (first rows: "
            f"{', '.join(map(str, data.index[rows[:5]]))}); remove or fix them first"
        )
    vals = np.ones(xs.size)
    no_value = 0
    if value is not None:
        if value not in data.columns:
            raise ColumnError(f"value column {value!r} not found in the points")
        vals = pd.to_numeric(data[value], errors="coerce").to_numpy(float)
        if np.isinf(vals).any():
            raise InputError(f"column {value!r} holds infinite values; remove them first")
        keep = np.isfinite(vals)
        no_value = int((~keep).sum())
        xs, ys, vals = xs[keep], ys[keep], vals[keep]
    return xs, ys, vals, no_value


def _to_albers(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return albers_xy(lon, lat)


def _from_albers(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return albers_xy(x, y, inverse=True)


def _sums(inverse: np.ndarray, size: int, v: np.ndarray) -> dict[str, np.ndarray]:
    """Points and value sums per cell of the points' cell positions ``inverse``."""
    return {
        "n": np.bincount(inverse, minlength=size),
        "sum": np.bincount(inverse, weights=v, minlength=size),
    }


def _square_cells(
    spec: GridSpec, lon: np.ndarray, lat: np.ndarray, v: np.ndarray, extent: str | None
) -> tuple[pd.DataFrame, dict[str, np.ndarray], int]:
    """The cells (ix, iy, unit columns) and their sums; points outside the extent."""
    x, y = _to_albers(lon, lat)
    key = _pack(np.floor(x / spec.size).astype(np.int64), np.floor(y / spec.size).astype(np.int64))
    if extent == "china":
        cells = _square_extent(spec)
        pos = np.searchsorted(cells["key"].to_numpy(), key)
        pos = np.minimum(pos, len(cells) - 1)
        inside = cells["key"].to_numpy()[pos] == key
        return cells, _sums(pos[inside], len(cells), v[inside]), int((~inside).sum())
    uniq, inverse = np.unique(key, return_inverse=True)
    ix, iy = _unpack(uniq)
    cx, cy = _from_albers((ix + 0.5) * spec.size, (iy + 0.5) * spec.size)
    cells = pd.DataFrame({"key": uniq, "ix": ix, "iy": iy, "cx": cx, "cy": cy})
    cells = pd.concat([cells, _units_of(cx, cy)], axis=1)
    return cells, _sums(inverse.ravel(), len(cells), v), 0


def _square_extent(spec: GridSpec) -> pd.DataFrame:
    """Every square cell whose centre lies in a province-level unit, sorted by key."""
    import shapely

    prov = to_equal_area(load_boundaries("province", simplified=True).geometry)
    x0, y0, x1, y1 = prov.total_bounds
    ixs = np.arange(np.floor(x0 / spec.size), np.ceil(x1 / spec.size), dtype=np.int64)
    iys = np.arange(np.floor(y0 / spec.size), np.ceil(y1 / spec.size), dtype=np.int64)
    if ixs.size * iys.size > MAX_CELLS:
        raise InputError(
            f"cell={spec.label!r} over China means {ixs.size * iys.size:,} candidate cells (more "
            f"than {MAX_CELLS:,}); use extent=None (only the cells holding points) or larger cells"
        )
    gx, gy = np.meshgrid(ixs, iys, indexing="ij")
    gx, gy = gx.ravel(), gy.ravel()
    # the candidate centres inside the provinces' outline (one prepared polygon, vectorised)
    union = shapely.union_all(prov.geometry.to_numpy())
    shapely.prepare(union)
    inside = shapely.contains_xy(union, (gx + 0.5) * spec.size, (gy + 0.5) * spec.size)
    gx, gy = gx[inside], gy[inside]
    key = _pack(gx, gy)  # gx-major: already sorted
    cx, cy = _from_albers((gx + 0.5) * spec.size, (gy + 0.5) * spec.size)
    cells = pd.DataFrame({"key": key, "ix": gx, "iy": gy, "cx": cx, "cy": cy})
    return pd.concat([cells, _units_of(cx, cy)], axis=1)


def _h3_cells(
    spec: GridSpec, lon: np.ndarray, lat: np.ndarray, v: np.ndarray, extent: str | None
) -> tuple[pd.DataFrame, dict[str, np.ndarray], int]:
    """H3 cells of the points (and of China with ``extent="china"``) and their sums."""
    import h3

    res = spec.resolution
    ids = np.fromiter(
        (h3.latlng_to_cell(b, a, res) for a, b in zip(lon.tolist(), lat.tolist(), strict=True)),
        dtype=object,
        count=lon.size,
    )
    if extent == "china":
        found = _h3_extent(res)
        codes = pd.Index(found)
        pos = codes.get_indexer(ids)
        inside = pos >= 0
        cells = _h3_frame(found)
        return cells, _sums(pos[inside], len(cells), v[inside]), int((~inside).sum())
    uniq, inverse = np.unique(ids.astype(str), return_inverse=True)
    cells = _h3_frame(uniq.astype(object))
    return cells, _sums(inverse.ravel(), len(cells), v), 0


def _h3_extent(res: int) -> np.ndarray:
    """The H3 cells (sorted) whose centre lies in one of the 34 province-level units."""
    import h3

    prov = load_boundaries("province", simplified=True)
    found: set[str] = set()
    for geom in prov.geometry:
        found.update(h3.geo_to_cells(geom.__geo_interface__, res))
    if len(found) > MAX_CELLS:
        raise InputError(
            f"cell='h3:{res}' over China means {len(found):,} cells (more than {MAX_CELLS:,}); "
            "use extent=None or a coarser resolution"
        )
    return np.array(sorted(found), dtype=object)


def _h3_frame(ids: np.ndarray) -> pd.DataFrame:
    import h3

    centres = np.array([h3.cell_to_latlng(c) for c in ids.tolist()]).reshape(-1, 2)
    cells = pd.DataFrame({"key": ids, "h3": ids, "cx": centres[:, 1], "cy": centres[:, 0]})
    return pd.concat([cells, _units_of(cells["cx"].to_numpy(), cells["cy"].to_numpy())], axis=1)


def _units_of(lon: np.ndarray, lat: np.ndarray) -> pd.DataFrame:
    """Province code, prefecture code and name of the prefecture-level unit holding each point."""
    import shapely

    pref = load_boundaries("prefecture", simplified=True)
    tree = shapely.STRtree(pref.geometry.to_numpy())
    pts, polys = tree.query(shapely.points(lon, lat), predicate="within")
    which = np.full(lon.size, -1, dtype=np.int64)
    which[pts] = polys  # a point on a shared border: the last unit found (one of the two)
    has = which >= 0
    out = pd.DataFrame(index=range(lon.size))
    for col, src in (("province_code", "province_code"), ("prefecture_code", "code"),
                     ("prefecture", "name")):  # fmt: skip
        values = np.full(lon.size, None, dtype=object)
        values[has] = pref[src].to_numpy(dtype=object)[which[has]]
        out[col] = values
    return out


def _assemble(
    spec: GridSpec, cells: pd.DataFrame, stats: dict[str, np.ndarray], value: str | None, agg: str
) -> Any:
    """The GeoDataFrame of the cells: code, indices, aggregate, units, polygon (EPSG:4490)."""
    import geopandas as gpd

    n = stats["n"]
    if agg == "count":
        result = n.astype(np.int64)
    elif agg == "sum":
        result = stats["sum"]
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            result = np.where(n > 0, stats["sum"] / np.maximum(n, 1), np.nan)
    out = pd.DataFrame(index=pd.RangeIndex(len(cells)))
    if spec.kind == "square":
        out["code"] = _square_codes(spec, cells["ix"].to_numpy(), cells["iy"].to_numpy())
        out["ix"] = cells["ix"].to_numpy()
        out["iy"] = cells["iy"].to_numpy()
        geometry = _square_polygons(spec, out["ix"].to_numpy(), out["iy"].to_numpy())
    else:
        out["code"] = cells["h3"].to_numpy(dtype=object)
        out["h3"] = out["code"]
        geometry = _h3_polygons(out["code"].to_numpy())
    out["n_points"] = n.astype(np.int64)
    out[value if value is not None else "count"] = result
    for col in ("province_code", "prefecture_code", "prefecture"):
        out[col] = cells[col].to_numpy()
    return gpd.GeoDataFrame(out, geometry=geometry, crs=CRS)


def _square_codes(spec: GridSpec, ix: np.ndarray, iy: np.ndarray) -> np.ndarray:
    prefix = f"{spec.size:.0f}m:"
    return (prefix + pd.Series(ix).astype(str) + ":" + pd.Series(iy).astype(str)).to_numpy(object)


def _square_polygons(spec: GridSpec, ix: np.ndarray, iy: np.ndarray) -> Any:
    """The cells' squares, their corners projected to EPSG:4490 (4 corners each)."""
    import shapely

    s = spec.size
    cx = np.stack([ix, ix + 1, ix + 1, ix, ix], axis=1).astype(float) * s
    cy = np.stack([iy, iy, iy + 1, iy + 1, iy], axis=1).astype(float) * s
    lon, lat = _from_albers(cx.ravel(), cy.ravel())
    coords = np.stack([lon, lat], axis=1).reshape(-1, 5, 2)
    return shapely.polygons(coords)


def _h3_polygons(ids: np.ndarray) -> Any:
    import h3
    import shapely

    rings = [[(b, a) for a, b in h3.cell_to_boundary(c)] for c in ids.tolist()]
    return shapely.polygons([shapely.linearrings(r) for r in rings])
