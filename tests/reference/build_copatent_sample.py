"""Build the bundled *synthetic* co-applicant sample ``copatent_sample_2012_2023.csv``.

Run from the repository root (deterministic for the seed; the test suite checks the committed file
equals a fresh build)::

    python tests/reference/build_copatent_sample.py

What it imitates: the reference study (赵成伟 et al. 2025) built its inter-city network from
21,904 co-applied patents 2012-2023. No public record-level co-patent data set exists (see
``SOURCES.md``), so this sample is generated with the study's structure, scaled down to 2,400
patents (about 1/9):

* **years** 2012-2023, the yearly count growing 12 % a year (co-applications grew about that fast);
* **applicants per patent** 2 (75 %), 3 (18 %) or 4 (7 %);
* **where**: the first applicant's city is drawn in proportion to the city's patent count (CNIPA
  2017, bundled ``city_cn_public_2016``; cities without a count get the 5th percentile), each
  further applicant sits in the same city with probability 0.25 (same-city collaboration) or in
  another city drawn from a gravity model, count_j x exp(-d_ij / 800 km), d between the cities'
  area centroids -- this gives the study's picture: a few national hubs (北京, 上海, 深圳 ...)
  and regional clusters;
* **addresses** are written from real unit names the way CNIPA records write them: a random
  county of the applicant's city and a street, as a full path (60 %), city + district (14 %),
  organisation name + full path (10 %), without 省/市 suffixes (5 %), full-width with spaces (4 %),
  district only (4 %), or -- for the cities concerned -- a name valid before its change in the
  code history (闸北区 before 2015, 莱芜市 before 2019 ...; 3 %);
* **applicants** are fictitious organisations, a pool of four per city (the same organisation files
  several patents, as in real data).

Columns: ``patent`` (synthetic id), ``year``, ``applicant``, ``address``, and the generator's
ground truth ``true_prefecture_code`` (to check ``si.locate`` against; not in real data).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import spatialinno as si

OUT = Path(si.__file__).parent / "_data" / "datasets" / "copatent_sample_2012_2023.csv"
SEED = 2025
N_PATENTS = 2400
YEARS = np.arange(2012, 2024)
ROADS = [
    "人民",
    "解放",
    "建设",
    "新华",
    "和平",
    "胜利",
    "文化",
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
    "长风",
    "云图",
]
SUFFIX = ["科技有限公司", "股份有限公司", "研究院", "电子有限公司", "大学"]
MUNICIPAL = {"110000", "120000", "310000", "500000"}


def _cities() -> pd.DataFrame:
    from spatialinno.measures.gravity import unit_centroids

    pref = si.load_boundaries("prefecture", simplified=True)
    pref = pd.DataFrame(pref.drop(columns="geometry"))
    pref = pref[~pref["unit_type"].isin(["other", "sar", "taiwan"])].reset_index(drop=True)
    counts = si.load_dataset("city_cn_public_2016")[["gb", "Patent"]]
    counts = counts.assign(code=counts["gb"].str[3:]).groupby("code")["Patent"].sum()
    mass = pref["code"].map(counts)
    pref["mass"] = mass.fillna(mass.quantile(0.05)).to_numpy()
    xy = unit_centroids("prefecture").loc[pref["code"], ["lon", "lat"]].to_numpy()
    pref["lon"], pref["lat"] = xy[:, 0], xy[:, 1]
    return pref


def _distance_km(c: pd.DataFrame) -> np.ndarray:
    lon, lat = np.radians(c["lon"].to_numpy()), np.radians(c["lat"].to_numpy())
    dlon = lon[:, None] - lon[None, :]
    cos = np.sin(lat)[:, None] * np.sin(lat)[None, :] + np.cos(lat)[:, None] * np.cos(lat)[
        None, :
    ] * np.cos(dlon)
    return 6371.0088 * np.arccos(np.clip(cos, -1, 1))


def _old_names() -> dict[str, list[tuple[str, str, int]]]:
    """prefecture code -> [(old prefecture text, old county text, last year valid)]."""
    hist = pd.read_csv(
        Path(si.__file__).parent / "_data" / "county_code_history.csv",
        dtype=str,
        keep_default_na=False,
    )
    out: dict[str, list[tuple[str, str, int]]] = {}
    for r in hist.itertuples(index=False):
        prefs = r.new_prefecture_codes.split(";")
        if len(prefs) == 1 and int(r.year_ceased) >= 2013:
            parent = "" if r.old_prefecture == "直辖" else r.old_prefecture
            out.setdefault(prefs[0], []).append((parent, r.old_name, int(r.year_ceased) - 1))
    return out


def _address(rng, city, counties, provinces, old, year) -> str:
    prov = provinces[city["province_code"]]
    pref = "" if city["code"] in MUNICIPAL else city["name"]
    names = counties.get(city["code"], [("", "")])
    county, county_short = names[rng.integers(len(names))]
    street = f"{rng.choice(ROADS)}路{rng.integers(1, 300)}号"
    full = prov + pref + county + street
    form = rng.choice(7, p=[0.60, 0.14, 0.10, 0.05, 0.04, 0.04, 0.03])
    choices = old.get(city["code"], [])
    valid = [o for o in choices if o[2] >= year]
    if form == 6 and valid:
        parent, old_county, _ = valid[rng.integers(len(valid))]
        return prov + parent + old_county + street
    if form == 1 and pref:
        return pref + county + street
    if form == 2:
        org = f"{rng.choice(WORDS)}{rng.choice(SUFFIX)}"
        return org + full
    if form == 3:
        short = provinces[city["province_code"] + "_short"]
        return short + (city["name_short"] if pref else "") + county_short + street
    if form == 4:
        wide = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in full)
        return wide.replace("省", "省 ").replace("市", "市\u3000", 1)
    if form == 5 and county and len(county) > 2:
        return county + street
    return full


def build(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cities = _cities()
    dist = _distance_km(cities)
    attract = cities["mass"].to_numpy()[None, :] * np.exp(-dist / 800.0)
    np.fill_diagonal(attract, 0.0)
    lead_p = cities["mass"].to_numpy() / cities["mass"].sum()
    county = pd.DataFrame(si.load_boundaries("county", simplified=True).drop(columns="geometry"))
    counties = {
        code: list(zip(g["name"], g["name_short"], strict=True))
        for code, g in county[county["code"] != county["prefecture_code"]].groupby(
            "prefecture_code"
        )
    }
    prov = si.provinces()
    provinces = dict(zip(prov["code"], prov["name"], strict=True))
    provinces.update(
        {c + "_short": s for c, s in zip(prov["code"], prov["name_short"], strict=True)}
    )
    old = _old_names()
    growth = 1.12 ** (YEARS - YEARS[0])
    per_year = np.round(N_PATENTS * growth / growth.sum()).astype(int)
    rows = []
    serial = 0
    for year, n in zip(YEARS, per_year, strict=True):
        for _ in range(n):
            serial += 1
            patent = f"CN{year}1{serial:07d}"
            k = rng.choice([2, 3, 4], p=[0.75, 0.18, 0.07])
            lead = rng.choice(len(cities), p=lead_p)
            where = [lead]
            for _ in range(k - 1):
                if rng.random() < 0.25:
                    where.append(lead)
                else:
                    p = attract[lead] / attract[lead].sum()
                    where.append(rng.choice(len(cities), p=p))
            for c in where:
                city = cities.iloc[c]
                org = f"{city['name_short']}{WORDS[rng.integers(4)]}{SUFFIX[c % len(SUFFIX)]}"
                address = _address(rng, city, counties, provinces, old, int(year))
                rows.append((patent, int(year), org, address, city["code"]))
    return pd.DataFrame(
        rows, columns=["patent", "year", "applicant", "address", "true_prefecture_code"]
    )


def main() -> None:
    table = build()
    table.to_csv(OUT, index=False, lineterminator="\n")
    print(f"{table['patent'].nunique()} patents, {len(table)} rows -> {OUT}")


if __name__ == "__main__":
    main()
