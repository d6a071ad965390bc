"""Stage 3, measures: statistics over (Geo)DataFrames of units, returning frames or frozen results.

Modules
-------
inference        the one module for permutation inference (pseudo p-values with ties on both
                 sides, conditional draws, exact enumeration, "auto" counts, FDR/Bonferroni)
alignment        checks that a weights graph belongs to the frame it is used with
weights          spatial_weights(), weights_report()
inequality       gini, spatial_gini, gini_by, capital_share, theil, location_quotient
autocorrelation  moran, geary, bivariate_moran, moran_by_year, lisa, hotspots
network          CityNetwork, city_network(), network_from_records()

Measures never import maps, figures, qgis (export), workflow or the CLI (checked by import-linter).
"""

__all__: list[str] = []
