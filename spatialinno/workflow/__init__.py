"""Stage 5, workflow: the analysis pipeline behind the CLI, the reference study, the report.

Modules
-------
analysis   ``analyze()`` and its result ``Analysis``: table in, report, maps, layers, summary out
study      the reference study reproduced (``study_facts()``) and the ``demo()`` built around it
section    one cross-section: every statistic, map and layer of some columns on one joined layer
assemble   what goes on report.html, in which order
report     the one-page offline HTML report (the page itself: blocks, escaping)
inputs     reading and checking the user's table for a run (columns, unmatched rows, headers)
options    the settings of a run, parsed and checked before any work
outputs    file names, the output-folder check, one styled layer, summary.csv, the data notes
staging    outputs written beside --out and moved in only when the run is complete
text       the zh/en labels of the report and the map titles

The command line (:mod:`spatialinno.cli`) only parses arguments into calls of ``analyze()`` and
``demo()`` and prints what they return.
"""

__all__: list[str] = []
