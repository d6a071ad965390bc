"""Open exported layers in real QGIS (PyQGIS, headless) and report what QGIS sees.

QGIS is not importable from the project's Python: Debian's ``python3-qgis`` belongs to the system
interpreter (``/usr/bin/python3``). So the harness writes a small PyQGIS script, runs it with that
interpreter under ``QT_QPA_PLATFORM=offscreen`` and reads back a JSON report per layer:

* ``valid``, ``feature_count``, ``crs`` (auth id), ``geometry_type``, ``fields`` (name, type),
  ``first_features`` (attribute dicts), ``cjk_values`` / ``mojibake_values`` (text check);
* ``renderer``: type, class attribute (and whether the layer has that field), categories
  (value, label, colour) or ranges (lower, upper, label, colour);
* ``feature_colors``: the fill colour QGIS' renderer picks for every feature, in file order
  (``None`` when the renderer draws nothing for it), so a test can check the classification;
  ``features_with_several_symbols`` counts features drawn more than once (overlapping rules);
* ``title`` / ``abstract``: the layer's metadata title and abstract as QGIS reads them (for a
  GeoPackage: ``gpkg_contents.identifier`` / ``description``; with ``default_metadata`` in the
  spec, a Shapefile's ``.qmd`` is read first, as QGIS does when it adds the layer);
  ``added_name``: the name QGIS gives the layer when it is added from its file;
* ``messages``: everything QGIS and GDAL logged while opening the layer (level, tag, text);
* ``render``: a PNG drawn by QGIS' map renderer, with the count of non-background pixels and the
  most frequent colours.

Everything runs in one QGIS process per call (QGIS starts in ~2 s), and the process ends with
``os._exit`` because PyQGIS tends to crash during interpreter teardown.

Use :data:`requires_qgis` (a ``pytest.mark.skipif``) on tests: they skip only when the system
interpreter cannot import ``qgis.core``.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

QGIS_PYTHON = os.environ.get("SPATIALINNO_QGIS_PYTHON", "/usr/bin/python3")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    runtime = Path(tempfile.gettempdir()) / f"qgis-runtime-{os.getuid()}"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    # the project's virtualenv must not leak into the system interpreter
    for var in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(var, None)
    return env


@functools.lru_cache(maxsize=1)
def qgis_available() -> bool:
    """True when the system interpreter can import ``qgis.core`` (Debian ``python3-qgis``)."""
    if not Path(QGIS_PYTHON).exists():
        return False
    try:
        proc = subprocess.run(
            [QGIS_PYTHON, "-c", "import qgis.core"],
            capture_output=True,
            timeout=120,
            env=_env(),
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


requires_qgis = pytest.mark.skipif(
    not qgis_available(),
    reason=f"QGIS not installed ({QGIS_PYTHON} cannot import qgis.core); "
    "apt-get install --no-install-recommends python3-qgis",
)


_SCRIPT = r"""
import json, os, re, sys
from qgis.core import (Qgis, QgsApplication, QgsExpression, QgsExpressionContext, QgsExpressionContextUtils,
                       QgsMapRendererSequentialJob, QgsMapSettings, QgsProviderRegistry, QgsRectangle,
                       QgsRenderContext, QgsVectorLayer, QgsWkbTypes)
from qgis.PyQt.QtCore import QSize, QVariant
from qgis.PyQt.QtGui import QColor, QImage

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# UTF-8 read as Latin-1/cp1252 ("åŒ—äº¬"): a lead byte U+00C3..U+00EF followed by continuation
# bytes U+0080..U+00BF or cp1252 punctuation; C1 controls; the replacement character. A lone
# accented letter (Lüliang) is not mojibake.
MOJIBAKE = re.compile(
    r"[\u00c3-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    r"\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|[\u0080-\u009f\ufffd]"
)


def py(v):
    if v is None:
        return None
    if isinstance(v, QVariant):
        if v.isNull():
            return None
        v = v.value()
    if hasattr(v, "toString") and not isinstance(v, str):
        try:
            return v.toString("yyyy-MM-ddTHH:mm:ss")
        except TypeError:
            return v.toString()
    if isinstance(v, (int, float, str, bool)):
        return v
    return str(v)


