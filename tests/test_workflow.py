"""The pipeline behind the command line, called from Python, and the CLI before/after issue 14.

* ``spatialinno analyze`` and ``spatialinno demo`` write the same ``summary.csv`` (every number of
  the report) and the same files as before the pipeline moved out of ``cli.py``: compared with
  the outputs of the old code committed under ``tests/reference/workflow/`` (see its README).
* :func:`spatialinno.analyze` returns a frozen :class:`~spatialinno.Analysis` whose tables are the
  numbers of ``summary.csv`` and whose maps are the files written.
* The CLI counts Gi* bins with the one rule of :mod:`spatialinno.measures.results` (the rule the
  maps and layers use): a unit without a z-score is never "not significant".
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers_chromium import requires_chromium

import spatialinno as si
from spatialinno import cli
from spatialinno._escape import write_csv

pytestmark = pytest.mark.filterwarnings("ignore::spatialinno.DataWarning")

REFERENCE = Path(__file__).parent / "reference" / "workflow"
KEYS = ["section", "indicator", "measure", "group", "name"]


def _read_summary(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={k: str for k in KEYS}, keep_default_na=False)


def _files(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def _assert_as_before(out: Path, run: str) -> None:
    """summary.csv and the files of ``out`` are those the old code wrote for ``run``."""
    got, want = _read_summary(out / "summary.csv"), _read_summary(REFERENCE / f"{run}_summary.csv")
    assert list(got.columns) == list(want.columns)
    # the same numbers in the same order: keys to the letter, values to rounding noise
    pd.testing.assert_frame_equal(got[KEYS], want[KEYS])
    g = pd.to_numeric(got["value"].replace("", np.nan)).to_numpy(dtype=float)
    w = pd.to_numeric(want["value"].replace("", np.nan)).to_numpy(dtype=float)
    np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-15, equal_nan=True)
    assert _files(out) == (REFERENCE / f"{run}_files.txt").read_text().split()


@pytest.fixture(scope="module")
def census_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("before") / "city_census.csv"
    si.load_dataset("city_census").to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("run", "options"),
    [
        # the reference was written with no correction, the CLI's default before issue 15
        ("analyze", ["--columns", "popu_2020,popu_2010", "--correction", "none"]),
        ("analyze_en", ["--columns", "popu_2020", "--format", "shp", "--lang", "en",
                        "--correction", "fdr"]),
    ],
)  # fmt: skip
def test_analyze_writes_what_it_wrote_before_the_restructure(
    run: str, options: list[str], census_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / run
    argv = ["analyze", str(census_csv), "--level", "prefecture", *options, "--out", str(out)]
    assert cli.main([*argv, "--quiet"]) == 0
    _assert_as_before(out, run)


@pytest.mark.slow
def test_demo_writes_what_it_wrote_before_the_restructure(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    res = si.demo(out)
    _assert_as_before(out, "demo")
    # the result object holds what the files hold
    write_csv(res.summary, tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == (out / "summary.csv").read_bytes()
    assert sorted(res.files) == _files(out)
    assert set(res.maps) == {f for f in res.files if f.endswith(".html") and f != "report.html"}
    moran = res.tables["panel_moran"]  # 14 years x 2 columns, as summary.csv lists them
    assert len(moran) == 28 and {"year", "indicator", "I", "p_sim"} <= set(moran.columns)
    s = res.summary
    want = s[(s["section"] == "province_panel") & (s["measure"] == "moran_I")]["value"]
    assert moran["I"].tolist() == want.tolist()
    assert set(res.tables) >= {"study_gini_region_means", "city_census_2020:clusters"}
    # the Chinese report says its notes in Chinese (issue 15: they were English)
    import html as html_lib
    import re

    page = (out / "report.html").read_text(encoding="utf-8")
    page = re.sub(r"<(code|script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<span class="si-note si-ref"[^>]*>.*?</span>', " ", page, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]+>", "\n", page))
    # the sources line names repositories (pik-piam/PyPSA-China-PIK ...): names, not sentences
    said = "\n".join(line for line in text.splitlines() if not line.startswith("数据来源："))
    english = re.findall(r"[A-Za-z]{2,}(?:[ ,;:()'-]+[A-Za-z]{2,}){2,}", said)
    assert english == [], english
    assert "不计（直辖市，研究口径）" in text and "excluded (municipality" not in text
    # the census's units without a value: one count, named for every statistic
    assert text.count("2020 年常住人口（人）：16 个没有数值的单元（见“数据连接”）未计入") == 1
    assert "另有 10 个单元在表格中有对应行，但该列为空值" in text


def test_analyze_from_python(tmp_path: Path) -> None:
    panel = si.load_dataset("province_panel")
    table = panel[(panel["gb"] != "156000000") & (panel["year"] == 2021)]
    table = table[["province", "rd_exp_total_10k_yuan", "patent_app_total"]]
    cols = ["rd_exp_total_10k_yuan", "patent_app_total"]
    res = si.analyze(table, "province", cols, tmp_path / "out", permutations=99, seed=3)
    assert isinstance(res, si.Analysis) and si.cli.analyze is si.analyze
    s = res.summary
    # the tables are the numbers of summary.csv (and of the package's own functions)
    for c in cols:
        row = s[(s["indicator"] == c) & (s["group"] == "")].set_index("measure")["value"]
        assert res.tables["overview"].loc[c, "gini"] == row["gini"] == si.gini(table[c])
        assert res.tables["moran"].loc[c, "I"] == row["moran_I"]
        assert res.tables["clusters"].loc[c].sum() == 2 * 34  # LISA and Gi*: every unit once
    assert "per_group" not in res.tables  # provinces: no per-province table
    assert list(res.frame["name"])[:1] == ["北京市"] and len(res.frame) == 34
    # every map named in the result was written, under its title
    assert len(res.maps) == 6 and all((res.out / f).is_file() for f in res.maps)
    # titled by the column's label and unit, not its name (issue 15)
    assert res.maps["lisa_patent_app_total.html"] == "专利申请量（件）：LISA 聚类"
    assert res.report == res.out / "report.html" and all(p.is_file() for p in res.paths)
    # frozen: neither the result nor its mappings can be changed after the run
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.files = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        res.tables["overview"] = pd.DataFrame()  # type: ignore[index]
    # and it travels (a notebook's cache, a worker process) and comes back read-only
    back = pickle.loads(pickle.dumps(res))
    assert back.files == res.files and back.maps == res.maps and repr(back) == repr(res)
    pd.testing.assert_frame_equal(back.tables["clusters"], res.tables["clusters"])
    with pytest.raises(TypeError):
        back.maps["x.html"] = "x"  # type: ignore[index]


def test_gi_counts_follow_the_one_rule_of_measures_results(tmp_path: Path) -> None:
    """Within 2,500 km four provinces have every other province as a neighbour: Gi* has no
    variance there (no z-score), so they are counted with the units without a bin -- as the
    maps and the layers class them -- and not as "not significant" (the CLI's own rule before
    issue 14 put them in bin 0)."""
    panel = si.load_dataset("province_panel")
    table = panel[(panel["gb"] != "156000000") & (panel["year"] == 2021)]
    table = table[["province", "rd_exp_total_10k_yuan"]]
    col = "rd_exp_total_10k_yuan"
    res = si.analyze(table, "province", [col], tmp_path / "out", weights="distance:2500",
                     permutations=99, correction=None)  # fmt: skip
    gdf = si.join_indicators(table, "province")
    hot = si.hotspots(gdf, col, w=si.spatial_weights(gdf, kind="distance", distance=2500.0))
    no_z = hot["gi_z"].isna()
    assert no_z.sum() == 7 and (hot.loc[no_z, "gi_cluster"] == "ns").sum() == 4  # 3 no data
    classes = si.measures.results.gi_classes(hot)
    counts = res.tables["clusters"].loc[col]
    assert counts["Gi* isolated/no data"] == (classes == "no data").sum() == 7
    assert counts["Gi* 0"] == ((hot["gi_bin"] == 0) & ~no_z).sum()
    bins = [counts[f"Gi* {b:+d}" if b else "Gi* 0"] for b in (3, 2, 1, 0, -1, -2, -3)]
    assert sum(bins) + counts["Gi* isolated/no data"] == 34
    s = res.summary
    got = s[(s["measure"] == "gi_bin_count") & (s["group"] == "isolated/no data")]["value"]
    assert got.item() == 7


# ------------------------------------------------------------------------------------------
# issue 15: one language, readable labels, one number format, in the report a user hands on
# ------------------------------------------------------------------------------------------
_RD = "rd_exp_total_10k_yuan"
_PAT = "patent_app_total"


def _messy_provinces() -> pd.DataFrame:
    """The 2021 provinces with what real tables have: a national total row, a misspelt name,
    provinces without a row, empty cells."""
    panel = si.load_dataset("province_panel")
    table = panel[(panel["year"] == 2021)][["province", _RD, _PAT]].reset_index(drop=True)
    table = table[~table["province"].isin(["西藏", "青海", "宁夏"])]
    table.loc[table["province"] == "全国", "province"] = "全国"
    table.loc[table["province"] == "海南", "province"] = "海南岛"
    table.loc[table["province"].isin(["甘肃", "贵州"]), _PAT] = np.nan
    return table.reset_index(drop=True)


def _report_text(path: Path) -> str:
    """The report's text as Chromium shows it, without formulas and literature references
    (cited in the language they were published in)."""
    from helpers_chromium import Chromium

    js = (
        "(() => { const b = document.body.cloneNode(true);"
        " b.querySelectorAll('code, .si-ref').forEach(e => e.remove());"
        " document.body.replaceWith(b); return b.innerText; })()"
    )
    with Chromium(size=(1100, 900)) as browser:
        r = browser.render(path, evaluate={"text": js})
    assert r["console_errors"] == [] and r["exceptions"] == [] and r["failed_requests"] == []
    return r["eval"]["text"]


@pytest.fixture(scope="module")
def messy_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, si.Analysis]:
    out = tmp_path_factory.mktemp("lang")
    labels = {_RD: "研发经费|万元"}
    return {
        lang: si.analyze(_messy_provinces(), "province", [_RD, _PAT], out / lang, lang=lang,
                         permutations=99, on_unmatched="warn", labels=labels)
        for lang in ("zh", "en")
    }  # fmt: skip


@requires_chromium
def test_chinese_report_has_no_english_sentence(messy_reports: dict[str, si.Analysis]) -> None:
    """Join notes, unmatched rows, data notes, settings, table headings and place names of a
    zh report are Chinese (before issue 15: "excluded (municipality; study convention…)",
    "Patent: 3 unit(s) without data left out", "364 行匹配到prefecture单元", "code9")."""
    import re

    text = _report_text(messy_reports["zh"].report)
    english = re.findall(r"[A-Za-z]{2,}(?:[ ,;:()'-]+[A-Za-z]{2,}){2,}", text)
    assert english == [], english
    assert not re.search(r"(prefecture|province)单元|code9|unit\(s\)|left out|the table", text)
    # what the join found, in Chinese: the rows, the units without a row, the empty cells
    assert "表格共 29 行：27 行匹配到省级单元（简称 27、未匹配 2），2 行未匹配。" in text
    assert "省级图层 34 个单元中，7 个在表格中没有对应行：海南省（460000）、西藏自治区" in text
    empty = (
        "专利申请量（件）：另有 2 个单元在表格中有对应行，但该列为空值：贵州省（520000）、甘肃省"
    )
    assert empty in text
    # and the data notes count those units once per column: 7 and 7 + 2
    assert "研发经费（万元）：7 个没有数值的单元（见“数据连接”）未计入" in text
    assert "专利申请量（件）：9 个没有数值的单元" in text
    assert "'全国' 是合计行，不是区域；请在连接前删除" in text
    assert "全国" in text and "海南岛" in text  # the user's own values, as written


@requires_chromium
def test_english_report_has_no_chinese(messy_reports: dict[str, si.Analysis]) -> None:
    import re

    text = _report_text(messy_reports["en"].report)
    for value in ("全国", "海南岛"):  # the user's values in the rows not matched: data
        text = text.replace(value, "")
    assert re.findall(r"[\u3400-\u9fff]+", text) == []
    assert "29 table rows: 27 matched to province units (short name 27, not matched 2)" in text
    assert "7 of the 34 province units have no row in the table: Hainan (460000), Tibet" in text
    assert (
        "Patent applications (items): 2 more units have a row in the table but an empty cell"
        in text
    )


@requires_chromium
def test_labels_given_once_title_every_output(messy_reports: dict[str, si.Analysis]) -> None:
    """labels= in si.analyze (and a bundled column's own label): report headings, tables and
    map titles show the label and unit, not the column name."""
    import re

    zh = messy_reports["zh"]
    text = _report_text(zh.report)
    assert "研发经费（万元）" in text and "专利申请量（件）" in text
    shown = re.sub(r"\S+\.html", "", text)  # the files' names hold the column names
    assert _RD not in shown and _PAT not in shown
    assert zh.maps[f"lisa_{_RD}.html"] == "研发经费（万元）：LISA 聚类"
    assert zh.maps[f"map_{_PAT}.html"] == "专利申请量（件）：分级设色图"
    # the run's own tables keep the column names (code reads them)
    assert list(zh.tables["overview"].index) == [_RD, _PAT]


@requires_chromium
def test_report_numbers_follow_the_one_format(messy_reports: dict[str, si.Analysis]) -> None:
    """Every number in the report's tables: thousands separators from 1,000 (never 3029.737),
    at most four decimals (Moran's I), a fixed number of decimals by statistic."""
    import re

    html = messy_reports["en"].report.read_text(encoding="utf-8")
    cells = re.findall(r"<td>([^<]*)</td>", html)  # numeric cells (text cells have a class)
    numbers = [c.strip() for c in cells if re.fullmatch(r"\s*[-<]?\s*[\d.,]+( %)?\s*", c)]
    assert len(numbers) > 40
    for n in numbers:
        digits = n.split(".")[0].lstrip("-< ").replace(" %", "")
        if len(digits.replace(",", "")) >= 4:
            assert re.fullmatch(r"\d{1,3}(,\d{3})+", digits), n
            assert "." not in n, n
        assert len(n.split(".")[1].replace(" %", "")) <= 4 if "." in n else True, n
    assert "<td>0.2144</td>" in html and "<td>0.497</td>" in html  # Moran's I 4, Gini 3
