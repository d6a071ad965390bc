"""Open local HTML files in headless Chromium with the network off and report what happened.

Standard library only: it speaks the Chrome DevTools Protocol over ``--remote-debugging-pipe``
(file descriptors 3 and 4 of the browser, NUL-separated JSON messages), so no websocket package is
needed. Reusable by every test that checks an HTML output (maps, network map, CLI report)::

    from helpers_chromium import requires_chromium, render

    @requires_chromium
    def test_page(tmp_path):
        r = render(tmp_path / "map.html", hover_latlng=(39.9, 116.4))
        assert r["console_errors"] == [] and r["failed_requests"] == []

:func:`render` returns a dict with

``console_errors``     console.error / console.assert messages (str)
``console``            every console message as ``(level, text)``
``exceptions``         uncaught JavaScript exceptions (str)
``failed_requests``    ``(url, error)`` of every request that failed
``requests``           every URL requested except the page itself and ``data:`` URIs
``dialogs``            messages passed to alert()/confirm()/prompt() (trapped, never opened)
``n_paths``            SVG paths drawn in the Leaflet map panes
``paths_by_class``     ``{class: count}`` for the path classes listed in ``path_classes=``
``legend_text``        innerText of the legend(s) (``.si-legend``, branca ``.legend``)
``title_text``         innerText of ``.si-title``
``tooltip_text``       innerText of the open Leaflet tooltips after the hover ("" without hover)
``tooltip_html``       innerHTML of the same tooltips (to check that markup was escaped)
``layers_text``        innerText of the layer control(s), one line per layer name
``all_tooltips``       with ``all_tooltips=True``: the tooltip text of every feature of every
                       layer with a bound tooltip, opened one after the other by the same
                       ``mouseover`` event a hover fires (propagated from the feature)
``injected``           elements that carry inline event handlers (``onerror``, ``onload``,
                       ``onclick`` ...) or a ``data-pwn`` attribute: nothing a spatialinno page
                       builds has them, so any such element came from injected markup
``eval``               results of the ``evaluate={"name": "js expression"}`` probes
``screenshot_png_path`` the PNG written (``screenshot=`` or a temporary file)
``seconds``            wall time of the whole call

The browser gets a fresh profile, ``Network.emulateNetworkConditions(offline=True)``, a host
resolver that resolves nothing, and request interception (``Fetch``) that lets only ``file:``/
``data:`` URLs through, so any http(s) request fails and shows up in ``failed_requests`` with its URL.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

CHROMIUM: str | None = next(
    (
        p
        for p in (
            os.environ.get("CHROMIUM"),
            shutil.which("chromium"),
            shutil.which("chromium-browser"),
            shutil.which("google-chrome"),
        )
        if p
    ),
    None,
)

requires_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    # nothing resolves: a request that slips past the offline emulation still fails, loudly
    "--host-resolver-rules=MAP * ~NOTFOUND",
)

# JavaScript run in the page; kept here so every test measures the same things the same way
_JS_FIND_MAP = """(() => {
  if (typeof L === 'undefined') return null;
  for (const k of Object.keys(window)) {
    try { if (window[k] instanceof L.Map) return window[k]; } catch (e) {}
  }
  return null;
})()"""
_JS_TRAP_DIALOGS = """(() => {
  window.__si_dialogs = [];
  for (const f of ['alert', 'confirm', 'prompt']) {
    window[f] = (msg) => { window.__si_dialogs.push(String(msg)); return null; };
  }
})();"""
_JS_N_PATHS = "document.querySelectorAll('.leaflet-pane svg path').length"
_JS_LEGEND = (
    "Array.from(document.querySelectorAll('.si-legend, .legend'))"
    ".map(e => e.innerText || e.textContent).join('\\n')"
)
_JS_TITLE = "Array.from(document.querySelectorAll('.si-title')).map(e => e.innerText).join('\\n')"
_JS_TOOLTIP_TEXT = (
    "Array.from(document.querySelectorAll('.leaflet-tooltip')).map(e => e.innerText).join('\\n')"
)
_JS_TOOLTIP_HTML = (
    "Array.from(document.querySelectorAll('.leaflet-tooltip')).map(e => e.innerHTML).join('\\n')"
)
_JS_LAYERS = (
    "Array.from(document.querySelectorAll('.leaflet-control-layers'))"
    ".map(e => e.innerText).join('\\n')"
)
_JS_ALL_TOOLTIPS = (
    """(() => {
  const m = """
    + _JS_FIND_MAP
    + """;
  if (!m) return [];
  const out = [];
  m.eachLayer(g => {
    if (!g.eachLayer || !g.getTooltip || !g.getTooltip()) return;
    g.eachLayer(l => {
      const c = l.getBounds ? l.getBounds().getCenter() : l.getLatLng();
      l.fire('mouseover', {latlng: c, containerPoint: m.latLngToContainerPoint(c)}, true);
      const el = g.getTooltip().getElement();
      out.push(el ? el.innerText : null);
      l.fire('mouseout', {latlng: c}, true);
    });
  });
  return out;
})()"""
)
_JS_INJECTED = """Array.from(document.querySelectorAll('*')).filter(e =>
  e.hasAttribute('data-pwn') || Array.from(e.attributes).some(a => /^on/i.test(a.name))
).map(e => e.outerHTML.slice(0, 200))"""


class ChromiumError(RuntimeError):
    """The browser could not be started or did not answer."""


class _LoadTimeout(ChromiumError):
    def __init__(self, message: str, target: str) -> None:
        super().__init__(message)
        self.target = target


class Chromium:
    """One headless Chromium process driven over the DevTools pipe. Use as a context manager."""

    def __init__(self, binary: str | None = None, size: tuple[int, int] = (1000, 700)) -> None:
        binary = binary or CHROMIUM
        if binary is None:
            raise ChromiumError("chromium is not installed")
        self.profile = tempfile.mkdtemp(prefix="si-chromium-")
        to_browser_r, self._to_browser_w = os.pipe()
        self._from_browser_r, from_browser_w = os.pipe()

        def wire_pipes() -> None:  # runs in the child: Chromium reads fd 3 and writes fd 4
            # copy both ends above 10 first, so placing one on 3 cannot clobber the other
            a = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)  # dup2 targets are inheritable; the originals are close-on-exec
            os.dup2(b, 4)

        cmd = [
            binary,
            *FLAGS,
            f"--window-size={size[0]},{size[1]}",
            f"--user-data-dir={self.profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 -- lives as long as the browser
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            preexec_fn=wire_pipes,
            close_fds=False,  # keep fds 3/4 made by wire_pipes (os.pipe fds are close-on-exec)
            start_new_session=True,  # its own process group, so close() can end every child
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        os.set_blocking(self._from_browser_r, False)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.size = size
        self._target: str | None = None

    # -- protocol ---------------------------------------------------------------------------
    def _read(self, timeout: float) -> list[dict[str, Any]]:
        ready, _, _ = select.select([self._from_browser_r], [], [], timeout)
        if ready:
            try:
                chunk = os.read(self._from_browser_r, 1 << 20)
            except BlockingIOError:
                chunk = b""
            if not chunk and self.proc.poll() is not None:
                raise ChromiumError("chromium exited:\n" + self.stderr_text()[-2000:])
            self._buffer += chunk
        messages = []
        while b"\0" in self._buffer:
            raw, self._buffer = self._buffer.split(b"\0", 1)
            messages.append(json.loads(raw))
        return messages

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        """Send one command and wait for its answer; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser_w, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for m in self._read(0.1):
                if m.get("id") == self._next_id:
                    if "error" in m:
                        raise ChromiumError(f"{method}: {m['error']}")
                    return m.get("result", {})
                self._on_event(m)
        raise ChromiumError(f"{method}: no answer within {timeout} s")

    def _post(self, method: str, params: dict[str, Any], session: str | None) -> None:
        """Send a command without waiting for its answer (from inside the event loop)."""
        msg = {"id": 10**9 + len(self.events), "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to_browser_w, json.dumps(msg).encode() + b"\0")

    def _on_event(self, m: dict[str, Any]) -> None:
        self.events.append(m)
        method, params = m.get("method"), m.get("params", {})
        if method == "Page.javascriptDialogOpening":
            # an open alert() blocks the page; dismiss it (the event itself is the evidence)
            self._post("Page.handleJavaScriptDialog", {"accept": False}, m.get("sessionId"))
        elif method == "Fetch.requestPaused":
            # every request of the page stops here, preloads included (they can skip
            # Network.requestWillBeSent): local files go on, anything else fails as offline
            url = params.get("request", {}).get("url", "")
            if url.startswith(("file:", "data:", "blob:", "about:")):
                self._post(
                    "Fetch.continueRequest", {"requestId": params["requestId"]}, m.get("sessionId")
                )
            else:
                self._post(
                    "Fetch.failRequest",
                    {"requestId": params["requestId"], "errorReason": "InternetDisconnected"},
                    m.get("sessionId"),
                )

    def pump(self, seconds: float, until: Any = None) -> bool:
        """Collect events for ``seconds`` or until ``until(event)`` is true."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for m in self._read(0.05):
                self._on_event(m)
                if until is not None and until(m):
                    return True
        return False

    def evaluate(self, session: str, expression: str) -> Any:
        """Value of a JavaScript expression in the page (JSON-serialisable), or raise."""
        r = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=session,
        )
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise ChromiumError(
                f"evaluating {expression[:80]!r}: "
                f"{d.get('exception', {}).get('description') or d.get('text')}"
            )
        return r.get("result", {}).get("value")

    def stderr_text(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("Browser.close", timeout=5)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # only the group this object started
            self.proc.wait(5)
        for fd in (self._to_browser_w, self._from_browser_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one page ---------------------------------------------------------------------------
    def render(
        self,
        path: str | os.PathLike[str],
        hover: tuple[float, float] | None = None,
        hover_latlng: tuple[float, float] | None = None,
        evaluate: dict[str, str] | None = None,
        path_classes: tuple[str, ...] = (),
        screenshot: str | os.PathLike[str] | None = None,
        timeout: float = 30.0,
        all_tooltips: bool = False,
    ) -> dict[str, Any]:
        """Open ``path`` offline, wait until the map is drawn, optionally hover, and report.

        ``hover`` is a viewport pixel ``(x, y)``; ``hover_latlng`` a ``(lat, lon)`` converted to a
        pixel by the page's Leaflet map. If the tab stops answering (no load event, a command
        without reply -- seen on an overloaded machine), the page is loaded once more in a fresh
        tab; the report covers the successful load only.
        """
        kwargs = {
            "hover": hover,
            "hover_latlng": hover_latlng,
            "evaluate": evaluate,
            "path_classes": path_classes,
            "screenshot": screenshot,
            "timeout": timeout,
            "all_tooltips": all_tooltips,
        }
        try:
            return self._render_once(path, **kwargs)
        except ChromiumError as first:
            if self.proc.poll() is not None:  # the browser itself is gone: nothing to retry
                raise
            target = getattr(first, "target", None) or self._target
            with contextlib.suppress(ChromiumError):
                self.send("Target.closeTarget", {"targetId": target}, timeout=5)
            return self._render_once(path, **kwargs)

    def _render_once(
        self,
        path: str | os.PathLike[str],
        hover: tuple[float, float] | None,
        hover_latlng: tuple[float, float] | None,
        evaluate: dict[str, str] | None,
        path_classes: tuple[str, ...],
        screenshot: str | os.PathLike[str] | None,
        timeout: float,
        all_tooltips: bool = False,
    ) -> dict[str, Any]:
        t0 = time.monotonic()
        page = Path(path).resolve()
        if not page.exists():
            raise FileNotFoundError(page)
        first_event = len(self.events)
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._target = target  # for render()'s retry when a command times out
        sid = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
            self.send(method, session=sid)
        self.send("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session=sid)
        # record alert/confirm/prompt instead of opening real dialogs: an open dialog blocks the
        # renderer, and dismissing it over the protocol occasionally left the tab hung
        self.send(
            "Page.addScriptToEvaluateOnNewDocument",
            {"source": _JS_TRAP_DIALOGS},
            session=sid,
        )
        self.send(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            session=sid,
        )
        w, h = self.size
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": False},
            session=sid,
        )
        self.send("Page.navigate", {"url": page.as_uri()}, session=sid)
        loaded = self.pump(
            timeout,
            until=lambda m: m.get("method") == "Page.loadEventFired" and m.get("sessionId") == sid,
        )
        if not loaded:
            raise _LoadTimeout(f"{page} did not finish loading within {timeout} s", target)
        # Leaflet draws synchronously on load, but wait for two equal path counts to be sure
        previous, stable_since = -1, time.monotonic()
        while time.monotonic() - t0 < timeout:
            self.pump(0.15)
            n = self.evaluate(sid, _JS_N_PATHS)
            if n != previous:
                previous, stable_since = n, time.monotonic()
            elif time.monotonic() - stable_since >= 0.3:
                break

        report: dict[str, Any] = {"page": str(page)}
        if hover_latlng is not None:
            lat, lon = hover_latlng
            hover = tuple(
                self.evaluate(
                    sid,
                    f"(() => {{ const m = {_JS_FIND_MAP}; const p = m.latLngToContainerPoint("
                    f"[{float(lat)}, {float(lon)}]); const r = m.getContainer()"
                    ".getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; })()",
                )
            )
        if hover is not None:
            x, y = hover
            for dx in (-3, 0):  # two moves: Leaflet needs mouseover then mousemove on the path
                self.send(
                    "Input.dispatchMouseEvent",
                    {"type": "mouseMoved", "x": x + dx, "y": y},
                    session=sid,
                )
            self.pump(0.4)
        report["hover_xy"] = hover
        report["n_paths"] = self.evaluate(sid, _JS_N_PATHS)
        report["paths_by_class"] = {
            c: self.evaluate(sid, f"document.querySelectorAll('path.{c}').length")
            for c in path_classes
        }
        report["legend_text"] = self.evaluate(sid, _JS_LEGEND)
        report["title_text"] = self.evaluate(sid, _JS_TITLE)
        report["tooltip_text"] = self.evaluate(sid, _JS_TOOLTIP_TEXT) if hover else ""
        report["tooltip_html"] = self.evaluate(sid, _JS_TOOLTIP_HTML) if hover else ""
        report["layers_text"] = self.evaluate(sid, _JS_LAYERS)
        report["all_tooltips"] = self.evaluate(sid, _JS_ALL_TOOLTIPS) if all_tooltips else []
        report["injected"] = self.evaluate(sid, _JS_INJECTED)
        report["eval"] = {k: self.evaluate(sid, js) for k, js in (evaluate or {}).items()}
        trapped = self.evaluate(sid, "window.__si_dialogs || []")

        png = Path(screenshot) if screenshot else Path(tempfile.mkstemp(suffix=".png")[1])
        shot = self.send("Page.captureScreenshot", {"format": "png"}, session=sid)
        png.write_bytes(base64.b64decode(shot["data"]))
        report["screenshot_png_path"] = str(png)
        self.pump(0.05)
        self.send("Target.closeTarget", {"targetId": target})

        report.update(_summarise(self.events[first_event:], sid, page.as_uri()))
        report["dialogs"] = trapped + report["dialogs"]
        report["seconds"] = round(time.monotonic() - t0, 2)
        return report


def _summarise(events: list[dict[str, Any]], sid: str, page_url: str) -> dict[str, Any]:
    console: list[tuple[str, str]] = []
    exceptions: list[str] = []
    dialogs: list[str] = []
    urls: dict[str, str] = {}
    failed_ids: list[tuple[str, str]] = []
    log_errors: list[str] = []
    for ev in events:
        if ev.get("sessionId") not in (sid, None):
            continue
        method, p = ev.get("method"), ev.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(
                str(a.get("value", a.get("description", ""))) for a in p.get("args", [])
            )
            console.append((p.get("type", ""), text))
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            exceptions.append(d.get("exception", {}).get("description") or d.get("text", ""))
        elif method == "Page.javascriptDialogOpening":
            dialogs.append(p.get("message", ""))
        elif method == "Network.requestWillBeSent":
            urls[p.get("requestId")] = p.get("request", {}).get("url", "")
        elif method == "Fetch.requestPaused":
            urls[p.get("networkId") or p.get("requestId")] = p.get("request", {}).get("url", "")
        elif method == "Network.loadingFailed":
            failed_ids.append((p.get("requestId"), p.get("errorText", "")))
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            log_errors.append(p["entry"].get("text", ""))
    # resolved after the loop: a request blocked by the offline emulation can report its
    # failure before the requestWillBeSent event that carries its URL
    failed = [(urls.get(rid, "?"), err) for rid, err in failed_ids]
    requests = [u for u in urls.values() if u != page_url and not u.startswith("data:")]
    return {
        "console": console,
        "console_errors": [t for lvl, t in console if lvl in ("error", "assert")] + log_errors,
        "exceptions": exceptions,
        "dialogs": dialogs,
        "requests": requests,
        "failed_requests": failed,
    }


def render(path: str | os.PathLike[str], **kwargs: Any) -> dict[str, Any]:
    """Start Chromium, :meth:`Chromium.render` one page, stop Chromium (see the module docstring)."""
    size = kwargs.pop("size", (1000, 700))
    with Chromium(size=size) as browser:
        return browser.render(path, **kwargs)


if __name__ == "__main__":  # python tests/helpers_chromium.py page.html [lat lon]
    import sys

    args = sys.argv[1:]
    kw: dict[str, Any] = {"screenshot": Path(args[0]).with_suffix(".png")}
    if len(args) == 3:
        kw["hover_latlng"] = (float(args[1]), float(args[2]))
    print(json.dumps(render(args[0], **kw), ensure_ascii=False, indent=1))
