"""What the command line says when a run stops, in the run's language.

An error a user can cause carries its message as a :class:`~spatialinno._notes.Note`: the
English text (what ``str(exc)`` gives in a notebook) with a ``key`` and the values it was written
from. In English the command line prints that text; in Chinese it writes the message again from
:data:`ERRORS` and the same values -- never by translating the English -- as the report does with
notes (:mod:`spatialinno.workflow.notes`). A message already written in the run's language (the
rows a join left unmatched, listed in ``--lang``) says so with ``params["said_in"]``.

* :data:`ERRORS` -- the Chinese messages, by key;
* :data:`CLI` -- the command line's own words (error, internal error, interrupted, usage);
* :func:`error_text` -- the message of an exception in ``zh`` or ``en``;
* :func:`usage_error` -- an ``argparse`` usage error in ``zh`` or ``en``.

Values are data: a column name, a path or a cell is filled in as given (``{col!r}`` shows its
quotes and hidden spaces), and the caller prints the result through
:func:`spatialinno._escape.terminal_text`, which makes control characters in them visible.

>>> from spatialinno._errors import InputError
>>> from spatialinno._notes import Note
>>> e = InputError(Note("table_not_found", "table file not found: t.csv", path="t.csv"))
>>> error_text(e, "en"), error_text(e, "zh")
('table file not found: t.csv', '找不到数据表文件：t.csv')
>>> usage_error("the following arguments are required: --out", "zh")
'缺少必需的参数：--out'
"""

from __future__ import annotations

import re
from typing import Any

from .._notes import Note
from .errortext import ERRORS
from .notes import places, render
from .text import LEVEL

__all__ = ["CLI", "ERRORS", "error_text", "usage_error"]

#: the command line's own words
CLI: dict[str, dict[str, str]] = {
    "zh": {
        "error": "错误",
        "internal": "内部错误: {kind}: {error}",
        "internal_hint": "请加 --debug 重新运行以查看回溯信息，并连同所运行的命令一起报告此问题",
        "interrupted": "已中断（{name}）；没有留下不完整的输出：输出文件夹中是此前完整的结果（如有），"
        "或本次完整的新结果",
        "usage_hint": "运行 {prog} -h 查看用法",
        "no_command": "请指定子命令：demo、analyze 或 layers",
    },
    "en": {
        "error": "error",
        "internal": "internal error: {kind}: {error}",
        "internal_hint": "run again with --debug for the traceback and report it with the "
        "command you ran",
        "interrupted": "interrupted ({name}); no partial output was left: the output folder "
        "holds the earlier complete results, if any, or the new complete ones",
        "usage_hint": "run {prog} -h for the usage",
        "no_command": "give a command: demo, analyze or layers",
    },
}

_MORE = {"zh": "等，共 {n} 个", "en": " and {n} more"}
_SEP = {"zh": "、", "en": ", "}


def _items(value: Any, lang: str, limit: int = 20) -> str:
    items = list(value)
    text = _SEP[lang].join(map(str, items[:limit]))
    return text + (_MORE[lang].format(n=len(items)) if len(items) > limit else "")


def _cells(items: Any, total: int | None = None) -> str:
    """Cells as ``第 12 行：'abc'``; ``total`` cells in all (more than shown: 等)."""
    shown = [
        f"第 {row} 行：{value!r}" if isinstance(row, int) else f"{row}：{value!r}"
        for row, value in items
    ]
    more = f" 等，共 {total} 个" if total is not None and total > len(shown) else ""
    return "，".join(shown) + more


def _code(item: Any) -> str:
    """A code saved in scientific notation, with what its kept digits can still tell."""
    row, value, digits, lost, code, name = item
    if lost < 0:
        hint = "不是整数"
    elif not code:
        hint = f"共 {digits} 位，丢失 {lost} 位"
    else:
        unit = f" = {name[0]}（{LEVEL['zh'][name[1]]}）" if name else "（内置图层中没有这个代码）"
        sure = "" if len(code) == 6 else f"，但 6 位中只有 {len(code)} 位可以确定"
        hint = f"{digits} 位中丢失 {lost} 位；若丢失的都是 0：{code.ljust(6, '0')}{unit}{sure}"
    return f"第 {row} 行：{value!r}（{hint}）"


def _duplicate(item: Any) -> str:
    unit, code, year, rows, values = item
    when = f"{year} 年" if year is not None else ""
    return (
        f"{unit}（{code}）{when}：第 {', '.join(map(str, rows))} 行"
        f"（{', '.join(map(repr, values))}）"
    )


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} 秒"
    if seconds < 7200:
        return f"{seconds / 60:.0f} 分钟"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} 小时"
    return f"{seconds / 86400:,.0f} 天"


