"""Read indicator tables (CSV in the encodings Chinese spreadsheets use, .xlsx, DataFrames).

``read_table`` is the first step of the join stage: it returns a plain DataFrame whose code columns
are strings (leading zeros kept), whose numeric columns are numbers (thousands separators and
full-width digits parsed) and whose year column is an integer, and it refuses -- with the column,
row and value -- a column that is mostly numbers but holds a stray text cell, because silently
turning that cell into NaN would drop a region from every statistic computed later.

``export`` (GeoPackage/Shapefile with QGIS styles) lives in :mod:`spatialinno.qgis.export` (public as ``si.export``).
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from decimal import Decimal
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import DataWarning, InputError
from ..boundaries.names import normalize_code
from . import sheet as _sheet

__all__ = ["read_table"]

# Encodings tried in this order when none is given. UTF-8 first: GBK bytes of Chinese text are
# almost never valid UTF-8, while UTF-8 bytes often *are* valid GBK (decoding to mojibake), so the
# stricter codec must win. GBK before GB18030: GB18030 is a superset of GBK and would accept every
# GBK file too; trying GBK first reports the narrower codec the file really uses (Excel "CSV" on a
# Chinese Windows), and GB18030 still catches characters outside GBK (e.g. rare place-name
# characters written by WPS). Defined beside the CSV reader in spatialinno.tables.sheet.
ENCODINGS: tuple[str, ...] = _sheet.ENCODINGS

# Cells that mean "no value" in Chinese yearbooks and exported spreadsheets: they become NaN and
# never trigger the stray-text error. "..." / "…" = not available, "-" / "—" = not applicable.
MISSING_TOKENS: frozenset[str] = frozenset(
    {"", "-", "--", "—", "——", "–", "...", "…", "……", "na", "n/a", "nan", "null", "none", "/", "无"}
)

_CODE_NAME = re.compile(
    r"code|代码|编码|区划码|编号"
    r"|^gb(?:_[a-z]{1,2})?$|^adcode$|^id$"
    r"|(?:city|county|prov\w*|region|area|district|prefecture|division)_?id$"
)
_YEAR_NAMES = frozenset({"year", "yr", "年份", "年度", "年", "统计年度"})
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?%?$")
# with a decimal comma (European spreadsheets, semicolon-separated): 1.234.567,5
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?%?$")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u3000]+")
# a decimal comma for sure: not three digits after it (5,5; 12,75), or dot-thousands before it
_COMMA_DECIMAL = re.compile(r"^[+-]?(?:\d+,(?:\d{1,2}|\d{4,})|\d{1,3}(?:\.\d{3})+,\d+)%?$")
# a decimal point for sure: not three digits after it, or comma-thousands before it
_POINT_DECIMAL = re.compile(r"^[+-]?(?:\d+\.(?:\d{1,2}|\d{4,})|\d{1,3}(?:,\d{3})+\.\d+)%?$")
# a code as Excel shows a long number in a "General" cell and saves it to CSV: 1.10101E+11
_SCIENTIFIC = re.compile(r"^[+-]?(\d)(?:\.(\d+))?[eE]\+?(\d+)$")


def _column_key(name: object) -> str:
    """Lower-case column name with spaces, dashes and dots collapsed to ``_`` (for detection)."""
    text = unicodedata.normalize("NFKC", str(name)).strip().lower()
    return re.sub(r"[\s\-.]+", "_", text)


def is_code_column(name: object) -> bool:
    """True for column names that hold region codes (gb, code, city_code, cityId, 行政区划代码 ...).

    >>> [is_code_column(c) for c in ["gb", "cityId", "行政区划代码", "gdp", "province_code"]]
    [True, True, True, False, True]
    """
    return bool(_CODE_NAME.search(_column_key(name)))


def is_year_column(name: object) -> bool:
    """True for column names that hold the year of a long panel (year, 年份, 年度 ...).

    >>> [is_year_column(c) for c in ["year", "年份", "Year", "rd_2019"]]
    [True, True, True, False]
    """
    return _column_key(name) in _YEAR_NAMES


def _clean_number_text(value: str, decimal: str = ".") -> str:
    # NFKC turns full-width digits, comma, point, percent and minus-like signs into ASCII
    text = _SPACES.sub("", unicodedata.normalize("NFKC", value)).replace("\u2212", "-")
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
        text = _clean_number_text(str(value), decimal)
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
    counting = ""
    if first_row is not None:
        header = header_row if header_row is not None else str(first_row - 1)
        counting = f" (rows counted as in a spreadsheet, header = row {header})"
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
            raise InputError(
                f"column {column!r} of the {where} is numeric ({n_num} numbers) but has text in "
                f"{n_bad} cell(s): {_cells(out, series, pos, first_row)}{counting}; fix or empty "
                "those cells (use '' or '-' for a missing value), or pass the column as text"
            )
        if pct.any():
            _check_percent(out, series, numbers, pct, column, where, first_row, counting, notes)
        out[column] = numbers
    return out


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
        raise InputError(
            f"column {column!r} of the {where} mixes percentages ({_cells(frame, series, pos, first_row)}) "
            f"and plain numbers ({_cells(frame, series, np.flatnonzero(plain), first_row)}){counting}; "
            "12.5% is read as 0.125, so a plain 12.5 beside it would be 100 times off: write "
            "every cell of the column the same way (all with % or none)"
        )
    if notes is not None:
        first = series.iloc[pos[0]]
        notes.append(
            f"column {column!r}: {len(pos)} cell(s) written as percentages were read as "
            f"fractions, the value a spreadsheet stores behind the % format ({first!r} -> "
            f"{numbers.iloc[pos[0]]:g}); multiply by 100 for percentage points"
        )


def _code_strings(series: pd.Series) -> pd.Series:
    """A code column as strings with spaces removed; ints and 440100.0 floats become '440100'."""

    def one(value: object) -> object:
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            return pd.NA
        code = normalize_code(value)
        if code is not None:
            return code
        text = str(value).strip()
        return text if text else pd.NA

    out = series.map(one).astype(object)
    return out.where(out.notna(), None)


def _year_values(series: pd.Series, column: str, where: str, first_row: int | None) -> pd.Series:
    def one(value: object) -> float:
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            return np.nan
        text = _clean_number_text(str(value)).removesuffix("年")
        text = text[:-2] if text.endswith(".0") else text
        return float(text) if text.isdigit() and len(text) == 4 else -1.0

    years = pd.Series([one(v) for v in series.tolist()], index=series.index, dtype=float)
    bad = years.eq(-1.0).to_numpy()
    if bad.any():
        pos = np.flatnonzero(bad)
        rows = _row_labels(series.to_frame(), pos[:5], first_row)
        cells = ", ".join(f"{r}: {series.iloc[p]!r}" for r, p in zip(rows, pos[:5], strict=True))
        raise InputError(
            f"year column {column!r} of the {where} must hold four-digit years (2021 or 2021年); "
            f"found {cells}"
        )
    return years.astype("Int64")


def _scientific_codes(
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
        if isinstance(v, str) and (m := _SCIENTIFIC.match(_SPACES.sub("", v)))
    ]
    if not found:
        return
    rows = _row_labels(series.to_frame(), [i for i, _, _ in found[:5]], first_row)
    hints = []
    for row, (_, text, m) in zip(rows, found[:5], strict=True):
        kept = m.group(1) + (m.group(2) or "")
        hints.append(f"{row}: {text!r} ({_scientific_hint(kept, int(m.group(3)))})")
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    raise InputError(
        f"column {column!r} of the {where} holds codes in scientific notation in {len(found)} "
        f"row(s): {'; '.join(hints)}{more}{counting}. A spreadsheet showed these long codes as "
        "1.10101E+11 and saved only the digits shown, so the others are lost and the rows "
        "cannot be matched safely. Re-export the column as text from the original workbook or "
        "source (Excel/WPS: format the code column as Text before saving as CSV; opening the "
        "CSV in Excel and saving it again loses the digits again), or drop the column and "
        "join on region names"
    )


def _scientific_hint(kept: str, exponent: int) -> str:
    """What the digits kept of a code in scientific notation can still tell (a hint, not used)."""
    digits = exponent + 1
    if digits < len(kept):
        return "not a whole number"
    lost = digits - len(kept)
    # 12-digit statistical codes: the 6-digit code + 000000 for counties and larger units;
    # 9-digit GB codes: 156 + the 6-digit code
    if digits == 12:
        prefix = kept[:6]
    elif digits == 9 and kept.startswith("156"):
        prefix = kept[3:9]
    else:
        return f"{digits} digits, {lost} of them lost"
    name = _unit_name(prefix.ljust(6, "0"))
    unit = f" = {name}" if name else " (no unit of the bundled layers has this code)"
    sure = "" if len(prefix) == 6 else f", but only {len(prefix)} of its 6 digits are certain"
    return f"{lost} of {digits} digits lost; if they were zeros: {prefix.ljust(6, '0')}{unit}{sure}"


def _unit_name(code: str) -> str | None:
    """The unit a 6-digit code would join to (as the join reads codes), for the hint only."""
    from .join import _match_code, _reference

    for level in ("province", "prefecture", "county"):
        ref = _reference(level)
        match = _match_code(ref, code, merge=False)
        if match.found and match.code is not None:
            return f"{ref.units.loc[match.code, 'name']} ({level})"
    return None


def tidy_table(
    frame: pd.DataFrame,
    *,
    code_columns: Iterable[str] = (),
    text_columns: Iterable[str] = (),
    first_row: int | None = None,
    where: str = "table",
    decimal: str = ".",
    notes: list[str] | None = None,
    header_row: str | None = None,
) -> pd.DataFrame:
    """Codes as strings, year as integer, numeric text parsed (see :func:`read_table`).

    >>> t = tidy_table(pd.DataFrame({"cityId": [110100, 310100], "年份": ["2021年", "2021年"]}))
    >>> t["cityId"].tolist(), t["年份"].tolist()
    (['110100', '310100'], [2021, 2021])
    """
    out = frame.copy()
    out.columns = [str(c).strip() if isinstance(c, str) else c for c in out.columns]
    text_columns = set(text_columns)
    codes = set(code_columns) | {
        c for c in out.columns if is_code_column(c) and c not in text_columns
    }
    counting = ""
    if first_row is not None:
        header = header_row if header_row is not None else str(first_row - 1)
        counting = f" (rows counted as in a spreadsheet, header = row {header})"
    for column in out.columns:
        series = out[column]
        if column in codes:
            _scientific_codes(series, column, where, first_row, counting)
            out[column] = _code_strings(series)
        elif is_year_column(column):
            out[column] = _year_values(series, str(column), where, first_row)
        elif not pd.api.types.is_numeric_dtype(series):
            text = series.map(lambda v: v.strip() if isinstance(v, str) else v)
            # digit strings with a leading zero are identifiers, not numbers ("0101")
            leading_zero = text.map(lambda v: isinstance(v, str) and len(v) > 1 and v[0] == "0")
            if leading_zero.any() and text.dropna().map(lambda v: str(v).isdigit()).all():
                codes.add(column)
            out[column] = text.where(text.ne(""), None) if text.dtype == object else text
    skip = codes | text_columns | {c for c in out.columns if is_year_column(c)}
    return parse_numeric_columns(
        out,
        skip=skip,
        first_row=first_row,
        where=where,
        decimal=decimal,
        notes=notes,
        header_row=header_row,
    )


def _detect_decimal(frame: pd.DataFrame, skip: set[object], sep: str, where: str) -> str | None:
    """``","`` when the cells of a ``;``/tab file use a decimal comma (5,5), else None.

    Only cells that cannot be read the other way count: ``5,5`` (a comma followed by other than
    three digits) or ``1.234,5`` for the comma; ``5.5`` or ``1,234.5`` for the point. A file
    with both is refused: its numbers cannot all be read the same way.
    """
    if sep == ",":
        return None  # an unquoted decimal comma cannot occur in a comma-separated file
    comma = point = None
    for column in frame.columns:
        if column in skip or is_code_column(column) or is_year_column(column):
            continue
        for index, value in frame[column].items():
            if not isinstance(value, str):
                continue
            text = _SPACES.sub("", unicodedata.normalize("NFKC", value))
            if comma is None and _COMMA_DECIMAL.match(text):
                comma = (column, index, value)
            elif point is None and _POINT_DECIMAL.match(text):
                point = (column, index, value)
        if comma and point:
            raise InputError(
                f"{where} writes numbers with a decimal comma (column {comma[0]!r}, row "
                f"{comma[1]}: {comma[2]!r}) and with a decimal point (column {point[0]!r}, row "
                f"{point[1]}: {point[2]!r}); pass decimal=',' or decimal='.' to say which"
            )
    return "," if comma else None


def _header_arg(header: object) -> int | list[int] | None:
    if header is None or (isinstance(header, str) and header.strip().lower() == "auto"):
        return None
    if isinstance(header, (int, np.integer)) and not isinstance(header, bool) and header >= 0:
        return int(header)
    if isinstance(header, Sequence) and not isinstance(header, str) and header:
        rows = list(header)
        whole = all(isinstance(h, (int, np.integer)) and not isinstance(h, bool) for h in rows)
        if whole and min(rows) >= 0:
            return sorted({int(h) for h in rows})
    raise InputError(
        f"header must be 'auto' (None), a 0-based row number or a list of them (a header over "
        f"several rows, e.g. [2, 3]), not {header!r}"
    )


def read_table(
    source: str | PathLike[str] | pd.DataFrame,
    *,
    sheet: str | int = 0,
    encoding: str | None = None,
    sep: str | None = None,
    header: int | Sequence[int] | str | None = None,
    decimal: str | None = None,
    code_columns: Iterable[str] = (),
    text_columns: Iterable[str] = (),
) -> pd.DataFrame:
    """Read an indicator table from CSV/TSV, .xlsx or a DataFrame, with codes and numbers cleaned.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        ``.csv``/``.txt``/``.tsv`` file, ``.xlsx``/``.xlsm`` workbook, or a DataFrame (copied, then
        cleaned the same way).
    sheet : str or int, default 0
        Worksheet of a workbook (name or 0-based position).
    encoding : str, optional
        Text encoding of a CSV. By default it is detected: a UTF-8 byte-order mark gives
        ``utf-8-sig`` (Excel "CSV UTF-8"), a UTF-16 mark ``utf-16``, otherwise ``utf-8``, ``gbk``
        and ``gb18030`` are tried in that order (GBK is a subset of GB18030, see ``ENCODINGS``).
    sep : str, optional
        Field separator; detected from the first line that has one (comma, tab, ``;`` or ``|``).
    header : "auto", int or list of int, default "auto" (also None)
        Where the column names are. ``"auto"`` detects a yearbook layout: title rows above the
        header (rows with a single filled cell) are skipped, a header over two or three rows
        with merged group cells is combined into one name per column (``R&D人员`` over
        ``全时当量`` -> ``R&D人员_全时当量``), and notes below the table (``注：``, ``资料来源：``)
        are left out; a plain table is read as it is. An int is the 0-based row of a one-row
        header (spreadsheet row ``header + 1``); a list gives the rows of a multi-row header.
        Rows above the header are skipped either way. What was detected is said in a
        :class:`~spatialinno.DataWarning` and in ``attrs["notes"]``.
    decimal : {None, ".", ","}
        Decimal mark of numbers written as text. ``None`` detects a decimal comma (``5,5``,
        ``1.234,5``) in ``;``- or tab-separated files and says so; otherwise ``.``, with ``,``
        as the thousands separator (``28,231.97``).
    code_columns, text_columns : iterable of str
        Columns to keep as strings in addition to those detected (code columns are detected by
        name: ``gb``, ``code``, ``city_code``, ``cityId``, ``adcode``, ``行政区划代码`` ...). A
        column named in ``text_columns`` is kept as text even if its name looks like a code.

    Returns
    -------
    pandas.DataFrame
        Code columns as strings (``440100``, leading zeros kept; ``440100.0`` from Excel becomes
        ``440100``); the year column (``year``/``年份``/``年度``) as ``Int64`` (``2021年`` -> 2021);
        columns that are mostly numbers as float, with thousands separators, full-width digits and
        spaces removed, ``12.5%`` read as 0.125 (the value a spreadsheet stores behind the % format;
        said in a warning) and ``''``/``-``/``—``/``...``/``…``/``NA`` read as missing; other columns
        as text. ``attrs`` holds ``source``, ``encoding``, ``sheet``, ``header`` (0-based header
        rows), ``sheet_rows`` (the spreadsheet row of every table row) and ``notes``.

    Raises
    ------
    InputError
        The path is a folder or missing; the file is empty, holds only blank lines, a header and
        0 data rows, or is not what its extension says (a text file or an old .xls renamed
        ``.xlsx``); the bytes decode in none of the encodings; a mostly numeric column has a text
        cell or mixes ``12.5%`` with plain numbers; a code column holds codes a spreadsheet saved
        in scientific notation (``1.10101E+11``: digits lost). Each message names the file,
        column and spreadsheet row and says what to do.

    Examples
    --------
    >>> import io, spatialinno as si
    >>> raw = "城市,代码,R&D人员\\n广州市,440100,\\"１２３,４５６\\"\\n深圳市,440300,—\\n".encode("gbk")
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> _ = open(path, "wb").write(raw)
    >>> t = si.read_table(path)
    >>> t.attrs["encoding"], t["代码"].tolist(), t["R&D人员"].tolist()
    ('gbk', ['440100', '440300'], [123456.0, nan])
    """
    header_rows = _header_arg(header)
    if decimal not in (None, ".", ","):
        raise InputError(f"decimal must be '.' or ',', not {decimal!r}")
    if isinstance(source, pd.DataFrame):
        return _read_frame(source, code_columns, text_columns, decimal or ".")
    if not isinstance(source, (str, PathLike)):
        raise InputError(
            f"read_table takes a file path or a DataFrame, not {type(source).__name__}"
        )
    path = Path(source)
    _sheet.check_file(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        grid = _sheet.read_xlsx_grid(path, sheet)
    elif suffix in (".csv", ".txt", ".tsv", ""):
        grid, _ = _sheet.read_text_grid(path, encoding, sep, suffix)
    elif suffix == ".xls":
        raise InputError(
            f"{path.name}: legacy .xls workbooks are not supported; save it as .xlsx "
            "(Excel/WPS: Save As > Excel Workbook) or as CSV"
        )
    else:
        raise InputError(f"{path.name}: unsupported file type {suffix!r}; use .csv, .tsv or .xlsx")
    layout = _sheet.find_layout(grid, header_rows, path.name)
    notes = [f"{path.name}: {text}" for text in layout.describe(grid)]
    raw = _frame(grid, layout, path.name)
    skip = set(code_columns) | set(text_columns)
    if decimal is None:
        decimal = _detect_decimal(raw, skip, grid.sep or "", path.name) if grid.sep else None
        if decimal == ",":
            notes.append(
                f"{path.name}: numbers are written with a decimal comma (separator "
                f"{grid.sep!r}), read with ',' as the decimal mark and '.' as the thousands "
                "separator (5,5 -> 5.5; 1.234,5 -> 1234.5); pass decimal='.' if that is wrong"
            )
    table = tidy_table(
        raw,
        code_columns=code_columns,
        text_columns=text_columns,
        first_row=0,  # the index holds the spreadsheet row numbers
        where=path.name,
        decimal=decimal or ".",
        notes=(column_notes := []),
        header_row=_sheet.row_span(layout.header),
    )
    notes += [f"{path.name}: {text}" for text in column_notes]
    rows = tuple(int(i) for i in table.index)
    table = table.reset_index(drop=True)
    table.attrs.update(
        source=str(path),
        encoding=grid.encoding,
        sheet=sheet,
        header=list(layout.header),
        sheet_rows=rows,
        notes=tuple(notes),
    )
    for note in notes:
        warnings.warn(note, DataWarning, stacklevel=2)
    return table


def _frame(grid: _sheet.Grid, layout: _sheet.Layout, where: str) -> pd.DataFrame:
    """The data rows as a DataFrame indexed by spreadsheet row number, empty columns dropped."""
    width = len(layout.columns)
    cells = [
        [(v.strip() or None) if isinstance(v, str) else v for v in grid.rows[r][:width]]
        + [None] * (width - len(grid.rows[r]))
        for r in layout.data
    ]
    raw = pd.DataFrame(
        cells, columns=layout.columns, index=[r + 1 for r in layout.data], dtype=object
    )
    # unnamed columns without a single value come from trailing separators / formatted cells
    raw = raw.loc[:, [not c.startswith("Unnamed:") or raw[c].notna().any() for c in raw]]
    if len(raw) == 0:
        named = list(raw.columns)
        raise InputError(
            f"{where} has a header ({len(named)} column(s): {', '.join(map(str, named[:8]))}"
            f"{' ...' if len(named) > 8 else ''}) but 0 data rows; fill in the rows below the "
            "header, or check sheet= and header="
        )
    return raw


def _read_frame(
    source: pd.DataFrame, code_columns: Iterable[str], text_columns: Iterable[str], decimal: str
) -> pd.DataFrame:
    if source.empty:
        raise InputError(
            f"the DataFrame has 0 rows (columns: {', '.join(map(str, source.columns[:8]))}); "
            "there is nothing to read"
        )
    notes: list[str] = []
    table = tidy_table(
        source,
        code_columns=code_columns,
        text_columns=text_columns,
        where="DataFrame",
        decimal=decimal,
        notes=notes,
    )
    table.attrs.update(source="DataFrame", encoding=None, sheet=None, notes=tuple(notes))
    for note in notes:
        warnings.warn(f"DataFrame: {note}", DataWarning, stacklevel=3)
    return table
