"""The ``spatialinno`` command: from a table to maps, QGIS layers and a one-page report.

::

    spatialinno demo --out demo/
    spatialinno analyze 城市统计年鉴.xlsx --level prefecture --columns rd_staff,patents --year 2021 --out out/
    spatialinno layers

This module only parses arguments and prints. ``analyze`` and ``demo`` are
:func:`spatialinno.analyze` and :func:`spatialinno.demo` (:mod:`spatialinno.workflow`): the
command and a notebook write the same files (``report.html``, one offline HTML file per map,
``results.gpkg``, ``summary.csv``, with ``--format shp`` Shapefiles under ``shp/``) with the same
numbers. Errors a user can cause (a bad file or option, an unknown column, rows that match no
unit, an existing output folder) end with one message on stderr and exit status 2 (``--debug``
adds the traceback); what ``read_table`` detected and rows left out of the join are said on
stderr. Everything the command prints is in the run's language (``--lang``, Chinese by default;
argparse's usage errors too), with user text (paths, column names, cells) printed inertly. SIGTERM and SIGHUP are handled like Ctrl-C: an interrupted run leaves no partial result.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from functools import partial

from . import __version__
from ._errors import SpatialinnoError
from ._escape import terminal_text
from ._notes import Note
from .workflow.analysis import Analysis, analyze
from .workflow.inputs import UNMATCHED, parse_header, terminal_notes
from .workflow.messages import CLI, error_text, usage_error
from .workflow.options import CORRECTIONS, FORMATS, LEVELS, parse_labels, parse_weights
from .workflow.outputs import REPORT_FILE
from .workflow.staging import Interrupted, terminate_as_interrupt
from .workflow.study import demo
from .workflow.text import TERMINAL

# analyze, demo and the two parsers are importable from here as before the workflow existed
__all__ = ["Analysis", "analyze", "build_parser", "demo", "main", "parse_header", "parse_weights"]

EXIT_OK = 0
EXIT_INTERNAL = 1  # a bug: the message asks for --debug and a report
EXIT_USAGE = 2  # the user can fix it: bad file, column, year, output folder, option value
#: the language of a run without --lang: its report, maps and terminal lines (errors included)
DEFAULT_LANG = "zh"
LANGS: tuple[str, ...] = ("zh", "en")


def language_of(argv: Sequence[str]) -> str:
    """The run's language as ``argv`` gives it (``--lang en``, ``--lang=en``, or an abbreviation
    argparse accepts, ``--lan en``), found before parsing so that usage errors speak it too;
    :data:`DEFAULT_LANG` when not given or not one of :data:`LANGS`.

    >>> language_of(["analyze", "t.csv", "--lang", "en"]), language_of(["demo", "--lang=en"])
    ('en', 'en')
    >>> language_of(["demo", "--la", "en"]), language_of(["analyze", "--la", "en"])
    ('en', 'zh')
    >>> language_of(["demo"]), language_of(["demo", "--lang", "fr"]), language_of(["--", "--lang=en"])
    ('zh', 'zh', 'zh')
    """
    items = [str(a) for a in argv]
    # demo has no other option starting with --l; analyze has --level and --label
    shortest = 3 if items[:1] == ["demo"] else 5
    found = DEFAULT_LANG
    for i, item in enumerate(items):
        if item == "--":
            break
        name, eq, value = item.partition("=")
        if len(name) < shortest or not "--lang".startswith(name):
            continue
        if not eq:
            value = items[i + 1] if i + 1 < len(items) else ""
        found = value if value in LANGS else found
    return found


def _error_line(text: str, lang: str, data: object = ()) -> None:
    """``spatialinno: error: <text>`` on stderr, in ``lang``, user text in it made inert."""
    sys.stderr.write(terminal_text(f"spatialinno: {CLI[lang]['error']}: {text}", data) + "\n")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line, in the run's language, exit status 2.

    In English the usage comes first, as argparse writes it; in Chinese a line saying how to see
    it (the usage itself is made of option names and English placeholders).
    """

    def __init__(self, *args: object, lang: str = DEFAULT_LANG, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lang = lang

    def error(self, message: str) -> None:  # type: ignore[override]
        if self.lang == "en":
            self.print_usage(sys.stderr)
        # argparse's message holds the arguments as typed: all of it is one line of user text
        text = usage_error(message, self.lang)
        _error_line(text, self.lang, data=[text])
        if self.lang != "en":
            sys.stderr.write(CLI[self.lang]["usage_hint"].format(prog=self.prog) + "\n")
        raise SystemExit(EXIT_USAGE)


_LANG_HELP = "language of the report, the maps and what the command prints (default zh)"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary lines")
    p.add_argument("--debug", action="store_true", help="show the full traceback on errors")


def _correction(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument(
        "--correction",
        choices=CORRECTIONS,
        default=default,
        help=f"multiple-testing correction for LISA and Gi* (default {default}, as "
        "si.analyze and si.demo: FDR keeps the share of false clusters at alpha)",
    )


def _add_demo(sub: argparse._SubParsersAction) -> None:
    d = sub.add_parser("demo", help="run the main job on the bundled real data")
    d.add_argument("--out", default="demo", help="output folder (default: demo)")
    d.add_argument("--overwrite", action="store_true", help="replace the files of an earlier run")
    d.add_argument("--seed", type=int, default=0, help="seed of every permutation test (default 0)")
    _jobs(d)
    d.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help=_LANG_HELP)
    _correction(d, "fdr")
    d.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        default=[],
        help="add 'shp' for Shapefiles beside results.gpkg",
    )
    d.add_argument(
        "--figures",
        default=None,
        help="also write the study's print figures under figures/ (png,pdf; png, tif, pdf, svg)",
    )
    _common(d)


