"""Permutation inference (spatialinno.measures.inference) against exact enumeration of the null distribution.

Issue 13, items 4-6. Every reference p-value here is computed from scratch in this file, by
enumerating *all* permutations (global statistics) or *all* neighbour sets (conditional
randomisation of local statistics) with plain numpy and the textbook formulas -- not with
spatialinno's code. The exact folded p-value with ties on both sides is
``min(P(S >= s), P(S <= s))``; the Monte Carlo estimate ``(min(#>=, #<=) + 1) / (P + 1)`` must
agree with it within Monte Carlo error, and a region whose exact probability of a tie is at least
0.9 can then never be significant.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from libpysal.graph import Graph
from shapely.geometry import box

import spatialinno as si
from spatialinno import InputError, cli
from spatialinno.measures.inference import folded_p, largest_useful

TIE = 1e-9  # relative tolerance of a tie in the brute-force references


# ----------------------------------------------------------------------------------------------
# brute-force references (independent of spatialinno)
# ----------------------------------------------------------------------------------------------


def cells(shape: tuple[int, int]) -> list:
    rows, cols = shape
    return [box(c, -r, c + 1, -r + 1) for r in range(rows) for c in range(cols)]


def frame(values, shape) -> gpd.GeoDataFrame:
    geoms = cells(shape)
    return gpd.GeoDataFrame(
        {"name": [f"u{i}" for i in range(len(values))], "x": np.asarray(values, dtype=float)},
        geometry=geoms[: len(values)],
        crs="EPSG:3857",
    )


def rowstd(a: np.ndarray) -> np.ndarray:
    s = a.sum(axis=1, keepdims=True)
    return np.divide(a, s, out=np.zeros_like(a, dtype=float), where=s != 0)


def tails(sims: np.ndarray, obs: float) -> tuple[int, int]:
    tol = TIE * max(1.0, abs(obs), float(np.abs(sims).max(initial=0)))
    return int((sims >= obs - tol).sum()), int((sims <= obs + tol).sum())


def exact_local(stat_of_lag, x: np.ndarray, w: np.ndarray, i: int) -> tuple[float, float]:
    """(exact folded p, probability of a tie) of region i over every set of neighbour values
    drawn from the other regions (all weights of the row equal: combinations suffice)."""
    nb = np.flatnonzero(w[i])
    k = nb.size
    others = np.delete(np.arange(x.size), i)
    sets = np.array(list(itertools.combinations(others, k)))
    lags = x[sets] @ w[i, nb]
    sims = stat_of_lag(lags)
    obs = float(stat_of_lag(np.array([x[nb] @ w[i, nb]]))[0])
    ge, le = tails(sims, obs)
    tol = TIE * max(1.0, abs(obs))
    tie = float(np.mean(np.abs(sims - obs) <= tol))
    if ge == le == sims.size:
        return float("nan"), tie
    return min(ge, le) / sims.size, tie


def exact_lisa(x: np.ndarray, a: np.ndarray, i: int) -> tuple[float, float]:
    n = x.size
    z = x - x.mean()
    w = rowstd(a)
    return exact_local(lambda lag: (n - 1) * z[i] * lag / (z @ z), z, w, i)


def exact_global(stat, x: np.ndarray) -> float:
    sims = np.array([stat(x[list(p)]) for p in itertools.permutations(range(x.size))])
    ge, le = tails(sims, stat(x))
    return float("nan") if ge == le == sims.size else min(ge, le) / sims.size


def moran_i(x: np.ndarray, w: np.ndarray) -> float:
    z = x - x.mean()
    return x.size / w.sum() * (z @ w @ z) / (z @ z)


def line(n: int) -> np.ndarray:
    a = np.zeros((n, n))
    for i in range(n - 1):
        a[i, i + 1] = a[i + 1, i] = 1
    return a


def graph_of(a: np.ndarray) -> Graph:
    f, nb = np.nonzero(a)
    return Graph.from_arrays(f, nb, np.ones(f.size))


# ----------------------------------------------------------------------------------------------
# the formula
# ----------------------------------------------------------------------------------------------


def test_folded_p_counts_ties_on_both_sides() -> None:
    # 999 draws: 900 tie the observed value, 99 are larger: p = (min(999, 900) + 1) / 1000
    assert folded_p(999, 900, 999) == pytest.approx(0.901)
    # esda's rule would give (min(999, 0) + 1) / 1000 = 0.001 for the same draws
    assert folded_p(10, 990, 999) == pytest.approx(0.011)
    assert np.isnan(folded_p(999, 999, 999))  # every draw tied: not testable
    assert folded_p(3, 1, 3, exact=True) == pytest.approx(1 / 3)
    assert folded_p(np.array([5, 2]), np.array([1, 9]), np.array([9, 9]), exact=True).tolist() == [
        pytest.approx(1 / 9),
        pytest.approx(2 / 9),
    ]


def test_largest_useful_count() -> None:
    assert largest_useful(0.05) == 9_999  # 100 * 0.95 / 0.05 = 1,900
    assert largest_useful(0.001) == 99_999
    assert largest_useful(0.05 / 375) == 999_999  # Bonferroni over 375 prefectures


# ----------------------------------------------------------------------------------------------
# item 4: exact enumeration on small cases, with ties and zeros
# ----------------------------------------------------------------------------------------------

SMALL = [
    ("line5 ties", [0, 0, 0, 5, 5], (1, 5)),
    ("line6 zeros", [0, 0, 0, 0, 3, 7], (1, 6)),
    ("grid2x3 ties", [1, 1, 2, 2, 2, 9], (2, 3)),
    ("grid2x4 zero-inflated", [0, 0, 0, 0, 0, 0, 4, 11], (2, 4)),
    ("grid2x4 continuous", [3.1, 0.2, 5.7, 1.1, 8.4, 2.2, 6.3, 0.9], (2, 4)),
]


@pytest.mark.parametrize(("case", "values", "shape"), SMALL, ids=[c[0] for c in SMALL])
def test_lisa_small_cases_are_exact(case: str, values: list, shape: tuple) -> None:
    g = frame(values, shape)
    w = si.spatial_weights(g, kind="queen")
    a = (w.sparse.toarray() != 0).astype(float)
    np.fill_diagonal(a, 0)
    x = g["x"].to_numpy()
    out = si.lisa(g, "x", w=w, permutations=999, seed=0)
    for i in range(len(values)):
        p, tie = exact_lisa(x, a, i)
        got = out["lisa_p"].iloc[i]
        if np.isnan(p):
            assert np.isnan(got) and g["name"][i] in out.attrs["lisa"]["untestable"], (case, i)
            assert out["lisa_cluster"].iloc[i] == "ns"
        else:  # C(n-1, k) <= 999: every neighbour set is enumerated, p is exact
            assert got == pytest.approx(p, abs=1e-12), (case, i)
        if tie >= 0.9:
            assert out["lisa_cluster"].iloc[i] == "ns", (case, i)


def test_four_units_no_significant_cluster_for_any_seed() -> None:
    """Four units on a line: esda / the old rule labels one HL (or LH) at p = 0.001 for every
    seed, though each region has at most 3 possible neighbour sets (exact p >= 1/3)."""
    for values in ([1.0, 1.0, 1.0, 9.0], [1.0, 2.0, 3.0, 10.0], [0.0, 0.0, 5.0, 0.0]):
        g = frame(values, (1, 4))
        w = si.spatial_weights(g)
        a = line(4)
        for seed in range(10):
            out = si.lisa(g, "x", w=w, seed=seed)
            assert (out["lisa_cluster"] == "ns").all(), (values, seed)
            p = out["lisa_p"].to_numpy()
            ref = np.array([exact_lisa(np.array(values), a, i)[0] for i in range(4)])
            np.testing.assert_allclose(p, ref, atol=1e-12)
            assert np.nanmin(p) >= 1 / 3 - 1e-12
    # [1, 1, 1, 9]: the 9 sits among equal values, every draw ties: not testable
    out = si.lisa(frame([1.0, 1.0, 1.0, 9.0], (1, 4)), "x", seed=0)
    assert np.isnan(out["lisa_p"].iloc[3]) and out.attrs["lisa"]["untestable"] == ["u3"]
    assert "not testable" in out.attrs["lisa"]["p_note"]


def test_gi_permutation_small_cases_are_exact() -> None:
    values = np.array([0, 0, 0, 0, 0, 0, 4, 11], dtype=float)
    g = frame(values, (2, 4))
    w = si.spatial_weights(g)
    a = (w.sparse.toarray() != 0).astype(float)
    np.fill_diagonal(a, 0)
    hot = si.hotspots(g, "x", w=w, inference="permutation", permutations=999, seed=0)
    for i in range(values.size):
        # Gi* orders like the sum of the neighbours' values (self term and moments constant)
        p, tie = exact_local(lambda lag: lag, values, a, i)
        expected = min(1.0, 2 * p) if np.isfinite(p) else np.nan
        np.testing.assert_allclose(hot["gi_p"].iloc[i], expected, atol=1e-12)
        if tie >= 0.5:  # two-sided p = min(1, 2 x folded) = 1
            assert hot["gi_bin"].iloc[i] == 0 and hot["gi_cluster"].iloc[i] == "ns"


@pytest.mark.parametrize("n", [5, 6])
def test_global_statistics_small_cases_are_exact(n: int) -> None:
    values = np.array([0.0, 0.0, 2.0, 2.0, 7.0, 1.0][:n])
    g = frame(values, (1, n))
    a = line(n)
    w = graph_of(a)
    m = si.moran(g, "x", w=w, permutations=999)
    assert m.permutations == math.factorial(n) and m.note.startswith("exact")
    assert m.p_sim == pytest.approx(exact_global(lambda v: moran_i(v, rowstd(a)), values))
    c = si.geary(g, "x", w=w, permutations=999)

    def geary_c(v: np.ndarray) -> float:
        ws = rowstd(a)
        z = v - v.mean()
        d = (v[:, None] - v[None, :]) ** 2
        return (n - 1) * (ws * d).sum() / (2 * ws.sum() * (z @ z))

    assert c.p_sim == pytest.approx(exact_global(geary_c, values))
    sg = si.spatial_gini(values, w=w, permutations=999)

    def nonneighbour_sum(v: np.ndarray) -> float:
        d = np.abs(v[:, None] - v[None, :])
        return float(((1 - a) * d).sum())

    assert sg.p_value == pytest.approx(exact_global(nonneighbour_sum, values))
    assert sg.permutations == math.factorial(n) and "exact" in sg.note
    y = np.array([4.0, 1.0, 1.0, 3.0, 0.0, 2.0][:n])
    bv = si.bivariate_moran(g.assign(y=y), "x", "y", w=w, permutations=999)
    zx = (values - values.mean()) / values.std(ddof=1)

    def bv_i(v: np.ndarray) -> float:
        zy = (v - v.mean()) / v.std(ddof=1)
        ws = rowstd(a)
        return n / ws.sum() * (zx @ ws @ zy) / (zx @ zx)

    assert bv.p_sim == pytest.approx(exact_global(bv_i, y))


# ----------------------------------------------------------------------------------------------
# item 4: Monte Carlo against exact enumeration, where enumeration is not used by the package
# ----------------------------------------------------------------------------------------------


def test_monte_carlo_lisa_agrees_with_exact_enumeration_with_ties() -> None:
    """5 x 6 rook grid, zero-inflated values: interior cells have C(29, 4) = 23,751 neighbour
    sets > 9,999 permutations, so the package draws at random; the exact p of each is
    enumerated here."""
    rng = np.random.default_rng(5)
    values = np.where(rng.random(30) < 0.6, 0.0, np.round(rng.lognormal(1, 1, 30), 1))
    g = frame(values, (5, 6))
    w = si.spatial_weights(g, kind="rook")
    a = (w.sparse.toarray() != 0).astype(float)
    permutations = 9_999
    out = si.lisa(g, "x", w=w, permutations=permutations, seed=1)
    interior = [i for i in range(30) if a[i].sum() == 4]
    assert len(interior) == 12
    checked = 0
    for i in interior:
        p, tie = exact_lisa(values, a, i)
        got = out["lisa_p"].iloc[i]
        if np.isnan(p):
            assert np.isnan(got)
            continue
        # Monte Carlo: (min + 1)/(P + 1) around p; 4 sd + the +1 of the estimator
        sd = math.sqrt(p * (1 - p) / permutations)
        assert abs(got - p) <= 4 * sd + 2 / (permutations + 1), (i, got, p)
        if tie >= 0.9:
            assert out["lisa_cluster"].iloc[i] == "ns"
        checked += 1
    assert checked >= 8
    assert out.attrs["lisa"]["exact"] == 30 - 12 - len(out.attrs["lisa"]["untestable"])


def test_monte_carlo_moran_agrees_with_exact_enumeration_with_ties() -> None:
    values = np.array([0.0, 0.0, 0.0, 3.0, 3.0, 0.0, 8.0, 1.0])  # 8! = 40,320 > permutations
    a = line(8)
    exact = exact_global(lambda v: moran_i(v, rowstd(a)), values)
    m = si.moran(frame(values, (1, 8)), "x", w=graph_of(a), permutations=9_999, seed=3)
    assert m.permutations == 9_999 and m.note == ""
    assert abs(m.p_sim - exact) <= 4 * math.sqrt(exact * (1 - exact) / 9_999) + 2e-4


# ----------------------------------------------------------------------------------------------
# item 4: zero-inflated columns on the real layers
# ----------------------------------------------------------------------------------------------


def tie_probability_of_zero_neighbourhoods(x: np.ndarray, w: Graph) -> np.ndarray:
    """Exact probability that a random neighbour set is all zeros, for regions whose observed
    neighbours are all zeros (0 elsewhere): C(Z, k) / C(n - 1, k), Z the zeros among the others.
    For such a region the observed lag is the smallest possible, so its exact folded p-value is
    exactly this probability (the other tail holds every set)."""
    m = w.sparse.tocsr()
    n = x.size
    zeros = int((x == 0).sum())
    out = np.zeros(n)
    for i in range(n):
        nb = m.indices[m.indptr[i] : m.indptr[i + 1]]
        nb = nb[(nb != i) & (m.data[m.indptr[i] : m.indptr[i + 1]] != 0)]
        if nb.size and (x[nb] == 0).all():
            z_others = zeros - (x[i] == 0)
            out[i] = math.comb(z_others, nb.size) / math.comb(n - 1, nb.size)
    return out


@pytest.fixture(scope="module")
def air() -> gpd.GeoDataFrame:
    """Prefectures with 2014 domestic air-route records (OpenFlights, bundled): zero where a
    prefecture has no airport -- 214 of 375 units."""
    pref = si.load_boundaries("prefecture")
    d = si.load_dataset("air_routes_2014")
    routes = d.groupby(d["gb_o"].str[3:])["n_route_records"].sum()
    pref["air"] = pref["code"].map(routes).fillna(0.0)
    assert (pref["air"] == 0).sum() == 214
    return pref


def test_zero_neighbourhoods_get_their_exact_p_on_a_real_zero_inflated_column(air) -> None:
    w = si.spatial_weights(air)
    x = air["air"].to_numpy()
    tie = tie_probability_of_zero_neighbourhoods(x, w)
    zero_nb = tie > 0
    assert zero_nb.sum() == 33
    permutations = 9_999
    out = si.lisa(air, "air", w=w, permutations=permutations, seed=0)
    hot = si.hotspots(air, "air", w=w, inference="permutation", permutations=permutations, seed=0)
    got = out["lisa_p"].to_numpy()[zero_nb]
    sd = np.sqrt(tie[zero_nb] * (1 - tie[zero_nb]) / permutations)
    assert (np.abs(got - tie[zero_nb]) <= 4 * sd + 2 / (permutations + 1)).all()
    gi = hot["gi_p"].to_numpy()[zero_nb]
    assert (np.abs(gi - np.minimum(1, 2 * tie[zero_nb])) <= 8 * sd + 4 / permutations).all()


def test_mostly_zero_column_on_counties_never_significant_where_ties_dominate() -> None:
    """97 % zeros (like patents or R&D in western counties): 277 counties have an all-zero
    neighbourhood with an exact tie probability >= 0.9. The old rule labelled 35 of them LISA
    clusters (p down to 0.001) and 277 Gi* hot or cold spots."""
    county = si.load_boundaries("county")
    rng = np.random.default_rng(2024)
    n = len(county)
    county["pat"] = np.where(rng.random(n) < 0.03, rng.lognormal(3, 1, n), 0.0)
    w = si.spatial_weights(county)
    tie = tie_probability_of_zero_neighbourhoods(county["pat"].to_numpy(), w)
    dominated = tie >= 0.9
    assert dominated.sum() == 277
    out = si.lisa(county, "pat", w=w, seed=0)
    assert (out.loc[dominated, "lisa_cluster"] == "ns").all()
    assert (out.loc[dominated, "lisa_p"] >= 0.9 - 4 * math.sqrt(0.09 / 999) - 0.002).all()
    hot = si.hotspots(county, "pat", w=w, inference="permutation", seed=0)
    assert (hot.loc[dominated, "gi_cluster"] == "ns").all()
    assert (hot.loc[dominated, "gi_bin"] == 0).all()


# ----------------------------------------------------------------------------------------------
# item 4: statistics that cannot be tested say so
# ----------------------------------------------------------------------------------------------


def test_spatial_gini_of_a_constant_column_is_not_testable() -> None:
    g = frame([3.0] * 6, (2, 3))
    sg = si.spatial_gini(g, "x", w=si.spatial_weights(g), permutations=999, seed=0)
    assert sg.gini == 0 and np.isnan(sg.p_value) and np.isnan(sg.p_greater)
    assert "not testable" in sg.note and "not testable" in repr(sg)
    big = frame([3.0] * 12, (3, 4))  # 12! > 999: random draws, all tie
    sg = si.spatial_gini(big, "x", w=si.spatial_weights(big), permutations=999, seed=0)
    assert np.isnan(sg.p_value) and sg.permutations == 999 and "not testable" in sg.note


def test_moran_with_every_unit_a_neighbour_is_not_testable() -> None:
    """Complete graph, equal weights: I = -1/(n-1) for every ordering of the values."""
    n = 10
    a = np.ones((n, n)) - np.eye(n)
    g = frame(np.arange(1.0, n + 1), (2, 5))
    m = si.moran(g, "x", w=graph_of(a), permutations=999, seed=0)
    moran_i_value = m.I
    assert moran_i_value == pytest.approx(-1 / (n - 1)) and np.isnan(m.p_sim)
    assert "not testable" in m.note and "not testable" in repr(m)
    assert "note" not in m.to_frame().columns


def test_gi_star_of_a_region_neighbouring_all_others_is_not_testable() -> None:
    """2 x 3 queen grid: the middle cells touch the 5 others, so n S1 = W² and Gi* has no
    variance (analytic) and one possible neighbour set (permutation)."""
    g = frame([1.0, 5.0, 2.0, 8.0, 3.0, 9.0], (2, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 0/0 RuntimeWarning
        hot = si.hotspots(g, "x")
        perm = si.hotspots(g, "x", inference="permutation", seed=0)
    for out in (hot, perm):
        assert out.attrs["hotspots"]["untestable"] == ["u1", "u4"]
        assert out.loc[[1, 4], "gi_p"].isna().all() and (out.loc[[1, 4], "gi_bin"] == 0).all()
        assert out.attrs["hotspots"]["n_tests"] == 4
        assert "not testable" in out.attrs["hotspots"]["p_note"]


# ----------------------------------------------------------------------------------------------
# item 5: permutations=0
# ----------------------------------------------------------------------------------------------


def test_zero_permutations_refused_where_they_are_the_only_inference() -> None:
    g = frame([1.0, 5.0, 2.0, 8.0, 3.0, 9.0], (2, 3))
    with pytest.raises(InputError, match="lisa needs permutations >= 1"):
        si.lisa(g, "x", permutations=0)
    with pytest.raises(InputError, match="inference='permutation'\\) needs permutations >= 1"):
        si.hotspots(g, "x", inference="permutation", permutations=0)
    # where an analytic p exists, 0 keeps meaning "no permutation p" (documented)
    assert np.isnan(si.moran(g, "x", permutations=0).p_sim)
    assert np.isnan(si.geary(g, "x", permutations=0).p_sim)
    assert "gi_p_sim" not in si.hotspots(g, "x", permutations=0).columns
    assert np.isnan(si.spatial_gini(g, "x", permutations=0).p_value)


# ----------------------------------------------------------------------------------------------
# item 6: bounded memory, refused counts, exact enumeration instead of useless draws
# ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prov() -> gpd.GeoDataFrame:
    p = si.load_boundaries("province").query("region.notna()", engine="python")
    p = p.reset_index(drop=True)
    p["v"] = (p.to_crs(si.boundaries.EQUAL_AREA_CRS).area / 1e6).to_numpy()
    return p


HUGE = 999_999_999


@contextlib.contextmanager
def memory_capped(extra: int = 2 * 2**30):
    """Cap this process's address space at its current size + ``extra`` bytes for the block, so
    that a regression which tries to honour a huge count fails with MemoryError instead of
    swamping the machine (the old code asked for 60 GB on 31 provinces)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as f:
        size = int(f.read().split()[0]) * resource.getpagesize()
    cap = size + extra if hard == resource.RLIM_INFINITY else min(hard, size + extra)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.parametrize(
    ("call", "useful"),
    [
        (lambda p, w: si.moran(p, "v", w=w, permutations=HUGE), "99,999"),
        (lambda p, w: si.geary(p, "v", w=w, permutations=HUGE), "99,999"),
        (lambda p, w: si.bivariate_moran(p, "v", "v", w=w, permutations=HUGE), "99,999"),
        (lambda p, w: si.spatial_gini(p, "v", w=w, permutations=HUGE), "99,999"),
        (lambda p, w: si.lisa(p, "v", w=w, permutations=HUGE), "9,999"),
        (
            lambda p, w: si.hotspots(p, "v", w=w, inference="permutation", permutations=HUGE),
            "9,999",
        ),
        (lambda p, w: si.lisa(p, "v", w=w, permutations=HUGE, correction="fdr"), "99,999"),
    ],
)
def test_huge_counts_are_refused_at_once_with_the_useful_count(prov, call, useful) -> None:
    import time

    w = si.spatial_weights(prov)
    start = time.perf_counter()
    with memory_capped(), pytest.raises(InputError) as info:
        call(prov, w)
    assert time.perf_counter() - start < 2.0
    text = str(info.value)
    assert "permutations=999,999,999 would take about" in text
    assert f"More than {useful} permutations add nothing" in text
    assert "sqrt(p(1-p)/P)" in text and f"Use permutations={useful} or fewer" in text


