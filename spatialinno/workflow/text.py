"""Every word of a run's report and map titles, in Chinese (``zh``) and English (``en``).

Words only: user text (column names, sources, region names) is filled into them with
:meth:`str.format` and escaped where it lands (the report escapes every block it writes). A
Chinese report holds no English sentence and an English report no Chinese one, except the names
of places and what the user wrote (column names, labels, table values); method names (Moran's I,
LISA, Gi*), units and codes are the same in both.

* :data:`TEXT` -- headings, paragraphs and titles;
* :data:`HEADERS` -- the column headings of the report's tables (the tables' own column names
  are the names of :attr:`spatialinno.Analysis.tables`);
* :data:`HOW` -- how a table row was matched (``JoinReport.how_counts``);
* :data:`NOTES` -- the notes of the join, the measures and the data (:class:`spatialinno._notes.
  Note` keys), see :mod:`spatialinno.workflow.notes`;
* :data:`SUBJECTS` -- the statistics named in the data notes.

>>> TEXT["en"]["lisa_map"].format(col="R&D")
'R&D: LISA clusters'
>>> sorted(TEXT["zh"]) == sorted(TEXT["en"]) and sorted(NOTES["zh"]) == sorted(NOTES["en"])
True
"""

from __future__ import annotations

__all__ = ["HEADERS", "HOW", "LEVEL", "NOTES", "REGION", "SUBJECTS", "TERMINAL", "TEXT"]

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "analyze_title": "创新资源空间分析报告",
        "frame_source": "数据表（DataFrame）",
        "demo_title": "spatialinno 演示：中国创新资源的空间集聚",
        "join": "数据连接",
        "join_rows": "表格共 {n} 行：{matched} 行匹配到{level}单元（{how}），{unmatched} 行未匹配。",
        "join_no_row": "{level}图层 {total} 个单元中，{missing} 个在表格中没有对应行：{names}。",
        "join_empty": "{label}：另有 {n} 个单元在表格中有对应行，但该列为空值：{names}。",
        "join_all_rows": "{level}图层的 {total} 个单元在表格中都有对应行。",
        "unmatched": "未匹配的表格行",
        "overview": "总体指标",
        "per_group": "各省基尼系数与省会首位度",
        "per_group_note": "基尼系数按各省地级单元计算；省会首位度 = 省会（首府）占全省合计的比重。",
        "per_group_note_county": "基尼系数按各省县级单元计算；省会首位度先把县级值汇总到地级单元，"
        "再取省会占全省合计的比重（有县缺值的地级单元不计合计）。",
        "regions": "四大地区均值",
        "moran": "全局莫兰指数（Moran's I）",
        "clusters": "LISA 聚类与 Gi* 冷热点数量（单元数）",
        "maps": "地图",
        "figures": "印刷图（PNG；另见所列格式）",
        "files": "输出文件",
        "warnings": "数据提示",
        "results": "统计结果",
        "choropleth": "{col}：分级设色图",
        "lisa_map": "{col}：LISA 聚类",
        "hot_map": "{col}：Gi* 冷热点",
        "settings": "空间权重：{weights}；置换次数 {perm}；显著性水平 α = {alpha}；多重检验校正：{corr}；"
        "随机种子 {seed}。",
        "correction_none": "无",
        "correction_fdr": "FDR（Benjamini–Hochberg）",
        "correction_bonferroni": "Bonferroni",
        "weights_queen": "queen 邻接（共享顶点），海岛连接最近单元",
        "weights_rook": "rook 邻接（共享边），海岛连接最近单元",
        "weights_knn": "{k} 个最近邻（质心距离）",
        "weights_distance": "距离带 {d} 千米（质心距离）",
        "mean": "均值",
        "list_sep": "、",
        "more": "等，另有 {n} 个",
        "none": "无",
        "subtitle": "{source} · {level} · {columns}",
        "subtitle_year": "{source} · {level} · {columns} · {year} 年",
        "data_sources": "数据来源：{sources}",
        "demo_subtitle": "内置真实数据：赵成伟等 (2025) 表 2；国家统计局分省面板；第七次人口普查；"
        "CN_Public 2016",
        "study_heading": "1. 研究复现：赵成伟等 (2025) 表 2",
        "study_gini_means": "Gini 1（创新资源基尼系数）四大地区均值（按年）",
        "study_share_means": "省会首位度四大地区均值（按年）",
        "study_coastal_map": "沿海领先：Gini 1，{year} 年",
        "study_capital_map": "省会效应，{year} 年",
        "panel_heading": "2. 分省 R&D 经费与专利 {first}–{last}",
        "panel_text": "R&D 经费内部支出（万元）与专利申请量（件），31 个省份；基尼系数、按四大地区分解的"
        "泰尔指数、全局莫兰指数（queen 邻接，海岛连接最近单元，999 次置换）。",
        "panel_inequality": "{col}：基尼系数与泰尔指数",
        "panel_moran": "{col}：全局莫兰指数",
        "panel_map": "{col}，{year} 年",
        "city_heading": "3. 地级市：人口（2020）与专利（2016）",
        "city_source_census": "第七次人口普查（2020）",
        "city_source_cn_public": "CN_Public 城市数据（2016）",
        "section_heading": "{source}：{columns}",
        "map_year": "（{year} 年）",
        "fact_50": "{year} 年：{n} 个省份中 {n50} 个省会首位度超过 50 %，{n80} 个超过 80 %（{names}）。",
        "fact_30": "{year} 年：{share} 的省份省会首位度超过 30 %。",
        "fact_lead": "{year} 年：{lead}地区平均基尼系数（Gini 1）最低（{low}），创新资源在城市间分布最"
        "均衡；最高为{high}地区（{high_value}）。",
    },
    "en": {
        "analyze_title": "Spatial analysis of innovation resources",
        "frame_source": "the table (DataFrame)",
        "demo_title": "spatialinno demo: where China's innovation resources concentrate",
        "join": "Join",
        "join_rows": "{n} table rows: {matched} matched to {level} units ({how}), {unmatched} not "
        "matched.",
        "join_no_row": "{missing} of the {total} {level} units have no row in the table: {names}.",
        "join_empty": "{label}: {n} more units have a row in the table but an empty cell: {names}.",
        "join_all_rows": "Every one of the {total} {level} units has a row in the table.",
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
        "clusters": "LISA clusters and Gi* hot and cold spots (units)",
        "maps": "Maps",
        "figures": "Print figures (PNG; other formats linked)",
        "files": "Output files",
        "warnings": "Data notes",
        "results": "Results",
        "choropleth": "{col}: choropleth",
        "lisa_map": "{col}: LISA clusters",
        "hot_map": "{col}: Gi* hot and cold spots",
        "settings": "Spatial weights: {weights}; permutations {perm}; significance level "
        "alpha = {alpha}; multiple-testing correction: {corr}; seed {seed}.",
        "correction_none": "none",
        "correction_fdr": "FDR (Benjamini–Hochberg)",
        "correction_bonferroni": "Bonferroni",
        "weights_queen": "queen contiguity (shared vertex), islands linked to the nearest unit",
        "weights_rook": "rook contiguity (shared edge), islands linked to the nearest unit",
        "weights_knn": "{k} nearest neighbours (centroid distance)",
        "weights_distance": "distance band {d} km (centroid distance)",
        "mean": "mean",
        "list_sep": ", ",
        "more": " and {n} more",
        "none": "none",
        "subtitle": "{source} · {level} · {columns}",
        "subtitle_year": "{source} · {level} · {columns} · {year}",
        "data_sources": "Data: {sources}",
        "demo_subtitle": "Bundled real data: Zhao et al. (2025) Table 2; NBS provincial panel; "
        "2020 census; CN_Public 2016",
        "study_heading": "1. The study: Zhao et al. (2025), Table 2",
        "study_gini_means": "Mean Gini 1 (innovation resources) by NBS region and year",
        "study_share_means": "Mean capital share by NBS region and year",
        "study_coastal_map": "Coastal lead: Gini 1, {year}",
        "study_capital_map": "Capital effect, {year}",
        "panel_heading": "2. Provincial R&D spending and patents, {first}–{last}",
        "panel_text": "R&D expenditure (10k yuan) and patent applications (items), 31 provinces: "
        "Gini, Theil decomposed by NBS region, global Moran's I (queen contiguity, islands "
        "linked to the nearest unit, 999 permutations).",
        "panel_inequality": "{col}: Gini and Theil",
        "panel_moran": "{col}: global Moran's I",
        "panel_map": "{col}, {year}",
        "city_heading": "3. City level: population (2020) and patents (2016)",
        "city_source_census": "7th population census (2020)",
        "city_source_cn_public": "CN_Public city data (2016)",
        "section_heading": "{source}: {columns}",
        "map_year": " ({year})",
        "fact_50": "{year}: {n50} of {n} provinces have a capital share above 50 %; {n80} above "
        "80 % ({names}).",
        "fact_30": "{year}: {share} of the provinces have a capital share above 30 %.",
        "fact_lead": "{year}: the {lead} region has the lowest mean Gini 1 ({low}): innovation "
        "resources are spread most evenly across its cities; highest: {high} ({high_value}).",
    },
}

