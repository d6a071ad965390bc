"""Stage 3 of the flow: statistics over (Geo)DataFrames, returned as frames or frozen results.

Modules here compute; they never draw, export or print. Public names are re-exported lazily by
``spatialinno/__init__.py`` (its ``_LAZY`` map), so importing this package imports nothing heavy.

- :mod:`~spatialinno.measures.dagum` -- Dagum (1997) Gini decomposition by groups, by year,
  with bootstrap intervals.
- :mod:`~spatialinno.measures.dynamics` -- kernel densities per year and their features,
  sigma- and beta-convergence.
- :mod:`~spatialinno.measures.composite` -- entropy-weight composite index, coupling
  coordination degree.
- :mod:`~spatialinno.measures.concentration_core` -- core shares of any focus-within-container
  table (international comparison).
"""
