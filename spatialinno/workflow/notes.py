"""The notes of a run in the report's language: join notes, per-province notes, data notes.

Notes are born in English where they are made (a warning, a table's ``note`` column, a join
report) and are :class:`~spatialinno._notes.Note` objects that carry a key and the values they
were written from; here they are written again from :data:`spatialinno.workflow.text.NOTES` in
Chinese or English. Place names are written in the report's language (``name_en`` of the
boundary layers in English; a former unit that has no English name keeps its Chinese one).

The data notes of a run (:func:`data_notes`) fold what several statistics said about the same
units into one line: the units without a value of a column are counted once per column -- the
join block says which have no table row and which an empty cell -- and the line names every
statistic that left them out, so Gini, Moran's I, gini_by and capital_share never appear to
disagree about how many units they used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from .._notes import LIST, Note
from ..styles.numbers import format_number
from .text import HOW, LEVEL, NOTES, SUBJECTS, TEXT

__all__ = ["Coverage", "data_notes", "place", "places", "render", "unit_name"]

_LABEL = re.compile(r"^(?P<name>.+?) \((?P<code>\d{6})(?:, (?P<rest>.+))?\)$")
_SUBJECT_ARGS = re.compile(r"\(.*\)$")
#: units named in one sentence; the rest are counted
MAX_PLACES = 40


@lru_cache(maxsize=4)
def _names(level: str) -> dict[str, tuple[str, str]]:
    from ..tables.reference import reference

    units = reference(level).units
    return {
        str(c): (str(n), str(e))
        for c, n, e in zip(units.index, units["name"], units["name_en"], strict=True)
    }


def _name(code: str, lang: str, fallback: str) -> str:
    """The name of the unit ``code`` in ``lang`` (the fallback when no layer has the code)."""
    if lang == "zh":
        return fallback
    for level in ("prefecture", "province", "county"):
        found = _names(level).get(code)
        if found:
            return found[1]
    return fallback


def unit_name(name: object, code: str, lang: str) -> str:
    """The name of a unit in ``lang``: the unit ``code``, or the unit called ``name`` inside the
    province ``code`` (a provincial capital).

    >>> unit_name("广东省", "440000", "en"), unit_name("广州市", "440000", "en")
    ('Guangdong', 'Guangzhou')
    """
    if not isinstance(name, str):
        return ""
    if lang == "zh":
        return name
    for level in ("province", "prefecture"):
        found = _names(level).get(code)
        if found and found[0] == name:
            return found[1]
    for other, (zh, en) in _names("prefecture").items():
        if zh == name and other[:2] == code[:2]:
            return en
    return name


def place(label: object, lang: str) -> str:
    """A unit as ``name (code[, province])`` written in ``lang``.

    >>> place("济南市 (370100, 山东省)", "en"), place("石河子市 (659001)", "zh")
    ('Jinan (370100, Shandong)', '石河子市（659001）')
    """
    text = str(label)
    m = _LABEL.match(text)
    if not m:
        return text
    code, rest = m.group("code"), m.group("rest")
    name = _name(code, lang, m.group("name"))
    parts = [code]
    if rest:
        where = rest.split(", ")
        codes = [code[:2] + "0000", code[:4] + "00"][: len(where)]
        parts += [_name(c, lang, w) for c, w in zip(codes, where, strict=True)]
    inner = ", ".join(parts)
    return f"{name}（{inner}）" if lang == "zh" else f"{name} ({inner})"


def places(labels: Iterable[object], lang: str, limit: int = MAX_PLACES) -> str:
    """Units written in ``lang``, joined; beyond ``limit`` they are counted."""
    items = list(labels)
    text = TEXT[lang]["list_sep"].join(place(u, lang) for u in items[:limit])
    if len(items) > limit:
        text += TEXT[lang]["more"].format(n=len(items) - limit)
    return text or TEXT[lang]["none"]


def _subject(subject: object, lang: str) -> str:
    key = _SUBJECT_ARGS.sub("", str(subject)).strip()
    return SUBJECTS[lang].get(key, key)


def _values(note: Note, lang: str, label: Callable[[Any], str]) -> dict[str, Any]:
    """A note's values as its template writes them in ``lang``."""
    out: dict[str, Any] = {}
    for key, value in note.params.items():
        if key in ("units",):
            out[key] = places(value, lang, limit=10)
        elif key == "unit":
            out[key] = place(value, lang)
        elif key in ("level", "other"):
            out[key] = LEVEL[lang].get(str(value), str(value))
        elif key == "how":
            out[key] = HOW[lang].get(str(value), str(value))
        elif key == "within":
            out[key] = (
                {"province": "省份", "prefecture": "地市"}.get(value, value)
                if lang == "zh"
                else value
            )
        elif key in _SPACE_TIME:
            out[key] = _SPACE_TIME[key](value, note.params, lang)
        elif key == "note":
            out[key] = render(value, lang, label)
        elif key == "value":
            out[key] = repr(value) if isinstance(value, str) else str(value)
        elif key == "columns" and isinstance(value, tuple):
            out[key] = ", ".join(map(str, value))
        else:
            out[key] = value
    if "column" in note.params:
        out["label"] = label(note.params["column"])
    if note.key == "center_left_out":
        out["detail"] = _detail(None, note.params, lang)
    return out


