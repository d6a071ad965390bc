"""The columns of a run on two processes (spatialinno.workflow.parallel): the same outputs as on
one, byte for byte where the format allows (folium's element ids are random on every run), the
same warnings in the same order, errors raised as a run on one process raises them, and no
worker process left behind."""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import sqlite3
import sys
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import spatialinno as si
from spatialinno.workflow import parallel
from spatialinno.workflow.parallel import in_order

pytestmark = pytest.mark.skipif(
    not parallel._can_fork(), reason="a second process is used only where the platform forks"
)

PARENT = os.getpid()


def _slow_square(i: int) -> tuple[int, int]:
    time.sleep(0.05)
    warnings.warn(f"item {i}", UserWarning, stacklevel=1)
    return i * i, os.getpid()


def test_results_and_warnings_in_item_order_from_both_processes() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = list(in_order(_slow_square, 12, jobs=2))
    assert [v for v, _ in got] == [i * i for i in range(12)]
    assert [str(c.message) for c in caught] == [f"item {i}" for i in range(12)]
    pids = {pid for _, pid in got}
    assert PARENT in pids and len(pids) == 2  # both processes took items
    assert multiprocessing.active_children() == []


@pytest.mark.filterwarnings("ignore:item")
def test_one_process_gives_the_same_as_two() -> None:
    assert [v for v, _ in in_order(_slow_square, 5, jobs=1)] == [
        v for v, _ in in_order(_slow_square, 5, jobs=2, first=2)
    ]


def _fails_in_worker(i: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("only in the worker")
    return i + 100


def test_an_item_that_fails_in_the_worker_is_computed_again_here() -> None:
    assert list(in_order(_fails_in_worker, 6, jobs=2)) == [i + 100 for i in range(6)]


def _fails_at_two(i: int) -> int:
    time.sleep(0.02)
    if i == 2:
        raise si.InputError(f"column {i}: bad values")
    return i


def test_an_error_is_raised_here_with_its_type_and_message() -> None:
    seen = []
    with pytest.raises(si.InputError, match="column 2: bad values"):
        for v in in_order(_fails_at_two, 6, jobs=2):
            seen.append(v)
    assert seen == [0, 1]  # the items before it were handed over, in order
    assert multiprocessing.active_children() == []


def _interrupted_here(i: int) -> int:
    if os.getpid() == PARENT and i >= 3:
        raise KeyboardInterrupt
    time.sleep(0.2)
    return i


def test_an_interrupt_ends_the_worker() -> None:
    with pytest.raises(KeyboardInterrupt):
        list(in_order(_interrupted_here, 8, jobs=2))
    assert multiprocessing.active_children() == []


def _nested(i: int) -> list[int]:
    return list(in_order(lambda j: j + i, 3, jobs=2))


def test_a_task_that_runs_in_order_itself_stays_in_its_process() -> None:
    assert list(in_order(_nested, 3, jobs=2)) == [[0, 1, 2], [1, 2, 3], [2, 3, 4]]


# --- analyze on one and on two processes --------------------------------------------------------

_COLUMNS = ["popu_2020", "popu_urban_2020", 'house<b>"{{ 7*7 }}"', "age_65_2020"]


def _table() -> pd.DataFrame:
    t = si.load_dataset("city_census").rename(columns={"household_2020": _COLUMNS[2]})
    t.loc[t.index[5:9], "age_65_2020"] = np.nan  # notes for one column only
    return t


def _run(tmp_path: Path, jobs: int) -> tuple[Path, list[str]]:
    out = tmp_path / f"jobs{jobs}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = si.analyze(_table(), "prefecture", _COLUMNS, out, permutations=99, seed=5,
                         formats=("gpkg", "shp"), jobs=jobs)  # fmt: skip
    return out, [str(c.message) for c in caught] + list(res.warnings)


def _without_ids(text: str) -> str:
    return re.sub(r"_[0-9a-f]{32}", "_ID", text)


_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?")


def _cell(table: str, value: object) -> object:
    if table == "qgis_projects" and isinstance(value, str) and value.startswith("504b"):
        # the project, zipped (with the zip's own time stamps): its text
        with zipfile.ZipFile(io.BytesIO(bytes.fromhex(value))) as z:
            value = "".join(z.read(n).decode() for n in z.namelist())
    return _STAMP.sub("<time>", value) if isinstance(value, str) else value


def _gpkg_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of a GeoPackage, write times left out."""
    with sqlite3.connect(path) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: [
                tuple(_cell(t, v) for v in row)
                for row in con.execute(f'SELECT * FROM "{t}" ORDER BY 1')
            ]
            for t in sorted(tables)
        }


def test_analyze_on_two_processes_writes_what_one_writes(tmp_path: Path) -> None:
    one, notes_one = _run(tmp_path, 1)
    two, notes_two = _run(tmp_path, 2)
    assert notes_one == notes_two and any("age_65_2020" in n for n in notes_one)
    files = sorted(str(p.relative_to(one)) for p in one.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(two)) for p in two.rglob("*") if p.is_file())
    assert len([f for f in files if f.endswith(".html")]) == 3 * len(_COLUMNS) + 1
    for f in files:
        a, b = (one / f).read_bytes(), (two / f).read_bytes()
        if f.endswith(".html"):
            assert _without_ids(a.decode()) == _without_ids(b.decode()), f
        elif f.endswith((".csv", ".qml", ".sld", ".dbf", ".shp", ".shx", ".prj", ".cpg")):
            assert a == b, f
    assert _gpkg_rows(one / "results.gpkg") == _gpkg_rows(two / "results.gpkg")
    summary = pd.read_csv(two / "summary.csv")
    assert [c for c in dict.fromkeys(summary["indicator"]) if c in _COLUMNS] == _COLUMNS
    assert multiprocessing.active_children() == []


def test_jobs_is_checked_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(si.InputError, match="--jobs must be a whole number >= 1"):
        si.analyze(_table(), "prefecture", _COLUMNS[:1], tmp_path / "o", jobs=0)
    assert not (tmp_path / "o").exists()


def test_default_is_two_processes_on_two_cores() -> None:
    cores = len(os.sched_getaffinity(0))
    assert parallel.default_jobs() == (2 if cores >= 2 and sys.platform == "linux" else 1)
