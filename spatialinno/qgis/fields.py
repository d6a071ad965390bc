"""Shapefile field names: safe, unique, readable ASCII names of at most 10 bytes (DBF).

The DBF field-name limit is 10 *bytes*: GDAL cuts UTF-8 Chinese names mid-character (the file can
no longer be read back) and truncates long English names with only a warning (``population_total``
-> ``populati_1``), so styles keyed on the long name match nothing. :func:`dbf_field_names`
transliterates Chinese indicator words (:data:`ZH_TERMS`), abbreviates English ones
(:data:`EN_ABBREVIATIONS`) and shortens step by step; the export writes the mapping to
``<name>.fields.csv``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

__all__ = ["DBF_NAME_BYTES", "EN_ABBREVIATIONS", "ZH_TERMS", "dbf_field_names"]

DBF_NAME_BYTES = 10  # dBASE field names: at most 10 bytes (GDAL truncates longer ones)

# Chinese words common in indicator column names -> ASCII, for Shapefile field names. pypinyin is
# not a dependency; a term list gives readable names (研发人员_2021 -> rd_stf_21) and a name with
# any character outside it falls back to the column position (f_07). Every mapping is recorded in
# the <name>.fields.csv sidecar. Longest match wins, so 地区生产总值 is "gdp", not 地区 + 生产总值.
ZH_TERMS: dict[str, str] = {
    "研究与试验发展": "rd",
    "地区生产总值": "gdp",
    "国内生产总值": "gdp",
    "全时当量": "fte",
    "规模以上": "abv",
    "夜间灯光": "ntl",
    "生产总值": "gdp",
    "研发": "rd",
    "科研": "rd",
    "人员": "staff",
    "人数": "staff",
    "经费": "exp",
    "支出": "exp",
    "投入": "input",
    "专利": "pat",
    "申请": "app",
    "授权": "grant",
    "发明": "inv",
    "论文": "paper",
    "数量": "n",
    "人口": "pop",
    "常住": "res",
    "户籍": "hukou",
    "城镇": "urb",
    "农村": "rur",
    "合计": "tot",
    "总量": "tot",
    "总计": "tot",
    "人均": "pc",
    "年份": "year",
    "年度": "year",
    "代码": "code",
    "编码": "code",
    "名称": "name",
    "简称": "short",
    "省份": "prov",
    "省会": "cap",
    "首府": "cap",
    "城市": "city",
    "地区": "area",
    "区域": "region",
    "面积": "area",
    "密度": "dens",
    "比重": "shr",
    "占比": "shr",
    "份额": "shr",
    "比例": "ratio",
    "强度": "int",
    "增长率": "gr",
    "增长": "gr",
    "指数": "idx",
    "基尼": "gini",
    "系数": "coef",
    "首位度": "prim",
    "集聚": "aggl",
    "创新": "inno",
    "科技": "st",
    "高校": "univ",
    "企业": "firm",
    "工业": "ind",
    "财政": "fisc",
    "收入": "rev",
    "就业": "emp",
    "教育": "edu",
    "经济": "econ",
    "资源": "rsrc",
    "聚类": "clus",
    "热点": "hot",
    "冷点": "cold",
    "类型": "type",
    "等级": "level",
    "排名": "rank",
    "灯光": "ntl",
    "东部": "east",
    "中部": "central",
    "西部": "west",
    "东北": "ne",
    "沿海": "coastal",
    "亿元": "100m_yuan",
    "万元": "10k_yuan",
    "万人": "10k_pers",
    "亿": "100m",
    "万": "10k",
    "元": "yuan",
    "人": "pers",
    "率": "rate",
    "数": "n",
    "值": "val",
    "省": "prov",
    "市": "city",
    "县": "county",
    "年": "y",
    "总": "tot",
}

# English words -> abbreviations, applied only while a field name is longer than 10 bytes.
EN_ABBREVIATIONS: dict[str, str] = {
    "population": "pop",
    "total": "tot",
    "number": "num",
    "province": "prov",
    "prefecture": "pref",
    "county": "cnty",
    "capital": "cap",
    "cluster": "clus",
    "patents": "pat",
    "patent": "pat",
    "staff": "stf",
    "spending": "spend",
    "expenditure": "exp",
    "employment": "emp",
    "revenue": "rev",
    "budget": "bdgt",
    "income": "inc",
    "urban": "urb",
    "rural": "rur",
    "resident": "res",
    "registered": "reg",
    "household": "hh",
    "share": "shr",
    "ratio": "rat",
    "density": "dens",
    "growth": "gr",
    "index": "idx",
    "value": "val",
    "count": "cnt",
    "average": "avg",
    "median": "med",
    "percent": "pct",
    "location": "loc",
    "quotient": "q",
    "innovation": "inno",
    "research": "rsch",
    "intensity": "int",
    "degree": "deg",
    "network": "net",
    "neighbor": "nb",
    "neighbour": "nb",
    "neighbors": "nb",
    "neighbours": "nb",
    "difference": "diff",
    "change": "chg",
    "region": "reg",
    "short": "shrt",
    "category": "cat",
    "significance": "sig",
}

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def dbf_field_names(columns: Iterable[str], limit: int = DBF_NAME_BYTES) -> dict[str, str]:
    """Safe, unique, readable ASCII field names of at most ``limit`` bytes, one per column.

    Names that already fit (ASCII letters, digits, ``_``, at most 10 bytes) are kept as they are;
    the others are transliterated (:data:`ZH_TERMS`; a name with an unmapped non-ASCII character
    becomes ``f_<1-based position>``) and shortened step by step until they fit: four-digit years
    to two digits, English words to :data:`EN_ABBREVIATIONS`, vowels dropped, the longest word
    cut, separators removed. Clashes (compared case-insensitively, like DBF readers do) get a
    ``_2``, ``_3`` suffix. The result never depends on anything but the column names and order.

    Parameters
    ----------
    columns : iterable of str
        Column names in the order they are written.
    limit : int
        Maximum field name length in bytes (10 for DBF).

    Returns
    -------
    dict
        ``{column: field name}``.

    Examples
    --------
    >>> dbf_field_names(["code", "rd_staff_2021", "rd_staff_2020", "研发人员", "名称"])
    {'code': 'code', 'rd_staff_2021': 'rd_stf_21', 'rd_staff_2020': 'rd_stf_20', \
'研发人员': 'rd_staff', '名称': 'name'}
    >>> dbf_field_names(["population_total", "lisa_cluster", "省会首位度指标"])
    {'population_total': 'pop_total', 'lisa_cluster': 'lisa_clus', '省会首位度指标': 'f_03'}
    """
    columns = list(columns)
    out: dict[str, str] = {}
    taken: set[str] = set()
    # Names that are already valid keep priority, so a shortened name never takes them.
    for col in columns:
        if _valid_dbf_name(col, limit) and col.lower() not in taken:
            out[col] = col
            taken.add(col.lower())
    width = max(2, len(str(len(columns))))
    for pos, col in enumerate(columns, start=1):
        if col in out:
            continue
        ascii_ = _ascii_name(col, pos, width)
        name = _shorten(ascii_, limit)
        k = 2
        while name.lower() in taken:
            # shorten the name again to make room for the suffix, rather than cutting its end:
            # rd_staff_2021 next to an existing rd_stf_21 becomes rd_st_21_2, not rd_stf_2_2
            suffix = f"_{k}"
            name = _shorten(ascii_, limit - len(suffix)).rstrip("_") + suffix
            k += 1
        out[col] = name
        taken.add(name.lower())
    return {c: out[c] for c in columns}


def _valid_dbf_name(name: str, limit: int) -> bool:
    return (
        re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) is not None
        and len(name.encode("ascii")) <= limit
    )


def _ascii_name(name: str, pos: int, width: int) -> str:
    """ASCII letters, digits and ``_`` only, starting with a letter."""
    # NFKC folds full-width forms (（）％２０２１) to ASCII; NFKD + dropping combining marks
    # turns accented Latin letters into plain ones.
    text = unicodedata.normalize("NFKC", name)
    pieces: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if _CJK.match(ch):
            for n in range(min(7, len(text) - i), 0, -1):
                term = ZH_TERMS.get(text[i : i + n])
                if term is not None:
                    pieces.append(f"_{term}_")
                    i += n
                    break
            else:
                return f"f_{pos:0{width}d}"  # not covered: positional name, documented in sidecar
            continue
        if ord(ch) >= 128:
            folded = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            if not folded.isascii():
                return f"f_{pos:0{width}d}"
            ch = folded
        pieces.append(ch)
        i += 1
    ascii_ = re.sub(r"[^A-Za-z0-9]+", "_", "".join(pieces)).strip("_")
    if not ascii_:
        return f"f_{pos:0{width}d}"
    if not ascii_[0].isalpha():
        ascii_ = "f" + ascii_  # dBASE field names start with a letter
    return ascii_


_TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def _shorten(name: str, limit: int) -> str:
    """Shorten an ASCII name to ``limit`` bytes, keeping numbers and word starts readable."""
    if len(name) <= limit:
        return name
    # Words: split at "_", at letter/digit boundaries and at camelCase humps, remembering which
    # words were separated by "_" so the name is put back together the same way.
    tokens: list[str] = []
    seps: list[str] = []
    for k, part in enumerate(p for p in name.split("_") if p):
        for j, tok in enumerate(_TOKEN.findall(part)):
            tokens.append(tok)
            seps.append("_" if k > 0 and j == 0 else "")

    def joined() -> str:
        return "".join(sep + tok for sep, tok in zip(seps, tokens, strict=True))

    def shrink_words(step: Callable[[str], str]) -> None:
        # apply ``step`` to the longest word first, until the name fits or no word changes
        while len(joined()) > limit:
            order = sorted(
                (i for i, t in enumerate(tokens) if t.isalpha() and step(t) != t),
                key=lambda i: (-len(tokens[i]), i),
            )
            if not order:
                return
            tokens[order[0]] = step(tokens[order[0]])

    # 1. years: 2021 -> 21. Numbers are what tell rd_staff_2020 from rd_staff_2021 (or 10000
    #    from 1000), so apart from years they are never shortened.
    tokens = [t[2:] if _YEAR.match(t) else t for t in tokens]
    # 2. known abbreviations (population -> pop), 3. vowels dropped (staff -> stf)
    shrink_words(_abbreviate)
    shrink_words(_drop_vowels)
    # 4. cut words, one letter at a time, down to 3 letters
    shrink_words(lambda t: t[:-1] if len(t) > 3 else t)
    # 5. drop "_" between a word and a number (age_15 -> age15), left to right
    for i in range(1, len(tokens)):
        if len(joined()) <= limit:
            break
        if seps[i] and tokens[i - 1][-1].isdigit() != tokens[i][0].isdigit():
            seps[i] = ""
    # 6. cut words down to 2 letters, 7. drop every separator, 8. cut the end
    shrink_words(lambda t: t[:-1] if len(t) > 2 else t)
    if len(joined()) > limit:
        seps = [""] * len(seps)
    return joined()[:limit]  # the caller restores uniqueness with _2, _3 ...


def _abbreviate(token: str) -> str:
    abbr = EN_ABBREVIATIONS.get(token.lower())
    if abbr is None:
        return token
    return abbr.upper() if token.isupper() else abbr


def _drop_vowels(token: str) -> str:
    if len(token) <= 3:
        return token
    rest = re.sub(r"[aeiouAEIOU]", "", token[1:])
    squeezed = re.sub(r"(.)\1+", r"\1", token[0] + rest)  # staff -> stff -> stf
    return squeezed if len(squeezed) >= 2 else token