#: what the command line says on the terminal (stderr), in the language of --lang
TERMINAL: dict[str, dict[str, str]] = {
    "zh": {
        "note": "提示",
        "warning": "警告",
        "unmatched_head": "{source} 的 {n} 行（共 {total} 行）未匹配到任何{level}单元",
        "unmatched_stop": "：",
        "unmatched_go_on": "；这些行不计入任何统计：",
        "unmatched": "未匹配",
        "ambiguous": "有歧义（名称对应多个单元）",
        "defunct": "已不存在的单元（不连接；继任单元的数值通常已包含它们）",
        "cand_unmatched": "最接近",
        "cand_ambiguous": "可能是",
        "cand_defunct": "继任单元",
        "candidates": "；{what}：{names}",
        "sep": "，",
        "row": "第 {row} 行：{note}{more}",
        "more_rows": "……另有 {n} 行（{where}）",
        "more_stop": "用 --on-unmatched warn 可在 report.html 中全部列出",
        "more_go_on": "report.html 中全部列出",
        "other_level": "其中 {n} 行是其他级别的单元：请检查 --level，或表中只保留同一级别的行",
        "fix": "请在表中改正这些行、用 --key 指定代码或名称列，或用 --on-unmatched warn（作为警告列出）"
        "或 --on-unmatched drop 跳过它们继续",
        "wrote": "{what}：已将 {n} 个文件写入 {out}，用时 {seconds:.1f} 秒（打开 {report}）",
        "data_notes": "{n} 条数据说明，见 {report}",
    },
    "en": {
        "note": "note",
        "warning": "warning",
        "unmatched_head": "{n} of {total} table rows of {source} matched no {level} unit",
        "unmatched_stop": ":",
        "unmatched_go_on": "; they are left out of every statistic:",
        "unmatched": "not matched",
        "ambiguous": "ambiguous (the name fits several units)",
        "defunct": "units that no longer exist (never joined; the successor's figure usually "
        "includes them)",
        "cand_unmatched": "closest",
        "cand_ambiguous": "could be",
        "cand_defunct": "successors",
        "candidates": "; {what}: {names}",
        "sep": ", ",
        "row": "row {row}: {note}{more}",
        "more_rows": "... and {n} more ({where})",
        "more_stop": "--on-unmatched warn lists them all in report.html",
        "more_go_on": "all listed in report.html",
        "other_level": "{n} of these rows name units of another level: check --level, or keep "
        "only the rows of one level in the table",
        "fix": "fix these rows in the table, name the key column(s) with --key, or go on without "
        "them with --on-unmatched warn (listed as a warning) or --on-unmatched drop",
        "wrote": "{what}: wrote {n} files to {out} in {seconds:.1f} s (open {report})",
        "data_notes": "{n} data note(s), listed in {report}",
    },
}

