"""si.export: GeoPackage / Shapefile round trips, safe DBF field names, QGIS styles in real QGIS.

Independent checks: GDAL (through pyogrio/geopandas) reads every file back; real QGIS 3.22
(Debian python3-qgis, through tests/helpers_qgis.py) opens it, applies the stored default style,
classifies every feature with its own C++ renderer, and renders a PNG; class breaks are
recomputed with mapclassify directly; the GeoPackage version and layer_styles rows are read with
sqlite3.
"""

from __future__ import annotations

import datetime
import os
import re
import sqlite3
import warnings
from collections import Counter
from pathlib import Path

import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from helpers_qgis import inspect_layers, requires_qgis, warnings_in
from shapely.geometry import LineString, Point, box

import spatialinno as si
from spatialinno import styles
from spatialinno.qgis.export import DBF_TEXT_BYTES, ExportResult, dbf_field_names
from spatialinno.qgis.qml import NO_DATA_VALUE

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LISA_VALUES = np.array(["HH", "LL", "HL", "LH", "ns", "isolated", "no data"])


# --------------------------------------------------------------------------------------------
# test frames: real boundaries and real R&D data; LISA / Gi* columns derived from the codes so
# every category occurs (the statistics themselves are tested in test_autocorrelation)


def _with_result_columns(g: gpd.GeoDataFrame, seed_col: str = "code") -> gpd.GeoDataFrame:
    g = g.copy()
    code = g[seed_col].astype(int)
    g["lisa_cluster"] = LISA_VALUES[(code // 100) % 7]
    gi = ((code // 100) % 7 - 3).astype(float)
    gi[code % 13 == 0] = np.nan  # missing Gi* values must show as "no data"
    g["gi_bin"] = gi
    # like si.hotspots: units without data keep a bin but have no z-score / cluster "no data"
    g["gi_z"] = np.where(code % 11 == 0, np.nan, gi * 1.1)
    g["gi_cluster"] = np.where(code % 17 == 0, "no data", np.where(gi > 0, "hot", "ns"))
    return g


def _hotspot_colors(g: pd.DataFrame) -> list[str]:
    """Colour of every row in si.hotspot_map's rule: no bin, no z or cluster "no data"."""
    missing = g["gi_bin"].isna() | g["gi_z"].isna() | g["gi_cluster"].eq("no data")
    return [
        styles.NO_DATA_COLOR if m else styles.HOTSPOTS.color_of(int(v))
        for m, v in zip(missing, g["gi_bin"], strict=True)
    ]


@pytest.fixture(scope="module")
def prov() -> gpd.GeoDataFrame:
    g = si.load_boundaries("province")
    panel = si.load_dataset("province_panel")
    rd = panel[panel["year"] == 2021].assign(code=lambda d: d["gb"].str[3:])
    g = g.merge(
        rd[["code", "rd_fte_total_person_years", "rd_exp_total_10k_yuan"]], on="code", how="left"
    )
    g = g.rename(columns={"rd_fte_total_person_years": "rd_staff_2021"})
    g = _with_result_columns(g.assign(seed=g["code"].str[:2] + "00"), "seed").drop(columns="seed")
    return gpd.GeoDataFrame(g, geometry="geometry", crs=4490)


@pytest.fixture(scope="module")
def pref() -> gpd.GeoDataFrame:
    g = si.load_boundaries("prefecture", simplified=True)
    return _with_result_columns(g)


def _all_types_frame() -> gpd.GeoDataFrame:
    """Every dtype a result frame may carry, with Chinese text and edge values."""
    n = 4
    return gpd.GeoDataFrame(
        {
            "code": ["110000", "310000", "440000", "650000"],
            "name": ["北京市", "上海市", "广东省", "新疆维吾尔自治区"],
            "名称": ["北京", "上海", "广东", "新疆"],
            "rd_staff_2021": [473000.5, 312000.25, 1.0e-3, np.nan],
            "tiny": [1.2345678e-12, 2.0e-3, 0.0, -7.25],
            "count": np.array([1, 2**40, -5, 0], dtype="int64"),
            "big": np.array([1, 2**62, -(2**62), 7], dtype="int64"),
            "maybe": pd.array([1, None, 3, 4], dtype="Int64"),
            "flag": [True, False, True, False],
            "when": pd.to_datetime(
                ["2021-01-01 12:34:56", "2020-05-06", None, "2019-12-31"], format="ISO8601"
            ),
            "day": pd.to_datetime(["2021-01-01", "2020-05-06", None, "2019-12-31"]),
            "region": pd.Categorical(["east", "east", "east", "west"]),
            "note": ["北" * 100, "x" * 300, None, "短"],
        },
        geometry=[box(i, i, i + 1, i + 1) for i in range(n)],
        crs=4490,
    )


def _none_for_nan(s: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in s]


# --------------------------------------------------------------------------------------------
# Shapefile field names


def test_field_names_of_the_issue_example_are_readable_not_gdal_laundered():
    names = dbf_field_names(["code", "rd_staff_2021", "rd_staff_2020"])
    assert names == {"code": "code", "rd_staff_2021": "rd_stf_21", "rd_staff_2020": "rd_stf_20"}


def test_field_names_map_chinese_terms_and_fall_back_to_positions():
    names = dbf_field_names(
        ["名称", "研发人员2021", "常住人口（万人）", "省会首位度指标", "人口密度"]
    )
    assert names["名称"] == "name"
    assert names["研发人员2021"] == "rd_stf_21"
    assert names["常住人口（万人）"] == "repo10kpr"  # res + pop + 10k_pers, shortened
    assert names["省会首位度指标"] == "f_04"  # 指标 is not in the term list: column position
    assert names["人口密度"] == "pop_dens"


FIELD_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,9}$")


@pytest.mark.parametrize("dataset", [d for d in si.list_datasets()["name"]])
def test_field_names_of_every_bundled_dataset_are_safe_and_unique(dataset):
    cols = list(si.load_dataset(dataset).columns)
    names = dbf_field_names(cols)
    assert list(names) == cols
    short = list(names.values())
    assert all(FIELD_RE.match(s) and len(s.encode("ascii")) <= 10 for s in short), short
    assert len({s.lower() for s in short}) == len(short)
    # names that were already valid are kept verbatim
    for c in cols:
        if FIELD_RE.match(c):
            assert names[c] == c


def test_field_names_survive_adversarial_collisions():
    cols = [
        "population_total_2020",
        "population_total_2021",
        "Population_Total_2021",  # case-insensitive duplicate of the shortened name
        "pop_tot_21",  # an existing short name keeps priority
        "x" * 30,
        "x" * 31,
        "x" * 32,
        "研发人员",
        "研发人员_",
        "名称",
        "NAME",
        "2021",
        "é_ü_name",
        "ÆØÅ",
        "省会首位度",
        "指标一",
        "指标二",
    ]
    names = dbf_field_names(cols)
    short = list(names.values())
    assert all(FIELD_RE.match(s) for s in short), short
    assert len({s.lower() for s in short}) == len(cols)
    assert names["pop_tot_21"] == "pop_tot_21"
    assert names["population_total_2020"] == "pop_tot_20"
    assert names["NAME"] == "NAME" and names["名称"] == "name_2"
    assert names["é_ü_name"] == "e_u_name"
    assert dbf_field_names(cols) == names  # deterministic


# --------------------------------------------------------------------------------------------
# GeoPackage round trip


def test_gpkg_round_trip_is_exact_with_every_dtype(tmp_path):
    g = _all_types_frame()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a GeoPackage holds all of it: no warning at all
        res = si.export(g, tmp_path / "all.gpkg", layer="all")
    assert isinstance(res, ExportResult)
    assert res.fields == tuple((c, c) for c in g.columns if c != "geometry")
    back = gpd.read_file(tmp_path / "all.gpkg", layer="all")
    assert back.crs.to_epsg() == 4490
    assert list(back.columns) == list(g.columns)
    for col in ["code", "name", "名称", "note"]:
        pd.testing.assert_series_equal(back[col], g[col], check_dtype=False)
    for col in ["rd_staff_2021", "tiny"]:
        np.testing.assert_array_equal(back[col].to_numpy(), g[col].to_numpy())  # bit-exact
    for col in ["count", "big"]:
        assert back[col].dtype == np.int64 and back[col].tolist() == g[col].tolist()
    assert back["maybe"].tolist()[0] == 1 and np.isnan(back["maybe"].tolist()[1])
    assert back["flag"].dtype == bool and back["flag"].tolist() == g["flag"].tolist()
    for col in ["when", "day"]:  # GeoPackage stores milliseconds: all of these values
        pd.testing.assert_series_equal(back[col].dt.as_unit("us"), g[col])
    assert back["region"].tolist() == ["east", "east", "east", "west"]
    assert back.geometry.geom_equals_exact(g.geometry, tolerance=0).all()
    # GeoPackage 1.2 (QGIS 3.22 warns on 1.4, the default of the GDAL bundled with pyogrio)
    with sqlite3.connect(tmp_path / "all.gpkg") as con:
        assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert con.execute("PRAGMA user_version").fetchone()[0] == 10200


def test_dates_timezones_and_sub_millisecond_times(tmp_path):
    g = gpd.GeoDataFrame(
        {
            "tz": pd.to_datetime(["2021-01-01 12:00:00+08:00", "2021-06-01 00:00:00+08:00"]),
            "us": pd.to_datetime(["2021-01-01 12:00:00.123456", "2021-01-01"], format="ISO8601"),
            "day": [datetime.date(2021, 1, 1), datetime.date(2020, 2, 29)],
            "stamp": pd.Series([pd.Timestamp("2021-01-01 08:30"), None], dtype=object),
        },
        geometry=[box(0, 0, 1, 1), box(1, 1, 2, 2)],
        crs=4490,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        si.export(g, tmp_path / "t.gpkg")
    assert [str(w.message) for w in caught if w.category is not si.ExportWarning] == []
    assert len(caught) == 1 and re.search(r"millisecond.*'us' \(1 values\)", str(caught[0].message))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # GDAL flags non-UTC GeoPackage date-times on reading
        back = gpd.read_file(tmp_path / "t.gpkg", layer="t")
    assert str(back["tz"].dt.tz) == "UTC" and (back["tz"] == g["tz"]).all()  # same instants
    assert back["us"].tolist() == [pd.Timestamp("2021-01-01 12:00:00.123"), pd.Timestamp("2021")]
    assert back["day"].tolist() == ["2021-01-01", "2020-02-29"]
    assert back["stamp"].iloc[0] == pd.Timestamp("2021-01-01 08:30") and pd.isna(back["stamp"][1])
    with pytest.warns(si.ExportWarning, match=r"'tz', 'us', 'stamp' were written as ISO 8601"):
        res = si.export(g, tmp_path / "t.shp")
    shp = gpd.read_file(res.path)
    assert _none_for_nan(shp["tz"]) == ["2021-01-01T12:00:00+08:00", "2021-06-01T00:00:00+08:00"]
    assert _none_for_nan(shp["us"]) == ["2021-01-01T12:00:00.123456", "2021-01-01T00:00:00"]
    assert _none_for_nan(shp["stamp"]) == ["2021-01-01T08:30:00", None]
    assert _none_for_nan(shp["day"]) == ["2021-01-01", "2020-02-29"]


def test_gpkg_round_trip_of_real_boundaries(tmp_path, prov):
    si.export(prov, tmp_path / "p.gpkg", style="lisa")
    back = gpd.read_file(tmp_path / "p.gpkg", layer="p")  # default layer name: the file stem
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns="geometry")),
        pd.DataFrame(prov.drop(columns="geometry")),
    )
    assert shapely.equals_exact(back.geometry.values, prov.geometry.values, tolerance=0).all()


def test_gpkg_without_extension_and_named_index_and_fid_column(tmp_path):
    g = _all_types_frame()[["code", "name", "geometry"]].set_index("code")
    g["fid"] = ["a", "b", "c", "d"]  # would be swallowed as feature id by GDAL
    res = si.export(g, tmp_path / "noext")
    assert res.path == tmp_path / "noext.gpkg" and res.driver == "GPKG"
    back = gpd.read_file(res.path)
    assert back["code"].tolist() == list(g.index)
    assert back["fid"].tolist() == ["a", "b", "c", "d"]


def test_gpkg_several_layers_and_overwrite_keeps_other_layers(tmp_path, prov):
    path = tmp_path / "results.gpkg"
    si.export(prov, path, layer="lisa_2021", style="lisa")
    si.export(prov, path, layer="hot_2021", style="hotspots")
    si.export(prov.iloc[:5], path, layer="rd", style=styles.graduated("rd_staff_2021", k=3))
    with pytest.raises(si.ExportError, match=r"layer 'lisa_2021' already exists.*overwrite=True"):
        si.export(prov.iloc[:3], path, layer="lisa_2021")
    with pytest.raises(si.ExportError, match=r"case-insensitive.*'lisa_2021'"):
        si.export(prov.iloc[:3], path, layer="LISA_2021", overwrite=True)
    assert pyogrio.read_info(path, layer="lisa_2021")["features"] == 34  # untouched
    si.export(prov.iloc[:3], path, layer="lisa_2021", style="lisa", overwrite=True)
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"lisa_2021", "hot_2021", "rd", "layer_styles"}
    counts = {n: pyogrio.read_info(path, layer=n)["features"] for n in ("lisa_2021", "hot_2021")}
    assert counts == {"lisa_2021": 3, "hot_2021": 34}
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT f_table_name, f_geometry_column, useAsDefault FROM layer_styles ORDER BY id"
        ).fetchall()
        # one default row per layer, the replaced layer's old style row is gone
        assert sorted(rows) == [
            ("hot_2021", "geom", 1),
            ("lisa_2021", "geom", 1),
            ("rd", "geom", 1),
        ]
        reg = con.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name='layer_styles'"
        ).fetchone()
        assert reg == ("attributes",)
        # GDAL's cached row count follows the inserts and deletes (triggers as GDAL creates them)
        cached = con.execute(
            "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name='layer_styles'"
        ).fetchone()[0]
        assert cached == 3 == con.execute("SELECT count(*) FROM layer_styles").fetchone()[0]
    # replacing a layer without a style removes the style written for the old columns
    si.export(prov.iloc[:2], path, layer="rd", overwrite=True)
    with sqlite3.connect(path) as con:
        names = con.execute("SELECT f_table_name FROM layer_styles ORDER BY 1").fetchall()
    assert names == [("hot_2021",), ("lisa_2021",)]


