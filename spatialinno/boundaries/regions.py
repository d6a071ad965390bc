"""Reference tables: provinces, capitals, NBS regions, coastal provinces, prefecture units, code history.

The facts come from public sources bundled with the package (see ``_data/datasets/SOURCES.md``):
NBS 《东西中部和东北地区划分方法》 (2011) for the four regions, the 2016 China Marine Economy
Statistical Bulletin for the 11 coastal provinces, GB/T 2260 for codes, and the State Council
approvals for code changes 2010–2024.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import pandas as pd

__all__ = [
    "MUNICIPALITIES",
    "REGIONS",
    "REGION_EN",
    "REGION_ZH",
    "UNIT_TYPES",
    "code_history",
    "prefecture_units",
    "province_of",
    "provinces",
]

REGIONS: tuple[str, ...] = ("east", "central", "west", "northeast")
REGION_ZH: dict[str, str] = {"east": "东部", "central": "中部", "west": "西部", "northeast": "东北"}
REGION_EN: dict[str, str] = {
    "east": "East",
    "central": "Central",
    "west": "West",
    "northeast": "Northeast",
}
MUNICIPALITIES: tuple[str, ...] = ("110000", "120000", "310000", "500000")

# unit types of the prefecture layer, in the package's vocabulary
UNIT_TYPES: tuple[str, ...] = (
    "province",
    "autonomous_region",
    "municipality",
    "prefecture_city",
    "autonomous_prefecture",
    "diqu",
    "meng",
    "pdacu",
    "sar",
    "taiwan",
    "district",
    "county",
    "county_city",
    "other",
)
_UNIT_TYPE_FROM_REF = {
    "prefecture_level_city": "prefecture_city",
    "autonomous_prefecture": "autonomous_prefecture",
    "league(meng)": "meng",
    "municipality": "municipality",
    "prefecture_district(diqu)": "diqu",
    "province_administered_county_level": "pdacu",
    "non_GB_special_area(Tianditu)": "other",
}

_EXTRA_PROVINCES = pd.DataFrame(
    {
        "code": ["710000", "810000", "820000"],
        "name": ["台湾省", "香港特别行政区", "澳门特别行政区"],
        "name_short": ["台湾", "香港", "澳门"],
        "abbr": ["台", "港", "澳"],
        "alpha2": ["TW", "HK", "MO"],
        "name_pinyin": ["Taiwan", "Xianggang", "Aomen"],
        "name_en": ["Taiwan", "Hong Kong", "Macau"],
        "unit_type": ["taiwan", "sar", "sar"],
        "capital": [pd.NA, pd.NA, pd.NA],
        "capital_code": [pd.NA, pd.NA, pd.NA],
        "region": [pd.NA, pd.NA, pd.NA],
        "region_zh": [pd.NA, pd.NA, pd.NA],
        "coastal": [False, False, False],
        "iso_3166_2": ["CN-TW", "CN-HK", "CN-MO"],
    }
)


def _data(name: str) -> pd.DataFrame:
    path = files("spatialinno").joinpath("_data", name)
    with path.open("rb") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[""])


@lru_cache(maxsize=1)
def _provinces() -> pd.DataFrame:
    raw = _data("provinces.csv")
    table = pd.DataFrame(
        {
            "code": raw["code"],
            "name": raw["name_zh"],
            "name_short": raw["short_zh"],
            "abbr": raw["abbr_char"],
            "alpha2": raw["gb_alpha"],
            "name_pinyin": raw["name_pinyin"],
            "name_en": raw["name_en"],
            "unit_type": raw["unit_type"],
            "capital": raw["capital_zh"],
            "capital_code": raw["capital_code"],
            "region": raw["region4_nbs"].str.lower(),
            "region_zh": raw["region4_nbs_zh"],
            "coastal": raw["coastal"].astype(int).astype(bool),
            "iso_3166_2": raw["iso_3166_2"],
        }
    )
    table = pd.concat([table, _EXTRA_PROVINCES], ignore_index=True)
    table["mainland"] = ~table["code"].isin(_EXTRA_PROVINCES["code"])
    return table


def provinces(mainland_only: bool = False) -> pd.DataFrame:
    """Reference table of China's provinces.

    Parameters
    ----------
    mainland_only : bool, default False
        Only the 31 mainland provinces; by default Taiwan, Hong Kong and Macau are added as
        three rows without region or capital.

    Returns
    -------
    pandas.DataFrame
        One row per province: ``code`` (6-digit GB/T 2260), ``name`` (广东省), ``name_short``
        (广东), ``abbr`` (简称, 粤), ``alpha2`` (GD, = ISO 3166-2:CN suffix), ``name_pinyin``,
        ``name_en``, ``unit_type`` (province, autonomous_region, municipality, sar, taiwan),
        ``capital`` and ``capital_code`` (the capital's prefecture code; a municipality is its
        own capital), ``region`` (NBS four regions: east, central, west, northeast) and
        ``region_zh``, ``coastal`` (the 11 coastal provinces), ``iso_3166_2``, ``mainland``.

    Examples
    --------
    >>> import spatialinno as si
    >>> p = si.provinces(mainland_only=True)
    >>> p["region"].value_counts().to_dict()
    {'west': 12, 'east': 10, 'central': 6, 'northeast': 3}
    >>> p.loc[p["name_short"] == "广东", "capital"].item()
    '广州市'
    """
    table = _provinces()
    if mainland_only:
        table = table[table["mainland"]]
    return table.reset_index(drop=True).copy()


@lru_cache(maxsize=1)
def _prefecture_units() -> pd.DataFrame:
    raw = _data("prefecture_units.csv")
    prov = _provinces().set_index("name")
    unit_type = raw["unit_type"].map(_UNIT_TYPE_FROM_REF)
    sar_tw = raw["unit_type"].eq("province_level_other(TW/HK/MO)")
    unit_type[sar_tw] = raw.loc[sar_tw, "code"].map({"710000": "taiwan"}).fillna("sar")
    return pd.DataFrame(
        {
            "code": raw["code"],
            "name": raw["name"],
            "name_short": raw["short"],
            "province": raw["province"],
            "province_code": raw["province"].map(prov["code"]),
            "unit_type": unit_type,
        }
    )


def prefecture_units() -> pd.DataFrame:
    """The 375 units of the Tianditu prefecture layer with their type and short name.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``name``, ``name_short``, ``province``, ``province_code``, ``unit_type`` (one of
        municipality, prefecture_city, autonomous_prefecture, diqu, meng, pdacu, sar, taiwan,
        other; ``other`` are three Gansu areas coded 629700/629800/629900 by Tianditu, which are
        not GB/T 2260 codes).

    Examples
    --------
    >>> import spatialinno as si
    >>> u = si.prefecture_units()
    >>> len(u), u["code"].is_unique
    (375, True)
    """
    return _prefecture_units().copy()


@lru_cache(maxsize=1)
def _code_history() -> pd.DataFrame:
    return _data("code_history.csv")


def code_history() -> pd.DataFrame:
    """Prefecture-level code and name changes 2010–2024 with the State Council document numbers.

    One row per change: ``change_type`` (rename, abolish_split, merge, upgrade_diqu_to_city,
    upgrade_county_city_to_prefecture, new_prefecture, new_pdacu, boundary_change), ``old_code``,
    ``old_name``, ``new_code``, ``new_name`` (several successors separated by ``;``),
    ``approval_date``, ``document_no`` and a ``note``. Source: GB/T 2260 yearly code lists
    (CC0 diffs by yescallop/areacodes).

    Examples
    --------
    >>> import spatialinno as si
    >>> h = si.code_history()
    >>> h.loc[h["old_code"] == "371200", ["change_type", "new_code"]].values.tolist()
    [['merge', '370100']]
    """
    return _code_history().copy()


def province_of(code: str) -> str:
    """Province code (``XX0000``) of any 6-digit GB/T 2260 code.

    >>> province_of("440106")
    '440000'
    """
    return str(code)[:2] + "0000"
