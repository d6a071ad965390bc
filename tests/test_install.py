"""A newcomer's first five minutes, in a fresh virtual environment: clone, ``pip install .``, run.

The clone is the files git would check out (tracked and new, not ignored), copied from the working
tree into a temporary git repository. The environment is isolated: no system or CI site-packages,
the package installed *with* its declared dependencies (from the package index or pip's cache),
so the tests pass on a machine whose base Python has no packages, and fail when pyproject.toml
forgets a dependency or a package folder.

One environment serves the whole module (the install of the dependencies is what costs time):
the non-editable install first, then ``pip install -e`` into the same environment for the
editable case (:meth:`Newcomer.use` switches, so the tests pass in any order).

* the install prints no setuptools warning (pip's output captured, ``-v`` shows the backend's);
* the wheel holds every file of the source tree (a package folder missing from pyproject.toml is
  left out without a warning);
* the quickstart of README.md runs at the root of the clone -- where the clone's
  ``spatialinno/`` shadows the installed package -- and from any other folder, installed or
  editable, and leaves the clone clean (``git status``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import venv
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys, geopandas, spatialinno as si
import spatialinno.measures.network
out = {"file": si.__file__, "geopandas": geopandas.__file__, "path": sys.path}
for level in ("province", "prefecture", "county", "lines"):
    out[level] = len(si.load_boundaries(level))
    if level != "lines":
        out[level + "_simplified"] = len(si.load_boundaries(level, simplified=True))
out["provinces"] = len(si.provinces())
out["county_queen_pairs"] = len(si.boundaries.contiguity("county"))
out["island_links"] = len(si.boundaries.island_links("prefecture"))
out["datasets"] = len(si.list_datasets())
out["network"] = si.city_network.__module__
print(json.dumps(out))
"""

# variables that would let the fresh interpreter see packages from elsewhere
_LEAKY = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV")
# a Python warning as the build backend prints it ("...py:82: SetuptoolsDeprecationWarning: ...",
# "_Warning: Package 'spatialinno._assets' is absent from the `packages` configuration")
_BUILD_WARNING = re.compile(r"\w*Warning: |[Dd]eprecat|absent from the `packages`")


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY}
    env["PYTHONNOUSERSITE"] = "1"  # no ~/.local site-packages either
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _git(cwd: Path, *args: str) -> str:
    run = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def _clone(target: Path) -> Path:
    """The working tree's files as ``git clone`` would give them, in a fresh repository."""
    files = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, files.split("\0")):
        source = REPO / name
        if source.is_file():  # a file deleted but not yet committed is not in the clone
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "clone")
    return target


@dataclass
class Newcomer:
    """A clone, a fresh environment, and how spatialinno is installed into it right now."""

    clone: Path
    env_dir: Path
    env: dict[str, str]
    mode: str = ""
    logs: dict[str, str] = field(default_factory=dict)

    @property
    def python(self) -> Path:
        return self.env_dir / "bin" / "python"

    def use(self, mode: str) -> None:
        """``pip install .`` ("wheel") or ``pip install -e .`` ("editable") from the clone."""
        if mode == self.mode:
            return
        args = ["-e", "."] if mode == "editable" else ["."]
        # dependencies once (the first install), then only the package itself
        deps = [] if self.mode == "" else ["--no-deps", "--force-reinstall"]
        run = subprocess.run(
            [self.python, "-m", "pip", "install", "-v", *deps, *args],
            cwd=self.clone,
            capture_output=True,
            text=True,
            env=self.env,
        )
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        self.logs.setdefault(mode, run.stdout + run.stderr)
        self.mode = mode

    def run(self, code: str, cwd: Path, isolated: bool = False) -> subprocess.CompletedProcess:
        # `python -c` puts the working folder first on sys.path, as `python` or jupyter there does;
        # -I (isolated) leaves it out
        flags = ["-I"] if isolated else []
        return subprocess.run(
            [self.python, *flags, "-c", code], cwd=cwd, capture_output=True, text=True,
            env=self.env,
        )  # fmt: skip

    def probe(self, cwd: Path, isolated: bool = False) -> dict:
        result = self.run(PROBE, cwd, isolated)
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout)


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory: pytest.TempPathFactory) -> Newcomer:
    if not (REPO / "pyproject.toml").is_file() or not (REPO / ".git").exists():
        pytest.skip("not running from a git checkout of the source")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path_factory.mktemp("newcomer")
    clone = _clone(root / "clone")
    env_dir = root / "venv"
    # isolated: neither the base interpreter's nor the running (CI) environment's packages
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(env_dir)
    person = Newcomer(clone, env_dir, _clean_env())
    person.use("wheel")
    return person


