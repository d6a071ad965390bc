"""Web maps of space-time results (issue 18): emerging hot spots, centre of gravity and ellipses.

Opened in headless Chromium (tests/helpers_chromium.py): no console error, no request leaving
the machine, one path per region / ellipse / segment / point, the legend's counts equal to the
result's, tooltips in Chinese with the result's numbers, hostile text shown as text.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from helpers_chromium import Chromium, requires_chromium
from helpers_hostile import PAYLOADS, PWNED_JS

import spatialinno as si
from spatialinno import styles
from spatialinno._errors import InputError
from spatialinno.maps.offline import external_asset_urls

HEX = re.compile(r"^#[0-9a-f]{6}$")


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    p = si.load_dataset("province_panel")
    p = p[(p["gb"] != "156000000") & p["year"].between(2010, 2023)]
    cols = ["gb", "province", "year", "rd_exp_total_10k_yuan"]
    return si.join_indicators(p[cols], "province")


@pytest.fixture(scope="module")
def ehsa(panel):
    return si.emerging_hotspots(panel, "rd_exp_total_10k_yuan")


@pytest.fixture(scope="module")
def centers(panel):
    return si.gravity_center(panel, "rd_exp_total_10k_yuan")


@pytest.fixture(scope="module")
def ellipses(panel):
    return si.deviational_ellipse(panel, "rd_exp_total_10k_yuan")


@pytest.fixture(scope="module")
def browser():
    if requires_chromium.args[0]:
        pytest.skip(requires_chromium.kwargs["reason"])
    with Chromium(size=(1000, 700)) as b:
        yield b


def assert_clean(r: dict) -> None:
    assert r["console_errors"] == [], r["console_errors"]
    assert r["exceptions"] == [], r["exceptions"]
    assert r["failed_requests"] == [], r["failed_requests"]
    assert r["requests"] == [], r["requests"]
    assert r["dialogs"] == []


# --------------------------------------------------------------------------------------------
# colours: every category defined, distinct, in styles
# --------------------------------------------------------------------------------------------
def test_every_emerging_category_has_its_own_colour():
    names = list(si.EHSA_CATEGORIES)
    assert len([n for n in names if si.EHSA_CATEGORIES[n]["code"] is not None]) == 17
    style = styles.EMERGING
    values = [c.value for c in style.categories]
    assert values == names  # every category the measure writes, in the same order
    colours = [c.color for c in style.categories]
    assert all(HEX.match(c) for c in colours), colours
    assert len(set(colours)) == len(colours) == 19  # 17 + isolated + no data, all distinct
    # the four read from an ArcGIS-generated Emerging Hot Spot layer
    assert style.color_of("new hot spot") == "#cb0800"
    assert style.color_of("intensifying hot spot") == "#e01709"
    # hot categories are red (R > B), cold ones blue (B > R)
    for c in style.categories:
        r, b = int(c.color[1:3], 16), int(c.color[5:7], 16)
        if c.value.endswith("hot spot"):
            assert r > b, c
        elif c.value.endswith("cold spot"):
            assert b > r, c
    # labels: ArcGIS's Chinese wording from the measure; no data / isolated as on the LISA map
    assert (
        style.label_of("oscillating cold spot") == si.EHSA_CATEGORIES["oscillating cold spot"]["zh"]
    )
    assert style.color_of("no data") == styles.NO_DATA_COLOR
    assert style.color_of("isolated") == styles.LISA.color_of("isolated")


def test_year_colors_run_from_first_to_last():
    c = styles.year_colors(14)
    assert c[0] == styles.GRAVITY_COLORS["first"] and c[-1] == styles.GRAVITY_COLORS["last"]
    assert len(set(c)) == 14 and all(HEX.match(x) for x in c)
    with pytest.raises(InputError):
        styles.year_colors(0)


# --------------------------------------------------------------------------------------------
# emerging hot spots
# --------------------------------------------------------------------------------------------
@requires_chromium
@pytest.mark.chromium
def test_emerging_map_in_chromium(browser, ehsa, tmp_path):
    m = si.emerging_hotspot_map(ehsa, "R&D 经费")
    m.save(tmp_path / "e.html")
    page = (tmp_path / "e.html").read_text("utf-8")
    assert external_asset_urls(page) == []
    # the point of 湖北 (a rising province): its tooltip
    hubei = ehsa.loc[ehsa["name"] == "湖北省"].iloc[0]
    p = hubei.geometry.representative_point()
    r = browser.render(
        tmp_path / "e.html",
        path_classes=("si-region",),
        hover_latlng=(p.y, p.x),
        all_tooltips=True,
    )
    assert_clean(r)
    assert r["paths_by_class"] == {"si-region": len(ehsa)} == {"si-region": 34}
    counts = ehsa["category"].value_counts()
    for cat in styles.EMERGING.categories:
        n = int(counts.get(cat.value, 0))
        if cat.value in ("isolated", "no data") and n == 0:
            assert cat.label_zh not in r["legend_text"]
        else:  # the 17 categories always listed, with the number of units
            assert f"{cat.label_zh} ({n}个)" in r["legend_text"], cat.value
    assert "年份: 2010–2023" in r["legend_text"]
    tip = r["tooltip_text"]
    assert "湖北省" in tip and f"类别\t{hubei['category_zh']}" in tip
    trend = {"increasing": "上升", "decreasing": "下降", "no trend": "无显著趋势"}[
        hubei["mk_trend"]
    ]
    assert f"Gi* z 值趋势（Mann–Kendall）\t{trend}" in tip
    assert f"热点年数\t{int(hubei['n_hot'])}" in tip
    # every region's tooltip carries its category in Chinese
    assert len(r["all_tooltips"]) == 34 + 0  # the border lines have no tooltip
    shown = sorted(t.split("类别\t")[1].strip() for t in r["all_tooltips"])
    assert shown == sorted(ehsa["category_zh"].tolist())


def test_emerging_map_refuses_unknown_categories(ehsa):
    bad = ehsa.copy()
    bad.loc[bad.index[3], "category"] = "very hot"
    with pytest.raises(InputError, match=r"'very hot' at .*categories are those"):
        si.emerging_hotspot_map(bad)
    # a missing category is "no data", not an error
    miss = ehsa.copy()
    miss.loc[miss.index[3], "category"] = None
    si.emerging_hotspot_map(miss)


# --------------------------------------------------------------------------------------------
# centre of gravity and ellipses
# --------------------------------------------------------------------------------------------
@requires_chromium
@pytest.mark.chromium
def test_gravity_map_in_chromium(browser, centers, ellipses, tmp_path):
    m = si.gravity_map(centers, ellipses)
    m.save(tmp_path / "g.html")
    assert external_asset_urls((tmp_path / "g.html").read_text("utf-8")) == []
    last = centers.iloc[-1]
    r = browser.render(
        tmp_path / "g.html",
        path_classes=("si-ellipse", "si-center-path", "si-center", "si-outline", "si-border"),
        hover_latlng=(float(last["lat"]), float(last["lon"])),
        all_tooltips=True,
    )
    assert_clean(r)
    n = len(centers)
    assert n == 14
    assert r["paths_by_class"]["si-ellipse"] == n
    assert r["paths_by_class"]["si-center-path"] == n - 1  # one segment per pair of years
    assert r["paths_by_class"]["si-center"] == n
    assert r["paths_by_class"]["si-outline"] == 34  # province outlines underneath
    assert "重心 2010" in r["legend_text"] and "标准差椭圆 2023" in r["legend_text"]
    tips = r["all_tooltips"]
    point_tips = [t for t in tips if t.startswith("年份") and "经度" in t]
    assert len(point_tips) == n
    t2023 = next(t for t in point_tips if "年份\t2023" in t)
    assert f"经度\t{last['lon']:.3f}" in t2023 and f"纬度\t{last['lat']:.3f}" in t2023
    assert f"方向\t{last['direction_zh']}" in t2023
    seg = [t for t in tips if "从 2022 到 2023" in t]
    assert len(seg) == 1 and f"{last['shift_km']:.3g}" in seg[0]
    e = ellipses.iloc[0]
    e_tip = next(t for t in tips if "长半轴" in t and "年份\t2010" in t)
    assert f"长半轴（km）\t{e['semi_major_km']:.1f}" in e_tip


@requires_chromium
@pytest.mark.chromium
def test_both_kinds_on_one_map_in_chromium(browser, ehsa, centers, ellipses, tmp_path):
    m = si.emerging_hotspot_map(ehsa, title="两种图层")
    assert si.gravity_map(centers, ellipses, outline=None, m=m) is m
    m.save(tmp_path / "both.html")
    r = browser.render(
        tmp_path / "both.html",
        path_classes=("si-region", "si-ellipse", "si-center", "si-border"),
        evaluate={
            "legends": "document.querySelectorAll('.si-legend').length",
            "controls": "document.querySelectorAll('.leaflet-control-layers').length",
        },
    )
    assert_clean(r)
    assert r["paths_by_class"]["si-region"] == 34 and r["paths_by_class"]["si-ellipse"] == 14
    assert r["eval"] == {"legends": 2, "controls": 1}
    assert r["title_text"] == "两种图层"


def test_gravity_map_checks_its_input(centers):
    with pytest.raises(si.ColumnError, match="lon"):
        si.gravity_map(pd.DataFrame({"year": [1], "x": [1.0]}))
    bad = pd.DataFrame(centers).copy()
    bad.loc[bad.index[2], "lat"] = np.nan
    with pytest.raises(InputError, match=r"row 2 .*year 2012"):
        si.gravity_map(bad)


# --------------------------------------------------------------------------------------------
# hostile text: names, the value, the title and the years are data
# --------------------------------------------------------------------------------------------
@requires_chromium
@pytest.mark.chromium
def test_hostile_text_on_space_time_maps(browser, ehsa, centers, tmp_path):
    g = ehsa[["code", "geometry", "category", "mk_trend"]].copy()
    g["name"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(len(g))]
    c = pd.DataFrame(centers[["lon", "lat", "shift_km"]]).copy()
    c["year"] = [PAYLOADS[i % len(PAYLOADS)] + f"#{i}" for i in range(len(c))]
    c["direction_zh"] = PAYLOADS[-1]
    for i, payload in enumerate(PAYLOADS):
        m = si.emerging_hotspot_map(g, payload, title=payload)
        si.gravity_map(c, m=m, title=payload)
        path = tmp_path / f"h{i}.html"
        m.save(path)
        page = path.read_text("utf-8")
        assert "<img data-pwn" not in page and "<script data-pwn" not in page
        r = browser.render(path, all_tooltips=True, evaluate={"pwned": PWNED_JS})
        assert_clean(r)
        assert r["eval"]["pwned"] is None and r["injected"] == []
        if "\u2028" not in payload:  # shown as typed (innerText turns U+2028 into a break)
            assert r["title_text"] == payload
            assert any(f"名称\t{payload}" in t for t in r["all_tooltips"])
