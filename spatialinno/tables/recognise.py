"""Recognising one value of a table as a unit of a layer, and saying how (or why not).

A value is a code (6 digits, 9 with the ``156`` prefix, 12-digit statistical codes, municipality
city codes, codes changed since 2010) or a name (full, short, alias, English/pinyin, former);
names are resolved within the layer's level and, when the table says so, within a province or
prefecture. Nothing is guessed: a name shared by several units is ``ambiguous``, a unit merged
into another is ``defunct`` (with its history), and an unknown value comes with the closest
names.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._notes import Note
from .._validate import POLYGON_LEVELS
from ..boundaries.names import (
    is_latin,
    normalize,
    normalize_code,
    normalize_en,
    strip_ethnic,
    strip_suffix,
)
from ..boundaries.regions import MUNICIPALITIES, provinces
from .reference import History, Reference, label, letters, reference

__all__ = [
    "EMPTY_KEY",
    "HOW",
    "NOT_MATCHED",
    "Match",
    "history_match",
    "match_code",
    "match_name",
    "match_value",
]

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
NOT_MATCHED = ("unmatched", "ambiguous", "defunct")
#: the note of an empty key cell
EMPTY_KEY = Note("empty_key", "empty key")


_REMARK = re.compile(r"[(（\[]([^)）\]]+)[)）\]]")


def remark_province(value: str) -> str | None:
    """Province named in a bracketed remark: "朝阳区(北京)", "Taizhou (Jiangsu)", "Suzhou(AH)"."""
    found = _REMARK.search(value)
    if not found:
        return None
    remark = found.group(1).strip()
    ref = provinces()
    alpha = dict(zip(ref["alpha2"].str.lower(), ref["code"], strict=True))
    if remark.lower() in alpha:
        return alpha[remark.lower()]
    match = match_name(reference("province"), remark, merge=False)
    return match.code if match.found else None


@dataclass(frozen=True)
class Match:
    """How a value was recognised (one of :data:`HOW`), the unit's code, a note, candidates."""

    how: str
    code: str | None = None
    note: str = ""
    candidates: tuple[str, ...] = ()
    merged: bool = False

    @property
    def found(self) -> bool:
        return self.how not in NOT_MATCHED


def history_match(ref: Reference, record: History, how_found: str, merge: bool) -> Match:
    """The match of a value found in the code history: the successor (a rename or upgrade),
    added to it (a merge, with ``merge``), or defunct (a merge without ``merge``, a split)."""
    text = record.explain()
    # the facts of the change, for a report that says them in its own language
    facts = {
        "old": record.old_name,
        "old_code": record.old_code,
        "new": tuple(zip(record.new_codes, record.new_names, strict=True)),
        "date": record.date,
        "document": record.document,
    }
    if record.change_type == "merge":
        if merge:
            note = Note("history_merge_added", f"{text}; added to its successor", **facts)
            return Match("history", record.new_codes[0], note, merged=True)
        return Match(
            "defunct",
            None,
            Note(
                "history_merge",
                f"{text}; not merged (the successor's own figure usually includes it already, "
                "so adding would double-count; pass merge_history=True to add it)",
                **facts,
            ),
            tuple(label(ref.units, c) for c in record.new_codes if c in ref.units.index),
        )
    if len(record.new_codes) > 1:
        return Match(
            "defunct",
            None,
            Note(
                "history_split",
                f"{text}; its figure cannot be apportioned among the successors",
                **facts,
            ),
            tuple(label(ref.units, c) for c in record.new_codes if c in ref.units.index),
        )
    return Match(
        "history", record.new_codes[0], Note("history_renamed", f"{text} ({how_found})", **facts)
    )


