"""Distribution dynamics: kernel densities per year and their features, sigma- and beta-convergence.

Values are levels in any unit (people, yuan, patents) or, with ``relative=True``, levels divided
by the year's mean (unitless). No CRS is involved.

References
----------
Scott, D. W. (1992). *Multivariate Density Estimation*. Wiley. (Scott's rule.)
Silverman, B. W. (1986). *Density Estimation for Statistics and Data Analysis*. Chapman & Hall.
Barro, R. J. & Sala-i-Martin, X. (1992). Convergence. *J. Political Economy* 100(2):223-251.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataWarning, InputError
from .._notes import Note
from .._validate import numeric_column, region_labels, require_columns

__all__ = [
    "BetaConvergence",
    "KernelDensity",
    "beta_convergence",
    "kernel_density",
    "sigma_convergence",
]

_MAX_LISTED = 10


def _warn(measure: str, reason: str, labels: Sequence[str]) -> None:
    shown = ", ".join(map(str, labels[:_MAX_LISTED]))
    more = f" and {len(labels) - _MAX_LISTED} more" if len(labels) > _MAX_LISTED else ""
    warnings.warn(
        f"{measure}: {len(labels)} unit(s) {reason} left out: {shown}{more}",
        DataWarning,
        stacklevel=4,
    )


def _long(
    frame: Any, column: str, year: str | None, measure: str, warn: bool = True
) -> tuple[pd.DataFrame, list[str]]:
    """Frame of ``year`` (None -> one pseudo-year), ``value``, ``label``; checks and warnings.

    Years in which no unit has a value are dropped with one warning naming the years; units
    without a value in the other years are named in another (``warn=False``: the caller
    reports what it leaves out itself).
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{measure} needs a DataFrame/GeoDataFrame, not {type(frame).__name__}")
    require_columns(frame, [column] + ([year] if year is not None else []), "table")
    values = numeric_column(frame, column)
    labels = list(region_labels(frame))
    bad = np.flatnonzero(np.isinf(values) | (values < 0))
    if bad.size:
        raise InputError(
            f"{measure}: column {column!r} must be finite and non-negative; bad at "
            f"{', '.join(labels[i] for i in bad[:_MAX_LISTED])}"
        )
    when = frame[year].to_numpy() if year is not None else np.zeros(len(frame), dtype=int)
    data = pd.DataFrame({"year": when, "value": values, "label": labels})
    if year is not None:
        data["label"] = data["label"] + " " + data["year"].astype("string").fillna("")
        empty = data.groupby("year")["value"].count().loc[lambda c: c == 0].index.tolist()
        if empty and warn:
            years_said = ", ".join(map(str, empty))
            text = f"{measure}: year(s) without any value of {column!r} skipped: {years_said}"
            warnings.warn(
                Note("years_no_value", text, what=measure, column=column, years=years_said),
                DataWarning,
                stacklevel=3,
            )
            data = data[~data["year"].isin(empty)]
    drop = data["value"].isna() | data["year"].isna()
    if drop.any() and warn:
        _warn(measure, f"without a value in {column!r} or a year", data["label"][drop].tolist())
    return data[~drop], data["label"][drop].tolist()


# ---------------------------------------------------------------------------------------------
# kernel density
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class KernelDensity:
    """Gaussian kernel density curves per year and the features read off them.

    Attributes
    ----------
    curves : pandas.DataFrame
        Tidy: ``year`` (when a year column was given), ``x`` (grid value, in the unit of the
        values or relative to the year's mean), ``density``. All years share one grid, so the
        curves overlay in 2D and stack into a year-value-density surface in 3D.
    features : pandas.DataFrame
        One row per year, see :func:`kernel_density` for the definitions.
    column : str
    bandwidth : str or float
        The rule or value asked for; the one used per year is ``features["bandwidth"]``.
    relative : bool
        Whether values were divided by the year's mean. ``left_out``: units without a value.
    """

    curves: pd.DataFrame = field(compare=False)
    features: pd.DataFrame = field(compare=False)
    column: str = ""
    bandwidth: str | float = "scott"
    relative: bool = False
    left_out: tuple[str, ...] = ()

    def __repr__(self) -> str:
        f = self.features
        rel = ", relative to the yearly mean" if self.relative else ""
        peaks = "/".join(str(int(p)) for p in f["n_peaks"])
        return (
            f"KernelDensity({self.column!r}{rel}, bandwidth={self.bandwidth!r}, "
            f"{len(f)} curve(s) on {self.curves['x'].nunique()} grid points; peaks per curve: "
            f"{peaks})"
        )

    def to_frame(self) -> pd.DataFrame:
        """The tidy curves (``year, x, density``)."""
        return self.curves


