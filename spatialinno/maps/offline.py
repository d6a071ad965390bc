"""Make folium maps self-contained: inline the vendored Leaflet / d3 / jQuery, drop unused CDN links.

A folium 0.20 map links Leaflet, jQuery, Bootstrap, Font Awesome and Leaflet.awesome-markers from
CDNs, and a branca colormap adds d3 3.5.5 when it renders. Opened without network such a page is
blank (``L is not defined``). This module swaps the map's :class:`branca.element.Figure` for an
:class:`OfflineFigure` whose ``render()``

1. renders the children as usual (that is when folium and branca add their ``<script src>`` and
   ``<link href>`` elements to the page header),
2. replaces each known link by a placeholder, removes the links no spatialinno map needs
   (Bootstrap, Font Awesome, awesome-markers, glyphicons) and refuses unknown external assets,
3. renders the page and substitutes the placeholders with the vendored files from
   ``spatialinno/_assets`` (see its README for versions and licences). d3 is inlined only when a
   branca colormap asked for it, jQuery only when the page script calls ``$(``/``jQuery``.

The substitution is done on the rendered string, not inside a branca ``Element``, because
``Element`` treats its text as a Jinja template and minified JavaScript contains ``{{``.

Geometry written as text
------------------------
A map of the 2,891 counties carries about 5 MB of coordinates. folium would parse them into Python
lists, dump them again with Jinja's ``tojson`` and then, in branca's wrapper (below), scan the
whole text once more as a template: about 1 s per county map. A :class:`GeometryTextGeoJson`
layer instead holds each geometry as ready GeoJSON text (made once per geometry by
:func:`spatialinno.maps.geojson.geometry_texts` and shared by every map of a process), gives folium
a small placeholder per feature (``{"si_geometry": "<layer id>:<i>", "type": ...}``) and
:meth:`OfflineFigure.render` puts the texts in place of the placeholders in the finished page,
where no template pass follows. The placeholders carry only the layer's hex id and a number, and
user text reaches the page only escaped (quotes as ``&quot;``), so no user text can look like one.

No second template pass
-----------------------
branca renders each folium element's macros to text and wraps that text in a new
:class:`branca.element.Element`, whose constructor compiles it as a Jinja template again; the page
render then *evaluates* it. Text that came from data (a region or column name holding
``{{ cycler.__init__.__globals__.os.system(...) }}``) would run Python at ``save()``. Before the
page is rendered, :class:`OfflineFigure` replaces every such wrapper by a :class:`LiteralElement`
that returns the already-rendered text unchanged. spatialinno's own builders additionally escape
every user string with :func:`spatialinno._escape.html_text` (braces as ``&#123;``/``&#125;``), so
no template delimiter reaches branca at all, not even one that would only fail to compile.

API for the other map modules (:mod:`spatialinno.maps.base` uses it for every map)::

    from spatialinno.maps.offline import make_offline, external_asset_urls
    m = make_offline(folium.Map(tiles=None))   # any folium.Map; returns the same object
    html = m.get_root().render()               # self-contained page
    assert external_asset_urls(html) == []
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import folium
from branca.element import Element, Figure, Link
from folium.elements import ElementAddToElement
from folium.features import GeoJsonStyleMapper
from folium.utilities import get_obj_in_upper_tree

from .._errors import OfflineAssetError

__all__ = [
    "ASSETS",
    "D3_VERSION",
    "GEOMETRY_KEY",
    "JQUERY_VERSION",
    "LEAFLET_VERSION",
    "Asset",
    "GeometryTextGeoJson",
    "LiteralElement",
    "OfflineFigure",
    "asset_text",
    "external_asset_urls",
    "freeze_rendered",
    "make_offline",
    "put_geometry_texts",
]

LEAFLET_VERSION = "1.9.3"
D3_VERSION = "3.5.5"
JQUERY_VERSION = "3.7.1"


@dataclass(frozen=True)
class Asset:
    """A vendored file under ``spatialinno/_assets`` and the link URLs it replaces."""

    key: str
    relpath: str
    kind: str  # "js" or "css"
    pattern: re.Pattern[str]  # matched against the URL folium/branca put in the header
    always: bool  # False: inline only when the page needs it (d3, jQuery)


ASSETS: tuple[Asset, ...] = (
    Asset("leaflet_js", "leaflet/leaflet.js", "js", re.compile(r"/leaflet(@[\d.]+)?/dist/leaflet\.js$|/leaflet(\.min)?\.js$"), True),
    Asset("leaflet_css", "leaflet/leaflet.css", "css", re.compile(r"/leaflet(@[\d.]+)?/dist/leaflet\.css$|/leaflet\.css$"), True),
    Asset("d3", "d3/d3.min.js", "js", re.compile(r"/d3(@3[\d.]*)?(/3\.[\d.]+)?/d3(\.min)?\.js$"), False),
    Asset("jquery", "jquery/jquery.min.js", "js", re.compile(r"/jquery-3[\d.]*(\.min)?\.js$|/jquery(@3[\d.]*)?/dist/jquery(\.min)?\.js$"), False),
)  # fmt: skip

# Links folium adds by default that no spatialinno map uses: they are dropped, not vendored.
# (Bootstrap styles only folium's own widgets; Font Awesome / awesome-markers only marker icons.)
DROPPED: tuple[re.Pattern[str], ...] = (
    re.compile(r"bootstrap", re.I),
    re.compile(r"glyphicons", re.I),
    re.compile(r"fontawesome|font-awesome", re.I),
    re.compile(r"awesome-markers|awesome\.rotate", re.I),
)

_PLACEHOLDER = "<!--spatialinno-asset:{key}-->"
# jQuery is needed when the page script uses it: folium.Popup(html) (``$(`...`)[0]``),
# LayerControl(keep_in_front) (``$(document).ready``), GeoJson(embed=False) (``$.ajax``).
_USES_JQUERY = re.compile(r"(?<![\w$.])(\$\s*\(|\$\.ajax|jQuery\s*[.(])")
# an external asset: script/img/iframe/source src, stylesheet link href, CSS url() or @import
_EXTERNAL_ASSET = re.compile(
    r"""<(?:script|img|iframe|source|embed|audio|video)\b[^>]*?\bsrc\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|<link\b[^>]*?\bhref\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|url\(\s*["']?((?:https?:)?//[^"')\s]+)"""
    r"""|@import\s+["']((?:https?:)?//[^"']+)""",
    re.I,
)


@cache
def asset_text(relpath: str) -> str:
    """Text of a vendored file, made safe to inline in ``<script>``/``<style>``.

    Source-map comments are removed (DevTools would try to fetch the ``.map`` file) and
    ``leaflet.css`` image URLs become ``data:`` URIs (the collapsed layer control and the default
    marker icon would otherwise request ``images/*.png`` next to the saved file).
    """
    root = files("spatialinno").joinpath("_assets")
    text = root.joinpath(relpath).read_text(encoding="utf-8")
    text = re.sub(r"^\s*//# sourceMappingURL=.*$", "", text, flags=re.M)
    text = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", text)
    if relpath.endswith(".css"):

        def to_data_uri(match: re.Match[str]) -> str:
            png = root.joinpath("leaflet", match.group(1)).read_bytes()
            return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

        text = re.sub(r"url\((images/[\w.-]+\.png)\)", to_data_uri, text)
    if relpath == "leaflet/leaflet.js":
        # Leaflet finds its default marker icon by reading the CSS background URL and appending
        # "marker-icon.png" to its directory; with a data: URI that yields a relative file URL
        # that does not exist. Give L.Icon.Default the images directly instead.
        def png(name: str) -> str:
            data = root.joinpath("leaflet", "images", name).read_bytes()
            return "data:image/png;base64," + base64.b64encode(data).decode("ascii")

        text += (
            '\nL.Icon.Default.imagePath = "";\nL.Icon.Default.mergeOptions({'
            f'iconUrl: "{png("marker-icon.png")}", iconRetinaUrl: "{png("marker-icon-2x.png")}", '
            f'shadowUrl: "{png("marker-shadow.png")}"}});\n'
        )
    # an HTML parser ends a <script> element at the first "</script": never let one through
    return text.replace("</script", "<\\/script").replace("</style", "<\\/style")


@cache
def _inline_tag(asset: Asset) -> str:
    """The ``<script>``/``<style>`` element of a vendored file, checked once to fetch nothing."""
    body = asset_text(asset.relpath)
    leaks = external_asset_urls(body)
    if leaks:  # a vendored file that fetches something is a packaging error, not a user's
        raise OfflineAssetError(
            f"the vendored {asset.relpath} references external assets: {', '.join(leaks[:5])}"
        )
    if asset.kind == "css":
        return f"<style>/* {asset.relpath}: see spatialinno/_assets/README.md */\n{body}\n</style>"
    return f"<script>/* {asset.relpath}: see spatialinno/_assets/README.md */\n{body}\n</script>"


def _classify(url: str) -> Asset | None:
    for asset in ASSETS:
        if asset.pattern.search(url):
            return asset
    if any(p.search(url) for p in DROPPED):
        return None
    raise OfflineAssetError(
        f"the map links the external asset {url!r}, which spatialinno does not vendor, so the saved "
        "file would need the network to open; remove the plugin that adds it, or build the map "
        "with offline=False"
    )


def external_asset_urls(html: str) -> list[str]:
    """URLs of scripts, stylesheets, images or CSS imports in ``html`` that would be fetched.

    Hyperlinks (``<a href>``) and XML namespaces are not assets and are not reported.

    >>> external_asset_urls('<script src="https://x.org/a.js"></script><a href="https://x.org">x</a>')
    ['https://x.org/a.js']
    """
    return [next(g for g in m.groups() if g) for m in _EXTERNAL_ASSET.finditer(html)]


class LiteralElement(Element):
    """An element whose text is written as it is: never parsed or evaluated as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "LiteralElement"
        self.text = str(text)

    def render(self, **kwargs: object) -> str:
        return self.text


def freeze_rendered(container: Element) -> int:
    """Replace branca's re-parsed wrappers in ``container`` by :class:`LiteralElement`; returns how many.

    A wrapper is a plain :class:`~branca.element.Element` built from a string (branca >= 0.7 keeps
    that string in ``_template_str``); elements of other classes keep their own rendering. Jinja
    drops one trailing newline of a template's text; the literal keeps the text exactly, which
    changes nothing in the page.

    >>> from branca.element import Element
    >>> box = Element()
    >>> box.add_child(Element("{{ 6 * 7 }}"), name="x")  # doctest: +ELLIPSIS
    <branca.element.Element object at ...>
    >>> freeze_rendered(box), box.render().strip()
    (1, '{{ 6 * 7 }}')
    """
    n = 0
    for name, child in list(container._children.items()):
        source = getattr(child, "_template_str", None)
        if type(child) is Element and source is not None:
            literal = LiteralElement(source)
            literal._parent = container
            container._children[name] = literal
            n += 1
    return n


#: key of the placeholder geometry folium writes for each feature of a GeometryTextGeoJson
GEOMETRY_KEY = "si_geometry"
# what Jinja's tojson makes of a placeholder (keys sorted; spaces allowed in case a folium
# version changes the JSON policy): {"si_geometry": "<32 hex>:<index>", "type": "Polygon"}
_GEOMETRY_PLACEHOLDER = re.compile(
    r'\{\s*"' + GEOMETRY_KEY + r'"\s*:\s*"([0-9a-f]{32}):(\d+)"\s*,\s*"type"\s*:\s*"[A-Za-z]+"\s*\}'
)


class GeometryTextGeoJson(folium.GeoJson):
    """A :class:`folium.GeoJson` layer whose geometries are written as ready GeoJSON text.

    ``data`` is a FeatureCollection whose features carry their ``id`` and ``properties``;
    ``geometry_texts`` holds the GeoJSON text of each feature's geometry (``None`` for a feature
    without one) and ``geometry_types`` its type (``"MultiPolygon"`` ...). The features get a
    placeholder geometry; folium styles and renders the layer as usual, and
    :meth:`OfflineFigure.render` replaces each placeholder by its text in the finished page.
    Everything else (styles, tooltips, panes, markers) is folium's own.
    """

    def __init__(
        self,
        data: dict[str, Any],
        geometry_texts: Sequence[str | None],
        geometry_types: Sequence[str | None],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.geometry_texts = list(geometry_texts)
        # the placeholders name the layer by its id, which exists only now
        features = self.data["features"]
        for i, (feature, kind) in enumerate(zip(features, geometry_types, strict=True)):
            feature["geometry"] = (
                None if kind is None else {GEOMETRY_KEY: f"{self._id}:{i}", "type": kind}
            )

    def render(self, **kwargs: Any) -> None:
        """folium's render, without its per-feature work where the layer allows it.

        folium's ``GeoJson.render`` calls the style (and highlight) function and ``json.dumps``
        once per feature, then ``MacroElement.render`` wraps the script in a branca ``Element``,
        which parses it again as a template (see "No second template pass"). Here the same style
        maps are built with one ``json.dumps`` per distinct style, and the script is added as a
        :class:`LiteralElement`. Anything this shortcut does not cover (a style holding folium
        objects, class includes, a page that is not an :class:`OfflineFigure`) takes folium's
        own path.
        """
        root = self.get_root()
        if not isinstance(root, OfflineFigure):
            # rendered by a page that does not replace placeholders: put the geometries in
            for feature, text in zip(self.data["features"], self.geometry_texts, strict=True):
                if text is not None:
                    feature["geometry"] = json.loads(text)
            self.geometry_texts = [None] * len(self.geometry_texts)
            return super().render(**kwargs)
        script = getattr(self._template.module, "script", None)
        maps = {
            kind: self._style_map(getattr(self, f"{kind}_function"))
            for kind, on in (("style", self.style), ("highlight", self.highlight))
            if on
        }
        if self.includes or script is None or any(v is None for v in maps.values()):
            return super().render(**kwargs)
        self.parent_map = get_obj_in_upper_tree(self, folium.Map)
        for kind, mapping in maps.items():
            setattr(self, f"{kind}_map", mapping)
        if self.show:  # what folium.map.Layer.render adds
            self.add_child(
                ElementAddToElement(
                    element_name=self.get_name(), element_parent_name=self._parent.get_name()
                ),
                name=self.get_name() + "_add",
            )
        root.script.add_child(LiteralElement(script(self, kwargs)), name=self.get_name())
        for child in list(self._children.values()):
            child.render(**kwargs)

    def _style_map(self, function: Any) -> dict[str, Any] | None:
        """folium's style map (style JSON -> feature ids, the largest group as "default"), made
        with one ``json.dumps`` per distinct style; None when a style holds anything but plain
        values (folium then renders the layer itself)."""
        if self.feature_identifier != "feature.id" or not self.data["features"]:
            return None
        mapping: dict[str, Any] = {}
        keys: dict[tuple[Any, ...], str] = {}
        for feature in self.data["features"]:
            content = function(feature)
            if not all(isinstance(v, (str, int, float, bool)) for v in content.values()):
                return None
            plain = tuple(sorted(content.items()))
            key = keys.get(plain)
            if key is None:
                key = keys[plain] = GeoJsonStyleMapper._to_key(content)
            mapping.setdefault(key, []).append(feature["id"])
        GeoJsonStyleMapper._set_default_key(mapping)
        return mapping


def put_geometry_texts(html: str, root: Element) -> str:
    """``html`` with every geometry placeholder of the :class:`GeometryTextGeoJson` layers under
    ``root`` replaced by the geometry's GeoJSON text."""
    texts: dict[str, list[str | None]] = {}
    stack = [root]
    while stack:
        element = stack.pop()
        if isinstance(element, GeometryTextGeoJson):
            texts[element._id] = element.geometry_texts
        stack.extend(element._children.values())
    if not texts:
        return html

    def text_of(match: re.Match[str]) -> str:
        layer = texts.get(match.group(1))
        if layer is None:  # not one of ours: leave it as it is
            return match.group(0)
        return layer[int(match.group(2))] or "null"

    return _GEOMETRY_PLACEHOLDER.sub(text_of, html)


