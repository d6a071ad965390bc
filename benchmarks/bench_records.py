"""Raw records at scale: ``si.locate`` and ``si.copatent_network`` on up to 10^7 synthetic records.

Sections (each heavy run in a fresh process, so its peak memory is its own):

``peers``    accuracy per category of ``si.locate``, ``cpca`` 0.5.5 and ``jionlp`` 1.5.31 on the
             labelled set ``tests/reference/locate_testset.csv`` (the peers are optional: installed
             for the comparison only, never dependencies), and their speed on distinct addresses
``locate``   records/s of ``Locator.locate_array`` (what ``si.locate`` and the co-patent map step
             run) on 10^7 records with repeats, and on distinct addresses only; one core
``pandas``   ``si.copatent_network`` on a 10^7-row DataFrame in memory
``files``    the same records as CSV files read in chunks, at 2x10^6 and 10^7 rows: peak memory
             must not grow with the number of records
``dask``     the same files with ``engine="dask"`` on a ``distributed.LocalCluster`` of two worker
             processes (one thread each), against the one-process file path

Records come from ``_records_data.py`` (applicants drawn from real unit names and addresses).
Peak memory is ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of the process (dask: also the
largest worker). Usage::

    python benchmarks/bench_records.py                 # all sections, 10^7 records (~15 min)
    python benchmarks/bench_records.py --quick         # 10^6 records, smoke test
    python benchmarks/bench_records.py --only peers,locate
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _harness import (  # noqa: E402
    Section,
    Target,
    load_average,
    markdown_table,
    python_cmd,
    run_checked,
)

DATA = Path(os.environ.get("SPATIALINNO_BENCH_DATA", "/tmp/spatialinno-bench-records"))
POOL = 500_000  # distinct applicants (organisation + address)
TESTSET = HERE.parent / "tests" / "reference" / "locate_testset.csv"


# ------------------------------------------------------------------------------------------------
# work done in child processes: ``python bench_records.py --worker <task> <n>`` prints JSON
# ------------------------------------------------------------------------------------------------
def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _files(n: int) -> str:
    import _records_data as data

    folder = DATA / f"csv_{n}"
    if not (folder / "done").exists():
        pool = data.applicant_pool(POOL, seed=0)
        data.write_csv(folder, n, pool)
        (folder / "done").write_text("ok")
    return str(folder / "records_*.csv")


def _frame(n: int):
    import pandas as pd

    paths = sorted(Path(_files(n).rsplit("/", 1)[0]).glob("records_*.csv"))
    return pd.concat([pd.read_csv(p, dtype=str) for p in paths], ignore_index=True)


def _worker_locate(n: int) -> dict:
    from spatialinno.records.locate import Locator

    frame = _frame(n)
    address = frame["address"]
    t0 = time.perf_counter()
    _, results, uniques = Locator().locate_array(address, 1, notes=False)
    with_repeats = time.perf_counter() - t0
    t0 = time.perf_counter()
    Locator().locate_array(uniques, 1, notes=False)
    distinct = time.perf_counter() - t0
    # distinct texts that also name places no earlier text named (no signature reuse): the
    # street numbers and organisation names around the places differ, the places too
    import pandas as pd

    fresh = pd.Series(uniques).str.replace(r"\d+号", "", regex=True).drop_duplicates().tolist()
    from spatialinno.records.gazetteer import clean_text
    from spatialinno.records.locate import _matches

    loc = Locator()
    seen, cold = set(), []
    for text in fresh:
        sig = _matches(loc.gazetteer, clean_text(text))[1]
        if sig not in seen:
            seen.add(sig)
            cold.append(text)
    t0 = time.perf_counter()
    loc.locate_array(cold, 1, notes=False)
    cold_s = time.perf_counter() - t0
    located = sum(
        r[3] in ("full_path", "city", "district", "district_in_context", "history") for r in results
    )
    return {
        "records": len(address),
        "distinct": len(uniques),
        "with_repeats_s": with_repeats,
        "distinct_s": distinct,
        "cold": len(cold),
        "cold_s": cold_s,
        "located_share_distinct": located / max(1, len(uniques)),
        "rss_mb": _rss_mb(),
    }


def _worker_pandas(n: int) -> dict:
    import spatialinno as si

    frame = _frame(n)
    before = _rss_mb()
    si.locate(["北京市"])  # gazetteer built outside the timing (0.8 s, once per process)
    t0 = time.perf_counter()
    net = si.copatent_network(frame, applicant="applicant")
    seconds = time.perf_counter() - t0
    return {
        "records": len(frame),
        "s": seconds,
        "rss_before_mb": before,
        "rss_mb": _rss_mb(),
        "kept": net.report.n_kept,
    }


def _worker_files(n: int) -> dict:
    import spatialinno as si

    pattern = _files(n)
    si.locate(["北京市"])
    t0 = time.perf_counter()
    net = si.copatent_network(pattern, applicant="applicant")
    seconds = time.perf_counter() - t0
    edges = net.to_frames()[1]
    return {
        "records": net.report.n_records,
        "s": seconds,
        "rss_mb": _rss_mb(),
        "kept": net.report.n_kept,
        "edges": len(edges),
        "weight": float(edges["weight"].sum()),
    }


def _worker_files_core(n: int) -> dict:
    """Only the record-level work of the file path (read, locate, pair, count): no network."""
    from functools import partial

    import spatialinno as si
    from spatialinno.records import pairs, sources

    pattern = _files(n)
    si.locate(["北京市"])
    spec = pairs.Spec("patent", "address", "year", "applicant", None, 1)
    t0 = time.perf_counter()
    outputs, extras = sources.map_reduce(
        pattern,
        "files",
        spec.columns,
        partial(pairs.map_chunk, spec=spec),
        partial(pairs.reduce_bucket, spec=spec),
        merge_fn=pairs.merge,
    )
    seconds = time.perf_counter() - t0
    edges = pairs.combine(outputs, "edges", ["key"])
    return {
        "records": sum(e["records"] for e in extras),
        "s": seconds,
        "rss_mb": _rss_mb(),
        "buckets": len(outputs),
        "edge_rows": len(edges),
    }


def _worker_dask(n: int) -> dict:
    from distributed import Client, LocalCluster

    import spatialinno as si

    pattern = _files(n)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: si.locate(["北京市"]))  # each worker builds its gazetteer once
        t0 = time.perf_counter()
        net = si.copatent_network(pattern, applicant="applicant", engine="dask")
        seconds = time.perf_counter() - t0
        workers = client.run(_rss_mb)
    edges = net.to_frames()[1]
    return {
        "records": net.report.n_records,
        "s": seconds,
        "rss_mb": _rss_mb(),
        "worker_rss_mb": max(workers.values()),
        "kept": net.report.n_kept,
        "edges": len(edges),
        "weight": float(edges["weight"].sum()),
    }


def _worker_peers(_: int) -> dict:
    from _records_peers import compare

    return compare(TESTSET)


WORKERS = {
    "prepare": lambda n: {"pattern": _files(n)},  # data generated before, not in, a measured run
    "locate": _worker_locate,
    "pandas": _worker_pandas,
    "files": _worker_files,
    "files_core": _worker_files_core,
    "dask": _worker_dask,
    "peers": _worker_peers,
}


def _child(task: str, n: int) -> dict:
    out = run_checked(python_cmd(str(Path(__file__)), "--worker", task, str(n)), timeout=7200)
    return json.loads(out.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------
# the section
# ------------------------------------------------------------------------------------------------
def _rate(n: float, s: float) -> str:
    return f"{n / s:,.0f}/s"


def run(quick: bool = False, only: set[str] | None = None) -> Section:
    big = 1_000_000 if quick else 10_000_000
    small = 200_000 if quick else 2_000_000
    sec = Section(
        title="Raw records: locate and co-patent networks",
        intro=(
            f"Synthetic long-form records (`benchmarks/_records_data.py`: {POOL:,} applicants with "
            "addresses from real unit names, Zipf popularity, 2-6 applicants per patent). "
            "Each run in a fresh process; peak memory = ru_maxrss."
        ),
        headers=["what", "records", "time", "records/s", "peak memory", "notes"],
    )
    t_start = time.perf_counter()
    sec.load = load_average()
    want = only or set(WORKERS)
    results: dict[str, dict] = {}
    for n in (small, big) if want & {"locate", "pandas", "files", "dask"} else ():
        _child("prepare", n)
    if "peers" in want:
        results["peers"] = r = _child("peers", 0)
        sec.notes.append("Accuracy on the labelled set (prefecture level):\n\n" + r["table"])
        for name, s in r["speed"].items():
            sec.rows.append(
                [
                    f"{name}: distinct addresses of the labelled set",
                    f"{r['n']:,}",
                    f"{s:.2f} s",
                    _rate(r["n"], s),
                    "",
                    "",
                ]
            )
    if "locate" in want:
        results["locate"] = r = _child("locate", big)
        sec.rows.append(
            [
                "locate, with repeats",
                f"{r['records']:,}",
                f"{r['with_repeats_s']:.1f} s",
                _rate(r["records"], r["with_repeats_s"]),
                f"{r['rss_mb']:,.0f} MB",
                f"{r['distinct']:,} distinct addresses",
            ]
        )
        sec.rows.append(
            [
                "locate, distinct addresses only",
                f"{r['distinct']:,}",
                f"{r['distinct_s']:.1f} s",
                _rate(r["distinct"], r["distinct_s"]),
                "",
                "street/organisation differ, names repeat",
            ]
        )
        sec.rows.append(
            [
                "locate, distinct name sets (no reuse at all)",
                f"{r['cold']:,}",
                f"{r['cold_s']:.2f} s",
                _rate(r["cold"], r["cold_s"]),
                "",
                "worst case",
            ]
        )
        sec.targets.append(
            Target(
                "locate >= 200,000 records/s on one core (with repeats)",
                ">= 200,000/s",
                _rate(r["records"], r["with_repeats_s"]),
                r["records"] / r["with_repeats_s"] >= 200_000,
            )
        )
    if "pandas" in want:
        results["pandas"] = r = _child("pandas", big)
        sec.rows.append(
            [
                "copatent_network, DataFrame in memory",
                f"{r['records']:,}",
                f"{r['s']:.1f} s",
                _rate(r["records"], r["s"]),
                f"{r['rss_mb']:,.0f} MB",
                f"{r['rss_before_mb']:,.0f} MB before the call (the frame)",
            ]
        )
    if "files" in want:
        for n in (small, big):
            results[f"files_{n}"] = r = _child("files", n)
            sec.rows.append(
                [
                    f"copatent_network, CSV files in chunks ({n:,})",
                    f"{r['records']:,}",
                    f"{r['s']:.1f} s",
                    _rate(r["records"], r["s"]),
                    f"{r['rss_mb']:,.0f} MB",
                    f"{r['edges']:,} edges",
                ]
            )
        for n in (small, big):
            results[f"core_{n}"] = r = _child("files_core", n)
            sec.rows.append(
                [
                    f"  of which read + locate + pair ({n:,})",
                    f"{r['records']:,}",
                    f"{r['s']:.1f} s",
                    _rate(r["records"], r["s"]),
                    f"{r['rss_mb']:,.0f} MB",
                    f"{r['buckets']} buckets; no network built",
                ]
            )
        a, b = results[f"core_{small}"], results[f"core_{big}"]
        sec.targets.append(
            Target(
                "file path: peak memory of the record-level work independent of the number of "
                "records",
                f"{big // small}x records, < 1.25x memory",
                f"{a['rss_mb']:,.0f} MB -> {b['rss_mb']:,.0f} MB",
                b["rss_mb"] < 1.25 * a["rss_mb"],
            )
        )
    if "dask" in want:
        results["dask"] = r = _child("dask", big)
        sec.rows.append(
            [
                "copatent_network, dask, 2 worker processes",
                f"{r['records']:,}",
                f"{r['s']:.1f} s",
                _rate(r["records"], r["s"]),
                f"client {r['rss_mb']:,.0f} MB, worker {r['worker_rss_mb']:,.0f} MB",
                f"{r['edges']:,} edges",
            ]
        )
        files = results.get(f"files_{big}")
        if files:
            same = (files["edges"], files["weight"], files["kept"]) == (
                r["edges"],
                r["weight"],
                r["kept"],
            )
            sec.targets.append(
                Target(
                    "dask result identical to the file path",
                    "same edges, weights, patents kept",
                    "identical" if same else "DIFFERENT",
                    same,
                )
            )
    sec.seconds = time.perf_counter() - t_start
    return sec


def main() -> None:
    if "--worker" in sys.argv:
        i = sys.argv.index("--worker")
        print(json.dumps(WORKERS[sys.argv[i + 1]](int(sys.argv[i + 2]))))
        return
    only = None
    if "--only" in sys.argv:
        only = set(sys.argv[sys.argv.index("--only") + 1].split(","))
    sec = run("--quick" in sys.argv, only)
    print(f"## {sec.title}\n\n{sec.intro}\n\nload average at start: {sec.load}\n")
    print(markdown_table(sec.headers, sec.rows))
    print()
    for t in sec.targets:
        print(
            f"- {t.benchmark}: target {t.target}, measured {t.measured} -> {'pass' if t.passed else 'MISS'}"
        )
    for note in sec.notes:
        print("\n" + note)
    print(f"\n({sec.seconds:.0f} s)")


if __name__ == "__main__":
    main()
