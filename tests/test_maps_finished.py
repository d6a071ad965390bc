"""Web maps a user can hand on without editing (issue 15, "Maps (web)" and the map labels).

Every item is checked where it shows, in headless Chromium with the network off
(``helpers_chromium.py``), at the default zoom of a 1000 x 700 px page (zoom 4, all of China):

1. no data is hatched white, "not significant" a flat light grey, isolated units (no neighbours)
   have their own colour and legend entry, on the LISA and the Gi* map (the rule:
   ``measures.results.gi_classes``); the hatching is read back from the screenshot's pixels;
2. the four NBS region outlines of the coastal-lead map differ in colour and dash, on the map and
   in the legend; coastal provinces carry a mark;
3. the capitals of the capital-effect map are labelled and their circles never overlap: the
   pairwise distances of the drawn circles (screen pixels, outline included) at the default zoom,
   on a smaller page and after zooming;
4. name labels on every map kind never collide (screen rectangles), the scale bar is metric only;
5. class breaks never give an empty or repeated class; integer data get whole-number breaks and
   labels "1", "2 – 3", "4 – 10"; every class is in the legend with its brute-force count;
6. a result goes straight into the map a user calls next (lisa, hotspots, gini_by,
   capital_share, region_summary, a one-year table without a year column);
7. titles and legends use readable labels with units (``labels=``), never "None".
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
import zlib
from itertools import combinations
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from helpers_chromium import Chromium, requires_chromium

import spatialinno as si
from spatialinno import styles
from spatialinno._errors import InputError
from spatialinno.maps.base import NO_DATA_FILL
from spatialinno.maps.layout import layer_label_points
from spatialinno.measures import results
from spatialinno.measures.classify import scheme_breaks

pytestmark = pytest.mark.filterwarnings("ignore::spatialinno.DataWarning")

# ------------------------------------------------------------------------------------------
# what the page shows, read in the page
# ------------------------------------------------------------------------------------------
JS_FIND_MAP = "Object.values(window).find(v => v instanceof L.Map)"
#: every visible label: text, screen rectangle, classes
JS_LABELS = """Array.from(document.querySelectorAll('.si-label'))
  .filter(e => getComputedStyle(e).visibility === 'visible')
  .map(e => { const r = e.getBoundingClientRect();
              return [e.innerText, r.left, r.top, r.width, r.height, e.className]; })"""
#: every drawn circle of a class: centre x, y (screen px), radius, outline width (Leaflet
#: leaves a circle out of view undrawn, its path "M0 0")
JS_CIRCLES = """(cls => Array.from(document.querySelectorAll('path.' + cls))
  .filter(p => /a[\\d.]+,/.test(p.getAttribute('d') || '')).map(p => {
  const m = p.getAttribute('d').match(/M([-\\d.]+),([-\\d.]+)a([\\d.]+),/);
  const r = parseFloat(m[3]), pt = p.ownerSVGElement.createSVGPoint();
  pt.x = parseFloat(m[1]) + r; pt.y = parseFloat(m[2]);
  const s = pt.matrixTransform(p.getScreenCTM());
  return [s.x, s.y, r, parseFloat(p.getAttribute('stroke-width') || '0')];
}))"""
#: the screen rectangles of the title, legends, layer control and scale bar
JS_CONTROLS = """Array.from(document.querySelectorAll('.leaflet-control, .si-title'))
  .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })
  .filter(r => r[2] > 0 && r[3] > 0)"""
JS_FILLS = (
    "Array.from(document.querySelectorAll('path.si-region')).map(p => p.getAttribute('fill'))"
)
JS_LEGEND_ROWS = """Array.from(document.querySelectorAll('.si-legend-row')).map(r => {
  const sw = r.firstElementChild, line = sw.querySelector ? sw.querySelector('line') : null;
  return {text: r.innerText, bg: getComputedStyle(sw).backgroundImage,
          color: getComputedStyle(sw).backgroundColor,
          stroke: line ? line.getAttribute('stroke') : getComputedStyle(sw).borderTopColor,
          dash: line ? line.getAttribute('stroke-dasharray') : null};
})"""


def _zoomed(js: str, zoom: float) -> str:
    """``js`` evaluated after the map is set to ``zoom`` and the layout has run."""
    return (
        f"new Promise(done => {{ const m = {JS_FIND_MAP}; m.setZoom({zoom}, {{animate: false}});"
        f" setTimeout(() => done({{zoom: m.getZoom(), value: {js}}}), 300); }})"
    )


def _point_js(lat: float, lon: float) -> str:
    return (
        f"(() => {{ const m = {JS_FIND_MAP}; const p = m.latLngToContainerPoint([{lat}, {lon}]);"
        " const r = m.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top];"
        " })()"
    )


def _box(r: list) -> list:
    """``[x, y, w, h]`` of a rectangle, or of a label ``[text, x, y, w, h, classes]``."""
    return list(r[1:5]) if isinstance(r[0], str) else list(r[:4])


def overlapping_rects(rects: list) -> list:
    """Pairs of rectangles ``[x, y, w, h, ...]`` (or labels) that overlap (touching edges do not)."""
    out = []
    for ra, rb in combinations(rects, 2):
        a, b = _box(ra), _box(rb)
        if a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]:
            out.append((ra, rb))
    return out


def rect_hits_circle(rect: list, circle: list) -> bool:
    x, y, w, h = _box(rect)
    cx, cy, r, sw = circle
    nx, ny = min(max(cx, x), x + w), min(max(cy, y), y + h)
    return (nx - cx) ** 2 + (ny - cy) ** 2 < (r + sw / 2) ** 2


def assert_clean(r: dict) -> None:
    assert r["console_errors"] == [], r["console_errors"]
    assert r["exceptions"] == [], r["exceptions"]
    assert r["failed_requests"] == [] and r["requests"] == [], r["requests"]
    assert r["dialogs"] == []


def read_png(path: str | Path) -> np.ndarray:
    """RGB(A) pixels of an 8-bit, non-interlaced PNG (what Chromium writes); stdlib + numpy."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, color, _, _, interlace = header
    assert depth == 8 and interlace == 0 and color in (2, 6)
    ch = 3 if color == 2 else 4
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(h, 1 + w * ch)
    out = np.zeros((h, w * ch), dtype=np.int32)
    for y in range(h):  # undo the per-row filters (PNG spec, section 9)
        f, row = raw[y, 0], raw[y, 1:].astype(np.int32)
        prev = out[y - 1] if y else np.zeros(w * ch, dtype=np.int32)
        if f == 0:
            out[y] = row
        elif f == 2:
            out[y] = (row + prev) % 256
        else:
            cur = np.zeros(w * ch, dtype=np.int32)
            for i in range(w * ch):
                a = cur[i - ch] if i >= ch else 0
                b, c = prev[i], prev[i - ch] if i >= ch else 0
                if f == 1:
                    pred = a
                elif f == 3:
                    pred = (a + b) // 2
                else:  # Paeth
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[i] = (row[i] + pred) % 256
            out[y] = cur
    return out.reshape(h, w, ch)[:, :, :3].astype(np.uint8)


