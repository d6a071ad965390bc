"""Reference tables bundled with the package."""

from __future__ import annotations

import spatialinno as si


def test_prefecture_units_reference() -> None:
    units = si.prefecture_units()
    assert len(units) == 375 and units["code"].is_unique
    assert units["unit_type"].value_counts().to_dict() == {
        "prefecture_city": 293,
        "pdacu": 32,
        "autonomous_prefecture": 30,
        "diqu": 7,
        "municipality": 4,
        "meng": 3,
        "other": 3,
        "sar": 2,
        "taiwan": 1,
    }
    layer = si.load_boundaries("prefecture")
    assert set(units["code"]) == set(layer["code"])
    assert (
        units.set_index("code")["unit_type"].sort_index().to_dict()
        == layer.set_index("code")["unit_type"].sort_index().to_dict()
    )


def test_code_history() -> None:
    hist = si.code_history()
    assert len(hist) == 27
    row = hist.set_index("old_code").loc["652100"]
    assert (row["new_code"], row["new_name"]) == ("650400", "吐鲁番市")
    assert hist.loc[hist["old_code"] == "341400", "change_type"].item() == "abolish_split"


def test_datasets_listed_with_sources() -> None:
    listing = si.list_datasets()
    assert {"zhao2025_table2", "province_panel", "city_census", "air_routes_2014"} <= set(
        listing["name"]
    )
    assert listing["source"].str.len().gt(10).all()
    census = si.load_dataset("city_census")
    assert len(census) == 369 and census["gb"].str.fullmatch(r"156\d{6}").all()
