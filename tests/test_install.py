"""The wheel, installed into a fresh virtual environment, finds its data (not the source tree).

The environment is isolated: no system or CI site-packages, the wheel installed *with* its declared
dependencies (from the package index or pip's cache). So the test passes on a machine whose base
Python has no packages, and it fails when pyproject.toml forgets a dependency the code imports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys, geopandas, spatialinno as si
out = {"file": si.__file__, "geopandas": geopandas.__file__, "path": sys.path}
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

# variables that would let the fresh interpreter see packages from elsewhere
_LEAKY = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV")


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY}
    env["PYTHONNOUSERSITE"] = "1"  # no ~/.local site-packages either
    return env


@pytest.mark.slow
def test_wheel_in_fresh_venv_loads_every_layer(tmp_path: Path) -> None:
    if not (REPO / "pyproject.toml").is_file():
        pytest.skip("not running from a source checkout")
    env = _clean_env()
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
        check=True,
        env=env,
    )
    (wheel,) = wheels.glob("spatialinno-*.whl")
    env_dir = tmp_path / "venv"
    # isolated: neither the base interpreter's nor the running (CI) environment's packages
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], check=True, env=env)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [python, "-I", "-c", PROBE], cwd=elsewhere, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["file"].startswith(str(env_dir)), out["file"]
    # the dependencies come from the fresh environment too, not from a leaked site-packages
    assert out["geopandas"].startswith(str(env_dir)), out["geopandas"]
    leaked = [
        p
        for p in out["path"]
        if p.startswith(str(REPO))
        or (("site-packages" in p or "dist-packages" in p) and not p.startswith(str(env_dir)))
    ]
    assert leaked == [], out["path"]
    assert (out["province"], out["prefecture"], out["county"], out["lines"]) == (34, 375, 2891, 8)
    assert out["prefecture_simplified"] == 375 and out["county_simplified"] == 2891
    assert out["provinces"] == 34 and out["datasets"] >= 6
    assert out["county_queen_pairs"] == 16392 and out["island_links"] == 4  # contiguity.npz shipped
