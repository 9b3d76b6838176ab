"""Re-execute the teaching notebooks in place, so their committed outputs match the model.

    python notebooks/refresh.py            # all notebooks in this folder
    python notebooks/refresh.py 02         # those whose name starts with 02

Each runs top to bottom in a fresh kernel of this interpreter, from this folder (as
``tests/test_notebooks.py`` runs them), and is written back with its outputs, without timing
metadata (so a rerun on an unchanged model changes nothing but what the model changed). Prints
the seconds each took; exits 1 if a cell fails, leaving that notebook untouched.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def execute(path: Path, timeout: int = 600):
    """Run one notebook; return the executed notebook (raises CellExecutionError)."""
    import nbformat
    from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
    from nbclient import NotebookClient

    book = nbformat.read(path, as_version=4)
    NotebookClient(book, timeout=timeout, kernel_name=NATIVE_KERNEL_NAME, record_timing=False,
                   resources={"metadata": {"path": str(HERE)}}).execute(cwd=str(HERE))
    book.metadata.pop("widgets", None)
    return book


def main(argv: list[str]) -> int:
    import nbformat
    from nbclient.exceptions import CellExecutionError

    books = sorted(p for p in HERE.glob("*.ipynb") if not argv or p.name.startswith(tuple(argv)))
    if not books:
        print(f"no notebook in {HERE} starts with {' or '.join(argv)}", file=sys.stderr)
        return 2
    status = 0
    for path in books:
        t0 = time.monotonic()
        try:
            book = execute(path)
        except CellExecutionError as exc:
            print(f"{path.name}: failed, left unchanged:\n{str(exc)[-2000:]}", file=sys.stderr)
            status = 1
            continue
        nbformat.write(book, path)
        print(f"{path.name}: executed in {time.monotonic() - t0:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
