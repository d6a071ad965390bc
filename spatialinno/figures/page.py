"""The page of a print figure: size (journal column widths in mm), resolution, fonts, saving.

Every figure is a :class:`PrintFigure`, a :class:`matplotlib.figure.Figure` whose ``savefig``
writes print-ready files whatever the user's matplotlib settings: fonts embedded in PDF as
TrueType subsets (``pdf.fonttype`` 42), text kept as text in SVG (``svg.fonttype`` "none"), the
figure's print resolution (300 or 600 dpi) by default, TIFF compressed with LZW, no timestamps
(the same figure gives the same PDF and SVG). Figures are made without pyplot, so nothing is
kept in pyplot's figure registry and no GUI backend is needed.

>>> page = Page.of("single", 300, "zh", "color")
>>> page.width_mm, page.dpi, page.base_pt
(90.0, 300, 7.0)
>>> round(page.inches(90.0), 3)
3.543
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from .._errors import InputError
from ..styles import check_lang
from ..styles.printing import COLUMN_WIDTH_MM, FIGURE_STYLES
from .fonts import print_rc

__all__ = ["FORMATS", "MM_PER_INCH", "Page", "PrintFigure", "save_figure"]

MM_PER_INCH = 25.4
FORMATS: tuple[str, ...] = ("png", "tif", "tiff", "pdf", "svg")
_WIDTH_RANGE_MM = (40.0, 500.0)
_DPI_RANGE = (72, 1200)
_DISPLAY_DPI = 100  # what a notebook shows; files are written at the page's dpi


@dataclass(frozen=True)
class Page:
    """Width (mm), resolution (dpi), language, colour style and base font size (pt) of a figure."""

    width_mm: float
    dpi: int
    lang: str
    grey: bool
    base_pt: float

    @classmethod
    def of(cls, width: str | float, dpi: int, lang: str, style: str) -> Page:
        """The page asked for, checked: ``width`` "single" | "double" | mm, ``dpi``, ``style``."""
        lang = check_lang(lang)
        if isinstance(width, str):
            if width not in COLUMN_WIDTH_MM:
                raise InputError(
                    f"width must be 'single' ({COLUMN_WIDTH_MM['single']:g} mm), 'double' "
                    f"({COLUMN_WIDTH_MM['double']:g} mm) or a width in mm, not {width!r}"
                )
            mm = COLUMN_WIDTH_MM[width]
        elif isinstance(width, int | float) and not isinstance(width, bool):
            mm = float(width)
            lo, hi = _WIDTH_RANGE_MM
            if not lo <= mm <= hi:
                raise InputError(f"width {width!r} mm is outside {lo:g}-{hi:g} mm")
        else:
            raise InputError(f"width must be 'single', 'double' or a number of mm, not {width!r}")
        if (
            isinstance(dpi, bool)
            or not isinstance(dpi, int)
            or not (_DPI_RANGE[0] <= dpi <= _DPI_RANGE[1])
        ):
            raise InputError(
                f"dpi must be a whole number from 72 to 1200 (300 or 600), not {dpi!r}"
            )
        if style not in FIGURE_STYLES:
            raise InputError(f"style must be one of {', '.join(FIGURE_STYLES)}, not {style!r}")
        # 7 pt in a single column, 8 pt from 1.5 columns up: journals ask for 6-8 pt at print size
        base = 7.0 if mm < 140 else 8.0
        return cls(mm, dpi, lang, style == "grey", base)

    @staticmethod
    def inches(mm: float) -> float:
        return mm / MM_PER_INCH

    def rc(self) -> dict[str, Any]:
        """The matplotlib settings the figure is built and saved with."""
        return print_rc(self.base_pt)

    def figure(self, height_mm: float) -> PrintFigure:
        """A new :class:`PrintFigure` of the page's width and ``height_mm``."""
        fig = PrintFigure(
            figsize=(self.inches(self.width_mm), self.inches(height_mm)),
            dpi=_DISPLAY_DPI,
            facecolor="white",
        )
        fig.print_dpi = self.dpi
        fig.print_rc = self.rc()
        return fig


def _format_of(fname: Any, kwargs: dict[str, Any]) -> str:
    if kwargs.get("format"):
        return str(kwargs["format"]).lower()
    if isinstance(fname, str | os.PathLike):
        return Path(fname).suffix.lstrip(".").lower()
    return "png"


class PrintFigure(Figure):
    """A Figure that saves print-ready files (see the module docstring); otherwise a Figure.

    ``print_dpi`` is the default resolution of :meth:`savefig`; ``print_rc`` the matplotlib
    settings applied while saving (embedded TrueType fonts in PDF, text as text in SVG).
    """

    print_dpi: int = 300
    print_rc: dict[str, Any] | None = None

    def savefig(self, fname: Any, *args: Any, **kwargs: Any) -> None:
        """:meth:`matplotlib.figure.Figure.savefig` with the print defaults of the figure."""
        import matplotlib

        fmt = _format_of(fname, kwargs)
        kwargs.setdefault("dpi", self.print_dpi)
        kwargs.setdefault("facecolor", "white")
        if fmt in ("tif", "tiff"):
            kwargs.setdefault("pil_kwargs", {"compression": "tiff_lzw"})
        elif fmt == "pdf":
            kwargs.setdefault("metadata", {"CreationDate": None, "Creator": "spatialinno"})
        elif fmt == "svg":
            kwargs.setdefault("metadata", {"Date": None, "Creator": "spatialinno"})
        with matplotlib.rc_context(self.print_rc or {}):
            super().savefig(fname, *args, **kwargs)


def save_figure(
    fig: Figure,
    path: str | os.PathLike[str],
    formats: Sequence[str] | str = ("png",),
    dpi: int | None = None,
) -> list[Path]:
    """Write ``fig`` once per format: ``path`` with each suffix; the paths written.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A spatialinno figure (or any Figure).
    path : str or path
        File name without suffix, or with one (replaced by each format's).
    formats : sequence of {"png", "tif", "tiff", "pdf", "svg"} or a comma-separated str
    dpi : int, optional
        Resolution of PNG and TIFF (default: the figure's print dpi, 300 or 600).

    Examples
    --------
    >>> import tempfile, spatialinno as si
    >>> fig = si.plot_capital_shares(si.load_dataset("zhao2025_table2"), year=2021)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in save_figure(fig, f"{d}/capital", "png,svg")]
    ['capital.png', 'capital.svg']
    """
    wanted = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = [f.strip().lower().lstrip(".") for f in wanted if f.strip()]
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise InputError(
            f"figure formats must be among {', '.join(FORMATS)}, not {', '.join(bad) or 'none'}"
        )
    base = Path(path)
    if base.suffix.lower().lstrip(".") in FORMATS:
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in dict.fromkeys(wanted):
        target = base.with_name(f"{base.name}.{fmt}")
        kwargs: dict[str, Any] = {}
        if dpi is not None:
            kwargs["dpi"] = dpi
        fig.savefig(target, **kwargs)
        written.append(target)
    return written
