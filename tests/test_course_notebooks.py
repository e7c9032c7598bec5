"""Every course notebook runs headless, top to bottom, with its exercises built and no errors.

One test per notebook, so pytest-xdist (``make test`` runs ``-n 2``) spreads them over cores.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO

NOTEBOOKS = sorted(p.name for p in (REPO / "course").glob("*.ipynb"))

# Appended after the notebook's own cells: every exercise built, none showing an error.
CHECK = """
import gc
from goalstudio.widgets._base import Exercise
built = [o for o in gc.get_objects() if isinstance(o, Exercise)]
problems = [(type(o).__name__, o.last_error) for o in built if o.last_error]
print("EXERCISES", len(built), "PROBLEMS", problems)
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_headless(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOALSTUDIO_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("GOALSTUDIO_RECORDS_URL", raising=False)
    monkeypatch.delenv("GOALSTUDIO_FACILITATOR", raising=False)
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(REPO / "course" / name, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(CHECK))
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env=dict(os.environ))
    errors = [
        out
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert errors == []
    report = "".join(nb.cells[-1].outputs[0].get("text", ""))
    expected = sum(
        1
        for c in nb.cells[:-1]
        if c.cell_type == "code" and "(" in c.source and "import" not in c.source
    )
    assert "PROBLEMS []" in report, report
    built = int(report.split()[1])
    assert built >= expected - (1 if name in ("00-welcome.ipynb", "home.ipynb") else 0), report
