"""The cells of a table as yearbooks write them: numbers, percentages, codes and years.

Numbers with thousands separators, full-width digits, spaces and decimal commas are parsed; cells
that mean "no value" (``-``, ``…``, ``NA`` ...) become NaN; ``12.5%`` is read as the fraction a
spreadsheet stores behind it; codes stay strings with their leading zeros; a column that is mostly
numbers but holds a stray text cell is refused naming the column, row and value, because turning
that cell into NaN would silently drop a region from every statistic computed later.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

import numpy as np
import pandas as pd

from .._errors import InputError
from .._notes import Note
from ..boundaries.names import normalize_code

__all__ = [
    "COMMA_DECIMAL",
    "MISSING_TOKENS",
    "POINT_DECIMAL",
    "SPACES",
    "clean_number_text",
    "code_strings",
    "counting_note",
    "parse_numeric_columns",
    "scientific_codes",
    "title_unit",
    "unit_row",
    "year_values",
]

# Cells that mean "no value" in Chinese yearbooks and exported spreadsheets: they become NaN and
# never trigger the stray-text error. "..." / "…" = not available, "-" / "—" = not applicable.
MISSING_TOKENS: frozenset[str] = frozenset(
    {"", "-", "--", "—", "——", "–", "...", "…", "……", "na", "n/a", "nan", "null", "none", "/", "无"}
)

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?%?$")
# with a decimal comma (European spreadsheets, semicolon-separated): 1.234.567,5
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?%?$")
SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u3000]+")
# a decimal comma for sure: not three digits after it (5,5; 12,75), or dot-thousands before it
COMMA_DECIMAL = re.compile(r"^[+-]?(?:\d+,(?:\d{1,2}|\d{4,})|\d{1,3}(?:\.\d{3})+,\d+)%?$")
# a decimal point for sure: not three digits after it, or comma-thousands before it
POINT_DECIMAL = re.compile(r"^[+-]?(?:\d+\.(?:\d{1,2}|\d{4,})|\d{1,3}(?:,\d{3})+\.\d+)%?$")
# a code as Excel shows a long number in a "General" cell and saves it to CSV: 1.10101E+11
_SCIENTIFIC = re.compile(r"^[+-]?(\d)(?:\.(\d+))?[eE]\+?(\d+)$")


def clean_number_text(value: str, decimal: str = ".") -> str:
    """A number cell as plain ASCII text: full-width forms, spaces and thousands separators gone,
    a decimal comma turned into a point when ``decimal=","``."""
    # NFKC turns full-width digits, comma, point, percent and minus-like signs into ASCII
    text = SPACES.sub("", unicodedata.normalize("NFKC", value)).replace("\u2212", "-")
    if decimal == ",":
        if _THOUSANDS_DOT.match(text):
            text = text.replace(".", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
    elif _THOUSANDS.match(text):
        text = text.replace(",", "")
    return text


def _parse_cells(values: pd.Series, decimal: str = ".") -> tuple[pd.Series, pd.Series, pd.Series]:
    """Numbers parsed from mixed cells; masks of cells that are not numbers, and of ``12.5%`` cells.

    A percent cell is read as the fraction a spreadsheet stores behind it (12.5% -> 0.125).
    """
    out = np.full(len(values), np.nan)
    bad = np.zeros(len(values), dtype=bool)
    pct = np.zeros(len(values), dtype=bool)
    for i, value in enumerate(values.tolist()):
        if value is None or value is pd.NA or value is pd.NaT:
            continue
        if isinstance(value, (bool, np.bool_)):
            bad[i] = True
            continue
        if isinstance(value, (int, float, np.integer, np.floating)):
            out[i] = float(value)
            continue
        text = clean_number_text(str(value), decimal)
        if text.lower() in MISSING_TOKENS:
            continue
        percent = text.endswith("%")
        try:
            number = float(text[:-1] if percent else text)
        except ValueError:
            bad[i] = True
            continue
        if percent:  # shift the decimal point in the text: 33.3% is 0.333 exactly as typed
            number, pct[i] = float(Decimal(text[:-1]).scaleb(-2)), True
        out[i] = number
    index = values.index
    return pd.Series(out, index=index), pd.Series(bad, index=index), pd.Series(pct, index=index)


def _row_labels(frame: pd.DataFrame, positions: Iterable[int], first_row: int | None) -> list[str]:
    labels = []
    for pos in positions:
        if first_row is None:
            labels.append(f"row with index {frame.index[pos]!r} (position {pos})")
        else:  # files keep their RangeIndex until here, so the label is the data-row number
            labels.append(f"row {int(frame.index[pos]) + first_row}")
    return labels


def counting_note(first_row: int | None, header_row: str | None = None) -> str:
    """How messages count rows: as a spreadsheet does (with ``first_row``), or by index label.

    A :class:`~spatialinno._notes.Note` whose ``header`` is the header row, so that a message
    said in another language can count rows the same way.
    """
    header = _header_of(first_row, header_row)
    if header is None:
        return ""
    return Note(
        "counting", f" (rows counted as in a spreadsheet, header = row {header})", header=header
    )


def _header(counting: str) -> str | None:
    """The header row a :func:`counting_note` names (None: rows are index labels)."""
    return counting.params["header"] if isinstance(counting, Note) else None


def parse_numeric_columns(
    frame: pd.DataFrame,
    skip: Iterable[str] = (),
    *,
    first_row: int | None = None,
    where: str = "table",
    decimal: str = ".",
    notes: list[str] | None = None,
    header_row: str | None = None,
) -> pd.DataFrame:
    """Convert the mostly-numeric text columns of ``frame`` to float, in a copy.

    A column is *numeric* when more of its non-missing cells parse as numbers than not; it is then
    converted, and any cell that does not parse raises :class:`~spatialinno.InputError` naming
    column, row and value. Columns with fewer numbers than text (names, notes) are left as text.
    Percent cells (``12.5%``) are read as the fraction a spreadsheet stores behind them (0.125)
    and said so in ``notes``; a column mixing ``12.5%`` and plain numbers is refused.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    skip : iterable of str
        Columns never converted (codes, names).
    first_row : int, optional
        Spreadsheet row number of the first data row (2 when the header is row 1); the error then
        says ``row N`` as a spreadsheet shows it. ``None`` names the DataFrame index label instead.
    where : str
        What to call the table in messages (a file name).
    decimal : {".", ","}
        Decimal mark of text cells (``","``: ``1.234,5`` is 1234.5).
    notes : list of str, optional
        Receives one sentence per column whose cells were reinterpreted (percentages).
    header_row : str, optional
        The header's spreadsheet row(s) as messages show it (default ``first_row - 1``).

    Examples
    --------
    >>> t = pd.DataFrame({"city": ["广州", "深圳"], "gdp": ["28,231.97", "３０６６４.８"]})
    >>> parse_numeric_columns(t, skip=["city"])["gdp"].tolist()
    [28231.97, 30664.8]
    """
    out = frame.copy()
    skip = set(skip)
    counting = counting_note(first_row, header_row)
    for column in out.columns:
        series = out[column]
        if column in skip or pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            continue
        numbers, bad, pct = _parse_cells(series, decimal)
        n_num = int(numbers.notna().sum())
        n_bad = int(bad.sum())
        if n_num == 0 or n_num <= n_bad:
            # a text column (names, notes); keep the cells but drop the stray spaces around them
            if n_num == 0 and n_bad == 0:
                out[column] = numbers  # only missing tokens: an empty numeric column
            continue
        if n_bad:
            pos = np.flatnonzero(bad.to_numpy())
            text = (
                f"column {column!r} of the {where} is numeric ({n_num} numbers) but has text in "
                f"{n_bad} cell(s): {_cells(out, series, pos, first_row)}{counting}; fix or empty "
                "those cells (use '' or '-' for a missing value), or pass the column as text"
            )
            raise InputError(
                Note("text_in_numbers", text, column=column, file=where, n_num=n_num,
                     n=n_bad, cells=_cell_items(out, series, pos[:5], first_row),
                     header=_header(counting))
            )  # fmt: skip
        if pct.any():
            _check_percent(out, series, numbers, pct, column, where, first_row, counting, notes)
        out[column] = numbers
    return out


def _header_of(first_row: int | None, header_row: str | None = None) -> str | None:
    """The header row :func:`counting_note` names (``None``: rows are index labels)."""
    if first_row is None:
        return None
    return header_row if header_row is not None else str(first_row - 1)


def _cell_items(
    frame: pd.DataFrame, series: pd.Series, pos: np.ndarray, first_row: int | None
) -> tuple[tuple[object, object], ...]:
    """(row, value) of the cells at ``pos``: the spreadsheet row number, or the index label."""
    items = []
    for p in pos:
        row = frame.index[p] if first_row is None else int(frame.index[p]) + first_row
        items.append((row if first_row is not None else f"index {row!r}", series.iloc[p]))
    return tuple(items)


def _cells(frame: pd.DataFrame, series: pd.Series, pos: np.ndarray, first_row: int | None) -> str:
    rows = _row_labels(frame, pos[:5], first_row)
    text = ", ".join(f"{r}: {series.iloc[p]!r}" for r, p in zip(rows, pos[:5], strict=True))
    return text + (f" and {len(pos) - 5} more" if len(pos) > 5 else "")


def _check_percent(
    frame: pd.DataFrame,
    series: pd.Series,
    numbers: pd.Series,
    pct: pd.Series,
    column: object,
    where: str,
    first_row: int | None,
    counting: str,
    notes: list[str] | None,
) -> None:
    """Refuse a column mixing ``12.5%`` with plain numbers; note one written in percentages."""
    plain = (numbers.notna() & ~pct & numbers.ne(0)).to_numpy()
    pos = np.flatnonzero(pct.to_numpy())
    if plain.any():
        plain_pos = np.flatnonzero(plain)
        text = (
            f"column {column!r} of the {where} mixes percentages ({_cells(frame, series, pos, first_row)}) "
            f"and plain numbers ({_cells(frame, series, plain_pos, first_row)}){counting}; "
            "12.5% is read as 0.125, so a plain 12.5 beside it would be 100 times off: write "
            "every cell of the column the same way (all with % or none)"
        )
        raise InputError(
            Note("percent_mixed", text, column=column, file=where,
                 cells=_cell_items(frame, series, pos[:5], first_row), n=len(pos),
                 plain=_cell_items(frame, series, plain_pos[:5], first_row), n_plain=len(plain_pos),
                 header=_header(counting))
        )  # fmt: skip
    if notes is not None:
        first = series.iloc[pos[0]]
        value = f"{numbers.iloc[pos[0]]:g}"
        text = (
            f"column {column!r}: {len(pos)} cell(s) written as percentages were read as "
            f"fractions, the value a spreadsheet stores behind the % format ({first!r} -> "
            f"{value}); multiply by 100 for percentage points"
        )
        notes.append(Note("percent", text, column=column, n=len(pos), first=first, value=value))


def code_strings(series: pd.Series) -> pd.Series:
    """A code column as strings with spaces removed; ints and 440100.0 floats become '440100';
    a blank cell is NaN."""

    def one(value: object) -> object:
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            return pd.NA
        code = normalize_code(value)
        if code is not None:
            return code
        text = str(value).strip()
        return text if text else pd.NA

    out = series.map(one).astype(object)
    return out.where(out.notna(), np.nan)  # missing: NaN, as in every other column


def year_values(series: pd.Series, column: str, where: str, first_row: int | None) -> pd.Series:
    """A year column as Int64 (``2021``, ``2021年``, ``2021.0``); anything else is refused."""

    def one(value: object) -> float:
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            return np.nan
        text = clean_number_text(str(value)).removesuffix("年")
        text = text[:-2] if text.endswith(".0") else text
        return float(text) if text.isdigit() and len(text) == 4 else -1.0

    years = pd.Series([one(v) for v in series.tolist()], index=series.index, dtype=float)
    bad = years.eq(-1.0).to_numpy()
    if bad.any():
        pos = np.flatnonzero(bad)
        rows = _row_labels(series.to_frame(), pos[:5], first_row)
        cells = ", ".join(f"{r}: {series.iloc[p]!r}" for r, p in zip(rows, pos[:5], strict=True))
        text = (
            f"year column {column!r} of the {where} must hold four-digit years (2021 or 2021年); "
            f"found {cells}"
        )
        items = _cell_items(series.to_frame(), series, pos[:5], first_row)
        raise InputError(Note("bad_years", text, column=column, file=where, cells=items))
    return years.astype("Int64")


def scientific_codes(
    series: pd.Series, column: object, where: str, first_row: int | None, counting: str
) -> None:
    """Refuse codes that a spreadsheet saved in scientific notation (1.10101E+11): digits are lost.

    Excel shows a number of 12 or more digits in a "General" cell as ``1.10101E+11`` and writes
    exactly that text to CSV: six significant digits, the rest gone. The message names the rows
    and, where the digits kept still name one unit if the lost ones were zeros (as they are in
    the 12-digit codes of counties and larger units), that unit -- as a hint, never used.
    """
    found = [
        (i, str(v).strip(), m)
        for i, v in enumerate(series.tolist())
        if isinstance(v, str) and (m := _SCIENTIFIC.match(SPACES.sub("", v)))
    ]
    if not found:
        return
    rows = _row_labels(series.to_frame(), [i for i, _, _ in found[:5]], first_row)
    hints = []
    for row, (_, text, m) in zip(rows, found[:5], strict=True):
        kept = m.group(1) + (m.group(2) or "")
        hints.append(f"{row}: {text!r} ({_scientific_hint(kept, int(m.group(3)))})")
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    text = (
        f"column {column!r} of the {where} holds codes in scientific notation in {len(found)} "
        f"row(s): {'; '.join(hints)}{more}{counting}. A spreadsheet showed these long codes as "
        "1.10101E+11 and saved only the digits shown, so the others are lost and the rows "
        "cannot be matched safely. Re-export the column as text from the original workbook or "
        "source (Excel/WPS: format the code column as Text before saving as CSV; opening the "
        "CSV in Excel and saving it again loses the digits again), or drop the column and "
        "join on region names"
    )
    items = _cell_items(series.to_frame(), series, [i for i, _, _ in found[:5]], first_row)
    codes = tuple(
        (row, value, *_scientific_digits(m.group(1) + (m.group(2) or ""), int(m.group(3))))
        for (row, value), (_, _, m) in zip(items, found[:5], strict=True)
    )
    raise InputError(
        Note("scientific_codes", text, column=column, file=where, n=len(found), codes=codes,
             header=_header(counting))
    )  # fmt: skip


def _scientific_digits(kept: str, exponent: int) -> tuple[int, int, str, tuple[str, str] | None]:
    """``(digits, lost, code, name)`` of a code in scientific notation: ``lost`` < 0 when it is
    not a whole number; ``code`` the 6-digit code it would be if the lost digits were zeros
    ("" when it is no code length), ``name`` that unit's name and level (None: no unit)."""
    digits = exponent + 1
    if digits < len(kept):
        return digits, -1, "", None
    lost = digits - len(kept)
    # 12-digit statistical codes: the 6-digit code + 000000 for counties and larger units;
    # 9-digit GB codes: 156 + the 6-digit code
    if digits == 12:
        prefix = kept[:6]
    elif digits == 9 and kept.startswith("156"):
        prefix = kept[3:9]
    else:
        return digits, lost, "", None
    return digits, lost, prefix, _unit_name(prefix.ljust(6, "0"))