#: the units of a level as a sentence names them
LEVEL: dict[str, dict[str, str]] = {
    "zh": {"province": "省级", "prefecture": "地级", "county": "县级"},
    "en": {"province": "province", "prefecture": "prefecture-level", "county": "county-level"},
}

#: the NBS regions as a report names them
REGION: dict[str, dict[str, str]] = {
    "zh": {"east": "东部", "central": "中部", "west": "西部", "northeast": "东北"},
    "en": {"east": "East", "central": "Central", "west": "West", "northeast": "Northeast"},
}

#: headings of the report tables' columns (and index): the statistic, not the column name
HEADERS: dict[str, dict[str, str]] = {
    "zh": {
        "indicator": "指标",
        "n_units": "单元数",
        "n": "单元数",
        "gini": "基尼系数",
        "spatial_gini_neighbor": "空间基尼：相邻对",
        "spatial_gini_nonneighbor": "空间基尼：非相邻对",
        "spatial_gini_p": "空间基尼 p 值",
        "theil": "泰尔指数",
        "theil_between": "泰尔：区域间",
        "theil_within": "泰尔：区域内",
        "theil_between_share": "区域间占比",
        "theil_region": "泰尔：{region}",
        "I": "Moran's I",
        "EI": "E[I]",
        "z": "z 值",
        "p_norm": "p 值（正态近似）",
        "p_sim": "p 值（置换）",
        "permutations": "置换次数",
        "missing": "无数据的单元",
        "VI": "Var[I]",
        "year": "年份",
        "region": "地区",
        "province": "省份",
        "capital": "省会",
        "note": "说明",
        "gini_of": "基尼系数：{label}",
        "share_of": "省会首位度：{label}",
        "lisa_of": "LISA：{label}",
        "gi_of": "Gi*：{label}",
        "gi_untested": "孤立或无数据",
        "row": "表格行",
        "key": "列",
        "value": "值",
        "how": "原因",
        "candidates": "可能的单元",
    },
    "en": {
        "indicator": "Indicator",
        "n_units": "Units",
        "n": "Units",
        "gini": "Gini",
        "spatial_gini_neighbor": "Spatial Gini: neighbours",
        "spatial_gini_nonneighbor": "Spatial Gini: non-neighbours",
        "spatial_gini_p": "Spatial Gini p",
        "theil": "Theil",
        "theil_between": "Theil: between",
        "theil_within": "Theil: within",
        "theil_between_share": "Between share",
        "theil_region": "Theil: {region}",
        "I": "Moran's I",
        "EI": "E[I]",
        "z": "z",
        "p_norm": "p (normal)",
        "p_sim": "p (permutation)",
        "permutations": "Permutations",
        "missing": "Units without data",
        "VI": "Var[I]",
        "year": "Year",
        "region": "Region",
        "province": "Province",
        "capital": "Capital",
        "note": "Note",
        "gini_of": "Gini: {label}",
        "share_of": "Capital share: {label}",
        "lisa_of": "LISA: {label}",
        "gi_of": "Gi*: {label}",
        "gi_untested": "isolated or no data",
        "row": "Row",
        "key": "Column",
        "value": "Value",
        "how": "Reason",
        "candidates": "Could be",
    },
}

