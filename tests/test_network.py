"""Inter-city networks: spatialinno.measures.network against networkx (built directly from the raw edge
list, an independent code path) and R igraph (reference values committed under tests/reference,
produced by tests/reference/make_network_reference.R), on the real OpenFlights airline network
of June 2014 (ODbL 1.0, (c) OpenFlights contributors) and on small hand-made tables.
"""

from __future__ import annotations

import itertools
import math
import sqlite3
import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from helpers_chromium import Chromium, render, requires_chromium
from helpers_qgis import inspect_layers, requires_qgis, warnings_in

import spatialinno as si
from spatialinno import styles
from spatialinno.measures.classify import fisher_jenks
from spatialinno.measures.network.build import _split_cities
from spatialinno.measures.network.centrality import tiers

REF = Path(__file__).parent / "reference"
YRD = ["320100", "330100", "340100", "320500"]  # 南京 杭州 合肥 苏州


# --------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def air() -> pd.DataFrame:
    return si.load_dataset("air_routes_2014")


@pytest.fixture(scope="module")
def net(air: pd.DataFrame) -> si.CityNetwork:
    return si.city_network(
        air, "gb_o", "gb_d", weight="n_route_records", year="year", source_note="OpenFlights"
    )


@pytest.fixture(scope="module")
def raw_graph(air: pd.DataFrame) -> nx.Graph:
    """networkx graph straight from the raw rows: codes cut from the 9-digit gb, weights summed."""
    g = nx.Graph()
    for o, d, w in zip(air["gb_o"], air["gb_d"], air["n_route_records"], strict=True):
        a, b = o[3:], d[3:]
        old = g[a][b]["weight"] if g.has_edge(a, b) else 0
        g.add_edge(a, b, weight=old + w)
    for _, _, data in g.edges(data=True):
        data["dist"] = 1.0 / data["weight"]
    return g


@pytest.fixture(scope="module")
def cent(net: si.CityNetwork) -> pd.DataFrame:
    return net.centrality().set_index("code")


@pytest.fixture(scope="module")
def igraph_nodes() -> pd.DataFrame:
    return pd.read_csv(REF / "network_air_2014_igraph_nodes.csv", dtype={"code": str}).set_index(
        "code"
    )


@pytest.fixture(scope="module")
def igraph_graph() -> pd.DataFrame:
    return pd.read_csv(REF / "network_air_2014_igraph_graph.csv")


# --------------------------------------------------------------------------------------------
# the real air-route network
# --------------------------------------------------------------------------------------------
def test_air_summary_against_networkx_and_igraph(net, raw_graph, air, igraph_graph):
    s = net.summary()
    assert len(s) == 1 and s.loc[0, "year"] == 2014
    row = s.iloc[0]
    ref = igraph_graph[~igraph_graph["directed"]].iloc[0]
    assert row["nodes"] == raw_graph.number_of_nodes() == ref["nodes"] == 161
    assert row["edges"] == raw_graph.number_of_edges() == ref["edges"] == 1285
    assert row["density"] == pytest.approx(nx.density(raw_graph), rel=1e-12)
    assert row["density"] == pytest.approx(ref["density"], rel=1e-12)
    assert row["density"] == pytest.approx(2 * 1285 / (161 * 160), rel=1e-12)  # 0.09977
    assert row["total_weight"] == air["n_route_records"].sum() == ref["total_weight"] == 6972
    assert row["components"] == nx.number_connected_components(raw_graph) == 1
    assert row["largest_component"] == 161
    assert row["mean_degree"] == pytest.approx(2 * 1285 / 161)
    assert row["mean_weighted_degree"] == pytest.approx(2 * 6972 / 161)


def test_air_reciprocal_records_are_summed(net, air):
    # every pair but one is listed in both directions; its edge weight is the sum of both rows
    assert net.report.n_rows == 2569
    assert net.report.n_reciprocal == 1284
    assert net.report.n_self_loops == 0 and net.report.n_zero_weight == 0
    g = net.graph(2014)
    rows = air.assign(a=air["gb_o"].str[3:], b=air["gb_d"].str[3:])
    for a, b in [("110000", "310000"), ("310000", "500000"), ("440100", "650100")]:
        both = rows[((rows.a == a) & (rows.b == b)) | ((rows.a == b) & (rows.b == a))]
        assert len(both) == 2
        assert g[a][b]["weight"] == both["n_route_records"].sum()
        assert g[a][b]["n_records"] == 2
    assert g["110000"]["310000"]["weight"] == 30  # 北京—上海: 15 + 15 route records
    one_way = {tuple(sorted(p)) for p in zip(rows.a, rows.b, strict=True)}
    counts = pd.Series([tuple(sorted(p)) for p in zip(rows.a, rows.b, strict=True)]).value_counts()
    single = counts[counts == 1].index[0]
    assert len(one_way) == 1285 and (counts == 1).sum() == 1
    assert g[single[0]][single[1]]["n_records"] == 1


