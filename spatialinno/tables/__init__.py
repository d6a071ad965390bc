"""Stage 2, tables: read a yearbook table and attach it to the units.

Modules
-------
read        read_table(): csv (utf-8/gbk/gb18030) and xlsx; column roles (codes, year)
cells       the cells as yearbooks write them: numbers, percentages, codes, years
sheet       spreadsheet layout detection (title rows, merged two-row headers, notes)
reference   the reference index of a level's units (names, aliases, code history)
recognise   one value -> a unit, and how (or why not)
match       match_regions(): the unit of every table row, key columns detected
join        join_indicators(), JoinReport
aggregate   aggregate(): units summed or averaged to a coarser level
datasets    bundled real tables with their sources, labels and units

Tables never compute statistics; measures, maps and the workflow import from here.
"""

__all__: list[str] = []
