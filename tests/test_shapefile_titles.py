"""Shapefile layers carry the same human titles as the GeoPackage's (issue 15), seen in QGIS.

QGIS 3.22 names a layer added from ``lisa_x.shp`` after its file; what it reads beside it is the
``.qml`` style and the ``.qmd`` layer metadata (QgsAppLayerHandling::postProcessAddedLayer
calls loadDefaultStyle and loadDefaultMetadata). So a run with ``--format shp`` writes

* ``<name>.qmd`` with the layer's title (label and unit) as title and abstract: QGIS shows it in
  Layer Properties and the Browser's metadata preview;
* ``shp/spatialinno.qgs``, a QGIS project listing every Shapefile under that title (the name
  the Layers panel shows), styled, sources relative to the project.

Checked in real PyQGIS: the bare Shapefile (its metadata title, the name QGIS gives it) and the
project (layer names = titles, metadata titles, styles, features), in Chinese and English, and
with a hostile title (quotes, markup, a template, line breaks, a control character).
"""

from __future__ import annotations

import shutil
import sqlite3
import xml.etree.ElementTree as ET
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest
from helpers_hostile import PAYLOADS
from helpers_qgis import inspect_layers, open_project, requires_qgis

import spatialinno as si
from spatialinno.qgis.project import SHAPEFILE_PROJECT, read_metadata_title, write_shapefile_project

pytestmark = pytest.mark.filterwarnings("ignore::spatialinno.DataWarning")

LABEL = {"zh": "专利申请|件", "en": "Patent applications|pieces"}
TITLES = {
    "zh": ["专利申请（件）：分级设色图", "专利申请（件）：LISA 聚类", "专利申请（件）：Gi* 冷热点"],
    "en": [
        "Patent applications (pieces): choropleth",
        "Patent applications (pieces): LISA clusters",
        "Patent applications (pieces): Gi* hot and cold spots",
    ],
}
LAYERS = ["patent_app_total", "lisa_patent_app_total", "hotspots_patent_app_total"]
#: quotes, markup, an entity, a CDATA end, a template, line breaks and a control character
HOSTILE = "a\"b'<i>&amp;</i>]]>{{ 7*7 }}{% x %}\nline 2\r\x01end " + PAYLOADS[1]
#: the same as XML holds it: the control character as U+FFFD, a carriage return read back as a
#: line feed (XML's end-of-line handling)
HOSTILE_SHOWN = HOSTILE.replace("\x01", "\ufffd").replace("\r", "\n")


