"""Build the messy test tables in tests/data/ from the bundled real tables.

Run from the repository root (the output is committed; tests only read it):

    python tests/data/make_messy_tables.py

Each file imitates one way real spreadsheets differ from the clean bundled tables. Values are the
real published figures; only the spelling of keys, the encoding and the layout change. The
expected code of every row is the curator's ``gb`` column of the source table (an independent
matching), kept in a column ``expected_code`` where the test needs it.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

import spatialinno as si

HERE = Path(__file__).parent
# traditional forms of a few characters, to write names the way a Hong Kong/Taiwan source would
TRAD = str.maketrans("东广门龙阳云贵辽宁江苏浙兰乌鲁齐汉", "東廣門龍陽雲貴遼寧江蘇浙蘭烏魯齊漢")


def fullwidth(text: str) -> str:
    """ASCII digits, letters and commas as their full-width forms (U+FF01..)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def main() -> None:
    public = si.load_dataset("city_cn_public_2016")
    public = public[public["gb"].notna()]  # 莱芜 has no current code; tested on its own

    # 1. short names padded like yearbook print (spaces, U+3000), some traditional, full-width
    #    digits and thousands separators in the numbers
    short = public[["cityName_CN", "Patent", "Res_pop", "gb"]].head(120).copy()
    names = short["cityName_CN"].tolist()
    for i in range(0, len(names), 3):
        names[i] = "\u3000".join(names[i]) if len(names[i]) == 2 else f" {names[i]} "
    for i in range(1, len(names), 4):
        names[i] = names[i].translate(TRAD)
    short["城市"] = names
    short["专利授权数"] = [
        fullwidth(f"{int(v):,}") if i % 2 else f"{int(v):,}" for i, v in enumerate(short["Patent"])
    ]
    short["expected_code"] = short["gb"].str[3:]
    short[["城市", "专利授权数", "expected_code"]].to_csv(
        HERE / "messy_short_names.csv", index=False, encoding="utf-8-sig"
    )

    # 2. English names with "City" suffixes and odd case
    en = public[["cityName_EN", "Patent", "gb"]].copy()
    en["City"] = [
        f"{n} City" if i % 3 == 0 else (n.upper() if i % 3 == 1 else n)
        for i, n in enumerate(en["cityName_EN"])
    ]
    en["expected_code"] = en["gb"].str[3:]
    en[["City", "Patent", "expected_code"]].to_csv(HERE / "messy_english.csv", index=False)

    # 3. the 2015 yearbook as Excel-on-Chinese-Windows would write it: GBK, full names
    yb = si.load_dataset("city_yearbook_2015")
    gbk = pd.DataFrame(
        {
            "年份": [f"{y}年" for y in yb["year"]],
            "城市": yb["city"],
            "地区生产总值(万元)": [f"{v:,}" for v in yb["GDP10000"]],
            "一般公共预算收入(万元)": yb["Fiscal10000"],
            "expected_code": yb["gb"].str[3:],
        }
    )
    (HERE / "messy_yearbook_2015_gbk.csv").write_bytes(gbk.to_csv(index=False).encode("gbk"))

    # 4. census with 12-digit statistical codes (统计用区划代码)
    census = si.load_dataset("city_census")
    code12 = pd.DataFrame(
        {
            "统计用区划代码": census["gb"].str[3:] + "000000",
            "常住人口2020": census["popu_2020"],
            "常住人口2010": census["popu_2010"],
        }
    )
    code12.to_csv(HERE / "messy_census_code12.csv", index=False)

    # 5. the 2010 census as published in 2011: codes and names of units that changed since
    #    (diqu that became cities, 儋州 before its upgrade); population is the real 2010 figure
    census10 = census.assign(code=census["gb"].str[3:]).set_index("code")["popu_2010"]
    changes = {
        "652100": ("吐鲁番地区", "650400"),
        "522200": ("铜仁地区", "520600"),
        "522400": ("毕节地区", "520500"),
        "542300": ("日喀则地区", "540200"),
        "469003": ("儋州市", "460400"),
        "632100": ("海东地区", "630200"),
        "542600": ("林芝地区", "540400"),
    }
    old = pd.DataFrame(
        {
            "code": list(changes),
            "name": [name for name, _ in changes.values()],
            "常住人口2010": [census10[new] for _, new in changes.values()],
            "expected_code": [new for _, new in changes.values()],
        }
    )
    old.to_csv(HERE / "messy_pre2015_codes.csv", index=False)

    # 6. province panel as a wide workbook: one column per indicator-year, Chinese headers
    panel = si.load_dataset("province_panel")
    panel = panel[panel["province"] != "全国"]
    wide = panel.pivot(index="province", columns="year", values="rd_fte_total_person_years")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "R&D人员"
    ws.append(["省份"] + [f"{y}年R&D人员全时当量" for y in (2019, 2020, 2021)])
    for province, row in wide[[2019, 2020, 2021]].iterrows():
        cells = [province] + [None if pd.isna(v) else int(v) for v in row]
        ws.append(cells)
    wb.save(HERE / "messy_province_rd_wide.xlsx")

    yearbook_tables(si.load_dataset("province_panel"))  # with its 全国 row
    excel_values()