def test_air_degrees_and_betweenness_against_networkx(cent, raw_graph):
    g = raw_graph
    deg = dict(g.degree())
    strength = dict(g.degree(weight="weight"))
    btw = nx.betweenness_centrality(g)
    clo = nx.closeness_centrality(g)
    clo_w = nx.closeness_centrality(g, distance="dist")
    eig = nx.eigenvector_centrality_numpy(g, weight="weight")
    assert set(cent.index) == set(g.nodes)
    for code in g.nodes:
        row = cent.loc[code]
        assert row["degree"] == deg[code]
        assert row["weighted_degree"] == strength[code]
        assert row["betweenness"] == pytest.approx(btw[code], abs=1e-12)
        assert row["closeness"] == pytest.approx(clo[code], abs=1e-12)
        assert row["closeness_weighted"] == pytest.approx(clo_w[code], abs=1e-12)
        assert row["eigenvector"] == pytest.approx(abs(eig[code]), abs=1e-9)
    # the hubs: 北京 has the most partners and the highest betweenness
    assert cent["degree"].idxmax() == "110000" and cent.loc["110000", "degree"] == 114
    assert cent["betweenness"].idxmax() == "110000"
    assert cent.loc["110000", "betweenness"] == pytest.approx(0.2209207, abs=1e-7)


@pytest.mark.slow
def test_weighted_betweenness_counts_float_ties_like_exact_arithmetic(cent, raw_graph):
    """Distances 1/w make equal path lengths differ in the last bit (1/3+1/3+1/3 vs 1).

    networkx compares lengths exactly and drops such shortest paths; with exact rational
    distances (fractions.Fraction) networkx gives the true value, which spatialinno matches.
    """
    from fractions import Fraction

    g = raw_graph.copy()
    for _, _, d in g.edges(data=True):
        d["exact"] = Fraction(1, int(d["weight"]))
    exact = nx.betweenness_centrality(g, weight="exact")
    floats = nx.betweenness_centrality(g, weight="dist")
    got = cent["betweenness_weighted"]
    assert max(abs(got[k] - float(v)) for k, v in exact.items()) < 1e-12
    # the float ties matter on this network: networkx's float result is off by > 1e-4
    assert max(abs(float(v) - floats[k]) for k, v in exact.items()) > 1e-4
    assert got["110000"] == pytest.approx(0.4966418, abs=1e-7)


def test_air_centrality_against_r_igraph(cent, igraph_nodes):
    ref = igraph_nodes.loc[cent.index]
    assert (cent["degree"] == ref["degree"]).all()
    assert np.allclose(cent["weighted_degree"], ref["strength"], rtol=0, atol=1e-9)
    for col in [
        "betweenness",
        "betweenness_weighted",
        "closeness",
        "closeness_weighted",
        "eigenvector",
    ]:
        assert np.allclose(cent[col], ref[col], rtol=1e-9, atol=1e-12), col


def test_air_directed_network_against_igraph_and_networkx(air, igraph_nodes, igraph_graph):
    d = si.city_network(air, "gb_o", "gb_d", weight="n_route_records", directed=True)
    g = d.graph()
    assert g.is_directed() and d.report.n_reciprocal == 0
    ref_g = igraph_graph[igraph_graph["directed"]].iloc[0]
    s = d.summary().iloc[0]
    assert s["edges"] == ref_g["edges"] == 2569
    assert s["density"] == pytest.approx(ref_g["density"], rel=1e-12)
    assert s["density"] == pytest.approx(2569 / (161 * 160), rel=1e-12)
    raw = nx.DiGraph()
    for o, t, w in zip(air["gb_o"], air["gb_d"], air["n_route_records"], strict=True):
        raw.add_edge(o[3:], t[3:], weight=w)
    c = d.centrality().set_index("code")
    ref = igraph_nodes.loc[c.index]
    assert (c["in_degree"] == ref["in_degree"]).all() and (
        c["out_degree"] == ref["out_degree"]
    ).all()
    assert np.allclose(c["in_weight"], ref["in_weight"]) and np.allclose(
        c["out_weight"], ref["out_weight"]
    )
    assert np.allclose(c["betweenness"], ref["betweenness_directed"], rtol=1e-9, atol=1e-12)
    assert np.allclose(
        c["betweenness_weighted"], ref["betweenness_directed_weighted"], rtol=1e-9, atol=1e-12
    )
    btw = nx.betweenness_centrality(raw)
    assert max(abs(c.loc[k, "betweenness"] - v) for k, v in btw.items()) < 1e-12
    # the same city's out-weight + in-weight is its undirected weighted degree
    assert c.loc["110000", "weighted_degree"] == 813


