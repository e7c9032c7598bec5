"""A team workshop on a real JupyterHub on loopback: accounts, exchange, grading, isolation.

The trial hub (tests/_trial_hub.py) runs the configuration `goalstudio hub config
--authenticator dummy` writes, as root, with the local process spawner: every hub user is an
account on this machine. Needs root, `useradd`, configurable-http-proxy (npm) and a PostgreSQL
server (.ci/postgres.sh); the test skips with the reason when one is missing.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests._trial_hub import (
    ASSIGNMENT,
    COURSE,
    FACILITATOR_RUNS,
    HubUnavailable,
    Workshop,
    hc,
    missing_requirement,
    running_hub,
)

ACTIVITY = "m3-rewrite"
SCENARIO = "priya"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hub")]


def _running(pid: int) -> bool:
    """Alive and not merely ended and waiting to be collected (``<defunct>``)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _processes_of(names: list[str]) -> list[str]:
    found = []
    for name in names:
        result = subprocess.run(["pgrep", "-u", name, "-a"], capture_output=True, text=True)
        found += [line for line in result.stdout.splitlines() if line.strip()]
    return found


@pytest.fixture(scope="module")
def workshop() -> Iterator[Workshop]:
    reason = missing_requirement()
    if reason:
        pytest.skip(reason)
    tag = secrets.token_hex(2)
    try:
        with running_hub(f"t{tag}-fac", [f"t{tag}-{who}" for who in ("ana", "bo", "cy")]) as ws:
            yield ws
    except HubUnavailable as exc:
        pytest.fail(str(exc))


def _answer(nb: dict[str, Any], marker: str) -> dict[str, Any]:
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "answer-phrases":
            cell["source"] = (
                "%%answer phrases\n# One phrase per line, copied from the plan:\n"
                f"maintain compliance with medication\n# {marker}\n"
            )
            return nb
    raise AssertionError("the released notebook has no answer-phrases cell")


def _inserted_cell(mark: Path) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "id": "inserted-by-learner",
        "metadata": {},
        "execution_count": None,
        "outputs": [],
        "source": f"open({str(mark)!r}, 'w').write('the inserted cell ran')",
    }


SAVE_DRAFT = """
import os
from goalstudio.records import RecordStore
me = os.environ["JUPYTERHUB_USER"]
with RecordStore() as store:
    store.save_draft(me, {activity!r}, "Draft plan by " + me, scenario={scenario!r})
    store.add_attempt(me, {activity!r}, "Plan by " + me, {{"score": 0.5}},
                      scenario={scenario!r}, module="3")
print(store.dialect, me)
"""

LEARNER_LOOKS_AROUND = """
import json, os
from goalstudio.records import RecordStore, RecordStoreError
me = os.environ["JUPYTERHUB_USER"]
seen = {{}}
def tried(label, action):
    try:
        action()
        seen[label] = "allowed"
    except (OSError, RecordStoreError) as exc:
        seen[label] = type(exc).__name__
tried("other home", lambda: os.listdir("/home/{other}"))
tried("other workspace file", lambda: open("/home/{other}/goal-discovery-studio/home.ipynb").read())
tried("course folder", lambda: os.listdir({course!r}))
tried("gradebook", lambda: open({course!r} + "/gradebook.db", "rb").read(1))
tried("exchange inbound", lambda: os.listdir({exchange!r} + "/inbound"))
tried("exchange feedback", lambda: os.listdir({exchange!r} + "/feedback"))
with RecordStore() as store:
    tried("other draft", lambda: store.get_draft({other!r}, {activity!r}, scenario={scenario!r}))
    tried("write as other", lambda: store.save_draft({other!r}, {activity!r}, "x",
                                                     scenario={scenario!r}))
    seen["own draft"] = store.get_draft(me, {activity!r}, scenario={scenario!r}).text
    seen["reviews of"] = sorted({{r.learner for r in store.latest_reviews()}})
    seen["progress of"] = sorted({{p.learner for p in store.learner_progress()}})
print(json.dumps(seen))
"""

FACILITATOR_READS = """
import json
from goalstudio.records import RecordStore
with RecordStore() as store:
    print(json.dumps({
        "reviews of": sorted({r.learner for r in store.latest_reviews()}),
        "drafts": sorted(p.learner for p in store.learner_progress()),
    }))
"""


PLANT_LINKS = """
import os
ws = os.path.expanduser("~/goal-discovery-studio")
os.remove(ws + "/.goalstudio/installed.json")
os.symlink({key!r}, ws + "/.goalstudio/installed.json")
os.remove(ws + "/00-welcome.ipynb")
os.symlink({victim!r}, ws + "/.00-welcome.ipynb.tmp")
print("planted")
"""

LINK_WORKSPACE = """
import os, shutil
ws = os.path.expanduser("~/goal-discovery-studio")
shutil.rmtree(ws)
os.symlink({course!r}, ws)
print("linked")
"""


