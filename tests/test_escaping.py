"""The escaping rules behind every output (``spatialinno._escape``), the second template pass,
CSV formula injection and QGIS expression quoting (issue 13).

The page-level tests (every map, the network map, the report and the CLI in Chromium) are in
``test_security.py``; these check each rule on its own, including in real QGIS.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from helpers_hostile import PAYLOADS
from helpers_qgis import requires_qgis

import spatialinno as si


# ------------------------------------------------------------------------------------------
# the escaping rules themselves, and the second template pass
# ------------------------------------------------------------------------------------------
def test_no_second_template_pass_even_for_text_that_skipped_escaping(tmp_path):
    # a folium element whose text bypassed safe_text (a user's own layer on a spatialinno map):
    # branca would evaluate it at save(); the offline figure writes it as it was rendered
    import folium

    from spatialinno.maps.base import base_map

    m = base_map("t")
    folium.Marker([35.0, 105.0], tooltip="{{ 6 * 7 }} {{ cycler.__name__ }}").add_to(m)
    m.save(str(tmp_path / "m.html"))
    page = (tmp_path / "m.html").read_text("utf-8")
    assert "{{ 6 * 7 }} {{ cycler.__name__ }}" in page
    assert "42 Cycler" not in page


def test_layer_names_added_without_escaping_are_escaped_by_finish():
    import folium

    from spatialinno.maps.base import base_map, finish

    m = base_map("t")
    raw = '<img data-pwn src=x onerror="window.__pwned=1">{{ 1 }}'
    for name in (raw, "second"):
        folium.GeoJson({"type": "FeatureCollection", "features": []}, name=name).add_to(m)
    finish(m)
    names = [c.layer_name for c in m._children.values() if isinstance(c, folium.GeoJson)]
    assert (
        names[0]
        == "&lt;img data-pwn src=x onerror=&quot;window.__pwned=1&quot;&gt;&#123;&#123; 1 &#125;&#125;"
    )


def test_legend_colours_must_be_colours():
    from spatialinno.maps.base import LegendRow, base_map, legend_html

    html = legend_html("t", [LegendRow("#d7191c", "a"), LegendRow("rgb(1, 2, 3)", "b")], [], "en")
    assert "background:#d7191c" in html and "background:rgb(1, 2, 3)" in html
    for bad in ('red;background:url(//x)"', "expression(alert(1))", "#12345g"):
        with pytest.raises(si.InputError, match="is not a colour"):
            legend_html("t", [LegendRow(bad, "x")], [], "en")
    assert base_map("t") is not None


@pytest.mark.parametrize("text", [*PAYLOADS, "\u2028\u2029", "a\\", "<!--", "</SCRIPT>"])
def test_script_json_is_inert_inside_a_script_element(text):
    import json

    from spatialinno._escape import script_json

    out = script_json({"k": text, "n": [1, 2.5]})
    assert json.loads(out) == {"k": text, "n": [1, 2.5]}  # same data back
    lowered = out.lower()
    for bad in ("</script", "<!--", "{{", "{%", "{#", "'", "\u2028", "\u2029"):
        assert bad not in lowered


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://example.invalid","x")', '\'=HYPERLINK("http://example.invalid","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),  # full-width, as a Chinese input method types it
        ("-3", "-3"),  # a Gi* bin written as text: a number, left alone
        ("-0.25", "-0.25"),
        ("+1.5e3", "+1.5e3"),
        ("-", "'-"),
        ("R&D 人员", "R&D 人员"),
        ("北京市", "北京市"),
        ("", ""),
    ],
)
def test_csv_cell_neutralises_formulas_only_in_text(value, written):
    from spatialinno._escape import csv_cell

    assert csv_cell(value) == written
    assert csv_cell(-3) == -3 and csv_cell(2.5) == 2.5 and np.isnan(csv_cell(np.nan))


def test_write_csv_keeps_numbers_and_the_frame(tmp_path):
    from spatialinno._escape import write_csv

    f = pd.DataFrame(
        {"=name": ["=1+1", "ok", None], "v": [-1.5, 2.0, np.nan], "g": ["-3", "x", "@"]}
    )
    write_csv(f, tmp_path / "x.csv")
    back = pd.read_csv(tmp_path / "x.csv", keep_default_na=False)
    assert list(back.columns) == ["'=name", "v", "g"]
    assert back["'=name"].tolist() == ["'=1+1", "ok", ""]
    assert back["g"].tolist() == ["-3", "x", "'@"]
    assert pd.read_csv(tmp_path / "x.csv")["v"].tolist()[:2] == [-1.5, 2.0]
    assert f.columns[0] == "=name" and f.iloc[0, 0] == "=1+1"  # the caller's frame is untouched


def test_shapefile_fields_csv_keeps_formulas_as_text(tmp_path):
    g = si.load_boundaries("province").iloc[:3][["code", "geometry"]].copy()
    g["=1+1"] = [1.0, 2.0, 3.0]
    g["@cmd"] = ["-x", "=y", "-3"]
    si.export(g, tmp_path / "f.shp")
    with open(tmp_path / "f.fields.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["column"] for r in rows] == ["code", "'=1+1", "'@cmd"]


# ------------------------------------------------------------------------------------------
# QGIS: field names and literals in the style expressions (QML/SLD)
# ------------------------------------------------------------------------------------------
HOSTILE_FIELDS = ('gi"bin\\', "a' OR 1=1 OR 'b", 'x" OR "y', "名称\\", "n\\ne")
HOSTILE_LITERALS = ("no data\\", "it's", "' OR 1=1 OR '", "tab\there", "line\nbreak")

_QGIS_EVAL = r"""
import json, os, sys
from qgis.core import (QgsApplication, QgsExpression, QgsExpressionContext, QgsFeature,
                       QgsField, QgsFields)
