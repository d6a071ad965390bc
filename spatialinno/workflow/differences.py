"""The regional-differences sections of a report: Dagum decomposition, kernel densities, convergence.

``spatialinno analyze ... --methods dagum,kde,convergence`` (``si.analyze(..., methods=...)``)
adds, for every analysed column, the sections asked for:

``dagum``
    :func:`spatialinno.dagum_gini` by the four NBS regions, by year: the tidy table (``year,
    gini, within, between, transvariation`` and the shares), :math:`G_{jj}` by region and year,
    and the figure (shares stacked by year, :math:`G_{jj}` lines).
``kde``
    :func:`spatialinno.kernel_density` of the values relative to each year's mean (Scott's
    rule): the features table (peaks, width, right tail) and two figures, the 2D overlay and
    the 3D year-value-density surface.
``convergence``
    :func:`spatialinno.sigma_convergence` by year and :func:`spatialinno.beta_convergence` from
    the first to the last year: two tables and the figure. Needs at least two years.

The methods read the whole panel of the table (every year of a long table with a ``year``
column), not only the year of the cross-section; a table of one year gets the Dagum
decomposition and one density curve of that year, and a note that convergence needs years.
Numbers go to ``summary.csv`` (section ``differences``: ``group`` is the year, ``name`` the
region); figures are written as ``diff_<method>_<column>.png`` (web style, see
:mod:`spatialinno.figures.differences`) and, with ``--figures png,pdf``, in the print style as
``figures/<method>_<column>.<format>``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import InputError
from .._notes import Note
from .outputs import SummaryTable, slug
from .report import Report

__all__ = [
    "METHODS",
    "DemoDifferences",
    "DifferenceSection",
    "check_methods",
    "demo_differences",
    "difference_blocks",
    "difference_section",
    "method_panel",
]

METHODS: tuple[str, ...] = ("dagum", "kde", "convergence")
SECTION = "differences"
_METHOD_ZH = {"dagum": "Dagum 基尼系数分解", "kde": "核密度估计", "convergence": "收敛分析"}

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "heading": "区域差异：{methods}",
        "dagum": "Dagum 基尼系数分解（四大地区）：{c}",
        "dagum_regions": "{c}：各地区组内基尼系数 G_jj",
        "dagum_pairs": "{c}：地区间基尼系数 G_jh 与相对经济富裕程度 D_jh（{year}）",
        "kde": "核密度（相对当年均值，Scott 带宽）：{c}",
        "kde_overlay": "{c}：核密度曲线（二维叠加）",
        "kde_surface": "{c}：年份–数值–密度曲面（三维）",
        "sigma": "σ 收敛：{c}",
        "beta": "绝对 β 收敛：{c}，{start}–{end}",
        "convergence_fig": "{c}：σ 收敛与 β 收敛",
        "one_year": "该表只有一年（{year}）的数据：收敛分析需要至少两年（长表，含 year 列）。",
        "panel": "区域差异按表中全部年份计算（{years}，{n} 年），不限于横截面所用的年份。",
        "cross": "区域差异按所分析的横截面计算（单一年份）。",
        "dagum_note": "G = G_w（组内）+ G_nb（组间净差）+ G_t（超变密度）；份额为各项占 G 的比重。",
        "kde_note": "f(x) = Σᵢ exp(−(x − xᵢ)² / 2h²) / (n h √2π)，h = n^(−1/5) s（Scott 法则，即 scipy "
        "gaussian_kde 的默认值）；峰数只计高于主峰 5 % 的局部极大值。",
        "conv_note": "σ 收敛：各年变异系数与对数标准差下降；β 收敛：ln(y₁/y₀)/T = α + β ln y₀，"
        "β < 0 为收敛，λ = −ln(1 + βT)/T，半衰期 ln2/λ。",
    },
    "en": {
        "heading": "Regional differences: {methods}",
        "dagum": "Dagum Gini decomposition (four NBS regions): {c}",
        "dagum_regions": "{c}: within-region Gini G_jj",
        "dagum_pairs": "{c}: between-region Gini G_jh and relative affluence D_jh ({year})",
        "kde": "Kernel density (relative to the year's mean, Scott's rule): {c}",
        "kde_overlay": "{c}: density curves (2D overlay)",
        "kde_surface": "{c}: year-value-density surface (3D)",
        "sigma": "σ-convergence: {c}",
        "beta": "Absolute β-convergence: {c}, {start}-{end}",
        "convergence_fig": "{c}: σ- and β-convergence",
        "one_year": "The table holds one year ({year}): convergence needs at least two years "
        "(a long table with a year column).",
        "panel": "Regional differences use every year of the table ({years}, {n} years), not "
        "only the year of the cross-section.",
        "cross": "Regional differences use the analysed cross-section (one year).",
        "dagum_note": "G = G_w (within) + G_nb (net between) + G_t (transvariation); the shares "
        "are each term over G.",
        "kde_note": "f(x) = Σᵢ exp(−(x − xᵢ)² / 2h²) / (n h √2π), h = n^(−1/5) s (Scott's rule, "
        "scipy's gaussian_kde default); peaks are local maxima above 5 % of the main peak.",
        "conv_note": "σ-convergence: falling CV and SD of logs; β-convergence: ln(y₁/y₀)/T = α + "
        "β ln y₀, β < 0 converges, λ = −ln(1 + βT)/T, half-life ln2/λ.",
    },
}

#: the references of the method notes, cited in the language they were published in
_REFS: dict[str, str] = {
    "dagum_note": "Dagum, C. (1997) Empirical Economics 22(4):515-531.",
    "kde_note": "Scott, D. W. (1992) Multivariate Density Estimation. Wiley.",
    "conv_note": "Barro, R. J. & Sala-i-Martin, X. (1992) J. Political Economy 100(2):223-251.",
}


def check_methods(methods: Sequence[str] | str | None) -> tuple[str, ...]:
    """The methods asked for (``"dagum,kde"`` or a list), each known, none twice.

    >>> check_methods("dagum, convergence"), check_methods(None)
    (('dagum', 'convergence'), ())
    """
    if methods is None:
        return ()
    items = [m.strip() for m in methods.split(",")] if isinstance(methods, str) else list(methods)
    items = [str(m).strip().lower() for m in items if str(m).strip()]
    bad = [m for m in items if m not in METHODS]
    if bad:
        text = f"--methods {', '.join(bad)} unknown; use any of: {', '.join(METHODS)}"
        raise InputError(Note("bad_methods", text, bad=tuple(bad), known=tuple(METHODS)))
    return tuple(dict.fromkeys(items))


def method_panel(
    table: pd.DataFrame, cross: Any, level: str, columns: list[str], key: str | None
) -> pd.DataFrame:
    """The rows the methods use: every year of a long table, else the cross-section.

    ``cross`` is the joined cross-section of the run (its rows were already checked and
    reported); a long table is joined again with all its years, rows that match no unit
    dropped (the run's join has named them).
    """
    from ..tables.join import join_indicators

    if "year" in table.columns and table["year"].nunique(dropna=True) > 1:
        keys = [k.strip() for k in key.split(",")] if key else None
        long = join_indicators(table, level, key=keys, on_unmatched="ignore")
        long = pd.DataFrame(long[long["year"].notna()])
        for c in columns:
            long[c] = pd.to_numeric(long[c], errors="coerce")
        # units with no value in any year are the join's "units without data" (named in the
        # report's join block): not repeated once per year in every method's warning
        some = long.groupby("code")[columns].transform("count").sum(axis=1) > 0
        return long.loc[some, ["code", "name", "region", "year", *columns]]
    keep = [c for c in ("code", "name", "region", *columns) if c in cross.columns]
    return pd.DataFrame(cross[keep])


@dataclass
class DifferenceSection:
    """What the methods computed for the report: blocks in order, files and tables."""

    methods: tuple[str, ...]
    lang: str
    blocks: list[tuple[str, Any, str]] = field(default_factory=list)  # (kind, payload, caption)
    files: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    print_formats: tuple[str, ...] = ()

    def text(self, key: str, **kw: Any) -> str:
        return _TEXT[self.lang][key].format(**kw)

    def add_table(self, name: str, frame: pd.DataFrame, caption: str, **fmt: Any) -> None:
        self.tables[name] = frame
        self.blocks.append(("table", (frame, fmt), caption))

    def add_figure(self, out: Path, file: str, make: Callable[[str], Any], caption: str) -> None:
        """``make(style)`` draws the figure: the web style beside the report, and with
        ``print_formats`` the print style under ``figures/`` in those formats."""
        make("web").savefig(out / file)
        self.files.append(file)
        extra = []
        if self.print_formats:
            from ..figures.page import save_figure
            from ..figures.run import FIGURES_DIR

            stem = out / FIGURES_DIR / Path(file).stem.removeprefix("diff_")
            for path in save_figure(make("print"), stem, self.print_formats):
                extra.append(path.relative_to(out).as_posix())
        self.files += extra
        self.blocks.append(("figure", (file, [file, *extra]), caption))

    def note(self, key: str, **kw: Any) -> None:
        """The note ``key`` in the section's language, with its reference (cited as published)."""
        self.blocks.append(("note", _REFS.get(key, ""), self.text(key, **kw)))


def difference_section(
    panel: pd.DataFrame,
    columns: list[str],
    methods: Sequence[str],
    out: Path,
    summary: SummaryTable,
    lang: str,
    *,
    prefix: str = "",
    label: dict[str, str] | None = None,
    print_formats: Sequence[str] = (),
) -> DifferenceSection:
    """Compute the ``methods`` for each column of ``panel``; tables, figures, summary rows.

    ``prefix`` is put before the figure files and table names (the demo runs this twice);
    ``label`` names the columns in captions (default: the column names); ``print_formats``
    (``--figures``) also writes each figure in the print style under ``figures/``.
    """
    sec = DifferenceSection(tuple(methods), lang, print_formats=tuple(print_formats))
    years = sorted(panel["year"].dropna().unique().tolist()) if "year" in panel.columns else []
    if len(years) > 1:
        sec.note("panel", years=f"{years[0]}–{years[-1]}", n=len(years))
    else:
        sec.note("cross")
    taken: set[str] = set()
    for i, c in enumerate(columns):
        name = f"{prefix}{slug(c, taken, f'col{i + 1}')}"
        shown = (label or {}).get(c, c)
        year = "year" if len(years) > 1 else None
        if "dagum" in methods:
            _dagum(sec, panel, c, year, name, shown, out, summary)
        if "kde" in methods:
            _kde(sec, panel, c, year, name, shown, out, summary)
        if "convergence" in methods:
            # the years with a value of c: a panel's other columns may run longer (GDP from
            # 2005, R&D from 2010), and beta-convergence starts at the first year c has
            have = _years_with(panel, c) if year else years
            if len(have) < 2:
                sec.note("one_year", year=have[0] if have else "–")
            else:
                _convergence(sec, panel, c, name, shown, out, summary, have)
    return sec


def _years_with(panel: pd.DataFrame, c: str) -> list[Any]:
    """The years in which some unit has a value of ``c``, in order."""
    return sorted(panel.loc[panel[c].notna(), "year"].dropna().unique().tolist())


def _dagum(
    sec: DifferenceSection,
    panel: pd.DataFrame,
    c: str,
    year: str | None,
    name: str,
    shown: str,
    out: Path,
    summary: SummaryTable,
) -> None:
    from ..figures.differences import plot_dagum
    from ..measures.dagum import DagumGini, dagum_gini

    res = dagum_gini(panel, c, groups="region", year=year)
    results = [res] if isinstance(res, DagumGini) else [res[y] for y in res.years]
    tidy = res.to_frame()
    if year is None:
        tidy.insert(0, "year", "–")
    cols = ["year", "gini", "within", "between", "transvariation", "within_share",
            "between_share", "transvariation_share", "n"]  # fmt: skip
    shares = ["within_share", "between_share", "transvariation_share"]
    sec.add_table(f"{name}:dagum", tidy[cols].set_index("year"), sec.text("dagum", c=shown),
                  digits=4, percent=shares)  # fmt: skip
    sec.note("dagum_note")
    gjj = pd.DataFrame({r.year if r.year is not None else "–": r.group_gini for r in results}).T
    gjj.index.name = "year"
    sec.add_table(f"{name}:dagum_regions", gjj, sec.text("dagum_regions", c=shown), digits=4)
    last = results[-1]
    pairs = last.pair_table[["group_j", "group_h", "G_jh", "D_jh", "between_contribution",
                             "transvariation_contribution"]]  # fmt: skip
    sec.add_table(f"{name}:dagum_pairs", pairs.set_index(["group_j", "group_h"]),
                  sec.text("dagum_pairs", c=shown, year=last.year or "–"), digits=4)  # fmt: skip
    draw = partial(plot_dagum, res, label=shown, lang=sec.lang)
    sec.add_figure(out, f"diff_dagum_{name}.png", lambda st: draw(style=st),
                   sec.text("dagum", c=shown))  # fmt: skip
    for r in results:
        for k in ("gini", "within", "between", "transvariation", *shares):
            summary.add(SECTION, c, f"dagum_{k}", getattr(r, k), r.year or "")
        for g, v in r.group_gini.items():
            summary.add(SECTION, c, "dagum_G_jj", v, r.year or "", g)


def _kde(
    sec: DifferenceSection,
    panel: pd.DataFrame,
    c: str,
    year: str | None,
    name: str,
    shown: str,
    out: Path,
    summary: SummaryTable,
) -> None:
    from ..figures.differences import plot_kernel_density
    from ..measures.dynamics import kernel_density

    kd = kernel_density(panel, c, year=year, relative=True)
    feats = kd.features.copy()
    if year is None:
        feats.insert(0, "year", "–")
    feats["peak_positions"] = feats["peak_positions"].map(
        lambda p: "; ".join(f"{v:.3f}" for v in p)
    )
    sec.add_table(f"{name}:kde", feats.set_index("year"), sec.text("kde", c=shown), digits=3)
    sec.note("kde_note")
    draw = partial(plot_kernel_density, kd, label=shown, lang=sec.lang, width="double")
    sec.add_figure(out, f"diff_kde_{name}.png", lambda st: draw(style=st),
                   sec.text("kde_overlay", c=shown))  # fmt: skip
    if year is not None:
        sec.add_figure(out, f"diff_kde3d_{name}.png", lambda st: draw("surface", style=st),
                       sec.text("kde_surface", c=shown))  # fmt: skip
    for row in feats.itertuples(index=False):
        for k in ("n_peaks", "main_peak_x", "half_max_width", "right_tail_length", "bandwidth"):
            summary.add(SECTION, c, f"kde_{k}", getattr(row, k), row.year)


def _convergence(
    sec: DifferenceSection,
    panel: pd.DataFrame,
    c: str,
    name: str,
    shown: str,
    out: Path,
    summary: SummaryTable,
    years: list[Any],
) -> None:
    from ..figures.differences import plot_convergence
    from ..measures.dynamics import beta_convergence, sigma_convergence

    sigma = sigma_convergence(panel, c, "year")
    sec.add_table(f"{name}:sigma", sigma.set_index("year"), sec.text("sigma", c=shown), digits=4)
    beta = beta_convergence(panel, c, "year", start=years[0], end=years[-1], unit="code")
    row = beta.to_frame().drop(columns=["column"]).set_index("start")
    caption = sec.text("beta", c=shown, start=years[0], end=years[-1])
    sec.add_table(f"{name}:beta", row, caption, digits=5)
    sec.note("conv_note")
    draw = partial(plot_convergence, sigma, beta, label=shown, lang=sec.lang)
    sec.add_figure(out, f"diff_convergence_{name}.png", lambda st: draw(style=st),
                   sec.text("convergence_fig", c=shown))  # fmt: skip
    for r in sigma.itertuples(index=False):
        summary.add(SECTION, c, "sigma_cv", r.cv, r.year)
        summary.add(SECTION, c, "sigma_sd_log", r.sd_log, r.year)
    for k in ("beta", "se", "p_value", "r2", "speed", "half_life", "n"):
        summary.add(SECTION, c, f"beta_{k}", getattr(beta, k), f"{years[0]}-{years[-1]}")


def difference_blocks(rep: Report, sec: DifferenceSection, heading: str | None = None) -> None:
    """The section's heading, tables, figures and notes on the report, in order."""
    if sec.lang == "zh":  # the methods by their Chinese names; English keeps the option's
        methods = "、".join(_METHOD_ZH.get(m, m) for m in sec.methods)
    else:
        methods = ", ".join(sec.methods)
    rep.heading(heading or sec.text("heading", methods=methods))
    for kind, payload, caption in sec.blocks:
        if kind == "table":
            frame, fmt = payload
            rep.table(frame, caption, **fmt)
        elif kind == "figure":
            src, files = payload
            rep.figure(src, caption, files)
        else:
            rep.paragraph(caption, note=True, ref=payload)


# ---- the demo --------------------------------------------------------------------------------
_DEMO_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "study": "1b. Gini 1 的 Dagum 分解：四大地区，{years}",
        "study_note": "研究表 2 的 Gini 1（各省地级单元之间的基尼系数）按四大地区分解；表中只有 "
        "{years} 五个年份（2012、2015、2018、2021、2023），不是逐年数据。",
        "core": "1c. 国际比较：核心区份额（研究第 4 节）",
        "core_table": "核心区占所在国家 / 州 / 省的份额（内置公开来源数据）",
        "core_fig": "核心区份额排序",
        "core_note": "内置数据只含可公开核对的行（广东省科技经费投入公报、国家统计局、NSF）；研究表 5 "
        "所引的深圳占广东 R&D 人员 46.8 %、首尔约占韩国专利 39 %、硅谷占加州 R&D 经费 37.7 % 等份额"
        "需要数据集中没有的行，故未列出。",
        "panel": "2b. 分省 R&D 经费的区域差异：{first}–{last}",
        "panel_note": "内置分省面板中 R&D 经费内部支出只有 {first}–{last} 年的数据（2005–2009 "
        "与 2024 年为空），故按这些年份计算。",
    },
    "en": {
        "study": "1b. Dagum decomposition of Gini 1 by the four regions, {years}",
        "study_note": "Gini 1 of the study's Table 2 (the Gini across each province's cities) "
        "decomposed by the four NBS regions; the table holds the years {years} (2012, 2015, "
        "2018, 2021, 2023), not every year.",
        "core": "1c. International comparison: core shares (the study's section 4)",
        "core_table": "The core's share of its country, state or province (bundled public sources)",
        "core_fig": "Core shares ranked",
        "core_note": "The bundled data set holds only rows that public sources confirm (Guangdong's "
        "R&D bulletin, NBS, NSF); the shares the study's Table 5 quotes (Shenzhen 46.8 % of "
        "Guangdong's R&D staff, Seoul about 39 % of Korea's patents, Silicon Valley 37.7 % of "
        "California's R&D spending ...) need rows it does not have and are not shown.",
        "panel": "2b. Regional differences of provincial R&D spending, {first}-{last}",
        "panel_note": "The bundled provincial panel has R&D spending for {first}-{last} only "
        "(2005-2009 and 2024 are empty), so these are the years used.",
    },
}


