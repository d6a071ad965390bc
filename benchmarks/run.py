"""Run every benchmark side by side with its peer in one process and write ``RESULTS.md``.

Usage (from the repository root)::

    python benchmarks/run.py            # the default sections: several repeats, 10-15 min
    python benchmarks/run.py --quick    # fewer repeats (smoke test of the harness)
    python benchmarks/run.py --only spacetime     # one section; spliced into RESULTS.md
    python benchmarks/run.py --only gini,local --out /tmp/partial.md

Sections (each a ``bench_*.py`` module with ``run(quick) -> Section``; run one alone with
``python benchmarks/bench_<name>.py``). The default run has all but the opt-in ones:

``boundaries``  load times of the bundled layers (cold / warm)
``weights``     si.spatial_weights vs libpysal contiguity from polygons (target >= 20x)
``gini``        si.spatial_gini vs inequality.Gini_Spatial, 999 permutations (target >= 50x)
``local``       si.lisa / si.hotspots vs esda Moran_Local / G_Local (target: no slower)
``classify``    classify.fisher_jenks vs mapclassify.FisherJenks (target: no slower, same breaks)
``maps``        saved HTML size of the choropleths (prefecture < 1.5 MB, county < 6 MB)
``figures``     print figures: prefecture choropleth with inset (< 3 s), 5-panel small multiple (< 8 s)
``e2e``         import spatialinno (< 1 s, no heavy module), analyze (< 10 s), demo
``spacetime``   si.emerging_hotspots, 20 years x 2,891 counties, 999 permutations (< 10 s)
``dagum``       si.dagum_gini, 2,891 counties by region, 999 bootstrap draws (< 2 s)
``scale``       grids: si.lisa vs esda + numba / pygeoda at 72,900 cells, 10^6 cells, 10^7 points
``records``     opt-in (``--only records``; ~15 min, ~1.5 GB of temporary CSV): si.locate and
                si.copatent_network on 10^7 records, cpca / jionlp, dask

All statistics sections run in this one Python process (same data, same graphs, same warm
caches for both sides); the end-to-end section, cold loads and the records section need fresh
processes by definition. ``FINDINGS.md`` (hand-written diagnosis of missed targets) is appended
to the results of a default run.

``--only`` without ``--out`` keeps the rest of ``RESULTS.md``: the named sections replace their
block and their rows of the targets table (or are added), each marked with the date, command and
load of the re-run. With ``--out`` (or when there is no ``RESULTS.md`` yet) the named sections
alone are written to that file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the bench_*.py modules and helpers live next to this file

from _harness import (  # noqa: E402  (needs the path above)
    Section,
    Target,
    load_average,
    machine,
    markdown_table,
    verdict,
    versions,
)
from _results import section_lines, splice, summary_line, target_rows  # noqa: E402


def _sections() -> dict[str, Callable[[bool], Section]]:
    """Every section by name, in the order of a run."""
    import bench_boundaries
    import bench_classify
    import bench_dagum
    import bench_end_to_end
    import bench_figures
    import bench_local
    import bench_maps
    import bench_records
    import bench_scale
    import bench_spacetime
    import bench_spatial_gini
    import bench_weights

    return {
        "boundaries": bench_boundaries.run,
        "weights": bench_weights.run,
        "gini": bench_spatial_gini.run,
        "local": bench_local.run,
        "classify": bench_classify.run,
        "maps": bench_maps.run,
        "figures": bench_figures.run,
        "e2e": bench_end_to_end.run,
        "spacetime": bench_spacetime.run,
        "dagum": bench_dagum.run,
        "scale": bench_scale.run,
        "records": bench_records.run,
    }


# run only when named with --only: 10^7 records take about 15 minutes and 1.5 GB of temporary CSV
# ($SPATIALINNO_BENCH_DATA), more than the rest of the default run together
OPT_IN: frozenset[str] = frozenset({"records"})


def _failed(name: str, exc: BaseException) -> Section:
    """A section that crashed (e.g. a module being rewritten right now) is reported, not hidden."""
    tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
    sec = Section(
        title=f"{name}: FAILED",
        intro="The section raised an exception; its targets could not be measured.",
        headers=["error"],
        rows=[[f"{type(exc).__name__}: {exc}".replace("\n", " ")[:500]]],
    )
    sec.targets.append(Target(f"section {name}", "runs", "raised an exception", False))
    sec.profiles["traceback"] = "".join(tb).splitlines()[-25:]
    return sec


def render(
    named: list[tuple[str, Section]], command: str, quick: bool, started: str, load_start: str
) -> str:
    """The whole RESULTS.md of ``command``, a run of ``named`` ((name, section) pairs)."""
    sections = [s for _, s in named]
    lines = [
        "# spatialinno benchmarks",
        "",
        f"Generated by `{command}` on {started} "
        f"({'QUICK run: fewer repeats' if quick else 'full repeats'}). Times are wall-clock medians "
        "(min in brackets) of n runs; see `benchmarks/README.md` for the method.",
        "",
        "## Machine",
        "",
    ]
    info = machine()
    info["load average (1/5/15 min) at start"] = load_start
    info["load average at end"] = load_average()
    lines += [markdown_table(["", ""], [[k, v] for k, v in info.items()]), ""]
    lines += [
        "The machine is shared with other engineers' test runs (2 cores): a load average above "
        "2 means the benchmark competed for the CPU, which slows both sides of a comparison "
        "alike but inflates absolute times (imports, subprocesses) most. The load before each "
        "section is listed below.",
        "",
        "## Versions",
        "",
        markdown_table(["package", "version"], [[k, v] for k, v in versions().items()]),
        "",
        "## Targets",
        "",
    ]
    rows = target_rows(sections)
    lines += [markdown_table(["benchmark", "target", "measured", "pass"], rows), ""]
    missed = [t for s in sections for t in s.targets if t.passed is False]
    met = sum(t.passed is True for s in sections for t in s.targets)
    lines += [summary_line(met, len(missed)), ""]
    for name, s in named:
        lines += section_lines(name, s)
    findings = HERE / "FINDINGS.md"
    if findings.exists():
        lines += [findings.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (harness smoke test)")
    parser.add_argument(
        "--only",
        help="comma-separated sections: " + ", ".join(_sections()) + " (records: only so)",
    )
    parser.add_argument(
        "--out",
        help="markdown file to write (default: RESULTS.md, with --only spliced into it)",
    )
    args = parser.parse_args(argv)

    available = _sections()
    if args.only:
        names = [n.strip() for n in args.only.split(",")]
    else:
        names = [n for n in available if n not in OPT_IN]
    unknown = [n for n in names if n not in available]
    if unknown:
        parser.error(f"unknown section(s) {unknown}; choose from {', '.join(available)}")

    started = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_start = load_average()
    named: list[tuple[str, Section]] = []
    for name in names:
        load = load_average()
        print(f"[{time.strftime('%H:%M:%S')}] {name} (load {load}) ...", flush=True)
        t0 = time.perf_counter()
        try:
            sec = available[name](args.quick)
        except Exception as exc:  # keep going: the other sections are still worth reporting
            sec = _failed(name, exc)
            traceback.print_exc()
        sec.load, sec.seconds = load, time.perf_counter() - t0
        named.append((name, sec))
        for t in sec.targets:
            print(f"    {verdict(t.passed):9s} {t.benchmark}: {t.measured}", flush=True)
    out = Path(args.out) if args.out else HERE / "RESULTS.md"
    command = "python benchmarks/run.py" + (f" --only {args.only}" if args.only else "")
    command += " --quick" if args.quick else ""
    if args.only and not args.out and out.exists():
        # keep the other sections of the last run; say when and how these were measured
        rerun = (
            f"Re-run alone by `{command}` on {started} (machine load at start {load_start}); "
            "the other sections are from the run named at the top of this file."
        )
        text = splice(out.read_text(encoding="utf-8"), named, rerun)
    else:
        text = render(named, command, args.quick, started, load_start)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
