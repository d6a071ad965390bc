"""The space-time part of a run (``spatialinno analyze --time year``, and the demo's panel).

For every indicator column of a long panel (one row per unit and year): emerging hot spots
(:func:`spatialinno.emerging_hotspots`, with their map), the centre of gravity and the standard
deviational ellipses (:func:`spatialinno.gravity_center`, :func:`spatialinno.deviational_ellipse`,
with their map), the spatial Markov chain (:func:`spatialinno.spatial_markov`: the conditional
transition matrices as a table, the homogeneity tests, the steady states) and the LISA cluster
transitions between the first and the last year (:func:`spatialinno.lisa_transitions`: the
cross-table and the share of units whose cluster is stable). Numbers go into ``summary.csv``
(section ``space_time``), tables and maps into the report (:func:`space_time_blocks`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._errors import ColumnError, InputError
from .._notes import Note
from ..styles.text import column_label
from .notes import render
from .outputs import slug
from .report import Report
from .section import RunContext, run_weights

__all__ = [
    "SPACE_TIME_NOTES",
    "SpaceTime",
    "join_panel",
    "markov_table",
    "panel_table",
    "space_time",
    "space_time_blocks",
]

#: the method notes of the space-time section (:data:`spatialinno.workflow.report.METHOD_NOTES`)
SPACE_TIME_NOTES: tuple[str, ...] = (
    "emerging",
    "centrography",
    "spatial_markov",
    "lisa_transitions",
)
MIN_YEARS = 3  # the emerging hot spot categories need a history
MIN_UNITS = 3  # values a year needs to be the cross-section (as any spatial statistic)

_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "heading": "时空演化：{first}–{last}（{n} 年）",
        "intro": "长面板：每个单元每年一行。新兴热点分析（逐年 Gi*，Mann–Kendall 趋势，ArcGIS Pro 的 17 "
        "类）、重心与标准差椭圆、空间马尔可夫链（相对水平的 {k} 个分位数类别，按邻域类别条件化）、"
        "首末年 LISA 聚类转移。空间权重：{weights}；显著性水平 {alpha}；校正 {corr}；随机种子 {seed}。",
        "emerging": "{c}：新兴热点类别（单元数）",
        "centers": "{c}：重心（逐年）",
        "ellipses": "{c}：标准差椭圆（逐年）",
        "markov": "{c}：空间马尔可夫转移概率（行：邻域类别 / 期初类别；列：期末类别）",
        "markov_tests": "{c}：马尔可夫同质性检验（Q 与 LR）",
        "steady": "{c}：各邻域类别下的稳态分布",
        "transitions": "{c}：LISA 聚类转移 {a}→{b}（单元数）",
        "stability": "{c}：LISA 聚类稳定性",
        "map_emerging": "新兴热点：{c}（{a}–{b}）",
        "map_gravity": "重心迁移与标准差椭圆：{c}（{a}–{b}）",
        "notes": "说明",
    },
    "en": {
        "heading": "Space–time: {first}–{last} ({n} years)",
        "intro": "Long panel: one row per unit and year. Emerging hot spots (Gi* per year, "
        "Mann–Kendall trend, the 17 ArcGIS Pro categories), the centre of gravity and the "
        "standard deviational ellipses, the spatial Markov chain ({k} quantile classes of the "
        "relative level, conditioned on the neighbourhood class), LISA cluster transitions "
        "between the first and the last year. Weights: {weights}; alpha {alpha}; correction "
        "{corr}; seed {seed}.",
        "emerging": "{c}: emerging hot spot categories (units)",
        "centers": "{c}: centre of gravity by year",
        "ellipses": "{c}: standard deviational ellipse by year",
        "markov": "{c}: spatial Markov transition probabilities (rows: neighbourhood class / "
        "class at t; columns: class at t+1)",
        "markov_tests": "{c}: Markov homogeneity tests (Q and LR)",
        "steady": "{c}: steady state for each neighbourhood class",
        "transitions": "{c}: LISA cluster transitions {a}→{b} (units)",
        "stability": "{c}: stability of the LISA clusters",
        "map_emerging": "Emerging hot spots: {c} ({a}–{b})",
        "map_gravity": "Centre of gravity and ellipses: {c} ({a}–{b})",
        "notes": "notes",
    },
}


@dataclass
class SpaceTime:
    """What the space-time part computed and wrote: tables by name, maps, files, notes."""

    columns: list[str]
    years: list[Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    maps: list[tuple[str, str]] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    column_maps: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    column_years: dict[str, list[Any]] = field(default_factory=dict)
    figures: dict[str, list[Any]] = field(default_factory=dict)  # column -> FigureFile
    k: int = 4
    correction: str | None = None  # of the Gi* and LISA tests
    labels: dict[str, str] = field(default_factory=dict)  # column -> label in the run's language

    def label(self, column: str) -> str:
        """The column as titles and captions show it (its readable label and unit)."""
        return self.labels.get(column, column)

    @property
    def files(self) -> list[str]:
        figs = [f for fs in self.figures.values() for fig in fs for f in fig.files]
        return [f for f, _ in self.maps] + figs

    def add_map(self, column: str, file: str, title: str) -> None:
        self.maps.append((file, title))
        self.column_maps.setdefault(column, []).append((file, title))


def panel_table(
    table: pd.DataFrame, time: str, year: int | None, columns: Sequence[str] = ()
) -> tuple[pd.DataFrame, int]:
    """The table with its time column named ``year``, and the year of the cross-section.

    The cross-section is ``year`` when given (it must be in the table), else the last year in
    which every one of ``columns`` has at least 3 values (the last year when none has).
    """
    if not isinstance(time, str) or not time:
        text = f"--time must name the column holding the years, not {time!r}"
        raise InputError(Note("bad_time", text, time=time))
    if time not in table.columns:
        text = (
            f"--time column {time!r} not found; available columns: "
            f"{', '.join(map(str, table.columns))}"
        )
        available = tuple(map(str, table.columns))
        raise ColumnError(Note("time_not_found", text, time=time, available=available))
    if time != "year":
        if "year" in table.columns:
            text = f"the table has both {time!r} and 'year'; rename one, or pass --time year"
            raise InputError(Note("time_and_year", text, time=time))
        table = table.rename(columns={time: "year"})
    years = pd.to_numeric(table["year"], errors="coerce")
    bad = (table["year"].notna() & years.isna()) | (years % 1 != 0) & years.notna()
    if bad.any():
        first = int(bad.to_numpy().argmax())
        value = table["year"].iloc[first]
        value = value.item() if hasattr(value, "item") else value  # 2020.5, not np.float64(...)
        # the row as the user finds it: a file's spreadsheet row (the CLI's tables are indexed
        # by it), a DataFrame's index label
        row = table.index[first]
        row = row.item() if hasattr(row, "item") else row
        text = (
            f"--time column {time!r} holds {value!r} at row {row}; years must "
            "be whole numbers (e.g. 2021)"
        )
        raise InputError(Note("time_not_years", text, time=time, value=value, row=row))
    found = sorted(int(y) for y in years.dropna().unique())
    if len(found) < MIN_YEARS:
        text = (
            f"--time {time}: the table holds {len(found)} year(s) ({found}); the space-time "
            f"analysis needs at least {MIN_YEARS}"
        )
        raise InputError(
            Note("too_few_years", text, time=time, n=len(found), years=found, need=MIN_YEARS)
        )
    if year is not None and int(year) not in found:
        text = f"--year {year} is not in the table; its years: {found}"
        raise InputError(Note("year_not_in_panel", text, year=year, years=found))
    table = table.assign(year=years)
    if year is not None:
        return table, int(year)
    full = [
        y
        for y in found
        if all(
            pd.to_numeric(table.loc[years == y, c], errors="coerce").notna().sum() >= MIN_UNITS
            for c in columns
            if c in table.columns
        )
    ]
    return table, (full or found)[-1]


def join_panel(
    table: pd.DataFrame, level: str, columns: Sequence[str], key: str | None, on_unmatched: str
) -> Any:
    """Every year of ``table`` joined to ``level`` (the rows of the matched units, with geometry).

    Rows that match no unit are handled as in the cross-section (``on_unmatched``); the
    cross-section's join has said so already, so this one is silent about them.
    """
    from ..tables.join import join_indicators
    from .inputs import _UNMATCHED_API

    keys = [k.strip() for k in key.split(",")] if key else None
    policy = _UNMATCHED_API[on_unmatched]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        long = join_indicators(table, level, key=keys, on_unmatched=policy)
    long = long[long["year"].notna()]
    return long[[c for c in long.columns if c in ("code", "name", "year", "geometry", *columns)]]


def _emerging(long: Any, c: str, name: str, run: RunContext, w: Any, st: SpaceTime) -> Any:
    from ..maps.spacetime import emerging_hotspot_map
    from ..measures.emerging import EHSA_CATEGORIES, emerging_hotspots
    from ..styles import EMERGING

    o = run.options
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ehsa = emerging_hotspots(long, c, w=w, alpha=o.alpha, correction=st.correction, seed=o.seed)
    st.notes.setdefault(c, []).extend(_said(caught))
    counts = ehsa["category"].value_counts()
    rows = []
    for cat in EMERGING.categories:
        n = int(counts.get(cat.value, 0))
        code = EHSA_CATEGORIES.get(cat.value, {}).get("code")
        if n or code is not None:
            rows.append({"category": cat.value, "类别": cat.label_zh, "units": n})
            run.summary.add("space_time", c, "emerging_units", n, name=cat.value)
    st.tables[f"{c}:emerging"] = pd.DataFrame(rows).set_index("category")
    st.tables[f"{c}:emerging_units"] = pd.DataFrame(ehsa.drop(columns="geometry", errors="ignore"))
    file = f"emerging_{name}.html"
    words = _WORDS[o.lang]
    yrs = st.column_years[c]
    title = words["map_emerging"].format(c=st.label(c), a=yrs[0], b=yrs[-1])
    emerging_hotspot_map(ehsa, c, title=title, lang=o.lang).save(str(run.out / file))
    st.add_map(c, file, title)
    return ehsa


def _gravity(long: Any, c: str, name: str, run: RunContext, st: SpaceTime) -> tuple[Any, Any]:
    from ..maps.spacetime import gravity_map
    from ..measures.centrography import deviational_ellipse, gravity_center

    centers = gravity_center(long, c)
    ellipses = deviational_ellipse(long, c)
    keep = ["year", "lon", "lat", "shift_km", "direction_deg", "direction", "n_units"]
    st.tables[f"{c}:centers"] = pd.DataFrame(centers[keep]).set_index("year")
    ekeep = ["year", "center_lon", "center_lat", "semi_major_km", "semi_minor_km",
             "orientation_deg", "area_km2", "flattening"]  # fmt: skip
    st.tables[f"{c}:ellipses"] = pd.DataFrame(ellipses[ekeep]).set_index("year")
    for r in centers.itertuples(index=False):
        for k in ("lon", "lat", "shift_km", "direction_deg"):
            run.summary.add("space_time", c, f"center_{k}", getattr(r, k), r.year)
    for r in ellipses.itertuples(index=False):
        for k in ("semi_major_km", "semi_minor_km", "orientation_deg", "area_km2"):
            run.summary.add("space_time", c, f"ellipse_{k}", getattr(r, k), r.year)
    file = f"gravity_{name}.html"
    yrs = st.column_years[c]
    title = _WORDS[run.options.lang]["map_gravity"].format(c=st.label(c), a=yrs[0], b=yrs[-1])
    gravity_map(centers, ellipses, title=title, lang=run.options.lang).save(str(run.out / file))
    st.add_map(c, file, title)
    return centers, ellipses


def _said(caught: list[warnings.WarningMessage]) -> list[str]:
    """The caught warnings' messages as raised (a note keeps its key for the report)."""
    return [x.message.args[0] if x.message.args else str(x.message) for x in caught]


