"""Saved HTML size (and build + save time) of the offline maps.

``si.choropleth_map(layer, "area_km2")`` on the prefecture and county layers, plus the LISA and Gi*
maps of the prefecture layer, saved with ``m.save(path)`` (Leaflet, d3 inlined by
``spatialinno.maps.offline``). Targets: prefecture choropleth < 1.5 MB, county choropleth < 6 MB
(1 MB = 10^6 bytes here; the MiB size is shown too).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _harness import Section, Target, profile_call, run_standalone, timed
from _inputs import VARIABLE, graph, layer

import spatialinno as si

TARGETS_MB = {"prefecture": 1.5, "county": 6.0}


def _size(path: Path) -> str:
    b = path.stat().st_size
    return f"{b / 1e6:.3f} MB ({b / 2**20:.3f} MiB, {b:,} bytes)"


def run(quick: bool = False) -> Section:
    sec = Section(
        title="Map HTML size",
        intro=(
            f"Offline folium maps of unit area (`{VARIABLE}`), saved to a file. Build + save time: "
            "median (min) of n runs (the first call also imports folium, mapclassify)."
        ),
        headers=["map", "layer", "n", "HTML size", "build + save", "target"],
    )
    reps = 2 if quick else 3
    with tempfile.TemporaryDirectory(prefix="si-bench-maps-") as tmp:
        out = Path(tmp)
        cases = [
            ("choropleth_map", "prefecture", lambda g: si.choropleth_map(g, VARIABLE)),
            ("choropleth_map", "county", lambda g: si.choropleth_map(g, VARIABLE)),
            (
                "lisa_map",
                "prefecture",
                lambda g: si.lisa_map(
                    si.lisa(g, VARIABLE, w=graph("prefecture"), permutations=999, seed=0)
                ),
            ),
            (
                "hotspot_map",
                "prefecture",
                lambda g: si.hotspot_map(si.hotspots(g, VARIABLE, w=graph("prefecture"))),
            ),
        ]
        for name, level, build in cases:
            gdf = layer(level)
            path = out / f"{name}_{level}.html"
            build(gdf).save(str(path))  # warm-up (imports)
            t, _ = timed(lambda b=build, g=gdf, p=path: b(g).save(str(p)), reps)
            size_mb = path.stat().st_size / 1e6
            limit = TARGETS_MB.get(level) if name == "choropleth_map" else None
            sec.rows.append(
                [
                    name,
                    level,
                    f"{len(gdf):,}",
                    _size(path),
                    t.cell(),
                    f"< {limit} MB" if limit else "–",
                ]
            )
            if limit is not None:
                sec.targets.append(
                    Target(
                        f"{name} HTML size, {level}",
                        f"< {limit} MB",
                        f"{size_mb:.3f} MB",
                        size_mb < limit,
                    )
                )
                if size_mb >= limit:
                    sec.profiles[f"{name} {level} build + save"] = profile_call(
                        lambda b=build, g=gdf, p=path: b(g).save(str(p)), limit=15
                    )
    return sec


if __name__ == "__main__":
    run_standalone(run)
