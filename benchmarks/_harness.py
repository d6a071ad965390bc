"""Shared pieces of the benchmark runner: timing, subprocess timing, machine facts, result rows.

Not part of the test suite (pytest only collects ``tests/``). Every section module
(``bench_*.py``) builds a :class:`Section` from :func:`timed` / :func:`timed_subprocess`
measurements; ``run.py`` turns the sections into ``RESULTS.md``.
"""

from __future__ import annotations

import cProfile
import io
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PACKAGES: tuple[str, ...] = (
    "spatialinno",
    "numpy",
    "scipy",
    "pandas",
    "shapely",
    "geopandas",
    "pyogrio",
    "libpysal",
    "esda",
    "inequality",
    "mapclassify",
    "folium",
    "branca",
    "networkx",
    "numba",
    "pygeoda",
    "h3",
)


# ------------------------------------------------------------------------------------------------
# timing
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Timing:
    """Wall times of repeated runs of one piece of work, in seconds."""

    runs: tuple[float, ...]
    # CPU seconds (user + system) of each run, for fresh processes: unlike the wall time it hardly
    # depends on how many other jobs share the two cores
    cpu: tuple[float, ...] = ()

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    @property
    def min(self) -> float:
        return min(self.runs)

    def cell(self) -> str:
        """``median (min), n runs`` (and the median CPU time) formatted for a markdown table."""
        text = f"{fmt_s(self.median)} ({fmt_s(self.min)}), n={len(self.runs)}"
        if self.cpu:
            text += f"; CPU {fmt_s(self.cpu_median)}"
        return text


def fmt_s(seconds: float) -> str:
    """Seconds with a unit that keeps three significant figures readable."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.2f}x"


def timed(
    fn: Callable[[], Any], repeats: int, before: Callable[[], None] | None = None
) -> tuple[Timing, Any]:
    """Run ``fn`` ``repeats`` times (``before`` untimed before each run); times and last result."""
    runs: list[float] = []
    result: Any = None
    for _ in range(repeats):
        if before is not None:
            before()
        t0 = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - t0)
    return Timing(tuple(runs)), result


def timed_alternating(
    fns: Sequence[Callable[[], Any]], repeats: int
) -> tuple[list[Timing], list[Any]]:
    """Time several functions in turn (a, b, a, b, ...) ``repeats`` times each.

    On a machine shared with other jobs the load changes from second to second; alternating the
    two sides of a comparison exposes both to the same load, so the *ratio* stays fair even when
    the absolute times drift.
    """
    runs: list[list[float]] = [[] for _ in fns]
    results: list[Any] = [None] * len(fns)
    for _ in range(repeats):
        for k, fn in enumerate(fns):
            t0 = time.perf_counter()
            results[k] = fn()
            runs[k].append(time.perf_counter() - t0)
    return [Timing(tuple(r)) for r in runs], results


def python_cmd(*args: str) -> list[str]:
    """A command line running this very interpreter (so the same installed packages are used)."""
    return [sys.executable, *args]


def run_checked(cmd: Sequence[str], cwd: Path | None = None, timeout: float = 900) -> str:
    """Run a command, fail loudly with its stderr, return its stdout."""
    proc = subprocess.run(
        list(cmd), cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}"
        )
    return proc.stdout


def timed_subprocess(
    make_cmd: Callable[[int], Sequence[str]], repeats: int, cwd: Path | None = None
) -> Timing:
    """Wall and CPU time of a fresh process per run (``make_cmd(i)`` gives run i's command line).

    CPU time = user + system seconds of the finished child processes (``RUSAGE_CHILDREN``).
    """
    runs: list[float] = []
    cpu: list[float] = []
    for i in range(repeats):
        cmd = make_cmd(i)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        run_checked(cmd, cwd=cwd)
        runs.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return Timing(tuple(runs), tuple(cpu))


def reported_subprocess(code: str, repeats: int) -> Timing:
    """Times a fresh interpreter measures itself: ``code`` must print one float (seconds)."""
    return Timing(
        tuple(float(run_checked(python_cmd("-c", code)).split()[-1]) for _ in range(repeats))
    )


# ------------------------------------------------------------------------------------------------
# profiling (for targets that are missed)
# ------------------------------------------------------------------------------------------------
def top_functions(stats: pstats.Stats, limit: int = 15, only: str | None = None) -> list[str]:
    """Largest cumulative times as ``cum s  self s  calls  file:line(function)`` lines.

    ``only`` keeps functions whose file path contains that text (e.g. ``"spatialinno"``), so the
    owner of a module sees *their* function and line.
    """
    rows = []
    for (filename, line, func), (_cc, calls, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if only is not None and only not in filename:
            continue
        short = filename
        for marker in ("site-packages/", str(REPO) + "/"):
            if marker in short:
                short = short.split(marker, 1)[1]
        rows.append((ct, tt, calls, f"{short}:{line}({func})"))
    rows.sort(reverse=True)
    return [f"{ct:8.3f} {tt:8.3f} {calls:8d}  {where}" for ct, tt, calls, where in rows[:limit]]


def profile_call(fn: Callable[[], Any], limit: int = 15, only: str | None = None) -> list[str]:
    """cProfile one call in this process and return :func:`top_functions` lines."""
    prof = cProfile.Profile()
    prof.enable()
    try:
        fn()
    finally:
        prof.disable()
    return top_functions(pstats.Stats(prof, stream=io.StringIO()), limit, only)


def profile_subprocess(
    args: Sequence[str], out: Path, limit: int = 15, only: str | None = None
) -> list[str]:
    """Run ``python -m cProfile -o out <args>`` in a fresh process and read the profile."""
    run_checked(python_cmd("-m", "cProfile", "-o", str(out), *args))
    return top_functions(pstats.Stats(str(out), stream=io.StringIO()), limit, only)


# ------------------------------------------------------------------------------------------------
# machine and versions
# ------------------------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    """CPU model, cores, RAM, OS, Python and the load average right now."""
    cpu = platform.processor() or platform.machine()
    fields: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    if "model name" in fields:
        # virtual machines often report only the brand ("AMD EPYC"): add family/model, clock,
        # cache and whether it runs under a hypervisor, so two runs can be compared honestly
        cpu = (
            f"{fields['model name']} (family {fields.get('cpu family', '?')}, model "
            f"{fields.get('model', '?')}, {fields.get('cpu MHz', '?')} MHz, cache "
            f"{fields.get('cache size', '?')}"
            + (", virtual machine" if "hypervisor" in fields.get("flags", "").split() else "")
            + ")"
        )
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    except OSError:
        pass
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "CPU": cpu,
        "cores available": f"{affinity} (os.cpu_count() = {os.cpu_count()})",
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
    }


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


# ------------------------------------------------------------------------------------------------
# results
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """One line of the target table: what was promised, what was measured, whether it holds."""

    benchmark: str
    target: str
    measured: str
    passed: bool | None  # None: informative, no target


@dataclass
class Section:
    """A block of RESULTS.md: a detail table, the targets it checks, notes and profiles."""

    title: str
    intro: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profiles: dict[str, list[str]] = field(default_factory=dict)
    load: str = ""
    seconds: float = 0.0


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(c: object) -> str:  # a "|" in a header or cell would split the column
        return str(c).replace("|", "\\|")

    lines = [
        "| " + " | ".join(map(cell, headers)) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return "\n".join(lines)


def run_standalone(run: Callable[[bool], Any]) -> None:
    """``python benchmarks/bench_<section>.py [--quick]``: run one section, print it."""
    s = run("--quick" in sys.argv)
    print(markdown_table(s.headers, s.rows))
    for t in s.targets:
        print(f"{t.benchmark}: {t.measured} -> {verdict(t.passed)}")
    for k, v in s.profiles.items():
        print(k, *v, sep="\n  ")


def verdict(passed: bool | None) -> str:
    return {True: "pass", False: "**MISS**", None: "–"}[passed]
