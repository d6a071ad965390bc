"""match_regions / join_indicators / aggregate on the bundled real tables and messy copies of them.

The reference for every match is independent of spatialinno: the bundled city tables carry a
``gb`` column keyed by their curator (``match_how`` says how), and the messy tables in
tests/data/ (built by tests/data/make_messy_tables.py) keep that code as ``expected_code``.
Aggregation is checked against a plain loop and against the NBS year-end population.
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import spatialinno as si
from spatialinno import ColumnError, DataWarning, InputError, JoinError
from spatialinno.boundaries.names import to_simplified
from spatialinno.tables.join import HOW

DATA = Path(__file__).parent / "data"


def _quiet_join(*args: object, **kwargs: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return si.join_indicators(*args, **kwargs)


def _expected(table: pd.DataFrame) -> pd.Series:
    """Curator's code of each row (the 9-digit gb without 156), None where it has none."""
    return table["gb"].str[3:].where(table["gb"].notna(), None)


# ------------------------------------------------------------------------------------------
# real tables (the done-when list)
# ------------------------------------------------------------------------------------------
def test_census_joins_every_row_by_code() -> None:
    census = si.load_dataset("city_census")
    gdf = si.join_indicators(census, level="prefecture")
    report = gdf.attrs["join_report"]
    assert report.complete and report.how_counts == {"code9": 369}
    assert report.key[0] == "gb" and report.province_key == "province_code"
    layer = si.load_boundaries("prefecture")
    assert gdf["code"].tolist() == layer["code"].tolist()  # all units, layer order
    assert gdf.crs.to_epsg() == 4490
    assert gdf["popu_2020"].notna().sum() == census["popu_2020"].notna().sum() == 359
    # the 6 units without data are the three Gansu reserves, two Xinjiang towns founded after
    # 2020 and Taiwan
    assert sorted(report.units_without_data["code"]) == [
        "629700",
        "629800",
        "629900",
        "659011",
        "659012",
        "710000",
    ]
    guangzhou = census.loc[census["city"] == "广州市", "popu_2020"].item()
    assert gdf.loc[gdf["code"] == "440100", "popu_2020"].item() == guangzhou


def test_census_city_codes_without_gb_agree_with_curator() -> None:
    census = si.load_dataset("city_census")
    matches = si.match_regions(census.drop(columns=["gb", "match_how"]), level="prefecture")
    assert matches.attrs["key"][0] == "city_code"
    assert matches["how"].value_counts().to_dict() == {"code": 365, "city_code": 4}
    assert (matches["code"] == _expected(census)).all()
    municipal = matches[matches["how"] == "city_code"]
    assert sorted(municipal["code"]) == ["110000", "120000", "310000", "500000"]


def test_cn_public_joins_all_rows_but_laiwu() -> None:
    public = si.load_dataset("city_cn_public_2016").drop(columns=["gb", "match_how"])
    with pytest.warns(DataWarning, match="莱芜"):
        gdf = si.join_indicators(public, level="prefecture")
    report = gdf.attrs["join_report"]
    assert len(report.matched) == 274
    assert report.unmatched["value"].tolist() == ["371200"]
    laiwu = report.unmatched.iloc[0]
    assert laiwu["how"] == "defunct"
    assert "merged into 济南市 (370100)" in laiwu["note"]
    assert "国函〔2018〕163号" in laiwu["note"] and "double-count" in laiwu["note"]
    assert laiwu["candidates"] == ("济南市 (370100, 山东省)",)
    # agreement with the curator's independent keying of every other row
    expected = _expected(si.load_dataset("city_cn_public_2016"))
    got = si.match_regions(public, level="prefecture")["code"]
    assert (got == expected).sum() == 274 and expected.isna().sum() == 1
    # Jinan keeps its own figure: Laiwu is not added by default
    jinan = public.loc[public["cityId"] == "370100", "GDP"].item()
    assert gdf.loc[gdf["code"] == "370100", "GDP"].item() == jinan


def test_merge_history_adds_laiwu_to_jinan() -> None:
    public = si.load_dataset("city_cn_public_2016")
    gdf = si.join_indicators(public, level="prefecture", key="cityId", merge_history=True)
    report = gdf.attrs["join_report"]
    assert report.complete and report.how_counts["history"] == 1
    rows = public.set_index("cityId")
    for column in ("GDP", "Patent", "Res_pop"):
        expected = rows.loc["370100", column] + rows.loc["371200", column]
        assert gdf.loc[gdf["code"] == "370100", column].item() == pytest.approx(expected)
    assert any("added to 370100" in n for n in report.notes)


