"""Chinese address text to province, prefecture and county codes (``si.locate``).

How an address is read
----------------------
1. **Clean**: NFKC (full-width letters, digits, brackets and spaces become ASCII), traditional ->
   simplified for the characters of region names, all whitespace removed.
2. **Scan** once with an Aho-Corasick automaton (``pyahocorasick``) over every unit name of the
   bundled layers, their short names and the former names of the code histories 2010-2024
   (:mod:`~spatialinno.records.gazetteer`), leftmost-longest and without overlaps, so ``南山区``
   wins over ``南山`` and ``山西安泽县`` reads ``山西`` + ``安泽县``, not ``西安``.
3. **Discard** a short name directly followed by a street or village word (``中山路``, ``北京东路``,
   ``南山街道``, ``城关镇``): it names a street, not the unit.
4. **Organisation names** (the applicant before the address, or a university in the address):
   a name followed within 20 characters by an organisation suffix (有限公司, 公司, 集团, 大学, 学院,
   研究院, 研究所, 医院, 中心 ...), with no other place name in between, counts half. So in
   ``上海交通大学西安研究院陕西省西安市雁塔区`` the address part (陕西省 西安市 雁塔区) outweighs
   上海 and 西安 inside the organisation names; when the only evidence is an organisation name
   (``北京大学``), the result says so (``how="organisation"``). 中国, 中华, 国家 are no unit names, so
   ``中国石油天然气股份有限公司`` names no place.
5. **Chains**: every unit a name can denote proposes a chain province > prefecture > county; the
   chain scores the names of the text that support its units, each name used once (full name 4,
   short name 2, halved inside an organisation name). Short county names, short names of
   county-level units administered by a province and two-character county names (``城区``,
   ``东区``, ``和县``) support a chain only together with a province or prefecture of the same chain.
6. **Decide**: the best-scoring chains are kept; a level is determined when all of them agree on
   it. When they disagree at the level asked, the address is ``ambiguous`` (``鼓楼区``: 南京, 徐州,
   福州 and 开封 each have one) or ``defunct`` (a former unit split between several successors,
   ``巢湖市``) and the candidates are listed: never a guess. ``江苏省鼓楼区`` determines the province
   but not the prefecture (南京 and 徐州); ``福建省鼓楼区`` determines 福州.

Former names resolve to today's units (``襄樊市`` -> 襄阳市; ``莱芜市`` -> 济南市, merged 2019, said
in the note). Addresses in English or pinyin are not read.

Why this and not a peer (measured in ``benchmarks/FINDINGS.md``, section 5, on the labelled set
``tests/reference/locate_testset.csv``): ``cpca`` 0.5.5 is 1.4 times faster on distinct addresses
but answers every address confidently (``鼓楼区`` -> 开封, ``上海交通大学...陕西省西安市`` -> 上海: 82 of
82 ambiguous and 331 of 964 organisation-first addresses wrong), knows the units of about 2017 and
keeps 莱芜's pre-2019 code; ``jionlp`` 1.5.31 knows former names and is careful but is about 250
times slower (171 addresses/s) and still answers 7 of the 82 ambiguous addresses. Neither says why
an address failed or returns the codes of the package's layers, and both would be new
dependencies; this module uses the automaton library cpca uses (``pyahocorasick``) over the
package's own layers and code histories.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from itertools import product
from typing import Any

import numpy as np
import pandas as pd

from .._errors import InputError
from .._validate import POLYGON_LEVELS, check_level
from .gazetteer import FULL, LEVEL_NAMES, Gazetteer, clean_text, gazetteer

__all__ = ["HOW", "HOW_FAILED", "HOW_LOCATED", "Locator", "locate"]

#: ``how`` of an address located at the level asked
HOW_LOCATED: tuple[str, ...] = (
    "full_path",  # two or more levels written (广东省深圳市..., 深圳南山, 北京海淀区)
    "city",  # the prefecture (or municipality) alone (深圳市...)
    "district",  # a county-level name that is unique in China (海淀区...)
    "district_in_context",  # a shared county name decided by the province/city (福建省鼓楼区)
    "province",  # the province alone, when level="province"
    "history",  # a former name (襄樊市, 闸北区, 莱芜市 merged into 济南市) resolved to today's unit
    "organisation",  # only inside an organisation name (北京大学, 深圳市腾讯计算机系统有限公司)
)
#: ``how`` of an address not located at the level asked
HOW_FAILED: tuple[str, ...] = (
    "too_coarse",  # only a coarser unit found (广东省 when the prefecture is asked)
    "ambiguous",  # several units fit (鼓楼区); note lists them
    "defunct",  # a former unit split between several successors (巢湖市, 2011)
    "not_found",  # no unit name in the text
    "empty",  # missing or blank
)
HOW: tuple[str, ...] = HOW_LOCATED + HOW_FAILED

_STREET = re.compile(r"[东西南北中]?(?:大街|大道|路|街|巷|弄|道|镇|乡|村)")
_ORG = re.compile(
    "有限责任公司|股份有限公司|有限公司|公司|集团|大学|学院|研究院|研究所|设计院|医院|中心|"
    "学校|中学|小学|实验室|工厂|厂|银行|事务所|协会|委员会"
)
_ORG_REACH = 20  # characters between a place name and the suffix of the organisation it names
_LEVEL = {name: i for i, name in enumerate(LEVEL_NAMES)}


# --------------------------------------------------------------------------------------------
# parsing one address (level-independent)
# --------------------------------------------------------------------------------------------
def _matches(g: Gazetteer, text: str) -> tuple[list[list[Any]], tuple]:
    """Leftmost-longest name matches ``[start, end, entries, in_organisation, word]`` and their
    signature (key, street-filtered, in organisation): two texts with the same signature read
    the same, whatever the street and number around the names."""
    found: list[list[Any]] = []
    keys = []
    for end, (k, n, short) in g.automaton.iter_long(text):
        entries = g.entries[k]
        street = short and _STREET.match(text, end + 1) is not None
        if street:  # 中山路, 南山街道: keep only full names
            entries = tuple(e for e in entries if e[1] == FULL)
            if not entries:
                continue
        found.append([end + 1 - n, end + 1, entries, False, text[end + 1 - n : end + 1]])
        keys.append(k if not street else -1 - k)
    if not found:
        return found, ()
    orgs = [m.start() for m in _ORG.finditer(text)]
    for i, m in enumerate(found):
        j = bisect.bisect_left(orgs, m[1])
        if (
            j < len(orgs)
            and orgs[j] - m[1] <= _ORG_REACH
            and (i + 1 == len(found) or found[i + 1][0] >= orgs[j])
        ):
            m[3] = True
            keys[i] = (keys[i],)
    return found, tuple(keys)


def _supports(found: list[list[Any]]) -> dict[int, list[tuple]]:
    """uid -> options (match, weight, current, needs_context, history, split, match bit)."""
    support: dict[int, list[tuple]] = {}
    for i, (_, _, entries, org, _) in enumerate(found):
        for targets, w, ctx, h in entries:
            option = (i, w // 2 if org else w, h < 0, ctx, h, len(targets) > 1, 1 << i)
            for t in targets:
                support.setdefault(t, []).append(option)
    return support


def _assign(slots: tuple, support: dict) -> tuple[int, int, tuple]:
    """Best use of the names for one chain: (score, current names, picks); each name used once.

    When no name supports two units of the chain (the usual case) the best option of each unit,
    taken coarse to fine, is optimal; otherwise every combination is tried (at most 3 units).
    """
    seen = score = cur = 0
    picks: list[tuple] = []
    for low, high, uids in slots:
        best = None
        mask = 0
        for u in uids:
            for o in support.get(u, ()):
                mask |= o[6]
                if (not o[3] or picks) and (
                    best is None or o[1] > best[1] or (o[1] == best[1] and o[2] > best[2])
                ):
                    best = o
        if mask & seen:
            return _assign_all(slots, support)
        seen |= mask
        if best is not None:
            picks.append(((low, high), best))
            score += best[1]
            cur += best[2]
    return score, cur, tuple(picks)


def _assign_all(slots: tuple, support: dict) -> tuple[int, int, tuple]:
    """Exhaustive :func:`_assign` when one name could support two units of the chain."""
    options = [
        ((low, high), [o for u in uids for o in support.get(u, ())]) for low, high, uids in slots
    ]
    best: tuple[int, int, tuple] = (0, 0, ())
    for combo in product(*([None, *opts] for _, opts in options)):
        used = [o[0] for o in combo if o is not None]
        if len(used) != len(set(used)):
            continue
        picks, score, cur = [], 0, 0
        for (span, _), o in zip(options, combo, strict=True):
            if o is None:
                continue
            if o[3] and not picks:
                break  # a name that needs context, with no coarser unit named
            picks.append((span, o))
            score += o[1]
            cur += o[2]
        else:
            if (score, cur) > best[:2]:
                best = (score, cur, tuple(picks))
    return best


def _parse(g: Gazetteer, found: list[list[Any]]) -> tuple:
    """The best-scoring chains ``((codes, picks), ...)`` of an address's name matches."""
    if not found:
        return ()
    support = _supports(found)
    seen = set()
    best, top = 0, []
    for uid in support:
        codes = g.chain[uid]
        if codes in seen:
            continue
        seen.add(codes)
        score, _, picks = _assign(g.slots[uid], support)
        if score > best:
            best, top = score, [(codes, picks)]
        elif score == best and score > 0:
            top.append((codes, picks))
    if len(top) > 1:
        top.sort(key=_chain_key)
    return tuple(top)


