"""Class breaks: the one function that splits values into classes (mapclassify).

Used by every map, print figure and QGIS style (through :mod:`spatialinno.styles`) and by the
measures that classify units (network tiers), so a map and a statistic never disagree on a class.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._errors import InputError

__all__ = ["SCHEMES", "class_breaks", "class_index"]

SCHEMES: tuple[str, ...] = ("quantiles", "fisher_jenks", "natural_breaks", "equal_interval", "user")


def class_breaks(
    values: Sequence[float] | np.ndarray,
    scheme: str = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
) -> tuple[float, ...]:
    """Upper bounds of the classes of ``values`` (NaN ignored), computed by mapclassify.

    ``scheme`` is one of quantiles, fisher_jenks, natural_breaks, equal_interval or user (with
    ``bins``, the upper bounds; the maximum is appended when the last bin is below it).
    ``natural_breaks`` is seeded so the same data always gives the same breaks.
    """
    import mapclassify  # lazy: keeps ``import spatialinno`` fast

    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        raise InputError("cannot classify: no finite values")
    if scheme == "user" or bins is not None:
        if bins is None:
            raise InputError("scheme='user' needs bins=, the upper bounds of the classes")
        upper = sorted(float(b) for b in bins)
        if upper[-1] < x.max():
            upper.append(float(x.max()))
        return tuple(upper)
    k = min(k, np.unique(x).size)
    if scheme == "quantiles":
        cls = mapclassify.Quantiles(x, k=k)
    elif scheme == "fisher_jenks":
        cls = mapclassify.FisherJenks(x, k=k)
    elif scheme == "natural_breaks":
        # mapclassify's NaturalBreaks draws random starts from numpy's *global* RNG: seed it so
        # the same data always gives the same breaks, and restore the caller's RNG state after
        state = np.random.get_state()
        try:
            np.random.seed(0)
            cls = mapclassify.NaturalBreaks(x, k=k, initial=10)
        finally:
            np.random.set_state(state)
    elif scheme == "equal_interval":
        cls = mapclassify.EqualInterval(x, k=k)
    else:
        raise InputError(f"unknown scheme {scheme!r}; valid schemes: {', '.join(SCHEMES)}")
    return tuple(float(b) for b in cls.bins)


def class_index(values: Sequence[float] | np.ndarray, breaks: Sequence[float]) -> np.ndarray:
    """Class (0-based) of each value for the upper bounds ``breaks``; -1 for NaN."""
    x = np.asarray(values, dtype=float)
    idx = np.searchsorted(np.asarray(breaks, dtype=float), x, side="left")
    idx = np.minimum(idx, len(breaks) - 1)
    return np.where(np.isfinite(x), idx, -1)