def test_yearbook_2015_joins_by_full_name() -> None:
    yearbook = si.load_dataset("city_yearbook_2015")
    table = yearbook.drop(columns=["gb", "match_how"])
    gdf = _quiet_join(table, level="prefecture", year=2015)
    report = gdf.attrs["join_report"]
    assert report.key == ("city",)
    assert report.how_counts == {"name": 278, "defunct": 1}
    assert report.unmatched["value"].tolist() == ["莱芜市"]
    got = si.match_regions(table, level="prefecture")["code"]
    assert (got == _expected(yearbook)).sum() == 278
    assert gdf["GDP10000"].notna().sum() == 278


def test_province_panel_all_31_provinces_every_year() -> None:
    panel = si.load_dataset("province_panel")
    panel = panel[panel["province"] != "全国"]
    gdf = si.join_indicators(panel, level="province")
    years = sorted(panel["year"].unique())
    assert len(gdf) == 34 * len(years)  # balanced: every unit in every year
    counts = gdf.groupby("year")["gdp_100m_yuan"].count()
    assert (counts == 31).all() and counts.index.tolist() == years
    rd = gdf[gdf["year"].between(2010, 2023)].groupby("year")["rd_fte_total_person_years"].count()
    assert (rd == 31).all()
    one = si.join_indicators(panel, level="province", year=2021)
    assert len(one) == 34 and "year" not in one.columns
    assert one.attrs["join_report"].year == 2021
    expected = panel[(panel["year"] == 2021) & (panel["province"] == "广东")]
    got = one.loc[one["code"] == "440000", "rd_exp_total_10k_yuan"].item()
    assert got == expected["rd_exp_total_10k_yuan"].item()


def test_national_total_row_is_reported_not_joined() -> None:
    panel = si.load_dataset("province_panel")
    with pytest.raises(JoinError) as err:
        si.join_indicators(panel, level="province", year=2020)
    report = err.value.report
    assert len(report.unmatched) == 1 and "national total" in report.unmatched.iloc[0]["note"]
    assert "national total" in str(err.value)


# ------------------------------------------------------------------------------------------
# messy tables built from the real ones
# ------------------------------------------------------------------------------------------
def test_short_names_with_spaces_fullwidth_and_traditional() -> None:
    table = si.read_table(DATA / "messy_short_names.csv")
    expected = table.pop("expected_code")
    assert any("\u3000" in v for v in table["城市"])
    assert sum(to_simplified(v) != v for v in table["城市"]) >= 5  # traditional characters
    matches = si.match_regions(table, level="prefecture")
    assert (matches["code"] == expected).all()
    assert set(matches["how"]) == {"short_name"}
    patents = si.load_dataset("city_cn_public_2016")["Patent"].head(120).astype(float)
    assert table["专利授权数"].tolist() == patents.tolist()  # "１０６，４９９" -> 106499


def test_english_names() -> None:
    table = si.read_table(DATA / "messy_english.csv")
    expected = table.pop("expected_code")
    matches = si.match_regions(table, level="prefecture")
    assert (matches["code"] == expected).all() and set(matches["how"]) == {"english"}
    # the layer tells same-sounding cities apart with a remark; both spellings work
    by_value = dict(zip(table["City"], matches["code"], strict=True))
    assert by_value["TAIZHOU(JS)"] == "321200" and by_value["Taizhou(ZJ) City"] == "331000"


def test_gbk_yearbook_csv() -> None:
    table = si.read_table(DATA / "messy_yearbook_2015_gbk.csv")
    assert table.attrs["encoding"] == "gbk"
    expected = table.pop("expected_code")
    gdf = _quiet_join(table, level="prefecture", year=2015)
    report = gdf.attrs["join_report"]
    assert report.how_counts == {"name": 278, "defunct": 1}
    assert (si.match_regions(table, "prefecture")["code"] == expected).sum() == 278
    original = si.load_dataset("city_yearbook_2015").set_index("city")["GDP10000"]
    got = gdf.set_index("name")["地区生产总值(万元)"].dropna()
    assert len(got) == 278 and (got == original.reindex(got.index)).all()


