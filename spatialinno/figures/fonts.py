"""The font of the print figures, so Chinese text prints as glyphs on any machine.

spatialinno ships *Spatialinno Sans SC* (``spatialinno/_assets/fonts``), a subset of Noto Sans
CJK SC (SIL OFL 1.1) with all of GB 2312 and every character of the package's text and data
(region names of every layer, data sets, labels, UI words). It is registered with matplotlib's
font manager when the first figure is drawn -- never at ``import spatialinno`` and never
system-wide -- and every figure asks for it by name, followed by matplotlib's own DejaVu Sans
(rare Latin letters and symbols) and any Chinese system font that is installed. matplotlib
(3.6+) draws each character with the first of these fonts that has it.

A character outside the subset (a rare character in a user's title) is drawn with a system font
when one has it; :func:`check_glyphs` warns (:class:`~spatialinno.FontWarning`) naming the
characters, and says when no installed font has them, because they then print as boxes.

>>> FAMILY in families()
True
>>> missing_characters(["北京市", "乌鲁木齐", "Moran's I ≤ 0.05"])
[]
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import Any

from .._errors import FontWarning

__all__ = [
    "FAMILY",
    "FONT_FILE",
    "SYSTEM_CJK",
    "check_glyphs",
    "families",
    "font_path",
    "missing_characters",
    "print_rc",
    "register",
]

FAMILY = "Spatialinno Sans SC"
FONT_FILE = "SpatialinnoSansSC-Regular.ttf"
LATIN_FALLBACK = "DejaVu Sans"  # ships with matplotlib: rare Latin letters, arrows, operators
# Chinese fonts a machine may have, used (in this order) only for characters outside the subset
SYSTEM_CJK: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Noto Sans CJK JP",
    "Arial Unicode MS",
)


def font_path() -> str:
    """Path of the bundled font file (inside the installed package)."""
    return str(files("spatialinno").joinpath("_assets", "fonts", FONT_FILE))


@cache
def register() -> str:
    """Add the bundled font to matplotlib's font manager (once per process); its path."""
    from matplotlib import font_manager

    path = font_path()
    font_manager.fontManager.addfont(path)
    return path


@cache
def families() -> tuple[str, ...]:
    """The font families every figure text asks for, in fallback order."""
    from matplotlib import font_manager

    register()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return (FAMILY, LATIN_FALLBACK, *(f for f in SYSTEM_CJK if f in installed))


@cache
def _charmap(path: str) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(path).get_charmap())


def _bundled_chars() -> frozenset[int]:
    return _charmap(register())


def _fallback_paths() -> list[str]:
    """Files of the fallback families (DejaVu Sans, installed Chinese fonts)."""
    from matplotlib import font_manager

    paths = []
    for family in families()[1:]:
        prop = font_manager.FontProperties(family=family)
        try:
            paths.append(font_manager.findfont(prop, fallback_to_default=False))
        except ValueError:
            continue
    return paths


def missing_characters(texts: Iterable[str]) -> list[str]:
    """The characters of ``texts`` the bundled font lacks (whitespace aside), sorted."""
    have = _bundled_chars()
    chars = {c for t in texts for c in str(t) if not c.isspace() and c.isprintable()}
    return sorted(c for c in chars if ord(c) not in have)


def check_glyphs(fig: Any) -> list[str]:
    """Warn when a text of ``fig`` has characters outside the bundled font; returns them.

    Such characters are drawn with the first fallback font that has them (DejaVu Sans or a
    Chinese system font); the warning names them and says which no installed font has.
    """
    from matplotlib.text import Text

    texts = [t.get_text() for t in fig.findobj(Text)]
    missing = missing_characters(texts)
    if not missing:
        return []
    elsewhere = [_charmap(p) for p in _fallback_paths()]
    boxes = [c for c in missing if not any(ord(c) in m for m in elsewhere)]
    listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:12])
    more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
    what = (
        f"no installed font has {', '.join(map(repr, boxes))}: they print as boxes; install a "
        "Chinese font (e.g. fonts-noto-cjk) or change the text"
        if boxes
        else "they are drawn with a system font"
    )
    warnings.warn(
        f"the figure has {len(missing)} character(s) outside spatialinno's bundled font: "
        f"{listed}{more}; {what}",
        FontWarning,
        stacklevel=3,
    )
    return missing


def print_rc(base_pt: float) -> dict[str, Any]:
    """matplotlib settings of a print figure: fonts, sizes (pt), text kept as text in SVG/PDF.

    ``pdf.fonttype`` / ``ps.fonttype`` 42 embed the fonts as TrueType (subset); ``svg.fonttype``
    ``"none"`` writes text as text (the fonts are named, so the SVG needs them where it is
    opened); ``svg.hashsalt`` makes SVG ids reproducible.
    """
    small = round(base_pt * 0.85, 2)
    return {
        "font.family": list(families()),
        "font.size": base_pt,
        "axes.titlesize": base_pt + 1,
        "axes.labelsize": base_pt,
        "xtick.labelsize": small,
        "ytick.labelsize": small,
        "legend.fontsize": small,
        "legend.title_fontsize": base_pt,
        "axes.linewidth": 0.5,
        "xtick.major.width": 0.5,
        "ytick.major.width": 0.5,
        "lines.linewidth": 1.0,
        "hatch.linewidth": 0.4,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "none",
        "svg.hashsalt": "spatialinno",
        "axes.unicode_minus": True,
    }