class OfflineFigure(Figure):
    """A branca Figure that renders a self-contained page (vendored assets inlined, no CDN).

    Rendered text is written as it is (:func:`freeze_rendered`): no second template pass.
    """

    def render(self, **kwargs: object) -> str:
        for child in self._children.values():
            child.render(**kwargs)  # folium/branca add their <script src>/<link href> here
        for part in (self.header, self.html, self.script):
            freeze_rendered(part)
        needed: dict[str, Asset] = {}
        header = self.header._children
        for name, child in list(header.items()):
            if not isinstance(child, Link):
                continue
            asset = _classify(child.url)
            if asset is None:
                del header[name]
                continue
            # same key keeps the header position, so Leaflet still loads before its users
            header[name] = LiteralElement(_PLACEHOLDER.format(key=asset.key))
            needed[asset.key] = asset
        html = self._template.render(this=self, kwargs=kwargs)
        # Both scans read the page before the geometry and the vendored files go in: the
        # geometry is numbers only and each vendored file is checked once (_inline_tag), so the
        # result is the same as on the finished page, which is ten times longer.
        leaks = external_asset_urls(html)
        if leaks:
            raise OfflineAssetError(
                f"the rendered map still references external assets: {', '.join(leaks[:5])}; "
                "remove the elements that add them or build the map with offline=False"
            )
        uses_jquery = _USES_JQUERY.search(html) is not None
        html = put_geometry_texts(html, self)
        for key, asset in needed.items():
            placeholder = _PLACEHOLDER.format(key=key)
            # d3 is linked only by a branca colormap that renders, so a linked d3 is a used d3
            use = key != "jquery" or uses_jquery
            html = html.replace(placeholder, _inline_tag(asset) if use else "", 1)
        return html


def make_offline(m: object) -> object:
    """Re-parent ``m`` (a folium Map) into an :class:`OfflineFigure`; returns ``m``.

    After this, ``m.save(path)``, ``m.get_root().render()`` and Jupyter's inline display all
    produce a page with Leaflet (and d3/jQuery when used) inlined and no CDN link.

    >>> import folium
    >>> m = make_offline(folium.Map(tiles=None))
    >>> html = m.get_root().render()
    >>> external_asset_urls(html), "L.version" in html or "leaflet" in html.lower()
    ([], True)
    """
    old = getattr(m, "_parent", None)
    fig = OfflineFigure()
    if isinstance(old, Figure):  # keep the size the user gave folium.Map(width=, height=)
        fig.width, fig.height, fig.ratio, fig.title = old.width, old.height, old.ratio, old.title
        for name, child in old.header._children.items():
            fig.header.add_child(child, name=name)
        old._children.pop(m.get_name(), None)
    fig.add_child(m)
    return m
