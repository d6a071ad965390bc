"""The city-network map: nodes by tier, edges by weight, on the offline base map.

Builds on :mod:`spatialinno.maps.base` (base map, feature collections, legend, border lines) and
reads everything it draws from a :class:`spatialinno.measures.network.CityNetwork`.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from .._errors import InputError
from .._validate import POLYGON_LEVELS
from ..measures.network import TIER_ZH, TIERS, CityNetwork
from ..styles import EDGE_COLOR, TIER_COLORS

# More polylines than this make the browser sluggish and the map unreadable; see network_map.
MAX_EDGES = 300

__all__ = ["network_map"]

# --------------------------------------------------------------------------------------------
# map
# --------------------------------------------------------------------------------------------
_MAP_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "城市联系网络",
        "nodes": "城市（节点）",
        "edges": "联系（边）",
        "regions": "地级区划",
        "provinces": "省界",
        "tier": "城市层级（加权度 Fisher–Jenks 自然断点）",
        "size": "圆面积 ∝ 加权度",
        "width": "线宽 ∝ 联系权重",
        "city": "城市",
        "province": "省份",
        "degree": "度（联系城市数）",
        "strength": "加权度",
        "betweenness": "介数中心性",
        "level": "层级",
        "tie": "联系",
        "weight": "权重",
        "records": "记录数",
        "all_edges": "显示全部 {m:,} 条联系",
        "thinned": "仅显示权重最高的 {top} 条联系（并列者全部保留）：权重 ≥ {w}，{k:,} / {m:,} 条",
        "thinned_short": "最强 {top} 条联系",
        "source": "数据",
    },
    "en": {
        "title": "Inter-city network",
        "nodes": "Cities (nodes)",
        "edges": "Ties (edges)",
        "regions": "Prefecture units",
        "provinces": "Provincial borders",
        "tier": "City tier (Fisher–Jenks breaks of weighted degree)",
        "size": "circle area ∝ weighted degree",
        "width": "line width ∝ tie weight",
        "city": "City",
        "province": "Province",
        "degree": "Degree (partners)",
        "strength": "Weighted degree",
        "betweenness": "Betweenness",
        "level": "Tier",
        "tie": "Tie",
        "weight": "Weight",
        "records": "Records",
        "all_edges": "all {m:,} ties shown",
        "thinned": "showing the {top} strongest ties (ties at the cut kept): weight ≥ {w}, "
        "{k:,} of {m:,}",
        "thinned_short": "{top} strongest ties",
        "source": "Data",
    },
}
_TIER_EN = {"core": "core", "key": "key", "auxiliary": "auxiliary"}
_MIN_RADIUS, _MAX_RADIUS = 3.0, 16.0  # px
_MIN_WIDTH, _MAX_WIDTH = 0.6, 7.0  # px


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


def network_map(
    net: CityNetwork,
    year: Hashable | None = None,
    top: int | None = None,
    lang: str = "zh",
    lines: str = "great_circle",
    title: str | None = None,
    tiles: str | None = None,
) -> Any:
    """Offline folium map of a city network on the prefecture boundaries.

    Nodes are circles at each unit's representative point, area proportional to weighted degree
    and coloured by tier (core / key / auxiliary, see :meth:`CityNetwork.centrality`); edges are
    great-circle arcs (or straight lines) with width proportional to weight, the strongest drawn
    on top. Nodes and edges have tooltips (name, province, degree, weighted degree,
    betweenness, tier; the two cities and the weight), HTML-escaped. Prefecture units, provincial
    borders and the national border lines (境界线) are drawn underneath. The saved file is
    self-contained (Leaflet inlined from ``spatialinno/_assets``; no CDN request).

    Thinning rule (stated in the legend): a network with more than ``top`` edges shows only the
    edges whose weight is at least the ``top``-th largest weight — the ``top`` strongest ties plus
    any tied with the last one. Every node is still drawn, sized by its weighted degree in the
    *whole* network.

    Parameters
    ----------
    net : CityNetwork
    year : optional
        Needed when the network has several years.
    top : int, optional
        Maximum number of edges before thinning; default :data:`MAX_EDGES` (300).
    lang : {"zh", "en"}
        Labels, legend and tooltips in Chinese or English.
    lines : {"great_circle", "straight"}
        Edge geometry (GRS80 geodesic arcs or straight lines in longitude/latitude).
    title : str, optional
        Default "城市联系网络 <year>" / "Inter-city network <year>".
    tiles : str, optional
        Background tiles for :class:`folium.Map` (default none: nothing is fetched).

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
    import folium

    from . import base as _maps

    if not isinstance(net, CityNetwork):
        raise InputError(
            f"network_map needs a CityNetwork (from si.city_network or si.network_from_records), "
            f"not {type(net).__name__}"
        )
    lang = _maps._check_lang(lang)
    if top is not None and (not isinstance(top, (int, np.integer)) or top < 1):
        raise InputError(f"top must be a positive number of edges or None, not {top!r}")
    if lines not in ("great_circle", "straight"):
        raise InputError(f"lines must be 'great_circle' or 'straight', not {lines!r}")
    text = _MAP_TEXT[lang]
    key = net._year(year)
    nodes, edges = net.to_geodataframes(key, lines=lines)
    if nodes.empty:
        raise InputError(f"the network has no ties in year {key}; nothing to map")
    shown, cut = _thin(edges, top)
    shown = shown.sort_values("weight", kind="stable")  # strongest last = drawn on top

    if title is None:
        title = text["title"] + (f" {key}" if key is not None else "")
    if cut is not None:
        rule = text["thinned"].format(top=top or MAX_EDGES, w=_fmt(cut), k=len(shown), m=len(edges))
        # the title names the rule briefly; the legend states it in full
        short = text["thinned_short"].format(top=top or MAX_EDGES)
        title = f"{title} · {short}"
    else:
        rule = text["all_edges"].format(m=len(edges))

    pad = 1.5
    bounds = [
        [float(nodes["lat"].min()) - pad, float(nodes["lon"].min()) - pad],
        [float(nodes["lat"].max()) + pad, float(nodes["lon"].max()) + pad],
    ]
    m = _maps._base_map(title, lang=lang, tiles=tiles, bounds=bounds)
    # panes for the network above the outline/border panes of maps.py (430-450): nodes on top
    folium.map.CustomPane("si-net-edges", z_index=455, pointer_events=True).add_to(m)
    folium.map.CustomPane("si-net-nodes", z_index=460, pointer_events=True).add_to(m)

    # base: light prefecture units (not interactive, so hovering finds nodes and edges only)
    from ..boundaries.load import load_boundaries

    level = net.level if net.level in POLYGON_LEVELS else "prefecture"
    units = load_boundaries("prefecture" if level == "county" else level, simplified=True)
    ids = [f"u{i}" for i in range(len(units))]
    base_style = {
        "fillColor": "#f2efe9",
        "fillOpacity": 1.0,
        "color": "#c8c8c8",
        "weight": 0.4,
        "className": "si-region",
    }
    folium.GeoJson(
        _maps._feature_collection(units, pd.DataFrame(index=range(len(units))), ids),
        name=_maps._esc(text["regions"]),
        style_function=lambda f: base_style,
        interactive=False,
    ).add_to(m)
    if level != "province":
        _maps._add_outline(m, "province", text["provinces"], lang, color="#8c8c8c", weight=0.9)
    _maps._add_border_lines(m, lang)

    # edges: one GeoJson layer, per-feature style by id, escaped tooltip fields
    esc = _maps._esc
    max_w = float(edges["weight"].max())
    widths = _width(shown["weight"].to_numpy(dtype=float), max_w)
    name_col = "name" if lang == "zh" else "name_en"
    node_names = nodes.set_index("code")[name_col]
    edge_ids = [f"e{i}" for i in range(len(shown))]
    edge_style = {
        fid: {
            "color": EDGE_COLOR,
            "weight": round(float(wd), 2),
            "opacity": 0.55,
            "className": "si-edge",
        }
        for fid, wd in zip(edge_ids, widths, strict=True)
    }
    edge_props = pd.DataFrame(
        {
            "t0": [
                esc(f"{node_names[u]} — {node_names[v]}")
                for u, v in zip(shown["source"], shown["target"], strict=True)
            ],
            "t1": [esc(_fmt(w)) for w in shown["weight"]],
            "t2": [esc(f"{n:,}") for n in shown["n_records"]],
        }
    )
    folium.GeoJson(
        _maps._feature_collection(shown, edge_props, edge_ids),
        name=_maps._esc(text["edges"]),
        style_function=lambda f: edge_style[f["id"]],
        highlight_function=lambda f: {"opacity": 0.95, "color": "#08306b"},
        tooltip=folium.GeoJsonTooltip(
            fields=["t0", "t1", "t2"],
            aliases=[esc(text["tie"]), esc(text["weight"]), esc(text["records"])],
            labels=True,
            sticky=True,
        ),
        pane="si-net-edges",
    ).add_to(m)

    # nodes: circle markers, largest first so small ones stay on top and hoverable
    order = nodes.sort_values(["weighted_degree", "code"], ascending=[False, True])
    radii = _radius(
        order["weighted_degree"].to_numpy(dtype=float), float(nodes["weighted_degree"].max())
    )
    node_ids = [f"n{i}" for i in range(len(order))]
    node_style = {
        fid: {
            "radius": round(float(r), 2),
            "fill": True,  # folium's CircleMarker template defaults to fill=false
            "fillColor": TIER_COLORS[t],
            "fillOpacity": 0.9,
            "color": "#333333",
            "weight": 0.8,
            "className": "si-node",
            "pane": "si-net-nodes",
        }
        for fid, r, t in zip(node_ids, radii, order["tier"], strict=True)
    }
    tier_label = TIER_ZH if lang == "zh" else _TIER_EN
    provinces = order["province"].tolist()
    if lang == "en":
        from ..boundaries.regions import provinces as _province_table

        en = _province_table().set_index("code")["name_en"]
        graph = net.graphs[key]
        codes = [graph.nodes[c].get("province_code") for c in order["code"]]
        provinces = [en.get(c, p) for c, p in zip(codes, provinces, strict=True)]
    node_props = pd.DataFrame(
        {
            "t0": [esc(f"{a} ({c})") for a, c in zip(order[name_col], order["code"], strict=True)],
            "t1": [esc(p) for p in provinces],
            "t2": [esc(tier_label[t]) for t in order["tier"]],
            "t3": [esc(_fmt(s)) for s in order["weighted_degree"]],
            "t4": [esc(f"{d:,}") for d in order["degree"]],
            "t5": [esc(f"{b:.4f}") for b in order["betweenness"]],
        }
    )
    folium.GeoJson(
        _maps._feature_collection(order, node_props, node_ids),
        name=_maps._esc(text["nodes"]),
        marker=folium.CircleMarker(),
        style_function=lambda f: node_style[f["id"]],
        highlight_function=lambda f: {"weight": 2.5, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["t0", "t1", "t2", "t3", "t4", "t5"],
            aliases=[
                esc(text["city"]),
                esc(text["province"]),
                esc(text["level"]),
                esc(text["strength"]),
                esc(text["degree"]),
                esc(text["betweenness"]),
            ],
            labels=True,
            sticky=True,
        ),
        pane="si-net-nodes",
    ).add_to(m)

    # legend: tiers with counts, node size and edge width keys, the thinning rule, the sources
    counts = nodes["tier"].value_counts()
    rows = [
        _maps.LegendRow(
            TIER_COLORS[t], tier_label[t], shape="circle", size=6, count=int(counts.get(t, 0))
        )
        for t in TIERS
    ]
    max_s = float(nodes["weighted_degree"].max())
    for s in sorted({max_s, max_s / 4}, reverse=True):
        r = float(_radius(np.array([s]), max_s)[0])
        rows.append(_maps.LegendRow("#ffffff", f"{text['strength']} {_fmt(s)}", "circle", r))
    rows.append(_maps.LegendRow(EDGE_COLOR, f"{text['weight']} {_fmt(max_w)}", shape="line"))
    notes = [text["size"], text["width"], rule]
    if net.source:
        notes.append(f"{text['source']}: {net.source}")
    notes.append(_maps._TEXT[lang]["source"])
    _maps._add_legend(m, text["tier"], rows, notes, lang, position="bottomleft")
    return _maps._finish(m)


def _fmt(value: float) -> str:
    """A weight or degree for labels: integers without decimals, others 3 significant digits."""
    from ..styles import format_number

    if float(value).is_integer():
        return f"{int(value):,}"
    return format_number(float(value))
