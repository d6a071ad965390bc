"""End to end, in fresh processes: ``import spatialinno``, ``spatialinno analyze``, ``spatialinno demo``.

* ``import spatialinno``: wall time of ``python -c "import spatialinno"`` (vs ``python -c pass``,
  the interpreter alone), the cumulative time ``python -X importtime`` reports for the package,
  and the heavy modules that are in ``sys.modules`` right after the import (folium, esda, libpysal,
  networkx, mapclassify must not be).
* ``spatialinno analyze``: the prefecture layer, two columns (GDP and patents of
  ``si.load_dataset("city_cn_public_2016")``, 275 cities, written to a CSV with 6-digit codes),
  999 permutations, default queen weights, seed 0; ``python -m spatialinno`` (the console script
  runs the same ``spatialinno.cli:main``). Wall time of the whole process.
* ``spatialinno demo``: the bundled demo, wall time.

The analyze run is repeated once under cProfile and the largest cumulative times are
listed (file:line of the function), so the owner sees where the time goes.
"""

from __future__ import annotations

import io
import json
import pstats
import tempfile
from pathlib import Path

from _harness import (
    Section,
    Target,
    fmt_s,
    profile_subprocess,
    python_cmd,
    run_checked,
    run_standalone,
    timed_subprocess,
    top_functions,
)

import spatialinno as si

IMPORT_TARGET_S = 1.0
ANALYZE_TARGET_S = 10.0
PERMUTATIONS = 999
# must stay out of `import spatialinno` (CONTRIBUTING.md); the others are listed for information
FORBIDDEN: tuple[str, ...] = ("folium", "esda", "libpysal", "networkx", "mapclassify")
WATCHED: tuple[str, ...] = (
    *FORBIDDEN,
    "branca",
    "jinja2",
    "sklearn",
    "matplotlib",
    "scipy",
    "geopandas",
    "shapely",
    "pyogrio",
    "pyproj",
    "pandas",
    "numpy",
    "openpyxl",
)

# the third-party packages `spatialinno analyze` imports (measured: sys.modules after a run), in
# the order they are first needed; esda is *not* among them (the package's own statistics)
ANALYZE_IMPORTS: tuple[str, ...] = (
    "pandas",
    "spatialinno.cli",
    "geopandas",
    "pyogrio",
    "libpysal.graph",
    "mapclassify",
    "folium",
)

_SPLIT = """
import importlib, json, sys, time
t0 = time.perf_counter()
steps = {{}}
for name in {modules!r}:
    t = time.perf_counter()
    importlib.import_module(name)
    steps[name] = time.perf_counter() - t
import spatialinno.cli
t1 = time.perf_counter()
spatialinno.cli.main({args1!r})
t2 = time.perf_counter()
spatialinno.cli.main({args2!r})
t3 = time.perf_counter()
print(json.dumps({{"imports": t1 - t0, "steps": steps, "first": t2 - t1, "second": t3 - t2,
                  "modules": sorted({{m.split('.')[0] for m in sys.modules}})}}))
"""

_MODULES = """
import json, sys
import spatialinno
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))
"""


def _importtime() -> tuple[float, list[tuple[float, str]]]:
    """Cumulative seconds of ``import spatialinno`` and of its direct imports (``-X importtime``).

    ``-X importtime`` prints ``self | cumulative | <2 spaces per level>name`` and lists a module's
    imports before the module itself, so the depth-1 lines seen since the last depth-0 line are the
    direct imports of the next depth-0 module.
    """
    import subprocess

    proc = subprocess.run(
        python_cmd("-X", "importtime", "-c", "import spatialinno"),
        capture_output=True,
        text=True,
        check=True,
    )
    children: list[tuple[float, str]] = []
    for line in proc.stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if (
            not line.startswith("import time:")
            or len(fields) != 3
            or not fields[1].strip().isdigit()
        ):
            continue
        raw = fields[2].rstrip()
        depth = (len(raw) - len(raw.lstrip()) - 1) // 2
        cum = int(fields[1]) / 1e6
        if depth == 1:
            children.append((cum, raw.strip()))
        elif depth == 0:
            if raw.strip() == "spatialinno":
                return cum, sorted(children, reverse=True)
            children = []
    raise RuntimeError("spatialinno not found in the -X importtime output")


def _table(path: Path) -> None:
    """The analyze input: 275 prefecture-level cities, GDP (yuan) and patents (2016 release)."""
    t = si.load_dataset("city_cn_public_2016")
    out = t.assign(code=t["gb"].astype(str).str[3:])[["code", "cityName_CN", "GDP", "Patent"]]
    out.to_csv(path, index=False)


