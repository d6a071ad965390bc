"""Reference values for tests/test_maps.py, computed without spatialinno, from the bundled CSV files.

Run from the repository root: ``python tests/reference/make_maps_reference.py``; it rewrites
``tests/reference/maps_reference.json``. Only the standard library and numpy are used (numpy for the
quantiles, whose definition -- linear interpolation between order statistics, Hyndman & Fan type 7 --
is the one mapclassify.Quantiles uses), so the map legends are checked against an independent path:
the CSV parsed with ``csv``, regions from the NBS reference table, plain-Python means and counts.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "spatialinno" / "_data"


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main() -> None:
    out: dict[str, object] = {}

    # 1. prefecture choropleth of the 2020 census population: quantile breaks and class counts
    pop = [
        float(r["popu_2020"])
        for r in read(DATA / "datasets" / "city_census_2010_2020.csv")
        if r["popu_2020"]
    ]
    breaks = [float(np.quantile(pop, q)) for q in (0.2, 0.4, 0.6, 0.8, 1.0)]
    counts = [0] * 5
    for v in pop:  # class i holds breaks[i-1] < v <= breaks[i] (mapclassify's convention)
        counts[next(i for i, b in enumerate(breaks) if v <= b)] += 1
    out["census_popu_2020"] = {"n": len(pop), "breaks": breaks, "counts": counts}

    # 2. coastal lead, Table 2 (2023): mean gini_innovation per NBS region and coastal/inland
    provinces = {r["code"]: r for r in read(DATA / "provinces.csv")}
    t2 = [
        r
        for r in read(DATA / "datasets" / "zhao2025_table2_gini_capital_share.csv")
        if r["year"] == "2023"
    ]
    by_region: dict[str, list[float]] = {}
    by_coast: dict[str, list[float]] = {"coastal": [], "inland": []}
    for r in t2:
        p = provinces[r["code"]]
        v = float(r["gini_innovation"])
        by_region.setdefault(p["region4_nbs"].lower(), []).append(v)
        by_coast["coastal" if p["coastal"] == "1" else "inland"].append(v)
    out["table2_2023_gini_innovation"] = {
        "region_mean": {k: sum(v) / len(v) for k, v in by_region.items()},
        "region_n": {k: len(v) for k, v in by_region.items()},
        "coastal_mean": {k: sum(v) / len(v) for k, v in by_coast.items()},
        "coastal_n": {k: len(v) for k, v in by_coast.items()},
    }

    # 3. capital effect, Table 2 (2021): shares per province, counts per 50 %/80 % class, capitals
    t2021 = [
        r
        for r in read(DATA / "datasets" / "zhao2025_table2_gini_capital_share.csv")
        if r["year"] == "2021"
    ]
    shares = {r["code"]: float(r["capital_share"]) for r in t2021}
    out["table2_2021_capital_share"] = {
        "shares": shares,
        "capital_code": {c: provinces[c]["capital_code"] for c in shares},
        "class_counts": [
            sum(s <= 0.5 for s in shares.values()),
            sum(0.5 < s <= 0.8 for s in shares.values()),
            sum(s > 0.8 for s in shares.values()),
        ],
    }
    path = Path(__file__).with_name("maps_reference.json")
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