def _chain_key(item: tuple) -> tuple:
    return tuple(c or "" for c in item[0])


# --------------------------------------------------------------------------------------------
# one address at one level: codes, how, note
# --------------------------------------------------------------------------------------------
def _evidence(g: Gazetteer, picks: tuple, found: list[list[Any]]) -> str:
    """How a located address was found, from the names its best chain used."""
    if any(opt[4] >= 0 for _, opt in picks):
        return "history"
    if all(found[opt[0]][3] for _, opt in picks):
        return "organisation"
    spans = [span for span, _ in picks]
    if len(picks) >= 2:
        county = [opt[0] for (low, _), opt in picks if low == 2]
        named_city = any(low <= 1 <= high for low, high in spans)
        if county and not named_city:
            # the county name alone fits units in several prefectures; the province decided
            alone = {g.chain[t][1] for e in found[county[0]][2] for t in e[0]}
            if len(alone) > 1:
                return "district_in_context"
        return "full_path"
    low, high = spans[0]
    return "city" if low <= 1 <= high else ("district" if low == 2 else "province")


def _reduce(g: Gazetteer, parsed: tuple, level: int, notes: bool) -> tuple:
    """(province_code, prefecture_code, county_code, how, note) of a parsed address."""
    top, found, text = parsed
    if not top:
        how = "not_found" if text else "empty"
        note = _note_failed(g, how, top, found, level) if notes else None
        return None, None, None, how, note
    if len(top) == 1:
        det, contested = list(top[0][0]), False
    else:
        det = []
        for lv in range(3):
            values = {codes[lv] for codes, _ in top}
            det.append(next(iter(values)) if len(values) == 1 else None)
        contested = len({codes[level] for codes, _ in top}) > 1
    if det[level] is not None:
        picks = max((p for _, p in top), key=len)
        how = _evidence(g, picks, found)
        note = _note_located(g, det, picks, found, how) if notes else None
        return det[0], det[1], det[2], how, note
    if contested:
        split = any(opt[5] and opt[4] >= 0 for _, picks in top for _, opt in picks)
        how = "defunct" if split else "ambiguous"
    else:
        how = "too_coarse"
    note = _note_failed(g, how, top, found, level) if notes else None
    return det[0], det[1] if level > 1 else None, None, how, note