def renderer_info(layer):
    r = layer.renderer()
    if r is None:
        return {"type": None}
    out = {"type": r.type()}
    if r.type() in ("categorizedSymbol", "graduatedSymbol"):
        out["attribute"] = attr = r.classAttribute()
        found = layer.fields().lookupField(attr) >= 0
        if not found:  # an expression: valid, and every field it reads is in the layer
            e = QgsExpression(attr)
            cols = e.referencedColumns()
            found = not e.hasParserError() and bool(cols) and all(
                layer.fields().lookupField(c) >= 0 for c in cols)
        out["attribute_found"] = found
    if r.type() == "categorizedSymbol":
        out["categories"] = [
            {"value": py(c.value()), "label": c.label(),
             "color": c.symbol().color().name() if c.symbol() else None}
            for c in r.categories()
        ]
    elif r.type() == "graduatedSymbol":
        out["ranges"] = [
            {"lower": g.lowerValue(), "upper": g.upperValue(), "label": g.label(),
             "color": g.symbol().color().name() if g.symbol() else None}
            for g in r.ranges()
        ]
    elif r.type() == "RuleRenderer":
        out["rules"] = [
            {"label": x.label(), "filter": x.filterExpression(), "else": x.isElse(),
             "color": x.symbol().color().name() if x.symbol() else None}
            for x in r.rootRule().children()
        ]
    elif r.type() == "singleSymbol":
        out["color"] = r.symbol().color().name()
    return out


def feature_colors(layer):
    r = layer.renderer().clone()
    ctx = QgsRenderContext()
    # field values must be visible to expressions (rule filters, expression class attributes)
    ctx.setExpressionContext(
        QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    )
    r.startRender(ctx, layer.fields())
    colors, multiple = [], 0
    for f in layer.getFeatures():
        ctx.expressionContext().setFeature(f)
        # symbolsForFeature, not symbolForFeature: the rule-based renderer returns no single
        # symbol; a feature matched by several rules is drawn several times, so count those
        syms = r.symbolsForFeature(f, ctx)
        colors.append(syms[0].color().name() if syms else None)
        multiple += len(syms) > 1
    r.stopRender(ctx)
    return colors, multiple


def render(layer, png, size):
    import numpy as np
    ms = QgsMapSettings()
    ms.setLayers([layer])
    ms.setDestinationCrs(layer.crs())
    ext = QgsRectangle(layer.extent())
    ext.scale(1.05)
    ms.setExtent(ext)
    ms.setOutputSize(QSize(*size))
    ms.setBackgroundColor(QColor(255, 255, 255))
    ms.setOutputDpi(96)
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    img = job.renderedImage().convertToFormat(QImage.Format_RGB32)
    ok = img.save(png, "PNG")
    ptr = img.constBits()
    ptr.setsize(img.sizeInBytes())
    arr = np.frombuffer(ptr, dtype=np.uint8).reshape(img.height(), img.bytesPerLine())
    px = arr[:, : img.width() * 4].reshape(img.height(), img.width(), 4)
    rgb = (px[..., 2].astype(np.uint32) << 16) | (px[..., 1].astype(np.uint32) << 8) | px[..., 0]
    values, counts = np.unique(rgb, return_counts=True)
    order = np.argsort(-counts)[:40]
    top = {"#%06x" % int(values[i]): int(counts[i]) for i in order}
    nonbg = int(rgb.size - counts[values == 0xFFFFFF].sum())
    return {"png": png, "saved": bool(ok), "size": [img.width(), img.height()],
            "errors": [e.message for e in job.errors()],
            "nonbackground_pixels": nonbg, "nonbackground_fraction": nonbg / rgb.size,
            "top_colors": top}


