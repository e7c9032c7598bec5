"""nbgrader's Execute step, with each kernel in the sandbox ``_sandbox`` describes.

``autograde_preprocessors`` lists ``GradingExecute`` in place of nbgrader's ``Execute``: the
kernel starts in a new empty folder with a clean environment (as the grading account when
autograde runs as root), and the folder is removed once the notebook is graded, even when
grading is stopped.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

from nbclient.util import run_sync
from nbgrader.preprocessors import Execute

from goalstudio.grading import _kernels, _sandbox


class GradingExecute(Execute):  # type: ignore[misc]
    """Run the rebuilt notebook's checks in a private folder, as the grading account."""

    _gs_folder: str = ""
    _gs_env: dict[str, str] = {}  # noqa: RUF012 - replaced per notebook

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Kernels start through the sandbox wrapper (or the preheated server), also when
        # nbgrader's own 'autograde' runs this step.
        kwargs.setdefault("kernel_manager_class", _kernels.manager_class())
        super().__init__(*args, **kwargs)

    def preprocess(self, nb: Any, resources: Any = None, *args: Any, **kwargs: Any) -> Any:
        ids = _sandbox.grader_ids()
        folder = _sandbox.private_folder(ids)
        learner = str((resources or {}).get("nbgrader", {}).get("student", ""))
        self._gs_folder = folder
        self._gs_env = _sandbox.kernel_env(folder, learner, ids)
        given = resources if resources is not None else {}
        ours = dict(given)
        ours["metadata"] = {**given.get("metadata", {}), "path": folder}
        try:
            ran, ours = super().preprocess(nb, ours, *args, **kwargs)
            ours["metadata"] = given.get("metadata", {})  # later steps see the real place
            return ran, ours
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def create_kernel_manager(self) -> Any:
        km = super().create_kernel_manager()
        # The connection file lives in the kernel's own folder (handed to the grading account).
        km.connection_file = os.path.join(self._gs_folder, "kernel.json")
        return km

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        kwargs["cwd"] = self._gs_folder
        kwargs["env"] = dict(self._gs_env)
        await super().async_start_new_kernel(**kwargs)

    # nbclient binds the blocking form to its own coroutine: bind it to ours.
    start_new_kernel = run_sync(async_start_new_kernel)