def test_twelve_digit_codes() -> None:
    table = si.read_table(DATA / "messy_census_code12.csv")
    assert table["统计用区划代码"].str.len().eq(12).all()
    gdf = si.join_indicators(table, level="prefecture", year=2020)
    report = gdf.attrs["join_report"]
    assert report.how_counts == {"code12": 369}
    assert gdf.loc[gdf["code"] == "440100", "常住人口"].item() == 18676605.0
    assert any("常住人口2020 -> 常住人口" in n for n in report.notes)


def test_pre_2015_codes_and_names_map_to_todays_units() -> None:
    table = si.read_table(DATA / "messy_pre2015_codes.csv")
    expected = table.pop("expected_code")
    by_code = si.match_regions(table, level="prefecture", key="code")
    assert (by_code["code"] == expected).all() and set(by_code["how"]) == {"history"}
    turpan = by_code.iloc[0]["note"]
    assert "吐鲁番地区 (652100) became 吐鲁番市 (650400)" in turpan and "国函〔2015〕52号" in turpan
    by_name = si.match_regions(table.drop(columns="code"), level="prefecture")
    # 儋州市 keeps its name, so by name it is simply today's 儋州市
    assert (by_name["code"] == expected).all()
    assert by_name["how"].tolist() == ["history"] * 4 + ["name", "history", "history"]
    gdf = si.join_indicators(table, level="prefecture", key="code", year=2010)
    assert gdf.loc[gdf["code"] == "650400", "常住人口"].item() == 622903.0  # 吐鲁番地区 in 2010
    assert gdf["常住人口"].notna().sum() == 7


def test_duplicated_row_raises_listing_it() -> None:
    table = si.read_table(DATA / "messy_short_names.csv").drop(columns="expected_code")
    table = pd.concat([table, table.iloc[[5]]], ignore_index=True)
    assert table.loc[5, "城市"] == "天津"
    with pytest.raises(InputError) as err:
        si.join_indicators(table, level="prefecture")
    message = str(err.value)
    assert "天津市 (120000): rows 5, 120 ('天津', '天津')" in message
    assert "more than one table row" in message


def test_same_region_twice_in_a_year_of_a_long_panel() -> None:
    panel = si.load_dataset("province_panel")
    panel = panel[panel["province"] != "全国"]
    extra = panel[(panel["province"] == "浙江") & (panel["year"] == 2019)].assign(gb="330000")
    panel = pd.concat([panel, extra])
    with pytest.raises(InputError, match=r"浙江省 \(330000\) in 2019: rows"):
        si.join_indicators(panel, level="province")


def test_misspelt_name_error_lists_closest_names() -> None:
    table = pd.DataFrame({"城市": ["深圳市", "广洲市", "苏洲"], "专利": [93805, 60014, 52962]})
    with pytest.raises(JoinError) as err:
        si.join_indicators(table, level="prefecture")
    report = err.value.report
    assert report.unmatched["value"].tolist() == ["广洲市", "苏洲"]
    assert "广州市 (440100, 广东省)" in report.unmatched.iloc[0]["candidates"]
    assert report.unmatched.iloc[1]["candidates"][0] == "苏州市 (320500, 江苏省)"
    assert "closest: 广州市 (440100, 广东省)" in str(err.value)
    with pytest.warns(DataWarning, match="广洲市"):
        gdf = si.join_indicators(table, level="prefecture", on_unmatched="warn")
    assert gdf["专利"].notna().sum() == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        si.join_indicators(table, level="prefecture", on_unmatched="ignore")


# ------------------------------------------------------------------------------------------
# ambiguity, levels, keys
# ------------------------------------------------------------------------------------------
def test_jilin_depends_on_level() -> None:
    table = pd.DataFrame({"name": ["吉林"]})
    assert si.match_regions(table, "province")["code"].item() == "220000"
    assert si.match_regions(table, "prefecture")["code"].item() == "220200"