def inspect(spec, messages):
    path = spec["path"]
    uri = path + (f"|layername={spec['layer']}" if spec.get("layer") else "")
    first = len(messages)
    layer = QgsVectorLayer(uri, spec.get("layer") or os.path.basename(path), "ogr")
    res = {"path": path, "layer": spec.get("layer"), "valid": layer.isValid()}
    if not layer.isValid():
        # layer.error() segfaults on an invalid OGR layer in QGIS 3.22; report without it
        res["messages"] = messages[first:]
        return res
    if spec.get("qml"):
        msg, ok = layer.loadNamedStyle(spec["qml"])
        res["qml_loaded"] = bool(ok)
    if spec.get("sld"):
        msg, ok = layer.loadSldStyle(spec["sld"])
        res["sld_loaded"] = bool(ok)
    if spec.get("default_metadata"):
        # what QGIS does to a layer it adds (QgsAppLayerHandling::postProcessAddedLayer):
        # read the layer's metadata file beside it (a Shapefile's <name>.qmd)
        res["metadata_loaded"] = bool(layer.loadDefaultMetadata()[1])
    # the name QGIS gives the layer when it is added from the file (the provider's sublayer
    # name: the Layers panel and the Browser show it)
    try:
        subs = QgsProviderRegistry.instance().querySublayers(uri)
        res["added_name"] = subs[0].name() if subs else None
    except AttributeError:  # QGIS < 3.22
        res["added_name"] = None
    # the layer's title and abstract as QGIS reads them (a GeoPackage's gpkg_contents
    # identifier / description: Layer Properties > Information, Metadata)
    res["title"] = layer.metadata().title()
    res["abstract"] = layer.metadata().abstract()
    res["feature_count"] = layer.featureCount()
    res["crs"] = layer.crs().authid()
    res["geometry_type"] = QgsWkbTypes.displayString(layer.wkbType())
    res["encoding"] = layer.dataProvider().encoding()
    res["fields"] = [{"name": f.name(), "type": f.typeName()} for f in layer.fields()]
    feats, cjk, bad = [], 0, 0
    for k, f in enumerate(layer.getFeatures()):
        attrs = {fld.name(): py(f.attribute(i)) for i, fld in enumerate(layer.fields())}
        if k < spec.get("nfeat", 3):
            feats.append(attrs)
        for v in attrs.values():
            if isinstance(v, str):
                cjk += bool(CJK.search(v))
                bad += bool(MOJIBAKE.search(v))
    res["first_features"] = feats
    res["cjk_values"] = cjk
    res["mojibake_values"] = bad
    res["renderer"] = renderer_info(layer)
    res["feature_colors"], res["features_with_several_symbols"] = feature_colors(layer)
    if spec.get("png"):
        res["render"] = render(layer, spec["png"], tuple(spec.get("size", (800, 600))))
    res["messages"] = messages[first:]
    return res


