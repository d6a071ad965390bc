"""Synthetic co-applicant records for ``bench_records.py`` (deterministic for a seed).

Applicants are drawn from a pool of fictitious organisations whose addresses are built from the
real unit names of the bundled layers (2,800-odd county-level units with their prefecture and
province), written the ways patent records write them:

======================  =====  =========================================================
form                    share  example
======================  =====  =========================================================
full path               55 %   广东省深圳市南山区科技路12号
city + district         15 %   深圳市南山区学府路8号
organisation + path     12 %   华创科技有限公司广东省深圳市南山区...
province short + path    6 %   广东深圳市南山区...
short names only         4 %   广东深圳南山科技路12号
full-width + spaces      4 %   广东省 深圳市　南山区科技路１２号
district only            4 %   南山区科技园... (ambiguous when the name is shared)
======================  =====  =========================================================

Popularity of applicants follows a Zipf law (a few firms file many patents, as in CNIPA data),
so addresses repeat; a patent has 2 (70 %), 3 (20 %) or 4-6 (10 %) applicants and a year in
2012-2023. The number of distinct addresses in a sample is reported next to every timing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import spatialinno as si

ROADS = np.array(
    [
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
)
WORDS = np.array(
    [
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
)
SUFFIX = np.array(["科技有限公司", "股份有限公司", "电子有限公司", "研究院", "集团有限公司"])
FORMS = np.array([0.55, 0.15, 0.12, 0.06, 0.04, 0.04, 0.04])


def _units() -> pd.DataFrame:
    c = pd.DataFrame(si.load_boundaries("county", simplified=True).drop(columns="geometry"))
    c = c[
        ~c["unit_type"].isin(["other", "sar"])
        & ~c["province_code"].isin(["710000", "810000", "820000"])
    ]
    p = si.provinces().set_index("code")["name_short"]
    pref = si.load_boundaries("prefecture", simplified=True).set_index("code")["name_short"]
    c = c.assign(
        province_short=c["province_code"].map(p).to_numpy(),
        prefecture_short=c["prefecture_code"].map(pref).to_numpy(),
    )
    return c.reset_index(drop=True)


def applicant_pool(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` applicants: ``applicant`` (name) and ``address`` (text)."""
    rng = np.random.default_rng(seed)
    u = _units()
    pick = rng.integers(0, len(u), n)
    prov = u["province"].to_numpy(dtype=object)[pick]
    pref = u["prefecture"].to_numpy(dtype=object)[pick]
    name = u["name"].to_numpy(dtype=object)[pick]
    municipal = u["province_code"].isin(["110000", "120000", "310000", "500000"]).to_numpy()[pick]
    pref = np.where(municipal, "", pref)
    street = (
        ROADS[rng.integers(0, len(ROADS), n)]
        + np.array(["路", "街", "大道"])[rng.integers(0, 3, n)]
        + rng.integers(1, 999, n).astype(str)
        + "号"
    ).astype(object)
    org = (WORDS[rng.integers(0, len(WORDS), n)] + SUFFIX[rng.integers(0, len(SUFFIX), n)]).astype(
        object
    )
    org = np.char.add(org.astype(str), rng.integers(0, 10**6, n).astype(str)).astype(object)
    full = prov + pref + name + street
    short_prov = u["province_short"].to_numpy(dtype=object)[pick]
    pref_short = np.where(municipal, "", u["prefecture_short"].to_numpy(dtype=object)[pick])
    no_suffix = short_prov + pref_short + u["name_short"].to_numpy(dtype=object)[pick] + street
    wide = pd.Series(full).str.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    wide = wide.str.replace("省", "省 ", regex=False).str.replace("市", "市\u3000", regex=False)
    forms = [
        full,
        pref + name + street,
        org + full,
        short_prov + pref + name + street,
        no_suffix,
        wide.to_numpy(dtype=object),
        name + street,
    ]
    choice = rng.choice(len(forms), n, p=FORMS)
    address = np.choose(choice, forms)
    return pd.DataFrame({"applicant": org, "address": address})


def records(n_records: int, pool: pd.DataFrame, seed: int = 1, start: int = 0) -> pd.DataFrame:
    """About ``n_records`` long-form rows: patent, applicant, address, year (patents from ``start``)."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice([2, 3, 4, 5, 6], size=n_records // 2 + 1, p=[0.7, 0.2, 0.05, 0.03, 0.02])
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n_records) + 1]
    n = int(sizes.sum())
    who = (rng.zipf(1.3, n) - 1) % len(pool)
    patent_no = np.repeat(np.arange(start, start + len(sizes)), sizes)
    return pd.DataFrame(
        {
            "patent": pd.Series(patent_no).map("CN{:09d}".format).to_numpy(dtype=object),
            "applicant": pool["applicant"].to_numpy(dtype=object)[who],
            "address": pool["address"].to_numpy(dtype=object)[who],
            "year": np.repeat(rng.integers(2012, 2024, len(sizes)), sizes),
        }
    ).iloc[:n_records]


def write_csv(
    folder: Path, n_records: int, pool: pd.DataFrame, per_file: int = 1_000_000
) -> list[Path]:
    """``n_records`` rows in CSV files of ``per_file`` rows (generated file by file)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    start = 0
    for i in range(0, n_records, per_file):
        frame = records(min(per_file, n_records - i), pool, seed=1000 + i // per_file, start=start)
        start += frame["patent"].nunique()
        path = folder / f"records_{i // per_file:04d}.csv"
        frame.to_csv(path, index=False)
        paths.append(path)
    return paths
