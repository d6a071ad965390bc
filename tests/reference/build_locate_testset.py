"""Build ``tests/reference/locate_testset.csv``: labelled Chinese addresses for ``si.locate``.

Run from the repository root (deterministic; the test suite reads the committed file)::

    python tests/reference/build_locate_testset.py

Every address is made from the bundled layers (``si.load_boundaries``), the prefecture code history
(``si.code_history``) and the county code history (``spatialinno/_data/county_code_history.csv``),
with the noise patent records show. The *expected* answer is computed here from those tables
with pandas, independently of the gazetteer and the matching rules of
``spatialinno.records``. Categories (``well_formed`` marks the first four):

``full_path``       province + prefecture + county + street (``广东省深圳市南山区科技路12号``);
                    municipalities without a repeated city (``北京市海淀区...``); every county-level
                    unit of the layer once (HK/MO/TW and the 4 non-GB units left out)
``city_only``       prefecture + street (``深圳市建设路8号``), every prefecture once
``no_province_suffix``  province short name + prefecture + county (``广东深圳市南山区``, ``北京海淀区``)
``enterprise``      an organisation name before the full path; half of them name another city
                    (``杭州XX科技有限公司广东省深圳市...``), some a university (``上海交通大学``), some
                    start with 中国 (``中国XX股份有限公司``)
``missing_suffix``  short names only (``广东深圳南山科技路12号``)
``fullwidth_spaces``  a full path in full-width digits and letters, with spaces and punctuation
``district_only``   the county name + street, only for names that exactly one unit has ever had
                    (current and former 2010-2024 names); expected located
``province_district``  province + county, for names unique within the province
``old_name``        a former prefecture or county name (襄樊市, 闸北区, 吴江市) in its old path;
                    expected today's unit, or not located when it was split between prefectures
``ambiguous``       a county name shared by units of several prefectures, alone (``鼓楼区...``) or
                    with a province that has two of them (``江苏省鼓楼区``), and the split 巢湖市;
                    expected *not* located
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pandas as pd

import spatialinno as si
from spatialinno.boundaries.names import strip_suffix

OUT = Path(__file__).resolve().parent / "locate_testset.csv"
HISTORY = Path(si.__file__).parent / "_data" / "county_code_history.csv"
SEED = 20240601
ROADS = [
    "人民",
    "解放",
    "中山",
    "建设",
    "新华",
    "和平",
    "胜利",
    "文化",
    "长江",
    "黄河",
    "科技",
    "创新",
    "学府",
    "东风",
    "青年",
    "工业",
    "迎宾",
    "光明",
]
WORDS = [
    "华创",
    "博远",
    "中科",
    "天成",
    "智联",
    "宏达",
    "恒信",
    "瑞丰",
    "新源",
    "汇通",
    "卓越",
    "精工",
    "联合",
    "远景",
]
SUFFIXES = [
    "科技有限公司",
    "股份有限公司",
    "电子有限公司",
    "集团有限公司",
    "研究院",
    "技术有限公司",
]
UNIVERSITIES = [
    "上海交通大学",
    "北京大学",
    "南京大学",
    "浙江大学",
    "中山大学",
    "四川大学",
    "武汉大学",
]
MUNICIPAL = {"110000", "120000", "310000", "500000"}
COLUMNS = [
    "address",
    "category",
    "well_formed",
    "province_code",
    "prefecture_code",
    "county_code",
    "expect_located",
]


def _street(rng: random.Random) -> str:
    kind = rng.randrange(4)
    n = rng.randrange(1, 999)
    if kind == 0:
        return f"{rng.choice(ROADS)}路{n}号"
    if kind == 1:
        return f"{rng.choice(ROADS)}{rng.choice('东西南北')}路{n}号{rng.randrange(1, 30)}楼"
    if kind == 2:
        return f"{rng.choice(ROADS)}街道{rng.choice(WORDS)}社区{n}号"
    return f"高新技术产业开发区{rng.choice(ROADS)}大道{n}号"


def _tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    county = pd.DataFrame(si.load_boundaries("county").drop(columns="geometry"))
    county = county[
        ~county["unit_type"].isin(["other", "sar"]) & (county["province_code"] != "710000")
    ]
    county = county[~county["province_code"].isin(["810000", "820000"])]
    pref = pd.DataFrame(si.load_boundaries("prefecture").drop(columns="geometry"))
    pref = pref[
        pref["unit_type"].isin(["prefecture_city", "autonomous_prefecture", "diqu", "meng"])
    ]
    hist = pd.read_csv(HISTORY, dtype=str, keep_default_na=False)
    return county, pref, hist


def _owners(county: pd.DataFrame, hist: pd.DataFrame) -> pd.DataFrame:
    """Every (name, prefecture code) pair of county names today and former names 2010-2024."""
    now = county[["name", "prefecture_code", "province_code"]]
    rows = []
    for r in hist.itertuples(index=False):
        for p in r.new_prefecture_codes.split(";"):
            rows.append(
                {"name": r.old_name, "prefecture_code": p, "province_code": r.province_code}
            )
    for r in si.code_history().itertuples(index=False):  # 巢湖市 (prefecture, split 2011)
        if r.change_type in ("rename", "merge", "upgrade_diqu_to_city", "abolish_split"):
            for p in r.new_code.split(";"):
                rows.append(
                    {"name": r.old_name, "prefecture_code": p, "province_code": r.province_code}
                )
    return pd.concat([now, pd.DataFrame(rows)], ignore_index=True).drop_duplicates()


def _row(address, category, well, codes, located=True):
    prov, pref, cty = codes
    return dict(zip(COLUMNS, [address, category, well, prov, pref, cty, located], strict=True))


def _path(r) -> str:
    if r.province_code in MUNICIPAL:
        return f"{r.province}{r.name}"
    if r.prefecture_code == r.code:  # province-administered county-level unit: 湖北省仙桃市
        return f"{r.province}{r.name}"
    return f"{r.province}{r.prefecture}{r.name}"


def _fullwidth(text: str, rng: random.Random) -> str:
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    cut = sorted(rng.sample(range(1, len(wide)), 2))
    sep = rng.choice(["\u3000", " ", "，", "、", " ( "])
    return (
        wide[: cut[0]] + sep + wide[cut[0] : cut[1]] + rng.choice(["\u3000", "  "]) + wide[cut[1] :]
    )


def build(seed: int = SEED) -> pd.DataFrame:
    rng = random.Random(seed)
    county, pref, hist = _tables()
    provinces = si.provinces().set_index("code")
    rows = []
    for r in county.itertuples(index=False):
        codes = (r.province_code, r.prefecture_code, r.code)
        rows.append(_row(_path(r) + _street(rng), "full_path", True, codes))
        short_prov = provinces.loc[r.province_code, "name_short"]
        no_suffix = _path(r).replace(r.province, short_prov, 1)
        if rng.random() < 0.35:
            rows.append(_row(no_suffix + _street(rng), "no_province_suffix", True, codes))
        if rng.random() < 0.35:
            other = pref.sample(1, random_state=rng.randrange(2**31)).iloc[0]["name_short"]
            org = rng.choice(
                [
                    f"{other}{rng.choice(WORDS)}{rng.choice(SUFFIXES)}",
                    f"中国{rng.choice(WORDS)}{rng.choice(SUFFIXES)}",
                    rng.choice(UNIVERSITIES),
                    f"{rng.choice(WORDS)}{rng.choice(SUFFIXES)}",
                ]
            )
            rows.append(_row(org + _path(r) + _street(rng), "enterprise", False, codes))
        if rng.random() < 0.35:
            rows.append(
                _row(_fullwidth(_path(r) + _street(rng), rng), "fullwidth_spaces", False, codes)
            )
        if rng.random() < 0.35 and r.province_code not in MUNICIPAL and r.prefecture_code != r.code:
            text = short_prov + strip_suffix(r.prefecture) + strip_suffix(r.name) + _street(rng)
            rows.append(
                _row(text, "missing_suffix", False, (r.province_code, r.prefecture_code, None))
            )
    for r in pref.itertuples(index=False):
        rows.append(_row(r.name + _street(rng), "city_only", True, (r.province_code, r.code, None)))
    rows += _district_rows(county, hist, rng)
    rows += _old_name_rows(hist, rng)
    return pd.DataFrame(rows, columns=COLUMNS)


def _district_rows(county: pd.DataFrame, hist: pd.DataFrame, rng: random.Random) -> list[dict]:
    owners = _owners(county, hist)
    n_pref = owners.groupby("name")["prefecture_code"].nunique()
    n_in_prov = owners.groupby(["province_code", "name"])["prefecture_code"].nunique()
    rows = []
    for r in county.itertuples(index=False):
        if len(r.name) <= 2 or r.prefecture_code == r.code:
            continue  # two-character names need context by design; 仙桃 etc. are prefectures
        codes = (r.province_code, r.prefecture_code, r.code)
        if n_pref[r.name] == 1 and rng.random() < 0.5:
            rows.append(_row(r.name + _street(rng), "district_only", False, codes))
        elif n_pref[r.name] > 1:
            rows.append(_row(r.name + _street(rng), "ambiguous", False, (None,) * 3, False))
        if r.province_code in MUNICIPAL:
            continue
        if n_in_prov[(r.province_code, r.name)] == 1 and rng.random() < 0.3:
            rows.append(_row(r.province + r.name + _street(rng), "province_district", False, codes))
        elif n_in_prov[(r.province_code, r.name)] > 1:
            rows.append(
                _row(
                    r.province + r.name + _street(rng),
                    "ambiguous",
                    False,
                    (r.province_code, None, None),
                    False,
                )
            )
    return rows


def _old_name_rows(hist: pd.DataFrame, rng: random.Random) -> list[dict]:
    provinces = si.provinces().set_index("code")["name"]
    rows = []
    for r in si.code_history().itertuples(index=False):
        if r.change_type not in ("rename", "merge", "upgrade_diqu_to_city", "abolish_split"):
            continue
        new = r.new_code.split(";")
        prov = provinces[r.province_code]
        if len(new) == 1:
            codes = (r.province_code, new[0], None)
            rows.append(_row(prov + r.old_name + _street(rng), "old_name", False, codes))
        else:  # split: the old name alone cannot say which successor
            codes = (r.province_code, None, None)
            rows.append(_row(prov + r.old_name + _street(rng), "ambiguous", False, codes, False))
    for r in hist.itertuples(index=False):
        prov = provinces[r.province_code]
        parent = (
            "" if r.old_prefecture == "直辖" or r.province_code in MUNICIPAL else r.old_prefecture
        )
        text = prov + parent + r.old_name + _street(rng)
        prefs = r.new_prefecture_codes.split(";")
        counties = r.new_codes.split(";") if r.new_codes else []
        if len(prefs) == 1:
            cty = counties[0] if len(counties) == 1 else None
            rows.append(_row(text, "old_name", False, (r.province_code, prefs[0], cty)))
    return rows


def main() -> None:
    table = build()
    table.to_csv(OUT, index=False, lineterminator="\n")
    counts = table.groupby("category").size().to_dict()
    print(f"{len(table)} addresses -> {OUT}: {counts}")
    assert all(unicodedata.is_normalized("NFC", a) for a in table["address"])


if __name__ == "__main__":
    main()
