"""Stage 4, print figures: static maps and charts for papers (matplotlib), with the South China Sea inset.

Every web map has a static twin with the same arguments and the same classes, colours and labels
(one palette, one class-break rule, one legend-row rule from :mod:`spatialinno.styles`),
returning a :class:`matplotlib.figure.Figure`; beside them, the charts a paper needs.

Modules
-------
page         page size (journal column widths, mm), dpi, PrintFigure (print-ready savefig), save_figure
fonts        the bundled CJK font (a subset of Noto Sans CJK SC), registered when a figure is drawn
geometry     Albers projection, mainland and South China Sea extents, layers drawn as collections
raster       10^4-10^6 units (grids) drawn as one image at the output's dpi (raster=None|True|False)
frames       what a map draws: the user's rows with projected geometry, checked
cartography  inset, north arrow, scale bar, legend, names without collisions
base         the layout every map kind shares: one map (map_figure) or small multiples (panels_figure)
choropleth   plot_choropleth (also small multiples, by="year")
clusters     plot_lisa, plot_hotspots
study        plot_coastal_lead, plot_capital_effect
network      plot_network
charts       plot_region_means, plot_capital_shares, plot_moran_scatter
spacetime    plot_emerging, plot_gravity, plot_markov, plot_lisa_transitions
run          write_figures: the figures of a run of ``spatialinno analyze`` / ``demo``
differences  plot_dagum, plot_kernel_density, plot_convergence, plot_core_shares (print and web
             style, page in _chart)

Figures never compute a statistic; they read results through :mod:`spatialinno.measures.results`
and the words, colours, classes and numbers through :mod:`spatialinno.styles`. A new figure kind
goes in its own module here, built on :mod:`spatialinno.figures.base` (see CONTRIBUTING.md).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# public function -> module that defines it; imported on first use (matplotlib is heavy)
_KINDS: dict[str, str] = {
    "plot_choropleth": "choropleth",
    "plot_lisa": "clusters",
    "plot_hotspots": "clusters",
    "plot_coastal_lead": "study",
    "plot_capital_effect": "study",
    "plot_network": "network",
    "plot_region_means": "charts",
    "plot_capital_shares": "charts",
    "plot_moran_scatter": "charts",
    "plot_dagum": "differences",
    "plot_kernel_density": "differences",
    "plot_convergence": "differences",
    "plot_core_shares": "differences",
    "plot_emerging": "spacetime",
    "plot_gravity": "spacetime",
    "plot_markov": "spacetime",
    "plot_lisa_transitions": "spacetime",
    "save_figure": "page",
    "write_figures": "run",
}

__all__ = sorted(_KINDS)


def __getattr__(name: str) -> Any:
    if name in _KINDS:
        return getattr(import_module(f".{_KINDS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_KINDS))
