"""Attach indicator tables to the boundary layers: match rows to units, join, aggregate.

The join is where most of an analyst's time goes, so every table row is accounted for:

* :func:`match_regions` says, for each table row, which unit it is and *how* it was recognised
  (code, 9-digit ``156`` code, 12-digit statistical code, municipality city code, full name,
  short name, alias, English/pinyin name, or a 2010-2024 code change), or why it was not
  (unmatched with the closest names, ambiguous with the candidates, defunct with the history).
* :func:`join_indicators` left-joins the table onto *all* units of a layer (units without data
  keep NaN) and stores a :class:`JoinReport` in ``gdf.attrs["join_report"]``.
* :func:`aggregate` sums (or averages) prefecture or county values to provinces or prefectures.

Matching uses only the package's own reference data: the boundary layer attributes (``name``,
``name_short``, ``name_en``, ``province_code``), :func:`spatialinno.provinces` and
:func:`spatialinno.code_history`.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from os import PathLike
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from .._errors import ColumnError, DataWarning, InputError, JoinError
from .._validate import POLYGON_LEVELS, check_level, require_columns
from ..boundaries.names import is_latin, normalize, normalize_code, normalize_en, strip_suffix
from ..boundaries.regions import MUNICIPALITIES, code_history, provinces
from .read import _column_key, is_code_column, is_year_column, read_table

__all__ = ["HOW", "JoinReport", "aggregate", "join_indicators", "match_regions"]

#: every value of the ``how`` column of :func:`match_regions`
HOW: tuple[str, ...] = (
    "code",
    "code12",
    "code9",
    "city_code",
    "name",
    "short_name",
    "alias",
    "english",
    "history",
    "unmatched",
    "ambiguous",
    "defunct",
)
_NOT_MATCHED = ("unmatched", "ambiguous", "defunct")

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

# Column names that carry region names, by level (compared on the lower-cased name)
_PROVINCE_COL = re.compile(r"prov|省")
_PREFECTURE_COL = re.compile(r"city|prefecture|城市|地级|地市|^市|市名|^地区")
_NAME_COL = {
    "province": re.compile(r"prov|省|^name|名称|^region$|^地区|^area$"),
    "prefecture": re.compile(r"city|prefecture|城市|地级|地市|^市|市名|^name|名称|^地区|^region$"),
    "county": re.compile(r"county|district|区县|县|^name|名称|^地区"),
}


# --------------------------------------------------------------------------------------------
# reference index
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _History:
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
class _Reference:
    level: str
    units: pd.DataFrame  # layer attributes without geometry, indexed by code
    indexes: dict[str, dict[str, tuple[str, ...]]]
    history_codes: dict[str, _History]
    history_names: dict[str, dict[str, _History]]
    suggest: dict[str, list[str]]  # normalised name -> display labels (for difflib)


def _layer_attributes(level: str) -> pd.DataFrame:
    from ..boundaries.load import load_boundaries

    return pd.DataFrame(load_boundaries(level).drop(columns="geometry"))


def _add(index: dict[str, set[str]], key: str, code: str) -> None:
    if key:
        index.setdefault(key, set()).add(code)


def _letters(text: object) -> str:
    """English key that keeps a bracketed remark: "Taizhou(JS) City" -> "taizhoujs".

    The layer's ``name_en`` tells apart same-sounding cities that way (Taizhou(JS) 泰州,
    Taizhou(ZJ) 台州), and tables derived from it do the same.
    """
    return normalize_en(re.sub(r"[()\[\]（）]", " ", str(text)))


_REMARK = re.compile(r"[(（\[]([^)）\]]+)[)）\]]")


def _remark_province(value: str) -> str | None:
    """Province named in a bracketed remark: "朝阳区(北京)", "Taizhou (Jiangsu)", "Suzhou(AH)"."""
    found = _REMARK.search(value)
    if not found:
        return None
    remark = found.group(1).strip()
    ref = provinces()
    alpha = dict(zip(ref["alpha2"].str.lower(), ref["code"], strict=True))
    if remark.lower() in alpha:
        return alpha[remark.lower()]
    match = _match_name(_reference("province"), remark, merge=False)
    return match.code if match.found else None


@lru_cache(maxsize=4)
def _reference(level: str) -> _Reference:
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
        _add(raw["english"], _letters(name_en), code)
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

    history_codes: dict[str, _History] = {}
    history_names: dict[str, dict[str, _History]] = {"name": {}, "short_name": {}, "english": {}}
    if level == "prefecture":  # code_history lists prefecture-level changes only
        for row in code_history().itertuples(index=False):
            if not isinstance(row.old_code, str) or row.change_type == "boundary_change":
                continue
            record = _History(
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

    suggest: dict[str, list[str]] = {}
    for code, name, name_en in zip(units["code"], units["name"], units["name_en"], strict=True):
        label = _label(units, code)
        for key in (normalize(name), strip_suffix(normalize(name)), normalize_en(name_en)):
            suggest.setdefault(key, [])
            if label not in suggest[key]:
                suggest[key].append(label)
    return _Reference(level, units, indexes, history_codes, history_names, suggest)


def _label(units: pd.DataFrame, code: str) -> str:
    """'朝阳区 (110105, 北京市)': name, code and the enclosing unit(s) that tell twins apart."""
    row = units.loc[code]
    where = []
    if row.get("province") is not None and row["province"] != row["name"]:
        where.append(str(row["province"]))
    prefecture = row.get("prefecture")
    if isinstance(prefecture, str) and prefecture not in (row["name"], row.get("province")):
        where.append(prefecture)
    inside = f", {' '.join(where)}" if where else ""
    return f"{row['name']} ({code}{inside})"


# --------------------------------------------------------------------------------------------
# matching one value
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Match:
    how: str
    code: str | None = None
    note: str = ""
    candidates: tuple[str, ...] = ()
    merged: bool = False

    @property
    def found(self) -> bool:
        return self.how not in _NOT_MATCHED


def _history_match(ref: _Reference, record: _History, how_found: str, merge: bool) -> _Match:
    text = record.explain()
    if record.change_type == "merge":
        if merge:
            return _Match(
                "history", record.new_codes[0], f"{text}; added to its successor", merged=True
            )
        return _Match(
            "defunct",
            None,
            f"{text}; not merged (the successor's own figure usually includes it already, so "
            "adding would double-count; pass merge_history=True to add it)",
            tuple(_label(ref.units, c) for c in record.new_codes if c in ref.units.index),
        )
    if len(record.new_codes) > 1:
        return _Match(
            "defunct",
            None,
            f"{text}; its figure cannot be apportioned among the successors",
            tuple(_label(ref.units, c) for c in record.new_codes if c in ref.units.index),
        )
    return _Match("history", record.new_codes[0], f"{text} ({how_found})")


def _match_code(ref: _Reference, digits: str, merge: bool) -> _Match:
    level = ref.level
    how = "code"
    if len(digits) == 9 and digits.startswith("156"):
        digits, how = digits[3:], "code9"
    elif len(digits) == 12:
        rest = digits[6:]
        digits, how = digits[:6], "code12"
        if rest.strip("0"):
            return _Match(
                "unmatched",
                note=f"12-digit code ends in {rest}: it is a township or village, not a "
                f"{level}-level unit; aggregate it to its county {digits} first",
            )
    elif len(digits) == 2 and level == "province":
        digits = digits + "0000"
    elif len(digits) == 4 and level == "prefecture":
        digits = digits + "00"
    if len(digits) != 6:
        return _Match(
            "unmatched",
            note=f"{digits!r} is not a region code (6 digits, 9 with the 156 prefix, or 12)",
        )
    if digits in ref.units.index:
        return _Match(how, digits)
    if level == "prefecture" and digits[:2] + "0000" in MUNICIPALITIES and digits[4:] == "00":
        # 110100 市辖区 / 500200 县: the municipality itself is the prefecture-level unit
        city = digits[:2] + "0000"
        return _Match("city_code", city, f"municipality city code {digits} -> {city}")
    if digits in ref.history_codes:
        return _history_match(ref, ref.history_codes[digits], "by code", merge)
    return _Match("unmatched", note=_code_hint(ref, digits))


def _code_hint(ref: _Reference, code: str) -> str:
    """Why a well-formed code is not in the layer, and what to do."""
    if code == "000000":
        return "000000 is the national total (全国); drop that row before joining"
    if code[2:] == "0000" and ref.level != "province":
        return f"{code} is a province code; use level='province' for a province table"
    if code[4:] != "00" and ref.level != "county":
        return f"{code} is a county-level code; use level='county' (or aggregate the table)"
    if code[4:] == "00" and code[2:] != "0000" and ref.level == "province":
        return f"{code} is a prefecture code; use level='prefecture' for a city table"
    if code[4:] == "00" and ref.level == "county":
        return f"{code} is a prefecture code; use level='prefecture' for a city table"
    return f"code {code} is not in the {ref.level} layer (nor in the 2010-2024 code history)"


def _in_context(ref: _Reference, code: str, province: str | None, prefecture: str | None) -> bool:
    row = ref.units.loc[code]
    if province is not None and row["province_code"] != province:
        return False
    if prefecture is not None and "prefecture_code" in ref.units.columns:
        return row["prefecture_code"] == prefecture
    return True


def _match_name(
    ref: _Reference,
    value: str,
    merge: bool,
    province: str | None = None,
    prefecture: str | None = None,
) -> _Match:
    # a bracketed remark naming a province ("朝阳区(北京)", "Suzhou (Anhui)") narrows the search
    # when no province column does -- but not for the exact English form, because the layer's
    # own name_en uses remarks that are not GB province codes ("Yulin(SX)" is 榆林, Shaanxi)
    hinted = province if province is not None else _remark_province(value)
    if is_latin(value):
        steps = [
            ("english", _letters(value), ref.indexes["english"], province),
            ("english", normalize_en(value), ref.indexes["english"], hinted),
            ("history", normalize_en(value), ref.history_names["english"], hinted),
        ]
        key = normalize_en(value)
    else:
        full = normalize(value)
        short = strip_suffix(full)
        steps = [
            ("name", full, ref.indexes["name"], hinted),
            ("history", full, ref.history_names["name"], hinted),
            ("short_name", full, ref.indexes["short_name"], hinted),
            ("short_name", short, ref.indexes["short_name"], hinted),
            ("alias", full, ref.indexes["alias"], hinted),
            ("alias", short, ref.indexes["alias"], hinted),
            ("history", short, ref.history_names["short_name"], hinted),
        ]
        key = full
    elsewhere: tuple[str, ...] = ()
    for how, name, index, within in steps:
        if (
            how != "history"
            and name != key
            and not is_latin(value)
            and _finer_unit_name(ref.level, key)
        ):
            # "承德县" / "朝阳区" are county names: their short form must not match the
            # prefecture 承德市 / 朝阳市 (a district row joined to its namesake city)
            return _Match("unmatched", None, _name_hint(ref, value), _closest(ref, key, hinted))
        hit = index.get(name) if name else None
        if hit is None:
            continue
        if isinstance(hit, _History):
            match = _history_match(ref, hit, f"by name {value!r}", merge)
            if match.code is None or _in_context(ref, match.code, within, None):
                return match
            continue
        codes = [c for c in hit if _in_context(ref, c, within, prefecture)]
        if len(codes) == 1:
            return _Match(how, codes[0])
        if len(codes) > 1:
            labels = tuple(_label(ref.units, c) for c in codes)
            return _Match(
                "ambiguous",
                None,
                f"{value!r} is the {how.replace('_', ' ')} of {len(codes)} {ref.level} units; "
                f"add a {'prefecture' if within else 'province'} column (or use codes) to "
                "tell them apart",
                labels,
            )
        elsewhere = elsewhere or tuple(_label(ref.units, c) for c in hit)
    if elsewhere:
        return _Match(
            "unmatched",
            None,
            f"{value!r} exists only outside the given province/prefecture: "
            f"{'; '.join(elsewhere)}; check the province column",
            elsewhere,
        )
    return _Match("unmatched", None, _name_hint(ref, value), _closest(ref, key, hinted))


def _finer_unit_name(level: str, full: str) -> bool:
    """True when ``full`` is the exact name of a unit of a level below ``level``."""
    finer = POLYGON_LEVELS[POLYGON_LEVELS.index(level) + 1 :]
    return any(full in _reference(other).indexes["name"] for other in finer)


_TOTALS = frozenset(
    {"全国", "中国", "全国合计", "全国总计", "合计", "总计", "china", "national", "total"}
)


def _name_hint(ref: _Reference, value: str) -> str:
    if normalize(value) in _TOTALS or normalize_en(value) in _TOTALS:
        return f"{value!r} is a total row, not a region; drop it before joining"
    for other in POLYGON_LEVELS:
        if other == ref.level:
            continue
        other_ref = _reference(other)
        full = normalize(value)
        if full in other_ref.indexes["name"] and len(full) > 2:
            return f"{value!r} is a {other} name; use level={other!r}"
    return f"{value!r} matches no {ref.level} name (full, short, alias, English or former name)"


def _closest(ref: _Reference, key: str, province: str | None, n: int = 5) -> tuple[str, ...]:
    """Closest unit names to a misspelt one (difflib ratio, ties broken by the shared prefix).

    A shared first character counts because misspellings of Chinese names usually replace a
    homophone later in the name (广洲 for 广州) rather than the first character.
    """
    scored = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(key)
    for name in ref.suggest:
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
            continue
        ratio = matcher.ratio()
        if ratio >= 0.5:
            prefix = next(
                (i for i, (a, b) in enumerate(zip(name, key, strict=False)) if a != b),
                min(len(name), len(key)),
            )
            scored.append((ratio + 0.1 * prefix / max(len(key), 1), name))
    labels: list[str] = []
    for _, name in sorted(scored, key=lambda t: -t[0]):  # stable: ties in layer order
        for label in ref.suggest[name]:
            code = label.split("(", 1)[1][:6]
            if label not in labels and (
                province is None or ref.units.loc[code, "province_code"] == province
            ):
                labels.append(label)
    return tuple(labels[:n])


def _match_value(
    ref: _Reference,
    value: object,
    merge: bool,
    province: str | None = None,
    prefecture: str | None = None,
) -> _Match:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return _Match("unmatched", note="empty key")
    digits = normalize_code(value)
    if digits is not None:
        return _match_code(ref, digits, merge)
    text = str(value).strip()
    if not text or normalize(text) == "":
        return _Match("unmatched", note="empty key")
    return _match_name(ref, text, merge, province, prefecture)


# --------------------------------------------------------------------------------------------
# key detection
# --------------------------------------------------------------------------------------------
def _context_columns(table: pd.DataFrame, level: str) -> tuple[list[str], list[str]]:
    """Columns naming the enclosing province (and, for counties, the prefecture)."""
    province_cols, prefecture_cols = [], []
    for column in table.columns:
        key = _column_key(column)
        if level != "province" and _PROVINCE_COL.search(key):
            province_cols.append(column)
        elif level == "county" and _PREFECTURE_COL.search(key):
            prefecture_cols.append(column)
    return province_cols, prefecture_cols


def _score(ref: _Reference, values: pd.Series, merge: bool) -> int:
    """Number of rows a column identifies (matched or defunct), to rank candidate key columns."""
    results = {v: _match_value(ref, v, merge) for v in values.dropna().unique()}
    return int(values.map(lambda v: v in results and results[v].how != "unmatched").sum())


def _detect(
    table: pd.DataFrame, ref: _Reference, merge: bool
) -> tuple[list[str], str | None, str | None]:
    province_cols, prefecture_cols = _context_columns(table, ref.level)
    context = set(province_cols) | set(prefecture_cols)
    code_cols = [c for c in table.columns if c not in context and is_code_column(c)]
    name_cols = [
        c
        for c in table.columns
        if c not in context
        and c not in code_cols
        and not is_year_column(c)
        and _NAME_COL[ref.level].search(_column_key(c))
        and not pd.api.types.is_numeric_dtype(table[c])
    ]
    ranked = []
    for kind, cols in (("code", code_cols), ("name", name_cols)):
        scores = [(_score(ref, table[c], merge), -i, c) for i, c in enumerate(cols)]
        scores = [s for s in scores if s[0] > 0]
        if scores:
            best = max(scores)
            ranked.append((best[0], kind == "code", best[2]))
    if not ranked and (code_cols or name_cols):
        # nothing matched, but a column is clearly meant as the key: use it, so that every row
        # is reported as unmatched with its closest names instead of a bare "no key column"
        ranked.append((0, True, (code_cols or name_cols)[0]))
    if not ranked:
        shown = ", ".join(map(str, table.columns))
        raise ColumnError(
            f"no column of the table identifies {ref.level} units (looked for codes in "
            f"{code_cols or 'none'} and names in {name_cols or 'none'}); columns: {shown}; "
            "pass key='<column>'"
        )
    keys = [c for _, _, c in sorted(ranked, reverse=True)]
    province = _best_context(table, province_cols, "province", merge)
    prefecture = _best_context(table, prefecture_cols, "prefecture", merge)
    return keys, province, prefecture


def _best_context(table: pd.DataFrame, cols: Sequence[str], level: str, merge: bool) -> str | None:
    if not cols:
        return None
    ref = _reference(level)
    scores = [(_score(ref, table[c], merge), -i, c) for i, c in enumerate(cols)]
    best = max(scores)
    return best[2] if best[0] > 0 else None


def _context_codes(table: pd.DataFrame, column: str | None, level: str) -> pd.Series:
    if column is None:
        return pd.Series(None, index=table.index, dtype=object)
    ref = _reference(level)
    cache = {v: _match_value(ref, v, False) for v in table[column].dropna().unique()}
    return table[column].map(lambda v: cache[v].code if v in cache else None)


# --------------------------------------------------------------------------------------------
# public: match_regions
# --------------------------------------------------------------------------------------------
def _as_table(table: pd.DataFrame | str | PathLike[str]) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table
    return read_table(table)


def _keys_arg(table: pd.DataFrame, key: str | Sequence[str] | None) -> list[str] | None:
    if key is None:
        return None
    keys = [key] if isinstance(key, str) else list(key)
    require_columns(table, keys)
    return keys


def match_regions(
    table: pd.DataFrame | str | PathLike[str],
    level: str,
    key: str | Sequence[str] | None = None,
    *,
    province_key: str | None = None,
    merge_history: bool = False,
) -> pd.DataFrame:
    """Recognise the region of every table row, and say how (or why not).

    Parameters
    ----------
    table : pandas.DataFrame or path
        Indicator table (a path is read with :func:`spatialinno.read_table`).
    level : {"province", "prefecture", "county"}
        Boundary layer the rows belong to. Names are resolved within that level: 吉林 is the
        province 吉林省 at ``level="province"`` and the city 吉林市 at ``level="prefecture"``.
    key : str or list of str, optional
        Column(s) holding codes or names, tried in order for each row (a row whose code is empty
        or unknown falls back to the next column). Detected when omitted: code-like columns
        (``gb``, ``code``, ``city_code``, ``cityId``, ``行政区划代码`` ...) and name-like columns
        (``name``, ``city``, ``province``, ``城市``, ``地区``, ``省份`` ...) are scored by how many
        rows they identify; the best code and the best name column are used, the one identifying
        more rows first (codes on a tie).
    province_key : str, optional
        Column naming each row's province (or its code), used to tell apart units that share a
        name (朝阳区 in 北京 and in 长春). Detected when omitted (``province``, ``省份`` ...). At
        ``level="county"`` a prefecture column (``city``, ``地级市`` ...) is used the same way.
    merge_history : bool, default False
        Rows of units merged into another (莱芜 371200 -> 济南 370100, 2019) are ``defunct`` by
        default; with True they are matched to the successor (``how="history"``).

    Returns
    -------
    pandas.DataFrame
        Same index as ``table``, one row per table row: ``key`` (column used), ``value``,
        ``code`` (6-digit, or missing), ``name`` (the unit's name), ``how`` (one of
        :data:`HOW`), ``note`` and ``candidates`` (tuple of "name (code, province)" labels: the
        closest names of an unmatched row, the units an ambiguous name could be, the successors
        of a defunct unit), ``merged`` (True for a row added to its successor because of
        ``merge_history=True``). ``attrs`` holds ``level``, ``key``, ``province_key`` and
        ``prefecture_key`` (the columns used).

    Notes
    -----
    Codes: 6 digits (int or str), 9 digits with the ``156`` prefix (``code9``), 12-digit
    statistical codes ``440100000000`` (``code12``), municipality city codes 110100/500200 ->
    110000/500000 (``city_code``), codes from before a change listed in
    :func:`spatialinno.code_history` (``history``; prefecture level). Names are compared after
    :func:`spatialinno.boundaries.names.normalize` (spaces, full-width forms, traditional characters)
    as full names, short names (``name_short`` or the name without 省/市/自治州/地区/盟 and
    ethnic designations), aliases (province abbreviations 粤/京, clipped forms such as 内蒙),
    English/pinyin (``name_en``, province pinyin; "Guangdong Province", "Xi'an") and former
    names (襄樊 -> 襄阳). Nothing is guessed: a name shared by several units is ``ambiguous``.

    Examples
    --------
    >>> import pandas as pd, spatialinno as si
    >>> t = pd.DataFrame({"city": ["广州", "Xi'an", "襄樊市", "莱芜市", "广洲"]})
    >>> m = si.match_regions(t, level="prefecture")
    >>> m[["code", "how"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['440100', 'short_name'], ['610100', 'english'], ['420600', 'history'],
     [None, 'defunct'], [None, 'unmatched']]
    >>> m.loc[4, "candidates"][0]  # closest names of the misspelt 广洲
    '广州市 (440100, 广东省)'
    """
    level = check_level(level, POLYGON_LEVELS)
    table = _as_table(table)
    ref = _reference(level)
    keys = _keys_arg(table, key)
    province_col = province_key
    prefecture_col = None
    if keys is None:
        keys, detected_province, prefecture_col = _detect(table, ref, merge_history)
        province_col = province_col or detected_province
    else:
        if province_col is None:
            province_cols, prefecture_cols = _context_columns(table, level)
            province_cols = [c for c in province_cols if c not in keys]
            prefecture_cols = [c for c in prefecture_cols if c not in keys]
            province_col = _best_context(table, province_cols, "province", merge_history)
            prefecture_col = _best_context(table, prefecture_cols, "prefecture", merge_history)
    if province_col is not None:
        require_columns(table, province_col)
    province_codes = _context_codes(table, province_col, "province")
    prefecture_codes = _context_codes(table, prefecture_col, "prefecture")

    cache: dict[tuple[object, ...], _Match] = {}
    records = []
    columns = {c: table[c].tolist() for c in keys}  # positional: the index may repeat labels
    provs, prefs = province_codes.tolist(), prefecture_codes.tolist()
    for pos in range(len(table)):
        prov = _code_or_none(provs[pos])
        pref = _code_or_none(prefs[pos])
        tried: list[tuple[str, object, _Match]] = []
        for column in keys:
            value = columns[column][pos]
            cache_key = (column, _hashable(value), prov, pref)
            if cache_key not in cache:
                cache[cache_key] = _match_value(ref, value, merge_history, prov, pref)
            tried.append((column, value, cache[cache_key]))
        records.append(_combine(ref, tried))
    out = pd.DataFrame(
        records,
        index=table.index,
        columns=["key", "value", "code", "how", "note", "candidates", "merged"],
    )
    out.insert(3, "name", out["code"].map(ref.units["name"]).astype(object))
    out["code"] = out["code"].astype(object).where(out["code"].notna(), None)
    out["name"] = out["name"].where(out["code"].notna(), None)
    out.attrs.update(
        level=level, key=tuple(keys), province_key=province_col, prefecture_key=prefecture_col
    )
    return out


def _code_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _hashable(value: object) -> object:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _combine(ref: _Reference, tried: list[tuple[str, object, _Match]]) -> list[object]:
    """First column that identifies the row wins; notes say what the earlier columns lacked."""
    chosen = next((t for t in tried if t[2].found or t[2].how == "defunct"), None)
    chosen = chosen or next((t for t in tried if t[2].how == "ambiguous"), None)
    notes = []
    for column, value, match in tried:
        if chosen is not None and column == chosen[0]:
            break
        if match.note != "empty key":
            notes.append(f"{column}={value!r}: {match.note}")
    if chosen is None:
        candidates = next((m.candidates for _, _, m in tried if m.candidates), ())
        notes = [f"{column}={value!r}: {match.note}" for column, value, match in tried] or [
            "no key column"
        ]
        first = tried[0] if tried else ("", None, _Match("unmatched"))
        return [first[0], first[1], None, "unmatched", "; ".join(notes), candidates, False]
    column, value, match = chosen
    if match.note:
        notes.append(match.note)
    for other, other_value, other_match in tried:
        # a later key column that names a different unit is worth a look (a shifted row, a
        # code typed for the neighbouring city); the first column still decides, nothing is
        # guessed, but the note makes the conflict visible in the report
        if other != column and other_match.found and match.found and other_match.code != match.code:
            notes.append(
                f"but {other}={other_value!r} is {_label(ref.units, other_match.code)}; check the row"
            )
    return [column, value, match.code, match.how, "; ".join(notes), match.candidates, match.merged]


# --------------------------------------------------------------------------------------------
# public: JoinReport
# --------------------------------------------------------------------------------------------
# eq=False: pandas compares ``attrs`` when it merges or concatenates frames, and a field-wise
# comparison of the DataFrames inside would raise ("truth value of a DataFrame is ambiguous")
@dataclass(frozen=True, repr=False, eq=False)
class JoinReport:
    """What a join did with every table row and every boundary unit.

    Attributes
    ----------
    level : str
        Boundary layer joined to ("province", "prefecture" or "county").
    key : tuple of str
        Table column(s) used to recognise rows, in the order they were tried.
    province_key : str or None
        Column used to tell apart units sharing a name (None when there was none).
    year : int or None
        Year selected with ``year=`` (None: all rows).
    rows : pandas.DataFrame
        :func:`match_regions` result for the table rows considered (after ``year=`` selection).
    units_without_data : pandas.DataFrame
        ``code``, ``name``, ``province`` of the layer units no table row matched.
    n_units : int
        Number of units in the layer.
    notes : tuple of str
        Everything else the join did that changes the data (columns renamed because the layer
        has a column of the same name, rows added to a successor, years selected).
    """

    level: str
    key: tuple[str, ...]
    province_key: str | None
    year: int | None
    rows: pd.DataFrame
    units_without_data: pd.DataFrame
    n_units: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def matched(self) -> pd.DataFrame:
        """Table rows matched to a unit (any ``how`` but unmatched, ambiguous, defunct)."""
        return self.rows[~self.rows["how"].isin(_NOT_MATCHED)]

    @property
    def unmatched(self) -> pd.DataFrame:
        """Table rows not joined, with ``how`` (unmatched/ambiguous/defunct), note, candidates."""
        return self.rows[self.rows["how"].isin(_NOT_MATCHED)]

    @property
    def how_counts(self) -> dict[str, int]:
        """Number of table rows per ``how``, in the order of :data:`HOW`."""
        counts = self.rows["how"].value_counts()
        return {h: int(counts[h]) for h in HOW if h in counts.index}

    @property
    def complete(self) -> bool:
        """True when every table row was matched."""
        return self.unmatched.empty

    def summary(self, max_rows: int = 20) -> str:
        """Readable multi-line account: counts by how, every unmatched row, units without data."""
        counts = self.how_counts
        found = ", ".join(f"{h} {n}" for h, n in counts.items() if h not in _NOT_MATCHED)
        lost = ", ".join(f"{h} {n}" for h, n in counts.items() if h in _NOT_MATCHED)
        year = f", year {self.year}" if self.year is not None else ""
        province = f", province column {self.province_key!r}" if self.province_key else ""
        lines = [
            f"JoinReport: {self.level} level, key {' -> '.join(map(repr, self.key))}"
            f"{province}{year}",
            f"  {len(self.rows)} table rows: {len(self.matched)} matched ({found or 'none'}), "
            f"{len(self.unmatched)} not matched{f' ({lost})' if lost else ''}",
            f"  {len(self.units_without_data)} of {self.n_units} {self.level} units have no data",
        ]
        if not self.unmatched.empty:
            lines.append("  rows not matched:")
            for idx, row in self.unmatched.head(max_rows).iterrows():
                label = {"unmatched": "closest", "ambiguous": "could be", "defunct": "successors"}
                cands = (
                    f"; {label[row['how']]}: {', '.join(row['candidates'])}"
                    if row["candidates"]
                    else ""
                )
                lines.append(
                    f"    row {idx}: {row['key']}={row['value']!r} {row['how']}: {row['note']}"
                    f"{cands}"
                )
            if len(self.unmatched) > max_rows:
                lines.append(f"    ... and {len(self.unmatched) - max_rows} more (.unmatched)")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """One row per table row: ``row`` (table index), key, value, code, name, how, note..."""
        out = self.rows.copy()
        out.insert(0, "row", out.index)
        return out.reset_index(drop=True)

    def __repr__(self) -> str:
        return (
            f"JoinReport(level={self.level!r}, key={self.key!r}, year={self.year!r}, "
            f"rows={len(self.rows)}, matched={len(self.matched)}, "
            f"unmatched={len(self.unmatched)}, units_without_data="
            f"{len(self.units_without_data)}/{self.n_units})"
        )

    def __str__(self) -> str:
        return self.summary()


# --------------------------------------------------------------------------------------------
# public: join_indicators
# --------------------------------------------------------------------------------------------
_YEAR_TOKEN = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)年?")


def _wide_columns(columns: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Columns whose name carries a year: name -> (year, name without the year)."""
    out = {}
    for column in columns:
        text = str(column)
        found = _YEAR_TOKEN.findall(text)
        if len(found) != 1:
            continue
        stem = _YEAR_TOKEN.sub("", text)
        stem = re.sub(r"[_\-\s.]{2,}", "_", stem).strip("_- .")
        if stem:
            out[column] = (int(found[0]), stem)
    return out


def _layer(level: str) -> gpd.GeoDataFrame:
    from ..boundaries.load import load_boundaries

    return load_boundaries(level)


def _row_list(index: Iterable[object]) -> str:
    return ", ".join(str(i) for i in index)


def join_indicators(
    table: pd.DataFrame | str | PathLike[str],
    level: str,
    key: str | Sequence[str] | None = None,
    year: int | None = None,
    on_unmatched: Literal["raise", "warn", "ignore"] = "raise",
    *,
    province_key: str | None = None,
    merge_history: bool = False,
) -> gpd.GeoDataFrame:
    """Left-join an indicator table onto every unit of a boundary layer.

    Parameters
    ----------
    table : pandas.DataFrame or path
        Indicator table; cleaned with :func:`spatialinno.read_table` (codes as strings, numbers
        with thousands separators or full-width digits parsed).
    level : {"province", "prefecture", "county"}
        Boundary layer (EPSG:4490) to join to.
    key, province_key, merge_history
        How rows are recognised; see :func:`spatialinno.match_regions`.
    year : int, optional
        Long panel (a ``year``/``年份``/``年度`` column): keep the rows of that year. Wide panel
        (one column per indicator-year, ``rd_staff_2019`` or ``2019年R&D人员``): keep that year's
        columns, renamed without the year (``rd_staff``); columns without a year are kept too.
        ``None`` keeps everything: a long table gives a long frame (see Returns); a wide table
        keeps its columns as they are.
    on_unmatched : {"raise", "warn", "ignore"}, default "raise"
        What to do when table rows are unmatched or ambiguous: raise :class:`JoinError`
        (carrying the report), warn with :class:`DataWarning`, or say nothing. Rows of defunct
        units (莱芜, 巢湖) are never an error -- the table is right, the map has moved on -- and
        are reported with a ``DataWarning`` unless ``on_unmatched="ignore"``.

    Returns
    -------
    geopandas.GeoDataFrame
        All units of the layer in layer order (EPSG:4490), the layer's attribute columns, then
        the table's value columns (key, province and year columns left out; a value column
        whose name the layer already uses gets the suffix ``_table``); units without data hold
        NaN. For a long table with ``year=None`` the frame is a balanced panel: every unit once
        for every year present in the table (sorted by year, then layer order, with a ``year``
        column), so ``gdf[gdf["year"] == 2015]`` is always a complete map layer.
        ``gdf.attrs["join_report"]`` holds the :class:`JoinReport`.

    Raises
    ------
    JoinError
        Unmatched or ambiguous rows with ``on_unmatched="raise"``; ``err.report`` is the report.
    InputError
        Two rows for the same unit (and year) -- listed, nothing is summed silently -- or a
        ``year`` the table does not have.

    Examples
    --------
    >>> import spatialinno as si
    >>> panel = si.load_dataset("province_panel")
    >>> panel = panel[panel["province"] != "全国"]        # the national total row is no region
    >>> gdf = si.join_indicators(panel, level="province", year=2020)
    >>> len(gdf), gdf.crs.to_epsg(), gdf["gdp_100m_yuan"].notna().sum()
    (34, 4490, np.int64(31))
    >>> gdf.attrs["join_report"]
    JoinReport(level='province', key=('gb', 'province'), year=2020, rows=31, matched=31, \
unmatched=0, units_without_data=3/34)
    """
    level = check_level(level, POLYGON_LEVELS)
    if on_unmatched not in ("raise", "warn", "ignore"):
        raise InputError(f"on_unmatched must be 'raise', 'warn' or 'ignore', not {on_unmatched!r}")
    table = read_table(table) if isinstance(table, pd.DataFrame) else _as_table(table)
    notes: list[str] = []
    if not table.index.is_unique:
        # rows must be addressable one by one (selection by year, duplicates, the report)
        table = table.reset_index(drop=True)
        notes.append("the table index had repeated labels; rows are numbered 0..n-1 here")
    matches = match_regions(
        table, level, key, province_key=province_key, merge_history=merge_history
    )
    ids = set(matches.attrs["key"]) | {
        c for c in (matches.attrs["province_key"], matches.attrs["prefecture_key"]) if c
    }
    year_col = next((c for c in table.columns if is_year_column(c) and c not in ids), None)
    value_cols = [c for c in table.columns if c not in ids and c != year_col]

    rows = table
    if year is not None:
        year = int(year)
        wide = _wide_columns(value_cols)
        if year_col is not None:
            available = sorted(table[year_col].dropna().unique().tolist())
            rows = table[table[year_col] == year]
            if rows.empty:
                raise InputError(
                    f"no rows for year {year} in column {year_col!r}; the table has "
                    f"{_row_list(available)}"
                )
        elif wide:
            years = sorted({y for y, _ in wide.values()})
            picked = {c: stem for c, (y, stem) in wide.items() if y == year}
            if not picked:
                raise InputError(
                    f"no column for year {year}; the table's columns carry the years "
                    f"{_row_list(years)}"
                )
            value_cols = [c for c in value_cols if c not in wide or c in picked]
            rows = table.rename(columns=picked)
            value_cols = [picked.get(c, c) for c in value_cols]
            if len(set(value_cols)) != len(value_cols):
                dup = sorted({c for c in value_cols if value_cols.count(c) > 1})
                raise InputError(
                    f"for year {year} the columns {dup} exist both with and without the year; "
                    "rename one of them"
                )
            notes.append(
                f"wide table: took {len(picked)} column(s) of {year} "
                f"({', '.join(f'{a} -> {b}' for a, b in picked.items())})"
            )
        else:
            raise InputError(
                f"year={year} was given but the table has no year column (year/年份/年度) and "
                "no column names with a year (rd_staff_2019, 2019年R&D人员); leave year=None"
            )
    sel = matches.loc[rows.index]
    long = year_col is not None and year is None
    if long and rows[year_col].isna().any():
        empty_year = rows.index[rows[year_col].isna().to_numpy()]
        raise InputError(
            f"{len(empty_year)} row(s) of a long table have no value in the year column "
            f"{year_col!r}: rows {_row_list(empty_year[:20])}; fill or drop them"
        )

    found = sel[~sel["how"].isin(_NOT_MATCHED)]
    data = rows.loc[found.index, value_cols].copy()
    data.insert(0, "code", found["code"].astype(str))
    if long:
        data.insert(1, "year", rows.loc[found.index, year_col].astype("Int64"))
    _check_duplicates(data, found, table, long)
    data = _apply_merges(data, found, long, notes)

    layer = _layer(level)
    clash = [c for c in value_cols if c in layer.columns or c == "year"]
    if clash:
        data = data.rename(columns={c: f"{c}_table" for c in clash})
        notes.append(
            f"table column(s) {clash} renamed with the suffix '_table' (the layer has them)"
        )
    if long:
        years = sorted(data["year"].dropna().unique().tolist())
        parts = []
        for y in years:
            part = layer.merge(data[data["year"] == y].drop(columns="year"), on="code", how="left")
            part.insert(part.columns.get_loc("geometry"), "year", int(y))
            parts.append(part)
        if not parts:
            parts = [layer.assign(year=pd.NA)]
        gdf = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=layer.crs)
        notes.append(f"long table: balanced panel of {len(years)} year(s) x {len(layer)} units")
    else:
        gdf = layer.merge(data, on="code", how="left")
    gdf = gdf[[c for c in gdf.columns if c != "geometry"] + ["geometry"]]
    gdf = gpd.GeoDataFrame(gdf, geometry="geometry", crs=layer.crs)

    have = set(data["code"])
    missing = layer.loc[~layer["code"].isin(have), ["code", "name", "province"]]
    report = JoinReport(
        level=level,
        key=tuple(matches.attrs["key"]),
        province_key=matches.attrs["province_key"],
        year=year,
        rows=sel,
        units_without_data=missing.reset_index(drop=True),
        n_units=len(layer),
        notes=tuple(notes),
    )
    gdf.attrs["join_report"] = report
    bad = report.unmatched[report.unmatched["how"] != "defunct"]
    if not bad.empty and on_unmatched == "raise":
        raise JoinError(
            f"{len(bad)} table row(s) could not be matched to {level} units; fix them, pass "
            "key=/province_key=, or on_unmatched='warn'\n" + report.summary(),
            report,
        )
    if not report.unmatched.empty and on_unmatched != "ignore":
        warnings.warn(
            f"{len(report.unmatched)} table row(s) left out of the join\n{report.summary()}",
            DataWarning,
            stacklevel=2,
        )
    return gdf


