"""The colours of the 17 emerging hot spot categories: ArcGIS's, each with its source (issue 18).

``tests/reference/emerging_colors.json`` records, for every category, the symbol ArcGIS Pro's
Emerging Hot Spot Analysis draws (fill, dots, gradient), where each value was read (repository,
path, commit) and the rule by which spatialinno's flat fill follows from it. These tests hold
``spatialinno.styles.EMERGING_COLORS`` to that record, check that the 19 colours (17 + isolated +
no data) differ by a visible amount (CIEDE2000, implemented in ``helpers_color`` and checked here
against the published test data), and that QGIS draws the exported categories in those colours.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from helpers_color import ciede2000, hex_to_lab, hex_to_rgb, mix
from helpers_qgis import inspect_layers, requires_qgis, warnings_in

import spatialinno as si
from spatialinno import styles
from spatialinno.measures.results import ISOLATED, NO_DATA

REFERENCE = json.loads(
    (Path(__file__).parent / "reference" / "emerging_colors.json").read_text(encoding="utf-8")
)
CATEGORIES = [name for name, v in si.EHSA_CATEGORIES.items() if v["code"] is not None]
MIN_DELTA_E = 4.0  # the closest pair of ArcGIS's own fills (diminishing / historical cold spot)


def test_reference_covers_the_17_categories_with_sources():
    assert len(CATEGORIES) == 17
    assert list(REFERENCE["categories"]) == CATEGORIES  # same names, same order
    for key in ("N", "A"):
        src = REFERENCE["sources"][key]
        assert src["repo"] == "Jotaemegv/dashboard" and len(src["commit"]) == 40
    for name, ref in REFERENCE["categories"].items():
        assert set(ref["sources"]) <= set(REFERENCE["sources"]), name
        if ref["rule"] == "not found":
            assert ref["arcgis"] is None and ref["sources"] == [] and ref["why"], name
        else:
            assert ref["sources"] and hex_to_rgb(ref["arcgis"]["fill"]), name
    found = [n for n, r in REFERENCE["categories"].items() if r["rule"] != "not found"]
    assert len(found) == 15  # sporadic cold spot and no pattern: no source gives ArcGIS's colour
    # the four colours of the ArcGIS Online layer [L] are confirmed by the ArcGIS Pro symbols [N]
    for name in REFERENCE["sources"]["L"]["categories"]:
        assert {"L", "N"} <= set(REFERENCE["categories"][name]["sources"]), name


def test_palette_is_the_reference():
    for name in CATEGORIES:
        assert styles.EMERGING_COLORS[name] == REFERENCE["categories"][name]["spatialinno"], name
        assert styles.EMERGING.color_of(name) == styles.EMERGING_COLORS[name]


@pytest.mark.parametrize("name", CATEGORIES)
def test_each_colour_follows_its_rule(name):
    ref = REFERENCE["categories"][name]
    ours = ref["spatialinno"]
    if ref["rule"] == "arcgis fill":
        assert ours == ref["arcgis"]["fill"]
    elif ref["rule"] == "fill + white 50%":
        assert ref["arcgis"]["dots"] == "#ffffff"
        want = mix(ref["arcgis"]["fill"], "#ffffff", 0.5)
        assert all(abs(o - w) <= 0.5 for o, w in zip(hex_to_rgb(ours), want, strict=True))
    elif name == "sporadic cold spot":  # no source: the rule of sporadic hot spot, cold fill
        fill = REFERENCE["categories"]["oscillating cold spot"]["arcgis"]["fill"]
        want = mix(fill, "#ffffff", 0.5)
        assert all(abs(o - w) <= 0.5 for o, w in zip(hex_to_rgb(ours), want, strict=True))
    else:
        assert name == "no pattern detected" and ours == styles.LISA_COLORS["ns"]


def test_the_dotted_fills_need_their_dots():
    """Why sporadic hot spot is not drawn in its ArcGIS fill: without the dots it is oscillating."""
    fills = {
        n: REFERENCE["categories"][n]["arcgis"]["fill"]
        for n in ("sporadic hot spot", "oscillating hot spot")
    }
    assert ciede2000(*map(hex_to_lab, fills.values())) < 3  # ArcGIS tells them apart by dots only
    ours = [styles.EMERGING_COLORS[n] for n in fills]
    assert ciede2000(*map(hex_to_lab, ours)) > 10


# Sharma, Wu & Dalal (2005), Table 1: pairs 1, 2, 3, 7, 17-20, 25, 34 (L*, a*, b*) and ΔE00
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
    ((50.0, 2.8361, -74.0200), (50.0, 0.0, -82.7485), 3.4412),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    ((50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA)
def test_ciede2000_equals_the_published_test_data(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=5e-5)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=5e-5)  # symmetric


def test_srgb_to_lab_of_known_colours():
    assert hex_to_lab("#ffffff") == pytest.approx((100.0, 0.0, 0.0), abs=1e-4)
    assert hex_to_lab("#000000") == pytest.approx((0.0, 0.0, 0.0), abs=1e-9)
    assert hex_to_lab("#ff0000") == pytest.approx((53.2408, 80.0925, 67.2032), abs=1e-3)


def test_the_19_colours_differ_visibly():
    """Every pair of the 17 categories, isolated and no data differs by CIEDE2000 >= 4.

    The provisional palette this replaced had 2.97 (new vs intensifying cold spot).
    """
    cats = styles.EMERGING.categories
    assert [c.value for c in cats[17:]] == [ISOLATED, NO_DATA]
    colors = {c.value: c.color for c in cats}
    labs = {k: hex_to_lab(v) for k, v in colors.items()}
    gaps = sorted((ciede2000(labs[a], labs[b]), a, b) for a, b in itertools.combinations(labs, 2))
    assert len(gaps) == 19 * 18 // 2
    assert gaps[0][0] >= MIN_DELTA_E, gaps[:3]
    # the closest pairs are ArcGIS's own fills, told apart in ArcGIS by a gradient
    assert {gaps[0][1], gaps[0][2]} == {"diminishing cold spot", "historical cold spot"}


@requires_qgis
@pytest.mark.qgis
def test_qgis_draws_the_categories_in_the_arcgis_colours(tmp_path):
    prov = si.load_boundaries("province")[["code", "name", "geometry"]]
    values = [*CATEGORIES, ISOLATED, NO_DATA]
    prov["category"] = [values[i % len(values)] for i in range(len(prov))]
    res = si.export(prov, tmp_path / "ehsa.gpkg", style=styles.EMERGING)
    (rep,) = inspect_layers([{"path": res.path, "layer": res.layer, "nfeat": 1}])
    assert rep["valid"] and warnings_in(rep) == []
    r = rep["renderer"]
    assert r["type"] == "categorizedSymbol" and r["attribute"] == "category"
    got = {c["value"]: c["color"] for c in r["categories"]}
    for name in CATEGORIES:
        assert got[name] == REFERENCE["categories"][name]["spatialinno"], name
    assert rep["feature_colors"] == [styles.EMERGING.color_of(v) for v in prov["category"]]
