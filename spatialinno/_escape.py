"""User text in the files spatialinno writes: one escaping rule per output context, in one place.

Region names, column names, labels, titles, units and notes come from users' tables and
arguments. Wherever such text lands, it must stay data:

``html_text``
    HTML text and double-quoted attribute values (maps' titles, legends, tooltips, layer-control
    names; the report). ``& < > " '`` become entities, and so do ``{`` and ``}``: folium/branca
    re-parse the text of every rendered element as a Jinja template (``branca.element.Element``
    compiles its argument), so a brace that reached branca could open ``{{ ... }}`` or
    ``{% ... %}`` and run Python when the map is saved. Browsers show ``&#123;`` as ``{``.
``script_json``
    a JSON value written inside ``<script>``: ``< > & '`` and the braces as ``\\uXXXX`` escapes
    inside strings, so ``</script``, ``<!--`` and template delimiters cannot occur, and every
    non-ASCII character (U+2028/U+2029 included, which end a line in older JavaScript) as an
    escape.
``css_color``
    a colour placed in a ``style`` attribute: only ``#rgb``/``#rrggbb(aa)``, ``rgb()``/``rgba()``
    with numbers, or a plain colour name is accepted.
``url_path``
    a local file path used as ``href``/``src``: percent-encoded (``:`` included), so it is always a
    relative path and never a ``javascript:`` or ``data:`` URL.
``plot_text``
    text drawn by matplotlib (print figures: titles, labels, legends, names, captions): every
    ``$`` is escaped as ``\\$``, so a string with two dollar signs is shown as written instead of
    being parsed as mathtext (``$\\frac{1}{0}$`` would typeset a formula, and a malformed one
    stops the figure from rendering). matplotlib shows ``\\$`` as ``$``.
``terminal_text``
    a line the command line prints: every control character (ESC of an ANSI sequence, carriage
    return, backspace, C1 controls, DEL) and every bidirectional override (U+202A-U+202E,
    U+2066-U+2069, which reorder what a terminal shows) is written as a visible escape
    (``\\x1b``, ``\\r``, ``\\u202e``), so user text cannot move the cursor, clear the screen,
    retitle the window or hide part of the line. A message's own line breaks are kept; a line
    break *inside user text* (``data=``: a column name, a path) is written as ``\\n``, so it
    cannot start a line that looks like one of spatialinno's own.
``csv_cell`` / ``excel_safe`` / ``write_csv``
    CSV files meant for Excel or WPS: a *text* cell that starts with ``= + - @``, a tab, CR or LF
    (or their full-width forms ``＝ ＋ － ＠``, which CJK input methods produce) is written with a
    leading apostrophe, so the spreadsheet shows it as text instead of evaluating a formula
    (CWE-1236; OWASP "CSV injection"). Numbers, and text that is exactly a number such as
    ``"-3"`` (a Gi* bin) or ``"-0.25"``, are never changed, so the file still reads back as
    numbers in pandas, R or Excel. Only the written file is changed; frames returned to Python
    keep the original text.

>>> html_text('<img src=x onerror="a()"> {{ 7*7 }}')
'&lt;img src=x onerror=&quot;a()&quot;&gt; &#123;&#123; 7*7 &#125;&#125;'
>>> script_json({"t": "</script><!-- {% x %}"})
'{"t": "\\\\u003c/script\\\\u003e\\\\u003c!-- \\\\u007b% x %\\\\u007d"}'
>>> url_path("javascript:alert(1)"), url_path("map_省.html")
('javascript%3Aalert%281%29', 'map_%E7%9C%81.html')
>>> plot_text("$x^2$ costs $5")
'\\\\$x^2\\\\$ costs \\\\$5'
>>> terminal_text("column 'a\\x1b[2J\\nb' not found\\nfix it", data=["a\\x1b[2J\\nb"])
"column 'a\\\\x1b[2J\\\\nb' not found\\nfix it"
>>> [csv_cell(v) for v in ("=1+1", "-3", "-x", "＝SUM(A1)", "R&D", 5)]
["'=1+1", '-3', "'-x", "'＝SUM(A1)", 'R&D', 5]
"""

from __future__ import annotations

import html
import json
import os
import re
import urllib.parse
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from ._errors import InputError

__all__ = [
    "css_color",
    "csv_cell",
    "excel_safe",
    "html_text",
    "plot_text",
    "script_json",
    "terminal_text",
    "url_path",
    "write_csv",
]