def markov_table(sm: Any) -> pd.DataFrame:
    """The conditional transition probabilities as one table: rows (lag class, class at t),
    columns the class at t+1, and the number of transitions out of each row (``n``)."""
    frame = sm.to_frame()
    wide = frame.pivot_table(
        index=["lag_class", "from_class"], columns="to_class", values="probability"
    )
    wide.columns = [f"→{j}" for j in wide.columns]
    wide["n"] = frame.groupby(["lag_class", "from_class"])["count"].sum().astype(int)
    return wide


def _markov(long: Any, c: str, run: RunContext, w: Any, st: SpaceTime) -> Any:
    from ..measures.markov import spatial_markov

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sm = spatial_markov(long, c, k=st.k, w=w)
    # the chain's notes (with their keys) rather than the one warning that joins them
    said = [m for m in _said(caught) if isinstance(m, Note) or not any(n in m for n in sm.notes)]
    st.notes.setdefault(c, []).extend([*said, *sm.notes])
    st.tables[f"{c}:markov"] = markov_table(sm)
    st.tables[f"{c}:markov_tests"] = sm.tests().set_index("test")
    steady = sm.steady_states()
    st.tables[f"{c}:steady"] = steady.pivot_table(
        index=["lag_class", "solution"], columns="class", values="probability"
    )
    for r in sm.tests().itertuples(index=False):
        run.summary.add("space_time", c, f"markov_{r.test}", r.statistic)
        run.summary.add("space_time", c, f"markov_{r.test}_p", r.p_value)
    for r in sm.to_frame().itertuples(index=False):
        run.summary.add(
            "space_time", c, "markov_p", r.probability,
            group=f"lag{r.lag_class}", name=f"{r.from_class}->{r.to_class}",
        )  # fmt: skip
    return sm