_WHAT = {
    "zh": {"spatial_markov": "空间马尔可夫链", "lisa_markov": "LISA 马尔可夫链",
           "gravity_center": "重心", "deviational_ellipse": "标准差椭圆",
           "dagum_gini": "Dagum 基尼分解", "kernel_density": "核密度",
           "sigma_convergence": "σ 收敛", "beta_convergence": "β 收敛"},
    "en": {"spatial_markov": "spatial Markov chain", "lisa_markov": "LISA Markov chain",
           "gravity_center": "centre of gravity", "deviational_ellipse": "deviational ellipse",
           "dagum_gini": "Dagum Gini", "kernel_density": "kernel density",
           "sigma_convergence": "sigma-convergence", "beta_convergence": "beta-convergence"},
}  # fmt: skip


def _missing(value: Any, params: dict[str, Any], lang: str) -> str:
    """Units with missing years (``Panel.gaps``): "name (code): 2016, 2017; ..." in ``lang``."""
    zh = lang == "zh"
    parts = []
    for name, years, count in value:
        shown = ("每年" if zh else "every year") if not years else ", ".join(map(str, years))
        if years and count > len(years):
            shown += " 等" if zh else " ..."
        parts.append(f"{place(name, lang)}{'：' if zh else ': '}{shown}")
    more = params.get("more", 0)
    if more:
        parts.append(f"另有 {more} 个" if zh else f"and {more} more")
    return ("；" if zh else "; ").join(parts)


def _where(value: Any, params: dict[str, Any], lang: str) -> str:
    """The row of a transition matrix: "lag class 2, class 1" or "quadrant HH" in ``lang``."""
    if lang != "zh":
        return str(value)
    if params.get("lag"):
        return f"邻域类别 {params['lag']}，类别 {params['row']}"
    return str(value).replace("quadrant", "象限")


def _detail(value: Any, params: dict[str, Any], lang: str) -> str:
    """What a centre of gravity left out: years without any value, rows without a value."""
    zh = lang == "zh"
    parts = []
    if params.get("empty"):
        years = ", ".join(str(y) for y in params["empty"])
        parts.append(f"{years} 年全部没有数值" if zh else f"{years}: no value at all")
    if params.get("rows"):
        units = params.get("per_unit") or ()
        named = ", ".join(
            f"{place(n, lang)}（{k} 年）" if zh else f"{place(n, lang)} ({k} years)"
            for n, k in units[:10]
        )
        more = len(units) - 10
        if more > 0:
            named += f" 等 {more} 个" if zh else f" and {more} more"
        rows = params["rows"]
        said = f"{rows} 行没有数值" if zh else f"{rows} rows without a value"
        parts.append(f"{said}{'：' if zh else ': '}{named}" if named else said)
    return ("；" if zh else "; ").join(parts)


_SPACE_TIME: dict[str, Callable[[Any, dict[str, Any], str], str]] = {
    "missing": _missing,
    "where": _where,
    "what": lambda v, _, lang: _WHAT[lang].get(str(v), str(v)),
}


def _history(note: Note, lang: str) -> dict[str, Any]:
    p = note.params
    new = TEXT[lang]["list_sep"].join(place(f"{n} ({c})", lang) for c, n in p["new"])
    old = place(f"{p['old']} ({p['old_code']})", lang)
    old_name = old.split("（")[0] if lang == "zh" else old.rsplit(" (", 1)[0]
    doc = p.get("document") or ""
    if doc:
        doc = f"，{doc}" if lang == "zh" else f", State Council approval {doc}"
    return {"old": old_name, "old_code": p["old_code"], "new": new, "date": p["date"], "doc": doc}