def main():
    specs = json.load(open(sys.argv[1], encoding="utf-8"))
    app = QgsApplication([], False)
    QgsApplication.setPrefixPath("/usr", True)
    app.initQgis()
    messages = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda msg, tag, level: messages.append(
            {"level": int(level), "tag": tag, "message": msg})
    )
    try:
        # GDAL warnings (e.g. "GeoPackage v1.4 may only be partially supported") go to GDAL's
        # error handler, not to QGIS' message log: collect them too. Level 1 = warning,
        # 2 = critical, as Qgis.MessageLevel.
        from osgeo import gdal

        def gdal_handler(err_class, err_no, msg):
            if err_class >= gdal.CE_Warning:
                level = 1 if err_class == gdal.CE_Warning else 2
                messages.append({"level": level, "tag": "GDAL", "message": msg})

        gdal.PushErrorHandler(gdal_handler)
    except ImportError:
        pass
    out = {"qgis_version": Qgis.QGIS_VERSION, "layers": []}
    for spec in specs:
        try:
            out["layers"].append(inspect(spec, messages))
        except Exception as exc:  # report, do not hang the test
            out["layers"].append({"path": spec.get("path"), "exception": repr(exc)})
    with open(sys.argv[2], "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False)


try:
    main()
    code = 0
except BaseException as exc:
    sys.stderr.write(repr(exc) + "\n")
    code = 1
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
"""


def inspect_layers(specs: Sequence[dict[str, Any]], timeout: float = 300) -> list[dict[str, Any]]:
    """Open every layer of ``specs`` in one QGIS process; one report dict per spec.

    Each spec is a dict with ``path`` (str), optionally ``layer`` (GeoPackage layer name),
    ``default_metadata`` (read the layer's ``.qmd`` as QGIS does when it adds a layer),
    ``qml`` / ``sld`` (style file to load instead of the default style), ``png`` (render to this file), ``size`` ((w, h)
    pixels) and ``nfeat`` (number of attribute dicts in ``first_features``).
    """
    # absolute paths: the QGIS process runs in its own temporary directory
    specs = [
        {
            **s,
            "path": str(Path(s["path"]).resolve()),
            **({"png": str(Path(s["png"]).resolve())} if s.get("png") else {}),
            **({"qml": str(Path(s["qml"]).resolve())} if s.get("qml") else {}),
            **({"sld": str(Path(s["sld"]).resolve())} if s.get("sld") else {}),
        }
        for s in specs
    ]
    with tempfile.TemporaryDirectory(prefix="qgis-harness-") as tmp:
        script = Path(tmp) / "spatialinno_qgis_probe.py"  # not "inspect.py": shadows stdlib
        script.write_text(_SCRIPT, encoding="utf-8")
        spec_file = Path(tmp) / "specs.json"
        spec_file.write_text(json.dumps(specs, ensure_ascii=False), encoding="utf-8")
        out_file = Path(tmp) / "report.json"
        proc = subprocess.run(
            [QGIS_PYTHON, str(script), str(spec_file), str(out_file)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_env(),
            cwd=tmp,
        )
        if proc.returncode != 0 or not out_file.exists():
            raise RuntimeError(
                f"PyQGIS harness failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
            )
        report = json.loads(out_file.read_text(encoding="utf-8"))
    for layer in report["layers"]:
        layer["qgis_version"] = report["qgis_version"]
        if "exception" in layer:
            raise RuntimeError(f"PyQGIS failed on {layer['path']}: {layer['exception']}")
    return report["layers"]


def inspect_layer(
    path: str | os.PathLike[str],
    layer: str | None = None,
    *,
    qml: str | os.PathLike[str] | None = None,
    png: str | os.PathLike[str] | None = None,
    size: tuple[int, int] = (800, 600),
    nfeat: int = 3,
    timeout: float = 300,
) -> dict[str, Any]:
    """Report of a single layer (see the module docstring for the keys)."""
    spec: dict[str, Any] = {"path": str(path), "size": list(size), "nfeat": nfeat}
    if layer is not None:
        spec["layer"] = layer
    if qml is not None:
        spec["qml"] = str(qml)
    if png is not None:
        spec["png"] = str(png)
    return inspect_layers([spec], timeout=timeout)[0]


def warnings_in(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Messages QGIS logged at warning level or above (Qgis.Warning = 1, Critical = 2)."""
    return [m for m in report.get("messages", []) if m["level"] >= 1]


_PROJECT_SCRIPT = r"""
import json, os, sys
from qgis.core import QgsApplication, QgsProject
app = QgsApplication([], False)
QgsApplication.setPrefixPath("/usr", True)
app.initQgis()
try:
    project = QgsProject.instance()
    ok = project.read(sys.argv[1])
    layers = []
    for node in project.layerTreeRoot().findLayers():
        layer = node.layer()
        valid = layer is not None and layer.isValid()
        layers.append({
            "name": node.name(),
            "visible": node.isVisible(),
            "valid": valid,
            "source": layer.source() if layer is not None else None,
            "renderer": layer.renderer().type() if valid and layer.renderer() else None,
            "feature_count": layer.featureCount() if valid else None,
            "title": layer.metadata().title() if layer is not None else None,
        })
    with open(sys.argv[2], "w", encoding="utf-8") as fh:
        json.dump({"read": bool(ok), "title": project.title(), "layers": layers}, fh,
                  ensure_ascii=False)
    code = 0
except BaseException as exc:
    sys.stderr.write(repr(exc) + "\n")
    code = 1
sys.stdout.flush()
os._exit(code)
"""


def open_project(uri: str, timeout: float = 300) -> dict[str, Any]:
    """Open a QGIS project (a file or ``geopackage:<file>?projectName=<name>``) in real QGIS.

    Returns ``read`` (QgsProject.read succeeded), ``title`` and ``layers``: the Layers panel from
    top to bottom, each with ``name`` (as the panel shows it), ``visible``, ``valid``,
    ``source``, ``renderer`` (type), ``feature_count`` and ``title`` (the layer's metadata title).
    """
    with tempfile.TemporaryDirectory(prefix="qgis-project-") as tmp:
        script = Path(tmp) / "spatialinno_qgis_project.py"
        script.write_text(_PROJECT_SCRIPT, encoding="utf-8")
        out_file = Path(tmp) / "report.json"
        proc = subprocess.run(
            [QGIS_PYTHON, str(script), uri, str(out_file)],
            capture_output=True, text=True, timeout=timeout, env=_env(), cwd=tmp,
        )  # fmt: skip
        if proc.returncode != 0 or not out_file.exists():
            raise RuntimeError(f"PyQGIS project probe failed:\n{proc.stderr[-3000:]}")
        return json.loads(out_file.read_text(encoding="utf-8"))