def _add_analyze(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("analyze", help="analyse your own table (csv/xlsx)")
    a.add_argument("table", help=".csv (UTF-8/GBK/GB18030) or .xlsx table")
    a.add_argument("--level", required=True, choices=LEVELS, help="boundary layer of the rows")
    a.add_argument("--columns", required=True, help="indicator columns, comma-separated")
    a.add_argument("--out", required=True, help="output folder")
    a.add_argument("--year", type=int, help="year to analyse (long or wide panel tables)")
    a.add_argument("--time", help="panel mode: the column of the years (space-time report)")
    a.add_argument("--key", help="column(s) with region codes or names (detected by default)")
    a.add_argument(
        "--sheet", default="0", help="worksheet of an .xlsx file (name or 0-based position)"
    )
    a.add_argument(
        "--header",
        default="auto",
        help="row(s) of the column names as the spreadsheet numbers them: 3, or 3-4 for a "
        "two-row header; 'auto' (default) detects title rows, a merged two-row header and "
        "notes below the table, and says what it found",
    )
    a.add_argument(
        "--decimal",
        choices=(".", ","),
        default=None,
        help="decimal mark of numbers written as text (default: detected; ',' for 5,5)",
    )
    a.add_argument(
        "--on-unmatched",
        choices=UNMATCHED,
        default="raise",
        help="table rows that match no unit: raise = stop and list them (default); warn = go on, "
        "listed as a warning; drop = go on, listed as dropped. Listed on the terminal and in "
        "the report either way",
    )
    a.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        default=[],
        help="add 'shp' for Shapefiles beside results.gpkg (repeatable)",
    )
    a.add_argument(
        "--weights", default="queen", help="queen | rook | knn:K | distance:KM (default queen)"
    )
    a.add_argument("--permutations", default="auto", help="LISA permutations, or 'auto' (default)")
    a.add_argument("--alpha", type=float, default=0.05, help="significance level (default 0.05)")
    _correction(a, "fdr")
    a.add_argument(
        "--label",
        action="append",
        default=[],
        metavar='COLUMN="NAME|UNIT"',
        help="readable name and unit of a column, shown by the report, the maps and the QGIS "
        'layers instead of the column name: --label rd="R&D经费|万元" (repeatable)',
    )
    a.add_argument("--seed", type=int, default=0, help="seed of every permutation test (default 0)")
    _jobs(a)
    a.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help=_LANG_HELP)
    a.add_argument("--overwrite", action="store_true", help="replace the files of an earlier run")
    a.add_argument(
        "--figures",
        default=None,
        help="also write print figures (maps with the South China Sea inset, Moran scatter) "
        "under figures/ in these formats, comma-separated: png,pdf (png, tif, pdf, svg); the "
        "report shows the PNGs",
    )
    a.add_argument("--methods", help="add sections: dagum,kde,convergence (comma-separated)")
    _common(a)