def run(quick: bool = False) -> Section:
    sec = Section(
        title="End to end: import, `spatialinno analyze`, `spatialinno demo`",
        intro=(
            "Fresh processes (`python -m spatialinno ...`, quiet). Wall time of the whole process, "
            "median (min) of n runs."
        ),
        headers=["what", "wall time", "notes"],
    )
    # ---- import ----------------------------------------------------------------------------
    reps = 3 if quick else 7
    base_t = timed_subprocess(lambda i: python_cmd("-c", "pass"), reps)
    imp_t = timed_subprocess(lambda i: python_cmd("-c", "import spatialinno"), reps)
    cum, top = _importtime()
    loaded = set(json.loads(run_checked(python_cmd("-c", _MODULES))))
    heavy = [m for m in WATCHED if m in loaded]
    bad = [m for m in FORBIDDEN if m in loaded]
    sec.rows.append(["`python -c pass` (interpreter only)", base_t.cell(), ""])
    sec.rows.append(
        [
            "`python -c 'import spatialinno'`",
            imp_t.cell(),
            f"-X importtime: spatialinno cumulative {fmt_s(cum)}; its direct imports: "
            + (", ".join(f"{n} {fmt_s(c)}" for c, n in top[:6]) or "none")
            + f". Of {', '.join(WATCHED)} loaded after the import: {', '.join(heavy) or 'none'}",
        ]
    )
    sec.targets.append(
        Target(
            "`import spatialinno` (fresh process, wall)",
            f"< {IMPORT_TARGET_S:.0f} s",
            f"{fmt_s(imp_t.median)} (interpreter alone {fmt_s(base_t.median)})",
            imp_t.median < IMPORT_TARGET_S,
        )
    )
    sec.targets.append(
        Target(
            "`import spatialinno` loads none of " + ", ".join(FORBIDDEN),
            "none loaded",
            ", ".join(bad) if bad else "none loaded",
            not bad,
        )
    )

    # ---- analyze and demo -------------------------------------------------------------------
    with tempfile.TemporaryDirectory(prefix="si-bench-e2e-") as tmp:
        tmpd = Path(tmp)
        table = tmpd / "prefecture_gdp_patents.csv"
        _table(table)

        def analyze_args(out: Path) -> list[str]:
            return [
                "-m",
                "spatialinno",
                "analyze",
                str(table),
                "--level",
                "prefecture",
                "--columns",
                "GDP,Patent",
                "--permutations",
                str(PERMUTATIONS),
                "--out",
                str(out),
                "--quiet",
            ]

        an_t = timed_subprocess(
            lambda i: python_cmd(*analyze_args(tmpd / f"analyze{i}")), 1 if quick else 3
        )
        files = sorted((tmpd / "analyze0").iterdir())
        sizes = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.2f} MB" for p in files)
        sec.rows.append(
            [
                "`spatialinno analyze` prefecture, GDP + Patent, 999 permutations",
                an_t.cell(),
                f"{len(files)} files: {sizes}",
            ]
        )
        sec.targets.append(
            Target(
                "`spatialinno analyze`, prefecture, 2 columns, 999 permutations (wall)",
                f"< {ANALYZE_TARGET_S:.0f} s",
                fmt_s(an_t.median),
                an_t.median < ANALYZE_TARGET_S,
            )
        )
        # where the wall time goes: imports vs work, first run vs a second run in the same process
        split = json.loads(
            run_checked(
                python_cmd(
                    "-c",
                    _SPLIT.format(
                        modules=ANALYZE_IMPORTS,
                        args1=analyze_args(tmpd / "split1")[2:],
                        args2=analyze_args(tmpd / "split2")[2:],
                    ),
                )
            )
        )
        steps = ", ".join(f"{k} {fmt_s(v)}" for k, v in split["steps"].items())
        sec.rows.append(
            [
                "analyze, split in one fresh process",
                f"imports {fmt_s(split['imports'])} + first run {fmt_s(split['first'])}",
                f"imports one after the other: {steps}; a second run in the same process "
                f"(caches warm): {fmt_s(split['second'])}. Heavy modules loaded by then: "
                + ", ".join(m for m in WATCHED if m in split["modules"]),
            ]
        )
        # profiled every time (not only on a miss): the margin depends on the machine load, and
        # the owner needs the breakdown either way
        prof = tmpd / "analyze.prof"
        args = ["-m", "spatialinno.cli", *analyze_args(tmpd / "analyze_prof")[2:]]
        sec.profiles["`spatialinno analyze` (cumulative s, own s, calls): everything"] = (
            profile_subprocess(args, prof, limit=30)
        )
        sec.profiles["`spatialinno analyze`: spatialinno functions only"] = top_functions(
            pstats.Stats(str(prof), stream=io.StringIO()), limit=25, only="spatialinno/"
        )

        demo_t = timed_subprocess(
            lambda i: python_cmd(
                "-m", "spatialinno", "demo", "--out", str(tmpd / f"demo{i}"), "--quiet"
            ),
            1 if quick else 2,
        )
        dfiles = sorted((tmpd / "demo0").iterdir())
        total_mb = sum(p.stat().st_size for p in dfiles) / 1e6
        sec.rows.append(
            [
                "`spatialinno demo`",
                demo_t.cell(),
                f"{len(dfiles)} files, {total_mb:.1f} MB in total",
            ]
        )
        sec.targets.append(
            Target("`spatialinno demo` (wall)", "no target", fmt_s(demo_t.median), None)
        )
    return sec


if __name__ == "__main__":
    run_standalone(run)
