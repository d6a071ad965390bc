"""Assembly of a run's ``report.html`` from what the run computed: the join, the tables and maps of
each cross-section, the data notes, the method notes and the file list.

The page itself (escaping, layout, offline) is :class:`~spatialinno.workflow.report.Report`; here
is what goes on it, in which order and with which labels (:mod:`spatialinno.workflow.text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .options import Options
from .outputs import GPKG_FILE, REPORT_FILE, SUMMARY_FILE
from .panel import SPACE_TIME_NOTES, SpaceTime, space_time_blocks
from .report import Report
from .section import Section
from .text import TEXT

__all__ = [
    "closing_blocks",
    "join_block",
    "method_keys",
    "section_blocks",
    "write_analyze_report",
]


def join_block(rep: Report, gdf: Any, level: str, lang: str, source: str) -> None:
    """What was joined: rows matched and not, units without data, notes, the unmatched rows."""
    text = TEXT[lang]
    report = gdf.attrs["join_report"]
    rep.heading(f"{text['join']}: {source}")
    how = ", ".join(f"{h} {n}" for h, n in report.how_counts.items())
    rep.paragraph(
        text["join_rows"].format(
            n=len(report.rows),
            matched=len(report.matched),
            unmatched=len(report.unmatched),
            level=level,
            how=how,
        )
    )
    missing = report.units_without_data
    names = ", ".join(missing["name"].astype(str).head(40))
    if len(missing) > 40:
        names += f" … (+{len(missing) - 40})"
    rep.paragraph(
        text["join_units"].format(
            missing=len(missing), total=report.n_units, level=level, names=names or "–"
        )
    )
    for note in report.notes:
        rep.paragraph(note, note=True)
    if not report.unmatched.empty:
        um = report.unmatched[["key", "value", "how", "note", "candidates"]].copy()
        um.index.name = "row"
        rep.table(um, text["unmatched"])  # every row: the terminal shows only the first ones


def section_blocks(
    rep: Report, sec: Section, options: Options, heading: str, figures: Sequence[Any] = ()
) -> None:
    """Settings, tables, maps and print figures (``FigureFile``s with a PNG) of one section."""
    text = TEXT[options.lang]
    rep.heading(heading)
    perm = sec.lisa_settings.get("permutations", options.permutations)
    rep.paragraph(
        text["settings"].format(
            weights=options.weights,
            perm=perm,
            alpha=options.alpha,
            corr=options.correction or "none",
            seed=options.seed,
        ),
        note=True,
    )
    if sec.lisa_settings.get("permutations_note"):
        rep.paragraph(str(sec.lisa_settings["permutations_note"]), note=True)
    rep.table(sec.overview, text["overview"], percent=["theil_between_share"])
    rep.table(sec.moran, text["moran"], digits=4)
    rep.table(sec.clusters, text["clusters"])
    if sec.per_group is not None:
        pct = [c for c in sec.per_group.columns if "capital share" in c or "省会首位度" in c]
        rep.table(sec.per_group, text["per_group"], percent=pct)
        key = "per_group_note_county" if sec.level == "county" else "per_group_note"
        rep.paragraph(text[key], note=True)
    if sec.regions is not None:
        rep.table(sec.regions, text["regions"])
    rep.heading(text["maps"], level=3)
    for name, title in sec.maps:
        rep.map(name, title)
    shown = [f for f in figures if f.png]
    if shown:
        rep.heading(text["figures"], level=3)
    for fig in shown:
        rep.figure(fig.png, fig.title, fig.files, fig.width_mm)


def method_keys(level: str, options: Options, space_time: bool = False) -> list[str]:
    """The method notes a run's report carries (capital share below the province level)."""
    keys = ["gini", "spatial_gini"]
    if level != "province":
        keys.append("capital_share")
    keys += ["theil", "weights", "moran", "lisa", "gi_star"]
    if options.correction:
        keys.append("fdr")
    if space_time:
        keys += list(SPACE_TIME_NOTES)
    return keys


def closing_blocks(
    rep: Report,
    messages: Sequence[str],
    files: Sequence[str],
    level: str,
    options: Options,
    space_time: bool = False,
) -> None:
    """After the results: the data notes (if any), the method notes and the file list.

    Data notes come after the results: long lists of left-out units, read when needed.
    """
    text = TEXT[options.lang]
    if messages:
        rep.heading(text["warnings"])
        rep.warnings(messages)
    rep.method(method_keys(level, options, space_time))
    rep.heading(text["files"])
    rep.files(files)


def write_analyze_report(
    out: Path,
    sec: Section,
    options: Options,
    source: str,
    subtitle: str,
    messages: Sequence[str],
    figures: Sequence[Any] = (),
    space_time: SpaceTime | None = None,
) -> list[str]:
    """Write report.html of an analyze run into ``out``; return every file of the run.

    ``figures`` are the print figures written (:func:`spatialinno.figures.run.write_figures`);
    ``space_time``: the panel mode's section (``--time``), after the cross-section.
    """
    text = TEXT[options.lang]
    rep = Report(text["analyze_title"], lang=options.lang, subtitle=subtitle)
    join_block(rep, sec.gdf, sec.level, options.lang, source)
    section_blocks(rep, sec, options, text["results"], figures)
    files = [REPORT_FILE, SUMMARY_FILE, GPKG_FILE, *(m for m, _ in sec.maps), *sec.extra_files]
    files += [f for fig in figures for f in fig.files]
    if space_time is not None:
        space_time_blocks(rep, space_time, options)
        files += space_time.files
    closing_blocks(rep, messages, files, sec.level, options, space_time is not None)
    rep.save(out / REPORT_FILE)
    return files
