"""The labels a run writes into its report and map titles, in Chinese (``zh``) and English (``en``).

Labels only: user text (column names, sources, region names) is filled into them with
:meth:`str.format` and escaped where it lands (the report escapes every block it writes).

>>> TEXT["en"]["lisa_map"].format(col="R&D")
'R&D: LISA clusters'
"""

from __future__ import annotations

__all__ = ["TEXT"]

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "analyze_title": "创新资源空间分析报告",
        "demo_title": "spatialinno 演示：中国创新资源的空间集聚",
        "join": "数据连接",
        "join_rows": "表格共 {n} 行：{matched} 行匹配到{level}单元（{how}），{unmatched} 行未匹配。",
        "join_units": "{level}图层 {total} 个单元中 {missing} 个没有数据：{names}",
        "unmatched": "未匹配的表格行",
        "overview": "总体指标",
        "per_group": "各省基尼系数与省会首位度",
        "per_group_note": "基尼系数按各省地级单元计算；省会首位度 = 省会（首府）占全省合计的比重。",
        "per_group_note_county": "基尼系数按各省县级单元计算；省会首位度先把县级值汇总到地级单元，"
        "再取省会占全省合计的比重（有县缺值的地级单元不计合计）。",
        "regions": "四大地区均值",
        "moran": "全局莫兰指数",
        "clusters": "LISA 聚类与 Gi* 冷热点数量",
        "maps": "地图",
        "figures": "印刷图（PNG；另见所列格式）",
        "files": "输出文件",
        "warnings": "数据提示",
        "results": "统计结果",
        "choropleth": "{col}：分级设色图",
        "lisa_map": "{col}：LISA 聚类",
        "hot_map": "{col}：Gi* 冷热点",
        "settings": "权重 {weights}；置换次数 {perm}；显著性水平 α = {alpha}；多重检验校正 {corr}；随机种子 {seed}。",
    },
    "en": {
        "analyze_title": "Spatial analysis of innovation resources",
        "demo_title": "spatialinno demo: where China's innovation resources concentrate",
        "join": "Join",
        "join_rows": "{n} table rows: {matched} matched to {level} units ({how}), {unmatched} not matched.",
        "join_units": "{missing} of the {total} {level} units have no data: {names}",
        "unmatched": "Table rows not matched",
        "overview": "Overall measures",
        "per_group": "Gini and capital share by province",
        "per_group_note": "Gini across each province's prefecture-level units; capital share = "
        "the capital's share of the province total.",
        "per_group_note_county": "Gini across each province's county-level units; capital share: "
        "county values summed to prefecture-level units first, then the capital's share of the "
        "province total (a prefecture with a county missing gets no total).",
        "regions": "Means by NBS region",
        "moran": "Global Moran's I",
        "clusters": "LISA clusters and Gi* hot/cold spots (counts)",
        "maps": "Maps",
        "figures": "Print figures (PNG; other formats linked)",
        "files": "Output files",
        "warnings": "Data notes",
        "results": "Results",
        "choropleth": "{col}: choropleth",
        "lisa_map": "{col}: LISA clusters",
        "hot_map": "{col}: Gi* hot and cold spots",
        "settings": "Weights {weights}; permutations {perm}; alpha = {alpha}; correction {corr}; seed {seed}.",
    },
}
