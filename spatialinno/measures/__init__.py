"""Statistics over (Geo)DataFrames: pure functions returning frames or frozen results.

The space-time measures (issue 18) live here: ``emerging`` (emerging hot spots: Gi* per unit and
year, Mann-Kendall trends, the ArcGIS Pro categories), ``markov`` (spatial Markov and LISA Markov
chains on giddy), ``centrography`` (centre of gravity and standard deviational ellipse per year)
and ``transitions`` (LISA cluster transitions between years). Their public names are reached
through ``spatialinno`` (``si.emerging_hotspots`` ...); this package imports nothing on purpose,
so that ``import spatialinno`` stays light.
"""
