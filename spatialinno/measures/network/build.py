"""Building a network: edge tables and co-application records -> one graph per year.

Self-loops and zero weights are dropped and counted; undirected networks sum A->B and B->A; cities
resolve to boundary units as in :mod:`spatialinno.measures.network.cities`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from shapely.geometry import Point

from ..._errors import InputError
from ..._validate import POLYGON_LEVELS, check_level, list_regions, require_columns
from .cities import handle_unmatched, resolve, resolve_columns, unit_table, unmatched_table
from .report import NetworkReport
from .result import CityNetwork

__all__ = ["city_network", "network_from_records"]

# OrRd, dark to light: the strongest tier is the most visible dot on the map and in QGIS
# separators of a city list written in one cell: ; , | and the Chinese ；，、
_CITY_SEP = re.compile(r"[;,|；，、]")
_UNMATCHED = ("raise", "drop")


def _check_frame(frame: object, what: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{what} must be a pandas DataFrame, not {type(frame).__name__}")
    return frame


def _rows_text(positions: Sequence[int]) -> str:
    """Row positions for a message: the first ten, then how many more."""
    return list_regions(positions, range(len(positions)))


def _weights(frame: pd.DataFrame, weight: str | None, what: str) -> np.ndarray:
    if weight is None:
        return np.ones(len(frame))
    series = frame[weight]
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.flatnonzero(np.isnan(values) & series.notna().to_numpy())
    if bad.size:
        raise InputError(
            f"weight column {weight!r} of the {what} must be numeric but has "
            f"{series.iloc[bad[0]]!r} at row {bad[0]}; clean it or convert with pandas.to_numeric"
        )
    missing = np.flatnonzero(np.isnan(values))
    if missing.size:
        raise InputError(
            f"weight column {weight!r} of the {what} is missing at row(s) "
            f"{_rows_text(missing.tolist())}; fill the weights or drop those rows"
        )
    negative = np.flatnonzero(values < 0)
    if negative.size:
        raise InputError(
            f"weight column {weight!r} of the {what} is negative at row(s) "
            f"{_rows_text(negative.tolist())} (first value {values[negative[0]]:g}); tie weights "
            "must be counts or volumes >= 0"
        )
    if not np.isfinite(values).all():
        raise InputError(f"weight column {weight!r} of the {what} has infinite values")
    return values


def _years(frame: pd.DataFrame, year: str | None, what: str) -> list[Hashable]:
    if year is None:
        return [None] * len(frame)
    series = frame[year]
    missing = np.flatnonzero(series.isna().to_numpy())
    if missing.size:
        raise InputError(
            f"year column {year!r} of the {what} is missing at row(s) "
            f"{_rows_text(missing.tolist())}; fill it or drop those rows"
        )
    return [v.item() if isinstance(v, np.generic) else v for v in series.tolist()]


def _check_options(level: str, on_unmatched: str) -> str:
    level = check_level(level, POLYGON_LEVELS)
    if on_unmatched not in _UNMATCHED:
        raise InputError(
            f"on_unmatched must be one of {', '.join(map(repr, _UNMATCHED))}, not {on_unmatched!r}"
        )
    return level


def _assemble(
    records: pd.DataFrame,
    level: str,
    directed: bool,
    report_counts: dict[str, Any],
    matches: pd.DataFrame,
    unmatched: pd.DataFrame,
    source: str | None,
) -> CityNetwork:
    """Build the graphs from clean records (year, u, v, w): drop self-loops and zero weights."""
    table = unit_table(level)
    loops = records[records["u"] == records["v"]]
    self_loops = (
        loops.groupby(["year", "u"], dropna=False, sort=True)["w"]
        .agg(["sum", "size"])
        .reset_index()
        .rename(columns={"u": "code", "sum": "weight", "size": "n_rows"})
    )
    self_loops.insert(2, "name", table.loc[self_loops["code"], "name"].to_numpy())
    records = records[records["u"] != records["v"]]
    zero = records["w"] == 0
    records = records[~zero]
    n_reciprocal = 0
    if not directed:
        records, n_reciprocal = _undirected(records)
    edges = (
        records.groupby(["year", "u", "v"], dropna=False, sort=True)["w"]
        .agg(["sum", "size"])
        .reset_index()
    )
    # every year of the input gets a graph, even one whose rows were all dropped (empty graph)
    years = sorted(dict.fromkeys(report_counts.pop("years")), key=_year_sort) or [None]
    graphs = {y: _graph(edges, y, directed, table) for y in years}
    report = NetworkReport(
        n_rows=report_counts["n_rows"],
        n_self_loops=len(loops),
        n_zero_weight=int(zero.sum()),
        n_reciprocal=n_reciprocal,
        n_single_city=report_counts.get("n_single_city", 0),
        n_unmatched_rows=report_counts["n_unmatched_rows"],
        self_loops=self_loops,
        unmatched=unmatched,
        matches=matches,
    )
    return CityNetwork(graphs, level=level, directed=directed, report=report, source=source)


def _undirected(records: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Records keyed by unordered pair (u < v), so A->B and B->A rows are summed into one edge
    (the documented rule), and the number of pairs recorded in both directions."""
    u = records["u"].to_numpy(dtype=object)
    v = records["v"].to_numpy(dtype=object)
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    both = records.assign(forward=u == lo, u=lo, v=hi)
    directions = both.groupby(["year", "u", "v"], dropna=False)["forward"].nunique()
    return both, int((directions == 2).sum())


