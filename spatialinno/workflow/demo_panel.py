"""The demo's provincial panel (part 2): Gini and Theil per year, Moran's I per year on the last
year's queen weights, the last year's maps and layer, and their report blocks."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .assemble import labeller
from .notes import places
from .outputs import SummaryTable, export_layer
from .report import Report
from .section import RunContext, run_weights
from .text import HEADERS, REGION, TEXT

__all__ = [
    "DEMO_PANEL_COLUMNS",
    "DEMO_YEARS",
    "panel_blocks",
    "panel_long",
    "panel_map",
    "panel_part",
]

#: Province panel columns of the demo: R&D spending (10k yuan) and patent applications.
DEMO_PANEL_COLUMNS: tuple[str, ...] = ("rd_exp_total_10k_yuan", "patent_app_total")
#: The years of the demo's panel (the bundled panel has R&D and patents for these).
DEMO_YEARS: tuple[int, int] = (2010, 2023)


def panel_part(run: RunContext, written: Any) -> Any:
    """Gini and Theil per year, Moran's I per year, the last year's maps and layer; the panel."""
    from .. import styles
    from ..maps.choropleth import choropleth_map

    long = panel_long()
    written.tables["panel_inequality"] = _panel_inequality(long, run.summary)
    run.bar.advance("Moran's I by year")
    written.tables["panel_moran"] = _panel_moran(long, run)
    last_year = DEMO_YEARS[1]
    last = long[long["year"] == last_year]
    for c in DEMO_PANEL_COLUMNS:
        file, title = panel_map(c, last, run.options.lang)
        choropleth_map(last, c, lang=run.options.lang).save(str(run.out / file))
        written.files.append(file)
        written.maps.append((file, title))
    style = styles.graduated(DEMO_PANEL_COLUMNS[0], scheme="quantiles", k=5)
    written.files += export_layer(
        last.drop(columns="year"),
        run.out,
        f"province_rd_{last_year}",
        style,
        run.options.formats,
        run.options.lang,
        title=panel_map(DEMO_PANEL_COLUMNS[0], last, run.options.lang)[1],
    )
    return long


def panel_long() -> Any:
    """The provincial panel of the demo's years, joined to the province layer (long)."""
    from ..tables.datasets import load_dataset
    from ..tables.join import join_indicators

    panel = load_dataset("province_panel")
    # the national total row (全国, gb 156000000) is no region: leave it out explicitly
    panel = panel[panel["gb"] != "156000000"]
    panel = panel[panel["year"].between(*DEMO_YEARS)]
    return join_indicators(panel[["gb", "province", "year", *DEMO_PANEL_COLUMNS]], "province")


def _panel_inequality(long: Any, summary: SummaryTable) -> pd.DataFrame:
    """Gini and Theil (total, between and within NBS regions, per region) per year and column."""
    from ..measures.inequality import gini, theil

    rows = []
    for y in range(DEMO_YEARS[0], DEMO_YEARS[1] + 1):
        part = long[long["year"] == y]
        for c in DEMO_PANEL_COLUMNS:
            v = part[c].dropna().to_numpy()
            th = theil(part, c, groups="region")
            row = {
                "year": y,
                "indicator": c,
                "n": len(v),
                "gini": gini(v),
                "theil": th.total,
                "theil_between": th.between,
                "theil_within": th.within,
            }
            for region, g in th.groups.iterrows():
                row[f"theil_{region}"] = g["theil"]
            rows.append(row)
            for k, val in row.items():
                if k not in ("year", "indicator"):
                    summary.add("province_panel", c, k, val, y)
    return pd.DataFrame(rows)


def _panel_moran(long: Any, run: RunContext) -> pd.DataFrame:
    """Moran's I per year and column on the last year's queen weights, 999 permutations."""
    from ..measures.autocorrelation import moran_by_year

    w_prov = run_weights(long[long["year"] == DEMO_YEARS[1]], run.options)
    tables = []
    for c in DEMO_PANEL_COLUMNS:
        mt = moran_by_year(long, c, w=w_prov, permutations=999, seed=run.options.seed)
        mt.insert(1, "indicator", c)
        tables.append(mt)
        for r in mt.itertuples(index=False):
            for k in ("I", "z", "p_norm", "p_sim"):
                run.summary.add("province_panel", c, f"moran_{k}", getattr(r, k), r.year)
    return pd.concat(tables, ignore_index=True)


def _by_year(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """A table of one column by year as the report shows it: headers by statistic (a Theil per
    region named in ``lang``), the number format of each statistic."""
    h = HEADERS[lang]

    def header(c: str) -> str:
        region = c.removeprefix("theil_")
        if c.startswith("theil_") and region in REGION[lang]:
            return h["theil_region"].format(region=REGION[lang][region])
        return h.get(c, c)

    shown = frame.rename(columns=header)
    if "missing" in frame.columns:  # "name (code), name (code)": the units in ``lang``
        shown[header("missing")] = [
            places(re.split(r"(?<=\)), ", m), lang) if isinstance(m, str) and m else ""
            for m in frame["missing"]
        ]
    shown.index.name = h["year"]
    kinds = {"VI": "I"}  # the variance of Moran's I: its decimals
    measures = {
        header(c): "theil" if c.startswith("theil") else kinds.get(c, c) for c in frame.columns
    }
    return shown, measures


def panel_blocks(rep: Report, written: Any, lang: str) -> None:
    text = TEXT[lang]
    rep.heading(text["panel_heading"].format(first=DEMO_YEARS[0], last=DEMO_YEARS[1]))
    rep.paragraph(text["panel_text"])
    yearly, morans = written.tables["panel_inequality"], written.tables["panel_moran"]
    label = labeller(None, lang)  # the bundled panel's columns: labels.csv
    for c in DEMO_PANEL_COLUMNS:
        t = yearly[yearly["indicator"] == c].drop(columns="indicator").set_index("year")
        shown, measures = _by_year(t, lang)
        rep.table(shown, text["panel_inequality"].format(col=label(c)), measures=measures)
        mt = morans[morans["indicator"] == c].drop(columns="indicator").set_index("year")
        shown, measures = _by_year(mt, lang)
        rep.table(shown, text["panel_moran"].format(col=label(c)), measures=measures)
    for c in DEMO_PANEL_COLUMNS:
        rep.map(*panel_map(c, None, lang))


def panel_map(column: str, frame: Any, lang: str) -> tuple[str, str]:
    """File and title (the column's label and unit, the year) of the last year's map."""
    title = TEXT[lang]["panel_map"].format(col=labeller(frame, lang)(column), year=DEMO_YEARS[1])
    return f"map_province_{column}_{DEMO_YEARS[1]}.html", title
