"""Hot spots of geocoded patents on a 5 km grid: synthetic points around real prefecture centres.

Geocoded patent or firm records are points. This example draws a synthetic set of them (seeded,
so every run is the same) around the real centres of China's prefecture-level units, as many
around each centre as the unit's real patent count of 2016 (``si.load_dataset
("city_cn_public_2016")``, CNIPA via the published intercity data; 275 cities) scaled to
``--points`` in total, spread with a normal kernel of 10-40 km (larger for larger units). Then:

1. ``si.grid(points, cell="5km", agg="count")``: the count in every 5 km x 5 km cell of China
   (Albers equal-area, ``si.boundaries.EQUAL_AREA_CRS``; empty cells counted 0), with the
   province and prefecture each cell lies in;
2. ``si.grid_weights(cells)``: queen contiguity of the cells, read off the lattice;
3. ``si.hotspots`` (analytic Gi* z, the default: no permutations at this size) and ``si.lisa``
   (999 conditional permutations; no multiple-testing correction here: with 3.8 x 10^5 cells
   FDR needs 10^7 permutations to reject, see ``permutations="auto"``);
4. ``si.hotspot_map``: the cells as one image on an offline web map, saved as HTML, and
   ``si.plot_hotspots``: the print figure (PDF; the 3.8 x 10^5 cells drawn as one 300 dpi image,
   text and outlines as vectors, the South China Sea inset);
5. the hot cells summarised by prefecture.

Run: ``python examples/grid_hotspots.py [--points 200000] [--out DIR]`` (about a minute on two
cores; the map and the figure are written to DIR, by default a temporary directory).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import spatialinno as si

SEED = 2016


def synthetic_patents(n_points: int, seed: int = SEED) -> pd.DataFrame:
    """``n_points`` patent locations (lon, lat in EPSG:4490) around real prefecture centres."""
    rng = np.random.default_rng(seed)
    pref = si.load_boundaries("prefecture")
    albers = pref.to_crs(si.boundaries.EQUAL_AREA_CRS)
    centres = albers.geometry.centroid
    cities = si.load_dataset("city_cn_public_2016")
    codes = cities["gb"].astype(str).str.removeprefix("156")
    weight = pd.Series(cities["Patent"].to_numpy(float), index=codes).groupby(level=0).sum()
    share = pref["code"].map(weight).fillna(0.0).to_numpy()
    counts = rng.multinomial(n_points, share / share.sum())
    # kernel: 10 km for a small unit up to 40 km for a large one (sqrt of the area)
    spread = np.clip(np.sqrt(albers.area.to_numpy()) / 8.0, 10_000.0, 40_000.0)
    which = np.repeat(np.arange(len(pref)), counts)
    x = centres.x.to_numpy()[which] + rng.normal(0.0, spread[which])
    y = centres.y.to_numpy()[which] + rng.normal(0.0, spread[which])
    from pyproj import Transformer

    to_deg = Transformer.from_crs(si.boundaries.EQUAL_AREA_CRS, si.boundaries.CRS, always_xy=True)
    lon, lat = to_deg.transform(x, y)
    return pd.DataFrame({"lon": lon, "lat": lat, "origin": pref["code"].to_numpy()[which]})


def run(n_points: int = 200_000, out_dir: Path | None = None) -> dict[str, object]:
    """The whole flow; returns the facts it prints (cells, hot cells, top prefectures)."""
    out_dir = Path(out_dir or tempfile.mkdtemp(prefix="si-grid-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    points = synthetic_patents(n_points)
    with warnings.catch_warnings():
        # a few points of coastal units fall in the sea, outside every cell of China
        warnings.simplefilter("ignore", si.DataWarning)
        cells = si.grid(points, cell="5km", agg="count", extent="china")
    w = si.grid_weights(cells, kind="queen")
    hot = si.hotspots(cells, "count", w=w)
    clusters = si.lisa(cells, "count", w=w, permutations=999, seed=SEED)
    html = out_dir / "patent_hotspots_5km.html"
    title = "专利热点（5 公里格网，合成数据）"
    si.hotspot_map(hot, "count", title=title).save(html)
    figure = out_dir / "patent_hotspots_5km.pdf"
    si.plot_hotspots(hot, "count", title=title).savefig(figure)  # cells as one image
    by_unit = (
        hot.loc[hot["gi_bin"] == 3]
        .groupby(["prefecture_code", "prefecture"])
        .size()
        .sort_values(ascending=False)
    )
    facts = {
        "points": int(cells.attrs["grid"]["points"]),
        "cells": len(cells),
        "cells_with_patents": int((cells["count"] > 0).sum()),
        "hot_99": int((hot["gi_bin"] == 3).sum()),
        "inference": hot.attrs["hotspots"]["inference"],
        "lisa_hh": int((clusters["lisa_cluster"] == "HH").sum()),
        "top_prefectures": by_unit.head(5).reset_index().values.tolist(),
        "map": str(html),
        "figure": str(figure),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    facts = run(args.points, args.out)
    print(f"{facts['points']:,} patents in {facts['cells']:,} cells of 5 km "
          f"({facts['cells_with_patents']:,} with patents)")  # fmt: skip
    print(f"Gi* ({facts['inference']}): {facts['hot_99']:,} hot cells at 99 %; "
          f"LISA (999 permutations): {facts['lisa_hh']:,} HH cells")  # fmt: skip
    print("prefectures with the most 99 % hot cells:")
    for code, name, n in facts["top_prefectures"]:
        print(f"  {code} {name}: {n}")
    print(f"map: {facts['map']}")
    print(f"print figure: {facts['figure']}  ({facts['seconds']} s)")


if __name__ == "__main__":
    main()