def _scientific_hint(kept: str, exponent: int) -> str:
    """What the digits kept of a code in scientific notation can still tell (a hint, not used)."""
    digits, lost, prefix, name = _scientific_digits(kept, exponent)
    if lost < 0:
        return "not a whole number"
    if not prefix:
        return f"{digits} digits, {lost} of them lost"
    unit = f" = {name[0]} ({name[1]})" if name else " (no unit of the bundled layers has this code)"
    sure = "" if len(prefix) == 6 else f", but only {len(prefix)} of its 6 digits are certain"
    return f"{lost} of {digits} digits lost; if they were zeros: {prefix.ljust(6, '0')}{unit}{sure}"


def _unit_name(code: str) -> tuple[str, str] | None:
    """The unit a 6-digit code would join to (as the join reads codes): its name and level,
    for the hint only."""
    from .recognise import match_code
    from .reference import reference

    for level in ("province", "prefecture", "county"):
        ref = reference(level)
        match = match_code(ref, code, merge=False)
        if match.found and match.code is not None:
            return str(ref.units.loc[match.code, "name"]), level
    return None


# the first cell of a unit row: empty or one of these words
_UNIT_WORDS = frozenset({"单位", "计量单位", "单位:", "单位：", "unit", "units", "unit:"})
# a unit as a cell writes it: 万元, （万元）, 单位：万元, 人/户, %, 10k yuan -- short, not a number
_UNIT_CELL = re.compile(
    r"^[(（\[]?\s*(?:单位\s*[:：]\s*|unit\s*[:：]?\s*)?(?P<unit>[^()（）\[\]]{1,12}?)\s*[)）\]]?$",
    re.I,
)
_TITLE_UNIT = re.compile(
    r"(?:^|[\s(（])(?:单位|计量单位|unit)\s*[:：]\s*(?P<unit>[^\s,，;；)）]{1,12})", re.I
)


