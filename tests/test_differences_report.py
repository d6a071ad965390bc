"""What a user sees of issue 17: the charts of regional differences, the report sections of
``analyze --methods dagum,kde,convergence`` and the demo's Dagum parts.

The charts draw results and compute nothing, so each is checked against the result it draws
(bar heights = the Dagum shares, line data = G_jj, curves = the density grid, the fitted line =
alpha + beta x, bar lengths = the core shares) and against an image baseline (pytest-mpl,
``tests/baseline/differences/<name>.png`` at 60 dpi, RMS tolerance ``TOL``); regenerate them
after an intended change with::

    pytest tests/test_differences_report.py -k image --mpl --mpl-generate-path=tests/baseline/differences

The report's numbers are checked against the measures called directly, the figures it embeds
against the files written, and the page in headless Chromium (images load, nothing leaves the
machine, hostile column names stay text).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers_chromium import render, requires_chromium

import spatialinno as si
from spatialinno import cli
from spatialinno._errors import DataWarning, InputError
from spatialinno.figures.differences import (
    plot_convergence,
    plot_core_shares,
    plot_dagum,
    plot_kernel_density,
)
from spatialinno.workflow.differences import check_methods, demo_differences
from spatialinno.workflow.outputs import SummaryTable

BASELINE = Path(__file__).parent / "baseline" / "differences"
TOL = 3.0
IMAGE = {
    "baseline_dir": "baseline/differences",
    "savefig_kwargs": {"dpi": 60},
    "tolerance": TOL,
    "style": "default",
}
RD = "rd_exp_total_10k_yuan"


@pytest.fixture(scope="module")
def table2() -> pd.DataFrame:
    """The study's Table 2 joined to the provinces (NBS region of each), rows with Gini 1."""
    t2 = si.join_indicators(si.load_dataset("zhao2025_table2"), "province")
    return t2[t2["gini_innovation"].notna()]


@pytest.fixture(scope="module")
def rd_panel() -> pd.DataFrame:
    """Provincial R&D spending 2010-2023 (the years the bundled panel has), 31 provinces."""
    p = si.load_dataset("province_panel")
    p = p[(p["gb"] != "156000000") & p["year"].between(2010, 2023)]
    long = si.join_indicators(p[["gb", "province", "year", RD]], "province")
    return long[long[RD].notna()]


@pytest.fixture(scope="module")
def dagum(table2: pd.DataFrame) -> si.DagumPanel:
    return si.dagum_gini(table2, "gini_innovation", year="year")


@pytest.fixture(scope="module")
def kd(table2: pd.DataFrame) -> si.KernelDensity:
    return si.kernel_density(table2, "gini_innovation", year="year")


@pytest.fixture(scope="module")
def convergence(rd_panel: pd.DataFrame) -> tuple[pd.DataFrame, si.BetaConvergence]:
    sigma = si.sigma_convergence(rd_panel, RD)
    return sigma, si.beta_convergence(rd_panel, RD, start=2010, end=2023)


@pytest.fixture(scope="module")
def shares() -> pd.DataFrame:
    return si.core_share(si.load_dataset("core_shares_international"))


# ------------------------------------------------------------------------------------------
# the charts draw their results
# ------------------------------------------------------------------------------------------
def test_dagum_figure_draws_the_shares_and_group_ginis(dagum: si.DagumPanel) -> None:
    fig = plot_dagum(dagum, lang="en")
    bars, lines = fig.axes[0], fig.axes[1]
    heights = np.array([p.get_height() for p in bars.patches]).reshape(3, len(dagum.years))
    want = np.vstack([dagum.within_share, dagum.between_share, dagum.transvariation_share])
    np.testing.assert_allclose(heights, want * 100, rtol=1e-12)
    np.testing.assert_allclose(heights.sum(axis=0), 100.0, rtol=1e-12)  # G_w + G_nb + G_t = G
    # stacked in order: each part starts where the one below ends
    bottoms = np.array([p.get_y() for p in bars.patches]).reshape(3, -1)
    np.testing.assert_allclose(bottoms[1], heights[0], rtol=1e-12)
    assert [t.get_text() for t in bars.get_legend().get_texts()] == [
        "Within groups", "Net between groups", "Transvariation"]  # fmt: skip
    assert [t.get_text() for t in lines.get_legend().get_texts()] == [
        "East", "Central", "West", "Northeast"]  # fmt: skip
    for line, region in zip(lines.get_lines(), ["east", "central", "west", "northeast"],
                            strict=True):  # fmt: skip
        np.testing.assert_array_equal(line.get_ydata(), dagum.group_gini[region].to_numpy())
    # one cross-section: one bar, same shares
    one = plot_dagum(dagum[2023], lang="en")
    np.testing.assert_allclose(
        [p.get_height() for p in one.axes[0].patches],
        [dagum[2023].within_share * 100, dagum[2023].between_share * 100,
         dagum[2023].transvariation_share * 100], rtol=1e-12)  # fmt: skip


