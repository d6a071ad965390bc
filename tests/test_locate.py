"""si.locate: Chinese address text to province / prefecture / county codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import spatialinno as si
from spatialinno.records.gazetteer import clean_text, gazetteer
from spatialinno.records.locate import HOW, HOW_FAILED, HOW_LOCATED, Locator

REF = Path(__file__).parent / "reference"
TESTSET = REF / "locate_testset.csv"
WELL_FORMED = ("full_path", "city_only", "no_province_suffix")


@pytest.fixture(scope="module")
def testset() -> pd.DataFrame:
    table = pd.read_csv(TESTSET, dtype=str, keep_default_na=False)
    table["expect_located"] = table["expect_located"] == "True"
    return table


@pytest.fixture(scope="module")
def located(testset: pd.DataFrame) -> pd.DataFrame:
    return si.locate(testset["address"], level="prefecture")


def _score(testset: pd.DataFrame, got: pd.DataFrame, level: str) -> pd.DataFrame:
    col = f"{level}_code"
    is_located = got["how"].isin(HOW_LOCATED)
    want = testset[col].replace("", None)
    right = np.where(
        testset["expect_located"], is_located & (got[col] == want), ~is_located
    ).astype(bool)
    wrong = is_located & (~testset["expect_located"] | (got[col] != want))
    return (
        pd.DataFrame({"category": testset["category"], "right": right, "wrong": wrong})
        .groupby("category")
        .agg(n=("right", "size"), accuracy=("right", "mean"), confident_wrong=("wrong", "sum"))
    )


def test_accuracy_per_category_on_the_labelled_set(testset, located) -> None:
    scores = _score(testset, located, "prefecture")
    print(scores)  # the per-category table, shown with pytest -s
    assert set(scores.index) == {
        "full_path",
        "city_only",
        "no_province_suffix",
        "enterprise",
        "missing_suffix",
        "fullwidth_spaces",
        "district_only",
        "province_district",
        "old_name",
        "ambiguous",
    }
    assert (scores.loc[list(WELL_FORMED), "accuracy"] >= 0.99).all()
    assert (scores["accuracy"] >= 0.98).all()
    # an ambiguous address never comes back with a confident answer
    assert scores.loc["ambiguous", "confident_wrong"] == 0
    assert scores.loc["ambiguous", "accuracy"] == 1.0
    assert scores["confident_wrong"].sum() <= 0.002 * len(testset)


def test_county_codes_of_full_paths(testset) -> None:
    full = testset[testset["category"] == "full_path"]
    got = si.locate(full["address"], level="county")
    assert (got["county_code"].to_numpy() == full["county_code"].to_numpy()).mean() >= 0.99
    assert set(got["how"]) <= set(HOW_LOCATED)


def test_ambiguous_addresses_come_back_with_their_candidates(testset, located) -> None:
    amb = testset["category"] == "ambiguous"
    assert set(located.loc[amb, "how"]) <= {"ambiguous", "defunct"}
    assert located.loc[amb, "prefecture_code"].isna().all()
    # the province is kept when the text gives it (江苏省鼓楼区: 南京 or 徐州, both in Jiangsu)
    with_province = amb & (testset["province_code"] != "")
    assert (
        located.loc[with_province, "province_code"] == testset.loc[with_province, "province_code"]
    ).all()


def test_the_testset_is_reproducible_from_its_generator(tmp_path) -> None:
    out = tmp_path / "t.csv"
    code = (
        f"import sys; sys.path.insert(0, {str(REF)!r}); import build_locate_testset as b; "
        f"b.build().to_csv({str(out)!r}, index=False, lineterminator='\\n')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)
    assert out.read_bytes() == TESTSET.read_bytes()


CASES = [
    # address, level, province, prefecture, county, how
    ("广东省深圳市南山区粤海街道科技园", "prefecture", "440000", "440300", "440305", "full_path"),
    ("深圳市南山区", "prefecture", "440000", "440300", "440305", "full_path"),
    ("深圳南山", "prefecture", "440000", "440300", "440305", "full_path"),
    ("北京海淀区中关村大街27号", "prefecture", "110000", "110000", "110108", "full_path"),
    ("海淀区中关村", "prefecture", "110000", "110000", "110108", "district"),
    ("南山区科技园", "prefecture", None, None, None, "ambiguous"),  # 深圳 and 鹤岗
    ("鼓楼区中山路", "prefecture", None, None, None, "ambiguous"),
    ("江苏省鼓楼区", "prefecture", "320000", None, None, "ambiguous"),  # 南京, 徐州
    ("江苏省鼓楼区", "province", "320000", None, None, "district_in_context"),
    ("福建省鼓楼区", "prefecture", "350000", "350100", "350102", "district_in_context"),
    ("湖北省襄樊市樊城区", "prefecture", "420000", "420600", "420606", "history"),
    ("山东省莱芜市莱城区", "county", "370000", "370100", "370116", "history"),
    ("莱芜市", "prefecture", "370000", "370100", None, "history"),
    ("安徽省巢湖市", "prefecture", "340000", None, None, "defunct"),
    ("巢湖市", "prefecture", "340000", None, None, "defunct"),
    ("安徽省合肥市巢湖市", "county", "340000", "340100", "340181", "full_path"),
    ("安徽省巢湖市无为县", "prefecture", "340000", "340200", None, "history"),
    ("上海市闸北区共和新路", "county", "310000", "310000", "310106", "history"),
    (
        "华为技术有限公司广东省深圳市龙岗区坂田",
        "prefecture",
        "440000",
        "440300",
        "440307",
        "full_path",
    ),
    (
        "上海交通大学西安研究院陕西省西安市雁塔区",
        "prefecture",
        "610000",
        "610100",
        "610113",
        "full_path",
    ),
    ("陕西省西安市雁塔区上海交通大学", "prefecture", "610000", "610100", "610113", "full_path"),
    (
        "中国石油天然气股份有限公司北京市东城区东直门北大街9号",
        "prefecture",
        "110000",
        "110000",
        "110101",
        "full_path",
    ),
    ("北京大学", "prefecture", "110000", "110000", None, "organisation"),
    ("廣東省　深圳市ＸＸ路１２号", "prefecture", "440000", "440300", None, "full_path"),
    ("广州市天河区中山大道西", "prefecture", "440000", "440100", "440106", "full_path"),
    ("中山路1号", "prefecture", None, None, None, "not_found"),
    ("上海市黄浦区南京东路", "prefecture", "310000", "310000", "310101", "full_path"),
    ("山西安泽县", "prefecture", "140000", "141000", "141026", "full_path"),
    ("延边州延吉市", "prefecture", "220000", "222400", "222401", "full_path"),
    ("湖北仙桃", "county", "420000", "429004", "429004", "full_path"),
    ("广东省", "prefecture", "440000", None, None, "too_coarse"),
    ("广东省", "province", "440000", None, None, "province"),
    ("深圳市", "county", "440000", "440300", None, "too_coarse"),
    ("深圳市腾讯计算机系统有限公司", "prefecture", "440000", "440300", None, "organisation"),
    ("  ", "prefecture", None, None, None, "empty"),
]


@pytest.mark.parametrize(("address", "level", "prov", "pref", "county", "how"), CASES)
def test_documented_cases(address, level, prov, pref, county, how) -> None:
    row = si.locate([address], level=level).iloc[0]
    assert (row["province_code"], row["prefecture_code"], row["county_code"], row["how"]) == (
        prov,
        pref,
        county,
        how,
    ), row["note"]


def test_notes_say_what_happened() -> None:
    r = si.locate(["山东省莱芜市莱城区", "鼓楼区", "安徽省巢湖市", "北京大学", "xyz"])
    assert "merged into 济南市" in r.loc[0, "note"] and "国函〔2018〕163号" in r.loc[0, "note"]
    for city in ("南京市", "徐州市", "福州市", "开封市"):
        assert city in r.loc[1, "note"]
    assert "split between 合肥市、芜湖市、马鞍山市" in r.loc[2, "note"]
    assert "organisation" in r.loc[3, "note"]
    assert r.loc[4, "how"] == "not_found"


def test_frame_shape_order_and_index() -> None:
    s = pd.Series(["北京市", None, np.nan, "深圳市"], index=[10, 11, 12, 13])
    r = si.locate(s)
    assert list(r.columns) == ["province_code", "prefecture_code", "county_code", "how", "note"]
    assert list(r.index) == [10, 11, 12, 13]
    assert r["how"].tolist() == ["city", "empty", "empty", "city"]
    assert r.loc[11, "prefecture_code"] is None  # None, not NaN
    assert si.locate("深圳").loc[0, "prefecture_code"] == "440300"
    assert len(si.locate([])) == 0


def test_bad_input_is_named() -> None:
    with pytest.raises(si.InputError, match="position 1 is int 42"):
        si.locate(["北京市", 42])
    with pytest.raises(si.InputError, match="valid levels"):
        si.locate(["北京市"], level="city")
    with pytest.raises(si.InputError, match="frame\\['address'\\]"):
        si.locate(pd.DataFrame({"address": ["北京市"]}))


def test_cache_gives_the_same_answers_and_stays_bounded(testset) -> None:
    sample = testset["address"].iloc[::7].tolist()
    small = Locator(max_cache=50)
    a = [small.one(t, 1) for t in sample]
    fresh = [Locator().one(t, 1) for t in sample]
    assert a == fresh
    assert all(len(c) <= 50 for c in small._cache.values())
    # the signature cache is per level: the same text at two levels gives two answers
    loc = Locator()
    assert loc.one("江苏省鼓楼区", 0)[3] == "district_in_context"
    assert loc.one("江苏省鼓楼区", 1)[3] == "ambiguous"


def test_how_vocabulary() -> None:
    assert HOW == HOW_LOCATED + HOW_FAILED
    assert len(set(HOW)) == len(HOW)


def test_gazetteer_indexes_every_unit_of_the_layers() -> None:
    g = gazetteer()
    keys = set(g.keys)
    for level in ("province", "prefecture", "county"):
        layer = si.load_boundaries(level, simplified=True)
        missing = [n for n in layer["name"] if clean_text(n) not in keys]
        assert missing == [], (level, missing[:5])
    assert len(g.unit_codes(1)) == 375 and len(g.unit_codes(2)) == 2891


def test_county_history_points_to_layer_units() -> None:
    from importlib.resources import files

    with files("spatialinno").joinpath("_data", "county_code_history.csv").open("rb") as fh:
        hist = pd.read_csv(fh, dtype=str, keep_default_na=False)
    county = set(si.load_boundaries("county", simplified=True)["code"])
    prefecture = set(si.load_boundaries("prefecture", simplified=True)["code"])
    assert hist["year_ceased"].astype(int).between(2010, 2024).all()
    for row in hist.itertuples():
        assert set(filter(None, row.new_codes.split(";"))) <= county
        assert set(row.new_prefecture_codes.split(";")) <= prefecture
    zhabei = hist[hist["old_name"] == "闸北区"].iloc[0]
    assert (zhabei["new_codes"], zhabei["year_ceased"]) == ("310106", "2015")
