"""Print figures (spatialinno.figures): images against committed baselines, the inset, fonts,
sizes and formats, greyscale, hostile text, and agreement with the web maps.

Image tests use pytest-mpl (``--mpl`` is in the pytest options of pyproject.toml), comparing a
PNG rendered at 60 dpi with ``tests/baseline/figures/<kind>.png`` at an RMS tolerance of
``TOL`` (0-255 scale); ``test_tolerance_catches_real_changes`` shows that the changes these
tests exist to catch (a missing inset, colour instead of grey, other classes) are far above it.
Regenerate the baselines after an intended change with::

    pytest tests/test_figures.py -k image --mpl-generate-path=tests/baseline/figures
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.testing.compare import compare_images
from matplotlib.testing.exceptions import ImageComparisonFailure

import spatialinno as si
from spatialinno import styles
from spatialinno._errors import InputError
from spatialinno.boundaries.load import load_boundaries
from spatialinno.figures import fonts
from spatialinno.figures.geometry import ALBERS, MAINLAND_LONLAT, scs_extent
from spatialinno.styles.printing import grey_fill

BASELINE = Path(__file__).parent / "baseline" / "figures"
TOL = 3.0
IMAGE = {
    "baseline_dir": "baseline/figures",
    "savefig_kwargs": {"dpi": 60},
    "tolerance": TOL,
    "style": "default",
}


# ------------------------------------------------------------------------------------------
# inputs (deterministic: no permutation test decides a class drawn in a baseline)
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def t2() -> pd.DataFrame:
    return si.load_dataset("zhao2025_table2")


@pytest.fixture(scope="module")
def panel20() -> pd.DataFrame:
    p = si.load_dataset("province_panel")
    return p.query("year == 2020 and gb != '156000000'")


def _province_classes() -> pd.DataFrame:
    g = load_boundaries("province")[["code", "name", "region", "geometry"]].copy()
    lisa = {"east": "HH", "west": "LL", "central": "ns", "northeast": "LH"}
    g["lisa_cluster"] = g["region"].map(lisa).fillna("ns")
    g.loc[g["code"] == "620000", "lisa_cluster"] = "HL"  # Gansu
    g.loc[g["code"] == "710000", "lisa_cluster"] = None  # Taiwan: no data
    bins = {"east": 3, "central": 1, "west": -2, "northeast": 0}
    g["gi_bin"] = g["region"].map(bins)
    g.loc[g["code"].isin(["110000", "120000"]), "gi_bin"] = 2
    g.loc[g["code"] == "630000", "gi_bin"] = -3
    g.loc[g["code"] == "510000", "gi_bin"] = -1
    return g


@pytest.fixture(scope="module")
def classes() -> pd.DataFrame:
    return _province_classes()


@pytest.fixture(scope="module")
def network() -> si.CityNetwork:
    air = si.load_dataset("air_routes_2014")
    return si.city_network(air, "gb_o", "gb_d", weight="n_route_records", year="year")


@pytest.fixture(scope="module")
def yrd() -> pd.DataFrame:
    """Prefectures of the Yangtze delta provinces with the 2015 yearbook GDP (a regional map)."""
    cy = si.load_dataset("city_yearbook_2015").drop(columns=["match_how"])
    pref = si.join_indicators(cy, "prefecture", key="gb", on_unmatched="ignore")
    return pref[pref["province_code"].isin(["310000", "320000", "330000", "340000"])]


def _moran_frame() -> pd.DataFrame:
    prov = load_boundaries("province").query("region.notna()", engine="python").copy()
    prov["lon"] = prov.to_crs(si.boundaries.EQUAL_AREA_CRS).centroid.x / 1000
    return prov


# ------------------------------------------------------------------------------------------
# image tests: every figure kind, both languages, colour and greyscale
# ------------------------------------------------------------------------------------------
def _case(name: str, marks: tuple = ()) -> object:
    return pytest.param(
        name, id=name, marks=pytest.mark.mpl_image_compare(filename=f"{name}.png", **IMAGE)
    )


def _draw(kind: str, request: pytest.FixtureRequest) -> object:
    get = request.getfixturevalue
    if kind == "choropleth_zh":
        return si.plot_choropleth(get("panel20"), "rd_fte_total_person_years", names=True,
                                  review_number="GS(2024)0650")  # fmt: skip
    if kind == "choropleth_en_grey":
        return si.plot_choropleth(get("panel20"), "rd_fte_total_person_years", lang="en",
                                  style="grey", width="single")  # fmt: skip
    if kind == "multiples_zh":  # the reference study's five years, one legend, one inset
        return si.plot_choropleth(get("t2"), "gini_innovation", by="year")
    if kind == "multiples_en_grey":
        return si.plot_choropleth(get("t2"), "gini_innovation", by="year", lang="en", style="grey")
    if kind == "regional_en":
        return si.plot_choropleth(get("yrd"), "GDP10000", names="units", lang="en", width="single")
    if kind == "lisa_zh":
        return si.plot_lisa(get("classes"))
    if kind == "lisa_en_grey":
        return si.plot_lisa(get("classes"), lang="en", style="grey")
    if kind == "hotspots_zh_grey":
        return si.plot_hotspots(get("classes"), style="grey", width="single")
    if kind == "hotspots_en":
        return si.plot_hotspots(get("classes"), lang="en")
    if kind == "coastal_zh":
        return si.plot_coastal_lead(get("t2"), "gini_innovation")
    if kind == "coastal_en_grey":
        return si.plot_coastal_lead(get("t2"), "gini_innovation", lang="en", style="grey")
    if kind == "capital_zh_grey":
        return si.plot_capital_effect(get("t2"), style="grey")
    if kind == "capital_en":
        return si.plot_capital_effect(get("t2"), lang="en")
    if kind == "network_zh":
        return si.plot_network(get("network"), top=100)
    if kind == "network_en_grey":
        return si.plot_network(get("network"), top=100, lang="en", style="grey")
    if kind == "region_means_zh":
        return si.plot_region_means(get("t2"), "gini_innovation")
    if kind == "region_means_en_grey":
        return si.plot_region_means(get("t2"), "gini_innovation", lang="en", style="grey")
    if kind == "capital_shares_zh":
        return si.plot_capital_shares(get("t2"))
    if kind == "capital_shares_en_grey":
        return si.plot_capital_shares(get("t2"), lang="en", style="grey")
    if kind == "moran_zh":
        return si.plot_moran_scatter(_moran_frame(), "lon", permutations=99, seed=0)
    if kind == "moran_en_grey":
        g = _moran_frame().merge(_province_classes()[["code", "lisa_cluster"]], on="code")
        return si.plot_moran_scatter(g, "lon", permutations=99, seed=0, lang="en", style="grey")
    raise AssertionError(kind)


KINDS = [
    "choropleth_zh", "choropleth_en_grey", "multiples_zh", "multiples_en_grey", "regional_en",
    "lisa_zh", "lisa_en_grey", "hotspots_zh_grey", "hotspots_en", "coastal_zh",
    "coastal_en_grey", "capital_zh_grey", "capital_en", "network_zh", "network_en_grey",
    "region_means_zh", "region_means_en_grey", "capital_shares_zh", "capital_shares_en_grey",
    "moran_zh", "moran_en_grey",
]  # fmt: skip


@pytest.mark.parametrize("kind", [_case(k) for k in KINDS])
def test_image(kind: str, request: pytest.FixtureRequest) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("error", fonts.FontWarning)
        warnings.filterwarnings("error", message=".*Glyph.*missing")
        warnings.filterwarnings("ignore", message=".*region\\(s\\) with a missing value")
        return _draw(kind, request)


def test_every_baseline_is_used() -> None:
    assert sorted(p.stem for p in BASELINE.glob("*.png")) == sorted(KINDS)


def test_tolerance_catches_real_changes(tmp_path: Path, panel20: pd.DataFrame) -> None:
    """The changes the image tests exist for give an RMS far above TOL; the same figure 0."""
    col = "rd_fte_total_person_years"
    cases = {
        "same": si.plot_choropleth(panel20, col, lang="en", style="grey", width="single"),
        "no_inset": si.plot_choropleth(
            panel20, col, lang="en", style="grey", width="single", inset=False
        ),
        "colour": si.plot_choropleth(panel20, col, lang="en", width="single"),
        "k4": si.plot_choropleth(panel20, col, k=4, lang="en", style="grey", width="single"),
    }
    rms = {}
    for name, fig in cases.items():
        fig.savefig(tmp_path / f"{name}.png", dpi=60)
        try:
            res = compare_images(str(BASELINE / "choropleth_en_grey.png"), str(tmp_path / f"{name}.png"),
                             tol=0, in_decorator=True)  # fmt: skip
        except ImageComparisonFailure:  # another size: a change the image test reports
            rms[name] = np.inf
            continue
        rms[name] = 0.0 if res is None else res["rms"]
    assert rms["same"] <= TOL
    assert min(rms["no_inset"], rms["colour"], rms["k4"]) > 3 * TOL, rms


# ------------------------------------------------------------------------------------------
# the South China Sea inset
# ------------------------------------------------------------------------------------------
def _inset(fig: object) -> object:
    found = [a for ax in fig.axes for a in ax.child_axes if a.get_gid() == "si-inset"]
    assert len(found) == 1, "exactly one South China Sea inset"
    return found[0]


def _projected(gs: object) -> np.ndarray:
    return gs.to_crs(ALBERS).geometry.to_numpy()


def test_inset_holds_the_ten_dash_line_and_the_islands(panel20: pd.DataFrame) -> None:
    fig = si.plot_choropleth(panel20, "rd_fte_total_person_years")
    inset = _inset(fig)
    x0, y0, x1, y1 = scs_extent()
    assert inset.get_xlim() == (x0, x1) and inset.get_ylim() == (y0, y1)
    # the ten-dash line: every vertex of the line features south of 17.5°N is drawn in the inset
    lines = load_boundaries("lines")
    dashes = shapely.get_parts(shapely.clip_by_rect(lines.geometry.to_numpy(), 100, 0, 125,
                                                    MAINLAND_LONLAT[1]))  # fmt: skip
    dashes = dashes[~shapely.is_empty(dashes)]
    # seven of the ten dashes lie south of the mainland box (17.5°N); the northern ones (off
    # Vietnam, near the Philippines, east of Taiwan) are in the main map as well as the inset
    assert len(dashes) == 7
    south = gpd.GeoSeries(dashes, crs=4490)
    want = shapely.get_coordinates(shapely.clip_by_rect(_projected(south), x0, y0, x1, y1))
    drawn = np.concatenate([np.concatenate(c.get_segments()) for c in inset.collections
                            if isinstance(c, LineCollection)])  # fmt: skip
    dist = np.min(np.hypot(*(want[:, None, :] - drawn[None, ::7, :]).transpose(2, 0, 1)), axis=1)
    assert dist.max() < 30_000  # metres: every dash vertex has a drawn vertex nearby
    # the island groups: Xisha (Woody Island), Nansha (Yongshu Reef), Zhongsha/Huangyan, inside
    # the inset's filled polygons
    islands = si.load_boundaries("province", simplified=True)
    hainan = islands.loc[islands["code"] == "460000"].geometry
    parts = shapely.get_parts(_projected(hainan))
    far = [p for p in parts if shapely.get_y(shapely.centroid(p)) < 2.0e6]
    assert len(far) > 20  # the islands south of Hainan Island
    paths = [p for c in inset.collections if isinstance(c, PathCollection) for p in c.get_paths()]
    verts = np.concatenate([p.vertices for p in paths])
    for island in far[:: max(1, len(far) // 15)]:
        cx, cy = shapely.get_coordinates(shapely.centroid(island))[0]
        assert np.min(np.hypot(verts[:, 0] - cx, verts[:, 1] - cy)) < 20_000


def test_main_map_is_clipped_to_the_mainland_and_inset_covers_no_land(
    panel20: pd.DataFrame,
) -> None:
    fig = si.plot_choropleth(panel20, "rd_fte_total_person_years")
    ax = fig.axes[0]
    south = (
        gpd.GeoSeries([shapely.box(100, 16.0, 120, MAINLAND_LONLAT[1] - 0.3)],
                                          crs=4490).to_crs(ALBERS).iloc[0]
    )  # fmt: skip
    verts = np.concatenate([p.vertices for c in ax.collections if isinstance(c, PathCollection)
                            for p in c.get_paths()])  # fmt: skip
    inside = shapely.contains_xy(south, verts[:, 0], verts[:, 1])
    assert not inside.any(), "the main map draws nothing of the South China Sea islands"
    # no polygon vertex of the main map lies under the inset
    inset = _inset(fig)
    bbox = inset.get_position()
    fig.canvas.draw()
    box_px = inset.get_window_extent()
    to_data = ax.transData.inverted()
    (bx0, by0), (bx1, by1) = to_data.transform([[box_px.x0, box_px.y0], [box_px.x1, box_px.y1]])
    under = (verts[:, 0] > bx0) & (verts[:, 0] < bx1) & (verts[:, 1] > by0) & (verts[:, 1] < by1)
    assert bbox.width > 0 and not under.any()


def test_inset_false_for_a_regional_map_and_default_off(yrd: pd.DataFrame) -> None:
    fig = si.plot_choropleth(yrd, "GDP10000")
    assert not [a for ax in fig.axes for a in ax.child_axes if a.get_gid() == "si-inset"]
    fig = si.plot_choropleth(yrd, "GDP10000", inset=True)
    _inset(fig)


def test_small_multiples_one_legend_one_inset(t2: pd.DataFrame) -> None:
    fig = si.plot_choropleth(t2, "gini_innovation", by="year", lang="en")
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == [
        f"{y} (n = 26)" for y in (2012, 2015, 2018, 2021, 2023)
    ]
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    assert len(legends) == 1
    _inset(fig)
    # the same classes in every panel: one class scheme over all five years
    values = t2["gini_innovation"].to_numpy()
    style = styles.graduated("gini_innovation", "quantiles", 5).resolve(values)
    rows = [t.get_text() for t in legends[0].get_texts()]
    assert rows[:5] == list(style.class_labels("en"))


def test_one_map_per_code_error_points_to_by(t2: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"by='year'"):
        si.plot_choropleth(t2, "gini_innovation")


# ------------------------------------------------------------------------------------------
# fonts: every character a glyph on a fresh machine
# ------------------------------------------------------------------------------------------
def test_bundled_font_is_the_first_family_and_ships_in_the_package() -> None:
    from matplotlib import font_manager

    path = Path(fonts.register())
    assert path.is_file() and path.parent.name == "fonts" and "spatialinno" in path.parts
    assert fonts.families()[0] == fonts.FAMILY
    found = font_manager.findfont(font_manager.FontProperties(family=fonts.FAMILY),
                                  fallback_to_default=False)  # fmt: skip
    assert Path(found) == path


def _glyph_warnings(texts: list[str], tmp_path: Path) -> list[str]:
    """matplotlib's "Glyph ... missing" warnings when ``texts`` are drawn (PNG and PDF) with the
    bundled font and DejaVu Sans only: a fresh machine, whatever fonts this one has."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from spatialinno.figures.page import Page

    page = Page.of("double", 100, "zh", "color")
    rc = {**page.rc(), "font.family": [fonts.FAMILY, fonts.LATIN_FALLBACK]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with matplotlib.rc_context(rc):
            fig = page.figure(300)
            FigureCanvasAgg(fig)
            for i, n in enumerate(texts):
                fig.text((i % 8) / 8, 1 - (i // 8) / 145, n, fontsize=5)
            fig.savefig(tmp_path / "names.png", dpi=100)
            fig.savefig(tmp_path / "names.pdf")
    return [str(w.message) for w in caught if "Glyph" in str(w.message)]


def test_no_glyph_missing_for_every_prefecture_name(tmp_path: Path) -> None:
    """All 375 prefecture units (names, short names, English names) render as glyphs, with no
    system font; the same check reports a character the bundled font lacks."""
    pref = load_boundaries("prefecture")
    assert len(pref) == 375
    names = [*pref["name"], *pref["name_short"], *pref["name_en"]]
    assert fonts.missing_characters(names) == []
    assert _glyph_warnings(names, tmp_path) == []
    assert _glyph_warnings([*names[:5], "城市𪚥"], tmp_path)  # U+2A6A5: the check can fail


def test_a_character_outside_the_font_is_named() -> None:
    rare = "𪚥"  # U+2A6A5, not in GB 2312 nor in any text of the package
    assert fonts.missing_characters([f"城市{rare}"]) == [rare]
    g = _province_classes()
    with pytest.warns(fonts.FontWarning, match="U\\+2A6A5"):
        si.plot_lisa(g, title=f"聚类{rare}")


def test_pdf_embeds_the_font_and_svg_keeps_text(tmp_path: Path, t2: pd.DataFrame) -> None:
    fig = si.plot_capital_shares(t2)
    pdf, svg = si.save_figure(fig, tmp_path / "shares", "pdf,svg")
    data = pdf.read_bytes()
    assert b"/FontFile2" in data and b"SpatialinnoSansSC" in data
    text = svg.read_text(encoding="utf-8")
    assert "甘肃" in text and "<text" in text and "Spatialinno Sans SC" in text
    # no timestamp: the same figure gives the same PDF
    again = si.save_figure(fig, tmp_path / "again", "pdf")[0]
    assert again.read_bytes() == data


# ------------------------------------------------------------------------------------------
# sizes, formats, review number, hostile text
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("width", "mm"), [("single", 90), ("double", 190), (120, 120)])
def test_width_in_mm(width: object, mm: float, t2: pd.DataFrame) -> None:
    fig = si.plot_capital_effect(t2, width=width)
    assert fig.get_figwidth() * 25.4 == pytest.approx(mm)


def test_dpi_and_formats(tmp_path: Path, t2: pd.DataFrame) -> None:
    from PIL import Image

    fig = si.plot_region_means(t2, "gini_innovation", dpi=600)
    files = si.save_figure(fig, tmp_path / "means.png", ["png", "tiff", "pdf", "svg"])
    assert [p.suffix for p in files] == [".png", ".tiff", ".pdf", ".svg"]
    with Image.open(files[0]) as im:
        assert im.size[0] == int(90 / 25.4 * 600)  # 2125 px
        assert tuple(round(d) for d in im.info["dpi"]) == (600, 600)
    with Image.open(files[1]) as im:
        assert im.size[0] == int(90 / 25.4 * 600) and im.info["compression"] == "tiff_lzw"
    with pytest.raises(InputError, match="bmp"):
        si.save_figure(fig, tmp_path / "x", "png,bmp")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"width": "triple"}, "single"), ({"dpi": 30}, "dpi"), ({"style": "gray"}, "grey"),
     ({"review_number": "2024-0650"}, "审图号"), ({"names": "all"}, "names")],
)  # fmt: skip
def test_bad_arguments_are_refused(kwargs: dict, match: str, t2: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=match):
        si.plot_coastal_lead(t2, "gini_innovation", **kwargs)


def _texts(fig: object) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_review_number_prints_the_journal_statement(t2: pd.DataFrame) -> None:
    zh = _texts(si.plot_capital_effect(t2, review_number="GS(2024)0650"))
    assert "基于审图号GS(2024)0650的标准地图制作，底图无修改" in zh
    en = _texts(si.plot_capital_effect(t2, review_number="GS京(2023)1234号", lang="en"))
    assert "Based on the standard map GS京(2023)1234号; base map not modified" in en
    assert not any("底图无修改" in t for t in _texts(si.plot_capital_effect(t2)))


def test_hostile_text_is_drawn_as_written(tmp_path: Path) -> None:
    g = _province_classes()
    g["name"] = g["name"].where(g["code"] != "110000", "$\\frac{1}{0}$ <b>{{x}}</b>")
    title = "$\\sqrt{x}$ 50$ & %s {0}"
    fig = si.plot_lisa(g, title=title, names="units", lang="zh")
    fig.savefig(tmp_path / "hostile.png", dpi=50)  # a mathtext parse would raise here
    texts = _texts(fig)
    assert title.replace("$", "\\$") in texts  # shown literally: matplotlib prints \$ as $
    from matplotlib.text import Text

    shown = next(t for t in fig.findobj(Text) if t.get_text() == title.replace("$", "\\$"))
    assert not shown._preprocess_math(shown.get_text())[1]  # not mathtext


# ------------------------------------------------------------------------------------------
# greyscale and agreement with the web maps
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["lisa_en_grey", "hotspots_zh_grey", "capital_zh_grey",
                                  "network_en_grey", "moran_en_grey", "region_means_en_grey"])  # fmt: skip
def test_grey_figures_have_no_colour(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from PIL import Image

    fig = _draw(kind, request)
    fig.savefig(tmp_path / "g.png", dpi=60)
    rgb = np.asarray(Image.open(tmp_path / "g.png").convert("RGB")).astype(int)
    chroma = rgb.max(axis=2) - rgb.min(axis=2)
    assert np.percentile(chroma, 99.9) <= 12, "a greyscale figure has coloured pixels"


def test_grey_classes_stay_distinguishable() -> None:
    from spatialinno.measures import results

    for style in (styles.LISA, styles.HOTSPOTS):
        # the Gi* map adds isolated and no-data rows to its seven bins (results.gi_classes)
        values = [c.value for c in style.categories] + [results.ISOLATED, results.NO_DATA]
        fills = [grey_fill(style, v) for v in dict.fromkeys(values)]
        assert len(set(fills)) == len(fills), style.column
    assert grey_fill(styles.HOTSPOTS, results.ISOLATED) == grey_fill(styles.LISA, results.ISOLATED)


def test_same_classes_colours_and_labels_as_the_web_map(panel20: pd.DataFrame) -> None:
    col = "rd_fte_total_person_years"
    fig = si.plot_choropleth(panel20, col, lang="en")
    legend = fig.axes[0].get_legend()
    # the class rows; the figure's "no data" row counts Taiwan, Hong Kong and Macao, which a
    # national print map always draws (frames.drawn_rows), the web map only as background
    labels = [re.sub(r" \(\d+\)$", "", t.get_text()) for t in legend.get_texts()][:5]
    html = si.choropleth_map(panel20, col, lang="en").get_root().render()
    for label in labels:  # the web map writes them JSON-escaped in its script
        assert label.replace("–", "\\u2013") in html, label
    colors = styles.graduated(col, "quantiles", 5).resolve(panel20[col].to_numpy()).colors
    faces = [h.get_facecolor() for h in legend.legend_handles][:5]
    from matplotlib.colors import to_hex

    assert [to_hex(f) for f in faces] == [c.lower() for c in colors]
    for color in colors:
        assert color.lower() in html.lower()


def test_lisa_legend_counts_match_the_data(classes: pd.DataFrame) -> None:
    fig = si.plot_lisa(classes, lang="en")
    rows = {t.get_text().rsplit(" (", 1)[0]: int(t.get_text().rsplit("(", 1)[1].rstrip(")"))
            for t in fig.axes[0].get_legend().get_texts()}  # fmt: skip
    counts = classes["lisa_cluster"].fillna("no data").value_counts()
    assert rows[styles.LISA.label_of("HH", "en")] == counts["HH"]
    assert rows[styles.LISA.label_of("LL", "en")] == counts["LL"]
    assert rows[styles.LISA.label_of("HL", "en")] == 1
    assert sum(rows.values()) == len(classes)


def test_network_plot_method_forwards_and_matplotlib_loads_only_then(network: object) -> None:
    import subprocess
    import sys

    a = network.plot(top=100, lang="en")
    b = si.plot_network(network, top=100, lang="en")
    assert [t.get_text() for t in a.axes[0].get_legend().get_texts()] == [
        t.get_text() for t in b.axes[0].get_legend().get_texts()
    ]
    code = (
        "import sys, spatialinno as si; air = si.load_dataset('air_routes_2014'); "
        "net = si.city_network(air, 'gb_o', 'gb_d', weight='n_route_records', year='year'); "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
