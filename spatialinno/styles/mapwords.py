"""Words of the web maps added with issue 15 (labels, coastal marks, readable result titles).

Kept beside :data:`spatialinno.styles.TEXT` (same keys in both languages, ``{placeholders}``
filled with :meth:`str.format` after the values are escaped) until the two are merged.

>>> MAP_TEXT["zh"]["gini_of"].format(label="R&D 经费"), MAP_TEXT["en"]["gini_of"].format(label="GDP")
('R&D 经费的基尼系数', 'Gini of GDP')
"""

from __future__ import annotations

__all__ = ["MAP_TEXT"]

MAP_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "names": "地名",
        "capital_names": "省会名称",
        "coastal_provinces": "沿海省份",
        "region_outline": "{region}地区界线",
        "gini_of": "{label}的基尼系数",
        "share_of": "{label}的省会份额",
        "mean_of": "{n} 项指标均值",
        "region_mean_of": "{label}（地区均值）",
        "no_coastal_means": "沿海 / 内陆均值需要省级数据",
        "capital_effect": "省会效应：{label}",
        "capital_effect_year": "省会效应：{label}（{year} 年）",
        "coastal_lead": "{label}：四大地区与沿海",
        "coastal_lead_year": "{label}（{year} 年）：四大地区与沿海",
        "moved": "圆圈重叠时略微移开，细线指向省会位置",
    },
    "en": {
        "names": "Place names",
        "capital_names": "Capital names",
        "coastal_provinces": "Coastal provinces",
        "region_outline": "{region} outline",
        "gini_of": "Gini of {label}",
        "share_of": "capital share of {label}",
        "mean_of": "mean of {n} indicators",
        "region_mean_of": "{label} (region mean)",
        "no_coastal_means": "coastal / inland means need province data",
        "capital_effect": "The capital effect: {label}",
        "capital_effect_year": "The capital effect: {label} ({year})",
        "coastal_lead": "{label}: four regions and the coast",
        "coastal_lead_year": "{label} ({year}): four regions and the coast",
        "moved": "circles that would overlap are moved apart; a thin line leads to the capital",
    },
}
