"""Read indicator tables (CSV in the encodings Chinese spreadsheets use, .xlsx, DataFrames).

``read_table`` is the first step of the join stage: it returns a plain DataFrame whose code columns
are strings (leading zeros kept), whose numeric columns are numbers (thousands separators and
full-width digits parsed) and whose year column is an integer, and it refuses -- with the column,
row and value -- a column that is mostly numbers but holds a stray text cell, because silently
turning that cell into NaN would drop a region from every statistic computed later.

``export`` (GeoPackage/Shapefile with QGIS styles) lives in :mod:`spatialinno._export` (public as ``si.export``).
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Iterable
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from ._errors import InputError
from ._names import normalize_code

__all__ = ["read_table"]

# Encodings tried in this order when none is given. UTF-8 first: GBK bytes of Chinese text are
# almost never valid UTF-8, while UTF-8 bytes often *are* valid GBK (decoding to mojibake), so the
# stricter codec must win. GBK before GB18030: GB18030 is a superset of GBK and would accept every
# GBK file too; trying GBK first reports the narrower codec the file really uses (Excel "CSV" on a
# Chinese Windows), and GB18030 still catches characters outside GBK (e.g. rare place-name
# characters written by WPS).
ENCODINGS: tuple[str, ...] = ("utf-8", "gbk", "gb18030")

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
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u3000]+")


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


def _clean_number_text(value: str) -> str:
    # NFKC turns full-width digits, comma, point and minus-like signs into ASCII
    text = _SPACES.sub("", unicodedata.normalize("NFKC", value)).replace("\u2212", "-")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    return text


def _parse_cells(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers parsed from mixed cells, and a mask of cells that are neither numbers nor missing."""
    out = np.full(len(values), np.nan)
    bad = np.zeros(len(values), dtype=bool)
    for i, value in enumerate(values.tolist()):
        if value is None or value is pd.NA or value is pd.NaT:
            continue
        if isinstance(value, (bool, np.bool_)):
            bad[i] = True
            continue
        if isinstance(value, (int, float, np.integer, np.floating)):
            out[i] = float(value)
            continue
        text = _clean_number_text(str(value))
        if text.lower() in MISSING_TOKENS:
            continue
        try:
            out[i] = float(text)
        except ValueError:
            bad[i] = True
    return pd.Series(out, index=values.index), pd.Series(bad, index=values.index)


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
) -> pd.DataFrame:
    """Convert the mostly-numeric text columns of ``frame`` to float, in a copy.

    A column is *numeric* when more of its non-missing cells parse as numbers than not; it is then
    converted, and any cell that does not parse raises :class:`~spatialinno.InputError` naming
    column, row and value. Columns with fewer numbers than text (names, notes) are left as text.

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

    Examples
    --------
    >>> t = pd.DataFrame({"city": ["广州", "深圳"], "gdp": ["28,231.97", "３０６６４.８"]})
    >>> parse_numeric_columns(t, skip=["city"])["gdp"].tolist()
    [28231.97, 30664.8]
    """
    out = frame.copy()
    skip = set(skip)
    for column in out.columns:
        series = out[column]
        if column in skip or pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            continue
        numbers, bad = _parse_cells(series)
        n_num = int(numbers.notna().sum())
        n_bad = int(bad.sum())
        if n_num == 0 or n_num <= n_bad:
            # a text column (names, notes); keep the cells but drop the stray spaces around them
            if n_num == 0 and n_bad == 0:
                out[column] = numbers  # only missing tokens: an empty numeric column
            continue
        if n_bad:
            pos = np.flatnonzero(bad.to_numpy())
            rows = _row_labels(out, pos[:5], first_row)
            cells = ", ".join(
                f"{r}: {series.iloc[p]!r}" for r, p in zip(rows, pos[:5], strict=True)
            )
            more = f" and {len(pos) - 5} more" if len(pos) > 5 else ""
            counting = (
                f" (rows counted as in a spreadsheet, header = row {first_row - 1})"
                if first_row is not None
                else ""
            )
            raise InputError(
                f"column {column!r} of the {where} is numeric ({n_num} numbers) but has text in "
                f"{n_bad} cell(s): {cells}{more}{counting}; fix or empty those cells (use '' or "
                "'-' for a missing value), or pass the column as text"
            )
        out[column] = numbers
    return out


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


