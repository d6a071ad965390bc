"""Spatial weights for region frames: contiguity, k nearest neighbours, distance bands, islands.

A weights graph says which regions are neighbours. Everything here is built on the frame's rows, in
its order: the graph's ids are **row positions** ``0 .. n-1`` (not codes), so any statistic can line
the graph up with the frame by position, exactly like a ``w=`` a user builds with libpysal.

Because positions say nothing about *which* region a row holds, every statistic checks a ``w=``
against its frame before using it (:mod:`spatialinno.measures.alignment`).

Contiguity is vertex-based (queen: the two polygons share at least one vertex; rook: they share an
edge). For the bundled boundary layers (a frame holding exactly the units of
``si.load_boundaries(level)``) the contiguity precomputed at build time is used
(:func:`spatialinno.boundaries.contiguity`), which loads in milliseconds; any other frame is
computed afresh with libpysal's vertex-based algorithm in :data:`~spatialinno.boundaries.EQUAL_AREA_CRS`.
Distances (k nearest neighbours, distance bands, attaching islands) are measured in that equal-area
CRS (Albers, metres) and given in km.

China has real islands: on the prefecture layer 舟山, 三沙 and 台湾 have no land neighbour, and the
Hainan units form a group of their own. ``islands="nearest"`` links every island and island group to
the nearest unit outside it (boundary to boundary), so the graph becomes one connected component;
the links added are listed by :func:`weights_report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._errors import WeightsError
from .._notes import Note
from .._validate import POLYGON_LEVELS, region_labels
from ..boundaries.topology import attach_components, projected
from .alignment import GraphInfo, align, row_keys
from .links import Built, Links, adjacency

if TYPE_CHECKING:  # heavy imports only for type checkers; at run time they are imported lazily
    import geopandas as gpd
    import scipy.sparse as sp
    from libpysal.graph import Graph

__all__ = [
    "ISLAND_POLICIES",
    "KINDS",
    "WeightsReport",
    "spatial_links",
    "spatial_weights",
    "transform_matrix",
    "weights_report",
]

KINDS: tuple[str, ...] = ("queen", "rook", "knn", "distance")
ISLAND_POLICIES: tuple[str, ...] = ("nearest", "keep", "drop")


# ---------------------------------------------------------------------------------------------
# building
# ---------------------------------------------------------------------------------------------


def spatial_weights(
    gdf: gpd.GeoDataFrame,
    kind: Literal["queen", "rook", "knn", "distance"] = "queen",
    islands: Literal["nearest", "keep", "drop"] = "nearest",
    k: int | None = None,
    distance: float | None = None,
) -> Graph:
    """Build a binary spatial weights graph for the rows of a GeoDataFrame.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Regions (polygons; points are accepted for ``knn`` and ``distance``), any CRS that is set.
        Geometry is projected to :data:`spatialinno.boundaries.EQUAL_AREA_CRS` (Albers equal-area,
        metres) for every computation.
    kind : {"queen", "rook", "knn", "distance"}, default "queen"
        ``queen``: units sharing at least one boundary vertex; ``rook``: units sharing an edge
        (two consecutive vertices); ``knn``: the ``k`` nearest units by centroid distance (not
        symmetric); ``distance``: all units whose centroids are at most ``distance`` km apart.
        Centroids are the area-weighted centres of the polygons in the equal-area CRS.
    islands : {"nearest", "keep", "drop"}, default "nearest"
        What to do with units that have no neighbour (and, for ``"nearest"``, with groups of
        units cut off from the rest). ``nearest``: link every island and every island group to the
        unit outside it whose boundary is closest (both directions, weight 1), repeated until the
        graph is connected -- e.g. on prefectures 舟山 -> 宁波, the Hainan group -> 湛江,
        三沙 -> Hainan, 台湾 -> Fujian. ``keep``: islands stay without neighbours (statistics label
        them ``isolated``). ``drop``: islands are left out of the graph, whose ids are then the
        positions of the remaining rows. ``knn`` graphs never have islands; the policy does not
        apply to them.
    k : int, optional
        Number of neighbours, required for ``kind="knn"`` (1 <= k < number of rows).
    distance : float, optional
        Distance band in km (> 0), required for ``kind="distance"``.

    Returns
    -------
    libpysal.graph.Graph
        Binary weights (1 for a neighbour). Ids are the row positions ``0 .. n-1`` of ``gdf``
        (with ``islands="drop"`` the positions of the kept rows), so the graph is aligned by
        position with the frame. The graph remembers the codes (or index labels) of the rows
        it was built on, also through ``transform``, ``copy`` and ``to_W``: every statistic
        refuses it on a frame re-sorted, filtered or holding other regions. Row-standardisation
        is applied by the statistics (``transform="R"``), not here.

    Raises
    ------
    WeightsError
        Unknown kind or island policy, missing or invalid ``k``/``distance``, empty or missing
        geometry (the message names the rows), no CRS, contiguity asked for points.

    Notes
    -----
    Vertex-based contiguity keeps pairs that a ``touches`` predicate misses (连云港–日照, where
    the two polygons overlap by 0.27 km²). For a frame holding exactly the units of a bundled
    layer (same ``code`` set) the precomputed contiguity of that layer is used; it is identical to
    computing it afresh (tested).

    Examples
    --------
    >>> import spatialinno as si
    >>> prov = si.load_boundaries("province")
    >>> w = si.spatial_weights(prov)
    >>> hainan = int(prov.index[prov["code"] == "460000"][0])
    >>> prov.loc[list(w[hainan].index), "name"].tolist()
    ['广东省']
    >>> w.n_components
    1
    """
    import libpysal  # noqa: F401  (fail here with a clear ImportError rather than deeper down)

    return _build(gdf, kind, islands, k, distance).to_graph_remembered()


def spatial_links(
    gdf: gpd.GeoDataFrame,
    kind: Literal["queen", "rook", "knn", "distance"] = "queen",
    islands: Literal["nearest", "keep", "drop"] = "nearest",
    k: int | None = None,
    distance: float | None = None,
) -> Links:
    """The weights of :func:`spatial_weights` as :class:`~spatialinno.measures.links.Links`.

    Same arguments, links, checks and records (every statistic checks them against its frame
    the same way); no libpysal object, so no libpysal import for the bundled layers' contiguity,
    which is precomputed (the command-line workflow uses this). ``Links.to_graph()`` gives the
    ``Graph``.
    """
    return _build(gdf, kind, islands, k, distance).links_remembered()


def _build(
    gdf: gpd.GeoDataFrame, kind: str, islands: str, k: int | None, distance: float | None
) -> Built:
    """The adjacency of :func:`spatial_weights` (the arguments checked first)."""
    _check_kind_arguments(kind, islands, k, distance)
    _check_geometry(gdf, kind)
    n = len(gdf)
    if kind == "knn" and k is not None and k >= n:
        raise WeightsError(
            Note("knn_too_large", f"k={k} is too large for {n} rows; use k < {n}", k=k, n=n)
        )

    in_metres: gpd.GeoSeries | None = None

    def geoms() -> gpd.GeoSeries:
        # project lazily: the precomputed path for bundled layers never needs it
        nonlocal in_metres
        if in_metres is None:
            in_metres = projected(gdf)
        return in_metres

    source = "computed"
    level = _bundled_level(gdf) if kind in ("queen", "rook") else None
    if level is not None:
        focal, neighbor = _precomputed_pairs(gdf, level, kind)
        source = f"precomputed ({level})"
    elif kind in ("queen", "rook"):
        focal, neighbor = _fresh_contiguity(geoms(), rook=kind == "rook")
    elif kind == "knn":
        focal, neighbor = _knn_pairs(geoms(), int(k))  # type: ignore[arg-type]
    else:
        focal, neighbor = _distance_pairs(geoms(), float(distance) * 1000.0)  # type: ignore[arg-type]

    attached = pd.DataFrame(
        {"focal": pd.Series(dtype=int), "neighbor": pd.Series(dtype=int), "distance_km": []}
    )
    keep = np.arange(n)
    if kind != "knn" and islands == "nearest":
        if level is not None:
            # bundled layer: the links depend only on the bundled geometry, so they are cached
            attached = _bundled_attachments(level, kind, tuple(gdf["code"].astype(str)))
        else:
            attached = attach_components(geoms(), focal, neighbor, n)
        focal = np.concatenate([focal, attached["focal"].to_numpy(), attached["neighbor"]])
        neighbor = np.concatenate([neighbor, attached["neighbor"].to_numpy(), attached["focal"]])
    elif kind != "knn" and islands == "drop":
        keep = _with_neighbours(focal, n, kind)

    all_f, all_nb, weight, links = adjacency(focal, neighbor, keep)
    dropped = tuple(int(i) for i in np.setdiff1d(np.arange(n), keep))
    key_name, keys = row_keys(gdf)
    names = gdf["name"].to_numpy(dtype=object) if "name" in gdf.columns else None
    info = GraphInfo(
        kind, islands, source, n, attached.reset_index(drop=True), dropped, key_name, keys, names
    )
    return Built(all_f, all_nb, weight, np.asarray(keep, dtype=np.int64), links, info)


def _with_neighbours(focal: np.ndarray, n: int, kind: str) -> np.ndarray:
    """Positions of the rows that have a neighbour (``islands="drop"`` keeps only those)."""
    has_neighbor = np.zeros(n, dtype=bool)
    has_neighbor[focal] = True
    keep = np.flatnonzero(has_neighbor)
    if keep.size == 0:
        raise WeightsError(
            f"no unit of the {n} rows has a {kind} neighbour, so islands='drop' would leave "
            "nothing; use a larger distance or kind='knn'"
        )
    return keep


def _check_kind_arguments(kind: str, islands: str, k: int | None, distance: float | None) -> None:
    """Refuse an unknown kind or island policy, and k= / distance= missing, invalid or given
    for a kind they do not apply to."""
    if kind not in KINDS:
        raise WeightsError(f"unknown kind {kind!r}; valid kinds: {', '.join(KINDS)}")
    if islands not in ISLAND_POLICIES:
        raise WeightsError(
            f"unknown islands policy {islands!r}; valid policies: {', '.join(ISLAND_POLICIES)}"
        )
    if kind == "knn":
        if k is None or isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise WeightsError(f"kind='knn' needs k= a positive integer (got {k!r}), e.g. k=6")
    elif k is not None:
        raise WeightsError(f"k= only applies to kind='knn', not kind={kind!r}; remove k=")
    if kind == "distance":
        if (
            distance is None
            or isinstance(distance, bool)
            or not np.isfinite(float(distance))
            or float(distance) <= 0
        ):
            raise WeightsError(
                f"kind='distance' needs distance= a positive band in km (got {distance!r}), "
                "e.g. distance=150"
            )
    elif distance is not None:
        raise WeightsError(
            f"distance= only applies to kind='distance', not kind={kind!r}; remove distance="
        )


def _check_geometry(gdf: Any, kind: str) -> None:
    import geopandas as gpd

    if not isinstance(gdf, gpd.GeoDataFrame):
        raise WeightsError(
            f"spatial weights need a GeoDataFrame with region geometry, not {type(gdf).__name__}; "
            "join your table to boundaries first (si.join_indicators)"
        )
    if len(gdf) < 2:
        raise WeightsError(f"spatial weights need at least 2 rows; the frame has {len(gdf)}")
    if gdf.crs is None:
        raise WeightsError(
            "the GeoDataFrame has no CRS, so distances cannot be measured; set it first, e.g. "
            "gdf.set_crs('EPSG:4490') for CGCS2000 longitude/latitude"
        )
    geom = gdf.geometry
    bad = geom.isna().to_numpy() | geom.is_empty.to_numpy()
    if bad.any():
        names = ", ".join(region_labels(gdf).to_numpy()[bad][:10])
        raise WeightsError(
            f"{int(bad.sum())} row(s) have no geometry: {names}; drop them or join them to "
            "boundaries before building weights"
        )
    if kind in ("queen", "rook"):
        types = set(geom.geom_type)
        if not types <= {"Polygon", "MultiPolygon"}:
            raise WeightsError(
                f"{kind} contiguity needs polygons, but the geometry has {sorted(types)}; use "
                "kind='knn' (k=) or kind='distance' (distance= km) for points"
            )


def _bundled_level(gdf: gpd.GeoDataFrame) -> str | None:
    """Level of the bundled layer whose units the frame holds exactly, else None.

    Precomputed contiguity only describes the bundled geometry, so besides the code set we check
    that the frame's extent is that of the layer (a user's own polygons with the same codes, e.g.
    another vintage, get a fresh computation).
    """
    if "code" not in gdf.columns:
        return None
    codes = gdf["code"]
    if codes.isna().any() or codes.duplicated().any():
        return None
    sizes = {"province": 34, "prefecture": 375, "county": 2891}
    candidates = [lv for lv in POLYGON_LEVELS if sizes[lv] == len(gdf)]
    if not candidates:
        return None
    from ..boundaries.load import CRS, _read

    frame_bounds = np.asarray(gdf.geometry.to_crs(CRS).total_bounds)
    frame_codes = np.sort(codes.astype(str).to_numpy(dtype=object))
    for level in candidates:
        layer = _read(level)  # the cached layer, read-only here: no copy needed
        if not np.array_equal(layer["code"].to_numpy(dtype=object), frame_codes):  # code-sorted
            continue
        # simplified layers move boundaries by at most a few km: 0.1 degree is generous but far
        # smaller than any difference a foreign geometry would show at the national extent
        if np.allclose(frame_bounds, np.asarray(layer.total_bounds), atol=0.1):
            return level
    return None


def _precomputed_pairs(gdf: gpd.GeoDataFrame, level: str, kind: str) -> tuple[np.ndarray, ...]:
    from ..boundaries.load import _contiguity

    table = _contiguity(level, kind)  # codes stored as integers
    # the caller checked that the frame holds exactly the layer's codes, so every code is found
    codes = pd.Index(pd.to_numeric(gdf["code"]).to_numpy(dtype=np.int64))
    return (
        codes.get_indexer(table["focal"].to_numpy()),
        codes.get_indexer(table["neighbor"].to_numpy()),
    )


def _fresh_contiguity(geoms: gpd.GeoSeries, rook: bool) -> tuple[np.ndarray, np.ndarray]:
    from libpysal.graph import Graph

    # strict=False is libpysal's vertex-based algorithm (shared vertices / shared edges)
    g = Graph.build_contiguity(geoms, rook=rook, strict=False)
    return _pairs_of(g)


def _knn_pairs(geoms: gpd.GeoSeries, k: int) -> tuple[np.ndarray, np.ndarray]:
    from libpysal.graph import Graph

    try:
        g = Graph.build_knn(geoms.centroid, k=k)
    except ValueError as exc:  # libpysal refuses duplicate points with coplanar="raise"
        raise WeightsError(
            f"k nearest neighbours failed: {exc}; some rows share the same centroid -- remove "
            "duplicate regions"
        ) from exc
    return _pairs_of(g)


def _distance_pairs(geoms: gpd.GeoSeries, threshold_m: float) -> tuple[np.ndarray, np.ndarray]:
    from libpysal.graph import Graph

    g = Graph.build_distance_band(geoms.centroid, threshold=threshold_m, binary=True)
    return _pairs_of(g)


def _pairs_of(g: Graph) -> tuple[np.ndarray, np.ndarray]:
    adj = g.adjacency
    adj = adj[adj != 0]  # libpysal encodes islands as a zero self-link
    focal = adj.index.get_level_values("focal").to_numpy(dtype=int)
    neighbor = adj.index.get_level_values("neighbor").to_numpy(dtype=int)
    return focal, neighbor


def _bundled_attachments(level: str, kind: str, codes: tuple[str, ...]) -> pd.DataFrame:
    """Island links of a bundled layer (precomputed at build time with
    :func:`spatialinno.boundaries.topology.attach_components`)
    as row positions of a frame holding exactly the layer's ``codes``."""
    from ..boundaries.load import island_links

    table = island_links(level, kind)
    index = pd.Index(codes)
    return pd.DataFrame(
        {
            "focal": index.get_indexer(table["focal"].to_numpy()),
            "neighbor": index.get_indexer(table["neighbor"].to_numpy()),
            "distance_km": table["distance_km"].to_numpy(),
        }
    )


