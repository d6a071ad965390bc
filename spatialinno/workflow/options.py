"""The settings of a run (weights, permutations, alpha, correction, seed, language, formats),
parsed and checked before any work, so a bad option never costs a half-done run.

Messages name the command-line option (``--alpha``, ``--weights`` ...): the same checks serve
:func:`spatialinno.analyze` from Python, whose keyword arguments carry the same names.

>>> o = make_options("knn:6", "99", 0.05, "none", 0, "en", ["shp"])
>>> o.weights, o.permutations, o.correction, o.formats, o.moran_permutations
('knn:6', 99, None, ('gpkg', 'shp'), 99)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._errors import InputError
from .._notes import Note
from ..measures.inference import GLOBAL_THRESHOLD, largest_useful, resolve_permutations
from .parallel import default_jobs
from .text import TEXT

__all__ = [
    "CORRECTIONS",
    "FORMATS",
    "LEVELS",
    "Options",
    "check_columns",
    "check_level",
    "check_permutations_needed",
    "make_options",
    "parse_labels",
    "parse_permutations",
    "parse_weights",
]

LEVELS: tuple[str, ...] = ("province", "prefecture", "county")
FORMATS: tuple[str, ...] = ("gpkg", "shp")
CORRECTIONS: tuple[str, ...] = ("none", "fdr", "bonferroni")


@dataclass(frozen=True)
class Options:
    """Settings shared by every statistic of a run (made by :func:`make_options`)."""

    weights: str = "queen"
    permutations: int | str = "auto"
    alpha: float = 0.05
    correction: str | None = "fdr"
    seed: int = 0
    lang: str = "zh"
    formats: tuple[str, ...] = ("gpkg",)
    #: processes the columns of a cross-section run on (workflow.parallel): same results
    jobs: int = 1

    @property
    def moran_permutations(self) -> int:
        """Permutations of Moran's I and the spatial Gini: one test each, so no correction
        applies and "auto" means the usual 999."""
        return 999 if self.permutations == "auto" else int(self.permutations)


def parse_weights(spec: str) -> dict[str, Any]:
    """Keyword arguments of :func:`spatialinno.spatial_weights` for a ``--weights`` value.

    ``queen``, ``rook``, ``knn:K`` (K nearest neighbours by centroid) or ``distance:D`` (all units
    whose centroids are at most D km apart, in the Albers equal-area CRS).

    >>> parse_weights("queen"), parse_weights("knn:6"), parse_weights("distance:300")
    ({'kind': 'queen'}, {'kind': 'knn', 'k': 6}, {'kind': 'distance', 'distance': 300.0})
    """
    text = str(spec).strip().lower()
    if text in ("queen", "rook"):
        return {"kind": text}
    m = re.fullmatch(r"knn:(\d+)", text)
    if m and int(m.group(1)) >= 1:
        return {"kind": "knn", "k": int(m.group(1))}
    m = re.fullmatch(r"distance:(\d+(?:\.\d*)?)", text)
    if m and float(m.group(1)) > 0:
        return {"kind": "distance", "distance": float(m.group(1))}
    text = (
        f"--weights {spec!r} is not understood; use queen, rook, knn:K (e.g. knn:6) or "
        "distance:KM (e.g. distance:300)"
    )
    raise InputError(Note("bad_weights", text, spec=spec))


def parse_labels(items: Sequence[str]) -> dict[str, str]:
    """``labels=`` of :func:`spatialinno.analyze` from ``--label COLUMN=NAME|UNIT`` values.

    >>> parse_labels(["rd=R&D经费|万元", "pat = Patents (items)"])
    {'rd': 'R&D经费|万元', 'pat': 'Patents (items)'}
    """
    labels: dict[str, str] = {}
    for item in items:
        column, sep, spec = str(item).partition("=")
        column, spec = column.strip(), spec.strip().strip("'\"")
        if not sep or not column or not spec:
            text = (
                f"--label {item!r} is not understood; write COLUMN=NAME|UNIT, e.g. "
                '--label rd="R&D经费|万元" (the unit may also follow in brackets: "R&D经费（万元）")'
            )
            raise InputError(Note("bad_label", text, item=item))
        labels[column] = spec
    return labels


def parse_permutations(text: str) -> int | str:
    """A ``--permutations`` value: "auto" or a whole number >= 0.

    >>> parse_permutations("auto"), parse_permutations(" 999 ")
    ('auto', 999)
    """
    if str(text).strip().lower() == "auto":
        return "auto"
    try:
        value = int(text)
    except ValueError:
        said = f"--permutations must be 'auto' or a whole number, not {text!r}"
        raise InputError(Note("bad_permutations", said, given=text)) from None
    if value < 0:
        said = f"--permutations must be >= 0, not {value}"
        raise InputError(Note("negative_permutations", said, count=value))
    return value


def make_options(
    weights: str,
    permutations: int | str,
    alpha: float,
    correction: str | None,
    seed: int,
    lang: str,
    formats: Sequence[str],
    jobs: int | None = None,
) -> Options:
    """Check every setting of a run and return them as :class:`Options`.

    ``correction`` "none" (the command line's spelling) or "" is no correction; results.gpkg is
    always among the formats. ``jobs`` None: both cores where there are two (the results do not
    depend on it).
    """
    parse_weights(weights)  # fail before any work on a bad spec
    if isinstance(permutations, str):
        permutations = parse_permutations(permutations)
    if not 0 < float(alpha) < 1:
        text = f"--alpha must be between 0 and 1 (e.g. 0.05), not {alpha}"
        raise InputError(Note("bad_alpha", text, alpha=alpha))
    if correction in ("none", ""):
        correction = None
    if correction not in (None, "fdr", "bonferroni"):
        text = f"--correction must be none, fdr or bonferroni, not {correction!r}"
        raise InputError(Note("bad_correction", text, correction=correction))
    if lang not in TEXT:
        raise InputError(Note("bad_lang", f"--lang must be zh or en, not {lang!r}", lang=lang))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        # numpy's generators take no negative seed (the same rule as _validate.check_seed)
        text = f"--seed must be a whole number >= 0 (e.g. --seed 0), not {seed!r}"
        raise InputError(Note("bad_seed", text, seed=seed))
    fmts = tuple(dict.fromkeys(["gpkg", *formats]))
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise InputError(Note("bad_format", f"unknown --format {bad}; use gpkg or shp", bad=bad))
    if jobs is None:
        jobs = default_jobs()
    if isinstance(jobs, bool) or not isinstance(jobs, (int, np.integer)) or jobs < 1:
        raise InputError(
            Note(
                "bad_jobs",
                f"--jobs must be a whole number >= 1 (e.g. --jobs 1), not {jobs!r}",
                value=repr(jobs),
            )
        )
    return Options(
        weights, permutations, float(alpha), correction, int(seed), lang, fmts, int(jobs)
    )


def check_level(level: str) -> str:
    """``level`` if it is a boundary layer a table can be analysed on."""
    if level not in LEVELS:
        text = f"unknown level {level!r}; use one of: {', '.join(LEVELS)}"
        raise InputError(Note("bad_level", text, level_given=level, levels=LEVELS))
    return level


def check_columns(columns: Sequence[str] | str) -> list[str]:
    """The indicator columns of a run ("a,b" or a list), none empty, none twice.

    >>> check_columns("rd_staff, patents")
    ['rd_staff', 'patents']
    """
    cols = [c.strip() for c in columns.split(",")] if isinstance(columns, str) else list(columns)
    cols = [c for c in cols if c]
    if not cols:
        text = "no columns given; pass --columns a,b with the indicator columns"
        raise InputError(Note("no_columns", text))
    dup = sorted({c for c in cols if cols.count(c) > 1})
    if dup:
        raise InputError(
            Note("columns_twice", f"column(s) {dup} given twice in --columns", dup=dup)
        )
    return cols


def check_permutations_needed(options: Options, n_units: int) -> None:
    """Refuse, before any statistic runs, a ``--permutations`` count no test of the run can use.

    The count drives the LISA clusters (decided at alpha, or at alpha / m after a correction
    over the m = ``n_units`` units with data) and Moran's I and the spatial Gini (sized for
    0.001, the smallest conventional level). By the rule of
    :func:`~spatialinno.measures.inference.largest_useful`, more permutations than a test's
    largest useful count only refine p-values far from its threshold. A count above what every
    test of the run can use is refused here, naming what each needs -- rather than by whichever
    statistic happens to run first, naming only its own need.

    >>> check_permutations_needed(Options(permutations=99_999), 369)
    >>> check_permutations_needed(Options(permutations=10**8), 369)
    Traceback (most recent call last):
    ...
    spatialinno._errors.InputError: --permutations 100000000 is more than this run can use: ...
    """
    if options.permutations == "auto":
        return
    count = int(options.permutations)
    m = max(int(n_units), 1)
    alpha = options.alpha
    lisa_at = f"alpha/m = {alpha:g}/{m}" if options.correction else f"alpha = {alpha:g}"
    lisa_need = largest_useful(alpha / m if options.correction else alpha)
    global_need = largest_useful(GLOBAL_THRESHOLD)
    need = max(lisa_need, global_need)
    if count <= need:
        return
    auto, _ = resolve_permutations("auto", options.correction, m, alpha)
    use = (
        f"Use --permutations {need} or fewer"
        if lisa_need == need
        else f"Use --permutations {lisa_need} (what the LISA clusters need; at most {need}, what "
        "Moran's I and the spatial Gini can use)"
    )
    text = (
        f"--permutations {count} is more than this run can use: no test of it gains anything "
        f"from more than {need:,} permutations. The LISA clusters decide at {lisa_at} and need "
        f"at most {lisa_need:,}; Moran's I and the spatial Gini are sized for "
        f"{GLOBAL_THRESHOLD:g}, the smallest conventional level, and need at most "
        f"{global_need:,}. From those counts on, the Monte Carlo standard error of a pseudo "
        "p-value p, sqrt(p(1-p)/P), is below 10 % of the test's threshold; more draws only "
        f"refine p-values far from any decision. {use}, or auto ({auto} for LISA here, 999 for "
        "Moran's I and the spatial Gini)."
    )
    key = "too_many_permutations" if lisa_need == need else "too_many_permutations_lisa"
    raise InputError(
        Note(key, text, count=count, need=need, lisa_need=lisa_need,
             at=f"α/m = {alpha:g}/{m}" if options.correction else f"α = {alpha:g}",
             global_need=global_need, threshold=GLOBAL_THRESHOLD, auto=auto)
    )  # fmt: skip
