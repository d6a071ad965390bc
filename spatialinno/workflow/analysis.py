"""``analyze``: from a table to a report, offline maps, styled QGIS layers and ``summary.csv``.

The pipeline behind ``spatialinno analyze``, callable from a notebook with the same result: the
command line only parses its arguments into a call of :func:`analyze` and prints what it returns.

Steps: read the table (:mod:`~spatialinno.workflow.inputs`), join it to the boundary layer and
check columns and values, check the settings (:mod:`~spatialinno.workflow.options`), compute one
cross-section (:mod:`~spatialinno.workflow.section`), assemble the report
(:mod:`~spatialinno.workflow.assemble`); every output is written into a staging folder that
becomes ``out`` only when complete (:mod:`~spatialinno.workflow.staging`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from types import MappingProxyType
from typing import Any

import pandas as pd

from .._errors import InputError
from .._notes import Note
from .._progress import Progress
from ..tables.labels import with_labels
from .assemble import labeller, write_analyze_report
from .differences import check_methods, difference_section, method_panel
from .inputs import UNMATCHED, join_input, layer_columns, read_input, say, unmatched_text
from .options import check_columns, check_level, check_permutations_needed, make_options
from .outputs import REPORT_FILE, DataNotes, SummaryTable, check_out, earlier_outputs
from .panel import join_panel, panel_table, space_time
from .section import RunContext, cross_section
from .staging import Staging
from .text import LEVEL, TERMINAL, TEXT

__all__ = ["Analysis", "analyze"]


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Analysis:
    """What :func:`analyze` (or :func:`~spatialinno.demo`) computed and wrote.

    Attributes
    ----------
    out : pathlib.Path
        The output folder.
    files : tuple of str
        Files written, relative to ``out``.
    summary : pandas.DataFrame
        The content of ``summary.csv``: ``section``, ``indicator``, ``measure``, ``group``,
        ``name``, ``value`` (one number per row).
    frame : geopandas.GeoDataFrame or None
        The joined layer (every unit, the analysed columns) for ``analyze``.
    seconds : float
        Wall time of the run.
    warnings : tuple of str
        Data warnings raised during the run (also listed in the report).
    tables : mapping of str to pandas.DataFrame
        The report's tables by name: ``overview`` (Gini, spatial Gini, Theil), ``moran``,
        ``clusters`` (LISA and Gi* counts), ``per_group`` (per province, below the province
        level) and ``regions`` (NBS region means); the demo names them by part.
    maps : mapping of str to str
        The offline maps written: file name (relative to ``out``) -> title.
    """

    out: Path
    files: tuple[str, ...]
    summary: pd.DataFrame = field(repr=False)
    frame: Any = field(default=None, repr=False)
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    maps: Mapping[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # read-only views: the result is frozen, its mappings too
        object.__setattr__(self, "tables", _frozen(self.tables))
        object.__setattr__(self, "maps", _frozen(self.maps))

    def __getstate__(self) -> dict[str, Any]:
        # a read-only mapping does not pickle: plain dicts in the pickle, read-only again after
        return {**self.__dict__, "tables": dict(self.tables), "maps": dict(self.maps)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def __repr__(self) -> str:
        return (
            f"Analysis(out={str(self.out)!r}, {len(self.files)} files, "
            f"{len(self.summary)} summary rows, {len(self.warnings)} warnings, "
            f"{self.seconds:.1f} s)"
        )

    @property
    def report(self) -> Path:
        """Path of ``report.html``."""
        return self.out / REPORT_FILE

    @property
    def paths(self) -> tuple[Path, ...]:
        """Every file written, as a path (``out / file``)."""
        return tuple(self.out / f for f in self.files)

    def to_frame(self) -> pd.DataFrame:
        """The summary table (same as ``summary.csv``)."""
        return self.summary.copy()


def _read(
    table: str | Path | pd.DataFrame,
    sheet: str | int,
    header: int | Sequence[int] | str | None,
    decimal: str | None,
    key: str | None,
    lang: str,
) -> pd.DataFrame:
    """The table of a run: a DataFrame as given, or read from its file."""
    if isinstance(table, pd.DataFrame):
        return table
    keys = [k.strip() for k in key.split(",")] if key else []
    return read_input(table, sheet, header=header, decimal=decimal, code_columns=keys, lang=lang)


def analyze(
    table: str | Path | pd.DataFrame,
    level: str,
    columns: Sequence[str],
    out: str | Path,
    *,
    year: int | None = None,
    key: str | None = None,
    sheet: str | int = 0,
    header: int | Sequence[int] | str | None = "auto",
    decimal: str | None = None,
    on_unmatched: str = "raise",
    weights: str = "queen",
    permutations: int | str = "auto",
    alpha: float = 0.05,
    correction: str | None = "fdr",
    seed: int = 0,
    lang: str = "zh",
    formats: Sequence[str] = ("gpkg",),
    figures: Sequence[str] | str | None = None,
    overwrite: bool = False,
    quiet: bool = True,
    labels: Mapping[str, object] | None = None,
    methods: Sequence[str] | str | None = None,
    time: str | None = None,
    jobs: int | None = None,
) -> Analysis:
    """Join a table to a boundary layer; write the report, maps, layers and summary into ``out``.

    The outputs are moved into ``out`` only when all of them are complete: an error or an
    interruption leaves ``out`` as it was. ``spatialinno analyze`` calls this function.

    Parameters
    ----------
    table : path or pandas.DataFrame
        ``.csv`` (UTF-8, GBK, GB18030), ``.xlsx`` or a DataFrame with a region column (codes or
        names, detected) and the indicator ``columns``.
    level : {"province", "prefecture", "county"}
        Boundary layer (Tianditu, EPSG:4490) the rows belong to.
    columns : list of str
        Non-negative indicator columns (levels: people, yuan, patents ...).
    out : path
        Output folder; must be empty or new unless ``overwrite``.
    year : int, optional
        Year of a long (``year`` column) or wide (``x_2021``) table; needed for several years.
    key : str, optional
        Column(s) holding codes or names (comma-separated); detected when omitted.
    sheet, header, decimal
        Worksheet of an ``.xlsx``; header row(s), 0-based, or "auto" (detects a yearbook
        layout); decimal mark of numbers written as text -- as in :func:`spatialinno.read_table`.
    on_unmatched : {"raise", "warn", "drop"}
        Table rows that match no unit: stop with :class:`~spatialinno.JoinError` listing them
        (default); go on, listed as a warning; or go on, listed as dropped on purpose. Either
        way they are listed in the report (and on the terminal by the command line).
    weights : str
        ``queen`` (default), ``rook``, ``knn:K`` or ``distance:KM``; islands are linked to their
        nearest unit.
    permutations : int or "auto"
        Conditional permutations for LISA ("auto": enough for the correction to be able to
        reject); Moran's I and the spatial Gini use 999 with "auto". A count no test of the run
        can use is refused before any work.
    alpha : float
        Significance level of LISA clusters (Gi* bins are always 90/95/99 %).
    correction : {"fdr", "bonferroni", None}, default "fdr"
        Multiple-testing correction for LISA and Gi* (the same default as the command line
        and :func:`~spatialinno.demo`): with hundreds of local tests at alpha = 0.05, an
        uncorrected map shows about alpha * m clusters under no pattern at all; FDR
        (Benjamini–Hochberg) keeps the expected share of false clusters at alpha. ``None``
        gives the uncorrected pseudo p-values (what :func:`~spatialinno.lisa` returns by
        default, as a building block).
    seed : int
        Seed of every permutation test: same seed, same output.
    lang : {"zh", "en"}
        Language of the report and the maps.
    formats : sequence of {"gpkg", "shp"}
        ``results.gpkg`` is always written; ``"shp"`` adds Shapefiles under ``shp/``.
    figures : str or sequence of {"png", "tif", "tiff", "pdf", "svg"}, optional
        Also write the print figures of each column (choropleth, LISA, Gi* with the South China
        Sea inset, Moran scatter plot) under ``figures/``, e.g. ``"png,pdf"``; the report
        embeds the PNGs (:func:`spatialinno.figures.run.write_figures`).
    overwrite : bool
        Replace the files of an earlier run in ``out`` (never other files).
    quiet : bool
        No progress bar (it is drawn only on a terminal anyway).
    labels : mapping of column -> label, optional
        Readable names and units of the columns, shown by the report, the map titles and
        legends and the QGIS layers instead of the column names: ``{"rd": "R&D经费|万元"}``,
        ``{"rd": {"zh": "R&D经费", "en": "R&D spending", "unit_zh": "万元", "unit_en": "10k
        yuan"}}`` (see :func:`spatialinno.with_labels`); merged over the labels the table
        brings (a unit row under its header, a bundled data set's).
    methods : str or list of {"dagum", "kde", "convergence"}, optional
        Sections of regional differences added to the report for every column, over every
        year of a long table (:mod:`~spatialinno.workflow.differences`).
    time : str, optional
        Panel mode (``--time year``): the column of a long table holding the years. The
        cross-section is ``year`` (default: the last year) and the report gets a space-time
        section over all years (:mod:`~spatialinno.workflow.panel`): emerging hot spots, the
        centre of gravity and the deviational ellipses (with their maps), the spatial Markov
        chain and the LISA cluster transitions between the first and the last year.
    jobs : int, optional
        Processes the columns are computed on (default: 2 where the machine has two cores and
        the platform forks, Linux; else 1). The outputs are the same, byte for byte.

    Returns
    -------
    Analysis
        Folder, files, summary, the joined frame, the report's tables, maps, timing, notes.

    Raises
    ------
    InputError, ColumnError, JoinError
        Bad file or option, unknown column (the message lists the available ones), rows not
        matched (with ``on_unmatched="raise"``), a year not in the table, an output folder that
        already holds files.

    Examples
    --------
    >>> import tempfile, spatialinno as si
    >>> t2 = si.load_dataset("zhao2025_table2")
    >>> res = si.analyze(t2, "province", ["capital_share"], tempfile.mkdtemp(), year=2021,
    ...                  permutations=99)
    >>> sorted(f for f in res.files if not f.endswith(".html")), sorted(res.tables)
    (['results.gpkg', 'summary.csv'], ['clusters', 'moran', 'overview', 'regions'])
    >>> s = res.summary
    >>> round(s.loc[s["measure"] == "gini", "value"].item(), 4) == round(
    ...     si.gini(t2.loc[t2["year"] == 2021, "capital_share"]), 4)
    True
    >>> float(res.tables["overview"].loc["capital_share", "gini"]) == s.loc[
    ...     s["measure"] == "gini", "value"].item()
    True
    """
    started = perf_counter()
    options = make_options(weights, permutations, alpha, correction, seed, lang, formats, jobs)
    level, columns = check_level(level), check_columns(columns)
    methods = check_methods(methods)
    _check_on_unmatched(on_unmatched)
    check_out(out, overwrite)
    figure_formats = _figure_formats(figures)
    source = Path(table).name if not isinstance(table, pd.DataFrame) else "the table"
    steps = 3 + (5 if time else 4) * len(columns)  # read, join, weights; per column 4 (+1); tables
    with Progress(steps, "analyze", enabled=False if quiet else None) as bar, DataNotes() as notes:
        bar.start("reading")
        frame = _read(table, sheet, header, decimal, key, lang)
        long = None
        if time is not None:  # panel mode: the cross-section is one year of the long table
            long, year = panel_table(frame, time, year, columns)
            frame = long
        bar.advance("joining")
        gdf = _join(frame, level, columns, year, key, source, on_unmatched, lang)
        if labels:
            gdf = with_labels(gdf, labels)
        n_units = max(int(pd.to_numeric(gdf[c], errors="coerce").notna().sum()) for c in columns)
        check_permutations_needed(options, n_units)
        with Staging(out, earlier_outputs) as stage:
            run = RunContext(options, stage.path, SummaryTable(), bar)
            _join_rows(run.summary, gdf.attrs["join_report"])
            sec = cross_section(gdf, level, columns, run, section="analyze")
            # a DataFrame has no file name: the report calls it a table in its own language
            shown = TEXT[lang]["frame_source"] if isinstance(table, pd.DataFrame) else source
            sub = _subtitle(gdf, shown, level, columns, year, options.lang)
            diff, st = _over_years(frame, gdf, long, level, columns, key, methods, run,
                                   on_unmatched, figure_formats)  # fmt: skip
            figs = _write_figures(stage.path, sec, figure_formats, options)
            files = write_analyze_report(
                stage.path, sec, options, shown, sub, notes.records, figs, diff, st
            )
            summary = run.summary.write(stage.path)
            stage.commit()
    return Analysis(
        out=Path(out),
        files=tuple(files),
        summary=summary,
        frame=gdf[[c for c in gdf.columns if c in (*layer_columns(level), *columns, "year")]],
        seconds=perf_counter() - started,
        warnings=tuple(notes.messages),
        tables={**sec.tables(), **(diff.tables if diff else {}), **(st.tables if st else {})},
        maps={**dict(sec.maps), **dict(st.maps if st else [])},
    )


def _over_years(
    frame: pd.DataFrame,
    gdf: Any,
    long: pd.DataFrame | None,
    level: str,
    columns: list[str],
    key: str | None,
    methods: Sequence[str],
    run: RunContext,
    on_unmatched: str,
    figure_formats: tuple[str, ...],
) -> tuple[Any, Any]:
    """The sections over every year: regional differences (``methods``), space-time (``time``)."""
    diff = st = None
    if methods:
        panel = method_panel(frame, gdf, level, columns, key)
        diff = difference_section(panel, columns, methods, run.out, run.summary,
                                  run.options.lang, print_formats=figure_formats)  # fmt: skip
    if long is not None:
        long = join_panel(long, level, columns, key, on_unmatched)
        st = space_time(long, columns, run, figures=figure_formats)
    return diff, st


def _check_on_unmatched(on_unmatched: str) -> None:
    if on_unmatched not in UNMATCHED:
        text = f"--on-unmatched must be raise, warn or drop, not {on_unmatched!r}"
        raise InputError(Note("bad_on_unmatched", text, mode=on_unmatched))


def _figure_formats(figures: Sequence[str] | str | None) -> tuple[str, ...]:
    """The ``--figures`` formats, checked before any work (matplotlib loaded only when asked)."""
    if not figures:
        return ()
    from ..figures.run import check_formats

    return check_formats(figures)


def _write_figures(out: Path, sec: Any, formats: tuple[str, ...], options: Any) -> list[Any]:
    """The print figures of the run (``--figures``), drawn from its own results."""
    if not formats:
        return []
    from ..figures.run import write_figures
    from .section import run_weights

    return write_figures(out, sec, formats, options.lang, weights=run_weights(sec.gdf, options),
                         permutations=options.moran_permutations, seed=options.seed)  # fmt: skip


def _join(
    frame: pd.DataFrame,
    level: str,
    columns: list[str],
    year: int | None,
    key: str | None,
    source: str,
    on_unmatched: str,
    lang: str = "en",
) -> Any:
    """The joined layer; rows left out (with ``on_unmatched`` warn/drop) said on the terminal,
    in ``lang``."""
    gdf = join_input(frame, level, columns, year, key, source, on_unmatched, lang)
    report = gdf.attrs["join_report"]
    if not report.unmatched.empty:
        verb = TERMINAL[lang]["note" if on_unmatched == "drop" else "warning"]
        text = unmatched_text(report, source, level, stop=False, lang=lang)
        say(f"spatialinno: {verb}: {text}")
    return gdf


def _subtitle(
    gdf: Any, source: str, level: str, columns: list[str], year: int | None, lang: str
) -> str:
    """The line under the report's title: table, level, columns (labels) and year."""
    label = labeller(gdf, lang)
    shown = TEXT[lang]["list_sep"].join(label(c) for c in columns)
    key = "subtitle_year" if year else "subtitle"
    return TEXT[lang][key].format(source=source, level=LEVEL[lang][level], columns=shown, year=year)


def _join_rows(summary: SummaryTable, report: Any) -> None:
    """The join's counts, the first rows of summary.csv."""
    summary.add("join", "", "table_rows", len(report.rows))
    summary.add("join", "", "rows_matched", len(report.matched))
    summary.add("join", "", "rows_unmatched", len(report.unmatched))
    summary.add("join", "", "units_without_data", len(report.units_without_data))
