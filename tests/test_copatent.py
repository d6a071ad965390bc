"""si.copatent_network: raw co-applicant records -> CityNetwork, on pandas, files and dask.

The network is checked against an independent path: the addresses located with the public
``si.locate``, then pairs formed per patent with plain Python sets, weights summed with
``fractions.Fraction`` (exact), graphs built and measured with networkx, tiers with mapclassify.
The bundled sample is synthetic (``tests/reference/build_copatent_sample.py``, documented in
``_data/datasets/SOURCES.md``); the air routes are real (OpenFlights, ODbL).
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections import defaultdict
from fractions import Fraction
from importlib.resources import files
from pathlib import Path

import mapclassify
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from helpers_chromium import render, requires_chromium

import spatialinno as si
from spatialinno.records import sources
from spatialinno.records.locate import HOW_LOCATED

REF = Path(__file__).parent / "reference"
# mapclassify's FisherJenks without numba: correct, only slower
pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed:UserWarning")
SAMPLE = files("spatialinno").joinpath("_data", "datasets", "copatent_sample_2012_2023.csv")


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    with SAMPLE.open("rb") as fh:
        return pd.read_csv(fh, dtype={"patent": str, "true_prefecture_code": str})


@pytest.fixture(scope="module")
def net(sample) -> si.CityNetwork:
    return si.copatent_network(sample, applicant="applicant")


# --------------------------------------------------------------------------------------------
# the independent path
# --------------------------------------------------------------------------------------------
def _independent(records: pd.DataFrame, counting: str, applicant: str | None = "applicant"):
    """Edges {(year, a, b): (weight as Fraction, n_patents)}, same-city counts, per-patent sets."""
    got = si.locate(records["address"])
    located = got["how"].isin(HOW_LOCATED)
    members: dict[str, dict] = defaultdict(dict)
    year_of = {}
    for i, row in enumerate(records.itertuples(index=False)):
        year_of.setdefault(row.patent, row.year)
        who = getattr(row, applicant) if applicant else i
        code = got["prefecture_code"].iloc[i] if located.iloc[i] else None
        if members[row.patent].get(who) is None:  # listed twice: counts once, located if it can
            members[row.patent][who] = code
    edges: dict[tuple, list] = defaultdict(lambda: [Fraction(0), 0])
    same: dict[tuple, int] = defaultdict(int)
    kept = 0
    for patent, who in members.items():
        codes = [c for c in who.values() if c is not None]
        if len(codes) < 2:
            continue
        kept += 1
        cities = sorted(set(codes))
        for c in cities:
            if codes.count(c) >= 2:
                same[(year_of[patent], c)] += 1
        pairs = list(itertools.combinations(cities, 2))
        for a, b in pairs:
            e = edges[(year_of[patent], a, b)]
            e[0] += Fraction(1, len(pairs)) if counting == "fractional" else 1
            e[1] += 1
    return edges, same, kept


def _graphs(edges: dict) -> dict[int, nx.Graph]:
    graphs: dict[int, nx.Graph] = defaultdict(nx.Graph)
    for (year, a, b), (w, _) in edges.items():
        graphs[year].add_edge(a, b, weight=float(w), distance=1.0 / float(w))
    return graphs


def _tiers(strength: dict[str, float]) -> dict[str, str]:
    values = np.array(list(strength.values()))
    bins = mapclassify.FisherJenks(values, k=3).bins
    return {
        c: ("auxiliary", "key", "core")[int(np.searchsorted(bins, v))] for c, v in strength.items()
    }


def _check_against_networkx(net: si.CityNetwork, graphs: dict) -> None:
    summary = net.summary().set_index("year")
    for year, g in graphs.items():
        assert summary.loc[year, "nodes"] == g.number_of_nodes()
        assert summary.loc[year, "edges"] == g.number_of_edges()
        assert summary.loc[year, "density"] == pytest.approx(nx.density(g), rel=1e-12)
        c = net.centrality(year).set_index("code")
        strength = dict(g.degree(weight="weight"))
        btw = nx.betweenness_centrality(g)
        for code in g.nodes:
            assert c.loc[code, "degree"] == g.degree(code)
            assert c.loc[code, "weighted_degree"] == pytest.approx(strength[code], rel=1e-12)
            assert c.loc[code, "betweenness"] == pytest.approx(btw[code], rel=1e-9, abs=1e-12)
        if len(set(strength.values())) >= 3:
            assert c["tier"].to_dict() == _tiers(strength)


# --------------------------------------------------------------------------------------------
# the study's network on the bundled sample
# --------------------------------------------------------------------------------------------
def test_sample_addresses_locate_to_the_generators_truth(sample) -> None:
    got = si.locate(sample["address"])
    located = got["how"].isin(HOW_LOCATED)
    assert located.mean() >= 0.99
    assert (
        got.loc[located, "prefecture_code"] == sample.loc[located, "true_prefecture_code"]
    ).all()
    assert set(got.loc[~located, "how"]) <= {"ambiguous", "defunct"}


@pytest.mark.parametrize("counting", ["full", "fractional"])
def test_sample_network_equals_the_independent_path(sample, counting) -> None:
    net = si.copatent_network(sample, applicant="applicant", counting=counting)
    edges, same, kept = _independent(sample, counting)
    assert net.years == list(range(2012, 2024))
    got = net.to_frames()[1]
    got_edges = {
        (y, *sorted((s, t))): (w, n)
        for y, s, t, w, n in got[["year", "source", "target", "weight", "n_records"]].itertuples(
            index=False
        )
    }
    assert set(got_edges) == set(edges)
    for key, (w, n) in edges.items():
        assert got_edges[key][0] == pytest.approx(float(w), rel=1e-12)
        assert got_edges[key][1] == n
    assert net.report.n_kept == kept
    report_same = {
        (y, c): n
        for y, c, n in net.report.same_city[["year", "code", "n_patents"]].itertuples(index=False)
    }
    assert report_same == dict(same)
    per_year = net.report.per_year.set_index("year")
    assert per_year["edges"].sum() == len(edges)
    total = sum(float(w) for w, _ in edges.values())
    assert per_year["weight"].sum() == pytest.approx(total, rel=1e-12)
    if counting == "fractional":  # every inter-city patent weighs 1
        assert per_year["weight"].to_numpy() == pytest.approx(per_year["inter_city"].to_numpy())
    else:
        assert (per_year["weight"] == per_year["pairs"]).all()
    _check_against_networkx(net, _graphs(edges))


def test_study_measures_on_the_air_routes() -> None:
    air = si.load_dataset("air_routes_2014")
    net = si.city_network(air, "gb_o", "gb_d", weight="n_route_records", year="year")
    g = nx.Graph()
    for o, d, w in air[["gb_o", "gb_d", "n_route_records"]].itertuples(index=False):
        a, b = o[3:], d[3:]  # "156" + code
        if a != b:
            w0 = g[a][b]["weight"] if g.has_edge(a, b) else 0.0
            g.add_edge(a, b, weight=w0 + w, distance=1.0 / (w0 + w))
    _check_against_networkx(net, {2014: g})


def test_report_counts_of_the_sample(net, sample) -> None:
    r = net.report
    assert r.n_records == len(sample)
    assert r.n_patents == sample["patent"].nunique()
    dedup = sample.drop_duplicates(["patent", "applicant"])
    assert r.n_applicants == len(dedup)
    assert r.n_located + r.applicants.loc[~r.applicants["located"], "n"].sum() == r.n_applicants
    assert r.per_year["patents"].sum() == r.n_patents
    assert r.dropped["n_patents"].sum() + r.n_kept == r.n_patents
    assert set(r.examples["how"]) <= {"ambiguous", "defunct"}
    assert "patents" in repr(r) and r.to_frame().loc[0, "n_kept"] == r.n_kept


def test_the_sample_is_reproducible_from_its_generator(tmp_path) -> None:
    out = tmp_path / "s.csv"
    code = (
        f"import sys; sys.path.insert(0, {str(REF)!r}); import build_copatent_sample as b; "
        f"b.build().to_csv({str(out)!r}, index=False, lineterminator='\\n')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)
    assert out.read_bytes() == SAMPLE.read_bytes()


# --------------------------------------------------------------------------------------------
# rules on small tables
# --------------------------------------------------------------------------------------------
RECORDS = pd.DataFrame(
    {
        "patent": ["P1", "P1", "P2", "P2", "P2", "P3", "P3", "P4", "P5", "P5", "P6", "P6"],
        "address": [
            "广东省深圳市南山区",
            "北京市海淀区",
            "深圳市福田区",
            "上海市浦东新区",
            "北京海淀",
            "广东省深圳市",
            "深圳市龙岗区",
            "广州市",
            "鼓楼区",
            "南京市",
            "北京市",
            None,
        ],
        "year": [2020, 2020, 2021, 2021, 2021, 2021, 2021, 2021, 2022, 2022, 2022, 2022],
    }
)


def test_pairs_self_links_and_drops() -> None:
    net = si.copatent_network(RECORDS)
    edges = net.to_frames()[1]
    assert edges[["year", "source", "target", "weight", "n_records"]].values.tolist() == [
        [2020, "110000", "440300", 1.0, 1],
        [2021, "110000", "310000", 1.0, 1],
        [2021, "110000", "440300", 1.0, 1],
        [2021, "310000", "440300", 1.0, 1],
    ]
    r = net.report
    # P3: two applicants in 深圳 -> same-city collaboration, no edge, no self-loop
    assert r.same_city[["year", "code", "n_patents"]].values.tolist() == [[2021, "440300", 1]]
    assert all(not g.has_edge(n, n) for g in net.graphs.values() for n in g)
    assert r.dropped.set_index("reason")["n_patents"].to_dict() == {
        "single_applicant": 1,  # P4
        "under_two_located": 2,  # P5 (鼓楼区 ambiguous), P6 (no address)
    }
    assert r.applicants.set_index("how")["n"].to_dict()["ambiguous"] == 1
    assert r.examples.values.tolist()[0] == ["ambiguous", "鼓楼区"]
    assert net.years == [2020, 2021, 2022] and net.graph(2022).number_of_edges() == 0
    assert r.per_year["pairs"].tolist() == [1, 3, 0]


def test_fractional_counting_shares_one_unit_per_patent() -> None:
    net = si.copatent_network(RECORDS, counting="fractional")
    g = net.graph(2021)
    assert g["110000"]["310000"]["weight"] == pytest.approx(1 / 3)
    assert g["110000"]["310000"]["n_records"] == 1
    assert g["110000"]["310000"]["distance"] == pytest.approx(3.0)


def test_wide_form_equals_long_form() -> None:
    long = si.copatent_network(RECORDS)
    grouped = RECORDS.groupby("patent", sort=False).agg(
        address=("address", list), year=("year", "first")
    )
    wide_lists = si.copatent_network(grouped.reset_index())
    text = grouped.assign(
        address=grouped["address"].map(
            lambda a: ";".join(x if isinstance(x, str) else "" for x in a)
        )
    )
    wide_text = si.copatent_network(text.reset_index(), sep=";")
    for other in (wide_lists, wide_text):
        assert other.to_frames()[1].equals(long.to_frames()[1])
        assert other.report.same_city.equals(long.report.same_city)


def test_repeated_applicant_counts_once() -> None:
    rec = pd.DataFrame(
        {
            "patent": ["P1", "P1", "P1"],
            "applicant": ["甲公司", "甲公司", "乙公司"],
            "address": ["深圳市南山区", "深圳市南山区", "北京市"],
            "year": [2020] * 3,
        }
    )
    with_names = si.copatent_network(rec, applicant="applicant")
    assert with_names.report.same_city.empty and with_names.report.n_applicants == 2
    without = si.copatent_network(rec)
    assert len(without.report.same_city) == 1 and without.report.n_applicants == 3


def test_without_year_one_network() -> None:
    net = si.copatent_network(RECORDS.drop(columns="year"), year=None)
    assert net.years == [None]
    assert net.graph()["110000"]["440300"]["weight"] == 2.0
    assert net.report.per_year["year"].tolist() == [None]


def test_county_level() -> None:
    net = si.copatent_network(RECORDS, level="county")
    assert net.level == "county"
    assert net.graph(2020).has_edge("110108", "440305")


def test_errors_name_the_column_and_row() -> None:
    with pytest.raises(si.ColumnError, match=r"'adres'.*available columns: patent, address, year"):
        si.copatent_network(RECORDS, address="adres")
    bad = RECORDS.copy()
    bad.loc[3, "patent"] = None
    with pytest.raises(si.InputError, match="patent column 'patent' is empty at row\\(s\\) 3"):
        si.copatent_network(bad)
    bad = RECORDS.astype({"year": object})
    bad.loc[5, "year"] = "2021年"
    with pytest.raises(si.InputError, match="'2021年' at row\\(s\\) 5"):
        si.copatent_network(bad)
    with pytest.raises(si.InputError, match="counting must be"):
        si.copatent_network(RECORDS, counting="half")
    with pytest.raises(si.InputError, match="records must be"):
        si.copatent_network({"patent": []})
    with pytest.raises(si.InputError, match="no CSV or Parquet file matches"):
        si.copatent_network("/nonexistent/*.csv")


def test_missing_dask_names_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(si.OptionalDependencyError, match='pip install "spatialinno\\[dask\\]"'):
        si.copatent_network(RECORDS, engine="dask")
    # one class, in the package's error module, caught as an ImportError and a SpatialinnoError
    from spatialinno._errors import OptionalDependencyError

    assert si.OptionalDependencyError is OptionalDependencyError
    assert issubclass(OptionalDependencyError, ImportError)
    assert issubclass(OptionalDependencyError, si.SpatialinnoError)


# --------------------------------------------------------------------------------------------
# the same result on every engine
# --------------------------------------------------------------------------------------------
def _same(a: si.CityNetwork, b: si.CityNetwork) -> None:
    assert a.years == b.years
    assert a.to_frames()[1].equals(b.to_frames()[1])  # exact: same floats, same order
    for name in ("per_year", "applicants", "same_city", "dropped"):
        assert getattr(a.report, name).equals(getattr(b.report, name)), name
    assert a.report.n_records == b.report.n_records


@pytest.fixture(scope="module")
def shuffled(sample) -> pd.DataFrame:
    # rows of one patent far apart: chunks and partitions must not assume they are together
    return sample.sample(frac=1.0, random_state=7).reset_index(drop=True)


@pytest.mark.parametrize("counting", ["full", "fractional"])
def test_files_in_chunks_equal_pandas(shuffled, tmp_path, monkeypatch, counting) -> None:
    ref = si.copatent_network(shuffled, applicant="applicant", counting=counting)
    for i in range(3):
        shuffled.iloc[i::3].to_csv(tmp_path / f"part{i}.csv", index=False)
    monkeypatch.setattr(sources, "_ROWS_PER_BUCKET", 1500)  # several buckets
    assert sources._n_buckets(sources.resolve_paths(str(tmp_path / "part*.csv"))) == 4
    got = si.copatent_network(
        str(tmp_path / "part*.csv"), applicant="applicant", counting=counting, chunksize=700
    )
    _same(ref, got)


def test_parquet_files_equal_pandas(shuffled, tmp_path, monkeypatch) -> None:
    pytest.importorskip("pyarrow")
    ref = si.copatent_network(shuffled, applicant="applicant", counting="fractional")
    shuffled.iloc[:3000].to_parquet(tmp_path / "a.parquet")
    shuffled.iloc[3000:].to_parquet(tmp_path / "b.parquet")
    monkeypatch.setattr(sources, "_ROWS_PER_BUCKET", 1000)
    got = si.copatent_network(tmp_path, applicant="applicant", counting="fractional", chunksize=999)
    _same(ref, got)


@pytest.mark.slow
def test_dask_on_a_local_cluster_equals_pandas(shuffled) -> None:
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    ref = si.copatent_network(shuffled, applicant="applicant", counting="fractional")
    # two workers in this process (processes=False): real distributed scheduling without the
    # start-up cost of two worker processes on the shared CI machine
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        got = si.copatent_network(
            dd.from_pandas(shuffled, npartitions=4), applicant="applicant", counting="fractional"
        )
        assert len(client.scheduler_info()["workers"]) == 2
    _same(ref, got)


# --------------------------------------------------------------------------------------------
# the network is complete enough for the existing map
# --------------------------------------------------------------------------------------------
@requires_chromium
def test_network_map_of_the_copatent_network(net, tmp_path) -> None:
    m = si.network_map(net, year=2023, lang="en")
    page = tmp_path / "copatent.html"
    m.save(str(page))
    r = render(page, path_classes=("si-node", "si-edge"))
    assert r["console_errors"] == [] and r["exceptions"] == []
    assert r["failed_requests"] == [] and r["requests"] == []
    g = net.graph(2023)
    assert r["paths_by_class"]["si-node"] == g.number_of_nodes()
    assert r["paths_by_class"]["si-edge"] == g.number_of_edges()
    assert "co-patent records, full counting" in r["legend_text"]
