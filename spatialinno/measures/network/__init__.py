"""Inter-city networks: build them from edge lists or co-application records, measure them.

The reference study links cities that share a patent application (weight = number of shared
patents) and reads density, hubs and the core / key / auxiliary hierarchy over time. This module
turns such tables into one :mod:`networkx` graph per year, keyed by the 6-digit GB/T 2260 code of
the boundary unit each city resolves to, and measures them.

Nodes carry ``code``, ``name``, ``name_en``, ``province`` and ``point`` (the representative point of
the unit's polygon on the boundary layer of the network's level, a shapely Point in EPSG:4490,
longitude/latitude in degrees; also as ``lon``/``lat``). A node is a city with at least one tie in
that year: cities that appear only in self-loops or in single-city records are not nodes (they are
counted in :class:`NetworkReport`).

Rules (documented once, used everywhere):

* **Undirected by default.** Records A→B and B→A (as in the air-route file, one row per direction)
  are *summed* into one undirected edge {A, B}; so are repeated rows of the same pair. With
  ``directed=True`` each direction stays its own edge and only repeated rows of the same
  direction are summed.
* **Self-loops** (source and target resolve to the same unit, including two spellings of one city)
  are dropped and counted; zero-weight records are dropped and counted.
* **Weighted paths** use distance = 1 / weight: a strong tie is a short path.
* **Tiers** are Fisher–Jenks natural breaks (exact optimum, deterministic: the one class-break
  rule of the package, :func:`spatialinno.measures.classify.fisher_jenks`, cross-checked against
  ``mapclassify.FisherJenks``) of the weighted degree into 3 classes within each year: top class
  ``core``, middle ``key``, bottom ``auxiliary``.

The bundled example network is the prefecture-level airline network of June 2014 built from the

Modules
-------
result      CityNetwork: the graphs per year and what is measured and exported from them
report      NetworkReport (what happened to the input rows), PartnerShare
build       city_network(), network_from_records(): records -> graphs
cities      resolving city names and codes to boundary units (as match_regions does)
centrality  degree, betweenness (weighted_betweenness), eigenvector, closeness, tiers
"""

from __future__ import annotations

from .build import city_network, network_from_records
from .centrality import TIER_ZH, TIERS, weighted_betweenness
from .report import NetworkReport, PartnerShare
from .result import CityNetwork

__all__ = [
    "TIERS",
    "TIER_ZH",
    "CityNetwork",
    "NetworkReport",
    "PartnerShare",
    "city_network",
    "network_from_records",
    "weighted_betweenness",
]
