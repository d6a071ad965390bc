"""Print figures of space-time results (issue 18) and the co-patent flow map in print (issue 19).

Each figure is read back from the matplotlib objects: legend labels and counts, the colours
drawn (from styles), the numbers written in heat-map cells (equal to the result's), titles.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

import spatialinno as si
from spatialinno import styles
from spatialinno._errors import InputError

COLUMN = "rd_exp_total_10k_yuan"


@pytest.fixture(scope="module")
def long() -> pd.DataFrame:
    p = si.load_dataset("province_panel")
    p = p[(p["gb"] != "156000000") & p["year"].between(2010, 2023)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return si.join_indicators(p[["gb", "province", "year", COLUMN]], "province")


@pytest.fixture
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _cell_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_plot_emerging_legend_and_colours(long, quiet) -> None:
    ehsa = si.emerging_hotspots(long, COLUMN)
    fig = si.plot_emerging(ehsa, "R&D")
    legend = fig.axes[0].get_legend()
    texts = [t.get_text() for t in legend.get_texts()]
    counts = ehsa["category"].value_counts()
    for cat in styles.EMERGING.categories[:17]:
        assert f"{cat.label_zh} ({int(counts.get(cat.value, 0))}个)" in texts
    # the swatch of each category is the web map's colour
    by_label = {t.split(" (")[0]: h for t, h in zip(texts, legend.legend_handles, strict=True)}
    for cat in styles.EMERGING.categories[:17]:
        assert to_hex(by_label[cat.label_zh].get_facecolor()) == cat.color
    with pytest.raises(InputError, match="style='color'"):
        si.plot_emerging(ehsa, style="grey")
    bad = ehsa.copy()
    bad.loc[bad.index[0], "category"] = "warm spot"
    with pytest.raises(InputError, match="'warm spot'"):
        si.plot_emerging(bad)


def test_plot_gravity_draws_every_year(long, quiet) -> None:
    centers = si.gravity_center(long, COLUMN)
    ellipses = si.deviational_ellipse(long, COLUMN)
    for style in ("color", "grey"):
        fig = si.plot_gravity(centers, ellipses, lang="en", style=style)
        texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert texts == [
            "centre of gravity 2010",
            "centre of gravity 2023",
            "path of the centre",
            "standard deviational ellipses 2010",
            "standard deviational ellipses 2023",
        ]
    fig = si.plot_gravity(centers, ellipses)
    ax = fig.axes[0]
    # one point per year, at the projected centres
    offsets = [c.get_offsets() for c in ax.collections if len(c.get_offsets()) == len(centers)]
    assert offsets, "no collection with one point per year"
    faces = [to_hex(f) for c in ax.collections if len(c.get_offsets()) == 14
             for f in c.get_facecolors()]  # fmt: skip
    assert faces[:14] == list(styles.year_colors(14))
    with pytest.raises(InputError, match="GeoDataFrame"):
        si.plot_gravity(centers, pd.DataFrame(ellipses.drop(columns="geometry")))


def test_plot_markov_cells_are_the_probabilities(long, quiet) -> None:
    sm = si.spatial_markov(long, COLUMN)
    fig = si.plot_markov(sm)
    axes = fig.axes[: sm.m]
    for lag, ax in enumerate(axes):
        want = [f"{v:.2f}" for v in sm.P[lag].ravel()]
        assert _cell_texts(ax) == want
        n = sm.T[lag].sum(axis=1).astype(int)
        assert [t.get_text() for t in ax.get_yticklabels()] == [
            f"{i + 1} (n={n[i]})" for i in range(sm.k)
        ]
    with pytest.raises(InputError, match=r"si\.spatial_markov"):
        si.plot_markov("not a chain")


def test_plot_lisa_transitions_counts(long, quiet) -> None:
    tr = si.lisa_transitions(long, COLUMN, pairs="first-last", seed=0)
    fig = si.plot_lisa_transitions(tr, lang="en")
    table = tr.table().drop(index="total", columns="total")
    assert _cell_texts(fig.axes[0]) == [str(int(v)) for v in table.to_numpy().ravel()]
    share = float(tr.stability["share_stable"].iloc[0])
    assert fig.axes[0].get_title() == (
        f"{COLUMN}: 2010→2023 ({styles.format_number(share, percent=True)} unchanged)"
    )
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        styles.LISA.label_of(v, "en") for v in table.index
    ]


def test_plot_network_of_copatent_records(quiet) -> None:
    net = si.copatent_network(si.load_dataset("copatent_sample"), applicant="applicant")
    fig = si.plot_network(net, year=2023, lang="en")
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    tiers = net.centrality(2023)["tier"].value_counts()
    labels = styles.network_tiers()
    assert texts[:3] == [
        f"{labels.label_of(t, 'en')} ({tiers[t]})" for t in ("core", "key", "auxiliary")
    ]


def test_hostile_titles_stay_text(long, quiet) -> None:
    sm = si.spatial_markov(long, COLUMN, k=3)
    title = "$\\alpha$ {{ 7*7 }} <b>"
    fig = si.plot_markov(sm, title=title)
    assert fig.texts[-1].get_text() == title.replace("$", "\\$")
    fig.canvas.draw()  # renders: a dollar sign never starts mathtext
    assert np.isfinite(fig.get_size_inches()).all()
