"""What a run writes and how: the fixed file names, the output-folder check, one styled layer,
``summary.csv`` (one number per row) and the data notes collected while the run works.

The fixed names are also what ``--overwrite`` replaces (:func:`earlier_outputs`): an earlier
run's files, never other files a user keeps in the folder.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import InputError
from .._escape import write_csv
from .._notes import Note

__all__ = [
    "GPKG_FILE",
    "MAP_PATTERNS",
    "REPORT_FILE",
    "SHP_DIR",
    "SUMMARY_COLUMNS",
    "SUMMARY_FILE",
    "DataNotes",
    "SummaryTable",
    "check_out",
    "earlier_outputs",
    "export_layer",
    "one_project_write",
    "slug",
]

REPORT_FILE = "report.html"
GPKG_FILE = "results.gpkg"
SUMMARY_FILE = "summary.csv"
SHP_DIR = "shp"
#: the offline maps a run writes (``map_<column>.html`` ...), one HTML file each, and the
#: figures of the regional-differences sections (``diff_<method>_<column>.png``)
MAP_PATTERNS: tuple[str, ...] = (
    "map_*.html", "lisa_*.html", "hotspots_*.html", "study_*.html", "diff_*.png",
    "emerging_*.html", "gravity_*.html", "network_*.html",  # space-time (--time), networks
)  # fmt: skip
SUMMARY_COLUMNS: tuple[str, ...] = ("section", "indicator", "measure", "group", "name", "value")


def check_out(out: str | Path, overwrite: bool) -> Path:
    """Refuse ``out`` when it is a file or a folder holding files (unless ``overwrite``).

    Checked before any work. The run writes into a staging folder beside ``out``
    (:class:`~spatialinno.workflow.staging.Staging`) that becomes ``out`` only when every output is
    complete, so a failed or interrupted run leaves no folder and no partial result behind,
    and an earlier result is replaced only by a complete new one.
    """
    path = Path(out)
    if path.exists() and not path.is_dir():
        text = f"--out {path} is a file, not a folder; choose a folder name"
        raise InputError(Note("out_is_file", text, out=str(path)))
    if path.is_dir():
        existing = sorted(p.name for p in path.iterdir())
        if existing and not overwrite:
            shown = ", ".join(existing[:5]) + (
                f" and {len(existing) - 5} more" if len(existing) > 5 else ""
            )
            text = (
                f"output folder {path} already holds {len(existing)} file(s) ({shown}); "
                "pass --overwrite to replace the files spatialinno writes, or choose another --out"
            )
            raise InputError(
                Note("out_not_empty", text, out=str(path), n=len(existing), files=tuple(existing))
            )
    else:
        # the folder will be created beside its nearest existing ancestor: that must be a folder
        above = path.absolute().parent
        while not above.exists() and above != above.parent:
            above = above.parent
        if not above.is_dir():
            text = (
                f"--out {path} cannot be created: {above} is a file, not a folder; choose "
                "another --out"
            )
            raise InputError(Note("out_below_file", text, out=str(path), above=str(above)))
    return path


def earlier_outputs(out: Path) -> list[Path]:
    """The files an earlier run wrote into ``out`` (what --overwrite replaces; nothing else)."""
    found = [out / name for name in (REPORT_FILE, GPKG_FILE, SUMMARY_FILE)]
    for pattern in MAP_PATTERNS:
        found += sorted(out.glob(pattern))
    for folder in (SHP_DIR, "figures"):  # "figures": figures.run.FIGURES_DIR (--figures)
        if (out / folder).is_dir():
            found += sorted(p for p in (out / folder).iterdir() if p.is_file())
    return [p for p in found if p.is_file()]


def slug(text: str, taken: set[str], fallback: str) -> str:
    """ASCII file/layer name for a column, unique (case-insensitively) within ``taken``.

    A name with other than ASCII letters gets ``fallback`` (its position) in front, so that
    columns whose Chinese characters are dropped stay distinct.

    >>> taken = set()
    >>> slug("popu_2020", taken, "col1"), slug("R&D人员", taken, "col2"), slug("城镇人口", taken, "col3")
    ('popu_2020', 'col2_R_D', 'col3')
    """
    ascii_part = re.sub(r"[^A-Za-z0-9]+", "_", str(text)).strip("_")
    base = (
        ascii_part
        if ascii_part and ascii_part.isascii() and str(text).isascii()
        else (f"{fallback}_{ascii_part}" if ascii_part else fallback)
    )
    name, i = base, 2
    while name.lower() in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name.lower())
    return name


_PROJECTS: ContextVar[dict[Path, str] | None] = ContextVar("spatialinno_projects", default=None)


@contextmanager
def one_project_write() -> Iterator[None]:
    """Inside the block, results.gpkg's QGIS project is written once, when the block ends.

    The project lists every layer of the file whenever it is written, so writing it after the
    last layer gives the same project as after each (15 rewrites were 0.4 s of a county run).
    Not written when the block raises (the run's outputs are discarded then).
    """
    from ..qgis.project import write_project

    pending: dict[Path, str] = {}
    token = _PROJECTS.set(pending)
    try:
        yield
    finally:
        _PROJECTS.reset(token)
    for gpkg, title in pending.items():
        write_project(gpkg, title)


def export_layer(
    frame: Any,
    out: Path,
    layer: str,
    style: Any,
    formats: Sequence[str],
    lang: str = "both",
    title: str | None = None,
) -> list[str]:
    """Write ``frame`` as a styled layer of results.gpkg (and a Shapefile if "shp" in ``formats``).

    In results.gpkg the layers of a run share their geometry (one outline per unit, each layer a
    styled view, :func:`spatialinno.qgis.shared.export_shared`), and the first layer brings the
    styled national border lines (境界线, incl. the South China Sea line) with it, so a map made
    in QGIS from the file is complete. Returns the Shapefile parts written (relative to
    ``out``); results.gpkg is listed once by the caller. Layers are replaced: ``out`` is the
    run's own staging folder. ``lang``: the legend labels (the run's language, or "both");
    ``title``: the layer's human title in that language (label and unit), which QGIS shows as
    the layer's title (:func:`~spatialinno.qgis.shared.export_shared`); the layer keeps its
    ASCII name ``layer``. A Shapefile gets the same title in its ``.qmd`` metadata, and
    ``shp/spatialinno.qgs``, the QGIS project of the Shapefiles, lists it under that title.
    """
    from ..qgis.export import export
    from ..qgis.project import SHAPEFILE_PROJECT, write_project, write_shapefile_project
    from ..qgis.shared import BORDER_LINES_LAYER, export_border_lines, export_shared

    gpkg = out / GPKG_FILE
    new = not gpkg.exists()
    export_shared(frame, gpkg, layer, style, lang=lang, title=title)
    if new and layer != BORDER_LINES_LAYER:
        export_border_lines(gpkg, lang=lang)
    # the file's QGIS project: every layer so far under its title, in the Layers panel
    project_title = "spatialinno 结果" if lang == "zh" else "spatialinno results"
    pending = _PROJECTS.get()
    if pending is None:
        write_project(gpkg, project_title)
    else:
        pending[gpkg] = project_title
    written: list[str] = []
    if "shp" in formats:
        shp = out / SHP_DIR / f"{layer}.shp"
        res = export(frame, shp, style=style, overwrite=True, lang=lang, title=title)
        written += [str(Path(p).relative_to(out)) for p in res.files]
        new = not (shp.parent / SHAPEFILE_PROJECT).exists()  # listed once, when first written
        project = write_shapefile_project(shp.parent, project_title)
        written += [str(project.relative_to(out))] if new else []
    return written


class SummaryTable:
    """The numbers of a run, one per row, as ``summary.csv`` holds them.

    >>> s = SummaryTable()
    >>> s.add("analyze", "popu_2020", "gini", 0.42)
    >>> s.add("analyze", "popu_2020", "lisa_count", 12, "HH")
    >>> s.frame().values.tolist()
    [['analyze', 'popu_2020', 'gini', '', '', 0.42], ['analyze', 'popu_2020', 'lisa_count', 'HH', '', 12.0]]
    """

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        section: str,
        indicator: str,
        measure: str,
        value: Any,
        group: Any = "",
        name: Any = "",
    ) -> None:
        """One number (missing: NaN) with what it is about."""
        v = value
        if v is None or v is pd.NA:
            v = np.nan
        self.rows.append(
            {
                "section": section,
                "indicator": indicator,
                "measure": measure,
                "group": "" if group is None or group is pd.NA else str(group),
                "name": "" if name is None or name is pd.NA else str(name),
                "value": float(v),
            }
        )

    def frame(self) -> pd.DataFrame:
        """Every number so far, in the order added."""
        return pd.DataFrame(self.rows, columns=list(SUMMARY_COLUMNS))

    def write(self, folder: Path) -> pd.DataFrame:
        """Write ``summary.csv`` into ``folder`` (text cells safe to open in Excel); the frame."""
        frame = self.frame()
        write_csv(frame, folder / SUMMARY_FILE)
        return frame


_YEAR_PREFIX = re.compile(r"^year (\d{4}): ")


class DataNotes:
    """Records the warnings of a run (a context manager); ``messages`` are the report's data notes.

    Warnings are collected, never lost and never a traceback. ``moran_by_year`` repeats the same
    note for every year ("year 2010: ..."): those fold into one line listing the years, so 28
    identical notes do not bury the others.

    >>> with DataNotes() as notes:
    ...     for y in (2010, 2011):
    ...         warnings.warn(f"year {y}: 3 units have no data")
    >>> notes.messages
    ['years 2010–2011 (2): 3 units have no data']
    """

    def __init__(self) -> None:
        self._records: list[warnings.WarningMessage] = []
        self._cm = warnings.catch_warnings(record=True)

    def __enter__(self) -> DataNotes:
        self._records = self._cm.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc: object) -> None:
        self._cm.__exit__(*exc)

    @property
    def records(self) -> list[object]:
        """The warnings' messages as raised (notes keep their key and values for the report)."""
        return [
            r.message.args[0] if r.message.args else str(r.message)
            for r in self._records
            if not issubclass(r.category, (DeprecationWarning, PendingDeprecationWarning))
        ]

    @property
    def messages(self) -> list[str]:
        """The data notes so far (readable inside the block, so the report can list them)."""
        by_text: dict[str, list[str]] = {}
        for r in self._records:
            if issubclass(r.category, (DeprecationWarning, PendingDeprecationWarning)):
                continue  # library internals, not about the user's data
            msg = str(r.message).strip()
            m = _YEAR_PREFIX.match(msg)
            year, rest = (m.group(1), msg[m.end() :]) if m else ("", msg)
            years = by_text.setdefault(rest, [])
            if year and year not in years:
                years.append(year)
        out = []
        for rest, years in by_text.items():
            if not years:
                out.append(rest)
            elif len(years) == 1:
                out.append(f"year {years[0]}: {rest}")
            else:
                out.append(f"years {years[0]}–{years[-1]} ({len(years)}): {rest}")
        return out