def _history_texts(g: Gazetteer, picks: Iterable) -> list[str]:
    ids = dict.fromkeys(opt[4] for _, opt in picks if opt[4] >= 0)
    return [g.history[h].text for h in ids]


def _note_located(g: Gazetteer, det: list, picks: tuple, found: list, how: str) -> str:
    finest = max(lv for lv in range(3) if det[lv] is not None)
    unit = g.index[(finest, det[finest])]
    used = sorted(opt[0] for _, opt in picks)
    words = " + ".join(
        found[i][4] + (" (in an organisation name)" if found[i][3] else "") for i in used
    )
    note = f"{g.labels[unit]} ({det[finest]}) from {words}"
    extra = _history_texts(g, picks)
    return "; ".join([note, *extra])


def _note_failed(g: Gazetteer, how: str, top: tuple, found: list, level: int) -> str:
    what = LEVEL_NAMES[level]
    if how == "empty":
        return "no address text"
    if how == "not_found":
        return "no province, prefecture or county name (current, or former 2010-2024) in the text"
    words = "、".join(dict.fromkeys(found[opt[0]][4] for _, picks in top for _, opt in picks))
    if how == "too_coarse":
        lv = max(lv for lv in range(3) if top[0][0][lv] is not None)
        unit = g.index[(lv, top[0][0][lv])]
        return (
            f"only {g.labels[unit]} ({top[0][0][lv]}) found in {words!r}; the text names no {what}"
        )
    codes = sorted({codes[level] for codes, _ in top if codes[level] is not None})
    labels = [f"{g.labels[g.index[(level, c)]]} ({c})" for c in codes]
    if any(codes[level] is None for codes, _ in top):
        labels.append(f"no {what} at all")
    note = f"{words} may be {' or '.join(labels)}"
    if how == "defunct":
        note += "; " + "; ".join(_history_texts(g, (p for _, picks in top for p in picks)))
    return note + "; add the province or city to the address to decide"


