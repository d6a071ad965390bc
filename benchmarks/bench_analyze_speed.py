"""Issue 15, speed of the main job: `spatialinno analyze` on the counties and the demo, side by side.

Runs in fresh processes, one after the other, for one or more baseline source trees (e.g. main
before issue 15: ``git archive 070f26d spatialinno | tar -x -C /tmp/base``) and this tree:

* ``analyze`` on the 2,891 counties, five columns, 9,999 permutations (the issue: 35.6 s). The
  table is made from the boundaries themselves (area, perimeter, east and north offset of the
  centroid in km, compactness 4*pi*A/P^2, in the Albers equal-area CRS): real, complete and
  spatially structured values, the same for both trees;
* ``demo`` (prefecture level; the issue: under 4 s).

For each run the wall time, the CPU time of the process (user + system; it hardly depends on
how many other jobs share the cores) and the size of results.gpkg are listed, with the load
average before each run. ``python benchmarks/bench_analyze_speed.py --baseline /tmp/base
[--baseline "label=/tmp/other"] --out benchmarks/ANALYZE_SPEED.md``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
COLUMNS = ("area_km2", "perim_km", "east_km", "north_km", "compact")
_RUN = "import sys; sys.path.insert(0, {tree!r}); from spatialinno import cli; sys.exit(cli.main({args!r}))"


def county_table(path: Path) -> None:
    """The five-column county table (values derived from the bundled boundaries)."""
    import spatialinno as si
    from spatialinno.boundaries import EQUAL_AREA_CRS

    g = si.load_boundaries("county")
    a = g.to_crs(EQUAL_AREA_CRS)
    t = g[["code", "name"]].copy()
    t["area_km2"] = a.area / 1e6
    t["perim_km"] = a.length / 1e3
    c = a.centroid
    t["east_km"] = (c.x - c.x.min()) / 1e3
    t["north_km"] = (c.y - c.y.min()) / 1e3
    t["compact"] = 4 * np.pi * a.area / a.length**2
    t.to_csv(path, index=False)


def timed_run(tree: Path, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``spatialinno <args>`` run from ``tree``'s sources."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    code = _RUN.format(tree=str(tree), args=args)
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{tree}: {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--baseline",
        action="append",
        required=True,
        help="source tree to compare with, as PATH or LABEL=PATH (repeatable)",
    )
    ap.add_argument("--out", type=Path, default=None, help="markdown file (default: print)")
    ap.add_argument(
        "--repeat", type=int, default=1, help="runs of each job and tree; the fastest is listed"
    )
    ns = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-analyze-"))
    table = work / "county5.csv"
    county_table(table)
    jobs = {
        "analyze, county, 5 columns, 9,999 permutations": [
            "analyze",
            str(table),
            "--level",
            "county",
            "--columns",
            ",".join(COLUMNS),
            "--permutations",
            "9999",
            "--quiet",
        ],
        "demo (prefecture)": ["demo", "--quiet"],
    }
    trees = []
    for given in ns.baseline:
        label, _, path = given.rpartition("=")
        trees.append((label or "before (baseline)", Path(path).resolve()))
    trees = [(label, tree, []) for label, tree in trees]
    # this tree on one process (--jobs 1) and on the default two (Linux, two cores)
    trees += [("now, --jobs 1", REPO, ["--jobs", "1"]), ("now (both cores)", REPO, [])]
    rows = []
    for job, args in jobs.items():
        runs: dict[int, list[tuple[float, float, float]]] = {i: [] for i in range(len(trees))}
        sizes: dict[int, float] = {}
        # the trees take turns, run after run: this machine's speed drifts by 20-30 % within
        # minutes, which would otherwise favour whichever tree ran in the faster minutes
        for r in range(max(1, ns.repeat)):
            for i, (_label, tree, extra) in enumerate(trees):
                out = work / f"run-{len(rows)}-{i}-{r}"
                load = os.getloadavg()[0]
                wall, cpu = timed_run(tree, [*args, *extra, "--out", str(out)])
                runs[i].append((wall, cpu, load))
                sizes[i] = (out / "results.gpkg").stat().st_size / 1e6
        for i, (label, _tree, _extra) in enumerate(trees):
            walls = sorted(w for w, _, _ in runs[i])
            wall, cpu, load = min(runs[i])
            median = walls[len(walls) // 2]
            rows.append(
                f"| {job} | {label} | {wall:.1f} s | {median:.1f} s | {cpu:.1f} s | "
                f"{sizes[i]:.1f} MB | {load:.1f} |"
            )
            print(rows[-1], flush=True)
    text = "\n".join(
        [
            "# `spatialinno analyze` / `demo`: before and after issue 15",
            "",
            f"Generated by `python benchmarks/bench_analyze_speed.py` on "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores, "
            "shared with other jobs (load average = runnable jobs; above 2 they compete); "
            f"{max(1, ns.repeat)} run(s) of each job and tree, the trees taking turns; the "
            "fastest (its CPU time and the load before it) and the median wall time.",
            "",
            "| job | tree | wall (fastest) | wall (median) | CPU (user+sys) | results.gpkg "
            "| load before |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )
    if ns.out:
        ns.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