def test_gpkg_user_style_is_kept_but_no_longer_default(tmp_path, prov):
    path = tmp_path / "u.gpkg"
    si.export(prov, path, layer="p", style="lisa")
    with sqlite3.connect(path) as con:
        con.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, styleName, styleQML, useAsDefault) "
            "VALUES ('', '', 'p', 'geom', 'mine', '<qgis/>', 1), "
            # QGIS' "Save as default" names the style after the layer, like the export does
            "('', '', 'p', 'geom', 'p', '<qgis>user</qgis>', 0)"
        )
    si.export(prov, path, layer="p", style="hotspots", overwrite=True)
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT styleName, useAsDefault, styleQML LIKE '%gi_bin%', description "
            "FROM layer_styles"
        ).fetchall()
    assert sorted(rows, key=str) == sorted(
        [
            ("mine", 0, 0, None),
            ("p", 0, 0, None),
            (
                "p",
                1,
                1,
                f"spatialinno {si.__version__}: {styles.HOTSPOTS.title_zh} / {styles.HOTSPOTS.title_en}",
            ),
        ],
        key=str,
    )


# --------------------------------------------------------------------------------------------
# Shapefile round trip


def test_shp_round_trip_within_dbf_precision_with_warnings_naming_columns(tmp_path):
    g = _all_types_frame()
    with pytest.warns(si.ExportWarning) as record:
        res = si.export(g, tmp_path / "all.shp")
    messages = " | ".join(str(w.message) for w in record)
    assert "'note' (2 values, longest 300 bytes" in messages
    assert "'big' (2 values, first 4611686018427387904" in messages
    assert "'when', 'day'" in messages and "ISO 8601" in messages
    assert "'tiny' (1 values, smallest 1.23e-12)" in messages
    assert "'rd_staff_2021'" not in messages  # 15 decimals hold 0.001 exactly

    stem = tmp_path / "all"
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg", ".fields.csv"):
        assert stem.with_suffix(ext).exists(), ext
    assert stem.with_suffix(".cpg").read_text() == "UTF-8"
    fields = pd.read_csv(stem.with_suffix(".fields.csv"), encoding="utf-8-sig", dtype=str)
    assert fields["column"].tolist() == [c for c in g.columns if c != "geometry"]
    mapping = dict(zip(fields["column"], fields["field"], strict=True))
    assert mapping == dict(res.fields)
    assert mapping["名称"] == "name_2" and mapping["rd_staff_2021"] == "rd_stf_21"

    back = gpd.read_file(res.path)
    assert back.crs.to_epsg() == 4490
    assert list(back.columns) == [mapping[c] for c in g.columns if c != "geometry"] + ["geometry"]
    assert back[mapping["name"]].tolist() == g["name"].tolist()
    assert back[mapping["名称"]].tolist() == g["名称"].tolist()
    # text cut at a character boundary: 84 Chinese characters = 252 bytes <= 254
    note = back[mapping["note"]].tolist()
    assert note[0] == "北" * 84 and note[1] == "x" * DBF_TEXT_BYTES and note[3] == "短"
    np.testing.assert_allclose(back[mapping["rd_staff_2021"]], g["rd_staff_2021"], rtol=1e-15)
    np.testing.assert_allclose(back[mapping["tiny"]], np.round(g["tiny"], 15), rtol=1e-15)
    assert back[mapping["count"]].tolist() == g["count"].tolist()  # 2**40 still an integer
    assert back[mapping["big"]].tolist() == [str(v) for v in g["big"]]  # exact as text
    assert back[mapping["flag"]].tolist() == g["flag"].tolist()
    assert _none_for_nan(back[mapping["when"]]) == [
        "2021-01-01T12:34:56",
        "2020-05-06T00:00:00",
        None,
        "2019-12-31T00:00:00",
    ]
    assert _none_for_nan(back[mapping["day"]]) == ["2021-01-01", "2020-05-06", None, "2019-12-31"]
    assert back.geometry.normalize().geom_equals_exact(g.geometry.normalize(), 0).all()


