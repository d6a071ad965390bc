"""Stage 5, workflow: the analysis pipeline behind the CLI, the reference study, the report.

Modules
-------
report     the one-page offline HTML report
inputs     reading and checking the user's table for a run (columns, unmatched rows, headers)
staging    outputs written beside --out and moved in only when the run is complete
"""

__all__: list[str] = []