@dataclass
class DemoDifferences:
    """The regional-differences parts of the demo: Table 2's Gini 1, the core shares, R&D."""

    study: DifferenceSection
    core: DifferenceSection
    panel: DifferenceSection
    study_years: tuple[Any, ...]
    panel_years: tuple[Any, ...]

    @property
    def files(self) -> list[str]:
        return self.study.files + self.core.files + self.panel.files

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {**self.study.tables, **self.core.tables, **self.panel.tables}

    def study_blocks(self, rep: Report) -> None:
        t = _DEMO_TEXT[self.study.lang]
        years = f"{self.study_years[0]}–{self.study_years[-1]}"
        difference_blocks(rep, self.study, t["study"].format(years=years))
        rep.paragraph(t["study_note"].format(years=years), note=True)
        difference_blocks(rep, self.core, t["core"])
        rep.paragraph(t["core_note"], note=True)

    def panel_blocks(self, rep: Report) -> None:
        t = _DEMO_TEXT[self.panel.lang]
        first, last = self.panel_years[0], self.panel_years[-1]
        difference_blocks(rep, self.panel, t["panel"].format(first=first, last=last))
        rep.paragraph(t["panel_note"].format(first=first, last=last), note=True)


def demo_differences(
    table2: pd.DataFrame, panel: pd.DataFrame, out: Path, summary: SummaryTable, lang: str
) -> DemoDifferences:
    """Dagum of the study's Gini 1 (Table 2 joined to provinces) by the four regions; the core
    shares of the bundled international table; Dagum, densities and convergence of provincial
    R&D spending (the demo's panel, joined)."""
    t2 = table2[table2["year"].notna() & table2["gini_innovation"].notna()]
    rd = panel[panel["year"].notna() & panel["rd_exp_total_10k_yuan"].notna()]
    study = difference_section(t2, ["gini_innovation"], ["dagum"], out, summary, lang,
                               prefix="study_", label={"gini_innovation": "Gini 1"})  # fmt: skip
    core = _core_shares(out, summary, lang)
    rd_section = difference_section(rd, ["rd_exp_total_10k_yuan"], METHODS, out, summary, lang,
                                    prefix="panel_")  # fmt: skip
    return DemoDifferences(
        study,
        core,
        rd_section,
        tuple(sorted(t2["year"].unique().tolist())),
        tuple(sorted(rd["year"].unique().tolist())),
    )


def _core_shares(out: Path, summary: SummaryTable, lang: str) -> DifferenceSection:
    """The core shares of the bundled ``core_shares_international`` table: table and figure."""
    from ..figures.differences import plot_core_shares
    from ..measures.core_share import core_share
    from ..tables.datasets import load_dataset

    sec = DifferenceSection(("core_share",), lang)
    shares = core_share(load_dataset("core_shares_international"))
    cols = ["core", "container", "indicator", "year", "value", "total", "unit", "share",
            "published_share"]  # fmt: skip
    t = _DEMO_TEXT[lang]
    shown = shares[cols].copy()
    if lang == "zh":  # the places as the sources name them locally (珠三角地区, 广东省)
        shown["core"], shown["container"] = shares["core_local"], shares["container_local"]
    sec.add_table("core_shares", shown, t["core_table"], percent=["share",
                  "published_share"], index=False)  # fmt: skip
    sec.add_figure(out, "diff_core_shares.png", lambda st: plot_core_shares(shares, lang=lang,
                   style=st), t["core_fig"])  # fmt: skip
    for r in shares.itertuples(index=False):
        summary.add(SECTION, r.indicator, "core_share", r.share, r.year,
                    f"{r.core} / {r.container}")  # fmt: skip
    return sec
