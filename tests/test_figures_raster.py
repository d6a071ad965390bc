"""Print maps of grids drawn as one image (spatialinno.figures.raster, boundaries.rasterize).

What is checked, and against what:

* the scanline fill of polygons against shapely's point-in-polygon test at every pixel centre
  (holes, multi-part units, hexagons);
* the pixels of rendered figures (PNG) at cell centres against the class colour of the cell,
  for square cells (lattice lookup), H3 hexagons and irregular polygons (scanline), in the
  main map and in the South China Sea inset, and against the vector version of the same map;
* the vector and raster versions of a map: the same legend (labels, counts, swatches);
* a 10^5-cell grid: rendered in seconds, a PDF of one image per map (main map, inset) at the
  figure's dpi, a few hundred KB, text still text;
* the greyscale hatches drawn into the image against matplotlib's own hatches (density,
  coverage), and no colour in a greyscale figure;
* a baseline image (pytest-mpl, as tests/test_figures.py; regenerate with
  ``pytest tests/test_figures_raster.py -k image --mpl-generate-path=tests/baseline/figures_raster``).
"""

from __future__ import annotations

import io
import re
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from PIL import Image

import spatialinno as si
from spatialinno import styles
from spatialinno._errors import InputError
from spatialinno.boundaries import EQUAL_AREA_CRS
from spatialinno.boundaries.rasterize import polygon_rows
from spatialinno.figures import fonts
from spatialinno.figures.raster import RASTER_UNITS, CellImage, hatch_mask, raster_mode
from spatialinno.styles.printing import grey_fill

TOL = 3.0
IMAGE = {
    "baseline_dir": "baseline/figures_raster",
    "savefig_kwargs": {"dpi": 60},
    "tolerance": TOL,
    "style": "default",
}
LISA_CLASSES = np.array(["HH", "LL", "HL", "LH", "ns", "isolated", "no data"], dtype=object)


def _grid(points: pd.DataFrame, cell: str, extent: str | None = "china") -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", si.DataWarning)  # points in the sea
        return si.grid(points, cell=cell, agg="count", extent=extent)


