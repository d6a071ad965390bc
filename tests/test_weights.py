"""Tests of spatialinno.measures.weights: contiguity, knn, distance bands, island policies, the report.

Independent checks: libpysal's own vertex-based contiguity on freshly projected geometry (for the
precomputed layers), brute-force distances with scipy / shapely (knn, distance bands, the nearest
unit of every island), networkx for connected components, and the neighbour lists committed with
the R spdep reference (tests/reference/spdep/nb_*.csv).
"""

from __future__ import annotations

import time
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from libpysal.graph import Graph
from scipy.spatial.distance import cdist
from shapely.geometry import Point, box

import spatialinno as si
from spatialinno import WeightsError
from spatialinno.boundaries import EQUAL_AREA_CRS

SPDEP = Path(__file__).parent / "reference" / "spdep"


@pytest.fixture(scope="module")
def prov() -> gpd.GeoDataFrame:
    return si.load_boundaries("province")


@pytest.fixture(scope="module")
def pref() -> gpd.GeoDataFrame:
    return si.load_boundaries("prefecture")


def pairs(w: Graph) -> set[tuple[int, int]]:
    adj = w.adjacency
    adj = adj[adj != 0]
    return set(
        zip(
            adj.index.get_level_values(0).astype(int),
            adj.index.get_level_values(1).astype(int),
            strict=True,
        )
    )


def names_of(frame: gpd.GeoDataFrame, w: Graph, position: int) -> list[str]:
    return sorted(frame["name"].iloc[list(w[position].index)])


def position_of(frame: gpd.GeoDataFrame, name: str) -> int:
    return int(np.flatnonzero(frame["name"].to_numpy() == name)[0])


# ----------------------------------------------------------------------------------------------
# contiguity: precomputed == fresh
# ----------------------------------------------------------------------------------------------


def _fresh(frame: gpd.GeoDataFrame, kind: str) -> Graph:
    # independent route: libpysal on geometry projected here, ids = positions
    geoms = frame.geometry.to_crs(EQUAL_AREA_CRS).reset_index(drop=True)
    return Graph.build_contiguity(geoms, rook=kind == "rook", strict=False)


@pytest.mark.parametrize("level", ["province", "prefecture"])
@pytest.mark.parametrize("kind", ["queen", "rook"])
def test_precomputed_contiguity_equals_fresh_computation(level: str, kind: str) -> None:
    frame = si.load_boundaries(level)
    w = si.spatial_weights(frame, kind=kind, islands="keep")
    assert si.weights_report(w, frame).source == f"precomputed ({level})"
    assert pairs(w) == pairs(_fresh(frame, kind))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["queen", "rook"])
def test_precomputed_county_contiguity_equals_fresh_computation(kind: str) -> None:
    frame = si.load_boundaries("county")
    w = si.spatial_weights(frame, kind=kind, islands="keep")
    fresh = pairs(_fresh(frame, kind))
    assert pairs(w) == fresh
    assert len(fresh) == (16392 if kind == "queen" else 16372)


@pytest.mark.parametrize("level", ["province", "prefecture"])
def test_simplified_layer_uses_precomputed_and_it_still_holds(level: str) -> None:
    # the simplified layers are coverage-simplified: same neighbours as the full geometry
    frame = si.load_boundaries(level, simplified=True)
    w = si.spatial_weights(frame, islands="keep")
    assert si.weights_report(w, frame).source == f"precomputed ({level})"
    assert pairs(w) == pairs(_fresh(frame, "queen"))


def test_foreign_frame_is_computed_not_precomputed(pref: gpd.GeoDataFrame) -> None:
    # same code set but shifted geometry: the precomputed table does not describe it
    moved = pref.copy()
    moved["geometry"] = moved.translate(xoff=3.0)
    w = si.spatial_weights(moved, islands="keep")
    assert si.weights_report(w, moved).source == "computed"
    assert pairs(w) == pairs(si.spatial_weights(pref, islands="keep"))  # translation keeps topology