def test_air_tiers_are_exact_fisher_jenks(cent):
    strength = cent["weighted_degree"].to_numpy()
    breaks = fisher_jenks(strength, 3)
    # brute force over every pair of cut points of the sorted distinct values
    v, w = np.unique(strength, return_counts=True)

    def ssd(lo: int, hi: int) -> float:
        x = np.repeat(v[lo:hi], w[lo:hi])
        return float(((x - x.mean()) ** 2).sum())

    best = min(
        (ssd(0, i) + ssd(i, j) + ssd(j, len(v)), (v[i - 1], v[j - 1], v[-1]))
        for i, j in itertools.combinations(range(1, len(v)), 2)
    )
    assert tuple(breaks) == best[1] == (99.0, 374.0, 813.0)
    # and mapclassify's FisherJenks finds the same optimum
    import mapclassify

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert tuple(mapclassify.FisherJenks(strength, k=3).bins) == tuple(breaks)
    expected = np.where(strength > 374, "core", np.where(strength > 99, "key", "auxiliary"))
    assert (cent["tier"].to_numpy() == expected).all()
    assert cent["tier"].value_counts().to_dict() == {"auxiliary": 122, "key": 30, "core": 9}
    core = set(cent.index[cent["tier"] == "core"])
    assert {"110000", "310000", "440100", "510100", "500000"} <= core
    # reproducible: same input, same tiers
    assert (tiers(strength) == cent["tier"].to_numpy()).all()


def test_jenks_breaks_against_brute_force_on_random_data():
    rng = np.random.default_rng(7)
    for _ in range(20):
        x = rng.integers(0, 30, size=int(rng.integers(4, 25))).astype(float)
        v, w = np.unique(x, return_counts=True)
        if len(v) < 3:
            continue

        def cost(cuts: tuple[int, ...], v=v, w=w) -> float:
            bounds = (0, *cuts, len(v))
            total = 0.0
            for lo, hi in itertools.pairwise(bounds):
                xs = np.repeat(v[lo:hi], w[lo:hi])
                total += float(((xs - xs.mean()) ** 2).sum())
            return total

        best = min(cost(c) for c in itertools.combinations(range(1, len(v)), 2))
        got = fisher_jenks(x, 3)
        cuts = tuple(int(np.searchsorted(v, b)) + 1 for b in got[:-1])
        assert cost(cuts) == pytest.approx(best, abs=1e-9)
    assert fisher_jenks([5, 5, 5], 3).tolist() == [5.0]
    with pytest.raises(si.InputError, match="no finite values"):
        fisher_jenks([np.nan], 3)


def test_partner_share_on_air_by_hand(net, air):
    r = net.partner_share("310000", within=YRD)
    rows = air.assign(a=air["gb_o"].str[3:], b=air["gb_d"].str[3:])
    sh = rows[(rows.a == "310000") | (rows.b == "310000")]
    total = sh["n_route_records"].sum()
    other = np.where(sh.a == "310000", sh.b, sh.a)
    within = sh.loc[np.isin(other, YRD), "n_route_records"].sum()
    assert r.weight_total == total == 758
    assert r.weight_within == within == 6  # 上海 has air routes only to 合肥 and 南京 of the four
    assert r.share == pytest.approx(6 / 758)
    assert set(r.partners_with_ties) == {"340100", "320100"}
    assert r.partners == tuple(YRD)
    f = r.to_frame()
    assert f.loc[0, "share"] == pytest.approx(6 / 758) and f.loc[0, "partners"] == ";".join(YRD)
    assert "上海市 (310000)" in repr(r) and "2 of 4 partners" in repr(r)


