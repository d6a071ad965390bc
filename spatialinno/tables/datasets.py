"""Bundled real data for examples, tests and the demo, with its attribution.

Every dataset is a public table keyed by GB/T 2260 codes (``gb`` = "156" + 6-digit code). Sources and
licences are in ``_data/datasets/SOURCES.md`` and in :data:`DATASETS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import pandas as pd

from .._errors import InputError
from .labels import attach_labels, dataset_labels

__all__ = ["DATASETS", "Dataset", "dataset_path", "list_datasets", "load_dataset"]


@dataclass(frozen=True)
class Dataset:
    """A bundled table: file name, level, what it holds and whom to credit."""

    file: str
    level: str
    description: str
    source: str


DATASETS: dict[str, Dataset] = {
    "zhao2025_table2": Dataset(
        "zhao2025_table2_gini_capital_share.csv",
        "province",
        "26 provinces x 5 years (2012, 2015, 2018, 2021, 2023): gini_innovation, capital_share, "
        "gini_economic as published in Table 2",
        "赵成伟, 李文雅, 陈红其, 孙继红 (2025) 区域创新资源集聚：测算、网络结构特征与国际比较研究, "
        "区域经济评论 2025(2):24-35",
    ),
    "province_panel": Dataset(
        "province_panel_2005_2024.csv",
        "province",
        "31 provinces + national row, long by year: GDP, population 2005-2024; R&D spending, "
        "R&D staff (FTE), patents, R&D intensity 2010-2023",
        "NBS via pik-piam/PyPSA-China-PIK (MIT); China Statistical Yearbook on Science and "
        "Technology via huhuaping/techme (MIT)",
    ),
    "city_census": Dataset(
        "city_census_2010_2020.csv",
        "prefecture",
        "resident population (total/urban/rural), household size, sex ratio, age shares, "
        "2010 and 2020 censuses",
        "6th and 7th population census, digitised in leiii/census (MIT); Dong, Du & Liu (2022)",
    ),
    "city_cn_public_2016": Dataset(
        "city_cn_public_2016.csv",
        "prefecture",
        "registered and resident population, GDP, employment share in information/finance/"
        "research, patents, degree in three intercity networks",
        "xiaofanliang/intercity_connectivity (MIT); Liang et al. (2024) CEUS 109:102092",
    ),
    "city_yearbook_2015": Dataset(
        "city_yearbook_2015_gdp_fiscal_employment_ntl.csv",
        "prefecture",
        "2015 GDP and budget revenue (万元), urban-unit employment, night-light sum",
        "China City Statistical Yearbook via quanturban/firm (MIT); Dong et al. (2021) Sci Data 8:5",
    ),
    "core_shares_international": Dataset(
        "core_shares_international.csv",
        "international",
        "core vs container: R&D expenditure, R&D personnel (FTE), patents, business R&D of "
        "Shenzhen/Guangzhou/PRD in Guangdong 2019, Beijing and Shanghai in China 2022, "
        "California in the U.S. 2011/2013; unit, currency and source per row",
        "2019年广东省科技经费投入公报; China Statistical Yearbook on Science and Technology via "
        "huhuaping/techme (MIT); NSF InfoBriefs 14-315 and 16-317 (NCSES, public domain)",
    ),
    "air_routes_2014": Dataset(
        "edges_air_routes_prefecture_2014_openflights.csv",
        "prefecture",
        "directed prefecture pairs with airline route counts, June 2014",
        "OpenFlights route and airport databases, ODbL 1.0 (attribution required)",
    ),
}


def list_datasets() -> pd.DataFrame:
    """Table of the bundled datasets with level, description and source.

    >>> import spatialinno as si
    >>> "province_panel" in si.list_datasets()["name"].tolist()
    True
    """
    return pd.DataFrame(
        [
            {"name": k, "level": d.level, "description": d.description, "source": d.source}
            for k, d in DATASETS.items()
        ]
    )


def dataset_path(name: str) -> str:
    """Filesystem path of a bundled dataset (inside the installed package)."""
    if name not in DATASETS:
        raise InputError(f"unknown dataset {name!r}; available: {', '.join(DATASETS)}")
    return str(files("spatialinno").joinpath("_data", "datasets", DATASETS[name].file))


def load_dataset(name: str) -> pd.DataFrame:
    """Load a bundled dataset as a DataFrame; codes stay strings (``gb``, ``code`` ...).

    Parameters
    ----------
    name : str
        One of :func:`list_datasets` names, e.g. ``"province_panel"``, ``"city_census"``.

    Returns
    -------
    pandas.DataFrame
        The table; ``attrs["labels"]`` holds the readable label and unit of every indicator
        column in Chinese and English (``labels.csv``), which the join, the measures, the maps,
        the report and the QGIS layers show instead of the column name.

    Examples
    --------
    >>> import spatialinno as si
    >>> t2 = si.load_dataset("zhao2025_table2")
    >>> sorted(t2["year"].unique().tolist())
    [2012, 2015, 2018, 2021, 2023]
    >>> si.load_dataset("city_census").attrs["labels"]["popu_2020"].text("zh")
    '2020 年常住人口（人）'
    """
    code_like = {"gb", "code", "cityId", "city_code", "province_code", "gb_o", "gb_d"}
    path = dataset_path(name)
    header = pd.read_csv(path, nrows=0).columns
    frame = pd.read_csv(path, dtype={c: str for c in header if c in code_like})
    # readable labels and units in both languages travel with the frame (frame.attrs)
    return attach_labels(frame, dataset_labels(name))