def test_memory_does_not_grow_with_the_count(prov) -> None:
    """Chunked draws and running counts: peak memory at 3,000,000 permutations is that at
    300,000 (the old code held a P x k matrix of draws and every permuted value)."""
    import tracemalloc

    w = si.spatial_weights(prov)

    def peak(run) -> int:
        tracemalloc.start()
        try:
            run()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    for run in (
        lambda P: si.lisa(prov, "v", w=w, permutations=P, seed=0),
        lambda P: si.moran(prov, "v", w=w, permutations=P, seed=0),
        lambda P: si.spatial_gini(prov, "v", w=w, permutations=P, seed=0),
    ):
        small, large = peak(lambda r=run: r(300_000)), peak(lambda r=run: r(3_000_000))
        assert large < 1.5 * small + 4 * 2**20, (small, large)
        assert large < 120 * 2**20


def test_exact_enumeration_replaces_a_huge_count_on_few_units() -> None:
    g = frame([0.0, 4.0, 1.0, 9.0, 2.0], (1, 5))
    with memory_capped():
        m = si.moran(g, "x", w=graph_of(line(5)), permutations=HUGE, seed=0)
        out = si.lisa(g, "x", permutations=HUGE, seed=0)  # C(4, k) <= 6 neighbour sets each
    assert m.permutations == 120 and m.note.startswith("exact: all 120 orderings")
    assert out.attrs["lisa"]["exact"] + len(out.attrs["lisa"]["untestable"]) == 5


