"""The shared base of every web map: the offline page, layers of features, legend, title, text.

Every map kind (:mod:`~spatialinno.maps.choropleth`, :mod:`~spatialinno.maps.clusters`,
:mod:`~spatialinno.maps.study`, :mod:`~spatialinno.maps.network`) is built from the public helpers
below, and so is a new one. What every map gets from them:

* an offline page: Leaflet's JavaScript and CSS (and d3/jQuery when used) are inlined from
  ``spatialinno/_assets`` by :mod:`spatialinno.maps.offline`, so ``m.save("map.html")`` writes one
  self-contained file; no background tiles unless ``tiles=`` asks for them;
* a title box, and legends whose rows (:class:`spatialinno.styles.LegendRow`: colours, labels,
  counts) come from :mod:`spatialinno.styles`, the same ones the QGIS export and the print figures use;
* user text as data, never as code: every name, column, label, title, unit or note passes through
  :func:`safe_text` (:func:`spatialinno._escape.html_text`: HTML entities, and ``{``/``}`` as
  ``&#123;``/``&#125;`` so branca's template pass cannot see ``{{ ... }}`` or ``{% ... %}``)
  before it reaches folium, and the title/legend script is built in Python with
  :func:`spatialinno._escape.script_json`, not with a template;
* the national border lines (境界线, incl. the South China Sea line) on top in their own
  non-interactive pane, and a layer control (:func:`finish`) when there is more than one layer;
* words in Chinese or English (``lang="zh"|"en"``, :data:`spatialinno.styles.TEXT`).

Several map kinds can share one map: each map function takes ``m=`` (like
``GeoDataFrame.explore(m=...)``) and :func:`start_map` then prepares that map instead of making a
new one; :func:`finish` rebuilds the layer control after the last layer.

Coordinates: EPSG:4490 (CGCS2000) longitude/latitude in degrees. Leaflet expects WGS84; the two
datums differ by centimetres, far below what a web map can show, so no transformation is done.

>>> m = base_map("示例 <b>", lang="zh")
>>> add_legend(m, "图例", [LegendRow("#d7191c", "高-高集聚", count=3)], ["注"])
>>> add_border_lines(m) is not None, finish(m) is m
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from string import Template
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement

from .. import styles
from .._errors import InputError
from .._escape import css_color, html_text, script_json
from ..styles import LegendRow, check_lang
from .geojson import COORD_DECIMALS, feature_collection, geometry_texts
from .offline import GeometryTextGeoJson, LiteralElement, OfflineFigure, make_offline

__all__ = [
    "CHINA_BOUNDS",
    "COORD_DECIMALS",
    "NO_DATA_FILL",
    "PANES",
    "LegendRow",
    "MapScript",
    "add_border_lines",
    "add_features",
    "add_legend",
    "add_outline",
    "add_regions",
    "add_title",
    "base_map",
    "boundary_layer",
    "check_lang",
    "ensure_pane",
    "feature_collection",
    "finish",
    "geometry_texts",
    "legend_html",
    "region_fill",
    "safe_text",
    "start_map",
]

# Whole of China incl. the South China Sea islands, [[south, west], [north, east]] in degrees
CHINA_BOUNDS: list[list[float]] = [[3.4, 73.4], [53.6, 135.1]]

# Leaflet panes above the default overlay pane (z-index 400): borders and outlines must stay on
# top of the coloured regions even after a user toggles the regions layer off and on again;
# place-name labels above everything drawn (network nodes are at 460), below tooltips (650).
PANES: dict[str, int] = {"si-outlines": 430, "si-points": 440, "si-borders": 450, "si-labels": 470}
_INTERACTIVE_PANES = ("si-points",)

# The fill of a unit without data: white with grey diagonal hatching (an SVG pattern added to
# the page once), never a flat grey that could read as a class or as "not significant".
NO_DATA_FILL = "url(#si-no-data)"

_CSS = Template("""
.si-title{position:absolute;top:10px;left:50%;transform:translateX(-50%);z-index:800;
 background:rgba(255,255,255,.92);padding:6px 14px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.3);font:600 16px/1.3 "Noto Sans CJK SC","Microsoft YaHei",
 "PingFang SC",sans-serif;color:$text;max-width:60%;text-align:center;pointer-events:none}
