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

import geopandas as gpd
import pytest
from helpers_chromium import Chromium, requires_chromium

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