def _check_duplicates(
    data: pd.DataFrame, found: pd.DataFrame, table: pd.DataFrame, long: bool
) -> None:
    own = data[~found["merged"].to_numpy(dtype=bool)]
    by = ["code", "year"] if long else ["code"]
    dup = own[own.duplicated(by, keep=False)]
    if dup.empty:
        return
    lines = []
    for keys, group in dup.groupby(by, sort=False):
        keys = keys if isinstance(keys, tuple) else (keys,)
        unit = found.loc[group.index[0], "name"]
        when = f" in {keys[1]}" if long else ""
        values = ", ".join(repr(found.loc[i, "value"]) for i in group.index)
        lines.append(f"{unit} ({keys[0]}){when}: rows {_row_list(group.index)} ({values})")
    hint = "" if long else "; a panel needs a year column (year/年份) or year="
    raise InputError(
        f"{len(lines)} unit(s) appear in more than one table row (rows = table index):\n  "
        + "\n  ".join(lines[:20])
        + ("\n  ..." if len(lines) > 20 else "")
        + f"\ndrop or combine the duplicates before joining{hint}"
    )


def _apply_merges(
    data: pd.DataFrame, found: pd.DataFrame, long: bool, notes: list[str]
) -> pd.DataFrame:
    merged_mask = found["merged"].to_numpy(dtype=bool)
    if not merged_mask.any():
        return data
    own = data[~merged_mask].copy()
    numeric = [
        c
        for c in own.columns
        if c not in ("code", "year") and pd.api.types.is_numeric_dtype(own[c])
    ]
    by = ["code", "year"] if long else ["code"]
    for idx, row in data[merged_mask].iterrows():
        target = own["code"].eq(row["code"])
        if long:
            target &= own["year"].eq(row["year"])
        old = found.loc[idx, "value"]
        if not target.any():
            notes.append(
                f"row {idx} ({old!r}) not added: its successor {row['code']} has no row of its own "
                f"for {', '.join(str(row[b]) for b in by)}"
            )
            continue
        # NaN + x stays NaN on purpose: a total that silently leaves out a part is worse than none
        own.loc[target, numeric] = own.loc[target, numeric].to_numpy() + row[numeric].to_numpy(
            dtype=float
        )
        notes.append(f"row {idx} ({old!r}) added to {row['code']} (merge_history=True)")
    return own


