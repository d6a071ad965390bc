"""Statistics of the flow (stage 3): pure functions over (Geo)DataFrames and networks.

Being filled by the restructure (issue 14); :mod:`~spatialinno.measures.gravity` holds the
gravity-model network (``si.gravity_network``).
"""