def _offered(item: Any) -> str:
    return f"{item[0]}（或 {item[1]}）" if isinstance(item, tuple) else str(item)


def _values(note: Note, lang: str) -> dict[str, Any]:
    """The values of ``note`` as the Chinese messages write them."""
    p = note.params
    out: dict[str, Any] = {}
    for key, value in p.items():
        if isinstance(value, Note):
            out[key] = render(value, lang)
        elif key == "level":
            out[key] = LEVEL[lang].get(str(value), str(value))
        elif key == "units":
            out[key] = places(value, lang, limit=10)
        elif key in ("cells", "plain"):
            out[key] = _cells(value, p.get("n" if key == "cells" else "n_plain"))
        elif key == "codes":
            out[key] = "；".join(map(_code, value))
        elif key == "duplicates":
            out[key] = "\n  ".join(map(_duplicate, value))
        elif key == "examples":
            out[key] = "；".join(render(v, lang) for v in value)
        elif key in ("cols", "missing", "dup", "bad"):  # names as given, quoted
            out[key] = _SEP[lang].join(map(repr, value))
        elif key == "available":
            out[key] = _SEP[lang].join(map(_offered, value)) or "无"
        elif key == "header":
            out[key] = f"（行号按电子表格计，表头为第 {value} 行）" if value is not None else ""
        elif key in ("seconds", "limit"):
            out[key] = _duration(float(value))
        elif isinstance(value, (list, tuple)):
            out[key] = _items(value, lang)
        else:
            out[key] = value
    return out


def error_text(exc: BaseException, lang: str) -> str:
    """The message of ``exc`` in ``lang``: its own text in English (and for an error that has
    no Chinese message), else written from :data:`ERRORS` with the values it carries."""
    message = exc.args[0] if exc.args else None
    if not isinstance(message, Note) or lang == "en":
        return str(exc)
    if message.params.get("said_in") == lang:
        return str(message)
    template = ERRORS.get(lang, {}).get(message.key)
    if template is None:
        return str(exc)
    try:
        return template.format(**_values(message, lang))
    except (KeyError, IndexError, ValueError):  # values other than the template's: say it as is
        return str(exc)


# argparse's messages (Python 3.10-3.13) and their Chinese forms; {0}, {1} ... are the groups
_ARGPARSE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), zh)
    for pattern, zh in (
        (r"the following arguments are required: (.+)", "缺少必需的参数：{0}"),
        (r"unrecognized arguments: (.+)", "无法识别的参数：{0}"),
        (r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)", "参数 {0} 的值 {1} 无效（可选：{2}）"),
        (r"argument (.+?): invalid int value: (.+)", "参数 {0} 需要整数，而不是 {1}"),
        (r"argument (.+?): invalid float value: (.+)", "参数 {0} 需要数值，而不是 {1}"),
        (r"argument (.+?): invalid (.+?) value: (.+)", "参数 {0} 的值 {2} 无效"),
        (r"argument (.+?): expected one argument", "参数 {0} 需要一个值"),
        (r"argument (.+?): expected at most one argument", "参数 {0} 至多接受一个值"),
        (r"argument (.+?): expected at least one argument", "参数 {0} 至少需要一个值"),
        (r"argument (.+?): ignored explicit argument (.+)", "参数 {0} 不接受值（给出了 {1}）"),
        (r"argument (.+?): not allowed with argument (.+)", "参数 {0} 不能与参数 {1} 同时使用"),
        (r"ambiguous option: (.+?) could match (.+)", "选项 {0} 有歧义，可能是：{1}"),
        (r"one of the arguments (.+) is required", "必须给出参数 {0} 之一"),
        (r"unexpected option string: (.+)", "意外的选项：{0}"),
    )
)  # fmt: skip


def usage_error(message: str, lang: str) -> str:
    """An ``argparse`` usage error in ``lang`` (English: argparse's own message).

    >>> usage_error("argument --level: invalid choice: 'x' (choose from 'province', 'county')",
    ...             "zh")
    "参数 --level 的值 'x' 无效（可选：'province', 'county'）"
    """
    if lang == "en":
        return message
    for pattern, text in _ARGPARSE:
        m = pattern.fullmatch(message)
        if m:
            return text.format(*m.groups())
    return f"参数错误：{message}"
