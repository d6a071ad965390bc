"""Stage 4, print figures: static charts for papers (matplotlib) and their screen twins.

Figures never compute a statistic: they draw a result of :mod:`spatialinno.measures` with the
colours, words and numbers of :mod:`spatialinno.styles`. Each figure kind has its own module.

Modules
-------
_chart       the page of a chart (print: journal width, 300 dpi; web: screen width), the
             bundled CJK font, saving
differences  plot_dagum, plot_kernel_density, plot_convergence, plot_core_shares
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# public function -> module that defines it; imported on first use (matplotlib is heavy)
_KINDS: dict[str, str] = {
    "plot_dagum": "differences",
    "plot_kernel_density": "differences",
    "plot_convergence": "differences",
    "plot_core_shares": "differences",
}

__all__ = sorted(_KINDS)


def __getattr__(name: str) -> Any:
    if name in _KINDS:
        return getattr(import_module(f".{_KINDS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_KINDS))
