"""From raw records to units and networks: address text to codes, co-patent records to a network.

Modules: :mod:`~spatialinno.records.gazetteer` (the name index of the bundled layers and the code
history), :mod:`~spatialinno.records.locate` (``si.locate``: Chinese address text to province,
prefecture and county codes), :mod:`~spatialinno.records.copatent` (``si.copatent_network``:
co-applicant records to a :class:`~spatialinno.CityNetwork`) and
:mod:`~spatialinno.records.sources` (the same work on a pandas DataFrame, on CSV/Parquet files in
bounded memory, or on a dask DataFrame partition by partition).
"""

__all__: list[str] = []
