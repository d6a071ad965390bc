"""The city-network map: nodes by tier, edges by weight, on the offline base map.

Builds on the public helpers of :mod:`spatialinno.maps.base` (base map, feature layers, outlines,
border lines, legend) and reads everything it draws from a
:class:`spatialinno.measures.network.CityNetwork`; colours, tier labels, words and numbers come
from :mod:`spatialinno.styles`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import folium
import numpy as np
import pandas as pd

from .. import styles
from .._errors import InputError
from .._validate import POLYGON_LEVELS
from ..measures.network import TIERS, CityNetwork
from .base import (
    add_border_lines,
    add_features,
    add_legend,
    add_outline,
    boundary_layer,
    check_lang,
    ensure_pane,
    finish,
    start_map,
)
from .layout import add_circle_layout, add_labels
from .names import add_names, check_names, city_names

__all__ = ["MAX_EDGES", "network_map"]

# More polylines than this make the browser sluggish and the map unreadable; see network_map.
MAX_EDGES = 300
# panes for the network above the outline/border panes of maps.base (430-450): nodes on top
_PANES = {"si-net-edges": 455, "si-net-nodes": 460}
_MIN_RADIUS, _MAX_RADIUS = 3.0, 16.0  # px
_MIN_WIDTH, _MAX_WIDTH = 0.6, 7.0  # px
_fmt = styles.format_number  # weights and degrees: integers exact, others 3 significant digits


def _thin(edges: pd.DataFrame, top: int | None) -> tuple[pd.DataFrame, float | None]:
    """The strongest edges: all with weight >= the ``top``-th largest weight (ties kept).

    Keeping every edge tied with the last one makes the rule independent of row order, so the
    same network always gives the same map. Returns the kept edges and the cut weight (None when
    nothing is cut).
    """
    if top is None:
        top = MAX_EDGES
    if len(edges) <= top:
        return edges, None
    cut = float(np.sort(edges["weight"].to_numpy())[::-1][top - 1])
    return edges[edges["weight"] >= cut], cut


def _radius(strength: np.ndarray, max_strength: float) -> np.ndarray:
    # area proportional to weighted degree (radius ∝ sqrt), readable for the smallest nodes
    scale = np.sqrt(strength / max_strength) if max_strength > 0 else np.zeros_like(strength)
    return _MIN_RADIUS + (_MAX_RADIUS - _MIN_RADIUS) * scale


def _width(weight: np.ndarray, max_weight: float) -> np.ndarray:
    scale = weight / max_weight if max_weight > 0 else np.zeros_like(weight)
    return _MIN_WIDTH + (_MAX_WIDTH - _MIN_WIDTH) * scale


def _check(net: object, lang: str, top: object, lines: str) -> str:
    if not isinstance(net, CityNetwork):
        raise InputError(
            f"network_map needs a CityNetwork (from si.city_network or si.network_from_records), "
            f"not {type(net).__name__}"
        )
    lang = check_lang(lang)
    if top is not None and (not isinstance(top, (int, np.integer)) or top < 1):
        raise InputError(f"top must be a positive number of edges or None, not {top!r}")
    if lines not in ("great_circle", "straight"):
        raise InputError(f"lines must be 'great_circle' or 'straight', not {lines!r}")
    return lang


def _title_and_rule(
    edges: pd.DataFrame, shown: pd.DataFrame, cut: float | None, key: object, top: int | None,
    title: str | None, lang: str,
) -> tuple[str, str]:  # fmt: skip
    """The map title and the thinning rule stated in the legend."""
    text = styles.NETWORK_TEXT[lang]
    if title is None:
        title = text["title"] + (f" {key}" if key is not None else "")
    if cut is None:
        return title, text["all_edges"].format(m=_fmt(len(edges)))
    n_top = top or MAX_EDGES
    rule = text["thinned"].format(top=n_top, w=_fmt(cut), k=_fmt(len(shown)), m=_fmt(len(edges)))
    # the title names the rule briefly; the legend states it in full
    return f"{title} · {text['thinned_short'].format(top=n_top)}", rule


def _add_units(m: folium.Map, net: CityNetwork, lang: str) -> None:
    """Light prefecture units (not interactive, so hovering finds nodes and edges only)."""
    text = styles.NETWORK_TEXT[lang]
    colors = styles.NETWORK_COLORS
    level = net.level if net.level in POLYGON_LEVELS else "prefecture"
    units = boundary_layer("prefecture" if level == "county" else level)
    style = {
        "fillColor": colors["unit_fill"],
        "fillOpacity": 1.0,
        "color": colors["unit_border"],
        "weight": 0.4,
        "className": "si-region",
    }
    add_features(m, units, style, text["regions"], id_prefix="u", interactive=False)
    if level != "province":
        add_outline(
            m, "province", text["provinces"], lang, color=colors["province_outline"], weight=0.9
        )


def _add_edges(
    m: folium.Map,
    shown: pd.DataFrame,
    nodes: pd.DataFrame,
    max_w: float,
    lang: str,
    weight_label: str,
) -> None:
    """One line per shown edge, width ∝ weight, strongest on top; tooltip: cities, weight, records."""
    text = styles.NETWORK_TEXT[lang]
    widths = _width(shown["weight"].to_numpy(dtype=float), max_w)
    names = nodes.set_index("code")["name" if lang == "zh" else "name_en"]
    style = [
        {
            "color": styles.EDGE_COLOR,
            "weight": round(float(wd), 2),
            "opacity": 0.55,
            "className": "si-edge",
        }
        for wd in widths
    ]
    tips = {
        text["tie"]: [
            f"{names[u]} — {names[v]}"
            for u, v in zip(shown["source"], shown["target"], strict=True)
        ],
        weight_label: [_fmt(w) for w in shown["weight"]],
        text["records"]: [_fmt(n) for n in shown["n_records"]],
    }
    highlight = {"opacity": 0.95, "color": styles.NETWORK_COLORS["edge_highlight"]}
    add_features(
        m, shown, style, text["edges"], tooltip_rows=tips, id_prefix="e",
        highlight_function=lambda f: highlight, pane="si-net-edges",
    )  # fmt: skip


def _province_names(net: CityNetwork, key: object, order: pd.DataFrame, lang: str) -> list[str]:
    provinces = order["province"].tolist()
    if lang == "en":
        from ..boundaries.regions import provinces as _province_table

        en = _province_table().set_index("code")["name_en"]
        graph = net.graphs[key]
        codes = [graph.nodes[c].get("province_code") for c in order["code"]]
        provinces = [en.get(c, p) for c, p in zip(codes, provinces, strict=True)]
    return provinces


def _add_nodes(
    m: folium.Map, net: CityNetwork, key: object, nodes: pd.DataFrame, lang: str
) -> tuple[folium.GeoJson, pd.DataFrame]:
    """Circle markers by tier, area ∝ weighted degree, largest first so small ones stay on top.

    Returns the layer and the nodes in the order drawn.
    """
    text = styles.NETWORK_TEXT[lang]
    tiers = styles.network_tiers()
    order = nodes.sort_values(["weighted_degree", "code"], ascending=[False, True])
    strength = order["weighted_degree"].to_numpy(dtype=float)
    radii = _radius(strength, float(nodes["weighted_degree"].max()))
    style = [
        {
            "radius": round(float(r), 2),
            "fill": True,  # folium's CircleMarker template defaults to fill=false
            "fillColor": tiers.color_of(t),
            "fillOpacity": 0.9,
            "color": styles.NETWORK_COLORS["node_outline"],
            "weight": 0.8,
            "className": "si-node",
            "pane": "si-net-nodes",
        }
        for r, t in zip(radii, order["tier"], strict=True)
    ]
    name_col = "name" if lang == "zh" else "name_en"
    tips = {
        text["city"]: [f"{a} ({c})" for a, c in zip(order[name_col], order["code"], strict=True)],
        text["province"]: _province_names(net, key, order, lang),
        text["level"]: [tiers.label_of(t, lang) for t in order["tier"]],
        text["strength"]: [_fmt(s) for s in order["weighted_degree"]],
        text["degree"]: [_fmt(d) for d in order["degree"]],
        # fixed decimals, as in the report tables: small centralities line up (0.0012, 0.0500)
        text["betweenness"]: [_fmt(b, 4, fmt=styles.TABLE) for b in order["betweenness"]],
    }
    highlight = {"weight": 2.5, "color": styles.HIGHLIGHT_COLOR}
    layer = add_features(
        m, order, style, text["nodes"], tooltip_rows=tips, id_prefix="n",
        marker=folium.CircleMarker(), highlight_function=lambda f: highlight, pane="si-net-nodes",
    )  # fmt: skip
    return layer, order


def _add_city_names(
    m: folium.Map, layer: folium.GeoJson, order: pd.DataFrame, names: object, lang: str
) -> None:
    """Name labels: ``names=True`` the cities (beside their circles), a level name its units."""
    if names is not True:
        add_names(m, boundary_layer("prefecture"), names, lang)  # validated; None adds nothing
        return
    circles = add_circle_layout(m, layer, move=False)  # nodes stay; labels keep clear of them
    texts = city_names(order, lang)
    latlon = order[["lat", "lon"]].to_numpy(dtype=float)
    priority = order["weighted_degree"].to_numpy(dtype=float)
    add_labels(m, latlon, texts, priority, styles.MAP_TEXT[lang]["names"],
               css_class="si-label-small", circles=circles, circle_index=range(len(order)))  # fmt: skip


def _legend_rows(
    nodes: pd.DataFrame, max_w: float, lang: str, weight_label: str
) -> list[styles.LegendRow]:
    """Tiers with counts, node size keys and the edge width key."""
    text = styles.NETWORK_TEXT[lang]
    tiers = styles.network_tiers()
    counts = nodes["tier"].value_counts()
    rows = [
        styles.LegendRow(
            tiers.color_of(t), tiers.label_of(t, lang), "circle", 6, int(counts.get(t, 0))
        )
        for t in TIERS
    ]
    max_s = float(nodes["weighted_degree"].max())
    for s in sorted({max_s, max_s / 4}, reverse=True):
        r = float(_radius(np.array([s]), max_s)[0])
        key_fill = styles.NETWORK_COLORS["key_fill"]
        rows.append(styles.LegendRow(key_fill, f"{text['strength']} {_fmt(s)}", "circle", r))
    rows.append(styles.LegendRow(styles.EDGE_COLOR, f"{weight_label} {_fmt(max_w)}", shape="line"))
    return rows


def _to_draw(
    net: CityNetwork, year: Hashable | None, top: int | None, lines: str
) -> tuple[object, pd.DataFrame, pd.DataFrame, pd.DataFrame, float | None]:
    """The year's key, nodes, all edges, the edges drawn (strongest last) and the cut weight."""
    key = net._year(year)
    nodes, edges = net.to_geodataframes(key, lines=lines)
    if nodes.empty:
        raise InputError(f"the network has no ties in year {key}; nothing to map")
    shown, cut = _thin(edges, top)
    shown = shown.sort_values("weight", kind="stable")  # strongest last = drawn on top
    return key, nodes, edges, shown, cut