def build_parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The argument parser of the ``spatialinno`` command; its usage errors speak ``lang``.

    >>> p = build_parser()
    >>> a = p.parse_args(["analyze", "t.xlsx", "--level", "prefecture", "--columns", "a,b",
    ...                   "--out", "o", "--weights", "knn:6", "--correction", "fdr"])
    >>> a.command, a.columns, a.weights, a.correction, a.permutations, a.seed
    ('analyze', 'a,b', 'knn:6', 'fdr', 'auto', 0)
    """
    parser = _Parser(
        lang=lang,
        prog="spatialinno",
        description="Where innovation resources concentrate in China: join a table to official "
        "boundaries, measure concentration and clustering, write offline maps, QGIS layers and "
        "a report.",
    )
    parser.add_argument("--version", action="version", version=f"spatialinno {__version__}")
    sub = parser.add_subparsers(
        dest="command", metavar="{demo,analyze,layers}", parser_class=partial(_Parser, lang=lang)
    )
    _add_demo(sub)
    _add_analyze(sub)
    layers = sub.add_parser("layers", help="list the bundled boundary layers and data sets")
    layers.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    _common(layers)
    return parser


def _cmd_layers(args: argparse.Namespace) -> int:
    import pandas as pd

    from .boundaries.load import layers
    from .tables.datasets import list_datasets

    table = layers()
    if args.csv:
        sys.stdout.write(table.to_csv(index=False))
        return EXIT_OK
    with pd.option_context("display.width", 200, "display.max_colwidth", 70):
        print("Boundary layers (si.load_boundaries):")
        print(table.to_string(index=False))
        if not args.quiet:
            print("\nBundled tables (si.load_dataset):")
            print(list_datasets()[["name", "level", "source"]].to_string(index=False))
    return EXIT_OK


def _finish(res: Analysis, quiet: bool, what: str, lang: str) -> int:
    """The closing lines of a run, in the language of ``--lang``."""
    if not quiet:
        t = TERMINAL[lang]
        n, report = len(res.files), res.out / REPORT_FILE
        line = t["wrote"].format(what=what, n=n, out=res.out, seconds=res.seconds, report=report)
        print(terminal_text(line, data=[str(res.out)]))
        if res.warnings:
            print(t["data_notes"].format(n=len(res.warnings), report=REPORT_FILE), file=sys.stderr)
    return EXIT_OK


# options of `analyze` handed to si.analyze under their own names
_ANALYZE_KEYWORDS: tuple[str, ...] = (
    "year", "key", "decimal", "on_unmatched", "weights", "permutations", "alpha", "correction",
    "seed", "lang", "overwrite", "quiet", "methods", "time", "jobs",
)  # fmt: skip


def _cmd_analyze(args: argparse.Namespace) -> int:
    sheet: str | int = int(args.sheet) if str(args.sheet).isdigit() else args.sheet
    res = analyze(
        args.table,
        args.level,
        args.columns,
        args.out,
        sheet=sheet,
        header=parse_header(args.header),
        formats=args.format,
        labels=parse_labels(args.label),
        figures=args.figures,
        **{name: getattr(args, name) for name in _ANALYZE_KEYWORDS},
    )
    return _finish(res, args.quiet, "analyze", args.lang)


def _jobs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="processes to compute on (default: 2 on Linux with two or more cores, else 1); "
        "the outputs are the same",
    )


def _cmd_demo(args: argparse.Namespace) -> int:
    res = demo(
        args.out,
        seed=args.seed,
        lang=args.lang,
        correction=None if args.correction == "none" else args.correction,
        formats=args.format,
        figures=args.figures,
        overwrite=args.overwrite,
        quiet=args.quiet,
        jobs=args.jobs,
    )
    return _finish(res, args.quiet, "demo", args.lang)


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": _cmd_demo,
    "analyze": _cmd_analyze,
    "layers": _cmd_layers,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``spatialinno`` command; returns the exit status.

    0 on success; 2 for anything the user can fix (bad file, unknown column, no matched region,
    a year not in the table, an existing output folder, a bad option), with one message on stderr;
    1 for an unexpected failure. ``--debug`` prints the traceback as well. What the command
    prints on stderr is in the run's language (``--lang``, Chinese by default), user text in it
    (paths, column names, cells) made inert (:func:`spatialinno._escape.terminal_text`).

    >>> main(["layers", "--csv"])  # doctest: +ELLIPSIS
    layer,units,geometry,crs,simplified_available,source
    province,34,MultiPolygon,EPSG:4490,True,...
    0
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = language_of(argv)
    parser = build_parser(lang)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors: return, do not exit Python
        return int(exc.code or 0)
    if args.command is None:
        if lang == "en":
            parser.print_help(sys.stderr)
        else:
            _error_line(CLI[lang]["no_command"], lang)
            sys.stderr.write(CLI[lang]["usage_hint"].format(prog=parser.prog) + "\n")
        return EXIT_USAGE
    try:
        # SIGTERM/SIGHUP (kill, a closed terminal) interrupt like Ctrl-C, so the staging folder
        # of a half-done run is removed and an earlier result stays as it was
        with terminate_as_interrupt(), terminal_notes(_stderr_line):
            return _COMMANDS[args.command](args)
    except (Exception, KeyboardInterrupt) as exc:
        return _failed(exc, getattr(args, "debug", False), getattr(args, "lang", lang))


def _failed(exc: Exception | KeyboardInterrupt, debug: bool, lang: str = DEFAULT_LANG) -> int:
    """The message (in ``lang``) and exit status of a command that did not finish."""
    if isinstance(exc, SpatialinnoError):
        if debug:
            traceback.print_exception(exc)
        # a JoinError carries the full join report after the first line: keep the whole text,
        # it is the list of rows that did not match
        message = exc.args[0] if exc.args else None
        data = message.params if isinstance(message, Note) else ()
        _error_line(error_text(exc, lang), lang, data)
        return EXIT_USAGE
    if isinstance(exc, BrokenPipeError):
        # `spatialinno layers | head`: the reader left; not an error. Point stdout at devnull so
        # that Python's own flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    words = CLI[lang]
    if isinstance(exc, KeyboardInterrupt):
        name = exc.args[0] if isinstance(exc, Interrupted) else "SIGINT"
        sys.stderr.write(f"spatialinno: {words['interrupted'].format(name=name)}\n")
        return 128 + (exc.signum if isinstance(exc, Interrupted) else 2)
    if debug:
        traceback.print_exception(exc)
    said = words["internal"].format(kind=type(exc).__name__, error=exc)
    sys.stderr.write(terminal_text(f"spatialinno: {said}") + f"\n{words['internal_hint']}\n")
    return EXIT_INTERNAL


def _stderr_line(text: str) -> None:
    sys.stderr.write(terminal_text(text.rstrip("\n")) + "\n")
    sys.stderr.flush()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
