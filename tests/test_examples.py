"""The example notebooks run top to bottom on the bundled real data, and are stored without outputs.

Each notebook is executed with nbclient in a fresh kernel, from a temporary working directory; the
notebooks assert the facts they print (e.g. 12 provinces above 50 % capital share in 2021), so a
change in the package that changes a published figure fails here. They must not write into the
repository: the ``examples/`` folder is compared before and after.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NOTEBOOKS = (
    "01_reproduce_study.ipynb",
    "02_province_rd_2010_2023.ipynb",
    "03_city_level.ipynb",
    "04_qgis_handoff.ipynb",
)

pytestmark = pytest.mark.skipif(
    not (EXAMPLES / NOTEBOOKS[0]).is_file(), reason="not running from a source checkout"
)


def test_the_four_notebooks_exist() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.ipynb")) == sorted(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_stored_without_outputs(name: str) -> None:
    book = nbformat.read(EXAMPLES / name, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code, name
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, (name, cell.source[:60])
    # every figure comes from the package; nothing is read from or written to the repository
    text = "\n".join(c.source for c in code)
    assert "import spatialinno as si" in text
    assert "tempfile.mkdtemp" in text
    assert "../" not in text and "examples/" not in text


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_executes(name: str, tmp_path: Path) -> None:
    before = sorted(p.name for p in EXAMPLES.iterdir())
    book = nbformat.read(EXAMPLES / name, as_version=4)
    client = nbclient.NotebookClient(
        book,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    t0 = time.perf_counter()
    client.execute()  # raises CellExecutionError with the failing cell and traceback
    seconds = time.perf_counter() - t0
    print(f"{name}: {seconds:.1f} s")
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert errors == []
    # the last cell lists the files the notebook wrote: they are in its temporary folder
    assert any(o.get("output_type") == "execute_result" for o in outputs)
    assert sorted(p.name for p in EXAMPLES.iterdir()) == before  # nothing written to the repo
    assert list(tmp_path.iterdir()) == []  # nor into the working directory
