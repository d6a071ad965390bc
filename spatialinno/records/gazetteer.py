"""Name index of China's administrative units for reading addresses.

Every unit of the three bundled polygon layers (34 provinces, 375 prefecture-level units, 2,891
county-level units) is indexed under its full name (``广东省``, ``深圳市``, ``南山区``), its short
name (``广东``, ``深圳``, ``南山``; the layers' ``name_short``, i.e. the administrative suffix and
ethnic designation removed) and a few written variants (``恩施州`` for 恩施土家族苗族自治州, ``长阳县``
for 长阳土家族自治县, ``内蒙`` for 内蒙古). Former names come from two code histories:

* prefecture level: :func:`spatialinno.code_history` (State Council approvals 2010-2024: 襄樊 ->
  襄阳, 莱芜 merged into 济南, 巢湖 split between 合肥 / 芜湖 / 马鞍山, 地区 -> 市 upgrades);
* county level: ``_data/county_code_history.csv``, the county-level units whose name ceased in
  2010-2024 (闸北区 -> 静安区, 莱城区 -> 莱芜区, 吴江市 -> 吴江区 ...) with their successors on the
  county layer, built by ``tests/reference/build_county_history.py`` from yescallop/areacodes
  (CC0 1.0, compiled from the Ministry of Civil Affairs code lists).

Each indexed key carries one or more *entries*: the units it can denote (several for a split unit
or a name shared by several units), the weight of the evidence (a full name counts twice a short
name) and whether it may stand alone. Short county names (``南山``), the short names of county-level
units administered by a province (``东方``, ``新星``), and two-character county names (``城区``,
``东区``, ``和县``) only count when a province or prefecture of the same chain is also in the text:
alone they are too often part of a street, a company or an ordinary word.

All keys go into one Aho-Corasick automaton (``pyahocorasick``), so an address is scanned once
whatever the number of names (about 9,000 keys).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import pandas as pd

from ..boundaries.load import load_boundaries
from ..boundaries.names import strip_suffix, to_simplified
from ..boundaries.regions import code_history, provinces

__all__ = [
    "COUNTY",
    "FULL",
    "LEVEL_NAMES",
    "PREFECTURE",
    "PROVINCE",
    "SHORT",
    "Gazetteer",
    "HistoryRecord",
    "clean_text",
    "gazetteer",
]

PROVINCE, PREFECTURE, COUNTY = 0, 1, 2
LEVEL_NAMES: tuple[str, ...] = ("province", "prefecture", "county")
# evidence weights of a key: a full name (with its suffix) counts twice a short name
FULL, SHORT = 4, 2
_PREF_CHANGES = ("rename", "merge", "abolish_split", "upgrade_diqu_to_city")
_PREF_VERB = {
    "rename": "was renamed",
    "merge": "was merged into",
    "abolish_split": "was abolished and split between",
    "upgrade_diqu_to_city": "became",
}
_PROVINCE_ALIASES = {"内蒙": "150000"}
# whitespace, punctuation and symbols (\W is every character that is not a letter, digit or _;
# CJK characters are letters): 广东省，深圳市 and 华为技术(深圳)有限公司 read as one run of text
_NOISE = re.compile(r"[\W_]+")


def clean_text(text: str) -> str:
    """Comparable form of an address: NFKC, traditional -> simplified, no spaces or punctuation.

    NFKC turns full-width letters, digits, brackets and the ideographic space into their ASCII
    forms; the character map of :mod:`spatialinno._names` turns the traditional characters used in
    region names into simplified ones; whitespace, punctuation and symbols are removed, so a name
    broken by a stray space or comma (``沈 阳市``) reads whole again.

    >>> clean_text("廣東省　深圳市, 南山區（粤海街道）")
    '广东省深圳市南山区粤海街道'
    """
    return to_simplified(_NOISE.sub("", unicodedata.normalize("NFKC", text)))


@dataclass(frozen=True)
class HistoryRecord:
    """A former name and what became of it (for the ``note`` of a located address)."""

    old_name: str
    old_code: str
    level: int
    year: int
    text: str


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """The units, their chains (province > prefecture > county) and the name automaton.

    Units are numbered (``uid``); ``codes[uid]``, ``names[uid]``, ``levels[uid]``. ``chain[uid]``
    is the unit's ``(province, prefecture, county)`` codes (None below the unit's level; a
    municipality is its own prefecture, a province-administered county-level unit its own county).
    ``slots[uid]`` groups the chain's uids by code, coarse to fine: ``(lowest level,
    highest level, uids)``. ``entries[k]`` are the entries
    of key ``k``: ``(targets, weight, needs_context, history)``; ``index[(level, code)]`` is
    the uid of a layer unit.
    """

    codes: tuple[str, ...]
    names: tuple[str, ...]
    levels: tuple[int, ...]
    labels: tuple[str, ...]
    chain: tuple[tuple[str | None, str | None, str | None], ...]
    slots: tuple[tuple[tuple[int, int, frozenset[int]], ...], ...]
    keys: tuple[str, ...]
    entries: tuple[tuple[tuple[tuple[int, ...], int, bool, int], ...], ...]
    history: tuple[HistoryRecord, ...]
    automaton: Any
    index: dict[tuple[int, str], int]

    def unit_codes(self, level: int) -> list[str]:
        """Sorted codes of the layer units of one level (0 province, 1 prefecture, 2 county)."""
        return sorted({c for c, lv in zip(self.codes, self.levels, strict=True) if lv == level})


def _layer(level: str) -> pd.DataFrame:
    frame = load_boundaries(level, simplified=True)
    return pd.DataFrame(frame.drop(columns="geometry"))


def _history_file() -> pd.DataFrame:
    path = files("spatialinno").joinpath("_data", "county_code_history.csv")
    with path.open("rb") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


class _Builder:
    """Collects units and keys; ``freeze()`` returns the immutable :class:`Gazetteer`."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.names: list[str] = []
        self.levels: list[int] = []
        self.parent: list[tuple[int, int]] = []  # (province uid, prefecture uid or -1)
        self.by_code: list[dict[str, int]] = [{}, {}, {}]
        self.keys: dict[str, list[tuple[tuple[int, ...], int, bool, int]]] = {}
        self.history: list[HistoryRecord] = []

    def unit(self, level: int, code: str, name: str, prov: int, pref: int) -> int:
        uid = len(self.codes)
        self.codes.append(code)
        self.names.append(name)
        self.levels.append(level)
        self.parent.append((prov, pref))
        self.by_code[level][code] = uid
        return uid

    def add(self, key: str, targets: tuple[int, ...], weight: int, ctx: bool, hist: int = -1):
        key = clean_text(key)
        if len(key) < 2:
            return
        entries = self.keys.setdefault(key, [])
        if hist >= 0 and any(h < 0 and not set(targets).isdisjoint(t) for t, _, _, h in entries):
            # a successor still bears this name (云安县 -> 云安区 + part of 云城区: "云安" is today's
            # 云安区): the current name finds it, and the former reading would only blur it
            return
        entry = (tuple(sorted(targets)), weight, ctx, hist)
        if entry not in entries:
            entries.append(entry)

    def chain_uids(self, uid: int) -> tuple[int, int, int]:
        level, code = self.levels[uid], self.codes[uid]
        if level == PROVINCE:
            return uid, self.by_code[PREFECTURE].get(code, -1), -1
        prov, pref = self.parent[uid]
        if level == PREFECTURE:
            return prov, uid, self.by_code[COUNTY].get(code, -1)
        return prov, pref, uid

    def freeze(self) -> Gazetteer:
        import ahocorasick

        chains, slots, labels = [], [], []
        for uid in range(len(self.codes)):
            uids = [u for u in self.chain_uids(uid) if u >= 0]
            codes = [None, None, None]
            grouped: dict[str, list[int]] = {}
            for u in uids:
                codes[self.levels[u]] = self.codes[u]
                grouped.setdefault(self.codes[u], []).append(u)
            chains.append(tuple(codes))
            slots.append(
                tuple(
                    (min(self.levels[u] for u in g), max(self.levels[u] for u in g), frozenset(g))
                    for g in grouped.values()
                )
            )
            names = list(dict.fromkeys(self.names[u] for u in uids[1:] or uids))
            labels.append("".join(names))
        keys = tuple(self.keys)
        automaton = ahocorasick.Automaton()
        for k, key in enumerate(keys):
            short = any(w == SHORT for _, w, _, _ in self.keys[key])
            automaton.add_word(key, (k, len(key), short))
        automaton.make_automaton()
        return Gazetteer(
            codes=tuple(self.codes),
            names=tuple(self.names),
            levels=tuple(self.levels),
            labels=tuple(labels),
            chain=tuple(chains),
            slots=tuple(slots),
            keys=keys,
            entries=tuple(tuple(self.keys[k]) for k in keys),
            history=tuple(self.history),
            automaton=automaton,
            index={(lv, c): u for lv, by in enumerate(self.by_code) for c, u in by.items()},
        )