def _legend_notes(net: CityNetwork, rule: str, lang: str) -> list[str]:
    """Size and width keys, the thinning rule, the data source and the boundary source."""
    text = styles.NETWORK_TEXT[lang]
    notes = [text["size"], text["width"], rule]
    if net.source:
        notes.append(f"{text['source']}: {net.source}")
    notes.append(styles.TEXT[lang]["source"])
    return notes


def _bounds(nodes: pd.DataFrame, pad: float = 1.5) -> list[list[float]]:
    """``[[south, west], [north, east]]`` around the nodes, ``pad`` degrees wider."""
    return [
        [float(nodes["lat"].min()) - pad, float(nodes["lon"].min()) - pad],
        [float(nodes["lat"].max()) + pad, float(nodes["lon"].max()) + pad],
    ]


def network_map(
    net: CityNetwork,
    year: Hashable | None = None,
    top: int | None = None,
    lang: str = "zh",
    lines: str = "great_circle",
    title: str | None = None,
    tiles: str | None = None,
    *,
    names: bool | str | None = None,
    labels: Mapping[str, object] | None = None,
    m: folium.Map | None = None,
) -> folium.Map:
    """Offline folium map of a city network on the prefecture boundaries.

    Nodes are circles at each unit's representative point, area proportional to weighted degree
    and coloured by tier (core / key / auxiliary, see :meth:`CityNetwork.centrality`); edges are
    great-circle arcs (or straight lines) with width proportional to weight, the strongest drawn
    on top. Nodes and edges have tooltips (name, province, degree, weighted degree,
    betweenness, tier; the two cities and the weight), HTML-escaped. Prefecture units, provincial
    borders and the national border lines (境界线) are drawn underneath. The saved file is
    self-contained (Leaflet inlined from ``spatialinno/_assets``; no CDN request).

    Parameters
    ----------
    net : CityNetwork
    year : optional
        Needed when the network has several years.
    top : int, optional
        Thinning rule (stated in the legend), default :data:`MAX_EDGES` (300): with more edges,
        only those at least as strong as the ``top``-th strongest are drawn (ties kept). Every
        node is still drawn, sized by its weighted degree in the *whole* network.
    lang : {"zh", "en"}
        Labels, legend and tooltips in Chinese or English.
    lines : {"great_circle", "straight"}
        Edge geometry (GRS80 geodesic arcs or straight lines in longitude/latitude).
    title : str, optional
        Default "城市联系网络 <year>" / "Inter-city network <year>".
    tiles : str, optional
        Background tiles for :class:`folium.Map` (default none: nothing is fetched).
    names : {None, True, "province", "prefecture", "county"}
        Name labels: ``True`` the cities (beside their circles, larger weighted degree first),
        a level name the units of that layer; laid out without collisions.
    labels : mapping, optional
        ``{"weight": "航班数|班"}``: a readable label of the tie weight (tooltips, legend).
    m : folium.Map, optional
        Draw on this map (e.g. a choropleth), as ``GeoDataFrame.explore(m=...)``: the map keeps
        its title, tiles and view, and the units and provincial borders are left out.

    Returns
    -------
    folium.Map
        Coordinates EPSG:4490 (CGCS2000) degrees, drawn as WGS84 (centimetre difference).

    Examples
    --------
    The airline network of June 2014 (OpenFlights, ODbL):

    >>> import spatialinno as si
    >>> air = si.load_dataset("air_routes_2014")
    >>> net = si.city_network(air, "gb_o", "gb_d", weight="n_route_records", year="year",
    ...                       source_note="OpenFlights (ODbL)")
    >>> m = si.network_map(net, top=100, lang="en")
    >>> html = m.get_root().render()  # what m.save("air.html") writes
    >>> "showing the 100 strongest ties" in html
    True
    >>> from spatialinno.maps.offline import external_asset_urls
    >>> external_asset_urls(html)  # nothing fetched from a CDN
    []
    """
    lang = _check(net, lang, top, lines)
    check_names(names)
    weight_label = styles.NETWORK_TEXT[lang]["weight"]
    if labels and "weight" in labels:
        weight_label = styles.column_label("weight", lang, labels=labels, unit=True)
    key, nodes, edges, shown, cut = _to_draw(net, year, top, lines)
    title, rule = _title_and_rule(edges, shown, cut, key, top, title, lang)
    own = m is None
    m = start_map(m, title, lang=lang, tiles=tiles, bounds=_bounds(nodes))
    for pane, z in _PANES.items():
        ensure_pane(m, pane, z, pointer_events=True)
    if own:  # on a map of the caller's, opaque units would hide what is already drawn
        _add_units(m, net, lang)
    add_border_lines(m, lang)
    max_w = float(edges["weight"].max())
    _add_edges(m, shown, nodes, max_w, lang, weight_label)
    layer, order = _add_nodes(m, net, key, nodes, lang)
    _add_city_names(m, layer, order, names, lang)
    rows = _legend_rows(nodes, max_w, lang, weight_label)
    notes = _legend_notes(net, rule, lang)
    add_legend(m, styles.NETWORK_TEXT[lang]["tier"], rows, notes, lang, "bottomleft")
    return finish(m)
