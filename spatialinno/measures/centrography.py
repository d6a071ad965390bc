"""Centre of gravity and standard deviational ellipse of a value over the years.

Both work on one point per unit and year: the unit's **centroid** (area-weighted centre of its
polygon) computed in the package's equal-area CRS (:data:`spatialinno.boundaries.EQUAL_AREA_CRS`,
Albers on 25°N/47°N, metres). The centroid is the centre of mass of a unit whose value is spread
evenly over its area, which is what a weighted mean centre aggregates; a representative point is
guaranteed to lie inside the polygon but is placed arbitrarily, so it shifts the centre for no
reason (``points="representative"`` is there for the rare concave unit whose centroid falls
outside it, e.g. to label it). The weighted mean centre and the ellipse axes come from
``pointpats.centrography`` (``weighted_mean_center``, ``ellipse``), whose weighted ellipse the
tests check against the eigen-decomposition of the weighted covariance matrix. Results are
returned in EPSG:4490 (CGCS2000 lon/lat), ready for maps.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._errors import DataWarning, InputError
from .._notes import Note
from .._validate import numeric_column, region_labels, require_columns
from ..boundaries.load import CRS
from ..boundaries.projection import albers_xy, to_equal_area
from ._panel import plain

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["CORRECTIONS", "centers_frame", "deviational_ellipse", "gravity_center"]

#: Ellipse corrections: factor c multiplying the weighted variance along each axis before the
#: square root (semi-axis = sqrt(c * lambda)).
CORRECTIONS: dict[str, str] = {
    "arcgis": "c = 2 (ArcGIS Pro 'Directional Distribution', one standard deviation)",
    "crimestat": "c = 2 n / (n - 2) (CrimeStat IV, Levine 2015; pointpats method='crimestat')",
    "none": "c = 1 (the plain weighted standard deviations along the principal axes, Yuill 1971)",
}
_COMPASS_EN = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
_COMPASS_ZH = ("北", "东北", "东", "东南", "南", "西南", "西", "西北")


def _points(frame: Any, how: str) -> np.ndarray:
    """Projected (x, y) in metres of every row's centroid / representative point."""
    import geopandas as gpd
    import shapely

    if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
        raise InputError(
            "expected a GeoDataFrame with a CRS (e.g. from si.join_indicators); the centre is "
            "computed from each unit's geometry"
        )
    if how not in ("centroid", "representative"):
        raise InputError(f"points must be 'centroid' or 'representative', not {how!r}")
    geoms = frame.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        first = int(np.flatnonzero(empty)[0])
        raise InputError(
            f"{region_labels(frame).iloc[first]} has no geometry; drop the row or join boundaries"
        )
    # the same polygon recurs every year: project and measure each distinct geometry once
    codes, uniques = pd.factorize(shapely.to_wkb(geoms))
    distinct = gpd.GeoSeries(shapely.from_wkb(uniques), crs=frame.crs)
    projected = to_equal_area(distinct)
    pts = projected.centroid if how == "centroid" else projected.representative_point()
    return np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])[codes]


def _groups(frame: Any, column: str, year: str | None, what: str):
    """(year, row positions, weights) per year, rows with a missing value left out (warned)."""
    require_columns(frame, [column] + ([year] if year else []), "frame")
    values = numeric_column(frame, column, "frame")
    labels = region_labels(frame).to_numpy()
    bad = np.flatnonzero(values < 0)
    if bad.size:
        raise InputError(
            f"{what} weights units by {column!r}, which is negative at {labels[bad[0]]}; a centre "
            "of gravity needs non-negative values"
        )
    years = frame[year].to_numpy() if year else np.zeros(len(frame), dtype=int)
    if year and pd.isna(years).any():
        first = int(np.flatnonzero(pd.isna(years))[0])
        raise InputError(f"column {year!r} is empty at {labels[first]}; every row needs a year")
    missing = np.isnan(values)
    order = sorted(pd.unique(years))
    empty = [v for v in order if missing[years == v].all()]
    partial = np.flatnonzero(missing & ~np.isin(years, empty))
    if empty or partial.size:
        parts = [f"{year} {', '.join(str(v) for v in empty)}: no value at all"] if empty else []
        if partial.size:
            by_unit = pd.Series(years[partial]).groupby(labels[partial], sort=False)
            shown = [f"{name} ({len(ys)} year(s))" if year else str(name) for name, ys in by_unit]
            more = f" and {len(shown) - 10} more" if len(shown) > 10 else ""
            parts.append(f"{partial.size} row(s) without a value: {', '.join(shown[:10])}{more}")
        text = f"{what}: left out for {column!r}: " + "; ".join(parts)
        units = tuple((str(n), len(ys)) for n, ys in by_unit) if partial.size else ()
        note = Note("center_left_out", text, what=what, column=column, empty=tuple(empty),
                    rows=int(partial.size), per_unit=units if year else ())  # fmt: skip
        warnings.warn(note, DataWarning, stacklevel=3)
    out = []
    for value in order:
        if value in empty:
            continue
        rows = np.flatnonzero((years == value) & ~missing)
        if values[rows].sum() <= 0:
            raise InputError(
                f"{what}: {column!r} is zero in every unit of {year} {value}; no centre can be "
                "weighted by it"
            )
        out.append((value, rows, values[rows]))
    if not out:
        raise InputError(f"{what}: {column!r} has no value in any row")
    return out


