"""Render time of the print figures (issue 16): build the figure and write a 300 dpi PNG.

* ``si.plot_choropleth`` of the 375 prefecture units with the South China Sea inset (national
  extent: mainland clip, inset, north arrow, scale bar, legend, caption) -- target < 3 s;
* the five-panel small multiple ``si.plot_choropleth(frame, column, by="year")`` of the
  prefecture units (five years; one shared legend and inset) -- target < 8 s;
* for comparison: the province choropleth and the five-panel province small multiple of the
  reference study (``zhao2025_table2``, 2012/2015/2018/2021/2023).

"warm" is a later figure in the same process (layers projected and cached, matplotlib and the
font loaded): median (min) of n runs. "first" is the first figure in a fresh interpreter, timed
from after ``import spatialinno`` and the data (so it includes importing matplotlib, registering
the bundled font, and projecting and caching the boundary layers): what a notebook's first
figure costs. The targets are checked on both.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
from _harness import Section, Target, python_cmd, run_checked, run_standalone, timed
from _inputs import VARIABLE, layer

import spatialinno as si

TARGETS_S = {"prefecture choropleth + inset": 3.0, "prefecture small multiple, 5 panels": 8.0}
YEARS = (2012, 2015, 2018, 2021, 2023)


def _panel(level: str) -> pd.DataFrame:
    """Five years of the unit areas (scaled a little per year), one row per unit and year."""
    g = pd.DataFrame(layer(level).drop(columns="geometry"))[["code", VARIABLE]]
    return pd.concat([g.assign(year=y, **{VARIABLE: g[VARIABLE] * (1 + 0.05 * i)})
                      for i, y in enumerate(YEARS)], ignore_index=True)  # fmt: skip


def _cases() -> list[tuple[str, object]]:
    pref = pd.DataFrame(layer("prefecture").drop(columns="geometry"))
    t2 = si.load_dataset("zhao2025_table2")
    panel = _panel("prefecture")
    return [
        ("prefecture choropleth + inset", lambda: si.plot_choropleth(pref, VARIABLE)),
        ("prefecture small multiple, 5 panels",
         lambda: si.plot_choropleth(panel, VARIABLE, by="year")),
        ("province choropleth + inset (2023)",
         lambda: si.plot_choropleth(t2.query("year == 2023"), "gini_innovation")),
        ("province small multiple, 5 panels", lambda: si.plot_choropleth(t2, "gini_innovation",
                                                                         by="year")),
    ]  # fmt: skip


_FIRST = """
import json, sys, time
sys.path.insert(0, {here!r})
import bench_figures as b
cases = dict(b._cases())
t0 = time.perf_counter()
cases[{name!r}]().savefig({path!r}, dpi=300)
print(json.dumps(time.perf_counter() - t0))
"""


def _first(name: str, path: Path) -> float:
    code = _FIRST.format(here=str(Path(__file__).parent), name=name, path=str(path))
    return float(json.loads(run_checked(python_cmd("-c", code)).strip().splitlines()[-1]))


def run(quick: bool = False) -> Section:
    sec = Section(
        title="Print figures: render time",
        intro=(
            "Build the figure and save a 300 dpi PNG (Agg). warm: median (min) of n runs in one "
            "process; first: the first figure of a fresh interpreter (matplotlib import, font "
            "registration and the projection of the boundary layers included)."
        ),
        headers=["figure", "warm", "first in a process", "PNG size", "target"],
    )
    reps = 2 if quick else 3
    with tempfile.TemporaryDirectory(prefix="si-bench-figures-") as tmp:
        for name, build in _cases():
            path = Path(tmp) / "fig.png"
            build().savefig(path, dpi=300)  # warm-up
            t, _ = timed(lambda b=build, p=path: b().savefig(p, dpi=300), reps)
            first = _first(name, Path(tmp) / "first.png")
            limit = TARGETS_S.get(name)
            size = f"{path.stat().st_size / 1e6:.2f} MB"
            sec.rows.append([name, t.cell(), f"{first:.2f} s", size,
                             f"< {limit:g} s" if limit else "–"])  # fmt: skip
            if limit is not None:
                for what, value in (("warm", t.median), ("first in a process", first)):
                    sec.targets.append(Target(f"{name} ({what})", f"< {limit:g} s",
                                              f"{value:.2f} s", value < limit))  # fmt: skip
    return sec


if __name__ == "__main__":
    run_standalone(run)
