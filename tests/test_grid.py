"""si.grid (points to square equal-area cells / H3 hexagons) and si.grid_weights (lattice weights).

Cross-checks: the cell of every point against a shapely point-in-polygon test of the cell squares
in the Albers projection; counts, sums and means against pandas groupby; the unit of a cell against
the prefecture layer; the lattice weights link for link against libpysal's polygon contiguity
(``Graph.build_contiguity``) on the cells' own polygons and against ``h3.are_neighbor_cells``.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import pytest
import shapely
from helpers_chromium import render, requires_chromium

import spatialinno as si
from spatialinno._errors import DataWarning, InputError, WeightsError
from spatialinno.boundaries import EQUAL_AREA_CRS


def _points(n: int, seed: int = 0) -> pd.DataFrame:
    """Points around Beijing, Shanghai and Chengdu (degrees) with a value."""
    rng = np.random.default_rng(seed)
    centres = np.array([[116.4, 39.9], [121.47, 31.23], [104.07, 30.67]])
    which = rng.integers(0, 3, n)
    xy = centres[which] + rng.normal(0, 0.15, (n, 2))
    return pd.DataFrame({"lon": xy[:, 0], "lat": xy[:, 1], "staff": rng.gamma(2.0, 3.0, n)})


def _links(g) -> set[tuple[int, int]]:
    adj = g.adjacency
    adj = adj[adj > 0]
    return set(
        zip(
            adj.index.get_level_values(0).tolist(),
            adj.index.get_level_values(1).tolist(),
            strict=True,
        )
    )


def test_square_cells_hold_their_points_and_aggregate_like_groupby() -> None:
    pts = _points(3000)
    out = si.grid(pts, cell="5km", value="staff", agg="sum", extent=None)
    # brute force: the cell of each point is the Albers square that contains it
    xy = gpd.GeoSeries(gpd.points_from_xy(pts.lon, pts.lat), crs="EPSG:4490").to_crs(EQUAL_AREA_CRS)
    ix = np.floor(xy.x / 5000).astype(int)
    iy = np.floor(xy.y / 5000).astype(int)
    ref = pts.assign(ix=ix, iy=iy).groupby(["ix", "iy"])["staff"].agg(["sum", "count", "mean"])
    got = out.set_index(["ix", "iy"])
    assert len(out) == len(ref)
    np.testing.assert_allclose(got.loc[ref.index, "staff"], ref["sum"], rtol=1e-12)
    np.testing.assert_array_equal(got.loc[ref.index, "n_points"], ref["count"])
    assert out["n_points"].sum() == 3000
    # the square polygon (corners projected to EPSG:4490) holds its points
    squares = out.to_crs(EQUAL_AREA_CRS)
    areas = squares.area.to_numpy()
    np.testing.assert_allclose(areas, 25e6, rtol=1e-6)  # equal-area: 25 km² each
    first = pts.loc[(ix == out.ix[0]) & (iy == out.iy[0])]
    inside = shapely.contains_xy(out.geometry.iloc[0], first.lon.to_numpy(), first.lat.to_numpy())
    assert inside.all()
    mean = si.grid(pts, cell="5km", value="staff", agg="mean", extent=None)
    np.testing.assert_allclose(mean.set_index(["ix", "iy"]).loc[ref.index, "staff"], ref["mean"])
    assert out.attrs["grid"]["points"] == 3000 and out.attrs["grid"]["cell"] == "5km"


def test_units_of_cells_and_china_extent_fills_empty_cells() -> None:
    pts = pd.DataFrame({"lon": [116.40, 116.41, 121.47, 150.0], "lat": [39.90, 39.91, 31.23, 10.0]})
    with pytest.warns(DataWarning, match="1 point"):
        out = si.grid(pts, cell="50km", agg="count")
    assert out["count"].sum() == 3 and len(out) > 3000  # empty cells of China are rows
    assert (out["count"] == 0).sum() == len(out) - 2
    beijing = out.loc[out["count"] == 2].iloc[0]
    assert (beijing.province_code, beijing.prefecture_code) == ("110000", "110000")
    # the unit is the prefecture-level unit holding the cell centre (shapely, full layer)
    pref = si.load_boundaries("prefecture")
    centres = out.to_crs(EQUAL_AREA_CRS).centroid.to_crs("EPSG:4490")
    sample = out.sample(200, random_state=0).index
    joined = gpd.sjoin(
        gpd.GeoDataFrame(geometry=centres.loc[sample]), pref[["code", "geometry"]], how="left"
    )
    joined = joined[~joined.index.duplicated()]
    agree = (
        joined["code"].fillna("-").to_numpy()
        == out.loc[sample, "prefecture_code"].fillna("-").to_numpy()
    )
    assert agree.mean() >= 0.97  # the bundled simplified layer: border cells may differ


def test_h3_cells_match_h3_and_mean_needs_values() -> None:
    pts = _points(500, seed=1)
    out = si.grid(pts, cell="h3:6", value="staff", agg="sum", extent=None)
    ids = [h3.latlng_to_cell(b, a, 6) for a, b in zip(pts.lon, pts.lat, strict=True)]
    ref = pts.assign(h3=ids).groupby("h3")["staff"].sum()
    np.testing.assert_allclose(out.set_index("h3").loc[ref.index, "staff"], ref.to_numpy())
    assert (out["code"] == out["h3"]).all()
    with pytest.raises(InputError, match="needs value="):
        si.grid(pts, agg="mean")
    with pytest.raises(InputError, match="'h3:6'"):
        si.grid(pts, cell="6")
    with pytest.raises(InputError, match="no valid longitude"):
        si.grid(pts.assign(lon=np.where(pts.index == 3, np.nan, pts.lon)), agg="count")


@pytest.mark.parametrize("kind", ["queen", "rook"])
def test_square_lattice_weights_equal_polygon_contiguity(kind: str) -> None:
    from libpysal.graph import Graph

    out = si.grid(_points(2000, seed=2), cell="5km", agg="count", extent=None)
    g = si.grid_weights(out, kind=kind)
    poly = Graph.build_contiguity(out.to_crs(EQUAL_AREA_CRS).geometry, rook=kind == "rook")
    assert _links(g) == _links(poly)
    assert len(_links(g)) > 500


def test_h3_ring_weights_equal_h3_neighbours() -> None:
    out = si.grid(_points(400, seed=3), cell="h3:7", agg="count", extent=None)
    g = si.grid_weights(out)
    ids = out["h3"].tolist()
    brute = {
        (i, j)
        for i in range(len(ids))
        for j in range(len(ids))
        if i != j and h3.are_neighbor_cells(ids[i], ids[j])
    }
    assert _links(g) == brute and len(brute) > 100


def test_grid_weights_pass_the_alignment_check_and_refuse_a_resorted_frame() -> None:
    out = si.grid(_points(3000, seed=4), cell="5km", agg="count", extent=None)
    g = si.grid_weights(out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = si.lisa(out, "count", w=g, permutations=99, seed=0)
    assert res["lisa_cluster"].isin(["HH", "LL", "HL", "LH", "ns", "isolated"]).all()
    with pytest.raises(WeightsError):
        si.lisa(out.iloc[::-1], "count", w=g, permutations=99, seed=0)
    with pytest.raises(WeightsError, match="ix and iy"):
        si.grid_weights(out.drop(columns=["ix"]))


def _decode_png(png: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Palette indices and palette of an 8-bit indexed PNG (filter 0 rows), standard library."""
    import struct
    import zlib

    pos, chunks = 8, {}
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        chunks[kind] = chunks.get(kind, b"") + png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(height, width + 1)
    assert (raw[:, 0] == 0).all()
    return raw[:, 1:], np.frombuffer(chunks[b"PLTE"], np.uint8).reshape(-1, 3)