def _state_of(folders: list[Path]) -> dict[str, tuple[int, int, int, bytes]]:
    """Owner, group, mode and content of everything in ``folders`` (links not followed)."""
    found = {}
    for folder in folders:
        for item in [folder, *sorted(folder.rglob("*"))]:
            info = item.lstat()
            data = item.read_bytes() if item.is_file() and not item.is_symlink() else b""
            found[str(item)] = (info.st_uid, info.st_gid, info.st_mode, data)
    return found


BOARD_TEXT = """
from goalstudio.widgets.dashboards import workshop_board
board = workshop_board(every=0)
def texts(widget):
    found = [widget.value] if isinstance(getattr(widget, "value", None), str) else []
    for child in getattr(widget, "children", ()) or ():
        found += texts(child)
    for output in getattr(widget, "outputs", ()) or ():
        found.append(str(output))
    return found
print("\\n".join(texts(board)))
"""


def test_team_workshop_on_a_real_hub(workshop: Workshop) -> None:
    t0 = time.monotonic()

    def lap(what: str) -> None:
        print(f"{time.monotonic() - t0:7.1f} s  {what}", file=sys.stderr)

    ws, hub = workshop, workshop.hub
    fac, learners = ws.facilitator, ws.learners
    course_dir = str(ws.root / "srv" / "course")
    exchange = str(ws.root / "srv" / "exchange" / COURSE)

    # People are made through the REST API; the facilitator is a hub admin.
    hub.create_users([fac], admin=True)
    hub.create_users(learners)
    users = {u["name"]: u for u in hub.api("GET", "/users")}
    assert users[fac]["admin"] and not any(users[n]["admin"] for n in learners)
    for name in [fac, *learners]:
        hub.request_server(name)
    for name in [fac, *learners]:
        hub.wait_for_server(name)
        ws.tokens[name] = hub.user_token(name)
    # Each server runs as its own account, with a home folder only that account can open.
    for name in [fac, *learners]:
        home = Path(pwd.getpwnam(name).pw_dir)
        assert home.stat().st_mode & 0o777 == 0o700
        assert (home / "goal-discovery-studio" / "home.ipynb").exists()
        assert (home / "goal-discovery-studio" / "facilitator").exists() == (name == fac)
        assert _processes_of([name]), f"no process runs as {name}"

    lap("Each learner saves a draft")
    # Each learner saves a draft and a reviewed attempt into the shared PostgreSQL records.
    for name in learners:
        assert ws.as_user(
            name, SAVE_DRAFT.format(activity=ACTIVITY, scenario=SCENARIO)
        ).split() == [
            "postgresql",
            name,
        ]

    inserted_mark = Path(course_dir) / "inserted-cell-ran"
    lap("The facilitator releases")
    # The facilitator releases the assignment; learners fetch, answer and submit it.
    ws.as_user(
        fac, FACILITATOR_RUNS.format(course=course_dir, args=["assign", ASSIGNMENT, "--release"])
    )
    for name in learners:
        server = ws.server(name)
        server.nbgrader("fetch", COURSE, ASSIGNMENT)
        path = f"api/contents/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
        model = server.call("GET", path + "?content=1")
        nb = _answer(model["content"], f"answer-of-{name}")
        if name == learners[1]:
            # This learner inserts a code cell: grading must leave it out, never run it.
            nb["cells"].insert(2, _inserted_cell(inserted_mark))
        server.call("PUT", path, {"type": "notebook", "format": "json", "content": nb})
        server.nbgrader("submit", COURSE, ASSIGNMENT)

    lap("The facilitator collects")
    # The facilitator collects, autogrades and releases feedback.
    collected = json.loads(
        ws.as_user(fac, FACILITATOR_RUNS.format(course=course_dir, args=["collect", ASSIGNMENT]))
    )["out"]
    for name in learners:
        assert f"{name}: new" in collected, collected  # submitted under the hub name
        assert (Path(course_dir) / "submitted" / name / ASSIGNMENT).is_dir()
    graded = json.loads(
        ws.as_user(fac, FACILITATOR_RUNS.format(course=course_dir, args=["autograde", ASSIGNMENT]))
    )["out"]
    assert not inserted_mark.exists(), "grading ran a cell the learner inserted"
    inserter = graded.split(f"{learners[1]}:", 1)[1].split(f"\n{learners[2]}:", 1)[0]
    assert "left out of grading and not run" in inserter, graded
    assert "left out" not in graded.split(f"{learners[1]}:", 1)[0]
    ws.as_user(
        fac, FACILITATOR_RUNS.format(course=course_dir, args=["feedback", ASSIGNMENT, "--release"])
    )

    lap("Each learner fetches feedback")
    # Each learner fetches feedback, and gets only their own.
    for name in learners:
        server = ws.server(name)
        server.nbgrader("fetch_feedback", COURSE, ASSIGNMENT)
        listing = server.call("GET", f"api/contents/{ASSIGNMENT}/feedback")
        stamps = [item["path"] for item in listing["content"]]
        assert len(stamps) == 1, stamps
        pages = server.call("GET", f"api/contents/{quote(stamps[0])}")["content"]
        htmls = [p["path"] for p in pages if p["path"].endswith(".html")]
        assert htmls, pages
        text = server.call("GET", f"api/contents/{quote(htmls[0])}?type=file&format=text")[
            "content"
        ]
        assert f"answer-of-{name}" in text
        for other in learners:
            if other != name:
                assert f"answer-of-{other}" not in text

    lap("The facilitator's records role")
    # The facilitator's records role sees all three learners; the dashboard page renders.
    seen = json.loads(ws.as_user(fac, FACILITATOR_READS))
    assert seen["reviews of"] == sorted(learners)
    shown = ws.as_user(fac, BOARD_TEXT)
    for name in learners:
        assert name in shown, shown[:2000]
    # The same board run by a learner (from the installed package) shows only that learner.
    shown_to_ana = ws.as_user(learners[0], BOARD_TEXT)
    assert learners[0] in shown_to_ana
    assert not any(other in shown_to_ana for other in learners[1:])
    board = "voila/render/goal-discovery-studio/facilitator/01-workshop-board.ipynb"
    page = ws.server(fac).get(board, timeout=120)
    assert page.status == 200, page.text[:500]
    assert "workshop" in page.text.lower()

    lap("A learner cannot read")
    # A learner cannot read another learner's drafts, feedback, the course or the dashboards.
    ana, bo = learners[0], learners[1]
    looked = json.loads(
        ws.as_user(
            ana,
            LEARNER_LOOKS_AROUND.format(
                other=bo, course=course_dir, exchange=exchange, activity=ACTIVITY, scenario=SCENARIO
            ),
        )
    )
    assert looked["other home"] == "PermissionError"
    assert looked["other workspace file"] == "PermissionError"
    assert looked["course folder"] == "PermissionError"
    assert looked["gradebook"] == "PermissionError"
    assert looked["exchange inbound"] == "PermissionError"
    assert looked["exchange feedback"] == "PermissionError"
    assert looked["other draft"] == "RecordNotFound"
    assert looked["write as other"] != "allowed"
    assert looked["own draft"] == f"Draft plan by {ana}"
    assert looked["reviews of"] == [ana]
    assert looked["progress of"] == [ana]
    as_ana = ws.server(ana)
    refused = as_ana.get(board, user=fac)
    assert refused.status == 403, (refused.status, refused.text[:300])
    assert as_ana.get("api/contents/goal-discovery-studio", user=fac).status == 403
    assert as_ana.get(board).status == 404  # learners' own servers have no dashboards
    assert as_ana.get("formgrader").status == 404  # nor nbgrader's instructor tools
    assert hc.request("GET", f"{hub.base}/hub/api/users", ws.tokens[ana]).status == 403

    lap("A learner plants symlinks")
    # A learner plants links to root's files in their own workspace, then restarts their
    # server: the hub prepares the workspace as the learner, so nothing outside the learner's
    # own files changes (issue 15 §1).
    cy = learners[2]
    srv = ws.root / "srv"
    key = srv / "secrets" / "records-password-key"
    victim = srv / "etc" / "jupyter" / "nbgrader_config.py"
    watched = [srv / "secrets", srv / "etc", Path(course_dir), Path(exchange)]
    before = _state_of(watched)
    assert ws.as_user(cy, PLANT_LINKS.format(key=str(key), victim=str(victim))).strip() == "planted"
    hub.stop_server(cy)
    try:
        hub.request_server(cy)
        hub.wait_for_server(cy)
    except hc.HubError as exc:
        raise AssertionError(f"{exc}\n{ws.hub_log()}") from None
    assert _state_of(watched) == before
    cy_home = Path(pwd.getpwnam(cy).pw_dir)
    secret = key.read_bytes()
    assert not [p for p in cy_home.rglob("*") if p.is_file() and secret in p.read_bytes()]
    welcome = cy_home / "goal-discovery-studio" / "00-welcome.ipynb"
    assert welcome.is_file() and not welcome.is_symlink()
    # Then the workspace itself becomes a link to the course folder: the server is not
    # started (the learner cannot write there), and the course folder stays the facilitators'.
    assert ws.as_user(cy, LINK_WORKSPACE.format(course=course_dir)).strip() == "linked"
    hub.stop_server(cy)
    with pytest.raises(hc.HubError):
        hub.request_server(cy)
        hub.wait_for_server(cy, timeout=60)
    assert _state_of(watched) == before
    assert "could not be copied" in ws.hub_log()

    lap("The hub stops cleanly")
    # The hub stops cleanly: servers first, then the hub, and no process is left behind. A
    # server's stop waits until every process of its user has ended and been collected (the
    # facilitator's dashboard kernel outlives its server otherwise), so nothing to wait for here.
    hub.stop_server(fac)
    assert _processes_of([fac]) == []
    for name in learners:
        hub.stop_server(name)
    os.killpg(ws.process.pid, signal.SIGTERM)
    assert ws.process.wait(30) == 0, ws.hub_log()
    assert _processes_of([fac, *learners]) == []
    leftover = subprocess.run(
        ["pgrep", "-f", str(ws.root)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert leftover == [], leftover
    # JupyterHub signals its proxy without waiting for it, so once the hub has gone the ended
    # proxy may wait a moment for init to collect it.
    assert ws.proxy_pid and not _running(ws.proxy_pid), "the proxy outlived the hub"