def _add_units(b: _Builder) -> None:
    """Units of the three layers and their current names."""
    province_table = provinces()
    for row in province_table.itertuples(index=False):
        b.unit(PROVINCE, row.code, row.name, -1, -1)
    prefectures = _layer("prefecture")
    for row in prefectures.itertuples(index=False):
        prov = b.by_code[PROVINCE][row.province_code]
        b.unit(PREFECTURE, row.code, row.name, prov, -1)
    counties = _layer("county")
    for row in counties.itertuples(index=False):
        prov = b.by_code[PROVINCE][row.province_code]
        b.unit(COUNTY, row.code, row.name, prov, b.by_code[PREFECTURE][row.prefecture_code])

    for row in province_table.itertuples(index=False):
        targets = tuple(u for u in b.chain_uids(b.by_code[PROVINCE][row.code])[:2] if u >= 0)
        b.add(row.name, targets, FULL, False)
        b.add(row.name_short, targets, SHORT, False)
    for alias, code in _PROVINCE_ALIASES.items():
        b.add(alias, (b.by_code[PROVINCE][code],), SHORT, False)
    for row in prefectures.itertuples(index=False):
        if row.code in b.by_code[PROVINCE]:
            continue  # municipality, SAR, Taiwan: indexed with the province
        targets = tuple(u for u in b.chain_uids(b.by_code[PREFECTURE][row.code])[1:] if u >= 0)
        b.add(row.name, targets, FULL, False)
        if row.name_short != row.name:
            b.add(row.name_short, targets, SHORT, row.unit_type == "pdacu")
        if row.name.endswith("自治州"):
            b.add(row.name_short + "州", targets, FULL, False)
    for row in counties.itertuples(index=False):
        if row.code in b.by_code[PREFECTURE]:
            continue  # 东莞, 仙桃 ...: indexed with the prefecture layer
        targets = (b.by_code[COUNTY][row.code],)
        b.add(row.name, targets, FULL, len(row.name) <= 2)
        if row.name_short != row.name:
            b.add(row.name_short, targets, SHORT, True)
        for tail in ("县", "旗"):
            if row.name.endswith("自治" + tail):
                b.add(row.name_short + tail, targets, FULL, len(row.name_short) < 2)


