"""Tests of si.gravity_center / si.deviational_ellipse (spatialinno.measures.centrography).

Independent references:
- brute force: the weighted average of the units' centroids computed by the test in the Albers
  equal-area CRS (geopandas), the eigen-decomposition of the weighted covariance matrix (numpy),
  the spherical distance and initial bearing (haversine) of each shift;
- pointpats' unweighted ellipse (``method='crimestat'`` and ``'yuill'``) for the unweighted case;
- geometry: ellipses along known directions, the share of a bivariate normal sample inside the
  one-standard-deviation ellipse (1 - e^-1 with the sqrt(2) correction), the polygon's own area.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pointpats.centrography import ellipse as pp_ellipse
from pyproj import Transformer
from shapely.geometry import Point

import spatialinno as si
from spatialinno import DataWarning, InputError
from spatialinno.boundaries import EQUAL_AREA_CRS

TO_LONLAT = Transformer.from_crs(EQUAL_AREA_CRS, "EPSG:4490", always_xy=True)
FROM_LONLAT = Transformer.from_crs("EPSG:4490", EQUAL_AREA_CRS, always_xy=True)


@pytest.fixture(scope="module")
def panel() -> gpd.GeoDataFrame:
    df = si.load_dataset("province_panel")
    df = df[(df["gb"] != "156000000") & df["year"].between(2010, 2023)]
    g = si.join_indicators(df[["gb", "year", "rd_exp_total_10k_yuan"]], "province")
    return g[g["rd_exp_total_10k_yuan"].notna()].reset_index(drop=True)


_CENTROIDS: dict[str, tuple[float, float]] = {}


def albers_centroids(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Each row's polygon centroid in the Albers CRS (geopandas), cached by code."""
    todo = frame[~frame["code"].isin(_CENTROIDS)].drop_duplicates("code")
    if len(todo):
        c = todo.to_crs(EQUAL_AREA_CRS).centroid
        _CENTROIDS.update(zip(todo["code"], zip(c.x, c.y, strict=True), strict=True))
    return np.array([_CENTROIDS[code] for code in frame["code"]])


def brute_centre(frame: gpd.GeoDataFrame, column: str) -> tuple[float, float]:
    xy = albers_centroids(frame)
    w = frame[column].to_numpy(dtype=float)
    return float((xy[:, 0] * w).sum() / w.sum()), float((xy[:, 1] * w).sum() / w.sum())


def brute_ellipse(xy: np.ndarray, w: np.ndarray, factor: float) -> tuple[float, float, float]:
    """(semi-major, semi-minor, orientation clockwise from north in degrees) by eigen-analysis."""
    d = xy - (w[:, None] * xy).sum(axis=0) / w.sum()
    cov = (w[:, None, None] * d[:, :, None] * d[:, None, :]).sum(axis=0) / w.sum()
    values, vectors = np.linalg.eigh(cov)
    major = vectors[:, 1]
    orientation = math.degrees(math.atan2(major[0], major[1])) % 180.0  # east over north
    return math.sqrt(factor * values[1]), math.sqrt(factor * values[0]), orientation


def haversine_km(lon1, lat1, lon2, lat2, radius=6371.0088):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * radius * np.arcsin(np.sqrt(a))


def bearing_deg(lon1, lat1, lon2, lat2):
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
    y = np.sin(dl) * np.cos(p2)
    x = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    return np.degrees(np.arctan2(y, x)) % 360


def points_frame(xy_m: np.ndarray, weights: np.ndarray, year: int = 2020) -> gpd.GeoDataFrame:
    lon, lat = TO_LONLAT.transform(xy_m[:, 0], xy_m[:, 1])
    return gpd.GeoDataFrame(
        {"code": [f"p{i}" for i in range(len(weights))], "year": year, "w": weights},
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4490",
    )


# ---------------------------------------------------------------------------------------------
# centre of gravity
# ---------------------------------------------------------------------------------------------