@pytest.mark.parametrize("cell", ["50km", "h3:4"])
def test_grid_image_pixels_take_the_colour_of_the_cell_under_them(cell: str) -> None:
    import math

    from spatialinno.maps.raster import grid_image

    out = si.grid(_points(2000, seed=5), cell=cell, agg="count", extent=None)
    palette_in = ["#ff0000", "#00ff00", "#0000ff"]
    colors = [palette_in[i % 3] for i in range(len(out))]
    png, bounds, _ = grid_image(out, colors)
    pixels, palette = _decode_png(png)
    (south, west), (north, east) = bounds
    height, width = pixels.shape

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    # the pixel under each cell's centre (Leaflet stretches the image linearly in Mercator)
    centres = out.to_crs(EQUAL_AREA_CRS).centroid.to_crs("EPSG:4490")
    hit = 0
    for i, pt in enumerate(centres):
        col = int((pt.x - west) / (east - west) * width)
        row = int((merc(north) - merc(pt.y)) / (merc(north) - merc(south)) * height)
        idx = pixels[min(row, height - 1), min(col, width - 1)]
        assert idx > 0, f"cell {out.code[i]} left transparent"
        got = "#{:02x}{:02x}{:02x}".format(*palette[idx])
        hit += got == colors[i]
    assert hit == len(out)
    assert pixels[0, 0] == 0 or len(out) > 1  # outside the cells: transparent (index 0)