from qgis.PyQt.QtCore import QVariant
app = QgsApplication([], False)
app.initQgis()
out = []
for expr, rows in json.load(open(sys.argv[1], encoding="utf-8")):
    e = QgsExpression(expr)
    res = {"error": e.parserErrorString() if e.hasParserError() else "",
           "columns": sorted(e.referencedColumns()), "values": []}
    for attrs in rows:
        fields = QgsFields()
        for k, v in attrs.items():
            fields.append(QgsField(k, QVariant.String if isinstance(v, str) else QVariant.Double))
        f = QgsFeature(fields)
        for k, v in attrs.items():
            f[k] = v
        ctx = QgsExpressionContext()
        ctx.setFields(fields)
        ctx.setFeature(f)
        v = e.evaluate(ctx)
        res["values"].append(None if v is None or (hasattr(v, "isNull") and v.isNull()) else v)
    out.append(res)
json.dump(out, open(sys.argv[2], "w", encoding="utf-8"))
os._exit(0)
"""


def _qgis_evaluate(cases: list[tuple[str, list[dict[str, Any]]]], tmp_path: Path) -> list[dict]:
    import json

    from helpers_qgis import QGIS_PYTHON, _env

    (tmp_path / "in.json").write_text(json.dumps(cases), "utf-8")
    (tmp_path / "eval.py").write_text(_QGIS_EVAL, "utf-8")
    proc = subprocess.run(
        [
            QGIS_PYTHON,
            str(tmp_path / "eval.py"),
            str(tmp_path / "in.json"),
            str(tmp_path / "out.json"),
        ],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )
    assert (tmp_path / "out.json").exists(), proc.stderr[-2000:]
    return json.loads((tmp_path / "out.json").read_text("utf-8"))


@requires_qgis
@pytest.mark.qgis
def test_qgis_reads_hostile_names_and_literals_as_one_field_and_one_string(tmp_path):
    from spatialinno.qgis.qml import no_data_expression

    cases = []
    for col, lit in zip(HOSTILE_FIELDS, HOSTILE_LITERALS, strict=True):
        z, cl = col + "_z", col + "_cluster"
        expr = no_data_expression(col, [(z, None), (cl, lit)])
        rows = [
            {col: 3.0, z: 1.0, cl: "HH"},  # a bin: kept
            {col: 3.0, z: None, cl: "HH"},  # no z-score: no data
            {col: 3.0, z: 1.0, cl: lit},  # the no-data literal: no data
            {col: 3.0, z: 1.0, cl: lit + "x"},  # almost the literal: kept
        ]
        cases.append((expr, rows))
    results = _qgis_evaluate(cases, tmp_path)
    for (col, lit), res in zip(
        zip(HOSTILE_FIELDS, HOSTILE_LITERALS, strict=True), results, strict=True
    ):
        assert res["error"] == "", (col, lit, res)
        assert res["columns"] == sorted([col, col + "_z", col + "_cluster"]), res
        assert res["values"] == [3.0, None, None, 3.0], (col, lit, res)


@pytest.mark.parametrize("bad", ["gi\x01bin", "a\x0bb", "x\ufffe"])
def test_style_refuses_text_xml_cannot_hold(bad, tmp_path):
    from spatialinno import styles
    from spatialinno.qgis.qml import style_documents

    with pytest.raises(si.ExportError, match=r"control character U\+"):
        style_documents(styles.hotspots(bad), "polygon")
    s = styles.graduated("v", scheme="equal_interval", k=3, unit=bad).resolve([0.0, 1.0, 2.0])
    with pytest.raises(si.ExportError, match="legend label"):
        style_documents(s, "polygon")
    # newlines and tabs are fine (escaped by the XML writer), as are quotes and ampersands
    qml, sld = style_documents(styles.hotspots('a"b&c\n\t<d>'), "polygon")
    import xml.etree.ElementTree as ET

    ET.fromstring(qml.split("\n", 1)[1])
    assert (
        ET.fromstring(sld.split("\n", 1)[1])
        .find(".//{http://www.opengis.net/ogc}PropertyName")
        .text
        == 'a"b&c\n\t<d>'
    )


def test_text_cannot_forge_an_offline_asset_placeholder():
    # the offline figure swaps "<!--spatialinno-asset:KEY-->" for the vendored file after
    # rendering; user text holding that marker must stay text and must not move Leaflet
    from spatialinno.maps.offline import _PLACEHOLDER

    forged = _PLACEHOLDER.format(key="leaflet_js")
    g = si.load_boundaries("province", simplified=True)[["code"]].iloc[:3].copy()
    g["name"], g["name_en"], g["v"] = forged, forged, [1.0, 2.0, 3.0]
    page = si.choropleth_map(g, "v", title=forged, label=forged).get_root().render()
    assert forged not in page
    assert page.count("/* leaflet/leaflet.js: see spatialinno/_assets/README.md */") == 1
