"""CityNetwork: the graphs of a network per year, and what is measured and exported from them."""

from __future__ import annotations

import os
from collections.abc import Hashable, Sequence
from typing import Any

import geopandas as gpd
import networkx as nx
import pandas as pd
from shapely.geometry import LineString

from ..._errors import InputError
from ...boundaries.load import CRS
from .centrality import centrality_table
from .cities import resolve, unit_table
from .report import NetworkReport, PartnerShare

__all__ = ["CityNetwork"]


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
        table = resolve([value], self.level)
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
              (:func:`~spatialinno.measures.classify.fisher_jenks`, the exact optimum,
              deterministic) of ``weighted_degree`` into 3 classes within the year, top class
              ``core``. With fewer than 3 distinct values the classes are named from the top
              (core, then key).

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
        frames = [centrality_table(self.graphs[y], y) for y in years]
        # an empty year (no ties) would turn the year column into floats in concat
        kept = [f for f in frames if len(f)] or frames[:1]
        return pd.concat(kept, ignore_index=True)

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
            name = unit_table(self.level).loc[focal, "name"]
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
        from ...qgis.network import export_network

        return export_network(self, path, year=year, lines=lines, overwrite=overwrite, lang=lang)

    def plot(self, year: Hashable | None = None, top: int | None = None, **kwargs: Any) -> Any:
        """Print map of the network: :func:`spatialinno.figures.network.plot_network`.

        A convenience that forwards to the figures stage (imported when called, like
        :meth:`export`); ``kwargs`` are those of ``plot_network`` (``lang``, ``width`` ...).
        """
        from ...figures.network import plot_network

        return plot_network(self, year=year, top=top, **kwargs)


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