def _unit_text(value: object) -> str | None:
    """The unit a cell names, or None when the cell is a number, a missing mark or longer text."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if clean_number_text(text).lower() in MISSING_TOKENS:
        return None
    try:
        float(clean_number_text(text).rstrip("%"))
        return None  # a number: a data row
    except ValueError:
        pass
    m = _UNIT_CELL.match(text)
    return m.group("unit").strip() if m else None


def unit_row(raw: pd.DataFrame, skip: Iterable[object]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table without a row of units under its header, and the unit of each column.

    The first data row is a unit row when every numeric column (mostly numbers below it) holds
    a unit there (``万元``, ``（人）``, ``件``, ``%`` ...) or nothing, at least one holds a unit,
    and every other column holds nothing or a word such as ``单位``. Anything else -- a number,
    a region name -- makes it a data row, and the table is returned as it is.

    >>> t = pd.DataFrame({"城市": ["单位", "广州"], "R&D经费": ["万元", "12"], "专利": ["件", "3"]})
    >>> rest, units = unit_row(t, skip=["城市"])
    >>> len(rest), units
    (1, {'R&D经费': '万元', '专利': '件'})
    """
    if len(raw) < 2:
        return raw, {}
    skip = set(skip)
    first, rest = raw.iloc[0], raw.iloc[1:]
    units: dict[str, str] = {}
    for column in raw.columns:
        value = first[column]
        if value is None or (isinstance(value, str) and not value.strip()) or _missing_cell(value):
            continue
        numbers, bad, _ = _parse_cells(rest[column])
        numeric = column not in skip and numbers.notna().sum() > bad.sum()
        unit = _unit_text(value) if numeric else None
        if unit is not None:
            units[str(column)] = unit
        elif not (isinstance(value, str) and value.strip().lower() in _UNIT_WORDS):
            return raw, {}  # a number or a name: the first data row
    return (rest, units) if units else (raw, {})


def _missing_cell(value: object) -> bool:
    """A cell that holds no value (None, NaN)."""
    return value is None or (isinstance(value, float) and np.isnan(value))


def title_unit(lines: Iterable[str]) -> str | None:
    """The unit a title line above the header gives every number (``单位：万元``), or None.

    >>> title_unit(["表 3-12 各地区 R&D 经费", "单位：万元"])
    '万元'
    >>> title_unit(["2020年各省R&D经费（单位：万元）"])
    '万元'
    """
    for line in lines:
        m = _TITLE_UNIT.search(str(line))
        if m:
            return m.group("unit")
    return None
