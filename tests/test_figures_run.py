"""``spatialinno analyze --figures png,pdf``: the print figures of a run, embedded in the report
(opened in headless Chromium, network off), checked before any work, replaced by --overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_chromium import render, requires_chromium

import spatialinno as si
from spatialinno import cli
from spatialinno.figures.run import check_formats

KINDS = ("map", "lisa", "hotspots", "moran")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("figures_run")
    table = base / "t2.csv"
    si.load_dataset("zhao2025_table2").to_csv(table, index=False)
    out = base / "out"
    args = ["analyze", str(table), "--level", "province", "--columns", "capital_share",
            "--year", "2021", "--permutations", "99", "--lang", "en", "--out", str(out)]  # fmt: skip
    assert cli.main([*args, "--figures", "png,pdf", "--quiet"]) == 0
    return {"out": out, "args": args}


def test_figures_written_and_listed(run: dict) -> None:
    out = run["out"]
    written = sorted(p.name for p in (out / "figures").iterdir())
    assert written == sorted(f"{k}_capital_share.{f}" for k in KINDS for f in ("png", "pdf"))
    for p in (out / "figures").iterdir():
        head = p.read_bytes()[:8]
        assert head.startswith(b"%PDF" if p.suffix == ".pdf" else b"\x89PNG"), p.name
    html = (out / "report.html").read_text(encoding="utf-8")
    for k in KINDS:
        assert f'<img src="figures/{k}_capital_share.png"' in html
        assert f'href="figures/{k}_capital_share.pdf"' in html


@pytest.mark.filterwarnings("ignore:moran.*left out")
def test_moran_figure_states_the_reports_moran(run: dict) -> None:
    """The scatter plot's I is the one of summary.csv (same weights, permutations, seed)."""
    import pandas as pd

    s = pd.read_csv(run["out"] / "summary.csv")
    i = s.loc[s["measure"].eq("moran_I") | s["measure"].eq("I"), "value"]
    assert len(i) == 1
    fig = si.plot_moran_scatter(
        si.join_indicators(
            si.load_dataset("zhao2025_table2").query("year == 2021"), "province", key="code"
        ),
        "capital_share",
        permutations=99,
        seed=0,
        lang="en",
    )
    assert f"I = {si.styles.format_number(float(i.iloc[0]))}," in fig.axes[0].get_title()


@requires_chromium
def test_report_shows_the_figures_offline(run: dict, tmp_path: Path) -> None:
    r = render(
        run["out"] / "report.html",
        evaluate={
            "imgs": "Array.from(document.querySelectorAll('.si-figure img'))"
            ".map(i => i.complete && i.naturalWidth > 1000).join(',')"
        },
        screenshot=tmp_path / "report.png",
    )
    assert r["console_errors"] == [] and r["exceptions"] == []
    assert r["failed_requests"] == []
    assert r["eval"]["imgs"] == ",".join(["true"] * len(KINDS))


def test_bad_format_refused_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    table = tmp_path / "t.csv"
    si.load_dataset("zhao2025_table2").to_csv(table, index=False)
    out = tmp_path / "out"
    argv = ["analyze", str(table), "--level", "province", "--columns", "capital_share",
            "--year", "2021", "--out", str(out), "--figures", "png,bmp", "--quiet"]  # fmt: skip
    assert cli.main(argv) == 2
    assert "bmp" in capsys.readouterr().err
    assert not out.exists()
    assert check_formats(" PNG,pdf,png ") == ("png", "pdf")


def test_overwrite_replaces_the_figures(run: dict) -> None:
    out = run["out"]
    stale = out / "figures" / "map_old_column.png"
    stale.write_bytes(b"\x89PNG old")
    assert cli.main([*run["args"], "--figures", "svg", "--overwrite", "--quiet"]) == 0
    written = sorted(p.name for p in (out / "figures").iterdir())
    assert written == sorted(f"{k}_capital_share.svg" for k in KINDS)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<img" not in html  # no PNG asked for: nothing embedded, the SVGs listed
    assert 'href="figures/map_capital_share.svg"' in html
