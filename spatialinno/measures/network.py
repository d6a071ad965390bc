"""Inter-city networks: build them from edge lists or co-application records, measure, map, export.

The reference study links cities that share a patent application (weight = number of shared
patents) and reads density, hubs and the core / key / auxiliary hierarchy over time. This module
turns such tables into one :mod:`networkx` graph per year, keyed by the 6-digit GB/T 2260 code of
the boundary unit each city resolves to, and measures them.

Nodes carry ``code``, ``name``, ``name_en``, ``province`` and ``point`` (the representative point of
the unit's polygon on the boundary layer of the network's level, a shapely Point in EPSG:4490,
longitude/latitude in degrees; also as ``lon``/``lat``). A node is a city with at least one tie in
that year: cities that appear only in self-loops or in single-city records are not nodes (they are
counted in :class:`NetworkReport`).

Rules (documented once, used everywhere):

* **Undirected by default.** Records A→B and B→A (as in the air-route file, one row per direction)
  are *summed* into one undirected edge {A, B}; so are repeated rows of the same pair. With
  ``directed=True`` each direction stays its own edge and only repeated rows of the same
  direction are summed.
* **Self-loops** (source and target resolve to the same unit, including two spellings of one city)
  are dropped and counted; zero-weight records are dropped and counted.
* **Weighted paths** use distance = 1 / weight: a strong tie is a short path.
* **Tiers** are Fisher–Jenks natural breaks (exact optimum, deterministic; :func:`jenks_breaks`,
  cross-checked against ``mapclassify.FisherJenks``) of the weighted degree into 3 classes within
  each year: top class ``core``, middle ``key``, bottom ``auxiliary``.

The bundled example network is the prefecture-level airline network of June 2014 built from the
OpenFlights route and airport databases (ODbL 1.0, © OpenFlights contributors, https://openflights.org).
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
from shapely.geometry import LineString, Point

from .._errors import DataWarning, InputError, JoinError
from .._validate import POLYGON_LEVELS, check_level, require_columns
from ..boundaries.load import CRS

__all__ = [
    "TIERS",
    "CityNetwork",
    "NetworkReport",
    "PartnerShare",
    "city_network",
    "jenks_breaks",
    "network_from_records",
    "weighted_betweenness",
]

TIERS: tuple[str, ...] = ("core", "key", "auxiliary")
TIER_ZH: dict[str, str] = {"core": "核心城市", "key": "重要城市", "auxiliary": "辅助城市"}
# OrRd, dark to light: the strongest tier is the most visible dot on the map and in QGIS
# separators of a city list written in one cell: ; , | and the Chinese ；，、
_CITY_SEP = re.compile(r"[;,|；，、]")
_UNMATCHED = ("raise", "drop")


# --------------------------------------------------------------------------------------------
# resolving city names / codes to boundary units
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _units(level: str) -> pd.DataFrame:
    """Attribute table of a boundary layer plus the representative point (EPSG:4490 degrees)."""
    from ..boundaries.load import load_boundaries

    layer = load_boundaries(level)
    # representative_point lies inside the polygon (a centroid may fall outside, e.g. in a bay);
    # computed on the full-resolution layer so it does not move with web simplification.
    points = layer.geometry.representative_point()
    units = pd.DataFrame(layer.drop(columns="geometry"))
    units["lon"] = points.x.to_numpy()
    units["lat"] = points.y.to_numpy()
    return units.set_index("code", drop=False)


def _resolve(values: Iterable[object], level: str, merge_history: bool = False) -> pd.DataFrame:
    """One row per distinct city spelling: value, code (None if unmatched), how, note, candidates.

    Delegates to :func:`spatialinno.match_regions`, so cities resolve exactly like the rows of an
    indicator table: 6-digit codes, 9-digit "156"+code, 12-digit statistical codes, full, short,
    traditional, English and former names. A name shared by several units is reported as
    ambiguous, never guessed.
    """
    from ..tables.join import match_regions

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


def _unmatched_table(
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


# --------------------------------------------------------------------------------------------
# result objects
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class NetworkReport:
    """What happened to the input rows while building a network.

    Attributes
    ----------
    n_rows : int
        Input rows (edge records or co-application records).
    n_self_loops : int
        Rows dropped because both ends resolve to the same unit (listed in ``self_loops``).
    n_zero_weight : int
        Rows dropped because their weight is 0.
    n_reciprocal : int
        Undirected networks: unordered pairs recorded in both directions (A→B and B→A) whose
        records were summed into one edge. 0 for directed networks.
    n_single_city : int
        :func:`network_from_records`: records naming fewer than two distinct cities (no tie).
    n_unmatched_rows : int
        Rows left out because a city did not resolve (``on_unmatched="drop"``).
    self_loops : pandas.DataFrame
        year, code, name, weight, n_rows of the dropped self-loops.
    unmatched : pandas.DataFrame
        value, how (the reason), n_rows, first_row of every city spelling that did not resolve.
    matches : pandas.DataFrame
        value, code, how for every distinct city spelling in the input.
    """

    n_rows: int
    n_self_loops: int
    n_zero_weight: int
    n_reciprocal: int
    n_single_city: int
    n_unmatched_rows: int
    self_loops: pd.DataFrame
    unmatched: pd.DataFrame
    matches: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"NetworkReport(n_rows={self.n_rows}, n_self_loops={self.n_self_loops}, "
            f"n_zero_weight={self.n_zero_weight}, n_reciprocal={self.n_reciprocal}, "
            f"n_single_city={self.n_single_city}, n_unmatched_rows={self.n_unmatched_rows}, "
            f"unmatched={self.unmatched['value'].tolist()!r})"
        )

    def to_frame(self) -> pd.DataFrame:
        """The counts as a one-row DataFrame.

        >>> import pandas as pd, spatialinno as si
        >>> e = pd.DataFrame({"o": ["北京市", "北京市"], "d": ["北京", "上海市"]})
        >>> si.city_network(e, "o", "d").report.to_frame()[["n_rows", "n_self_loops"]]
           n_rows  n_self_loops
        0       2             1
        """
        return pd.DataFrame(
            [
                {
                    "n_rows": self.n_rows,
                    "n_self_loops": self.n_self_loops,
                    "n_zero_weight": self.n_zero_weight,
                    "n_reciprocal": self.n_reciprocal,
                    "n_single_city": self.n_single_city,
                    "n_unmatched_rows": self.n_unmatched_rows,
                }
            ]
        )


@dataclass(frozen=True)
class PartnerShare:
    r"""Share of a city's tie weight that goes to a set of partner cities.

    .. math:: s_i(P) = \frac{\sum_{j \in P} w_{ij}}{\sum_{j} w_{ij}}

    where :math:`w_{ij}` is the weight of the tie between city *i* and city *j* (for directed
    networks out- plus in-weight). Used in the Yangtze River Delta literature, e.g. the share of
    Shanghai's regional ties that go to Nanjing, Hangzhou, Hefei and Suzhou.

    Attributes
    ----------
    code, name : str
        The focal city.
    year : object
        The year of the graph (None for a network without years).
    share : float
        :math:`s_i(P)` in [0, 1] (NaN when the city has no ties).
    weight_within : float
        :math:`\sum_{j \in P} w_{ij}`.
    weight_total : float
        :math:`\sum_j w_{ij}`, the city's weighted degree.
    partners : tuple of str
        The partner codes :math:`P` (resolved, focal city excluded).
    partners_with_ties : tuple of str
        The partners that actually have a tie with the city.
    """

    code: str
    name: str
    year: object
    share: float
    weight_within: float
    weight_total: float
    partners: tuple[str, ...]
    partners_with_ties: tuple[str, ...]

    def __repr__(self) -> str:
        return (
            f"PartnerShare({self.name} ({self.code}), year={self.year}: share={self.share:.4f} "
            f"= {self.weight_within:g} / {self.weight_total:g}, "
            f"{len(self.partners_with_ties)} of {len(self.partners)} partners tied)"
        )

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the fields (partners joined with ``;``).

        >>> import pandas as pd, spatialinno as si
        >>> e = pd.DataFrame({"o": ["上海市", "上海市"], "d": ["南京市", "北京市"], "n": [1, 3]})
        >>> r = si.city_network(e, "o", "d", weight="n").partner_share("上海", ["南京"])
        >>> r.to_frame()[["code", "share", "weight_within", "weight_total"]]
             code  share  weight_within  weight_total
        0  310000   0.25            1.0           4.0
        """
        return pd.DataFrame(
            [
                {
                    "code": self.code,
                    "name": self.name,
                    "year": self.year,
                    "share": self.share,
                    "weight_within": self.weight_within,
                    "weight_total": self.weight_total,
                    "partners": ";".join(self.partners),
                    "partners_with_ties": ";".join(self.partners_with_ties),
                }
            ]
        )