.si-legend{background:rgba(255,255,255,.94);padding:8px 10px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.45 "Noto Sans CJK SC","Microsoft YaHei",
 sans-serif;color:$text;max-width:300px}
.si-legend-title{font-weight:600;margin-bottom:4px}
.si-legend-row{display:flex;align-items:center;gap:6px;white-space:nowrap}
.si-swatch{display:inline-block;width:18px;height:12px;border:1px solid $swatch_border;flex:none}
.si-swatch-circle{display:inline-block;border-radius:50%;border:1.5px solid $symbol_border;flex:none}
.si-swatch-line{display:inline-block;width:18px;height:0;border-top:3px solid $symbol_border;flex:none}
.si-swatch-svg{display:inline-block;flex:none;overflow:visible}
.si-label{background:none;border:none;white-space:nowrap;pointer-events:none;visibility:hidden;
 font:500 12px/1.15 "Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;color:$label_text;
 text-shadow:-1px -1px 0 $label_halo,1px -1px 0 $label_halo,-1px 1px 0 $label_halo,
 1px 1px 0 $label_halo,0 0 3px $label_halo}
.si-label-small{font-size:10.5px;font-weight:400}
.si-label-capital{font-weight:700;color:$label_capital}
.leaflet-control-scale-line{background:rgba(255,255,255,.85)}
.leaflet-control-layers-expanded{padding:4px 8px 4px 6px;
 font:12px/1.45 "Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif}
.leaflet-control-layers-expanded label{margin:0;font-weight:400}
.si-legend-note{margin-top:4px;color:$note;font-size:11px;white-space:normal}
.si-legend-count{color:$count}
.leaflet-container.si-map{background:$background}
.leaflet-tooltip table td,.leaflet-tooltip table th{padding:1px 4px;text-align:left}
""").substitute(
    styles.MAP_COLORS,
    label_text=styles.LABEL_COLORS["text"],
    label_halo=styles.LABEL_COLORS["halo"],
    label_capital=styles.LABEL_COLORS["capital"],
)
_DASH = re.compile(r"^\d+(\.\d+)?( \d+(\.\d+)?)*$")


# --------------------------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------------------------
def safe_text(value: object) -> str:
    """Any text shown on a map (tooltip, legend, title, layer name), made inert; missing -> "—".

    Leaflet inserts these strings as HTML, and folium/branca pass them through a Jinja template
    pass: :func:`spatialinno._escape.html_text` makes them inert for both.

    >>> safe_text("<b>{{ 7*7 }}</b>"), safe_text(None)
    ('&lt;b&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/b&gt;', '—')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "—"
    return html_text(value)


def _css(color: str) -> str:
    """A colour for a ``style`` attribute: checked to be a colour, then attribute-escaped."""
    return safe_text(css_color(color))


class _Html(MacroElement):
    """A Leaflet control (or the title box) whose inner HTML is built, and escaped, in Python.

    The script is a fixed text with the HTML passed as a JSON string
    (:func:`spatialinno._escape.script_json`) and added as a :class:`LiteralElement`: no
    template ever sees the text, so nothing in a title or legend can be evaluated.
    """

    _POSITIONS = ("title", "topleft", "topright", "bottomleft", "bottomright")

    def __init__(self, inner_html: str, position: str, css_class: str) -> None:
        super().__init__()
        if position not in self._POSITIONS:
            raise InputError(
                f"position must be one of {', '.join(self._POSITIONS)}, not {position!r}"
            )
        self._name = "SiHtml"
        self.html = inner_html  # already escaped by the caller (safe_text / legend_html)
        self.position = position
        self.css_class = css_class

    def script(self) -> str:
        """The JavaScript that adds the box to the map (``div.innerHTML = "<JSON string>";``)."""
        head = (
            "(function () {\n"
            f"    var map = {self._parent.get_name()};\n"
            "    map.getContainer().classList.add('si-map');\n"
        )
        if self.position == "title":
            body = (
                f"    var div = L.DomUtil.create('div', {script_json(self.css_class)}, "
                "map.getContainer());\n"
                f"    div.innerHTML = {script_json(self.html)};\n"
            )
        else:
            body = (
                f"    var ctl = L.control({{position: {script_json(self.position)}}});\n"
                "    ctl.onAdd = function () {\n"
                f"        var div = L.DomUtil.create('div', {script_json(self.css_class)});\n"
                f"        div.innerHTML = {script_json(self.html)};\n"
                "        L.DomEvent.disableClickPropagation(div);\n"
                "        L.DomEvent.disableScrollPropagation(div);\n"
                "        return div;\n"
                "    };\n"
                "    ctl.addTo(map);\n"
            )
        return head + body + "})();\n"

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        _add_css(figure)
        figure.script.add_child(LiteralElement(self.script()), name=self.get_name())


def _add_css(figure: Any) -> None:
    # one copy of the stylesheet per page, whatever the number of controls
    figure.header.add_child(LiteralElement(f"<style>{_CSS}</style>"), name="si_css")


class MapScript(MacroElement):
    """A fixed piece of JavaScript run on the map it is added to, never parsed as a template.

    ``text`` is written as it is, with every ``__MAP__`` replaced by the map's variable name; it
    must not hold user text except as :func:`spatialinno._escape.script_json` data. ``library``
    (optional, with a ``key``) is shared code written once per page before the first script
    that needs it.
    """

    def __init__(self, text: str, library: tuple[str, str] | None = None) -> None:
        super().__init__()
        self._name = "SiScript"
        self.text = text
        self.library = library

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        _add_css(figure)
        if self.library is not None:
            key, code = self.library
            figure.script.add_child(LiteralElement(code), name=key)
        text = self.text.replace("__MAP__", self._parent.get_name())
        figure.script.add_child(LiteralElement(text), name=self.get_name())


# white with grey diagonal lines (NO_DATA_HATCH), 6 px apart; referenced as NO_DATA_FILL
_NO_DATA_PATTERN = Template(
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
    '<pattern id="si-no-data" patternUnits="userSpaceOnUse" width="6" height="6" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="$background"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="$line" stroke-width="2"/></pattern>'
    "</defs></svg>"
).substitute(styles.NO_DATA_HATCH)


class _NoDataPattern(MacroElement):
    """Adds the SVG pattern of :data:`NO_DATA_FILL` to the page body (once per page)."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "SiNoData"

    def render(self, **kwargs: Any) -> None:
        self.get_root().html.add_child(LiteralElement(_NO_DATA_PATTERN), name="si_no_data")


def region_fill(color: str | None) -> str:
    """The fill of a region: ``color``, or the hatched no-data pattern for None / no data."""
    if color is None or color == styles.NO_DATA_COLOR:
        return NO_DATA_FILL
    return color


def _swatch(r: LegendRow, border: str) -> str:
    """The swatch of a legend row: box (flat or hatched), circle or line (solid or dashed)."""
    if r.shape == "circle":
        d = 2 * r.size
        return (
            f'<span class="si-swatch-circle" style="width:{d:.0f}px;height:{d:.0f}px;'
            f'background:{_css(r.color)};border-color:{_css(r.border or border)}"></span>'
        )
    if r.shape == "line":
        if r.dash is None:
            return f'<span class="si-swatch-line" style="border-top-color:{_css(r.color)}"></span>'
        if not _DASH.match(r.dash):
            raise InputError(f"a dash pattern is numbers separated by spaces, not {r.dash!r}")
        return (
            '<svg class="si-swatch-svg" width="26" height="10" aria-hidden="true">'
            f'<line x1="1" y1="5" x2="25" y2="5" stroke="{_css(r.color)}" stroke-width="3" '
            f'stroke-dasharray="{r.dash}" stroke-linecap="butt"/></svg>'
        )
    if r.pattern == "hatch":
        bg = styles.NO_DATA_HATCH["background"]
        return (
            '<span class="si-swatch" style="background:repeating-linear-gradient(45deg,'
            f'{_css(r.color)} 0 1.2px,{_css(bg)} 1.2px 4px)"></span>'
        )
    return f'<span class="si-swatch" style="background:{_css(r.color)}"></span>'


def legend_html(
    title: str, rows: Sequence[LegendRow], notes: Iterable[str] = (), lang: str = "zh"
) -> str:
    """The inner HTML of a legend: title, one line per row (swatch, label, count), notes; escaped.

    >>> legend_html("t", [LegendRow("#d7191c", "<a>", count=2)], lang="en")  # doctest: +ELLIPSIS
    '<div class="si-legend-title">t</div>...&lt;a&gt; <span class="si-legend-count">(2)</span>...'
    """
    parts = [f'<div class="si-legend-title">{safe_text(title)}</div>']
    border = styles.MAP_COLORS["symbol_border"]
    for r in rows:
        sw = _swatch(r, border)
        count = ""
        if r.count is not None:
            n = styles.TEXT[check_lang(lang)]["n"]
            count = f' <span class="si-legend-count">({r.count}{n})</span>'
        parts.append(
            f'<div class="si-legend-row">{sw}<span>{safe_text(r.label)}{count}</span></div>'
        )
    parts.extend(f'<div class="si-legend-note">{safe_text(n)}</div>' for n in notes)
    return "".join(parts)


# --------------------------------------------------------------------------------------------
# the map
# --------------------------------------------------------------------------------------------
def ensure_pane(m: folium.Map, name: str, z_index: int, pointer_events: bool = False) -> None:
    """Add the Leaflet pane ``name`` at ``z_index`` unless ``m`` already has it."""
    for child in m._children.values():
        if isinstance(child, folium.map.CustomPane) and child.name == name:
            return
    folium.map.CustomPane(name, z_index=z_index, pointer_events=pointer_events).add_to(m)


def add_title(m: folium.Map, title: str) -> None:
    """The title box at the top of the map (escaped here)."""
    m.add_child(_Html(safe_text(title), "title", "si-title"), name="si_title")


def base_map(
    title: str,
    lang: str = "zh",
    tiles: str | None = None,
    bounds: Sequence[Sequence[float]] | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
) -> folium.Map:
    """An offline folium Map with a title box, fitted to ``bounds`` (default: all of China).

    ``bounds`` is ``[[south, west], [north, east]]`` in degrees. ``tiles`` is passed to
    :class:`folium.Map` (``None``: no background, nothing fetched; a name such as
    ``"OpenStreetMap"`` or an URL template loads online tiles). The Map is already re-parented
    into :class:`spatialinno.maps.offline.OfflineFigure`, so layers added later are inlined too.
    """
    check_lang(lang)
    m = folium.Map(
        location=[35.0, 104.0],
        zoom_start=4,
        tiles=tiles,
        width=width,
        height=height,
        zoom_snap=0.25,
        control_scale=False,  # Leaflet's default scale adds miles: a metric one is added below
    )
    make_offline(m)
    m.fit_bounds(bounds if bounds is not None else CHINA_BOUNDS)
    for pane, z in PANES.items():
        ensure_pane(m, pane, z, pointer_events=pane in _INTERACTIVE_PANES)
    add_title(m, title)
    scale = "L.control.scale({metric: true, imperial: false, maxWidth: 160}).addTo(__MAP__);\n"
    m.add_child(MapScript(scale), name="si_scale")
    return m


def start_map(m: folium.Map | None, title: str, lang: str = "zh", **kwargs: Any) -> folium.Map:
    """The map a map kind draws on: a new :func:`base_map`, or ``m`` made ready for more layers.

    With ``m`` (any :class:`folium.Map`, e.g. one made by another spatialinno map or by
    ``GeoDataFrame.explore()``) the map keeps its title, tiles, size and view; it is made offline
    if it is not already, and gets the spatialinno panes. ``kwargs`` go to :func:`base_map`.
    """
    if m is None:
        return base_map(title, lang=lang, **kwargs)
    if not isinstance(m, folium.Map):
        raise InputError(f"m must be a folium.Map (or None for a new map), not {type(m).__name__}")
    check_lang(lang)
    if not isinstance(m.get_root(), OfflineFigure):
        make_offline(m)
    for pane, z in PANES.items():
        ensure_pane(m, pane, z, pointer_events=pane in _INTERACTIVE_PANES)
    return m


def add_features(
    m: folium.Map,
    frame: gpd.GeoDataFrame,
    style: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    name: str,
    *,
    tooltip_rows: Mapping[str, Sequence[object]] | None = None,
    id_prefix: str = "f",
    **geojson: Any,
) -> folium.GeoJson:
    """One GeoJson layer of the rows of ``frame``: one Leaflet style for all, or one per row.

    ``tooltip_rows`` maps a label to one *already formatted* value per row; labels, values and
    the layer ``name`` are escaped here (Leaflet's tooltip and the layer control insert them as
    HTML). ``geojson`` goes to :class:`folium.GeoJson` (``pane=``, ``marker=``,
    ``interactive=``, ``highlight_function=``, ``smooth_factor=`` ...). The geometries are
    written as ready text (:class:`~spatialinno.maps.offline.GeometryTextGeoJson`), never
    parsed into Python lists.
    """
    ids = [f"{id_prefix}{i}" for i in range(len(frame))]
    rows = dict(tooltip_rows or {})
    fields = [f"t{j}" for j in range(len(rows))]
    columns = [[safe_text(v) for v in vals] for vals in rows.values()]
    if isinstance(style, Mapping):
        style_function = lambda f: style  # noqa: E731 -- one style for every feature
    else:
        by_id = dict(zip(ids, style, strict=True))
        style_function = lambda f: by_id[f["id"]]  # noqa: E731
    if rows:
        geojson["tooltip"] = folium.GeoJsonTooltip(
            fields=fields, aliases=[safe_text(k) for k in rows], labels=True, sticky=True
        )
    texts, kinds = geometry_texts(frame.geometry.to_numpy())
    features = [
        {
            "type": "Feature",
            "id": fid,
            "properties": {f: col[i] for f, col in zip(fields, columns, strict=True)},
            "geometry": None,
        }
        for i, fid in enumerate(ids)
    ]
    layer = GeometryTextGeoJson(
        {"type": "FeatureCollection", "features": features},
        texts,
        kinds,
        name=safe_text(name),  # the layer control inserts names as HTML
        style_function=style_function,
        **geojson,
    )
    layer.add_to(m)
    return layer


def add_regions(
    m: folium.Map,
    frame: gpd.GeoDataFrame,
    fill: Sequence[str],
    tooltip_rows: Mapping[str, Sequence[object]],
    name: str,
    class_name: str = "si-region",
    fill_opacity: float = 0.85,
) -> folium.GeoJson:
    """Polygons of ``frame`` filled with ``fill`` (one colour per row), hover tooltips, one path each.

    A fill of ``None`` or :data:`spatialinno.styles.NO_DATA_COLOR` is drawn as no data: the
    hatched :data:`NO_DATA_FILL`.

    ``tooltip_rows`` maps a label to one *already formatted* string per row (escaped here).
    ``class_name`` is the SVG class of the paths, which lets tests and users count them.
    """
    fills = [region_fill(color) for color in fill]
    if NO_DATA_FILL in fills:
        m.add_child(_NoDataPattern(), name="si_no_data_pattern")
    style = [
        {
            "fillColor": color,
            "fillOpacity": fill_opacity,
            "color": styles.BORDER_COLOR,
            "weight": 0.6,
            "className": class_name,
        }
        for color in fills
    ]
    highlight = {"weight": 2.5, "color": styles.HIGHLIGHT_COLOR, "fillOpacity": 0.95}
    return add_features(
        m,
        frame,
        style,
        name,
        tooltip_rows=tooltip_rows,
        highlight_function=lambda f: highlight,
        smooth_factor=0.5,
    )


def boundary_layer(level: str) -> gpd.GeoDataFrame:
    """The simplified boundary layer of ``level`` that every web map draws (EPSG:4490)."""
    from ..boundaries.load import load_boundaries

    return load_boundaries(level, simplified=True)


def add_outline(
    m: folium.Map,
    frame: gpd.GeoDataFrame | str,
    name: str,
    lang: str = "zh",
    color: str = styles.NATIONAL_BORDER_COLOR,
    weight: float = 2.5,
    class_name: str = "si-outline",
) -> folium.GeoJson:
    """Unfilled outlines (a polygon frame, or a level name such as ``"province"``), non-interactive."""
    if isinstance(frame, str):
        frame = boundary_layer(frame)
    style = {"fill": False, "color": color, "weight": weight, "className": class_name}
    return add_features(m, frame, style, name, id_prefix="o", pane="si-outlines", interactive=False)


def add_border_lines(m: folium.Map, lang: str = "zh") -> folium.GeoJson:
    """The national border lines (境界线 incl. the South China Sea line), on top of everything.

    Added once per map: a second map kind drawn on the same map reuses the layer.
    """
    from ..boundaries.load import load_boundaries

    for child in m._children.values():
        if getattr(child, "_si_border_lines", False):
            return child
    style = {
        "color": styles.NATIONAL_BORDER_COLOR,
        "weight": 1.6,
        "opacity": 0.95,
        "className": "si-border",
    }
    name = styles.TEXT[check_lang(lang)]["borders"]
    lines = load_boundaries("lines")
    layer = add_features(m, lines, style, name, id_prefix="b", pane="si-borders", interactive=False)
    layer._si_border_lines = True
    return layer


def add_legend(
    m: folium.Map,
    title: str,
    rows: Sequence[LegendRow],
    notes: Iterable[str] = (),
    lang: str = "zh",
    position: str = "bottomright",
) -> None:
    """A legend control (plain HTML, no d3 needed); every text is escaped."""
    m.add_child(_Html(legend_html(title, rows, notes, lang), position, "si-legend"))


_UNESCAPED = re.compile(r"[<>\"'{}]")


def finish(m: folium.Map) -> folium.Map:
    """Add the layer control when the map has more than one toggleable layer; returns ``m``.

    Call it after the last layer: the control lists the layers present when it is added, so a
    control added earlier (by a map kind drawn before on the same map) is replaced.
    """
    # the control's script refers to every layer by variable name, so it must come after the
    # last layer: drop a control added earlier and add a fresh one at the end
    for key in [k for k, c in m._children.items() if isinstance(c, folium.LayerControl)]:
        del m._children[key]
    # safety net: the layer control inserts names as HTML, and safe_text output never holds
    # these characters, so a name holding one was added without safe_text -- escape it here
    for c in m._children.values():
        name = getattr(c, "layer_name", None)
        if isinstance(c, folium.map.Layer) and isinstance(name, str) and _UNESCAPED.search(name):
            c.layer_name = safe_text(name)
    n_layers = sum(
        isinstance(c, folium.map.Layer) and not isinstance(c, folium.raster_layers.TileLayer)
        for c in m._children.values()
    )
    if n_layers > 1:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return m
