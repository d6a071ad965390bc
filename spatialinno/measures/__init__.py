"""Stage 3, measures: statistics over (Geo)DataFrames of units, returning frames or frozen results.

Modules
-------
inference        the one module for permutation inference (pseudo p-values with ties on both
                 sides, "auto" counts, time limits, FDR/Bonferroni)
arrangements     the arrangements a permutation test runs through (random chunks, exact
                 enumeration, conditional draws) and the tie counts over them
alignment        checks that a weights graph belongs to the frame it is used with
weights          spatial_weights(), weights_report()
units            the units a spatial statistic uses (missing values left out with their links)
values           the values a measure of levels uses (checks shared by Gini, Theil, shares)
results          result objects and columns of the spatial statistics, the no-data rule
classify         the one class-break function (maps, styles and network tiers)
inequality       gini, theil
spatial_gini     spatial_gini (Rey–Smith decomposition with a permutation test)
concentration    gini_by, capital_share, location_quotient, region_summary
autocorrelation  moran, geary, bivariate_moran, moran_by_year (global)
local            lisa, hotspots (local)
network          CityNetwork, city_network(), network_from_records(), centrality, tiers
dagum            Dagum (1997) Gini decomposition by groups (within, net between, transvariation)
dynamics         kernel densities per year and their features; sigma and beta convergence
composite        entropy-weight composite index; coupling coordination degree
core_share       core shares of any focus-within-container table (international comparison)
emerging         emerging hot spots (Gi* per year, Mann-Kendall trend, the ArcGIS Pro categories)
markov           spatial Markov and LISA Markov chains (on giddy)
centrography     centre of gravity and standard deviational ellipse per year (on pointpats)
transitions      LISA cluster transitions between years
gravity          gravity-model networks between unit centroids

Measures never import maps, figures, qgis (export), workflow or the CLI (checked by import-linter).
"""

__all__: list[str] = []
