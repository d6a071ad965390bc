"""The Chinese messages of the errors a user can cause, by the key of the error's note.

The English message is the error's own text (``str(exc)``), written where the error is raised;
these say the same from the same values (:func:`spatialinno.workflow.messages.error_text`). A
value in braces is filled in as the user gave it: ``{col!r}`` keeps its quotes; ``{header}`` says
how rows are counted ("（行号按电子表格计，表头为第 1 行）", or nothing for a DataFrame).

>>> ERRORS["zh"]["bad_alpha"].format(alpha=5.0)
'--alpha 应在 0 与 1 之间（如 0.05），而不是 5.0'
"""

from __future__ import annotations

__all__ = ["ERRORS"]

_RENAME = "请在表格中给这些列改名（如 {rename_from!r} → {rename_to!r}）后重新运行"

ERRORS: dict[str, dict[str, str]] = {
    "zh": {
        # options (workflow.options, workflow.analysis, workflow.differences, figures.run)
        "bad_weights": "无法识别 --weights {spec!r}；请用 queen、rook、knn:K（如 knn:6）或 "
        "distance:KM（如 distance:300）",
        "bad_label": '无法识别 --label {item!r}；请写成 列名=名称|单位，如 --label rd="R&D经费|万元"'
        '（单位也可写在括号里："R&D经费（万元）"）',
        "bad_permutations": "--permutations 应为 auto 或整数，而不是 {given!r}",
        "negative_permutations": "--permutations 不能小于 0，而给出的是 {count}",
        "bad_alpha": "--alpha 应在 0 与 1 之间（如 0.05），而不是 {alpha}",
        "bad_correction": "--correction 应为 none、fdr 或 bonferroni，而不是 {correction!r}",
        "bad_lang": "--lang 应为 zh 或 en，而不是 {lang!r}",
        "bad_seed": "--seed 应为不小于 0 的整数（如 --seed 0），而不是 {seed!r}",
        "bad_format": "未知的 --format：{bad}；请用 gpkg 或 shp",
        "bad_jobs": "--jobs 应为不小于 1 的整数（如 --jobs 1），而不是 {value}",
        "bad_level": "未知的级别 {level_given!r}；请用以下之一：{levels}",
        "no_columns": "没有给出指标列；请用 --columns a,b 指定",
        "columns_twice": "--columns 中重复给出了列：{dup}",
        "bad_on_unmatched": "--on-unmatched 应为 raise、warn 或 drop，而不是 {mode!r}",
        "bad_methods": "未知的 --methods：{bad}；可用：{known}",
        "bad_method_note": "未知的方法说明：{bad}；可用：{known}",
        "bad_figures": "--figures 的格式应取自 {known}（用逗号分隔，如 png,pdf），而不是 {bad}",
        "too_many_permutations": "--permutations {count} 超出本次运行能用到的次数：任何检验在 "
        "{need:,} 次以上都不再有收益。LISA 聚类在 {at} 下判定，至多需要 {lisa_need:,} 次；"
        "全局莫兰指数和空间基尼按最小的常用显著性水平 {threshold:g} 设计，至多需要 {global_need:,} 次。"
        "达到这些次数后，伪 p 值 p 的蒙特卡洛标准误 sqrt(p(1-p)/P) 已小于检验阈值的 10 %；"
        "更多的置换只会细化远离任何判定的 p 值。请用 --permutations {need} 或更少，或用 auto"
        "（此处 LISA 取 {auto} 次，莫兰指数和空间基尼取 999 次）。",
        "too_many_permutations_lisa": "--permutations {count} 超出本次运行能用到的次数：任何检验在 "
        "{need:,} 次以上都不再有收益。LISA 聚类在 {at} 下判定，至多需要 {lisa_need:,} 次；"
        "全局莫兰指数和空间基尼按最小的常用显著性水平 {threshold:g} 设计，至多需要 {global_need:,} 次。"
        "达到这些次数后，伪 p 值 p 的蒙特卡洛标准误 sqrt(p(1-p)/P) 已小于检验阈值的 10 %；"
        "更多的置换只会细化远离任何判定的 p 值。请用 --permutations {lisa_need}（LISA 聚类所需；"
        "至多 {need}，即莫兰指数和空间基尼能用到的次数），或用 auto（此处 LISA 取 {auto} 次，"
        "莫兰指数和空间基尼取 999 次）。",
        # the output folder (workflow.outputs, workflow.staging)
        "out_is_file": "--out {out} 是文件而不是文件夹；请给出一个文件夹名",
        "out_not_empty": "输出文件夹 {out} 中已有 {n} 个文件（{files}）；加 --overwrite 可替换 "
        "spatialinno 写出的文件，或另选 --out",
        "out_below_file": "无法创建 --out {out}：{above} 是文件而不是文件夹；请另选 --out",
        "out_not_writable": "无法写入输出文件夹 {out}（{reason}：{path}）；请选择有写入权限的文件夹",
        "restore_failed": "写入 {out} 失败（{error}），此前的结果也未能全部恢复（{again}）；"
        "它们保存在 {backup}",
        # the table file (workflow.inputs, tables.sheet, tables.read)
        "table_not_found": "找不到数据表文件：{path}",
        "file_not_found": "找不到文件：{path}",
        "file_is_folder": "{path} 是文件夹而不是数据表文件；请给出其中 .csv、.tsv 或 .xlsx 文件的路径",
        "file_empty": "{file} 是空文件（0 字节），没有表头也没有数据行；请重新导出表格"
        "（Excel/WPS：另存为 CSV UTF-8 或 Excel 工作簿）",
        "unreadable_xlsx": "{file} 无法作为 .xlsx 工作簿读取（{error}）；请检查文件是否损坏、扩展名"
        "是否与内容相符",
        "unreadable_table": "{file} 无法作为数据表读取（{error}）；请检查文件是否损坏、扩展名"
        "是否与内容相符",
        "one_column": "{file} 中没有可用的表格（{rows} 行，列：{columns}）；需要一个地区列"
        "（代码或名称）和至少一个指标列",
        "bad_encoding": "{file} 无法按 {encoding!r} 解码（第 {byte} 字节）；不指定编码即可自动识别",
        "unknown_encoding": "{file} 的编码 {encoding!r} 未知",
        "no_encoding": "{file} 既不是 UTF-8，也不是 GBK 或 GB18030；请指定编码（如 'big5'）",
        "blank_lines": "{file} 只有空行（{n} 行），没有表头也没有数据行；请重新导出表格",
        "binary": "{file} 不是文本表格（含二进制数据）；如果它是工作簿，请改用其真实扩展名（.xlsx），"
        "或另存为 CSV",
        "not_xlsx_ole": "{file} 无法作为 .xlsx 工作簿读取：它是旧版 Excel 97-2003 工作簿（.xls）或"
        "其他 OLE 文件；请在 Excel/WPS 中打开并另存为 Excel 工作簿（.xlsx）",
        "not_xlsx_html": "{file} 无法作为 .xlsx 工作簿读取：它是 HTML/XML 网页（有些网站把 HTML "
        "表格命名为 .xls/.xlsx）；请在浏览器或 Excel 中打开，另存为 .xlsx 或 CSV",
        "not_xlsx_zip": "{file} 无法作为 .xlsx 工作簿读取：它是 zip 压缩包，但不是 Excel 工作簿"
        "（其中没有 xl/workbook.xml）；请确认这是要分析的表格，并另存为 .xlsx 或 CSV",
        "not_xlsx_other": "{file} 无法作为 .xlsx 工作簿读取：它不是工作簿（.xlsx 文件是 zip "
        "压缩包，而它是文本或其他格式）；如果它是 CSV，请改名为 .csv，否则请另存为 .xlsx 或 CSV",
        "damaged_xlsx": "{file} 无法作为 .xlsx 工作簿读取（{error}）；请在 Excel/WPS 中打开并重新"
        "保存为 .xlsx，或另存为 CSV",
        "no_sheet_at": "{file}：不存在位置为 {sheet} 的工作表；该工作簿共有 {n} 个工作表：{sheets}",
        "no_sheet_named": "{file}：找不到名为 {sheet!r} 的工作表；该工作簿的工作表：{sheets}",
        "no_filled_cell": "{file} 中没有填写任何单元格：没有表头也没有数据行",
        "no_header": "{file}：找不到表头行，每个非空行都只有一个单元格（第 {rows} 行）；请用 "
        "--header 指定列名所在的行",
        "header_past_end": "{file}：表头行 {row}（从 0 起算）超出了工作表末尾（共 {n} 行）",
        "xls": "{file}：不支持旧版 .xls 工作簿；请另存为 .xlsx（Excel/WPS：另存为 > Excel 工作簿）"
        "或 CSV",
        "file_type": "{file}：不支持的文件类型 {suffix!r}；请用 .csv、.tsv 或 .xlsx",
        "no_data_rows": "{file} 有表头（{n} 列：{columns}），但没有数据行；请在表头下填写数据，"
        "或检查 --sheet 和 --header",
        "decimal_mixed": "{file} 中的数字既有以逗号作小数点的（列 {comma_col!r}，第 {comma_row} 行："
        "{comma_cell!r}），也有以句点作小数点的（列 {point_col!r}，第 {point_row} 行：{point_cell!r}）；"
        "请用 --decimal , 或 --decimal . 说明是哪一种",
        "bad_header": "无法识别 --header {given!r}；请用 auto、电子表格中显示的行号（如 3），"
        "或多行表头的行号范围（如 3-4）",
        # cells (tables.cells); {header}: rows counted as in a spreadsheet
        "text_in_numbers": "{file} 的列 {column!r} 是数值列（{n_num} 个数字），但有 {n} 个单元格"
        "是文字：{cells}{header}；请改正或清空这些单元格"
        "（缺失值可写 '' 或 '-'），或把该列作为文字列",
        "percent_mixed": "{file} 的列 {column!r} 混用了百分数（{cells}）和普通数字（{plain}）"
        "{header}；12.5% 读作 0.125，旁边的普通数字 12.5 就会"
        "差 100 倍：请把该列的单元格写成同一种形式（都带 % 或都不带）",
        "bad_years": "{file} 的年份列 {column!r} 应为四位数年份（2021 或 2021年）；发现 {cells}",
        "scientific_codes": "{file} 的列 {column!r} 有 {n} 行代码是科学计数法：{codes}"
        "{header}。电子表格把这些长代码显示为 1.10101E+11，"
        "只保存了显示出来的数字，其余各位已丢失，这些行无法可靠匹配。请从原始工作簿或数据源重新"
        "把该列导出为文本（Excel/WPS：先把代码列设为“文本”格式再另存为 CSV；在 Excel 中打开 CSV "
        "再保存会再次丢失数字），或删除该列、改用地区名称连接",
        # the join (workflow.inputs, tables.join, tables.match, tables.labels)
        "key_not_found": "在 {source} 中找不到 --key 列 {missing}；现有的列：{available}",
        "nothing_matched": "{source} 的 {n} 行都没有匹配到{level}单元（关键列：{keys}）；例如："
        "{examples}。请检查 --level，或用 --key 指定代码或名称所在的列",
        "no_region_column": "表格中没有能识别{level}单元的列（未找到代码列或名称列）；现有的列："
        "{columns}；请用 --key 指定",
        "several_years": "{source} 包含 {n} 个年份（{years}）；请用 --year 选择其中一年",
        "year_not_in_table": "年份列 {column!r} 中没有 {year} 年的行；表中的年份：{years}",
        "no_year_column": "给出了 --year {year}，但表格既没有年份列（year/年份/年度），列名中也"
        "没有年份（如 rd_staff_2019、2019年R&D人员）；请去掉 --year",
        "no_wide_year": "没有 {year} 年的列；表中各列的年份为：{years}",
        "wide_clash": "{year} 年的列 {dup} 同时存在带年份和不带年份的版本；请给其中一列改名",
        "empty_years": "长表中有 {n} 行的年份列 {column!r} 为空：第 {rows} 行；请填写或删除这些行",
        "duplicates": "有 {n} 个单元在表格中出现在多行（行号为表格行）：\n  {duplicates}\n"
        "请在连接前删除或合并重复的行；面板数据需要年份列（year/年份）或 --year",
        "duplicates_long": "有 {n} 个单元在同一年份出现在多行（行号为表格行）：\n  {duplicates}\n"
        "请在连接前删除或合并重复的行",
        "layer_column_name": "{source} 的列 {cols} 与边界图层的列（{taken}）同名；" + _RENAME,
        "result_column_name": "{source} 的列 {cols} 与分析添加的结果列（{taken}）同名；" + _RENAME,
        "columns_not_found": "在 {source} 中找不到列 {cols}；可用的指标列：{available}",
        "label_unknown_column": "--label 给出的列 {cols} 不在表格中；现有的列：{columns}",
        "time_not_found": "找不到 --time 列 {time!r}；现有的列：{available}",
        "bad_time": "--time 应为年份所在列的列名，而不是 {time!r}",
        "time_and_year": "表格中同时有 {time!r} 列和 'year' 列；请给其中一列改名，或用 --time year",
        "time_not_years": "--time 列 {time!r} 的第 {row} 行是 {value!r}；年份应为整数（如 2021）",
        "too_few_years": "--time {time}：表格只有 {n} 个年份（{years}）；时空分析至少需要 {need} 个",
        "year_not_in_panel": "表格中没有 --year {year}；表中的年份：{years}",
        "column_too_few_years": "列 {col!r} 只在 {n} 个年份有数值（{years}）；时空分析至少需要 {need} 个",
        # the values (workflow.inputs)
        "infinite": "列 {col!r} 在以下单元为无穷大：{units}；这通常是电子表格中除以 0 的结果："
        "请改正这些单元格，或留空（作为缺失值）",
        "negative": "列 {col!r} 在以下单元为负值：{units}；基尼系数、泰尔指数和省会首位度需要不小于 0 "
        "的水平值（计数、金额、人数），而不是变化量或残差",
        "too_few_numbers": "列 {col!r} 在匹配到的{level}单元上只有 {n} 个数值；任何空间统计都至少需要 3 个",
        # statistics (measures)
        "knn_too_large": "k={k} 对 {n} 个单元来说太大；请用小于 {n} 的 k（--weights knn:K）",
        "zero_permutations": "{what} 至少需要 1 次置换：它的 p 值只来自置换，置换次数为 0 时没有任何"
        "单元被检验（地图会把它们都显示为不显著）；请用 --permutations auto 或如 999",
        "too_slow": "{what}：{count:,} 次置换在本机约需 {seconds}（预计超过 {limit} 的次数会被拒绝）。"
        "超过 {useful:,} 次的置换没有收益：伪 p 值 p 的蒙特卡洛标准误为 sqrt(p(1-p)/P)，在本次判定"
        "所用的最小阈值（{threshold:.2g}）下，从 P = {useful:,} 起它已小于阈值的 10 %，且能达到的"
        "最小 p 值 1/(P+1) 至少比阈值小 100 倍；更多的置换只会细化远离任何判定的 p 值。"
        "请用 {useful:,} 次或更少。",
        "too_slow_feasible": "{what}：{count:,} 次置换在本机约需 {seconds}（预计超过 {limit} 的次数"
        "会被拒绝）。超过 {useful:,} 次的置换没有收益：伪 p 值 p 的蒙特卡洛标准误为 sqrt(p(1-p)/P)，"
        "在本次判定所用的最小阈值（{threshold:.2g}）下，从 P = {useful:,} 起它已小于阈值的 10 %，"
        "且能达到的最小 p 值 1/(P+1) 至少比阈值小 100 倍；更多的置换只会细化远离任何判定的 p 值。"
        "这段时间内约能完成 {feasible:,} 次：请用这个次数或更少。",
    },
}
