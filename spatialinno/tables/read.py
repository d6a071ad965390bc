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
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import DataWarning, InputError
from .._notes import Note, in_file
from . import sheet as _sheet
from .cells import (
    COMMA_DECIMAL,
    POINT_DECIMAL,
    SPACES,
    code_strings,
    counting_note,
    parse_numeric_columns,
    scientific_codes,
    title_unit,
    unit_row,
    year_values,
)
from .labels import attach_labels

__all__ = [
    "ENCODINGS",
    "column_key",
    "is_code_column",
    "is_year_column",
    "read_table",
    "tidy_table",
]

# Encodings tried in this order when none is given. UTF-8 first: GBK bytes of Chinese text are
# almost never valid UTF-8, while UTF-8 bytes often *are* valid GBK (decoding to mojibake), so the
# stricter codec must win. GBK before GB18030: GB18030 is a superset of GBK and would accept every
# GBK file too; trying GBK first reports the narrower codec the file really uses (Excel "CSV" on a
# Chinese Windows), and GB18030 still catches characters outside GBK (e.g. rare place-name
# characters written by WPS). Defined beside the CSV reader in spatialinno.tables.sheet.
ENCODINGS: tuple[str, ...] = _sheet.ENCODINGS


_CODE_NAME = re.compile(
    r"code|代码|编码|区划码|编号"
    r"|^gb(?:_[a-z]{1,2})?$|^adcode$|^id$"
    r"|(?:city|county|prov\w*|region|area|district|prefecture|division)_?id$"
)
_YEAR_NAMES = frozenset({"year", "yr", "年份", "年度", "年", "统计年度"})


def column_key(name: object) -> str:
    """Lower-case column name with spaces, dashes and dots collapsed to ``_`` (for detection)."""
    text = unicodedata.normalize("NFKC", str(name)).strip().lower()
    return re.sub(r"[\s\-.]+", "_", text)


def is_code_column(name: object) -> bool:
    """True for column names that hold region codes (gb, code, city_code, cityId, 行政区划代码 ...).

    >>> [is_code_column(c) for c in ["gb", "cityId", "行政区划代码", "gdp", "province_code"]]
    [True, True, True, False, True]
    """
    return bool(_CODE_NAME.search(column_key(name)))


def is_year_column(name: object) -> bool:
    """True for column names that hold the year of a long panel (year, 年份, 年度 ...).

    >>> [is_year_column(c) for c in ["year", "年份", "Year", "rd_2019"]]
    [True, True, True, False]
    """
    return column_key(name) in _YEAR_NAMES


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
    counting = counting_note(first_row, header_row)
    for column in out.columns:
        series = out[column]
        if column in codes:
            scientific_codes(series, column, where, first_row, counting)
            out[column] = code_strings(series)
        elif is_year_column(column):
            out[column] = year_values(series, str(column), where, first_row)
        elif not pd.api.types.is_numeric_dtype(series):
            text = series.map(lambda v: v.strip() if isinstance(v, str) else v)
            # digit strings with a leading zero are identifiers, not numbers ("0101")
            leading_zero = text.map(lambda v: isinstance(v, str) and len(v) > 1 and v[0] == "0")
            if leading_zero.any() and text.dropna().map(lambda v: str(v).isdigit()).all():
                codes.add(column)
            # a blank cell is a missing value, NaN as in every other column (never '' or None)
            blank = text.map(lambda v: isinstance(v, str) and v == "").astype(bool)
            out[column] = text.mask(blank | text.isna(), np.nan)
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
            text = SPACES.sub("", unicodedata.normalize("NFKC", value))
            if comma is None and COMMA_DECIMAL.match(text):
                comma = (column, index, value)
            elif point is None and POINT_DECIMAL.match(text):
                point = (column, index, value)
        if comma and point:
            text = (
                f"{where} writes numbers with a decimal comma (column {comma[0]!r}, row "
                f"{comma[1]}: {comma[2]!r}) and with a decimal point (column {point[0]!r}, row "
                f"{point[1]}: {point[2]!r}); pass decimal=',' or decimal='.' to say which"
            )
            raise InputError(
                Note("decimal_mixed", text, file=where, comma_col=comma[0], comma_row=comma[1],
                     comma_cell=comma[2], point_col=point[0], point_row=point[1],
                     point_cell=point[2])
            )  # fmt: skip
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
    grid = _grid(path, sheet, encoding, sep)
    layout = _sheet.find_layout(grid, header_rows, path.name)
    notes = [in_file(text, path.name) for text in layout.describe(grid)]
    raw = _frame(grid, layout, path.name)
    skip = set(code_columns) | set(text_columns)
    raw, units = _units(raw, grid, layout, skip, path.name, notes)
    if decimal is None:
        decimal = _detect_decimal(raw, skip, grid.sep or "", path.name) if grid.sep else None
        if decimal == ",":
            text = (
                f"{path.name}: numbers are written with a decimal comma (separator "
                f"{grid.sep!r}), read with ',' as the decimal mark and '.' as the thousands "
                "separator (5,5 -> 5.5; 1.234,5 -> 1234.5); pass decimal='.' if that is wrong"
            )
            notes.append(Note("decimal_comma", text, file=path.name, sep=grid.sep))
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
    notes += [in_file(text, path.name) for text in column_notes]
    _title_units(table, grid, layout, units, path.name, notes)
    if units:  # the columns' units become their labels' units (tables.labels)
        attach_labels(table, {c: f"{c}|{u}" for c, u in units.items()})
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


