"""Links: the workflow's weights without libpysal (issue 15, speed of the main job).

``spatial_links`` builds the same adjacency as ``spatial_weights`` from the same builder; the
statistics read both the same way. Checked here: equal to libpysal's ``Graph`` entry for entry
(islands' explicit zeros included) on every bundled level and kind; every statistic that takes
``w=`` gives the same numbers; the alignment checks refuse a misaligned frame with the same
message; and a command-line run on a bundled layer never imports libpysal.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import spatialinno as si
from spatialinno import WeightsError
from spatialinno.measures.links import Links
from spatialinno.measures.weights import spatial_links

pytestmark = pytest.mark.filterwarnings("ignore::spatialinno._errors.DataWarning")

CASES = [
    ("province", {}),
    ("province", {"kind": "rook"}),
    ("province", {"kind": "knn", "k": 3}),
    ("province", {"kind": "distance", "distance": 600.0}),
    ("province", {"islands": "keep"}),
    ("province", {"islands": "drop"}),
    ("prefecture", {}),
    ("prefecture", {"islands": "keep"}),
    ("prefecture", {"islands": "drop"}),
    ("prefecture", {"kind": "rook", "islands": "drop"}),
    ("county", {}),
]


def rep_source(graph, layer) -> str:
    return si.weights_report(graph, layer).source


def _same_matrix(a, b) -> None:
    a, b = a.tocsr(), b.tocsr()
    assert a.shape == b.shape
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.data, b.data)  # explicit zeros (islands) included


@pytest.mark.parametrize(("level", "kw"), CASES, ids=[f"{lv}-{kw}" for lv, kw in CASES])
def test_links_equal_the_graph_entry_for_entry(level, kw) -> None:
    layer = si.load_boundaries(level)
    links, graph = spatial_links(layer, **kw), si.spatial_weights(layer, **kw)
    np.testing.assert_array_equal(links.unique_ids, np.asarray(graph.unique_ids))
    _same_matrix(links.sparse, graph.sparse)
    _same_matrix(links.to_graph().sparse, graph.sparse)
    assert si.weights_report(links.to_graph(), layer).source == rep_source(graph, layer)
    rep_l, rep_g = si.weights_report(links, layer), si.weights_report(graph, layer)
    assert (rep_l.kind, rep_l.source, rep_l.islands, rep_l.dropped) == (
        rep_g.kind,
        rep_g.source,
        rep_g.islands,
        rep_g.dropped,
    )
    pd.testing.assert_frame_equal(rep_l.to_frame(), rep_g.to_frame())


def test_islands_are_zero_self_links_as_in_libpysal() -> None:
    layer = si.load_boundaries("prefecture")
    links = spatial_links(layer, islands="keep")
    graph = si.spatial_weights(layer, islands="keep")
    assert links.n_links == np.count_nonzero(graph.sparse.data) == 1958
    assert repr(links) == "<Links: 375 units, 1958 links, 3 islands>"
    lonely = links.focal[links.weight == 0]
    assert sorted(layer["name"].iloc[lonely]) == ["三沙市", "台湾省", "舟山市"]
    assert np.array_equal(links.focal[links.weight == 0], links.neighbor[links.weight == 0])


@pytest.fixture(scope="module")
def census() -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return si.join_indicators(si.load_dataset("city_census"), "prefecture")


def _numbers(frame: pd.DataFrame, w) -> dict:
    col = "popu_2020"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = si.moran(frame, col, w=w, permutations=199, seed=3)
        g = si.geary(frame, col, w=w, permutations=199, seed=3)
        sg = si.spatial_gini(frame, col, w=w, permutations=199, seed=3)
        li = si.lisa(frame, col, w=w, permutations=199, seed=3)
        hot = si.hotspots(frame, col, w=w)
    return {
        "moran": m.to_frame(),
        "geary": g.to_frame(),
        "spatial_gini": sg.to_frame(),
        "lisa": li.drop(columns="geometry").reset_index(drop=True),
        "hotspots": hot.drop(columns="geometry").reset_index(drop=True),
    }


def test_every_statistic_gives_the_same_numbers_with_links_and_graph(census) -> None:
    a, b = _numbers(census, spatial_links(census)), _numbers(census, si.spatial_weights(census))
    # the census's I (checked against spdep elsewhere)
    assert a["moran"]["I"].iloc[0] == pytest.approx(0.257138, abs=1e-6)
    assert a["moran"]["p_sim"].iloc[0] < 0.01
    for key, frame in a.items():
        pd.testing.assert_frame_equal(frame, b[key], check_exact=True, obj=key)


def test_links_on_a_re_sorted_frame_are_refused_as_a_graph_is(census) -> None:
    links = spatial_links(census)
    resorted = census.sort_values("popu_2020")
    expected = (
        r"w does not fit this frame: .* in another order: row 0 of this frame is 三沙市 "
        r"\(460300\), where w was built with 北京市 \(110000\)"
    )
    for call in (
        lambda: si.moran(resorted, "popu_2020", w=links, permutations=9),
        lambda: si.lisa(resorted, "popu_2020", w=links, permutations=9),
        lambda: si.spatial_gini(resorted, "popu_2020", w=links, permutations=9),
        lambda: si.weights_report(links, resorted),
    ):
        with pytest.raises(WeightsError, match=expected):
            call()


def test_a_frame_of_other_size_is_refused() -> None:
    layer = si.load_boundaries("province")
    links = spatial_links(layer)
    with pytest.raises(WeightsError, match="w has 34 units but the frame has 33 rows"):
        si.moran(layer.iloc[:33].assign(v=np.arange(33.0)), "v", w=links)


def test_links_are_immutable() -> None:
    links = spatial_links(si.load_boundaries("province"))
    with pytest.raises(AttributeError):
        links.unique_ids = np.arange(3)  # type: ignore[misc]
    assert isinstance(links, Links)


def test_a_run_on_a_bundled_layer_never_imports_libpysal(tmp_path) -> None:
    """The CLI's cross-section (weights, Moran, spatial Gini, LISA, Gi*, maps, layers) without
    libpysal, scipy.stats, scikit-learn or numba: 1.2-2 s of every run's start."""
    code = (
        "import sys, spatialinno as si\n"
        f"si.analyze(si.load_dataset('city_census'), 'prefecture', ['popu_2020'], {str(tmp_path / 'o')!r},"
        " permutations=99, on_unmatched='warn', jobs=1)\n"
        "print(sorted(m for m in ('libpysal', 'sklearn', 'numba', 'scipy.stats', 'esda')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
    assert (tmp_path / "o" / "results.gpkg").is_file()


def test_links_from_unsorted_arrays_are_sorted_by_position() -> None:
    f, nb, wt = np.array([1, 0, 2, 2]), np.array([0, 2, 0, 1]), np.array([1.0, 2.0, 3.0, 4.0])
    links = Links.from_arrays(f, nb, wt)
    assert links.unique_ids.tolist() == [0, 1, 2]  # ids are row positions, in order
    assert links.sparse.toarray().tolist() == [[0, 0, 2], [1, 0, 0], [3, 4, 0]]
    assert links.focal.tolist() == [0, 1, 2, 2] and links.neighbor.tolist() == [2, 0, 0, 1]