def _to_lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # CGCS2000 lon/lat from the equal-area metres (boundaries.projection: no operation search)
    return albers_xy(x, y, inverse=True)


def _compass(azimuth: float) -> tuple[str | None, str | None]:
    if not math.isfinite(azimuth):
        return None, None
    sector = int(((azimuth % 360) + 22.5) // 45) % 8
    return _COMPASS_EN[sector], _COMPASS_ZH[sector]


def gravity_center(
    frame: gpd.GeoDataFrame,
    column: str,
    year: str | None = "year",
    *,
    points: Literal["centroid", "representative"] = "centroid",
) -> gpd.GeoDataFrame:
    """Weighted mean centre (centre of gravity) of a value in every year, and how it moves.

    With unit points (x_i, y_i) in the equal-area CRS and weights w_i = the value::

        x̄ = sum_i w_i x_i / sum_i w_i,   ȳ = sum_i w_i y_i / sum_i w_i

    (``pointpats.centrography.weighted_mean_center``), converted to lon/lat (EPSG:4490). The
    shift from the previous year is the geodesic on the GRS80 ellipsoid (CGCS2000's, to 0.1 mm;
    ``pyproj.Geod``): ``shift_km`` its length and ``direction_deg`` its initial azimuth,
    **degrees clockwise from north** (0 = north, 90 = east, 180 = south, 270 = west), with the
    8-point compass in ``direction``/``direction_zh``.

    Parameters
    ----------
    frame : GeoDataFrame
        Units with geometry (polygons or points, any CRS), one row per unit and year (or one
        year without a year column: ``year=None``). Rows with a missing value are left out.
    column : str
        Non-negative weights (R&D spending, patents ...).
    year : str or None, default "year"
        Column holding the year.
    points : {"centroid", "representative"}, default "centroid"
        Unit point: area centroid (default, see module notes) or representative point.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per year (sorted), EPSG:4490 points: ``year``, ``lon``, ``lat``, ``x_m``,
        ``y_m`` (equal-area CRS), ``n_units``, ``total`` (sum of weights), ``shift_km``,
        ``direction_deg``, ``direction``, ``direction_zh`` (NaN/None for the first year). The
        path of the centre is the points joined in year order.

    References
    ----------
    Mitchell, A. (2005) *The ESRI Guide to GIS Analysis*, vol. 2: Spatial Measurements and
    Statistics, ch. 2 (mean centre). Karney, C. F. F. (2013) Algorithms for geodesics.
    *Journal of Geodesy* 87: 43-55.

    Examples
    --------
    >>> import spatialinno as si
    >>> prov = si.load_boundaries("province").query("region.notna()", engine="python")
    >>> prov["w"] = (prov["region"] == "east").astype(float)
    >>> c = si.gravity_center(prov, "w", year=None)
    >>> round(float(c["lon"].iloc[0]), 1), round(float(c["lat"].iloc[0]), 1)
    (117.0, 31.7)
    """
    import geopandas as gpd
    from pointpats.centrography import weighted_mean_center
    from pyproj import Geod

    groups = _groups(frame, column, year, "gravity_center")
    xy = _points(frame, points)
    rows = []
    for value, pos, weights in groups:
        cx, cy = weighted_mean_center(xy[pos], weights)
        rows.append((value, float(cx), float(cy), pos.size, float(weights.sum())))
    out = pd.DataFrame(rows, columns=["year", "x_m", "y_m", "n_units", "total"])
    lon, lat = _to_lonlat(out["x_m"].to_numpy(), out["y_m"].to_numpy())
    out.insert(1, "lon", lon)
    out.insert(2, "lat", lat)
    az, _, dist = Geod(ellps="GRS80").inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    out["shift_km"] = np.r_[np.nan, np.asarray(dist) / 1000.0]
    out["direction_deg"] = np.r_[np.nan, np.asarray(az) % 360.0]
    out.loc[out["shift_km"] == 0, "direction_deg"] = np.nan  # no move, no direction
    compass = [_compass(a) for a in out["direction_deg"]]
    out["direction"] = [c[0] for c in compass]
    out["direction_zh"] = [c[1] for c in compass]
    if year is None:
        out = out.drop(columns="year")
    return gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(lon, lat), crs=CRS)


