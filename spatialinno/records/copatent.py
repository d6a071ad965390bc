"""Co-patent records to an inter-city network (``si.copatent_network``).

A patent applied for by several applicants links the cities of those applicants. From raw
records (one row per patent and applicant, with the applicant's address as text) the network is
built in four steps:

1. **Locate** every applicant's address with :func:`spatialinno.locate` (the level asked:
   prefecture by default). Applicants that cannot be located are counted by reason
   (``ambiguous``, ``defunct``, ``too_coarse``, ``not_found``, ``empty``).
2. **Keep** the patents with at least two located applicants (located in one city or several).
   Patents with one applicant, or with fewer than two located applicants, are counted and left
   out.
3. **Pair** the distinct cities of each kept patent: a patent whose applicants sit in *k*
   distinct cities gives :math:`P = k(k-1)/2` city pairs. Two or more applicants in the same city
   are a *same-city collaboration*, counted per city and year in the report; it is not an edge
   (no self-loop).
4. **Weigh** each pair. *Full counting*: every distinct pair counts 1 per patent, so the weight of
   an edge is the number of patents its two cities share (the convention of the reference study
   and of most co-patent network papers). *Fractional counting*: each patent's pairs share one
   unit of weight, :math:`1/P` per pair, so every co-patent carries the same total weight whatever
   its number of cities -- the "fractional counting" of bibliometric networks, in the variant
   where each publication has total link weight 1 (Perianes-Rodriguez, Waltman & van Eck 2016,
   *J. Informetrics* 10(4):1178-1195, who compare full and fractional counting; Batagelj &
   Cerinšek 2013, *Scientometrics* 96:845-864, for normalised two-mode products).

The weights are exact: every bucket of work returns integer counts per (year, pair, *P*), and the
fractional weight :math:`\\sum_P n_P / P` is computed once at the end with ``math.fsum``, so the
pandas, file and dask engines (:mod:`~spatialinno.records.sources`) give identical networks.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

import spatialinno as si
from spatialinno._errors import InputError

from .gazetteer import LEVEL_NAMES
from .locate import HOW, HOW_FAILED, HOW_LOCATED, Locator
from .sources import bucket_of, engine_of, map_reduce

__all__ = ["COUNTINGS", "CopatentReport", "copatent_network"]

COUNTINGS: tuple[str, ...] = ("full", "fractional")
_NO_YEAR = -1  # year key of records without a year column
_EXAMPLES = 10  # unlocated addresses kept per reason in the report
_PIECES = ("edges", "same_city", "per_year", "applicants", "conflicts")


@dataclass(frozen=True)
class _Spec:
    patent: str
    address: str
    year: str | None
    applicant: str | None
    sep: str | None
    level: int

    @property
    def columns(self) -> list[str]:
        cols = [self.patent, self.address, self.year, self.applicant]
        return list(dict.fromkeys(c for c in cols if c is not None))


@dataclass(frozen=True, eq=False)
class CopatentReport:
    """What happened to the records on the way to the co-patent network.

    Attributes
    ----------
    counting, level : str
    n_records : int
        Rows read (long form: one per patent and applicant; wide form: one per patent).
    n_patents : int
        Distinct patent ids.
    n_applicants : int
        Applicant entries (after dropping repeated (patent, applicant) pairs when ``applicant=``
        is given).
    n_located : int
        Applicants located at ``level``.
    n_kept : int
        Patents with at least two located applicants.
    applicants : pandas.DataFrame
        ``how``, ``located`` (bool), ``n``: applicants per ``how`` of :func:`spatialinno.locate`.
    dropped : pandas.DataFrame
        ``reason`` (``single_applicant``, ``under_two_located``), ``n_patents``.
    per_year : pandas.DataFrame
        ``year``, ``patents`` (read), ``kept``, ``inter_city`` (kept patents with at least one
        city pair), ``same_city_only`` (kept, all located applicants in one city), ``pairs``
        (city-pair incidences, :math:`\\sum P`), ``edges`` (distinct pairs), ``weight`` (sum of
        edge weights: equals ``pairs`` with full counting, ``inter_city`` with fractional).
    same_city : pandas.DataFrame
        ``year``, ``code``, ``name``, ``n_patents``: patents with two or more applicants located
        in the same unit (same-city collaboration; not an edge).
    examples : pandas.DataFrame
        ``how``, ``address``: up to 10 unlocated addresses per reason, to fix the input.
    n_year_conflicts : int
        Patents whose rows disagree on the year (the earliest is used).
    network : NetworkReport
        The report of the underlying :func:`spatialinno.city_network` build.
    """

    counting: str
    level: str
    n_records: int
    n_patents: int
    n_applicants: int
    n_located: int
    n_kept: int
    applicants: pd.DataFrame
    dropped: pd.DataFrame
    per_year: pd.DataFrame
    same_city: pd.DataFrame
    examples: pd.DataFrame
    n_year_conflicts: int
    network: Any = field(repr=False)

    def __repr__(self) -> str:
        failed = self.applicants[~self.applicants["located"]]
        reasons = ", ".join(f"{h} {n}" for h, n in zip(failed["how"], failed["n"], strict=True))
        return (
            f"CopatentReport({self.counting} counting, level={self.level!r}: "
            f"{self.n_records} records, {self.n_patents} patents, {self.n_kept} kept; "
            f"{self.n_located} of {self.n_applicants} applicants located"
            + (f"; not located: {reasons}" if reasons else "")
            + ")"
        )

    def to_frame(self) -> pd.DataFrame:
        """The counts as a one-row DataFrame."""
        return pd.DataFrame(
            [
                {
                    "counting": self.counting,
                    "level": self.level,
                    "n_records": self.n_records,
                    "n_patents": self.n_patents,
                    "n_applicants": self.n_applicants,
                    "n_located": self.n_located,
                    "n_kept": self.n_kept,
                    "n_year_conflicts": self.n_year_conflicts,
                }
            ]
        )


# --------------------------------------------------------------------------------------------
# map: one chunk of records -> located applicants per patent, split into buckets
# --------------------------------------------------------------------------------------------
_LOCATORS: dict[str, Locator] = {}


def _locator() -> Locator:
    """One locator (and cache) per process: dask workers build theirs on first use."""
    if "locator" not in _LOCATORS:
        _LOCATORS["locator"] = Locator()
    return _LOCATORS["locator"]


def _bad_rows(mask: np.ndarray, where: str) -> str:
    rows = np.flatnonzero(mask)
    shown = ", ".join(map(str, rows[:5])) + (f" and {rows.size - 5} more" if rows.size > 5 else "")
    return f"row(s) {shown} ({where}, counted from 0)"


def _years(values: pd.Series, spec: _Spec, where: str) -> np.ndarray:
    if spec.year is None:
        return np.full(len(values), _NO_YEAR, dtype=np.int64)
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(numbers) | (numbers != np.round(numbers))
    if bad.any():
        first = values.iloc[int(np.flatnonzero(bad)[0])]
        raise InputError(
            f"year column {spec.year!r} must hold whole years but has {first!r} at "
            f"{_bad_rows(bad, where)}; fill or fix the years, or pass year=None for one network"
        )
    return numbers.astype(np.int64)


def _split_cells(series: pd.Series, sep: str | None, column: str, where: str) -> pd.Series:
    """Wide form: a list per cell (a Python list/array, or text separated by ``sep``)."""

    def cell(value: object) -> list:
        if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
            return [None if v is None or (isinstance(v, float) and v != v) else v for v in value]
        if value is None or (isinstance(value, float) and value != value):
            return []
        if isinstance(value, str) and sep is not None:
            return [part.strip() for part in value.split(sep)]
        return [value]

    return series.map(cell)


def _long_form(chunk: pd.DataFrame, spec: _Spec, where: str) -> pd.DataFrame:
    """patent, year, address (and applicant) with one row per applicant."""
    patents = chunk[spec.patent]
    missing = patents.isna().to_numpy()
    if missing.any():
        raise InputError(
            f"patent column {spec.patent!r} is empty at {_bad_rows(missing, where)}; every record "
            "needs the patent's id (application number)"
        )
    if not (pd.api.types.is_string_dtype(patents) or pd.api.types.is_integer_dtype(patents)):
        patents = patents.astype(str)
    # columns stay as read (pyarrow strings from CSV/Parquet): converting millions of values to
    # Python objects would cost more than locating them
    long = pd.DataFrame(
        {
            "patent": patents.reset_index(drop=True),
            "year": _years(chunk[spec.year], spec, where)
            if spec.year
            else _years(patents, spec, where),
        }
    )
    address = chunk[spec.address].reset_index(drop=True)
    kind = pd.api.types.infer_dtype(address, skipna=True)
    if spec.sep is None and kind in ("string", "empty"):
        long["address"] = address
        if spec.applicant:
            long["applicant"] = chunk[spec.applicant].reset_index(drop=True)
        return long
    long["address"] = _split_cells(address, spec.sep, spec.address, where).to_numpy()
    explode = ["address"]
    if spec.applicant:
        long["applicant"] = _split_cells(
            chunk[spec.applicant], spec.sep, spec.applicant, where
        ).to_numpy()
        sizes = long["address"].map(len).to_numpy() != long["applicant"].map(len).to_numpy()
        if sizes.any():
            raise InputError(
                f"wide form: columns {spec.address!r} and {spec.applicant!r} list a different "
                f"number of entries at {_bad_rows(sizes, where)}; each applicant needs its address"
            )
        explode.append("applicant")
    return long.explode(explode, ignore_index=True)


def _map_chunk(
    chunk: pd.DataFrame, n_buckets: int, where: str, spec: _Spec
) -> tuple[list[pd.DataFrame], dict[str, Any]]:
    """Locate one chunk; per (patent, year, unit, how) applicant counts, split into buckets."""
    long = _long_form(chunk, spec, where)
    what = f"address column {spec.address!r} ({where})"
    positions, results, uniques = _locator().locate_array(
        long["address"], spec.level, notes=False, what=what
    )
    index = _unit_index(spec.level)
    how_code = {h: i for i, h in enumerate(HOW)}
    unit_r = np.array(
        [index.get(r[spec.level], -1) if r[3] in HOW_LOCATED else -1 for r in results]
    )
    how_r = np.array([how_code[r[3]] for r in results], dtype=np.int8)
    part = pd.DataFrame(
        {
            "patent": long["patent"],
            "year": long["year"].to_numpy(dtype=np.int64),
            "unit": unit_r[positions].astype(np.int32),
            "how": how_r[positions],
        }
    )
    if spec.applicant:
        part["applicant"] = pd.util.hash_pandas_object(
            long["applicant"].astype(str), index=False
        ).to_numpy()
        part = _one_per_applicant(part)
        part["n"] = np.int64(1)
    else:
        part = (
            part.groupby(["patent", "year", "unit", "how"], sort=False)
            .size()
            .rename("n")
            .reset_index()
        )
    bucket = bucket_of(part["patent"], n_buckets)
    buckets = [part[bucket == k] for k in range(n_buckets)] if n_buckets > 1 else [part]
    return buckets, {
        "records": len(chunk),
        "examples": _examples(uniques, results, bool((positions < 0).any())),
    }


def _one_per_applicant(part: pd.DataFrame) -> pd.DataFrame:
    """One row per (patent, applicant) whatever the row order: a located entry before an
    unlocated one, then the first ``how`` of :data:`HOW`, then the lowest unit."""
    rank = (part["unit"].to_numpy() < 0).astype(np.int64) << 40
    rank |= part["how"].to_numpy().astype(np.int64) << 32
    rank |= part["unit"].to_numpy().astype(np.int64) + 1
    order = np.argsort(rank, kind="stable")
    return part.iloc[order].drop_duplicates(["patent", "applicant"])


def _examples(uniques: list, results: list[tuple], missing: bool) -> list[tuple[str, object]]:
    """Up to 10 distinct unlocated addresses per reason (``None`` when values were missing)."""
    out: dict[str, list[object]] = {}
    for value, result in zip(uniques, results, strict=False):  # results[-1]: missing values
        items = out.setdefault(result[3], [])
        if result[3] not in HOW_LOCATED and len(items) < _EXAMPLES:
            items.append(value)
    if missing:
        out.setdefault("empty", []).insert(0, None)
    return [(how, a) for how, items in out.items() for a in items[:_EXAMPLES]]


_UNIT_INDEX: dict[int, dict[str, int]] = {}


def _unit_index(level: int) -> dict[str, int]:
    if level not in _UNIT_INDEX:
        codes = _locator().gazetteer.unit_codes(level)
        _UNIT_INDEX[level] = {c: i for i, c in enumerate(codes)}
    return _UNIT_INDEX[level]


# --------------------------------------------------------------------------------------------
# reduce: one bucket (all rows of its patents) -> integer counts
# --------------------------------------------------------------------------------------------
def _reduce_bucket(frames: list[pd.DataFrame], spec: _Spec) -> dict[str, pd.DataFrame]:
    """Pairs, same-city collaborations and counts of the patents of one bucket."""
    part = pd.concat(frames, ignore_index=True) if frames else None
    if part is None or part.empty:
        return {}
    if spec.applicant:  # the same applicant listed twice for a patent, across chunks too
        part = _one_per_applicant(part)
    pid = pd.factorize(part["patent"])[0]
    n = part["n"].to_numpy(dtype=np.int64)
    unit = part["unit"].to_numpy()
    years = part.groupby(pid)["year"].agg(["min", "max"])
    year_of = years["min"].to_numpy()
    n_app = np.bincount(pid, weights=n).astype(np.int64)
    located = unit >= 0
    n_loc = np.bincount(pid[located], weights=n[located], minlength=len(n_app)).astype(np.int64)
    kept = n_loc >= 2
    rows = located & kept[pid]
    cities = (
        pd.DataFrame({"pid": pid[rows], "unit": unit[rows], "n": n[rows]})
        .groupby(["pid", "unit"], sort=True)["n"]
        .sum()
        .reset_index()
    )
    k = np.bincount(cities["pid"], minlength=len(n_app))
    n_pairs = k * (k - 1) // 2
    same = cities[cities["n"] >= 2]
    multi = cities.loc[k[cities["pid"]] >= 2, ["pid", "unit"]]
    pairs = multi.merge(multi, on="pid")
    pairs = pairs[pairs["unit_x"] < pairs["unit_y"]]
    edges = pd.DataFrame(
        {
            "year": year_of[pairs["pid"]],
            "u": pairs["unit_x"].to_numpy(),
            "v": pairs["unit_y"].to_numpy(),
            "P": n_pairs[pairs["pid"]],
        }
    )
    per_year = pd.DataFrame(
        {
            "year": year_of,
            "patents": 1,
            "kept": kept,
            "inter_city": kept & (k >= 2),
            "same_city_only": kept & (k == 1),
            "single_applicant": n_app == 1,
            "under_two_located": (n_app >= 2) & ~kept,
            "pairs": np.where(kept, n_pairs, 0),
        }
    )
    return {
        "edges": edges.groupby(["year", "u", "v", "P"]).size().rename("n").reset_index(),
        "same_city": pd.DataFrame({"year": year_of[same["pid"]], "unit": same["unit"].to_numpy()})
        .groupby(["year", "unit"])
        .size()
        .rename("n")
        .reset_index(),
        "per_year": per_year.groupby("year").sum().reset_index(),
        "applicants": part.groupby("how")["n"].sum().reset_index(),
        "conflicts": pd.DataFrame({"n": [int((years["min"] != years["max"]).sum())]}),
    }


def _combine(outputs: list[dict[str, pd.DataFrame]], name: str, keys: list[str]) -> pd.DataFrame:
    frames = [o[name] for o in outputs if name in o and len(o[name])]
    if not frames:
        return pd.DataFrame(columns=[*keys, *_VALUE_COLUMNS[name]])
    table = pd.concat(frames, ignore_index=True)
    return table.groupby(keys, sort=True).sum().reset_index()


_VALUE_COLUMNS = {
    "edges": ["n"],
    "same_city": ["n"],
    "per_year": [
        "patents",
        "kept",
        "inter_city",
        "same_city_only",
        "single_applicant",
        "under_two_located",
        "pairs",
    ],
    "applicants": ["n"],
}


# --------------------------------------------------------------------------------------------
# finish: counts -> CityNetwork + report
# --------------------------------------------------------------------------------------------
def _edge_weights(edges: pd.DataFrame, counting: str) -> pd.DataFrame:
    """year, u, v, n_patents, weight; fractional weights summed in a fixed order (exact repeats)."""
    edges = edges.sort_values(["year", "u", "v", "P"], kind="stable")
    edges["w"] = edges["n"] / edges["P"] if counting == "fractional" else edges["n"].astype(float)
    out = edges.groupby(["year", "u", "v"], sort=False).agg(
        n_patents=("n", "sum"), weight=("w", "sum")
    )
    return out.reset_index()


def _network(weights: pd.DataFrame, spec: _Spec, years: list[int], source_note: str | None) -> Any:
    import networkx as nx

    codes = _locator().gazetteer.unit_codes(spec.level)
    level = LEVEL_NAMES[spec.level]
    table = pd.DataFrame(
        {
            "year": weights["year"].to_numpy(),
            "source": [codes[i] for i in weights["u"]],
            "target": [codes[i] for i in weights["v"]],
            "weight": weights["weight"].to_numpy(dtype=float),
        }
    )
    net = si.city_network(
        table,
        "source",
        "target",
        weight="weight",
        year="year" if spec.year else None,
        level=level,
        source_note=source_note,
    )
    # city_network counted one row per edge; an edge's n_records is its number of patents
    columns = (table["year"].tolist(), table["source"].tolist(), table["target"].tolist())
    for y, u, v, n in zip(*columns, weights["n_patents"].tolist(), strict=True):
        net.graphs[y if spec.year else None][u][v]["n_records"] = int(n)
    keys: list[Hashable] = [int(y) for y in years] if spec.year else [None]
    graphs = {y: net.graphs.get(y, nx.Graph()) for y in keys}
    return net, graphs


def _report_tables(
    outputs: list[dict[str, pd.DataFrame]], spec: _Spec, weights: pd.DataFrame
) -> dict[str, Any]:
    g = _locator().gazetteer
    codes = g.unit_codes(spec.level)
    applicants = _combine(outputs, "applicants", ["how"])
    applicants = pd.DataFrame(
        {
            "how": [HOW[int(h)] for h in applicants["how"]],
            "located": [HOW[int(h)] in HOW_LOCATED for h in applicants["how"]],
            "n": applicants["n"].astype(np.int64).to_numpy(),
        }
    )
    per_year = _combine(outputs, "per_year", ["year"]).astype(np.int64)
    by_year = weights.groupby("year").agg(edges=("weight", "size"), weight=("weight", "sum"))
    per_year = per_year.join(by_year, on="year")
    per_year["edges"] = per_year["edges"].fillna(0).astype(np.int64)
    per_year["weight"] = per_year["weight"].fillna(0.0)
    same = _combine(outputs, "same_city", ["year", "unit"])
    same_city = pd.DataFrame(
        {
            "year": same["year"].astype(np.int64).to_numpy(),
            "code": [codes[int(u)] for u in same["unit"]],
            "name": [g.names[g.index[(spec.level, codes[int(u)])]] for u in same["unit"]],
            "n_patents": same["n"].astype(np.int64).to_numpy(),
        }
    )
    if not spec.year:
        per_year["year"] = None
        same_city["year"] = None
    dropped = pd.DataFrame(
        {
            "reason": ["single_applicant", "under_two_located"],
            "n_patents": [
                int(per_year[c].sum()) for c in ("single_applicant", "under_two_located")
            ],
        }
    )
    columns = [
        "year",
        "patents",
        "kept",
        "inter_city",
        "same_city_only",
        "pairs",
        "edges",
        "weight",
    ]
    return {
        "applicants": applicants,
        "per_year": per_year[columns],
        "same_city": same_city,
        "dropped": dropped,
        "conflicts": sum(int(o["conflicts"]["n"].sum()) for o in outputs if "conflicts" in o),
    }


def _check_options(
    counting: str, level: str, sep: object, chunksize: object, columns: dict[str, object]
) -> int:
    if counting not in COUNTINGS:
        raise InputError(f"counting must be 'full' or 'fractional', not {counting!r}")
    from spatialinno._validate import POLYGON_LEVELS, check_level

    lv = LEVEL_NAMES.index(check_level(level, POLYGON_LEVELS))
    if sep is not None and (not isinstance(sep, str) or not sep):
        raise InputError(f"sep must be a non-empty string such as ';' (wide form), not {sep!r}")
    if isinstance(chunksize, bool) or not isinstance(chunksize, (int, np.integer)) or chunksize < 1:
        raise InputError(f"chunksize must be a positive number of rows, not {chunksize!r}")
    for what, col in columns.items():
        if col is not None and not isinstance(col, str):
            raise InputError(f"{what}= must be a column name (str), not {col!r}")
    return lv


def copatent_network(
    records: Any,
    patent: str = "patent",
    address: str = "address",
    year: str | None = "year",
    counting: str = "full",
    level: str = "prefecture",
    applicant: str | None = None,
    sep: str | None = None,
    engine: str | None = None,
    chunksize: int = 500_000,
    encoding: str = "utf-8",
    source_note: str | None = None,
) -> Any:
    """Inter-city co-patent network from raw applicant records.

    Parameters
    ----------
    records : pandas.DataFrame, path, glob, list of paths, or dask.dataframe.DataFrame
        *Long form*: one row per patent and applicant with the patent id, the applicant's
        address (text) and the year. *Wide form*: one row per patent whose ``address`` cell holds
        all applicants' addresses, as a list or as text separated by ``sep``. Files (CSV or
        Parquet) are read in chunks of ``chunksize`` rows in bounded memory; a dask DataFrame is
        processed partition by partition (see :mod:`spatialinno.records.sources`).
    patent, address : str
        Columns with the patent id (application number) and the address text.
    year : str or None, default "year"
        Column with the (application) year: one graph per year. None: one network.
    counting : {"full", "fractional"}
        Full: each distinct city pair counts 1 per patent (edge weight = shared patents).
        Fractional: a patent's :math:`P` pairs get :math:`1/P` each (every patent weighs 1).
    level : {"prefecture", "province", "county"}
        Units the addresses are located at and the network's nodes.
    applicant : str, optional
        Column with the applicant's name: an applicant listed twice for one patent counts once
        (with its located address when only one of its addresses could be located). Without it
        every row (list entry) is one applicant.
    sep : str, optional
        Wide form: separator of the addresses (and applicants) in one cell, e.g. ``";"``.
    engine : {"pandas", "files", "dask"}, optional
        Default: from the type of ``records``. ``"dask"`` with paths reads them with
        ``dask.dataframe`` and runs on the active dask scheduler (a multi-node cluster when a
        ``distributed.Client`` is connected); it needs ``pip install "spatialinno[dask]"``.
    chunksize : int, default 500_000
        Rows per chunk when reading files.
    encoding : str, default "utf-8"
        Text encoding of CSV files (``"gb18030"`` for GBK exports).
    source_note : str, optional
        Where the records come from (shown in maps and exports).

    Returns
    -------
    CityNetwork
        Undirected; edge ``weight`` (full or fractional), ``n_records`` = number of patents the
        two cities share; one graph per year with records (empty when no pair was formed).
        ``net.report`` is a :class:`CopatentReport` (records read, patents kept, applicants
        located and not located by reason, pairs per year, same-city collaborations).

    Raises
    ------
    ColumnError
        A column is missing (the message lists the available ones).
    InputError
        Empty patent ids, years that are not whole numbers (rows named), a bad option.

    Examples
    --------
    >>> import pandas as pd, spatialinno as si
    >>> rec = pd.DataFrame({
    ...     "patent": ["CN1", "CN1", "CN2", "CN2", "CN2", "CN3", "CN3"],
    ...     "address": ["广东省深圳市南山区", "北京市海淀区", "深圳市福田区", "上海市浦东新区",
    ...                 "北京海淀", "广东省深圳市", "深圳市龙岗区"],
    ...     "year": [2020, 2020, 2021, 2021, 2021, 2021, 2021]})
    >>> net = si.copatent_network(rec)
    >>> net.to_frames()[1][["year", "source_name", "target_name", "weight", "n_records"]]
       year source_name target_name  weight  n_records
    0  2020         北京市         深圳市     1.0          1
    1  2021         北京市         上海市     1.0          1
    2  2021         北京市         深圳市     1.0          1
    3  2021         上海市         深圳市     1.0          1
    >>> net.report.same_city[["year", "name", "n_patents"]]
       year name  n_patents
    0  2021  深圳市          1
    >>> si.copatent_network(rec, counting="fractional").graph(2021)["110000"]["310000"]["weight"]
    0.3333333333333333
    """
    lv = _check_options(
        counting,
        level,
        sep,
        chunksize,
        {"patent": patent, "address": address, "year": year, "applicant": applicant},
    )
    spec = _Spec(patent, address, year, applicant, sep, lv)
    kind = engine_of(records, engine)
    if isinstance(records, pd.DataFrame):
        from spatialinno._validate import require_columns

        require_columns(records, spec.columns, "record table")
    outputs, extras = map_reduce(
        records,
        kind,
        spec.columns,
        partial(_map_chunk, spec=spec),
        partial(_reduce_bucket, spec=spec),
        chunksize=int(chunksize),
        encoding=encoding,
    )
    weights = _edge_weights(_combine(outputs, "edges", ["year", "u", "v", "P"]), counting)
    tables = _report_tables(outputs, spec, weights)
    years = tables["per_year"]["year"].tolist() if spec.year else [None]
    net, graphs = _network(weights, spec, years, source_note)
    examples = [e for extra in extras for e in extra["examples"]]
    report = CopatentReport(
        counting=counting,
        level=LEVEL_NAMES[lv],
        n_records=int(sum(e["records"] for e in extras)),
        n_patents=int(tables["per_year"]["patents"].sum()),
        n_applicants=int(tables["applicants"]["n"].sum()),
        n_located=int(tables["applicants"].loc[tables["applicants"]["located"], "n"].sum()),
        n_kept=int(tables["per_year"]["kept"].sum()),
        applicants=tables["applicants"],
        dropped=tables["dropped"],
        per_year=tables["per_year"].reset_index(drop=True),
        same_city=tables["same_city"],
        examples=_example_table(examples),
        n_year_conflicts=tables["conflicts"],
        network=net.report,
    )
    note = source_note or f"co-patent records, {counting} counting"
    return si.CityNetwork(graphs, level=LEVEL_NAMES[lv], directed=False, report=report, source=note)


def _example_table(examples: list[tuple[str, object]]) -> pd.DataFrame:
    table = pd.DataFrame(examples, columns=["how", "address"]).drop_duplicates()
    table = table.groupby("how", sort=False).head(_EXAMPLES)
    order = {h: i for i, h in enumerate(HOW_FAILED)}
    return table.sort_values("how", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )
