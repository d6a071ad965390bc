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


def _source_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "spatialinno").rglob("*.py") if "__pycache__" not in p.parts)


def test_modules_stay_small(source_checkout: Path) -> None:
    """No module of the package is over 600 lines (ARCHITECTURE.md, rule 5)."""
    sizes = {
        str(p.relative_to(source_checkout)): len(p.read_text(encoding="utf-8").splitlines())
        for p in _source_files(source_checkout)
    }
    too_long = {name: n for name, n in sizes.items() if n > 600}
    assert not too_long, too_long


def test_functions_stay_small(source_checkout: Path) -> None:
    """No function body is over 80 lines. The docstring is not counted: numpy-style docstrings of
    public functions (parameters with units, formula, references, examples) are documentation,
    not code, and must not be shortened to meet a size rule."""
    too_long = {}
    for path in _source_files(source_checkout):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            lines = node.end_lineno - node.lineno + 1
            first = node.body[0]
            is_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            if is_doc and isinstance(first.value.value, str):
                lines -= first.end_lineno - first.lineno + 1
            if lines > 80:
                too_long[f"{path.relative_to(source_checkout)}:{node.name}"] = lines
    assert not too_long, too_long


def test_every_public_module_declares_all(source_checkout: Path) -> None:
    missing = []
    for path in _source_files(source_checkout):
        if path.name.startswith("_") and path.name != "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            t.id
            for node in tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign)
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(t, ast.Name)
        }
        if "__all__" not in names:
            missing.append(str(path.relative_to(source_checkout)))
    assert not missing, missing