# --------------------------------------------------------------------------------------------
# hand-made tables
# --------------------------------------------------------------------------------------------
def test_partner_share_by_hand_with_names_and_directed():
    e = pd.DataFrame(
        {
            "a": ["上海市", "上海市", "上海市", "上海市", "杭州市", "上海市"],
            "b": ["南京市", "杭州市", "合肥市", "北京市", "上海市", "苏州市"],
            "n": [10, 6, 2, 12, 4, 0],
        }
    )
    und = si.city_network(e, "a", "b", weight="n")
    r = und.partner_share("上海", within=["南京", "杭州市", "340100", "苏州市", "上海市"])
    # ties of 上海: 南京 10, 杭州 6 + 4, 合肥 2, 北京 12 (苏州 weight 0 is no tie) -> 22 / 34
    assert r.weight_total == 34 and r.weight_within == 22
    assert r.share == pytest.approx(22 / 34)
    assert r.partners == ("320100", "330100", "340100", "320500")  # focal city left out
    assert r.partners_with_ties == ("320100", "330100", "340100")
    assert und.report.n_zero_weight == 1
    d = si.city_network(e, "a", "b", weight="n", directed=True)
    rd = d.partner_share("310000", within=["330100"])
    assert rd.weight_within == 10 and rd.weight_total == 34  # out 6 + in 4


def test_self_loops_dropped_and_counted():
    e = pd.DataFrame(
        {
            "o": ["北京市", "110000", "上海市", "156310000", "广州市", "北京市"],
            "d": ["110000", "北京", "北京市", "上海", "深圳市", "上海市"],
            "w": [3, 2, 5, 7, 1, 1],
            "y": [2020, 2020, 2020, 2021, 2021, 2021],
        }
    )
    n = si.city_network(e, "o", "d", weight="w", year="y")
    assert n.report.n_self_loops == 3
    loops = n.report.self_loops
    assert loops[["year", "code", "weight", "n_rows"]].values.tolist() == [
        [2020, "110000", 5.0, 2],
        [2021, "310000", 7.0, 1],
    ]
    assert loops["name"].tolist() == ["北京市", "上海市"]
    assert n.years == [2020, 2021]
    g20, g21 = n.graph(2020), n.graph(2021)
    assert sorted(g20.edges(data="weight")) == [("110000", "310000", 5.0)]
    assert sorted(g21.edges(data="weight")) == [
        ("110000", "310000", 1.0),
        ("440100", "440300", 1.0),
    ]
    assert not any(u == v for u, v in g20.edges) and not any(u == v for u, v in g21.edges)
    s = n.summary().set_index("year")
    assert s.loc[2020, "nodes"] == 2 and s.loc[2021, "nodes"] == 4
    assert s.loc[2021, "components"] == 2 and s.loc[2021, "density"] == pytest.approx(2 / 6)
    # the same rows on the real network: appended self-loops change nothing but the count
    air = si.load_dataset("air_routes_2014")
    extra = air.iloc[:3].assign(gb_d=air["gb_o"].iloc[:3].to_numpy())
    both = si.city_network(pd.concat([air, extra]), "gb_o", "gb_d", weight="n_route_records")
    assert both.report.n_self_loops == 3
    assert both.graph().number_of_edges() == 1285


def test_records_to_pairs_by_hand():
    recs = pd.DataFrame(
        {
            "applicant_cities": [
                "北京市;上海市;深圳市",  # 3 pairs
                ["北京", "北京市", "上海市"],  # duplicate city once: 1 pair
                "广州市",  # single city: no pair
                "110000，310000、440100",  # Chinese separators: 3 pairs
                None,  # nothing
                ("156440300", "Shanghai"),  # 9-digit code and English name: 1 pair
                "上海市 | 上海 ",  # the same city twice: no pair
            ],
            "year": [2019, 2019, 2019, 2020, 2020, 2020, 2020],
            "n": [1, 2, 5, 1, 1, 4, 1],
        }
    )
    net = si.network_from_records(recs, year="year")
    assert net.report.n_rows == 7 and net.report.n_single_city == 3
    e = net.to_frames()[1]
    got = {(r.year, r.source, r.target): r.weight for r in e.itertuples()}
    assert got == {
        (2019, "110000", "310000"): 2.0,
        (2019, "110000", "440300"): 1.0,
        (2019, "310000", "440300"): 1.0,
        (2020, "110000", "310000"): 1.0,
        (2020, "110000", "440100"): 1.0,
        (2020, "310000", "440100"): 1.0,
        (2020, "310000", "440300"): 1.0,
    }
    # the same records weighted by a column (e.g. number of patents per row)
    wnet = si.network_from_records(recs, year="year", weight="n")
    we = wnet.to_frames(2019)[1]
    assert {(r.source, r.target): r.weight for r in we.itertuples()} == {
        ("110000", "310000"): 3.0,
        ("110000", "440300"): 1.0,
        ("310000", "440300"): 1.0,
    }
    assert wnet.graph(2020)["310000"]["440300"]["weight"] == 4.0
    # brute force: count records naming both cities of every pair
    for (year, a, b), weight in got.items():
        lists = [
            set(net.report.matches.set_index("value").loc[list(c), "code"])
            for c in (_split_cities(x, i, "c") for i, x in enumerate(recs["applicant_cities"]))
            if c
        ]
        years = [y for y, x in zip(recs["year"], recs["applicant_cities"], strict=True) if x]
        assert weight == sum(
            1 for s, y in zip(lists, years, strict=True) if y == year and {a, b} <= s
        )