def test_shared_county_names_need_a_province() -> None:
    table = pd.DataFrame({"county": ["朝阳区", "朝阳区", "东城区"]})
    matches = si.match_regions(table, level="county")
    assert matches["how"].tolist() == ["ambiguous", "ambiguous", "name"]
    assert matches.iloc[0]["candidates"] == (
        "朝阳区 (110105, 北京市)",
        "朝阳区 (220104, 吉林省 长春市)",
    )
    table["省份"] = ["北京", "吉林省", "北京市"]
    matches = si.match_regions(table, level="county")
    assert matches.attrs["province_key"] == "省份"
    assert matches["code"].tolist() == ["110105", "220104", "110101"]
    # a province that does not have that county is reported, not silently re-matched
    wrong = si.match_regions(pd.DataFrame({"county": ["朝阳区"], "省份": ["河北"]}), "county")
    assert wrong["how"].item() == "unmatched" and "only outside" in wrong["note"].item()


def test_county_names_within_a_province_need_the_prefecture() -> None:
    table = pd.DataFrame({"区县": ["市中区", "市中区"], "省份": ["山东", "山东"]})
    assert set(si.match_regions(table, "county")["how"]) == {"ambiguous"}
    table["城市"] = ["济南市", "枣庄"]
    matches = si.match_regions(table, "county")
    assert matches["code"].tolist() == ["370103", "370402"]


def test_every_county_name_with_its_province_is_recognised() -> None:
    layer = pd.DataFrame(si.load_boundaries("county").drop(columns="geometry"))
    start = time.perf_counter()
    matches = si.match_regions(layer[["name", "province"]], level="county")
    elapsed = time.perf_counter() - start
    found = matches["how"] == "name"
    assert (matches.loc[found, "code"] == layer.loc[found, "code"]).all()
    # what stays ambiguous are names repeated inside one province (桥西区 in 石家庄 and 张家口)
    twins = layer[layer.duplicated(["name", "province"], keep=False)]
    assert set(matches.index[~found]) == set(twins.index) and len(twins) == 16
    assert elapsed < 10


def test_same_sounding_cities_resolved_by_province() -> None:
    table = pd.DataFrame({"city": ["Taizhou", "Taizhou", "Suzhou (Anhui)"]})
    matches = si.match_regions(table, "prefecture")
    assert matches["how"].tolist()[:2] == ["ambiguous", "ambiguous"]
    assert matches["code"].iloc[2] == "341300"  # the remark names the province
    table["province"] = ["Jiangsu", "浙江", "安徽"]
    assert si.match_regions(table, "prefecture")["code"].tolist() == ["321200", "331000", "341300"]


def test_province_spellings() -> None:
    values = [
        "Inner Mongolia",
        "内蒙古自治区",
        "内蒙古",
        "Guangdong Province",
        "廣東",
        "Tibet",
        "新疆维吾尔自治区",
        "Guangxi Zhuang Autonomous Region",
        "粤",
        "陕西",
        "Shaanxi",
        "Shanxi",
        "Hong Kong SAR",
    ]
    matches = si.match_regions(pd.DataFrame({"province": values}), "province")
    assert matches["code"].tolist() == [
        "150000",
        "150000",
        "150000",
        "440000",
        "440000",
        "540000",
        "650000",
        "450000",
        "440000",
        "610000",
        "610000",
        "140000",
        "810000",
    ]
    assert matches["how"].tolist()[:5] == ["english", "name", "short_name", "english", "short_name"]
    assert matches["how"].iloc[8] == "alias"


def test_all_provinces_by_english_and_pinyin_names() -> None:
    ref = si.provinces(mainland_only=True)
    for column in ("name_en", "name_pinyin"):
        matches = si.match_regions(ref[[column]].rename(columns={column: "name"}), "province")
        assert (matches["code"] == ref["code"]).all(), column


def test_every_prefecture_by_name_and_short_name() -> None:
    units = si.prefecture_units()  # the curated short names (GB/T 2260 reference table)
    for column, how in (("name", "name"), ("name_short", "short_name")):
        matches = si.match_regions(units[[column]].rename(columns={column: "city"}), "prefecture")
        ok = matches["code"] == units["code"]
        assert ok.all(), units.loc[~ok, column].tolist()
        assert (matches["how"] == how).mean() > 0.95


def test_codes_in_every_form() -> None:
    values = [440100, "440100", "156440100", "440100000000", " ４４０１００ ", 440100.0, "4401"]
    matches = si.match_regions(pd.DataFrame({"code": values}), "prefecture")
    assert set(matches["code"]) == {"440100"}
    assert matches["how"].tolist() == ["code", "code", "code9", "code12", "code", "code", "code"]
    cities = si.match_regions(pd.DataFrame({"code": ["110100", "500200", "310100"]}), "prefecture")
    assert cities["code"].tolist() == ["110000", "500000", "310000"]
    assert set(cities["how"]) == {"city_code"}