def test_dagum_figure_print_and_web_style(dagum: si.DagumPanel, tmp_path: Path) -> None:
    from PIL import Image

    paper = plot_dagum(dagum, width="double", dpi=300)
    screen = plot_dagum(dagum, style="web")
    paper.savefig(tmp_path / "print.png")
    screen.savefig(tmp_path / "web.png")
    # print: 190 mm at 300 dpi; web: 190 mm at 125 dpi (shown at 1.3 x 96 px per inch)
    assert Image.open(tmp_path / "print.png").size[0] == round(190 / 25.4 * 300)
    assert Image.open(tmp_path / "web.png").size[0] == round(190 / 25.4 * 125)
    assert paper.axes[0].title.get_fontsize() != screen.axes[0].title.get_fontsize() or (
        paper.texts[0].get_fontsize() < screen.texts[0].get_fontsize()
    )
    paper.savefig(tmp_path / "print.pdf")
    assert b"/FontFile2" in (tmp_path / "print.pdf").read_bytes()  # TrueType embedded
    with pytest.raises(InputError, match="style must be 'print' or 'web'"):
        plot_dagum(dagum, style="poster")
    with pytest.raises(InputError, match=r"si\.dagum_gini"):
        plot_dagum(pd.DataFrame())


def test_kernel_density_figures_draw_the_curves(kd: si.KernelDensity) -> None:
    fig = plot_kernel_density(kd, lang="en")
    lines = fig.axes[0].get_lines()
    assert len(lines) == 5
    for line, (year, part) in zip(lines, kd.curves.groupby("year"), strict=True):
        assert line.get_label() == str(year)
        np.testing.assert_array_equal(line.get_xdata(), part["x"].to_numpy())
        np.testing.assert_array_equal(line.get_ydata(), part["density"].to_numpy())
    surface = plot_kernel_density(kd, "surface")
    ax = surface.axes[0]
    assert ax.name == "3d"
    z = np.vstack([p["density"].to_numpy() for _, p in kd.curves.groupby("year")])
    assert ax.get_zlim()[1] >= z.max()  # the whole surface is inside the box
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2012", "2015", "2018", "2021",
                                                            "2023"]  # fmt: skip
    with pytest.raises(InputError, match="overlay' or 'surface"):
        plot_kernel_density(kd, "ridges")


def test_convergence_figure_draws_sigma_and_the_beta_fit(convergence: tuple) -> None:
    sigma, beta = convergence
    fig = plot_convergence(sigma, beta, lang="en")
    left, right = fig.axes
    cv, sd = left.get_lines()
    np.testing.assert_array_equal(cv.get_ydata(), sigma["cv"].to_numpy())
    np.testing.assert_array_equal(sd.get_ydata(), sigma["sd_log"].to_numpy())
    points = right.collections[0].get_offsets()
    np.testing.assert_array_equal(points[:, 0], beta.data["log_initial"].to_numpy())
    np.testing.assert_array_equal(points[:, 1], beta.data["growth"].to_numpy())
    fit = right.get_lines()[0]
    np.testing.assert_allclose(fit.get_ydata(), beta.alpha + beta.beta * fit.get_xdata(),
                               rtol=1e-12)  # fmt: skip
    head = right.get_title(loc="left")
    assert "β = -0.00449 (SE 0.00393)" in head and "half-life 150 years" in head
    assert len(plot_convergence(sigma).axes) == 1  # sigma alone
    with pytest.raises(InputError, match="sigma_convergence"):
        plot_convergence(pd.DataFrame({"x": [1]}))


