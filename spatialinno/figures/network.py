"""The print map of a city network: nodes by tier, edges by weight, on light prefecture units.

The static twin of :func:`spatialinno.network_map`: the same thinning rule (the ``top``
strongest ties, ties at the cut kept), tiers, colours and words (:mod:`spatialinno.styles`),
everything read from a :class:`spatialinno.measures.network.CityNetwork`.
"""

from __future__ import annotations

from collections.abc import Hashable

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import styles
from .._errors import InputError
from ..measures.network import TIERS, CityNetwork
from ..styles.printing import PRINT_COLORS, grey_fill
from .base import MapSpec, map_figure
from .cartography import Entry
from .choropleth import province_outlines
from .frames import Drawn
from .geometry import NATIONAL_WIDTH_M, Lines, Points, Polygons, project, projected_layer
from .page import Page, PrintFigure

__all__ = ["MAX_EDGES", "plot_network"]

MAX_EDGES = 300  # as the web map: more lines than this make the map unreadable
_RADIUS_PT = (1.2, 5.0)  # node radius at the smallest and the largest weighted degree
_WIDTH_PT = (0.2, 2.4)  # edge width at weight 0 and at the largest weight
_fmt = styles.format_number


def _thin(edges: pd.DataFrame, top: int | None) -> tuple[pd.DataFrame, float | None]:
    """All edges with weight >= the ``top``-th largest (ties kept), and the cut (None: all)."""
    top = MAX_EDGES if top is None else top
    if len(edges) <= top:
        return edges, None
    cut = float(np.sort(edges["weight"].to_numpy())[::-1][top - 1])
    return edges[edges["weight"] >= cut], cut


def _check(net: object, top: object, lines: str) -> None:
    if not isinstance(net, CityNetwork):
        raise InputError(
            "plot_network needs a CityNetwork (from si.city_network or si.network_from_records), "
            f"not {type(net).__name__}"
        )
    if top is not None and (not isinstance(top, int | np.integer) or top < 1):
        raise InputError(f"top must be a positive number of edges or None, not {top!r}")
    if lines not in ("great_circle", "straight"):
        raise InputError(f"lines must be 'great_circle' or 'straight', not {lines!r}")


def _units(nodes: gpd.GeoDataFrame, inset: bool | None) -> Drawn:
    """The prefecture units under the network: all of them for a national network, else those
    in the nodes' box (plus a margin)."""
    x, _ = project(nodes, mainland=False)
    xs = np.array([p.x for p in x])
    national = bool(np.ptp(xs) > NATIONAL_WIDTH_M * 0.6) if len(xs) else False
    use_inset = national if inset is None else bool(inset)
    layer = projected_layer("prefecture", True)
    if not national:
        ys = np.array([p.y for p in x])
        pad = 0.15 * max(np.ptp(xs), np.ptp(ys), 2e5)
        box = layer.geometry.intersects(
            gpd.GeoSeries.from_xy([xs.min() - pad, xs.max() + pad],
                                  [ys.min() - pad, ys.max() + pad]).union_all().envelope
        )  # fmt: skip
        layer = layer[box.to_numpy()]
    main = layer["mainland"].to_numpy() if use_inset else layer.geometry.to_numpy()
    frame = pd.DataFrame(layer.drop(columns=["geometry", "mainland"]))
    return Drawn(frame, layer.geometry.to_numpy(), main, "prefecture", national, use_inset)


def _layers(
    units: Drawn, nodes: gpd.GeoDataFrame, shown: gpd.GeoDataFrame, page: Page, max_w: float
) -> list:
    colors = styles.NETWORK_COLORS
    base = Polygons(units.geoms, units.main, [colors["unit_fill"]] * len(units.geoms),
                    colors["unit_border"], 0.12)  # fmt: skip
    full, main = project(shown, mainland=units.inset)
    widths = _WIDTH_PT[0] + (_WIDTH_PT[1] - _WIDTH_PT[0]) * shown["weight"].to_numpy() / max_w
    edge_color = PRINT_COLORS["muted"] if page.grey else styles.EDGE_COLOR
    edges = Lines(full, main, edge_color, widths, zorder=3.6, alpha=0.55)
    order = nodes.sort_values(["weighted_degree", "code"], ascending=[False, True])
    pts, _ = project(order, mainland=False)
    strength = order["weighted_degree"].to_numpy(dtype=float)
    tiers = styles.network_tiers()
    faces = [grey_fill(tiers, t)[0] if page.grey else tiers.color_of(t) for t in order["tier"]]
    node_layer = Points(np.array([p.x for p in pts]), np.array([p.y for p in pts]),
                        (2 * _radius(strength, float(nodes["weighted_degree"].max()))) ** 2,
                        faces, colors["node_outline"], 0.4, zorder=4.5)  # fmt: skip
    return [base, *province_outlines("prefecture", units.national), edges, node_layer]


