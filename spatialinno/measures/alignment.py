"""Checking a ``w=`` against the frame it is used with, for every statistic that takes one.

Weights go by row position: unit i of the graph (``Graph.unique_ids`` / ``W.id_order``) is row i
of the frame. Positions say nothing about *which* region a row holds, so a graph used with a
frame re-sorted, filtered or holding other regions would silently give each region somebody
else's neighbours (on the bundled census, Moran's I of popu_2020 went from 0.257 to 0.86 on a
re-sorted frame, with 144 LISA labels changed). :func:`aligned` therefore checks every graph:

- a graph built by :func:`spatialinno.spatial_weights` remembers the codes (or, without a
  ``code`` column, the index labels) of the rows it was built on, in order. The record is kept
  here, keyed by a fingerprint of the graph's ``unique_ids`` and links -- not on the Graph
  object, whose attributes ``Graph.transform``, ``copy`` and ``to_W`` drop -- so a transformed,
  copied or converted graph is still checked. A frame whose codes differ (order, subset, other
  regions) is refused, naming the first rows that differ;
- a user graph whose ids are the frame's codes, index or names must list them in the frame's
  order; ids that are region codes but not all of the frame's are refused, naming them; ids
  0..n-1 are positions (the documented contract), refused only when the frame's index is 0..n-1
  in another order (ambiguous).

Nothing is ever realigned silently: the WeightsError says which rows differ and what to do.
Limits: a user graph keyed by a frame's index cannot be told from a positional one once that
frame was sorted *and* renumbered (``reset_index``); key it by codes (or use
``si.spatial_weights``), whose checks hold through any renumbering.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import WeightsError

if TYPE_CHECKING:
    import scipy.sparse as sp

# used by every measure that takes ``w=``; not part of the public API (``si.*``)
__all__ = [
    "Alignment",
    "GraphInfo",
    "align",
    "aligned",
    "graph_of",
    "remember",
    "row_keys",
    "share_origin",
]


@dataclass(frozen=True, eq=False)
class GraphInfo:
    """Provenance of a graph built by :func:`spatialinno.spatial_weights`: how, on which rows."""

    kind: str
    islands: str
    source: str  # "precomputed (<level>)" or "computed"
    n_frame: int
    attached: pd.DataFrame  # focal, neighbor (positions), distance_km
    dropped: tuple[int, ...]
    key_name: str | None  # "code" or "index": what ``keys`` holds; None if the rows had no key
    keys: np.ndarray | None  # that key of every row of the frame, as str, in the frame's order
    names: np.ndarray | None  # the frame's "name" column (for messages)


# Nothing is stored on the Graph object: Graph.transform, copy and to_W drop any attribute set
# on it. Graphs built here are remembered by a fingerprint of their ids and links instead, which
# those operations keep: the check of a graph against its frame uses every record of its
# fingerprint (the newest record per set of rows). Bounded: the oldest records go first; a
# forgotten graph is then checked like a user graph.
_BUILT: OrderedDict[bytes, list[GraphInfo]] = OrderedDict()
_BUILT_MAX = 256
_BUILT_LOCK = threading.Lock()
# The provenance weights_report gives (kind, source, attached links) belongs to the graph object
# spatial_weights returned and to the graphs derived from it by transform() and copy(), not to
# every graph with the same links: a user's own graph equal link for link is "user". Those
# derived graphs share the built graph's adjacency index (transform reuses the index object,
# copy a view of it; pandas ``Index.is_`` holds through both), so each record keeps that index,
# per fingerprint, at most _ORIGINS_PER_KEY of them (a loop building the same graph again and
# again forgets the oldest).
_ORIGINS: OrderedDict[bytes, list[tuple[Any, GraphInfo]]] = OrderedDict()
_ORIGINS_PER_KEY = 16


def row_keys(frame: pd.DataFrame) -> tuple[str | None, np.ndarray | None]:
    """What identifies the frame's rows: its codes if complete and unique, else a unique index."""
    if "code" in frame.columns:
        codes = frame["code"]
        if codes.notna().all() and codes.is_unique:
            return "code", codes.astype(str).to_numpy(dtype=object)
    if frame.index.is_unique:
        return "index", _index_text(frame.index).to_numpy(dtype=object)
    return None, None


