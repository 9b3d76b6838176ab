"""The teaching notebooks run top to bottom, so they cannot rot; and they are committed clean.

Each notebook is executed in a fresh kernel of this interpreter (nbclient, which nbmake also
uses), from the notebooks/ folder, one test per notebook so ``pytest -n 2`` spreads them.
``pytest --nbmake notebooks/`` runs them the same way by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT = 600


def test_there_are_three_notebooks():
    names = [p.stem for p in ALL]
    assert len(names) >= 3, names
    for prefix in ("01_", "02_", "03_"):
        assert any(n.startswith(prefix) for n in names), f"no notebook {prefix}*"


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_notebook_is_committed_without_outputs(path):
    import nbformat

    book = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(book.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path.name}: clear the outputs of cells {dirty} before committing"


@pytest.mark.slow
@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_notebook_runs_top_to_bottom(path):
    import nbformat
    from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    book = nbformat.read(path, as_version=4)
    client = NotebookClient(book, timeout=CELL_TIMEOUT, kernel_name=NATIVE_KERNEL_NAME,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    # jupyter_client starts the "python3" kernel with this interpreter (sys.executable), so the
    # notebooks see the package installed here.
    try:
        client.execute(cwd=str(NOTEBOOKS))
    except CellExecutionError as exc:
        pytest.fail(f"{path.name} failed:\n{str(exc)[-3000:]}", pytrace=False)
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
