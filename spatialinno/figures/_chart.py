"""The page of a chart of regional differences: print (journal column) or web (the report).

``style="print"`` is the page of every print figure (:class:`~spatialinno.figures.page.Page`):
a journal's column width (``"single"`` 90 mm, ``"double"`` 190 mm, or mm) at ``dpi`` (300 by
default) with 7-8 pt type, fonts embedded in PDF, text kept as text in SVG.
``style="web"`` is the figure ``report.html`` embeds: 190 mm wide with 9 pt type, so
it reads at screen size (written at 125 dpi: the report shows it at 1.3 x 96 px per inch). Both draw with the bundled CJK font
(:mod:`spatialinno.figures.fonts`) and return a
:class:`~spatialinno.figures.page.PrintFigure`.

>>> page = ChartPage.of("print", "single", 300, "zh")
>>> page.width_mm, page.dpi, page.base_pt
(90.0, 300, 7.0)
>>> ChartPage.of("web", "double", 300, "en").dpi
125
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._errors import InputError
from ..styles.charts import CHART_COLORS
from .fonts import check_glyphs, print_rc
from .page import Page, PrintFigure

__all__ = ["CHART_STYLES", "ChartPage", "render_chart"]

CHART_STYLES: tuple[str, ...] = ("print", "web")
_WEB_DPI = 125  # the report shows a figure at 1.3 x 96 px per inch (Report.figure)
_WEB_PT = 9.0


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
        """The page asked for, checked (width, dpi and language by the print figures' rules)."""
        if style not in CHART_STYLES:
            raise InputError(f"style must be 'print' or 'web', not {style!r}")
        page = Page.of(width, dpi, lang, "color")
        if style == "web":
            mm = 190.0 if isinstance(width, str) else page.width_mm
            return cls(style, mm, _WEB_DPI, page.lang, _WEB_PT)
        return cls(style, page.width_mm, page.dpi, page.lang, page.base_pt)

    def rc(self) -> dict[str, Any]:
        """matplotlib settings the chart is drawn and saved with (fonts, sizes, colours)."""
        rc = print_rc(self.base_pt)
        rc.update({
            "axes.edgecolor": CHART_COLORS["text"],
            "text.color": CHART_COLORS["text"],
            "axes.labelcolor": CHART_COLORS["text"],
            "xtick.color": CHART_COLORS["text"],
            "ytick.color": CHART_COLORS["text"],
            "axes.linewidth": 0.6,
            "lines.linewidth": 1.2,
        })  # fmt: skip
        return rc

    def figure(self, height_mm: float) -> PrintFigure:
        """A new figure of the page's width and ``height_mm``, laid out by matplotlib."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = PrintFigure(
            figsize=(self.width_mm / 25.4, height_mm / 25.4),
            dpi=100,  # on screen in a notebook; files at print_dpi
            facecolor="white",
            layout="constrained",
        )
        fig.print_dpi = self.dpi
        fig.print_rc = self.rc()
        FigureCanvasAgg(fig)
        return fig


def render_chart(page: ChartPage, build: Callable[[], PrintFigure]) -> PrintFigure:
    """Build under the page's settings (fonts are fixed when a text is made); check glyphs."""
    import matplotlib

    with matplotlib.rc_context(page.rc()):
        fig = build()
    check_glyphs(fig)
    return fig