def _add_history(b: _Builder) -> None:
    """Former names: prefecture level from code_history(), county level from the bundled CSV."""
    names = {c: n for c, n in zip(b.codes, b.names, strict=True)}
    for row in code_history().itertuples(index=False):
        if row.change_type not in _PREF_CHANGES:
            continue
        new = [c for c in str(row.new_code).split(";") if c in b.by_code[PREFECTURE]]
        targets = tuple(b.by_code[PREFECTURE][c] for c in new)
        document = row.document_no if isinstance(row.document_no, str) else ""
        text = (
            f"{row.old_name} ({row.old_code}) {_PREF_VERB[row.change_type]} "
            f"{'、'.join(names.get(c, c) for c in new)} (approved {row.approval_date}"
            + (f", {document})" if document else ")")
        )
        hist = len(b.history)
        b.history.append(
            HistoryRecord(row.old_name, row.old_code, PREFECTURE, int(row.approval_date[:4]), text)
        )
        b.add(row.old_name, targets, FULL, False, hist)
        if strip_suffix(clean_text(row.old_name)) != row.old_name:
            b.add(strip_suffix(clean_text(row.old_name)), targets, SHORT, False, hist)
    for row in _history_file().itertuples(index=False):
        if row.new_codes:
            targets = tuple(b.by_code[COUNTY][c] for c in row.new_codes.split(";"))
        else:  # a unit newer than the layer: its prefecture only
            targets = tuple(b.by_code[PREFECTURE][c] for c in row.new_prefecture_codes.split(";"))
        where = "" if row.old_prefecture == "直辖" else f"{row.old_prefecture}"
        text = (
            f"{where}{row.old_name} ({row.old_code}) ceased in {row.year_ceased}; now "
            + "、".join(row.new_names.split(";") or [names[t] for t in targets])
        )
        hist = len(b.history)
        b.history.append(
            HistoryRecord(row.old_name, row.old_code, COUNTY, int(row.year_ceased), text)
        )
        b.add(row.old_name, targets, FULL, len(row.old_name) <= 2, hist)
        if strip_suffix(clean_text(row.old_name)) != row.old_name:
            b.add(strip_suffix(clean_text(row.old_name)), targets, SHORT, True, hist)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The name index of the bundled layers and code histories (built once, ~1 s).

    >>> g = gazetteer()
    >>> sorted(g.labels[targets[0]] for targets, *_ in g.entries[g.keys.index("鼓楼区")])
    ['南京市鼓楼区', '开封市鼓楼区', '徐州市鼓楼区', '福州市鼓楼区']
    """
    b = _Builder()
    _add_units(b)
    _add_history(b)
    return b.freeze()