# --------------------------------------------------------------------------------------------
# many addresses
# --------------------------------------------------------------------------------------------
class Locator:
    """Reads addresses with a bounded cache of the distinct texts already seen.

    Applicant addresses repeat a lot (the same company files many patents), so each distinct
    text is parsed once: :meth:`locate_array` factorises its input and parses only the values
    not in the cache. The cache holds at most ``max_cache`` texts per level and is emptied when
    full, so memory stays bounded on any input size.

    Parameters
    ----------
    max_cache : int, default 200_000
        Distinct texts kept per level (about 300 bytes each).
    """

    def __init__(self, max_cache: int = 200_000) -> None:
        self.gazetteer = gazetteer()
        self.max_cache = max_cache
        self._cache: dict[tuple, dict[Any, tuple]] = {}

    def one(self, raw: str, level: int, notes: bool = True) -> tuple:
        """(province_code, prefecture_code, county_code, how, note) of one address text."""
        cache = self._cache.setdefault((level, notes), {})
        hit = cache.get(raw)
        if hit is None:
            if len(cache) >= self.max_cache:
                cache.clear()
            hit = cache[raw] = self._read(clean_text(raw), level, notes)
        return hit

    def _read(self, text: str, level: int, notes: bool) -> tuple:
        # the result depends on the signature only (the names found, each word being its key):
        # texts that differ in street and number but name the same places are read once
        if not text:
            return _reduce(self.gazetteer, ((), [], text), level, notes)
        found, signature = _matches(self.gazetteer, text)
        by_signature = self._cache.setdefault((level, notes, "signature"), {})
        hit = by_signature.get(signature)
        if hit is None:
            if len(by_signature) >= self.max_cache:
                by_signature.clear()
            parsed = (_parse(self.gazetteer, found), found, text)
            hit = by_signature[signature] = _reduce(self.gazetteer, parsed, level, notes)
        return hit

    def locate_array(
        self, values: Any, level: int, notes: bool = True, what: str = "addresses"
    ) -> tuple[np.ndarray, list[tuple], list[object]]:
        """Factorised results ``(positions, results, uniques)``: value ``i`` is
        ``uniques[positions[i]]`` and its result ``results[positions[i]]``; a missing value has
        position -1 and the last result.

        A missing value (None, NaN) is ``empty``; a value that is not text raises
        :class:`~spatialinno.InputError` naming its position.
        """
        series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
        positions, found = pd.factorize(series, use_na_sentinel=True)
        uniques = found.tolist()
        results = []
        for j, raw in enumerate(uniques):
            if not isinstance(raw, str):
                first = int(np.flatnonzero(positions == j)[0])
                raise InputError(
                    f"{what}: value at position {first} is {type(raw).__name__} {raw!r}, not "
                    "address text; convert the column with .astype(str) or read it with dtype=str"
                )
            results.append(self.one(raw, level, notes))
        empty = (None, None, None, "empty", "no address text" if notes else None)
        results.append(empty)  # position -1 (missing) picks the last result
        return positions, results, uniques