# ------------------------------------------------------------------------------------------
# data
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def census() -> gpd.GeoDataFrame:
    """All 375 prefecture units with the 2020 census population (16 without data)."""
    c = si.load_dataset("city_census")
    c["code"] = c["gb"].str[3:]
    return si.load_boundaries("prefecture").merge(c[["code", "popu_2020"]], on="code", how="left")


@pytest.fixture(scope="module")
def islands_kept(census):
    """Queen weights with the islands left without neighbours (舟山, 三沙 are isolated)."""
    return si.spatial_weights(census, islands="keep")


@pytest.fixture(scope="module")
def table2() -> pd.DataFrame:
    return si.load_dataset("zhao2025_table2")


@pytest.fixture(scope="module")
def browser():
    if requires_chromium.args[0]:  # skipif condition: chromium missing
        pytest.skip(requires_chromium.kwargs["reason"])
    with Chromium(size=(1000, 700)) as b:
        yield b


# ------------------------------------------------------------------------------------------
# 5. class breaks: no empty or repeated class; whole numbers on integer data
# ------------------------------------------------------------------------------------------
TIED = np.array([1] * 14 + [2, 2, 3, 4, 5, 7, 9, 12, 20], dtype=float)
ZERO_INFLATED = np.concatenate([np.zeros(40), np.random.default_rng(5).poisson(3, 25), [80.0]])
SCHEMES = ("quantiles", "fisher_jenks", "natural_breaks", "equal_interval")


def brute_classes(x: np.ndarray, breaks) -> np.ndarray:
    """Class of each value: the first upper bound >= value (by a loop, not searchsorted)."""
    return np.array([next(i for i, b in enumerate(breaks) if v <= b) for v in x])


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize(
    "x", [TIED, ZERO_INFLATED, np.arange(1, 9.0)], ids=["tied", "zeros", "1-8"]
)
def test_class_breaks_on_integer_data_have_no_empty_or_repeated_class(scheme, x):
    raw = scheme_breaks(x, scheme, k=5)
    breaks = styles.class_breaks(x, scheme, k=5)
    assert list(breaks) == sorted(set(breaks)) and breaks[-1] == x.max()  # strictly increasing
    assert all(float(b).is_integer() for b in breaks)  # whole numbers on integer data
    cls = brute_classes(x, breaks)
    counts = np.bincount(cls, minlength=len(breaks))
    assert (counts > 0).all(), (breaks, counts)  # no empty class
    assert len(breaks) <= min(5, np.unique(x).size)
    # the only change from the formula's classes is that empty ones are merged: two values in
    # one class of the formula are in one class here, and the order of classes is kept
    raw_cls = brute_classes(x, raw)
    for a, b in combinations(range(x.size), 2):
        if raw_cls[a] == raw_cls[b]:
            assert cls[a] == cls[b]
        if raw_cls[a] < raw_cls[b]:
            assert cls[a] <= cls[b]


