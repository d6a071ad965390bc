"""Every statistic that takes ``w=`` checks the graph against the frame (issue 13, item 3).

Weights go by row position. A graph used with a frame whose rows are not the ones it was built on
gives each region somebody else's neighbours: on the bundled census (popu_2020, prefectures)
Moran's I went from 0.257 to 0.86 and 144 LISA labels changed when the frame was re-sorted, with
no error. Here every kind of graph a user may pass -- si.spatial_weights (and its transform / copy
/ W round trip), libpysal graphs keyed by the frame's index or by codes, libpysal W -- meets
re-sorted, subset, re-coded and duplicated-index frames, and every statistic with ``w=`` refuses a
mismatch with a WeightsError that names the first rows that differ, or gives the same result as on
the aligned frame.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from libpysal.graph import Graph

import spatialinno as si
from spatialinno import WeightsError

# the census has 16 regions without a value: every call warns about them (tested elsewhere)
pytestmark = pytest.mark.filterwarnings("ignore::spatialinno._errors.DataWarning")


@pytest.fixture(scope="module")
def census() -> gpd.GeoDataFrame:
    table = si.load_dataset("city_census")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return si.join_indicators(table, "prefecture", on_unmatched="ignore")


@pytest.fixture(scope="module")
def w(census: gpd.GeoDataFrame) -> Graph:
    return si.spatial_weights(census)


def statistics(frame: pd.DataFrame, w) -> dict:
    """Every function of the package that takes w=, run on popu_2020 (and popu_2010)."""
    col = "popu_2020"
    return {
        "moran": lambda: si.moran(frame, col, w=w, permutations=99, seed=0),
        "geary": lambda: si.geary(frame, col, w=w, permutations=99, seed=0),
        "bivariate_moran": lambda: si.bivariate_moran(
            frame, col, "popu_2010", w=w, permutations=99, seed=0
        ),
        "moran_by_year": lambda: si.moran_by_year(
            frame.assign(year=2020), col, w=w, permutations=99, seed=0
        ),
        "lisa": lambda: si.lisa(frame, col, w=w, permutations=99, seed=0),
        "hotspots": lambda: si.hotspots(frame, col, w=w),
        "hotspots permutation": lambda: si.hotspots(
            frame, col, w=w, inference="permutation", permutations=99, seed=0
        ),
        "spatial_gini": lambda: si.spatial_gini(frame, col, w=w, permutations=99, seed=0),
        "weights_report": lambda: si.weights_report(w, frame),
    }


def run_all(frame: pd.DataFrame, w) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {name: call() for name, call in statistics(frame, w).items()}


def refuse_all(frame: pd.DataFrame, w, match: str) -> None:
    for name, call in statistics(frame, w).items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(WeightsError, match=match):
                call()
                pytest.fail(f"{name} accepted a misaligned w")


def variants(g: Graph) -> dict:
    """The same graph as a user may hand it over: transformed, copied, as a W and back."""
    return {
        "as built": g,
        "transform('r')": g.transform("r"),
        "transform('b')": g.transform("r").transform("b"),
        "copy()": g.copy(),
        "to_W()": g.to_W(),
        "Graph.from_W(to_W())": Graph.from_W(g.to_W()),
    }


# ----------------------------------------------------------------------------------------------
# graphs from si.spatial_weights
# ----------------------------------------------------------------------------------------------


def test_issue_case_re_sorted_census_is_refused(census, w) -> None:
    assert pytest.approx(0.257138, abs=1e-6) == si.moran(census, "popu_2020", w=w, permutations=0).I
    resorted = census.sort_values("popu_2020")
    for g in variants(w).values():
        refuse_all(
            resorted,
            g,
            r"w does not fit this frame: .* in another order: row 0 of this frame is 三沙市 "
            r"\(460300\), where w was built with 北京市 \(110000\) \(\d+ of 375 rows differ",
        )
        # re-sorted and renumbered: the index says nothing, the codes still do
        refuse_all(resorted.reset_index(drop=True), g, "in another order: row 0 of this frame")


def test_aligned_frame_gives_identical_results_through_every_variant(census, w) -> None:
    ref = run_all(census, w)
    for what, g in variants(w).items():
        got = run_all(census, g)  # row-standardising again moves I in the last digit only
        assert (got["moran"].I, got["moran"].z) == pytest.approx((ref["moran"].I, ref["moran"].z))
        assert got["moran"].p_sim == ref["moran"].p_sim, what
        assert got["spatial_gini"] == ref["spatial_gini"], what
        pd.testing.assert_series_equal(got["lisa"]["lisa_p"], ref["lisa"]["lisa_p"])
        pd.testing.assert_series_equal(got["hotspots"]["gi_z"], ref["hotspots"]["gi_z"])
    # the codes moved to the index are still the codes
    again = si.moran(census.set_index("code"), "popu_2020", w=w, permutations=99, seed=0)
    assert (again.I, again.z, again.p_sim) == (ref["moran"].I, ref["moran"].z, ref["moran"].p_sim)


def test_subset_frame_is_refused_naming_the_rows(census, w) -> None:
    with_data = census.dropna(subset=["popu_2020"])
    refuse_all(
        with_data,
        w,
        r"w has 375 units but the frame has 359 rows: w was built by si.spatial_weights on a "
        r"frame of 375 rows \(by code column: 16 of its regions are not in this frame \(first: ",
    )
    # and the message says that missing values need not be dropped
    with pytest.raises(WeightsError, match="statistics leave them out with their links"):
        si.moran(with_data, "popu_2020", w=w)


def test_other_regions_in_the_same_number_are_refused(census, w) -> None:
    recoded = census.copy()
    recoded.loc[5, "code"] = "999999"
    refuse_all(
        recoded,
        w,
        r"other regions \(by code column: 1 row\(s\) of this frame were not in it \(first: "
        rf"{census.loc[5, 'name']} \(999999\)\); 1 of its regions are not in this frame",
    )


def test_duplicated_index_is_checked_by_codes(census, w) -> None:
    dup = census.copy()
    dup.index = np.arange(len(dup)) // 2  # labels 0 0 1 1 2 2 ...
    assert si.moran(dup, "popu_2020", w=w, permutations=99, seed=0) == si.moran(
        census, "popu_2020", w=w, permutations=99, seed=0
    )
    refuse_all(dup.iloc[::-1], w, "in another order: row 0 of this frame")
    # a graph built on the duplicated-index frame itself works on it
    w_dup = si.spatial_weights(dup)
    assert pytest.approx(0.257138, 1e-6) == si.moran(dup, "popu_2020", w=w_dup, permutations=0).I


def test_multiindex_frame(census, w) -> None:
    """A MultiIndex is no obstacle: the codes decide (their text, for a graph keyed by it)."""
    multi = census.set_index(["province_code", "name"], drop=False)
    assert pytest.approx(0.257138, 1e-6) == si.moran(multi, "popu_2020", w=w, permutations=0).I
    refuse_all(multi.iloc[::-1], w, "in another order: row 0 of this frame")


def test_long_frame_year_in_another_order_is_refused(census, w) -> None:
    long = pd.concat(
        [census.assign(year=2019), census.iloc[::-1].assign(year=2020)], ignore_index=True
    )
    with pytest.raises(WeightsError, match=r"year 2020: w does not fit this frame"):
        si.moran_by_year(long, "popu_2020", w=w, permutations=0)
    ordered = pd.concat([census.assign(year=t) for t in (2019, 2020)], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trend = si.moran_by_year(ordered, "popu_2020", w=w, permutations=0)
    assert trend["I"].round(6).tolist() == [0.257138, 0.257138]


def test_islands_drop_graph_is_checked_too(census) -> None:
    w_drop = si.spatial_weights(census, islands="drop")
    ok = si.moran(census, "popu_2020", w=w_drop, permutations=0)
    # 359 regions have a value; 舟山 and 三沙 (islands, with values) are outside the graph
    # (台湾, the third island, has no value)
    assert ok.n == 357
    refuse_all(census.sort_values("name"), w_drop.transform("r"), "in another order")


def test_frame_without_codes_is_checked_by_index(census) -> None:
    plain = census.drop(columns=["code"])
    w_plain = si.spatial_weights(plain)
    base = si.moran(plain, "popu_2020", w=w_plain.transform("r"), permutations=0)
    assert pytest.approx(0.257138, abs=1e-6) == base.I
    with pytest.raises(WeightsError, match=r"in another order: row 0 of this frame is 三沙市"):
        si.moran(plain.sort_values("popu_2020"), "popu_2020", w=w_plain.transform("r"))


# ----------------------------------------------------------------------------------------------
# graphs the user built
# ----------------------------------------------------------------------------------------------


def test_user_graph_keyed_by_the_index(census) -> None:
    user = Graph.build_contiguity(census, rook=False)  # ids = the frame's index
    assert (user.unique_ids == census.index).all()
    keep = si.spatial_weights(census, islands="keep")
    ref = si.moran(census, "popu_2020", w=keep, permutations=0)
    for g in (user, user.transform("r"), user.to_W()):
        assert pytest.approx(ref.I) == si.moran(census, "popu_2020", w=g, permutations=0).I
        refuse_all(
            census.sort_values("popu_2020"),
            g,
            # identical link for link to si.spatial_weights(census, islands="keep"), so it is
            # also known by the rows that graph was built on
            r"(the frame's index in a different order \(|in another order: )row 0 of this frame "
            r"is 三沙市 \(460300\)",
        )


def test_user_graph_keyed_by_codes(census) -> None:
    by_code = Graph.build_contiguity(census.set_index("code").geometry, rook=False)
    keep = si.spatial_weights(census, islands="keep")
    ref = si.moran(census, "popu_2020", w=keep, permutations=0)
    for g in (by_code, by_code.transform("r"), by_code.to_W()):
        assert pytest.approx(ref.I) == si.moran(census, "popu_2020", w=g, permutations=0).I
        resorted = census.sort_values("popu_2020")
        refuse_all(resorted, g, "the ids of w are the frame's code column in a different order")
        refuse_all(resorted.reset_index(drop=True), g, "code column in a different order")
        # a subset frame: the rows missing from it are named
        refuse_all(
            census.iloc[:300],
            g,
            r"w has 375 units but the frame has 300 rows; .*By the frame's code column: "
            r"75 id\(s\) of w are not in the frame \(first: ",
        )
        recoded = census.copy()
        recoded.loc[5, "code"] = "999999"
        refuse_all(
            recoded,
            g,
            r"the ids of w are region codes, but 1 of them are not in the frame's code column "
            rf"\(first: {census.loc[5, 'code']}\)",
        )


def test_user_positional_graph_is_aligned_by_position(census) -> None:
    """Ids 0..n-1 are positions (the documented contract), whatever the frame's index is --
    unless the index is 0..n-1 in another order, which is ambiguous and refused."""
    subset = census.iloc[100:200]  # index 100..199
    pos = Graph.build_contiguity(subset.reset_index(drop=True), rook=False)
    by_index = Graph.build_contiguity(subset, rook=False)
    a = si.moran(subset, "popu_2020", w=pos, permutations=0)
    b = si.moran(subset, "popu_2020", w=by_index, permutations=0)
    assert pytest.approx(b.I, rel=1e-12) == a.I
    shuffled = census.sample(frac=1.0, random_state=3)  # index a permutation of 0..374
    with pytest.raises(WeightsError, match=r"index in a different order|in another order"):
        si.moran(shuffled, "popu_2020", w=Graph.build_contiguity(census, rook=False))


@pytest.mark.parametrize("level", ["province", "prefecture"])
def test_every_graph_spatial_weights_builds_is_recognised(level: str) -> None:
    """The record is keyed by the digest of the CSR pattern computed from the links while
    building; it must be the digest found from the Graph (and its transforms) later."""
    from spatialinno.measures.alignment import _BUILT, _fingerprint

    layer = si.load_boundaries(level)
    for kwargs in ({}, {"islands": "keep"}, {"islands": "drop"}, {"kind": "rook"},
                   {"kind": "knn", "k": 4}, {"kind": "distance", "distance": 300}):  # fmt: skip
        g = si.spatial_weights(layer, **kwargs)
        for variant in (g, g.transform("r"), Graph.from_W(g.to_W())):
            key = _fingerprint(pd.Index(variant.unique_ids), variant.sparse.tocsr())
            assert key in _BUILT, (level, kwargs)
        with pytest.raises(WeightsError, match="in another order"):
            si.moran(layer.iloc[::-1].assign(v=np.arange(len(layer))), "v", w=g)


@pytest.mark.parametrize("build", ["spatial_weights", "spatial_links"])
def test_a_record_by_index_cannot_vouch_for_a_frame_whose_codes_differ(build) -> None:
    """The same links built once on a frame with codes and once on one without: a shuffled
    frame renumbered 0..n-1 has the second frame's index, but its codes show the new order."""
    from spatialinno.measures import weights as weights_module

    make = getattr(weights_module, build)
    prov = si.load_boundaries("province")
    prov["v"] = np.arange(34.0)
    w = make(prov)
    shuffled = prov.sample(frac=1, random_state=1).reset_index(drop=True)
    make(prov.drop(columns="code"))  # a record of the same links, rows known by index only
    with pytest.raises(WeightsError, match=r"w does not fit this frame: .* in another order"):
        si.moran(shuffled, "v", w=w)
    # the frame without codes is still checked by its index, and the original frame passes
    assert si.moran(prov, "v", w=w).I == si.moran(prov.drop(columns="code"), "v", w=w).I
