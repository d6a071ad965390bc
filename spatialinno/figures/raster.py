"""Print maps of 10^4-10^6 units: the units drawn as one image, everything else as vectors.

A print map of a grid of :func:`spatialinno.grid` (3.8 x 10^5 cells of 5 km over China) drawn
as one path per cell takes 46 s to a 5.6 MB PDF (an SVG of tens of MB), 10^6 cells more. From
:data:`RASTER_UNITS` units on (or with ``raster=True``) the polygon layer of a map
(:class:`~spatialinno.figures.geometry.Polygons` with ``raster``) is therefore drawn as one
image, in the figure's Albers projection, by a :class:`CellImage`: at every drawing it
rasterises what its axes show at the resolution of the output -- the figure's print dpi in a
PNG/TIFF, the PDF's or SVG's image resolution (the same dpi) in a vector file, where the image is
embedded as it is (``interpolation="none"``) and the text, legend, outlines, border lines, north
arrow and scale bar stay vectors. The South China Sea inset draws the same layer with its own
extent and resolution.

Each pixel takes the class colour of the unit under its centre
(:mod:`spatialinno.boundaries.rasterize`: square cells by their lattice index, exactly;
hexagons and any other polygons by a scanline fill), so a class colour is never blended with
its neighbours'. Greyscale hatches are drawn into the image with the legend's pattern (the
same lines, dots or circles per inch as matplotlib's hatch of the legend swatch). The units'
own outlines are not drawn (at 10^5 cells they would only darken the map); the province
outlines go on top instead.

>>> raster_mode(None, RASTER_UNITS - 1), raster_mode(None, RASTER_UNITS), raster_mode(True, 34)
(False, True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib.colors import to_rgba_array
from matplotlib.image import AxesImage

from .._errors import InputError
from ..boundaries.rasterize import Lattice, lattice_of, polygon_rows, square_rows

__all__ = [
    "RASTER_UNITS",
    "CellImage",
    "add_cell_image",
    "cell_pixels",
    "check_raster_names",
    "hatch_mask",
    "raster_cells",
    "raster_mode",
]

#: units from which a map draws them as one image by default: a county map (2,891 units) and a
#: 50 km grid (3,800 cells) stay vectors. Measured on 2 cores, a double-column Gi* map: 23,745
#: cells (20 km) as paths 5.3 s to PNG + PDF + SVG, SVG 5.4 MB; as an image 2.4 s, SVG 0.6 MB;
#: 380,183 cells (5 km) to PDF as paths 46 s and 5.6 MB, as an image 5 s and 0.23 MB
RASTER_UNITS = 20_000
# pixel centres looked up per pass in a square lattice
_PIXELS = 1 << 21
# matplotlib's hatch density: a hatch character repeated k times draws 6 k lines per inch
_HATCH_DENSITY = 6
# line families: characters, and the normal (a, b) of the lines a x + b y = const
# and the lines' spacing along x (or y) in units of 1 / (6 k) inch: matplotlib draws its 6 k
# diagonals across a square of 1 inch from corner to corner, so they lie twice as far apart
_LINES = (("/xX", 1, -1, 2.0), ("\\xX", 1, 1, 2.0), ("|+", 1, 0, 1.0), ("-+", 0, 1, 1.0))
# circles of "." / "o" / "O": radius as a fraction of their spacing (matplotlib's sizes)
_CIRCLES = {".": (0.1, True), "o": (0.2, False), "O": (0.35, False)}


def raster_mode(raster: object, n_units: int) -> bool:
    """Whether a map of ``n_units`` units draws them as an image: ``raster`` True / False, or
    None for automatic (from :data:`RASTER_UNITS` units)."""
    if raster is None:
        return n_units >= RASTER_UNITS
    if isinstance(raster, bool | np.bool_):
        return bool(raster)
    raise InputError(
        f"raster must be None (an image from {RASTER_UNITS:,} units on), True or False, "
        f"not {raster!r}"
    )


def raster_cells(drawn: Any, raster: object) -> tuple[bool, Lattice | None]:
    """Whether the units of ``drawn`` (:class:`~spatialinno.figures.frames.Drawn`) are drawn as
    an image, and their lattice (the square cells of :func:`spatialinno.grid`, found by index)
    or None (found by their polygons: hexagons, any units, and grid cells whose polygons are no
    longer the lattice's squares, e.g. cut at the coast)."""
    if not raster_mode(raster, len(drawn.frame)):
        return False, None
    try:
        lattice = lattice_of(drawn.frame)
    except InputError:  # ix / iy columns but no codes of si.grid: drawn from the polygons
        return True, None
    if lattice is not None:
        area = shapely.area(drawn.geoms)  # projected: a cell of the lattice has area size²
        if not np.allclose(area, lattice.size**2, rtol=1e-6, atol=0.0):
            return True, None
    return True, lattice


def check_raster_names(names: object, raster: bool, n_units: int) -> None:
    """Refuse a name on every unit of a map whose units are too many to draw one by one."""
    if raster and names == "units":
        raise InputError(
            f"names='units' labels each of the {n_units:,} units, which are drawn as an image; "
            "use names=True (province names) or raster=False for a map of few units"
        )


@dataclass(frozen=True)
class _Classes:
    """The distinct (fill, hatch) pairs of a layer, the pair of each row, their colours."""

    of_row: np.ndarray
    rgba: np.ndarray
    hatches: tuple[str, ...]
    hatch_rgba: np.ndarray

    @classmethod
    def of(cls, layer: Any) -> _Classes:
        n = len(layer.faces)
        face_of, faces = pd.factorize(pd.Series(layer.faces, dtype=object))
        hatch_of, hatches = pd.factorize(pd.Series(layer.hatches or [""] * n, dtype=object))
        pairs, of_row = np.unique(face_of * len(hatches) + hatch_of, return_inverse=True)
        uniq = [(faces[p // len(hatches)], hatches[p % len(hatches)]) for p in pairs.tolist()]
        faces = [f for f, _ in uniq]
        rgba = to_rgba_array(faces, alpha=layer.alpha) if faces else np.zeros((0, 4))
        hatch_color = to_rgba_array([layer.hatchcolor or layer.edge], alpha=layer.alpha)[0]
        return cls(
            np.asarray(of_row, dtype=np.int64),
            np.round(rgba * 255).astype(np.uint8),
            tuple(h for _, h in uniq),
            np.round(hatch_color * 255).astype(np.uint8),
        )


def _rows(layer: Any, view: tuple[float, float, float, float], shape: tuple[int, int]) -> Any:
    """The row of ``layer`` under each pixel centre of ``view`` (x0, y0, x1, y1), -1 for none."""
    if layer.lattice is None:
        return polygon_rows(layer.geoms, view, shape)
    x0, y0, x1, y1 = view
    height, width = shape
    xs = x0 + (np.arange(width) + 0.5) * (x1 - x0) / width
    ys = y1 - (np.arange(height) + 0.5) * (y1 - y0) / height
    out = np.empty(shape, dtype=np.int64)
    step = max(1, _PIXELS // width)  # a few million pixels at a time (600 dpi: 1.5 x 10^7)
    for top in range(0, height, step):
        gx, gy = np.meshgrid(xs, ys[top : top + step])
        out[top : top + step] = square_rows(layer.lattice, gx, gy).reshape(gx.shape)
    return out


def _line_family(q: np.ndarray, spacing: float, half: float) -> np.ndarray:
    """Pixels within ``half`` (px, across the lines) of the lines q = k * spacing."""
    return np.abs((q / spacing + 0.5) % 1.0 - 0.5) * spacing <= half


def hatch_mask(
    hatch: str, shape: tuple[int, int], ppi: float, lw_pt: float, pixels: Any = None
) -> np.ndarray:
    """The pixels of a ``shape`` image that a matplotlib hatch pattern ``hatch`` covers.

    ``ppi`` is pixels per inch, ``lw_pt`` the hatch line width (pt; at least one pixel drawn).
    Lines ``/ \\ x X | - +`` and circles ``. o O`` (matplotlib's densities and sizes); the
    pattern starts at the image's top-left corner. With ``pixels`` (flat indices into the
    image) only those are tested: a boolean array of their length.
    """
    height, width = shape
    if pixels is None:
        x = (np.arange(width) + 0.5)[None, :]
        y = (height - np.arange(height) - 0.5)[:, None]  # upwards, as in the figure
    else:
        x = pixels % width + 0.5
        y = height - pixels // width - 0.5
    half = max(lw_pt / 72 * ppi, 1.0) / 2
    mask = np.zeros(shape if pixels is None else np.shape(pixels), dtype=bool)
    count = {c: hatch.count(c) for c in "/\\xX|-+.oO"}
    for chars, a, b, apart in _LINES:
        n = sum(count[c] for c in chars)
        if n:
            norm = np.hypot(a, b)
            spacing = apart * ppi / (n * _HATCH_DENSITY) / norm  # across the lines, px
            mask |= _line_family((a * x + b * y) / norm, spacing, half)
    for char, (size, filled) in _CIRCLES.items():
        if count[char]:
            step = ppi / (count[char] * _HATCH_DENSITY)
            row = np.round(y / step)
            shift = (row % 2) * step / 2  # every other row of circles half a step along
            dx = np.abs((x - shift) / step - np.round((x - shift) / step)) * step
            dist = np.hypot(dx, y - row * step)
            radius = size * step  # matplotlib strokes the circle too: half a line wider
            if filled:
                mask |= dist <= radius + half
            else:  # a ring from 0.9 of the radius to the radius, stroked
                mask |= (dist >= 0.9 * radius - half) & (dist <= radius + half)
    return mask


def cell_pixels(
    layer: Any, view: tuple[float, float, float, float], shape: tuple[int, int], ppi: float,
    mainland: Any = None, classes: _Classes | None = None,
) -> np.ndarray:  # fmt: skip
    """The RGBA image (``shape`` + (4,), uint8) of ``layer`` over ``view`` (x0, y0, x1, y1).

    Each pixel has the fill (or hatch) colour of the unit under its centre and is transparent
    where no unit is; with ``mainland`` (a polygon, same coordinates) only pixel centres inside
    it are drawn (the main map of a figure with the South China Sea inset).
    """
    classes = classes or _Classes.of(layer)
    rows = _rows(layer, view, shape)
    if mainland is not None:
        rows[polygon_rows(np.array([mainland], dtype=object), view, shape) < 0] = -1
    drawn = np.flatnonzero(rows.ravel() >= 0)
    klass = classes.of_row[rows.ravel()[drawn]]  # the class of each drawn pixel
    out = np.zeros((shape[0] * shape[1], 4), dtype=np.uint8)
    out[drawn] = classes.rgba[klass]
    lw = float(matplotlib.rcParams["hatch.linewidth"])
    for k, hatch in enumerate(classes.hatches):
        pixels = drawn[klass == k] if hatch else drawn[:0]
        if pixels.size:
            out[pixels[hatch_mask(hatch, shape, ppi, lw, pixels)]] = classes.hatch_rgba
    return out.reshape(*shape, 4)


class CellImage(AxesImage):
    """The units of a raster layer as an image of what its axes show, made when drawn.

    The image has one pixel per output pixel of the axes (``renderer.get_image_magnification``
    gives the resolution of a PDF or SVG), made again only when the view or the resolution
    changes.
    """

    def __init__(self, ax: Any, layer: Any, mainland: Any = None) -> None:
        super().__init__(ax, interpolation="none", origin="upper", zorder=layer.zorder)
        self._layer = layer
        self._mainland = mainland
        self._classes = _Classes.of(layer)
        self._key: tuple | None = None
        self.set_data(np.zeros((1, 1, 4), dtype=np.uint8))

    def get_extent(self) -> tuple[float, float, float, float]:
        """The image always covers what its axes show (left, right, bottom, top)."""
        (x0, x1), (y0, y1) = self.axes.get_xlim(), self.axes.get_ylim()
        return (x0, x1, y0, y1)

    def draw(self, renderer: Any) -> None:
        ax = self.axes
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        mag = renderer.get_image_magnification()
        shape = (max(1, round(ax.bbox.height * mag)), max(1, round(ax.bbox.width * mag)))
        ppi = ax.figure.dpi * mag
        key = (x0, x1, y0, y1, shape, ppi, matplotlib.rcParams["hatch.linewidth"])
        if key != self._key:
            rgba = cell_pixels(self._layer, (x0, y0, x1, y1), shape, ppi, self._mainland,
                               self._classes)  # fmt: skip
            self.set_data(rgba)
            self._key = key
        super().draw(renderer)


def add_cell_image(ax: Any, layer: Any, part: str, mainland: Any = None) -> CellImage:
    """Add the :class:`CellImage` of ``layer`` to ``ax`` (``part`` "main", "full" or "inset";
    ``mainland`` clips the main map)."""
    image = CellImage(ax, layer, mainland if part == "main" else None)
    image.set_clip_path(ax.patch)
    ax.add_image(image)
    return image