def _check_layers(out: dict) -> None:
    assert (out["province"], out["prefecture"], out["county"], out["lines"]) == (34, 375, 2891, 8)
    assert out["prefecture_simplified"] == 375 and out["county_simplified"] == 2891
    assert out["provinces"] == 34 and out["datasets"] >= 6
    assert out["county_queen_pairs"] == 16392 and out["island_links"] == 4  # contiguity.npz
    assert out["network"] == "spatialinno.measures.network.build"


def _site_packages(env_dir: Path) -> Path:
    (found,) = env_dir.glob("lib/python3*/site-packages")
    return found


@pytest.mark.slow
def test_clean_install_prints_no_setuptools_warning(newcomer: Newcomer) -> None:
    newcomer.use("wheel")
    log = newcomer.logs["wheel"]
    assert "Successfully installed" in log and "spatialinno" in log
    warnings = [line.strip() for line in log.splitlines() if _BUILD_WARNING.search(line)]
    assert warnings == []


@pytest.mark.slow
def test_wheel_holds_every_file_of_the_source_tree(newcomer: Newcomer) -> None:
    newcomer.use("wheel")
    site = _site_packages(newcomer.env_dir)
    tracked = _git(newcomer.clone, "ls-files", "spatialinno", "boundaries").split()
    expected = {
        "spatialinno/_boundaries/" + name[len("boundaries/") :]
        if name.startswith("boundaries/")
        else name
        for name in tracked
    }
    missing = sorted(name for name in expected if not (site / name).is_file())
    assert missing == []
    assert {"spatialinno/measures/network/build.py", "spatialinno/_boundaries/china.gpkg"} <= (
        expected
    )


@pytest.mark.slow
def test_installed_package_works_from_any_other_folder(newcomer: Newcomer, tmp_path: Path) -> None:
    newcomer.use("wheel")
    out = newcomer.probe(tmp_path, isolated=True)
    env_dir = str(newcomer.env_dir)
    assert out["file"].startswith(env_dir), out["file"]
    # the dependencies come from the fresh environment too, not from a leaked site-packages
    assert out["geopandas"].startswith(env_dir), out["geopandas"]
    leaked = [
        p
        for p in out["path"]
        if p.startswith(str(newcomer.clone))
        or p.startswith(str(REPO))
        or (("site-packages" in p or "dist-packages" in p) and not p.startswith(env_dir))
    ]
    assert leaked == [], out["path"]
    _check_layers(out)


def _readme_quickstart() -> str:
    text = (REPO / "README.md").read_text("utf-8")
    section = text.split("## 30-second quickstart", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def _run_quickstart(newcomer: Newcomer, cwd: Path) -> None:
    result = newcomer.run(_readme_quickstart(), cwd)
    assert result.returncode == 0, result.stderr[-3000:]
    out = cwd / "out"
    assert (out / "lisa.html").stat().st_size > 10_000
    assert (out / "results.gpkg").stat().st_size > 10_000
    assert f"results in {out.resolve()}" in result.stdout


@pytest.mark.slow
def test_quickstart_at_the_root_of_the_clone_keeps_the_clone_clean(
    newcomer: Newcomer, tmp_path: Path
) -> None:
    newcomer.use("wheel")
    # at the root of the clone its own spatialinno/ comes first on sys.path: the source tree
    # shadows the installed package, which holds the data package spatialinno._boundaries
    out = newcomer.probe(newcomer.clone)
    assert out["file"] == str(newcomer.clone / "spatialinno" / "__init__.py")
    _check_layers(out)
    _run_quickstart(newcomer, newcomer.clone)
    # the results are in out/, which the repository ignores: `git status` shows nothing
    assert _git(newcomer.clone, "status", "--porcelain", "--untracked-files=all") == ""
    shutil.rmtree(newcomer.clone / "out")
    # and from another folder, into that folder's out/
    _run_quickstart(newcomer, tmp_path)


@pytest.mark.slow
def test_editable_install_works_from_the_clone_and_elsewhere(
    newcomer: Newcomer, tmp_path: Path
) -> None:
    newcomer.use("editable")
    log = newcomer.logs["editable"]
    warnings = [line for line in log.splitlines() if _BUILD_WARNING.search(line)]
    assert warnings == []
    for cwd in (newcomer.clone, tmp_path):
        out = newcomer.probe(cwd)
        assert out["file"] == str(newcomer.clone / "spatialinno" / "__init__.py"), cwd
        _check_layers(out)