def _transitions(long: Any, c: str, run: RunContext, w: Any, st: SpaceTime) -> Any:
    from ..measures.transitions import lisa_transitions

    o = run.options
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tr = lisa_transitions(
            long, c, w=w, pairs="first-last", permutations=o.permutations, alpha=o.alpha,
            correction=st.correction, seed=o.seed,
        )  # fmt: skip
    st.notes.setdefault(c, []).extend(_said(caught))
    st.tables[f"{c}:transitions"] = tr.table()
    st.tables[f"{c}:stability"] = tr.stability.set_index(["year_from", "year_to"])
    for r in tr.stability.itertuples(index=False):
        pair = f"{r.year_from}->{r.year_to}"
        run.summary.add("space_time", c, "lisa_share_stable", r.share_stable, pair)
        run.summary.add("space_time", c, "lisa_share_kept", r.share_kept, pair)
    return tr


def _unit_weights(long: Any, run: RunContext) -> Any:
    """The run's weights on the units in order of first appearance (as the measures align them)."""
    units = long.drop_duplicates("code", keep="first")
    return run_weights(units, run.options)


def space_time(
    long: Any,
    columns: Sequence[str],
    run: RunContext,
    correction: str | None = "run",
    figures: Sequence[str] = (),
) -> SpaceTime:
    """Every space-time table, map and number of ``columns`` of a joined long panel.

    ``long`` is a GeoDataFrame with ``code``, ``year`` and the columns (one row per unit and
    year, units with geometry); maps are written into ``run.out``. ``correction`` of the
    yearly Gi* and LISA tests: the run's (``"run"``, default), or None / "fdr" / "bonferroni".
    ``figures``: formats of the print figures (``--figures png,pdf``) written under
    ``figures/`` and embedded in the report (PNG).
    """
    long = long[long["year"].notna()].copy()
    long["year"] = long["year"].astype(int)
    years = sorted(long["year"].unique().tolist())
    st = SpaceTime(list(columns), years)
    st.correction = run.options.correction if correction == "run" else correction
    w = _unit_weights(long, run)
    taken: set[str] = set()
    for i, c in enumerate(columns):
        name = slug(c, taken, f"col{i + 1}")
        st.labels[c] = column_label(c, run.options.lang, frame=long, unit=True)
        run.bar.advance(f"space-time: {c}")
        part = _years_with_data(long, c, st)
        drawn = {
            "emerging": _emerging(part, c, name, run, w, st),
            "gravity": _gravity(part, c, name, run, st),
            "markov": _markov(part, c, run, w, st),
            "transitions": _transitions(part, c, run, w, st),
        }
        if figures:
            _figures(drawn, c, name, run, st, figures)
    return st