_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def html_text(value: object) -> str:
    """``value`` as HTML text or a double-quoted attribute value; no Jinja delimiter survives."""
    return html.escape(str(value), quote=True).translate(_BRACES)


# inside a JSON string literal: what could end a <script>, open an HTML comment, close a
# JavaScript string written with single quotes, or start a Jinja delimiter
_IN_SCRIPT = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "'": "\\u0027",
        "{": "\\u007b",
        "}": "\\u007d",
    }
)
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def script_json(value: Any) -> str:
    """JSON text of ``value`` that is safe anywhere inside a ``<script>`` element.

    ``ensure_ascii`` writes every non-ASCII character (U+2028 and U+2029 included) as an escape;
    the characters above are escaped inside string literals, where JSON allows ``\\uXXXX``
    (outside strings, braces are the JSON structure itself and carry no user text).
    """
    text = json.dumps(value, ensure_ascii=True, allow_nan=False)
    return _JSON_STRING.sub(lambda m: m.group(0).translate(_IN_SCRIPT), text)


def plot_text(value: object) -> str:
    """``value`` as matplotlib text that is never parsed as mathtext (``$`` escaped)."""
    return str(value).replace("$", "\\$")


_CSS_COLOR = re.compile(
    r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})"
    r"|rgba?\(\s*[\d.]+%?\s*(?:,\s*[\d.]+%?\s*){2,3}\)"
    r"|[a-zA-Z]{3,30}"
)


def css_color(value: object) -> str:
    """``value`` if it is a plain CSS colour, else :class:`InputError` (it lands in ``style=``)."""
    text = str(value)
    if not _CSS_COLOR.fullmatch(text):
        raise InputError(
            f"{text!r} is not a colour; use #rrggbb (six hex digits), rgb(r, g, b) or a CSS "
            "colour name"
        )
    return text


def url_path(path: str | os.PathLike[str]) -> str:
    """A local path (relative to the page) as the value of ``href``/``src``.

    Every character outside ``A-Z a-z 0-9 / - . _ ~`` is percent-encoded (UTF-8), ``:`` included,
    so no scheme (``javascript:``, ``data:``) can form; backslashes become ``/`` and leading
    slashes are collapsed to one, so ``//host/x`` cannot become a link to another host.
    """
    text = os.fspath(path).replace("\\", "/")
    quoted = urllib.parse.quote(text, safe="/-._~")
    return re.sub(r"^/{2,}", "/", quoted)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """``value`` for a CSV cell a spreadsheet will open: formula-looking text gets a leading ``'``.

    Non-text values and text that is exactly a decimal number are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`csv_cell` applied to text cells and column labels."""
    out = frame.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])):
            out[col] = out[col].map(csv_cell, na_action="ignore")
    out.columns = [csv_cell(c) for c in out.columns]
    return out


def write_csv(
    frame: pd.DataFrame, path: str | os.PathLike[str], *, encoding: str = "utf-8", **kwargs: Any
) -> None:
    """Write ``frame`` as CSV without its index, text cells made safe for Excel (:func:`csv_cell`)."""
    excel_safe(frame).to_csv(path, index=False, encoding=encoding, **kwargs)


# C0 controls but the line feed, DEL, C1 controls; the Unicode marks and overrides that change the
# order in which a terminal shows text (Trojan Source, CVE-2021-42574)
_TERMINAL_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_NAMED = {"\t": "\\t", "\r": "\\r", "\n": "\\n"}


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _user_strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, Mapping):
        for value in data.values():
            yield from _user_strings(value)
    elif isinstance(data, (list, tuple, set, frozenset)):
        for value in data:
            yield from _user_strings(value)


def terminal_text(text: object, data: Any = ()) -> str:
    """``text`` as a terminal shows it inertly: control characters and direction overrides as
    visible escapes; its own line breaks kept, those inside the user strings of ``data`` (a
    string, or lists, tuples and mappings of them) escaped as ``\\n``."""
    out = str(text)
    hostile = {s for s in _user_strings(data) if "\n" in s or _TERMINAL_CONTROL.search(s)}
    for value in sorted(hostile, key=len, reverse=True):
        out = out.replace(value, _ANY_CONTROL.sub(_visible, value))
    return _TERMINAL_CONTROL.sub(_visible, out)


_ANY_CONTROL = re.compile(f"\\n|{_TERMINAL_CONTROL.pattern}")
