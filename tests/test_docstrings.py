"""Run the examples in the docstrings of the installed package (they are part of the docs)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import spatialinno

# cli prints to the terminal and is tested end to end; build.py needs the dev-only build inputs
SKIP = {"spatialinno.cli", "spatialinno._boundaries.build", "spatialinno.__main__"}
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(spatialinno.__path__, prefix="spatialinno.")
    if m.name not in SKIP
)


def test_boundary_data_resolves_from_package_resources() -> None:
    # load_boundaries finds its data through importlib.resources, so it works from an installed wheel
    from pathlib import Path

    assert Path(spatialinno.boundaries.load._path()).is_file()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
