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


if __name__ == "__main__":
    main()