# --------------------------------------------------------------------------------------------
# public: aggregate
# --------------------------------------------------------------------------------------------
_PARENT = {"province": "province_code", "prefecture": "prefecture_code"}


def aggregate(
    gdf: pd.DataFrame,
    columns: str | Sequence[str],
    to: Literal["province", "prefecture"] = "province",
    how: Literal["sum", "mean", "min", "max"] = "sum",
    skipna: bool = False,
) -> gpd.GeoDataFrame:
    """Aggregate prefecture (or county) values to provinces (or prefectures).

    Parameters
    ----------
    gdf : GeoDataFrame or DataFrame
        Output of :func:`join_indicators` (or any frame with ``code``, ``province_code`` and,
        for ``to="prefecture"``, ``prefecture_code``); a ``year`` column makes it per year.
    columns : str or list of str
        Numeric columns to aggregate.
    to : {"province", "prefecture"}, default "province"
        Target layer; its geometry (EPSG:4490) is taken from :func:`spatialinno.load_boundaries`.
    how : {"sum", "mean", "min", "max"}, default "sum"
        Sum is right for counts and money (R&D staff, spending, patents, GDP); use "mean" only
        for already-normalised values, and prefer recomputing ratios from aggregated parts.
    skipna : bool, default False
        By default a target unit with *any* missing member gets NaN, because a sum that
        silently leaves out members (for example the province-administered county-level cities
        仙桃/潜江/天门 that city yearbooks omit) would understate it; a :class:`DataWarning` names
        the members. ``True`` aggregates the members that have values (still named in
        ``n_missing``). Units of type ``other`` (three Tianditu areas in Gansu coded
        629700/629800/629900 that are not statistical units) never count as missing.

    Returns
    -------
    geopandas.GeoDataFrame
        Every unit of the target layer in layer order, its attributes, the aggregated columns,
        ``n_units`` (members in the source frame) and ``n_missing`` (members with a missing
        value in any of ``columns``; which column is decided per column). For a panel, one row
        per unit and year.

    Examples
    --------
    >>> import spatialinno as si
    >>> census = si.load_dataset("city_census")
    >>> gdf = si.join_indicators(census[["gb", "popu_2020"]], level="prefecture")
    >>> prov = si.aggregate(gdf, "popu_2020", to="province", skipna=True)
    >>> int(prov.loc[prov["name"] == "广东省", "popu_2020"].item())
    126012510
    """
    to = check_level(to, ("province", "prefecture"))
    if how not in ("sum", "mean", "min", "max"):
        raise InputError(f"how must be 'sum', 'mean', 'min' or 'max', not {how!r}")
    cols = require_columns(gdf, columns, "frame")
    parent = _PARENT[to]
    require_columns(gdf, ["code", parent], "frame (join it with join_indicators first)")
    for column in cols:
        if not pd.api.types.is_numeric_dtype(gdf[column]):
            raise InputError(
                f"column {column!r} is not numeric ({gdf[column].dtype}); aggregate numeric "
                "columns only (parse them with read_table)"
            )
    frame = pd.DataFrame(gdf.drop(columns="geometry", errors="ignore"))
    if "unit_type" in frame.columns:
        frame = frame[frame["unit_type"] != "other"]
    by = [parent] + (["year"] if "year" in frame.columns else [])
    has_value = frame[cols].notna().all(axis=1)
    grouped = frame.groupby(by, sort=False, dropna=False)
    values = grouped[cols].agg(how, **({"min_count": 1} if how == "sum" else {}))
    if not skipna:
        # per column: a unit missing only popu_2010 must not blank its province's popu_2020
        incomplete = frame[cols].isna().groupby([frame[b] for b in by]).any()
        values = values.mask(incomplete.reindex(values.index).fillna(False).astype(bool))
    counts = pd.DataFrame(
        {
            "n_units": grouped.size(),
            "n_missing": (~has_value).groupby([frame[b] for b in by]).sum(),
        }
    )
    result = values.join(counts).reset_index().rename(columns={parent: "code"})

    missing = frame[~has_value]
    if not missing.empty:
        names = missing.get("name", missing["code"]).astype(str)
        lacking = (
            missing[cols]
            .isna()
            .apply(lambda r: "/".join(c for c in cols if r[c]) if len(cols) > 1 else "", axis=1)
        )
        names = names + lacking.map(lambda t: f" ({t})" if t else "")
        per_parent = names.groupby(missing[parent]).agg(lambda s: ", ".join(sorted(set(s))))
        detail = "; ".join(f"{p}: {n}" for p, n in per_parent.head(10).items())
        more = f" and {len(per_parent) - 10} more" if len(per_parent) > 10 else ""
        effect = "left out of the totals" if skipna else "the totals of their units are NaN"
        warnings.warn(
            f"{len(missing)} unit(s) have missing values in {cols} ({effect}; pass "
            f"skipna={not skipna} to change): {detail}{more}",
            DataWarning,
            stacklevel=2,
        )
    target = _layer(to)
    out = target.merge(result, on="code", how="left")
    out["n_units"] = out["n_units"].fillna(0).astype(int)
    out["n_missing"] = out["n_missing"].fillna(0).astype(int)
    out = out[[c for c in out.columns if c != "geometry"] + ["geometry"]]
    if "year" in frame.columns:
        out = out[out["year"].notna()].sort_values("year", kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=target.crs)