def test_core_share_figure_ranks_the_shares(shares: pd.DataFrame) -> None:
    fig = plot_core_shares(shares, lang="en")
    assert [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()] == [
        "R&D spending", "R&D personnel (FTE)", "Patent applications",
        "Business R&D, own funds"]  # fmt: skip
    ax = fig.axes[0]
    want = shares[shares["indicator"] == "rd_expenditure"].sort_values("share")
    np.testing.assert_allclose([p.get_width() for p in ax.patches], want["share"] * 100,
                               rtol=1e-12)  # fmt: skip
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "Pearl River Delta / Guangdong (2019)"
    assert "Shenzhen / Guangdong (2019)" in labels
    assert "42.9 %" in [t.get_text() for t in ax.texts]  # Shenzhen, 1328.28 / 3098.49
    zh = plot_core_shares(shares, indicators=["rd_expenditure"])
    assert zh.axes[0].get_yticklabels()[-1].get_text() == "珠三角地区 / 广东省 (2019)"
    with pytest.raises(InputError, match="not in the table"):
        plot_core_shares(shares, indicators=["gdp"])


def test_user_text_is_never_mathtext(dagum: si.DagumPanel) -> None:
    """A label with dollar signs is drawn as written (a bad formula would stop the render)."""
    fig = plot_dagum(dagum, label="$\\frac{1}{0$ cost $5", lang="en")
    fig.canvas.draw()
    assert fig.texts[0].get_text() == "Dagum Gini decomposition: \\$\\frac{1}{0\\$ cost \\$5"


# ------------------------------------------------------------------------------------------
# image baselines
# ------------------------------------------------------------------------------------------
KINDS = ("dagum_zh", "dagum_web_en", "kde_overlay", "kde_surface", "convergence_en",
         "core_shares_zh")  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [pytest.param(k, id=k, marks=pytest.mark.mpl_image_compare(filename=f"{k}.png", **IMAGE))
     for k in KINDS],
)  # fmt: skip
def test_image(name: str, request: pytest.FixtureRequest) -> object:
    get = request.getfixturevalue
    if name == "dagum_zh":
        return plot_dagum(get("dagum"))
    if name == "dagum_web_en":
        return plot_dagum(get("dagum"), lang="en", style="web")
    if name == "kde_overlay":
        return plot_kernel_density(get("kd"), width="double")
    if name == "kde_surface":
        return plot_kernel_density(get("kd"), "surface")
    if name == "convergence_en":
        return plot_convergence(*get("convergence"), lang="en")
    return plot_core_shares(get("shares"))


def test_every_baseline_is_used() -> None:
    assert sorted(p.stem for p in BASELINE.glob("*.png")) == sorted(KINDS)