def test_shp_chinese_and_colliding_long_names_keep_every_column(tmp_path, prov):
    g = prov[["code", "name", "geometry"]].copy()
    extra = {
        "rd_staff_total_2020": 1.0,
        "rd_staff_total_2021": 2.0,
        "rd_staff_totals_2021": 3.0,
        "研发人员": 4.0,
        "研发人员_2021": 5.0,
        "省会首位度": 6.0,
        "省会首位度指数": 7.0,
        "Code": None,  # case-insensitive clash with "code" must be refused, checked below
    }
    for k, v in extra.items():
        if v is not None:
            g[k] = g["code"].astype(int) / 10000 + v
    res = si.export(g, tmp_path / "names.shp")
    back = gpd.read_file(res.path)
    assert len(back.columns) == len(g.columns)
    mapping = dict(res.fields)
    for col in g.columns.drop("geometry"):
        if col in ("code", "name"):
            assert back[mapping[col]].tolist() == g[col].tolist()
        else:
            np.testing.assert_allclose(back[mapping[col]], g[col], rtol=1e-15)
    g["Code"] = g["code"]
    with pytest.raises(si.ExportError, match=r"'code' and 'Code' differ only in upper/lower case"):
        si.export(g, tmp_path / "clash.shp")


def test_shp_overwrite_replaces_every_part(tmp_path, prov):
    path = tmp_path / "lisa.shp"
    si.export(prov, path, style="lisa")
    (tmp_path / "lisa.qix").write_bytes(b"stale spatial index")
    before = path.read_bytes()
    with pytest.raises(si.ExportError, match=r"lisa\.shp.*already exist.*overwrite=True"):
        si.export(prov.iloc[:2], path)
    assert path.read_bytes() == before
    res = si.export(prov.iloc[:2], path, overwrite=True)  # no style this time
    assert not (tmp_path / "lisa.qix").exists() and not (tmp_path / "lisa.qml").exists()
    assert len(gpd.read_file(path)) == 2 and res.style is None