def test_tied_quantiles_were_degenerate_and_are_not_any_more():
    # the formula repeats the bound 1 and leaves a class (1, 1.2] empty: "1 – 1 (14个)"
    raw = scheme_breaks(TIED, "quantiles", k=5)
    assert raw.count(1.0) >= 1 and np.bincount(brute_classes(TIED, raw)).min() == 0
    style = styles.graduated("n", scheme="quantiles", k=5).resolve(TIED)
    assert style.breaks == (1.0, 4.0, 20.0)
    assert style.class_labels("zh") == ["1", "2 – 4", "5 – 20"]


def test_integer_labels_and_single_value_classes():
    s = styles.graduated("n", scheme="user", bins=[1, 3, 10]).resolve([1, 1, 2, 3, 7, 10])
    assert s.class_labels() == ["1", "2 – 3", "4 – 10"]
    assert s.classify([1, 2, 3, 4, 10]).tolist() == [0, 1, 1, 2, 2]
    f = styles.graduated("x", scheme="quantiles", k=4).resolve([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4])
    assert not f.integer and f.breaks == (1.375, 2.25, 3.125, 4.0)  # floats keep the formula
    assert f.class_labels()[1] == "1.38 – 2.25"


def test_float_breaks_equal_mapclassify_without_ties():
    import mapclassify

    x = np.random.default_rng(11).lognormal(3, 1, 300)
    expected = mapclassify.Quantiles(x, k=5).bins
    np.testing.assert_allclose(styles.class_breaks(x, "quantiles", k=5), expected, rtol=1e-12)


def test_quantile_breaks_equal_mapclassify_bit_for_bit():
    """issue 15 (speed): the quantiles are computed here, not by importing mapclassify; they
    are mapclassify's numbers exactly, on ties, integers, tiny samples and k above n."""
    import warnings

    import mapclassify

    from spatialinno.measures.classify import quantile_breaks

    rng = np.random.default_rng(15)
    samples = [np.array([7.0]), np.array([1.0, 1.0]), np.arange(1000.0), np.array(TIED, float)]
    for i in range(400):
        n, draw = int(rng.integers(2, 300)), i % 3
        x = (rng.lognormal(3, 1, n), rng.integers(0, 9, n).astype(float), rng.normal(size=n))
        samples.append(np.round(x[draw], 2))
    for j, x in enumerate(samples):
        k = 1 + j % 11
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # mapclassify: fewer classes than k
            expected = mapclassify.Quantiles(x, k=k).bins
        assert quantile_breaks(x, k).tolist() == expected.tolist(), (j, k)


