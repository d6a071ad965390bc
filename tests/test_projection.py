"""boundaries.projection: longitude/latitude to the equal-area CRS without PROJ's operation
search gives the coordinates ``to_crs`` gives (issue 15, speed: 1.2 s of the demo's CPU)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

import spatialinno as si
from spatialinno.boundaries import EQUAL_AREA_CRS
from spatialinno.boundaries.projection import albers_geoms, albers_xy, is_lonlat, to_equal_area


@pytest.fixture(scope="module")
def counties() -> gpd.GeoSeries:
    return si.load_boundaries("county").geometry


def _coords(geoms) -> np.ndarray:
    return shapely.get_coordinates(np.asarray(geoms))


@pytest.mark.parametrize("crs", ["EPSG:4490", "EPSG:4326"])
def test_every_county_vertex_as_to_crs_puts_it(counties, crs) -> None:
    lonlat = counties.set_crs(crs, allow_override=True)
    fast, slow = to_equal_area(lonlat), lonlat.to_crs(EQUAL_AREA_CRS)
    assert fast.crs.equals(slow.crs)
    assert fast.index.equals(slow.index)
    a, b = _coords(fast), _coords(slow)
    assert a.shape == b.shape and a.shape[0] > 400_000
    assert np.abs(a - b).max() < 1e-6  # metres
    back = _coords(albers_geoms(fast.to_numpy(), inverse=True))
    assert np.abs(back - _coords(slow.to_crs(crs))).max() < 1e-9  # degrees


def test_points_both_ways() -> None:
    lon, lat = np.array([73.5, 105.0, 116.4, 135.0]), np.array([18.2, 35.0, 39.9, 53.5])
    x, y = albers_xy(lon, lat)
    ref = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=4490).to_crs(EQUAL_AREA_CRS)
    np.testing.assert_allclose(x, ref.x, atol=1e-6)
    np.testing.assert_allclose(y, ref.y, atol=1e-6)
    assert x[1] == pytest.approx(0.0, abs=1e-6)  # the central meridian, 105 E
    back = albers_xy(x, y, inverse=True)
    np.testing.assert_allclose(back[0], lon, atol=1e-10)
    np.testing.assert_allclose(back[1], lat, atol=1e-10)


def test_other_crs_go_through_to_crs(counties) -> None:
    merc = counties.iloc[:50].to_crs(3857)
    assert not is_lonlat(merc.crs)
    got, ref = to_equal_area(merc), merc.to_crs(EQUAL_AREA_CRS)
    np.testing.assert_array_equal(_coords(got), _coords(ref))


def test_which_crs_are_longitude_latitude() -> None:
    assert is_lonlat("EPSG:4490") and is_lonlat("EPSG:4326")
    assert not is_lonlat(None) and not is_lonlat("EPSG:3857") and not is_lonlat(EQUAL_AREA_CRS)
    assert not is_lonlat("EPSG:4214")  # Beijing 1954: a datum shift, so to_crs decides


def test_name_kept_and_heights_left_to_to_crs() -> None:
    pts = gpd.GeoSeries(gpd.points_from_xy([110.0, 120.0], [30.0, 40.0]), crs=4490, name="pt")
    assert to_equal_area(pts).name == "pt"
    with_z = gpd.GeoSeries(gpd.points_from_xy([110.0], [30.0], [500.0]), crs=4490)
    got = to_equal_area(with_z)
    assert got.has_z.all()
    np.testing.assert_array_equal(
        shapely.get_coordinates(got.to_numpy(), include_z=True),
        shapely.get_coordinates(with_z.to_crs(EQUAL_AREA_CRS).to_numpy(), include_z=True),
    )