def test_wrong_level_is_explained() -> None:
    prefecture = si.match_regions(
        pd.DataFrame({"city": ["广东省", "440000", "440106", "440106001000"]}), "prefecture"
    )
    assert set(prefecture["how"]) == {"unmatched"}
    notes = prefecture["note"].tolist()
    assert "use level='province'" in notes[0] and "province code" in notes[1]
    assert "county-level code" in notes[2] and "township or village" in notes[3]
    province = si.match_regions(pd.DataFrame({"code": ["440100"]}), "province")
    assert "prefecture code; use level='prefecture'" in province["note"].item()


def test_key_override_and_fallback() -> None:
    public = si.load_dataset("city_cn_public_2016")
    by_english = si.match_regions(public, "prefecture", key="cityName_EN")
    assert by_english.attrs["key"] == ("cityName_EN",)
    assert by_english["how"].value_counts().to_dict() == {"english": 274, "defunct": 1}
    # an unknown code falls back to the name column, and the note says so
    table = pd.DataFrame({"code": ["999999", None], "name": ["广州", "深圳"]})
    matches = si.match_regions(table, "prefecture", key=["code", "name"])
    assert matches["code"].tolist() == ["440100", "440300"]
    assert matches["key"].tolist() == ["name", "name"]
    assert "code='999999'" in matches["note"].iloc[0]
    # a code and a name that point at different units: the code decides, the note says so
    clash = si.match_regions(pd.DataFrame({"code": ["440300"], "city": ["广州"]}), "prefecture")
    assert clash["code"].item() == "440300"
    assert "but city='广州' is 广州市 (440100, 广东省)" in clash["note"].item()
    with pytest.raises(ColumnError, match="'城市' not found"):
        si.match_regions(table, "prefecture", key="城市")


def test_no_key_column() -> None:
    with pytest.raises(ColumnError, match="no column of the table identifies prefecture units"):
        si.match_regions(pd.DataFrame({"gdp": [1.0], "x": ["foo"]}), "prefecture")


def test_bad_arguments() -> None:
    table = pd.DataFrame({"city": ["广州"], "v": [1.0]})
    with pytest.raises(InputError, match="unknown level 'city'"):
        si.match_regions(table, "city")
    with pytest.raises(InputError, match="on_unmatched"):
        si.join_indicators(table, "prefecture", on_unmatched="drop")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="no year column"):
        si.join_indicators(table, "prefecture", year=2020)


def test_wide_panel_year_selection() -> None:
    table = si.read_table(DATA / "messy_province_rd_wide.xlsx")
    gdf = si.join_indicators(table, level="province", year=2020)
    panel = si.load_dataset("province_panel")
    expected = panel[panel["year"] == 2020].set_index("province")["rd_fte_total_person_years"]
    got = gdf.set_index("name_short")["R&D人员全时当量"].dropna()
    assert len(got) == 31 and (got == expected.reindex(got.index)).all()
    with pytest.raises(InputError, match="carry the years 2019, 2020, 2021"):
        si.join_indicators(table, level="province", year=2018)
    wide = si.join_indicators(table, level="province")
    assert {"2019年R&D人员全时当量", "2021年R&D人员全时当量"} <= set(wide.columns)


def test_long_panel_missing_year() -> None:
    panel = si.load_dataset("zhao2025_table2")
    with pytest.raises(InputError, match=r"no rows for year 2020.*2012, 2015, 2018, 2021, 2023"):
        si.join_indicators(panel, level="province", year=2020)
    gdf = si.join_indicators(panel, level="province", year=2018)
    assert gdf["capital_share"].notna().sum() == 26


def test_long_panel_row_without_year() -> None:
    panel = si.load_dataset("zhao2025_table2")
    panel["year"] = panel["year"].astype("Int64")
    panel.loc[3, "year"] = pd.NA
    with pytest.raises(InputError, match=r"no value in the year column 'year': rows 3"):
        si.join_indicators(panel, level="province")