def _index_text(index: pd.Index) -> pd.Index:
    """The labels of an index as text (a MultiIndex label is the text of its tuple)."""
    if isinstance(index, pd.MultiIndex):
        return pd.Index([str(t) for t in index], dtype=object)
    return pd.Index(index.astype(str))


def _fingerprint(ids: pd.Index, matrix: sp.csr_matrix) -> bytes | None:
    """Digest of a graph's integer ids and links (not weights: a transform keeps it)."""
    if ids.dtype.kind not in "iu":
        return None  # graphs built here have integer (position) ids
    pattern = matrix.copy()
    pattern.eliminate_zeros()  # islands are zero self-links; transforms keep them at zero
    pattern.sort_indices()
    return _digest(ids.to_numpy(), pattern.indptr, pattern.indices)


def _digest(ids: np.ndarray, indptr: np.ndarray, indices: np.ndarray) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in (ids, indptr, indices):
        digest.update(np.ascontiguousarray(part, dtype=np.int64).tobytes())
    return digest.digest()


def remember(
    graph: Any, ids: np.ndarray, focal: np.ndarray, neighbor: np.ndarray, info: GraphInfo
) -> None:
    """Record ``info`` for ``graph``, built over ``ids`` (sorted positions) with the non-zero
    links ``focal -> neighbor`` (positions, sorted by focal then neighbor, no duplicates): the
    digest is that of the CSR pattern :func:`_fingerprint` finds in the Graph later, computed
    here without building the Graph's sparse matrix."""
    rows = np.searchsorted(ids, focal)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=ids.size))])
    key = _digest(ids, indptr, np.searchsorted(ids, neighbor))
    origin = _origin_token(graph)
    with _BUILT_LOCK:
        infos = _BUILT.pop(key, [])
        _BUILT[key] = [i for i in infos if not _same_rows(i, info)] + [info]
        _ORIGINS[key] = [*_ORIGINS.pop(key, []), (origin, info)][-_ORIGINS_PER_KEY:]
        for registry in (_BUILT, _ORIGINS):
            while len(registry) > _BUILT_MAX:
                registry.popitem(last=False)


def _origin(graph: Any, key: bytes | None) -> GraphInfo | None:
    """The record of the graph ``graph`` is, or was derived from by transform() / copy()."""
    with _BUILT_LOCK:
        origins = list(_ORIGINS.get(key, [])) if key is not None else []
    if not origins:
        return None
    token = _origin_token(graph)
    return next((info for origin, info in reversed(origins) if _same(token, origin)), None)


def share_origin(source: Any, derived: Any) -> None:
    """Let ``derived`` (``Links.to_graph()``) carry the provenance recorded for ``source``."""
    token, new = _origin_token(source), _origin_token(derived)
    with _BUILT_LOCK:
        for key, entries in _ORIGINS.items():
            found = [info for origin, info in entries if _same(token, origin)]
            if found:
                _ORIGINS[key] = [*entries, (new, found[-1])][-_ORIGINS_PER_KEY:]


def _origin_token(graph: Any) -> Any:
    """What a graph shares with the graphs derived from it: a libpysal Graph's adjacency index
    (kept by transform() and copy()), or the :class:`~spatialinno.measures.links.Links` itself."""
    from .links import Links

    return graph if isinstance(graph, Links) else graph.adjacency.index


def _same(token: Any, origin: Any) -> bool:
    if isinstance(token, pd.Index) and isinstance(origin, pd.Index):
        return bool(token.is_(origin))
    return token is origin


