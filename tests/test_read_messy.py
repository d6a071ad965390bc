"""Tables as yearbooks and Excel really write them, and inputs that must fail with a clear message.

The files under ``tests/data/`` are built by ``tests/data/make_messy_tables.py`` from the bundled
real tables (province panel 2021, Zhao et al. Table 2, 2020 census); the expected values are those
source tables, read independently of ``read_table``.

* a yearbook sheet (.xlsx with merged cells, and the GBK CSV Excel saves from it): title row, unit
  row, a two-row merged header, a 全国 row and notes below the table;
* ``28.60%`` cells, decimal commas in a semicolon-separated file, 12-digit codes that Excel
  saved as ``1.101E+11``;
* empty files, files of blank lines, a folder, a text file or an old workbook renamed ``.xlsx``, a
  header without rows, an export path below a file, a negative seed.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import spatialinno as si
from spatialinno import DataWarning, ExportError, InputError
from spatialinno._validate import check_seed

DATA = Path(__file__).parent / "data"
YEARBOOK_XLSX = DATA / "messy_yearbook_rd_2021.xlsx"
YEARBOOK_CSV = DATA / "messy_yearbook_rd_2021_gbk.csv"
YEARBOOK_COLUMNS = {  # column name read_table must build -> province_panel column
    "R&D人员全时当量(人年)": "rd_fte_total_person_years",
    "R&D经费_内部支出(万元)": "rd_exp_total_10k_yuan",
    "R&D经费_投入强度(%)": "rd_intensity_pct",
    "专利申请受理数(件)_合计": "patent_app_total",
    "专利申请受理数(件)_发明": "patent_app_invention",
    "专利授权数(件)_合计": "patent_grant_total",
    "专利授权数(件)_发明": "patent_grant_invention",
}


def _read(path: Path, **kw: object) -> tuple[pd.DataFrame, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = si.read_table(path, **kw)
    return table, [str(w.message) for w in caught if issubclass(w.category, DataWarning)]


def _panel_2021() -> pd.DataFrame:
    panel = si.load_dataset("province_panel")
    return panel[panel["year"] == 2021].set_index("province")


# ------------------------------------------------------------------------------------------------
# a yearbook sheet: title, unit row, two-row merged header, notes
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [YEARBOOK_XLSX, YEARBOOK_CSV], ids=["xlsx", "gbk-csv"])
def test_yearbook_sheet_layout_is_detected_and_said(path: Path) -> None:
    table, notes = _read(path)
    assert table.columns.tolist() == ["地区", *YEARBOOK_COLUMNS]
    expected = _panel_2021()
    assert table["地区"].tolist() == expected.index.tolist()  # 全国 first, then 31 provinces
    for column, source in YEARBOOK_COLUMNS.items():
        got = table.set_index("地区")[column].astype(float)
        np.testing.assert_array_equal(got.to_numpy(), expected.loc[got.index, source].to_numpy())
    # what was detected is said, naming the rows as the spreadsheet numbers them
    assert table.attrs["header"] == [2, 3]
    assert table.attrs["sheet_rows"][:2] == (5, 6) and table.attrs["sheet_rows"][-1] == 36
    said = " | ".join(notes)
    assert "rows 1–2 skipped above the header" in said and "表 3-8" in said
    assert "header of 2 rows (rows 3–4) combined" in said
    assert "rows 38–39 below the table read as notes" in said and "注：R&D经费" in said
    assert list(table.attrs["notes"]) == notes and all(path.name in n for n in notes)


def test_yearbook_header_given_explicitly_reads_the_same() -> None:
    auto, _ = _read(YEARBOOK_XLSX)
    given, notes = _read(YEARBOOK_XLSX, header=[2, 3])
    pd.testing.assert_frame_equal(auto, given, check_like=False)
    assert not any("combined" in n and "found" in n for n in notes)
    with pytest.raises(InputError, match="header must be 'auto'"):
        si.read_table(YEARBOOK_XLSX, header=-1)


def test_yearbook_total_row_is_reported_by_the_join() -> None:
    table, _ = _read(YEARBOOK_XLSX)
    with pytest.raises(si.JoinError) as err:
        si.join_indicators(table, "province")
    assert "'全国' is a total row" in str(err.value)
    gdf = si.join_indicators(table[table["地区"] != "全国"], "province")
    assert gdf["R&D经费_投入强度(%)"].notna().sum() == 31


def test_plain_table_gives_no_layout_note(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("省份,专利\n北京,1\n天津,2\n", encoding="utf-8")
    table, notes = _read(path)
    assert notes == [] and table.attrs["header"] == [0] and table.attrs["sheet_rows"] == (2, 3)


def test_lone_column_name_and_blank_first_cell_are_not_layout(tmp_path: Path) -> None:
    # a header whose second column has no name is not a title; a data row without a region
    # name under a header with trailing separators is data, not a second header row
    path = tmp_path / "t.csv"
    path.write_text("城市,\n北京,1\n天津,2\n", encoding="utf-8")
    table, notes = _read(path)
    assert table.columns.tolist() == ["城市", "Unnamed: 1"] and notes == []
    path.write_text("城市,专利,,\n,5,,\n北京,1,,\n", encoding="utf-8")
    table, notes = _read(path)
    assert table.columns.tolist() == ["城市", "专利"] and table["专利"].tolist() == [5.0, 1.0]
    assert notes == []


def test_single_cell_region_row_at_the_bottom_is_data_not_a_note(tmp_path: Path) -> None:
    # a region without values at the end is a data row with missing values, not a footnote
    path = tmp_path / "t.csv"
    path.write_text("省份,专利\n北京,1\n天津,2\n西藏,\n注：西藏无数据。,\n", encoding="utf-8")
    table, notes = _read(path)
    assert table["省份"].tolist() == ["北京", "天津", "西藏"]
    assert any("row 5 below the table read as notes" in n for n in notes)


# ------------------------------------------------------------------------------------------------
# values as Excel writes them
# ------------------------------------------------------------------------------------------------
def test_percent_cells_are_read_as_fractions_and_said() -> None:
    table, notes = _read(DATA / "messy_capital_share_percent.csv")
    assert table["省会首位度"].tolist() == table["expected"].tolist()  # '28.60%' -> 0.286 exactly
    t2 = si.load_dataset("zhao2025_table2")
    assert table["expected"].tolist() == t2.loc[t2["year"] == 2021, "capital_share"].tolist()
    (note,) = notes
    assert "column '省会首位度'" in note and "26 cell(s)" in note and "'28.60%' -> 0.286" in note


def test_percent_mixed_with_plain_numbers_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("省份,占比\n北京,12.5%\n天津,0.3\n河北,0\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        si.read_table(path)
    message = str(err.value)
    assert "column '占比'" in message and "row 2: '12.5%'" in message and "row 3: '0.3'" in message


def test_decimal_comma_in_semicolon_file() -> None:
    table, notes = _read(DATA / "messy_rd_semicolon_decimal_comma.csv")
    p = _panel_2021().drop(index="全国")
    assert table["R&D经费投入强度(%)"].tolist() == p["rd_intensity_pct"].tolist()
    assert table["R&D经费(亿元)"].tolist() == p["rd_exp_100m_yuan_bulletin"].tolist()
    assert 2629.3 in table["R&D经费(亿元)"].tolist()  # written '2.629,3'
    (note,) = notes
    assert "decimal comma" in note and "';'" in note


def test_decimal_comma_and_point_in_one_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("省份;a;b\n北京;5,5;1.25\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"decimal comma \(column 'a', row 2: '5,5'\).*'1.25'"):
        si.read_table(path)
    assert si.read_table(path, decimal=",")["a"].tolist() == [5.5]


def test_codes_in_scientific_notation_are_refused_with_rows_and_hint() -> None:
    path = DATA / "messy_census_code12_excel.csv"
    with pytest.raises(InputError) as err:
        si.read_table(path)
    message = str(err.value)
    assert "column '统计用区划代码'" in message and "369 row(s)" in message
    assert "row 2: '1.101E+11'" in message and "110100 = 北京市" in message
    assert "only 4 of its 6 digits are certain" in message  # not a silent guess
    assert "Re-export the column as text" in message
    # the way out the message names: keep the column as text and join on names
    table = si.read_table(path, text_columns=["统计用区划代码"])
    assert table["统计用区划代码"].iloc[0] == "1.101E+11"
    gdf = si.join_indicators(table.drop(columns="统计用区划代码"), "prefecture")
    census = si.load_dataset("city_census")
    assert gdf["常住人口2020"].sum() == census["popu_2020"].sum()


def test_scientific_code_with_six_digits_names_the_unit(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("代码,v\n1.10101E+11,1\n4.40106E+11,2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        si.read_table(path)
    message = str(err.value)
    assert "if they were zeros: 110101 = 东城区 (county)" in message
    assert "440106 = 天河区 (county)" in message and "certain" not in message


# ------------------------------------------------------------------------------------------------
# clear errors instead of tracebacks
# ------------------------------------------------------------------------------------------------
def test_empty_blank_folder_and_header_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.csv"
    blank.write_text("\n \n\n", encoding="utf-8")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    header = tmp_path / "header.csv"
    header.write_text("省份,R&D人员\n", encoding="utf-8")
    book = tmp_path / "header.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["省份", "R&D人员"])
    wb.save(book)
    cases = {
        empty: ["empty.csv is empty (0 bytes)", "export the table again"],
        blank: ["blank.csv holds only blank lines (3 line(s))"],
        folder: ["folder.csv is a folder, not a table file"],
        header: ["header.csv has a header (2 column(s): 省份, R&D人员) but 0 data rows"],
        book: ["header.xlsx has a header (2 column(s): 省份, R&D人员) but 0 data rows"],
    }
    for path, fragments in cases.items():
        with pytest.raises(InputError) as err:
            si.read_table(path)
        for fragment in fragments:
            assert fragment in str(err.value), (path.name, str(err.value))
    with pytest.raises(InputError, match="the DataFrame has 0 rows"):
        si.read_table(pd.DataFrame({"省份": [], "v": []}))


def test_non_tables_renamed_xlsx(tmp_path: Path) -> None:
    text = tmp_path / "text.xlsx"
    text.write_text("省份,专利\n北京,1\n", encoding="utf-8")
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    html = tmp_path / "page.xlsx"
    html.write_text("<html><table><tr><td>北京</td></tr></table></html>", encoding="utf-8")
    other_zip = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    cases = {
        text: "text.xlsx cannot be read as an .xlsx workbook: it is not a workbook",
        old: "old.xlsx cannot be read as an .xlsx workbook: it is an old Excel 97-2003 workbook",
        html: "page.xlsx cannot be read as an .xlsx workbook: it is an HTML/XML page",
        other_zip: "archive.xlsx cannot be read as an .xlsx workbook: it is a zip archive but not",
    }
    for path, fragment in cases.items():
        with pytest.raises(InputError) as err:
            si.read_table(path)
        assert fragment in str(err.value), str(err.value)
        assert "save" in str(err.value).lower() or "rename" in str(err.value)


def test_export_below_an_existing_file(tmp_path: Path) -> None:
    notes = tmp_path / "some_file.txt"
    notes.write_text("mine", encoding="utf-8")
    gdf = si.load_boundaries("province")
    for target in (notes / "out.gpkg", notes / "deeper" / "out.shp"):
        with pytest.raises(ExportError) as err:
            si.export(gdf, target)
        assert f"{str(notes)!r} is a file, not a folder" in str(err.value)
    assert notes.read_text(encoding="utf-8") == "mine"


def test_negative_seed_is_refused_everywhere() -> None:
    with pytest.raises(InputError, match="seed must be a whole number >= 0"):
        check_seed(-1)
    with pytest.raises(InputError, match="not the boolean"):
        check_seed(True)
    assert check_seed(np.int64(3)).integers(1000) == np.random.default_rng(3).integers(1000)
    prov = si.load_boundaries("province").assign(v=np.arange(34.0))
    w = si.spatial_weights(prov)
    calls = {
        "moran": lambda: si.moran(prov, "v", w=w, permutations=9, seed=-1),
        "lisa": lambda: si.lisa(prov, "v", w=w, permutations=9, seed=-1),
        "hotspots": lambda: si.hotspots(prov, "v", w=w, permutations=9, seed=-1),
        "spatial_gini": lambda: si.spatial_gini(prov, "v", w=w, permutations=9, seed=-1),
    }
    for name, call in calls.items():
        with pytest.raises(InputError, match="seed must be a whole number >= 0"):
            call()
        assert name  # every entry point, same message


# ------------------------------------------------------------------------------------------------
# issue 15: missing values, bare-year headers, units that travel as labels
# ------------------------------------------------------------------------------------------------
def test_blank_cells_are_nan_in_every_column_type(tmp_path: Path) -> None:
    """A blank cell is NaN whatever its column holds: codes, names, numbers, free text (it was
    ``''`` in a text column and ``None`` in a code column)."""
    path = tmp_path / "blank.csv"
    path.write_text(
        "gb,地区,x,备注\n110000,北京市,1,\n,天津市,,待核\n130000,,3,\n", encoding="utf-8"
    )
    for table in (si.read_table(path), si.read_table(pd.read_csv(path, dtype=str))):
        assert table["gb"].tolist()[0] == "110000"
        for column, blank in (("gb", 1), ("地区", 2), ("x", 1), ("备注", 0), ("备注", 2)):
            value = table[column].iloc[blank]
            assert isinstance(value, float) and np.isnan(value), (column, blank, repr(value))
        assert table["备注"].iloc[1] == "待核" and table["x"].tolist()[::2] == [1.0, 3.0]


def _wide_patents(path: Path) -> pd.DataFrame:
    """Patent applications by province, one column per year headed by the bare year, newest
    first (as yearbook exports are written): 2013, 2012, 2011."""
    panel = si.load_dataset("province_panel")
    panel = panel[panel["gb"] != "156000000"]
    wide = panel.pivot(index="province", columns="year", values="patent_app_total")
    wide = wide[[2013, 2012, 2011]].rename(columns=str).rename_axis("地区").reset_index()
    wide.to_csv(path, index=False)
    return wide.set_index("地区")


def test_bare_year_headers_join_with_year(tmp_path: Path) -> None:
    """A wide table headed 2013, 2012, ... joins with year=2013 (each province's 2013 value)."""
    path = tmp_path / "wide.csv"
    wide = _wide_patents(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        gdf = si.join_indicators(path, "province", year=2013)
        earlier = si.join_indicators(path, "province", year=2011)
    report = gdf.attrs["join_report"]
    assert len(report.matched) == 31 and report.year == 2013
    assert "wide table: took 1 column(s) of 2013 (2013 -> value)" in report.notes
    got = gdf.dropna(subset=["value"]).set_index("name_short")["value"]
    want = wide["2013"].rename(lambda n: str(n).removesuffix("省"))
    assert len(got) == 31 and got.sum() == wide["2013"].sum()
    assert (
        got["广东"] == wide.loc["广东", "2013"] != earlier.set_index("name_short")["value"]["广东"]
    )
    assert want["北京"] == got["北京"]


def test_bare_year_headers_with_year_on_the_command_line(tmp_path: Path) -> None:
    """``--year 2013`` picks the 2013 column of the same table; the report's Gini is that of the
    2013 values."""
    from spatialinno import cli

    path = tmp_path / "wide.csv"
    wide = _wide_patents(path)
    out = tmp_path / "out"
    argv = ["analyze", str(path), "--level", "province", "--year", "2013", "--columns",
            "2013", "--permutations", "99", "--out", str(out), "--quiet"]  # fmt: skip
    assert cli.main(argv) == 0
    summary = pd.read_csv(out / "summary.csv", dtype={"indicator": str, "group": str})
    row = summary[(summary["measure"] == "gini") & summary["group"].isna()]
    assert row["value"].item() == pytest.approx(si.gini(wide["2013"].to_numpy()), abs=1e-12)


def test_unit_row_and_title_unit_become_labels(tmp_path: Path) -> None:
    """Units given in a second header row, or by the title line (（单位：万元）), are the columns'
    units wherever a column is shown; they travel through the join."""
    from spatialinno.styles import column_label

    rows = tmp_path / "units.csv"
    rows.write_text("地区,R&D经费,专利\n,万元,件\n北京市,100,5\n天津市,200,6\n", encoding="utf-8")
    table, notes = _read(rows)
    assert table["R&D经费"].tolist() == [100.0, 200.0]  # the unit row is not data
    assert any("holds units (R&D经费: 万元, 专利: 件)" in n for n in notes)
    joined = si.join_indicators(table, "province", on_unmatched="ignore")
    assert column_label("R&D经费", "zh", frame=table, unit=True) == "R&D经费（万元）"
    assert column_label("专利", "zh", frame=joined, unit=True) == "专利（件）"
    title = tmp_path / "title.csv"
    title.write_text(
        "2020年各省R&D经费（单位：万元）\n地区,R&D经费\n北京市,100\n天津市,200\n", encoding="utf-8"
    )
    table, notes = _read(title)
    assert column_label("R&D经费", "zh", frame=table, unit=True) == "R&D经费（万元）"
    assert any("the title says the unit is 万元" in n for n in notes)


def test_bundled_datasets_carry_labels_in_both_languages() -> None:
    """A bundled data set's columns have a readable label and unit in zh and en, kept by the
    join; a label the user gives is used instead."""
    from spatialinno.styles import column_label

    census = si.load_dataset("city_census")
    assert column_label("popu_2020", "zh", frame=census, unit=True) == "2020 年常住人口（人）"
    joined = si.join_indicators(census[["gb", "city", "province", "popu_2020"]], "prefecture")
    assert column_label("popu_2020", "en", frame=joined, unit=True) == (
        "Resident population 2020 (persons)"
    )
    panel = si.load_dataset("province_panel")
    assert column_label("patent_app_total", "zh", frame=panel, unit=True) == "专利申请量（件）"
    mine = si.with_labels(joined, {"popu_2020": "常住人口|万人"})
    assert column_label("popu_2020", "zh", frame=mine, unit=True) == "常住人口（万人）"
