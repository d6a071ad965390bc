"""The layering rules of ARCHITECTURE.md hold, and the check that enforces them really bites.

``lint-imports`` reads the contracts in pyproject.toml ([tool.importlinter]). The second test
plants a forbidden import (a measure importing a map) in a copy of the package and shows that the
same contracts reject it, so a green run means something.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _lint(root: Path, config: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports on the package found under ``root`` with the contracts of ``config``."""
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [exe, "--config", str(config), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def source_checkout() -> Path:
    if not (REPO / "pyproject.toml").is_file() or not (REPO / "spatialinno").is_dir():
        pytest.skip("not running from a source checkout")
    return REPO


def test_layering_contracts_are_kept(source_checkout: Path) -> None:
    result = _lint(source_checkout, source_checkout / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_measure_importing_a_map_breaks_the_contract(
    source_checkout: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "src"
    shutil.copytree(
        source_checkout / "spatialinno",
        copy / "spatialinno",
        ignore=shutil.ignore_patterns("__pycache__", "_assets", "_data"),
    )
    shutil.copy(source_checkout / "pyproject.toml", copy / "pyproject.toml")
    target = copy / "spatialinno" / "measures" / "inequality.py"
    target.write_text(
        target.read_text(encoding="utf-8") + "\nfrom ..maps import base as _not_allowed  # noqa\n",
        encoding="utf-8",
    )
    result = _lint(copy, copy / "pyproject.toml")
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "spatialinno.measures.inequality -> spatialinno.maps.base" in result.stdout


def test_boundary_build_script_uses_only_the_boundaries_stage(source_checkout: Path) -> None:
    """boundaries/build.py precomputes contiguity with the public topology helpers, never with
    private helpers of the measures (it is the data stage: it computes no statistic)."""
    tree = ast.parse((source_checkout / "boundaries" / "build.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            if node.module.startswith("spatialinno"):
                assert not any(a.name.startswith("_") for a in node.names), ast.dump(node)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    ours = {m for m in imported if m.split(".")[0] == "spatialinno"}
    assert ours, "build.py should use the package's boundary helpers"
    assert all(m.startswith("spatialinno.boundaries") for m in ours), sorted(ours)
