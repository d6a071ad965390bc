"""The page of a chart: print (journal column, 300 dpi) or web (screen width), font, saving.

``style="print"`` gives a figure of a journal's column width (``"single"`` 90 mm, ``"double"``
190 mm, or a width in mm) written at ``dpi`` (300 by default) with 7-8 pt type, fonts embedded
as TrueType in PDF and text kept as text in SVG. ``style="web"`` gives the figure the HTML
report embeds: 190 mm wide drawn at 100 dpi with 9 pt type, so it reads at screen size.

Chinese text is drawn with the bundled *Spatialinno Sans SC* (``spatialinno/_assets/fonts``, a
subset of Noto Sans CJK SC, SIL OFL 1.1), registered with matplotlib's font manager when the
first chart is drawn, followed by DejaVu Sans (shipped with matplotlib) for rare symbols.
Figures are made without pyplot: nothing is kept in pyplot's registry, no GUI backend is used.

>>> page = ChartPage.of("print", "single", 300, "zh")
>>> page.width_mm, page.dpi, page.base_pt
(90.0, 300, 7.0)
>>> ChartPage.of("web", "double", 300, "en").dpi
100
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from .._errors import InputError
from ..styles import check_lang
from ..styles.charts import CHART_COLORS

__all__ = ["CHART_STYLES", "FONT_FAMILY", "ChartFigure", "ChartPage", "font_path"]

CHART_STYLES: tuple[str, ...] = ("print", "web")
FONT_FAMILY = "Spatialinno Sans SC"
_FONT_FILE = "SpatialinnoSansSC-Regular.ttf"
_WIDTHS_MM = {"single": 90.0, "double": 190.0}
_MM_PER_INCH = 25.4
_WEB_DPI = 100


def font_path() -> str:
    """Path of the bundled font file (inside the installed package)."""
    return str(files("spatialinno").joinpath("_assets", "fonts", _FONT_FILE))


@cache
def _register() -> str:
    from matplotlib import font_manager

    path = font_path()
    font_manager.fontManager.addfont(path)
    return path


class ChartFigure(Figure):
    """A Figure whose ``savefig`` uses the chart's resolution and print settings by default."""

    chart_dpi: int = 300
    chart_rc: dict[str, Any] | None = None

    def savefig(self, fname: Any, *args: Any, **kwargs: Any) -> None:
        import matplotlib

        kwargs.setdefault("dpi", self.chart_dpi)
        kwargs.setdefault("facecolor", "white")
        suffix = Path(fname).suffix.lower() if isinstance(fname, str | os.PathLike) else ""
        if suffix in (".pdf", ".svg"):
            date = "CreationDate" if suffix == ".pdf" else "Date"
            kwargs.setdefault("metadata", {date: None, "Creator": "spatialinno"})
        with matplotlib.rc_context(self.chart_rc or {}):
            super().savefig(fname, *args, **kwargs)


@dataclass(frozen=True)
class ChartPage:
    """Style (print / web), width (mm), resolution (dpi), language and base type size (pt)."""

    style: str
    width_mm: float
    dpi: int
    lang: str
    base_pt: float

    @classmethod
    def of(cls, style: str, width: str | float, dpi: int, lang: str) -> ChartPage:
        """The page asked for, checked."""
        lang = check_lang(lang)
        if style not in CHART_STYLES:
            raise InputError(f"style must be 'print' or 'web', not {style!r}")
        if isinstance(width, str):
            if width not in _WIDTHS_MM:
                raise InputError(f"width must be 'single', 'double' or mm, not {width!r}")
            mm = _WIDTHS_MM[width]
        elif isinstance(width, int | float) and not isinstance(width, bool) and 40 <= width <= 500:
            mm = float(width)
        else:
            raise InputError(f"width must be 'single', 'double' or 40-500 mm, not {width!r}")
        if isinstance(dpi, bool) or not isinstance(dpi, int) or not 72 <= dpi <= 1200:
            raise InputError(f"dpi must be a whole number from 72 to 1200, not {dpi!r}")
        if style == "web":
            return cls(style, 190.0 if isinstance(width, str) else mm, _WEB_DPI, lang, 9.0)
        return cls(style, mm, dpi, lang, 7.0 if mm < 140 else 8.0)

    def rc(self) -> dict[str, Any]:
        """matplotlib settings the chart is drawn and saved with."""
        _register()
        small = round(self.base_pt * 0.85, 2)
        return {
            "font.family": [FONT_FAMILY, "DejaVu Sans"],
            "font.size": self.base_pt,
            "axes.titlesize": self.base_pt + 1,
            "axes.labelsize": self.base_pt,
            "xtick.labelsize": small,
            "ytick.labelsize": small,
            "legend.fontsize": small,
            "axes.linewidth": 0.6,
            "axes.edgecolor": CHART_COLORS["text"],
            "text.color": CHART_COLORS["text"],
            "axes.labelcolor": CHART_COLORS["text"],
            "xtick.color": CHART_COLORS["text"],
            "ytick.color": CHART_COLORS["text"],
            "lines.linewidth": 1.2,
            "pdf.fonttype": 42,
            "ps.fonttype": 42,
            "svg.fonttype": "none",
            "svg.hashsalt": "spatialinno",
            "axes.unicode_minus": True,
        }

    def figure(self, height_mm: float) -> ChartFigure:
        """A new figure of the page's width and ``height_mm``, laid out by matplotlib."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = ChartFigure(
            figsize=(self.width_mm / _MM_PER_INCH, height_mm / _MM_PER_INCH),
            dpi=_WEB_DPI,
            facecolor="white",
            layout="constrained",
        )
        fig.chart_dpi = self.dpi
        fig.chart_rc = self.rc()
        FigureCanvasAgg(fig)
        return fig
