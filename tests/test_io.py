"""read_table: encodings, workbooks, numbers as Chinese spreadsheets write them, code columns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import spatialinno as si
from spatialinno import InputError
from spatialinno.tables.read import ENCODINGS, is_code_column, parse_numeric_columns

DATA = Path(__file__).parent / "data"

# A real slice of the 2015 city yearbook (GDP and budget revenue in 10,000 yuan).
ROWS = [("金昌市", "620300", 2245163, 184743), ("儋州市", "460400", 2317313, 160331)]


def _csv_text(extra_note: str = "") -> str:
    lines = ["城市,行政区划代码,地区生产总值(万元),一般公共预算收入(万元),备注"]
    for name, code, gdp, fiscal in ROWS:
        lines.append(f'{name},{code},"{gdp:,}",{fiscal},{extra_note or "无"}')
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk"), ("utf-16", "utf-16")],
)
def test_encoding_is_detected(tmp_path: Path, encoding: str, expected: str) -> None:
    path = tmp_path / "yearbook.csv"
    path.write_bytes(_csv_text().encode(encoding))
    table = si.read_table(path)
    assert table.attrs["encoding"] == expected
    assert table["城市"].tolist() == ["金昌市", "儋州市"]
    assert table["地区生产总值(万元)"].tolist() == [2245163.0, 2317313.0]


def test_gb18030_only_characters_fall_through_gbk(tmp_path: Path) -> None:
    # 䶮 (U+4DAE, as in the name 刘䶮) is in GB18030 but not in GBK: GBK decoding fails on it
    note = "䶮"
    with pytest.raises(UnicodeEncodeError):
        note.encode("gbk")
    path = tmp_path / "wps.csv"
    path.write_bytes(_csv_text(note).encode("gb18030"))
    table = si.read_table(path)
    assert table.attrs["encoding"] == "gb18030"
    assert table["备注"].tolist() == [note, note]
    assert ENCODINGS.index("gbk") < ENCODINGS.index("gb18030")


def test_gbk_file_is_not_misread_as_utf8(tmp_path: Path) -> None:
    raw = _csv_text().encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    path = tmp_path / "t.csv"
    path.write_bytes(raw)
    assert si.read_table(path).columns[0] == "城市"


def test_explicit_wrong_encoding_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(_csv_text().encode("gbk"))
    with pytest.raises(InputError, match="cannot be decoded as 'utf-8'"):
        si.read_table(path, encoding="utf-8")


def test_codes_stay_strings_with_leading_zeros(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "gb,city_code,乡镇编号,value\n156110000,110100,0101,1\n156120000,120100,0102,2\n"
    )
    table = si.read_table(path)
    assert table["gb"].tolist() == ["156110000", "156120000"]
    assert table["city_code"].tolist() == ["110100", "120100"]
    assert table["乡镇编号"].tolist() == ["0101", "0102"]  # leading zero: an identifier
    assert table["value"].tolist() == [1.0, 2.0]


def test_fullwidth_digits_thousands_and_missing_tokens() -> None:
    raw = pd.DataFrame(
        {
            "city": ["上海", "北京", "深圳", "广州", "天津"],
            "patents": ["72,327", "１０６，４９９", " 93 805 ", "—", "..."],
            "neg": ["−1.5", "2", "3e2", "", "NA"],
        }
    )
    table = si.read_table(raw)
    assert table["patents"].tolist()[:3] == [72327.0, 106499.0, 93805.0]
    assert np.isnan(table["patents"].iloc[3]) and np.isnan(table["patents"].iloc[4])
    assert table["neg"].tolist()[:3] == [-1.5, 2.0, 300.0]
    assert table["city"].tolist() == ["上海", "北京", "深圳", "广州", "天津"]


def test_stray_text_in_numeric_csv_names_column_row_and_value(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("城市,专利\n上海,72327\n北京,106499\n深圳,约9万\n广州,60014\n")
    with pytest.raises(InputError) as err:
        si.read_table(path)
    message = str(err.value)
    # the header is spreadsheet row 1, so 深圳 (third data row) is row 4
    assert "'专利'" in message and "row 4: '约9万'" in message
    assert "header = row 1" in message and "t.csv" in message


def test_stray_text_row_counts_skipped_title_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("表1 各城市专利\n城市,专利\n上海,72327\n北京,106499\n深圳,x\n广州,60014\n")
    with pytest.raises(InputError, match=r"row 5: 'x'.*header = row 2"):
        si.read_table(path, header=1)


def test_stray_text_in_dataframe_names_the_index_label() -> None:
    raw = pd.DataFrame({"gdp": ["1", "2", "n.a.x"]}, index=["a", "b", "c"])
    with pytest.raises(InputError, match=r"row with index 'c' \(position 2\): 'n.a.x'"):
        si.read_table(raw)


def test_text_columns_stay_text() -> None:
    raw = pd.DataFrame({"note": ["一", "二", "3"], "name_en": ["Shanghai", "Beijing", "x"]})
    table = si.read_table(raw)
    assert table["note"].tolist() == ["一", "二", "3"]


def test_year_column_parsed_and_checked() -> None:
    table = si.read_table(pd.DataFrame({"年份": ["2021年", "2022"], "v": [1, 2]}))
    assert table["年份"].tolist() == [2021, 2022]
    with pytest.raises(InputError, match="four-digit years"):
        si.read_table(pd.DataFrame({"year": ["21"], "v": [1]}))


def test_dataframe_passthrough_int_codes_become_strings() -> None:
    raw = pd.DataFrame({"cityId": [310100, 110100], "GDP": [1.5, 2.5]})
    table = si.read_table(raw)
    assert table["cityId"].tolist() == ["310100", "110100"]
    assert raw["cityId"].dtype.kind == "i"  # the input is not modified
    assert table.attrs["source"] == "DataFrame"


def test_xlsx_numbers_codes_and_sheet(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["这一页没有数据"])
    data = wb.create_sheet("2015")
    data.append(["城市", "代码", "GDP(万元)"])
    data.append(["金昌市", 620300, 2245163])
    data.append(["儋州市", "460400", "２，３１７，３１３"])
    data.append([None, None, None])  # trailing empty row
    wb.save(path)
    table = si.read_table(path, sheet="2015")
    assert table["代码"].tolist() == ["620300", "460400"]
    assert table["GDP(万元)"].tolist() == [2245163.0, 2317313.0]
    assert table.attrs["sheet"] == "2015" and table.attrs["encoding"] is None
    with pytest.raises(InputError, match=r"book\.xlsx"):
        si.read_table(path, sheet="2016")


def test_xlsx_stray_text_row_is_the_spreadsheet_row(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["省份", "R&D人员"])
    for name, value in [("北京", 340000), ("天津", 100000), ("河北", "暂无"), ("山西", 50000)]:
        ws.append([name, value])
    wb.save(path)
    with pytest.raises(InputError, match=r"'R&D人员'.*row 4: '暂无'"):
        si.read_table(path)


def test_bundled_wide_workbook() -> None:
    table = si.read_table(DATA / "messy_province_rd_wide.xlsx")
    assert len(table) == 31
    assert table.columns.tolist()[1:] == [f"{y}年R&D人员全时当量" for y in (2019, 2020, 2021)]
    panel = si.load_dataset("province_panel")
    beijing = panel[(panel["province"] == "北京") & (panel["year"] == 2020)]
    expected = beijing["rd_fte_total_person_years"].item()
    assert table.loc[table["省份"] == "北京", "2020年R&D人员全时当量"].item() == expected


def test_unsupported_inputs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        si.read_table(tmp_path / "missing.csv")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")  # OLE2 header of a legacy workbook
    with pytest.raises(InputError, match=r"legacy \.xls workbooks are not supported"):
        si.read_table(old)
    with pytest.raises(InputError, match="file path or a DataFrame"):
        si.read_table(42)  # type: ignore[arg-type]


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text("{}")
    with pytest.raises(InputError, match=r"unsupported file type '\.json'"):
        si.read_table(path)


def test_separator_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("城市\t专利\n上海\t72,327\n")
    assert si.read_table(path)["专利"].tolist() == [72327.0]


def test_trailing_separators_make_no_columns(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("城市,专利,,\n上海,72327,,\n北京,106499,,\n")
    assert si.read_table(path).columns.tolist() == ["城市", "专利"]


def test_code_column_names() -> None:
    yes = ["gb", "code", "city_code", "cityId", "adcode", "行政区划代码", "统计用区划代码", "gb_o"]
    no = ["gdp", "city", "name", "population", "Patent", "year"]
    assert all(is_code_column(c) for c in yes)
    assert not any(is_code_column(c) for c in no)


def test_parse_numeric_leaves_numeric_columns_alone() -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": ["1,000", "2"]})
    out = parse_numeric_columns(frame)
    assert out["a"].dtype.kind == "i" and out["b"].tolist() == [1000.0, 2.0]


def test_real_bundled_tables_read_cleanly() -> None:
    from spatialinno.tables.datasets import dataset_path

    census = si.read_table(dataset_path("city_census"))
    assert len(census) == 369 and census["gb"].str.len().eq(9).all()
    assert census["popu_2020"].sum() == pytest.approx(
        si.load_dataset("city_census")["popu_2020"].sum()
    )