#: how a table row was recognised (JoinReport.how_counts, the unmatched rows' reason)
HOW: dict[str, dict[str, str]] = {
    "zh": {
        "code": "6 位代码",
        "code12": "12 位统计代码",
        "code9": "9 位代码（156 前缀）",
        "city_code": "直辖市城市代码",
        "name": "全称",
        "short_name": "简称",
        "alias": "别称",
        "english": "英文名或拼音",
        "history": "历史名称或代码",
        "unmatched": "未匹配",
        "ambiguous": "名称有歧义",
        "defunct": "已撤并的单元",
    },
    "en": {
        "code": "6-digit code",
        "code12": "12-digit statistical code",
        "code9": "9-digit code (156 prefix)",
        "city_code": "municipality city code",
        "name": "full name",
        "short_name": "short name",
        "alias": "alias",
        "english": "English or pinyin name",
        "history": "former name or code",
        "unmatched": "not matched",
        "ambiguous": "ambiguous name",
        "defunct": "defunct unit",
    },
}

#: the statistics the data notes name (the ``subject`` of a left-out note, arguments dropped)
SUBJECTS: dict[str, dict[str, str]] = {
    "zh": {
        "Gini": "基尼系数",
        "Theil": "泰尔指数",
        "spatial Gini": "空间基尼",
        "moran": "全局莫兰指数",
        "geary": "Geary's C",
        "bivariate_moran": "双变量莫兰指数",
        "gini_by": "各省基尼系数",
        "capital_share": "省会首位度",
        "region_summary": "四大地区均值",
        "location quotient": "区位熵",
        "lisa": "LISA",
        "hotspots": "Gi*",
    },
    "en": {
        "Gini": "Gini",
        "Theil": "Theil",
        "spatial Gini": "spatial Gini",
        "moran": "Moran's I",
        "geary": "Geary's C",
        "bivariate_moran": "bivariate Moran's I",
        "gini_by": "Gini by province",
        "capital_share": "capital share",
        "region_summary": "region means",
        "location quotient": "location quotient",
        "lisa": "LISA",
        "hotspots": "Gi*",
    },
}

