"""Resolving the cities of a network to boundary units, exactly like the rows of a table.

Every city value (6-digit code, 9-digit "156"+code, 12-digit statistical code, full, short,
traditional, English or former name) goes through :func:`spatialinno.match_regions`; a value that
resolves to no unit is listed with the reason and never dropped silently.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from ..._errors import DataWarning, JoinError

__all__ = ["handle_unmatched", "resolve", "resolve_columns", "unit_table", "unmatched_table"]


@lru_cache(maxsize=4)
def unit_table(level: str) -> pd.DataFrame:
    """Attribute table of a boundary layer plus the representative point (EPSG:4490 degrees)."""
    from ...boundaries.load import load_boundaries

    layer = load_boundaries(level)
    # representative_point lies inside the polygon (a centroid may fall outside, e.g. in a bay);
    # computed on the full-resolution layer so it does not move with web simplification.
    points = layer.geometry.representative_point()
    units = pd.DataFrame(layer.drop(columns="geometry"))
    units["lon"] = points.x.to_numpy()
    units["lat"] = points.y.to_numpy()
    return units.set_index("code", drop=False)


def resolve(values: Iterable[object], level: str, merge_history: bool = False) -> pd.DataFrame:
    """One row per distinct city spelling: value, code (None if unmatched), how, note, candidates.

    Delegates to :func:`spatialinno.match_regions`, so cities resolve exactly like the rows of an
    indicator table: 6-digit codes, 9-digit "156"+code, 12-digit statistical codes, full, short,
    traditional, English and former names. A name shared by several units is reported as
    ambiguous, never guessed.
    """
    from ...tables.match import match_regions

    distinct = pd.Series(pd.unique(pd.Series(list(values), dtype=object)), dtype=object)
    # an unusual column name: match_regions treats columns called "city"/"province" as context
    m = match_regions(
        pd.DataFrame({"_si_city": distinct}), level, key="_si_city", merge_history=merge_history
    )
    codes = [c if isinstance(c, str) else None for c in m["code"].tolist()]
    return pd.DataFrame(
        {
            "value": pd.Series(distinct.tolist(), dtype=object),
            # object dtype keeps None (a str column would turn it into NaN, a float)
            "code": pd.Series(codes, dtype=object),
            "how": m["how"].tolist(),
            "note": m["note"].tolist(),
            "candidates": m["candidates"].tolist(),
        }
    )


def unmatched_table(
    matches: pd.DataFrame, flat_values: Sequence[object], rows: Sequence[int]
) -> pd.DataFrame:
    """value, how, note, candidates, n_rows, first_row of every spelling that did not resolve."""
    code_of = dict(zip(matches["value"], matches["code"], strict=True))
    where: dict[object, list[int]] = {}
    for v, i in zip(flat_values, rows, strict=True):
        if code_of[v] is None:
            where.setdefault(v, []).append(i)
    info = matches.set_index("value")
    return pd.DataFrame(
        [
            {
                "value": v,
                "how": info.loc[v, "how"],
                "note": info.loc[v, "note"],
                "candidates": info.loc[v, "candidates"],
                "n_rows": len(set(r)),
                "first_row": min(r),
            }
            for v, r in where.items()
        ],
        columns=["value", "how", "note", "candidates", "n_rows", "first_row"],
    )


def _unmatched_message(unmatched: pd.DataFrame, level: str, what: str) -> str:
    lines = []
    for r in unmatched.head(15).itertuples():
        hint = f"; closest: {', '.join(r.candidates[:3])}" if len(r.candidates) else ""
        lines.append(f"  {r.value!r}: {r.how}, {r.n_rows} row(s), first row {r.first_row}{hint}")
    more = f"\n  ... and {len(unmatched) - 15} more" if len(unmatched) > 15 else ""
    history = (
        "\nUnits marked 'defunct' were merged into another (莱芜 -> 济南, 2019): pass "
        "merge_history=True to count them as their successor."
        if (unmatched["how"] == "defunct").any()
        else ""
    )
    return (
        f"{len(unmatched)} city value(s) in {what} match no {level} unit of the boundary layer:\n"
        + "\n".join(lines)
        + more
        + "\nFix the spelling or use the 6-digit code (see si.load_boundaries("
        f"{level!r})[['code', 'name']]), or pass on_unmatched='drop' to leave those rows out "
        "(they are then listed in net.report.unmatched)." + history
    )


def resolve_columns(
    cells: dict[str, list[object]],
    level: str,
    on_unmatched: str,
    what: str,
    merge_history: bool,
) -> tuple[dict[str, list[str | None]], pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Resolve every city value; returns codes per column, matches, unmatched, bad-row mask."""
    values = [v for col in cells.values() for v in col]
    n = len(next(iter(cells.values()))) if cells else 0
    rows = [i for _ in cells for i in range(n)]
    matches = resolve(values, level, merge_history)
    code_of = dict(zip(matches["value"], matches["code"], strict=True))
    codes = {col: [code_of[v] for v in vals] for col, vals in cells.items()}
    bad = np.zeros(n, dtype=bool)
    for col_codes in codes.values():
        bad |= np.array([c is None for c in col_codes], dtype=bool)
    unmatched = unmatched_table(matches, values, rows)
    handle_unmatched(unmatched, int(bad.sum()), level, what, on_unmatched)
    return codes, matches, unmatched, bad


def handle_unmatched(
    unmatched: pd.DataFrame, n_rows: int, level: str, what: str, on_unmatched: str
) -> None:
    """Raise JoinError (default) or warn: an unmatched city is never dropped silently."""
    if not len(unmatched):
        return
    if on_unmatched == "raise":
        raise JoinError(_unmatched_message(unmatched, level, what), report=unmatched)
    warnings.warn(
        f"{n_rows} row(s) of {what} lost a city: {len(unmatched)} value(s) match no {level} "
        f"unit ({', '.join(map(repr, unmatched['value'].head(10)))}); see net.report.unmatched",
        DataWarning,
        stacklevel=4,
    )
