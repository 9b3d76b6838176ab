"""The teaching notebooks run top to bottom, so they cannot rot; and they are committed with
their outputs, so a teacher sees the figures (on GitHub too) before running anything.

Each notebook is executed in a fresh kernel of this interpreter (nbclient, as
``notebooks/refresh.py`` does), from the notebooks/ folder, one test per notebook so
``pytest -n 2`` spreads them; the seconds each took go to test-artifacts/. After a change to
the model, ``python notebooks/refresh.py`` re-executes them in place.
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
def test_notebook_is_committed_with_its_outputs(path):
    """Every code cell was executed, in order, without an error, and the notebook shows at
    least one figure; no output is a raw wide table (more than 12 columns)."""
    import re

    import nbformat

    book = nbformat.read(path, as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    counts = [c.execution_count for c in code]
    assert all(counts), f"{path.name}: cells not executed: run python notebooks/refresh.py"
    assert counts == sorted(counts), f"{path.name}: cells executed out of order"
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"], f"{path.name}: an error"
    assert any("image/png" in o.get("data", {}) for o in outputs), f"{path.name}: no figure"
    for o in outputs:
        table = o.get("data", {}).get("text/html", "")
        header = re.search(r"<thead>(.*?)</thead>", table, re.S)
        if header:
            cols = header.group(1).split("</tr>")[0].count("<th")
            assert cols <= 13, f"{path.name}: a table with {cols} columns; show fewer"


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
    import json
    import time

    t0 = time.monotonic()
    try:
        client.execute(cwd=str(NOTEBOOKS))
    except CellExecutionError as exc:
        pytest.fail(f"{path.name} failed:\n{str(exc)[-3000:]}", pytrace=False)
    seconds = time.monotonic() - t0
    artifacts = NOTEBOOKS.parent / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / f"notebook_{path.stem}.json").write_text(json.dumps(
        {"notebook": path.name, "seconds": round(seconds, 1)}))
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    for cell in book.cells:
        if cell.cell_type == "code":
            assert "NaN" not in "".join(o.get("data", {}).get("text/plain", "") for o in
                                        cell.outputs if o.output_type == "execute_result"), \
                f"{path.name}: a table full of NaN"