def test_gravity_center_equals_brute_force_and_haversine(panel) -> None:
    got = si.gravity_center(panel, "rd_exp_total_10k_yuan")
    assert got.crs.to_epsg() == 4490 and got["year"].tolist() == list(range(2010, 2024))
    for row in got.itertuples():
        year = panel[panel["year"] == row.year]
        x, y = brute_centre(year, "rd_exp_total_10k_yuan")
        assert row.x_m == pytest.approx(x, abs=1e-6) and row.y_m == pytest.approx(y, abs=1e-6)
        lon, lat = TO_LONLAT.transform(x, y)
        assert row.lon == pytest.approx(lon, abs=1e-9) and row.lat == pytest.approx(lat, abs=1e-9)
        assert row.geometry.x == pytest.approx(lon) and row.n_units == 31
    lon, lat = got["lon"].to_numpy(), got["lat"].to_numpy()
    hav = haversine_km(lon[:-1], lat[:-1], lon[1:], lat[1:])
    np.testing.assert_allclose(got["shift_km"].to_numpy()[1:], hav, rtol=5e-3)
    planar = np.hypot(np.diff(got["x_m"]), np.diff(got["y_m"])) / 1000
    np.testing.assert_allclose(got["shift_km"].to_numpy()[1:], planar, rtol=2e-2)
    bearing = bearing_deg(lon[:-1], lat[:-1], lon[1:], lat[1:])
    diff = (got["direction_deg"].to_numpy()[1:] - bearing + 180) % 360 - 180
    assert np.abs(diff).max() < 0.5
    assert np.isnan(got["shift_km"].iloc[0]) and pd.isna(got["direction"].iloc[0])
    # the reference study's story: the R&D centre drifts south-west (about 150 km in 13 years)
    assert got["lat"].iloc[-1] < got["lat"].iloc[0] and got["lon"].iloc[-1] < got["lon"].iloc[0]


@pytest.mark.parametrize(
    ("dx", "dy", "degrees", "en", "zh"),
    [(0, 50_000, 0, "N", "北"), (50_000, 0, 90, "E", "东"), (0, -50_000, 180, "S", "南"),
     (-50_000, 0, 270, "W", "西"), (40_000, 40_000, 45, "NE", "东北")],
)  # fmt: skip
def test_direction_is_clockwise_from_north(dx, dy, degrees, en, zh) -> None:
    # two unit points; the weight moves from the first to the second between the years
    base = np.array([[0.0, 3_500_000.0], [0.0 + dx, 3_500_000.0 + dy]])  # on 105E
    a = points_frame(base, np.array([1.0, 0.0]), 2020)
    b = points_frame(base, np.array([0.0, 1.0]), 2021)
    got = si.gravity_center(pd.concat([a, b], ignore_index=True), "w")
    # on the central meridian grid north is true north; a 50 km move: a fraction of a degree
    assert abs((got["direction_deg"].iloc[1] - degrees + 180) % 360 - 180) < 3
    assert got["direction"].iloc[1] == en and got["direction_zh"].iloc[1] == zh
    # Albers keeps areas, not lengths: at 31.6N its scales are off by 1.5 % (pyproj get_factors)
    assert got["shift_km"].iloc[1] == pytest.approx(math.hypot(dx, dy) / 1000, rel=0.025)


def test_centroid_not_representative_point_by_default() -> None:
    prov = si.load_boundaries("province").query("region.notna()", engine="python")
    prov = prov.assign(one=1.0)
    c = si.gravity_center(prov, "one", year=None)
    x, y = brute_centre(prov, "one")
    assert c["x_m"].item() == pytest.approx(x, abs=1e-6) and c["y_m"].item() == pytest.approx(y)
    r = si.gravity_center(prov, "one", year=None, points="representative")
    assert r["x_m"].item() != pytest.approx(x, abs=1.0)
    assert "year" not in c.columns


def test_missing_values_are_left_out_and_bad_input_named(panel) -> None:
    holed = panel.copy()
    holed.loc[(holed["code"] == "110000") & (holed["year"] == 2015), "rd_exp_total_10k_yuan"] = (
        np.nan
    )
    with pytest.warns(DataWarning, match=r"1 row\(s\) without a value: 北京市 \(110000\)"):
        got = si.gravity_center(holed, "rd_exp_total_10k_yuan")
    row = got[got["year"] == 2015].iloc[0]
    year = holed[(holed["year"] == 2015) & holed["rd_exp_total_10k_yuan"].notna()]
    assert row["x_m"] == pytest.approx(brute_centre(year, "rd_exp_total_10k_yuan")[0], abs=1e-6)
    assert row["n_units"] == 30
    negative = panel.assign(v=panel["rd_exp_total_10k_yuan"] - 1e7)
    with pytest.raises(InputError, match="negative at"):
        si.gravity_center(negative, "v")
    zero = panel.assign(v=0.0)
    with pytest.raises(InputError, match="zero in every unit of year 2010"):
        si.gravity_center(zero, "v")
    with pytest.raises(InputError, match="GeoDataFrame with a CRS"):
        si.gravity_center(pd.DataFrame(panel.drop(columns="geometry")), "rd_exp_total_10k_yuan")
    with pytest.raises(InputError, match="points must be"):
        si.gravity_center(panel, "rd_exp_total_10k_yuan", points="middle")