def _radius(strength: np.ndarray, max_strength: float) -> np.ndarray:
    scale = np.sqrt(strength / max_strength) if max_strength > 0 else np.zeros_like(strength)
    return _RADIUS_PT[0] + (_RADIUS_PT[1] - _RADIUS_PT[0]) * scale


def _entries(nodes: pd.DataFrame, max_w: float, page: Page) -> list[Entry]:
    """Tiers with counts, two node-size keys and the edge-width key."""
    text = styles.NETWORK_TEXT[page.lang]
    tiers = styles.network_tiers()
    counts = nodes["tier"].value_counts()
    out = []
    for t in TIERS:
        color = grey_fill(tiers, t)[0] if page.grey else tiers.color_of(t)
        row = styles.LegendRow(
            color, tiers.label_of(t, page.lang), "circle", count=int(counts.get(t, 0))
        )
        out.append(Entry(row, size_pt=5.0))
    max_s = float(nodes["weighted_degree"].max())
    for s in sorted({max_s, max_s / 4}, reverse=True):
        d = 2 * float(_radius(np.array([s]), max_s)[0])
        key = styles.LegendRow(
            styles.NETWORK_COLORS["key_fill"], f"{text['strength']} {_fmt(s)}", "circle"
        )
        out.append(Entry(key, size_pt=d))
    color = PRINT_COLORS["muted"] if page.grey else styles.EDGE_COLOR
    out.append(Entry(styles.LegendRow(color, f"{text['weight']} {_fmt(max_w)}", shape="line"),
                     lw=_WIDTH_PT[1]))  # fmt: skip
    return out


def plot_network(
    net: CityNetwork,
    year: Hashable | None = None,
    top: int | None = None,
    lang: str = "zh",
    lines: str = "great_circle",
    title: str | None = None,
    *,
    inset: bool | None = None,
    names: bool | str = False,
    review_number: str | None = None,
    width: str | float = "double",
    dpi: int = 300,
    style: str = "color",
) -> PrintFigure:
    """Print map of a city network (the static twin of :func:`~spatialinno.network_map`).

    Nodes are circles at each unit's representative point, area ∝ weighted degree (radius
    1.2-5 pt), coloured by tier; edges are great-circle arcs (or straight lines), width ∝
    weight (0.2-2.4 pt), the strongest drawn on top; light prefecture units and provincial
    borders underneath. With more than ``top`` (default 300) edges only the strongest are drawn
    (ties kept) and the caption says so; every node is drawn, sized by the whole network.

    Parameters
    ----------
    net, year, top, lang, lines, title
        As in :func:`~spatialinno.network_map`.
    inset, names, review_number, width, dpi, style
        As in :func:`~spatialinno.plot_choropleth` (the inset when the nodes span the country).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spatialinno as si
    >>> air = si.load_dataset("air_routes_2014")
    >>> net = si.city_network(air, "gb_o", "gb_d", weight="n_route_records", year="year")
    >>> fig = si.plot_network(net, top=100, lang="en", width="single")
    >>> fig.axes[0].get_legend().get_texts()[0].get_text()[:4]
    'core'
    """
    _check(net, top, lines)
    page = Page.of(width, dpi, lang, style)
    key = net._year(year)
    nodes, edges = net.to_geodataframes(key, lines=lines)
    if nodes.empty:
        raise InputError(f"the network has no ties in year {key}; nothing to map")
    shown, cut = _thin(edges, top)
    shown = shown.sort_values("weight", kind="stable")  # strongest last = drawn on top
    text = styles.NETWORK_TEXT[page.lang]
    rule = (text["all_edges"].format(m=_fmt(len(edges))) if cut is None else
            text["thinned"].format(top=top or MAX_EDGES, w=_fmt(cut), k=_fmt(len(shown)),
                                   m=_fmt(len(edges))))  # fmt: skip
    units = _units(nodes, inset)
    max_w = float(edges["weight"].max())
    notes = [text["size"], text["width"], rule]
    if net.source:
        notes.append(f"{text['source']}: {net.source}")
    spec = MapSpec(_layers(units, nodes, shown, page, max_w), text["tier"],
                   _entries(nodes, max_w, page), notes)  # fmt: skip
    if title is None:
        title = text["title"] + (f" {key}" if key is not None else "")
    return map_figure(page, units, spec, title=title, names=names, review_number=review_number)