def _graph(edges: pd.DataFrame, year: Hashable, directed: bool, table: pd.DataFrame) -> nx.Graph:
    """The graph of one year: its cities as nodes (attributes from the unit table), its edges."""
    g = nx.DiGraph() if directed else nx.Graph()
    part = edges[edges["year"] == year] if year is not None else edges[edges["year"].isna()]
    codes = pd.unique(pd.concat([part["u"], part["v"]], ignore_index=True))
    for c in sorted(codes):
        unit = table.loc[c]
        lon, lat = float(unit["lon"]), float(unit["lat"])
        g.add_node(c, code=c, name=unit["name"], name_en=unit["name_en"],
                   province=unit["province"], province_code=unit["province_code"], lon=lon,
                   lat=lat, point=Point(lon, lat))  # fmt: skip
    for a, b, w, n in zip(part["u"], part["v"], part["sum"], part["size"], strict=True):
        g.add_edge(a, b, weight=float(w), n_records=int(n), distance=1.0 / float(w))
    return g


def _year_sort(y: Hashable) -> tuple[int, str]:
    return (0, "") if y is None else (1, f"{y!s:>12}")


def city_network(
    edges: pd.DataFrame,
    source: str,
    target: str,
    weight: str | None = None,
    year: str | None = None,
    level: str = "prefecture",
    directed: bool = False,
    on_unmatched: str = "raise",
    merge_history: bool = False,
    source_note: str | None = None,
) -> CityNetwork:
    """Inter-city network from an edge table (one row per tie record).

    Parameters
    ----------
    edges : pandas.DataFrame
        One row per record of a tie between two cities.
    source, target : str
        Columns with the two cities: 6-digit codes, 9-digit ``"156"`` + code, or names (Chinese,
        short, traditional, English), resolved on the boundary layer of ``level``.
    weight : str, optional
        Numeric column (>= 0) with the record's weight (count of patents, routes ...); default
        each row counts 1. Rows of the same pair are summed.
    year : str, optional
        Column with the year: one graph per year. Default one graph.
    level : {"prefecture", "province", "county"}
    directed : bool, default False
        Undirected: A→B and B→A rows are summed into one edge {A, B}. Directed: they stay two
        edges.
    on_unmatched : {"raise", "drop"}
        A city that resolves to no unit raises :class:`~spatialinno.JoinError` listing every such
        value (default), or with ``"drop"`` its rows are left out with a warning and listed in
        ``net.report.unmatched``.
    merge_history : bool, default False
        A city merged into another (莱芜 371200 -> 济南 370100, 2019) is unmatched (``defunct``)
        by default; True resolves it to its successor (see :func:`spatialinno.match_regions`).
    source_note : str, optional
        Where the data come from (shown in maps and exports), e.g.
        ``"OpenFlights (ODbL)"``.

    Returns
    -------
    CityNetwork
        Self-loops and zero-weight rows are dropped and counted in ``net.report``.

    Examples
    --------
    The June 2014 airline network (OpenFlights, ODbL), one row per direction:

    >>> import spatialinno as si
    >>> air = si.load_dataset("air_routes_2014")
    >>> net = si.city_network(air, "gb_o", "gb_d", weight="n_route_records", year="year",
    ...                       source_note="OpenFlights (ODbL)")
    >>> net
    CityNetwork(undirected, level='prefecture'; 2014: 161 nodes / 1285 edges)
    >>> net.report.n_reciprocal, net.report.n_self_loops
    (1284, 0)
    """
    edges = _check_frame(edges, "edge table")
    level = _check_options(level, on_unmatched)
    cols = [source, target] + [c for c in (weight, year) if c is not None]
    require_columns(edges, cols, "edge table")
    if source == target:
        raise InputError(f"source and target are the same column {source!r}; name two columns")
    for col in (source, target):
        missing = np.flatnonzero(edges[col].isna().to_numpy())
        if missing.size:
            raise InputError(
                f"column {col!r} of the edge table has no city at row(s) "
                f"{_rows_text(missing.tolist())}; fill the cities or drop those rows"
            )
    w = _weights(edges, weight, "edge table")
    yrs = _years(edges, year, "edge table")
    codes, matches, unmatched, bad = resolve_columns(
        {source: edges[source].tolist(), target: edges[target].tolist()},
        level,
        on_unmatched,
        "the edge table",
        merge_history,
    )
    records = pd.DataFrame({"year": yrs, "u": codes[source], "v": codes[target], "w": w})[~bad]
    return _assemble(
        records,
        level,
        directed,
        {"n_rows": len(edges), "n_unmatched_rows": int(bad.sum()), "years": yrs},
        matches,
        unmatched,
        source_note,
    )