def test_subset_frame_is_computed_and_matches_subset_of_layer(prov: gpd.GeoDataFrame) -> None:
    mainland = prov[prov["region"].notna()].reset_index(drop=True)
    w = si.spatial_weights(mainland, islands="keep")
    rep = si.weights_report(w, mainland)
    assert rep.source == "computed"
    assert rep.islands == ("海南省 (460000)",)
    # contiguity is pairwise: the subset's links are the full layer's links among those units
    full = si.spatial_weights(prov, islands="keep")
    assert code_pairs(w, mainland) == {
        (a, b)
        for a, b in code_pairs(full, prov)
        if a in set(mainland["code"]) and b in set(mainland["code"])
    }


def code_pairs(w: Graph, frame: gpd.GeoDataFrame) -> set[tuple[str, str]]:
    codes = frame["code"].to_numpy()
    return {(codes[a], codes[b]) for a, b in pairs(w)}


def test_lianyungang_rizhao_pair_is_kept(pref: gpd.GeoDataFrame) -> None:
    # 0.27 km² overlap on the Jiangsu–Shandong border: "touches" drops it, vertex-based keeps it
    w = si.spatial_weights(pref)
    assert "日照市" in names_of(pref, w, position_of(pref, "连云港市"))


def test_precomputed_loads_fast(pref: gpd.GeoDataFrame) -> None:
    si.spatial_weights(pref)  # warm the caches (imports, island links)
    county = si.load_boundaries("county")
    si.spatial_weights(county)
    start = time.perf_counter()
    si.spatial_weights(pref)
    si.spatial_weights(county)
    assert time.perf_counter() - start < 1.0  # measured: ~0.01 s + ~0.03 s


# ----------------------------------------------------------------------------------------------
# islands
# ----------------------------------------------------------------------------------------------

DESIGN_ISLANDS = {
    "province": {"海南省", "台湾省"},
    "prefecture": {"舟山市", "台湾省", "三沙市"},
    "county": {
        "南沙区",
        "西沙区",
        "东山县",
        "澎湖县",
        "金门县",
        "岱山县",
        "嵊泗县",
        "南澳县",
        "长海县",
        "平潭县",
    },
}


@pytest.mark.parametrize("level", ["province", "prefecture", "county"])
def test_islands_keep_lists_the_known_islands(level: str) -> None:
    frame = si.load_boundaries(level)
    w = si.spatial_weights(frame, islands="keep")
    rep = si.weights_report(w, frame)
    assert {s.split(" (")[0] for s in rep.islands} == DESIGN_ISLANDS[level]
    assert len(w.isolates) == len(DESIGN_ISLANDS[level])
    graph = nx.Graph()
    graph.add_nodes_from(range(len(frame)))
    graph.add_edges_from(pairs(w))
    assert rep.n_components == nx.number_connected_components(graph)
    assert sum(rep.component_sizes) == len(frame)
    if level == "prefecture":
        assert rep.n_components == 5  # DESIGN.md: mainland, Hainan group, 舟山, 三沙, 台湾
    assert rep.min_neighbors == 0
    assert len(rep.attached) == 0


def test_islands_nearest_on_provinces(prov: gpd.GeoDataFrame) -> None:
    w = si.spatial_weights(prov)
    assert names_of(prov, w, position_of(prov, "海南省")) == ["广东省"]
    assert names_of(prov, w, position_of(prov, "台湾省")) == ["福建省"]
    rep = si.weights_report(w, prov)
    assert rep.n_components == 1 and rep.islands == ()
    assert set(zip(rep.attached["from"], rep.attached["to"], strict=True)) == {
        ("海南省 (460000)", "广东省 (440000)"),
        ("台湾省 (710000)", "福建省 (350000)"),
    }
    assert "attached" in repr(rep) and "海南省 (460000) -> 广东省 (440000)" in repr(rep)


