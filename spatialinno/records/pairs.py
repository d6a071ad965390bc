"""The record-level work of :func:`~spatialinno.records.copatent.copatent_network`.

Written once for every engine of :mod:`~spatialinno.records.sources`: :func:`map_chunk` turns one
chunk of records (a pandas DataFrame) into located applicants per patent, split into buckets by a
hash of the patent id; :func:`reduce_bucket` turns every row of the patents of one bucket into
integer counts (city pairs per year and number of pairs *P* of their patent, same-city
collaborations, patents per year, applicants per ``how``); :func:`combine` adds up the counts of
all buckets and :func:`edge_weights` turns them into full or fractional weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._errors import InputError
from .locate import HOW, HOW_LOCATED, Locator
from .sources import bucket_of

__all__ = [
    "EXAMPLES",
    "NO_YEAR",
    "Spec",
    "combine",
    "edge_key",
    "edge_weights",
    "locator",
    "map_chunk",
    "merge",
    "reduce_bucket",
    "unit_index",
]

NO_YEAR = -1  # year key of records without a year column
EXAMPLES = 10  # unlocated addresses kept per reason in the report


@dataclass(frozen=True)
class Spec:
    """Column names and level of one copatent_network call."""

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


# --------------------------------------------------------------------------------------------
# map: one chunk of records -> located applicants per patent, split into buckets
# --------------------------------------------------------------------------------------------
_LOCATORS: dict[str, Locator] = {}


def locator() -> Locator:
    """One locator (and cache) per process: dask workers build theirs on first use."""
    if "locator" not in _LOCATORS:
        _LOCATORS["locator"] = Locator()
    return _LOCATORS["locator"]


def _bad_rows(mask: np.ndarray, where: str) -> str:
    rows = np.flatnonzero(mask)
    shown = ", ".join(map(str, rows[:5])) + (f" and {rows.size - 5} more" if rows.size > 5 else "")
    return f"row(s) {shown} ({where}, counted from 0)"


def _years(values: pd.Series, spec: Spec, where: str) -> np.ndarray:
    if spec.year is None:
        return np.full(len(values), NO_YEAR, dtype=np.int64)
    # a few distinct years among millions of rows: convert the distinct values only
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    converted = pd.to_numeric(pd.Series(distinct, dtype=object), errors="coerce")
    table = np.append(converted.to_numpy(dtype=float, na_value=np.nan), np.nan)  # -1: missing
    numbers = table[codes]
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


def _long_form(chunk: pd.DataFrame, spec: Spec, where: str) -> pd.DataFrame:
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


def map_chunk(
    chunk: pd.DataFrame, n_buckets: int, where: str, spec: Spec
) -> tuple[list[pd.DataFrame], dict[str, Any]]:
    """Locate one chunk; per (patent, year, unit, how) applicant counts, split into buckets."""
    long = _long_form(chunk, spec, where)
    what = f"address column {spec.address!r} ({where})"
    positions, results, uniques = locator().locate_array(
        long["address"], spec.level, notes=False, what=what
    )
    index = unit_index(spec.level)
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
        if result[3] not in HOW_LOCATED and len(items) < EXAMPLES:
            items.append(value)
    if missing:
        out.setdefault("empty", []).insert(0, None)
    return [(how, a) for how, items in out.items() for a in items[:EXAMPLES]]


_UNIT_INDEX: dict[int, dict[str, int]] = {}


def unit_index(level: int) -> dict[str, int]:
    if level not in _UNIT_INDEX:
        codes = locator().gazetteer.unit_codes(level)
        _UNIT_INDEX[level] = {c: i for i, c in enumerate(codes)}
    return _UNIT_INDEX[level]


# --------------------------------------------------------------------------------------------
# reduce: one bucket (all rows of its patents) -> integer counts
# --------------------------------------------------------------------------------------------
def reduce_bucket(frames: list[pd.DataFrame], spec: Spec) -> dict[str, pd.DataFrame]:
    """Pairs, same-city collaborations and counts of the patents of one bucket."""
    part = pd.concat(frames, ignore_index=True) if frames else None
    frames.clear()  # the pieces are copied into part: let them go before the work below
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
            "key": edge_key(
                year_of[pairs["pid"]],
                pairs["unit_x"].to_numpy(),
                pairs["unit_y"].to_numpy(),
                n_pairs[pairs["pid"]],
            )
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
        "edges": edges.groupby("key").size().rename("n").reset_index(),
        "same_city": pd.DataFrame({"year": year_of[same["pid"]], "unit": same["unit"].to_numpy()})
        .groupby(["year", "unit"])
        .size()
        .rename("n")
        .reset_index(),
        "per_year": per_year.groupby("year").sum().reset_index(),
        "applicants": part.groupby("how")["n"].sum().reset_index(),
        "conflicts": pd.DataFrame({"n": [int((years["min"] != years["max"]).sum())]}),
    }


def combine(outputs: list[dict[str, pd.DataFrame]], name: str, keys: list[str]) -> pd.DataFrame:
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


_KEYS = {
    "edges": ["key"],
    "same_city": ["year", "unit"],
    "per_year": ["year"],
    "applicants": ["how"],
}


def merge(outputs: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Several :func:`reduce_bucket` outputs added into one (integer sums: order-free)."""
    merged = {name: combine(outputs, name, keys) for name, keys in _KEYS.items()}
    merged["conflicts"] = pd.DataFrame(
        {"n": [sum(int(o["conflicts"]["n"].sum()) for o in outputs if "conflicts" in o)]}
    )
    return merged


def edge_key(year: np.ndarray, u: np.ndarray, v: np.ndarray, n_pairs: np.ndarray) -> np.ndarray:
    """(year, u, v, P) packed into one int64 whose order is the order of the tuple.

    Bits: year + 1 (NO_YEAR -> 0) from bit 44, units from bits 32 and 20 (< 4,096; the county
    layer has 2,891), P below (< 2**20: a patent with 1,448 cities). One integer key keeps the
    count tables small and their group-by cheap however many buckets are merged.
    """
    if n_pairs.size and int(n_pairs.max()) >= 1 << 20:
        raise InputError("a patent links more than 1,448 distinct cities; check the patent ids")
    year = year.astype(np.int64) + 1
    return (year << 44) | (u.astype(np.int64) << 32) | (v.astype(np.int64) << 20) | n_pairs


def edge_weights(edges: pd.DataFrame, counting: str) -> pd.DataFrame:
    """year, u, v, n_patents, weight from the packed counts; fractional weights are summed in
    the key order (year, u, v, P), the same on every engine, so the floats are identical."""
    key = edges["key"].to_numpy(dtype=np.int64)
    order = np.argsort(key, kind="stable")
    key, n = key[order], edges["n"].to_numpy(dtype=np.int64)[order]
    n_pairs = key & ((1 << 20) - 1)
    table = pd.DataFrame(
        {
            "year": (key >> 44) - 1,
            "u": (key >> 32) & 0xFFF,
            "v": (key >> 20) & 0xFFF,
            "n": n,
            "w": n / n_pairs if counting == "fractional" else n.astype(float),
        }
    )
    out = table.groupby(["year", "u", "v"], sort=False).agg(
        n_patents=("n", "sum"), weight=("w", "sum")
    )
    return out.reset_index()
