"""Self-study learners see the model answer and the common mistakes after they submit, in the
learner release (not only facilitators)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goalstudio.courseware.release import build_release, cell_text, read_notebook
from goalstudio.records import RecordStore
from goalstudio.widgets import LanguageSpotter
from goalstudio.widgets.after import _inline
from tests.conftest import REPO


@pytest.fixture
def learner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    monkeypatch.setenv("GOALSTUDIO_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.setenv("GOALSTUDIO_RECORDS_URL", url)
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    return url


def _release_cell(release: Path, name: str) -> dict[str, object]:
    nb = read_notebook(release / name)
    (cell,) = [c for c in nb["cells"] if c.get("id") == "after-you-submit"]
    return cell


def _run(cell: dict[str, object]) -> object:
    """Run a release cell as the notebook would: its last line is the widget shown."""
    lines = cell_text(cell).splitlines()  # type: ignore[arg-type]
    namespace: dict[str, object] = {}
    exec("\n".join(lines[:-1]), namespace)
    return eval(lines[-1], namespace)


def test_the_built_release_opens_model_answer_and_mistakes_after_a_submission(
    tmp_path: Path, learner: str
) -> None:
    release = tmp_path / "release"
    build_release(REPO / "course", release)
    text = (release / "03-from-deficits-to-outcomes.ipynb").read_text(encoding="utf-8")
    # The notebook itself still carries no facilitator text; the cell opens it later.
    assert "Model answer" not in text and "Facilitator notes" not in text
    cell = _release_cell(release, "03-from-deficits-to-outcomes.ipynb")
    assert cell["metadata"] == {"jupyter": {"source_hidden": True}}
    widget = _run(cell)
    # Before the learner submits anything, the answer stays closed.
    assert widget.reveal() is None  # type: ignore[attr-defined]
    assert "submit your own answer" in (widget.last_error or "")  # type: ignore[attr-defined]
    assert widget.panel.value == ""  # type: ignore[attr-defined]
    # A submission in another module does not open it.
    with RecordStore(learner) as store:
        store.add_attempt("ana", "plan-rewriter", "Goal: x", {}, module="04")
    assert widget.reveal() is None  # type: ignore[attr-defined]
    spotter = LanguageSpotter("bernie-cmht-allotment", module="03", store_url=learner)
    spotter.reveal()
    html = widget.reveal()  # type: ignore[attr-defined]
    assert html is not None
    source = read_notebook(REPO / "course" / "03-from-deficits-to-outcomes.ipynb")
    (answer,) = [c for c in source["cells"] if "model-answer" in c["metadata"].get("tags", [])]
    assert _inline(cell_text(answer)) in html and "<b>Model answer" in html
    assert "Common mistakes" in html and "writing every action for staff" in html


@pytest.mark.parametrize(
    ("name", "mistake"),
    [
        ("01-why-person-centred-planning.ipynb", "as blame of care co-ordinators"),
        ("04-writing-the-plan.ipynb", "actions with no owner or no date"),
        ("07-peers-teams-transitions.ipynb", "pasting the WRAP into the care plan"),
    ],
)
def test_modules_without_a_model_answer_cell_still_give_their_common_mistakes(
    tmp_path: Path, learner: str, name: str, mistake: str
) -> None:
    release = tmp_path / "release"
    build_release(REPO / "course", release)
    widget = _run(_release_cell(release, name))
    module = name[:2]
    with RecordStore(learner) as store:
        store.add_attempt("ana", "language-spotter", "x", {}, module=module)
    html = widget.reveal()  # type: ignore[attr-defined]
    assert html is not None and mistake in html
    assert "This module has no single model answer" in html


def test_a_module_with_nothing_to_open_gets_no_cell(tmp_path: Path) -> None:
    release = tmp_path / "release"
    build_release(REPO / "course", release)
    nb = json.loads((release / "08-reviewing-and-measuring.ipynb").read_text("utf-8"))
    assert not any(c.get("id") == "after-you-submit" for c in nb["cells"])
