"""Per-province Gini and capital share on real city data, the method of Zhao et al. (2025).

For every province: the Gini coefficient across its prefecture-level units and the provincial
capital's share of the province total, for

* resident population 2020 (7th census; ``si.load_dataset("city_census")``), and
* patents (CNIPA, published with the 2016 intercity data; ``si.load_dataset("city_cn_public_2016")``,
  275 cities -- provinces with few covered cities get few units),

joined to the Tianditu prefecture layer (EPSG:4490) with ``si.join_indicators``. The four
municipalities and Tibet are left out as in the study (``exclude=None`` keeps them); units without
data are left out and listed in ``DataWarning`` messages (counted below). Finally the Rey–Smith
spatial Gini of patents across all prefecture units with data: how much of the national Gini
comes from neighbouring cities, with a 999-permutation test.

Run: ``python examples/city_gini_capital_share.py``. :func:`province_table` returns the table.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import pandas as pd

import spatialinno as si

COLUMNS = ["popu_2020", "patents"]


def city_layer() -> gpd.GeoDataFrame:
    """Prefecture layer with 2020 population and patents (NaN where a table has no row)."""
    census = si.load_dataset("city_census")[["gb", "city", "province", "popu_2020"]]
    public = si.load_dataset("city_cn_public_2016")[["gb", "cityName_CN", "Patent"]]
    public = public.rename(columns={"Patent": "patents"})
    with warnings.catch_warnings():
        # 莱芜 (merged into 济南 in 2019) is reported by the join and deliberately not added
        warnings.simplefilter("ignore", si.DataWarning)
        pop = si.join_indicators(census, "prefecture", key="gb", on_unmatched="warn")
        pat = si.join_indicators(public, "prefecture", key="gb", on_unmatched="warn")
    layer = pop.copy()
    layer["patents"] = pat["patents"].to_numpy()  # both frames are in layer order
    return layer


def province_table(layer: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """One row per province: units, Gini and capital share of each column, and notes."""
    layer = city_layer() if layer is None else layer
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", si.DataWarning)
        gini = si.gini_by(layer, COLUMNS)
        share = si.capital_share(layer, COLUMNS)
    table = pd.DataFrame(
        {
            "province": gini["province"],
            "capital": share["capital"],
            "n_units": gini["n_units"],
            "n_with_patents": layer.groupby("province_code")["patents"].count(),
            "gini_pop": gini["popu_2020"],
            "gini_patents": gini["patents"],
            "capital_share_pop": share["popu_2020"],
            "capital_share_patents": share["patents"],
            "note": [
                "; ".join(dict.fromkeys(n for n in pair if isinstance(n, str))) or pd.NA
                for pair in zip(gini["note"], share["note"], strict=True)
            ],
        }
    )
    table["patent_coverage"] = table["n_with_patents"] / table["n_units"]
    table.attrs["warnings"] = [str(w.message) for w in caught]
    return table


def main() -> None:
    layer = city_layer()
    table = province_table(layer)
    studied = table.dropna(subset=["gini_pop"])
    pd.set_option("display.width", 160)
    print("Per-province Gini and capital share (prefecture units; population 2020, patents)")
    print(studied.drop(columns="note").round(3).to_string())
    print(f"\n{len(table) - len(studied)} provinces without a value:")
    for code, row in table.drop(index=studied.index).iterrows():
        print(f"  {code} {row['province']}: {row['note']}")
    print(f"\nunits left out for missing data: {len(table.attrs['warnings'])} warning(s), e.g.")
    for msg in table.attrs["warnings"][:2]:
        print(f"  {msg[:150]}")

    # the patent table covers 275 cities: judge patents only where most units have data
    good = studied[(studied["patent_coverage"] >= 0.8) & studied["capital_share_patents"].notna()]
    cs = good["capital_share_patents"]
    print(
        f"\nProvinces with patents for at least 80 % of their units and for the capital: "
        f"{len(good)}. In {(cs > 0.5).sum()} of them the capital holds more than half of the "
        f"province's patents (median share {cs.median():.1%}); its share of patents exceeds its "
        f"share of population in {(cs > good['capital_share_pop']).sum()}."
    )
    print(
        f"Gini of patents exceeds the Gini of population in "
        f"{(good['gini_patents'] > good['gini_pop']).sum()} of {len(good)}: innovation is more "
        "concentrated than people."
    )

    with_patents = layer[layer["patents"].notna()].reset_index(drop=True)
    sg = si.spatial_gini(with_patents, "patents", permutations=999, seed=2025)
    print(f"\nRey–Smith spatial Gini of patents across {sg.n} prefecture units:")
    print(f"  {sg!r}")


if __name__ == "__main__":
    main()
