"""City networks to QGIS: nodes styled by tier, edges graduated by weight (GeoPackage/Shapefile)."""

from __future__ import annotations

import os
from collections.abc import Hashable
from pathlib import Path
from typing import Any

from .. import styles
from ..measures.network import CityNetwork
from .export import export

__all__ = ["export_network"]


def export_network(
    net: CityNetwork,
    path: str | os.PathLike[str],
    year: Hashable | None = None,
    lines: str = "straight",
    overwrite: bool = False,
    lang: str = "both",
) -> tuple[Any, Any]:
    """Write nodes (points styled by tier) and edges (lines graduated by weight) for QGIS.

    Uses :func:`spatialinno.export`. A GeoPackage (``.gpkg``, default) gets two layers,
    ``nodes`` and ``edges``, each with its QGIS style in ``layer_styles``; a Shapefile path
    ``net.shp`` gives ``net_nodes.shp`` and ``net_edges.shp`` with ``.qml`` styles. The
    tier colours are those of :func:`spatialinno.network_map`; edge classes are Fisher–Jenks breaks of
    the weight (up to 5 classes). CRS EPSG:4490.

    Parameters
    ----------
    path : str or path-like
    year : optional
        Needed when the network has several years.
    lines : {"straight", "great_circle"}
        Edge geometry, see :meth:`to_geodataframes`.
    overwrite : bool
        Replace existing layers/files of the same name.
    lang : {"both", "zh", "en"}
        Legend labels of the QGIS styles.

    Returns
    -------
    (nodes, edges) : tuple of spatialinno.ExportResult

    Examples
    --------
    >>> import pandas as pd, spatialinno as si, tempfile, pathlib
    >>> from spatialinno.qgis.network import export_network
    >>> e = pd.DataFrame({"a": ["北京市", "北京市"], "b": ["上海市", "天津市"]})
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "net.gpkg"
    >>> nodes, edges = export_network(si.city_network(e, "a", "b"), out)
    >>> nodes.layer, nodes.n_features, edges.layer, edges.n_features
    ('nodes', 3, 'edges', 2)
    """
    nodes, edges = net.to_geodataframes(year, lines=lines)
    p = Path(path)
    if p.suffix.lower() == ".shp":
        targets = [
            (p.with_name(f"{p.stem}_nodes.shp"), None),
            (p.with_name(f"{p.stem}_edges.shp"), None),
        ]
    else:
        if not p.suffix:
            p = p.with_suffix(".gpkg")
        targets = [(p, "nodes"), (p, "edges")]
    out_nodes = export(
        nodes,
        targets[0][0],
        layer=targets[0][1],
        style=styles.network_tiers(),
        overwrite=overwrite,
        lang=lang,
    )
    out_edges = export(
        edges,
        targets[1][0],
        layer=targets[1][1],
        style=styles.edge_weights(edges["weight"]),
        overwrite=overwrite,
        lang=lang,
    )
    return out_nodes, out_edges
