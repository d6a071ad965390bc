"""Recognise the unit of every row of a table: :func:`match_regions`.

The key columns (codes, names) and the columns giving each row's province (or prefecture) are
detected by name and scored by how many rows they identify; each row is then recognised value by
value (:mod:`spatialinno.tables.recognise`), the first key column that identifies it winning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from os import PathLike

import pandas as pd

from .._errors import ColumnError
from .._notes import Note, join_notes
from .._validate import POLYGON_LEVELS, check_level, require_columns
from .read import column_key, is_code_column, is_year_column, read_table
from .recognise import EMPTY_KEY, HOW, Match, match_value
from .reference import Reference, label, reference

__all__ = ["HOW", "match_regions"]

# Column names that carry region names, by level (compared on the lower-cased name)
_PROVINCE_COL = re.compile(r"prov|省")
_PREFECTURE_COL = re.compile(r"city|prefecture|城市|地级|地市|^市|市名|^地区")
_NAME_COL = {
    "province": re.compile(r"prov|省|^name|名称|^region$|^地区|^area$"),
    "prefecture": re.compile(r"city|prefecture|城市|地级|地市|^市|市名|^name|名称|^地区|^region$"),
    "county": re.compile(r"county|district|区县|县|^name|名称|^地区"),
}


def _context_columns(table: pd.DataFrame, level: str) -> tuple[list[str], list[str]]:
    """Columns naming the enclosing province (and, for counties, the prefecture)."""
    province_cols, prefecture_cols = [], []
    for column in table.columns:
        key = column_key(column)
        if level != "province" and _PROVINCE_COL.search(key):
            province_cols.append(column)
        elif level == "county" and _PREFECTURE_COL.search(key):
            prefecture_cols.append(column)
    return province_cols, prefecture_cols


def _score(ref: Reference, values: pd.Series, merge: bool) -> int:
    """Number of rows a column identifies (matched or defunct), to rank candidate key columns."""
    results = {v: match_value(ref, v, merge) for v in values.dropna().unique()}
    return int(values.map(lambda v: v in results and results[v].how != "unmatched").sum())


def _detect(
    table: pd.DataFrame, ref: Reference, merge: bool
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
        and _NAME_COL[ref.level].search(column_key(c))
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
        text = (
            f"no column of the table identifies {ref.level} units (looked for codes in "
            f"{code_cols or 'none'} and names in {name_cols or 'none'}); columns: {shown}; "
            "pass key='<column>'"
        )
        columns = tuple(map(str, table.columns))
        raise ColumnError(Note("no_region_column", text, level=ref.level, columns=columns))
    keys = [c for _, _, c in sorted(ranked, reverse=True)]
    province = _best_context(table, province_cols, "province", merge)
    prefecture = _best_context(table, prefecture_cols, "prefecture", merge)
    return keys, province, prefecture


def _best_context(table: pd.DataFrame, cols: Sequence[str], level: str, merge: bool) -> str | None:
    if not cols:
        return None
    ref = reference(level)
    scores = [(_score(ref, table[c], merge), -i, c) for i, c in enumerate(cols)]
    best = max(scores)
    return best[2] if best[0] > 0 else None


def _context_codes(table: pd.DataFrame, column: str | None, level: str) -> pd.Series:
    if column is None:
        return pd.Series(None, index=table.index, dtype=object)
    ref = reference(level)
    cache = {v: match_value(ref, v, False) for v in table[column].dropna().unique()}
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
    ref = reference(level)
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

    cache: dict[tuple[object, ...], Match] = {}
    records = []
    columns = {c: table[c].tolist() for c in keys}  # positional: the index may repeat labels
    provs, prefs = province_codes.tolist(), prefecture_codes.tolist()
    for pos in range(len(table)):
        prov = _code_or_none(provs[pos])
        pref = _code_or_none(prefs[pos])
        tried: list[tuple[str, object, Match]] = []
        for column in keys:
            value = columns[column][pos]
            cache_key = (column, _hashable(value), prov, pref)
            if cache_key not in cache:
                cache[cache_key] = match_value(ref, value, merge_history, prov, pref)
            tried.append((column, value, cache[cache_key]))
        records.append(_combine(ref, tried))
    out = pd.DataFrame(
        records,
        index=table.index,
        columns=["key", "value", "code", "how", "note", "candidates", "merged"],
    )
    # object, not the inferred str dtype (pandas 3), so each note stays a Note with its key
    out["note"] = pd.Series([r[4] for r in records], index=table.index, dtype=object)
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


def _combine(ref: Reference, tried: list[tuple[str, object, Match]]) -> list[object]:
    """First column that identifies the row wins; notes say what the earlier columns lacked."""
    chosen = next((t for t in tried if t[2].found or t[2].how == "defunct"), None)
    chosen = chosen or next((t for t in tried if t[2].how == "ambiguous"), None)
    notes = []
    for column, value, match in tried:
        if chosen is not None and column == chosen[0]:
            break
        if match.note != EMPTY_KEY:
            notes.append(_tried(column, value, match))
    if chosen is None:
        candidates = next((m.candidates for _, _, m in tried if m.candidates), ())
        notes = [_tried(column, value, match) for column, value, match in tried] or [
            Note("no_key_column", "no key column")
        ]
        first = tried[0] if tried else ("", None, Match("unmatched"))
        return [first[0], first[1], None, "unmatched", join_notes(notes), candidates, False]
    column, value, match = chosen
    if match.note:
        notes.append(match.note)
    for other, other_value, other_match in tried:
        # a later key column that names a different unit is worth a look (a shifted row, a
        # code typed for the neighbouring city); the first column still decides, nothing is
        # guessed, but the note makes the conflict visible in the report
        if other != column and other_match.found and match.found and other_match.code != match.code:
            unit = label(ref.units, other_match.code)
            notes.append(
                Note(
                    "but_other",
                    f"but {other}={other_value!r} is {unit}; check the row",
                    column=other,
                    value=other_value,
                    unit=unit,
                )
            )
    return [column, value, match.code, match.how, join_notes(notes), match.candidates, match.merged]


def _tried(column: object, value: object, match: Match) -> Note:
    """What a key column said about the row: ``column=value: note``."""
    text = f"{column}={value!r}: {match.note}"
    return Note("tried", text, column=column, value=value, note=match.note)