def test_shp_failed_overwrite_keeps_the_previous_export(tmp_path, prov, monkeypatch):
    import spatialinno.qgis.shapefile as shapefile_module

    path = tmp_path / "keep.shp"
    si.export(prov, path, style="lisa")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def fail(*args, **kwargs):  # failure injected after GDAL wrote the staged files
        raise si.ExportError("disk full")

    monkeypatch.setattr(shapefile_module, "check_written_fields", fail)
    with pytest.raises(si.ExportError, match="disk full"):
        si.export(prov.iloc[:2], path, style="hotspots", overwrite=True)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no staging left


# --------------------------------------------------------------------------------------------
# bad input: a clear error naming the problem and what to do


@pytest.mark.parametrize("name", ["out.geojson", "out.shp.zip", "out.csv", "out.GPKG2"])
def test_unknown_extension(tmp_path, prov, name):
    with pytest.raises(si.ExportError, match=r"unknown extension.*\.gpkg.*\.shp"):
        si.export(prov, tmp_path / name)
    assert not (tmp_path / name).exists()


def test_upper_case_extension_is_accepted(tmp_path, prov):
    assert si.export(prov.iloc[:2], tmp_path / "P.GPKG").driver == "GPKG"
    res = si.export(prov.iloc[:2], tmp_path / "P.SHP")
    assert res.driver == "ESRI Shapefile" and res.path == tmp_path / "P.shp"


def test_bad_inputs_raise_clear_errors(tmp_path, prov):
    with pytest.raises(si.InputError, match=r"needs a GeoDataFrame, not DataFrame"):
        si.export(pd.DataFrame(prov.drop(columns="geometry")), tmp_path / "x.gpkg")
    with pytest.raises(si.ExportError, match=r"no CRS.*set_crs\(4490\)"):
        si.export(prov.set_crs(None, allow_override=True), tmp_path / "x.gpkg")
    with pytest.raises(si.ExportError, match=r"no rows"):
        si.export(prov.iloc[:0], tmp_path / "x.gpkg")
    with pytest.raises(si.ExportError, match=r"is a directory"):
        si.export(prov, tmp_path)
    with pytest.raises(si.ExportError, match=r"one layer named after its file.*'x'"):
        si.export(prov, tmp_path / "x.shp", layer="other")
    with pytest.raises(si.ExportError, match=r"reserved by the GeoPackage format"):
        si.export(prov, tmp_path / "x.gpkg", layer="layer_styles")
    not_gpkg = tmp_path / "notes.gpkg"
    not_gpkg.write_text("my notes")
    with pytest.raises(si.ExportError, match=r"cannot be opened as a GeoPackage"):
        si.export(prov, not_gpkg)
    assert not_gpkg.read_text() == "my notes"


def test_index_that_repeats_a_column_is_not_written_twice(tmp_path, prov):
    res = si.export(prov.set_index("code", drop=False), tmp_path / "i.gpkg")
    assert [c for c, _ in res.fields].count("code") == 1
    clash = prov.set_index("code", drop=False).assign(code="x")
    with pytest.raises(si.ExportError, match=r"index 'code' and the column 'code' hold different"):
        si.export(clash, tmp_path / "j.gpkg")


def test_bad_columns_raise_clear_errors(tmp_path, prov):
    small = prov.iloc[:3].copy()
    dup = pd.concat([small, small[["name"]]], axis=1)
    with pytest.raises(si.ExportError, match=r"'name' appear more than once"):
        si.export(dup, tmp_path / "x.gpkg")
    mixed = small.assign(x=pd.Series(["1", 2, "3"], dtype=object, index=small.index))
    with pytest.raises(si.ExportError, match=r"'x' mixes number, text values.*北京市 \(110000\)"):
        si.export(mixed, tmp_path / "x.gpkg")
    lists = small.assign(x=pd.Series([[1], [2], [3]], dtype=object, index=small.index))
    with pytest.raises(si.ExportError, match=r"'x' holds list values \(first at 北京市"):
        si.export(lists, tmp_path / "x.gpkg")
    spans = small.assign(x=pd.to_timedelta([1, 2, 3], unit="D"))
    with pytest.raises(si.ExportError, match=r"'x' holds time spans.*total_seconds"):
        si.export(spans, tmp_path / "x.gpkg")
    two_geoms = small.assign(centre=small.geometry.representative_point())
    with pytest.raises(si.ExportError, match=r"'centre' hold geometries.*to_wkt"):
        si.export(two_geoms, tmp_path / "x.gpkg")
    mixed_kinds = small.copy()
    mixed_kinds.loc[mixed_kinds.index[0], "geometry"] = Point(116, 40)
    with pytest.raises(si.ExportError, match=r"one kind of geometry.*'Point': 1"):
        si.export(mixed_kinds, tmp_path / "x.gpkg")
    assert not (tmp_path / "x.gpkg").exists()


def test_bad_styles_raise_clear_errors(tmp_path, prov):
    with pytest.raises(si.ColumnError, match=r"'lisa_cluster'.*si\.lisa.*available columns: code"):
        si.export(prov.drop(columns="lisa_cluster"), tmp_path / "x.gpkg", style="lisa")
    with pytest.raises(si.ExportError, match=r"unknown style 'moran'.*'lisa', 'hotspots'"):
        si.export(prov, tmp_path / "x.gpkg", style="moran")
    with pytest.raises(si.ExportError, match=r"graduated style needs a numeric column.*'name'"):
        si.export(prov, tmp_path / "x.gpkg", style=styles.graduated("name"))
    empty = prov.assign(rd_staff_2021=np.nan)
    with pytest.raises(si.ExportError, match=r"cannot classify column 'rd_staff_2021'.*no finite"):
        si.export(empty, tmp_path / "x.gpkg", style=styles.graduated("rd_staff_2021"))
    as_objects = prov.assign(rd_staff_2021=prov["rd_staff_2021"].astype(object))
    res = si.export(as_objects, tmp_path / "obj.gpkg", style=styles.graduated("rd_staff_2021"))
    assert res.style == "layer_styles"
    with pytest.raises(si.ExportError, match=r"style must be.*not dict"):
        si.export(prov, tmp_path / "x.gpkg", style={"column": "gi_bin"})
    with pytest.raises(si.ExportError, match=r"lang must be 'zh', 'en' or 'both'"):
        si.export(prov, tmp_path / "x.gpkg", style="lisa", lang="fr")
    odd = prov.assign(lisa_cluster=prov["lisa_cluster"].replace("HH", "High-High"))
    with pytest.warns(si.ExportWarning, match=r"'High-High' that the style has no category"):
        si.export(odd, tmp_path / "odd.gpkg", style="lisa")


