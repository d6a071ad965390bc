"""One cross-section of a run: every statistic, map and layer of some columns on one joined layer.

:func:`cross_section` is the heart of ``spatialinno analyze`` (one cross-section) and of the city
part of the demo (two). For each column: Gini, Rey–Smith spatial Gini and Theil by NBS region;
global Moran's I; LISA clusters and Getis–Ord Gi* bins, counted the way
:mod:`spatialinno.measures.results` classes them (the same rule the maps and layers use); three
offline maps; three styled layers. Then, below the province level, Gini and capital share per
province, and the means by NBS region. Every number also goes to ``summary.csv``, in a fixed
order (compared with the outputs of earlier versions by tests/test_workflow.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .._progress import Progress, StepLog
from ..measures.arrangements import reused_draws
from ..measures.results import (
    GI,
    GI_BINS,
    ISOLATED,
    LISA,
    LISA_LABELS,
    NO_DATA,
    gi_classes,
    lisa_classes,
)
from ..styles.text import column_label
from ..tables.labels import ATTR as LABELS_ATTR
from .inputs import layer_columns
from .options import Options, parse_weights
from .outputs import SummaryTable, export_layer, one_project_write, slug
from .parallel import in_order
from .text import TEXT

__all__ = ["RunContext", "Section", "cross_section", "per_group_table", "run_weights"]

#: the group of the summary row that counts the Gi* units without a bin (isolated or no data)
GI_UNTESTED = f"{ISOLATED}/{NO_DATA}"


@dataclass(frozen=True)
class RunContext:
    """What every step of a run shares: its settings, its (staging) folder, the summary table and
    the progress bar."""

    options: Options
    out: Path
    summary: SummaryTable
    bar: Progress

    @property
    def text(self) -> dict[str, str]:
        """The labels in the run's language."""
        return TEXT[self.options.lang]


@dataclass(frozen=True)
class Section:
    """Everything computed for one cross-section (one table, one year, several columns)."""

    gdf: Any
    level: str
    columns: list[str]
    slugs: dict[str, str]
    overview: pd.DataFrame
    moran: pd.DataFrame
    clusters: pd.DataFrame
    per_group: pd.DataFrame | None
    regions: pd.DataFrame | None
    maps: list[tuple[str, str]]  # (file, title)
    layers: list[str]
    extra_files: list[str]
    lisa_settings: dict[str, Any] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The section's tables by name (those a level has: no per-province table for provinces)."""
        named = {
            "overview": self.overview,
            "moran": self.moran,
            "clusters": self.clusters,
            "per_group": self.per_group,
            "regions": self.regions,
        }
        return {k: v for k, v in named.items() if v is not None}


@dataclass
class _Column:
    """The outputs of one column of a cross-section, or of one half of them (made in either
    process: picklable)."""

    overview: dict[str, Any] = field(default_factory=dict)
    moran: dict[str, Any] = field(default_factory=dict)
    clusters: dict[str, Any] = field(default_factory=dict)
    maps: list[tuple[str, str]] = field(default_factory=list)
    lisa_settings: dict[str, Any] = field(default_factory=dict)
    summary: list[dict[str, Any]] = field(default_factory=list)  # its rows of summary.csv
    steps: list[str] = field(default_factory=list)  # its steps of the progress bar
    lisa_gdf: Any = None  # the LISA and Gi* results until their layers are written
    hot_gdf: Any = None
    layers: list[str] = field(default_factory=list)
    extra_files: list[str] = field(default_factory=list)

    def joined(self, lisa: _Column, hot: _Column) -> _Column:
        """The three pieces of a column (self: the global tests) as one, in summary order."""
        return replace(
            hot,
            overview=self.overview,
            moran=self.moran,
            maps=[hot.maps[0], lisa.maps[0], *hot.maps[1:]],  # value, LISA, Gi* maps
            lisa_settings=lisa.lisa_settings,
            summary=self.summary + lisa.summary + hot.summary,
            steps=self.steps + lisa.steps + hot.steps,
            lisa_gdf=lisa.lisa_gdf,
        )