def test_eigenvector_on_disconnected_graph_is_the_perron_vector():
    e = pd.DataFrame(
        {
            "a": ["北京市", "北京市", "天津市", "广州市", "成都市"],
            "b": ["天津市", "石家庄市", "石家庄市", "深圳市", "重庆市"],
            "n": [1, 1, 1, 1, 3],
        }
    )
    net = si.city_network(e, "a", "b", weight="n")
    c = net.centrality().set_index("code")
    g = net.graph()
    nodes = list(g.nodes)
    a = nx.to_numpy_array(g, nodelist=nodes, weight="weight")
    vals, vecs = np.linalg.eigh(a)
    lead = np.abs(vecs[:, np.argmax(vals)])  # spectral radius 3 (成都—重庆) > 2 (triangle)
    assert np.allclose(c.loc[nodes, "eigenvector"], lead, atol=1e-9)
    assert c.loc["510100", "eigenvector"] == pytest.approx(1 / math.sqrt(2))
    assert c.loc["110000", "eigenvector"] == 0.0
    assert net.summary().loc[0, "components"] == 3


def test_frames_and_geodataframes(net):
    nodes, edges = net.to_geodataframes(2014, lines="great_circle")
    assert nodes.crs.to_epsg() == 4490 and edges.crs.to_epsg() == 4490
    assert len(nodes) == 161 and len(edges) == 1285
    assert (nodes.geom_type == "Point").all() and (edges.geom_type == "LineString").all()
    pref = si.load_boundaries("prefecture").set_index("code")
    # nodes sit inside their own prefecture polygon (representative point)
    assert all(
        pref.loc[c, "geometry"].contains(p)
        for c, p in zip(nodes["code"], nodes.geometry, strict=True)
    )
    xy = nodes.set_index("code").geometry
    from pyproj import Geod

    geod = Geod(ellps="GRS80")
    for row in edges.head(20).itertuples():
        coords = list(row.geometry.coords)
        assert coords[0] == (xy[row.source].x, xy[row.source].y)
        assert coords[-1] == (xy[row.target].x, xy[row.target].y)
        # a great-circle arc is as long as the geodesic, not like the straight lon/lat segment
        arc = geod.geometry_length(row.geometry)
        direct = geod.inv(*coords[0], *coords[-1])[2]
        assert arc == pytest.approx(direct, rel=2e-3)
    assert edges["weight"].is_monotonic_decreasing
    assert {"name", "name_en", "province", "tier", "betweenness"} <= set(nodes.columns)


# --------------------------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------------------------
def _edges() -> pd.DataFrame:
    return pd.DataFrame({"a": ["北京市", "上海市"], "b": ["上海市", "广州市"], "n": [1, 2]})


