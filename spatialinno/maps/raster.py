"""Grids of 10^4-10^6 cells on a web map: one image (raster) instead of one SVG path per cell.

A folium map of 10^5 square cells as GeoJSON is a file of tens of MB and a browser drawing 10^5
SVG paths; at 10^6 it does not open. The cells of :func:`spatialinno.grid` are therefore drawn as
one indexed-colour PNG in Web Mercator (the projection Leaflet shows), inlined in the page as a
``data:`` URL (offline), with the province outlines and the national border lines as vectors on
top and the legend (with the count of cells per class) as in every other map. Each pixel takes
the colour of the cell its centre falls in: square cells are found by projecting the pixel
centre to :data:`spatialinno.boundaries.EQUAL_AREA_CRS` and dividing by the cell size
(:func:`spatialinno.boundaries.rasterize.square_rows`, shared with the print figures), H3 cells
by ``h3.latlng_to_cell``. Cells have no tooltips here (the values are in the frame and in the
QGIS export).
"""

from __future__ import annotations

import base64
import math
import struct
import zlib
from collections.abc import Sequence
from typing import Any

import folium
import numpy as np
import pandas as pd

from .. import styles
from .._errors import InputError
from ..boundaries.rasterize import is_grid, lattice_of, square_rows
from .base import add_border_lines, add_legend, add_outline, finish, safe_text

__all__ = ["MAX_PIXELS", "add_categorized_grid", "grid_image", "is_grid", "png_indexed"]

#: longest side of the image in pixels (about 2.5 km per pixel over all of China)
MAX_PIXELS = 2400
#: H3 pixels are looked up one by one in Python: a smaller image
_MAX_PIXELS_H3 = 1200

_NOTE = {
    "zh": "{n:,} 个格网单元绘为栅格图像（每像素约 {km:.1f} 公里），无悬停提示",
    "en": "{n:,} grid cells drawn as an image (about {km:.1f} km per pixel), no tooltips",
}


def grid_image(frame: Any, colors: Sequence[str]) -> tuple[bytes, list[list[float]], float]:
    """The PNG of the cells coloured ``colors`` (one per row), its bounds and km per pixel.

    Bounds are ``[[south, west], [north, east]]`` in degrees; the image rows are equally spaced
    in Web Mercator y, as Leaflet stretches an image overlay.
    """
    west, south, east, north = (float(v) for v in frame.geometry.total_bounds)
    h3_cells = "ix" not in frame.columns
    side = _MAX_PIXELS_H3 if h3_cells else MAX_PIXELS
    y0, y1 = _merc(south), _merc(north)
    x_span = math.radians(east - west)
    scale = side / max(x_span, y1 - y0)
    width, height = max(1, round(x_span * scale)), max(1, round((y1 - y0) * scale))
    lon = west + (np.arange(width) + 0.5) * (east - west) / width
    lat = np.degrees(np.arctan(np.sinh(y1 - (np.arange(height) + 0.5) * (y1 - y0) / height)))
    lon_grid, lat_grid = np.meshgrid(lon, lat)
    palette, index = np.unique(np.asarray(colors, dtype=object).astype(str), return_inverse=True)
    if palette.size > 255:
        raise InputError(f"a grid map takes at most 255 colours, not {palette.size}")
    if h3_cells:
        row = _h3_rows(frame, lon_grid.ravel(), lat_grid.ravel())
    else:
        row = _square_rows(frame, lon_grid.ravel(), lat_grid.ravel())
    pixels = np.where(row >= 0, index.ravel()[np.maximum(row, 0)] + 1, 0).astype(np.uint8)
    km = (east - west) * 111.32 * math.cos(math.radians((south + north) / 2)) / width
    rgb = [(0, 0, 0)] + [_rgb(c) for c in palette]
    return png_indexed(pixels.reshape(height, width), rgb), [[south, west], [north, east]], km


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _rgb(color: str) -> tuple[int, int, int]:
    text = color.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _square_rows(frame: Any, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The row of the square cell under each pixel centre (-1: none)."""
    from ..boundaries.grids import _to_albers

    lattice = lattice_of(frame)
    if lattice is None:
        raise InputError("a grid of square cells needs the columns code, ix and iy of si.grid")
    return square_rows(lattice, *_to_albers(lon, lat))


def _h3_rows(frame: Any, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The row of the H3 cell under each pixel centre (-1: none)."""
    import h3

    ids = pd.Index(frame["h3"].astype(str))
    res = h3.get_resolution(ids[0])
    found = [h3.latlng_to_cell(b, a, res) for a, b in zip(lon.tolist(), lat.tolist(), strict=True)]
    return ids.get_indexer(pd.Index(found, dtype=object))


def png_indexed(pixels: np.ndarray, palette: Sequence[tuple[int, int, int]]) -> bytes:
    """An 8-bit indexed-colour PNG of ``pixels`` (palette indices); index 0 is transparent.

    >>> png = png_indexed(np.array([[0, 1]], dtype=np.uint8), [(0, 0, 0), (255, 0, 0)])
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", len(png) < 120
    (True, True)
    """
    height, width = pixels.shape

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = np.concatenate([np.zeros((height, 1), np.uint8), pixels.astype(np.uint8)], axis=1)
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    plte = bytes(v for rgb in palette for v in rgb)
    alpha = bytes([0] + [255] * (len(palette) - 1))
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", header),
            chunk(b"PLTE", plte),
            chunk(b"tRNS", alpha),
            chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)),
            chunk(b"IEND", b""),
        ]
    )


def add_categorized_grid(
    m: folium.Map,
    g: Any,
    style: styles.CategorizedStyle,
    values: Sequence[object],
    lang: str,
    notes: Sequence[str] = (),
) -> folium.Map:
    """The cells of ``g`` as one image coloured by category, province outlines, border lines,
    the legend with counts of cells; finished (cf. ``add_categorized_regions``)."""
    fill = [style.color_of(v) for v in values]
    png, bounds, km = grid_image(g, fill)
    url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    folium.raster_layers.ImageOverlay(
        image=url,
        bounds=bounds,
        opacity=0.9,
        name=safe_text(style.title(lang)),
        className="si-grid-raster",
        interactive=False,
    ).add_to(m)
    # one pixel per cell edge: no smoothing between the colours of neighbouring cells
    m.get_root().header.add_child(
        folium.Element("<style>.si-grid-raster{image-rendering:pixelated;}</style>")
    )
    add_outline(m, "province", styles.NETWORK_TEXT[lang]["provinces"], lang, weight=0.8)
    add_border_lines(m, lang)
    rows = styles.categorized_legend(style, values, lang)
    note = _NOTE[lang].format(n=len(g), km=km)
    add_legend(m, style.title(lang), rows, [*notes, note, styles.TEXT[lang]["source"]], lang)
    return finish(m)
