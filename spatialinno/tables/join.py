"""Attach indicator tables to the boundary layers: :func:`join_indicators` and its :class:`JoinReport`.

The join is where most of an analyst's time goes, so every table row is accounted for:
:func:`~spatialinno.match_regions` (:mod:`spatialinno.tables.match`) says, for each table row,
which unit it is and *how* it was recognised, or why it was not; :func:`join_indicators`
left-joins the table onto *all* units of a layer (units without data keep NaN) and stores a
:class:`JoinReport` in ``gdf.attrs["join_report"]``. :func:`~spatialinno.aggregate`
(:mod:`spatialinno.tables.aggregate`) sums or averages units to a coarser level.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from typing import Literal

import geopandas as gpd
import pandas as pd

from .._errors import DataWarning, InputError, JoinError
from .._notes import Note
from .._validate import POLYGON_LEVELS, check_level

# aggregate and match_regions: names the workflow and the CLI import from here (they lived
# here before); each is defined once, in aggregate.py and match.py
from .aggregate import aggregate as aggregate
from .match import match_regions as match_regions
from .read import is_year_column, read_table
from .recognise import HOW, NOT_MATCHED

__all__ = ["BARE_YEAR_STEM", "JoinReport", "join_indicators", "wide_columns"]


# eq=False: pandas compares ``attrs`` when it merges or concatenates frames, and a field-wise
# comparison of the DataFrames inside would raise ("truth value of a DataFrame is ambiguous")
@dataclass(frozen=True, repr=False, eq=False)
class JoinReport:
    """What a join did with every table row and every boundary unit.

    Attributes
    ----------
    level : str
        Boundary layer joined to ("province", "prefecture" or "county").
    key : tuple of str
        Table column(s) used to recognise rows, in the order they were tried.
    province_key : str or None
        Column used to tell apart units sharing a name (None when there was none).
    year : int or None
        Year selected with ``year=`` (None: all rows).
    rows : pandas.DataFrame
        :func:`match_regions` result for the table rows considered (after ``year=`` selection).
    units_without_data : pandas.DataFrame
        ``code``, ``name``, ``province`` of the layer units no table row matched.
    n_units : int
        Number of units in the layer.
    notes : tuple of str
        Everything else the join did that changes the data (columns renamed because the layer
        has a column of the same name, rows added to a successor, years selected).
    empty_cells : pandas.DataFrame
        ``code``, ``name``, ``province``, ``column`` (and ``year`` for a long table): the units
        that have a table row whose cell of a numeric ``column`` is empty. With
        ``units_without_data`` these are the units without a value of that column
        (:meth:`without_value`), reported apart because the fix differs (add the row / fill
        the cell).
    """

    level: str
    key: tuple[str, ...]
    province_key: str | None
    year: int | None
    rows: pd.DataFrame
    units_without_data: pd.DataFrame
    n_units: int
    notes: tuple[str, ...] = field(default_factory=tuple)
    empty_cells: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["code", "name", "province", "column"])
    )

    def without_value(self, column: str) -> pd.DataFrame:
        """The units without a value of ``column``: ``code``, ``name``, ``province`` and ``why``
        -- ``"no row"`` (no table row matched the unit) or ``"empty cell"`` (its row has no
        value in ``column``), in layer order of each group.

        >>> import spatialinno as si
        >>> census = si.load_dataset("city_census")[["gb", "city", "province", "popu_2020"]]
        >>> gdf = si.join_indicators(census, "prefecture")
        >>> gdf.attrs["join_report"].without_value("popu_2020")["why"].value_counts().to_dict()
        {'empty cell': 10, 'no row': 6}
        """
        no_row = self.units_without_data[["code", "name", "province"]].assign(why="no row")
        cells = self.empty_cells[self.empty_cells["column"] == column]
        empty = cells[["code", "name", "province"]].drop_duplicates("code")
        return pd.concat([no_row, empty.assign(why="empty cell")], ignore_index=True)

    @property
    def matched(self) -> pd.DataFrame:
        """Table rows matched to a unit (any ``how`` but unmatched, ambiguous, defunct)."""
        return self.rows[~self.rows["how"].isin(NOT_MATCHED)]

    @property
    def unmatched(self) -> pd.DataFrame:
        """Table rows not joined, with ``how`` (unmatched/ambiguous/defunct), note, candidates."""
        return self.rows[self.rows["how"].isin(NOT_MATCHED)]

    @property
    def how_counts(self) -> dict[str, int]:
        """Number of table rows per ``how``, in the order of :data:`HOW`."""
        counts = self.rows["how"].value_counts()
        return {h: int(counts[h]) for h in HOW if h in counts.index}

    @property
    def complete(self) -> bool:
        """True when every table row was matched."""
        return self.unmatched.empty

    def summary(self, max_rows: int = 20) -> str:
        """Readable multi-line account: counts by how, every unmatched row, units without data."""
        counts = self.how_counts
        found = ", ".join(f"{h} {n}" for h, n in counts.items() if h not in NOT_MATCHED)
        lost = ", ".join(f"{h} {n}" for h, n in counts.items() if h in NOT_MATCHED)
        year = f", year {self.year}" if self.year is not None else ""
        province = f", province column {self.province_key!r}" if self.province_key else ""
        lines = [
            f"JoinReport: {self.level} level, key {' -> '.join(map(repr, self.key))}"
            f"{province}{year}",
            f"  {len(self.rows)} table rows: {len(self.matched)} matched ({found or 'none'}), "
            f"{len(self.unmatched)} not matched{f' ({lost})' if lost else ''}",
            f"  {len(self.units_without_data)} of {self.n_units} {self.level} units have no "
            "table row",
        ]
        if not self.empty_cells.empty:
            per = self.empty_cells.groupby("column", sort=False)["code"].nunique()
            lines.append(
                f"  {self.empty_cells['code'].nunique()} units have a table row with an empty "
                f"cell: {', '.join(f'{c} {n}' for c, n in per.items())}"
            )
        if not self.unmatched.empty:
            lines.append("  rows not matched:")
            for idx, row in self.unmatched.head(max_rows).iterrows():
                label = {"unmatched": "closest", "ambiguous": "could be", "defunct": "successors"}
                cands = (
                    f"; {label[row['how']]}: {', '.join(row['candidates'])}"
                    if row["candidates"]
                    else ""
                )
                lines.append(
                    f"    row {idx}: {row['key']}={row['value']!r} {row['how']}: {row['note']}"
                    f"{cands}"
                )
            if len(self.unmatched) > max_rows:
                lines.append(f"    ... and {len(self.unmatched) - max_rows} more (.unmatched)")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """One row per table row: ``row`` (table index), key, value, code, name, how, note..."""
        out = self.rows.copy()
        out.insert(0, "row", out.index)
        return out.reset_index(drop=True)

    def __repr__(self) -> str:
        return (
            f"JoinReport(level={self.level!r}, key={self.key!r}, year={self.year!r}, "
            f"rows={len(self.rows)}, matched={len(self.matched)}, "
            f"unmatched={len(self.unmatched)}, units_without_data="
            f"{len(self.units_without_data)}/{self.n_units})"
        )

    def __str__(self) -> str:
        return self.summary()


# --------------------------------------------------------------------------------------------
# public: join_indicators
# --------------------------------------------------------------------------------------------
_YEAR_TOKEN = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)年?")


#: the name of a wide table's value column whose header is the bare year (``2013``, ``2013年``)
BARE_YEAR_STEM = "value"


def wide_columns(columns: Iterable[object]) -> dict[object, tuple[int, str]]:
    """Columns whose name carries a year: name -> (year, name without the year).

    A header that is the bare year (a yearbook table of one indicator, one column per year)
    gives :data:`BARE_YEAR_STEM`.

    >>> wide_columns(["地区", "rd_staff_2019", "2019年R&D人员", "2013", 2012])
    {'rd_staff_2019': (2019, 'rd_staff'), '2019年R&D人员': (2019, 'R&D人员'), '2013': (2013, 'value'), 2012: (2012, 'value')}
    """
    out = {}
    for column in columns:
        text = str(column).strip()
        found = _YEAR_TOKEN.findall(text)
        if len(found) != 1:
            continue
        stem = _YEAR_TOKEN.sub("", text)
        stem = re.sub(r"[_\-\s.]{2,}", "_", stem).strip("_- .")
        out[column] = (int(found[0]), stem or BARE_YEAR_STEM)
    return out


# the name workflow.inputs imports (it was private here); the rule is wide_columns


def _layer(level: str) -> gpd.GeoDataFrame:
    from ..boundaries.load import load_boundaries

    return load_boundaries(level)


def _row_list(index: Iterable[object]) -> str:
    return ", ".join(str(i) for i in index)


def join_indicators(
    table: pd.DataFrame | str | PathLike[str],
    level: str,
    key: str | Sequence[str] | None = None,
    year: int | None = None,
    on_unmatched: Literal["raise", "warn", "ignore"] = "raise",
    *,
    province_key: str | None = None,
    merge_history: bool = False,
) -> gpd.GeoDataFrame:
    """Left-join an indicator table onto every unit of a boundary layer.

    Parameters
    ----------
    table : pandas.DataFrame or path
        Indicator table; cleaned with :func:`spatialinno.read_table` (codes as strings, numbers
        with thousands separators or full-width digits parsed).
    level : {"province", "prefecture", "county"}
        Boundary layer (EPSG:4490) to join to.
    key, province_key, merge_history
        How rows are recognised; see :func:`spatialinno.match_regions`.
    year : int, optional
        Long panel (a ``year``/``年份``/``年度`` column): keep the rows of that year. Wide panel
        (one column per indicator-year, ``rd_staff_2019`` or ``2019年R&D人员``): keep that year's
        columns, renamed without the year (``rd_staff``); columns without a year are kept too.
        ``None`` keeps everything: a long table gives a long frame (see Returns); a wide table
        keeps its columns as they are.
    on_unmatched : {"raise", "warn", "ignore"}, default "raise"
        What to do when table rows are unmatched or ambiguous: raise :class:`JoinError`
        (carrying the report), warn with :class:`DataWarning`, or say nothing. Rows of defunct
        units (莱芜, 巢湖) are never an error -- the table is right, the map has moved on -- and
        are reported with a ``DataWarning`` unless ``on_unmatched="ignore"``.

    Returns
    -------
    geopandas.GeoDataFrame
        All units of the layer in layer order (EPSG:4490), the layer's attribute columns, then
        the table's value columns (key, province and year columns left out; a value column
        whose name the layer already uses gets the suffix ``_table``); units without data hold
        NaN. For a long table with ``year=None`` the frame is a balanced panel: every unit once
        for every year present in the table (sorted by year, then layer order, with a ``year``
        column), so ``gdf[gdf["year"] == 2015]`` is always a complete map layer.
        ``gdf.attrs["join_report"]`` holds the :class:`JoinReport`.

    Raises
    ------
    JoinError
        Unmatched or ambiguous rows with ``on_unmatched="raise"``; ``err.report`` is the report.
    InputError
        Two rows for the same unit (and year) -- listed, nothing is summed silently -- or a
        ``year`` the table does not have.

    Examples
    --------
    >>> import spatialinno as si
    >>> panel = si.load_dataset("province_panel")
    >>> panel = panel[panel["province"] != "全国"]        # the national total row is no region
    >>> gdf = si.join_indicators(panel, level="province", year=2020)
    >>> len(gdf), gdf.crs.to_epsg(), gdf["gdp_100m_yuan"].notna().sum()
    (34, 4490, np.int64(31))
    >>> gdf.attrs["join_report"]
    JoinReport(level='province', key=('gb', 'province'), year=2020, rows=31, matched=31, \
unmatched=0, units_without_data=3/34)
    """
    level = check_level(level, POLYGON_LEVELS)
    if on_unmatched not in ("raise", "warn", "ignore"):
        raise InputError(f"on_unmatched must be 'raise', 'warn' or 'ignore', not {on_unmatched!r}")
    table = read_table(table)  # a path is read, a DataFrame cleaned the same way
    notes: list[str] = []
    if not table.index.is_unique:
        # rows must be addressable one by one (selection by year, duplicates, the report)
        table = table.reset_index(drop=True)
        text = "the table index had repeated labels; rows are numbered 0..n-1 here"
        notes.append(Note("index_renumbered", text))
    matches = match_regions(
        table, level, key, province_key=province_key, merge_history=merge_history
    )
    ids = set(matches.attrs["key"]) | {
        c for c in (matches.attrs["province_key"], matches.attrs["prefecture_key"]) if c
    }
    year_col = next((c for c in table.columns if is_year_column(c) and c not in ids), None)
    value_cols = [c for c in table.columns if c not in ids and c != year_col]
    rows = table
    if year is not None:
        year = int(year)
        rows, value_cols = _select_year(table, year, year_col, value_cols, notes)
    sel = matches.loc[rows.index]
    long = year_col is not None and year is None
    if long and rows[year_col].isna().any():
        empty_year = rows.index[rows[year_col].isna().to_numpy()]
        text = (
            f"{len(empty_year)} row(s) of a long table have no value in the year column "
            f"{year_col!r}: rows {_row_list(empty_year[:20])}; fill or drop them"
        )
        raise InputError(
            Note("empty_years", text, n=len(empty_year), column=year_col,
                 rows=tuple(empty_year[:20]))
        )  # fmt: skip

    found = sel[~sel["how"].isin(NOT_MATCHED)]
    data = rows.loc[found.index, value_cols].copy()
    data.insert(0, "code", found["code"].astype(str))
    if long:
        data.insert(1, "year", rows.loc[found.index, year_col].astype("Int64"))
    _check_duplicates(data, found, table, long)
    data = _apply_merges(data, found, long, notes)
    layer = _layer(level)
    clash = [c for c in value_cols if c in layer.columns or c == "year"]
    if clash:
        data = data.rename(columns={c: f"{c}_table" for c in clash})
        text = f"table column(s) {clash} renamed with the suffix '_table' (the layer has them)"
        notes.append(Note("renamed_table", text, columns=tuple(clash)))
    gdf = _joined(layer, data, long, notes)
    have = set(data["code"])
    missing = layer.loc[~layer["code"].isin(have), ["code", "name", "province"]]
    report = JoinReport(
        level=level,
        key=tuple(matches.attrs["key"]),
        province_key=matches.attrs["province_key"],
        year=year,
        rows=sel,
        units_without_data=missing.reset_index(drop=True),
        n_units=len(layer),
        notes=tuple(notes),
        empty_cells=_empty_cells(data, layer, long),
    )
    gdf.attrs["join_report"] = report
    # the labels of the table's columns (read_table's unit row, load_dataset, with_labels)
    # follow them to their names in the joined frame (rd_2019 -> rd, gdp -> gdp_table)
    renamed = {**rows.attrs.get("wide_renamed", {}), **{c: f"{c}_table" for c in clash}}
    _carry_labels(table, gdf, renamed)
    _raise_or_warn(report, level, on_unmatched)
    return gdf


def _select_year(
    table: pd.DataFrame, year: int, year_col: str | None, value_cols: list[str], notes: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """The rows (long table) or the columns renamed without the year (wide table) of ``year``."""
    wide = wide_columns(value_cols)
    if year_col is not None:
        available = sorted(table[year_col].dropna().unique().tolist())
        rows = table[table[year_col] == year]
        if rows.empty:
            text = (
                f"no rows for year {year} in column {year_col!r}; the table has "
                f"{_row_list(available)}"
            )
            raise InputError(
                Note("year_not_in_table", text, year=year, column=year_col, years=tuple(available))
            )
        return rows, value_cols
    if not wide:
        text = (
            f"year={year} was given but the table has no year column (year/年份/年度) and "
            "no column names with a year (rd_staff_2019, 2019年R&D人员); leave year=None"
        )
        raise InputError(Note("no_year_column", text, year=year))
    years = sorted({y for y, _ in wide.values()})
    picked = {c: stem for c, (y, stem) in wide.items() if y == year}
    if not picked:
        text = f"no column for year {year}; the table's columns carry the years {_row_list(years)}"
        raise InputError(Note("no_wide_year", text, year=year, years=tuple(years)))
    value_cols = [c for c in value_cols if c not in wide or c in picked]
    value_cols = [picked.get(c, c) for c in value_cols]
    if len(set(value_cols)) != len(value_cols):
        dup = sorted({c for c in value_cols if value_cols.count(c) > 1})
        text = (
            f"for year {year} the columns {dup} exist both with and without the year; "
            "rename one of them"
        )
        raise InputError(Note("wide_clash", text, year=year, dup=tuple(dup)))
    pairs = ", ".join(f"{a} -> {b}" for a, b in picked.items())
    text = f"wide table: took {len(picked)} column(s) of {year} ({pairs})"
    notes.append(Note("wide", text, n=len(picked), year=year, pairs=pairs))
    out = table.rename(columns=picked)
    out.attrs["wide_renamed"] = picked
    return out, value_cols


def _carry_labels(table: pd.DataFrame, gdf: gpd.GeoDataFrame, renamed: dict) -> None:
    """``gdf.attrs["labels"]``: the table's labels under the joined frame's column names."""
    from .labels import labels_of

    carried = {}
    for column, label in labels_of(table).items():
        name = renamed.get(column, column)
        name = renamed.get(name, name)  # a wide column renamed, then suffixed _table
        if name in gdf.columns:
            carried[name] = label
    if carried:
        gdf.attrs["labels"] = carried


def _empty_cells(data: pd.DataFrame, layer: gpd.GeoDataFrame, long: bool) -> pd.DataFrame:
    """The units whose table row has an empty cell in a numeric column (see JoinReport)."""
    by = ["code", "year"] if long else ["code"]
    order = pd.Series(range(len(layer)), index=layer["code"].to_numpy())
    parts = []
    for column in data.columns:  # in the table's column order, each in layer order
        if column in by or not pd.api.types.is_numeric_dtype(data[column]):
            continue
        empty = data.loc[data[column].isna(), by].assign(column=column)
        parts.append(empty.iloc[order.reindex(empty["code"]).to_numpy().argsort(kind="stable")])
    columns = ["code", "name", "province", "column", *(["year"] if long else [])]
    if not parts:
        return pd.DataFrame(columns=columns)
    found = pd.concat(parts, ignore_index=True)
    found = found.join(layer.set_index("code")[["name", "province"]], on="code")
    return found[columns].reset_index(drop=True)


def _joined(
    layer: gpd.GeoDataFrame, data: pd.DataFrame, long: bool, notes: list[str]
) -> gpd.GeoDataFrame:
    """Every unit of the layer with the table's values (NaN without data); a long table as a
    balanced panel, every unit once per year, geometry last."""
    if long:
        years = sorted(data["year"].dropna().unique().tolist())
        parts = []
        for y in years:
            part = layer.merge(data[data["year"] == y].drop(columns="year"), on="code", how="left")
            part.insert(part.columns.get_loc("geometry"), "year", int(y))
            parts.append(part)
        if not parts:
            parts = [layer.assign(year=pd.NA)]
        gdf = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=layer.crs)
        text = f"long table: balanced panel of {len(years)} year(s) x {len(layer)} units"
        notes.append(Note("long", text, years=len(years), units=len(layer)))
    else:
        gdf = layer.merge(data, on="code", how="left")
    gdf = gdf[[c for c in gdf.columns if c != "geometry"] + ["geometry"]]
    return gpd.GeoDataFrame(gdf, geometry="geometry", crs=layer.crs)


def _raise_or_warn(report: JoinReport, level: str, on_unmatched: str) -> None:
    """JoinError for unmatched or ambiguous rows (``on_unmatched="raise"``), else a DataWarning
    for every row left out (defunct units included) unless ``on_unmatched="ignore"``."""
    bad = report.unmatched[report.unmatched["how"] != "defunct"]
    if not bad.empty and on_unmatched == "raise":
        raise JoinError(
            f"{len(bad)} table row(s) could not be matched to {level} units; fix them, pass "
            "key=/province_key=, or on_unmatched='warn'\n" + report.summary(),
            report,
        )
    if not report.unmatched.empty and on_unmatched != "ignore":
        text = f"{len(report.unmatched)} table row(s) left out of the join\n{report.summary()}"
        note = Note("join_left_out", text, n=len(report.unmatched))
        warnings.warn(note, DataWarning, stacklevel=3)


def _check_duplicates(
    data: pd.DataFrame, found: pd.DataFrame, table: pd.DataFrame, long: bool
) -> None:
    own = data[~found["merged"].to_numpy(dtype=bool)]
    by = ["code", "year"] if long else ["code"]
    dup = own[own.duplicated(by, keep=False)]
    if dup.empty:
        return
    lines, units = [], []
    for keys, group in dup.groupby(by, sort=False):
        keys = keys if isinstance(keys, tuple) else (keys,)
        unit = found.loc[group.index[0], "name"]
        when = f" in {keys[1]}" if long else ""
        values = ", ".join(repr(found.loc[i, "value"]) for i in group.index)
        lines.append(f"{unit} ({keys[0]}){when}: rows {_row_list(group.index)} ({values})")
        units.append(
            (unit, keys[0], keys[1] if long else None, tuple(group.index),
             tuple(found.loc[i, "value"] for i in group.index))
        )  # fmt: skip
    hint = "" if long else "; a panel needs a year column (year/年份) or year="
    text = (
        f"{len(lines)} unit(s) appear in more than one table row (rows = table index):\n  "
        + "\n  ".join(lines[:20])
        + ("\n  ..." if len(lines) > 20 else "")
        + f"\ndrop or combine the duplicates before joining{hint}"
    )
    key = "duplicates_long" if long else "duplicates"
    raise InputError(Note(key, text, n=len(lines), duplicates=tuple(units[:20])))


def _apply_merges(
    data: pd.DataFrame, found: pd.DataFrame, long: bool, notes: list[str]
) -> pd.DataFrame:
    merged_mask = found["merged"].to_numpy(dtype=bool)
    if not merged_mask.any():
        return data
    own = data[~merged_mask].copy()
    numeric = [
        c
        for c in own.columns
        if c not in ("code", "year") and pd.api.types.is_numeric_dtype(own[c])
    ]
    by = ["code", "year"] if long else ["code"]
    for idx, row in data[merged_mask].iterrows():
        target = own["code"].eq(row["code"])
        if long:
            target &= own["year"].eq(row["year"])
        old = found.loc[idx, "value"]
        if not target.any():
            text = (
                f"row {idx} ({old!r}) not added: its successor {row['code']} has no row of its "
                f"own for {', '.join(str(row[b]) for b in by)}"
            )
            notes.append(Note("merge_not_added", text, row=idx, value=old, code=row["code"]))
            continue
        # NaN + x stays NaN on purpose: a total that silently leaves out a part is worse than none
        own.loc[target, numeric] = own.loc[target, numeric].to_numpy() + row[numeric].to_numpy(
            dtype=float
        )
        text = f"row {idx} ({old!r}) added to {row['code']} (merge_history=True)"
        notes.append(Note("merge_added", text, row=idx, value=old, code=row["code"]))
    return own
