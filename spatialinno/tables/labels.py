"""Readable labels and units of a table's columns, in Chinese and English.

A column such as ``rd_exp_total_10k_yuan`` is data; what a reader of a map, a figure, a report or a
QGIS layer should see is "R&D经费内部支出（万元）" or "R&D expenditure (10k yuan)". The label is given
once and travels with the frame (``frame.attrs["labels"]``) through the join and the measures:

* in Python: ``si.with_labels(frame, {"rd": "R&D经费|万元"})`` or ``labels=`` of the functions that
  draw or report;
* on the command line: ``--label rd="R&D经费|万元"``;
* in a table: a second header row of units is read by :func:`spatialinno.read_table`;
* bundled data sets carry their own labels and units in both languages (``labels.csv``).

A label spec is a :class:`Label`, a mapping ``{"zh": ..., "en": ..., "unit_zh": ..., "unit_en":
...}``, or text: ``"name|unit"``, ``"name（unit）"`` / ``"name (unit)"`` or a plain name. Chinese
text fills the Chinese fields, Latin text the English ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files

import pandas as pd

from .._errors import InputError
from .._notes import Note

__all__ = [
    "ATTR",
    "Label",
    "attach_labels",
    "dataset_labels",
    "known_labels",
    "label_of",
    "labels_of",
    "parse_label",
    "with_labels",
]

ATTR = "labels"  # key in DataFrame.attrs: {column: Label}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TRAILING_UNIT = re.compile(r"^(?P<name>.*?)\s*[（(](?P<unit>[^（）()]+)[）)]\s*$")


@dataclass(frozen=True)
class Label:
    """The readable name and unit of a column in Chinese and English.

    Attributes
    ----------
    zh, en : str
        Name in Chinese and in English; an empty field falls back to the other language.
    unit_zh, unit_en : str
        Unit in Chinese and in English (``万元`` / ``10k yuan``); empty for none.
    """

    zh: str = ""
    en: str = ""
    unit_zh: str = ""
    unit_en: str = ""

    def name(self, lang: str = "zh") -> str:
        """The name in ``lang`` ("zh" or "en"), falling back to the other language."""
        return (self.zh or self.en) if lang == "zh" else (self.en or self.zh)

    def unit(self, lang: str = "zh") -> str:
        """The unit in ``lang``; "" when there is none.

        A label named in ``lang`` has its own unit (none is none: ``件`` of a count has no
        English word); a label named in the other language only borrows that one's unit too,
        as it borrows its name.
        """
        own, other = (self.unit_zh, self.unit_en) if lang == "zh" else (self.unit_en, self.unit_zh)
        named = self.zh if lang == "zh" else self.en
        return own if named or own else other

    def without_unit(self) -> Label:
        """The same names without a unit (a Gini or a share of the column has none)."""
        return Label(self.zh, self.en)

    def text(self, lang: str = "zh", unit: bool = True) -> str:
        """Name with its unit in brackets, as a title or legend heading shows it.

        >>> Label("R&D经费", "R&D expenditure", "万元", "10k yuan").text("zh")
        'R&D经费（万元）'
        >>> Label("R&D经费", "R&D expenditure", "万元", "10k yuan").text("en")
        'R&D expenditure (10k yuan)'
        """
        name, u = self.name(lang), self.unit(lang)
        if not unit or not u:
            return name
        return f"{name}（{u}）" if lang == "zh" else f"{name} ({u})"

    def merged(self, other: Label) -> Label:
        """This label with the empty fields filled from ``other``."""
        return Label(
            self.zh or other.zh,
            self.en or other.en,
            self.unit_zh or other.unit_zh,
            self.unit_en or other.unit_en,
        )


def _split_text(text: str) -> tuple[str, str]:
    if "|" in text:
        name, _, unit = text.partition("|")
        return name.strip(), unit.strip()
    m = _TRAILING_UNIT.match(text)
    if m and m.group("name").strip():
        return m.group("name").strip(), m.group("unit").strip()
    return text.strip(), ""


def parse_label(spec: object, column: str = "") -> Label:
    """A :class:`Label` from a spec (Label, mapping or text), see the module docstring.

    >>> parse_label("R&D经费|万元")
    Label(zh='R&D经费', en='', unit_zh='万元', unit_en='')
    >>> parse_label("Patents granted (items)")
    Label(zh='', en='Patents granted', unit_zh='', unit_en='items')
    """
    if isinstance(spec, Label):
        return spec
    if isinstance(spec, Mapping):
        unknown = set(spec) - {"zh", "en", "unit", "unit_zh", "unit_en"}
        if unknown:
            raise InputError(
                f"label of column {column!r} has unknown key(s) {sorted(unknown)}; use zh, en, "
                "unit_zh, unit_en (or unit for both)"
            )
        unit = str(spec.get("unit", "") or "")
        return Label(
            str(spec.get("zh", "") or ""),
            str(spec.get("en", "") or ""),
            str(spec.get("unit_zh", "") or unit),
            str(spec.get("unit_en", "") or unit),
        )
    if isinstance(spec, str) and spec.strip():
        name, unit = _split_text(spec)
        if _CJK.search(name):
            return Label(zh=name, unit_zh=unit)
        return Label(en=name, unit_en=unit)
    raise InputError(
        f"label of column {column!r} must be text such as 'R&D经费|万元', a mapping with zh/en/"
        f"unit_zh/unit_en, or a spatialinno Label, not {spec!r}"
    )


@cache
def _table() -> pd.DataFrame:
    """labels.csv: one row per column of a bundled data set (``dataset``); ``any_table`` says
    whether the column name is specific enough to label that column in any table."""
    path = files("spatialinno").joinpath("_data", "datasets", "labels.csv")
    with path.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def _labels(rows: pd.DataFrame) -> dict[str, Label]:
    return {
        row.column: Label(row.zh, row.en, row.unit_zh, row.unit_en)
        for row in rows.itertuples(index=False)
    }


@cache
def _bundled() -> dict[str, Label]:
    """The labels any table's column of that name gets (``rd_exp_total_10k_yuan`` ...); a name
    as common as ``GDP`` or ``Patent`` is labelled only in its own data set."""
    table = _table()
    return _labels(table[table["any_table"] == "yes"])


def dataset_labels(name: str) -> dict[str, Label]:
    """The labels and units of the columns of the bundled data set ``name`` (``labels.csv``).

    >>> dataset_labels("city_census")["popu_2020"].text("en")
    'Resident population 2020 (persons)'
    """
    table = _table()
    return _labels(table[table["dataset"] == name])


def attach_labels(frame: pd.DataFrame, labels: Mapping[str, object]) -> pd.DataFrame:
    """``frame`` itself, its ``attrs`` carrying ``labels`` (merged over those it has) for the
    columns it has; other labels are ignored (an internal helper: :func:`with_labels` checks)."""
    current = labels_of(frame)
    for column, spec in labels.items():
        if column in frame.columns:
            new = parse_label(spec, str(column))
            current[str(column)] = new.merged(current.get(str(column), Label()))
    if current:
        frame.attrs[ATTR] = current
    return frame


def known_labels(frame: pd.DataFrame | None, columns: list[str]) -> dict[str, Label]:
    """The labels somebody gave ``columns`` (the frame's, the bundled ones), without the
    fallback to the column's own name."""
    own = labels_of(frame) if frame is not None else {}
    bundled = _bundled()
    found = {}
    for c in columns:
        label = own.get(c, Label()).merged(bundled.get(c, Label()))
        if label.zh or label.en:
            found[c] = label
    return found


def labels_of(frame: pd.DataFrame) -> dict[str, Label]:
    """The labels a frame carries (``frame.attrs["labels"]``), as {column: Label}."""
    raw = getattr(frame, "attrs", {}).get(ATTR, {}) or {}
    return {str(c): parse_label(v, str(c)) for c, v in raw.items()}


def with_labels(frame: pd.DataFrame, labels: Mapping[str, object]) -> pd.DataFrame:
    """A copy of ``frame`` whose columns carry ``labels`` (merged over those it already has).

    Parameters
    ----------
    frame : DataFrame or GeoDataFrame
    labels : mapping of column -> label spec
        ``{"rd": "R&D经费|万元"}``, ``{"rd": {"zh": "R&D经费", "en": "R&D spending",
        "unit_zh": "万元", "unit_en": "10k yuan"}}``; a spec in one language adds to (does not
        erase) the other language of a label the column already has.

    Examples
    --------
    >>> import pandas as pd
    >>> t = with_labels(pd.DataFrame({"rd": [1.0]}), {"rd": "R&D经费|万元"})
    >>> label_of(t, "rd").text("zh")
    'R&D经费（万元）'
    """
    if not isinstance(labels, Mapping):
        raise InputError(
            f"labels must be a mapping of column -> label, not {type(labels).__name__}"
        )
    unknown = [c for c in labels if c not in frame.columns]
    if unknown:
        columns = tuple(map(str, frame.columns.drop("geometry", errors="ignore")))
        text = (
            f"labels given for column(s) {unknown} that the table does not have; columns: "
            f"{', '.join(columns)}"
        )
        raise InputError(Note("label_unknown_column", text, cols=tuple(unknown), columns=columns))
    current = labels_of(frame)
    for column, spec in labels.items():
        new = parse_label(spec, str(column))
        current[str(column)] = new.merged(current.get(str(column), Label()))
    out = frame.copy()
    out.attrs = {**frame.attrs, ATTR: current}
    return out


def label_of(
    frame: pd.DataFrame | None, column: str, labels: Mapping[str, object] | None = None
) -> Label:
    """The label of ``column``: ``labels=`` first, then the frame's, then the bundled data sets'.

    Fields missing at one level are filled from the next; a column nobody labelled gets its own
    name in both languages.
    """
    found = Label()
    if labels and column in labels:
        found = parse_label(labels[column], column)
    if frame is not None:
        found = found.merged(labels_of(frame).get(column, Label()))
    found = found.merged(_bundled().get(column, Label()))
    if not (found.zh or found.en):
        found = replace(found, zh=str(column), en=str(column))
    return found