def test_result_repr_and_frame(tmp_path, prov):
    res = si.export(prov, tmp_path / "r.shp", style="hotspots")
    text = repr(res)
    assert "ESRI Shapefile" in text and "34 features" in text and "EPSG:4490" in text
    assert "(4 renamed)" in text
    frame = res.to_frame()
    assert list(frame.columns) == ["column", "field", "renamed"]
    renamed = frame[frame["renamed"]]
    assert dict(zip(renamed["column"], renamed["field"], strict=True)) == {
        "province_code": "prov_code",
        "rd_staff_2021": "rd_stf_21",
        "rd_exp_total_10k_yuan": "rdexto10ky",
        "lisa_cluster": "lisa_clus",
    }
    assert res.style == str(tmp_path / "r.qml")


# --------------------------------------------------------------------------------------------
# styles: breaks equal the map's, categories equal the shared palette


def test_graduated_breaks_equal_mapclassify_on_the_exported_values(tmp_path, prov):
    style = styles.graduated("rd_staff_2021", scheme="quantiles", k=5)
    si.export(prov, tmp_path / "g.gpkg", style=style)
    with sqlite3.connect(tmp_path / "g.gpkg") as con:
        qml = con.execute("SELECT styleQML FROM layer_styles").fetchone()[0]
    uppers = [float(u) for u in re.findall(r'upper="([^"]+)"', qml)]
    lowers = [float(u) for u in re.findall(r'lower="([^"]+)"', qml)]
    x = prov["rd_staff_2021"].dropna().to_numpy()
    expected = mapclassify.Quantiles(x, k=5).bins  # independent of spatialinno's wrapper
    # issue 15: a last "no data" range holds the value units without data are classified as
    no_data = NO_DATA_VALUE
    assert uppers == [*expected.tolist(), no_data]
    assert lowers == [x.min(), *expected[:-1].tolist(), no_data]


# --------------------------------------------------------------------------------------------
# real QGIS


