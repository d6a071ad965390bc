"""The command line speaks the run's language on stderr, and prints user text inertly (issue 15).

* the language is found in ``argv`` before parsing (``--lang en``, ``--lang=en``, ``--lan en``),
  so argparse's own usage errors are Chinese too; Chinese is the default, as for the report;
* every refusal the command line can reach carries a keyed message with a Chinese text whose
  fields are all among the values it carries (checked on the source, so a new refusal without
  one fails here);
* control characters, ANSI sequences, direction overrides and line breaks in user text (a path,
  a column name, an argument) are printed as visible escapes in both languages.

The Chinese forms of the errors of ``analyze`` are checked case by case beside the English ones
in test_cli.py (ERROR_CASES_ZH) and test_cli_trust.py (CLEAR_ERRORS_ZH, OPTION_ERRORS_ZH).
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pandas as pd
import pytest
from helpers_lang import english_words

from spatialinno import cli
from spatialinno._errors import InputError
from spatialinno._escape import terminal_text
from spatialinno.workflow.errortext import ERRORS
from spatialinno.workflow.messages import error_text

PACKAGE = Path(cli.__file__).parent


@pytest.mark.parametrize(
    ("argv", "lang"),
    [
        (["analyze", "t.csv", "--lang", "en"], "en"),
        (["demo", "--lang=en"], "en"),
        (["demo", "--lan", "en"], "en"),
        (["demo", "--l", "en"], "en"),  # demo has no other option starting with --l
        (["analyze", "t.csv", "--la", "en"], "zh"),  # ambiguous (--label, --lang): refused
        (["demo", "--lang", "zh"], "zh"),
        (["demo"], "zh"),
        (["layers"], "zh"),
        ([], "zh"),
        (["demo", "--lang", "fr"], "zh"),  # refused by argparse, in the default language
        (["demo", "--lang"], "zh"),
        (["analyze", "--", "--lang", "en"], "zh"),  # after --: a positional argument
        (["demo", "--lang", "en", "--lang", "zh"], "zh"),  # the last one counts, as in argparse
    ],
)
def test_the_language_is_found_before_parsing(argv: list[str], lang: str) -> None:
    assert cli.language_of(argv) == lang


USAGE_ZH = {
    "missing arguments": (["analyze"], "缺少必需的参数：table, --level, --columns, --out"),
    "not an integer": (["demo", "--seed", "abc"], "参数 --seed 需要整数，而不是 'abc'"),
    "not a number": (
        ["analyze", "t.csv", "--level", "province", "--columns", "a", "--out", "o", "--alpha", "x"],
        "参数 --alpha 需要数值，而不是 'x'",
    ),
    "unknown option": (["demo", "--bogus"], "无法识别的参数：--bogus"),
    "ambiguous option": (
        ["analyze", "t.csv", "--la", "en", "--level", "province", "--columns", "a", "--out", "o"],
        "选项 --la 有歧义，可能是：--label, --lang",
    ),
    "option without its value": (["demo", "--out"], "参数 --out 需要一个值"),
    "unknown language": (
        ["demo", "--lang", "fr"],
        "参数 --lang 的值 'fr' 无效（可选：'zh', 'en'）",
    ),
    "unknown command": (["bogus"], "参数 {demo,analyze,layers} 的值 'bogus' 无效"),
    "no command": ([], "请指定子命令：demo、analyze 或 layers"),
}


@pytest.mark.parametrize("case", list(USAGE_ZH))
def test_usage_errors_are_chinese_by_default(case: str, capsys: pytest.CaptureFixture) -> None:
    argv, message = USAGE_ZH[case]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0] == f"spatialinno: 错误: {message}" or lines[0].startswith(
        f"spatialinno: 错误: {message}"
    ), err
    # instead of argparse's English usage: how to see it
    assert len(lines) == 2 and lines[1].startswith("运行 spatialinno") and "-h 查看用法" in lines[1]
    # what the user typed, and "table": the name of analyze's positional argument
    data = ["abc", "bogus", "fr", "{demo,analyze,layers}", "t.csv", "table"]
    assert english_words(err, data) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["analyze", "--lang", "en"], "the following arguments are required: table, --level"),
        (["demo", "--seed", "abc", "--lang", "en"], "argument --seed: invalid int value: 'abc'"),
        (["demo", "--bogus", "--lang=en"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_stay_argparse_english_with_lang_en(
    argv: list[str], message: str, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(argv) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("usage: spatialinno")
    assert lines[-1].startswith(f"spatialinno: error: {message}")
    assert all("错误" not in ln and "运行" not in ln for ln in lines)


def test_demo_errors_follow_its_lang(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """demo takes --lang too: its refusals are said in it (an output path that is a file)."""
    afile = tmp_path / "afile"
    afile.write_text("mine", encoding="utf-8")
    assert cli.main(["demo", "--out", str(afile), "-q"]) == 2
    err = capsys.readouterr().err
    assert err == f"spatialinno: 错误: --out {afile} 是文件而不是文件夹；请给出一个文件夹名\n"
    assert cli.main(["demo", "--out", str(afile), "-q", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert (
        err == f"spatialinno: error: --out {afile} is a file, not a folder; choose a folder name\n"
    )
    assert afile.read_text(encoding="utf-8") == "mine"


def test_internal_errors_and_interrupts_are_said_in_the_runs_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    def boom(args: object) -> int:
        raise RuntimeError("boom\x1b[2J")

    def stop(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setitem(cli._COMMANDS, "layers", boom)
    assert cli.main(["layers"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "spatialinno: 内部错误: RuntimeError: boom\\x1b[2J",
        "请加 --debug 重新运行以查看回溯信息，并连同所运行的命令一起报告此问题",
    ]
    monkeypatch.setitem(cli._COMMANDS, "layers", stop)
    assert cli.main(["layers"]) == 130
    err = capsys.readouterr().err
    assert (
        err.startswith("spatialinno: 已中断（SIGINT）；没有留下不完整的输出")
        and "interrupted" not in err
    )


# ------------------------------------------------------------------------------------------------
# user text is printed inertly
# ------------------------------------------------------------------------------------------------
HOSTILE = "x\x1b[2J\x1b]0;pwned\x07\r\nspatialinno: error: fake\u202eab\x08"
RAW = ("\x1b", "\x07", "\r", "\u202e", "\x08")


def test_terminal_text_escapes_controls_and_user_line_breaks() -> None:
    text = f"column {HOSTILE} not found\nsecond line"
    shown = terminal_text(text, data={"col": HOSTILE, "n": 3})
    assert shown == (
        "column x\\x1b[2J\\x1b]0;pwned\\x07\\r\\nspatialinno: error: fake\\u202eab\\x08 not found"
        "\nsecond line"
    )
    assert terminal_text("tab\there", ()) == "tab\\there"
    assert terminal_text("中文，照常\n") == "中文，照常\n"  # the message's own line break stays


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_column_names_and_paths_cannot_rewrite_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture, lang: str
) -> None:
    table = tmp_path / "t.csv"
    pd.DataFrame({"省份": ["北京", "天津", "河北"], HOSTILE: [1.0, 2.0, 3.0]}).to_csv(
        table, index=False
    )
    runs = [
        # the hostile name listed among the available columns (ColumnError)
        ["analyze", str(table), "--level", "province", "--columns", "rd", "--out", "o"],
        # a path that does not exist, with the same characters
        ["analyze", str(tmp_path / f"{HOSTILE}.csv"), "--level", "province", "--columns", "a",
         "--out", "o"],
        # argparse echoes the unknown argument
        ["demo", HOSTILE],
    ]  # fmt: skip
    for i, argv in enumerate(runs):
        assert cli.main([*argv, "--lang", lang]) == 2
        err = capsys.readouterr().err
        assert not any(ch in err for ch in RAW), repr(err)
        # read_table makes the line break of a header a space; a path or an argument keeps it
        line_break = " " if i == 0 else "\\r\\n"
        assert "\\x1b[2J\\x1b]0;pwned\\x07" in err and "fake\\u202eab\\x08" in err, err
        assert f"\\x07{line_break}spatialinno: error: fake" in err, err
        # one message line (argparse's English usage above it; the Chinese hint below it)
        own = [ln for ln in err.splitlines() if ln.startswith("spatialinno:")]
        assert len(own) == 1, err
        assert own[0].startswith("spatialinno: 错误: " if lang == "zh" else "spatialinno: error: ")
    assert not (tmp_path / "o").exists()


# ------------------------------------------------------------------------------------------------
# every refusal the command line reaches has its Chinese text
# ------------------------------------------------------------------------------------------------
_ERRORS = {"InputError", "ColumnError", "JoinError", "WeightsError", "ExportError"}
#: modules whose every refusal the command line can reach
_CLI_MODULES = (
    *sorted(p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "workflow").glob("*.py")),
    "tables/read.py", "tables/sheet.py", "tables/cells.py", "tables/join.py", "tables/match.py",
    "tables/labels.py", "figures/run.py",
)  # fmt: skip
#: refusals of those modules only Python code can reach: the command line checks the value first
#: (argparse choices, parse_header, --label text) or catches the error and says it itself
#: (join_input turns _raise_or_warn's JoinError into its own list of unmatched rows)
_API_ONLY = {
    ("tables/read.py", "_header_arg"),  # --header goes through parse_header
    ("tables/read.py", "read_table"),  # decimal= and source type: argparse choices, a path
    ("tables/read.py", "_read_frame"),  # a DataFrame
    ("tables/join.py", "join_indicators"),  # on_unmatched: mapped from argparse choices
    ("tables/join.py", "_raise_or_warn"),  # caught by workflow.inputs.join_input
    ("tables/labels.py", "parse_label"),  # --label gives text, always parsed
    ("tables/labels.py", "with_labels"),  # labels= is the dict parse_labels builds
}


def _raises(tree: ast.AST) -> list[tuple[str, ast.Call, ast.FunctionDef]]:
    """(function name, error constructor call, function) of every ``raise Error(...)`` and
    ``return Error(...)``."""
    out = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        for node in ast.walk(fn):
            call = node.exc if isinstance(node, ast.Raise) else getattr(node, "value", None)
            if not isinstance(node, ast.Raise | ast.Return) or not isinstance(call, ast.Call):
                continue
            if isinstance(call.func, ast.Name) and call.func.id in _ERRORS:
                out.append((fn.name, call, fn))
    return out


def _note_of(call: ast.Call, fn: ast.FunctionDef) -> ast.Call | None:
    """The ``Note(...)`` an error is made with: its first argument, or the name assigned one."""
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Name):
        name = first.id
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                first = node.value
    if isinstance(first, ast.Call) and getattr(first.func, "id", "") in ("Note", "_unmatched_note"):
        return first
    return None


def _keys(note: ast.Call, fn: ast.FunctionDef) -> list[str]:
    """The keys a ``Note(key, ...)`` can have: a constant, the constants assigned to the name,
    or every key starting with an f-string's constant prefix."""
    key = note.args[0]
    if isinstance(key, ast.Constant):
        return [key.value]
    if isinstance(key, ast.JoinedStr):
        prefix = key.values[0].value
        return [k for k in ERRORS["zh"] if k.startswith(prefix)] or [f"{prefix}..."]
    if not isinstance(key, ast.Name):  # "a" if ... else "b"
        return [c.value for c in ast.walk(key) if isinstance(c, ast.Constant)]
    found = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == key.id for t in node.targets
        ):
            found += [c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant)]
    return [k for k in found if isinstance(k, str)]


