"""si.gravity_network: G_ij = k M_i M_j / d_ij^b, checked against a brute-force evaluation.

Distances are recomputed here independently: centroids in a different equal-area projection
(EPSG:6933, cylindrical) and the haversine formula on the mean Earth radius; they agree with the
package's GRS80 geodesics between Albers centroids to well under 1 %. Weights are then compared
with the formula evaluated pair by pair on the package's own distances (exact to 1e-12).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import spatialinno as si
from spatialinno.measures.gravity import unit_centroids

CITIES = pd.DataFrame(
    {
        "code": ["110000", "310000", "440100", "440300", "510100", "610100"],
        "rd_staff": [120.0, 90.0, 60.0, 80.0, 40.0, 35.0],
        "gdp": [40.0, 44.0, 28.0, 32.0, 21.0, 12.0],
    }
)


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = (map(math.radians, a)), (map(math.radians, b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def centroids() -> pd.DataFrame:
    return unit_centroids("prefecture")


def test_centroids_and_distances_agree_with_an_independent_computation(centroids) -> None:
    layer = si.load_boundaries("prefecture").set_index("code").loc[CITIES["code"]]
    other = layer.geometry.to_crs("EPSG:6933").centroid.to_crs("EPSG:4490")
    for a in CITIES["code"]:
        for b in CITIES["code"]:
            if a >= b:
                continue
            mine = _haversine_km(
                tuple(centroids.loc[a, ["lon", "lat"]]), tuple(centroids.loc[b, ["lon", "lat"]])
            )
            indep = _haversine_km((other[a].x, other[a].y), (other[b].x, other[b].y))
            assert mine == pytest.approx(indep, rel=0.01)
    # Beijing - Shanghai centroids are about 1,070 km apart (the cities' centres: 1,067 km)
    bj_sh = _haversine_km(
        tuple(centroids.loc["110000", ["lon", "lat"]]),
        tuple(centroids.loc["310000", ["lon", "lat"]]),
    )
    assert 1000 < bj_sh < 1150


def _distance(net_level_codes: list[str]) -> dict[tuple[str, str], float]:
    from pyproj import Geod

    c = unit_centroids("prefecture")
    geod = Geod(ellps="GRS80")
    out = {}
    for a in net_level_codes:
        for b in net_level_codes:
            if a < b:
                out[(a, b)] = (
                    geod.inv(c.loc[a, "lon"], c.loc[a, "lat"], c.loc[b, "lon"], c.loc[b, "lat"])[2]
                    / 1000
                )
                # a geodesic on GRS80 differs from the sphere by well under 1 %
                assert out[(a, b)] == pytest.approx(
                    _haversine_km(tuple(c.loc[a, ["lon", "lat"]]), tuple(c.loc[b, ["lon", "lat"]])),
                    rel=0.006,
                )
    return out


@pytest.mark.parametrize(
    ("mass", "beta", "k"), [("rd_staff", 2.0, 1.0), (["rd_staff", "gdp"], 1.5, 1e4)]
)
def test_weights_equal_the_formula(mass, beta, k) -> None:
    net = si.gravity_network(CITIES, mass=mass, beta=beta, k=k)
    cols = [mass] if isinstance(mass, str) else mass
    m = CITIES.set_index("code")[cols].prod(axis=1) ** (1 / len(cols))
    d = _distance(CITIES["code"].tolist())
    g = net.graph()
    assert g.number_of_edges() == len(d) == 15
    for (a, b), dist in d.items():
        assert g[a][b]["weight"] == pytest.approx(k * m[a] * m[b] / dist**beta, rel=1e-12)


def test_geometric_mean_is_sqrt_p_g() -> None:
    both = si.gravity_network(CITIES, mass=["rd_staff", "gdp"]).graph()
    t = CITIES.assign(m=np.sqrt(CITIES["rd_staff"] * CITIES["gdp"]))
    one = si.gravity_network(t, mass="m").graph()
    for a, b, w in one.edges(data="weight"):
        assert both[a][b]["weight"] == pytest.approx(w, rel=1e-12)


def test_years_top_and_min_weight() -> None:
    panel = pd.concat(
        [CITIES.assign(year=2020), CITIES.assign(year=2021, rd_staff=CITIES["rd_staff"] * 2)]
    )
    net = si.gravity_network(panel, mass="rd_staff", year="year", top=5)
    assert net.years == [2020, 2021]
    w20 = sorted((w for *_, w in net.graph(2020).edges(data="weight")), reverse=True)
    w21 = sorted((w for *_, w in net.graph(2021).edges(data="weight")), reverse=True)
    assert len(w20) == len(w21) == 5
    assert np.allclose(np.array(w21) / np.array(w20), 4.0)  # both masses doubled
    full = si.gravity_network(CITIES, mass="rd_staff")
    cut = sorted(w for *_, w in full.graph().edges(data="weight"))[7]
    kept = si.gravity_network(CITIES, mass="rd_staff", min_weight=cut)
    assert kept.graph().number_of_edges() == 15 - 7


def test_user_distance_matrix_and_names_as_keys() -> None:
    codes = ["110000", "310000", "440100"]
    dist = pd.DataFrame([[0, 2, 4], [2, 0, 1], [4, 1, 0]], index=codes, columns=codes, dtype=float)
    t = pd.DataFrame({"city": ["北京", "上海市", "广州"], "m": [1.0, 2.0, 3.0]})
    g = si.gravity_network(t, mass="m", key="city", distance=dist, beta=1.0).graph()
    assert g["110000"]["310000"]["weight"] == pytest.approx(1 * 2 / 2)
    assert g["310000"]["440100"]["weight"] == pytest.approx(2 * 3 / 1)
    assert g["110000"]["440100"]["weight"] == pytest.approx(1 * 3 / 4)


def test_errors_name_the_rows() -> None:
    with pytest.raises(si.InputError, match="negative at row"):
        si.gravity_network(CITIES.assign(rd_staff=-CITIES["rd_staff"]), mass="rd_staff")
    bad = CITIES.copy()
    bad.loc[2, "gdp"] = np.nan
    with pytest.raises(si.InputError, match="missing at row\\(s\\) 2"):
        si.gravity_network(bad, mass="gdp")
    with pytest.raises(si.InputError, match="'火星市'"):
        si.gravity_network(pd.DataFrame({"code": ["火星市", "北京市"], "m": [1.0, 2.0]}), mass="m")
    with pytest.raises(si.InputError, match="more than once"):
        si.gravity_network(pd.concat([CITIES, CITIES]), mass="gdp")
    with pytest.raises(si.ColumnError, match="'pop'"):
        si.gravity_network(CITIES, mass="pop")
    with pytest.raises(si.InputError, match="no row/column for unit"):
        si.gravity_network(
            CITIES, mass="gdp", distance=pd.DataFrame({"110000": [0.0]}, index=["110000"])
        )
    with pytest.raises(si.InputError, match="distance must be"):
        si.gravity_network(CITIES, mass="gdp", distance="road")
