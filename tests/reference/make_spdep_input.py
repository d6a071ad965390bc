"""Write the exact inputs of the R spdep reference (run from the repo root).

    python3 tests/reference/make_spdep_input.py && Rscript tests/reference/spdep_reference.R

For each case it writes ``spdep/input_<case>.csv`` (position, code, name and the variables, floats with
17 significant digits so R reads the very same numbers) and ``spdep/nb_<case>.csv`` (directed
neighbour links as 0-based row positions, taken from ``si.spatial_weights``). R builds its ``nb``
object from that list, so both sides use identical weights; the tests also check that
``si.spatial_weights`` still produces these lists.

Cases
-----
province31
    The 31 mainland provinces, queen contiguity with islands="nearest" (海南 linked to 广东); R&D
    spending (万元, ``rd_exp_total_10k_yuan``) 2010-2023 from ``si.load_dataset("province_panel")``.
prefecture
    The 375 units of the prefecture layer, queen + islands="nearest"; a deterministic variable of the
    code, v = int(code[:2]) + 0.37 * (int(code[2:4]) % 7) + 0.011 * (int(code[4:6]) % 5), which is
    spatially structured because GB/T 2260 province prefixes follow the geography.
prefecture_keep
    Same variable, queen with islands="keep" (舟山, 三沙, 台湾 have no neighbour; zero.policy in R).
prefecture_census
    2020 census population (``si.load_dataset("city_census")``, ``popu_2020``) on the 375 units,
    queen + islands="nearest"; units without a census value are NaN and R drops them with their
    links (``subset.nb``) -- what spatialinno does with missing values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import spatialinno as si

OUT = Path(__file__).resolve().parent / "spdep"


def code_variable(codes: pd.Series) -> np.ndarray:
    c = codes.astype(str)
    return (
        c.str[:2].astype(int)
        + 0.37 * (c.str[2:4].astype(int) % 7)
        + 0.011 * (c.str[4:6].astype(int) % 5)
    ).to_numpy(dtype=float)


def links(w) -> pd.DataFrame:
    adj = w.adjacency
    adj = adj[adj != 0]
    return pd.DataFrame(
        {
            "focal": adj.index.get_level_values("focal").astype(int),
            "neighbor": adj.index.get_level_values("neighbor").astype(int),
        }
    ).sort_values(["focal", "neighbor"])


def write(case: str, frame: pd.DataFrame, variables: list[str], w) -> None:
    table = pd.DataFrame({"pos": np.arange(len(frame)), "code": frame["code"].to_numpy()})
    table["name"] = frame["name"].to_numpy()
    for v in variables:
        table[v] = frame[v].to_numpy(dtype=float)
    table.to_csv(OUT / f"input_{case}.csv", index=False, float_format="%.17g")
    links(w).to_csv(OUT / f"nb_{case}.csv", index=False)


def province_frame() -> pd.DataFrame:
    prov = si.load_boundaries("province")
    prov = prov[prov["region"].notna()].reset_index(drop=True)  # 31 mainland provinces
    panel = si.load_dataset("province_panel")
    panel = panel[(panel["gb"] != "156000000") & panel["year"].between(2010, 2023)]
    wide = panel.assign(code=panel["gb"].str[3:]).pivot(
        index="code", columns="year", values="rd_exp_total_10k_yuan"
    )
    wide.columns = [f"rd_exp_{y}" for y in wide.columns]
    return prov.merge(wide, left_on="code", right_index=True, how="left", validate="1:1")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    prov = province_frame()
    years = [f"rd_exp_{y}" for y in range(2010, 2024)]
    assert prov[years].notna().all().all(), "province panel must be complete 2010-2023"
    write("province31", prov, years, si.spatial_weights(prov))

    pref = si.load_boundaries("prefecture")
    pref["v"] = code_variable(pref["code"])
    write("prefecture", pref, ["v"], si.spatial_weights(pref))
    write("prefecture_keep", pref, ["v"], si.spatial_weights(pref, islands="keep"))

    census = si.load_dataset("city_census")
    pop = census.assign(code=census["gb"].str[3:]).set_index("code")["popu_2020"]
    pref["popu_2020"] = pref["code"].map(pop)
    write("prefecture_census", pref, ["popu_2020"], si.spatial_weights(pref))
    print(
        f"wrote inputs to {OUT}; {int(pref['popu_2020'].isna().sum())} prefecture units lack census"
    )


if __name__ == "__main__":
    main()