def test_bad_input_errors_name_the_problem():
    e = _edges()
    with pytest.raises(si.ColumnError, match=r"'c'.*available columns: a, b, n"):
        si.city_network(e, "a", "c")
    with pytest.raises(si.InputError, match="same column"):
        si.city_network(e, "a", "a")
    with pytest.raises(si.InputError, match="must be a pandas DataFrame"):
        si.city_network([("北京市", "上海市")], "a", "b")
    with pytest.raises(si.InputError, match="unknown level 'city'"):
        si.city_network(e, "a", "b", level="city")
    with pytest.raises(si.InputError, match="on_unmatched"):
        si.city_network(e, "a", "b", on_unmatched="ignore")
    bad = e.assign(n=[1, -3])
    with pytest.raises(si.InputError, match=r"'n'.*negative at row\(s\) 1"):
        si.city_network(bad, "a", "b", weight="n")
    with pytest.raises(si.InputError, match=r"'n'.*numeric.*'many' at row 0"):
        si.city_network(e.assign(n=["many", 2]), "a", "b", weight="n")
    with pytest.raises(si.InputError, match=r"'n'.*missing at row\(s\) 1"):
        si.city_network(e.assign(n=[1, None]), "a", "b", weight="n")
    with pytest.raises(si.InputError, match=r"column 'b'.*no city at row\(s\) 0"):
        si.city_network(e.assign(b=[None, "广州市"]), "a", "b")
    with pytest.raises(si.InputError, match=r"year column 'y'.*missing at row\(s\) 0"):
        si.city_network(e.assign(y=[None, 2020]), "a", "b", year="y")
    with pytest.raises(si.InputError, match="column 'c' at row 1 holds dict"):
        si.network_from_records(pd.DataFrame({"c": ["北京市;上海市", {"x": 1}]}), "c")


def test_unmatched_cities_are_reported_never_dropped_silently():
    e = pd.DataFrame({"a": ["北京市", "广洲", "上海市"], "b": ["上海市", "北京市", "火星市"]})
    with pytest.raises(si.JoinError) as err:
        si.city_network(e, "a", "b")
    msg = str(err.value)
    assert "2 city value(s)" in msg and "'广洲'" in msg and "'火星市'" in msg
    assert "first row 1" in msg and "first row 2" in msg
    assert "广州市 (440100" in msg  # the closest name is suggested
    assert "on_unmatched='drop'" in msg
    assert set(err.value.report["value"]) == {"广洲", "火星市"}
    with pytest.warns(si.DataWarning, match="2 row\\(s\\) of the edge table lost a city"):
        n = si.city_network(e, "a", "b", on_unmatched="drop")
    assert n.report.n_unmatched_rows == 2
    assert n.report.unmatched[["value", "n_rows", "first_row"]].values.tolist() == [
        ["广洲", 1, 1],
        ["火星市", 1, 2],
    ]
    assert n.graph().number_of_edges() == 1
    recs = pd.DataFrame({"c": ["北京市;广洲;上海市", "广洲;深圳市"]})
    with pytest.raises(si.JoinError, match=r"'广洲'.*2 row"):
        si.network_from_records(recs, "c")
    with pytest.warns(si.DataWarning, match="'广洲'"):
        r = si.network_from_records(recs, "c", on_unmatched="drop")
    # the rest of each record is kept: 北京—上海 still linked, 深圳 alone makes no tie
    assert list(r.graph().edges) == [("110000", "310000")]
    assert r.report.n_unmatched_rows == 2 and r.report.n_single_city == 1


def test_merged_units_need_merge_history():
    e = pd.DataFrame({"a": ["莱芜市", "莱芜市"], "b": ["上海市", "济南市"]})
    with pytest.raises(si.JoinError, match=r"(?s)'莱芜市': defunct.*merge_history=True"):
        si.city_network(e, "a", "b")
    n = si.city_network(e, "a", "b", merge_history=True)
    # 莱芜 is part of 济南 since 2019: 莱芜—济南 becomes a self-loop, 莱芜—上海 a 济南—上海 tie
    assert n.report.n_self_loops == 1
    assert list(n.graph().edges) == [("310000", "370100")]


def test_year_without_ties_is_an_empty_graph():
    r = pd.DataFrame({"c": ["北京市;上海市", "广州市"], "y": [2020, 2021]})
    n = si.network_from_records(r, "c", year="y")
    assert n.years == [2020, 2021] and n.graph(2021).number_of_nodes() == 0
    s = n.summary().set_index("year")
    assert s.loc[2021, "nodes"] == 0 and s.loc[2021, "components"] == 0
    assert math.isnan(s.loc[2021, "density"])
    assert n.centrality()["year"].tolist() == [2020, 2020]  # stays integer
    assert n.to_frames(2021)[0].empty
    with pytest.raises(si.InputError, match="no ties in year 2021"):
        si.network_map(n, year=2021)