# ---------------------------------------------------------------------------------------------
# standard deviational ellipse
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("correction", "factor"), [("arcgis", 2.0), ("crimestat", None), ("none", 1.0)]
)
def test_weighted_ellipse_equals_eigen_decomposition(panel, correction, factor) -> None:
    got = si.deviational_ellipse(panel, "rd_exp_total_10k_yuan", correction=correction)
    for row in got.itertuples():
        year = panel[panel["year"] == row.year]
        xy = albers_centroids(year)
        n = len(xy)
        f = 2.0 * n / (n - 2) if factor is None else factor
        a, b, orient = brute_ellipse(xy, year["rd_exp_total_10k_yuan"].to_numpy(float), f)
        assert row.semi_major_km == pytest.approx(a / 1000, rel=1e-9)
        assert row.semi_minor_km == pytest.approx(b / 1000, rel=1e-9)
        assert row.orientation_deg == pytest.approx(orient, abs=1e-6)
        assert row.area_km2 == pytest.approx(math.pi * a * b / 1e6, rel=1e-9)
        assert row.flattening == pytest.approx(1 - b / a, rel=1e-9)
        assert row.correction == correction
        # the centre is the weighted mean centre of gravity_center
        x, y = brute_centre(year, "rd_exp_total_10k_yuan")
        assert (row.center_lon, row.center_lat) == pytest.approx(
            TO_LONLAT.transform(x, y), abs=1e-9
        )


def test_unweighted_ellipse_equals_pointpats() -> None:
    rng = np.random.default_rng(4)
    xy = rng.normal(size=(60, 2)) * [300_000, 120_000] @ np.array([[0.8, 0.6], [-0.6, 0.8]])
    xy += [800_000, 3_600_000]
    frame = points_frame(xy, np.ones(60))
    # the test's points are exact in Albers up to the round trip through lon/lat
    back = np.column_stack(FROM_LONLAT.transform(frame.geometry.x, frame.geometry.y))
    for correction, kwargs in (
        ("crimestat", {"method": "crimestat"}),
        ("arcgis", {"method": "yuill", "crimestatCorr": True, "degfreedCorr": False}),
        ("none", {"method": "yuill", "crimestatCorr": False, "degfreedCorr": False}),
    ):
        major, minor, angle = pp_ellipse(back, **kwargs)
        got = si.deviational_ellipse(frame, "w", correction=correction)
        assert got["semi_major_km"].item() == pytest.approx(major / 1000, rel=1e-9)
        assert got["semi_minor_km"].item() == pytest.approx(minor / 1000, rel=1e-9)
        assert got["orientation_deg"].item() == pytest.approx((90 - math.degrees(angle)) % 180)


@pytest.mark.parametrize("orientation", [0.0, 30.0, 45.0, 90.0, 135.0, 170.0])
def test_orientation_is_the_major_axis_clockwise_from_north(orientation: float) -> None:
    rng = np.random.default_rng(int(orientation))
    t = rng.normal(size=400) * 200_000  # along the major axis
    s = rng.normal(size=400) * 40_000
    theta = math.radians(orientation)
    east = t * math.sin(theta) + s * math.cos(theta)
    north = t * math.cos(theta) - s * math.sin(theta)
    xy = np.column_stack([east, north + 3_500_000.0])  # centred on the central meridian
    got = si.deviational_ellipse(points_frame(xy, np.ones(400)), "w")
    diff = (got["orientation_deg"].item() - orientation + 90) % 180 - 90
    assert abs(diff) < 3  # sampling error of the direction


def test_arcgis_ellipse_holds_one_minus_e_inverse_of_a_normal_sample() -> None:
    rng = np.random.default_rng(11)
    xy = rng.multivariate_normal([600_000, 3_400_000], [[9e10, 3e10], [3e10, 4e10]], size=6000)
    got = si.deviational_ellipse(points_frame(xy, np.ones(len(xy))), "w")
    # the polygon, back in the equal-area CRS, holds the expected share of the points
    poly = gpd.GeoSeries(got.geometry, crs="EPSG:4490").to_crs(EQUAL_AREA_CRS).iloc[0]
    inside = np.mean([poly.contains(Point(p)) for p in xy[:2000]])
    assert inside == pytest.approx(1 - math.exp(-1), abs=0.03)
    # and its area is pi a b (180 vertices: the inscribed polygon is 0.02 % smaller)
    assert poly.area / 1e6 == pytest.approx(got["area_km2"].item(), rel=5e-4)


def test_ellipse_needs_three_units_and_a_known_correction(panel) -> None:
    with pytest.raises(InputError, match="unknown correction 'sqrt2'"):
        si.deviational_ellipse(panel, "rd_exp_total_10k_yuan", correction="sqrt2")
    two = panel[(panel["year"] == 2010)].head(2)
    with pytest.raises(InputError, match=r"at least 3 units.*year 2010 has 2"):
        si.deviational_ellipse(two, "rd_exp_total_10k_yuan")
    single = si.deviational_ellipse(
        panel[panel["year"] == 2010], "rd_exp_total_10k_yuan", year=None
    )
    assert len(single) == 1 and "year" not in single.columns