def _units(
    raw: pd.DataFrame,
    grid: _sheet.Grid,
    layout: _sheet.Layout,
    skip: set[object],
    where: str,
    notes: list[str],
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table without a row of units under the header, and those units (said in a note)."""
    ids = skip | {c for c in raw.columns if is_code_column(c) or is_year_column(c)}
    rest, units = unit_row(raw, ids)
    if units:
        shown = ", ".join(f"{c}: {u}" for c, u in list(units.items())[:6])
        shown += " ..." if len(units) > 6 else ""
        text = (
            f"{where}: row {raw.index[0]} under the header holds units ({shown}); read as the "
            "columns' units, not as data"
        )
        notes.append(Note("unit_row", text, file=where, row=raw.index[0], units=shown))
    return rest, units


def _title_units(
    table: pd.DataFrame,
    grid: _sheet.Grid,
    layout: _sheet.Layout,
    units: dict[str, str],
    where: str,
    notes: list[str],
) -> None:
    """A title line's unit (单位：万元) for the numeric columns without a unit of their own."""
    unit = title_unit(_sheet.row_texts(grid, layout.title))
    if unit is None:
        return
    numeric = [
        str(c)
        for c in table.columns
        if pd.api.types.is_float_dtype(table[c])
        and not (is_code_column(c) or is_year_column(c) or str(c) in units)
    ]
    if numeric:
        units.update(dict.fromkeys(numeric, unit))
        columns = ", ".join(numeric[:6]) + (" ..." if len(numeric) > 6 else "")
        text = (
            f"{where}: the title says the unit is {unit}; given to the numeric column(s) "
            f"{columns} (label a column yourself if its unit differs)"
        )
        notes.append(Note("title_unit", text, file=where, unit=unit, columns=columns))


def _grid(path: Path, sheet: str | int, encoding: str | None, sep: str | None) -> _sheet.Grid:
    """The cells of a workbook sheet or a text file, after checking the file is one."""
    _sheet.check_file(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _sheet.read_xlsx_grid(path, sheet)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return _sheet.read_text_grid(path, encoding, sep, suffix)[0]
    if suffix == ".xls":
        text = (
            f"{path.name}: legacy .xls workbooks are not supported; save it as .xlsx "
            "(Excel/WPS: Save As > Excel Workbook) or as CSV"
        )
        raise InputError(Note("xls", text, file=path.name))
    text = f"{path.name}: unsupported file type {suffix!r}; use .csv, .tsv or .xlsx"
    raise InputError(Note("file_type", text, file=path.name, suffix=suffix))


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
        text = (
            f"{where} has a header ({len(named)} column(s): {', '.join(map(str, named[:8]))}"
            f"{' ...' if len(named) > 8 else ''}) but 0 data rows; fill in the rows below the "
            "header, or check sheet= and header="
        )
        columns = tuple(map(str, named))
        raise InputError(Note("no_data_rows", text, file=where, n=len(named), columns=columns))
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
        warnings.warn(in_file(note, "DataFrame"), DataWarning, stacklevel=3)
    return table