def _figures(
    drawn: dict[str, Any], c: str, name: str, run: RunContext, st: SpaceTime,
    formats: Sequence[str],
) -> None:  # fmt: skip
    """The print figures of one column under ``figures/`` (static twins of the maps, heat-maps)."""
    from ..figures.page import save_figure
    from ..figures.run import FIGURES_DIR, FigureFile
    from ..figures.spacetime import plot_emerging, plot_gravity, plot_lisa_transitions, plot_markov

    lang = run.options.lang
    figs = {
        "emerging": plot_emerging(drawn["emerging"], c, lang=lang),
        "gravity": plot_gravity(*drawn["gravity"], lang=lang),
        "markov": plot_markov(drawn["markov"], lang=lang),
        "transitions": plot_lisa_transitions(drawn["transitions"], lang=lang),
    }
    words, yrs = _WORDS[lang], st.column_years[c]
    titles = {
        "emerging": words["map_emerging"].format(c=st.label(c), a=yrs[0], b=yrs[-1]),
        "gravity": words["map_gravity"].format(c=st.label(c), a=yrs[0], b=yrs[-1]),
        "markov": words["markov"].format(c=st.label(c)),
        "transitions": words["transitions"].format(c=st.label(c), a=yrs[0], b=yrs[-1]),
    }
    for kind, fig in figs.items():
        paths = save_figure(fig, run.out / FIGURES_DIR / f"{kind}_{name}", list(formats))
        files = tuple(p.relative_to(run.out).as_posix() for p in paths)
        title = titles[kind]
        st.figures.setdefault(c, []).append(
            FigureFile(files, title, round(fig.get_figwidth() * 25.4, 1))
        )


