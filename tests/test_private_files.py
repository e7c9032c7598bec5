"""Files that hold learners' words or secrets are private to their owner (issue 15 §5)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from goalstudio.cli import main
from goalstudio.records import RecordStore


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_records_file_is_0600_in_a_0700_folder(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask, which would give 0644 and 0755
    try:
        path = tmp_path / "workspace" / ".goalstudio" / "records.sqlite"
        with RecordStore(f"sqlite:///{path}") as store:
            store.save_draft("sam", "m3", "a draft only Sam should read")
    finally:
        os.umask(old)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


def test_an_existing_shared_folder_keeps_its_permissions(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    with RecordStore(f"sqlite:///{shared / 'records.sqlite'}"):
        pass
    assert _mode(shared) == 0o755
    assert _mode(shared / "records.sqlite") == 0o600


def test_hub_config_out_is_0600_even_when_replaced(tmp_path: Path) -> None:
    out = tmp_path / "jupyterhub_config.py"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o644)
    assert main(["hub", "config", "--out", str(out), "--force"]) == 0
    assert _mode(out) == 0o600
    fresh = tmp_path / "new" / "config.py"
    assert main(["hub", "config", "--out", str(fresh)]) == 0
    assert _mode(fresh) == 0o600