def test_islands_nearest_on_prefectures(pref: gpd.GeoDataFrame) -> None:
    w = si.spatial_weights(pref)
    rep = si.weights_report(w, pref)
    assert rep.n_components == 1
    links = {
        (a.split(" (")[0], b.split(" (")[0])
        for a, b in zip(rep.attached["from"], rep.attached["to"], strict=True)
    }
    assert ("舟山市", "宁波市") in links
    assert ("海口市", "湛江市") in links  # the Hainan group joins the mainland at 湛江
    sansha = [b for a, b in links if a == "三沙市"]
    assert len(sansha) == 1
    assert pref.loc[pref["name"] == sansha[0], "province_code"].item() == "460000"  # -> Hainan
    taiwan = [b for a, b in links if a == "台湾省"]
    assert pref.loc[pref["name"] == taiwan[0], "province_code"].item() == "350000"  # -> Fujian
    assert len(links) == 4
    # symmetric and binary
    assert rep.symmetric and set(w.adjacency.unique()) == {1.0}
    units = rep.to_frame()
    assert units.loc[units["unit"] == "舟山市 (330900)", "attached_to"].item() == "宁波市 (330200)"


@pytest.mark.slow
def test_nearest_links_are_the_true_nearest_units(pref: gpd.GeoDataFrame) -> None:
    # brute force: distance from every island-group unit to every unit outside its group
    keep = si.spatial_weights(pref, islands="keep")
    labels = keep.component_labels.to_numpy()
    geoms = pref.geometry.to_crs(EQUAL_AREA_CRS).to_numpy()
    rep = si.weights_report(si.spatial_weights(pref), pref)
    codes = pref["code"].to_numpy()
    for _, link in rep.attached.iterrows():
        a = int(np.flatnonzero(codes == link["from"][-7:-1])[0])
        group = np.flatnonzero(labels == labels[a])
        others = np.setdiff1d(np.arange(len(pref)), group)
        d = shapely.distance(geoms[group][:, None], geoms[others][None, :])
        assert link["distance_km"] == pytest.approx(d.min() / 1000, rel=1e-9)


def test_islands_drop(pref: gpd.GeoDataFrame) -> None:
    w = si.spatial_weights(pref, islands="drop")
    dropped = {position_of(pref, n) for n in DESIGN_ISLANDS["prefecture"]}
    assert set(w.unique_ids) == set(range(len(pref))) - dropped
    rep = si.weights_report(w, pref)
    assert {d.split(" (")[0] for d in rep.dropped} == DESIGN_ISLANDS["prefecture"]
    assert rep.n == 372 and rep.islands == ()
    assert "dropped" in repr(rep)


def test_committed_spdep_neighbour_lists_are_reproduced(
    prov: gpd.GeoDataFrame, pref: gpd.GeoDataFrame
) -> None:
    # the R reference used these lists; they must still be what spatial_weights builds
    mainland = prov[prov["region"].notna()].reset_index(drop=True)
    cases = {
        "province31": si.spatial_weights(mainland),
        "prefecture": si.spatial_weights(pref),
        "prefecture_keep": si.spatial_weights(pref, islands="keep"),
    }
    for case, w in cases.items():
        table = pd.read_csv(SPDEP / f"nb_{case}.csv")
        assert pairs(w) == set(zip(table["focal"], table["neighbor"], strict=True)), case


# ----------------------------------------------------------------------------------------------
# knn and distance bands (km, equal-area centroids)
# ----------------------------------------------------------------------------------------------


