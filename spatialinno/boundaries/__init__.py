"""Stage 1, the units: boundary layers, reference tables of regions, names, topology.

Modules
-------
load       load_boundaries(), layers(), the bundled contiguity data (EPSG:4490, Tianditu)
regions    provinces, prefecture-level units, NBS regions, municipalities, code history
names      name normalisation shared by every matcher (suffixes, ethnic designations, codes)
topology   equal-area projection, connected components, island links (shared with build.py)
grids      grid(): points to square equal-area cells or H3 hexagons, with the unit of each cell
rasterize  the unit under each pixel centre (square lattice, scanline fill of polygons), for the
           images of grids in web maps and print figures

Nothing here computes a statistic; everything above (tables, measures, maps ...) may import it.
"""

from __future__ import annotations

from .load import (
    COLUMNS,
    CRS,
    EQUAL_AREA_CRS,
    SOURCE,
    contiguity,
    island_links,
    layers,
    load_boundaries,
)

__all__ = [
    "COLUMNS",
    "CRS",
    "EQUAL_AREA_CRS",
    "SOURCE",
    "contiguity",
    "island_links",
    "layers",
    "load_boundaries",
]