class CityNetwork:
    """Inter-city network(s): one networkx graph per year, nodes keyed by 6-digit unit code.

    Build it with :func:`city_network` or :func:`network_from_records`. Edge attributes:
    ``weight`` (summed record weight), ``n_records`` (rows summed into the edge) and ``distance``
    (= 1 / weight, used for weighted shortest paths). Node attributes: ``code``, ``name``,
    ``name_en``, ``province``, ``province_code``, ``point`` (shapely Point, EPSG:4490), ``lon``,
    ``lat``.

    Attributes
    ----------
    graphs : dict
        year -> ``networkx.Graph`` (``DiGraph`` when directed); the key is ``None`` without years.
    level : str
        Boundary level the cities were resolved on.
    directed : bool
    report : NetworkReport
    source : str or None
        Where the data come from (credited in maps and exports).

    Examples
    --------
    >>> import pandas as pd, spatialinno as si
    >>> e = pd.DataFrame({"o": ["北京市", "上海市"], "d": ["上海市", "北京市"], "n": [15, 15]})
    >>> net = si.city_network(e, "o", "d", weight="n")
    >>> net
    CityNetwork(undirected, level='prefecture'; None: 2 nodes / 1 edges)
    >>> g = net.graph()
    >>> g["110000"]["310000"]["weight"], g.nodes["310000"]["name_en"]
    (30.0, 'Shanghai')
    """

    def __init__(
        self,
        graphs: dict[Hashable, nx.Graph],
        level: str,
        directed: bool,
        report: NetworkReport,
        source: str | None = None,
    ) -> None:
        self.graphs = graphs
        self.level = level
        self.directed = directed
        self.report = report
        self.source = source

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{y}: {g.number_of_nodes()} nodes / {g.number_of_edges()} edges"
            for y, g in self.graphs.items()
        )
        kind = "directed" if self.directed else "undirected"
        return f"CityNetwork({kind}, level={self.level!r}; {parts})"

    @property
    def years(self) -> list[Hashable]:
        """The years of the network in order (``[None]`` without a year column).

        >>> import pandas as pd, spatialinno as si
        >>> r = pd.DataFrame({"c": ["北京市;上海市", "北京市;天津市"], "y": [2021, 2019]})
        >>> si.network_from_records(r, "c", year="y").years
        [2019, 2021]
        """
        return list(self.graphs)

    def _year(self, year: Hashable | None) -> Hashable:
        if year is None:
            if len(self.graphs) == 1:
                return next(iter(self.graphs))
            raise InputError(
                f"the network has {len(self.graphs)} years ({', '.join(map(str, self.graphs))}); "
                "pass year= one of them"
            )
        for key in self.graphs:
            if key == year or str(key) == str(year):
                return key
        raise InputError(
            f"year {year!r} is not in the network; its years are: "
            f"{', '.join(map(str, self.graphs))}"
        )

    def graph(self, year: Hashable | None = None) -> nx.Graph:
        """The networkx graph of ``year`` (the only one when the network has a single year).

        The network's own object is returned, not a copy: changes show in later measures.

        >>> import pandas as pd, spatialinno as si
        >>> e = pd.DataFrame({"o": ["北京市"], "d": ["上海市"], "y": [2020]})
        >>> sorted(si.city_network(e, "o", "d", year="y").graph(2020).nodes)
        ['110000', '310000']
        """
        return self.graphs[self._year(year)]

    def _code(self, value: object, what: str) -> str:
        table = _resolve([value], self.level)
        code = table["code"].iloc[0]
        if code is None:
            raise InputError(
                f"{what} {value!r} matches no {self.level} unit ({table['note'].iloc[0]}); "
                "use a 6-digit code or the unit's name as in si.load_boundaries"
                f"({self.level!r})"
            )
        return code

    # -- measures -----------------------------------------------------------------------------
    def summary(self) -> pd.DataFrame:
        r"""Per year: size, density, weight, connectivity and mean degree of the network.

        Columns: ``year``, ``nodes`` (*n*, cities with at least one tie), ``edges`` (*m*),
        ``density`` (:math:`2m / (n(n-1))` undirected, :math:`m / (n(n-1))` directed),
        ``total_weight`` (:math:`W = \sum w_e`), ``components`` (connected components; weakly
        connected when directed), ``largest_component`` (nodes in the largest one),
        ``mean_degree`` (:math:`2m / n`, in + out when directed) and ``mean_weighted_degree``
        (:math:`2W / n`).

        Examples
        --------
        >>> import pandas as pd, spatialinno as si
        >>> e = pd.DataFrame({"a": ["北京市", "上海市", "上海市"], "b": ["上海市", "北京市", "广州市"]})
        >>> si.city_network(e, "a", "b").summary()[["nodes", "edges", "density", "total_weight"]]
           nodes  edges   density  total_weight
        0      3      2  0.666667           3.0
        """
        rows = []
        for year, g in self.graphs.items():
            n, m = g.number_of_nodes(), g.number_of_edges()
            total = float(g.size(weight="weight"))
            if self.directed:
                comps = list(nx.weakly_connected_components(g)) if n else []
            else:
                comps = list(nx.connected_components(g)) if n else []
            rows.append(
                {
                    "year": year,
                    "nodes": n,
                    "edges": m,
                    "density": nx.density(g) if n > 1 else float("nan"),
                    "total_weight": total,
                    "components": len(comps),
                    "largest_component": max((len(c) for c in comps), default=0),
                    "mean_degree": 2 * m / n if n else float("nan"),
                    "mean_weighted_degree": 2 * total / n if n else float("nan"),
                }
            )
        return pd.DataFrame(rows)

    def centrality(self, year: Hashable | None = None) -> pd.DataFrame:
        r"""Per city: degree, weighted degree, betweenness, eigenvector, closeness and tier.

        Parameters
        ----------
        year : optional
            One year; default all years (stacked, with a ``year`` column).

        Returns
        -------
        pandas.DataFrame
            One row per node, sorted by weighted degree (descending), with ``year``, ``code``,
            ``name``, ``province`` and

            - ``degree`` :math:`k_i` (number of partners; in + out when directed, plus
              ``in_degree``/``out_degree``),
            - ``weighted_degree`` :math:`s_i = \sum_j w_{ij}` (strength; plus
              ``in_weight``/``out_weight`` when directed),
            - ``betweenness``: unweighted shortest paths, normalised by
              :math:`(n-1)(n-2)/2` (undirected) as in ``networkx.betweenness_centrality``;
              ``betweenness_weighted``: the same with distance :math:`1 / w_{ij}` (a strong tie is
              a short path), float-equal path lengths counted as ties
              (:func:`weighted_betweenness`) — Brandes (2001) J. Math. Sociol. 25:163,
            - ``eigenvector``: leading eigenvector of the weighted adjacency matrix, unit
              Euclidean norm (``networkx.eigenvector_centrality_numpy``); on a disconnected graph
              it is computed on the component with the largest spectral radius and is 0 elsewhere
              (that is the Perron vector of the whole matrix); directed networks use
              :math:`w_{ij} + w_{ji}`,
            - ``closeness``: unweighted, Wasserman–Faust scaled for disconnected graphs
              (``networkx.closeness_centrality``); ``closeness_weighted`` with distance
              :math:`1 / w_{ij}`,
            - ``tier``: ``core`` / ``key`` / ``auxiliary`` — Fisher–Jenks natural breaks
              (:func:`jenks_breaks`, the exact optimum, deterministic) of ``weighted_degree``
              into 3 classes within the year, top class ``core``. With fewer than 3 distinct values
              the classes are named from the top (core, then key).

        Examples
        --------
        >>> import pandas as pd, spatialinno as si
        >>> e = pd.DataFrame({"a": ["北京市", "北京市", "天津市"], "b": ["上海市", "天津市", "上海市"],
        ...                   "n": [5, 1, 1]})
        >>> c = si.city_network(e, "a", "b", weight="n").centrality()
        >>> c[["name", "degree", "weighted_degree", "tier"]]
          name  degree  weighted_degree  tier
        0  北京市       2              6.0  core
        1  上海市       2              6.0  core
        2  天津市       2              2.0   key
        """
        years = self.years if year is None else [self._year(year)]
        frames = [self._centrality_one(y) for y in years]
        # an empty year (no ties) would turn the year column into floats in concat
        kept = [f for f in frames if len(f)] or frames[:1]
        return pd.concat(kept, ignore_index=True)

    def _centrality_one(self, year: Hashable) -> pd.DataFrame:
        g = self.graphs[year]
        nodes = list(g.nodes)
        frame = pd.DataFrame(
            {
                "year": [year] * len(nodes),
                "code": nodes,
                "name": [g.nodes[c]["name"] for c in nodes],
                "province": [g.nodes[c]["province"] for c in nodes],
            }
        )
        deg = dict(g.degree())
        strength = dict(g.degree(weight="weight"))
        frame["degree"] = [deg[c] for c in nodes]
        frame["weighted_degree"] = [float(strength[c]) for c in nodes]
        if self.directed:
            for col, values in (
                ("in_degree", dict(g.in_degree())),
                ("out_degree", dict(g.out_degree())),
                ("in_weight", dict(g.in_degree(weight="weight"))),
                ("out_weight", dict(g.out_degree(weight="weight"))),
            ):
                frame[col] = [values[c] for c in nodes]
        if nodes:
            btw = nx.betweenness_centrality(g)
            btw_w = weighted_betweenness(g, "distance")
            clo = nx.closeness_centrality(g)
            clo_w = nx.closeness_centrality(g, distance="distance")
            eig = _eigenvector(g)
        else:
            btw = btw_w = clo = clo_w = eig = {}
        frame["betweenness"] = [btw[c] for c in nodes]
        frame["betweenness_weighted"] = [btw_w[c] for c in nodes]
        frame["eigenvector"] = [eig[c] for c in nodes]
        frame["closeness"] = [clo[c] for c in nodes]
        frame["closeness_weighted"] = [clo_w[c] for c in nodes]
        frame["tier"] = _tiers(frame["weighted_degree"].to_numpy())
        frame = frame.sort_values(["weighted_degree", "code"], ascending=[False, True])
        return frame.reset_index(drop=True)

    def partner_share(
        self, code: str, within: Sequence[str], year: Hashable | None = None
    ) -> PartnerShare:
        r"""Share of a city's total tie weight that goes to the cities in ``within``.

        :math:`s_i(P) = \sum_{j \in P} w_{ij} / \sum_j w_{ij}` (out + in weight when directed).

        Parameters
        ----------
        code : str
            The focal city: 6-digit code (or name, resolved like the edge table).
        within : sequence of str
            Partner cities (codes or names). Partners without a tie count 0; the focal city itself
            is ignored.
        year : optional
            Needed when the network has several years.

        Examples
        --------
        >>> import pandas as pd, spatialinno as si
        >>> e = pd.DataFrame({"a": ["上海市", "上海市", "上海市"], "b": ["南京市", "杭州市", "北京市"],
        ...                   "n": [3, 1, 4]})
        >>> net = si.city_network(e, "a", "b", weight="n")
        >>> net.partner_share("310000", within=["320100", "330100", "340100"]).share
        0.5
        """
        key = self._year(year)
        g = self.graphs[key]
        focal = self._code(code, "city")
        if isinstance(within, str):
            raise InputError(
                "within= must be a list of partner cities, not one string; "
                f"write within=[{within!r}]"
            )
        partners = tuple(dict.fromkeys(self._code(p, "partner") for p in within if p is not None))
        partners = tuple(p for p in partners if p != focal)
        if not partners:
            raise InputError("within= names no partner city other than the focal city")
        if focal not in g:
            name = _units(self.level).loc[focal, "name"]
            raise InputError(
                f"{name} ({focal}) has no tie in year {key}; its share is undefined. "
                "Check the year or the city code."
            )
        neighbours = (
            set(g.successors(focal)) | set(g.predecessors(focal)) if self.directed else None
        )
        total = float(g.degree(focal, weight="weight"))
        within_w = 0.0
        tied = []
        for p in partners:
            w = 0.0
            if self.directed:
                if p in neighbours:
                    w = g.get_edge_data(focal, p, {}).get("weight", 0.0) + g.get_edge_data(
                        p, focal, {}
                    ).get("weight", 0.0)
            elif g.has_edge(focal, p):
                w = g[focal][p]["weight"]
            if w > 0:
                tied.append(p)
            within_w += w
        return PartnerShare(
            code=focal,
            name=g.nodes[focal]["name"],
            year=key,
            share=within_w / total if total > 0 else float("nan"),
            weight_within=within_w,
            weight_total=total,
            partners=partners,
            partners_with_ties=tuple(tied),
        )

    # -- frames and export ----------------------------------------------------------------------
    def to_frames(self, year: Hashable | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Nodes (with centrality, ``lon``/``lat``) and edges as plain DataFrames.

        ``year=None`` gives every year stacked (with a ``year`` column). Edge columns: ``year``,
        ``source``, ``target`` (codes; ``source < target`` when undirected), ``source_name``,
        ``target_name``, ``weight``, ``n_records``.

        >>> import pandas as pd, spatialinno as si
        >>> e = pd.DataFrame({"o": ["北京市", "上海市"], "d": ["上海市", "广州市"], "n": [4, 1]})
        >>> nodes, edges = si.city_network(e, "o", "d", weight="n").to_frames()
        >>> nodes[["name", "weighted_degree", "tier"]]
          name  weighted_degree       tier
        0  上海市              5.0       core
        1  北京市              4.0        key
        2  广州市              1.0  auxiliary
        >>> edges[["source_name", "target_name", "weight"]]
          source_name target_name  weight
        0         北京市         上海市     4.0
        1         上海市         广州市     1.0
        """
        years = self.years if year is None else [self._year(year)]
        nodes = self.centrality(year)
        # from the node attributes, so a name edited on the graph shows in frames and maps
        attrs = [self.graphs[y].nodes[c] for y, c in zip(nodes["year"], nodes["code"], strict=True)]
        nodes.insert(3, "name_en", [a["name_en"] for a in attrs])
        nodes["lon"] = [a["lon"] for a in attrs]
        nodes["lat"] = [a["lat"] for a in attrs]
        rows = []
        for y in years:
            g = self.graphs[y]
            for u, v, d in g.edges(data=True):
                rows.append(
                    {
                        "year": y,
                        "source": u,
                        "target": v,
                        "source_name": g.nodes[u]["name"],
                        "target_name": g.nodes[v]["name"],
                        "weight": d["weight"],
                        "n_records": d["n_records"],
                    }
                )
        edges = pd.DataFrame(
            rows,
            columns=[
                "year",
                "source",
                "target",
                "source_name",
                "target_name",
                "weight",
                "n_records",
            ],
        )
        edges = edges.sort_values(
            ["year", "weight", "source", "target"], ascending=[True, False, True, True]
        )
        return nodes, edges.reset_index(drop=True)

    def to_geodataframes(
        self, year: Hashable | None = None, lines: str = "straight"
    ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        """Nodes as points and edges as lines, EPSG:4490 (CGCS2000, degrees).

        Parameters
        ----------
        year : optional
            Needed when the network has several years (one layer pair per year keeps QGIS styles
            and tier classes consistent).
        lines : {"straight", "great_circle"}
            Edge geometry: a straight segment between the two representative points, or the
            great circle (GRS80 geodesic, one vertex per ~50 km).

        Returns
        -------
        (nodes, edges) : tuple of geopandas.GeoDataFrame
            The columns of :meth:`to_frames`; node geometry is the unit's representative point.

        Examples
        --------
        >>> import pandas as pd, spatialinno as si
        >>> e = pd.DataFrame({"a": ["北京市"], "b": ["上海市"]})
        >>> nodes, edges = si.city_network(e, "a", "b").to_geodataframes()
        >>> nodes.geom_type.tolist(), edges.geom_type.tolist(), edges.crs.to_epsg()
        (['Point', 'Point'], ['LineString'], 4490)
        """
        key = self._year(year)
        nodes, edges = self.to_frames(key)
        if key is None:  # no year column in the input: an all-empty column helps no one in QGIS
            nodes, edges = nodes.drop(columns="year"), edges.drop(columns="year")
        node_geom = gpd.points_from_xy(nodes["lon"], nodes["lat"], crs=CRS)
        xy = nodes.set_index("code")[["lon", "lat"]]
        geoms = [
            _edge_line(tuple(xy.loc[u]), tuple(xy.loc[v]), lines)
            for u, v in zip(edges["source"], edges["target"], strict=True)
        ]
        return (
            gpd.GeoDataFrame(nodes, geometry=node_geom, crs=CRS),
            gpd.GeoDataFrame(edges, geometry=geoms, crs=CRS),
        )

    def export(
        self,
        path: str | os.PathLike[str],
        year: Hashable | None = None,
        lines: str = "straight",
        overwrite: bool = False,
        lang: str = "both",
    ) -> tuple[Any, Any]:
        """Write nodes and edges as styled QGIS layers: :func:`spatialinno.qgis.network.export_network`.

        A convenience that forwards to the export stage (imported here, when called, so that the
        measures never depend on it at import time).
        """
        from ..qgis.network import export_network

        return export_network(self, path, year=year, lines=lines, overwrite=overwrite, lang=lang)


_TIE_RTOL = 1e-10  # relative tolerance under which two path lengths count as equal (as igraph)


def weighted_betweenness(g: nx.Graph, distance: str = "distance") -> dict[str, float]:
    r"""Betweenness with edge lengths ``distance``, treating float-equal path lengths as ties.

    Brandes (2001) J. Math. Sociol. 25:163: :math:`C_B(v) = \sum_{s \ne v \ne t}
    \sigma_{st}(v) / \sigma_{st}`, normalised like ``networkx.betweenness_centrality`` (by
    :math:`(n-1)(n-2)/2` for undirected, :math:`(n-1)(n-2)` for directed graphs).

    Why not ``networkx.betweenness_centrality(weight=...)``: with distance 1 / weight, two
    equally short paths have lengths that differ in the last bit (1/3 + 1/3 + 1/3 vs 1/1), and
    networkx compares them exactly, so it drops one of the shortest paths. On the 2014 air
    network that moves weighted betweenness by up to 2.4e-4. Here lengths within a relative
    1e-10 are equal, as in igraph; the result matches exact rational arithmetic to 1e-15.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> # a-b-d and a-c-d are equally short: 0.1 + 0.2 vs 0.15 + 0.15 (= 0.3 in exact numbers)
    >>> g.add_weighted_edges_from([("a", "b", 0.1), ("b", "d", 0.2), ("a", "c", 0.15),
    ...                            ("c", "d", 0.15)], weight="distance")
    >>> weighted_betweenness(g)["b"], weighted_betweenness(g)["c"]  # one half of a-d each
    (0.16666666666666666, 0.16666666666666666)
    >>> nx.betweenness_centrality(g, weight="distance")["b"]  # 0.1 + 0.2 > 0.3 in floats
    0.0
    """
    import heapq

    nodes = list(g.nodes)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    # integer ids and plain lists: about twice as fast as dict-of-dict lookups in the loop
    adjacency = g.succ if g.is_directed() else g.adj
    neighbours = [
        [(index[w], float(data[distance])) for w, data in adjacency[v].items()] for v in nodes
    ]
    between = [0.0] * n
    for s in range(n):
        order: list[int] = []  # nodes in order of non-decreasing distance from s
        preds: list[list[int]] = [[] for _ in range(n)]
        sigma = [0.0] * n
        sigma[s] = 1.0
        done = [False] * n
        seen: list[float | None] = [None] * n
        seen[s] = 0.0
        heap = [(0.0, 0, s, s)]
        counter = 1
        while heap:
            dist, _, pred, v = heapq.heappop(heap)
            if done[v]:
                continue
            if pred != v:
                sigma[v] += sigma[pred]
            order.append(v)
            done[v] = True
            for w, length in neighbours[v]:
                if done[w]:
                    continue
                alt = dist + length
                old = seen[w]
                if old is None or alt < old - _TIE_RTOL * max(alt, old):
                    # strictly shorter: restart w's path count from v
                    seen[w] = alt
                    heapq.heappush(heap, (alt, counter, v, w))
                    counter += 1
                    sigma[w] = 0.0
                    preds[w] = [v]
                elif abs(alt - old) <= _TIE_RTOL * max(alt, old):
                    # as short within the tolerance: one more shortest path, through v
                    sigma[w] += sigma[v]
                    preds[w].append(v)
        delta = [0.0] * n
        for w in reversed(order):
            coefficient = (1.0 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coefficient
            if w != s:
                between[w] += delta[w]
    # every unordered pair is counted from both ends in an undirected graph: dividing by
    # (n-1)(n-2) gives networkx's normalisation by (n-1)(n-2)/2 for both kinds of graph
    scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return {v: between[i] * scale for i, v in enumerate(nodes)}


def _eigenvector(g: nx.Graph) -> dict[str, float]:
    """Leading eigenvector of the weighted adjacency matrix (see CityNetwork.centrality)."""
    h = g.to_undirected(as_view=False) if g.is_directed() else g
    if g.is_directed():
        # w_ij + w_ji: to_undirected keeps only one direction's data, so rebuild the sum
        h = nx.Graph()
        h.add_nodes_from(g.nodes)
        for u, v, d in g.edges(data=True):
            w = d["weight"] + (h[u][v]["weight"] if h.has_edge(u, v) else 0.0)
            h.add_edge(u, v, weight=w)
    result = dict.fromkeys(h.nodes, 0.0)
    comps = [c for c in nx.connected_components(h) if len(c) > 1]
    if not comps:
        return result
    # networkx refuses disconnected graphs (the eigenvector is then not unique in general); the
    # Perron vector of the whole matrix lives on the component with the largest spectral radius.
    radii = []
    for c in comps:
        a = nx.to_numpy_array(h.subgraph(c), weight="weight")
        radii.append(float(np.max(np.abs(np.linalg.eigvalsh(a)))))
    best = comps[int(np.argmax(radii))]
    sub = h.subgraph(best)
    if len(best) == 2:  # networkx's sparse solver needs k < n - 1; a single tie is symmetric
        vec = dict.fromkeys(best, 1 / math.sqrt(2))
    else:
        vec = nx.eigenvector_centrality_numpy(sub, weight="weight")
    result.update({k: float(abs(v)) for k, v in vec.items()})
    return result


def jenks_breaks(values: Sequence[float] | np.ndarray, k: int = 3) -> np.ndarray:
    r"""Exact Fisher–Jenks natural breaks: upper bounds of ``k`` classes of ``values``.

    The classes minimise the total within-class sum of squared deviations
    :math:`\sum_c \sum_{x \in c} (x - \bar{x}_c)^2` over all partitions of the sorted values
    into ``k`` contiguous groups (Fisher 1958, JASA 53:789; Jenks 1977), found by dynamic
    programming on the distinct values weighted by their counts, so tied values always share a
    class. Deterministic; the same optimum as ``mapclassify.FisherJenks`` without importing
    scipy. Fewer than ``k`` distinct values give one class per value.

    Examples
    --------
    >>> jenks_breaks([1, 2, 3, 10, 11, 12, 30, 31], k=3).tolist()
    [3.0, 12.0, 31.0]
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        raise InputError("cannot classify: no finite values")
    v, w = np.unique(x, return_counts=True)
    n = v.size
    k = min(k, n)
    cw = np.concatenate([[0.0], np.cumsum(w)])
    cs = np.concatenate([[0.0], np.cumsum(w * v)])
    cq = np.concatenate([[0.0], np.cumsum(w * v * v)])

    def ssd(i: np.ndarray | int, j: int | np.ndarray) -> np.ndarray:
        # within-class sum of squares of distinct values i..j (inclusive), from prefix sums
        ww = cw[np.add(j, 1)] - cw[i]
        ss = cs[np.add(j, 1)] - cs[i]
        return np.maximum((cq[np.add(j, 1)] - cq[i]) - ss * ss / ww, 0.0)

    cost = np.full((k, n), np.inf)
    start = np.zeros((k, n), dtype=int)
    cost[0] = ssd(0, np.arange(n))
    for c in range(1, k):
        for j in range(c, n):
            first = np.arange(c, j + 1)  # first value of the last class
            total = cost[c - 1][first - 1] + ssd(first, j)
            best = int(np.argmin(total))  # lowest index on exact ties: deterministic
            cost[c, j], start[c, j] = total[best], first[best]
    uppers = [v[n - 1]]
    j = n - 1
    for c in range(k - 1, 0, -1):
        j = start[c, j] - 1
        uppers.append(v[j])
    return np.array(uppers[::-1], dtype=float)


def _tiers(strength: np.ndarray) -> list[str]:
    """core / key / auxiliary by Fisher–Jenks natural breaks of weighted degree (3 classes)."""
    if strength.size == 0:
        return []
    uppers = jenks_breaks(strength, 3)
    classes = np.searchsorted(uppers, strength, side="left")  # 0 = lowest class
    names = TIERS[: uppers.size][::-1]  # named from the top: core, key, auxiliary
    return [names[c] for c in classes]


# --------------------------------------------------------------------------------------------
# builders
# --------------------------------------------------------------------------------------------
def _check_frame(frame: object, what: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{what} must be a pandas DataFrame, not {type(frame).__name__}")
    return frame


def _rows_text(positions: Sequence[int]) -> str:
    shown = ", ".join(str(p) for p in positions[:10])
    return shown + (f" and {len(positions) - 10} more" if len(positions) > 10 else "")


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


def _resolve_columns(
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
    matches = _resolve(values, level, merge_history)
    code_of = dict(zip(matches["value"], matches["code"], strict=True))
    codes = {col: [code_of[v] for v in vals] for col, vals in cells.items()}
    bad = np.zeros(n, dtype=bool)
    for col_codes in codes.values():
        bad |= np.array([c is None for c in col_codes], dtype=bool)
    unmatched = _unmatched_table(matches, values, rows)
    _handle_unmatched(unmatched, int(bad.sum()), level, what, on_unmatched)
    return codes, matches, unmatched, bad


def _handle_unmatched(
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
    units = _units(level)
    loops = records[records["u"] == records["v"]]
    self_loops = (
        loops.groupby(["year", "u"], dropna=False, sort=True)["w"]
        .agg(["sum", "size"])
        .reset_index()
        .rename(columns={"u": "code", "sum": "weight", "size": "n_rows"})
    )
    self_loops.insert(2, "name", units.loc[self_loops["code"], "name"].to_numpy())
    records = records[records["u"] != records["v"]]
    zero = records["w"] == 0
    n_zero = int(zero.sum())
    records = records[~zero]

    n_reciprocal = 0
    if not directed:
        # one undirected edge per unordered pair: A->B and B->A rows are summed (documented rule)
        lo = np.minimum(records["u"].to_numpy(dtype=object), records["v"].to_numpy(dtype=object))
        hi = np.maximum(records["u"].to_numpy(dtype=object), records["v"].to_numpy(dtype=object))
        both = records.assign(forward=records["u"].to_numpy(dtype=object) == lo, u=lo, v=hi)
        directions = both.groupby(["year", "u", "v"], dropna=False)["forward"].nunique()
        n_reciprocal = int((directions == 2).sum())
        records = both
    edges = (
        records.groupby(["year", "u", "v"], dropna=False, sort=True)["w"]
        .agg(["sum", "size"])
        .reset_index()
    )
    # every year of the input gets a graph, even one whose rows were all dropped (empty graph)
    years = sorted(dict.fromkeys(report_counts.pop("years")), key=_year_sort) or [None]
    graphs: dict[Hashable, nx.Graph] = {}
    for y in years:
        g = nx.DiGraph() if directed else nx.Graph()
        part = edges[edges["year"] == y] if y is not None else edges[edges["year"].isna()]
        codes = pd.unique(pd.concat([part["u"], part["v"]], ignore_index=True))
        for c in sorted(codes):
            u = units.loc[c]
            g.add_node(
                c,
                code=c,
                name=u["name"],
                name_en=u["name_en"],
                province=u["province"],
                province_code=u["province_code"],
                lon=float(u["lon"]),
                lat=float(u["lat"]),
                point=Point(float(u["lon"]), float(u["lat"])),
            )
        for u, v, w, n in zip(part["u"], part["v"], part["sum"], part["size"], strict=True):
            g.add_edge(u, v, weight=float(w), n_records=int(n), distance=1.0 / float(w))
        graphs[y] = g
    report = NetworkReport(
        n_rows=report_counts["n_rows"],
        n_self_loops=len(loops),
        n_zero_weight=n_zero,
        n_reciprocal=n_reciprocal,
        n_single_city=report_counts.get("n_single_city", 0),
        n_unmatched_rows=report_counts["n_unmatched_rows"],
        self_loops=self_loops,
        unmatched=unmatched,
        matches=matches,
    )
    return CityNetwork(graphs, level=level, directed=directed, report=report, source=source)


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
    codes, matches, unmatched, bad = _resolve_columns(
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
    matches = _resolve(flat, level, merge_history)
    code_of = dict(zip(matches["value"], matches["code"], strict=True))
    unmatched = _unmatched_table(matches, flat, row_of)
    n_unmatched_rows = len({i for v, i in zip(flat, row_of, strict=True) if code_of[v] is None})
    _handle_unmatched(unmatched, n_unmatched_rows, level, f"column {cities!r}", on_unmatched)
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


# --------------------------------------------------------------------------------------------
# geometry helpers
# --------------------------------------------------------------------------------------------
def _edge_line(a: tuple[float, float], b: tuple[float, float], lines: str) -> LineString:
    """Straight segment or great-circle arc (GRS80, the CGCS2000 ellipsoid) from a to b (lon, lat)."""
    if lines == "straight":
        return LineString([a, b])
    if lines != "great_circle":
        raise InputError(f"lines must be 'straight' or 'great_circle', not {lines!r}")
    from pyproj import Geod

    geod = Geod(ellps="GRS80")
    _, _, dist = geod.inv(a[0], a[1], b[0], b[1])
    n = int(min(64, max(0, dist // 50_000)))  # a vertex every ~50 km keeps the arc smooth
    mids = geod.npts(a[0], a[1], b[0], b[1], n) if n else []
    return LineString([a, *mids, b])
