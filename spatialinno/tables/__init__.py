"""Stage 2, tables: read a yearbook table and attach it to the units.

Modules
-------
read       read_table(): csv (utf-8/gbk/gb18030) and xlsx, numbers as yearbooks write them
sheet      spreadsheet layout detection (title rows, merged two-row headers, notes)
join       match_regions(), join_indicators(), JoinReport, aggregate()
datasets   bundled real tables with their sources, labels and units

Tables never compute statistics; measures, maps and the workflow import from here.
"""

__all__: list[str] = []