# ------------------------------------------------------------------------------------------
# the report: analyze --methods
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def panel_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = si.load_dataset("province_panel")
    p = p[(p["gb"] != "156000000") & p["year"].between(2010, 2023)][["gb", "province", "year", RD]]
    path = tmp_path_factory.mktemp("panel") / "rd.csv"
    p.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def analyzed(panel_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    argv = ["analyze", str(panel_csv), "--level", "province", "--columns", RD, "--year", "2023",
            "--permutations", "99", "--lang", "en", "--methods", "dagum,kde,convergence",
            "--out", str(out), "--quiet"]  # fmt: skip
    assert cli.main(argv) == 0
    return out


def test_cli_methods_add_the_sections_with_the_measures_numbers(
    analyzed: Path, rd_panel: pd.DataFrame
) -> None:
    html = (analyzed / "report.html").read_text(encoding="utf-8")
    for text in ("Regional differences: dagum, kde, convergence",
                 f"Dagum Gini decomposition (four NBS regions): {RD}",
                 f"Kernel density (relative to the year&#x27;s mean, Scott&#x27;s rule): {RD}",
                 f"σ-convergence: {RD}", f"Absolute β-convergence: {RD}, 2010-2023",
                 "every year of the table (2010–2023, 14 years)"):  # fmt: skip
        assert text in html, text
    figures = [f"diff_{m}_{RD}.png" for m in ("dagum", "kde", "kde3d", "convergence")]
    for f in figures:
        assert (analyzed / f).stat().st_size > 10_000 and f'src="{f}"' in html
    s = pd.read_csv(analyzed / "summary.csv", dtype={"group": str, "name": str},
                    keep_default_na=False)  # fmt: skip
    s = s[s["section"] == "differences"]
    dagum = si.dagum_gini(rd_panel, RD, year="year")
    got = s[s["measure"] == "dagum_gini"].set_index("group")["value"].astype(float)
    np.testing.assert_allclose(got.to_numpy(), dagum.gini.to_numpy(), rtol=1e-12)
    got = s[(s["measure"] == "dagum_G_jj") & (s["group"] == "2023")].set_index("name")["value"]
    np.testing.assert_allclose(got.astype(float), dagum[2023].group_gini[got.index], rtol=1e-12)
    sigma = si.sigma_convergence(rd_panel, RD)
    got = s[s["measure"] == "sigma_cv"]["value"].astype(float).to_numpy()
    np.testing.assert_allclose(got, sigma["cv"].to_numpy(), rtol=1e-12)
    beta = si.beta_convergence(rd_panel, RD, start=2010, end=2023)
    got = s[s["measure"] == "beta_half_life"]["value"].astype(float).item()
    assert got == pytest.approx(beta.half_life, rel=1e-12)
    kd = si.kernel_density(rd_panel, RD, year="year", relative=True)
    got = s[s["measure"] == "kde_n_peaks"]["value"].astype(float).to_numpy()
    np.testing.assert_array_equal(got, kd.features["n_peaks"].to_numpy())


@requires_chromium
def test_report_with_sections_in_chromium(analyzed: Path) -> None:
    r = render(analyzed / "report.html", evaluate={
        "images": "Array.from(document.images).filter(i => i.src.includes('diff_'))"
                  ".map(i => [i.getAttribute('src'), i.naturalWidth])"})  # fmt: skip
    assert r["console_errors"] == [] and r["failed_requests"] == [] and r["exceptions"] == []
    assert r["requests"] == [] or all(u.startswith("file:") for u in r["requests"])
    images = dict(r["eval"]["images"])
    assert sorted(images) == sorted(
        f"diff_{m}_{RD}.png" for m in ("dagum", "kde", "kde3d", "convergence"))  # fmt: skip
    assert all(w == round(190 / 25.4 * 125) for w in images.values())  # every image loaded


def test_methods_of_one_year_and_hostile_names(tmp_path: Path) -> None:
    """A one-year table: Dagum and one density curve, convergence said to need years; a column
    name with markup stays text in the report and out of the file names."""
    p = si.load_dataset("province_panel")
    t = p[(p["gb"] != "156000000") & (p["year"] == 2021)][["gb", RD]]
    bad = '<img src=x onerror="alert(1)">R&D'
    t = t.rename(columns={RD: bad})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        res = si.analyze(t, "province", [bad], tmp_path / "o", permutations=99, lang="en",
                         methods=["dagum", "kde", "convergence"])  # fmt: skip
    html = res.report.read_text(encoding="utf-8")
    assert (
        "<img src=x" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;R&amp;D" in html
    )
    assert "convergence needs at least two years" in html
    assert sorted(f for f in res.files if f.startswith("diff_")) == [
        "diff_dagum_img_src_x_onerror_alert_1_R_D.png",
        "diff_kde_img_src_x_onerror_alert_1_R_D.png"]  # fmt: skip
    # one year: the decomposition of the cross-section
    s = res.summary
    got = s[(s["section"] == "differences") & (s["measure"] == "dagum_gini")]["value"].item()
    joined = si.join_indicators(t, "province")
    assert got == pytest.approx(si.dagum_gini(joined, bad).gini, rel=1e-12)


def test_convergence_over_the_years_the_column_has(tmp_path: Path) -> None:
    """The whole panel (2005-2024; R&D only 2010-2023), in Chinese: beta-convergence runs
    2010-2023 (before: "beta_convergence: start=2005 is not a year"), the years without a value
    are said in Chinese, and the numbers are those of the public functions."""
    import re

    p = si.load_dataset("province_panel")
    t = p[p["gb"] != "156000000"][["gb", "province", "year", RD]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        res = si.analyze(t, "province", [RD], tmp_path / "o", year=2021, permutations=99,
                         methods=["dagum", "kde", "convergence"])  # fmt: skip
    s = res.summary
    half = s[(s["section"] == "differences") & (s["measure"] == "beta_half_life")]
    assert half["group"].tolist() == ["2010-2023"]
    joined = si.join_indicators(t, "province")
    beta = si.beta_convergence(joined[joined["year"].between(2010, 2023)], RD, start=2010,
                               end=2023)  # fmt: skip
    assert half["value"].item() == pytest.approx(beta.half_life, rel=1e-12)
    html = res.report.read_text(encoding="utf-8")
    assert "区域差异：Dagum 基尼系数分解、核密度估计、收敛分析" in html
    assert (
        "核密度：以下年份没有" in html
        and "的数值，已跳过：2005, 2006, 2007, 2008, 2009, 2024" in html
    )
    assert not re.search(r"year\(s\) (skipped|without any value)", html)


def test_bad_methods_refused_before_any_work(panel_csv: Path, tmp_path: Path, capsys) -> None:
    argv = ["analyze", str(panel_csv), "--level", "province", "--columns", RD, "--year", "2023",
            "--methods", "dagum,theil", "--out", str(tmp_path / "x"), "--quiet",
            "--lang", "en"]  # fmt: skip
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "--methods theil unknown; use any of: dagum, kde, convergence" in err
    assert not (tmp_path / "x").exists()
    assert check_methods(" Dagum ,kde,kde") == ("dagum", "kde")


# ------------------------------------------------------------------------------------------
# the demo's parts
# ------------------------------------------------------------------------------------------
def test_demo_parts_decompose_gini1_and_rd_spending(
    table2: pd.DataFrame, rd_panel: pd.DataFrame, dagum: si.DagumPanel, tmp_path: Path
) -> None:
    summary = SummaryTable()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        d = demo_differences(table2, rd_panel, tmp_path, summary, "en")
    assert d.study_years == (2012, 2015, 2018, 2021, 2023)
    assert d.panel_years == tuple(range(2010, 2024))
    tab = d.study.tables["study_gini_innovation:dagum"]
    np.testing.assert_allclose(tab["gini"].to_numpy(), dagum.gini.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(
        tab[["within", "between", "transvariation"]].sum(axis=1), tab["gini"], rtol=1e-12
    )
    assert tab.loc[2012, "between_share"] == pytest.approx(0.761905, abs=1e-6)
    assert set(d.panel.tables) == {f"panel_{RD}:{k}" for k in
                                   ("dagum", "dagum_regions", "dagum_pairs", "kde", "sigma",
                                    "beta")}  # fmt: skip
    assert sorted(d.files) == sorted(
        ["diff_dagum_study_gini_innovation.png", "diff_core_shares.png"]
        + [f"diff_{m}_panel_{RD}.png" for m in ("dagum", "kde", "kde3d", "convergence")]
    )
    assert all((tmp_path / f).is_file() for f in d.files)
    # the core shares: si.core_share's numbers, in the table and in summary.csv
    want = si.core_share(si.load_dataset("core_shares_international"))
    np.testing.assert_array_equal(d.tables["core_shares"]["share"], want["share"])
    rows = summary.frame()
    rows = rows[rows["measure"] == "core_share"].set_index("name")["value"]
    assert rows["Shenzhen / Guangdong"] == pytest.approx(1328.28 / 3098.49, rel=1e-15)


def test_figures_option_writes_the_print_style_too(tmp_path: Path) -> None:
    """With --figures, each chart of the sections is also written in the print style."""
    from PIL import Image

    p = si.load_dataset("province_panel")
    t = p[(p["gb"] != "156000000") & p["year"].between(2021, 2023)][["gb", "year", RD]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        res = si.analyze(t, "province", [RD], tmp_path / "o", year=2023, permutations=99,
                         methods="dagum", figures="png,svg")  # fmt: skip
    assert {f"figures/dagum_{RD}.png", f"figures/dagum_{RD}.svg", f"diff_dagum_{RD}.png"} <= set(
        res.files
    )
    # print: 190 mm at 300 dpi; the report's web figure: 125 dpi
    assert Image.open(res.out / f"figures/dagum_{RD}.png").size[0] == round(190 / 25.4 * 300)
    assert Image.open(res.out / f"diff_dagum_{RD}.png").size[0] == round(190 / 25.4 * 125)
    html = res.report.read_text(encoding="utf-8")
    assert f'href="figures/dagum_{RD}.svg"' in html  # the report links the print files
