"""The reference index every match uses: the units of a layer by name, short name, alias, English
name and former name, and the 2010-2024 code history.

Built from the package's own reference data only: the boundary layer attributes (``name``,
``name_short``, ``name_en``, ``province_code``), :func:`spatialinno.provinces` and
:func:`spatialinno.code_history`; cached per level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from ..boundaries.names import normalize, normalize_en, strip_suffix
from ..boundaries.regions import code_history, provinces

__all__ = ["History", "Reference", "label", "letters", "reference"]

# Alternative Chinese names that no suffix rule produces. Province level: clipped forms used in
# yearbook tables. Prefecture level: 思茅 was renamed 普洱 in 2007, before the code history starts.
_ALIASES: dict[str, dict[str, str]] = {
    "province": {
        "内蒙": "150000",
        "广西壮族": "450000",
        "宁夏回族": "640000",
        "新疆维吾尔": "650000",
        "新疆维吾尔族": "650000",
    },
    "prefecture": {"思茅": "530800", "思茅市": "530800"},
    "county": {},
}
# English/pinyin spellings beside the layer's name_en and the provinces' pinyin
_EN_ALIASES: dict[str, dict[str, str]] = {
    "province": {
        "neimongol": "150000",
        "innermongolia": "150000",
        "tibet": "540000",
        "xizang": "540000",
        "macao": "820000",
        "hongkong": "810000",
        "peking": "110000",
        "canton": "440000",
    },
    # exonyms and plain pinyin beside the layer's name_en (which uses Ordos, Kashgar, Rikaze ...)
    "prefecture": {
        "peking": "110000",
        "macao": "820000",
        "hongkongsar": "810000",
        "huhehaote": "150100",
        "erdos": "150600",
        "eerduosi": "150600",
        "hulunbeier": "150700",
        "haerbin": "230100",
        "xigaze": "540200",
        "shigatse": "540200",
        "qamdo": "540300",
        "chamdo": "540300",
        "changdu": "540300",
        "nyingchi": "540400",
        "lhoka": "540500",
        "nagqu": "540600",
        "ngari": "542500",
        "wulumuqi": "650100",
        "turpan": "650400",
        "kumul": "650500",
        "kashi": "653100",
        "hetian": "653200",
        "akesu": "652900",
        "yili": "654000",
        "kezilesu": "653000",
        "bayinguoleng": "652800",
        "boertala": "652700",
    },
    "county": {},
}

# Pinyin of former prefecture names (keys of code_history old codes), for English tables
_EN_HISTORY: dict[str, str] = {
    "xiangfan": "420600",
    "chaohu": "341400",
    "laiwu": "371200",
    "tongrendiqu": "522200",
    "bijiediqu": "522400",
    "haidongdiqu": "632100",
}


@dataclass(frozen=True)
class History:
    """One change of the code history: the former unit, its successors, when and by what act."""

    old_code: str
    old_name: str
    change_type: str
    new_codes: tuple[str, ...]
    new_names: tuple[str, ...]
    date: str
    document: str

    def explain(self) -> str:
        doc = f", {self.document}" if self.document else ""
        successors = ", ".join(
            f"{n} ({c})" for c, n in zip(self.new_codes, self.new_names, strict=True)
        )
        verb = {
            "merge": "was merged into",
            "abolish_split": "was abolished and split among",
            "rename": "was renamed",
            "upgrade_diqu_to_city": "became",
            "upgrade_county_city_to_prefecture": "became",
            "new_prefecture": "became part of",
        }.get(self.change_type, "became")
        return f"{self.old_name} ({self.old_code}) {verb} {successors} on {self.date}{doc}"


@dataclass(frozen=True)
class Reference:
    """The reference index of one level (see :func:`reference`)."""

    level: str
    units: pd.DataFrame  # layer attributes without geometry, indexed by code
    indexes: dict[str, dict[str, tuple[str, ...]]]
    history_codes: dict[str, History]
    history_names: dict[str, dict[str, History]]
    suggest: dict[str, list[str]]  # normalised name -> display labels (for difflib)
    # code -> (province code, prefecture code or None): a row lookup in ``units`` costs 0.1 ms,
    # once per candidate of every table row (0.4 s of a county join)
    parents: dict[str, tuple[object, object]]


def _layer_attributes(level: str) -> pd.DataFrame:
    from ..boundaries.load import load_boundaries

    return pd.DataFrame(load_boundaries(level).drop(columns="geometry"))


def _add(index: dict[str, set[str]], key: str, code: str) -> None:
    if key:
        index.setdefault(key, set()).add(code)


def letters(text: object) -> str:
    """English key that keeps a bracketed remark: "Taizhou(JS) City" -> "taizhoujs".

    The layer's ``name_en`` tells apart same-sounding cities that way (Taizhou(JS) 泰州,
    Taizhou(ZJ) 台州), and tables derived from it do the same.
    """
    return normalize_en(re.sub(r"[()\[\]（）]", " ", str(text)))


@lru_cache(maxsize=4)
def reference(level: str) -> Reference:
    """The reference index of a level's units (cached): names, aliases, history, suggestions."""
    units = _layer_attributes(level).set_index("code", drop=False)
    raw: dict[str, dict[str, set[str]]] = {
        k: {} for k in ("name", "short_name", "alias", "english")
    }
    for code, name, short, name_en in zip(
        units["code"], units["name"], units["name_short"], units["name_en"], strict=True
    ):
        full = normalize(name)
        _add(raw["name"], full, code)
        _add(raw["short_name"], normalize(short), code)
        _add(raw["short_name"], strip_suffix(full), code)
        _add(raw["english"], normalize_en(name_en), code)
        _add(raw["english"], letters(name_en), code)
    if level == "province":
        ref = provinces()
        for code, pinyin, abbr in zip(ref["code"], ref["name_pinyin"], ref["abbr"], strict=True):
            if code in units.index:
                _add(raw["english"], normalize_en(pinyin), code)
                _add(raw["alias"], normalize(abbr), code)  # 粤, 京, 沪 ...
    for alias, code in _ALIASES[level].items():
        _add(raw["alias"], normalize(alias), code)
    for alias, code in _EN_ALIASES[level].items():
        _add(raw["english"], alias, code)
    indexes = {k: {n: tuple(sorted(c)) for n, c in v.items()} for k, v in raw.items()}

    history_codes: dict[str, History] = {}
    history_names: dict[str, dict[str, History]] = {"name": {}, "short_name": {}, "english": {}}
    if level == "prefecture":  # code_history lists prefecture-level changes only
        history_codes, history_names = _history(units, indexes)

    suggest: dict[str, list[str]] = {}
    labels = _labels(units)
    for code, name, name_en in zip(units["code"], units["name"], units["name_en"], strict=True):
        text = labels[code]
        for key in (normalize(name), strip_suffix(normalize(name)), normalize_en(name_en)):
            suggest.setdefault(key, [])
            if text not in suggest[key]:
                suggest[key].append(text)
    prefectures = units["prefecture_code"] if "prefecture_code" in units else [None] * len(units)
    parents = dict(zip(units["code"], zip(units["province_code"], prefectures, strict=True),
                       strict=True))  # fmt: skip
    return Reference(level, units, indexes, history_codes, history_names, suggest, parents)


