"""Boundary load times: ``si.load_boundaries(level, simplified=...)``, cold and warm.

* cold: the first load of a layer in a fresh interpreter (``import spatialinno`` and geopandas /
  pyogrio already imported, so only reading the GeoPackage layer is timed; the file itself is in
  the OS page cache after the first run -- a truly cold disk is not reproducible here);
* cold incl. imports: the same process, timed from before ``import spatialinno`` (what a script's
  first line pays);
* warm: later loads in the same process (a copy of the cached frame).

No target in the issue; the numbers tell what the weights/maps/CLI timings are made of.
"""

from __future__ import annotations

import json

from _harness import (
    Section,
    Timing,
    fmt_s,
    python_cmd,
    run_checked,
    run_standalone,
    timed,
)

import spatialinno as si

CASES: tuple[tuple[str, bool], ...] = (
    ("province", False),
    ("prefecture", False),
    ("county", False),
    ("lines", False),
    ("province", True),
    ("prefecture", True),
    ("county", True),
)

_COLD = """
import json, time
t0 = time.perf_counter()
import spatialinno as si
import geopandas, pyogrio
from spatialinno import boundaries
t1 = time.perf_counter()
frame = si.load_boundaries({level!r}, simplified={simplified!r})
t2 = time.perf_counter()
print(json.dumps({{"read": t2 - t1, "total": t2 - t0, "rows": len(frame)}}))
"""


def run(quick: bool = False) -> Section:
    from _inputs import clear_layer_cache

    sec = Section(
        title="Boundary load times",
        intro=(
            "`si.load_boundaries(level, simplified)`. cold = first load in a fresh interpreter "
            "(imports done; GeoPackage in the OS page cache); cold incl. imports = timed from "
            "before `import spatialinno`; first read in this process = cache of read layers "
            "cleared before each run; warm = repeated load (copy of the cached frame). "
            "Median (min) of n runs."
        ),
        headers=[
            "layer",
            "simplified",
            "rows",
            "cold (fresh process)",
            "cold incl. imports",
            "first read in this process",
            "warm",
        ],
    )
    reps = 2 if quick else 5
    for level, simplified in CASES:
        code = _COLD.format(level=level, simplified=simplified)
        samples = [json.loads(run_checked(python_cmd("-c", code))) for _ in range(reps)]
        read_t = Timing(tuple(s["read"] for s in samples))
        total_t = Timing(tuple(s["total"] for s in samples))
        first_t, _ = timed(
            lambda lv=level, s=simplified: si.load_boundaries(lv, simplified=s),
            reps,
            before=clear_layer_cache,
        )
        si.load_boundaries(level, simplified=simplified)
        warm_t, frame = timed(
            lambda lv=level, s=simplified: si.load_boundaries(lv, simplified=s), reps * 2
        )
        sec.rows.append(
            [
                level,
                "yes" if simplified else "no",
                f"{len(frame):,}",
                read_t.cell(),
                total_t.cell(),
                first_t.cell(),
                warm_t.cell(),
            ]
        )
        if level == "county" and not simplified:
            sec.notes.append(
                f"County layer, full geometry: {fmt_s(read_t.median)} for the first read; every "
                "later load is a copy of the cached frame."
            )
    return sec


if __name__ == "__main__":
    run_standalone(run)
