"""What the spatial statistics return: the result objects of the global ones (:class:`Moran`,
:class:`Geary`, :class:`BivariateMoran`), the columns that :func:`~spatialinno.lisa` and
:func:`~spatialinno.hotspots` write, and the one rule that says which of their rows are
clusters, not significant, isolated or without data.

Maps, the QGIS export, the report and the CLI read local results through this module instead of
repeating column names or re-deriving the rule, so a change here changes every output at once.

The rule for Gi* rows (:func:`gi_classes`): :func:`~spatialinno.hotspots` keeps every unit and
gives units it could not test ``gi_bin`` 0 with no z-score, so a bin without a z-score is not
"not significant". A row whose ``gi_cluster`` is "isolated" (a unit without neighbours) is
*isolated*; any other row without a bin, without a z-score or whose ``gi_cluster`` is "no data"
is *no data*; every other row is its bin. LISA rows carry their label in ``lisa_cluster``
("isolated" among them); a missing label is no data. Maps, legends and QGIS styles show
isolated units and units without data as two classes of their own, both apart from "not
significant".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "COLD",
    "GI",
    "GI_BINS",
    "GI_LABELS",
    "GI_LEVELS",
    "GI_P_SIM",
    "HOT",
    "ISOLATED",
    "LISA",
    "LISA_LABELS",
    "LISA_QUADRANT",
    "NOT_SIGNIFICANT",
    "NO_DATA",
    "QUADRANT_LABELS",
    "BivariateMoran",
    "Geary",
    "LocalColumns",
    "Moran",
    "gi_classes",
    "gi_isolated_conditions",
    "gi_no_data_conditions",
    "lisa_classes",
]

NO_DATA = "no data"
ISOLATED = "isolated"
NOT_SIGNIFICANT = "ns"
HOT = "hot"
COLD = "cold"

LISA_LABELS: tuple[str, ...] = ("HH", "LL", "HL", "LH", NOT_SIGNIFICANT, ISOLATED, NO_DATA)
# Moran scatterplot quadrants, counter-clockwise from the upper right (esda geoda_quads=False):
# 1 = high value / high lag, 2 = low / high, 3 = low / low, 4 = high / low
QUADRANT_LABELS: dict[int, str] = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}

GI_LABELS: tuple[str, ...] = (HOT, COLD, NOT_SIGNIFICANT, ISOLATED, NO_DATA)
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


#: the Moran scatterplot quadrant of each LISA row (1 HH, 2 LH, 3 LL, 4 HL)
LISA_QUADRANT = "lisa_q"
#: the two-sided pseudo p-value of each Gi* row, when permutations ran
GI_P_SIM = "gi_p_sim"
LISA = LocalColumns(statistic="lisa_I", p="lisa_p", label="lisa_cluster", klass="lisa_cluster",
                    extra=(LISA_QUADRANT,))  # fmt: skip
GI = LocalColumns(statistic="gi_z", p="gi_p", label="gi_cluster", klass="gi_bin",
                  extra=(GI_P_SIM,))  # fmt: skip


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
    """The Gi* class of every row: its bin (int -3..3), ``"isolated"`` or ``"no data"``.

    A row is isolated when its ``gi_cluster`` says "isolated" (a unit without neighbours:
    :func:`hotspots` gives it bin 0 and no z-score). Any other row is no data when its bin is
    missing, its z-score is missing (units :func:`hotspots` could not test) or its
    ``gi_cluster`` says "no data". Bins are returned as given (checking that they are -3..3 is
    the caller's business).

    >>> f = pd.DataFrame({"gi_bin": [3, 0, 0, 0], "gi_z": [3.1, 0.2, None, None],
    ...                   "gi_cluster": ["hot", "ns", "no data", "isolated"]})
    >>> gi_classes(f).tolist()
    [3, 0, 'no data', 'isolated']
    """
    bins = pd.to_numeric(frame[column], errors="coerce")
    missing = _gi_missing(frame, bins)
    isolated = _gi_isolated(frame)
    values = [
        ISOLATED if iso else NO_DATA if m else int(v)
        for iso, m, v in zip(isolated, missing, bins, strict=True)
    ]
    return pd.Series(values, index=frame.index, dtype=object)


def _gi_isolated(frame: pd.DataFrame) -> np.ndarray:
    if GI.label not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return frame[GI.label].astype(object).eq(ISOLATED).to_numpy()


def gi_no_data_conditions(frame: pd.DataFrame, column: str = GI.klass) -> list[tuple[str, object]]:
    """The conditions of :func:`gi_classes` that turn some row with a bin into no data.

    As ``(column, value)`` pairs for a QGIS expression (``value`` None means NULL). Only the
    conditions that change some row are returned, so a layer without such rows keeps a plain
    field renderer that users can edit as usual. An isolated row (no z-score) meets these
    conditions too: a renderer that tells isolated rows apart tests
    :func:`gi_isolated_conditions` first, as :func:`gi_classes` does.

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


def gi_isolated_conditions(frame: pd.DataFrame) -> list[tuple[str, object]]:
    """The condition of :func:`gi_classes` that makes a row isolated, when some row meets it.

    As ``(column, value)`` pairs (the form of :func:`gi_no_data_conditions`); checked before the
    no-data conditions. Empty when no row is isolated.

    >>> gi_isolated_conditions(pd.DataFrame({"gi_bin": [0], "gi_cluster": ["isolated"]}))
    [('gi_cluster', 'isolated')]
    """
    return [(GI.label, ISOLATED)] if _gi_isolated(frame).any() else []


# ---------------------------------------------------------------------------------------------
# global statistics: the result objects of moran, geary and bivariate_moran
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Result:
    def to_frame(self) -> pd.DataFrame:
        """The statistic as a one-row DataFrame (columns = field names except the text ``note``)."""
        row = asdict(self)
        row["missing"] = ", ".join(row["missing"])
        row.pop("note", None)
        return pd.DataFrame([row])

    def _note_repr(self) -> str:
        return f", note={self.note!r}" if getattr(self, "note", "") else ""

    def _sim_repr(self) -> str:
        """The permutation part of the repr (empty without permutations)."""
        permutations = getattr(self, "permutations", 0)
        return f", p_sim={self.p_sim:.4g} ({permutations} perm.)" if permutations else ""


@dataclass(frozen=True)
class Moran(_Result):
    """Global Moran's I with analytic (randomisation) and permutation inference.

    Attributes
    ----------
    I : float
        Moran's I = (n / S0) * sum_ij w_ij z_i z_j / sum_i z_i², z = x - mean(x).
    EI : float
        Expectation under the null, -1 / (n - 1).
    VI : float
        Variance under randomisation (Cliff & Ord 1981, eq. 1.38 with kurtosis).
    z : float
        (I - EI) / sqrt(VI).
    p_norm : float
        Two-sided p-value of ``z`` under the normal approximation.
    p_sim : float
        Pseudo p-value from ``permutations`` random permutations, one-sided in the direction of
        the observed I, a tie counting on both sides:
        (min(#{I_sim >= I}, #{I_sim <= I}) + 1) / (permutations + 1). With n! <= permutations
        every ordering is enumerated and p_sim = min(#{I_sim >= I}, #{I_sim <= I}) / n! is exact.
        NaN without permutations, or when every permutation gives the observed I (see ``note``).
    EI_sim : float
        Mean of the permuted I (NaN without permutations).
    n : int
        Units used (rows with a missing value and rows outside ``w`` are not counted).
    permutations, seed : int, int or None
        Permutations drawn (or orderings enumerated) and seed.
    column, transform : str
        Variable and weights transformation ("R" row-standardised, "B" binary, "O" as given).
    missing : tuple of str
        Regions left out because the value is missing.
    note : str
        How ``p_sim`` was obtained when it is exact, or why there is none (not in ``to_frame``).
    """

    I: float  # noqa: E741 - the statistic's notation
    EI: float
    VI: float
    z: float
    p_norm: float
    p_sim: float
    EI_sim: float
    n: int
    permutations: int
    seed: int | None
    column: str
    transform: str
    missing: tuple[str, ...] = field(default=())
    note: str = ""

    def __repr__(self) -> str:
        return (
            f"Moran(column={self.column!r}, n={self.n}, I={self.I:.4f}, EI={self.EI:.4f}, "
            f"z={self.z:.3f}, p_norm={self.p_norm:.4g}{self._sim_repr()}{self._note_repr()})"
        )


@dataclass(frozen=True)
class Geary(_Result):
    """Global Geary's C with analytic (randomisation) and permutation inference.

    Attributes
    ----------
    C : float
        Geary's C = (n - 1) sum_ij w_ij (x_i - x_j)² / (2 S0 sum_i z_i²); below 1 = positive
        autocorrelation.
    EC : float
        Expectation under the null, 1.
    VC : float
        Variance under randomisation (Cliff & Ord 1981).
    z : float
        (C - EC) / sqrt(VC): negative for positive autocorrelation (R spdep's ``geary.test``
        reports the opposite sign, (EC - C) / sqrt(VC)).
    p_norm, p_sim, EC_sim : float
        Two-sided normal p-value, folded pseudo p-value (ties on both sides, as in
        :class:`Moran`), mean of permuted C.
    n, permutations, seed, column, transform, missing, note
        As in :class:`Moran`.
    """

    C: float
    EC: float
    VC: float
    z: float
    p_norm: float
    p_sim: float
    EC_sim: float
    n: int
    permutations: int
    seed: int | None
    column: str
    transform: str
    missing: tuple[str, ...] = field(default=())
    note: str = ""

    def __repr__(self) -> str:
        return (
            f"Geary(column={self.column!r}, n={self.n}, C={self.C:.4f}, z={self.z:.3f}, "
            f"p_norm={self.p_norm:.4g}{self._sim_repr()}{self._note_repr()})"
        )


@dataclass(frozen=True)
class BivariateMoran(_Result):
    """Bivariate Moran's I between ``x`` and the spatial lag of ``y``.

    Attributes
    ----------
    I : float
        I_xy = (n / S0) * sum_ij w_ij zx_i zy_j / sum_i zx_i², with zx, zy the values standardised
        by their mean and sample standard deviation (equal to esda ``Moran_BV`` when every unit
        has a neighbour and weights are row-standardised).
    EI_sim, z_sim : float
        Mean of the permuted I (y permuted across units) and (I - EI_sim) / sd(I_sim).
    p_sim : float
        Folded pseudo p-value (ties on both sides), as in :class:`Moran`. No analytic inference
        is given.
    n, permutations, seed, transform, missing, note
        As in :class:`Moran`.
    x, y : str
        The two variables.
    """

    I: float  # noqa: E741
    EI_sim: float
    z_sim: float
    p_sim: float
    n: int
    permutations: int
    seed: int | None
    x: str
    y: str
    transform: str
    missing: tuple[str, ...] = field(default=())
    note: str = ""

    def __repr__(self) -> str:
        return (
            f"BivariateMoran(x={self.x!r}, y={self.y!r}, n={self.n}, I={self.I:.4f}, "
            f"z_sim={self.z_sim:.3f}, p_sim={self.p_sim:.4g} ({self.permutations} perm.)"
            f"{self._note_repr()})"
        )
