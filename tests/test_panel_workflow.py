"""Panel mode of the command line (``spatialinno analyze ... --time year``, issue 18) and the
demo's network part (issue 19): the report's space-time and network sections hold the numbers of
the public functions called directly, the pages open cleanly in Chromium, bad input exits 2 with
one message, hostile column names stay text.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers_chromium import render, requires_chromium
from helpers_hostile import PWNED_JS, SCRIPT_PAYLOADS

import spatialinno as si
from spatialinno import cli
from spatialinno._progress import Progress
from spatialinno.workflow.networks import AIR, NETWORKS, network_part
from spatialinno.workflow.options import Options
from spatialinno.workflow.outputs import SummaryTable
from spatialinno.workflow.section import RunContext

COLUMN = "rd_exp_total_10k_yuan"


@pytest.fixture(scope="module")
def panel_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled provincial panel (2005-2024; R&D 2010-2023), year column named 年份."""
    p = si.load_dataset("province_panel")
    p = p[p["gb"] != "156000000"][["gb", "province", "year", COLUMN]]
    path = tmp_path_factory.mktemp("panel") / "panel.csv"
    p.rename(columns={"year": "年份"}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def run_out(panel_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    # the direct calls below test each province at alpha 0.05 (no correction); analyze corrects
    # with FDR by default since issue 15, so the run is told the correction it is compared with
    argv = ["analyze", str(panel_csv), "--level", "province", "--columns", COLUMN,
            "--time", "年份", "--permutations", "999", "--correction", "none",
            "--out", str(out), "--quiet"]  # fmt: skip
    assert cli.main(argv) == 0
    return out


@pytest.fixture(scope="module")
def long() -> pd.DataFrame:
    p = si.load_dataset("province_panel")
    p = p[(p["gb"] != "156000000") & p["year"].between(2010, 2023)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return si.join_indicators(p[["gb", "province", "year", COLUMN]], "province")


def _summary(out: Path) -> pd.DataFrame:
    s = pd.read_csv(out / "summary.csv", dtype=str, keep_default_na=False)
    s["value"] = pd.to_numeric(s["value"].replace("", np.nan))
    return s[s["section"] == "space_time"]


def test_time_mode_writes_the_space_time_section(run_out: Path, long: pd.DataFrame) -> None:
    files = sorted(p.name for p in run_out.iterdir())
    assert f"emerging_{COLUMN}.html" in files and f"gravity_{COLUMN}.html" in files
    s = _summary(run_out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # the same calls with the run's settings (queen weights, alpha 0.05, no correction, seed 0)
        ehsa = si.emerging_hotspots(long, COLUMN, seed=0)
        centers = si.gravity_center(long, COLUMN)
        sm = si.spatial_markov(long, COLUMN, k=4)
        tr = si.lisa_transitions(long, COLUMN, pairs="first-last", permutations=999, seed=0)
    # emerging hot spots: units per category (2005-2009 and 2024 have no R&D value: left out)
    em = s[s["measure"] == "emerging_units"].set_index("name")["value"]
    counts = ehsa["category"].value_counts()
    for cat, n in em.items():
        assert n == counts.get(cat, 0), cat
    assert em.sum() == 34 and counts.sum() == 34
    assert (counts.drop(["no pattern detected", "no data"]) > 0).any()  # something to show
    # centre of gravity, per year
    lon = s[s["measure"] == "center_lon"].set_index("group")["value"]
    assert list(lon.index) == [str(y) for y in range(2010, 2024)]
    np.testing.assert_allclose(lon.to_numpy(), centers["lon"].to_numpy(), rtol=1e-12)
    # spatial Markov: every conditional probability, the homogeneity tests
    mp = s[s["measure"] == "markov_p"]
    np.testing.assert_allclose(mp["value"].to_numpy(), sm.P.ravel(), atol=1e-15)
    q = s[s["measure"] == "markov_Q_p"]["value"].item()
    assert q == pytest.approx(sm.Q_p_value, rel=1e-12)
    # LISA transitions 2010 -> 2023: share of units whose cluster is stable
    stable = s[s["measure"] == "lisa_share_stable"]
    assert stable["group"].tolist() == ["2010->2023"]
    assert stable["value"].item() == pytest.approx(tr.stability["share_stable"].item())


def test_time_mode_report(run_out: Path) -> None:
    page = (run_out / "report.html").read_text("utf-8")
    assert "时空演化：2010–2023（14 年）" in page
    assert (
        "新兴热点类别" in page
        and "马尔可夫同质性检验" in page
        and "LISA 聚类转移 2010→2023" in page
    )
    assert f'src="emerging_{COLUMN}.html"' in page and f'src="gravity_{COLUMN}.html"' in page
    assert "新兴热点分析" in page and "空间马尔可夫链" in page  # method notes
    assert "· 2023" in page  # the cross-section: the last year with values
    # years without any value said in the report
    # (in the report's language, issue 15)
    assert "2005, 2006, 2007, 2008, 2009, 2024 年没有任何单元有数值" in page
    assert "no unit has a value" not in page


@requires_chromium
@pytest.mark.chromium
def test_time_mode_pages_open_cleanly_in_chromium(run_out: Path) -> None:
    for name in ("report.html", f"emerging_{COLUMN}.html", f"gravity_{COLUMN}.html"):
        r = render(run_out / name)
        assert r["console_errors"] == [] and r["exceptions"] == [], name
        assert r["failed_requests"] == [], name
        assert all(u.startswith("file://") for u in r["requests"]), r["requests"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--time", "jahr"], "--time column 'jahr' not found; available columns: gb, province"),
        # the file's row (1 is the header)
        (["--time", "province"], "--time column 'province' holds '北京' at row 2;"),
        (["--time", "年份", "--year", "1999"], "--year 1999 is not in the table"),
    ],
)
def test_time_mode_refuses_bad_input(argv, message, panel_csv, tmp_path, capsys) -> None:
    base = ["analyze", str(panel_csv), "--level", "province", "--columns", COLUMN]
    assert cli.main([*base, *argv, "--out", str(tmp_path / "o"), "--quiet", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()  # nothing written


def test_time_mode_refuses_fractional_years(tmp_path) -> None:
    p = si.load_dataset("province_panel")
    p = p[(p["gb"] != "156000000") & p["year"].between(2019, 2023)][["gb", "year", COLUMN]]
    p["year"] = p["year"].astype(float)
    p.loc[p.index[40], "year"] = 2020.5
    label = p.index[40]  # the DataFrame's own label of the row
    assert label != 40
    with pytest.raises(si.InputError, match=rf"holds 2020\.5 at row {label}; years must be whole"):
        si.analyze(p, "province", [COLUMN], tmp_path / "o", time="year")


def test_time_mode_needs_three_years(tmp_path) -> None:
    p = si.load_dataset("province_panel")
    two = p[(p["gb"] != "156000000") & p["year"].isin([2020, 2021])]
    with pytest.raises(si.InputError, match="holds 2 year"):
        si.analyze(two[["gb", "year", COLUMN]], "province", [COLUMN], tmp_path / "o", time="year")


@requires_chromium
@pytest.mark.chromium
def test_time_mode_keeps_hostile_column_names_as_text(tmp_path) -> None:
    p = si.load_dataset("province_panel")
    p = p[(p["gb"] != "156000000") & p["year"].between(2019, 2023)]
    names = [SCRIPT_PAYLOADS[0], "{{ 7*7 }}" + SCRIPT_PAYLOADS[2]]
    table = p[["gb", "year", COLUMN, "patent_app_total"]].set_axis(["gb", "year", *names], axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = si.analyze(table, "province", names, tmp_path / "o", time="year", permutations=99)
    pages = [res.report, *(res.out / f for f in res.maps)]
    assert any(f.startswith("emerging_") for f in res.maps)
    for page in pages:
        text = page.read_text("utf-8")
        assert "<img data-pwn" not in text and "<script data-pwn" not in text, page.name
        r = render(page, evaluate={"pwned": PWNED_JS})
        assert r["eval"]["pwned"] is None and r["injected"] == [] and r["dialogs"] == [], page
        assert r["console_errors"] == [], page
    assert "{{ 7*7 }}" in (
        res.report.read_text("utf-8").replace("&#123;", "{").replace("&#125;", "}")
    )


# --------------------------------------------------------------------------------------------
# issue 19: the demo's network part (records report, density, tiers, flow maps)
# --------------------------------------------------------------------------------------------
def test_network_part_shows_the_records_report(tmp_path) -> None:
    run = RunContext(Options(), tmp_path, SummaryTable(), Progress(2, enabled=False))
    part = network_part(run, (*NETWORKS, AIR))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = si.copatent_network(si.load_dataset("copatent_sample"), applicant="applicant")
    rep = net.report
    records = part.tables["copatent_records"]["value"]
    assert records["n_records"] == rep.n_records == 5592
    assert records["n_kept"] == rep.n_kept and records["n_located"] == rep.n_located
    pd.testing.assert_frame_equal(part.tables["copatent_per_year"], rep.per_year.set_index("year"))
    pd.testing.assert_frame_equal(part.tables["copatent_summary"], net.summary().set_index("year"))
    top = part.tables["copatent_top"]
    want = net.centrality(2023).head(15).set_index("code")
    pd.testing.assert_series_equal(top["weighted_degree"], want["weighted_degree"])
    assert set(top["tier"]) <= {"core", "key", "auxiliary"}
    s = run.summary.frame()
    dens = s[(s["indicator"] == "copatent") & (s["measure"] == "density")]
    np.testing.assert_allclose(dens["value"].to_numpy(), net.summary()["density"].to_numpy())
    assert [f for f, _ in part.maps] == ["network_copatent_2023.html", "network_air_2014.html"]
    for f, _ in part.maps:
        assert (tmp_path / f).stat().st_size > 10_000


def test_copatent_sample_is_a_bundled_dataset() -> None:
    listed = si.list_datasets().set_index("name")
    assert "SYNTHETIC" in listed.loc["copatent_sample", "description"]
    rec = si.load_dataset("copatent_sample")
    assert list(rec.columns) == ["patent", "year", "applicant", "address", "true_prefecture_code"]
    assert rec["true_prefecture_code"].str.fullmatch(r"\d{6}").all()  # codes stay text
    assert rec["patent"].nunique() == 2399 and rec["year"].between(2012, 2023).all()


@requires_chromium
@pytest.mark.chromium
def test_time_mode_with_figures_embeds_the_space_time_figures(tmp_path) -> None:
    p = si.load_dataset("province_panel")
    p = p[(p["gb"] != "156000000") & p["year"].between(2016, 2023)][["gb", "year", COLUMN]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = si.analyze(p, "province", [COLUMN], tmp_path / "o", time="year", permutations=99,
                         figures="png,pdf")  # fmt: skip
    for kind in ("emerging", "gravity", "markov", "transitions"):
        for ext in ("png", "pdf"):
            assert f"figures/{kind}_{COLUMN}.{ext}" in res.files
            assert (res.out / "figures" / f"{kind}_{COLUMN}.{ext}").stat().st_size > 5_000
    page = res.report.read_text("utf-8")
    assert f'src="figures/markov_{COLUMN}.png"' in page
    r = render(
        res.report, evaluate={"imgs": "Array.from(document.images).map(i => i.naturalWidth)"}
    )
    assert r["console_errors"] == [] and r["failed_requests"] == []
    assert len(r["eval"]["imgs"]) == 8 and min(r["eval"]["imgs"]) > 500  # 4 + 4, all loaded