def _same_rows(a: GraphInfo, b: GraphInfo) -> bool:
    return (
        a.n_frame == b.n_frame
        and a.key_name == b.key_name
        and (a.keys is None or b.keys is None or np.array_equal(a.keys, b.keys))
    )


def graph_of(w: Any) -> Any:
    """``w`` as an object with ``unique_ids`` and ``sparse``: a libpysal Graph (a W converted)
    or the workflow's :class:`~spatialinno.measures.links.Links` (checked first: it needs no
    libpysal import)."""
    from .links import Links

    if isinstance(w, Links):
        return w
    from libpysal.graph import Graph
    from libpysal.weights import W

    if isinstance(w, W):
        return Graph.from_W(w)
    if isinstance(w, Graph):
        return w
    raise WeightsError(
        f"w must be a libpysal Graph or W (e.g. si.spatial_weights(gdf)), not {type(w).__name__}"
    )


@dataclass(frozen=True, eq=False)
class Alignment:
    """A graph lined up with its frame: where its units are, its weights, its records."""

    positions: np.ndarray  # frame position of each unit of the graph, in the graph's order
    matrix: sp.csr_matrix  # weights in the graph's order
    info: GraphInfo | None  # the record of the rows, when the links were built by spatial_weights
    origin: GraphInfo | None = None  # the record of this very graph (or the one it derives from)


def aligned(
    w: Any, n: int, frame: pd.DataFrame | None = None, noun: str = "frame"
) -> tuple[np.ndarray, sp.csr_matrix]:
    """Positions (in the frame) of the graph's units and its weights matrix in that order.

    ``w`` is a libpysal ``Graph`` or ``W`` aligned by position with a frame of ``n`` rows: its
    i-th unit (``Graph.unique_ids`` / ``W.id_order``) is row i. A graph from
    ``spatial_weights(..., islands="drop")`` covers fewer rows; its ids are then the positions of
    the rows it covers. With ``frame``, the graph is checked against it (see the module notes)
    and refused with a :class:`~spatialinno.WeightsError` naming the first rows that differ.
    """
    found = align(w, n, frame, noun)
    return found.positions, found.matrix


def align(w: Any, n: int, frame: pd.DataFrame | None, noun: str) -> Alignment:
    """As :func:`aligned`, with the records of the graph when :func:`spatial_weights` built it."""
    graph = graph_of(w)
    ids = pd.Index(graph.unique_ids)
    matrix = graph.sparse.tocsr().astype(float)
    key = _fingerprint(ids, matrix)
    with _BUILT_LOCK:
        infos = list(_BUILT.get(key, [])) if key is not None else []
    if infos:
        info = _built_fit(infos, len(ids), n, frame, noun)
        return Alignment(ids.to_numpy(dtype=np.int64), matrix, info, _origin(graph, key))
    if len(ids) == n:
        if frame is not None:
            _check_user_ids(ids, frame)
        return Alignment(np.arange(n), matrix, None)
    raise WeightsError(
        f"w has {len(ids)} units but the {noun} has {n} rows; w must be built on the same rows in "
        f"the same order, e.g. w = si.spatial_weights(gdf){_size_detail(ids, frame)}"
    )


def _built_fit(
    infos: list[GraphInfo], n_ids: int, n: int, frame: pd.DataFrame | None, noun: str
) -> GraphInfo:
    """The record of a graph built here that fits the frame, or a WeightsError saying why not."""
    sized = [i for i in infos if i.n_frame == n]
    if not sized:
        info = infos[-1]
        raise WeightsError(
            f"w has {n_ids} units but the {noun} has {n} rows: w was built by si.spatial_weights "
            f"on a frame of {info.n_frame} rows{_key_diff(info, frame)}. Weights go by row "
            "position, so build w from the rows you analyse (w = si.spatial_weights(gdf)); rows "
            "with a missing value need not be removed: statistics leave them out with their links"
        )
    if frame is None:
        return sized[-1]
    if row_keys(frame)[0] == "code" and any(i.key_name == "code" for i in sized):
        # the frame's codes say which region each row holds: a record of the same links built
        # on rows known only by their index labels cannot vouch for a frame whose codes are in
        # another order (a shuffled frame renumbered 0..n-1 has the index of any frame)
        sized = [i for i in sized if i.key_name == "code"]
    for info in reversed(sized):  # newest first
        if _frame_matches(info, frame):
            return info
    info = sized[-1]
    raise WeightsError(
        f"w does not fit this {noun}: w holds the links si.spatial_weights built for a frame "
        f"whose rows were {_rows_differ(info, frame)}. Weights go by row position, so each region "
        "would get another region's neighbours. Rebuild w from this frame "
        "(w = si.spatial_weights(gdf)) or restore the row order w was built on"
    )


