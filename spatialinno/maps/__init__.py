"""Stage 4, web maps: offline folium maps, one module per map kind on one shared base.

Modules
-------
base        the shared base: offline page, feature layers, outlines, border lines, legend, title,
            layer control (public helpers every map kind builds on)
frames      what a map draws: the user's rows on the simplified boundary layer, names, checks
choropleth  choropleth_map: a numeric column in classes
clusters    lisa_map, hotspot_map: local statistics (LISA clusters, Gi* hot and cold spots)
raster      grids of si.grid drawn as one image (lisa_map / hotspot_map of 10^4-10^6 cells)
study       coastal_lead_map, capital_effect_map: the maps of the reference study
capitals    the capital circles of capital_effect_map (sized, kept apart, labelled)
names       place-name labels (names=True | "province" | "prefecture" | "county") on any map
layout      the in-page layout: labels without collisions, circles that never overlap
network     network_map: a city network (nodes by tier, edges by weight)
spacetime   emerging_hotspot_map, gravity_map: emerging hot spots, the centre of gravity
offline     vendored Leaflet/d3/jQuery inlined so a saved map opens without network

Every map function returns a :class:`folium.Map` and takes ``m=`` to draw on an existing map.
Maps read results (columns and classes) from :mod:`spatialinno.measures.results` and colours,
classes, words and numbers from :mod:`spatialinno.styles`; they never compute a statistic.
A new map kind goes in its own module here, built on :mod:`spatialinno.maps.base` (see
CONTRIBUTING.md).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# map function -> module that defines it; imported on first use, so that importing
# spatialinno.maps.offline does not load every map kind
_KINDS: dict[str, str] = {
    "choropleth_map": "choropleth",
    "lisa_map": "clusters",
    "hotspot_map": "clusters",
    "coastal_lead_map": "study",
    "capital_effect_map": "study",
    "network_map": "network",
    "emerging_hotspot_map": "spacetime",
    "gravity_map": "spacetime",
}

__all__ = sorted(_KINDS)


def __getattr__(name: str) -> Any:
    if name in _KINDS:
        return getattr(import_module(f".{_KINDS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_KINDS))
