"""The columns that :func:`~spatialinno.lisa` and :func:`~spatialinno.hotspots` write, and the
one rule that says which of their rows are clusters, not significant, isolated or without data.

Maps, the QGIS export, the report and the CLI read local results through this module instead of
repeating column names or re-deriving the rule, so a change here changes every output at once.

The rule for Gi* rows: :func:`~spatialinno.hotspots` keeps every unit and gives units it could
not test ``gi_bin`` 0 with no z-score; a bin without a z-score is therefore not "not
significant" but *no data* (``gi_cluster`` says "no data" or "isolated"). LISA rows carry their
label in ``lisa_cluster``; a missing label is no data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "GI",
    "GI_BINS",
    "GI_LABELS",
    "GI_LEVELS",
    "ISOLATED",
    "LISA",
    "LISA_LABELS",
    "NOT_SIGNIFICANT",
    "NO_DATA",
    "QUADRANT_LABELS",
    "LocalColumns",
    "gi_classes",
    "gi_no_data_conditions",
    "lisa_classes",
]

NO_DATA = "no data"
ISOLATED = "isolated"
NOT_SIGNIFICANT = "ns"

LISA_LABELS: tuple[str, ...] = ("HH", "LL", "HL", "LH", NOT_SIGNIFICANT, ISOLATED, NO_DATA)
# Moran scatterplot quadrants, counter-clockwise from the upper right (esda geoda_quads=False):
# 1 = high value / high lag, 2 = low / high, 3 = low / low, 4 = high / low
QUADRANT_LABELS: dict[int, str] = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}

GI_LABELS: tuple[str, ...] = ("hot", "cold", NOT_SIGNIFICANT, ISOLATED, NO_DATA)
GI_BINS: tuple[int, ...] = (3, 2, 1, 0, -1, -2, -3)
# confidence levels of the Gi* bins as ArcGIS Pro reports them: |bin| 3, 2, 1 = 99, 95, 90 %
GI_LEVELS: tuple[tuple[int, float], ...] = ((3, 0.01), (2, 0.05), (1, 0.10))


@dataclass(frozen=True)
class LocalColumns:
    """Names of the columns a local statistic adds to the frame.

    Attributes
    ----------
    statistic : str
        The local statistic (``lisa_I``; ``gi_z`` for Gi*, whose z is the statistic reported).
    p : str
        The p-value that drives the labels.
    label : str
        The text label of each row (cluster, hot/cold, ns, isolated, no data).
    klass : str
        The column a map or style classifies on (``lisa_cluster``; ``gi_bin`` for Gi*).
    extra : tuple of str
        Other columns the statistic may add (``lisa_q``; ``gi_p_sim``).
    """

    statistic: str
    p: str
    label: str
    klass: str
    extra: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        """Every column name, in the order the statistic writes them."""
        names = (self.statistic, self.p, self.klass, self.label, *self.extra)
        return tuple(dict.fromkeys(names))


LISA = LocalColumns(statistic="lisa_I", p="lisa_p", label="lisa_cluster", klass="lisa_cluster",
                    extra=("lisa_q",))  # fmt: skip
GI = LocalColumns(statistic="gi_z", p="gi_p", label="gi_cluster", klass="gi_bin",
                  extra=("gi_p_sim",))  # fmt: skip


def lisa_classes(frame: pd.DataFrame, column: str = LISA.label) -> pd.Series:
    """The LISA label of every row, a missing label read as ``"no data"``.

    >>> lisa_classes(pd.DataFrame({"lisa_cluster": ["HH", None, "ns"]})).tolist()
    ['HH', 'no data', 'ns']
    """
    raw = frame[column].astype(object)
    return pd.Series([NO_DATA if pd.isna(v) else v for v in raw], index=frame.index, dtype=object)


def _gi_missing(frame: pd.DataFrame, bins: pd.Series) -> np.ndarray:
    missing = bins.isna().to_numpy().copy()
    if GI.statistic in frame.columns:
        missing |= pd.to_numeric(frame[GI.statistic], errors="coerce").isna().to_numpy()
    if GI.label in frame.columns:
        missing |= (frame[GI.label].astype(object) == NO_DATA).to_numpy()
    return missing


def gi_classes(frame: pd.DataFrame, column: str = GI.klass) -> pd.Series:
    """The Gi* class of every row: its bin (int -3..3), or ``"no data"``.

    A row is no data when its bin is missing, its z-score is missing (units :func:`hotspots`
    could not test get bin 0 and no z) or its ``gi_cluster`` says "no data". Bins are returned as
    given (checking that they are -3..3 is the caller's business).

    >>> f = pd.DataFrame({"gi_bin": [3, 0, 0], "gi_z": [3.1, 0.2, None]})
    >>> gi_classes(f).tolist()
    [3, 0, 'no data']
    """
    bins = pd.to_numeric(frame[column], errors="coerce")
    missing = _gi_missing(frame, bins)
    values = [NO_DATA if m else int(v) for m, v in zip(missing, bins, strict=True)]
    return pd.Series(values, index=frame.index, dtype=object)


def gi_no_data_conditions(frame: pd.DataFrame, column: str = GI.klass) -> list[tuple[str, object]]:
    """The conditions of :func:`gi_classes` that turn some row with a bin into no data.

    As ``(column, value)`` pairs for a QGIS expression (``value`` None means NULL). Only the
    conditions that change some row are returned, so a layer without such rows keeps a plain
    field renderer that users can edit as usual.

    >>> f = pd.DataFrame({"gi_bin": [3, 0], "gi_z": [3.1, None], "gi_cluster": ["hot", "no data"]})
    >>> gi_no_data_conditions(f)
    [('gi_z', None), ('gi_cluster', 'no data')]
    """
    has_bin = frame[column].notna()
    out: list[tuple[str, object]] = []
    if GI.statistic in frame.columns:
        z_missing = pd.to_numeric(frame[GI.statistic], errors="coerce").isna()
        if (z_missing & has_bin).any():
            out.append((GI.statistic, None))
    if GI.label in frame.columns:
        no_data = frame[GI.label].astype(object).eq(NO_DATA)
        if (no_data & has_bin).any():
            out.append((GI.label, NO_DATA))
    return out