def _frame_keys(info: GraphInfo, frame: pd.DataFrame) -> list[tuple[str, pd.Index]]:
    """The frame's candidates for ``info.key_name``: its code column and its index."""
    out = []
    if "code" in frame.columns:
        out.append(("code column", pd.Index(frame["code"].astype(str))))
    out.append(("index", _index_text(frame.index)))
    return out if info.key_name == "code" else out[::-1]


def _frame_matches(info: GraphInfo, frame: pd.DataFrame) -> bool:
    if info.key_name is None or info.keys is None:
        return True  # the rows it was built on had no key: nothing to compare
    return any(
        len(keys) == len(info.keys) and np.array_equal(keys.to_numpy(dtype=object), info.keys)
        for _, keys in _frame_keys(info, frame)
    )


def _built_label(info: GraphInfo, pos: int) -> str:
    key = str(info.keys[pos]) if info.keys is not None else f"row {pos}"
    if info.names is not None and info.key_name == "code":
        return f"{info.names[pos]} ({key})"
    return key if info.key_name == "code" else f"{info.key_name} {key}"


def _rows_differ(info: GraphInfo, frame: pd.DataFrame) -> str:
    """'in another order: row 3 is X where w has Y (12 of 375 rows differ)' or what is missing."""
    from .._validate import region_labels

    what, keys = _frame_keys(info, frame)[0]
    labels = region_labels(frame).to_numpy()
    built = pd.Index(info.keys)
    dup = keys[keys.duplicated()]
    if len(dup):
        rows = np.flatnonzero(keys == dup[0])
        return (
            f"each a different region, but this frame's {what} repeats {dup[0]!r} (rows "
            f"{', '.join(map(str, rows[:5]))}): one row per region is needed, e.g. one year of a "
            "long table"
        )
    if set(keys) == set(built):
        differ = np.flatnonzero(keys.to_numpy(dtype=object) != info.keys)
        r = int(differ[0])
        return (
            f"in another order: row {r} of this frame is {labels[r]}, where w was built with "
            f"{_built_label(info, r)} ({differ.size} of {len(keys)} rows differ; the frame was "
            "sorted or shuffled after w was built)"
        )
    return "other regions" + _key_diff(info, frame)


def _key_diff(info: GraphInfo, frame: pd.DataFrame | None) -> str:
    """'; 3 rows of the frame are not in w (first: ...), ...' from the recorded keys."""
    if frame is None or info.keys is None:
        return ""
    from .._validate import region_labels

    what, keys = _frame_keys(info, frame)[0]
    built = pd.Index(info.keys)
    extra = np.flatnonzero(~keys.isin(built))
    gone = np.flatnonzero(~built.isin(keys))
    labels = region_labels(frame).to_numpy()
    parts = []
    if extra.size:
        shown = ", ".join(str(labels[i]) for i in extra[:5])
        parts.append(f"{extra.size} row(s) of this frame were not in it (first: {shown})")
    if gone.size:
        shown = ", ".join(_built_label(info, int(i)) for i in gone[:5])
        parts.append(f"{gone.size} of its regions are not in this frame (first: {shown})")
    return f" (by {what}: " + "; ".join(parts) + ")" if parts else ""


