"""Hostile text in every HTML page spatialinno writes is data, never code (issue 13, items 1 and 2).

Every entry point that writes HTML -- the five maps, ``network_map`` and the report -- is fed the
payloads below in every place user text reaches it (column names, labels, units, titles, region
and city names, network source notes and years, report blocks). The payloads are rotated over the
contexts so that each payload lands in each context once (``_rotate``); the cases are built once
per module and then checked three ways:

1. in Python: building and saving never fails, and the template payloads did not run -- no
   directory or file created in the working folder, no environment variable set (branca
   re-parses rendered text as a Jinja template; on the code before this fix the first payload
   created ``SI_PWNED_DIR`` and the quoted ones raised ``TemplateSyntaxError``);
2. in the saved source: no payload element (``<img data-pwn`` ...) appears as markup;
3. in headless Chromium (network off): no console error, no dialog, no request, no element with
   an inline handler or ``data-pwn``, ``window.__pwned`` never set, and every payload shown
   literally where it belongs: title, legend, layer control, tooltips (each feature's tooltip
   opened by the hover event), report text and attributes.

The CLI (``spatialinno analyze``) gets its own test with payload column names (``--columns``) and
payload region names. The escaping rules one by one, CSV formula injection and QGIS expression
quoting are in ``test_escaping.py``.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from helpers_chromium import Chromium, requires_chromium
from helpers_hostile import (
    MARKUP,
    PAYLOADS,
    PWN_DIR,
    PWN_ENV,
    PWN_FILE,
    PWNED_JS,
    SCRIPT_PAYLOADS,
    TEMPLATE_PAYLOADS,
)

import spatialinno as si
from spatialinno.workflow.report import Report

N = len(PAYLOADS)
ALL = "(every payload, rotated over the features)"


def _rotate(i: int, k: int) -> str:
    """Payload of case ``i`` in context ``k``: over N cases, each payload lands once per context.

    Cases 0..4 hold only template payloads, cases 5..12 only script payloads, so that each class
    of fault shows on its own (a template payload that breaks the save cannot hide a script one).
    """
    t = len(TEMPLATE_PAYLOADS)
    if i % N < t:
        return TEMPLATE_PAYLOADS[(i + k) % t]
    return SCRIPT_PAYLOADS[(i - t + k) % len(SCRIPT_PAYLOADS)]


@dataclass
class Case:
    """One saved page and what must be seen in it."""

    entry: str
    contexts: dict[str, str]
    path: Path | None = None
    error: str | None = None
    python_ran: list[str] = field(default_factory=list)
    title: str | None = None  # exact title text
    legend: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    tooltips: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)  # report: text of the page


def _python_ran(folder: Path) -> list[str]:
    """Evidence that a template payload ran, removed so the next case starts clean."""
    found = [p.name for p in (folder / PWN_DIR, folder / PWN_FILE) if p.exists()]
    for p in (folder / PWN_DIR, folder / PWN_FILE):
        if p.is_dir():
            p.rmdir()
        elif p.exists():
            p.unlink()
    if os.environ.pop(PWN_ENV, None) is not None:
        found.append(f"${PWN_ENV}")
    return found


# ------------------------------------------------------------------------------------------
# the cases, one builder per entry point
# ------------------------------------------------------------------------------------------
def _provinces() -> pd.DataFrame:
    return si.load_boundaries("province", simplified=True)[["code"]].reset_index(drop=True)


def _names(frame: pd.DataFrame, i: int) -> pd.DataFrame:
    out = frame.copy()
    out["name"] = [_rotate(i, r) for r in range(len(out))]
    out["name_en"] = [_rotate(i, r + 5) for r in range(len(out))]
    return out


def _choropleth(i: int, by_label: bool) -> tuple[Any, Case]:
    col, title, unit, label = _rotate(i, 0), _rotate(i, 1), _rotate(i, 2), _rotate(i, 3)
    g = _names(_provinces(), i)
    g[col] = np.arange(len(g), dtype=float)
    g.loc[3, col] = np.nan
    if by_label:  # the label replaces the column everywhere; the default title is the label
        m = si.choropleth_map(g, col, label=label, unit=unit)
        case = Case("choropleth_map", {"label": label, "unit": unit, "default title": label})
        # issue 15: the default title is the label with its unit (zh: full-width brackets)
        shown, case.title = label, f"{label}（{unit}）"
        with_unit = case.title
    else:
        m = si.choropleth_map(g, col, title=title, unit=unit, lang="en")
        case = Case("choropleth_map", {"column": col, "title": title, "unit": unit})
        shown, case.title = col, title
        with_unit = f"{col} ({unit})"
    case.contexts["region names"] = ALL
    case.legend = [with_unit]
    case.layers = [shown]
    case.tooltips = [with_unit, *g["name"], *g["name_en"]]
    return m, case


def _lisa_or_hot(i: int, kind: str) -> tuple[Any, Case]:
    value, title = _rotate(i, 0), _rotate(i, 1)
    g = _names(_provinces(), i)
    g[value] = np.arange(len(g), dtype=float)
    explicit = i % 2 == 1
    lang = "zh" if explicit else "en"
    if kind == "lisa":
        g["lisa_cluster"] = [("HH", "LL", "HL", "LH", "ns")[r % 5] for r in range(len(g))]
        g["lisa_I"], g["lisa_p"] = 0.5, 0.01
        m = si.lisa_map(g, value, title=title if explicit else None, lang=lang)
        entry = "lisa_map"
    else:
        g["gi_bin"] = [r % 7 - 3 for r in range(len(g))]
        g["gi_z"], g["gi_p"] = 1.0, 0.2
        m = si.hotspot_map(g, value, title=title if explicit else None, lang=lang)
        entry = "hotspot_map"
    case = Case(entry, {"value column": value, "region names": ALL})
    if explicit:
        case.contexts["title"] = title
        case.title = title
    else:
        case.contexts["default title"] = value
        case.body = [value]  # the default title names the analysed column
    case.tooltips = [value, *g["name"], *g["name_en"]]
    return m, case


def _province_table(column: str, share: bool) -> pd.DataFrame:
    t = si.load_dataset("zhao2025_table2")
    t = t.loc[t["year"] == (2021 if share else 2023), ["code", "year", "capital_share"]]
    return t.rename(columns={"capital_share": column})


def _coastal(i: int) -> tuple[Any, Case]:
    col, title, unit, label = _rotate(i, 0), _rotate(i, 1), _rotate(i, 2), _rotate(i, 3)
    t = _province_table(col, share=False)
    if i % 2 == 0:
        m = si.coastal_lead_map(t, col, year=2023, title=title, unit=unit, lang="en")
        case = Case("coastal_lead_map", {"column": col, "title": title, "unit": unit})
        shown, case.title = col, title
        with_unit = f"{col} ({unit})"
    else:
        m = si.coastal_lead_map(t, col, year=2023, label=label, unit=unit)
        case = Case("coastal_lead_map", {"label": label, "unit": unit, "default title": label})
        # issue 15: the label with its unit (zh: full-width brackets), in the title too
        with_unit = f"{label}（{unit}）"
        shown, case.title = label, f"{with_unit}（2023 年）：四大地区与沿海"
    case.legend = [with_unit]
    case.layers = [shown]
    case.tooltips = [with_unit]
    return m, case


def _capital(i: int) -> tuple[Any, Case]:
    col, title, label = _rotate(i, 0), _rotate(i, 1), _rotate(i, 3)
    t = _province_table(col, share=True)
    if i % 2 == 0:
        m = si.capital_effect_map(t, col, year=2021, title=title, lang="en")
        case = Case("capital_effect_map", {"column": col, "title": title})
        shown, case.title = col, title
    else:
        m = si.capital_effect_map(t, col, year=2021, label=label)
        case = Case("capital_effect_map", {"label": label, "default title": label})
        shown, case.title = label, f"省会效应：{label}（2021 年）"
    case.legend, case.layers, case.tooltips = [shown], [shown], [shown]
    return m, case


def _network(i: int) -> tuple[Any, Case]:
    title, source, year = _rotate(i, 0), _rotate(i, 1), _rotate(i, 2)
    cities = ["北京市", "上海市", "广州市", "深圳市", "成都市", "武汉市"]
    e = pd.DataFrame(
        {
            "a": cities,
            "b": cities[1:] + cities[:1],
            "n": [9, 7, 5, 3, 2, 1],
            "y": [year] * len(cities),  # a year is user text too: it lands in the default title
        }
    )
    net = si.city_network(e, "a", "b", weight="n", year="y", source_note=source)
    g = net.graph(year)
    lang = "en" if i % 2 else "zh"
    for r, code in enumerate(sorted(g.nodes)):
        g.nodes[code]["name"] = _rotate(i, 3 + r)
        g.nodes[code]["name_en"] = _rotate(i, 3 + r)
        g.nodes[code]["province"] = _rotate(i, 9 + r)
    explicit = i % 2 == 1
    m = si.network_map(net, year, lang=lang, lines="straight", title=title if explicit else None)
    case = Case("network_map", {"source note": source, "city names": ALL, "province names": ALL})
    if explicit:
        case.contexts["title"] = title
        case.title = title
    else:
        case.contexts["year (default title)"] = year
        case.title = f"城市联系网络 {year}"
    case.legend = [source]
    names = {c: g.nodes[c]["name"] for c in g.nodes}
    case.tooltips = [f"{names[c]} ({c})" for c in names]
    case.tooltips += [f"{names[a]} — {names[b]}" for a, b in g.edges]
    if lang == "zh":
        case.tooltips += [g.nodes[c]["province"] for c in g.nodes]
    return m, case


REPORT_CONTEXTS = (
    "title",
    "subtitle",
    "heading",
    "paragraph",
    "note",
    "facts",
    "warnings",
    "table column",
    "table cell",
    "table index",
    "table index name",
    "table caption",
    "map title",
    "map file name",
    "file list",
)


def _report(i: int, folder: Path) -> tuple[Any, Case]:
    p = {c: _rotate(i, k) for k, c in enumerate(REPORT_CONTEXTS)}
    r = Report(p["title"], lang="en", subtitle=p["subtitle"])
    r.heading(p["heading"])
    r.paragraph(p["paragraph"])
    r.paragraph(p["note"], note=True)
    r.facts([p["facts"], "plain"])
    r.warnings([p["warnings"]])
    table = pd.DataFrame(
        {p["table column"]: [p["table cell"], "x"], "n": [1.5, 2.0]},
        index=pd.Index([p["table index"], "y"], name=p["table index name"]),
    )
    r.table(table, caption=p["table caption"])
    r.map(p["map file name"], p["map title"])  # a hostile file name and title for a map
    r.map("javascript:parent.__pwned=9", "second map")  # a link must stay a file name
    r.files([p["file list"], "javascript:window.__pwned=10", "summary.csv"])
    case = Case("Report", dict(p))
    case.body = [v for k, v in p.items() if k != "title"]
    case.title = p["title"]
    return r, case


def _save(obj: Any, case: Case, folder: Path, n: int) -> None:
    case.path = folder / f"{case.entry}_{n}.html"
    obj.save(str(case.path))


BUILDERS: dict[str, Callable[[int], tuple[Any, Case]]] = {
    "choropleth_map": lambda i: _choropleth(i // 2, by_label=bool(i % 2)),
    "lisa_map": lambda i: _lisa_or_hot(i, "lisa"),
    "hotspot_map": lambda i: _lisa_or_hot(i, "hot"),
    "coastal_lead_map": _coastal,
    "capital_effect_map": _capital,
    "network_map": _network,
}
N_CASES = {"choropleth_map": 2 * N, "Report": N}  # the others: N


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Case]]:
    folder = tmp_path_factory.mktemp("hostile")
    out: dict[str, list[Case]] = {}
    old = Path.cwd()
    os.chdir(folder)  # relative markers of the template payloads would land here
    try:
        for entry in [*BUILDERS, "Report"]:
            out[entry] = []
            for i in range(N_CASES.get(entry, N)):
                case = Case(entry, {})
                try:
                    obj, case = _report(i, folder) if entry == "Report" else BUILDERS[entry](i)
                    _save(obj, case, folder, i)
                except Exception as exc:  # kept per case, so one entry point's fault names it
                    case.error = f"{type(exc).__name__}: {exc}"[:500]
                case.python_ran = _python_ran(folder)
                out[entry].append(case)
    finally:
        os.chdir(old)
    return out


ENTRIES = [*BUILDERS, "Report"]


# ------------------------------------------------------------------------------------------
# 1. no Python runs, nothing breaks; 2. no markup in the saved source
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", ENTRIES)
def test_no_python_runs_from_user_text(cases, entry):
    failed = [(c.contexts, c.error) for c in cases[entry] if c.error]
    assert failed == [], failed
    ran = [(c.contexts, c.python_ran) for c in cases[entry] if c.python_ran]
    assert ran == [], ran


#: runs Python on the old code wherever it lands: no quote, no comment, nothing to break the parse
RUN = (
    "{% set x = dict(SI_PWNED_DIR=1)|first %}"
    "{{ cycler.__init__.__globals__.os.makedirs(x, exist_ok=true) }}"
    "{{ cycler.__init__.__globals__.os.environ.update(SI_PWNED_ENV=dict(yes=1)|first) }}"
)


def _one_text(entry: str, context: str, text: str) -> Any:
    """A map of ``entry`` with ``text`` in ``context`` only (every other text harmless)."""
    t = {context: text}
    if entry in ("choropleth_map", "lisa_map", "hotspot_map"):
        g = _provinces()
        g["name"] = [t.get("region name", "北京")] + ["某地"] * (len(g) - 1)
        g["name_en"] = [t.get("English name", "Beijing")] + ["somewhere"] * (len(g) - 1)
        col = t.get("column", t.get("value column", "v"))
        g[col] = np.arange(len(g), dtype=float)
        if entry == "choropleth_map":
            return si.choropleth_map(
                g, col, label=t.get("label"), unit=t.get("unit", ""), title=t.get("title")
            )
        if entry == "lisa_map":
            g["lisa_cluster"] = "HH"
            return si.lisa_map(g, col, title=t.get("title"))
        g["gi_bin"] = 3
        return si.hotspot_map(g, col, title=t.get("title"))
    if entry in ("coastal_lead_map", "capital_effect_map"):
        col = t.get("column", "share")
        table = _province_table(col, share=entry == "capital_effect_map")
        kw = {"label": t.get("label"), "title": t.get("title")}
        if entry == "coastal_lead_map":
            return si.coastal_lead_map(table, col, year=2023, unit=t.get("unit", ""), **kw)
        return si.capital_effect_map(table, col, year=2021, **kw)
    e = pd.DataFrame({"a": ["北京市", "上海市"], "b": ["上海市", "广州市"], "n": [2, 1]})
    e["y"] = t.get("year", "2020")
    net = si.city_network(e, "a", "b", weight="n", year="y", source_note=t.get("source note"))
    g = net.graph()
    g.nodes["110000"]["name"] = t.get("city name", "北京市")
    g.nodes["110000"]["province"] = t.get("province name", "北京市")
    return si.network_map(net, title=t.get("title"), lines="straight")


SINGLE = [
    *[("choropleth_map", c) for c in ("column", "label", "unit", "title", "region name")],
    ("choropleth_map", "English name"),
    *[
        (e, c)
        for e in ("lisa_map", "hotspot_map")
        for c in ("value column", "title", "region name")
    ],
    *[("coastal_lead_map", c) for c in ("column", "label", "unit", "title")],
    *[("capital_effect_map", c) for c in ("column", "label", "title")],
    *[("network_map", c) for c in ("title", "source note", "year", "city name", "province name")],
]


@pytest.mark.parametrize(("entry", "context"), SINGLE)
def test_template_text_never_runs_python(entry, context, tmp_path, monkeypatch):
    # on the old code this created SI_PWNED_DIR and set $SI_PWNED_ENV at save(), in every context
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(PWN_ENV, raising=False)
    m = _one_text(entry, context, RUN)
    m.save(str(tmp_path / "page.html"))
    assert _python_ran(tmp_path) == []
    page = (tmp_path / "page.html").read_text("utf-8")
    assert "set x = dict(SI_PWNED_DIR=1)|first" in page  # kept as text, not consumed by Jinja


@pytest.mark.parametrize("entry", ENTRIES)
def test_saved_source_holds_no_payload_markup(cases, entry):
    for c in cases[entry]:
        assert c.path is not None and c.path.exists(), c.error
        page = c.path.read_text("utf-8")
        leaked = [m for m in MARKUP if m in page]
        assert leaked == [], (c.contexts, leaked)


# ------------------------------------------------------------------------------------------
# 3. the real browser
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    if requires_chromium.args[0]:  # skipif condition: chromium missing
        pytest.skip(requires_chromium.kwargs["reason"])
    with Chromium(size=(1000, 700)) as b:
        yield b


def inert_problems(r: dict[str, Any], local_files: bool = False) -> list[str]:
    """What the page did that data must never do (empty list: nothing)."""
    out = []
    for key in ("console_errors", "exceptions", "dialogs", "injected"):
        if r[key]:
            out.append(f"{key}: {r[key]}")
    if r["eval"]["pwned"] is not None:
        out.append(f"window.__pwned = {r['eval']['pwned']} (a payload ran)")
    if not local_files and (r["requests"] or r["failed_requests"]):
        out.append(f"requests: {r['requests']}")
    if local_files and not all(u.startswith("file:///") for u in r["requests"]):
        # the report's iframe may name a missing local file, never anything else
        out.append(f"requests: {r['requests']}")
    return out


def shown_problems(r: dict[str, Any], c: Case) -> list[str]:
    """Payload text that does not show literally where it belongs."""
    out = []
    if c.title is not None and r["title_text"] != c.title:
        out.append(f"title {r['title_text']!r} != {c.title!r}")
    out += [f"title lacks {t!r}" for t in c.body if t not in r["title_text"]]
    out += [f"legend lacks {t!r}" for t in c.legend if t not in r["legend_text"]]
    layers = [line.strip() for line in r["layers_text"].split("\n")]
    out += [f"layer control lacks {t!r}" for t in c.layers if t not in layers]
    tips = "\n".join(t for t in r["all_tooltips"] if t)
    out += [f"no tooltip shows {t!r}" for t in c.tooltips if t not in tips]
    return out


@pytest.mark.slow
@requires_chromium
@pytest.mark.chromium
@pytest.mark.parametrize("entry", list(BUILDERS))
def test_map_pages_show_payloads_as_text_in_chromium(browser, cases, entry):
    problems = []
    for c in cases[entry]:
        if c.error is not None:
            problems.append((c.contexts, [f"not saved: {c.error[:120]}"]))
            continue
        r = browser.render(c.path, all_tooltips=True, evaluate={"pwned": PWNED_JS})
        found = inert_problems(r) + shown_problems(r, c)
        if found:
            problems.append((c.contexts, found))
    assert problems == [], f"{len(problems)} of {len(cases[entry])} pages: {problems}"


@requires_chromium
@pytest.mark.chromium
def test_a_real_hover_shows_the_payload_name(browser, tmp_path):
    # the tooltips above are opened by the hover event; one real mouse hover for good measure
    g = _names(_provinces(), len(TEMPLATE_PAYLOADS))  # script payloads only
    g["v"] = np.arange(len(g), dtype=float)
    si.choropleth_map(g, "v").save(str(tmp_path / "hover.html"))
    beijing = si.load_boundaries("province", simplified=True).set_index("code").loc["110000"]
    p = beijing.geometry.representative_point()
    r = browser.render(
        tmp_path / "hover.html", hover_latlng=(p.y, p.x), evaluate={"pwned": PWNED_JS}
    )
    assert inert_problems(r) == []
    name = g.loc[g["code"] == "110000", "name"].item()
    assert name in r["tooltip_text"]


@pytest.mark.slow
@requires_chromium
@pytest.mark.chromium
def test_report_pages_show_payloads_as_text_in_chromium(browser, cases):
    probes = {
        "pwned": PWNED_JS,
        "body": "document.body.innerText",
        "title": "document.title",
        "iframes": "Array.from(document.querySelectorAll('iframe')).map(f => [f.title, f.src])",
        "links": "Array.from(document.querySelectorAll('a')).map(a => a.href)",
    }
    problems = []
    for c in cases["Report"]:
        assert c.path is not None, c.error
        r = browser.render(c.path, evaluate=probes)
        found = inert_problems(r, local_files=True)
        if r["eval"]["title"] != c.title:
            found.append(f"title {r['eval']['title']!r}")
        found += [f"text lacks {t!r}" for t in c.body if t not in r["eval"]["body"]]
        iframes = r["eval"]["iframes"]
        if [t for t, _ in iframes] != [c.contexts["map title"], "second map"]:
            found.append(f"iframe titles {iframes}")
        # links and embedded maps are local files (a name with a leading "/" or "\\" is an
        # absolute path), never javascript: or data: URLs
        urls = [src for _, src in iframes] + r["eval"]["links"]
        found += [f"link {u!r}" for u in urls if not u.startswith("file:///")]
        if found:
            problems.append((c.contexts, found))
    assert problems == [], f"{len(problems)} of {len(cases['Report'])} pages: {problems}"


def test_payload_counts_per_entry_point(cases, capsys):
    """The closing note of issue 13 reports these counts; they are computed, not typed."""
    rows = []
    for entry, cs in cases.items():
        per_context: dict[str, set[str]] = {}
        for c in cs:
            for k, v in c.contexts.items():
                per_context.setdefault(k, set()).add(v)
        for k, v in per_context.items():
            rows.append((entry, k, N if v == {ALL} else len(v)))
    with capsys.disabled():
        print("\n" + "\n".join(f"{e:20} {k:24} {n}" for e, k, n in rows))
    assert all(n >= 5 for _, _, n in rows), rows


# ------------------------------------------------------------------------------------------
# the CLI: payload column names (--columns) and region names in the user's table
# ------------------------------------------------------------------------------------------
CLI_COLUMNS: tuple[str, ...] = (  # no commas: --columns is comma-separated
    '<img data-pwn src=x onerror="window.__pwned=1;alert(1)">',
    "{% if not cycler.__init__.__globals__.os.path.exists(dict(SI_PWNED_DIR=1)|first) %}"
    "{{ cycler.__init__.__globals__.os.makedirs(dict(SI_PWNED_DIR=1)|first) }}{% endif %}",
    "</script><script data-pwn>window.__pwned=3</script>",
    "'-(window.__pwned=4)-'",
    '\\";window.__pwned=5;//\\',
    "=cmd|' /C calc'!A0",  # spreadsheet formulas: summary.csv must keep them as text
    "-2+3+cmd|' /C calc'!A0",
)
CLI_REGIONS: tuple[str, ...] = (
    '"><svg data-pwn onload=window.__pwned=2>',
    "{{ 7*7 }}",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("cli")
    names = si.load_boundaries("province")["name"].tolist()
    rng = np.random.default_rng(13)
    table = pd.DataFrame({"地区": names + list(CLI_REGIONS)})
    for col in CLI_COLUMNS:
        table[col] = rng.uniform(1.0, 100.0, len(table)).round(2)
    table.to_csv(folder / "hostile.csv", index=False, encoding="utf-8")
    exe = str(Path(sys.executable).with_name("spatialinno"))
    cmd = [exe, "analyze", "hostile.csv", "--level", "province", "--out", "out"]
    cmd += ["--columns", ",".join(CLI_COLUMNS), "--permutations", "99", "--lang", "en"]
    helptext = subprocess.run([exe, "analyze", "--help"], capture_output=True, text=True).stdout
    if "--on-unmatched" in helptext:  # the payload rows match no province: report them, go on
        cmd += ["--on-unmatched", "warn"]
    env = {k: v for k, v in os.environ.items() if k != PWN_ENV}
    proc = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, env=env, timeout=600)
    return folder, proc


@pytest.mark.slow
def test_cli_runs_no_python_from_column_or_region_names(cli_run):
    folder, proc = cli_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert not (folder / PWN_DIR).exists() and not (folder / "out" / PWN_DIR).exists()
    pages = sorted((folder / "out").glob("*.html"))
    assert len(pages) == 1 + 3 * len(CLI_COLUMNS)  # report + map/lisa/hotspots per column
    for page in pages:
        text = page.read_text("utf-8")
        assert [m for m in MARKUP if m in text] == [], page.name


@pytest.mark.slow
def test_cli_summary_csv_keeps_formulas_as_text(cli_run):
    folder, proc = cli_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(folder / "out" / "summary.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    indicators = {r["indicator"] for r in rows}
    # formula-looking text gets a leading apostrophe (shown as text by Excel/WPS) ...
    assert "'=cmd|' /C calc'!A0" in indicators and "'-2+3+cmd|' /C calc'!A0" in indicators
    assert not any(i.startswith(("=", "+", "-", "@")) for i in indicators)
    # ... and nothing else changes: other names as they are, numbers still numbers
    assert "'-(window.__pwned=4)-'" in indicators and CLI_COLUMNS[0] in indicators
    assert {r["group"] for r in rows if r["measure"] == "gi_bin_count"} >= {"-3", "-1", "3"}
    values = [float(r["value"]) for r in rows if r["value"] != ""]
    assert len(values) > 100 and all(np.isfinite(v) or np.isnan(v) for v in values)


@pytest.mark.slow
@requires_chromium
@pytest.mark.chromium
def test_cli_pages_show_names_as_text_in_chromium(browser, cli_run):
    folder, proc = cli_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = folder / "out"
    problems = []
    for page in sorted(out.glob("*.html")):
        if page.name == "report.html":
            continue
        r = browser.render(page, all_tooltips=True, evaluate={"pwned": PWNED_JS})
        found = inert_problems(r)
        shown = [c for c in CLI_COLUMNS if c in r["title_text"]]
        if len(shown) != 1:  # each map is titled by its own column, shown literally
            found.append(f"title {r['title_text']!r}")
        col = shown[0] if shown else ""
        if page.name.startswith("map_"):  # legend title and layer name are the column
            if col not in r["legend_text"]:
                found.append("legend lacks the column name")
            if col not in [x.strip() for x in r["layers_text"].split("\n")]:
                found.append(f"layer control {r['layers_text']!r}")
        if not any(col in t for t in r["all_tooltips"] if t):
            found.append("no tooltip names the column")
        if found:
            problems.append((page.name, found))
    probes = {"pwned": PWNED_JS, "body": "document.body.innerText"}
    # 21 maps embedded (lazy iframes): on a loaded machine the page needs more than 30 s
    r = browser.render(out / "report.html", evaluate=probes, timeout=120)
    found = inert_problems(r, local_files=True)
    found += [
        f"report lacks {t!r}" for t in CLI_COLUMNS + CLI_REGIONS if t not in r["eval"]["body"]
    ]
    if found:
        problems.append(("report.html", found))
    assert problems == [], problems
