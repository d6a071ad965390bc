"""The input stage of a run: read the user's table and join it, with the run's checks.

Used by :func:`spatialinno.analyze` (and so by ``spatialinno analyze``). Here:

* :func:`read_input` -- ``si.read_table`` with every failure as one ``InputError``; what it
  detected (title rows, merged header, notes, percentages, decimal commas) is said on the
  terminal (:func:`terminal_notes`); rows are indexed by their spreadsheet row number so the join
  names them that way;
* :func:`join_input` -- ``si.join_indicators`` with ``--on-unmatched raise|warn|drop``; rows that
  match no unit are listed by reason (:func:`unmatched_text`);
* :func:`_user_column_names` and :func:`_check_values` -- every requested column found under
  the name the user gave it, and refused (negative, infinite, too few values) under that name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ColumnError, InputError, JoinError, SpatialinnoError
from .._notes import Note
from ..measures.results import GI, LISA

__all__ = [
    "RESULT_COLUMNS",
    "UNMATCHED",
    "join_input",
    "layer_columns",
    "parse_header",
    "read_input",
    "say",
    "terminal_notes",
    "unmatched_text",
]


# Notes meant for the terminal (what read_table detected, rows left out of the join). The command
# line sets this for the length of a command; from Python (a notebook) nothing is printed: the
# same notes are DataWarnings and in the report.
_ECHO: list[Callable[[str], None]] = []


@contextmanager
def terminal_notes(echo: Callable[[str], None]) -> Iterator[None]:
    """Inside the block, the input stage's notes also go to ``echo`` (the command line: stderr).

    >>> with terminal_notes(print):
    ...     say("spatialinno: note: 2 title rows skipped")
    spatialinno: note: 2 title rows skipped
    >>> say("not shown outside the block")
    """
    _ECHO.append(echo)
    try:
        yield
    finally:
        _ECHO.remove(echo)


def say(text: str) -> None:
    """Pass a note to the terminal, if a command line listens (:func:`terminal_notes`)."""
    for echo in _ECHO:
        echo(text)


def read_input(
    path: str | Path,
    sheet: str | int = 0,
    *,
    header: int | list[int] | str | None = "auto",
    decimal: str | None = None,
    code_columns: Sequence[str] = (),
    lang: str = "en",
) -> pd.DataFrame:
    """``si.read_table`` with every failure turned into one clear ``InputError``.

    The returned table is indexed by spreadsheet row number (index name ``row``), so that the
    join names rows as the user's spreadsheet does ("row 20", header = row 1). What
    ``read_table`` detected is said on the terminal in ``lang``.
    """
    from ..tables.read import read_table
    from .notes import render
    from .text import TERMINAL

    p = Path(path)
    if not p.exists():
        raise InputError(Note("table_not_found", f"table file not found: {p}", path=str(p)))
    try:
        table = read_table(
            p, sheet=sheet, header=header, decimal=decimal, code_columns=code_columns
        )
    except SpatialinnoError:
        raise
    except Exception as exc:  # openpyxl/zipfile/pandas parser errors on a damaged or wrong file
        xlsx = p.suffix.lower() in (".xlsx", ".xlsm")
        kind = "an .xlsx workbook" if xlsx else "a table"
        text = (
            f"{p.name} cannot be read as {kind} ({type(exc).__name__}: {exc}); check that the "
            "file is not damaged and that its extension matches its content"
        )
        key = "unreadable_xlsx" if xlsx else "unreadable_table"
        error = f"{type(exc).__name__}: {exc}"
        raise InputError(Note(key, text, file=p.name, error=error)) from exc
    for note in table.attrs.get("notes", ()):
        # in English the note's own text (the API's warning), in Chinese rendered from its key
        shown = str(note) if lang == "en" else render(note, lang)
        say(f"spatialinno: {TERMINAL[lang]['note']}: {shown}")
    if len(table.columns) < 2:
        text = (
            f"{p.name} holds no usable table ({len(table)} rows, {len(table.columns)} column: "
            f"{', '.join(map(str, table.columns))}); it needs a region column (code or name) "
            "and at least one indicator column"
        )
        raise InputError(
            Note("one_column", text, file=p.name, rows=len(table),
                 columns=tuple(map(str, table.columns)))
        )  # fmt: skip
    table.index = pd.Index(table.attrs.get("sheet_rows", table.index), name="row")
    return table


UNMATCHED: tuple[str, ...] = ("raise", "warn", "drop")
#: the columns si.lisa and si.hotspots add (a user column of that name is refused up front)
RESULT_COLUMNS: tuple[str, ...] = (*LISA.all, *GI.all)
_UNMATCHED_API = {"raise": "raise", "warn": "warn", "drop": "ignore"}


def join_input(
    table: pd.DataFrame,
    level: str,
    columns: list[str],
    year: int | None,
    key: str | None,
    source: str,
    on_unmatched: str = "raise",
    lang: str = "en",
) -> Any:
    """Join ``table`` to ``level``; check columns, year, values and the rows left unmatched
    (listed in ``lang``).

    A wide table's column given by its full name (``rd_2019`` with ``--year 2019``) keeps that
    name in the joined frame, so that every message and map names what the user typed.
    """
    from ..tables.join import join_indicators

    keys = [k.strip() for k in key.split(",")] if key else None
    if keys:
        missing = [k for k in keys if k not in table.columns]
        if missing:
            text = (
                f"--key column(s) {missing} not found in {source}; available columns: "
                f"{', '.join(map(str, table.columns))}"
            )
            raise ColumnError(
                Note("key_not_found", text, missing=tuple(missing), source=source,
                     available=tuple(map(str, table.columns)))
            )  # fmt: skip
    try:
        gdf = join_indicators(
            table, level, key=keys, year=year, on_unmatched=_UNMATCHED_API[on_unmatched]
        )
    except JoinError as exc:
        report = exc.report
        if report is None:
            raise
        if not report.matched.empty:
            raise JoinError(_unmatched_note(report, source, level, lang), report) from None
        first = report.rows.head(3)
        examples = "; ".join(str(r.note) for r in first.itertuples())
        text = (
            f"none of the {len(report.rows)} rows of {source} matched a {level} unit "
            f"(key column(s) {', '.join(report.key)}); e.g. {examples}. Check --level, or name "
            "the column holding codes or names with --key"
        )
        note = Note(
            "nothing_matched", text, n=len(report.rows), source=source, level=level,
            keys=tuple(map(str, report.key)), examples=tuple(r.note for r in first.itertuples()),
        )  # fmt: skip
        raise JoinError(note, report) from None
    report = gdf.attrs["join_report"]
    if report.matched.empty:  # every row defunct: nothing left to analyse
        raise JoinError(_unmatched_note(report, source, level, lang), report)
    if "year" in gdf.columns and year is None:
        years = sorted(gdf["year"].dropna().unique().tolist())
        if len(years) > 1:
            text = (
                f"{source} holds {len(years)} years ({years[0]}–{years[-1]}); choose one with "
                f"--year (available: {', '.join(map(str, years))})"
            )
            raise InputError(
                Note("several_years", text, source=source, n=len(years), years=tuple(years))
            )
    gdf = _user_column_names(gdf, table, columns, level, year, source)
    for c in columns:
        _check_values(gdf, c, level)
    return gdf


def _user_column_names(
    gdf: Any, table: pd.DataFrame, columns: list[str], level: str, year: int | None, source: str
) -> Any:
    """Find every requested column in the joined frame, under the name the user gave it."""
    from ..tables.join import wide_columns

    layer_cols = set(layer_columns(level))
    stems: dict[str, str] = {}
    if year is not None:  # wide table: rd_2019 was joined as rd; give it back its own name
        stems = {c: stem for c, (y, stem) in wide_columns(table.columns).items() if y == year}
        back = {stems[c]: c for c in columns if c in stems and c not in gdf.columns}
        if back:
            gdf = gdf.rename(columns=back)
    full = {stem: c for c, stem in stems.items()}
    value_names = [
        c
        for c in gdf.columns
        if c not in layer_cols and c not in ("year", "geometry") and not str(c).endswith("_table")
    ]
    value_cols = [f"{c} (or {full[c]})" if c in full else str(c) for c in value_names]
    clash = [c for c in columns if c in layer_cols and f"{c}_table" in gdf.columns]
    if clash:
        text = (
            f"column(s) {', '.join(map(repr, clash))} of {source} have the name of a column of "
            f"the boundary layer ({', '.join(layer_columns(level))}); rename them in the table "
            f"(e.g. {clash[0]!r} -> {clash[0] + '_value'!r}) and run again"
        )
        raise ColumnError(
            Note("layer_column_name", text, cols=tuple(clash), source=source,
                 taken=tuple(layer_columns(level)), rename_from=clash[0],
                 rename_to=clash[0] + "_value")
        )  # fmt: skip
    taken = [c for c in columns if c in RESULT_COLUMNS]
    if taken:
        text = (
            f"column(s) {', '.join(map(repr, taken))} of {source} have the name of a result "
            f"column the analysis adds ({', '.join(RESULT_COLUMNS)}); rename them in the table "
            f"(e.g. {taken[0]!r} -> {taken[0] + '_value'!r}) and run again"
        )
        raise ColumnError(
            Note("result_column_name", text, cols=tuple(taken), source=source,
                 taken=RESULT_COLUMNS, rename_from=taken[0], rename_to=taken[0] + "_value")
        )  # fmt: skip
    missing = [c for c in columns if c not in gdf.columns or c in layer_cols]
    if missing:
        text = (
            f"column(s) {', '.join(map(repr, missing))} not found in {source}; available "
            f"indicator columns: {', '.join(map(str, value_cols)) or 'none'}"
        )
        # a wide table's column is offered under both names: ("rd", "rd_2019")
        offered = tuple((str(c), full[c]) if c in full else str(c) for c in value_names)
        raise ColumnError(
            Note("columns_not_found", text, cols=tuple(missing), source=source, available=offered)
        )
    return gdf


def _check_values(gdf: Any, column: str, level: str) -> None:
    """Refuse negative and infinite values and too few numbers, naming the column and regions."""
    values = pd.to_numeric(gdf[column], errors="coerce")

    def names(mask: pd.Series) -> tuple[str, ...]:
        return tuple(gdf.loc[mask, "name"].astype(str))

    def regions(mask: pd.Series) -> str:
        found = names(mask)
        return ", ".join(found[:10]) + (f" and {len(found) - 10} more" if len(found) > 10 else "")

    infinite = values.isin([np.inf, -np.inf])
    if infinite.any():
        text = (
            f"column {column!r} has infinite values at {regions(infinite)}; that is usually a "
            "division by zero in the spreadsheet: fix those cells or leave them empty (missing)"
        )
        raise InputError(Note("infinite", text, col=column, units=names(infinite)))
    if (values < 0).any():
        # Gini, Theil and shares are undefined for negative values; say so before any work
        text = (
            f"column {column!r} has negative values at {regions(values < 0)}; Gini, Theil and "
            "the capital share need levels >= 0 (counts, money, people), not changes or "
            "residuals"
        )
        raise InputError(Note("negative", text, col=column, units=names(values < 0)))
    if values.notna().sum() < 3:
        n = int(values.notna().sum())
        text = (
            f"column {column!r} has {n} numeric value(s) on the matched "
            f"{level} units; at least 3 are needed for any spatial statistic"
        )
        raise InputError(Note("too_few_numbers", text, col=column, n=n, level=level))


def _unmatched_note(report: Any, source: str, level: str, lang: str) -> Note:
    """The rows that stop a run, said in ``lang`` already (``params["said_in"]``)."""
    text = unmatched_text(report, source, level, stop=True, lang=lang)
    return Note("unmatched_rows", text, said_in=lang, source=source)


def unmatched_text(
    report: Any, source: str, level: str, *, stop: bool, per_reason: int = 10, lang: str = "en"
) -> str:
    """The table rows left out of the join, grouped by reason, and what to do about them.

    In ``lang`` (the terminal's words: :data:`~spatialinno.workflow.text.TERMINAL`; each row's
    note rendered by :func:`~spatialinno.workflow.notes.render`). In English a row's note is its
    own text, as the API's join report gives it.
    """
    from .notes import render
    from .text import LEVEL, TERMINAL

    t, rows = TERMINAL[lang], report.unmatched
    head = t["unmatched_head"].format(
        n=len(rows),
        total=len(report.rows),
        source=source,
        level=LEVEL["zh"][level] if lang == "zh" else level,
    )
    lines = [head + t["unmatched_stop" if stop else "unmatched_go_on"]]
    for how in ("unmatched", "ambiguous", "defunct"):
        part = rows[rows["how"] == how]
        if part.empty:
            continue
        lines.append(f"  {t[how]} ({len(part)}):")
        for idx, row in part.head(per_reason).iterrows():
            cands = row["candidates"]
            more = t["candidates"].format(what=t["cand_" + how], names=t["sep"].join(cands))
            more = more if cands else ""
            note = str(row["note"]) if lang == "en" else render(row["note"], lang)
            lines.append("    " + t["row"].format(row=idx, note=note, more=more))
        if len(part) > per_reason:
            where = t["more_stop" if stop else "more_go_on"]
            lines.append("    " + t["more_rows"].format(n=len(part) - per_reason, where=where))
    hint = [n for n in rows["note"].astype(str) if "use level=" in n]
    if len(hint) * 2 >= len(rows) and hint:
        lines.append("  " + t["other_level"].format(n=len(hint)))
    if stop:
        lines.append(t["fix"])
    return "\n".join(lines)


def layer_columns(level: str) -> list[str]:
    """The columns of the boundary layer of ``level`` (code, name, province ...) kept in outputs.

    >>> layer_columns("county")[-2:]
    ['prefecture_code', 'prefecture']
    """
    from ..boundaries.load import COLUMNS

    cols = list(COLUMNS)
    if level == "county":
        cols += ["prefecture_code", "prefecture"]
    return cols


def parse_header(text: str) -> int | list[int] | str:
    """``read_table``'s ``header=`` for a ``--header`` value (spreadsheet row numbers, 1-based).

    >>> parse_header("auto"), parse_header("3"), parse_header("3-4")
    ('auto', 2, [2, 3])
    """
    value = str(text).strip().lower()
    if value == "auto":
        return "auto"
    m = re.fullmatch(r"(\d+)(?:\s*[-–:]\s*(\d+))?", value)
    if m and int(m.group(1)) >= 1 and (m.group(2) is None or int(m.group(2)) >= int(m.group(1))):
        first = int(m.group(1)) - 1
        return first if m.group(2) is None else list(range(first, int(m.group(2))))
    said = (
        f"--header {text!r} is not understood; use auto, a row number as the spreadsheet shows "
        "it (3) or a range for a header over several rows (3-4)"
    )
    raise InputError(Note("bad_header", said, given=text))