def test_column_clash_is_renamed_and_reported() -> None:
    table = pd.DataFrame({"code": ["440100"], "name": ["x"], "region": ["华南"], "v": [1.0]})
    gdf = si.join_indicators(table, "prefecture", key="code")
    assert gdf.loc[gdf["code"] == "440100", "region_table"].item() == "华南"
    assert gdf.loc[gdf["code"] == "440100", "region"].item() == "east"
    assert any("_table" in n for n in gdf.attrs["join_report"].notes)


def test_path_input(tmp_path: Path) -> None:
    gdf = _quiet_join(DATA / "messy_yearbook_2015_gbk.csv", level="prefecture")
    assert gdf.attrs["join_report"].how_counts["name"] == 278


# ------------------------------------------------------------------------------------------
# JoinReport
# ------------------------------------------------------------------------------------------
def test_join_report_object() -> None:
    public = si.load_dataset("city_cn_public_2016")
    report = _quiet_join(public, level="prefecture", key="cityId").attrs["join_report"]
    assert isinstance(report, si.JoinReport)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.level = "province"  # type: ignore[misc]
    assert repr(report) == (
        "JoinReport(level='prefecture', key=('cityId',), year=None, rows=275, matched=274, "
        "unmatched=1, units_without_data=101/375)"
    )
    text = report.summary()
    assert "275 table rows: 274 matched (code 270, city_code 4), 1 not matched (defunct 1)" in text
    assert "row 122: cityId='371200' defunct" in text and "successors: 济南市" in text
    frame = report.to_frame()
    assert len(frame) == 275 and frame.loc[122, "row"] == 122
    assert set(frame["how"]) <= set(HOW)
    assert len(report.units_without_data) == 101 and not report.complete


def test_joined_frame_keeps_working_with_pandas() -> None:
    # pandas compares attrs on merge/concat; the report must not break either
    gdf = _census_gdf()
    merged = gdf.merge(gdf[["code", "popu_2010"]], on="code", suffixes=("", "_again"))
    assert len(merged) == 375
    both = pd.concat([gdf, gdf])
    assert len(both) == 750
    assert gdf[gdf["popu_2020"] > 1e7].attrs["join_report"].level == "prefecture"


# ------------------------------------------------------------------------------------------
# aggregate
# ------------------------------------------------------------------------------------------
def _census_gdf() -> pd.DataFrame:
    census = si.load_dataset("city_census")
    return si.join_indicators(census[["gb", "popu_2020", "popu_2010"]], level="prefecture")


def test_aggregate_matches_a_plain_loop() -> None:
    gdf = _census_gdf()
    with pytest.warns(DataWarning, match="新疆维吾尔自治区|650000"):
        provinces = si.aggregate(gdf, ["popu_2020", "popu_2010"], to="province")
    assert len(provinces) == 34 and provinces.crs.to_epsg() == 4490
    sums: dict[str, float] = {}
    incomplete: set[str] = set()
    for code, value, unit_type in zip(gdf["code"], gdf["popu_2020"], gdf["unit_type"], strict=True):
        if unit_type == "other":
            continue
        parent = code[:2] + "0000"
        if np.isnan(value):
            incomplete.add(parent)
        sums[parent] = sums.get(parent, 0.0) + (0.0 if np.isnan(value) else value)
    got = provinces.set_index("code")["popu_2020"]
    for code, total in sums.items():
        if code in incomplete:
            assert np.isnan(got[code]), code
        else:
            assert got[code] == pytest.approx(total), code
    assert incomplete == {"650000", "710000"}
    xinjiang = provinces.set_index("code").loc["650000"]
    assert xinjiang["n_missing"] == 12 and xinjiang["n_units"] == 26


def test_aggregate_skipna_and_cross_check_with_nbs_population() -> None:
    gdf = _census_gdf()
    with pytest.warns(DataWarning, match="left out of the totals"):
        provinces = si.aggregate(gdf, "popu_2020", to="province", skipna=True)
    panel = si.load_dataset("province_panel")
    nbs = panel[panel["year"] == 2020].set_index("gb")["pop_yearend_10k"] * 1e4
    both = provinces[provinces["n_missing"] == 0].copy()
    both["nbs"] = ("156" + both["code"]).map(nbs)
    both = both.dropna(subset=["nbs"])
    rel = (both["popu_2020"] / both["nbs"] - 1).abs()
    # census (1 Nov) vs year-end estimate: within 0.2% for the median province, 3.5% for all
    assert len(both) == 30 and rel.median() < 0.002 and rel.max() < 0.035


