"""Tests of spatialinno.measures.core_share (core_share) and its bundled data set.

The shares the sources themselves publish are reproduced from the shipped values; the provincial
rows are cross-checked against the bundled province panel they come from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import spatialinno as si
from spatialinno import ColumnError, DataWarning, InputError


def shipped() -> pd.DataFrame:
    return si.core_share(si.load_dataset("core_shares_international"))


def test_published_shares_are_reproduced() -> None:
    out = shipped().set_index(["core", "container", "indicator", "year"])
    # 《2019年广东省科技经费投入公报》: the Pearl River Delta holds 95.6 % of Guangdong's R&D spending
    prd = out.loc[("Pearl River Delta", "Guangdong", "rd_expenditure", 2019)]
    assert round(prd["share"], 3) == 0.956 == prd["published_share"]
    # NSF InfoBrief 16-317: "California alone accounted for 30% ($77 billion)"
    ca = out.loc[("California", "United States (50 states + DC)", "business_rd_own_funds", 2013)]
    assert round(ca["share"], 2) == 0.30 == ca["published_share"]
    # by hand from the published figures
    sz = out.loc[("Shenzhen", "Guangdong", "rd_expenditure", 2019), "share"]
    assert sz == pytest.approx(1328.28 / 3098.49, rel=1e-15)
    both = out.loc[("Shenzhen+Guangzhou", "Guangdong", "rd_expenditure", 2019), "share"]
    assert both == pytest.approx((1328.28 + 677.74) / 3098.49, rel=1e-12)
    assert out.loc[("California", "United States", "business_rd_own_funds", 2011), "share"] == (
        pytest.approx(64104 / 238768, rel=1e-15)
    )


def test_quoted_shares_of_the_study_are_not_supported_by_the_shipped_rows() -> None:
    # the shares Zhao et al. (2025) quote need rows the data set does not have; say so, do not fake
    out = shipped()
    assert not ((out["core"] == "Shenzhen") & (out["indicator"] == "rd_personnel")).any()
    assert not out["core"].isin(["Seoul", "Silicon Valley", "San Jose-San Francisco"]).any()
    # and what the shipped Shenzhen row does say is R&D *spending*, 42.9 %, not staff 46.8 %
    sz = out[(out["core"] == "Shenzhen") & (out["indicator"] == "rd_expenditure")]["share"].item()
    assert round(sz, 3) == 0.429


def test_china_rows_equal_the_bundled_province_panel() -> None:
    panel = si.load_dataset("province_panel").query("year == 2022").set_index("province")
    cols = {
        "rd_expenditure": "rd_exp_total_10k_yuan",
        "rd_personnel_fte": "rd_fte_total_person_years",
        "patent_applications": "patent_app_total",
    }
    out = shipped().query("container == 'China'")
    assert len(out) == 6
    for row in out.itertuples():
        col = cols[row.indicator]
        assert row.value == panel.loc[row.core_local, col]
        assert row.total == panel.loc["全国", col]
    spend = out.query("indicator == 'rd_expenditure'")
    assert spend["total"].iloc[0] / 1e4 == pytest.approx(30782.9, abs=0.05)  # NBS 2022 bulletin


def test_tidy_output_and_extra_columns_kept() -> None:
    out = shipped()
    assert list(out.columns[:7]) == [
        "core",
        "container",
        "indicator",
        "year",
        "value",
        "total",
        "share",
    ]
    assert {"unit", "currency", "source_id", "note"} <= set(out.columns)
    assert out["share"].between(0, 1).all()
    table = pd.DataFrame(
        {
            "city": ["a", "b"],
            "state": ["S", "S"],
            "what": ["x", "x"],
            "v": [1.0, 3.0],
            "t": [8.0, 8.0],
        }
    )
    got = si.core_share(
        table, core="city", container="state", indicator="what", value="v", total="t"
    )
    assert list(got.columns) == ["core", "container", "indicator", "value", "total", "share"]
    assert got["share"].tolist() == [0.125, 0.375]


def test_core_share_refuses_inconsistent_tables() -> None:
    base = pd.DataFrame(
        {
            "core": ["A", "B"],
            "container": ["S", "S"],
            "indicator": ["rd", "rd"],
            "value": [5.0, 2.0],
            "total": [10.0, 10.0],
            "unit": ["person", "person"],
            "total_unit": ["person", "person"],
        }
    )
    assert si.core_share(base)["share"].tolist() == [0.5, 0.2]
    with pytest.raises(InputError, match="exceeds the container's total at A in S"):
        si.core_share(base.assign(value=[11.0, 2.0]))
    with pytest.raises(InputError, match=r"different units.*B in S"):
        si.core_share(base.assign(total_unit=["person", "person-years"]))
    with pytest.raises(InputError, match="different totals"):
        si.core_share(base.assign(total=[10.0, 12.0]))
    with pytest.raises(InputError, match="two rows for the same"):
        si.core_share(base.assign(core=["A", "A"]))
    with pytest.raises(InputError, match="total is zero"):
        si.core_share(base.assign(value=0.0, total=0.0))
    with pytest.raises(InputError, match="non-negative"):
        si.core_share(base.assign(value=[-1.0, 2.0]))
    with pytest.raises(ColumnError, match="'total'"):
        si.core_share(base.drop(columns="total"))
    with pytest.warns(DataWarning, match="B in S"):
        out = si.core_share(base.assign(value=[5.0, np.nan]))
    assert np.isnan(out["share"].iloc[1])