def _kde(x: np.ndarray, bandwidth: str | float) -> Any:
    from scipy.stats import gaussian_kde

    if isinstance(bandwidth, str):
        return gaussian_kde(x, bw_method=bandwidth)
    sd = float(np.std(x, ddof=1))  # gaussian_kde's covariance is the ddof=1 one
    return gaussian_kde(x, bw_method=float(bandwidth) / sd)


def _check_bandwidth(bandwidth: Any) -> str | float:
    if isinstance(bandwidth, str) and bandwidth in ("scott", "silverman"):
        return bandwidth
    if (
        isinstance(bandwidth, (int, float))
        and not isinstance(bandwidth, bool)
        and math.isfinite(bandwidth)
        and bandwidth > 0
    ):
        return float(bandwidth)
    raise InputError(
        f"bandwidth must be 'scott', 'silverman' or a positive number (the kernel's standard "
        f"deviation in the unit of the values), not {bandwidth!r}"
    )


def _half_max_width(x: np.ndarray, f: np.ndarray, top: int) -> float:
    """Width of the interval around grid point ``top`` where f >= f[top] / 2 (interpolated)."""
    half = f[top] / 2.0
    left = top
    while left > 0 and f[left - 1] >= half:
        left -= 1
    right = top
    while right < f.size - 1 and f[right + 1] >= half:
        right += 1
    xl, xr = x[left], x[right]
    if left > 0:  # interpolate the crossing between left - 1 (< half) and left (>= half)
        xl = np.interp(half, [f[left - 1], f[left]], [x[left - 1], x[left]])
    if right < f.size - 1:
        xr = np.interp(half, [f[right + 1], f[right]], [x[right + 1], x[right]])
    return float(xr - xl)


def _features(
    x: np.ndarray, f: np.ndarray, values: np.ndarray, peak_floor: float, tail_floor: float
) -> dict[str, Any]:
    from scipy.signal import find_peaks
    from scipy.stats import skew

    top = int(np.argmax(f))
    peaks, _ = find_peaks(f, height=peak_floor * f[top])
    if top not in set(peaks.tolist()):  # the maximum at a grid end is still the main peak
        peaks = np.sort(np.append(peaks, top))
    above = np.flatnonzero(f >= tail_floor * f[top])
    return {
        "n_peaks": int(peaks.size),
        "peak_positions": tuple(float(v) for v in x[peaks]),
        "main_peak_x": float(x[top]),
        "main_peak_height": float(f[top]),
        "half_max_width": _half_max_width(x, f, top),
        "right_tail_length": float(x[above[-1]] - x[top]),
        "skewness": float(skew(values, bias=False)) if values.size > 2 else np.nan,
    }


def _grid(blocks: dict[Any, np.ndarray], kdes: dict[Any, Any], grid: Any) -> np.ndarray:
    if not isinstance(grid, (int, np.integer)) or isinstance(grid, bool):
        out = np.asarray(grid, dtype=float)
        if out.ndim != 1 or out.size < 3 or not np.all(np.diff(out) > 0):
            raise InputError("grid must be a number of points (>= 3) or an increasing 1-D array")
        return out
    if grid < 3:
        raise InputError(f"grid must have at least 3 points, not {grid}")
    lo = min(float(v.min()) for v in blocks.values())
    hi = max(float(v.max()) for v in blocks.values())
    h = max(float(np.sqrt(k.covariance[0, 0])) for k in kdes.values())
    return np.linspace(lo - 3.0 * h, hi + 3.0 * h, int(grid))