def transform_matrix(matrix: sp.csr_matrix, transform: str | None) -> sp.csr_matrix:
    """Apply a weights transformation: "R" row-standardised, "B" binary, "O"/None as given.

    On the matrix of the units a statistic uses, after the units without a value were left out
    with their links: row sums are those of the kept neighbours. ``Graph.transform`` works on a
    whole graph; ``Graph.subgraph(kept).transform(...).sparse`` gives the same matrix but took
    7.8 ms instead of 0.5 ms on the prefectures and 23 ms instead of 0.8 ms on the counties.
    """
    import scipy.sparse as sp

    m = sp.csr_matrix(matrix, dtype=float, copy=True)
    m.eliminate_zeros()
    if transform in (None, "O", "o"):
        return m
    if transform in ("B", "b"):
        m.data[:] = 1.0
        return m
    if transform in ("R", "r"):
        rows = np.asarray(m.sum(axis=1)).ravel()
        scale = np.divide(1.0, rows, out=np.zeros_like(rows), where=rows != 0)
        return sp.diags(scale) @ m
    raise WeightsError(
        f"unknown transform {transform!r}; use 'R' (row-standardised), 'B' (binary) or None "
        "(weights as given)"
    )


# ---------------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class WeightsReport:
    """What a weights graph looks like on a frame: islands, components, neighbour counts, links.

    Attributes
    ----------
    n : int
        Units in the graph.
    n_links : int
        Directed non-zero links (a symmetric pair counts twice).
    symmetric : bool
        Whether every link has its reverse.
    islands : tuple of str
        Units without neighbours (labels "name (code)").
    n_components : int
        Connected components (weakly connected for asymmetric graphs).
    component_sizes : tuple of int
        Sizes of the components, largest first.
    min_neighbors, mean_neighbors, max_neighbors : int, float, int
        Neighbour counts per unit.
    attached : pandas.DataFrame
        Links added by ``islands="nearest"``: ``from``, ``to`` (labels), ``distance_km``
        (boundary to boundary, equal-area CRS). Empty if none were added or unknown.
    dropped : tuple of str
        Rows left out by ``islands="drop"``.
    kind, source : str
        How the graph was built ("queen", ... / "precomputed (prefecture)", "computed"), or
        "user" when the graph did not come from :func:`spatial_weights`.
    """

    n: int
    n_links: int
    symmetric: bool
    islands: tuple[str, ...]
    n_components: int
    component_sizes: tuple[int, ...]
    min_neighbors: int
    mean_neighbors: float
    max_neighbors: int
    attached: pd.DataFrame
    dropped: tuple[str, ...]
    kind: str
    source: str
    _units: pd.DataFrame = field(repr=False)

    def __repr__(self) -> str:
        lines = [
            f"WeightsReport: {self.kind} weights ({self.source}), n={self.n}, "
            f"{self.n_links} links, {'symmetric' if self.symmetric else 'asymmetric'}",
            f"  neighbours per unit: min {self.min_neighbors}, mean {self.mean_neighbors:.2f}, "
            f"max {self.max_neighbors}",
            f"  components: {self.n_components} (sizes {list(self.component_sizes)})",
            f"  islands: {', '.join(self.islands) if self.islands else 'none'}",
        ]
        if len(self.attached):
            lines.append("  attached (islands='nearest'):")
            lines += [
                f"    {r['from']} -> {r['to']} ({r['distance_km']:.1f} km)"
                for _, r in self.attached.iterrows()
            ]
        if self.dropped:
            lines.append(f"  dropped (islands='drop'): {', '.join(self.dropped)}")
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """One row per unit of the graph: label, neighbours, component, island, attached_to."""
        return self._units.copy()


