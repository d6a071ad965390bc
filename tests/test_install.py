"""The wheel, installed into a fresh virtual environment, finds its data (not the source tree)."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import json, spatialinno as si
out = {"file": si.__file__}
for level in ("province", "prefecture", "county", "lines"):
    out[level] = len(si.load_boundaries(level))
    if level != "lines":
        out[level + "_simplified"] = len(si.load_boundaries(level, simplified=True))
out["provinces"] = len(si.provinces())
out["county_queen_pairs"] = len(si.boundaries.contiguity("county"))
out["island_links"] = len(si.boundaries.island_links("prefecture"))
out["datasets"] = len(si.list_datasets())
print(json.dumps(out))
"""


@pytest.mark.slow
def test_wheel_in_fresh_venv_loads_every_layer(tmp_path: Path) -> None:
    if not (REPO / "pyproject.toml").is_file():
        pytest.skip("not running from a source checkout")
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
        check=True,
    )
    (wheel,) = wheels.glob("spatialinno-*.whl")
    env_dir = tmp_path / "venv"
    # dependencies come from the running environment; the package itself only from the wheel
    venv.EnvBuilder(with_pip=True, system_site_packages=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [python, "-I", "-c", PROBE], cwd=elsewhere, capture_output=True, text=True, check=True
    )
    out = json.loads(result.stdout)
    assert out["file"].startswith(str(env_dir)), out["file"]
    assert (out["province"], out["prefecture"], out["county"], out["lines"]) == (34, 375, 2891, 8)
    assert out["prefecture_simplified"] == 375 and out["county_simplified"] == 2891
    assert out["provinces"] == 34 and out["datasets"] >= 6
    assert out["county_queen_pairs"] == 16392 and out["island_links"] == 4  # contiguity.npz shipped
