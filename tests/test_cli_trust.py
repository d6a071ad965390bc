"""The command line when things go wrong: killed runs, unmatched rows, bad input, user column names.

* A run killed with SIGTERM or SIGINT (a real subprocess, signalled once its first output file
  exists) leaves no output folder, or the earlier complete result untouched, and no staging
  folder; the same for ``demo``.
* Table rows that match no unit stop the run with exit status 2 and are listed by reason with
  their spreadsheet rows; ``--on-unmatched warn|drop`` goes on and lists them on the terminal and
  in the report. District rows in a city table are not joined to their namesake cities.
* Every input error ends with exit status 2 and one message naming the file, column or row.
* Messages name the user's column, never an internal name.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import spatialinno as si
from spatialinno import cli
from spatialinno.workflow.inputs import RESULT_COLUMNS, layer_columns

pytestmark = pytest.mark.filterwarnings("ignore::spatialinno.DataWarning")

DATA = Path(__file__).parent / "data"
STAGING = ".spatialinno-"


def _console_script() -> str:
    beside = Path(sys.executable).with_name("spatialinno")
    assert beside.exists(), "the console script 'spatialinno' is not installed (pip install .)"
    return str(beside)


def _census_csv(path: Path) -> Path:
    census = si.load_dataset("city_census")
    pd.DataFrame(
        {
            "行政区划代码": census["city_code"],
            "城市": census["city"],
            "popu_2020": census["popu_2020"],
            "城镇人口": census["popu_urban_2020"],
        }
    ).to_csv(path, index=False)
    return path


def _province_patents(path: Path, year: int) -> Path:
    """Patent applications of the 31 provinces in ``year`` (codes, no national total row)."""
    panel = si.load_dataset("province_panel")
    rows = panel[(panel["gb"] != "156000000") & (panel["year"] == year)]
    rows[["gb", "patent_app_total"]].to_csv(path, index=False)
    return path


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(STAGING))


def _kill_after_first_output(
    args: list[str], root: Path, out: Path, sig: int, pattern: str
) -> tuple[int, str, list[str]]:
    """Start the command, wait until it has written a file matching ``pattern``, send ``sig``.

    The file is looked for in the staging folders beside ``out`` and in ``out`` itself (a file
    there counts when it is new or rewritten), so the same moment is caught whether or not the
    run stages its outputs. Returns exit status, stderr and the files seen.
    """

    def stamp(path: Path) -> int | None:
        try:
            return path.stat().st_mtime_ns
        except FileNotFoundError:  # replaced or removed between glob and stat
            return None

    earlier = {p: stamp(p) for p in out.glob(pattern)} if out.is_dir() else {}
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    proc = subprocess.Popen(
        [_console_script(), *args], cwd=root, stderr=subprocess.PIPE, text=True, env=env
    )
    seen: list[Path] = []
    deadline = time.monotonic() + 240
    try:
        while not seen and time.monotonic() < deadline and proc.poll() is None:
            staging = [p for p in root.iterdir() if p.name.startswith(STAGING) and p.is_dir()]
            seen = [f for d in staging for f in d.glob(pattern)]
            if out.is_dir():
                seen += [f for f in out.glob(pattern) if stamp(f) != earlier.get(f, 0)]
            time.sleep(0.005)
        assert seen, "no output appeared"
        assert proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, err, sorted(str(f.relative_to(root)) for f in seen)


ANALYZE = ["--level", "prefecture", "--columns", "popu_2020,城镇人口", "--permutations", "99"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "pattern"),
    [(signal.SIGTERM, "map_*.html"), (signal.SIGINT, "results.gpkg")],
    ids=["SIGTERM-after-first-map", "SIGINT-after-gpkg"],
)
def test_killed_analyze_leaves_nothing(tmp_path: Path, sig: int, pattern: str) -> None:
    table = _census_csv(tmp_path / "census.csv")
    out = tmp_path / "out"
    code, err, seen = _kill_after_first_output(
        ["analyze", table.name, *ANALYZE, "--out", "out", "--lang", "en"],
        tmp_path,
        out,
        sig,
        pattern,
    )
    assert seen  # the run had written something when it was killed
    assert code == 128 + sig, err
    assert "interrupted" in err and "Traceback" not in err
    assert not out.exists(), sorted(p.name for p in out.iterdir())
    assert _leftovers(tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_killed_overwrite_keeps_the_earlier_result(tmp_path: Path, sig: int) -> None:
    table = _census_csv(tmp_path / "census.csv")
    out = tmp_path / "out"
    argv = ["analyze", str(table), *ANALYZE, "--out", str(out), "--quiet"]
    assert cli.main(argv) == 0
    (out / "my_notes.txt").write_text("mine", encoding="utf-8")
    before = _digest(out)
    assert len(before) == 10  # report, summary, gpkg, 6 maps, my notes
    code, err, seen = _kill_after_first_output(
        ["analyze", table.name, *ANALYZE, "--out", "out", "--overwrite", "--format", "shp"],
        tmp_path,
        out,
        sig,
        "map_*.html",
    )
    assert seen and code == 128 + sig, err
    assert _digest(out) == before  # every earlier file, byte for byte; no new file
    assert _leftovers(tmp_path) == []
    # a complete --overwrite run replaces the earlier files and keeps the user's
    assert cli.main([*argv, "--overwrite", "--format", "shp"]) == 0
    after = _digest(out)
    assert after["my_notes.txt"] == before["my_notes.txt"]
    assert after["summary.csv"] == before["summary.csv"]  # same seed, same numbers
    assert any(name.startswith("shp/") for name in after)
    assert _leftovers(tmp_path) == []


@pytest.mark.slow
def test_killed_demo_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    code, err, seen = _kill_after_first_output(
        ["demo", "--out", "demo"], tmp_path, out, signal.SIGTERM, "*.html"
    )
    assert seen and code == 128 + signal.SIGTERM, err
    assert not out.exists() and _leftovers(tmp_path) == []


def test_failed_run_removes_staging_and_created_parents(tmp_path: Path) -> None:
    # fails after the staging folder exists (knn:40 > 34 provinces): nothing may stay behind
    path = _province_patents(tmp_path / "p.csv", 2020)
    out = tmp_path / "new" / "deeper" / "out"
    argv = ["analyze", str(path), "--level", "province", "--columns", "patent_app_total",
            "--weights", "knn:40", "--out", str(out)]  # fmt: skip
    assert cli.main(argv) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.csv"]


# ------------------------------------------------------------------------------------------------
# rows that match no unit
# ------------------------------------------------------------------------------------------------
def _typo_table(path: Path) -> Path:
    panel = si.load_dataset("province_panel")
    t = panel[(panel["gb"] != "156000000") & (panel["year"] == 2021)]
    t = t[["province", "rd_exp_total_10k_yuan"]].reset_index(drop=True)
    t.loc[t["province"] == "广东", "province"] = "广冬省"  # a typo
    t.to_csv(path, index=False)
    return path


def test_typo_row_stops_the_run_with_its_row(tmp_path: Path, capsys) -> None:
    path = _typo_table(tmp_path / "typo.csv")
    out = tmp_path / "out"
    # the terminal speaks the language of --lang (these are the English lines)
    argv = ["analyze", str(path), "--level", "province", "--columns", "rd_exp_total_10k_yuan",
            "--permutations", "99", "--out", str(out), "--lang", "en"]  # fmt: skip
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("spatialinno: error:") == 1 and "Traceback" not in err
    # 广东 is the 19th data row: spreadsheet row 20 (header = row 1)
    assert "1 of 31 table rows of typo.csv matched no province unit" in err
    assert "not matched (1):\n    row 20: province='广冬省'" in err
    assert "closest: 广东省 (440000)" in err and "--on-unmatched warn" in err
    assert not out.exists()


@pytest.mark.parametrize("mode", ["warn", "drop"])
def test_on_unmatched_goes_on_and_lists_rows_on_terminal_and_report(
    tmp_path: Path, capsys, mode: str
) -> None:
    path = _typo_table(tmp_path / "typo.csv")
    out = tmp_path / "out"
    argv = ["analyze", str(path), "--level", "province", "--columns", "rd_exp_total_10k_yuan",
            "--permutations", "99", "--out", str(out), "--on-unmatched", mode,
            "--lang", "en"]  # fmt: skip
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    label = "note" if mode == "drop" else "warning"
    assert f"spatialinno: {label}: 1 of 31 table rows of typo.csv matched no province unit" in err
    assert "row 20: province='广冬省'" in err
    page = (out / "report.html").read_text(encoding="utf-8")
    row = (
        '<tr><td class="si-text">20</td><td class="si-text">province</td><td class="si-text">广冬省'
    )
    assert row in page
    s = pd.read_csv(out / "summary.csv", keep_default_na=False)
    assert s.loc[s["measure"] == "rows_unmatched", "value"].item() == 1
    assert s.loc[s["measure"] == "rows_matched", "value"].item() == 30
    # the statistics use the 30 matched rows: the same Gini as the API without 广东
    table = si.read_table(path)
    gdf = si.join_indicators(table, "province", on_unmatched="ignore")
    gini = s[(s["measure"] == "gini")]["value"].astype(float).item()
    assert gini == pytest.approx(si.gini(gdf, column="rd_exp_total_10k_yuan"), abs=1e-12)


def test_district_rows_in_a_city_table_stop_the_run(tmp_path: Path, capsys) -> None:
    census = si.load_dataset("city_census")
    county = si.load_boundaries("county")
    districts = county[county["name"].str.endswith(("区", "县"))].head(300)
    table = pd.DataFrame(
        {
            "地区": [*census["city"], *districts["name"]],
            "人口": [*census["popu_2020"], *np.arange(300.0)],
        }
    )
    path = tmp_path / "cities_and_districts.csv"
    table.to_csv(path, index=False)
    argv = ["analyze", str(path), "--level", "prefecture", "--columns", "人口",
            "--out", str(tmp_path / "out"), "--lang", "en"]  # fmt: skip
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "300 of 669 table rows of cities_and_districts.csv matched no prefecture unit" in err
    assert "not matched (300):" in err and "... and 290 more" in err
    assert "is a county name; use level='county'" in err
    # 承德县 / 朝阳区 are not joined to the cities 承德市 / 朝阳市 under their short names
    matches = si.match_regions(
        pd.DataFrame({"地区": ["承德县", "朝阳区", "承德", "朝阳市"]}), "prefecture"
    )
    assert matches["how"].tolist() == ["unmatched", "unmatched", "short_name", "name"]
    assert matches["code"].tolist()[2:] == ["130800", "211300"]


# ------------------------------------------------------------------------------------------------
# clear errors: exit 2, one message naming file / column / row
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bad")
    (root / "empty.csv").write_bytes(b"")
    (root / "blank.csv").write_text("\n\n\n", encoding="utf-8")
    (root / "table.xlsx").write_text("省份,v\n北京,1\n", encoding="utf-8")
    (root / "folder.csv").mkdir()
    (root / "header.csv").write_text("省份,v\n", encoding="utf-8")
    (root / "a_file.txt").write_text("mine", encoding="utf-8")
    (root / "percent.csv").write_text("省份,v\n北京,12.5%\n天津,3\n河北,0.5\n", encoding="utf-8")
    panel = si.load_dataset("province_panel")
    t = panel[(panel["gb"] != "156000000") & (panel["year"] == 2021)]
    t = t[["province", "rd_exp_total_10k_yuan"]].reset_index(drop=True)
    # a ratio computed in pandas and saved with to_csv: 'inf' where the denominator was 0
    t.assign(per_staff=np.where(t.index == 3, np.inf, 1.0 + t.index)).to_csv(
        root / "inf.csv", index=False
    )
    t.assign(region=1.0 + t.index).to_csv(root / "clash.csv", index=False)
    t.assign(lisa_I=1.0 + t.index).to_csv(root / "internal.csv", index=False)
    return {"root": root}


CLEAR_ERRORS = {
    "empty file": ("empty.csv", "v", ["empty.csv is empty (0 bytes)"]),
    "blank lines": ("blank.csv", "v", ["blank.csv holds only blank lines"]),
    "text renamed .xlsx": ("table.xlsx", "v", ["table.xlsx cannot be read as an .xlsx workbook"]),
    "folder": ("folder.csv", "v", ["folder.csv is a folder, not a table file"]),
    "header only": ("header.csv", "v", ["header.csv has a header", "but 0 data rows"]),
    "scientific codes": (
        str(DATA / "messy_census_code12_excel.csv"),
        "常住人口2020",
        ["column '统计用区划代码'", "row 2: '1.101E+11'", "Re-export the column as text"],
    ),
    "mixed percent": ("percent.csv", "v", ["column 'v'", "mixes percentages", "row 2: '12.5%'"]),
    "infinite value (user's column, not 'values')": (
        "inf.csv",
        "per_staff",
        ["column 'per_staff' has infinite values at 山西省"],
    ),
    "column named like a layer column": (
        "clash.csv",
        "region",
        ["column(s) 'region' of clash.csv have the name of a column of the boundary layer"],
    ),
    "column named like a result column": (
        "internal.csv",
        "lisa_I",
        ["column(s) 'lisa_I' of internal.csv have the name of a result column"],
    ),
}


@pytest.mark.parametrize("case", list(CLEAR_ERRORS))
def test_clear_errors_exit_2(case: str, bad_inputs: dict[str, Path], capsys) -> None:
    name, column, fragments = CLEAR_ERRORS[case]
    root = bad_inputs["root"]
    safe = re.sub(r"\W", "_", case)
    out = root / f"out_{safe}"
    table = name if os.path.isabs(name) else str(root / name)
    argv = ["analyze", table, "--level", "province", "--columns", column, "--out", str(out),
            "--lang", "en"]  # fmt: skip
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("spatialinno: error:") == 1, err
    assert "Traceback" not in err and "'values'" not in err and "_table" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    assert not out.exists()


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--seed", "-1"], "--seed must be a whole number >= 0"),
        (["--out", "{root}/a_file.txt/out"], "a_file.txt is a file, not a folder"),
        (["--header", "0"], "--header '0' is not understood"),
    ],
    ids=["negative seed", "out below a file", "bad header"],
)
def test_clear_option_errors_exit_2(
    extra: list[str], fragment: str, bad_inputs: dict[str, Path], capsys
) -> None:
    root = bad_inputs["root"]
    table = _typo_table(root / "ok.csv")
    extra = [e.format(root=root) for e in extra]
    out = [] if "--out" in extra else ["--out", str(root / "never")]
    argv = ["analyze", str(table), "--level", "province", "--columns",
            "rd_exp_total_10k_yuan", "--on-unmatched", "drop", *out, *extra,
            "--lang", "en"]  # fmt: skip
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("spatialinno: error:") == 1 and fragment in err, err
    assert not (root / "never").exists() and (root / "a_file.txt").read_text() == "mine"


#: CLEAR_ERRORS and the option errors above, said in Chinese (no --lang: the run's default)
CLEAR_ERRORS_ZH = {
    "empty file": ["empty.csv 是空文件（0 字节），没有表头也没有数据行"],
    "blank lines": ["blank.csv 只有空行（3 行）"],
    "text renamed .xlsx": ["table.xlsx 无法作为 .xlsx 工作簿读取：它不是工作簿"],
    "folder": ["folder.csv 是文件夹而不是数据表文件"],
    "header only": ["header.csv 有表头（2 列：省份、v），但没有数据行"],
    "scientific codes": [
        "列 '统计用区划代码' 有 369 行代码是科学计数法：第 2 行：'1.101E+11'（12 位中丢失 8 位；"
        "若丢失的都是 0：110100 = 北京市（地级），但 6 位中只有 4 位可以确定）",
        "（行号按电子表格计，表头为第 1 行）",
        "请从原始工作簿或数据源重新把该列导出为文本",
    ],
    "mixed percent": [
        "percent.csv 的列 'v' 混用了百分数（第 2 行：'12.5%'）和普通数字（第 3 行：'3'，第 4 行："
        "'0.5'）（行号按电子表格计，表头为第 1 行）"
    ],
    "infinite value (user's column, not 'values')": ["列 'per_staff' 在以下单元为无穷大：山西省"],
    "column named like a layer column": [
        "clash.csv 的列 'region' 与边界图层的列（code、name、",
        "（如 'region' → 'region_value'）",
    ],
    "column named like a result column": [
        "internal.csv 的列 'lisa_I' 与分析添加的结果列（lisa_I、"
    ],
}
OPTION_ERRORS_ZH = {
    "negative seed": (["--seed", "-1"], "--seed 应为不小于 0 的整数（如 --seed 0），而不是 -1"),
    "out below a file": (["--out", "{root}/a_file.txt/out"], "a_file.txt 是文件而不是文件夹"),
    "bad header": (["--header", "0"], "无法识别 --header '0'；请用 auto"),
    "label of a missing column": (["--label", "nope=x|y"], "--label 给出的列 'nope' 不在表格中"),
    "missing key": (
        ["--key", "nokey"],
        "在 ok.csv 中找不到 --key 列 'nokey'；现有的列：province、",
    ),
    "year without years": (["--year", "2020"], "给出了 --year 2020，但表格既没有年份列"),
    "twice": (["--columns", "a,a"], "--columns 中重复给出了列：'a'"),
    "too many permutations": (
        ["--permutations", "100000000"],
        "--permutations 100000000 超出本次运行能用到的次数：任何检验在 99,999 次以上都不再有收益。"
        "LISA 聚类在 α/m = 0.05/30 下判定",
    ),
}


@pytest.mark.parametrize("case", [*CLEAR_ERRORS, *OPTION_ERRORS_ZH])
def test_clear_errors_are_said_in_chinese_by_default(
    case: str, bad_inputs: dict[str, Path], capsys
) -> None:
    from helpers_lang import english_words

    root = bad_inputs["root"]
    if case in CLEAR_ERRORS:
        name, column, _ = CLEAR_ERRORS[case]
        table = name if os.path.isabs(name) else str(root / name)
        fragments, extra = CLEAR_ERRORS_ZH[case], ["--out", str(root / "never")]
    else:
        table, column = str(_typo_table(root / "ok.csv")), "rd_exp_total_10k_yuan"
        extra, fragment = OPTION_ERRORS_ZH[case]
        extra = [e.format(root=root) for e in extra]
        extra += [] if "--out" in extra else ["--out", str(root / "never")]
        fragments = [fragment]
        extra += ["--on-unmatched", "drop"]
    argv = ["analyze", table, "--level", "province", "--columns", column, *extra]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    message = [ln for ln in err.splitlines() if ln.startswith("spatialinno: 错误: ")]
    assert len(message) == 1 and "Traceback" not in err and "error" not in err, err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    data = [str(root), Path(table).name, column, "统计用区划代码", "12.5%", "per_staff", "lisa_I",
            "region_value", "lisa_I_value", "region", "nope", "x|y", "nokey", "a_file.txt",
            *extra, *LAYER_AND_RESULT_COLUMNS, "rd_exp_total_10k_yuan"]  # fmt: skip
    assert english_words(err, data) == [], err
    assert not (root / "never").exists()


# the boundary layer's columns and the result columns, listed by two of the messages
LAYER_AND_RESULT_COLUMNS = [*layer_columns("province"), "geometry", *RESULT_COLUMNS]


def test_yearbook_sheet_through_the_cli(tmp_path: Path, capsys) -> None:
    """Detected layout said on the terminal; --header gives the same; 全国 is a total row."""
    out = tmp_path / "out"
    column = "R&D经费_内部支出(万元)"
    argv = ["analyze", str(DATA / "messy_yearbook_rd_2021.xlsx"), "--level", "province",
            "--columns", column, "--permutations", "99", "--out", str(out),
            "--lang", "en"]  # fmt: skip
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert (
        "spatialinno: note: messy_yearbook_rd_2021.xlsx: rows 1–2 skipped above the header" in err
    )
    assert "header of 2 rows (rows 3–4) combined" in err and "rows 38–39" in err
    assert "row 5: 地区='全国': '全国' is a total row" in err
    assert cli.main([*argv, "--header", "3-4", "--on-unmatched", "drop", "--quiet"]) == 0
    s = pd.read_csv(out / "summary.csv", keep_default_na=False)
    panel = si.load_dataset("province_panel")
    p21 = panel[(panel["year"] == 2021) & (panel["gb"] != "156000000")]
    expected = si.gini(p21["rd_exp_total_10k_yuan"].to_numpy())
    got = s[(s["measure"] == "gini") & (s["indicator"] == column)]["value"].astype(float).item()
    assert got == pytest.approx(expected, abs=1e-12)


def test_wide_column_by_its_full_name_keeps_that_name(tmp_path: Path) -> None:
    out = tmp_path / "out"
    column = "2020年R&D人员全时当量"
    argv = ["analyze", str(DATA / "messy_province_rd_wide.xlsx"), "--level", "province",
            "--year", "2020", "--columns", column, "--permutations", "99", "--out", str(out),
            "--quiet"]  # fmt: skip
    assert cli.main(argv) == 0
    s = pd.read_csv(out / "summary.csv", keep_default_na=False)
    assert set(s.loc[s["indicator"] != "", "indicator"]) == {column}
    assert html.escape(column) in (out / "report.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------------
# the staging folder itself
# ------------------------------------------------------------------------------------------------
def _earlier(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("*.html") if p.is_file())


def test_staging_that_cannot_start_never_touches_out(tmp_path: Path, monkeypatch) -> None:
    from spatialinno.workflow import staging as _staging

    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("earlier", encoding="utf-8")

    def no_space(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device", str(tmp_path))

    monkeypatch.setattr(_staging.tempfile, "mkdtemp", no_space)
    with (
        pytest.raises(si.InputError, match="No space left on device"),
        _staging.Staging(out, _earlier),
    ):
        pass
    assert (out / "report.html").read_text(encoding="utf-8") == "earlier"


def test_commit_that_fails_half_way_puts_the_earlier_files_back(
    tmp_path: Path, monkeypatch
) -> None:
    from spatialinno.workflow import staging as _staging

    out = tmp_path / "out"
    out.mkdir()
    for name in ("report.html", "map_a.html"):
        (out / name).write_text(f"earlier {name}", encoding="utf-8")
    (out / "mine.txt").write_text("mine", encoding="utf-8")
    before = _digest(out)
    real = os.replace
    calls = {"n": 0}

    def flaky(src: object, dst: object) -> None:
        calls["n"] += 1
        if calls["n"] == 4:  # two old files moved aside, one new moved in, then a failure
            raise OSError(5, "Input/output error")
        real(src, dst)

    with (
        pytest.raises(OSError, match="Input/output error"),
        _staging.Staging(out, _earlier) as stage,
    ):
        for name in ("report.html", "map_a.html", "map_b.html"):
            (stage.path / name).write_text(f"new {name}", encoding="utf-8")
        monkeypatch.setattr(_staging.os, "replace", flaky)
        stage.commit()
    monkeypatch.setattr(_staging.os, "replace", real)
    assert _digest(out) == before
    assert _leftovers(tmp_path) == []


# ------------------------------------------------------------------------------------------------
# a permutation count no test of the run can use: refused up front, naming what the run needs
# ------------------------------------------------------------------------------------------------
def _largest_useful(threshold: float) -> int:
    """Smallest 10^k - 1 (k >= 3) with P >= 100 (1 - t) / t, counted out here (independent of
    spatialinno): from there on sqrt(t (1 - t) / P) <= t / 10."""
    k = 3
    while 10**k - 1 < 100 * (1 - threshold) / threshold:
        k += 1
    return 10**k - 1


@pytest.mark.parametrize("correction", ["none", "fdr"])
def test_huge_permutations_refused_up_front_naming_what_the_run_needs(
    tmp_path: Path, capsys, correction: str
) -> None:
    table = _census_csv(tmp_path / "census.csv")
    out = tmp_path / "out"
    argv = ["analyze", str(table), "--level", "prefecture", "--columns", "popu_2020",
            "--permutations", "100000000", "--correction", correction, "--out", str(out),
            "--lang", "en"]  # fmt: skip
    t0 = time.perf_counter()
    assert cli.main(argv) == 2
    assert time.perf_counter() - t0 < 60  # before any statistic, not after a 5-minute estimate
    err = capsys.readouterr().err
    assert err.count("spatialinno: error:") == 1 and "Traceback" not in err
    assert not out.exists() and _leftovers(tmp_path) == []
    # the run's own message, not the first statistic's (spatial_gini named only its own 99,999)
    assert "spatial_gini" not in err
    assert "--permutations 100000000 is more than this run can use" in err
    m = int(si.join_indicators(si.read_table(table), "prefecture")["popu_2020"].notna().sum())
    lisa_need = _largest_useful(0.05 / m if correction == "fdr" else 0.05)
    global_need = _largest_useful(0.001)
    assert (lisa_need, global_need) == (
        (999_999, 99_999) if correction == "fdr" else (9_999, 99_999)
    )
    at = f"alpha/m = 0.05/{m}" if correction == "fdr" else "alpha = 0.05"
    assert f"The LISA clusters decide at {at} and need at most {lisa_need:,}" in err
    assert "Moran's I and the spatial Gini are sized for 0.001" in err
    assert f"need at most {global_need:,}" in err
    assert f"Use --permutations {lisa_need}" in err


def test_permutations_the_run_can_use_are_not_refused(tmp_path: Path) -> None:
    """The largest count the run can use runs; one more is refused (31 provinces, FDR)."""
    path = _province_patents(tmp_path / "p.csv", 2021)
    need = max(_largest_useful(0.05 / 31), _largest_useful(0.001))
    assert need == 99_999
    base = ["analyze", str(path), "--level", "province", "--columns", "patent_app_total",
            "--correction", "fdr", "--quiet"]  # fmt: skip
    assert cli.main([*base, "--permutations", str(need + 1), "--out", str(tmp_path / "a")]) == 2
    assert cli.main([*base, "--permutations", str(need), "--out", str(tmp_path / "b")]) == 0
    # the count used, in the report's language (Chinese by default; issue 15)
    assert f"置换次数 {need}" in (tmp_path / "b" / "report.html").read_text(encoding="utf-8")
