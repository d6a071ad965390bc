"""Reproduce the published facts of Zhao et al. (2025), Table 2, with spatialinno.

Data: ``si.load_dataset("zhao2025_table2")`` -- for 26 provinces (31 minus the four
municipalities and Tibet) and the years 2012, 2015, 2018, 2021, 2023: ``gini_innovation`` (mean
Gini of 8 innovation-resource indicators across the province's prefecture-level cities, "Gini 1"),
``capital_share`` (the provincial capital's share, averaged over the same indicators) and
``gini_economic``. Source: 赵成伟, 李文雅, 陈红其, 孙继红 (2025) 区域创新资源集聚：测算、网络结构
特征与国际比较研究, 区域经济评论 2025(2):24-35.

Run: ``python examples/table2_facts.py``. Prints the facts and returns them from :func:`facts`
(the test suite checks them; a notebook builds on the same function).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

import spatialinno as si


def table2_with_regions() -> pd.DataFrame:
    """Table 2 with the NBS four-region label of each province (from ``si.provinces()``)."""
    t2 = si.load_dataset("zhao2025_table2")
    regions = si.provinces()[["code", "region", "region_zh"]]
    return t2.merge(regions, on="code", how="left", validate="many_to_one")


def facts(t2: pd.DataFrame | None = None) -> dict[str, Any]:
    """The study's headline facts, computed from the published table."""
    t2 = table2_with_regions() if t2 is None else t2
    y21 = t2[t2["year"] == 2021]
    above80 = y21[y21["capital_share"] > 0.8].sort_values("capital_share", ascending=False)
    means = si.region_summary(
        t2[t2["year"] == 2023], ["gini_innovation", "capital_share", "gini_economic"]
    )
    trend = t2.pivot_table(index="year", values=["gini_innovation", "capital_share"])
    return {
        "n_provinces_2021": len(y21),
        "capital_share_above_50pct_2021": int((y21["capital_share"] > 0.5).sum()),
        "capital_share_above_80pct_2021": above80["province"].tolist(),
        "share_of_provinces_above_30pct_2021": float((y21["capital_share"] > 0.3).mean()),
        "region_means_2023": means,
        "lowest_mean_gini_2023": means["gini_innovation"].idxmin(),
        "highest_mean_gini_2023": means["gini_innovation"].idxmax(),
        "yearly_means": trend,
    }


def main() -> None:
    f = facts()
    print("Zhao et al. (2025), Table 2 -- facts recomputed from the published values")
    print(f"2021, {f['n_provinces_2021']} provinces:")
    print(f"  capital share > 50 %: {f['capital_share_above_50pct_2021']} provinces")
    above80 = ", ".join(f["capital_share_above_80pct_2021"])
    print(f"  capital share > 80 %: {len(f['capital_share_above_80pct_2021'])} ({above80})")
    print(f"  provinces with capital share > 30 %: {f['share_of_provinces_above_30pct_2021']:.1%}")
    print("\n2023, means by NBS region (si.region_summary):")
    print(f["region_means_2023"].round(3).to_string())
    print(
        f"\nLowest mean 'Gini 1' in 2023: {f['lowest_mean_gini_2023']} "
        f"(innovation resources most evenly spread across cities); highest: "
        f"{f['highest_mean_gini_2023']}"
    )
    print("\nMean over the 26 provinces by year (both rise: resources concentrate):")
    print(f["yearly_means"].round(3).to_string())


if __name__ == "__main__":
    main()