def test_network_method_errors(net):
    with pytest.raises(si.InputError, match="year 2015 is not in the network; its years are: 2014"):
        net.graph(2015)
    with pytest.raises(si.InputError, match="'火星' matches no prefecture unit"):
        net.partner_share("火星", within=YRD)
    with pytest.raises(si.InputError, match="list of partner cities"):
        net.partner_share("310000", within="320100")
    with pytest.raises(si.InputError, match="no partner city other than the focal"):
        net.partner_share("310000", within=["310000"])
    with pytest.raises(si.InputError, match=r"苏州市 \(320500\) has no tie in year 2014"):
        net.partner_share("320500", within=["310000"])
    two = si.network_from_records(
        pd.DataFrame({"c": ["北京市;上海市", "北京市;广州市"], "y": [2019, 2020]}), "c", year="y"
    )
    with pytest.raises(si.InputError, match=r"2 years .*2019, 2020.*pass year="):
        two.graph()
    with pytest.raises(si.InputError, match="2 years"):
        si.network_map(two)
    assert len(two.centrality()) == 4 and set(two.centrality()["year"]) == {2019, 2020}
    with pytest.raises(si.InputError, match="needs a CityNetwork"):
        si.network_map(net.graph())
    with pytest.raises(si.InputError, match="top must be a positive"):
        si.network_map(net, top=0)
    with pytest.raises(si.InputError, match="lines must be"):
        si.network_map(net, lines="curvy")
    with pytest.raises(si.InputError, match="lang must be"):
        si.network_map(net, lang="fr")


# --------------------------------------------------------------------------------------------
# map in headless Chromium
# --------------------------------------------------------------------------------------------
@requires_chromium
def test_network_map_in_chromium(net, tmp_path):
    m = si.network_map(net, year=2014)  # 1,285 edges > 300: thinned
    page = tmp_path / "air.html"
    m.save(str(page))
    html = page.read_text(encoding="utf-8")
    from spatialinno.maps.network import _thin
    from spatialinno.maps.offline import external_asset_urls

    assert external_asset_urls(html) == []
    shown, cut = _thin(net.to_frames(2014)[1], None)
    # rule: every edge at least as strong as the 300th strongest (ties kept): weight >= 8
    assert cut == 8 and len(shown) == 344
    nodes = net.to_frames(2014)[0]
    beijing = nodes.set_index("code").loc["110000"]
    r = render(
        page,
        hover_latlng=(beijing["lat"], beijing["lon"]),
        path_classes=("si-node", "si-edge", "si-region", "si-border"),
    )
    assert r["console_errors"] == [] and r["exceptions"] == []
    assert r["failed_requests"] == [] and r["requests"] == []
    assert r["paths_by_class"]["si-node"] == 161
    assert r["paths_by_class"]["si-edge"] == 344
    assert r["paths_by_class"]["si-region"] == 375 and r["paths_by_class"]["si-border"] > 0
    assert "北京市 (110000)" in r["tooltip_text"] and "核心城市" in r["tooltip_text"]
    assert "813" in r["tooltip_text"]
    assert "最强 300 条联系" in r["title_text"]
    assert "权重 ≥ 8，344 / 1,285 条" in r["legend_text"]
    assert "核心城市 (9个)" in r["legend_text"] and "OpenFlights" in r["legend_text"]


@requires_chromium
def test_network_map_edge_tooltip_escaped_english(tmp_path):
    e = pd.DataFrame(
        {"a": ["北京市", "上海市", "北京市"], "b": ["上海市", "广州市", "广州市"], "n": [9, 2, 1]}
    )
    net = si.city_network(e, "a", "b", weight="n")
    # a hostile name must show as text, never run (names come from the user's graph)
    net.graph().nodes["440100"]["name_en"] = "<img src=x onerror=alert(1)>`${x}`"
    m = si.network_map(net, lang="en", lines="straight", top=2)
    page = tmp_path / "small.html"
    m.save(str(page))
    n = net.to_frames()[0].set_index("code")
    mid = ((n.loc["110000", "lat"] + n.loc["310000", "lat"]) / 2,
           (n.loc["110000", "lon"] + n.loc["310000", "lon"]) / 2)  # fmt: skip
    gz = n.loc["440100"]
    with Chromium() as browser:  # one browser, two hovers
        r = browser.render(page, hover_latlng=mid, path_classes=("si-node", "si-edge"))
        r2 = browser.render(page, hover_latlng=(gz["lat"], gz["lon"]), path_classes=("si-node",))
    assert r["console_errors"] == [] and r["failed_requests"] == [] and r["dialogs"] == []
    assert r["paths_by_class"] == {"si-node": 3, "si-edge": 2}  # 3 edges thinned to top 2
    assert "Beijing — Shanghai" in r["tooltip_text"] and "9" in r["tooltip_text"]
    assert "showing the 2 strongest ties" in r["legend_text"]
    assert "Guangdong" in r2["tooltip_text"] and "auxiliary" in r2["tooltip_text"]
    assert "<img src=x onerror=alert(1)>`${x}`" in r2["tooltip_text"]
    assert "&lt;img" in r2["tooltip_html"] and r2["dialogs"] == []