def _years_with_data(long: Any, c: str, st: SpaceTime) -> Any:
    """The years in which some unit has a value of ``c`` (a year without any is no panel year)."""
    values = pd.to_numeric(long[c], errors="coerce")
    has = sorted(long.loc[values.notna(), "year"].unique().tolist())
    if len(has) < MIN_YEARS:
        text = (
            f"column {c!r} has values in {len(has)} year(s) ({has}); the space-time analysis "
            f"needs at least {MIN_YEARS}"
        )
        raise InputError(
            Note("column_too_few_years", text, col=c, n=len(has), years=has, need=MIN_YEARS)
        )
    dropped = [y for y in st.years if y not in has]
    if dropped:
        years = ", ".join(map(str, dropped))
        st.notes.setdefault(c, []).append(
            Note(
                "panel_years",
                f"{c}: no unit has a value in {years}; the space-time analysis of {c} uses "
                f"{has[0]}–{has[-1]}",
                column=c,
                years=years,
                first=has[0],
                last=has[-1],
            )
        )
    st.column_years[c] = has
    return long[long["year"].isin(has)]


def space_time_blocks(
    rep: Report, st: SpaceTime, options: Any, heading: str = "", note: str = ""
) -> None:
    """The space-time section of the report: settings, and per column its tables and maps."""
    words = _WORDS[options.lang]
    years = sorted({y for ys in st.column_years.values() for y in ys}) or st.years
    first, last = years[0], years[-1]
    rep.heading(heading or words["heading"].format(first=first, last=last, n=len(years)))
    rep.paragraph(
        words["intro"].format(
            k=st.k, weights=options.weights, alpha=options.alpha,
            corr=st.correction or "none", seed=options.seed,
        ),
        note=True,
    )  # fmt: skip
    if note:
        rep.paragraph(note, note=True)
    for c in st.columns:
        rep.heading(st.label(c), level=3)
        t = st.tables
        em = t[f"{c}:emerging"]  # the categories in the report's language
        em = em.set_index("类别") if options.lang == "zh" else em.drop(columns="类别")
        rep.table(em, words["emerging"].format(c=st.label(c)))
        rep.table(t[f"{c}:centers"], words["centers"].format(c=st.label(c)), digits=3)
        rep.table(t[f"{c}:ellipses"], words["ellipses"].format(c=st.label(c)), digits=1)
        rep.table(t[f"{c}:markov"], words["markov"].format(c=st.label(c)), digits=3)
        rep.table(t[f"{c}:markov_tests"], words["markov_tests"].format(c=st.label(c)), digits=4)
        rep.table(t[f"{c}:steady"], words["steady"].format(c=st.label(c)), digits=3)
        a, b = st.column_years[c][0], st.column_years[c][-1]
        rep.table(t[f"{c}:transitions"], words["transitions"].format(c=st.label(c), a=a, b=b))
        rep.table(
            t[f"{c}:stability"],
            words["stability"].format(c=st.label(c)),
            percent=["share_stable", "share_kept"],
        )
        for note in dict.fromkeys(st.notes.get(c, [])):
            rep.paragraph(render(note, options.lang), note=True)
        for file, title in st.column_maps.get(c, []):
            rep.map(file, title)
        for fig in st.figures.get(c, []):
            if fig.png:
                rep.figure(fig.png, fig.title, fig.files, fig.width_mm)