# the yearbook sheet of 7. and 8.: (column, group header, sub-header); group None = one cell
# merged over both header rows
YEARBOOK_COLUMNS: tuple[tuple[str, str | None, str], ...] = (
    ("rd_fte_total_person_years", None, "R&D人员全时当量(人年)"),
    ("rd_exp_total_10k_yuan", "R&D经费", "内部支出(万元)"),
    ("rd_intensity_pct", "R&D经费", "投入强度(%)"),
    ("patent_app_total", "专利申请受理数(件)", "合计"),
    ("patent_app_invention", "专利申请受理数(件)", "发明"),
    ("patent_grant_total", "专利授权数(件)", "合计"),
    ("patent_grant_invention", "专利授权数(件)", "发明"),
)
YEARBOOK_TITLE = "表 3-8  分地区研究与试验发展(R&D)人员、经费和专利（2021年）"
YEARBOOK_NOTES = (
    "注：R&D经费投入强度为R&D经费内部支出与地区生产总值之比。",
    "资料来源：国家统计局（spatialinno 内置数据集 province_panel）。",
)


def _yearbook_rows(panel: pd.DataFrame) -> tuple[list[list[object]], list[list[object]]]:
    """Header rows (two) and data rows (全国 first, then the 31 provinces) of the 2021 sheet."""
    y21 = panel[panel["year"] == 2021].set_index("province")
    order = ["全国"] + [p for p in y21.index if p != "全国"]
    group = ["地区"] + [g if g else s for _, g, s in YEARBOOK_COLUMNS]
    sub = [None] + [s if g else None for _, g, s in YEARBOOK_COLUMNS]
    data = [[p] + [y21.loc[p, c] for c, _, _ in YEARBOOK_COLUMNS] for p in order]
    return [group, sub], data