def test_aggregate_panel_per_year_and_mean() -> None:
    table = si.read_table(DATA / "messy_census_code12.csv")
    census = si.match_regions(table, "prefecture")
    long = pd.concat(
        [
            pd.DataFrame({"code": census["code"], "year": 2010, "pop": table["常住人口2010"]}),
            pd.DataFrame({"code": census["code"], "year": 2020, "pop": table["常住人口2020"]}),
        ]
    )
    gdf = si.join_indicators(long, "prefecture")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        out = si.aggregate(gdf, "pop", to="province", skipna=True)
        mean = si.aggregate(gdf, "pop", to="province", how="mean", skipna=True)
    assert len(out) == 68 and out["year"].tolist() == [2010] * 34 + [2020] * 34
    guangdong = table[census["code"].str.startswith("44")]
    got = out[(out["code"] == "440000")].set_index("year")["pop"]
    assert (
        got[2010] == guangdong["常住人口2010"].sum()
        and got[2020] == guangdong["常住人口2020"].sum()
    )
    gd_mean = mean[(mean["code"] == "440000") & (mean["year"] == 2020)]["pop"].item()
    assert gd_mean == pytest.approx(guangdong["常住人口2020"].mean())


def test_aggregate_counties_to_prefectures() -> None:
    layer = pd.DataFrame(si.load_boundaries("county").drop(columns="geometry"))
    layer["one"] = 1.0
    out = si.aggregate(layer, "one", to="prefecture")
    counts = layer[layer["unit_type"] != "other"].groupby("prefecture_code").size()
    got = out.set_index("code")["one"].dropna()
    assert (got == counts.reindex(got.index)).all()


def test_aggregate_bad_input() -> None:
    gdf = _census_gdf()
    with pytest.raises(InputError, match="how must be"):
        si.aggregate(gdf, "popu_2020", how="median")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="'name' is not numeric"):
        si.aggregate(gdf, "name")
    with pytest.raises(ColumnError, match="'prefecture_code'"):
        si.aggregate(gdf, "popu_2020", to="prefecture")
    with pytest.raises(ColumnError, match="'gdp'"):
        si.aggregate(gdf, "gdp")


# ------------------------------------------------------------------------------------------
# name normalisation (spatialinno.boundaries.names)
# ------------------------------------------------------------------------------------------
def test_traditional_map_never_changes_a_simplified_region_name() -> None:
    # the map is generated from the layers' own characters; applying it to every official name
    # must be the identity, or it would corrupt names it is meant to repair
    for level in ("province", "prefecture", "county"):
        names = si.load_boundaries(level)["name"]
        changed = [n for n in names if to_simplified(n) != n]
        assert changed == [], (level, changed[:5])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("烏魯木齊市", "乌鲁木齐市"),
        ("廣東省", "广东省"),
        ("遼寧", "辽宁"),
        ("張家口", "张家口"),
        ("黑龍江省", "黑龙江省"),
        ("臺灣", "台湾"),
    ],
)
def test_traditional_names(raw: str, expected: str) -> None:
    from spatialinno.boundaries.names import normalize

    assert normalize(raw) == expected


def test_suffix_stripping_on_every_autonomous_prefecture() -> None:
    from spatialinno.boundaries.names import normalize, strip_suffix

    units = si.prefecture_units()
    auto = units[units["unit_type"] == "autonomous_prefecture"]
    assert len(auto) == 30
    got = [strip_suffix(normalize(n)) for n in auto["name"]]
    assert got == auto["name_short"].tolist()  # curated short names of the reference table


def test_english_normalisation() -> None:
    from spatialinno.boundaries.names import normalize_en

    assert normalize_en("Guangdong Province") == normalize_en("GUANGDONG") == "guangdong"
    assert normalize_en("Xi'an City") == "xian" and normalize_en("Xian") == "xian"
    assert normalize_en("Ningxia Hui Autonomous Region") == "ningxia"
    assert normalize_en("Ürümqi") == "urumqi"