@pytest.fixture(scope="module")
def qgis_reports(tmp_path_factory, prov, pref):
    """Export every variant once, open all of them in one QGIS process."""
    d = tmp_path_factory.mktemp("qgis")
    grad = styles.graduated("rd_staff_2021", scheme="quantiles", k=5)
    out = {
        "gpkg_lisa": si.export(pref, d / "results.gpkg", layer="lisa_2021", style="lisa"),
        "gpkg_hot": si.export(pref, d / "results.gpkg", layer="hot_2021", style="hotspots"),
        "gpkg_grad": si.export(prov, d / "results.gpkg", layer="rd_2021", style=grad),
        "shp_hot": si.export(pref, d / "hotspots.shp", style="hotspots", lang="en"),
        "shp_grad": si.export(prov, d / "rd.shp", style=grad),
        "points": si.export(
            pref.assign(geometry=pref.representative_point()),
            d / "points.gpkg",
            style="lisa",
            lang="zh",
        ),
        "lines": si.export(
            gpd.GeoDataFrame(
                {"gi_bin": [3, -3, 0]},
                geometry=[
                    LineString([(100, 30), (110, 35)]),
                    LineString([(110, 35), (120, 30)]),
                    LineString([(100, 25), (120, 25)]),
                ],
                crs=4490,
            ),
            d / "lines.shp",
            style="hotspots",
        ),
    }
    g = prov[["code", "name", "geometry"]].copy()
    for i, col in enumerate(
        ["rd_staff_total_2020", "rd_staff_total_2021", "研发人员", "研发人员_2021", "省会首位度"]
    ):
        g[col] = np.arange(len(g)) * 10.0 + i
    out["shp_names"] = si.export(
        g, d / "names.shp", style=styles.graduated("rd_staff_total_2021", k=3)
    )
    # capital shares 0.55..0.95 with the fixed 50 % / 80 % bins of the capital-effect map; the
    # geometry column has another name than "geometry" to check the style's f_geometry_column
    shares = prov[["code", "name", "geometry"]].rename_geometry("shape")
    shares["capital_share"] = 0.55 + (shares["code"].astype(int) // 10000 % 9) * 0.05
    out["capshare"] = si.export(shares, d / "capital.gpkg", style=styles.capital_share())
    # the SLD stored next to the QML, loaded on its own (QGIS turns it into rules)
    with sqlite3.connect(d / "results.gpkg") as con:
        for layer in ("hot_2021", "rd_2021"):
            sld = con.execute(
                "SELECT styleSLD FROM layer_styles WHERE f_table_name = ?", (layer,)
            ).fetchone()[0]
            (d / f"{layer}.sld").write_text(sld, encoding="utf-8")
    # negative control: the same Shapefile with a .qml keyed on the LONG column name, which is
    # what a style written without the field mapping would look like
    from spatialinno.qgis.qml import style_documents

    for part in d.glob("names.*"):
        if part.suffix != ".qml" and not part.name.endswith(".fields.csv"):
            (d / ("longqml" + part.name[len("names") :])).write_bytes(part.read_bytes())
    long_style = styles.graduated("rd_staff_total_2021", k=3).resolve(g["rd_staff_total_2021"])
    (d / "longqml.qml").write_text(style_documents(long_style)[0], encoding="utf-8")
    control = d / "control_v14.gpkg"
    pyogrio.write_dataframe(prov, control, layer="p", driver="GPKG")  # GDAL default: GPKG 1.4
    specs = [
        {
            "path": r.path,
            "layer": r.layer if r.driver == "GPKG" else None,
            "png": d / f"{k}.png",
            "nfeat": 40,
        }
        for k, r in out.items()
    ]
    specs.append({"path": control, "layer": "p"})
    for layer in ("hot_2021", "rd_2021"):
        specs.append({"path": d / "results.gpkg", "layer": layer, "sld": d / f"{layer}.sld"})
    specs.append({"path": d / "longqml.shp"})
    reports = inspect_layers(specs)
    keys = [*out, "control", "sld_hot", "sld_grad", "longqml"]
    result = dict(zip(keys, reports, strict=True))
    return {"reports": result, "results": out, "dir": d}


@requires_qgis
@pytest.mark.qgis
def test_qgis_opens_gpkg_lisa_styled_with_chinese_names(qgis_reports, pref):
    rep = qgis_reports["reports"]["gpkg_lisa"]
    assert rep["valid"] and rep["feature_count"] == len(pref) == 375
    assert rep["crs"] == "EPSG:4490" and rep["geometry_type"] == "MultiPolygon"
    assert warnings_in(rep) == []
    names = {f["name"] for f in rep["fields"]}
    assert {"name_short", "province_code", "lisa_cluster", "gi_bin"} <= names  # full names
    assert rep["first_features"][0]["name"] == pref["name"].iloc[0] == "北京市"
    assert [f["name"] for f in rep["first_features"]] == pref["name"].iloc[:40].tolist()
    text = pref.drop(columns="geometry").select_dtypes(exclude="number").astype(object)
    n_cjk = int(text.map(lambda v: isinstance(v, str) and bool(CJK.search(v))).to_numpy().sum())
    assert rep["mojibake_values"] == 0 and rep["cjk_values"] == n_cjk > 1000
    r = rep["renderer"]
    assert r["type"] == "categorizedSymbol" and r["attribute"] == "lisa_cluster"
    assert r["attribute_found"]
    # issue 15: every style ends with the grey "no data" class (QGIS' catch-all category)
    # (LISA's own "no data" category merges into it: one legend entry, the same grey)
    assert [(c["value"], c["label"], c["color"]) for c in r["categories"]] == [
        (c.value, f"{c.label_zh} / {c.label_en}", c.color)
        for c in styles.LISA.categories
        if c.value != "no data"
    ] + [("", "无数据 / no data", styles.NO_DATA_COLOR)]
    # QGIS' own renderer puts every feature in the class the folium maps use
    assert rep["feature_colors"] == [styles.LISA.color_of(v) for v in pref["lisa_cluster"]]
    render = rep["render"]
    assert render["saved"] and render["errors"] == []
    assert render["nonbackground_fraction"] > 0.15
    for cat in styles.LISA.categories:
        assert render["top_colors"].get(cat.color, 0) > 300, cat


@requires_qgis
@pytest.mark.qgis
def test_qgis_hotspots_gpkg_and_shp_missing_bins_are_no_data(qgis_reports, pref):
    expected = _hotspot_colors(pref)
    n_bin_missing = int(pref["gi_bin"].isna().sum())
    assert 0 < n_bin_missing < expected.count(styles.NO_DATA_COLOR) < 375
    for key in ("gpkg_hot", "shp_hot"):
        rep = qgis_reports["reports"][key]
        assert rep["valid"] and rep["feature_count"] == 375 and rep["crs"] == "EPSG:4490"
        assert warnings_in(rep) == []
        r = rep["renderer"]
        assert r["type"] == "categorizedSymbol"
        # gi_cluster has 10 letters: the same field name in the Shapefile
        assert r["attribute"] == (
            'CASE WHEN "gi_z" IS NULL OR "gi_cluster" = \'no data\' THEN NULL ELSE "gi_bin" END'
        )
        cats = r["categories"]
        assert [c["value"] for c in cats] == ["3", "2", "1", "0", "-1", "-2", "-3", ""]
        assert cats[-1]["color"] == styles.NO_DATA_COLOR
        assert rep["feature_colors"] == expected, key
        assert rep["render"]["nonbackground_fraction"] > 0.15
    labels = [c["label"] for c in qgis_reports["reports"]["shp_hot"]["renderer"]["categories"]]
    assert labels[0] == "Hot spot, 99% confidence" and labels[-1] == "no data"  # lang="en"
    shp = qgis_reports["reports"]["shp_hot"]
    assert shp["encoding"] == "UTF-8"
    assert shp["first_features"][0]["prov_code"] == "110000"  # short name from the sidecar
    assert shp["first_features"][0]["name"] == "北京市" and shp["mojibake_values"] == 0


@requires_qgis
@pytest.mark.qgis
def test_qgis_graduated_classes_equal_the_map_breaks(qgis_reports, prov):
    style = styles.graduated("rd_staff_2021", scheme="quantiles", k=5).resolve(
        prov["rd_staff_2021"]
    )
    idx = styles.class_index(prov["rd_staff_2021"], style.breaks)
    # issue 15: NaN (HK, MO, TW) drawn grey as "no data" (they were not drawn at all before)
    expected = [style.colors[i] if i >= 0 else styles.NO_DATA_COLOR for i in idx]
    assert expected.count(styles.NO_DATA_COLOR) == 3
    for key, attr in (("gpkg_grad", "rd_staff_2021"), ("shp_grad", "rd_stf_21")):
        rep = qgis_reports["reports"][key]
        assert rep["valid"] and rep["feature_count"] == 34 and warnings_in(rep) == []
        r = rep["renderer"]
        assert r["type"] == "graduatedSymbol" and r["attribute_found"]
        assert r["attribute"] == f'coalesce("{attr}", -1e+300)'
        assert [g["upper"] for g in r["ranges"]] == [*style.breaks, NO_DATA_VALUE]
        assert r["ranges"][0]["lower"] == np.nanmin(prov["rd_staff_2021"])
        assert r["ranges"][-1]["lower"] == NO_DATA_VALUE
        assert [g["color"] for g in r["ranges"]] == [*style.colors, styles.NO_DATA_COLOR]
        assert [g["label"] for g in r["ranges"]] == [*style.class_labels(), "无数据 / no data"]
        assert rep["feature_colors"] == expected, key
        top = rep["render"]["top_colors"]
        assert all(top.get(c, 0) > 100 for c in style.colors), top


@requires_qgis
@pytest.mark.qgis
def test_qgis_shapefile_with_colliding_and_chinese_names_keeps_every_column(qgis_reports):
    res = qgis_reports["results"]["shp_names"]
    rep = qgis_reports["reports"]["shp_names"]
    assert rep["valid"] and rep["feature_count"] == 34 and rep["crs"] == "EPSG:4490"
    assert [f["name"] for f in rep["fields"]] == [f for _, f in res.fields]
    assert len(rep["fields"]) == 7
    first = rep["first_features"][1]
    mapping = dict(res.fields)
    assert first[mapping["研发人员"]] == 12.0 and first[mapping["省会首位度"]] == 14.0
    assert first[mapping["rd_staff_total_2020"]] == 10.0
    assert rep["renderer"]["attribute"] == f'coalesce("{mapping["rd_staff_total_2021"]}", -1e+300)'
    assert rep["renderer"]["attribute_found"] and rep["renderer"]["type"] == "graduatedSymbol"
    assert None not in rep["feature_colors"]
    # control: a style keyed on the long name loads, but QGIS finds no such field and draws
    # nothing -- the failure the short-name mapping prevents
    bad = qgis_reports["reports"]["longqml"]
    assert bad["renderer"]["type"] == "graduatedSymbol" and not bad["renderer"]["attribute_found"]
    assert set(bad["feature_colors"]) == {None}


@requires_qgis
@pytest.mark.qgis
def test_qgis_points_and_lines_get_marker_and_line_symbols(qgis_reports, pref):
    pts = qgis_reports["reports"]["points"]
    assert pts["valid"] and pts["geometry_type"] == "Point" and pts["feature_count"] == 375
    assert pts["feature_colors"] == [styles.LISA.color_of(v) for v in pref["lisa_cluster"]]
    assert pts["renderer"]["categories"][0]["label"] == "高-高集聚"  # lang="zh"
    assert pts["render"]["nonbackground_pixels"] > 1000
    lines = qgis_reports["reports"]["lines"]
    assert lines["valid"] and lines["geometry_type"] in ("LineString", "MultiLineString")
    assert lines["feature_colors"] == [styles.HOTSPOTS.color_of(v) for v in (3, -3, 0)]
    assert lines["render"]["top_colors"].get(styles.HOTSPOTS.color_of(3), 0) > 200


@requires_qgis
@pytest.mark.qgis
def test_qgis_warns_on_gpkg_14_but_not_on_ours(qgis_reports):
    # the control file proves the harness sees the GDAL warning our files must not trigger
    control = qgis_reports["reports"]["control"]
    assert any("GeoPackage" in m["message"] and "1.4" in m["message"] for m in warnings_in(control))
    for key, rep in qgis_reports["reports"].items():
        if key != "control":
            assert warnings_in(rep) == [], key


@requires_qgis
@pytest.mark.qgis
def test_qgis_reads_the_stored_sld_into_the_same_classes(qgis_reports, pref, prov):
    hot = qgis_reports["reports"]["sld_hot"]
    assert hot["sld_loaded"] and hot["renderer"]["type"] == "RuleRenderer"
    rules = hot["renderer"]["rules"]
    assert [r["color"] for r in rules] == [c.color for c in styles.HOTSPOTS.categories] + [
        styles.NO_DATA_COLOR
    ]
    assert rules[-1]["filter"] and rules[0]["label"] == "热点 99% 置信 / Hot spot, 99% confidence"
    assert hot["feature_colors"] == _hotspot_colors(pref)
    assert hot["features_with_several_symbols"] == 0  # every feature matches exactly one rule
    grad = qgis_reports["reports"]["sld_grad"]
    style = styles.graduated("rd_staff_2021", k=5).resolve(prov["rd_staff_2021"])
    idx = styles.class_index(prov["rd_staff_2021"], style.breaks)
    assert grad["sld_loaded"]
    # issue 15: units without a value match the "no data" rule (IS NULL), drawn grey
    assert grad["feature_colors"] == [
        style.colors[i] if i >= 0 else styles.NO_DATA_COLOR for i in idx
    ]
    assert grad["features_with_several_symbols"] == 0  # breaks: lower bound exclusive


@requires_qgis
@pytest.mark.qgis
def test_qgis_pngs_are_written_and_not_blank(qgis_reports):
    for key, rep in qgis_reports["reports"].items():
        if key in ("control", "longqml") or key.startswith("sld"):
            continue
        png = qgis_reports["dir"] / f"{key}.png"
        assert png.exists() and png.stat().st_size > 2000, key
        assert rep["render"]["size"] == [800, 600]
        assert rep["render"]["nonbackground_pixels"] > 1000, key
        assert os.path.samefile(rep["render"]["png"], png)


def test_qml_is_deterministic_and_counts_classes(prov):
    from spatialinno.qgis.qml import style_documents

    a = style_documents(styles.LISA, "polygon")
    b = style_documents(styles.LISA, "polygon")
    assert a == b
    qml, sld = a
    assert Counter(re.findall(r"<(category|symbol) ", qml)) == {"category": 7, "symbol": 8}
    assert sld.count("<se:PolygonSymbolizer>") == 7


@requires_qgis
@pytest.mark.qgis
def test_qgis_user_bins_with_minimum_above_the_first_bin(qgis_reports, prov):
    rep = qgis_reports["reports"]["capshare"]
    assert rep["valid"] and rep["feature_count"] == 34
    r = rep["renderer"]
    assert r["type"] == "graduatedSymbol" and r["attribute_found"]
    assert r["attribute"] == 'coalesce("capital_share", -1e+300)'
    assert [g["upper"] for g in r["ranges"]] == [0.5, 0.8, 1.0, NO_DATA_VALUE]  # + no data
    assert all(g["lower"] <= g["upper"] for g in r["ranges"])
    shares = 0.55 + (prov["code"].astype(int) // 10000 % 9) * 0.05
    style = styles.capital_share().resolve(shares)
    expected = [style.colors[i] for i in styles.class_index(shares, style.breaks)]
    assert rep["feature_colors"] == expected
    assert set(expected) == set(style.colors[1:])  # all shares above 50 %: two classes drawn


@pytest.mark.slow
@requires_qgis
@pytest.mark.qgis
def test_real_lisa_and_hotspots_results_open_styled_in_qgis(tmp_path):
    """End to end on real data: R&D staff 2021 -> si.lisa / si.hotspots -> export -> QGIS."""
    g = si.load_boundaries("province")
    panel = si.load_dataset("province_panel")
    rd = panel[panel["year"] == 2021].assign(code=lambda d: d["gb"].str[3:])
    g = g.merge(rd[["code", "rd_fte_total_person_years"]], on="code", how="left")
    lisa = si.lisa(g, "rd_fte_total_person_years", seed=7)
    hot = si.hotspots(g, "rd_fte_total_person_years", seed=7)
    a = si.export(lisa, tmp_path / "results.gpkg", layer="lisa_2021", style="lisa")
    b = si.export(hot, tmp_path / "hotspots.shp", style="hotspots")
    ra, rb = inspect_layers(
        [
            {"path": a.path, "layer": a.layer, "png": tmp_path / "lisa.png"},
            {"path": b.path, "png": tmp_path / "hot.png"},
        ]
    )
    assert ra["feature_colors"] == [styles.LISA.color_of(v) for v in lisa["lisa_cluster"]]
    hot_expected = _hotspot_colors(hot)
    assert hot_expected.count(styles.NO_DATA_COLOR) == 3  # 台湾, 香港, 澳门: no R&D data
    assert rb["feature_colors"] == hot_expected
    for rep in (ra, rb):
        assert rep["valid"] and rep["feature_count"] == 34 and rep["crs"] == "EPSG:4490"
        assert warnings_in(rep) == [] and rep["render"]["nonbackground_fraction"] > 0.1


def test_si_export_is_the_function_whatever_the_import_order(tmp_path, prov):
    # the implementation lives in a module with another name, so importing it cannot rebind
    # the package attribute ``spatialinno.export`` (a submodule named ``export`` would)
    import importlib
    import subprocess
    import sys

    module = importlib.import_module("spatialinno.qgis.export")
    assert si.export is module.export
    res = si.export(prov.iloc[:2], tmp_path / "order.gpkg")
    assert isinstance(res, ExportResult) and res.n_features == 2
    probe = (
        "import spatialinno.qgis.export, spatialinno as si, inspect; "
        "print(inspect.isfunction(si.export))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


# --------------------------------------------------------------------------------------------
# the GeoPackage a run writes (issue 15): shared geometry, border lines, every unit drawn

# results.gpkg of `spatialinno demo` on main before issue 15: six layers with full geometry
DEMO_GPKG_BYTES_BEFORE = 24_182_784


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory) -> Path:
    from spatialinno import cli

    out = tmp_path_factory.mktemp("demo") / "out"
    assert cli.main(["demo", "--out", str(out), "--quiet"]) == 0
    return out


def test_demo_gpkg_stores_each_outline_once(demo_out) -> None:
    gpkg = demo_out / "results.gpkg"
    assert gpkg.stat().st_size <= DEMO_GPKG_BYTES_BEFORE / 4  # measured: 5.0 MB
    with sqlite3.connect(gpkg) as con:
        kinds = dict(con.execute("SELECT name, type FROM sqlite_master WHERE type IN "
                                 "('table', 'view')").fetchall())  # fmt: skip
        contents = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents"))
        styled = {r[0] for r in con.execute("SELECT f_table_name FROM layer_styles")}
    features = {n for n, t in contents.items() if t == "features"}
    tables = {n for n in features if kinds[n] == "table"}
    # one geometry table per layer of units, the border lines; every other layer is a view
    assert tables == {"units_province", "units_prefecture", "境界线"}
    views = features - tables
    assert {"lisa_Patent", "hotspots_popu_2020", "study_capital_share_2021"} <= views
    assert all(kinds[v] == "view" for v in views) and len(views) >= 6
    assert features <= styled  # every layer opens styled
    # the views give back exactly the frames written: columns and values
    lisa = gpd.read_file(gpkg, layer="lisa_Patent")
    units = gpd.read_file(gpkg, layer="units_prefecture")
    assert len(lisa) == len(units) == 375 and lisa["code"].tolist() == units["code"].tolist()
    assert {"lisa_I", "lisa_p", "lisa_cluster", "Patent"} <= set(lisa.columns)
    assert lisa.geometry.geom_equals(units.geometry).all()
    assert set(lisa["lisa_cluster"].dropna()) <= set(LISA_VALUES)


def test_export_shared_reads_back_what_was_written(tmp_path, prov) -> None:
    from spatialinno.qgis.shared import export_shared

    path = tmp_path / "r.gpkg"
    a = prov[["code", "name", "rd_staff_2021", "geometry"]]
    b = prov[["code", "name", "lisa_cluster", "gi_bin", "geometry"]].assign(
        flag=prov["rd_staff_2021"] > 1e5, n=np.arange(34), rd_staff_2021=-1.0
    )
    export_shared(a, path, "a", styles.graduated("rd_staff_2021", k=3))
    export_shared(b, path, "b", "lisa")
    export_shared(a.iloc[:5], path, "c")  # other geometries: a table of their own
    for layer, frame in (("a", a), ("b", b), ("c", a.iloc[:5])):
        back = gpd.read_file(path, layer=layer)
        data = [c for c in frame.columns if c != "geometry"]
        assert list(back.columns) == [*data, "geometry"], layer
        pd.testing.assert_frame_equal(
            pd.DataFrame(back.drop(columns="geometry")),
            pd.DataFrame(frame.drop(columns="geometry")).reset_index(drop=True),
            check_dtype=False,
        )
        assert back.geometry.geom_equals(frame.geometry.reset_index(drop=True)).all()
    with sqlite3.connect(path) as con:
        cols = [r[1] for t in ("units", "units_results")
                for r in con.execute(f'PRAGMA table_info("{t}")')]  # fmt: skip
    # code and name stored once; b's rd_staff_2021 differs from a's: stored under its layer
    assert cols.count("code") == 1 and "b.rd_staff_2021" in cols and "b.code" not in cols
    assert "b.lisa_cluster" in cols and "b.name" not in cols
    export_shared(b.assign(n=0), path, "b", "lisa")  # replaced
    assert (gpd.read_file(path, layer="b")["n"] == 0).all()


@requires_qgis
@pytest.mark.qgis
def test_qgis_draws_every_unit_of_every_demo_layer(demo_out, tmp_path) -> None:
    gpkg = demo_out / "results.gpkg"
    names = [n for n, geom in pyogrio.list_layers(gpkg) if geom]
    specs = [
        {"path": gpkg, "layer": n, "png": tmp_path / f"{i}.png", "nfeat": 40}
        for i, n in enumerate(names)
    ]
    reports = dict(zip(names, inspect_layers(specs), strict=True))
    for name, rep in reports.items():
        assert rep["valid"] and warnings_in(rep) == [], name
        assert rep["crs"] == "EPSG:4490", name
        # issue 15: no unit vanishes (a NULL value is drawn as "no data", not skipped)
        assert None not in rep["feature_colors"], name
        assert rep["render"]["nonbackground_pixels"] > 1000, name
    # the demo runs in Chinese: legends in Chinese only (issue 15, one language)
    labels = [c["label"] for c in reports["lisa_Patent"]["renderer"]["categories"]]
    assert labels[0] == "高-高集聚" and labels[-1] == "无数据"
    assert not any(re.search("[A-Za-z]", t) for t in labels), labels
    cap = reports["study_capital_share_2021"]
    grey = {r["name"] for r, c in zip(cap["first_features"], cap["feature_colors"], strict=False)
            if c == styles.NO_DATA_COLOR}  # fmt: skip
    assert {"北京市", "上海市", "天津市", "重庆市"} <= grey  # municipalities: no capital share
    lines = reports["境界线"]
    assert lines["feature_count"] == 8 and lines["geometry_type"] == "MultiLineString"
    assert lines["renderer"] == {"type": "singleSymbol", "color": styles.NATIONAL_BORDER_COLOR}
    assert lines["render"]["top_colors"].get(styles.NATIONAL_BORDER_COLOR, 0) > 300
    # the southernmost line segments (South China Sea, below 12°N) are in the layer
    south = gpd.read_file(gpkg, layer="境界线").geometry.bounds["miny"].min()
    assert south < 5.0


def test_column_digest_tells_columns_apart_exactly():
    """issue 15 (speed): numeric columns are digested from their float64 bytes, not repr; the
    identity stays that of the values -- 1 and 1.0 alike, NULL apart from 0, -0.0 apart from 0.0,
    order counts -- on the numeric path and on the mixed (repr) one."""
    from spatialinno.qgis.shared import _cells, _column_digest

    d = _column_digest
    assert d([1, None, 2]) == d([1.0, None, 2.0]) != d([1.0, 0.0, 2.0])
    assert d([0.0]) != d([-0.0]) and d([1.0, 2.0]) != d([2.0, 1.0])
    assert d(["a", 1]) == d(["a", 1.0]) != d(["a", 2]) and d(["a", None]) != d([None, None])
    x = pd.Series([0.1 + 0.2, np.nan, 3.0])
    assert d(_cells(x)) == d([0.30000000000000004, None, 3]) != d([0.3, None, 3])