def _pointpats_ellipse(xy: np.ndarray, w: np.ndarray, correction: str) -> tuple[float, ...]:
    """(semi-major, semi-minor, angle of the major axis counter-clockwise from east, radians)."""
    from pointpats.centrography import ellipse

    if correction == "crimestat":
        return ellipse(xy, weights=w, method="crimestat")
    return ellipse(xy, weights=w, method="yuill", crimestatCorr=correction == "arcgis",
                   degfreedCorr=False)  # fmt: skip


def _ellipse_polygon(cx: float, cy: float, a: float, b: float, phi: float, vertices: int) -> Any:
    """The ellipse as an EPSG:4490 polygon (built in the equal-area CRS, then transformed)."""
    import shapely

    t = np.linspace(0.0, 2.0 * np.pi, vertices, endpoint=False)
    ex, ey = a * np.cos(t), b * np.sin(t)
    x = cx + ex * np.cos(phi) - ey * np.sin(phi)
    y = cy + ex * np.sin(phi) + ey * np.cos(phi)
    lon, lat = _to_lonlat(x, y)
    return shapely.Polygon(np.column_stack([lon, lat]))


def deviational_ellipse(
    frame: gpd.GeoDataFrame,
    column: str,
    year: str | None = "year",
    *,
    correction: Literal["arcgis", "crimestat", "none"] = "arcgis",
    points: Literal["centroid", "representative"] = "centroid",
    vertices: int = 180,
) -> gpd.GeoDataFrame:
    """Weighted standard deviational ellipse (one standard deviation) of a value in every year.

    With unit points in the equal-area CRS, weights w_i = the value, the weighted mean centre
    (x̄, ȳ) and d_i = (x_i - x̄, y_i - ȳ), the weighted covariance matrix is
    C = sum_i w_i d_i d_iᵀ / sum_i w_i. Its eigenvalues λ1 >= λ2 are the weighted variances
    along the principal axes; the semi-axes are a = sqrt(c λ1) (major) and b = sqrt(c λ2), with
    the correction c chosen by ``correction`` (:data:`CORRECTIONS`):

    - ``"arcgis"`` (default): c = 2, as ArcGIS Pro's *Directional Distribution* (the sqrt(2)
      correction that makes the one-standard-deviation ellipse of a bivariate normal cover
      about 63 % of the points);
    - ``"crimestat"``: c = 2 n / (n - 2), CrimeStat's sqrt(2) and degrees-of-freedom correction
      (n = number of units);
    - ``"none"``: c = 1.

    Computed by ``pointpats.centrography.ellipse`` (weighted); the tests check it against this
    eigen-decomposition. ``orientation_deg`` is the direction of the major axis in **degrees
    clockwise from north**, in [0, 180) (ArcGIS's *Rotation*): 0 = north-south, 90 = east-west.
    Axes and area are measured in the equal-area CRS: the area is that of the ellipse on the
    ellipsoid, the axis lengths carry the projection's scale error (an equal-area projection
    keeps areas, not lengths: exact on 25°N and 47°N, up to 2 % between them, 2.6 % at 18°N
    (Hainan), 4 % at 53°N (Mohe)). The centre's shifts of :func:`gravity_center` are geodesic
    and carry no such error.

    Parameters
    ----------
    frame : GeoDataFrame
        Units with geometry, one row per unit and year (``year=None``: a single year).
    column : str
        Non-negative weights; rows with a missing value are left out.
    year : str or None, default "year"
        Column holding the year.
    correction : {"arcgis", "crimestat", "none"}, default "arcgis"
        See above.
    points : {"centroid", "representative"}, default "centroid"
        Unit point, as in :func:`gravity_center`.
    vertices : int, default 180
        Vertices of the ellipse polygon.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per year, EPSG:4490 polygons: ``year``, ``center_lon``, ``center_lat``,
        ``semi_major_km``, ``semi_minor_km``, ``orientation_deg``, ``area_km2`` (π a b),
        ``flattening`` (1 - b/a), ``n_units``, ``correction``.

    References
    ----------
    Lefever, D. W. (1926) Measuring geographic concentration by means of the standard
    deviational ellipse. *American Journal of Sociology* 32(1): 88-94. Yuill, R. S. (1971)
    The standard deviational ellipse. *Geographical Analysis* 3(1): 28-39. Levine, N. (2015)
    *CrimeStat IV*, ch. 4. Esri, *How Directional Distribution (Standard Deviational Ellipse)
    works*, ArcGIS Pro tool reference.

    Examples
    --------
    >>> import spatialinno as si
    >>> prov = si.load_boundaries("province").query("region.notna()", engine="python")
    >>> prov["one"] = 1.0
    >>> e = si.deviational_ellipse(prov, "one", year=None)
    >>> round(float(e["orientation_deg"].iloc[0])), round(float(e["semi_major_km"].iloc[0]))
    (56, 1229)
    """
    import geopandas as gpd
    from pointpats.centrography import weighted_mean_center

    if correction not in CORRECTIONS:
        raise InputError(f"unknown correction {correction!r}; use one of: {', '.join(CORRECTIONS)}")
    if isinstance(vertices, bool) or not isinstance(vertices, (int, np.integer)) or vertices < 8:
        raise InputError(f"vertices must be an integer >= 8, not {vertices!r}")
    groups = _groups(frame, column, year, "deviational_ellipse")
    xy = _points(frame, points)
    rows, shapes = [], []
    for value, pos, weights in groups:
        if pos.size < 3:
            raise InputError(
                f"deviational_ellipse needs at least 3 units with a value; {year} {value} has "
                f"{pos.size}"
            )
        cx, cy = weighted_mean_center(xy[pos], weights)
        a, b, phi = _pointpats_ellipse(xy[pos], weights, correction)
        orientation = (90.0 - math.degrees(phi)) % 180.0
        shapes.append(_ellipse_polygon(cx, cy, a, b, phi, int(vertices)))
        rows.append((value, cx, cy, a / 1000, b / 1000, orientation, math.pi * a * b / 1e6,
                     1.0 - b / a if a > 0 else 0.0, pos.size))  # fmt: skip
    out = pd.DataFrame(
        rows,
        columns=["year", "x_m", "y_m", "semi_major_km", "semi_minor_km", "orientation_deg",
                 "area_km2", "flattening", "n_units"],
    )  # fmt: skip
    lon, lat = _to_lonlat(out.pop("x_m").to_numpy(), out.pop("y_m").to_numpy())
    out.insert(1, "center_lon", lon)
    out.insert(2, "center_lat", lat)
    out["correction"] = correction
    if year is None:
        out = out.drop(columns="year")
    return gpd.GeoDataFrame(out, geometry=shapes, crs=CRS)