def test_same_seed_same_p_across_chunks(prov) -> None:
    """Results depend on the seed only: two runs with the same seed agree exactly, also when
    the draws span many chunks."""
    w = si.spatial_weights(prov)
    a = si.lisa(prov, "v", w=w, permutations=200_000, seed=7)
    b = si.lisa(prov, "v", w=w, permutations=200_000, seed=7)
    pd.testing.assert_series_equal(a["lisa_p"], b["lisa_p"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m1 = si.moran(prov, "v", w=w, permutations=200_000, seed=7)
        m2 = si.moran(prov, "v", w=w, permutations=200_000, seed=7)
    assert m1 == m2


@pytest.fixture(scope="module")
def province_table(tmp_path_factory) -> str:
    panel = si.load_dataset("province_panel")
    table = panel[(panel["year"] == 2021) & (panel["gb"] != "156000000")]
    path = tmp_path_factory.mktemp("cli") / "rd2021.csv"
    table[["gb", "province", "rd_exp_total_10k_yuan"]].to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize(
    ("count", "message"),
    [
        # refused before any statistic, naming what each test of the run needs (issue 14)
        (
            "999999999",
            "--permutations 999999999 is more than this run can use: .* need at most "
            "9,999; .* need at most 99,999.* Use --permutations 9999 ",
        ),
        ("0", "lisa needs permutations >= 1"),
    ],
)
def test_cli_refuses_useless_permutation_counts(province_table, tmp_path, capsys, count, message):
    """The API's InputError reaches the terminal as one message and exit status 2 (the old CLI
    drew all-grey LISA maps for 0, and ran out of memory for 999999999)."""
    import re
    import time

    # uncorrected, as the counts below (the default is FDR since issue 15)
    argv = ["analyze", province_table, "--level", "province", "--columns",
            "rd_exp_total_10k_yuan", "--permutations", count, "--out", str(tmp_path / "out"),
            "--correction", "none", "--quiet", "--lang", "en"]  # fmt: skip
    start = time.perf_counter()
    with memory_capped():
        status = cli.main(argv)
    assert status == 2 and time.perf_counter() - start < 30
    err = capsys.readouterr().err
    assert err.startswith("spatialinno: error: ") and re.search(message, err), err


def test_reused_draws_give_the_same_results_as_fresh_draws(prov) -> None:
    """Issue 15 (speed): inside ``reused_draws`` the permutations of one seed are made once and
    handed to every test of the same number of units; Moran's I and the spatial Gini of several
    columns must come out exactly as when each test draws its own, in any order, and the shared
    draws must really be shared (one entry per seed and count)."""
    from spatialinno.measures import arrangements

    w = si.spatial_weights(prov)
    cols = {"v": prov["v"], "w": prov["v"].rank() ** 2, "u": np.log1p(prov["v"].abs())}
    g = prov.assign(**cols)

    def run() -> list:
        out = []
        for c in cols:
            out.append(si.moran(g, c, w=w, permutations=999, seed=3))
            out.append(si.spatial_gini(g, c, w=w, permutations=999, seed=3))
        out.append(si.moran(g, "v", w=w, permutations=499, seed=4))
        return out

    fresh = run()
    seen = []
    real = arrangements._Draws

    class Counting(real):
        def __init__(self, max_bytes: int) -> None:
            super().__init__(max_bytes)
            seen.append(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(arrangements, "_Draws", Counting)
        with arrangements.reused_draws():
            shared = run()
    assert shared == fresh
    # seed 3 x 999 on n units (Moran and spatial Gini share it) and seed 4 x 499: two draws
    assert len(seen) == 1 and len(seen[0].permutations) == 2
    # a budget too small for the draws: every test draws as usual, same results again
    with arrangements.reused_draws(max_bytes=1):
        assert run() == fresh