@requires_chromium
@pytest.mark.chromium
def test_hotspot_map_of_100000_cells_is_one_image_in_chromium(tmp_path) -> None:
    rng = np.random.default_rng(6)
    centres = np.array([[116.4, 39.9], [121.47, 31.23], [113.26, 23.13], [104.07, 30.67]])
    xy = centres[rng.integers(0, 4, 60_000)] + rng.normal(0, 0.8, (60_000, 2))
    pts = pd.DataFrame({"lon": xy[:, 0], "lat": xy[:, 1]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        cells = si.grid(pts, cell="6km", agg="count")
    assert len(cells) > 100_000
    hot = si.hotspots(cells, "count", w=si.grid_weights(cells))
    si.hotspot_map(hot, "count").save(tmp_path / "hot.html")
    size = (tmp_path / "hot.html").stat().st_size
    assert size < 5e6, size  # GeoJSON of 10^5 squares would be tens of MB
    r = render(
        tmp_path / "hot.html",
        evaluate={
            "images": "Array.from(document.querySelectorAll('img.si-grid-raster'))"
            ".map(i => [i.complete, i.naturalWidth > 500, i.getBoundingClientRect().width > 300])",
            "region_paths": "document.querySelectorAll('path.si-region').length",
        },
    )
    assert r["console_errors"] == [] and r["exceptions"] == []
    assert r["failed_requests"] == [] and r["requests"] == []  # offline: the image is a data: URL
    assert r["eval"]["images"] == [[True, True, True]]
    assert r["eval"]["region_paths"] == 0 and r["n_paths"] < 200  # no path per cell
    n_hot = int((hot["gi_bin"] == 3).sum())
    assert n_hot > 1000 and f"({n_hot}个)" in r["legend_text"]
    assert "解析" in r["legend_text"]  # analytic Gi* stated on the map


@pytest.mark.slow
def test_grid_hotspots_example_runs_and_finds_the_patent_centres(tmp_path) -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "examples" / "grid_hotspots.py"
    if not path.is_file():
        pytest.skip("not running from a source checkout")
    spec = importlib.util.spec_from_file_location("grid_hotspots", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    points = example.synthetic_patents(50_000)
    again = example.synthetic_patents(50_000)
    pd.testing.assert_frame_equal(points, again)  # seeded: the same points every run
    facts = example.run(50_000, tmp_path)
    assert 0.97 * 50_000 <= facts["points"] <= 50_000  # a few coastal points fall in the sea
    assert facts["inference"] == "analytic" and facts["hot_99"] > 500
    top = [code for code, _, _ in facts["top_prefectures"]]
    assert "110000" in top  # Beijing: the most patents of 2016 among the 275 cities
    assert Path(facts["map"]).stat().st_size > 10_000
    pdf = Path(facts["figure"]).read_bytes()  # the print figure: the cells as one image
    assert pdf.startswith(b"%PDF") and len(pdf) < 5e6 and pdf.count(b"/Subtype /Image") <= 4


def test_scattered_cells_take_the_sorted_path_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from spatialinno.boundaries import rasterize
    from spatialinno.boundaries.grids import _pack, _unpack
    from spatialinno.maps import raster
    from spatialinno.measures import lattice

    ix = np.array([-5, -5, 3, 0, 7])
    iy = np.array([-7, 2, -1, 0, -(2**29)])
    back = _unpack(_pack(ix, iy))
    np.testing.assert_array_equal(back[0], ix)
    np.testing.assert_array_equal(back[1], iy)

    out = si.grid(_points(1500, seed=8), cell="5km", agg="count", extent=None)
    dense = lattice.lattice_pairs(out, "queen")
    colors = ["#ff0000", "#00ff00", "#0000ff"] * len(out)
    img_dense = raster.grid_image(out, colors[: len(out)])[0]
    monkeypatch.setattr(lattice, "_DENSE_FACTOR", 0)
    monkeypatch.setattr(lattice, "_DENSE_EXTRA", 0)
    monkeypatch.setattr(rasterize, "_DENSE_EXTRA", -(10**12))
    sparse = lattice.lattice_pairs(out, "queen")
    assert set(zip(*dense[:2], strict=True)) == set(zip(*sparse[:2], strict=True))
    assert len(dense[0]) > 1000
    assert raster.grid_image(out, colors[: len(out)])[0] == img_dense
    with pytest.raises(WeightsError, match="repeats a cell"):
        lattice.lattice_pairs(pd.concat([out, out.iloc[:1]]), "queen")
