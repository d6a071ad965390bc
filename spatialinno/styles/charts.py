"""Colours and words of the charts of regional differences (Dagum, densities, convergence, core shares).

The charts of :mod:`spatialinno.figures.differences` draw in two styles: ``"print"`` (journal
column width, 300 dpi, small type) and ``"web"`` (screen width, the report's page colours).
Both read their colours here, so a figure in a paper and the same figure in ``report.html``
agree. The four NBS regions have the colours, line styles and markers of the other charts
(:data:`spatialinno.styles.printing.REGION_COLORS` ...).

>>> DAGUM_COLORS["within"]
'#4575b4'
>>> chart_word("between", "zh")
'组间净差'
"""

from __future__ import annotations

from .palette import PAGE_COLORS
from .text import check_lang

__all__ = [
    "CHART_COLORS",
    "CHART_TEXT",
    "DAGUM_COLORS",
    "DENSITY_RAMP",
    "SERIES_COLORS",
    "chart_word",
]

# the three Dagum contributions: within (blue), net between (red), transvariation (grey-yellow)
DAGUM_COLORS: dict[str, str] = {
    "within": "#4575b4",
    "between": "#d73027",
    "transvariation": "#fee090",
}

# other groups (coastal/inland, any column), in order: Okabe & Ito (2008)
SERIES_COLORS: tuple[str, ...] = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#f0e442",
    "#000000",
)

# density curves of successive years: light (first year) to dark (last), ColorBrewer "Blues"
DENSITY_RAMP: tuple[str, ...] = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")

CHART_COLORS: dict[str, str] = {
    "text": PAGE_COLORS["text"],
    "muted": PAGE_COLORS["muted"],
    "grid": PAGE_COLORS["grid"],
    "guide": "#555555",
    "point": "#4d4d4d",
    "fit": "#d73027",
    "bar": "#4575b4",
    "edge": "#ffffff",
}

CHART_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "within": "组内差异",
        "between": "组间净差",
        "transvariation": "超变密度",
        "share": "贡献率",
        "year": "年份",
        "group_gini": "组内基尼系数 G_jj",
        "dagum_title": "Dagum 基尼系数分解：{label}",
        "density": "核密度",
        "value": "{label}",
        "relative": "{label}（相对当年均值）",
        "kde_title": "核密度：{label}",
        "cv": "变异系数 CV",
        "sd_log": "对数标准差 σ",
        "sigma_title": "σ 收敛：{label}",
        "log_initial": "ln 初期水平（{start}）",
        "growth": "年均增长率 ln(y1/y0)/T",
        "beta_title": "绝对 β 收敛，{start}–{end}",
        "sigma": "σ 收敛",
        "convergence_title": "收敛：{label}",
        "beta_note": "β = {beta}（标准误 {se}），半衰期 {half}",
        "no_half": "无收敛（无半衰期）",
        "years": "{v} 年",
        "core_title": "核心区份额：核心城市（区）占所在国家 / 州 / 省的比重",
        "core_share": "份额",
        "indicator_rd_personnel_fte": "R&D 人员（全时当量）",
        "indicator_rd_expenditure": "R&D 经费",
        "indicator_patent_applications": "专利申请",
        "indicator_business_rd_own_funds": "企业自有资金 R&D",
    },
    "en": {
        "within": "Within groups",
        "between": "Net between groups",
        "transvariation": "Transvariation",
        "share": "Share of G",
        "year": "Year",
        "group_gini": "Within-group Gini G_jj",
        "dagum_title": "Dagum Gini decomposition: {label}",
        "density": "Density",
        "value": "{label}",
        "relative": "{label} (relative to the year's mean)",
        "kde_title": "Kernel density: {label}",
        "cv": "Coefficient of variation",
        "sd_log": "SD of logs σ",
        "sigma_title": "σ-convergence: {label}",
        "log_initial": "ln initial level ({start})",
        "growth": "Mean annual growth ln(y1/y0)/T",
        "beta_title": "Absolute β-convergence, {start}–{end}",
        "sigma": "σ-convergence",
        "convergence_title": "Convergence: {label}",
        "beta_note": "β = {beta} (SE {se}), half-life {half}",
        "no_half": "no convergence (no half-life)",
        "years": "{v} years",
        "core_title": "Core shares: the core's share of its country, state or province",
        "core_share": "Share",
        "indicator_rd_personnel_fte": "R&D personnel (FTE)",
        "indicator_rd_expenditure": "R&D spending",
        "indicator_patent_applications": "Patent applications",
        "indicator_business_rd_own_funds": "Business R&D, own funds",
    },
}


def chart_word(key: str, lang: str) -> str:
    """The chart word ``key`` in ``lang`` ("zh" or "en")."""
    return CHART_TEXT[check_lang(lang)][key]
