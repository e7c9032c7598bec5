"""nbgrader's Execute step, with each kernel in the sandbox ``_sandbox`` describes.

``autograde_preprocessors`` lists ``GradingExecute`` in place of nbgrader's ``Execute``: the
kernel starts in a new empty folder with a clean environment (as the grading account when
autograde runs as root), and the folder is removed once the notebook is graded, even when
grading is stopped. The kernel starts from a kernelspec written for it (``_kernels``): a
preheated kernel when ``GradingExecute.kernel_server`` names a running server.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from jupyter_client.manager import KernelManager
from nbclient.util import run_sync
from nbgrader.preprocessors import Execute
from traitlets import Unicode

from . import _kernels, _sandbox


class GradingExecute(Execute):  # type: ignore[misc]
    """Run the rebuilt notebook's checks in a private folder, as the grading account."""

    kernel_server = Unicode(
        "",
        help="The socket of a running preheated kernel server (empty: ordinary kernels).",
    ).tag(config=True)

    kernel_name: str  # nbclient's setting: the kernel the notebook names, once known
    _gs_folder: str = ""
    _gs_specs: str = ""
    _gs_env: dict[str, str] = {}  # noqa: RUF012 - replaced per notebook

    def preprocess(self, nb: Any, resources: Any = None, *args: Any, **kwargs: Any) -> Any:
        ids = _sandbox.grader_ids()
        folder = _sandbox.private_folder(ids)
        learner = str((resources or {}).get("nbgrader", {}).get("student", ""))
        self._gs_folder = folder
        self._gs_env = _sandbox.kernel_env(folder, learner, ids)
        # The kernelspec folder is the grader's own: the grading account never sees it.
        self._gs_specs = tempfile.mkdtemp(
            prefix="gs-kernelspec-", dir=os.environ.get(_sandbox.GRADING_FOLDER_ENV) or None
        )
        given = resources if resources is not None else {}
        ours = dict(given)
        ours["metadata"] = {**given.get("metadata", {}), "path": folder}
        try:
            ran, ours = super().preprocess(nb, ours, *args, **kwargs)
            ours["metadata"] = given.get("metadata", {})  # later steps see the real place
            return ran, ours
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(self._gs_specs, ignore_errors=True)

    def create_kernel_manager(self) -> KernelManager:
        name = str(
            self.kernel_name
            or self.nb.metadata.get("kernelspec", {}).get("name")
            or NATIVE_KERNEL_NAME
        )
        self.kernel_name = name
        specs = _kernels.grading_kernelspecs(self._gs_specs, name, self.kernel_server or None)
        km: KernelManager = self.kernel_manager_class(
            kernel_name=name,
            kernel_spec_manager=specs,
            # The connection file lives in the kernel's own folder (handed to the grading
            # account).
            connection_file=os.path.join(self._gs_folder, "kernel.json"),
            config=self.config,
        )
        self.km = km
        return km

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        kwargs["cwd"] = self._gs_folder
        kwargs["env"] = dict(self._gs_env)
        await super().async_start_new_kernel(**kwargs)

    # nbclient binds the blocking form to its own coroutine: bind it to ours.
    start_new_kernel = run_sync(async_start_new_kernel)