def test_history_by_english_name_alias_and_split() -> None:
    table = pd.DataFrame({"city": ["思茅市", "Xiangfan", "Laiwu", "469031", "Chaohu"]})
    matches = si.match_regions(table, "prefecture")
    assert matches["code"].tolist() == ["530800", "420600", None, "460300", None]
    assert matches["how"].tolist() == ["alias", "history", "defunct", "history", "defunct"]
    assert "was renamed 襄阳市 (420600) on 2010-11-26" in matches["note"].iloc[1]
    chaohu = matches.iloc[4]
    assert "split among 合肥市 (340100), 芜湖市 (340200), 马鞍山市 (340500)" in chaohu["note"]
    assert len(chaohu["candidates"]) == 3
    # a split unit cannot be added to one successor even when asked to
    merged = si.match_regions(table, "prefecture", merge_history=True)
    assert merged["how"].tolist()[2:] == ["history", "history", "defunct"]
    assert merged["merged"].tolist() == [False, False, True, False, False]


# ------------------------------------------------------------------------------------------
# issue 15: names as cleaned tables write them; coherent counts of units without a value
# ------------------------------------------------------------------------------------------
def test_autonomous_prefectures_match_without_zizhizhou() -> None:
    """Every autonomous prefecture (自治州) matches when a cleaned table writes it with its ethnic
    designation but without 自治州 (延边朝鲜族) or with a bare 州 (恩施州); before issue 15 these
    were listed as unmatched with the right unit as the first candidate."""
    layer = si.load_boundaries("prefecture")
    aut = layer[layer["name"].str.endswith("自治州")]
    assert len(aut) == 30  # every autonomous prefecture of the layer
    rows = []
    for code, name, short in zip(aut["code"], aut["name"], aut["name_short"], strict=True):
        rows += [(name.removesuffix("自治州"), code), (f"{short}州", code)]
    table = pd.DataFrame({"地区": [r[0] for r in rows], "x": range(len(rows))})
    got = si.match_regions(table, "prefecture")
    assert dict(zip(got["value"], got["code"], strict=True)) == dict(rows)
    assert {"延边朝鲜族", "恩施州", "湘西州", "甘孜藏族"} <= set(got["value"])
    assert not got["how"].isin(["unmatched", "ambiguous"]).any()


def test_no_table_row_and_empty_cell_are_counted_apart_and_agree_everywhere() -> None:
    """The 2020 census joined to prefectures: 6 units have no table row and 10 a row with an
    empty cell; the join report, gini_by and capital_share name the same 16 units (before
    issue 15 the demo's report said 6, gini_by 16 and capital_share 15)."""
    census = si.load_dataset("city_census")[["gb", "city", "province", "popu_2020"]]
    gdf = _quiet_join(census, "prefecture")
    report = gdf.attrs["join_report"]
    without = report.without_value("popu_2020")
    assert without["why"].value_counts().to_dict() == {"empty cell": 10, "no row": 6}
    assert set(without.loc[without["why"] == "no row", "code"]) == set(
        report.units_without_data["code"]
    )
    empty = set(without.loc[without["why"] == "empty cell", "code"])
    assert empty == set(gdf.loc[gdf["popu_2020"].isna(), "code"]) - set(
        report.units_without_data["code"]
    )
    assert {"659001", "659010"} <= empty  # Xinjiang's county-level cities: empty in the census
    want = {f"{n} ({c})" for n, c in zip(without["name"], without["code"], strict=True)}
    for measure in (si.gini_by, si.capital_share):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            measure(gdf, "popu_2020")
        notes = [w.message.args[0] for w in caught if issubclass(w.category, DataWarning)]
        left = [n for n in notes if getattr(n, "key", "") == "left_out"]
        assert len(left) == 1, (measure.__name__, notes)
        assert left[0].params["reason"] == "value"
        assert set(left[0].params["units"]) == want, measure.__name__
        assert str(left[0]).startswith(f"{measure.__name__}: 16 unit(s) without a value")


def test_gini_by_province_names_its_groups() -> None:
    """gini_by(by="province") is indexed by the province names (they were all <NA>)."""
    census = si.load_dataset("city_census")[["gb", "city", "province", "popu_2020"]]
    gdf = _quiet_join(census, "prefecture")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        by_name = si.gini_by(gdf, "popu_2020", by="province")
        by_code = si.gini_by(gdf, "popu_2020")
    assert by_name.index.notna().all() and "广东省" in by_name.index
    assert by_name.loc["广东省", "popu_2020"] == by_code.loc["440000", "popu_2020"]