def weights_report(w: Any, gdf: gpd.GeoDataFrame) -> WeightsReport:
    """Describe a weights graph on its frame: islands, components, neighbours, attached links.

    Parameters
    ----------
    w : libpysal.graph.Graph or libpysal.weights.W
        Weights aligned by position with ``gdf`` (as returned by :func:`spatial_weights`).
    gdf : pandas.DataFrame or geopandas.GeoDataFrame
        The frame the weights were built on; its ``name``/``code`` columns label the units.

    Returns
    -------
    WeightsReport
        Frozen summary with a readable ``repr`` and ``.to_frame()`` (one row per unit).

    Examples
    --------
    >>> import spatialinno as si
    >>> pref = si.load_boundaries("prefecture")
    >>> rep = si.weights_report(si.spatial_weights(pref, islands="keep"), pref)
    >>> rep.islands
    ('舟山市 (330900)', '三沙市 (460300)', '台湾省 (710000)')
    >>> rep.n_components
    5
    >>> si.weights_report(si.spatial_weights(pref), pref).n_components
    1
    """
    found = align(w, len(gdf), gdf, "frame")
    positions, matrix = found.positions, found.matrix
    # provenance for the graph spatial_weights returned and the graphs transform() / copy() made
    # of it; a user graph equal to it link for link is "user" (its alignment was checked all the
    # same), and so is one converted to a W and back (from_W builds a new graph)
    info = found.origin
    labels = region_labels(gdf).to_numpy()
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    # Counted on the aligned matrix, not with Graph.cardinalities / component_labels / summary():
    # Graph.cardinalities counts a non-zero self weight (a Gi* graph, a user's w_ii) as a
    # neighbour, which a report of neighbours must not; component_labels is this same scipy call
    # on Graph.sparse, wrapped in a Series (0.2 ms here, 1.8 ms through a Graph on the counties);
    # summary() computes some 30 statistics (traces, s0-s2) in 15 ms on the counties, 2.5 times
    # this whole report, and none of the islands, attached links or dropped rows reported here.
    binary = sp.csr_matrix(matrix, copy=True)
    binary.setdiag(0)  # a self weight (e.g. for Gi*) is not a neighbour
    binary.eliminate_zeros()
    counts = np.diff(binary.indptr)
    n_comp, comp = connected_components(binary, directed=True, connection="weak")
    sizes = np.bincount(comp)
    # number components by size so that 0 is the largest (stable, readable in to_frame)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    symmetric = (binary != binary.T).nnz == 0

    kind, source, attached, attached_to, dropped = _provenance(info, labels, positions, len(gdf))
    units = pd.DataFrame(
        {
            "position": positions,
            "unit": labels[positions],
            "neighbors": counts,
            "component": rank[comp],
            "island": counts == 0,
            "attached_to": ["; ".join(x) for x in attached_to],
        }
    )
    return WeightsReport(
        n=len(positions),
        n_links=int(binary.nnz),
        symmetric=bool(symmetric),
        islands=tuple(str(x) for x in labels[positions][counts == 0]),
        n_components=int(n_comp),
        component_sizes=tuple(int(s) for s in sizes[order]),
        min_neighbors=int(counts.min()),
        mean_neighbors=float(counts.mean()),
        max_neighbors=int(counts.max()),
        attached=attached,
        dropped=dropped,
        kind=kind,
        source=source,
        _units=units,
    )


def _provenance(
    info: GraphInfo | None, labels: np.ndarray, positions: np.ndarray, n_frame: int
) -> tuple[str, str, pd.DataFrame, list[list[str]], tuple[str, ...]]:
    """kind, source, attached links, the units each unit was attached to, dropped rows."""
    attached = pd.DataFrame({"from": [], "to": [], "distance_km": []})
    attached_to: list[list[str]] = [[] for _ in range(len(positions))]
    if info is None or info.n_frame != n_frame:
        return "user", "user", attached, attached_to, ()
    a = info.attached
    attached = pd.DataFrame(
        {
            "from": labels[a["focal"].to_numpy(dtype=int)],
            "to": labels[a["neighbor"].to_numpy(dtype=int)],
            "distance_km": a["distance_km"].to_numpy(dtype=float),
        }
    )
    where = {int(p): i for i, p in enumerate(positions)}
    for f, nb in zip(a["focal"], a["neighbor"], strict=True):
        attached_to[where[int(f)]].append(str(labels[int(nb)]))
        attached_to[where[int(nb)]].append(str(labels[int(f)]))
    dropped = tuple(str(labels[i]) for i in info.dropped)
    return info.kind, info.source, attached, attached_to, dropped
