"""Screen layout of a web map: place-name labels that never collide, circles that never hide.

Where a label or a proportional circle can go depends on the zoom and the size of the map, which
only the browser knows; so the layout is done in the page, by one fixed script
(:data:`LAYOUT_JS`, written once per page) that runs at load, after every zoom and whenever a
layer is switched on or off:

1. **circles** (the capitals of :func:`~spatialinno.capital_effect_map`) that would overlap at
   the current zoom are pushed apart -- the smaller one moves more -- until every pair is at
   least ``gap`` pixels apart, outline included; a displaced circle gets a thin leader line
   back to a dot at its true place. Zoomed in far enough, every circle sits on its place again.
2. **labels** are placed in order of priority (capitals first, then larger units before
   smaller ones): each at the first of its candidate positions (on the unit's label point and
   just above / below / beside it; around a circle for a circle's label) that overlaps no label
   already placed and no circle; a label that fits nowhere is hidden until a zoom makes room.

Labels are Leaflet markers with a ``divIcon`` in the ``si-labels`` pane (not interactive: a
hover still reaches the region underneath), grouped in a layer the layer control can switch off.
Their text is data: escaped with :func:`~spatialinno.maps.base.safe_text` and handed to the
script as JSON (:func:`spatialinno._escape.script_json`), never through a template.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import folium
import geopandas as gpd
import numpy as np
import shapely

from .._escape import script_json
from .base import MapScript, boundary_layer, safe_text

__all__ = [
    "LAYOUT_JS",
    "add_circle_layout",
    "add_labels",
    "label_points",
    "layer_label_points",
]

LAYOUT_JS = r"""
window.SiLayout = window.SiLayout || (function () {
  function state(map) {
    if (!map._siLayout) {
      map._siLayout = {labels: [], sets: [], timer: null, order: 0};
      map.on('zoomend moveend viewreset resize overlayadd overlayremove', function () {
        schedule(map);
      });
    }
    return map._siLayout;
  }
  function schedule(map) {
    var s = state(map);
    if (s.timer !== null) return;
    s.timer = setTimeout(function () { s.timer = null; layout(map); }, 0);
  }
  function separate(map, set) {
    var pts = set.items.map(function (c) {
      var p = map.latLngToLayerPoint(c.anchor);
      return {x: p.x, y: p.y, r: c.r};
    });
    if (set.move) {
      for (var it = 0; it < 800; it++) {
        var moved = false;
        for (var i = 0; i < pts.length; i++) {
          for (var j = i + 1; j < pts.length; j++) {
            var a = pts[i], b = pts[j], dx = b.x - a.x, dy = b.y - a.y;
            var d = Math.sqrt(dx * dx + dy * dy), need = a.r + b.r + set.gap;
            if (d >= need) continue;
            var ux = d < 1e-6 ? 0 : dx / d, uy = d < 1e-6 ? 1 : dy / d;
            var over = need - d + 0.05, wa = b.r * b.r / (a.r * a.r + b.r * b.r);
            a.x -= ux * over * wa; a.y -= uy * over * wa;
            b.x += ux * over * (1 - wa); b.y += uy * over * (1 - wa);
            moved = true;
          }
        }
        if (!moved) break;
      }
    }
    if (set.leaders) set.leaders.clearLayers();
    set.items.forEach(function (c, i) {
      var p = pts[i], at = map.layerPointToLatLng([p.x, p.y]);
      c.point = p;
      if (!set.move) return;
      c.layer.setLatLng(at);
      var a = map.latLngToLayerPoint(c.anchor), dx = p.x - a.x, dy = p.y - a.y;
      var d = Math.sqrt(dx * dx + dy * dy);
      if (d > 0.5 && set.leaders) {
        var edge = map.layerPointToLatLng([p.x - dx / d * c.r, p.y - dy / d * c.r]);
        L.polyline([c.anchor, edge], set.leaderStyle).addTo(set.leaders);
        L.circleMarker(c.anchor, set.dotStyle).addTo(set.leaders);
      }
    });
  }
  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }
  function hitsCircle(b, c) {
    // a pixel of clearance: positions are rounded when drawn
    var x = Math.max(b.x, Math.min(c.x, b.x + b.w)), y = Math.max(b.y, Math.min(c.y, b.y + b.h));
    return (x - c.x) * (x - c.x) + (y - c.y) * (y - c.y) < (c.r + 1) * (c.r + 1);
  }
  function controls(map) {
    // the title, legends, layer control and scale: a label is never placed under them
    var box = map.getContainer(), c = box.getBoundingClientRect(), out = [];
    box.querySelectorAll('.leaflet-control, .si-title').forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (!r.width || !r.height) return;
      var tl = map.containerPointToLayerPoint([r.left - c.left, r.top - c.top]);
      out.push({x: tl.x, y: tl.y, w: r.width, h: r.height});
    });
    return out;
  }
  function candidates(l, p) {
    var w = l.w, h = l.h, out = [];
    if (l.around !== null) {
      var r = l.around + 2, far = r + 8;
      [[r, -h / 2], [-r - w, -h / 2], [-w / 2, -r - h], [-w / 2, r],
       [r * 0.7, -r * 0.7 - h], [-r * 0.7 - w, -r * 0.7 - h], [r * 0.7, r * 0.7],
       [-r * 0.7 - w, r * 0.7], [far, -h / 2], [-far - w, -h / 2], [-w / 2, -far - h],
       [-w / 2, far]].forEach(function (o) { out.push({x: p.x + o[0], y: p.y + o[1]}); });
    } else {
      // on the point, then just above / below / beside it, then clear of a small mark (a
      // coastal dot) sitting on the point
      [[0, 0], [0, -h * 0.9], [0, h * 0.9], [w / 2 + 3, 0], [-w / 2 - 3, 0],
       [0, -h / 2 - 8], [0, h / 2 + 8], [w / 2 + 9, 0], [-w / 2 - 9, 0]].forEach(
        function (o) { out.push({x: p.x - w / 2 + o[0], y: p.y - h / 2 + o[1]}); });
    }
    return out.map(function (b) { return {x: b.x, y: b.y, w: w, h: h}; });
  }
  function layout(map) {
    var s = state(map), obstacles = [];
    s.sets.forEach(function (set) {
      if (!map.hasLayer(set.group)) {
        if (set.leaders && map.hasLayer(set.leaders)) map.removeLayer(set.leaders);
        return;
      }
      if (set.leaders && !map.hasLayer(set.leaders)) map.addLayer(set.leaders);
      separate(map, set);
      set.items.forEach(function (c) { obstacles.push(c.point); });
    });
    var labels = s.labels.filter(function (l) {
      return map.hasLayer(l.group) && l.marker.getElement();
    });
    labels.forEach(function (l) {  // reads only: one reflow for all labels
      if (l.el !== l.marker.getElement() || !l.w) {
        l.el = l.marker.getElement();
        l.w = l.el.offsetWidth;
        l.h = l.el.offsetHeight;
      }
    });
    labels.sort(function (a, b) { return b.prio - a.prio || a.order - b.order; });
    var placed = controls(map);
    labels.forEach(function (l) { l.el.style.visibility = 'hidden'; });
    labels.forEach(function (l) {
      var el = l.el, p = map.latLngToLayerPoint(l.latlng).round();
      var at = l.circle ? l.circle.point : p;
      var found = candidates(l, at).filter(function (b) {
        var pad = {x: b.x - 1, y: b.y - 1, w: b.w + 2, h: b.h + 2};
        return !placed.some(function (q) { return overlaps(pad, q); }) &&
               !obstacles.some(function (c) { return hitsCircle(b, c); });
      })[0];
      if (!found) return;
      el.style.marginLeft = (found.x - p.x) + 'px';
      el.style.marginTop = (found.y - p.y) + 'px';
      el.style.visibility = 'visible';
      placed.push(found);
    });
  }
  return {
    circles: function (map, group, leaders, gap, leaderStyle, dotStyle, move) {
      var items = [];
      group.eachLayer(function (layer) {
        if (!layer.getRadius) return;
        // as drawn: Leaflet rounds the radius to whole pixels; plus half the outline
        var w = (layer.options.weight || 0) / 2, r = Math.max(Math.round(layer.getRadius()), 1);
        items.push({layer: layer, anchor: layer.getLatLng(), r: r + w});
      });
      var set = {group: group, leaders: leaders, gap: gap, items: items, move: move,
                 leaderStyle: leaderStyle, dotStyle: dotStyle};
      state(map).sets.push(set);
      schedule(map);
      return set;
    },
    labels: function (map, group, items, cls, set) {
      var s = state(map);
      items.forEach(function (it) {
        var icon = L.divIcon({className: 'si-label ' + cls, html: it[2], iconSize: null});
        var mk = L.marker([it[0], it[1]], {icon: icon, interactive: false, keyboard: false,
                                           pane: 'si-labels'});
        group.addLayer(mk);
        var circle = (set && it[4] !== null) ? set.items[it[4]] : null;
        s.labels.push({marker: mk, group: group, latlng: L.latLng(it[0], it[1]), prio: it[3],
                       order: s.order++, around: circle ? circle.r : null, circle: circle});
      });
      schedule(map);
    },
    layout: layout
  };
})();
"""

_LIBRARY = ("si_layout_js", LAYOUT_JS)


def _largest_part(geom: shapely.Geometry) -> shapely.Geometry:
    if isinstance(geom, shapely.MultiPolygon):
        return max(geom.geoms, key=lambda g: g.area)
    return geom


def label_points(frame: gpd.GeoDataFrame) -> np.ndarray:
    """``(lat, lon)`` in degrees of the point each unit's label sits on.

    The pole of inaccessibility (:func:`shapely.ops.polylabel`, 2 km tolerance, computed in Web
    Mercator as the map shows it) of the unit's largest part: well inside long or bent units
    (Gansu, Hebei around Beijing) where a centroid can fall outside.
    """
    from shapely.ops import polylabel

    merc = frame.geometry.to_crs(3857)
    pts = []
    for geom in merc:
        part = _largest_part(shapely.make_valid(geom)) if geom is not None else None
        if part is None or part.is_empty or not isinstance(part, shapely.Polygon):
            pts.append(geom.representative_point() if geom is not None else shapely.Point())
            continue
        pts.append(polylabel(part, tolerance=2000.0))
    out = gpd.GeoSeries(pts, crs=3857).to_crs(4490)
    return np.column_stack([out.y.to_numpy(), out.x.to_numpy()])


@cache
def layer_label_points(level: str) -> dict[str, tuple[float, float]]:
    """Label point of every unit of a boundary layer, by code (computed once per level)."""
    layer = boundary_layer(level)
    pts = label_points(layer)
    return {c: (float(p[0]), float(p[1])) for c, p in zip(layer["code"], pts, strict=True)}


def add_circle_layout(
    m: folium.Map,
    circles: folium.GeoJson,
    gap: float = 3.0,
    leader_color: str = "",
    move: bool = True,
) -> MapScript:
    """Keep the circle markers of ``circles`` apart at every zoom (see the module docstring).

    ``move=False`` registers the circles as obstacles for labels only (they stay in place).
    Returns the script element; pass it to :func:`add_labels` to label the circles.
    """
    leader = {"pane": "si-outlines", "color": leader_color, "weight": 1.1, "opacity": 0.9,
              "interactive": False, "className": "si-leader"}  # fmt: skip
    dot = {"pane": "si-outlines", "radius": 1.8, "color": leader_color, "weight": 1,
           "fill": True, "fillColor": leader_color, "fillOpacity": 1, "interactive": False,
           "className": "si-leader-dot"}  # fmt: skip
    var = f"si_set_{circles.get_name()}"
    text = (
        f"var {var} = SiLayout.circles(__MAP__, {circles.get_name()}, "
        f"{'L.layerGroup()' if move else 'null'}, {float(gap)}, {script_json(leader)}, "
        f"{script_json(dot)}, {'true' if move else 'false'});\n"
    )
    script = MapScript(text, library=_LIBRARY)
    script.set_var = var
    m.add_child(script, name=f"si_circles_{circles.get_name()}")
    return script


def add_labels(
    m: folium.Map,
    latlon: np.ndarray,
    texts: Sequence[object],
    priority: Sequence[float],
    name: str,
    css_class: str = "",
    circles: MapScript | None = None,
    circle_index: Sequence[int] | None = None,
) -> folium.FeatureGroup:
    """A toggleable layer of labels ``texts`` at ``latlon``, laid out without collisions.

    ``priority``: higher first. With ``circles`` (from :func:`add_circle_layout`) and
    ``circle_index``, label ``i`` is placed around circle ``circle_index[i]`` (wherever the
    layout moved it) instead of on its point. Every text is escaped here.
    """
    group = folium.FeatureGroup(name=safe_text(name), show=True)
    group.add_to(m)
    index = list(circle_index) if circle_index is not None else [None] * len(texts)
    items = [
        [round(float(p[0]), 5), round(float(p[1]), 5), safe_text(t), float(w), i]
        for p, t, w, i in zip(latlon, texts, priority, index, strict=True)
    ]
    set_var = getattr(circles, "set_var", None) or "null"
    text = (
        f"SiLayout.labels(__MAP__, {group.get_name()}, {script_json(items)}, "
        f"{script_json(css_class)}, {set_var});\n"
    )
    m.add_child(MapScript(text, library=_LIBRARY), name=f"si_labels_{group.get_name()}")
    return group
