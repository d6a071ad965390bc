"""Stage 4, web maps: offline folium maps built on one shared base.

Modules
-------
base       shared base (legend, feature collection, offline assets, zh/en text) and the map kinds
offline    vendored Leaflet/d3/jQuery inlined so a saved map opens without network

Maps read results (columns and classes) from measures and colours from styles; they never compute
a statistic.
"""

__all__: list[str] = []
