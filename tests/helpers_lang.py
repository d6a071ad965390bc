"""Find English left in text the command line printed in Chinese.

:func:`english_words` removes what is allowed to stay Latin in a Chinese message -- the user's
data (paths, file and column names, cell values, given as ``data``), option names (``--lang``),
option values and file formats a user types (``knn:6``, ``gpkg``), method names and programs
(LISA, Moran, Excel) -- and returns the Latin words left. A Chinese message has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# words a Chinese message may hold: what a user types (option values, formats, encodings), the
# names of methods, programs and file formats, and the program itself
ALLOWED = frozenset(
    [
        "spatialinno",
        "auto",
        "queen",
        "rook",
        "knn",
        "distance",
        "KM",
        "none",
        "fdr",
        "bonferroni",
        "raise",
        "warn",
        "drop",
        "gpkg",
        "shp",
        "png",
        "pdf",
        "svg",
        "tif",
        "tiff",
        "csv",
        "tsv",
        "xlsx",
        "xlsm",
        "xls",
        "CSV",
        "UTF",
        "GBK",
        "GB",
        "big",
        "Excel",
        "WPS",
        "HTML",
        "XML",
        "zip",
        "OLE",
        "LISA",
        "Moran",
        "Gini",
        "sqrt",
        "year",
        "report",
        "html",
        "dagum",
        "kde",
        "convergence",
        "lisa",
        "hotspots",
        "province",
        "prefecture",
        "county",
        "zh",
        "en",
        "rd",
        "staff",
        "demo",
        "analyze",
        "layers",
    ]
)
_OPTION = re.compile(r"--[a-z][a-z-]*")
_WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str, data: Iterable[str] = ()) -> list[str]:
    """The Latin words of ``text`` once ``data`` (items of two characters or more), option names
    and :data:`ALLOWED` are removed."""
    for item in sorted((str(d) for d in data if len(str(d)) > 1), key=len, reverse=True):
        text = text.replace(item, " ")
    text = _OPTION.sub(" ", text)
    return [w for w in _WORD.findall(text) if w not in ALLOWED]