def _user_candidates(frame: pd.DataFrame) -> dict[str, pd.Index]:
    """Labels a user's graph may be keyed by: code column, index, name column (unique only)."""
    out = {}
    if "code" in frame.columns:
        out["code column"] = pd.Index(frame["code"].astype(str))
    out["index"] = _index_text(frame.index)
    if "name" in frame.columns:
        out["name column"] = pd.Index(frame["name"].astype(str))
    return {k: v for k, v in out.items() if v.is_unique}


def _check_user_ids(ids: pd.Index, frame: pd.DataFrame) -> None:
    """Refuse a user graph whose ids are the frame's codes/index/names in another order, or
    region codes that are not all the frame's.

    Weights are aligned by position; a graph keyed by the same labels in a different order would
    silently give each region somebody else's neighbours.
    """
    from .._validate import region_labels

    as_str = pd.Index(ids.astype(str))
    candidates = _user_candidates(frame)
    if any(as_str.equals(labels) for labels in candidates.values()):
        return
    labels_of = region_labels(frame).to_numpy()
    for what, labels in candidates.items():
        if set(as_str) == set(labels):
            r = int(np.flatnonzero(as_str.to_numpy() != labels.to_numpy())[0])
            raise WeightsError(
                f"the ids of w are the frame's {what} in a different order (row {r} of this frame "
                f"is {labels_of[r]}, but unit {r} of w is {as_str[r]!r}); w is aligned by "
                "position, so reorder the frame to w's order or rebuild w from this frame "
                "(si.spatial_weights(gdf))"
            )
    # ids that are region codes of the frame, but not all of them: another set of regions
    codes = candidates.get("code column")
    if codes is not None and ids.dtype.kind not in "iuf":
        known = as_str.isin(codes)
        if known.any():
            foreign = as_str[~known]
            missing = np.flatnonzero(~codes.isin(as_str))
            raise WeightsError(
                f"the ids of w are region codes, but {len(foreign)} of them are not in the frame's "
                f"code column (first: {', '.join(foreign[:5])}) and {missing.size} row(s) of the "
                f"frame are not in w (first: {', '.join(labels_of[missing[:5]])}); build w from "
                "this frame (si.spatial_weights(gdf))"
            )


def _size_detail(ids: pd.Index, frame: pd.DataFrame | None) -> str:
    """Which rows are missing on either side, when w's ids are the frame's codes or index."""
    if frame is None:
        return ""
    from .._validate import region_labels

    as_str = pd.Index(ids.astype(str))
    labels_of = region_labels(frame).to_numpy()
    candidates = {"index": _index_text(frame.index)}
    if "code" in frame.columns:
        candidates = {"code column": pd.Index(frame["code"].astype(str)), **candidates}
    for what, labels in candidates.items():
        inside = as_str.isin(labels)
        if ids.dtype.kind in "iu" and what == "index" and not inside.all():
            continue  # integer ids only partly in the index: positions, not labels
        if not inside.any():
            continue
        if not labels.is_unique:
            dup = labels[labels.duplicated()][0]
            rows = np.flatnonzero(labels == dup)
            return (
                f". The frame's {what} repeats {dup!r} (rows {', '.join(map(str, rows[:5]))}), so "
                f"rows cannot be told apart by it: reset_index(drop=True) and rebuild w"
            )
        missing = np.flatnonzero(~labels.isin(as_str))
        foreign = as_str[~inside]
        parts = []
        if missing.size:
            parts.append(
                f"{missing.size} row(s) of the frame are not in w (first: "
                f"{', '.join(labels_of[missing[:5]])})"
            )
        if len(foreign):
            parts.append(
                f"{len(foreign)} id(s) of w are not in the frame (first: {', '.join(foreign[:5])})"
            )
        return f". By the frame's {what}: " + "; ".join(parts) if parts else ""
    return ""
