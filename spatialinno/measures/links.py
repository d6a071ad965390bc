"""Binary spatial weights held as a sparse matrix, for runs that never need a libpysal object.

:func:`spatialinno.spatial_weights` returns a libpysal ``Graph``, the object users compose with
the rest of PySAL. Importing libpysal costs 1.2-2 s in a fresh process (``libpysal.graph``
loads scipy.stats and scikit-learn, ``libpysal.common`` loads numba), more than a whole
cross-section of statistics on the prefectures. The statistics here read two things from a
graph -- its ids (``unique_ids``) and its sparse matrix (``sparse``) -- so the command-line
workflow builds :class:`Links` instead (:func:`spatialinno.measures.weights.spatial_links`): the
same links from the same builder, the same checks against the frame, the same numbers, without
the import. ``Links.to_graph()`` gives the libpysal ``Graph`` when one is wanted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .alignment import GraphInfo, remember, share_origin

if TYPE_CHECKING:
    import scipy.sparse as sp
    from libpysal.graph import Graph

__all__ = ["Built", "Links", "adjacency"]


@dataclass(frozen=True, eq=False, repr=False)
class Links:
    """Binary weights over row positions, as :func:`spatial_weights` builds them.

    Attributes
    ----------
    focal, neighbor, weight : numpy.ndarray
        The adjacency in libpysal's canonical order (sorted by focal, then neighbor): weight 1
        per link, an island as a zero-weight self link (libpysal's encoding).
    unique_ids : numpy.ndarray
        The row positions the weights cover, sorted (all rows unless ``islands="drop"``).
    sparse : scipy.sparse.csr_matrix
        The weights in the order of ``unique_ids``, equal entry for entry to the ``sparse`` of
        the libpysal ``Graph`` built from the same adjacency (explicit zeros of islands included).
    """

    focal: np.ndarray
    neighbor: np.ndarray
    weight: np.ndarray
    unique_ids: np.ndarray
    sparse: sp.csr_matrix

    @classmethod
    def from_arrays(cls, focal: np.ndarray, neighbor: np.ndarray, weight: np.ndarray) -> Links:
        """Links from an adjacency without duplicate pairs whose focals cover every unit (an
        island as a zero-weight self link), put in libpysal's order (focal, then neighbor)."""
        import scipy.sparse as sp

        focal, neighbor = np.asarray(focal), np.asarray(neighbor)
        order = np.lexsort((neighbor, focal))
        focal, neighbor, weight = focal[order], neighbor[order], np.asarray(weight)[order]
        ids = np.unique(focal)
        rows, cols = np.searchsorted(ids, focal), np.searchsorted(ids, neighbor)
        # from (data, indices, indptr) rather than COO: a COO conversion would sum duplicates
        # and could drop the explicit zeros that mark islands; the adjacency has no duplicates
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=ids.size))])
        matrix = sp.csr_matrix(
            (np.asarray(weight, dtype=float), cols.astype(np.int32), indptr.astype(np.int32)),
            shape=(ids.size, ids.size),
        )
        return cls(focal, neighbor, np.asarray(weight, dtype=float), ids, matrix)

    @property
    def n(self) -> int:
        """Number of units."""
        return int(self.unique_ids.size)

    @property
    def n_links(self) -> int:
        """Number of (directed) links, islands' zero self links not counted."""
        return int(np.count_nonzero(self.weight))

    def to_graph(self) -> Graph:
        """The libpysal ``Graph`` of these links (imports libpysal), with their provenance."""
        from libpysal.graph import Graph

        graph = Graph.from_arrays(self.focal, self.neighbor, self.weight)
        share_origin(self, graph)
        return graph

    def __repr__(self) -> str:
        islands = int(np.count_nonzero(self.weight == 0))
        return f"<Links: {self.n} units, {self.n_links} links, {islands} islands>"


def adjacency(
    focal: np.ndarray, neighbor: np.ndarray, keep: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Binary adjacency (focal, neighbor, weight) over the positions ``keep`` (sorted) in
    libpysal's canonical order, islands as libpysal's zero self-link, and its non-zero links
    (focal, neighbor), sorted and without duplicates."""
    focal = np.asarray(focal, dtype=np.int64)
    neighbor = np.asarray(neighbor, dtype=np.int64)
    keep = np.asarray(keep, dtype=np.int64)
    size = int(max(focal.max(initial=-1), neighbor.max(initial=-1), keep.max(initial=-1))) + 1
    kept = np.zeros(size, dtype=bool)
    kept[keep] = True
    valid = (focal != neighbor) & kept[focal] & kept[neighbor]
    # one integer per pair: np.unique both drops duplicate links and sorts by (focal, neighbor),
    # in numpy rather than through a DataFrame (this sits on the path of every weights call)
    pair = np.unique(focal[valid] * size + neighbor[valid])
    f, nb = pair // size, pair % size
    lonely = np.setdiff1d(keep, f)
    all_f = np.concatenate([f, lonely])
    all_nb = np.concatenate([nb, lonely])
    weight = np.concatenate([np.ones(f.size), np.zeros(lonely.size)])
    order = np.lexsort((all_nb, all_f))
    return all_f[order], all_nb[order], weight[order], (f, nb)


@dataclass(frozen=True)
class Built:
    """The adjacency a weights call built, with the record of the rows it was built on."""

    all_f: np.ndarray
    all_nb: np.ndarray
    weight: np.ndarray
    keep: np.ndarray
    links: tuple[np.ndarray, np.ndarray]
    info: GraphInfo

    def to_graph_remembered(self) -> Graph:
        """The libpysal ``Graph``, its rows recorded for the checks of every statistic."""
        from libpysal.graph import Graph

        graph = Graph.from_arrays(self.all_f, self.all_nb, self.weight)
        remember(graph, self.keep, *self.links, self.info)
        return graph

    def links_remembered(self) -> Links:
        """The :class:`Links`, their rows recorded for the checks of every statistic."""
        links = Links.from_arrays(self.all_f, self.all_nb, self.weight)
        remember(links, self.keep, *self.links, self.info)
        return links