_DEFAULT: dict[str, Locator] = {}


def _default_locator() -> Locator:
    if "locator" not in _DEFAULT:
        _DEFAULT["locator"] = Locator()
    return _DEFAULT["locator"]


def _as_values(addresses: object) -> tuple[list[object] | np.ndarray, pd.Index]:
    if isinstance(addresses, str):
        return [addresses], pd.RangeIndex(1)
    if isinstance(addresses, pd.DataFrame):
        raise InputError(
            "locate() takes one column of addresses, not a DataFrame; pass frame['address']"
        )
    if isinstance(addresses, pd.Series):
        return addresses.to_numpy(dtype=object), addresses.index
    if isinstance(addresses, (pd.Index, np.ndarray, list, tuple)):
        values = np.asarray(addresses, dtype=object).ravel()
        return values, pd.RangeIndex(len(values))
    raise InputError(
        f"addresses must be text, a list, a pandas Series or a numpy array, not "
        f"{type(addresses).__name__}"
    )


def locate(addresses: Any, level: str = "prefecture") -> pd.DataFrame:
    """Province, prefecture and county codes of Chinese address text.

    Parameters
    ----------
    addresses : str, list, numpy array or pandas Series of str
        Address text as written in patent or firm records: full paths (``广东省深圳市南山区粤海
        街道...``), the city only (``深圳市...``), the district only (``南山区科技园...``),
        without suffixes (``深圳南山``, ``北京海淀区...``), former names (``襄樊市``), with the
        applicant's name before the address (``华为技术有限公司广东省深圳市...``), full-width
        characters and spaces. Missing values (None, NaN) give ``how="empty"``.
    level : {"prefecture", "province", "county"}
        The level an address must be determined at to count as located; coarser (and, when
        determined, finer) codes are filled as well.

    Returns
    -------
    pandas.DataFrame
        One row per address, in order (a Series keeps its index): ``province_code``,
        ``prefecture_code``, ``county_code`` (6-digit GB/T 2260 codes of the bundled layers,
        None where not determined; a municipality is its own prefecture, ``110000``),
        ``how`` (:data:`HOW_LOCATED` when located at ``level``, else one of
        :data:`HOW_FAILED`) and ``note`` (the names found, the candidates of an ambiguous
        address, what became of a former unit).

    Raises
    ------
    InputError
        For an unknown level, a DataFrame, or a value that is not text (its position named).

    Examples
    --------
    >>> import spatialinno as si
    >>> r = si.locate(["广东省深圳市南山区粤海街道科技园", "湖北省襄樊市樊城区", "鼓楼区中山路",
    ...                "福建省鼓楼区", "北京大学"])
    >>> r[["province_code", "prefecture_code", "county_code", "how"]]
      province_code prefecture_code county_code                 how
    0        440000          440300      440305           full_path
    1        420000          420600      420606             history
    2          None            None        None           ambiguous
    3        350000          350100      350102  district_in_context
    4        110000          110000        None        organisation
    >>> r.loc[1, "note"]
    '襄阳市樊城区 (420606) from 湖北省 + 襄樊市 + 樊城区; 襄樊市 (420600) was renamed 襄阳市 (approved 2010-11-26, 国函〔2010〕129号)'
    >>> si.locate("山东省莱芜市莱城区").loc[0, ["prefecture_code", "how"]].tolist()
    ['370100', 'history']
    """
    lv = _LEVEL[check_level(level, POLYGON_LEVELS)]
    values, index = _as_values(addresses)
    positions, results, _ = _default_locator().locate_array(values, lv, notes=True)
    columns = list(zip(*results, strict=True))
    out = pd.DataFrame(index=index)
    for k, name in enumerate(("province_code", "prefecture_code", "county_code", "how", "note")):
        out[name] = pd.Series(
            np.asarray(columns[k], dtype=object)[positions], index=index, dtype=object
        )
    return out