def match_code(ref: Reference, digits: str, merge: bool) -> Match:
    """The match of a code (6 digits, 9 with the ``156`` prefix, 12-digit statistical codes,
    2- or 4-digit prefixes of province / prefecture codes) at the reference's level."""
    level = ref.level
    how = "code"
    if len(digits) == 9 and digits.startswith("156"):
        digits, how = digits[3:], "code9"
    elif len(digits) == 12:
        rest = digits[6:]
        digits, how = digits[:6], "code12"
        if rest.strip("0"):
            return Match(
                "unmatched",
                note=Note(
                    "code12_township",
                    f"12-digit code ends in {rest}: it is a township or village, not a "
                    f"{level}-level unit; aggregate it to its county {digits} first",
                    rest=rest,
                    level=level,
                    county=digits,
                ),
            )
    elif len(digits) == 2 and level == "province":
        digits = digits + "0000"
    elif len(digits) == 4 and level == "prefecture":
        digits = digits + "00"
    if len(digits) != 6:
        return Match(
            "unmatched",
            note=Note(
                "not_a_code",
                f"{digits!r} is not a region code (6 digits, 9 with the 156 prefix, or 12)",
                digits=digits,
            ),
        )
    if digits in ref.units.index:
        return Match(how, digits)
    if level == "prefecture" and digits[:2] + "0000" in MUNICIPALITIES and digits[4:] == "00":
        # 110100 市辖区 / 500200 县: the municipality itself is the prefecture-level unit
        city = digits[:2] + "0000"
        note = Note(
            "municipality_city_code",
            f"municipality city code {digits} -> {city}",
            code=digits,
            city=city,
        )
        return Match("city_code", city, note)
    if digits in ref.history_codes:
        return history_match(ref, ref.history_codes[digits], "by code", merge)
    return Match("unmatched", note=_code_hint(ref, digits))


def _code_hint(ref: Reference, code: str) -> Note:
    """Why a well-formed code is not in the layer, and what to do."""
    if code == "000000":
        text = "000000 is the national total (全国); drop that row before joining"
        return Note("national_total", text)
    if code[2:] == "0000" and ref.level != "province":
        text = f"{code} is a province code; use level='province' for a province table"
        return Note("province_code", text, code=code)
    if code[4:] != "00" and ref.level != "county":
        text = f"{code} is a county-level code; use level='county' (or aggregate the table)"
        return Note("county_code", text, code=code)
    if code[4:] == "00" and (
        (code[2:] != "0000" and ref.level == "province") or ref.level == "county"
    ):
        text = f"{code} is a prefecture code; use level='prefecture' for a city table"
        return Note("prefecture_code", text, code=code)
    text = f"code {code} is not in the {ref.level} layer (nor in the 2010-2024 code history)"
    return Note("code_not_in_layer", text, code=code, level=ref.level)


def _in_context(ref: Reference, code: str, province: str | None, prefecture: str | None) -> bool:
    in_province, in_prefecture = ref.parents[code]
    if province is not None and in_province != province:
        return False
    if prefecture is not None and "prefecture_code" in ref.units.columns:
        return in_prefecture == prefecture
    return True