def run_weights(gdf: Any, options: Options) -> Any:
    """The spatial weights of ``--weights`` on ``gdf`` (islands linked to their nearest unit),
    as ``Links``: the statistics read them as they read a Graph, and a run on a bundled layer
    then never imports libpysal (1.2-2 s of a fresh process)."""
    from ..measures.weights import spatial_links

    return spatial_links(gdf, **parse_weights(options.weights))


def cross_section(
    gdf: Any,
    level: str,
    columns: list[str],
    run: RunContext,
    *,
    section: str,
    prefix: str = "",
    title_suffix: str = "",
) -> Section:
    """Statistics, maps and layers of ``columns`` on one joined layer (all units kept).

    ``section`` names the part of ``summary.csv``; ``prefix`` goes in front of every file and
    layer name, ``title_suffix`` after every map title (the demo's " (2020)").
    """
    taken: set[str] = set()
    slugs = {c: prefix + slug(c, taken, f"col{i + 1}") for i, c in enumerate(columns)}
    # pandas deep-copies .attrs (the join report: tables of every row) into every frame and
    # series derived from this one -- thousands of copies, 7 s of a county run; the statistics
    # and maps never read it, so they work on a frame without it (the labels, small, stay:
    # titles and legends read them)
    full, gdf = gdf, gdf.copy(deep=False)
    gdf.attrs = {k: v for k, v in full.attrs.items() if k == LABELS_ATTR}
    run.bar.advance(f"{section}: weights")
    w = run_weights(gdf, run.options)

    def work(i: int) -> _Column:
        # three pieces per column, of 0.4-1 s on the counties: the global tests; LISA with its
        # map; Gi* with its map and the value map (small pieces share two cores evenly: the
        # last one taken is short, so neither process waits long for the other)
        c = columns[i // 3]
        part = (_global_part, _lisa_part, _hot_part)[i % 3]
        return part(gdf, c, slugs[c], w, run, section, title_suffix)

    # the modules every piece uses, loaded before the worker is forked: it shares them (folium
    # and the maps alone take 0.3-0.5 s to import, once per process otherwise)
    from ..maps import choropleth, clusters  # noqa: F401
    from ..measures import local  # noqa: F401

    done = []
    # one seed for every test of the run: the permutations of Moran's I and the spatial Gini
    # are drawn once per number of units and reused by every column (the same draws, so the
    # same p-values, as drawing them again); the columns run on both cores (workflow.parallel)
    with reused_draws(), one_project_write():
        # the first column's global tests draw the permutations every column reuses: drawn
        # here before the worker is forked, it shares them (a second of a county run)
        parts = in_order(work, 3 * len(columns), jobs=run.options.jobs, first=1)
        for first, second, third in zip(parts, parts, parts, strict=True):
            d = first.joined(second, third)
            # in column order, in this process: the summary, the progress and the layers
            run.summary.rows.extend(d.summary)
            col = d.overview["indicator"]
            d.clusters = _cluster_counts(d.lisa_gdf, d.hot_gdf, col, run, section)
            for step in d.steps:
                run.bar.advance(step)
            lisa_gdf, hot_gdf = _with_geometry(d.lisa_gdf, gdf), _with_geometry(d.hot_gdf, gdf)
            d.layers, extra = _write_layers(
                gdf, lisa_gdf, hot_gdf, level, col, slugs[col], run, title_suffix
            )
            d.extra_files += extra
            d.lisa_gdf = d.hot_gdf = None  # written: not kept for the whole run
            done.append(d)
    per_group = _per_province(gdf, level, columns, run, section)
    regions = _region_means(gdf, columns, run, section)
    return Section(
        gdf=full,
        level=level,
        columns=columns,
        slugs=slugs,
        overview=pd.DataFrame([d.overview for d in done]).set_index("indicator"),
        moran=pd.DataFrame([d.moran for d in done]).set_index("indicator"),
        clusters=pd.DataFrame([d.clusters for d in done]).set_index("indicator"),
        per_group=per_group,
        regions=regions,
        maps=[m for d in done for m in d.maps],
        layers=[name for d in done for name in d.layers],
        extra_files=[f for d in done for f in d.extra_files],
        lisa_settings=done[-1].lisa_settings,
    )


def _global_part(
    gdf: Any, col: str, name: str, w: Any, run: RunContext, section: str, title_suffix: str
) -> _Column:
    """Gini, spatial Gini, Theil and Moran's I of one column, with their summary rows."""
    bar = StepLog()
    local = replace(run, summary=SummaryTable(), bar=bar)  # type: ignore[arg-type]
    overview = _inequality(gdf, col, w, local, section)
    bar.advance(f"{section}: Moran's I {col}")
    moran_row = _global_moran(gdf, col, w, local, section)
    return _Column(overview, moran_row, summary=local.summary.rows, steps=bar.steps)


def _lisa_part(
    gdf: Any, col: str, name: str, w: Any, run: RunContext, section: str, title_suffix: str
) -> _Column:
    """LISA of one column and its map (the layers are written by the caller: one process
    writes the GeoPackage)."""
    from ..maps.clusters import lisa_map
    from ..measures.local import lisa

    bar = StepLog()
    o = run.options
    bar.advance(f"{section}: LISA {col}")
    lisa_gdf = lisa(
        gdf,
        col,
        w=w,
        permutations=o.permutations,
        alpha=o.alpha,
        correction=o.correction,
        seed=o.seed,
    )
    shown, text = column_label(col, o.lang, frame=gdf, unit=True), run.text
    fig = lisa_map(lisa_gdf, col, lang=o.lang, title=text["lisa_map"].format(col=shown))
    return _Column(
        maps=[_save(fig, "lisa", name, run, text["lisa_map"], shown, title_suffix)],
        lisa_settings=dict(lisa_gdf.attrs.get("lisa", {})),
        steps=bar.steps,
        lisa_gdf=_attributes(lisa_gdf),
    )


def _hot_part(
    gdf: Any, col: str, name: str, w: Any, run: RunContext, section: str, title_suffix: str
) -> _Column:
    """Gi* of one column, its map and the column's value map."""
    from ..maps.choropleth import choropleth_map
    from ..maps.clusters import hotspot_map
    from ..measures.local import hotspots

    bar = StepLog()
    o = run.options
    bar.advance(f"{section}: Gi* {col}")
    hot_gdf = hotspots(gdf, col, w=w, alpha=o.alpha, correction=o.correction, seed=o.seed)
    bar.advance(f"{section}: maps {col}")
    shown, text = column_label(col, o.lang, frame=gdf, unit=True), run.text
    # titled and labelled by the column's label (the maps alone know only the bundled ones)
    value = choropleth_map(gdf, col, lang=o.lang, label=shown)
    hot = hotspot_map(hot_gdf, col, lang=o.lang, title=text["hot_map"].format(col=shown))
    return _Column(
        maps=[
            _save(value, "map", name, run, text["choropleth"], shown, title_suffix),
            _save(hot, "hotspots", name, run, text["hot_map"], shown, title_suffix),
        ],
        steps=bar.steps,
        hot_gdf=_attributes(hot_gdf),
    )


def _save(
    fig: Any, kind: str, name: str, run: RunContext, title: str, shown: str, suffix: str
) -> tuple[str, str]:
    """One map as an offline HTML file: its file name and its title in the report."""
    file = f"{kind}_{name}.html"
    fig.save(str(run.out / file))
    return file, title.format(col=shown) + suffix


def _attributes(frame: Any) -> pd.DataFrame:
    """A result without its geometry: the outlines are the joined layer's (they need not travel
    back from a worker, and the GeoPackage recognises its shared units table by them)."""
    out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    out.attrs = dict(frame.attrs)
    return out


def _with_geometry(frame: pd.DataFrame, gdf: Any) -> Any:
    """:func:`_attributes` undone with the joined layer's own geometries (the same rows)."""
    import geopandas as gpd

    out = gpd.GeoDataFrame(frame, geometry=gdf.geometry.values, crs=gdf.crs)
    out.attrs = dict(frame.attrs)
    return out


def _inequality(gdf: Any, col: str, w: Any, run: RunContext, section: str) -> dict[str, Any]:
    """Gini over the units with data, spatial Gini, Theil by NBS region (into the summary)."""
    from ..measures.inequality import gini, theil
    from ..measures.spatial_gini import spatial_gini

    have = pd.to_numeric(gdf[col], errors="coerce").notna()
    # the frame and the user's column name, so that any message names both (never 'values')
    g_all = gini(gdf.loc[have.to_numpy()], column=col)
    th = theil(gdf, col, groups="region")
    o = run.options
    sg = spatial_gini(gdf, col, w=w, permutations=o.moran_permutations, seed=o.seed)
    row = {
        "indicator": col,
        "n_units": int(have.sum()),
        "gini": g_all,
        "spatial_gini_neighbor": sg.neighbor,
        "spatial_gini_nonneighbor": sg.nonneighbor,
        "spatial_gini_p": sg.p_value,
        "theil": th.total,
        "theil_between": th.between,
        "theil_within": th.within,
        "theil_between_share": th.between_share,
    }
    for measure, value in row.items():
        if measure != "indicator":
            run.summary.add(section, col, measure, value)
    for region, grp in th.groups.iterrows():
        run.summary.add(section, col, "theil_region", grp["theil"], region)
    return row


def _global_moran(gdf: Any, col: str, w: Any, run: RunContext, section: str) -> dict[str, Any]:
    from ..measures.autocorrelation import moran

    o = run.options
    m = moran(gdf, col, w=w, permutations=o.moran_permutations, seed=o.seed)
    row = {
        "indicator": col,
        "n": m.n,
        "I": m.I,
        "EI": m.EI,
        "z": m.z,
        "p_norm": m.p_norm,
        "p_sim": m.p_sim,
    }
    for measure in ("I", "EI", "z", "p_norm", "p_sim"):
        run.summary.add(section, col, f"moran_{measure}", row[measure])
    return row


def _cluster_counts(
    lisa_gdf: Any, hot_gdf: Any, col: str, run: RunContext, section: str
) -> dict[str, Any]:
    """Units per LISA label and per Gi* bin, read with the rule of measures.results.

    Gi* bin 0 holds "not significant" but also the units :func:`hotspots` could not test
    (isolated, no value: no z-score); :func:`gi_classes` tells them apart, so the counts add up
    to the number of units, as the map's legend does.
    """
    row: dict[str, Any] = {"indicator": col}
    labels = lisa_classes(lisa_gdf).value_counts()
    for label in LISA_LABELS:
        row[f"LISA {label}"] = int(labels.get(label, 0))
        run.summary.add(section, col, "lisa_count", row[f"LISA {label}"], label)
    classes = gi_classes(hot_gdf)
    for b in GI_BINS:
        row[f"Gi* {b:+d}" if b else "Gi* 0"] = n_bin = int((classes == b).sum())
        run.summary.add(section, col, "gi_bin_count", n_bin, b)
    row[f"Gi* {GI_UNTESTED}"] = n_untested = int(classes.isin([ISOLATED, NO_DATA]).sum())
    run.summary.add(section, col, "gi_bin_count", n_untested, GI_UNTESTED)
    return row


def _write_layers(
    gdf: Any,
    lisa_gdf: Any,
    hot_gdf: Any,
    level: str,
    col: str,
    name: str,
    run: RunContext,
    title_suffix: str = "",
) -> tuple[list[str], list[str]]:
    """The value, LISA and Gi* layers of a column (styled), in results.gpkg and maybe shp/."""
    from .. import styles

    keep = [c for c in layer_columns(level) if c in gdf.columns and c != "geometry"]
    shown, text = column_label(col, run.options.lang, frame=gdf, unit=True), run.text
    # the result columns in the order the statistic writes them
    lisa_cols = [c for c in lisa_gdf.columns if c in LISA.all]
    hot_cols = [c for c in hot_gdf.columns if c in GI.all]
    # titled as the maps are (label and unit; QGIS shows the title, the name stays ASCII)
    layer_frames = (
        (name, gdf[[*keep, col, "geometry"]], styles.graduated(col, scheme="quantiles", k=5)),
        (f"lisa_{name}", lisa_gdf[[*keep, col, *lisa_cols, "geometry"]], "lisa"),
        (f"hotspots_{name}", hot_gdf[[*keep, col, *hot_cols, "geometry"]], "hotspots"),
    )
    titles = (text["choropleth"], text["lisa_map"], text["hot_map"])
    layers, extra = [], []
    for (layer, frame, style), title in zip(layer_frames, titles, strict=True):
        extra += export_layer(
            frame, run.out, layer, style, run.options.formats, run.options.lang,
            title=title.format(col=shown) + title_suffix,
        )  # fmt: skip
        layers.append(layer)
    return layers, extra


def _per_province(
    gdf: Any, level: str, columns: list[str], run: RunContext, section: str
) -> pd.DataFrame | None:
    """Gini across each province's units and the capital share (below the province level)."""
    from ..measures.concentration import capital_share, gini_by
    from ..tables.aggregate import aggregate

    if level not in ("prefecture", "county"):
        run.bar.advance(f"{section}: region means")
        return None
    run.bar.advance(f"{section}: per-province tables")
    gb = gini_by(gdf, columns, by="province_code")
    if level == "county":
        # the capital effect is defined on prefecture-level units (the capital city's share of
        # the province): the capital's districts are summed first; a prefecture with a county
        # missing gets no total rather than an understated one (aggregate's skipna=False)
        cs = capital_share(aggregate(gdf, columns, to="prefecture"), columns)
    else:
        cs = capital_share(gdf, columns, by="province_code")
    for measure, frame in (("gini_by_province", gb), ("capital_share", cs)):
        for code, r in frame.iterrows():
            for c in [*columns, "mean"]:
                run.summary.add(section, c, measure, r[c], code, r["province"])
    return per_group_table(gb, cs, columns, run.options.lang)


def per_group_table(
    gb: pd.DataFrame, cs: pd.DataFrame, columns: list[str], lang: str
) -> pd.DataFrame:
    """One row per province: Gini per column and mean, capital and its share per column and mean."""
    g_label = "Gini" if lang == "en" else "基尼"
    s_label = "capital share" if lang == "en" else "省会首位度"
    table = pd.DataFrame(index=gb.index)
    table["province"] = gb["province"]
    table["n_units"] = gb["n_units"]
    for c in [*columns, "mean"]:
        table[f"{g_label} {c}"] = gb[c]
    table["capital"] = cs["capital"]
    for c in [*columns, "mean"]:
        table[f"{s_label} {c}"] = cs[c]
    # the notes as they are (spatialinno._notes.Note: the report writes them in its language)
    filled = [isinstance(n, str) and n != "" for n in gb["note"]]
    notes = [
        g if ok else (c if isinstance(c, str) else "")
        for g, c, ok in zip(gb["note"], cs["note"], filled, strict=True)
    ]
    table["note"] = pd.Series(notes, index=gb.index, dtype=object)  # not str: Notes keep keys
    return table


def _region_means(gdf: Any, columns: list[str], run: RunContext, section: str) -> pd.DataFrame:
    """Means of every column by NBS region (east, central, west, northeast)."""
    from ..measures.concentration import region_summary

    regions = region_summary(gdf, columns)
    for region, r in regions.iterrows():
        for c in columns:
            run.summary.add(section, c, "region_mean", r[c], region, r.get("region_zh", ""))
    return regions
