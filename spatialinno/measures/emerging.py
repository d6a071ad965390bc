"""Emerging hot spots: Gi* per unit and year, a Mann-Kendall trend per unit, ArcGIS Pro categories.

The Gi* of every year is the package's own (:func:`spatialinno.hotspots`, right for any weights;
esda's ``G_Local`` is not used). Each unit's series of Gi* z-scores is tested for a monotonic trend
with the Mann-Kendall test (computed here, vectorised over units, and cross-checked against
``pymannkendall`` to 1e-12 in the tests: ``pymannkendall.original_test`` costs about 2.5 ms a series,
7 s on the 2,891 counties). The per-year hot/cold significance and the trend give the 17 categories
of ArcGIS Pro's *Emerging Hot Spot Analysis*, whose rules are written out in
:func:`emerging_hotspots`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._errors import DataWarning, InputError, SpatialinnoError
from .._notes import Note
from .._validate import check_seed
from ._panel import Panel, default_weights, panel, plain, unit_matrix
from .local import hotspots

__all__ = ["EHSA_CATEGORIES", "emerging_hotspots", "hotspots_by_year"]

_KINDS: tuple[tuple[str, str], ...] = (
    ("new", "新增的"),
    ("consecutive", "连续的"),
    ("intensifying", "加强的"),
    ("persistent", "持续的"),
    ("diminishing", "逐渐减少的"),
    ("sporadic", "分散的"),
    ("oscillating", "振荡的"),
    ("historical", "历史的"),
)


def _categories() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for sign, spot, zh in ((1, "hot", "热点"), (-1, "cold", "冷点")):
        for k, (kind, kind_zh) in enumerate(_KINDS, start=1):
            out[f"{kind} {spot} spot"] = {"code": sign * k, "zh": kind_zh + zh}
    out["no pattern detected"] = {"code": 0, "zh": "未检测到模式"}
    out["isolated"] = {"code": None, "zh": "孤立（无邻居）"}
    out["no data"] = {"code": None, "zh": "无数据"}
    return out


#: The 17 ArcGIS Pro categories plus ``isolated`` and ``no data``: English name (as ArcGIS spells
#: it, lower case) -> ``code`` (ArcGIS's CATEGORY field: 1..8 hot, -1..-8 cold, 0 no pattern)
#: and ``zh`` (ArcGIS's Chinese wording). Colours: ``spatialinno.styles.EMERGING`` (maps, print
#: figures and QGIS styles share them).
EHSA_CATEGORIES: dict[str, dict[str, Any]] = _categories()


# ---------------------------------------------------------------------------------------------
# Gi* per unit and year
# ---------------------------------------------------------------------------------------------


def _check_window(time_window: Any) -> int:
    if isinstance(time_window, bool) or not isinstance(time_window, (int, np.integer)):
        raise InputError(f"time_window must be a whole number of years >= 0, not {time_window!r}")
    if time_window < 0:
        raise InputError(f"time_window must be >= 0 (years before t to include), not {time_window}")
    return int(time_window)


def _window_frame(pan: Panel, matrix: Any, t: int, k: int) -> tuple[pd.DataFrame, Any]:
    """Bins of years t-k..t (year t first) and the space-time graph of the year-t bins.

    Bin (i, t) is linked to (j, s) for j a spatial neighbour of i or i itself and t-k <= s <= t
    (not to itself: Gi* adds the self weight). Units without spatial neighbours get no link at all
    (``isolated``), and the earlier years' bins get none either: they enter the mean, the standard
    deviation and the permutation pool of the window but are not tested.
    """
    import scipy.sparse as sp
    from libpysal.graph import Graph

    n = pan.units.size
    cols = list(range(t, max(-1, t - k - 1), -1))
    has_nb = np.diff(matrix.indptr) > 0
    earlier = (matrix + sp.diags(has_nb.astype(float))).tocsr()
    top = sp.hstack([matrix] + [earlier] * (len(cols) - 1), format="csr")
    full = sp.vstack([top, sp.csr_matrix((n * (len(cols) - 1), n * len(cols)))], format="csr")
    frame = pd.DataFrame(
        {
            "code": np.concatenate([pan.units.astype(str) + f"@{pan.years[c]}" for c in cols]),
            "name": np.concatenate([pan.labels + f" {pan.years[c]}" for c in cols]),
            "value": pan.values[:, cols].T.ravel(),
        }
    )
    # ids = the bins' codes: the graph says which rows it was built for, so the alignment check of
    # si.hotspots accepts it (a graph with positional ids would match the fingerprint of w itself)
    return frame, Graph.from_sparse(full, ids=frame["code"].to_numpy())


def _gi_cube(pan: Panel, w: Any, k: int, options: dict[str, Any]) -> dict[str, np.ndarray]:
    """si.hotspots for every year (or space-time window): (units, years) arrays of its columns."""
    n, t_count = pan.values.shape
    out = {
        "gi_z": np.full((n, t_count), np.nan),
        "gi_p": np.full((n, t_count), np.nan),
        "gi_bin": np.zeros((n, t_count), dtype=int),
        "gi_cluster": np.full((n, t_count), "no data", dtype=object),
    }
    matrix = unit_matrix(w, pan) if k else None
    base = pd.DataFrame({"code": pan.units.astype(str), "name": pan.labels})
    rng = check_seed(options.pop("seed"))
    other: dict[str, None] = {}
    for t in range(t_count):
        if k:
            frame, graph = _window_frame(pan, matrix, t, k)
        else:
            frame, graph = base.assign(value=pan.values[:, t]), w
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                res = hotspots(frame, "value", w=graph, seed=rng, **options)
            except SpatialinnoError as exc:
                raise type(exc)(f"{pan.time} {pan.years[t]}: {exc}") from None
        for c in caught:  # the missing unit-years are reported once, by the caller
            if not issubclass(c.category, DataWarning):
                other.setdefault(
                    c.message.args[0] if c.message.args else str(c.message)
                )  # a Note stays one
        if "gi_p_sim" in res.columns:
            out.setdefault("gi_p_sim", np.full((n, t_count), np.nan))
            out["gi_p_sim"][:, t] = res["gi_p_sim"].to_numpy()[:n]
        for key in ("gi_z", "gi_p", "gi_bin", "gi_cluster"):
            out[key][:, t] = res[key].to_numpy()[:n]
    for message in other:
        warnings.warn(message, UserWarning, stacklevel=3)
    return out


def _prepare(frame: Any, column: str, time: str, unit: str, w: Any, min_years: int):
    pan = panel(frame, column, time, unit, min_years=min_years)
    if not pan.complete.all():
        text = (
            f"{int((~pan.complete).sum())} unit(s) have no {column!r} value in some years; those "
            f"unit-years are left out with their links ('no data') and the units get no "
            f"category: {pan.describe_missing()}"
        )
        warnings.warn(
            Note("gaps_emerging", text, column=column, **pan.gaps()),
            DataWarning,
            stacklevel=3,
        )
    return pan, default_weights(pan, w)


def hotspots_by_year(
    frame: pd.DataFrame,
    column: str,
    time: str = "year",
    w: Any = None,
    *,
    unit: str = "code",
    time_window: int = 0,
    alpha: float = 0.05,
    correction: Literal["fdr", "bonferroni"] | None = None,
    inference: Literal["analytic", "permutation"] = "analytic",
    permutations: int | Literal["auto"] = "auto",
    seed: int | np.random.Generator | None = None,
    transform: Literal["B", "R"] = "B",
) -> pd.DataFrame:
    """Getis–Ord Gi* of every unit in every year of a long frame (one row per unit and year).

    Each year is one call of :func:`spatialinno.hotspots` (formula, bins and inference documented
    there) on the units of that year; with ``time_window=k > 0`` the neighbourhood is a space-time
    window (see :func:`emerging_hotspots`).

    Parameters
    ----------
    frame : (Geo)DataFrame
        Long panel: one row per unit and year. Unit-years without a row or with NaN are missing
        (``no data``); they are left out with their links and never filled in.
    column, time, unit : str
        Value column, year column and the column identifying units (default ``"code"``).
    w : libpysal Graph or W, optional
        Aligned by position with the units in order of first appearance; default queen contiguity
        on their geometry with islands linked to the nearest unit.
    time_window, alpha, correction, inference, permutations, seed, transform
        As in :func:`emerging_hotspots`.

    Returns
    -------
    pandas.DataFrame
        One row per unit and year: ``unit``, ``time``, ``gi_z``, ``gi_p``, ``gi_bin`` (-3..3),
        ``gi_cluster`` (hot, cold, ns, isolated, no data) and, when permutations ran,
        ``gi_p_sim``.
    """
    k = _check_window(time_window)
    pan, w = _prepare(frame, column, time, unit, w, min_years=1)
    cube = _gi_cube(
        pan, w, k, _options(alpha, correction, inference, permutations, seed, transform)
    )
    n, t_count = pan.values.shape
    out = pd.DataFrame(
        {unit: np.repeat(pan.units.to_numpy(), t_count), time: np.tile(pan.years, n)}
    )
    for key, arr in cube.items():
        out[key] = arr.ravel()
    return out


def _options(alpha, correction, inference, permutations, seed, transform) -> dict[str, Any]:
    return {"alpha": alpha, "correction": correction, "inference": inference,
            "permutations": permutations, "seed": seed, "transform": transform}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Mann-Kendall and the categories
# ---------------------------------------------------------------------------------------------


def _mann_kendall(x: np.ndarray) -> dict[str, np.ndarray]:
    """Mann-Kendall trend test of every row of ``x`` (complete rows, >= 2 columns).

    S = sum_{i<j} sign(x_j - x_i); Var(S) = [n(n-1)(2n+5) - sum_g t_g(t_g-1)(2t_g+5)] / 18 over
    groups of tied values; Z = (S - 1)/sqrt(Var) if S > 0, (S + 1)/sqrt(Var) if S < 0, else 0;
    two-sided p = 2 (1 - Phi(|Z|)); tau = S / (n(n-1)/2) (Mann 1945; Kendall 1975; the
    ``original_test`` of pymannkendall, Hussain & Mahmud 2019).
    """
    from scipy.special import ndtr

    rows, n = x.shape
    i, j = np.triu_indices(n, 1)
    s = np.sign(x[:, j] - x[:, i]).sum(axis=1)
    var = np.full(rows, n * (n - 1) * (2 * n + 5), dtype=float)
    ordered = np.sort(x, axis=1)
    for r in np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1)):
        counts = np.unique(x[r], return_counts=True)[1].astype(float)
        var[r] -= float((counts * (counts - 1) * (2 * counts + 5)).sum())
    var /= 18.0
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(var)
        z = np.where(s > 0, (s - 1) / root, np.where(s < 0, (s + 1) / root, 0.0))
    z = np.where(var > 0, z, 0.0)
    p = 2.0 * ndtr(-np.abs(z))
    return {"s": s, "var_s": var, "z": z, "p": p, "tau": s / (0.5 * n * (n - 1))}


def _smallest_mk_p(n: int) -> float:
    """The smallest two-sided p-value the Mann-Kendall test can give with n values (no ties)."""
    s = n * (n - 1) / 2
    return math.erfc(((s - 1) / math.sqrt(n * (n - 1) * (2 * n + 5) / 18)) / math.sqrt(2))


def _classify(hot: np.ndarray, cold: np.ndarray, up: np.ndarray, down: np.ndarray) -> np.ndarray:
    """ArcGIS Pro category of every row from its hot/cold flags per year and its trend."""
    t_count = hot.shape[1]
    names = np.full(hot.shape[0], "no pattern detected", dtype=object)
    conditions: list[np.ndarray] = []
    choices: list[str] = []
    for spot, sig, other, rise, fall in (
        ("hot", hot, cold, up, down),
        ("cold", cold, hot, down, up),
    ):
        count, other_count = sig.sum(axis=1), other.sum(axis=1)
        final = sig[:, -1]
        run = np.cumprod(sig[:, ::-1], axis=1).sum(axis=1)  # length of the final uninterrupted run
        ninety = 10 * count >= 9 * t_count  # integer form of "at least 90 % of the years"
        few = final & ~ninety
        conditions += [
            final & ninety & rise,
            final & ninety & fall,
            final & ninety & ~rise & ~fall,
            few & (other_count > 0),
            few & (other_count == 0) & (count == 1),
            few & (other_count == 0) & (count >= 2) & (count == run),
            few & (other_count == 0) & (count > run),
        ]
        choices += [f"{kind} {spot} spot" for kind in ("intensifying", "diminishing", "persistent",
                                                        "oscillating", "new", "consecutive",
                                                        "sporadic")]  # fmt: skip
    # historical comes after every final-year category of both signs: the final year decides
    for spot, sig in (("hot", hot), ("cold", cold)):
        conditions.append(10 * sig.sum(axis=1) >= 9 * t_count)
        choices.append(f"historical {spot} spot")
    return np.select(conditions, choices, default=names).astype(object)


def emerging_hotspots(
    frame: pd.DataFrame,
    column: str,
    time: str = "year",
    w: Any = None,
    *,
    unit: str = "code",
    time_window: int = 0,
    alpha: float = 0.05,
    trend_alpha: float | None = None,
    correction: Literal["fdr", "bonferroni"] | None = None,
    inference: Literal["analytic", "permutation"] = "analytic",
    permutations: int | Literal["auto"] = "auto",
    seed: int | np.random.Generator | None = None,
    transform: Literal["B", "R"] = "B",
) -> pd.DataFrame:
    """Emerging hot spot analysis: how each unit's hot or cold spot status evolves over the years.

    1. **Gi* per unit and year** with :func:`spatialinno.hotspots` (Ord & Getis 1995 z-scores,
       right for binary and row-standardised weights), ``inference``, ``permutations``,
       ``correction``, ``alpha`` and ``transform`` passed through. A bin is a *significant hot
       spot* when its ``gi_cluster`` is ``hot`` (p <= ``alpha`` after ``correction``, z > 0),
       a *significant cold spot* when it is ``cold``.
    2. **Space-time window** (``time_window=k``, ArcGIS's *neighborhood time step*): the Gi* of
       unit i in year t sums the values of i and its spatial neighbours in years t-k .. t
       (all weight 1 before any row-standardisation; i in year t is the self term). The mean,
       standard deviation and permutation pool are those of the bins of years t-k .. t (ArcGIS
       Pro's *global window = neighborhood time step*), so a general rise over the years does not
       make every late bin "hot". The first k years use the years available (t-k before the
       first year is cut off). ``k=0`` (default) is one ordinary hot spot analysis per year.
    3. **Trend**: the Mann-Kendall test on each unit's series of Gi* z-scores (S, tau = S/(n(n-1)/2),
       Z with continuity correction and the tie-corrected variance, two-sided p). ``increasing``
       when p <= ``trend_alpha`` (default ``alpha``) and Z > 0, ``decreasing`` when Z < 0.
    4. **Categories** (ArcGIS Pro, *How Emerging Hot Spot Analysis works*), with n years, h the
       number of significant hot years and "90 %" meaning h >= 0.9 n::

           intensifying hot spot  hot in >= 90 % of the years including the final year, and the
                                  Gi* z series increases significantly
           persistent hot spot    hot in >= 90 % including the final year, no significant trend
           diminishing hot spot   hot in >= 90 % including the final year, significant decrease
           new hot spot           hot in the final year and never hot before
           consecutive hot spot   a single uninterrupted run of >= 2 hot years ending in the final
                                  year, never hot before that run, hot in < 90 % of the years
           sporadic hot spot      hot in the final year, hot before that in an on-and-off way
                                  (not one run), < 90 % hot, never a significant cold spot
           oscillating hot spot   hot in the final year, a significant cold spot in some earlier
                                  year, < 90 % hot
           historical hot spot    not hot in the final year, hot in >= 90 % of the years
           no pattern detected    none of the above, nor their cold mirrors

       The eight cold categories are the same with hot and cold swapped; a cold spot
       *intensifies* when its z series *decreases* significantly. Where ArcGIS's wording
       overlaps, this order decides: (a) a unit with a prior cold year that is hot in the final
       year is oscillating, not new/consecutive (ArcGIS requires "never cold" only for sporadic;
       this is also what xarray-spatial does); (b) the final year decides before history: a unit
       cold in the final year is never a historical hot spot. R sfdep differs (it counts any
       significant year, hot or cold, towards the 90 % and ignores the final year for
       persistent; sfdep issues 41, 58).
    5. **Never a category from missing data**: a unit with a missing value in any year gets
       ``no data``; one with values every year but no neighbour with data in some year gets
       ``isolated``; MK statistics are then NaN. Other units are computed as if those bins were
       absent (left out with their links, as everywhere in the package).

    Parameters
    ----------
    frame : (Geo)DataFrame
        Long panel: one row per unit and year (e.g. yearly ``si.join_indicators`` outputs
        stacked). Attributes and geometry of the result come from each unit's latest row.
    column : str
        Numeric column.
    time : str, default "year"
        Column holding the year (or any sortable time step).
    w : libpysal Graph or W, optional
        Aligned by position with the units in order of first appearance; default queen
        contiguity with islands linked to the nearest unit.
    unit : str, default "code"
        Column identifying the units.
    time_window : int, default 0
        Years before t in the space-time neighbourhood (ArcGIS default is 1; 0 = per year).
    alpha : float, default 0.05
        Level for a significant hot/cold bin (``gi_cluster``).
    trend_alpha : float, optional
        Level of the Mann-Kendall test; default ``alpha``.
    correction : {None, "fdr", "bonferroni"}
        Multiple-testing correction within each year (ArcGIS Pro applies FDR: ``"fdr"``).
    inference : {"analytic", "permutation"}, default "analytic"
        As in :func:`spatialinno.hotspots` (normal p of the z, or two-sided pseudo p).
    permutations : int or "auto"
        As in :func:`spatialinno.hotspots`.
    seed : int or numpy Generator, optional
        One generator drives all years in order: same seed, same result.
    transform : {"B", "R"}, default "B"
        Binary (as ArcGIS) or row-standardised weights.

    Returns
    -------
    (Geo)DataFrame
        One row per unit (its latest row, units in order of first appearance) with
        ``category`` (English, lower case as above, or ``isolated`` / ``no data``),
        ``category_zh``, ``category_code`` (ArcGIS CATEGORY: 1..8 hot, -1..-8 cold, 0 none;
        <NA> for isolated/no data), ``mk_s``, ``mk_tau``, ``mk_z``, ``mk_p``, ``mk_trend``
        (increasing, decreasing, no trend), ``n_hot``, ``n_cold`` (significant years),
        ``n_years`` (years with a Gi*), ``gi_z_last`` and ``gi_bin_last`` (final year, -3..3).
        ``.attrs["emerging_hotspots"]`` records the years and every option. Colours and labels
        per category: :data:`spatialinno.styles.EMERGING`; codes and Chinese names:
        :data:`EHSA_CATEGORIES`. Per-year bins: :func:`hotspots_by_year` with the
        same arguments (same seed, same bins).

    Warns
    -----
    DataWarning
        Units with missing years, listed with the years.
    UserWarning
        When the number of years makes a significant trend impossible (with n <= 4 the smallest
        Mann-Kendall p is above 0.05), so that no intensifying/diminishing category can occur.

    References
    ----------
    Esri, *How Emerging Hot Spot Analysis works*, ArcGIS Pro tool reference (Space Time Pattern
    Mining). Ord, J. K. & Getis, A. (1995) *Geographical Analysis* 27(4): 286-306.
    Mann, H. B. (1945) *Econometrica* 13: 245-259. Kendall, M. G. (1975) *Rank Correlation
    Methods*, 4th ed.

    Examples
    --------
    >>> import numpy as np, pandas as pd, spatialinno as si
    >>> prov = si.load_boundaries("province").query("region.notna()", engine="python")
    >>> x = prov.to_crs(si.boundaries.EQUAL_AREA_CRS).centroid.x.to_numpy() / 1e6
    >>> rising = prov["name_short"].isin(["湖北", "湖南", "河南", "安徽", "江西"]).to_numpy()
    >>> long = pd.concat(
    ...     [prov.assign(year=t, v=x + rising * 0.25 * (t - 2011)) for t in range(2011, 2021)]
    ... )
    >>> out = si.emerging_hotspots(long, "v").set_index("name_short")
    >>> out.loc[["湖北", "安徽", "浙江", "西藏"], "category"].tolist()
    ['consecutive hot spot', 'intensifying hot spot', 'persistent hot spot', 'diminishing cold spot']
    >>> row = out.loc["湖北"]
    >>> int(row["n_hot"]), int(row["gi_bin_last"]), row["mk_trend"], row["category_zh"]
    (6, 3, 'increasing', '连续的热点')
    """
    k = _check_window(time_window)
    trend_alpha = alpha if trend_alpha is None else trend_alpha
    if (
        isinstance(trend_alpha, bool)
        or not isinstance(trend_alpha, (int, float))
        or not 0 < trend_alpha < 1
    ):
        raise InputError(f"trend_alpha must be a probability between 0 and 1, not {trend_alpha!r}")
    pan, w = _prepare(frame, column, time, unit, w, min_years=3)
    n_years = pan.years.size
    if _smallest_mk_p(n_years) > trend_alpha:
        warnings.warn(
            f"with {n_years} years the smallest possible Mann-Kendall p-value is "
            f"{_smallest_mk_p(n_years):.3f} > trend_alpha={trend_alpha:g}: no trend can be "
            "significant, so no intensifying or diminishing category can occur",
            UserWarning,
            stacklevel=2,
        )
    options = _options(alpha, correction, inference, permutations, seed, transform)
    cube = _gi_cube(pan, w, k, dict(options))
    result = _summarise(pan, cube, trend_alpha)
    options["seed"] = int(seed) if isinstance(seed, (int, np.integer)) else None
    result.attrs["emerging_hotspots"] = {
        "column": column, "time": time, "unit": unit,
        "years": [plain(v) for v in pan.years],
        "time_window": k, "trend_alpha": trend_alpha, **options,
    }  # fmt: skip
    return result


def _summarise(pan: Panel, cube: dict[str, np.ndarray], trend_alpha: float) -> pd.DataFrame:
    """One row per unit: MK statistics on complete series, counts, category, last-year bin."""
    z = cube["gi_z"]
    clusters = cube["gi_cluster"]
    n = z.shape[0]
    has_gi = np.isfinite(z)
    complete = has_gi.all(axis=1)
    stats = {key: np.full(n, np.nan) for key in ("s", "tau", "z", "p")}
    if complete.any():
        mk = _mann_kendall(z[complete])
        for key in stats:
            stats[key][complete] = mk[key]
    up = complete & (stats["p"] <= trend_alpha) & (stats["z"] > 0)
    down = complete & (stats["p"] <= trend_alpha) & (stats["z"] < 0)
    hot, cold = clusters == "hot", clusters == "cold"
    category = _classify(hot, cold, up, down)
    category[~complete] = "isolated"
    category[~pan.complete] = "no data"
    out = pan.frame.copy()
    out["category"] = category
    out["category_zh"] = [EHSA_CATEGORIES[c]["zh"] for c in category]
    out["category_code"] = pd.array([EHSA_CATEGORIES[c]["code"] for c in category], dtype="Int64")
    out["mk_s"] = stats["s"]
    out["mk_tau"] = stats["tau"]
    out["mk_z"] = stats["z"]
    out["mk_p"] = stats["p"]
    trend = np.where(up, "increasing", np.where(down, "decreasing", "no trend")).astype(object)
    trend[~complete] = None
    out["mk_trend"] = trend
    out["n_hot"] = hot.sum(axis=1)
    out["n_cold"] = cold.sum(axis=1)
    out["n_years"] = has_gi.sum(axis=1)
    out["gi_z_last"] = z[:, -1]
    out["gi_bin_last"] = cube["gi_bin"][:, -1]
    return out