def match_name(
    ref: Reference,
    value: str,
    merge: bool,
    province: str | None = None,
    prefecture: str | None = None,
) -> Match:
    """The match of a name within the reference's level (and ``province`` / ``prefecture``
    when given): full, short, alias, English or former name, never a guess."""
    # a bracketed remark naming a province ("朝阳区(北京)", "Suzhou (Anhui)") narrows the search
    # when no province column does -- but not for the exact English form, because the layer's
    # own name_en uses remarks that are not GB province codes ("Yulin(SX)" is 榆林, Shaanxi)
    hinted = province if province is not None else remark_province(value)
    steps, key = _name_steps(ref, value, province, hinted)
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
            return Match("unmatched", None, _name_hint(ref, value), _closest(ref, key, hinted))
        hit = index.get(name) if name else None
        if hit is None:
            continue
        if isinstance(hit, History):
            match = history_match(ref, hit, f"by name {value!r}", merge)
            if match.code is None or _in_context(ref, match.code, within, None):
                return match
            continue
        codes = [c for c in hit if _in_context(ref, c, within, prefecture)]
        if len(codes) == 1:
            return Match(how, codes[0])
        if len(codes) > 1:
            labels = tuple(label(ref.units, c) for c in codes)
            within_kind = "prefecture" if within else "province"
            note = Note(
                "ambiguous",
                f"{value!r} is the {how.replace('_', ' ')} of {len(codes)} {ref.level} units; "
                f"add a {within_kind} column (or use codes) to tell them apart",
                value=value,
                how=how,
                n=len(codes),
                level=ref.level,
                within=within_kind,
            )
            return Match("ambiguous", None, note, labels)
        elsewhere = elsewhere or tuple(label(ref.units, c) for c in hit)
    if elsewhere:
        note = Note(
            "outside_province",
            f"{value!r} exists only outside the given province/prefecture: "
            f"{'; '.join(elsewhere)}; check the province column",
            value=value,
            units=elsewhere,
        )
        return Match("unmatched", None, note, elsewhere)
    return Match("unmatched", None, _name_hint(ref, value), _closest(ref, key, hinted))


def _name_steps(
    ref: Reference, value: str, province: str | None, hinted: str | None
) -> tuple[list[tuple[str, str, dict, str | None]], str]:
    """The lookups tried in order -- (how, key, index, province it must lie in) -- and the
    normalised value: English and former English names for Latin text; full, short, alias and
    former names for Chinese."""
    if is_latin(value):
        key = normalize_en(value)
        return [
            ("english", letters(value), ref.indexes["english"], province),
            ("english", key, ref.indexes["english"], hinted),
            ("history", key, ref.history_names["english"], hinted),
        ], key
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
    bare = strip_ethnic(short)
    if bare != short:  # 延边朝鲜族: the autonomous prefecture without 自治州
        steps.insert(4, ("short_name", bare, ref.indexes["short_name"], hinted))
    return steps, full


def _finer_unit_name(level: str, full: str) -> bool:
    """True when ``full`` is the exact name of a unit of a level below ``level``."""
    finer = POLYGON_LEVELS[POLYGON_LEVELS.index(level) + 1 :]
    return any(full in reference(other).indexes["name"] for other in finer)


_TOTALS = frozenset(
    {"全国", "中国", "全国合计", "全国总计", "合计", "总计", "china", "national", "total"}
)


def _name_hint(ref: Reference, value: str) -> Note:
    if normalize(value) in _TOTALS or normalize_en(value) in _TOTALS:
        text = f"{value!r} is a total row, not a region; drop it before joining"
        return Note("total_row", text, value=value)
    for other in POLYGON_LEVELS:
        if other == ref.level:
            continue
        other_ref = reference(other)
        full = normalize(value)
        if full in other_ref.indexes["name"] and len(full) > 2:
            text = f"{value!r} is a {other} name; use level={other!r}"
            return Note("other_level", text, value=value, level=other, other=other)
    text = f"{value!r} matches no {ref.level} name (full, short, alias, English or former name)"
    return Note("no_name", text, value=value, level=ref.level)


def _closest(ref: Reference, key: str, province: str | None, n: int = 5) -> tuple[str, ...]:
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
        for text in ref.suggest[name]:
            code = text.split("(", 1)[1][:6]
            if text not in labels and (province is None or ref.parents[code][0] == province):
                labels.append(text)
    return tuple(labels[:n])


def match_value(
    ref: Reference,
    value: object,
    merge: bool,
    province: str | None = None,
    prefecture: str | None = None,
) -> Match:
    """The match of one table value: a code or a name (empty cells are unmatched)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return Match("unmatched", note=EMPTY_KEY)
    digits = normalize_code(value)
    if digits is not None:
        return match_code(ref, digits, merge)
    text = str(value).strip()
    if not text or normalize(text) == "":
        return Match("unmatched", note=EMPTY_KEY)
    return match_name(ref, text, merge, province, prefecture)