def kernel_density(
    frame: pd.DataFrame,
    column: str,
    year: str | None = None,
    bandwidth: str | float = "scott",
    relative: bool = False,
    grid: int | Sequence[float] = 512,
    *,
    peak_floor: float = 0.05,
    tail_floor: float = 0.01,
) -> KernelDensity:
    """Gaussian kernel density of a column per year (scipy ``gaussian_kde``) and its features.

    .. math::

        \\hat f(x) = \\frac{1}{n h \\sqrt{2\\pi}} \\sum_i \\exp\\left(-\\frac{(x - x_i)^2}{2h^2}
        \\right), \\qquad h = c \\, s

    with :math:`s` the sample standard deviation (ddof=1) and the factor
    :math:`c = n^{-1/5}` (Scott) or :math:`c = (3n/4)^{-1/5}` (Silverman), exactly as
    ``scipy.stats.gaussian_kde`` computes them; ``bandwidth="scott"`` is scipy's default.

    Parameters
    ----------
    frame : DataFrame
        One row per unit (and year).
    column : str
        Non-negative values.
    year : str, optional
        Column holding the year of a long panel: one curve per year. None: one curve.
    bandwidth : "scott", "silverman" or float, default "scott"
        The rule, or :math:`h` itself (the kernel's standard deviation, in the unit of the
        values -- unitless when ``relative``).
    relative : bool, default False
        Divide each year's values by that year's mean first (relative level, 1 = the mean), the
        usual way to compare the shape of distributions whose level grows over time.
    grid : int or array, default 512
        Number of evenly spaced points from the smallest value minus 3 h to the largest plus
        3 h (pooled over the years, h the largest bandwidth), or the points themselves. One
        grid for all years.
    peak_floor, tail_floor : float
        Fractions of the main peak's height used in the features below.

    Returns
    -------
    KernelDensity
        ``.curves`` (tidy ``year, x, density``) and ``.features``, one row per year:

        - ``n``, ``mean``, ``bandwidth`` (:math:`h` used);
        - ``n_peaks`` and ``peak_positions``: local maxima of :math:`\\hat f` on the grid
          (``scipy.signal.find_peaks``: higher than both neighbours, the middle of a flat top)
          whose height is at least ``peak_floor`` times the highest density -- smaller bumps
          are left out as noise; 1 peak = unimodal, 2+ = polarisation;
        - ``main_peak_x``, ``main_peak_height``: position and density of the highest point;
        - ``half_max_width``: length of the interval around the main peak over which
          :math:`\\hat f \\ge` half the main peak's height (crossings interpolated linearly
          between grid points); wider = more dispersed around the mode;
        - ``right_tail_length``: distance from the main peak to the largest grid value where
          :math:`\\hat f \\ge` ``tail_floor`` times the main peak's height -- how far the
          distribution stretches to the right of its mode (the 右拖尾 of the literature);
        - ``skewness``: adjusted Fisher-Pearson sample skewness :math:`G_1` of the values
          (``scipy.stats.skew(bias=False)``), > 0 for a long right tail.

    Raises
    ------
    InputError
        Negative or infinite values (units named), a year with fewer than 2 values or with all
        values equal (no bandwidth), a bad ``bandwidth`` or ``grid``. Units without a value
        are left out with a :class:`~spatialinno.DataWarning`.

    Notes
    -----
    No boundary correction: for non-negative data the Gaussian kernel puts some density below
    zero; the grid shows it rather than hiding it.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> df = pd.DataFrame({"x": [1.0, 1.2, 0.9, 1.1, 5.0, 5.2, 4.9, 5.1]})
    >>> kd = si.kernel_density(df, "x", bandwidth=0.3)
    >>> int(kd.features.loc[0, "n_peaks"]), [round(p, 1) for p in kd.features.loc[0, "peak_positions"]]
    (2, [1.1, 5.0])
    """
    bw = _check_bandwidth(bandwidth)
    data, left = _long(frame, column, year, "kernel_density")
    blocks: dict[Any, np.ndarray] = {}
    for when, part in data.groupby("year", sort=True):
        v = part["value"].to_numpy()
        what = f"year {when}" if year is not None else f"column {column!r}"
        if v.size < 2 or np.all(v == v[0]):
            raise InputError(
                f"kernel_density: {what} needs at least 2 different values (has {v.size} "
                "value(s)); a density needs spread to set a bandwidth"
            )
        blocks[when] = v / v.mean() if relative else v
    kdes = {when: _kde(v, bw) for when, v in blocks.items()}
    xs = _grid(blocks, kdes, grid)
    curves, rows = [], []
    for when, kde in kdes.items():
        f = kde(xs)
        curves.append(pd.DataFrame({"year": when, "x": xs, "density": f}))
        row = {"year": when, "n": blocks[when].size, "mean": float(blocks[when].mean())}
        row["bandwidth"] = float(np.sqrt(kde.covariance[0, 0]))
        row.update(_features(xs, f, blocks[when], peak_floor, tail_floor))
        rows.append(row)
    curves_frame = pd.concat(curves, ignore_index=True)
    features = pd.DataFrame(rows)
    if year is None:
        curves_frame = curves_frame.drop(columns="year")
        features = features.drop(columns="year")
    else:
        curves_frame = curves_frame.rename(columns={"year": year})
        features = features.rename(columns={"year": year})
    return KernelDensity(curves_frame, features, column, bw, bool(relative), tuple(left))