def yearbook_tables(panel: pd.DataFrame) -> None:
    """7. a yearbook sheet: title row, unit row, two-row merged header, 全国 row, notes below.

    8. the same sheet saved by Excel on a Chinese Windows as "CSV (逗号分隔)": GBK, merged cells
    as a value followed by empty cells, numbers as displayed (thousands separators).
    """
    header, data = _yearbook_rows(panel)
    width = len(header[0])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表3-8"
    ws.append([YEARBOOK_TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append([None] * (width - 1) + ["单位：人年、万元、件"])
    ws.append(header[0])
    ws.append(header[1])
    # merged header cells: one cell over two rows, or a group over its sub-headers
    col = 1
    for i in range(width):
        if i == 0 or YEARBOOK_COLUMNS[i - 1][1] is None:
            ws.merge_cells(start_row=3, start_column=i + 1, end_row=4, end_column=i + 1)
    while col <= width:
        g = YEARBOOK_COLUMNS[col - 2][1] if col > 1 else None
        span = 1
        while g and col + span <= width and YEARBOOK_COLUMNS[col + span - 2][1] == g:
            span += 1
        if span > 1:
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + span - 1)
        col += span
    for row in data:
        ws.append([row[0]] + [float(v) if isinstance(v, float) and not v.is_integer() else int(v)
                              for v in row[1:]])  # fmt: skip
    ws.append([])
    for note in YEARBOOK_NOTES:
        ws.append([note])
    wb.save(HERE / "messy_yearbook_rd_2021.xlsx")

    group = [header[0][0]] + [
        g if (g := YEARBOOK_COLUMNS[i][1]) and (i == 0 or YEARBOOK_COLUMNS[i - 1][1] != g)
        else (None if g else s)
        for i, (_, _, s) in enumerate(YEARBOOK_COLUMNS)
    ]  # fmt: skip
    lines = [[YEARBOOK_TITLE] + [None] * (width - 1)]
    lines.append([None] * (width - 1) + ["单位：人年、万元、件"])
    lines += [group, header[1]]
    for row in data:
        lines.append(
            [row[0]]
            + [f"{v:,.2f}" if not float(v).is_integer() else f"{int(v):,}" for v in row[1:]]
        )
    lines.append([None] * width)
    lines += [[note] + [None] * (width - 1) for note in YEARBOOK_NOTES]
    text = pd.DataFrame(lines).to_csv(index=False, header=False, lineterminator="\r\n")
    (HERE / "messy_yearbook_rd_2021_gbk.csv").write_bytes(text.encode("gbk"))


def excel_values() -> None:
    """Cells as Excel writes them to CSV: 12.5%, decimal commas, codes in scientific notation.

    9. capital share 2021 (Zhao et al. Table 2) in a cell formatted as percentage: "28.60%".
    10. R&D intensity and spending as a European-locale Excel writes CSV: ';' separated,
        decimal comma ("2,44"), '.' as thousands separator ("27.956,3").
    11. the 2020 census with 12-digit statistical codes in an Excel "General" cell, saved to
        CSV: 6 significant digits, trailing zeros dropped ("1.10101E+11", "1.301E+11"); GBK.
    """
    t2 = si.load_dataset("zhao2025_table2")
    y21 = t2[t2["year"] == 2021]
    pd.DataFrame(
        {
            "省份": y21["province"],
            "省会首位度": [f"{v * 100:.2f}%" for v in y21["capital_share"]],
            "expected": y21["capital_share"],
        }
    ).to_csv(HERE / "messy_capital_share_percent.csv", index=False, encoding="gbk")

    panel = si.load_dataset("province_panel")
    p21 = panel[(panel["year"] == 2021) & (panel["province"] != "全国")]

    def comma(v: float, digits: int) -> str:
        return f"{v:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")

    pd.DataFrame(
        {
            "省份": p21["province"],
            "R&D经费投入强度(%)": [comma(v, 2) for v in p21["rd_intensity_pct"]],
            "R&D经费(亿元)": [comma(v, 1) for v in p21["rd_exp_100m_yuan_bulletin"]],
        }
    ).to_csv(HERE / "messy_rd_semicolon_decimal_comma.csv", index=False, sep=";",
             encoding="utf-8-sig")  # fmt: skip

    census = si.load_dataset("city_census")
    sci = pd.DataFrame(
        {
            "统计用区划代码": [format(int(c + "000000"), ".6G") for c in census["city_code"]],
            "城市": census["city"],
            "常住人口2020": census["popu_2020"],
        }
    )
    (HERE / "messy_census_code12_excel.csv").write_bytes(sci.to_csv(index=False).encode("gbk"))


if __name__ == "__main__":
    main()