def test_knn_matches_brute_force(pref: gpd.GeoDataFrame) -> None:
    w = si.spatial_weights(pref, kind="knn", k=4)
    xy = pref.geometry.to_crs(EQUAL_AREA_CRS).centroid
    coords = np.column_stack([xy.x, xy.y])
    d = cdist(coords, coords)
    np.fill_diagonal(d, np.inf)
    expected = {(i, int(j)) for i in range(len(pref)) for j in np.argsort(d[i], kind="stable")[:4]}
    assert pairs(w) == expected
    rep = si.weights_report(w, pref)
    assert rep.min_neighbors == rep.max_neighbors == 4 and not rep.symmetric


def test_distance_band_matches_brute_force(pref: gpd.GeoDataFrame) -> None:
    w = si.spatial_weights(pref, kind="distance", distance=150, islands="keep")
    xy = pref.geometry.to_crs(EQUAL_AREA_CRS).centroid
    coords = np.column_stack([xy.x, xy.y])
    d = cdist(coords, coords) / 1000.0
    expected = {(i, j) for i, j in zip(*np.nonzero(d <= 150), strict=True) if i != j}
    assert pairs(w) == expected
    rep = si.weights_report(w, pref)
    assert len(rep.islands) > 0  # the far west has centroids more than 150 km apart
    linked = si.spatial_weights(pref, kind="distance", distance=150)
    assert si.weights_report(linked, pref).n_components == 1
    assert pairs(w) < pairs(linked)


def test_points_work_for_knn_and_distance() -> None:
    pts = gpd.GeoDataFrame(
        {"name": list("abcd")},
        geometry=[Point(0, 0), Point(1000, 0), Point(0, 2000), Point(50_000, 0)],
        crs=EQUAL_AREA_CRS,
    )
    w = si.spatial_weights(pts, kind="distance", distance=2.5, islands="keep")
    assert pairs(w) == {(0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1)}
    assert si.weights_report(w, pts).islands == ("d",)
    w = si.spatial_weights(pts, kind="distance", distance=2.5)  # d attached to its nearest, b
    assert (3, 1) in pairs(w) and (1, 3) in pairs(w)
    assert pairs(si.spatial_weights(pts, kind="knn", k=1)) == {(0, 1), (1, 0), (2, 0), (3, 1)}


# ----------------------------------------------------------------------------------------------
# user weights and the report
# ----------------------------------------------------------------------------------------------


def test_report_on_user_w(pref: gpd.GeoDataFrame) -> None:
    user = Graph.build_contiguity(pref.reset_index(drop=True), rook=False)
    rep = si.weights_report(user.to_W(), pref)
    assert rep.kind == "user" and rep.n_components == 5 and len(rep.islands) == 3
    assert rep.to_frame()["neighbors"].sum() == rep.n_links == 1958


def test_report_keeps_provenance_through_transform_and_copy(pref: gpd.GeoDataFrame) -> None:
    """What spatialinno adds to a graph -- how it was built, the island links it attached, the
    rows it dropped -- survives Graph.transform() and copy(), which drop any attribute set on the
    Graph object; a user graph equal to it link for link is still "user"."""
    w = si.spatial_weights(
        pref
    )  # islands="nearest": 舟山, 三沙, 台湾 and the Hainan group attached
    base = si.weights_report(w, pref)
    assert (base.kind, base.source) == ("queen", "precomputed (prefecture)")
    assert len(base.attached) == 4 and base.n_components == 1
    for variant in (w.transform("r"), w.transform("r").transform("b"), w.copy()):
        rep = si.weights_report(variant, pref)
        assert (rep.kind, rep.source) == ("queen", "precomputed (prefecture)")
        pd.testing.assert_frame_equal(rep.attached, base.attached)
        assert rep.to_frame()["attached_to"].tolist() == base.to_frame()["attached_to"].tolist()
    islands = ("舟山市 (330900)", "三沙市 (460300)", "台湾省 (710000)")
    keep = si.spatial_weights(pref, islands="keep")
    rep = si.weights_report(keep.transform("r"), pref)
    assert (rep.kind, rep.source, rep.islands) == ("queen", "precomputed (prefecture)", islands)
    drop = si.spatial_weights(pref, islands="drop")
    assert si.weights_report(drop.transform("r"), pref).dropped == islands
    # a user graph with exactly the links of `keep` (and its transforms) is the user's own
    user = Graph.build_contiguity(pref.reset_index(drop=True), rook=False)
    assert (user.sparse != keep.sparse).nnz == 0
    for variant in (user, user.transform("r")):
        assert si.weights_report(variant, pref).kind == "user"
    # from_W builds a new graph: the provenance is not carried through a W (the check against the
    # frame still is, see test_weights_alignment.py)
    assert si.weights_report(Graph.from_W(w.transform("r").to_W()), pref).kind == "user"


