"""Issue 15 leftovers: one number format in map tooltips, readable QGIS layer titles, and the
command line's terminal messages in the language of ``--lang``.

* the LISA and Gi* maps' tooltips write the local statistic and its p-value as the report does
  (``styles.format_measure``: local Moran's I 4 decimals, z 2, p 3 and ``< 0.001`` below),
  read in headless Chromium;
* every layer of ``results.gpkg`` carries a human title (the column's label and unit) in
  ``gpkg_contents.identifier`` / ``description``, which QGIS reads as the layer's metadata title
  and abstract (checked in real PyQGIS, Chinese and English); hostile labels stay inert text;
* the notes and the unmatched-row list the CLI prints on stderr are in the run's language.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from helpers_chromium import Chromium, requires_chromium
from helpers_hostile import PAYLOADS
from helpers_qgis import inspect_layers, open_project, requires_qgis

import spatialinno as si
from spatialinno import styles

pytestmark = pytest.mark.filterwarnings("ignore::spatialinno.DataWarning")


@pytest.fixture(scope="module")
def census() -> gpd.GeoDataFrame:
    """All 375 prefecture units with the 2020 census population (16 without data)."""
    c = si.load_dataset("city_census")
    c["code"] = c["gb"].str[3:]
    return si.load_boundaries("prefecture").merge(c[["code", "popu_2020"]], on="code", how="left")


@pytest.fixture(scope="module")
def browser():
    if requires_chromium.args[0]:  # skipif condition: chromium missing
        pytest.skip(requires_chromium.kwargs["reason"])
    with Chromium(size=(1000, 700)) as b:
        yield b


def _tips_by_name(tips: list) -> dict[str, dict[str, str]]:
    """Tooltip rows (label -> text) of every feature, keyed by the Chinese name."""
    out = {}
    for tip in filter(None, tips):
        rows = dict(line.split("\t", 1) for line in tip.splitlines() if "\t" in line)
        out[rows["Name (zh)"]] = rows
    return out


@requires_chromium
@pytest.mark.chromium
@pytest.mark.parametrize("kind", ["lisa", "hotspots"])
def test_local_tooltips_use_the_reports_measure_format_in_chromium(browser, census, kind, tmp_path):
    # 9,999 permutations: p-values down to 0.0001, so "< 0.001" has units to show on
    measure = si.lisa if kind == "lisa" else si.hotspots
    frame = measure(census, "popu_2020", permutations=9999, seed=3)
    draw = si.lisa_map if kind == "lisa" else si.hotspot_map
    draw(frame, "popu_2020", lang="en").save(tmp_path / "m.html")
    stat, p, key, decimals = (
        ("lisa_I", "lisa_p", "lisa_statistic", 4)
        if kind == "lisa"
        else ("gi_z", "gi_p", "gi_statistic", 2)
    )
    t = styles.TEXT["en"]
    r = browser.render(tmp_path / "m.html", all_tooltips=True)
    assert not r["console_errors"] and not r["failed_requests"]
    tips = _tips_by_name(r["all_tooltips"])
    assert len(tips) == len(frame)
    small = 0
    for name, s_value, p_value in zip(frame["name"], frame[stat], frame[p], strict=True):
        rows = tips[name]
        if s_value != s_value:  # no data: the dash of every map
            assert rows[t[key]] == "—" and rows[t["p"]] == "—"
            continue
        # the statistic: fixed decimals, the very text of the report's cell
        assert re.fullmatch(rf"-?\d+\.\d{{{decimals}}}", rows[t[key]]), rows
        assert float(rows[t[key]]) == pytest.approx(s_value, abs=0.51 * 10.0**-decimals)
        assert rows[t[key]] == styles.format_measure(s_value, stat)
        # the p-value: 3 decimals, and "< 0.001" below (never "0.0001")
        if p_value < 0.001:
            small += 1
            assert rows[t["p"]] == "< 0.001"
        else:
            assert rows[t["p"]] == f"{p_value:.3f}" == styles.format_measure(p_value, p)
    assert small > 0  # the case the old formatter wrote as "0.0001" is covered


# ------------------------------------------------------------------------------------------
# QGIS layer titles
# ------------------------------------------------------------------------------------------
def _province_table() -> pd.DataFrame:
    """Patent applications of the 31 provinces in 2020 (the bundled yearbook panel)."""
    panel = si.load_dataset("province_panel")
    panel = panel[(panel["year"] == 2020) & (panel["gb"] != "156000000")]
    return panel[["gb", "province", "patent_app_total"]].reset_index(drop=True)


def _contents(path: Path) -> dict[str, tuple[str, str]]:
    with closing(sqlite3.connect(path)) as con:
        rows = con.execute("SELECT table_name, identifier, description FROM gpkg_contents")
        return {r[0]: (r[1], r[2]) for r in rows}


@pytest.fixture(scope="module")
def titled_runs(tmp_path_factory) -> dict[str, Path]:
    """``si.analyze`` in Chinese and English with a label and a unit; a hostile label."""
    out = tmp_path_factory.mktemp("titled")
    table = _province_table()
    label = {"zh": "专利申请|件", "en": "Patent applications|pieces"}
    runs = {}
    for lang in ("zh", "en"):
        si.analyze(table, "province", ["patent_app_total"], out / lang, lang=lang,
                   permutations=99, seed=1, labels={"patent_app_total": label[lang]})  # fmt: skip
        runs[lang] = out / lang / "results.gpkg"
    hostile = table.rename(columns={"patent_app_total": "x"})
    si.analyze(hostile, "province", ["x"], out / "hostile", permutations=99, seed=1,
               labels={"x": HOSTILE + "|件"})  # fmt: skip
    runs["hostile"] = out / "hostile" / "results.gpkg"
    return runs


#: a label that is SQL, XML, markup and a template at once (no "|": that splits label|unit)
HOSTILE = "x'); DROP TABLE layer_styles; --<b>&amp;</b>]]><!--\"" + PAYLOADS[1] + PAYLOADS[5]

EXPECTED_TITLES = {
    "zh": {
        "patent_app_total": "专利申请（件）：分级设色图",
        "lisa_patent_app_total": "专利申请（件）：LISA 聚类",
        "hotspots_patent_app_total": "专利申请（件）：Gi* 冷热点",
        "境界线": "境界线",
    },
    "en": {
        "patent_app_total": "Patent applications (pieces): choropleth",
        "lisa_patent_app_total": "Patent applications (pieces): LISA clusters",
        "hotspots_patent_app_total": "Patent applications (pieces): Gi* hot and cold spots",
        "境界线": "national boundary line",
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gpkg_layers_carry_a_human_title(titled_runs, lang):
    contents = _contents(titled_runs[lang])
    for layer, title in EXPECTED_TITLES[lang].items():
        assert contents[layer][0] == title, (layer, contents[layer])
    for layer in ("patent_app_total", "lisa_patent_app_total", "hotspots_patent_app_total"):
        assert contents[layer][1] == contents[layer][0]  # the abstract QGIS shows
        assert "patent_app_total" not in contents[layer][0]  # never the raw column name
    # the table names the print figures read back stay as they were
    assert {"lisa_patent_app_total", "hotspots_patent_app_total"} <= set(contents)


@requires_qgis
@pytest.mark.qgis
def test_qgis_shows_the_layer_titles(titled_runs):
    specs = [
        {"path": str(titled_runs[lang]), "layer": layer, "nfeat": 0}
        for lang in ("zh", "en")
        for layer in EXPECTED_TITLES[lang]
    ]
    reports = inspect_layers(specs)
    # GDAL passes the identifier on only when it differs from the table name (境界线 in zh:
    # the layer's name is its title already)
    expected = [
        "" if t == layer else t
        for lang in ("zh", "en")
        for layer, t in EXPECTED_TITLES[lang].items()
    ]
    assert [r["title"] for r in reports] == expected  # Chinese intact, full-width brackets
    for r in reports:
        assert r["valid"] and r["feature_count"] > 0
        assert r["renderer"]["type"] in ("graduatedSymbol", "categorizedSymbol", "singleSymbol")


@requires_qgis
@pytest.mark.qgis
def test_a_hostile_label_is_an_inert_layer_title(titled_runs):
    path = titled_runs["hostile"]
    contents = _contents(path)
    shown = HOSTILE + "（件）"
    assert contents["lisa_x"][0] == shown + "：LISA 聚类"  # stored as text, unchanged
    with closing(sqlite3.connect(path)) as con:  # the statement in the label never ran
        n_styles = con.execute("SELECT count(*) FROM layer_styles").fetchone()[0]
        descriptions = [r[0] for r in con.execute("SELECT description FROM layer_styles")]
    assert n_styles >= 4 and any(shown in d for d in descriptions)
    reports = inspect_layers(
        [{"path": str(path), "layer": layer, "nfeat": 0} for layer in ("x", "lisa_x", "hotspots_x")]
    )
    assert [r["title"] for r in reports] == [
        shown + "：分级设色图",
        shown + "：LISA 聚类",
        shown + "：Gi* 冷热点",
    ]
    for r in reports:  # the style still parses and draws every unit
        assert r["valid"] and r["renderer"]["type"] in ("graduatedSymbol", "categorizedSymbol")
        assert all(c is not None for c in r["feature_colors"])


@requires_qgis
@pytest.mark.qgis
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_gpkg_project_lists_the_layers_under_their_titles_in_qgis(titled_runs, lang, tmp_path):
    # moved to another folder (as a user hands the file on): the project still finds its layers
    moved = tmp_path / "elsewhere" / "results.gpkg"
    moved.parent.mkdir()
    shutil.copy(titled_runs[lang], moved)
    seen = open_project(f"geopackage:{moved}?projectName=spatialinno")
    assert seen["read"] and seen["title"] == (
        "spatialinno 结果" if lang == "zh" else "spatialinno results"
    )
    units = {
        "zh": "units_province：各图层共用的单元轮廓",
        "en": "units_province: the units the layers share",
    }
    # the Layers panel, top to bottom: border lines, the column's three layers, the units
    value, lisa, hot, lines = EXPECTED_TITLES[lang].values()
    assert [ly["name"] for ly in seen["layers"]] == [lines, value, lisa, hot, units[lang]]
    assert [ly["renderer"] for ly in seen["layers"]] == [
        "singleSymbol", "graduatedSymbol", "categorizedSymbol", "categorizedSymbol", "singleSymbol"
    ]  # fmt: skip
    assert [ly["visible"] for ly in seen["layers"]] == [True, True, False, False, False]
    for ly in seen["layers"]:
        assert ly["valid"] and ly["source"].startswith(str(moved) + "|layername=")
    # 8 border-line features; 34 provinces in every other layer (none left out)
    assert [ly["feature_count"] for ly in seen["layers"]] == [8, 34, 34, 34, 34]


@requires_qgis
@pytest.mark.qgis
def test_a_hostile_label_is_an_inert_title_in_the_qgis_project(titled_runs):
    seen = open_project(f"geopackage:{titled_runs['hostile']}?projectName=spatialinno")
    shown = HOSTILE + "（件）"
    assert seen["read"]
    names = [ly["name"] for ly in seen["layers"]]
    assert names[1:4] == [shown + "：分级设色图", shown + "：LISA 聚类", shown + "：Gi* 冷热点"]
    assert all(ly["valid"] and ly["feature_count"] for ly in seen["layers"])


# ------------------------------------------------------------------------------------------
# the terminal in the language of --lang
# ------------------------------------------------------------------------------------------
#: English words of the terminal lines (tests/test_cli_trust.py checks the English run)
ENGLISH = ("matched no", "not matched", "closest", "row 20", "note:", "warning:", "skipped",
           "left out", "data note", "wrote", "fix these rows")  # fmt: skip


def _typo_csv(path: Path) -> Path:
    t = si.load_dataset("province_panel")
    t = t[(t["year"] == 2020) & (t["gb"] != "156000000")]
    t = t[["province", "rd_exp_total_10k_yuan"]].reset_index(drop=True)
    t.loc[t["province"] == "广东", "province"] = "广冬省"  # a typo: spreadsheet row 20
    t.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("mode", ["raise", "warn"])
def test_unmatched_rows_are_listed_in_chinese_with_lang_zh(tmp_path, capsys, mode):
    from spatialinno import cli

    path = _typo_csv(tmp_path / "typo.csv")
    argv = ["analyze", str(path), "--level", "province", "--columns", "rd_exp_total_10k_yuan",
            "--permutations", "99", "--out", str(tmp_path / "out"), "--on-unmatched", mode,
            "--lang", "zh"]  # fmt: skip
    assert cli.main(argv) == (2 if mode == "raise" else 0)
    captured = capsys.readouterr()
    err = captured.err
    assert "typo.csv 的 1 行（共 31 行）未匹配到任何省级单元" in err
    assert "  未匹配 (1):\n    第 20 行：province='广冬省'：'广冬省' 与任何省级名称" in err
    assert "；最接近：广东省 (440000)" in err
    if mode == "raise":
        assert "请在表中改正这些行" in err and "--on-unmatched warn" in err
    else:
        assert "spatialinno: 警告: typo.csv 的 1 行" in err and "不计入任何统计" in err
        assert "条数据说明，见 report.html" in err
        assert "analyze：已将 " in captured.out and " 个文件写入 " in captured.out
    lines = [ln for ln in err.splitlines() if not ln.startswith("spatialinno: error:")]
    for word in ENGLISH:  # no English sentence (the error's own prefix aside)
        assert word not in "\n".join(lines), word


def test_reading_notes_are_said_in_chinese_with_lang_zh(tmp_path, capsys):
    from spatialinno import cli

    data = Path(__file__).parent / "data" / "messy_yearbook_rd_2021.xlsx"
    argv = ["analyze", str(data), "--level", "province", "--columns", "R&D经费_内部支出(万元)",
            "--permutations", "99", "--out", str(tmp_path / "out"), "--on-unmatched", "drop",
            "--quiet", "--lang", "zh"]  # fmt: skip
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    assert "spatialinno: 提示: messy_yearbook_rd_2021.xlsx：表头上方的第 1–2 行已跳过" in err
    assert "第 3–4 行的多行表头已合并为列名" in err and "表格下方第 38–39 行作为注释读取" in err
    assert "第 5 行：地区='全国'：'全国' 是合计行" in err
    for word in ENGLISH:
        assert word not in err, word


def test_the_project_is_well_formed_xml_whatever_the_titles(tmp_path):
    """Titles with markup, quotes and a control character: the project stays parseable XML
    with the titles as text (the control character as U+FFFD)."""
    import io
    import xml.etree.ElementTree as ET
    import zipfile

    from spatialinno.qgis.project import write_project
    from spatialinno.qgis.shared import export_shared

    gdf = si.load_boundaries("province").head(5)[["code", "name", "geometry"]]
    path = tmp_path / "results.gpkg"
    titles = ["a\x01b", HOSTILE, "<x>&\"'"]
    for i, title in enumerate(titles):
        export_shared(gdf, path, f"layer{i}", title=title)
    write_project(path, "p\x02 <q>")
    with closing(sqlite3.connect(path)) as con:
        content = con.execute("SELECT content FROM qgis_projects").fetchone()[0]
    with zipfile.ZipFile(io.BytesIO(bytes.fromhex(content))) as z:
        root = ET.fromstring(z.read("spatialinno.qgs"))
    names = [e.get("name") for e in root.iter("layer-tree-layer")]
    units = "units：各图层共用的单元轮廓 / units: the units the layers share"  # lang "both"
    assert names == ["a\ufffdb", HOSTILE, "<x>&\"'", units]
    assert [e.text for e in root.iter("layername")] == names
    assert root.get("projectname") == "p\ufffd <q>"
    assert [e.text for e in root.iter("datasource")] == [
        f"./results.gpkg|layername={t}" for t in ("layer0", "layer1", "layer2", "units")
    ]