# ---------------------------------------------------------------------------------------------
# convergence
# ---------------------------------------------------------------------------------------------


def sigma_convergence(
    frame: pd.DataFrame, column: str, year: str = "year", *, ddof: int = 0
) -> pd.DataFrame:
    """Sigma-convergence: dispersion of a column across units, year by year.

    .. math::

        CV_t = \\frac{s_t}{\\bar{x}_t}, \\quad
        s_t = \\sqrt{\\tfrac{1}{n_t - \\delta}\\sum_i (x_{it} - \\bar{x}_t)^2}, \\qquad
        \\sigma_t = \\sqrt{\\tfrac{1}{m_t - \\delta}\\sum_{i: x_{it} > 0}
        (\\ln x_{it} - \\overline{\\ln x}_t)^2}

    (:math:`\\delta` = ``ddof``). A falling :math:`CV_t` or :math:`\\sigma_t` over the years is
    sigma-convergence (Barro & Sala-i-Martin 1992).

    Parameters
    ----------
    frame : DataFrame
        Long panel: one row per unit and year.
    column : str
        Non-negative values.
    year : str, default "year"
        Column holding the year.
    ddof : int, default 0
        0: population standard deviation (the usual sigma of the convergence literature);
        1: sample standard deviation.

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year, n, mean, sd, cv, n_log, sd_log``. ``n_log`` counts the
        positive values that enter ``sd_log`` (a zero has no logarithm; the zeros are named in a
        :class:`~spatialinno.DataWarning`). ``cv`` is NaN when the mean is 0.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> df = pd.DataFrame({"year": [2000] * 3 + [2010] * 3, "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    >>> si.sigma_convergence(df, "x")[["year", "cv"]].round(4)  # same spread, higher mean
       year      cv
    0  2000  0.4082
    1  2010  0.1633
    """
    if ddof not in (0, 1):
        raise InputError(f"ddof must be 0 (population) or 1 (sample), not {ddof!r}")
    data, _ = _long(frame, column, year, "sigma_convergence")
    zero = data["value"] == 0
    if zero.any():
        _warn(
            "sigma_convergence",
            "with a zero value (no logarithm) in sd_log",
            data["label"][zero].tolist(),
        )
    rows = []
    for when, part in data.groupby("year", sort=True):
        v = part["value"].to_numpy()
        logs = np.log(v[v > 0])
        mean = float(v.mean())
        sd = float(np.std(v, ddof=ddof)) if v.size > ddof else np.nan
        rows.append(
            {
                year: when,
                "n": v.size,
                "mean": mean,
                "sd": sd,
                "cv": sd / mean if mean > 0 else np.nan,
                "n_log": logs.size,
                "sd_log": float(np.std(logs, ddof=ddof)) if logs.size > ddof else np.nan,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True, repr=False)
class BetaConvergence:
    """Absolute beta-convergence: OLS of average annual log growth on the log initial level.

    .. math::

        g_i = \\frac{1}{T}\\ln\\frac{y_{i,t_1}}{y_{i,t_0}} = \\alpha + \\beta \\ln y_{i,t_0}
        + \\varepsilon_i, \\qquad T = t_1 - t_0

    Attributes
    ----------
    beta, alpha : float
        Slope and intercept (per year). :math:`\\beta < 0`: initially lower units grow faster.
    se, t, p_value : float
        Standard error of :math:`\\beta` (:math:`\\sqrt{s^2 / S_{xx}}`,
        :math:`s^2 = SSR/(n-2)`), :math:`t = \\beta / se` and its two-sided p-value from
        Student's t with :math:`n - 2` degrees of freedom.
    r2 : float
        :math:`1 - SSR/SST`.
    speed : float
        Implied convergence speed :math:`\\lambda = -\\ln(1 + \\beta T)/T` per year; NaN when
        :math:`1 + \\beta T \\le 0`.
    half_life : float
        :math:`\\ln 2 / \\lambda` in years: time to close half the gap; NaN unless
        :math:`\\lambda > 0` (no convergence, no half-life).
    n : int
        Units used. ``start``, ``end``: :math:`t_0`, :math:`t_1`; ``periods``: :math:`T`.
    data : pandas.DataFrame
        Per unit: ``unit, initial, final, log_initial, growth, fitted, residual`` (the
        scatter and line of the convergence figure).
    left_out : tuple of str
        Units without a positive value in both years.
    """

    beta: float
    se: float
    t: float
    p_value: float
    alpha: float
    r2: float
    speed: float
    half_life: float
    n: int
    start: Any
    end: Any
    periods: float
    column: str = ""
    data: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)
    left_out: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"BetaConvergence({self.column!r} {self.start}-{self.end}: beta={self.beta:.5f} "
            f"(se {self.se:.5f}, t={self.t:.3f}, p={self.p_value:.4g}), R2={self.r2:.3f}, "
            f"lambda={self.speed:.4f}/year, half-life={self.half_life:.1f} years, n={self.n})"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row of the scalar fields (``data`` and ``left_out`` left out)."""
        names = [f for f in self.__dataclass_fields__ if f not in ("data", "left_out")]
        return pd.DataFrame([{k: getattr(self, k) for k in names}])


def _ols(x: np.ndarray, g: np.ndarray) -> dict[str, float]:
    from scipy.stats import t as student_t

    n = x.size
    sxx = float(np.sum((x - x.mean()) ** 2))
    beta = float(np.sum((x - x.mean()) * (g - g.mean())) / sxx)
    alpha = float(g.mean() - beta * x.mean())
    resid = g - alpha - beta * x
    ssr = float(np.sum(resid**2))
    sst = float(np.sum((g - g.mean()) ** 2))
    se = math.sqrt(ssr / (n - 2) / sxx)
    t = beta / se if se > 0 else math.copysign(math.inf, beta) if beta else math.nan
    p = float(2.0 * student_t.sf(abs(t), n - 2)) if not math.isnan(t) else math.nan
    r2 = 1.0 - ssr / sst if sst > 0 else math.nan
    return {"beta": beta, "alpha": alpha, "se": se, "t": t, "p_value": p, "r2": r2}


def _start_end(data: pd.DataFrame, start: Any, end: Any, year: str) -> tuple[Any, Any, float]:
    years = sorted(pd.unique(data["year"]))
    start = years[0] if start is None else start
    end = years[-1] if end is None else end
    for name, value in (("start", start), ("end", end)):
        if value not in set(years):
            raise InputError(
                f"beta_convergence: {name}={value!r} is not a year of {year!r}; years: {years}"
            )
    periods = float(end) - float(start)
    if not periods > 0:
        raise InputError(f"beta_convergence: end ({end}) must come after start ({start})")
    return start, end, periods


def beta_convergence(
    frame: pd.DataFrame,
    column: str,
    year: str = "year",
    start: Any = None,
    end: Any = None,
    *,
    unit: str = "code",
) -> BetaConvergence:
    """Absolute beta-convergence between two years (see :class:`BetaConvergence` for formulas).

    Parameters
    ----------
    frame : DataFrame
        Long panel: one row per unit and year.
    column : str
        Positive values (levels: R&D spending, GDP per capita ...).
    year : str, default "year"
        Column holding the year (numbers: :math:`T` is ``end - start`` in years).
    start, end : optional
        Initial and final year; default the first and the last year of the panel.
    unit : str, default "code"
        Column identifying a unit across years.

    Returns
    -------
    BetaConvergence

    Raises
    ------
    ColumnError, InputError
        Missing columns, a unit twice in a year, a year not in the panel, fewer than 3 units
        with positive values in both years, all initial levels equal. Units without a positive
        value in both years are left out with a :class:`~spatialinno.DataWarning`.

    References
    ----------
    Barro & Sala-i-Martin (1992): :math:`-\\beta = (1 - e^{-\\lambda T})/T`.

    Examples
    --------
    >>> import pandas as pd
    >>> import spatialinno as si
    >>> df = pd.DataFrame({"code": list("abcdabcd"), "year": [2000] * 4 + [2010] * 4,
    ...                    "x": [1.0, 2.0, 4.0, 8.0, 4.0, 6.0, 9.0, 12.0]})
    >>> b = si.beta_convergence(df, "x")
    >>> round(b.beta, 4), round(b.half_life, 1)
    (-0.0466, 11.0)
    """
    data, _ = _long(frame, column, year, "beta_convergence", warn=False)
    require_columns(frame, unit, "table")
    data["unit"] = frame[unit].to_numpy()[data.index]
    start, end, periods = _start_end(data, start, end, year)
    two = data[data["year"].isin([start, end])]
    dup = two.duplicated(["unit", "year"], keep=False)
    if dup.any():
        raise InputError(
            f"beta_convergence: unit(s) appear twice in a year: "
            f"{', '.join(two['label'][dup].head(_MAX_LISTED))}; keep one row per {unit!r} and year"
        )
    wide = two.pivot(index="unit", columns="year", values="value").reindex(columns=[start, end])
    wide = wide.reindex(pd.unique(data["unit"]))  # every unit seen in the panel, in its order
    ok = (wide[start] > 0) & (wide[end] > 0)
    left = [str(u) for u in wide.index[~ok]]
    if left:
        _warn("beta_convergence", f"without a positive value in both {start} and {end}", left)
    wide = wide[ok]
    if len(wide) < 3:
        raise InputError(
            f"beta_convergence needs at least 3 units with values in {start} and {end}; has {len(wide)}"
        )
    x = np.log(wide[start].to_numpy())
    g = (np.log(wide[end].to_numpy()) - x) / periods
    if np.all(x == x[0]):
        raise InputError("beta_convergence: every unit starts at the same level; no slope to fit")
    fit = _ols(x, g)
    growth_factor = 1.0 + fit["beta"] * periods
    speed = -math.log(growth_factor) / periods if growth_factor > 0 else math.nan
    fitted = fit["alpha"] + fit["beta"] * x
    per_unit = pd.DataFrame(
        {"unit": wide.index.to_numpy(), "initial": wide[start].to_numpy()}
        | {"final": wide[end].to_numpy(), "log_initial": x, "growth": g, "fitted": fitted}
        | {"residual": g - fitted}
    )
    return BetaConvergence(
        **fit,
        speed=speed,
        half_life=math.log(2.0) / speed if speed > 0 else math.nan,
        n=int(x.size),
        start=start,
        end=end,
        periods=periods,
        column=column,
        data=per_unit,
        left_out=tuple(left),
    )
