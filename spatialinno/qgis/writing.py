"""What the GeoPackage and Shapefile writers share: the GDAL write and its checks, the QGIS style
documents of a layer, and :class:`ExportResult`, what an export wrote.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import styles as _styles
from .._errors import ExportError, ExportWarning
from ..measures import results
from .frame import crs_text
from .qml import style_documents

__all__ = [
    "ExportResult",
    "check_written_fields",
    "export_result",
    "free_name",
    "layer_style",
    "style_title",
    "write_layer",
]

Style = _styles.CategorizedStyle | _styles.GraduatedStyle


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export` wrote.

    Attributes
    ----------
    path : pathlib.Path
        The ``.gpkg`` or ``.shp`` file.
    layer : str
        Layer name (the file stem for a Shapefile).
    driver : str
        OGR driver: ``"GPKG"`` or ``"ESRI Shapefile"``.
    n_features : int
        Number of features written (one per row of the frame).
    crs : str
        CRS of the layer, e.g. ``"EPSG:4490"``.
    fields : tuple of (str, str)
        ``(column, field)`` pairs: the frame's column and its name in the file (differs only for
        Shapefiles, where names are shortened to 10 bytes).
    style : str or None
        Where the QGIS style went: ``"layer_styles"`` (GeoPackage) or the ``.qml`` path.
    files : tuple of pathlib.Path
        Every file written or updated.
    """

    path: Path
    layer: str
    driver: str
    n_features: int
    crs: str
    fields: tuple[tuple[str, str], ...]
    style: str | None
    files: tuple[Path, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per exported column: ``column``, ``field`` (name in the file), ``renamed``."""
        return pd.DataFrame(
            {
                "column": [c for c, _ in self.fields],
                "field": [f for _, f in self.fields],
                "renamed": [c != f for c, f in self.fields],
            }
        )

    def __repr__(self) -> str:
        renamed = sum(c != f for c, f in self.fields)
        style = f", style={self.style}" if self.style else ""
        return (
            f"ExportResult({self.driver} {str(self.path)!r}, layer={self.layer!r}, "
            f"{self.n_features} features, {len(self.fields)} fields ({renamed} renamed), "
            f"crs={self.crs}{style})"
        )


def export_result(
    frame: pd.DataFrame,
    path: Path,
    layer: str,
    driver: str,
    fields: Iterable[tuple[str, str]],
    style: str | None,
    files: Iterable[Path],
) -> ExportResult:
    """The :class:`ExportResult` of ``frame`` written to ``path`` (features and CRS from the frame)."""
    return ExportResult(
        path=path,
        layer=layer,
        driver=driver,
        n_features=len(frame),
        crs=crs_text(frame),
        fields=tuple(fields),
        style=style,
        files=tuple(files),
    )


def write_layer(
    frame: pd.DataFrame,
    path: Path,
    layer: str,
    driver: str,
    promote: bool,
    **kwargs: object,
) -> None:
    """Write ``frame`` with pyogrio; GDAL's laundering or truncating a value is an ExportError."""
    import pyogrio

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            pyogrio.write_dataframe(
                frame,
                path,
                layer=layer,
                driver=driver,
                promote_to_multi=True if promote else None,
                **kwargs,
            )
        except Exception as exc:
            raise ExportError(f"writing layer {layer!r} to {str(path)!r} failed: {exc}") from exc
    for w in caught:
        # GDAL's own warnings (renamed fields, truncated values) would mean data changed without
        # the checks above noticing; surface them instead of letting them scroll by.
        if "laundered" in str(w.message) or "truncated" in str(w.message):
            raise ExportError(
                f"GDAL changed the data while writing {str(path)!r}: {w.message}; please report "
                "this with the column names"
            )
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def check_written_fields(path: Path, layer: str, expected: Sequence[str]) -> None:
    """Read the layer's fields back: they must be ``expected``, in that order."""
    import pyogrio

    written = [str(f) for f in pyogrio.read_info(path, layer=layer)["fields"]]
    if written != list(expected):
        raise ExportError(
            f"the fields written to {str(path)!r} ({written}) differ from the expected "
            f"{list(expected)}; the file was not written as intended"
        )


def free_name(preferred: str, taken: Iterable[object]) -> str:
    """``preferred``, or ``preferred_1``, ``_2`` ... whichever no name in ``taken`` is (any case)."""
    lowered = {str(t).lower() for t in taken}
    name, k = preferred, 1
    while name.lower() in lowered:
        name = f"{preferred}_{k}"
        k += 1
    return name


def layer_style(
    style: Style,
    frame: pd.DataFrame,
    kind: str,
    *,
    layer: str,
    lang: str,
    names: dict[str, str] | None = None,
) -> tuple[str, str]:
    """``(qml, sld)`` of ``style`` for the layer written from ``frame``.

    Every style gets the grey "no data" class, so every unit is drawn (issue 15): a categorised
    style the catch-all (values without a category get a warning naming them), a Gi* style also
    the no-data conditions of :mod:`spatialinno.measures.results`, a graduated style a class for
    units without a value. ``names`` maps columns to the field names in the file
    (Shapefile); the documents then refer to those.
    """
    _needs_other(style, frame[style.column])  # warns about values without a category
    no_data = _no_data_when(style, frame)
    column = None
    if names is not None:
        no_data = [(names[c], v) for c, v in no_data]
        column = names[style.column]
    return style_documents(
        style,
        kind,
        column=column,
        layer=layer,
        lang=lang,
        other=True,
        no_data_when=no_data,
        no_data=True,
    )


def _needs_other(style: Style, values: pd.Series) -> bool:
    """True when some values (or NULLs) have no category: they get the "no data" catch-all."""
    if not isinstance(style, _styles.CategorizedStyle):
        return False
    known = {_key(c.value) for c in style.categories}
    present = {_key(v) for v in values.dropna().unique()}
    unknown = present - known
    if unknown:
        listed = ", ".join(sorted(map(repr, unknown))[:10])
        warnings.warn(
            f"column {style.column!r} has value(s) {listed} that the style has no category for; "
            "QGIS draws them as 'no data' (grey), like the maps",
            ExportWarning,
            stacklevel=5,  # _needs_other < layer_style < writer < export < caller
        )
    return bool(unknown) or bool(values.isna().any())


def _no_data_when(style: Style, frame: pd.DataFrame) -> list[tuple[str, object]]:
    """Conditions under which a Gi* row is no data although its bin is set (as in the maps).

    The rule is :func:`spatialinno.measures.results.gi_no_data_conditions`; it applies to a
    categorised style with the Gi* categories, whatever the column is called.
    """
    if not isinstance(style, _styles.CategorizedStyle):
        return []
    if {_key(c.value) for c in style.categories} != {
        _key(c.value) for c in _styles.HOTSPOTS.categories
    }:
        return []
    return results.gi_no_data_conditions(frame, style.column)


def _key(v: object) -> object:
    # gi_bin may be float (because of NaN): 3.0 and 3 are the same category
    if isinstance(v, (float, np.floating)) and math.isfinite(v) and float(v).is_integer():
        return int(v)
    if isinstance(v, np.integer):
        return int(v)
    return v


def style_title(style: Style) -> str:
    """The style's title for ``layer_styles.description`` (both languages when it has them)."""
    zh, en = getattr(style, "title_zh", ""), getattr(style, "title_en", "")
    if zh or en:
        return " / ".join(t for t in (zh, en) if t)
    return f"{type(style).__name__} on {style.column}"
