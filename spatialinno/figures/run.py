"""The print figures of a run of ``spatialinno analyze`` (``--figures png,pdf``).

For each analysed column: the choropleth, the LISA clusters, the Gi* hot and cold spots and the
Moran scatter plot, drawn from what the run computed and wrote -- the joined layer and the
``lisa_*`` / ``hotspots_*`` layers of ``results.gpkg`` -- so the figures show exactly the classes
of the web maps and the QGIS layers of the same run. Files go to ``figures/`` in the run's
folder, one per kind, column and format (``figures/map_<column>.png``); the report embeds the
PNGs.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyogrio

from .._errors import FontWarning, InputError
from .._notes import Note
from .charts import plot_capital_shares, plot_moran_scatter, plot_region_means
from .choropleth import plot_choropleth
from .clusters import plot_hotspots, plot_lisa
from .page import FORMATS, save_figure
from .study import plot_capital_effect, plot_coastal_lead

__all__ = [
    "FIGURES_DIR",
    "STUDY_FIGURES",
    "FigureFile",
    "check_formats",
    "write_figures",
    "write_study_figures",
]

FIGURES_DIR = "figures"
GPKG = "results.gpkg"  # workflow.outputs.GPKG_FILE (figures sit below the workflow)
_KINDS = ("map", "lisa", "hotspots", "moran")
_TITLES = {
    "zh": {"map": "{col}", "lisa": "LISA 聚类：{col}", "hotspots": "Gi* 冷热点：{col}",
           "moran": "Moran 散点图：{col}"},
    "en": {"map": "{col}", "lisa": "LISA clusters: {col}", "hotspots": "Gi* hot and cold spots: {col}",
           "moran": "Moran scatter plot: {col}"},
}  # fmt: skip


@dataclass(frozen=True)
class FigureFile:
    """One figure of a run: its files (relative to the run's folder), PNG first, and a title."""

    files: tuple[str, ...]
    title: str
    width_mm: float = 190.0

    @property
    def png(self) -> str | None:
        """The PNG the report embeds (None when PNG was not asked for)."""
        return next((f for f in self.files if f.endswith(".png")), None)


def check_formats(formats: Sequence[str] | str | None) -> tuple[str, ...]:
    """The figure formats asked for (``"png,pdf"`` or a list), checked; () for none.

    >>> check_formats("png, PDF"), check_formats(None)
    (('png', 'pdf'), ())
    """
    if formats is None:
        return ()
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = tuple(
        dict.fromkeys(str(f).strip().lower().lstrip(".") for f in items if str(f).strip())
    )
    bad = [f for f in wanted if f not in FORMATS]
    if bad:
        text = (
            f"--figures takes formats among {', '.join(FORMATS)} (comma-separated, e.g. png,pdf), "
            f"not {', '.join(bad)}"
        )
        raise InputError(Note("bad_figures", text, bad=tuple(bad), known=tuple(FORMATS)))
    return wanted


def _draw(kind: str, sec: Any, col: str, out: Path, lang: str, moran: dict[str, Any]) -> Any:
    """The figure of one kind for one column (the LISA and Gi* frames from results.gpkg)."""
    name = sec.slugs[col]
    if kind == "map":
        return plot_choropleth(sec.gdf, col, lang=lang)
    if kind == "moran":
        return plot_moran_scatter(sec.gdf, col, lang=lang, **moran)
    layer = pyogrio.read_dataframe(out / GPKG, layer=f"{kind}_{name}")
    return (plot_lisa if kind == "lisa" else plot_hotspots)(layer, col, lang=lang)


def write_figures(
    out: Path, sec: Any, formats: Sequence[str] | str, lang: str, *, weights: Any = None,
    permutations: int = 999, seed: int = 0,
) -> list[FigureFile]:  # fmt: skip
    """Write the figures of every column of ``sec`` (a workflow ``Section``) into ``out/figures``.

    ``weights``, ``permutations`` and ``seed`` are the run's, so the Moran scatter plot states
    the I and p of the report. The data warnings the run already gave (units without a value
    left out) are not repeated; a :class:`~spatialinno.FontWarning` is.
    """
    formats = check_formats(formats)
    if not formats:
        return []
    out = Path(out)
    moran = {"w": weights, "permutations": permutations, "seed": seed}
    written: list[FigureFile] = []
    for col in sec.columns:
        for kind in _KINDS:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                fig = _draw(kind, sec, col, out, lang, moran)
            for w in caught:
                if issubclass(w.category, FontWarning):
                    warnings.warn(w.message, FontWarning, stacklevel=2)
            paths = save_figure(fig, out / FIGURES_DIR / f"{kind}_{sec.slugs[col]}", formats)
            files = tuple(p.relative_to(out).as_posix() for p in paths)
            title = _TITLES[lang][kind].format(col=col)
            written.append(FigureFile(files, title, round(fig.get_figwidth() * 25.4, 1)))
    return written


# the reference study's figures (``spatialinno demo --figures``): file name, zh and en title
STUDY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("study_gini_years", "创新资源基尼系数：2012–2023 年各省（小多图）",
     "Gini 1 by province, 2012–2023 (small multiples)"),
    ("study_coastal_lead_2023", "沿海领先：创新资源基尼系数（2023 年）",
     "The coastal lead: Gini 1 (2023)"),
    ("study_capital_effect_2021", "省会效应（2021 年）", "The capital effect (2021)"),
    ("study_region_means", "四大地区均值（2012–2023 年）", "Means of the four regions, 2012–2023"),
    ("study_capital_shares_2021", "各省省会份额（2021 年）", "Capital share by province (2021)"),
)  # fmt: skip


def write_study_figures(
    out: Path, table: Any, formats: Sequence[str] | str, lang: str
) -> list[FigureFile]:
    """The reference study's figures from its Table 2 (``table``) into ``out/figures``.

    Gini 1 in five panels (2012/2015/2018/2021/2023), the coastal-lead map (2023), the
    capital-effect map (2021), the four regions' means over the years and the sorted capital
    shares (2021), as in Zhao et al. (2025).
    """
    formats = check_formats(formats)
    if not formats:
        return []
    out = Path(out)
    draw = {
        "study_gini_years": lambda: plot_choropleth(table, "gini_innovation", by="year", lang=lang),
        "study_coastal_lead_2023": lambda: plot_coastal_lead(table, "gini_innovation", 2023,
                                                             lang=lang),
        "study_capital_effect_2021": lambda: plot_capital_effect(table, year=2021, lang=lang),
        "study_region_means": lambda: plot_region_means(table, "gini_innovation", lang=lang),
        "study_capital_shares_2021": lambda: plot_capital_shares(table, year=2021, lang=lang),
    }  # fmt: skip
    written = []
    for name, title_zh, title_en in STUDY_FIGURES:
        fig = draw[name]()
        paths = save_figure(fig, out / FIGURES_DIR / name, formats)
        files = tuple(p.relative_to(out).as_posix() for p in paths)
        title = title_zh if lang == "zh" else title_en
        written.append(FigureFile(files, title, round(fig.get_figwidth() * 25.4, 1)))
    return written