def _fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template)
            if name}  # fmt: skip


def test_every_refusal_the_cli_reaches_has_a_chinese_text() -> None:
    unkeyed, missing, unfilled = [], [], []
    checked = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for name, call, fn in _raises(ast.parse(path.read_text(encoding="utf-8"))):
            note = _note_of(call, fn)
            if note is None:
                if rel in _CLI_MODULES and (rel, name) not in _API_ONLY:
                    unkeyed.append(f"{rel}:{call.lineno} ({name})")
                continue
            if note.func.id == "_unmatched_note":  # said in the run's language already
                continue
            given = {k.arg for k in note.keywords}
            for key in _keys(note, fn):
                checked.add(key)
                if key not in ERRORS["zh"]:
                    missing.append(f"{rel}:{call.lineno} {key}")
                elif not _fields(ERRORS["zh"][key]) <= given:
                    unfilled.append((key, sorted(_fields(ERRORS["zh"][key]) - given)))
    assert unkeyed == [], unkeyed
    assert missing == [] and unfilled == [], (missing, unfilled)
    # the check saw the refusals (and every Chinese text belongs to one)
    assert len(checked) >= 80 and set(ERRORS["zh"]) <= checked, set(ERRORS["zh"]) - checked


def test_an_error_without_a_chinese_text_keeps_the_chinese_frame(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """A refusal only Python code can reach has no Chinese text: the command line still says
    it in its Chinese frame, with the message as the package wrote it."""

    def refuse(args: object) -> int:
        raise InputError("decimal must be '.' or ',', not ';'")

    monkeypatch.setitem(cli._COMMANDS, "layers", refuse)
    assert cli.main(["layers"]) == 2
    assert capsys.readouterr().err == "spatialinno: 错误: decimal must be '.' or ',', not ';'\n"
    assert error_text(InputError("plain"), "zh") == "plain"