def _split_cities(cell: object, row: int, column: str) -> list[object]:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return []
    if isinstance(cell, str):
        return [p.strip() for p in _CITY_SEP.split(cell) if p.strip()]
    if isinstance(cell, (list, tuple, set, frozenset, np.ndarray, pd.Series)):
        out = []
        for item in cell:
            if item is None or (isinstance(item, float) and math.isnan(item)):
                continue
            out.append(item.strip() if isinstance(item, str) else item)
        return [x for x in out if x != ""]
    if isinstance(cell, (int, np.integer)):
        return [cell]
    raise InputError(
        f"column {column!r} at row {row} holds {type(cell).__name__} {cell!r}; expected a list "
        "of cities or a string separated by ';' or ','"
    )


def network_from_records(
    records: pd.DataFrame,
    cities: str = "applicant_cities",
    year: str | None = None,
    weight: str | None = None,
    level: str = "prefecture",
    on_unmatched: str = "raise",
    merge_history: bool = False,
    source_note: str | None = None,
) -> CityNetwork:
    """Co-occurrence network from records that each name several cities (e.g. co-applied patents).

    Every record links all unordered pairs of the distinct cities it names; the weight of a pair
    is the number of records (or the sum of ``weight``) naming both. A city named twice in one
    record (or by two spellings of one unit) counts once, so no self-loop arises; records with
    fewer than two distinct cities make no tie and are counted in ``net.report.n_single_city``.

    Parameters
    ----------
    records : pandas.DataFrame
        One row per patent (or project).
    cities : str
        Column with a list of cities or one string separated by ``;``, ``,``, ``|``, ``；``,
        ``，`` or ``、``; codes or names as in :func:`city_network`.
    year, weight, level, on_unmatched, merge_history, source_note
        As in :func:`city_network`. ``on_unmatched="drop"`` drops the unmatched *city* from its
        record and keeps the rest of the record.

    Returns
    -------
    CityNetwork
        Undirected.

    Examples
    --------
    >>> import pandas as pd, spatialinno as si
    >>> patents = pd.DataFrame({"applicant_cities": ["北京市;上海市;深圳市", "北京市,北京市,上海市",
    ...                                              ["广州市"]]})
    >>> net = si.network_from_records(patents)
    >>> net.to_frames()[1][["source_name", "target_name", "weight"]]
      source_name target_name  weight
    0         北京市         上海市     2.0
    1         北京市         深圳市     1.0
    2         上海市         深圳市     1.0
    >>> net.report.n_single_city
    1
    """
    records = _check_frame(records, "record table")
    level = _check_options(level, on_unmatched)
    require_columns(
        records, [cities] + [c for c in (weight, year) if c is not None], "record table"
    )
    w = _weights(records, weight, "record table")
    yrs = _years(records, year, "record table")
    lists = [_split_cities(c, i, cities) for i, c in enumerate(records[cities].tolist())]
    flat = [v for lst in lists for v in lst]
    row_of = [i for i, lst in enumerate(lists) for _ in lst]
    matches = resolve(flat, level, merge_history)
    code_of = dict(zip(matches["value"], matches["code"], strict=True))
    unmatched = unmatched_table(matches, flat, row_of)
    n_unmatched_rows = len({i for v, i in zip(flat, row_of, strict=True) if code_of[v] is None})
    handle_unmatched(unmatched, n_unmatched_rows, level, f"column {cities!r}", on_unmatched)
    rows_u, rows_v, rows_w, rows_y = [], [], [], []
    single = 0
    for i, lst in enumerate(lists):
        codes = sorted({code_of[v] for v in lst if code_of[v] is not None})
        if len(codes) < 2:
            single += 1
            continue
        for a in range(len(codes)):
            for b in range(a + 1, len(codes)):
                rows_u.append(codes[a])
                rows_v.append(codes[b])
                rows_w.append(w[i])
                rows_y.append(yrs[i])
    pairs = pd.DataFrame(
        {"year": pd.Series(rows_y, dtype=object), "u": rows_u, "v": rows_v, "w": rows_w}
    )
    return _assemble(
        pairs,
        level,
        False,
        {
            "n_rows": len(records),
            "n_unmatched_rows": n_unmatched_rows,
            "n_single_city": single,
            "years": yrs,
        },
        matches,
        unmatched,
        source_note,
    )
