"""One-page HTML report of an analysis: what was joined, the tables, the maps, the method.

The report is a single self-contained HTML file: inline CSS, no JavaScript, no web font, no
external asset, so it opens offline like the maps it embeds. Maps are separate offline HTML files
next to it, embedded with ``<iframe>`` (a relative link, so the output folder can be moved or zipped
as a whole). Every piece of text and every table cell is HTML-escaped
(:func:`spatialinno._escape.html_text`): region names and column names come from user tables and
must never be read as markup. Links and embedded maps are local paths written with
:func:`spatialinno._escape.url_path`, so a file name can never become a ``javascript:`` URL.

>>> from spatialinno.workflow.report import Report
>>> r = Report("测试", lang="zh")
>>> r.paragraph("<b>not bold</b>")
>>> "&lt;b&gt;not bold&lt;/b&gt;" in r.to_html()
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template

import numpy as np
import pandas as pd

from .._errors import InputError
from .._escape import html_text, url_path
from .._notes import Note
from ..styles import PAGE_COLORS, TABLE, format_measure, format_number, is_missing

__all__ = ["METHOD_NOTES", "MethodNote", "Report", "format_cell", "method_notes"]

LANGS: tuple[str, ...] = ("zh", "en")
_CJK = re.compile(r"[\u3400-\u9fff]")

# colours from the one palette (spatialinno.styles.PAGE_COLORS)
_CSS = Template("""
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
  "Helvetica Neue",Arial,sans-serif;margin:0 auto;max-width:1100px;padding:1.5em 2em;color:$text;
  line-height:1.5}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.3em;border-bottom:2px solid $rule;
  padding-bottom:.2em;margin-top:1.8em}h3{font-size:1.1em;margin-top:1.3em}