def _labels(units: pd.DataFrame) -> dict[str, str]:
    """:func:`label` of every unit (row by row through pandas: 0.3 s for the counties)."""
    rows = units.to_dict("records")
    return {r["code"]: _label(r, r["code"]) for r in rows}


def _history(
    units: pd.DataFrame, indexes: dict[str, dict[str, tuple[str, ...]]]
) -> tuple[dict[str, History], dict[str, dict[str, History]]]:
    """The prefecture code history by former code and by former (full, short, English) name;
    a former name that is a current name of the layer stays that unit's."""
    history_codes: dict[str, History] = {}
    history_names: dict[str, dict[str, History]] = {"name": {}, "short_name": {}, "english": {}}
    for row in code_history().itertuples(index=False):
        if not isinstance(row.old_code, str) or row.change_type == "boundary_change":
            continue
        record = History(
            old_code=row.old_code,
            old_name=row.old_name,
            change_type=row.change_type,
            new_codes=tuple(str(row.new_code).split(";")),
            new_names=tuple(str(row.new_name).split(";")),
            date=str(row.approval_date),
            document=row.document_no if isinstance(row.document_no, str) else "",
        )
        for old in row.old_code.split(";"):
            if old not in units.index:  # a rename keeps its code: the code is simply current
                history_codes[old] = record
        for old in row.old_code.split(";"):
            for en, en_code in _EN_HISTORY.items():
                if en_code == old:
                    history_names["english"][en] = record
        for old_name in row.old_name.split(";"):
            full = normalize(old_name)
            if full not in indexes["name"]:
                history_names["name"][full] = record
            short = strip_suffix(full)
            if short not in indexes["short_name"] and short not in indexes["name"]:
                history_names["short_name"][short] = record
    return history_codes, history_names


def label(units: pd.DataFrame, code: str) -> str:
    """'朝阳区 (110105, 北京市)': name, code and the enclosing unit(s) that tell twins apart."""
    return _label(units.loc[code], code)


def _label(row: Any, code: str) -> str:
    where = []
    if row.get("province") is not None and row["province"] != row["name"]:
        where.append(str(row["province"]))
    prefecture = row.get("prefecture")
    if isinstance(prefecture, str) and prefecture not in (row["name"], row.get("province")):
        where.append(prefecture)
    inside = f", {' '.join(where)}" if where else ""
    return f"{row['name']} ({code}{inside})"
