"""Offline folium maps: content, size, escaping, bad input, and the real page in headless Chromium.

Values are checked against ``tests/reference/maps_reference.json`` (made by
``tests/reference/make_maps_reference.py`` from the bundled CSVs with ``csv`` + numpy, without
spatialinno) and against brute-force recomputation in the tests. Chromium tests open the saved
file with the network emulated offline (see ``helpers_chromium.py``).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from helpers_chromium import Chromium, requires_chromium

import spatialinno as si
from spatialinno import styles
from spatialinno._errors import ColumnError, InputError, OfflineAssetError
from spatialinno.maps.base import NO_DATA_FILL
from spatialinno.maps.capitals import CAPITAL_RADIUS_PX
from spatialinno.maps.offline import external_asset_urls, make_offline
from spatialinno.measures.classify import scheme_breaks

REF = json.loads((Path(__file__).parent / "reference" / "maps_reference.json").read_text("utf-8"))
XSS = "<img src=x onerror=alert(1)>"


# ------------------------------------------------------------------------------------------
# data
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def census() -> gpd.GeoDataFrame:
    """All 375 prefecture units with the 2020 census population (16 without data)."""
    c = si.load_dataset("city_census")
    c["code"] = c["gb"].str[3:]
    layer = si.load_boundaries("prefecture")
    return layer.merge(c[["code", "popu_2020"]], on="code", how="left")


@pytest.fixture(scope="module")
def table2() -> pd.DataFrame:
    return si.load_dataset("zhao2025_table2")


@pytest.fixture(scope="module")
def lisa_frame(census: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = si.lisa(census, "popu_2020", seed=7)
    out.loc[0, "lisa_cluster"] = "isolated"  # make sure every category is drawn at least once
    return out


@pytest.fixture(scope="module")
def hot_frame(census: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return si.hotspots(census, "popu_2020", seed=7)


@pytest.fixture(scope="module")
def browser():
    if requires_chromium.args[0]:  # skipif condition: chromium missing
        pytest.skip(requires_chromium.kwargs["reason"])
    with Chromium(size=(1000, 700)) as b:
        yield b


def geojson_layers(page: str) -> list[dict]:
    """The GeoJSON FeatureCollections embedded in a saved map (folium writes ``x_add({...});``)."""
    return [json.loads(m) for m in re.findall(r"_add\((\{.*?\})\);\n", page)]


def all_coords(fc: dict) -> np.ndarray:
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in fc["features"]])
    return shapely.get_coordinates(geoms)


def expected_class(values: np.ndarray, breaks: list[float]) -> np.ndarray:
    """Brute force: index of the first upper bound >= value; -1 for NaN."""
    out = np.full(len(values), -1)
    for i, v in enumerate(values):
        if np.isfinite(v):
            out[i] = next(j for j, b in enumerate(breaks) if v <= b + 1e-9 * abs(b))
    return out


JS_FILLS = (
    "Array.from(document.querySelectorAll('path.si-region')).map(p => p.getAttribute('fill'))"
)


# ------------------------------------------------------------------------------------------
# offline page (no browser)
# ------------------------------------------------------------------------------------------
def test_saved_map_inlines_leaflet_and_links_nothing(census, tmp_path):
    m = si.choropleth_map(census, "popu_2020")
    path = tmp_path / "m.html"
    m.save(path)
    page = path.read_text("utf-8")
    assert external_asset_urls(page) == []
    # the only absolute URL attribute left is Leaflet's attribution hyperlink (not fetched)
    urls = re.findall(r"""\b(src|href)\s*=\s*\\?["']?(https?://[^"'\s>\\]*)""", page)
    assert set(urls) == {("href", "https://leafletjs.com")}, urls
    assert 'L.version="1.9.3"' in page or "1.9.3" in page  # the vendored Leaflet is inlined
    assert ".leaflet-control-layers-toggle{" in page.replace(" ", "") or "leaflet-pane" in page
    for cdn in ("cdn.jsdelivr", "code.jquery", "cdnjs.cloudflare", "bootstrapcdn", "fontawesome"):
        assert cdn not in page
    # no jQuery / d3 when the page does not use them
    assert "jQuery v3.7.1" not in page and "d3.min.js:" not in page


def test_jupyter_display_is_offline_too(census):
    srcdoc = re.search(
        r'srcdoc="(.*?)"', si.choropleth_map(census, "popu_2020")._repr_html_(), re.S
    )
    assert srcdoc is not None
    assert external_asset_urls(html.unescape(srcdoc.group(1))) == []


def test_geometry_is_simplified_and_rounded_to_5_decimals(census, tmp_path):
    m = si.choropleth_map(census, "popu_2020")
    m.save(tmp_path / "m.html")
    page = (tmp_path / "m.html").read_text("utf-8")
    regions, lines = geojson_layers(page)
    assert len(regions["features"]) == 375 and len(lines["features"]) == 8
    xy = all_coords(regions)
    assert np.array_equal(xy, np.round(xy, 5))
    simple = si.load_boundaries("prefecture", simplified=True)
    assert len(xy) == shapely.get_num_coordinates(simple.geometry.to_numpy()).sum()
    assert len(xy) < 0.5 * shapely.get_num_coordinates(census.geometry.to_numpy()).sum()
    assert (tmp_path / "m.html").stat().st_size < 1.5e6


@pytest.mark.slow
def test_county_map_under_6_mb(tmp_path):
    c = si.load_boundaries("county")
    c["v"] = np.arange(len(c), dtype=float)
    si.choropleth_map(c, "v", scheme="equal_interval").save(tmp_path / "c.html")
    size = (tmp_path / "c.html").stat().st_size
    assert 3e6 < size < 6e6, size
    regions = geojson_layers((tmp_path / "c.html").read_text("utf-8"))[0]
    assert len(regions["features"]) == 2891


def test_legend_classes_match_independent_quantiles(census, tmp_path):
    ref = REF["census_popu_2020"]
    style = styles.graduated("popu_2020", k=5, unit="人").resolve(census["popu_2020"])
    # head counts are whole numbers: the quantile breaks rounded down hold the same people
    # (issue 15: integer-aware breaks), so the counts below are those of the reference breaks
    pop = census["popu_2020"].dropna().to_numpy()
    assert np.array_equal(pop, np.floor(pop))
    np.testing.assert_allclose(style.breaks, np.floor(np.round(ref["breaks"], 6)), rtol=1e-12)
    m = si.choropleth_map(census, "popu_2020", unit="人")
    m.save(tmp_path / "m.html")
    page = (tmp_path / "m.html").read_text("utf-8")
    legend = json.loads(
        '"' + re.search(r'innerHTML = "(.*?si-legend-title.*?)";', page).group(1) + '"'
    )
    # same labels as the QGIS style would write, each with the brute-force count
    for label, n in zip(style.class_labels("zh"), ref["counts"], strict=True):
        assert f'{html.escape(label)} <span class="si-legend-count">({n}个)</span>' in legend
    assert f'{styles.NO_DATA_LABEL["zh"]} <span class="si-legend-count">(16个)</span>' in legend
    # the column's readable label (its own name when nobody labelled it) with the unit given
    name = styles.column_label("popu_2020", "zh", frame=census)
    assert f"{name}（人）" in legend and "分位数 (k=5)" in legend


def test_offline_figure_inlines_d3_and_jquery_only_when_used():
    import branca.colormap as cm

    m = make_offline(folium.Map(tiles=None))
    page = m.get_root().render()
    assert "d3.min.js:" not in page and "jquery.min.js:" not in page
    m = make_offline(folium.Map(tiles=None))
    cm.LinearColormap(["#ffffff", "#000000"], vmin=0, vmax=1).add_to(m)
    folium.Marker([30, 110], popup=folium.Popup("<b>x</b>")).add_to(m)  # $(`...`) in the script
    page = m.get_root().render()
    assert "d3/d3.min.js:" in page and "jquery/jquery.min.js:" in page
    assert external_asset_urls(page) == []


def test_offline_figure_refuses_unknown_external_asset():
    from folium.plugins import MarkerCluster

    m = make_offline(folium.Map(tiles=None))
    MarkerCluster().add_to(m)
    with pytest.raises(OfflineAssetError, match=r"markercluster.*offline=False"):
        m.get_root().render()


def test_external_asset_urls_finds_every_kind():
    page = (
        '<script src="https://a/x.js"></script><link rel="stylesheet" href="//b/y.css">'
        "<style>.x{background:url('http://c/z.png')} @import 'https://d/w.css';</style>"
        '<img src="https://e/i.png"><a href="https://leafletjs.com">Leaflet</a>'
    )
    assert external_asset_urls(page) == [
        "https://a/x.js",
        "//b/y.css",
        "http://c/z.png",
        "https://d/w.css",
        "https://e/i.png",
    ]


def test_region_names_and_values_are_escaped_in_tooltips(census):
    g = census.iloc[:3].copy()
    g["name"] = [XSS, "<b>bold</b>", "A&B"]
    m = si.choropleth_map(g, "popu_2020", label="<i>pop</i>", unit="<u>")
    page = m.get_root().render()
    assert XSS not in page and "<b>bold</b>" not in page and "<i>pop</i>" not in page
    fc = geojson_layers(page)[0]
    assert fc["features"][0]["properties"]["t0"] == html.escape(XSS)


def test_percent_and_capital_share_style():
    s = styles.capital_share().resolve([0.3, 0.5, 0.55, 0.8, 0.85])
    assert s.breaks == (0.5, 0.8, 1.0)
    assert s.class_labels() == ["30 % – 50 %", "50 % – 80 %", "80 % – 100 %"]
    assert s.classify([0.3, 0.5, 0.55, 0.8, 0.85, np.nan]).tolist() == [0, 0, 1, 1, 2, -1]
    assert styles.format_value(0.857, "percent") == "85.7 %"
    with pytest.raises(InputError, match="value_format"):
        styles.graduated("x", value_format="permille")


# ------------------------------------------------------------------------------------------
# bad input: a spatialinno error naming the column / row / region and the fix
# ------------------------------------------------------------------------------------------
def test_missing_column_names_it_and_lists_available(census):
    with pytest.raises(ColumnError, match=r"'rd_staff'.*available columns: code, name"):
        si.choropleth_map(census, "rd_staff")


def test_non_numeric_value_names_region(census):
    g = census[["code", "name", "geometry"]].copy()
    g["v"] = ["1"] * len(g)
    g.loc[3, "v"] = "n/a"
    with pytest.raises(InputError, match=r"'v' must be numeric.*'n/a'.*" + census.loc[3, "name"]):
        si.choropleth_map(g, "v")


def test_all_missing_column(census):
    g = census.assign(v=np.nan)
    with pytest.raises(InputError, match=r"'v' has no finite values"):
        si.choropleth_map(g, "v")


def test_bad_lang_scheme_and_k(census):
    with pytest.raises(InputError, match="lang must be 'zh' or 'en'"):
        si.choropleth_map(census, "popu_2020", lang="fr")
    with pytest.raises(InputError, match="unknown scheme 'jenks'"):
        si.choropleth_map(census, "popu_2020", scheme="jenks")
    with pytest.raises(InputError, match="3 to 7 classes"):
        si.choropleth_map(census, "popu_2020", k=9)


def test_duplicate_codes_named(census):
    g = pd.concat([census.iloc[:3], census.iloc[[1]]])
    with pytest.raises(InputError, match=r"more than one row.*天津市 \(120000\).*filter one year"):
        si.choropleth_map(g, "popu_2020")


def test_plain_table_with_unknown_codes(table2):
    t = table2.query("year == 2023").copy()
    t.loc[t.index[0], "code"] = "999999"
    with pytest.raises(InputError, match=r"join it first with si\.join_indicators"):
        si.choropleth_map(t, "gini_innovation")


def test_geodataframe_without_crs_or_name():
    g = gpd.GeoDataFrame({"name": ["a"], "v": [1.0]}, geometry=[shapely.box(100, 30, 101, 31)])
    with pytest.raises(InputError, match=r"no CRS.*set_crs\(4490\)"):
        si.choropleth_map(g, "v")
    with pytest.raises(ColumnError, match="needs a 'name' column"):
        si.choropleth_map(g.drop(columns="name").set_crs(4490), "v")
    with pytest.raises(InputError, match="has no rows"):
        si.choropleth_map(g.iloc[:0].set_crs(4490), "v")


def test_lisa_bad_label_names_region(census):
    g = census[["code", "name", "geometry"]].copy()
    g["lisa_cluster"] = "ns"
    g.loc[10, "lisa_cluster"] = "High-High"
    with pytest.raises(InputError, match=r"'High-High' at " + census.loc[10, "name"] + ".*HH, LL"):
        si.lisa_map(g)
    with pytest.raises(ColumnError, match="'lisa_cluster'"):
        si.lisa_map(census)


def test_hotspot_bad_bin_names_region(census):
    g = census[["code", "name", "geometry"]].copy()
    g["gi_bin"] = 0
    g.loc[5, "gi_bin"] = 4
    with pytest.raises(
        InputError, match=r"'gi_bin' has 4 at " + census.loc[5, "name"] + r".*-3\.\.3"
    ):
        si.hotspot_map(g)


def test_year_and_code_problems_in_province_tables(table2):
    with pytest.raises(InputError, match=r"no rows for year 2020.*2012, 2015, 2018, 2021, 2023"):
        si.coastal_lead_map(table2, "gini_innovation", year=2020)
    with pytest.raises(InputError, match=r"more than one row for 河北.*keep one row"):
        si.coastal_lead_map(table2, "gini_innovation", year=None)
    t = table2.query("year == 2021").copy()
    t.loc[t.index[0], "code"] = "130100"
    with pytest.raises(InputError, match=r"not province codes: 河北 \(130100\)"):
        si.capital_effect_map(t, "capital_share", year=2021)
    t = table2.query("year == 2021").copy()
    t.loc[t.index[2], "capital_share"] = -0.2
    with pytest.raises(InputError, match=r"-0.2 at .*between 0 and 1"):
        si.capital_effect_map(t, "capital_share", year=2021)
    with pytest.raises(ColumnError, match="needs a 'code' column"):
        si.coastal_lead_map(table2.drop(columns="code"), "gini_innovation")


def test_capital_share_in_percent_is_read_as_percent(table2):
    t = table2.assign(capital_share=table2["capital_share"] * 100)
    a = si.capital_effect_map(t, year=2021).get_root().render()
    b = si.capital_effect_map(table2, year=2021).get_root().render()
    legend = re.compile(r'innerHTML = "(.*?si-legend-title.*?)";')
    assert legend.findall(a) == legend.findall(b)
    assert "80 % – 100 %" in json.loads('"' + legend.findall(a)[0] + '"')


# ------------------------------------------------------------------------------------------
# in the browser, network off
# ------------------------------------------------------------------------------------------
def assert_clean(r: dict) -> None:
    assert r["console_errors"] == [], r["console_errors"]
    assert r["exceptions"] == [], r["exceptions"]
    assert r["failed_requests"] == [], r["failed_requests"]
    assert r["requests"] == [], r["requests"]
    assert r["dialogs"] == []


def rep_point(frame: gpd.GeoDataFrame, name: str) -> tuple[float, float]:
    p = frame.loc[frame["name"] == name].geometry.iloc[0].representative_point()
    return p.y, p.x


@requires_chromium
@pytest.mark.chromium
def test_choropleth_in_chromium(browser, census, tmp_path):
    m = si.choropleth_map(census, "popu_2020", unit="人", title="常住人口 2020")
    m.save(tmp_path / "c.html")
    lat, lon = rep_point(census, "成都市")
    r = browser.render(
        tmp_path / "c.html",
        hover_latlng=(lat, lon),
        path_classes=("si-region", "si-border"),
        screenshot=tmp_path / "c.png",
        evaluate={
            "fills": JS_FILLS,
            "layers": "Array.from(document.querySelectorAll('.leaflet-control-layers label'))"
            ".map(l => l.innerText.trim())",
            "borders_z": "getComputedStyle(document.querySelector('.leaflet-si-borders-pane'))"
            ".zIndex",
            "leaflet": "L.version",
        },
    )
    assert_clean(r)
    assert r["paths_by_class"] == {"si-region": 375, "si-border": 8}  # one path per region
    assert r["eval"]["leaflet"] == "1.9.3"
    assert r["eval"]["layers"] == [styles.column_label("popu_2020", "zh", frame=census), "境界线"]
    assert int(r["eval"]["borders_z"]) > 400  # border lines above the overlay pane
    assert r["title_text"] == "常住人口 2020"
    # hover: Chinese and English name, formatted value, class
    pop = census.loc[census["name"] == "成都市", "popu_2020"].iloc[0]
    tip = r["tooltip_text"]
    assert "成都市" in tip and "Chengdu" in tip and f"{pop:,.0f}" in tip
    # the colour of every region is its brute-force class colour, grey for no data
    ref = REF["census_popu_2020"]
    cls = expected_class(census["popu_2020"].to_numpy(float), ref["breaks"])
    colors = styles.palette(5)
    expected = [colors[c] if c >= 0 else NO_DATA_FILL for c in cls]  # no data: hatched
    assert r["eval"]["fills"] == expected
    assert np.bincount(cls[cls >= 0]).tolist() == ref["counts"]
    for label in styles.graduated("popu_2020").resolve(census["popu_2020"]).class_labels():
        assert label in r["legend_text"]
    assert "无数据 (16个)" in r["legend_text"]
    assert Path(r["screenshot_png_path"]).stat().st_size > 20_000


@requires_chromium
@pytest.mark.chromium
def test_escaped_name_shows_as_text_in_chromium(browser, tmp_path):
    g = gpd.GeoDataFrame(
        {"name": [XSS, "安全"], "name_en": ["<script>alert(2)</script>", "safe"], "v": [1.0, 2.0]},
        geometry=[shapely.box(100, 30, 104, 34), shapely.box(104, 30, 108, 34)],
        crs=4490,
    )
    si.choropleth_map(g, "v", k=3, title=XSS).save(tmp_path / "x.html")
    r = browser.render(
        tmp_path / "x.html",
        hover_latlng=(32.0, 102.0),
        evaluate={
            "imgs": "document.querySelectorAll('.leaflet-tooltip img, .si-title img').length"
        },
    )
    assert_clean(r)  # no alert() dialog, no request for "x"
    assert XSS in r["tooltip_text"] and "<script>alert(2)</script>" in r["tooltip_text"]
    assert "&lt;img src=x" in r["tooltip_html"]
    assert r["eval"]["imgs"] == 0
    assert r["title_text"] == XSS


@requires_chromium
@pytest.mark.chromium
def test_lisa_map_in_chromium(browser, lisa_frame, tmp_path):
    si.lisa_map(lisa_frame, "popu_2020", lang="en").save(tmp_path / "l.html")
    lat, lon = rep_point(lisa_frame, "上海市")
    r = browser.render(
        tmp_path / "l.html",
        hover_latlng=(lat, lon),
        path_classes=("si-region",),
        evaluate={"fills": JS_FILLS},
    )
    assert_clean(r)
    assert r["paths_by_class"]["si-region"] == len(lisa_frame)
    expected = [
        NO_DATA_FILL if v == "no data" else styles.LISA.color_of(v)
        for v in lisa_frame["lisa_cluster"]
    ]  # no data: hatched
    assert r["eval"]["fills"] == expected
    counts = lisa_frame["lisa_cluster"].value_counts()
    for cat in styles.LISA.categories:
        if counts.get(cat.value, 0):
            assert f"{cat.label_en} ({counts[cat.value]})" in r["legend_text"]
    cluster = lisa_frame.loc[lisa_frame["name"] == "上海市", "lisa_cluster"].iloc[0]
    assert "上海市" in r["tooltip_text"] and "Shanghai" in r["tooltip_text"]
    assert styles.LISA.label_of(cluster, "en") in r["tooltip_text"]
    assert "LISA clusters" in r["title_text"]


@requires_chromium
@pytest.mark.chromium
def test_hotspot_map_in_chromium(browser, hot_frame, tmp_path):
    si.hotspot_map(hot_frame, "popu_2020").save(tmp_path / "h.html")
    lat, lon = rep_point(hot_frame, "重庆市")
    r = browser.render(
        tmp_path / "h.html",
        hover_latlng=(lat, lon),
        path_classes=("si-region",),
        evaluate={"fills": JS_FILLS},
    )
    assert_clean(r)
    assert r["paths_by_class"]["si-region"] == len(hot_frame)
    no_data = hot_frame["gi_z"].isna()
    assert no_data.sum() == 16  # the units without census data
    assert r["eval"]["fills"] == [
        NO_DATA_FILL if nd else styles.HOTSPOTS.color_of(int(b))  # no data: hatched
        for nd, b in zip(no_data, hot_frame["gi_bin"], strict=True)
    ]
    assert "无数据 (16个)" in r["legend_text"]
    for level in ("99%", "95%", "90%"):
        assert f"热点 {level} 置信" in r["legend_text"] and f"冷点 {level} 置信" in r["legend_text"]
    z = hot_frame.loc[hot_frame["name"] == "重庆市", "gi_z"].iloc[0]
    assert "重庆市" in r["tooltip_text"] and styles.format_number(z) in r["tooltip_text"]


@requires_chromium
@pytest.mark.chromium
def test_coastal_lead_map_in_chromium(browser, table2, tmp_path):
    si.coastal_lead_map(table2, "gini_innovation", year=2023).save(tmp_path / "k.html")
    provinces = si.load_boundaries("province")
    lat, lon = rep_point(provinces, "河南省")
    r = browser.render(
        tmp_path / "k.html",
        hover_latlng=(lat, lon),
        path_classes=("si-region", "si-outline", "si-border"),
    )
    assert_clean(r)
    assert r["paths_by_class"] == {"si-region": 34, "si-outline": 4, "si-border": 8}
    ref = REF["table2_2023_gini_innovation"]
    for region, zh in (
        ("east", "东部"),
        ("central", "中部"),
        ("west", "西部"),
        ("northeast", "东北"),
    ):
        mean = styles.format_number(ref["region_mean"][region])
        assert f"{zh} {mean} (n={ref['region_n'][region]})" in r["legend_text"]
    coast = styles.format_number(ref["coastal_mean"]["coastal"])
    inland = styles.format_number(ref["coastal_mean"]["inland"])
    assert f"沿海 {coast} (n=9)" in r["legend_text"] and f"内陆 {inland} (n=17)" in r["legend_text"]
    assert (
        "无数据 (8个)" in r["legend_text"]
    )  # 4 municipalities, 西藏, HK, MO, TW are not in Table 2
    henan = table2.query("year == 2023 and code == '410000'")["gini_innovation"].iloc[0]
    assert "河南省" in r["tooltip_text"] and styles.format_number(henan) in r["tooltip_text"]


@requires_chromium
@pytest.mark.chromium
def test_capital_effect_map_in_chromium(browser, table2, tmp_path):
    si.capital_effect_map(table2, "capital_share", year=2021).save(tmp_path / "s.html")
    ref = REF["table2_2021_capital_share"]
    pref = si.load_boundaries("prefecture")
    urumqi = pref.loc[pref["code"] == "650100"].geometry.iloc[0].representative_point()
    r = browser.render(
        tmp_path / "s.html",
        hover_latlng=(urumqi.y, urumqi.x),
        path_classes=("si-region", "si-capital", "si-border"),
        evaluate={
            # Leaflet draws a circle as "M x,y a r,r 0 1,0 2r,0 ..." : read r back
            "radii": "Array.from(document.querySelectorAll('path.si-capital'))"
            ".map(p => parseFloat(p.getAttribute('d').split('a')[1]))",
        },
    )
    assert_clean(r)
    assert r["paths_by_class"] == {"si-region": 34, "si-capital": 26, "si-border": 8}
    shares = np.array(sorted(ref["shares"].values()))
    radii = np.sort(np.array(r["eval"]["radii"]))
    # Leaflet draws whole-pixel radii (Math.round); the map asks for 18 px * sqrt(share)
    # (issue 15: a smaller scale than the 20 px before; the page moves circles that overlap)
    assert CAPITAL_RADIUS_PX == 18.0
    np.testing.assert_array_equal(radii, np.floor(CAPITAL_RADIUS_PX * np.sqrt(shares) + 0.5))
    assert len(set(radii.tolist())) >= 8  # sizes really vary with the share
    labels = styles.capital_share().resolve(shares).class_labels()
    assert labels[1:] == ["50 % – 80 %", "80 % – 100 %"]
    for label, n in zip(labels, ref["class_counts"], strict=True):
        assert f"{label} ({n}个)" in r["legend_text"]
    assert "阈值：50 %" in r["legend_text"] and "80 %" in r["legend_text"]
    share = ref["shares"]["650000"]
    assert "乌鲁木齐市" in r["tooltip_text"] and "新疆维吾尔自治区" in r["tooltip_text"]
    assert styles.format_value(share, "percent") in r["tooltip_text"]


def test_capital_points_lie_in_the_capital_unit(table2):
    page = si.capital_effect_map(table2, year=2021).get_root().render()
    points = next(
        fc for fc in geojson_layers(page) if fc["features"][0]["geometry"]["type"] == "Point"
    )
    pref = si.load_boundaries("prefecture").set_index("name")
    ref = REF["table2_2021_capital_share"]
    codes = {pref.loc[f["properties"]["t0"].split(" / ")[0], "code"] for f in points["features"]}
    assert codes == set(ref["capital_code"].values())
    for f in points["features"]:
        unit = pref.loc[f["properties"]["t0"].split(" / ")[0]]
        assert unit.geometry.buffer(1e-4).contains(shapely.Point(f["geometry"]["coordinates"]))


def test_online_tiles_are_opt_in(census):
    offline = si.choropleth_map(census.iloc[:5], "popu_2020").get_root().render()
    online = si.choropleth_map(census.iloc[:5], "popu_2020", tiles="OpenStreetMap")
    page = online.get_root().render()
    assert "tile.openstreetmap.org" in page and "tile.openstreetmap.org" not in offline
    assert "L.tileLayer" not in offline
    assert external_asset_urls(page) == []  # still no CDN script/style; only the tiles go online


@requires_chromium
@pytest.mark.chromium
def test_public_base_map_api_for_other_maps(browser, tmp_path):
    # what the network map builds on: base map, outlines, border lines, legend, layer control
    from spatialinno.maps import base as maps

    m = maps.base_map("航空网络 <测试>", lang="zh")
    maps.add_outline(m, "province", "省界")
    folium.PolyLine([[39.9, 116.4], [31.2, 121.5]], color="#08519c", class_name="edge").add_to(m)
    maps.add_border_lines(m, "zh")
    maps.add_legend(m, "图例", [maps.LegendRow("#08519c", "航线 <1>", shape="line")], ["注"])
    maps.finish(m).save(tmp_path / "n.html")
    r = browser.render(tmp_path / "n.html", path_classes=("si-outline", "si-border", "edge"))
    assert_clean(r)
    assert r["paths_by_class"] == {"si-outline": 34, "si-border": 8, "edge": 1}
    assert r["title_text"] == "航空网络 <测试>"
    assert "航线 <1>" in r["legend_text"] and "图例" in r["legend_text"]


def test_capital_share_all_missing(table2):
    t = table2.assign(capital_share=np.nan)
    with pytest.raises(InputError, match=r"'capital_share' has no values for 2021"):
        si.capital_effect_map(t, year=2021)


# ------------------------------------------------------------------------------------------
# class schemes (styles.py): cross-checked by brute force
# ------------------------------------------------------------------------------------------
def test_fisher_jenks_breaks_are_the_exhaustive_optimum():
    from itertools import combinations

    x = np.array([1.0, 2, 2.5, 3, 7, 8, 8.5, 9, 20, 21, 23, 40])
    best, best_ss = None, np.inf
    for cuts in combinations(range(1, len(x)), 3):  # every split of sorted x into 4 classes
        parts = np.split(x, cuts)
        ss = sum(((p - p.mean()) ** 2).sum() for p in parts)
        if ss < best_ss - 1e-12:
            best, best_ss = tuple(float(p.max()) for p in parts), ss
    assert styles.class_breaks(x, "fisher_jenks", k=4) == best


def test_equal_interval_and_user_bins_by_formula():
    # the formula's breaks are scheme_breaks (class_breaks merges the empty class (5, 8])
    x = np.array([2.0, 5, 11, 14])
    assert scheme_breaks(x, "equal_interval", k=4) == (5.0, 8.0, 11.0, 14.0)
    assert styles.class_breaks(x, "equal_interval", k=4) == (5.0, 11.0, 14.0)
    assert styles.class_breaks(x, "user", bins=[4, 10]) == (4.0, 10.0, 14.0)
    with pytest.raises(InputError, match="needs bins="):
        styles.class_breaks(x, "user")


def test_natural_breaks_are_reproducible_and_leave_global_rng_alone():
    x = np.random.default_rng(3).lognormal(size=300)
    np.random.seed(123)
    expected_next = np.random.random()
    np.random.seed(123)
    a = styles.class_breaks(x, "natural_breaks", k=5)
    assert np.random.random() == expected_next  # the caller's global RNG stream is untouched
    assert styles.class_breaks(x, "natural_breaks", k=5) == a


def test_vendored_assets_have_licences_and_documented_versions():
    from importlib.resources import files

    from spatialinno.maps import offline as _offline

    root = files("spatialinno").joinpath("_assets")
    readme = root.joinpath("README.md").read_text("utf-8")
    for asset in _offline.ASSETS:
        folder = asset.relpath.split("/")[0]
        assert root.joinpath(asset.relpath).is_file()
        assert "Copyright" in root.joinpath(folder, "LICENSE").read_text("utf-8")
    for name, version in (
        ("leaflet", _offline.LEAFLET_VERSION),
        ("d3", _offline.D3_VERSION),
        ("jquery", _offline.JQUERY_VERSION),
    ):
        assert f"| `{name}` | {version}" in readme
    assert f'version="{_offline.LEAFLET_VERSION}"' in _offline.asset_text("leaflet/leaflet.js")
    assert f'{{version:"{_offline.D3_VERSION}"}}' in _offline.asset_text("d3/d3.min.js")
    css = _offline.asset_text("leaflet/leaflet.css")
    assert "url(images/" not in css and css.count("url(data:image/png;base64,") == 3
    assert "sourceMappingURL" not in _offline.asset_text("jquery/jquery.min.js")


@requires_chromium
@pytest.mark.chromium
def test_harness_reports_what_it_must(browser, tmp_path):
    # the offline assertions above are only worth something if the harness sees failures
    page = tmp_path / "bad.html"
    page.write_text(
        "<html><head><script src='https://cdn.example.org/lib.js'></script></head><body>"
        "<img src='missing.png'><script>console.error('boom'); alert('xss');"
        "setTimeout(() => { throw new Error('late'); }, 0);</script></body></html>",
        "utf-8",
    )
    r = browser.render(page)
    assert "boom" in r["console_errors"]
    assert any("late" in e for e in r["exceptions"])
    assert r["dialogs"] == ["xss"]
    failed = [u for u, _ in r["failed_requests"]]
    assert "https://cdn.example.org/lib.js" in failed
    assert any(u.endswith("/missing.png") for u in failed)
    assert "https://cdn.example.org/lib.js" in r["requests"]


def test_own_geometry_is_reprojected_to_degrees():
    # a user GeoDataFrame without codes, in Web Mercator: drawn where it is, in lon/lat
    g = gpd.GeoDataFrame(
        {"name": ["甲", "乙"], "v": [1.0, 2.0]},
        geometry=[shapely.box(100, 30, 101, 31), shapely.box(101, 30, 102, 31)],
        crs=4490,
    ).to_crs(3857)
    fc = geojson_layers(si.choropleth_map(g, "v", k=3).get_root().render())[0]
    xy = all_coords(fc)
    np.testing.assert_allclose([xy[:, 0].min(), xy[:, 0].max()], [100, 102], atol=1e-5)
    np.testing.assert_allclose([xy[:, 1].min(), xy[:, 1].max()], [30, 31], atol=1e-5)


def test_english_labels(table2):
    page = si.coastal_lead_map(table2, "gini_innovation", year=2023, lang="en").get_root().render()
    legends = [json.loads(f'"{h}"') for h in re.findall(r'innerHTML = "(.*?)";', page)]
    text = " ".join(legends)
    assert "Innovation-resource Gini (2023): four regions and the coast" in text  # title
    assert "classes: quantiles (k=5)" in text and "no data" in text
    ref = REF["table2_2023_gini_innovation"]
    assert f"East {styles.format_number(ref['region_mean']['east'])} (n=7)" in text
    assert f"coastal {styles.format_number(ref['coastal_mean']['coastal'])} (n=9)" in text
    assert "Boundaries: Tianditu" in text and "无数据" not in text


def test_unknown_codes_fall_back_to_own_geometry_with_a_warning(census):
    from spatialinno._errors import DataWarning

    g = census.iloc[:4].copy()
    g.loc[g.index[0], "code"] = "371200"  # 莱芜, merged into 济南 in 2019: in no current layer
    with pytest.warns(DataWarning, match=r"1 code\(s\) of the frame are in no boundary layer"):
        page = si.choropleth_map(g, "popu_2020", k=3).get_root().render()
    assert len(geojson_layers(page)[0]["features"]) == 4
    with pytest.raises(InputError, match="neither geometry nor a 'code' column"):
        si.choropleth_map(pd.DataFrame({"name": ["a"], "v": [1.0]}), "v")


def test_capital_map_when_every_share_is_above_50_percent(table2):
    t = table2.query("year == 2021 and capital_share > 0.5")
    page = si.capital_effect_map(t, year=2021).get_root().render()
    legend = next(
        json.loads(f'"{h}"') for h in re.findall(r'innerHTML = "(.*?)";', page) if "si-legend" in h
    )
    n_mid = int(((t["capital_share"] > 0.5) & (t["capital_share"] <= 0.8)).sum())
    assert '≤ 50 % <span class="si-legend-count">(0个)</span>' in legend
    assert f'50 % – 80 % <span class="si-legend-count">({n_mid}个)</span>' in legend


# ------------------------------------------------------------------------------------------
# several map kinds on one map (m=), as GeoDataFrame.explore(m=...)
# ------------------------------------------------------------------------------------------
@requires_chromium
@pytest.mark.chromium
def test_two_map_kinds_on_one_map_in_chromium(browser, census, lisa_frame, tmp_path):
    m = si.choropleth_map(census, "popu_2020", unit="人", title="人口与集聚")
    assert si.lisa_map(lisa_frame, "popu_2020", m=m) is m
    m.save(tmp_path / "both.html")
    page = (tmp_path / "both.html").read_text("utf-8")
    assert external_asset_urls(page) == []
    # one regions layer per map kind, one border-lines layer for both
    assert len(geojson_layers(page)) == 3
    r = browser.render(
        tmp_path / "both.html",
        path_classes=("si-region", "si-border"),
        evaluate={
            "layers": "Array.from(document.querySelectorAll('.leaflet-control-layers label'))"
            ".map(l => l.innerText.trim())",
            "controls": "document.querySelectorAll('.leaflet-control-layers').length",
            "legends": "document.querySelectorAll('.si-legend').length",
            "titles": "document.querySelectorAll('.si-title').length",
        },
    )
    assert_clean(r)
    name = styles.column_label("popu_2020", "zh", frame=census)
    assert r["eval"]["layers"] == [name, "境界线", "LISA 聚类"]
    assert r["eval"]["controls"] == 1 and r["eval"]["legends"] == 2 and r["eval"]["titles"] == 1
    assert r["paths_by_class"] == {"si-region": 2 * len(census), "si-border": 8}
    assert r["title_text"] == "人口与集聚"  # the map keeps its own title
    counts = lisa_frame["lisa_cluster"].value_counts()
    assert f"高-高集聚 ({counts['HH']}个)" in r["legend_text"]  # the second legend
    assert "无数据 (16个)" in r["legend_text"]  # the first one


@requires_chromium
@pytest.mark.chromium
def test_network_on_a_choropleth_in_chromium(browser, table2, tmp_path):
    air = si.load_dataset("air_routes_2014")
    net = si.city_network(air, "gb_o", "gb_d", weight="n_route_records", year="year")
    m = si.coastal_lead_map(table2, "gini_innovation", year=2023)
    assert si.network_map(net, year=2014, top=50, m=m) is m
    m.save(tmp_path / "net.html")
    r = browser.render(
        tmp_path / "net.html",
        path_classes=("si-region", "si-edge", "si-node", "si-border"),
        evaluate={
            "layers": "Array.from(document.querySelectorAll('.leaflet-control-layers label'))"
            ".map(l => l.innerText.trim())",
        },
    )
    assert_clean(r)
    # the provinces of the choropleth, not the network's opaque prefecture units
    assert r["paths_by_class"]["si-region"] == 34 and r["paths_by_class"]["si-border"] == 8
    assert r["paths_by_class"]["si-node"] == 161 and r["paths_by_class"]["si-edge"] >= 50
    assert r["eval"]["layers"] == [
        "创新资源基尼系数",
        "境界线",
        "四大地区界线",
        "沿海省份",  # issue 15: coastal provinces are marked
        "联系（边）",
        "城市（节点）",
    ]
    assert "城市层级" in r["legend_text"] and "地区均值" in r["legend_text"]


def test_a_plain_folium_map_is_made_offline_and_keeps_its_view(census):
    m = folium.Map(location=[30, 110], zoom_start=6, tiles=None)
    out = si.hotspot_map(si.hotspots(census, "popu_2020", seed=1), m=m)
    assert out is m
    page = m.get_root().render()
    assert external_asset_urls(page) == [] and "1.9.3" in page  # Leaflet inlined
    # the caller's view and title are kept: no fitBounds, no title box added
    assert not any(isinstance(c, folium.map.FitBounds) for c in m._children.values())
    assert '"si-title"' not in page and '"si-legend"' in page
    with pytest.raises(InputError, match=r"m must be a folium\.Map"):
        si.choropleth_map(census, "popu_2020", m="map.html")


# ------------------------------------------------------------------------------------------
# one palette, one number format
# ------------------------------------------------------------------------------------------
def test_every_colour_lives_in_styles():
    """No module outside spatialinno/styles/ writes a hex colour (docstrings aside)."""
    import ast

    root = Path(si.__file__).parent
    colour = re.compile(r"(?<![&\w])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
    found = []
    for path in sorted(root.rglob("*.py")):
        if "styles" in path.relative_to(root).parts:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and id(node) not in docstrings and colour.search(text):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []
    # and the palette holds the colours the maps and the report use
    assert styles.MAP_COLORS["background"] == "#f4f8fb" and styles.PAGE_COLORS["text"] == "#222"


@pytest.mark.parametrize(
    ("value", "label", "table", "label_pct", "table_pct"),
    [
        (None, "—", "–", "—", "–"),
        (float("nan"), "—", "–", "—", "–"),
        (float("inf"), "—", "inf", "—", "inf"),
        (0.5, "0.5", "0.5", "50 %", "50 %"),
        (0.8567, "0.857", "0.857", "85.7 %", "85.7 %"),
        (0.012345, "0.0123", "0.0123", "1.2 %", "1.2 %"),
        (5.0, "5", "5", "500 %", "500 %"),
        (250.0, "250", "250", "25,000 %", "25,000 %"),
        (813.0, "813", "813", "81,300 %", "81,300 %"),
        (999.6, "1,000", "1,000", "99,960 %", "99,960 %"),
        (1234.5, "1,234", "1,234", "123,450 %", "123,450 %"),
        (3029.737, "3,030", "3,030", "302,974 %", "302,974 %"),
        (21893095.0, "21,893,095", "21,893,095", "2,189,309,500 %", "2,189,309,500 %"),
        (7, "7", "7", "700 %", "700 %"),
        (1234, "1,234", "1,234", "123,400 %", "123,400 %"),
        (np.int64(123456), "123,456", "123,456", "12,345,600 %", "12,345,600 %"),
    ],
)
def test_one_number_formatter_in_every_context(value, label, table, label_pct, table_pct):
    # one rule by magnitude in every output (issue 15: "14,007" sat beside "3029.737"); maps and
    # tables differ only in the text of a missing or infinite value
    from spatialinno.workflow.report import format_cell

    assert styles.format_number(value) == label
    assert styles.format_number(value, fmt=styles.TABLE) == table
    assert styles.format_number(value, percent=True) == label_pct
    assert styles.format_value(value, "percent") == label_pct
    is_int = isinstance(value, (int, np.integer))
    assert format_cell(value) == table
    assert format_cell(value, percent=True) == (table if is_int else table_pct)  # counts stay
    if value is not None and np.isfinite(value) and float(value).is_integer():
        # the network map's old rule: whole weights as integers with thousands separators
        assert styles.format_number(value) == (f"{int(value):,}" if value != 999.6 else label)
