"""The cells of a table file as a grid, and where its header, data and notes are.

A yearbook sheet is rarely a plain table: a title row (``表 3-12 各地区研究与试验发展(R&D)经费``)
and a unit row (``单位：万元``) sit above the header, the header spans two rows with merged group
cells (``R&D人员`` over ``全时当量`` and ``人数``), and notes (``注：...``, ``资料来源：...``) follow
the last region. :func:`read_grid` returns the cells of a CSV or worksheet row by row (spreadsheet
row numbers kept) with the merged ranges, and :func:`find_layout` decides which rows are title,
header, data and notes, so that :func:`spatialinno.read_table` can say what it detected instead
of turning a title into a column name or a note into a region.

Every file-level failure (a folder, an empty file, a file of blank lines, a text file or an old
``.xls`` renamed ``.xlsx``, an unknown sheet) is an :class:`~spatialinno.InputError` naming the
file and saying what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .._errors import InputError
from .._notes import Note

__all__ = [
    "Grid",
    "Layout",
    "check_file",
    "find_layout",
    "read_text_grid",
    "read_xlsx_grid",
    "row_span",
    "row_texts",
]

# Encodings tried in this order when none is given (see spatialinno.tables.read.ENCODINGS for the why).
ENCODINGS: tuple[str, ...] = ("utf-8", "gbk", "gb18030")

# A header spans at most this many rows (group header, sub-header, unit row).
MAX_HEADER_ROWS = 3
# A trailing one-cell row is a note when it starts like one of these (注：, 资料来源, Note:, ①, 1.)
_NOTE = re.compile(
    r"^\s*(?:注|附注|备注|说明|资料来源|数据来源|来源|出处|note|notes|source|sources)\s*[:：\d]"
    r"|^\s*(?:注|说明)\s"
    r"|^\s*[*※#①②③④⑤⑥⑦⑧⑨]"
    r"|^\s*[(（]?\d{1,2}[)）.、．]",
    re.IGNORECASE,
)
# ... or when it is prose: a single cell this long is no region name
_NOTE_LENGTH = 20


@dataclass
class Grid:
    """The cells of one sheet: ``rows[i]`` is spreadsheet row ``i + 1``; merged ranges 0-based."""

    rows: list[list[object]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    encoding: str | None = None
    sep: str | None = None
    sheet: str | int | None = None


@dataclass
class Layout:
    """Which grid rows (0-based) are title, header, data and notes, and the column names."""

    title: list[int]
    header: list[int]
    data: list[int]
    notes: list[int]
    columns: list[str]
    detected: bool  # True when the header rows were found by find_layout, not given

    def describe(self, grid: Grid) -> list[str]:
        """Sentences saying what was skipped or combined (empty for a plain one-row header),
        as notes (:class:`~spatialinno._notes.Note`) a report can say in its own language."""
        out = []
        if self.title:
            shown = "; ".join(repr(_row_text(grid.rows[r])) for r in self.title[:3])
            text = f"{_rows(self.title)} skipped above the header ({shown})"
            out.append(Note("title_rows", text, rows=row_span(self.title), shown=shown))
        if len(self.header) > 1:
            named = [c for c in self.columns if not c.startswith("Unnamed:")]
            examples = ", ".join(map(repr, named[1:4] or named[:3]))
            text = (
                f"header of {len(self.header)} rows ({_rows(self.header)}) combined into "
                f"column names such as {examples}"
            )
            out.append(Note("header_rows", text, rows=row_span(self.header), examples=examples))
        elif self.detected and self.header and self.header[0] > 0:
            row = self.header[0] + 1
            out.append(Note("header_found", f"header found in row {row}", row=row))
        if self.notes:
            shown = "; ".join(repr(_row_text(grid.rows[r])[:40]) for r in self.notes[:3])
            text = f"{_rows(self.notes)} below the table read as notes, not data ({shown})"
            out.append(Note("notes_below", text, rows=row_span(self.notes), shown=shown))
        return out


def row_span(rows: Sequence[int]) -> str:
    """Spreadsheet row numbers of 0-based grid rows: '3', '3–4' or '3, 5'."""
    numbers = [r + 1 for r in rows]
    if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(map(str, numbers))


def row_texts(grid: Grid, rows: Sequence[int]) -> list[str]:
    """The text of each of the grid rows ``rows`` (its filled cells joined)."""
    return [_row_text(grid.rows[r]) for r in rows]


def _rows(rows: Sequence[int]) -> str:
    return ("row " if len(rows) == 1 else "rows ") + row_span(rows)


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _row_text(row: Sequence[object]) -> str:
    return " ".join(str(v).strip() for v in row if not _empty(v))


def _filled(row: Sequence[object]) -> int:
    return sum(not _empty(v) for v in row)


# ------------------------------------------------------------------------------------------------
# reading
# ------------------------------------------------------------------------------------------------
def check_file(path: Path) -> None:
    """Refuse a missing path, a folder and an empty file with a message saying what to do."""
    if not path.exists():
        raise InputError(Note("file_not_found", f"file not found: {path}", path=str(path)))
    if path.is_dir():
        text = (
            f"{path} is a folder, not a table file; give the path of a .csv, .tsv or .xlsx file "
            "inside it"
        )
        raise InputError(Note("file_is_folder", text, path=str(path)))
    if path.stat().st_size == 0:
        text = (
            f"{path.name} is empty (0 bytes): no header and no rows; export the table again "
            "(Excel/WPS: Save As > CSV UTF-8 or Excel Workbook)"
        )
        raise InputError(Note("file_empty", text, file=path.name))


def decode(raw: bytes, encoding: str | None, where: str) -> tuple[str, str]:
    """Text of a CSV and the encoding used (given, from a byte-order mark, or the first that fits)."""
    if encoding is not None:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            text = (
                f"{where} cannot be decoded as {encoding!r} (byte {exc.start}); "
                "leave encoding=None to detect it"
            )
            raise InputError(
                Note("bad_encoding", text, file=where, encoding=encoding, byte=exc.start)
            ) from exc
        except LookupError as exc:
            text = f"unknown encoding {encoding!r} for {where}"
            raise InputError(Note("unknown_encoding", text, file=where, encoding=encoding)) from exc
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel "Unicode text"
        return raw.decode("utf-16"), "utf-16"
    for candidate in ENCODINGS:
        try:
            return raw.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    text = f"{where} is neither UTF-8, GBK nor GB18030; pass encoding= (for example 'big5')"
    raise InputError(Note("no_encoding", text, file=where))


def _sniff_sep(lines: Sequence[str]) -> str:
    """The separator of the first line that has one (a title line above the header has none)."""
    for line in lines:
        counts = {sep: line.count(sep) for sep in (",", "\t", ";", "|")}
        sep = max(counts, key=counts.__getitem__)
        if counts[sep]:
            return sep
    return ","


def read_text_grid(
    path: Path, encoding: str | None, sep: str | None, suffix: str
) -> tuple[Grid, str]:
    """Rows of a CSV/TSV file as lists of strings; also the decoded text."""
    text, used = decode(path.read_bytes(), encoding, path.name)
    if not text.strip():
        n = text.count("\n") + (0 if text.endswith("\n") else 1)
        said = (
            f"{path.name} holds only blank lines ({n} line(s)), no header and no rows; "
            "export the table again"
        )
        raise InputError(Note("blank_lines", said, file=path.name, n=n))
    if "\x00" in text:
        said = (
            f"{path.name} is not a text table (it holds binary data); if it is a workbook, "
            "give it its real extension (.xlsx), or save it as CSV"
        )
        raise InputError(Note("binary", said, file=path.name))
    lines = [ln for ln in text.splitlines() if ln.strip()]
    delimiter = sep or ("\t" if suffix == ".tsv" else _sniff_sep(lines[:50]))
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return Grid(rows=rows, encoding=used, sep=delimiter), text


def _not_xlsx(path: Path, head: bytes) -> InputError:
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        kind = "ole"
        what = "an old Excel 97-2003 workbook (.xls) or another OLE file"
        fix = "open it in Excel/WPS and Save As > Excel Workbook (.xlsx)"
    elif head.lstrip().lower().startswith((b"<!doctype", b"<html", b"<?xml", b"<table")):
        kind = "html"
        what = "an HTML/XML page (some sites serve tables as HTML named .xls/.xlsx)"
        fix = "open it in a browser or Excel and save the table as .xlsx or CSV"
    elif head.startswith(b"PK"):
        kind = "zip"
        what = "a zip archive but not an Excel workbook (no xl/workbook.xml inside)"
        fix = "check that this is the table you meant; save the table as .xlsx or CSV"
    else:
        kind = "other"
        what = "not a workbook (an .xlsx file is a zip archive; this is text or another format)"
        fix = "if it is a CSV, rename it to .csv; otherwise save the table as .xlsx or CSV"
    text = f"{path.name} cannot be read as an .xlsx workbook: it is {what}; {fix}"
    return InputError(Note(f"not_xlsx_{kind}", text, file=path.name))


def read_xlsx_grid(path: Path, sheet: str | int) -> Grid:
    """Cells of one worksheet (values, not formulas), with its merged ranges."""
    import openpyxl

    with path.open("rb") as fh:
        head = fh.read(512)
    if not zipfile.is_zipfile(path):
        raise _not_xlsx(path, head)
    with zipfile.ZipFile(path) as zf:
        if "xl/workbook.xml" not in zf.namelist():
            raise _not_xlsx(path, b"PK")
    try:
        # not read-only: merged ranges are only available on a fully loaded sheet
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # a damaged archive: zipfile/XML errors of many kinds
        text = (
            f"{path.name} cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc}); "
            "open it in Excel/WPS and save it again as .xlsx, or save the table as CSV"
        )
        error = f"{type(exc).__name__}: {exc}"
        raise InputError(Note("damaged_xlsx", text, file=path.name, error=error)) from exc
    try:
        names = wb.sheetnames
        if isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                text = (
                    f"{path.name}: worksheet position {sheet} does not exist; the workbook has "
                    f"{len(names)} sheet(s): {', '.join(names)}"
                )
                raise InputError(
                    Note("no_sheet_at", text, file=path.name, sheet=sheet, n=len(names),
                         sheets=tuple(names))
                )  # fmt: skip
            name = names[sheet]
        elif sheet in names:
            name = str(sheet)
        else:
            text = (
                f"{path.name}: Worksheet named {sheet!r} not found; the workbook has the "
                f"sheet(s) {', '.join(map(repr, names))}"
            )
            raise InputError(
                Note("no_sheet_named", text, file=path.name, sheet=sheet, sheets=tuple(names))
            )
        ws = wb[name]
        rows = [[_cell_value(c) for c in row] for row in ws.iter_rows()]
        merged = [
            (r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1)
            for r in ws.merged_cells.ranges
        ]
    finally:
        wb.close()
    return Grid(rows=rows, merged=merged, sheet=sheet)


def _cell_value(cell: object) -> object:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "e":  # #DIV/0!, #N/A: Excel's own "no value"
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # as pandas.read_excel does: 440100.0 is the integer 440100
    return value


# ------------------------------------------------------------------------------------------------
# layout
# ------------------------------------------------------------------------------------------------
def _header_names(grid: Grid, header: Sequence[int], width: int) -> list[str]:
    """One name per column: the header rows joined with '_' (merged cells filled in first)."""
    cells = [list(grid.rows[r][:width]) + [None] * (width - len(grid.rows[r])) for r in header]
    pos = {r: i for i, r in enumerate(header)}
    for r0, c0, r1, c1 in grid.merged:  # a merged cell's value belongs to every cell it covers
        top = next((r for r in header if r0 <= r <= r1), None)
        if top is None or c0 >= width:
            continue
        value = grid.rows[r0][c0] if c0 < len(grid.rows[r0]) else None
        for r in range(max(r0, header[0]), min(r1, header[-1]) + 1):
            if r in pos:
                for c in range(c0, min(c1, width - 1) + 1):
                    cells[pos[r]][c] = value
    if not grid.merged and len(header) > 1:
        # a CSV export of merged cells keeps the value in the first cell only: a group cell
        # followed by blanks covers the columns up to the next group cell (group rows only)
        for row in cells[:-1]:
            last = None
            for c in range(width):
                if not _empty(row[c]):
                    last = row[c]
                elif last is not None and c > 0:
                    row[c] = last
    names: list[str] = []
    for c in range(width):
        parts: list[str] = []
        for row in cells:
            text = _header_text(row[c])
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        names.append("_".join(parts) if parts else f"Unnamed: {c}")
    seen: dict[str, int] = {}
    for i, name in enumerate(names):  # pandas' rule for repeated names: a, a.1, a.2
        if name in seen:
            seen[name] += 1
            names[i] = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
    return names


def _header_text(value: object) -> str:
    if _empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


_TITLE = re.compile(r"表|单位|年|统计|table|unit", re.IGNORECASE)


def _is_title(row: Sequence[object]) -> bool:
    """A single filled cell that reads like a title or unit line, not a lone column name."""
    if _filled(row) != 1:
        return False
    text = _row_text(row)
    return len(text) >= 5 or bool(_TITLE.search(text))


def _continues_header(grid: Grid, header: list[int], row: int) -> bool:
    """True when ``row`` belongs to the header above it (two-row merged yearbook header)."""
    cells = grid.rows[row]
    # a data row names its region in the first column; under a two-row header that cell is
    # merged down from the header (or left blank by a CSV export of the merge)
    if (cells and not _empty(cells[0])) or not _filled(cells):
        return False
    # a merged range from the header reaching into this row, or a group cell above merged
    # across columns: the header goes on
    if any(r0 in header and r1 >= row for r0, _c0, r1, _c1 in grid.merged):
        return True
    if any(r0 == r1 == header[-1] and c1 > c0 for r0, c0, r1, c1 in grid.merged):
        return True
    # CSV: a group cell merged across leaves blanks after it; sub-headers fill those blanks
    # (a data row with an empty first cell fills the named columns, not the blanks)
    above = grid.rows[header[-1]]
    filled = [i for i, v in enumerate(above) if not _empty(v)]
    if not filled:
        return False
    return any(
        not _empty(v) and (i >= len(above) or _empty(above[i]))
        for i, v in enumerate(cells)
        if i > filled[0]
    )


def find_layout(grid: Grid, header: int | Sequence[int] | None, where: str = "the table") -> Layout:
    """Title, header, data and note rows of ``grid`` (``header=None``: detect them).

    Detection: leading rows with a single filled cell that reads like a title or a unit line
    (five characters or more, or 表/单位/年/table/unit) are a title (when the table has two or
    more columns); the first row after them is the header, continued by the rows below it while
    merged cells say so (at most ``MAX_HEADER_ROWS``); the rows at the bottom that hold a single
    cell starting like a note (注, 资料来源, Note, *, ①, 1.) or of prose length are notes.
    """
    nonblank = [i for i, row in enumerate(grid.rows) if _filled(row)]
    if not nonblank:
        text = f"{where} holds no filled cell: no header and no rows"
        raise InputError(Note("no_filled_cell", text, file=where))
    width = max(max((i for i, v in enumerate(r) if not _empty(v)), default=-1) for r in grid.rows)
    width += 1
    detected = header is None
    if header is None:
        title = []
        for r in nonblank:
            if width >= 2 and len(title) < 5 and _is_title(grid.rows[r]):
                title.append(r)
            else:
                break
        rest = [r for r in nonblank if r not in title]
        if not rest:
            text = (
                f"{where}: no header row found, every filled row holds a single cell "
                f"({_rows(title)}); pass header= (the 0-based row of the column names)"
            )
            raise InputError(Note("no_header", text, file=where, rows=row_span(title)))
        head = [rest[0]]
        for r in rest[1:]:
            if len(head) < MAX_HEADER_ROWS and _continues_header(grid, head, r):
                head.append(r)
            else:
                break
    else:
        head = [header] if isinstance(header, int) else sorted(set(header))
        if head[-1] >= len(grid.rows):
            text = (
                f"{where}: header row {head[-1]} (0-based) is past the end of the sheet "
                f"({len(grid.rows)} rows)"
            )
            raise InputError(
                Note("header_past_end", text, file=where, row=head[-1], n=len(grid.rows))
            )
        title = [r for r in nonblank if r < head[0]]
    data = [r for r in nonblank if r > head[-1] and r not in head]
    notes: list[int] = []
    if width >= 2:
        for r in reversed(data):
            row = grid.rows[r]
            text = _row_text(row)
            if _filled(row) == 1 and (_NOTE.match(text) or len(text) >= _NOTE_LENGTH):
                notes.insert(0, r)
            else:
                break
    data = [r for r in data if r not in notes]
    return Layout(title, head, data, notes, _header_names(grid, head, width), detected)