def _cities(n: int, seed: int, spread: float = 0.8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    centres = np.array([[116.4, 39.9], [121.47, 31.23], [113.26, 23.13], [104.07, 30.67]])
    xy = centres[rng.integers(0, 4, n)] + rng.normal(0, spread, (n, 2))
    return pd.DataFrame({"lon": xy[:, 0], "lat": xy[:, 1]})


def _with_classes(g: pd.DataFrame, by: str = "lattice") -> pd.DataFrame:
    """Every LISA class and Gi* bin in blocks of cells (deterministic, no statistic)."""
    g = g.copy()
    if by == "lattice":
        block = (g["ix"].to_numpy() // 3 + g["iy"].to_numpy() // 3).astype(int)
    else:
        block = np.arange(len(g)) // 7
    g["lisa_cluster"] = LISA_CLASSES[block % 7]
    g["gi_bin"] = (block % 7) - 3
    g["value"] = (block % 11).astype(float)
    return g


@pytest.fixture(scope="module")
def coarse() -> pd.DataFrame:
    """50 km cells over China (about 3,800: a vector map by default)."""
    return _with_classes(_grid(_cities(2000, 1), "50km"))


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    """8 km cells over China with Gi* hot spots: over 10^5 cells."""
    cells = _grid(_cities(60_000, 6), "8km")
    return si.hotspots(cells, "count", w=si.grid_weights(cells))


def _lat(frame: pd.DataFrame) -> np.ndarray:
    """Latitude of each unit's centre (degrees)."""
    return frame.geometry.to_crs(EQUAL_AREA_CRS).centroid.to_crs(4490).y.to_numpy()


def _images(fig: object) -> list[CellImage]:
    return fig.findobj(CellImage)


def _texts(fig: object) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _legend(fig: object) -> list[tuple[str, tuple, object]]:
    leg = fig.axes[0].get_legend()
    return [(t.get_text(), tuple(np.round(h.get_facecolor(), 4)), h.get_hatch())
            for t, h in zip(leg.get_texts(), leg.legend_handles, strict=True)]  # fmt: skip


# ------------------------------------------------------------------------------------------
# the scanline fill and the mode
# ------------------------------------------------------------------------------------------
def test_polygon_rows_equal_point_in_polygon_at_every_pixel_centre() -> None:
    rng = np.random.default_rng(0)
    geoms = []
    for k in range(300):
        c, r = rng.uniform(0, 100, 2), rng.uniform(1, 8)
        p = shapely.Point(c).buffer(r, quad_segs=int(rng.integers(1, 6)))
        if k % 3 == 0:  # a hole
            p = p.difference(shapely.Point(c).buffer(r / 2))
        if k % 5 == 0:  # two parts
            p = shapely.MultiPolygon([p, shapely.box(*(c + 10), *(c + 13))])
        geoms.append(p)
    h3_cells = _grid(_cities(3000, 2), "h3:4", extent=None).to_crs(EQUAL_AREA_CRS)
    for gs, shape in ((np.array(geoms, dtype=object), (311, 257)),
                      (h3_cells.geometry.to_numpy(), (400, 500))):  # fmt: skip
        x0, y0, x1, y1 = shapely.total_bounds(gs)
        bounds = (x0 - 3.3, y0 + 2.1, x1 + 0.7, y1 - 1.1)  # cut on two sides
        rows = polygon_rows(gs, bounds, shape)
        xs = bounds[0] + (np.arange(shape[1]) + 0.5) * (bounds[2] - bounds[0]) / shape[1]
        ys = bounds[3] - (np.arange(shape[0]) + 0.5) * (bounds[3] - bounds[1]) / shape[0]
        gx, gy = np.meshgrid(xs, ys)
        covered = np.zeros(shape, dtype=bool)
        for i, g in enumerate(gs):
            inside = shapely.contains_xy(g, gx, gy)
            covered |= inside
            assert not ((rows == i) & ~inside).any(), f"polygon {i} given a pixel outside it"
        assert ((rows >= 0) == covered).all()
        assert covered.sum() > 10_000


def test_raster_mode_threshold_and_forcing(coarse: pd.DataFrame) -> None:
    assert (raster_mode(None, RASTER_UNITS - 1), raster_mode(None, RASTER_UNITS)) == (False, True)
    assert len(coarse) < RASTER_UNITS
    vector = si.plot_lisa(coarse, width="single")
    assert not _images(vector)
    assert max(len(c.get_paths()) for c in vector.findobj(PathCollection)) == len(coarse)
    forced = si.plot_lisa(coarse, width="single", raster=True)
    assert len(_images(forced)) == 2  # the main map and the inset
    assert not forced.findobj(PathCollection)  # no polygon drawn as a path (legend: patches)
    assert not _images(si.plot_choropleth(coarse, "value", raster=False))
    assert len(_images(si.plot_choropleth(coarse, "value", raster=True))) == 2
    with pytest.raises(InputError, match="raster must be None"):
        si.plot_hotspots(coarse, raster="yes")


def test_names_on_every_cell_refused_province_names_drawn(coarse: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="names='units' labels each of the"):
        si.plot_hotspots(coarse, raster=True, names="units")
    fig = si.plot_hotspots(coarse, raster=True, names=True)
    assert "四川" in _texts(fig)


# ------------------------------------------------------------------------------------------
# 10^5 cells: seconds, a small PDF of one image per map, text still text
# ------------------------------------------------------------------------------------------
def _pdf_images(data: bytes) -> list[tuple[int, int]]:
    """(width, height) of the image XObjects of a PDF that are not soft masks (alpha)."""
    objects = re.findall(rb"(\d+) 0 obj\s*<<((?:(?!endobj).)*?)>>\s*stream", data, re.S)
    images = {num: d for num, d in objects if b"/Subtype /Image" in d}
    masks = set(re.findall(rb"/SMask (\d+) 0 R", data))
    out = []
    for num, d in images.items():
        if num not in masks:
            w = int(re.search(rb"/Width (\d+)", d)[1])
            out.append((w, int(re.search(rb"/Height (\d+)", d)[1])))
    return out


def test_grid_of_100000_cells_renders_in_seconds_as_one_image(big: pd.DataFrame) -> None:
    assert len(big) > 100_000
    start = time.perf_counter()
    fig = si.plot_hotspots(big, "count", width="double", dpi=300)
    png, pdf, svg = io.BytesIO(), io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png")
    fig.savefig(pdf, format="pdf")
    fig.savefig(svg, format="svg")
    seconds = time.perf_counter() - start
    assert seconds < 60, seconds  # about 5 s on 2 cores; one path per cell: minutes
    assert len(_images(fig)) == 2
    data = pdf.getvalue()
    assert len(data) < 5e6, len(data)  # about 0.2 MB
    images = _pdf_images(data)
    assert len(images) == 2, images  # the main map and the inset, nothing else
    ax = fig.axes[0]
    width_px = ax.get_position().width * fig.get_figwidth() * 300
    assert abs(max(w for w, _ in images) - width_px) <= 2  # the map at the figure's 300 dpi
    text = svg.getvalue().decode()
    assert text.count("<image") == 2
    assert text.count("<path") < 5_000  # outlines, border lines, legend: not 10^5 cells
    n_hot = int((big["gi_bin"] == 3).sum())
    label = f"{styles.HOTSPOTS.label_of(3, 'zh')} ({n_hot}个)"
    assert n_hot > 1000 and label in _texts(fig)
    assert re.search(r"<text[^>]*>[^<]*热点 99%", text)  # legend text kept as text
    assert b"/FontFile2" in data  # the font embedded: text, not pixels, in the PDF
    arr = np.asarray(Image.open(png))
    assert arr.shape[1] == round(fig.get_figwidth() * 300)


# ------------------------------------------------------------------------------------------
# pixels: the class colour at each cell centre
# ------------------------------------------------------------------------------------------
def _render(fig: object, dpi: int) -> np.ndarray:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return np.asarray(Image.open(buf).convert("RGB")).astype(int)


def _free(fig: object, dpi: int) -> np.ndarray:
    """Pixels where the cell image shows, nothing over it: the figure rendered with a magenta
    sheet in place of each image; lines, text, legend, arrow and inset hide or tint it."""
    from matplotlib.patches import Rectangle

    sheets = []
    for image in _images(fig):
        image.set_visible(False)
        sheets.append(image.axes.add_patch(Rectangle(
            (0, 0), 1, 1, transform=image.axes.transAxes, facecolor="#ff00ff",
            edgecolor="none", zorder=image.get_zorder())))  # fmt: skip
    try:
        rgb = _render(fig, dpi)
    finally:
        for image, sheet in zip(_images(fig), sheets, strict=True):
            sheet.remove()
            image.set_visible(True)
    return (rgb == [255, 0, 255]).all(axis=2)


def _pixels_at(ax: object, fig: object, xy: np.ndarray, dpi: int, shape: tuple) -> np.ndarray:
    """(row, col) of the PNG pixel under each point ``xy`` (data coordinates of ``ax``)."""
    disp = ax.transData.transform(xy) * (dpi / fig.dpi)
    cols = np.floor(disp[:, 0]).astype(int)
    rows = np.floor(shape[0] - disp[:, 1]).astype(int)
    return np.column_stack([rows, cols])


def _check_centres(
    fig: object, ax: object, cells: pd.DataFrame, expected: list[str], dpi: int,
    inside: np.ndarray | None = None, within: np.ndarray | None = None,
) -> dict[str, int]:  # fmt: skip
    """Assert the colour of the pixel under every free cell centre; checked cells per colour.

    A centre (a point of ``cells``' geometry) is checked when it lies in ``ax``, nothing is
    drawn over it and it is at least 1.5 px inside its unit (``within``: the units' polygons,
    default the cells' own): the pixel's centre, which decides its colour, is then in the unit.
    """
    rgb = _render(fig, dpi)
    free = _free(fig, dpi)
    geoms = cells.to_crs(EQUAL_AREA_CRS).geometry.to_numpy()
    centres = shapely.point_on_surface(geoms)
    xy = np.column_stack([shapely.get_x(centres), shapely.get_y(centres)])
    rc = _pixels_at(ax, fig, xy, dpi, rgb.shape)
    box = ax.get_window_extent(fig.canvas.get_renderer()).extents * (dpi / fig.dpi)
    top, bottom = rgb.shape[0] - box[3], rgb.shape[0] - box[1]
    ok = (rc[:, 1] > box[0] + 1) & (rc[:, 1] < box[2] - 1)  # inside the axes (map or inset)
    ok &= (rc[:, 0] > top + 1) & (rc[:, 0] < bottom - 1)
    metres_per_px = np.diff(ax.get_xlim())[0] / (box[2] - box[0])
    units = geoms if within is None else within
    ok &= shapely.distance(centres, shapely.boundary(units)) > 1.5 * metres_per_px
    if inside is not None:
        ok &= inside
    checked: dict[str, int] = {}
    for i in np.flatnonzero(ok):
        r, c = rc[i]
        if not free[r, c]:
            continue
        want = np.round(np.array(to_rgba(expected[i])[:3]) * 255).astype(int)
        assert (rgb[r, c] == want).all(), (i, rgb[r, c], want)
        checked[expected[i]] = checked.get(expected[i], 0) + 1
    return checked


def test_square_cells_take_their_class_colour_in_the_main_map_and_the_inset(
    coarse: pd.DataFrame,
) -> None:
    fig = si.plot_lisa(coarse, raster=True)
    expected = [styles.LISA.color_of(v) for v in coarse["lisa_cluster"]]
    main = fig.axes[0]
    lat = _lat(coarse)
    inset = next(a for a in main.child_axes if a.get_gid() == "si-inset")
    checked = _check_centres(fig, main, coarse, expected, 200)
    assert set(checked) == {styles.LISA.color_of(v) for v in LISA_CLASSES}
    assert min(checked.values()) >= 50, checked
    # the inset shows the cells of Guangdong, Guangxi, Hainan and Taiwan as the main map does
    south = lat < 24.0
    in_inset = _check_centres(fig, inset, coarse, expected, 300, south)
    assert sum(in_inset.values()) >= 60, in_inset


def test_cells_south_of_the_mainland_box_are_drawn_in_the_inset_only() -> None:
    # cells on the Xisha and Nansha islands (16.8°N, 10°N), on Hainan, in Guangzhou, in the
    # north, and one in the sea across 17.5°N (17.0°N-17.9°N), where the main map is cut
    pts = pd.DataFrame({"lon": [112.33, 114.3, 109.8, 113.3, 87.6, 126.6, 115.6],
                        "lat": [16.83, 10.0, 19.2, 23.1, 43.8, 45.8, 17.5]})  # fmt: skip
    cells = _grid(pts, "100km", extent=None)
    boxes = cells.to_crs(EQUAL_AREA_CRS).geometry.to_numpy()
    pt, cell = shapely.STRtree(cells.geometry.to_numpy()).query(
        shapely.points(pts["lon"], pts["lat"]), predicate="within"
    )
    bins = np.zeros(len(cells), dtype=int)
    bins[cell] = np.array([3, -3, 2, -2, 1, -1, 3])[pt]
    cells["gi_bin"] = bins
    fig = si.plot_hotspots(cells, raster=True, width=120)
    inset = next(a for a in fig.axes[0].child_axes if a.get_gid() == "si-inset")
    # 5 x 5 points inside each cell (the ten-dash line or an island outline may cross one)
    x0, y0, x1, y1 = shapely.bounds(boxes).T
    f = np.linspace(0.1, 0.9, 5)
    fx, fy = (a.ravel() for a in np.meshgrid(f, f))
    xs = (x0[:, None] + fx[None, :] * (x1 - x0)[:, None]).ravel()
    ys = (y0[:, None] + fy[None, :] * (y1 - y0)[:, None]).ravel()
    which = np.repeat(np.arange(len(cells)), fx.size)
    samples = gpd.GeoDataFrame(geometry=shapely.points(xs, ys), crs=EQUAL_AREA_CRS)
    colors = [styles.HOTSPOTS.color_of(v) for v in bins[which]]
    lat = _lat(cells)
    got = _check_centres(fig, inset, samples, colors, 300, lat[which] < 24, boxes[which])
    south = {styles.HOTSPOTS.color_of(v) for v in bins[lat < 24]}
    assert set(got) == south and len(south) == 4, got  # Xisha, Nansha, Hainan, Guangzhou
    # the main map shows the cell across 17.5°N north of the parallel only, as the vector map
    # clips it; the island cells not at all
    main = fig.axes[0]
    across = int(cell[pt == 6][0])
    lonlat = gpd.GeoSeries(shapely.points([115.6, 115.6], [17.25, 17.75]), crs=4490)
    xy = shapely.get_coordinates(lonlat.to_crs(EQUAL_AREA_CRS).to_numpy())
    rgb, free = _render(fig, 300), _free(fig, 300)
    (rs, cs), (rn, cn) = _pixels_at(main, fig, xy, 300, rgb.shape)
    assert free[rs, cs] and free[rn, cn]  # both in the main map, nothing over them
    hot = np.round(np.array(to_rgba(styles.HOTSPOTS.color_of(int(bins[across])))[:3]) * 255)
    assert (rgb[rn, cn] == hot).all() and (rgb[rs, cs] == 255).all()
    island = shapely.get_y(shapely.centroid(boxes))[lat < 17]
    assert (island < main.get_ylim()[0]).all()


def test_hexagons_and_irregular_units_take_their_class_colour() -> None:
    hexes = _with_classes(_grid(_cities(4000, 3, spread=1.5), "h3:4", extent=None), by="row")
    fig = si.plot_hotspots(hexes, raster=True)  # about 1,500 km across: no inset, no clip
    assert not [a for a in fig.axes[0].child_axes if a.get_gid() == "si-inset"]
    expected = [styles.HOTSPOTS.color_of(v) for v in hexes["gi_bin"]]
    checked = _check_centres(fig, fig.axes[0], hexes, expected, 200)
    assert len(checked) == 7 and min(checked.values()) >= 10, checked
    # irregular cells: the counties drawn from their own geometry (no codes)
    counties = si.load_boundaries("county", simplified=True)[["name", "geometry"]].copy()
    counties = _with_classes(counties, by="row")
    fig = si.plot_choropleth(counties, "value", k=4, raster=True, lang="en")
    values = counties["value"].to_numpy()
    gstyle = styles.graduated("value", "quantiles", 4).resolve(values)
    colors = np.array(gstyle.colors, dtype=object)[gstyle.classify(values)]
    # where units overlap (enclaves drawn over their surrounding unit), the later row is drawn
    # on top, as in the vector map: the colour of the last unit holding the point
    points = shapely.point_on_surface(counties.geometry.to_numpy())
    hit_point, hit_unit = shapely.STRtree(counties.geometry.to_numpy()).query(
        points, predicate="within"
    )
    top = pd.Series(hit_unit).groupby(hit_point).max()
    expected = colors[top.reindex(range(len(counties))).to_numpy(dtype=int)].tolist()
    lat = shapely.get_y(points)
    checked = _check_centres(fig, fig.axes[0], counties, expected, 200, lat > 18)
    assert len(checked) == 4 and sum(checked.values()) > 800, checked


def test_grid_cells_cut_by_the_user_are_drawn_from_their_polygons(coarse: pd.DataFrame) -> None:
    from spatialinno.figures.frames import drawn_rows
    from spatialinno.figures.raster import raster_cells

    assert raster_cells(drawn_rows(coarse, "grid", None), True)[1] is not None  # by index
    albers = coarse.to_crs(EQUAL_AREA_CRS)
    cut = albers.set_geometry(shapely.buffer(albers.geometry.to_numpy(), -12_500.0))
    cut = cut.to_crs(4490)  # 25 km squares in the middle of the 50 km cells, ix / iy kept
    assert raster_cells(drawn_rows(cut, "grid", None), True)[1] is None  # by polygon
    fig = si.plot_lisa(cut, raster=True)
    colors = [styles.LISA.color_of(v) for v in cut["lisa_cluster"]]
    checked = _check_centres(fig, fig.axes[0], cut, colors, 200)
    assert sum(checked.values()) > 1000
    # a corner of each 50 km cell is outside its 25 km square: no cell colour there
    x0, y0, _, _ = shapely.bounds(albers.geometry.to_numpy()).T
    corners = np.column_stack([x0 + 6_000.0, y0 + 6_000.0])
    rgb, free = _render(fig, 200), _free(fig, 200)
    rc = _pixels_at(fig.axes[0], fig, corners, 200, rgb.shape)
    inside = (
        (rc[:, 0] >= 0) & (rc[:, 0] < rgb.shape[0]) & (rc[:, 1] >= 0) & (rc[:, 1] < rgb.shape[1])
    )
    rc = rc[inside]
    rc = rc[free[rc[:, 0], rc[:, 1]]]
    assert len(rc) > 1000 and (rgb[rc[:, 0], rc[:, 1]] == 255).all()


def test_vector_and_raster_versions_agree(coarse: pd.DataFrame) -> None:
    for plot, kwargs in ((si.plot_lisa, {}), (si.plot_hotspots, {"lang": "en"}),
                         (si.plot_choropleth, {"column": "value", "style": "grey"})):  # fmt: skip
        vector = plot(coarse, raster=False, width="single", **kwargs)
        raster = plot(coarse, raster=True, width="single", **kwargs)
        assert _legend(vector) == _legend(raster)
        assert [t for t in _texts(vector) if "(" in t] == [t for t in _texts(raster) if "(" in t]
    counts = coarse["lisa_cluster"].value_counts()
    rows = [r[0] for r in _legend(si.plot_lisa(coarse, raster=True, lang="en"))]
    want = [f"{styles.LISA.label_of(v, 'en')} ({counts.get(v, 0)})" for v in LISA_CLASSES]
    assert sorted(rows) == sorted(want)
    # the same pixel at every free cell centre in both renders
    vector = si.plot_hotspots(coarse, raster=False)
    raster = si.plot_hotspots(coarse, raster=True)
    a, b = _render(vector, 150), _render(raster, 150)
    blocked = ~_free(raster, 150)
    centres = shapely.centroid(coarse.to_crs(EQUAL_AREA_CRS).geometry.to_numpy())
    xy = np.column_stack([shapely.get_x(centres), shapely.get_y(centres)])
    rc = _pixels_at(raster.axes[0], raster, xy, 150, b.shape)
    inside = (rc[:, 0] >= 0) & (rc[:, 0] < b.shape[0]) & (rc[:, 1] >= 0) & (rc[:, 1] < b.shape[1])
    rc = rc[inside]
    free = ~blocked[rc[:, 0], rc[:, 1]]
    same = (a[rc[free, 0], rc[free, 1]] == b[rc[free, 0], rc[free, 1]]).all(axis=1)
    assert free.sum() > 2000 and same.mean() > 0.99, (free.sum(), same.mean())


# ------------------------------------------------------------------------------------------
# greyscale: matplotlib's hatches drawn into the image, no colour
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("hatch", ["////", "xxxx", "....", "oo", "\\\\\\\\\\\\"])
def test_raster_hatches_are_matplotlibs(hatch: str) -> None:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    for dpi in (100, 300):
        with matplotlib.rc_context({"hatch.linewidth": 0.4}):
            fig = Figure(figsize=(2, 2), dpi=dpi)
            FigureCanvasAgg(fig)
            ax = fig.add_axes([0, 0, 1, 1])
            ax.set_axis_off()
            ax.add_patch(Rectangle((0, 0), 1, 1, facecolor="white", edgecolor="none",
                                   hatch=hatch))  # fmt: skip
            ref = _render(fig, dpi).mean(axis=2) < 200
        ours = hatch_mask(hatch, ref.shape, dpi, 0.4)

        def period(mask: np.ndarray) -> float:
            prof = mask.mean(axis=0)
            f = np.abs(np.fft.rfft(prof - prof.mean()))
            return mask.shape[1] / (int(np.argmax(f[1:])) + 1)

        assert period(ours) == pytest.approx(period(ref), rel=0.02)
        assert ours.mean() == pytest.approx(ref.mean(), abs=0.05), (dpi, ours.mean(), ref.mean())


def test_greyscale_raster_has_no_colour_and_hatches_each_class(coarse: pd.DataFrame) -> None:
    fig = si.plot_lisa(coarse, raster=True, style="grey")
    rgb = _render(fig, 150)
    chroma = rgb.max(axis=2) - rgb.min(axis=2)
    assert np.percentile(chroma, 99.9) <= 12
    blocked = ~_free(fig, 150)
    boxes = coarse.to_crs(EQUAL_AREA_CRS).geometry.to_numpy()
    ax = fig.axes[0]
    share_dark = {}
    for value in LISA_CLASSES:  # the pixels of every cell of the class, interior only
        pick = np.flatnonzero(coarse["lisa_cluster"].to_numpy() == value)
        x0, y0, x1, y1 = shapely.bounds(boxes[pick]).T
        pad = 0.2 * (x1 - x0)
        lo = _pixels_at(ax, fig, np.column_stack([x0 + pad, y1 - pad]), 150, rgb.shape)
        hi = _pixels_at(ax, fig, np.column_stack([x1 - pad, y0 + pad]), 150, rgb.shape)
        vals = []
        for (r0, c0), (r1, c1) in zip(lo, hi, strict=True):
            if r1 > r0 and c1 > c0 and not blocked[r0:r1, c0:c1].any():
                vals.append(rgb[r0:r1, c0:c1].mean(axis=2).ravel())
        vals = np.concatenate(vals)
        fill, hatch = grey_fill(styles.LISA, value)
        level = np.round(np.array(to_rgba(fill)[:3]) * 255).mean()
        assert (vals == level).mean() > 0.4, value  # the fill
        if hatch:  # and the hatch lines in the frame colour over it
            assert 0.03 < (vals < 120).mean() < 0.6, (value, (vals < 120).mean())
        else:
            assert (vals == level).mean() > 0.99, value
        share_dark[value] = round(float((vals < 120).mean()), 2)
    assert len(set(share_dark.values())) >= 5, share_dark  # classes tell apart in grey


# ------------------------------------------------------------------------------------------
# small multiples, hostile text, the image
# ------------------------------------------------------------------------------------------
def test_small_multiples_of_a_grid_draw_each_panel_as_an_image(coarse: pd.DataFrame) -> None:
    years = pd.concat(
        [coarse.assign(year=2020), coarse.assign(year=2021, value=coarse["value"] + 1)]
    )
    fig = si.plot_choropleth(years, "value", by="year", raster=True, width="single")
    assert len(_images(fig)) == 2  # one per panel (the shared inset shows the provinces)
    tight = io.BytesIO()
    fig.savefig(tight, format="png", dpi=60, bbox_inches="tight")
    assert Image.open(tight).size[0] < 1.1 * fig.get_figwidth() * 60  # the map, not (0, 0)
    n = len(coarse)
    assert {f"2020（n = {n}）", f"2021（n = {n}）"} <= set(_texts(fig))


def test_hostile_titles_and_labels_stay_literal(coarse: pd.DataFrame, tmp_path: Path) -> None:
    hostile = "$\\frac{1}{0}$ {{7*7}} <b>%s</b> {0}"
    g = coarse.rename(columns={"value": hostile})
    fig = si.plot_choropleth(g, hostile, title=hostile, label=hostile, raster=True, lang="en")
    fig.savefig(tmp_path / "h.pdf")
    fig.savefig(tmp_path / "h.png", dpi=50)
    shown = hostile.replace("$", "\\$")  # matplotlib prints \$ as $: shown literally
    assert _texts(fig).count(shown) == 2  # the title and the legend's title
    lisa = si.plot_lisa(coarse, title=hostile, raster=True)
    assert shown in _texts(lisa)
    assert "49" not in " ".join(_texts(fig))


def _grid_hotspots() -> object:
    cells = _grid(_cities(40_000, 11, spread=1.0), "20km")
    hot = si.hotspots(cells, "count", w=si.grid_weights(cells))
    assert len(hot) >= RASTER_UNITS  # drawn as an image by default
    return si.plot_hotspots(hot, "count", title="专利热点（20 公里格网，合成数据）")


@pytest.mark.mpl_image_compare(filename="grid_hotspots_zh.png", **IMAGE)
def test_image_grid_hotspots() -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("error", fonts.FontWarning)
        fig = _grid_hotspots()
    assert len(_images(fig)) == 2
    return fig


def test_baseline_holds_the_cells() -> None:
    """The committed baseline shows the grid: red hot-spot cells around the four centres."""
    base = Path(__file__).parent / "baseline" / "figures_raster" / "grid_hotspots_zh.png"
    rgb = np.asarray(Image.open(base).convert("RGB")).astype(int)
    hot = np.round(np.array(to_rgba(styles.HOTSPOTS.color_of(3))[:3]) * 255)
    assert (np.abs(rgb - hot).sum(axis=2) <= 6).sum() > 500


def test_analytic_p_values_are_said_in_the_caption() -> None:
    """Issue 20: analytic Gi* (the default on grids) is stated in the output -- the print figure
    says it as the web map does; permutation p-values leave the caption as it was."""
    g = si.load_boundaries("province")
    g["x"] = np.arange(len(g), dtype=float) ** 2
    w = si.spatial_weights(g)
    analytic = si.hotspots(g, "x", w=w)
    assert analytic.attrs["hotspots"]["inference"] == "analytic"
    permuted = si.hotspots(g, "x", w=w, inference="permutation", permutations=99, seed=1)
    for lang, said in (
        ("zh", "p 值：Gi* z 的正态近似（解析，未置换）"),
        ("en", "p-values: normal approximation of Gi* z (analytic, no permutations)"),
    ):
        assert any(said in t for t in _texts(si.plot_hotspots(analytic, lang=lang)))
        assert not any(
            "p 值" in t or "p-values" in t for t in _texts(si.plot_hotspots(permuted, lang=lang))
        )


def test_emerging_hot_spots_of_a_grid_print_as_one_image(coarse: pd.DataFrame) -> None:
    """plot_emerging takes raster= as the other print maps do: the categories of a fishnet
    (ArcGIS's usual emerging hot spot input) as one image, in the category colours."""
    categories = np.array([c.value for c in styles.EMERGING.categories], dtype=object)
    g = coarse.copy()
    block = (g["ix"].to_numpy() // 3 + g["iy"].to_numpy() // 3).astype(int)
    g["category"] = categories[block % categories.size]
    assert len(g) < RASTER_UNITS
    vector = si.plot_emerging(g, width="single", lang="en")
    assert not _images(vector)
    raster = si.plot_emerging(g, width="single", lang="en", raster=True)
    assert len(_images(raster)) == 2 and not raster.findobj(PathCollection)
    assert _legend(vector) == _legend(raster)
    expected = [styles.EMERGING.color_of(v) for v in g["category"]]
    checked = _check_centres(raster, raster.axes[0], g, expected, 200)
    assert len(checked) >= 15 and min(checked.values()) >= 10, checked
    with pytest.raises(InputError, match="raster must be None"):
        si.plot_emerging(g, raster="yes")
