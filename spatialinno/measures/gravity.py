r"""Gravity-model network between boundary units (``si.gravity_network``).

For users without co-patent (or flow) data, the inter-city "connection strength" of the regional
literature is modelled from the units' sizes and the distance between them:

.. math::

    G_{ij} = k \, \frac{M_i \, M_j}{d_{ij}^{\,b}}

* :math:`M_i` -- the mass of unit *i*: one column (R&D staff, patents, GDP), or the geometric
  mean of several columns, :math:`M_i = (x_{i1} x_{i2} \cdots x_{im})^{1/m}`; with population *P*
  and GDP *G* this is the :math:`\sqrt{P_i G_i}` of the modified gravity models common in Chinese
  urban-network studies.
* :math:`d_{ij}` -- distance in km between the units' centroids: ``"great_circle"`` is the
  geodesic on the GRS80 ellipsoid (the CGCS2000 ellipsoid; ``pyproj.Geod``) between the centroids
  of the boundary polygons, taken in the package's Albers equal-area projection so that they are
  true area centroids; or a matrix you supply (road or rail distance, travel time).
* :math:`b` -- distance-decay exponent (``beta``, default 2, Newton's and the usual choice); *k*
  a constant (``k``, default 1) that scales every weight and changes no ranking.

Reference: Tinbergen (1962) *Shaping the World Economy*; for the Chinese regional form with
:math:`\sqrt{PG}` masses e.g. 顾朝林, 庞海峰 (2008) 基于重力模型的中国城市体系空间联系与层域划分,
地理研究 27(1):1-12.

A gravity network is complete (every pair gets a weight): 375 prefecture units give 69,751 edges,
and weighted betweenness on a complete graph is slow (minutes). Keep the strong ties with
``top=`` (the strongest *n* per year) or ``min_weight=``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._errors import InputError
from .._validate import POLYGON_LEVELS, check_level, numeric_column, require_columns
from ..boundaries.load import EQUAL_AREA_CRS, load_boundaries
from ..tables.match import match_regions
from .network import city_network

__all__ = ["gravity_network", "unit_centroids"]


def unit_centroids(level: str = "prefecture") -> pd.DataFrame:
    """Area centroids of the units of a bundled layer, in EPSG:4490 degrees.

    Computed on the full-resolution layer in the package's Albers equal-area CRS (a centroid of
    longitude/latitude coordinates would be pulled north), then converted back.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code``: ``name``, ``lon``, ``lat``.

    Examples
    --------
    >>> c = unit_centroids("province")
    >>> c.loc["110000", "name"], c.loc[["110000"], ["lon", "lat"]].round(1).values.tolist()
    ('北京市', [[116.4, 40.2]])
    """
    level = check_level(level, POLYGON_LEVELS)
    layer = load_boundaries(level)
    points = layer.geometry.to_crs(EQUAL_AREA_CRS).centroid.to_crs(layer.crs)
    return pd.DataFrame(
        {"name": layer["name"].to_numpy(), "lon": points.x.to_numpy(), "lat": points.y.to_numpy()},
        index=pd.Index(layer["code"].to_numpy(), name="code"),
    )


def _masses(frame: pd.DataFrame, mass: str | Sequence[str]) -> tuple[np.ndarray, str]:
    columns = [mass] if isinstance(mass, str) else list(mass)
    if not columns:
        raise InputError("mass= names no column; give one column or a list of columns")
    require_columns(frame, columns, "table")
    values = np.column_stack([numeric_column(frame, c) for c in columns])
    bad = np.isnan(values).any(axis=1)
    if bad.any():
        rows = [str(i) for i in frame.index[bad][:10]]
        raise InputError(
            f"mass column(s) {', '.join(map(repr, columns))} missing at row(s) {', '.join(rows)}; "
            "fill them or drop those units (a unit without mass has no gravity)"
        )
    negative = (values < 0).any(axis=1)
    if negative.any():
        rows = [str(i) for i in frame.index[negative][:10]]
        raise InputError(
            f"mass must be >= 0; column(s) {', '.join(map(repr, columns))} negative at row(s) "
            f"{', '.join(rows)}"
        )
    geometric = np.exp(np.log(values).mean(axis=1)) if len(columns) > 1 else values[:, 0]
    if len(columns) == 1:
        return geometric, columns[0]
    return geometric, f"geometric mean of {', '.join(columns)}"


def _codes(frame: pd.DataFrame, key: str, level: str) -> np.ndarray:
    require_columns(frame, key, "table")
    matched = match_regions(frame[[key]], level, key=key)
    bad = matched["code"].isna().to_numpy()
    if bad.any():
        lines = [
            f"{v!r} ({h})"
            for v, h in zip(
                matched.loc[bad, "value"][:10], matched.loc[bad, "how"][:10], strict=True
            )
        ]
        raise InputError(
            f"{int(bad.sum())} row(s) of column {key!r} match no {level} unit: {', '.join(lines)}; "
            "fix them (see si.match_regions) or drop those rows"
        )
    return matched["code"].to_numpy(dtype=object)


def _distance_km(codes: np.ndarray, distance: Any, level: str) -> np.ndarray:
    """n x n matrix of distances between the units (km, or the unit of a supplied matrix)."""
    if isinstance(distance, str):
        if distance != "great_circle":
            raise InputError(
                f"distance must be 'great_circle' or a square DataFrame indexed by code, not "
                f"{distance!r}"
            )
        from pyproj import Geod

        xy = unit_centroids(level).loc[codes, ["lon", "lat"]].to_numpy()
        i, j = np.triu_indices(len(codes), k=1)
        _, _, metres = Geod(ellps="GRS80").inv(xy[i, 0], xy[i, 1], xy[j, 0], xy[j, 1])
        out = np.zeros((len(codes), len(codes)))
        out[i, j] = out[j, i] = np.asarray(metres) / 1000.0
        return out
    if not isinstance(distance, pd.DataFrame):
        raise InputError("distance= must be 'great_circle' or a pandas DataFrame (square matrix)")
    matrix = distance.copy()
    matrix.index = matrix.index.map(str)
    matrix.columns = matrix.columns.map(str)
    missing = [c for c in codes if c not in matrix.index or c not in matrix.columns]
    if missing:
        raise InputError(
            f"the distance matrix has no row/column for unit(s) {', '.join(missing[:10])}; index "
            "and columns must be the units' 6-digit codes"
        )
    out = matrix.loc[list(codes), list(codes)].to_numpy(dtype=float)
    off = ~np.eye(len(codes), dtype=bool)
    if np.isnan(out[off]).any() or (out[off] <= 0).any():
        raise InputError(
            "distances between different units must be positive numbers (no NaN, no 0)"
        )
    return out


def _edges_one(
    codes: np.ndarray, m: np.ndarray, d: np.ndarray, beta: float, k: float
) -> pd.DataFrame:
    i, j = np.triu_indices(len(codes), k=1)
    weight = k * m[i] * m[j] / d[i, j] ** beta
    return pd.DataFrame({"source": codes[i], "target": codes[j], "weight": weight})


def _thin(edges: pd.DataFrame, min_weight: float | None, top: int | None) -> pd.DataFrame:
    if min_weight is not None:
        edges = edges[edges["weight"] >= min_weight]
    if top is not None:
        edges = edges.sort_values(["weight", "source", "target"], ascending=[False, True, True])
        edges = edges.head(top)
    return edges[edges["weight"] > 0]


def gravity_network(
    frame: pd.DataFrame,
    mass: str | Sequence[str],
    distance: str | pd.DataFrame = "great_circle",
    beta: float = 2.0,
    k: float = 1.0,
    key: str = "code",
    year: str | None = None,
    level: str = "prefecture",
    min_weight: float | None = None,
    top: int | None = None,
    source_note: str | None = None,
) -> Any:
    r"""Gravity-model network :math:`G_{ij} = k M_i M_j / d_{ij}^b` between the units of a table.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        One row per unit (per year with ``year=``), e.g. the output of
        :func:`spatialinno.join_indicators`.
    mass : str or list of str
        Mass column, or several columns whose geometric mean is the mass
        (``["population", "gdp"]`` gives :math:`\sqrt{P_i G_i}`). Values >= 0.
    distance : "great_circle" or pandas.DataFrame
        ``"great_circle"``: geodesic distance in km (GRS80) between the units' area centroids
        (:func:`unit_centroids`). A DataFrame: a square matrix indexed and labelled by the
        6-digit codes (road distance, travel time ...), positive off the diagonal.
    beta : float, default 2.0
        Distance-decay exponent *b*.
    k : float, default 1.0
        Gravity constant (scales all weights).
    key : str, default "code"
        Column with the units (codes or names, resolved like :func:`spatialinno.match_regions`).
    year : str, optional
        Column with the year: one network per year from that year's masses.
    level : {"prefecture", "province", "county"}
    min_weight : float, optional
        Keep the edges with :math:`G_{ij} \geq` ``min_weight`` only.
    top : int, optional
        Keep the ``top`` strongest edges (per year).
    source_note : str, optional
        Credited in maps and exports (default: the formula and the mass).

    Returns
    -------
    CityNetwork
        Undirected; edge ``weight`` = :math:`G_{ij}` (edges of weight 0 are dropped).

    Examples
    --------
    >>> import pandas as pd, spatialinno as si
    >>> t = pd.DataFrame({"city": ["北京市", "上海市", "广州市"], "rd": [100.0, 80.0, 60.0]})
    >>> net = si.gravity_network(t, mass="rd", key="city")
    >>> e = net.to_frames()[1]
    >>> e[["source_name", "target_name"]].values.tolist()
    [['北京市', '上海市'], ['上海市', '广州市'], ['北京市', '广州市']]
    >>> round(e["weight"].iloc[1] * 1172.1**2)  # 80 x 60 / d², d = 1,172 km 上海-广州
    4800
    """
    level = check_level(level, POLYGON_LEVELS)
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"frame must be a pandas DataFrame, not {type(frame).__name__}")
    for name, value in (("beta", beta), ("k", k)):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not np.isfinite(value):
            raise InputError(f"{name} must be a finite number, not {value!r}")
    if k <= 0:
        raise InputError(f"k must be > 0, not {k!r}")
    if top is not None and (not isinstance(top, int) or isinstance(top, bool) or top < 1):
        raise InputError(f"top must be a positive int, not {top!r}")
    masses, label = _masses(frame, mass)
    codes = _codes(frame, key, level)
    years: list[Hashable] = [None]
    if year is not None:
        require_columns(frame, year, "table")
        years = sorted(frame[year].dropna().unique().tolist())
    parts = []
    for y in years:
        rows = np.ones(len(frame), dtype=bool) if y is None else (frame[year] == y).to_numpy()
        c = codes[rows]
        dup = pd.Series(c).duplicated()
        if dup.any():
            raise InputError(
                f"unit {c[dup.to_numpy()][0]} appears more than once"
                + ("" if y is None else f" in year {y}")
                + "; give one row per unit (and year)"
            )
        edges = _edges_one(c, masses[rows], _distance_km(c, distance, level), beta, k)
        edges = _thin(edges, min_weight, top)
        parts.append(edges.assign(year=y))
    edges = pd.concat(parts, ignore_index=True)
    note = source_note or f"gravity model k*M_i*M_j/d^{beta:g}, M = {label}"
    return city_network(
        edges,
        "source",
        "target",
        weight="weight",
        year="year" if year else None,
        level=level,
        source_note=note,
    )