def tidy_table(
    frame: pd.DataFrame,
    *,
    code_columns: Iterable[str] = (),
    text_columns: Iterable[str] = (),
    first_row: int | None = None,
    where: str = "table",
) -> pd.DataFrame:
    """Codes as strings, year as integer, numeric text parsed (see :func:`read_table`).

    >>> t = tidy_table(pd.DataFrame({"cityId": [110100, 310100], "年份": ["2021年", "2021年"]}))
    >>> t["cityId"].tolist(), t["年份"].tolist()
    (['110100', '310100'], [2021, 2021])
    """
    out = frame.copy()
    out.columns = [str(c).strip() if isinstance(c, str) else c for c in out.columns]
    codes = set(code_columns) | {c for c in out.columns if is_code_column(c)}
    for column in out.columns:
        series = out[column]
        if column in codes:
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
    skip = codes | set(text_columns) | {c for c in out.columns if is_year_column(c)}
    return parse_numeric_columns(out, skip=skip, first_row=first_row, where=where)


def _decode(raw: bytes, encoding: str | None, where: str) -> tuple[str, str]:
    if encoding is not None:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{where} cannot be decoded as {encoding!r} (byte {exc.start}); "
                "leave encoding=None to detect it"
            ) from exc
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel "Unicode text"
        return raw.decode("utf-16"), "utf-16"
    for candidate in ENCODINGS:
        try:
            return raw.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise InputError(
        f"{where} is neither UTF-8, GBK nor GB18030; pass encoding= (for example 'big5')"
    )


def _sniff_sep(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", "\t", ";", "|")}
    sep = max(counts, key=counts.__getitem__)
    return sep if counts[sep] else ","


def read_table(
    source: str | PathLike[str] | pd.DataFrame,
    *,
    sheet: str | int = 0,
    encoding: str | None = None,
    sep: str | None = None,
    header: int = 0,
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
        Field separator; detected from the header line (comma, tab, semicolon or ``|``).
    header : int, default 0
        0-based line of the header (lines above it, such as a yearbook title, are skipped).
    code_columns, text_columns : iterable of str
        Columns to keep as strings in addition to those detected (code columns are detected by
        name: ``gb``, ``code``, ``city_code``, ``cityId``, ``adcode``, ``行政区划代码`` ...).

    Returns
    -------
    pandas.DataFrame
        Code columns as strings (``440100``, leading zeros kept; ``440100.0`` from Excel becomes
        ``440100``); the year column (``year``/``年份``/``年度``) as ``Int64`` (``2021年`` -> 2021);
        columns that are mostly numbers as float, with thousands separators, full-width digits and
        spaces removed and ``''``/``-``/``—``/``...``/``…``/``NA`` read as missing; other columns as
        text. ``attrs`` holds ``source``, ``encoding`` and ``sheet``.

    Raises
    ------
    InputError
        The file type is not supported, the bytes decode in none of the encodings, or a mostly
        numeric column has a text cell (the message names column, spreadsheet row -- the header is
        row ``header + 1`` -- and the value).

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
    if isinstance(source, pd.DataFrame):
        table = tidy_table(
            source, code_columns=code_columns, text_columns=text_columns, where="DataFrame"
        )
        table.attrs.update(source="DataFrame", encoding=None, sheet=None)
        return table
    if not isinstance(source, (str, PathLike)):
        raise InputError(
            f"read_table takes a file path or a DataFrame, not {type(source).__name__}"
        )
    path = Path(source)
    if not path.exists():
        raise InputError(f"file not found: {path}")
    suffix = path.suffix.lower()
    first_row = header + 2  # spreadsheet numbering: header on line header+1, data below it
    if suffix in (".xlsx", ".xlsm"):
        try:
            raw = pd.read_excel(
                path, sheet_name=sheet, header=header, dtype=object, engine="openpyxl"
            )
        except ValueError as exc:  # unknown sheet name/position
            raise InputError(f"{path.name}: {exc}") from exc
        used_encoding = None
    elif suffix in (".csv", ".txt", ".tsv", ""):
        text, used_encoding = _decode(path.read_bytes(), encoding, path.name)
        lines = text.split("\n")
        delimiter = sep or ("\t" if suffix == ".tsv" else _sniff_sep("\n".join(lines[header:])))
        raw = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=header,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=False,
        )
    elif suffix == ".xls":
        raise InputError(
            f"{path.name}: legacy .xls workbooks are not supported; save it as .xlsx "
            "(Excel/WPS: Save As > Excel Workbook) or as CSV"
        )
    else:
        raise InputError(f"{path.name}: unsupported file type {suffix!r}; use .csv, .tsv or .xlsx")
    raw = raw.dropna(how="all")  # trailing empty spreadsheet rows carry no data
    # unnamed columns without a single value come from trailing separators / formatted cells
    empty = raw.apply(lambda col: col.map(lambda v: v is None or str(v).strip() in ("", "nan")))
    raw = raw.loc[:, [not str(c).startswith("Unnamed:") or not empty[c].all() for c in raw]]
    table = tidy_table(
        raw,
        code_columns=code_columns,
        text_columns=text_columns,
        first_row=first_row,
        where=path.name,
    ).reset_index(drop=True)
    table.attrs.update(source=str(path), encoding=used_encoding, sheet=sheet)
    return table