#: notes by key (spatialinno._notes.Note); fields as the notes' params, rendered by workflow.notes
NOTES: dict[str, dict[str, str]] = {
    "zh": {
        "panel_years": "{label}：{years} 年没有任何单元有数值；{label} 的时空分析使用 {first}–{last} 年。",
        # data notes of a run
        "coverage": "{label}：{n} 个没有数值的单元（见“数据连接”）未计入{subjects}。",
        "no_group": "{subjects}：{n} 个单元没有{what}，未计入：{units}。",
        "left_out_other": "{subjects}：{n} 个单元未计入：{units}。",
        "years": "{first}–{last} 年（共 {count} 年）：{text}",
        "year": "{year} 年：{text}",
        "join_left_out": "{n} 个表格行未连接到单元（见“数据连接”中的未匹配行）。",
        "group_region": "四大地区归属",
        "group_province_code": "所属省份",
        "group_other": "分组（{column}）",
        # per-province notes (measures.concentration)
        "excluded_municipality": "不计（直辖市，研究口径）",
        "excluded_tibet": "不计（西藏，研究口径）",
        "excluded_listed": "不计（按设定排除）",
        "too_few_units": "单元少于 2 个",
        "group_left_out": "{label}：{n} 个单元无数据，未计入",
        "left_out_total": "{label}：{n} 个单元无数据，未计入合计（份额偏高）",
        "too_few_values": "{label}：有数据的单元少于 2 个",
        "all_zero": "{label}：全部为 0",
        # the space-time measures (measures.emerging, markov, transitions, centrography)
        "gaps_emerging": "{label}：{n} 个单元在部分年份没有数值，这些单元-年份连同其邻接关系不计"
        "（“无数据”），这些单元不归类：{missing}",
        "gaps_transitions": "LISA 聚类转移：{n} 个单元在部分年份没有{label}的数值（这些年份标为"
        "“无数据”）：{missing}",
        "gaps_markov": "{what}：{n} 个单元有缺失年份，连同其邻接关系不计：{missing}",
        "no_transition": "{where}：没有观测到转移，转移概率矩阵该行全为 0（giddy issue 109），"
        "求稳态时该状态设为吸收态",
        "few_transitions": "{where}：只有 {n} 次转移，其转移概率不可靠",
        "reducible": "邻域类别 {lag}：链可约，有 {n} 个稳态",
        "center_left_out": "{what}：{label}未计入{detail}",
        "years_no_value": "{what}：以下年份没有{label}的数值，已跳过：{years}",
        "no_capital": "无省会单元",
        "capital_no_value": "{label}：省会无数据",
        "total_zero": "{label}：合计为 0",
        # the join (tables.join, tables.match, tables.recognise)
        "index_renumbered": "表格索引有重复，行号已改为 0…n−1。",
        "wide": "宽表：取 {year} 年的 {n} 列（{pairs}）。",
        "long": "长表：{years} 个年份 × {units} 个单元的平衡面板。",
        "renamed_table": "表格列 {columns} 与图层列同名，已加后缀 _table。",
        "merge_added": "第 {row} 行（{value}）已并入 {code}（merge_history=True）。",
        "merge_not_added": "第 {row} 行（{value}）未并入：其继承单元 {code} 在表中没有自己的行。",
        "empty_key": "关键列为空",
        "no_key_column": "没有可用于匹配的列",
        "tried": "{column}={value}：{note}",
        "but_other": "但 {column}={value} 对应 {unit}；请检查该行",
        "code12_township": "12 位代码末尾为 {rest}：这是乡镇或村级单元，不是{level}单元；请先汇总到县 {county}",
        "not_a_code": "{digits} 不是行政区划代码（应为 6 位、带 156 前缀的 9 位或 12 位）",
        "municipality_city_code": "直辖市城市代码 {code} → {city}",
        "national_total": "000000 是全国合计行，请在连接前删除",
        "province_code": "{code} 是省级代码；省级表格请用 level='province'",
        "county_code": "{code} 是县级代码；请用 level='county'（或先汇总表格）",
        "prefecture_code": "{code} 是地级代码；地级表格请用 level='prefecture'",
        "code_not_in_layer": "代码 {code} 不在{level}图层中（2010–2024 年区划代码变更中也没有）",
        "total_row": "{value} 是合计行，不是区域；请在连接前删除",
        "other_level": "{value} 是{level}名称；请用 level='{other}'",
        "no_name": "{value} 与任何{level}名称（全称、简称、别称、英文名或曾用名）都不匹配",
        "ambiguous": "{value} 是 {n} 个{level}单元的{how}；请增加{within}列（或使用代码）加以区分",
        "outside_province": "{value} 只存在于所给省份/地市之外：{units}；请检查省份列",
        "history_merge_added": "{old}（{old_code}）于 {date} 并入 {new}{doc}；已加到继承单元",
        "history_merge": "{old}（{old_code}）于 {date} 并入 {new}{doc}；未合并（继承单元的数值通常"
        "已包含它，相加会重复计算；如需相加请用 merge_history=True）",
        "history_split": "{old}（{old_code}）于 {date} 撤销并分入 {new}{doc}；其数值无法在继承单元间分摊",
        "history_renamed": "{old}（{old_code}）于 {date} 更名或改设为 {new}{doc}",
        # read_table
        "title_rows": "{file}：表头上方的第 {rows} 行已跳过（{shown}）",
        "header_rows": "{file}：第 {rows} 行的多行表头已合并为列名，如 {examples}",
        "header_found": "{file}：表头在第 {row} 行",
        "notes_below": "{file}：表格下方第 {rows} 行作为注释读取，不作数据（{shown}）",
        "decimal_comma": "{file}：数字以逗号作小数点（分隔符 {sep}），已按 5,5 → 5.5 读取",
        "percent": "{file}：列 {column} 的 {n} 个百分数单元格已读作小数（{first} → {value}）",
        "unit_row": "{file}：表头下的第 {row} 行是单位（{units}），已作为各列单位读取，不作数据",
        "title_unit": "{file}：标题给出的单位 {unit} 已用于数值列 {columns}",
        "aggregate_missing": "{n} 个单元有缺失值，未计入所属上级单元的合计：{units}",
        "aggregate_missing_nan": "{n} 个单元有缺失值，其所属上级单元的合计记为缺失：{units}",
        # LISA permutations (measures.inference)
        "auto_permutations": "置换次数自动取 {count}：使 {correction} 校正在 {tests} 个检验、"
        "α = {alpha} 下能够拒绝（需 1/(P+1) ≤ α/m = {threshold}）。",
        "auto_permutations_plain": "置换次数自动取 {count}（未做多重检验校正）。",
        "permutations": "置换次数 {count}。",
        "few_permutations": "置换 {count} 次时最小的伪 p 值为 {smallest}，大于 {tests} 个检验的 "
        "α/m = {threshold}，{correction} 校正不会判定任何单元显著；请用 permutations='auto'"
        "（命令行 --permutations auto）。",
    },
    "en": {
        "panel_years": "{label}: no unit has a value in {years}; the space-time analysis of {label} uses {first}–{last}",
        "coverage": "{label}: the {n} units without a value (see Join) are left out of {subjects}.",
        "no_group": "{subjects}: {n} units without {what} left out: {units}.",
        "left_out_other": "{subjects}: {n} units left out: {units}.",
        "years": "{first}–{last} ({count} years): {text}",
        "year": "{year}: {text}",
        "join_left_out": "{n} table rows were not joined to a unit (see the rows not matched "
        "under Join).",
        "group_region": "an NBS region",
        "group_province_code": "a province",
        "group_other": "a group ({column})",
        "excluded_municipality": "left out (municipality; study convention)",
        "excluded_tibet": "left out (Tibet; study convention)",
        "excluded_listed": "left out (as asked)",
        "too_few_units": "fewer than 2 units",
        "group_left_out": "{label}: {n} units without data left out",
        "left_out_total": "{label}: {n} units without data left out of the total (share "
        "overstated)",
        "too_few_values": "{label}: fewer than 2 units with data",
        "all_zero": "{label}: all values zero",
        "gaps_emerging": "{label}: {n} units have no value in some years; those unit-years are "
        "left out with their links ('no data') and the units get no category: {missing}",
        "gaps_transitions": "LISA transitions: {n} units have no value of {label} in some years "
        "(labelled 'no data' there): {missing}",
        "gaps_markov": "{what}: {n} units with missing years were left out with their links: "
        "{missing}",
        "no_transition": "{where}: no transition observed; that row of P is all zero (giddy "
        "issue 109) and the state is made absorbing for the steady state",
        "few_transitions": "{where}: only {n} transitions; its probabilities are unreliable",
        "reducible": "lag class {lag}: the chain is reducible and has {n} steady states",
        "center_left_out": "{what}: left out for {label}: {detail}",
        "years_no_value": "{what}: year(s) without any value of {label} skipped: {years}",
        "no_capital": "no capital unit",
        "capital_no_value": "{label}: the capital has no value",
        "total_zero": "{label}: the total is zero",
        "index_renumbered": "The table index had repeated labels; rows are numbered 0..n-1.",
        "wide": "Wide table: took the {n} column(s) of {year} ({pairs}).",
        "long": "Long table: balanced panel of {years} year(s) × {units} units.",
        "renamed_table": "Table column(s) {columns} have the name of a layer column and got the "
        "suffix _table.",
        "merge_added": "Row {row} ({value}) added to {code} (merge_history=True).",
        "merge_not_added": "Row {row} ({value}) not added: its successor {code} has no row of its "
        "own.",
        "empty_key": "empty key",
        "no_key_column": "no key column",
        "tried": "{column}={value}: {note}",
        "but_other": "but {column}={value} is {unit}; check the row",
        "code12_township": "12-digit code ends in {rest}: a township or village, not a {level} "
        "unit; aggregate it to its county {county} first",
        "not_a_code": "{digits} is not a region code (6 digits, 9 with the 156 prefix, or 12)",
        "municipality_city_code": "municipality city code {code} -> {city}",
        "national_total": "000000 is the national total; drop that row before joining",
        "province_code": "{code} is a province code; use level='province' for a province table",
        "county_code": "{code} is a county-level code; use level='county' (or aggregate the table)",
        "prefecture_code": "{code} is a prefecture code; use level='prefecture' for a city table",
        "code_not_in_layer": "code {code} is not in the {level} layer (nor in the 2010-2024 code "
        "history)",
        "total_row": "{value} is a total row, not a region; drop it before joining",
        "other_level": "{value} is a {level} name; use level='{other}'",
        "no_name": "{value} matches no {level} name (full, short, alias, English or former name)",
        "ambiguous": "{value} is the {how} of {n} {level} units; add a {within} column (or use "
        "codes) to tell them apart",
        "outside_province": "{value} exists only outside the given province/prefecture: {units}; "
        "check the province column",
        "history_merge_added": "{old} ({old_code}) was merged into {new} on {date}{doc}; added to "
        "its successor",
        "history_merge": "{old} ({old_code}) was merged into {new} on {date}{doc}; not added (the "
        "successor's own figure usually includes it already, so adding would double-count; "
        "merge_history=True adds it)",
        "history_split": "{old} ({old_code}) was abolished and split among {new} on {date}{doc}; "
        "its figure cannot be apportioned among the successors",
        "history_renamed": "{old} ({old_code}) became {new} on {date}{doc}",
        "title_rows": "{file}: row(s) {rows} above the header skipped ({shown})",
        "header_rows": "{file}: header of rows {rows} combined into column names such as "
        "{examples}",
        "header_found": "{file}: header found in row {row}",
        "notes_below": "{file}: row(s) {rows} below the table read as notes, not data ({shown})",
        "decimal_comma": "{file}: numbers written with a decimal comma (separator {sep}), read as "
        "5,5 -> 5.5",
        "percent": "{file}: {n} cell(s) of column {column} written as percentages were read as "
        "fractions ({first} -> {value})",
        "unit_row": "{file}: row {row} under the header holds units ({units}); read as the "
        "columns' units, not as data",
        "title_unit": "{file}: the title's unit {unit} given to the numeric column(s) {columns}",
        "aggregate_missing": "{n} units with missing values left out of their parent unit's "
        "total: {units}",
        "aggregate_missing_nan": "{n} units have missing values, so their parent unit has no "
        "total: {units}",
        "auto_permutations": "Permutations chosen automatically: {count}, so that {correction} "
        "over {tests} tests at alpha = {alpha} can reject (needs 1/(P+1) <= alpha/m = "
        "{threshold}).",
        "auto_permutations_plain": "Permutations chosen automatically: {count} (no "
        "multiple-testing correction).",
        "permutations": "{count} permutations.",
        "few_permutations": "With {count} permutations the smallest pseudo p-value is "
        "{smallest}, above alpha/m = {threshold} for {tests} tests, so the {correction} "
        "correction cannot reject anything; use permutations='auto' (--permutations auto).",
    },
}
