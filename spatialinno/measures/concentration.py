"""Where a province's resources sit: Gini per group, the capital's share, location quotients,
regional means.

The reference study (Zhao et al. 2025, 区域经济评论 2025(2):24-35) measures how concentrated
innovation resources are inside each province with the Gini coefficient of the province's
prefecture-level cities and with the provincial capital's share of the province total
("capital effect", 省会效应), and compares the four NBS regions ("coastal lead"). Values are
read and checked as by every measure of levels (:mod:`spatialinno.measures.values`): negative or
infinite values are refused naming the regions, missing values and units without a group are
left out with a :class:`~spatialinno.DataWarning` that names them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._errors import InputError
from .._notes import Note, join_notes
from .._validate import (
    check_non_negative,
    list_regions,
    numeric_column,
    region_labels,
    require_columns,
    warn_left_out,
)
from ..boundaries.regions import MUNICIPALITIES, REGION_ZH, REGIONS
from ..tables.labels import ATTR, known_labels
from .values import sum_abs_diff, valid_mask

__all__ = [
    "STUDY_EXCLUDED",
    "capital_share",
    "gini_by",
    "location_quotient",
    "region_summary",
]

#: Province codes the reference study leaves out of its per-province tables: the four
#: municipalities (a single prefecture-level unit each, so no within-province distribution)
#: and Tibet (540000, too few cities with data). Taiwan, Hong Kong and Macau have no data.
STUDY_EXCLUDED: tuple[str, ...] = (*MUNICIPALITIES, "540000")


def _resolve_exclude(exclude: Any, by: str) -> set[str]:
    if exclude is None:
        return set()
    if isinstance(exclude, str):
        if exclude != "study":
            raise InputError(
                f"exclude must be 'study', None or a list of {by} values, not {exclude!r}"
            )
        return set(STUDY_EXCLUDED) if by == "province_code" else set()
    return {str(e) for e in exclude}


def _exclusion_note(code: str) -> str:
    kind = "municipality" if code in MUNICIPALITIES else "Tibet" if code == "540000" else "listed"
    return Note(
        "excluded", f"excluded ({kind}; study convention, pass exclude=None to include)", kind=kind
    )


def _too_few_units(code: str, rows: np.ndarray) -> str:
    return Note("too_few_units", "fewer than 2 units") if rows.size < 2 else ""


def _left_out(c: str, n: int, total: bool = False) -> str:
    """The note of a group whose ``n`` units without a value of ``c`` were left out."""
    if total:
        text = f"{c}: {n} unit(s) without data left out of the total (share overstated)"
        return Note("left_out_total", text, column=c, n=n)
    return Note("group_left_out", f"{c}: {n} unit(s) without data left out", column=c, n=n)


def _with_labels(table: pd.DataFrame, gdf: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """The result carries the readable names of the columns it was computed from (no unit: a
    Gini or a share has none), so a map or a report of it shows them."""
    found = known_labels(gdf, cols)
    if found:
        table.attrs[ATTR] = {c: label.without_unit() for c, label in found.items()}
    return table


def _group_frame(
    gdf: pd.DataFrame, columns: str | Iterable[str], by: str, measure: str
) -> tuple[list[str], dict[str, np.ndarray], pd.Series, list[str]]:
    """Checked columns, their float values, the group key per row (as str) and row labels."""
    if not isinstance(gdf, pd.DataFrame):
        raise InputError(f"{measure} needs a DataFrame/GeoDataFrame, not {type(gdf).__name__}")
    cols = require_columns(gdf, columns, "table")
    if not cols:
        raise InputError(f"{measure} needs at least one column")
    require_columns(gdf, by, "table")
    labels = list(region_labels(gdf))
    values = {c: numeric_column(gdf, c) for c in cols}
    for c, v in values.items():
        check_non_negative(np.where(np.isnan(v), 0.0, v), labels, c, measure)
        inf = np.flatnonzero(np.isinf(v))
        if inf.size:
            raise InputError(
                f"column {c!r} is infinite at {list_regions(labels, inf)}; set those to NaN"
            )
    key = gdf[by]
    nokey = key.isna().to_numpy()
    if nokey.any():
        warn_left_out(measure, np.flatnonzero(nokey), labels, f"without a {by!r} left out",
                      stacklevel=3, reason="group", column=by)  # fmt: skip
    return cols, values, key.astype("string").where(~nokey), labels


def _warn_missing(
    values: dict[str, np.ndarray], rows: np.ndarray, labels: Sequence[str], measure: str
) -> None:
    """One warning per column for the rows ``rows`` (the groups used) without a value."""
    for c, v in values.items():
        idx = rows[np.isnan(v[rows])]
        if idx.size:
            warn_left_out(measure, idx, labels, f"without a value in {c!r} left out", stacklevel=3,
                          reason="value", column=c)  # fmt: skip


def _used_rows(groups: list[tuple[str, np.ndarray]], keep: Any) -> np.ndarray:
    """The rows of the groups for which ``keep(code, rows)`` is true, as one array."""
    used = [rows for code, rows in groups if keep(code, rows)]
    return np.concatenate(used) if used else np.array([], int)


def _group_records(
    gdf: pd.DataFrame,
    by: str,
    cols: list[str],
    groups: list[tuple[str, np.ndarray]],
    excluded: set[str],
    skip: Any,
    value: Any,
    extra: Any = None,
) -> list[dict[str, Any]]:
    """One record per group: ``by``, province, ``extra(code, rows)`` fields, n_units, one value
    per column, mean and note.

    An excluded group, or one for which ``skip(code, rows)`` gives a reason, gets NaN in every
    column and the reason as its note; otherwise ``value(code, column, rows)`` gives each
    column's (value, notes).
    """
    records: list[dict[str, Any]] = []
    for code, rows in groups:
        rec: dict[str, Any] = {"province": _group_name(gdf, rows, by)}
        rec[by] = code  # after: grouped by "province", the group is its own name
        rec.update(extra(code, rows) if extra is not None else {})
        rec["n_units"] = rows.size
        notes: list[str] = []
        reason = _exclusion_note(code) if code in excluded else skip(code, rows)
        if reason:
            rec.update(dict.fromkeys(cols, np.nan))
            notes.append(reason)
        else:
            for c in cols:
                rec[c], more = value(code, c, rows)
                notes += more
        rec["mean"] = _mean_all(rec, cols)
        rec["note"] = join_notes(notes) or pd.NA
        records.append(rec)
    return records


def _group_name(gdf: pd.DataFrame, rows: np.ndarray, by: str) -> Any:
    if by == "province_code" and "province" in gdf.columns:
        return gdf["province"].iloc[rows[0]]
    return pd.NA


def _finish_table(records: list[dict[str, Any]], by: str, cols: list[str]) -> pd.DataFrame:
    table = pd.DataFrame.from_records(records)
    if records:  # object, not the inferred str dtype (pandas 3): each note keeps its key
        table["note"] = pd.Series([r["note"] for r in records], dtype=object)
    if table.empty:
        table = pd.DataFrame(columns=[by, "province", "n_units", *cols, "mean", "note"])
    table = table.set_index(by).sort_index()
    table["n_units"] = table["n_units"].astype(int)
    for c in [*cols, "mean"]:
        table[c] = table[c].astype(float)
    return table


def gini_by(
    gdf: pd.DataFrame,
    columns: str | Sequence[str],
    by: str = "province_code",
    exclude: str | Iterable[str] | None = "study",
) -> pd.DataFrame:
    """Gini across the units of each group (e.g. the cities of each province), per column + mean.

    For group :math:`g` with units :math:`i \\in g` (:math:`n_g` of them) and each column,
    :math:`G_g = \\sum_{i,j \\in g} |x_i - x_j| / (2 n_g^2 \\bar{x}_g)`; ``mean`` is the
    unweighted mean of the columns' Gini (the study's "Gini 1" over its 8 indicators).

    Parameters
    ----------
    gdf : DataFrame or GeoDataFrame
        Typically the prefecture layer joined with indicators (``si.join_indicators``); uses
        ``by``, and ``province``/``name``/``code`` for labels when present.
    columns : str or list of str
        Non-negative indicator columns.
    by : str, default "province_code"
        Group column.
    exclude : "study", None or list of group values, default "study"
        ``"study"`` leaves out the four municipalities and Tibet (the reference study's 26
        provinces) when grouping by ``province_code``; None keeps every group.

    Returns
    -------
    pandas.DataFrame
        Indexed by group: ``province`` (name, when grouping by province), ``n_units`` (units in
        the group), one Gini column per input column, ``mean`` (NaN unless every column has a
        value) and ``note`` (why a value is NaN, units without data). Groups with fewer than 2
        units with data, or all zero, give NaN with a note; excluded groups stay in the table
        with NaN and a note.

    Raises
    ------
    ColumnError
        Missing columns. InputError: negative or infinite values (regions named). Units with
        missing values or without a group are left out with a :class:`~spatialinno.DataWarning`.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> cities = pd.DataFrame({
    ...     "province_code": ["A", "A", "A", "A", "B"],
    ...     "staff": [1.0, 2.0, 3.0, 4.0, 5.0],
    ...     "patents": [0.0, 0.0, 0.0, 8.0, 1.0],
    ... })
    >>> t = si.gini_by(cities, ["staff", "patents"])
    >>> t[["n_units", "staff", "patents", "mean"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
                   n_units  staff  patents  mean
    province_code
    A                    4   0.25     0.75   0.5
    B                    1    NaN      NaN   NaN
    >>> t.loc["B", "note"]
    'fewer than 2 units'
    """
    cols, values, key, labels = _group_frame(gdf, columns, by, "gini_by")
    excluded = _resolve_exclude(exclude, by)
    groups = _groups(key)
    # one warning per column for all groups not excluded (not one per group): excluded groups'
    # gaps do not matter; capital_share warns about the same units, so the two agree
    _warn_missing(values, _used_rows(groups, lambda code, _: code not in excluded), labels,
                  "gini_by")  # fmt: skip

    def group_gini(code: str, c: str, rows: np.ndarray) -> tuple[float, list[str]]:
        return _gini_of(values[c][rows], c)

    records = _group_records(gdf, by, cols, groups, excluded, _too_few_units, group_gini)
    return _with_labels(_finish_table(records, by, cols), gdf, cols)


def _gini_of(v: np.ndarray, c: str) -> tuple[float, list[str]]:
    """Gini of one group's values of column ``c`` (missing left out), with notes."""
    notes: list[str] = []
    ok = v[~np.isnan(v)]
    if ok.size < v.size:
        notes.append(_left_out(c, v.size - ok.size))
    if ok.size < 2:
        return np.nan, [*notes, _too_few_values(c)]
    if not np.any(ok > 0):
        return np.nan, [*notes, Note("all_zero", f"{c}: all values zero", column=c)]
    sad, n, mean = sum_abs_diff(ok)
    return sad / (2.0 * n * n * mean), notes


def _too_few_values(c: str) -> str:
    return Note("too_few_values", f"{c}: fewer than 2 units with data", column=c)


def _groups(key: pd.Series) -> list[tuple[str, np.ndarray]]:
    # positional row indices per group; rows without a group (NA) are dropped by groupby
    indices = key.reset_index(drop=True).groupby(key.to_numpy(), sort=True).indices
    return [(str(code), np.asarray(rows)) for code, rows in indices.items()]


def _mean_all(rec: dict[str, Any], cols: list[str]) -> float:
    vals = [rec[c] for c in cols]
    # the study's average is over all indicators; a mean over a subset would not be comparable
    return float(np.mean(vals)) if not any(math.isnan(v) for v in vals) else np.nan


def capital_share(
    gdf: pd.DataFrame,
    columns: str | Sequence[str],
    by: str = "province_code",
    exclude: str | Iterable[str] | None = "study",
    capital: str = "is_capital",
) -> pd.DataFrame:
    """The capital's share of its group's total (省会首位度 / capital effect), per column + mean.

    .. math::

        s_g = \\frac{x_{c(g)}}{\\sum_{i \\in g} x_i}

    where :math:`c(g)` is the unit flagged as capital in group :math:`g` (unitless, 0–1);
    ``mean`` is the unweighted mean over the columns (the study's "capital share").

    Parameters
    ----------
    gdf : DataFrame or GeoDataFrame
        Prefecture layer joined with indicators; needs ``by`` and the boolean ``capital`` column
        (``is_capital`` of :func:`spatialinno.load_boundaries`).
    columns : str or list of str
        Non-negative indicator columns (totals, not per-capita figures: a share of a sum).
    by : str, default "province_code"
    exclude : "study", None or list of group values, default "study"
        As in :func:`gini_by`: municipalities and Tibet are left out by default.
    capital : str, default "is_capital"
        Boolean column flagging the capital unit of each group.

    Returns
    -------
    pandas.DataFrame
        Indexed by group: ``province``, ``capital`` (its name), ``n_units``, one share column per
        input column, ``mean`` and ``note``. NaN with a note for groups without a capital unit,
        with fewer than 2 units, where the capital has no value or the total is zero. Units with
        missing values are left out of the total with a :class:`~spatialinno.DataWarning` (the
        share is then overstated; the note says so).

    Raises
    ------
    ColumnError
        Missing columns. InputError: negative or infinite values, a group with two capitals.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> cities = pd.DataFrame({
    ...     "province_code": ["A", "A", "A", "B", "B"],
    ...     "name": ["a1", "a2", "a3", "b1", "b2"],
    ...     "is_capital": [True, False, False, False, False],
    ...     "patents": [60.0, 30.0, 10.0, 5.0, 5.0],
    ... })
    >>> t = si.capital_share(cities, "patents")
    >>> t[["capital", "n_units", "patents"]]  # doctest: +NORMALIZE_WHITESPACE
                  capital  n_units  patents
    province_code
    A                  a1        3      0.6
    B                 NaN        2      NaN
    >>> t.loc["B", "note"]
    'no capital unit'
    """
    cols, values, key, labels = _group_frame(gdf, columns, by, "capital_share")
    is_cap = _capital_flags(gdf, capital)
    names = gdf["name"].astype(str).to_numpy() if "name" in gdf.columns else np.array(labels)
    excluded = _resolve_exclude(exclude, by)
    groups = _groups(key)
    # the same units as gini_by: every group not excluded (a one-unit group too)
    _warn_missing(values, _used_rows(groups, lambda code, _: code not in excluded), labels,
                  "capital_share")  # fmt: skip
    caps = {code: rows[is_cap[rows]] for code, rows in groups}
    for code, found in caps.items():
        if found.size > 1:
            raise InputError(
                f"group {code!r} has {found.size} capital units ({list_regions(labels, found)}); "
                f"fix the {capital!r} column so each group flags at most one"
            )

    def capital_name(code: str, rows: np.ndarray) -> dict[str, Any]:
        return {"capital": names[caps[code][0]] if caps[code].size else pd.NA}

    def no_share(code: str, rows: np.ndarray) -> str:
        if caps[code].size == 0:
            return Note("no_capital", "no capital unit")
        return _too_few_units(code, rows)

    def share(code: str, c: str, rows: np.ndarray) -> tuple[float, list[str]]:
        return _share_of(values[c][rows], values[c][caps[code][0]], c)

    records = _group_records(gdf, by, cols, groups, excluded, no_share, share, capital_name)
    table = _finish_table(records, by, cols)
    return _with_labels(table[["province", "capital", "n_units", *cols, "mean", "note"]], gdf, cols)


def _capital_flags(gdf: pd.DataFrame, capital: str) -> np.ndarray:
    """The boolean capital column as a bool array (missing = not a capital), or InputError."""
    require_columns(gdf, capital, "table")
    flag = gdf[capital]
    if not (pd.api.types.is_bool_dtype(flag) or flag.isna().all()):
        uniq = set(flag.dropna().unique().tolist())
        if not uniq <= {0, 1}:  # True == 1, False == 0
            raise InputError(
                f"column {capital!r} must be boolean (True for the capital unit), found values "
                f"{sorted(map(str, uniq))[:5]}"
            )
    return flag.fillna(False).astype(bool).to_numpy()


def _share_of(v: np.ndarray, cap_v: float, c: str) -> tuple[float, list[str]]:
    """The capital's share ``cap_v`` of the group total of column ``c``, with notes."""
    total = np.nansum(v)
    if np.isnan(cap_v):
        return np.nan, [Note("capital_no_value", f"{c}: capital has no value", column=c)]
    if np.count_nonzero(~np.isnan(v)) < 2:
        # the capital alone would trivially hold 100 % of a "total" of one unit
        return np.nan, [_too_few_values(c)]
    if total == 0:
        return np.nan, [Note("total_zero", f"{c}: total is zero", column=c)]
    miss = int(np.isnan(v).sum())
    return cap_v / total, [_left_out(c, miss, total=True)] if miss else []


def location_quotient(gdf: pd.DataFrame, column: str, base: str) -> pd.Series:
    """Location quotient: a unit's share of the indicator over its share of the base.

    .. math::

        LQ_i = \\frac{x_i / X}{b_i / B}, \\quad X = \\sum_i x_i,\\ B = \\sum_i b_i

    e.g. ``column="rd_staff"``, ``base="population"``: LQ > 1 means the unit holds more R&D staff
    than its population share (unitless). Totals are over the units that have both values.

    Parameters
    ----------
    gdf : DataFrame or GeoDataFrame
    column, base : str
        Non-negative columns; ``base`` must be positive where ``column`` has a value.

    Returns
    -------
    pandas.Series
        ``lq_<column>``, aligned with ``gdf`` (NaN where a value or the base is missing, listed in
        a :class:`~spatialinno.DataWarning`).

    Raises
    ------
    ColumnError, InputError
        Missing columns; negative or infinite values; a zero base (regions named); all zero.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> df = pd.DataFrame({"staff": [30.0, 10.0], "population": [50.0, 50.0]})
    >>> si.location_quotient(df, "staff", base="population").tolist()
    [1.5, 0.5]
    """
    if not isinstance(gdf, pd.DataFrame):
        raise InputError(f"location_quotient needs a DataFrame, not {type(gdf).__name__}")
    require_columns(gdf, [column, base], "table")
    labels = list(region_labels(gdf))
    x = numeric_column(gdf, column)
    b = numeric_column(gdf, base)
    both = np.where(np.isnan(b), np.nan, x)
    valid = valid_mask(both, labels, f"{column}/{base}", "location quotient")
    check_non_negative(np.where(valid, b, 0.0), labels, base, "location quotient")
    zero = np.flatnonzero(valid & (b == 0))
    if zero.size:
        raise InputError(
            f"location quotient: base {base!r} is zero at {list_regions(labels, zero)}; the "
            "share of nothing is undefined -- drop those units or use another base"
        )
    inf = np.flatnonzero(np.isinf(b))
    if inf.size:
        raise InputError(f"column {base!r} is infinite at {list_regions(labels, inf)}")
    lq = np.full(x.size, np.nan)
    lq[valid] = (x[valid] / x[valid].sum()) / (b[valid] / b[valid].sum())
    return pd.Series(lq, index=gdf.index, name=f"lq_{column}")


def region_summary(
    frame: pd.DataFrame, columns: str | Sequence[str], by: str = "region"
) -> pd.DataFrame:
    """Mean of each column by region (the "coastal lead": East/Central/West/Northeast).

    Parameters
    ----------
    frame : DataFrame or GeoDataFrame
        Needs ``by`` (``region`` of the boundary layers / ``si.provinces()``) and ``columns``.
    columns : str or list of str
        Numeric columns to average (unweighted mean over units with a value).
    by : str, default "region"
        Group column. With ``"region"`` the rows follow the NBS order east, central, west,
        northeast and a ``region_zh`` column is added.

    Returns
    -------
    pandas.DataFrame
        Indexed by group: ``n_units`` then the mean of each column. Units with missing values or
        without a group are left out of the means and listed in a
        :class:`~spatialinno.DataWarning`.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> df = pd.DataFrame({"region": ["east", "east", "west"], "gini": [0.4, 0.6, 0.7]})
    >>> si.region_summary(df, "gini")  # doctest: +NORMALIZE_WHITESPACE
           region_zh  n_units  gini
    region
    east          东部        2   0.5
    west          西部        1   0.7
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"region_summary needs a DataFrame, not {type(frame).__name__}")
    cols = require_columns(frame, columns, "table")
    require_columns(frame, by, "table")
    labels = list(region_labels(frame))
    values = {c: numeric_column(frame, c) for c in cols}
    key = frame[by]
    nokey = key.isna().to_numpy()
    if nokey.any():
        warn_left_out("region_summary", np.flatnonzero(nokey), labels, f"without a {by!r} left out",
                      reason="group", column=by)  # fmt: skip
    present = np.flatnonzero(~nokey)
    _warn_missing(values, present, labels, "region_summary")
    data = pd.DataFrame({c: values[c] for c in cols}, index=frame.index)
    data[by] = key
    data = data[~nokey]
    grouped = data.groupby(by, sort=True)
    table = grouped[cols].mean()
    table.insert(0, "n_units", grouped.size())
    if by == "region":
        order = [r for r in REGIONS if r in table.index]
        order += [r for r in table.index if r not in REGIONS]
        table = table.loc[order]
        table.insert(0, "region_zh", [REGION_ZH.get(r, pd.NA) for r in table.index])
    return table