@pytest.fixture(scope="module")
def shp_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``si.analyze`` with formats=["shp"] in Chinese and English, a label with a unit."""
    panel = si.load_dataset("province_panel")
    panel = panel[(panel["year"] == 2020) & (panel["gb"] != "156000000")]
    table = panel[["gb", "province", "patent_app_total"]].reset_index(drop=True)
    root = tmp_path_factory.mktemp("shp_titles")
    runs = {}
    for lang in ("zh", "en"):
        res = si.analyze(table, "province", ["patent_app_total"], root / lang, lang=lang,
                         permutations=99, seed=1, formats=["shp"],
                         labels={"patent_app_total": LABEL[lang]})  # fmt: skip
        assert f"shp/{SHAPEFILE_PROJECT}" in res.files
        assert all((root / lang / f).is_file() for f in res.files)
        runs[lang] = root / lang
    return runs


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_shapefile_has_the_gpkg_layers_title_in_its_qmd(shp_runs, lang) -> None:
    out = shp_runs[lang]
    with closing(sqlite3.connect(out / "results.gpkg")) as con:
        ids = dict(con.execute("SELECT table_name, identifier FROM gpkg_contents").fetchall())
    for layer, title in zip(LAYERS, TITLES[lang], strict=True):
        qmd = out / "shp" / f"{layer}.qmd"
        root = ET.parse(qmd).getroot()
        assert root.findtext("title") == title == ids[layer]  # the same title as the GeoPackage
        assert root.findtext("abstract") == title and root.findtext("identifier") == layer
        assert root.findtext("language") == lang
        assert read_metadata_title(qmd) == title


@requires_qgis
@pytest.mark.qgis
def test_qgis_reads_the_shapefile_titles_and_names_the_project_layers_by_them(shp_runs):
    specs = [
        {"path": str(shp_runs[lang] / "shp" / f"{layer}.shp"), "nfeat": 0,
         "default_metadata": True}
        for lang in ("zh", "en") for layer in LAYERS
    ]  # fmt: skip
    reports = inspect_layers(specs)
    expected = [t for lang in ("zh", "en") for t in TITLES[lang]]
    # added from its file, the layer is named after the file; its metadata title is the title
    assert [r["added_name"] for r in reports] == LAYERS * 2
    assert [r["title"] for r in reports] == expected  # Chinese intact, full-width brackets
    assert [r["abstract"] for r in reports] == expected
    for r in reports:
        assert r["valid"] and r["metadata_loaded"] and r["feature_count"] == 34
        assert r["renderer"]["type"] in ("graduatedSymbol", "categorizedSymbol")
    for lang in ("zh", "en"):
        # the project, moved with its folder (as a user hands the Shapefiles on)
        moved = shp_runs[lang].parent / f"moved_{lang}"
        shutil.copytree(shp_runs[lang] / "shp", moved)
        seen = open_project(str(moved / SHAPEFILE_PROJECT))
        assert seen["read"] and seen["title"] == (
            "spatialinno 结果" if lang == "zh" else "spatialinno results"
        )
        layers = seen["layers"]
        assert [ly["name"] for ly in layers] == TITLES[lang]  # the Layers panel: the titles
        assert [ly["title"] for ly in layers] == TITLES[lang]
        assert [ly["source"] for ly in layers] == [str(moved / f"{n}.shp") for n in LAYERS]
        assert [ly["renderer"] for ly in layers] == [
            "graduatedSymbol", "categorizedSymbol", "categorizedSymbol"
        ]  # fmt: skip
        assert [ly["visible"] for ly in layers] == [True, False, False]
        assert all(ly["valid"] and ly["feature_count"] == 34 for ly in layers)


def _province_frame() -> pd.DataFrame:
    prov = si.load_boundaries("province").head(6)[["code", "name", "geometry"]]
    return prov.assign(v=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])


@requires_qgis
@pytest.mark.qgis
def test_a_hostile_title_stays_inert_text_in_the_qmd_and_the_project(tmp_path) -> None:
    folder = tmp_path / "shp"
    style = si.styles.graduated("v", k=3)
    si.export(_province_frame(), folder / "x.shp", style=style, title=HOSTILE, lang="zh")
    si.export(_province_frame(), folder / "plain.shp", style=style)  # no title: no .qmd
    assert not (folder / "plain.qmd").exists()
    project = write_shapefile_project(folder, "p <q>&\x02")
    # both documents parse as XML and hold the title as text
    assert ET.parse(folder / "x.qmd").getroot().findtext("title") == HOSTILE_SHOWN
    root = ET.parse(project).getroot()
    names = [e.get("name") for e in root.iter("layer-tree-layer")]
    assert names == ["plain", HOSTILE_SHOWN]
    assert root.get("projectname") == "p <q>&\ufffd"
    assert [e.text for e in root.iter("datasource")] == ["./plain.shp", "./x.shp"]
    assert [e.text for e in root.iter("layername")] == names
    report = inspect_layers([{"path": str(folder / "x.shp"), "default_metadata": True}])[0]
    assert report["title"] == HOSTILE_SHOWN and report["renderer"]["type"] == "graduatedSymbol"
    seen = open_project(str(project))
    assert seen["read"] and [ly["name"] for ly in seen["layers"]] == names
    assert [ly["title"] for ly in seen["layers"]] == names
    assert all(ly["valid"] and ly["feature_count"] == 6 for ly in seen["layers"])
    assert not list(tmp_path.rglob("SI_PWNED_FILE")) and not Path("SI_PWNED_FILE").exists()


def test_the_project_keeps_the_order_the_layers_were_written_in(tmp_path) -> None:
    folder = tmp_path / "shp"
    for name in ("zeta", "alpha"):
        si.export(_province_frame(), folder / f"{name}.shp", title=f"{name} 标题")
        write_shapefile_project(folder)
    si.export(_province_frame(), folder / "mid.shp", title="中")
    root = ET.parse(write_shapefile_project(folder)).getroot()
    assert [e.get("name") for e in root.iter("layer-tree-layer")] == [
        "zeta 标题",
        "alpha 标题",
        "中",
    ]
    (folder / "alpha.shp").unlink()  # a layer gone from the folder leaves the project
    root = ET.parse(write_shapefile_project(folder)).getroot()
    assert [e.get("source") for e in root.iter("layer-tree-layer")] == ["./zeta.shp", "./mid.shp"]


def test_export_title_sets_the_geopackage_layers_title(tmp_path) -> None:
    path = tmp_path / "r.gpkg"
    si.export(_province_frame(), path, layer="v", title="研发经费（万元）")
    si.export(_province_frame(), path, layer="w", title="研发经费（万元）")  # the same title
    with closing(sqlite3.connect(path)) as con:
        rows = dict(
            (t, (i, d))
            for t, i, d in con.execute(
                "SELECT table_name, identifier, description FROM gpkg_contents"
            )
        )
    # the identifier is unique in a GeoPackage: the second layer's says which layer it is
    assert rows["v"] == ("研发经费（万元）", "研发经费（万元）")
    assert rows["w"] == ("研发经费（万元） (w)", "研发经费（万元）")