def render(note: object, lang: str, label: Callable[[Any], str] = str) -> str:
    """``note`` written in ``lang`` (a note without a known key: its own text).

    ``label`` writes a column name as the report shows it (its readable label).

    >>> from spatialinno._notes import Note
    >>> render(Note("too_few_units", "fewer than 2 units"), "zh")
    '单元少于 2 个'
    >>> render(Note("group_left_out", "x: 3 unit(s) left out", column="x", n=3), "en", str.upper)
    'X: 3 units without data left out'
    """
    if not isinstance(note, Note):
        return "" if note is None or note is pd.NA else str(note)
    if note.key == LIST:
        sep = "；" if lang == "zh" else "; "
        return sep.join(render(item, lang, label) for item in note.params["items"])
    key = note.key
    if key == "excluded":
        key = f"excluded_{str(note.params.get('kind', 'listed')).lower()}"
    template = NOTES[lang].get(key)
    if template is None:
        return str(note)
    values = _history(note, lang) if key.startswith("history_") else _values(note, lang, label)
    if key == "few_permutations":
        values["correction"] = TEXT[lang][f"correction_{note.params['correction']}"]
    if key == "auto_permutations":
        values["threshold"] = f"{note.params['alpha'] / note.params['tests']:.2e}"
        values["correction"] = TEXT[lang][f"correction_{note.params['correction']}"]
        values["alpha"] = format_number(note.params["alpha"])
    try:
        return template.format(**values)
    except (KeyError, IndexError):  # a note made with other values than the template's
        return str(note)


@dataclass(frozen=True)
class Coverage:
    """The units without a value of each analysed column of one joined table."""

    report: Any  # the JoinReport
    columns: Sequence[str]
    label: Callable[[Any], str]  # column -> its readable label in the report's language

    def missing(self, column: str) -> set[str]:
        """Labels ``name (code)`` of the units without a value of ``column``."""
        frame = self.report.without_value(column)
        return {f"{n} ({c})" for n, c in zip(frame["name"], frame["code"], strict=True)}


def _unwrap(note: object) -> tuple[object, object]:
    """(year, note) of a note a year-by-year statistic repeated; (None, note) otherwise."""
    if isinstance(note, Note) and note.key == "year":
        return note.params["year"], note.params["note"]
    return None, note


def _folded(note: object, coverage: Sequence[Coverage]) -> tuple[Coverage, str] | None:
    """The (coverage, column) a note about units without a value belongs to, if any."""
    if not (isinstance(note, Note) and note.key == "left_out" and note.params["reason"] == "value"):
        return None
    units = set(note.params["units"])
    column = note.params.get("column")
    for cov in coverage:
        for c in cov.columns:
            if (column is None or column == c) and units <= cov.missing(c):
                return cov, c
    return None


def data_notes(messages: Iterable[object], coverage: Sequence[Coverage], lang: str) -> list[str]:
    """The data notes of a run in ``lang``: one line per column for the units without a value,
    naming every statistic that left them out; units left out for another reason (no NBS
    region ...) once per reason and units, naming the statistics; any other note once (a note
    repeated for several years once, with the years)."""
    subjects: dict[tuple[Any, ...], list[str]] = {}  # what was left out -> the statistics
    years: dict[tuple[Any, ...], list[object]] = {}
    for message in messages:
        year, note = _unwrap(message)
        home = _folded(note, coverage)
        if home is not None:
            key: tuple[Any, ...] = ("coverage", id(home[0]), home[1])
        elif isinstance(note, Note) and note.key == "left_out":
            p = note.params
            key = ("left_out", p["reason"], str(p.get("column")), tuple(p["units"]))
        else:
            key = ("other", render(note, lang))
        if isinstance(note, Note) and note.key == "left_out":
            names = subjects.setdefault(key, [])
            name = _subject(note.params["subject"], lang)
            if name not in names:
                names.append(name)
        seen = years.setdefault(key, [])
        if year is not None and year not in seen:
            seen.append(year)
    by_id = {id(c): c for c in coverage}
    sep = TEXT[lang]["list_sep"]
    lines = []
    for key, seen in years.items():
        if key[0] == "coverage":
            cov, column = by_id[key[1]], key[2]
            text = NOTES[lang]["coverage"].format(
                label=cov.label(column),
                n=len(cov.missing(column)),
                subjects=sep.join(subjects[key]),
            )
            lines.append(text)  # the same units every year: no years to say
        elif key[0] == "left_out":
            lines.append(_with_years(_left_out(key, sep.join(subjects[key]), lang), seen, lang))
        else:
            lines.append(_with_years(key[1], seen, lang))
    return list(dict.fromkeys(lines))  # two columns can leave out the same units: once


def _left_out(key: tuple[Any, ...], subjects: str, lang: str) -> str:
    """Units some statistics left out for another reason than a missing value."""
    _, reason, column, units = key
    shown = places(units, lang, limit=10)
    if reason == "group":
        what = NOTES[lang].get(f"group_{column}", NOTES[lang]["group_other"]).format(column=column)
        return NOTES[lang]["no_group"].format(
            subjects=subjects, n=len(units), what=what, units=shown
        )
    return NOTES[lang]["left_out_other"].format(subjects=subjects, n=len(units), units=shown)


def _with_years(text: str, years: list[object], lang: str) -> str:
    if not years:
        return text
    if len(years) == 1:
        return NOTES[lang]["year"].format(year=years[0], text=text)
    return NOTES[lang]["years"].format(first=years[0], last=years[-1], count=len(years), text=text)
