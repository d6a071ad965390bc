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

from .._errors import InputError
from ..measures.network import CityNetwork, city_network
from .gazetteer import LEVEL_NAMES
from .locate import HOW, HOW_FAILED, HOW_LOCATED
from .pairs import (
    EXAMPLES,
    Spec,
    combine,
    edge_weights,
    locator,
    map_chunk,
    merge,
    reduce_bucket,
)
from .sources import engine_of, map_reduce

__all__ = ["COUNTINGS", "CopatentReport", "copatent_network"]

COUNTINGS: tuple[str, ...] = ("full", "fractional")


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
# finish: counts -> CityNetwork + report
# --------------------------------------------------------------------------------------------
def _network(weights: pd.DataFrame, spec: Spec, years: list[int], source_note: str | None) -> Any:
    import networkx as nx

    codes = locator().gazetteer.unit_codes(spec.level)
    level = LEVEL_NAMES[spec.level]
    table = pd.DataFrame(
        {
            "year": weights["year"].to_numpy(),
            "source": [codes[i] for i in weights["u"]],
            "target": [codes[i] for i in weights["v"]],
            "weight": weights["weight"].to_numpy(dtype=float),
        }
    )
    net = city_network(
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
    outputs: list[dict[str, pd.DataFrame]], spec: Spec, weights: pd.DataFrame
) -> dict[str, Any]:
    g = locator().gazetteer
    codes = g.unit_codes(spec.level)
    applicants = combine(outputs, "applicants", ["how"])
    applicants = pd.DataFrame(
        {
            "how": [HOW[int(h)] for h in applicants["how"]],
            "located": [HOW[int(h)] in HOW_LOCATED for h in applicants["how"]],
            "n": applicants["n"].astype(np.int64).to_numpy(),
        }
    )
    per_year = combine(outputs, "per_year", ["year"]).astype(np.int64)
    by_year = weights.groupby("year").agg(edges=("weight", "size"), weight=("weight", "sum"))
    per_year = per_year.join(by_year, on="year")
    per_year["edges"] = per_year["edges"].fillna(0).astype(np.int64)
    per_year["weight"] = per_year["weight"].fillna(0.0)
    same = combine(outputs, "same_city", ["year", "unit"])
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
    from .._validate import POLYGON_LEVELS, check_level

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
    spec = Spec(patent, address, year, applicant, sep, lv)
    kind = engine_of(records, engine)
    if isinstance(records, pd.DataFrame):
        from .._validate import require_columns

        require_columns(records, spec.columns, "record table")
    outputs, extras = map_reduce(
        records,
        kind,
        spec.columns,
        partial(map_chunk, spec=spec),
        partial(reduce_bucket, spec=spec),
        chunksize=int(chunksize),
        encoding=encoding,
        merge_fn=merge,
    )
    weights = edge_weights(combine(outputs, "edges", ["key"]), counting)
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
    return CityNetwork(graphs, level=LEVEL_NAMES[lv], directed=False, report=report, source=note)


def _example_table(examples: list[tuple[str, object]]) -> pd.DataFrame:
    table = pd.DataFrame(examples, columns=["how", "address"]).drop_duplicates()
    table = table.groupby("how", sort=False).head(EXAMPLES)
    order = {h: i for i, h in enumerate(HOW_FAILED)}
    return table.sort_values("how", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )
