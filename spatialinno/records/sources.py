"""Where records come from: a pandas DataFrame, CSV/Parquet files, or a dask DataFrame.

Record-level work (locating addresses, pairing co-applicants) is written once as a *map* function
applied to one pandas chunk and a *reduce* function applied to one bucket of the map output
(:func:`map_reduce`). The engines only decide where the chunks come from and where the buckets
live:

``pandas``  the whole DataFrame is one chunk and one bucket.
``files``   a path, a glob (``"cnipa/*.csv"``) or a list of CSV/Parquet files is read in chunks of
            ``chunksize`` rows; each chunk's map output is split by a hash of the patent id into
            ``K`` buckets appended to temporary files, then each bucket is reduced on its own.
            ``K`` grows with the input size (one bucket per ~500,000 records, counted from the
            Parquet metadata or estimated from the line density of the CSV files), so peak memory
            is set by ``chunksize`` and the bucket size, not by the number of records.
``dask``    a ``dask.dataframe.DataFrame`` (or files read with ``engine="dask"``): every partition
            is mapped by a dask task, bucket ``k`` of every partition goes to one reduce task
            (as many buckets as partitions, at most 64), on whatever scheduler is active (a
            ``distributed.Client`` when one exists).

The hash (``pandas.util.hash_pandas_object``, fixed key) is the same in every process, and the
reduce output holds only integer counts, so the three engines give identical results.
"""

from __future__ import annotations

import glob
import math
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ColumnError, InputError, OptionalDependencyError

__all__ = [
    "ENGINES",
    "bucket_of",
    "engine_of",
    "map_reduce",
    "resolve_paths",
]

ENGINES: tuple[str, ...] = ("pandas", "files", "dask")
_CSV_BYTES_PER_BUCKET = 16 * 2**20  # compressed CSV: bytes per bucket (no line count at hand)
_ROWS_PER_BUCKET = 500_000
_DASK_MAX_BUCKETS = 64
_MERGE_EVERY = 8
_DASK_HINT = 'install the extra: pip install "spatialinno[dask]"'

MapFn = Callable[[pd.DataFrame, int, str], tuple[list[pd.DataFrame], dict[str, Any]]]
ReduceFn = Callable[[list[pd.DataFrame]], dict[str, pd.DataFrame]]
MergeFn = Callable[[list[dict[str, pd.DataFrame]]], dict[str, pd.DataFrame]]


def _is_dask(obj: object) -> bool:
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr")


def _dask() -> Any:
    try:
        import dask
        import dask.dataframe
    except ImportError as err:
        raise OptionalDependencyError(
            f"processing records with dask needs dask and distributed; {_DASK_HINT}"
        ) from err
    return dask


def engine_of(records: object, engine: str | None) -> str:
    """The engine for ``records``: pandas for a DataFrame, files for paths, dask for dask objects."""
    if engine is not None and engine not in ENGINES:
        raise InputError(f"engine must be one of {', '.join(ENGINES)} or None, not {engine!r}")
    if _is_dask(records):
        if engine not in (None, "dask"):
            raise InputError(f"records are a dask DataFrame; engine={engine!r} cannot read them")
        return "dask"
    if isinstance(records, pd.DataFrame):
        if engine == "files":
            raise InputError("engine='files' needs a path or glob, not a DataFrame")
        if engine == "dask":
            _dask()
        return engine or "pandas"
    if isinstance(records, (str, os.PathLike)) or (
        isinstance(records, (list, tuple))
        and all(isinstance(p, (str, os.PathLike)) for p in records)
    ):
        if engine == "pandas":
            raise InputError("engine='pandas' needs a DataFrame; for files use engine='files'")
        if engine == "dask":
            _dask()
        return engine or "files"
    raise InputError(
        "records must be a pandas DataFrame, a path or glob of CSV/Parquet files (or a list of "
        f"them), or a dask DataFrame, not {type(records).__name__}"
    )


def resolve_paths(records: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Sorted files named by a path, a glob pattern, a directory or a list of those."""
    items = [records] if isinstance(records, (str, os.PathLike)) else list(records)
    paths: list[Path] = []
    for item in items:
        text = os.fspath(item)
        if any(ch in text for ch in "*?["):
            paths += sorted(Path(p) for p in glob.glob(text))
        elif Path(text).is_dir():
            paths += sorted(p for p in Path(text).iterdir() if _kind(p) is not None)
        elif Path(text).is_file():
            paths.append(Path(text))
        else:
            raise InputError(f"no file or directory {text!r}; check the path")
    if not paths:
        raise InputError(f"no CSV or Parquet file matches {records!r}")
    for p in paths:
        if _kind(p) is None:
            raise InputError(f"{p}: not a CSV (.csv, .csv.gz, .txt) or Parquet (.parquet) file")
    return paths


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".csv.gz", ".csv.bz2", ".csv.zip", ".csv.xz", ".txt", ".tsv")):
        return "csv"
    return None


def _pyarrow() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError as err:
        raise OptionalDependencyError(
            f"reading Parquet files needs pyarrow; {_DASK_HINT} (or pip install pyarrow)"
        ) from err
    return pq


def _header(path: Path, encoding: str) -> list[str]:
    if _kind(path) == "parquet":
        return list(_pyarrow().ParquetFile(path).schema_arrow.names)
    sep = "\t" if path.name.lower().endswith(".tsv") else ","
    return list(pd.read_csv(path, nrows=0, encoding=encoding, sep=sep).columns)


def _check_columns(path: Path, columns: Sequence[str], encoding: str) -> None:
    header = _header(path, encoding)
    missing = [c for c in columns if c not in header]
    if missing:
        raise ColumnError(
            f"column(s) {', '.join(map(repr, missing))} not found in {path}; "
            f"available columns: {', '.join(header)}"
        )


def _chunks(
    paths: Sequence[Path], columns: Sequence[str], chunksize: int, encoding: str
) -> Iterator[tuple[pd.DataFrame, str]]:
    """(chunk, where) for every chunk of every file; ``where`` names the file and first row."""
    for path in paths:
        _check_columns(path, columns, encoding)
        if _kind(path) == "parquet":
            pf = _pyarrow().ParquetFile(path)
            start = 0
            for batch in pf.iter_batches(batch_size=chunksize, columns=list(columns)):
                frame = batch.to_pandas()
                yield frame, f"{path}, data row {start}"
                start += len(frame)
            continue
        sep = "\t" if path.name.lower().endswith(".tsv") else ","
        reader = pd.read_csv(
            path,
            usecols=list(columns),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            chunksize=chunksize,
            encoding=encoding,
            sep=sep,
        )
        start = 0
        try:
            for frame in reader:
                yield frame, f"{path}, data row {start}"
                start += len(frame)
        except UnicodeDecodeError as err:
            raise InputError(
                f"{path} is not {encoding} text near data row {start} ({err.reason}); pass "
                "encoding='gb18030' (or the file's encoding)"
            ) from err


def _rows_per_byte(path: Path) -> float | None:
    """Lines per byte in the first MB of a plain CSV file (None when compressed or empty)."""
    if not path.name.lower().endswith((".csv", ".txt", ".tsv")):
        return None
    with path.open("rb") as fh:
        head = fh.read(2**20)
    lines = head.count(b"\n")
    return lines / len(head) if lines >= 2 else None


def _n_buckets(paths: Sequence[Path]) -> int:
    """Buckets of about ``_ROWS_PER_BUCKET`` records: row counts from Parquet metadata, from the
    line density of the first MB of CSV, or ``_CSV_BYTES_PER_BUCKET`` of compressed CSV."""
    rows = 0.0
    for p in paths:
        if _kind(p) == "parquet":
            rows += _pyarrow().ParquetFile(p).metadata.num_rows
            continue
        density = _rows_per_byte(p)
        size = p.stat().st_size
        rows += size * density if density else size / _CSV_BYTES_PER_BUCKET * _ROWS_PER_BUCKET
    return max(1, math.ceil(rows / _ROWS_PER_BUCKET))


def bucket_of(keys: pd.Series, n_buckets: int) -> np.ndarray:
    """Bucket number of each key: a fixed-key hash, the same in every process and machine."""
    if n_buckets == 1:
        return np.zeros(len(keys), dtype=np.int64)
    hashed = pd.util.hash_pandas_object(keys, index=False).to_numpy()
    return (hashed % np.uint64(n_buckets)).astype(np.int64)


def map_reduce(
    records: Any,
    engine: str,
    columns: Sequence[str],
    map_fn: MapFn,
    reduce_fn: ReduceFn,
    chunksize: int = 500_000,
    encoding: str = "utf-8",
    merge_fn: MergeFn | None = None,
) -> tuple[list[dict[str, pd.DataFrame]], list[dict[str, Any]]]:
    """Run ``map_fn`` on every chunk and ``reduce_fn`` on every bucket.

    ``map_fn(chunk, n_buckets, where)`` returns ``(buckets, extra)``: a list of ``n_buckets``
    frames and a small dict of counters; ``reduce_fn(frames)`` gets every chunk's frame of one
    bucket and returns a dict of small frames. Returns the reduce outputs (one per bucket, or
    fewer when ``merge_fn`` folds them together) and the map extras (one per chunk, in input
    order). ``merge_fn(outputs)`` adds several reduce outputs into one; the file engine calls it
    every few buckets, so that the outputs kept do not grow with the number of buckets.
    """
    if engine == "pandas":
        buckets, extra = map_fn(records[list(columns)], 1, "the records")
        return [reduce_fn(buckets)], [extra]
    if engine == "files":
        paths = resolve_paths(records)
        return _map_reduce_files(paths, columns, map_fn, reduce_fn, chunksize, encoding, merge_fn)
    return _map_reduce_dask(records, columns, map_fn, reduce_fn, encoding)


def _map_reduce_files(
    paths: Sequence[Path],
    columns: Sequence[str],
    map_fn: MapFn,
    reduce_fn: ReduceFn,
    chunksize: int,
    encoding: str,
    merge_fn: MergeFn | None,
) -> tuple[list[dict[str, pd.DataFrame]], list[dict[str, Any]]]:
    n_buckets = _n_buckets(paths)
    extras = []
    with tempfile.TemporaryDirectory(prefix="spatialinno-buckets-") as tmp:
        files = [Path(tmp) / f"bucket{k:05d}.pkl" for k in range(n_buckets)]
        handles = [f.open("ab") for f in files]
        try:
            for chunk, where in _chunks(paths, columns, chunksize, encoding):
                buckets, extra = map_fn(chunk, n_buckets, where)
                extras.append(extra)
                for handle, frame in zip(handles, buckets, strict=True):
                    if len(frame):
                        pickle.dump(frame, handle, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            for handle in handles:
                handle.close()
        outputs = []
        for f in files:
            frames = []
            with f.open("rb") as handle:
                while True:
                    try:
                        frames.append(pickle.load(handle))  # our own temporary file
                    except EOFError:
                        break
            outputs.append(reduce_fn(frames))  # it may empty the list to free the pieces early
            del frames
            f.unlink()
            if merge_fn is not None and len(outputs) >= _MERGE_EVERY:
                outputs = [merge_fn(outputs)]
    return outputs, extras


def _read_dask(records: Any, columns: Sequence[str], encoding: str) -> Any:
    import dask.dataframe as dd

    if isinstance(records, pd.DataFrame):
        n = max(1, min(64, len(records) // 250_000 + 1))
        return dd.from_pandas(records[list(columns)], npartitions=n)
    paths = resolve_paths(records)
    for p in paths:
        _check_columns(p, columns, encoding)
    names = [str(p) for p in paths]
    if all(_kind(p) == "parquet" for p in paths):
        return dd.read_parquet(names, columns=list(columns))
    if any(_kind(p) == "parquet" for p in paths):
        raise InputError("engine='dask' reads either CSV or Parquet files, not a mix of both")
    return dd.read_csv(
        names,
        usecols=list(columns),
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        encoding=encoding,
        blocksize="64MB",
    )


def _map_reduce_dask(
    records: Any, columns: Sequence[str], map_fn: MapFn, reduce_fn: ReduceFn, encoding: str
) -> tuple[list[dict[str, pd.DataFrame]], list[dict[str, Any]]]:
    dask = _dask()
    ddf = records if _is_dask(records) else _read_dask(records, columns, encoding)
    missing = [c for c in columns if c not in ddf.columns]
    if missing:
        raise ColumnError(
            f"column(s) {', '.join(map(repr, missing))} not found in the dask DataFrame; "
            f"available columns: {', '.join(map(str, ddf.columns))}"
        )
    parts = ddf[list(columns)].to_delayed()
    # each map output is cut into n_buckets pieces: P x n_buckets small tasks in the graph, so
    # the number of buckets is capped (see benchmarks/FINDINGS.md for thousands of partitions)
    n_buckets = max(1, min(len(parts), _DASK_MAX_BUCKETS))
    mapped = [
        dask.delayed(map_fn, nout=2)(part, n_buckets, f"partition {i}")
        for i, part in enumerate(parts)
    ]
    reduced = [
        dask.delayed(reduce_fn)([dask.delayed(_pick)(m[0], k) for m in mapped])
        for k in range(n_buckets)
    ]
    results = dask.compute(*reduced, *[m[1] for m in mapped])
    return list(results[:n_buckets]), list(results[n_buckets:])


def _pick(buckets: list[pd.DataFrame], k: int) -> pd.DataFrame:
    return buckets[k]