# --------------------------------------------------------------------------------------------
# export: GeoPackage round trip and QGIS
# --------------------------------------------------------------------------------------------
def test_export_geopackage_round_trip(net, tmp_path):
    import pyogrio

    path = tmp_path / "air.gpkg"
    res_nodes, res_edges = net.export(path, year=2014)
    assert res_nodes.layer == "nodes" and res_edges.layer == "edges"
    assert res_nodes.n_features == 161 and res_edges.n_features == 1285
    assert set(pyogrio.list_layers(path)[:, 0]) == {"edges", "nodes", "layer_styles"}
    nodes = pyogrio.read_dataframe(path, layer="nodes")
    edges = pyogrio.read_dataframe(path, layer="edges")
    ref_nodes, ref_edges = net.to_geodataframes(2014)
    assert nodes.crs.to_epsg() == 4490
    assert nodes["code"].tolist() == ref_nodes["code"].tolist()
    assert nodes["name"].tolist() == ref_nodes["name"].tolist()
    assert nodes["tier"].tolist() == ref_nodes["tier"].tolist()
    assert np.allclose(nodes["betweenness"], ref_nodes["betweenness"])
    assert nodes.geometry.geom_equals_exact(ref_nodes.geometry, 1e-9).all()
    assert (
        edges[["source", "target"]].values.tolist()
        == ref_edges[["source", "target"]].values.tolist()
    )
    assert (edges["weight"].to_numpy() == ref_edges["weight"].to_numpy()).all()
    assert edges.geometry.geom_equals_exact(ref_edges.geometry, 1e-9).all()
    with sqlite3.connect(path) as con:
        styles = dict(con.execute("SELECT f_table_name, styleQML FROM layer_styles").fetchall())
    assert set(styles) == {"nodes", "edges"}
    assert 'attr="tier"' in styles["nodes"] and "核心城市" in styles["nodes"]
    # issue 15: every graduated style has a "no data" class (NULL classified as -1e300)
    assert 'attr="coalesce(&quot;weight&quot;, -1e+300)"' in styles["edges"]
    with pytest.raises(si.ExportError):
        net.export(path, year=2014)  # exists: overwrite=True needed


@requires_qgis
def test_export_opens_styled_in_qgis(net, tmp_path):
    path = tmp_path / "air.gpkg"
    net.export(path, year=2014)
    rep_nodes, rep_edges = inspect_layers(
        [{"path": str(path), "layer": "nodes"}, {"path": str(path), "layer": "edges"}]
    )
    assert rep_nodes["valid"] and rep_edges["valid"]
    assert rep_nodes["feature_count"] == 161 and rep_edges["feature_count"] == 1285
    assert rep_nodes["crs"] == "EPSG:4490" and "Point" in rep_nodes["geometry_type"]
    assert "LineString" in rep_edges["geometry_type"]
    rn = rep_nodes["renderer"]
    assert rn["type"] == "categorizedSymbol" and rn["attribute"] == "tier"
    colors = {c["value"]: c["color"] for c in rn["categories"] if c["value"] is not None}
    # issue 15: every categorised style ends with the grey "no data" catch-all ("")
    assert colors == {**styles.TIER_COLORS, "": styles.NO_DATA_COLOR}
    tiers = net.to_frames(2014)[0]["tier"]
    assert rep_nodes["feature_colors"] == [styles.TIER_COLORS[t] for t in tiers]
    assert rep_edges["renderer"]["type"] == "graduatedSymbol"
    assert rep_edges["renderer"]["attribute"] == 'coalesce("weight", -1e+300)'
    assert rep_nodes["mojibake_values"] == 0 and rep_nodes["cjk_values"] > 0
    assert warnings_in(rep_nodes) == [] and warnings_in(rep_edges) == []