def test_quantile_classes_do_not_import_mapclassify():
    """Importing mapclassify costs 0.5-2 s (scipy.stats, sklearn, matplotlib.pyplot): the
    quantile classes every map and layer of `spatialinno analyze` uses do without it."""
    code = (
        "import sys; from spatialinno.measures.classify import class_breaks; "
        "b = class_breaks([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0], 'quantiles', k=4); "
        "print(b, 'mapclassify' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    breaks = styles.class_breaks([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0], "quantiles", k=4)
    assert out.stdout.strip() == f"{breaks} False"


@requires_chromium
@pytest.mark.chromium
def test_every_class_is_in_the_legend_with_its_count_in_chromium(browser, tmp_path):
    g = si.load_boundaries("province", simplified=True)[["code", "name", "geometry"]].copy()
    g["n"] = np.resize(TIED, len(g))  # 34 provinces with tied whole numbers
    g.loc[[3, 7], "n"] = np.nan
    si.choropleth_map(g, "n", k=5).save(tmp_path / "n.html")
    r = browser.render(tmp_path / "n.html")
    assert_clean(r)
    style = styles.graduated("n", k=5).resolve(g["n"])
    cls = brute_classes(g["n"].dropna().to_numpy(), style.breaks)
    counts = np.bincount(cls, minlength=len(style.breaks))
    assert (counts > 0).all()
    for label, n in zip(style.class_labels("zh"), counts, strict=True):
        assert f"{label} ({n}个)" in r["legend_text"]
    assert "无数据 (2个)" in r["legend_text"]
    assert not re.search(r"(?<![\d,.])(\d[\d,.]*) – \1(?![\d,.])", r["legend_text"])  # no "1 – 1"
    assert counts.sum() + 2 == len(g)


# ------------------------------------------------------------------------------------------
# 1. no data vs not significant vs isolated
# ------------------------------------------------------------------------------------------
def test_gi_rule_tells_isolated_units_apart():
    f = pd.DataFrame(
        {
            "gi_bin": [3, 0, 0, 0, None, -2],
            "gi_z": [3.2, 0.1, None, None, None, -2.1],
            "gi_cluster": ["hot", "ns", "no data", "isolated", "no data", "cold"],
        }
    )
    assert results.gi_classes(f).tolist() == [3, 0, "no data", "isolated", "no data", -2]
    assert results.gi_isolated_conditions(f) == [("gi_cluster", "isolated")]
    assert results.gi_isolated_conditions(f.iloc[:3]) == []
    # a bin without z and cluster: no data; nothing says isolated without gi_cluster
    assert results.gi_classes(f[["gi_bin", "gi_z"]]).tolist()[3] == "no data"


@requires_chromium
@pytest.mark.chromium
@pytest.mark.parametrize("kind", ["lisa", "hotspots"])
def test_isolated_units_have_their_own_class_in_chromium(
    browser, census, islands_kept, kind, tmp_path
):
    if kind == "lisa":
        out = si.lisa(census, "popu_2020", w=islands_kept, seed=1)
        si.lisa_map(out).save(tmp_path / "m.html")
        classes = results.lisa_classes(out).tolist()
        style = styles.LISA
    else:
        out = si.hotspots(census, "popu_2020", w=islands_kept, seed=1)
        si.hotspot_map(out).save(tmp_path / "m.html")
        classes = results.gi_classes(out).tolist()
        style = styles.HOTSPOTS
    isolated = [c == "isolated" for c in classes]
    assert sum(isolated) == 2  # 舟山 and 三沙 have no queen neighbour
    assert set(out.loc[isolated, "name"]) == {"舟山市", "三沙市"}
    r = browser.render(tmp_path / "m.html", evaluate={"fills": JS_FILLS})
    assert_clean(r)
    fills = r["eval"]["fills"]
    for c, fill in zip(classes, fills, strict=True):
        if c == "isolated":
            assert fill == styles.ISOLATED_COLOR
        elif c == "no data":
            assert fill == NO_DATA_FILL
        else:
            assert fill == style.color_of(c) and fill != NO_DATA_FILL
    assert styles.ISOLATED_COLOR not in {style.color_of(c) for c in classes if c != "isolated"}
    legend = r["legend_text"]
    assert "孤立（无邻居） (2个)" in legend and "无数据 (16个)" in legend
    n_ns = sum(c in ("ns", 0) for c in classes)
    assert f"不显著 ({n_ns}个)" in legend
    # every unit is counted once in the legend
    assert sum(int(n) for n in re.findall(r"\((\d+)个\)", legend)) == len(census)


@requires_chromium
@pytest.mark.chromium
def test_no_data_is_hatched_and_not_significant_is_flat_in_chromium(browser, census, tmp_path):
    out = si.lisa(census, "popu_2020", seed=7)
    si.lisa_map(out).save(tmp_path / "l.html")
    points = layer_label_points("prefecture")
    taiwan = points["710000"]  # no census data
    assert out.loc[out["code"] == "710000", "lisa_cluster"].iloc[0] == "no data"
    ns = out.loc[out["lisa_cluster"] == "ns"]
    big_ns = ns.loc[shapely.area(ns.geometry.to_numpy()).argmax(), "code"]
    r = browser.render(
        tmp_path / "l.html",
        screenshot=tmp_path / "l.png",
        evaluate={
            "taiwan": _point_js(*taiwan),
            "ns": _point_js(*points[big_ns]),
            "rows": JS_LEGEND_ROWS,
            "pattern": "document.querySelector('#si-no-data line').getAttribute('stroke')",
        },
    )
    assert_clean(r)
    img = read_png(r["screenshot_png_path"])

    def patch(xy):
        x, y = (round(v) for v in xy)
        return img[y - 4 : y + 5, x - 4 : x + 5].reshape(-1, 3).astype(int)

    nd, flat = patch(r["eval"]["taiwan"]).sum(axis=1), patch(r["eval"]["ns"]).sum(axis=1)
    # hatching: light pixels (the white ground) and clearly darker ones (the lines) side by side;
    # the lines run at 45 degrees, 6 px apart (8.5 px along a row): a dark pixel in every row
    assert (nd > 3 * 235).mean() > 0.4 and (nd < 3 * 200).mean() > 0.08, nd
    assert (nd.reshape(9, 9) < 3 * 200).any(axis=1).all(), nd.reshape(9, 9)
    # not significant: one flat light grey (a unit border may cross the patch)
    values, counts = np.unique(flat, return_counts=True)
    assert counts.max() / flat.size > 0.85 and values[counts.argmax()] > 3 * 220, flat
    assert r["eval"]["pattern"] == styles.NO_DATA_HATCH["line"]
    rows = {row["text"].split(" (")[0]: row for row in r["eval"]["rows"]}
    assert "repeating-linear-gradient" in rows["无数据"]["bg"]
    assert rows["不显著"]["bg"] == "none"


# ------------------------------------------------------------------------------------------
# 2. the coastal-lead map: four outlines told apart, coastal provinces marked
# ------------------------------------------------------------------------------------------
def test_region_outlines_run_inside_their_region():
    from spatialinno.boundaries.load import EQUAL_AREA_CRS
    from spatialinno.maps.study import region_outlines

    layer = si.load_boundaries("province", simplified=True).dropna(subset=["region"])
    regions = layer[["region", "geometry"]].dissolve(by="region").to_crs(EQUAL_AREA_CRS)
    lines = region_outlines().set_index("region").to_crs(EQUAL_AREA_CRS)
    for region, line in lines.geometry.items():
        # inside the region, about 12 km from its border: two neighbours' lines never coincide
        assert regions.geometry[region].buffer(1.0).contains(line)
        d = shapely.distance(
            shapely.points(shapely.get_coordinates(line)), regions.boundary[region]
        )
        assert 9_000 < np.median(d) < 15_000, (region, np.median(d))


@requires_chromium
@pytest.mark.chromium
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_coastal_lead_outlines_and_coast_in_chromium(browser, table2, lang, tmp_path):
    si.coastal_lead_map(table2, "gini_innovation", year=2023, lang=lang).save(tmp_path / "k.html")
    js = """Array.from(document.querySelectorAll('path.si-outline')).map(p =>
        [p.getAttribute('class'), p.getAttribute('stroke'), p.getAttribute('stroke-dasharray')])"""
    r = browser.render(
        tmp_path / "k.html",
        path_classes=("si-outline", "si-coastal"),
        evaluate={"outlines": js, "rows": JS_LEGEND_ROWS},
    )
    assert_clean(r)
    drawn = {}
    for cls, stroke, dash in r["eval"]["outlines"]:
        region = re.search(r"si-outline-(\w+)", cls).group(1)
        drawn[region] = (stroke, dash)
    assert set(drawn) == {"east", "central", "west", "northeast"}
    assert len(set(drawn.values())) == 4  # four different lines
    assert len({s for s, _ in drawn.values()}) == 4 and len({d for _, d in drawn.values()}) == 4
    # the legend shows each region with the line drawn on the map
    names = {"zh": ("东部", "中部", "西部", "东北"), "en": ("East", "Central", "West", "Northeast")}
    rows = {row["text"].split(" ")[0]: row for row in r["eval"]["rows"]}
    for region, name in zip(("east", "central", "west", "northeast"), names[lang], strict=True):
        stroke, dash = drawn[region]
        row = rows[name]
        assert row["dash"] == dash
        assert row["stroke"] == stroke or _rgb(row["stroke"]) == _rgb(stroke)
    coastal = si.load_boundaries("province")["coastal"].fillna(False).sum()
    assert coastal == 11 and r["paths_by_class"]["si-coastal"] == 11
    word = "沿海省份 (11个)" if lang == "zh" else "Coastal provinces (11)"
    assert word in r["legend_text"]


def _rgb(color: str) -> tuple[int, ...]:
    if color.startswith("#"):
        return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(int(v) for v in re.findall(r"\d+", color)[:3])


# ------------------------------------------------------------------------------------------
# 3. capital circles: labelled, never hidden
# ------------------------------------------------------------------------------------------
JS_CAPITALS = f"""(() => {{
  const m = {JS_FIND_MAP}, out = [];
  m.eachLayer(l => {{
    if (!(l instanceof L.CircleMarker) || !l.feature || l.options.className !== 'si-capital') return;
    const c = l.feature.geometry.coordinates, a = m.latLngToContainerPoint([c[1], c[0]]);
    out.push([a.x, a.y, l.getRadius(), l.options.weight]);
  }});
  return out;
}})()"""


def circle_overlaps(circles: list) -> list:
    """Pairs of circles ``[x, y, r, outline]`` whose drawn discs (outline included) overlap."""
    return [
        (a, b)
        for a, b in combinations(circles, 2)
        if np.hypot(a[0] - b[0], a[1] - b[1]) < a[2] + b[2] + (a[3] + b[3]) / 2
    ]


def _capital_report(browser, path, zoom=None):
    ev = {"circles": f"{JS_CIRCLES}('si-capital')", "anchors": JS_CAPITALS, "labels": JS_LABELS}
    if zoom is not None:
        ev = {k: _zoomed(v, zoom) for k, v in ev.items()}
    r = browser.render(path, path_classes=("si-capital", "si-leader"), evaluate=ev)
    assert_clean(r)
    if zoom is not None:
        assert all(v["zoom"] == zoom for v in r["eval"].values())
        r["eval"] = {k: v["value"] for k, v in r["eval"].items()}
    return r


@requires_chromium
@pytest.mark.chromium
def test_capital_circles_never_overlap_in_chromium(browser, table2, tmp_path):
    si.capital_effect_map(table2, year=2021).save(tmp_path / "s.html")
    r = _capital_report(browser, tmp_path / "s.html")
    circles, anchors = r["eval"]["circles"], r["eval"]["anchors"]
    assert len(circles) == len(anchors) == 26
    assert r["eval"]["labels"]  # the layout ran
    # at their true places the circles would overlap (兰州/西宁, 长春/哈尔滨 among them) ...
    assert len(circle_overlaps(anchors)) >= 2
    # ... drawn, no two overlap (screen pixels, outlines included)
    assert circle_overlaps(circles) == []
    # every moved circle has a leader line back to its capital; unmoved ones none
    moved = [np.hypot(c[0] - a[0], c[1] - a[1]) for c, a in zip(circles, anchors, strict=False)]
    assert r["paths_by_class"]["si-leader"] == sum(d > 0.5 for d in sorted(moved)) > 0
    # a circle moves at most about a radius: it stays by its capital
    radii = sorted(c[2] for c in circles)
    assert max(moved) < 2 * radii[-1]


@requires_chromium
@pytest.mark.chromium
@pytest.mark.parametrize("zoom", [3.5, 5, 6])
def test_capital_circles_never_overlap_at_other_zooms(browser, table2, zoom, tmp_path):
    si.capital_effect_map(table2, year=2021).save(tmp_path / "s.html")
    r = _capital_report(browser, tmp_path / "s.html", zoom=zoom)
    # zoomed in, the capitals out of view are not drawn; every one well inside the view is
    inside = [a for a in r["eval"]["anchors"] if 40 < a[0] < 960 and 40 < a[1] < 660]
    assert len(inside) >= 8
    assert len(inside) <= len(r["eval"]["circles"]) <= 26
    if zoom < 6:
        assert len(r["eval"]["circles"]) == 26
    assert circle_overlaps(r["eval"]["circles"]) == []


@requires_chromium
@pytest.mark.chromium
def test_capital_circles_never_overlap_on_a_small_page(table2, tmp_path):
    si.capital_effect_map(table2, year=2021, lang="en").save(tmp_path / "s.html")
    with Chromium(size=(760, 540)) as small:
        r = _capital_report(small, tmp_path / "s.html")
    assert len(r["eval"]["circles"]) == 26
    assert circle_overlaps(r["eval"]["circles"]) == []


@requires_chromium
@pytest.mark.chromium
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_capitals_are_labelled_in_chromium(browser, table2, lang, tmp_path):
    si.capital_effect_map(table2, year=2021, lang=lang, names=True).save(tmp_path / "s.html")
    r = _capital_report(browser, tmp_path / "s.html")
    labels = r["eval"]["labels"]
    capitals = [lab for lab in labels if "si-label-capital" in lab[5]]
    pref = si.load_boundaries("prefecture").set_index("code")
    codes = table2.query("year == 2021")["code"]
    caps = pref.loc[pref["is_capital"].astype(bool)].set_index("province_code")
    word = "name_short" if lang == "zh" else "name_en"
    expected = sorted(caps.loc[codes, word])
    assert sorted(lab[0] for lab in capitals) == expected  # all 26, every one visible
    assert overlapping_rects(labels) == []  # names never collide with each other ...
    hits = [(lab[0], c) for lab in labels for c in r["eval"]["circles"] if rect_hits_circle(lab, c)]
    assert hits == []  # ... nor with a circle
    provinces = [lab for lab in labels if "si-label-capital" not in lab[5]]
    assert len(provinces) >= (20 if lang == "zh" else 12)  # province names where they fit


# ------------------------------------------------------------------------------------------
# 4. names on every map kind, metric scale bar
# ------------------------------------------------------------------------------------------
def _kinds(census, table2):
    air = si.load_dataset("air_routes_2014")
    net = si.city_network(air, "gb_o", "gb_d", weight="n_route_records", year="year")
    lisa = si.lisa(census, "popu_2020", seed=3)
    hot = si.hotspots(census, "popu_2020", seed=3)
    return {
        "choropleth": lambda **kw: si.choropleth_map(census, "popu_2020", **kw),
        "lisa": lambda **kw: si.lisa_map(lisa, **kw),
        "hotspot": lambda **kw: si.hotspot_map(hot, **kw),
        "coastal": lambda **kw: si.coastal_lead_map(table2, "gini_innovation", **kw),
        "capital": lambda **kw: si.capital_effect_map(table2, **kw),
        "network": lambda **kw: si.network_map(net, year=2014, top=60, **kw),
    }


@pytest.fixture(scope="module")
def kinds(census, table2):
    return _kinds(census, table2)


@requires_chromium
@pytest.mark.chromium
@pytest.mark.parametrize(
    ("kind", "names", "lang", "at_least"),
    [
        ("choropleth", "province", "zh", 30),
        ("choropleth", True, "en", 120),
        ("lisa", True, "zh", 120),
        ("hotspot", "province", "en", 28),
        ("coastal", True, "zh", 25),
        ("capital", True, "en", 40),
        ("network", True, "zh", 60),
    ],
)
def test_name_labels_never_collide_in_chromium(
    browser, kinds, kind, names, lang, at_least, tmp_path
):
    kinds[kind](names=names, lang=lang).save(tmp_path / "m.html")
    r = browser.render(
        tmp_path / "m.html",
        evaluate={
            "labels": JS_LABELS,
            "controls": JS_CONTROLS,
            "all": "document.querySelectorAll('.si-label').length",
            "scale": "Array.from(document.querySelectorAll('.leaflet-control-scale-line'))"
            ".map(e => e.innerText)",
        },
    )
    assert_clean(r)
    labels = r["eval"]["labels"]
    assert len(labels) >= at_least, (len(labels), r["eval"]["all"])
    assert all(lab[0].strip() for lab in labels)
    assert overlapping_rects(labels) == []
    under = [lab[0] for lab in labels for c in r["eval"]["controls"] if overlapping_rects([lab, c])]
    assert under == []  # no label under the title, a legend or the layer control
    # one scale bar, in metres or kilometres only
    assert len(r["eval"]["scale"]) == 1 and re.fullmatch(r"\d+ k?m", r["eval"]["scale"][0])
    assert "Place names" in r["layers_text"] or "地名" in r["layers_text"]


def test_names_argument_is_checked(census):
    with pytest.raises(InputError, match=r"names must be True, False or one of 'province'"):
        si.choropleth_map(census, "popu_2020", names="city")


def test_province_names_are_short_names_or_the_users_own(census):
    from spatialinno.maps.names import name_texts

    g = si.load_boundaries("province", simplified=True)
    texts, latlon, _ = name_texts(g, "zh", "province")
    assert texts[:3] == ["北京", "天津", "河北"] and texts[4] == "内蒙古"
    # the label point lies inside the unit
    for (lat, lon), geom in zip(latlon, g.geometry, strict=True):
        assert geom.buffer(1e-6).contains(shapely.Point(lon, lat))
    renamed = g.assign(name=lambda d: d["name"].where(d["code"] != "130000", "燕赵"))
    assert name_texts(renamed, "zh", "province")[0][2] == "燕赵"
    assert name_texts(g, "en", "province")[0][:2] == ["Beijing", "Tianjin"]


def test_prefecture_map_with_names_stays_small(census, tmp_path):
    si.choropleth_map(census, "popu_2020", names=True).save(tmp_path / "m.html")
    assert (tmp_path / "m.html").stat().st_size < 1.5e6  # the bench_maps target


# ------------------------------------------------------------------------------------------
# 6. a result goes straight into the next map; 7. readable titles
# ------------------------------------------------------------------------------------------
def _title(m) -> str:
    page = m.get_root().render()
    boxes = [json.loads(f'"{h}"') for h in re.findall(r'innerHTML = "(.*?)";', page)]
    return next(b for b in boxes if "si-legend" not in b)


@requires_chromium
@pytest.mark.chromium
def test_results_go_straight_into_the_next_map_in_chromium(browser, census, table2, tmp_path):
    t1 = table2.query("year == 2023").drop(columns="year")  # one year, no year column
    prov = si.load_boundaries("province")
    summary = si.region_summary(t1.merge(prov[["code", "region"]], on="code"), "gini_innovation")
    gini = si.gini_by(census, "popu_2020")
    shares = si.capital_share(census, "popu_2020")
    maps = {
        "lisa": si.lisa_map(si.lisa(census, "popu_2020", seed=1)),
        "hotspots": si.hotspot_map(si.hotspots(census, "popu_2020", seed=1)),
        "gini_by": si.choropleth_map(gini, "popu_2020"),
        "capital_share": si.capital_effect_map(shares),
        "region_summary": si.coastal_lead_map(summary, "gini_innovation"),
        "one_year": si.coastal_lead_map(t1, "gini_innovation"),
    }
    seen = {}
    for name, m in maps.items():
        m.save(tmp_path / f"{name}.html")
        r = browser.render(
            tmp_path / f"{name}.html", all_tooltips=True, path_classes=("si-region",)
        )
        assert_clean(r)
        assert "None" not in r["title_text"] and "nan" not in r["title_text"], name
        seen[name] = r
    # titles by the column's readable label (with its unit for the values themselves; a Gini
    # coefficient and a share are unitless); "popu_2020" while nobody labelled the column
    name = styles.column_label("popu_2020", "zh", frame=census)
    with_unit = styles.column_label("popu_2020", "zh", frame=census, unit=True)
    assert seen["lisa"]["title_text"] == f"LISA 聚类：{with_unit}"
    assert seen["hotspots"]["title_text"] == f"Getis–Ord Gi* 冷热点：{with_unit}"
    assert seen["gini_by"]["title_text"] == f"{name}的基尼系数"
    assert seen["capital_share"]["title_text"] == f"省会效应：{name}的省会份额"
    assert seen["one_year"]["title_text"] == "创新资源基尼系数：四大地区与沿海"
    # the gini_by table's values are what the provinces show
    tips = "\n".join(t for t in seen["gini_by"]["all_tooltips"] if t)
    for code in ("130000", "510000", "650000"):
        assert styles.format_number(gini.loc[code, "popu_2020"]) in tips
    # every province with a capital share has its circle, with the share in its tooltip
    n_shares = int(shares["popu_2020"].notna().sum())
    assert seen["capital_share"]["paths_by_class"]["si-region"] == 34
    tips = "\n".join(t for t in seen["capital_share"]["all_tooltips"] if t)
    assert tips.count("省会") >= n_shares
    for code in ("620000", "630000"):
        assert styles.format_value(shares.loc[code, "popu_2020"], "percent") in tips
    # the region table: each region's row of the summary in the legend, its value on its provinces
    legend = seen["region_summary"]["legend_text"]
    for _region, row in summary.iterrows():
        assert (
            f"{row['region_zh']} {styles.format_number(row['gini_innovation'])} (n={row['n_units']})"
            in legend
        )
    assert "沿海 / 内陆均值需要省级数据" in legend


def test_capital_share_of_several_columns_maps_the_mean(census):
    census2 = census.assign(popu_half=census["popu_2020"] / 2)
    shares = si.capital_share(census2, ["popu_2020", "popu_half"])
    title = _title(si.capital_effect_map(shares))
    assert title == "省会效应：2 项指标均值的省会份额"
    en = _title(si.capital_effect_map(shares, lang="en"))
    assert en == "The capital effect: capital share of mean of 2 indicators"


def test_default_year_is_the_latest_with_data(table2):
    # the column's own label (labels.csv: capital_share = 省会首位度, the study's word; issue 15)
    assert _title(si.capital_effect_map(table2)) == "省会效应：省会首位度（2023 年）"
    assert _title(si.coastal_lead_map(table2, "gini_innovation", year=2021)).startswith(
        "创新资源基尼系数（2021 年）"
    )
    with pytest.raises(InputError, match="year must be a year"):
        si.coastal_lead_map(table2, "gini_innovation", year="2021")


@requires_chromium
@pytest.mark.chromium
def test_labels_give_titles_and_legends_a_name_and_unit_in_chromium(
    browser, census, table2, tmp_path
):
    spec = {"popu_2020": {"zh": "常住人口", "en": "Resident population", "unit_zh": "人",
                          "unit_en": "persons"}}  # fmt: skip
    t = table2.rename(columns={"gini_innovation": "g"})
    g_spec = {"g": "创新资源基尼系数|无量纲"}
    pages = {
        "choropleth": (si.choropleth_map(census, "popu_2020", labels=spec), "常住人口（人）"),
        "choropleth_en": (
            si.choropleth_map(census, "popu_2020", labels=spec, lang="en"),
            "Resident population (persons)",
        ),
        "lisa": (si.lisa_map(si.lisa(census, "popu_2020", seed=2), labels=spec), "常住人口（人）"),
        "hotspot": (
            si.hotspot_map(si.hotspots(census, "popu_2020", seed=2), labels=spec),
            "常住人口（人）",
        ),
        "coastal": (si.coastal_lead_map(t, "g", labels=g_spec), "创新资源基尼系数（无量纲）"),
        "labelled frame": (
            si.choropleth_map(si.with_labels(census, spec), "popu_2020"),
            "常住人口（人）",
        ),
        # the labels a frame carries go through lisa() into the map of its result
        "labelled lisa": (
            si.lisa_map(si.lisa(si.with_labels(census, spec), "popu_2020", seed=2)),
            "常住人口（人）",
        ),
    }
    for name, (m, text) in pages.items():
        m.save(tmp_path / f"{name}.html")
        r = browser.render(tmp_path / f"{name}.html", all_tooltips=True)
        assert_clean(r)
        assert text in r["title_text"], (name, r["title_text"])
        assert "popu_2020" not in r["title_text"] and "None" not in r["title_text"]
        assert text in r["legend_text"] or text in "\n".join(filter(None, r["all_tooltips"])), name


def test_region_outlines_equal_the_to_crs_computation():
    """issue 15 (speed): the region outlines are projected with pyproj.Proj, not to_crs (0.9 s
    of the demo spent finding the CGCS2000 -> Albers operation); the outlines are exactly those
    of the to_crs computation."""
    from spatialinno.boundaries.load import EQUAL_AREA_CRS
    from spatialinno.maps.base import boundary_layer
    from spatialinno.maps.study import region_outlines

    layer = boundary_layer("province").dropna(subset=["region"])
    regions = layer[["region", "geometry"]].dissolve(by="region")
    inner = regions.to_crs(EQUAL_AREA_CRS).buffer(-12_000.0).boundary  # _OUTLINE_INSET_M
    inner = inner.simplify(1500.0).to_crs(4490)
    want = shapely.transform(inner.to_numpy(), lambda xy: np.round(xy, 5))
    got = region_outlines()
    assert got["region"].tolist() == regions.index.tolist() and got.crs.to_epsg() == 4490
    assert all(shapely.equals_exact(a, b, 0) for a, b in zip(got.geometry, want, strict=True))
