"""Assembly of a run's ``report.html`` from what the run computed: the join, the tables and maps of
each cross-section, the data notes, the method notes and the file list.

The page itself (escaping, layout, offline) is :class:`~spatialinno.workflow.report.Report`; here
is what goes on it, in which order and in which words (:mod:`spatialinno.workflow.text`): one
language throughout, columns shown by their readable label and unit
(:func:`spatialinno.styles.column_label`), statistics under their names, numbers by the one
format (:mod:`spatialinno.styles.numbers`), places by their names in the report's language.
The run's own tables (:attr:`spatialinno.Analysis.tables`) keep their column names; only what
the report shows is relabelled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..styles.numbers import format_number
from ..styles.text import column_label
from .differences import DifferenceSection, difference_blocks
from .notes import Coverage, data_notes, places, render, unit_name
from .options import Options, parse_weights
from .outputs import GPKG_FILE, REPORT_FILE, SUMMARY_FILE
from .panel import SPACE_TIME_NOTES, SpaceTime, space_time_blocks
from .report import Report
from .section import GI_UNTESTED, Section
from .text import HEADERS, HOW, LEVEL, REGION, TEXT

__all__ = [
    "closing_blocks",
    "coverage_of",
    "join_block",
    "labeller",
    "method_keys",
    "section_blocks",
    "settings_text",
    "write_analyze_report",
]

#: the statistic each column of the report's tables holds (its number format)
_MEASURES = {
    "gini": "gini",
    "spatial_gini_neighbor": "gini",
    "spatial_gini_nonneighbor": "gini",
    "spatial_gini_p": "p_sim",
    "theil": "theil",
    "theil_between": "theil",
    "theil_within": "theil",
    "theil_between_share": "share",
    "I": "I",
    "EI": "EI",
    "z": "z",
    "p_norm": "p_norm",
    "p_sim": "p_sim",
}


def labeller(gdf: Any, lang: str) -> Callable[[Any], str]:
    """Column -> its readable label with unit in ``lang`` (the frame's labels, the bundled
    ones, else the column's name); ``"mean"`` is the mean over the columns."""

    def label(column: Any) -> str:
        if column == "mean":
            return TEXT[lang]["mean"]
        return column_label(str(column), lang, frame=gdf, unit=True)

    return label


def coverage_of(gdf: Any, columns: Sequence[str], lang: str) -> Coverage:
    """The units without a value of ``columns`` of a joined frame, for the data notes."""
    return Coverage(gdf.attrs["join_report"], tuple(columns), labeller(gdf, lang))


def join_block(
    rep: Report, gdf: Any, level: str, lang: str, source: str, columns: Sequence[str] = ()
) -> None:
    """What was joined: rows matched and not; the units without a table row and, per column,
    those whose row has an empty cell; the join's notes; every row not matched."""
    text, label = TEXT[lang], labeller(gdf, lang)
    report = gdf.attrs["join_report"]
    level_word = LEVEL[lang][level]
    rep.heading(f"{text['join']}: {source}" if lang == "en" else f"{text['join']}：{source}")
    how = text["list_sep"].join(f"{HOW[lang].get(h, h)} {n}" for h, n in report.how_counts.items())
    rep.paragraph(
        text["join_rows"].format(
            n=len(report.rows),
            matched=len(report.matched),
            unmatched=len(report.unmatched),
            level=level_word,
            how=how,
        )
    )
    missing = report.units_without_data
    if len(missing):
        labels = [f"{n} ({c})" for n, c in zip(missing["name"], missing["code"], strict=True)]
        rep.paragraph(
            text["join_no_row"].format(
                missing=len(missing), total=report.n_units, level=level_word,
                names=places(labels, lang),
            )
        )  # fmt: skip
    else:
        rep.paragraph(text["join_all_rows"].format(total=report.n_units, level=level_word))
    for c in columns:
        empty = report.without_value(c)
        empty = empty[empty["why"] == "empty cell"]
        if len(empty):
            labels = [f"{n} ({code})" for n, code in zip(empty["name"], empty["code"], strict=True)]
            rep.paragraph(
                text["join_empty"].format(label=label(c), n=len(empty), names=places(labels, lang))
            )
    for note in report.notes:
        rep.paragraph(render(note, lang, label), note=True)
    if not report.unmatched.empty:
        rep.table(_unmatched(report.unmatched, lang), text["unmatched"])  # every row


def _unmatched(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows not matched as the report shows them: column, value, reason, note, candidates."""
    h = HEADERS[lang]
    shown = pd.DataFrame(
        {
            h["key"]: rows["key"].astype(str),
            h["value"]: rows["value"].map(str),
            h["how"]: rows["how"].map(lambda v: HOW[lang].get(v, v)),
            h["note"]: rows["note"].map(lambda n: render(n, lang)),
            h["candidates"]: rows["candidates"].map(
                lambda c: places(c, lang, limit=5) if len(c) else ""
            ),
        },
        index=pd.Index(rows.index, name=h["row"]),
    )
    return shown


def settings_text(sec: Section, options: Options) -> str:
    """The settings sentence of a cross-section: weights, permutations, alpha, correction, seed."""
    text = TEXT[options.lang]
    spec = parse_weights(options.weights)
    kind = spec["kind"]
    d = spec.get("distance")
    weights = text[f"weights_{kind}"].format(k=spec.get("k"), d=format_number(d) if d else d)
    return text["settings"].format(
        weights=weights,
        perm=sec.lisa_settings.get("permutations", options.permutations),
        alpha=options.alpha,
        corr=text[f"correction_{options.correction or 'none'}"],
        seed=options.seed,
    )


def section_blocks(
    rep: Report, sec: Section, options: Options, heading: str, figures: Sequence[Any] = ()
) -> None:
    """Settings, tables, maps and print figures (``FigureFile``s with a PNG) of one section."""
    lang = options.lang
    text, label = TEXT[lang], labeller(sec.gdf, lang)
    rep.heading(heading)
    rep.paragraph(settings_text(sec, options), note=True)
    note = sec.lisa_settings.get("permutations_note")
    if note and getattr(note, "key", "").startswith("auto"):  # a count given is in the settings
        rep.paragraph(render(note, lang), note=True)
    _stat_table(rep, sec.overview, label, lang, text["overview"])
    _stat_table(rep, sec.moran, label, lang, text["moran"])
    rep.table(_clusters(sec.clusters, label, lang), text["clusters"])
    if sec.per_group is not None:
        shown, measures = _per_group(sec.per_group, sec.columns, label, lang)
        rep.table(shown, text["per_group"], measures=measures)
        key = "per_group_note_county" if sec.level == "county" else "per_group_note"
        rep.paragraph(text[key], note=True)
    if sec.regions is not None:
        rep.table(_regions(sec.regions, label, lang), text["regions"])
    rep.heading(text["maps"], level=3)
    for name, title in sec.maps:
        rep.map(name, title)
    shown = [f for f in figures if f.png]
    if shown:
        rep.heading(text["figures"], level=3)
    for fig in shown:
        rep.figure(fig.png, fig.title, fig.files, fig.width_mm)


def _stat_table(
    rep: Report, frame: pd.DataFrame, label: Callable[[Any], str], lang: str, caption: str
) -> None:
    """A table of statistics (one row per indicator): headers and number format by measure."""
    h = HEADERS[lang]
    shown = frame.rename(columns=lambda c: h.get(c, c))
    shown.index = pd.Index([label(i) for i in frame.index], name=h["indicator"])
    measures = {h.get(c, c): _MEASURES[c] for c in frame.columns if c in _MEASURES}
    rep.table(shown, caption, measures=measures)


def _clusters(frame: pd.DataFrame, label: Callable[[Any], str], lang: str) -> pd.DataFrame:
    """LISA and Gi* counts with the class names of the maps' legends."""
    from .. import styles

    h = HEADERS[lang]

    def header(column: str) -> str:
        kind, _, value = column.partition(" ")
        if kind == "LISA":
            return h["lisa_of"].format(label=styles.LISA.label_of(value, lang))
        if value == GI_UNTESTED:
            return h["gi_of"].format(label=h["gi_untested"])
        return h["gi_of"].format(label=styles.HOTSPOTS.label_of(int(value), lang))

    shown = frame.rename(columns=header)
    shown.index = pd.Index([label(i) for i in frame.index], name=h["indicator"])
    return shown


def _per_group(
    frame: pd.DataFrame, columns: Sequence[str], label: Callable[[Any], str], lang: str
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The per-province table (section.per_group_table's columns, in the run's language)."""
    h = HEADERS[lang]
    g_word, s_word = ("Gini", "capital share") if lang == "en" else ("基尼", "省会首位度")
    codes = [str(c) for c in frame.index]
    shown = pd.DataFrame(index=pd.Index(codes, name=h["province"]))
    shown.index = [unit_name(frame.loc[c, "province"], c, lang) for c in frame.index]
    shown.index.name = h["province"]
    shown[h["n_units"]] = frame["n_units"].to_numpy()
    measures: dict[str, str] = {}
    for word, key, measure in ((g_word, "gini_of", "gini"), (s_word, "share_of", "share")):
        if key == "share_of":
            shown[h["capital"]] = [
                unit_name(n, c, lang) if isinstance(n, str) else ""
                for n, c in zip(frame["capital"], codes, strict=True)
            ]
        for c in [*columns, "mean"]:
            name = h[key].format(label=label(c))
            shown[name] = frame[f"{word} {c}"].to_numpy()
            measures[name] = measure
    shown[h["note"]] = [render(n, lang, label) for n in frame["note"]]
    return shown, measures


def _regions(frame: pd.DataFrame, label: Callable[[Any], str], lang: str) -> pd.DataFrame:
    """Means by NBS region, regions and columns named in the report's language."""
    h = HEADERS[lang]
    shown = frame.drop(columns=["region_zh"], errors="ignore")
    shown = shown.rename(columns=lambda c: h["n_units"] if c == "n_units" else label(c))
    shown.index = pd.Index([REGION[lang].get(r, r) for r in frame.index], name=h["region"])
    return shown


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
    messages: Sequence[object],
    files: Sequence[str],
    level: str,
    options: Options,
    coverage: Sequence[Coverage] = (),
    space_time: bool = False,
) -> None:
    """After the results: the data notes (if any), the method notes and the file list.

    Data notes come after the results: long lists of left-out units, read when needed. They
    are written in the report's language and fold what several statistics said about the
    units without a value (:func:`~spatialinno.workflow.notes.data_notes`).
    """
    text = TEXT[options.lang]
    lines = data_notes(messages, coverage, options.lang)
    if lines:
        rep.heading(text["warnings"])
        rep.warnings(lines)
    rep.method(method_keys(level, options, space_time))
    rep.heading(text["files"])
    rep.files(files)


def write_analyze_report(
    out: Path,
    sec: Section,
    options: Options,
    source: str,
    subtitle: str,
    messages: Sequence[object],
    figures: Sequence[Any] = (),
    differences: DifferenceSection | None = None,
    space_time: SpaceTime | None = None,
) -> list[str]:
    """Write report.html of an analyze run into ``out``; return every file of the run.

    ``figures`` are the print figures written (:func:`spatialinno.figures.run.write_figures`);
    ``space_time``: the panel mode's section (``--time``), after the cross-section.
    """
    text = TEXT[options.lang]
    rep = Report(text["analyze_title"], lang=options.lang, subtitle=subtitle)
    join_block(rep, sec.gdf, sec.level, options.lang, source, sec.columns)
    section_blocks(rep, sec, options, text["results"], figures)
    files = [REPORT_FILE, SUMMARY_FILE, GPKG_FILE, *(m for m, _ in sec.maps), *sec.extra_files]
    files += [f for fig in figures for f in fig.files]
    if differences is not None:
        difference_blocks(rep, differences)
        files += differences.files
    if space_time is not None:
        space_time_blocks(rep, space_time, options)
        files += space_time.files
    coverage = [coverage_of(sec.gdf, sec.columns, options.lang)]
    closing_blocks(rep, messages, files, sec.level, options, coverage, space_time is not None)
    rep.save(out / REPORT_FILE)
    return files