def centers_frame(centers: pd.DataFrame) -> pd.DataFrame:
    """The centres of :func:`gravity_center` (or any frame with ``lon``/``lat`` in degrees) as the
    maps and figures draw them: checked, a ``year`` column (row order when missing), sorted.

    >>> centers_frame(pd.DataFrame({"year": [2021, 2020], "lon": [114.0, 113.0], "lat": [30.0, 31.0]}))["year"].tolist()
    [2020, 2021]
    """
    require_columns(centers, ["lon", "lat"], "centre-of-gravity frame")
    c = pd.DataFrame(centers).copy()
    if "year" not in c.columns:
        c["year"] = range(len(c))
    lon = pd.to_numeric(c["lon"], errors="coerce")
    lat = pd.to_numeric(c["lat"], errors="coerce")
    bad = lon.isna() | lat.isna() | ~lon.between(-180, 180) | ~lat.between(-90, 90)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"centre-of-gravity frame: row {i} (year {plain(c['year'].iloc[i])!r}) has no valid "
            "lon/lat in degrees; pass the output of si.gravity_center"
        )
    if len(c) == 0:
        raise InputError("the centre-of-gravity frame is empty; nothing to map")
    c["lon"], c["lat"] = lon, lat
    return c.sort_values("year", kind="stable").reset_index(drop=True)