.si-subtitle{color:$muted;margin-top:0}
table{border-collapse:collapse;margin:.6em 0 1em;font-size:.88em}
th,td{border:1px solid $grid;padding:.25em .55em;text-align:right;vertical-align:top}
th{background:$header}td.si-text,th.si-text{text-align:left}
caption{caption-side:top;text-align:left;font-weight:bold;padding:.2em 0}
.si-map{margin:1em 0}.si-figure{margin:1em 0}.si-figure img{max-width:100%;height:auto}.si-map iframe{width:100%;height:520px;border:1px solid $grid}
.si-note{color:$muted;font-size:.9em}.si-facts li{margin:.2em 0}
.si-method dt{font-weight:bold;margin-top:.7em}.si-method code{background:$code;padding:0 .2em}
.si-warn{background:$warn_background;border-left:4px solid $warn_border;padding:.4em .8em;font-size:.9em}
""").substitute(PAGE_COLORS)


def _esc(value: object) -> str:
    return html_text(value)


def format_cell(
    value: object, digits: int = 3, percent: bool = False, measure: str | None = None
) -> str:
    """Text for one table cell: numbers by the one rule of :mod:`spatialinno.styles.numbers`.

    ``measure`` names the statistic a column holds (``gini``, ``I``, ``p_sim`` ...; see
    :func:`~spatialinno.styles.numbers.format_measure`): fixed decimals by measure. Otherwise
    numbers by magnitude (``digits`` significant digits below 1,000), shares in a ``percent``
    column as percentages; integers are written exactly (a count in a share column stays a
    count); a missing value is "–"; tuples are joined with "; ".

    >>> format_cell(0.123456), format_cell(0.5, percent=True), format_cell(float("nan"))
    ('0.123', '50 %', '–')
    >>> format_cell(21893095.0), format_cell(3029.737), format_cell(7), format_cell(True)
    ('21,893,095', '3,030', '7', 'True')
    >>> format_cell(0.25713, measure="I"), format_cell(0.00002, measure="p_sim")
    ('0.2571', '< 0.001')
    """
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, tuple):
        return "; ".join(map(str, value))
    if isinstance(value, (int, np.integer)) and not is_missing(value):
        return format_number(value, digits, fmt=TABLE)
    if is_missing(value) or isinstance(value, (float, np.floating)):
        if measure is not None:
            return format_measure(value, measure, fmt=TABLE)
        return format_number(value, digits, percent=percent, fmt=TABLE)
    return str(value)


@dataclass(frozen=True)
class MethodNote:
    """A method note: what is computed, the formula (plain text) and the reference.

    ``formula_zh`` / ``reference_en``: the formula's words in Chinese and a Chinese reference
    in English, when they differ (a formula of symbols and an English reference serve both).
    """

    title_zh: str
    title_en: str
    formula: str
    text_zh: str
    text_en: str
    reference: str
    formula_zh: str = ""
    reference_en: str = ""

    def say(self, lang: str) -> tuple[str, str, str, str]:
        """Title, formula, text and reference in ``lang``."""
        if lang == "en":
            return self.title_en, self.formula, self.text_en, self.reference_en or self.reference
        return self.title_zh, self.formula_zh or self.formula, self.text_zh, self.reference


#: Method notes shared by the CLI report and the notebooks (formulas in plain Unicode text).
METHOD_NOTES: dict[str, MethodNote] = {
    "gini": MethodNote(
        "基尼系数",
        "Gini coefficient",
        "G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄)",
        "各单元指标值两两差的绝对值之和，除以 2n² 与均值之积；0 为完全均等，趋近 1 为高度集中。"
        "逐省计算时为该省各地级单元之间的基尼系数（研究口径：不含四个直辖市与西藏）。",
        "Sum of absolute differences over all pairs of units divided by 2n² times the mean; 0 is "
        "perfect equality, values near 1 mean concentration. Per province: across the "
        "province's prefecture-level units (study scope: without the four municipalities and "
        "Tibet).",
        "赵成伟 等 (2025) 区域创新资源集聚：测算、网络结构特征与国际比较研究, 区域经济评论 2025(2):24-35.",
        reference_en="Zhao Chengwei, Li Wenya, Chen Hongqi, Sun Jihong (2025). Regional Economic Review 2025(2):24-35 (in Chinese).",
    ),
    "spatial_gini": MethodNote(
        "空间基尼分解",
        "Spatial Gini decomposition",
        "G = Σᵢ Σⱼ wᵢⱼ|xᵢ − xⱼ| / (2n²x̄) + Σᵢ Σⱼ (1 − wᵢⱼ)|xᵢ − xⱼ| / (2n²x̄)",
        "把基尼系数拆为相邻单元对与非相邻单元对的贡献；置换检验判断相邻单元是否比随机更相似。",
        "Splits G into the part from neighbouring pairs and from non-neighbouring pairs; a "
        "permutation test says whether neighbours are more alike than chance.",
        "Rey, S. J. & Smith, R. J. (2013) A spatial decomposition of the Gini coefficient. "
        "Letters in Spatial and Resource Sciences 6(2):55-70.",
    ),
    "capital_share": MethodNote(
        "省会首位度（省会效应）",
        "Capital share (capital effect)",
        "s_g = x_capital(g) / Σ_{i∈g} xᵢ",
        "省会（首府）所在地级单元占全省合计的比重；> 50 % 为省会主导，> 80 % 为极端集中。",
        "The provincial capital's share of the province total; above 50 % the province is "
        "capital-dominated, above 80 % extreme.",
        "赵成伟 等 (2025), 区域经济评论 2025(2):24-35.",
        reference_en="Zhao Chengwei, Li Wenya, Chen Hongqi, Sun Jihong (2025). Regional Economic Review 2025(2):24-35 (in Chinese).",
    ),
    "theil": MethodNote(
        "泰尔指数及其分解",
        "Theil index and its decomposition",
        "T = (1/n) Σᵢ (xᵢ/x̄) ln(xᵢ/x̄) = Σ_g S_g ln(S_g/Π_g) + Σ_g S_g T_g",
        "按东部、中部、西部、东北四大地区分解为区域间与区域内两部分（单位：nat）。",
        "Decomposed by the NBS four regions (East, Central, West, Northeast) into a between- and "
        "a within-region part (nats).",
        "Theil, H. (1967) Economics and Information Theory; Shorrocks, A. F. (1980) "
        "Econometrica 48(3):613-625.",
    ),
    "moran": MethodNote(
        "全局莫兰指数",
        "Global Moran's I",
        "I = (n / S₀) Σᵢ Σⱼ wᵢⱼ zᵢ zⱼ / Σᵢ zᵢ²,  zᵢ = xᵢ − x̄,  S₀ = Σᵢ Σⱼ wᵢⱼ",
        "行标准化空间权重；z 值来自随机化假设下的解析方差，p_sim 来自置换检验（固定随机种子）。",
        "Row-standardised weights; z from the analytic variance under randomisation, p_sim from "
        "a permutation test with a fixed seed.",
        "Moran, P. A. P. (1950) Biometrika 37:17-23; Cliff, A. D. & Ord, J. K. (1981) Spatial "
        "Processes. Pion.",
    ),
    "lisa": MethodNote(
        "局部莫兰指数（LISA）",
        "Local Moran's I (LISA)",
        "Iᵢ = (n − 1) zᵢ Σⱼ wᵢⱼ zⱼ / Σₖ zₖ²",
        "条件置换检验得到伪 p 值；显著单元按莫兰散点图象限标为 高-高、低-低、高-低、低-高；"
        "无邻居的单元标为孤立、缺值单元标为无数据，均不参与计算。",
        "Pseudo p-values from conditional permutation; significant units are labelled by their "
        "Moran scatterplot quadrant HH, LL, HL, LH; units without neighbours are 'isolated', "
        "units without a value 'no data', and both are left out of the computation.",
        "Anselin, L. (1995) Local indicators of spatial association—LISA. Geographical "
        "Analysis 27(2):93-115.",
    ),
    "gi_star": MethodNote(
        "Getis–Ord Gi* 冷热点",
        "Getis–Ord Gi* hot spots",
        "zᵢ = (Σⱼ wᵢⱼ xⱼ − Wᵢ x̄) / (s √((n S₁ᵢ − Wᵢ²)/(n − 1))),  Wᵢ = Σⱼ wᵢⱼ,  S₁ᵢ = Σⱼ wᵢⱼ²",
        "包含单元自身（wᵢᵢ = 1）的二元权重；按 90/95/99 % 置信度分为 −3…3 七级。",
        "Binary weights including the unit itself (wᵢᵢ = 1); binned −3..3 at 90/95/99 % "
        "confidence as ArcGIS Pro reports it.",
        "Getis, A. & Ord, J. K. (1992) Geographical Analysis 24(3):189-206; Ord, J. K. & "
        "Getis, A. (1995) Geographical Analysis 27(4):286-306.",
    ),
    "fdr": MethodNote(
        "多重检验校正",
        "Multiple-testing correction",
        "Benjamini–Hochberg: reject p₍ₖ₎ ≤ (k/m) α for the largest such k",
        "对 m 个单元同时检验时控制错误发现率；置换次数至少约为 m/α，否则校正后不可能拒绝。",
        "Controls the false discovery rate over the m units tested; permutations must be at "
        "least about m/α, otherwise no unit can pass the corrected threshold.",
        "Benjamini, Y. & Hochberg, Y. (1995) JRSS B 57(1):289-300.",
        formula_zh="Benjamini–Hochberg：取满足 p₍ₖ₎ ≤ (k/m) α 的最大 k，p 值最小的 k 个检验为显著",
    ),
    "emerging": MethodNote(
        "新兴热点分析",
        "Emerging hot spot analysis",
        "Gi*ᵢₜ per unit i and year t;  S = Σ_{s<t} sign(zᵢₜ − zᵢₛ),  Z = (S ∓ 1)/√Var(S)",
        "逐年计算 Gi*（90/95/99 % 置信度），对每个单元的 Gi* z 值序列做 Mann–Kendall 趋势检验，"
        "按 ArcGIS Pro 的规则分为新增、连续、加强、持续、逐渐减少、分散、振荡、历史的热点与冷点"
        "及无模式共 17 类；有缺年的单元标为无数据。",
        "Gi* in every year (90/95/99 % confidence), a Mann–Kendall trend test on each unit's "
        "series of Gi* z-scores, and ArcGIS Pro's rules for the 17 categories (new, "
        "consecutive, intensifying, persistent, diminishing, sporadic, oscillating, historical "
        "hot and cold spots, no pattern); a unit with a missing year is 'no data'.",
        "Esri, How Emerging Hot Spot Analysis works (ArcGIS Pro); Mann, H. B. (1945) "
        "Econometrica 13:245-259; Kendall, M. G. (1975) Rank Correlation Methods.",
    ),
    "centrography": MethodNote(
        "重心与标准差椭圆",
        "Centre of gravity and standard deviational ellipse",
        "x̄ = Σ wᵢxᵢ / Σ wᵢ;  C = Σ wᵢ dᵢdᵢᵀ / Σ wᵢ,  a, b = √(2 λ₁), √(2 λ₂)",
        "以指标值为权重的加权平均中心（等积投影），逐年移动距离与方位（大地线）；一倍标准差椭圆，"
        "采用 ArcGIS 的 √2 校正，给出长短半轴、方位角与面积。",
        "Weighted mean centre in an equal-area projection, the geodesic distance and azimuth of "
        "each year's shift; the one-standard-deviation ellipse with ArcGIS's √2 correction: "
        "semi-axes, orientation (clockwise from north) and area.",
        "Lefever, D. W. (1926) American Journal of Sociology 32(1):88-94; Yuill, R. S. (1971) "
        "Geographical Analysis 3(1):28-39; pointpats.centrography.",
    ),
    "spatial_markov": MethodNote(
        "空间马尔可夫链",
        "Spatial Markov chain",
        "P[l]ᵢⱼ = nₗᵢⱼ / nₗᵢ;  Q = Σₗ Σᵢ nₗᵢ Σⱼ (pₗᵢⱼ − pᵢⱼ)² / pᵢⱼ,  LR = 2 Σ nₗᵢⱼ ln(pₗᵢⱼ / pᵢⱼ)",
        "把各单元每年的相对水平（值 / 当年均值）按分位数分为 k 类，按邻域（空间滞后）类别条件化估计"
        "转移概率矩阵；Q 与 LR 检验各邻域类别下的矩阵是否相同（giddy）。",
        "Each unit-year's relative level (value / the year's mean) in k quantile classes; "
        "transition probabilities conditioned on the class of the spatial lag; Q and LR test "
        "whether the matrices differ across neighbourhood classes (giddy).",
        "Rey, S. J. (2001) Geographical Analysis 33(1):59-74; Bickenbach, F. & Bode, E. (2003) "
        "International Regional Science Review 26(3):363-392.",
    ),
    "lisa_transitions": MethodNote(
        "LISA 聚类转移",
        "LISA cluster transitions",
        "share stable = #{i: cᵢ(t₀) = cᵢ(t₁)} / n",
        "首年与末年的 LISA 聚类（高-高、低-低、高-低、低-高、不显著）交叉表，以及类别不变的单元比例。",
        "Cross-table of the LISA clusters (HH, LL, HL, LH, ns) of the first and the last year, and "
        "the share of units whose cluster did not change.",
        "Rey, S. J. (2001) Geographical Analysis 33(1):59-74.",
    ),
    "weights": MethodNote(
        "空间权重",
        "Spatial weights",
        "queen: shared vertex; rook: shared edge; knn:k; distance:d km (centroids, Albers equal-area)",
        "在等积投影（Albers，米）中构建；海岛按最近边界连接到最近单元，使图连通。",
        "Built in an equal-area projection (Albers, metres); islands are linked to the unit "
        "with the nearest boundary so that the graph is connected.",
        "Anselin, L. & Rey, S. J. (2014) Modern Spatial Econometrics in Practice. GeoDa Press.",
        formula_zh="queen：共享顶点；rook：共享边；knn:k：k 个最近邻；distance:d：质心距离 ≤ d 千米"
        "（Albers 等积投影）",
    ),
}


def method_notes(keys: Iterable[str] | None = None) -> list[MethodNote]:
    """The method notes for ``keys`` (all, in a fixed order, by default).

    >>> [n.title_en for n in method_notes(["gini", "moran"])]
    ['Gini coefficient', "Global Moran's I"]
    """
    if keys is None:
        return list(METHOD_NOTES.values())
    keys = list(keys)
    unknown = [k for k in keys if k not in METHOD_NOTES]
    if unknown:
        text = f"unknown method note(s) {unknown}; available: {', '.join(METHOD_NOTES)}"
        raise InputError(Note("bad_method_note", text, bad=unknown, known=tuple(METHOD_NOTES)))
    return [METHOD_NOTES[k] for k in keys]


class Report:
    """Builder of a one-page, offline, escaped HTML report.

    Blocks are added in reading order (headings, paragraphs, fact lists, tables, embedded maps,
    method notes) and written with :meth:`save`.

    Parameters
    ----------
    title : str
        Page title (also the ``<h1>``).
    lang : {"zh", "en"}, default "zh"
        Language of the built-in labels (method notes, captions).
    subtitle : str, optional
        Line under the title (input, level, year ...).

    Examples
    --------
    >>> import pandas as pd, tempfile, os
    >>> r = Report("Demo", lang="en", subtitle="bundled data")
    >>> r.heading("Capital share")
    >>> r.table(pd.DataFrame({"province": ["甘肃"], "share": [0.84]}), percent=["share"])
    >>> r.map("capital.html", "Capital effect, 2021")
    >>> path = r.save(os.path.join(tempfile.mkdtemp(), "report.html"))
    >>> text = open(path, encoding="utf-8").read()
    >>> "84 %" in text, 'src="capital.html"' in text, "<script" in text
    (True, True, False)
    """

    def __init__(self, title: str, *, lang: str = "zh", subtitle: str = "") -> None:
        if lang not in LANGS:
            text = f"unknown language {lang!r}; use one of: {', '.join(LANGS)}"
            raise InputError(Note("bad_lang", text, lang=lang))
        self.title = title
        self.lang = lang
        self.subtitle = subtitle
        self._blocks: list[str] = []

    # -- blocks --------------------------------------------------------------------------------
    def heading(self, text: str, level: int = 2) -> None:
        """A section (``level=2``) or sub-section (``level=3``) heading."""
        level = min(max(int(level), 2), 4)
        self._blocks.append(f"<h{level}>{_esc(text)}</h{level}>")

    def paragraph(self, text: str, note: bool = False, ref: str = "") -> None:
        """A paragraph of plain text (escaped); ``note=True`` prints it small and grey; ``ref``
        a literature reference after it, marked as cited in the language it was published in."""
        cls = ' class="si-note"' if note else ""
        cite = ""
        if ref:
            ref_lang = "zh" if _CJK.search(ref) else "en"
            cite = f' <span class="si-note si-ref" lang="{ref_lang}">{_esc(ref)}</span>'
        self._blocks.append(f"<p{cls}>{_esc(text)}{cite}</p>")

    def facts(self, items: Sequence[str]) -> None:
        """A bullet list of findings."""
        lis = "".join(f"<li>{_esc(i)}</li>" for i in items)
        self._blocks.append(f'<ul class="si-facts">{lis}</ul>')

    def warnings(self, items: Sequence[str]) -> None:
        """Highlighted list of data warnings (rows left out, unmatched rows ...)."""
        if not items:
            return
        lis = "".join(f"<li>{_esc(i)}</li>" for i in items)
        self._blocks.append(f'<div class="si-warn"><ul>{lis}</ul></div>')

    def table(
        self,
        frame: pd.DataFrame,
        caption: str = "",
        *,
        digits: int = 3,
        percent: Sequence[str] = (),
        index: bool = True,
        max_rows: int | None = None,
        measures: Mapping[object, str] | None = None,
        headers: Mapping[object, str] | None = None,
    ) -> None:
        """An HTML table of ``frame``; numbers formatted by :func:`format_cell`.

        ``percent`` lists the columns holding shares in 0..1 (written as percentages);
        ``measures`` maps a column to the statistic it holds (fixed decimals by measure, see
        :func:`format_cell`); ``headers`` maps a column to the heading shown (its name
        otherwise); rows beyond ``max_rows`` are counted in a note rather than printed.
        """
        shown = frame if max_rows is None else frame.head(max_rows)
        cols = list(shown.columns)
        measures, headers = dict(measures or {}), dict(headers or {})
        text_cols = {c for c in cols if not pd.api.types.is_numeric_dtype(shown[c])}
        head = []
        if index:
            names = [n for n in shown.index.names if n is not None]
            head.append(f'<th class="si-text">{_esc(" / ".join(map(str, names)))}</th>')
        for c in cols:
            cls = ' class="si-text"' if c in text_cols else ""
            head.append(f"<th{cls}>{_esc(headers.get(c, c))}</th>")
        rows = []
        for idx, row in zip(shown.index, shown.itertuples(index=False), strict=True):
            cells = []
            if index:
                label = " / ".join(map(str, idx)) if isinstance(idx, tuple) else str(idx)
                cells.append(f'<td class="si-text">{_esc(label)}</td>')
            for c, v in zip(cols, row, strict=True):
                cls = ' class="si-text"' if c in text_cols else ""
                text = format_cell(v, digits, c in percent, measures.get(c))
                cells.append(f"<td{cls}>{_esc(text)}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
        more = ""
        if max_rows is not None and len(frame) > max_rows:
            rest = len(frame) - max_rows
            more = (
                f'<p class="si-note">… {rest} more rows (see summary.csv)</p>'
                if self.lang == "en"
                else f'<p class="si-note">… 另有 {rest} 行（见 summary.csv）</p>'
            )
        self._blocks.append(
            f"<table>{cap}<thead><tr>{''.join(head)}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>{more}"
        )

    def map(self, src: str, title: str, height: int = 520) -> None:
        """Embed an offline map file (path relative to the report) in an iframe, with a link.

        ``src`` is a local path: it is percent-encoded (:func:`spatialinno._escape.url_path`), so
        ``"javascript:..."`` is a file name, not a script.
        """
        open_label = "open full page" if self.lang == "en" else "在新页面打开"
        url = _esc(url_path(src))
        self._blocks.append(
            f'<div class="si-map"><h3>{_esc(title)}</h3>'
            f'<iframe src="{url}" title="{_esc(title)}" style="height:{int(height)}px" '
            f'loading="lazy"></iframe>'
            f'<p class="si-note"><a href="{url}">{_esc(open_label)}: {_esc(src)}</a></p>'
            "</div>"
        )

    def figure(
        self, src: str, title: str, files: Sequence[str] = (), width_mm: float = 190.0
    ) -> None:
        """Embed a print figure (a local PNG, path relative to the report) with links to
        ``files`` (the same figure in other formats); paths are escaped as in :meth:`map`.
        Shown at 1.3 times its print width (a single column is not stretched to the page)."""
        url = _esc(url_path(src))
        px = round(float(width_mm) / 25.4 * 96 * 1.3)
        links = " · ".join(f'<a href="{_esc(url_path(f))}">{_esc(f)}</a>' for f in files or [src])
        self._blocks.append(
            f'<figure class="si-figure"><img src="{url}" alt="{_esc(title)}" width="{px}">'
            f'<figcaption>{_esc(title)} <span class="si-note">{links}</span></figcaption></figure>'
        )

    def method(self, keys: Iterable[str] | None = None) -> None:
        """The method notes (formula, explanation, reference) for ``keys``."""
        heading = "Methods" if self.lang == "en" else "方法说明"
        items = []
        for n in method_notes(keys):
            title, formula, text, ref = n.say(self.lang)
            # a reference is cited in the language it was published in: marked as such
            ref_lang = "zh" if _CJK.search(ref) else "en"
            items.append(
                f"<dt>{_esc(title)}</dt><dd><code>{_esc(formula)}</code><br>{_esc(text)}"
                f'<br><span class="si-note si-ref" lang="{ref_lang}">{_esc(ref)}</span></dd>'
            )
        self._blocks.append(f'<h2>{_esc(heading)}</h2><dl class="si-method">{"".join(items)}</dl>')

    def files(self, names: Sequence[str]) -> None:
        """List of output files, linked relative to the report (local paths, see :meth:`map`)."""
        lis = "".join(f'<li><a href="{_esc(url_path(n))}">{_esc(n)}</a></li>' for n in names)
        self._blocks.append(f"<ul>{lis}</ul>")

    # -- output --------------------------------------------------------------------------------
    def to_html(self) -> str:
        """The whole page as a string (UTF-8 declared, inline CSS, no script)."""
        html_lang = "zh-CN" if self.lang == "zh" else "en"
        sub = f'<p class="si-subtitle">{_esc(self.subtitle)}</p>' if self.subtitle else ""
        return (
            f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_esc(self.title)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{_esc(self.title)}</h1>{sub}" + "\n".join(self._blocks) + "</body></html>\n"
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path."""
        path = Path(path)
        path.write_text(self.to_html(), encoding="utf-8")
        return path