def test_report_rejects_misaligned_w(pref: gpd.GeoDataFrame, prov: gpd.GeoDataFrame) -> None:
    with pytest.raises(WeightsError, match="34 units but the frame has 375 rows"):
        si.weights_report(si.spatial_weights(prov), pref)
    shuffled = pref.sample(frac=1.0, random_state=1)
    by_code = Graph.build_contiguity(pref.set_index("code").geometry, rook=False)
    with pytest.raises(WeightsError, match="code column in a different order"):
        si.weights_report(by_code, shuffled)
    with pytest.raises(WeightsError, match="libpysal Graph or W"):
        si.weights_report({"a": ["b"]}, pref)


# ----------------------------------------------------------------------------------------------
# bad input
# ----------------------------------------------------------------------------------------------


def grid() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": [f"c{i}" for i in range(4)]},
        geometry=[box(i % 2, i // 2, i % 2 + 1, i // 2 + 1) for i in range(4)],
        crs="EPSG:4490",
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "triangle"}, "unknown kind 'triangle'"),
        ({"islands": "sink"}, "unknown islands policy 'sink'"),
        ({"kind": "knn"}, "needs k= a positive integer"),
        ({"kind": "knn", "k": 0}, "needs k= a positive integer"),
        ({"kind": "knn", "k": 4}, "k=4 is too large for 4 rows"),
        ({"kind": "queen", "k": 3}, "k= only applies to kind='knn'"),
        ({"kind": "distance"}, "needs distance= a positive band in km"),
        ({"kind": "distance", "distance": -5}, "needs distance= a positive band in km"),
        ({"kind": "rook", "distance": 5}, "distance= only applies to kind='distance'"),
    ],
)
def test_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(WeightsError, match=message):
        si.spatial_weights(grid(), **kwargs)


def test_bad_frames() -> None:
    g = grid()
    with pytest.raises(WeightsError, match="no CRS"):
        si.spatial_weights(g.set_crs(None, allow_override=True))
    empty = g.copy()
    empty.loc[2, "geometry"] = None
    with pytest.raises(WeightsError, match="1 row\\(s\\) have no geometry: c2"):
        si.spatial_weights(empty)
    with pytest.raises(WeightsError, match="need a GeoDataFrame"):
        si.spatial_weights(pd.DataFrame(g.drop(columns="geometry")))
    with pytest.raises(WeightsError, match="at least 2 rows"):
        si.spatial_weights(g.iloc[:1])
    pts = g.copy()
    pts["geometry"] = g.representative_point()
    with pytest.raises(WeightsError, match=r"contiguity needs polygons.*kind='knn'"):
        si.spatial_weights(pts)
    far = gpd.GeoDataFrame(geometry=[Point(0, 0), Point(10, 10)], crs=EQUAL_AREA_CRS)
    with pytest.raises(WeightsError, match="islands='drop' would leave nothing"):
        si.spatial_weights(far, kind="distance", distance=0.001, islands="drop")


def test_grid_queen_and_rook() -> None:
    g = grid()  # 2 x 2 squares: rook misses the diagonals, queen has them
    assert len(pairs(si.spatial_weights(g, kind="rook"))) == 8
    assert len(pairs(si.spatial_weights(g, kind="queen"))) == 12
